//! Permissions (`module.resource.action`), roles that inherit roles, grants scoped to a
//! department subtree, data scopes, and separation of duties (三员分立).
//!
//! A check is hot: each person's grants compile once into a [`Principal`] (a hash lookup per
//! permission), cached behind a version counter that every change to roles, grants, people or
//! the department tree bumps in its own transaction.

pub mod catalogue;

use std::sync::Arc;

use oa_storage::{ReadTxn, WriteTxn};

use crate::org::{DeptId, PersonId};
use crate::OaResult;

/// A person's compiled permissions.
#[derive(Debug)]
pub struct Principal {
    /// Whose permissions these are.
    pub person: PersonId,
}

impl Principal {
    /// Whether the person holds `permission` in any scope.
    pub fn allows(&self, permission: &str) -> bool {
        let _ = permission;
        todo!("Principal::allows")
    }

    /// Whether the person holds `permission` on a record owned by `dept` and `owner`.
    pub fn allows_on(&self, permission: &str, dept: Option<DeptId>, owner: Option<PersonId>) -> bool {
        let _ = (permission, dept, owner);
        todo!("Principal::allows_on")
    }

    /// `Ok` when [`Principal::allows`], otherwise `permission_denied`.
    pub fn require(&self, permission: &'static str) -> OaResult<()> {
        let _ = permission;
        todo!("Principal::require")
    }

    /// `Ok` when [`Principal::allows_on`], otherwise `permission_denied` saying the target is
    /// outside the scope.
    pub fn require_on(&self, permission: &'static str, dept: Option<DeptId>, owner: Option<PersonId>) -> OaResult<()> {
        let _ = (permission, dept, owner);
        todo!("Principal::require_on")
    }
}

/// Compiled principals by person, valid while the permission version is unchanged.
#[derive(Debug, Default)]
pub(crate) struct PrincipalCache {}

impl PrincipalCache {
    /// The compiled principal of `person`, from the cache when still current.
    pub(crate) fn principal(&self, tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<Arc<Principal>> {
        let _ = (tx, person);
        todo!("PrincipalCache::principal")
    }
}

/// Marks every compiled principal stale; called in the transaction of any change to roles,
/// grants, people's departments or status, the department tree, or separation of duties.
pub(crate) fn bump_version(tx: &mut dyn WriteTxn) -> OaResult<()> {
    let _ = tx;
    todo!("perm::bump_version")
}

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[];
