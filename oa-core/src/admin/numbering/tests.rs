//! Numbering: patterns, rules, assignment, resets and concurrency.

use std::collections::BTreeSet;
use std::sync::Arc;

use oa_storage::{MemoryStore, SledStore, Store, StoreExt};
use proptest::prelude::*;

use super::*;
use crate::admin::calendar::WorkCalendarSettings;

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn now() -> DateTime<Utc> {
    utc("2026-03-02T02:00:00Z")
}

fn rule(key: &str, pattern: &str, seq_width: u8, reset: SeqReset) -> NewNumberingRule {
    NewNumberingRule { key: key.into(), name: format!("{key} numbers"), pattern: pattern.into(), seq_width, reset }
}

fn create(store: &dyn Store, input: NewNumberingRule) -> OaResult<NumberingRule> {
    store.write(|tx| create_rule(tx, now(), &input))
}

fn take(store: &dyn Store, key: &str, at: DateTime<Utc>) -> String {
    store.write(|tx| next_number(tx, key, at, "test:owner")).unwrap()
}

fn paths(err: &OaError) -> Vec<String> {
    err.field_errors().iter().map(|f| f.path.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

#[test]
fn patterns_render() {
    let cases: &[(&str, u8, i32, u32, u64, &str)] = &[
        ("办〔{year}〕{seq}号", 0, 2026, 3, 15, "办〔2026〕15号"),
        ("HT-{year}-{seq:4}", 0, 2026, 3, 42, "HT-2026-0042"),
        ("HT-{year}-{seq:4}", 6, 2026, 3, 42, "HT-2026-0042"),
        ("HT-{year}-{seq}", 6, 2026, 3, 42, "HT-2026-000042"),
        ("{seq:2}", 0, 2026, 3, 12345, "12345"),
        ("{year}{month}-{seq:3}", 0, 2026, 3, 7, "202603-007"),
        ("签〔{year}〕第{seq}号", 0, 999, 12, 1, "签〔0999〕第1号"),
        ("{{{seq}}}", 0, 2026, 1, 5, "{5}"),
        ("a}}b{{c{seq}", 0, 2026, 1, 5, "a}b{c5"),
    ];
    for (pattern, width, year, month, seq, expected) in cases {
        let p = Pattern::parse(pattern).unwrap();
        assert_eq!(p.render(*year, *month, *seq, *width), *expected, "{pattern}");
    }
}

#[test]
fn bad_patterns_are_refused_on_pattern() {
    let cases: &[(&str, SeqReset, &str)] = &[
        ("办〔{year}〕号", SeqReset::Yearly, "must contain {seq}"),
        ("{year}-{type}-{seq}", SeqReset::Yearly, "unknown placeholder `{type}`"),
        ("{year}-{Seq}", SeqReset::Yearly, "unknown placeholder `{Seq}`"),
        ("{year}-{seq", SeqReset::Yearly, "unclosed `{seq`"),
        ("{year}-{seq}}", SeqReset::Yearly, "unmatched `}`"),
        ("{year}-{seq}-{seq:3}", SeqReset::Yearly, "only once"),
        ("{year}-{seq:0}", SeqReset::Yearly, "width from 1 to 12"),
        ("{year}-{seq:13}", SeqReset::Yearly, "width from 1 to 12"),
        ("{year}-{seq:+4}", SeqReset::Yearly, "width from 1 to 12"),
        ("{year}-{seq:x}", SeqReset::Yearly, "width from 1 to 12"),
        ("", SeqReset::Never, "must not be empty"),
        ("   ", SeqReset::Never, "must not be empty"),
        ("a\n{seq}", SeqReset::Never, "control characters"),
        ("HT-{seq}", SeqReset::Yearly, "must contain {year}"),
        ("HT-{year}-{seq}", SeqReset::Monthly, "must contain {year} and {month}"),
        ("HT-{month}-{seq}", SeqReset::Monthly, "must contain {year} and {month}"),
    ];
    let store = MemoryStore::new();
    for (pattern, reset, reason) in cases {
        let err = create(&store, rule("doc", pattern, 0, *reset)).unwrap_err();
        assert_eq!(paths(&err), ["pattern"], "{pattern}: {err}");
        assert!(err.to_string().contains(reason), "{pattern}: {err}");
    }
    let long = format!("{}{{seq}}", "文".repeat(100));
    assert_eq!(paths(&create(&store, rule("doc", &long, 0, SeqReset::Never)).unwrap_err()), ["pattern"]);
    // A rule that never resets needs neither year nor month.
    create(&store, rule("doc", "HT-{seq:5}", 0, SeqReset::Never)).unwrap();
}

#[test]
fn rule_validation_names_every_field() {
    let store = MemoryStore::new();
    let err = create(
        &store,
        NewNumberingRule {
            key: "Office Doc".into(),
            name: " ".into(),
            pattern: "{nope}".into(),
            seq_width: 13,
            reset: SeqReset::Yearly,
        },
    )
    .unwrap_err();
    assert_eq!(paths(&err), ["key", "name", "seq_width", "pattern"], "{err}");
    assert!(err.to_string().contains("`Office Doc`"), "{err}");

    create(&store, rule("office_doc", "办〔{year}〕{seq}号", 0, SeqReset::Yearly)).unwrap();
    let err = create(&store, rule("office_doc", "办〔{year}〕{seq}号", 0, SeqReset::Yearly)).unwrap_err();
    assert_eq!(paths(&err), ["key"]);
    assert!(err.to_string().contains("already exists"), "{err}");
    let err = create(&store, rule(&"k".repeat(65), "{seq}", 0, SeqReset::Never)).unwrap_err();
    assert_eq!(paths(&err), ["key"]);
}

// ---------------------------------------------------------------------------------------------
// Assignment
// ---------------------------------------------------------------------------------------------

#[test]
fn numbers_count_up_and_are_recorded() {
    let store = MemoryStore::new();
    create(&store, rule("office_doc", "办〔{year}〕{seq}号", 0, SeqReset::Yearly)).unwrap();
    assert_eq!(store.read(|tx| preview(tx, "office_doc", now())).unwrap(), "办〔2026〕1号");
    assert_eq!(store.read(|tx| preview(tx, "office_doc", now())).unwrap(), "办〔2026〕1号", "a preview takes nothing");
    assert_eq!(take(&store, "office_doc", now()), "办〔2026〕1号");
    assert_eq!(take(&store, "office_doc", now()), "办〔2026〕2号");
    let issued =
        store.write(|tx| issue(tx, "office_doc", now(), "  contract:01J  ", Some(PersonId(crate::id::Id(7))))).unwrap();
    assert_eq!(issued.number, "办〔2026〕3号");
    assert_eq!((issued.seq, issued.period.as_str(), issued.owner.as_str()), (3, "2026", "contract:01J"));

    let found = store.read(|tx| get_issued(tx, "office_doc", "办〔2026〕3号")).unwrap();
    assert_eq!(found, issued);
    assert_eq!(store.read(|tx| get_issued(tx, "office_doc", "办〔2026〕9号")).unwrap_err().code(), "not_found");
    assert_eq!(store.read(|tx| get_issued(tx, "other", "办〔2026〕3号")).unwrap_err().code(), "not_found");
}

#[test]
fn a_rolled_back_assignment_consumes_nothing() {
    let store = MemoryStore::new();
    create(&store, rule("c", "HT-{year}-{seq:4}", 0, SeqReset::Yearly)).unwrap();
    let failed: OaResult<()> = store.write(|tx| {
        next_number(tx, "c", now(), "contract:1")?;
        Err(OaError::InvalidState("the caller changed its mind".into()))
    });
    assert!(failed.is_err());
    assert_eq!(take(&store, "c", now()), "HT-2026-0001");
}

#[test]
fn unknown_rules_and_bad_owners_are_refused() {
    let store = MemoryStore::new();
    let err = store.write(|tx| next_number(tx, "nope", now(), "x")).unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(store.read(|tx| preview(tx, "nope", now())).unwrap_err().code(), "not_found");
    create(&store, rule("c", "{seq}", 0, SeqReset::Never)).unwrap();
    for owner in ["", "  ", "a\tb", &"x".repeat(201)] {
        let err = store.write(|tx| next_number(tx, "c", now(), owner)).unwrap_err();
        assert_eq!(paths(&err), ["owner"], "{owner:?}");
    }
    assert_eq!(take(&store, "c", now()), "1", "refused owners took no number");
}

#[test]
fn yearly_sequences_restart_on_new_year_in_the_office_zone() {
    let store = MemoryStore::new();
    create(&store, rule("doc", "办〔{year}〕{seq}号", 0, SeqReset::Yearly)).unwrap();
    // 23:59:59 on 31 December in Beijing (+08:00), then midnight.
    assert_eq!(take(&store, "doc", utc("2026-12-31T15:59:59Z")), "办〔2026〕1号");
    assert_eq!(take(&store, "doc", utc("2026-12-31T15:59:59Z")), "办〔2026〕2号");
    assert_eq!(take(&store, "doc", utc("2026-12-31T16:00:00Z")), "办〔2027〕1号");
    // Back in 2026 (a clock set back, a late assignment): the 2026 counter goes on.
    assert_eq!(take(&store, "doc", utc("2026-06-01T00:00:00Z")), "办〔2026〕3号");

    // In an office on UTC the same instant is still 2027's eve... of 2026.
    let utc_office = MemoryStore::new();
    utc_office
        .write(|tx| {
            let settings = WorkCalendarSettings { utc_offset: "+00:00".into(), ..WorkCalendarSettings::default() };
            crate::admin::calendar::store::write_settings(tx, now(), &settings)
        })
        .unwrap();
    create(&utc_office, rule("doc", "办〔{year}〕{seq}号", 0, SeqReset::Yearly)).unwrap();
    assert_eq!(take(&utc_office, "doc", utc("2026-12-31T16:00:00Z")), "办〔2026〕1号");
    assert_eq!(take(&utc_office, "doc", utc("2027-01-01T00:00:00Z")), "办〔2027〕1号");
}

#[test]
fn monthly_and_never_resets() {
    let store = MemoryStore::new();
    create(&store, rule("m", "{year}{month}-{seq:3}", 0, SeqReset::Monthly)).unwrap();
    create(&store, rule("n", "HT-{year}-{seq:4}", 0, SeqReset::Never)).unwrap();
    let jan = utc("2026-01-31T15:59:00Z");
    let feb = utc("2026-01-31T16:00:00Z");
    let next_year = utc("2027-02-01T00:00:00Z");
    assert_eq!(take(&store, "m", jan), "202601-001");
    assert_eq!(take(&store, "m", jan), "202601-002");
    assert_eq!(take(&store, "m", feb), "202602-001");
    assert_eq!(take(&store, "n", jan), "HT-2026-0001");
    assert_eq!(take(&store, "n", feb), "HT-2026-0002");
    assert_eq!(take(&store, "n", next_year), "HT-2027-0003", "one sequence for ever");
    let issued = store.read(|tx| get_issued(tx, "n", "HT-2027-0003")).unwrap();
    assert_eq!(issued.period, "all");
}

#[test]
fn a_changed_rule_keeps_its_counters_and_never_repeats_a_number() {
    let store = MemoryStore::new();
    create(&store, rule("doc", "A-{year}-{seq}", 0, SeqReset::Never)).unwrap();
    for _ in 0..3 {
        take(&store, "doc", now());
    }
    let change = |patch: NumberingRulePatch| store.write(|tx| update_rule(tx, now(), "doc", &patch));
    let (before, after) =
        change(NumberingRulePatch { pattern: Some("B-{year}-{seq:3}".into()), ..Default::default() }).unwrap();
    assert_eq!(describe_change(&before, &after), "pattern `A-{year}-{seq}` → `B-{year}-{seq:3}`");
    assert_eq!(take(&store, "doc", now()), "B-2026-004", "the counter goes on");

    // Back to the old pattern, now restarting every year: the 2026 counter is new, but the
    // numbers A-2026-1..3 were issued, so the sequence moves past them.
    change(NumberingRulePatch {
        pattern: Some("A-{year}-{seq}".into()),
        reset: Some(SeqReset::Yearly),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(store.read(|tx| preview(tx, "doc", now())).unwrap(), "A-2026-4");
    assert_eq!(take(&store, "doc", now()), "A-2026-4");
    assert_eq!(take(&store, "doc", now()), "A-2026-5");

    // A change is validated as a whole: yearly needs the year.
    let err = change(NumberingRulePatch { pattern: Some("A-{seq}".into()), ..Default::default() }).unwrap_err();
    assert_eq!(paths(&err), ["pattern"]);
    let err = change(NumberingRulePatch { name: Some(String::new()), seq_width: Some(20), ..Default::default() })
        .unwrap_err();
    assert_eq!(paths(&err), ["name", "seq_width"]);
    let missing = store.write(|tx| update_rule(tx, now(), "nope", &NumberingRulePatch::default())).unwrap_err();
    assert_eq!(missing.code(), "not_found");
    assert_eq!(store.read(|tx| list_rules(tx)).unwrap().len(), 1);
}

/// N threads each assign M numbers: N×M distinct numbers, the sequence 1..=N×M without a gap.
fn concurrent_assignment(store: Arc<dyn Store>) {
    const THREADS: usize = 8;
    const EACH: usize = 25;
    create(&*store, rule("t", "T-{year}-{seq}", 0, SeqReset::Yearly)).unwrap();
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let store = store.clone();
            std::thread::spawn(move || {
                (0..EACH)
                    .map(|j| store.write(|tx| next_number(tx, "t", now(), &format!("thread:{i}:{j}"))).unwrap())
                    .collect::<Vec<String>>()
            })
        })
        .collect();
    let numbers: Vec<String> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let distinct: BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(distinct.len(), THREADS * EACH, "no number twice");
    let mut seqs: Vec<usize> = numbers.iter().map(|n| n.strip_prefix("T-2026-").unwrap().parse().unwrap()).collect();
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=THREADS * EACH).collect::<Vec<_>>(), "no gap");
    for n in &numbers {
        assert!(store.read(|tx| get_issued(tx, "t", n)).unwrap().owner.starts_with("thread:"));
    }
}

#[test]
fn concurrent_assignments_never_repeat_on_memory() {
    concurrent_assignment(Arc::new(MemoryStore::new()));
}

#[test]
fn concurrent_assignments_never_repeat_on_sled() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_assignment(Arc::new(SledStore::open(dir.path().join("office")).unwrap()));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// A piece of a generated pattern.
#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Year,
    Month,
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        "[^{}\\p{Cc}]{1,6}".prop_map(Piece::Text),
        Just(Piece::Text("{".into())),
        Just(Piece::Text("}".into())),
        Just(Piece::Year),
        Just(Piece::Month),
    ]
}

proptest! {
    #[test]
    fn pattern_parsing_never_panics(text in "\\PC{0,30}") {
        if let Ok(p) = Pattern::parse(&text) {
            // A pattern that parses renders without panicking, whatever the numbers.
            let _ = p.render(2026, 12, u64::MAX, MAX_SEQ_WIDTH);
        }
    }

    #[test]
    fn generated_patterns_parse_and_render(
        before in proptest::collection::vec(piece(), 0..5),
        after in proptest::collection::vec(piece(), 0..5),
        width in proptest::option::of(1u8..=12),
        seq in 0u64..10_000_000,
        year in 1900i32..=9999,
        month in 1u32..=12,
    ) {
        let (mut text, mut expected) = (String::new(), String::new());
        let write = |pieces: &[Piece], text: &mut String, expected: &mut String| {
            for p in pieces {
                match p {
                    Piece::Text(t) => {
                        text.push_str(&t.replace('{', "{{").replace('}', "}}"));
                        expected.push_str(t);
                    }
                    Piece::Year => { text.push_str("{year}"); expected.push_str(&format!("{year:04}")); }
                    Piece::Month => { text.push_str("{month}"); expected.push_str(&format!("{month:02}")); }
                }
            }
        };
        write(&before, &mut text, &mut expected);
        match width {
            Some(w) => { text.push_str(&format!("{{seq:{w}}}")); expected.push_str(&format!("{seq:0w$}", w = usize::from(w))); }
            None => { text.push_str("{seq}"); expected.push_str(&seq.to_string()); }
        }
        write(&after, &mut text, &mut expected);
        prop_assume!(text.chars().count() <= 100 && !text.trim().is_empty());
        let p = Pattern::parse(&text).unwrap();
        prop_assert_eq!(p.render(year, month, seq, 0), expected);
        let all = before.iter().chain(&after);
        prop_assert_eq!(p.has_year(), all.clone().any(|x| matches!(x, Piece::Year)));
        prop_assert_eq!(p.has_month(), all.clone().any(|x| matches!(x, Piece::Month)));
    }
}
