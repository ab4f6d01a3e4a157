//! Going back: returning an instance (退回) to an earlier node or its initiator, resubmitting it
//! (重新提交), and withdrawing it or an approval (撤回).

use serde_json::Value;

use super::{check_comment, link_attachments, not_assignee, not_running, open_task, refuse_delegated, Who};
use crate::error::Problems;
use crate::form;
use crate::workflow::definition::{CompiledProcess, NodeKind, Resubmit, ReturnTo};
use crate::workflow::runtime::flow::{
    after_start, approval, changes, close_open_tasks, enter, finish, new_task, next_activation, process_of, Rt,
};
use crate::workflow::runtime::model::{
    HistoryAction, Instance, InstanceId, InstanceStatus, ReturnMark, ReturnTarget, TaskId, TaskKind, TaskStatus, Token,
};
use crate::{OaError, OaResult};

/// Returns the instance from task `id` (退回) to `to`, as the node's return policy allows.
pub(crate) fn return_task(
    rt: &mut Rt<'_>,
    who: Who,
    id: TaskId,
    to: &ReturnTarget,
    comment: &str,
) -> OaResult<Instance> {
    let mut problems = Problems::new();
    check_comment(&mut problems, comment);
    problems.finish()?;
    let (mut task, mut inst) = open_task(rt, who.person, id, TaskKind::Approve)?;
    refuse_delegated(&task, "return")?;
    let p = process_of(rt, &inst)?;
    let (node, a) = approval(&p, &task.node)?;
    let policy = &a.settings.returns;
    if policy.to == ReturnTo::None {
        return Err(OaError::InvalidState(format!("node `{}` does not allow returning", node.id)));
    }
    let allowed: Vec<String> = p.return_targets(&node.id).into_iter().map(|n| n.id.clone()).collect();
    let start_id = p.start().id.clone();
    let target =
        match to {
            ReturnTarget::Initiator => start_id.clone(),
            ReturnTarget::Node(n) => n.trim().to_string(),
            ReturnTarget::Previous => {
                let passed: Vec<String> = rt
                    .tasks(inst.id)?
                    .filter(|t| t.kind == TaskKind::Approve && t.status == TaskStatus::Approved)
                    .map(|t| t.node.clone())
                    .collect();
                allowed.iter().rev().find(|n| **n == start_id || passed.contains(n)).cloned().ok_or_else(|| {
                    OaError::InvalidState(format!("node `{}` has no earlier node to return to", node.id))
                })?
            }
        };
    if !allowed.contains(&target) {
        return Err(OaError::invalid("to", format!("node `{}` may not return the instance to `{target}`", node.id)));
    }
    task.status = TaskStatus::Returned;
    task.acted_at = Some(rt.now);
    task.comment = comment.trim().to_string();
    rt.save_task(&task)?;
    let mut e = rt.entry(Some(who.person), HistoryAction::Returned);
    e.node = Some(node.id.clone());
    e.task = Some(task.id);
    e.comment = task.comment.clone();
    e.detail = format!("returned to `{target}`");
    rt.log(&mut inst, e)?;
    let resume_at = (policy.resubmit == Resubmit::BackToReturner).then(|| node.id.clone());
    inst.undo = None;
    if target == start_id {
        close_open_tasks(rt, &inst, TaskStatus::Cancelled, None)?;
        inst.tokens.clear();
        let activation = next_activation(&mut inst);
        inst.tokens.push(Token {
            node: start_id,
            activation,
            arrived: 0,
            in_turn: Vec::new(),
            resume_at: None,
            entered_at: Some(rt.now),
        });
        let start = p.start().clone();
        new_task(rt, &inst, &start, inst.initiator, TaskKind::Resubmit, activation, 0, None)?;
        inst.returned = Some(ReturnMark { from: node.id.clone(), resume_at });
    } else if !p.parallel_scope(&target).is_empty() {
        close_open_tasks(rt, &inst, TaskStatus::Cancelled, Some(task.activation))?;
        inst.tokens.retain(|t| t.activation != task.activation);
        enter(rt, &p, &mut inst, vec![(target, resume_at)])?;
    } else {
        close_open_tasks(rt, &inst, TaskStatus::Cancelled, None)?;
        inst.tokens.clear();
        enter(rt, &p, &mut inst, vec![(target, resume_at)])?;
    }
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// Resubmits instance `id` returned to its initiator (重新提交) with `data`: along the process
/// again, or straight back to the node that returned it, as that node's policy says.
pub(crate) fn resubmit(rt: &mut Rt<'_>, who: Who, id: InstanceId, data: &Value) -> OaResult<Instance> {
    let mut inst = rt.instance(id)?;
    if inst.initiator != who.person {
        return Err(not_assignee("instance"));
    }
    let Some(mark) = inst.returned.clone().filter(|_| inst.status == InstanceStatus::Running) else {
        return Err(OaError::InvalidState(format!("instance `{id}` is not returned to its initiator")));
    };
    let p = process_of(rt, &inst)?;
    let form = form::require_form(rt.tx.as_read(), &inst.form_key, Some(inst.form_version))?;
    let data = form::validate_data(rt.tx.as_read(), &form, data, Some(who.submitter())).map_err(|e| match e {
        OaError::Validation(f) => OaError::Validation(
            f.into_iter().map(|f| crate::FieldError::new(format!("data.{}", f.path), f.reason)).collect(),
        ),
        other => other,
    })?;
    let data = keep_number(&p, &inst, data);
    let changed = changes(&inst.data, &data);
    inst.data = data;
    link_attachments(rt, &form, &inst)?;
    for t in rt.tasks_where(id, |t| t.kind == TaskKind::Resubmit && t.status == TaskStatus::Pending)? {
        let mut t = (*t).clone();
        t.status = TaskStatus::Approved;
        t.acted_at = Some(rt.now);
        rt.save_task(&t)?;
    }
    inst.returned = None;
    inst.tokens.clear();
    inst.undo = None;
    let mut e = rt.entry(Some(who.person), HistoryAction::Resubmitted);
    e.node = Some(p.start().id.clone());
    e.changes = changed;
    rt.log(&mut inst, e)?;
    let next = match mark.resume_at {
        Some(n) if p.parallel_scope(&n).is_empty() && p.node(&n).is_some() => n,
        _ => after_start(&p)?,
    };
    enter(rt, &p, &mut inst, vec![(next, None)])?;
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// `data` with the instance's document number kept in the fields it was written to: the
/// number is assigned once and never again, so resubmitted data cannot drop or change it.
fn keep_number(p: &CompiledProcess, inst: &Instance, mut data: Value) -> Value {
    let Some(number) = &inst.number else {
        return data;
    };
    for node in p.in_order() {
        let NodeKind::Approval(a) = &node.kind else {
            continue;
        };
        let Some(field) = a.settings.numbering.as_ref().and_then(|n| n.field.as_ref()) else {
            continue;
        };
        if inst.data.get(field).and_then(Value::as_str) == Some(number.as_str()) {
            if let Some(map) = data.as_object_mut() {
                map.insert(field.clone(), Value::String(number.clone()));
            }
        }
    }
    data
}

/// Withdraws (撤回): the initiator withdraws the whole instance while nobody has acted on it
/// (or while it is returned to them); the last person who approved takes their approval back
/// while nobody has acted after them.
pub(crate) fn withdraw(rt: &mut Rt<'_>, who: Who, id: InstanceId) -> OaResult<Instance> {
    let mut inst = rt.instance(id)?;
    if inst.status != InstanceStatus::Running {
        return Err(not_running(&inst));
    }
    let someone_acted = rt.tasks(id)?.any(|t| t.kind == TaskKind::Approve && t.acted_at.is_some() && !t.auto);
    if who.person == inst.initiator && (!someone_acted || inst.returned.is_some()) {
        finish(rt, &mut inst, InstanceStatus::Withdrawn, Some(who.person), "")?;
        for t in rt.tasks_where(id, |t| t.status == TaskStatus::Cancelled && t.acted_at.is_none())? {
            let mut t = (*t).clone();
            t.status = TaskStatus::Withdrawn;
            rt.save_task(&t)?;
        }
        rt.save_instance(&inst)?;
        return Ok(inst);
    }
    let Some(undo) = inst.undo.clone().filter(|u| u.actor == who.person) else {
        return if who.person == inst.initiator || rt.tasks(id)?.any(|t| t.assignee == who.person) {
            Err(OaError::InvalidState(format!("instance `{id}` cannot be withdrawn: someone acted on it since")))
        } else {
            Err(not_assignee("instance"))
        };
    };
    for tid in &undo.created {
        let mut t = rt.task(*tid)?;
        if t.status.is_open() || (t.kind == TaskKind::Cc && t.status == TaskStatus::Pending) {
            t.status = TaskStatus::Withdrawn;
            rt.save_task(&t)?;
        }
    }
    let mut t = rt.task(undo.task)?;
    t.status = TaskStatus::Pending;
    t.acted_at = None;
    t.comment.clear();
    rt.save_task(&t)?;
    // Tasks the approval closed (the other approvers of an any-of node) open again; a task
    // whose delegate's task (委派) opens again with it waits for that delegate again.
    let closed = rt.tasks_where(id, |o| {
        o.activation == t.activation
            && o.kind == TaskKind::Approve
            && o.status == TaskStatus::Cancelled
            && o.acted_at.is_none()
    })?;
    let waiting_for: Vec<TaskId> = closed.iter().filter_map(|o| o.delegated_from).collect();
    for o in closed {
        let mut o = (*o).clone();
        o.status = if waiting_for.contains(&o.id) { TaskStatus::Delegated } else { TaskStatus::Pending };
        rt.save_task(&o)?;
    }
    inst.tokens = undo.tokens;
    inst.data = undo.data;
    inst.undo = None;
    let mut e = rt.entry(Some(who.person), HistoryAction::Withdrawn);
    e.node = Some(t.node.clone());
    e.task = Some(t.id);
    e.detail = "approval taken back".into();
    rt.log(&mut inst, e)?;
    rt.save_instance(&inst)?;
    Ok(inst)
}
