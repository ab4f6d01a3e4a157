//! The records and enums of the approval workflow (审批流程): process definitions, instances,
//! tasks and their history. Process graphs and form data are JSON text, as the core takes them
//! (form data as in the form operations; a graph in the core's own `ProcessGraph` shape).

use std::time::SystemTime;

use oa::workflow::definition as core_def;
use oa::workflow::runtime as core_rt;
use oa::workflow::runtime::{InstanceId, TaskId};
use oa::{Id, PersonId};

use crate::form::parse_data;
use crate::types::{to_system, Fields, ParseId};

macro_rules! workflow_ids {
    ($($t:ty),*) => {$(
        impl ParseId for $t {
            fn parse_id(field: &str, text: &str) -> oa::OaResult<Self> {
                <$t>::parse(field, text)
            }
            fn placeholder() -> Self {
                Self(Id::default())
            }
        }
    )*};
}
workflow_ids!(InstanceId, TaskId);

/// Parses a process graph given as JSON text; text that is not a graph is a validation error
/// on `field`.
pub(crate) fn parse_graph(field: &str, text: &str) -> oa::OaResult<core_def::ProcessGraph> {
    serde_json::from_str(text).map_err(|e| oa::OaError::invalid(field, format!("is not a process graph: {e}")))
}

fn json_text(v: &serde_json::Value) -> String {
    v.to_string()
}

pub(crate) fn strings<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

// --- definitions -------------------------------------------------------------------------------

/// A new process, or the next version of an existing one.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewProcess {
    /// The process's key, stable across versions (`leave`).
    pub key: String,
    /// The name people see (请假审批).
    pub name: String,
    /// The form the process runs over.
    pub form_key: String,
    /// The process graph as JSON text, in the core's `ProcessGraph` shape (`{"nodes": […]}`),
    /// as `ProcessDefinition.graph` returns it.
    pub definition: String,
    /// A category to group processes by.
    #[uniffi(default = "")]
    pub category: String,
    /// The form version pinned; the form's latest version when `None`.
    #[uniffi(default = None)]
    pub form_version: Option<u32>,
}

impl NewProcess {
    pub(crate) fn into_core(self) -> oa::OaResult<core_def::NewProcess> {
        Ok(core_def::NewProcess {
            definition: parse_graph("definition", &self.definition)?,
            key: self.key,
            name: self.name,
            category: self.category,
            form_key: self.form_key,
            form_version: self.form_version,
        })
    }
}

/// A process at one version.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProcessDefinition {
    /// The process's key.
    pub key: String,
    /// The version, from 1.
    pub version: u32,
    /// The name people see.
    pub name: String,
    /// Its category.
    pub category: String,
    /// The form it runs over.
    pub form_key: String,
    /// The form version it pins.
    pub form_version: u32,
    /// The graph, normalised, as JSON text (`{"nodes": […]}`): what `NewProcess.definition`
    /// takes back.
    pub graph: String,
    /// The ids of its nodes, in graph order.
    pub node_ids: Vec<String>,
    /// When this version was published.
    pub created_at: SystemTime,
    /// Who published it (a person's id).
    pub created_by: String,
}

impl From<core_def::ProcessDefinition> for ProcessDefinition {
    fn from(d: core_def::ProcessDefinition) -> Self {
        ProcessDefinition {
            node_ids: d.graph.nodes.iter().map(|n| n.id.clone()).collect(),
            graph: serde_json::to_string(&d.graph).unwrap_or_default(),
            key: d.key,
            version: d.version,
            name: d.name,
            category: d.category,
            form_key: d.form_key,
            form_version: d.form_version,
            created_at: to_system(d.created_at),
            created_by: d.created_by.to_string(),
        }
    }
}

/// One version of a process, as its history lists it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ProcessVersion {
    /// The version number.
    pub version: u32,
    /// The name in that version.
    pub name: String,
    /// The form version it pins.
    pub form_version: u32,
    /// How many nodes its graph has.
    pub nodes: u32,
    /// When it was published.
    pub created_at: SystemTime,
    /// Who published it (a person's id).
    pub created_by: String,
}

impl From<core_def::ProcessVersion> for ProcessVersion {
    fn from(v: core_def::ProcessVersion) -> Self {
        ProcessVersion {
            version: v.version,
            name: v.name,
            form_version: v.form_version,
            nodes: v.nodes,
            created_at: to_system(v.created_at),
            created_by: v.created_by.to_string(),
        }
    }
}

// --- runtime enums -----------------------------------------------------------------------------

macro_rules! mirror_enum {
    ($(#[$m:meta])* $name:ident = $core:path { $($(#[$vm:meta])* $v:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name { $($(#[$vm])* $v),* }
        impl From<$core> for $name {
            fn from(v: $core) -> Self {
                use $core as C;
                match v { $(C::$v => $name::$v),* }
            }
        }
        impl From<$name> for $core {
            fn from(v: $name) -> Self {
                use $core as C;
                match v { $($name::$v => C::$v),* }
            }
        }
    };
}

mirror_enum!(
    /// Where an instance stands.
    InstanceStatus = core_rt::InstanceStatus {
        /// Saved, not submitted (草稿).
        Draft,
        /// Waiting for approvers (审批中).
        Running,
        /// Ended approved (已通过).
        Approved,
        /// Ended rejected (已驳回).
        Rejected,
        /// Withdrawn by its initiator (已撤回).
        Withdrawn,
        /// Ended by an administrator (已终止).
        Terminated,
    }
);

mirror_enum!(
    /// What a task asks of its assignee.
    TaskKind = core_rt::TaskKind {
        /// To approve or reject (审批).
        Approve,
        /// To read a copy (抄送).
        Cc,
        /// To resubmit a returned instance (重新提交).
        Resubmit,
    }
);

mirror_enum!(
    /// Where a task stands.
    TaskStatus = core_rt::TaskStatus {
        /// Waiting for its assignee.
        Pending,
        /// Waiting for its turn (in sequence, or behind an added signer).
        Waiting,
        /// Handed by its assignee to someone to deal with (委派) and waiting to come back:
        /// still open, so the node waits, and its assignee may take it back.
        Delegated,
        /// Approved.
        Approved,
        /// Rejected.
        Rejected,
        /// Returned.
        Returned,
        /// Handed to someone else.
        Transferred,
        /// Taken back.
        Withdrawn,
        /// No longer needed.
        Cancelled,
        /// A copy that was read.
        Read,
        /// A task delegated to its assignee (委派), dealt with and given back (办理).
        Resolved,
    }
);

mirror_enum!(
    /// Where an added signer (加签) acts, relative to the task's assignee.
    SignerPosition = core_rt::SignerPosition {
        /// Before the assignee.
        Before,
        /// After the assignee.
        After,
        /// Alongside the assignee.
        Alongside,
    }
);

mirror_enum!(
    /// What a history entry records.
    HistoryAction = core_rt::HistoryAction {
        /// Submitted by its initiator.
        Submitted,
        /// A task approved.
        Approved,
        /// A task approved automatically.
        AutoApproved,
        /// A task rejected.
        Rejected,
        /// Returned to an earlier node or the initiator.
        Returned,
        /// Resubmitted after a return.
        Resubmitted,
        /// Withdrawn, or an approval taken back.
        Withdrawn,
        /// A task handed to someone else.
        Transferred,
        /// A signer added.
        SignerAdded,
        /// A signer removed.
        SignerRemoved,
        /// A comment.
        Commented,
        /// Approvers urged.
        Urged,
        /// A copy sent.
        CcSent,
        /// A copy read.
        CcRead,
        /// Terminated by an administrator.
        Terminated,
        /// Moved to another node.
        Jumped,
        /// An assignee reminded of a deadline.
        Reminded,
        /// A task escalated after its deadline.
        Escalated,
        /// A node skipped (no approver, or the same approver).
        Skipped,
        /// No approver found; the node's fallback named who approves.
        FallbackAssigned,
        /// A task sent to the delegate of the person it was meant for, by their standing
        /// delegation (委托).
        Redirected,
        /// A task handed by its assignee to someone to deal with (委派).
        Delegated,
        /// A delegated task dealt with and given back to its owner (办理).
        Resolved,
        /// A delegated task taken back by its owner before it was dealt with (收回).
        TakenBack,
        /// A branch condition that could not be evaluated.
        ConditionError,
        /// A branch chosen.
        BranchTaken,
        /// A number assigned.
        NumberAssigned,
        /// The instance ended.
        Ended,
        /// A task moved to another person by an administrator.
        Reassigned,
        /// The instance moved to another version of its process.
        Migrated,
    }
);

/// Where a returned instance goes (退回).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ReturnTarget {
    /// The approval node before the task's.
    Previous,
    /// An earlier node, by id.
    Node {
        /// The node's id.
        node: String,
    },
    /// The initiator, who resubmits.
    Initiator,
}

impl From<ReturnTarget> for core_rt::ReturnTarget {
    fn from(t: ReturnTarget) -> Self {
        match t {
            ReturnTarget::Previous => core_rt::ReturnTarget::Previous,
            ReturnTarget::Node { node } => core_rt::ReturnTarget::Node(node),
            ReturnTarget::Initiator => core_rt::ReturnTarget::Initiator,
        }
    }
}

// --- runtime records ---------------------------------------------------------------------------

/// What starts an instance (发起), or a draft's content.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StartProcess {
    /// The process's key.
    pub process_key: String,
    /// The title people see in lists.
    pub title: String,
    /// The form data as JSON text.
    pub data: String,
    /// The process version; the latest when `None`.
    #[uniffi(default = None)]
    pub version: Option<u32>,
    /// A business key linking the instance to a record (`contract:01J…`).
    #[uniffi(default = None)]
    pub business_key: Option<String>,
}

impl StartProcess {
    pub(crate) fn into_core(self) -> oa::OaResult<core_rt::StartProcess> {
        Ok(core_rt::StartProcess {
            data: parse_data(&self.data)?,
            process_key: self.process_key,
            version: self.version,
            title: self.title,
            business_key: self.business_key,
        })
    }
}

/// A place an instance waits at: an approval node with open tasks, a join waiting for its
/// branches, or the start node while the instance is returned to its initiator. Parallel
/// branches give an instance several.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Token {
    /// The node's id.
    pub node: String,
    /// The node's activation: each time an instance reaches a node is a new one.
    pub activation: u32,
    /// For a join: how many branches have arrived.
    pub arrived: u32,
    /// For an approval in turn (依次): the people still to approve, in order (ids).
    pub in_turn: Vec<String>,
    /// Where the instance goes once this node passes, when a return said to go straight back.
    pub resume_at: Option<String>,
    /// When the instance reached the node (this activation); `None` on instances stored
    /// before it was recorded.
    pub entered_at: Option<SystemTime>,
}

impl From<core_rt::Token> for Token {
    fn from(t: core_rt::Token) -> Self {
        Token {
            in_turn: strings(&t.in_turn),
            node: t.node,
            activation: t.activation,
            arrived: t.arrived,
            resume_at: t.resume_at,
            entered_at: t.entered_at.map(to_system),
        }
    }
}

/// An instance of a process (审批单).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Instance {
    /// Its id.
    pub id: String,
    /// The process's key.
    pub process_key: String,
    /// The process version it runs.
    pub process_version: u32,
    /// The process's name.
    pub process_name: String,
    /// The form's key.
    pub form_key: String,
    /// The form version of its data.
    pub form_version: u32,
    /// Its business key.
    pub business_key: Option<String>,
    /// Its title.
    pub title: String,
    /// Who started it (a person's id).
    pub initiator: String,
    /// The initiator's department when it started.
    pub initiator_dept: String,
    /// The form data as JSON text (without the fields the reader may not see).
    pub data: String,
    /// Where it stands.
    pub status: InstanceStatus,
    /// The nodes it waits at now (the nodes of `tokens`).
    pub nodes: Vec<String>,
    /// Where it waits now, with when it arrived at each node.
    pub tokens: Vec<Token>,
    /// When it was created.
    pub created_at: SystemTime,
    /// When it was submitted.
    pub started_at: Option<SystemTime>,
    /// When it ended.
    pub ended_at: Option<SystemTime>,
    /// The number assigned to it, if any.
    pub number: Option<String>,
    /// Whether it waits for its initiator to resubmit after a return.
    pub returned: bool,
}

impl From<core_rt::Instance> for Instance {
    fn from(i: core_rt::Instance) -> Self {
        Instance {
            id: i.id.to_string(),
            process_key: i.process_key,
            process_version: i.process_version,
            process_name: i.process_name,
            form_key: i.form_key,
            form_version: i.form_version,
            business_key: i.business_key,
            title: i.title,
            initiator: i.initiator.to_string(),
            initiator_dept: i.initiator_dept.to_string(),
            data: json_text(&i.data),
            status: i.status.into(),
            nodes: i.tokens.iter().map(|t| t.node.clone()).collect(),
            tokens: i.tokens.into_iter().map(Token::from).collect(),
            created_at: to_system(i.created_at),
            started_at: i.started_at.map(to_system),
            ended_at: i.ended_at.map(to_system),
            number: i.number,
            returned: i.returned.is_some(),
        }
    }
}

/// A task: one person's part in an instance (待办, 已办, 抄送).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Task {
    /// Its id.
    pub id: String,
    /// Its instance's id.
    pub instance: String,
    /// The node's id.
    pub node: String,
    /// The node's name.
    pub node_name: String,
    /// Who acts on it (a person's id).
    pub assignee: String,
    /// What it asks.
    pub kind: TaskKind,
    /// Where it stands.
    pub status: TaskStatus,
    /// When it was created.
    pub created_at: SystemTime,
    /// When its deadline is next handled: the deadline, then each reminder's instant.
    pub due_at: Option<SystemTime>,
    /// The deadline its node set, which reminders do not move: what makes it overdue (超时).
    pub deadline_at: Option<SystemTime>,
    /// When its assignee acted.
    pub acted_at: Option<SystemTime>,
    /// The assignee's comment.
    pub comment: String,
    /// Its place in a sequence of approvers, from 0.
    pub order: u32,
    /// The node's activation it belongs to.
    pub activation: u32,
    /// The task whose place it holds (itself, or the task it was transferred from).
    pub seat: String,
    /// The signers who act after it (people's ids).
    pub after: Vec<String>,
    /// Who added it as a signer.
    pub added_by: Option<String>,
    /// Whether it was acted on automatically.
    pub auto: bool,
    /// How many reminders were sent.
    pub reminders: u32,
    /// How many times it was urged.
    pub urged: u32,
    /// The process's key.
    pub process_key: String,
    /// The process's name.
    pub process_name: String,
    /// The instance's title.
    pub title: String,
    /// The instance's initiator (a person's id).
    pub initiator: String,
    /// The person it was meant for (an id), when their standing delegation (委托) sent it to
    /// its assignee instead.
    pub on_behalf_of: Option<String>,
    /// For a task delegated to its assignee to deal with (委派): the owner's task (an id),
    /// which waits as `Delegated` until this one is resolved or taken back.
    pub delegated_from: Option<String>,
}

impl From<core_rt::Task> for Task {
    fn from(t: core_rt::Task) -> Self {
        Task {
            id: t.id.to_string(),
            instance: t.instance.to_string(),
            node: t.node,
            node_name: t.node_name,
            assignee: t.assignee.to_string(),
            kind: t.kind.into(),
            status: t.status.into(),
            created_at: to_system(t.created_at),
            due_at: t.due_at.map(to_system),
            deadline_at: t.deadline_at.map(to_system),
            acted_at: t.acted_at.map(to_system),
            comment: t.comment,
            order: t.order,
            activation: t.activation,
            seat: t.seat.to_string(),
            after: strings(&t.after),
            added_by: t.added_by.map(|p| p.to_string()),
            auto: t.auto,
            reminders: t.reminders,
            urged: t.urged,
            process_key: t.process_key,
            process_name: t.process_name,
            title: t.title,
            initiator: t.initiator.to_string(),
            on_behalf_of: t.on_behalf_of.map(|p| p.to_string()),
            delegated_from: t.delegated_from.map(|t| t.to_string()),
        }
    }
}

/// One entry of an instance's history (时间线).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HistoryEntry {
    /// Its place in the history, from 0.
    pub seq: u32,
    /// When it happened.
    pub at: SystemTime,
    /// Who did it (a person's id); `None` for the engine.
    pub actor: Option<String>,
    /// What happened.
    pub action: HistoryAction,
    /// At which node.
    pub node: Option<String>,
    /// On which task.
    pub task: Option<String>,
    /// The actor's comment.
    pub comment: String,
    /// More about it, in words.
    pub detail: String,
    /// The form fields changed, as JSON text.
    pub changes: Option<String>,
}

impl From<core_rt::HistoryEntry> for HistoryEntry {
    fn from(h: core_rt::HistoryEntry) -> Self {
        HistoryEntry {
            seq: h.seq,
            at: to_system(h.at),
            actor: h.actor.map(|p| p.to_string()),
            action: h.action.into(),
            node: h.node,
            task: h.task.map(|t| t.to_string()),
            comment: h.comment,
            detail: h.detail,
            changes: h.changes.as_ref().map(json_text),
        }
    }
}

/// An instance with its tasks and history.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InstanceDetail {
    /// The instance.
    pub instance: Instance,
    /// Its tasks, in creation order.
    pub tasks: Vec<Task>,
    /// Its history, oldest first.
    pub history: Vec<HistoryEntry>,
}

impl From<core_rt::InstanceDetail> for InstanceDetail {
    fn from(d: core_rt::InstanceDetail) -> Self {
        InstanceDetail {
            instance: d.instance.into(),
            tasks: d.tasks.into_iter().map(Task::from).collect(),
            history: d.history.into_iter().map(HistoryEntry::from).collect(),
        }
    }
}

/// The counts shown on badges: pending tasks and unread copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct BadgeCounts {
    /// Pending tasks (待办).
    pub todo: u64,
    /// Unread copies (未读抄送).
    pub cc_unread: u64,
}

impl From<core_rt::BadgeCounts> for BadgeCounts {
    fn from(b: core_rt::BadgeCounts) -> Self {
        BadgeCounts { todo: b.todo, cc_unread: b.cc_unread }
    }
}

/// What a run of `processDue` did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DueReport {
    /// Tasks whose assignee was reminded.
    pub reminded: Vec<String>,
    /// Tasks escalated.
    pub escalated: Vec<String>,
    /// Tasks approved automatically.
    pub auto_approved: Vec<String>,
    /// Tasks rejected automatically.
    pub auto_rejected: Vec<String>,
    /// Deadlines no longer relevant.
    pub skipped: u32,
}

impl From<core_rt::DueReport> for DueReport {
    fn from(r: core_rt::DueReport) -> Self {
        DueReport {
            reminded: strings(&r.reminded),
            escalated: strings(&r.escalated),
            auto_approved: strings(&r.auto_approved),
            auto_rejected: strings(&r.auto_rejected),
            skipped: r.skipped,
        }
    }
}

/// Filters of task and instance lists; every one is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct TaskQuery {
    /// Only this process (by key).
    #[uniffi(default = None)]
    pub process: Option<String>,
    /// Only from this instant.
    #[uniffi(default = None)]
    pub from: Option<SystemTime>,
    /// Only up to this instant.
    #[uniffi(default = None)]
    pub to: Option<SystemTime>,
    /// Only instances started by this person (an id).
    #[uniffi(default = None)]
    pub initiator: Option<String>,
    /// Only titles containing this text.
    #[uniffi(default = None)]
    pub text: Option<String>,
}

impl TaskQuery {
    pub(crate) fn into_core(self) -> oa::OaResult<core_rt::TaskQuery> {
        let mut f = Fields::new();
        let from = self.from.map(|t| f.instant("from", t));
        let to = self.to.map(|t| f.instant("to", t));
        let initiator: Option<PersonId> = f.opt_id("initiator", self.initiator.as_deref());
        f.finish()?;
        Ok(core_rt::TaskQuery { process: self.process, from, to, initiator, text: self.text })
    }
}

/// One page of tasks.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TaskPage {
    /// The tasks of this page.
    pub items: Vec<Task>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_rt::Task>> for TaskPage {
    fn from(p: oa::Page<core_rt::Task>) -> Self {
        TaskPage { items: p.items.into_iter().map(Task::from).collect(), next_cursor: p.next_cursor }
    }
}

/// One page of instances.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InstancePage {
    /// The instances of this page.
    pub items: Vec<Instance>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_rt::Instance>> for InstancePage {
    fn from(p: oa::Page<core_rt::Instance>) -> Self {
        InstancePage { items: p.items.into_iter().map(Instance::from).collect(), next_cursor: p.next_cursor }
    }
}
