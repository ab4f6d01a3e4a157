//! Initialising a new office: the store's meta record, default parameters, built-in roles, a
//! root department and the first administrator(s).
//!
//! With separation of duties (三员分立) the office starts with three accounts: a system
//! administrator (`sys_admin`), a security administrator (`sec_admin`) and an auditor
//! (`auditor`); without it, one administrator holding the `admin` role.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use oa_storage::{Direction, KeyRange, Store};

use crate::admin::params::{self, ParamValue, PasswordPolicyPreset};
use crate::audit::{self, AuditEntry, AuditOutcome};
use crate::auth::{self, InitAccount};
use crate::clock::Clock;
use crate::engine::{self, Oa};
use crate::error::Problems;
use crate::org::{self, Department, DeptId, DeptStatus, Person, PersonId, PersonStatus};
use crate::perm::{ROLE_ADMIN, ROLE_AUDITOR, ROLE_SEC_ADMIN, ROLE_SYS_ADMIN};
use crate::{OaError, OaResult};

/// The longest office name, in characters (it is also the root department's name).
const MAX_OFFICE_NAME: usize = 100;
/// The shortest and longest login, in characters (the organisation's rule).
const LOGIN_CHARS: (usize, usize) = (2, 64);
/// The longest person name, in characters.
const MAX_NAME: usize = 100;

/// The password policy a new office starts with (the parameter's default).
const INITIAL_POLICY: PasswordPolicyPreset = PasswordPolicyPreset::Owasp;

/// What a new office starts with. `Debug` never shows the passwords.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitOffice {
    /// The office's name, also the name of its root department.
    pub office_name: String,
    /// The first administrator's login.
    pub admin_login: String,
    /// The first administrator's name.
    pub admin_name: String,
    /// The first administrator's password (checked against the password policy).
    pub admin_password: String,
    /// Whether the office separates duties (三员分立): then the first administrator is the system
    /// administrator, and `security_admin` and `auditor` are required.
    #[serde(default)]
    pub separation_of_duties: bool,
    /// The security administrator (安全管理员), with separation of duties only.
    #[serde(default)]
    pub security_admin: Option<InitAccount>,
    /// The security auditor (安全审计员), with separation of duties only.
    #[serde(default)]
    pub auditor: Option<InitAccount>,
}

impl std::fmt::Debug for InitOffice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InitOffice")
            .field("office_name", &self.office_name)
            .field("admin_login", &self.admin_login)
            .field("admin_name", &self.admin_name)
            .field("admin_password", &"<redacted>")
            .field("separation_of_duties", &self.separation_of_duties)
            .field("security_admin", &self.security_admin)
            .field("auditor", &self.auditor)
            .finish()
    }
}

impl InitOffice {
    /// An office named `office_name` whose first administrator signs in as `login`, without
    /// separation of duties.
    pub fn new(office_name: &str, login: &str, name: &str, password: &str) -> Self {
        InitOffice {
            office_name: office_name.into(),
            admin_login: login.into(),
            admin_name: name.into(),
            admin_password: password.into(),
            separation_of_duties: false,
            security_admin: None,
            auditor: None,
        }
    }

    /// The same office with separation of duties (三员分立): the first administrator becomes the
    /// system administrator, beside a security administrator and an auditor.
    pub fn with_separation_of_duties(mut self, security_admin: InitAccount, auditor: InitAccount) -> Self {
        self.separation_of_duties = true;
        self.security_admin = Some(security_admin);
        self.auditor = Some(auditor);
        self
    }

    /// Checks every field at once, without a store: a validation error lists every failing field
    /// (`office_name`, `admin_password`, `security_admin.login`...).
    pub fn validate(&self) -> OaResult<()> {
        self.accounts().map(drop)
    }

    /// The accounts to create with their roles, validated and trimmed.
    fn accounts(&self) -> OaResult<Vec<(InitAccount, &'static str)>> {
        let mut problems = Problems::new();
        check_text(&mut problems, "office_name", &self.office_name, MAX_OFFICE_NAME);
        let admin = InitAccount::new(&self.admin_login, &self.admin_name, &self.admin_password);
        let mut accounts = Vec::new();
        check_account(&mut problems, "admin_", &admin);
        if self.separation_of_duties {
            accounts.push((admin, ROLE_SYS_ADMIN));
            for (field, account, role) in
                [("security_admin", &self.security_admin, ROLE_SEC_ADMIN), ("auditor", &self.auditor, ROLE_AUDITOR)]
            {
                match account {
                    Some(a) => {
                        check_account(&mut problems, &format!("{field}."), a);
                        accounts.push((a.clone(), role));
                    }
                    None => problems.add(field, "is required when separation of duties is on"),
                }
            }
        } else {
            accounts.push((admin, ROLE_ADMIN));
            for (field, account) in [("security_admin", &self.security_admin), ("auditor", &self.auditor)] {
                if account.is_some() {
                    problems.add(field, "is only given when separation of duties is on");
                }
            }
        }
        let paths = ["admin_login", "security_admin.login", "auditor.login"];
        for i in 1..accounts.len() {
            let login = accounts[i].0.login.trim().to_lowercase();
            if let Some(j) = (0..i).find(|&j| accounts[j].0.login.trim().to_lowercase() == login) {
                problems
                    .add(paths[i], format!("`{}` is already the login of `{}`", accounts[i].0.login.trim(), paths[j]));
            }
        }
        problems.finish()?;
        Ok(accounts
            .into_iter()
            .map(|(a, role)| (InitAccount::new(a.login.trim(), a.name.trim(), &a.password), role))
            .collect())
    }
}

fn check_text(problems: &mut Problems, path: &str, value: &str, max: usize) {
    let value = value.trim();
    if value.is_empty() {
        problems.add(path, "must not be empty");
    } else if value.chars().count() > max {
        problems.add(path, format!("must be at most {max} characters long"));
    } else if value.chars().any(char::is_control) {
        problems.add(path, "must not contain control characters");
    }
}

/// Checks one account; `prefix` is `admin_` (flat fields) or `security_admin.` (nested).
fn check_account(problems: &mut Problems, prefix: &str, account: &InitAccount) {
    let login = account.login.trim();
    let login_path = format!("{prefix}login");
    // The same rule as the organisation's for every other login.
    let n = login.chars().count();
    if n < LOGIN_CHARS.0 || n > LOGIN_CHARS.1 {
        problems.add(&login_path, format!("must be {} to {} characters, got {n}", LOGIN_CHARS.0, LOGIN_CHARS.1));
    } else if !login.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '@' | '-')) {
        problems.add(&login_path, format!("`{login}` may hold only letters a-z, digits, `.`, `_`, `@` and `-`"));
    }
    check_text(problems, &format!("{prefix}name"), &account.name, MAX_NAME);
    auth::policy_problems(INITIAL_POLICY, &account.password, &format!("{prefix}password"), problems);
}

impl Oa {
    /// Initialises a new office in an empty `store` and opens it.
    ///
    /// Writes, in one transaction: the store's meta record, the parameters (`office.name`, and
    /// separation of duties when asked), the built-in roles, a root department named after the
    /// office, the first account(s) with their passwords and roles, and an audit record. Every
    /// input field is checked first (a validation error lists them all); a store that already
    /// holds an office is refused with `invalid_state`, one holding anything else with
    /// `incompatible_store`, and nothing is written.
    pub fn init(store: impl Store, clock: impl Clock, input: InitOffice) -> OaResult<Oa> {
        Self::init_shared(Arc::new(store), Arc::new(clock), input)
    }

    /// [`Oa::init`] over a store shared as a trait object.
    pub fn init_shared(store: Arc<dyn Store>, clock: Arc<dyn Clock>, input: InitOffice) -> OaResult<Oa> {
        let accounts = input.accounts()?;
        let office_name = input.office_name.trim().to_string();
        // Hashing is slow by design: done before the transaction, not inside it.
        let hashes = accounts.iter().map(|(a, _)| auth::hash_password(&a.password)).collect::<OaResult<Vec<_>>>()?;
        let oa = Oa::wrap(store, clock);
        let now = oa.now();
        let sod = input.separation_of_duties;
        oa.unauthenticated(|tx| {
            if tx.get(engine::meta_key().as_bytes())?.is_some() {
                return Err(OaError::InvalidState("the store already holds an office".into()));
            }
            if !tx.scan(&KeyRange::all(), Direction::Forward, 1)?.is_empty() {
                return Err(OaError::IncompatibleStore(
                    "the store holds data that is not an oa office; an office is initialised only in an empty store"
                        .into(),
                ));
            }
            engine::write_meta(tx, now)?;
            params::set_raw(tx, params::OFFICE_NAME, ParamValue::Text(office_name.clone()))?;
            if sod {
                params::set_raw(tx, params::SEPARATION_OF_DUTIES, ParamValue::Bool(true))?;
            }
            crate::perm::install_builtin_roles(tx, now, sod)?;
            let root = Department {
                id: DeptId(oa.inner.ids.next(now)),
                name: office_name.clone(),
                code: None,
                parent: None,
                sort_order: 0,
                head: None,
                status: DeptStatus::Active,
                created_at: now,
                updated_at: now,
            };
            org::insert_department(tx, &root)?;
            let mut first: Option<Person> = None;
            for ((account, role), hash) in accounts.iter().zip(&hashes) {
                let person = Person {
                    id: PersonId(oa.inner.ids.next(now)),
                    login: account.login.clone(),
                    name: account.name.clone(),
                    email: None,
                    phone: None,
                    dept: root.id,
                    position: None,
                    superior: None,
                    posts: Vec::new(),
                    status: PersonStatus::Active,
                    created_at: now,
                    updated_at: now,
                };
                org::insert_person(tx, &person)?;
                auth::set_password_hash_raw(tx, person.id, hash.clone(), false, now)?;
                crate::perm::grant_builtin(tx, now, person.id, role)?;
                first.get_or_insert(person);
            }
            crate::perm::bump_version(tx)?;
            let admin = first.ok_or_else(|| OaError::Internal("an office without an administrator".into()))?;
            audit::append(
                tx,
                AuditEntry {
                    at: now,
                    actor: Some(admin.id),
                    actor_login: Some(admin.login.clone()),
                    session: None,
                    operation: "office.init".into(),
                    target: Some(format!("department:{}", root.id)),
                    outcome: AuditOutcome::Success,
                    summary: format!(
                        "office `{office_name}` initialised with {} account(s){}",
                        accounts.len(),
                        if sod { ", separation of duties on" } else { "" }
                    ),
                },
            )
        })?;
        Ok(oa)
    }
}
