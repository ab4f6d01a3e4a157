//! The conformance suite every backend passes, written once.
//!
//! A backend's tests run every check of [`CHECKS`] with a factory that makes a fresh, empty
//! store — most simply through [`conformance_tests!`](crate::conformance_tests), which defines
//! one `#[test]` per check — and, for a persistent backend, [`reopen_durability`] with a
//! factory that reopens the same store. [`model_check`] compares a store with a `BTreeMap` over
//! any sequence of operations; the crate's property tests feed it random ones.
//!
//! Checks report a [`Failure`] instead of panicking, so that the suite is ordinary library code;
//! the test that runs a check turns the failure into a test failure.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Barrier;

use crate::{Deferred, Direction, Key, KeyRange, ReadTxn, Store, StoreError, StoreExt, TxError, Value, WriteTxn};

/// A factory of fresh, empty stores.
pub type Factory<'a> = &'a (dyn Fn() -> Box<dyn Store> + Sync);

/// A factory that opens the same persistent store each time it is called; the store it returned
/// before has been dropped by then.
pub type Reopen<'a> = &'a dyn Fn() -> Result<Box<dyn Store>, StoreError>;

/// A check of the suite that failed: which one, and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The name of the check.
    pub check: String,
    /// What went wrong.
    pub message: String,
}

impl Failure {
    fn msg(message: impl Into<String>) -> Self {
        Failure { check: String::new(), message: message.into() }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "conformance check `{}` failed: {}", self.check, self.message)
    }
}

impl std::error::Error for Failure {}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure::msg(format!("unexpected storage error: {e}"))
    }
}

/// The result of a check.
pub type Outcome = Result<(), Failure>;

/// A check that runs against fresh stores from a [`Factory`].
pub type Check = fn(Factory<'_>) -> Outcome;

/// Every check that runs against fresh stores, by name, in the order [`run_all`] runs them.
pub const CHECKS: &[(&str, Check)] = &[
    ("atomicity", atomicity),
    ("isolation", isolation),
    ("reads_see_own_writes", reads_see_own_writes),
    ("scan_order_and_bounds", scan_order_and_bounds),
    ("large_values", large_values),
    ("empty_keys_and_values", empty_keys_and_values),
    ("many_keys_paged", many_keys_paged),
    ("write_skew", write_skew),
    ("phantoms", phantoms),
    ("deferred_work", deferred_work),
];

/// Defines one `#[test]` for each check of [`CHECKS`], run against the stores `factory` makes.
///
/// `factory` is an expression whose reference coerces to a [`Factory`], such as a function
/// `fn() -> Box<dyn Store>` or a closure without captures. The macro also defines
/// `every_conformance_check_runs`, which fails when [`CHECKS`] gained a check the macro lacks.
///
/// ```
/// # #[cfg(feature = "memory")]
/// mod conformance {
///     use oa_storage::{MemoryStore, Store};
///
///     fn fresh() -> Box<dyn Store> {
///         Box::new(MemoryStore::new())
///     }
///
///     oa_storage::conformance_tests!(fresh);
/// }
/// ```
#[macro_export]
macro_rules! conformance_tests {
    ($factory:expr) => {
        $crate::conformance_tests!(@checks $factory;
            atomicity,
            isolation,
            reads_see_own_writes,
            scan_order_and_bounds,
            large_values,
            empty_keys_and_values,
            many_keys_paged,
            write_skew,
            phantoms,
            deferred_work
        );
    };
    (@checks $factory:expr; $($check:ident),+) => {
        $(
            #[test]
            fn $check() {
                if let Err(failure) = $crate::conformance::$check(&$factory) {
                    panic!("{failure}");
                }
            }
        )+

        #[test]
        fn every_conformance_check_runs() {
            let here: &[&str] = &[$(stringify!($check)),+];
            let all: Vec<&str> = $crate::conformance::CHECKS.iter().map(|(name, _)| *name).collect();
            assert_eq!(here, all.as_slice(), "conformance_tests! and CHECKS list different checks");
        }
    };
}

/// Runs every check of [`CHECKS`]; returns the first failure.
pub fn run_all(make: Factory<'_>) -> Outcome {
    for (_, check) in CHECKS {
        check(make)?;
    }
    Ok(())
}

fn named(check: &str, outcome: Outcome) -> Outcome {
    outcome.map_err(|mut f| {
        if f.check.is_empty() {
            f.check = check.to_string();
        }
        f
    })
}

macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err(Failure::msg(format!($($msg)+)));
        }
    };
}

macro_rules! ensure_eq {
    ($got:expr, $want:expr, $($msg:tt)+) => {{
        let (got, want) = (&$got, &$want);
        if got != want {
            return Err(Failure::msg(format!(
                "{}: expected {}, got {}",
                format!($($msg)+),
                shorten(format!("{want:?}")),
                shorten(format!("{got:?}"))
            )));
        }
    }};
}

/// Keeps failure messages readable when they would print megabytes of values.
fn shorten(s: String) -> String {
    const MAX: usize = 600;
    if s.len() <= MAX {
        return s;
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} characters)", &s[..end], s.len())
}

/// Passes on the planned error a closure ended with, and reports any other failure as it is.
fn planned(r: Result<(), Failure>, message: &str) -> Outcome {
    match r {
        Err(f) if f.check.is_empty() && f.message == message => Ok(()),
        Err(f) => Err(f),
        Ok(()) => Err(Failure::msg(format!("a transaction meant to fail with `{message}` succeeded"))),
    }
}

fn keys_of(entries: &[(Key, Value)]) -> Vec<Key> {
    entries.iter().map(|(k, _)| k.clone()).collect()
}

/// What a scan of `model` must return.
fn model_scan(model: &BTreeMap<Key, Value>, range: &KeyRange, direction: Direction, limit: usize) -> Vec<(Key, Value)> {
    let all = model.iter().filter(|(k, _)| range.contains(k)).map(|(k, v)| (k.clone(), v.clone()));
    match direction {
        Direction::Forward => all.take(limit).collect(),
        Direction::Backward => all.rev().take(limit).collect(),
    }
}

/// Reads everything committed, checking that both directions agree.
fn committed(store: &dyn Store) -> Result<BTreeMap<Key, Value>, Failure> {
    let forward = store.scan(&KeyRange::all(), Direction::Forward, usize::MAX)?;
    let mut backward = store.scan(&KeyRange::all(), Direction::Backward, usize::MAX)?;
    backward.reverse();
    ensure!(forward == backward, "a full scan backwards is not the reverse of the full scan forwards");
    let map: BTreeMap<Key, Value> = forward.iter().cloned().collect();
    ensure!(map.len() == forward.len(), "a full scan returned a key twice");
    ensure!(forward.windows(2).all(|w| w[0].0 < w[1].0), "a full scan is not in ascending key order");
    Ok(map)
}

fn entries(pairs: &[(&[u8], &[u8])]) -> BTreeMap<Key, Value> {
    pairs.iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect()
}

fn put_all(store: &dyn Store, pairs: &BTreeMap<Key, Value>) -> Outcome {
    store.write(|tx| {
        for (k, v) in pairs {
            tx.put(k, v)?;
        }
        Ok::<_, Failure>(())
    })
}

/// A failing closure leaves nothing behind: neither its puts nor its deletes and overwrites of
/// existing keys, whatever error type it fails with, and the store stays usable.
pub fn atomicity(make: Factory<'_>) -> Outcome {
    named("atomicity", atomicity_(make))
}

fn atomicity_(make: Factory<'_>) -> Outcome {
    let store = make();
    let seed = entries(&[(b"a", b"1"), (b"b", b"2"), (b"c", b"3")]);
    put_all(&*store, &seed)?;

    // An error of the caller's own type, after puts, an overwrite and deletes.
    let r: Result<(), Failure> = store.write(|tx| {
        tx.put(b"a", b"changed")?;
        tx.delete(b"b")?;
        tx.delete(b"c")?;
        tx.put(b"d", b"new")?;
        tx.put(b"c", b"again")?;
        ensure_eq!(tx.get(b"d")?, Some(b"new".to_vec()), "the aborting transaction reads its own put");
        Err(Failure::msg("planned"))
    });
    planned(r, "planned")?;
    ensure_eq!(committed(&*store)?, seed, "nothing of a failed transaction is written");

    // A storage error returned by the closure.
    let r: Result<(), StoreError> = store.write(|tx| {
        tx.delete(b"a")?;
        tx.put(b"e", b"5")?;
        Err(StoreError::Io("planned".into()))
    });
    ensure_eq!(r, Err(StoreError::Io("planned".into())), "a storage error from the closure is returned");
    ensure_eq!(committed(&*store)?, seed, "nothing of a transaction that failed with a storage error is written");

    // The object-safe entry point: the closure aborts.
    let r = store.write_dyn(&mut |tx| {
        tx.put(b"f", b"6")?;
        tx.delete(b"b")?;
        Err(TxError::Aborted)
    });
    ensure_eq!(r, Err(TxError::Aborted), "write_dyn reports the abort");
    ensure_eq!(committed(&*store)?, seed, "nothing of an aborted write_dyn is written");

    // A read-only transaction's error comes back as it is.
    let r: Result<(), Failure> = store.read(|tx| {
        tx.get(b"a")?;
        Err(Failure::msg("read failed"))
    });
    planned(r, "read failed")?;

    // The store still works, and a successful transaction writes all of itself.
    store.write(|tx| {
        tx.delete(b"a")?;
        tx.put(b"b", b"two")?;
        tx.put(b"z", b"26")
    })?;
    let want = entries(&[(b"b", b"two"), (b"c", b"3"), (b"z", b"26")]);
    ensure_eq!(committed(&*store)?, want, "a transaction after failed ones commits all of itself");
    Ok(())
}

/// An error type that forgets which storage error it came from, as callers' error types do:
/// the backend must retry a conflict even when the closure converted it into this.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Opaque(String);

impl From<StoreError> for Opaque {
    fn from(e: StoreError) -> Self {
        Opaque(e.to_string())
    }
}

fn read_u64(raw: Option<Value>) -> Result<u64, Opaque> {
    match raw {
        None => Ok(0),
        Some(raw) => {
            let bytes: [u8; 8] = raw.as_slice().try_into().map_err(|_| Opaque("the counter is not 8 bytes".into()))?;
            Ok(u64::from_le_bytes(bytes))
        }
    }
}

/// Concurrent read-modify-write transactions lose nothing (no lost update): 8 threads × 200
/// increments of one counter, each also writing a log entry. Meanwhile readers check that every read-only
/// transaction sees one state — the counter always equals the number of log entries. Every
/// closure converts storage errors into an error type of its own.
pub fn isolation(make: Factory<'_>) -> Outcome {
    named("isolation", isolation_(make))
}

fn isolation_(make: Factory<'_>) -> Outcome {
    const THREADS: usize = 8;
    const INCREMENTS: usize = 200;
    const READERS: usize = 2;
    let store = make();
    let store: &dyn Store = &*store;
    let log = KeyRange::prefix(b"log/");
    let writers_done = AtomicBool::new(false);
    let pace = &Barrier::new(THREADS);

    let results: Vec<Outcome> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..THREADS)
            .map(|t| {
                scope.spawn(move || -> Outcome {
                    for i in 0..INCREMENTS {
                        // In step, so that the increments of a round run side by side; the wait
                        // is between transactions, which a serial store runs one at a time.
                        pace.wait();
                        store
                            .write(|tx| {
                                let n = read_u64(tx.get(b"counter")?)?;
                                // Leaves room for another increment in between.
                                std::thread::yield_now();
                                tx.put(b"counter", &(n + 1).to_le_bytes())?;
                                tx.put(format!("log/{t:02}/{i:04}").as_bytes(), &n.to_le_bytes())?;
                                Ok::<_, Opaque>(())
                            })
                            .map_err(|Opaque(e)| Failure::msg(format!("an increment failed: {e}")))?;
                    }
                    Ok(())
                })
            })
            .collect();
        let readers: Vec<_> = (0..READERS)
            .map(|_| {
                let (log, writers_done) = (&log, &writers_done);
                scope.spawn(move || -> Outcome {
                    let mut last = 0;
                    loop {
                        // Read after looking at the flag, so that the last read sees everything.
                        let finished = writers_done.load(Ordering::SeqCst);
                        let (counter, entries) = store
                            .read(|tx| {
                                // The scan between two reads of the counter gives a commit the
                                // time to land in the middle, if the backend let it be seen.
                                let counter = read_u64(tx.get(b"counter")?)?;
                                let entries = tx.scan(log, Direction::Backward, usize::MAX)?.len();
                                let again = read_u64(tx.get(b"counter")?)?;
                                if again != counter {
                                    return Err(Opaque(format!("the counter moved from {counter} to {again}")));
                                }
                                Ok::<_, Opaque>((counter, entries))
                            })
                            .map_err(|Opaque(e)| Failure::msg(format!("a read failed: {e}")))?;
                        ensure!(
                            counter == entries as u64,
                            "a read-only transaction saw two states: counter {counter} but {entries} log entries"
                        );
                        ensure!(counter >= last, "the counter went back from {last} to {counter}");
                        last = counter;
                        if finished {
                            return Ok(());
                        }
                    }
                })
            })
            .collect();
        let mut results: Vec<Outcome> = writers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| Err(Failure::msg("a writer thread panicked"))))
            .collect();
        writers_done.store(true, Ordering::SeqCst);
        results.extend(
            readers.into_iter().map(|r| r.join().unwrap_or_else(|_| Err(Failure::msg("a reader thread panicked")))),
        );
        results
    });
    for r in results {
        r?;
    }

    let total = (THREADS * INCREMENTS) as u64;
    let counter = store.read(|tx| read_u64(tx.get(b"counter")?)).map_err(|Opaque(e)| Failure::msg(e))?;
    ensure_eq!(counter, total, "increments lost");
    let logged = store.scan(&log, Direction::Forward, usize::MAX)?;
    ensure_eq!(logged.len() as u64, total, "log entries lost");
    // Each increment saw a distinct previous value: no two transactions read the same state.
    let mut seen: Vec<u64> = Vec::with_capacity(logged.len());
    for (_, v) in &logged {
        seen.push(read_u64(Some(v.clone())).map_err(|Opaque(e)| Failure::msg(e))?);
    }
    seen.sort_unstable();
    ensure!(seen.iter().copied().eq(0..total), "two increments read the same counter value");
    Ok(())
}

/// A transaction's reads see its own writes: gets, and scans in both directions, with limits
/// and bounds, merged with its pending puts, overwrites and deletes.
pub fn reads_see_own_writes(make: Factory<'_>) -> Outcome {
    named("reads_see_own_writes", reads_see_own_writes_(make))
}

fn reads_see_own_writes_(make: Factory<'_>) -> Outcome {
    let store = make();
    let seed = entries(&[(b"a", b"1"), (b"c", b"3"), (b"e", b"5"), (b"g", b"7"), (b"i", b"9")]);
    put_all(&*store, &seed)?;

    let ranges = [
        KeyRange::all(),
        KeyRange::between(b"b", b"h"),
        KeyRange { start: Bound::Excluded(b"a".to_vec()), end: Bound::Included(b"g".to_vec()) },
        KeyRange { start: Bound::Included(b"c".to_vec()), end: Bound::Unbounded },
        KeyRange { start: Bound::Unbounded, end: Bound::Excluded(b"e".to_vec()) },
        KeyRange::prefix(b"e"),
        KeyRange::between(b"x", b"y"),
    ];
    let check_all = |tx: &mut dyn ReadTxn, model: &BTreeMap<Key, Value>, when: &str| -> Outcome {
        for key in [&b"a"[..], b"b", b"c", b"d", b"e", b"f", b"g", b"h", b"i", b"j", b"e2"] {
            ensure_eq!(tx.get(key)?, model.get(key).cloned(), "{when}: get {key:?}");
        }
        for range in &ranges {
            for direction in [Direction::Forward, Direction::Backward] {
                for limit in [0, 1, 2, 3, usize::MAX] {
                    ensure_eq!(
                        tx.scan(range, direction, limit)?,
                        model_scan(model, range, direction, limit),
                        "{when}: scan {range:?} {direction:?} limit {limit}"
                    );
                }
            }
        }
        Ok(())
    };

    let mut model = seed.clone();
    let pending = |tx: &mut dyn WriteTxn, model: &mut BTreeMap<Key, Value>| -> Outcome {
        check_all(tx.as_read(), model, "before any write")?;
        tx.put(b"b", b"new b")?; // a new key between committed ones
        model.insert(b"b".to_vec(), b"new b".to_vec());
        tx.delete(b"c")?; // a committed key deleted
        model.remove(&b"c"[..]);
        tx.put(b"e", b"five")?; // a committed key overwritten
        model.insert(b"e".to_vec(), b"five".to_vec());
        tx.put(b"e2", b"x")?; // put, then deleted again
        tx.delete(b"e2")?;
        tx.delete(b"j")?; // an absent key deleted
        tx.put(b"j", b"10")?; // ...then put: after the last committed key
        model.insert(b"j".to_vec(), b"10".to_vec());
        tx.delete(b"a")?; // the first committed key deleted, then put back
        tx.put(b"a", b"one")?;
        model.insert(b"a".to_vec(), b"one".to_vec());
        tx.delete(b"i")?; // the last committed key deleted
        model.remove(&b"i"[..]);
        tx.put(b"d", b"4")?;
        tx.put(b"d", b"four")?; // overwritten twice within the transaction
        model.insert(b"d".to_vec(), b"four".to_vec());
        check_all(tx.as_read(), model, "after puts and deletes")?;
        Ok(())
    };

    // First inside a transaction that aborts: nothing stays.
    let mut scratch = model.clone();
    let r: Result<(), Failure> = store.write(|tx| {
        scratch = model.clone();
        pending(tx, &mut scratch)?;
        Err(Failure::msg("planned"))
    });
    planned(r, "planned")?;
    ensure_eq!(committed(&*store)?, seed, "an aborted transaction's writes are gone");

    // Then one that commits: the store holds what the transaction saw.
    store.write(|tx| {
        scratch = model.clone();
        pending(tx, &mut scratch)
    })?;
    model = scratch;
    ensure_eq!(committed(&*store)?, model, "after commit the store holds what the transaction read");
    store.read(|tx| check_all(tx, &model, "read-only, after commit"))?;
    Ok(())
}

/// Scans come back in key order, both ways, inside their bounds (included, excluded or
/// unbounded at either end), and stop at the limit; empty and inverted ranges return nothing;
/// prefix ranges hold exactly the prefixed keys, `0xff` bytes included.
pub fn scan_order_and_bounds(make: Factory<'_>) -> Outcome {
    named("scan_order_and_bounds", scan_order_and_bounds_(make))
}

fn scan_order_and_bounds_(make: Factory<'_>) -> Outcome {
    let store = make();
    let keys: [&[u8]; 14] = [
        b"\x00",
        b"\x00\x00",
        b"a",
        b"a\x00",
        b"a0",
        b"a\xff",
        b"a\xff\xff",
        b"ab",
        b"b",
        b"\xfe\xff",
        b"\xff",
        b"\xff\x00",
        b"\xff\xff",
        b"\xff\xff\xff",
    ];
    // Written in an order that is not key order, over two transactions.
    let mut model = BTreeMap::new();
    for (i, k) in keys.iter().enumerate().rev() {
        model.insert(k.to_vec(), format!("v{i}").into_bytes());
    }
    let (first, second): (BTreeMap<Key, Value>, BTreeMap<Key, Value>) =
        model.clone().into_iter().partition(|(k, _)| k.len() % 2 == 0);
    put_all(&*store, &second)?;
    put_all(&*store, &first)?;
    ensure_eq!(committed(&*store)?, model, "everything written is read back in key order");

    let probes: [&[u8]; 8] = [b"\x00", b"a", b"a\x00", b"aa", b"a\xff", b"\xff", b"\xff\xff", b"zz"];
    let mut bounds = vec![Bound::Unbounded];
    for p in probes {
        bounds.push(Bound::Included(p.to_vec()));
        bounds.push(Bound::Excluded(p.to_vec()));
    }
    let mut ranges = Vec::new();
    for start in &bounds {
        for end in &bounds {
            ranges.push(KeyRange { start: start.clone(), end: end.clone() });
        }
    }
    for p in [&b""[..], b"a", b"a\xff", b"\xff", b"\xff\xff", b"\xfe", b"\x00", b"c"] {
        ranges.push(KeyRange::prefix(p));
    }
    ranges.push(KeyRange::between(b"b", b"a"));

    let limits = [0, 1, 2, 5, usize::MAX];
    let check = |tx: &mut dyn ReadTxn, inside: &str| -> Outcome {
        for range in &ranges {
            for direction in [Direction::Forward, Direction::Backward] {
                for limit in limits {
                    ensure_eq!(
                        tx.scan(range, direction, limit)?,
                        model_scan(&model, range, direction, limit),
                        "{inside}: scan {range:?} {direction:?} limit {limit}"
                    );
                }
            }
        }
        Ok(())
    };
    store.read(|tx| check(tx, "read-only transaction"))?;
    store.write(|tx| check(tx.as_read(), "read-write transaction"))?;

    // Prefix ranges hold exactly the keys that start with the prefix.
    for p in [&b"a"[..], b"a\xff", b"\xff", b"\xff\xff"] {
        let want: Vec<Key> = model.keys().filter(|k| k.starts_with(p)).cloned().collect();
        let got = keys_of(&store.scan(&KeyRange::prefix(p), Direction::Forward, usize::MAX)?);
        ensure_eq!(got, want, "prefix {p:?}");
    }

    // Ranges that can hold nothing return nothing (and do not upset the backend), also inside a
    // read-write transaction with pending writes right at their bounds.
    let empty = [
        KeyRange { start: Bound::Included(b"b".to_vec()), end: Bound::Excluded(b"b".to_vec()) },
        KeyRange { start: Bound::Excluded(b"b".to_vec()), end: Bound::Excluded(b"b".to_vec()) },
        KeyRange { start: Bound::Excluded(b"b".to_vec()), end: Bound::Included(b"b".to_vec()) },
        KeyRange { start: Bound::Included(b"b".to_vec()), end: Bound::Included(b"a".to_vec()) },
        KeyRange { start: Bound::Excluded(b"\xff\xff\xff".to_vec()), end: Bound::Unbounded },
        KeyRange { start: Bound::Unbounded, end: Bound::Excluded(b"\x00".to_vec()) },
        KeyRange::between(b"a0", b"a\x01"),
    ];
    let bound_key = |b: &Bound<Key>| match b {
        Bound::Included(k) | Bound::Excluded(k) => Some(k.clone()),
        Bound::Unbounded => None,
    };
    for range in &empty {
        for direction in [Direction::Forward, Direction::Backward] {
            ensure!(store.scan(range, direction, usize::MAX)?.is_empty(), "{range:?} {direction:?} is empty");
            let r: Result<(), Failure> = store.write(|tx| {
                for k in [bound_key(&range.start), bound_key(&range.end)].into_iter().flatten() {
                    tx.put(&k, b"pending")?;
                }
                ensure!(
                    tx.scan(range, direction, usize::MAX)?.is_empty(),
                    "{range:?} {direction:?} is empty inside a read-write transaction with writes at its bounds"
                );
                Err(Failure::msg("roll back"))
            });
            planned(r, "roll back")?;
        }
    }
    // A single-key range.
    let one = KeyRange { start: Bound::Included(b"a\xff".to_vec()), end: Bound::Included(b"a\xff".to_vec()) };
    ensure_eq!(keys_of(&store.scan(&one, Direction::Backward, 9)?), vec![b"a\xff".to_vec()], "a one-key range");
    Ok(())
}

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| ((i % 251) as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

/// Values of several MiB are stored, read back, scanned, overwritten and deleted whole.
pub fn large_values(make: Factory<'_>) -> Outcome {
    named("large_values", large_values_(make))
}

fn large_values_(make: Factory<'_>) -> Outcome {
    const MIB: usize = 1024 * 1024;
    let store = make();
    let big = pattern(4 * MIB, 1);
    let other = pattern(4 * MIB + 17, 2);
    store.write(|tx| {
        tx.put(b"big", &big)?;
        ensure!(tx.get(b"big")?.as_deref() == Some(&big[..]), "a large pending value reads back whole");
        tx.put(b"m1", &pattern(MIB, 3))?;
        tx.put(b"m2", &pattern(MIB, 4))?;
        Ok::<_, Failure>(())
    })?;
    ensure!(store.get(b"big")?.as_deref() == Some(&big[..]), "a 4 MiB value reads back whole");
    let scanned = store.scan(&KeyRange::all(), Direction::Backward, usize::MAX)?;
    ensure_eq!(keys_of(&scanned), vec![b"m2".to_vec(), b"m1".to_vec(), b"big".to_vec()], "large values scan");
    ensure!(scanned.get(2).map(|(_, v)| v == &big) == Some(true), "a scanned 4 MiB value is whole");
    ensure!(scanned.first().map(|(_, v)| *v == pattern(MIB, 4)) == Some(true), "a scanned 1 MiB value is whole");

    store.write(|tx| {
        tx.put(b"big", &other)?;
        tx.delete(b"m1")?;
        let seen = tx.scan(&KeyRange::all(), Direction::Forward, usize::MAX)?;
        ensure!(seen.first().map(|(_, v)| v == &other) == Some(true), "a large overwrite is seen by its own scan");
        ensure_eq!(keys_of(&seen), vec![b"big".to_vec(), b"m2".to_vec()], "own scan after overwrite and delete");
        Ok::<_, Failure>(())
    })?;
    ensure!(store.get(b"big")?.as_deref() == Some(&other[..]), "a large overwrite commits whole");
    ensure_eq!(store.get(b"m1")?, None, "a deleted large value is gone");
    store.write(|tx| tx.delete(b"big"))?;
    ensure_eq!(store.get(b"big")?, None, "a deleted 4 MiB value is gone");
    Ok(())
}

/// The empty key is a key like any other (the first of all), and an empty value is a value,
/// not an absence.
pub fn empty_keys_and_values(make: Factory<'_>) -> Outcome {
    named("empty_keys_and_values", empty_keys_and_values_(make))
}

fn empty_keys_and_values_(make: Factory<'_>) -> Outcome {
    let store = make();
    store.write(|tx| {
        tx.put(b"", b"root")?;
        tx.put(b"k", b"")?;
        tx.put(b"\x00", b"zero")?;
        ensure_eq!(tx.get(b"")?, Some(b"root".to_vec()), "own write under the empty key");
        ensure_eq!(tx.get(b"k")?, Some(Vec::new()), "own empty value is present, not absent");
        Ok::<_, Failure>(())
    })?;
    ensure_eq!(store.get(b"")?, Some(b"root".to_vec()), "the empty key");
    ensure_eq!(store.get(b"k")?, Some(Vec::new()), "an empty value is present");
    let all = store.scan(&KeyRange::all(), Direction::Forward, usize::MAX)?;
    ensure_eq!(keys_of(&all), vec![Vec::new(), b"\x00".to_vec(), b"k".to_vec()], "the empty key sorts first");
    let back = store.scan(&KeyRange::all(), Direction::Backward, usize::MAX)?;
    ensure_eq!(keys_of(&back), vec![b"k".to_vec(), b"\x00".to_vec(), Vec::new()], "the empty key comes last backwards");
    let after_empty = KeyRange { start: Bound::Excluded(Vec::new()), end: Bound::Unbounded };
    ensure_eq!(
        keys_of(&store.scan(&after_empty, Direction::Forward, usize::MAX)?),
        vec![b"\x00".to_vec(), b"k".to_vec()],
        "a range excluding the empty key"
    );
    let only_empty = KeyRange { start: Bound::Included(Vec::new()), end: Bound::Included(Vec::new()) };
    ensure_eq!(
        store.scan(&only_empty, Direction::Backward, usize::MAX)?,
        vec![(Vec::new(), b"root".to_vec())],
        "a range of just the empty key"
    );
    ensure_eq!(
        store.scan(&KeyRange::prefix(b""), Direction::Forward, usize::MAX)?.len(),
        3,
        "the empty prefix holds every key"
    );
    store.write(|tx| {
        tx.delete(b"")?;
        tx.put(b"k2", b"")?;
        ensure_eq!(tx.get(b"")?, None, "own delete of the empty key");
        let seen = tx.scan(&KeyRange::all(), Direction::Backward, usize::MAX)?;
        ensure_eq!(
            seen,
            vec![(b"k2".to_vec(), Vec::new()), (b"k".to_vec(), Vec::new()), (b"\x00".to_vec(), b"zero".to_vec())],
            "own scan after deleting the empty key"
        );
        Ok::<_, Failure>(())
    })?;
    ensure_eq!(store.get(b"")?, None, "the empty key is deleted");
    ensure_eq!(store.get(b"k2")?, Some(Vec::new()), "a second empty value");
    Ok(())
}

/// Pages through a scan of `range`, `page` entries at a time, resuming after the last key seen.
fn paged(tx: &mut dyn ReadTxn, range: &KeyRange, direction: Direction, page: usize) -> Result<Vec<Key>, Failure> {
    let mut out = Vec::new();
    let mut range = range.clone();
    loop {
        let batch = tx.scan(&range, direction, page)?;
        ensure!(batch.len() <= page, "a scan returned more than its limit of {page}");
        out.extend(batch.iter().map(|(k, _)| k.clone()));
        let Some((last, _)) = batch.last() else { break };
        if batch.len() < page {
            break;
        }
        match direction {
            Direction::Forward => range.start = Bound::Excluded(last.clone()),
            Direction::Backward => range.end = Bound::Excluded(last.clone()),
        }
    }
    Ok(out)
}

/// Ten thousand keys are scanned whole and in pages both ways, from committed data and from a
/// transaction with thousands of pending puts and deletes.
pub fn many_keys_paged(make: Factory<'_>) -> Outcome {
    named("many_keys_paged", many_keys_paged_(make))
}

fn many_keys_paged_(make: Factory<'_>) -> Outcome {
    const N: usize = 10_000;
    const PAGE: usize = 337;
    let store = make();
    let key = |i: usize| format!("item/{i:05}").into_bytes();
    for chunk in 0..10 {
        store.write(|tx| {
            for i in (chunk * N / 10..(chunk + 1) * N / 10).rev() {
                tx.put(&key(i), &i.to_le_bytes())?;
            }
            Ok::<_, Failure>(())
        })?;
    }
    // Neighbours just outside the prefix.
    store.write(|tx| {
        tx.put(b"item.", b"before")?;
        tx.put(b"item0", b"after")?;
        tx.put(b"item", b"shorter")
    })?;
    let range = KeyRange::prefix(b"item/");
    let mut want: Vec<Key> = (0..N).map(key).collect();
    let mut want_back = want.clone();
    want_back.reverse();

    store.read(|tx| {
        ensure_eq!(tx.scan(&range, Direction::Forward, usize::MAX)?.len(), N, "a whole scan");
        let forward = paged(tx, &range, Direction::Forward, PAGE)?;
        ensure!(forward == want, "pages forward hold every key once, in order");
        let backward = paged(tx, &range, Direction::Backward, PAGE)?;
        ensure!(backward == want_back, "pages backward hold every key once, in reverse order");
        Ok::<_, Failure>(())
    })?;

    // Pending writes: every 7th key deleted, a new key after every 5th; paged, then rolled back.
    let r: Result<(), Failure> = store.write(|tx| {
        let mut pending: Vec<Key> = Vec::with_capacity(N + N / 5);
        for i in 0..N {
            if i % 7 == 0 {
                tx.delete(&key(i))?;
            } else {
                pending.push(key(i));
            }
            if i % 5 == 0 {
                let mut k = key(i);
                k.push(b'+');
                tx.put(&k, b"new")?;
                pending.push(k);
            }
        }
        let forward = paged(tx.as_read(), &range, Direction::Forward, PAGE)?;
        ensure!(forward == pending, "pages forward merge pending puts and deletes");
        pending.reverse();
        let backward = paged(tx.as_read(), &range, Direction::Backward, PAGE)?;
        ensure!(backward == pending, "pages backward merge pending puts and deletes");
        Err(Failure::msg("planned"))
    });
    planned(r, "planned")?;
    let all = store.scan(&KeyRange::all(), Direction::Forward, usize::MAX)?;
    ensure_eq!(all.len(), N + 3, "the rolled-back transaction left nothing");

    // Committed deletes of most keys, then pages again.
    store.write(|tx| {
        for i in (0..N).filter(|i| i % 100 != 0) {
            tx.delete(&key(i))?;
        }
        Ok::<_, Failure>(())
    })?;
    want.retain(|k| k.ends_with(b"00"));
    let got = store.read(|tx| paged(tx, &range, Direction::Forward, 7))?;
    ensure_eq!(got, want, "pages after deleting most keys");
    Ok(())
}

/// Joins the threads of a check, turning a panic into a failure.
fn joined(handles: Vec<std::thread::ScopedJoinHandle<'_, Outcome>>) -> Outcome {
    for h in handles {
        h.join().unwrap_or_else(|_| Err(Failure::msg("a thread of the check panicked")))?;
    }
    Ok(())
}

fn read_i64(raw: Option<Value>) -> Result<i64, Opaque> {
    let raw = raw.ok_or_else(|| Opaque("a balance is missing".into()))?;
    let bytes: [u8; 8] = raw.as_slice().try_into().map_err(|_| Opaque("a balance is not 8 bytes".into()))?;
    Ok(i64::from_le_bytes(bytes))
}

/// No write skew: each of 50 pairs of balances `x` and `y` starts at 1 and 0 under the rule
/// `x + y ≥ 0`, and 8 threads walk the pairs at the same pace, half of them withdrawing 1 from
/// `x`, half from `y`, each after reading both and only when the rule still holds after. Two
/// transactions that each read both balances and write a different one must not both commit: a
/// store that checks only the keys written (snapshot isolation) lets both withdraw and breaks
/// the rule. Exactly one withdrawal per pair must go through.
pub fn write_skew(make: Factory<'_>) -> Outcome {
    named("write_skew", write_skew_(make))
}

fn write_skew_(make: Factory<'_>) -> Outcome {
    const PAIRS: usize = 50;
    const THREADS: usize = 8;
    let store = make();
    let store: &dyn Store = &*store;
    let x = |p: usize| format!("skew/{p:02}/x").into_bytes();
    let y = |p: usize| format!("skew/{p:02}/y").into_bytes();
    store.write(|tx| {
        for p in 0..PAIRS {
            tx.put(&x(p), &1i64.to_le_bytes())?;
            tx.put(&y(p), &0i64.to_le_bytes())?;
        }
        Ok::<_, Failure>(())
    })?;
    // Every thread takes on pair p at the same time: the waits are between transactions, so a
    // store that runs writers one at a time is not held up by them.
    let pace = &Barrier::new(THREADS);
    std::thread::scope(|scope| {
        let handles = (0..THREADS)
            .map(|t| {
                scope.spawn(move || -> Outcome {
                    for p in 0..PAIRS {
                        pace.wait();
                        let mine = if t % 2 == 0 { x(p) } else { y(p) };
                        store
                            .write(|tx| {
                                let (bx, by) = (read_i64(tx.get(&x(p))?)?, read_i64(tx.get(&y(p))?)?);
                                // Leaves room for another thread's transaction in between.
                                std::thread::yield_now();
                                // The rule after the withdrawal: (x + y) - 1 ≥ 0.
                                if bx + by > 0 {
                                    let own = if t % 2 == 0 { bx } else { by };
                                    tx.put(&mine, &(own - 1).to_le_bytes())?;
                                    tx.put(format!("skew/{p:02}/by/{t}").as_bytes(), b"")?;
                                }
                                Ok::<_, Opaque>(())
                            })
                            .map_err(|Opaque(e)| Failure::msg(format!("a withdrawal failed: {e}")))?;
                    }
                    Ok(())
                })
            })
            .collect();
        joined(handles)
    })?;
    for p in 0..PAIRS {
        let (bx, by, withdrawals) = store
            .read(|tx| {
                let by = tx.scan(&KeyRange::prefix(format!("skew/{p:02}/by/").as_bytes()), Direction::Forward, 99)?;
                Ok::<_, Opaque>((read_i64(tx.get(&x(p))?)?, read_i64(tx.get(&y(p))?)?, by.len()))
            })
            .map_err(|Opaque(e)| Failure::msg(e))?;
        ensure!(bx + by >= 0, "pair {p}: the rule x + y ≥ 0 broke: x = {bx}, y = {by} after {withdrawals} withdrawals");
        ensure_eq!(withdrawals, 1, "pair {p}: withdrawals");
        ensure_eq!(bx + by, 0, "pair {p}: x + y after one withdrawal");
    }
    Ok(())
}

/// Defers to the commit of `tx` the numbering of `event`: the work reads the counter `seq`,
/// writes `event` under `log/<next number>` and moves the counter on. The numbers give the order
/// in which the transactions committed.
fn stamp(tx: &mut dyn WriteTxn, space: &'static str, event: Vec<u8>) -> Result<(), StoreError> {
    let work: Deferred = Box::new(move |tx| {
        let seq_key = format!("{space}/seq").into_bytes();
        let last = read_u64(tx.get(&seq_key)?).map_err(|Opaque(e)| StoreError::Corrupted(e))?;
        let next = last + 1;
        let mut log_key = format!("{space}/log/").into_bytes();
        log_key.extend_from_slice(&next.to_be_bytes());
        tx.put(&log_key, &event)?;
        tx.put(&seq_key, &next.to_le_bytes())
    });
    tx.at_commit(work)
}

/// The events numbered by [`stamp`] in `space`, checking that their numbers run 1, 2, 3… without
/// a gap and agree with the counter.
fn stamped(store: &dyn Store, space: &str) -> Result<Vec<Value>, Failure> {
    let log = store.scan(&KeyRange::prefix(format!("{space}/log/").as_bytes()), Direction::Forward, usize::MAX)?;
    let mut events = Vec::with_capacity(log.len());
    for (i, (key, event)) in log.into_iter().enumerate() {
        let tail: [u8; 8] = key[key.len() - 8..].try_into().map_err(|_| Failure::msg("a short log key"))?;
        ensure_eq!(u64::from_be_bytes(tail), i as u64 + 1, "the number of the {}th stamped transaction", i + 1);
        events.push(event);
    }
    let seq = read_u64(store.get(format!("{space}/seq").as_bytes())?).map_err(|Opaque(e)| Failure::msg(e))?;
    ensure_eq!(seq, events.len() as u64, "the counter of stamped transactions");
    Ok(events)
}

/// No phantom: 4 threads insert keys into a range while 4 others count the range (by whole
/// scans and by pages of 3 both ways) and record the count they saw, each transaction numbering
/// itself in commit order through deferred work. Replaying the transactions in that order, every
/// count must equal the number of inserts before it: a count that missed an insert committed
/// before it (the insert was a phantom to its scan) or saw one committed after it is not
/// serializable.
pub fn phantoms(make: Factory<'_>) -> Outcome {
    named("phantoms", phantoms_(make))
}

fn phantoms_(make: Factory<'_>) -> Outcome {
    const INSERTERS: usize = 4;
    const COUNTERS: usize = 4;
    const ROUNDS: usize = 50;
    let store = make();
    let store: &dyn Store = &*store;
    let items = KeyRange::prefix(b"ph/item/");
    let items = &items;
    // Rounds in step, so that inserts and counts of a round run side by side.
    let pace = &Barrier::new(INSERTERS + COUNTERS);
    std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for t in 0..INSERTERS {
            handles.push(scope.spawn(move || -> Outcome {
                for i in 0..ROUNDS {
                    pace.wait();
                    store.write(|tx| {
                        tx.put(format!("ph/item/{i:03}/{t}").as_bytes(), b"")?;
                        stamp(tx, "ph", vec![0])
                    })?;
                }
                Ok(())
            }));
        }
        for t in 0..COUNTERS {
            handles.push(scope.spawn(move || -> Outcome {
                for i in 0..ROUNDS {
                    pace.wait();
                    store.write(|tx| {
                        let n = match (i + t) % 3 {
                            0 => tx.scan(items, Direction::Forward, usize::MAX)?.len(),
                            1 => paged(tx.as_read(), items, Direction::Forward, 3)?.len(),
                            _ => paged(tx.as_read(), items, Direction::Backward, 3)?.len(),
                        } as u64;
                        // Leaves room for inserts to commit before this transaction does.
                        std::thread::yield_now();
                        tx.put(format!("ph/seen/{t}/{i:03}").as_bytes(), &n.to_le_bytes())?;
                        let mut event = vec![1];
                        event.extend_from_slice(&n.to_le_bytes());
                        stamp(tx, "ph", event)?;
                        Ok::<_, Failure>(())
                    })?;
                }
                Ok(())
            }));
        }
        joined(handles)
    })?;
    let events = stamped(store, "ph")?;
    ensure_eq!(events.len(), (INSERTERS + COUNTERS) * ROUNDS, "stamped transactions");
    let mut inserted = 0u64;
    for (i, event) in events.iter().enumerate() {
        match event.split_first() {
            Some((0, [])) => inserted += 1,
            Some((1, seen)) => {
                let seen = read_u64(Some(seen.to_vec())).map_err(|Opaque(e)| Failure::msg(e))?;
                ensure_eq!(
                    seen,
                    inserted,
                    "the count recorded by transaction {} in commit order (the inserts before it)",
                    i + 1
                );
            }
            _ => return Err(Failure::msg(format!("a malformed event {event:?}"))),
        }
    }
    ensure_eq!(store.scan(items, Direction::Forward, usize::MAX)?.len(), INSERTERS * ROUNDS, "items inserted");
    Ok(())
}

/// Work deferred with [`WriteTxn::at_commit`] runs once per committed transaction, in the order
/// it was deferred, sees its transaction's writes, and fails the whole transaction when it
/// fails; then 8 threads × 100 transactions each number themselves through deferred work that
/// reads and writes one shared counter, and the numbers run from 1 to 800 without a gap or a
/// repeat.
pub fn deferred_work(make: Factory<'_>) -> Outcome {
    named("deferred_work", deferred_work_(make))
}

fn deferred_work_(make: Factory<'_>) -> Outcome {
    const THREADS: usize = 8;
    const TRANSACTIONS: usize = 100;
    let store = make();
    let store: &dyn Store = &*store;

    // Deferred work sees the transaction's writes, and a second piece sees the first's.
    store.write(|tx| {
        tx.put(b"dw/own", b"mine")?;
        tx.at_commit(Box::new(|tx| {
            let own = tx.get(b"dw/own")?.unwrap_or_default();
            tx.put(b"dw/first", &own)
        }))?;
        tx.at_commit(Box::new(|tx| {
            let first = tx.get(b"dw/first")?.unwrap_or_default();
            tx.put(b"dw/second", &[first.as_slice(), b"+"].concat())
        }))
    })?;
    ensure_eq!(store.get(b"dw/first")?, Some(b"mine".to_vec()), "the deferred work read its transaction's write");
    ensure_eq!(store.get(b"dw/second")?, Some(b"mine+".to_vec()), "deferred work runs in the order it was deferred");

    // Failing deferred work fails the transaction, and nothing of it is written.
    let r: Result<(), StoreError> = store.write(|tx| {
        tx.put(b"dw/lost", b"x")?;
        tx.at_commit(Box::new(|tx| {
            tx.put(b"dw/lost-too", b"x")?;
            Err(StoreError::Io("planned".into()))
        }))
    });
    ensure_eq!(r, Err(StoreError::Io("planned".into())), "the deferred work's error is the transaction's");
    // A closure that fails after deferring work: the work's writes are not kept either.
    let r: Result<(), Failure> = store.write(|tx| {
        tx.at_commit(Box::new(|tx| tx.put(b"dw/lost-three", b"x")))?;
        Err(Failure::msg("planned"))
    });
    planned(r, "planned")?;
    for key in [&b"dw/lost"[..], b"dw/lost-too", b"dw/lost-three"] {
        ensure_eq!(store.get(key)?, None, "nothing of a failed transaction is written: {key:?}");
    }

    std::thread::scope(|scope| {
        let handles = (0..THREADS)
            .map(|t| {
                scope.spawn(move || -> Outcome {
                    for i in 0..TRANSACTIONS {
                        let own = format!("dw/own/{t}/{i:03}").into_bytes();
                        store.write(|tx| {
                            tx.put(&own, b"")?;
                            let mine = own.clone();
                            tx.at_commit(Box::new(move |tx| match tx.get(&mine)? {
                                Some(_) => Ok(()),
                                None => {
                                    Err(StoreError::Corrupted("deferred work missed its transaction's write".into()))
                                }
                            }))?;
                            stamp(tx, "dw", own.clone())
                        })?;
                    }
                    Ok(())
                })
            })
            .collect();
        joined(handles)
    })?;
    let mut events = stamped(store, "dw")?;
    ensure_eq!(events.len(), THREADS * TRANSACTIONS, "numbered transactions");
    events.sort();
    let mut want: Vec<Value> =
        (0..THREADS).flat_map(|t| (0..TRANSACTIONS).map(move |i| format!("dw/own/{t}/{i:03}").into_bytes())).collect();
    want.sort();
    ensure!(events == want, "every transaction was numbered exactly once");
    Ok(())
}

/// What a persistent store holds after each step of [`reopen_durability`].
fn durable_step_one() -> BTreeMap<Key, Value> {
    let mut m = entries(&[(b"", b"empty key"), (b"a", b"1"), (b"b", b""), (b"c", b"3"), (b"\xff\xff", b"last")]);
    m.insert(b"big".to_vec(), pattern(4 * 1024 * 1024, 9));
    m
}

/// What was committed before the store was dropped is there after it is opened again: puts,
/// overwrites, deletes, the empty key, empty and large values — and nothing of a transaction
/// that failed. `reopen` opens the same store each time.
pub fn reopen_durability(reopen: Reopen<'_>) -> Outcome {
    named("reopen_durability", reopen_durability_(reopen))
}

fn reopen_durability_(reopen: Reopen<'_>) -> Outcome {
    let mut want = durable_step_one();
    {
        let store = reopen()?;
        let before = committed(&*store)?;
        ensure!(before.is_empty(), "the store starts empty, but holds {} entries", before.len());
        put_all(&*store, &want)?;
        store.write(|tx| {
            tx.put(b"a", b"one")?;
            tx.delete(b"c")
        })?;
        want.insert(b"a".to_vec(), b"one".to_vec());
        want.remove(&b"c"[..]);
        let r: Result<(), Failure> = store.write(|tx| {
            tx.put(b"junk", b"x")?;
            tx.delete(b"a")?;
            Err(Failure::msg("planned"))
        });
        planned(r, "planned")?;
    }
    {
        let store = reopen()?;
        ensure_eq!(committed(&*store)?, want, "after the first reopen");
        store.write(|tx| {
            tx.delete(b"big")?;
            tx.put(b"d", b"4")?;
            tx.put(b"", b"")
        })?;
        want.remove(&b"big"[..]);
        want.insert(b"d".to_vec(), b"4".to_vec());
        want.insert(Vec::new(), Vec::new());
    }
    let store = reopen()?;
    ensure_eq!(committed(&*store)?, want, "after the second reopen");
    ensure_eq!(store.get(b"")?, Some(Vec::new()), "the empty key with an empty value");
    Ok(())
}

/// One operation of a [`ModelTxn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Sets a key.
    Put(Key, Value),
    /// Removes a key.
    Delete(Key),
    /// Reads a key; compared with the model.
    Get(Key),
    /// Scans a range; compared with the model.
    Scan {
        /// The range.
        range: KeyRange,
        /// The direction.
        direction: Direction,
        /// The limit.
        limit: usize,
    },
}

/// A transaction for [`model_check`]: operations, then a commit or an abort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelTxn {
    /// The operations, in order.
    pub ops: Vec<Op>,
    /// Whether the closure returns `Ok` (commit) or an error (abort).
    pub commit: bool,
}

/// Runs `txns` against `store` and against a `BTreeMap` that starts as a copy of the store,
/// comparing every read inside each transaction, then the whole committed content and every
/// scan again in a read-only transaction after each one. Aborted transactions must leave no
/// trace.
pub fn model_check(store: &dyn Store, txns: &[ModelTxn]) -> Outcome {
    named("model_check", model_check_(store, txns))
}

fn model_check_(store: &dyn Store, txns: &[ModelTxn]) -> Outcome {
    let mut model = committed(store)?;
    for (n, txn) in txns.iter().enumerate() {
        let mut pending = model.clone();
        let r: Result<(), Failure> = store.write(|tx| {
            pending = model.clone();
            for (i, op) in txn.ops.iter().enumerate() {
                match op {
                    Op::Put(k, v) => {
                        tx.put(k, v)?;
                        pending.insert(k.clone(), v.clone());
                    }
                    Op::Delete(k) => {
                        tx.delete(k)?;
                        pending.remove(k);
                    }
                    Op::Get(k) => {
                        ensure_eq!(tx.get(k)?, pending.get(k).cloned(), "transaction {n}, op {i}: {op:?}");
                    }
                    Op::Scan { range, direction, limit } => {
                        ensure_eq!(
                            tx.scan(range, *direction, *limit)?,
                            model_scan(&pending, range, *direction, *limit),
                            "transaction {n}, op {i}: {op:?}"
                        );
                    }
                }
            }
            if txn.commit {
                Ok(())
            } else {
                Err(Failure::msg("planned abort"))
            }
        });
        if txn.commit {
            r?;
            model = pending;
        } else {
            planned(r, "planned abort")?;
        }
        ensure_eq!(committed(store)?, model, "after transaction {n} (commit: {})", txn.commit);
        store.read(|tx| {
            for op in &txn.ops {
                match op {
                    Op::Scan { range, direction, limit } => ensure_eq!(
                        tx.scan(range, *direction, *limit)?,
                        model_scan(&model, range, *direction, *limit),
                        "read-only after transaction {n}: {op:?}"
                    ),
                    Op::Put(k, _) | Op::Delete(k) | Op::Get(k) => {
                        ensure_eq!(tx.get(k)?, model.get(k).cloned(), "read-only after transaction {n}: get {k:?}")
                    }
                }
            }
            Ok::<_, Failure>(())
        })?;
    }
    Ok(())
}
