//! The organisation: departments (a tree) and people, their posts and reporting lines, and the
//! queries the approval engine needs (subtrees, chains of superiors, heads N levels up).
//!
//! # Keys and indexes
//!
//! | key | value |
//! | --- | --- |
//! | `org.d/<dept>` | the [`Department`] |
//! | `org.p/<person>` | the [`Person`] |
//! | `org.dpath/<dept>` | the department's materialised path: `0x01 <id>` per department from the root down to it |
//! | `org.dname/<parent or root>/<lowercased name>` | department id (names unique among siblings) |
//! | `org.dcode/<lowercased code>` | department id (codes unique in the office) |
//! | `org.login/<lowercased login>` | person id (logins unique, case-insensitive) |
//! | `org.head/<person>/<dept>` | empty: the departments a person heads |
//! | `org.pp/<dept path>/0x00/<0 main, 1 part-time>/<person>` | the person's status byte |
//!
//! The people-by-path index lists a person under their main department and under each
//! part-time post's department. Because a descendant's path starts with its ancestor's, the
//! people of a whole subtree are one prefix scan, paged by cursor; a department's own people
//! are the prefix ending in `0x00`, before its children's (`0x01`). Moving a department
//! rewrites the paths of its subtree and the entries under it (rare). The status byte lets the
//! disable rule count active people and status filters skip rows without reading records.
//!
//! # Rules worth knowing
//!
//! - A department cannot be disabled while active people hold their main post in it or active
//!   child departments remain under it; the error says how many. Part-time posts do not count.
//! - Disabling a person keeps their posts and head roles (a suspension). Marking a person as
//!   left (离职) removes their part-time posts and clears every department head role they
//!   held; their main department, position and superior stay for history, and those who report
//!   to them keep them as superior (the chain shows the status; the workflow decides).
//! - `head_above(person, n)` does not skip departments without a head: it returns `None`.

mod dept;
mod import;
mod integrity;
mod model;
mod person;
mod query;
mod store;
pub(crate) mod tree;
mod validate;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use import::{DEPARTMENTS_FILE, PEOPLE_FILE};
pub use integrity::OrgIndexReport;
pub use model::*;
pub use tree::OrgTree;

#[allow(unused_imports)]
pub(crate) use integrity::{check_indexes, rebuild_indexes};
// The queries the approval engine and the other modules use without a session.
#[allow(unused_imports)]
pub(crate) use query::{
    active_member_ids, departments_in_tree_order, dept_above, head_above, is_within, people_page, subtree, superiors,
};
#[allow(unused_imports)]
pub(crate) use store::{
    find_dept_id_by_code, find_person_id_by_login, insert_department, insert_person, load_department, load_person,
    load_person_head, PersonHead,
};

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[
    "create_department",
    "rename_department",
    "move_department",
    "reorder_department",
    "set_department_head",
    "disable_department",
    "enable_department",
    "get_department",
    "find_department_by_code",
    "list_departments",
    "department_children",
    "department_subtree",
    "create_person",
    "update_person",
    "transfer_person",
    "disable_person",
    "enable_person",
    "mark_person_left",
    "add_post",
    "remove_post",
    "get_person",
    "find_person_by_login",
    "list_people",
    "superiors_of",
    "head_above",
    "import_org_csv",
];
