//! Standing delegations (委托) through an office's week, with the clock moving through their
//! days, and delegating a task to get it back (委派): who gets which task, what the history,
//! the lists and the badges say, and what each side may not do.

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::*;
use crate::workflow::runtime::act;
use crate::workflow::runtime::model::{
    Delegation, HistoryAction, HistoryEntry, InstanceStatus, NewDelegation, ReturnTarget, SignerPosition, TaskQuery,
};
use crate::PageRequest;

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// `owner` (the actor when `None`) away from `first` to `last`, with `delegate` standing in
/// for the processes `process` names (all when `None`).
fn away(owner: Option<PersonId>, delegate: PersonId, process: Option<&str>, first: &str, last: &str) -> NewDelegation {
    NewDelegation {
        owner,
        delegate,
        process_key: process.map(str::to_string),
        first_day: day(first),
        last_day: day(last),
        reason: "出差".into(),
    }
}

/// start → a (`who`) → end.
fn one_step(w: &W, key: &str, who: PersonId) {
    w.publish(
        key,
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "end", people(&[who]), json!({"fields": {"default": "read_only", "fields": {"note": "editable"}}})),
            {"id": "end", "type": "end"}
        ]),
    );
}

/// Makes a delegation for `owner`, by themselves, without a session.
fn delegate(w: &W, owner: PersonId, input: &NewDelegation) -> Delegation {
    w.act(owner, |rt, _| crate::workflow::runtime::delegation::create(rt, owner, owner, input)).unwrap()
}

fn history(w: &W, id: InstanceId, which: HistoryAction) -> Vec<HistoryEntry> {
    w.oa.store().read(|tx| store::history(tx, id)).unwrap().into_iter().filter(|e| e.action == which).collect()
}

fn badge(w: &W, who: PersonId) -> u64 {
    w.oa.store().read(|tx| store::badge_counts(tx, who)).unwrap().todo
}

fn only_task(w: &W, id: InstanceId) -> Task {
    let mut tasks = w.tasks(id);
    assert_eq!(tasks.len(), 1, "{tasks:?}");
    tasks.remove(0)
}

fn ids(page: crate::Page<Task>) -> Vec<TaskId> {
    page.items.into_iter().map(|t| t.id).collect()
}

fn fields(e: OaError) -> Vec<String> {
    e.field_errors().iter().map(|f| f.path.clone()).collect()
}

#[test]
fn tasks_go_to_the_delegate_on_the_days_of_the_delegation_only() {
    let w = W::new();
    one_step(&w, "p", w.bob);
    let bob = w.session("bob", w.bob);
    // Monday 17:00 in the office (+08:00): bob will be away on Tuesday and Wednesday.
    let d = w.oa.create_delegation(&bob, away(None, w.carol, None, "2026-01-06", "2026-01-07")).unwrap();
    assert_eq!((d.owner, d.delegate, d.created_by, d.process_key.clone()), (w.bob, w.carol, w.bob, None));
    assert_eq!((d.starts_at, d.ends_at), (at("2026-01-05T16:00:00Z"), at("2026-01-07T16:00:00Z")), "office days");
    let monday = w.start(w.alice, "p", json!({})).unwrap();
    assert_eq!(w.pending(monday.id), vec![("a".to_string(), w.bob)], "not away yet");
    w.clock.set(at("2026-01-05T15:59:59Z"));
    let late_monday = w.start(w.alice, "p", json!({})).unwrap();
    assert_eq!(w.pending(late_monday.id), vec![("a".to_string(), w.bob)], "Monday 23:59:59 in the office");

    w.clock.set(at("2026-01-05T16:00:00Z"));
    let tuesday = w.start(w.alice, "p", json!({})).unwrap();
    let t = only_task(&w, tuesday.id);
    assert_eq!((t.assignee, t.on_behalf_of, t.status), (w.carol, Some(w.bob), TaskStatus::Pending));
    let r = history(&w, tuesday.id, HistoryAction::Redirected);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].actor, r[0].node.as_deref(), r[0].task), (None, Some("a"), Some(t.id)));
    assert_eq!(r[0].detail, format!("on behalf of `{}`, by standing delegation: `{}` → `{}`", w.bob, w.bob, w.carol));
    assert_eq!((badge(&w, w.bob), badge(&w, w.carol)), (2, 1), "what bob had before he left stays his");

    w.clock.set(at("2026-01-07T15:59:59Z"));
    let wednesday = w.start(w.alice, "p", json!({})).unwrap();
    assert_eq!(w.pending(wednesday.id), vec![("a".to_string(), w.carol)], "the last day is included");
    w.clock.set(at("2026-01-07T16:00:00Z"));
    let thursday = w.start(w.alice, "p", json!({})).unwrap();
    assert_eq!(w.pending(thursday.id), vec![("a".to_string(), w.bob)], "back on Thursday");

    // Carol approves for bob: her done list has it, bob's does not, and bob sees what was done
    // and what waits on his behalf, newest first.
    let carol = w.session("carol", w.carol);
    w.oa.approve(&carol, t.id, "代批", None).unwrap();
    assert_eq!(w.inst(tuesday.id).status, InstanceStatus::Approved);
    assert_eq!(ids(w.oa.done(&carol, TaskQuery::default(), PageRequest::first(10)).unwrap()), vec![t.id]);
    let bob = w.sign_in_again("bob");
    assert!(w.oa.done(&bob, TaskQuery::default(), PageRequest::first(10)).unwrap().items.is_empty());
    let mine = w.oa.tasks_on_my_behalf(&bob, TaskQuery::default(), PageRequest::first(10)).unwrap().items;
    let seen: Vec<(InstanceId, TaskStatus)> = mine.iter().map(|t| (t.instance, t.status)).collect();
    assert_eq!(seen, vec![(wednesday.id, TaskStatus::Pending), (tuesday.id, TaskStatus::Approved)]);
    assert!(w.oa.tasks_on_my_behalf(&carol, TaskQuery::default(), PageRequest::first(10)).unwrap().items.is_empty());
    // Bob sees the instance approved on his behalf; tasks carol got stay hers after he is back.
    assert_eq!(w.oa.instance(&bob, tuesday.id).unwrap().instance.status, InstanceStatus::Approved);
    assert_eq!(w.pending(wednesday.id), vec![("a".to_string(), w.carol)]);
    assert_eq!(
        ids(w.oa.todo(&carol, TaskQuery::default(), PageRequest::first(10)).unwrap()),
        vec![w.task_of(wednesday.id, w.carol)]
    );
}

#[test]
fn a_delegation_is_checked_field_by_field_and_only_its_owner_or_an_administrator_changes_it() {
    let w = W::new();
    one_step(&w, "p", w.bob);
    let bob = w.session("bob", w.bob);
    let carol = w.session("carol", w.carol);
    let before = w.snapshot();
    let mut bad = away(None, w.bob, Some("nope"), "2026-01-09", "2026-01-08");
    bad.reason = "x".repeat(201);
    let e = w.oa.create_delegation(&bob, bad).unwrap_err();
    assert_eq!(fields(e), vec!["delegate", "process_key", "last_day", "reason"]);
    let e = w.oa.create_delegation(&bob, away(None, w.carol, Some(" "), "2026-01-01", "2026-01-04")).unwrap_err();
    assert_eq!(fields(e), vec!["process_key", "last_day"], "a blank process and days already past");
    w.oa.disable_person(&w.admin, w.erin).unwrap();
    let after_disable = w.snapshot();
    let e = w.oa.create_delegation(&bob, away(None, w.erin, None, "2026-01-06", "2026-01-07")).unwrap_err();
    assert_eq!(fields(e), vec!["delegate"], "erin no longer works here");
    assert_eq!(w.snapshot(), after_disable, "nothing written");
    assert_ne!(before, after_disable);

    // Started yesterday and running today is fine; the same processes again on a shared day
    // are not, other processes or the next days are.
    let all = w.oa.create_delegation(&bob, away(None, w.carol, None, "2026-01-04", "2026-01-07")).unwrap();
    let e = w.oa.create_delegation(&bob, away(None, w.dave, None, "2026-01-07", "2026-01-09")).unwrap_err();
    assert_eq!(fields(e.clone()), vec!["first_day"]);
    assert!(e.to_string().contains(&all.id.to_string()), "{e}");
    let only_p = w.oa.create_delegation(&bob, away(None, w.dave, Some("p"), "2026-01-05", "2026-01-06")).unwrap();
    let later = w.oa.create_delegation(&bob, away(None, w.dave, None, "2026-01-08", "2026-01-09")).unwrap();

    // Someone else's: an administrator only.
    let e = w.oa.create_delegation(&carol, away(Some(w.dave), w.carol, None, "2026-01-06", "2026-01-06")).unwrap_err();
    assert_eq!(e.code(), "permission_denied");
    let for_dave =
        w.oa.create_delegation(&w.admin, away(Some(w.dave), w.carol, None, "2026-01-06", "2026-01-06")).unwrap();
    assert_eq!((for_dave.owner, for_dave.created_by), (w.dave, w.admin_id));
    let e =
        w.oa.create_delegation(&w.admin, away(Some(w.erin), w.carol, None, "2026-01-06", "2026-01-06")).unwrap_err();
    assert_eq!(fields(e), vec!["owner"]);

    // Lists: mine, given to me, and every one for an administrator, newest first.
    let list = |p: crate::Page<Delegation>| p.items.into_iter().map(|d| d.id).collect::<Vec<_>>();
    let first = PageRequest::first(10);
    assert_eq!(list(w.oa.my_delegations(&bob, first.clone()).unwrap()), vec![later.id, only_p.id, all.id]);
    assert_eq!(list(w.oa.delegations_to_me(&carol, first.clone()).unwrap()), vec![for_dave.id, all.id]);
    assert_eq!(
        list(w.oa.all_delegations(&w.admin, first.clone()).unwrap()),
        vec![for_dave.id, later.id, only_p.id, all.id]
    );
    assert_eq!(w.oa.all_delegations(&carol, first.clone()).unwrap_err().code(), "permission_denied");
    let page = w.oa.my_delegations(&bob, PageRequest::first(2)).unwrap();
    assert_eq!(page.items.len(), 2);
    let rest = w.oa.my_delegations(&bob, PageRequest::after(page.next_cursor.unwrap(), 2)).unwrap();
    assert_eq!(list(rest), vec![all.id]);

    // Cancelling: the owner or an administrator, once, and not after it ended.
    assert_eq!(w.oa.cancel_delegation(&carol, all.id).unwrap_err().code(), "permission_denied");
    let c = w.oa.cancel_delegation(&bob, all.id).unwrap();
    assert_eq!((c.cancelled_at, c.cancelled_by), (Some(w.oa.now()), Some(w.bob)));
    assert_eq!(w.oa.cancel_delegation(&bob, all.id).unwrap_err().code(), "invalid_state");
    w.oa.cancel_delegation(&w.admin, for_dave.id).unwrap();
    // Once cancelled, the days are free again.
    w.oa.create_delegation(&bob, away(None, w.mgr, None, "2026-01-06", "2026-01-07")).unwrap();
    w.clock.set(at("2026-01-07T00:00:00Z"));
    let bob = w.sign_in_again("bob");
    assert_eq!(w.oa.cancel_delegation(&bob, only_p.id).unwrap_err().code(), "invalid_state", "it has ended");
}

#[test]
fn a_delegation_of_one_process_wins_over_one_of_every_process() {
    let w = W::new();
    one_step(&w, "p", w.bob);
    one_step(&w, "q", w.bob);
    delegate(&w, w.bob, &away(None, w.carol, None, "2026-01-05", "2026-01-09"));
    delegate(&w, w.bob, &away(None, w.dave, Some("p"), "2026-01-05", "2026-01-09"));
    let p = w.start(w.alice, "p", json!({})).unwrap();
    let q = w.start(w.alice, "q", json!({})).unwrap();
    assert_eq!(w.pending(p.id), vec![("a".to_string(), w.dave)]);
    assert_eq!(w.pending(q.id), vec![("a".to_string(), w.carol)]);
}

#[test]
fn chains_are_followed_and_stop_at_a_cycle_an_inactive_delegate_and_the_initiator() {
    let w = W::new();
    one_step(&w, "p", w.bob);
    one_step(&w, "m", w.mgr);
    one_step(&w, "b", w.boss);
    // bob → carol → dave → bob: a cycle; the task stops with dave, on bob's behalf.
    delegate(&w, w.bob, &away(None, w.carol, None, "2026-01-05", "2026-01-09"));
    delegate(&w, w.carol, &away(None, w.dave, None, "2026-01-05", "2026-01-09"));
    delegate(&w, w.dave, &away(None, w.bob, None, "2026-01-05", "2026-01-09"));
    let i = w.start(w.alice, "p", json!({})).unwrap();
    let t = only_task(&w, i.id);
    assert_eq!((t.assignee, t.on_behalf_of), (w.dave, Some(w.bob)));
    let r = history(&w, i.id, HistoryAction::Redirected);
    assert_eq!(
        r[0].detail,
        format!("on behalf of `{}`, by standing delegation: `{}` → `{}` → `{}`", w.bob, w.bob, w.carol, w.dave)
    );
    // mgr → erin, who left: no delegation.
    delegate(&w, w.mgr, &away(None, w.erin, None, "2026-01-05", "2026-01-09"));
    w.oa.disable_person(&w.admin, w.erin).unwrap();
    let j = w.start(w.alice, "m", json!({})).unwrap();
    assert_eq!(only_task(&w, j.id).assignee, w.mgr);
    assert!(history(&w, j.id, HistoryAction::Redirected).is_empty());
    // boss → alice, who started the request: she must not approve it for him.
    delegate(&w, w.boss, &away(None, w.alice, None, "2026-01-05", "2026-01-09"));
    let k = w.start(w.alice, "b", json!({})).unwrap();
    assert_eq!((only_task(&w, k.id).assignee, only_task(&w, k.id).on_behalf_of), (w.boss, None));
    // Someone else's request goes to alice for boss.
    let l = w.start(w.bob, "b", json!({})).unwrap();
    assert_eq!((only_task(&w, l.id).assignee, only_task(&w, l.id).on_behalf_of), (w.alice, Some(w.boss)));
}

#[test]
fn a_long_chain_stops_after_the_bound() {
    let w = W::new();
    one_step(&w, "p", w.bob);
    let chain = [w.bob, w.carol, w.dave, w.erin, w.mgr, w.boss, w.admin_id];
    for pair in chain.windows(2) {
        delegate(&w, pair[0], &away(None, pair[1], None, "2026-01-05", "2026-01-09"));
    }
    let i = w.start(w.alice, "p", json!({})).unwrap();
    let t = only_task(&w, i.id);
    assert_eq!(crate::workflow::runtime::MAX_DELEGATION_HOPS, 5);
    assert_eq!((t.assignee, t.on_behalf_of), (w.boss, Some(w.bob)), "five steps from bob");
}

#[test]
fn transfers_and_signers_reach_the_delegate_and_an_approval_for_someone_counts_as_theirs() {
    let w = W::new();
    // a (bob) → b (bob again; an approver who approved before passes automatically) → end.
    w.publish(
        "twice",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "b", people(&[w.bob]), json!({})),
            approval("b", "end", people(&[w.bob]), json!({"approved_before": "auto_approve"})),
            {"id": "end", "type": "end"}
        ]),
    );
    one_step(&w, "p", w.dave);
    delegate(&w, w.bob, &away(None, w.carol, None, "2026-01-05", "2026-01-09"));
    let i = w.start(w.alice, "twice", json!({})).unwrap();
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.inst(i.id).status, InstanceStatus::Approved, "b passed: bob approved a, through carol");
    assert_eq!(w.trail(i.id), vec!["a", "b"]);
    // dave hands his task to bob, who is away: carol gets it for bob.
    let j = w.start(w.alice, "p", json!({})).unwrap();
    let dt = w.task_of(j.id, w.dave);
    let bob = w.bob;
    let moved = w.act(w.dave, |rt, by| act::transfer(rt, by, dt, bob, "")).unwrap();
    assert_eq!((moved.assignee, moved.on_behalf_of, moved.seat), (w.carol, Some(w.bob), dt));
    // carol adds bob as a signer: he is away, and the chain never comes back to the person
    // who asks, so bob's task stays his.
    let before = w.act(w.carol, |rt, by| act::add_signer(rt, by, moved.id, bob, SignerPosition::Before)).unwrap();
    assert_eq!((before.assignee, before.on_behalf_of), (w.bob, None));
}

#[test]
fn a_task_the_delegate_hands_on_stays_the_owner_and_comes_back_to_him_as_his_own() {
    let w = W::new();
    one_step(&w, "p", w.bob);
    delegate(&w, w.bob, &away(None, w.carol, None, "2026-01-05", "2026-01-09"));
    let bob_s = w.session("bob", w.bob);
    let on_my_behalf = || {
        let page = w.oa.tasks_on_my_behalf(&bob_s, TaskQuery::default(), PageRequest::first(10)).unwrap();
        page.items.into_iter().map(|t| (t.assignee, t.status)).collect::<Vec<_>>()
    };
    // Carol, standing in for bob, hands his request to dave (转办): still bob's seat, and bob
    // sees where it went, newest first.
    let i = w.start(w.alice, "p", json!({})).unwrap();
    let ct = w.task_of(i.id, w.carol);
    let dave = w.dave;
    let dt = w.act(w.carol, |rt, by| act::transfer(rt, by, ct, dave, "dave knows this client")).unwrap();
    assert_eq!((dt.assignee, dt.on_behalf_of, dt.seat), (w.dave, Some(w.bob), ct));
    assert_eq!(on_my_behalf(), vec![(w.dave, TaskStatus::Pending), (w.carol, TaskStatus::Transferred)]);
    // An administrator moving it on (改派) keeps it bob's too.
    let s = w.admin_again();
    let et = w.oa.reassign_task(&s, dt.id, w.erin, "dave is off sick").unwrap();
    assert_eq!((et.assignee, et.on_behalf_of), (w.erin, Some(w.bob)));
    w.approve(i.id, w.erin).unwrap();
    assert_eq!(
        on_my_behalf(),
        vec![(w.erin, TaskStatus::Approved), (w.dave, TaskStatus::Transferred), (w.carol, TaskStatus::Transferred)]
    );
    assert_eq!(w.oa.instance(&bob_s, i.id).unwrap().instance.status, InstanceStatus::Approved);

    // Handed back to bob himself, it is his own task: nothing on his behalf.
    let j = w.start(w.alice, "p", json!({})).unwrap();
    let ct = w.task_of(j.id, w.carol);
    let bob = w.bob;
    let back = w.act(w.carol, |rt, by| act::transfer(rt, by, ct, bob, "")).unwrap();
    assert_eq!((back.assignee, back.on_behalf_of), (w.bob, None));
    // Handed to someone whose own delegation runs, it is on behalf of that person now.
    delegate(&w, w.dave, &away(None, w.erin, None, "2026-01-05", "2026-01-09"));
    let k = w.start(w.alice, "p", json!({})).unwrap();
    let ct = w.task_of(k.id, w.carol);
    let onward = w.act(w.carol, |rt, by| act::transfer(rt, by, ct, dave, "")).unwrap();
    assert_eq!((onward.assignee, onward.on_behalf_of), (w.erin, Some(w.dave)));
}

/// start → a (bob, who may edit `note`) → b (carol) → end.
fn two_steps(w: &W, key: &str) {
    w.publish(
        key,
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "b", people(&[w.bob]), json!({"fields": {"default": "read_only", "fields": {"note": "editable"}}, "returns": {"to": "initiator"}})),
            approval("b", "end", people(&[w.carol]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
}

fn todo(w: &W, s: &Session) -> Vec<(TaskId, TaskStatus)> {
    w.oa.todo(s, TaskQuery::default(), PageRequest::first(10))
        .unwrap()
        .items
        .into_iter()
        .map(|t| (t.id, t.status))
        .collect()
}

fn done(w: &W, s: &Session) -> Vec<TaskId> {
    ids(w.oa.done(s, TaskQuery::default(), PageRequest::first(10)).unwrap())
}

#[test]
fn a_delegated_task_comes_back_resolved_with_the_delegate_opinion() {
    let w = W::new();
    two_steps(&w, "dl");
    let (bob, dave) = (w.session("bob", w.bob), w.session("dave", w.dave));
    let i = w.start(w.alice, "dl", json!({"amount": 5, "note": "draft"})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let e = w.oa.delegate_task(&bob, t, w.bob, "").unwrap_err();
    assert_eq!(fields(e), vec!["to"]);
    let dt = w.oa.delegate_task(&bob, t, w.dave, "请核对金额").unwrap();
    assert_eq!((dt.assignee, dt.delegated_from, dt.seat, dt.status), (w.dave, Some(t), t, TaskStatus::Pending));
    // bob waits: his task is in his list, marked, but not in his badge; dave's counts for dave.
    assert_eq!(todo(&w, &bob), vec![(t, TaskStatus::Delegated)]);
    assert_eq!((w.oa.badge_counts(&bob).unwrap().todo, w.oa.badge_counts(&dave).unwrap().todo), (0, 1));
    assert_eq!(todo(&w, &dave), vec![(dt.id, TaskStatus::Pending)]);
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.dave)], "the node waits");
    // bob cannot decide while it is out; dave may only resolve it.
    assert_eq!(w.oa.approve(&bob, t, "", None).unwrap_err().code(), "invalid_state");
    let before = w.snapshot();
    let carol = w.carol;
    let refused = [
        w.act(w.dave, |rt, by| act::reject(rt, by, dt.id, "")).map(|_| ()),
        w.act(w.dave, |rt, by| act::return_task(rt, by, dt.id, &ReturnTarget::Initiator, "")).map(|_| ()),
        w.act(w.dave, |rt, by| act::transfer(rt, by, dt.id, carol, "")).map(|_| ()),
        w.act(w.dave, |rt, by| act::add_signer(rt, by, dt.id, carol, SignerPosition::Before)).map(|_| ()),
        w.act(w.dave, |rt, by| act::delegate_task(rt, by, dt.id, carol, "")).map(|_| ()),
    ];
    for r in refused {
        assert_eq!(r.unwrap_err().code(), "invalid_state");
    }
    let e = w.oa.approve(&dave, dt.id, "", Some(json!({"amount": 6}))).unwrap_err();
    assert_eq!(fields(e), vec!["form_edits.amount"], "the node's field permissions hold for the delegate");
    assert_eq!(w.snapshot(), before, "nothing written");

    let inst = w.oa.approve(&dave, dt.id, "金额无误", Some(json!({"note": "checked"}))).unwrap();
    assert_eq!((inst.status, inst.data["note"].clone()), (InstanceStatus::Running, json!("checked")));
    let resolved = w.tasks(i.id).into_iter().find(|x| x.id == dt.id).unwrap();
    assert_eq!((resolved.status, resolved.comment.as_str()), (TaskStatus::Resolved, "金额无误"));
    assert_eq!(todo(&w, &bob), vec![(t, TaskStatus::Pending)]);
    assert_eq!((w.oa.badge_counts(&bob).unwrap().todo, w.oa.badge_counts(&dave).unwrap().todo), (1, 0));
    assert!(todo(&w, &dave).is_empty());
    assert_eq!(done(&w, &dave), vec![dt.id]);
    assert!(done(&w, &bob).is_empty());
    assert_eq!(w.oa.approve(&dave, dt.id, "", None).unwrap_err().code(), "invalid_state", "resolved once");

    w.oa.approve(&bob, t, "同意", None).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    assert_eq!(done(&w, &bob), vec![t]);
    assert_eq!(w.trail(i.id), vec!["a"], "one vote at a: bob's");
    let h = w.oa.store().read(|tx| store::history(tx, i.id)).unwrap();
    let acts: Vec<(HistoryAction, Option<PersonId>, String)> = h
        .iter()
        .filter(|e| matches!(e.action, HistoryAction::Delegated | HistoryAction::Resolved | HistoryAction::Approved))
        .map(|e| (e.action, e.actor, e.comment.clone()))
        .collect();
    assert_eq!(
        acts,
        vec![
            (HistoryAction::Delegated, Some(w.bob), "请核对金额".to_string()),
            (HistoryAction::Resolved, Some(w.dave), "金额无误".to_string()),
            (HistoryAction::Approved, Some(w.bob), "同意".to_string()),
        ]
    );
    let resolved = h.iter().find(|e| e.action == HistoryAction::Resolved).unwrap();
    assert_eq!(resolved.changes, Some(json!({"note": {"from": "draft", "to": "checked"}})));
    assert_eq!(resolved.detail, format!("given back to `{}`", w.bob));
}

#[test]
fn the_owner_takes_a_delegated_task_back_before_it_is_resolved() {
    let w = W::new();
    two_steps(&w, "tb");
    let (bob, dave) = (w.session("bob", w.bob), w.session("dave", w.dave));
    let i = w.start(w.alice, "tb", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    assert_eq!(w.oa.take_back_task(&bob, t).unwrap_err().code(), "invalid_state", "not delegated");
    let dt = w.oa.delegate_task(&bob, t, w.dave, "").unwrap();
    assert_eq!(w.oa.take_back_task(&dave, t).unwrap_err().code(), "permission_denied");
    let back = w.oa.take_back_task(&bob, t).unwrap();
    assert_eq!((back.id, back.status), (t, TaskStatus::Pending));
    let gone = w.tasks(i.id).into_iter().find(|x| x.id == dt.id).unwrap();
    assert_eq!((gone.status, gone.acted_at), (TaskStatus::Withdrawn, None));
    assert!(todo(&w, &dave).is_empty());
    assert!(done(&w, &dave).is_empty(), "dave did nothing");
    assert_eq!((w.oa.badge_counts(&bob).unwrap().todo, w.oa.badge_counts(&dave).unwrap().todo), (1, 0));
    assert_eq!(w.oa.approve(&dave, dt.id, "", None).unwrap_err().code(), "invalid_state");
    assert_eq!(w.oa.take_back_task(&bob, t).unwrap_err().code(), "invalid_state", "taken back once");
    let h = history(&w, i.id, HistoryAction::TakenBack);
    assert_eq!((h.len(), h[0].actor, h[0].detail.clone()), (1, Some(w.bob), format!("taken back from `{}`", w.dave)));
    // Delegated again, to erin, then returned by bob himself: every open task closes.
    let et = w.oa.delegate_task(&bob, t, w.erin, "").unwrap();
    assert_eq!(w.oa.return_task(&bob, t, ReturnTarget::Initiator, "").unwrap_err().code(), "invalid_state");
    w.oa.take_back_task(&bob, t).unwrap();
    w.oa.return_task(&bob, t, ReturnTarget::Initiator, "redo").unwrap();
    let tasks = w.tasks(i.id);
    assert_eq!(tasks.iter().find(|x| x.id == et.id).unwrap().status, TaskStatus::Withdrawn);
    assert_eq!(w.oa.badge_counts(&bob).unwrap().todo, 0);
}

#[test]
fn a_delegate_who_left_is_replaced_by_someone_who_also_gives_the_task_back() {
    let w = W::new();
    two_steps(&w, "rd");
    let bob = w.session("bob", w.bob);
    let i = w.start(w.alice, "rd", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let dt = w.oa.delegate_task(&bob, t, w.dave, "请核对").unwrap();
    w.oa.disable_person(&w.admin_again(), w.dave).unwrap();
    let et = w.oa.reassign_task(&w.admin_again(), dt.id, w.erin, "dave left").unwrap();
    assert_eq!((et.assignee, et.delegated_from, et.seat), (w.erin, Some(t), t));
    // Erin deals with it as dave would have: her approval gives bob his task back, no vote.
    let erin = w.erin;
    w.act(erin, |rt, by| act::approve(rt, by, et.id, "checked", None)).unwrap();
    let status = |id: TaskId| w.tasks(i.id).into_iter().find(|x| x.id == id).unwrap().status;
    assert_eq!((status(et.id), status(t)), (TaskStatus::Resolved, TaskStatus::Pending));
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob)]);
}

#[test]
fn a_countersign_waits_while_a_seat_is_delegated_and_a_withdrawn_approval_restores_it() {
    let w = W::new();
    w.publish(
        "cs",
        json!([
            {"id": "start", "type": "start", "next": "n"},
            approval("n", "after", people(&[w.bob, w.carol]), json!({"method": "all"})),
            approval("after", "end", people(&[w.erin]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    w.publish(
        "any",
        json!([
            {"id": "start", "type": "start", "next": "n"},
            approval("n", "after", people(&[w.bob, w.carol]), json!({"method": "any"})),
            approval("after", "end", people(&[w.erin]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    let dave = w.dave;
    let i = w.start(w.alice, "cs", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let dt = w.act(w.bob, |rt, by| act::delegate_task(rt, by, t, dave, "")).unwrap();
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.dave)], "bob's seat is still open");
    w.act(w.dave, |rt, by| act::approve(rt, by, dt.id, "", None)).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.bob)], "a resolution is no vote");
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(w.pending(i.id), vec![("after".to_string(), w.erin)]);

    // Any-of: carol's approval closes bob's delegated seat; carol takes it back, and bob's
    // task waits for dave again.
    let j = w.start(w.alice, "any", json!({})).unwrap();
    let t = w.task_of(j.id, w.bob);
    let dt = w.act(w.bob, |rt, by| act::delegate_task(rt, by, t, dave, "")).unwrap();
    w.approve(j.id, w.carol).unwrap();
    let status = |id: TaskId| w.tasks(j.id).into_iter().find(|x| x.id == id).unwrap().status;
    assert_eq!((status(t), status(dt.id)), (TaskStatus::Cancelled, TaskStatus::Cancelled));
    assert_eq!(badge(&w, w.dave), 0);
    w.act(w.carol, |rt, by| act::withdraw(rt, by, j.id)).unwrap();
    assert_eq!((status(t), status(dt.id)), (TaskStatus::Delegated, TaskStatus::Pending));
    assert_eq!((badge(&w, w.bob), badge(&w, w.dave)), (0, 1));
}

#[test]
fn removing_a_signer_who_delegated_their_task_closes_both() {
    let w = W::new();
    two_steps(&w, "rs");
    let (dave, erin) = (w.dave, w.erin);
    let i = w.start(w.alice, "rs", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let st = w.act(w.bob, |rt, by| act::add_signer(rt, by, t, dave, SignerPosition::Before)).unwrap();
    let et = w.act(w.dave, |rt, by| act::delegate_task(rt, by, st.id, erin, "")).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.erin)]);
    w.act(w.bob, |rt, by| act::remove_signer(rt, by, st.id)).unwrap();
    let status = |id: TaskId| w.tasks(i.id).into_iter().find(|x| x.id == id).unwrap().status;
    assert_eq!(
        (status(st.id), status(et.id), status(t)),
        (TaskStatus::Cancelled, TaskStatus::Cancelled, TaskStatus::Pending)
    );
    assert_eq!((badge(&w, w.bob), badge(&w, w.dave), badge(&w, w.erin)), (1, 0, 0));
}
