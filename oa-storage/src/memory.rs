//! An in-memory backend: a persistent ordered map, one version of which is the committed state,
//! with optimistic read-write transactions.
//!
//! Promise: serializable, atomic, nothing survives the process. A read-only transaction sees one
//! committed state, never half a transaction; it runs once (a commit landing under it is no
//! conflict) and never waits for a writer's closure. Read-write transactions see their own
//! writes, leave nothing behind when their closure fails, and run their closures side by side:
//! a writer waits for another writer's closure only after a conflict (see below).
//!
//! # Versions
//!
//! The committed state is an [`imbl::OrdMap`], a B-tree whose versions share their nodes, so
//! that a copy costs one reference count and a change copies only the nodes on its path that
//! another version still holds. The store keeps the current version as an `Arc`, with the number
//! of the commit that made it, behind a lock that no closure ever holds. A transaction takes an
//! `Arc` of the current version when it starts (its snapshot) and reads only that: a commit
//! landing meanwhile installs a new version and leaves this one as it was. A read-only
//! transaction therefore sees one state throughout, and nothing needs checking or running again.
//!
//! # Read-write transactions: optimistic first
//!
//! A read-write transaction's first attempt takes a snapshot and runs its closure without any
//! lock. It buffers its writes (its reads look there first, then at the snapshot) and records
//! what it read from the snapshot: each key it got, and for each scan the extent of keys the
//! scan covered, which is the whole range when the scan ran out, but only up to the last key it
//! returned when it stopped at its limit, since no key beyond that could have changed what it
//! returned. Reads answered by its own writes are not recorded: they do not depend on what
//! others commit.
//!
//! At commit it takes the commit lock, which is held for checking and applying, never for a
//! closure. If other commits landed since its snapshot, it checks its reads against the keys they
//! wrote; the store remembers, sorted, the keys written by each of the last [`LOG_LEN`] commits.
//! When none of those keys was read, every read would return now what it returned then, so the
//! transaction is as if it had run whole at this instant, and its writes are applied: the order
//! of commits is the serial order. Keys it wrote without reading them need no check, since in
//! that serial order its write comes last and wins. When a key it read was written meanwhile,
//! the attempt is a conflict: it is dropped and the closure runs again.
//!
//! A snapshot older than the log remembers (a long closure, or a thread the system left waiting
//! for the CPU while hundreds of commits landed) is checked another way: what it read is compared
//! with the current version. Versions share their entries, so an entry no commit wrote since is
//! the very same allocation in both, and the comparison is of pointers; but it costs a lookup per
//! key read and a walk of every extent scanned, under the commit lock, which is why the log of
//! written keys comes first.
//!
//! # Then pessimistic
//!
//! After a conflict the next attempt takes the commit lock first and holds it through its
//! closure and its commit. Nothing can commit under it, so it needs no check and cannot
//! conflict: a transaction whose reads keep being overwritten (a hot key) wastes at most one
//! attempt's work and is never starved. The price is that other writers wait for that one closure
//! to end before they commit, though their own closures still run meanwhile.
//!
//! A read-write transaction that wrote and deferred nothing is done at its snapshot, as a
//! read-only one is, without taking the lock.
//!
//! # Work deferred to the commit
//!
//! Work a transaction defers with [`WriteTxn::at_commit`] runs at the commit, under the commit
//! lock and after the check, over the current version plus the transaction's writes. Its reads
//! need no check, as nothing can commit while it runs. That is how every transaction appends to a
//! log whose head all of them read and write (oa's audit chain) without conflicting with the
//! others: the head is read only by deferred work.
//!
//! # Applying a commit
//!
//! When no transaction holds the current version, the writes change it in place under the lock
//! that guards it, which copies nothing (a transaction starting meanwhile waits for those few
//! inserts, never for a closure). Otherwise, which is the rule when writers run side by side,
//! the writes go into a copy made beside it, outside that lock, and the lock is held only to put
//! the copy in its place. That copy of every node on the paths of the keys written, each node
//! cloning the reference counts of its entries, is the main price writers pay for running side
//! by side: one writer alone changes the version in place. What a commit lets go of (an older snapshot, the version it replaced,
//! the log entry that fell out) may hold the last references to nodes and keys; it is freed
//! after the commit lock is released, since freeing them one reference count at a time is work
//! that need not keep other commits waiting.
//!
//! Keys and values are held as `Arc<[u8]>`, so that copying a node on a write path, which clones
//! the entries it holds, costs reference counts rather than allocations; the log of written keys
//! shares them too. Each key also carries its first 16 bytes as an integer inside the node (see
//! [`MapKey`]).
//!
//! # Seeing conflicts
//!
//! A key that every concurrent transaction of a workload writes and reads (a shared counter)
//! makes them conflict, and each conflict costs an attempt and a pessimistic rerun.
//! [`MemoryStore::stats`] counts commits and conflicts and names the keys conflicts were found on.

use std::cmp::Ordering;
use std::collections::{HashMap, VecDeque};
use std::ops::Bound;
use std::sync::Arc;

use equivalent::{Comparable, Equivalent};
use imbl::OrdMap;
use parking_lot::{Mutex, RwLock};

use crate::overlay::Overlay;
use crate::{
    run_attempts, Attempt, Deferred, Direction, Key, KeyRange, ReadFn, ReadTxn, Store, StoreError, TxError, Value,
    WriteFn, WriteTxn,
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

/// How many recent commits' written keys the store remembers to check optimistic transactions
/// against. Enough for the commits that land during an ordinary closure; a transaction whose
/// snapshot is older (a long closure, or a thread that the system left waiting for the CPU) is
/// checked by comparing values instead, see [`unchanged`].
pub(crate) const LOG_LEN: usize = 256;

/// How many distinct conflicting keys [`MemoryStats`] names; conflicts on keys beyond these are
/// still counted.
const TRACKED_KEYS: usize = 1024;

/// A store held in memory; cloning gives another handle to the same data.
///
/// Read-write transactions are serializable and run their closures side by side, checking at
/// commit that nothing they read changed meanwhile (see the module documentation); read-only
/// transactions read the version committed when they started, and never wait for a writer's
/// closure. Nothing survives the process.
#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Inner>,
}

/// How the read-write transactions of a [`MemoryStore`] fared since it was made: how often they
/// conflicted, and on which keys. A key that every concurrent transaction of a workload reads and
/// writes shows up here first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MemoryStats {
    /// Read-write transactions that committed writes.
    pub commits: u64,
    /// Attempts dropped because a commit since their snapshot wrote a key they had read; each
    /// ran again.
    pub conflicts: u64,
    /// Attempts whose snapshot was older than the log of written keys, so that their reads were
    /// checked by comparing them with the current version, which costs more.
    pub old_snapshots: u64,
    /// Commits that copied the paths of the keys they wrote because another transaction held
    /// the version they changed; the others changed it in place.
    pub copied: u64,
    /// The key each conflict was found on (the first read key found written, one per conflict),
    /// with how many conflicts it caused, most first. At most 1 024 distinct keys are named.
    pub conflicting_keys: Vec<(Key, u64)>,
}

#[derive(Default)]
struct Inner {
    /// The committed version. Each transaction holds an `Arc` of the version it reads, which is
    /// how a commit knows whether it may change the version in place.
    committed: RwLock<Version>,
    /// The commit lock, held while a commit is checked and applied (and by a pessimistic attempt
    /// through its closure), and the log of what recent commits wrote, which it guards.
    commit: Mutex<Log>,
}

/// One version of the store and the number of the commit that made it.
#[derive(Clone, Default)]
struct Version {
    map: Arc<Map>,
    /// How many commits wrote something before this version; a transaction's snapshot number.
    seq: u64,
}

/// The keys written by recent commits, and the conflicts they caused.
#[derive(Default)]
struct Log {
    /// The sorted keys written by each of the last [`LOG_LEN`] commits, oldest first, with the
    /// commit's number. Numbers run without gaps up to the current version's.
    recent: VecDeque<(u64, Box<[Bytes]>)>,
    conflicts: u64,
    old: u64,
    copied: u64,
    keys: HashMap<Bytes, u64>,
}

impl Log {
    /// Checks `reads`, made on the snapshot of commit `since`, against every commit after it up
    /// to `now`: `Err` holds the first key read that one of them wrote. `None` when the log no
    /// longer reaches back to `since`.
    fn check(&self, since: u64, now: u64, reads: &ReadSet) -> Option<Result<(), Bytes>> {
        let newer = usize::try_from(now.saturating_sub(since)).unwrap_or(usize::MAX);
        if newer > self.recent.len() {
            return None;
        }
        let first = self.recent.len() - newer;
        for (_, written) in self.recent.iter().skip(first) {
            if let Some(key) = reads.overlap(written) {
                return Some(Err(Bytes::clone(key)));
            }
        }
        Some(Ok(()))
    }

    fn conflict(&mut self, key: Bytes) {
        self.conflicts += 1;
        let tracked = self.keys.len();
        if let Some(n) = self.keys.get_mut(&key) {
            *n += 1;
        } else if tracked < TRACKED_KEYS {
            self.keys.insert(key, 1);
        }
    }

    /// Logs the keys commit `seq` wrote; returns the entry that fell out of the log, for the
    /// caller to drop after releasing the commit lock (its keys may be the last references to
    /// keys since deleted or rewritten).
    fn record(&mut self, seq: u64, written: Box<[Bytes]>) -> Option<(u64, Box<[Bytes]>)> {
        let old = if self.recent.len() == LOG_LEN { self.recent.pop_front() } else { None };
        self.recent.push_back((seq, written));
        old
    }
}

/// What a commit lets go of: versions and a log entry whose last references may be here. They
/// are dropped once the commit lock is released, because freeing nodes and keys one reference
/// count at a time is work that need not keep other commits waiting.
#[derive(Default)]
struct Garbage {
    versions: Vec<Arc<Map>>,
    log: Option<(u64, Box<[Bytes]>)>,
}

/// What an optimistic attempt read from its snapshot: the keys it got and the extents it scanned.
#[derive(Default)]
struct ReadSet {
    /// The keys got, one after another; a transaction gets a hundred keys or more, and one
    /// buffer costs a few allocations where a `Vec` per key would cost one each.
    key_bytes: Vec<u8>,
    /// Where each key got ends in `key_bytes`.
    key_ends: Vec<usize>,
    extents: Vec<KeyRange>,
}

impl ReadSet {
    /// Records a get of `key`.
    fn got(&mut self, key: &[u8]) {
        self.key_bytes.extend_from_slice(key);
        self.key_ends.push(self.key_bytes.len());
    }

    /// The keys got, in the order they were got.
    fn keys(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.key_ends.iter().copied());
        starts.zip(self.key_ends.iter().copied()).map(|(start, end)| &self.key_bytes[start..end])
    }

    /// Records a scan of `range` that returned `out`, asked for at most `limit` entries.
    fn scanned(&mut self, range: &KeyRange, direction: Direction, limit: usize, out: &[(Key, Value)]) {
        if limit == 0 {
            return;
        }
        let extent = match out.last() {
            // The scan stopped at its limit: what lies beyond its last key did not matter.
            Some((last, _)) if out.len() >= limit => match direction {
                Direction::Forward => KeyRange { start: range.start.clone(), end: Bound::Included(last.clone()) },
                Direction::Backward => KeyRange { start: Bound::Included(last.clone()), end: range.end.clone() },
            },
            _ => range.clone(),
        };
        self.extents.push(extent);
    }

    /// The first key of `written` (sorted) that these reads depend on, if any.
    fn overlap<'w>(&self, written: &'w [Bytes]) -> Option<&'w Bytes> {
        for key in self.keys() {
            if let Ok(i) = written.binary_search_by(|w| (**w).cmp(key)) {
                return written.get(i);
            }
        }
        for extent in &self.extents {
            let from = match &extent.start {
                Bound::Included(s) => written.partition_point(|w| **w < **s),
                Bound::Excluded(s) => written.partition_point(|w| **w <= **s),
                Bound::Unbounded => 0,
            };
            if let Some(w) = written.get(from).filter(|w| extent.contains(w)) {
                return Some(w);
            }
        }
        None
    }
}

impl Inner {
    /// The committed version as it is now; later commits leave it as it is.
    fn snapshot(&self) -> Version {
        self.committed.read().clone()
    }

    /// The first attempt of a read-write transaction: its closure runs on a snapshot without
    /// any lock, and its reads are checked at commit.
    fn optimistic(&self, f: &mut WriteFn<'_>) -> Attempt {
        let Version { map, seq } = self.snapshot();
        let mut tx =
            MemWrite { map, overlay: Overlay::default(), reads: Some(ReadSet::default()), deferred: Vec::new() };
        let result = f(&mut tx);
        match Attempt::after_closure(tx.conflicted(), result) {
            Attempt::Done(Ok(())) => {}
            other => return other,
        }
        if tx.overlay.writes.is_empty() && tx.deferred.is_empty() {
            // It only read, from one committed version: it stands where that version stands.
            return Attempt::Done(Ok(()));
        }
        let reads = tx.reads.take().unwrap_or_default();
        let mut garbage = Garbage::default();
        let mut log = self.commit.lock();
        let now = self.committed.read().seq;
        if now != seq {
            let verdict = match log.check(seq, now, &reads) {
                Some(verdict) => verdict,
                None => {
                    log.old += 1;
                    unchanged(&tx.map, &self.committed.read().map, &reads)
                }
            };
            if let Err(key) = verdict {
                log.conflict(key);
                drop(log);
                return Attempt::Conflict;
            }
        }
        let attempt = self.finish(&mut log, tx, &mut garbage);
        drop(log);
        attempt
    }

    /// An attempt after a conflict: it holds the commit lock from before its snapshot to its
    /// commit, so nothing commits under it and nothing needs checking.
    fn pessimistic(&self, f: &mut WriteFn<'_>) -> Attempt {
        let mut garbage = Garbage::default();
        let mut log = self.commit.lock();
        let mut tx =
            MemWrite { map: self.snapshot().map, overlay: Overlay::default(), reads: None, deferred: Vec::new() };
        let result = f(&mut tx);
        let attempt = match Attempt::after_closure(tx.conflicted(), result) {
            Attempt::Done(Ok(())) => self.finish(&mut log, tx, &mut garbage),
            other => other,
        };
        drop(log);
        attempt
    }

    /// Commits `tx`, whose reads hold as of now: runs its deferred work, then applies its writes.
    /// The caller holds the commit lock (`log`), and drops `garbage` once it has released it.
    fn finish(&self, log: &mut Log, mut tx: MemWrite, garbage: &mut Garbage) -> Attempt {
        if !tx.deferred.is_empty() {
            // Deferred work reads the latest version, which cannot change under the lock.
            let snapshot = std::mem::replace(&mut tx.map, self.snapshot().map);
            self.let_go(snapshot, garbage);
            tx.reads = None;
            while !tx.deferred.is_empty() {
                for work in std::mem::take(&mut tx.deferred) {
                    if let Err(e) = work(&mut tx) {
                        return Attempt::after_closure(false, Err(TxError::Store(e)));
                    }
                }
            }
        }
        let MemWrite { map, overlay, .. } = tx;
        self.let_go(map, garbage);
        if !overlay.writes.is_empty() {
            self.apply(log, overlay.writes, garbage);
        }
        Attempt::Done(Ok(()))
    }

    /// Lets go of a transaction's `Arc` of a version before its commit. An `Arc` of the current
    /// version is dropped at once: kept, it would make the commit copy its paths, and dropping
    /// it costs a decrement, since the store holds the version too. An older version may hold
    /// the last references to nodes, which are freed with `garbage` after the lock.
    fn let_go(&self, map: Arc<Map>, garbage: &mut Garbage) {
        if Arc::ptr_eq(&map, &self.committed.read().map) {
            drop(map);
        } else {
            garbage.versions.push(map);
        }
    }

    /// Applies a committed transaction's writes and logs the keys they wrote. The caller holds
    /// the commit lock (`log`) and no `Arc` of the current version of its own.
    fn apply(&self, log: &mut Log, writes: impl IntoIterator<Item = (Key, Option<Value>)>, garbage: &mut Garbage) {
        let mut written = Vec::new();
        let mut current = self.committed.write();
        let seq = current.seq + 1;
        if let Some(map) = Arc::get_mut(&mut current.map) {
            // No transaction holds this version: nobody can tell it changed in place.
            put_all(map, writes, &mut written);
            current.seq = seq;
            drop(current);
        } else {
            // Transactions hold it: build the next version beside it, without keeping new ones
            // out.
            let mut next = Map::clone(&current.map);
            drop(current);
            put_all(&mut next, writes, &mut written);
            log.copied += 1;
            let old = std::mem::replace(&mut *self.committed.write(), Version { map: Arc::new(next), seq });
            // If no transaction holds the old version any more, the nodes only it held are
            // freed once the commit lock is released, keeping neither new transactions nor
            // other commits waiting.
            garbage.versions.push(old.map);
        }
        garbage.log = log.record(seq, written.into_boxed_slice());
    }
}

/// Checks `reads`, made on version `then`, by comparing what they read there with version
/// `now`, for a snapshot older than the log of written keys. Versions share their entries, so an
/// entry that no commit in between wrote holds the very same value allocation in both; one
/// written again, even with equal bytes, holds another, which counts as a change. `Err` holds
/// the first key found changed. This costs a lookup per key read and a walk of every extent
/// scanned, which is why the log comes first.
fn unchanged(then: &Map, now: &Map, reads: &ReadSet) -> Result<(), Bytes> {
    for key in reads.keys() {
        let probe = Probe::new(key);
        let same = match (then.get(&probe), now.get(&probe)) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        };
        if !same {
            return Err(Bytes::from(key));
        }
    }
    for extent in reads.extents.iter().filter(|e| !e.is_empty()) {
        let (start, end) = extent.bounds();
        let mut before = then.range((probe(start), probe(end)));
        let mut after = now.range((probe(start), probe(end)));
        loop {
            match (before.next(), after.next()) {
                (None, None) => break,
                (Some((k, v)), Some((k2, v2))) if k == k2 && Arc::ptr_eq(v, v2) => {}
                (Some((k, _)), Some((k2, _))) => return Err(Bytes::clone(if k <= k2 { &k.key } else { &k2.key })),
                (Some((k, _)), None) | (None, Some((k, _))) => return Err(Bytes::clone(&k.key)),
            }
        }
    }
    Ok(())
}

/// Applies `writes` to `map`, in key order, and pushes each key written onto `written`, which
/// therefore ends up sorted.
fn put_all(map: &mut Map, writes: impl IntoIterator<Item = (Key, Option<Value>)>, written: &mut Vec<Bytes>) {
    for (k, v) in writes {
        match v {
            Some(v) => {
                let key = MapKey::new(&k);
                written.push(Bytes::clone(&key.key));
                map.insert(key, Bytes::from(v));
            }
            None => {
                map.remove(&Probe::new(&k));
                written.push(Bytes::from(k));
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
        let version = Version { map: Arc::new(map), seq: 0 };
        Self { inner: Arc::new(Inner { committed: RwLock::new(version), commit: Mutex::default() }) }
    }

    /// Every entry in key order, for saving a snapshot.
    pub fn entries(&self) -> Vec<(Key, Value)> {
        self.inner.snapshot().map.iter().map(|(k, v)| (k.key.to_vec(), v.to_vec())).collect()
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
        self.inner.committed.read().map.len()
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How its read-write transactions fared since the store was made (see [`MemoryStats`]), to
    /// find the keys that make a workload's transactions conflict.
    pub fn stats(&self) -> MemoryStats {
        let log = self.inner.commit.lock();
        let commits = self.inner.committed.read().seq;
        let mut conflicting_keys: Vec<(Key, u64)> = log.keys.iter().map(|(k, n)| (k.to_vec(), *n)).collect();
        conflicting_keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        MemoryStats { commits, conflicts: log.conflicts, old_snapshots: log.old, copied: log.copied, conflicting_keys }
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

/// A read-write transaction: it reads `map` under its own buffered writes, and keeps what it
/// deferred to its commit.
struct MemWrite {
    map: Arc<Map>,
    overlay: Overlay,
    /// What the closure read from `map`, when the attempt runs without the commit lock and its
    /// reads are checked at commit; `None` when it holds the lock.
    reads: Option<ReadSet>,
    deferred: Vec<Deferred>,
}

impl ReadTxn for MemWrite {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        if let Some(v) = self.overlay.get(key) {
            return Ok(v);
        }
        if let Some(reads) = &mut self.reads {
            reads.got(key);
        }
        Ok(lookup(&self.map, key))
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let out = self.overlay.merge(base(&self.map, range, direction).map(Ok), range, direction, limit)?;
        if let Some(reads) = &mut self.reads {
            reads.scanned(range, direction, limit, &out);
        }
        Ok(out)
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

    fn at_commit(&mut self, work: Deferred) -> Result<(), StoreError> {
        self.deferred.push(work);
        Ok(())
    }
}

impl Store for MemoryStore {
    fn read_dyn(&self, f: &mut ReadFn<'_>) -> Result<(), TxError> {
        let inner = &*self.inner;
        // Nothing can conflict with a version that never changes; only a closure that reports a
        // conflict of its own runs again, on the version committed by then.
        run_attempts(|_| {
            let mut tx = MemRead { map: inner.snapshot().map };
            let result = f(&mut tx);
            Attempt::after_closure(tx.conflicted(), result)
        })
    }

    fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError> {
        let inner = &*self.inner;
        // One optimistic attempt; after a conflict, attempts that cannot conflict (see the
        // module documentation).
        run_attempts(|number| if number == 1 { inner.optimistic(f) } else { inner.pessimistic(f) })
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
            Arc::strong_count(&store.inner.committed.read().map),
            1,
            "a transaction that ended holds no version, so that the next commit changes it in place"
        );
    }

    /// Commits `writes` from another thread and waits for it: run inside a transaction's
    /// closure, the commit lands between that transaction's snapshot and its commit. A store
    /// that held a lock through closures would never let it finish.
    fn meanwhile(store: &MemoryStore, writes: &[(&[u8], Option<&[u8]>)]) {
        let writes: Vec<(Key, Option<Value>)> =
            writes.iter().map(|(k, v)| (k.to_vec(), v.map(<[u8]>::to_vec))).collect();
        let store = store.clone();
        std::thread::spawn(move || {
            store
                .write(|tx| {
                    for (k, v) in &writes {
                        match v {
                            Some(v) => tx.put(k, v)?,
                            None => tx.delete(k)?,
                        }
                    }
                    Ok::<_, StoreError>(())
                })
                .expect("a commit beside the transaction")
        })
        .join()
        .expect("the other writer finished");
    }

    /// Runs a read-write transaction whose closure reads with `read`, lets `interfere` commit
    /// on its first run only, then writes `out`; returns how many times the closure ran.
    fn runs_with(
        store: &MemoryStore,
        read: impl Fn(&mut dyn WriteTxn) -> Result<(), StoreError>,
        interfere: &[(&[u8], Option<&[u8]>)],
    ) -> u32 {
        let mut runs = 0u32;
        store
            .write(|tx| {
                runs += 1;
                read(tx)?;
                if runs == 1 {
                    meanwhile(store, interfere);
                }
                tx.put(b"out", &runs.to_le_bytes())
            })
            .expect("the transaction commits");
        runs
    }

    fn seeded() -> MemoryStore {
        MemoryStore::from_entries([&b"a"[..], b"c", b"e", b"g", b"counter"].iter().map(|k| (k.to_vec(), b"0".to_vec())))
    }

    #[test]
    fn a_key_read_and_overwritten_meanwhile_is_a_conflict_and_the_rerun_sees_the_new_value() {
        let store = seeded();
        let mut seen = Vec::new();
        store
            .write(|tx| {
                let n = tx.get(b"counter")?.unwrap_or_default();
                seen.push(n.clone());
                if seen.len() == 1 {
                    meanwhile(&store, &[(b"counter", Some(b"1"))]);
                }
                tx.put(b"counter", &[n.as_slice(), b"+1"].concat())
            })
            .expect("commits");
        assert_eq!(seen, vec![b"0".to_vec(), b"1".to_vec()], "one conflict, then one run that cannot conflict");
        assert_eq!(store.get(b"counter"), Ok(Some(b"1+1".to_vec())), "no update lost");
        let stats = store.stats();
        assert_eq!((stats.commits, stats.conflicts, stats.old_snapshots), (2, 1, 0));
        assert_eq!(stats.conflicting_keys, vec![(b"counter".to_vec(), 1)]);
    }

    #[test]
    fn a_key_read_and_deleted_meanwhile_is_a_conflict_too() {
        let store = seeded();
        let runs = runs_with(&store, |tx| tx.get(b"c").map(drop), &[(b"c", None)]);
        assert_eq!(runs, 2);
    }

    #[test]
    fn a_commit_of_keys_not_read_is_no_conflict() {
        let store = seeded();
        let runs = runs_with(&store, |tx| tx.get(b"c").map(drop), &[(b"a", Some(b"1")), (b"d", Some(b"new"))]);
        assert_eq!(runs, 1, "the two closures ran side by side and both committed");
        assert_eq!(store.get(b"d"), Ok(Some(b"new".to_vec())));
        let stats = store.stats();
        assert_eq!((stats.commits, stats.conflicts), (2, 0));
    }

    #[test]
    fn a_scan_that_ran_out_conflicts_with_a_key_added_anywhere_in_its_range() {
        let range = KeyRange::between(b"b", b"f");
        for (direction, key, conflict) in [
            (Direction::Forward, &b"b"[..], true),
            (Direction::Backward, b"d", true),
            (Direction::Forward, b"e\xff", true),
            (Direction::Forward, b"f", false),
            (Direction::Backward, b"a", false),
        ] {
            let store = seeded();
            let runs = runs_with(&store, |tx| tx.scan(&range, direction, 10).map(drop), &[(key, Some(b"x"))]);
            assert_eq!(runs, if conflict { 2 } else { 1 }, "{direction:?} scan, {key:?} added");
        }
    }

    #[test]
    fn a_scan_stopped_by_its_limit_conflicts_only_up_to_its_last_key() {
        // Forward from `a`, two entries: `a` and `c`; backward from the end, two: `g` and `e`.
        for (direction, key, conflict) in [
            (Direction::Forward, &b"b"[..], true),
            (Direction::Forward, b"c", true),
            (Direction::Forward, b"c\x00", false),
            (Direction::Forward, b"d", false),
            (Direction::Backward, b"f", true),
            (Direction::Backward, b"e", true),
            (Direction::Backward, b"d\xff", false),
            (Direction::Backward, b"counter", false),
        ] {
            let store = seeded();
            let runs = runs_with(
                &store,
                |tx| {
                    let range = KeyRange { start: Bound::Included(b"a".to_vec()), end: Bound::Unbounded };
                    let page = tx.scan(&range, direction, 2)?;
                    assert_eq!(page.len(), 2);
                    Ok(())
                },
                &[(key, Some(b"x"))],
            );
            assert_eq!(runs, if conflict { 2 } else { 1 }, "{direction:?} page of 2, {key:?} written");
        }
    }

    #[test]
    fn keys_written_without_being_read_or_read_back_from_own_writes_are_no_conflict() {
        let store = seeded();
        let runs = runs_with(
            &store,
            |tx| {
                tx.put(b"a", b"mine")?;
                assert_eq!(tx.get(b"a")?, Some(b"mine".to_vec()), "answered by its own write");
                tx.put(b"blind", b"mine")
            },
            &[(b"a", Some(b"theirs")), (b"blind", Some(b"theirs"))],
        );
        assert_eq!(runs, 1);
        assert_eq!(store.get(b"a"), Ok(Some(b"mine".to_vec())), "the later commit wins, as in the serial order");
        assert_eq!(store.get(b"blind"), Ok(Some(b"mine".to_vec())));
    }

    /// More commits than the log holds land under a transaction: its reads are compared with
    /// the current version instead, which tells a read overwritten among them from reads left
    /// alone, for gets and scans.
    #[test]
    fn a_snapshot_older_than_the_log_is_checked_value_by_value() {
        let page = KeyRange { start: Bound::Included(b"a".to_vec()), end: Bound::Unbounded };
        for (overwritten, conflict) in [
            (None, false),
            (Some(&b"c"[..]), true),   // read by the get
            (Some(b"b"), true),        // inside the page
            (Some(b"e2"), true),       // inside the scan of prefix `e`, which ran out
            (Some(b"counter"), false), // beyond the page's last key
            (Some(b"zz"), false),      // never read
        ] {
            let store = seeded();
            let mut runs = 0;
            store
                .write(|tx| {
                    runs += 1;
                    tx.get(b"c")?;
                    assert_eq!(tx.scan(&page, Direction::Forward, 2)?.len(), 2, "`a` and `c`, then the limit");
                    tx.scan(&KeyRange::prefix(b"e"), Direction::Backward, 10)?;
                    if runs == 1 {
                        for i in 0..=LOG_LEN {
                            let key = match overwritten {
                                Some(k) if i == LOG_LEN / 2 => k.to_vec(),
                                _ => format!("other/{i}").into_bytes(),
                            };
                            meanwhile(&store, &[(&key, Some(b"x"))]);
                        }
                    }
                    tx.put(b"out", b"")
                })
                .expect("commits");
            assert_eq!(runs, if conflict { 2 } else { 1 }, "{overwritten:?} overwritten among the commits");
            let stats = store.stats();
            assert_eq!((stats.old_snapshots, stats.conflicts), (1, u64::from(conflict)));
        }
    }

    #[test]
    fn a_transaction_that_only_read_runs_once_whatever_commits_meanwhile() {
        let store = seeded();
        let mut runs = 0;
        let seen = store
            .write(|tx| {
                runs += 1;
                let seen = tx.get(b"a")?;
                meanwhile(&store, &[(b"a", Some(b"1"))]);
                Ok::<_, StoreError>(seen)
            })
            .expect("done");
        assert_eq!((runs, seen), (1, Some(b"0".to_vec())), "it stands where its snapshot stands");
    }

    /// Deferred work reads what committed while the closure ran, without conflicting with it.
    #[test]
    fn deferred_work_reads_the_latest_commit_and_never_conflicts() {
        let store = seeded();
        let mut runs = 0;
        store
            .write(|tx| {
                runs += 1;
                tx.put(b"mine", b"1")?;
                tx.at_commit(Box::new(|tx| {
                    let n = tx.get(b"counter")?.unwrap_or_default();
                    tx.put(b"counter", &[n.as_slice(), b"+mine"].concat())
                }))?;
                meanwhile(&store, &[(b"counter", Some(b"theirs"))]);
                Ok::<_, StoreError>(())
            })
            .expect("commits");
        assert_eq!(runs, 1);
        assert_eq!(store.get(b"counter"), Ok(Some(b"theirs+mine".to_vec())));
        assert_eq!(store.stats().conflicts, 0);
    }

    /// A writer alone changes the committed version in place, with deferred work or without,
    /// and a writer beside a transaction that holds the version copies its paths instead.
    #[test]
    fn a_writer_alone_commits_in_place() {
        let store = seeded();
        for i in 0..5u8 {
            store.write(|tx| tx.put(&[b'k', i], b"")).expect("a plain write");
            store
                .write(|tx| {
                    tx.get(b"counter")?;
                    tx.put(&[b'd', i], b"")?;
                    tx.at_commit(Box::new(|tx| tx.put(b"counter", b"deferred")))
                })
                .expect("a write with deferred work");
        }
        assert_eq!(store.stats(), MemoryStats { commits: 10, ..MemoryStats::default() });
        store
            .read(|_| {
                store.write(|tx| tx.put(b"beside", b""))?;
                Ok::<_, StoreError>(())
            })
            .expect("a write beside a reader");
        assert_eq!(store.stats().copied, 1);
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
