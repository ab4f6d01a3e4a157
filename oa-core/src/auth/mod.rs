//! Sign-in: credentials hashed with argon2id, sessions with idle and absolute expiry, lock-out
//! after repeated failures, and password policies.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use oa_storage::{ReadTxn, WriteTxn};

use crate::codec::Record;
use crate::engine::{Inner, PendingPassword};
use crate::id::Id;
use crate::org::PersonId;
use crate::OaResult;

/// A session as stored: only the hash of its token is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SessionRecord {
    pub(crate) id: Id,
    pub(crate) person: PersonId,
    pub(crate) login: String,
    pub(crate) created_at: DateTime<Utc>,
    pub(crate) last_seen: DateTime<Utc>,
    pub(crate) must_change_password: bool,
}

impl Record for SessionRecord {
    const KIND: &'static str = "session";
}

/// Who the caller is, as [`crate::Oa::whoami`] tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// The person's id.
    pub person: PersonId,
    /// The login.
    pub login: String,
    /// The name.
    pub name: String,
    /// Whether the password must be changed before anything else.
    pub must_change_password: bool,
    /// Every permission the person holds, sorted.
    pub permissions: Vec<String>,
}

/// A session as an administrator sees it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The session's id.
    pub id: Id,
    /// Whose session it is.
    pub person: PersonId,
    /// When it was signed in.
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    pub last_seen: DateTime<Utc>,
    /// When it expires if unused.
    pub idle_expires_at: DateTime<Utc>,
    /// When it expires whatever its use.
    pub expires_at: DateTime<Utc>,
}

/// Validates the session of `token` in a read-write transaction, refreshing its idle expiry.
pub(crate) fn authenticate(
    tx: &mut dyn WriteTxn,
    inner: &Inner,
    token: &str,
    now: DateTime<Utc>,
    pending: PendingPassword,
) -> OaResult<SessionRecord> {
    let _ = (tx, inner, token, now, pending);
    todo!("auth::authenticate")
}

/// Validates the session of `token` in a read-only transaction; the flag says whether its last
/// use is stale enough to be refreshed with [`touch`].
pub(crate) fn authenticate_read(
    tx: &mut dyn ReadTxn,
    inner: &Inner,
    token: &str,
    now: DateTime<Utc>,
    pending: PendingPassword,
) -> OaResult<(SessionRecord, bool)> {
    let _ = (tx, inner, token, now, pending);
    todo!("auth::authenticate_read")
}

/// Records a use of the session of `token`.
pub(crate) fn touch(tx: &mut dyn WriteTxn, token: &str, now: DateTime<Utc>) -> OaResult<()> {
    let _ = (tx, token, now);
    todo!("auth::touch")
}

/// Sets a person's password (hashing it with argon2id) without a permission check, after
/// checking it against the office's policy; `must_change` forces a change at next sign-in.
pub(crate) fn set_password_raw(
    tx: &mut dyn WriteTxn,
    person: PersonId,
    password: &str,
    must_change: bool,
    now: DateTime<Utc>,
) -> OaResult<()> {
    let _ = (tx, person, password, must_change, now);
    todo!("auth::set_password_raw")
}

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[];
