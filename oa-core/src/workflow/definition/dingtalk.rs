//! Definitions written as a DingTalk-style nested node tree (the shape of the DingTalk and
//! yudao "simple" designers), and their conversion to a [`ProcessGraph`].
//!
//! # The document
//!
//! ```json
//! {
//!   "key": "purchase",
//!   "name": "采购申请",
//!   "category": "财务",
//!   "formKey": "purchase",
//!   "formVersion": 2,
//!   "process": {
//!     "nodeId": "start", "type": "start", "name": "发起人",
//!     "childNode": {
//!       "nodeId": "approve_mgr", "type": "approval", "name": "部门负责人",
//!       "props": {"approvers": {"strategy": "dept_head"}, "method": "single"},
//!       "childNode": {
//!         "nodeId": "amount", "type": "route", "name": "金额",
//!         "conditionNodes": [
//!           {"nodeId": "big", "name": "大额", "condition": "amount > 10000",
//!            "childNode": {"nodeId": "approve_gm", "type": "approval",
//!                          "props": {"approvers": {"strategy": "role", "role": "gm"}}}},
//!           {"nodeId": "other", "name": "其他", "default": true}
//!         ],
//!         "childNode": {
//!           "nodeId": "review", "type": "parallel",
//!           "parallelNodes": [
//!             {"childNode": {"nodeId": "finance", "type": "approval",
//!                            "props": {"approvers": {"strategy": "role", "role": "finance"}}}},
//!             {"childNode": {"nodeId": "legal", "type": "approval",
//!                            "props": {"approvers": {"strategy": "role", "role": "legal"}}}}
//!           ],
//!           "childNode": {"nodeId": "cc_admin", "type": "cc",
//!                         "props": {"recipients": {"strategy": "people", "people": ["zhao"]}}}
//!         }
//!       }
//!     }
//!   }
//! }
//! ```
//!
//! - The document: `key`, `name`, `category` (optional), `formKey`, `formVersion` (optional:
//!   the form's latest version), and `process` (also accepted as `nodeConfig`), the root node.
//!   `form_key` and `form_version` are accepted too.
//! - A node: `nodeId` (also `id`), `type`, `name` (also `nodeName`, optional), `props`, and
//!   `childNode`, the node that follows it (none: the chain ends, and the flow goes on after
//!   the enclosing route, or to the end).
//! - `type` is one of `start` (the root, and only the root), `approval`, `cc`, `route` (an
//!   exclusive gateway, 条件分支), `parallel` (并行分支) and `end` (optional: a chain that ends
//!   reaches the end by itself). DingTalk's upper-case names are accepted: `START`/`ROOT`,
//!   `APPROVER`/`APPROVAL`, `NOTIFIER`/`CC`, `ROUTE`/`CONDITIONS`, `PARALLEL`/`CONCURRENTS`,
//!   `END`.
//! - `props` of an `approval` node are its [`ApprovalSettings`] and of a `cc` node its
//!   [`CcSettings`], written as in a graph (snake_case: `{"approvers": {"strategy": "role",
//!   "role": "gm"}, "method": "all", "pass_percent": 60}`); other nodes take none.
//! - A `route` lists its branches in `conditionNodes`: each has `nodeId` (optional, kept as
//!   the branch's id), `name`, `condition` (the expression language; also
//!   `conditionExpression`), `default` (also `defaultFlow`; exactly one branch is the default
//!   and has no condition), and `childNode`, the branch's own chain (none: straight on).
//!   Conditions are tried in order. The branches meet again at the route's `childNode`.
//! - A `parallel` route lists its branches in `parallelNodes` (also `conditionNodes`), each
//!   with its own `childNode` chain. The branches meet at a join node the conversion adds, with
//!   the id given in the route's `joinId`, or `<nodeId>_join`; the route's `childNode` follows
//!   the join. Empty branches (no `childNode`) go straight to the join, and several count as
//!   one.
//! - The end node the conversion adds is `end` (or `end_2`, `end_3`… when a node has that id).
//!
//! Conversion reports problems of the tree itself (a missing id, a `start` below the root,
//! props that do not read); everything else is checked on the graph, when publishing, with
//! paths into the graph (`nodes[approve_gm].approvers.role`). The tree nests at most about a
//! hundred levels deep (JSON nesting is limited when reading).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::model::{
    ApprovalNode, ApprovalSettings, Branch, CcNode, CcSettings, NewProcess, Node, NodeKind, ProcessGraph,
};
use crate::error::Problems;
use crate::{OaError, OaResult};

/// A definition as a DingTalk-style document (see the module's documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DingTalkProcess {
    /// The process's key.
    pub key: String,
    /// The process's name.
    pub name: String,
    /// The category it is listed under.
    #[serde(default)]
    pub category: String,
    /// The form's key.
    #[serde(alias = "form_key")]
    pub form_key: String,
    /// The form version to pin; the latest when absent.
    #[serde(default, alias = "form_version")]
    pub form_version: Option<u32>,
    /// The root node: the start.
    #[serde(alias = "nodeConfig")]
    pub process: DingTalkNode,
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DingTalkNode {
    /// The node's id, which becomes its id in the graph.
    #[serde(default, alias = "id")]
    pub node_id: String,
    /// What the node is.
    #[serde(rename = "type")]
    pub kind: DingTalkType,
    /// The name people see.
    #[serde(default, alias = "nodeName")]
    pub name: String,
    /// The settings of an approval or copy node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub props: Option<Value>,
    /// The node that follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_node: Option<Box<DingTalkNode>>,
    /// The branches of a `route`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub condition_nodes: Vec<DingTalkBranch>,
    /// The branches of a `parallel` route.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parallel_nodes: Vec<DingTalkBranch>,
    /// The id of the join a `parallel` route's branches meet at; `<nodeId>_join` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_id: Option<String>,
}

/// What a node of the tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DingTalkType {
    /// The root: where an instance starts.
    #[serde(alias = "START", alias = "ROOT")]
    Start,
    /// An approval.
    #[serde(alias = "APPROVAL", alias = "APPROVER")]
    Approval,
    /// A copy (抄送).
    #[serde(alias = "CC", alias = "NOTIFIER")]
    Cc,
    /// An exclusive route (条件分支).
    #[serde(alias = "ROUTE", alias = "CONDITIONS")]
    Route,
    /// A parallel route (并行分支).
    #[serde(alias = "PARALLEL", alias = "CONCURRENTS")]
    Parallel,
    /// An explicit end.
    #[serde(alias = "END")]
    End,
}

impl DingTalkType {
    /// The type's name, as documents write it.
    pub fn name(self) -> &'static str {
        match self {
            DingTalkType::Start => "start",
            DingTalkType::Approval => "approval",
            DingTalkType::Cc => "cc",
            DingTalkType::Route => "route",
            DingTalkType::Parallel => "parallel",
            DingTalkType::End => "end",
        }
    }
}

/// A branch of a route.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DingTalkBranch {
    /// The branch's id, if any.
    #[serde(default, alias = "id", skip_serializing_if = "String::is_empty")]
    pub node_id: String,
    /// The name people see.
    #[serde(default, alias = "nodeName", skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The condition of an exclusive branch.
    #[serde(default, alias = "conditionExpression", skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Whether this is the default branch of an exclusive route.
    #[serde(default, alias = "defaultFlow", skip_serializing_if = "std::ops::Not::not")]
    pub default: bool,
    /// The first node of the branch's own chain; none: straight on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_node: Option<Box<DingTalkNode>>,
}

/// Reads a DingTalk-style document (see the module's documentation) into a [`NewProcess`]
/// whose graph is the tree converted. Problems of the JSON or of the tree are a validation
/// error naming where they are (`process.childNode.props`); the graph is checked when it is
/// published.
pub fn parse_process_json(json: &str) -> OaResult<NewProcess> {
    let doc: DingTalkProcess =
        serde_json::from_str(json).map_err(|e| OaError::invalid("json", format!("not a process document: {e}")))?;
    let graph = to_graph(&doc.process)?;
    Ok(NewProcess {
        key: doc.key,
        name: doc.name,
        category: doc.category,
        form_key: doc.form_key,
        form_version: doc.form_version,
        definition: graph,
    })
}

/// Converts a tree whose root is `root` (a `start` node) to a graph. Every node keeps its id;
/// a parallel route adds its join and the tree's end is added (see the module's
/// documentation).
pub fn to_graph(root: &DingTalkNode) -> OaResult<ProcessGraph> {
    let mut taken = HashSet::new();
    collect_ids(root, &mut taken, 0);
    let end_id = (1..)
        .map(|i| if i == 1 { "end".to_string() } else { format!("end_{i}") })
        .find(|id| !taken.contains(id))
        .unwrap_or_else(|| "end".into());
    let mut b = Builder { nodes: Vec::new(), issues: Problems::new() };
    if root.kind != DingTalkType::Start {
        b.issues.add("process.type", "the root of the tree must be the `start` node");
    }
    b.chain(root, "process".into(), &end_id, 0);
    let issues = b.issues;
    let mut nodes = b.nodes;
    let end_used = nodes.iter().any(|n| n.kind.outgoing().iter().any(|(_, t)| *t == end_id));
    if end_used {
        nodes.push(Node { id: end_id, name: String::new(), kind: NodeKind::End });
    }
    issues.finish()?;
    Ok(ProcessGraph { nodes })
}

/// The deepest nesting the conversion follows; deeper trees cannot be read from JSON anyway.
const MAX_DEPTH: usize = 200;

fn collect_ids(node: &DingTalkNode, into: &mut HashSet<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    into.insert(node.node_id.clone());
    if let Some(j) = &node.join_id {
        into.insert(j.clone());
    } else if node.kind == DingTalkType::Parallel {
        into.insert(format!("{}_join", node.node_id));
    }
    for c in node.child_node.iter() {
        collect_ids(c, into, depth + 1);
    }
    for b in node.condition_nodes.iter().chain(&node.parallel_nodes) {
        for c in b.child_node.iter() {
            collect_ids(c, into, depth + 1);
        }
    }
}

struct Builder {
    nodes: Vec<Node>,
    issues: Problems,
}

impl Builder {
    /// Converts the chain starting at `node` (at `path` in the document), whose last node
    /// leads to `cont`, and returns the id of its first node. Nodes are added in the tree's
    /// order: a node, then its branches, then the node after it.
    fn chain(&mut self, node: &DingTalkNode, path: String, cont: &str, depth: usize) -> String {
        if depth > MAX_DEPTH {
            self.issues.add(path, format!("the tree nests more than {MAX_DEPTH} levels deep"));
            return cont.to_string();
        }
        let child = match &node.child_node {
            Some(_) if node.kind == DingTalkType::End => {
                self.issues.add(format!("{path}.childNode"), "an end node has no node after it");
                None
            }
            other => other.as_deref(),
        };
        // Every node of the tree becomes a node of the graph with its own id, so the node after
        // this one is known before it is converted.
        let after = child.map(|c| c.node_id.trim().to_string()).unwrap_or_else(|| cont.to_string());
        let id = node.node_id.trim().to_string();
        if id.is_empty() {
            self.issues.add(format!("{path}.nodeId"), "names no node id");
        }
        if node.kind == DingTalkType::Start && path != "process" {
            self.issues.add(format!("{path}.type"), "only the root of the tree is a `start` node");
        }
        let wrong_branches = match node.kind {
            DingTalkType::Route => !node.parallel_nodes.is_empty(),
            DingTalkType::Parallel => false,
            _ => !node.condition_nodes.is_empty() || !node.parallel_nodes.is_empty(),
        };
        if wrong_branches {
            self.issues
                .add(path.clone(), "only a `route` has `conditionNodes`, and only a `parallel` route `parallelNodes`");
        }
        let takes_props = matches!(node.kind, DingTalkType::Approval | DingTalkType::Cc);
        if !takes_props && node.props.as_ref().is_some_and(|p| !p.is_null() && p != &Value::Object(Default::default()))
        {
            self.issues.add(format!("{path}.props"), "only approval and copy nodes take props");
        }
        let slot = self.nodes.len();
        self.nodes.push(Node { id: id.clone(), name: node.name.clone(), kind: NodeKind::End });
        let kind = match node.kind {
            DingTalkType::Start => NodeKind::Start { next: after },
            DingTalkType::End => NodeKind::End,
            DingTalkType::Approval => match self.props::<ApprovalSettings>(node, &path, "an approval node") {
                Some(settings) => NodeKind::Approval(Box::new(ApprovalNode { next: after, settings })),
                None => NodeKind::End,
            },
            DingTalkType::Cc => match self.props::<CcSettings>(node, &path, "a copy node") {
                Some(settings) => NodeKind::Cc(Box::new(CcNode { next: after, settings })),
                None => NodeKind::End,
            },
            DingTalkType::Route => {
                let mut branches = Vec::with_capacity(node.condition_nodes.len());
                for (k, br) in node.condition_nodes.iter().enumerate() {
                    let to = match &br.child_node {
                        Some(c) => self.chain(c, format!("{path}.conditionNodes[{k}].childNode"), &after, depth + 1),
                        None => after.clone(),
                    };
                    let branch_id = br.node_id.trim();
                    branches.push(Branch {
                        id: (!branch_id.is_empty()).then(|| branch_id.to_string()),
                        name: br.name.clone(),
                        to,
                        condition: br.condition.clone(),
                        default: br.default,
                    });
                }
                NodeKind::Exclusive { branches }
            }
            DingTalkType::Parallel => {
                let join = node.join_id.clone().unwrap_or_else(|| format!("{id}_join"));
                let list = if node.parallel_nodes.is_empty() { &node.condition_nodes } else { &node.parallel_nodes };
                let field = if node.parallel_nodes.is_empty() { "conditionNodes" } else { "parallelNodes" };
                let mut branches = Vec::with_capacity(list.len());
                for (k, br) in list.iter().enumerate() {
                    if br.condition.is_some() || br.default {
                        self.issues.add(
                            format!("{path}.{field}[{k}]"),
                            "a parallel branch has no condition: every branch runs",
                        );
                    }
                    match &br.child_node {
                        Some(c) => {
                            let entry = self.chain(c, format!("{path}.{field}[{k}].childNode"), &join, depth + 1);
                            branches.push(entry);
                        }
                        // Empty branches do nothing: one of them stands for them all.
                        None if branches.contains(&join) => {}
                        None => branches.push(join.clone()),
                    }
                }
                self.nodes.push(Node { id: join, name: String::new(), kind: NodeKind::Join { next: after } });
                NodeKind::Parallel { branches }
            }
        };
        self.nodes[slot].kind = kind;
        if let Some(c) = child {
            self.chain(c, format!("{path}.childNode"), cont, depth + 1);
        }
        id
    }

    /// The props of `node` read as `T`, or `None` with the problem recorded.
    fn props<T: serde::de::DeserializeOwned>(&mut self, node: &DingTalkNode, path: &str, what: &str) -> Option<T> {
        let Some(props) = &node.props else {
            self.issues.add(
                format!("{path}.props"),
                format!("a node of type `{}` needs its settings in `props`", node.kind.name()),
            );
            return None;
        };
        match serde_json::from_value(props.clone()) {
            Ok(t) => Some(t),
            Err(e) => {
                self.issues.add(format!("{path}.props"), format!("not the settings of {what}: {e}"));
                None
            }
        }
    }
}
