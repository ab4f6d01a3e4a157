//! The public operations of permissions, as methods of [`Oa`].

use std::collections::BTreeMap;

use super::catalogue;
use super::model::{Grant, GrantId, NewGrant, NewRole, PermissionInfo, Role, RolePatch};
use super::scope::ScopeFilter;
use super::store;
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::org::{DeptId, PersonId};
use crate::{OaError, OaResult};

/// The permission to see roles and grants.
const ROLE_READ: &str = "perm.role.read";
/// The permission to create, change and delete roles.
const ROLE_MANAGE: &str = "perm.role.manage";
/// The permission to grant and revoke roles.
const GRANT_MANAGE: &str = "perm.grant.manage";

/// `permission` when it is in the catalogue, otherwise a validation error naming `field`.
fn known_permission(field: &str, permission: &str) -> OaResult<()> {
    match catalogue::index(permission) {
        Some(_) => Ok(()),
        None => Err(OaError::invalid(field, format!("unknown permission `{permission}`"))),
    }
}

impl Oa {
    /// Every permission of the catalogue, in catalogue order. Needs `perm.role.read`.
    pub fn list_permissions(&self, session: &Session) -> OaResult<Vec<PermissionInfo>> {
        self.query(session, "perm.permission.list", PendingPassword::Refuse, |qx| {
            qx.require(ROLE_READ)?;
            Ok(catalogue::all()
                .map(|d| PermissionInfo {
                    name: d.name.into(),
                    description: d.description.into(),
                    category: d.category,
                })
                .collect())
        })
    }

    /// Creates a role. Needs `perm.role.manage`.
    pub fn create_role(&self, session: &Session, input: NewRole) -> OaResult<Role> {
        self.mutate(session, "perm.role.create", PendingPassword::Refuse, |cx| {
            cx.require(ROLE_MANAGE)?;
            let role = store::create_role(cx.tx, cx.now, input.clone())?;
            let summary = format!("created role `{}` with {} permissions", role.code, role.permissions.len());
            Ok((role.clone(), Change::new(format!("role:{}", role.code), summary)))
        })
    }

    /// Changes a role; a built-in role's permissions and inheritance cannot be changed. Needs
    /// `perm.role.manage`.
    pub fn update_role(&self, session: &Session, code: &str, patch: RolePatch) -> OaResult<Role> {
        self.mutate(session, "perm.role.update", PendingPassword::Refuse, |cx| {
            cx.require(ROLE_MANAGE)?;
            let mut fields = Vec::new();
            for (set, name) in [
                (patch.name.is_some(), "name"),
                (patch.description.is_some(), "description"),
                (patch.permissions.is_some(), "permissions"),
                (patch.inherits.is_some(), "inherits"),
                (patch.data_scope.is_some(), "data scope"),
            ] {
                if set {
                    fields.push(name);
                }
            }
            let sod = crate::admin::params::load(cx.read())?.separation_of_duties;
            let role = store::update_role(cx.tx, cx.now, code, patch.clone(), sod)?;
            let summary = format!("changed role `{}`: {}", role.code, fields.join(", "));
            Ok((role.clone(), Change::new(format!("role:{}", role.code), summary)))
        })
    }

    /// Deletes a role. Refused for a built-in role, and while the role is granted or inherited
    /// by another role (the error says by whom). Needs `perm.role.manage`.
    pub fn delete_role(&self, session: &Session, code: &str) -> OaResult<()> {
        self.mutate(session, "perm.role.delete", PendingPassword::Refuse, |cx| {
            cx.require(ROLE_MANAGE)?;
            let role = store::delete_role(cx.tx, code)?;
            Ok(((), Change::new(format!("role:{}", role.code), format!("deleted role `{}`", role.code))))
        })
    }

    /// The role of `code`. Needs `perm.role.read`.
    pub fn get_role(&self, session: &Session, code: &str) -> OaResult<Role> {
        self.query(session, "perm.role.get", PendingPassword::Refuse, |qx| {
            qx.require(ROLE_READ)?;
            store::require_role(qx.tx, code)
        })
    }

    /// Every role, by code. Needs `perm.role.read`.
    pub fn list_roles(&self, session: &Session) -> OaResult<Vec<Role>> {
        self.query(session, "perm.role.list", PendingPassword::Refuse, |qx| {
            qx.require(ROLE_READ)?;
            store::all_roles(qx.tx)
        })
    }

    /// Grants a role to a person, optionally only inside a department subtree. Needs
    /// `perm.grant.manage` over the person's department. With separation of duties on, a grant
    /// that would break it is refused.
    pub fn grant_role(&self, session: &Session, input: NewGrant) -> OaResult<Grant> {
        self.mutate(session, "perm.grant.create", PendingPassword::Refuse, |cx| {
            cx.require(GRANT_MANAGE)?;
            let person = store::load_person(cx.read(), input.person)?
                .ok_or_else(|| OaError::not_found("person", input.person))?;
            cx.require_on(GRANT_MANAGE, Some(person.dept), Some(person.id))?;
            let sod = crate::admin::params::load(cx.read())?.separation_of_duties;
            let id = GrantId(cx.new_id());
            let by = Some(cx.actor.person);
            let grant = store::grant(cx.tx, cx.now, id, input.clone(), by, sod)?;
            let summary = match grant.limit_to_dept {
                Some(d) => format!("granted `{}` to `{}` limited to department `{d}`", grant.role, person.login),
                None => format!("granted `{}` to `{}`", grant.role, person.login),
            };
            Ok((grant.clone(), Change::new(format!("grant:{}", grant.id), summary)))
        })
    }

    /// Revokes a grant. Needs `perm.grant.manage` over the grantee's department.
    pub fn revoke_grant(&self, session: &Session, grant_id: GrantId) -> OaResult<()> {
        self.mutate(session, "perm.grant.revoke", PendingPassword::Refuse, |cx| {
            cx.require(GRANT_MANAGE)?;
            let grant = store::load_grant(cx.read(), grant_id)?.ok_or_else(|| OaError::not_found("grant", grant_id))?;
            let person = store::load_person(cx.read(), grant.person)?;
            let label = match &person {
                Some(p) => {
                    cx.require_on(GRANT_MANAGE, Some(p.dept), Some(p.id))?;
                    p.login.clone()
                }
                None => grant.person.to_string(),
            };
            store::revoke(cx.tx, grant_id)?;
            let summary = format!("revoked `{}` from `{label}`", grant.role);
            Ok(((), Change::new(format!("grant:{grant_id}"), summary)))
        })
    }

    /// The grants of `person`, or every grant the actor's scope of `perm.role.read` reaches when
    /// `person` is `None`, in creation order. Needs `perm.role.read`.
    pub fn list_grants(&self, session: &Session, person: Option<PersonId>) -> OaResult<Vec<Grant>> {
        self.query(session, "perm.grant.list", PendingPassword::Refuse, |qx| {
            qx.require(ROLE_READ)?;
            match person {
                Some(id) => {
                    let p = store::load_person(qx.tx, id)?.ok_or_else(|| OaError::not_found("person", id))?;
                    qx.require_on(ROLE_READ, Some(p.dept), Some(p.id))?;
                    let mut grants = super::principal::grants_of(qx.tx, id)?;
                    grants.sort_by_key(|g| g.id);
                    Ok(grants)
                }
                None => {
                    let principal = qx.actor.principal.clone();
                    let mut depts: BTreeMap<PersonId, Option<DeptId>> = BTreeMap::new();
                    let mut out = Vec::new();
                    for g in store::all_grants(qx.tx)? {
                        let dept = match depts.get(&g.person) {
                            Some(d) => *d,
                            None => {
                                let d = store::load_person(qx.tx, g.person)?.map(|p| p.dept);
                                depts.insert(g.person, d);
                                d
                            }
                        };
                        if principal.allows_on(ROLE_READ, dept, Some(g.person)) {
                            out.push(g);
                        }
                    }
                    Ok(out)
                }
            }
        })
    }

    /// Whether the actor holds `permission` on a record of department `dept` owned by `owner`
    /// (in any scope when both are `None`). An unknown permission is a validation error.
    pub fn check_permission(
        &self,
        session: &Session,
        permission: &str,
        dept: Option<DeptId>,
        owner: Option<PersonId>,
    ) -> OaResult<bool> {
        self.query(session, "perm.check", PendingPassword::Refuse, |qx| {
            known_permission("permission", permission)?;
            let p = &qx.actor.principal;
            Ok(if dept.is_none() && owner.is_none() {
                p.allows(permission)
            } else {
                p.allows_on(permission, dept, owner)
            })
        })
    }

    /// Whether `person` holds `permission` on a record of department `dept` owned by `owner`
    /// (in any scope when both are `None`): the administrator's view of someone else's
    /// rights. Needs `perm.role.read` over the person. An unknown permission is a validation
    /// error.
    pub fn check_permission_of(
        &self,
        session: &Session,
        person: PersonId,
        permission: &str,
        dept: Option<DeptId>,
        owner: Option<PersonId>,
    ) -> OaResult<bool> {
        self.query(session, "perm.check_of", PendingPassword::Refuse, |qx| {
            known_permission("permission", permission)?;
            let target = store::load_person(qx.tx, person)?.ok_or_else(|| OaError::not_found("person", person))?;
            qx.require_on(ROLE_READ, Some(target.dept), Some(target.id))?;
            let p = qx.oa.principals.principal(qx.tx, person)?;
            Ok(if dept.is_none() && owner.is_none() {
                p.allows(permission)
            } else {
                p.allows_on(permission, dept, owner)
            })
        })
    }

    /// The actor's reach for `permission`, as a filter for list queries. An unknown permission
    /// is a validation error.
    pub fn permission_scope(&self, session: &Session, permission: &str) -> OaResult<ScopeFilter> {
        self.query(session, "perm.scope", PendingPassword::Refuse, |qx| {
            known_permission("permission", permission)?;
            Ok(qx.actor.principal.scope(permission))
        })
    }

    /// Every permission `person` holds now, in catalogue order (separation of duties applied).
    /// The actor's own need no permission; another person's need `perm.role.read` over their
    /// department.
    pub fn effective_permissions(&self, session: &Session, person: PersonId) -> OaResult<Vec<String>> {
        self.query(session, "perm.effective", PendingPassword::Refuse, |qx| {
            if person == qx.actor.person {
                return Ok(qx.actor.principal.permissions());
            }
            qx.require(ROLE_READ)?;
            let p = store::load_person(qx.tx, person)?.ok_or_else(|| OaError::not_found("person", person))?;
            qx.require_on(ROLE_READ, Some(p.dept), Some(p.id))?;
            Ok(qx.oa.principals.principal(qx.tx, person)?.permissions())
        })
    }
}
