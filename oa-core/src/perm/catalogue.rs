//! The catalogue of permissions: every permission the core checks, declared once. Later modules
//! add their own lists here; a name not in the catalogue is an error wherever it is given.

use serde::{Deserialize, Serialize};

/// Which family a permission belongs to, for separation of duties (三员分立).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PermCategory {
    /// Running the system: organisation, parameters (系统管理员).
    System,
    /// Security: roles, grants, passwords, sessions (安全管理员).
    Security,
    /// Reading and verifying the audit log (安全审计员).
    Audit,
    /// Business data: workflow, contracts, projects.
    Business,
}

/// A declared permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionDef {
    /// `module.resource.action`.
    pub name: &'static str,
    /// What it allows.
    pub description: &'static str,
    /// Its family.
    pub category: PermCategory,
}

const fn p(name: &'static str, description: &'static str, category: PermCategory) -> PermissionDef {
    PermissionDef { name, description, category }
}

use PermCategory::*;

/// The permissions of the foundation modules.
pub const FOUNDATION: &[PermissionDef] = &[
    p("org.dept.read", "see departments", System),
    p("org.dept.create", "create departments", System),
    p("org.dept.update", "rename, move, reorder departments and set their heads", System),
    p("org.dept.disable", "disable and enable departments", System),
    p("org.person.read", "see people", System),
    p("org.person.create", "create people", System),
    p("org.person.update", "change people's details, posts and superiors", System),
    p("org.person.transfer", "move people between departments", System),
    p("org.person.disable", "disable people and mark them as left", System),
    p("org.import", "import departments and people from CSV", System),
    p("admin.param.read", "read parameters", System),
    p("admin.param.update", "change parameters", System),
    p("auth.password.reset", "reset another person's password", Security),
    p("auth.session.read", "list another person's sessions", Security),
    p("auth.session.revoke", "revoke another person's sessions", Security),
    p("perm.role.read", "see roles and grants", Security),
    p("perm.role.manage", "create, change and delete roles", Security),
    p("perm.grant.manage", "grant and revoke roles", Security),
    p("audit.log.read", "read the audit log", Audit),
    p("audit.log.verify", "verify the audit log's hash chain", Audit),
];

/// Every permission oa knows, in catalogue order.
pub fn all() -> impl Iterator<Item = &'static PermissionDef> {
    FOUNDATION.iter()
}

/// The declaration of `name`, if it is in the catalogue.
pub fn find(name: &str) -> Option<&'static PermissionDef> {
    all().find(|d| d.name == name)
}
