use chrono::{DateTime, Duration, TimeZone, Utc};
use oa_storage::{MemoryStore, Store, StoreExt, WriteTxn};
use proptest::prelude::*;

use super::*;
use crate::error::OaError;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap_or_default()
}

fn person(n: u128) -> PersonId {
    PersonId(Id(n))
}

fn entry(at: DateTime<Utc>, actor: Option<u128>, operation: &str, target: Option<&str>) -> AuditEntry {
    AuditEntry {
        at,
        actor: actor.map(person),
        actor_login: actor.map(|a| format!("user{a}")),
        session: actor.map(|a| Id(a + 1000)),
        operation: operation.to_string(),
        target: target.map(str::to_string),
        outcome: AuditOutcome::Success,
        summary: format!("{operation} on {}", target.unwrap_or("-")),
    }
}

fn append_all(store: &MemoryStore, entries: Vec<AuditEntry>) {
    store
        .write(|tx| {
            for e in &entries {
                append(tx, e.clone())?;
            }
            Ok::<_, OaError>(())
        })
        .unwrap();
}

/// A log of `n` records, one minute apart, over 3 actors, 4 operations and 5 targets.
fn sample(n: u64) -> MemoryStore {
    let store = MemoryStore::new();
    let ops = ["org.person.create", "org.person.update", "perm.role.create", "admin.param.set"];
    let entries = (0..n)
        .map(|i| {
            entry(
                t0() + Duration::minutes(i as i64),
                Some(u128::from(i % 3) + 1),
                ops[(i % 4) as usize],
                Some(&format!("thing:{}", i % 5)),
            )
        })
        .collect();
    append_all(&store, entries);
    store
}

fn read<T>(store: &MemoryStore, f: impl FnMut(&mut dyn ReadTxn) -> OaResult<T>) -> OaResult<T> {
    store.read(f)
}

fn verify_store(store: &MemoryStore) -> ChainReport {
    read(store, verify).unwrap()
}

fn raw(store: &MemoryStore, seq: u64) -> Vec<u8> {
    store.get(record_key(seq).as_bytes()).unwrap().unwrap()
}

fn poke(store: &MemoryStore, f: impl Fn(&mut dyn WriteTxn) -> OaResult<()>) {
    store.write(|tx| f(tx)).unwrap();
}

#[test]
fn records_link_into_a_chain() {
    let store = sample(5);
    let mut prev = hex(&GENESIS);
    for seq in 1..=5 {
        let r = read(&store, |tx| get(tx, seq)).unwrap();
        assert_eq!(r.seq, seq);
        assert_eq!(r.prev_hash, prev);
        let prev_bytes = unhex32(&r.prev_hash).unwrap();
        assert_eq!(r.hash, hex(&chain_hash(&prev_bytes, &r)));
        prev = r.hash.clone();
    }
    let head: ChainHead = read(&store, |tx| read_head(tx)).unwrap().unwrap();
    assert_eq!(head, ChainHead { seq: 5, hash: prev.clone() });
    let report = verify_store(&store);
    assert_eq!(report, ChainReport { checked: 5, first_mismatch: None, problem: None, head_hash: prev });
    assert!(report.is_intact());
}

#[test]
fn an_empty_log_is_intact() {
    let store = MemoryStore::new();
    let report = verify_store(&store);
    assert!(report.is_intact());
    assert_eq!(report.checked, 0);
    assert_eq!(read(&store, |tx| get(tx, 1)).unwrap_err().code(), "not_found");
}

#[test]
fn appends_in_separate_transactions_continue_the_chain() {
    let store = sample(3);
    append_all(&store, vec![entry(t0(), None, "auth.sign_in", None)]);
    let r = read(&store, |tx| get(tx, 4)).unwrap();
    assert_eq!(r.actor, None);
    assert_eq!(verify_store(&store).checked, 4);
}

#[test]
fn hex_round_trips() {
    let bytes: [u8; 32] = std::array::from_fn(|i| (i * 37) as u8);
    assert_eq!(unhex32(&hex(&bytes)), Some(bytes));
    assert_eq!(unhex32("zz"), None);
    assert_eq!(unhex32(&"A".repeat(64)), None);
}

#[test]
fn canonical_encoding_tells_fields_apart() {
    let store = sample(1);
    let r = read(&store, |tx| get(tx, 1)).unwrap();
    let base = canonical_bytes(&GENESIS, &r);
    // Moving text from one field into its neighbour changes the encoding.
    let mut moved = r.clone();
    moved.operation = format!("{}x", r.operation);
    moved.target = r.target.as_ref().map(|t| t[1..].to_string());
    assert_ne!(base, canonical_bytes(&GENESIS, &moved));
    // An absent field differs from an empty one.
    let mut empty = r.clone();
    empty.target = Some(String::new());
    let mut absent = r.clone();
    absent.target = None;
    assert_ne!(canonical_bytes(&GENESIS, &empty), canonical_bytes(&GENESIS, &absent));
    // Sub-second time is covered.
    let mut later = r.clone();
    later.at += Duration::nanoseconds(1);
    assert_ne!(base, canonical_bytes(&GENESIS, &later));
    let mut other_prev = GENESIS;
    other_prev[31] = 1;
    assert_ne!(base, canonical_bytes(&other_prev, &r));
}

#[test]
fn verify_finds_an_edited_record() {
    let store = sample(6);
    let mut r = read(&store, |tx| get(tx, 3)).unwrap();
    r.summary = "nothing happened".into();
    poke(&store, |tx| db::put(tx, record_key(3).as_bytes(), &r));
    let report = verify_store(&store);
    assert_eq!(report.first_mismatch, Some(3));
    assert_eq!(report.checked, 2);
    assert!(report.problem.unwrap_or_default().contains("altered"));
}

#[test]
fn verify_finds_an_edit_with_a_recomputed_hash() {
    // Whoever rewrites a record and its hash breaks the link of the record after it.
    let store = sample(6);
    let mut r = read(&store, |tx| get(tx, 3)).unwrap();
    r.summary = "nothing happened".into();
    r.hash = hex(&chain_hash(&unhex32(&r.prev_hash).unwrap(), &r));
    poke(&store, |tx| db::put(tx, record_key(3).as_bytes(), &r));
    let report = verify_store(&store);
    assert_eq!(report.first_mismatch, Some(4));
    assert!(report.problem.unwrap_or_default().contains("does not link"));
}

#[test]
fn verify_finds_a_deleted_record() {
    let store = sample(6);
    poke(&store, |tx| Ok(tx.delete(record_key(4).as_bytes())?));
    let report = verify_store(&store);
    assert_eq!(report.first_mismatch, Some(4));
    assert_eq!(report.checked, 3);
    assert!(report.problem.unwrap_or_default().contains("missing"));
}

#[test]
fn verify_finds_swapped_records() {
    let store = sample(6);
    let (a, b) = (raw(&store, 2), raw(&store, 5));
    poke(&store, |tx| {
        tx.put(record_key(2).as_bytes(), &b)?;
        tx.put(record_key(5).as_bytes(), &a)?;
        Ok(())
    });
    assert_eq!(verify_store(&store).first_mismatch, Some(2));
}

#[test]
fn verify_finds_renumbered_records() {
    // Swapping two neighbours and fixing their numbers still breaks the links.
    let store = sample(6);
    let mut r3 = read(&store, |tx| get(tx, 3)).unwrap();
    let mut r4 = read(&store, |tx| get(tx, 4)).unwrap();
    std::mem::swap(&mut r3.seq, &mut r4.seq);
    poke(&store, |tx| {
        db::put(tx, record_key(3).as_bytes(), &r4)?;
        db::put(tx, record_key(4).as_bytes(), &r3)
    });
    assert_eq!(verify_store(&store).first_mismatch, Some(3));
}

#[test]
fn verify_finds_a_truncated_tail() {
    let store = sample(6);
    poke(&store, |tx| Ok(tx.delete(record_key(6).as_bytes())?));
    let report = verify_store(&store);
    assert_eq!(report.first_mismatch, Some(6));
    assert_eq!(report.checked, 5);
}

#[test]
fn verify_finds_a_head_that_disagrees() {
    let store = sample(4);
    let r2 = read(&store, |tx| get(tx, 2)).unwrap();
    // A head moved back: record 3 lies beyond it.
    poke(&store, |tx| db::put(tx, head_key().as_bytes(), &ChainHead { seq: 2, hash: r2.hash.clone() }));
    assert_eq!(verify_store(&store).first_mismatch, Some(3));
    // A head with the right number and a wrong hash.
    poke(&store, |tx| db::put(tx, head_key().as_bytes(), &ChainHead { seq: 4, hash: r2.hash.clone() }));
    assert_eq!(verify_store(&store).first_mismatch, Some(4));
    // No head at all.
    poke(&store, |tx| Ok(tx.delete(head_key().as_bytes())?));
    assert_eq!(verify_store(&store).first_mismatch, Some(1));
}

#[test]
fn verify_walks_more_than_one_chunk() {
    let store = sample(1100);
    let report = verify_store(&store);
    assert!(report.is_intact());
    assert_eq!(report.checked, 1100);
}

#[test]
fn index_entries_are_written_with_the_record() {
    let store = sample(1);
    let r = read(&store, |tx| get(tx, 1)).unwrap();
    for key in [
        actor_prefix(person(1)).u64(1),
        operation_prefix(&r.operation).u64(1),
        target_prefix("thing:0").u64(1),
        time_space().time(r.at).u64(1),
    ] {
        assert!(store.get(key.as_bytes()).unwrap().is_some(), "{key:?}");
    }
}

// --- listing --------------------------------------------------------------------------------

fn list_all(store: &MemoryStore, q: &AuditQuery, limit: u32) -> Vec<u64> {
    let mut seqs = Vec::new();
    let mut request = PageRequest::first(limit);
    loop {
        let page = read(store, |tx| list(tx, q, &request)).unwrap();
        assert!(page.items.len() <= limit as usize);
        seqs.extend(page.items.iter().map(|r| r.seq));
        match page.next_cursor {
            Some(c) => request = PageRequest::after(c, limit),
            None => return seqs,
        }
    }
}

/// What a query should return, newest first, computed the slow way.
fn expected(store: &MemoryStore, n: u64, q: &AuditQuery) -> Vec<u64> {
    (1..=n).rev().filter(|&s| matches(q, &read(store, |tx| get(tx, s)).unwrap())).collect()
}

#[test]
fn unfiltered_lists_newest_first() {
    let store = sample(7);
    assert_eq!(list_all(&store, &AuditQuery::default(), 50), vec![7, 6, 5, 4, 3, 2, 1]);
}

#[test]
fn every_filter_selects_its_records() {
    let n = 60;
    let store = sample(n);
    let queries = [
        AuditQuery { actor: Some(person(2)), ..Default::default() },
        AuditQuery { operation: Some("perm.role.create".into()), ..Default::default() },
        AuditQuery { target: Some("thing:3".into()), ..Default::default() },
        AuditQuery { from: Some(t0() + Duration::minutes(10)), ..Default::default() },
        AuditQuery { to: Some(t0() + Duration::minutes(10)), ..Default::default() },
        AuditQuery {
            from: Some(t0() + Duration::minutes(10)),
            to: Some(t0() + Duration::minutes(20)),
            ..Default::default()
        },
        AuditQuery { actor: Some(person(1)), operation: Some("org.person.create".into()), ..Default::default() },
        AuditQuery {
            target: Some("thing:1".into()),
            actor: Some(person(3)),
            from: Some(t0() + Duration::minutes(5)),
            ..Default::default()
        },
        AuditQuery {
            operation: Some("admin.param.set".into()),
            from: Some(t0() + Duration::minutes(7)),
            to: Some(t0() + Duration::minutes(40)),
            ..Default::default()
        },
        AuditQuery { actor: Some(person(99)), ..Default::default() },
        AuditQuery { target: Some("thing".into()), ..Default::default() },
    ];
    for q in &queries {
        let want = expected(&store, n, q);
        for limit in [1, 3, 7, 100] {
            assert_eq!(list_all(&store, q, limit), want, "{q:?} limit {limit}");
        }
    }
    // The obvious counts, so `expected` is not trusted blindly.
    assert_eq!(expected(&store, n, &queries[0]).len(), 20);
    assert_eq!(expected(&store, n, &queries[2]).len(), 12);
    assert_eq!(expected(&store, n, &queries[5]), (11..=20).rev().collect::<Vec<_>>());
    assert!(expected(&store, n, &queries[9]).is_empty());
}

#[test]
fn time_range_bounds_are_exact_below_a_microsecond() {
    let store = MemoryStore::new();
    let at = t0() + Duration::nanoseconds(1500);
    append_all(&store, vec![entry(at, Some(1), "x", None)]);
    let q =
        |from: DateTime<Utc>, to: DateTime<Utc>| AuditQuery { from: Some(from), to: Some(to), ..Default::default() };
    assert_eq!(list_all(&store, &q(at, at + Duration::nanoseconds(1)), 10), vec![1]);
    assert!(list_all(&store, &q(at + Duration::nanoseconds(1), at + Duration::seconds(1)), 10).is_empty());
    assert!(list_all(&store, &q(t0(), at), 10).is_empty());
}

#[test]
fn a_clock_set_back_still_lists_by_time() {
    let store = MemoryStore::new();
    append_all(
        &store,
        vec![
            entry(t0() + Duration::hours(2), Some(1), "a", None),
            entry(t0(), Some(1), "b", None),
            entry(t0() + Duration::hours(1), Some(1), "c", None),
        ],
    );
    let q = AuditQuery { from: Some(t0()), ..Default::default() };
    assert_eq!(list_all(&store, &q, 1), vec![1, 3, 2]);
    let q = AuditQuery { to: Some(t0() + Duration::minutes(90)), ..Default::default() };
    assert_eq!(list_all(&store, &q, 1), vec![3, 2]);
}

#[test]
fn bad_queries_name_every_field() {
    let store = sample(2);
    let q = AuditQuery {
        from: Some(t0()),
        to: Some(t0()),
        operation: Some(" ".into()),
        target: Some(String::new()),
        ..Default::default()
    };
    let err = read(&store, |tx| list(tx, &q, &PageRequest::default())).unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["to", "operation", "target"]);
    let err = read(&store, |tx| list(tx, &AuditQuery::default(), &PageRequest::after("!!", 5))).unwrap_err();
    assert_eq!(err.field_errors()[0].path, "cursor");
}

#[test]
fn a_cursor_of_another_query_is_refused() {
    let store = sample(10);
    let by_actor = AuditQuery { actor: Some(person(1)), ..Default::default() };
    let page = read(&store, |tx| list(tx, &by_actor, &PageRequest::first(1))).unwrap();
    let cursor = page.next_cursor.unwrap();
    let by_target = AuditQuery { target: Some("thing:1".into()), ..Default::default() };
    let err = read(&store, |tx| list(tx, &by_target, &PageRequest::after(cursor.clone(), 1))).unwrap_err();
    assert_eq!(err.field_errors()[0].path, "cursor");
}

#[test]
fn operations_are_listed() {
    assert_eq!(OPERATIONS, ["list_audit", "get_audit_record", "verify_audit_chain"]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any change of one byte of any stored record is found, at that record.
    #[test]
    fn any_single_byte_corruption_is_detected(seq in 1u64..=5, at in any::<prop::sample::Index>(), xor in 1u8..=255) {
        let store = sample(5);
        let mut bytes = raw(&store, seq);
        let i = at.index(bytes.len());
        bytes[i] ^= xor;
        poke(&store, |tx| Ok(tx.put(record_key(seq).as_bytes(), &bytes)?));
        let report = verify_store(&store);
        prop_assert_eq!(report.first_mismatch, Some(seq));
        prop_assert_eq!(report.checked, seq - 1);
    }

    /// Any change of one byte of the chain head is found.
    #[test]
    fn any_single_byte_corruption_of_the_head_is_detected(at in any::<prop::sample::Index>(), xor in 1u8..=255) {
        let store = sample(3);
        let mut bytes = store.get(head_key().as_bytes()).unwrap().unwrap();
        let i = at.index(bytes.len());
        bytes[i] ^= xor;
        poke(&store, |tx| Ok(tx.put(head_key().as_bytes(), &bytes)?));
        prop_assert!(!verify_store(&store).is_intact());
    }
}

/// The hash of every entry of `store`, keys and values.
fn store_digest(store: &MemoryStore) -> String {
    let mut all = Sha256::new();
    for (k, v) in store.entries() {
        all.update((k.len() as u64).to_be_bytes());
        all.update(&k);
        all.update((v.len() as u64).to_be_bytes());
        all.update(&v);
    }
    hex(&all.finalize())
}

/// The hash of the head of the known log of [`sample`]`(7)`: the records' hashes come from
/// their typed fields, so they stay what they were whichever way the records are encoded.
const KNOWN_HEAD: &str = "26411a1cf51c104f6a44a5ae5472f509615902944483b2db6d26cbd30cdafdf7";

/// The chain of a known log, pinned: the records, their indexes and the head are the bytes this
/// release writes, whichever way the store runs its transactions.
#[test]
fn a_known_log_is_written_byte_for_byte_as_before() {
    let store = sample(7);
    let head: ChainHead = read(&store, |tx| read_head(tx)).unwrap().unwrap();
    assert_eq!(head.hash, KNOWN_HEAD);
    assert_eq!(store_digest(&store), "6ea5f5cbf2798812446e0216d93778c5696a5a72338ca68709ee9c6f1d561c1a");
}

/// The same log as releases before ids and instants were stored compactly wrote it, byte for
/// byte: it reads back as the same records and its chain still verifies, with the same hashes.
#[test]
fn a_log_written_with_ids_and_instants_as_text_still_verifies() {
    let store = sample(7);
    let records: Vec<AuditRecord> = (1..=7).map(|seq| read(&store, |tx| get(tx, seq)).unwrap()).collect();
    for r in &records {
        poke(&store, |tx| Ok(tx.put(record_key(r.seq).as_bytes(), &codec::encode_v1(r))?));
    }
    assert_eq!(store_digest(&store), "8f1772bc210dd5a97619dfc34dc9162c69800e0de4aa12d95001b6b8e9cff194");
    let report = verify_store(&store);
    assert!(report.is_intact(), "{report:?}");
    assert_eq!((report.checked, report.head_hash.as_str()), (7, KNOWN_HEAD));
    let again: Vec<AuditRecord> = (1..=7).map(|seq| read(&store, |tx| get(tx, seq)).unwrap()).collect();
    assert_eq!(again, records);
    // A record appended after them, in the new form, chains on from the old ones.
    append_all(&store, vec![entry(t0() + Duration::hours(1), Some(2), "org.person.update", None)]);
    let report = verify_store(&store);
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.checked, 8);
    assert_eq!(&raw(&store, 8)[..3], &[1, 0, codec::COMPACT as u8]);
    assert_eq!(&raw(&store, 1)[..3], &[1, 0, 1]);
    // A release from before, opening the store again, appends in the text form after the new
    // records: still as written.
    append_all(&store, vec![entry(t0() + Duration::hours(2), Some(3), "org.person.update", None)]);
    let ninth = read(&store, |tx| get(tx, 9)).unwrap();
    poke(&store, |tx| Ok(tx.put(record_key(9).as_bytes(), &codec::encode_v1(&ninth))?));
    assert_eq!(verify_store(&store).checked, 9);
    // A change of a byte of the text form is found as in the compact one.
    let mut bytes = codec::encode_v1(&ninth);
    let at = bytes.windows(4).position(|w| w == b"2026").unwrap();
    bytes[at + 3] = b'7';
    poke(&store, |tx| Ok(tx.put(record_key(9).as_bytes(), &bytes)?));
    assert_eq!(verify_store(&store).first_mismatch, Some(9));
}

/// Eight threads × 25 transactions append at once, each transaction also moving on a counter
/// of its own thread and one shared by all (read and written in the closure). The chain stays
/// intact and gap-free, and records come in the order their transactions committed: the shared
/// counter values they carry run 1, 2, 3… in chain order.
fn concurrent_appends(store: &dyn Store) {
    const THREADS: u64 = 8;
    const EACH: u64 = 25;
    std::thread::scope(|s| {
        for t in 0..THREADS {
            s.spawn(move || {
                for i in 0..EACH {
                    store
                        .write(|tx| {
                            let shared = tx.get(b"shared")?.map_or(0, |v| v[0] as u64 + 256 * v[1] as u64) + 1;
                            tx.put(b"shared", &[(shared % 256) as u8, (shared / 256) as u8])?;
                            tx.put(format!("own/{t}/{i:02}").as_bytes(), b"")?;
                            let target = format!("counter:{shared}");
                            append(tx, entry(t0(), Some(u128::from(t) + 1), "test.count", Some(&target)))
                        })
                        .unwrap();
                }
            });
        }
    });
    let report = store.read(verify).unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert_eq!(report.checked, THREADS * EACH);
    for seq in 1..=THREADS * EACH {
        let r = store.read(|tx| get(tx, seq)).unwrap();
        assert_eq!(r.target, Some(format!("counter:{seq}")), "record {seq} is the {seq}th transaction to commit");
    }
}

#[test]
fn concurrent_appends_keep_one_chain_in_commit_order_on_memory() {
    let store = MemoryStore::new();
    concurrent_appends(&store);
}

#[test]
fn concurrent_appends_keep_one_chain_in_commit_order_on_sled() {
    let dir = tempfile::tempdir().unwrap();
    let store = oa_storage::SledStore::open(dir.path().join("office")).unwrap();
    concurrent_appends(&store);
}

/// The audit log alone makes no two transactions conflict: each reads the chain head only at
/// its commit. Here the closures read nothing, so no commit can overturn them, whatever the
/// interleaving.
#[test]
fn appends_that_share_nothing_else_never_conflict_on_memory() {
    let store = MemoryStore::new();
    std::thread::scope(|s| {
        for t in 0..8u128 {
            let store = &store;
            s.spawn(move || {
                for i in 0..25 {
                    store
                        .write(|tx| {
                            tx.put(format!("own/{t}/{i:02}").as_bytes(), b"")?;
                            append(tx, entry(t0(), Some(t + 1), "test.own", None))
                        })
                        .unwrap();
                }
            });
        }
    });
    assert_eq!(read(&store, verify).unwrap().checked, 200);
    let stats = store.stats();
    assert_eq!((stats.commits, stats.conflicts), (200, 0));
}

/// A chain head that cannot be extended fails the transaction that appends, and nothing of it
/// is written: neither the record nor the operation's own change.
#[test]
fn a_damaged_head_fails_the_appending_transaction_whole() {
    let store = sample(2);
    poke(&store, |tx| db::put(tx, head_key().as_bytes(), &ChainHead { seq: 2, hash: "not hex".into() }));
    let before = store.entries();
    let r = store.write(|tx| {
        tx.put(b"the change", b"")?;
        append(tx, entry(t0(), Some(1), "test.damaged", None))
    });
    let err = r.unwrap_err();
    assert_eq!(err.code(), "storage");
    assert!(err.to_string().contains("malformed hash `not hex`"), "{err}");
    assert_eq!(store.entries(), before);
}
