//! Process definitions (流程定义): versioned graphs of approval, copy, gateway and end nodes over
//! an administrator-defined form, checked completely when they are published.
//!
//! A definition has a key, a version, a name, a category, the form it fills in (key and pinned
//! version) and a [`ProcessGraph`]: a start node, approval nodes (审批), copy nodes (抄送),
//! exclusive gateways (条件分支) with conditions in the workflow's expression language
//! ([`crate::workflow::expr`]) and a default branch, parallel splits (并行分支) with their joins,
//! and end nodes. Each node names the nodes it leads to, so a node's outgoing flows are at
//! hand. Each approval node carries its settings ([`ApprovalSettings`], after yudao's per-node
//! checklist): who approves, how several decide, what happens when nobody is found or when the
//! approver is the initiator or approved before, where it may return the instance to (退回),
//! which form fields its approvers see and change, its deadline in working time, and the
//! document number it assigns.
//!
//! A definition can be given as a graph ([`crate::Oa::publish_process`]), as a DingTalk-style
//! nested node tree in JSON ([`dingtalk`], [`crate::Oa::publish_process_json`]) or as BPMN 2.0
//! XML ([`bpmn`], [`crate::Oa::import_bpmn`]). [`CompiledProcess`] is a definition checked and
//! compiled against its form, for the runtime to walk.
//!
//! # Keys
//!
//! | key | value |
//! | --- | --- |
//! | `wf.def/<key>/<version u32>` | the [`ProcessDefinition`] at that version |
//! | `wf.deflatest/<key>` | the latest version number |
//!
//! # What publishing checks
//!
//! Every problem is reported at once, each with a path naming its node: `nodes[approve_mgr].approvers.role`,
//! `nodes[branch_1].branches[0].condition`, `nodes[3].id` for a node whose id is unusable.
//!
//! - The key (1 to 64 ASCII letters, digits, `_`, `-`), the name, the category, and the form
//!   (it exists, at the version given).
//! - Structure: node ids well-formed and unique; exactly one start node and at least one end
//!   node; every flow leads to a node of the process, never back to the start; an exclusive
//!   gateway has at least two branches, exactly one of them the default, which has no
//!   condition while every other branch has one; a parallel split has at least two distinct
//!   branches; no loops; every node is reachable from the start and reaches an end.
//! - Parallel nesting: every split has exactly one join; every branch of a split reaches its
//!   join, and reaches nothing else that joins first (a node other than a join is reached
//!   from one and the same set of parallel branches by every flow into it, so two branches
//!   meet only at their join, an inner split is joined before an outer one, and an end node is
//!   never inside a parallel branch). Exclusive branches may meet anywhere: their merge is just
//!   a node with several flows into it.
//! - Conditions parse and type-check against the form's fields and the initiator's attributes
//!   ([`type_env`]); a condition naming a field the form does not have is refused.
//! - Approval settings: named people exist and are active (stored by id); roles exist; a form
//!   field approver is a person field; levels are 1 to 20; `single` only for approvers who are
//!   one person; `ratio` with a `pass_percent` of 1 to 100, and a `pass_percent` only with
//!   `ratio`; field permissions name fields of the form and make no total editable; a deadline
//!   is at least one unit, and repeats only when it reminds; a numbering rule exists and writes
//!   into a text field; the nodes it may return to come before it. Copy nodes: recipients as
//!   approvers, and no editable field.
//!
//! # Decisions
//!
//! - **No loops.** An approval process is a directed acyclic graph: going back is a return
//!   (退回), which the runtime performs along the nodes the definition allows, never a flow
//!   drawn back. This keeps every instance finite, makes "reaches an end" and the pairing of
//!   splits and joins decidable by simple walks, and lets a designer's mistake be named by node.
//! - **Versions.** Publishing writes the next version only when the definition differs from the
//!   latest (name, category, form version or graph); the same definition again changes nothing.
//!   Versions are never changed or deleted, so a running instance keeps its version.
//!   [`compatible_nodes`] tells the runtime where an instance may move to a new version.
//! - **The form version is pinned** when publishing; a new form version needs a new process
//!   version (which is checked against it).
//! - **Returns** (退回) go to the start node or to approval nodes before the returning node, and
//!   never into a parallel branch the returning node is not inside (a node after a join cannot
//!   reopen one branch).
//! - **Roles are checked** at publish by reading the role record (the permissions module has no
//!   lookup for other modules yet). A role deleted later gives an empty approver set at run
//!   time, handled by the node's `when_empty`.
//! - **Permissions.** Designing processes is the administrator's work, like defining forms:
//!   `workflow.process.publish` (publish, import, validate) and `workflow.process.read` (read
//!   the designs) are in the system category (系统管理员). Starting an instance and seeing the
//!   processes one may start belong to the runtime and need neither.

pub mod bpmn;
mod check;
mod compiled;
pub mod dingtalk;
mod graph;
mod model;
mod ops;
mod store;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use bpmn::{parse_bpmn, BpmnProcess, MAX_BPMN_BYTES};
pub use check::{type_env, MAX_DURATION_AMOUNT, MAX_LEVELS, MAX_PEOPLE, MAX_REMINDERS};
pub use compiled::{compatible_nodes, BranchChoice, CompiledProcess};
pub use dingtalk::{parse_process_json, to_graph, DingTalkBranch, DingTalkNode, DingTalkProcess, DingTalkType};
pub use graph::{is_node_id, MAX_BRANCHES, MAX_NODES, MAX_NODE_ID_LEN, MAX_NODE_NAME_LEN};
pub use model::{
    ApprovalNode, ApprovalSettings, ApproveMethod, Approvers, AssignNumber, Branch, CcNode, CcSettings, Deadline,
    NewProcess, Node, NodeKind, ProcessDefinition, ProcessGraph, ProcessVersion, Reminders, Resubmit, ReturnPolicy,
    ReturnTo, SameApprover, TimeoutAction, WhenEmpty,
};
pub use store::{is_process_key, MAX_CATEGORY_LEN, MAX_PROCESS_KEY_LEN, MAX_PROCESS_NAME_LEN};

// What the workflow runtime calls from inside its own transactions.
#[allow(unused_imports)]
pub(crate) use store::{
    check_process, load_compiled, load_process, process_versions, publish, require_process, CompiledCache,
};

use crate::perm::catalogue::{PermCategory, PermissionDef};

/// The permission to publish, import and validate process definitions.
pub(crate) const PROCESS_PUBLISH: &str = "workflow.process.publish";
/// The permission to read process definitions.
pub(crate) const PROCESS_READ: &str = "workflow.process.read";

/// The permissions this module checks, for the catalogue.
pub const PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        name: PROCESS_PUBLISH,
        description: "publish, import and check process definitions",
        category: PermCategory::System,
    },
    PermissionDef { name: PROCESS_READ, description: "see process definitions", category: PermCategory::System },
];

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[
    "publish_process",
    "publish_process_json",
    "import_bpmn",
    "get_process",
    "list_processes",
    "process_versions",
    "validate_process",
];
