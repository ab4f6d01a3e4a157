//! The records of process definitions: the graph of nodes and the settings of each node.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::admin::calendar::WorkDuration;
use crate::codec::Record;
use crate::form::FieldPermissions;
use crate::org::PersonId;

/// A process as an administrator publishes it to [`crate::Oa::publish_process`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewProcess {
    /// The process's key, stable across versions: 1 to 64 ASCII letters, digits, `_` and `-`
    /// (`leave`, `purchase_it`). Keys are compared exactly.
    pub key: String,
    /// The name people see (请假审批), 1 to 100 characters.
    pub name: String,
    /// The category it is listed under (人事, 财务); up to 50 characters, may be empty.
    #[serde(default)]
    pub category: String,
    /// The key of the form an instance fills in.
    pub form_key: String,
    /// The version of the form to pin; the form's latest version when `None`.
    #[serde(default)]
    pub form_version: Option<u32>,
    /// The graph of nodes.
    pub definition: ProcessGraph,
}

/// One version of a process definition (流程定义), as stored under `wf.def/<key>/<version>` and
/// as returned. A version is never changed: publishing again writes the next version, and an
/// instance keeps the version it started with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessDefinition {
    /// The process's key.
    pub key: String,
    /// The version, from 1.
    pub version: u32,
    /// The name people see.
    pub name: String,
    /// The category it is listed under.
    #[serde(default)]
    pub category: String,
    /// The key of the form an instance fills in.
    pub form_key: String,
    /// The version of the form, pinned when the process was published.
    pub form_version: u32,
    /// The graph, normalised: named people are stored by id.
    pub graph: ProcessGraph,
    /// When this version was published.
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// Who published it.
    pub created_by: PersonId,
}

impl Record for ProcessDefinition {
    const KIND: &'static str = "process definition";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// One version of a process, in its history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessVersion {
    /// The version number.
    pub version: u32,
    /// The process's name in that version.
    pub name: String,
    /// The form version that version pins.
    pub form_version: u32,
    /// How many nodes its graph has.
    pub nodes: u32,
    /// When it was published.
    pub created_at: DateTime<Utc>,
    /// Who published it.
    pub created_by: PersonId,
}

/// The graph of a process: its nodes, each naming the nodes it leads to.
///
/// Flows are kept in the node they leave (`next`, or the `branches` of a gateway), so a node's
/// outgoing flows are at hand and a flow to a node that does not exist is an error naming the
/// node it leaves. In JSON:
///
/// ```json
/// {"nodes": [
///   {"id": "start", "type": "start", "next": "check"},
///   {"id": "check", "type": "exclusive", "branches": [
///     {"to": "gm", "condition": "amount > 10000", "name": "大额"},
///     {"to": "end", "default": true}]},
///   {"id": "gm", "type": "approval", "name": "总经理", "next": "end",
///    "approvers": {"strategy": "role", "role": "gm"}, "method": "any"},
///   {"id": "end", "type": "end"}
/// ]}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ProcessGraph {
    /// The nodes, in the designer's order.
    pub nodes: Vec<Node>,
}

impl ProcessGraph {
    /// The node `id`, if the graph has one.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// A node of a process graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// The node's id, unique in the graph and kept across versions, so a running instance can
    /// move to a new version while it waits at a node both have: 1 to 64 ASCII letters,
    /// digits, `_`, `-` and `.`.
    pub id: String,
    /// The name people see (部门负责人审批); up to 100 characters, may be empty.
    #[serde(default)]
    pub name: String,
    /// What the node is, with its settings and outgoing flows: `type` and the kind's own
    /// settings sit beside `id` and `name`.
    #[serde(flatten)]
    pub kind: NodeKind,
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NodeKind {
    /// Where an instance starts (发起): exactly one per process.
    Start {
        /// The node that follows.
        next: String,
    },
    /// An approval (审批) by the people its settings choose.
    Approval(Box<ApprovalNode>),
    /// A copy (抄送) to people who read the instance; nobody acts, the instance moves on.
    Cc(Box<CcNode>),
    /// An exclusive gateway (条件分支): the first branch whose condition holds is taken, in
    /// order; the default branch when none does.
    Exclusive {
        /// The branches, in the order their conditions are tried.
        branches: Vec<Branch>,
    },
    /// A parallel split (并行分支): every branch runs at once, until they meet at the split's
    /// join.
    Parallel {
        /// The first node of each branch.
        branches: Vec<String>,
    },
    /// A parallel join (并行汇聚): waits for every branch of its split, then moves on.
    Join {
        /// The node that follows.
        next: String,
    },
    /// Where an instance ends (结束).
    End,
}

impl NodeKind {
    /// The kind's name, as graphs write it (`approval`, `exclusive`).
    pub fn name(&self) -> &'static str {
        match self {
            NodeKind::Start { .. } => "start",
            NodeKind::Approval(_) => "approval",
            NodeKind::Cc(_) => "cc",
            NodeKind::Exclusive { .. } => "exclusive",
            NodeKind::Parallel { .. } => "parallel",
            NodeKind::Join { .. } => "join",
            NodeKind::End => "end",
        }
    }

    /// The nodes this one leads to, with the path of the field that names each, relative to
    /// the node (`next`, `branches[1].to`, `branches[0]`).
    pub fn outgoing(&self) -> Vec<(String, &str)> {
        match self {
            NodeKind::Start { next } | NodeKind::Join { next } => vec![("next".into(), next.as_str())],
            NodeKind::Approval(a) => vec![("next".into(), a.next.as_str())],
            NodeKind::Cc(c) => vec![("next".into(), c.next.as_str())],
            NodeKind::Exclusive { branches } => {
                branches.iter().enumerate().map(|(i, b)| (format!("branches[{i}].to"), b.to.as_str())).collect()
            }
            NodeKind::Parallel { branches } => {
                branches.iter().enumerate().map(|(i, b)| (format!("branches[{i}]"), b.as_str())).collect()
            }
            NodeKind::End => Vec::new(),
        }
    }
}

/// A branch of an exclusive gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// An id for the branch (the BPMN sequence flow's id), if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The name people see (大额), may be empty.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The first node of the branch.
    pub to: String,
    /// The condition, in the workflow's expression language (`amount > 10000`); none for the
    /// default branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Whether this is the default branch (默认分支), taken when no condition holds. A gateway
    /// has exactly one.
    #[serde(default, skip_serializing_if = "is_false")]
    pub default: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// An approval node: who approves, how, and what happens around it. Every setting but
/// `approvers` has a default, so `{"approvers": {"strategy": "dept_head"}}` is a whole node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalNode {
    /// The node that follows once the node is approved.
    pub next: String,
    /// The settings.
    #[serde(flatten)]
    pub settings: ApprovalSettings,
}

/// The settings of an approval node (yudao's per-node checklist).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalSettings {
    /// Who approves (审批人).
    pub approvers: Approvers,
    /// How their decisions combine (多人审批方式); `any` (或签) unless set.
    #[serde(default)]
    pub method: ApproveMethod,
    /// For `ratio` (票签) only: the share of approvers, in percent (1 to 100), whose approval
    /// passes the node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_percent: Option<u8>,
    /// What happens when the approvers turn out to be nobody (审批人为空时); `refuse` unless set.
    #[serde(default)]
    pub when_empty: WhenEmpty,
    /// What happens when an approver is the initiator (审批人与发起人为同一人时); `approve`
    /// (they approve as anyone would) unless set.
    #[serde(default)]
    pub initiator_is_approver: SameApprover,
    /// What happens when an approver already approved at an earlier node of the same instance
    /// (审批人去重); `approve` unless set.
    #[serde(default)]
    pub approved_before: SameApprover,
    /// Where the node may return the instance to (退回), and where it goes when resubmitted.
    #[serde(default)]
    pub returns: ReturnPolicy,
    /// What the approvers see and may change of the form (字段权限); fields not named are
    /// read-only.
    #[serde(default)]
    pub fields: FieldPermissions,
    /// A deadline in working time and what happens when it passes (审批期限).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Deadline>,
    /// A document number (文号) to assign when the node is approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numbering: Option<AssignNumber>,
}

impl ApprovalSettings {
    /// Settings with every default, for `approvers`.
    pub fn new(approvers: Approvers) -> Self {
        ApprovalSettings {
            approvers,
            method: ApproveMethod::default(),
            pass_percent: None,
            when_empty: WhenEmpty::default(),
            initiator_is_approver: SameApprover::default(),
            approved_before: SameApprover::default(),
            returns: ReturnPolicy::default(),
            fields: FieldPermissions::default(),
            deadline: None,
            numbering: None,
        }
    }
}

/// A copy node (抄送): who receives a copy, and what they see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CcNode {
    /// The node that follows (at once: nobody acts on a copy).
    pub next: String,
    /// The settings.
    #[serde(flatten)]
    pub settings: CcSettings,
}

/// The settings of a copy node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CcSettings {
    /// Who receives the copy; nobody found is no copy, never an error.
    pub recipients: Approvers,
    /// What the recipients see (hidden or read-only; a copy never edits). Fields not named are
    /// read-only.
    #[serde(default)]
    pub fields: FieldPermissions,
}

/// Who approves (审批人设置): how the candidates are found when an instance reaches the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "strategy", rename_all = "snake_case")]
pub enum Approvers {
    /// Named people (指定成员), by id or sign-in name; publishing stores their ids.
    People {
        /// The people, 1 to 100, each once.
        people: Vec<String>,
    },
    /// The active holders of a role (指定角色), by role code.
    Role {
        /// The role's code.
        role: String,
        /// Only holders whose main department lies in the initiator's department tree (their
        /// main department or below it).
        #[serde(default, skip_serializing_if = "is_false")]
        within_initiator_dept: bool,
    },
    /// The head of the initiator's main department (部门负责人).
    DeptHead,
    /// The head of the department `levels` above the initiator's main department (1: its
    /// parent's head, 2: the grandparent's…; 第 N 级部门负责人). A department without a head
    /// gives nobody: heads are not skipped.
    DeptHeadAbove {
        /// How many levels up, 1 to 20.
        levels: u32,
    },
    /// The initiator's superiors (逐级审批): the direct superior (直属上级), their superior, and
    /// so on, up to `levels` people; usually approved `in_turn`.
    Superiors {
        /// How many levels of superiors, 1 to 20.
        levels: u32,
    },
    /// The person chosen in a person field of the form (表单内人员).
    FormField {
        /// The key of a top-level person field.
        field: String,
    },
    /// The initiator (发起人自己).
    Initiator,
}

impl Approvers {
    /// The strategy's name, as graphs write it (`dept_head`).
    pub fn name(&self) -> &'static str {
        match self {
            Approvers::People { .. } => "people",
            Approvers::Role { .. } => "role",
            Approvers::DeptHead => "dept_head",
            Approvers::DeptHeadAbove { .. } => "dept_head_above",
            Approvers::Superiors { .. } => "superiors",
            Approvers::FormField { .. } => "form_field",
            Approvers::Initiator => "initiator",
        }
    }

    /// Whether the strategy always finds at most one person.
    pub fn is_single(&self) -> bool {
        match self {
            Approvers::People { people } => people.len() <= 1,
            Approvers::Superiors { levels } => *levels <= 1,
            Approvers::Role { .. } => false,
            Approvers::DeptHead
            | Approvers::DeptHeadAbove { .. }
            | Approvers::FormField { .. }
            | Approvers::Initiator => true,
        }
    }

    /// The ids of named people, once a definition is published (they are stored as ids);
    /// empty for every other strategy.
    pub fn person_ids(&self) -> Vec<PersonId> {
        match self {
            Approvers::People { people } => people.iter().filter_map(|p| PersonId::parse("people", p).ok()).collect(),
            _ => Vec::new(),
        }
    }
}

/// How the decisions of several approvers combine (多人审批方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApproveMethod {
    /// One person approves: the strategy must find one person (a named person, a head, a
    /// form field, the initiator).
    Single,
    /// Any one of them (或签): the first approval passes the node, the first rejection rejects.
    #[default]
    Any,
    /// All of them (会签): every one must approve; one rejection rejects.
    All,
    /// A share of them (票签): the node passes once `pass_percent` percent approve, and is
    /// rejected once that can no longer happen.
    Ratio,
    /// One after another (依次审批), in the order the strategy finds them.
    InTurn,
}

impl ApproveMethod {
    /// The method's name, as graphs write it.
    pub fn name(self) -> &'static str {
        match self {
            ApproveMethod::Single => "single",
            ApproveMethod::Any => "any",
            ApproveMethod::All => "all",
            ApproveMethod::Ratio => "ratio",
            ApproveMethod::InTurn => "in_turn",
        }
    }
}

/// What happens when a node's approvers turn out to be nobody (审批人为空时).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum WhenEmpty {
    /// The node is passed as if approved (自动通过).
    Skip,
    /// The node goes to a named administrator (转交管理员).
    AssignPerson {
        /// The person, by id or sign-in name; publishing stores the id.
        person: String,
    },
    /// The node goes to the holders of a role.
    AssignRole {
        /// The role's code.
        role: String,
    },
    /// The instance cannot go on: starting it fails with an error naming the node.
    #[default]
    Refuse,
}

/// What happens when an approver of a node is the initiator, or approved earlier in the same
/// instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SameApprover {
    /// They approve as anyone would.
    #[default]
    Approve,
    /// Their approval is given automatically (自动通过 / 去重).
    AutoApprove,
}

/// Where a node may return an instance to (退回), and where it goes when resubmitted.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReturnPolicy {
    /// The nodes it may be returned to; the initiator (the start node) unless set.
    #[serde(default)]
    pub to: ReturnTo,
    /// Where a resubmitted instance goes.
    #[serde(default)]
    pub resubmit: Resubmit,
}

/// The nodes an approval node may return an instance to. Only the start node and approval
/// nodes before it count (on some path from the start to it), and none inside a parallel
/// branch the node is not itself inside.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnTo {
    /// Returning is not allowed.
    None,
    /// To the initiator (退回发起人), who resubmits from the start node.
    #[default]
    Initiator,
    /// To the start node or any approval node before this one.
    AnyEarlier,
    /// To the listed nodes: the start node or approval nodes before this one, by id.
    Nodes(Vec<String>),
}

/// Where an instance goes when the node it was returned to passes it again (重新提交后).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resubmit {
    /// Along the process again, node after node (重新走流程).
    #[default]
    WalkAgain,
    /// Straight back to the node that returned it (直接回到退回节点).
    BackToReturner,
}

/// A deadline in working time (审批期限) and what happens when it passes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// How long after the node is reached, in working time (see [`crate::WorkCalendar`]).
    pub after: WorkDuration,
    /// What happens then.
    pub action: TimeoutAction,
    /// For `remind` only: reminders repeated after the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Reminders>,
}

/// What happens when a deadline passes (超时处理).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeoutAction {
    /// The approvers are reminded (提醒).
    Remind,
    /// The task goes up to the approver's superior (上报).
    Escalate,
    /// The node is approved automatically (自动同意).
    AutoApprove,
    /// The node is rejected automatically (自动拒绝).
    AutoReject,
}

/// Reminders repeated after a deadline passed (重复提醒).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Reminders {
    /// The working time between two reminders.
    pub every: WorkDuration,
    /// How many more reminders at most, 1 to 50.
    pub times: u32,
}

/// A document number (文号) assigned when a node is approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssignNumber {
    /// The key of the numbering rule (see [`crate::NumberingRule`]).
    pub rule: String,
    /// A top-level text field of the form that receives the number, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
