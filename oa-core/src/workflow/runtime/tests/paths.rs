//! Small processes with exact expected paths.

use serde_json::json;

use super::*;
use crate::workflow::runtime::model::{HistoryAction, InstanceStatus};

fn gateway_process(w: &W) {
    w.publish(
        "gw",
        json!([
            {"id": "start", "type": "start", "next": "check"},
            {"id": "check", "type": "exclusive", "branches": [
                {"to": "big", "condition": "amount > 10000"},
                {"to": "small", "default": true}]},
            approval("big", "end", people(&[w.boss]), json!({})),
            approval("small", "end", json!({"strategy": "dept_head"}), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
}

#[test]
fn exclusive_gateway_picks_the_branch_by_amount() {
    let w = W::new();
    gateway_process(&w);
    let big = w.start(w.alice, "gw", json!({"amount": 20000})).unwrap();
    assert_eq!(w.pending(big.id), vec![("big".to_string(), w.boss)]);
    let small = w.start(w.alice, "gw", json!({"amount": 500})).unwrap();
    assert_eq!(w.pending(small.id), vec![("small".to_string(), w.mgr)]);
    let done = w.approve(big.id, w.boss).unwrap();
    assert_eq!(done.status, InstanceStatus::Approved);
    assert_eq!(w.trail(big.id), vec![">big", "big"]);
    w.approve(small.id, w.mgr).unwrap();
    assert_eq!(w.trail(small.id), vec![">small", "small"]);
    assert_eq!(w.inst(small.id).status, InstanceStatus::Approved);
    assert!(w.inst(small.id).tokens.is_empty());
}

#[test]
fn a_condition_failing_at_run_time_counts_as_not_taken_and_is_recorded() {
    let w = W::new();
    w.publish(
        "div",
        json!([
            {"id": "start", "type": "start", "next": "check"},
            {"id": "check", "type": "exclusive", "branches": [
                {"to": "big", "condition": "100 / amount > 1"},
                {"to": "small", "default": true}]},
            approval("big", "end", people(&[w.boss]), json!({})),
            approval("small", "end", json!({"strategy": "dept_head"}), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    // Dividing by zero cannot be evaluated, so the default branch is taken.
    let i = w.start(w.alice, "div", json!({"amount": 0})).unwrap();
    assert_eq!(w.pending(i.id), vec![("small".to_string(), w.mgr)]);
    let h = w.oa.store().read(|tx| store::history(tx, i.id)).unwrap();
    let errors: Vec<_> = h.iter().filter(|e| e.action == HistoryAction::ConditionError).collect();
    assert_eq!(errors.len(), 1, "{h:?}");
    assert_eq!(errors[0].node.as_deref(), Some("check"));
    assert_eq!(w.trail(i.id), vec![">small"]);
    let j = w.start(w.alice, "div", json!({"amount": 10})).unwrap();
    assert_eq!(w.pending(j.id), vec![("big".to_string(), w.boss)]);
}

#[test]
fn parallel_join_waits_for_both_branches() {
    let w = W::new();
    w.publish(
        "par",
        json!([
            {"id": "start", "type": "start", "next": "split"},
            {"id": "split", "type": "parallel", "branches": ["a", "b"]},
            approval("a", "join", people(&[w.bob]), json!({})),
            approval("b", "join", people(&[w.carol]), json!({})),
            {"id": "join", "type": "join", "next": "final"},
            approval("final", "end", people(&[w.dave]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.alice, "par", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("a".to_string(), w.bob), ("b".to_string(), w.carol)]);
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol)], "the join waits for branch b");
    let nodes: Vec<String> = w.inst(i.id).tokens.iter().map(|t| t.node.clone()).collect();
    assert_eq!(nodes, vec!["b", "join"]);
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.pending(i.id), vec![("final".to_string(), w.dave)]);
    w.approve(i.id, w.dave).unwrap();
    assert_eq!(w.trail(i.id), vec!["a", "b", "final"]);
    assert_eq!(w.inst(i.id).status, InstanceStatus::Approved);
}

fn one_node(w: &W, key: &str, approvers: serde_json::Value, extra: serde_json::Value) {
    w.publish(
        key,
        json!([
            {"id": "start", "type": "start", "next": "n"},
            approval("n", "end", approvers, extra),
            {"id": "end", "type": "end"}
        ]),
    );
}

#[test]
fn countersign_of_three_needs_every_approval() {
    let w = W::new();
    one_node(&w, "all", people(&[w.bob, w.carol, w.dave]), json!({"method": "all"}));
    let i = w.start(w.alice, "all", json!({})).unwrap();
    assert_eq!(w.pending(i.id).len(), 3);
    w.approve(i.id, w.bob).unwrap();
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.inst(i.id).status, InstanceStatus::Running);
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.dave)]);
    assert_eq!(w.approve(i.id, w.dave).unwrap().status, InstanceStatus::Approved);
    // One rejection rejects a countersign.
    let j = w.start(w.alice, "all", json!({})).unwrap();
    w.approve(j.id, w.bob).unwrap();
    assert_eq!(w.reject(j.id, w.carol).unwrap().status, InstanceStatus::Rejected);
    assert!(w.pending(j.id).is_empty(), "the other tasks are closed");
}

#[test]
fn ratio_two_of_three() {
    let w = W::new();
    one_node(&w, "ratio", people(&[w.bob, w.carol, w.dave]), json!({"method": "ratio", "pass_percent": 66}));
    let i = w.start(w.alice, "ratio", json!({})).unwrap();
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(w.reject(i.id, w.carol).unwrap().status, InstanceStatus::Running, "one vote against is not enough");
    assert_eq!(w.approve(i.id, w.dave).unwrap().status, InstanceStatus::Approved);
    let j = w.start(w.alice, "ratio", json!({})).unwrap();
    w.reject(j.id, w.bob).unwrap();
    assert_eq!(w.reject(j.id, w.carol).unwrap().status, InstanceStatus::Rejected, "2 of 3 can no longer approve");
    let tasks = w.tasks(j.id);
    assert_eq!(tasks.iter().filter(|t| t.status == TaskStatus::Cancelled).count(), 1);
}

#[test]
fn any_of_passes_on_the_first_approval() {
    let w = W::new();
    one_node(&w, "any", people(&[w.bob, w.carol]), json!({"method": "any"}));
    let i = w.start(w.alice, "any", json!({})).unwrap();
    assert_eq!(w.approve(i.id, w.carol).unwrap().status, InstanceStatus::Approved);
    let bob_task = w.tasks(i.id).into_iter().find(|t| t.assignee == w.bob).unwrap();
    assert_eq!(bob_task.status, TaskStatus::Cancelled);
}

#[test]
fn sequential_order() {
    let w = W::new();
    one_node(&w, "seq", people(&[w.carol, w.bob, w.dave]), json!({"method": "in_turn"}));
    let i = w.start(w.alice, "seq", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.carol)]);
    assert_eq!(
        code(
            w.act(w.bob, |rt, who| {
                let t = TaskId(crate::id::Id::default());
                super::super::act::approve(rt, who, t, "", None)
            })
            .unwrap_err()
        ),
        "not_found"
    );
    w.approve(i.id, w.carol).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.bob)]);
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.dave)]);
    assert_eq!(w.approve(i.id, w.dave).unwrap().status, InstanceStatus::Approved);
    let order: Vec<u32> = w.tasks(i.id).iter().map(|t| t.order).collect();
    assert_eq!(order, vec![0, 1, 2]);
}

#[test]
fn candidate_strategies() {
    let w = W::new();
    one_node(&w, "sup", json!({"strategy": "superiors", "levels": 2}), json!({"method": "in_turn"}));
    let i = w.start(w.alice, "sup", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.mgr)]);
    w.approve(i.id, w.mgr).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.boss)]);

    one_node(&w, "above", json!({"strategy": "dept_head_above", "levels": 1}), json!({}));
    let i = w.start(w.alice, "above", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.boss)]);

    one_node(&w, "field", json!({"strategy": "form_field", "field": "checker"}), json!({}));
    let i = w.start(w.alice, "field", json!({"checker": w.erin.to_string()})).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.erin)]);

    one_node(&w, "role", json!({"strategy": "role", "role": crate::perm::ROLE_ADMIN}), json!({}));
    let i = w.start(w.alice, "role", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.admin_id)]);
    one_node(
        &w,
        "role_in",
        json!({"strategy": "role", "role": crate::perm::ROLE_ADMIN, "within_initiator_dept": true}),
        json!({"when_empty": {"action": "skip"}}),
    );
    let i = w.start(w.alice, "role_in", json!({})).unwrap();
    assert_eq!(i.status, InstanceStatus::Approved, "the administrator is outside Sales: nobody, skipped");
}

#[test]
fn empty_approvers_skip_assign_or_refuse() {
    let w = W::new();
    one_node(
        &w,
        "skip",
        json!({"strategy": "form_field", "field": "checker"}),
        json!({"when_empty": {"action": "skip"}}),
    );
    let i = w.start(w.alice, "skip", json!({})).unwrap();
    assert_eq!(i.status, InstanceStatus::Approved);
    one_node(
        &w,
        "assign",
        json!({"strategy": "form_field", "field": "checker"}),
        json!({"when_empty": {"action": "assign_person", "person": "dave"}}),
    );
    let i = w.start(w.alice, "assign", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.dave)]);
    one_node(&w, "refuse", json!({"strategy": "form_field", "field": "checker"}), json!({}));
    let before = w.snapshot();
    let err = w.start(w.alice, "refuse", json!({})).unwrap_err();
    assert_eq!(err.code(), "invalid_state");
    assert!(err.to_string().contains("node `n`"), "{err}");
    assert_eq!(w.snapshot(), before, "nothing written");
}

#[test]
fn same_approver_rules() {
    let w = W::new();
    w.publish(
        "same",
        json!([
            {"id": "start", "type": "start", "next": "first"},
            approval("first", "self", people(&[w.bob]), json!({})),
            approval("self", "again", json!({"strategy": "initiator"}), json!({"initiator_is_approver": "auto_approve"})),
            approval("again", "end", people(&[w.bob, w.carol]), json!({"method": "all", "approved_before": "auto_approve"})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.alice, "same", json!({})).unwrap();
    w.approve(i.id, w.bob).unwrap();
    // The initiator's own node passes automatically; bob approved before, so only carol remains.
    assert_eq!(w.pending(i.id), vec![("again".to_string(), w.carol)]);
    assert_eq!(w.approve(i.id, w.carol).unwrap().status, InstanceStatus::Approved);
    assert_eq!(w.trail(i.id), vec!["first", "self", "again", "again"]);
}

#[test]
fn cc_nodes_send_copies_and_move_on_with_read_receipts() {
    let w = W::new();
    w.publish(
        "cc",
        json!([
            {"id": "start", "type": "start", "next": "copy"},
            {"id": "copy", "type": "cc", "next": "n", "recipients": {"strategy": "people", "people": [w.dave.to_string(), w.erin.to_string()]}},
            approval("n", "end", people(&[w.bob]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.alice, "cc", json!({})).unwrap();
    assert_eq!(w.pending(i.id), vec![("n".to_string(), w.bob)]);
    let badge = |p| w.oa.store().read(|tx| store::badge_counts(tx, p)).unwrap();
    assert_eq!(badge(w.dave).cc_unread, 1);
    assert_eq!(badge(w.bob).todo, 1);
    let copy = w.tasks(i.id).into_iter().find(|t| t.assignee == w.dave).unwrap();
    assert_eq!(copy.kind, TaskKind::Cc);
    assert_eq!(
        code(w.act(w.erin, |rt, who| super::super::act::mark_cc_read(rt, who, copy.id)).unwrap_err()),
        "permission_denied"
    );
    let read = w.act(w.dave, |rt, who| super::super::act::mark_cc_read(rt, who, copy.id)).unwrap();
    assert_eq!(read.status, TaskStatus::Read);
    assert_eq!(badge(w.dave).cc_unread, 0);
    // Reading again changes nothing.
    w.act(w.dave, |rt, who| super::super::act::mark_cc_read(rt, who, copy.id)).unwrap();
    assert_eq!(badge(w.dave).cc_unread, 0);
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(badge(w.bob).todo, 0);
    assert_eq!(badge(w.erin).cc_unread, 1, "an unread copy stays unread when the instance ends");
}

#[test]
fn a_return_inside_a_parallel_branch_moves_only_that_branch() {
    let w = W::new();
    w.publish(
        "pr",
        json!([
            {"id": "start", "type": "start", "next": "split"},
            {"id": "split", "type": "parallel", "branches": ["a1", "b"]},
            approval("a1", "a2", people(&[w.bob]), json!({})),
            approval("a2", "join", people(&[w.dave]), json!({"returns": {"to": "any_earlier"}})),
            approval("b", "join", people(&[w.carol]), json!({})),
            {"id": "join", "type": "join", "next": "end"},
            {"id": "end", "type": "end"}
        ]),
    );
    let i = w.start(w.alice, "pr", json!({})).unwrap();
    w.approve(i.id, w.bob).unwrap();
    let t = w.task_of(i.id, w.dave);
    w.act(w.dave, |rt, by| {
        super::super::act::return_task(rt, by, t, &crate::workflow::runtime::ReturnTarget::Node("a1".into()), "")
    })
    .unwrap();
    assert_eq!(w.pending(i.id), vec![("b".to_string(), w.carol), ("a1".to_string(), w.bob)], "branch b untouched");
    w.approve(i.id, w.carol).unwrap();
    w.approve(i.id, w.bob).unwrap();
    assert_eq!(
        w.approve(i.id, w.dave).unwrap().status,
        InstanceStatus::Approved,
        "the join still counts both branches"
    );
}

proptest::proptest! {
    #[test]
    fn business_keys_need_a_prefix_and_an_id(prefix in "[a-z_]{0,8}", rest in "\\PC{0,8}") {
        let key = format!("{prefix}:{rest}");
        let ok = crate::workflow::runtime::handler::prefix_of(&key);
        proptest::prop_assert_eq!(ok.is_some(), !prefix.is_empty() && !rest.is_empty());
        if let Some(p) = ok {
            proptest::prop_assert_eq!(p, prefix.as_str());
        }
        proptest::prop_assert!(crate::workflow::runtime::handler::prefix_of(&prefix).is_none() || prefix.contains(':'));
    }
}
