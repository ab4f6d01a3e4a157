//! An in-memory backend: a `BTreeMap` behind a lock.
//!
//! Promise: serializable, atomic, nothing survives the process. Read-write transactions run one
//! at a time (a writer lock) and buffer their writes, so readers never see half a transaction
//! and a failing closure leaves nothing behind.

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};

use crate::overlay::Overlay;
use crate::{
    run_attempts, Attempt, Direction, Key, KeyRange, ReadFn, ReadTxn, Store, StoreError, TxError, Value, WriteFn,
    WriteTxn, MAX_ATTEMPTS,
};

/// A store held in memory; cloning gives another handle to the same data.
///
/// Read-write transactions run one at a time and are serializable; read-only transactions see a
/// consistent snapshot and never wait for a writer's closure. Nothing survives the process.
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    data: RwLock<Data>,
    /// Held by the read-write transaction that runs, and by a read-only transaction's last
    /// attempt so that it cannot be overtaken again.
    writer: Mutex<()>,
}

#[derive(Default)]
struct Data {
    map: BTreeMap<Key, Value>,
    /// How many transactions have committed; a reader whose snapshot number changed under it
    /// saw two different states and runs again.
    version: u64,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `entries`, for loading a snapshot.
    pub fn from_entries(entries: impl IntoIterator<Item = (Key, Value)>) -> Self {
        let store = Self::new();
        store.inner.data.write().map.extend(entries);
        store
    }

    /// Every entry in key order, for saving a snapshot.
    pub fn entries(&self) -> Vec<(Key, Value)> {
        self.inner.data.read().map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The whole store as snapshot bytes (see [`crate::encode_snapshot`]).
    pub fn to_snapshot(&self) -> Vec<u8> {
        crate::encode_snapshot(&self.entries())
    }

    /// A store loaded from snapshot bytes made by [`MemoryStore::to_snapshot`].
    pub fn from_snapshot(bytes: &[u8]) -> Result<Self, StoreError> {
        Ok(Self::from_entries(crate::decode_snapshot(bytes)?))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.inner.data.read().map.len()
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").field("entries", &self.len()).finish()
    }
}

fn base<'a>(
    map: &'a BTreeMap<Key, Value>,
    range: &KeyRange,
    direction: Direction,
) -> Box<dyn Iterator<Item = (&'a Key, &'a Value)> + 'a> {
    // `BTreeMap::range` panics on an inverted range; callers have checked `is_empty`.
    let iter = map.range::<[u8], _>(range.bounds());
    match direction {
        Direction::Forward => Box::new(iter),
        Direction::Backward => Box::new(iter.rev()),
    }
}

/// A read-only transaction: every read checks that no commit landed since the snapshot began.
struct MemRead<'a> {
    inner: &'a Inner,
    version: u64,
    attempt: u32,
    conflicted: bool,
}

impl MemRead<'_> {
    fn check(&mut self, data: &Data) -> Result<(), StoreError> {
        if self.conflicted || data.version != self.version {
            self.conflicted = true;
            return Err(StoreError::Conflict { attempts: self.attempt });
        }
        Ok(())
    }
}

impl ReadTxn for MemRead<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        let data = self.inner.data.read();
        self.check(&data)?;
        Ok(data.map.get(key).cloned())
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        let data = self.inner.data.read();
        self.check(&data)?;
        if range.is_empty() {
            return Ok(Vec::new());
        }
        Ok(base(&data.map, range, direction).take(limit).map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    fn conflicted(&self) -> bool {
        self.conflicted
    }
}

/// A read-write transaction: it holds the writer lock, so the committed data cannot change
/// under it, and it buffers its writes until the closure returns `Ok`.
struct MemWrite<'a> {
    inner: &'a Inner,
    overlay: Overlay,
}

impl ReadTxn for MemWrite<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        match self.overlay.get(key) {
            Some(v) => Ok(v),
            None => Ok(self.inner.data.read().map.get(key).cloned()),
        }
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let data = self.inner.data.read();
        let iter = base(&data.map, range, direction).map(|(k, v)| Ok((k.clone(), v.clone())));
        self.overlay.merge(iter, range, direction, limit)
    }
}

impl WriteTxn for MemWrite<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.overlay.put(key, value);
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<(), StoreError> {
        self.overlay.delete(key);
        Ok(())
    }

    fn as_read(&mut self) -> &mut dyn ReadTxn {
        self
    }
}

impl Store for MemoryStore {
    fn read_dyn(&self, f: &mut ReadFn<'_>) -> Result<(), TxError> {
        let inner = &*self.inner;
        run_attempts(|attempt| {
            // The last attempt keeps writers out, so that a reader always finishes.
            let _writer = (attempt == MAX_ATTEMPTS).then(|| inner.writer.lock());
            let version = inner.data.read().version;
            let mut tx = MemRead { inner, version, attempt, conflicted: false };
            let result = f(&mut tx);
            Attempt::after_closure(tx.conflicted, result)
        })
    }

    fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError> {
        let inner = &*self.inner;
        // One writer at a time makes every read-write transaction serializable without
        // conflict detection; the lock is held only while the closure runs and commits.
        let _writer = inner.writer.lock();
        run_attempts(|_| {
            let mut tx = MemWrite { inner, overlay: Overlay::default() };
            let result = f(&mut tx);
            match Attempt::after_closure(tx.conflicted(), result) {
                Attempt::Done(Ok(())) => {}
                other => return other,
            }
            if tx.overlay.writes.is_empty() {
                return Attempt::Done(Ok(()));
            }
            let mut data = inner.data.write();
            for (k, v) in std::mem::take(&mut tx.overlay.writes) {
                match v {
                    Some(v) => {
                        data.map.insert(k, v);
                    }
                    None => {
                        data.map.remove(&k);
                    }
                }
            }
            data.version += 1;
            Attempt::Done(Ok(()))
        })
    }

    fn backend(&self) -> &'static str {
        "memory"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreExt;

    fn fresh() -> Box<dyn Store> {
        Box::new(MemoryStore::new())
    }

    mod conformance {
        use super::fresh;
        crate::conformance_tests!(fresh);
    }

    #[test]
    fn snapshots_round_trip() {
        let store = MemoryStore::from_entries([(b"b".to_vec(), b"2".to_vec()), (b"a".to_vec(), b"1".to_vec())]);
        assert_eq!(store.len(), 2);
        assert_eq!(store.get(b"a"), Ok(Some(b"1".to_vec())));
        let copy = MemoryStore::from_entries(store.entries());
        assert_eq!(copy.entries(), vec![(b"a".to_vec(), b"1".to_vec()), (b"b".to_vec(), b"2".to_vec())]);
        assert!(!copy.is_empty());
    }
}
