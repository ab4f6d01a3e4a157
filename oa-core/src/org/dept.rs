//! Departments (部门): creating, renaming, moving, ordering, heads, disabling.
//!
//! The `*_tx` functions hold the rules and the writes over a transaction; the operations on
//! [`Oa`] add authentication, authorisation, the permission-version bump and the audit record.

use chrono::{DateTime, Utc};
use oa_storage::{ReadTxn, WriteTxn};

use super::model::{Department, DeptId, DeptStatus, NewDepartment, PersonId, PersonStatus};
use super::store;
use super::validate;
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::error::Problems;
use crate::{perm, OaError, OaResult};

/// The sort order after the last child of `parent` (the roots when `None`).
fn next_sort_order(tx: &mut dyn ReadTxn, parent: Option<DeptId>) -> OaResult<i64> {
    let mut max: Option<i64> = None;
    for id in store::child_ids(tx, parent)? {
        if let Some(d) = store::load_department(tx, id)? {
            max = Some(max.map_or(d.sort_order, |m| m.max(d.sort_order)));
        }
    }
    Ok(max.map_or(0, |m| m.saturating_add(1)))
}

/// Checks that `parent` can receive a department: it exists and is active.
fn check_parent(tx: &mut dyn ReadTxn, parent: DeptId, problems: &mut Problems) -> OaResult<()> {
    match store::load_department(tx, parent)? {
        None => problems.add("parent", format!("department `{parent}` does not exist")),
        Some(p) if p.status != DeptStatus::Active => {
            problems.add("parent", format!("department `{}` is disabled", p.name))
        }
        Some(_) => {}
    }
    Ok(())
}

/// Checks that `head` can head a department: an active person.
pub(crate) fn check_head(tx: &mut dyn ReadTxn, head: PersonId, problems: &mut Problems) -> OaResult<()> {
    match store::load_person(tx, head)? {
        None => problems.add("head", format!("person `{head}` does not exist")),
        Some(p) if p.status != PersonStatus::Active => {
            problems.add("head", format!("`{}` is not active and cannot head a department", p.login))
        }
        Some(_) => {}
    }
    Ok(())
}

/// Checks that `name` is free under `parent`, except for the department `own` itself.
fn check_sibling_name(
    tx: &mut dyn ReadTxn,
    parent: Option<DeptId>,
    name: &str,
    own: Option<DeptId>,
    problems: &mut Problems,
) -> OaResult<()> {
    match store::find_sibling_by_name(tx, parent, name)? {
        Some(other) if Some(other) != own => {
            problems.add("name", format!("a department named `{name}` already exists there"))
        }
        _ => {}
    }
    Ok(())
}

/// Creates the department `id` from `input` after checking every rule.
pub(crate) fn create_department_tx(
    tx: &mut dyn WriteTxn,
    id: DeptId,
    now: DateTime<Utc>,
    input: &NewDepartment,
) -> OaResult<Department> {
    let mut problems = Problems::new();
    let name = validate::name(&input.name).map_err(|r| problems.add("name", r)).ok();
    let code =
        validate::optional(input.code.as_deref(), validate::code).map_err(|r| problems.add("code", r)).ok().flatten();
    if let Some(code) = &code {
        if store::find_dept_id_by_code(tx.as_read(), code)?.is_some() {
            problems.add("code", format!("the code `{code}` is already used"));
        }
    }
    if let Some(parent) = input.parent {
        check_parent(tx.as_read(), parent, &mut problems)?;
    }
    if let Some(name) = &name {
        check_sibling_name(tx.as_read(), input.parent, name, None, &mut problems)?;
    }
    if let Some(head) = input.head {
        check_head(tx.as_read(), head, &mut problems)?;
    }
    problems.finish()?;
    let sort_order = match input.sort_order {
        Some(n) => n,
        None => next_sort_order(tx.as_read(), input.parent)?,
    };
    let dept = Department {
        id,
        name: name.unwrap_or_default(),
        code,
        parent: input.parent,
        sort_order,
        head: input.head,
        status: DeptStatus::Active,
        created_at: now,
        updated_at: now,
    };
    store::insert_department(tx, &dept)?;
    Ok(dept)
}

/// Renames department `id`; the name stays unique among its siblings.
pub(crate) fn rename_department_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: DeptId,
    name: &str,
) -> OaResult<Department> {
    let old = store::department(tx.as_read(), id)?;
    let name = validate::name(name).map_err(|r| OaError::invalid("name", r))?;
    let mut problems = Problems::new();
    check_sibling_name(tx.as_read(), old.parent, &name, Some(id), &mut problems)?;
    problems.finish()?;
    let new = Department { name, updated_at: now, ..old.clone() };
    store::update_department(tx, &old, &new)?;
    Ok(new)
}

/// Moves department `id` under `new_parent` (a root when `None`), refusing a cycle, and places
/// it at `sort_order` (after the last sibling when `None`).
pub(crate) fn move_department_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: DeptId,
    new_parent: Option<DeptId>,
    sort_order: Option<i64>,
) -> OaResult<Department> {
    let old = store::department(tx.as_read(), id)?;
    let mut problems = Problems::new();
    if let Some(parent) = new_parent {
        match super::query::is_within(tx.as_read(), parent, id)? {
            true => {
                let reason = if parent == id {
                    "a department cannot be moved under itself".to_string()
                } else {
                    format!("department `{parent}` lies inside the department being moved")
                };
                problems.add("parent", reason);
            }
            false => check_parent(tx.as_read(), parent, &mut problems)?,
        }
    }
    if problems.is_empty() {
        check_sibling_name(tx.as_read(), new_parent, &old.name, Some(id), &mut problems)?;
    }
    problems.finish()?;
    let sort_order = match sort_order {
        Some(n) => n,
        None if old.parent == new_parent => old.sort_order,
        None => next_sort_order(tx.as_read(), new_parent)?,
    };
    let new = Department { parent: new_parent, sort_order, updated_at: now, ..old.clone() };
    store::update_department(tx, &old, &new)?;
    Ok(new)
}

/// Sets the position of department `id` among its siblings.
pub(crate) fn reorder_department_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: DeptId,
    sort_order: i64,
) -> OaResult<Department> {
    let old = store::department(tx.as_read(), id)?;
    let new = Department { sort_order, updated_at: now, ..old.clone() };
    store::update_department(tx, &old, &new)?;
    Ok(new)
}

/// Sets (or with `None` removes) the head of department `id`; a head must be an active person.
pub(crate) fn set_department_head_tx(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: DeptId,
    head: Option<PersonId>,
) -> OaResult<Department> {
    let old = store::department(tx.as_read(), id)?;
    if let Some(head) = head {
        let mut problems = Problems::new();
        check_head(tx.as_read(), head, &mut problems)?;
        problems.finish()?;
    }
    let new = Department { head, updated_at: now, ..old.clone() };
    store::update_department(tx, &old, &new)?;
    Ok(new)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Disables department `id`. Refused while active people still hold their main post there or
/// active child departments remain under it; the error says how many of each. Part-time posts
/// do not hold a department open. Disabling a disabled department changes nothing.
pub(crate) fn disable_department_tx(tx: &mut dyn WriteTxn, now: DateTime<Utc>, id: DeptId) -> OaResult<Department> {
    let old = store::department(tx.as_read(), id)?;
    if old.status == DeptStatus::Disabled {
        return Ok(old);
    }
    let path = store::dept_path(tx.as_read(), id)?;
    let people = store::count_active_main_people(tx.as_read(), &path)?;
    let mut children = 0;
    for child in store::child_ids(tx.as_read(), Some(id))? {
        if store::load_department(tx.as_read(), child)?.is_some_and(|c| c.status == DeptStatus::Active) {
            children += 1;
        }
    }
    if people > 0 || children > 0 {
        let mut blockers = Vec::new();
        if people > 0 {
            blockers.push(plural(people, "active person", "active people"));
        }
        if children > 0 {
            blockers.push(plural(children, "active child department", "active child departments"));
        }
        return Err(OaError::InvalidState(format!(
            "department `{}` still has {}; move or disable them first",
            old.name,
            blockers.join(" and ")
        )));
    }
    let new = Department { status: DeptStatus::Disabled, updated_at: now, ..old.clone() };
    store::update_department(tx, &old, &new)?;
    Ok(new)
}

/// Enables department `id` again; its parent must be active. Enabling an active department
/// changes nothing.
pub(crate) fn enable_department_tx(tx: &mut dyn WriteTxn, now: DateTime<Utc>, id: DeptId) -> OaResult<Department> {
    let old = store::department(tx.as_read(), id)?;
    if old.status == DeptStatus::Active {
        return Ok(old);
    }
    if let Some(parent) = old.parent {
        let p = store::department(tx.as_read(), parent)?;
        if p.status != DeptStatus::Active {
            return Err(OaError::InvalidState(format!(
                "the parent department `{}` is disabled; enable it first",
                p.name
            )));
        }
    }
    let new = Department { status: DeptStatus::Active, updated_at: now, ..old.clone() };
    store::update_department(tx, &old, &new)?;
    Ok(new)
}

fn change(dept: &Department, summary: String) -> Change {
    Change::new(format!("department:{}", dept.id), summary)
}

impl Oa {
    /// Creates a department (under a parent, or as a new root).
    ///
    /// Needs `org.dept.create` on the parent (for a new root: with an unrestricted scope). Fails with `validation` naming `name` (empty, too
    /// long, taken by a sibling), `code` (malformed, taken), `parent` (missing, disabled) or
    /// `head` (missing, not active).
    pub fn create_department(&self, session: &Session, input: NewDepartment) -> OaResult<Department> {
        self.mutate(session, "org.dept.create", PendingPassword::Refuse, |cx| {
            match input.parent {
                Some(parent) => cx.require_on("org.dept.create", Some(parent), None)?,
                // A new root is reached only by an unrestricted scope.
                None => cx.require_on("org.dept.create", None, None)?,
            }
            let id = DeptId(cx.new_id());
            let dept = create_department_tx(cx.tx, id, cx.now, &input)?;
            perm::bump_version(cx.tx)?;
            let summary = format!("created department `{}`", dept.name);
            Ok((dept.clone(), change(&dept, summary)))
        })
    }

    /// Renames a department. Needs `org.dept.update` on it.
    pub fn rename_department(&self, session: &Session, id: DeptId, name: &str) -> OaResult<Department> {
        self.mutate(session, "org.dept.rename", PendingPassword::Refuse, |cx| {
            cx.require_on("org.dept.update", Some(id), None)?;
            let before = store::department(cx.read(), id)?;
            let dept = rename_department_tx(cx.tx, cx.now, id, name)?;
            let summary = format!("renamed department `{}` to `{}`", before.name, dept.name);
            Ok((dept.clone(), change(&dept, summary)))
        })
    }

    /// Moves a department under another parent (a root when `None`) at `sort_order` (after the
    /// last sibling when `None`). Moving a department under itself or one of its own
    /// descendants is a `validation` error naming `parent`; so is a disabled parent, and a sibling
    /// of the same name there is one naming `name`. Needs `org.dept.update` on the department and
    /// on the new parent (for a root: with an unrestricted scope).
    pub fn move_department(
        &self,
        session: &Session,
        id: DeptId,
        new_parent: Option<DeptId>,
        sort_order: Option<i64>,
    ) -> OaResult<Department> {
        self.mutate(session, "org.dept.move", PendingPassword::Refuse, |cx| {
            cx.require_on("org.dept.update", Some(id), None)?;
            match new_parent {
                Some(parent) => cx.require_on("org.dept.update", Some(parent), None)?,
                None => cx.require_on("org.dept.update", None, None)?,
            }
            let dept = move_department_tx(cx.tx, cx.now, id, new_parent, sort_order)?;
            perm::bump_version(cx.tx)?;
            let summary = match new_parent {
                Some(p) => format!("moved department `{}` under `{p}`", dept.name),
                None => format!("made department `{}` a root", dept.name),
            };
            Ok((dept.clone(), change(&dept, summary)))
        })
    }

    /// Sets a department's position among its siblings. Needs `org.dept.update` on it.
    pub fn reorder_department(&self, session: &Session, id: DeptId, sort_order: i64) -> OaResult<Department> {
        self.mutate(session, "org.dept.reorder", PendingPassword::Refuse, |cx| {
            cx.require_on("org.dept.update", Some(id), None)?;
            let dept = reorder_department_tx(cx.tx, cx.now, id, sort_order)?;
            // Sibling order changes the tree's pre-order numbering that compiled scopes use.
            perm::bump_version(cx.tx)?;
            let summary = format!("set the sort order of department `{}` to {sort_order}", dept.name);
            Ok((dept.clone(), change(&dept, summary)))
        })
    }

    /// Sets the head (负责人) of a department, or removes it with `None`. The head must be an
    /// active person (`validation` naming `head`). Needs `org.dept.update` on the department.
    pub fn set_department_head(&self, session: &Session, id: DeptId, head: Option<PersonId>) -> OaResult<Department> {
        self.mutate(session, "org.dept.set_head", PendingPassword::Refuse, |cx| {
            cx.require_on("org.dept.update", Some(id), None)?;
            let dept = set_department_head_tx(cx.tx, cx.now, id, head)?;
            perm::bump_version(cx.tx)?;
            let summary = match head {
                Some(h) => format!("set the head of department `{}` to `{h}`", dept.name),
                None => format!("removed the head of department `{}`", dept.name),
            };
            Ok((dept.clone(), change(&dept, summary)))
        })
    }

    /// Disables a department. Refused (`invalid_state`) while active people still hold their
    /// main post there or active child departments remain, saying how many. Needs
    /// `org.dept.disable` on it.
    pub fn disable_department(&self, session: &Session, id: DeptId) -> OaResult<Department> {
        self.mutate(session, "org.dept.disable", PendingPassword::Refuse, |cx| {
            cx.require_on("org.dept.disable", Some(id), None)?;
            let dept = disable_department_tx(cx.tx, cx.now, id)?;
            perm::bump_version(cx.tx)?;
            let summary = format!("disabled department `{}`", dept.name);
            Ok((dept.clone(), change(&dept, summary)))
        })
    }

    /// Enables a disabled department again; its parent must be active. Needs
    /// `org.dept.disable` on it.
    pub fn enable_department(&self, session: &Session, id: DeptId) -> OaResult<Department> {
        self.mutate(session, "org.dept.enable", PendingPassword::Refuse, |cx| {
            cx.require_on("org.dept.disable", Some(id), None)?;
            let dept = enable_department_tx(cx.tx, cx.now, id)?;
            perm::bump_version(cx.tx)?;
            let summary = format!("enabled department `{}`", dept.name);
            Ok((dept.clone(), change(&dept, summary)))
        })
    }
}
