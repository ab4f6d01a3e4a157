//! The runtime's actions without sessions or permission checks: each takes the transaction
//! context and who acts, checks that they may act and that the state allows it, and writes
//! the change with its indexes and history. The operations in `ops.rs` authenticate and
//! authorise first, then call these.

use serde_json::Value;

use super::business::check_business_key;
use super::flow::{
    after_start, approval, approval_task, changes, close_open_tasks, due_at, enter, finish, follow, new_task,
    next_activation, process_of, settle, Rt,
};
use super::model::{
    HistoryAction, Instance, InstanceId, InstanceStatus, ReturnMark, ReturnTarget, SignerPosition, StartProcess, Task,
    TaskId, TaskKind, TaskStatus, Token, Undo,
};
use super::resolve::active_person;
use crate::error::Problems;
use crate::form::{self, Submitter};
use crate::org::PersonId;
use crate::workflow::definition::{CompiledProcess, NodeKind, Resubmit, ReturnTo};
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

/// Starts an instance (发起), or submits draft `draft`.
pub(crate) fn start(rt: &mut Rt<'_>, who: Who, input: &StartProcess, draft: Option<Instance>) -> OaResult<Instance> {
    let mut problems = Problems::new();
    let title = input.title.trim();
    let n = title.chars().count();
    if n == 0 || n > MAX_TITLE_LEN {
        problems.add("title", format!("must be 1 to {MAX_TITLE_LEN} characters, got {n}"));
    }
    let business_key = match input.business_key.as_deref().map(str::trim) {
        Some(b) => match check_business_key(rt.tx.as_read(), b) {
            Ok(_) => Some(b.to_string()),
            Err(e) => {
                problems.absorb("", e)?;
                None
            }
        },
        None => None,
    };
    let p = rt.process(input.process_key.trim(), input.version)?;
    let def = p.definition().clone();
    let form = form::require_form(rt.tx.as_read(), &def.form_key, Some(def.form_version))?;
    let data = match form::validate_data(rt.tx.as_read(), &form, &input.data, Some(who.submitter())) {
        Ok(d) => d,
        Err(e) => {
            problems.absorb("data", e)?;
            Value::Null
        }
    };
    problems.finish()?;
    let person = active_person(rt.tx.as_read(), who.person)?
        .ok_or_else(|| OaError::InvalidState("only an active person can start a process".into()))?;
    let (id, created_at) = match &draft {
        Some(d) => (d.id, d.created_at),
        None => (rt.new_instance_id(), rt.now),
    };
    let mut inst = Instance {
        id,
        process_key: def.key.clone(),
        process_version: def.version,
        process_name: def.name.clone(),
        form_key: def.form_key.clone(),
        form_version: def.form_version,
        business_key,
        title: title.to_string(),
        initiator: person.id,
        initiator_dept: person.dept,
        data,
        status: InstanceStatus::Running,
        tokens: Vec::new(),
        created_at,
        started_at: Some(rt.now),
        ended_at: None,
        number: None,
        returned: None,
        undo: None,
        history_len: draft.as_ref().map(|d| d.history_len).unwrap_or(0),
        activations: 0,
    };
    link_attachments(rt, &form, &inst)?;
    let mut e = rt.entry(Some(who.person), HistoryAction::Submitted);
    e.node = Some(p.start().id.clone());
    rt.log(&mut inst, e)?;
    enter(rt, &p, &mut inst, vec![(p.start().id.clone(), None)])?;
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// Saves a draft (草稿): a new one, or draft `id` again. The data is kept as given (an object)
/// and checked only when the draft is submitted.
pub(crate) fn save_draft(
    rt: &mut Rt<'_>,
    who: Who,
    id: Option<InstanceId>,
    input: &StartProcess,
) -> OaResult<Instance> {
    let mut problems = Problems::new();
    let title = input.title.trim();
    let n = title.chars().count();
    if n > MAX_TITLE_LEN {
        problems.add("title", format!("must be at most {MAX_TITLE_LEN} characters, got {n}"));
    }
    if !input.data.is_object() {
        problems.add("data", "expected an object of fields");
    }
    let business_key = input.business_key.as_deref().map(str::trim).map(str::to_string);
    if let Some(b) = &business_key {
        if let Err(e) = check_business_key(rt.tx.as_read(), b) {
            problems.absorb("", e)?;
        }
    }
    let p = rt.process(input.process_key.trim(), input.version)?;
    problems.finish()?;
    let def = p.definition();
    let person = active_person(rt.tx.as_read(), who.person)?
        .ok_or_else(|| OaError::InvalidState("only an active person can save a draft".into()))?;
    let (id, created_at, history_len) = match id {
        Some(id) => {
            let d = rt.instance(id)?;
            if d.initiator != who.person {
                return Err(not_assignee("draft"));
            }
            if d.status != InstanceStatus::Draft {
                return Err(not_running(&d));
            }
            (d.id, d.created_at, d.history_len)
        }
        None => (rt.new_instance_id(), rt.now, 0),
    };
    let inst = Instance {
        id,
        process_key: def.key.clone(),
        process_version: def.version,
        process_name: def.name.clone(),
        form_key: def.form_key.clone(),
        form_version: def.form_version,
        business_key,
        title: title.to_string(),
        initiator: person.id,
        initiator_dept: person.dept,
        data: input.data.clone(),
        status: InstanceStatus::Draft,
        tokens: Vec::new(),
        created_at,
        started_at: None,
        ended_at: None,
        number: None,
        returned: None,
        undo: None,
        history_len,
        activations: 0,
    };
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// The draft `id` of `who`.
fn own_draft(rt: &mut Rt<'_>, who: Who, id: InstanceId) -> OaResult<Instance> {
    let d = rt.instance(id)?;
    if d.initiator != who.person {
        return Err(not_assignee("draft"));
    }
    if d.status != InstanceStatus::Draft {
        return Err(not_running(&d));
    }
    Ok(d)
}

/// Submits draft `id`: starts it at the process version it was saved with.
pub(crate) fn submit_draft(rt: &mut Rt<'_>, who: Who, id: InstanceId) -> OaResult<Instance> {
    let d = own_draft(rt, who, id)?;
    let input = StartProcess {
        process_key: d.process_key.clone(),
        version: Some(d.process_version),
        title: d.title.clone(),
        data: d.data.clone(),
        business_key: d.business_key.clone(),
    };
    start(rt, who, &input, Some(d))
}

/// Deletes draft `id`.
pub(crate) fn delete_draft(rt: &mut Rt<'_>, who: Who, id: InstanceId) -> OaResult<()> {
    let d = own_draft(rt, who, id)?;
    rt.delete_instance(&d)
}

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
fn apply_edits(
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
            next.due_at = task.due_at;
            next.deadline_at = task.deadline_at;
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
fn reopen_seat(rt: &mut Rt<'_>, task: &Task) -> OaResult<bool> {
    let seat = rt.tasks_where(task.instance, |t| t.seat == task.seat && t.activation == task.activation)?;
    if seat.iter().any(|t| t.status == TaskStatus::Pending) {
        return Ok(false);
    }
    match seat.into_iter().find(|t| t.status == TaskStatus::Waiting) {
        Some(mut w) => {
            w.status = TaskStatus::Pending;
            rt.save_task(&w)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

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
    for mut t in rt.tasks_where(id, |t| t.kind == TaskKind::Resubmit && t.status == TaskStatus::Pending)? {
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
        for mut t in rt.tasks_where(id, |t| t.status == TaskStatus::Cancelled && t.acted_at.is_none())? {
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
    for mut o in closed {
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
    rt.save_task(&next)?;
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(next)
}

/// Adds `person` as a signer (加签) of task `id`, before, after or beside its assignee.
/// Returns the new task (for `after`, the task itself: the signer's task comes once it is
/// approved).
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
    let (node, _) = approval(&p, &task.node)?;
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
    for mut t in rt.tasks_where(id, |t| t.kind == TaskKind::Approve && t.status == TaskStatus::Pending)? {
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

/// The open task of the person `owner_task` was delegated to (委派), if any.
fn delegate_task_of(rt: &mut Rt<'_>, owner_task: &Task) -> OaResult<Option<Task>> {
    Ok(rt.tasks(owner_task.instance)?.find(|t| t.delegated_from == Some(owner_task.id) && t.status.is_open()).cloned())
}

/// Delegates task `id` (委派) to `to` to deal with: the task waits as delegated, still open so
/// its node does not complete, and `to` (or their standing delegate) gets a task of the same
/// seat that `approve` resolves. Returns the delegate's task.
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
    rt.save_task(&d)?;
    inst.undo = None;
    rt.save_instance(&inst)?;
    Ok(d)
}

/// Resolves `task`, delegated to `who` (委派): closes it as resolved with their comment and
/// their edits of the fields the node lets approvers change, and gives its owner their task
/// back, pending.
fn resolve(
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
fn take_back_inner(
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
    let key = super::model::keys::due(at, id);
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
