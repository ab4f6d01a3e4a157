//! The records of running processes: instances, tasks, history entries, and the inputs and
//! outputs of the runtime's operations.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::codec::Record;
use crate::id::typed_id;
use crate::org::{DeptId, PersonId};

typed_id!(
    /// The id of a process instance (流程实例).
    InstanceId,
    "instance"
);
typed_id!(
    /// The id of a task (待办 or 抄送).
    TaskId,
    "task"
);
typed_id!(
    /// The id of a standing delegation (委托).
    DelegationId,
    "delegation"
);

/// Where an instance stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceStatus {
    /// Saved, not submitted yet (草稿).
    Draft,
    /// Submitted and moving through its nodes (审批中).
    Running,
    /// Reached an end node (已通过).
    Approved,
    /// Rejected at a node (已驳回).
    Rejected,
    /// Withdrawn by its initiator (已撤回).
    Withdrawn,
    /// Stopped by an administrator (已终止).
    Terminated,
}

impl InstanceStatus {
    /// Whether the instance has ended: nothing can happen to it any more.
    pub fn is_ended(self) -> bool {
        matches!(
            self,
            InstanceStatus::Approved
                | InstanceStatus::Rejected
                | InstanceStatus::Withdrawn
                | InstanceStatus::Terminated
        )
    }

    /// The status's name, as serialised (`running`).
    pub fn name(self) -> &'static str {
        match self {
            InstanceStatus::Draft => "draft",
            InstanceStatus::Running => "running",
            InstanceStatus::Approved => "approved",
            InstanceStatus::Rejected => "rejected",
            InstanceStatus::Withdrawn => "withdrawn",
            InstanceStatus::Terminated => "terminated",
        }
    }
}

/// A place an instance waits at: an approval node with open tasks, a join waiting for its
/// branches, or the start node while the instance is returned to its initiator. Parallel
/// branches give an instance several tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The node.
    pub node: String,
    /// The activation of the node: every time an instance reaches a node it is a new one, and
    /// the node's tasks carry it.
    pub activation: u32,
    /// For a join: how many branches have arrived.
    #[serde(default)]
    pub arrived: u32,
    /// For an approval in turn (依次): the people still to approve, in order.
    #[serde(default)]
    pub in_turn: Vec<PersonId>,
    /// Where the instance goes once this node passes, instead of the node's `next`: the node
    /// that returned the instance here, when its policy says to go straight back.
    #[serde(default)]
    pub resume_at: Option<String>,
    /// When the instance reached the node (this activation), for monitoring how long it
    /// waits there; `None` on tokens stored before it was recorded.
    #[serde(default)]
    #[serde(with = "crate::codec::opt_instant")]
    pub entered_at: Option<DateTime<Utc>>,
}

/// Where an instance returned to its initiator came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnMark {
    /// The node that returned it.
    pub from: String,
    /// Where a resubmission goes: the returning node, or `None` for the node after the start.
    pub resume_at: Option<String>,
}

/// What the last action changed, so that its actor can take it back (撤回) before anyone acts
/// after them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Undo {
    /// Who acted.
    pub actor: PersonId,
    /// The task they acted on.
    pub task: TaskId,
    /// The tokens before the action.
    pub tokens: Vec<Token>,
    /// The data before the action.
    pub data: Value,
    /// The tasks the action created.
    pub created: Vec<TaskId>,
}

/// A process instance (流程实例): one run of a process version over one filling of its form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    /// The instance's id.
    pub id: InstanceId,
    /// The process's key.
    pub process_key: String,
    /// The process version the instance runs (pinned when it started).
    pub process_version: u32,
    /// The process's name.
    pub process_name: String,
    /// The form's key.
    pub form_key: String,
    /// The form version (the one the process version pins).
    pub form_version: u32,
    /// The object of another module the instance approves (`contract:01J…`), if any.
    #[serde(default)]
    pub business_key: Option<String>,
    /// The title people see in lists.
    pub title: String,
    /// Who started it (发起人).
    pub initiator: PersonId,
    /// The initiator's main department when the instance was created.
    pub initiator_dept: DeptId,
    /// The form data, normalised.
    pub data: Value,
    /// Where it stands.
    pub status: InstanceStatus,
    /// Where it waits.
    #[serde(default)]
    pub tokens: Vec<Token>,
    /// When it was created (as a draft or submitted).
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// When it was submitted.
    #[serde(default)]
    #[serde(with = "crate::codec::opt_instant")]
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    #[serde(default)]
    #[serde(with = "crate::codec::opt_instant")]
    pub ended_at: Option<DateTime<Utc>>,
    /// The document number (文号) assigned, if any.
    #[serde(default)]
    pub number: Option<String>,
    /// Set while the instance is returned to its initiator (退回发起人).
    #[serde(default)]
    pub returned: Option<ReturnMark>,
    /// The last action, while its actor may still take it back.
    #[serde(default)]
    pub undo: Option<Undo>,
    /// How many history entries it has.
    #[serde(default)]
    pub history_len: u32,
    /// How many node activations it has had.
    #[serde(default)]
    pub activations: u32,
}

impl Record for Instance {
    const KIND: &'static str = "instance";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// What a task asks of its assignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Approve or reject (审批).
    Approve,
    /// Read a copy (抄送).
    Cc,
    /// Change and resubmit an instance returned to its initiator (重新提交).
    Resubmit,
}

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Waiting for its assignee (an unread copy, for a copy).
    Pending,
    /// Set aside until a signer added before its assignee (前加签) approves.
    Waiting,
    /// Handed by its assignee to someone to deal with (委派) and waiting for it to come back:
    /// still open, so its node does not complete, and its assignee may take it back.
    Delegated,
    /// Approved (同意); for a resubmit task, resubmitted.
    Approved,
    /// Rejected (驳回).
    Rejected,
    /// Returned (退回).
    Returned,
    /// Handed to someone else (转交).
    Transferred,
    /// Taken back by the actor before it (撤回).
    Withdrawn,
    /// No longer needed: the node or the instance moved on.
    Cancelled,
    /// A copy its recipient read (已阅).
    Read,
    /// A task delegated to its assignee (委派), dealt with and given back to its owner (办理).
    Resolved,
}

impl TaskStatus {
    /// Whether the task still waits for someone.
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::Pending | TaskStatus::Waiting | TaskStatus::Delegated)
    }
}

/// Where a signer is added (加签).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerPosition {
    /// Before the current approver (前加签): they approve first.
    Before,
    /// After the current approver (后加签): they approve once the current approver has.
    After,
    /// Beside the current approver (并加签): one more approver of the node.
    Alongside,
}

/// A task (待办, 抄送): one person's part at one activation of one node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// The task's id.
    pub id: TaskId,
    /// The instance.
    pub instance: InstanceId,
    /// The node.
    pub node: String,
    /// The node's name.
    pub node_name: String,
    /// Who is asked.
    pub assignee: PersonId,
    /// What is asked.
    pub kind: TaskKind,
    /// Where it stands.
    pub status: TaskStatus,
    /// When it was created.
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// When its deadline is next handled, while it is pending: the deadline first, then each
    /// reminder's instant as reminders move it.
    #[serde(default)]
    #[serde(with = "crate::codec::opt_instant")]
    pub due_at: Option<DateTime<Utc>>,
    /// The deadline its node set when the task's seat was created, which reminders do not
    /// move: what makes a task overdue (超时). A transfer or reassignment keeps it; an
    /// escalated task gets the fresh deadline counted from the escalation, a signer before or
    /// beside (前/并加签) the node's deadline counted from when they were added.
    #[serde(default)]
    #[serde(with = "crate::codec::opt_instant")]
    pub deadline_at: Option<DateTime<Utc>>,
    /// When its assignee acted (or the system for them).
    #[serde(default)]
    #[serde(with = "crate::codec::opt_instant")]
    pub acted_at: Option<DateTime<Utc>>,
    /// The comment given with the action.
    #[serde(default)]
    pub comment: String,
    /// Its place among the tasks of its node (依次 order), from 0.
    pub order: u32,
    /// The node activation it belongs to.
    pub activation: u32,
    /// The seat it fills: the task it continues (a transfer, a signer before or after), or
    /// itself. Each seat is one vote of the node.
    pub seat: TaskId,
    /// Signers to ask after this task's assignee approves (后加签), in order.
    #[serde(default)]
    pub after: Vec<PersonId>,
    /// Who added this task's assignee as a signer, if someone did.
    #[serde(default)]
    pub added_by: Option<PersonId>,
    /// Whether someone other than its assignee closed it: the system (an automatic approval,
    /// a timeout) or an administrator who reassigned it (改派). Such a task is not in its
    /// assignee's done list (已办).
    #[serde(default)]
    pub auto: bool,
    /// How many reminders were sent for its seat: a transfer, a signer after and a
    /// reassignment carry the count on, so that the node's limit on repeated reminders holds
    /// however often the seat changes hands; an escalated task starts from none.
    #[serde(default)]
    pub reminders: u32,
    /// How many times the initiator urged it (催办).
    #[serde(default)]
    pub urged: u32,
    /// The instance's process key, for lists.
    pub process_key: String,
    /// The instance's process name, for lists.
    pub process_name: String,
    /// The instance's title, for lists.
    pub title: String,
    /// The instance's initiator, for lists.
    pub initiator: PersonId,
    /// The person the task was meant for, when their standing delegation (委托) sent it to its
    /// assignee instead; they find it in [`crate::Oa::tasks_on_my_behalf`]. A transfer (转办)
    /// or reassignment (改派) of such a task keeps it: the seat is still theirs.
    #[serde(default)]
    pub on_behalf_of: Option<PersonId>,
    /// For a task delegated to its assignee to deal with (委派): the owner's task, which waits
    /// as [`TaskStatus::Delegated`] until this one is resolved or taken back.
    #[serde(default)]
    pub delegated_from: Option<TaskId>,
}

impl Record for Task {
    const KIND: &'static str = "task";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// What a history entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryAction {
    /// Submitted by its initiator (提交).
    Submitted,
    /// Approved (同意).
    Approved,
    /// Approved automatically (自动通过).
    AutoApproved,
    /// Rejected (驳回).
    Rejected,
    /// Returned (退回).
    Returned,
    /// Resubmitted by its initiator.
    Resubmitted,
    /// Withdrawn (撤回).
    Withdrawn,
    /// A task handed to someone else (转交).
    Transferred,
    /// A signer added (加签).
    SignerAdded,
    /// A signer removed (减签).
    SignerRemoved,
    /// A comment (评论).
    Commented,
    /// Urged by the initiator (催办).
    Urged,
    /// Copies sent (抄送).
    CcSent,
    /// A copy read (已阅).
    CcRead,
    /// Stopped by an administrator (终止).
    Terminated,
    /// Moved to a node by an administrator (跳转).
    Jumped,
    /// A reminder after a deadline (超时提醒).
    Reminded,
    /// A task escalated after a deadline (超时上报).
    Escalated,
    /// A node passed without approvers (审批人为空，自动通过).
    Skipped,
    /// No approver found; the node's fallback named who approves (审批人为空，转交).
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
    /// A branch condition failed to evaluate and counted as not holding.
    ConditionError,
    /// A branch taken at an exclusive gateway.
    BranchTaken,
    /// A document number assigned (文号).
    NumberAssigned,
    /// The instance ended.
    Ended,
    /// A task moved to another person by an administrator (改派).
    Reassigned,
    /// The instance moved to another version of its process by an administrator (版本迁移).
    Migrated,
}

/// One entry of an instance's history (流转记录).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Its place in the history, from 0.
    pub seq: u32,
    /// When.
    #[serde(with = "crate::codec::instant")]
    pub at: DateTime<Utc>,
    /// Who; `None` for the system.
    #[serde(default)]
    pub actor: Option<PersonId>,
    /// What happened.
    pub action: HistoryAction,
    /// At which node.
    #[serde(default)]
    pub node: Option<String>,
    /// On which task.
    #[serde(default)]
    pub task: Option<TaskId>,
    /// The actor's comment.
    #[serde(default)]
    pub comment: String,
    /// A short account of what happened, in words.
    #[serde(default)]
    pub detail: String,
    /// Form fields changed: `{"field": {"from": …, "to": …}}`.
    #[serde(default)]
    pub changes: Option<Value>,
}

impl Record for HistoryEntry {
    const KIND: &'static str = "instance history entry";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// The counts a person's badges show, kept with every task change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadgeCounts {
    /// Pending tasks (待办).
    pub todo: u64,
    /// Unread copies (未读抄送).
    pub cc_unread: u64,
}

impl Record for BadgeCounts {
    const KIND: &'static str = "badge counts";
}

/// A process to start (发起).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StartProcess {
    /// The process's key.
    pub process_key: String,
    /// The version to run; the latest when `None`.
    #[serde(default)]
    pub version: Option<u32>,
    /// The title people see in lists, 1 to 200 characters.
    pub title: String,
    /// The form data.
    pub data: Value,
    /// The object of another module the instance approves (`contract:01J…`): a prefix naming
    /// the module, a colon and the object's id.
    #[serde(default)]
    pub business_key: Option<String>,
}

/// Where a task returns an instance to (退回).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReturnTarget {
    /// The last node before this one the instance passed, among those allowed.
    Previous,
    /// A node, by id.
    Node(String),
    /// The initiator, who changes and resubmits.
    Initiator,
}

/// What a list of tasks or instances is narrowed to. Every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskQuery {
    /// Only this process.
    #[serde(default)]
    pub process: Option<String>,
    /// Only from this instant (created, or acted for the done list).
    #[serde(default)]
    pub from: Option<DateTime<Utc>>,
    /// Only up to this instant, included.
    #[serde(default)]
    pub to: Option<DateTime<Utc>>,
    /// Only instances this person started.
    #[serde(default)]
    pub initiator: Option<PersonId>,
    /// Only titles containing this text, ignoring case.
    #[serde(default)]
    pub text: Option<String>,
}

/// An instance with its tasks and history (时间线), as a participant sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstanceDetail {
    /// The instance; its data as the viewer may see it.
    pub instance: Instance,
    /// Every task, oldest first.
    pub tasks: Vec<Task>,
    /// The history, oldest first.
    pub history: Vec<HistoryEntry>,
}

/// What [`crate::Oa::process_due`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueReport {
    /// Tasks whose assignees were reminded.
    pub reminded: Vec<TaskId>,
    /// Tasks handed to their assignee's superior.
    pub escalated: Vec<TaskId>,
    /// Tasks approved automatically.
    pub auto_approved: Vec<TaskId>,
    /// Tasks rejected automatically.
    pub auto_rejected: Vec<TaskId>,
    /// Due entries found already handled (by another process, or their task closed).
    pub skipped: u32,
}

/// A standing delegation (委托): while its owner is away, the approval tasks meant for them,
/// of one process or of all, go to its delegate.
///
/// The period is a range of days in the office's time zone, both included, as people say it
/// ("away from the 3rd to the 7th"); `starts_at` and `ends_at` are those days as instants,
/// fixed when the delegation is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    /// The delegation's id.
    pub id: DelegationId,
    /// Whose tasks it sends on (the person away).
    pub owner: PersonId,
    /// Who gets them.
    pub delegate: PersonId,
    /// Only the tasks of this process; every process when `None`.
    #[serde(default)]
    pub process_key: Option<String>,
    /// The first day, in the office's time zone.
    pub first_day: NaiveDate,
    /// The last day, included, in the office's time zone.
    pub last_day: NaiveDate,
    /// The start of the first day.
    #[serde(with = "crate::codec::instant")]
    pub starts_at: DateTime<Utc>,
    /// The end of the last day: the start of the day after it, not included.
    #[serde(with = "crate::codec::instant")]
    pub ends_at: DateTime<Utc>,
    /// Why, as its owner put it (出差, 休假).
    #[serde(default)]
    pub reason: String,
    /// When it was made.
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// Who made it: its owner, or an administrator for them.
    pub created_by: PersonId,
    /// When it was cancelled, if it was.
    #[serde(default)]
    #[serde(with = "crate::codec::opt_instant")]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Who cancelled it.
    #[serde(default)]
    pub cancelled_by: Option<PersonId>,
}

impl Delegation {
    /// Whether it sends tasks on at `at`: not cancelled, and `at` within its period.
    pub fn is_active_at(&self, at: DateTime<Utc>) -> bool {
        self.cancelled_at.is_none() && self.starts_at <= at && at < self.ends_at
    }

    /// Whether it covers the tasks of process `process_key`.
    pub fn covers(&self, process_key: &str) -> bool {
        self.process_key.as_deref().is_none_or(|k| k == process_key)
    }
}

impl Record for Delegation {
    const KIND: &'static str = "delegation";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// A standing delegation to make (设置委托).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDelegation {
    /// Whose tasks to send on; the actor when `None`. Someone else's needs
    /// `workflow.instance.admin` over them.
    #[serde(default)]
    pub owner: Option<PersonId>,
    /// Who gets them: an active person other than the owner.
    pub delegate: PersonId,
    /// Only the tasks of this process (a published process key); every process when `None`.
    #[serde(default)]
    pub process_key: Option<String>,
    /// The first day, in the office's time zone.
    pub first_day: NaiveDate,
    /// The last day, included, in the office's time zone; not before `first_day` nor today.
    pub last_day: NaiveDate,
    /// Why (出差, 休假), at most 200 characters.
    #[serde(default)]
    pub reason: String,
}

/// Key spaces of the runtime. Every index is written in the transaction of its record.
pub(crate) mod keys {
    use chrono::{DateTime, Utc};

    use super::{DelegationId, InstanceId, TaskId};
    use crate::keys::KeyBuf;
    use crate::org::PersonId;

    /// `wf.i/<instance>` → [`super::Instance`].
    pub(crate) fn instance(id: InstanceId) -> KeyBuf {
        KeyBuf::new("wf.i").id(id.0)
    }
    /// `wf.t/<task>` → [`super::Task`].
    pub(crate) fn task(id: TaskId) -> KeyBuf {
        KeyBuf::new("wf.t").id(id.0)
    }
    /// `wf.h/<instance>/<seq>` → [`super::HistoryEntry`].
    pub(crate) fn history(inst: InstanceId, seq: u32) -> KeyBuf {
        histories(inst).u32(seq)
    }
    /// Prefix of the history of `inst`.
    pub(crate) fn histories(inst: InstanceId) -> KeyBuf {
        KeyBuf::new("wf.h").id(inst.0)
    }
    /// `wf.it/<instance>/<task>` → empty: the tasks of an instance.
    pub(crate) fn instance_task(inst: InstanceId, task: TaskId) -> KeyBuf {
        instance_tasks(inst).id(task.0)
    }
    /// Prefix of the tasks of `inst`.
    pub(crate) fn instance_tasks(inst: InstanceId) -> KeyBuf {
        KeyBuf::new("wf.it").id(inst.0)
    }
    /// `wf.todo/<person>/<created>/<task>` → empty: pending tasks (待办).
    pub(crate) fn todo(person: PersonId) -> KeyBuf {
        KeyBuf::new("wf.todo").id(person.0)
    }
    /// `wf.done/<person>/<acted>/<task>` → empty: tasks a person acted on (已办).
    pub(crate) fn done(person: PersonId) -> KeyBuf {
        KeyBuf::new("wf.done").id(person.0)
    }
    /// `wf.mine/<person>/<created>/<instance>` → empty: instances a person started (我发起的).
    pub(crate) fn mine(person: PersonId) -> KeyBuf {
        KeyBuf::new("wf.mine").id(person.0)
    }
    /// `wf.cc/<person>/<created>/<task>` → empty: copies to a person (抄送我的).
    pub(crate) fn cc(person: PersonId) -> KeyBuf {
        KeyBuf::new("wf.cc").id(person.0)
    }
    /// `wf.ccu/<person>/<created>/<task>` → empty: unread copies to a person.
    pub(crate) fn cc_unread(person: PersonId) -> KeyBuf {
        KeyBuf::new("wf.ccu").id(person.0)
    }
    /// `wf.due/<instant>/<task>` → empty: deadlines of pending tasks.
    pub(crate) fn due(at: DateTime<Utc>, task: TaskId) -> KeyBuf {
        dues().time(at).id(task.0)
    }
    /// Prefix of every deadline.
    pub(crate) fn dues() -> KeyBuf {
        KeyBuf::new("wf.due")
    }
    /// `wf.node/<process>/<node>/<entered>/<instance>` → empty: running instances waiting at a
    /// node, longest waiting first.
    pub(crate) fn at_node(process: &str, node: &str, entered: DateTime<Utc>, inst: InstanceId) -> KeyBuf {
        at_nodes(process, node).time(entered).id(inst.0)
    }
    /// Prefix of the instances waiting at a node.
    pub(crate) fn at_nodes(process: &str, node: &str) -> KeyBuf {
        at_process(process).str(node)
    }
    /// Prefix of the instances waiting at any node of a process.
    pub(crate) fn at_process(process: &str) -> KeyBuf {
        KeyBuf::new("wf.node").str(process)
    }
    /// Prefix of the instances waiting at any node of any process.
    pub(crate) fn at_any() -> KeyBuf {
        KeyBuf::new("wf.node")
    }
    /// `wf.ver/<process>/<version u32>/<instance>` → empty: running instances by process
    /// version (what a migration moves).
    pub(crate) fn running(process: &str, version: u32, inst: InstanceId) -> KeyBuf {
        runnings(process, version).id(inst.0)
    }
    /// Prefix of the running instances of a process version.
    pub(crate) fn runnings(process: &str, version: u32) -> KeyBuf {
        KeyBuf::new("wf.ver").str(process).u32(version)
    }
    /// `wf.dl/<deadline>/<task>` → empty: pending and delegated (委派) approval tasks by their
    /// deadline (超时).
    pub(crate) fn deadline(at: DateTime<Utc>, task: TaskId) -> KeyBuf {
        deadlines().time(at).id(task.0)
    }
    /// Prefix of every pending approval task's deadline.
    pub(crate) fn deadlines() -> KeyBuf {
        KeyBuf::new("wf.dl")
    }
    /// `wf.dlp/<process>/<deadline>/<task>` → empty: the same, by process.
    pub(crate) fn process_deadline(process: &str, at: DateTime<Utc>, task: TaskId) -> KeyBuf {
        process_deadlines(process).time(at).id(task.0)
    }
    /// Prefix of the deadlines of a process's pending approval tasks.
    pub(crate) fn process_deadlines(process: &str) -> KeyBuf {
        KeyBuf::new("wf.dlp").str(process)
    }
    /// `wf.stat/<process>/<acted>/<task>` → the task's time (`monitor::TaskTime`): approval
    /// tasks acted on, by when.
    pub(crate) fn task_time(process: &str, acted: DateTime<Utc>, task: TaskId) -> KeyBuf {
        task_times(process).time(acted).id(task.0)
    }
    /// Prefix of the times of a process's acted approval tasks.
    pub(crate) fn task_times(process: &str) -> KeyBuf {
        KeyBuf::new("wf.stat").str(process)
    }
    /// `wf.biz/<business key>/<instance>` → empty: instances by business key.
    pub(crate) fn business(key: &str, inst: InstanceId) -> KeyBuf {
        businesses(key).id(inst.0)
    }
    /// Prefix of the instances of a business key.
    pub(crate) fn businesses(key: &str) -> KeyBuf {
        KeyBuf::new("wf.biz").str(key)
    }
    /// `wf.badge/<person>` → [`super::BadgeCounts`].
    pub(crate) fn badge(person: PersonId) -> KeyBuf {
        KeyBuf::new("wf.badge").id(person.0)
    }
    /// `wf.obh/<owner>/<created>/<task>` → empty: approval tasks a standing delegation sent
    /// on from `owner` to their delegate, whatever became of them.
    pub(crate) fn on_behalf(owner: PersonId) -> KeyBuf {
        KeyBuf::new("wf.obh").id(owner.0)
    }
    /// `wf.dg/<delegation>` → [`super::Delegation`].
    pub(crate) fn delegation(id: DelegationId) -> KeyBuf {
        delegations().id(id.0)
    }
    /// Prefix of every delegation, oldest first (ids sort by creation).
    pub(crate) fn delegations() -> KeyBuf {
        KeyBuf::new("wf.dg")
    }
    /// `wf.dgo/<owner>/<delegation>` → empty: the delegations of an owner, cancelled and past
    /// ones included.
    pub(crate) fn delegations_of(owner: PersonId) -> KeyBuf {
        KeyBuf::new("wf.dgo").id(owner.0)
    }
    /// `wf.dgd/<delegate>/<delegation>` → empty: the delegations to a person.
    pub(crate) fn delegations_to(delegate: PersonId) -> KeyBuf {
        KeyBuf::new("wf.dgd").id(delegate.0)
    }
    /// `wf.dga/<owner>/<ends>/<delegation>` → empty: an owner's delegations not cancelled, by
    /// the instant they end, so that those still running or to come are one range scan from now.
    pub(crate) fn live_delegations(owner: PersonId) -> KeyBuf {
        KeyBuf::new("wf.dga").id(owner.0)
    }
}
