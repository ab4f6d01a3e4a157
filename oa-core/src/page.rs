//! Cursor pagination: a page carries an opaque cursor naming where the next page starts, so a
//! list of a million rows costs the same per page as a list of ten.

use std::ops::Bound;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use oa_storage::{Direction, KeyRange, ReadTxn};
use serde::{Deserialize, Serialize};

use crate::{OaError, OaResult};

/// The page size when none is asked for.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// The largest page that can be asked for.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// Which page to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    /// The `next_cursor` of the previous page; `None` for the first page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// How many items at most; 0 means [`DEFAULT_PAGE_SIZE`].
    #[serde(default)]
    pub limit: u32,
}

impl PageRequest {
    /// The first page of `limit` items.
    pub fn first(limit: u32) -> Self {
        PageRequest { cursor: None, limit }
    }

    /// The page after `cursor`.
    pub fn after(cursor: impl Into<String>, limit: u32) -> Self {
        PageRequest { cursor: Some(cursor.into()), limit }
    }

    /// The effective limit, or a validation error naming `limit`.
    pub fn effective_limit(&self) -> OaResult<usize> {
        match self.limit {
            0 => Ok(DEFAULT_PAGE_SIZE as usize),
            n if n > MAX_PAGE_SIZE => {
                Err(OaError::invalid("limit", format!("must be at most {MAX_PAGE_SIZE}, got {n}")))
            }
            n => Ok(n as usize),
        }
    }
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Maps the items, keeping the cursor.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page { items: self.items.into_iter().map(f).collect(), next_cursor: self.next_cursor }
    }
}

/// Reads one page of `range` in `direction`. `item` turns an entry into an item, or `None` to
/// skip it (a filter); skipped entries do not count towards the limit.
pub fn scan_page<T>(
    tx: &mut dyn ReadTxn,
    range: &KeyRange,
    direction: Direction,
    request: &PageRequest,
    mut item: impl FnMut(&mut dyn ReadTxn, &[u8], &[u8]) -> OaResult<Option<T>>,
) -> OaResult<Page<T>> {
    let limit = request.effective_limit()?;
    let mut window = range.clone();
    if let Some(cursor) = &request.cursor {
        let after = decode_cursor(cursor, range)?;
        match direction {
            Direction::Forward => window.start = Bound::Excluded(after),
            Direction::Backward => window.end = Bound::Excluded(after),
        }
    }
    // Not `limit` slots up front: most pages of a large limit are short, and a large block
    // costs the allocator more than growing a small one.
    let mut items = Vec::with_capacity(limit.min(32));
    let mut last_kept: Option<Vec<u8>> = None;
    let chunk = limit + 1;
    loop {
        let entries = tx.scan(&window, direction, chunk)?;
        let exhausted = entries.len() < chunk;
        for (k, v) in entries {
            if items.len() == limit {
                // Another entry exists past a full page: the next page starts after the last
                // item kept. (That entry may yet be filtered out; then the next page is empty.)
                let next_cursor = last_kept.map(|k| URL_SAFE_NO_PAD.encode(k));
                return Ok(Page { items, next_cursor });
            }
            if let Some(t) = item(tx, &k, &v)? {
                items.push(t);
                last_kept = Some(k.clone());
            }
            match direction {
                Direction::Forward => window.start = Bound::Excluded(k),
                Direction::Backward => window.end = Bound::Excluded(k),
            }
        }
        if exhausted {
            return Ok(Page { items, next_cursor: None });
        }
    }
}

/// An opaque cursor pointing after `key`, for lists that page by hand.
pub fn cursor_for(key: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(key)
}

/// The key a cursor of `range` points after, or a validation error naming `cursor`.
pub fn decode_cursor(cursor: &str, range: &KeyRange) -> OaResult<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .filter(|k| range.contains(k))
        .ok_or_else(|| OaError::invalid("cursor", "not a cursor of this list"))
}
