//! The records of permissions: roles, grants and data scopes, and where they are kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::catalogue::PermCategory;
use crate::codec::Record;
use crate::id::typed_id;
use crate::keys::KeyBuf;
use crate::org::{DeptId, PersonId};

typed_id!(
    /// The id of a grant.
    GrantId,
    "grant"
);

/// The built-in role holding every permission of the catalogue, used when separation of duties
/// is off.
pub const ROLE_ADMIN: &str = "admin";
/// The built-in system administrator (系统管理员): every system permission.
pub const ROLE_SYS_ADMIN: &str = "sys_admin";
/// The built-in security administrator (安全管理员): every security permission.
pub const ROLE_SEC_ADMIN: &str = "sec_admin";
/// The built-in security auditor (安全审计员): every audit permission.
pub const ROLE_AUDITOR: &str = "auditor";
/// The three roles of separation of duties (三员分立).
pub const SOD_ROLES: [&str; 3] = [ROLE_SYS_ADMIN, ROLE_SEC_ADMIN, ROLE_AUDITOR];

/// Which records a role's permissions reach (数据权限).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DataScope {
    /// Every record (全部数据).
    All,
    /// Records of the chosen departments only, not of the departments below them (自定义).
    Depts {
        /// The chosen departments.
        depts: Vec<DeptId>,
    },
    /// Records of the holder's own departments: the main one and those of part-time posts
    /// (本部门).
    OwnDept,
    /// Records of the holder's own departments and every department below them (本部门及以下).
    OwnDeptAndBelow,
    /// Only records the holder owns (仅本人).
    SelfOnly,
}

/// A role (角色): a set of permissions, possibly inheriting other roles' permissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// The role's code: unique, `[a-z0-9_]`, 1 to 64 characters.
    pub code: String,
    /// Its name (1 to 100 characters).
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// The permissions it holds itself (catalogue names). For a built-in role they follow the
    /// catalogue, so a release that adds permissions gives them to the built-in roles.
    pub permissions: Vec<String>,
    /// The codes of the roles whose permissions it inherits.
    #[serde(default)]
    pub inherits: Vec<String>,
    /// Which records its permissions reach.
    pub data_scope: DataScope,
    /// Whether it is built in: a built-in role cannot be deleted and its permissions cannot be
    /// edited.
    #[serde(default)]
    pub builtin: bool,
    /// When it was created.
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(with = "crate::codec::instant")]
    pub updated_at: DateTime<Utc>,
}

impl Record for Role {
    const KIND: &'static str = "role";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// A new role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRole {
    /// The code: unique, `[a-z0-9_]`, 1 to 64 characters.
    pub code: String,
    /// The name (1 to 100 characters).
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// The permissions it holds (catalogue names).
    #[serde(default)]
    pub permissions: Vec<String>,
    /// The codes of the roles it inherits.
    #[serde(default)]
    pub inherits: Vec<String>,
    /// Which records its permissions reach.
    pub data_scope: DataScope,
}

/// A change to a role; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolePatch {
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new description.
    #[serde(default)]
    pub description: Option<String>,
    /// A new set of permissions (not for a built-in role).
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
    /// A new set of inherited roles (not for a built-in role).
    #[serde(default)]
    pub inherits: Option<Vec<String>>,
    /// A new data scope.
    #[serde(default)]
    pub data_scope: Option<DataScope>,
}

/// A grant (授权): a role given to a person, optionally only inside a department subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The grant's id.
    pub id: GrantId,
    /// Who holds the role.
    pub person: PersonId,
    /// The role's code.
    pub role: String,
    /// When set, the role reaches only records of this department and those below it.
    #[serde(default)]
    pub limit_to_dept: Option<DeptId>,
    /// When it was granted.
    #[serde(with = "crate::codec::instant")]
    pub granted_at: DateTime<Utc>,
    /// Who granted it (`None` while initialising the office).
    #[serde(default)]
    pub granted_by: Option<PersonId>,
}

impl Record for Grant {
    const KIND: &'static str = "grant";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// A new grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewGrant {
    /// Who gets the role.
    pub person: PersonId,
    /// The role's code.
    pub role: String,
    /// When set, the role reaches only records of this department and those below it.
    #[serde(default)]
    pub limit_to_dept: Option<DeptId>,
}

/// A permission of the catalogue, as [`crate::Oa::list_permissions`] shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionInfo {
    /// `module.resource.action`.
    pub name: String,
    /// What it allows.
    pub description: String,
    /// Its family, for separation of duties.
    pub category: PermCategory,
}

/// The permission version: a counter that every change bumps, with a random stamp so that a
/// version seen inside a transaction that later rolled back is never mistaken for a committed
/// one with the same count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(crate) struct Version {
    pub(crate) counter: u64,
    pub(crate) stamp: u64,
}

impl Version {
    pub(crate) fn to_bytes(self) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&self.counter.to_be_bytes());
        out[8..].copy_from_slice(&self.stamp.to_be_bytes());
        out
    }

    pub(crate) fn from_bytes(raw: &[u8]) -> Option<Version> {
        let (c, s) = raw.split_first_chunk::<8>()?;
        let s: [u8; 8] = s.try_into().ok()?;
        Some(Version { counter: u64::from_be_bytes(*c), stamp: u64::from_be_bytes(s) })
    }
}

/// Key spaces of permissions. Every index is written in the transaction of its record.
pub(crate) mod keys {
    use super::*;

    /// `perm.version` → [`Version`] (16 raw bytes).
    pub(crate) fn version() -> KeyBuf {
        KeyBuf::new("perm.version")
    }
    /// `perm.role/<code>` → [`Role`].
    pub(crate) fn role(code: &str) -> KeyBuf {
        KeyBuf::new("perm.role").str(code)
    }
    /// Prefix of every role record.
    pub(crate) fn all_roles() -> KeyBuf {
        KeyBuf::new("perm.role")
    }
    /// `perm.grant/<grant>` → [`Grant`].
    pub(crate) fn grant(id: GrantId) -> KeyBuf {
        KeyBuf::new("perm.grant").id(id.0)
    }
    /// Prefix of every grant record.
    pub(crate) fn all_grants() -> KeyBuf {
        KeyBuf::new("perm.grant")
    }
    /// `perm.gp/<person>/<grant>` → empty: the grants of a person.
    pub(crate) fn grant_by_person(person: PersonId, id: GrantId) -> KeyBuf {
        grants_of_person(person).id(id.0)
    }
    /// Prefix of the grants of `person`.
    pub(crate) fn grants_of_person(person: PersonId) -> KeyBuf {
        KeyBuf::new("perm.gp").id(person.0)
    }
    /// `perm.gr/<role>/<grant>` → empty: the grants of a role.
    pub(crate) fn grant_by_role(role: &str, id: GrantId) -> KeyBuf {
        grants_of_role(role).id(id.0)
    }
    /// Prefix of the grants of `role`.
    pub(crate) fn grants_of_role(role: &str) -> KeyBuf {
        KeyBuf::new("perm.gr").str(role)
    }
}
