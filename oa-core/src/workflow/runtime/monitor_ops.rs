//! The public operations of process monitoring and migration, as methods of [`Oa`]: each
//! authenticates, checks `workflow.instance.admin`, and reads the monitoring indexes or calls
//! the action in `monitor.rs` or `migrate.rs` in one transaction, whose audit record the engine
//! appends.

use chrono::{DateTime, Utc};
use oa_storage::{Direction, KeyRange, ReadTxn};

use super::migrate::{self, MigrationRefusal, MigrationReport};
use super::model::{keys, Instance, InstanceId, Task, TaskId};
use super::monitor::{self, NodeCount, NodeTime, NodeWait, OverdueTask, StuckInstance};
use super::ops::target;
use super::INSTANCE_ADMIN;
use crate::engine::{Oa, PendingPassword, Session};
use crate::error::Problems;
use crate::keys::trailing_id;
use crate::org::PersonId;
use crate::page::{Page, PageRequest};
use crate::workflow::definition::load_process;
use crate::{OaError, OaResult};

/// Process key `key`, trimmed, or `not_found` when no process has it.
fn known_process(tx: &mut dyn ReadTxn, key: &str) -> OaResult<String> {
    let key = key.trim();
    match load_process(tx, key, None)? {
        Some(_) => Ok(key.to_string()),
        None => Err(OaError::not_found("process", key)),
    }
}

/// Whether `e` concerns the whole call rather than one instance: nothing more can succeed.
fn ends_the_call(e: &OaError) -> bool {
    matches!(e, OaError::Closed | OaError::Unauthenticated(_) | OaError::PasswordChangeRequired)
}

impl Oa {
    /// The nodes of process `process` where running instances wait (流程监控), by node id,
    /// with how many wait at each and when the one waiting longest arrived. Reads only the
    /// keys of the process's node index. Needs `workflow.instance.admin` over the whole
    /// organisation, since it counts the instances of every department.
    pub fn node_counts(&self, session: &Session, process: &str) -> OaResult<Vec<NodeCount>> {
        self.query(session, "workflow.monitor.node_counts", PendingPassword::Refuse, |qx| {
            qx.require_on(INSTANCE_ADMIN, None, None)?;
            let key = known_process(qx.tx, process)?;
            monitor::node_counts(qx.tx, &key)
        })
    }

    /// The running instances of process `process` waiting at node `node`, longest waiting
    /// first, each with when it arrived there and how long it has waited (elapsed, and working
    /// time by the office's calendar) and whose task it waits for. Needs
    /// `workflow.instance.admin`; lists the instances whose initiator lies in its scope.
    pub fn waiting_at_node(
        &self,
        session: &Session,
        process: &str,
        node: &str,
        page: PageRequest,
    ) -> OaResult<Page<NodeWait>> {
        self.query(session, "workflow.monitor.waiting", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_ADMIN)?;
            let key = known_process(qx.tx, process)?;
            monitor::waiting_at_node(qx.tx, &qx.actor.principal, &key, node.trim(), qx.now, &page)
        })
    }

    /// The pending approval tasks whose deadline has passed at `at` (now when `None`; a task
    /// due exactly at `at` counts), of process `process` or of every process, most overdue
    /// first (超时待办). The deadline is the one the node set, which reminders do not move. A
    /// seat delegated to be dealt with (委派) shows through the delegate's task, which carries
    /// the owner's deadline. Needs `workflow.instance.admin`; lists the tasks of instances
    /// whose initiator lies in its scope.
    pub fn overdue_tasks(
        &self,
        session: &Session,
        process: Option<&str>,
        at: Option<DateTime<Utc>>,
        page: PageRequest,
    ) -> OaResult<Page<OverdueTask>> {
        self.query(session, "workflow.monitor.overdue", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_ADMIN)?;
            let key = process.map(|p| known_process(qx.tx, p)).transpose()?;
            let at = at.unwrap_or(qx.now);
            monitor::overdue_tasks(qx.tx, &qx.actor.principal, key.as_deref(), at, &page)
        })
    }

    /// The running instances of process `process` (of every process when `None`) waiting at
    /// an approval node where no active person has a pending task: their approvers were
    /// disabled or left, or the node has no pending task at all; also those returned to an
    /// initiator who is no longer active; and those where someone who is no longer active
    /// waits for their turn at an in-turn node (依次, `inactive_in_queue`), which will stop
    /// when the turn comes unless [`Oa::reassign_turn`] puts someone in their place. Each call
    /// examines at most [`crate::workflow::runtime::STUCK_SCAN_LIMIT`] waiting instances, so a
    /// page may come back short (even empty) with a cursor to go on from. Needs
    /// `workflow.instance.admin`; lists the instances whose initiator lies in its scope.
    pub fn stuck_instances(
        &self,
        session: &Session,
        process: Option<&str>,
        page: PageRequest,
    ) -> OaResult<Page<StuckInstance>> {
        self.query(session, "workflow.monitor.stuck", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_ADMIN)?;
            let key = process.map(|p| known_process(qx.tx, p)).transpose()?;
            monitor::stuck_instances(qx.tx, &qx.actor.principal, key.as_deref(), &page, monitor::STUCK_SCAN_LIMIT)
        })
    }

    /// How long the approval tasks of process `process` acted on in `[from, to)` took, per
    /// node, slowest first by 90th percentile (nearest rank): how many, the mean and the 90th
    /// percentile from creation to action, elapsed and in working time. Tasks count when their
    /// assignee acted, when their deadline acted for them, or when an administrator reassigned
    /// them; automatic approvals at creation do not. Reads the period of the process's time
    /// index only. Needs `workflow.instance.admin` over the whole organisation.
    pub fn node_times(
        &self,
        session: &Session,
        process: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> OaResult<Vec<NodeTime>> {
        self.query(session, "workflow.monitor.node_times", PendingPassword::Refuse, |qx| {
            qx.require_on(INSTANCE_ADMIN, None, None)?;
            let key = known_process(qx.tx, process)?;
            monitor::node_times(qx.tx, &key, from, to)
        })
    }

    /// Moves approval task `task` to `to` (改派), for `reason` (1 to 2000 characters), when its
    /// assignee cannot act: the task closes as transferred (not as its assignee's action) and
    /// `to`, an active person not already approving at the node, gets a task in the same seat
    /// with the same deadline. The task may be pending or waiting behind a signer added before
    /// it (前加签); the new one waits there too. Recorded in the history. A closed task or an
    /// ended instance is refused with `invalid_state`, whoever `to` is: who may take a task is
    /// checked only for a task that can move. Needs `workflow.instance.admin` over the
    /// instance's initiator. Returns the new task.
    pub fn reassign_task(&self, session: &Session, task: TaskId, to: PersonId, reason: &str) -> OaResult<Task> {
        self.run(session, "workflow.task.reassign", |rt, w, a| {
            let t = rt.task(task)?;
            let inst = rt.instance(t.instance)?;
            a.principal.require_on(INSTANCE_ADMIN, Some(inst.initiator_dept), Some(inst.initiator))?;
            let next = monitor::reassign(rt, w.person, task, to, reason)?;
            Ok((next, target(inst.id), format!("task `{task}` reassigned from `{}` to `{to}`", t.assignee)))
        })
    }

    /// Puts `to` in the place of `from` where `from` waits for their turn at an in-turn node
    /// (依次) of running instance `instance`, for `reason` (1 to 2000 characters): an approver
    /// whose turn has not come holds no task for [`Oa::reassign_task`] to move, so one who left
    /// would otherwise stall the instance when their turn came. `to`, an active person not
    /// already approving at that node, gets the task when the turn comes. Recorded in the
    /// history, one entry per node. `from` not waiting in any queue of the instance is a
    /// validation error on `from` (one whose turn came holds a task: reassign the task); an
    /// ended instance is `invalid_state`. Needs `workflow.instance.admin` over the instance's
    /// initiator. Returns the instance.
    pub fn reassign_turn(
        &self,
        session: &Session,
        instance: InstanceId,
        from: PersonId,
        to: PersonId,
        reason: &str,
    ) -> OaResult<Instance> {
        self.run(session, "workflow.instance.reassign_turn", |rt, w, a| {
            let inst = rt.instance(instance)?;
            a.principal.require_on(INSTANCE_ADMIN, Some(inst.initiator_dept), Some(inst.initiator))?;
            let inst = monitor::reassign_turn(rt, w.person, instance, from, to, reason)?;
            Ok((inst, target(instance), format!("turn of `{from}` reassigned to `{to}`")))
        })
    }

    /// Moves running instance `instance` to version `to_version` of its process (版本迁移).
    /// Refused with a validation error naming each node it waits at that the target lacks or
    /// changed (`nodes[<node>]`) and each field its data fails in the target's form
    /// (`data.<field>`), and on `to_version` when that is the version it runs or one its
    /// process does not have. Its open tasks keep their assignees and deadlines; from its next
    /// step it follows the target version. Recorded in the history. Needs
    /// `workflow.instance.admin` over the instance's initiator.
    pub fn migrate_instance(&self, session: &Session, instance: InstanceId, to_version: u32) -> OaResult<Instance> {
        self.run(session, "workflow.instance.migrate", |rt, w, a| {
            let inst = rt.instance(instance)?;
            a.principal.require_on(INSTANCE_ADMIN, Some(inst.initiator_dept), Some(inst.initiator))?;
            let moved = migrate::migrate(rt, w.person, instance, None, to_version)?;
            let summary = format!("moved from version {} to version {to_version}", inst.process_version);
            Ok((moved, target(instance), summary))
        })
    }

    /// Moves every running instance of version `from_version` of process `process` to
    /// `to_version`, as [`Oa::migrate_instance`] moves one: each in a transaction of its own,
    /// with its own history entry and audit record, so one refusal leaves the others moved.
    /// Returns which moved and which were refused, with why (an instance outside the actor's
    /// scope is refused with `permission_denied`). A version the process does not have is a
    /// validation error naming `from_version` or `to_version` (both when both are missing), as
    /// is moving a version to itself; an unknown process is `not_found`. Needs
    /// `workflow.instance.admin`.
    pub fn migrate_instances(
        &self,
        session: &Session,
        process: &str,
        from_version: u32,
        to_version: u32,
    ) -> OaResult<MigrationReport> {
        let ids = self.query(session, "workflow.instance.migrate_list", PendingPassword::Refuse, |qx| {
            qx.require(INSTANCE_ADMIN)?;
            let key = known_process(qx.tx, process)?;
            let mut problems = Problems::new();
            if load_process(qx.tx, &key, Some(from_version))?.is_none() {
                problems.add("from_version", migrate::missing_version(&key, from_version));
            }
            if from_version == to_version {
                problems.add("to_version", format!("is the version migrated from ({from_version})"));
            } else if load_process(qx.tx, &key, Some(to_version))?.is_none() {
                problems.add("to_version", migrate::missing_version(&key, to_version));
            }
            problems.finish()?;
            let range = KeyRange::prefix(keys::runnings(&key, from_version).as_bytes());
            let entries = qx.tx.scan(&range, Direction::Forward, usize::MAX)?;
            Ok(entries.iter().filter_map(|(k, _)| trailing_id(k).map(InstanceId)).collect::<Vec<_>>())
        })?;
        let mut report = MigrationReport::default();
        let mut stop: Option<OaError> = None;
        for id in ids {
            if let Some(e) = &stop {
                report.refused.push(MigrationRefusal::new(id, e));
                continue;
            }
            let moved = self.run(session, "workflow.instance.migrate", |rt, w, a| {
                let inst = rt.instance(id)?;
                a.principal.require_on(INSTANCE_ADMIN, Some(inst.initiator_dept), Some(inst.initiator))?;
                migrate::migrate(rt, w.person, id, Some(from_version), to_version)?;
                Ok(((), target(id), format!("moved from version {from_version} to version {to_version}")))
            });
            match moved {
                Ok(()) => report.migrated.push(id),
                Err(e) => {
                    report.refused.push(MigrationRefusal::new(id, &e));
                    if ends_the_call(&e) {
                        stop = Some(e);
                    }
                }
            }
        }
        Ok(report)
    }
}
