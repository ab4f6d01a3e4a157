//! Node settings: document numbers assigned when a node passes, the empty-approver fallback to
//! a role, and taking back an approval that gave a waiting approver their task back.

use serde_json::json;

use super::*;
use crate::admin::numbering::{NewNumberingRule, SeqReset};
use crate::perm::{DataScope, NewGrant, NewRole};
use crate::workflow::runtime::act;
use crate::workflow::runtime::model::{HistoryAction, InstanceStatus, ReturnTarget, SignerPosition};

fn numbering_rule(w: &W) {
    w.oa.create_numbering_rule(
        &w.admin,
        NewNumberingRule {
            key: "expense_no".into(),
            name: "报销单号".into(),
            pattern: "BX-{year}-{seq}".into(),
            seq_width: 3,
            reset: SeqReset::Yearly,
        },
    )
    .unwrap();
}

/// start → a (bob) → b (carol, numbered into `doc_no`) → end; b may return to the initiator.
fn numbered(w: &W, key: &str, at: &str) {
    let num = json!({"numbering": {"rule": "expense_no", "field": "doc_no"}, "returns": {"to": "initiator"}});
    let (na, nb) = if at == "a" { (num, json!({"returns": {"to": "initiator"}})) } else { (json!({}), num) };
    w.publish(
        key,
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "b", people(&[w.bob]), na),
            approval("b", "end", people(&[w.carol]), nb),
            {"id": "end", "type": "end"}
        ]),
    );
}

fn numbers(w: &W, id: InstanceId) -> Vec<(Option<String>, String)> {
    w.oa.store()
        .read(|tx| store::history(tx, id))
        .unwrap()
        .into_iter()
        .filter(|e| e.action == HistoryAction::NumberAssigned)
        .map(|e| (e.node, e.detail))
        .collect()
}

#[test]
fn a_number_is_assigned_when_its_node_passes() {
    let w = W::new();
    numbering_rule(&w);
    numbered(&w, "num", "b");
    let i = w.start(w.alice, "num", json!({"amount": 1})).unwrap();
    let after_a = w.approve(i.id, w.bob).unwrap();
    assert_eq!((after_a.number.clone(), after_a.data.get("doc_no").cloned()), (None, None), "not at a");
    let done = w.approve(i.id, w.carol).unwrap();
    assert_eq!(done.status, InstanceStatus::Approved);
    assert_eq!(done.number.as_deref(), Some("BX-2026-001"));
    assert_eq!(done.data, json!({"amount": 1, "doc_no": "BX-2026-001"}));
    assert_eq!(numbers(&w, i.id), vec![(Some("b".to_string()), "BX-2026-001".to_string())]);
    let issued = w.oa.store().read(|tx| crate::admin::numbering::get_issued(tx, "expense_no", "BX-2026-001")).unwrap();
    assert_eq!((issued.owner, issued.issued_by), (format!("instance:{}", i.id), None));
    // A rejection at b assigns nothing; the next approval gets the next number.
    let j = w.start(w.alice, "num", json!({})).unwrap();
    w.approve(j.id, w.bob).unwrap();
    w.reject(j.id, w.carol).unwrap();
    assert_eq!(w.inst(j.id).number, None);
    assert!(numbers(&w, j.id).is_empty());
    let k = w.start(w.alice, "num", json!({})).unwrap();
    w.approve(k.id, w.bob).unwrap();
    assert_eq!(w.approve(k.id, w.carol).unwrap().number.as_deref(), Some("BX-2026-002"));
}

#[test]
fn a_number_is_kept_through_a_return_and_its_approval_cannot_be_taken_back() {
    let w = W::new();
    numbering_rule(&w);
    numbered(&w, "num2", "a");
    let i = w.start(w.alice, "num2", json!({"note": "x"})).unwrap();
    let out = w.approve(i.id, w.bob).unwrap();
    assert_eq!(out.number.as_deref(), Some("BX-2026-001"));
    assert_eq!(out.data, json!({"note": "x", "doc_no": "BX-2026-001"}));
    assert_eq!(out.undo, None);
    let before = w.snapshot();
    assert_eq!(code(w.act(w.bob, |rt, by| act::withdraw(rt, by, i.id)).unwrap_err()), "invalid_state");
    assert_eq!(w.snapshot(), before, "nothing written");
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    // Returned to alice and resubmitted without the number: a passes again, the number stays.
    let t = w.task_of(i.id, w.carol);
    w.act(w.carol, |rt, by| act::return_task(rt, by, t, &ReturnTarget::Initiator, "again")).unwrap();
    w.act(w.alice, |rt, by| act::resubmit(rt, by, i.id, &json!({"note": "y"}))).unwrap();
    assert_eq!(w.inst(i.id).data, json!({"note": "y", "doc_no": "BX-2026-001"}), "the number stays in its field");
    w.approve(i.id, w.bob).unwrap();
    let end = w.approve(i.id, w.carol).unwrap();
    assert_eq!(end.status, InstanceStatus::Approved);
    assert_eq!(end.number.as_deref(), Some("BX-2026-001"));
    assert_eq!(end.data, json!({"note": "y", "doc_no": "BX-2026-001"}));
    assert_eq!(numbers(&w, i.id), vec![(Some("a".to_string()), "BX-2026-001".to_string())], "assigned once");
    assert_eq!(w.trail(i.id), vec!["a", "<b", "a", "b"]);
    let next = w.oa.store().read(|tx| crate::admin::numbering::preview(tx, "expense_no", w.oa.now())).unwrap();
    assert_eq!(next, "BX-2026-002", "the sequence moved once");
}

fn role(w: &W, code: &str, holders: &[PersonId]) {
    w.oa.create_role(
        &w.admin,
        NewRole {
            code: code.into(),
            name: code.into(),
            description: String::new(),
            permissions: Vec::new(),
            inherits: Vec::new(),
            data_scope: DataScope::All,
        },
    )
    .unwrap();
    for p in holders {
        w.oa.grant_role(&w.admin, NewGrant { person: *p, role: code.into(), limit_to_dept: None }).unwrap();
    }
}

/// start → a (the holders of `first`, any of them, else those of `fallback`) → end.
fn role_fallback(w: &W, key: &str, first: &str, fallback: &str) {
    w.publish(
        key,
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "end", json!({"strategy": "role", "role": first}),
                json!({"method": "any", "when_empty": {"action": "assign_role", "role": fallback}})),
            {"id": "end", "type": "end"}
        ]),
    );
}

#[test]
fn nobody_found_goes_to_the_holders_of_the_fallback_role() {
    let w = W::new();
    role(&w, "wf_reviewer", &[]);
    role(&w, "wf_finance", &[w.erin, w.dave]);
    // A second grant of the same role to erin, limited to a department: she is found once.
    let root = w.oa.list_departments(&w.admin).unwrap()[0].id;
    w.oa.grant_role(&w.admin, NewGrant { person: w.erin, role: "wf_finance".into(), limit_to_dept: Some(root) })
        .unwrap();
    role(&w, "wf_vacant", &[]);
    role_fallback(&w, "fb", "wf_reviewer", "wf_finance");
    let i = w.start(w.alice, "fb", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.erin), ("a".to_string(), w.dave)], "in grant order, once");
    assert!(w
        .oa
        .store()
        .read(|tx| store::history(tx, i.id))
        .unwrap()
        .iter()
        .all(|e| e.action != HistoryAction::Skipped));
    let fallback: Vec<(Option<String>, String)> =
        w.oa.store()
            .read(|tx| store::history(tx, i.id))
            .unwrap()
            .into_iter()
            .filter(|e| e.action == HistoryAction::FallbackAssigned)
            .map(|e| (e.node, e.detail))
            .collect();
    assert_eq!(
        fallback,
        vec![(
            Some("a".to_string()),
            format!("no approver found; the node's fallback role `wf_finance` gives `{}`, `{}`", w.erin, w.dave)
        )],
        "the timeline says why they approve"
    );
    assert_eq!(w.approve(i.id, w.dave).unwrap().status, InstanceStatus::Approved);
    assert_eq!(w.trail(i.id), vec!["a"]);
    assert_eq!(w.tasks(i.id).iter().find(|t| t.assignee == w.erin).unwrap().status, TaskStatus::Cancelled);
    // A holder of the first role: the fallback is not used.
    w.oa.grant_role(&w.admin, NewGrant { person: w.carol, role: "wf_reviewer".into(), limit_to_dept: None }).unwrap();
    let j = w.start(w.alice, "fb", json!({})).unwrap();
    assert_eq!(w.pending(j.id), vec![("a".to_string(), w.carol)]);
    assert!(w
        .oa
        .store()
        .read(|tx| store::history(tx, j.id))
        .unwrap()
        .iter()
        .all(|e| e.action != HistoryAction::FallbackAssigned));
    // A fallback role nobody holds refuses the start, naming the node, and writes nothing.
    role_fallback(&w, "fb2", "wf_vacant", "wf_vacant");
    let before = w.snapshot();
    let err = w.start(w.alice, "fb2", json!({})).unwrap_err();
    assert_eq!(err.code(), "invalid_state");
    assert!(err.to_string().contains("`a`"), "{err}");
    assert_eq!(w.snapshot(), before);
}

#[test]
fn nobody_found_goes_to_the_fallback_person_and_the_history_says_so() {
    let w = W::new();
    // The approver is whoever the form's `checker` field names; left empty, erin approves.
    w.publish(
        "fp",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "end", json!({"strategy": "form_field", "field": "checker"}),
                json!({"when_empty": {"action": "assign_person", "person": w.erin.to_string()}})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.alice, "fp", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.erin)]);
    let h = w.oa.store().read(|tx| store::history(tx, i.id)).unwrap();
    let e = h.iter().find(|e| e.action == HistoryAction::FallbackAssigned).unwrap();
    assert_eq!(
        (e.actor, e.node.as_deref(), e.detail.clone()),
        (None, Some("a"), format!("no approver found; the node's fallback person `{}`", w.erin))
    );
    let j = w.start(w.alice, "fp", json!({"checker": w.bob.to_string()})).unwrap();
    assert_eq!(w.pending(j.id), vec![("a".to_string(), w.bob)]);
    let h = w.oa.store().read(|tx| store::history(tx, j.id)).unwrap();
    assert!(h.iter().all(|e| e.action != HistoryAction::FallbackAssigned));
}

#[test]
fn an_approval_that_gave_a_waiting_approver_their_task_back_cannot_be_taken_back() {
    let w = W::new();
    w.publish(
        "sig",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "b", people(&[w.bob]), json!({})),
            approval("b", "end", people(&[w.carol]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.alice, "sig", json!({})).unwrap();
    let bt = w.task_of(i.id, w.bob);
    let dave = w.dave;
    let dt = w.act(w.bob, |rt, by| act::add_signer(rt, by, bt, dave, SignerPosition::Before)).unwrap().id;
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.dave)]);
    let out = w.approve(i.id, w.dave).unwrap();
    assert_eq!(out.undo, None);
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob)], "bob has his task back");
    let before = w.snapshot();
    assert_eq!(code(w.act(w.dave, |rt, by| act::withdraw(rt, by, i.id)).unwrap_err()), "invalid_state");
    assert_eq!(code(w.act(w.alice, |rt, by| act::withdraw(rt, by, i.id)).unwrap_err()), "invalid_state");
    assert_eq!(w.snapshot(), before, "nothing written");
    let tasks = w.tasks(i.id);
    let status = |id: TaskId| tasks.iter().find(|t| t.id == id).unwrap().status;
    assert_eq!((status(bt), status(dt)), (TaskStatus::Pending, TaskStatus::Approved));
    // bob's own approval can still be taken back, and only it.
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)]);
    assert_eq!(code(w.act(w.dave, |rt, by| act::withdraw(rt, by, i.id)).unwrap_err()), "invalid_state");
    w.act(w.bob, |rt, by| act::withdraw(rt, by, i.id)).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob)]);
    let tasks = w.tasks(i.id);
    let status = |id: TaskId| tasks.iter().find(|t| t.id == id).unwrap().status;
    assert_eq!((status(bt), status(dt)), (TaskStatus::Pending, TaskStatus::Approved), "dave's approval stands");
    assert_eq!(tasks.iter().find(|t| t.assignee == w.carol).unwrap().status, TaskStatus::Withdrawn);
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(w.approve(i.id, w.carol).unwrap().status, InstanceStatus::Approved);
    assert_eq!(w.trail(i.id), vec!["a", "a", "a", "b"]);
}
