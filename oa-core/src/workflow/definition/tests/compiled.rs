//! The compiled process a runtime walks, and the nodes two versions share.

use serde_json::json;

use super::*;
use crate::org::DeptId;
use crate::workflow::definition::{compatible_nodes, CompiledProcess, ProcessDefinition};
use crate::workflow::expr::{DeptAttrs, InitiatorAttrs};

fn definition(nodes: Value) -> ProcessDefinition {
    ProcessDefinition {
        key: "purchase".into(),
        version: 1,
        name: "采购审批".into(),
        category: String::new(),
        form_key: "purchase".into(),
        form_version: 1,
        graph: graph(nodes),
        created_at: chrono::DateTime::UNIX_EPOCH,
        created_by: PersonId(crate::id::Id::default()),
    }
}

fn initiator() -> InitiatorAttrs {
    let sales = DeptAttrs { id: DeptId(crate::id::Id::default()), name: "Sales".into(), code: Some("S".into()) };
    InitiatorAttrs {
        id: PersonId(crate::id::Id::default()),
        login: "alice".into(),
        name: "Alice".into(),
        dept: sales.clone(),
        dept_path: vec![sales],
        position: None,
        roles: vec![],
        is_dept_head: false,
    }
}

/// start → gw (big: amount > 10000 → gm; per_day: amount / days > 500 → fork; default → end);
/// fork → [finance, legal] → join → cashier → end.
fn purchase() -> Value {
    json!([
        {"id": "start", "type": "start", "next": "mgr"},
        {"id": "mgr", "type": "approval", "next": "gw", "approvers": {"strategy": "dept_head"}},
        {"id": "gw", "type": "exclusive", "branches": [
            {"to": "gm", "condition": "amount > 10000", "name": "big"},
            {"to": "fork", "condition": "amount / days > 500", "name": "per_day"},
            {"to": "end", "default": true}]},
        {"id": "gm", "type": "approval", "next": "end", "approvers": {"strategy": "role", "role": "gm"}},
        {"id": "fork", "type": "parallel", "branches": ["finance", "legal"]},
        {"id": "finance", "type": "approval", "next": "join", "approvers": {"strategy": "role", "role": "finance"},
         "returns": {"to": "any_earlier"}},
        {"id": "legal", "type": "approval", "next": "join", "approvers": {"strategy": "role", "role": "legal"}},
        {"id": "join", "type": "join", "next": "cashier"},
        {"id": "cashier", "type": "approval", "next": "end", "approvers": {"strategy": "role", "role": "cashier"},
         "returns": {"to": "any_earlier"}},
        {"id": "end", "type": "end"}
    ])
}

fn ids<'a>(nodes: impl IntoIterator<Item = &'a crate::workflow::definition::Node>) -> Vec<&'a str> {
    nodes.into_iter().map(|n| n.id.as_str()).collect()
}

#[test]
fn a_runtime_walks_the_compiled_process() {
    let p = CompiledProcess::compile(definition(purchase()), &purchase_form()).unwrap();
    assert_eq!(p.start().id, "start");
    assert_eq!(ids(p.successors("gw")), vec!["gm", "fork", "end"]);
    assert_eq!(ids(p.predecessors("end")), vec!["gw", "gm", "cashier"]);
    assert_eq!(p.join_of("fork").map(|n| n.id.as_str()), Some("join"));
    assert_eq!(p.split_of("join").map(|n| n.id.as_str()), Some("fork"));
    assert_eq!(p.join_of("gw"), None);
    assert_eq!(p.parallel_scope("legal"), vec![("fork", 1)]);
    assert!(p.parallel_scope("cashier").is_empty());
    let order = ids(p.in_order());
    assert!(order.iter().position(|&n| n == "join") > order.iter().position(|&n| n == "legal"));
    assert_eq!(ids(p.return_targets("finance")), vec!["start", "mgr"]);
    assert_eq!(ids(p.return_targets("cashier")), vec!["start", "mgr"], "not into a branch of the join before it");
    assert_eq!(ids(p.return_targets("mgr")), vec!["start"], "the initiator unless set");
    assert_eq!(p.condition("gw", 0).map(|c| c.source()), Some("amount > 10000"));
    assert!(p.condition("gw", 2).is_none());

    let who = initiator();
    let choose = |data: Value| p.choose_branch("gw", &data, &who).unwrap();
    let big = choose(json!({"amount": {"amount": "20000.00", "currency": "CNY"}, "days": 1}));
    assert_eq!((big.branch, big.to.as_str(), big.errors.len()), (0, "gm", 0));
    let per_day = choose(json!({"amount": {"amount": "3000.00", "currency": "CNY"}, "days": 2}));
    assert_eq!((per_day.branch, per_day.to.as_str()), (1, "fork"));
    let small = choose(json!({"amount": {"amount": "300.00", "currency": "CNY"}, "days": 2}));
    assert_eq!((small.branch, small.to.as_str()), (2, "end"));
    // Dividing by zero days fails that condition alone: the default is taken and the error kept.
    let broken = choose(json!({"amount": {"amount": "300.00", "currency": "CNY"}, "days": 0}));
    assert_eq!((broken.branch, broken.errors.len(), broken.errors[0].0), (2, 1, 1));
    assert!(p.choose_branch("mgr", &json!({}), &who).is_none());
}

#[test]
fn compiling_an_invalid_definition_reports_its_problems() {
    let err = CompiledProcess::compile(
        definition(json!([{"id": "start", "type": "start", "next": "end"}])),
        &purchase_form(),
    )
    .unwrap_err();
    assert_eq!(
        fields(err),
        vec![
            ("nodes".to_string(), "a process needs an end node".to_string()),
            ("nodes[start].next".to_string(), "leads to `end`, which is not a node of the process".to_string()),
        ]
    );
}

#[test]
fn the_runtime_loads_a_published_version_compiled() {
    let w = World::new();
    w.publish(&new_process("purchase", simple())).unwrap();
    let p = w.oa.store().read(|tx| crate::workflow::definition::load_compiled(tx, "purchase", None)).unwrap();
    assert_eq!((p.definition().version, ids(p.successors("start"))), (1, vec!["approve"]));
}

#[test]
fn nodes_shared_by_two_versions() {
    let v1 = graph(purchase());
    // Version 2: `gm` removed, `legal` becomes a copy, `mgr` moves into a branch of `fork`,
    // `audit` added.
    let v2 = graph(json!([
        {"id": "start", "type": "start", "next": "gw"},
        {"id": "gw", "type": "exclusive", "branches": [
            {"to": "fork", "condition": "amount > 10000"}, {"to": "end", "default": true}]},
        {"id": "fork", "type": "parallel", "branches": ["finance", "legal", "mgr"]},
        {"id": "finance", "type": "approval", "next": "join", "approvers": {"strategy": "role", "role": "finance"}},
        {"id": "legal", "type": "cc", "next": "join", "recipients": {"strategy": "role", "role": "legal"}},
        {"id": "mgr", "type": "approval", "next": "join", "approvers": {"strategy": "dept_head"}},
        {"id": "join", "type": "join", "next": "audit"},
        {"id": "audit", "type": "approval", "next": "cashier", "approvers": {"strategy": "role", "role": "audit"}},
        {"id": "cashier", "type": "approval", "next": "end", "approvers": {"strategy": "role", "role": "cashier"}},
        {"id": "end", "type": "end"}
    ]));
    assert_eq!(compatible_nodes(&v1, &v2), vec!["start", "gw", "fork", "finance", "join", "cashier", "end"]);
    assert_eq!(compatible_nodes(&v1, &v1).len(), v1.nodes.len());
    assert!(compatible_nodes(&v1, &graph(json!([]))).is_empty(), "a graph that does not validate shares nothing");
}
