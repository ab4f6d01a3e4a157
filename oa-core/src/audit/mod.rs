//! The audit log: an append-only, hash-chained record of every change, every denied attempt and
//! every sign-in, written in the transaction of what it records.
//!
//! # Keys
//!
//! | key | value |
//! | --- | --- |
//! | `audit.head` | the chain head: the last sequence number and the last hash |
//! | `audit.r/<seq u64>` | the record ([`AuditRecord`]) |
//! | `audit.a/<actor id>/<seq>` | index by actor (empty value) |
//! | `audit.o/<operation>/<seq>` | index by operation (empty value) |
//! | `audit.t/<target>/<seq>` | index by target (empty value) |
//! | `audit.at/<instant µs>/<seq>` | index by time (empty value); kept apart from the sequence because a settable clock may move backwards |
//!
//! Every index key ends with the record's sequence number (8 bytes, big-endian), so a record is
//! one `get` away from any index entry.
//!
//! # The chain
//!
//! Each record carries the hash of the record before it (`prev_hash`, all zeros for record 1)
//! and its own `hash`: SHA-256 over the *canonical encoding* defined below.
//! Editing a record's content breaks its own hash; rewriting its hash breaks the next record's
//! `prev_hash`; deleting or reordering records breaks the run of sequence numbers or the links.
//! The head names the last record, so removing records from the end while leaving the head is
//! seen too. What a chain alone cannot show is a rewrite of the whole tail *and* the head by
//! someone with write access to the store; anchoring the head hash outside the store (printing
//! it in a report, sending it elsewhere) closes that gap, and [`ChainReport::head_hash`] gives it.
//!
//! # The canonical encoding
//!
//! A record's hash is SHA-256 over these bytes, written out so that anyone can check a chain
//! outside oa. Version 1 is the concatenation of:
//!
//! 1. the tag `oa.audit.v1` (11 ASCII bytes);
//! 2. the previous record's hash: 32 raw bytes (all zeros before record 1);
//! 3. `seq`: 8 bytes, unsigned big-endian;
//! 4. `at`: whole seconds since the Unix epoch, 8 bytes signed big-endian, then the nanoseconds
//!    within the second, 4 bytes unsigned big-endian;
//! 5. `actor`: `0x00` when absent, else `0x01` and the id's 16 bytes;
//! 6. `actor_login`: `0x00` when absent, else `0x01` and the text as below;
//! 7. `session`: `0x00` when absent, else `0x01` and the id's 16 bytes;
//! 8. `operation`: text;
//! 9. `target`: `0x00` when absent, else `0x01` and the text;
//! 10. `outcome`: one byte, `1` success, `2` denied, `3` failed;
//! 11. `summary`: text.
//!
//! Text is its UTF-8 length in bytes (8 bytes, unsigned big-endian) followed by its UTF-8 bytes.
//! Every part has a fixed length or carries its own length, in a fixed order, so the encoding
//! is injective: two records that differ in any field (or in their previous hash) never have
//! the same encoding, and a hash collision would be a SHA-256 collision. Hashes are shown as
//! 64 lower-case hex digits.
//!
//! Besides the links, verification requires each stored record (and the head) to be exactly the
//! bytes this release writes for what they decode to, so that even a change that decodes to the
//! same fields is reported.

mod ops;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use std::ops::Bound;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use oa_storage::{Direction, KeyRange, ReadTxn, StoreError, WriteTxn};

use crate::codec::{self, Record};
use crate::db;
use crate::id::Id;
use crate::keys::{KeyBuf, KeyReader};
use crate::org::PersonId;
use crate::page::{self, Page, PageRequest};
use crate::{OaError, OaResult};

/// How an audited attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// The operation took effect.
    Success,
    /// The actor lacked the permission or the scope.
    Denied,
    /// The attempt failed (a wrong password, a locked account).
    Failed,
}

impl AuditOutcome {
    /// The byte that stands for the outcome in the canonical encoding; never reused.
    fn code(self) -> u8 {
        match self {
            AuditOutcome::Success => 1,
            AuditOutcome::Denied => 2,
            AuditOutcome::Failed => 3,
        }
    }
}

/// What a new audit record says, before it is numbered and chained.
#[derive(Debug, Clone)]
pub(crate) struct AuditEntry {
    pub(crate) at: DateTime<Utc>,
    pub(crate) actor: Option<PersonId>,
    pub(crate) actor_login: Option<String>,
    pub(crate) session: Option<Id>,
    pub(crate) operation: String,
    pub(crate) target: Option<String>,
    pub(crate) outcome: AuditOutcome,
    pub(crate) summary: String,
}

/// One record of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The record's place in the chain, from 1.
    pub seq: u64,
    /// When it happened.
    #[serde(with = "crate::codec::instant")]
    pub at: DateTime<Utc>,
    /// Who acted, if known.
    pub actor: Option<PersonId>,
    /// The login the actor used (also for failed sign-ins of unknown logins).
    pub actor_login: Option<String>,
    /// The session the actor acted in.
    pub session: Option<Id>,
    /// The operation (`org.person.create`, `auth.sign_in`).
    pub operation: String,
    /// What it acted on (`person:01J…`).
    pub target: Option<String>,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// A short account of what changed, never a secret.
    pub summary: String,
    /// The hash of the previous record (hex), all zeros for the first.
    pub prev_hash: String,
    /// SHA-256 over the previous hash and this record (hex).
    pub hash: String,
}

impl Record for AuditRecord {
    const KIND: &'static str = "audit record";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// Which audit records to list. Every filter is optional; they combine with "and".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// From this instant (included).
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (excluded).
    #[serde(default)]
    pub to: Option<DateTime<Utc>>,
    /// Only records of this actor.
    #[serde(default)]
    pub actor: Option<PersonId>,
    /// Only records of this operation.
    #[serde(default)]
    pub operation: Option<String>,
    /// Only records about this target.
    #[serde(default)]
    pub target: Option<String>,
}

/// The result of walking the hash chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainReport {
    /// How many records were checked and matched, from record 1 on.
    pub checked: u64,
    /// The first record that does not match (edited, missing, out of place, or disagreeing
    /// with the chain head), if any.
    pub first_mismatch: Option<u64>,
    /// What is wrong with the first mismatching record, in words; `None` when intact.
    #[serde(default)]
    pub problem: Option<String>,
    /// The hash of the last matching record (hex), to keep outside the store as an anchor.
    #[serde(default)]
    pub head_hash: String,
}

impl ChainReport {
    /// Whether the whole chain matched.
    pub fn is_intact(&self) -> bool {
        self.first_mismatch.is_none()
    }
}

/// The chain head: the last record's number and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ChainHead {
    seq: u64,
    hash: String,
}

impl Record for ChainHead {
    const KIND: &'static str = "audit chain head";
}

/// The hash before the first record.
const GENESIS: [u8; 32] = [0; 32];

/// The tag every canonical encoding starts with, naming the encoding's version.
const CANONICAL_TAG: &[u8] = b"oa.audit.v1";

pub(crate) fn head_key() -> KeyBuf {
    KeyBuf::new("audit.head")
}

pub(crate) fn record_key(seq: u64) -> KeyBuf {
    KeyBuf::new("audit.r").u64(seq)
}

fn records_range() -> KeyRange {
    KeyRange::prefix(KeyBuf::new("audit.r").as_bytes())
}

fn actor_prefix(actor: PersonId) -> KeyBuf {
    KeyBuf::new("audit.a").id(actor.0)
}

fn operation_prefix(operation: &str) -> KeyBuf {
    KeyBuf::new("audit.o").str(operation)
}

fn target_prefix(target: &str) -> KeyBuf {
    KeyBuf::new("audit.t").str(target)
}

fn time_space() -> KeyBuf {
    KeyBuf::new("audit.at")
}

/// The sequence number an index key or record key ends with.
fn trailing_seq(key: &[u8]) -> Option<u64> {
    let at = key.len().checked_sub(8)?;
    let tail: [u8; 8] = key[at..].try_into().ok()?;
    Some(u64::from_be_bytes(tail))
}

/// Lower-case hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// The 32 bytes written as 64 lower-case hex digits by [`hex`], or `None`.
fn unhex32(text: &str) -> Option<[u8; 32]> {
    fn digit(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        }
    }
    let raw = text.as_bytes();
    if raw.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = (digit(raw[2 * i])? << 4) | digit(raw[2 * i + 1])?;
    }
    Some(out)
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u64).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn put_opt<T>(out: &mut Vec<u8>, v: Option<T>, put: impl FnOnce(&mut Vec<u8>, T)) {
    match v {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            put(out, v);
        }
    }
}

/// The canonical encoding of a record, the bytes its hash is taken over; see the module
/// documentation ("The canonical encoding") for its definition, which this function is.
pub(crate) fn canonical_bytes(prev: &[u8; 32], r: &AuditRecord) -> Vec<u8> {
    let mut out = Vec::with_capacity(128 + r.operation.len() + r.summary.len());
    out.extend_from_slice(CANONICAL_TAG);
    out.extend_from_slice(prev);
    out.extend_from_slice(&r.seq.to_be_bytes());
    out.extend_from_slice(&r.at.timestamp().to_be_bytes());
    out.extend_from_slice(&r.at.timestamp_subsec_nanos().to_be_bytes());
    put_opt(&mut out, r.actor, |o, a| o.extend_from_slice(&a.0.to_bytes()));
    put_opt(&mut out, r.actor_login.as_deref(), put_str);
    put_opt(&mut out, r.session, |o, s| o.extend_from_slice(&s.to_bytes()));
    put_str(&mut out, &r.operation);
    put_opt(&mut out, r.target.as_deref(), put_str);
    out.push(r.outcome.code());
    put_str(&mut out, &r.summary);
    out
}

/// The hash of a record that follows a record hashed `prev`.
fn chain_hash(prev: &[u8; 32], r: &AuditRecord) -> [u8; 32] {
    Sha256::digest(canonical_bytes(prev, r)).into()
}

/// The chain head, or the empty chain's.
fn read_head(tx: &mut dyn ReadTxn) -> OaResult<Option<ChainHead>> {
    db::get(tx, head_key().as_bytes())
}

/// Appends `entry` to the chain inside the caller's transaction: numbers it, links it to the
/// previous record, writes it with its index entries and moves the chain head, all in `tx`.
///
/// The numbering and linking are deferred to the commit ([`WriteTxn::at_commit`]): every
/// transaction reads and writes the chain head, so on a store that runs closures side by side
/// and checks their reads, reading it in the closure would make every two concurrent operations
/// conflict. Deferred, it is read once the transaction is sure to commit, and records are
/// numbered in commit order. The caller must not read or write the audit keys itself.
pub(crate) fn append(tx: &mut dyn WriteTxn, entry: AuditEntry) -> OaResult<()> {
    tx.at_commit(Box::new(move |tx| chain(tx, entry)))?;
    Ok(())
}

/// The deferred part of [`append`]. Its failures are storage errors, the only kind a commit
/// carries back: a head that cannot be read, or names a malformed hash or the last possible
/// number, is damaged data.
fn chain(tx: &mut dyn WriteTxn, entry: AuditEntry) -> Result<(), StoreError> {
    let (last_seq, prev) = match read_head(tx.as_read()).map_err(damaged)? {
        None => (0, GENESIS),
        Some(head) => {
            let prev = unhex32(&head.hash).ok_or_else(|| {
                StoreError::Corrupted(format!("the audit chain head holds a malformed hash `{}`", head.hash))
            })?;
            (head.seq, prev)
        }
    };
    let seq = last_seq.checked_add(1).ok_or_else(|| StoreError::Corrupted("the audit log is full".into()))?;
    let mut record = AuditRecord {
        seq,
        at: entry.at,
        actor: entry.actor,
        actor_login: entry.actor_login,
        session: entry.session,
        operation: entry.operation,
        target: entry.target,
        outcome: entry.outcome,
        summary: entry.summary,
        prev_hash: hex(&prev),
        hash: String::new(),
    };
    record.hash = hex(&chain_hash(&prev, &record));

    db::put(tx, record_key(seq).as_bytes(), &record).map_err(damaged)?;
    if let Some(actor) = record.actor {
        tx.put(actor_prefix(actor).u64(seq).as_bytes(), &[])?;
    }
    tx.put(operation_prefix(&record.operation).u64(seq).as_bytes(), &[])?;
    if let Some(target) = &record.target {
        tx.put(target_prefix(target).u64(seq).as_bytes(), &[])?;
    }
    tx.put(time_space().time(record.at).u64(seq).as_bytes(), &[])?;
    db::put(tx, head_key().as_bytes(), &ChainHead { seq, hash: record.hash }).map_err(damaged)?;
    Ok(())
}

/// An error of the deferred append as the storage error it travels as. A conflict stays one, so
/// that a backend that runs deferred work at once still runs the transaction again.
fn damaged(e: OaError) -> StoreError {
    match e {
        OaError::Conflict(_) => StoreError::Conflict { attempts: 1 },
        other => StoreError::Corrupted(format!("the audit log: {other}")),
    }
}

/// Why a stored record does not belong where it is, or `None` when it does.
///
/// Besides the chain links, the stored bytes must be exactly the encoding of what they decode
/// to in the schema version they name: a change that decodes to the same fields (a renamed
/// optional field, a rewritten header) is still a change to the record. Records written before
/// [`codec::COMPACT`] keep their text form, and a release from before it, opening the store
/// again, goes on writing that form after newer records: either form is as written.
fn check_record(expected: u64, prev: &[u8; 32], key: &[u8], raw: &[u8]) -> Result<(AuditRecord, [u8; 32]), String> {
    let key_seq = KeyReader::new(key)
        .and_then(|mut r| {
            let n = r.u64()?;
            r.rest().is_empty().then_some(n)
        })
        .ok_or_else(|| format!("a malformed key stands where record {expected} should be"))?;
    if key_seq != expected {
        return Err(format!("record {expected} is missing (the next stored record is {key_seq})"));
    }
    let record: AuditRecord = codec::decode(raw).map_err(|e| format!("record {expected} cannot be read: {e}"))?;
    let (version, _) = codec::header(raw, AuditRecord::KIND).map_err(|e| format!("record {expected}: {e}"))?;
    let canonical =
        codec::encode_as(&record, version).map_err(|e| format!("record {expected} cannot be re-encoded: {e}"))?;
    if canonical != raw {
        return Err(format!("record {expected} has been altered (its stored bytes are not as written)"));
    }
    if record.seq != expected {
        return Err(format!("record {expected} holds the content of record {}", record.seq));
    }
    if record.prev_hash != hex(prev) {
        return Err(format!("record {expected} does not link to the record before it"));
    }
    let hash = chain_hash(prev, &record);
    if record.hash != hex(&hash) {
        return Err(format!("record {expected} has been altered (its hash does not match its content)"));
    }
    Ok((record, hash))
}

/// Walks the whole chain from record 1 and reports the first record that does not match: one
/// edited, deleted or moved, or a head that disagrees with the last record.
pub(crate) fn verify(tx: &mut dyn ReadTxn) -> OaResult<ChainReport> {
    const CHUNK: usize = 512;
    let mut window = records_range();
    let mut checked = 0u64;
    let mut prev = GENESIS;
    let mismatch = |checked: u64, prev: &[u8; 32], seq: u64, problem: String| ChainReport {
        checked,
        first_mismatch: Some(seq),
        problem: Some(problem),
        head_hash: hex(prev),
    };
    loop {
        let entries = tx.scan(&window, Direction::Forward, CHUNK)?;
        let exhausted = entries.len() < CHUNK;
        for (key, raw) in entries {
            let expected = checked + 1;
            match check_record(expected, &prev, &key, &raw) {
                Ok((_, hash)) => {
                    prev = hash;
                    checked = expected;
                }
                Err(problem) => return Ok(mismatch(checked, &prev, expected, problem)),
            }
            window.start = Bound::Excluded(key);
        }
        if exhausted {
            break;
        }
    }
    let head = match tx.get(head_key().as_bytes())? {
        None => None,
        Some(raw) => match codec::decode::<ChainHead>(&raw) {
            Ok(head) if codec::encode(&head).is_ok_and(|canonical| canonical == raw) => Some(head),
            Ok(_) => {
                let problem = "the chain head has been altered (its stored bytes are not as written)".to_string();
                return Ok(mismatch(checked, &prev, checked.max(1), problem));
            }
            Err(e) => {
                return Ok(mismatch(checked, &prev, checked.max(1), format!("the chain head cannot be read: {e}")))
            }
        },
    };
    let (head_seq, head_hash) = match head {
        None if checked == 0 => {
            return Ok(ChainReport { checked, first_mismatch: None, problem: None, head_hash: hex(&prev) })
        }
        None => {
            return Ok(mismatch(checked, &prev, 1, format!("the chain head is missing though {checked} records exist")))
        }
        Some(h) => (h.seq, h.hash),
    };
    if head_seq > checked {
        return Ok(mismatch(
            checked,
            &prev,
            checked + 1,
            format!("record {} is missing (the chain head names record {head_seq} as the last)", checked + 1),
        ));
    }
    if head_seq < checked {
        return Ok(mismatch(
            checked,
            &prev,
            head_seq + 1,
            format!("record {} lies beyond the chain head, which names record {head_seq} as the last", head_seq + 1),
        ));
    }
    if head_hash != hex(&prev) {
        return Ok(mismatch(
            checked,
            &prev,
            checked.max(1),
            format!("the chain head's hash disagrees with record {checked}"),
        ));
    }
    Ok(ChainReport { checked, first_mismatch: None, problem: None, head_hash: hex(&prev) })
}

/// The record numbered `seq`.
pub(crate) fn get(tx: &mut dyn ReadTxn, seq: u64) -> OaResult<AuditRecord> {
    db::get(tx, record_key(seq).as_bytes())?.ok_or_else(|| OaError::not_found("audit record", seq))
}

/// The index a query walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan<'q> {
    /// Records about one target (usually the fewest).
    Target(&'q str),
    /// Records of one actor.
    Actor(PersonId),
    /// Records of one operation.
    Operation(&'q str),
    /// Records in a time range.
    Time,
    /// Every record.
    All,
}

fn plan(q: &AuditQuery) -> Plan<'_> {
    if let Some(target) = q.target.as_deref() {
        Plan::Target(target)
    } else if let Some(actor) = q.actor {
        Plan::Actor(actor)
    } else if let Some(operation) = q.operation.as_deref() {
        Plan::Operation(operation)
    } else if q.from.is_some() || q.to.is_some() {
        Plan::Time
    } else {
        Plan::All
    }
}

/// Microseconds since the epoch, rounded up.
fn micros_ceil(t: DateTime<Utc>) -> i64 {
    let floor = t.timestamp_micros();
    if t.timestamp_subsec_nanos() % 1000 == 0 {
        floor
    } else {
        floor.saturating_add(1)
    }
}

fn validate_query(q: &AuditQuery) -> OaResult<()> {
    let mut problems = crate::error::Problems::new();
    if let (Some(from), Some(to)) = (q.from, q.to) {
        if to <= from {
            problems.add("to", format!("must be after `from` ({})", from.to_rfc3339()));
        }
    }
    if q.operation.as_deref().is_some_and(|o| o.trim().is_empty()) {
        problems.add("operation", "must not be empty; leave it out to list every operation");
    }
    if q.target.as_deref().is_some_and(|t| t.trim().is_empty()) {
        problems.add("target", "must not be empty; leave it out to list every target");
    }
    problems.finish()
}

fn matches(q: &AuditQuery, r: &AuditRecord) -> bool {
    q.from.is_none_or(|from| r.at >= from)
        && q.to.is_none_or(|to| r.at < to)
        && q.actor.is_none_or(|a| r.actor == Some(a))
        && q.operation.as_deref().is_none_or(|o| r.operation == o)
        && q.target.as_deref().is_none_or(|t| r.target.as_deref() == Some(t))
}

/// One page of the records matching `query`, newest first.
///
/// The most selective index the query names is walked (target, then actor, then operation,
/// then time) and the other filters are applied to each record it yields. "Newest first" is the
/// reverse order of recording, except for a query that filters by time alone: it walks the time
/// index, in reverse order of the records' instants (the same order unless the clock was set
/// back). A page's cursor belongs to the query it was read with.
pub(crate) fn list(tx: &mut dyn ReadTxn, query: &AuditQuery, request: &PageRequest) -> OaResult<Page<AuditRecord>> {
    validate_query(query)?;
    let (range, by_record_key) = match plan(query) {
        Plan::Target(target) => (KeyRange::prefix(target_prefix(target).as_bytes()), false),
        Plan::Actor(actor) => (KeyRange::prefix(actor_prefix(actor).as_bytes()), false),
        Plan::Operation(operation) => (KeyRange::prefix(operation_prefix(operation).as_bytes()), false),
        Plan::Time => {
            let mut range = KeyRange::prefix(time_space().as_bytes());
            if let Some(from) = query.from {
                range.start = Bound::Included(time_space().time(from).into_bytes());
            }
            if let Some(to) = query.to {
                range.end = Bound::Excluded(time_space().i64(micros_ceil(to)).into_bytes());
            }
            (range, false)
        }
        Plan::All => (records_range(), true),
    };
    page::scan_page(tx, &range, Direction::Backward, request, |tx, key, value| {
        let record: AuditRecord = if by_record_key {
            codec::decode(value)?
        } else {
            let Some(seq) = trailing_seq(key) else { return Ok(None) };
            // An index entry whose record is gone is skipped here; verifying the chain names
            // the missing record.
            match db::get(tx, record_key(seq).as_bytes())? {
                Some(r) => r,
                None => return Ok(None),
            }
        };
        Ok(matches(query, &record).then_some(record))
    })
}

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &["list_audit", "get_audit_record", "verify_audit_chain"];
