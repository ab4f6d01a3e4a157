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
//! the entries it holds, costs reference counts rather than allocations. Each key also carries
//! its first 16 bytes as an integer inside the node (see [`MapKey`]).

use std::cmp::Ordering;
use std::ops::Bound;
use std::sync::Arc;

use equivalent::{Comparable, Equivalent};
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
type Map = OrdMap<MapKey, Bytes>;

/// A key as the map holds it: the key, and its first 16 bytes (padded with zeros) as a big-endian
/// integer. A search compares the integers first and reads the key's bytes only when they are
/// equal, so that on its way down the tree it seldom follows a pointer out of the node it is in:
/// the nodes' binary search would otherwise wait for a cache miss at every step.
///
/// Ordering by `head` first is ordering by the bytes: where the padded heads differ, the first
/// difference is a byte of both keys or the end of the shorter one, which then comes first.
#[derive(Clone)]
struct MapKey {
    head: u128,
    key: Bytes,
}

fn head(key: &[u8]) -> u128 {
    let mut bytes = [0u8; 16];
    let n = key.len().min(16);
    bytes[..n].copy_from_slice(&key[..n]);
    u128::from_be_bytes(bytes)
}

impl MapKey {
    fn new(key: &[u8]) -> Self {
        MapKey { head: head(key), key: Bytes::from(key) }
    }
}

impl PartialEq for MapKey {
    fn eq(&self, other: &Self) -> bool {
        self.head == other.head && self.key == other.key
    }
}

impl Eq for MapKey {}

impl PartialOrd for MapKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MapKey {
    fn cmp(&self, other: &Self) -> Ordering {
        self.head.cmp(&other.head).then_with(|| self.key.cmp(&other.key))
    }
}

/// A key being looked up, with its head computed once.
struct Probe<'a> {
    head: u128,
    key: &'a [u8],
}

impl<'a> Probe<'a> {
    fn new(key: &'a [u8]) -> Self {
        Probe { head: head(key), key }
    }
}

impl Equivalent<MapKey> for Probe<'_> {
    fn equivalent(&self, other: &MapKey) -> bool {
        self.head == other.head && *self.key == *other.key
    }
}

impl Comparable<MapKey> for Probe<'_> {
    fn compare(&self, other: &MapKey) -> Ordering {
        self.head.cmp(&other.head).then_with(|| self.key.cmp(&other.key))
    }
}

fn probe(bound: Bound<&[u8]>) -> Bound<Probe<'_>> {
    bound.map(Probe::new)
}

fn lookup(map: &Map, key: &[u8]) -> Option<Value> {
    map.get(&Probe::new(key)).map(|v| v.to_vec())
}

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
                map.insert(MapKey::new(&k), Bytes::from(v));
            }
            None => {
                map.remove(&Probe::new(&k));
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
        let map: Map = entries.into_iter().map(|(k, v)| (MapKey::new(&k), Bytes::from(v))).collect();
        Self { inner: Arc::new(Inner { committed: RwLock::new(Arc::new(map)), writer: Mutex::new(()) }) }
    }

    /// Every entry in key order, for saving a snapshot.
    pub fn entries(&self) -> Vec<(Key, Value)> {
        self.inner.snapshot().iter().map(|(k, v)| (k.key.to_vec(), v.to_vec())).collect()
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
    let (start, end) = range.bounds();
    let iter = map.range((probe(start), probe(end))).map(|(k, v)| (k.key.to_vec(), v.to_vec()));
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
        Ok(lookup(&self.map, key))
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
            None => Ok(lookup(&self.map, key)),
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

    fn bytes() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        proptest::collection::vec(proptest::sample::select(vec![0x00u8, 0x01, 0xff]), 0..4)
    }

    proptest::proptest! {
        /// The map orders keys by their heads first; that must be the order of their bytes,
        /// zeros, padding and keys longer than a head included.
        #[test]
        fn keys_order_as_their_bytes(
            common in proptest::collection::vec(proptest::sample::select(vec![0x00u8, 0x01, 0xff]), 0..20),
            a in bytes(),
            b in bytes(),
        ) {
            let a = [common.as_slice(), &a].concat();
            let b = [common.as_slice(), &b].concat();
            proptest::prop_assert_eq!(MapKey::new(&a).cmp(&MapKey::new(&b)), a.cmp(&b));
            proptest::prop_assert_eq!(Probe::new(&a).compare(&MapKey::new(&b)), a.cmp(&b));
            proptest::prop_assert_eq!(Probe::new(&a).equivalent(&MapKey::new(&b)), a == b);
        }
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
