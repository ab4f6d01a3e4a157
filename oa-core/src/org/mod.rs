//! The organisation: departments (a tree) and people, their posts and reporting lines, and the
//! queries the approval engine needs (subtrees, chains of superiors, heads N levels up).

mod model;
pub(crate) mod tree;

pub use model::*;
pub use tree::OrgTree;

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[];
