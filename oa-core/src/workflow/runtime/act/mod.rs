//! The runtime's actions without sessions or permission checks: each takes the transaction
//! context and who acts, checks that they may act and that the state allows it, and writes
//! the change with its indexes and history. The operations in `ops.rs` authenticate and
//! authorise first, then call these.

mod admin;
mod decide;
mod hand_over;
mod participants;
mod returns;
mod start;

pub(crate) use admin::{jump, process_due_task, terminate, DueOutcome};
pub(crate) use decide::{approve, reject};
pub(crate) use hand_over::{add_signer, delegate_task, remove_signer, take_back_task, transfer};
pub(crate) use participants::{comment, mark_cc_read, urge};
pub(crate) use returns::{resubmit, return_task, withdraw};
pub(crate) use start::{delete_draft, save_draft, start, submit_draft};

use crate::error::Problems;
use crate::form::{self, Submitter};
use crate::org::PersonId;
use crate::workflow::runtime::flow::Rt;
use crate::workflow::runtime::model::{Instance, InstanceStatus, Task, TaskId, TaskKind, TaskStatus};
use crate::{OaError, OaResult};

/// The longest title, in characters.
pub const MAX_TITLE_LEN: usize = 200;
/// The longest comment, in characters.
pub const MAX_COMMENT_LEN: usize = 2000;

/// Who acts, with what the runtime needs of their permissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Who {
    /// The person.
    pub(crate) person: PersonId,
    /// Whether they may reference any attachment in form data.
    pub(crate) reads_every_attachment: bool,
}

impl Who {
    /// A person without special permissions.
    #[cfg(test)]
    pub(crate) fn person(person: PersonId) -> Who {
        Who { person, reads_every_attachment: false }
    }

    fn submitter(self) -> Submitter {
        Submitter { person: self.person, reads_every_attachment: self.reads_every_attachment }
    }
}

fn not_assignee(what: &str) -> OaError {
    OaError::PermissionDenied {
        permission: "workflow.task.act".into(),
        reason: Some(format!("only the assignee of the {what} may act on it")),
    }
}

fn not_running(inst: &Instance) -> OaError {
    OaError::InvalidState(format!("instance `{}` is {}", inst.id, inst.status.name()))
}

/// The pending task `id` of kind `kind` assigned to `who`, and its running instance.
fn open_task(rt: &mut Rt<'_>, who: PersonId, id: TaskId, kind: TaskKind) -> OaResult<(Task, Instance)> {
    let task = rt.task(id)?;
    if task.assignee != who {
        return Err(not_assignee("task"));
    }
    let inst = rt.instance(task.instance)?;
    if inst.status != InstanceStatus::Running {
        return Err(not_running(&inst));
    }
    if task.kind != kind {
        return Err(OaError::InvalidState(format!("task `{id}` is not an approval task")));
    }
    if task.status == TaskStatus::Delegated {
        return Err(OaError::InvalidState(format!("task `{id}` is delegated: take it back first")));
    }
    if task.status != TaskStatus::Pending {
        return Err(OaError::InvalidState(format!("task `{id}` is no longer pending")));
    }
    Ok((task, inst))
}

/// Refuses `action` on a task delegated to its assignee to deal with (委派): its delegate
/// resolves it with `approve`; deciding it any other way is for its owner.
fn refuse_delegated(task: &Task, action: &str) -> OaResult<()> {
    match task.delegated_from {
        Some(_) => Err(OaError::InvalidState(format!(
            "task `{}` was delegated to its assignee to deal with: they cannot {action} it; approve gives it back to \
             its owner",
            task.id
        ))),
        None => Ok(()),
    }
}

fn check_comment(problems: &mut Problems, comment: &str) {
    let n = comment.chars().count();
    if n > MAX_COMMENT_LEN {
        problems.add("comment", format!("must be at most {MAX_COMMENT_LEN} characters, got {n}"));
    }
}

fn check_text(field: &str, text: &str, max: usize) -> OaResult<String> {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 || n > max {
        return Err(OaError::invalid(field, format!("must be 1 to {max} characters, got {n}")));
    }
    Ok(t.to_string())
}

fn link_attachments(rt: &mut Rt<'_>, form: &crate::form::Form, inst: &Instance) -> OaResult<()> {
    for hash in form::attachment_refs(form, &inst.data) {
        form::link_attachment(rt.tx, &hash, &format!("instance:{}", inst.id))?;
    }
    Ok(())
}
