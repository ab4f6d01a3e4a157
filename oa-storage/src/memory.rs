//! An in-memory backend: a persistent ordered map, one version of which is the committed state.
//!
//! Promise: serializable, atomic, nothing survives the process. A read-only transaction sees one
//! committed state, never half a transaction; it runs once (a commit landing under it is no
//! conflict) and never waits for a writer's closure. Read-write transactions run one at a time,
//! see their own writes, and leave nothing behind when their closure fails.
//!
//! How it is kept: the committed state is an [`imbl::OrdMap`], a B-tree whose versions share
//! their nodes, so that a copy costs one reference count and a change copies only the nodes on
//! its path that another version still holds. The store keeps the current version as an `Arc`
//! behind a lock that no closure ever holds:
//!
//! - a read-only transaction takes an `Arc` of the current version when it starts and reads only
//!   that: a commit landing meanwhile installs a new version and leaves this one as it was, so
//!   every read sees the same state and nothing needs checking or running again;
//! - a read-write transaction holds the writer lock from its start to its commit, so the committed
//!   version cannot change under it; it buffers its writes (its reads look there first, then at
//!   the committed version) and when its closure returns `Ok` it applies them all at once. If no
//!   reader holds the current version, it is changed in place under the lock, which copies
//!   nothing (a reader starting meanwhile waits for those few inserts, never for a closure);
//!   otherwise the writes go into a copy made beside it, outside the lock, and the lock is held
//!   only to put the copy in its place. A closure that fails drops its buffer.
//!
//! Keys and values are held as `Arc<[u8]>`, so that copying a node on a write path, which clones
//! the entries it holds, costs reference counts rather than allocations.

use std::sync::Arc;

use imbl::OrdMap;
use parking_lot::{Mutex, RwLock};

use crate::overlay::Overlay;
use crate::{
    run_attempts, Attempt, Direction, Key, KeyRange, ReadFn, ReadTxn, Store, StoreError, TxError, Value, WriteFn,
    WriteTxn,
};

/// Bytes shared between the versions of the map.
type Bytes = Arc<[u8]>;
/// One version of the store's contents.
type Map = OrdMap<Bytes, Bytes>;

/// A store held in memory; cloning gives another handle to the same data.
///
/// Read-write transactions run one at a time and are serializable; read-only transactions read
/// the version committed when they started, and never wait for a writer's closure. Nothing
/// survives the process.
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// The committed version. Each read-only transaction holds an `Arc` of the version it reads,
    /// which is how a commit knows whether it may change the version in place.
    committed: RwLock<Arc<Map>>,
    /// Held by the read-write transaction that runs, from its start to its commit: this is what
    /// makes read-write transactions serializable.
    writer: Mutex<()>,
}

impl Inner {
    /// The committed version as it is now; later commits leave it as it is.
    fn snapshot(&self) -> Arc<Map> {
        Arc::clone(&self.committed.read())
    }

    /// Applies a committed transaction's writes. The caller holds the writer lock and no `Arc` of
    /// the current version of its own.
    fn apply(&self, writes: impl IntoIterator<Item = (Key, Option<Value>)>) {
        let mut current = self.committed.write();
        if let Some(map) = Arc::get_mut(&mut current) {
            // No reader holds this version: nobody can tell it changed in place.
            put_all(map, writes);
            return;
        }
        // Readers hold it: build the next version beside it, without keeping new readers out.
        let mut next = Map::clone(&current);
        drop(current);
        put_all(&mut next, writes);
        let old = std::mem::replace(&mut *self.committed.write(), Arc::new(next));
        // Dropped after the lock is released: if no reader holds the old version any more, the
        // nodes only it held are freed here without keeping new readers waiting.
        drop(old);
    }
}

fn put_all(map: &mut Map, writes: impl IntoIterator<Item = (Key, Option<Value>)>) {
    for (k, v) in writes {
        match v {
            Some(v) => {
                map.insert(Bytes::from(k), Bytes::from(v));
            }
            None => {
                map.remove(&k[..]);
            }
        }
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A store holding `entries`, for loading a snapshot. A key given twice keeps its last value.
    pub fn from_entries(entries: impl IntoIterator<Item = (Key, Value)>) -> Self {
        let map: Map = entries.into_iter().map(|(k, v)| (Bytes::from(k), Bytes::from(v))).collect();
        Self { inner: Arc::new(Inner { committed: RwLock::new(Arc::new(map)), writer: Mutex::new(()) }) }
    }

    /// Every entry in key order, for saving a snapshot.
    pub fn entries(&self) -> Vec<(Key, Value)> {
        self.inner.snapshot().iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect()
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
        self.inner.committed.read().len()
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

/// The entries of `range` in `direction` order. `range` must not be empty: `OrdMap::range`
/// panics on an inverted one.
fn base<'a>(map: &'a Map, range: &KeyRange, direction: Direction) -> Box<dyn Iterator<Item = (Key, Value)> + 'a> {
    let iter = map.range::<_, [u8]>(range.bounds()).map(|(k, v)| (k.to_vec(), v.to_vec()));
    match direction {
        Direction::Forward => Box::new(iter),
        Direction::Backward => Box::new(iter.rev()),
    }
}

/// A read-only transaction: the version committed when it started.
struct MemRead {
    map: Arc<Map>,
}

impl ReadTxn for MemRead {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        Ok(self.map.get(key).map(|v| v.to_vec()))
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        Ok(base(&self.map, range, direction).take(limit).collect())
    }
}

/// A read-write transaction: it holds the writer lock, so `map` stays the committed version,
/// and it buffers its writes until the closure returns `Ok`.
struct MemWrite {
    map: Arc<Map>,
    overlay: Overlay,
}

impl ReadTxn for MemWrite {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        match self.overlay.get(key) {
            Some(v) => Ok(v),
            None => Ok(self.map.get(key).map(|v| v.to_vec())),
        }
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        self.overlay.merge(base(&self.map, range, direction).map(Ok), range, direction, limit)
    }
}

impl WriteTxn for MemWrite {
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
        // Nothing can conflict with a version that never changes; only a closure that reports a
        // conflict of its own runs again, on the version committed by then.
        run_attempts(|_| {
            let mut tx = MemRead { map: inner.snapshot() };
            let result = f(&mut tx);
            Attempt::after_closure(tx.conflicted(), result)
        })
    }

    fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError> {
        let inner = &*self.inner;
        // One writer at a time makes every read-write transaction serializable without
        // conflict detection; the lock is held while the closure runs and commits.
        let _writer = inner.writer.lock();
        run_attempts(|_| {
            let mut tx = MemWrite { map: inner.snapshot(), overlay: Overlay::default() };
            let result = f(&mut tx);
            match Attempt::after_closure(tx.conflicted(), result) {
                Attempt::Done(Ok(())) => {}
                other => return other,
            }
            let MemWrite { map, overlay } = tx;
            // This transaction's own `Arc` would make every commit copy its path.
            drop(map);
            if !overlay.writes.is_empty() {
                inner.apply(overlay.writes);
            }
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

    /// A read-only transaction reads the version committed when it began, runs once, and holds
    /// no writer off: here writers commit in another thread while the reader waits for them in
    /// the middle of its closure, which would never end if they needed the reader to finish.
    #[test]
    fn a_reader_keeps_its_version_while_writers_commit_beside_it() {
        let store = MemoryStore::from_entries((0..100u8).map(|i| (vec![b'k', i], vec![i])));
        let before = store.entries();
        let mut runs = 0;
        let (first, second) = store
            .read(|tx| {
                runs += 1;
                let first = tx.scan(&KeyRange::all(), Direction::Forward, usize::MAX)?;
                let (done, finished) = std::sync::mpsc::channel();
                let writer = store.clone();
                std::thread::spawn(move || {
                    for i in 0..50u8 {
                        writer
                            .write(|w| {
                                w.delete(&[b'k', i])?;
                                w.put(&[b'n', i], b"new")
                            })
                            .expect("a write beside the reader");
                    }
                    done.send(()).expect("the reader waits");
                });
                // A generous bound that only turns a writer stuck behind the reader into a failure.
                finished.recv_timeout(std::time::Duration::from_secs(120)).expect("the writers finished");
                let second = tx.scan(&KeyRange::all(), Direction::Backward, usize::MAX)?;
                Ok::<_, StoreError>((first, second))
            })
            .expect("read");
        assert_eq!(runs, 1, "no commit makes a reader run again");
        assert_eq!(first, before);
        assert_eq!(second.into_iter().rev().collect::<Vec<_>>(), before, "the reader's version never changed");
        let after = store.entries();
        assert_eq!(after.len(), 100);
        assert!(after[..50].iter().all(|(k, v)| k[0] == b'k' && v == &[k[1]]));
        assert!(after[50..].iter().all(|(k, v)| k[0] == b'n' && v == b"new"));
        assert_eq!(
            Arc::strong_count(&store.inner.committed.read()),
            1,
            "a transaction that ended holds no version, so that the next commit changes it in place"
        );
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
