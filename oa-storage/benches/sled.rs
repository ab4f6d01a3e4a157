//! Costs of the sled store without the rest of oa. A read-write transaction shaped like one of
//! the workflow's (it reads 8 entries and writes 17: records overwritten, index entries added
//! and removed, and six entries appended at the end of their key spaces like an audit record
//! and its indexes), committed by one thread with the flush on commit and without it (what the
//! store costs in CPU, the disk aside); a read-only transaction of a get and a page of 20; and
//! the commits per second of 2 and 8 threads committing side by side, where each flush is
//! shared by the commits staged meanwhile (group commit).
//!
//! `cargo bench -p oa-storage --features sled --bench sled`. Run without `--bench`
//! (`cargo test -p oa-storage --features sled --benches`) or with `--test`, it runs each
//! benchmark once.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput};
use oa_storage::{Direction, KeyRange, ReadTxn, SledOptions, SledStore, StoreError, StoreExt, WriteTxn};

/// Records in the store before the benchmarks begin.
const RECORDS: u64 = 20_000;

/// A record's key: scattered over the key space, as ids and names are.
fn record(i: u64) -> Vec<u8> {
    format!("rec/{:019}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 4).into_bytes()
}

fn value(i: u64) -> Vec<u8> {
    let mut v = vec![7u8; 160];
    v[..8].copy_from_slice(&i.to_be_bytes());
    v
}

/// A store of [`RECORDS`] records in a temporary folder.
fn open_store(dir: &tempfile::TempDir, name: &str, skip_flush: bool) -> SledStore {
    let options = SledOptions { unsafe_skip_flush_on_commit: skip_flush, ..SledOptions::default() };
    let store = SledStore::open_with(dir.path().join(name), options).expect("open sled");
    for chunk in 0..RECORDS / 1000 {
        store
            .write(|tx| {
                for i in chunk * 1000..(chunk + 1) * 1000 {
                    tx.put(&record(i), &value(i))?;
                }
                Ok::<_, StoreError>(())
            })
            .expect("fill the store");
    }
    store
}

/// Commit number `n` of thread `thread`, whose commit before was number `prev`: reads 8
/// records, overwrites 5 of them, moves 3 index entries (a delete and a put each) and appends 6
/// entries.
fn commit(store: &SledStore, thread: u64, prev: u64, n: u64) {
    let pick = |k: u64| (thread * 7_919 + n * 104_729 + k * 15_485_863) % RECORDS;
    store
        .write(|tx: &mut dyn WriteTxn| {
            for k in 0..8 {
                black_box(tx.get(&record(pick(k)))?);
            }
            for k in 0..5 {
                tx.put(&record(pick(k)), &value(n))?;
            }
            for k in 0..3 {
                tx.delete(format!("idx/{k}/{thread:02}/{prev:012}").as_bytes())?;
                tx.put(format!("idx/{k}/{thread:02}/{n:012}").as_bytes(), b"")?;
            }
            for space in ["log.r", "log.a", "log.o", "log.t", "log.at", "log.x"] {
                tx.put(format!("{space}/{thread:02}/{n:012}").as_bytes(), &value(n))?;
            }
            Ok::<_, StoreError>(())
        })
        .expect("commit");
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut group = c.benchmark_group("sled_store");
    group.sample_size(20).measurement_time(Duration::from_secs(5));

    for (name, skip_flush) in [("commit_alone", false), ("commit_alone_without_flush", true)] {
        let store = open_store(&dir, name, skip_flush);
        let mut n = 0;
        group.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                commit(&store, 0, n - 1, n);
            })
        });
    }

    let store = open_store(&dir, "read", false);
    let mut n = 0u64;
    group.bench_function("read_get_and_page_of_20", |b| {
        b.iter(|| {
            n += 1;
            store
                .read(|tx: &mut dyn ReadTxn| {
                    let one = tx.get(&record(n * 7_919 % RECORDS))?;
                    let page = tx.scan(&KeyRange::prefix(b"rec/"), Direction::Forward, 20)?;
                    Ok::<_, StoreError>((one, page))
                })
                .expect("read")
        })
    });

    group.throughput(Throughput::Elements(1));
    for threads in [2u64, 8] {
        let store = open_store(&dir, &format!("threads_{threads}"), false);
        let serial = AtomicU64::new(0);
        group.bench_function(BenchmarkId::new("commits_side_by_side", threads), |b| {
            b.iter_custom(|commits| {
                let per_thread = commits.div_ceil(threads);
                let start = Instant::now();
                std::thread::scope(|s| {
                    for t in 0..threads {
                        let (store, serial) = (&store, &serial);
                        s.spawn(move || {
                            let mut prev = 0;
                            for _ in 0..per_thread {
                                let n = serial.fetch_add(1, Ordering::Relaxed) + 1;
                                commit(store, t, prev, n);
                                prev = n;
                            }
                        });
                    }
                });
                // Reported per commit asked for, the few extra of the last round included.
                start.elapsed().mul_f64(commits as f64 / (per_thread * threads) as f64)
            })
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
