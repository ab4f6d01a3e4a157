//! A data scope as plain data, for list queries: which records of which departments and owners
//! a person may see or act on for one permission.

use serde::{Deserialize, Serialize};

use crate::org::{DeptId, OrgTree, PersonId};

/// Records of one person inside one department subtree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerWithin {
    /// The owner of the records.
    pub person: PersonId,
    /// The root of the department subtree the records must lie in.
    pub subtree: DeptId,
}

/// The reach of one permission for one person, as a filter for list queries.
///
/// A record owned by department `D` and person `P` is covered when any part matches: `all`; `D`
/// lies in one of `subtrees`; `D` is one of `depts`; `P` is one of `persons`; or `P` and a
/// subtree containing `D` are one of `persons_within`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScopeFilter {
    /// Every record is covered.
    pub all: bool,
    /// Records of these departments and of every department below them.
    #[serde(default)]
    pub subtrees: Vec<DeptId>,
    /// Records of exactly these departments (not those below them).
    #[serde(default)]
    pub depts: Vec<DeptId>,
    /// Records owned by these people, whatever their department ("self only").
    #[serde(default)]
    pub persons: Vec<PersonId>,
    /// Records owned by a person inside a department subtree ("self only" under a grant
    /// limited to a subtree).
    #[serde(default)]
    pub persons_within: Vec<OwnerWithin>,
}

impl ScopeFilter {
    /// A filter that covers every record.
    pub fn everything() -> Self {
        ScopeFilter { all: true, ..Self::default() }
    }

    /// Whether the filter covers no record at all.
    pub fn is_empty(&self) -> bool {
        !self.all
            && self.subtrees.is_empty()
            && self.depts.is_empty()
            && self.persons.is_empty()
            && self.persons_within.is_empty()
    }

    /// Whether a record owned by department `dept` and person `owner` is covered, with `tree`
    /// the department tree the filter was made against.
    pub fn covers(&self, tree: &OrgTree, dept: Option<DeptId>, owner: Option<PersonId>) -> bool {
        if self.all {
            return true;
        }
        if let Some(o) = owner {
            if self.persons.contains(&o) {
                return true;
            }
        }
        let Some(d) = dept else { return false };
        self.depts.contains(&d)
            || self.subtrees.iter().any(|r| tree.is_within(d, *r))
            || self.persons_within.iter().any(|w| Some(w.person) == owner && tree.is_within(d, w.subtree))
    }

    /// Every department whose records are covered whoever owns them, in the tree's pre-order
    /// (every department of `tree` when `all`). Records covered only through their owner
    /// (`persons`, `persons_within`) are not reflected: a list query adds "or owned by" them.
    pub fn departments(&self, tree: &OrgTree) -> Vec<DeptId> {
        let mut out: Vec<DeptId> = if self.all {
            tree.roots().iter().flat_map(|r| tree.subtree(*r)).collect()
        } else {
            let mut v: Vec<DeptId> = self.subtrees.iter().flat_map(|r| tree.subtree(*r)).collect();
            v.extend(self.depts.iter().filter(|d| tree.contains(**d)).copied());
            v
        };
        out.sort_by_key(|d| tree.position(*d));
        out.dedup();
        out
    }
}
