//! The operations of sign-in, as methods of [`Oa`].

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use oa_storage::{ReadTxn, StoreExt, WriteTxn};

use super::password::{self, password_rules, DUMMY_HASH};
use super::store::{self, normalise_login, Credential, SessionLimits};
use super::{check_password_policy, set_password_hash_raw, token, Me, SessionInfo, SessionRecord};
use crate::admin::params::{self, Params};
use crate::audit::{self, AuditEntry, AuditOutcome};
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::error::Problems;
use crate::id::{Id, IdGen};
use crate::org::{self, Person, PersonId, PersonStatus};
use crate::perm::Principal;
use crate::{OaError, OaResult};

const OP_SIGN_IN: &str = "auth.sign_in";
const OP_SIGN_OUT: &str = "auth.sign_out";
const OP_WHOAMI: &str = "auth.whoami";
const OP_CHANGE: &str = "auth.password.change";
const OP_RESET: &str = "auth.password.reset";
const OP_LIST: &str = "auth.session.list";
const OP_REVOKE: &str = "auth.session.revoke";
const OP_REVOKE_ALL: &str = "auth.session.revoke_all";

const PERM_RESET: &str = "auth.password.reset";
const PERM_SESSION_READ: &str = "auth.session.read";
const PERM_SESSION_REVOKE: &str = "auth.session.revoke";

/// How many times an operation starts over when what its password verification relied on
/// changed before its transaction.
const ATTEMPTS: usize = 3;

/// The longest login a sign-in looks at; longer input is cut before it is counted and audited,
/// so that nobody fills the store with huge logins.
const MAX_LOGIN_CHARS: usize = 128;

fn generic_failure() -> OaError {
    OaError::Unauthenticated("invalid login or password".into())
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn locked(until: DateTime<Utc>) -> OaError {
    OaError::AccountLocked { until: rfc3339(until) }
}

fn changed_meanwhile() -> OaError {
    OaError::Conflict("the account changed during the operation; try again".into())
}

/// When the password of `cred` must be changed by under `params`, if ever.
fn password_expires_at(params: &Params, cred: &Credential) -> Option<DateTime<Utc>> {
    password_rules(params.password_policy).max_age_days.map(|d| cred.changed_at + Duration::days(i64::from(d)))
}

/// What the read phase of a sign-in saw; the write phase checks it still holds.
struct SignInView {
    person: Option<PersonId>,
    cred_hash: Option<String>,
    locked: bool,
}

/// How the write phase of a sign-in ended.
enum Attempt {
    /// Signed in.
    Signed(Session),
    /// Refused; the failure and its audit record are committed.
    Refused(OaError),
    /// What the verification relied on changed: start over.
    Changed,
}

/// What the read phase of a password change saw.
struct ChangeView {
    person: PersonId,
    login: String,
    session_id: Id,
    params: Params,
    cred: Option<Credential>,
    locked_until: Option<DateTime<Utc>>,
}

/// Checks that the actor may act on `person`'s sign-in data with `permission`: `not_found`
/// only to those who hold the permission somewhere.
fn authorise_other(
    tx: &mut dyn ReadTxn,
    principal: &Principal,
    permission: &'static str,
    person: PersonId,
) -> OaResult<Person> {
    match org::load_person(tx, person)? {
        Some(target) => {
            principal.require_on(permission, Some(target.dept), Some(target.id))?;
            Ok(target)
        }
        None => {
            principal.require(permission)?;
            Err(OaError::not_found(PersonId::KIND, person))
        }
    }
}

fn session_info(s: &SessionRecord, limits: SessionLimits, current: Id) -> SessionInfo {
    SessionInfo {
        id: s.id,
        person: s.person,
        created_at: s.created_at,
        last_seen: s.last_seen,
        idle_expires_at: limits.idle_expires_at(s),
        expires_at: limits.expires_at(s),
        current: s.id == current,
        must_change_password: s.must_change_password,
    }
}

/// The write phase of a sign-in: decides with fresh lock-out state, counts a failure or opens
/// a session, and audits either.
#[allow(clippy::too_many_arguments)]
fn finish_sign_in(
    tx: &mut dyn WriteTxn,
    ids: &IdGen,
    typed: &str,
    norm: &str,
    view: &SignInView,
    password_ok: bool,
    rehash: Option<String>,
    now: DateTime<Utc>,
) -> OaResult<Attempt> {
    let params = params::load(tx.as_read())?;
    let mut failures = store::load_failures(tx.as_read(), norm)?;
    let person_id = if norm.is_empty() { None } else { org::find_person_id_by_login(tx.as_read(), norm)? };
    let mut entry = AuditEntry {
        at: now,
        actor: person_id,
        actor_login: Some(typed.to_string()),
        session: None,
        operation: OP_SIGN_IN.to_string(),
        target: person_id.map(|p| format!("person:{p}")),
        outcome: AuditOutcome::Failed,
        summary: String::new(),
    };
    if let Some(until) = failures.locked_at(now) {
        // Locked: refused whatever the password, without counting.
        entry.summary = format!("refused: the login is locked until {}", rfc3339(until));
        audit::append(tx, entry)?;
        return Ok(Attempt::Refused(locked(until)));
    }
    let cred = match person_id {
        Some(p) => store::load_credential(tx.as_read(), p)?,
        None => None,
    };
    if view.locked || person_id != view.person || cred.as_ref().map(|c| &c.hash) != view.cred_hash.as_ref() {
        return Ok(Attempt::Changed);
    }
    let person = match person_id {
        Some(p) => org::load_person(tx.as_read(), p)?,
        None => None,
    };
    let refusal = match (&person, &cred) {
        (None, _) => Some("unknown login"),
        (Some(_), None) => Some("no password set"),
        _ if !password_ok => Some("wrong password"),
        (Some(p), _) if p.status == PersonStatus::Disabled => Some("account disabled"),
        (Some(p), _) if p.status == PersonStatus::Left => Some("person has left"),
        _ => None,
    };
    match (refusal, person, cred) {
        (None, Some(person), Some(mut cred)) => {
            store::clear_failures(tx, norm)?;
            let limits = SessionLimits::from_params(&params);
            store::purge_expired(tx, person.id, limits, now)?;
            if let Some(hash) = rehash {
                // The same password under today's parameters: not a change, no history entry.
                cred.hash = hash;
                store::put_credential(tx, &cred)?;
            }
            let expired = password_expires_at(&params, &cred).is_some_and(|at| now >= at);
            let token = token::new_token()?;
            let hash = token::token_hash(&token);
            let session = SessionRecord {
                id: ids.next(now),
                person: person.id,
                login: person.login.clone(),
                created_at: now,
                last_seen: now,
                must_change_password: cred.must_change || expired,
            };
            store::insert_session(tx, &hash, &session)?;
            entry.outcome = AuditOutcome::Success;
            entry.session = Some(session.id);
            entry.summary = if cred.must_change {
                "signed in; the password was reset and must be changed".into()
            } else if expired {
                "signed in; the password has expired and must be changed".into()
            } else {
                "signed in".into()
            };
            audit::append(tx, entry)?;
            Ok(Attempt::Signed(Session::from_token(token)))
        }
        (refusal, _, _) => {
            let reason = refusal.unwrap_or("refused");
            let until = failures.fail(now, &params);
            store::put_failures(tx, norm, &failures)?;
            entry.summary = match until {
                Some(until) => format!("{reason}; the login is locked until {}", rfc3339(until)),
                None => format!("{reason} (failure {} of {})", failures.at.len(), params.lockout_threshold),
            };
            audit::append(tx, entry)?;
            Ok(Attempt::Refused(until.map_or_else(generic_failure, locked)))
        }
    }
}

impl Oa {
    /// Signs in with a login (case-insensitive) and a password, returning a new session.
    ///
    /// An unknown login, a wrong password, and a disabled or departed person all get the same
    /// `unauthenticated` error after the same work. Failures are counted per login; at the
    /// threshold the login is locked (`account_locked`, with the instant it opens again), and
    /// while it is locked even the right password is refused. Every attempt is audited as
    /// `auth.sign_in`, with the login as typed and never the password. A password that was reset
    /// or has expired signs in to a session that may only change it.
    pub fn sign_in(&self, login: &str, password: &str) -> OaResult<Session> {
        self.ensure_open()?;
        let typed: String = login.trim().chars().take(MAX_LOGIN_CHARS).collect();
        let norm = normalise_login(&typed);
        for _ in 0..ATTEMPTS {
            let now = self.now();
            let view = self.inner.store.read(|tx| {
                let locked = store::load_failures(tx, &norm)?.locked_at(now).is_some();
                let person = if norm.is_empty() { None } else { org::find_person_id_by_login(tx, &norm)? };
                let cred_hash = match person {
                    Some(p) => store::load_credential(tx, p)?.map(|c| c.hash),
                    None => None,
                };
                Ok::<_, OaError>(SignInView { person, cred_hash, locked })
            })?;
            // The expensive part, outside any transaction. An unknown login is verified against
            // a dummy hash so that it costs what a wrong password costs.
            let (password_ok, rehash) = if view.locked {
                (false, None)
            } else {
                let phc = view.cred_hash.as_deref().unwrap_or(DUMMY_HASH);
                let ok = password::verify_password(password, phc)? && view.cred_hash.is_some();
                let rehash =
                    if ok && password::needs_rehash(phc) { Some(password::hash_password(password)?) } else { None };
                (ok, rehash)
            };
            let attempt = self.unauthenticated(|tx| {
                finish_sign_in(tx, &self.inner.ids, &typed, &norm, &view, password_ok, rehash.clone(), now)
            })?;
            match attempt {
                Attempt::Signed(session) => return Ok(session),
                Attempt::Refused(err) => return Err(err),
                Attempt::Changed => continue,
            }
        }
        Err(changed_meanwhile())
    }

    /// Signs out: the session ends at once. Works on an expired session too (it is removed);
    /// an unknown token is `unauthenticated`.
    pub fn sign_out(&self, session: &Session) -> OaResult<()> {
        let now = self.now();
        self.unauthenticated(|tx| {
            if !token::well_formed(session.token()) {
                return Err(super::invalid_session());
            }
            let hash = token::token_hash(session.token());
            let record = store::load_session(tx.as_read(), &hash)?.ok_or_else(super::invalid_session)?;
            store::delete_session(tx, &hash, &record)?;
            audit::append(
                tx,
                AuditEntry {
                    at: now,
                    actor: Some(record.person),
                    actor_login: Some(record.login.clone()),
                    session: Some(record.id),
                    operation: OP_SIGN_OUT.to_string(),
                    target: Some(format!("session:{}", record.id)),
                    outcome: AuditOutcome::Success,
                    summary: "signed out".into(),
                },
            )
        })
    }

    /// Who the caller is: their person, the permissions they hold and the state of their session
    /// and password. Allowed while a password change is pending.
    pub fn whoami(&self, session: &Session) -> OaResult<Me> {
        self.query(session, OP_WHOAMI, PendingPassword::Allow, |qx| {
            let me = qx.actor.person;
            let person = org::load_person(qx.tx, me)?.ok_or_else(|| OaError::not_found(PersonId::KIND, me))?;
            let record =
                store::load_session(qx.tx, &token::token_hash(session.token()))?.ok_or_else(super::invalid_session)?;
            let params = params::load(qx.tx)?;
            let limits = SessionLimits::from_params(&params);
            let cred = store::load_credential(qx.tx, me)?;
            let mut permissions = qx.actor.principal.permissions();
            permissions.sort();
            Ok(Me {
                person: me,
                login: person.login,
                name: person.name,
                dept: person.dept,
                must_change_password: record.must_change_password,
                permissions,
                session_id: record.id,
                session_expires_at: limits.expires_at(&record),
                password_changed_at: cred.as_ref().map(|c| c.changed_at),
                password_expires_at: cred.as_ref().and_then(|c| password_expires_at(&params, c)),
            })
        })
    }

    /// Changes the caller's own password. Allowed while a change is pending, and clears it.
    ///
    /// `old_password` must be the current password (a wrong one counts towards the lock-out like
    /// a failed sign-in); `new_password` must satisfy the policy and differ from the latest
    /// passwords the policy remembers. Every failing field is reported at once. The caller's
    /// other sessions are revoked.
    pub fn change_password(&self, session: &Session, old_password: &str, new_password: &str) -> OaResult<()> {
        for _ in 0..ATTEMPTS {
            let view = self.query(session, OP_CHANGE, PendingPassword::Allow, |qx| {
                let me = qx.actor.person;
                let person = org::load_person(qx.tx, me)?.ok_or_else(|| OaError::not_found(PersonId::KIND, me))?;
                let locked_until = store::load_failures(qx.tx, &normalise_login(&person.login))?.locked_at(qx.now);
                Ok(ChangeView {
                    person: me,
                    login: person.login,
                    session_id: qx.actor.session_id,
                    params: params::load(qx.tx)?,
                    cred: store::load_credential(qx.tx, me)?,
                    locked_until,
                })
            })?;
            if let Some(until) = view.locked_until {
                return Err(locked(until));
            }
            let rules = password_rules(view.params.password_policy);
            let mut problems = Problems::new();
            let current = view.cred.as_ref().map_or(DUMMY_HASH, |c| c.hash.as_str());
            let old_ok = password::verify_password(old_password, current)? && view.cred.is_some();
            if !old_ok {
                problems.add("old_password", "does not match the current password");
            }
            password::policy_problems(view.params.password_policy, new_password, "new_password", &mut problems);
            if let (true, true, Some(cred)) = (old_ok, problems.is_empty(), &view.cred) {
                // Only once everything else passed: each earlier password costs a verification.
                let reused = new_password == old_password || {
                    let mut found = false;
                    for earlier in cred.previous.iter().take((rules.history as usize).saturating_sub(1)) {
                        if password::verify_password(new_password, earlier)? {
                            found = true;
                            break;
                        }
                    }
                    found
                };
                if reused {
                    problems.add(
                        "new_password",
                        if rules.history <= 1 {
                            "must differ from the current password".to_string()
                        } else {
                            format!("must differ from the last {} passwords", rules.history)
                        },
                    );
                }
            }
            if !problems.is_empty() {
                if !old_ok {
                    if let Some(until) = self.record_failed_change(&view)? {
                        return Err(locked(until));
                    }
                }
                return problems.finish();
            }
            let new_hash = password::hash_password(new_password)?;
            let result = self.mutate(session, OP_CHANGE, PendingPassword::Allow, |cx| {
                let me = cx.actor.person;
                let mut cred = store::load_credential(cx.tx.as_read(), me)?.ok_or_else(changed_meanwhile)?;
                if Some(&cred.hash) != view.cred.as_ref().map(|c| &c.hash) {
                    return Err(changed_meanwhile());
                }
                cred.replace(new_hash.clone(), false, cx.now);
                store::put_credential(cx.tx, &cred)?;
                let limits = SessionLimits::from_params(&params::load(cx.tx.as_read())?);
                let revoked = store::revoke_sessions(cx.tx, me, Some(cx.actor.session_id), limits, cx.now)?;
                let hash = token::token_hash(session.token());
                if let Some(mut current) = store::load_session(cx.tx.as_read(), &hash)? {
                    if current.must_change_password {
                        current.must_change_password = false;
                        store::update_session(cx.tx, &hash, &current)?;
                    }
                }
                Ok((
                    (),
                    Change::new(
                        format!("person:{me}"),
                        format!("password changed; {revoked} other session(s) revoked"),
                    ),
                ))
            });
            match result {
                Err(OaError::Conflict(_)) => continue,
                other => return other,
            }
        }
        Err(changed_meanwhile())
    }

    /// Counts a wrong current password given to [`Oa::change_password`] against the lock-out and
    /// audits it; returns until when the login is now locked, if it is.
    fn record_failed_change(&self, view: &ChangeView) -> OaResult<Option<DateTime<Utc>>> {
        let now = self.now();
        let norm = normalise_login(&view.login);
        self.unauthenticated(|tx| {
            let params = params::load(tx.as_read())?;
            let mut failures = store::load_failures(tx.as_read(), &norm)?;
            let until = failures.fail(now, &params);
            store::put_failures(tx, &norm, &failures)?;
            audit::append(
                tx,
                AuditEntry {
                    at: now,
                    actor: Some(view.person),
                    actor_login: Some(view.login.clone()),
                    session: Some(view.session_id),
                    operation: OP_CHANGE.to_string(),
                    target: Some(format!("person:{}", view.person)),
                    outcome: AuditOutcome::Failed,
                    summary: match until {
                        Some(until) => format!("wrong current password; the login is locked until {}", rfc3339(until)),
                        None => "wrong current password".into(),
                    },
                },
            )?;
            Ok(until)
        })
    }

    /// Sets another person's password (permission `auth.password.reset` over the person). The
    /// person must change it at the next sign-in; their sessions are revoked and their login
    /// unlocked. The new password must satisfy the policy (`new_password`).
    pub fn reset_password(&self, session: &Session, person: PersonId, new_password: &str) -> OaResult<()> {
        fn target(
            tx: &mut dyn ReadTxn,
            principal: &Principal,
            person: PersonId,
            new_password: &str,
        ) -> OaResult<Person> {
            let target = authorise_other(tx, principal, PERM_RESET, person)?;
            check_password_policy(params::load(tx)?.password_policy, new_password, "new_password")?;
            Ok(target)
        }
        // Authorise and validate before paying for the hash; the transaction checks again.
        self.query(session, OP_RESET, PendingPassword::Refuse, |qx| {
            target(qx.tx, &qx.actor.principal, person, new_password).map(drop)
        })?;
        let hash = password::hash_password(new_password)?;
        self.mutate(session, OP_RESET, PendingPassword::Refuse, |cx| {
            let target = target(cx.tx.as_read(), &cx.actor.principal, person, new_password)?;
            set_password_hash_raw(cx.tx, person, hash.clone(), true, cx.now)?;
            let limits = SessionLimits::from_params(&params::load(cx.tx.as_read())?);
            let revoked = store::revoke_sessions(cx.tx, person, None, limits, cx.now)?;
            store::clear_failures(cx.tx, &normalise_login(&target.login))?;
            Ok((
                (),
                Change::new(
                    format!("person:{person}"),
                    format!("password reset, to be changed at the next sign-in; {revoked} session(s) revoked"),
                ),
            ))
        })
    }

    /// The live sessions of `person`, in sign-in order. One's own need no permission; anyone
    /// else's need `auth.session.read` over the person.
    pub fn list_sessions(&self, session: &Session, person: PersonId) -> OaResult<Vec<SessionInfo>> {
        self.query(session, OP_LIST, PendingPassword::Refuse, |qx| {
            if person != qx.actor.person {
                authorise_other(qx.tx, &qx.actor.principal, PERM_SESSION_READ, person)?;
            }
            let limits = SessionLimits::from_params(&params::load(qx.tx)?);
            let (now, current) = (qx.now, qx.actor.session_id);
            Ok(store::sessions_of(qx.tx, person)?
                .iter()
                .filter(|(_, s)| !limits.expired(s, now))
                .map(|(_, s)| session_info(s, limits, current))
                .collect())
        })
    }

    /// Ends one session by its id. One's own need no permission; anyone else's need
    /// `auth.session.revoke` over its person.
    pub fn revoke_session(&self, session: &Session, session_id: Id) -> OaResult<()> {
        self.mutate(session, OP_REVOKE, PendingPassword::Refuse, |cx| {
            let (hash, target) = store::session_by_id(cx.tx.as_read(), session_id)?
                .ok_or_else(|| OaError::not_found("session", session_id))?;
            if target.person != cx.actor.person {
                authorise_other(cx.tx.as_read(), &cx.actor.principal, PERM_SESSION_REVOKE, target.person)?;
            }
            store::delete_session(cx.tx, &hash, &target)?;
            Ok((
                (),
                Change::new(format!("session:{session_id}"), format!("revoked a session of person:{}", target.person)),
            ))
        })
    }

    /// Ends every session of `person` (one's own included, when it is oneself); returns how many
    /// live sessions ended. One's own need no permission; anyone else's need
    /// `auth.session.revoke` over the person.
    pub fn revoke_sessions_of(&self, session: &Session, person: PersonId) -> OaResult<u32> {
        self.mutate(session, OP_REVOKE_ALL, PendingPassword::Refuse, |cx| {
            if person != cx.actor.person {
                authorise_other(cx.tx.as_read(), &cx.actor.principal, PERM_SESSION_REVOKE, person)?;
            }
            let limits = SessionLimits::from_params(&params::load(cx.tx.as_read())?);
            let revoked = store::revoke_sessions(cx.tx, person, None, limits, cx.now)?;
            Ok((revoked, Change::new(format!("person:{person}"), format!("revoked {revoked} session(s)"))))
        })
    }
}
