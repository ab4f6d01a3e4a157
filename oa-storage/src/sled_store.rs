//! The embedded backend: a sled database in a folder.
//!
//! Promise: serializable, atomic, and durable: a read-write transaction that returned `Ok` has
//! been flushed to disk and survives a crash of the process. Read-write transactions run one at
//! a time and buffer their writes; the buffer is applied as one atomic sled batch, then flushed.
//! Flushes are shared (group commit): while one thread flushes, the transactions that committed
//! behind it wait for the next flush instead of each paying for its own.
//!
//! sled's own transactions cannot scan ranges, which the core needs inside transactions; that
//! is why this backend serialises writers itself instead of using them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use parking_lot::{Condvar, Mutex};

use crate::overlay::Overlay;
use crate::{Direction, Key, KeyRange, ReadFn, ReadTxn, Store, StoreError, TxError, Value, WriteFn, WriteTxn};

/// How a [`SledStore`] is opened.
#[derive(Debug, Clone)]
pub struct SledOptions {
    /// The page cache size in bytes.
    pub cache_capacity: u64,
    /// Skip the flush after each commit. A committed transaction may then be lost if the process
    /// or machine crashes before sled's own periodic flush; the name says what it risks.
    pub unsafe_skip_flush_on_commit: bool,
}

impl Default for SledOptions {
    fn default() -> Self {
        SledOptions { cache_capacity: 256 * 1024 * 1024, unsafe_skip_flush_on_commit: false }
    }
}

/// A store in a folder on disk; cloning gives another handle to the same database.
#[derive(Clone)]
pub struct SledStore {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    db: sled::Db,
    tree: sled::Tree,
    writer: Mutex<()>,
    flush: Mutex<FlushState>,
    flushed: Condvar,
    skip_flush: bool,
}

#[derive(Default)]
struct FlushState {
    /// Commits applied to sled so far.
    applied: u64,
    /// Commits known to be on disk.
    durable: u64,
    /// Whether a thread is flushing now.
    flushing: bool,
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

impl SledStore {
    /// Opens (or creates) the store in `path` with the default options.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, SledOptions::default())
    }

    /// Opens (or creates) the store in `path`.
    ///
    /// A folder that exists, is not empty and holds no sled database is refused, so that a
    /// mistyped path never scatters database files among someone's documents.
    pub fn open_with(path: impl AsRef<Path>, options: SledOptions) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let shown = path.display().to_string();
        if path.exists() {
            if !path.is_dir() {
                return Err(StoreError::NotAStore { path: shown, reason: "it is a file, not a folder".into() });
            }
            let mut entries = std::fs::read_dir(&path).map_err(|e| StoreError::Io(e.to_string()))?;
            let non_empty = entries.next().is_some();
            if non_empty && !path.join("conf").exists() {
                return Err(StoreError::NotAStore {
                    path: shown,
                    reason: "the folder is not empty and holds no database".into(),
                });
            }
        }
        let db = sled::Config::new()
            .path(&path)
            .cache_capacity(options.cache_capacity)
            .open()
            .map_err(|e| match e {
                sled::Error::Io(ref io_err) if io_err.kind() == std::io::ErrorKind::WouldBlock
                    || io_err.to_string().contains("lock") =>
                {
                    StoreError::Locked { path: shown.clone() }
                }
                other => io(other),
            })?;
        let tree = db.open_tree("oa").map_err(io)?;
        Ok(SledStore {
            inner: Arc::new(Inner {
                path,
                db,
                tree,
                writer: Mutex::new(()),
                flush: Mutex::new(FlushState::default()),
                flushed: Condvar::new(),
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

    /// Waits until commit number `seq` is on disk, flushing on behalf of every commit that
    /// arrived meanwhile (group commit).
    fn make_durable(&self, seq: u64) -> Result<(), StoreError> {
        let inner = &self.inner;
        let mut state = inner.flush.lock();
        loop {
            if state.durable >= seq {
                return Ok(());
            }
            if state.flushing {
                inner.flushed.wait(&mut state);
                continue;
            }
            state.flushing = true;
            let target = state.applied;
            drop(state);
            let result = inner.db.flush().map(|_| ()).map_err(io);
            state = inner.flush.lock();
            state.flushing = false;
            if result.is_ok() {
                state.durable = state.durable.max(target);
            }
            inner.flushed.notify_all();
            result?;
        }
    }
}

fn base_iter<'a>(
    tree: &'a sled::Tree,
    range: &KeyRange,
    direction: Direction,
) -> Box<dyn Iterator<Item = Result<(Key, Value), StoreError>> + 'a> {
    let iter = tree
        .range::<&[u8], _>(range.bounds())
        .map(|r| r.map(|(k, v)| (k.to_vec(), v.to_vec())).map_err(io));
    match direction {
        Direction::Forward => Box::new(iter),
        Direction::Backward => Box::new(iter.rev()),
    }
}

struct SledRead<'a> {
    tree: &'a sled::Tree,
}

impl ReadTxn for SledRead<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        Ok(self.tree.get(key).map_err(io)?.map(|v| v.to_vec()))
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        base_iter(self.tree, range, direction).take(limit).collect()
    }
}

struct SledWrite<'a> {
    tree: &'a sled::Tree,
    overlay: Overlay,
}

impl ReadTxn for SledWrite<'_> {
    fn get(&mut self, key: &[u8]) -> Result<Option<Value>, StoreError> {
        match self.overlay.get(key) {
            Some(v) => Ok(v),
            None => Ok(self.tree.get(key).map_err(io)?.map(|v| v.to_vec())),
        }
    }

    fn scan(&mut self, range: &KeyRange, direction: Direction, limit: usize) -> Result<Vec<(Key, Value)>, StoreError> {
        if range.is_empty() {
            return Ok(Vec::new());
        }
        self.overlay.merge(base_iter(self.tree, range, direction), range, direction, limit)
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
        f(&mut SledRead { tree: &self.inner.tree })
    }

    fn write_dyn(&self, f: &mut WriteFn<'_>) -> Result<(), TxError> {
        let seq = {
            let _writer = self.inner.writer.lock();
            let mut tx = SledWrite { tree: &self.inner.tree, overlay: Overlay::default() };
            f(&mut tx)?;
            if tx.overlay.writes.is_empty() {
                return Ok(());
            }
            let mut batch = sled::Batch::default();
            for (k, v) in std::mem::take(&mut tx.overlay.writes) {
                match v {
                    Some(v) => batch.insert(k, v),
                    None => batch.remove(k),
                }
            }
            self.inner.tree.apply_batch(batch).map_err(io)?;
            let mut state = self.inner.flush.lock();
            state.applied += 1;
            state.applied
        };
        if !self.inner.skip_flush {
            self.make_durable(seq)?;
        }
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "sled"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conformance() {
        let dirs = Mutex::new(Vec::new());
        crate::conformance::run_all(&|| {
            let dir = tempfile::tempdir().expect("temp dir");
            let store = SledStore::open(dir.path().join("db")).expect("open");
            dirs.lock().push(dir);
            Box::new(store)
        });
    }
}
