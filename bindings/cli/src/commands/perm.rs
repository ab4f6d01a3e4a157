//! `oa roles ...`, `oa grants ...` and `oa perms ...`: the core's operations on permissions.

use oa::perm::{DataScope, Grant, NewGrant, NewRole, Role, RolePatch, ScopeFilter};
use oa::{DeptId, PersonId};
use serde::Serialize;

use crate::cli::{GrantsCmd, PermsCmd, RolesCmd};
use crate::failure::{CliResult, Failure};
use crate::output::{self, Out};
use crate::session::Signed;

/// The words `--scope` takes.
const SCOPES: &str = "all, own_dept, own_dept_and_below, self_only or depts:DEPT,DEPT";

/// A data scope from its word on the command line.
fn data_scope(signed: &Signed, text: &str) -> CliResult<DataScope> {
    let t = text.trim();
    if let Some(list) = t.strip_prefix("depts:") {
        let depts = list
            .split(',')
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(|d| signed.dept_id(d))
            .collect::<CliResult<Vec<DeptId>>>()?;
        return Ok(DataScope::Depts { depts });
    }
    match t.replace('-', "_").as_str() {
        "all" => Ok(DataScope::All),
        "own_dept" => Ok(DataScope::OwnDept),
        "own_dept_and_below" => Ok(DataScope::OwnDeptAndBelow),
        "self_only" => Ok(DataScope::SelfOnly),
        _ => Err(Failure::Usage(format!("`{text}` is not a data scope: use {SCOPES}"))),
    }
}

fn scope_label(signed: &Signed, scope: &DataScope) -> String {
    match scope {
        DataScope::Depts { depts } => {
            format!("depts: {}", depts.iter().map(|d| signed.dept_label(*d)).collect::<Vec<_>>().join(", "))
        }
        other => output::word(&serde_json::to_value(other).ok().and_then(|v| v.get("kind").cloned())),
    }
}

/// Runs `oa roles ...`.
pub(crate) fn roles(signed: &Signed, cmd: &RolesCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        RolesCmd::List => {
            let roles = office.list_roles(session)?;
            out.emit(&roles, || {
                let mut t = output::table(&["code", "name", "scope", "permissions", "inherits", "built in"]);
                for r in &roles {
                    t.add_row(vec![
                        r.code.clone(),
                        r.name.clone(),
                        scope_label(signed, &r.data_scope),
                        r.permissions.len().to_string(),
                        r.inherits.join(", "),
                        output::yes_no(r.builtin),
                    ]);
                }
                t.to_string()
            })
        }
        RolesCmd::Show { code } => show_role(signed, &office.get_role(session, code)?, out),
        RolesCmd::Create { code, name, description, permissions, inherits, scope } => {
            let input = NewRole {
                code: code.clone(),
                name: name.clone(),
                description: description.clone(),
                permissions: permissions.clone(),
                inherits: inherits.clone(),
                data_scope: data_scope(signed, scope)?,
            };
            show_role(signed, &office.create_role(session, input)?, out)
        }
        RolesCmd::Update { code, name, description, permissions, inherits, scope } => {
            let patch = RolePatch {
                name: name.clone(),
                description: description.clone(),
                permissions: permissions.clone(),
                inherits: inherits.clone(),
                data_scope: scope.as_deref().map(|s| data_scope(signed, s)).transpose()?,
            };
            show_role(signed, &office.update_role(session, code, patch)?, out)
        }
        RolesCmd::Delete { code } => {
            office.delete_role(session, code)?;
            out.emit(&(), || format!("deleted role `{code}`"))
        }
    }
}

fn show_role(signed: &Signed, r: &Role, out: Out) -> CliResult<()> {
    out.emit(r, || {
        output::record(vec![
            ("code", r.code.clone()),
            ("name", r.name.clone()),
            ("description", r.description.clone()),
            ("scope", scope_label(signed, &r.data_scope)),
            ("inherits", r.inherits.join(", ")),
            ("built in", output::yes_no(r.builtin)),
            ("permissions", r.permissions.join("\n")),
            ("updated", output::instant(&r.updated_at)),
        ])
    })
}

fn grants_table(signed: &Signed, grants: &[Grant]) -> String {
    let mut t = output::table(&["id", "person", "role", "limited to", "granted", "by"]);
    for g in grants {
        t.add_row(vec![
            g.id.to_string(),
            signed.login_label(g.person),
            g.role.clone(),
            g.limit_to_dept.map(|d| signed.dept_label(d)).unwrap_or_default(),
            output::instant(&g.granted_at),
            g.granted_by.map(|p| signed.login_label(p)).unwrap_or_default(),
        ]);
    }
    t.to_string()
}

/// Runs `oa grants ...`.
pub(crate) fn grants(signed: &Signed, cmd: &GrantsCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        GrantsCmd::List { person } => {
            let person = person.as_deref().map(|p| signed.person_id(p)).transpose()?;
            let grants = office.list_grants(session, person)?;
            out.emit(&grants, || grants_table(signed, &grants))
        }
        GrantsCmd::Add { person, role, limit_to } => {
            let input = NewGrant {
                person: signed.person_id(person)?,
                role: role.clone(),
                limit_to_dept: limit_to.as_deref().map(|d| signed.dept_id(d)).transpose()?,
            };
            let grant = office.grant_role(session, input)?;
            out.emit(&grant, || grants_table(signed, std::slice::from_ref(&grant)))
        }
        GrantsCmd::Revoke { id } => {
            office.revoke_grant(session, *id)?;
            out.emit(&(), || format!("revoked grant `{id}`"))
        }
    }
}

/// The answer of `oa perms check`.
#[derive(Debug, Serialize)]
struct Check<'a> {
    person: PersonId,
    permission: &'a str,
    dept: Option<DeptId>,
    owner: Option<PersonId>,
    allowed: bool,
}

/// Runs `oa perms ...`.
pub(crate) fn perms(signed: &Signed, cmd: &PermsCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        PermsCmd::List => {
            let all = office.list_permissions(session)?;
            out.emit(&all, || {
                let mut t = output::table(&["permission", "category", "allows"]);
                for p in &all {
                    t.add_row(vec![p.name.clone(), output::word(&p.category), p.description.clone()]);
                }
                t.to_string()
            })
        }
        PermsCmd::Of { person } => {
            let held = office.effective_permissions(session, signed.person_id(person)?)?;
            out.emit(&held, || held.join("\n"))
        }
        PermsCmd::Check { person, permission, dept, owner } => {
            let target = signed.person_id(person)?;
            let me = office.whoami(session)?.person;
            let dept = dept.as_deref().map(|d| signed.dept_id(d)).transpose()?;
            let owner = owner.as_deref().map(|o| signed.person_id(o)).transpose()?;
            let allowed = if target == me {
                office.check_permission(session, permission, dept, owner)?
            } else {
                office.check_permission_of(session, target, permission, dept, owner)?
            };
            let answer = Check { person: target, permission, dept, owner, allowed };
            out.emit(&answer, || {
                let mut on = String::new();
                if let Some(d) = dept {
                    on.push_str(&format!(" on department `{}`", signed.dept_label(d)));
                }
                if let Some(o) = owner {
                    on.push_str(&format!(" on records of `{}`", signed.login_label(o)));
                }
                let verb = if allowed { "holds" } else { "does not hold" };
                format!("{}: `{person}` {verb} `{permission}`{on}", output::yes_no(allowed))
            })
        }
        PermsCmd::Scope { permission } => {
            let scope = office.permission_scope(session, permission)?;
            out.emit(&scope, || scope_text(signed, &scope))
        }
    }
}

fn scope_text(signed: &Signed, s: &ScopeFilter) -> String {
    if s.all {
        return "every record".into();
    }
    if s.is_empty() {
        return "no record".into();
    }
    let mut rows = Vec::new();
    let depts = |ids: &[DeptId]| ids.iter().map(|d| signed.dept_label(*d)).collect::<Vec<_>>().join("\n");
    if !s.subtrees.is_empty() {
        rows.push(("departments and below", depts(&s.subtrees)));
    }
    if !s.depts.is_empty() {
        rows.push(("departments", depts(&s.depts)));
    }
    if !s.persons.is_empty() {
        rows.push(("owned by", s.persons.iter().map(|p| signed.login_label(*p)).collect::<Vec<_>>().join("\n")));
    }
    if !s.persons_within.is_empty() {
        rows.push((
            "owned by, within",
            s.persons_within
                .iter()
                .map(|w| format!("{} in {}", signed.login_label(w.person), signed.dept_label(w.subtree)))
                .collect::<Vec<_>>()
                .join("\n"),
        ));
    }
    output::record(rows)
}
