//! The storage contract of oa: an ordered map of byte keys to byte values, read with `get` and
//! bounded range scans, written only inside serializable transactions run through a closure.
//!
//! Backends, each behind a cargo feature:
//!
//! | backend | feature | promise |
//! | --- | --- | --- |
//! | [`MemoryStore`] | `memory` | lives in the process; gone when it ends; serializable |
//! | [`SledStore`] | `sled` | a folder on disk, one process at a time; a transaction that returned `Ok` survives a crash of the process (group commit); serializable |
//!
//! Architecture invariant: this crate knows nothing of offices, people or workflows. It moves
//! bytes; meaning lives in `oa-core`.
//!
//! A transaction closure may run more than once: when a backend detects a conflict it rolls the
//! attempt back and runs the closure again (up to [`MAX_ATTEMPTS`] times), so the closure must
//! not have side effects outside the transaction other than recording its result.

#![cfg_attr(docsrs, feature(doc_cfg))]

mod overlay;
mod range;

#[cfg(feature = "memory")]
mod memory;
#[cfg(feature = "sled")]
mod sled_store;

pub mod conformance;

pub use range::{Direction, KeyRange};

#[cfg(feature = "memory")]
pub use memory::MemoryStore;
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

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

/// Reads inside a transaction.
pub trait ReadTxn {
    /// The value under `key`, if any.
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError>;

    /// Up to `limit` entries of `range` in key order (`Forward`) or reverse key order
    /// (`Backward`).
    fn scan(
        &mut self,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(Key, Value)>, StoreError>;
}

/// Reads and writes inside a read-write transaction. Reads see the transaction's own writes.
pub trait WriteTxn: ReadTxn {
    /// Sets `key` to `value`.
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<(), StoreError>;

    /// Removes `key`; removing an absent key is not an error.
    fn delete(&mut self, key: &[u8]) -> Result<(), StoreError>;

    /// This transaction seen as a reader, for helpers that only read.
    fn as_read(&mut self) -> &mut dyn ReadTxn;
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
    /// Runs `f` against committed data. Each read sees data committed before it started; a
    /// read-only transaction never blocks writers.
    fn read_dyn(&self, f: &mut ReadFn<'_>) -> Result<(), TxError>;

    /// Runs `f` as one serializable read-write transaction: if it returns `Ok` every write
    /// commits, otherwise none does. On a conflict the attempt is rolled back and `f` runs again.
    fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError>;

    /// A short name of the backend (`memory`, `sled`, `postgres`).
    fn backend(&self) -> &'static str;
}

/// Typed helpers over any [`Store`].
pub trait StoreExt: Store {
    /// Runs `f` as a read-only transaction and returns its result.
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
    fn scan(
        &self,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(Key, Value)>, StoreError> {
        self.read(|tx| tx.scan(range, direction, limit))
    }
}

impl<S: Store + ?Sized> StoreExt for S {}

fn finish<T, E: From<StoreError>>(r: Result<(), TxError>, out: Option<Result<T, E>>) -> Result<T, E> {
    match (r, out) {
        (Ok(()), Some(Ok(v))) => Ok(v),
        (Err(TxError::Aborted), Some(Err(e))) => Err(e),
        (Err(TxError::Store(e)), _) => Err(e.into()),
        // The closure succeeded but the commit failed without a storage error, or the backend
        // returned without running the closure: both are backend bugs, reported as such.
        _ => Err(StoreError::Corrupted("transaction ended without a result".into()).into()),
    }
}
