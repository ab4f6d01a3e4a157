//! An in-memory backend: a `BTreeMap` behind a lock.
//!
//! Promise: serializable, atomic, nothing survives the process. Read-write transactions run one
//! at a time (a writer lock) and buffer their writes, so readers never see half a transaction
//! and a failing closure leaves nothing behind.

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock};

use crate::overlay::Overlay;
use crate::{Direction, Key, KeyRange, ReadFn, ReadTxn, Store, StoreError, TxError, Value, WriteFn, WriteTxn};

/// A store held in memory; cloning gives another handle to the same data.
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    data: RwLock<BTreeMap<Key, Value>>,
    writer: Mutex<()>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `entries`, for loading a snapshot.
    pub fn from_entries(entries: impl IntoIterator<Item = (Key, Value)>) -> Self {
        let store = Self::new();
        store.inner.data.write().extend(entries);
        store
    }

    /// Every entry in key order, for saving a snapshot.
    pub fn entries(&self) -> Vec<(Key, Value)> {
        self.inner.data.read().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.inner.data.read().len()
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

fn scan_base(
    data: &BTreeMap<Key, Value>,
    range: &KeyRange,
    direction: Direction,
    limit: usize,
) -> Vec<(Key, Value)> {
    if range.is_empty() {
        return Vec::new();
    }
    let iter = data.range::<[u8], _>(range.bounds()).map(|(k, v)| (k.clone(), v.clone()));
    match direction {
        Direction::Forward => iter.take(limit).collect(),
        Direction::Backward => iter.rev().take(limit).collect(),
    }
}

struct MemRead<'a> {
    inner: &'a Inner,
}

impl ReadTxn for MemRead<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        Ok(self.inner.data.read().get(key).cloned())
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        Ok(scan_base(&self.inner.data.read(), range, direction, limit))
    }
}

struct MemWrite<'a> {
    inner: &'a Inner,
    overlay: Overlay,
}

impl ReadTxn for MemWrite<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        match self.overlay.get(key) {
            Some(v) => Ok(v),
            None => Ok(self.inner.data.read().get(key).cloned()),
        }
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        let data = self.inner.data.read();
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let iter = data.range::<[u8], _>(range.bounds()).map(|(k, v)| Ok((k.clone(), v.clone())));
        match direction {
            Direction::Forward => self.overlay.merge(iter, range, direction, limit),
            Direction::Backward => self.overlay.merge(iter.rev(), range, direction, limit),
        }
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
        f(&mut MemRead { inner: &self.inner })
    }

    fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError> {
        // One writer at a time makes every read-write transaction serializable without
        // conflict detection; the lock is held only while the closure runs.
        let _writer = self.inner.writer.lock();
        let mut tx = MemWrite { inner: &self.inner, overlay: Overlay::default() };
        f(&mut tx)?;
        let mut data = self.inner.data.write();
        for (k, v) in std::mem::take(&mut tx.overlay.writes) {
            match v {
                Some(v) => {
                    data.insert(k, v);
                }
                None => {
                    data.remove(&k);
                }
            }
        }
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "memory"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conformance() {
        crate::conformance::run_all(&|| Box::new(MemoryStore::new()));
    }
}
