//! `Office`, the handle every operation goes through, `Session`, a signed-in session, and
//! `Principal`, a session's compiled permissions.
//!
//! Every operation of the core is a method of `Office` under its own name (snake_case here,
//! camelCase in Kotlin and Swift), except three whose names cannot be used as they are:
//!
//! - `init` is the named constructors `init_folder` and `init_memory` (`init` is reserved in
//!   Swift, and the store has to be named);
//! - `open` is the named constructor `open_folder`;
//! - `close` is `close_office`: the generated Kotlin class already has `close()` from
//!   `AutoCloseable`, which releases the handle rather than closing the office.
//!
//! The methods of business types, monitoring and delegation are in `office_workflow_admin.rs`,
//! a second exported block of `Office`.

use std::sync::Arc;
use std::time::SystemTime;

use oa::perm::GrantId;
use oa::workflow::runtime::{InstanceId, TaskId};
use oa::{DeptId, Id, Oa, PersonId};

use crate::admin::*;
use crate::error::{guard, OaResult};
use crate::form::*;
use crate::types::*;
use crate::workflow::*;

/// A signed-in session: an opaque bearer token. Keep `token()` to resume the session later
/// with `Session.fromToken`; it is the only secret a caller holds.
#[derive(uniffi::Object)]
pub struct Session {
    pub(crate) inner: oa::Session,
}

#[uniffi::export]
impl Session {
    /// A session from a token returned by an earlier sign-in.
    #[uniffi::constructor]
    pub fn from_token(token: String) -> Arc<Self> {
        Arc::new(Session { inner: oa::Session::from_token(token) })
    }

    /// The bearer token.
    pub fn token(&self) -> String {
        self.inner.token().to_string()
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Session(<redacted>)")
    }
}

/// The signed-in person's compiled permissions, from `Office.principal`: answers "may I do X (to
/// a record of department D owned by P)?" as a lookup, without a call into the office per
/// question, so a UI can decide which menus and buttons to show. A snapshot: it does not follow
/// later changes to roles, grants or the organisation (ask the office again after them), and the
/// operations still check for themselves.
#[derive(Debug, uniffi::Object)]
pub struct Principal {
    inner: Arc<oa::Principal>,
}

#[uniffi::export]
impl Principal {
    /// The id of the person whose permissions these are.
    pub fn person(&self) -> String {
        self.inner.person.to_string()
    }

    /// Whether the person holds `permission` in any scope (a name not in the catalogue is not
    /// held).
    pub fn allows(&self, permission: String) -> bool {
        self.inner.allows(&permission)
    }

    /// Whether the person holds `permission` on a record of department `dept` owned by `owner`.
    /// A record with neither is reached only by an unrestricted scope: `allows` asks "in any
    /// scope". An id that is not an id is a `validation` error naming it.
    #[uniffi::method(default(dept = None, owner = None))]
    pub fn allows_on(&self, permission: String, dept: Option<String>, owner: Option<String>) -> OaResult<bool> {
        guard(|| {
            let mut f = Fields::new();
            let dept: Option<DeptId> = f.opt_id("dept", dept.as_deref());
            let owner: Option<PersonId> = f.opt_id("owner", owner.as_deref());
            f.finish()?;
            Ok(self.inner.allows_on(&permission, dept, owner))
        })
    }

    /// Every permission the person holds, in catalogue order.
    pub fn permissions(&self) -> Vec<String> {
        self.inner.permissions()
    }

    /// The person's reach for `permission`, as a filter for list queries (empty when not held).
    pub fn scope(&self, permission: String) -> ScopeFilter {
        self.inner.scope(&permission).into()
    }
}

/// An office (办公室): the handle every operation goes through. Thread-safe; share one per
/// office. Opening a folder holds it until the handle is released (Kotlin `close()`/`use {}`,
/// Swift deinit).
#[derive(uniffi::Object)]
pub struct Office {
    pub(crate) oa: Oa,
}

impl std::fmt::Debug for Office {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Office").field("backend", &self.oa.backend()).finish()
    }
}

impl Office {
    fn wrap(oa: Oa) -> Arc<Self> {
        Arc::new(Office { oa })
    }
}

#[uniffi::export]
impl Office {
    // --- engine ------------------------------------------------------------------------------

    /// Initialises a new office in the empty folder `folder` (created if missing) on the
    /// embedded on-disk store, and opens it (the core's `init`).
    #[uniffi::constructor]
    pub fn init_folder(folder: String, input: InitOffice) -> OaResult<Arc<Self>> {
        guard(|| {
            let store = oa::SledStore::open(&folder)?;
            Ok(Self::wrap(Oa::init(store, oa::SystemClock, input.into())?))
        })
    }

    /// Initialises a new office in memory (the core's `init`); it is gone when released.
    #[uniffi::constructor]
    pub fn init_memory(input: InitOffice) -> OaResult<Arc<Self>> {
        guard(|| Ok(Self::wrap(Oa::init(oa::MemoryStore::new(), oa::SystemClock, input.into())?)))
    }

    /// Opens the office kept in `folder` (the core's `open`).
    #[uniffi::constructor]
    pub fn open_folder(folder: String) -> OaResult<Arc<Self>> {
        guard(|| Ok(Self::wrap(oa::open_folder(&folder)?)))
    }

    /// Closes the office (the core's `close`): every later call on it, from any thread, fails
    /// with `closed`.
    pub fn close_office(&self) {
        self.oa.close()
    }

    /// Whether `close_office` was called.
    pub fn is_closed(&self) -> bool {
        self.oa.is_closed()
    }

    /// The backend the office is stored in (`memory`, `sled`).
    pub fn backend(&self) -> String {
        self.oa.backend().to_string()
    }

    /// The current instant by the office's clock.
    pub fn now(&self) -> SystemTime {
        to_system(self.oa.now())
    }

    // --- auth --------------------------------------------------------------------------------

    /// Signs in; a wrong login or password is `unauthenticated`, too many failures
    /// `account_locked`.
    pub fn sign_in(&self, login: String, password: String) -> OaResult<Arc<Session>> {
        guard(|| Ok(Arc::new(Session { inner: self.oa.sign_in(&login, &password)? })))
    }

    /// Signs out: the session can no longer be used.
    pub fn sign_out(&self, session: Arc<Session>) -> OaResult<()> {
        guard(|| Ok(self.oa.sign_out(&session.inner)?))
    }

    /// Who the caller is.
    pub fn whoami(&self, session: Arc<Session>) -> OaResult<Me> {
        guard(|| Ok(self.oa.whoami(&session.inner)?.into()))
    }

    /// Changes the caller's own password; other sessions of the caller are signed out.
    pub fn change_password(&self, session: Arc<Session>, old_password: String, new_password: String) -> OaResult<()> {
        guard(|| Ok(self.oa.change_password(&session.inner, &old_password, &new_password)?))
    }

    /// Sets another person's password, to be changed at their next sign-in.
    pub fn reset_password(&self, session: Arc<Session>, person: String, new_password: String) -> OaResult<()> {
        guard(|| {
            let person: PersonId = parse_id("person", &person)?;
            Ok(self.oa.reset_password(&session.inner, person, &new_password)?)
        })
    }

    /// The live sessions of a person.
    pub fn list_sessions(&self, session: Arc<Session>, person: String) -> OaResult<Vec<SessionInfo>> {
        guard(|| {
            let person: PersonId = parse_id("person", &person)?;
            Ok(self.oa.list_sessions(&session.inner, person)?.into_iter().map(SessionInfo::from).collect())
        })
    }

    /// Revokes one session by its id.
    pub fn revoke_session(&self, session: Arc<Session>, session_id: String) -> OaResult<()> {
        guard(|| {
            let id: Id = parse_id("session_id", &session_id)?;
            Ok(self.oa.revoke_session(&session.inner, id)?)
        })
    }

    /// Revokes every session of a person; returns how many there were.
    pub fn revoke_sessions_of(&self, session: Arc<Session>, person: String) -> OaResult<u32> {
        guard(|| {
            let person: PersonId = parse_id("person", &person)?;
            Ok(self.oa.revoke_sessions_of(&session.inner, person)?)
        })
    }

    // --- org: departments --------------------------------------------------------------------

    /// Creates a department.
    pub fn create_department(&self, session: Arc<Session>, input: NewDepartment) -> OaResult<Department> {
        guard(|| Ok(self.oa.create_department(&session.inner, input.into_core()?)?.into()))
    }

    /// Renames a department.
    pub fn rename_department(&self, session: Arc<Session>, id: String, name: String) -> OaResult<Department> {
        guard(|| {
            let id: DeptId = parse_id("id", &id)?;
            Ok(self.oa.rename_department(&session.inner, id, &name)?.into())
        })
    }

    /// Moves a department under another parent (a root when `None`) at `sort_order` (after the
    /// last sibling when `None`).
    #[uniffi::method(default(sort_order = None))]
    pub fn move_department(
        &self,
        session: Arc<Session>,
        id: String,
        new_parent: Option<String>,
        sort_order: Option<i64>,
    ) -> OaResult<Department> {
        guard(|| {
            let mut f = Fields::new();
            let id: DeptId = f.id("id", &id);
            let new_parent: Option<DeptId> = f.opt_id("new_parent", new_parent.as_deref());
            f.finish()?;
            Ok(self.oa.move_department(&session.inner, id, new_parent, sort_order)?.into())
        })
    }

    /// Sets a department's position among its siblings.
    pub fn reorder_department(&self, session: Arc<Session>, id: String, sort_order: i64) -> OaResult<Department> {
        guard(|| {
            let id: DeptId = parse_id("id", &id)?;
            Ok(self.oa.reorder_department(&session.inner, id, sort_order)?.into())
        })
    }

    /// Sets (or with `None` clears) the head of a department.
    pub fn set_department_head(&self, session: Arc<Session>, id: String, head: Option<String>) -> OaResult<Department> {
        guard(|| {
            let mut f = Fields::new();
            let id: DeptId = f.id("id", &id);
            let head: Option<PersonId> = f.opt_id("head", head.as_deref());
            f.finish()?;
            Ok(self.oa.set_department_head(&session.inner, id, head)?.into())
        })
    }

    /// Disables a department (refused while active people or departments remain in it).
    pub fn disable_department(&self, session: Arc<Session>, id: String) -> OaResult<Department> {
        guard(|| {
            let id: DeptId = parse_id("id", &id)?;
            Ok(self.oa.disable_department(&session.inner, id)?.into())
        })
    }

    /// Enables a disabled department.
    pub fn enable_department(&self, session: Arc<Session>, id: String) -> OaResult<Department> {
        guard(|| {
            let id: DeptId = parse_id("id", &id)?;
            Ok(self.oa.enable_department(&session.inner, id)?.into())
        })
    }

    /// One department.
    pub fn get_department(&self, session: Arc<Session>, id: String) -> OaResult<Department> {
        guard(|| {
            let id: DeptId = parse_id("id", &id)?;
            Ok(self.oa.get_department(&session.inner, id)?.into())
        })
    }

    /// Every department the caller may see, in tree order.
    pub fn list_departments(&self, session: Arc<Session>) -> OaResult<Vec<Department>> {
        guard(|| Ok(self.oa.list_departments(&session.inner)?.into_iter().map(Department::from).collect()))
    }

    /// The department whose code is `code` (case-insensitive).
    pub fn find_department_by_code(&self, session: Arc<Session>, code: String) -> OaResult<Department> {
        guard(|| Ok(self.oa.find_department_by_code(&session.inner, &code)?.into()))
    }

    /// The children of a department, in order.
    pub fn department_children(&self, session: Arc<Session>, id: String) -> OaResult<Vec<Department>> {
        guard(|| {
            let id: DeptId = parse_id("id", &id)?;
            Ok(self.oa.department_children(&session.inner, id)?.into_iter().map(Department::from).collect())
        })
    }

    /// A department and every department below it, in tree order.
    pub fn department_subtree(&self, session: Arc<Session>, id: String) -> OaResult<Vec<Department>> {
        guard(|| {
            let id: DeptId = parse_id("id", &id)?;
            Ok(self.oa.department_subtree(&session.inner, id)?.into_iter().map(Department::from).collect())
        })
    }

    // --- org: people -------------------------------------------------------------------------

    /// Creates a person.
    pub fn create_person(&self, session: Arc<Session>, input: NewPerson) -> OaResult<Person> {
        guard(|| Ok(self.oa.create_person(&session.inner, input.into_core()?)?.into()))
    }

    /// Changes a person's details.
    pub fn update_person(&self, session: Arc<Session>, id: String, patch: PersonPatch) -> OaResult<Person> {
        guard(|| {
            let mut f = Fields::new();
            let id: PersonId = f.id("id", &id);
            let patch = patch.into_core();
            f.finish()?;
            Ok(self.oa.update_person(&session.inner, id, patch?)?.into())
        })
    }

    /// Moves a person to another department, optionally with a new position (kept when
    /// `None`, cleared by `""`).
    #[uniffi::method(default(position = None))]
    pub fn transfer_person(
        &self,
        session: Arc<Session>,
        id: String,
        dept: String,
        position: Option<String>,
    ) -> OaResult<Person> {
        guard(|| {
            let mut f = Fields::new();
            let id: PersonId = f.id("id", &id);
            let dept: DeptId = f.id("dept", &dept);
            f.finish()?;
            Ok(self.oa.transfer_person(&session.inner, id, dept, position.clone())?.into())
        })
    }

    /// Disables a person: they may not sign in; posts and head roles are kept.
    pub fn disable_person(&self, session: Arc<Session>, id: String) -> OaResult<Person> {
        guard(|| {
            let id: PersonId = parse_id("id", &id)?;
            Ok(self.oa.disable_person(&session.inner, id)?.into())
        })
    }

    /// Enables a disabled person.
    pub fn enable_person(&self, session: Arc<Session>, id: String) -> OaResult<Person> {
        guard(|| {
            let id: PersonId = parse_id("id", &id)?;
            Ok(self.oa.enable_person(&session.inner, id)?.into())
        })
    }

    /// Marks a person as having left (离职).
    pub fn mark_person_left(&self, session: Arc<Session>, id: String) -> OaResult<Person> {
        guard(|| {
            let id: PersonId = parse_id("id", &id)?;
            Ok(self.oa.mark_person_left(&session.inner, id)?.into())
        })
    }

    /// Adds a part-time post (兼职).
    pub fn add_post(&self, session: Arc<Session>, id: String, post: Post) -> OaResult<Person> {
        guard(|| {
            let mut f = Fields::new();
            let id: PersonId = f.id("id", &id);
            let post = post.into_core(&mut f, "post.");
            f.finish()?;
            Ok(self.oa.add_post(&session.inner, id, post)?.into())
        })
    }

    /// Removes the part-time post a person holds in `dept`.
    pub fn remove_post(&self, session: Arc<Session>, id: String, dept: String) -> OaResult<Person> {
        guard(|| {
            let mut f = Fields::new();
            let id: PersonId = f.id("id", &id);
            let dept: DeptId = f.id("dept", &dept);
            f.finish()?;
            Ok(self.oa.remove_post(&session.inner, id, dept)?.into())
        })
    }

    /// One person.
    pub fn get_person(&self, session: Arc<Session>, id: String) -> OaResult<Person> {
        guard(|| {
            let id: PersonId = parse_id("id", &id)?;
            Ok(self.oa.get_person(&session.inner, id)?.into())
        })
    }

    /// The person signing in as `login` (case-insensitive).
    pub fn find_person_by_login(&self, session: Arc<Session>, login: String) -> OaResult<Person> {
        guard(|| Ok(self.oa.find_person_by_login(&session.inner, &login)?.into()))
    }

    /// One page of the people matching `query`.
    pub fn list_people(&self, session: Arc<Session>, query: PeopleQuery, page: PageRequest) -> OaResult<PersonPage> {
        guard(|| Ok(self.oa.list_people(&session.inner, query.into_core()?, page.into())?.into()))
    }

    /// A person's chain of superiors, nearest first.
    pub fn superiors_of(&self, session: Arc<Session>, person: String) -> OaResult<Vec<Person>> {
        guard(|| {
            let person: PersonId = parse_id("person", &person)?;
            Ok(self.oa.superiors_of(&session.inner, person)?.into_iter().map(Person::from).collect())
        })
    }

    /// The head of the department `levels` above a person's own (0: their own department's).
    pub fn head_above(&self, session: Arc<Session>, person: String, levels: u32) -> OaResult<Option<Person>> {
        guard(|| {
            let person: PersonId = parse_id("person", &person)?;
            Ok(self.oa.head_above(&session.inner, person, levels)?.map(Person::from))
        })
    }

    /// Imports departments and people from two CSV files (UTF-8), all or nothing; every bad row
    /// is reported at once with paths such as `people.csv:12.email`.
    pub fn import_org_csv(
        &self,
        session: Arc<Session>,
        departments_csv: Vec<u8>,
        people_csv: Vec<u8>,
    ) -> OaResult<ImportReport> {
        guard(|| Ok(self.oa.import_org_csv(&session.inner, &departments_csv, &people_csv)?.into()))
    }

    // --- perm --------------------------------------------------------------------------------

    /// Every permission of the catalogue.
    pub fn list_permissions(&self, session: Arc<Session>) -> OaResult<Vec<PermissionInfo>> {
        guard(|| Ok(self.oa.list_permissions(&session.inner)?.into_iter().map(PermissionInfo::from).collect()))
    }

    /// Creates a role.
    pub fn create_role(&self, session: Arc<Session>, input: NewRole) -> OaResult<Role> {
        guard(|| Ok(self.oa.create_role(&session.inner, input.into_core()?)?.into()))
    }

    /// Changes a role.
    pub fn update_role(&self, session: Arc<Session>, code: String, patch: RolePatch) -> OaResult<Role> {
        guard(|| Ok(self.oa.update_role(&session.inner, &code, patch.into_core()?)?.into()))
    }

    /// Deletes a role (refused for a built-in role and while it is granted or inherited).
    pub fn delete_role(&self, session: Arc<Session>, code: String) -> OaResult<()> {
        guard(|| Ok(self.oa.delete_role(&session.inner, &code)?))
    }

    /// The role of `code`.
    pub fn get_role(&self, session: Arc<Session>, code: String) -> OaResult<Role> {
        guard(|| Ok(self.oa.get_role(&session.inner, &code)?.into()))
    }

    /// Every role, by code.
    pub fn list_roles(&self, session: Arc<Session>) -> OaResult<Vec<Role>> {
        guard(|| Ok(self.oa.list_roles(&session.inner)?.into_iter().map(Role::from).collect()))
    }

    /// Grants a role to a person, optionally only inside a department subtree.
    pub fn grant_role(&self, session: Arc<Session>, input: NewGrant) -> OaResult<Grant> {
        guard(|| Ok(self.oa.grant_role(&session.inner, input.into_core()?)?.into()))
    }

    /// Revokes a grant.
    pub fn revoke_grant(&self, session: Arc<Session>, grant_id: String) -> OaResult<()> {
        guard(|| {
            let id: GrantId = parse_id("grant_id", &grant_id)?;
            Ok(self.oa.revoke_grant(&session.inner, id)?)
        })
    }

    /// The grants of `person`, or every grant the caller may see when `None`.
    #[uniffi::method(default(person = None))]
    pub fn list_grants(&self, session: Arc<Session>, person: Option<String>) -> OaResult<Vec<Grant>> {
        guard(|| {
            let person: Option<PersonId> = person.as_deref().map(|p| parse_id("person", p)).transpose()?;
            Ok(self.oa.list_grants(&session.inner, person)?.into_iter().map(Grant::from).collect())
        })
    }

    /// Whether the caller holds `permission` on a record of department `dept` owned by `owner`
    /// (in any scope when both are `None`).
    #[uniffi::method(default(dept = None, owner = None))]
    pub fn check_permission(
        &self,
        session: Arc<Session>,
        permission: String,
        dept: Option<String>,
        owner: Option<String>,
    ) -> OaResult<bool> {
        guard(|| {
            let mut f = Fields::new();
            let dept: Option<DeptId> = f.opt_id("dept", dept.as_deref());
            let owner: Option<PersonId> = f.opt_id("owner", owner.as_deref());
            f.finish()?;
            Ok(self.oa.check_permission(&session.inner, &permission, dept, owner)?)
        })
    }

    /// Whether `person` holds `permission` on a record of department `dept` owned by `owner`
    /// (in any scope when both are `None`): an administrator's view of someone else's rights.
    #[uniffi::method(default(dept = None, owner = None))]
    pub fn check_permission_of(
        &self,
        session: Arc<Session>,
        person: String,
        permission: String,
        dept: Option<String>,
        owner: Option<String>,
    ) -> OaResult<bool> {
        guard(|| {
            let mut f = Fields::new();
            let person: PersonId = f.id("person", &person);
            let dept: Option<DeptId> = f.opt_id("dept", dept.as_deref());
            let owner: Option<PersonId> = f.opt_id("owner", owner.as_deref());
            f.finish()?;
            Ok(self.oa.check_permission_of(&session.inner, person, &permission, dept, owner)?)
        })
    }

    /// The caller's reach for `permission`, as a filter for list queries.
    pub fn permission_scope(&self, session: Arc<Session>, permission: String) -> OaResult<ScopeFilter> {
        guard(|| Ok(self.oa.permission_scope(&session.inner, &permission)?.into()))
    }

    /// Every permission `person` holds now.
    pub fn effective_permissions(&self, session: Arc<Session>, person: String) -> OaResult<Vec<String>> {
        guard(|| {
            let person: PersonId = parse_id("person", &person)?;
            Ok(self.oa.effective_permissions(&session.inner, person)?)
        })
    }

    /// The caller's compiled permissions: a snapshot to consult with lookups (see
    /// `Principal`).
    pub fn principal(&self, session: Arc<Session>) -> OaResult<Arc<Principal>> {
        guard(|| Ok(Arc::new(Principal { inner: self.oa.principal(&session.inner)? })))
    }

    // --- admin: parameters -------------------------------------------------------------------

    /// Every parameter with its current value.
    pub fn list_params(&self, session: Arc<Session>) -> OaResult<Vec<ParamSetting>> {
        guard(|| Ok(self.oa.list_params(&session.inner)?.into_iter().map(ParamSetting::from).collect()))
    }

    /// One parameter with its current value.
    pub fn get_param(&self, session: Arc<Session>, key: String) -> OaResult<ParamSetting> {
        guard(|| Ok(self.oa.get_param(&session.inner, &key)?.into()))
    }

    /// Sets a parameter; a value of the wrong kind or out of range is a `validation` error on
    /// `value` naming what is allowed.
    pub fn set_param(&self, session: Arc<Session>, key: String, value: ParamValue) -> OaResult<ParamSetting> {
        guard(|| Ok(self.oa.set_param(&session.inner, &key, value.clone().into())?.into()))
    }

    /// Puts a parameter back to its default.
    pub fn reset_param(&self, session: Arc<Session>, key: String) -> OaResult<ParamSetting> {
        guard(|| Ok(self.oa.reset_param(&session.inner, &key)?.into()))
    }

    // --- admin: working calendar -------------------------------------------------------------

    /// The working calendar's settings: weekly pattern, working hours and time zone.
    pub fn get_work_calendar(&self, session: Arc<Session>) -> OaResult<WorkCalendarSettings> {
        guard(|| Ok(self.oa.get_work_calendar(&session.inner)?.into()))
    }

    /// Replaces the working calendar's settings; returns them normalised.
    pub fn set_work_calendar(
        &self,
        session: Arc<Session>,
        settings: WorkCalendarSettings,
    ) -> OaResult<WorkCalendarSettings> {
        guard(|| Ok(self.oa.set_work_calendar(&session.inner, settings.clone().into())?.into()))
    }

    /// Replaces one year's public holidays and make-up working days (调休); two empty lists
    /// clear the year.
    pub fn set_holidays(
        &self,
        session: Arc<Session>,
        year: i32,
        holidays: Vec<LocalDate>,
        makeup_days: Vec<LocalDate>,
    ) -> OaResult<HolidayYear> {
        guard(|| Ok(self.oa.set_holidays(&session.inner, year, holidays.clone(), makeup_days.clone())?.into()))
    }

    /// One year's holidays and make-up days.
    pub fn list_holidays(&self, session: Arc<Session>, year: i32) -> OaResult<HolidayYear> {
        guard(|| Ok(self.oa.list_holidays(&session.inner, year)?.into()))
    }

    /// Today's date in the office's time zone, by its clock: the day a delegation's
    /// `first_day` and `last_day` count from, which may not be today on the device. Any
    /// signed-in person may ask.
    pub fn today(&self, session: Arc<Session>) -> OaResult<LocalDate> {
        guard(|| Ok(self.oa.today(&session.inner)?))
    }

    /// The deadline `duration` of working time after `start`, by the office's calendar.
    pub fn add_working_time(
        &self,
        session: Arc<Session>,
        start: SystemTime,
        duration: WorkDuration,
    ) -> OaResult<SystemTime> {
        guard(|| {
            let mut f = Fields::new();
            let start = f.instant("start", start);
            f.finish()?;
            Ok(to_system(self.oa.add_working_time(&session.inner, start, duration.into())?))
        })
    }

    // --- admin: numbering --------------------------------------------------------------------

    /// Creates a numbering rule.
    pub fn create_numbering_rule(&self, session: Arc<Session>, input: NewNumberingRule) -> OaResult<NumberingRule> {
        guard(|| Ok(self.oa.create_numbering_rule(&session.inner, input.clone().into())?.into()))
    }

    /// Changes a numbering rule, keeping its counters.
    pub fn update_numbering_rule(
        &self,
        session: Arc<Session>,
        key: String,
        patch: NumberingRulePatch,
    ) -> OaResult<NumberingRule> {
        guard(|| Ok(self.oa.update_numbering_rule(&session.inner, &key, patch.clone().into())?.into()))
    }

    /// Every numbering rule, in key order.
    pub fn list_numbering_rules(&self, session: Arc<Session>) -> OaResult<Vec<NumberingRule>> {
        guard(|| Ok(self.oa.list_numbering_rules(&session.inner)?.into_iter().map(NumberingRule::from).collect()))
    }

    /// One numbering rule.
    pub fn get_numbering_rule(&self, session: Arc<Session>, key: String) -> OaResult<NumberingRule> {
        guard(|| Ok(self.oa.get_numbering_rule(&session.inner, &key)?.into()))
    }

    /// The number the rule would issue now, without consuming it.
    pub fn preview_next_number(&self, session: Arc<Session>, rule_key: String) -> OaResult<String> {
        guard(|| Ok(self.oa.preview_next_number(&session.inner, &rule_key)?))
    }

    /// Issues the next number of a rule by hand to `owner` (what it numbers).
    pub fn issue_number(&self, session: Arc<Session>, rule_key: String, owner: String) -> OaResult<String> {
        guard(|| Ok(self.oa.issue_number(&session.inner, &rule_key, owner.clone())?))
    }

    /// Who a number was issued to, when and by whom.
    pub fn get_issued_number(&self, session: Arc<Session>, rule_key: String, number: String) -> OaResult<IssuedNumber> {
        guard(|| Ok(self.oa.get_issued_number(&session.inner, &rule_key, &number)?.into()))
    }

    // --- audit -------------------------------------------------------------------------------

    /// One page of the audit records matching `query`, newest first.
    pub fn list_audit(&self, session: Arc<Session>, query: AuditQuery, page: PageRequest) -> OaResult<AuditPage> {
        guard(|| Ok(self.oa.list_audit(&session.inner, query.into_core()?, page.into())?.into()))
    }

    /// The audit record numbered `seq`.
    pub fn get_audit_record(&self, session: Arc<Session>, seq: u64) -> OaResult<AuditRecord> {
        guard(|| Ok(self.oa.get_audit_record(&session.inner, seq)?.into()))
    }

    /// Walks the whole hash chain of the audit log.
    pub fn verify_audit_chain(&self, session: Arc<Session>) -> OaResult<ChainReport> {
        guard(|| Ok(self.oa.verify_audit_chain(&session.inner)?.into()))
    }

    // --- forms -------------------------------------------------------------------------------

    /// Defines a form: version 1 of a new key, or the next version when the definition differs
    /// from the latest (otherwise the latest is returned and nothing is written).
    pub fn define_form(&self, session: Arc<Session>, input: NewForm) -> OaResult<Form> {
        guard(|| Ok(self.oa.define_form(&session.inner, input.clone().into_core()?)?.into()))
    }

    /// Form `key` at `version`, or at its latest version when `None`.
    #[uniffi::method(default(version = None))]
    pub fn get_form(&self, session: Arc<Session>, key: String, version: Option<u32>) -> OaResult<Form> {
        guard(|| Ok(self.oa.get_form(&session.inner, &key, version)?.into()))
    }

    /// A page of forms, each at its latest version, by key.
    pub fn list_forms(&self, session: Arc<Session>, page: PageRequest) -> OaResult<FormPage> {
        guard(|| Ok(self.oa.list_forms(&session.inner, page.clone().into())?.into()))
    }

    /// Every version of form `key`, oldest first.
    pub fn form_versions(&self, session: Arc<Session>, key: String) -> OaResult<Vec<FormVersion>> {
        guard(|| Ok(self.oa.form_versions(&session.inner, &key)?.into_iter().map(FormVersion::from).collect()))
    }

    /// Validates form data (JSON text) against form `key` at `version` (the latest when `None`)
    /// and returns it normalised as JSON text; writes nothing. Every failing field is reported
    /// with its path (`items[2].amount`); text that is not JSON is an error on `data`.
    pub fn validate_form_data(
        &self,
        session: Arc<Session>,
        key: String,
        version: Option<u32>,
        data: String,
    ) -> OaResult<String> {
        guard(|| {
            let data = parse_data(&data)?;
            let normalised = self.oa.validate_form_data(&session.inner, &key, version, data)?;
            Ok(normalised.to_string())
        })
    }

    /// Uploads a file to attach to form data (at most 20 MiB, of an allowed type).
    pub fn upload_attachment(
        &self,
        session: Arc<Session>,
        file_name: String,
        content_type: String,
        bytes: Vec<u8>,
    ) -> OaResult<AttachmentInfo> {
        guard(|| Ok(self.oa.upload_attachment(&session.inner, &file_name, &content_type, &bytes)?.into()))
    }

    /// An attachment's description and bytes, by id (its hash).
    pub fn get_attachment(&self, session: Arc<Session>, hash: String) -> OaResult<Attachment> {
        guard(|| {
            let (info, bytes) = self.oa.get_attachment(&session.inner, &hash)?;
            Ok(Attachment { info: info.into(), bytes })
        })
    }

    /// An attachment's description without its bytes.
    pub fn attachment_info(&self, session: Arc<Session>, hash: String) -> OaResult<AttachmentInfo> {
        guard(|| Ok(self.oa.attachment_info(&session.inner, &hash)?.into()))
    }

    // --- workflow: process definitions -------------------------------------------------------

    /// Publishes a process: version 1 of a new key, or the next version when the definition
    /// differs from the latest (otherwise the latest is returned and nothing is written). Every
    /// problem of the graph is reported with its path (`nodes[head].approvers.role`); a
    /// definition that is not a graph in JSON is an error on `definition`.
    pub fn publish_process(&self, session: Arc<Session>, input: NewProcess) -> OaResult<ProcessDefinition> {
        guard(|| Ok(self.oa.publish_process(&session.inner, input.clone().into_core()?)?.into()))
    }

    /// Publishes a process written as a DingTalk-style nested node tree (JSON text), as
    /// `publishProcess` does.
    pub fn publish_process_json(&self, session: Arc<Session>, json: String) -> OaResult<ProcessDefinition> {
        guard(|| Ok(self.oa.publish_process_json(&session.inner, &json)?.into()))
    }

    /// Imports a process from BPMN 2.0 XML and publishes it over form `form_key` at
    /// `form_version` (its latest version when `None`).
    #[uniffi::method(default(form_version = None))]
    pub fn import_bpmn(
        &self,
        session: Arc<Session>,
        xml: String,
        form_key: String,
        form_version: Option<u32>,
    ) -> OaResult<ProcessDefinition> {
        guard(|| Ok(self.oa.import_bpmn(&session.inner, &xml, &form_key, form_version)?.into()))
    }

    /// Process `key` at `version`, or at its latest version when `None`.
    #[uniffi::method(default(version = None))]
    pub fn get_process(&self, session: Arc<Session>, key: String, version: Option<u32>) -> OaResult<ProcessDefinition> {
        guard(|| Ok(self.oa.get_process(&session.inner, &key, version)?.into()))
    }

    /// Every process at its latest version, by key.
    pub fn list_processes(&self, session: Arc<Session>) -> OaResult<Vec<ProcessDefinition>> {
        guard(|| Ok(self.oa.list_processes(&session.inner)?.into_iter().map(ProcessDefinition::from).collect()))
    }

    /// Every version of process `key`, oldest first.
    pub fn process_versions(&self, session: Arc<Session>, key: String) -> OaResult<Vec<ProcessVersion>> {
        guard(|| Ok(self.oa.process_versions(&session.inner, &key)?.into_iter().map(ProcessVersion::from).collect()))
    }

    /// Checks a process as `publishProcess` would, without publishing it: every problem, each
    /// with its path; empty when it would publish.
    pub fn validate_process(&self, session: Arc<Session>, input: NewProcess) -> OaResult<Vec<FieldError>> {
        guard(|| {
            let input = input.clone().into_core()?;
            Ok(self.oa.validate_process(&session.inner, input)?.into_iter().map(FieldError::from).collect())
        })
    }

    // --- workflow: instances and tasks -------------------------------------------------------

    /// Starts an instance (发起): the data (JSON text) is checked against the form version the
    /// process pins, each failing field named by its path (`data.days`).
    pub fn start_process(&self, session: Arc<Session>, input: StartProcess) -> OaResult<Instance> {
        guard(|| Ok(self.oa.start_process(&session.inner, input.clone().into_core()?)?.into()))
    }

    /// Saves a draft (草稿): a new one when `id` is `None`, or the actor's draft `id` again.
    pub fn save_draft(&self, session: Arc<Session>, id: Option<String>, input: StartProcess) -> OaResult<Instance> {
        guard(|| {
            let id: Option<InstanceId> = id.as_deref().map(|t| parse_id("id", t)).transpose()?;
            Ok(self.oa.save_draft(&session.inner, id, input.clone().into_core()?)?.into())
        })
    }

    /// Submits the actor's draft `id`, as `startProcess` would.
    pub fn submit_draft(&self, session: Arc<Session>, id: String) -> OaResult<Instance> {
        guard(|| Ok(self.oa.submit_draft(&session.inner, parse_id("id", &id)?)?.into()))
    }

    /// Deletes the actor's draft `id`.
    pub fn delete_draft(&self, session: Arc<Session>, id: String) -> OaResult<()> {
        guard(|| Ok(self.oa.delete_draft(&session.inner, parse_id("id", &id)?)?))
    }

    /// Approves task `task` (同意), with an edit (JSON text) of the fields its node lets
    /// approvers change. Only its assignee.
    #[uniffi::method(default(comment = "", form_edits = None))]
    pub fn approve(
        &self,
        session: Arc<Session>,
        task: String,
        comment: String,
        form_edits: Option<String>,
    ) -> OaResult<Instance> {
        guard(|| {
            let task: TaskId = parse_id("task", &task)?;
            let edits = form_edits.as_deref().map(parse_data).transpose()?;
            Ok(self.oa.approve(&session.inner, task, &comment, edits)?.into())
        })
    }

    /// Rejects task `task` (驳回). Only its assignee.
    #[uniffi::method(default(comment = ""))]
    pub fn reject(&self, session: Arc<Session>, task: String, comment: String) -> OaResult<Instance> {
        guard(|| Ok(self.oa.reject(&session.inner, parse_id("task", &task)?, &comment)?.into()))
    }

    /// Returns the instance of task `task` (退回) to an earlier node or to its initiator.
    #[uniffi::method(default(comment = ""))]
    pub fn return_task(
        &self,
        session: Arc<Session>,
        task: String,
        to: ReturnTarget,
        comment: String,
    ) -> OaResult<Instance> {
        guard(|| Ok(self.oa.return_task(&session.inner, parse_id("task", &task)?, to.clone().into(), &comment)?.into()))
    }

    /// Resubmits a returned instance (重新提交) with new data (JSON text). Only its initiator.
    pub fn resubmit(&self, session: Arc<Session>, instance: String, data: String) -> OaResult<Instance> {
        guard(|| {
            let instance: InstanceId = parse_id("instance", &instance)?;
            Ok(self.oa.resubmit(&session.inner, instance, parse_data(&data)?)?.into())
        })
    }

    /// Withdraws (撤回) an instance nobody has acted on, or the actor's last approval.
    pub fn withdraw(&self, session: Arc<Session>, instance: String) -> OaResult<Instance> {
        guard(|| Ok(self.oa.withdraw(&session.inner, parse_id("instance", &instance)?)?.into()))
    }

    /// Hands task `task` to person `to` (转交). Only its assignee. Returns the new task.
    #[uniffi::method(default(comment = ""))]
    pub fn transfer(&self, session: Arc<Session>, task: String, to: String, comment: String) -> OaResult<Task> {
        guard(|| {
            let mut f = Fields::new();
            let task: TaskId = f.id("task", &task);
            let to: PersonId = f.id("to", &to);
            f.finish()?;
            Ok(self.oa.transfer(&session.inner, task, to, &comment)?.into())
        })
    }

    /// Adds a signer (加签) to task `task`: before its assignee, after, or alongside.
    pub fn add_signer(
        &self,
        session: Arc<Session>,
        task: String,
        person: String,
        position: SignerPosition,
    ) -> OaResult<Task> {
        guard(|| {
            let mut f = Fields::new();
            let task: TaskId = f.id("task", &task);
            let person: PersonId = f.id("person", &person);
            f.finish()?;
            Ok(self.oa.add_signer(&session.inner, task, person, position.into())?.into())
        })
    }

    /// Removes a signer (减签): cancels pending task `task` of a signer the actor added.
    pub fn remove_signer(&self, session: Arc<Session>, task: String) -> OaResult<Instance> {
        guard(|| Ok(self.oa.remove_signer(&session.inner, parse_id("task", &task)?)?.into()))
    }

    /// Adds a comment (评论) to an instance.
    pub fn comment(&self, session: Arc<Session>, instance: String, text: String) -> OaResult<()> {
        guard(|| Ok(self.oa.comment(&session.inner, parse_id("instance", &instance)?, &text)?))
    }

    /// Urges the pending approvers of an instance (催办); returns how many tasks were urged.
    pub fn urge(&self, session: Arc<Session>, instance: String) -> OaResult<u32> {
        guard(|| Ok(self.oa.urge(&session.inner, parse_id("instance", &instance)?)?))
    }

    /// Marks copy `task` read (已阅). Only its recipient.
    pub fn mark_cc_read(&self, session: Arc<Session>, task: String) -> OaResult<Task> {
        guard(|| Ok(self.oa.mark_cc_read(&session.inner, parse_id("task", &task)?)?.into()))
    }

    /// Terminates a running instance (终止).
    pub fn terminate(&self, session: Arc<Session>, instance: String, reason: String) -> OaResult<Instance> {
        guard(|| Ok(self.oa.terminate(&session.inner, parse_id("instance", &instance)?, &reason)?.into()))
    }

    /// Moves a running instance to node `node` (跳转).
    pub fn jump(&self, session: Arc<Session>, instance: String, node: String) -> OaResult<Instance> {
        guard(|| Ok(self.oa.jump(&session.inner, parse_id("instance", &instance)?, &node)?.into()))
    }

    /// Handles the deadlines due up to `up_to`: reminders, escalations, automatic approvals
    /// and rejections. Running it again does nothing twice.
    pub fn process_due(&self, session: Arc<Session>, up_to: SystemTime) -> OaResult<DueReport> {
        guard(|| {
            let mut f = Fields::new();
            let up_to = f.instant("up_to", up_to);
            f.finish()?;
            Ok(self.oa.process_due(&session.inner, up_to)?.into())
        })
    }

    /// The actor's pending tasks (待办), newest first.
    pub fn todo(&self, session: Arc<Session>, query: TaskQuery, page: PageRequest) -> OaResult<TaskPage> {
        guard(|| Ok(self.oa.todo(&session.inner, query.clone().into_core()?, page.clone().into())?.into()))
    }

    /// The tasks the actor acted on (已办), most recent first.
    pub fn done(&self, session: Arc<Session>, query: TaskQuery, page: PageRequest) -> OaResult<TaskPage> {
        guard(|| Ok(self.oa.done(&session.inner, query.clone().into_core()?, page.clone().into())?.into()))
    }

    /// The copies sent to the actor (抄送我的), newest first; only unread ones when
    /// `unread_only`.
    pub fn cc_to_me(
        &self,
        session: Arc<Session>,
        query: TaskQuery,
        unread_only: bool,
        page: PageRequest,
    ) -> OaResult<TaskPage> {
        guard(|| {
            Ok(self.oa.cc_to_me(&session.inner, query.clone().into_core()?, unread_only, page.clone().into())?.into())
        })
    }

    /// The instances the actor started (我发起的), drafts included, newest first.
    pub fn started_by_me(&self, session: Arc<Session>, query: TaskQuery, page: PageRequest) -> OaResult<InstancePage> {
        guard(|| Ok(self.oa.started_by_me(&session.inner, query.clone().into_core()?, page.clone().into())?.into()))
    }

    /// The actor's badge counts: pending tasks and unread copies.
    pub fn badge_counts(&self, session: Arc<Session>) -> OaResult<BadgeCounts> {
        guard(|| Ok(self.oa.badge_counts(&session.inner)?.into()))
    }

    /// Instance `id` with its tasks and history (时间线).
    pub fn instance(&self, session: Arc<Session>, id: String) -> OaResult<InstanceDetail> {
        guard(|| Ok(self.oa.instance(&session.inner, parse_id("id", &id)?)?.into()))
    }

    /// The instances linked to business key `key`, oldest first.
    pub fn instances_of(&self, session: Arc<Session>, key: String) -> OaResult<Vec<Instance>> {
        guard(|| Ok(self.oa.instances_of(&session.inner, &key)?.into_iter().map(Instance::from).collect()))
    }

    /// The running instances waiting at node `node` of process `process` (流程监控), by id.
    pub fn instances_at_node(
        &self,
        session: Arc<Session>,
        process: String,
        node: String,
        page: PageRequest,
    ) -> OaResult<InstancePage> {
        guard(|| Ok(self.oa.instances_at_node(&session.inner, &process, &node, page.clone().into())?.into()))
    }
}
