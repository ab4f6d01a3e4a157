//! Two approvers acting at once on the same countersign, and one task submitted twice at once,
//! on memory and on sled: no vote lost, no node completed twice.

use std::sync::Arc;

use serde_json::json;

use super::*;
use crate::workflow::runtime::act;
use crate::workflow::runtime::model::{HistoryAction, InstanceStatus};

fn countersign_race(w: &W) {
    w.publish(
        "cs",
        json!([
            {"id": "start", "type": "start", "next": "n"},
            approval("n", "after", people(&[w.bob, w.carol]), json!({"method": "all"})),
            approval("after", "end", people(&[w.dave]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    for _ in 0..5 {
        let i = w.start(w.alice, "cs", json!({})).unwrap();
        let (tb, tc) = (w.task_of(i.id, w.bob), w.task_of(i.id, w.carol));
        let results: Vec<OaResult<Instance>> = std::thread::scope(|s| {
            let a = s.spawn(|| w.act(w.bob, |rt, by| act::approve(rt, by, tb, "", None)));
            let b = s.spawn(|| w.act(w.carol, |rt, by| act::approve(rt, by, tc, "", None)));
            vec![a.join().unwrap(), b.join().unwrap()]
        });
        assert!(results.iter().all(Result::is_ok), "{results:?}");
        assert_eq!(w.pending(i.id), vec![("after".to_string(), w.dave)], "both votes counted, the node passed once");
        let tasks = w.tasks(i.id);
        assert_eq!(tasks.iter().filter(|t| t.node == "after").count(), 1, "the next node opened once");
    }
}

fn double_submit(w: &W) {
    w.publish(
        "one",
        json!([
            {"id": "start", "type": "start", "next": "n"},
            approval("n", "end", people(&[w.bob]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    for _ in 0..5 {
        let i = w.start(w.alice, "one", json!({})).unwrap();
        let t = w.task_of(i.id, w.bob);
        let results: Vec<OaResult<Instance>> = std::thread::scope(|s| {
            let hs: Vec<_> =
                (0..2).map(|_| s.spawn(|| w.act(w.bob, |rt, by| act::approve(rt, by, t, "", None)))).collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "{results:?}");
        let err = results.into_iter().find_map(Result::err).unwrap();
        assert_eq!(err.code(), "invalid_state");
        assert_eq!(w.inst(i.id).status, InstanceStatus::Approved);
        let h = w.oa.store().read(|tx| store::history(tx, i.id)).unwrap();
        assert_eq!(h.iter().filter(|e| e.action == HistoryAction::Ended).count(), 1);
        assert_eq!(h.iter().filter(|e| e.action == HistoryAction::Approved).count(), 1);
    }
}

#[test]
fn concurrent_countersign_on_memory() {
    countersign_race(&W::new());
}

#[test]
fn concurrent_double_submit_on_memory() {
    double_submit(&W::new());
}

#[test]
fn concurrency_on_sled() {
    let dir = tempfile::tempdir().unwrap();
    let store = oa_storage::SledStore::open(dir.path().join("office")).unwrap();
    let w = W::on(Arc::new(store));
    countersign_race(&w);
    double_submit(&w);
}
