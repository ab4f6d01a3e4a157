//! Deadlines other than automatic approval: reminders (repeated, and counted per seat through
//! transfers and signers after), escalation to a superior (past superiors already at the node,
//! with a fresh deadline, and its fallback to a reminder), automatic rejection, and the
//! deadline of a delegated task (委派); each run twice through `process_due` to prove it
//! idempotent.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::*;
use crate::workflow::runtime::model::{DueReport, HistoryAction, InstanceStatus};
use crate::WorkDuration;

/// start → a (`who`, with `deadline`) → b (carol) → end.
fn with_deadline(w: &W, key: &str, who: PersonId, deadline: Value) {
    w.publish(
        key,
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "b", people(&[who]), json!({"deadline": deadline})),
            approval("b", "end", people(&[w.carol]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
}

/// Runs the deadlines due up to `up_to` through the public operation, as the administrator.
fn due(w: &W, up_to: DateTime<Utc>) -> DueReport {
    let admin = w.oa.sign_in("admin", ADMIN_PW).unwrap();
    w.oa.process_due(&admin, up_to).unwrap()
}

/// `at` plus `d` working time, on the office calendar.
fn plus(w: &W, at: DateTime<Utc>, d: Value) -> DateTime<Utc> {
    let d: WorkDuration = serde_json::from_value(d).unwrap();
    w.oa.store()
        .read(|tx| crate::admin::calendar::load_calendar_from(tx, at).and_then(|c| c.add_working_time(at, d)))
        .unwrap()
}

/// The history actions of `id` with the node, actor and detail of each, from `HistoryAction`s
/// in `which`.
fn events(
    w: &W,
    id: InstanceId,
    which: &[HistoryAction],
) -> Vec<(HistoryAction, Option<String>, Option<PersonId>, String)> {
    w.oa.store()
        .read(|tx| store::history(tx, id))
        .unwrap()
        .into_iter()
        .filter(|e| which.contains(&e.action))
        .map(|e| (e.action, e.node, e.actor, e.detail))
        .collect()
}

fn todo_of(w: &W, who: PersonId) -> u32 {
    w.oa.store().read(|tx| store::badge_counts(tx, who)).unwrap().todo as u32
}

fn due_entries(w: &W) -> usize {
    w.oa.store()
        .scan(
            &oa_storage::KeyRange::prefix(super::super::model::keys::dues().as_bytes()),
            oa_storage::Direction::Forward,
            100,
        )
        .unwrap()
        .len()
}

#[test]
fn remind_repeats_the_set_number_of_times_then_stops() {
    let w = W::new();
    let hour = json!({"amount": 1, "unit": "hours"});
    with_deadline(
        &w,
        "remind",
        w.bob,
        json!({"after": {"amount": 2, "unit": "hours"}, "action": "remind", "repeat": {"every": hour, "times": 2}}),
    );
    let i = w.start(w.alice, "remind", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    assert_eq!(d0, plus(&w, w.oa.now(), json!({"amount": 2, "unit": "hours"})));
    assert_eq!(due(&w, w.oa.now()), DueReport::default(), "not due yet");
    let d1 = plus(&w, d0, hour.clone());
    let d2 = plus(&w, d1, hour.clone());
    for (n, at, next) in [(1u32, d0, Some(d1)), (2, d1, Some(d2)), (3, d2, None)] {
        w.clock.set(at);
        assert_eq!(due(&w, at), DueReport { reminded: vec![t], ..Default::default() }, "reminder {n}");
        assert_eq!(due(&w, at), DueReport::default(), "reminder {n} again: the entry moved on");
        let task = w.tasks(i.id).into_iter().find(|x| x.id == t).unwrap();
        assert_eq!((task.status, task.reminders, task.due_at), (TaskStatus::Pending, n, next), "after reminder {n}");
        assert_eq!(todo_of(&w, w.bob), 1, "bob keeps his task");
        assert_eq!(due_entries(&w), usize::from(next.is_some()));
    }
    // No more reminders, however late.
    let later = plus(&w, d2, json!({"amount": 5, "unit": "days"}));
    w.clock.set(later);
    assert_eq!(due(&w, later), DueReport::default());
    let bob = format!("`{}` reminded", w.bob);
    let r = (HistoryAction::Reminded, Some("a".to_string()), None, bob);
    assert_eq!(events(&w, i.id, &[HistoryAction::Reminded]), vec![r.clone(), r.clone(), r]);
    assert_eq!(w.inst(i.id).status, InstanceStatus::Running);
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob)]);
    w.approve(i.id, w.bob).unwrap();
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.trail(i.id), vec!["a", "b"]);
    assert_eq!(w.inst(i.id).status, InstanceStatus::Approved);
}

#[test]
fn the_reminders_of_a_seat_count_once_however_often_it_changes_hands() {
    use crate::workflow::runtime::act;
    use crate::workflow::runtime::model::SignerPosition;
    let w = W::new();
    let hour = json!({"amount": 1, "unit": "hours"});
    // Reminded after two hours, then at most twice more, an hour apart.
    with_deadline(
        &w,
        "hands",
        w.bob,
        json!({"after": {"amount": 2, "unit": "hours"}, "action": "remind", "repeat": {"every": hour, "times": 2}}),
    );
    let i = w.start(w.alice, "hands", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    let (d1, d2) = (plus(&w, d0, hour.clone()), plus(&w, plus(&w, d0, hour.clone()), hour.clone()));
    w.clock.set(d0);
    assert_eq!(due(&w, d0).reminded, vec![t]);
    // Bob hands it to dave (转交): the reminder already sent counts for the seat.
    let dave = w.dave;
    let moved = w.act(w.bob, |rt, by| act::transfer(rt, by, t, dave, "")).unwrap();
    assert_eq!((moved.reminders, moved.due_at, moved.deadline_at), (1, Some(d1), Some(d0)));
    w.clock.set(d1);
    assert_eq!(due(&w, d1).reminded, vec![moved.id]);
    // Dave asks erin to approve after him (后加签) and approves: erin's task goes on counting.
    let erin = w.erin;
    w.act(w.dave, |rt, by| act::add_signer(rt, by, moved.id, erin, SignerPosition::After)).unwrap();
    w.approve(i.id, w.dave).unwrap();
    let et = w.tasks(i.id).into_iter().find(|x| x.assignee == w.erin).unwrap();
    assert_eq!((et.reminders, et.due_at), (2, Some(d2)));
    w.clock.set(d2);
    assert_eq!(due(&w, d2).reminded, vec![et.id]);
    let et = w.tasks(i.id).into_iter().find(|x| x.id == et.id).unwrap();
    assert_eq!((et.reminders, et.due_at), (3, None), "the node's three reminders, and no more");
    let later = plus(&w, d2, json!({"amount": 5, "unit": "days"}));
    w.clock.set(later);
    assert_eq!(due(&w, later), DueReport::default());
    assert_eq!(events(&w, i.id, &[HistoryAction::Reminded]).len(), 3);
}

#[test]
fn remind_without_repeat_reminds_once() {
    let w = W::new();
    with_deadline(&w, "once", w.bob, json!({"after": {"amount": 1, "unit": "days"}, "action": "remind"}));
    let i = w.start(w.alice, "once", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    w.clock.set(d0);
    assert_eq!(due(&w, d0), DueReport { reminded: vec![t], ..Default::default() });
    assert_eq!(due(&w, d0), DueReport::default());
    let task = w.tasks(i.id).into_iter().find(|x| x.id == t).unwrap();
    assert_eq!((task.status, task.reminders, task.due_at), (TaskStatus::Pending, 1, None));
    assert_eq!(due_entries(&w), 0);
}

#[test]
fn escalate_hands_the_task_to_the_assignee_superior() {
    let w = W::new();
    // mgr's superior is boss.
    with_deadline(&w, "esc", w.mgr, json!({"after": {"amount": 4, "unit": "hours"}, "action": "escalate"}));
    let i = w.start(w.alice, "esc", json!({})).unwrap();
    let t = w.task_of(i.id, w.mgr);
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    assert_eq!(todo_of(&w, w.mgr), 1);
    w.clock.set(d0);
    assert_eq!(due(&w, d0), DueReport { escalated: vec![t], ..Default::default() });
    assert_eq!(due(&w, d0), DueReport::default(), "running again does nothing");
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.boss)]);
    let tasks = w.tasks(i.id);
    let old = tasks.iter().find(|x| x.id == t).unwrap();
    assert_eq!((old.status, old.auto, old.acted_at), (TaskStatus::Transferred, true, Some(d0)));
    let new = tasks.iter().find(|x| x.assignee == w.boss).unwrap();
    let fresh = plus(&w, d0, json!({"amount": 4, "unit": "hours"}));
    assert_eq!(
        (new.seat, new.activation, new.due_at),
        (old.seat, old.activation, Some(fresh)),
        "the seat goes on, with the node's full time counted from the escalation"
    );
    assert_eq!((todo_of(&w, w.mgr), todo_of(&w, w.boss)), (0, 1));
    assert_eq!(due_entries(&w), 1, "the escalated task's own deadline");
    assert_eq!(
        events(&w, i.id, &[HistoryAction::Escalated]),
        vec![(HistoryAction::Escalated, Some("a".to_string()), None, format!("handed to `{}`", w.boss))]
    );
    // The escalated task is not mgr's to act on any more; boss decides.
    assert_eq!(
        code(w.act(w.mgr, |rt, by| super::super::act::approve(rt, by, t, "", None)).unwrap_err()),
        "invalid_state"
    );
    w.approve(i.id, w.boss).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.trail(i.id), vec!["a", "b"]);
    assert_eq!(w.inst(i.id).status, InstanceStatus::Approved);
}

#[test]
fn escalate_without_a_superior_reminds_instead() {
    let w = W::new();
    // bob has no superior.
    with_deadline(&w, "esc2", w.bob, json!({"after": {"amount": 4, "unit": "hours"}, "action": "escalate"}));
    let i = w.start(w.alice, "esc2", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    w.clock.set(d0);
    assert_eq!(due(&w, d0), DueReport { reminded: vec![t], ..Default::default() });
    assert_eq!(due(&w, d0), DueReport::default());
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob)]);
    let task = w.tasks(i.id).into_iter().find(|x| x.id == t).unwrap();
    assert_eq!((task.reminders, task.due_at), (1, None));
    assert!(events(&w, i.id, &[HistoryAction::Escalated]).is_empty());
}

#[test]
fn auto_reject_ends_the_instance_rejected() {
    let w = W::new();
    with_deadline(&w, "rej", w.bob, json!({"after": {"amount": 1, "unit": "days"}, "action": "auto_reject"}));
    let i = w.start(w.alice, "rej", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    let early = plus(&w, w.oa.now(), json!({"amount": 1, "unit": "hours"}));
    w.clock.set(early);
    assert_eq!(due(&w, early), DueReport::default(), "not due yet");
    w.clock.set(d0);
    assert_eq!(due(&w, d0), DueReport { auto_rejected: vec![t], ..Default::default() });
    assert_eq!(due(&w, d0), DueReport::default(), "running again does nothing");
    let inst = w.inst(i.id);
    assert_eq!((inst.status, inst.ended_at), (InstanceStatus::Rejected, Some(d0)));
    assert!(inst.tokens.is_empty());
    assert_eq!(w.trail(i.id), vec!["xa"]);
    let tasks = w.tasks(i.id);
    assert_eq!(tasks.len(), 1, "b is never reached");
    assert_eq!((tasks[0].status, tasks[0].auto, tasks[0].acted_at), (TaskStatus::Rejected, true, Some(d0)));
    assert_eq!(
        events(&w, i.id, &[HistoryAction::Rejected, HistoryAction::Ended]),
        vec![
            (HistoryAction::Rejected, Some("a".to_string()), None, "the deadline passed".to_string()),
            (HistoryAction::Ended, None, None, "rejected".to_string()),
        ]
    );
    assert_eq!(todo_of(&w, w.bob), 0);
    assert_eq!(due_entries(&w), 0);
    // The system's rejection is not in bob's done list, and bob cannot act any more.
    let done =
        w.oa.store()
            .read(|tx| {
                tx.scan(
                    &oa_storage::KeyRange::prefix(super::super::model::keys::done(w.bob).as_bytes()),
                    oa_storage::Direction::Forward,
                    10,
                )
            })
            .unwrap();
    assert!(done.is_empty());
    assert_eq!(
        code(w.act(w.bob, |rt, by| super::super::act::approve(rt, by, t, "", None)).unwrap_err()),
        "invalid_state"
    );
}

#[test]
fn a_task_decided_before_its_deadline_is_skipped() {
    let w = W::new();
    with_deadline(&w, "early", w.bob, json!({"after": {"amount": 1, "unit": "days"}, "action": "auto_reject"}));
    let i = w.start(w.alice, "early", json!({})).unwrap();
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(due_entries(&w), 0, "the entry leaves with the pending task");
    w.clock.set(d0);
    assert_eq!(due(&w, d0), DueReport::default());
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    assert_eq!(w.inst(i.id).status, InstanceStatus::Running);
}

#[test]
fn escalation_passes_over_a_superior_already_at_the_node_and_reminds_when_nobody_is_left() {
    let w = W::new();
    let four = json!({"amount": 4, "unit": "hours"});
    // alice and mgr countersign; alice's superiors are mgr, then boss; mgr's is boss.
    w.publish(
        "cs",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "end", people(&[w.alice, w.mgr]), json!({"method": "all", "deadline": {"after": four, "action": "escalate"}})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.bob, "cs", json!({})).unwrap();
    let (ta, tm) = (w.task_of(i.id, w.alice), w.task_of(i.id, w.mgr));
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    w.clock.set(d0);
    assert_eq!(due(&w, d0), DueReport { reminded: vec![tm], escalated: vec![ta], ..Default::default() });
    assert_eq!(due(&w, d0), DueReport::default(), "running again does nothing");
    // mgr already approves here: alice's task goes on up to boss, with the node's full time;
    // boss now holds one too, so mgr's is a reminder, and the history says why.
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.mgr), ("a".to_string(), w.boss)]);
    let d1 = plus(&w, d0, four);
    let boss_task = w.tasks(i.id).into_iter().find(|t| t.assignee == w.boss).unwrap();
    assert_eq!((boss_task.seat, boss_task.due_at), (ta, Some(d1)));
    let which = [HistoryAction::Escalated, HistoryAction::Reminded];
    assert_eq!(
        events(&w, i.id, &which),
        vec![
            (HistoryAction::Escalated, Some("a".to_string()), None, format!("handed to `{}`", w.boss)),
            (
                HistoryAction::Reminded,
                Some("a".to_string()),
                None,
                format!(
                    "`{}` reminded instead of escalating: every active superior of `{}` already holds a task at this node",
                    w.mgr, w.mgr
                )
            ),
        ]
    );
    assert_eq!((todo_of(&w, w.alice), todo_of(&w, w.mgr), todo_of(&w, w.boss)), (0, 1, 1));
    // boss's own deadline passes: nobody above him, so he is reminded.
    w.clock.set(d1);
    assert_eq!(due(&w, d1), DueReport { reminded: vec![boss_task.id], ..Default::default() });
    let last = events(&w, i.id, &[HistoryAction::Reminded]).pop().unwrap();
    assert_eq!(
        last.3,
        format!("`{}` reminded instead of escalating: `{}` has no active superior to escalate to", w.boss, w.boss)
    );
    assert_eq!(due_entries(&w), 0);
    w.approve(i.id, w.mgr).unwrap();
    w.approve(i.id, w.boss).unwrap();
    assert_eq!(w.inst(i.id).status, InstanceStatus::Approved);
}

#[test]
fn the_deadline_of_a_delegated_task_reminds_the_delegate_and_escalation_takes_it_back_first() {
    use crate::workflow::runtime::act;
    let w = W::new();
    with_deadline(&w, "dr", w.bob, json!({"after": {"amount": 2, "unit": "hours"}, "action": "remind"}));
    with_deadline(&w, "de", w.mgr, json!({"after": {"amount": 2, "unit": "hours"}, "action": "escalate"}));
    let (dave, erin) = (w.dave, w.erin);
    let i = w.start(w.alice, "dr", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let dt = w.act(w.bob, |rt, by| act::delegate_task(rt, by, t, dave, "")).unwrap();
    assert_eq!((dt.due_at, dt.deadline_at), (None, w.tasks(i.id)[0].deadline_at), "handled as the owner's");
    let j = w.start(w.alice, "de", json!({})).unwrap();
    let m = w.task_of(j.id, w.mgr);
    let et = w.act(w.mgr, |rt, by| act::delegate_task(rt, by, m, erin, "")).unwrap();
    assert_eq!(due_entries(&w), 2, "a delegated task keeps its deadline");
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    w.clock.set(d0);
    assert_eq!(due(&w, d0), DueReport { reminded: vec![t], escalated: vec![m], ..Default::default() });
    assert_eq!(due(&w, d0), DueReport::default());
    // The reminder goes to dave, who holds it; bob's task stays delegated.
    let status = |id: InstanceId, t: TaskId| w.tasks(id).into_iter().find(|x| x.id == t).unwrap().status;
    assert_eq!((status(i.id, t), status(i.id, dt.id)), (TaskStatus::Delegated, TaskStatus::Pending));
    assert_eq!(events(&w, i.id, &[HistoryAction::Reminded])[0].3, format!("`{}` reminded", w.dave));
    // The escalation takes mgr's task back from erin first, then hands it to boss.
    assert_eq!((status(j.id, m), status(j.id, et.id)), (TaskStatus::Transferred, TaskStatus::Withdrawn));
    assert_eq!(w.pending(j.id), vec![("a".to_string(), w.boss)]);
    assert_eq!(
        events(&w, j.id, &[HistoryAction::TakenBack, HistoryAction::Escalated]),
        vec![
            (
                HistoryAction::TakenBack,
                Some("a".to_string()),
                None,
                format!("taken back from `{}`: the deadline passed", w.erin)
            ),
            (HistoryAction::Escalated, Some("a".to_string()), None, format!("handed to `{}`", w.boss)),
        ]
    );
    assert_eq!((todo_of(&w, w.erin), todo_of(&w, w.mgr), todo_of(&w, w.boss)), (0, 0, 1));
}

#[test]
fn a_task_sent_on_by_a_standing_delegation_escalates_up_the_owner_chain() {
    let w = W::new();
    // alice (whose superior is mgr) is away; bob, who has no superior, stands in for her.
    let owner = w.alice;
    let input = crate::workflow::runtime::NewDelegation {
        owner: None,
        delegate: w.bob,
        process_key: None,
        first_day: "2026-01-05".parse().unwrap(),
        last_day: "2026-01-09".parse().unwrap(),
        reason: String::new(),
    };
    w.act(owner, |rt, _| crate::workflow::runtime::delegation::create(rt, owner, owner, &input)).unwrap();
    with_deadline(&w, "od", w.alice, json!({"after": {"amount": 4, "unit": "hours"}, "action": "escalate"}));
    let i = w.start(w.carol, "od", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let d0 = w.tasks(i.id)[0].due_at.unwrap();
    w.clock.set(d0);
    assert_eq!(due(&w, d0), DueReport { escalated: vec![t], ..Default::default() });
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.mgr)], "alice's superior decides, not bob's (none)");
}
