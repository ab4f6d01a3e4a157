//! Moving an instance through its graph: entering nodes, creating tasks, deciding approval
//! nodes by their method, and ending instances. Everything here runs inside the caller's
//! transaction.

use std::collections::VecDeque;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use oa_storage::WriteTxn;
use serde_json::{Map, Value};

use super::business::{append_event, is_declared};
use super::delegation::redirect;
use super::handler::{handler_for, prefix_of, InstanceEnd};
use super::model::{
    HistoryAction, HistoryEntry, Instance, InstanceId, InstanceStatus, Task, TaskId, TaskKind, TaskStatus, Token,
};
use super::resolve::{resolve, role_holders};
use super::store::{append_history, Memo};
use crate::admin::calendar::load_calendar_from;
use crate::admin::numbering::next_number;
use crate::engine::Inner;
use crate::id::IdGen;
use crate::org::PersonId;
use crate::workflow::definition::{
    ApprovalNode, ApproveMethod, CompiledCache, CompiledProcess, Node, NodeKind, SameApprover, WhenEmpty,
};
use crate::{OaError, OaResult};

/// The runtime's context inside one transaction.
///
/// Tasks and instances are read and written through its methods ([`Rt::tasks`],
/// [`Rt::save_task`], [`Rt::instance`], [`Rt::save_instance`], …), which keep what the
/// transaction has read and written of them in its [`Memo`]: an operation reads each record
/// once, however often it looks at it. Nothing else can write a task or an instance.
pub(crate) struct Rt<'a> {
    /// The transaction.
    pub(crate) tx: &'a mut dyn WriteTxn,
    /// The instant of the operation.
    pub(crate) now: DateTime<Utc>,
    /// Where new ids come from.
    pub(crate) ids: &'a IdGen,
    /// The office's compiled process versions.
    pub(crate) processes: &'a CompiledCache,
    /// The tasks created so far by the operation.
    pub(crate) created: Vec<TaskId>,
    /// The tasks and instances the transaction has read and written.
    memo: Memo,
}

impl<'a> Rt<'a> {
    /// A context over `tx` in the office `oa`.
    pub(crate) fn new(tx: &'a mut dyn WriteTxn, now: DateTime<Utc>, oa: &'a Inner) -> Self {
        Rt { tx, now, ids: &oa.ids, processes: &oa.processes, created: Vec::new(), memo: Memo::new() }
    }

    /// Every task of instance `id`, oldest first.
    pub(crate) fn tasks(&mut self, id: InstanceId) -> OaResult<impl Iterator<Item = &Task> + '_> {
        self.memo.instance_tasks(self.tx.as_read(), id)
    }

    /// The tasks of instance `id` for which `keep` holds, oldest first, shared with the memo:
    /// a caller that changes one copies it (`Task::clone(&t)`).
    pub(crate) fn tasks_where(&mut self, id: InstanceId, keep: impl Fn(&Task) -> bool) -> OaResult<Vec<Arc<Task>>> {
        self.memo.instance_tasks_where(self.tx.as_read(), id, keep)
    }

    /// Task `id`, if it exists.
    pub(crate) fn load_task(&mut self, id: TaskId) -> OaResult<Option<Task>> {
        self.memo.load_task(self.tx.as_read(), id)
    }

    /// Task `id`, or `not_found`.
    pub(crate) fn task(&mut self, id: TaskId) -> OaResult<Task> {
        self.load_task(id)?.ok_or_else(|| OaError::not_found("task", id))
    }

    /// Writes `task` with its indexes and its assignee's badge counts.
    pub(crate) fn save_task(&mut self, task: &Task) -> OaResult<()> {
        self.memo.save_task(self.tx, task)
    }

    /// Instance `id`, or `not_found`.
    pub(crate) fn instance(&mut self, id: InstanceId) -> OaResult<Instance> {
        self.memo.require_instance(self.tx.as_read(), id)
    }

    /// A new instance id, known to have no record and no tasks yet.
    pub(crate) fn new_instance_id(&mut self) -> InstanceId {
        let id = InstanceId(self.ids.next(self.now));
        self.memo.fresh_instance(id);
        id
    }

    /// Writes `inst` with its indexes.
    pub(crate) fn save_instance(&mut self, inst: &Instance) -> OaResult<()> {
        self.memo.save_instance(self.tx, inst)
    }

    /// Removes draft `inst` and its indexes.
    pub(crate) fn delete_instance(&mut self, inst: &Instance) -> OaResult<()> {
        self.memo.delete_instance(self.tx, inst)
    }

    /// Version `version` of process `key` (the latest when `None`), compiled.
    pub(crate) fn process(&mut self, key: &str, version: Option<u32>) -> OaResult<Arc<CompiledProcess>> {
        self.processes.get(self.tx.as_read(), key, version)
    }

    /// A history entry of `action` by `actor`, now.
    pub(crate) fn entry(&self, actor: Option<PersonId>, action: HistoryAction) -> HistoryEntry {
        HistoryEntry {
            seq: 0,
            at: self.now,
            actor,
            action,
            node: None,
            task: None,
            comment: String::new(),
            detail: String::new(),
            changes: None,
        }
    }

    /// Appends `entry` to the history of `inst`.
    pub(crate) fn log(&mut self, inst: &mut Instance, entry: HistoryEntry) -> OaResult<()> {
        append_history(self.tx, inst, entry)
    }
}

/// The compiled process version instance `inst` runs.
pub(crate) fn process_of(rt: &mut Rt<'_>, inst: &Instance) -> OaResult<Arc<CompiledProcess>> {
    rt.process(&inst.process_key, Some(inst.process_version))
}

/// The approval node `id` of `p`.
pub(crate) fn approval<'p>(p: &'p CompiledProcess, id: &str) -> OaResult<(&'p Node, &'p ApprovalNode)> {
    match p.node(id) {
        Some(n @ Node { kind: NodeKind::Approval(a), .. }) => Ok((n, a)),
        _ => Err(OaError::Internal(format!("node `{id}` is not an approval node of the process"))),
    }
}

/// The node after the start node.
pub(crate) fn after_start(p: &CompiledProcess) -> OaResult<String> {
    match &p.start().kind {
        NodeKind::Start { next } => Ok(next.clone()),
        _ => Err(OaError::Internal("the start node is not a start node".into())),
    }
}

/// What deciding an approval node found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Settle {
    /// The node passed; the instance goes on to this node.
    Passed(String),
    /// The node rejected the instance.
    Rejected,
    /// The node waits for more decisions.
    Waiting,
}

/// The vote of one seat of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vote {
    Approved,
    Rejected,
    Open,
}

/// The vote of each seat among `tasks` (the approval tasks of one activation), in the order
/// the seats were created.
fn votes(tasks: &[Arc<Task>]) -> Vec<Vote> {
    let mut seats: Vec<TaskId> = Vec::new();
    for t in tasks {
        if !seats.contains(&t.seat) {
            seats.push(t.seat);
        }
    }
    seats
        .iter()
        .map(|s| {
            let live: Vec<&Task> = tasks
                .iter()
                .map(|t| &**t)
                .filter(|t| t.seat == *s)
                .filter(|t| {
                    !matches!(t.status, TaskStatus::Transferred | TaskStatus::Cancelled | TaskStatus::Withdrawn)
                })
                .collect();
            if live.iter().any(|t| t.status == TaskStatus::Rejected) {
                Vote::Rejected
            } else if live.iter().any(|t| t.status.is_open()) {
                Vote::Open
            } else if live.iter().any(|t| t.status == TaskStatus::Approved) {
                Vote::Approved
            } else {
                Vote::Open
            }
        })
        .collect()
}

/// Walks the instance from `items` (node, and where to resume once it passes): passes every
/// node that needs nobody, opens approval nodes, waits at joins, and ends the instance at an
/// end node.
pub(crate) fn enter(
    rt: &mut Rt<'_>,
    p: &CompiledProcess,
    inst: &mut Instance,
    items: Vec<(String, Option<String>)>,
) -> OaResult<()> {
    let mut queue: VecDeque<(String, Option<String>)> = items.into();
    while let Some((id, resume_at)) = queue.pop_front() {
        if inst.status != InstanceStatus::Running {
            break;
        }
        let node = p.node(&id).ok_or_else(|| OaError::Internal(format!("the process has no node `{id}`")))?.clone();
        match &node.kind {
            NodeKind::Start { next } => queue.push_back((next.clone(), None)),
            NodeKind::Approval(a) => {
                if let Some(next) = open_approval(rt, p, inst, &node, a, resume_at)? {
                    queue.push_back((next, None));
                }
            }
            NodeKind::Cc(c) => {
                let people = resolve(rt.tx.as_read(), inst, &c.settings.recipients)?;
                let activation = next_activation(inst);
                for (i, person) in people.iter().enumerate() {
                    new_task(rt, inst, &node, *person, TaskKind::Cc, activation, i as u32, None)?;
                }
                let mut e = rt.entry(None, HistoryAction::CcSent);
                e.node = Some(node.id.clone());
                e.detail = format!("copied to {} people", people.len());
                rt.log(inst, e)?;
                queue.push_back((c.next.clone(), None));
            }
            NodeKind::Exclusive { .. } => {
                let attrs = super::resolve::initiator_attrs(rt.tx.as_read(), inst.initiator)?;
                let choice = p
                    .choose_branch(&id, &inst.data, &attrs)
                    .ok_or_else(|| OaError::Internal(format!("gateway `{id}` has no branch to take")))?;
                for (b, err) in &choice.errors {
                    let mut e = rt.entry(None, HistoryAction::ConditionError);
                    e.node = Some(id.clone());
                    e.detail = format!("the condition of branch {b} failed and counts as not holding: {err}");
                    rt.log(inst, e)?;
                }
                let mut e = rt.entry(None, HistoryAction::BranchTaken);
                e.node = Some(id.clone());
                e.detail = format!("branch {} to `{}`", choice.branch, choice.to);
                rt.log(inst, e)?;
                queue.push_back((choice.to, None));
            }
            NodeKind::Parallel { branches } => {
                for b in branches {
                    queue.push_back((b.clone(), None));
                }
            }
            NodeKind::Join { next } => {
                let need = match p.split_of(&id).map(|s| &s.kind) {
                    Some(NodeKind::Parallel { branches }) => branches.len() as u32,
                    _ => return Err(OaError::Internal(format!("join `{id}` has no split"))),
                };
                let at = match inst.tokens.iter().position(|t| t.node == id) {
                    Some(i) => i,
                    None => {
                        let activation = next_activation(inst);
                        inst.tokens.push(Token {
                            node: id.clone(),
                            activation,
                            arrived: 0,
                            in_turn: Vec::new(),
                            resume_at: None,
                            entered_at: Some(rt.now),
                        });
                        inst.tokens.len() - 1
                    }
                };
                inst.tokens[at].arrived += 1;
                if inst.tokens[at].arrived >= need {
                    inst.tokens.remove(at);
                    queue.push_back((next.clone(), None));
                }
            }
            NodeKind::End => finish(rt, inst, InstanceStatus::Approved, None, "")?,
        }
    }
    Ok(())
}

/// A new activation number for `inst`.
pub(crate) fn next_activation(inst: &mut Instance) -> u32 {
    inst.activations += 1;
    inst.activations
}

/// Creates and stores a task; `seat` is the seat it continues, itself when `None`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_task(
    rt: &mut Rt<'_>,
    inst: &Instance,
    node: &Node,
    assignee: PersonId,
    kind: TaskKind,
    activation: u32,
    order: u32,
    seat: Option<TaskId>,
) -> OaResult<Task> {
    let id = TaskId(rt.ids.next(rt.now));
    let task = Task {
        id,
        instance: inst.id,
        node: node.id.clone(),
        node_name: node.name.clone(),
        assignee,
        kind,
        status: TaskStatus::Pending,
        created_at: rt.now,
        due_at: None,
        deadline_at: None,
        acted_at: None,
        comment: String::new(),
        order,
        activation,
        seat: seat.unwrap_or(id),
        after: Vec::new(),
        added_by: None,
        auto: false,
        reminders: 0,
        urged: 0,
        process_key: inst.process_key.clone(),
        process_name: inst.process_name.clone(),
        title: inst.title.clone(),
        initiator: inst.initiator,
        on_behalf_of: None,
        delegated_from: None,
    };
    rt.save_task(&task)?;
    rt.created.push(id);
    Ok(task)
}

/// Creates the approval task of `person`, or of their delegate when a standing delegation
/// (委托) of theirs covering the process runs now: the task then records on whose behalf, and
/// the history says so. The chain of delegations never ends at the initiator nor at anyone in
/// `avoid` (see [`super::delegation::redirect`]).
#[allow(clippy::too_many_arguments)]
pub(crate) fn approval_task(
    rt: &mut Rt<'_>,
    inst: &mut Instance,
    node: &Node,
    person: PersonId,
    activation: u32,
    order: u32,
    seat: Option<TaskId>,
    avoid: &[PersonId],
) -> OaResult<Task> {
    let mut avoid = avoid.to_vec();
    avoid.push(inst.initiator);
    let chain = redirect(rt.tx.as_read(), &inst.process_key, person, rt.now, &avoid)?;
    let to = chain.last().copied().unwrap_or(person);
    let mut task = new_task(rt, inst, node, to, TaskKind::Approve, activation, order, seat)?;
    if to != person {
        task.on_behalf_of = Some(person);
        rt.save_task(&task)?;
        let mut e = rt.entry(None, HistoryAction::Redirected);
        e.node = Some(node.id.clone());
        e.task = Some(task.id);
        let path: Vec<String> = chain.iter().map(|p| format!("`{p}`")).collect();
        e.detail = format!("on behalf of `{person}`, by standing delegation: {}", path.join(" → "));
        rt.log(inst, e)?;
    }
    Ok(task)
}

/// The deadline of an approval task of `node` created now, if the node has one.
pub(crate) fn due_at(rt: &mut Rt<'_>, a: &ApprovalNode) -> OaResult<Option<DateTime<Utc>>> {
    match &a.settings.deadline {
        Some(d) => {
            let cal = load_calendar_from(rt.tx.as_read(), rt.now)?;
            Ok(Some(cal.add_working_time(rt.now, d.after)?))
        }
        None => Ok(None),
    }
}

/// Whether `person` approved an earlier node of `inst`, themselves or through the delegate of
/// their standing delegation (委托), who approved on their behalf.
fn approved_earlier(rt: &mut Rt<'_>, inst: &Instance, person: PersonId, activation: u32) -> OaResult<bool> {
    Ok(rt.tasks(inst.id)?.any(|t| {
        t.kind == TaskKind::Approve
            && (t.assignee == person || t.on_behalf_of == Some(person))
            && t.status == TaskStatus::Approved
            && !t.auto
            && t.activation != activation
    }))
}

/// Creates the approval task of `person` at `node`, approved at once when the node's rules on
/// the initiator or on earlier approvers say so. Those rules look at `person`, the approver
/// the node found; only a task that waits for someone goes to their delegate.
#[allow(clippy::too_many_arguments)]
pub(crate) fn assign(
    rt: &mut Rt<'_>,
    inst: &mut Instance,
    node: &Node,
    a: &ApprovalNode,
    person: PersonId,
    activation: u32,
    order: u32,
    seat: Option<TaskId>,
) -> OaResult<Task> {
    let auto = if person == inst.initiator && a.settings.initiator_is_approver == SameApprover::AutoApprove {
        Some("the approver is the initiator")
    } else if a.settings.approved_before == SameApprover::AutoApprove && approved_earlier(rt, inst, person, activation)?
    {
        Some("the approver approved an earlier node")
    } else {
        None
    };
    match auto {
        Some(why) => {
            let mut task = new_task(rt, inst, node, person, TaskKind::Approve, activation, order, seat)?;
            task.status = TaskStatus::Approved;
            task.auto = true;
            task.acted_at = Some(rt.now);
            rt.save_task(&task)?;
            let mut e = rt.entry(None, HistoryAction::AutoApproved);
            e.node = Some(node.id.clone());
            e.task = Some(task.id);
            e.detail = why.to_string();
            rt.log(inst, e)?;
            Ok(task)
        }
        None => {
            let mut task = approval_task(rt, inst, node, person, activation, order, seat, &[])?;
            task.due_at = due_at(rt, a)?;
            task.deadline_at = task.due_at;
            if task.due_at.is_some() {
                rt.save_task(&task)?;
            }
            Ok(task)
        }
    }
}

/// Opens approval node `node`: finds its approvers and creates their tasks. Returns the node
/// to go on to when the node passes at once (skipped, or every approval automatic).
fn open_approval(
    rt: &mut Rt<'_>,
    p: &CompiledProcess,
    inst: &mut Instance,
    node: &Node,
    a: &ApprovalNode,
    resume_at: Option<String>,
) -> OaResult<Option<String>> {
    let mut people = resolve(rt.tx.as_read(), inst, &a.settings.approvers)?;
    if people.is_empty() {
        match &a.settings.when_empty {
            WhenEmpty::Skip => {
                let mut e = rt.entry(None, HistoryAction::Skipped);
                e.node = Some(node.id.clone());
                e.detail = "no approver found; the node is passed".into();
                rt.log(inst, e)?;
                return Ok(Some(continue_to(p, resume_at, &node.id, &a.next)));
            }
            WhenEmpty::AssignPerson { person } => {
                if let Ok(id) = person.parse::<crate::id::Id>() {
                    if super::resolve::is_active(rt.tx.as_read(), PersonId(id))? {
                        people.push(PersonId(id));
                    }
                }
            }
            WhenEmpty::AssignRole { role } => people = role_holders(rt.tx.as_read(), role, None)?,
            WhenEmpty::Refuse => {}
        }
        if people.is_empty() {
            return Err(OaError::InvalidState(format!(
                "node `{}` ({}) has no approver: nobody matches its approver setting",
                node.id, node.name
            )));
        }
        // The approvers came from the fallback, not from the node's setting: say so, or the
        // timeline shows a stranger approving with no reason.
        let named: Vec<String> = people.iter().map(|p| format!("`{p}`")).collect();
        let mut e = rt.entry(None, HistoryAction::FallbackAssigned);
        e.node = Some(node.id.clone());
        e.detail = match &a.settings.when_empty {
            WhenEmpty::AssignRole { role } => {
                format!("no approver found; the node's fallback role `{role}` gives {}", named.join(", "))
            }
            _ => format!("no approver found; the node's fallback person {}", named.join(", ")),
        };
        rt.log(inst, e)?;
    }
    let activation = next_activation(inst);
    let (now, later): (Vec<PersonId>, Vec<PersonId>) = match a.settings.method {
        ApproveMethod::InTurn => (people[..1].to_vec(), people[1..].to_vec()),
        ApproveMethod::Single => (people[..1].to_vec(), Vec::new()),
        _ => (people, Vec::new()),
    };
    inst.tokens.push(Token {
        node: node.id.clone(),
        activation,
        arrived: 0,
        in_turn: later,
        resume_at,
        entered_at: Some(rt.now),
    });
    for (i, person) in now.iter().enumerate() {
        assign(rt, inst, node, a, *person, activation, i as u32, None)?;
    }
    match settle(rt, p, inst, &node.id, activation)? {
        Settle::Passed(next) => Ok(Some(next)),
        Settle::Rejected => {
            finish(rt, inst, InstanceStatus::Rejected, None, "")?;
            Ok(None)
        }
        Settle::Waiting => Ok(None),
    }
}

/// Where an instance goes after node `from` passes: back to the node that returned it, when
/// that node lies in the same parallel branches (never into a branch from outside it, which
/// its join would wait for in vain), or on to `next`.
fn continue_to(p: &CompiledProcess, resume_at: Option<String>, from: &str, next: &str) -> String {
    match resume_at {
        Some(r) if p.node(&r).is_some() && p.parallel_scope(&r) == p.parallel_scope(from) => r,
        _ => next.to_string(),
    }
}

/// Decides approval node `node_id` at `activation` by its method: passes it (closing its
/// other tasks, assigning its document number), reports a rejection, or waits, creating the
/// next task of an approval in turn.
pub(crate) fn settle(
    rt: &mut Rt<'_>,
    p: &CompiledProcess,
    inst: &mut Instance,
    node_id: &str,
    activation: u32,
) -> OaResult<Settle> {
    let (node, a) = approval(p, node_id)?;
    loop {
        let tasks = rt.tasks_where(inst.id, |t| t.kind == TaskKind::Approve && t.activation == activation)?;
        let votes = votes(&tasks);
        let n = votes.len() as u64;
        let yes = votes.iter().filter(|v| **v == Vote::Approved).count() as u64;
        let no = votes.iter().filter(|v| **v == Vote::Rejected).count() as u64;
        let at = inst
            .tokens
            .iter()
            .position(|t| t.node == node_id && t.activation == activation)
            .ok_or_else(|| OaError::Internal(format!("no token at node `{node_id}`")))?;
        let queue_empty = inst.tokens[at].in_turn.is_empty();
        let decision = match a.settings.method {
            ApproveMethod::Single | ApproveMethod::Any => {
                if no > 0 {
                    Settle::Rejected
                } else if yes > 0 {
                    Settle::Passed(String::new())
                } else {
                    Settle::Waiting
                }
            }
            ApproveMethod::All | ApproveMethod::InTurn => {
                if no > 0 {
                    Settle::Rejected
                } else if yes == n && queue_empty {
                    Settle::Passed(String::new())
                } else {
                    Settle::Waiting
                }
            }
            ApproveMethod::Ratio => {
                let pct = u64::from(a.settings.pass_percent.unwrap_or(100));
                if yes * 100 >= pct * n {
                    Settle::Passed(String::new())
                } else if (n - no) * 100 < pct * n {
                    Settle::Rejected
                } else {
                    Settle::Waiting
                }
            }
        };
        match decision {
            Settle::Waiting if yes == n && !queue_empty => {
                let person = inst.tokens[at].in_turn.remove(0);
                assign(rt, inst, node, a, person, activation, n as u32, None)?;
            }
            Settle::Waiting => return Ok(Settle::Waiting),
            Settle::Rejected => return Ok(Settle::Rejected),
            Settle::Passed(_) => {
                for t in tasks.iter().filter(|t| t.status.is_open()) {
                    let mut t = Task::clone(t);
                    t.status = TaskStatus::Cancelled;
                    rt.save_task(&t)?;
                }
                let token = inst.tokens.remove(at);
                if let (Some(rule), None) = (&a.settings.numbering, &inst.number) {
                    let number = next_number(rt.tx, &rule.rule, rt.now, &format!("instance:{}", inst.id))?;
                    if let (Some(field), Some(map)) = (&rule.field, inst.data.as_object_mut()) {
                        map.insert(field.clone(), Value::String(number.clone()));
                    }
                    let mut e = rt.entry(None, HistoryAction::NumberAssigned);
                    e.node = Some(node.id.clone());
                    e.detail = number.clone();
                    rt.log(inst, e)?;
                    inst.number = Some(number);
                }
                return Ok(Settle::Passed(continue_to(p, token.resume_at, node_id, &a.next)));
            }
        }
    }
}

/// Acts on what [`settle`] found: walks on, or ends the instance rejected.
pub(crate) fn follow(rt: &mut Rt<'_>, p: &CompiledProcess, inst: &mut Instance, s: Settle) -> OaResult<()> {
    match s {
        Settle::Passed(next) => enter(rt, p, inst, vec![(next, None)]),
        Settle::Rejected => finish(rt, inst, InstanceStatus::Rejected, None, ""),
        Settle::Waiting => Ok(()),
    }
}

/// Closes every open approval or resubmit task of `inst` with `status`.
pub(crate) fn close_open_tasks(
    rt: &mut Rt<'_>,
    inst: &Instance,
    status: TaskStatus,
    only_activation: Option<u32>,
) -> OaResult<()> {
    let open = rt.tasks_where(inst.id, |t| {
        t.kind != TaskKind::Cc && t.status.is_open() && only_activation.is_none_or(|a| a == t.activation)
    })?;
    for t in open {
        let mut t = Task::clone(&t);
        t.status = status;
        rt.save_task(&t)?;
    }
    Ok(())
}

/// Ends `inst` with `outcome`: closes its open tasks, and tells the module owning its business
/// object, in this transaction.
pub(crate) fn finish(
    rt: &mut Rt<'_>,
    inst: &mut Instance,
    outcome: InstanceStatus,
    actor: Option<PersonId>,
    comment: &str,
) -> OaResult<()> {
    close_open_tasks(rt, inst, TaskStatus::Cancelled, None)?;
    inst.tokens.clear();
    inst.status = outcome;
    inst.ended_at = Some(rt.now);
    inst.undo = None;
    inst.returned = None;
    let mut e = rt.entry(actor, HistoryAction::Ended);
    e.detail = outcome.name().to_string();
    e.comment = comment.to_string();
    rt.log(inst, e)?;
    if let Some(key) = inst.business_key.clone() {
        let handler = handler_for(&key);
        if handler.is_none() && !is_declared(rt.tx.as_read(), prefix_of(&key).unwrap_or_default())? {
            return Err(OaError::InvalidState(format!(
                "no module handles business key `{key}` and its type is not declared; the instance cannot end"
            )));
        }
        let end = InstanceEnd {
            instance: inst.id,
            process_key: inst.process_key.clone(),
            business_key: key,
            outcome,
            data: inst.data.clone(),
            number: inst.number.clone(),
            at: rt.now,
        };
        if let Some(handler) = handler {
            handler.on_end(rt.tx, &end)?;
        }
        append_event(rt.tx, &end, inst.initiator, inst.initiator_dept)?;
    }
    Ok(())
}

/// The fields that differ between `old` and `new` data: `{"field": {"from": …, "to": …}}`, or
/// `None` when none does.
pub(crate) fn changes(old: &Value, new: &Value) -> Option<Value> {
    let empty = Map::new();
    let (o, n) = (old.as_object().unwrap_or(&empty), new.as_object().unwrap_or(&empty));
    let mut out = Map::new();
    for k in o.keys().chain(n.keys()) {
        if out.contains_key(k) {
            continue;
        }
        let (a, b) = (o.get(k).cloned().unwrap_or(Value::Null), n.get(k).cloned().unwrap_or(Value::Null));
        if a != b {
            out.insert(k.clone(), serde_json::json!({"from": a, "to": b}));
        }
    }
    (!out.is_empty()).then_some(Value::Object(out))
}
