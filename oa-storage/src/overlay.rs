//! The write buffer of a read-write transaction, merged over the committed data on every read so
//! that a transaction sees its own writes.

use std::collections::BTreeMap;
use std::iter::Peekable;

use crate::{Direction, Key, KeyRange, StoreError, Value};

/// Pending writes: `Some(value)` for a put, `None` for a delete.
#[derive(Debug, Default)]
pub(crate) struct Overlay {
    pub(crate) writes: BTreeMap<Key, Option<Value>>,
}

impl Overlay {
    pub(crate) fn put(&mut self, key: &[u8], value: &[u8]) {
        self.writes.insert(key.to_vec(), Some(value.to_vec()));
    }

    pub(crate) fn delete(&mut self, key: &[u8]) {
        self.writes.insert(key.to_vec(), None);
    }

    /// `Some(answer)` when the overlay decides the read, `None` when the base must answer.
    pub(crate) fn get(&self, key: &[u8]) -> Option<Option<Value>> {
        self.writes.get(key).cloned()
    }

    /// Merges `base` (the committed entries of `range`, in `direction` order) with the pending
    /// writes inside `range`, returning at most `limit` live entries.
    pub(crate) fn merge<'a, I>(
        &'a self,
        base: I,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(Key, Value)>, StoreError>
    where
        I: Iterator<Item = Result<(Key, Value), StoreError>> + 'a,
    {
        if limit == 0 || range.is_empty() {
            return Ok(Vec::new());
        }
        shadow(&self.writes, Box::new(base), range, direction).take(limit).collect()
    }
}

/// Entries in key order (either way), or the error that stopped the reading.
pub(crate) type Entries<'a> = Box<dyn Iterator<Item = Result<(Key, Value), StoreError>> + 'a>;

/// Pending writes in key order (either way).
type WriteIter<'a> = Box<dyn Iterator<Item = (&'a Key, &'a Option<Value>)> + 'a>;

/// `writes` laid over `base`, the entries of `range` in `direction` order.
pub(crate) fn shadow<'a>(
    writes: &'a BTreeMap<Key, Option<Value>>,
    base: Entries<'a>,
    range: &KeyRange,
    direction: Direction,
) -> Entries<'a> {
    if writes.is_empty() {
        return base;
    }
    let writes = writes.range::<[u8], _>(range.bounds());
    let writes: WriteIter<'a> = match direction {
        Direction::Forward => Box::new(writes),
        Direction::Backward => Box::new(writes.rev()),
    };
    Box::new(Shadowed { base: base.peekable(), writes: writes.peekable(), direction })
}

/// Entries of `base` with `writes` laid over them: a written key takes the written value, a
/// deleted key disappears; both streams are in `direction` order, and so is the result.
struct Shadowed<'a> {
    base: Peekable<Entries<'a>>,
    writes: Peekable<WriteIter<'a>>,
    direction: Direction,
}

/// Which stream the next entry comes from.
enum Next {
    Base,
    Write,
    /// The write replaces the base entry of the same key.
    Both,
}

impl Iterator for Shadowed<'_> {
    type Item = Result<(Key, Value), StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let next = match (self.base.peek(), self.writes.peek()) {
                (None, None) => return None,
                // An error is passed on at once.
                (Some(Err(_)), _) | (Some(Ok(_)), None) => Next::Base,
                (None, Some(_)) => Next::Write,
                (Some(Ok((base_key, _))), Some((write_key, _))) => match base_key.cmp(write_key) {
                    std::cmp::Ordering::Equal => Next::Both,
                    std::cmp::Ordering::Less if self.direction == Direction::Forward => Next::Base,
                    std::cmp::Ordering::Greater if self.direction == Direction::Backward => Next::Base,
                    _ => Next::Write,
                },
            };
            match next {
                Next::Base => return self.base.next(),
                Next::Both | Next::Write => {
                    if matches!(next, Next::Both) {
                        self.base.next();
                    }
                    if let Some((key, Some(value))) = self.writes.next() {
                        return Some(Ok((key.clone(), value.clone())));
                    }
                    // A delete: the key is skipped.
                }
            }
        }
    }
}
