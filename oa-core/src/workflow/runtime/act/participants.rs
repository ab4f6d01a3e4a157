//! What participants do besides deciding: commenting (评论), urging the approvers (催办) and
//! reading a copy (已阅).

use super::{check_text, not_assignee, not_running, Who, MAX_COMMENT_LEN};
use crate::org::PersonId;
use crate::workflow::runtime::flow::Rt;
use crate::workflow::runtime::model::{
    HistoryAction, Instance, InstanceId, InstanceStatus, Task, TaskId, TaskKind, TaskStatus,
};
use crate::{OaError, OaResult};

/// Whether `who` takes part in `inst`: its initiator, the assignee of one of its tasks, or the
/// person a task was meant for when their standing delegation sent it to someone else.
pub(crate) fn is_participant(rt: &mut Rt<'_>, inst: &Instance, who: PersonId) -> OaResult<bool> {
    Ok(inst.initiator == who || rt.tasks(inst.id)?.any(|t| t.assignee == who || t.on_behalf_of == Some(who)))
}

/// Adds a comment (评论) to instance `id`, by a participant or a reader of every instance.
pub(crate) fn comment(rt: &mut Rt<'_>, who: Who, reads_all: bool, id: InstanceId, text: &str) -> OaResult<()> {
    let text = check_text("text", text, MAX_COMMENT_LEN)?;
    let mut inst = rt.instance(id)?;
    if !reads_all && !is_participant(rt, &inst, who.person)? {
        return Err(not_assignee("instance"));
    }
    let mut e = rt.entry(Some(who.person), HistoryAction::Commented);
    e.comment = text;
    rt.log(&mut inst, e)?;
    rt.save_instance(&inst)
}

/// Urges (催办) the pending approvers of instance `id`, by its initiator; returns how many
/// tasks were urged.
pub(crate) fn urge(rt: &mut Rt<'_>, who: Who, id: InstanceId) -> OaResult<u32> {
    let mut inst = rt.instance(id)?;
    if inst.initiator != who.person {
        return Err(not_assignee("instance"));
    }
    if inst.status != InstanceStatus::Running {
        return Err(not_running(&inst));
    }
    let mut n = 0;
    for t in rt.tasks_where(id, |t| t.kind == TaskKind::Approve && t.status == TaskStatus::Pending)? {
        let mut t = (*t).clone();
        t.urged += 1;
        rt.save_task(&t)?;
        n += 1;
    }
    let mut e = rt.entry(Some(who.person), HistoryAction::Urged);
    e.detail = format!("{n} pending tasks urged");
    rt.log(&mut inst, e)?;
    rt.save_instance(&inst)?;
    Ok(n)
}

/// Marks copy `id` read (已阅); reading it again changes nothing.
pub(crate) fn mark_cc_read(rt: &mut Rt<'_>, who: Who, id: TaskId) -> OaResult<Task> {
    let mut task = rt.task(id)?;
    if task.assignee != who.person {
        return Err(not_assignee("copy"));
    }
    if task.kind != TaskKind::Cc {
        return Err(OaError::InvalidState(format!("task `{id}` is not a copy")));
    }
    if task.status != TaskStatus::Pending {
        return Ok(task);
    }
    task.status = TaskStatus::Read;
    task.acted_at = Some(rt.now);
    rt.save_task(&task)?;
    let mut inst = rt.instance(task.instance)?;
    let mut e = rt.entry(Some(who.person), HistoryAction::CcRead);
    e.node = Some(task.node.clone());
    e.task = Some(task.id);
    rt.log(&mut inst, e)?;
    rt.save_instance(&inst)?;
    Ok(task)
}
