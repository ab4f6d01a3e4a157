//! Benchmarks of the workflow engine: how many expense claims (start → manager → director →
//! three reviewers countersigning → end: one start and five approvals) eight client threads
//! take from start to end per second on the memory store and on sled, and how long a page of a
//! person's todo list (待办) takes in an office holding a million claims. See BENCHMARKS.md for
//! the figures and how to read them.
//!
//! `cargo bench --bench workflow` builds the offices through the public API, then measures.
//! The large office of the todo pages holds `OA_BENCH_TODO_INSTANCES` claims (default
//! 1 000 000, among 10 000 people; building it takes a few minutes on 2 cores); set it lower
//! for a quick look. `OA_BENCH_CLIENTS` sets the number of client threads (default 8) and
//! `OA_BENCH_STORES` the stores measured (`memory`, `sled`, or both, the default; add
//! `sled-no-flush` for sled with `SledOptions::unsafe_skip_flush_on_commit`, which shows what
//! sled's own work allows when no commit waits for the disk). Run without
//! `--bench` (`cargo test --benches`) or with `--test`, it builds small offices and runs each
//! benchmark once.

/// The allocator an embedder of the engine would choose and the Python binding ships with
/// (BENCHMARKS.md gives the figures with glibc's malloc beside these).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput};
use oa::storage::MemoryStats;
use oa::workflow::runtime::TaskQuery;
use oa::{MemoryStore, Oa, PageRequest, SledOptions, SledStore};

#[path = "workflow/office.rs"]
mod office;

use office::{timed, Team, TodoOffice};

/// The client threads of the throughput benchmarks, unless `OA_BENCH_CLIENTS` says otherwise.
const CLIENTS: usize = 8;

/// The client threads to run: `OA_BENCH_CLIENTS` or [`CLIENTS`].
fn clients() -> usize {
    std::env::var("OA_BENCH_CLIENTS").ok().and_then(|v| v.trim().parse().ok()).filter(|&n| n > 0).unwrap_or(CLIENTS)
}

/// Which stores the throughput benchmarks build offices on: `OA_BENCH_STORES` (`memory`, `sled`
/// or both, comma-separated), both by default. Building an office signs its people in, which
/// takes seconds of password hashing, so a profile of one store is clearer without the other.
fn wants_store(name: &str) -> bool {
    std::env::var("OA_BENCH_STORES").is_err() || names_store(name)
}

/// Whether `OA_BENCH_STORES` names store `name`.
fn names_store(name: &str) -> bool {
    std::env::var("OA_BENCH_STORES").is_ok_and(|v| v.split(',').any(|s| s.trim() == name))
}

/// Runs `claims` claims from start to end, spread over the teams, one client thread per team,
/// and returns the wall time they took.
fn run_claims(oa: &Oa, teams: &[Team], claims: u64, serial: &mut usize) -> Duration {
    let claims = claims as usize;
    let first = *serial;
    *serial += claims;
    let start = Instant::now();
    std::thread::scope(|s| {
        for (c, team) in teams.iter().enumerate() {
            // Client c runs claims c, c + n, c + 2 n, … of this batch, n being the number of clients.
            let mine = claims / teams.len() + usize::from(c < claims % teams.len());
            s.spawn(move || {
                for k in 0..mine {
                    team.run_claim(oa, first + c + k * teams.len());
                }
            });
        }
    });
    start.elapsed()
}

fn bench_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("workflow_throughput");
    group.throughput(Throughput::Elements(1)).sample_size(10).sampling_mode(SamplingMode::Flat);
    let clients = clients();

    if wants_store("memory") {
        eprintln!("building the memory office: {clients} teams of six");
        let store = MemoryStore::new();
        let (oa, teams) = office::teams_office(store.clone(), clients);
        let serial =
            measure_claims(&mut group, "memory", &oa, &teams, if full_run() { 2000 } else { 10 }, Some(&store));
        eprintln!("  {serial} claims run on memory");
    }

    if wants_store("sled") {
        measure_sled(&mut group, "sled", SledOptions::default(), clients);
    }
    // Not among the defaults: it measures a bound (sled's own work, commits not waiting for
    // the disk), not a configuration an office should run.
    if names_store("sled-no-flush") {
        let options = SledOptions { unsafe_skip_flush_on_commit: true, ..SledOptions::default() };
        measure_sled(&mut group, "sled-no-flush", options, clients);
    }
    group.finish();
}

/// Builds the office of `clients` teams on sled in a fresh folder, opened with `options`, and
/// measures it as `name`.
fn measure_sled(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    name: &str,
    options: SledOptions,
    clients: usize,
) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    eprintln!("building the {name} office in {}: {clients} teams of six", dir.path().display());
    let store = SledStore::open_with(dir.path(), options).expect("open sled");
    let (oa, teams) = office::teams_office(store, clients);
    let serial = measure_claims(group, name, &oa, &teams, if full_run() { 200 } else { 10 }, None);
    eprintln!(
        "  {serial} claims run on {name}; the folder holds {:.0} MiB",
        dir_size(dir.path()) as f64 / (1024.0 * 1024.0)
    );
}

/// Times `alone` claims of one client by call, then measures the office's teams running claims
/// side by side; returns how many claims ran. On the memory store (`memory`), it then reports
/// how often the teams' transactions conflicted, and on which keys.
fn measure_claims(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    store: &str,
    oa: &Oa,
    teams: &[Team],
    alone: usize,
    memory: Option<&MemoryStore>,
) -> usize {
    let mut serial = 0;
    let mut breakdown = office::Breakdown::default();
    for _ in 0..alone {
        teams[0].timed_claim(oa, serial, &mut breakdown);
        serial += 1;
    }
    breakdown.report();
    let before = memory.map(MemoryStore::stats);
    let claims_before = serial;
    group.bench_function(format!("{store}/{}_clients", teams.len()), |b| {
        b.iter_custom(|claims| run_claims(oa, teams, claims, &mut serial))
    });
    if let (Some(memory), Some(before)) = (memory, before) {
        report_conflicts(&before, &memory.stats(), serial - claims_before);
        report_footprint(memory, serial);
    }
    serial
}

/// What the store holds per claim, by key space (the key's first string part): each claim's
/// entries are memory the store must take from the system, and bytes a disk store must write.
fn report_footprint(store: &MemoryStore, claims: usize) {
    let mut spaces: std::collections::BTreeMap<String, (u64, u64, u64)> = Default::default();
    for (key, value) in store.entries() {
        let end = key.windows(2).position(|w| w == [0, 1]).unwrap_or(key.len());
        let space = spaces.entry(String::from_utf8_lossy(&key[..end]).into_owned()).or_default();
        space.0 += 1;
        space.1 += key.len() as u64;
        space.2 += value.len() as u64;
    }
    let per = |n: u64| n as f64 / claims.max(1) as f64;
    let (entries, keys, values) = spaces.values().fold((0, 0, 0), |t, s| (t.0 + s.0, t.1 + s.1, t.2 + s.2));
    eprintln!(
        "  the store holds, per claim: {:.1} entries, {:.0} bytes of keys, {:.0} bytes of values",
        per(entries),
        per(keys),
        per(values)
    );
    let mut rows: Vec<_> = spaces.into_iter().filter(|(_, s)| per(s.0) >= 0.5).collect();
    rows.sort_by_key(|(_, (_, keys, values))| std::cmp::Reverse(keys + values));
    for (space, (n, k, v)) in rows {
        eprintln!("    {space:<16} {:>5.1} entries, {:>6.0} B of keys, {:>6.0} B of values", per(n), per(k), per(v));
    }
}

/// How often the claims run side by side conflicted: a conflict costs a transaction one
/// attempt's work and a second attempt that holds the other writers' commits off.
fn report_conflicts(before: &MemoryStats, after: &MemoryStats, claims: usize) {
    let commits = after.commits - before.commits;
    let conflicts = after.conflicts - before.conflicts;
    eprintln!(
        "  {claims} claims side by side: {commits} commits, {conflicts} conflicts ({:.2} % of commits ran twice), {} of them older than the log; {} commits copied their paths; {} reads ran again on a version",
        100.0 * conflicts as f64 / commits.max(1) as f64,
        after.stale - before.stale,
        after.copied - before.copied,
        after.reads_on_a_version - before.reads_on_a_version
    );
    let earlier: std::collections::HashMap<&[u8], u64> =
        before.conflicting_keys.iter().map(|(k, n)| (k.as_slice(), *n)).collect();
    let mut keys: Vec<(u64, &[u8])> = after
        .conflicting_keys
        .iter()
        .map(|(k, n)| (n - earlier.get(k.as_slice()).copied().unwrap_or(0), k.as_slice()))
        .filter(|(n, _)| *n > 0)
        .collect();
    keys.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    for (n, key) in keys.iter().take(12) {
        eprintln!("    {n:>6} on {}", show_key(key));
    }
}

/// A key with its string parts as text, the `0x00 0x01` that ends each of them as `/`, and
/// other bytes in hex.
fn show_key(key: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < key.len() {
        match key[i] {
            0 if key.get(i + 1) == Some(&1) => {
                out.push('/');
                i += 1;
            }
            b @ 0x21..=0x7e => out.push(b as char),
            b => out.push_str(&format!("\\x{b:02x}")),
        }
        i += 1;
    }
    out
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

/// The cursors of every page of 20 of `session`'s todo list.
fn pages(oa: &Oa, session: &oa::Session) -> Vec<PageRequest> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(20);
    loop {
        let got = oa.todo(session, TaskQuery::default(), page.clone()).expect("todo");
        let next = got.next_cursor.clone();
        out.push(page);
        match next {
            Some(c) => page = PageRequest::after(c, 20),
            None => return out,
        }
    }
}

fn bench_todo(c: &mut Criterion, fx: &TodoOffice) {
    let mut group = c.benchmark_group("workflow_todo_page");
    for (who, (session, count)) in [("typical", &fx.typical), ("busy", &fx.busy)] {
        let all = pages(&fx.oa, session);
        let listed: usize = all.len();
        assert_eq!(listed, count.div_ceil(20).max(1), "{who}: the todo list holds every task the plan sent there");
        let middle = all[all.len() / 2].clone();
        eprintln!(
            "  the {who} person has {count} tasks pending: {listed} pages of 20; the middle page is page {}",
            all.len() / 2 + 1
        );
        for (name, page) in [("first_page_of_20", PageRequest::first(20)), ("middle_page_of_20", middle)] {
            group.bench_function(format!("{who}/{name}"), |b| {
                b.iter(|| {
                    let got = fx.oa.todo(session, TaskQuery::default(), page.clone()).expect("todo");
                    assert_eq!(got.items.len(), 20.min(*count));
                    black_box(got)
                })
            });
        }
    }
    group.finish();
}

/// Whether this is a measuring run (`--bench` without `--test`) rather than a quick check.
fn full_run() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test")
}

fn main() {
    let full = full_run();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    bench_throughput(&mut c);

    let instances = match std::env::var("OA_BENCH_TODO_INSTANCES") {
        Ok(v) => v.trim().replace('_', "").parse().expect("OA_BENCH_TODO_INSTANCES is a number of claims"),
        Err(_) if full => 1_000_000,
        Err(_) => 2_000,
    };
    let people = if full { 10_000 } else { 400 };
    eprintln!("building the large office on memory: {people} people, {instances} claims");
    let fx = timed("the large office", || office::todo_office(MemoryStore::new(), people, instances));
    bench_todo(&mut c, &fx);
    c.final_summary();
}
