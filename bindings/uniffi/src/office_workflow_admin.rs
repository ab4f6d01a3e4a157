//! The methods of `Office` for running the workflow as an office: business types and their
//! feed (业务类型), process monitoring, reassignment and migration (过程监控, 改派, 版本迁移),
//! standing delegations (委托) and delegating a task to get it back (委派).
//!
//! A second exported block of `Office`, kept apart from `office.rs` so that neither file grows
//! past reading; uniffi merges the blocks into one class in Kotlin and Swift.

use std::sync::Arc;
use std::time::SystemTime;

use oa::workflow::runtime::{DelegationId, InstanceId, TaskId};
use oa::PersonId;

use crate::error::{guard, OaResult};
use crate::office::{Office, Session};
use crate::types::{parse_id, Fields, PageRequest};
use crate::workflow::{Instance, Task, TaskPage, TaskQuery};
use crate::workflow_admin::*;

#[uniffi::export]
impl Office {
    // --- workflow: business types ------------------------------------------------------------

    /// Declares business type `prefix` (业务类型), so that instances may carry business keys
    /// `prefix:…` and their endings are appended to its feed (`businessEvents`). Declaring it
    /// again changes its description. Needs `workflow.process.publish`; a prefix that is not
    /// letters, digits, `_` and `.` is a `validation` error on `prefix`.
    #[uniffi::method(default(description = ""))]
    pub fn declare_business_type(
        &self,
        session: Arc<Session>,
        prefix: String,
        description: String,
    ) -> OaResult<BusinessType> {
        guard(|| Ok(self.oa.declare_business_type(&session.inner, &prefix, &description)?.into()))
    }

    /// The business types of this office, by prefix. Needs `workflow.instance.read`.
    pub fn business_types(&self, session: Arc<Session>) -> OaResult<Vec<BusinessType>> {
        guard(|| Ok(self.oa.business_types(&session.inner)?.into_iter().map(BusinessType::from).collect()))
    }

    /// The endings of instances with business keys of type `prefix` after sequence number
    /// `after_seq` (0 for the first), oldest first, at most `limit` (0 means 100, at most
    /// 1000). Remember the `seq` of the last event handled and ask again from there: reading
    /// from the same number gives the same events. Needs `workflow.instance.read`.
    #[uniffi::method(default(after_seq = 0, limit = 0))]
    pub fn business_events(
        &self,
        session: Arc<Session>,
        prefix: String,
        after_seq: u64,
        limit: u32,
    ) -> OaResult<Vec<BusinessEvent>> {
        guard(|| {
            let events = self.oa.business_events(&session.inner, &prefix, after_seq, limit)?;
            Ok(events.into_iter().map(BusinessEvent::from).collect())
        })
    }

    // --- workflow: monitoring and administration ---------------------------------------------

    /// The nodes of process `process` where running instances wait (流程监控), by node id,
    /// with how many wait at each. Needs `workflow.instance.admin` over the whole organisation.
    pub fn node_counts(&self, session: Arc<Session>, process: String) -> OaResult<Vec<NodeCount>> {
        guard(|| Ok(self.oa.node_counts(&session.inner, &process)?.into_iter().map(NodeCount::from).collect()))
    }

    /// The running instances of process `process` waiting at node `node`, longest waiting
    /// first, with how long each has waited and for whom. Needs `workflow.instance.admin`.
    pub fn waiting_at_node(
        &self,
        session: Arc<Session>,
        process: String,
        node: String,
        page: PageRequest,
    ) -> OaResult<NodeWaitPage> {
        guard(|| Ok(self.oa.waiting_at_node(&session.inner, &process, &node, page.clone().into())?.into()))
    }

    /// The pending approval tasks whose deadline has passed at `at` (now when `None`; a task
    /// due exactly then counts), of process `process` or of every process, most overdue first
    /// (超时待办). Needs `workflow.instance.admin`.
    pub fn overdue_tasks(
        &self,
        session: Arc<Session>,
        process: Option<String>,
        at: Option<SystemTime>,
        page: PageRequest,
    ) -> OaResult<OverdueTaskPage> {
        guard(|| {
            let mut f = Fields::new();
            let at = at.map(|t| f.instant("at", t));
            f.finish()?;
            Ok(self.oa.overdue_tasks(&session.inner, process.as_deref(), at, page.clone().into())?.into())
        })
    }

    /// The running instances of process `process` (of every process when `None`) where no
    /// active person can act (卡住的流程). A page may come back short, even empty, with a
    /// cursor to go on from. Needs `workflow.instance.admin`.
    pub fn stuck_instances(
        &self,
        session: Arc<Session>,
        process: Option<String>,
        page: PageRequest,
    ) -> OaResult<StuckInstancePage> {
        guard(|| Ok(self.oa.stuck_instances(&session.inner, process.as_deref(), page.clone().into())?.into()))
    }

    /// How long the approval tasks of process `process` acted on in `[from, to)` took, per
    /// node, slowest first by 90th percentile. Needs `workflow.instance.admin` over the whole
    /// organisation.
    pub fn node_times(
        &self,
        session: Arc<Session>,
        process: String,
        from: SystemTime,
        to: SystemTime,
    ) -> OaResult<Vec<NodeTime>> {
        guard(|| {
            let mut f = Fields::new();
            let from = f.instant("from", from);
            let to = f.instant("to", to);
            f.finish()?;
            Ok(self.oa.node_times(&session.inner, &process, from, to)?.into_iter().map(NodeTime::from).collect())
        })
    }

    /// Moves approval task `task`, pending or waiting behind a signer (前加签), to person `to`
    /// (改派), for `reason`, when its assignee cannot act: the same seat, state and deadline,
    /// recorded in the history. Needs
    /// `workflow.instance.admin` over the instance's initiator. Returns the new task.
    pub fn reassign_task(&self, session: Arc<Session>, task: String, to: String, reason: String) -> OaResult<Task> {
        guard(|| {
            let mut f = Fields::new();
            let task: TaskId = f.id("task", &task);
            let to: PersonId = f.id("to", &to);
            f.finish()?;
            Ok(self.oa.reassign_task(&session.inner, task, to, &reason)?.into())
        })
    }

    /// Puts person `to` in the place of `from`, who waits for their turn at an in-turn node
    /// (依次) of running instance `instance`, for `reason`: such an approver holds no task for
    /// `reassign_task` to move. `to` gets the task when the turn comes. `from` not waiting in
    /// any queue of the instance is a `validation` error on `from`. Needs
    /// `workflow.instance.admin` over the instance's initiator. Returns the instance.
    pub fn reassign_turn(
        &self,
        session: Arc<Session>,
        instance: String,
        from: String,
        to: String,
        reason: String,
    ) -> OaResult<Instance> {
        guard(|| {
            let mut f = Fields::new();
            let instance: InstanceId = f.id("instance", &instance);
            let from: PersonId = f.id("from", &from);
            let to: PersonId = f.id("to", &to);
            f.finish()?;
            Ok(self.oa.reassign_turn(&session.inner, instance, from, to, &reason)?.into())
        })
    }

    /// Moves running instance `instance` to version `to_version` of its process (版本迁移).
    /// Refused with a `validation` error naming each node it waits at that the target lacks
    /// or changed (`nodes[<node>]`) and each field its data fails (`data.<field>`).
    pub fn migrate_instance(&self, session: Arc<Session>, instance: String, to_version: u32) -> OaResult<Instance> {
        guard(|| {
            let instance: InstanceId = parse_id("instance", &instance)?;
            Ok(self.oa.migrate_instance(&session.inner, instance, to_version)?.into())
        })
    }

    /// Moves every running instance of version `from_version` of process `process` to
    /// `to_version`, each on its own: one refusal leaves the others moved. Returns which moved
    /// and which were refused, with why.
    pub fn migrate_instances(
        &self,
        session: Arc<Session>,
        process: String,
        from_version: u32,
        to_version: u32,
    ) -> OaResult<MigrationReport> {
        guard(|| Ok(self.oa.migrate_instances(&session.inner, &process, from_version, to_version)?.into()))
    }

    // --- workflow: delegation ----------------------------------------------------------------

    /// Sets a standing delegation (委托): from `first_day` to `last_day` the new approval tasks
    /// of the owner (the caller unless `owner` is set) go to the delegate. Refused, naming the
    /// field, when the delegate is not an active person other than the owner, the days are
    /// reversed or past, the process does not exist, or another delegation of the owner covers
    /// the same processes on one of those days.
    pub fn create_delegation(&self, session: Arc<Session>, input: NewDelegation) -> OaResult<Delegation> {
        guard(|| Ok(self.oa.create_delegation(&session.inner, input.clone().into_core()?)?.into()))
    }

    /// Cancels standing delegation `id`: tasks it already sent stay with the delegate. Its
    /// owner, or a holder of `workflow.instance.admin` over them.
    pub fn cancel_delegation(&self, session: Arc<Session>, id: String) -> OaResult<Delegation> {
        guard(|| {
            let id: DelegationId = parse_id("id", &id)?;
            Ok(self.oa.cancel_delegation(&session.inner, id)?.into())
        })
    }

    /// The caller's standing delegations (我的委托), newest first, cancelled and past ones
    /// included.
    pub fn my_delegations(&self, session: Arc<Session>, page: PageRequest) -> OaResult<DelegationPage> {
        guard(|| Ok(self.oa.my_delegations(&session.inner, page.clone().into())?.into()))
    }

    /// The standing delegations that make the caller someone's delegate (委托给我的), newest
    /// first.
    pub fn delegations_to_me(&self, session: Arc<Session>, page: PageRequest) -> OaResult<DelegationPage> {
        guard(|| Ok(self.oa.delegations_to_me(&session.inner, page.clone().into())?.into()))
    }

    /// Every standing delegation whose owner lies in the caller's reach of
    /// `workflow.instance.admin`, newest first.
    pub fn all_delegations(&self, session: Arc<Session>, page: PageRequest) -> OaResult<DelegationPage> {
        guard(|| Ok(self.oa.all_delegations(&session.inner, page.clone().into())?.into()))
    }

    /// The approval tasks the caller's standing delegations sent to their delegates (代办记录),
    /// newest first, pending or acted on.
    pub fn tasks_on_my_behalf(&self, session: Arc<Session>, query: TaskQuery, page: PageRequest) -> OaResult<TaskPage> {
        guard(|| {
            Ok(self.oa.tasks_on_my_behalf(&session.inner, query.clone().into_core()?, page.clone().into())?.into())
        })
    }

    /// Delegates pending approval task `task` (委派) to person `to` to deal with and give back:
    /// the task waits as `Delegated`; `to` gets a task that `approve` resolves. Only the task's
    /// assignee. Returns the delegate's task.
    #[uniffi::method(default(comment = ""))]
    pub fn delegate_task(&self, session: Arc<Session>, task: String, to: String, comment: String) -> OaResult<Task> {
        guard(|| {
            let mut f = Fields::new();
            let task: TaskId = f.id("task", &task);
            let to: PersonId = f.id("to", &to);
            f.finish()?;
            Ok(self.oa.delegate_task(&session.inner, task, to, &comment)?.into())
        })
    }

    /// Takes back task `task` (收回), which the caller delegated and its delegate has not
    /// resolved yet: it is pending again. Returns it.
    pub fn take_back_task(&self, session: Arc<Session>, task: String) -> OaResult<Task> {
        guard(|| Ok(self.oa.take_back_task(&session.inner, parse_id("task", &task)?)?.into()))
    }
}
