//! Administrators' actions on running instances, terminating (终止) and moving them (跳转),
//! and deadlines (超时) as they fall due.

use super::decide::decide;
use super::hand_over::{delegate_task_of, hand_over, take_back_inner};
use super::{check_text, not_running, Who, MAX_COMMENT_LEN};
use crate::org::PersonId;
use crate::workflow::definition::NodeKind;
use crate::workflow::runtime::flow::{approval, close_open_tasks, due_at, enter, finish, process_of, Rt};
use crate::workflow::runtime::model::{
    HistoryAction, Instance, InstanceId, InstanceStatus, Task, TaskId, TaskKind, TaskStatus,
};
use crate::{OaError, OaResult};

/// Terminates (终止) running instance `id`, by an administrator.
pub(crate) fn terminate(rt: &mut Rt<'_>, who: Who, id: InstanceId, reason: &str) -> OaResult<Instance> {
    let reason = check_text("reason", reason, MAX_COMMENT_LEN)?;
    let mut inst = rt.instance(id)?;
    if inst.status != InstanceStatus::Running {
        return Err(not_running(&inst));
    }
    let mut e = rt.entry(Some(who.person), HistoryAction::Terminated);
    e.comment = reason.clone();
    rt.log(&mut inst, e)?;
    finish(rt, &mut inst, InstanceStatus::Terminated, Some(who.person), &reason)?;
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// Moves running instance `id` to `node` (跳转), by an administrator: its open tasks close and
/// the node is entered afresh. Only approval, copy and end nodes outside parallel branches.
pub(crate) fn jump(rt: &mut Rt<'_>, who: Who, id: InstanceId, node: &str) -> OaResult<Instance> {
    let mut inst = rt.instance(id)?;
    if inst.status != InstanceStatus::Running {
        return Err(not_running(&inst));
    }
    let p = process_of(rt, &inst)?;
    let node = node.trim();
    let ok = match p.node(node) {
        Some(n) => {
            matches!(n.kind, NodeKind::Approval(_) | NodeKind::Cc(_) | NodeKind::End)
                && p.parallel_scope(node).is_empty()
        }
        None => return Err(OaError::invalid("node", format!("the process has no node `{node}`"))),
    };
    if !ok {
        return Err(OaError::invalid(
            "node",
            format!("cannot jump to `{node}`: only approval, copy and end nodes outside parallel branches"),
        ));
    }
    close_open_tasks(rt, &inst, TaskStatus::Cancelled, None)?;
    inst.tokens.clear();
    inst.returned = None;
    inst.undo = None;
    let mut e = rt.entry(Some(who.person), HistoryAction::Jumped);
    e.node = Some(node.to_string());
    e.detail = format!("moved to `{node}`");
    rt.log(&mut inst, e)?;
    enter(rt, &p, &mut inst, vec![(node.to_string(), None)])?;
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// What happened to one due task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DueOutcome {
    Reminded,
    Escalated,
    AutoApproved,
    AutoRejected,
    Skipped,
}

/// The superior `task` escalates to: the first active one up the chain of the person the task
/// is meant for (its assignee, or the person a standing delegation sent it on from: the
/// authority is theirs) who holds no open task at the task's node activation (a second task
/// there would give them two votes and two todo entries for one decision), or why there is
/// none.
fn escalation_target(rt: &mut Rt<'_>, task: &Task) -> OaResult<Result<PersonId, String>> {
    let whose = task.on_behalf_of.unwrap_or(task.assignee);
    let active: Vec<PersonId> = crate::org::superiors(rt.tx.as_read(), whose)?
        .into_iter()
        .filter(|s| s.status == crate::org::PersonStatus::Active)
        .map(|s| s.id)
        .collect();
    if active.is_empty() {
        return Ok(Err(format!("`{whose}` has no active superior to escalate to")));
    }
    let holders: Vec<PersonId> = rt
        .tasks(task.instance)?
        .filter(|t| t.kind == TaskKind::Approve && t.activation == task.activation && t.status.is_open())
        .flat_map(|t| [Some(t.assignee), t.on_behalf_of])
        .flatten()
        .collect();
    Ok(active
        .into_iter()
        .find(|s| !holders.contains(s))
        .ok_or_else(|| format!("every active superior of `{whose}` already holds a task at this node")))
}

/// Handles the deadline of `task` due at `at`, if the entry is still there: reminds,
/// escalates, approves or rejects as the node says; removes or moves the entry. The deadline
/// of a task its assignee delegated (委派) keeps running: a reminder goes to the delegate, and
/// any other action first takes the task back.
pub(crate) fn process_due_task(rt: &mut Rt<'_>, at: chrono::DateTime<chrono::Utc>, id: TaskId) -> OaResult<DueOutcome> {
    use crate::workflow::definition::TimeoutAction;
    let key = crate::workflow::runtime::model::keys::due(at, id);
    if rt.tx.get(key.as_bytes())?.is_none() {
        return Ok(DueOutcome::Skipped);
    }
    let Some(mut task) = rt.load_task(id)? else {
        rt.tx.delete(key.as_bytes())?;
        return Ok(DueOutcome::Skipped);
    };
    let mut inst = rt.instance(task.instance)?;
    let waits = matches!(task.status, TaskStatus::Pending | TaskStatus::Delegated);
    if !waits || task.due_at != Some(at) || inst.status != InstanceStatus::Running {
        rt.tx.delete(key.as_bytes())?;
        return Ok(DueOutcome::Skipped);
    }
    let p = process_of(rt, &inst)?;
    let (_, a) = approval(&p, &task.node)?;
    let Some(deadline) = a.settings.deadline.clone() else {
        task.due_at = None;
        rt.save_task(&task)?;
        return Ok(DueOutcome::Skipped);
    };
    let mut action = deadline.action;
    let mut superior = None;
    let mut why = None;
    if action == TimeoutAction::Escalate {
        match escalation_target(rt, &task)? {
            Ok(s) => superior = Some(s),
            Err(reason) => {
                action = TimeoutAction::Remind;
                why = Some(reason);
            }
        }
    }
    if action != TimeoutAction::Remind && task.status == TaskStatus::Delegated {
        task = take_back_inner(rt, None, task, &mut inst, "the deadline passed")?;
    }
    match action {
        TimeoutAction::Remind => {
            let holder = match task.status {
                TaskStatus::Delegated => delegate_task_of(rt, &task)?.map(|t| t.assignee).unwrap_or(task.assignee),
                _ => task.assignee,
            };
            task.reminders += 1;
            task.due_at = match deadline.repeat {
                Some(r) if task.reminders <= r.times => {
                    let cal = crate::admin::calendar::load_calendar_from(rt.tx.as_read(), at)?;
                    Some(cal.add_working_time(at, r.every)?)
                }
                _ => None,
            };
            rt.save_task(&task)?;
            let mut e = rt.entry(None, HistoryAction::Reminded);
            e.node = Some(task.node.clone());
            e.task = Some(task.id);
            e.detail = match why {
                Some(w) => format!("`{holder}` reminded instead of escalating: {w}"),
                None => format!("`{holder}` reminded"),
            };
            rt.log(&mut inst, e)?;
            rt.save_instance(&inst)?;
            Ok(DueOutcome::Reminded)
        }
        TimeoutAction::Escalate => {
            let to = superior.ok_or_else(|| OaError::Internal("no superior to escalate to".into()))?;
            // The superior gets the node's full time, counted from now, not what is left of the
            // deadline that just passed (nothing).
            let due = due_at(rt, a)?;
            hand_over(rt, None, task, inst, to, "", HistoryAction::Escalated, due)?;
            Ok(DueOutcome::Escalated)
        }
        TimeoutAction::AutoApprove => {
            decide(rt, None, task, inst, true, "", None)?;
            Ok(DueOutcome::AutoApproved)
        }
        TimeoutAction::AutoReject => {
            decide(rt, None, task, inst, false, "", None)?;
            Ok(DueOutcome::AutoRejected)
        }
    }
}
