//! The records of sign-in and where they are kept:
//!
//! - `auth.cred/<person>` → [`Credential`]: the password hash, earlier hashes for the reuse
//!   rule, when it was last changed and whether a change is due;
//! - `auth.s/<sha256 of token>` → [`SessionRecord`];
//! - `auth.sp/<person>/<session id>` → token hash: a person's sessions, in sign-in order;
//! - `auth.sid/<session id>` → token hash: a session by its id;
//! - `auth.fail/<lowercased login>` → [`Failures`]: recent failed sign-ins of a login, whether
//!   or not a person has it.

use chrono::{DateTime, Duration, Utc};
use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};
use serde::{Deserialize, Serialize};

use super::password::PREVIOUS_KEPT;
use super::SessionRecord;
use crate::admin::params::Params;
use crate::codec::Record;
use crate::db;
use crate::id::Id;
use crate::keys::KeyBuf;
use crate::org::PersonId;
use crate::{OaError, OaResult};

/// Key spaces of sign-in.
pub(crate) mod keys {
    use super::*;

    /// `auth.cred/<person>` → [`Credential`].
    pub(crate) fn credential(person: PersonId) -> KeyBuf {
        KeyBuf::new("auth.cred").id(person.0)
    }
    /// `auth.s/<sha256 of token>` → [`SessionRecord`].
    pub(crate) fn session(hash: &[u8; 32]) -> KeyBuf {
        KeyBuf::new("auth.s").raw(hash)
    }
    /// Prefix of the sessions of `person`.
    pub(crate) fn sessions_of(person: PersonId) -> KeyBuf {
        KeyBuf::new("auth.sp").id(person.0)
    }
    /// `auth.sp/<person>/<session>` → token hash.
    pub(crate) fn session_of(person: PersonId, session: Id) -> KeyBuf {
        sessions_of(person).id(session)
    }
    /// `auth.sid/<session>` → token hash.
    pub(crate) fn session_id(session: Id) -> KeyBuf {
        KeyBuf::new("auth.sid").id(session)
    }
    /// `auth.fail/<normalised login>` → [`Failures`].
    pub(crate) fn failures(normalised_login: &str) -> KeyBuf {
        KeyBuf::new("auth.fail").str(normalised_login)
    }
}

/// A person's password, as stored: never the password itself.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Credential {
    /// Whose password it is.
    pub(crate) person: PersonId,
    /// The argon2id hash of the current password (PHC string).
    pub(crate) hash: String,
    /// Hashes of earlier passwords, latest first, for the reuse rule.
    #[serde(default)]
    pub(crate) previous: Vec<String>,
    /// When the password was last set.
    #[serde(with = "crate::codec::instant")]
    pub(crate) changed_at: DateTime<Utc>,
    /// Whether the person must change it at the next sign-in (after a reset).
    #[serde(default)]
    pub(crate) must_change: bool,
}

impl Record for Credential {
    const KIND: &'static str = "credential";
    const VERSION: u16 = crate::codec::COMPACT;
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("person", &self.person)
            .field("changed_at", &self.changed_at)
            .field("must_change", &self.must_change)
            .finish_non_exhaustive()
    }
}

impl Credential {
    /// A first credential.
    pub(crate) fn new(person: PersonId, hash: String, must_change: bool, now: DateTime<Utc>) -> Self {
        Credential { person, hash, previous: Vec::new(), changed_at: now, must_change }
    }

    /// Replaces the password by the one hashed as `hash`, keeping the old hash for the reuse
    /// rule.
    pub(crate) fn replace(&mut self, hash: String, must_change: bool, now: DateTime<Utc>) {
        let old = std::mem::replace(&mut self.hash, hash);
        self.previous.insert(0, old);
        self.previous.truncate(PREVIOUS_KEPT);
        self.changed_at = now;
        self.must_change = must_change;
    }
}

/// The credential of `person`, if a password was ever set.
pub(crate) fn load_credential(tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<Option<Credential>> {
    db::get(tx, keys::credential(person).as_bytes())
}

/// Writes a credential.
pub(crate) fn put_credential(tx: &mut dyn WriteTxn, cred: &Credential) -> OaResult<()> {
    db::put(tx, keys::credential(cred.person).as_bytes(), cred)
}

/// Recent failed sign-ins of one login.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Failures {
    /// When the failures inside the current window happened, oldest first.
    #[serde(default)]
    pub(crate) at: Vec<DateTime<Utc>>,
    /// Until when the login is locked, if it was.
    #[serde(default)]
    pub(crate) locked_until: Option<DateTime<Utc>>,
}

impl Record for Failures {
    const KIND: &'static str = "sign-in failures";
}

impl Failures {
    /// Until when the login is locked at `now`, if it is.
    pub(crate) fn locked_at(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.locked_until.filter(|until| *until > now)
    }

    /// Counts a failure at `now`; returns until when the login is now locked if this failure
    /// reached the threshold (a threshold of 0 never locks).
    pub(crate) fn fail(&mut self, now: DateTime<Utc>, params: &Params) -> Option<DateTime<Utc>> {
        let window = Duration::minutes(i64::from(params.lockout_window_minutes));
        self.at.retain(|t| *t > now - window);
        if self.locked_at(now).is_none() {
            self.locked_until = None;
        }
        self.at.push(now);
        let threshold = params.lockout_threshold as usize;
        if threshold > 0 && self.at.len() >= threshold {
            self.at.clear();
            let until = now + Duration::minutes(i64::from(params.lockout_duration_minutes));
            self.locked_until = Some(until);
            return Some(until);
        }
        // Keeps the record small whatever the threshold was before a parameter change.
        let keep = threshold.max(1);
        if self.at.len() > keep {
            self.at.drain(..self.at.len() - keep);
        }
        None
    }
}

/// The lower-cased, trimmed login under which failures are counted.
pub(crate) fn normalise_login(login: &str) -> String {
    login.trim().to_lowercase()
}

/// The failures of `normalised_login`.
pub(crate) fn load_failures(tx: &mut dyn ReadTxn, normalised_login: &str) -> OaResult<Failures> {
    Ok(db::get(tx, keys::failures(normalised_login).as_bytes())?.unwrap_or_default())
}

/// Writes the failures of `normalised_login`.
pub(crate) fn put_failures(tx: &mut dyn WriteTxn, normalised_login: &str, f: &Failures) -> OaResult<()> {
    db::put(tx, keys::failures(normalised_login).as_bytes(), f)
}

/// Forgets the failures of `normalised_login` (a successful sign-in, a reset).
pub(crate) fn clear_failures(tx: &mut dyn WriteTxn, normalised_login: &str) -> OaResult<()> {
    tx.delete(keys::failures(normalised_login).as_bytes())?;
    Ok(())
}

/// How long sessions live, from the parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SessionLimits {
    idle: Duration,
    absolute: Duration,
}

impl SessionLimits {
    /// The limits the parameters set.
    pub(crate) fn from_params(params: &Params) -> Self {
        Self::new(params.session_idle_minutes, params.session_absolute_hours)
    }

    /// Sessions idle for `idle_minutes` or `absolute_hours` after sign-in expire.
    pub(crate) fn new(idle_minutes: u32, absolute_hours: u32) -> Self {
        SessionLimits {
            idle: Duration::minutes(i64::from(idle_minutes)),
            absolute: Duration::hours(i64::from(absolute_hours)),
        }
    }

    /// When `s` expires if unused.
    pub(crate) fn idle_expires_at(&self, s: &SessionRecord) -> DateTime<Utc> {
        s.last_seen + self.idle
    }

    /// When `s` expires whatever its use.
    pub(crate) fn expires_at(&self, s: &SessionRecord) -> DateTime<Utc> {
        s.created_at + self.absolute
    }

    /// Whether `s` has expired at `now`.
    pub(crate) fn expired(&self, s: &SessionRecord, now: DateTime<Utc>) -> bool {
        now >= self.idle_expires_at(s) || now >= self.expires_at(s)
    }

    /// Whether the last use of `s` is old enough to be written again. Writing at most once a
    /// minute (or twice per idle period, when that is shorter) keeps reads from writing, at the
    /// price of an idle expiry up to that much early.
    pub(crate) fn touch_due(&self, s: &SessionRecord, now: DateTime<Utc>) -> bool {
        let every = Duration::seconds(60).min(self.idle / 2);
        now - s.last_seen >= every
    }
}

/// The session of the token hashed as `hash`.
pub(crate) fn load_session(tx: &mut dyn ReadTxn, hash: &[u8; 32]) -> OaResult<Option<SessionRecord>> {
    db::get(tx, keys::session(hash).as_bytes())
}

/// Writes a new session and its index entries.
pub(crate) fn insert_session(tx: &mut dyn WriteTxn, hash: &[u8; 32], s: &SessionRecord) -> OaResult<()> {
    db::put(tx, keys::session(hash).as_bytes(), s)?;
    tx.put(keys::session_of(s.person, s.id).as_bytes(), hash)?;
    tx.put(keys::session_id(s.id).as_bytes(), hash)?;
    Ok(())
}

/// Rewrites a session whose index entries are unchanged (its last use, its pending change).
pub(crate) fn update_session(tx: &mut dyn WriteTxn, hash: &[u8; 32], s: &SessionRecord) -> OaResult<()> {
    db::put(tx, keys::session(hash).as_bytes(), s)
}

/// Removes a session and its index entries.
pub(crate) fn delete_session(tx: &mut dyn WriteTxn, hash: &[u8; 32], s: &SessionRecord) -> OaResult<()> {
    tx.delete(keys::session(hash).as_bytes())?;
    tx.delete(keys::session_of(s.person, s.id).as_bytes())?;
    tx.delete(keys::session_id(s.id).as_bytes())?;
    Ok(())
}

fn hash_value(raw: &[u8]) -> OaResult<[u8; 32]> {
    <[u8; 32]>::try_from(raw).map_err(|_| OaError::Internal("a session index entry does not hold a token hash".into()))
}

/// The session whose id is `id`, with its token hash.
pub(crate) fn session_by_id(tx: &mut dyn ReadTxn, id: Id) -> OaResult<Option<([u8; 32], SessionRecord)>> {
    let Some(raw) = tx.get(keys::session_id(id).as_bytes())? else { return Ok(None) };
    let hash = hash_value(&raw)?;
    Ok(load_session(tx, &hash)?.map(|s| (hash, s)))
}

/// Every session of `person` (expired ones included), in sign-in order, with their token hashes.
pub(crate) fn sessions_of(tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<Vec<([u8; 32], SessionRecord)>> {
    const CHUNK: usize = 256;
    let mut range = KeyRange::prefix(keys::sessions_of(person).as_bytes());
    let mut out = Vec::new();
    loop {
        let entries = tx.scan(&range, Direction::Forward, CHUNK)?;
        let done = entries.len() < CHUNK;
        for (k, v) in entries {
            let hash = hash_value(&v)?;
            if let Some(s) = load_session(tx, &hash)? {
                out.push((hash, s));
            }
            range.start = std::ops::Bound::Excluded(k);
        }
        if done {
            return Ok(out);
        }
    }
}

/// Revokes every session of `person` but `keep`; returns how many were revoked (expired ones
/// are removed too but not counted).
pub(crate) fn revoke_sessions(
    tx: &mut dyn WriteTxn,
    person: PersonId,
    keep: Option<Id>,
    limits: SessionLimits,
    now: DateTime<Utc>,
) -> OaResult<u32> {
    let mut revoked = 0;
    for (hash, s) in sessions_of(tx.as_read(), person)? {
        if Some(s.id) == keep {
            continue;
        }
        if !limits.expired(&s, now) {
            revoked += 1;
        }
        delete_session(tx, &hash, &s)?;
    }
    Ok(revoked)
}

/// Removes the expired sessions of `person`, so that a person's sessions stay few.
pub(crate) fn purge_expired(
    tx: &mut dyn WriteTxn,
    person: PersonId,
    limits: SessionLimits,
    now: DateTime<Utc>,
) -> OaResult<()> {
    for (hash, s) in sessions_of(tx.as_read(), person)? {
        if limits.expired(&s, now) {
            delete_session(tx, &hash, &s)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn t(minute: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(minute)
    }

    #[test]
    fn failures_lock_at_the_threshold_within_the_window() {
        let params = Params::default();
        let mut f = Failures::default();
        for m in 0..4 {
            assert_eq!(f.fail(t(m), &params), None);
        }
        assert_eq!(f.fail(t(4), &params), Some(t(19)));
        assert_eq!(f.locked_at(t(18)), Some(t(19)));
        assert_eq!(f.locked_at(t(19)), None);
        // After the lock, a fresh count.
        assert_eq!(f.fail(t(20), &params), None);
        assert_eq!(f.at.len(), 1);
    }

    #[test]
    fn failures_outside_the_window_do_not_count() {
        let params = Params::default();
        let mut f = Failures::default();
        for m in [0, 5, 10, 15, 20, 25, 30] {
            assert_eq!(f.fail(t(m), &params), None, "minute {m}");
        }
        assert!(f.at.len() <= 3);
    }

    #[test]
    fn a_credential_keeps_four_earlier_hashes() {
        let mut c = Credential::new(PersonId(Id(1)), "h0".into(), false, t(0));
        for i in 1..=6 {
            c.replace(format!("h{i}"), false, t(i));
        }
        assert_eq!(c.hash, "h6");
        assert_eq!(c.previous, vec!["h5", "h4", "h3", "h2"]);
        assert!(!format!("{c:?}").contains("h6"), "debug output hides hashes");
    }
}
