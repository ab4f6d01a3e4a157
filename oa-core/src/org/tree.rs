//! An in-memory snapshot of the department tree: parents, ordered children and pre-order
//! intervals, so that "is D inside the subtree of R" is two integer comparisons.

use std::collections::HashMap;

use oa_storage::{Direction, KeyRange, ReadTxn};

use super::model::{keys, Department, DeptId};
use crate::codec;
use crate::OaResult;

/// A snapshot of the department tree.
#[derive(Debug, Clone, Default)]
pub struct OrgTree {
    nodes: HashMap<DeptId, Node>,
    roots: Vec<DeptId>,
}

#[derive(Debug, Clone)]
struct Node {
    parent: Option<DeptId>,
    children: Vec<DeptId>,
    /// Pre-order number of this node.
    enter: u32,
    /// Largest pre-order number inside this node's subtree.
    exit: u32,
    depth: u32,
}

impl OrgTree {
    /// Loads every department of the office.
    pub(crate) fn load(tx: &mut dyn ReadTxn) -> OaResult<OrgTree> {
        let prefix = keys::all_depts();
        let entries = tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)?;
        let mut depts = Vec::with_capacity(entries.len());
        for (_, v) in entries {
            depts.push(codec::decode::<Department>(&v)?);
        }
        Ok(Self::build(&depts))
    }

    /// Builds the tree from departments in any order. Children are ordered by `sort_order`
    /// then name. A department whose parent is missing is treated as a root.
    pub fn build(depts: &[Department]) -> OrgTree {
        let mut nodes: HashMap<DeptId, Node> = depts
            .iter()
            .map(|d| (d.id, Node { parent: d.parent, children: Vec::new(), enter: 0, exit: 0, depth: 0 }))
            .collect();
        let mut sorted: Vec<&Department> = depts.iter().collect();
        sorted.sort_by(|a, b| a.sort_order.cmp(&b.sort_order).then_with(|| a.name.cmp(&b.name)).then(a.id.cmp(&b.id)));
        let mut roots = Vec::new();
        for d in sorted {
            match d.parent.filter(|p| nodes.contains_key(p)) {
                Some(p) => {
                    if let Some(n) = nodes.get_mut(&p) {
                        n.children.push(d.id);
                    }
                }
                None => roots.push(d.id),
            }
        }
        let mut tree = OrgTree { nodes, roots };
        let mut counter = 0u32;
        let roots = tree.roots.clone();
        for r in roots {
            tree.number(r, 0, &mut counter);
        }
        tree
    }

    fn number(&mut self, root: DeptId, depth: u32, counter: &mut u32) {
        // Iterative pre-order walk: a deep tree must not overflow the stack.
        let mut stack = vec![(root, depth, false)];
        while let Some((id, depth, done)) = stack.pop() {
            if done {
                let exit = counter.saturating_sub(1);
                if let Some(n) = self.nodes.get_mut(&id) {
                    n.exit = exit;
                }
                continue;
            }
            let children = match self.nodes.get_mut(&id) {
                Some(n) => {
                    n.enter = *counter;
                    n.depth = depth;
                    n.children.clone()
                }
                None => continue,
            };
            *counter += 1;
            stack.push((id, depth, true));
            for c in children.into_iter().rev() {
                stack.push((c, depth + 1, false));
            }
        }
    }

    /// Whether `dept` is `root` or lies below it.
    pub fn is_within(&self, dept: DeptId, root: DeptId) -> bool {
        match (self.nodes.get(&dept), self.nodes.get(&root)) {
            (Some(d), Some(r)) => r.enter <= d.enter && d.enter <= r.exit,
            _ => false,
        }
    }

    /// The pre-order interval `[enter, exit]` of `dept`'s subtree.
    pub fn interval(&self, dept: DeptId) -> Option<(u32, u32)> {
        self.nodes.get(&dept).map(|n| (n.enter, n.exit))
    }

    /// The pre-order number of `dept`.
    pub fn position(&self, dept: DeptId) -> Option<u32> {
        self.nodes.get(&dept).map(|n| n.enter)
    }

    /// Whether the department exists in the snapshot.
    pub fn contains(&self, dept: DeptId) -> bool {
        self.nodes.contains_key(&dept)
    }

    /// The parent of `dept`.
    pub fn parent(&self, dept: DeptId) -> Option<DeptId> {
        self.nodes.get(&dept).and_then(|n| n.parent)
    }

    /// The children of `dept`, in order.
    pub fn children(&self, dept: DeptId) -> &[DeptId] {
        self.nodes.get(&dept).map(|n| n.children.as_slice()).unwrap_or(&[])
    }

    /// The roots, in order.
    pub fn roots(&self) -> &[DeptId] {
        &self.roots
    }

    /// The depth of `dept` (a root has depth 0).
    pub fn depth(&self, dept: DeptId) -> Option<u32> {
        self.nodes.get(&dept).map(|n| n.depth)
    }

    /// `dept` and its ancestors, nearest first.
    pub fn ancestors(&self, dept: DeptId) -> Vec<DeptId> {
        let mut out = Vec::new();
        let mut at = Some(dept);
        while let Some(d) = at {
            if !self.nodes.contains_key(&d) || out.contains(&d) {
                break;
            }
            out.push(d);
            at = self.parent(d);
        }
        out
    }

    /// `dept` and every department below it, in pre-order.
    pub fn subtree(&self, dept: DeptId) -> Vec<DeptId> {
        let mut out = Vec::new();
        let mut stack = vec![dept];
        while let Some(d) = stack.pop() {
            if !self.nodes.contains_key(&d) {
                continue;
            }
            out.push(d);
            for c in self.children(d).iter().rev() {
                stack.push(*c);
            }
        }
        out
    }

    /// How many departments the snapshot holds.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the snapshot holds no department.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}
