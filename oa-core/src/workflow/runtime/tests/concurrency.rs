//! Two approvers acting at once on the same countersign, one task submitted twice at once, and
//! an owner taking back a delegated task (委派) while its delegate resolves it, on memory and on
//! sled: no vote lost, no node completed twice, no task lost or doubled.

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

fn take_back_against_resolve(w: &W) {
    w.publish(
        "dl",
        json!([
            {"id": "start", "type": "start", "next": "n"},
            approval("n", "after", people(&[w.bob]), json!({})),
            approval("after", "end", people(&[w.carol]), json!({})),
            {"id": "end", "type": "end"}
        ]),
    );
    let dave = w.dave;
    let badge = |p| w.oa.store().read(|tx| store::badge_counts(tx, p)).unwrap().todo;
    // Other scenarios may have run on this office first: count from where the badges stand.
    let (bob0, dave0) = (badge(w.bob), badge(w.dave));
    for _ in 0..5 {
        let i = w.start(w.alice, "dl", json!({})).unwrap();
        let t = w.task_of(i.id, w.bob);
        let dt = w.act(w.bob, |rt, by| act::delegate_task(rt, by, t, dave, "")).unwrap();
        let (back, resolved) = std::thread::scope(|s| {
            let a = s.spawn(|| w.act(w.bob, |rt, by| act::take_back_task(rt, by, t)));
            let b = s.spawn(|| w.act(w.dave, |rt, by| act::approve(rt, by, dt.id, "", None)));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(back.is_ok() != resolved.is_ok(), "exactly one wins: {back:?} {resolved:?}");
        let loser = back.err().or(resolved.err()).unwrap();
        assert_eq!(loser.code(), "invalid_state");
        let tasks = w.tasks(i.id);
        let owner = tasks.iter().find(|x| x.id == t).unwrap();
        let delegate = tasks.iter().find(|x| x.id == dt.id).unwrap();
        assert_eq!(owner.status, TaskStatus::Pending, "bob has his task back either way");
        assert!(matches!(delegate.status, TaskStatus::Resolved | TaskStatus::Withdrawn), "{:?}", delegate.status);
        assert_eq!(w.pending(i.id), vec![("n".to_string(), w.bob)]);
        let h = w.oa.store().read(|tx| store::history(tx, i.id)).unwrap();
        let ends = h.iter().filter(|e| matches!(e.action, HistoryAction::TakenBack | HistoryAction::Resolved)).count();
        assert_eq!(ends, 1);
        assert_eq!((badge(w.bob), badge(w.dave)), (bob0 + 1, dave0));
        w.approve(i.id, w.bob).unwrap();
        assert_eq!(w.pending(i.id), vec![("after".to_string(), w.carol)]);
        w.approve(i.id, w.carol).unwrap();
    }
}

#[test]
fn concurrent_take_back_and_resolve_on_memory() {
    take_back_against_resolve(&W::new());
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
    take_back_against_resolve(&w);
}
