//! The entry point ([`Oa`]) and the one shape every operation has:
//!
//! 1. authenticate the session;
//! 2. authorise: the actor holds the permission and the target lies in the actor's data scope;
//! 3. validate the input;
//! 4. in one storage transaction, write the change, its index entries and its audit record;
//! 5. return plain data.
//!
//! Domain modules implement their operations as `impl Oa` blocks that call [`Oa::mutate`] or
//! [`Oa::query`]; those two functions own steps 1, 4 and the auditing of denied attempts, so no
//! operation can forget them.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use oa_storage::{ReadTxn, Store, StoreExt, WriteTxn};
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditEntry, AuditOutcome};
use crate::auth::{self, SessionCache, SessionRecord};
use crate::clock::Clock;
use crate::codec::Record;
use crate::db;
use crate::id::{Id, IdGen};
use crate::keys::KeyBuf;
use crate::org::PersonId;
use crate::perm::{Principal, PrincipalCache};
use crate::workflow::definition::CompiledCache;
use crate::{OaError, OaResult};

/// The public operations of the engine itself (see `crate::operations`).
pub const OPERATIONS: &[&str] = &["init", "open", "close", "principal"];

/// The store format this release writes. An office written with a higher number is refused;
/// one written with a lower number is marked with this one when opened, so that a release too
/// old for its records refuses it at once instead of failing on the first record it cannot read.
///
/// - 1: records hold ids and instants as text.
/// - 2: records may also hold ids as 16 bytes and instants as integers (record schema version 2,
///   see `codec`). Records written in format 1 are still read as they are; nothing is rewritten.
pub const STORE_FORMAT: u32 = 2;

/// An office: the handle every operation goes through. Cheap to clone, `Send + Sync`.
#[derive(Clone)]
pub struct Oa {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) ids: IdGen,
    pub(crate) principals: PrincipalCache,
    /// Sessions and parameters as every operation's session check reads them.
    pub(crate) sessions: SessionCache,
    /// Compiled process versions, which never change once published.
    pub(crate) processes: CompiledCache,
    closed: AtomicBool,
}

impl std::fmt::Debug for Oa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oa").field("backend", &self.inner.store.backend()).finish()
    }
}

/// What the store says about itself: the office it holds and the format it was written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreMeta {
    /// The store format number ([`STORE_FORMAT`] when written by this release).
    pub format: u32,
    /// When the office was initialised.
    pub created_at: DateTime<Utc>,
}

impl Record for StoreMeta {
    const KIND: &'static str = "store meta";
}

pub(crate) fn meta_key() -> KeyBuf {
    KeyBuf::new("meta").str("store")
}

/// A signed-in session, as the caller holds it: an opaque bearer token.
///
/// The token is the only secret a caller keeps; the store keeps only its hash. `Debug` never
/// shows it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    token: String,
}

impl Session {
    /// A session from a token returned by an earlier sign-in (kept by a frontend between calls).
    pub fn from_token(token: impl Into<String>) -> Self {
        Session { token: token.into() }
    }

    /// The bearer token, to hand back to a frontend.
    pub fn token(&self) -> &str {
        &self.token
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Session(<redacted>)")
    }
}

/// Who is acting in an operation.
#[derive(Debug, Clone)]
pub(crate) struct Actor {
    pub(crate) person: PersonId,
    pub(crate) login: String,
    pub(crate) session_id: Id,
    pub(crate) principal: Arc<Principal>,
}

/// What an operation changed, for its audit record.
#[derive(Debug, Clone, Default)]
pub(crate) struct Change {
    /// What was changed (`person:01J…`, `role:auditor`, `param:auth.lockout.threshold`).
    pub(crate) target: Option<String>,
    /// A short account of the change, without secrets.
    pub(crate) summary: String,
}

impl Change {
    pub(crate) fn new(target: impl Into<String>, summary: impl Into<String>) -> Self {
        Change { target: Some(target.into()), summary: summary.into() }
    }
}

/// How an operation treats a session whose person must change their password first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PendingPassword {
    /// Refuse with [`OaError::PasswordChangeRequired`] (every operation but a few).
    Refuse,
    /// Allow (changing one's own password, signing out, reading who one is).
    Allow,
}

/// The context of a read-write operation.
pub(crate) struct Cx<'a> {
    pub(crate) tx: &'a mut dyn WriteTxn,
    pub(crate) oa: &'a Inner,
    pub(crate) now: DateTime<Utc>,
    pub(crate) actor: Actor,
}

/// The context of a read-only operation.
pub(crate) struct Qx<'a> {
    pub(crate) tx: &'a mut dyn ReadTxn,
    pub(crate) oa: &'a Inner,
    pub(crate) now: DateTime<Utc>,
    pub(crate) actor: Actor,
}

macro_rules! authorisation_helpers {
    ($t:ident) => {
        impl $t<'_> {
            /// Requires `permission`, in any scope.
            pub(crate) fn require(&self, permission: &'static str) -> OaResult<()> {
                self.actor.principal.require(permission)
            }

            /// Requires `permission` on a record owned by department `dept` and person `owner`.
            pub(crate) fn require_on(
                &self,
                permission: &'static str,
                dept: Option<crate::org::DeptId>,
                owner: Option<PersonId>,
            ) -> OaResult<()> {
                self.actor.principal.require_on(permission, dept, owner)
            }
        }
    };
}
authorisation_helpers!(Cx);
authorisation_helpers!(Qx);

impl Cx<'_> {
    /// A new id, sortable by creation.
    pub(crate) fn new_id(&self) -> Id {
        self.oa.ids.next(self.now)
    }

    /// This context's transaction seen as a reader.
    pub(crate) fn read(&mut self) -> &mut dyn ReadTxn {
        self.tx.as_read()
    }
}

impl Oa {
    /// Opens the office held in `store`.
    ///
    /// Fails with `incompatible_store` when the store holds no office, holds something that is
    /// not an oa office, or was written by a newer version of oa.
    pub fn open(store: impl Store, clock: impl Clock) -> OaResult<Oa> {
        let oa = Self::wrap(Arc::new(store), Arc::new(clock));
        oa.check_format()?;
        Ok(oa)
    }

    /// Opens the office held in a store shared as a trait object.
    pub fn open_shared(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> OaResult<Oa> {
        let oa = Self::wrap(store, clock);
        oa.check_format()?;
        Ok(oa)
    }

    pub(crate) fn wrap(store: Arc<dyn Store>, clock: Arc<dyn Clock>) -> Oa {
        Oa {
            inner: Arc::new(Inner {
                store,
                clock,
                ids: IdGen::default(),
                principals: PrincipalCache::default(),
                sessions: SessionCache::default(),
                processes: CompiledCache::default(),
                closed: AtomicBool::new(false),
            }),
        }
    }

    fn check_format(&self) -> OaResult<()> {
        let meta = self.inner.store.read(|tx| {
            let raw = tx.get(meta_key().as_bytes())?;
            let empty =
                raw.is_none() && tx.scan(&oa_storage::KeyRange::all(), oa_storage::Direction::Forward, 1)?.is_empty();
            Ok::<_, OaError>((raw, empty))
        })?;
        match meta {
            (None, true) => {
                Err(OaError::IncompatibleStore("the store holds no office yet; initialise one first".into()))
            }
            (None, false) => Err(OaError::IncompatibleStore("the store holds data that is not an oa office".into())),
            (Some(raw), _) => {
                let meta: StoreMeta = crate::codec::decode(&raw)?;
                if meta.format > STORE_FORMAT {
                    return Err(OaError::IncompatibleStore(format!(
                        "the office was written by a newer version of oa (store format {}, this release reads up to {STORE_FORMAT})",
                        meta.format
                    )));
                }
                if meta.format < STORE_FORMAT {
                    self.mark_format()?;
                }
                Ok(())
            }
        }
    }

    /// Marks the store with [`STORE_FORMAT`], auditing the step. Checked again inside the
    /// transaction: when several processes open the office at once, one of them marks it.
    fn mark_format(&self) -> OaResult<()> {
        let now = self.inner.clock.now();
        self.inner.store.write(|tx| {
            let Some(meta) = db::get::<StoreMeta>(tx.as_read(), meta_key().as_bytes())? else {
                return Err(OaError::IncompatibleStore("the store's meta record went missing".into()));
            };
            if meta.format >= STORE_FORMAT {
                return Ok(());
            }
            db::put(tx, meta_key().as_bytes(), &StoreMeta { format: STORE_FORMAT, created_at: meta.created_at })?;
            audit::append(
                tx,
                AuditEntry {
                    at: now,
                    actor: None,
                    actor_login: None,
                    session: None,
                    operation: "office.upgrade".into(),
                    target: None,
                    outcome: AuditOutcome::Success,
                    summary: format!(
                        "store format {} marked {STORE_FORMAT}; records already written are read as they are",
                        meta.format
                    ),
                },
            )
        })
    }

    /// The backend the office is stored in (`memory`, `sled`, `postgres`).
    pub fn backend(&self) -> &'static str {
        self.inner.store.backend()
    }

    /// The store under this office, for backups and snapshots.
    pub fn store(&self) -> Arc<dyn Store> {
        self.inner.store.clone()
    }

    /// The current instant by the office's clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    /// Closes this handle and every clone of it: later calls fail with `closed`.
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::SeqCst);
    }

    /// Whether [`Oa::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    pub(crate) fn ensure_open(&self) -> OaResult<()> {
        if self.is_closed() {
            Err(OaError::Closed)
        } else {
            Ok(())
        }
    }

    fn actor(&self, tx: &mut dyn ReadTxn, record: &SessionRecord) -> OaResult<Actor> {
        let principal = self.inner.principals.principal(tx, record.person)?;
        Ok(Actor { person: record.person, login: record.login.clone(), session_id: record.id, principal })
    }

    /// The signed-in person's compiled permissions: a snapshot that answers "may I do X (to a
    /// record of department D owned by P)?" as a lookup, without a call per question. A UI uses
    /// it to decide which menus and buttons to show; operations still check for themselves.
    /// The snapshot does not follow later changes to roles, grants or the organisation: ask
    /// again after them.
    pub fn principal(&self, session: &Session) -> OaResult<Arc<Principal>> {
        self.query(session, "perm.principal", PendingPassword::Refuse, |qx| Ok(qx.actor.principal.clone()))
    }

    /// Runs a read-write operation: authenticates `session`, runs `f` in one transaction and
    /// appends the audit record of its change in that same transaction. A permission denial
    /// rolls back whatever `f` wrote and is audited in a transaction of its own.
    pub(crate) fn mutate<T>(
        &self,
        session: &Session,
        operation: &'static str,
        pending: PendingPassword,
        mut f: impl FnMut(&mut Cx<'_>) -> OaResult<(T, Change)>,
    ) -> OaResult<T> {
        self.ensure_open()?;
        let now = self.inner.clock.now();
        let mut denied_actor: Option<Actor> = None;
        let result = self.inner.store.write(|tx| {
            let record = auth::authenticate(tx, &self.inner, session.token(), now, pending)?;
            let actor = self.actor(tx.as_read(), &record)?;
            denied_actor = Some(actor.clone());
            let mut cx = Cx { tx, oa: &self.inner, now, actor };
            let (out, change) = f(&mut cx)?;
            let Cx { tx, actor, .. } = cx;
            audit::append(
                tx,
                AuditEntry {
                    at: now,
                    actor: Some(actor.person),
                    actor_login: Some(actor.login.clone()),
                    session: Some(actor.session_id),
                    operation: operation.to_string(),
                    target: change.target,
                    outcome: AuditOutcome::Success,
                    summary: change.summary,
                },
            )?;
            Ok(out)
        });
        self.audit_denial(result, denied_actor, operation, now)
    }

    /// Runs a read-only operation: authenticates `session` and runs `f` against committed data.
    /// A permission denial is audited.
    pub(crate) fn query<T>(
        &self,
        session: &Session,
        operation: &'static str,
        pending: PendingPassword,
        mut f: impl FnMut(&mut Qx<'_>) -> OaResult<T>,
    ) -> OaResult<T> {
        self.ensure_open()?;
        let now = self.inner.clock.now();
        let mut denied_actor: Option<Actor> = None;
        let mut touch = false;
        let result = self.inner.store.read(|tx| {
            let (record, stale) = auth::authenticate_read(tx, &self.inner, session.token(), now, pending)?;
            touch = stale;
            let actor = self.actor(tx, &record)?;
            denied_actor = Some(actor.clone());
            let mut qx = Qx { tx, oa: &self.inner, now, actor };
            f(&mut qx)
        });
        if touch && result.is_ok() {
            // Keeps the session's idle expiry moving; a failure here must not fail the read.
            let _ = self.inner.store.write(|tx| auth::touch(tx, session.token(), now));
        }
        self.audit_denial(result, denied_actor, operation, now)
    }

    fn audit_denial<T>(
        &self,
        result: OaResult<T>,
        actor: Option<Actor>,
        operation: &'static str,
        now: DateTime<Utc>,
    ) -> OaResult<T> {
        if let (Err(OaError::PermissionDenied { permission, reason }), Some(actor)) = (&result, actor) {
            let entry = AuditEntry {
                at: now,
                actor: Some(actor.person),
                actor_login: Some(actor.login),
                session: Some(actor.session_id),
                operation: operation.to_string(),
                target: None,
                outcome: AuditOutcome::Denied,
                summary: match reason {
                    Some(r) => format!("lacks `{permission}`: {r}"),
                    None => format!("lacks `{permission}`"),
                },
            };
            self.inner.store.write(|tx| audit::append(tx, entry.clone()))?;
        }
        result
    }

    /// Runs `f` in one transaction without a session, for the few operations that have none
    /// (initialising an office, signing in). `f` appends its own audit records.
    pub(crate) fn unauthenticated<T>(&self, f: impl FnMut(&mut dyn WriteTxn) -> OaResult<T>) -> OaResult<T> {
        self.ensure_open()?;
        self.inner.store.write(f)
    }
}

/// Writes the store's meta record; part of initialising an office.
pub(crate) fn write_meta(tx: &mut dyn WriteTxn, now: DateTime<Utc>) -> OaResult<()> {
    db::put(tx, meta_key().as_bytes(), &StoreMeta { format: STORE_FORMAT, created_at: now })
}
