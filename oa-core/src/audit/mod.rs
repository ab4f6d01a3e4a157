//! The audit log: an append-only, hash-chained record of every change, every denied attempt and
//! every sign-in, written in the transaction of what it records.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use oa_storage::WriteTxn;

use crate::id::Id;
use crate::org::PersonId;
use crate::OaResult;

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
    /// How many records were checked.
    pub checked: u64,
    /// The first record whose hash does not match, if any.
    pub first_mismatch: Option<u64>,
}

impl ChainReport {
    /// Whether the whole chain matched.
    pub fn is_intact(&self) -> bool {
        self.first_mismatch.is_none()
    }
}

/// Appends `entry` to the chain inside the caller's transaction.
pub(crate) fn append(tx: &mut dyn WriteTxn, entry: AuditEntry) -> OaResult<()> {
    let _ = (tx, entry);
    todo!("audit::append")
}

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[];
