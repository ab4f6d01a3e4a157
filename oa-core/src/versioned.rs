//! Immutable, versioned definitions (forms, process definitions): version `n` of `key` is kept
//! under `<definitions>/<key>/<n>` and never changed; the latest version number under
//! `<latest>/<key>`. A running instance keeps the version it started with.

use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};
use serde::{Deserialize, Serialize};

use std::sync::Arc;

use crate::codec::{self, Record};
use crate::db::{self, DecodedCache};
use crate::keys::{KeyBuf, KeyReader};
use crate::page::{scan_page, Page, PageRequest};
use crate::{OaError, OaResult};

/// Where one kind of versioned definition is kept, and what error messages call it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Versioned {
    /// The key space of the versions (`form.def`).
    pub(crate) definitions: &'static str,
    /// The key space of the latest version numbers (`form.latest`).
    pub(crate) latest: &'static str,
    /// What a definition is called in messages (`form`, `process`).
    pub(crate) kind: &'static str,
    /// What one version is called in messages (`form version`).
    pub(crate) version_kind: &'static str,
}

/// The latest version number of a definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Latest {
    version: u32,
}

impl Record for Latest {
    const KIND: &'static str = "latest version";
}

impl Versioned {
    /// The key of version `version` of `key`.
    pub(crate) fn definition_key(&self, key: &str, version: u32) -> KeyBuf {
        KeyBuf::new(self.definitions).str(key).u32(version)
    }

    /// The latest version number of `key`, if it exists.
    pub(crate) fn latest_version(&self, tx: &mut dyn ReadTxn, key: &str) -> OaResult<Option<u32>> {
        Ok(db::get::<Latest>(tx, KeyBuf::new(self.latest).str(key).as_bytes())?.map(|l| l.version))
    }

    /// Version `version` of `key`, or its latest version when `version` is `None`.
    pub(crate) fn load<R: Record>(&self, tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<Option<R>> {
        let version = match version {
            Some(v) => v,
            None => match self.latest_version(tx, key)? {
                Some(v) => v,
                None => return Ok(None),
            },
        };
        db::get(tx, self.definition_key(key, version).as_bytes())
    }

    /// Like [`Versioned::load`], or `not_found` naming the definition (and the version asked for).
    pub(crate) fn require<R: Record>(&self, tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<R> {
        self.load(tx, key, version)?.ok_or_else(|| match version {
            Some(v) => OaError::not_found(self.version_kind, format!("{key} v{v}")),
            None => OaError::not_found(self.kind, key),
        })
    }

    /// Like [`Versioned::require`], decoding through `cache`: a version read again unchanged
    /// is not decoded again (see [`DecodedCache`]).
    pub(crate) fn require_cached<R: Record>(
        &self,
        cache: &DecodedCache<R>,
        tx: &mut dyn ReadTxn,
        key: &str,
        version: Option<u32>,
    ) -> OaResult<Arc<R>> {
        let found = match version.map_or_else(|| self.latest_version(tx, key), |v| Ok(Some(v)))? {
            Some(v) => cache.get(tx, self.definition_key(key, v).as_bytes())?,
            None => None,
        };
        found.ok_or_else(|| match version {
            Some(v) => OaError::not_found(self.version_kind, format!("{key} v{v}")),
            None => OaError::not_found(self.kind, key),
        })
    }

    /// The number the next version of `key` gets, after `latest` (1 for a new definition).
    pub(crate) fn next_version(&self, key: &str, latest: Option<u32>) -> OaResult<u32> {
        match latest {
            Some(l) => l.checked_add(1).ok_or_else(|| {
                OaError::InvalidState(format!("{} `{key}` has reached the last version number", self.kind))
            }),
            None => Ok(1),
        }
    }

    /// Stores `definition` as version `version` of `key` and makes it the latest.
    pub(crate) fn put<R: Record>(
        &self,
        tx: &mut dyn WriteTxn,
        key: &str,
        version: u32,
        definition: &R,
    ) -> OaResult<()> {
        db::put(tx, self.definition_key(key, version).as_bytes(), definition)?;
        db::put(tx, KeyBuf::new(self.latest).str(key).as_bytes(), &Latest { version })
    }

    /// Every version of `key`, oldest first; `not_found` when there is none.
    pub(crate) fn versions<R: Record>(&self, tx: &mut dyn ReadTxn, key: &str) -> OaResult<Vec<R>> {
        let prefix = KeyBuf::new(self.definitions).str(key);
        let entries = tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)?;
        if entries.is_empty() {
            return Err(OaError::not_found(self.kind, key));
        }
        entries.into_iter().map(|(_, v)| codec::decode(&v)).collect()
    }

    /// A page of definitions, each at its latest version, by key.
    pub(crate) fn page_of_latest<R: Record>(&self, tx: &mut dyn ReadTxn, request: &PageRequest) -> OaResult<Page<R>> {
        let range = KeyRange::prefix(KeyBuf::new(self.latest).as_bytes());
        scan_page(tx, &range, Direction::Forward, request, |tx, k, v| {
            let latest: Latest = codec::decode(v)?;
            let key = KeyReader::new(k)
                .and_then(|mut r| r.str())
                .ok_or_else(|| OaError::Internal(format!("a latest-{} entry has a malformed key", self.kind)))?;
            db::get::<R>(tx, self.definition_key(&key, latest.version).as_bytes())
        })
    }

    /// Every definition at its latest version, by key.
    pub(crate) fn all_latest<R: Record>(&self, tx: &mut dyn ReadTxn) -> OaResult<Vec<R>> {
        let mut out = Vec::new();
        let mut request = PageRequest::first(crate::page::MAX_PAGE_SIZE);
        loop {
            let page = self.page_of_latest(tx, &request)?;
            out.extend(page.items);
            match page.next_cursor {
                Some(cursor) => request = PageRequest::after(cursor, crate::page::MAX_PAGE_SIZE),
                None => return Ok(out),
            }
        }
    }
}
