//! An office upgraded in the middle of its day: its records were written by a release that
//! stored ids and instants as text, and this release carries on from them.

use std::sync::Arc;

use oa_storage::MemoryStore;
use serde_json::json;

use super::*;
use crate::admin::numbering::{IssuedNumber, NumberingRule};
use crate::audit::AuditRecord;
use crate::auth::SessionRecord;
use crate::codec::{self, Record, COMPACT};
use crate::form::{AttachmentInfo, Form};
use crate::org::{Department, Person};
use crate::perm::{Grant, Role};
use crate::workflow::runtime::model::{Delegation, HistoryEntry, InstanceStatus, TaskQuery};
use crate::workflow::runtime::{BusinessEvent, BusinessType};
use crate::PageRequest;

/// `raw` in the text form of version 1, if it is a `T` record this release wrote.
fn as_text<T: Record>(raw: &[u8]) -> Option<Vec<u8>> {
    let record: T = codec::decode(raw).ok()?;
    (codec::encode(&record).ok()? == raw).then(|| codec::encode_v1(&record))
}

/// Rewrites every record of `store` as the release before [`COMPACT`] wrote it; returns the
/// keys of the records of the compact form it left, those of types this module cannot name.
fn written_by_the_previous_release(store: &MemoryStore) -> Vec<String> {
    let mut left = Vec::new();
    let mut rewritten = 0;
    for (key, raw) in store.entries() {
        if raw.get(..3) != Some(&[1, 0, COMPACT as u8][..]) {
            continue;
        }
        let text = as_text::<Instance>(&raw)
            .or_else(|| as_text::<Task>(&raw))
            .or_else(|| as_text::<HistoryEntry>(&raw))
            .or_else(|| as_text::<Delegation>(&raw))
            .or_else(|| as_text::<BusinessType>(&raw))
            .or_else(|| as_text::<BusinessEvent>(&raw))
            .or_else(|| as_text::<ProcessDefinition>(&raw))
            .or_else(|| as_text::<Form>(&raw))
            .or_else(|| as_text::<AttachmentInfo>(&raw))
            .or_else(|| as_text::<SessionRecord>(&raw))
            .or_else(|| as_text::<AuditRecord>(&raw))
            .or_else(|| as_text::<Person>(&raw))
            .or_else(|| as_text::<Department>(&raw))
            .or_else(|| as_text::<Role>(&raw))
            .or_else(|| as_text::<Grant>(&raw))
            .or_else(|| as_text::<NumberingRule>(&raw))
            .or_else(|| as_text::<IssuedNumber>(&raw));
        match text {
            Some(text) => {
                store.write(|tx| tx.put(&key, &text)).unwrap();
                rewritten += 1;
            }
            None => left.push(String::from_utf8_lossy(&key).into_owned()),
        }
    }
    assert!(rewritten > 40, "only {rewritten} records rewritten");
    left
}

#[test]
fn an_office_written_with_ids_and_instants_as_text_carries_on_after_the_upgrade() {
    let store = Arc::new(MemoryStore::new());
    let w = W::on(store.clone());
    w.publish(
        "trip",
        json!([
            {"id": "start", "type": "start", "next": "a"},
            approval("a", "b", people(&[w.bob]), json!({"deadline": {"after": {"amount": 8, "unit": "hours"}, "action": "remind"}})),
            approval("b", "end", people(&[w.carol]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    let alice = w.session("alice", w.alice);
    let first = w.start(w.alice, "trip", json!({"amount": 12})).unwrap();
    w.approve(first.id, w.bob).unwrap();
    let second = w.start(w.alice, "trip", json!({"amount": 34})).unwrap();
    w.clock.advance(chrono::Duration::milliseconds(1234));
    let before_first = w.oa.instance(&alice, first.id).unwrap();
    let before_second = w.oa.instance(&alice, second.id).unwrap();

    // The same office as the previous release left it.
    let left = written_by_the_previous_release(&store);
    // Passwords and the working calendar are records of modules private to theirs.
    assert!(left.iter().all(|k| k.starts_with("auth.cred") || k.starts_with("admin.cal")), "{left:?}");
    assert_eq!(&store.get(crate::audit::record_key(1).as_bytes()).unwrap().unwrap()[..3], &[1, 0, 1]);

    // Everything reads as it did, through a session written as text.
    assert_eq!(w.oa.whoami(&alice).unwrap().person, w.alice);
    assert_eq!(w.oa.instance(&alice, first.id).unwrap(), before_first);
    assert_eq!(w.oa.instance(&alice, second.id).unwrap(), before_second);
    let bob_todo = w.oa.todo(&w.session("bob", w.bob), TaskQuery::default(), PageRequest::default()).unwrap();
    assert_eq!(bob_todo.items.iter().map(|t| t.instance).collect::<Vec<_>>(), vec![second.id]);
    assert_eq!(bob_todo.items[0].created_at, before_second.tasks[0].created_at);

    // And the day goes on, writing the compact form beside the old records.
    assert_eq!(w.approve(first.id, w.carol).unwrap().status, InstanceStatus::Approved);
    w.approve(second.id, w.bob).unwrap();
    assert_eq!(w.approve(second.id, w.carol).unwrap().status, InstanceStatus::Approved);
    let after = w.oa.instance(&alice, first.id).unwrap();
    assert_eq!(after.history[..before_first.history.len()], before_first.history[..]);
    assert_eq!(after.instance.created_at, before_first.instance.created_at);
    let key = crate::workflow::runtime::model::keys::instance(first.id);
    assert_eq!(&store.get(key.as_bytes()).unwrap().unwrap()[..3], &[1, 0, COMPACT as u8]);
    let report = w.oa.verify_audit_chain(&w.admin_again()).unwrap();
    assert!(report.is_intact(), "{report:?}");
}
