//! Returns, withdrawals, transfers, signers, deadlines, business keys, bad input, and the
//! operations through sessions.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::workflow::runtime::act;
use crate::workflow::runtime::handler::{register_business_handler, BusinessHandler, InstanceEnd};
use crate::workflow::runtime::model::{InstanceStatus, ReturnTarget, SignerPosition, TaskQuery};

/// start → a (bob) → b (carol) → end, with b's return policy `returns`.
fn two_steps(w: &W, key: &str, returns: serde_json::Value) {
    w.publish(
        key,
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "b", people(&[w.bob]), json!({"fields": {"default": "read_only", "fields": {"note": "editable", "secret": "hidden"}}})),
            approval("b", "end", people(&[w.carol]), json!({"returns": returns})),
            {"id": "end", "type": "end"}
        ]),
    );
}

fn ret(w: &W, id: InstanceId, who: PersonId, to: ReturnTarget) -> OaResult<Instance> {
    let t = w.task_of(id, who);
    w.act(who, |rt, by| act::return_task(rt, by, t, &to, "fix it"))
}

#[test]
fn return_to_initiator_and_walk_again() {
    let w = W::new();
    two_steps(&w, "r1", json!({"to": "initiator"}));
    let i = w.start(w.alice, "r1", json!({"amount": 1})).unwrap();
    w.approve(i.id, w.bob).unwrap();
    let r = ret(&w, i.id, w.carol, ReturnTarget::Initiator).unwrap();
    assert!(r.returned.is_some());
    assert!(w.pending(i.id).is_empty());
    let resubmit = w.tasks(i.id).into_iter().find(|t| t.kind == TaskKind::Resubmit).unwrap();
    assert_eq!((resubmit.assignee, resubmit.status), (w.alice, TaskStatus::Pending));
    // Only the initiator resubmits.
    assert_eq!(code(w.act(w.bob, |rt, by| act::resubmit(rt, by, i.id, &json!({}))).unwrap_err()), "permission_denied");
    w.act(w.alice, |rt, by| act::resubmit(rt, by, i.id, &json!({"amount": 2}))).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob)], "walks again from the start");
    assert_eq!(w.inst(i.id).data["amount"], json!(2));
    w.approve(i.id, w.bob).unwrap();
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.trail(i.id), vec!["a", "<b", "a", "b"]);
}

#[test]
fn return_to_an_earlier_node_and_back_to_the_returner() {
    let w = W::new();
    two_steps(&w, "r2", json!({"to": "any_earlier", "resubmit": "back_to_returner"}));
    let i = w.start(w.alice, "r2", json!({})).unwrap();
    w.approve(i.id, w.bob).unwrap();
    ret(&w, i.id, w.carol, ReturnTarget::Previous).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob)]);
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    // Back to the initiator, then straight back to b on resubmission.
    ret(&w, i.id, w.carol, ReturnTarget::Node("start".into())).unwrap();
    w.act(w.alice, |rt, by| act::resubmit(rt, by, i.id, &json!({}))).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)], "straight back to the returning node");
    assert_eq!(w.approve(i.id, w.carol).unwrap().status, InstanceStatus::Approved);
}

#[test]
fn returning_where_the_policy_forbids_is_refused() {
    let w = W::new();
    two_steps(&w, "r3", json!({"to": "none"}));
    let i = w.start(w.alice, "r3", json!({})).unwrap();
    w.approve(i.id, w.bob).unwrap();
    let before = w.snapshot();
    assert_eq!(code(ret(&w, i.id, w.carol, ReturnTarget::Initiator).unwrap_err()), "invalid_state");
    two_steps(&w, "r4", json!({"to": "initiator"}));
    let j = w.start(w.alice, "r4", json!({})).unwrap();
    w.approve(j.id, w.bob).unwrap();
    assert_eq!(code(ret(&w, j.id, w.carol, ReturnTarget::Node("a".into())).unwrap_err()), "validation");
    let _ = before;
}

#[test]
fn withdraw_rules() {
    let w = W::new();
    two_steps(&w, "wd", json!({}));
    // The initiator withdraws while nobody acted.
    let i = w.start(w.alice, "wd", json!({})).unwrap();
    assert_eq!(code(w.act(w.dave, |rt, by| act::withdraw(rt, by, i.id)).unwrap_err()), "permission_denied");
    let out = w.act(w.alice, |rt, by| act::withdraw(rt, by, i.id)).unwrap();
    assert_eq!(out.status, InstanceStatus::Withdrawn);
    assert_eq!(w.tasks(i.id)[0].status, TaskStatus::Withdrawn);
    assert_eq!(w.oa.store().read(|tx| store::badge_counts(tx, w.bob)).unwrap().todo, 0);
    // Once bob approved, the initiator cannot; bob takes his approval back before carol acts.
    let j = w.start(w.alice, "wd", json!({"note": "x"})).unwrap();
    let bt = w.task_of(j.id, w.bob);
    w.act(w.bob, |rt, by| act::approve(rt, by, bt, "", Some(&json!({"note": "changed"})))).unwrap();
    assert_eq!(code(w.act(w.alice, |rt, by| act::withdraw(rt, by, j.id)).unwrap_err()), "invalid_state");
    let back = w.act(w.bob, |rt, by| act::withdraw(rt, by, j.id)).unwrap();
    assert_eq!(back.data["note"], json!("x"), "the edit is taken back too");
    assert_eq!(w.pending(j.id), vec![("a".to_string(), w.bob)]);
    assert_eq!(w.tasks(j.id).iter().find(|t| t.assignee == w.carol).unwrap().status, TaskStatus::Withdrawn);
    // After carol acts, bob can no longer withdraw.
    w.approve(j.id, w.bob).unwrap();
    w.act(w.carol, |rt, by| act::comment(rt, by, false, j.id, "looking")).unwrap();
    let ct = w.task_of(j.id, w.carol);
    let dave = w.dave;
    w.act(w.carol, |rt, by| act::add_signer(rt, by, ct, dave, SignerPosition::After)).unwrap();
    assert_eq!(code(w.act(w.bob, |rt, by| act::withdraw(rt, by, j.id)).unwrap_err()), "invalid_state");
}

#[test]
fn form_edits_follow_the_node_field_permissions() {
    let w = W::new();
    two_steps(&w, "edit", json!({}));
    let i = w.start(w.alice, "edit", json!({"amount": 5, "note": "a", "secret": "s"})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let before = w.snapshot();
    let err = w
        .act(w.bob, |rt, by| act::approve(rt, by, t, "", Some(&json!({"amount": 6, "secret": "t", "nope": 1}))))
        .unwrap_err();
    let paths: Vec<String> = err.field_errors().iter().map(|f| f.path.clone()).collect();
    assert!(paths.contains(&"form_edits.amount".to_string()), "{paths:?}");
    assert!(paths.contains(&"form_edits.secret".to_string()), "{paths:?}");
    assert!(paths.iter().any(|p| p.contains("nope")), "{paths:?}");
    assert_eq!(w.snapshot(), before, "nothing written");
    w.act(w.bob, |rt, by| act::approve(rt, by, t, "", Some(&json!({"note": "b"})))).unwrap();
    let h = w.oa.store().read(|tx| store::history(tx, i.id)).unwrap();
    let change = h.iter().find_map(|e| e.changes.clone()).unwrap();
    assert_eq!(change, json!({"note": {"from": "a", "to": "b"}}));
}

#[test]
fn transfer_hands_the_seat_over() {
    let w = W::new();
    two_steps(&w, "tr", json!({}));
    let i = w.start(w.alice, "tr", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let erin = w.erin;
    assert_eq!(code(w.act(w.carol, |rt, by| act::transfer(rt, by, t, erin, "")).unwrap_err()), "permission_denied");
    let bob = w.bob;
    assert_eq!(code(w.act(w.bob, |rt, by| act::transfer(rt, by, t, bob, "")).unwrap_err()), "validation");
    let nt = w.act(w.bob, |rt, by| act::transfer(rt, by, t, erin, "away")).unwrap();
    assert_eq!(nt.seat, t);
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.erin)]);
    let done = w.oa.store().read(|tx| store::badge_counts(tx, w.bob)).unwrap();
    assert_eq!(done.todo, 0);
    w.approve(i.id, w.erin).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
}

#[test]
fn signers_before_after_and_alongside() {
    let w = W::new();
    two_steps(&w, "sig", json!({}));
    let i = w.start(w.alice, "sig", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let dave = w.dave;
    w.act(w.bob, |rt, by| act::add_signer(rt, by, t, dave, SignerPosition::Before)).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.dave)], "bob waits for dave");
    w.approve(i.id, w.dave).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob)], "bob's task is back");
    let erin = w.erin;
    w.act(w.bob, |rt, by| act::add_signer(rt, by, t, erin, SignerPosition::After)).unwrap();
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.erin)], "erin approves after bob");
    w.approve(i.id, w.erin).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    // Alongside, then removed again: the node passes on carol's approval alone.
    let ct = w.task_of(i.id, w.carol);
    let added = w.act(w.carol, |rt, by| act::add_signer(rt, by, ct, dave, SignerPosition::Alongside)).unwrap();
    assert_eq!(code(w.act(w.bob, |rt, by| act::remove_signer(rt, by, added.id)).unwrap_err()), "permission_denied");
    w.act(w.carol, |rt, by| act::remove_signer(rt, by, added.id)).unwrap();
    assert_eq!(w.approve(i.id, w.carol).unwrap().status, InstanceStatus::Approved);
    assert_eq!(w.trail(i.id), vec!["a", "a", "a", "b"]);
}

#[test]
fn deadline_auto_approves_with_a_manual_clock() {
    let w = W::new();
    w.publish(
        "due",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "end", people(&[w.bob]), json!({"deadline": {"after": {"amount": 2, "unit": "hours"}, "action": "auto_approve"}})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.alice, "due", json!({})).unwrap();
    let t = w.tasks(i.id)[0].clone();
    let due = t.due_at.unwrap();
    assert!(due > w.oa.now());
    let run = |up_to| {
        let now = w.oa.now();
        let office = &*w.oa.inner;
        let entries =
            w.oa.store()
                .scan(
                    &oa_storage::KeyRange::prefix(super::super::model::keys::dues().as_bytes()),
                    oa_storage::Direction::Forward,
                    100,
                )
                .unwrap();
        let mut outs = Vec::new();
        for (k, _) in entries {
            let mut r = crate::keys::KeyReader::new(&k).unwrap();
            let at = chrono::DateTime::from_timestamp_micros(r.i64().unwrap()).unwrap();
            let id = TaskId(r.id().unwrap());
            if at <= up_to {
                outs.push(
                    w.oa.store().write(|tx| act::process_due_task(&mut Rt::new(tx, now, office), at, id)).unwrap(),
                );
            }
        }
        outs
    };
    assert!(run(w.oa.now()).is_empty(), "not due yet");
    w.clock.set(due);
    assert_eq!(run(due), vec![act::DueOutcome::AutoApproved]);
    let inst = w.inst(i.id);
    assert_eq!(inst.status, InstanceStatus::Approved);
    assert!(w.tasks(i.id)[0].auto);
    assert!(run(due).is_empty(), "the entry is gone: running again does nothing");
    // A stale entry is skipped.
    assert_eq!(
        w.oa.store().write(|tx| act::process_due_task(&mut Rt::new(tx, due, &w.oa.inner), due, t.id)).unwrap(),
        act::DueOutcome::Skipped
    );
}

struct Counter {
    calls: AtomicU32,
    outcome: parking_lot::Mutex<Option<InstanceStatus>>,
}

impl BusinessHandler for Counter {
    fn on_end(&self, tx: &mut dyn oa_storage::WriteTxn, end: &InstanceEnd) -> OaResult<()> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        *self.outcome.lock() = Some(end.outcome);
        tx.put(format!("test.biz/{}", end.business_key).as_bytes(), end.outcome.name().as_bytes())?;
        Ok(())
    }
}

#[test]
fn business_handler_is_called_once_in_the_ending_transaction() {
    let w = W::new();
    let h = Arc::new(Counter { calls: AtomicU32::new(0), outcome: parking_lot::Mutex::new(None) });
    register_business_handler("fake_contract", h.clone());
    two_steps(&w, "biz", json!({}));
    let start = |key: &str| {
        let input = StartProcess {
            process_key: "biz".into(),
            version: None,
            title: "合同审批".into(),
            data: json!({}),
            business_key: Some(key.into()),
        };
        w.act(w.alice, |rt, by| act::start(rt, by, &input, None))
    };
    assert_eq!(code(start("nobody:1").unwrap_err()), "validation");
    let i = start("fake_contract:C1").unwrap();
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(h.calls.load(Ordering::SeqCst), 0);
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(h.calls.load(Ordering::SeqCst), 1);
    assert_eq!(*h.outcome.lock(), Some(InstanceStatus::Approved));
    assert_eq!(w.oa.store().get(b"test.biz/fake_contract:C1").unwrap().as_deref(), Some(&b"approved"[..]));
    let ids = w.oa.store().read(|tx| store::instances_of_business(tx, "fake_contract:C1")).unwrap();
    assert_eq!(ids, vec![i.id]);
    let j = start("fake_contract:C2").unwrap();
    w.reject(j.id, w.bob).unwrap();
    assert_eq!(h.calls.load(Ordering::SeqCst), 2);
    assert_eq!(w.oa.store().get(b"test.biz/fake_contract:C2").unwrap().as_deref(), Some(&b"rejected"[..]));
    // The endings are in the prefix's feed too, yet the prefix did not become a declared type:
    // without its module, instances could not start with it.
    let feed = w.oa.business_events(&w.admin, "fake_contract", 0, 0).unwrap();
    assert_eq!(
        feed.iter().map(|e| (e.seq, e.outcome)).collect::<Vec<_>>(),
        vec![(1, InstanceStatus::Approved), (2, InstanceStatus::Rejected)]
    );
    assert!(w.oa.business_types(&w.admin).unwrap().iter().all(|t| t.prefix != "fake_contract"));
    assert!(!w.oa.store().read(|tx| crate::workflow::runtime::business::is_declared(tx, "fake_contract")).unwrap());
}

#[test]
fn bad_input_is_a_typed_error_and_writes_nothing() {
    let w = W::new();
    two_steps(&w, "bad", json!({}));
    let before = w.snapshot();
    let err = w.start(w.alice, "bad", json!({"nope": 1, "amount": "x"})).unwrap_err();
    assert_eq!(err.code(), "validation");
    let paths: Vec<String> = err.field_errors().iter().map(|f| f.path.clone()).collect();
    assert!(paths.iter().any(|p| p.starts_with("data.")), "{paths:?}");
    assert_eq!(code(w.start(w.alice, "missing", json!({})).unwrap_err()), "not_found");
    assert_eq!(w.snapshot(), before);
    let i = w.start(w.alice, "bad", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    let before = w.snapshot();
    assert_eq!(code(w.act(w.carol, |rt, by| act::approve(rt, by, t, "", None)).unwrap_err()), "permission_denied");
    assert_eq!(w.snapshot(), before);
    w.reject(i.id, w.bob).unwrap();
    let before = w.snapshot();
    assert_eq!(code(w.act(w.bob, |rt, by| act::approve(rt, by, t, "", None)).unwrap_err()), "invalid_state");
    assert_eq!(code(w.act(w.alice, |rt, by| act::withdraw(rt, by, i.id)).unwrap_err()), "invalid_state");
    assert_eq!(code(w.act(w.alice, |rt, by| act::urge(rt, by, i.id)).unwrap_err()), "invalid_state");
    assert_eq!(w.snapshot(), before);
}

#[test]
fn how_often_the_initiator_urged_a_seat_stays_with_it_as_it_changes_hands() {
    let w = W::new();
    two_steps(&w, "urged", json!({}));
    let i = w.start(w.alice, "urged", json!({})).unwrap();
    let t = w.task_of(i.id, w.bob);
    assert_eq!(w.act(w.alice, |rt, by| act::urge(rt, by, i.id)).unwrap(), 1);
    assert_eq!(w.act(w.alice, |rt, by| act::urge(rt, by, i.id)).unwrap(), 1);
    // Bob hands it to dave (转交): dave sees that alice has asked twice.
    let dave = w.dave;
    let moved = w.act(w.bob, |rt, by| act::transfer(rt, by, t, dave, "")).unwrap();
    assert_eq!(moved.urged, 2);
    // An administrator gives it to erin: still the same seat, still urged twice.
    let erin = w.erin;
    let admin = w.admin_id;
    let again = w
        .act(admin, |rt, by| crate::workflow::runtime::monitor::reassign(rt, by.person, moved.id, erin, "away"))
        .unwrap();
    assert_eq!(again.urged, 2);
    // Erin asks carol to approve after her (后加签) and approves: carol's task continues the seat.
    w.act(w.alice, |rt, by| act::urge(rt, by, i.id)).unwrap();
    let carol = w.carol;
    w.act(w.erin, |rt, by| act::add_signer(rt, by, again.id, carol, SignerPosition::After)).unwrap();
    w.approve(i.id, w.erin).unwrap();
    let after = w.tasks(i.id).into_iter().find(|x| x.assignee == w.carol && x.node == "a").unwrap();
    assert_eq!(after.urged, 3);
    // The next node's task is a seat of its own: nobody has urged it yet.
    w.approve(i.id, w.carol).unwrap();
    let b = w.tasks(i.id).into_iter().find(|x| x.node == "b").unwrap();
    assert_eq!(b.urged, 0);
}

#[test]
fn drafts_terminate_and_jump() {
    let w = W::new();
    two_steps(&w, "dr", json!({}));
    let input = StartProcess {
        process_key: "dr".into(),
        version: None,
        title: String::new(),
        data: json!({"nope": 1}),
        business_key: None,
    };
    let d = w.act(w.alice, |rt, by| act::save_draft(rt, by, None, &input)).unwrap();
    assert_eq!(d.status, InstanceStatus::Draft);
    assert_eq!(code(w.act(w.alice, |rt, by| act::submit_draft(rt, by, d.id)).unwrap_err()), "validation");
    let fixed = StartProcess { title: "草稿".into(), data: json!({"amount": 3}), ..input.clone() };
    w.act(w.alice, |rt, by| act::save_draft(rt, by, Some(d.id), &fixed)).unwrap();
    assert_eq!(code(w.act(w.bob, |rt, by| act::submit_draft(rt, by, d.id)).unwrap_err()), "permission_denied");
    let i = w.act(w.alice, |rt, by| act::submit_draft(rt, by, d.id)).unwrap();
    assert_eq!((i.id, i.status), (d.id, InstanceStatus::Running));
    let j = w.act(w.admin_id, |rt, by| act::jump(rt, by, i.id, "b")).unwrap();
    assert_eq!(j.status, InstanceStatus::Running);
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    let nodes: Vec<Vec<u8>> =
        w.oa.store()
            .scan(
                &oa_storage::KeyRange::prefix(super::super::model::keys::at_nodes("dr", "b").as_bytes()),
                oa_storage::Direction::Forward,
                10,
            )
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
    assert_eq!(nodes.len(), 1, "monitoring sees the instance at b");
    let t = w.act(w.admin_id, |rt, by| act::terminate(rt, by, i.id, "duplicate")).unwrap();
    assert_eq!(t.status, InstanceStatus::Terminated);
    assert!(w.pending(i.id).is_empty());
    assert_eq!(w.oa.store().read(|tx| store::badge_counts(tx, w.carol)).unwrap().todo, 0);
}

#[test]
fn a_past_approver_whose_node_a_new_version_dropped_sees_no_field_of_the_instance() {
    let w = W::new();
    two_steps(&w, "moved", json!({}));
    let i = w.start(w.alice, "moved", json!({"amount": 1, "secret": "s"})).unwrap();
    w.approve(i.id, w.bob).unwrap();
    let bob = w.session("bob", w.bob);
    assert_eq!(w.oa.instance(&bob, i.id).unwrap().instance.data, json!({"amount": 1}), "as node a shows it");
    // Version 2 renames bob's step; the instance waits at b, which both versions have.
    w.publish(
        "moved",
        json!([
            {"id": "start", "type": "start", "next": "x"},
            approval("x", "b", people(&[w.bob]), json!({})),
            approval("b", "end", people(&[w.carol]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    w.oa.migrate_instance(&w.admin, i.id, 2).unwrap();
    // Node a no longer says what bob may see: he sees nothing rather than everything.
    assert_eq!(w.oa.instance(&bob, i.id).unwrap().instance.data, json!({}));
}

#[test]
fn operations_through_sessions() {
    let w = W::new();
    two_steps(&w, "ops", json!({}));
    let i = w.start(w.alice, "ops", json!({"amount": 1, "secret": "s"})).unwrap();
    let bob = w.session("bob", w.bob);
    let alice = w.session("alice", w.alice);
    let todo = w.oa.todo(&bob, TaskQuery::default(), crate::PageRequest::first(10)).unwrap();
    assert_eq!(todo.items.len(), 1);
    assert_eq!(w.oa.badge_counts(&bob).unwrap().todo, 1);
    let filtered = w
        .oa
        .todo(&bob, TaskQuery { process: Some("other".into()), ..Default::default() }, crate::PageRequest::first(10))
        .unwrap();
    assert!(filtered.items.is_empty());
    let seen = w.oa.instance(&bob, i.id).unwrap();
    assert!(seen.instance.data.get("secret").is_none(), "hidden from bob's node");
    assert_eq!(w.oa.instance(&alice, i.id).unwrap().instance.data["secret"], json!("s"));
    assert_eq!(w.oa.approve(&alice, todo.items[0].id, "", None).unwrap_err().code(), "permission_denied");
    // What an action returns to bob hides what his node hides too, and never the copy of the
    // data kept to take the action back.
    let after = w.oa.approve(&bob, todo.items[0].id, "好", None).unwrap();
    assert!(after.data.get("secret").is_none(), "hidden from bob's node: {}", after.data);
    assert_eq!(after.undo, None);
    let back = w.oa.withdraw(&bob, i.id).unwrap();
    assert!(back.data.get("secret").is_none(), "hidden from bob's node: {}", back.data);
    assert_eq!(w.oa.instance(&alice, i.id).unwrap().instance.data["secret"], json!("s"), "stored as it was");
    let todo = w.oa.todo(&bob, TaskQuery::default(), crate::PageRequest::first(10)).unwrap();
    w.oa.approve(&bob, todo.items[0].id, "好", None).unwrap();
    assert_eq!(w.oa.badge_counts(&bob).unwrap().todo, 0);
    let done = w.oa.done(&bob, TaskQuery::default(), crate::PageRequest::first(10)).unwrap();
    assert_eq!(done.items.len(), 1);
    let mine = w.oa.started_by_me(&alice, TaskQuery::default(), crate::PageRequest::first(10)).unwrap();
    assert_eq!(mine.items[0].id, i.id);
    assert_eq!(w.oa.urge(&alice, i.id).unwrap(), 1);
    w.oa.comment(&alice, i.id, "please").unwrap();
    let detail = w.oa.instance(&alice, i.id).unwrap();
    assert!(detail.history.iter().any(|e| e.comment == "please"));
    // Someone outside sees nothing; starting needs the permission the catalogue lists.
    let erin = w.session("erin", w.erin);
    assert_eq!(w.oa.instance(&erin, i.id).unwrap_err().code(), "permission_denied");
    assert_eq!(w.oa.terminate(&erin, i.id, "x").unwrap_err().code(), "permission_denied");
}
