//! An in-memory backend: a persistent ordered map, one version of which is the committed state,
//! with optimistic read-write transactions.
//!
//! Promise: serializable, atomic, nothing survives the process. A read-only transaction sees one
//! committed state, never half a transaction, and never waits for a writer's closure; it runs at
//! most twice (see below). Read-write transactions see one committed
//! state plus their own writes, leave nothing behind when their closure fails, and run their
//! closures side by side: a writer waits for another writer's closure only after a conflict.
//!
//! # Versions
//!
//! The committed state is an [`imbl::OrdMap`], a B-tree whose versions share their nodes, so
//! that a copy costs one reference count and a change copies only the nodes on its path that
//! another version still holds. The store keeps the current version as an `Arc`, with the number
//! of the commit that made it and the keys written by the latest commits, behind a lock that no
//! closure ever holds.
//!
//! A read-only transaction's first attempt holds no version: it reads the current one, each read
//! checked as a read-write attempt's are (below), so that it sees the state committed when it
//! began. Only if a read finds its key written since does it run again, taking an `Arc` of the
//! current version and reading only that: a commit landing meanwhile installs a new version and
//! leaves this one as it was, so every read sees the same state and nothing needs checking or
//! running again. Why not always the latter: while a reader holds a version, every commit copies
//! the nodes on its keys' paths (see "Applying a commit"), and with eight clients on two cores a
//! reader is often descheduled holding one; short reads (a todo page) now leave the map to be
//! changed in place.
//!
//! # Read-write transactions: optimistic first
//!
//! A read-write transaction's first attempt notes the number of the current commit and runs its
//! closure without the commit lock, buffering its writes (its reads look there first). It holds
//! no version: each read takes the store's read lock for that one read and looks at the current
//! version. What it finds there is what it would have found when it began, unless a commit since
//! wrote it; so each read checks first, against the keys written by the commits since it began,
//! that none of them wrote the key read (or, for a scan, a key in the extent the scan covered),
//! and fails at once with a conflict otherwise. Every read that succeeds therefore returns the
//! state committed when the transaction began: the closure sees one consistent state, as with a
//! snapshot. (It must: an operation may keep something it computed outside the transaction, as
//! oa's permission cache does, and must never compute it from two states at once.)
//!
//! The store remembers, sorted, the keys written by each of the last [`LOG_LEN`] commits. The
//! extent of a scan is the whole range when the scan ran out, but only up to the last key it
//! returned when it stopped at its limit, since no key beyond that could have changed what it
//! returned. Reads answered by the transaction's own writes are not checked: they depend on
//! nothing others commit.
//!
//! With writers side by side dozens of commits may land under a transaction, and searching the
//! keys of each one for every key read would cost more than the read. Beside the log the store
//! keeps a filter: a table of commit numbers in which every key written marks two slots, chosen
//! by its hash, with the number of the commit that wrote it. When either slot of a key holds a
//! number no later than the commit a read checks from, no commit since wrote the key, which two
//! loads tell; only when both are later (most often marked by other keys) does the read search
//! the keys of the commits since. Slots only grow, so the filter never needs pruning: a number
//! older than the log can only mislead a transaction that conflicts anyway as older than the
//! log. An extent cannot be hashed, but every key inside it starts with the bytes its two bounds
//! share (a task list's instance, a todo list's person): a second table holds, for the prefixes
//! of 8, 16, … 64 bytes of every key written, the number of the commit that last wrote one, and
//! a scan whose bounds share such a prefix searches the commits since only when that prefix's
//! slot is later than the commit it checks from.
//!
//! At commit the transaction takes the commit lock, which is held for checking and applying,
//! never for a closure, and checks what it read again, against the commits that landed since
//! each read was checked (each read keeps the number of the commit it was checked against). When none of them wrote what it read, every read would return now what
//! it returned then, so the transaction is as if it had run whole at this instant, and its writes
//! are applied: the order of commits is the serial order. Keys it wrote without reading them
//! need no check, since in that serial order its write comes last and wins. When a key it read
//! was written meanwhile, or it began before the oldest commit the log remembers, the attempt is
//! a conflict: it is dropped and the closure runs again. A transaction that wrote and deferred
//! nothing is done at the commit it began at, without the lock.
//!
//! Why reads go to the current version rather than to a snapshot held through the closure: a
//! version that a transaction holds cannot be changed in place, so with writers side by side
//! nearly every commit would copy the nodes on the paths of the keys it writes, each copy
//! touching the reference counts of every entry in the node, and those counts bouncing between
//! cores. Measured, that made two writers side by side commit at less than half the rate of one
//! writer alone; holding no version, commits change it in place as a lone writer's do.
//!
//! # Then pessimistic
//!
//! After a conflict the next attempt takes the commit lock first and holds it through its
//! closure and its commit. Nothing can commit under it, so it needs no check and cannot
//! conflict: a transaction whose reads keep being overwritten (a hot key) wastes at most one
//! attempt's work and is never starved. The price is that other writers wait for that one closure
//! to end before they commit, though their own closures still run meanwhile.
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
//! A commit's keys, values and log entry are built before the locks readers wait for: an
//! optimistic attempt copies its closure's writes into the map's form before it takes even the
//! commit lock, and only what its deferred work wrote is copied under it. The commit logs its
//! keys first. Then, when no read-only transaction holds the current version, its writes change
//! it in place, a few entries under each hold of the write lock, which copies nothing and finds
//! every key and value ready: a read meanwhile waits for a few inserts, never for the whole
//! commit nor for a closure. Otherwise the writes go into a copy made beside it, outside that
//! lock, and the lock is held only to put the copy in its place. A read between two steps may
//! find part of the commit, but any key of the commit it reads is in the log, and transactions
//! begin at the latest commit that is whole in the map, so the read is a conflict: no
//! transaction ever uses part of a commit. Snapshots wait for the commit to be whole.
//!
//! What a commit lets go of (the version it replaced, the values it overwrote, the log entry
//! that fell out, the transaction's buffers) may hold the last references to nodes, keys and
//! values; it is freed after the locks are released, since freeing them one reference count at
//! a time is work that need not keep anyone waiting.
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
//! [`MemoryStore::stats`] counts commits, conflicts, commits that had to copy and read-only
//! transactions that ran again on a version, and names the keys conflicts were found on.

use std::cmp::Ordering;
use std::collections::{HashMap, VecDeque};
use std::hash::Hasher;
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
/// against. A transaction that began before the oldest of them conflicts; 1 024 commits are far
/// more than land during an ordinary closure, even on a loaded machine, and the log costs only
/// pointers to keys the map holds anyway.
pub(crate) const LOG_LEN: usize = 1024;

/// How many times a committer tries the commit lock, spinning, before it parks (see
/// `Inner::lock_to_commit`).
const COMMIT_SPINS: u32 = 1000;

/// How many times a read tries the read lock, spinning, before it waits in the lock's own way
/// (see `Inner::read_committed`).
const READ_SPINS: u32 = 1000;

/// How many entries a commit puts into the map under one hold of the write lock (see
/// `Inner::apply`).
const APPLY_STEP: usize = 4;

/// How many distinct conflicting keys [`MemoryStats`] names; conflicts on keys beyond these are
/// still counted.
const TRACKED_KEYS: usize = 1024;

/// A store held in memory; cloning gives another handle to the same data.
///
/// Read-write transactions are serializable and run their closures side by side, checking that
/// nothing they read was written since they began (see the module documentation); read-only
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
    /// Attempts dropped because a commit since they began wrote a key they read, found when they
    /// read it or when they committed; each ran again.
    pub conflicts: u64,
    /// Of the conflicts, those of attempts that began before the oldest commit the log of
    /// written keys remembers, which therefore could not be checked.
    pub stale: u64,
    /// Commits that copied the paths of the keys they wrote, because a read-only transaction
    /// held the version they changed; the others changed it in place.
    pub copied: u64,
    /// Read-only transactions whose first attempt found a key it read written since it began,
    /// and which therefore ran again on a version of their own.
    pub reads_on_a_version: u64,
    /// The key each conflict was found on (the first key found both read and written, one per
    /// conflict), with how many conflicts it caused, most first. At most 1 024 distinct keys are
    /// named.
    pub conflicting_keys: Vec<(Key, u64)>,
}

#[derive(Default)]
struct Inner {
    /// The committed state. Read-only transactions take an `Arc` of its version; read-write
    /// transactions read through its read lock, one read at a time; a commit changes it under
    /// its write lock, in place when no read-only transaction holds the version.
    committed: RwLock<Committed>,
    /// The commit lock, held while a commit is checked and applied, and by a pessimistic
    /// attempt through its closure.
    commit: Mutex<()>,
    stats: Mutex<Tally>,
}

/// The current version of the store, the number of the latest commit, and what the latest
/// commits wrote. A commit logs its keys first and then puts its entries into the map a few at
/// a time (see [`Inner::apply`]); `visible` catches up with `seq` once they are all in.
#[derive(Default)]
struct Committed {
    map: Arc<Map>,
    /// How many commits wrote something; the log holds the keys of the latest of them.
    seq: u64,
    /// The latest commit whose entries are all in the map: the number a transaction begins at.
    /// Equal to `seq` except while a commit puts its entries in.
    visible: u64,
    log: Log,
}

impl Committed {
    /// Checks, for a transaction that began at commit `since`, that no commit after it wrote
    /// what `written_since` looks for in the log, given `since`. `Err` holds the key found, or
    /// nothing when the log no longer reaches back to `since`.
    fn unchanged_since(
        &self,
        since: u64,
        written_since: impl FnOnce(&Log, u64) -> Option<Bytes>,
    ) -> Result<(), Option<Bytes>> {
        if since == self.seq {
            return Ok(());
        }
        let newer = usize::try_from(self.seq.saturating_sub(since)).unwrap_or(usize::MAX);
        if newer > self.log.recent.len() {
            return Err(None);
        }
        written_since(&self.log, since).map_or(Ok(()), |key| Err(Some(key)))
    }
}

/// How many slots the filter of recently written keys has (a power of two): 32 768 numbers,
/// 256 KiB. Each key marks two; the keys written since a transaction began, even a few hundred
/// commits' worth, mark a few percent of the slots, so that both slots of a key read are marked
/// by others for well under one read in a hundred.
const FILTER_SLOTS: usize = 1 << 15;

/// The two slots of the filter that a key marks, from two parts of one hash.
#[derive(Clone, Copy)]
struct Slots([u32; 2]);

impl Slots {
    fn of(key: &[u8]) -> Self {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(key);
        let hash = hasher.finish();
        // The mask keeps each below `FILTER_SLOTS`, which fits in a `u32`.
        let mask = FILTER_SLOTS as u64 - 1;
        Slots([(hash & mask) as u32, ((hash >> 32) & mask) as u32])
    }
}

/// How many slots the filter of recently written prefixes has (a power of two): 16 384 numbers,
/// 128 KiB.
const PREFIX_SLOTS: usize = 1 << 14;

/// The lengths of the prefixes that the filter of written prefixes knows are the multiples of
/// this, up to [`PREFIX_LONGEST`].
const PREFIX_STEP: usize = 8;
/// The longest prefix a key marks; keys are seldom longer.
const PREFIX_LONGEST: usize = 64;

/// The slot of the filter of written prefixes for each prefix of `key` whose length is a
/// multiple of [`PREFIX_STEP`], shortest first, up to [`PREFIX_LONGEST`] bytes.
fn prefix_slots(key: &[u8]) -> impl Iterator<Item = usize> + '_ {
    let mut hasher = rustc_hash::FxHasher::default();
    key.chunks_exact(PREFIX_STEP).take(PREFIX_LONGEST / PREFIX_STEP).map(move |chunk| {
        let mut word = [0u8; PREFIX_STEP];
        word.copy_from_slice(chunk);
        hasher.write_u64(u64::from_le_bytes(word));
        // The mask keeps it below `PREFIX_SLOTS`.
        (hasher.finish() >> 20) as usize & (PREFIX_SLOTS - 1)
    })
}

/// The slot of the filter of written prefixes that every key inside `extent` marks: the one of
/// the longest prefix the filter knows that both its bounds share, since a key between two
/// bounds starts with every prefix they share. `None` when the bounds share no such prefix, or
/// the extent is open at either end.
fn extent_slot(extent: &KeyRange) -> Option<usize> {
    let (Bound::Included(start) | Bound::Excluded(start)) = &extent.start else { return None };
    let (Bound::Included(end) | Bound::Excluded(end)) = &extent.end else { return None };
    let shared = start.iter().zip(end.iter()).take_while(|(a, b)| a == b).count();
    prefix_slots(&start[..shared]).last()
}

/// The keys written by recent commits.
struct Log {
    /// The sorted keys written by each of the last [`LOG_LEN`] commits, oldest first, with the
    /// commit's number. Numbers run without gaps up to the current version's.
    recent: VecDeque<(u64, Box<[Bytes]>)>,
    /// For each slot, the number of the latest commit that wrote a key that marks it. A key
    /// one of whose slots holds a number no later than a given commit was written by no commit
    /// since, which two loads tell, however many commits landed; only when both slots are later
    /// does a read search those commits' keys, and then most often finds that other keys marked
    /// them. Slots only grow, so the filter needs no pruning: a number that fell out of the log
    /// is older than every transaction it could mislead, and those conflict anyway as older
    /// than the log.
    filter: Box<[u64]>,
    /// For each slot, the number of the latest commit that wrote a key one of whose prefixes
    /// marks it (see [`prefix_slots`]): the same for scans as `filter` is for gets. A scan's
    /// extent is checked against the slot of the prefix all its keys share (a task list's
    /// instance, a todo list's person), and searches the keys of the commits since only when a
    /// commit since marked it.
    prefixes: Box<[u64]>,
}

impl Default for Log {
    fn default() -> Self {
        Log {
            recent: VecDeque::new(),
            filter: vec![0; FILTER_SLOTS].into_boxed_slice(),
            prefixes: vec![0; PREFIX_SLOTS].into_boxed_slice(),
        }
    }
}

impl Log {
    /// Logs the keys commit `seq` wrote; returns the entry that fell out of the log, for the
    /// caller to drop after releasing the locks (its keys may be the last references to keys
    /// since deleted or rewritten).
    fn record(&mut self, seq: u64, written: Box<[Bytes]>) -> Option<(u64, Box<[Bytes]>)> {
        let old = if self.recent.len() == LOG_LEN { self.recent.pop_front() } else { None };
        for key in written.iter() {
            for slot in Slots::of(key).0 {
                if let Some(marked) = self.filter.get_mut(slot as usize) {
                    *marked = seq;
                }
            }
            for slot in prefix_slots(key) {
                if let Some(marked) = self.prefixes.get_mut(slot) {
                    *marked = seq;
                }
            }
        }
        self.recent.push_back((seq, written));
        old
    }

    /// Whether a commit after `since` may have written a key with these `slots`: `false` is
    /// certain, `true` needs a look at the keys.
    fn marked_since(&self, since: u64, slots: Slots) -> bool {
        slots.0.iter().all(|&slot| self.filter.get(slot as usize).is_none_or(|&marked| marked > since))
    }

    /// The commits after `since` (which the caller made sure the log reaches), oldest first,
    /// with the sorted keys each wrote.
    fn since(&self, since: u64) -> impl Iterator<Item = &[Bytes]> {
        let newer = self.recent.back().map_or(0, |(seq, _)| seq.saturating_sub(since));
        let newer = usize::try_from(newer).unwrap_or(usize::MAX).min(self.recent.len());
        self.recent.iter().skip(self.recent.len() - newer).map(|(_, written)| &**written)
    }

    /// `key`, if a commit after `since` wrote it. The key is hashed only when a commit landed
    /// since: a writer alone never pays for it.
    fn written_key(&self, since: u64, key: &[u8]) -> Option<Bytes> {
        if self.recent.back().is_none_or(|(seq, _)| *seq <= since) || !self.marked_since(since, Slots::of(key)) {
            return None;
        }
        self.since(since).find_map(|written| written_key(written, key))
    }

    /// The first key inside `extent` that a commit after `since` wrote.
    fn written_in(&self, since: u64, extent: &KeyRange) -> Option<Bytes> {
        let unmarked = |slot: usize| self.prefixes.get(slot).is_some_and(|&marked| marked <= since);
        if extent_slot(extent).is_some_and(unmarked) {
            return None;
        }
        self.since(since).find_map(|written| written_in(written, extent))
    }
}

/// The counts behind [`MemoryStats`].
#[derive(Default)]
struct Tally {
    reads_on_a_version: u64,
    conflicts: u64,
    stale: u64,
    copied: u64,
    keys: HashMap<Bytes, u64>,
}

impl Tally {
    fn conflict(&mut self, key: Option<Bytes>) {
        self.conflicts += 1;
        let Some(key) = key else {
            self.stale += 1;
            return;
        };
        let tracked = self.keys.len();
        if let Some(n) = self.keys.get_mut(&key) {
            *n += 1;
        } else if tracked < TRACKED_KEYS {
            self.keys.insert(key, 1);
        }
    }
}

/// What a commit lets go of: a version, the values it replaced, a log entry and the
/// transaction's buffers, whose last references may be here. They are dropped once the locks are
/// released, because freeing nodes, keys and values one at a time is work that need not keep
/// readers or other commits waiting.
#[derive(Default)]
struct Garbage {
    versions: Vec<Arc<Map>>,
    log: Option<(u64, Box<[Bytes]>)>,
    /// The transaction's own buffers, which the commit copied from.
    writes: Option<Writes>,
    /// The values the commit overwrote or deleted, with the keys it deleted.
    values: Vec<Bytes>,
    keys: Vec<MapKey>,
}

/// `key`, if the sorted `written` holds it.
fn written_key(written: &[Bytes], key: &[u8]) -> Option<Bytes> {
    written.binary_search_by(|w| (**w).cmp(key)).ok().and_then(|i| written.get(i)).cloned()
}

/// The first key of the sorted `written` inside `extent`.
fn written_in(written: &[Bytes], extent: &KeyRange) -> Option<Bytes> {
    let from = match &extent.start {
        Bound::Included(s) => written.partition_point(|w| **w < **s),
        Bound::Excluded(s) => written.partition_point(|w| **w <= **s),
        Bound::Unbounded => 0,
    };
    written.get(from).filter(|w| extent.contains(w)).cloned()
}

/// The keys a scan of `range` that returned `out`, asked for at most `limit` entries, depended
/// on: the whole range when it ran out, but only up to its last key when it stopped at its
/// limit, since no key beyond that could have changed what it returned. `None` when it read
/// nothing.
fn extent(range: &KeyRange, direction: Direction, limit: usize, out: &[(Key, Value)]) -> Option<KeyRange> {
    if limit == 0 || range.is_empty() {
        return None;
    }
    Some(match out.last() {
        Some((last, _)) if out.len() >= limit => match direction {
            Direction::Forward => KeyRange { start: range.start.clone(), end: Bound::Included(last.clone()) },
            Direction::Backward => KeyRange { start: Bound::Included(last.clone()), end: range.end.clone() },
        },
        _ => range.clone(),
    })
}

/// What an optimistic attempt read: the keys it got and the extents it scanned.
#[derive(Default)]
struct ReadSet {
    /// The keys got, one after another; a transaction gets a hundred keys or more, and one
    /// buffer costs a few allocations where a `Vec` per key would cost one each.
    key_bytes: Vec<u8>,
    /// Where each key got ends in `key_bytes`.
    key_ends: Vec<usize>,
    /// The commit each key got was checked against when it was got: the check at commit needs
    /// to look only at the commits since.
    checked: Vec<u64>,
    /// The extents scanned, each with the commit it was checked against.
    extents: Vec<(KeyRange, u64)>,
}

impl ReadSet {
    /// Records a get of `key`.
    fn got(&mut self, key: &[u8], at: u64) {
        self.key_bytes.extend_from_slice(key);
        self.key_ends.push(self.key_bytes.len());
        self.checked.push(at);
    }

    /// The keys got, in the order they were got.
    fn keys(&self) -> impl Iterator<Item = &[u8]> {
        let starts = std::iter::once(0).chain(self.key_ends.iter().copied());
        starts.zip(self.key_ends.iter().copied()).map(|(start, end)| &self.key_bytes[start..end])
    }

    /// The first key these reads depend on that a commit after the one it was checked against
    /// wrote, if any. The caller made sure the log reaches back to every such commit.
    fn overlap(&self, log: &Log) -> Option<Bytes> {
        self.keys()
            .zip(self.checked.iter().copied())
            .find_map(|(key, at)| log.written_key(at, key))
            .or_else(|| self.extents.iter().find_map(|(extent, at)| log.written_in(*at, extent)))
    }
}

/// An optimistic attempt's bookkeeping: the commit it began at and what it read.
struct Optimistic {
    since: u64,
    reads: ReadSet,
    /// The attempt of a read-only transaction: its reads are checked as they are made, but not
    /// kept, since it has no commit at which to check them again.
    read_only: bool,
}

impl Inner {
    /// The read lock on the committed state, for one read. A commit holds the write lock only
    /// while it puts its entries into the map, a few microseconds, so a reader that finds it
    /// taken spins for it first: the lock's own slow path yields the CPU to another thread
    /// within a few tries, and a yield to another client's thread (or parking, and the wake-up
    /// between virtual CPUs after it) costs far more than the wait. Measured with the workflow
    /// benchmark, 8 clients on 2 cores: 3.8 – 4.0 → 4.7 – 5.4 thousand claims/s; see
    /// BENCHMARKS.md.
    fn read_committed(&self) -> parking_lot::RwLockReadGuard<'_, Committed> {
        spin_then(READ_SPINS, || self.committed.try_read(), || self.committed.read())
    }

    /// The write lock on the committed state, for a commit, spinning first while readers finish
    /// their reads, as [`Inner::read_committed`] does: the committer holds the commit lock, and
    /// every other commit waits for it.
    fn write_committed(&self) -> parking_lot::RwLockWriteGuard<'_, Committed> {
        spin_then(READ_SPINS, || self.committed.try_write(), || self.committed.write())
    }

    /// `look` at the committed state once every commit in its map is whole. While a commit is
    /// putting its entries in, this waits for it to finish, which takes microseconds.
    fn when_whole<R>(&self, look: impl Fn(&Committed) -> R) -> R {
        let whole = || {
            let committed = self.read_committed();
            (committed.visible == committed.seq).then(|| look(&committed))
        };
        spin_then(READ_SPINS, whole, || loop {
            std::thread::yield_now();
            if let Some(r) = whole() {
                return r;
            }
        })
    }

    /// The committed version as it is now, every commit in it whole; later commits leave it as
    /// it is.
    fn snapshot(&self) -> Arc<Map> {
        self.when_whole(|committed| Arc::clone(&committed.map))
    }

    /// The first attempt of a read-write transaction: its closure runs without the commit lock,
    /// each read checked against the commits since it began, and its reads are checked again
    /// against those that landed by its commit.
    fn optimistic(&self, f: &mut WriteFn<'_>) -> Attempt {
        let since = self.read_committed().visible;
        let mut tx = MemWrite::new(self, Some(Optimistic { since, reads: ReadSet::default(), read_only: false }));
        let result = f(&mut tx);
        match Attempt::after_closure(tx.conflicted, result) {
            Attempt::Done(Ok(())) => {}
            other => return other,
        }
        if tx.overlay.writes.is_empty() && tx.deferred.is_empty() {
            // It only read, and every read returned what was committed when it began: it
            // stands at that commit, as a read-only transaction would.
            return Attempt::Done(Ok(()));
        }
        let Some(Optimistic { since, reads, .. }) = tx.optimistic.take() else {
            return Attempt::Done(Err(TxError::Store(StoreError::Corrupted(
                "an optimistic attempt lost its reads".into(),
            ))));
        };
        // The closure's writes are made ready before the commit lock, which other writers wait
        // for; deferred work may still add some.
        let early = Prepared::new(&tx.overlay.writes);
        tx.late = Some(Vec::new());
        let mut garbage = Garbage::default();
        let lock = self.lock_to_commit();
        let checked = self.read_committed().unchanged_since(since, |log, _| reads.overlap(log));
        if let Err(key) = checked {
            drop(lock);
            self.stats.lock().conflict(key);
            return Attempt::Conflict;
        }
        let attempt = self.finish(tx, Some(early), &mut garbage);
        drop(lock);
        attempt
    }

    /// The commit lock, for a commit. A commit holds it for microseconds, far less than it costs
    /// to park a thread and wake it (a futex call each way, and between the virtual CPUs of a
    /// cloud machine an interprocessor interrupt), so a committer first spins a while on it.
    /// Measured with the workflow benchmark: 2 clients 4.1 – 4.2 → 4.5 – 4.6 thousand claims/s,
    /// 8 clients 3.5 – 3.6 → 3.7 – 3.8; spinning ten times longer lost that gain at 8 clients,
    /// whose spinning keeps the lock's holder off the CPU.
    fn lock_to_commit(&self) -> parking_lot::MutexGuard<'_, ()> {
        spin_then(COMMIT_SPINS, || self.commit.try_lock(), || self.commit.lock())
    }

    /// An attempt after a conflict: it holds the commit lock through its closure and commit, so
    /// nothing commits under it and nothing needs checking.
    fn pessimistic(&self, f: &mut WriteFn<'_>) -> Attempt {
        let mut garbage = Garbage::default();
        let lock = self.commit.lock();
        let mut tx = MemWrite::new(self, None);
        let result = f(&mut tx);
        let attempt = match Attempt::after_closure(tx.conflicted, result) {
            Attempt::Done(Ok(())) => self.finish(tx, None, &mut garbage),
            other => other,
        };
        drop(lock);
        attempt
    }

    /// Commits `tx`, whose reads hold as of now: runs its deferred work, then applies its writes,
    /// of which `early` holds those made ready before the commit lock. The caller holds the
    /// commit lock, and drops `garbage` once it has released it.
    fn finish(&self, mut tx: MemWrite<'_>, early: Option<Prepared>, garbage: &mut Garbage) -> Attempt {
        // Under the commit lock nothing commits: deferred work reads the latest version and
        // needs no checking.
        tx.optimistic = None;
        while !tx.deferred.is_empty() {
            for work in std::mem::take(&mut tx.deferred) {
                if let Err(e) = work(&mut tx) {
                    return Attempt::after_closure(false, Err(TxError::Store(e)));
                }
            }
        }
        if !tx.overlay.writes.is_empty() {
            let overlay = std::mem::take(&mut tx.overlay.writes);
            // Every allocation is made by now, before the write lock: readers wait only for the
            // map to take what is ready.
            let mut prepared = match early {
                Some(early) => early.with_late(&overlay, tx.late.take().unwrap_or_default()),
                None => Prepared::new(&overlay),
            };
            garbage.values.reserve(prepared.entries.len());
            garbage.keys.reserve(prepared.deletes);
            self.apply(&mut prepared, garbage);
            garbage.writes = Some((overlay, prepared.entries));
        }
        Attempt::Done(Ok(()))
    }

    /// Applies a committed transaction's prepared writes and logs the keys they wrote. The
    /// caller holds the commit lock, and has made room in `garbage` for what the writes replace.
    ///
    /// The keys are logged first, under the write lock, and the entries then go into the map
    /// [`APPLY_STEP`] at a time, the write lock taken for each step and released between them:
    /// a read waits for a few inserts at most, never for the whole commit. A read between two
    /// steps may find some of the commit's entries in the map and not others, but whatever key
    /// of the commit it reads, it finds the commit in the log after the commit its
    /// transaction began at, which is a conflict: transactions begin at `visible`, which moves
    /// to this commit only once all its entries are in. What a read that is not a conflict
    /// returns is therefore as the transaction's first state had it, as always. A snapshot
    /// waits for `visible` (see [`Inner::snapshot`]).
    fn apply(&self, prepared: &mut Prepared, garbage: &mut Garbage) {
        let written = std::mem::take(&mut prepared.written);
        let mut committed = self.write_committed();
        committed.seq += 1;
        let seq = committed.seq;
        garbage.log = committed.log.record(seq, written);
        // Drained, so that the buffer is freed with the rest of `garbage`, after the locks.
        let mut entries = prepared.entries.drain(..).peekable();
        while entries.peek().is_some() {
            let Some(map) = Arc::get_mut(&mut committed.map) else {
                // A read-only transaction holds this version: build the next one beside it,
                // without keeping readers out; nothing else can change it meanwhile.
                let mut next = Map::clone(&committed.map);
                drop(committed);
                for (key, v) in entries.by_ref() {
                    put(&mut next, key, v, garbage);
                }
                committed = self.write_committed();
                garbage.versions.push(std::mem::replace(&mut committed.map, Arc::new(next)));
                self.stats.lock().copied += 1;
                break;
            };
            // No read-only transaction holds this version: nobody can tell it changed in place.
            for (key, v) in entries.by_ref().take(APPLY_STEP) {
                put(map, key, v, garbage);
            }
            if entries.peek().is_some() {
                drop(committed);
                committed = self.write_committed();
            }
        }
        committed.visible = seq;
    }
}

/// A transaction's pending writes and the buffer its commit took them from.
type Writes = (std::collections::BTreeMap<Key, Option<Value>>, Vec<(MapKey, Option<Bytes>)>);

/// A commit's writes as the map and the log hold them, made before the locks that readers wait
/// on are taken.
struct Prepared {
    /// The entries to put (`Some`) or delete (`None`), in key order.
    entries: Vec<(MapKey, Option<Bytes>)>,
    /// How many of them are deletes.
    deletes: usize,
    /// The keys written, sorted, for the log.
    written: Box<[Bytes]>,
}

impl Prepared {
    fn new(writes: &std::collections::BTreeMap<Key, Option<Value>>) -> Self {
        Self::of(writes.iter().map(|(k, v)| (MapKey::new(k), v.as_deref().map(Bytes::from))).collect())
    }

    fn of(entries: Vec<(MapKey, Option<Bytes>)>) -> Self {
        let written = entries.iter().map(|(key, _)| Bytes::clone(&key.key)).collect();
        let deletes = entries.iter().filter(|(_, v)| v.is_none()).count();
        Prepared { entries, deletes, written }
    }

    /// These writes, with those of `late`, the keys written after they were made ready, taken
    /// from `writes` as they are now.
    fn with_late(self, writes: &std::collections::BTreeMap<Key, Option<Value>>, mut late: Vec<Key>) -> Self {
        if late.is_empty() {
            return self;
        }
        late.sort_unstable();
        late.dedup();
        let late: Vec<(MapKey, Option<Bytes>)> = late
            .iter()
            .filter_map(|k| writes.get(k).map(|v| (MapKey::new(k), v.as_deref().map(Bytes::from))))
            .collect();
        let mut entries = Vec::with_capacity(self.entries.len() + late.len());
        let mut early = self.entries.into_iter().peekable();
        let mut late = late.into_iter().peekable();
        loop {
            let take_late = match (early.peek(), late.peek()) {
                (None, None) => break,
                (Some(_), None) => false,
                (None, Some(_)) => true,
                (Some((a, _)), Some((b, _))) => match a.cmp(b) {
                    Ordering::Less => false,
                    Ordering::Greater => true,
                    Ordering::Equal => {
                        // The later write of the key wins.
                        early.next();
                        true
                    }
                },
            };
            entries.extend(if take_late { late.next() } else { early.next() });
        }
        Self::of(entries)
    }
}

/// What `attempt` gives, tried up to `spins` times, spinning between tries, before `wait` (a
/// lock's own way of waiting, which yields the CPU or parks the thread).
fn spin_then<T>(spins: u32, attempt: impl Fn() -> Option<T>, wait: impl FnOnce() -> T) -> T {
    for _ in 0..spins {
        if let Some(got) = attempt() {
            return got;
        }
        std::hint::spin_loop();
    }
    wait()
}

/// Puts `key` (`Some`) or deletes it (`None`) in `map` and keeps what it replaces in `garbage`,
/// which has room for it: nothing is allocated or freed here.
fn put(map: &mut Map, key: MapKey, v: Option<Bytes>, garbage: &mut Garbage) {
    match v {
        Some(v) => garbage.values.extend(map.insert(key, v)),
        None => {
            if let Some((key, v)) = map.remove_with_key(&key) {
                garbage.keys.push(key);
                garbage.values.push(v);
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
        let committed = Committed { map: Arc::new(map), ..Committed::default() };
        Self { inner: Arc::new(Inner { committed: RwLock::new(committed), ..Inner::default() }) }
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
        self.inner.when_whole(|committed| committed.map.len())
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How its read-write transactions fared since the store was made (see [`MemoryStats`]), to
    /// find the keys that make a workload's transactions conflict.
    pub fn stats(&self) -> MemoryStats {
        let commits = self.inner.committed.read().seq;
        let tally = self.inner.stats.lock();
        let mut conflicting_keys: Vec<(Key, u64)> = tally.keys.iter().map(|(k, n)| (k.to_vec(), *n)).collect();
        conflicting_keys.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        MemoryStats {
            commits,
            conflicts: tally.conflicts,
            stale: tally.stale,
            copied: tally.copied,
            conflicting_keys,
            reads_on_a_version: tally.reads_on_a_version,
        }
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

/// A read-write transaction: it reads the committed state under its own buffered writes, and
/// keeps what it deferred to its commit.
struct MemWrite<'s> {
    inner: &'s Inner,
    overlay: Overlay,
    /// `Some` in an optimistic attempt, whose reads are checked; `None` when the attempt holds
    /// the commit lock, so that nothing commits under it.
    optimistic: Option<Optimistic>,
    deferred: Vec<Deferred>,
    /// Set by the first read found overturned: the attempt is doomed.
    conflicted: bool,
    /// `Some` once the writes have been made ready for the commit: the keys written since.
    late: Option<Vec<Key>>,
}

impl<'s> MemWrite<'s> {
    fn new(inner: &'s Inner, optimistic: Option<Optimistic>) -> Self {
        MemWrite { inner, overlay: Overlay::default(), optimistic, deferred: Vec::new(), conflicted: false, late: None }
    }

    /// A scan in a read-only transaction's first attempt. It walks the version current when it
    /// starts, holding that version but not the lock, so that a long scan (an export, a check of
    /// every record) keeps no commit waiting; then it checks that no commit since the
    /// transaction began wrote in the extent it covered, which makes what it returned the state
    /// the transaction began at. (Commits landing during the scan are checked too, though the
    /// scan did not see them: a conflict it need not have, never a state it should not see.)
    fn scan_read_only(
        &mut self,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(Key, Value)>, StoreError> {
        let map = Arc::clone(&self.inner.read_committed().map);
        let out: Vec<(Key, Value)> = base(&map, range, direction).take(limit).collect();
        drop(map);
        let (Some(optimistic), Some(extent)) = (&self.optimistic, extent(range, direction, limit, &out)) else {
            return Ok(out);
        };
        let since = optimistic.since;
        let checked = self.inner.read_committed().unchanged_since(since, |log, since| log.written_in(since, &extent));
        match checked {
            Ok(()) => Ok(out),
            Err(written) => Err(self.conflict(written)),
        }
    }

    /// Dooms this attempt: a read found that a commit since it began wrote `key`.
    fn conflict(&mut self, key: Option<Bytes>) -> StoreError {
        self.conflicted = true;
        let mut stats = self.inner.stats.lock();
        match &self.optimistic {
            Some(o) if o.read_only => stats.reads_on_a_version += 1,
            _ => stats.conflict(key),
        }
        StoreError::Conflict { attempts: 1 }
    }
}

impl ReadTxn for MemWrite<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        if self.conflicted {
            return Err(StoreError::Conflict { attempts: 1 });
        }
        if let Some(v) = self.overlay.get(key) {
            return Ok(v);
        }
        let inner = self.inner;
        let committed = inner.read_committed();
        if let Some(optimistic) = &self.optimistic {
            // The value now is the value when the attempt began unless a commit since wrote it.
            let checked = committed.unchanged_since(optimistic.since, |log, since| log.written_key(since, key));
            if let Err(written) = checked {
                drop(committed);
                return Err(self.conflict(written));
            }
        }
        // Only the value's reference count is taken under the lock, which commits wait for;
        // the copy and the note of the read are made after it.
        let (found, checked_at) = (committed.map.get(&Probe::new(key)).cloned(), committed.seq);
        drop(committed);
        if let Some(optimistic) = self.optimistic.as_mut().filter(|o| !o.read_only) {
            optimistic.reads.got(key, checked_at);
        }
        Ok(found.map(|v| v.to_vec()))
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        if self.conflicted {
            return Err(StoreError::Conflict { attempts: 1 });
        }
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let inner = self.inner;
        if self.optimistic.as_ref().is_some_and(|o| o.read_only) {
            return self.scan_read_only(range, direction, limit);
        }
        let committed = inner.read_committed();
        let out = self.overlay.merge(base(&committed.map, range, direction).map(Ok), range, direction, limit)?;
        if let (Some(optimistic), Some(extent)) = (&mut self.optimistic, extent(range, direction, limit, &out)) {
            if let Err(written) =
                committed.unchanged_since(optimistic.since, |log, since| log.written_in(since, &extent))
            {
                drop(committed);
                return Err(self.conflict(written));
            }
            // A read-only attempt scanned in `scan_read_only`: this one keeps what it read.
            optimistic.reads.extents.push((extent, committed.seq));
        }
        Ok(out)
    }

    fn conflicted(&self) -> bool {
        self.conflicted
    }
}

impl WriteTxn for MemWrite<'_> {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
        self.overlay.put(key, value);
        if let Some(late) = &mut self.late {
            late.push(key.to_vec());
        }
        Ok(())
    }

    fn delete(&mut self, key: &[u8]) -> Result<(), StoreError> {
        self.overlay.delete(key);
        if let Some(late) = &mut self.late {
            late.push(key.to_vec());
        }
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
        run_attempts(|number| {
            if number == 1 {
                // Holding no version, each read checked as a read-write attempt's are (see the
                // module documentation).
                let since = inner.read_committed().visible;
                let optimistic = Optimistic { since, reads: ReadSet::default(), read_only: true };
                let mut tx = MemWrite::new(inner, Some(optimistic));
                let result = f(&mut tx);
                return Attempt::after_closure(tx.conflicted(), result);
            }
            // Nothing can conflict with a version that never changes; only a closure that
            // reports a conflict of its own runs again, on the version committed by then.
            let mut tx = MemRead { map: inner.snapshot() };
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
    fn a_reader_that_a_commit_overturns_runs_again_once_on_a_version_no_commit_changes() {
        let store = MemoryStore::from_entries((0..100u8).map(|i| (vec![b'k', i], vec![i])));
        let before = store.entries();
        let mut runs = 0u8;
        let (first, second) = store
            .read(|tx| {
                runs += 1;
                let run = runs;
                let first = tx.scan(&KeyRange::all(), Direction::Forward, usize::MAX)?;
                let (done, finished) = std::sync::mpsc::channel();
                let writer = store.clone();
                // Each run has fifty commits land between its two scans.
                std::thread::spawn(move || {
                    for i in 0..50u8 {
                        writer
                            .write(|w| {
                                w.delete(&[b'k', (run - 1) * 50 + i])?;
                                w.put(&[b'n', run, i], b"new")
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
        assert_eq!(runs, 2, "the first run, holding no version, saw the commits and ran again");
        assert_eq!(store.stats().reads_on_a_version, 1);
        assert_eq!(second.iter().rev().cloned().collect::<Vec<_>>(), first, "the second run's version never changed");
        assert_eq!(first.len(), 100);
        assert_eq!(&first[..50], &before[50..], "the second run began after the first run's commits");
        assert!(first[50..].iter().all(|(k, v)| k[..2] == [b'n', 1] && v == b"new"));
        assert_eq!(store.len(), 100, "fifty keys of each run replaced");
        assert_eq!(
            Arc::strong_count(&store.inner.committed.read().map),
            1,
            "a transaction that ended holds no version, so that the next commit changes it in place"
        );
    }

    #[test]
    fn a_reader_that_no_commit_overturns_holds_no_version_and_commits_beside_it_change_the_map_in_place() {
        let store = seeded();
        let mut runs = 0;
        let got = store
            .read(|tx| {
                runs += 1;
                let a = tx.get(b"a")?;
                assert_eq!(Arc::strong_count(&store.inner.committed.read().map), 1, "no version held");
                meanwhile(&store, &[(b"b", Some(b"changed"))]);
                let scanned = tx.scan(&KeyRange::prefix(b"a"), Direction::Forward, 10)?;
                Ok::<_, StoreError>((a, scanned))
            })
            .unwrap();
        assert_eq!(runs, 1);
        assert_eq!(got.0, Some(b"0".to_vec()));
        assert_eq!(got.1, vec![(b"a".to_vec(), b"0".to_vec())]);
        let stats = store.stats();
        assert_eq!((stats.copied, stats.reads_on_a_version), (0, 0));
        assert_eq!(store.get(b"b"), Ok(Some(b"changed".to_vec())));
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
        assert_eq!((stats.commits, stats.conflicts, stats.stale), (2, 1, 0));
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

    /// The filter of written keys only sends a read to the search of the commits' keys: other
    /// keys that together mark both slots of a key read, written meanwhile, are no conflict,
    /// whether the read runs after them or before them and is checked again at commit.
    #[test]
    fn keys_that_mark_the_slots_of_a_key_read_are_no_conflict() {
        let read = b"c";
        let Slots([first, second]) = Slots::of(read);
        let marking = |slot: u32| {
            (0u32..)
                .map(|i| format!("other/{i}").into_bytes())
                .find(|k| k.as_slice() != read && Slots::of(k).0.contains(&slot))
                .expect("a key that marks the slot")
        };
        let (a, b) = (marking(first), marking(second));
        for read_first in [false, true] {
            let store = seeded();
            let mut runs = 0;
            store
                .write(|tx| {
                    runs += 1;
                    if read_first {
                        tx.get(read)?;
                    }
                    if runs == 1 {
                        meanwhile(&store, &[(&a, Some(b"x")), (&b, Some(b"x"))]);
                    }
                    assert_eq!(tx.get(read)?, Some(b"0".to_vec()));
                    tx.put(b"out", b"")
                })
                .expect("commits");
            assert_eq!(runs, 1, "read first: {read_first}");
            assert_eq!(store.stats().conflicts, 0);
        }
    }

    /// A key written, then fallen out of the log under a transaction that read it, still
    /// conflicts: the transaction is older than the log, so nothing is left to check its reads
    /// against, and it runs again. One that began after it fell out
    /// reads it without conflict, though its filter slots still hold the commit that wrote it.
    #[test]
    fn a_key_written_then_fallen_out_of_the_log_still_conflicts_for_older_transactions() {
        let store = seeded();
        let mut runs = 0;
        store
            .write(|tx| {
                runs += 1;
                tx.get(b"c")?;
                if runs == 1 {
                    meanwhile(&store, &[(b"c", Some(b"1"))]);
                    for i in 0..LOG_LEN {
                        meanwhile(&store, &[(format!("other/{i}").as_bytes(), Some(b"x"))]);
                    }
                }
                tx.put(b"out", b"")
            })
            .expect("commits");
        assert_eq!(runs, 2);
        let stats = store.stats();
        assert_eq!((stats.conflicts, stats.stale), (1, 1));
        assert!(stats.conflicting_keys.is_empty(), "nothing is left to check its reads against");
        let runs = runs_with(&store, |tx| tx.get(b"c").map(drop), &[(b"d", Some(b"x"))]);
        assert_eq!(runs, 1);
        assert_eq!(store.stats().conflicts, 1);
    }

    /// Deferred work may overwrite or delete what the closure wrote, and write what it deleted;
    /// the commit applies the last write of each key.
    #[test]
    fn deferred_writes_override_the_closures_writes() {
        let store = seeded();
        store
            .write(|tx| {
                tx.put(b"a", b"closure")?;
                tx.put(b"b", b"closure")?;
                tx.delete(b"c")?;
                tx.put(b"z", b"closure")?;
                tx.at_commit(Box::new(|tx| {
                    tx.delete(b"a")?;
                    tx.put(b"b", b"deferred")?;
                    tx.put(b"c", b"deferred")?;
                    tx.put(b"d", b"deferred")?;
                    tx.put(b"b", b"deferred twice")
                }))
            })
            .expect("commits");
        let entries = store.entries();
        let get = |k: &[u8]| entries.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
        assert_eq!(get(b"a"), None);
        assert_eq!(get(b"b"), Some(b"deferred twice".to_vec()));
        assert_eq!(get(b"c"), Some(b"deferred".to_vec()));
        assert_eq!(get(b"d"), Some(b"deferred".to_vec()));
        assert_eq!(get(b"z"), Some(b"closure".to_vec()));
        assert_eq!(get(b"e"), Some(b"0".to_vec()));
        // The log holds each key once, sorted, so that reads find them.
        let committed = store.inner.committed.read();
        let (_, written) = committed.log.recent.back().expect("logged");
        let keys: Vec<&[u8]> = written.iter().map(|k| &**k).collect();
        assert_eq!(keys, vec![&b"a"[..], b"b", b"c", b"d", b"z"]);
    }

    /// A read-write transaction reads the latest version, but only what it would have read when
    /// it began: a read of a key written since fails at once, so that its closure never sees
    /// one commit's writes beside values from before it, and the next attempt sees them all.
    #[test]
    fn a_read_overturned_by_a_commit_fails_at_once_and_never_shows_a_mix() {
        let store = seeded();
        let mut seen = Vec::new();
        store
            .write(|tx| {
                let a = tx.get(b"a")?;
                if seen.is_empty() {
                    meanwhile(&store, &[(b"a", Some(b"1")), (b"c", Some(b"1"))]);
                }
                let c = tx.get(b"c");
                seen.push((a.clone(), c.clone()));
                c?;
                let page = tx.scan(&KeyRange::all(), Direction::Forward, 2)?;
                tx.put(b"page", &[page.len() as u8])
            })
            .expect("commits");
        assert_eq!(
            seen,
            vec![
                (Some(b"0".to_vec()), Err(StoreError::Conflict { attempts: 1 })),
                (Some(b"1".to_vec()), Ok(Some(b"1".to_vec()))),
            ]
        );
        let stats = store.stats();
        assert_eq!((stats.conflicts, stats.stale), (1, 0));
        assert_eq!(stats.conflicting_keys, vec![(b"c".to_vec(), 1)]);
    }

    /// A scan whose extent a commit since the transaction began wrote into fails at once too.
    #[test]
    fn a_scan_overturned_by_a_commit_fails_at_once() {
        let store = seeded();
        let mut results = Vec::new();
        store
            .write(|tx| {
                if results.is_empty() {
                    meanwhile(&store, &[(b"b", Some(b"new"))]);
                }
                let page = tx.scan(&KeyRange::all(), Direction::Forward, 2);
                results.push(page.clone().map(|p| p.len()));
                tx.put(b"out", &[page?.len() as u8])
            })
            .expect("commits");
        assert_eq!(results, vec![Err(StoreError::Conflict { attempts: 1 }), Ok(2)]);
    }

    /// Puts, overwrites and deletes a key space many times over, and after each batch compares
    /// gets, scans of every kind (both ways, with limits, inside a transaction that deleted some
    /// keys itself) and the whole content with a `BTreeMap` given the same writes.
    #[test]
    fn the_store_agrees_with_a_btreemap_through_overwrites_and_deletes() {
        let store = MemoryStore::new();
        let mut model = std::collections::BTreeMap::<Key, Value>::new();
        let key = |n: usize| format!("k/{:05}", (n * 7919) % 6000).into_bytes();
        let mut n = 0;
        for batch in 0..120 {
            let writes: Vec<(Key, Option<Value>)> = (0..100)
                .map(|i| {
                    n += 1;
                    // Every seventh write a delete; a key comes back every 6 000 writes, one
                    // time in seven as a delete.
                    (key(n), (n % 7 != 0).then(|| format!("{batch}/{i}").into_bytes()))
                })
                .collect();
            for chunk in writes.chunks(10) {
                store
                    .write(|tx| {
                        for (k, v) in chunk {
                            match v {
                                Some(v) => tx.put(k, v)?,
                                None => tx.delete(k)?,
                            }
                        }
                        Ok::<_, StoreError>(())
                    })
                    .expect("a batch");
            }
            for (k, v) in writes {
                match v {
                    Some(v) => model.insert(k, v),
                    None => model.remove(&k),
                };
            }
            let range = KeyRange { start: Bound::Included(key(batch)), end: Bound::Excluded(b"k/5".to_vec()) };
            let in_range = |k: &&Key| range.contains(k);
            let forward: Vec<(Key, Value)> =
                model.iter().filter(|(k, _)| in_range(k)).take(25).map(|(k, v)| (k.clone(), v.clone())).collect();
            let backward: Vec<(Key, Value)> =
                model.iter().rev().filter(|(k, _)| in_range(k)).take(25).map(|(k, v)| (k.clone(), v.clone())).collect();
            assert_eq!(store.scan(&range, Direction::Forward, 25), Ok(forward.clone()), "batch {batch}");
            assert_eq!(store.scan(&range, Direction::Backward, 25), Ok(backward), "batch {batch}");
            // Inside a transaction that deleted the first five it would have returned.
            let seen = store
                .write(|tx| {
                    for (k, _) in &forward[..5.min(forward.len())] {
                        tx.delete(k)?;
                    }
                    let seen = tx.scan(&range, Direction::Forward, 20)?;
                    Err::<(), _>(StoreError::Corrupted(format!("{seen:?}")))
                })
                .expect_err("rolled back");
            let expected: Vec<(Key, Value)> = forward.iter().skip(5).take(20).cloned().collect();
            assert_eq!(seen.to_string(), StoreError::Corrupted(format!("{expected:?}")).to_string(), "batch {batch}");
            assert_eq!(store.get(&key(n)), Ok(model.get(&key(n)).cloned()));
            assert_eq!(store.entries(), model.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<Vec<_>>());
        }
        assert_eq!(store.entries(), model.into_iter().collect::<Vec<_>>());
    }

    /// A commit puts its entries into the map a few at a time, and reads run between the steps;
    /// no transaction may see part of a commit. Writers set all of many keys to one number in
    /// each commit, while readers of each kind (read-only, read-write, gets and scans) check
    /// that every key holds the same number.
    #[test]
    fn no_transaction_sees_part_of_a_commit() {
        const KEYS: u8 = 4 * APPLY_STEP as u8 + 1;
        const COMMITS: u64 = 400;
        let store = MemoryStore::new();
        let key = |k: u8| vec![b'k', k];
        let own = |writer: u64| format!("own/{writer}").into_bytes();
        let all = KeyRange::prefix(b"k");
        let same = |numbers: Vec<u64>| -> Result<(), String> {
            match numbers.windows(2).find(|w| w[0] != w[1]) {
                Some(w) => Err(format!("a transaction saw part of a commit: {} beside {}", w[0], w[1])),
                None => Ok(()),
            }
        };
        let number = |v: Option<Value>| v.map_or(0, |v| u64::from_le_bytes(v.try_into().expect("8 bytes")));
        std::thread::scope(|scope| {
            for writer in 0..2u64 {
                let store = &store;
                scope.spawn(move || {
                    for n in 0..COMMITS {
                        store
                            .write(|tx| {
                                for k in 0..KEYS {
                                    tx.put(&key(k), &(2 * n + writer).to_le_bytes())?;
                                }
                                tx.put(&own(writer), &n.to_le_bytes())
                            })
                            .expect("a commit");
                        // What a commit wrote is what the next transaction reads.
                        assert_eq!(store.get(&own(writer)).map(number), Ok(n), "writer {writer} reads its commit");
                    }
                });
            }
            let readers: Vec<_> = (0..4)
                .map(|reader| {
                    let (store, all) = (&store, &all);
                    scope.spawn(move || -> Result<(), String> {
                        for _ in 0..COMMITS {
                            let gets = |tx: &mut dyn ReadTxn| -> Result<Vec<u64>, StoreError> {
                                (0..KEYS).map(|k| tx.get(&key(k)).map(number)).collect()
                            };
                            let scan = |tx: &mut dyn ReadTxn| -> Result<Vec<u64>, StoreError> {
                                let entries = tx.scan(all, Direction::Forward, usize::from(KEYS))?;
                                Ok(entries.into_iter().map(|(_, v)| number(Some(v))).collect())
                            };
                            let seen = match reader {
                                0 => store.read(|tx| gets(tx)),
                                1 => store.read(|tx| scan(tx)),
                                2 => store.write(|tx| gets(tx.as_read())),
                                _ => store.write(|tx| {
                                    let seen = scan(tx.as_read())?;
                                    tx.put(b"other", b"x")?;
                                    Ok(seen)
                                }),
                            }
                            .map_err(|e| e.to_string())?;
                            same(seen)?;
                        }
                        Ok(())
                    })
                })
                .collect();
            for reader in readers {
                assert_eq!(reader.join().expect("a reader"), Ok(()));
            }
        });
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
        // A reader's first attempt holds no version: a write beside it changes the map in place.
        store
            .read(|_| {
                store.write(|tx| tx.put(b"beside", b""))?;
                Ok::<_, StoreError>(())
            })
            .expect("a write beside a reader");
        assert_eq!(store.stats().copied, 0);
        // A reader that ran again holds a version of its own, which a write beside it must copy.
        let mut runs = 0u8;
        store
            .read(|tx| {
                runs += 1;
                let before = tx.get(b"counter")?;
                store.write(|w| w.put(b"counter", &[runs]))?;
                assert_eq!(tx.get(b"counter")?, before, "one state throughout");
                Ok::<_, StoreError>(())
            })
            .expect("a write beside a reader on a version");
        assert_eq!((runs, store.stats().copied, store.stats().reads_on_a_version), (2, 1, 1));
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

        /// The filter of written prefixes only ever spares a search that would have found
        /// nothing: whether a commit wrote a key inside a scan's extent, the log answers as a
        /// search of every commit's keys does. Keys share long prefixes, so that extents within
        /// one prefix (where the filter answers) and across prefixes (where it cannot) both come
        /// up.
        #[test]
        fn the_log_finds_every_key_written_inside_an_extent(
            commits in proptest::collection::vec(proptest::collection::vec(long_key(), 1..6), 1..12),
            since in 0u64..12,
            start in proptest::option::of((long_key(), proptest::bool::ANY)),
            end in proptest::option::of((long_key(), proptest::bool::ANY)),
        ) {
            let bound = |b: Option<(Vec<u8>, bool)>| match b {
                None => Bound::Unbounded,
                Some((key, true)) => Bound::Included(key),
                Some((key, false)) => Bound::Excluded(key),
            };
            let extent = KeyRange { start: bound(start), end: bound(end) };
            let mut log = Log::default();
            let mut all = Vec::new();
            for (seq, keys) in (1u64..).zip(commits) {
                let mut keys: Vec<Bytes> = keys.into_iter().map(Bytes::from).collect();
                keys.sort();
                keys.dedup();
                all.push((seq, keys.clone()));
                log.record(seq, keys.into_boxed_slice());
            }
            let expected = all
                .iter()
                .filter(|(seq, _)| *seq > since)
                .find_map(|(_, keys)| keys.iter().find(|k| extent.contains(k)).cloned());
            proptest::prop_assert_eq!(log.written_in(since, &extent).is_some(), expected.is_some());
        }
    }

    /// A key of 0 to 40 bytes, most of them shared with other keys, so that bounds and keys
    /// share prefixes of every length the filter of written prefixes knows.
    fn long_key() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::strategy::Strategy;
        (0usize..=40, proptest::collection::vec(proptest::sample::select(vec![0x00u8, 0x01, 0x61, 0xff]), 0..3))
            .prop_map(|(shared, tail)| [&[0x61u8; 40][..shared], &tail].concat())
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
