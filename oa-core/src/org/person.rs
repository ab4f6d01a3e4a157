//! People (人员): creating, changing, transferring, disabling, leaving, part-time posts.
//!
//! The `*_tx` functions hold the rules and the writes over a transaction; the operations on
//! [`Oa`] add authentication, authorisation, the permission-version bump and the audit record.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use oa_storage::{ReadTxn, WriteTxn};

use super::model::{Department, DeptId, DeptStatus, NewPerson, Person, PersonId, PersonPatch, PersonStatus, Post};
use super::store;
use super::validate;
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::error::Problems;
use crate::{auth, perm, OaError, OaResult};

/// Checks that `dept` can take people: it exists and is active. Reports at `path`.
fn check_dept(tx: &mut dyn ReadTxn, dept: DeptId, path: &str, problems: &mut Problems) -> OaResult<Option<Department>> {
    match store::load_department(tx, dept)? {
        None => {
            problems.add(path, format!("department `{dept}` does not exist"));
            Ok(None)
        }
        Some(d) if d.status != DeptStatus::Active => {
            problems.add(path, format!("department `{}` is disabled", d.name));
            Ok(None)
        }
        Some(d) => Ok(Some(d)),
    }
}

/// Checks that `superior` can be the superior of `person`: they exist, have not left, are not
/// the person, and the person does not appear in their own chain of superiors.
pub(crate) fn check_superior(
    tx: &mut dyn ReadTxn,
    person: PersonId,
    superior: PersonId,
    problems: &mut Problems,
) -> OaResult<()> {
    if superior == person {
        problems.add("superior", "a person cannot be their own superior");
        return Ok(());
    }
    let sup = match store::load_person(tx, superior)? {
        None => {
            problems.add("superior", format!("person `{superior}` does not exist"));
            return Ok(());
        }
        Some(s) => s,
    };
    if sup.status == PersonStatus::Left {
        problems.add("superior", format!("`{}` has left", sup.login));
        return Ok(());
    }
    // Walk up from the new superior: meeting the person means a cycle.
    let mut seen = HashSet::from([superior]);
    let mut at = sup.superior;
    while let Some(next) = at {
        if next == person {
            problems.add(
                "superior",
                format!(
                    "`{}` reports (directly or not) to this person; that would make a cycle of superiors",
                    sup.login
                ),
            );
            return Ok(());
        }
        if !seen.insert(next) {
            break;
        }
        at = store::load_person(tx, next)?.and_then(|p| p.superior);
    }
    Ok(())
}

fn check_login_free(tx: &mut dyn ReadTxn, login: &str, own: Option<PersonId>, problems: &mut Problems) -> OaResult<()> {
    match store::find_person_id_by_login(tx, login)? {
        Some(other) if Some(other) != own => problems.add("login", format!("the login `{login}` is already taken")),
        _ => {}
    }
    Ok(())
}

/// Creates person `id` from `input` after checking every rule. The initial password is not
/// handled here (see [`Oa::create_person`]).
pub(crate) fn create_person_tx(
    tx: &mut dyn WriteTxn,
    id: PersonId,
    now: DateTime<Utc>,
    input: &NewPerson,
) -> OaResult<Person> {
    let mut problems = Problems::new();
    let login = validate::login(&input.login).map_err(|r| problems.add("login", r)).ok();
    if let Some(login) = &login {
        check_login_free(tx.as_read(), login, None, &mut problems)?;
    }
    let name = validate::name(&input.name).map_err(|r| problems.add("name", r)).ok();
    let email = validate::optional(input.email.as_deref(), validate::email)
        .map_err(|r| problems.add("email", r))
        .ok()
        .flatten();
    let phone = validate::optional(input.phone.as_deref(), validate::phone)
        .map_err(|r| problems.add("phone", r))
        .ok()
        .flatten();
    let position = validate::position(input.position.as_deref().unwrap_or(""))
        .map_err(|r| problems.add("position", r))
        .ok()
        .flatten();
    check_dept(tx.as_read(), input.dept, "dept", &mut problems)?;
    if let Some(sup) = input.superior {
        check_superior(tx.as_read(), id, sup, &mut problems)?;
    }
    problems.finish()?;
    let person = Person {
        id,
        login: login.unwrap_or_default(),
        name: name.unwrap_or_default(),
        email,
        phone,
        dept: input.dept,
        position,
        superior: input.superior,
        posts: Vec::new(),
        status: PersonStatus::Active,
        created_at: now,
        updated_at: now,
    };
    store::insert_person(tx, &person)?;
    Ok(person)
}

/// Applies `patch` to person `id`.
pub(crate) fn update_person_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: PersonId,
    patch: &PersonPatch,
) -> OaResult<Person> {
    let old = store::person(tx.as_read(), id)?;
    let mut new = old.clone();
    let mut problems = Problems::new();
    if let Some(raw) = &patch.login {
        match validate::login(raw) {
            Ok(login) => {
                check_login_free(tx.as_read(), &login, Some(id), &mut problems)?;
                new.login = login;
            }
            Err(r) => problems.add("login", r),
        }
    }
    if let Some(raw) = &patch.name {
        match validate::name(raw) {
            Ok(name) => new.name = name,
            Err(r) => problems.add("name", r),
        }
    }
    if let Some(raw) = &patch.email {
        match validate::optional(Some(raw), validate::email) {
            Ok(v) => new.email = v,
            Err(r) => problems.add("email", r),
        }
    }
    if let Some(raw) = &patch.phone {
        match validate::optional(Some(raw), validate::phone) {
            Ok(v) => new.phone = v,
            Err(r) => problems.add("phone", r),
        }
    }
    if let Some(raw) = &patch.position {
        match validate::position(raw) {
            Ok(v) => new.position = v,
            Err(r) => problems.add("position", r),
        }
    }
    if patch.clear_superior {
        new.superior = None;
    } else if let Some(sup) = patch.superior {
        if Some(sup) != old.superior {
            check_superior(tx.as_read(), id, sup, &mut problems)?;
        }
        new.superior = Some(sup);
    }
    problems.finish()?;
    new.updated_at = now;
    store::update_person(tx, &old, &new)?;
    Ok(new)
}

/// Moves person `id` to department `dept` (which must be active). `position` replaces the
/// position when given (`Some("")` clears it) and is kept otherwise. A part-time post the
/// person held in `dept` becomes their main post and is removed from `posts`.
pub(crate) fn transfer_person_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: PersonId,
    dept: DeptId,
    position: Option<&str>,
) -> OaResult<Person> {
    let old = store::person(tx.as_read(), id)?;
    if old.status == PersonStatus::Left {
        return Err(OaError::InvalidState(format!("`{}` has left; enable them before a transfer", old.login)));
    }
    let mut problems = Problems::new();
    check_dept(tx.as_read(), dept, "dept", &mut problems)?;
    let position = match position {
        Some(raw) => validate::position(raw).map_err(|r| problems.add("position", r)).ok().flatten(),
        None => old.position.clone(),
    };
    problems.finish()?;
    let mut new = old.clone();
    new.dept = dept;
    new.position = position;
    new.posts.retain(|p| p.dept != dept);
    new.updated_at = now;
    store::update_person(tx, &old, &new)?;
    Ok(new)
}

/// Disables person `id` (they may not sign in; posts, head roles and history are kept).
/// Disabling a disabled person changes nothing; a person who left cannot be disabled.
pub(crate) fn disable_person_tx(tx: &mut dyn WriteTxn, now: DateTime<Utc>, id: PersonId) -> OaResult<Person> {
    let old = store::person(tx.as_read(), id)?;
    match old.status {
        PersonStatus::Disabled => Ok(old),
        PersonStatus::Left => Err(OaError::InvalidState(format!("`{}` has left and cannot be disabled", old.login))),
        PersonStatus::Active => {
            let new = Person { status: PersonStatus::Disabled, updated_at: now, ..old.clone() };
            store::update_person(tx, &old, &new)?;
            Ok(new)
        }
    }
}

/// Makes person `id` active again, from disabled or from having left (rehired). Their main
/// department must be active. Enabling an active person changes nothing.
pub(crate) fn enable_person_tx(tx: &mut dyn WriteTxn, now: DateTime<Utc>, id: PersonId) -> OaResult<Person> {
    let old = store::person(tx.as_read(), id)?;
    if old.status == PersonStatus::Active {
        return Ok(old);
    }
    let dept = store::department(tx.as_read(), old.dept)?;
    if dept.status != DeptStatus::Active {
        return Err(OaError::InvalidState(format!(
            "the department `{}` of `{}` is disabled; transfer them or enable it first",
            dept.name, old.login
        )));
    }
    let new = Person { status: PersonStatus::Active, updated_at: now, ..old.clone() };
    store::update_person(tx, &old, &new)?;
    Ok(new)
}

/// Marks person `id` as having left (离职): status `left`, every part-time post removed, and
/// every department they head left without a head. Their main department, position and
/// superior stay for history; people who report to them keep them as superior (the chain shows
/// the status, the workflow decides). Returns the person and the departments whose head was
/// cleared. Marking a person who left again changes nothing.
pub(crate) fn mark_person_left_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: PersonId,
) -> OaResult<(Person, Vec<DeptId>)> {
    let old = store::person(tx.as_read(), id)?;
    if old.status == PersonStatus::Left {
        return Ok((old, Vec::new()));
    }
    let headed = store::headed_by(tx.as_read(), id)?;
    for dept in &headed {
        if let Some(d) = store::load_department(tx.as_read(), *dept)? {
            let cleared = Department { head: None, updated_at: now, ..d.clone() };
            store::update_department(tx, &d, &cleared)?;
        }
    }
    let new = Person { status: PersonStatus::Left, posts: Vec::new(), updated_at: now, ..old.clone() };
    store::update_person(tx, &old, &new)?;
    Ok((new, headed))
}

/// Gives person `id` a part-time post (兼职) in `post.dept`, which must be active and differ
/// from their main department and from their other posts.
pub(crate) fn add_post_tx(tx: &mut dyn WriteTxn, now: DateTime<Utc>, id: PersonId, post: &Post) -> OaResult<Person> {
    let old = store::person(tx.as_read(), id)?;
    if old.status == PersonStatus::Left {
        return Err(OaError::InvalidState(format!("`{}` has left and cannot take a post", old.login)));
    }
    let mut problems = Problems::new();
    check_dept(tx.as_read(), post.dept, "dept", &mut problems)?;
    if post.dept == old.dept {
        problems.add("dept", "this is the person's main department");
    } else if old.posts.iter().any(|p| p.dept == post.dept) {
        problems.add("dept", "the person already holds a post in this department");
    }
    let position = validate::position(post.position.as_deref().unwrap_or(""))
        .map_err(|r| problems.add("position", r))
        .ok()
        .flatten();
    problems.finish()?;
    let mut new = old.clone();
    new.posts.push(Post { dept: post.dept, position });
    new.updated_at = now;
    store::update_person(tx, &old, &new)?;
    Ok(new)
}

/// Removes the part-time post of person `id` in `dept`.
pub(crate) fn remove_post_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: PersonId,
    dept: DeptId,
) -> OaResult<Person> {
    let old = store::person(tx.as_read(), id)?;
    if !old.posts.iter().any(|p| p.dept == dept) {
        return Err(OaError::invalid("dept", format!("the person holds no part-time post in department `{dept}`")));
    }
    let mut new = old.clone();
    new.posts.retain(|p| p.dept != dept);
    new.updated_at = now;
    store::update_person(tx, &old, &new)?;
    Ok(new)
}

fn change(person: &Person, summary: String) -> Change {
    Change::new(format!("person:{}", person.id), summary)
}

impl Oa {
    /// Creates a person in an active department. With `initial_password` the person must
    /// change it at the first sign-in; without one they have no credential until an
    /// administrator sets a password.
    ///
    /// Needs `org.person.create` on the department. Fails with `validation` naming every bad
    /// field (`login`, `name`, `email`, `phone`, `dept`, `position`, `superior`,
    /// `initial_password`).
    pub fn create_person(&self, session: &Session, input: NewPerson) -> OaResult<Person> {
        let password = input.initial_password.as_deref().filter(|p| !p.is_empty());
        // Hashing takes tens of milliseconds: done before the transaction, so that other
        // writers do not wait for it.
        let hash = password.map(auth::hash_password).transpose()?;
        self.mutate(session, "org.person.create", PendingPassword::Refuse, |cx| {
            cx.require_on("org.person.create", Some(input.dept), None)?;
            // The password is checked with every other field, so one answer lists them all.
            let password_problem = match password {
                Some(pw) => {
                    let policy = crate::admin::params::load(cx.read())?.password_policy;
                    auth::check_password_policy(policy, pw, "initial_password").err()
                }
                None => None,
            };
            let id = PersonId(cx.new_id());
            let person = match (create_person_tx(cx.tx, id, cx.now, &input), password_problem) {
                (Ok(person), None) => person,
                (Err(OaError::Validation(mut fields)), Some(OaError::Validation(more))) => {
                    fields.extend(more);
                    return Err(OaError::Validation(fields));
                }
                (Err(e), _) | (Ok(_), Some(e)) => return Err(e),
            };
            if let Some(hash) = &hash {
                auth::set_password_hash_raw(cx.tx, id, hash.clone(), true, cx.now)?;
            }
            perm::bump_version(cx.tx)?;
            let summary = format!("created person `{}`", person.login);
            Ok((person.clone(), change(&person, summary)))
        })
    }

    /// Changes a person's details (see [`PersonPatch`]: `None` keeps a field, `Some("")`
    /// clears an optional text field). Needs `org.person.update` on the person.
    pub fn update_person(&self, session: &Session, id: PersonId, patch: PersonPatch) -> OaResult<Person> {
        self.mutate(session, "org.person.update", PendingPassword::Refuse, |cx| {
            let before = store::person(cx.read(), id)?;
            cx.require_on("org.person.update", Some(before.dept), Some(id))?;
            let person = update_person_tx(cx.tx, cx.now, id, &patch)?;
            if person.superior != before.superior {
                // Scopes such as "my subordinates" follow reporting lines.
                perm::bump_version(cx.tx)?;
            }
            let summary = format!("updated person `{}`", person.login);
            Ok((person.clone(), change(&person, summary)))
        })
    }

    /// Moves a person to another department, optionally with a new position (kept when
    /// `None`, cleared by `Some("")`). Needs `org.person.transfer` on both departments.
    pub fn transfer_person(
        &self,
        session: &Session,
        id: PersonId,
        dept: DeptId,
        position: Option<String>,
    ) -> OaResult<Person> {
        self.mutate(session, "org.person.transfer", PendingPassword::Refuse, |cx| {
            let before = store::person(cx.read(), id)?;
            cx.require_on("org.person.transfer", Some(before.dept), Some(id))?;
            cx.require_on("org.person.transfer", Some(dept), Some(id))?;
            let person = transfer_person_tx(cx.tx, cx.now, id, dept, position.as_deref())?;
            perm::bump_version(cx.tx)?;
            let summary = format!("transferred `{}` to department `{dept}`", person.login);
            Ok((person.clone(), change(&person, summary)))
        })
    }

    /// Disables a person: they may not sign in; posts and head roles are kept. Needs
    /// `org.person.disable` on the person.
    pub fn disable_person(&self, session: &Session, id: PersonId) -> OaResult<Person> {
        self.mutate(session, "org.person.disable", PendingPassword::Refuse, |cx| {
            let before = store::person(cx.read(), id)?;
            cx.require_on("org.person.disable", Some(before.dept), Some(id))?;
            let person = disable_person_tx(cx.tx, cx.now, id)?;
            perm::bump_version(cx.tx)?;
            let summary = format!("disabled `{}`", person.login);
            Ok((person.clone(), change(&person, summary)))
        })
    }

    /// Makes a disabled person, or one who left, active again; their department must be
    /// active. Needs `org.person.disable` on the person.
    pub fn enable_person(&self, session: &Session, id: PersonId) -> OaResult<Person> {
        self.mutate(session, "org.person.enable", PendingPassword::Refuse, |cx| {
            let before = store::person(cx.read(), id)?;
            cx.require_on("org.person.disable", Some(before.dept), Some(id))?;
            let person = enable_person_tx(cx.tx, cx.now, id)?;
            perm::bump_version(cx.tx)?;
            let summary = format!("enabled `{}`", person.login);
            Ok((person.clone(), change(&person, summary)))
        })
    }

    /// Marks a person as having left (离职): they may not sign in, their part-time posts are
    /// removed and every department they head is left without a head. Needs
    /// `org.person.disable` on the person.
    pub fn mark_person_left(&self, session: &Session, id: PersonId) -> OaResult<Person> {
        self.mutate(session, "org.person.leave", PendingPassword::Refuse, |cx| {
            let before = store::person(cx.read(), id)?;
            cx.require_on("org.person.disable", Some(before.dept), Some(id))?;
            let (person, cleared) = mark_person_left_tx(cx.tx, cx.now, id)?;
            perm::bump_version(cx.tx)?;
            let mut summary = format!("marked `{}` as left", person.login);
            if !cleared.is_empty() {
                summary.push_str(&format!("; cleared the head of {} department(s)", cleared.len()));
            }
            Ok((person.clone(), change(&person, summary)))
        })
    }

    /// Gives a person a part-time post (兼职) in another active department. Needs
    /// `org.person.update` on the person and on the post's department.
    pub fn add_post(&self, session: &Session, id: PersonId, post: Post) -> OaResult<Person> {
        self.mutate(session, "org.person.add_post", PendingPassword::Refuse, |cx| {
            let before = store::person(cx.read(), id)?;
            cx.require_on("org.person.update", Some(before.dept), Some(id))?;
            cx.require_on("org.person.update", Some(post.dept), Some(id))?;
            let person = add_post_tx(cx.tx, cx.now, id, &post)?;
            perm::bump_version(cx.tx)?;
            let summary = format!("gave `{}` a post in department `{}`", person.login, post.dept);
            Ok((person.clone(), change(&person, summary)))
        })
    }

    /// Removes a person's part-time post in `dept`. Needs `org.person.update` on the person.
    pub fn remove_post(&self, session: &Session, id: PersonId, dept: DeptId) -> OaResult<Person> {
        self.mutate(session, "org.person.remove_post", PendingPassword::Refuse, |cx| {
            let before = store::person(cx.read(), id)?;
            cx.require_on("org.person.update", Some(before.dept), Some(id))?;
            let person = remove_post_tx(cx.tx, cx.now, id, dept)?;
            perm::bump_version(cx.tx)?;
            let summary = format!("removed the post of `{}` in department `{dept}`", person.login);
            Ok((person.clone(), change(&person, summary)))
        })
    }
}
