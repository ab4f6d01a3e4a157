//! The public operations of the runtime, as methods of [`Oa`]: each authenticates, checks
//! what it needs, and calls the action in `act` in one transaction, whose audit record the
//! engine appends.

use oa_storage::{Direction, ReadTxn};
use serde_json::Value;

use super::act::{self, DueOutcome, Who};
use super::delegation;
use super::flow::Rt;
use super::model::{
    keys, BadgeCounts, Delegation, DelegationId, DueReport, Instance, InstanceDetail, InstanceId, NewDelegation,
    ReturnTarget, SignerPosition, StartProcess, Task, TaskId, TaskQuery,
};
use super::store::{self, history, instance_tasks, load_instance, load_task, require_instance, time_range};
use super::{INSTANCE_ADMIN, INSTANCE_READ, INSTANCE_START};
use crate::engine::{Actor, Change, Oa, PendingPassword, Session};
use crate::keys::trailing_id;
use crate::org::PersonId;
use crate::page::{scan_page, Page, PageRequest};
use crate::workflow::definition::{CompiledCache, NodeKind};
use crate::{OaError, OaResult};

fn who(actor: &Actor) -> Who {
    Who { person: actor.person, reads_every_attachment: actor.principal.allows(crate::form::ATTACHMENT_READ) }
}

/// Whether `actor` sees all of `inst`: its initiator does, and so do holders of
/// `workflow.instance.read` over it.
fn sees_all(actor: &Actor, inst: &Instance) -> bool {
    inst.initiator == actor.person
        || actor.principal.allows_on(INSTANCE_READ, Some(inst.initiator_dept), Some(inst.initiator))
}

/// The node of `me`'s latest task among `tasks` (theirs, or sent on their behalf).
fn latest_node<'t>(tasks: impl Iterator<Item = &'t Task>, me: PersonId) -> Option<String> {
    tasks.filter(|t| t.assignee == me || t.on_behalf_of == Some(me)).last().map(|t| t.node.clone())
}

/// `inst` as `actor` may see it, `node` being the node of their latest task in it: in full
/// when they see all of it ([`sees_all`]); otherwise without the fields that node hides (each
/// participant's node says what it shows; a node that says nothing, as one the instance's
/// version no longer has after a migration, or no node at all, shows nothing). The mark that
/// lets the last action be taken back (`undo`, a copy of the data before it) is for the engine
/// alone. The process and form come from the office's caches.
fn seen_by(
    tx: &mut dyn ReadTxn,
    processes: &CompiledCache,
    actor: &Actor,
    mut inst: Instance,
    node: Option<&str>,
) -> OaResult<Instance> {
    inst.undo = None;
    if sees_all(actor, &inst) {
        return Ok(inst);
    }
    let p = processes.get(tx, &inst.process_key, Some(inst.process_version))?;
    let fields = node.and_then(|n| p.node(n)).and_then(|n| match &n.kind {
        NodeKind::Approval(a) => Some(&a.settings.fields),
        NodeKind::Cc(c) => Some(&c.settings.fields),
        _ => None,
    });
    inst.data = match fields {
        Some(fields) => {
            let form = crate::form::require_form(tx, &inst.form_key, Some(inst.form_version))?;
            crate::form::filter_for_display(&form, &inst.data, fields)
        }
        None => Value::Object(serde_json::Map::new()),
    };
    Ok(inst)
}

/// [`seen_by`] for the instance an action of `actor` has just changed, inside its transaction.
/// The actor acted on it, so has a task in it.
fn after_acting(rt: &mut Rt<'_>, actor: &Actor, inst: Instance) -> OaResult<Instance> {
    let node = if sees_all(actor, &inst) { None } else { latest_node(rt.tasks(inst.id)?, actor.person) };
    seen_by(rt.tx.as_read(), rt.processes, actor, inst, node.as_deref())
}

pub(super) fn target(id: impl std::fmt::Display) -> String {
    format!("instance:{id}")
}

/// Whether `t` passes `q`.
fn task_matches(t: &Task, q: &TaskQuery) -> bool {
    q.process.as_deref().is_none_or(|p| t.process_key == p.trim())
        && q.initiator.is_none_or(|i| t.initiator == i)
        && q.text.as_deref().is_none_or(|x| t.title.to_lowercase().contains(&x.trim().to_lowercase()))
}

/// A page of the delegations an index `prefix/…/<delegation>` names, newest first, those
/// `keep` lets through.
fn delegation_page(
    tx: &mut dyn ReadTxn,
    prefix: crate::keys::KeyBuf,
    page: &PageRequest,
    mut keep: impl FnMut(&mut dyn ReadTxn, &Delegation) -> OaResult<bool>,
) -> OaResult<Page<Delegation>> {
    let range = oa_storage::KeyRange::prefix(prefix.as_bytes());
    scan_page(tx, &range, Direction::Backward, page, |tx, k, _| {
        let Some(id) = trailing_id(k).map(DelegationId) else {
            return Ok(None);
        };
        match store::load_delegation(tx, id)? {
            Some(d) if keep(tx, &d)? => Ok(Some(d)),
            _ => Ok(None),
        }
    })
}

fn task_page(
    tx: &mut dyn ReadTxn,
    prefix: crate::keys::KeyBuf,
    q: &TaskQuery,
    page: &PageRequest,
) -> OaResult<Page<Task>> {
    let range = time_range(prefix, q.from, q.to);
    scan_page(tx, &range, Direction::Backward, page, |tx, k, _| {
        let Some(id) = trailing_id(k).map(TaskId) else {
            return Ok(None);
        };
        Ok(load_task(tx, id)?.filter(|t| task_matches(t, q)))
    })
}

impl Oa {
    pub(super) fn run<T>(
        &self,
        session: &Session,
        op: &'static str,
        f: impl Fn(&mut Rt<'_>, Who, &Actor) -> OaResult<(T, String, String)>,
    ) -> OaResult<T> {
        self.mutate(session, op, PendingPassword::Refuse, |cx| {
            let w = who(&cx.actor);
            let actor = cx.actor.clone();
            let mut rt = Rt::new(cx.tx, cx.now, cx.oa);
            let (out, target, summary) = f(&mut rt, w, &actor)?;
            Ok((out, Change::new(target, summary)))
        })
    }

    /// Starts an instance of a process (发起): checks the data against the form version the
    /// process pins and moves the instance to its first approval nodes. Needs
    /// `workflow.instance.start`.
    pub fn start_process(&self, session: &Session, input: StartProcess) -> OaResult<Instance> {
        self.run(session, "workflow.instance.start", |rt, w, a| {
            a.principal.require(INSTANCE_START)?;
            let inst = act::start(rt, w, &input, None)?;
            Ok((inst.clone(), target(inst.id), format!("started `{}` v{}", inst.process_key, inst.process_version)))
        })
    }

    /// Saves a draft (草稿): a new one when `id` is `None`, or the actor's draft `id` again.
    /// The data is checked when the draft is submitted. Needs `workflow.instance.start`.
    pub fn save_draft(&self, session: &Session, id: Option<InstanceId>, input: StartProcess) -> OaResult<Instance> {
        self.run(session, "workflow.instance.save_draft", |rt, w, a| {
            a.principal.require(INSTANCE_START)?;
            let inst = act::save_draft(rt, w, id, &input)?;
            Ok((inst.clone(), target(inst.id), "draft saved".into()))
        })
    }

    /// Submits the actor's draft `id`, as [`Oa::start_process`] would. Needs
    /// `workflow.instance.start`.
    pub fn submit_draft(&self, session: &Session, id: InstanceId) -> OaResult<Instance> {
        self.run(session, "workflow.instance.submit_draft", |rt, w, a| {
            a.principal.require(INSTANCE_START)?;
            let inst = act::submit_draft(rt, w, id)?;
            Ok((inst.clone(), target(inst.id), "draft submitted".into()))
        })
    }

    /// Deletes the actor's draft `id`.
    pub fn delete_draft(&self, session: &Session, id: InstanceId) -> OaResult<()> {
        self.run(session, "workflow.instance.delete_draft", |rt, w, _| {
            act::delete_draft(rt, w, id)?;
            Ok(((), target(id), "draft deleted".into()))
        })
    }

    /// Approves task `task` (同意), with an edit of the fields its node lets approvers change
    /// (fields left out keep their values). Only its assignee. Returns the instance as the
    /// actor may see it (see [`Oa::instance`]), as do the other actions on a task.
    pub fn approve(
        &self,
        session: &Session,
        task: TaskId,
        comment: &str,
        form_edits: Option<Value>,
    ) -> OaResult<Instance> {
        self.run(session, "workflow.task.approve", |rt, w, a| {
            let inst = act::approve(rt, w, task, comment, form_edits.as_ref())?;
            let id = inst.id;
            Ok((after_acting(rt, a, inst)?, target(id), format!("task `{task}` approved")))
        })
    }

    /// Rejects task `task` (驳回): the instance ends rejected (at a ratio node, one vote
    /// against). Only its assignee. Returns the instance as the actor may see it.
    pub fn reject(&self, session: &Session, task: TaskId, comment: &str) -> OaResult<Instance> {
        self.run(session, "workflow.task.reject", |rt, w, a| {
            let inst = act::reject(rt, w, task, comment)?;
            let id = inst.id;
            Ok((after_acting(rt, a, inst)?, target(id), format!("task `{task}` rejected")))
        })
    }

    /// Returns the instance of task `task` (退回) to an earlier node or to its initiator, as
    /// the node's return policy allows. Only its assignee. Returns the instance as the actor may
    /// see it.
    pub fn return_task(&self, session: &Session, task: TaskId, to: ReturnTarget, comment: &str) -> OaResult<Instance> {
        self.run(session, "workflow.task.return", |rt, w, a| {
            let inst = act::return_task(rt, w, task, &to, comment)?;
            let id = inst.id;
            Ok((after_acting(rt, a, inst)?, target(id), format!("task `{task}` returned")))
        })
    }

    /// Resubmits an instance returned to its initiator (重新提交) with new data. Only its
    /// initiator.
    pub fn resubmit(&self, session: &Session, instance: InstanceId, data: Value) -> OaResult<Instance> {
        self.run(session, "workflow.instance.resubmit", |rt, w, _| {
            let inst = act::resubmit(rt, w, instance, &data)?;
            Ok((inst, target(instance), "resubmitted".into()))
        })
    }

    /// Withdraws (撤回): the initiator withdraws the instance while nobody has acted on it; the
    /// last approver takes their approval back while nobody has acted after them. Returns the
    /// instance as the actor may see it.
    pub fn withdraw(&self, session: &Session, instance: InstanceId) -> OaResult<Instance> {
        self.run(session, "workflow.instance.withdraw", |rt, w, a| {
            let inst = act::withdraw(rt, w, instance)?;
            Ok((after_acting(rt, a, inst)?, target(instance), "withdrawn".into()))
        })
    }

    /// Hands task `task` to `to` (转交). Only its assignee. Returns the new task.
    pub fn transfer(&self, session: &Session, task: TaskId, to: PersonId, comment: &str) -> OaResult<Task> {
        self.run(session, "workflow.task.transfer", |rt, w, _| {
            let t = act::transfer(rt, w, task, to, comment)?;
            Ok((t.clone(), target(t.instance), format!("task `{task}` handed to `{to}`")))
        })
    }

    /// Adds a signer (加签) to task `task`: before its assignee, after, or alongside. Only its
    /// assignee. A signer before or alongside gets the node's deadline counted from now; a
    /// signer after continues the seat's deadline.
    pub fn add_signer(
        &self,
        session: &Session,
        task: TaskId,
        person: PersonId,
        position: SignerPosition,
    ) -> OaResult<Task> {
        self.run(session, "workflow.task.add_signer", |rt, w, _| {
            let t = act::add_signer(rt, w, task, person, position)?;
            Ok((t.clone(), target(t.instance), format!("signer `{person}` added to task `{task}`")))
        })
    }

    /// Removes a signer (减签): cancels pending task `task` of a signer the actor added. Returns
    /// the instance as the actor may see it.
    pub fn remove_signer(&self, session: &Session, task: TaskId) -> OaResult<Instance> {
        self.run(session, "workflow.task.remove_signer", |rt, w, a| {
            let inst = act::remove_signer(rt, w, task)?;
            let id = inst.id;
            Ok((after_acting(rt, a, inst)?, target(id), format!("signer task `{task}` removed")))
        })
    }

    /// Adds a comment (评论) to an instance. Its participants, or holders of
    /// `workflow.instance.read` over its initiator.
    pub fn comment(&self, session: &Session, instance: InstanceId, text: &str) -> OaResult<()> {
        self.run(session, "workflow.instance.comment", |rt, w, a| {
            let inst = rt.instance(instance)?;
            let reads_all = a.principal.allows_on(INSTANCE_READ, Some(inst.initiator_dept), Some(inst.initiator));
            act::comment(rt, w, reads_all, instance, text)?;
            Ok(((), target(instance), "commented".into()))
        })
    }

    /// Urges the pending approvers of an instance (催办). Only its initiator. Returns how many
    /// tasks were urged.
    pub fn urge(&self, session: &Session, instance: InstanceId) -> OaResult<u32> {
        self.run(session, "workflow.instance.urge", |rt, w, _| {
            let n = act::urge(rt, w, instance)?;
            Ok((n, target(instance), format!("{n} tasks urged")))
        })
    }

    /// Marks a copy read (已阅). Only its recipient.
    pub fn mark_cc_read(&self, session: &Session, task: TaskId) -> OaResult<Task> {
        self.run(session, "workflow.cc.read", |rt, w, _| {
            let t = act::mark_cc_read(rt, w, task)?;
            Ok((t.clone(), target(t.instance), format!("copy `{task}` read")))
        })
    }

    /// Terminates a running instance (终止). Needs `workflow.instance.admin` over its initiator.
    pub fn terminate(&self, session: &Session, instance: InstanceId, reason: &str) -> OaResult<Instance> {
        self.run(session, "workflow.instance.terminate", |rt, w, a| {
            let inst = rt.instance(instance)?;
            a.principal.require_on(INSTANCE_ADMIN, Some(inst.initiator_dept), Some(inst.initiator))?;
            let inst = act::terminate(rt, w, instance, reason)?;
            Ok((inst, target(instance), "terminated".into()))
        })
    }

    /// Moves a running instance to `node` (跳转). Needs `workflow.instance.admin` over its
    /// initiator.
    pub fn jump(&self, session: &Session, instance: InstanceId, node: &str) -> OaResult<Instance> {
        self.run(session, "workflow.instance.jump", |rt, w, a| {
            let inst = rt.instance(instance)?;
            a.principal.require_on(INSTANCE_ADMIN, Some(inst.initiator_dept), Some(inst.initiator))?;
            let inst = act::jump(rt, w, instance, node)?;
            Ok((inst, target(instance), format!("moved to `{node}`")))
        })
    }

    /// Handles the deadlines due up to `up_to`: reminders, escalations, automatic approvals
    /// and rejections, each task in a transaction of its own, so several processes may run it
    /// at once and running it again does nothing twice. Needs `workflow.instance.admin`.
    pub fn process_due(&self, session: &Session, up_to: chrono::DateTime<chrono::Utc>) -> OaResult<DueReport> {
        let due = self.query(session, "workflow.due.list", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_ADMIN)?;
            let mut range = oa_storage::KeyRange::prefix(keys::dues().as_bytes());
            range.end =
                std::ops::Bound::Excluded(keys::dues().i64(up_to.timestamp_micros().saturating_add(1)).into_bytes());
            let entries = qx.tx.scan(&range, Direction::Forward, 10_000)?;
            Ok(entries
                .into_iter()
                .filter_map(|(k, _)| {
                    let mut r = crate::keys::KeyReader::new(&k)?;
                    let micros = r.i64()?;
                    let id = r.id()?;
                    Some((chrono::DateTime::from_timestamp_micros(micros)?, TaskId(id)))
                })
                .collect::<Vec<_>>())
        })?;
        let mut report = DueReport::default();
        for (at, id) in due {
            let outcome = self.run(session, "workflow.due.process", |rt, _, a| {
                a.principal.require(INSTANCE_ADMIN)?;
                let o = act::process_due_task(rt, at, id)?;
                let inst = rt.load_task(id)?.map(|t| target(t.instance)).unwrap_or_default();
                Ok((o, inst, format!("deadline of task `{id}`: {o:?}")))
            })?;
            match outcome {
                DueOutcome::Reminded => report.reminded.push(id),
                DueOutcome::Escalated => report.escalated.push(id),
                DueOutcome::AutoApproved => report.auto_approved.push(id),
                DueOutcome::AutoRejected => report.auto_rejected.push(id),
                DueOutcome::Skipped => report.skipped += 1,
            }
        }
        Ok(report)
    }

    /// The actor's pending tasks (待办), newest first.
    pub fn todo(&self, session: &Session, query: TaskQuery, page: PageRequest) -> OaResult<Page<Task>> {
        self.query(session, "workflow.todo", PendingPassword::Refuse, |qx| {
            task_page(qx.tx, keys::todo(qx.actor.person), &query, &page)
        })
    }

    /// The tasks the actor acted on (已办), most recent first; `from` and `to` bound when
    /// they acted.
    pub fn done(&self, session: &Session, query: TaskQuery, page: PageRequest) -> OaResult<Page<Task>> {
        self.query(session, "workflow.done", PendingPassword::Refuse, |qx| {
            task_page(qx.tx, keys::done(qx.actor.person), &query, &page)
        })
    }

    /// The copies sent to the actor (抄送我的), newest first; only unread ones when
    /// `unread_only`.
    pub fn cc_to_me(
        &self,
        session: &Session,
        query: TaskQuery,
        unread_only: bool,
        page: PageRequest,
    ) -> OaResult<Page<Task>> {
        self.query(session, "workflow.cc", PendingPassword::Refuse, |qx| {
            let prefix = if unread_only { keys::cc_unread(qx.actor.person) } else { keys::cc(qx.actor.person) };
            task_page(qx.tx, prefix, &query, &page)
        })
    }

    /// The instances the actor started (我发起的), drafts included, newest first.
    pub fn started_by_me(&self, session: &Session, query: TaskQuery, page: PageRequest) -> OaResult<Page<Instance>> {
        self.query(session, "workflow.started", PendingPassword::Refuse, |qx| {
            let range = time_range(keys::mine(qx.actor.person), query.from, query.to);
            scan_page(qx.tx, &range, Direction::Backward, &page, |tx, k, _| {
                let Some(id) = trailing_id(k).map(InstanceId) else {
                    return Ok(None);
                };
                Ok(load_instance(tx, id)?.filter(|i| {
                    query.process.as_deref().is_none_or(|p| i.process_key == p.trim())
                        && query
                            .text
                            .as_deref()
                            .is_none_or(|x| i.title.to_lowercase().contains(&x.trim().to_lowercase()))
                }))
            })
        })
    }

    /// The actor's badge counts: pending tasks and unread copies.
    pub fn badge_counts(&self, session: &Session) -> OaResult<BadgeCounts> {
        self.query(session, "workflow.badges", PendingPassword::Refuse, |qx| {
            store::badge_counts(qx.tx, qx.actor.person)
        })
    }

    /// An instance with its tasks and history (时间线). Its participants see it (an approver
    /// or copy recipient without the fields their node hides); so do holders of
    /// `workflow.instance.read` over its initiator, in full.
    pub fn instance(&self, session: &Session, id: InstanceId) -> OaResult<InstanceDetail> {
        self.query(session, "workflow.instance.get", PendingPassword::Refuse, |qx| {
            let inst = require_instance(qx.tx, id)?;
            let tasks = instance_tasks(qx.tx, id)?;
            let mut node = None;
            if !sees_all(&qx.actor, &inst) {
                node = latest_node(tasks.iter(), qx.actor.person);
                if node.is_none() {
                    return Err(OaError::PermissionDenied {
                        permission: INSTANCE_READ.into(),
                        reason: Some("only the participants of an instance see it".into()),
                    });
                }
                if inst.status == super::model::InstanceStatus::Draft {
                    return Err(OaError::not_found("instance", id));
                }
            }
            let inst = seen_by(qx.tx, &qx.oa.processes, &qx.actor, inst, node.as_deref())?;
            let history = history(qx.tx, id)?;
            Ok(InstanceDetail { instance: inst, tasks, history })
        })
    }

    /// The instances linked to business key `key` (`contract:01J…`), oldest first. Needs
    /// `workflow.instance.read`.
    pub fn instances_of(&self, session: &Session, key: &str) -> OaResult<Vec<Instance>> {
        self.query(session, "workflow.instance.by_business_key", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_READ)?;
            let ids = store::instances_of_business(qx.tx, key.trim())?;
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(i) = load_instance(qx.tx, id)? {
                    if qx.actor.principal.allows_on(INSTANCE_READ, Some(i.initiator_dept), Some(i.initiator)) {
                        out.push(i);
                    }
                }
            }
            Ok(out)
        })
    }

    /// The running instances waiting at node `node` of process `process` (流程监控), longest
    /// waiting first; [`Oa::waiting_at_node`] gives how long each has waited.
    /// Needs `workflow.instance.admin`.
    pub fn instances_at_node(
        &self,
        session: &Session,
        process: &str,
        node: &str,
        page: PageRequest,
    ) -> OaResult<Page<Instance>> {
        self.query(session, "workflow.instance.at_node", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_ADMIN)?;
            let principal = &qx.actor.principal;
            let range = oa_storage::KeyRange::prefix(keys::at_nodes(process.trim(), node.trim()).as_bytes());
            scan_page(qx.tx, &range, Direction::Forward, &page, |tx, k, _| {
                let Some(id) = trailing_id(k).map(InstanceId) else {
                    return Ok(None);
                };
                // Like every monitoring list, only instances whose initiator the caller administers.
                Ok(load_instance(tx, id)?
                    .filter(|i| principal.allows_on(INSTANCE_ADMIN, Some(i.initiator_dept), Some(i.initiator))))
            })
        })
    }
}

/// Standing delegations (委托) and delegating a task to get it back (委派).
impl Oa {
    /// Sets a standing delegation (委托): from `first_day` to `last_day` (both included, in
    /// the office's time zone) the new approval tasks of the owner, of one process or of all,
    /// go to the delegate, who acts on the owner's behalf. The owner is the actor, or someone
    /// else for a holder of `workflow.instance.admin` over them. Refused, naming the field,
    /// when the delegate is not an active person other than the owner, the days are reversed
    /// or past, the process does not exist, or another delegation of the owner covers the same
    /// processes on one of those days.
    pub fn create_delegation(&self, session: &Session, input: NewDelegation) -> OaResult<Delegation> {
        self.run(session, "workflow.delegation.create", |rt, w, a| {
            let owner = input.owner.unwrap_or(w.person);
            if owner != w.person {
                match crate::org::load_person(rt.tx.as_read(), owner)? {
                    Some(p) => a.principal.require_on(INSTANCE_ADMIN, Some(p.dept), Some(p.id))?,
                    None => a.principal.require(INSTANCE_ADMIN)?,
                }
            }
            let d = delegation::create(rt, w.person, owner, &input)?;
            let summary =
                format!("delegation of `{}` to `{}` from {} to {}", d.owner, d.delegate, d.first_day, d.last_day);
            Ok((d.clone(), format!("delegation:{}", d.id), summary))
        })
    }

    /// Cancels a standing delegation that has not ended: tasks it already sent stay with the
    /// delegate; new ones go to the owner again. Its owner, or a holder of
    /// `workflow.instance.admin` over them.
    pub fn cancel_delegation(&self, session: &Session, id: DelegationId) -> OaResult<Delegation> {
        self.run(session, "workflow.delegation.cancel", |rt, w, a| {
            let d = delegation::require(rt.tx.as_read(), id)?;
            if d.owner != w.person {
                let dept = crate::org::load_person(rt.tx.as_read(), d.owner)?.map(|p| p.dept);
                a.principal.require_on(INSTANCE_ADMIN, dept, Some(d.owner))?;
            }
            let d = delegation::cancel(rt, w.person, id)?;
            Ok((d, format!("delegation:{id}"), "cancelled".into()))
        })
    }

    /// The actor's standing delegations (我的委托), newest first, cancelled and past ones
    /// included.
    pub fn my_delegations(&self, session: &Session, page: PageRequest) -> OaResult<Page<Delegation>> {
        self.query(session, "workflow.delegation.mine", PendingPassword::Refuse, |qx| {
            delegation_page(qx.tx, keys::delegations_of(qx.actor.person), &page, |_, _| Ok(true))
        })
    }

    /// The standing delegations that make the actor someone's delegate (委托给我的), newest
    /// first.
    pub fn delegations_to_me(&self, session: &Session, page: PageRequest) -> OaResult<Page<Delegation>> {
        self.query(session, "workflow.delegation.to_me", PendingPassword::Refuse, |qx| {
            delegation_page(qx.tx, keys::delegations_to(qx.actor.person), &page, |_, _| Ok(true))
        })
    }

    /// Every standing delegation whose owner lies in the actor's reach of
    /// `workflow.instance.admin`, newest first.
    pub fn all_delegations(&self, session: &Session, page: PageRequest) -> OaResult<Page<Delegation>> {
        self.query(session, "workflow.delegation.all", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_ADMIN)?;
            let principal = qx.actor.principal.clone();
            delegation_page(qx.tx, keys::delegations(), &page, |tx, d| {
                let dept = crate::org::load_person(tx, d.owner)?.map(|p| p.dept);
                Ok(principal.allows_on(INSTANCE_ADMIN, dept, Some(d.owner)))
            })
        })
    }

    /// The approval tasks the actor's standing delegations sent to their delegates (代办记录),
    /// newest first, whatever became of them: pending with the delegate, or acted on for the
    /// actor. `from` and `to` bound when the tasks were created.
    pub fn tasks_on_my_behalf(&self, session: &Session, query: TaskQuery, page: PageRequest) -> OaResult<Page<Task>> {
        self.query(session, "workflow.on_my_behalf", PendingPassword::Refuse, |qx| {
            task_page(qx.tx, keys::on_behalf(qx.actor.person), &query, &page)
        })
    }

    /// Delegates pending approval task `task` (委派) to `to` to deal with and give back: the
    /// task waits, marked delegated, and its node does not complete meanwhile; `to` gets a task,
    /// with the owner's deadline (`deadline_at`), which `approve` resolves, giving the task back
    /// pending. The delegate cannot reject, return, transfer, delegate or add signers to it.
    /// Only the task's assignee. Returns the delegate's task.
    pub fn delegate_task(&self, session: &Session, task: TaskId, to: PersonId, comment: &str) -> OaResult<Task> {
        self.run(session, "workflow.task.delegate", |rt, w, _| {
            let t = act::delegate_task(rt, w, task, to, comment)?;
            Ok((t.clone(), target(t.instance), format!("task `{task}` delegated to `{}`", t.assignee)))
        })
    }

    /// Takes back task `task` (收回), which the actor delegated and its delegate has not
    /// resolved yet: the delegate's task closes and `task` is pending again. Returns it.
    pub fn take_back_task(&self, session: &Session, task: TaskId) -> OaResult<Task> {
        self.run(session, "workflow.task.take_back", |rt, w, _| {
            let t = act::take_back_task(rt, w, task)?;
            Ok((t.clone(), target(t.instance), format!("task `{task}` taken back")))
        })
    }
}
