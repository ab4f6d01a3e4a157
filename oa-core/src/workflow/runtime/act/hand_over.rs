//! Handing a task on: transfers (转交), signers before, after and beside an approver (加签,
//! 减签), and delegating a task to get it back (委派, 收回).

use serde_json::Value;

use super::decide::{apply_edits, reopen_seat};
use super::{check_comment, not_assignee, not_running, open_task, refuse_delegated, Who};
use crate::error::Problems;
use crate::org::PersonId;
use crate::workflow::runtime::flow::{approval, approval_task, due_at, follow, process_of, settle, Rt};
use crate::workflow::runtime::model::{
    HistoryAction, Instance, InstanceStatus, SignerPosition, Task, TaskId, TaskKind, TaskStatus,
};
use crate::workflow::runtime::resolve::active_person;
use crate::{OaError, OaResult};

/// Hands task `id` to `to` (转交).
pub(crate) fn transfer(rt: &mut Rt<'_>, who: Who, id: TaskId, to: PersonId, comment: &str) -> OaResult<Task> {
    let mut problems = Problems::new();
    check_comment(&mut problems, comment);
    if to == who.person {
        problems.add("to", "cannot hand a task to its own assignee");
    } else if active_person(rt.tx.as_read(), to)?.is_none() {
        problems.add("to", format!("`{to}` is not an active person"));
    }
    problems.finish()?;
    let (task, inst) = open_task(rt, who.person, id, TaskKind::Approve)?;
    refuse_delegated(&task, "transfer")?;
    let due = task.due_at;
    hand_over(rt, Some(who.person), task, inst, to, comment, HistoryAction::Transferred, due)
}

/// Closes `task` as transferred and gives its seat to `to` (or to their delegate, when a
/// standing delegation of theirs runs), with deadline `due`.
///
/// A transfer by a person (`actor`) continues the seat as it was: its deadline, how often its
/// initiator urged it, the reminders
/// sent for it (which count against the node's limit however often the seat moves), and the
/// person a standing delegation (委托) sent it on from, so that the owner still finds the task
/// among [`crate::Oa::tasks_on_my_behalf`] when their delegate hands it on (转办). The owner is
/// dropped when the task comes back to them, and gives way to the new person when a standing
/// delegation of theirs sends it on again. An escalation (no `actor`) starts afresh: the
/// superior decides in their own right, with the node's full time.
#[allow(clippy::too_many_arguments)]
pub(crate) fn hand_over(
    rt: &mut Rt<'_>,
    actor: Option<PersonId>,
    mut task: Task,
    mut inst: Instance,
    to: PersonId,
    comment: &str,
    action: HistoryAction,
    due: Option<chrono::DateTime<chrono::Utc>>,
) -> OaResult<Task> {
    let p = process_of(rt, &inst)?;
    let (node, _) = approval(&p, &task.node)?;
    task.status = TaskStatus::Transferred;
    task.acted_at = Some(rt.now);
    task.comment = comment.trim().to_string();
    task.auto = actor.is_none();
    rt.save_task(&task)?;
    let mut e = rt.entry(actor, action);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    e.comment = task.comment.clone();
    e.detail = format!("handed to `{to}`");
    rt.log(&mut inst, e)?;
    let mut next =
        approval_task(rt, &mut inst, node, to, task.activation, task.order, Some(task.seat), &[task.assignee])?;
    next.after = task.after.clone();
    next.added_by = task.added_by;
    next.due_at = due;
    // A transfer keeps the seat's deadline; an escalation starts a fresh one.
    next.deadline_at = if actor.is_some() { task.deadline_at } else { due };
    if actor.is_some() {
        next.reminders = task.reminders;
        // The initiator urged the seat, not the person: the new holder sees how often.
        next.urged = task.urged;
    }
    if actor.is_some() && next.on_behalf_of.is_none() {
        next.on_behalf_of = task.on_behalf_of.filter(|owner| *owner != next.assignee);
    }
    rt.save_task(&next)?;
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(next)
}

/// Adds `person` as a signer (加签) of task `id`, before, after or beside its assignee.
/// Returns the new task (for `after`, the task itself: the signer's task comes once it is
/// approved).
///
/// A signer before or beside gets the node's deadline counted from now, as an approver
/// reaching the node would: the approver before them waits meanwhile, out of the deadline
/// lists, and without it their seat would show nowhere as overdue. A signer after continues
/// the approver's seat and its deadline when their task comes.
pub(crate) fn add_signer(
    rt: &mut Rt<'_>,
    who: Who,
    id: TaskId,
    person: PersonId,
    position: SignerPosition,
) -> OaResult<Task> {
    if person == who.person {
        return Err(OaError::invalid("person", "cannot add oneself as a signer"));
    }
    if active_person(rt.tx.as_read(), person)?.is_none() {
        return Err(OaError::invalid("person", format!("`{person}` is not an active person")));
    }
    let (mut task, mut inst) = open_task(rt, who.person, id, TaskKind::Approve)?;
    refuse_delegated(&task, "add signers to")?;
    let busy =
        rt.tasks(inst.id)?.any(|t| t.activation == task.activation && t.assignee == person && t.status.is_open())
            || task.after.contains(&person);
    if busy {
        return Err(OaError::invalid("person", format!("`{person}` already approves at this node")));
    }
    let p = process_of(rt, &inst)?;
    let (node, a) = approval(&p, &task.node)?;
    let out = match position {
        SignerPosition::Before => {
            task.status = TaskStatus::Waiting;
            rt.save_task(&task)?;
            let mut t = approval_task(
                rt,
                &mut inst,
                node,
                person,
                task.activation,
                task.order,
                Some(task.seat),
                &[who.person],
            )?;
            t.added_by = Some(who.person);
            t.due_at = due_at(rt, a)?;
            t.deadline_at = t.due_at;
            rt.save_task(&t)?;
            t
        }
        SignerPosition::After => {
            task.after.push(person);
            rt.save_task(&task)?;
            task.clone()
        }
        SignerPosition::Alongside => {
            let mut t = approval_task(rt, &mut inst, node, person, task.activation, task.order, None, &[who.person])?;
            t.added_by = Some(who.person);
            t.due_at = due_at(rt, a)?;
            t.deadline_at = t.due_at;
            rt.save_task(&t)?;
            t
        }
    };
    let mut e = rt.entry(Some(who.person), HistoryAction::SignerAdded);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    e.detail = format!(
        "`{person}` added {}",
        match position {
            SignerPosition::Before => "before",
            SignerPosition::After => "after",
            SignerPosition::Alongside => "alongside",
        }
    );
    rt.log(&mut inst, e)?;
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(out)
}

/// Removes a signer (减签): cancels pending (or delegated) task `id` of a signer whom `who`
/// added.
pub(crate) fn remove_signer(rt: &mut Rt<'_>, who: Who, id: TaskId) -> OaResult<Instance> {
    let mut task = rt.task(id)?;
    if task.added_by != Some(who.person) {
        return Err(OaError::PermissionDenied {
            permission: "workflow.task.act".into(),
            reason: Some("only the person who added a signer may remove them".into()),
        });
    }
    let mut inst = rt.instance(task.instance)?;
    if inst.status != InstanceStatus::Running {
        return Err(not_running(&inst));
    }
    if !matches!(task.status, TaskStatus::Pending | TaskStatus::Delegated) {
        return Err(OaError::InvalidState(format!("task `{id}` is no longer pending")));
    }
    // A signer who delegated their task (委派) goes with the task they delegated.
    if task.status == TaskStatus::Delegated {
        if let Some(mut d) = delegate_task_of(rt, &task)? {
            d.status = TaskStatus::Cancelled;
            rt.save_task(&d)?;
        }
    }
    task.status = TaskStatus::Cancelled;
    task.acted_at = Some(rt.now);
    rt.save_task(&task)?;
    reopen_seat(rt, &task)?;
    let mut e = rt.entry(Some(who.person), HistoryAction::SignerRemoved);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    rt.log(&mut inst, e)?;
    let p = process_of(rt, &inst)?;
    let s = settle(rt, &p, &mut inst, &task.node, task.activation)?;
    follow(rt, &p, &mut inst, s)?;
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// The open task of the person `owner_task` was delegated to (委派), if any.
pub(super) fn delegate_task_of(rt: &mut Rt<'_>, owner_task: &Task) -> OaResult<Option<Task>> {
    Ok(rt.tasks(owner_task.instance)?.find(|t| t.delegated_from == Some(owner_task.id) && t.status.is_open()).cloned())
}

/// Delegates task `id` (委派) to `to` to deal with: the task waits as delegated, still open so
/// its node does not complete, and `to` (or their standing delegate) gets a task of the same
/// seat, with its deadline (`deadline_at`), that `approve` resolves. Returns the delegate's
/// task.
pub(crate) fn delegate_task(rt: &mut Rt<'_>, who: Who, id: TaskId, to: PersonId, comment: &str) -> OaResult<Task> {
    let mut problems = Problems::new();
    check_comment(&mut problems, comment);
    if to == who.person {
        problems.add("to", "cannot delegate a task to its own assignee");
    } else if active_person(rt.tx.as_read(), to)?.is_none() {
        problems.add("to", format!("`{to}` is not an active person"));
    }
    problems.finish()?;
    let (mut task, mut inst) = open_task(rt, who.person, id, TaskKind::Approve)?;
    refuse_delegated(&task, "delegate")?;
    let busy = rt.tasks(inst.id)?.any(|t| t.activation == task.activation && t.assignee == to && t.status.is_open());
    if busy {
        return Err(OaError::invalid("to", format!("`{to}` already approves at this node")));
    }
    let p = process_of(rt, &inst)?;
    let (node, _) = approval(&p, &task.node)?;
    task.status = TaskStatus::Delegated;
    rt.save_task(&task)?;
    let mut e = rt.entry(Some(who.person), HistoryAction::Delegated);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    e.comment = comment.trim().to_string();
    e.detail = format!("delegated to `{to}`");
    rt.log(&mut inst, e)?;
    let mut d = approval_task(rt, &mut inst, node, to, task.activation, task.order, Some(task.seat), &[who.person])?;
    d.delegated_from = Some(task.id);
    // The owner's deadline is the seat's: the delegate's task shows as overdue with it. Its
    // handling (reminders, escalation) stays with the owner's task, which keeps `due_at`.
    d.deadline_at = task.deadline_at;
    rt.save_task(&d)?;
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(d)
}

/// Resolves `task`, delegated to `who` (委派): closes it as resolved with their comment and
/// their edits of the fields the node lets approvers change, and gives its owner their task
/// back, pending.
pub(super) fn resolve(
    rt: &mut Rt<'_>,
    who: Who,
    mut task: Task,
    mut inst: Instance,
    comment: &str,
    edits: Option<&Value>,
) -> OaResult<Instance> {
    let owner_id = task.delegated_from.ok_or_else(|| OaError::Internal("resolving a task nobody delegated".into()))?;
    let mut owner = rt.task(owner_id)?;
    if owner.status != TaskStatus::Delegated {
        return Err(OaError::InvalidState(format!("task `{owner_id}` no longer waits for its delegate")));
    }
    let p = process_of(rt, &inst)?;
    let (_, a) = approval(&p, &task.node)?;
    let changed = match edits {
        Some(edit) => apply_edits(rt, &mut inst, &a.settings.fields, edit, who)?,
        None => None,
    };
    task.status = TaskStatus::Resolved;
    task.acted_at = Some(rt.now);
    task.comment = comment.trim().to_string();
    rt.save_task(&task)?;
    owner.status = TaskStatus::Pending;
    rt.save_task(&owner)?;
    let mut e = rt.entry(Some(who.person), HistoryAction::Resolved);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    e.comment = task.comment.clone();
    e.changes = changed;
    e.detail = format!("given back to `{}`", owner.assignee);
    rt.log(&mut inst, e)?;
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// Takes delegated task `task` back (收回) for `actor` (its owner, or the system when
/// `None`): the delegate's task closes as withdrawn and `task` is pending again. Logs into
/// `inst`; the caller saves it.
pub(super) fn take_back_inner(
    rt: &mut Rt<'_>,
    actor: Option<PersonId>,
    mut task: Task,
    inst: &mut Instance,
    detail: &str,
) -> OaResult<Task> {
    let mut from = None;
    if let Some(mut d) = delegate_task_of(rt, &task)? {
        d.status = TaskStatus::Withdrawn;
        rt.save_task(&d)?;
        from = Some(d.assignee);
    }
    task.status = TaskStatus::Pending;
    rt.save_task(&task)?;
    let mut e = rt.entry(actor, HistoryAction::TakenBack);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    e.detail = match from {
        Some(p) if detail.is_empty() => format!("taken back from `{p}`"),
        Some(p) => format!("taken back from `{p}`: {detail}"),
        None => detail.to_string(),
    };
    rt.log(inst, e)?;
    inst.undo = None;
    Ok(task)
}

/// Takes back task `id` (收回), which `who` delegated (委派) and its delegate has not resolved
/// yet. Returns the task, pending again.
pub(crate) fn take_back_task(rt: &mut Rt<'_>, who: Who, id: TaskId) -> OaResult<Task> {
    let task = rt.task(id)?;
    if task.assignee != who.person {
        return Err(not_assignee("task"));
    }
    let mut inst = rt.instance(task.instance)?;
    if inst.status != InstanceStatus::Running {
        return Err(not_running(&inst));
    }
    if task.status != TaskStatus::Delegated {
        return Err(OaError::InvalidState(format!("task `{id}` is not delegated: nothing to take back")));
    }
    let task = take_back_inner(rt, Some(who.person), task, &mut inst, "")?;
    rt.save_instance(&inst)?;
    Ok(task)
}
