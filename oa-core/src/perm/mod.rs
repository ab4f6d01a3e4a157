//! Permissions (`module.resource.action`), roles that inherit roles, grants scoped to a
//! department subtree, data scopes, and separation of duties (三员分立).
//!
//! A check is hot: each person's grants compile once into a [`Principal`] (permission name →
//! reach over pre-order intervals of the department tree), cached behind a version counter that
//! every change to roles, grants, people or the department tree bumps in its own transaction
//! (`bump_version`).
//!
//! Semantics: a person's reach for permission X is the union, over their grants whose role
//! (transitively) includes X, of the granted role's data scope intersected with the grant's
//! subtree limit. "Own department" means the main department and those of part-time posts. With
//! separation of duties on, the holders of `sys_admin`, `sec_admin` or `auditor` get no business
//! permission, and audit permissions count only through `auditor`.

pub mod catalogue;
mod graph;
mod model;
mod ops;
mod principal;
mod scope;
mod store;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod ops_tests;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use chrono::{DateTime, Utc};
use oa_storage::{ReadTxn, WriteTxn};

use crate::org::PersonId;
use crate::OaResult;

pub use model::{
    DataScope, Grant, GrantId, NewGrant, NewRole, PermissionInfo, Role, RolePatch, ROLE_ADMIN, ROLE_AUDITOR,
    ROLE_SEC_ADMIN, ROLE_SYS_ADMIN, SOD_ROLES,
};
pub use principal::Principal;
pub(crate) use principal::{bump_version, grants_of, PrincipalCache, VersionCache};
pub use scope::{OwnerWithin, ScopeFilter};
pub(crate) use store::{grants_of_role, load_role};
pub use store::{MAX_CODE_LEN, MAX_DESCRIPTION_LEN, MAX_NAME_LEN};

/// Installs the built-in roles (`admin`, `sys_admin`, `sec_admin`, `auditor`); part of
/// initialising an office. All four are installed whatever the option so it can be switched
/// later.
pub(crate) fn install_builtin_roles(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    separation_of_duties: bool,
) -> OaResult<()> {
    store::install_builtin_roles(tx, now, separation_of_duties)
}

/// Grants a built-in role without a permission or separation-of-duties check; part of
/// initialising an office.
pub(crate) fn grant_builtin(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    person: PersonId,
    role_code: &str,
) -> OaResult<()> {
    store::grant_builtin(tx, now, person, role_code)
}

/// Fails with a validation error (field `security.separation_of_duties`) naming the people who
/// hold two of `sys_admin`, `sec_admin` and `auditor`, or who hold `admin`; the parameters call it
/// before turning separation of duties on (and then call [`bump_version`]).
pub(crate) fn check_separation_of_duties(tx: &mut dyn ReadTxn) -> OaResult<()> {
    store::check_separation_of_duties(tx)
}

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[
    "list_permissions",
    "create_role",
    "update_role",
    "delete_role",
    "get_role",
    "list_roles",
    "grant_role",
    "revoke_grant",
    "list_grants",
    "check_permission",
    "check_permission_of",
    "permission_scope",
    "effective_permissions",
];
