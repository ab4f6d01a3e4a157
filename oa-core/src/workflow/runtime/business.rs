//! Business keys for modules that live outside the Rust process: declared business types and
//! the feed of how their instances ended.
//!
//! A Rust module moves its object in the ending transaction through a
//! [`super::BusinessHandler`]. An application built on a frontend (Python, the web, mobile)
//! cannot hand the engine a callback that runs inside a store transaction, so it declares a
//! *business type* instead ([`Oa::declare_business_type`]): instances may then carry business
//! keys of that prefix, and each one that ends appends a [`BusinessEvent`] to the type's feed
//! in the transaction that ends it (a transactional outbox). The application reads the feed
//! after the last sequence number it handled ([`Oa::business_events`]) and moves its own
//! object; reading again from the same number gives the same events, so a consumer that
//! crashed between handling and remembering simply handles them again.
//!
//! Every ending with a business key appends an event, whether a Rust handler or a declared
//! type covers the prefix, so any consumer can follow any module's approvals.
//!
//! Sequence numbers are one counter per type (`wf.bseq/<prefix>`), read and incremented in the ending transaction:
//! two instances ending at once conflict on it and one retries, so numbers follow commit order
//! without gaps, across several processes sharing one database. A consumer that remembers the
//! last number it handled never misses an event committed after it read.

use std::ops::Bound;

use chrono::{DateTime, Utc};
use oa_storage::{Direction, KeyRange, WriteTxn};
use serde::{Deserialize, Serialize};

use super::handler::{has_handler, prefix_of, InstanceEnd};
use super::model::{InstanceId, InstanceStatus};
use super::{INSTANCE_READ, PROCESS_PUBLISH};
use crate::codec::Record;
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::error::Problems;
use crate::org::{DeptId, PersonId};
use crate::{db, OaError, OaResult};

/// The longest description of a business type, in characters.
pub const MAX_BUSINESS_TYPE_DESCRIPTION_LEN: usize = 200;
/// The most events one call of [`Oa::business_events`] returns.
pub const MAX_BUSINESS_EVENTS: u32 = 1000;

/// A kind of business object whose instances are followed through the event feed (业务类型).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessType {
    /// The prefix of its business keys (`purchase` for `purchase:PO-2026-001`).
    pub prefix: String,
    /// What its objects are, for administrators.
    pub description: String,
    /// Who declared it.
    pub declared_by: PersonId,
    /// When.
    #[serde(with = "crate::codec::instant")]
    pub declared_at: DateTime<Utc>,
    /// How many events its feed holds: the sequence number of the latest one (read from the
    /// feed's counter when the type is returned).
    #[serde(default)]
    pub last_seq: u64,
}

impl Record for BusinessType {
    const KIND: &'static str = "business type";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// How one instance linked to a business object ended, as the feed of its type tells it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BusinessEvent {
    /// Its place in the feed of its type, from 1, without gaps.
    pub seq: u64,
    /// The business key (`purchase:PO-2026-001`).
    pub business_key: String,
    /// The instance.
    pub instance: InstanceId,
    /// The process's key.
    pub process_key: String,
    /// How it ended: approved, rejected, withdrawn or terminated.
    pub outcome: InstanceStatus,
    /// The document number assigned, if any.
    #[serde(default)]
    pub number: Option<String>,
    /// Who started the instance.
    pub initiator: PersonId,
    /// The initiator's department when it started.
    pub initiator_dept: DeptId,
    /// When it ended.
    #[serde(with = "crate::codec::instant")]
    pub at: DateTime<Utc>,
}

impl Record for BusinessEvent {
    const KIND: &'static str = "business event";
    const VERSION: u16 = crate::codec::COMPACT;
}

mod keys {
    use crate::keys::KeyBuf;

    /// `wf.btype/<prefix>` → [`super::BusinessType`].
    pub(super) fn business_type(prefix: &str) -> KeyBuf {
        KeyBuf::new("wf.btype").str(prefix)
    }
    /// Prefix of every business type.
    pub(super) fn business_types() -> KeyBuf {
        KeyBuf::new("wf.btype")
    }
    /// `wf.bev/<prefix>/<seq u64>` → [`super::BusinessEvent`].
    pub(super) fn event(prefix: &str, seq: u64) -> KeyBuf {
        events(prefix).u64(seq)
    }
    /// Prefix of the feed of one business type.
    pub(super) fn events(prefix: &str) -> KeyBuf {
        KeyBuf::new("wf.bev").str(prefix)
    }
    /// `wf.bseq/<prefix>` → the last sequence number of the feed, 8 bytes big-endian.
    pub(super) fn last_seq(prefix: &str) -> KeyBuf {
        KeyBuf::new("wf.bseq").str(prefix)
    }
}

/// The last sequence number of the feed of `prefix` (0 before its first event).
fn last_seq(tx: &mut dyn oa_storage::ReadTxn, prefix: &str) -> OaResult<u64> {
    match tx.get(keys::last_seq(prefix).as_bytes())? {
        None => Ok(0),
        Some(v) => <[u8; 8]>::try_from(v.as_slice())
            .map(u64::from_be_bytes)
            .map_err(|_| OaError::Internal(format!("malformed feed counter of `{prefix}`"))),
    }
}

/// Whether business keys of `prefix` were declared in this office.
pub(crate) fn is_declared(tx: &mut dyn oa_storage::ReadTxn, prefix: &str) -> OaResult<bool> {
    db::exists(tx, keys::business_type(prefix).as_bytes())
}

/// Checks that `key` is a business key some module or declared type handles.
pub(crate) fn check_business_key(tx: &mut dyn oa_storage::ReadTxn, key: &str) -> OaResult<()> {
    let prefix = prefix_of(key).ok_or_else(|| {
        OaError::invalid("business_key", format!("`{key}` is not a business key: expected `<type>:<id>`"))
    })?;
    if has_handler(prefix) || is_declared(tx, prefix)? {
        Ok(())
    } else {
        Err(OaError::invalid(
            "business_key",
            format!("no module handles business keys `{prefix}:…` and no business type `{prefix}` is declared"),
        ))
    }
}

/// Appends the event of `end` to the feed of its type. The counter is a key of its own, not a
/// field of the declared type, so that a prefix only a Rust handler covers gets a feed without
/// becoming declared (which would let instances start with it once that module is gone).
pub(crate) fn append_event(
    tx: &mut dyn WriteTxn,
    end: &InstanceEnd,
    initiator: PersonId,
    initiator_dept: DeptId,
) -> OaResult<()> {
    let Some(prefix) = prefix_of(&end.business_key) else {
        return Err(OaError::Internal(format!("malformed business key `{}` on an instance", end.business_key)));
    };
    let seq = last_seq(tx.as_read(), prefix)? + 1;
    let event = BusinessEvent {
        seq,
        business_key: end.business_key.clone(),
        instance: end.instance,
        process_key: end.process_key.clone(),
        outcome: end.outcome,
        number: end.number.clone(),
        initiator,
        initiator_dept,
        at: end.at,
    };
    db::put(tx, keys::event(prefix, seq).as_bytes(), &event)?;
    tx.put(keys::last_seq(prefix).as_bytes(), &seq.to_be_bytes())?;
    Ok(())
}

fn check_prefix(problems: &mut Problems, prefix: &str) {
    if prefix_of(&format!("{prefix}:x")) != Some(prefix) {
        problems.add("prefix", format!("`{prefix}` is not a business type: use letters, digits, `_` and `.`"));
    }
}

impl Oa {
    /// Declares business type `prefix` (业务类型), so that instances may carry business keys
    /// `prefix:…` and their endings are appended to its feed ([`Oa::business_events`]).
    /// Declaring it again changes its description. Needs `workflow.process.publish`.
    pub fn declare_business_type(&self, session: &Session, prefix: &str, description: &str) -> OaResult<BusinessType> {
        self.mutate(session, "workflow.business_type.declare", PendingPassword::Refuse, |cx| {
            cx.require(PROCESS_PUBLISH)?;
            let prefix = prefix.trim();
            let description = description.trim();
            let mut problems = Problems::new();
            check_prefix(&mut problems, prefix);
            let n = description.chars().count();
            if n > MAX_BUSINESS_TYPE_DESCRIPTION_LEN {
                problems.add(
                    "description",
                    format!("must be at most {MAX_BUSINESS_TYPE_DESCRIPTION_LEN} characters, got {n}"),
                );
            }
            problems.finish()?;
            let key = keys::business_type(prefix);
            let ty = match db::get::<BusinessType>(cx.tx.as_read(), key.as_bytes())? {
                Some(mut t) => {
                    t.description = description.to_string();
                    t
                }
                None => BusinessType {
                    prefix: prefix.to_string(),
                    description: description.to_string(),
                    declared_by: cx.actor.person,
                    declared_at: cx.now,
                    last_seq: 0,
                },
            };
            db::put(cx.tx, key.as_bytes(), &ty)?;
            let ty = BusinessType { last_seq: last_seq(cx.tx.as_read(), prefix)?, ..ty };
            let change = Change::new(format!("business_type:{prefix}"), format!("declared business type `{prefix}`"));
            Ok((ty, change))
        })
    }

    /// The business types declared in this office, by prefix, each with the last sequence
    /// number of its feed. (Prefixes that only a Rust module's handler covers have a feed too,
    /// but are not declared types.) Needs `workflow.instance.read`.
    pub fn business_types(&self, session: &Session) -> OaResult<Vec<BusinessType>> {
        self.query(session, "workflow.business_type.list", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_READ)?;
            let range = KeyRange::prefix(keys::business_types().as_bytes());
            let mut out = Vec::new();
            for (_, v) in qx.tx.scan(&range, Direction::Forward, usize::MAX)? {
                let ty: BusinessType = crate::codec::decode(&v)?;
                out.push(BusinessType { last_seq: last_seq(qx.tx, &ty.prefix)?, ..ty });
            }
            Ok(out)
        })
    }

    /// The endings of instances with business keys of type `prefix` after sequence number
    /// `after_seq` (0 for the first), oldest first, at most `limit` (0 means 100). A consumer
    /// remembers the `seq` of the last event it handled and asks again from there. Events of
    /// instances outside the caller's data scope are left out. Needs `workflow.instance.read`.
    pub fn business_events(
        &self,
        session: &Session,
        prefix: &str,
        after_seq: u64,
        limit: u32,
    ) -> OaResult<Vec<BusinessEvent>> {
        self.query(session, "workflow.business_event.list", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_READ)?;
            let prefix = prefix.trim();
            let mut problems = Problems::new();
            check_prefix(&mut problems, prefix);
            if limit > MAX_BUSINESS_EVENTS {
                problems.add("limit", format!("must be at most {MAX_BUSINESS_EVENTS}, got {limit}"));
            }
            problems.finish()?;
            let limit = if limit == 0 { 100 } else { limit as usize };
            let mut window = KeyRange::prefix(keys::events(prefix).as_bytes());
            window.start = Bound::Included(keys::event(prefix, after_seq.saturating_add(1)).into_bytes());
            let mut out = Vec::new();
            // Events outside the caller's scope are skipped, so read until the page is full.
            loop {
                let chunk = qx.tx.scan(&window, Direction::Forward, limit)?;
                let exhausted = chunk.len() < limit;
                for (k, v) in chunk {
                    let e: BusinessEvent = crate::codec::decode(&v)?;
                    if qx.actor.principal.allows_on(INSTANCE_READ, Some(e.initiator_dept), Some(e.initiator)) {
                        out.push(e);
                        if out.len() == limit {
                            return Ok(out);
                        }
                    }
                    window.start = Bound::Excluded(k);
                }
                if exhausted {
                    return Ok(out);
                }
            }
        })
    }
}
