//! The embedded backend: a sled database in a folder.
//!
//! Promise: serializable, atomic, and durable: a read-write transaction that returned `Ok` has
//! been flushed to disk (sled's flush writes its log and waits until the writes completed) and
//! survives a crash of the process. On Linux sled's flush ends with `sync_file_range`, which
//! neither empties the drive's write cache nor records a grown file's new length; sled's
//! background thread calls `fsync` every half second, so a power cut (unlike a crash of the
//! process) may lose the commits of that last half second. Recovery then finds a prefix of the
//! commits, never half of one.
//!
//! # How a read-write transaction commits
//!
//! Read-write transactions run one at a time: the writer lock is held through the closure,
//! which buffers its writes ([`Overlay`]) and reads through them, then through the commits that
//! are not on disk yet ([`pending`]), then sled. When the closure returns `Ok` its writes are
//! *staged*: they join the pending writes under the next commit number, and the writer lock is
//! released, so the next transaction's closure runs at once. The committing thread then waits
//! until its commit is durable.
//!
//! One thread at a time brings commits to disk (group commit): it takes every staged commit,
//! applies them to sled as one atomic batch (a key written by several of them gets the last
//! value) and flushes. Commits staged meanwhile wait, and the first of their threads to wake
//! runs the next round for all of them. Applying in the flushing thread, between two flushes,
//! is what lets the rounds grow: sled's flush holds sled's own concurrency lock shared until
//! the disk has the data, and `apply_batch` takes that lock exclusively, so a writer that
//! applied its own batch while another thread flushed waited for that flush with the writer
//! lock held (and readers waited behind it), and each flush covered a single commit.
//!
//! The commits a round took stay readable in a layer of their own (`unflushed`) from before
//! sled receives them until their flush succeeded, so a transaction that reads that layer over
//! sled sees them whole at any point of the round, and every write sled holds that may not be
//! on disk yet is in that layer.
//!
//! A batch that fails half way (sled reports an error, or panics) leaves sled's memory holding
//! part of it, and the commits staged behind it have read its writes: the store then refuses
//! every transaction with that error until it is reopened, when sled's recovery restores a
//! state made of whole commits.
//!
//! # Read-only transactions
//!
//! Read-only transactions read the `unflushed` layer over sled, so they see the commits that
//! sled holds or is receiving, never the staged ones; a commit returns `Ok` only once applied
//! and flushed, so a read that starts after a commit returned sees it. They take no lock and are
//! validated optimistically: a round sets the version (the number of the last commit it took)
//! before sled changes, and a read of sled that finds the version changed since its transaction
//! began flags a conflict, so the closure runs again on the newer state; the last attempt holds
//! rounds off so that a reader always finishes.
//!
//! A read-only transaction that read a key of the `unflushed` layer (or scanned a range holding
//! one, deletes included) waits until that layer is on disk before it returns, so that nothing a
//! caller was shown can vanish in a crash. One that did not returns at once: everything else
//! sled holds is on disk already, so a read of data the running round did not touch does not
//! wait for its flush.
//!
//! sled's own transactions cannot scan ranges, which the core needs inside transactions; that
//! is why this backend serialises writers itself instead of using them.

mod pending;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::{Condvar, Mutex};

use self::pending::{shadow, Layers, Pending, Writes};
use crate::overlay::Overlay;
use crate::{
    run_attempts, Attempt, Direction, Key, KeyRange, ReadFn, ReadTxn, Store, StoreError, TxError, Value, WriteFn,
    WriteTxn, MAX_ATTEMPTS,
};

/// How long [`SledStore::open`] waits for a folder's lock before reporting it locked.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(2);
/// How often the lock is tried again meanwhile.
const LOCK_POLL: std::time::Duration = std::time::Duration::from_millis(25);

/// How a [`SledStore`] is opened.
#[derive(Debug, Clone)]
pub struct SledOptions {
    /// The page cache size in bytes.
    pub cache_capacity: u64,
    /// Skip the flush after each commit, and let read-only transactions return data that is not
    /// on disk yet.
    ///
    /// **Risk:** a transaction that returned `Ok` may be lost if the process is killed, aborts
    /// or the machine loses power before sled's own background flush (every half second)
    /// reaches it; after such a crash the store holds an older, consistent state (a prefix of
    /// the committed transactions, never half of one). Use it only for data that can be
    /// rebuilt, such as bulk imports that are re-run from the start after a crash, or tests.
    pub unsafe_skip_flush_on_commit: bool,
}

impl Default for SledOptions {
    fn default() -> Self {
        SledOptions { cache_capacity: 256 * 1024 * 1024, unsafe_skip_flush_on_commit: false }
    }
}

/// A store in a folder on disk; cloning gives another handle to the same database.
///
/// A folder is opened by one process at a time, and by one `SledStore::open` within that
/// process: share a store inside a process by cloning the handle, and share an office between
/// processes or servers through PostgreSQL.
#[derive(Clone)]
pub struct SledStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    db: sled::Db,
    tree: sled::Tree,
    /// Held by the read-write transaction that runs, through its closure and the staging of its
    /// writes.
    writer: Mutex<()>,
    /// The commits that are not in sled, or not on disk, yet.
    pending: Mutex<Pending>,
    /// Held from the moment a batch of commits is taken until sled holds it, and by a read-only
    /// transaction's last attempt so that no batch lands under it.
    landing: Mutex<()>,
    /// The number of the last commit taken to be applied to sled, set with
    /// [`Pending::unflushed`] (under the lock of `pending`) before the batch starts landing.
    /// Read-only transactions read `unflushed` over sled, so they see that commit whole, and flag
    /// a conflict when the version moves under them.
    version: AtomicU64,
    flush: Mutex<FlushState>,
    flushed: Condvar,
    /// Set with [`FlushState::broken`], so that transactions refuse early without a lock.
    broken: AtomicBool,
    skip_flush: bool,
}

#[derive(Default)]
struct FlushState {
    /// Commits known to be on disk: every commit numbered up to this one. Without the flush on
    /// commit, the commits applied to sled.
    durable: u64,
    /// Whether a thread is applying and flushing now.
    flushing: bool,
    /// Why every transaction is refused: a batch of commits failed half way.
    broken: Option<StoreError>,
}

impl std::fmt::Debug for SledStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SledStore").field("path", &self.inner.path).finish()
    }
}

fn io(e: sled::Error) -> StoreError {
    match e {
        sled::Error::Corruption { .. } => StoreError::Corrupted(e.to_string()),
        other => StoreError::Io(other.to_string()),
    }
}

/// The names sled 0.34 creates in its folder; anything else means the folder is not a store.
fn is_sled_entry(name: &str) -> bool {
    matches!(name, "conf" | "db" | "blobs") || name.starts_with("snap.")
}

/// Refuses a path that is a file, or a folder holding files sled does not make, so that a
/// mistyped path never scatters database files among someone's documents. Hidden entries (such
/// as `.DS_Store`) are ignored.
fn check_folder(path: &Path, shown: &str) -> Result<(), StoreError> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(StoreError::Io(format!("cannot read `{shown}`: {e}"))),
    };
    if !meta.is_dir() {
        return Err(StoreError::NotAStore { path: shown.to_string(), reason: "it is a file, not a folder".into() });
    }
    let entries = std::fs::read_dir(path).map_err(|e| StoreError::Io(format!("cannot list `{shown}`: {e}")))?;
    let mut foreign = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| StoreError::Io(format!("cannot list `{shown}`: {e}")))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && !is_sled_entry(&name) {
            foreign.push(name);
        }
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    let shown_names: Vec<String> = foreign.iter().take(3).map(|n| format!("`{n}`")).collect();
    let more = if foreign.len() > 3 { format!(" and {} more", foreign.len() - 3) } else { String::new() };
    Err(StoreError::NotAStore {
        path: shown.to_string(),
        reason: format!("the folder holds files that are not part of a store: {}{more}", shown_names.join(", ")),
    })
}

/// Maps an error of `sled::Config::open`.
///
/// sled 0.34.7 takes an exclusive `flock` (`fs2::FileExt::try_lock_exclusive`) on the `db` file
/// and, when that fails, returns `Error::Io` of kind `Other` (not `WouldBlock`) whose message is
/// `could not acquire lock on "<folder>/db": <Debug of the os error>`, for example
/// `Os { code: 11, kind: WouldBlock, message: "Resource temporarily unavailable" }`. The lock is
/// per open file description, so a second open inside the same process is refused the same
/// way. Only a lock refused because someone holds it is [`StoreError::Locked`]; any other
/// failure to lock (a file system without locks) stays an i/o error with its reason.
fn open_error(e: sled::Error, shown: &str) -> StoreError {
    if let sled::Error::Io(io_err) = &e {
        let message = io_err.to_string();
        let held = io_err.kind() == std::io::ErrorKind::WouldBlock
            || (message.starts_with("could not acquire lock")
                && (message.contains("WouldBlock") || (cfg!(windows) && message.contains("code: 33"))));
        if held {
            return StoreError::Locked { path: shown.to_string() };
        }
        if message.starts_with("could not acquire lock") {
            return StoreError::Io(format!("cannot lock the store at `{shown}`: {message}"));
        }
    }
    io(e)
}

/// Marks the end of a round of applying and flushing, also when sled fails or panics in it, so
/// that waiters never sleep forever.
struct Round<'a> {
    inner: &'a Inner,
    /// The commit number the round made durable, once it succeeded.
    reached: Option<u64>,
    /// Set while a batch is being applied, to what the store reports from then on if the batch
    /// does not end well.
    lost: Option<StoreError>,
}

impl Drop for Round<'_> {
    fn drop(&mut self) {
        let mut state = self.inner.flush.lock();
        if let Some(reached) = self.reached {
            state.durable = state.durable.max(reached);
            // Everything the round took is on disk, and counted so: reads of it need not wait
            // any more. Still under the flush lock with `flushing` set, so that no other round
            // has taken more commits meanwhile.
            self.inner.pending.lock().flushed();
        }
        state.flushing = false;
        if let Some(lost) = self.lost.take() {
            state.broken.get_or_insert(lost);
            self.inner.broken.store(true, Ordering::SeqCst);
        }
        self.inner.flushed.notify_all();
    }
}

impl SledStore {
    /// Opens (or creates) the store in `path` with the default options.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, SledOptions::default())
    }

    /// Opens (or creates) the store in `path`.
    ///
    /// Errors: [`StoreError::NotAStore`] when `path` is a file, or a folder holding files that
    /// are not part of a store (hidden files aside); [`StoreError::Locked`] when another
    /// process — or another `open` in this process — holds the store; [`StoreError::Corrupted`]
    /// when sled finds damaged data.
    pub fn open_with(path: impl AsRef<Path>, options: SledOptions) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let shown = path.display().to_string();
        check_folder(&path, &shown)?;
        let config = sled::Config::new().path(&path).cache_capacity(options.cache_capacity);
        // A handle dropped a moment ago may still hold the folder's lock while sled's background
        // threads wind down (seen under load right after a close in the same process). Waiting a
        // little before calling the folder locked keeps close-then-reopen reliable; a folder
        // really held by another process is still reported, after the wait.
        let mut waited = std::time::Duration::ZERO;
        let db = loop {
            match config.open().map_err(|e| open_error(e, &shown)) {
                Err(StoreError::Locked { .. }) if waited < LOCK_WAIT => {
                    std::thread::sleep(LOCK_POLL);
                    waited += LOCK_POLL;
                }
                other => break other?,
            }
        };
        let tree = db.open_tree("oa").map_err(io)?;
        Ok(SledStore {
            inner: Arc::new(Inner {
                path,
                db,
                tree,
                writer: Mutex::new(()),
                pending: Mutex::new(Pending::default()),
                landing: Mutex::new(()),
                version: AtomicU64::new(0),
                flush: Mutex::new(FlushState::default()),
                flushed: Condvar::new(),
                broken: AtomicBool::new(false),
                skip_flush: options.unsafe_skip_flush_on_commit,
            }),
        })
    }

    /// The folder this store lives in.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Bytes the database occupies on disk.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        self.inner.db.size_on_disk().map_err(io)
    }

    /// Waits until commit number `seq` is on disk, applying and flushing on behalf of every
    /// commit staged meanwhile (group commit).
    ///
    /// Invariants: `durable` only grows, and only after a round that succeeded and whose flush
    /// started after the commits it counts were applied; `flushing` is reset (and waiters woken)
    /// however the round ends; a waiter re-checks under the lock it waits with, so no wake-up is
    /// lost. When a flush fails its error goes to the thread that ran it, and the waiters try a
    /// round of their own, so each of them either sees its commit durable or gets an error.
    fn make_durable(&self, seq: u64) -> Result<(), StoreError> {
        let inner = &*self.inner;
        let mut state = inner.flush.lock();
        loop {
            if state.durable >= seq {
                return Ok(());
            }
            if let Some(broken) = &state.broken {
                return Err(broken.clone());
            }
            if state.flushing {
                inner.flushed.wait(&mut state);
                continue;
            }
            state.flushing = true;
            drop(state);
            let mut round = Round { inner, reached: None, lost: None };
            let target = self.land(&mut round)?;
            if !inner.skip_flush {
                inner.db.flush().map_err(io)?;
            }
            round.reached = Some(target);
            drop(round);
            state = inner.flush.lock();
        }
    }

    /// Applies every staged commit to sled as one batch, and returns the number of the last
    /// commit sled holds.
    fn land(&self, round: &mut Round<'_>) -> Result<u64, StoreError> {
        let inner = &*self.inner;
        let landing = inner.landing.lock();
        let taken = {
            let mut pending = inner.pending.lock();
            let taken = pending.take();
            if let Some((_, through)) = &taken {
                inner.version.store(*through, Ordering::SeqCst);
            }
            taken
        };
        let Some((group, through)) = taken else {
            // Nothing is staged (and this thread runs the only round), so sled holds every
            // commit.
            return Ok(inner.version.load(Ordering::SeqCst));
        };
        let mut batch = sled::Batch::default();
        for (k, v) in group.iter() {
            match v {
                Some(v) => batch.insert(k.as_slice(), v.as_slice()),
                None => batch.remove(k.as_slice()),
            }
        }
        drop(group);
        round.lost = Some(StoreError::Io("a batch of commits stopped half way; reopen the store".into()));
        let applied = inner.tree.apply_batch(batch);
        drop(landing);
        if let Err(e) = applied {
            let e = io(e);
            round.lost = Some(e.clone());
            return Err(e);
        }
        round.lost = None;
        Ok(through)
    }

    /// The error every transaction gets once a batch failed half way.
    fn refuse_if_broken(&self) -> Result<(), StoreError> {
        if !self.inner.broken.load(Ordering::SeqCst) {
            return Ok(());
        }
        match &self.inner.flush.lock().broken {
            Some(broken) => Err(broken.clone()),
            None => Ok(()),
        }
    }
}

fn base_iter<'a>(
    tree: &'a sled::Tree,
    range: &KeyRange,
    direction: Direction,
) -> Box<dyn Iterator<Item = Result<(Key, Value), StoreError>> + 'a> {
    let iter = tree.range::<&[u8], _>(range.bounds()).map(|r| r.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(io));
    match direction {
        Direction::Forward => Box::new(iter),
        Direction::Backward => Box::new(iter.rev()),
    }
}

/// A read-only transaction: it reads the commits that may not be on disk yet over sled, and
/// checks after every read of sled that no batch began to land since it began.
struct SledRead<'a> {
    inner: &'a Inner,
    /// The commit whose state the transaction reads.
    version: u64,
    /// The commits sled holds, or is being given, that may not be on disk yet, when the
    /// transaction began: sled may hold any part of them, so they are read first.
    unflushed: Arc<Writes>,
    /// Whether the transaction read any of `unflushed`, and so must wait for its flush.
    read_unflushed: bool,
    attempt: u32,
    conflicted: bool,
}

impl SledRead<'_> {
    /// Flags a conflict once a batch began to land after the transaction began, since what sled
    /// returned may hold part of it. A batch sets the version before sled changes, so a read
    /// that saw any of it sees the new version here.
    fn check(&mut self) -> Result<(), StoreError> {
        if self.conflicted || self.inner.version.load(Ordering::SeqCst) != self.version {
            self.conflicted = true;
            return Err(StoreError::Conflict { attempts: self.attempt });
        }
        Ok(())
    }
}

impl ReadTxn for SledRead<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        self.check()?;
        let value = match self.unflushed.get(key) {
            Some(value) => {
                self.read_unflushed = true;
                value.clone()
            }
            None => self.inner.tree.get(key).map_err(io)?.map(|v| v.to_vec()),
        };
        self.check()?;
        Ok(value)
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        self.check()?;
        if range.is_empty() {
            return Ok(Vec::new());
        }
        // What a scan returns depends on every write in its range, deletes included (even past
        // the limit, to keep this simple).
        if self.unflushed.range::<[u8], _>(range.bounds()).next().is_some() {
            self.read_unflushed = true;
        }
        let base = base_iter(&self.inner.tree, range, direction);
        let entries = shadow(&self.unflushed, base, range, direction).take(limit).collect::<Result<Vec<_>, _>>()?;
        self.check()?;
        Ok(entries)
    }

    fn conflicted(&self) -> bool {
        self.conflicted
    }
}

/// A read-write transaction: it holds the writer lock, so the committed data cannot change
/// under it, and it buffers its writes until the closure returns `Ok`.
struct SledWrite<'a> {
    tree: &'a sled::Tree,
    /// The commits not in sled when the transaction began.
    layers: Layers,
    overlay: Overlay,
}

impl ReadTxn for SledWrite<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        if let Some(v) = self.overlay.get(key) {
            return Ok(v);
        }
        if let Some(v) = self.layers.get(key) {
            return Ok(v);
        }
        Ok(self.tree.get(key).map_err(io)?.map(|v| v.to_vec()))
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        let base = self.layers.over(base_iter(self.tree, range, direction), range, direction);
        self.overlay.merge(base, range, direction, limit)
    }
}

impl WriteTxn for SledWrite<'_> {
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

impl Store for SledStore {
    fn read_dyn(&self, f: &mut ReadFn<'_>) -> Result<(), TxError> {
        let inner = &*self.inner;
        self.refuse_if_broken()?;
        let mut wait_for = None;
        run_attempts(|attempt| {
            // The last attempt keeps batches from landing, so that a reader always finishes.
            let _landing = (attempt == MAX_ATTEMPTS).then(|| inner.landing.lock());
            let (version, unflushed) = {
                let pending = inner.pending.lock();
                (inner.version.load(Ordering::SeqCst), Arc::clone(&pending.unflushed))
            };
            let mut tx = SledRead { inner, version, unflushed, read_unflushed: false, attempt, conflicted: false };
            let result = f(&mut tx);
            // Sled holds nothing else that may not be on disk (see `Pending`).
            wait_for = tx.read_unflushed.then_some(version);
            Attempt::after_closure(tx.conflicted, result)
        })?;
        // What the closure read may come from commits whose flush is still running. Without the
        // flush on commit, what sled holds is all there is to wait for.
        if let (Some(seq), false) = (wait_for, inner.skip_flush) {
            self.make_durable(seq)?;
        }
        Ok(())
    }

    fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError> {
        let inner = &*self.inner;
        let seq = {
            let _writer = inner.writer.lock();
            self.refuse_if_broken()?;
            let mut seq = 0;
            run_attempts(|_| {
                let (layers, committed) = {
                    let pending = inner.pending.lock();
                    let layers =
                        Layers { staged: Arc::clone(&pending.staged), unflushed: Arc::clone(&pending.unflushed) };
                    (layers, pending.committed)
                };
                let mut tx = SledWrite { tree: &inner.tree, layers, overlay: Overlay::default() };
                let result = f(&mut tx);
                match Attempt::after_closure(tx.conflicted(), result) {
                    Attempt::Done(Ok(())) => {}
                    other => return other,
                }
                // Dropping the layers first leaves the staged writes unshared, so that staging
                // adds to them in place.
                let SledWrite { overlay, layers, .. } = tx;
                drop(layers);
                seq = if overlay.writes.is_empty() {
                    // Nothing to write, but what the closure read must be on disk too.
                    committed
                } else {
                    inner.pending.lock().stage(overlay.writes)
                };
                Attempt::Done(Ok(()))
            })?;
            seq
        };
        // The writer lock is released: the next transaction runs while this one waits for the
        // round that applies and flushes it.
        self.make_durable(seq)?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "sled"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoreExt;

    /// A store in a temporary folder that goes away with it.
    struct TempSled {
        store: SledStore,
        _dir: tempfile::TempDir,
    }

    impl Store for TempSled {
        fn read_dyn(&self, f: &mut ReadFn<'_>) -> Result<(), TxError> {
            self.store.read_dyn(f)
        }
        fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError> {
            self.store.write_dyn(f)
        }
        fn backend(&self) -> &'static str {
            self.store.backend()
        }
    }

    fn fresh() -> Box<dyn Store> {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SledStore::open(dir.path().join("db")).expect("open");
        Box::new(TempSled { store, _dir: dir })
    }

    mod conformance {
        use super::fresh;
        crate::conformance_tests!(fresh);
    }

    #[test]
    fn reopen_durability() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("office");
        let reopen = || SledStore::open(&path).map(|s| Box::new(s) as Box<dyn Store>);
        assert_eq!(crate::conformance::reopen_durability(&reopen), Ok(()));
    }

    #[test]
    fn reopen_durability_with_unsafe_skip_flush_after_a_clean_close() {
        // Without the flush on commit, a clean close still keeps everything (sled flushes when
        // the last handle is dropped); only a crash may lose recent commits.
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("office");
        let options = SledOptions { unsafe_skip_flush_on_commit: true, ..SledOptions::default() };
        let reopen = || SledStore::open_with(&path, options.clone()).map(|s| Box::new(s) as Box<dyn Store>);
        assert_eq!(crate::conformance::reopen_durability(&reopen), Ok(()));
    }

    #[test]
    fn a_second_open_in_the_same_process_is_locked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("office");
        let first = SledStore::open(&path).expect("first open");
        first.write(|tx| tx.put(b"k", b"v")).expect("write");
        let second = SledStore::open(&path);
        let Err(err) = second else { panic!("a second open of a held folder succeeded") };
        assert_eq!(err, StoreError::Locked { path: path.display().to_string() });
        let message = err.to_string();
        assert!(message.contains("PostgreSQL"), "{message}");
        assert!(message.contains("one process at a time"), "{message}");
        // A clone is the way to share the store inside a process, and the holder is unharmed.
        let clone = first.clone();
        assert_eq!(clone.get(b"k"), Ok(Some(b"v".to_vec())));
        drop(first);
        drop(clone);
        let reopened = SledStore::open(&path).expect("open after the holder closed");
        assert_eq!(reopened.get(b"k"), Ok(Some(b"v".to_vec())));
    }

    #[test]
    fn lock_errors_are_told_apart_from_other_failures_to_lock() {
        let shown = "/srv/office";
        let sled_err = |message: &str| sled::Error::Io(std::io::Error::other(message.to_string()));
        // What sled 0.34.7 returns when another handle holds the folder.
        let held = sled_err(
            "could not acquire lock on \"/srv/office/db\": Os { code: 11, kind: WouldBlock, message: \"Resource temporarily unavailable\" }",
        );
        assert_eq!(open_error(held, shown), StoreError::Locked { path: shown.into() });
        let would_block = sled::Error::Io(std::io::Error::from(std::io::ErrorKind::WouldBlock));
        assert_eq!(open_error(would_block, shown), StoreError::Locked { path: shown.into() });
        // A file system without locks is not "in use by another process".
        let no_locks = sled_err(
            "could not acquire lock on \"/srv/office/db\": Os { code: 37, kind: Uncategorized, message: \"No locks available\" }",
        );
        assert!(matches!(open_error(no_locks, shown), StoreError::Io(m) if m.contains("No locks available")));
        // A path that merely contains the word is not a lock error.
        let denied = sled_err("permission denied on /srv/blocks");
        assert!(matches!(open_error(denied, shown), StoreError::Io(_)));
    }

    #[test]
    fn a_file_is_not_a_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("notes.txt");
        std::fs::write(&path, b"hello").expect("write file");
        let err = SledStore::open(&path).map(|_| ()).expect_err("a file must be refused");
        assert!(
            matches!(&err, StoreError::NotAStore { path: p, reason } if *p == path.display().to_string() && reason.contains("file")),
            "{err:?}"
        );
        assert_eq!(std::fs::read(&path).expect("read file"), b"hello", "the file is left alone");
    }

    #[test]
    fn a_folder_of_other_files_is_not_a_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("report.docx"), b"...").expect("write file");
        std::fs::create_dir(dir.path().join("photos")).expect("make folder");
        let err = SledStore::open(dir.path()).map(|_| ()).expect_err("a folder of documents must be refused");
        let StoreError::NotAStore { reason, .. } = &err else { panic!("{err:?}") };
        assert!(reason.contains("`photos`") && reason.contains("`report.docx`"), "{reason}");
        assert!(err.to_string().contains("is not a store"), "{err}");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).expect("list").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names.len(), 2, "nothing was written into the folder: {names:?}");
    }

    #[test]
    fn a_folder_with_a_stray_file_beside_a_store_is_refused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("office");
        drop(SledStore::open(&path).expect("create"));
        std::fs::write(path.join("stray.txt"), b"x").expect("write file");
        let err = SledStore::open(&path).map(|_| ()).expect_err("a stray file must be refused");
        assert!(matches!(&err, StoreError::NotAStore { reason, .. } if reason.contains("`stray.txt`")), "{err:?}");
    }

    #[test]
    fn empty_folders_hidden_files_and_missing_paths_open() {
        let dir = tempfile::tempdir().expect("temp dir");
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).expect("make folder");
        SledStore::open(&empty).expect("an empty folder becomes a store");
        let hidden = dir.path().join("hidden");
        std::fs::create_dir(&hidden).expect("make folder");
        std::fs::write(hidden.join(".DS_Store"), b"x").expect("write file");
        SledStore::open(&hidden).expect("a folder with only hidden files becomes a store");
        let nested = dir.path().join("a").join("b");
        let store = SledStore::open(&nested).expect("a missing folder is created");
        assert_eq!(store.path(), nested.as_path());
        assert_eq!(store.backend(), "sled");
        assert!(store.size_on_disk().is_ok());
    }

    #[test]
    fn commits_are_durable_when_they_return() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SledStore::open(dir.path().join("office")).expect("open");
        std::thread::scope(|s| {
            for t in 0..4u8 {
                let store = &store;
                s.spawn(move || {
                    for i in 0..25u8 {
                        store.write(|tx| tx.put(&[t, i], &[i])).expect("write");
                        // Once a commit has returned, the durable counter covers it: this is at
                        // least the thread's (i + 1)th commit.
                        let durable = store.inner.flush.lock().durable;
                        assert!(durable > u64::from(i), "durable {durable} after commit {i}");
                        assert!(store.get(&[t, i]).expect("read").is_some());
                    }
                });
            }
        });
        let version = store.inner.version.load(Ordering::SeqCst);
        assert_eq!(version, 100);
        assert_eq!(store.inner.flush.lock().durable, version, "every commit was flushed");
        assert!(!store.inner.flush.lock().flushing);
        // A transaction that writes nothing commits nothing.
        store.write(|tx| tx.get(b"x").map(|_| ())).expect("empty write");
        assert_eq!(store.inner.version.load(Ordering::SeqCst), 100);
    }

    #[test]
    fn what_a_read_returns_is_on_disk_already() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SledStore::open(dir.path().join("office")).expect("open");
        let counter = |tx: &mut dyn ReadTxn| -> Result<u64, StoreError> {
            Ok(tx.get(b"counter")?.map_or(0, |v| u64::from_le_bytes(v.try_into().expect("eight bytes"))))
        };
        let writers_done = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let writers: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| {
                        for _ in 0..50 {
                            // Every commit increments the counter, so its value is the number of
                            // the commit that wrote it.
                            store
                                .write(|tx| {
                                    let n = counter(tx.as_read())?;
                                    tx.put(b"counter", &(n + 1).to_le_bytes())
                                })
                                .expect("increment");
                        }
                    })
                })
                .collect();
            for _ in 0..2 {
                s.spawn(|| {
                    while !writers_done.load(Ordering::SeqCst) {
                        let seen = store.read(counter).expect("read");
                        let durable = store.inner.flush.lock().durable;
                        assert!(durable >= seen, "a read returned commit {seen} when only {durable} was on disk");
                    }
                });
            }
            for w in writers {
                w.join().expect("writer");
            }
            writers_done.store(true, Ordering::SeqCst);
        });
        assert_eq!(store.read(counter), Ok(200));
    }

    #[test]
    fn a_read_waits_only_for_the_flush_of_what_it_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = SledStore::open(dir.path().join("office")).expect("open");
        let durable = || store.inner.flush.lock().durable;
        store
            .write(|tx| {
                tx.put(b"a/old", b"1")?;
                tx.put(b"b/near", b"1")
            })
            .expect("write");
        assert_eq!(durable(), 1);
        // A round that applied commits 2 and 3 and has not flushed them yet: commit 2 writes
        // `b/new`, commit 3 deletes `b/near`.
        {
            let mut pending = store.inner.pending.lock();
            assert_eq!(pending.stage(Writes::from([(b"b/new".to_vec(), Some(b"2".to_vec()))])), 2);
            assert_eq!(pending.stage(Writes::from([(b"b/near".to_vec(), None)])), 3);
        }
        {
            store.inner.flush.lock().flushing = true;
            let mut round = Round { inner: &store.inner, reached: None, lost: None };
            assert_eq!(store.land(&mut round), Ok(3));
        }
        assert_eq!(durable(), 1);
        // Reads that do not touch those commits return at once: no round runs for them.
        assert_eq!(store.get(b"a/old"), Ok(Some(b"1".to_vec())));
        assert_eq!(store.scan(&KeyRange::prefix(b"a/"), Direction::Forward, 10).map(|e| e.len()), Ok(1));
        assert_eq!(durable(), 1, "a read of keys the unflushed commits did not write waited");
        // A scan whose range holds the delete depends on it even though it returns nothing of it.
        assert_eq!(store.scan(&KeyRange::prefix(b"b/near"), Direction::Forward, 10), Ok(vec![]));
        assert_eq!(durable(), 3, "a read of an unflushed delete returned before its flush");
        assert_eq!(store.get(b"b/new"), Ok(Some(b"2".to_vec())));
    }
}
