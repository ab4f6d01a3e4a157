//! `Office`, the handle every operation goes through, `Session`, a signed-in session, and
//! `Principal`, a session's compiled permissions.
//!
//! Each operation of the core is a method of the same name; the session comes first, ids are
//! `str`, and the fields of the core's input structs are keyword arguments.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyTuple, PyType};

use oa::org::{NewDepartment, NewPerson, PeopleQuery, PersonPatch, PersonStatus, Post};
use oa::perm::{NewGrant, NewRole, RolePatch};
use oa::{
    AuditQuery, FieldDef, InitAccount as CoreAccount, InitOffice, MemoryStore, NewForm, Oa, OaError, PageRequest,
    SystemClock,
};

use oa::workflow::definition::{NewProcess, ProcessGraph};
use oa::workflow::runtime::{InstanceId, ReturnTarget, SignerPosition, StartProcess, TaskId, TaskQuery};

use crate::convert::{self, call, JsonPath};
use crate::errors;
use crate::records::{self, Repr};
use crate::{records_delegation, records_monitor, workflow_args};

/// A signed-in session. Keep `token` to use the session again later (`Session.from_token`);
/// the repr never shows it.
#[pyclass(module = "oa", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Session {
    token: String,
}

impl Session {
    fn core(&self) -> oa::Session {
        oa::Session::from_token(self.token.clone())
    }
}

#[pymethods]
impl Session {
    /// A session from a token kept from an earlier sign-in.
    #[staticmethod]
    fn from_token(token: String) -> Session {
        Session { token }
    }

    /// The bearer token: a secret, to be kept as carefully as a password.
    #[getter]
    fn token(&self) -> String {
        self.token.clone()
    }

    fn __repr__(&self) -> &'static str {
        "Session(<redacted>)"
    }
}

/// The signed-in person's compiled permissions, from `Office.principal`: answers "may I do X (to a
/// record of department D owned by P)?" as a lookup, without a call into the office per
/// question, so a UI can decide which menus and buttons to show. A snapshot: it does not follow
/// later changes to roles, grants or the organisation (ask the office again after them), and the
/// operations still check for themselves.
#[pyclass(module = "oa", frozen)]
pub struct Principal {
    inner: Arc<oa::Principal>,
}

#[pymethods]
impl Principal {
    /// The id of the person whose permissions these are.
    #[getter]
    fn person(&self) -> String {
        self.inner.person.to_string()
    }

    /// Whether the person holds `permission` in any scope (an unknown name is not held).
    fn allows(&self, permission: &str) -> bool {
        self.inner.allows(permission)
    }

    /// Whether the person holds `permission` on a record of `dept` owned by `owner`. A record
    /// with neither is reached only by an unrestricted scope: `allows` asks "in any scope".
    #[pyo3(signature = (permission, dept = None, owner = None))]
    fn allows_on(&self, py: Python<'_>, permission: &str, dept: Option<&str>, owner: Option<&str>) -> PyResult<bool> {
        let dept = convert::opt_dept_id(py, "dept", dept)?;
        let owner = convert::opt_person_id(py, "owner", owner)?;
        Ok(self.inner.allows_on(permission, dept, owner))
    }

    /// Every permission the person holds, in catalogue order.
    fn permissions(&self) -> Vec<String> {
        self.inner.permissions()
    }

    /// The person's reach for `permission`, as a filter for list queries (empty when not held).
    fn scope(&self, permission: &str) -> records::ScopeFilter {
        self.inner.scope(permission).into()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Principal")
            .str("person", &self.inner.person.to_string())
            .any("permissions", self.inner.permissions().len())
            .finish()
    }
}

/// One of the first accounts of a new office (for separation of duties). The repr never shows
/// the password.
#[pyclass(module = "oa", frozen)]
#[derive(Clone)]
pub struct InitAccount {
    #[pyo3(get)]
    login: String,
    #[pyo3(get)]
    name: String,
    password: String,
}

#[pymethods]
impl InitAccount {
    #[new]
    fn new(login: String, name: String, password: String) -> Self {
        InitAccount { login, name, password }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "InitAccount")
            .str("login", &self.login)
            .str("name", &self.name)
            .any("password", "<redacted>")
            .finish()
    }
}

impl From<&InitAccount> for CoreAccount {
    fn from(a: &InitAccount) -> Self {
        CoreAccount::new(&a.login, &a.name, &a.password)
    }
}

/// An office: the handle every operation goes through. Safe to share between threads; the
/// interpreter is released while the core works, so threads run alongside.
#[pyclass(module = "oa", frozen)]
pub struct Office {
    /// `None` once closed: closing drops the handle, so a folder is free to open again.
    inner: Mutex<Option<Oa>>,
    backend: &'static str,
}

impl Office {
    fn wrap(oa: Oa) -> Office {
        let backend = oa.backend();
        Office { inner: Mutex::new(Some(oa)), backend }
    }

    /// The office handle, or `oa.ClosedError`.
    fn oa(&self, py: Python<'_>) -> PyResult<Oa> {
        let guard = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match guard.as_ref() {
            Some(oa) => Ok(oa.clone()),
            None => Err(errors::to_py(py, OaError::Closed)),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn init_input(
    office_name: String,
    admin_login: String,
    admin_name: String,
    admin_password: String,
    separation_of_duties: bool,
    security_admin: Option<PyRef<'_, InitAccount>>,
    auditor: Option<PyRef<'_, InitAccount>>,
) -> InitOffice {
    let mut input = InitOffice::new(&office_name, &admin_login, &admin_name, &admin_password);
    input.separation_of_duties = separation_of_duties;
    input.security_admin = security_admin.as_deref().map(CoreAccount::from);
    input.auditor = auditor.as_deref().map(CoreAccount::from);
    input
}

fn people<T: From<oa::org::Person>>(v: Vec<oa::org::Person>) -> Vec<T> {
    v.into_iter().map(T::from).collect()
}

fn depts(v: Vec<oa::org::Department>) -> Vec<records::Department> {
    v.into_iter().map(records::Department::from).collect()
}

#[pymethods]
impl Office {
    // ---- opening and closing (the core's `init`, `open` and `close`) ----

    /// Initialises a new office in the folder `path` (created if missing; it must be empty) on
    /// the embedded sled backend, and opens it.
    #[classmethod]
    #[pyo3(signature = (path, *, office_name, admin_login, admin_name, admin_password, separation_of_duties = false, security_admin = None, auditor = None))]
    #[allow(clippy::too_many_arguments)]
    fn init_folder(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        path: PathBuf,
        office_name: String,
        admin_login: String,
        admin_name: String,
        admin_password: String,
        separation_of_duties: bool,
        security_admin: Option<PyRef<'_, InitAccount>>,
        auditor: Option<PyRef<'_, InitAccount>>,
    ) -> PyResult<Office> {
        let input = init_input(
            office_name,
            admin_login,
            admin_name,
            admin_password,
            separation_of_duties,
            security_admin,
            auditor,
        );
        let oa = call(py, move || {
            // Checked before the folder is created, so bad input leaves nothing behind.
            input.validate()?;
            let store = oa::SledStore::open(&path)?;
            Oa::init(store, SystemClock, input)
        })?;
        Ok(Office::wrap(oa))
    }

    /// Initialises a new office in memory (gone when the office is closed or dropped).
    #[classmethod]
    #[pyo3(signature = (*, office_name, admin_login, admin_name, admin_password, separation_of_duties = false, security_admin = None, auditor = None))]
    #[allow(clippy::too_many_arguments)]
    fn init_memory(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        office_name: String,
        admin_login: String,
        admin_name: String,
        admin_password: String,
        separation_of_duties: bool,
        security_admin: Option<PyRef<'_, InitAccount>>,
        auditor: Option<PyRef<'_, InitAccount>>,
    ) -> PyResult<Office> {
        let input = init_input(
            office_name,
            admin_login,
            admin_name,
            admin_password,
            separation_of_duties,
            security_admin,
            auditor,
        );
        let oa = call(py, move || Oa::init_shared(Arc::new(MemoryStore::new()), Arc::new(SystemClock), input))?;
        Ok(Office::wrap(oa))
    }

    /// Opens the office kept in the folder `path`. Only one process may have a folder open.
    #[classmethod]
    fn open_folder(_cls: &Bound<'_, PyType>, py: Python<'_>, path: PathBuf) -> PyResult<Office> {
        let oa = call(py, move || oa::open_folder(&path))?;
        Ok(Office::wrap(oa))
    }

    /// Closes the office: later calls raise `oa.ClosedError`. Closing twice does nothing.
    fn close(&self, py: Python<'_>) {
        let taken = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        if let Some(oa) = taken {
            oa.close();
            // Dropping the last handle flushes and unlocks the store: without the interpreter.
            py.detach(move || drop(oa));
        }
    }

    /// Whether `close` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).is_none()
    }

    /// The backend the office is stored in: `"memory"` or `"sled"`.
    #[getter]
    fn backend(&self) -> &'static str {
        self.backend
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    #[pyo3(signature = (*_exc))]
    fn __exit__(&self, py: Python<'_>, _exc: &Bound<'_, pyo3::types::PyTuple>) -> bool {
        self.close(py);
        false
    }

    fn __repr__(&self) -> String {
        let state = if self.closed() { ", closed" } else { "" };
        format!("Office(backend='{}'{state})", self.backend)
    }

    // ---- sign-in and sessions ----

    /// Signs in; a password that was reset signs in to a session that may only change it.
    fn sign_in(&self, py: Python<'_>, login: String, password: String) -> PyResult<Session> {
        let oa = self.oa(py)?;
        let s = call(py, move || oa.sign_in(&login, &password))?;
        Ok(Session { token: s.token().to_string() })
    }

    /// Signs out: the session ends at once.
    fn sign_out(&self, py: Python<'_>, session: &Session) -> PyResult<()> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.sign_out(&s))
    }

    /// Who the caller is.
    fn whoami(&self, py: Python<'_>, session: &Session) -> PyResult<records::Me> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.whoami(&s)).map(Into::into)
    }

    /// Changes the caller's own password; the caller's other sessions end.
    fn change_password(
        &self,
        py: Python<'_>,
        session: &Session,
        old_password: String,
        new_password: String,
    ) -> PyResult<()> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.change_password(&s, &old_password, &new_password))
    }

    /// Sets another person's password, to be changed at their next sign-in.
    fn reset_password(&self, py: Python<'_>, session: &Session, person: &str, new_password: String) -> PyResult<()> {
        let (oa, s) = (self.oa(py)?, session.core());
        let person = convert::person_id(py, "person", person)?;
        call(py, move || oa.reset_password(&s, person, &new_password))
    }

    /// The live sessions of a person.
    fn list_sessions(&self, py: Python<'_>, session: &Session, person: &str) -> PyResult<Vec<records::SessionInfo>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let person = convert::person_id(py, "person", person)?;
        let v = call(py, move || oa.list_sessions(&s, person))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// Ends one session by its id.
    fn revoke_session(&self, py: Python<'_>, session: &Session, session_id: &str) -> PyResult<()> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::id(py, "session_id", "session", session_id)?;
        call(py, move || oa.revoke_session(&s, id))
    }

    /// Ends every session of a person; returns how many ended.
    fn revoke_sessions_of(&self, py: Python<'_>, session: &Session, person: &str) -> PyResult<u32> {
        let (oa, s) = (self.oa(py)?, session.core());
        let person = convert::person_id(py, "person", person)?;
        call(py, move || oa.revoke_sessions_of(&s, person))
    }

    // ---- departments ----

    /// Creates a department under `parent`, or a new root without one.
    #[pyo3(signature = (session, *, name, code = None, parent = None, sort_order = None, head = None))]
    #[allow(clippy::too_many_arguments)]
    fn create_department(
        &self,
        py: Python<'_>,
        session: &Session,
        name: String,
        code: Option<String>,
        parent: Option<&str>,
        sort_order: Option<i64>,
        head: Option<&str>,
    ) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = NewDepartment {
            name,
            code,
            parent: convert::opt_dept_id(py, "parent", parent)?,
            sort_order,
            head: convert::opt_person_id(py, "head", head)?,
        };
        call(py, move || oa.create_department(&s, input)).map(Into::into)
    }

    /// Renames a department.
    fn rename_department(
        &self,
        py: Python<'_>,
        session: &Session,
        id: &str,
        name: String,
    ) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        call(py, move || oa.rename_department(&s, id, &name)).map(Into::into)
    }

    /// Moves a department under `new_parent` (a root when `None`).
    #[pyo3(signature = (session, id, new_parent, sort_order = None))]
    fn move_department(
        &self,
        py: Python<'_>,
        session: &Session,
        id: &str,
        new_parent: Option<&str>,
        sort_order: Option<i64>,
    ) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        let new_parent = convert::opt_dept_id(py, "new_parent", new_parent)?;
        call(py, move || oa.move_department(&s, id, new_parent, sort_order)).map(Into::into)
    }

    /// Sets a department's position among its siblings.
    fn reorder_department(
        &self,
        py: Python<'_>,
        session: &Session,
        id: &str,
        sort_order: i64,
    ) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        call(py, move || oa.reorder_department(&s, id, sort_order)).map(Into::into)
    }

    /// Sets the head (负责人) of a department, or removes it with `None`.
    fn set_department_head(
        &self,
        py: Python<'_>,
        session: &Session,
        id: &str,
        head: Option<&str>,
    ) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        let head = convert::opt_person_id(py, "head", head)?;
        call(py, move || oa.set_department_head(&s, id, head)).map(Into::into)
    }

    /// Disables a department.
    fn disable_department(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        call(py, move || oa.disable_department(&s, id)).map(Into::into)
    }

    /// Enables a disabled department again.
    fn enable_department(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        call(py, move || oa.enable_department(&s, id)).map(Into::into)
    }

    /// One department.
    fn get_department(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        call(py, move || oa.get_department(&s, id)).map(Into::into)
    }

    /// Every department the caller may see, in tree order.
    fn list_departments(&self, py: Python<'_>, session: &Session) -> PyResult<Vec<records::Department>> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.list_departments(&s)).map(depts)
    }

    /// The department whose code is `code` (case-insensitive).
    fn find_department_by_code(
        &self,
        py: Python<'_>,
        session: &Session,
        code: String,
    ) -> PyResult<records::Department> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.find_department_by_code(&s, &code)).map(Into::into)
    }

    /// The direct children of a department, in order.
    fn department_children(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<Vec<records::Department>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        call(py, move || oa.department_children(&s, id)).map(depts)
    }

    /// A department and every department below it, in tree order.
    fn department_subtree(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<Vec<records::Department>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::dept_id(py, "id", id)?;
        call(py, move || oa.department_subtree(&s, id)).map(depts)
    }

    // ---- people ----

    /// Creates a person; with `initial_password` they must change it at the first sign-in.
    #[pyo3(signature = (session, *, login, name, dept, email = None, phone = None, position = None, superior = None, initial_password = None))]
    #[allow(clippy::too_many_arguments)]
    fn create_person(
        &self,
        py: Python<'_>,
        session: &Session,
        login: String,
        name: String,
        dept: &str,
        email: Option<String>,
        phone: Option<String>,
        position: Option<String>,
        superior: Option<&str>,
        initial_password: Option<String>,
    ) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = NewPerson {
            login,
            name,
            email,
            phone,
            dept: convert::dept_id(py, "dept", dept)?,
            position,
            superior: convert::opt_person_id(py, "superior", superior)?,
            initial_password,
        };
        call(py, move || oa.create_person(&s, input)).map(Into::into)
    }

    /// Changes a person's details: `None` keeps a field, `""` clears an optional text field,
    /// `clear_superior=True` removes the superior.
    #[pyo3(signature = (session, id, *, login = None, name = None, email = None, phone = None, position = None, superior = None, clear_superior = false))]
    #[allow(clippy::too_many_arguments)]
    fn update_person(
        &self,
        py: Python<'_>,
        session: &Session,
        id: &str,
        login: Option<String>,
        name: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        position: Option<String>,
        superior: Option<&str>,
        clear_superior: bool,
    ) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::person_id(py, "id", id)?;
        let patch = PersonPatch {
            login,
            name,
            email,
            phone,
            position,
            superior: convert::opt_person_id(py, "superior", superior)?,
            clear_superior,
        };
        call(py, move || oa.update_person(&s, id, patch)).map(Into::into)
    }

    /// Moves a person to another department (the position is kept when `None`).
    #[pyo3(signature = (session, id, dept, position = None))]
    fn transfer_person(
        &self,
        py: Python<'_>,
        session: &Session,
        id: &str,
        dept: &str,
        position: Option<String>,
    ) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::person_id(py, "id", id)?;
        let dept = convert::dept_id(py, "dept", dept)?;
        call(py, move || oa.transfer_person(&s, id, dept, position)).map(Into::into)
    }

    /// Disables a person: they may not sign in.
    fn disable_person(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::person_id(py, "id", id)?;
        call(py, move || oa.disable_person(&s, id)).map(Into::into)
    }

    /// Makes a disabled person, or one who left, active again.
    fn enable_person(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::person_id(py, "id", id)?;
        call(py, move || oa.enable_person(&s, id)).map(Into::into)
    }

    /// Marks a person as having left (离职).
    fn mark_person_left(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::person_id(py, "id", id)?;
        call(py, move || oa.mark_person_left(&s, id)).map(Into::into)
    }

    /// Gives a person a part-time post (兼职) in another department.
    #[pyo3(signature = (session, id, *, dept, position = None))]
    fn add_post(
        &self,
        py: Python<'_>,
        session: &Session,
        id: &str,
        dept: &str,
        position: Option<String>,
    ) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::person_id(py, "id", id)?;
        let post = Post { dept: convert::dept_id(py, "dept", dept)?, position };
        call(py, move || oa.add_post(&s, id, post)).map(Into::into)
    }

    /// Removes a person's part-time post in `dept`.
    fn remove_post(&self, py: Python<'_>, session: &Session, id: &str, dept: &str) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::person_id(py, "id", id)?;
        let dept = convert::dept_id(py, "dept", dept)?;
        call(py, move || oa.remove_post(&s, id, dept)).map(Into::into)
    }

    /// One person.
    fn get_person(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::person_id(py, "id", id)?;
        call(py, move || oa.get_person(&s, id)).map(Into::into)
    }

    /// The person whose login is `login` (case-insensitive).
    fn find_person_by_login(&self, py: Python<'_>, session: &Session, login: String) -> PyResult<records::Person> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.find_person_by_login(&s, &login)).map(Into::into)
    }

    /// One page of people, filtered to the caller's data scope.
    #[pyo3(signature = (session, *, dept = None, include_subtree = false, main_post_only = false, status = None, text = None, cursor = None, limit = 0))]
    #[allow(clippy::too_many_arguments)]
    fn list_people(
        &self,
        py: Python<'_>,
        session: &Session,
        dept: Option<&str>,
        include_subtree: bool,
        main_post_only: bool,
        status: Option<&str>,
        text: Option<String>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let query = PeopleQuery {
            dept: convert::opt_dept_id(py, "dept", dept)?,
            include_subtree,
            main_post_only,
            status: status.map(|w| convert::word::<PersonStatus>(py, "status", w)).transpose()?,
            text,
        };
        let page = PageRequest { cursor, limit: convert::unsigned(py, "limit", limit)? };
        let got = call(py, move || oa.list_people(&s, query, page))?;
        records::Page::new(py, got.map(records::Person::from))
    }

    /// A person's chain of superiors, nearest first.
    fn superiors_of(&self, py: Python<'_>, session: &Session, person: &str) -> PyResult<Vec<records::Person>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let person = convert::person_id(py, "person", person)?;
        call(py, move || oa.superiors_of(&s, person)).map(people)
    }

    /// The head of the department `levels` above the person's main department, if any.
    fn head_above(
        &self,
        py: Python<'_>,
        session: &Session,
        person: &str,
        levels: i64,
    ) -> PyResult<Option<records::Person>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let person = convert::person_id(py, "person", person)?;
        let levels = convert::unsigned(py, "levels", levels)?;
        call(py, move || oa.head_above(&s, person, levels)).map(|p| p.map(Into::into))
    }

    /// Imports departments and people from two CSV files (`bytes` or `str`), all or nothing.
    fn import_org_csv(
        &self,
        py: Python<'_>,
        session: &Session,
        departments_csv: &Bound<'_, PyAny>,
        people_csv: &Bound<'_, PyAny>,
    ) -> PyResult<records::ImportReport> {
        let (oa, s) = (self.oa(py)?, session.core());
        let d = convert::file_bytes("departments_csv", departments_csv)?;
        let p = convert::file_bytes("people_csv", people_csv)?;
        call(py, move || oa.import_org_csv(&s, &d, &p)).map(Into::into)
    }

    // ---- permissions ----

    /// Every permission of the catalogue.
    fn list_permissions(&self, py: Python<'_>, session: &Session) -> PyResult<Vec<records::PermissionInfo>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.list_permissions(&s))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// Creates a role. `data_scope` is a `DataScope` or, for the kinds without departments, its
    /// word (`"all"`, `"own_dept"`, `"own_dept_and_below"`, `"self_only"`).
    #[pyo3(signature = (session, *, code, name, data_scope, description = String::new(), permissions = Vec::new(), inherits = Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn create_role(
        &self,
        py: Python<'_>,
        session: &Session,
        code: String,
        name: String,
        data_scope: &Bound<'_, PyAny>,
        description: String,
        permissions: Vec<String>,
        inherits: Vec<String>,
    ) -> PyResult<records::Role> {
        let (oa, s) = (self.oa(py)?, session.core());
        let data_scope = data_scope_arg(py, data_scope)?;
        let input = NewRole { code, name, description, permissions, inherits, data_scope };
        call(py, move || oa.create_role(&s, input)).map(Into::into)
    }

    /// Changes a role; `None` keeps a field.
    #[pyo3(signature = (session, code, *, name = None, description = None, permissions = None, inherits = None, data_scope = None))]
    #[allow(clippy::too_many_arguments)]
    fn update_role(
        &self,
        py: Python<'_>,
        session: &Session,
        code: String,
        name: Option<String>,
        description: Option<String>,
        permissions: Option<Vec<String>>,
        inherits: Option<Vec<String>>,
        data_scope: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<records::Role> {
        let (oa, s) = (self.oa(py)?, session.core());
        let data_scope = match data_scope {
            Some(d) if !d.is_none() => Some(data_scope_arg(py, d)?),
            _ => None,
        };
        let patch = RolePatch { name, description, permissions, inherits, data_scope };
        call(py, move || oa.update_role(&s, &code, patch)).map(Into::into)
    }

    /// Deletes a role.
    fn delete_role(&self, py: Python<'_>, session: &Session, code: String) -> PyResult<()> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.delete_role(&s, &code))
    }

    /// The role of `code`.
    fn get_role(&self, py: Python<'_>, session: &Session, code: String) -> PyResult<records::Role> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.get_role(&s, &code)).map(Into::into)
    }

    /// Every role, by code.
    fn list_roles(&self, py: Python<'_>, session: &Session) -> PyResult<Vec<records::Role>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.list_roles(&s))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// Grants a role to a person, optionally only inside the subtree of `limit_to_dept`.
    #[pyo3(signature = (session, *, person, role, limit_to_dept = None))]
    fn grant_role(
        &self,
        py: Python<'_>,
        session: &Session,
        person: &str,
        role: String,
        limit_to_dept: Option<&str>,
    ) -> PyResult<records::Grant> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = NewGrant {
            person: convert::person_id(py, "person", person)?,
            role,
            limit_to_dept: convert::opt_dept_id(py, "limit_to_dept", limit_to_dept)?,
        };
        call(py, move || oa.grant_role(&s, input)).map(Into::into)
    }

    /// Revokes a grant.
    fn revoke_grant(&self, py: Python<'_>, session: &Session, grant_id: &str) -> PyResult<()> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = convert::grant_id(py, "grant_id", grant_id)?;
        call(py, move || oa.revoke_grant(&s, id))
    }

    /// The grants of `person`, or every grant the caller may see when `None`.
    #[pyo3(signature = (session, person = None))]
    fn list_grants(&self, py: Python<'_>, session: &Session, person: Option<&str>) -> PyResult<Vec<records::Grant>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let person = convert::opt_person_id(py, "person", person)?;
        let v = call(py, move || oa.list_grants(&s, person))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// Whether the caller holds `permission` on a record of `dept` owned by `owner` (in any
    /// scope when both are `None`).
    #[pyo3(signature = (session, permission, dept = None, owner = None))]
    fn check_permission(
        &self,
        py: Python<'_>,
        session: &Session,
        permission: String,
        dept: Option<&str>,
        owner: Option<&str>,
    ) -> PyResult<bool> {
        let (oa, s) = (self.oa(py)?, session.core());
        let dept = convert::opt_dept_id(py, "dept", dept)?;
        let owner = convert::opt_person_id(py, "owner", owner)?;
        call(py, move || oa.check_permission(&s, &permission, dept, owner))
    }

    /// Whether `person` holds `permission` on a record of `dept` owned by `owner` (in any scope
    /// when both are `None`): the administrator's view of someone else's rights.
    #[pyo3(signature = (session, person, permission, dept = None, owner = None))]
    fn check_permission_of(
        &self,
        py: Python<'_>,
        session: &Session,
        person: &str,
        permission: String,
        dept: Option<&str>,
        owner: Option<&str>,
    ) -> PyResult<bool> {
        let (oa, s) = (self.oa(py)?, session.core());
        let person = convert::person_id(py, "person", person)?;
        let dept = convert::opt_dept_id(py, "dept", dept)?;
        let owner = convert::opt_person_id(py, "owner", owner)?;
        call(py, move || oa.check_permission_of(&s, person, &permission, dept, owner))
    }

    /// The caller's reach for `permission`, as a filter for list queries.
    fn permission_scope(
        &self,
        py: Python<'_>,
        session: &Session,
        permission: String,
    ) -> PyResult<records::ScopeFilter> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.permission_scope(&s, &permission)).map(Into::into)
    }

    /// Every permission `person` holds now.
    fn effective_permissions(&self, py: Python<'_>, session: &Session, person: &str) -> PyResult<Vec<String>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let person = convert::person_id(py, "person", person)?;
        call(py, move || oa.effective_permissions(&s, person))
    }

    /// The caller's compiled permissions: a snapshot a UI consults with lookups (see
    /// `Principal`).
    fn principal(&self, py: Python<'_>, session: &Session) -> PyResult<Principal> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.principal(&s)).map(|inner| Principal { inner })
    }

    // ---- parameters ----

    /// Every parameter with its current value.
    fn list_params(&self, py: Python<'_>, session: &Session) -> PyResult<Vec<records::ParamSetting>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.list_params(&s))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// One parameter with its current value.
    fn get_param(&self, py: Python<'_>, session: &Session, key: String) -> PyResult<records::ParamSetting> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.get_param(&s, &key)).map(Into::into)
    }

    /// Sets a parameter to `value` (`bool`, `int` or `str`, as the parameter takes).
    fn set_param(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<records::ParamSetting> {
        let (oa, s) = (self.oa(py)?, session.core());
        let value = convert::param_value(value)?;
        call(py, move || oa.set_param(&s, &key, value)).map(Into::into)
    }

    /// Puts a parameter back to its default.
    fn reset_param(&self, py: Python<'_>, session: &Session, key: String) -> PyResult<records::ParamSetting> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.reset_param(&s, &key)).map(Into::into)
    }

    // ---- the working calendar ----

    /// The working calendar's settings (the defaults when never set).
    fn get_work_calendar(&self, py: Python<'_>, session: &Session) -> PyResult<records::WorkCalendarSettings> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.get_work_calendar(&s)).map(Into::into)
    }

    /// Replaces the weekly pattern (weekdays 0 for Monday to 6 for Sunday), the working hours
    /// and the time zone (a fixed UTC offset such as `"+08:00"`).
    #[pyo3(signature = (session, *, working_weekdays, hours, utc_offset))]
    fn set_work_calendar(
        &self,
        py: Python<'_>,
        session: &Session,
        working_weekdays: Vec<i64>,
        hours: Vec<PyRef<'_, records::WorkHours>>,
        utc_offset: String,
    ) -> PyResult<records::WorkCalendarSettings> {
        let (oa, s) = (self.oa(py)?, session.core());
        let settings = oa::WorkCalendarSettings {
            working_weekdays: working_weekdays
                .iter()
                .enumerate()
                .map(|(i, d)| convert::weekday(py, &format!("working_weekdays[{i}]"), *d))
                .collect::<PyResult<_>>()?,
            hours: hours.iter().map(|h| oa::WorkHours::from(&**h)).collect(),
            utc_offset,
        };
        call(py, move || oa.set_work_calendar(&s, settings)).map(Into::into)
    }

    /// Replaces one year's public holidays and make-up working days (调休), as `date`s.
    fn set_holidays(
        &self,
        py: Python<'_>,
        session: &Session,
        year: i64,
        holidays: Vec<Bound<'_, PyAny>>,
        makeup_days: Vec<Bound<'_, PyAny>>,
    ) -> PyResult<records::HolidayYear> {
        let (oa, s) = (self.oa(py)?, session.core());
        let year = convert::fit(py, "year", year)?;
        let holidays = convert::dates("holidays", holidays)?;
        let makeup_days = convert::dates("makeup_days", makeup_days)?;
        call(py, move || oa.set_holidays(&s, year, holidays, makeup_days)).map(Into::into)
    }

    /// One year's holidays and make-up days.
    fn list_holidays(&self, py: Python<'_>, session: &Session, year: i64) -> PyResult<records::HolidayYear> {
        let (oa, s) = (self.oa(py)?, session.core());
        let year = convert::fit(py, "year", year)?;
        call(py, move || oa.list_holidays(&s, year)).map(Into::into)
    }

    /// The deadline `duration` of working time after `start` (an aware datetime), by the
    /// office's calendar; an aware datetime in UTC.
    fn add_working_time(
        &self,
        py: Python<'_>,
        session: &Session,
        start: &Bound<'_, PyAny>,
        duration: PyRef<'_, records::WorkDuration>,
    ) -> PyResult<chrono::DateTime<chrono::Utc>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let start = convert::instant(py, "start", start)?;
        let duration = duration.to_core(py)?;
        call(py, move || oa.add_working_time(&s, start, duration))
    }

    /// Today's date in the office's time zone, by its clock: the day a delegation's
    /// `first_day` and `last_day` count from. Any signed-in person may ask.
    fn today(&self, py: Python<'_>, session: &Session) -> PyResult<chrono::NaiveDate> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.today(&s))
    }

    // ---- numbering ----

    /// Creates a numbering rule; `reset` is `"yearly"`, `"monthly"` or `"never"`.
    #[pyo3(signature = (session, *, key, name, pattern, reset, seq_width = 0))]
    #[allow(clippy::too_many_arguments)]
    fn create_numbering_rule(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
        name: String,
        pattern: String,
        reset: &str,
        seq_width: i64,
    ) -> PyResult<records::NumberingRule> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = oa::NewNumberingRule {
            key,
            name,
            pattern,
            seq_width: convert::unsigned(py, "seq_width", seq_width)?,
            reset: convert::word(py, "reset", reset)?,
        };
        call(py, move || oa.create_numbering_rule(&s, input)).map(Into::into)
    }

    /// Changes a numbering rule, keeping its counters; `None` keeps a field.
    #[pyo3(signature = (session, key, *, name = None, pattern = None, seq_width = None, reset = None))]
    #[allow(clippy::too_many_arguments)]
    fn update_numbering_rule(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
        name: Option<String>,
        pattern: Option<String>,
        seq_width: Option<i64>,
        reset: Option<&str>,
    ) -> PyResult<records::NumberingRule> {
        let (oa, s) = (self.oa(py)?, session.core());
        let patch = oa::NumberingRulePatch {
            name,
            pattern,
            seq_width: seq_width.map(|w| convert::unsigned(py, "seq_width", w)).transpose()?,
            reset: reset.map(|r| convert::word(py, "reset", r)).transpose()?,
        };
        call(py, move || oa.update_numbering_rule(&s, &key, patch)).map(Into::into)
    }

    /// Every numbering rule, in key order.
    fn list_numbering_rules(&self, py: Python<'_>, session: &Session) -> PyResult<Vec<records::NumberingRule>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.list_numbering_rules(&s))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// One numbering rule.
    fn get_numbering_rule(&self, py: Python<'_>, session: &Session, key: String) -> PyResult<records::NumberingRule> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.get_numbering_rule(&s, &key)).map(Into::into)
    }

    /// The number the rule would issue now, without consuming it.
    fn preview_next_number(&self, py: Python<'_>, session: &Session, rule_key: String) -> PyResult<String> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.preview_next_number(&s, &rule_key))
    }

    /// Issues the rule's next number by hand to `owner` (what it numbers).
    fn issue_number(&self, py: Python<'_>, session: &Session, rule_key: String, owner: String) -> PyResult<String> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.issue_number(&s, &rule_key, owner))
    }

    /// Who a number was issued to, when and by whom.
    fn get_issued_number(
        &self,
        py: Python<'_>,
        session: &Session,
        rule_key: String,
        number: String,
    ) -> PyResult<records::IssuedNumber> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.get_issued_number(&s, &rule_key, &number)).map(Into::into)
    }

    // ---- forms and attachments ----

    /// Defines a form, or its next version when the definition differs from the latest (the
    /// same definition again returns the latest version and writes nothing). `fields` is a
    /// list of dicts shaped as the core's JSON: `key`, `label`, `type` and the kind's settings
    /// side by side (`{"key": "amount", "label": "金额", "type": "money", "currency": "CNY"}`).
    #[pyo3(signature = (session, *, key, name, fields, description = String::new()))]
    fn define_form(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
        name: String,
        fields: &Bound<'_, PyAny>,
        description: String,
    ) -> PyResult<records::Form> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = NewForm { key, name, description, fields: field_defs(py, fields)? };
        call(py, move || oa.define_form(&s, input)).map(Into::into)
    }

    /// Form `key` at `version`, or at its latest version when `None`.
    #[pyo3(signature = (session, key, version = None))]
    fn get_form(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
        version: Option<i64>,
    ) -> PyResult<records::Form> {
        let (oa, s) = (self.oa(py)?, session.core());
        let version = version.map(|v| convert::unsigned(py, "version", v)).transpose()?;
        call(py, move || oa.get_form(&s, &key, version)).map(Into::into)
    }

    /// One page of forms, each at its latest version, by key.
    #[pyo3(signature = (session, *, cursor = None, limit = 0))]
    fn list_forms(
        &self,
        py: Python<'_>,
        session: &Session,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let page = PageRequest { cursor, limit: convert::unsigned(py, "limit", limit)? };
        let got = call(py, move || oa.list_forms(&s, page))?;
        records::Page::new(py, got.map(records::Form::from))
    }

    /// Every version of form `key`, oldest first.
    fn form_versions(&self, py: Python<'_>, session: &Session, key: String) -> PyResult<Vec<records::FormVersion>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.form_versions(&s, &key))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// Checks `data` (a dict) against form `key` at `version` (the latest when `None`) and
    /// returns it normalised, as it would be stored: totals computed, money as
    /// `{"amount": "…", "currency": "…"}`. Writes nothing. Every failing field is reported in
    /// `ValidationError.fields` with its path (`items[1].amount`).
    #[pyo3(signature = (session, key, data, version = None))]
    fn validate_form_data<'py>(
        &self,
        py: Python<'py>,
        session: &Session,
        key: String,
        data: &Bound<'py, PyAny>,
        version: Option<i64>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (oa, s) = (self.oa(py)?, session.core());
        if data.cast::<PyDict>().is_err() {
            return Err(PyTypeError::new_err(format!(
                "argument `data` must be a dict, got `{}`",
                convert::type_name(data)
            )));
        }
        // Paths inside data are relative to it, as the core reports them (`items[1].amount`).
        let data = convert::json(py, "data", JsonPath::Root(""), data)?;
        let version = version.map(|v| convert::unsigned(py, "version", v)).transpose()?;
        let normalised = call(py, move || oa.validate_form_data(&s, &key, version, data))?;
        convert::py_json(py, &normalised)
    }

    /// Uploads a file to attach to form data (at most 20 MiB, of an allowed type matching
    /// `file_name`'s extension and the first bytes of `data`). The same content uploaded again
    /// is stored once, under its first name: the id is the SHA-256 of the content.
    fn upload_attachment(
        &self,
        py: Python<'_>,
        session: &Session,
        file_name: String,
        content_type: String,
        data: &Bound<'_, PyAny>,
    ) -> PyResult<records::AttachmentInfo> {
        let (oa, s) = (self.oa(py)?, session.core());
        let bytes = convert::binary("data", data)?;
        call(py, move || {
            // The core names the content `bytes`; here it is the argument `data`.
            oa.upload_attachment(&s, &file_name, &content_type, &bytes).map_err(|e| match e {
                OaError::Validation(fields) => OaError::Validation(
                    fields
                        .into_iter()
                        .map(|f| if f.path == "bytes" { oa::FieldError::new("data", f.reason) } else { f })
                        .collect(),
                ),
                other => other,
            })
        })
        .map(Into::into)
    }

    /// An attachment's description and content, by id (its hash).
    fn get_attachment<'py>(
        &self,
        py: Python<'py>,
        session: &Session,
        hash: String,
    ) -> PyResult<(records::AttachmentInfo, Bound<'py, PyBytes>)> {
        let (oa, s) = (self.oa(py)?, session.core());
        let (info, bytes) = call(py, move || oa.get_attachment(&s, &hash))?;
        Ok((info.into(), PyBytes::new(py, &bytes)))
    }

    /// An attachment's description without its content.
    fn attachment_info(&self, py: Python<'_>, session: &Session, hash: String) -> PyResult<records::AttachmentInfo> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.attachment_info(&s, &hash)).map(Into::into)
    }

    // ---- workflow: process definitions (流程定义) ----

    /// Publishes a process: version 1 of a new key, or the next version when the definition
    /// differs from the latest. `definition` is the process graph as the core's JSON, a dict
    /// (`{"nodes": [{"id": "start", "type": "start", "next": "..."}, ...]}`); the form is pinned
    /// at `form_version`, or at its latest version.
    #[pyo3(signature = (session, *, key, name, form_key, definition, category = String::new(), form_version = None))]
    #[allow(clippy::too_many_arguments)]
    fn publish_process(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
        name: String,
        form_key: String,
        definition: &Bound<'_, PyAny>,
        category: String,
        form_version: Option<i64>,
    ) -> PyResult<records::ProcessDefinition> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = new_process(py, key, name, category, form_key, form_version, definition)?;
        call(py, move || oa.publish_process(&s, input)).map(Into::into)
    }

    /// Publishes a process written as a DingTalk-style nested node tree, given as its JSON
    /// text (`str`) or as a dict of the same shape.
    fn publish_process_json(
        &self,
        py: Python<'_>,
        session: &Session,
        json: &Bound<'_, PyAny>,
    ) -> PyResult<records::ProcessDefinition> {
        let (oa, s) = (self.oa(py)?, session.core());
        let text = json_text(py, "json", json)?;
        call(py, move || oa.publish_process_json(&s, &text)).map(Into::into)
    }

    /// Imports a process from BPMN 2.0 XML and publishes it over form `form_key` at
    /// `form_version` (its latest version when `None`).
    #[pyo3(signature = (session, xml, form_key, form_version = None))]
    fn import_bpmn(
        &self,
        py: Python<'_>,
        session: &Session,
        xml: &Bound<'_, PyAny>,
        form_key: String,
        form_version: Option<i64>,
    ) -> PyResult<records::ProcessDefinition> {
        let (oa, s) = (self.oa(py)?, session.core());
        let bytes = convert::file_bytes("xml", xml)?;
        let xml = String::from_utf8(bytes).map_err(|_| errors::invalid(py, "xml", "is not UTF-8 text"))?;
        let form_version = form_version.map(|v| convert::unsigned(py, "form_version", v)).transpose()?;
        call(py, move || oa.import_bpmn(&s, &xml, &form_key, form_version)).map(Into::into)
    }

    /// Process `key` at `version`, or at its latest version when `None`.
    #[pyo3(signature = (session, key, version = None))]
    fn get_process(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
        version: Option<i64>,
    ) -> PyResult<records::ProcessDefinition> {
        let (oa, s) = (self.oa(py)?, session.core());
        let version = version.map(|v| convert::unsigned(py, "version", v)).transpose()?;
        call(py, move || oa.get_process(&s, &key, version)).map(Into::into)
    }

    /// Every process at its latest version, by key.
    fn list_processes(&self, py: Python<'_>, session: &Session) -> PyResult<Vec<records::ProcessDefinition>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.list_processes(&s))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// Every version of process `key`, oldest first.
    fn process_versions(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
    ) -> PyResult<Vec<records::ProcessVersion>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.process_versions(&s, &key))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// Checks a process as `publish_process` would, without publishing it: every problem
    /// found, each with its path; an empty list when the process would publish.
    #[pyo3(signature = (session, *, key, name, form_key, definition, category = String::new(), form_version = None))]
    #[allow(clippy::too_many_arguments)]
    fn validate_process(
        &self,
        py: Python<'_>,
        session: &Session,
        key: String,
        name: String,
        form_key: String,
        definition: &Bound<'_, PyAny>,
        category: String,
        form_version: Option<i64>,
    ) -> PyResult<Vec<errors::FieldError>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = new_process(py, key, name, category, form_key, form_version, definition)?;
        let v = call(py, move || oa.validate_process(&s, input))?;
        Ok(v.into_iter().map(|f| errors::FieldError { path: f.path, reason: f.reason }).collect())
    }

    // ---- workflow: instances and tasks (审批) ----

    /// Starts an instance of process `process_key` (发起) with form data `data` (a dict).
    #[pyo3(signature = (session, *, process_key, title, data, version = None, business_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn start_process(
        &self,
        py: Python<'_>,
        session: &Session,
        process_key: String,
        title: String,
        data: &Bound<'_, PyAny>,
        version: Option<i64>,
        business_key: Option<String>,
    ) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = start_input(py, process_key, title, data, version, business_key)?;
        call(py, move || oa.start_process(&s, input)).map(Into::into)
    }

    /// Saves a draft (草稿): a new one when `id` is `None`, or the caller's draft `id` again.
    #[pyo3(signature = (session, id = None, *, process_key, title, data, version = None, business_key = None))]
    #[allow(clippy::too_many_arguments)]
    fn save_draft(
        &self,
        py: Python<'_>,
        session: &Session,
        id: Option<&str>,
        process_key: String,
        title: String,
        data: &Bound<'_, PyAny>,
        version: Option<i64>,
        business_key: Option<String>,
    ) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = id.map(|i| instance_id(py, "id", i)).transpose()?;
        let input = start_input(py, process_key, title, data, version, business_key)?;
        call(py, move || oa.save_draft(&s, id, input)).map(Into::into)
    }

    /// Submits the caller's draft `id`, as `start_process` would.
    fn submit_draft(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = instance_id(py, "id", id)?;
        call(py, move || oa.submit_draft(&s, id)).map(Into::into)
    }

    /// Deletes the caller's draft `id`.
    fn delete_draft(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<()> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = instance_id(py, "id", id)?;
        call(py, move || oa.delete_draft(&s, id))
    }

    /// Approves task `task` (同意), with an edit of the fields its node lets approvers change
    /// (`form_edits`, a dict; fields left out keep their values).
    #[pyo3(signature = (session, task, comment = String::new(), *, form_edits = None))]
    fn approve(
        &self,
        py: Python<'_>,
        session: &Session,
        task: &str,
        comment: String,
        form_edits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        let edits = match form_edits {
            Some(v) if !v.is_none() => Some(data_dict(py, "form_edits", v)?),
            _ => None,
        };
        call(py, move || oa.approve(&s, task, &comment, edits)).map(Into::into)
    }

    /// Rejects task `task` (驳回).
    #[pyo3(signature = (session, task, comment = String::new()))]
    fn reject(&self, py: Python<'_>, session: &Session, task: &str, comment: String) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        call(py, move || oa.reject(&s, task, &comment)).map(Into::into)
    }

    /// Returns the instance of task `task` (退回) to `to`: a `ReturnTarget`, or the word
    /// `"previous"` or `"initiator"`.
    #[pyo3(signature = (session, task, to, comment = String::new()))]
    fn return_task(
        &self,
        py: Python<'_>,
        session: &Session,
        task: &str,
        to: &Bound<'_, PyAny>,
        comment: String,
    ) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        let to = return_target_arg(py, to)?;
        call(py, move || oa.return_task(&s, task, to, &comment)).map(Into::into)
    }

    /// Resubmits an instance returned to its initiator (重新提交) with new data (a dict).
    fn resubmit(
        &self,
        py: Python<'_>,
        session: &Session,
        instance: &str,
        data: &Bound<'_, PyAny>,
    ) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let instance = instance_id(py, "instance", instance)?;
        let data = data_dict(py, "data", data)?;
        call(py, move || oa.resubmit(&s, instance, data)).map(Into::into)
    }

    /// Withdraws (撤回) an instance (its initiator, while nobody acted) or the caller's last
    /// approval (while nobody acted after it).
    fn withdraw(&self, py: Python<'_>, session: &Session, instance: &str) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let instance = instance_id(py, "instance", instance)?;
        call(py, move || oa.withdraw(&s, instance)).map(Into::into)
    }

    /// Hands task `task` to person `to` (转交); returns the new task.
    #[pyo3(signature = (session, task, to, comment = String::new()))]
    fn transfer(
        &self,
        py: Python<'_>,
        session: &Session,
        task: &str,
        to: &str,
        comment: String,
    ) -> PyResult<records::Task> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        let to = convert::person_id(py, "to", to)?;
        call(py, move || oa.transfer(&s, task, to, &comment)).map(Into::into)
    }

    /// Adds a signer (加签) to task `task`: `position` is `"before"`, `"after"` or
    /// `"alongside"`. Returns the signer's task.
    fn add_signer(
        &self,
        py: Python<'_>,
        session: &Session,
        task: &str,
        person: &str,
        position: &str,
    ) -> PyResult<records::Task> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        let person = convert::person_id(py, "person", person)?;
        let position = convert::word::<SignerPosition>(py, "position", position)?;
        call(py, move || oa.add_signer(&s, task, person, position)).map(Into::into)
    }

    /// Removes a signer (减签): cancels pending task `task` of a signer the caller added.
    fn remove_signer(&self, py: Python<'_>, session: &Session, task: &str) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        call(py, move || oa.remove_signer(&s, task)).map(Into::into)
    }

    /// Adds a comment (评论) to an instance.
    fn comment(&self, py: Python<'_>, session: &Session, instance: &str, text: String) -> PyResult<()> {
        let (oa, s) = (self.oa(py)?, session.core());
        let instance = instance_id(py, "instance", instance)?;
        call(py, move || oa.comment(&s, instance, &text))
    }

    /// Urges the pending approvers of an instance (催办); returns how many tasks were urged.
    fn urge(&self, py: Python<'_>, session: &Session, instance: &str) -> PyResult<u32> {
        let (oa, s) = (self.oa(py)?, session.core());
        let instance = instance_id(py, "instance", instance)?;
        call(py, move || oa.urge(&s, instance))
    }

    /// Marks a copy read (已阅).
    fn mark_cc_read(&self, py: Python<'_>, session: &Session, task: &str) -> PyResult<records::Task> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        call(py, move || oa.mark_cc_read(&s, task)).map(Into::into)
    }

    /// Terminates a running instance (终止).
    #[pyo3(signature = (session, instance, reason = String::new()))]
    fn terminate(
        &self,
        py: Python<'_>,
        session: &Session,
        instance: &str,
        reason: String,
    ) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let instance = instance_id(py, "instance", instance)?;
        call(py, move || oa.terminate(&s, instance, &reason)).map(Into::into)
    }

    /// Moves a running instance to node `node` (跳转).
    fn jump(&self, py: Python<'_>, session: &Session, instance: &str, node: String) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let instance = instance_id(py, "instance", instance)?;
        call(py, move || oa.jump(&s, instance, &node)).map(Into::into)
    }

    /// Handles the deadlines due up to `up_to` (an aware datetime).
    fn process_due(&self, py: Python<'_>, session: &Session, up_to: &Bound<'_, PyAny>) -> PyResult<records::DueReport> {
        let (oa, s) = (self.oa(py)?, session.core());
        let up_to = convert::instant(py, "up_to", up_to)?;
        call(py, move || oa.process_due(&s, up_to)).map(Into::into)
    }

    /// One page of the caller's pending tasks (待办), newest first.
    #[pyo3(signature = (session, *, process = None, from_ = None, to = None, initiator = None, text = None, cursor = None, limit = 0))]
    #[allow(clippy::too_many_arguments)]
    fn todo(
        &self,
        py: Python<'_>,
        session: &Session,
        process: Option<String>,
        from_: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
        initiator: Option<&str>,
        text: Option<String>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let (q, page) = task_query(py, process, from_, to, initiator, text, cursor, limit)?;
        let got = call(py, move || oa.todo(&s, q, page))?;
        records::Page::new(py, got.map(records::Task::from))
    }

    /// One page of the tasks the caller acted on (已办), most recent first.
    #[pyo3(signature = (session, *, process = None, from_ = None, to = None, initiator = None, text = None, cursor = None, limit = 0))]
    #[allow(clippy::too_many_arguments)]
    fn done(
        &self,
        py: Python<'_>,
        session: &Session,
        process: Option<String>,
        from_: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
        initiator: Option<&str>,
        text: Option<String>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let (q, page) = task_query(py, process, from_, to, initiator, text, cursor, limit)?;
        let got = call(py, move || oa.done(&s, q, page))?;
        records::Page::new(py, got.map(records::Task::from))
    }

    /// One page of the copies sent to the caller (抄送我的), newest first; only unread ones
    /// when `unread_only`.
    #[pyo3(signature = (session, *, unread_only = false, process = None, from_ = None, to = None, initiator = None, text = None, cursor = None, limit = 0))]
    #[allow(clippy::too_many_arguments)]
    fn cc_to_me(
        &self,
        py: Python<'_>,
        session: &Session,
        unread_only: bool,
        process: Option<String>,
        from_: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
        initiator: Option<&str>,
        text: Option<String>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let (q, page) = task_query(py, process, from_, to, initiator, text, cursor, limit)?;
        let got = call(py, move || oa.cc_to_me(&s, q, unread_only, page))?;
        records::Page::new(py, got.map(records::Task::from))
    }

    /// One page of the instances the caller started (我发起的), drafts included, newest first.
    #[pyo3(signature = (session, *, process = None, from_ = None, to = None, text = None, cursor = None, limit = 0))]
    #[allow(clippy::too_many_arguments)]
    fn started_by_me(
        &self,
        py: Python<'_>,
        session: &Session,
        process: Option<String>,
        from_: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
        text: Option<String>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let (q, page) = task_query(py, process, from_, to, None, text, cursor, limit)?;
        let got = call(py, move || oa.started_by_me(&s, q, page))?;
        records::Page::new(py, got.map(records::Instance::from))
    }

    /// The caller's badge counts: pending tasks and unread copies.
    fn badge_counts(&self, py: Python<'_>, session: &Session) -> PyResult<records::BadgeCounts> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.badge_counts(&s)).map(Into::into)
    }

    /// An instance with its tasks and history (时间线).
    fn instance(&self, py: Python<'_>, session: &Session, id: &str) -> PyResult<records::InstanceDetail> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = instance_id(py, "id", id)?;
        call(py, move || oa.instance(&s, id)).map(Into::into)
    }

    /// The instances linked to business key `key` (`contract:01J…`), oldest first.
    fn instances_of(&self, py: Python<'_>, session: &Session, key: String) -> PyResult<Vec<records::Instance>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.instances_of(&s, &key))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// One page of the running instances waiting at node `node` of process `process`.
    #[pyo3(signature = (session, process, node, *, cursor = None, limit = 0))]
    fn instances_at_node(
        &self,
        py: Python<'_>,
        session: &Session,
        process: String,
        node: String,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let page = PageRequest { cursor, limit: convert::unsigned(py, "limit", limit)? };
        let got = call(py, move || oa.instances_at_node(&s, &process, &node, page))?;
        records::Page::new(py, got.map(records::Instance::from))
    }

    // ---- workflow: business types (业务类型) ----

    /// Declares business type `prefix` (业务类型): instances may then carry business keys
    /// `prefix:…`, and how each ended is appended to the type's feed. Declaring it again
    /// changes its description.
    #[pyo3(signature = (session, prefix, description = String::new()))]
    fn declare_business_type(
        &self,
        py: Python<'_>,
        session: &Session,
        prefix: String,
        description: String,
    ) -> PyResult<records_delegation::BusinessType> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.declare_business_type(&s, &prefix, &description)).map(Into::into)
    }

    /// The business types of the office, by prefix.
    fn business_types(&self, py: Python<'_>, session: &Session) -> PyResult<Vec<records_delegation::BusinessType>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.business_types(&s))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// The endings of instances with business keys `prefix:…` after sequence number
    /// `after_seq` (0 for the first), oldest first, at most `limit` (0 for 100). Remember the
    /// `seq` of the last event handled and ask again from there.
    #[pyo3(signature = (session, prefix, *, after_seq = 0, limit = 0))]
    fn business_events(
        &self,
        py: Python<'_>,
        session: &Session,
        prefix: String,
        after_seq: i64,
        limit: i64,
    ) -> PyResult<Vec<records_delegation::BusinessEvent>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let after_seq = convert::unsigned(py, "after_seq", after_seq)?;
        let limit = convert::unsigned(py, "limit", limit)?;
        let v = call(py, move || oa.business_events(&s, &prefix, after_seq, limit))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    // ---- workflow: monitoring and administration (过程监控) ----

    /// The nodes of process `process` where running instances wait, with how many wait at
    /// each and since when the longest has.
    fn node_counts(
        &self,
        py: Python<'_>,
        session: &Session,
        process: String,
    ) -> PyResult<Vec<records_monitor::NodeCount>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let v = call(py, move || oa.node_counts(&s, &process))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// One page of the running instances of `process` waiting at node `node`, longest
    /// waiting first, with how long each has waited and for whom.
    #[pyo3(signature = (session, process, node, *, cursor = None, limit = 0))]
    fn waiting_at_node(
        &self,
        py: Python<'_>,
        session: &Session,
        process: String,
        node: String,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let page = workflow_args::page(py, cursor, limit)?;
        let got = call(py, move || oa.waiting_at_node(&s, &process, &node, page))?;
        records::Page::new(py, got.map(records_monitor::NodeWait::from))
    }

    /// One page of the pending approval tasks past their deadline at `at` (an aware datetime;
    /// now when `None`), of `process` or of every process, most overdue first (超时).
    #[pyo3(signature = (session, *, process = None, at = None, cursor = None, limit = 0))]
    fn overdue_tasks(
        &self,
        py: Python<'_>,
        session: &Session,
        process: Option<String>,
        at: Option<&Bound<'_, PyAny>>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let at = convert::opt_instant(py, "at", at)?;
        let page = workflow_args::page(py, cursor, limit)?;
        let got = call(py, move || oa.overdue_tasks(&s, process.as_deref(), at, page))?;
        records::Page::new(py, got.map(records_monitor::OverdueTask::from))
    }

    /// One page of the running instances (of `process`, or of every process) waiting where
    /// nobody active can act. A page may come back short, even empty, with a cursor to go on.
    #[pyo3(signature = (session, *, process = None, cursor = None, limit = 0))]
    fn stuck_instances(
        &self,
        py: Python<'_>,
        session: &Session,
        process: Option<String>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let page = workflow_args::page(py, cursor, limit)?;
        let got = call(py, move || oa.stuck_instances(&s, process.as_deref(), page))?;
        records::Page::new(py, got.map(records_monitor::StuckInstance::from))
    }

    /// How long the approval tasks of `process` acted on from `from_` (included) to `to`
    /// (excluded) took, per node, slowest first.
    fn node_times(
        &self,
        py: Python<'_>,
        session: &Session,
        process: String,
        from_: &Bound<'_, PyAny>,
        to: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<records_monitor::NodeTime>> {
        let (oa, s) = (self.oa(py)?, session.core());
        let from = convert::instant(py, "from_", from_)?;
        let to = convert::instant(py, "to", to)?;
        let v = call(py, move || oa.node_times(&s, &process, from, to))?;
        Ok(v.into_iter().map(Into::into).collect())
    }

    /// Moves approval task `task`, pending or waiting behind a signer (前加签), to person `to`
    /// (改派), for `reason`; returns the new task, which keeps the seat, its state and its
    /// deadline.
    fn reassign_task(
        &self,
        py: Python<'_>,
        session: &Session,
        task: &str,
        to: &str,
        reason: String,
    ) -> PyResult<records::Task> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        let to = convert::person_id(py, "to", to)?;
        call(py, move || oa.reassign_task(&s, task, to, &reason)).map(Into::into)
    }

    /// Puts person `to` in the place of `from_`, who waits for their turn at an in-turn node
    /// (依次) of running instance `instance`, for `reason`: such an approver holds no task for
    /// `reassign_task` to move. `to` gets the task when the turn comes. Returns the instance.
    fn reassign_turn(
        &self,
        py: Python<'_>,
        session: &Session,
        instance: &str,
        from_: &str,
        to: &str,
        reason: String,
    ) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let instance = instance_id(py, "instance", instance)?;
        let from = convert::person_id(py, "from_", from_)?;
        let to = convert::person_id(py, "to", to)?;
        call(py, move || oa.reassign_turn(&s, instance, from, to, &reason)).map(Into::into)
    }

    /// Moves running instance `instance` to version `to_version` of its process (版本迁移).
    fn migrate_instance(
        &self,
        py: Python<'_>,
        session: &Session,
        instance: &str,
        to_version: i64,
    ) -> PyResult<records::Instance> {
        let (oa, s) = (self.oa(py)?, session.core());
        let instance = instance_id(py, "instance", instance)?;
        let to_version = convert::unsigned(py, "to_version", to_version)?;
        call(py, move || oa.migrate_instance(&s, instance, to_version)).map(Into::into)
    }

    /// Moves every running instance of version `from_version` of `process` to `to_version`,
    /// each on its own: the report lists those moved and those refused, with why.
    fn migrate_instances(
        &self,
        py: Python<'_>,
        session: &Session,
        process: String,
        from_version: i64,
        to_version: i64,
    ) -> PyResult<records_monitor::MigrationReport> {
        let (oa, s) = (self.oa(py)?, session.core());
        let from_version = convert::unsigned(py, "from_version", from_version)?;
        let to_version = convert::unsigned(py, "to_version", to_version)?;
        call(py, move || oa.migrate_instances(&s, &process, from_version, to_version)).map(Into::into)
    }

    // ---- workflow: delegation (委托, 委派) ----

    /// Sets a standing delegation (委托): from `first_day` to `last_day` (`datetime.date`s, both
    /// included, in the office's time zone) the new approval tasks of `owner` (the caller when
    /// `None`), of `process_key` or of every process, go to `delegate`.
    #[pyo3(signature = (session, *, delegate, first_day, last_day, process_key = None, reason = String::new(), owner = None))]
    #[allow(clippy::too_many_arguments)]
    fn create_delegation(
        &self,
        py: Python<'_>,
        session: &Session,
        delegate: &str,
        first_day: &Bound<'_, PyAny>,
        last_day: &Bound<'_, PyAny>,
        process_key: Option<String>,
        reason: String,
        owner: Option<&str>,
    ) -> PyResult<records_delegation::Delegation> {
        let (oa, s) = (self.oa(py)?, session.core());
        let input = workflow_args::new_delegation(py, delegate, first_day, last_day, process_key, reason, owner)?;
        call(py, move || oa.create_delegation(&s, input)).map(Into::into)
    }

    /// Cancels standing delegation `id`; tasks it already sent stay with the delegate.
    fn cancel_delegation(
        &self,
        py: Python<'_>,
        session: &Session,
        id: &str,
    ) -> PyResult<records_delegation::Delegation> {
        let (oa, s) = (self.oa(py)?, session.core());
        let id = workflow_args::delegation_id(py, "id", id)?;
        call(py, move || oa.cancel_delegation(&s, id)).map(Into::into)
    }

    /// One page of the caller's standing delegations (我的委托), newest first.
    #[pyo3(signature = (session, *, cursor = None, limit = 0))]
    fn my_delegations(
        &self,
        py: Python<'_>,
        session: &Session,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let page = workflow_args::page(py, cursor, limit)?;
        let got = call(py, move || oa.my_delegations(&s, page))?;
        records::Page::new(py, got.map(records_delegation::Delegation::from))
    }

    /// One page of the standing delegations that make the caller someone's delegate, newest
    /// first.
    #[pyo3(signature = (session, *, cursor = None, limit = 0))]
    fn delegations_to_me(
        &self,
        py: Python<'_>,
        session: &Session,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let page = workflow_args::page(py, cursor, limit)?;
        let got = call(py, move || oa.delegations_to_me(&s, page))?;
        records::Page::new(py, got.map(records_delegation::Delegation::from))
    }

    /// One page of every standing delegation whose owner the caller administers, newest first.
    #[pyo3(signature = (session, *, cursor = None, limit = 0))]
    fn all_delegations(
        &self,
        py: Python<'_>,
        session: &Session,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let page = workflow_args::page(py, cursor, limit)?;
        let got = call(py, move || oa.all_delegations(&s, page))?;
        records::Page::new(py, got.map(records_delegation::Delegation::from))
    }

    /// One page of the approval tasks the caller's standing delegations sent to their
    /// delegates (代办记录), newest first, pending or acted on.
    #[pyo3(signature = (session, *, process = None, from_ = None, to = None, initiator = None, text = None, cursor = None, limit = 0))]
    #[allow(clippy::too_many_arguments)]
    fn tasks_on_my_behalf(
        &self,
        py: Python<'_>,
        session: &Session,
        process: Option<String>,
        from_: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
        initiator: Option<&str>,
        text: Option<String>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let (q, page) = task_query(py, process, from_, to, initiator, text, cursor, limit)?;
        let got = call(py, move || oa.tasks_on_my_behalf(&s, q, page))?;
        records::Page::new(py, got.map(records::Task::from))
    }

    /// Delegates pending approval task `task` to person `to` (委派) to deal with and give back;
    /// `to`'s `approve` resolves it. Returns the delegate's task.
    #[pyo3(signature = (session, task, to, comment = String::new()))]
    fn delegate_task(
        &self,
        py: Python<'_>,
        session: &Session,
        task: &str,
        to: &str,
        comment: String,
    ) -> PyResult<records::Task> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        let to = convert::person_id(py, "to", to)?;
        call(py, move || oa.delegate_task(&s, task, to, &comment)).map(Into::into)
    }

    /// Takes back task `task` (收回), delegated by the caller and not resolved yet; returns it,
    /// pending again.
    fn take_back_task(&self, py: Python<'_>, session: &Session, task: &str) -> PyResult<records::Task> {
        let (oa, s) = (self.oa(py)?, session.core());
        let task = task_id(py, "task", task)?;
        call(py, move || oa.take_back_task(&s, task)).map(Into::into)
    }

    // ---- audit ----

    /// One page of audit records, newest first. `from_` (included) and `to` (excluded) are
    /// aware datetimes; `from_` has a trailing underscore because `from` is a Python keyword.
    #[pyo3(signature = (session, *, from_ = None, to = None, actor = None, operation = None, target = None, cursor = None, limit = 0))]
    #[allow(clippy::too_many_arguments)]
    fn list_audit(
        &self,
        py: Python<'_>,
        session: &Session,
        from_: Option<&Bound<'_, PyAny>>,
        to: Option<&Bound<'_, PyAny>>,
        actor: Option<&str>,
        operation: Option<String>,
        target: Option<String>,
        cursor: Option<String>,
        limit: i64,
    ) -> PyResult<records::Page> {
        let (oa, s) = (self.oa(py)?, session.core());
        let query = AuditQuery {
            from: convert::opt_instant(py, "from", from_)?,
            to: convert::opt_instant(py, "to", to)?,
            actor: convert::opt_person_id(py, "actor", actor)?,
            operation,
            target,
        };
        let page = PageRequest { cursor, limit: convert::unsigned(py, "limit", limit)? };
        let got = call(py, move || oa.list_audit(&s, query, page))?;
        records::Page::new(py, got.map(records::AuditRecord::from))
    }

    /// The audit record numbered `seq`.
    fn get_audit_record(&self, py: Python<'_>, session: &Session, seq: i64) -> PyResult<records::AuditRecord> {
        let (oa, s) = (self.oa(py)?, session.core());
        let seq = convert::unsigned(py, "seq", seq)?;
        call(py, move || oa.get_audit_record(&s, seq)).map(Into::into)
    }

    /// Walks the whole hash chain of the audit log.
    fn verify_audit_chain(&self, py: Python<'_>, session: &Session) -> PyResult<records::ChainReport> {
        let (oa, s) = (self.oa(py)?, session.core());
        call(py, move || oa.verify_audit_chain(&s)).map(Into::into)
    }
}

/// A data scope given as a `DataScope` or as the word of a kind without departments.
fn data_scope_arg(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<oa::perm::DataScope> {
    if let Ok(scope) = value.cast::<records::DataScope>() {
        return scope.get().to_core(py, "data_scope");
    }
    if let Ok(word) = value.extract::<String>() {
        return records::DataScope::from_word(word).to_core(py, "data_scope");
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "argument `data_scope` must be a DataScope or str, got `{}`",
        convert::type_name(value)
    )))
}

/// A form's fields: a list (or tuple) of dicts, each converted to the core's JSON and read as a
/// field definition. A wrong Python type is a `TypeError`; a dict that is not a field definition
/// (a missing `type`, an unknown kind, a setting of the wrong kind) is an `oa.ValidationError`
/// at `fields[i]`, every such field at once. The core then checks the definitions themselves.
fn field_defs(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Vec<FieldDef>> {
    if value.cast::<PyList>().is_err() && value.cast::<PyTuple>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "argument `fields` must be a list of dicts, got `{}`",
            convert::type_name(value)
        )));
    }
    let root = JsonPath::Root("fields");
    let (mut defs, mut problems) = (Vec::new(), Vec::new());
    for (i, item) in value.try_iter()?.enumerate() {
        let item = item?;
        let path = JsonPath::Index(&root, i);
        if item.cast::<PyDict>().is_err() {
            return Err(PyTypeError::new_err(format!(
                "`{path}` in argument `fields` must be a dict, got `{}`",
                convert::type_name(&item)
            )));
        }
        let json = convert::json(py, "fields", path, &item)?;
        match serde_json::from_value::<FieldDef>(json) {
            Ok(def) => defs.push(def),
            Err(e) => problems.push(oa::FieldError::new(path.to_string(), without_rust_names(&e.to_string()))),
        }
    }
    if !problems.is_empty() {
        return Err(errors::to_py(py, OaError::Validation(problems)));
    }
    Ok(defs)
}

/// A message of serde's with the Rust type names of the field settings in words.
fn without_rust_names(message: &str) -> String {
    message
        .replace("expected u32", "expected a whole number of 0 or more")
        .replace("expected a Decimal type representing a fixed-point number", "expected a decimal number")
}

fn instance_id(py: Python<'_>, field: &str, text: &str) -> PyResult<InstanceId> {
    InstanceId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

fn task_id(py: Python<'_>, field: &str, text: &str) -> PyResult<TaskId> {
    TaskId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

/// Form data: a `dict`, converted to the core's JSON with paths relative to it, as the core
/// reports them (`days`, `items[1].amount`).
fn data_dict(py: Python<'_>, arg: &str, value: &Bound<'_, PyAny>) -> PyResult<serde_json::Value> {
    if value.cast::<PyDict>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "argument `{arg}` must be a dict, got `{}`",
            convert::type_name(value)
        )));
    }
    convert::json(py, arg, JsonPath::Root(""), value)
}

/// A JSON document given as its text (`str`) or as a dict of its shape.
fn json_text(py: Python<'_>, arg: &str, value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = value.extract::<String>() {
        return Ok(text);
    }
    if value.cast::<PyDict>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "argument `{arg}` must be a str or a dict, got `{}`",
            convert::type_name(value)
        )));
    }
    Ok(convert::json(py, arg, JsonPath::Root(arg), value)?.to_string())
}

/// The input of `publish_process` and `validate_process`; `definition` is a dict read as the
/// core's process graph, a problem reading it being an `oa.ValidationError` at `definition`.
fn new_process(
    py: Python<'_>,
    key: String,
    name: String,
    category: String,
    form_key: String,
    form_version: Option<i64>,
    definition: &Bound<'_, PyAny>,
) -> PyResult<NewProcess> {
    if definition.cast::<PyDict>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "argument `definition` must be a dict, got `{}`",
            convert::type_name(definition)
        )));
    }
    let json = convert::json(py, "definition", JsonPath::Root("definition"), definition)?;
    let graph: ProcessGraph = serde_json::from_value(json)
        .map_err(|e| errors::invalid(py, "definition", without_rust_names(&e.to_string())))?;
    let form_version = form_version.map(|v| convert::unsigned(py, "form_version", v)).transpose()?;
    Ok(NewProcess { key, name, category, form_key, form_version, definition: graph })
}

fn start_input(
    py: Python<'_>,
    process_key: String,
    title: String,
    data: &Bound<'_, PyAny>,
    version: Option<i64>,
    business_key: Option<String>,
) -> PyResult<StartProcess> {
    let data = data_dict(py, "data", data)?;
    let version = version.map(|v| convert::unsigned(py, "version", v)).transpose()?;
    Ok(StartProcess { process_key, version, title, data, business_key })
}

#[allow(clippy::too_many_arguments)]
fn task_query(
    py: Python<'_>,
    process: Option<String>,
    from: Option<&Bound<'_, PyAny>>,
    to: Option<&Bound<'_, PyAny>>,
    initiator: Option<&str>,
    text: Option<String>,
    cursor: Option<String>,
    limit: i64,
) -> PyResult<(TaskQuery, PageRequest)> {
    let query = TaskQuery {
        process,
        from: convert::opt_instant(py, "from_", from)?,
        to: convert::opt_instant(py, "to", to)?,
        initiator: convert::opt_person_id(py, "initiator", initiator)?,
        text,
    };
    Ok((query, PageRequest { cursor, limit: convert::unsigned(py, "limit", limit)? }))
}

/// A return target given as a `ReturnTarget` or as the word `previous` or `initiator`.
fn return_target_arg(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<ReturnTarget> {
    if let Ok(t) = value.cast::<records::ReturnTarget>() {
        return t.get().to_core(py, "to");
    }
    if let Ok(word) = value.extract::<String>() {
        return records::ReturnTarget { kind: word, node: None }.to_core(py, "to");
    }
    Err(PyTypeError::new_err(format!(
        "argument `to` must be a ReturnTarget or str, got `{}`",
        convert::type_name(value)
    )))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Session>()?;
    m.add_class::<Principal>()?;
    m.add_class::<InitAccount>()?;
    m.add_class::<Office>()?;
    Ok(())
}
