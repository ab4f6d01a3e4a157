//! The web frontend of oa: the office engine compiled to WebAssembly for browsers and Node.
//!
//! An [`Office`] keeps its whole office in memory (the memory store); `office.save()` gives the
//! office as bytes and `Office.open(bytes)` opens it again, so a page can keep it in IndexedDB
//! or a file. Every operation of the core is a method of `Office` with its camelCase name
//! (`create_person` → `createPerson`); the first argument of every operation but `signIn` is
//! the session token that `signIn` returns.
//!
//! Inputs and outputs are plain objects with camelCase fields (see `types`); ids are strings,
//! instants are ISO 8601 strings in UTC, absent values are `null`. A failure is thrown as an
//! `Error` named `OaError` with the core's stable `code` and, for validation, `fields` (every
//! failing `{path, reason}`); a value of the wrong type from JavaScript is such a validation
//! error naming the argument or field. This crate holds no business rule: it maps types.

mod convert;
mod error;
pub mod types;
mod workflow_admin;
pub mod workflow_admin_types;

use std::sync::Arc;

use js_sys::Uint8Array;
use tsify::Ts;
use wasm_bindgen::prelude::*;

use oa::org::{DeptId, PersonId};
use oa::perm::GrantId;
use oa::workflow::runtime::{InstanceId, TaskId};
use oa::{MemoryStore, Oa, OaError, SystemClock};

use convert::{
    bytes, dates, done, done_wf, id, input, input_or_default, instant, int, json, json_text, opt_bool, opt_id, opt_int,
    opt_text, output, output_list, output_wf, session, text, ts_input,
};
use types::*;

/// The name of every public operation of the core (snake_case, as the core names them); the
/// methods of [`Office`] are these names in camelCase.
#[wasm_bindgen(unchecked_return_type = "string[]")]
pub fn operations() -> JsValue {
    oa::operations::all().into_iter().map(JsValue::from_str).collect::<js_sys::Array>().into()
}

/// The operations the core has and some frontend is still gaining, snake_case (empty when
/// every frontend has every operation); each is already a method of [`Office`]. They move into
/// `operations()` when every frontend has them.
#[wasm_bindgen(js_name = pendingOperations, unchecked_return_type = "string[]")]
pub fn pending_operations() -> JsValue {
    oa::operations::pending().into_iter().map(JsValue::from_str).collect::<js_sys::Array>().into()
}

/// Every `code` an error thrown by an office can carry.
#[wasm_bindgen(js_name = errorCodes, unchecked_return_type = "string[]")]
pub fn error_codes() -> JsValue {
    OaError::CODES.iter().map(|c| JsValue::from_str(c)).collect::<js_sys::Array>().into()
}

/// An office kept in memory. Create one with `Office.init`, or open saved bytes with
/// `Office.open`; keep it with `save`.
#[wasm_bindgen]
pub struct Office {
    oa: Oa,
    /// The same store the office writes to (a clone shares its data), kept for snapshots.
    store: MemoryStore,
}

#[wasm_bindgen]
impl Office {
    // ------------------------------------------------------------------------------------------
    // The office

    /// Initialises a new office in memory: its root department, built-in roles and first
    /// administrator(s). Every input field is checked first; a validation error lists them all.
    pub fn init(input: Ts<InitOffice>) -> Result<Office, JsValue> {
        let input: oa::InitOffice = ts_input(&input, "input")?.into();
        let store = MemoryStore::new();
        let oa = done(Oa::init(store.clone(), SystemClock, input))?;
        Ok(Office { oa, store })
    }

    /// Opens an office from the bytes `save` gave. Bytes that are not a saved office are an
    /// `incompatible_store` error.
    pub fn open(#[wasm_bindgen(unchecked_param_type = "Uint8Array")] snapshot: JsValue) -> Result<Office, JsValue> {
        let raw = bytes(&snapshot, "snapshot", false)?;
        let store = done(MemoryStore::from_snapshot(&raw).map_err(OaError::from))?;
        let oa = done(Oa::open(store.clone(), SystemClock))?;
        Ok(Office { oa, store })
    }

    /// The whole office as bytes, for `Office.open`. Refused with `closed` after `close`.
    pub fn save(&self) -> Result<Uint8Array, JsValue> {
        if self.oa.is_closed() {
            return Err(error::to_js(&OaError::Closed));
        }
        Ok(Uint8Array::from(self.store.to_snapshot().as_slice()))
    }

    /// Closes the office: every later call fails with `closed`.
    pub fn close(&self) {
        self.oa.close();
    }

    /// Whether `close` was called.
    #[wasm_bindgen(getter)]
    pub fn closed(&self) -> bool {
        self.oa.is_closed()
    }

    /// The backend the office is kept in (`memory`).
    #[wasm_bindgen(getter)]
    pub fn backend(&self) -> String {
        self.oa.backend().to_string()
    }

    // ------------------------------------------------------------------------------------------
    // Sign-in and sessions

    /// Signs in and returns the session token to pass to every other operation. A wrong login
    /// or password is `unauthenticated`; too many failures lock the login (`account_locked`).
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "SessionToken")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] login: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] password: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (login, password) = (text(&login, "login")?, text(&password, "password")?);
        let s = done(self.oa.sign_in(&login, &password))?;
        Ok(JsValue::from_str(s.token()))
    }

    /// Signs out: the session is no longer valid.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<(), JsValue> {
        done(self.oa.sign_out(&session(&session_token)?))
    }

    /// Who the caller is: person, permissions, session and password expiry.
    pub fn whoami(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<Ts<Me>, JsValue> {
        output(self.oa.whoami(&session(&session_token)?).map(Me::from))
    }

    /// Changes the caller's own password (also while a change is pending).
    #[wasm_bindgen(js_name = changePassword)]
    pub fn change_password(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = oldPassword, unchecked_param_type = "string")] old_password: JsValue,
        #[wasm_bindgen(js_name = newPassword, unchecked_param_type = "string")] new_password: JsValue,
    ) -> Result<(), JsValue> {
        let s = session(&session_token)?;
        let (old, new) = (text(&old_password, "oldPassword")?, text(&new_password, "newPassword")?);
        done(self.oa.change_password(&s, &old, &new))
    }

    /// Sets another person's password; they must change it at their next sign-in.
    #[wasm_bindgen(js_name = resetPassword)]
    pub fn reset_password(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] person: JsValue,
        #[wasm_bindgen(js_name = newPassword, unchecked_param_type = "string")] new_password: JsValue,
    ) -> Result<(), JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&person, "person")?);
        let new = text(&new_password, "newPassword")?;
        done(self.oa.reset_password(&s, person, &new))
    }

    /// The open sessions of a person.
    #[wasm_bindgen(js_name = listSessions, unchecked_return_type = "SessionInfo[]")]
    pub fn list_sessions(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] person: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&person, "person")?);
        output_list(self.oa.list_sessions(&s, person).map(|v| v.into_iter().map(SessionInfo::from).collect()))
    }

    /// Ends one session by its id.
    #[wasm_bindgen(js_name = revokeSession)]
    pub fn revoke_session(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = sessionId, unchecked_param_type = "Id")] session_id: JsValue,
    ) -> Result<(), JsValue> {
        let s = session(&session_token)?;
        let session_id = id(&session_id, "sessionId")?;
        done(self.oa.revoke_session(&s, session_id))
    }

    /// Ends every session of a person; returns how many were ended.
    #[wasm_bindgen(js_name = revokeSessionsOf)]
    pub fn revoke_sessions_of(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] person: JsValue,
    ) -> Result<u32, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&person, "person")?);
        done(self.oa.revoke_sessions_of(&s, person))
    }

    // ------------------------------------------------------------------------------------------
    // Departments

    /// Creates a department.
    #[wasm_bindgen(js_name = createDepartment)]
    pub fn create_department(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewDepartment>,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        let input: NewDepartment = ts_input(&input, "input")?;
        output(self.oa.create_department(&s, input.into()).map(Department::from))
    }

    /// Renames a department.
    #[wasm_bindgen(js_name = renameDepartment)]
    pub fn rename_department(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        let (dept, name) = (DeptId(id(&id_, "id")?), text(&name, "name")?);
        output(self.oa.rename_department(&s, dept, &name).map(Department::from))
    }

    /// Moves a department under a new parent (`null`: makes it a root), optionally at a
    /// position among its new siblings.
    #[wasm_bindgen(js_name = moveDepartment)]
    pub fn move_department(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
        #[wasm_bindgen(js_name = newParent, unchecked_param_type = "Id | null")] new_parent: JsValue,
        #[wasm_bindgen(js_name = sortOrder, unchecked_optional_param_type = "number | null")] sort_order: JsValue,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        let dept = DeptId(id(&id_, "id")?);
        let parent = opt_id(&new_parent, "newParent")?.map(DeptId);
        let order = opt_int(&sort_order, "sortOrder", i64::MIN, i64::MAX)?;
        output(self.oa.move_department(&s, dept, parent, order).map(Department::from))
    }

    /// Sets a department's position among its siblings.
    #[wasm_bindgen(js_name = reorderDepartment)]
    pub fn reorder_department(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
        #[wasm_bindgen(js_name = sortOrder, unchecked_param_type = "number")] sort_order: JsValue,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        let dept = DeptId(id(&id_, "id")?);
        let order = int(&sort_order, "sortOrder", i64::MIN, i64::MAX)?;
        output(self.oa.reorder_department(&s, dept, order).map(Department::from))
    }

    /// Sets (or with `null` clears) the head (负责人) of a department.
    #[wasm_bindgen(js_name = setDepartmentHead)]
    pub fn set_department_head(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id | null")] head: JsValue,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        let dept = DeptId(id(&id_, "id")?);
        let head = opt_id(&head, "head")?.map(PersonId);
        output(self.oa.set_department_head(&s, dept, head).map(Department::from))
    }

    /// Disables a department (no active people or child departments may remain in it).
    #[wasm_bindgen(js_name = disableDepartment)]
    pub fn disable_department(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.disable_department(&s, DeptId(id(&id_, "id")?)).map(Department::from))
    }

    /// Enables a disabled department.
    #[wasm_bindgen(js_name = enableDepartment)]
    pub fn enable_department(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.enable_department(&s, DeptId(id(&id_, "id")?)).map(Department::from))
    }

    /// One department.
    #[wasm_bindgen(js_name = getDepartment)]
    pub fn get_department(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.get_department(&s, DeptId(id(&id_, "id")?)).map(Department::from))
    }

    /// Every department the caller may see, in tree order.
    #[wasm_bindgen(js_name = listDepartments, unchecked_return_type = "Department[]")]
    pub fn list_departments(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        output_list(self.oa.list_departments(&s).map(|v| v.into_iter().map(Department::from).collect()))
    }

    /// The department whose code is `code` (case-insensitive).
    #[wasm_bindgen(js_name = findDepartmentByCode)]
    pub fn find_department_by_code(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> Result<Ts<Department>, JsValue> {
        let s = session(&session_token)?;
        let code = text(&code, "code")?;
        output(self.oa.find_department_by_code(&s, &code).map(Department::from))
    }

    /// The direct children of a department.
    #[wasm_bindgen(js_name = departmentChildren, unchecked_return_type = "Department[]")]
    pub fn department_children(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let dept = DeptId(id(&id_, "id")?);
        output_list(self.oa.department_children(&s, dept).map(|v| v.into_iter().map(Department::from).collect()))
    }

    /// A department and every department below it, in tree order.
    #[wasm_bindgen(js_name = departmentSubtree, unchecked_return_type = "Department[]")]
    pub fn department_subtree(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let dept = DeptId(id(&id_, "id")?);
        output_list(self.oa.department_subtree(&s, dept).map(|v| v.into_iter().map(Department::from).collect()))
    }

    // ------------------------------------------------------------------------------------------
    // People

    /// Creates a person.
    #[wasm_bindgen(js_name = createPerson)]
    pub fn create_person(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewPerson>,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        let input: NewPerson = ts_input(&input, "input")?;
        output(self.oa.create_person(&s, input.into()).map(Person::from))
    }

    /// Changes a person's details.
    #[wasm_bindgen(js_name = updatePerson)]
    pub fn update_person(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
        patch: Ts<PersonPatch>,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&id_, "id")?);
        let patch: PersonPatch = ts_input(&patch, "patch")?;
        output(self.oa.update_person(&s, person, patch.into()).map(Person::from))
    }

    /// Moves a person to another department, optionally with a new position (left out: kept;
    /// `""`: cleared).
    #[wasm_bindgen(js_name = transferPerson)]
    pub fn transfer_person(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] dept: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] position: JsValue,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&id_, "id")?);
        let dept = DeptId(id(&dept, "dept")?);
        let position = opt_text(&position, "position")?;
        output(self.oa.transfer_person(&s, person, dept, position).map(Person::from))
    }

    /// Disables a person: they may not sign in; posts and head roles are kept.
    #[wasm_bindgen(js_name = disablePerson)]
    pub fn disable_person(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.disable_person(&s, PersonId(id(&id_, "id")?)).map(Person::from))
    }

    /// Enables a disabled person.
    #[wasm_bindgen(js_name = enablePerson)]
    pub fn enable_person(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.enable_person(&s, PersonId(id(&id_, "id")?)).map(Person::from))
    }

    /// Marks a person as having left (离职).
    #[wasm_bindgen(js_name = markPersonLeft)]
    pub fn mark_person_left(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.mark_person_left(&s, PersonId(id(&id_, "id")?)).map(Person::from))
    }

    /// Adds a part-time post (兼职) in another department.
    #[wasm_bindgen(js_name = addPost)]
    pub fn add_post(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
        post: Ts<Post>,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&id_, "id")?);
        let post: Post = ts_input(&post, "post")?;
        output(self.oa.add_post(&s, person, post.into()).map(Person::from))
    }

    /// Removes the part-time post a person holds in a department.
    #[wasm_bindgen(js_name = removePost)]
    pub fn remove_post(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] dept: JsValue,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&id_, "id")?);
        let dept = DeptId(id(&dept, "dept")?);
        output(self.oa.remove_post(&s, person, dept).map(Person::from))
    }

    /// One person.
    #[wasm_bindgen(js_name = getPerson)]
    pub fn get_person(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = id, unchecked_param_type = "Id")] id_: JsValue,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.get_person(&s, PersonId(id(&id_, "id")?)).map(Person::from))
    }

    /// The person who signs in as `login` (case-insensitive).
    #[wasm_bindgen(js_name = findPersonByLogin)]
    pub fn find_person_by_login(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] login: JsValue,
    ) -> Result<Ts<Person>, JsValue> {
        let s = session(&session_token)?;
        let login = text(&login, "login")?;
        output(self.oa.find_person_by_login(&s, &login).map(Person::from))
    }

    /// One page of people matching `query` (left out: everyone).
    #[wasm_bindgen(js_name = listPeople)]
    pub fn list_people(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PeopleQuery | null")] query: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<PersonPage>, JsValue> {
        let s = session(&session_token)?;
        let query: PeopleQuery = input_or_default(&query, "query")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.list_people(&s, query.into(), page.into()).map(PersonPage::from))
    }

    /// A person's chain of superiors, nearest first.
    #[wasm_bindgen(js_name = superiorsOf, unchecked_return_type = "Person[]")]
    pub fn superiors_of(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] person: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&person, "person")?);
        output_list(self.oa.superiors_of(&s, person).map(|v| v.into_iter().map(Person::from).collect()))
    }

    /// The head of the department `levels` above a person's main department (0: their own
    /// department's head); `null` when there is none.
    #[wasm_bindgen(js_name = headAbove, unchecked_return_type = "Person | null")]
    pub fn head_above(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] person: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] levels: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&person, "person")?);
        let levels = int(&levels, "levels", 0, i64::from(u32::MAX))? as u32;
        let head = done(self.oa.head_above(&s, person, levels))?;
        convert::to_value(&head.map(Person::from))
    }

    /// Imports departments and people from two CSV files, all or nothing; every bad row is
    /// reported at once (paths such as `people.csv:12.email`).
    #[wasm_bindgen(js_name = importOrgCsv)]
    pub fn import_org_csv(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = departmentsCsv, unchecked_param_type = "CsvInput")] departments_csv: JsValue,
        #[wasm_bindgen(js_name = peopleCsv, unchecked_param_type = "CsvInput")] people_csv: JsValue,
    ) -> Result<Ts<ImportReport>, JsValue> {
        let s = session(&session_token)?;
        let departments = bytes(&departments_csv, "departmentsCsv", true)?;
        let people = bytes(&people_csv, "peopleCsv", true)?;
        output(self.oa.import_org_csv(&s, &departments, &people).map(ImportReport::from))
    }

    // ------------------------------------------------------------------------------------------
    // Permissions

    /// Every permission of the catalogue.
    #[wasm_bindgen(js_name = listPermissions, unchecked_return_type = "PermissionInfo[]")]
    pub fn list_permissions(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        output_list(self.oa.list_permissions(&s).map(|v| v.into_iter().map(PermissionInfo::from).collect()))
    }

    /// Creates a role.
    #[wasm_bindgen(js_name = createRole)]
    pub fn create_role(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewRole>,
    ) -> Result<Ts<Role>, JsValue> {
        let s = session(&session_token)?;
        let input: NewRole = ts_input(&input, "input")?;
        output(self.oa.create_role(&s, input.into()).map(Role::from))
    }

    /// Changes a role.
    #[wasm_bindgen(js_name = updateRole)]
    pub fn update_role(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
        patch: Ts<RolePatch>,
    ) -> Result<Ts<Role>, JsValue> {
        let s = session(&session_token)?;
        let code = text(&code, "code")?;
        let patch: RolePatch = ts_input(&patch, "patch")?;
        output(self.oa.update_role(&s, &code, patch.into()).map(Role::from))
    }

    /// Deletes a role that is not built in and not granted.
    #[wasm_bindgen(js_name = deleteRole)]
    pub fn delete_role(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> Result<(), JsValue> {
        let s = session(&session_token)?;
        let code = text(&code, "code")?;
        done(self.oa.delete_role(&s, &code))
    }

    /// One role.
    #[wasm_bindgen(js_name = getRole)]
    pub fn get_role(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] code: JsValue,
    ) -> Result<Ts<Role>, JsValue> {
        let s = session(&session_token)?;
        let code = text(&code, "code")?;
        output(self.oa.get_role(&s, &code).map(Role::from))
    }

    /// Every role.
    #[wasm_bindgen(js_name = listRoles, unchecked_return_type = "Role[]")]
    pub fn list_roles(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        output_list(self.oa.list_roles(&s).map(|v| v.into_iter().map(Role::from).collect()))
    }

    /// Grants a role to a person, optionally only inside a department subtree.
    #[wasm_bindgen(js_name = grantRole)]
    pub fn grant_role(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewGrant>,
    ) -> Result<Ts<Grant>, JsValue> {
        let s = session(&session_token)?;
        let input: NewGrant = ts_input(&input, "input")?;
        output(self.oa.grant_role(&s, input.into()).map(Grant::from))
    }

    /// Revokes a grant.
    #[wasm_bindgen(js_name = revokeGrant)]
    pub fn revoke_grant(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = grantId, unchecked_param_type = "Id")] grant_id: JsValue,
    ) -> Result<(), JsValue> {
        let s = session(&session_token)?;
        let grant = GrantId(id(&grant_id, "grantId")?);
        done(self.oa.revoke_grant(&s, grant))
    }

    /// The grants of a person, or every grant when `person` is left out.
    #[wasm_bindgen(js_name = listGrants, unchecked_return_type = "Grant[]")]
    pub fn list_grants(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Id | null")] person: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let person = opt_id(&person, "person")?.map(PersonId);
        output_list(self.oa.list_grants(&s, person).map(|v| v.into_iter().map(Grant::from).collect()))
    }

    /// Whether the caller holds `permission` on a record of department `dept` owned by
    /// `owner` (in any scope when both are left out).
    #[wasm_bindgen(js_name = checkPermission)]
    pub fn check_permission(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] permission: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Id | null")] dept: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Id | null")] owner: JsValue,
    ) -> Result<bool, JsValue> {
        let s = session(&session_token)?;
        let permission = text(&permission, "permission")?;
        let dept = opt_id(&dept, "dept")?.map(DeptId);
        let owner = opt_id(&owner, "owner")?.map(PersonId);
        done(self.oa.check_permission(&s, &permission, dept, owner))
    }

    /// Whether `person` holds `permission` on a record of department `dept` owned by `owner`
    /// (in any scope when both are left out): an administrator's view of someone's rights.
    #[wasm_bindgen(js_name = checkPermissionOf)]
    pub fn check_permission_of(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] person: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] permission: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Id | null")] dept: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Id | null")] owner: JsValue,
    ) -> Result<bool, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&person, "person")?);
        let permission = text(&permission, "permission")?;
        let dept = opt_id(&dept, "dept")?.map(DeptId);
        let owner = opt_id(&owner, "owner")?.map(PersonId);
        done(self.oa.check_permission_of(&s, person, &permission, dept, owner))
    }

    /// The caller's reach for `permission`, as a filter for list queries.
    #[wasm_bindgen(js_name = permissionScope)]
    pub fn permission_scope(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] permission: JsValue,
    ) -> Result<Ts<ScopeFilter>, JsValue> {
        let s = session(&session_token)?;
        let permission = text(&permission, "permission")?;
        output(self.oa.permission_scope(&s, &permission).map(ScopeFilter::from))
    }

    /// Every permission a person holds now, in catalogue order.
    #[wasm_bindgen(js_name = effectivePermissions, unchecked_return_type = "string[]")]
    pub fn effective_permissions(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] person: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let person = PersonId(id(&person, "person")?);
        output_list(self.oa.effective_permissions(&s, person))
    }

    /// The caller's compiled permissions, to consult with lookups instead of a call per
    /// question (which menus and buttons to show). A snapshot: ask again after changes to
    /// roles, grants or the organisation.
    pub fn principal(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<Principal, JsValue> {
        let s = session(&session_token)?;
        Ok(Principal { inner: done(self.oa.principal(&s))? })
    }

    // ------------------------------------------------------------------------------------------
    // Parameters

    /// Every parameter with its current value.
    #[wasm_bindgen(js_name = listParams, unchecked_return_type = "ParamSetting[]")]
    pub fn list_params(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        output_list(self.oa.list_params(&s).map(|v| v.into_iter().map(ParamSetting::from).collect()))
    }

    /// One parameter with its current value.
    #[wasm_bindgen(js_name = getParam)]
    pub fn get_param(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<Ts<ParamSetting>, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        output(self.oa.get_param(&s, &key).map(ParamSetting::from))
    }

    /// Sets a parameter; a value of the wrong kind or out of range is a validation error on
    /// `value`.
    #[wasm_bindgen(js_name = setParam)]
    pub fn set_param(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ParamValue")] value: JsValue,
    ) -> Result<Ts<ParamSetting>, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        let value: ParamValue = input(&value, "value")?;
        output(self.oa.set_param(&s, &key, value.into()).map(ParamSetting::from))
    }

    /// Puts a parameter back to its default.
    #[wasm_bindgen(js_name = resetParam)]
    pub fn reset_param(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<Ts<ParamSetting>, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        output(self.oa.reset_param(&s, &key).map(ParamSetting::from))
    }

    // ------------------------------------------------------------------------------------------
    // Working calendar

    /// The working calendar's weekly pattern, hours and time zone.
    #[wasm_bindgen(js_name = getWorkCalendar)]
    pub fn get_work_calendar(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<Ts<WorkCalendarSettings>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.get_work_calendar(&s).map(WorkCalendarSettings::from))
    }

    /// Replaces the working calendar's weekly pattern, hours and time zone.
    #[wasm_bindgen(js_name = setWorkCalendar)]
    pub fn set_work_calendar(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        settings: Ts<WorkCalendarSettings>,
    ) -> Result<Ts<WorkCalendarSettings>, JsValue> {
        let s = session(&session_token)?;
        let settings: WorkCalendarSettings = ts_input(&settings, "settings")?;
        output(self.oa.set_work_calendar(&s, settings.into()).map(WorkCalendarSettings::from))
    }

    /// Replaces one year's public holidays and make-up working days (调休); two empty lists
    /// clear the year.
    #[wasm_bindgen(js_name = setHolidays)]
    pub fn set_holidays(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
        #[wasm_bindgen(unchecked_param_type = "IsoDate[]")] holidays: JsValue,
        #[wasm_bindgen(js_name = makeupDays, unchecked_param_type = "IsoDate[]")] makeup_days: JsValue,
    ) -> Result<Ts<HolidayYear>, JsValue> {
        let s = session(&session_token)?;
        let year = int(&year, "year", i64::from(i32::MIN), i64::from(i32::MAX))? as i32;
        let holidays = dates(&holidays, "holidays")?;
        let makeup_days = dates(&makeup_days, "makeupDays")?;
        output(self.oa.set_holidays(&s, year, holidays, makeup_days).map(HolidayYear::from))
    }

    /// One year's holidays and make-up days.
    #[wasm_bindgen(js_name = listHolidays)]
    pub fn list_holidays(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] year: JsValue,
    ) -> Result<Ts<HolidayYear>, JsValue> {
        let s = session(&session_token)?;
        let year = int(&year, "year", i64::from(i32::MIN), i64::from(i32::MAX))? as i32;
        output(self.oa.list_holidays(&s, year).map(HolidayYear::from))
    }

    /// The deadline `duration` of working time after `start`, by the office's calendar.
    #[wasm_bindgen(js_name = addWorkingTime, unchecked_return_type = "Instant")]
    pub fn add_working_time(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "InstantInput")] start: JsValue,
        duration: Ts<WorkDuration>,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let start = instant(&start, "start")?;
        let duration: WorkDuration = ts_input(&duration, "duration")?;
        let due = done(self.oa.add_working_time(&s, start, duration.into()))?;
        convert::to_value(&due)
    }

    /// Today's date in the office's time zone (`YYYY-MM-DD`), by its clock: the day a
    /// delegation's `firstDay` and `lastDay` count from, which may not be today in UTC or on
    /// the device. Any signed-in person may ask.
    #[wasm_bindgen(js_name = today, unchecked_return_type = "IsoDate")]
    pub fn today(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let day = done(self.oa.today(&s))?;
        Ok(JsValue::from_str(&day.format("%Y-%m-%d").to_string()))
    }

    // ------------------------------------------------------------------------------------------
    // Numbering

    /// Creates a numbering rule.
    #[wasm_bindgen(js_name = createNumberingRule)]
    pub fn create_numbering_rule(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewNumberingRule>,
    ) -> Result<Ts<NumberingRule>, JsValue> {
        let s = session(&session_token)?;
        let input: NewNumberingRule = ts_input(&input, "input")?;
        output(self.oa.create_numbering_rule(&s, input.into()).map(NumberingRule::from))
    }

    /// Changes a numbering rule; its counters are kept.
    #[wasm_bindgen(js_name = updateNumberingRule)]
    pub fn update_numbering_rule(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        patch: Ts<NumberingRulePatch>,
    ) -> Result<Ts<NumberingRule>, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        let patch: NumberingRulePatch = ts_input(&patch, "patch")?;
        output(self.oa.update_numbering_rule(&s, &key, patch.into()).map(NumberingRule::from))
    }

    /// Every numbering rule, in key order.
    #[wasm_bindgen(js_name = listNumberingRules, unchecked_return_type = "NumberingRule[]")]
    pub fn list_numbering_rules(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        output_list(self.oa.list_numbering_rules(&s).map(|v| v.into_iter().map(NumberingRule::from).collect()))
    }

    /// One numbering rule.
    #[wasm_bindgen(js_name = getNumberingRule)]
    pub fn get_numbering_rule(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<Ts<NumberingRule>, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        output(self.oa.get_numbering_rule(&s, &key).map(NumberingRule::from))
    }

    /// The number a rule would issue next, without issuing it.
    #[wasm_bindgen(js_name = previewNextNumber)]
    pub fn preview_next_number(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = ruleKey, unchecked_param_type = "string")] rule_key: JsValue,
    ) -> Result<String, JsValue> {
        let s = session(&session_token)?;
        let rule_key = text(&rule_key, "ruleKey")?;
        done(self.oa.preview_next_number(&s, &rule_key))
    }

    /// Issues the next number of a rule to `owner` (a business key or a free text).
    #[wasm_bindgen(js_name = issueNumber)]
    pub fn issue_number(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = ruleKey, unchecked_param_type = "string")] rule_key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] owner: JsValue,
    ) -> Result<String, JsValue> {
        let s = session(&session_token)?;
        let rule_key = text(&rule_key, "ruleKey")?;
        let owner = text(&owner, "owner")?;
        done(self.oa.issue_number(&s, &rule_key, owner))
    }

    /// A number that was issued, and to what.
    #[wasm_bindgen(js_name = getIssuedNumber)]
    pub fn get_issued_number(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = ruleKey, unchecked_param_type = "string")] rule_key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] number: JsValue,
    ) -> Result<Ts<IssuedNumber>, JsValue> {
        let s = session(&session_token)?;
        let rule_key = text(&rule_key, "ruleKey")?;
        let number = text(&number, "number")?;
        output(self.oa.get_issued_number(&s, &rule_key, &number).map(IssuedNumber::from))
    }

    // ------------------------------------------------------------------------------------------
    // Forms and attachments

    /// Defines a form: version 1 of a new key, or its next version when the definition
    /// differs from the latest (otherwise the latest version comes back unchanged).
    #[wasm_bindgen(js_name = defineForm)]
    pub fn define_form(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewForm>,
    ) -> Result<Ts<Form>, JsValue> {
        let s = session(&session_token)?;
        let input: NewForm = ts_input(&input, "input")?;
        output(self.oa.define_form(&s, input.into()).map(Form::from))
    }

    /// A form at `version`, or at its latest version when `version` is left out.
    #[wasm_bindgen(js_name = getForm)]
    pub fn get_form(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] version: JsValue,
    ) -> Result<Ts<Form>, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        let version = opt_int(&version, "version", 0, i64::from(u32::MAX))?.map(|v| v as u32);
        output(self.oa.get_form(&s, &key, version).map(Form::from))
    }

    /// One page of forms, each at its latest version, by key.
    #[wasm_bindgen(js_name = listForms)]
    pub fn list_forms(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<FormPage>, JsValue> {
        let s = session(&session_token)?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.list_forms(&s, page.into()).map(FormPage::from))
    }

    /// Every version of a form, oldest first.
    #[wasm_bindgen(js_name = formVersions, unchecked_return_type = "FormVersion[]")]
    pub fn form_versions(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        output_list(self.oa.form_versions(&s, &key).map(|v| v.into_iter().map(FormVersion::from).collect()))
    }

    /// Checks `data` against a form at `version` (`null`: the latest) and returns it
    /// normalised, as it would be stored; every failing field is reported (`items[2].amount`).
    /// Writes nothing.
    #[wasm_bindgen(js_name = validateFormData, unchecked_return_type = "FormData")]
    pub fn validate_form_data(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number | null")] version: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FormData")] data: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        let version = opt_int(&version, "version", 0, i64::from(u32::MAX))?.map(|v| v as u32);
        let data = json(&data, "data")?;
        let normalised = convert::done_data(self.oa.validate_form_data(&s, &key, version, data))?;
        convert::to_value(&normalised)
    }

    /// Uploads a file to attach to form data (at most 20 MiB, of an allowed type matching its
    /// name and content). The same content uploaded again is stored once.
    #[wasm_bindgen(js_name = uploadAttachment)]
    pub fn upload_attachment(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = fileName, unchecked_param_type = "string")] file_name: JsValue,
        #[wasm_bindgen(js_name = contentType, unchecked_param_type = "string")] content_type: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] content: JsValue,
    ) -> Result<Ts<AttachmentInfo>, JsValue> {
        let s = session(&session_token)?;
        let file_name = text(&file_name, "fileName")?;
        let content_type = text(&content_type, "contentType")?;
        let content = bytes(&content, "bytes", false)?;
        output(self.oa.upload_attachment(&s, &file_name, &content_type, &content).map(AttachmentInfo::from))
    }

    /// An attachment's description and bytes, by its hash.
    #[wasm_bindgen(js_name = getAttachment, unchecked_return_type = "Attachment")]
    pub fn get_attachment(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] hash: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let hash = text(&hash, "hash")?;
        let (info, content) = done(self.oa.get_attachment(&s, &hash))?;
        let out = js_sys::Object::new();
        let info = convert::to_value(&AttachmentInfo::from(info))?;
        let content: JsValue = Uint8Array::from(content.as_slice()).into();
        for (key, value) in [("info", info), ("bytes", content)] {
            js_sys::Reflect::set(&out, &JsValue::from_str(key), &value)?;
        }
        Ok(out.into())
    }

    /// An attachment's description without its bytes.
    #[wasm_bindgen(js_name = attachmentInfo)]
    pub fn attachment_info(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] hash: JsValue,
    ) -> Result<Ts<AttachmentInfo>, JsValue> {
        let s = session(&session_token)?;
        let hash = text(&hash, "hash")?;
        output(self.oa.attachment_info(&s, &hash).map(AttachmentInfo::from))
    }

    // ------------------------------------------------------------------------------------------
    // Workflow: process definitions

    /// Publishes a process (流程定义): version 1 of a new key, or its next version. The graph is
    /// checked whole; every problem is reported with its path (`definition.nodes[head].approvers`).
    #[wasm_bindgen(js_name = publishProcess)]
    pub fn publish_process(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewProcess>,
    ) -> Result<Ts<ProcessDefinition>, JsValue> {
        let s = session(&session_token)?;
        let input: NewProcess = ts_input(&input, "input")?;
        output_wf(self.oa.publish_process(&s, input.into_core()?).map(ProcessDefinition::from))
    }

    /// Publishes a process written as a DingTalk-style nested node tree (`{ key, name, formKey,
    /// process: { nodeId, type, childNode, … } }`), given as JSON text or as an object.
    #[wasm_bindgen(js_name = publishProcessJson)]
    pub fn publish_process_json(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | JsonValue")] json: JsValue,
    ) -> Result<Ts<ProcessDefinition>, JsValue> {
        let s = session(&session_token)?;
        let json = json_text(&json, "json")?;
        output_wf(self.oa.publish_process_json(&s, &json).map(ProcessDefinition::from))
    }

    /// Imports a process from BPMN 2.0 XML and publishes it over form `formKey` at `formVersion`
    /// (left out: its latest version).
    #[wasm_bindgen(js_name = importBpmn)]
    pub fn import_bpmn(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] xml: JsValue,
        #[wasm_bindgen(js_name = formKey, unchecked_param_type = "string")] form_key: JsValue,
        #[wasm_bindgen(js_name = formVersion, unchecked_optional_param_type = "number | null")] form_version: JsValue,
    ) -> Result<Ts<ProcessDefinition>, JsValue> {
        let s = session(&session_token)?;
        let xml = text(&xml, "xml")?;
        let form_key = text(&form_key, "formKey")?;
        let form_version = opt_int(&form_version, "formVersion", 0, i64::from(u32::MAX))?.map(|v| v as u32);
        output_wf(self.oa.import_bpmn(&s, &xml, &form_key, form_version).map(ProcessDefinition::from))
    }

    /// A process at `version`, or at its latest version when `version` is left out.
    #[wasm_bindgen(js_name = getProcess)]
    pub fn get_process(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] version: JsValue,
    ) -> Result<Ts<ProcessDefinition>, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        let version = opt_int(&version, "version", 0, i64::from(u32::MAX))?.map(|v| v as u32);
        output_wf(self.oa.get_process(&s, &key, version).map(ProcessDefinition::from))
    }

    /// Every process at its latest version, by key.
    #[wasm_bindgen(js_name = listProcesses, unchecked_return_type = "ProcessDefinition[]")]
    pub fn list_processes(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        output_list(self.oa.list_processes(&s).map(|v| v.into_iter().map(ProcessDefinition::from).collect()))
    }

    /// Every version of a process, oldest first.
    #[wasm_bindgen(js_name = processVersions, unchecked_return_type = "ProcessVersion[]")]
    pub fn process_versions(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        output_list(self.oa.process_versions(&s, &key).map(|v| v.into_iter().map(ProcessVersion::from).collect()))
    }

    /// Checks a process as `publishProcess` would, without publishing it: every problem, each
    /// with its path; empty when it would publish.
    #[wasm_bindgen(js_name = validateProcess, unchecked_return_type = "FieldProblem[]")]
    pub fn validate_process(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewProcess>,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let input: NewProcess = ts_input(&input, "input")?;
        let problems = done_wf(self.oa.validate_process(&s, input.into_core()?))?;
        convert::to_value(&problems.into_iter().map(FieldProblem::from).collect::<Vec<_>>())
    }

    // ------------------------------------------------------------------------------------------
    // Workflow: instances and tasks

    /// Starts an instance of a process (发起); the data is checked against the form, every
    /// failing field named under `data` (`data.days`).
    #[wasm_bindgen(js_name = startProcess)]
    pub fn start_process(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<StartProcess>,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let input: StartProcess = ts_input(&input, "input")?;
        output_wf(self.oa.start_process(&s, input.into()).map(Instance::from))
    }

    /// Saves a draft (草稿): a new one when `id` is `null`, or the caller's draft `id` again.
    #[wasm_bindgen(js_name = saveDraft)]
    pub fn save_draft(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id | null")] id: JsValue,
        input: Ts<StartProcess>,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let draft = opt_id(&id, "id")?.map(InstanceId);
        let input: StartProcess = ts_input(&input, "input")?;
        output_wf(self.oa.save_draft(&s, draft, input.into()).map(Instance::from))
    }

    /// Submits the caller's draft `id`, as `startProcess` would.
    #[wasm_bindgen(js_name = submitDraft)]
    pub fn submit_draft(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let draft = InstanceId(convert::id(&id, "id")?);
        output_wf(self.oa.submit_draft(&s, draft).map(Instance::from))
    }

    /// Deletes the caller's draft `id`.
    #[wasm_bindgen(js_name = deleteDraft)]
    pub fn delete_draft(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue,
    ) -> Result<(), JsValue> {
        let s = session(&session_token)?;
        let draft = InstanceId(convert::id(&id, "id")?);
        done(self.oa.delete_draft(&s, draft))
    }

    /// Approves task `task` (同意), with an edit of the fields its node lets approvers change
    /// (`formEdits`, left out: none). Only its assignee.
    pub fn approve(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] comment: JsValue,
        #[wasm_bindgen(js_name = formEdits, unchecked_optional_param_type = "FormData | null")] form_edits: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        let comment = text(&comment, "comment")?;
        let edits = if form_edits.is_undefined() || form_edits.is_null() {
            None
        } else {
            Some(json(&form_edits, "formEdits")?)
        };
        output_wf(self.oa.approve(&s, task, &comment, edits).map(Instance::from))
    }

    /// Rejects task `task` (驳回): the instance ends rejected. Only its assignee.
    pub fn reject(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] comment: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        let comment = text(&comment, "comment")?;
        output_wf(self.oa.reject(&s, task, &comment).map(Instance::from))
    }

    /// Returns the instance of task `task` (退回) to an earlier node or to its initiator, as the
    /// node's return policy allows. Only its assignee.
    #[wasm_bindgen(js_name = returnTask)]
    pub fn return_task(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
        to: Ts<ReturnTarget>,
        #[wasm_bindgen(unchecked_param_type = "string")] comment: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        let to: ReturnTarget = ts_input(&to, "to")?;
        let comment = text(&comment, "comment")?;
        output_wf(self.oa.return_task(&s, task, to.into(), &comment).map(Instance::from))
    }

    /// Resubmits an instance returned to its initiator (重新提交) with new data. Only its
    /// initiator.
    pub fn resubmit(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] instance: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FormData")] data: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let instance = InstanceId(convert::id(&instance, "instance")?);
        let data = json(&data, "data")?;
        output_wf(self.oa.resubmit(&s, instance, data).map(Instance::from))
    }

    /// Withdraws (撤回): the initiator, while nobody has acted; the last approver, their
    /// approval, while nobody has acted after them.
    pub fn withdraw(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] instance: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let instance = InstanceId(convert::id(&instance, "instance")?);
        output_wf(self.oa.withdraw(&s, instance).map(Instance::from))
    }

    /// Hands task `task` to person `to` (转交) and returns the new task. Only its assignee.
    pub fn transfer(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] to: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] comment: JsValue,
    ) -> Result<Ts<Task>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        let to = PersonId(convert::id(&to, "to")?);
        let comment = text(&comment, "comment")?;
        output_wf(self.oa.transfer(&s, task, to, &comment).map(Task::from))
    }

    /// Adds a signer (加签) to task `task`: `before` its assignee, `after`, or `alongside`.
    /// Only its assignee. Returns the signer's task.
    #[wasm_bindgen(js_name = addSigner)]
    pub fn add_signer(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] person: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SignerPosition")] position: JsValue,
    ) -> Result<Ts<Task>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        let person = PersonId(convert::id(&person, "person")?);
        let position: SignerPosition = input(&position, "position")?;
        output_wf(self.oa.add_signer(&s, task, person, position.into()).map(Task::from))
    }

    /// Removes a signer (减签): cancels pending task `task` of a signer the caller added.
    #[wasm_bindgen(js_name = removeSigner)]
    pub fn remove_signer(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        output_wf(self.oa.remove_signer(&s, task).map(Instance::from))
    }

    /// Adds a comment (评论) to an instance: its participants, or holders of
    /// `workflow.instance.read` over its initiator.
    pub fn comment(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] instance: JsValue,
        #[wasm_bindgen(js_name = text, unchecked_param_type = "string")] comment_text: JsValue,
    ) -> Result<(), JsValue> {
        let s = session(&session_token)?;
        let instance = InstanceId(convert::id(&instance, "instance")?);
        let comment_text = text(&comment_text, "text")?;
        done_wf(self.oa.comment(&s, instance, &comment_text))
    }

    /// Urges the pending approvers of an instance (催办); only its initiator. Returns how many
    /// tasks were urged.
    pub fn urge(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] instance: JsValue,
    ) -> Result<u32, JsValue> {
        let s = session(&session_token)?;
        let instance = InstanceId(convert::id(&instance, "instance")?);
        done_wf(self.oa.urge(&s, instance))
    }

    /// Marks a copy read (已阅). Only its recipient.
    #[wasm_bindgen(js_name = markCcRead)]
    pub fn mark_cc_read(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
    ) -> Result<Ts<Task>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        output_wf(self.oa.mark_cc_read(&s, task).map(Task::from))
    }

    /// Terminates a running instance (终止). Needs `workflow.instance.admin` over its initiator.
    pub fn terminate(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] instance: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] reason: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let instance = InstanceId(convert::id(&instance, "instance")?);
        let reason = text(&reason, "reason")?;
        output_wf(self.oa.terminate(&s, instance, &reason).map(Instance::from))
    }

    /// Moves a running instance to node `node` (跳转). Needs `workflow.instance.admin` over its
    /// initiator.
    pub fn jump(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] instance: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] node: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let instance = InstanceId(convert::id(&instance, "instance")?);
        let node = text(&node, "node")?;
        output_wf(self.oa.jump(&s, instance, &node).map(Instance::from))
    }

    /// Handles the deadlines due up to `upTo`: reminders, escalations, automatic approvals and
    /// rejections. Running it again does nothing twice. Needs `workflow.instance.admin`.
    #[wasm_bindgen(js_name = processDue)]
    pub fn process_due(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(js_name = upTo, unchecked_param_type = "InstantInput")] up_to: JsValue,
    ) -> Result<Ts<DueReport>, JsValue> {
        let s = session(&session_token)?;
        let up_to = instant(&up_to, "upTo")?;
        output_wf(self.oa.process_due(&s, up_to).map(DueReport::from))
    }

    /// The caller's pending tasks (待办), newest first.
    pub fn todo(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskQuery | null")] query: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<TaskPage>, JsValue> {
        let s = session(&session_token)?;
        let query: TaskQuery = input_or_default(&query, "query")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.todo(&s, query.into(), page.into()).map(TaskPage::from))
    }

    /// The tasks the caller acted on (已办), most recent first.
    pub fn done(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskQuery | null")] query: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<TaskPage>, JsValue> {
        let s = session(&session_token)?;
        let query: TaskQuery = input_or_default(&query, "query")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.done(&s, query.into(), page.into()).map(TaskPage::from))
    }

    /// The copies sent to the caller (抄送我的), newest first; only unread ones when
    /// `unreadOnly`.
    #[wasm_bindgen(js_name = ccToMe)]
    pub fn cc_to_me(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskQuery | null")] query: JsValue,
        #[wasm_bindgen(js_name = unreadOnly, unchecked_optional_param_type = "boolean | null")] unread_only: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<TaskPage>, JsValue> {
        let s = session(&session_token)?;
        let query: TaskQuery = input_or_default(&query, "query")?;
        let unread_only = opt_bool(&unread_only, "unreadOnly")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.cc_to_me(&s, query.into(), unread_only, page.into()).map(TaskPage::from))
    }

    /// The instances the caller started (我发起的), drafts included, newest first.
    #[wasm_bindgen(js_name = startedByMe)]
    pub fn started_by_me(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskQuery | null")] query: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<InstancePage>, JsValue> {
        let s = session(&session_token)?;
        let query: TaskQuery = input_or_default(&query, "query")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.started_by_me(&s, query.into(), page.into()).map(InstancePage::from))
    }

    /// The caller's badge counts: pending tasks and unread copies.
    #[wasm_bindgen(js_name = badgeCounts)]
    pub fn badge_counts(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<Ts<BadgeCounts>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.badge_counts(&s).map(BadgeCounts::from))
    }

    /// An instance with its tasks and history (时间线), as the caller may see it.
    pub fn instance(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue,
    ) -> Result<Ts<InstanceDetail>, JsValue> {
        let s = session(&session_token)?;
        let id = InstanceId(convert::id(&id, "id")?);
        output_wf(self.oa.instance(&s, id).map(InstanceDetail::from))
    }

    /// The instances linked to business key `key` (`contract:01J…`), oldest first.
    #[wasm_bindgen(js_name = instancesOf, unchecked_return_type = "Instance[]")]
    pub fn instances_of(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let key = text(&key, "key")?;
        let list = done_wf(self.oa.instances_of(&s, &key))?;
        convert::to_value(&list.into_iter().map(Instance::from).collect::<Vec<_>>())
    }

    /// The running instances waiting at node `node` of process `process` (流程监控), by id.
    #[wasm_bindgen(js_name = instancesAtNode)]
    pub fn instances_at_node(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] process: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] node: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<InstancePage>, JsValue> {
        let s = session(&session_token)?;
        let process = text(&process, "process")?;
        let node = text(&node, "node")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.instances_at_node(&s, &process, &node, page.into()).map(InstancePage::from))
    }

    // ------------------------------------------------------------------------------------------
    // Audit

    /// One page of audit records matching `query` (left out: all), newest first.
    #[wasm_bindgen(js_name = listAudit)]
    pub fn list_audit(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "AuditQuery | null")] query: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<AuditPage>, JsValue> {
        let s = session(&session_token)?;
        let query: AuditQuery = input_or_default(&query, "query")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.list_audit(&s, query.into(), page.into()).map(AuditPage::from))
    }

    /// The audit record numbered `seq`.
    #[wasm_bindgen(js_name = getAuditRecord)]
    pub fn get_audit_record(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seq: JsValue,
    ) -> Result<Ts<AuditRecord>, JsValue> {
        let s = session(&session_token)?;
        let seq = int(&seq, "seq", 0, i64::MAX)? as u64;
        output(self.oa.get_audit_record(&s, seq).map(AuditRecord::from))
    }

    /// Walks the whole audit hash chain and names the first record that does not match.
    #[wasm_bindgen(js_name = verifyAuditChain)]
    pub fn verify_audit_chain(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<Ts<ChainReport>, JsValue> {
        let s = session(&session_token)?;
        output(self.oa.verify_audit_chain(&s).map(ChainReport::from))
    }
}

/// The signed-in person's compiled permissions, from `office.principal(session)`: every
/// question is a lookup, without a call into the office, so a UI can decide which menus and
/// buttons to show. A snapshot: it does not follow later changes to roles, grants or the
/// organisation (ask the office again after them), and the operations still check for
/// themselves.
#[wasm_bindgen]
pub struct Principal {
    inner: Arc<oa::Principal>,
}

#[wasm_bindgen]
impl Principal {
    /// The id of the person whose permissions these are.
    #[wasm_bindgen(getter, unchecked_return_type = "Id")]
    pub fn person(&self) -> JsValue {
        JsValue::from_str(&self.inner.person.to_string())
    }

    /// Whether the person holds `permission` in any scope (a name not in the catalogue is not
    /// held).
    pub fn allows(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] permission: JsValue,
    ) -> Result<bool, JsValue> {
        Ok(self.inner.allows(&text(&permission, "permission")?))
    }

    /// Whether the person holds `permission` on a record of department `dept` owned by
    /// `owner`. A record with neither is reached only by an unrestricted scope: `allows` asks
    /// "in any scope".
    #[wasm_bindgen(js_name = allowsOn)]
    pub fn allows_on(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] permission: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Id | null")] dept: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Id | null")] owner: JsValue,
    ) -> Result<bool, JsValue> {
        let permission = text(&permission, "permission")?;
        let dept = opt_id(&dept, "dept")?.map(DeptId);
        let owner = opt_id(&owner, "owner")?.map(PersonId);
        Ok(self.inner.allows_on(&permission, dept, owner))
    }

    /// Every permission the person holds, in catalogue order.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn permissions(&self) -> Result<JsValue, JsValue> {
        convert::to_value(&self.inner.permissions())
    }

    /// The person's reach for `permission`, as a filter for list queries (empty when not held).
    pub fn scope(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] permission: JsValue,
    ) -> Result<Ts<ScopeFilter>, JsValue> {
        let permission = text(&permission, "permission")?;
        output(Ok(ScopeFilter::from(self.inner.scope(&permission))))
    }
}
