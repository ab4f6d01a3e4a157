//! Process monitoring and an administrator's actions, through the public operations: a Tuesday
//! at the office where instances wait at their nodes and age on a manual clock, deadlines
//! pass, approvers leave, tasks are reassigned and a corrected process takes over the
//! instances under way.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::json;

use super::*;
use crate::audit::AuditQuery;
use crate::form::NewForm;
use crate::perm::{DataScope, NewGrant, NewRole};
use crate::workflow::runtime::act;
use crate::workflow::runtime::model::{HistoryAction, HistoryEntry, InstanceStatus, SignerPosition};
use crate::workflow::runtime::monitor::{self, mean, nearest_rank, NodeCount, NodeTime, StuckReason};
use crate::PageRequest;

/// 2026-01-06, a Tuesday, at `h:m` in the office's time zone (+08:00, working 09:00–12:00 and
/// 13:30–18:00).
fn tue(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 6, h - 8, m, 0).unwrap()
}

/// A fresh administrator session: the clock moves by hours and days here.
fn admin(w: &W) -> Session {
    w.oa.sign_in("admin", ADMIN_PW).unwrap()
}

/// start → a (bob, with `a_extra` settings) → b (carol) → end.
fn two_nodes(w: &W, key: &str, a_extra: Value) -> ProcessDefinition {
    w.publish(
        key,
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "b", people(&[w.bob]), a_extra),
            approval("b", "end", people(&[w.carol]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    )
}

fn history(w: &W, id: InstanceId) -> Vec<HistoryEntry> {
    w.oa.store().read(|tx| store::history(tx, id)).unwrap()
}

fn task(w: &W, id: TaskId) -> Task {
    w.oa.store().read(|tx| store::require_task(tx, id)).unwrap()
}

fn audited(w: &W, operation: &str, target: String) -> usize {
    let q = AuditQuery { operation: Some(operation.into()), target: Some(target), ..Default::default() };
    w.oa.list_audit(&admin(w), q, PageRequest::first(100)).unwrap().items.len()
}

#[test]
fn instances_wait_at_each_node_longest_first_with_elapsed_and_working_time() {
    let w = W::new();
    two_nodes(&w, "trip", json!({}));
    w.clock.set(tue(9, 0));
    let i1 = w.start(w.alice, "trip", json!({})).unwrap();
    w.clock.set(tue(10, 0));
    let i2 = w.start(w.alice, "trip", json!({})).unwrap();
    w.clock.set(tue(11, 0));
    w.approve(i1.id, w.bob).unwrap();
    w.clock.set(tue(12, 0));
    let i3 = w.start(w.alice, "trip", json!({})).unwrap();
    w.clock.set(tue(15, 0));
    let s = admin(&w);
    assert_eq!(
        w.oa.node_counts(&s, "trip").unwrap(),
        vec![
            NodeCount { node: "a".into(), waiting: 2, oldest_entered_at: tue(10, 0) },
            NodeCount { node: "b".into(), waiting: 1, oldest_entered_at: tue(11, 0) },
        ]
    );
    let waits = |node: &str| {
        let page = w.oa.waiting_at_node(&s, "trip", node, PageRequest::first(10)).unwrap();
        assert_eq!(page.next_cursor, None);
        page.items
            .into_iter()
            .map(|x| (x.instance, x.entered_at, x.waited_seconds, x.waited_working_minutes, x.assignees))
            .collect::<Vec<_>>()
    };
    // 10:00 to 15:00 is five hours, of which 10:00–12:00 and 13:30–15:00 are working time.
    assert_eq!(
        waits("a"),
        vec![(i2.id, tue(10, 0), 5 * 3600, 120 + 90, vec![w.bob]), (i3.id, tue(12, 0), 3 * 3600, 90, vec![w.bob])]
    );
    assert_eq!(waits("b"), vec![(i1.id, tue(11, 0), 4 * 3600, 60 + 90, vec![w.carol])], "since it reached b");
    let first = w.oa.waiting_at_node(&s, "trip", "a", PageRequest::first(1)).unwrap();
    let cursor = first.next_cursor.clone().unwrap();
    let second = w.oa.waiting_at_node(&s, "trip", "a", PageRequest::after(cursor, 1)).unwrap();
    assert_eq!((first.items[0].instance, second.items[0].instance, second.next_cursor), (i2.id, i3.id, None));
    let at_a = w.oa.instances_at_node(&s, "trip", "a", PageRequest::first(10)).unwrap();
    assert_eq!(at_a.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![i2.id, i3.id], "longest waiting first");
    // An instance that ends leaves the counts.
    w.clock.set(tue(16, 0));
    w.approve(i1.id, w.carol).unwrap();
    let counts = w.oa.node_counts(&admin(&w), "trip").unwrap();
    assert_eq!(counts, vec![NodeCount { node: "a".into(), waiting: 2, oldest_entered_at: tue(10, 0) }]);
    let s = admin(&w);
    assert_eq!(code(w.oa.node_counts(&s, "nope").unwrap_err()), "not_found");
    assert_eq!(code(w.oa.waiting_at_node(&s, "nope", "a", PageRequest::first(1)).unwrap_err()), "not_found");
}

#[test]
fn overdue_tasks_are_measured_against_the_deadline_reminders_do_not_move() {
    let w = W::new();
    let hour = json!({"amount": 1, "unit": "hours"});
    let remind =
        |after: Value| json!({"deadline": {"after": after, "action": "remind", "repeat": {"every": hour, "times": 3}}});
    two_nodes(&w, "visit", remind(json!({"amount": 2, "unit": "hours"})));
    w.publish(
        "memo",
        json!([
            {"id": "start", "type": "start", "next": "m"},
            approval("m", "end", people(&[w.dave]), remind(hour.clone())),
            {"id": "end", "type": "end"}
        ]),
    );
    w.clock.set(tue(9, 0));
    let i1 = w.start(w.alice, "visit", json!({})).unwrap();
    w.clock.set(tue(9, 30));
    let i2 = w.start(w.alice, "visit", json!({})).unwrap();
    let m1 = w.start(w.alice, "memo", json!({})).unwrap();
    let (t1, t2, tm) = (w.task_of(i1.id, w.bob), w.task_of(i2.id, w.bob), w.task_of(m1.id, w.dave));
    let overdue = |process: Option<&str>, at: Option<DateTime<Utc>>| {
        let page = w.oa.overdue_tasks(&admin(&w), process, at, PageRequest::first(10)).unwrap();
        page.items.into_iter().map(|o| (o.task.id, o.overdue_seconds, o.overdue_working_minutes)).collect::<Vec<_>>()
    };
    assert_eq!(overdue(None, None), vec![], "nothing is due yet");
    // At 11:00 the reminders go out and move each task's next due instant, not its deadline.
    w.clock.set(tue(11, 0));
    assert_eq!(w.oa.process_due(&admin(&w), tue(11, 0)).unwrap().reminded, vec![tm, t1]);
    let reminded = task(&w, t1);
    assert_eq!(reminded.deadline_at, Some(tue(11, 0)));
    assert_ne!(reminded.due_at, reminded.deadline_at);
    w.clock.set(tue(11, 45));
    assert_eq!(
        overdue(None, None),
        vec![(tm, 75 * 60, 75), (t1, 45 * 60, 45), (t2, 15 * 60, 15)],
        "most overdue first, whatever the process"
    );
    assert_eq!(overdue(Some("visit"), None), vec![(t1, 45 * 60, 45), (t2, 15 * 60, 15)]);
    assert_eq!(overdue(Some("visit"), Some(tue(11, 0))), vec![(t1, 0, 0)], "a task due at that instant counts");
    assert_eq!(overdue(Some("memo"), Some(tue(10, 29))), vec![]);
    let first = w.oa.overdue_tasks(&admin(&w), None, None, PageRequest::first(2)).unwrap();
    let rest = w.oa.overdue_tasks(&admin(&w), None, None, PageRequest::after(first.next_cursor.unwrap(), 2)).unwrap();
    assert_eq!(rest.items.iter().map(|o| o.task.id).collect::<Vec<_>>(), vec![t2]);
    // Approving takes a task off the list; a transfer hands the seat's deadline on.
    w.approve(i1.id, w.bob).unwrap();
    let t3 = w.act(w.bob, |rt, by| act::transfer(rt, by, t2, w.erin, "please")).unwrap().id;
    assert_eq!(task(&w, t3).deadline_at, Some(tue(11, 30)));
    assert_eq!(overdue(Some("visit"), None), vec![(t3, 15 * 60, 15)]);
    // Past noon, the lunch break is not working time.
    assert_eq!(overdue(Some("visit"), Some(tue(14, 0))), vec![(t3, 150 * 60, 30 + 30)]);
    assert_eq!(
        code(w.oa.overdue_tasks(&admin(&w), Some("nope"), None, PageRequest::first(1)).unwrap_err()),
        "not_found"
    );
}

#[test]
fn signers_before_and_beside_get_the_node_deadline_counted_in_working_time_from_when_added() {
    let w = W::new();
    two_nodes(&w, "quote", json!({"deadline": {"after": {"amount": 2, "unit": "hours"}, "action": "remind"}}));
    w.clock.set(tue(9, 0));
    let i = w.start(w.alice, "quote", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    assert_eq!(task(&w, t).deadline_at, Some(tue(11, 0)));
    // At 16:00 bob asks erin to approve beside him (并加签): two working hours, by 18:00.
    w.clock.set(tue(16, 0));
    let erin = w.erin;
    let et = w.act(w.bob, |rt, by| act::add_signer(rt, by, t, erin, SignerPosition::Alongside)).unwrap();
    assert_eq!((et.deadline_at, et.due_at), (Some(tue(18, 0)), Some(tue(18, 0))));
    // At 17:00 he asks dave to look first (前加签): one hour today, one tomorrow from 09:00.
    w.clock.set(tue(17, 0));
    let dave = w.dave;
    let dt = w.act(w.bob, |rt, by| act::add_signer(rt, by, t, dave, SignerPosition::Before)).unwrap();
    let wed = |h: u32, m: u32| tue(h, m) + Duration::days(1);
    assert_eq!((dt.deadline_at, dt.due_at), (Some(wed(10, 0)), Some(wed(10, 0))));
    // Wednesday 10:30: bob's seat waits for dave, and it is dave's task that is overdue; bob's
    // own, set aside, is not listed.
    w.clock.set(wed(10, 30));
    let page = w.oa.overdue_tasks(&admin(&w), Some("quote"), None, PageRequest::first(10)).unwrap();
    let overdue: Vec<_> =
        page.items.into_iter().map(|o| (o.task.id, o.overdue_seconds, o.overdue_working_minutes)).collect();
    assert_eq!(overdue, vec![(et.id, (16 * 60 + 30) * 60, 90), (dt.id, 30 * 60, 30)]);
    // Their deadlines act as the node says: each is reminded.
    assert_eq!(w.oa.process_due(&admin(&w), wed(10, 30)).unwrap().reminded, vec![et.id, dt.id]);
}

#[test]
fn a_delegated_seat_is_overdue_through_the_delegate_task_with_the_owner_deadline() {
    let w = W::new();
    two_nodes(&w, "audit", json!({"deadline": {"after": {"amount": 2, "unit": "hours"}, "action": "remind"}}));
    w.clock.set(tue(9, 0));
    let i = w.start(w.alice, "audit", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    // At 09:30 bob asks dave to check the figures and give it back (委派).
    w.clock.set(tue(9, 30));
    let dave = w.dave;
    let dt = w.act(w.bob, |rt, by| act::delegate_task(rt, by, t, dave, "check the figures")).unwrap();
    assert_eq!((dt.deadline_at, dt.due_at), (Some(tue(11, 0)), None), "the owner's deadline; its handling stays his");
    let overdue = |at: DateTime<Utc>| {
        let page = w.oa.overdue_tasks(&admin(&w), Some("audit"), Some(at), PageRequest::first(10)).unwrap();
        page.items.into_iter().map(|o| (o.task.id, o.task.assignee, o.overdue_seconds)).collect::<Vec<_>>()
    };
    w.clock.set(tue(11, 30));
    assert_eq!(overdue(tue(11, 30)), vec![(dt.id, w.dave, 30 * 60)], "dave holds the seat: one line, his");
    // Dave gives it back: bob's own task is the overdue one again.
    w.act(w.dave, |rt, by| act::approve(rt, by, dt.id, "figures fine", None)).unwrap();
    assert_eq!(overdue(tue(11, 30)), vec![(t, w.bob, 30 * 60)]);
}

#[test]
fn stuck_instances_wait_for_people_who_left_until_their_task_is_reassigned() {
    let w = W::new();
    two_nodes(&w, "buy", json!({}));
    w.publish(
        "pair",
        json!([
            {"id": "start", "type": "start", "next": "p"},
            approval("p", "end", people(&[w.carol, w.dave]), json!({"method": "any"})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i1 = w.start(w.alice, "buy", json!({})).unwrap();
    let i2 = w.start(w.alice, "pair", json!({})).unwrap();
    let i3 = w.start(w.alice, "buy", json!({})).unwrap();
    w.approve(i3.id, w.bob).unwrap();
    let s = admin(&w);
    let stuck = |process: Option<&str>| {
        let page = w.oa.stuck_instances(&admin(&w), process, PageRequest::first(10)).unwrap();
        assert_eq!(page.next_cursor, None);
        page.items.into_iter().map(|x| (x.instance, x.node, x.reason, x.assignees)).collect::<Vec<_>>()
    };
    assert_eq!(stuck(None), vec![]);
    w.oa.disable_person(&s, w.bob).unwrap();
    assert_eq!(stuck(None), vec![(i1.id, "a".to_string(), StuckReason::NoActiveAssignee, vec![w.bob])]);
    // Carol leaves: the any-of node still has dave, but i3 waits for carol alone.
    w.oa.disable_person(&s, w.carol).unwrap();
    assert_eq!(
        stuck(None),
        vec![
            (i1.id, "a".to_string(), StuckReason::NoActiveAssignee, vec![w.bob]),
            (i3.id, "b".to_string(), StuckReason::NoActiveAssignee, vec![w.carol]),
        ]
    );
    assert_eq!(stuck(Some("pair")), vec![]);
    w.oa.disable_person(&s, w.dave).unwrap();
    let pair = vec![(i2.id, "p".to_string(), StuckReason::NoActiveAssignee, vec![w.carol, w.dave])];
    assert_eq!(stuck(Some("pair")), pair);
    // Reassigning bob's task unsticks i1.
    w.oa.reassign_task(&s, w.task_of(i1.id, w.bob), w.erin, "bob is on leave").unwrap();
    assert_eq!(stuck(Some("buy")), vec![(i3.id, "b".to_string(), StuckReason::NoActiveAssignee, vec![w.carol])]);
    // A node left without a pending task is stuck too.
    let tc = w.task_of(i3.id, w.carol);
    w.act(w.admin_id, |rt, _| {
        let mut t = store::require_task(rt.tx.as_read(), tc)?;
        t.status = TaskStatus::Cancelled;
        store::save_task(rt.tx, &t)
    })
    .unwrap();
    assert_eq!(stuck(Some("buy")), vec![(i3.id, "b".to_string(), StuckReason::NoPendingTask, vec![])]);
    // Pages of one.
    let first = w.oa.stuck_instances(&s, None, PageRequest::first(1)).unwrap();
    let next = w.oa.stuck_instances(&s, None, PageRequest::after(first.next_cursor.unwrap(), 1)).unwrap();
    assert_eq!((first.items[0].instance, next.items[0].instance, next.next_cursor), (i3.id, i2.id, None));
    // With a budget of one entry per call, a call that examined no stuck instance still
    // returns a cursor to go on from.
    let principal = w.oa.principal(&s).unwrap();
    let budgeted = |cursor: Option<String>| {
        let page = PageRequest { cursor, limit: 10 };
        let got = w.oa.store().read(|tx| monitor::stuck_instances(tx, &principal, None, &page, 1)).unwrap();
        (got.items.iter().map(|x| x.instance).collect::<Vec<_>>(), got.next_cursor)
    };
    let (items, c1) = budgeted(None);
    assert_eq!(items, vec![], "i1, examined first, is no longer stuck");
    let (items, c2) = budgeted(c1);
    assert_eq!(items, vec![i3.id]);
    let (items, c3) = budgeted(c2);
    assert_eq!((items, c3), (vec![i2.id], None));
}

#[test]
fn time_per_node_over_a_period_shows_the_slow_node_first() {
    let w = W::new();
    two_nodes(&w, "claim", json!({}));
    w.publish(
        "selfie",
        json!([
            {"id": "start", "type": "start", "next": "me"},
            approval("me", "b", json!({"strategy": "initiator"}), json!({"initiator_is_approver": "auto_approve"})),
            approval("b", "end", people(&[w.carol]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    w.clock.set(tue(9, 0));
    let ids: Vec<InstanceId> = (0..10).map(|_| w.start(w.alice, "claim", json!({})).unwrap().id).collect();
    let own = w.start(w.alice, "selfie", json!({})).unwrap();
    // Bob takes 10, 20, … 100 minutes; carol approves everything at 14:00.
    for (k, id) in ids.iter().enumerate() {
        w.clock.set(tue(9, 0) + Duration::minutes(10 * (k as i64 + 1)));
        w.approve(*id, w.bob).unwrap();
    }
    w.clock.set(tue(14, 0));
    for id in ids.iter().chain([&own.id]) {
        w.approve(*id, w.carol).unwrap();
    }
    let s = admin(&w);
    let a = NodeTime {
        node: "a".into(),
        node_name: "a".into(),
        completed: 10,
        avg_seconds: 3300,
        p90_seconds: 5400,
        avg_working_minutes: 55,
        p90_working_minutes: 90,
    };
    // b's tasks waited from 09:10…10:40 to 14:00: 290…200 minutes, 200…110 of them working.
    let b = NodeTime {
        node: "b".into(),
        node_name: "b".into(),
        completed: 10,
        avg_seconds: 14700,
        p90_seconds: 16800,
        avg_working_minutes: 155,
        p90_working_minutes: 190,
    };
    let day = tue(9, 0) + Duration::days(1);
    assert_eq!(w.oa.node_times(&s, "claim", tue(9, 0), day).unwrap(), vec![b.clone(), a.clone()]);
    assert_eq!(w.oa.node_times(&s, "claim", tue(9, 0), tue(14, 0)).unwrap(), vec![a], "the end is excluded");
    assert_eq!(w.oa.node_times(&s, "claim", tue(14, 0), day).unwrap(), vec![b]);
    // The automatic approval at creation took nobody any time.
    let selfie = w.oa.node_times(&s, "selfie", tue(9, 0), day).unwrap();
    assert_eq!(selfie.iter().map(|t| (t.node.as_str(), t.completed)).collect::<Vec<_>>(), vec![("b", 1)]);
    assert_eq!(w.oa.node_times(&s, "claim", day, day).unwrap_err().field_errors()[0].path, "to");
    assert_eq!(code(w.oa.node_times(&s, "nope", tue(9, 0), day).unwrap_err()), "not_found");
}

#[test]
fn the_90th_percentile_is_the_nearest_rank_and_the_mean_rounds_to_the_nearest() {
    let cases: Vec<(Vec<u64>, Option<u64>)> = vec![
        (vec![], None),
        (vec![7], Some(7)),
        (vec![1, 2], Some(2)),
        (vec![5, 5, 5, 100], Some(100)),
        ((1..=10).collect(), Some(9)),
        ((1..=11).collect(), Some(10)),
        ((1..=20).collect(), Some(18)),
        ((1..=100).collect(), Some(90)),
    ];
    for (values, p90) in cases {
        assert_eq!(nearest_rank(&values, 90), p90, "p90 of {values:?}");
    }
    assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
    assert_eq!(nearest_rank(&[1, 2, 3, 4], 100), Some(4));
    for (values, avg) in
        [(vec![], 0), (vec![1, 2], 2), (vec![1, 2, 2], 2), (vec![1, 1, 2], 1), (vec![u64::MAX; 3], u64::MAX)]
    {
        assert_eq!(mean(&values), avg, "mean of {values:?}");
    }
}

proptest! {
    #[test]
    fn the_90th_percentile_is_the_smallest_value_90_percent_do_not_exceed(
        mut values in proptest::collection::vec(0u64..500, 1..300)
    ) {
        values.sort_unstable();
        let p = nearest_rank(&values, 90).unwrap();
        let n = values.len();
        prop_assert!(values.contains(&p));
        prop_assert!(values.iter().filter(|v| **v <= p).count() * 10 >= n * 9);
        prop_assert!(values.iter().filter(|v| **v < p).count() * 10 < n * 9);
    }
}

#[test]
fn an_administrator_reassigns_the_task_of_someone_who_left() {
    let w = W::new();
    two_nodes(&w, "leave", json!({"deadline": {"after": {"amount": 1, "unit": "days"}, "action": "remind"}}));
    w.clock.set(tue(9, 0));
    let i = w.start(w.alice, "leave", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let before = task(&w, t);
    let s = admin(&w);
    w.oa.disable_person(&s, w.bob).unwrap();
    w.clock.set(tue(10, 0));
    let next = w.oa.reassign_task(&admin(&w), t, w.erin, "bob left the company").unwrap();
    assert_eq!(
        (next.assignee, next.seat, next.status, next.deadline_at, next.due_at),
        (w.erin, before.seat, TaskStatus::Pending, before.deadline_at, before.due_at),
        "the same seat and deadline"
    );
    assert!(before.deadline_at.is_some());
    let old = task(&w, t);
    assert_eq!((old.status, old.auto, old.comment.as_str()), (TaskStatus::Transferred, true, "bob left the company"));
    let done_by_bob =
        w.oa.store()
            .scan(
                &oa_storage::KeyRange::prefix(super::super::model::keys::done(w.bob).as_bytes()),
                oa_storage::Direction::Forward,
                10,
            )
            .unwrap();
    assert!(done_by_bob.is_empty(), "bob did not act");
    let badge = |p| w.oa.store().read(|tx| store::badge_counts(tx, p)).unwrap().todo;
    assert_eq!((badge(w.bob), badge(w.erin)), (0, 1));
    let last = history(&w, i.id).pop().unwrap();
    assert_eq!(
        (last.action, last.actor, last.node.as_deref(), last.task, last.comment.as_str()),
        (HistoryAction::Reassigned, Some(w.admin_id), Some("a"), Some(t), "bob left the company")
    );
    assert_eq!(last.detail, format!("reassigned from `{}` to `{}`", w.bob, w.erin));
    assert_eq!(audited(&w, "workflow.task.reassign", format!("instance:{}", i.id)), 1);
    // Bob's task is closed: moving it again is refused for that, whoever it would go to, even
    // erin, who holds the seat now.
    for to in [w.erin, w.dave] {
        let e = w.oa.reassign_task(&admin(&w), t, to, "again").unwrap_err();
        assert_eq!(code(e), "invalid_state", "a closed task, to {to}");
    }
    // Erin approves in bob's place and the instance goes on.
    w.approve(i.id, w.erin).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    let tc = w.task_of(i.id, w.carol);
    let refused =
        |task: TaskId, to: PersonId, reason: &str| w.oa.reassign_task(&admin(&w), task, to, reason).unwrap_err();
    assert_eq!(code(refused(t, w.dave, "again")), "invalid_state", "a closed task");
    assert_eq!(refused(tc, w.dave, " ").field_errors()[0].path, "reason");
    assert_eq!(refused(tc, w.bob, "x").field_errors()[0].path, "to", "bob is disabled");
    assert_eq!(refused(tc, w.carol, "x").field_errors()[0].path, "to", "carol holds it already");
    let dave = w.session("dave", w.dave);
    assert_eq!(code(w.oa.reassign_task(&dave, tc, w.erin, "x").unwrap_err()), "permission_denied");
    w.oa.terminate(&admin(&w), i.id, "cancelled trip").unwrap();
    assert_eq!(code(refused(tc, w.dave, "x")), "invalid_state", "an ended instance");
    assert_eq!(code(refused(TaskId(crate::Id(7)), w.dave, "x")), "not_found");
}

#[test]
fn a_task_waiting_behind_a_signer_is_reassigned_where_it_waits() {
    let w = W::new();
    two_nodes(&w, "buy", json!({"deadline": {"after": {"amount": 1, "unit": "days"}, "action": "remind"}}));
    let i = w.start(w.alice, "buy", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let dave = w.dave;
    // Bob asks dave to look first (前加签), then leaves the company.
    let dt = w.act(w.bob, |rt, by| act::add_signer(rt, by, t, dave, SignerPosition::Before)).unwrap();
    w.oa.disable_person(&admin(&w), w.bob).unwrap();
    let waiting = task(&w, t);
    assert_eq!(waiting.status, TaskStatus::Waiting);
    let next = w.oa.reassign_task(&admin(&w), t, w.erin, "bob left the company").unwrap();
    assert_eq!(
        (next.assignee, next.status, next.seat, next.deadline_at, next.added_by),
        (w.erin, TaskStatus::Waiting, waiting.seat, waiting.deadline_at, None),
        "erin waits where bob waited, with the seat's deadline"
    );
    assert_eq!((task(&w, t).status, task(&w, t).auto), (TaskStatus::Transferred, true));
    let badge = |p| w.oa.store().read(|tx| store::badge_counts(tx, p)).unwrap().todo;
    assert_eq!((badge(w.bob), badge(w.erin), badge(w.dave)), (0, 0, 1), "nothing for erin to do yet");
    assert_eq!(code(w.oa.reassign_task(&admin(&w), next.id, w.dave, "x").unwrap_err()), "validation");
    // Dave approves: the seat comes back to erin, not to bob.
    w.act(w.dave, |rt, by| act::approve(rt, by, dt.id, "looked", None)).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.erin)]);
    assert_eq!(badge(w.erin), 1);
    w.approve(i.id, w.erin).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);

    // In turn (依次), an approver whose turn has not come holds no task yet; once it comes, a
    // task for someone who left is pending, the instance is stuck, and it is reassigned.
    w.publish(
        "turns",
        json!([
            {"id": "start", "type": "start", "next": "n"},
            approval("n", "end", people(&[w.carol, w.dave]), json!({"method": "in_turn"})),
            {"id": "end", "type": "end"}
        ]),
    );
    let j = w.start(w.alice, "turns", json!({})).unwrap();
    w.oa.disable_person(&admin(&w), w.dave).unwrap();
    w.approve(j.id, w.carol).unwrap();
    let stuck = w.oa.stuck_instances(&admin(&w), Some("turns"), PageRequest::first(10)).unwrap().items;
    assert_eq!(stuck.iter().map(|s| (s.instance, s.assignees.clone())).collect::<Vec<_>>(), vec![(j.id, vec![w.dave])]);
    w.oa.reassign_task(&admin(&w), w.task_of(j.id, w.dave), w.erin, "dave left").unwrap();
    w.approve(j.id, w.erin).unwrap();
    assert_eq!(w.inst(j.id).status, InstanceStatus::Approved);
}

#[test]
fn a_corrected_process_takes_over_the_instances_waiting_at_nodes_it_kept() {
    let w = W::new();
    two_nodes(&w, "buy", json!({}));
    let i1 = w.start(w.alice, "buy", json!({})).unwrap();
    let i2 = w.start(w.alice, "buy", json!({})).unwrap();
    w.approve(i2.id, w.bob).unwrap();
    let kept = w.task_of(i1.id, w.bob);
    // Version 2 sends purchases to dave instead of carol: node b is gone.
    let v2 = w.publish(
        "buy",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "c", people(&[w.bob]), json!({})),
            approval("c", "end", people(&[w.dave]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    assert_eq!(v2.version, 2);
    let s = admin(&w);
    let report = w.oa.migrate_instances(&s, "buy", 1, 2).unwrap();
    assert_eq!(report.migrated, vec![i1.id]);
    let refusals: Vec<_> = report
        .refused
        .iter()
        .map(|r| (r.instance, r.code.as_str(), r.fields.iter().map(|f| f.path.as_str()).collect::<Vec<_>>()))
        .collect();
    assert_eq!(refusals, vec![(i2.id, "validation", vec!["nodes[b]"])]);
    assert!(report.refused[0].fields[0].reason.contains("`b`"), "{:?}", report.refused[0]);
    let moved = w.inst(i1.id);
    assert_eq!((moved.process_version, moved.status), (2, InstanceStatus::Running));
    assert_eq!(w.task_of(i1.id, w.bob), kept, "its task and assignee stay");
    let last = history(&w, i1.id).pop().unwrap();
    assert_eq!((last.action, last.actor), (HistoryAction::Migrated, Some(w.admin_id)));
    assert_eq!(last.detail, "moved from version 1 to version 2");
    assert_eq!(audited(&w, "workflow.instance.migrate", format!("instance:{}", i1.id)), 1);
    // i1 follows version 2's path to its end.
    w.approve(i1.id, w.bob).unwrap();
    assert_eq!(w.pending(i1.id), vec![("c".to_string(), w.dave)]);
    w.approve(i1.id, w.dave).unwrap();
    assert_eq!((w.inst(i1.id).status, w.trail(i1.id)), (InstanceStatus::Approved, vec!["a".into(), "c".into()]));
    // i2 cannot move alone either, and finishes on version 1.
    let e = w.oa.migrate_instance(&s, i2.id, 2).unwrap_err();
    assert_eq!(e.field_errors().iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), vec!["nodes[b]"]);
    w.approve(i2.id, w.carol).unwrap();
    assert_eq!((w.inst(i2.id).process_version, w.trail(i2.id)), (1, vec!["a".into(), "b".into()]));
    assert_eq!(w.oa.migrate_instances(&s, "buy", 1, 2).unwrap(), Default::default(), "nothing runs version 1");
    // What cannot be asked.
    assert_eq!(code(w.oa.migrate_instance(&s, i2.id, 2).unwrap_err()), "invalid_state", "an ended instance");
    let i3 = w.start(w.alice, "buy", json!({})).unwrap();
    assert_eq!(w.oa.migrate_instance(&s, i3.id, 2).unwrap_err().field_errors()[0].path, "to_version");
    assert_eq!(w.oa.migrate_instances(&s, "buy", 2, 2).unwrap_err().field_errors()[0].path, "to_version");
    // A version the process does not have is bad input, named like any other, not a record
    // gone missing; a process nobody published is.
    let problems = |e: OaError| {
        assert_eq!(e.code(), "validation", "{e}");
        e.field_errors().iter().map(|f| (f.path.clone(), f.reason.clone())).collect::<Vec<_>>()
    };
    let no_9 = ("to_version".to_string(), "process `buy` has no version 9".to_string());
    assert_eq!(problems(w.oa.migrate_instance(&s, i3.id, 9).unwrap_err()), vec![no_9.clone()]);
    assert_eq!(problems(w.oa.migrate_instances(&s, "buy", 2, 9).unwrap_err()), vec![no_9.clone()]);
    assert_eq!(
        problems(w.oa.migrate_instances(&s, "buy", 8, 9).unwrap_err()),
        vec![("from_version".to_string(), "process `buy` has no version 8".to_string()), no_9],
        "every missing version at once"
    );
    assert_eq!(code(w.oa.migrate_instances(&s, "nope", 1, 2).unwrap_err()), "not_found");
}

#[test]
fn migration_checks_the_data_against_the_form_the_target_pins() {
    let w = W::new();
    two_nodes(&w, "pay", json!({}));
    let bare = w.start(w.alice, "pay", json!({"amount": 5})).unwrap();
    let noted = w.start(w.alice, "pay", json!({"amount": 7, "note": "taxi"})).unwrap();
    let form = |note_required: bool| {
        let fields = json!([
            {"key": "amount", "label": "Amount", "type": "number"},
            {"key": "note", "label": "Note", "type": "text", "required": note_required},
            {"key": "secret", "label": "Secret", "type": "text"},
            {"key": "doc_no", "label": "No", "type": "text"},
            {"key": "checker", "label": "Checker", "type": "person"},
            {"key": "project", "label": "Project", "type": "text"}
        ]);
        let input = NewForm {
            key: "expense".into(),
            name: "报销".into(),
            description: String::new(),
            fields: serde_json::from_value(fields).unwrap(),
        };
        w.oa.define_form(&w.admin, input).unwrap().version
    };
    let graph = |w: &W| two_nodes(w, "pay", json!({}));
    // Version 2 pins a form with one more optional field: both instances move.
    assert_eq!(form(false), 2);
    assert_eq!((graph(&w).version, w.inst(bare.id).form_version), (2, 1));
    let s = admin(&w);
    assert_eq!(w.oa.migrate_instances(&s, "pay", 1, 2).unwrap().migrated, vec![bare.id, noted.id]);
    assert_eq!(w.inst(bare.id).form_version, 2);
    // Version 3 requires a note: the instance without one stays, named by the field.
    assert_eq!(form(true), 3);
    assert_eq!(graph(&w).version, 3);
    let report = w.oa.migrate_instances(&s, "pay", 2, 3).unwrap();
    assert_eq!(report.migrated, vec![noted.id]);
    assert_eq!(report.refused.len(), 1);
    assert_eq!((report.refused[0].instance, report.refused[0].fields[0].path.as_str()), (bare.id, "data.note"));
    assert_eq!(w.inst(noted.id).data, json!({"amount": 7, "note": "taxi"}));
    assert_eq!(w.inst(bare.id).process_version, 2);
}

#[test]
fn only_administrators_monitor_and_a_scoped_one_sees_their_departments() {
    let w = W::new();
    two_nodes(&w, "buy", json!({}));
    let sales = w.start(w.alice, "buy", json!({})).unwrap();
    let head_office = w.start(w.dave, "buy", json!({})).unwrap();
    let t = w.task_of(sales.id, w.bob);
    let (from, to) = (w.oa.now(), w.oa.now() + Duration::days(1));
    let bob = w.session("bob", w.bob);
    let page = || PageRequest::first(10);
    let denied = [
        w.oa.node_counts(&bob, "buy").map(|_| ()).unwrap_err(),
        w.oa.waiting_at_node(&bob, "buy", "a", page()).map(|_| ()).unwrap_err(),
        w.oa.overdue_tasks(&bob, None, None, page()).map(|_| ()).unwrap_err(),
        w.oa.stuck_instances(&bob, None, page()).map(|_| ()).unwrap_err(),
        w.oa.node_times(&bob, "buy", from, to).map(|_| ()).unwrap_err(),
        w.oa.reassign_task(&bob, t, w.erin, "x").map(|_| ()).unwrap_err(),
        w.oa.migrate_instance(&bob, sales.id, 1).map(|_| ()).unwrap_err(),
        w.oa.migrate_instances(&bob, "buy", 1, 2).map(|_| ()).unwrap_err(),
    ];
    assert!(denied.iter().all(|e| e.code() == "permission_denied"), "{denied:?}");
    // The head of sales administers the instances of sales people only.
    w.oa.create_role(
        &w.admin,
        NewRole {
            code: "wf_sales_admin".into(),
            name: "Sales workflow administrator".into(),
            description: String::new(),
            permissions: vec!["workflow.instance.admin".into()],
            inherits: Vec::new(),
            data_scope: DataScope::OwnDeptAndBelow,
        },
    )
    .unwrap();
    w.oa.grant_role(&w.admin, NewGrant { person: w.mgr, role: "wf_sales_admin".into(), limit_to_dept: None }).unwrap();
    let mgr = w.session("mgr", w.mgr);
    assert_eq!(code(w.oa.node_counts(&mgr, "buy").unwrap_err()), "permission_denied", "counts cover every department");
    assert_eq!(code(w.oa.node_times(&mgr, "buy", from, to).unwrap_err()), "permission_denied");
    let seen = w.oa.waiting_at_node(&mgr, "buy", "a", page()).unwrap();
    assert_eq!(seen.items.iter().map(|x| x.instance).collect::<Vec<_>>(), vec![sales.id]);
    let listed = w.oa.instances_at_node(&mgr, "buy", "a", page()).unwrap();
    assert_eq!(listed.items.iter().map(|i| i.id).collect::<Vec<_>>(), vec![sales.id]);
    let other = w.task_of(head_office.id, w.bob);
    assert_eq!(code(w.oa.reassign_task(&mgr, other, w.erin, "x").unwrap_err()), "permission_denied");
    w.publish(
        "buy",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "end", people(&[w.bob]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    let report = w.oa.migrate_instances(&mgr, "buy", 1, 2).unwrap();
    assert_eq!(report.migrated, vec![sales.id]);
    let refused: Vec<_> = report.refused.iter().map(|r| (r.instance, r.code.as_str())).collect();
    assert_eq!(refused, vec![(head_office.id, "permission_denied")]);
}

/// An approval and a migration of the same instance at once: either the migration came first
/// and the approval followed version 2, or the approval came first and the migration was
/// refused at the node it led to. Never a mix.
fn migration_races_an_approval(w: &W) {
    two_nodes(w, "race", json!({}));
    let ids: Vec<InstanceId> = (0..5).map(|_| w.start(w.alice, "race", json!({})).unwrap().id).collect();
    w.publish(
        "race",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "c", people(&[w.bob]), json!({})),
            approval("c", "end", people(&[w.dave]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    let s = admin(w);
    for id in ids {
        let t = w.task_of(id, w.bob);
        let (approved, migrated) = std::thread::scope(|scope| {
            let a = scope.spawn(|| w.act(w.bob, |rt, by| act::approve(rt, by, t, "", None)));
            let m = scope.spawn(|| w.oa.migrate_instance(&s, id, 2));
            (a.join().unwrap(), m.join().unwrap())
        });
        assert!(approved.is_ok(), "{approved:?}");
        let inst = w.inst(id);
        match migrated {
            Ok(_) => assert_eq!((inst.process_version, w.pending(id)), (2, vec![("c".to_string(), w.dave)])),
            Err(e) => {
                assert_eq!(e.field_errors().iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), vec!["nodes[b]"]);
                assert_eq!((inst.process_version, w.pending(id)), (1, vec![("b".to_string(), w.carol)]));
            }
        }
        let migrations = history(w, id).iter().filter(|e| e.action == HistoryAction::Migrated).count();
        assert_eq!(migrations, usize::from(inst.process_version == 2));
    }
}

#[test]
fn migration_races_an_approval_on_memory() {
    migration_races_an_approval(&W::new());
}

#[test]
fn migration_races_an_approval_on_sled() {
    let dir = tempfile::tempdir().unwrap();
    let store = oa_storage::SledStore::open(dir.path().join("office")).unwrap();
    migration_races_an_approval(&W::on(Arc::new(store)));
}

#[test]
fn an_approver_who_leaves_before_their_turn_is_replaced_in_the_queue() {
    let w = W::new();
    // Carol, then dave, then erin, in turn (依次). Dave leaves while carol still reviews.
    w.publish(
        "turns",
        json!([
            {"id": "start", "type": "start", "next": "n"},
            approval("n", "end", people(&[w.carol, w.dave, w.erin]), json!({"method": "in_turn"})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.alice, "turns", json!({})).unwrap();
    let other = w.start(w.alice, "turns", json!({})).unwrap();
    w.oa.disable_person(&admin(&w), w.dave).unwrap();
    let s = admin(&w);
    let field = |e: OaError| (e.code(), e.field_errors().iter().map(|f| f.path.clone()).collect::<Vec<_>>());

    // Refusals first, and each leaves the store as it was.
    let before = w.snapshot();
    let refused = |from, to, reason: &str| w.oa.reassign_turn(&s, i.id, from, to, reason).unwrap_err();
    assert_eq!(field(refused(w.dave, w.bob, " ")), ("validation", vec!["reason".to_string()]));
    assert_eq!(field(refused(w.dave, w.dave, "x")), ("validation", vec!["to".to_string()]), "to is from");
    assert_eq!(field(refused(w.carol, w.bob, "x")), ("validation", vec!["from".to_string()]), "carol holds a task");
    assert_eq!(field(refused(w.dave, w.erin, "x")), ("validation", vec!["to".to_string()]), "erin waits already");
    assert_eq!(field(refused(w.dave, w.carol, "x")), ("validation", vec!["to".to_string()]), "carol approves now");
    let e = refused(w.dave, w.dave, "");
    assert_eq!(field(e), ("validation", vec!["reason".to_string(), "to".to_string()]), "every input problem at once");
    assert_eq!(code(w.oa.reassign_turn(&s, InstanceId(crate::Id(7)), w.dave, w.bob, "x").unwrap_err()), "not_found");
    assert_eq!(w.snapshot(), before, "nothing written by a refusal");
    let bob = w.session("bob", w.bob);
    assert_eq!(code(w.oa.reassign_turn(&bob, i.id, w.dave, w.bob, "x").unwrap_err()), "permission_denied");

    // The monitor lists both instances: moving now, they will stop at dave's turn.
    let s = admin(&w);
    let stuck = |s: &Session| {
        let page = w.oa.stuck_instances(s, Some("turns"), PageRequest::first(10)).unwrap().items;
        page.into_iter().map(|s| (s.instance, s.node, s.reason, s.assignees)).collect::<Vec<_>>()
    };
    let queued = |id| (id, "n".to_string(), StuckReason::InactiveInQueue, vec![w.dave]);
    assert_eq!(stuck(&s), vec![queued(i.id), queued(other.id)]);

    // Bob takes dave's place; the other instance keeps dave in its queue.
    let moved = w.oa.reassign_turn(&s, i.id, w.dave, w.bob, "dave left the company").unwrap();
    assert_eq!(moved.tokens[0].in_turn, vec![w.bob, w.erin]);
    assert_eq!(w.inst(other.id).tokens[0].in_turn, vec![w.dave, w.erin]);
    let last = history(&w, i.id).pop().unwrap();
    assert_eq!(
        (last.action, last.actor, last.node.as_deref(), last.comment.as_str()),
        (HistoryAction::Reassigned, Some(w.admin_id), Some("n"), "dave left the company")
    );
    assert_eq!(last.detail, format!("turn reassigned from `{}` to `{}`", w.dave, w.bob));
    assert_eq!(audited(&w, "workflow.instance.reassign_turn", format!("instance:{}", i.id)), 1);
    assert_eq!(stuck(&s), vec![queued(other.id)], "only the other instance still waits for dave");
    assert_eq!(
        field(w.oa.reassign_turn(&s, i.id, w.dave, w.mgr, "x").unwrap_err()),
        ("validation", vec!["from".into()])
    );
    let e = w.oa.reassign_turn(&s, i.id, w.bob, w.dave, "x").unwrap_err();
    assert_eq!(field(e), ("validation", vec!["to".to_string()]), "dave is not active");

    // The turns go carol, bob, erin, and the claim ends approved.
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.bob)]);
    w.approve(i.id, w.bob).unwrap();
    w.approve(i.id, w.erin).unwrap();
    assert_eq!(w.inst(i.id).status, InstanceStatus::Approved);
    assert_eq!(code(w.oa.reassign_turn(&s, i.id, w.erin, w.mgr, "x").unwrap_err()), "invalid_state");
}

/// A step of the in-turn property below: the approver whose turn it is approves, or the
/// administrator tries to put candidate `to` in the place of candidate `from`.
#[derive(Debug, Clone)]
enum TurnStep {
    Approve,
    Replace(usize, usize),
}

fn turn_step() -> impl Strategy<Value = TurnStep> {
    prop_oneof![Just(TurnStep::Approve), (0usize..6, 0usize..6).prop_map(|(f, t)| TurnStep::Replace(f, t))]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the queue and whatever replacements are asked, in any order with approvals:
    /// the turns go to the queue as the accepted replacements left it, each refusal is the
    /// one the rules give and changes nothing, and the instance ends approved by the people
    /// the model says.
    #[test]
    fn replacing_turns_keeps_the_queue_as_a_model_of_it_says(
        order in Just((0usize..6).collect::<Vec<_>>()).prop_shuffle(),
        len in 2usize..=5,
        steps in proptest::collection::vec(turn_step(), 1..12),
    ) {
        let w = W::new();
        let candidates = [w.bob, w.carol, w.dave, w.erin, w.mgr, w.boss];
        let queue: Vec<PersonId> = order[..len].iter().map(|&i| candidates[i]).collect();
        w.publish(
            "turns",
            json!([
                {"id": "start", "type": "start", "next": "n"},
                approval("n", "end", people(&queue), json!({"method": "in_turn"})),
                {"id": "end", "type": "end"}
            ]),
        );
        let id = w.start(w.alice, "turns", json!({})).unwrap().id;
        let s = admin(&w);
        // The model: who approves now, who waits in turn, and whether the instance ended.
        let (mut now, mut waiting, mut ended) = (Some(queue[0]), queue[1..].to_vec(), false);
        let mut approvers = Vec::new();
        for step in steps {
            match step {
                TurnStep::Approve => {
                    let Some(who) = now else { continue };
                    w.approve(id, who).unwrap();
                    approvers.push(who);
                    now = if waiting.is_empty() { None } else { Some(waiting.remove(0)) };
                    ended = now.is_none();
                }
                TurnStep::Replace(f, t) => {
                    let (from, to) = (candidates[f], candidates[t]);
                    let before = (w.inst(id), history(&w, id).len());
                    let expected = if from == to {
                        Err(("validation", "to"))
                    } else if ended {
                        Err(("invalid_state", ""))
                    } else if !waiting.contains(&from) {
                        Err(("validation", "from"))
                    } else if waiting.contains(&to) || now == Some(to) {
                        Err(("validation", "to"))
                    } else {
                        Ok(())
                    };
                    match (w.oa.reassign_turn(&s, id, from, to, "left"), expected) {
                        (Ok(_), Ok(())) => {
                            for p in waiting.iter_mut().filter(|p| **p == from) {
                                *p = to;
                            }
                        }
                        (Err(e), Err((code, field))) => {
                            prop_assert_eq!(e.code(), code);
                            let fields: Vec<&str> = e.field_errors().iter().map(|f| f.path.as_str()).collect();
                            prop_assert_eq!(fields, if field.is_empty() { vec![] } else { vec![field] });
                            prop_assert_eq!((w.inst(id), history(&w, id).len()), before, "a refusal changed nothing");
                        }
                        (got, expected) => prop_assert!(false, "got {got:?}, expected {expected:?}"),
                    }
                }
            }
            let inst = w.inst(id);
            if ended {
                prop_assert_eq!(inst.status, InstanceStatus::Approved);
            } else {
                prop_assert_eq!(&inst.tokens[0].in_turn, &waiting);
                prop_assert_eq!(w.pending(id), vec![("n".to_string(), now.unwrap())]);
            }
        }
        let approved: Vec<PersonId> = history(&w, id)
            .into_iter()
            .filter(|e| e.action == HistoryAction::Approved)
            .filter_map(|e| e.actor)
            .collect();
        prop_assert_eq!(approved, approvers);
    }
}
