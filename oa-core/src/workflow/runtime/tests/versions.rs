//! Process versions while instances run: each instance keeps the version it started with, and
//! the office compiles each version once and shares it between actions.

use serde_json::json;

use super::*;
use crate::workflow::runtime::model::InstanceStatus;

/// start → check (one approver) → end.
fn one_approver(w: &W, approver: PersonId) {
    w.publish(
        "trip",
        json!([
            {"id": "start", "type": "start", "next": "check"},
            approval("check", "end", people(&[approver]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
}

#[test]
fn instances_keep_their_version_and_each_version_is_compiled_once() {
    let w = W::new();
    let cache = &w.oa.inner.processes;
    one_approver(&w, w.boss);
    let first = w.start(w.alice, "trip", json!({})).unwrap();
    assert_eq!(first.process_version, 1);
    assert_eq!(cache.len(), 1, "starting compiled version 1");
    let again = w.start(w.alice, "trip", json!({})).unwrap();
    assert_eq!(cache.len(), 1, "the second start found version 1 compiled");

    // Version 2 changes the approver; running instances stay on version 1.
    one_approver(&w, w.dave);
    let second = w.start(w.alice, "trip", json!({})).unwrap();
    assert_eq!(second.process_version, 2);
    assert_eq!(cache.len(), 2);
    assert_eq!(w.pending(first.id), vec![("check".to_string(), w.boss)]);
    assert_eq!(w.pending(second.id), vec![("check".to_string(), w.dave)]);
    assert_eq!(w.approve(first.id, w.boss).unwrap().status, InstanceStatus::Approved);
    assert_eq!(w.approve(second.id, w.dave).unwrap().status, InstanceStatus::Approved);
    assert_eq!(w.approve(again.id, w.boss).unwrap().status, InstanceStatus::Approved);
    assert_eq!(cache.len(), 2, "approving reused the compiled versions");

    // Every action of the office gets the very same compiled version.
    let get = |version| w.act(w.alice, |rt, _| rt.process("trip", version)).unwrap();
    assert!(Arc::ptr_eq(&get(Some(1)), &get(Some(1))));
    assert!(Arc::ptr_eq(&get(None), &get(Some(2))));
    assert!(!Arc::ptr_eq(&get(Some(1)), &get(Some(2))));

    // What is not there is still not found, and nothing is cached for it.
    assert_eq!(code(w.start(w.alice, "nope", json!({})).unwrap_err()), "not_found");
    assert_eq!(code(w.act(w.alice, |rt, _| rt.process("trip", Some(3)).map(|_| ())).unwrap_err()), "not_found");
    assert_eq!(cache.len(), 2);
}
