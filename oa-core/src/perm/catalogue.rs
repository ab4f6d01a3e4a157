//! The catalogue of permissions: every permission the core checks, declared once. Later modules
//! add their own lists here; a name not in the catalogue is an error wherever it is given.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use rustc_hash::FxHashMap;

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
    p("admin.calendar.read", "see the working calendar and its holidays", System),
    p("admin.calendar.update", "change the working calendar and its holidays", System),
    p("admin.numbering.read", "see numbering rules and issued numbers", System),
    p("admin.numbering.manage", "create and change numbering rules", System),
    // Issuing a document number is a clerk's job (文书/机要), not a system administrator's, so
    // under separation of duties (三员分立) it must be granted through a business role.
    p("admin.numbering.issue", "issue document numbers by hand", Business),
    p("auth.password.reset", "reset another person's password", Security),
    p("auth.session.read", "list another person's sessions", Security),
    p("auth.session.revoke", "revoke another person's sessions", Security),
    p("perm.role.read", "see roles and grants", Security),
    p("perm.role.manage", "create, change and delete roles", Security),
    p("perm.grant.manage", "grant and revoke roles", Security),
    p("audit.log.read", "read the audit log", Audit),
    p("audit.log.verify", "verify the audit log's hash chain", Audit),
];

/// Permissions used only by the unit tests of the core, so that business-category rules
/// (separation of duties) can be tested before the business modules land.
#[cfg(test)]
pub const TEST_BUSINESS: &[PermissionDef] = &[
    p("demo.record.read", "see demo records (tests only)", Business),
    p("demo.record.approve", "approve demo records (tests only)", Business),
];

/// Every list of the catalogue. A module that adds permissions adds its list here.
#[cfg(not(test))]
const LISTS: &[&[PermissionDef]] = &[
    FOUNDATION,
    crate::form::PERMISSIONS,
    crate::workflow::definition::PERMISSIONS,
    crate::workflow::runtime::PERMISSIONS,
];
#[cfg(test)]
const LISTS: &[&[PermissionDef]] = &[
    FOUNDATION,
    crate::form::PERMISSIONS,
    crate::workflow::definition::PERMISSIONS,
    crate::workflow::runtime::PERMISSIONS,
    TEST_BUSINESS,
];

/// Every permission oa knows, in catalogue order.
pub fn all() -> impl Iterator<Item = &'static PermissionDef> {
    LISTS.iter().flat_map(|list| list.iter())
}

/// The declaration of `name`, if it is in the catalogue.
pub fn find(name: &str) -> Option<&'static PermissionDef> {
    index(name).map(|i| interned().defs[i])
}

/// The dense number of a permission: its place in catalogue order.
pub(crate) type PermIndex = usize;

struct Interned {
    defs: Vec<&'static PermissionDef>,
    by_name: FxHashMap<&'static str, PermIndex>,
}

fn interned() -> &'static Interned {
    static INTERNED: OnceLock<Interned> = OnceLock::new();
    INTERNED.get_or_init(|| {
        let defs: Vec<&'static PermissionDef> = all().collect();
        let mut by_name = FxHashMap::with_capacity_and_hasher(defs.len(), Default::default());
        for (i, d) in defs.iter().enumerate() {
            // A name declared twice keeps its first place; the catalogue test refuses duplicates.
            by_name.entry(d.name).or_insert(i);
        }
        Interned { defs, by_name }
    })
}

/// The dense number of `name`, if it is in the catalogue: one hash of the name.
#[inline]
pub(crate) fn index(name: &str) -> Option<PermIndex> {
    interned().by_name.get(name).copied()
}

/// The declaration at dense number `i`.
pub(crate) fn def(i: PermIndex) -> Option<&'static PermissionDef> {
    interned().defs.get(i).copied()
}

/// How many permissions the catalogue holds.
pub(crate) fn len() -> usize {
    interned().defs.len()
}

/// Whether `name` has the `module.resource.action` shape: dot-separated words of `[a-z0-9_]`,
/// two (`module.action`, for a module-wide action such as `org.import`) to four of them.
pub fn is_well_formed(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    (2..=4).contains(&parts.len())
        && parts
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for d in all() {
            assert!(is_well_formed(d.name), "{} is module.resource.action", d.name);
            assert!(seen.insert(d.name), "{} is declared once", d.name);
        }
        assert_eq!(seen.len(), len());
    }

    #[test]
    fn lookups_agree() {
        for (i, d) in all().enumerate() {
            assert_eq!(index(d.name), Some(i));
            assert_eq!(def(i).map(|x| x.name), Some(d.name));
            assert_eq!(find(d.name), Some(d));
        }
        assert_eq!(index("org.dept.nuke"), None);
        assert!(find("").is_none());
    }
}
