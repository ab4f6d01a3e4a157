//! Sign-in: credentials hashed with argon2id, sessions with idle and absolute expiry, lock-out
//! after repeated failures, and password policies.
//!
//! - Passwords are hashed with argon2id at the OWASP parameters and kept in their own record
//!   (`auth.cred/<person>`) with the hashes of earlier passwords for the reuse rule. A password
//!   is never stored, logged, audited or returned in the clear.
//! - A session token is 256 random bits; the store keeps only its SHA-256. A session expires
//!   when unused for `auth.session.idle_minutes` or `auth.session.absolute_hours` after sign-in,
//!   whichever comes first, as the parameters say at the time of the check.
//! - Failed sign-ins are counted per login as typed (lower-cased), whether or not a person has
//!   it, and lock it for `auth.lockout.duration_minutes` after `auth.lockout.threshold`
//!   failures within `auth.lockout.window_minutes`. An unknown login and a wrong password get
//!   the same error after the same work, so neither the error nor its timing tells whether a
//!   login exists.
//! - A failure record is kept per login typed, so a record for a login nobody has stays until
//!   that login succeeds or is reset; it is small (at most `threshold` instants) and its count
//!   is bounded by the attempts made, each of which is also audited.
//! - Password hashing runs outside the storage transaction (a write transaction may hold the
//!   store's writer lock); the transaction that follows checks that what the verification relied
//!   on has not changed, and starts over if it has.

mod ops;
mod password;
pub(crate) mod store;
mod token;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use oa_storage::{ReadTxn, WriteTxn};

use crate::admin::params;
use crate::codec::Record;
use crate::db::DecodedCache;
use crate::engine::{Inner, PendingPassword};
use crate::id::Id;
use crate::org::{DeptId, PersonId, PersonStatus};
use crate::{OaError, OaResult};

pub use password::{
    check_password_policy, password_rules, PasswordRules, ARGON2_LANES, ARGON2_MEMORY_KIB, ARGON2_PASSES,
};

pub(crate) use password::{hash_password, policy_problems};
use store::{Credential, SessionLimits};

/// A session as stored: only the hash of its token is kept (it is the record's key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SessionRecord {
    pub(crate) id: Id,
    pub(crate) person: PersonId,
    pub(crate) login: String,
    #[serde(with = "crate::codec::instant")]
    pub(crate) created_at: DateTime<Utc>,
    #[serde(with = "crate::codec::instant")]
    pub(crate) last_seen: DateTime<Utc>,
    pub(crate) must_change_password: bool,
}

impl Record for SessionRecord {
    const KIND: &'static str = "session";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// One of the first accounts of a new office (see [`crate::InitOffice`]). `Debug` never shows
/// the password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitAccount {
    /// The login.
    pub login: String,
    /// The person's name.
    pub name: String,
    /// The first password (checked against the password policy).
    pub password: String,
}

impl InitAccount {
    /// An account signing in as `login`.
    pub fn new(login: &str, name: &str, password: &str) -> Self {
        InitAccount { login: login.into(), name: name.into(), password: password.into() }
    }
}

impl std::fmt::Debug for InitAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitAccount")
            .field("login", &self.login)
            .field("name", &self.name)
            .field("password", &"<redacted>")
            .finish()
    }
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
    /// The main department.
    pub dept: DeptId,
    /// Whether the password must be changed before anything else.
    pub must_change_password: bool,
    /// Every permission the person holds (in some scope), sorted.
    pub permissions: Vec<String>,
    /// The id of the session asked with.
    pub session_id: Id,
    /// When this session expires whatever its use.
    pub session_expires_at: DateTime<Utc>,
    /// When the password was last set, if one was.
    pub password_changed_at: Option<DateTime<Utc>>,
    /// When the password must be changed by, under a policy with forced expiry.
    pub password_expires_at: Option<DateTime<Utc>>,
}

/// A session as a person or an administrator sees it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// The session's id.
    pub id: Id,
    /// Whose session it is.
    pub person: PersonId,
    /// When it was signed in.
    pub created_at: DateTime<Utc>,
    /// When it was last used (written at most about once a minute).
    pub last_seen: DateTime<Utc>,
    /// When it expires if unused.
    pub idle_expires_at: DateTime<Utc>,
    /// When it expires whatever its use.
    pub expires_at: DateTime<Utc>,
    /// Whether it is the session the list was asked with.
    pub current: bool,
    /// Whether it is waiting for a password change.
    pub must_change_password: bool,
}

fn invalid_session() -> OaError {
    OaError::Unauthenticated("invalid session".into())
}

/// How many sessions an office keeps decoded (see [`SessionCache`]).
const SESSIONS_CACHED: usize = 10_000;

/// What checking a session on every operation reads, decoded once: the sessions by token hash
/// and the parameters. Each is served only when the bytes the operation's transaction just
/// read equal those it was decoded from, so a session signed out, revoked or touched, or a
/// parameter changed, through this handle or another over the same store, is seen at once.
#[derive(Debug)]
pub(crate) struct SessionCache {
    sessions: DecodedCache<SessionRecord>,
    params: params::ParamsCache,
}

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache { sessions: DecodedCache::new(SESSIONS_CACHED), params: params::ParamsCache::default() }
    }
}

/// Checks the session of `token` at `now`; returns it, its token hash and whether its last use
/// should be written again.
fn check_session(
    tx: &mut dyn ReadTxn,
    cache: &SessionCache,
    token: &str,
    now: DateTime<Utc>,
    pending: PendingPassword,
) -> OaResult<(Arc<SessionRecord>, [u8; 32], bool)> {
    if !token::well_formed(token) {
        return Err(invalid_session());
    }
    let hash = token::token_hash(token);
    let session = cache.sessions.get(tx, store::keys::session(&hash).as_bytes())?.ok_or_else(invalid_session)?;
    let limits = SessionLimits::new(
        cache.params.count(tx, params::SESSION_IDLE_MINUTES)?,
        cache.params.count(tx, params::SESSION_ABSOLUTE_HOURS)?,
    );
    if limits.expired(&session, now) {
        return Err(OaError::Unauthenticated("session expired".into()));
    }
    match crate::org::load_person_head(tx, session.person)? {
        Some(p) if p.status == PersonStatus::Active => {}
        Some(_) => return Err(OaError::Unauthenticated("account disabled".into())),
        None => return Err(invalid_session()),
    }
    if pending == PendingPassword::Refuse && session.must_change_password {
        return Err(OaError::PasswordChangeRequired);
    }
    let due = limits.touch_due(&session, now);
    Ok((session, hash, due))
}

/// Validates the session of `token` in a read-write transaction, refreshing its idle expiry
/// when its last use is stale (about once a minute, so not every operation writes).
pub(crate) fn authenticate(
    tx: &mut dyn WriteTxn,
    inner: &Inner,
    token: &str,
    now: DateTime<Utc>,
    pending: PendingPassword,
) -> OaResult<Arc<SessionRecord>> {
    let (session, hash, due) = check_session(tx.as_read(), &inner.sessions, token, now, pending)?;
    if due {
        let touched = SessionRecord { last_seen: now, ..SessionRecord::clone(&session) };
        store::update_session(tx, &hash, &touched)?;
        return Ok(Arc::new(touched));
    }
    Ok(session)
}

/// Validates the session of `token` in a read-only transaction; the flag says whether its last
/// use is stale enough to be refreshed with [`touch`].
pub(crate) fn authenticate_read(
    tx: &mut dyn ReadTxn,
    inner: &Inner,
    token: &str,
    now: DateTime<Utc>,
    pending: PendingPassword,
) -> OaResult<(Arc<SessionRecord>, bool)> {
    let (session, _, due) = check_session(tx, &inner.sessions, token, now, pending)?;
    Ok((session, due))
}

/// Records a use of the session of `token` at `now`. A session gone meanwhile (signed out,
/// revoked) is left alone.
pub(crate) fn touch(tx: &mut dyn WriteTxn, token: &str, now: DateTime<Utc>) -> OaResult<()> {
    if !token::well_formed(token) {
        return Ok(());
    }
    let hash = token::token_hash(token);
    if let Some(mut session) = store::load_session(tx.as_read(), &hash)? {
        if session.last_seen < now {
            session.last_seen = now;
            store::update_session(tx, &hash, &session)?;
        }
    }
    Ok(())
}

/// Sets a person's password from a hash made by [`hash_password`], without any check.
pub(crate) fn set_password_hash_raw(
    tx: &mut dyn WriteTxn,
    person: PersonId,
    hash: String,
    must_change: bool,
    now: DateTime<Utc>,
) -> OaResult<()> {
    let cred = match store::load_credential(tx.as_read(), person)? {
        Some(mut cred) => {
            cred.replace(hash, must_change, now);
            cred
        }
        None => Credential::new(person, hash, must_change, now),
    };
    store::put_credential(tx, &cred)
}

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[
    "sign_in",
    "sign_out",
    "whoami",
    "change_password",
    "reset_password",
    "list_sessions",
    "revoke_session",
    "revoke_sessions_of",
];
