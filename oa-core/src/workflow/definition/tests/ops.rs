//! Publishing and reading definitions: versions, the pinned form, names resolved in the store,
//! and the operations through the public `Oa` API.

use serde_json::json;

use super::dingtalk::bpmn;
use super::*;
use crate::audit::AuditQuery;
use crate::workflow::definition::{self as def, store, Approvers, NodeKind, WhenEmpty};
use crate::PageRequest;

/// A person who can sign in, with their session, holding no role.
fn member(w: &World, login: &str) -> (PersonId, Session) {
    let first = format!("{login} first Passw0rd!");
    let pw = format!("{login} second Passw0rd!");
    let root = w.oa.list_departments(&w.admin).unwrap()[0].id;
    let p =
        w.oa.create_person(
            &w.admin,
            NewPerson { initial_password: Some(first.clone()), ..NewPerson::new(login, login, root) },
        )
        .unwrap();
    let s = w.oa.sign_in(login, &first).unwrap();
    w.oa.change_password(&s, &first, &pw).unwrap();
    (p.id, w.oa.sign_in(login, &pw).unwrap())
}

fn read<T>(w: &World, f: impl FnMut(&mut dyn oa_storage::ReadTxn) -> crate::OaResult<T>) -> T {
    w.oa.store().read(f).unwrap()
}

fn with_approvers(approvers: Value) -> Value {
    json!([
        {"id": "start", "type": "start", "next": "approve"},
        {"id": "approve", "type": "approval", "next": "end", "approvers": approvers},
        {"id": "end", "type": "end"}
    ])
}

#[test]
fn publishing_twice_makes_a_second_version_and_keeps_the_first() {
    let w = World::new();
    let v1 = w.publish(&new_process("purchase", simple())).unwrap();
    assert_eq!((v1.key.as_str(), v1.version, v1.form_key.as_str(), v1.form_version), ("purchase", 1, "purchase", 1));
    assert_eq!(v1.created_by, w.admin_id);
    let changed = new_process("purchase", with_approvers(json!({"strategy": "role", "role": "finance"})));
    let v2 = w.publish(&changed).unwrap();
    assert_eq!(v2.version, 2);
    assert_eq!(read(&w, |tx| store::require_process(tx, "purchase", Some(1))), v1, "version 1 is unchanged");
    assert_eq!(read(&w, |tx| store::require_process(tx, "purchase", None)), v2);
    assert_eq!(w.publish(&changed).unwrap(), v2, "the same definition again writes nothing");
    let versions = read(&w, |tx| store::process_versions(tx, "purchase"));
    assert_eq!(versions.iter().map(|v| (v.version, v.nodes)).collect::<Vec<_>>(), vec![(1, 3), (2, 3)]);
    w.publish(&new_process("leave", simple())).unwrap();
    let all = read(&w, store::list_processes);
    assert_eq!(
        all.iter().map(|d| (d.key.as_str(), d.version)).collect::<Vec<_>>(),
        vec![("leave", 1), ("purchase", 2)]
    );
    let missing = w.oa.store().read(|tx| store::require_process(tx, "purchase", Some(3))).unwrap_err();
    assert_eq!(missing.to_string(), "process version `purchase v3` not found");
    assert_eq!(w.oa.store().read(|tx| store::process_versions(tx, "nope")).unwrap_err().code(), "not_found");
}

#[test]
fn people_are_stored_by_id_and_names_are_checked() {
    let w = World::new();
    let input = new_process("purchase", with_approvers(json!({"strategy": "people", "people": ["Alice"]})));
    let d = w.publish(&input).unwrap();
    let NodeKind::Approval(a) = &d.graph.node("approve").unwrap().kind else { panic!() };
    assert_eq!(a.settings.approvers, Approvers::People { people: vec![w.alice.to_string()] });
    assert_eq!(a.settings.approvers.person_ids(), vec![w.alice]);
    // Publishing the stored graph again changes nothing: ids resolve to themselves.
    let again = NewProcess { definition: d.graph.clone(), ..input };
    assert_eq!(w.publish(&again).unwrap().version, 1);

    let mut bad = new_process(
        "purchase",
        with_approvers(json!({"strategy": "people", "people": ["alice", w.alice.to_string(), "bob", "ghost"]})),
    );
    if let NodeKind::Approval(a) = &mut bad.definition.nodes[1].kind {
        a.settings.when_empty = WhenEmpty::AssignRole { role: "nobody".into() };
        a.settings.numbering = Some(def::AssignNumber { rule: "nope".into(), field: None });
    }
    bad.definition.nodes.insert(
        2,
        serde_json::from_value(
            json!({"id": "cc", "type": "cc", "next": "end", "recipients": {"strategy": "role", "role": "ghosts"}}),
        )
        .unwrap(),
    );
    if let NodeKind::Approval(a) = &mut bad.definition.nodes[1].kind {
        a.next = "cc".into();
    }
    assert_eq!(
        fields(w.publish(&bad).unwrap_err()),
        vec![
            (
                "nodes[approve].approvers.people[1]".to_string(),
                format!("`{}` is the person of people[0] again", w.alice)
            ),
            ("nodes[approve].approvers.people[2]".to_string(), "`bob` is not an active person".to_string()),
            ("nodes[approve].approvers.people[3]".to_string(), "no person `ghost`".to_string()),
            ("nodes[approve].when_empty.role".to_string(), "no role `nobody`".to_string()),
            ("nodes[approve].numbering.rule".to_string(), "no numbering rule `nope`".to_string()),
            ("nodes[cc].recipients.role".to_string(), "no role `ghosts`".to_string()),
        ]
    );
    let _ = w.bob;
}

#[test]
fn the_form_is_pinned_and_checked_at_its_version() {
    let w = World::new();
    let with_priority = |nodes: Value| NewProcess { form_version: None, ..new_process("purchase", nodes) };
    let branchy = json!([
        {"id": "start", "type": "start", "next": "gw"},
        {"id": "gw", "type": "exclusive", "branches": [
            {"to": "approve", "condition": "priority > 2"}, {"to": "end", "default": true}]},
        {"id": "approve", "type": "approval", "next": "end", "approvers": {"strategy": "dept_head"}},
        {"id": "end", "type": "end"}
    ]);
    let refused = fields(w.publish(&with_priority(branchy.clone())).unwrap_err());
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].0, "nodes[gw].branches[0].condition");
    assert!(refused[0].1.contains("`priority`"), "{}", refused[0].1);
    let mut fields_v2 = purchase_fields();
    fields_v2.as_array_mut().unwrap().push(json!({"key": "priority", "label": "优先级", "type": "number"}));
    w.define_form("purchase", fields_v2);
    let d = w.publish(&with_priority(branchy.clone())).unwrap();
    assert_eq!(d.form_version, 2, "the latest form version is pinned");
    let pinned_old = NewProcess { form_version: Some(1), ..with_priority(branchy) };
    assert_eq!(fields(w.publish(&pinned_old).unwrap_err())[0].0, "nodes[gw].branches[0].condition");
    let no_version = NewProcess { form_version: Some(9), ..new_process("purchase", simple()) };
    assert_eq!(
        fields(w.publish(&no_version).unwrap_err()),
        vec![("form_version".to_string(), "form `purchase` has no version 9".to_string())]
    );
    let no_form = NewProcess { form_key: "ghost".into(), ..new_process("purchase", simple()) };
    assert_eq!(fields(w.publish(&no_form).unwrap_err()), vec![("form_key".to_string(), "no form `ghost`".to_string())]);
}

#[test]
fn the_header_and_the_graph_are_reported_together() {
    let w = World::new();
    let input = NewProcess {
        key: "采购".into(),
        name: " ".into(),
        category: "长".repeat(51),
        form_key: " ".into(),
        form_version: None,
        definition: graph(json!([{"id": "start", "type": "start", "next": "ghost"}, {"id": "end", "type": "end"}])),
    };
    let problems = read(&w, |tx| store::check_process(tx, &input)).unwrap_err();
    assert_eq!(
        problems.into_iter().map(|f| (f.path, f.reason)).collect::<Vec<_>>(),
        vec![
            ("key".to_string(), "`采购` is not a process key: use 1 to 64 letters, digits, `_` or `-`".to_string()),
            ("name".to_string(), "must be 1 to 100 characters, got 0".to_string()),
            ("category".to_string(), "must be at most 50 characters, got 51".to_string()),
            ("form_key".to_string(), "names no form".to_string()),
            ("nodes[start].next".to_string(), "leads to `ghost`, which is not a node of the process".to_string()),
        ]
    );
}

#[test]
fn operations_need_their_permissions() {
    let w = World::new();
    let (_, clerk) = member(&w, "clerk");
    let denied = |r: crate::OaResult<()>| assert_eq!(r.unwrap_err().code(), "permission_denied");
    denied(w.oa.publish_process(&clerk, new_process("purchase", simple())).map(|_| ()));
    denied(w.oa.publish_process_json(&clerk, "not even json").map(|_| ()));
    denied(w.oa.import_bpmn(&clerk, "<nonsense", "purchase", None).map(|_| ()));
    denied(w.oa.get_process(&clerk, "purchase", None).map(|_| ()));
    denied(w.oa.list_processes(&clerk).map(|_| ()));
    denied(w.oa.process_versions(&clerk, "purchase").map(|_| ()));
    denied(w.oa.validate_process(&clerk, new_process("purchase", simple())).map(|_| ()));
    let signed_out = Session::from_token("nonsense");
    assert_eq!(w.oa.list_processes(&signed_out).unwrap_err().code(), "unauthenticated");
}

#[test]
fn the_administrator_publishes_reads_and_checks_processes() {
    let w = World::new();
    let v1 = w.oa.publish_process(&w.admin, new_process("purchase", simple())).unwrap();
    assert_eq!(v1.version, 1);
    let json = json!({
        "key": "purchase", "name": "采购审批", "category": "财务", "formKey": "purchase",
        "process": {"nodeId": "start", "type": "start", "childNode": {
            "nodeId": "approve", "type": "approval", "props": {"approvers": {"strategy": "role", "role": "finance"}}}}
    });
    let v2 = w.oa.publish_process_json(&w.admin, &json.to_string()).unwrap();
    assert_eq!(v2.version, 2);
    let xml = bpmn(
        "purchase",
        r#"<startEvent id="start"/><sequenceFlow id="f1" sourceRef="start" targetRef="approve"/>
           <userTask id="approve" flowable:assignee="alice"/><sequenceFlow id="f2" sourceRef="approve" targetRef="end"/>
           <endEvent id="end"/>"#,
    );
    let v3 = w.oa.import_bpmn(&w.admin, &xml, "purchase", Some(1)).unwrap();
    assert_eq!((v3.version, v3.name.as_str(), v3.category.as_str()), (3, "Test", ""));
    assert_eq!(w.oa.get_process(&w.admin, "purchase", Some(1)).unwrap(), v1);
    assert_eq!(w.oa.get_process(&w.admin, " purchase ", None).unwrap(), v3);
    assert_eq!(w.oa.list_processes(&w.admin).unwrap(), vec![v3.clone()]);
    assert_eq!(w.oa.process_versions(&w.admin, "purchase").unwrap().len(), 3);
    assert_eq!(
        def::compatible_nodes(&v1.graph, &v3.graph),
        vec!["start".to_string(), "approve".to_string(), "end".to_string()]
    );
    let problems = w.oa.validate_process(&w.admin, new_process("purchase", json!([]))).unwrap();
    assert_eq!(problems.len(), 1);
    assert!(w.oa.validate_process(&w.admin, new_process("purchase", simple())).unwrap().is_empty());
    let refused = w.oa.import_bpmn(&w.admin, "<definitions", "purchase", None).unwrap_err();
    assert_eq!(fields(refused)[0].0, "xml");
    let audit = w.oa.list_audit(&w.admin, AuditQuery::default(), PageRequest::first(200)).unwrap();
    let published: Vec<&str> = audit
        .items
        .iter()
        .filter(|r| r.operation.starts_with("workflow.process."))
        .map(|r| r.summary.as_str())
        .collect();
    assert!(published.contains(&"published process `purchase` version 3 with 3 nodes over form `purchase` version 1"));
}
