//! The conformance suite every backend passes, written once.
//!
//! A backend's tests call [`run_all`] with a factory that makes a fresh, empty store.

use crate::{Direction, KeyRange, Store, StoreError, StoreExt};

/// A factory of fresh, empty stores.
pub type Factory<'a> = &'a (dyn Fn() -> Box<dyn Store> + Sync);

/// Runs every check of the suite; panics with the name of the first check that fails.
pub fn run_all(make: Factory<'_>) {
    atomicity(make);
    reads_see_own_writes(make);
    scan_order_and_bounds(make);
}

/// A failing closure leaves nothing behind.
pub fn atomicity(make: Factory<'_>) {
    let store = make();
    let r: Result<(), StoreError> = store.write(|tx| {
        tx.put(b"a", b"1")?;
        tx.put(b"b", b"2")?;
        Err(StoreError::Io("boom".into()))
    });
    assert!(r.is_err(), "atomicity: the closure's error is returned");
    assert_eq!(store.get(b"a").unwrap(), None, "atomicity: nothing of a failed transaction is written");
}

/// A transaction's reads see its own writes, deletes included.
pub fn reads_see_own_writes(make: Factory<'_>) {
    let store = make();
    store.write(|tx| tx.put(b"k", b"old")).unwrap();
    store
        .write(|tx| {
            tx.put(b"k", b"new")?;
            assert_eq!(tx.get(b"k")?, Some(b"new".to_vec()));
            tx.delete(b"k")?;
            assert_eq!(tx.get(b"k")?, None);
            assert!(tx.scan(&KeyRange::all(), Direction::Forward, 10)?.is_empty());
            Ok::<_, StoreError>(())
        })
        .unwrap();
}

/// Scans come back in key order, both ways, inside their bounds, and stop at the limit.
pub fn scan_order_and_bounds(make: Factory<'_>) {
    let store = make();
    store
        .write(|tx| {
            for k in [b"a1", b"a3", b"a2", b"b1", b"a0"] {
                tx.put(k, k)?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let keys = |d, limit| -> Vec<Vec<u8>> {
        store.scan(&KeyRange::prefix(b"a"), d, limit).unwrap().into_iter().map(|(k, _)| k).collect()
    };
    assert_eq!(keys(Direction::Forward, 10), vec![b"a0".to_vec(), b"a1".to_vec(), b"a2".to_vec(), b"a3".to_vec()]);
    assert_eq!(keys(Direction::Backward, 2), vec![b"a3".to_vec(), b"a2".to_vec()]);
}
