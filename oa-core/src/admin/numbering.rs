//! Document numbering (文号, and contract numbers such as `HT-2026-0042`): rules that turn a
//! sequence into the numbers people write on documents.
//!
//! A rule has a key (`office_doc`), a pattern (`办〔{year}〕{seq}号`) and a reset period. Its
//! sequence counts per period (a year, a month, or forever); the period, like the year and month
//! written into the number, is read in the office's time zone (the working calendar's, `+08:00`
//! unless set), so a number issued on 1 January at 00:30 in Beijing starts the new year.
//!
//! Pattern placeholders, deliberately few:
//!
//! | placeholder | writes |
//! | --- | --- |
//! | `{year}` | the year, four digits (`2026`) |
//! | `{month}` | the month, two digits (`03`) |
//! | `{seq}` | the sequence, zero-padded to the rule's `seq_width` (0: no padding) |
//! | `{seq:N}` | the sequence, zero-padded to `N` digits (1 to 12), whatever `seq_width` says |
//! | `{{`, `}}` | a literal brace |
//!
//! Every other character, Chinese brackets 〔〕 included, is written as it is. A pattern holds
//! `{seq}` exactly once. There is no `{type}`: a kind of document is a rule of its own, whose
//! pattern carries its prefix (`HT-`, `办`).
//!
//! Numbers are assigned inside the caller's serializable transaction (`next_number`): the
//! counter `admin.numseq/<rule>/<period>` is read, incremented and written back there, so two
//! assignments never get the same number and a rolled-back transaction leaves no gap. Every
//! number issued is recorded under `admin.numissued/<rule>/<number>` with its owner. Numbers are
//! never voided nor reused: a document withdrawn keeps its number. When a changed pattern or
//! reset period would render a number already issued, the sequence moves past it.

mod ops;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod ops_tests;
mod pattern;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use std::ops::Bound;

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Serialize};

use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};

use crate::codec::{self, Record};
use crate::db;
use crate::error::Problems;
use crate::keys::KeyBuf;
use crate::org::PersonId;
use crate::{OaError, OaResult};

use pattern::Pattern;
pub use pattern::MAX_SEQ_WIDTH;

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[
    "create_numbering_rule",
    "update_numbering_rule",
    "list_numbering_rules",
    "get_numbering_rule",
    "preview_next_number",
    "issue_number",
    "get_issued_number",
];

/// The longest rule key, in characters.
pub const MAX_KEY_LEN: usize = 64;
/// The longest rule name, in characters.
pub const MAX_NAME_LEN: usize = 100;
/// The longest owner of an issued number, in characters.
pub const MAX_OWNER_LEN: usize = 200;

/// When a rule's sequence starts again from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeqReset {
    /// Every 1 January (the pattern must hold `{year}`).
    Yearly,
    /// Every first of the month (the pattern must hold `{year}` and `{month}`).
    Monthly,
    /// Never: one sequence for ever.
    Never,
}

impl SeqReset {
    fn as_str(self) -> &'static str {
        match self {
            SeqReset::Yearly => "yearly",
            SeqReset::Monthly => "monthly",
            SeqReset::Never => "never",
        }
    }
}

/// A numbering rule (编号规则).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberingRule {
    /// The rule's key: unique, `[a-z0-9_]`, 1 to 64 characters (`office_doc`, `contract`).
    pub key: String,
    /// Its name, as people know it (发文字号).
    pub name: String,
    /// The pattern numbers are written with (`办〔{year}〕{seq}号`); see the module documentation.
    pub pattern: String,
    /// The width `{seq}` is zero-padded to; 0 for no padding.
    pub seq_width: u8,
    /// When the sequence starts again.
    pub reset: SeqReset,
    /// When it was created.
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(with = "crate::codec::instant")]
    pub updated_at: DateTime<Utc>,
}

impl Record for NumberingRule {
    const KIND: &'static str = "numbering rule";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// A new numbering rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewNumberingRule {
    /// The rule's key: unique, `[a-z0-9_]`, 1 to 64 characters.
    pub key: String,
    /// Its name (1 to 100 characters).
    pub name: String,
    /// The pattern (see the module documentation).
    pub pattern: String,
    /// The width `{seq}` is zero-padded to; 0 (the default) for no padding.
    #[serde(default)]
    pub seq_width: u8,
    /// When the sequence starts again.
    pub reset: SeqReset,
}

/// A change to a numbering rule: each field given replaces the rule's. The sequence counters
/// are kept: a new pattern goes on from the number the old one reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberingRulePatch {
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new pattern.
    #[serde(default)]
    pub pattern: Option<String>,
    /// A new padding width for `{seq}`.
    #[serde(default)]
    pub seq_width: Option<u8>,
    /// A new reset period. Counting starts from the counter of the new period, which may be 0:
    /// numbers already issued are skipped, never issued twice.
    #[serde(default)]
    pub reset: Option<SeqReset>,
}

/// A number that was issued, and to what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedNumber {
    /// The rule's key.
    pub rule: String,
    /// The number as written (`办〔2026〕15号`).
    pub number: String,
    /// Its place in the sequence of its period.
    pub seq: u64,
    /// The period it was counted in: `2026`, `2026-03`, or `all` for a rule that never resets.
    pub period: String,
    /// What it was issued to: a business key such as `contract:01J…` or a free text for a
    /// number issued by hand.
    pub owner: String,
    /// When it was issued.
    #[serde(with = "crate::codec::instant")]
    pub issued_at: DateTime<Utc>,
    /// Who issued it by hand; `None` when a workflow assigned it.
    pub issued_by: Option<PersonId>,
}

impl Record for IssuedNumber {
    const KIND: &'static str = "issued number";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// The next value of a sequence, as stored under `admin.numseq/<rule>/<period>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Counter {
    /// The last sequence number issued in the period.
    last: u64,
}

impl Record for Counter {
    const KIND: &'static str = "number sequence";
}

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

fn rule_space() -> KeyBuf {
    KeyBuf::new("admin.numrule")
}

fn rule_key(key: &str) -> KeyBuf {
    rule_space().str(key)
}

fn counter_key(rule: &str, period: &str) -> KeyBuf {
    KeyBuf::new("admin.numseq").str(rule).str(period)
}

fn issued_key(rule: &str, number: &str) -> KeyBuf {
    KeyBuf::new("admin.numissued").str(rule).str(number)
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

fn check_key(problems: &mut Problems, key: &str) {
    let len = key.chars().count();
    if len == 0 || len > MAX_KEY_LEN {
        problems.add("key", format!("must be 1 to {MAX_KEY_LEN} characters, got {len}"));
    } else if !key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        problems.add("key", format!("`{key}` may hold only lowercase letters, digits and `_`"));
    }
}

/// The name trimmed, or a problem on `name`.
fn check_name(problems: &mut Problems, name: &str) -> String {
    let name = name.trim();
    let len = name.chars().count();
    if len == 0 || len > MAX_NAME_LEN {
        problems.add("name", format!("must be 1 to {MAX_NAME_LEN} characters, got {len}"));
    } else if name.chars().any(char::is_control) {
        problems.add("name", "must not contain control characters such as line breaks");
    }
    name.to_string()
}

/// Checks the pattern, the width and the reset period together: a sequence that restarts every
/// year must write the year, or numbers would repeat.
fn check_format(problems: &mut Problems, pattern: &str, seq_width: u8, reset: SeqReset) {
    if seq_width > MAX_SEQ_WIDTH {
        problems.add("seq_width", format!("must be at most {MAX_SEQ_WIDTH}, got {seq_width}"));
    }
    match Pattern::parse(pattern) {
        Err(reason) => problems.add("pattern", reason),
        Ok(p) => {
            let (year, month) = (p.has_year(), p.has_month());
            match reset {
                SeqReset::Yearly if !year => problems.add(
                    "pattern",
                    "must contain {year} when the sequence restarts every year, or numbers would repeat",
                ),
                SeqReset::Monthly if !(year && month) => problems.add(
                    "pattern",
                    "must contain {year} and {month} when the sequence restarts every month, or numbers would repeat",
                ),
                _ => {}
            }
        }
    }
}

fn check_owner(owner: &str) -> OaResult<String> {
    let owner = owner.trim();
    let len = owner.chars().count();
    if len == 0 || len > MAX_OWNER_LEN {
        Err(OaError::invalid("owner", format!("must be 1 to {MAX_OWNER_LEN} characters, got {len}")))
    } else if owner.chars().any(char::is_control) {
        Err(OaError::invalid("owner", "must not contain control characters such as line breaks"))
    } else {
        Ok(owner.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// The rule `key`, or `not_found`.
pub(crate) fn get_rule(tx: &mut dyn ReadTxn, key: &str) -> OaResult<NumberingRule> {
    db::get(tx, rule_key(key).as_bytes())?.ok_or_else(|| OaError::not_found("numbering rule", key))
}

/// Every rule, in key order.
pub(crate) fn list_rules(tx: &mut dyn ReadTxn) -> OaResult<Vec<NumberingRule>> {
    const CHUNK: usize = 256;
    let mut window = KeyRange::prefix(rule_space().as_bytes());
    let mut out = Vec::new();
    loop {
        let entries = tx.scan(&window, Direction::Forward, CHUNK)?;
        let exhausted = entries.len() < CHUNK;
        for (k, v) in entries {
            out.push(codec::decode(&v)?);
            window.start = Bound::Excluded(k);
        }
        if exhausted {
            return Ok(out);
        }
    }
}

/// Validates and creates a rule. Paths: `key` (malformed, taken), `name`, `pattern`,
/// `seq_width`.
pub(crate) fn create_rule(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    input: &NewNumberingRule,
) -> OaResult<NumberingRule> {
    let mut problems = Problems::new();
    let key = input.key.trim();
    check_key(&mut problems, key);
    let name = check_name(&mut problems, &input.name);
    check_format(&mut problems, &input.pattern, input.seq_width, input.reset);
    if problems.is_empty() && db::exists(tx.as_read(), rule_key(key).as_bytes())? {
        problems.add("key", format!("a numbering rule `{key}` already exists"));
    }
    problems.finish()?;
    let rule = NumberingRule {
        key: key.to_string(),
        name,
        pattern: input.pattern.clone(),
        seq_width: input.seq_width,
        reset: input.reset,
        created_at: now,
        updated_at: now,
    };
    db::put(tx, rule_key(key).as_bytes(), &rule)?;
    Ok(rule)
}

/// Validates and applies a change to a rule, keeping its counters. Returns the rule before and
/// after.
pub(crate) fn update_rule(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    key: &str,
    patch: &NumberingRulePatch,
) -> OaResult<(NumberingRule, NumberingRule)> {
    let before = get_rule(tx.as_read(), key)?;
    let mut after = before.clone();
    let mut problems = Problems::new();
    if let Some(name) = &patch.name {
        after.name = check_name(&mut problems, name);
    }
    if let Some(pattern) = &patch.pattern {
        after.pattern = pattern.clone();
    }
    if let Some(width) = patch.seq_width {
        after.seq_width = width;
    }
    if let Some(reset) = patch.reset {
        after.reset = reset;
    }
    check_format(&mut problems, &after.pattern, after.seq_width, after.reset);
    problems.finish()?;
    after.updated_at = now;
    db::put(tx, rule_key(key).as_bytes(), &after)?;
    Ok((before, after))
}

/// A one-line account of what a patch changed, for the audit log.
pub(crate) fn describe_change(before: &NumberingRule, after: &NumberingRule) -> String {
    let mut parts = Vec::new();
    if before.name != after.name {
        parts.push(format!("name `{}` → `{}`", before.name, after.name));
    }
    if before.pattern != after.pattern {
        parts.push(format!("pattern `{}` → `{}`", before.pattern, after.pattern));
    }
    if before.seq_width != after.seq_width {
        parts.push(format!("width {} → {}", before.seq_width, after.seq_width));
    }
    if before.reset != after.reset {
        parts.push(format!("reset {} → {}", before.reset.as_str(), after.reset.as_str()));
    }
    if parts.is_empty() {
        "no change".into()
    } else {
        parts.join(", ")
    }
}

/// A one-line account of a rule, for the audit log.
pub(crate) fn describe_rule(rule: &NumberingRule) -> String {
    format!("`{}` ({}), reset {}", rule.pattern, rule.name, rule.reset.as_str())
}

// ---------------------------------------------------------------------------------------------
// Assignment
// ---------------------------------------------------------------------------------------------

/// The number a rule would assign at `at`, with its sequence and period and the counter's key.
struct Next {
    number: String,
    seq: u64,
    period: String,
    counter: KeyBuf,
}

/// Works out the next number of `rule` at `at` without writing: the counter of the period plus
/// one, moved past any number already issued under this rule.
fn next(tx: &mut dyn ReadTxn, rule: &NumberingRule, at: DateTime<Utc>) -> OaResult<Next> {
    let pattern = Pattern::parse(&rule.pattern).map_err(|reason| {
        OaError::Internal(format!("stored numbering rule `{}` has a bad pattern: {reason}", rule.key))
    })?;
    let local = at.with_timezone(&crate::admin::calendar::office_offset(tx)?);
    let (year, month) = (local.year(), local.month());
    let period = match rule.reset {
        SeqReset::Yearly => format!("{year:04}"),
        SeqReset::Monthly => format!("{year:04}-{month:02}"),
        SeqReset::Never => "all".to_string(),
    };
    let counter = counter_key(&rule.key, &period);
    let last = db::get::<Counter>(tx, counter.as_bytes())?.map_or(0, |c| c.last);
    let exhausted = || OaError::InvalidState(format!("the sequence of numbering rule `{}` is exhausted", rule.key));
    let mut seq = last.checked_add(1).ok_or_else(exhausted)?;
    // Each pass skips a number already issued under this rule (after a pattern or reset
    // change), so the loop ends within the count of numbers issued.
    loop {
        let number = pattern.render(year, month, seq, rule.seq_width);
        if !db::exists(tx, issued_key(&rule.key, &number).as_bytes())? {
            return Ok(Next { number, seq, period, counter });
        }
        seq = seq.checked_add(1).ok_or_else(exhausted)?;
    }
}

/// Issues the next number of rule `rule_key` at `at` to `owner`, recording who issued it.
pub(crate) fn issue(
    tx: &mut dyn WriteTxn,
    rule_key: &str,
    at: DateTime<Utc>,
    owner: &str,
    issued_by: Option<PersonId>,
) -> OaResult<IssuedNumber> {
    let owner = check_owner(owner)?;
    let rule = get_rule(tx.as_read(), rule_key)?;
    let next = next(tx.as_read(), &rule, at)?;
    db::put(tx, next.counter.as_bytes(), &Counter { last: next.seq })?;
    let issued = IssuedNumber {
        rule: rule.key.clone(),
        number: next.number,
        seq: next.seq,
        period: next.period,
        owner,
        issued_at: at,
        issued_by,
    };
    db::put(tx, issued_key(&rule.key, &issued.number).as_bytes(), &issued)?;
    Ok(issued)
}

/// Assigns the next number of rule `rule_key` at instant `at` to `owner` (a business key such as
/// `contract:01J…` or `workflow:01J…`), inside the caller's transaction.
///
/// This is how the workflow engine numbers a document at the node that assigns numbers. The
/// counter is read and written in the caller's serializable transaction, so concurrent callers
/// never get the same number, and if the caller's transaction rolls back the number is not
/// consumed. The year and month are read in the office's time zone. Fails with `not_found` for
/// an unknown rule and a validation error on `owner` for an empty or over-long owner.
// The workflow engine's entry point; unused until it lands.
#[allow(dead_code)]
pub(crate) fn next_number(tx: &mut dyn WriteTxn, rule_key: &str, at: DateTime<Utc>, owner: &str) -> OaResult<String> {
    issue(tx, rule_key, at, owner, None).map(|i| i.number)
}

/// The number rule `rule_key` would assign at `at`, without consuming it.
pub(crate) fn preview(tx: &mut dyn ReadTxn, rule_key: &str, at: DateTime<Utc>) -> OaResult<String> {
    let rule = get_rule(tx, rule_key)?;
    next(tx, &rule, at).map(|n| n.number)
}

/// The record of an issued number, or `not_found`.
pub(crate) fn get_issued(tx: &mut dyn ReadTxn, rule_key: &str, number: &str) -> OaResult<IssuedNumber> {
    db::get(tx, issued_key(rule_key, number).as_bytes())?
        .ok_or_else(|| OaError::not_found("issued number", format!("{rule_key}/{number}")))
}
