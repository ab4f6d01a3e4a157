//! The write buffer of a read-write transaction, merged over the committed data on every read so
//! that a transaction sees its own writes.

use std::collections::BTreeMap;

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
    pub(crate) fn merge<I>(
        &self,
        base: I,
        range: &KeyRange,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<(Key, Value)>, StoreError>
    where
        I: Iterator<Item = Result<(Key, Value), StoreError>>,
    {
        let mut out = Vec::new();
        if limit == 0 || range.is_empty() {
            return Ok(out);
        }
        let pending = self.writes.range::<[u8], _>(range.bounds());
        let mut pending: Box<dyn Iterator<Item = (&Key, &Option<Value>)>> = match direction {
            Direction::Forward => Box::new(pending),
            Direction::Backward => Box::new(pending.rev()),
        };
        let mut base = base.peekable();
        let mut next_pending = pending.next();
        let before = |a: &[u8], b: &[u8]| match direction {
            Direction::Forward => a < b,
            Direction::Backward => a > b,
        };
        while out.len() < limit {
            let base_key = match base.peek() {
                Some(Ok((k, _))) => Some(k.clone()),
                Some(Err(e)) => return Err(e.clone()),
                None => None,
            };
            match (base_key, next_pending) {
                (None, None) => break,
                (Some(_), None) => {
                    if let Some(Ok(entry)) = base.next() {
                        out.push(entry);
                    }
                }
                (None, Some((k, v))) => {
                    if let Some(v) = v {
                        out.push((k.clone(), v.clone()));
                    }
                    next_pending = pending.next();
                }
                (Some(bk), Some((pk, pv))) => {
                    if before(&bk, pk) {
                        if let Some(Ok(entry)) = base.next() {
                            out.push(entry);
                        }
                    } else {
                        if bk == *pk {
                            // The pending write shadows the committed value.
                            base.next();
                        }
                        if let Some(v) = pv {
                            out.push((pk.clone(), v.clone()));
                        }
                        next_pending = pending.next();
                    }
                }
            }
        }
        Ok(out)
    }
}
