//! Single-thread costs of the memory store: a `get` and a page scan, each its own read-only
//! transaction; ten gets in one read-only transaction; a read-write transaction that reads one
//! entry and overwrites ten. Run on stores of 100 000 and 1 000 000 entries, keys of 24 bytes
//! and values of 160 bytes (about the size of oa's records and index keys), read in a scattered
//! order so that the caches do not hold the path to the next key.
//!
//! Then two threads at once, on the store of 100 000 entries: a read-only transaction that reads
//! the whole store in pages of 1 000 (an export, a report) while another thread commits
//! read-write transactions as fast as it can, and the other way round, a read-write transaction
//! while another thread keeps reading the whole store; and a read-write transaction while
//! another thread commits read-write transactions of its own over other keys, where the two
//! closures run side by side and only the commits take turns.
//!
//! `cargo bench -p oa-storage --bench memory`. Run without `--bench` (`cargo test --benches`) or
//! with `--test`, it builds a small store and runs each benchmark once.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion};
use oa_storage::{Direction, KeyRange, MemoryStore, ReadTxn, StoreError, StoreExt, WriteTxn};

fn key(i: u64) -> Vec<u8> {
    format!("task/{:019}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 4).into_bytes()
}

fn value(i: u64) -> Vec<u8> {
    let mut v = vec![0u8; 160];
    v[..8].copy_from_slice(&i.to_be_bytes());
    v
}

/// The `n`-th key to read: a stride through the store coprime with its size, so consecutive
/// reads land far apart.
struct Keys {
    keys: Vec<Vec<u8>>,
    next: usize,
}

impl Keys {
    fn new(size: u64) -> Self {
        Keys { keys: (0..size).map(key).collect(), next: 0 }
    }

    fn next(&mut self) -> &[u8] {
        self.next = (self.next + 7919) % self.keys.len();
        &self.keys[self.next]
    }
}

fn store_of(size: u64) -> MemoryStore {
    MemoryStore::from_entries((0..size).map(|i| (key(i), value(i))))
}

fn bench(c: &mut Criterion, size: u64) {
    let store = store_of(size);
    let mut keys = Keys::new(size);
    let mut group = c.benchmark_group("memory_store");
    group.bench_function(BenchmarkId::new("get", size), |b| b.iter(|| black_box(store.get(keys.next()).expect("get"))));
    group.bench_function(BenchmarkId::new("scan_20", size), |b| {
        b.iter(|| {
            // Every key starts with `task/`, and `/` sorts just before `0`.
            let range = KeyRange::between(keys.next(), b"task0");
            let page = store.scan(&range, Direction::Forward, 20).expect("scan");
            black_box(page)
        })
    });
    group.bench_function(BenchmarkId::new("read_txn_10_gets", size), |b| {
        b.iter(|| {
            store
                .read(|tx: &mut dyn ReadTxn| {
                    let mut found = 0;
                    for _ in 0..10 {
                        found += usize::from(tx.get(keys.next())?.is_some());
                    }
                    Ok::<_, StoreError>(found)
                })
                .expect("read")
        })
    });
    let mut n = 0u64;
    group.bench_function(BenchmarkId::new("write_txn_1_get_10_puts", size), |b| {
        b.iter(|| write_ten(&store, &mut keys, &mut n))
    });
    group.finish();
}

/// A read-write transaction that reads one entry and overwrites ten.
fn write_ten(store: &MemoryStore, keys: &mut Keys, n: &mut u64) {
    store
        .write(|tx: &mut dyn WriteTxn| {
            tx.get(keys.next())?;
            for _ in 0..10 {
                *n += 1;
                let k = keys.next().to_vec();
                tx.put(&k, &value(*n))?;
            }
            Ok::<_, StoreError>(())
        })
        .expect("write")
}

/// One read-only transaction that reads every entry in pages of 1 000; returns how many times
/// its closure ran.
fn read_all(store: &MemoryStore) -> u64 {
    let mut runs = 0;
    let count = store
        .read(|tx: &mut dyn ReadTxn| {
            runs += 1;
            let mut count = 0;
            let mut page = tx.scan(&KeyRange::prefix(b"task/"), Direction::Forward, 1000)?;
            while let Some((last, _)) = page.last() {
                count += page.len();
                let mut from = last.clone();
                from.push(0);
                page = tx.scan(&KeyRange::between(&from, b"task0"), Direction::Forward, 1000)?;
            }
            Ok::<_, StoreError>(count)
        })
        .expect("read");
    black_box(count);
    runs
}

fn bench_side_by_side(c: &mut Criterion, size: u64) {
    let store = store_of(size);
    let mut group = c.benchmark_group("memory_store_two_threads");
    group.sample_size(10);
    let stop = AtomicBool::new(false);
    let (reads, runs) = (AtomicU64::new(0), AtomicU64::new(0));
    std::thread::scope(|s| {
        s.spawn(|| {
            let (mut keys, mut n) = (Keys::new(size), 0);
            while !stop.load(Ordering::Relaxed) {
                write_ten(&store, &mut keys, &mut n);
            }
        });
        group.bench_function(BenchmarkId::new("read_all_beside_a_writer", size), |b| {
            b.iter(|| {
                runs.fetch_add(read_all(&store), Ordering::Relaxed);
                reads.fetch_add(1, Ordering::Relaxed);
            })
        });
        stop.store(true, Ordering::Relaxed);
    });
    eprintln!(
        "  {} reads of the whole store ran their closure {} times",
        reads.load(Ordering::Relaxed),
        runs.load(Ordering::Relaxed)
    );
    stop.store(false, Ordering::Relaxed);
    let (reads, runs) = (AtomicU64::new(0), AtomicU64::new(0));
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(Ordering::Relaxed) {
                runs.fetch_add(read_all(&store), Ordering::Relaxed);
                reads.fetch_add(1, Ordering::Relaxed);
            }
        });
        let (mut keys, mut n) = (Keys::new(size), 0);
        group.bench_function(BenchmarkId::new("write_beside_a_reader_of_all", size), |b| {
            b.iter(|| write_ten(&store, &mut keys, &mut n))
        });
        stop.store(true, Ordering::Relaxed);
    });
    eprintln!(
        "  meanwhile {} reads of the whole store ran their closure {} times",
        reads.load(Ordering::Relaxed),
        runs.load(Ordering::Relaxed)
    );
    stop.store(false, Ordering::Relaxed);
    let before = store.stats();
    let writes = AtomicU64::new(0);
    std::thread::scope(|s| {
        s.spawn(|| {
            // Half way through the keys from the measured writer, so that they seldom meet.
            let (mut keys, mut n) = (Keys::new(size), 0);
            keys.next = keys.keys.len() / 2;
            while !stop.load(Ordering::Relaxed) {
                write_ten(&store, &mut keys, &mut n);
                writes.fetch_add(1, Ordering::Relaxed);
            }
        });
        let (mut keys, mut n) = (Keys::new(size), 0);
        group.bench_function(BenchmarkId::new("write_beside_a_writer", size), |b| {
            b.iter(|| write_ten(&store, &mut keys, &mut n))
        });
        stop.store(true, Ordering::Relaxed);
    });
    let after = store.stats();
    eprintln!(
        "  meanwhile the other writer committed {} transactions; {} commits in all, {} conflicts",
        writes.load(Ordering::Relaxed),
        after.commits - before.commits,
        after.conflicts - before.conflicts
    );
    group.finish();
}

/// Whether this is a measuring run (`--bench` without `--test`) rather than a quick check.
fn full_run() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let sizes: &[u64] = if full_run() { &[100_000, 1_000_000] } else { &[1_000] };
    for &size in sizes {
        bench(&mut c, size);
    }
    bench_side_by_side(&mut c, sizes[0]);
    c.final_summary();
}
