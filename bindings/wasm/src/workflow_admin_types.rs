//! The inputs and outputs of the workflow's business types, monitoring, migration and
//! delegation as JavaScript sees them, beside the rest of the workflow's in `types`.
//!
//! As there, each type mirrors one of the core and converts with an exhaustive struct pattern
//! or literal, so a field added to the core fails this crate's build until it is mirrored here.
//! Ids are strings (`Id`), instants ISO 8601 strings in UTC (`Instant`), days ISO 8601 dates
//! (`IsoDate`); absent values are `null` in outputs and may be left out (or `null`) in inputs.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use tsify::Tsify;

use oa::org::{DeptId, PersonId};
use oa::workflow::runtime as core_rt;
use oa::workflow::runtime::{DelegationId, InstanceId};

use crate::types::{FieldProblem, InstanceStatus, Task};

/// Reads a calendar date written `YYYY-MM-DD`.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(d)?;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date such as `2026-10-01`")))
}

// ----------------------------------------------------------------------------------------------
// Business types and their feed

/// A kind of business object whose instances are followed through the event feed (业务类型),
/// as `declareBusinessType` declares it.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct BusinessType {
    /// The prefix of its business keys (`purchase` for `purchase:PO-2026-001`).
    pub prefix: String,
    /// What its objects are, for administrators.
    pub description: String,
    /// Who declared it.
    #[tsify(type = "Id")]
    pub declared_by: PersonId,
    /// When.
    #[tsify(type = "Instant")]
    pub declared_at: DateTime<Utc>,
    /// How many events its feed holds: the sequence number of the latest one.
    pub last_seq: u64,
}

impl From<core_rt::BusinessType> for BusinessType {
    fn from(t: core_rt::BusinessType) -> Self {
        let core_rt::BusinessType { prefix, description, declared_by, declared_at, last_seq } = t;
        BusinessType { prefix, description, declared_by, declared_at, last_seq }
    }
}

/// How one instance linked to a business object ended, as the feed of its type tells it
/// (`businessEvents`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct BusinessEvent {
    /// Its place in the feed of its type, from 1, without gaps: remember the last one handled
    /// and read again after it.
    pub seq: u64,
    /// The business key (`purchase:PO-2026-001`).
    pub business_key: String,
    /// The instance.
    #[tsify(type = "Id")]
    pub instance: InstanceId,
    /// The process's key.
    pub process_key: String,
    /// How it ended: `approved`, `rejected`, `withdrawn` or `terminated`.
    pub outcome: InstanceStatus,
    /// The document number (文号) assigned, if any.
    pub number: Option<String>,
    /// Who started the instance.
    #[tsify(type = "Id")]
    pub initiator: PersonId,
    /// The initiator's department when it started.
    #[tsify(type = "Id")]
    pub initiator_dept: DeptId,
    /// When it ended.
    #[tsify(type = "Instant")]
    pub at: DateTime<Utc>,
}

impl From<core_rt::BusinessEvent> for BusinessEvent {
    fn from(e: core_rt::BusinessEvent) -> Self {
        let core_rt::BusinessEvent {
            seq,
            business_key,
            instance,
            process_key,
            outcome,
            number,
            initiator,
            initiator_dept,
            at,
        } = e;
        BusinessEvent {
            seq,
            business_key,
            instance,
            process_key,
            outcome: outcome.into(),
            number,
            initiator,
            initiator_dept,
            at,
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Monitoring (过程监控)

/// How many running instances wait at one node of a process (`nodeCounts`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NodeCount {
    /// The node's id.
    pub node: String,
    /// How many running instances wait there.
    pub waiting: u64,
    /// When the instance that has waited there longest arrived.
    #[tsify(type = "Instant")]
    pub oldest_entered_at: DateTime<Utc>,
}

impl From<core_rt::NodeCount> for NodeCount {
    fn from(c: core_rt::NodeCount) -> Self {
        let core_rt::NodeCount { node, waiting, oldest_entered_at } = c;
        NodeCount { node, waiting, oldest_entered_at }
    }
}

/// A running instance waiting at a node, with how long it has waited (`waitingAtNode`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NodeWait {
    /// The instance.
    #[tsify(type = "Id")]
    pub instance: InstanceId,
    /// Its title.
    pub title: String,
    /// The process version it runs.
    pub process_version: u32,
    /// Who started it.
    #[tsify(type = "Id")]
    pub initiator: PersonId,
    /// The node it waits at.
    pub node: String,
    /// When it arrived at the node (a node reached again after a return counts from the new
    /// arrival).
    #[tsify(type = "Instant")]
    pub entered_at: DateTime<Utc>,
    /// The time since it arrived, in whole seconds.
    pub waited_seconds: u64,
    /// The working time since it arrived, in whole minutes, by the office's calendar.
    pub waited_working_minutes: u64,
    /// The people whose pending task there the instance waits for (none at a join).
    #[tsify(type = "Id[]")]
    pub assignees: Vec<PersonId>,
}

impl From<core_rt::NodeWait> for NodeWait {
    fn from(w: core_rt::NodeWait) -> Self {
        let core_rt::NodeWait {
            instance,
            title,
            process_version,
            initiator,
            node,
            entered_at,
            waited_seconds,
            waited_working_minutes,
            assignees,
        } = w;
        NodeWait {
            instance,
            title,
            process_version,
            initiator,
            node,
            entered_at,
            waited_seconds,
            waited_working_minutes,
            assignees,
        }
    }
}

/// One page of instances waiting at a node, longest waiting first.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NodeWaitPage {
    /// The instances of this page.
    pub items: Vec<NodeWait>,
    /// Where the next page starts; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_rt::NodeWait>> for NodeWaitPage {
    fn from(p: oa::Page<core_rt::NodeWait>) -> Self {
        let oa::Page { items, next_cursor } = p;
        NodeWaitPage { items: items.into_iter().map(NodeWait::from).collect(), next_cursor }
    }
}

/// A pending approval task past its deadline (超时), from `overdueTasks`.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct OverdueTask {
    /// The task; its `deadlineAt` is the deadline that passed.
    pub task: Task,
    /// The time since the deadline, in whole seconds.
    pub overdue_seconds: u64,
    /// The working time since the deadline, in whole minutes, by the office's calendar.
    pub overdue_working_minutes: u64,
}

impl From<core_rt::OverdueTask> for OverdueTask {
    fn from(o: core_rt::OverdueTask) -> Self {
        let core_rt::OverdueTask { task, overdue_seconds, overdue_working_minutes } = o;
        OverdueTask { task: task.into(), overdue_seconds, overdue_working_minutes }
    }
}

/// One page of overdue tasks, most overdue first.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct OverdueTaskPage {
    /// The tasks of this page.
    pub items: Vec<OverdueTask>,
    /// Where the next page starts; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_rt::OverdueTask>> for OverdueTaskPage {
    fn from(p: oa::Page<core_rt::OverdueTask>) -> Self {
        let oa::Page { items, next_cursor } = p;
        OverdueTaskPage { items: items.into_iter().map(OverdueTask::from).collect(), next_cursor }
    }
}

/// Why an instance is stuck.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StuckReason {
    /// The node has no pending task at all.
    NoPendingTask,
    /// Every pending task of the node belongs to someone who is no longer active (disabled,
    /// or left the organisation).
    NoActiveAssignee,
    /// Someone active can act now, but someone no longer active waits for their turn at the
    /// node (依次): it stops when that turn comes unless `reassignTurn` replaces them.
    InactiveInQueue,
}

impl From<core_rt::StuckReason> for StuckReason {
    fn from(r: core_rt::StuckReason) -> Self {
        use core_rt::StuckReason as R;
        match r {
            R::NoPendingTask => StuckReason::NoPendingTask,
            R::NoActiveAssignee => StuckReason::NoActiveAssignee,
            R::InactiveInQueue => StuckReason::InactiveInQueue,
        }
    }
}

/// A running instance waiting at a node where nobody can act (卡住的流程), from
/// `stuckInstances`: an administrator reassigns its task (`reassignTask`), moves it (`jump`)
/// or terminates it.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct StuckInstance {
    /// The instance.
    #[tsify(type = "Id")]
    pub instance: InstanceId,
    /// Its title.
    pub title: String,
    /// Its process's key.
    pub process_key: String,
    /// The process version it runs.
    pub process_version: u32,
    /// Who started it.
    #[tsify(type = "Id")]
    pub initiator: PersonId,
    /// The node it is stuck at: an approval node, or the start node while it is returned to
    /// its initiator.
    pub node: String,
    /// When it arrived at the node.
    #[tsify(type = "Instant")]
    pub entered_at: DateTime<Utc>,
    /// Why nobody can act.
    pub reason: StuckReason,
    /// The inactive people holding the node's pending tasks (empty for `no_pending_task`).
    #[tsify(type = "Id[]")]
    pub assignees: Vec<PersonId>,
}

impl From<core_rt::StuckInstance> for StuckInstance {
    fn from(s: core_rt::StuckInstance) -> Self {
        let core_rt::StuckInstance {
            instance,
            title,
            process_key,
            process_version,
            initiator,
            node,
            entered_at,
            reason,
            assignees,
        } = s;
        StuckInstance {
            instance,
            title,
            process_key,
            process_version,
            initiator,
            node,
            entered_at,
            reason: reason.into(),
            assignees,
        }
    }
}

/// One page of stuck instances. Each call examines a bounded number of waiting instances, so a
/// page may come back short (even empty) with a `nextCursor` to go on from.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct StuckInstancePage {
    /// The instances of this page.
    pub items: Vec<StuckInstance>,
    /// Where the next page starts; `null` once every waiting instance was examined.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_rt::StuckInstance>> for StuckInstancePage {
    fn from(p: oa::Page<core_rt::StuckInstance>) -> Self {
        let oa::Page { items, next_cursor } = p;
        StuckInstancePage { items: items.into_iter().map(StuckInstance::from).collect(), next_cursor }
    }
}

/// How long the approval tasks of one node took over a period (`nodeTimes`), to find
/// bottlenecks.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NodeTime {
    /// The node's id.
    pub node: String,
    /// The node's name, as its most recent task in the period had it.
    pub node_name: String,
    /// How many of its tasks were acted on in the period.
    pub completed: u64,
    /// The mean time from a task's creation to its action, in seconds, rounded to the nearest.
    pub avg_seconds: u64,
    /// The 90th percentile of that time, in seconds (nearest rank: a time some task took).
    pub p90_seconds: u64,
    /// The mean working time from creation to action, in minutes, rounded to the nearest.
    pub avg_working_minutes: u64,
    /// The 90th percentile of the working time, in minutes (nearest rank).
    pub p90_working_minutes: u64,
}

impl From<core_rt::NodeTime> for NodeTime {
    fn from(t: core_rt::NodeTime) -> Self {
        let core_rt::NodeTime {
            node,
            node_name,
            completed,
            avg_seconds,
            p90_seconds,
            avg_working_minutes,
            p90_working_minutes,
        } = t;
        NodeTime { node, node_name, completed, avg_seconds, p90_seconds, avg_working_minutes, p90_working_minutes }
    }
}

// ----------------------------------------------------------------------------------------------
// Migration (版本迁移)

/// An instance a migration left on its version, and why.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct MigrationRefusal {
    /// The instance.
    #[tsify(type = "Id")]
    pub instance: InstanceId,
    /// The code of the error that refused it (`validation`, `invalid_state`,
    /// `permission_denied`…), one of `errorCodes()`.
    pub code: String,
    /// The reason, in words.
    pub reason: String,
    /// For a `validation` refusal, each problem with its path: `nodes[<node>]` for a node the
    /// instance waits at that the target lacks or changed, `data.<field>` for a field its data
    /// fails in the target's form.
    pub fields: Vec<FieldProblem>,
}

/// What `migrateInstances` did, instance by instance.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct MigrationReport {
    /// The instances moved to the target version.
    #[tsify(type = "Id[]")]
    pub migrated: Vec<InstanceId>,
    /// The instances left where they were, each with why.
    pub refused: Vec<MigrationRefusal>,
}

impl From<core_rt::MigrationReport> for MigrationReport {
    fn from(r: core_rt::MigrationReport) -> Self {
        let core_rt::MigrationReport { migrated, refused } = r;
        let refused = refused
            .into_iter()
            .map(|f| {
                let core_rt::MigrationRefusal { instance, code, reason, fields } = f;
                MigrationRefusal {
                    instance,
                    code,
                    reason,
                    fields: fields.into_iter().map(FieldProblem::from).collect(),
                }
            })
            .collect();
        MigrationReport { migrated, refused }
    }
}

// ----------------------------------------------------------------------------------------------
// Standing delegation (委托)

/// A standing delegation (委托): while its owner is away, the approval tasks meant for them, of
/// one process or of all, go to its delegate.
///
/// The period is a range of days in the office's time zone, both included, as people say it;
/// `startsAt` and `endsAt` are those days as instants, fixed when it was made.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Delegation {
    /// The delegation's id.
    #[tsify(type = "Id")]
    pub id: DelegationId,
    /// Whose tasks it sends on (the person away).
    #[tsify(type = "Id")]
    pub owner: PersonId,
    /// Who gets them.
    #[tsify(type = "Id")]
    pub delegate: PersonId,
    /// Only the tasks of this process; every process when `null`.
    pub process_key: Option<String>,
    /// The first day, in the office's time zone.
    #[tsify(type = "IsoDate")]
    pub first_day: NaiveDate,
    /// The last day, included, in the office's time zone.
    #[tsify(type = "IsoDate")]
    pub last_day: NaiveDate,
    /// The start of the first day.
    #[tsify(type = "Instant")]
    pub starts_at: DateTime<Utc>,
    /// The end of the last day: the start of the day after it, not included.
    #[tsify(type = "Instant")]
    pub ends_at: DateTime<Utc>,
    /// Why, as its owner put it (出差, 休假).
    pub reason: String,
    /// When it was made.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// Who made it: its owner, or an administrator for them.
    #[tsify(type = "Id")]
    pub created_by: PersonId,
    /// When it was cancelled, if it was.
    #[tsify(type = "Instant | null")]
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Who cancelled it.
    #[tsify(type = "Id | null")]
    pub cancelled_by: Option<PersonId>,
}

impl From<core_rt::Delegation> for Delegation {
    fn from(d: core_rt::Delegation) -> Self {
        let core_rt::Delegation {
            id,
            owner,
            delegate,
            process_key,
            first_day,
            last_day,
            starts_at,
            ends_at,
            reason,
            created_at,
            created_by,
            cancelled_at,
            cancelled_by,
        } = d;
        Delegation {
            id,
            owner,
            delegate,
            process_key,
            first_day,
            last_day,
            starts_at,
            ends_at,
            reason,
            created_at,
            created_by,
            cancelled_at,
            cancelled_by,
        }
    }
}

/// A standing delegation to make (`createDelegation`, 设置委托).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NewDelegation {
    /// Whose tasks to send on; left out, the caller. Someone else's needs
    /// `workflow.instance.admin` over them.
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub owner: Option<PersonId>,
    /// Who gets them: an active person other than the owner.
    #[tsify(type = "Id")]
    pub delegate: PersonId,
    /// Only the tasks of this process (a published process key); left out, every process.
    #[serde(default)]
    pub process_key: Option<String>,
    /// The first day, in the office's time zone.
    #[serde(deserialize_with = "date")]
    #[tsify(type = "IsoDate")]
    pub first_day: NaiveDate,
    /// The last day, included, in the office's time zone; not before `firstDay` nor today.
    #[serde(deserialize_with = "date")]
    #[tsify(type = "IsoDate")]
    pub last_day: NaiveDate,
    /// Why (出差, 休假), at most 200 characters; may be left out.
    #[serde(default)]
    pub reason: String,
}

impl From<NewDelegation> for core_rt::NewDelegation {
    fn from(d: NewDelegation) -> Self {
        let NewDelegation { owner, delegate, process_key, first_day, last_day, reason } = d;
        core_rt::NewDelegation { owner, delegate, process_key, first_day, last_day, reason }
    }
}

/// One page of standing delegations, newest first.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct DelegationPage {
    /// The delegations of this page.
    pub items: Vec<Delegation>,
    /// Where the next page starts; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_rt::Delegation>> for DelegationPage {
    fn from(p: oa::Page<core_rt::Delegation>) -> Self {
        let oa::Page { items, next_cursor } = p;
        DelegationPage { items: items.into_iter().map(Delegation::from).collect(), next_cursor }
    }
}
