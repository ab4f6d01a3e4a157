//! Process monitoring (过程监控) and an administrator's hand on running tasks: where the
//! running instances of a process wait and for how long, which tasks are overdue (超时), which
//! instances are stuck with nobody able to act, how long each node takes, and moving a task to
//! another person (改派). Moving instances to another process version is in `migrate.rs`.
//!
//! Every list here reads an index: the node index (`wf.node/<process>/<node>/<entered>/…`), the
//! deadline indexes (`wf.dl/<deadline>/…`, `wf.dlp/<process>/<deadline>/…`) and the task times
//! (`wf.stat/<process>/<acted>/…`), each written by `store::save_instance` or
//! `store::save_task` with its record. None reads every instance of the store.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;

use chrono::{DateTime, Datelike, Utc};
use oa_storage::{Direction, KeyRange, ReadTxn};
use serde::{Deserialize, Serialize};

use super::flow::{new_task, Rt};
use super::model::{keys, HistoryAction, Instance, InstanceId, InstanceStatus, Task, TaskId, TaskKind, TaskStatus};
use super::resolve::active_person;
use super::store::{entered_at, instance_tasks, load_instance, load_task, time_range};
use super::{act::MAX_COMMENT_LEN, INSTANCE_ADMIN};
use crate::admin::calendar::{load_calendar, WorkCalendar};
use crate::codec::Record;
use crate::error::Problems;
use crate::keys::{trailing_id, KeyReader};
use crate::org::PersonId;
use crate::page::{cursor_for, decode_cursor, scan_page, Page, PageRequest};
use crate::perm::Principal;
use crate::workflow::definition::{load_process, NodeKind, ProcessDefinition};
use crate::{OaError, OaResult};

/// How many node-index entries one call of [`crate::Oa::stuck_instances`] examines at most.
/// A page may hold fewer items than asked, with a cursor to go on from, when the entries
/// examined held fewer stuck instances: the cost of a call stays bounded however many
/// instances run.
pub const STUCK_SCAN_LIMIT: usize = 1000;

/// How many running instances wait at one node of a process (流程监控).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeCount {
    /// The node's id.
    pub node: String,
    /// How many running instances wait there.
    pub waiting: u64,
    /// When the instance that has waited there longest arrived.
    pub oldest_entered_at: DateTime<Utc>,
}

/// A running instance waiting at a node, with how long it has waited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeWait {
    /// The instance.
    pub instance: InstanceId,
    /// Its title.
    pub title: String,
    /// The process version it runs.
    pub process_version: u32,
    /// Who started it.
    pub initiator: PersonId,
    /// The node it waits at.
    pub node: String,
    /// When it arrived at the node (this time: a node reached again after a return counts
    /// from the new arrival).
    pub entered_at: DateTime<Utc>,
    /// The time since it arrived, in whole seconds.
    pub waited_seconds: u64,
    /// The working time since it arrived, in whole minutes, by the office's calendar.
    pub waited_working_minutes: u64,
    /// The people whose pending task there the instance waits for (none at a join).
    pub assignees: Vec<PersonId>,
}

/// A pending approval task past its deadline (超时).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverdueTask {
    /// The task; its `deadline_at` is the deadline that passed.
    pub task: Task,
    /// The time since the deadline, in whole seconds.
    pub overdue_seconds: u64,
    /// The working time since the deadline, in whole minutes, by the office's calendar.
    pub overdue_working_minutes: u64,
}

/// Why an instance is stuck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StuckReason {
    /// The node has no pending task at all.
    NoPendingTask,
    /// Every pending task of the node belongs to someone who is no longer active (disabled,
    /// or left the organisation).
    NoActiveAssignee,
    /// Someone active can act at the node now, but someone who is no longer active waits for
    /// their turn there (依次): the instance stops when that turn comes, unless an
    /// administrator puts someone in their place first ([`crate::Oa::reassign_turn`]).
    InactiveInQueue,
}

/// A running instance waiting at a node where nobody can act (卡住的流程), or that will stop
/// there when the turn of someone who left comes: an administrator reassigns its task
/// ([`crate::Oa::reassign_task`]) or the queued turn ([`crate::Oa::reassign_turn`]), moves it
/// ([`crate::Oa::jump`]) or terminates it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StuckInstance {
    /// The instance.
    pub instance: InstanceId,
    /// Its title.
    pub title: String,
    /// Its process's key.
    pub process_key: String,
    /// The process version it runs.
    pub process_version: u32,
    /// Who started it.
    pub initiator: PersonId,
    /// The node it is stuck at: an approval node, or the start node while it is returned to
    /// its initiator.
    pub node: String,
    /// When it arrived at the node.
    pub entered_at: DateTime<Utc>,
    /// Why nobody can act, or will be able to.
    pub reason: StuckReason,
    /// The inactive people holding the node's pending tasks, or for
    /// [`StuckReason::InactiveInQueue`] those waiting for their turn (empty for
    /// [`StuckReason::NoPendingTask`]).
    pub assignees: Vec<PersonId>,
}

/// How long the approval tasks of one node took over a period, to find bottlenecks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeTime {
    /// The node's id.
    pub node: String,
    /// The node's name, as its most recent task in the period had it.
    pub node_name: String,
    /// How many of its tasks were acted on in the period.
    pub completed: u64,
    /// The mean time from a task's creation to its action, in seconds, rounded to the nearest.
    pub avg_seconds: u64,
    /// The 90th percentile of that time, in seconds (nearest rank: the smallest time that at
    /// least 90% of the tasks took no longer than).
    pub p90_seconds: u64,
    /// The mean working time from creation to action, in minutes, rounded to the nearest.
    pub avg_working_minutes: u64,
    /// The 90th percentile of the working time, in minutes (nearest rank).
    pub p90_working_minutes: u64,
}

/// The time an acted approval task took, kept in the time-per-node index so a period's
/// statistics read no task record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct TaskTime {
    /// The node.
    pub(crate) node: String,
    /// The node's name.
    pub(crate) node_name: String,
    /// Seconds from creation to action.
    pub(crate) seconds: u64,
    /// Working minutes from creation to action, by the calendar when it was acted on.
    pub(crate) working_minutes: u64,
}

impl Record for TaskTime {
    const KIND: &'static str = "task time";
}

impl TaskTime {
    /// The time `task`, acted on, took. Reads the office's calendar for the years it spans.
    pub(crate) fn of(tx: &mut dyn ReadTxn, task: &Task) -> OaResult<TaskTime> {
        let acted = task.acted_at.unwrap_or(task.created_at);
        let cal = calendar_for(tx, task.created_at, acted)?;
        Ok(TaskTime {
            node: task.node.clone(),
            node_name: task.node_name.clone(),
            seconds: seconds_between(task.created_at, acted),
            working_minutes: cal.working_time_between(task.created_at, acted),
        })
    }
}

/// The calendar with the holidays of every year from `from` to `to` (a year either side, as a
/// local date may fall in the next or previous UTC year).
fn calendar_for(tx: &mut dyn ReadTxn, from: DateTime<Utc>, to: DateTime<Utc>) -> OaResult<WorkCalendar> {
    load_calendar(tx, from.year().saturating_sub(1)..=to.year().max(from.year()).saturating_add(1))
}

/// Whole seconds from `from` to `to`; 0 when `to` is not after `from`.
fn seconds_between(from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
    u64::try_from((to - from).num_seconds()).unwrap_or(0)
}

/// The value at percentile `pct` (1 to 100) of `sorted` (ascending) by the nearest-rank method:
/// the element at rank ⌈pct·n/100⌉, the smallest value that at least `pct`% of the values do
/// not exceed. `None` for no values. No interpolation: the answer is always a time some task
/// really took.
pub(crate) fn nearest_rank(sorted: &[u64], pct: u32) -> Option<u64> {
    let n = sorted.len() as u64;
    if n == 0 {
        return None;
    }
    let rank = (u64::from(pct.clamp(1, 100)) * n).div_ceil(100).max(1);
    sorted.get(usize::try_from(rank - 1).ok()?).copied()
}

/// The mean of `values`, rounded to the nearest (halves up); 0 for no values.
pub(crate) fn mean(values: &[u64]) -> u64 {
    let n = values.len() as u128;
    if n == 0 {
        return 0;
    }
    let sum: u128 = values.iter().map(|v| u128::from(*v)).sum();
    u64::try_from((sum + n / 2) / n).unwrap_or(u64::MAX)
}

/// Runs `f` over every entry of `range`, in key order, reading in chunks so that no scan is
/// unbounded in memory.
fn for_each_entry(
    tx: &mut dyn ReadTxn,
    range: &KeyRange,
    mut f: impl FnMut(&[u8], &[u8]) -> OaResult<()>,
) -> OaResult<()> {
    const CHUNK: usize = 1024;
    let mut window = range.clone();
    loop {
        let entries = tx.scan(&window, Direction::Forward, CHUNK)?;
        let exhausted = entries.len() < CHUNK;
        for (k, v) in entries {
            f(&k, &v)?;
            window.start = Bound::Excluded(k);
        }
        if exhausted {
            return Ok(());
        }
    }
}

/// One entry of the node index.
struct AtNode {
    node: String,
    entered: DateTime<Utc>,
    instance: InstanceId,
}

fn at_node(key: &[u8]) -> Option<AtNode> {
    let mut r = KeyReader::new(key)?;
    let _process = r.str()?;
    let node = r.str()?;
    let entered = DateTime::from_timestamp_micros(r.i64()?)?;
    let instance = InstanceId(r.id()?);
    Some(AtNode { node, entered, instance })
}

/// Whether `principal` administers `inst`: holds `workflow.instance.admin` over its initiator.
fn administers(principal: &Principal, inst: &Instance) -> bool {
    principal.allows_on(INSTANCE_ADMIN, Some(inst.initiator_dept), Some(inst.initiator))
}

/// The pending approval or resubmit tasks of `inst` at activation `activation`.
fn pending_at(tx: &mut dyn ReadTxn, inst: &Instance, activation: u32) -> OaResult<Vec<Task>> {
    Ok(instance_tasks(tx, inst.id)?
        .into_iter()
        .filter(|t| t.kind != TaskKind::Cc && t.status == TaskStatus::Pending && t.activation == activation)
        .collect())
}

/// The nodes of process `process` where running instances wait, with how many wait at each,
/// by node id. Reads the keys of the process's node index and no record.
pub(crate) fn node_counts(tx: &mut dyn ReadTxn, process: &str) -> OaResult<Vec<NodeCount>> {
    let range = KeyRange::prefix(keys::at_process(process).as_bytes());
    let mut out: Vec<NodeCount> = Vec::new();
    for_each_entry(tx, &range, |k, _| {
        // An entry that does not read is left to the integrity check, not to fail the view.
        let Some(e) = at_node(k) else { return Ok(()) };
        match out.last_mut() {
            // Entries of one node are adjacent, its longest waiting first.
            Some(last) if last.node == e.node => last.waiting += 1,
            _ => out.push(NodeCount { node: e.node, waiting: 1, oldest_entered_at: e.entered }),
        }
        Ok(())
    })?;
    Ok(out)
}

/// A page of the running instances of `process` waiting at `node` that `principal`
/// administers, longest waiting first, with how long each has waited at `now`.
pub(crate) fn waiting_at_node(
    tx: &mut dyn ReadTxn,
    principal: &Principal,
    process: &str,
    node: &str,
    now: DateTime<Utc>,
    page: &PageRequest,
) -> OaResult<Page<NodeWait>> {
    let range = KeyRange::prefix(keys::at_nodes(process, node).as_bytes());
    let mut out = scan_page(tx, &range, Direction::Forward, page, |tx, k, _| {
        let Some(e) = at_node(k) else { return Ok(None) };
        let Some(inst) = load_instance(tx, e.instance)?.filter(|i| administers(principal, i)) else {
            return Ok(None);
        };
        let Some(token) = inst.tokens.iter().find(|t| t.node == e.node) else {
            return Ok(None);
        };
        let assignees = pending_at(tx, &inst, token.activation)?.into_iter().map(|t| t.assignee).collect();
        Ok(Some(NodeWait {
            instance: inst.id,
            title: inst.title.clone(),
            process_version: inst.process_version,
            initiator: inst.initiator,
            node: e.node,
            entered_at: e.entered,
            waited_seconds: seconds_between(e.entered, now),
            waited_working_minutes: 0,
            assignees,
        }))
    })?;
    if let Some(first) = out.items.first() {
        let cal = calendar_for(tx, first.entered_at, now)?;
        for w in &mut out.items {
            w.waited_working_minutes = cal.working_time_between(w.entered_at, now);
        }
    }
    Ok(out)
}

/// A page of the pending approval tasks whose deadline passed at `at` (the deadline is `at`
/// or before), of `process` or of every process, most overdue first, on instances
/// `principal` administers. A delegated seat (委派) is listed through its delegate's task,
/// which carries the owner's deadline; the owner's task, delegated, is not.
pub(crate) fn overdue_tasks(
    tx: &mut dyn ReadTxn,
    principal: &Principal,
    process: Option<&str>,
    at: DateTime<Utc>,
    page: &PageRequest,
) -> OaResult<Page<OverdueTask>> {
    let prefix = match process {
        Some(p) => keys::process_deadlines(p),
        None => keys::deadlines(),
    };
    let range = time_range(prefix, None, Some(at));
    let mut out = scan_page(tx, &range, Direction::Forward, page, |tx, k, _| {
        let Some(task) = trailing_id(k).map(TaskId) else {
            return Ok(None);
        };
        // A task its assignee delegated (委派) is listed through its delegate's, which holds
        // the seat and its deadline now: one seat, one line.
        let Some(task) = load_task(tx, task)?.filter(|t| t.status == TaskStatus::Pending) else {
            return Ok(None);
        };
        let Some(inst) = load_instance(tx, task.instance)?.filter(|i| administers(principal, i)) else {
            return Ok(None);
        };
        if inst.status != InstanceStatus::Running {
            return Ok(None);
        }
        let deadline = task.deadline_at.unwrap_or(at);
        Ok(Some(OverdueTask { overdue_seconds: seconds_between(deadline, at), overdue_working_minutes: 0, task }))
    })?;
    if let Some(first) = out.items.first().and_then(|o| o.task.deadline_at) {
        let cal = calendar_for(tx, first, at)?;
        for o in &mut out.items {
            o.overdue_working_minutes = o.task.deadline_at.map_or(0, |d| cal.working_time_between(d, at));
        }
    }
    Ok(out)
}

/// What the stuck-instance scan remembers between entries of one call.
#[derive(Default)]
struct StuckCx {
    definitions: HashMap<(String, u32), Option<ProcessDefinition>>,
    active: HashMap<PersonId, bool>,
}

impl StuckCx {
    /// Whether node `node` of the version `inst` runs is one where people act: an approval
    /// node, or the start node (a returned instance waits there for its initiator).
    fn people_act_at(&mut self, tx: &mut dyn ReadTxn, inst: &Instance, node: &str) -> OaResult<bool> {
        let key = (inst.process_key.clone(), inst.process_version);
        let def = match self.definitions.get(&key) {
            Some(d) => d,
            None => {
                let d = load_process(tx, &inst.process_key, Some(inst.process_version))?;
                self.definitions.entry(key).or_insert(d)
            }
        };
        Ok(def
            .as_ref()
            .and_then(|d| d.graph.node(node))
            .is_some_and(|n| matches!(n.kind, NodeKind::Approval(_) | NodeKind::Start { .. })))
    }

    fn is_active(&mut self, tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<bool> {
        if let Some(a) = self.active.get(&person) {
            return Ok(*a);
        }
        let a = active_person(tx, person)?.is_some();
        self.active.insert(person, a);
        Ok(a)
    }

    /// The stuck instance entry `e` names, if it is one `principal` administers.
    fn check(&mut self, tx: &mut dyn ReadTxn, principal: &Principal, e: AtNode) -> OaResult<Option<StuckInstance>> {
        let Some(inst) = load_instance(tx, e.instance)?.filter(|i| administers(principal, i)) else {
            return Ok(None);
        };
        let Some(token) = inst.tokens.iter().find(|t| t.node == e.node) else {
            return Ok(None);
        };
        if inst.status != InstanceStatus::Running || !self.people_act_at(tx, &inst, &e.node)? {
            return Ok(None);
        }
        let pending = pending_at(tx, &inst, token.activation)?;
        let mut inactive = Vec::new();
        let mut someone_can_act = false;
        for t in &pending {
            if self.is_active(tx, t.assignee)? {
                someone_can_act = true;
            } else if !inactive.contains(&t.assignee) {
                inactive.push(t.assignee);
            }
        }
        let reason = if pending.is_empty() {
            StuckReason::NoPendingTask
        } else if !someone_can_act {
            StuckReason::NoActiveAssignee
        } else {
            // Moving now; it stops at the turn of someone queued who is no longer active.
            inactive.clear();
            for &p in &token.in_turn {
                if !self.is_active(tx, p)? && !inactive.contains(&p) {
                    inactive.push(p);
                }
            }
            if inactive.is_empty() {
                return Ok(None);
            }
            StuckReason::InactiveInQueue
        };
        Ok(Some(StuckInstance {
            instance: inst.id,
            title: inst.title.clone(),
            process_key: inst.process_key.clone(),
            process_version: inst.process_version,
            initiator: inst.initiator,
            node: e.node,
            entered_at: entered_at(&inst, token),
            reason,
            assignees: inactive,
        }))
    }
}

/// A page of the running instances of `process` (of every process when `None`) that
/// `principal` administers and that wait at a node where no active person has a pending task.
///
/// It walks the node index (one entry per node an instance waits at) and reads each entry's
/// instance and tasks: a call examines at most `budget` entries ([`STUCK_SCAN_LIMIT`] for the
/// operation), and a page may come back short, or empty, with a cursor to go on from.
pub(crate) fn stuck_instances(
    tx: &mut dyn ReadTxn,
    principal: &Principal,
    process: Option<&str>,
    page: &PageRequest,
    budget: usize,
) -> OaResult<Page<StuckInstance>> {
    let budget = budget.max(1);
    let limit = page.effective_limit()?;
    let prefix = match process {
        Some(p) => keys::at_process(p),
        None => keys::at_any(),
    };
    let range = KeyRange::prefix(prefix.as_bytes());
    let mut window = range.clone();
    if let Some(c) = &page.cursor {
        window.start = Bound::Excluded(decode_cursor(c, &range)?);
    }
    let entries = tx.scan(&window, Direction::Forward, budget + 1)?;
    let more = entries.len() > budget;
    let mut cx = StuckCx::default();
    let mut items = Vec::new();
    let mut last: Option<Vec<u8>> = None;
    for (k, _) in entries.into_iter().take(budget) {
        if items.len() == limit {
            return Ok(Page { items, next_cursor: last.as_deref().map(cursor_for) });
        }
        if let Some(e) = at_node(&k) {
            if let Some(s) = cx.check(tx, principal, e)? {
                items.push(s);
            }
        }
        last = Some(k);
    }
    let next_cursor = if more { last.as_deref().map(cursor_for) } else { None };
    Ok(Page { items, next_cursor })
}

/// The time the approval tasks of `process` acted on in `[from, to)` took, per node, slowest
/// (by 90th percentile) first. Reads the process's time index over the period only.
pub(crate) fn node_times(
    tx: &mut dyn ReadTxn,
    process: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> OaResult<Vec<NodeTime>> {
    if to <= from {
        return Err(OaError::invalid("to", format!("must be after `from` ({from}), got {to}")));
    }
    let prefix = keys::task_times(process);
    let range = KeyRange {
        start: Bound::Included(prefix.clone().time(from).into_bytes()),
        end: Bound::Excluded(prefix.time(to).into_bytes()),
    };
    let mut by_node: BTreeMap<String, (String, Vec<u64>, Vec<u64>)> = BTreeMap::new();
    for_each_entry(tx, &range, |_, v| {
        let t: TaskTime = crate::codec::decode(v)?;
        let e = by_node.entry(t.node).or_default();
        e.0 = t.node_name;
        e.1.push(t.seconds);
        e.2.push(t.working_minutes);
        Ok(())
    })?;
    let mut out: Vec<NodeTime> = by_node
        .into_iter()
        .map(|(node, (node_name, mut seconds, mut minutes))| {
            seconds.sort_unstable();
            minutes.sort_unstable();
            NodeTime {
                node,
                node_name,
                completed: seconds.len() as u64,
                avg_seconds: mean(&seconds),
                p90_seconds: nearest_rank(&seconds, 90).unwrap_or(0),
                avg_working_minutes: mean(&minutes),
                p90_working_minutes: nearest_rank(&minutes, 90).unwrap_or(0),
            }
        })
        .collect();
    out.sort_by(|a, b| b.p90_seconds.cmp(&a.p90_seconds).then_with(|| a.node.cmp(&b.node)));
    Ok(out)
}

/// `reason` trimmed, noting in `problems` when it is empty or longer than a comment may be:
/// an administrator's move of someone else's work always says why.
fn checked_reason<'a>(problems: &mut Problems, reason: &'a str) -> &'a str {
    let reason = reason.trim();
    let n = reason.chars().count();
    if n == 0 || n > MAX_COMMENT_LEN {
        problems.add("reason", format!("must be 1 to {MAX_COMMENT_LEN} characters, got {n}"));
    }
    reason
}

/// Moves approval task `id`, pending or waiting behind a signer (前加签), to `to` (改派), by
/// administrator `by`, for `reason`: the task closes as transferred without counting as its
/// assignee's action, and `to` gets a task in the same seat, in the same state, with the same
/// deadline.
///
/// Checks come in the order every action keeps: what the input says by itself (the reason, `to`
/// an active person), then the state (a task that can no longer move is `invalid_state`,
/// whoever `to` is), then what `to` means for this task (holding it, or approving at its node
/// already), which only matters for a task that can move.
pub(crate) fn reassign(rt: &mut Rt<'_>, by: PersonId, id: TaskId, to: PersonId, reason: &str) -> OaResult<Task> {
    let mut problems = Problems::new();
    let reason = checked_reason(&mut problems, reason);
    if active_person(rt.tx.as_read(), to)?.is_none() {
        problems.add("to", format!("`{to}` is not an active person"));
    }
    problems.finish()?;
    let mut task = rt.task(id)?;
    let mut inst = rt.instance(task.instance)?;
    if inst.status != InstanceStatus::Running {
        return Err(OaError::InvalidState(format!("instance `{}` is {}", inst.id, inst.status.name())));
    }
    if task.kind != TaskKind::Approve {
        return Err(OaError::InvalidState(format!("task `{id}` is not an approval task")));
    }
    match task.status {
        TaskStatus::Pending | TaskStatus::Waiting => {}
        TaskStatus::Delegated => {
            return Err(OaError::InvalidState(format!(
                "task `{id}` is delegated to someone to deal with: it can be reassigned once it is back"
            )))
        }
        _ => return Err(OaError::InvalidState(format!("task `{id}` is no longer pending"))),
    }
    let busy = rt.tasks(inst.id)?.any(|t| t.activation == task.activation && t.assignee == to && t.status.is_open());
    if to == task.assignee {
        return Err(OaError::invalid("to", format!("`{to}` already holds the task")));
    }
    if busy || task.after.contains(&to) {
        return Err(OaError::invalid("to", format!("`{to}` already approves at this node")));
    }
    let def =
        crate::workflow::definition::require_process(rt.tx.as_read(), &inst.process_key, Some(inst.process_version))?;
    let node = def
        .graph
        .node(&task.node)
        .cloned()
        .ok_or_else(|| OaError::Internal(format!("the process has no node `{}`", task.node)))?;
    let (from, was) = (task.assignee, task.status);
    task.status = TaskStatus::Transferred;
    task.acted_at = Some(rt.now);
    task.comment = reason.to_string();
    // The assignee did not act: the task stays out of their done list (已办).
    task.auto = true;
    rt.save_task(&task)?;
    let mut next = new_task(rt, &inst, &node, to, TaskKind::Approve, task.activation, task.order, Some(task.seat))?;
    // A task waiting behind a signer added before it (前加签) is replaced where it waits: the
    // replacement gets the seat back when the signer approves.
    next.status = was;
    next.after = task.after.clone();
    next.added_by = task.added_by;
    // The seat stays its owner's when a standing delegation (委托) had sent it on: they keep
    // seeing it among the tasks on their behalf, unless it now goes to them.
    next.on_behalf_of = task.on_behalf_of.filter(|owner| *owner != to);
    // A task delegated to its assignee to deal with (委派) goes on being one: its approval gives
    // the owner's task back instead of voting.
    next.delegated_from = task.delegated_from;
    next.due_at = task.due_at;
    next.deadline_at = task.deadline_at;
    // The seat's reminders so far count against the node's limit, as if it had not moved.
    next.reminders = task.reminders;
    next.urged = task.urged;
    rt.save_task(&next)?;
    let mut e = rt.entry(Some(by), HistoryAction::Reassigned);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    e.comment = reason.to_string();
    e.detail = format!("reassigned from `{from}` to `{to}`");
    rt.log(&mut inst, e)?;
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(next)
}

/// Puts `to` in the place of `from` wherever `from` waits for their turn at an in-turn node
/// (依次) of running instance `id`, by administrator `by`, for `reason`: `from` holds no task
/// there yet, so [`reassign`] cannot reach them. When the turn comes, `to` gets the task, under
/// the node's rules as for anyone (their standing delegation (委托), the same-approver rule).
///
/// Checks come in the order [`reassign`] keeps: the input by itself (the reason, `to` an active
/// person other than `from`), then the state (a running instance), then what `from` and `to`
/// mean for this instance: `from` must be waiting in a queue (one whose turn came holds a task,
/// which [`reassign`] moves), and `to` must not approve at that node already, in its queue or
/// with an open task.
pub(crate) fn reassign_turn(
    rt: &mut Rt<'_>,
    by: PersonId,
    id: InstanceId,
    from: PersonId,
    to: PersonId,
    reason: &str,
) -> OaResult<Instance> {
    let mut problems = Problems::new();
    let reason = checked_reason(&mut problems, reason);
    if to == from {
        problems.add("to", format!("`{to}` is the person being replaced"));
    } else if active_person(rt.tx.as_read(), to)?.is_none() {
        problems.add("to", format!("`{to}` is not an active person"));
    }
    problems.finish()?;
    let mut inst = rt.instance(id)?;
    if inst.status != InstanceStatus::Running {
        return Err(OaError::InvalidState(format!("instance `{id}` is {}", inst.status.name())));
    }
    let queued: Vec<usize> = (0..inst.tokens.len()).filter(|&i| inst.tokens[i].in_turn.contains(&from)).collect();
    if queued.is_empty() {
        return Err(OaError::invalid(
            "from",
            format!(
                "`{from}` is not waiting for a turn in instance `{id}` (an approver whose turn came holds a task: \
                 reassign the task)"
            ),
        ));
    }
    // The activations where `to` holds an open approval task, read once for every queue.
    let holding: Vec<u32> = rt
        .tasks(id)?
        .filter(|t| t.kind == TaskKind::Approve && t.assignee == to && t.status.is_open())
        .map(|t| t.activation)
        .collect();
    for &i in &queued {
        let token = &inst.tokens[i];
        if holding.contains(&token.activation) || token.in_turn.contains(&to) {
            return Err(OaError::invalid("to", format!("`{to}` already approves at node `{}`", token.node)));
        }
    }
    for i in queued {
        let token = &mut inst.tokens[i];
        for p in token.in_turn.iter_mut().filter(|p| **p == from) {
            *p = to;
        }
        let node = token.node.clone();
        let mut e = rt.entry(Some(by), HistoryAction::Reassigned);
        e.node = Some(node);
        e.comment = reason.to_string();
        e.detail = format!("turn reassigned from `{from}` to `{to}`");
        rt.log(&mut inst, e)?;
    }
    // As after any administrator's change, the last action can no longer be taken back.
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(inst)
}
