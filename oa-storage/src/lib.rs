//! The storage contract of oa: an ordered map of byte keys to byte values, read with `get` and
//! bounded range scans, written only inside serializable transactions run through a closure.
//!
//! Architecture invariant: this crate knows nothing of offices, people or workflows. It moves
//! bytes; meaning lives in `oa-core`.
//!
//! # What each backend promises
//!
//! Each backend sits behind a cargo feature of the same name.
//!
//! | | [`MemoryStore`] (`memory`) | [`SledStore`] (`sled`) | `PgStore` (`postgres`, later) |
//! | --- | --- | --- | --- |
//! | atomicity | a closure that fails leaves nothing: writes are buffered and applied together | the same; the buffer is applied as one sled batch, which sled recovers all or nothing | a PostgreSQL transaction |
//! | isolation of read-write transactions | serializable: closures run side by side, each seeing the state committed when it began (a read of a key written since fails with a conflict), and a commit goes through only if nothing the transaction read was written since it began; commit order is the serial order | serializable: they run one at a time | `SERIALIZABLE`; a serialization failure (`40001`) is retried |
//! | isolation of read-only transactions | a snapshot: every read sees the state committed when the transaction began, never half a transaction, whatever commits meanwhile | a consistent snapshot: every read sees the same committed state, never half a transaction | `SERIALIZABLE READ ONLY` |
//! | durability | none: gone when the process ends | a transaction that returned `Ok` has been flushed by sled and survives a crash of the process (sled's flush ends with `sync_file_range` on Linux; the drive's cache is emptied by its background `fsync` every 500 ms, so a power cut may lose the last half second); a read-only transaction returns only data that is flushed. [`SledOptions::unsafe_skip_flush_on_commit`] gives this up | synchronous commit |
//! | concurrency | writers run their closures side by side and take a short lock to check and apply their commit; readers never wait for a writer's closure, nor writers for a reader's | one writer's closure at a time; a commit is staged and the next closure runs at once, while one thread at a time applies every staged commit as one batch and flushes it (group commit); readers take no lock; one process per folder ([`StoreError::Locked`]) | many application servers on one database |
//! | conflicts | a writer that reads a key another commit wrote since it began runs again, once, holding the commit lock through its closure so that it cannot conflict again ([`MemoryStats`] counts them); a reader reads a version that no commit changes and never conflicts | none between writers (serialised); a reader that overlapped a commit runs again | retried up to [`MAX_ATTEMPTS`] times, then [`StoreError::Conflict`] |
//!
//! On sled, read-only transactions are optimistic: when a commit lands while one runs, the
//! attempt is discarded and the closure runs again on the newer state; the last of
//! [`MAX_ATTEMPTS`] attempts holds commits from landing so that a reader always finishes. The memory store
//! keeps its committed state as a persistent map whose versions commits never change, so its
//! readers take the current version and run once, and hold no writer off. A closure must not
//! write through the same store: on sled, and on the memory store's attempt after a conflict,
//! that would wait for itself.
//!
//! # Work deferred to the commit
//!
//! A read-write transaction may defer work to its commit with [`WriteTxn::at_commit`]: work
//! that every transaction does to the same few keys, such as appending to a log under one head
//! record, which read in the closure would make every two concurrent transactions conflict. The
//! memory store runs it under its commit lock once the transaction's reads are checked, where
//! nothing can commit meanwhile and its reads need no check. Sled runs writers one at a time and
//! runs the work at once, which for it is the same. A PostgreSQL backend can run it at the end of
//! the closure, inside the transaction; there a head row that every transaction writes still
//! makes concurrent transactions fail with serialization failures and retry, so such a backend
//! needs another way of numbering the log to let them run side by side.
//!
//! # Closures run more than once
//!
//! A transaction closure may run more than once: when a backend detects a conflict it rolls the
//! attempt back and runs the closure again (up to [`MAX_ATTEMPTS`] times), so the closure must
//! not have side effects outside the transaction other than recording its result. Only the
//! result of the attempt that counted is returned to the caller.
//!
//! # How a backend reports a conflict
//!
//! The closure decides what to do with a [`StoreError`]: it usually converts it into its own
//! error type with `?` (`oa-core` turns it into an `OaError`), and it may even ignore it. The
//! backend therefore never relies on the closure's result to learn of a conflict. Instead:
//!
//! 1. Every operation of a transaction that fails because of a conflict (PostgreSQL SQLSTATE
//!    `40001` serialization failure or `40P01` deadlock; for sled, a commit that landed under a
//!    read-only transaction) returns [`StoreError::Conflict`] **and** sets a
//!    conflict flag on the transaction handle, visible through [`ReadTxn::conflicted`].
//! 2. When the closure returns — `Ok` or `Err` of any kind — the backend asks
//!    [`Attempt::after_closure`] with that flag. A flagged attempt is rolled back whatever the
//!    closure returned (an `Ok` built on a failed read must not commit) and is
//!    [`Attempt::Conflict`]; a closure that itself returned [`StoreError::Conflict`] counts too.
//! 3. A commit that fails with a serialization failure is an [`Attempt::Conflict`] as well.
//! 4. The backend runs its attempts through [`run_attempts`], which runs the next attempt after
//!    a conflict and, after [`MAX_ATTEMPTS`] conflicting attempts, gives up with
//!    `TxError::Store(StoreError::Conflict { attempts: MAX_ATTEMPTS })`.
//!
//! [`StoreExt::write`] and [`StoreExt::read`] keep the result of the latest attempt only, so
//! the caller gets either the result of the attempt that committed or the typed
//! [`StoreError::Conflict`] converted into its error type — never the converted error of an
//! attempt that was retried, and never a lost update.
//!
//! A PostgreSQL `write_dyn` is then, per attempt: `BEGIN ISOLATION LEVEL SERIALIZABLE`; run the
//! closure over a transaction handle that maps SQLSTATE `40001`/`40P01` to a flagged
//! [`StoreError::Conflict`]; `ROLLBACK` unless [`Attempt::after_closure`] says `Done(Ok)`;
//! otherwise `COMMIT`, where a `40001` again means [`Attempt::Conflict`].

#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(feature = "memory", feature = "sled"))]
mod overlay;
mod range;
mod snapshot;

#[cfg(feature = "memory")]
mod memory;
#[cfg(feature = "sled")]
mod sled_store;

pub mod conformance;

pub use range::{Direction, KeyRange};
pub use snapshot::{decode_snapshot, encode_snapshot};

#[cfg(feature = "memory")]
pub use memory::{MemoryStats, MemoryStore};
#[cfg(feature = "sled")]
pub use sled_store::{SledOptions, SledStore};

/// A key: an ordered byte string.
pub type Key = Vec<u8>;
/// A value: an opaque byte string.
pub type Value = Vec<u8>;

/// How many times a conflicting transaction is run before [`StoreError::Conflict`] is returned.
pub const MAX_ATTEMPTS: u32 = 16;

/// What can go wrong in the storage layer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Concurrent transactions kept conflicting; nothing of this one was written.
    #[error("transaction conflict: gave up after {attempts} attempts")]
    Conflict {
        /// How many attempts were made.
        attempts: u32,
    },
    /// A write was attempted inside a read-only transaction.
    #[error("write attempted in a read-only transaction")]
    ReadOnly,
    /// The folder is held by another process.
    #[error("the store at `{path}` is in use by another process; an embedded store is opened by one process at a time (share an office between processes through PostgreSQL)")]
    Locked {
        /// The folder that is locked.
        path: String,
    },
    /// The folder exists but does not hold a store of this backend.
    #[error("`{path}` is not a store: {reason}")]
    NotAStore {
        /// The folder.
        path: String,
        /// Why it was refused.
        reason: String,
    },
    /// An input/output error of the backend.
    #[error("storage i/o error: {0}")]
    Io(String),
    /// The backend found damaged data.
    #[error("storage corrupted: {0}")]
    Corrupted(String),
}

/// Why a transaction closure stopped: a storage error, or the caller's own decision to roll back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxError {
    /// A storage error; conflicts are retried by the backend before this surfaces.
    Store(StoreError),
    /// The closure failed with an error of its own; everything it wrote is discarded.
    Aborted,
}

impl StoreError {
    /// Whether this is a [`StoreError::Conflict`]: running the transaction again may succeed.
    pub fn is_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict { .. })
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

/// Reads inside a transaction.
///
/// Every operation may fail with [`StoreError::Conflict`]; the transaction then stays flagged
/// ([`ReadTxn::conflicted`]) and the backend runs the closure again whatever it returns.
pub trait ReadTxn {
    /// The value under `key`, if any.
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError>;

    /// Up to `limit` entries of `range` in key order (`Forward`) or reverse key order
    /// (`Backward`).
    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError>;

    /// Whether an operation of this transaction failed with [`StoreError::Conflict`]. Once set
    /// the attempt is doomed: the backend rolls it back and runs the closure again, even if the
    /// closure converted or ignored the error. See the crate documentation.
    fn conflicted(&self) -> bool {
        false
    }
}

/// Work a read-write transaction defers to its commit; see [`WriteTxn::at_commit`].
///
/// It gets the transaction itself and fails with a [`StoreError`], the only kind of error a
/// commit can carry back to the caller: the work is boxed and `'static`, so it cannot hand an
/// error of the caller's own type to the closure that deferred it.
pub type Deferred = Box<dyn FnOnce(&mut dyn WriteTxn) -> Result<(), StoreError> + Send + 'static>;

/// Reads and writes inside a read-write transaction. Reads see the transaction's own writes.
pub trait WriteTxn: ReadTxn + AsWriteTxn {
    /// Sets `key` to `value`.
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError>;

    /// Removes `key`; removing an absent key is not an error.
    fn delete(&mut self, key: &[u8]) -> Result<(), StoreError>;

    /// This transaction seen as a reader, for helpers that only read.
    fn as_read(&mut self) -> &mut dyn ReadTxn;

    /// Defers `work` to the commit of this transaction: it runs once, after the closure
    /// returned `Ok`, inside this same transaction, and its reads see the latest committed state
    /// plus this transaction's writes. An error from `work` fails the whole transaction and
    /// nothing of it is written (a [`StoreError::Conflict`] runs the transaction again). Several
    /// pieces of work run in the order they were deferred; a closure that fails, or an attempt
    /// that is run again, drops what it deferred.
    ///
    /// This is for work that every transaction does to the same few keys, such as appending to
    /// a log under one head record. Done in the closure, those reads would make every pair of
    /// concurrent transactions conflict on a store that runs closures side by side and checks
    /// their reads at commit ([`MemoryStore`]); deferred, they are read once the transaction is
    /// sure to commit, when nothing can commit in between, and they need no checking.
    ///
    /// The keys `work` reads and writes should be its own: the closure should not write them
    /// after deferring it, because a backend that runs read-write transactions one at a time may
    /// run `work` at once rather than at the end of the closure (this provided method does,
    /// which for such a backend is the same), and should not read them at all, because on a
    /// store that checks reads each such read conflicts with every concurrent transaction that
    /// defers the same work. A backend that runs `work` at once returns its error from here; the
    /// closure passes it on with `?` like any other storage error.
    fn at_commit(&mut self, work: Deferred) -> Result<(), StoreError> {
        work(self.as_write_txn())
    }
}

/// A read-write transaction seen as `&mut dyn WriteTxn`, which the provided methods of
/// [`WriteTxn`] need to hand the transaction on. Implemented for every transaction type: there
/// is nothing to write by hand.
pub trait AsWriteTxn {
    /// This transaction as a trait object.
    fn as_write_txn(&mut self) -> &mut dyn WriteTxn;
}

impl<T: WriteTxn> AsWriteTxn for T {
    fn as_write_txn(&mut self) -> &mut dyn WriteTxn {
        self
    }
}

/// What one attempt of a transaction came to, as a backend reports it to [`run_attempts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attempt {
    /// The attempt ended for good: it committed (`Ok`), or it failed in a way that running it
    /// again would not cure. This is the transaction's result.
    Done(Result<(), TxError>),
    /// The attempt was rolled back because of a conflict; the closure runs again.
    Conflict,
}

impl Attempt {
    /// Judges an attempt whose closure returned `result` on a transaction handle whose conflict
    /// flag ([`ReadTxn::conflicted`]) is `conflicted`.
    ///
    /// The flag wins over whatever the closure returned, because the closure may have converted
    /// the [`StoreError::Conflict`] into an error of its own, or ignored it and returned `Ok`.
    /// A backend commits only on `Attempt::Done(Ok(()))` and rolls back otherwise.
    pub fn after_closure(conflicted: bool, result: Result<(), TxError>) -> Attempt {
        match result {
            _ if conflicted => Attempt::Conflict,
            Err(TxError::Store(e)) if e.is_conflict() => Attempt::Conflict,
            other => Attempt::Done(other),
        }
    }
}

/// Runs the attempts of one transaction, numbered from 1, until one is [`Attempt::Done`];
/// after [`MAX_ATTEMPTS`] conflicting attempts it gives up with [`StoreError::Conflict`].
///
/// Every backend runs its `read_dyn` and `write_dyn` through this, so that all of them retry the
/// same way. `attempt` learns its number so that a backend may change strategy for the last one
/// (sled holds commits from landing during a read-only transaction's last attempt).
pub fn run_attempts(mut attempt: impl FnMut(u32) -> Attempt) -> Result<(), TxError> {
    for number in 1..=MAX_ATTEMPTS {
        if let Attempt::Done(result) = attempt(number) {
            return result;
        }
    }
    Err(TxError::Store(StoreError::Conflict { attempts: MAX_ATTEMPTS }))
}

/// A closure run as a read-only transaction.
pub type ReadFn<'a> = dyn FnMut(&mut dyn ReadTxn) -> Result<(), TxError> + 'a;
/// A closure run as a read-write transaction.
pub type WriteFn<'a> = dyn FnMut(&mut dyn WriteTxn) -> Result<(), TxError> + 'a;

/// An ordered key-value store with serializable read-write transactions.
///
/// The trait is object safe (`Arc<dyn Store>`); [`StoreExt`] adds the typed helpers that callers
/// use.
pub trait Store: Send + Sync + 'static {
    /// Runs `f` as a read-only transaction: every read sees the same committed state, as of a
    /// moment between the transaction's start and its end. A conflict (for sled: a commit that
    /// landed while `f` ran) makes `f` run again; see the crate documentation for how a backend
    /// reports one.
    fn read_dyn(&self, f: &mut ReadFn<'_>) -> Result<(), TxError>;

    /// Runs `f` as one serializable read-write transaction: if it returns `Ok` every write
    /// commits, otherwise none does. On a conflict the attempt is rolled back and `f` runs again,
    /// up to [`MAX_ATTEMPTS`] times, after which [`StoreError::Conflict`] is returned. Reads
    /// inside `f` see its own writes. Work `f` deferred with [`WriteTxn::at_commit`] runs after
    /// `f` returned `Ok`, as part of the commit; its error fails the transaction.
    fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError>;

    /// A short name of the backend (`memory`, `sled`, `postgres`).
    fn backend(&self) -> &'static str;
}

/// Typed helpers over any [`Store`], implemented for every store.
pub trait StoreExt: Store {
    /// Runs `f` as a read-only transaction and returns its result; see [`Store::read_dyn`].
    ///
    /// `f` may run more than once; the result of the attempt that counted is returned.
    fn read<T, E>(&self, mut f: impl FnMut(&mut dyn ReadTxn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut out: Option<Result<T, E>> = None;
        let r = self.read_dyn(&mut |tx| match f(tx) {
            Ok(v) => {
                out = Some(Ok(v));
                Ok(())
            }
            Err(e) => {
                out = Some(Err(e));
                Err(TxError::Aborted)
            }
        });
        finish(r, out)
    }

    /// Runs `f` as a read-write transaction and returns its result; see [`Store::write_dyn`].
    ///
    /// `f` may run more than once. The backend learns of a conflict from the transaction's flag,
    /// not from `f`'s error, so the retry works even when `f` converts the
    /// [`StoreError::Conflict`] into `E`; the result of a retried attempt is discarded, and when
    /// the backend gives up the caller gets `StoreError::Conflict` converted into `E`.
    fn write<T, E>(&self, mut f: impl FnMut(&mut dyn WriteTxn) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let mut out: Option<Result<T, E>> = None;
        let r = self.write_dyn(&mut |tx| match f(tx) {
            Ok(v) => {
                out = Some(Ok(v));
                Ok(())
            }
            Err(e) => {
                out = Some(Err(e));
                Err(TxError::Aborted)
            }
        });
        finish(r, out)
    }

    /// The value under `key`, read outside any transaction.
    fn get(&self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        self.read(|tx| tx.get(key))
    }

    /// Up to `limit` entries of `range`, read outside any transaction.
    fn scan(&self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        self.read(|tx| tx.scan(range, direction, limit))
    }
}

impl<S: Store + ?Sized> StoreExt for S {}

fn finish<T, E: From<StoreError>>(r: Result<(), TxError>, out: Option<Result<T, E>>) -> Result<T, E> {
    match (r, out) {
        (Ok(()), Some(Ok(v))) => Ok(v),
        (Err(TxError::Aborted), Some(Err(e))) => Err(e),
        // A backend reports a conflict as `TxError::Store`; the slot may hold the converted
        // error of the last attempt, which is not what the caller should see.
        (Err(TxError::Store(e)), _) => Err(e.into()),
        // The closure succeeded but the commit failed without a storage error, or the backend
        // returned without running the closure: both are backend bugs, reported as such.
        _ => Err(StoreError::Corrupted("transaction ended without a result".into()).into()),
    }
}

#[cfg(all(test, feature = "memory"))]
mod tests {
    //! The conflict protocol, shown with a backend that injects conflicts the way PostgreSQL
    //! reports serialization failures: the operation fails and the transaction is flagged.

    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    /// A [`MemoryStore`] whose transactions meet `conflicts` conflicts before one goes through.
    struct Flaky {
        inner: MemoryStore,
        conflicts: AtomicU32,
        /// How many attempts ran, committed or not.
        attempts: AtomicU32,
    }

    impl Flaky {
        fn new(conflicts: u32) -> Self {
            Flaky { inner: MemoryStore::new(), conflicts: AtomicU32::new(conflicts), attempts: AtomicU32::new(0) }
        }

        /// Whether the next attempt is to meet a conflict.
        fn take_conflict(&self) -> bool {
            self.conflicts.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok()
        }
    }

    /// A transaction of [`Flaky`]: when doomed, its first read fails with a conflict, as a
    /// serialization failure would.
    struct FlakyTxn<'a> {
        tx: &'a mut dyn WriteTxn,
        doomed: bool,
        conflicted: bool,
    }

    impl FlakyTxn<'_> {
        fn meet(&mut self) -> Result<(), StoreError> {
            if self.doomed || self.conflicted {
                self.doomed = false;
                self.conflicted = true;
                return Err(StoreError::Conflict { attempts: 1 });
            }
            Ok(())
        }
    }

    impl ReadTxn for FlakyTxn<'_> {
        fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
            self.meet()?;
            self.tx.get(key)
        }
        fn scan(
            &mut self,
            range: &KeyRange,
            direction: Direction,
            limit: usize,
        ) -> Result<Vec<(Key, Value)>, StoreError> {
            self.meet()?;
            self.tx.scan(range, direction, limit)
        }
        fn conflicted(&self) -> bool {
            self.conflicted
        }
    }

    impl WriteTxn for FlakyTxn<'_> {
        fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError> {
            self.tx.put(key, value)
        }
        fn delete(&mut self, key: &[u8]) -> Result<(), StoreError> {
            self.tx.delete(key)
        }
        fn as_read(&mut self) -> &mut dyn ReadTxn {
            self
        }
    }

    impl Store for Flaky {
        fn read_dyn(&self, f: &mut ReadFn<'_>) -> Result<(), TxError> {
            run_attempts(|_| {
                self.attempts.fetch_add(1, Ordering::SeqCst);
                let doomed = self.take_conflict();
                let mut conflicted = false;
                // Reads through a write transaction of the inner store that always rolls back.
                let mut result = Ok(());
                let _ = self.inner.write_dyn(&mut |tx| {
                    let mut ftx = FlakyTxn { tx, doomed, conflicted: false };
                    result = f(&mut ftx);
                    conflicted = ftx.conflicted;
                    Err(TxError::Aborted)
                });
                Attempt::after_closure(conflicted, result)
            })
        }

        fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError> {
            run_attempts(|_| {
                self.attempts.fetch_add(1, Ordering::SeqCst);
                let doomed = self.take_conflict();
                let mut verdict = Attempt::Conflict;
                let committed = self.inner.write_dyn(&mut |tx| {
                    let mut ftx = FlakyTxn { tx, doomed, conflicted: false };
                    let result = f(&mut ftx);
                    verdict = Attempt::after_closure(ftx.conflicted, result);
                    match &verdict {
                        Attempt::Done(Ok(())) => Ok(()),
                        // Roll back: a conflicted attempt never commits.
                        _ => Err(TxError::Aborted),
                    }
                });
                match (committed, verdict) {
                    (Ok(()), verdict) => verdict,
                    (Err(_), Attempt::Conflict) => Attempt::Conflict,
                    (Err(_), Attempt::Done(Err(e))) => Attempt::Done(Err(e)),
                    (Err(e), Attempt::Done(Ok(()))) => Attempt::Done(Err(e)),
                }
            })
        }

        fn backend(&self) -> &'static str {
            "flaky"
        }
    }

    /// An error type of the caller's that forgets which storage error it came from.
    #[derive(Debug, PartialEq)]
    enum AppError {
        Storage(String),
        Conflict,
        Refused,
    }

    impl From<StoreError> for AppError {
        fn from(e: StoreError) -> Self {
            match e {
                StoreError::Conflict { .. } => AppError::Conflict,
                other => AppError::Storage(other.to_string()),
            }
        }
    }

    fn increment(tx: &mut dyn WriteTxn) -> Result<u8, AppError> {
        let n = tx.get(b"n")?.and_then(|v| v.first().copied()).unwrap_or(0);
        tx.put(b"n", &[n + 1])?;
        tx.put(format!("log{n}").as_bytes(), b"")?;
        Ok(n + 1)
    }

    #[test]
    fn a_conflict_converted_into_the_callers_error_is_retried() {
        let store = Flaky::new(3);
        let mut runs = 0;
        let r = store.write(|tx| {
            runs += 1;
            increment(tx)
        });
        assert_eq!(r, Ok(1), "the caller gets the result of the attempt that committed");
        assert_eq!(runs, 4);
        assert_eq!(store.inner.entries(), vec![(b"log0".to_vec(), vec![]), (b"n".to_vec(), vec![1])]);
    }

    #[test]
    fn a_conflict_the_closure_ignored_is_retried_and_its_writes_dropped() {
        let store = Flaky::new(2);
        let mut runs = 0;
        let r = store.write(|tx| {
            runs += 1;
            let seen = tx.get(b"n").unwrap_or(None); // swallows the conflict
            tx.put(format!("run{runs}").as_bytes(), b"")?;
            Ok::<_, AppError>(seen)
        });
        assert_eq!(r, Ok(None));
        assert_eq!(runs, 3);
        assert_eq!(store.inner.entries(), vec![(b"run3".to_vec(), vec![])], "only the last attempt committed");
    }

    #[test]
    fn a_closure_that_fails_for_its_own_reasons_is_not_retried() {
        let store = Flaky::new(0);
        let mut runs = 0;
        let r: Result<(), AppError> = store.write(|tx| {
            runs += 1;
            tx.put(b"x", b"1")?;
            Err(AppError::Refused)
        });
        assert_eq!(r, Err(AppError::Refused));
        assert_eq!(runs, 1);
        assert!(store.inner.is_empty());
    }

    #[test]
    fn endless_conflicts_end_in_a_typed_conflict_and_write_nothing() {
        let store = Flaky::new(u32::MAX);
        let r = store.write(increment);
        assert_eq!(r, Err(AppError::Conflict), "the caller's type, converted from StoreError::Conflict");
        let r = store.write(|tx| tx.get(b"n"));
        assert_eq!(r, Err(StoreError::Conflict { attempts: MAX_ATTEMPTS }));
        let r = store.write_dyn(&mut |tx| tx.put(b"k", b"v").map_err(TxError::from));
        assert_eq!(r, Ok(()), "an attempt that reads nothing meets no conflict here");
        assert_eq!(store.inner.entries(), vec![(b"k".to_vec(), b"v".to_vec())]);
        let before = store.attempts.load(Ordering::SeqCst);
        let r = store.read(|tx| tx.get(b"k"));
        assert_eq!(r, Err(StoreError::Conflict { attempts: MAX_ATTEMPTS }));
        assert_eq!(store.attempts.load(Ordering::SeqCst) - before, MAX_ATTEMPTS);
    }

    #[test]
    fn reads_retry_a_conflict_too() {
        let store = Flaky::new(0);
        store.write(increment).expect("seed");
        store.conflicts.store(5, Ordering::SeqCst);
        let mut runs = 0;
        let r = store.read(|tx| {
            runs += 1;
            Ok::<_, AppError>(tx.get(b"n")?)
        });
        assert_eq!(r, Ok(Some(vec![1])));
        assert_eq!(runs, 6);
    }

    #[test]
    fn a_closure_returning_a_conflict_itself_is_retried() {
        let store = MemoryStore::new();
        let mut runs = 0;
        let r = store.write_dyn(&mut |tx| {
            runs += 1;
            tx.put(format!("run{runs}").as_bytes(), b"")?;
            if runs < 3 {
                return Err(TxError::Store(StoreError::Conflict { attempts: runs }));
            }
            Ok(())
        });
        assert_eq!(r, Ok(()));
        assert_eq!(store.entries(), vec![(b"run3".to_vec(), vec![])]);
    }

    #[test]
    fn attempts_are_judged_by_the_flag_first() {
        assert_eq!(Attempt::after_closure(true, Ok(())), Attempt::Conflict);
        assert_eq!(Attempt::after_closure(true, Err(TxError::Aborted)), Attempt::Conflict);
        assert_eq!(Attempt::after_closure(false, Err(TxError::Aborted)), Attempt::Done(Err(TxError::Aborted)));
        assert_eq!(
            Attempt::after_closure(false, Err(TxError::Store(StoreError::Conflict { attempts: 1 }))),
            Attempt::Conflict
        );
        assert_eq!(Attempt::after_closure(false, Ok(())), Attempt::Done(Ok(())));
        let mut n = 0;
        assert_eq!(
            run_attempts(|i| {
                n = i;
                if i < 5 {
                    Attempt::Conflict
                } else {
                    Attempt::Done(Ok(()))
                }
            }),
            Ok(())
        );
        assert_eq!(n, 5);
    }
}
