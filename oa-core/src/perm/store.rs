//! Reading and writing roles and grants, with their validation and the rules of separation of
//! duties (三员分立). No permission checks here: the operations in `ops.rs` do those.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};

use super::catalogue;
use super::graph::{builtin_permissions, find_cycle, held, normalise, RoleGraph};
use super::model::{keys, DataScope, Grant, GrantId, NewGrant, NewRole, Role, RolePatch, ROLE_AUDITOR, SOD_ROLES};
use super::principal::{bump_version, grants_of};
use crate::db;
use crate::error::Problems;
use crate::keys::trailing_id;
use crate::org::{keys as org_keys, Person, PersonId, PersonStatus};
use crate::{OaError, OaResult};

/// The longest role code, in characters.
pub const MAX_CODE_LEN: usize = 64;
/// The longest role name, in characters.
pub const MAX_NAME_LEN: usize = 100;
/// The longest role description, in characters.
pub const MAX_DESCRIPTION_LEN: usize = 2000;

/// How many names an error message lists before saying "and N more".
const LIST_IN_MESSAGE: usize = 10;

/// The role of `code`, with a built-in role's permissions from the catalogue.
pub(crate) fn load_role(tx: &mut dyn ReadTxn, code: &str) -> OaResult<Option<Role>> {
    Ok(db::get::<Role>(tx, keys::role(code).as_bytes())?.map(normalise))
}

/// The role of `code`, or `not_found`.
pub(crate) fn require_role(tx: &mut dyn ReadTxn, code: &str) -> OaResult<Role> {
    load_role(tx, code)?.ok_or_else(|| OaError::not_found("role", code))
}

/// Every role, by code.
pub(crate) fn all_roles(tx: &mut dyn ReadTxn) -> OaResult<Vec<Role>> {
    let entries = tx.scan(&KeyRange::prefix(keys::all_roles().as_bytes()), Direction::Forward, usize::MAX)?;
    entries.into_iter().map(|(_, v)| crate::codec::decode::<Role>(&v).map(normalise)).collect()
}

/// The person `id`, if any.
pub(crate) fn load_person(tx: &mut dyn ReadTxn, id: PersonId) -> OaResult<Option<Person>> {
    db::get(tx, org_keys::person(id).as_bytes())
}

/// The grant `id`, if any.
pub(crate) fn load_grant(tx: &mut dyn ReadTxn, id: GrantId) -> OaResult<Option<Grant>> {
    db::get(tx, keys::grant(id).as_bytes())
}

/// Every grant, in creation order.
pub(crate) fn all_grants(tx: &mut dyn ReadTxn) -> OaResult<Vec<Grant>> {
    let entries = tx.scan(&KeyRange::prefix(keys::all_grants().as_bytes()), Direction::Forward, usize::MAX)?;
    entries.into_iter().map(|(_, v)| crate::codec::decode::<Grant>(&v)).collect()
}

/// The grants of role `code`, through the role index, in grant order.
pub(crate) fn grants_of_role(tx: &mut dyn ReadTxn, code: &str) -> OaResult<Vec<Grant>> {
    let entries = tx.scan(&KeyRange::prefix(keys::grants_of_role(code).as_bytes()), Direction::Forward, usize::MAX)?;
    let mut out = Vec::with_capacity(entries.len());
    for (k, _) in entries {
        if let Some(g) = trailing_id(&k).map(GrantId).map(|id| load_grant(tx, id)).transpose()?.flatten() {
            out.push(g);
        }
    }
    Ok(out)
}

fn is_valid_code(code: &str) -> bool {
    (1..=MAX_CODE_LEN).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn dedup_keep_order(v: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    v.into_iter().map(|s| s.trim().to_string()).filter(|s| seen.insert(s.clone())).collect()
}

fn quote_list<S: AsRef<str>>(names: &[S]) -> String {
    let shown: Vec<String> = names.iter().take(LIST_IN_MESSAGE).map(|n| format!("`{}`", n.as_ref())).collect();
    let more = names.len().saturating_sub(LIST_IN_MESSAGE);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// A person as error messages name them: their login, or their id when they are gone.
fn person_label(tx: &mut dyn ReadTxn, id: PersonId) -> OaResult<String> {
    Ok(load_person(tx, id)?.map(|p| p.login).unwrap_or_else(|| id.to_string()))
}

/// Checks every field of `role` (normalised first) against the catalogue, the other roles and the
/// department tree, collecting every problem. `is_new` also checks the code.
fn validate_role(tx: &mut dyn ReadTxn, role: &mut Role, is_new: bool) -> OaResult<()> {
    let mut problems = Problems::new();
    role.name = role.name.trim().to_string();
    role.description = role.description.trim().to_string();
    role.permissions = dedup_keep_order(std::mem::take(&mut role.permissions));
    role.inherits = dedup_keep_order(std::mem::take(&mut role.inherits));

    if is_new {
        if !is_valid_code(&role.code) {
            problems.add(
                "code",
                format!("`{}` must be 1 to {MAX_CODE_LEN} characters of lowercase letters, digits and `_`", role.code),
            );
        } else if db::exists(tx, keys::role(&role.code).as_bytes())? {
            problems.add("code", format!("a role `{}` already exists", role.code));
        }
    }
    let name_len = role.name.chars().count();
    if name_len == 0 {
        problems.add("name", "must not be empty");
    } else if name_len > MAX_NAME_LEN {
        problems.add("name", format!("must be at most {MAX_NAME_LEN} characters, got {name_len}"));
    }
    if role.description.chars().count() > MAX_DESCRIPTION_LEN {
        problems.add("description", format!("must be at most {MAX_DESCRIPTION_LEN} characters"));
    }
    for (i, p) in role.permissions.iter().enumerate() {
        if catalogue::find(p).is_none() {
            problems.add(format!("permissions[{i}]"), format!("unknown permission `{p}`"));
        }
    }

    let others = all_roles(tx)?;
    let known: BTreeSet<&str> = others.iter().map(|r| r.code.as_str()).collect();
    let mut inherits_ok = true;
    for (i, parent) in role.inherits.iter().enumerate() {
        if parent == &role.code {
            continue; // reported as a cycle below
        }
        if !known.contains(parent.as_str()) {
            inherits_ok = false;
            problems.add(format!("inherits[{i}]"), format!("unknown role `{parent}`"));
        }
    }
    if inherits_ok {
        let edges: BTreeMap<String, Vec<String>> =
            others.iter().filter(|r| r.code != role.code).map(|r| (r.code.clone(), r.inherits.clone())).collect();
        if let Some(cycle) = find_cycle(&edges, &role.code, &role.inherits) {
            let path: Vec<String> = cycle.iter().map(|c| format!("`{c}`")).collect();
            problems.add("inherits", format!("inheritance would make a cycle: {}", path.join(" → ")));
        }
    }

    if let DataScope::Depts { depts } = &mut role.data_scope {
        depts.sort();
        depts.dedup();
        if depts.is_empty() {
            problems.add("data_scope.depts", "choose at least one department");
        }
        for (i, d) in depts.iter().enumerate() {
            if !db::exists(tx, org_keys::dept(*d).as_bytes())? {
                problems.add(format!("data_scope.depts[{i}]"), format!("unknown department `{d}`"));
            }
        }
    }
    problems.finish()
}

/// Creates a role.
pub(crate) fn create_role(tx: &mut dyn WriteTxn, now: DateTime<Utc>, input: NewRole) -> OaResult<Role> {
    let mut role = Role {
        code: input.code.trim().to_string(),
        name: input.name,
        description: input.description,
        permissions: input.permissions,
        inherits: input.inherits,
        data_scope: input.data_scope,
        builtin: false,
        created_at: now,
        updated_at: now,
    };
    validate_role(tx.as_read(), &mut role, true)?;
    db::put(tx, keys::role(&role.code).as_bytes(), &role)?;
    bump_version(tx)?;
    Ok(role)
}

/// Changes a role.
pub(crate) fn update_role(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    code: &str,
    patch: RolePatch,
    sod: bool,
) -> OaResult<Role> {
    let mut role = require_role(tx.as_read(), code)?;
    if role.builtin {
        let mut problems = Problems::new();
        if patch.permissions.is_some() {
            problems.add("permissions", format!("the permissions of built-in role `{code}` cannot be edited"));
        }
        if patch.inherits.is_some() {
            problems.add("inherits", format!("the inheritance of built-in role `{code}` cannot be edited"));
        }
        problems.finish()?;
    }
    let grants_change = (patch.permissions.is_some(), patch.inherits.is_some());
    let RolePatch { name, description, permissions, inherits, data_scope } = patch;
    if let Some(v) = name {
        role.name = v;
    }
    if let Some(v) = description {
        role.description = v;
    }
    if let Some(v) = permissions {
        role.permissions = v;
    }
    if let Some(v) = inherits {
        role.inherits = v;
    }
    if let Some(v) = data_scope {
        role.data_scope = v;
    }
    role.updated_at = now;
    validate_role(tx.as_read(), &mut role, false)?;
    db::put(tx, keys::role(&role.code).as_bytes(), &role)?;
    if sod && (grants_change.0 || grants_change.1) {
        // Checked against the stored change, in this transaction: an error rolls it back.
        let field = if grants_change.1 { "inherits" } else { "permissions" };
        check_role_change_under_sod(tx.as_read(), &role.code, field)?;
    }
    bump_version(tx)?;
    Ok(role)
}

/// Deletes a role that is neither built in, granted nor inherited.
pub(crate) fn delete_role(tx: &mut dyn WriteTxn, code: &str) -> OaResult<Role> {
    let role = require_role(tx.as_read(), code)?;
    if role.builtin {
        return Err(OaError::InvalidState(format!("built-in role `{code}` cannot be deleted")));
    }
    let mut reasons = Vec::new();
    let grants = grants_of_role(tx.as_read(), code)?;
    if !grants.is_empty() {
        let mut people = Vec::with_capacity(grants.len());
        for g in &grants {
            let label = person_label(tx.as_read(), g.person)?;
            if !people.contains(&label) {
                people.push(label);
            }
        }
        reasons.push(format!("it is granted to {}", quote_list(&people)));
    }
    let heirs: Vec<String> =
        all_roles(tx.as_read())?.into_iter().filter(|r| r.inherits.iter().any(|c| c == code)).map(|r| r.code).collect();
    if !heirs.is_empty() {
        reasons.push(format!("it is inherited by {}", quote_list(&heirs)));
    }
    if !reasons.is_empty() {
        return Err(OaError::InvalidState(format!("role `{code}` cannot be deleted: {}", reasons.join("; "))));
    }
    tx.delete(keys::role(code).as_bytes())?;
    bump_version(tx)?;
    Ok(role)
}

/// Writes a grant and its index entries, after checking the role, person and department exist,
/// that the same grant is not held already and, when `sod` is on, separation of duties.
pub(crate) fn grant(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    id: GrantId,
    input: NewGrant,
    by: Option<PersonId>,
    sod: bool,
) -> OaResult<Grant> {
    let code = input.role.trim().to_string();
    require_role(tx.as_read(), &code)?;
    let person = load_person(tx.as_read(), input.person)?.ok_or_else(|| OaError::not_found("person", input.person))?;
    if person.status == PersonStatus::Left {
        return Err(OaError::InvalidState(format!("`{}` has left; roles cannot be granted to them", person.login)));
    }
    if let Some(d) = input.limit_to_dept {
        if !db::exists(tx.as_read(), org_keys::dept(d).as_bytes())? {
            return Err(OaError::not_found("department", d));
        }
    }
    let existing = grants_of(tx.as_read(), person.id)?;
    if existing.iter().any(|g| g.role == code && g.limit_to_dept == input.limit_to_dept) {
        return Err(OaError::InvalidState(match input.limit_to_dept {
            Some(d) => format!("`{}` already holds `{code}` limited to department `{d}`", person.login),
            None => format!("`{}` already holds `{code}`", person.login),
        }));
    }
    if sod {
        check_grant_under_sod(tx.as_read(), &person, &code, &existing)?;
    }
    let grant = Grant {
        id,
        person: person.id,
        role: code,
        limit_to_dept: input.limit_to_dept,
        granted_at: now,
        granted_by: by,
    };
    db::put(tx, keys::grant(id).as_bytes(), &grant)?;
    tx.put(keys::grant_by_person(grant.person, id).as_bytes(), &[])?;
    tx.put(keys::grant_by_role(&grant.role, id).as_bytes(), &[])?;
    bump_version(tx)?;
    Ok(grant)
}

/// Refuses a grant that would break separation of duties (三员分立).
fn check_grant_under_sod(tx: &mut dyn ReadTxn, person: &Person, code: &str, existing: &[Grant]) -> OaResult<()> {
    const OPTION: &str = "while separation of duties (三员分立) is on";
    let graph = RoleGraph::load(tx, true)?;
    let Some(new) = graph.closure(code) else { return Err(OaError::not_found("role", code)) };
    if new.held & held::ADMIN != 0 {
        return Err(OaError::invalid(
            "role",
            format!("`{code}` holds every permission and cannot be granted {OPTION}; grant `sys_admin`, `sec_admin` or `auditor`"),
        ));
    }
    let audit_roles = graph.audit_holders_in(code);
    if !audit_roles.is_empty() {
        return Err(OaError::invalid(
            "role",
            format!(
                "`{code}` gives audit permissions through {}; {OPTION} they are granted only through `{ROLE_AUDITOR}`",
                quote_list(&audit_roles)
            ),
        ));
    }
    let mut held_before = 0u8;
    let mut business_role: Option<&str> = None;
    for g in existing {
        if let Some(c) = graph.closure(&g.role) {
            held_before |= c.held;
            if c.business && business_role.is_none() {
                business_role = Some(&g.role);
            }
        }
    }
    let sod_before = held_before & held::SOD;
    let sod_new = new.held & held::SOD;
    if sod_new != 0 && (sod_before & !sod_new != 0 || sod_new.count_ones() > 1) {
        let all = held::codes((sod_before | sod_new) & held::SOD);
        return Err(OaError::invalid(
            "role",
            format!(
                "`{}` would hold {}; {OPTION} nobody holds two of {}",
                person.login,
                quote_list(&all),
                quote_list(&SOD_ROLES)
            ),
        ));
    }
    if sod_before != 0 && new.business {
        return Err(OaError::invalid(
            "role",
            format!(
                "`{code}` gives business permissions and `{}` holds {}; {OPTION} they do not act on business data",
                person.login,
                quote_list(&held::codes(sod_before))
            ),
        ));
    }
    if sod_new != 0 {
        if let Some(b) = business_role {
            return Err(OaError::invalid(
                "role",
                format!(
                    "`{}` holds business permissions through `{b}`; {OPTION} the holders of `{code}` do not act on business data",
                    person.login
                ),
            ));
        }
    }
    Ok(())
}

/// With separation of duties on, refuses a change to role `code`'s permissions or inheritance
/// that would break it for someone who holds the role (directly or through another role).
/// `field` is the field the error names.
pub(crate) fn check_role_change_under_sod(tx: &mut dyn ReadTxn, code: &str, field: &str) -> OaResult<()> {
    const OPTION: &str = "while separation of duties (三员分立) is on";
    let graph = RoleGraph::load(tx, true)?;
    let affected = graph.roles_including(code);
    let gives_admin = graph.closure(code).is_some_and(|c| c.held & held::ADMIN != 0);
    let mut by_person: BTreeMap<PersonId, Vec<Grant>> = BTreeMap::new();
    for g in all_grants(tx)? {
        by_person.entry(g.person).or_default().push(g);
    }
    let mut problems = Problems::new();
    for (person, grants) in by_person {
        if !grants.iter().any(|g| affected.contains(&g.role)) {
            continue;
        }
        let (mut bits, mut business, mut audit) = (0u8, false, Vec::new());
        for g in &grants {
            if let Some(c) = graph.closure(&g.role) {
                bits |= c.held;
                business |= c.business;
            }
            if affected.contains(&g.role) {
                audit.extend(graph.audit_holders_in(&g.role));
            }
        }
        let label = person_label(tx, person)?;
        let sod = bits & held::SOD;
        if gives_admin {
            problems.add(field, format!("`{label}` would hold `admin`, which is not granted {OPTION}"));
        } else if sod.count_ones() > 1 {
            problems.add(field, format!("`{label}` would hold {} {OPTION}", quote_list(&held::codes(sod))));
        } else if sod != 0 && business {
            problems.add(
                field,
                format!(
                    "`{label}` holds {} and would get business permissions {OPTION}",
                    quote_list(&held::codes(sod))
                ),
            );
        } else if !audit.is_empty() {
            audit.sort();
            audit.dedup();
            problems.add(
                field,
                format!("`{label}` would get audit permissions through {}; {OPTION} they come only through `{ROLE_AUDITOR}`", quote_list(&audit)),
            );
        }
    }
    problems.finish()
}

/// Removes a grant and its index entries.
pub(crate) fn revoke(tx: &mut dyn WriteTxn, id: GrantId) -> OaResult<Grant> {
    let grant = load_grant(tx.as_read(), id)?.ok_or_else(|| OaError::not_found("grant", id))?;
    tx.delete(keys::grant(id).as_bytes())?;
    tx.delete(keys::grant_by_person(grant.person, id).as_bytes())?;
    tx.delete(keys::grant_by_role(&grant.role, id).as_bytes())?;
    bump_version(tx)?;
    Ok(grant)
}

/// Installs the built-in roles: `admin` (every permission), and the three roles of separation
/// of duties, `sys_admin`, `sec_admin` and `auditor`. All four are installed whatever the
/// option, so that it can be switched later; `separation_of_duties` says which the office
/// starts with and decides only the descriptions' wording.
pub(crate) fn install_builtin_roles(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    separation_of_duties: bool,
) -> OaResult<()> {
    let admin_note = if separation_of_duties {
        "every permission; not grantable while separation of duties (三员分立) is on"
    } else {
        "every permission"
    };
    let roles = [
        (super::model::ROLE_ADMIN, "Administrator", admin_note),
        (
            super::model::ROLE_SYS_ADMIN,
            "System administrator (系统管理员)",
            "every system permission: organisation and parameters",
        ),
        (
            super::model::ROLE_SEC_ADMIN,
            "Security administrator (安全管理员)",
            "every security permission: roles, grants, passwords and sessions",
        ),
        (ROLE_AUDITOR, "Security auditor (安全审计员)", "every audit permission: reading and verifying the audit log"),
    ];
    for (code, name, description) in roles {
        let permissions = builtin_permissions(code).unwrap_or_default().into_iter().map(str::to_string).collect();
        let role = Role {
            code: code.to_string(),
            name: name.to_string(),
            description: description.to_string(),
            permissions,
            inherits: Vec::new(),
            data_scope: DataScope::All,
            builtin: true,
            created_at: now,
            updated_at: now,
        };
        db::put(tx, keys::role(code).as_bytes(), &role)?;
    }
    bump_version(tx)
}

/// Grants a built-in role without a permission check; part of initialising an office. The
/// caller keeps separation of duties (it grants `admin`, or the three roles to three people).
pub(crate) fn grant_builtin(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    person: PersonId,
    role_code: &str,
) -> OaResult<()> {
    let role = require_role(tx.as_read(), role_code)?;
    if !role.builtin {
        return Err(OaError::Internal(format!("`{role_code}` is not a built-in role")));
    }
    let id = GrantId(crate::id::IdGen::default().next(now));
    grant(tx, now, id, NewGrant { person, role: role.code, limit_to_dept: None }, None, false)?;
    Ok(())
}

/// Fails with a validation error naming the people who hold two of `sys_admin`, `sec_admin` and
/// `auditor`, or who hold `admin`: separation of duties cannot be turned on while they do.
pub(crate) fn check_separation_of_duties(tx: &mut dyn ReadTxn) -> OaResult<()> {
    let graph = RoleGraph::load(tx, true)?;
    let mut by_person: BTreeMap<PersonId, u8> = BTreeMap::new();
    for g in all_grants(tx)? {
        if let Some(c) = graph.closure(&g.role) {
            *by_person.entry(g.person).or_default() |= c.held;
        }
    }
    let mut offenders: Vec<(String, String)> = Vec::new();
    for (person, bits) in by_person {
        let reason = if bits & held::ADMIN != 0 {
            "holds `admin`".to_string()
        } else if (bits & held::SOD).count_ones() > 1 {
            format!("holds {}", quote_list(&held::codes(bits & held::SOD)))
        } else {
            continue;
        };
        let label = person_label(tx, person)?;
        offenders.push((label, reason));
    }
    if offenders.is_empty() {
        return Ok(());
    }
    offenders.sort();
    let mut problems = Problems::new();
    for (label, reason) in offenders {
        problems.add(
            "security.separation_of_duties",
            format!("`{label}` {reason}; separation of duties needs `admin` revoked and at most one of `sys_admin`, `sec_admin` and `auditor` per person"),
        );
    }
    problems.finish()
}
