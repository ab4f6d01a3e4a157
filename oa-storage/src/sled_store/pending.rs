//! Commits that have returned from their closure but are not in sled (or not on disk) yet, and
//! the merge that lets transactions read through them to sled.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::{Direction, Key, KeyRange, Value};

/// The writes of one or more commits, later ones replacing earlier ones: `Some(value)` for a
/// put, `None` for a delete.
pub(super) type Writes = BTreeMap<Key, Option<Value>>;

pub(super) use crate::overlay::{shadow, Entries};

/// What the committed state holds beyond sled, what sled holds beyond the disk, and up to which
/// commit.
///
/// Invariants: sled plus `unflushed` plus `staged`, read in that order (the later layer
/// winning), is the state after commit `committed`. Every write sled holds that may not be on
/// disk yet is in `unflushed`, with the value sled holds (or is about to hold). Only the writer
/// that holds the writer lock adds to `staged`; only the thread that runs the round of applying
/// and flushing moves `staged` into `unflushed` (before sled receives it) and clears
/// `unflushed` (after a flush succeeded). So a transaction that took the layers when it began
/// reads the same state however far a round gets meanwhile: every key sled may change under it
/// is shadowed by a layer it holds, with the value sled receives. A read-only transaction,
/// which takes `unflushed` only, needs to wait for a flush only when it read a key of that
/// layer.
#[derive(Default)]
pub(super) struct Pending {
    /// Commits no one has started to apply.
    pub(super) staged: Arc<Writes>,
    /// The commits being applied to sled, or applied and not flushed yet.
    pub(super) unflushed: Arc<Writes>,
    /// The number of the last commit.
    pub(super) committed: u64,
}

impl Pending {
    /// Adds the writes of commit number `committed + 1` and returns that number.
    ///
    /// `staged` is not shared when this runs (the writer dropped its own handle on it, and the
    /// round takes `staged` by moving it out), so adding copies nothing.
    pub(super) fn stage(&mut self, writes: Writes) -> u64 {
        let staged = Arc::make_mut(&mut self.staged);
        if staged.is_empty() {
            *staged = writes;
        } else {
            staged.extend(writes);
        }
        self.committed += 1;
        self.committed
    }

    /// Takes the staged commits to apply them, leaving them readable in `unflushed` until
    /// [`Pending::flushed`]; returns them and the number of the last one, or `None` when sled
    /// holds every commit already.
    pub(super) fn take(&mut self) -> Option<(Arc<Writes>, u64)> {
        if self.staged.is_empty() {
            return None;
        }
        let group = std::mem::take(&mut self.staged);
        if self.unflushed.is_empty() {
            self.unflushed = Arc::clone(&group);
        } else {
            // The last flush failed: what it should have covered is still not known durable.
            Arc::make_mut(&mut self.unflushed).extend(group.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        Some((group, self.committed))
    }

    /// A flush that started after everything [`Pending::take`] took was applied succeeded.
    pub(super) fn flushed(&mut self) {
        self.unflushed = Arc::default();
    }
}

/// The layers a read-write transaction reads through before sled, newest first.
pub(super) struct Layers {
    pub(super) staged: Arc<Writes>,
    pub(super) unflushed: Arc<Writes>,
}

impl Layers {
    /// `Some(answer)` when a layer decides the read, `None` when sled must answer.
    pub(super) fn get(&self, key: &[u8]) -> Option<Option<Value>> {
        self.staged.get(key).or_else(|| self.unflushed.get(key)).cloned()
    }

    /// Merges the layers over `base`, the entries sled holds in `range` in `direction` order.
    pub(super) fn over<'a>(&'a self, base: Entries<'a>, range: &KeyRange, direction: Direction) -> Entries<'a> {
        let base = shadow(&self.unflushed, base, range, direction);
        shadow(&self.staged, base, range, direction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writes(entries: &[(&str, Option<&str>)]) -> Arc<Writes> {
        Arc::new(entries.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.map(|v| v.as_bytes().to_vec()))).collect())
    }

    fn merged(layers: &Layers, base: &[(&str, &str)], range: &KeyRange, direction: Direction) -> Vec<String> {
        let mut base: Vec<_> = base.iter().map(|(k, v)| Ok((k.as_bytes().to_vec(), v.as_bytes().to_vec()))).collect();
        if direction == Direction::Backward {
            base.reverse();
        }
        let base = Box::new(base.into_iter().filter(|e| matches!(e, Ok((k, _)) if range.contains(k))));
        layers
            .over(base, range, direction)
            .map(|e| {
                let (k, v) = e.expect("no error");
                format!("{}={}", String::from_utf8_lossy(&k), String::from_utf8_lossy(&v))
            })
            .collect()
    }

    #[test]
    fn later_layers_win_and_deletes_hide_entries_in_both_directions() {
        let layers = Layers {
            staged: writes(&[("b", Some("staged")), ("d", None), ("f", Some("new"))]),
            unflushed: writes(&[("b", Some("applying")), ("c", None), ("e", Some("applying"))]),
        };
        let base = [("a", "1"), ("b", "1"), ("c", "1"), ("d", "1"), ("g", "1")];
        let all = KeyRange::all();
        assert_eq!(merged(&layers, &base, &all, Direction::Forward), ["a=1", "b=staged", "e=applying", "f=new", "g=1"]);
        assert_eq!(
            merged(&layers, &base, &all, Direction::Backward),
            ["g=1", "f=new", "e=applying", "b=staged", "a=1"]
        );
        // Layer entries outside the range stay out.
        let middle = KeyRange::between(b"b", b"f");
        assert_eq!(merged(&layers, &base, &middle, Direction::Forward), ["b=staged", "e=applying"]);
        assert_eq!(layers.get(b"b"), Some(Some(b"staged".to_vec())));
        assert_eq!(layers.get(b"c"), Some(None));
        assert_eq!(layers.get(b"a"), None);
    }

    #[test]
    fn staging_and_taking_keep_the_layers_readable() {
        let mut pending = Pending::default();
        assert!(pending.take().is_none());
        assert_eq!(pending.stage(writes(&[("a", Some("1"))]).as_ref().clone()), 1);
        assert_eq!(pending.stage(writes(&[("a", Some("2")), ("b", None)]).as_ref().clone()), 2);
        let (group, through) = pending.take().expect("two commits staged");
        assert_eq!(through, 2);
        assert_eq!(*group, *writes(&[("a", Some("2")), ("b", None)]));
        assert!(pending.staged.is_empty());
        assert_eq!(pending.unflushed, group);
        assert_eq!(pending.stage(writes(&[("c", Some("3"))]).as_ref().clone()), 3);
        pending.flushed();
        assert!(pending.unflushed.is_empty());
        assert_eq!(pending.take().map(|(_, through)| through), Some(3));
    }

    #[test]
    fn commits_whose_flush_failed_stay_unflushed_under_the_next_ones() {
        let mut pending = Pending::default();
        pending.stage(writes(&[("a", Some("1")), ("b", Some("1"))]).as_ref().clone());
        pending.take().expect("one commit staged");
        // The flush fails: `flushed` is not called, and the next round takes more.
        pending.stage(writes(&[("b", Some("2")), ("c", None)]).as_ref().clone());
        let (group, through) = pending.take().expect("one more commit staged");
        assert_eq!(through, 2);
        assert_eq!(*group, *writes(&[("b", Some("2")), ("c", None)]));
        assert_eq!(*pending.unflushed, *writes(&[("a", Some("1")), ("b", Some("2")), ("c", None)]));
    }
}
