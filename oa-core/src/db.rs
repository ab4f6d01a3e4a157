//! Typed reads and writes of records over a transaction, and [`DecodedCache`], which spares
//! decoding a record read again unchanged.

use std::sync::Arc;

use oa_storage::{ReadTxn, WriteTxn};
use parking_lot::RwLock;
use rustc_hash::FxHashMap;

use crate::codec::{self, Record};
use crate::OaResult;

/// The record under `key`, if any.
pub(crate) fn get<R: Record>(tx: &mut dyn ReadTxn, key: &[u8]) -> OaResult<Option<R>> {
    match tx.get(key)? {
        Some(raw) => codec::decode(&raw).map(Some),
        None => Ok(None),
    }
}

/// Writes `record` under `key`.
pub(crate) fn put<R: Record>(tx: &mut dyn WriteTxn, key: &[u8], record: &R) -> OaResult<()> {
    let raw = codec::encode(record)?;
    tx.put(key, &raw)?;
    Ok(())
}

/// Whether anything is stored under `key`.
pub(crate) fn exists(tx: &mut dyn ReadTxn, key: &[u8]) -> OaResult<bool> {
    Ok(tx.get(key)?.is_some())
}

/// One shard of a [`DecodedCache`]: decoded records by store key.
type Shard<T> = RwLock<FxHashMap<Box<[u8]>, Decoded<T>>>;

/// One decoded record and the bytes it was decoded from.
struct Decoded<T> {
    raw: Box<[u8]>,
    value: Arc<T>,
}

/// Records decoded once, by store key, each kept beside the bytes it was decoded from.
///
/// Some records are read by almost every operation and rarely change (a session, a person, a
/// grant); others are read by the operation after the one that wrote them (a task, an
/// instance). A read through the cache still reads the record's bytes in the caller's
/// transaction, and serves the decoded value only when those bytes equal the ones it was
/// decoded from: a comparison of bytes instead of a MessagePack decoding with its allocations.
/// Since nothing is served that the transaction did not just read, the cache needs no
/// invalidation and cannot be stale, whatever writes the record (this handle, another handle
/// over the same store, a transaction run again or rolled back): a value is a function of its
/// bytes alone. `T` may be any type a record's bytes decode as, such as the few fields of a
/// larger record that a hot path needs.
///
/// A writer may also hand the cache the value it has just encoded ([`DecodedCache::remember`]),
/// so that the next read of those bytes is served without ever decoding them.
///
/// Bounded by count: when full, the cache empties and fills again from the store (a miss costs
/// the decoding the cache saves). A large cache is split into shards by key, each behind its own
/// lock, so that threads reading and writing different records seldom meet on one lock.
pub(crate) struct DecodedCache<T> {
    /// The most records one shard holds.
    shard_limit: usize,
    shards: Box<[Shard<T>]>,
}

/// How many shards a cache of `limit` records has: one for a small cache (whose limit is then
/// exact), more for a large one.
fn shard_count(limit: usize) -> usize {
    if limit >= 1024 {
        16
    } else {
        1
    }
}

impl<T: Record> DecodedCache<T> {
    /// A cache of at most `limit` records.
    pub(crate) fn new(limit: usize) -> Self {
        let shards = shard_count(limit);
        DecodedCache {
            shard_limit: limit.div_ceil(shards),
            shards: (0..shards).map(|_| RwLock::new(FxHashMap::default())).collect(),
        }
    }

    fn shard(&self, key: &[u8]) -> &Shard<T> {
        let n = self.shards.len();
        let at = if n == 1 {
            0
        } else {
            let mut hasher = rustc_hash::FxHasher::default();
            std::hash::Hasher::write(&mut hasher, key);
            // The high bits: FxHash mixes its input into them.
            (std::hash::Hasher::finish(&hasher) >> 59) as usize % n
        };
        &self.shards[at]
    }

    /// The record under `key` as the transaction reads it, if any.
    pub(crate) fn get(&self, tx: &mut dyn ReadTxn, key: &[u8]) -> OaResult<Option<Arc<T>>> {
        match tx.get(key)? {
            Some(raw) => self.decode(key, raw).map(Some),
            None => Ok(None),
        }
    }

    /// The record `raw` just read under `key`, decoded or from the cache when decoded from
    /// these same bytes before.
    pub(crate) fn decode(&self, key: &[u8], raw: Vec<u8>) -> OaResult<Arc<T>> {
        let shard = self.shard(key);
        if let Some(hit) = shard.read().get(key).filter(|d| *d.raw == *raw) {
            return Ok(hit.value.clone());
        }
        let value = Arc::new(codec::decode::<T>(&raw)?);
        self.keep(shard, key, raw.into_boxed_slice(), value.clone());
        Ok(value)
    }

    /// Keeps `value` as what `raw`, just written under `key` by [`codec::encode`]-ing it,
    /// decodes to. The caller vouches that decoding `raw` gives back `value` (debug builds
    /// check it): a type whose encoding drops or rounds something must not be remembered.
    pub(crate) fn remember(&self, key: &[u8], raw: &[u8], value: Arc<T>) -> OaResult<()>
    where
        T: PartialEq,
    {
        #[cfg(debug_assertions)]
        if codec::decode::<T>(raw)? != *value {
            return Err(crate::OaError::Internal(format!(
                "a {} record does not decode to the value it was encoded from",
                T::KIND
            )));
        }
        self.keep(self.shard(key), key, raw.into(), value);
        Ok(())
    }

    fn keep(&self, shard: &Shard<T>, key: &[u8], raw: Box<[u8]>, value: Arc<T>) {
        let mut entries = shard.write();
        if entries.len() >= self.shard_limit && !entries.contains_key(key) {
            entries.clear();
        }
        entries.insert(key.into(), Decoded { raw, value });
    }

    /// How many records the cache holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|s| s.read().len()).sum()
    }
}

impl<T> std::fmt::Debug for DecodedCache<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DecodedCache")
            .field("shards", &self.shards.len())
            .field("shard_limit", &self.shard_limit)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use oa_storage::{MemoryStore, StoreExt};
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Note {
        text: String,
    }
    impl Record for Note {
        const KIND: &'static str = "note";
    }

    fn write(store: &MemoryStore, key: &[u8], text: &str) {
        store.write(|tx| put(tx, key, &Note { text: text.into() })).unwrap();
    }

    fn read(store: &MemoryStore, cache: &DecodedCache<Note>, key: &[u8]) -> Option<Arc<Note>> {
        store.read(|tx| cache.get(tx, key)).unwrap()
    }

    #[test]
    fn an_unchanged_record_is_served_decoded_and_a_changed_one_is_read_again() {
        let store = MemoryStore::new();
        let cache = DecodedCache::<Note>::new(10);
        write(&store, b"a", "first");
        let first = read(&store, &cache, b"a").unwrap();
        let again = read(&store, &cache, b"a").unwrap();
        assert!(Arc::ptr_eq(&first, &again), "unchanged bytes are not decoded again");
        write(&store, b"a", "second");
        assert_eq!(read(&store, &cache, b"a").unwrap().text, "second");
        store.write(|tx| tx.delete(b"a")).unwrap();
        assert_eq!(read(&store, &cache, b"a"), None);
    }

    #[test]
    fn one_cache_over_two_stores_serves_each_its_own_record() {
        let (one, two) = (MemoryStore::new(), MemoryStore::new());
        let cache = DecodedCache::<Note>::new(10);
        write(&one, b"k", "one");
        write(&two, b"k", "two");
        for _ in 0..2 {
            assert_eq!(read(&one, &cache, b"k").unwrap().text, "one");
            assert_eq!(read(&two, &cache, b"k").unwrap().text, "two");
        }
    }

    #[test]
    fn a_transaction_sees_its_own_write_and_a_rolled_back_write_is_never_served() {
        let store = MemoryStore::new();
        let cache = DecodedCache::<Note>::new(10);
        write(&store, b"a", "kept");
        let rolled_back: Result<(), crate::OaError> = store.write(|tx| {
            put(tx, b"a", &Note { text: "dropped".into() })?;
            assert_eq!(cache.get(tx.as_read(), b"a")?.unwrap().text, "dropped");
            Err(crate::OaError::Internal("roll back".into()))
        });
        assert!(rolled_back.is_err());
        assert_eq!(read(&store, &cache, b"a").unwrap().text, "kept");
    }

    #[test]
    fn a_value_remembered_by_its_writer_is_served_for_its_bytes_and_only_for_them() {
        let store = MemoryStore::new();
        let cache = DecodedCache::<Note>::new(10);
        let note = Arc::new(Note { text: "written".into() });
        let raw = codec::encode(&*note).unwrap();
        store.write(|tx| tx.put(b"a", &raw)).unwrap();
        cache.remember(b"a", &raw, note.clone()).unwrap();
        assert!(Arc::ptr_eq(&read(&store, &cache, b"a").unwrap(), &note), "served without decoding");
        // A remembered write that never committed is never served: the bytes read differ.
        let other = Arc::new(Note { text: "rolled back".into() });
        cache.remember(b"a", &codec::encode(&*other).unwrap(), other).unwrap();
        assert_eq!(read(&store, &cache, b"a").unwrap().text, "written");
    }

    #[test]
    fn a_large_cache_stays_within_its_limit_across_its_shards() {
        let store = MemoryStore::new();
        let cache = DecodedCache::<Note>::new(2048);
        for i in 0..5000u32 {
            let key = i.to_be_bytes();
            write(&store, &key, &i.to_string());
            assert_eq!(read(&store, &cache, &key).unwrap().text, i.to_string());
        }
        assert!(cache.len() <= 2048, "{} records kept", cache.len());
        for i in (0..5000u32).step_by(7) {
            assert_eq!(read(&store, &cache, &i.to_be_bytes()).unwrap().text, i.to_string());
        }
    }

    #[test]
    fn the_cache_stays_within_its_limit() {
        let store = MemoryStore::new();
        let cache = DecodedCache::<Note>::new(3);
        for i in 0..10u8 {
            write(&store, &[i], &i.to_string());
            assert_eq!(read(&store, &cache, &[i]).unwrap().text, i.to_string());
            assert!(cache.len() <= 3);
        }
    }
}
