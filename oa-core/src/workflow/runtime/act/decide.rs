//! Deciding a task: approving (同意) and rejecting (驳回), with the approver's edits of the
//! form, and what a decision does to its seat and node.

use serde_json::Value;

use super::hand_over::resolve;
use super::{check_comment, link_attachments, open_task, refuse_delegated, Who};
use crate::error::Problems;
use crate::form;
use crate::workflow::runtime::flow::{approval, approval_task, changes, follow, process_of, settle, Rt};
use crate::workflow::runtime::model::{
    HistoryAction, Instance, InstanceStatus, Task, TaskId, TaskKind, TaskStatus, Undo,
};
use crate::{OaError, OaResult};

/// Approves task `id` (同意), with an edit of the fields the node lets its approvers change.
pub(crate) fn approve(
    rt: &mut Rt<'_>,
    who: Who,
    id: TaskId,
    comment: &str,
    edits: Option<&Value>,
) -> OaResult<Instance> {
    let mut problems = Problems::new();
    check_comment(&mut problems, comment);
    problems.finish()?;
    let (task, inst) = open_task(rt, who.person, id, TaskKind::Approve)?;
    if task.delegated_from.is_some() {
        return resolve(rt, who, task, inst, comment, edits);
    }
    decide(rt, Some(who), task, inst, true, comment, edits)
}

/// Rejects task `id` (驳回). The instance ends rejected, except at a ratio node (票签), where
/// a rejection is one vote.
pub(crate) fn reject(rt: &mut Rt<'_>, who: Who, id: TaskId, comment: &str) -> OaResult<Instance> {
    let mut problems = Problems::new();
    check_comment(&mut problems, comment);
    problems.finish()?;
    let (task, inst) = open_task(rt, who.person, id, TaskKind::Approve)?;
    refuse_delegated(&task, "reject")?;
    decide(rt, Some(who), task, inst, false, comment, None)
}

/// `e` with the paths of its field errors put under `prefix`, as the operation's input names
/// them; any other error as it is.
fn under(prefix: &str, e: OaError) -> OaError {
    match e {
        OaError::Validation(fields) => OaError::Validation(
            fields.into_iter().map(|f| crate::FieldError::new(format!("{prefix}.{}", f.path), f.reason)).collect(),
        ),
        other => other,
    }
}

/// Applies `edit` by `who` to the data of `inst` as the node's field permissions `fields` allow,
/// returning the fields changed.
pub(super) fn apply_edits(
    rt: &mut Rt<'_>,
    inst: &mut Instance,
    fields: &crate::form::FieldPermissions,
    edit: &Value,
    who: Who,
) -> OaResult<Option<Value>> {
    let form = form::require_form(rt.tx.as_read(), &inst.form_key, Some(inst.form_version))?;
    let new = form::validate_edit(rt.tx.as_read(), &form, &inst.data, edit, fields, Some(who.submitter()))
        .map_err(|e| under("form_edits", e))?;
    let changed = changes(&inst.data, &new);
    inst.data = new;
    link_attachments(rt, &form, inst)?;
    Ok(changed)
}

/// Approves or rejects `task` for `who`, or for the system when `who` is `None` (a deadline).
pub(crate) fn decide(
    rt: &mut Rt<'_>,
    who: Option<Who>,
    mut task: Task,
    mut inst: Instance,
    approve: bool,
    comment: &str,
    edits: Option<&Value>,
) -> OaResult<Instance> {
    let p = process_of(rt, &inst)?;
    let (_, a) = approval(&p, &task.node)?;
    let mut undo = who.map(|w| Undo {
        actor: w.person,
        task: task.id,
        tokens: inst.tokens.clone(),
        data: inst.data.clone(),
        created: Vec::new(),
    });
    let numbered = inst.number.is_some();
    let changed = match (edits, who) {
        (Some(edit), Some(w)) => apply_edits(rt, &mut inst, &a.settings.fields, edit, w)?,
        _ => None,
    };
    task.status = if approve { TaskStatus::Approved } else { TaskStatus::Rejected };
    task.acted_at = Some(rt.now);
    task.comment = comment.trim().to_string();
    task.auto = who.is_none();
    rt.save_task(&task)?;
    let action = match (approve, who.is_some()) {
        (true, true) => HistoryAction::Approved,
        (true, false) => HistoryAction::AutoApproved,
        (false, _) => HistoryAction::Rejected,
    };
    let mut e = rt.entry(who.map(|w| w.person), action);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    e.comment = task.comment.clone();
    e.changes = changed;
    if who.is_none() {
        e.detail = "the deadline passed".into();
    }
    rt.log(&mut inst, e)?;
    rt.created.clear();
    let mut reopened = false;
    if approve {
        if let Some((first, rest)) = task.after.split_first() {
            let (node, _) = approval(&p, &task.node)?;
            let mut next = approval_task(
                rt,
                &mut inst,
                node,
                *first,
                task.activation,
                task.order,
                Some(task.seat),
                &[task.assignee],
            )?;
            next.after = rest.to_vec();
            next.added_by = task.added_by.or(Some(task.assignee));
            // The signer after continues the seat: its deadline, and the reminders sent for it.
            next.due_at = task.due_at;
            next.deadline_at = task.deadline_at;
            next.reminders = task.reminders;
            next.urged = task.urged;
            rt.save_task(&next)?;
        } else {
            reopened = reopen_seat(rt, &task)?;
        }
    }
    let s = settle(rt, &p, &mut inst, &task.node, task.activation)?;
    follow(rt, &p, &mut inst, s)?;
    if let Some(u) = &mut undo {
        u.created = rt.created.clone();
    }
    inst.undo = undo.filter(|_| {
        approve && !reopened && inst.status == InstanceStatus::Running && inst.number.is_some() == numbered
    });
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// After a signer added before an approver (前加签) approves, gives the approver their task
/// back. Returns whether it did.
pub(super) fn reopen_seat(rt: &mut Rt<'_>, task: &Task) -> OaResult<bool> {
    // Looked at in place: the seat's tasks are read on every approval, and only the one
    // reopened needs a copy to change.
    let mut waiting = None;
    for t in rt.tasks(task.instance)?.filter(|t| t.seat == task.seat && t.activation == task.activation) {
        match t.status {
            TaskStatus::Pending => return Ok(false),
            TaskStatus::Waiting if waiting.is_none() => waiting = Some(t.id),
            _ => {}
        }
    }
    match waiting {
        Some(id) => {
            let mut w = rt.task(id)?;
            w.status = TaskStatus::Pending;
            rt.save_task(&w)?;
            Ok(true)
        }
        None => Ok(false),
    }
}
