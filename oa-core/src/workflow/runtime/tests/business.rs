//! Business types declared by applications outside the Rust process, and the feed of endings
//! they follow: numbered in commit order without gaps, re-readable, scoped, and refused for
//! keys nobody handles.

use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::workflow::runtime::act;
use crate::workflow::runtime::model::InstanceStatus;

fn one_step(w: &W) {
    w.publish(
        "purchase",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "end", people(&[w.bob]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
}

fn start_with(w: &W, key: &str) -> OaResult<Instance> {
    let input = StartProcess {
        process_key: "purchase".into(),
        version: None,
        title: format!("采购 {key}"),
        data: json!({}),
        business_key: Some(key.into()),
    };
    w.act(w.alice, |rt, by| act::start(rt, by, &input, None))
}

#[test]
fn a_declared_type_feeds_each_ending_once_in_order() {
    let w = W::new();
    one_step(&w);
    assert_eq!(code(start_with(&w, "purchase:PO-1").unwrap_err()), "validation", "undeclared type refused");
    let ty = w.oa.declare_business_type(&w.admin, " purchase ", "采购申请").unwrap();
    assert_eq!((ty.prefix.as_str(), ty.last_seq), ("purchase", 0));

    let approved = start_with(&w, "purchase:PO-1").unwrap();
    let rejected = start_with(&w, "purchase:PO-2").unwrap();
    let withdrawn = start_with(&w, "purchase:PO-3").unwrap();
    assert!(w.oa.business_events(&w.admin, "purchase", 0, 0).unwrap().is_empty(), "nothing ended yet");
    w.approve(approved.id, w.bob).unwrap();
    w.reject(rejected.id, w.bob).unwrap();
    w.act(w.alice, |rt, by| act::withdraw(rt, by, withdrawn.id)).unwrap();

    let feed = w.oa.business_events(&w.admin, "purchase", 0, 0).unwrap();
    let seen: Vec<(u64, &str, InstanceStatus)> =
        feed.iter().map(|e| (e.seq, e.business_key.as_str(), e.outcome)).collect();
    assert_eq!(
        seen,
        vec![
            (1, "purchase:PO-1", InstanceStatus::Approved),
            (2, "purchase:PO-2", InstanceStatus::Rejected),
            (3, "purchase:PO-3", InstanceStatus::Withdrawn),
        ]
    );
    assert_eq!(feed[0].instance, approved.id);
    assert_eq!(feed[0].initiator, w.alice);
    // A consumer that handled the first event asks from there, and again after a crash.
    let rest = w.oa.business_events(&w.admin, "purchase", 1, 0).unwrap();
    assert_eq!(rest.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(w.oa.business_events(&w.admin, "purchase", 1, 0).unwrap(), rest);
    assert_eq!(w.oa.business_events(&w.admin, "purchase", 1, 1).unwrap().len(), 1, "limit holds");
    assert!(w.oa.business_events(&w.admin, "purchase", 3, 0).unwrap().is_empty());
    let types = w.oa.business_types(&w.admin).unwrap();
    assert_eq!(types.len(), 1);
    assert_eq!((types[0].description.as_str(), types[0].last_seq), ("采购申请", 3));
    // Declaring again changes the description and keeps the feed.
    let again = w.oa.declare_business_type(&w.admin, "purchase", "采购").unwrap();
    assert_eq!((again.description.as_str(), again.last_seq), ("采购", 3));
}

#[test]
fn bad_declarations_and_reads_are_typed_errors_that_write_nothing() {
    let w = W::new();
    let before = w.snapshot();
    for bad in ["", "has space", "a:b", "采购"] {
        let e = w.oa.declare_business_type(&w.admin, bad, "x").unwrap_err();
        assert_eq!(e.code(), "validation", "{bad:?}");
        assert_eq!(e.field_errors()[0].path, "prefix", "{bad:?}");
    }
    let e = w.oa.declare_business_type(&w.admin, "ok", &"长".repeat(201)).unwrap_err();
    assert_eq!(e.field_errors()[0].path, "description");
    let e = w.oa.business_events(&w.admin, "ok", 0, 5000).unwrap_err();
    assert_eq!(e.field_errors()[0].path, "limit");
    // The snapshot differs only by the audit records of the refusals, which are not data.
    let data = |s: Vec<(Vec<u8>, Vec<u8>)>| s.into_iter().filter(|(k, _)| k.starts_with(b"wf.")).collect::<Vec<_>>();
    assert_eq!(data(w.snapshot()), data(before));
}

/// Endings racing on many threads get distinct, gap-free numbers: they conflict on the
/// type's counter and retry.
fn concurrent_endings(w: &W) {
    one_step(w);
    w.oa.declare_business_type(&w.admin, "purchase", "").unwrap();
    let ids: Vec<InstanceId> = (0..16).map(|n| start_with(w, &format!("purchase:PO-{n}")).unwrap().id).collect();
    std::thread::scope(|s| {
        for chunk in ids.chunks(2) {
            s.spawn(move || {
                for id in chunk {
                    w.approve(*id, w.bob).unwrap();
                }
            });
        }
    });
    let feed = w.oa.business_events(&w.admin, "purchase", 0, 0).unwrap();
    assert_eq!(feed.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=16).collect::<Vec<u64>>());
    let mut keys: Vec<&str> = feed.iter().map(|e| e.business_key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), 16, "each instance once");
}

#[test]
fn concurrent_endings_on_memory() {
    concurrent_endings(&W::new());
}

#[test]
fn concurrent_endings_on_sled() {
    let dir = tempfile::tempdir().unwrap();
    let store = oa_storage::SledStore::open(dir.path().join("office")).unwrap();
    concurrent_endings(&W::on(Arc::new(store)));
}
