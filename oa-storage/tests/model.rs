//! Random transactions — puts, deletes, gets and scans, committed or aborted — applied to each
//! backend and to a `BTreeMap`, which must agree on every read.

#![cfg(any(feature = "memory", feature = "sled"))]

use std::ops::Bound;

use oa_storage::conformance::{model_check, ModelTxn, Op};
use oa_storage::{Direction, KeyRange, Store};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Keys from a small alphabet, so that operations collide, with `0x00` and `0xff` edges.
fn key() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(vec![0x00u8, 0x01, b'a', 0xfe, 0xff]), 0..4)
}

fn bound() -> impl Strategy<Value = Bound<Vec<u8>>> {
    prop_oneof![Just(Bound::Unbounded), key().prop_map(Bound::Included), key().prop_map(Bound::Excluded)]
}

fn range() -> impl Strategy<Value = KeyRange> {
    prop_oneof![
        3 => (bound(), bound()).prop_map(|(start, end)| KeyRange { start, end }),
        1 => key().prop_map(|p| KeyRange::prefix(&p)),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (key(), prop::collection::vec(any::<u8>(), 0..6)).prop_map(|(k, v)| Op::Put(k, v)),
        2 => key().prop_map(Op::Delete),
        1 => key().prop_map(Op::Get),
        3 => (
            range(),
            prop_oneof![Just(Direction::Forward), Just(Direction::Backward)],
            prop_oneof![0usize..4, Just(usize::MAX)],
        )
            .prop_map(|(range, direction, limit)| Op::Scan { range, direction, limit }),
    ]
}

fn txns() -> impl Strategy<Value = Vec<ModelTxn>> {
    let txn = (prop::collection::vec(op(), 0..16), prop::bool::weighted(0.7))
        .prop_map(|(ops, commit)| ModelTxn { ops, commit });
    prop::collection::vec(txn, 1..8)
}

/// Runs `cases` random sequences against `store`; the model starts from whatever the store
/// holds, so one store serves every case.
fn agrees_with_model(store: &dyn Store, cases: u32) {
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = runner.run(&txns(), |txns| {
        let outcome = model_check(store, &txns);
        prop_assert!(outcome.is_ok(), "{}", outcome.err().map(|f| f.to_string()).unwrap_or_default());
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[cfg(feature = "memory")]
#[test]
fn memory_agrees_with_a_btreemap() {
    agrees_with_model(&oa_storage::MemoryStore::new(), 256);
}

#[cfg(feature = "sled")]
#[test]
fn sled_agrees_with_a_btreemap() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = oa_storage::SledStore::open(dir.path().join("office")).expect("open");
    agrees_with_model(&store, 128);
}
