//! The records of running the workflow as an office: business types and their feed of
//! endings (业务类型), process monitoring and migration (过程监控, 版本迁移), and standing
//! delegations (委托). Mirrors of the core's types, with ids as strings and instants as
//! `SystemTime`, as in `workflow`.

use std::time::SystemTime;

use oa::workflow::runtime as core_rt;
use oa::workflow::runtime::DelegationId;
use oa::Id;

use crate::types::{to_system, FieldError, Fields, LocalDate, ParseId};
use crate::workflow::{strings, InstanceStatus, Task};

impl ParseId for DelegationId {
    fn parse_id(field: &str, text: &str) -> oa::OaResult<Self> {
        DelegationId::parse(field, text)
    }
    fn placeholder() -> Self {
        Self(Id::default())
    }
}

// --- business types ----------------------------------------------------------------------------

/// A kind of business object whose instances an application follows through the feed of
/// their endings (业务类型): instances may carry business keys `prefix:…` once it is declared.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BusinessType {
    /// The prefix of its business keys (`purchase` for `purchase:PO-2026-001`).
    pub prefix: String,
    /// What its objects are, for administrators.
    pub description: String,
    /// Who declared it (a person's id).
    pub declared_by: String,
    /// When.
    pub declared_at: SystemTime,
    /// The sequence number of the latest event of its feed (0 while it has none).
    pub last_seq: u64,
}

impl From<core_rt::BusinessType> for BusinessType {
    fn from(t: core_rt::BusinessType) -> Self {
        BusinessType {
            prefix: t.prefix,
            description: t.description,
            declared_by: t.declared_by.to_string(),
            declared_at: to_system(t.declared_at),
            last_seq: t.last_seq,
        }
    }
}

/// How one instance linked to a business object ended, as the feed of its type tells it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BusinessEvent {
    /// Its place in the feed of its type, from 1, without gaps: remember the last one handled
    /// and ask again after it.
    pub seq: u64,
    /// The business key (`purchase:PO-2026-001`).
    pub business_key: String,
    /// The instance's id.
    pub instance: String,
    /// The process's key.
    pub process_key: String,
    /// How it ended: approved, rejected, withdrawn or terminated.
    pub outcome: InstanceStatus,
    /// The document number assigned, if any.
    pub number: Option<String>,
    /// Who started the instance (a person's id).
    pub initiator: String,
    /// The initiator's department when it started.
    pub initiator_dept: String,
    /// When it ended.
    pub at: SystemTime,
}

impl From<core_rt::BusinessEvent> for BusinessEvent {
    fn from(e: core_rt::BusinessEvent) -> Self {
        BusinessEvent {
            seq: e.seq,
            business_key: e.business_key,
            instance: e.instance.to_string(),
            process_key: e.process_key,
            outcome: e.outcome.into(),
            number: e.number,
            initiator: e.initiator.to_string(),
            initiator_dept: e.initiator_dept.to_string(),
            at: to_system(e.at),
        }
    }
}

// --- monitoring ----------------------------------------------------------------------------------

/// How many running instances wait at one node of a process (流程监控).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NodeCount {
    /// The node's id.
    pub node: String,
    /// How many running instances wait there.
    pub waiting: u64,
    /// When the instance that has waited there longest arrived.
    pub oldest_entered_at: SystemTime,
}

impl From<core_rt::NodeCount> for NodeCount {
    fn from(c: core_rt::NodeCount) -> Self {
        NodeCount { node: c.node, waiting: c.waiting, oldest_entered_at: to_system(c.oldest_entered_at) }
    }
}

/// A running instance waiting at a node, with how long it has waited.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NodeWait {
    /// The instance's id.
    pub instance: String,
    /// Its title.
    pub title: String,
    /// The process version it runs.
    pub process_version: u32,
    /// Who started it (a person's id).
    pub initiator: String,
    /// The node it waits at.
    pub node: String,
    /// When it arrived at the node (this time: after a return, from the new arrival).
    pub entered_at: SystemTime,
    /// The time since it arrived, in whole seconds.
    pub waited_seconds: u64,
    /// The working time since it arrived, in whole minutes, by the office's calendar.
    pub waited_working_minutes: u64,
    /// The people whose pending task there it waits for (ids; none at a join).
    pub assignees: Vec<String>,
}

impl From<core_rt::NodeWait> for NodeWait {
    fn from(w: core_rt::NodeWait) -> Self {
        NodeWait {
            instance: w.instance.to_string(),
            title: w.title,
            process_version: w.process_version,
            initiator: w.initiator.to_string(),
            node: w.node,
            entered_at: to_system(w.entered_at),
            waited_seconds: w.waited_seconds,
            waited_working_minutes: w.waited_working_minutes,
            assignees: strings(&w.assignees),
        }
    }
}

/// A pending approval task past its deadline (超时).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OverdueTask {
    /// The task; its `deadline_at` is the deadline that passed.
    pub task: Task,
    /// The time since the deadline, in whole seconds.
    pub overdue_seconds: u64,
    /// The working time since the deadline, in whole minutes, by the office's calendar.
    pub overdue_working_minutes: u64,
}

impl From<core_rt::OverdueTask> for OverdueTask {
    fn from(o: core_rt::OverdueTask) -> Self {
        OverdueTask {
            task: o.task.into(),
            overdue_seconds: o.overdue_seconds,
            overdue_working_minutes: o.overdue_working_minutes,
        }
    }
}

/// Why an instance is stuck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum StuckReason {
    /// The node has no pending task at all.
    NoPendingTask,
    /// Every pending task of the node belongs to someone no longer active (disabled, or left).
    NoActiveAssignee,
    /// Someone active can act now, but someone no longer active waits for their turn at the
    /// node (依次): it stops when that turn comes unless `reassignTurn` replaces them.
    InactiveInQueue,
}

impl From<core_rt::StuckReason> for StuckReason {
    fn from(r: core_rt::StuckReason) -> Self {
        match r {
            core_rt::StuckReason::NoPendingTask => StuckReason::NoPendingTask,
            core_rt::StuckReason::NoActiveAssignee => StuckReason::NoActiveAssignee,
            core_rt::StuckReason::InactiveInQueue => StuckReason::InactiveInQueue,
        }
    }
}

/// A running instance waiting at a node where nobody can act (卡住的流程): an administrator
/// reassigns its task (`reassignTask`), moves it (`jump`) or terminates it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct StuckInstance {
    /// The instance's id.
    pub instance: String,
    /// Its title.
    pub title: String,
    /// Its process's key.
    pub process_key: String,
    /// The process version it runs.
    pub process_version: u32,
    /// Who started it (a person's id).
    pub initiator: String,
    /// The node it is stuck at: an approval node, or the start while returned to its initiator.
    pub node: String,
    /// When it arrived at the node.
    pub entered_at: SystemTime,
    /// Why nobody can act.
    pub reason: StuckReason,
    /// The inactive people holding the node's pending tasks (ids; empty for `NoPendingTask`).
    pub assignees: Vec<String>,
}

impl From<core_rt::StuckInstance> for StuckInstance {
    fn from(s: core_rt::StuckInstance) -> Self {
        StuckInstance {
            instance: s.instance.to_string(),
            title: s.title,
            process_key: s.process_key,
            process_version: s.process_version,
            initiator: s.initiator.to_string(),
            node: s.node,
            entered_at: to_system(s.entered_at),
            reason: s.reason.into(),
            assignees: strings(&s.assignees),
        }
    }
}

/// How long the approval tasks of one node took over a period, to find bottlenecks.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NodeTime {
    /// The node's id.
    pub node: String,
    /// The node's name, as its most recent task in the period had it.
    pub node_name: String,
    /// How many of its tasks were acted on in the period.
    pub completed: u64,
    /// The mean time from a task's creation to its action, in seconds.
    pub avg_seconds: u64,
    /// The 90th percentile of that time, in seconds (nearest rank: a time some task took).
    pub p90_seconds: u64,
    /// The mean working time from creation to action, in minutes.
    pub avg_working_minutes: u64,
    /// The 90th percentile of the working time, in minutes.
    pub p90_working_minutes: u64,
}

impl From<core_rt::NodeTime> for NodeTime {
    fn from(t: core_rt::NodeTime) -> Self {
        NodeTime {
            node: t.node,
            node_name: t.node_name,
            completed: t.completed,
            avg_seconds: t.avg_seconds,
            p90_seconds: t.p90_seconds,
            avg_working_minutes: t.avg_working_minutes,
            p90_working_minutes: t.p90_working_minutes,
        }
    }
}

/// An instance a migration left on its version, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MigrationRefusal {
    /// The instance's id.
    pub instance: String,
    /// The code of the error that refused it (`validation`, `invalid_state`,
    /// `permission_denied`…), as `OaException.code()` gives it.
    pub code: String,
    /// The reason, in words.
    pub reason: String,
    /// For a `validation` refusal, each problem with its path: `nodes[<node>]` for a node the
    /// target lacks or changed, `data.<field>` for a field the data fails in the target's form.
    pub fields: Vec<FieldError>,
}

impl From<core_rt::MigrationRefusal> for MigrationRefusal {
    fn from(r: core_rt::MigrationRefusal) -> Self {
        MigrationRefusal {
            instance: r.instance.to_string(),
            code: r.code,
            reason: r.reason,
            fields: r.fields.into_iter().map(FieldError::from).collect(),
        }
    }
}

/// What `migrateInstances` did, instance by instance.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MigrationReport {
    /// The instances moved to the target version (ids).
    pub migrated: Vec<String>,
    /// The instances left where they were, each with why.
    pub refused: Vec<MigrationRefusal>,
}

impl From<core_rt::MigrationReport> for MigrationReport {
    fn from(r: core_rt::MigrationReport) -> Self {
        MigrationReport {
            migrated: strings(&r.migrated),
            refused: r.refused.into_iter().map(MigrationRefusal::from).collect(),
        }
    }
}

// --- standing delegations ------------------------------------------------------------------------

/// A standing delegation (委托): while its owner is away, the approval tasks meant for them, of
/// one process or of all, go to its delegate. The period is a range of days in the office's
/// time zone, both included; `starts_at` and `ends_at` are those days as instants.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Delegation {
    /// Its id.
    pub id: String,
    /// Whose tasks it sends on (the person away; an id).
    pub owner: String,
    /// Who gets them (an id).
    pub delegate: String,
    /// Only the tasks of this process; every process when `None`.
    pub process_key: Option<String>,
    /// The first day, in the office's time zone.
    pub first_day: LocalDate,
    /// The last day, included.
    pub last_day: LocalDate,
    /// The start of the first day.
    pub starts_at: SystemTime,
    /// The end of the last day (the start of the day after, not included).
    pub ends_at: SystemTime,
    /// Why, as its owner put it (出差, 休假).
    pub reason: String,
    /// When it was made.
    pub created_at: SystemTime,
    /// Who made it: its owner, or an administrator for them (an id).
    pub created_by: String,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<SystemTime>,
    /// Who cancelled it (an id).
    pub cancelled_by: Option<String>,
}

impl From<core_rt::Delegation> for Delegation {
    fn from(d: core_rt::Delegation) -> Self {
        Delegation {
            id: d.id.to_string(),
            owner: d.owner.to_string(),
            delegate: d.delegate.to_string(),
            process_key: d.process_key,
            first_day: d.first_day,
            last_day: d.last_day,
            starts_at: to_system(d.starts_at),
            ends_at: to_system(d.ends_at),
            reason: d.reason,
            created_at: to_system(d.created_at),
            created_by: d.created_by.to_string(),
            cancelled_at: d.cancelled_at.map(to_system),
            cancelled_by: d.cancelled_by.map(|p| p.to_string()),
        }
    }
}

/// A standing delegation to make (设置委托).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewDelegation {
    /// Who gets the tasks: an active person other than the owner (an id).
    pub delegate: String,
    /// The first day, in the office's time zone.
    pub first_day: LocalDate,
    /// The last day, included; not before `first_day` nor today.
    pub last_day: LocalDate,
    /// Whose tasks to send on (an id); the caller when `None`. Someone else's needs
    /// `workflow.instance.admin` over them.
    #[uniffi(default = None)]
    pub owner: Option<String>,
    /// Only the tasks of this process (a published process key); every process when `None`.
    #[uniffi(default = None)]
    pub process_key: Option<String>,
    /// Why (出差, 休假), at most 200 characters.
    #[uniffi(default = "")]
    pub reason: String,
}

impl NewDelegation {
    pub(crate) fn into_core(self) -> oa::OaResult<core_rt::NewDelegation> {
        let mut f = Fields::new();
        let owner = f.opt_id("owner", self.owner.as_deref());
        let delegate = f.id("delegate", &self.delegate);
        f.finish()?;
        Ok(core_rt::NewDelegation {
            owner,
            delegate,
            process_key: self.process_key,
            first_day: self.first_day,
            last_day: self.last_day,
            reason: self.reason,
        })
    }
}

// --- pages ---------------------------------------------------------------------------------------

macro_rules! pages {
    ($($(#[$m:meta])* $page:ident of $item:ident = $core:ty;)*) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
        pub struct $page {
            /// The items of this page.
            pub items: Vec<$item>,
            /// Where the next page starts; `None` on the last page.
            pub next_cursor: Option<String>,
        }

        impl From<oa::Page<$core>> for $page {
            fn from(p: oa::Page<$core>) -> Self {
                $page { items: p.items.into_iter().map($item::from).collect(), next_cursor: p.next_cursor }
            }
        }
    )*};
}

pages! {
    /// One page of the instances waiting at a node, longest waiting first.
    NodeWaitPage of NodeWait = core_rt::NodeWait;
    /// One page of overdue tasks, most overdue first.
    OverdueTaskPage of OverdueTask = core_rt::OverdueTask;
    /// One page of stuck instances; it may come back short, even empty, with a cursor to go on
    /// from, since each call examines a bounded number of waiting instances.
    StuckInstancePage of StuckInstance = core_rt::StuckInstance;
    /// One page of standing delegations, newest first.
    DelegationPage of Delegation = core_rt::Delegation;
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_id_of_a_new_delegation_is_named() {
        let d = NewDelegation {
            delegate: "nobody".into(),
            first_day: "2026-01-06".parse().unwrap(),
            last_day: "2026-01-07".parse().unwrap(),
            owner: Some("someone".into()),
            process_key: None,
            reason: String::new(),
        };
        let e = d.into_core().unwrap_err();
        let paths: Vec<_> = e.field_errors().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["owner", "delegate"]);
    }

    #[test]
    fn a_delegation_id_that_is_not_one_names_its_field() {
        let e = DelegationId::parse_id("id", "not-an-id").unwrap_err();
        assert_eq!(e.field_errors()[0].path, "id");
    }
}
