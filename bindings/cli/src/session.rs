//! Opening the office in the data folder and signing in for one command; turning the names
//! people type (logins, department codes) into the core's ids.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::path::Path;

use oa::org::{Department, Person};
use oa::{DeptId, Oa, OaError, PersonId, Session};

use crate::credentials::{Ask, Credentials, ENV_PASSWORD};
use crate::failure::{CliResult, Failure};

/// Opens the office kept in `data` (the core's `open`).
///
/// A folder that does not exist is refused here rather than created empty by the store.
pub(crate) fn open_office(data: &Path) -> CliResult<Oa> {
    if !data.exists() {
        return Err(Failure::Oa(OaError::IncompatibleStore(format!(
            "no office at `{}`: the folder does not exist; create one with `oa init` or name another with --data",
            data.display()
        ))));
    }
    Ok(oa::open_folder(data)?)
}

/// An office with a signed-in session; signs out and closes the office when dropped (the core's
/// `sign_out` and `close`).
pub(crate) struct Signed {
    /// The office.
    pub(crate) office: Oa,
    /// The session of this command.
    pub(crate) session: Session,
    depts: OnceCell<Option<Vec<Department>>>,
    logins: RefCell<HashMap<PersonId, String>>,
    permissions: OnceCell<Vec<String>>,
    password: String,
}

impl Drop for Signed {
    fn drop(&mut self) {
        // The session would expire anyway; ending it now keeps the session list short.
        let _ = self.office.sign_out(&self.session);
        self.office.close();
    }
}

impl Signed {
    /// Opens the office in `data` and signs in with the login and password `credentials` find.
    pub(crate) fn sign_in(data: &Path, login: Option<&str>, credentials: &mut Credentials) -> CliResult<Signed> {
        let office = open_office(data)?;
        let login = credentials.login(login)?;
        let prompt = format!("password for {login}: ");
        let password = credentials.password(Ask { env: ENV_PASSWORD, prompt: &prompt, confirm: false })?;
        let session = office.sign_in(&login, &password)?;
        Ok(Signed {
            office,
            session,
            depts: OnceCell::new(),
            logins: RefCell::new(HashMap::new()),
            permissions: OnceCell::new(),
            password,
        })
    }

    /// The password this session was signed in with (`oa passwd` proves it again).
    pub(crate) fn password(&self) -> &str {
        &self.password
    }

    /// Whether the actor holds `permission` in some scope. Used only to skip look-ups for
    /// labels that the core would refuse (and audit as denied); never to decide an operation.
    fn holds(&self, permission: &str) -> bool {
        self.permissions
            .get_or_init(|| self.office.whoami(&self.session).map(|me| me.permissions).unwrap_or_default())
            .iter()
            .any(|p| p == permission)
    }

    /// The person named by `text`: a login, or a person id.
    pub(crate) fn person(&self, text: &str) -> CliResult<Person> {
        let t = text.trim();
        let person = match t.parse::<PersonId>() {
            Ok(id) => self.office.get_person(&self.session, id)?,
            Err(_) => self.office.find_person_by_login(&self.session, t)?,
        };
        self.logins.borrow_mut().insert(person.id, person.login.clone());
        Ok(person)
    }

    /// The id of the person named by `text`: a person id as it is (so that an actor who may
    /// not read people can still name them), or a login looked up.
    pub(crate) fn person_id(&self, text: &str) -> CliResult<PersonId> {
        match text.trim().parse::<PersonId>() {
            Ok(id) => Ok(id),
            Err(_) => Ok(self.person(text)?.id),
        }
    }

    /// Every department the actor may see, read once per command; `None` without the right.
    fn departments(&self) -> Option<&[Department]> {
        self.depts
            .get_or_init(|| {
                if self.holds("org.dept.read") {
                    self.office.list_departments(&self.session).ok()
                } else {
                    None
                }
            })
            .as_deref()
    }

    /// The department named by `text`: its id, its code, or its name when no other department
    /// the actor sees has that name.
    pub(crate) fn dept_id(&self, text: &str) -> CliResult<DeptId> {
        let t = text.trim();
        if let Ok(id) = t.parse::<DeptId>() {
            return Ok(id);
        }
        match self.office.find_department_by_code(&self.session, t) {
            Ok(d) => return Ok(d.id),
            Err(OaError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let depts = match self.departments() {
            Some(d) => d,
            // Without the right to list departments, the core's own error says so.
            None => {
                self.office.list_departments(&self.session)?;
                &[]
            }
        };
        if let Some(d) = depts.iter().find(|d| d.code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(t))) {
            return Ok(d.id);
        }
        let named: Vec<&Department> = depts.iter().filter(|d| d.name == t).collect();
        match named.as_slice() {
            [one] => Ok(one.id),
            [] => Err(Failure::Oa(OaError::not_found("department", t))),
            many => Err(Failure::Usage(format!(
                "{} departments are named `{t}`; name one by id: {}",
                many.len(),
                many.iter().map(|d| d.id.to_string()).collect::<Vec<_>>().join(", ")
            ))),
        }
    }

    /// A department as people read it: its name, or its id when it cannot be seen.
    pub(crate) fn dept_label(&self, id: DeptId) -> String {
        self.departments()
            .and_then(|all| all.iter().find(|d| d.id == id))
            .map(|d| d.name.clone())
            .unwrap_or_else(|| id.to_string())
    }

    /// A person as people read them: their login, or their id when they cannot be seen.
    pub(crate) fn login_label(&self, id: PersonId) -> String {
        if let Some(login) = self.logins.borrow().get(&id) {
            return login.clone();
        }
        let label = match self.holds("org.person.read").then(|| self.office.get_person(&self.session, id)) {
            Some(Ok(p)) => p.login,
            _ => id.to_string(),
        };
        self.logins.borrow_mut().insert(id, label.clone());
        label
    }
}
