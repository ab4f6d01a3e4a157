//! The workflow's business types and their feed, process monitoring, reassignment and
//! migration, and delegation (委托, 委派), as methods of [`Office`]: a second `impl` block so
//! that `lib.rs` stays readable. The methods follow the rest: the session token first, every
//! argument checked here (a wrong type is a `validation` error naming it), types mapped one to
//! one from the core (see `workflow_admin_types`).

use tsify::Ts;
use wasm_bindgen::prelude::*;

use oa::org::PersonId;
use oa::workflow::runtime::{DelegationId, InstanceId, TaskId};

use crate::convert::{self, done_wf, input_or_default, instant, int, opt_int, opt_text, output, output_wf, session};
use crate::convert::{text, ts_input};
use crate::types::{Instance, PageRequest, Task, TaskPage, TaskQuery};
use crate::workflow_admin_types::*;
use crate::Office;

/// The largest version number JavaScript may pass.
const MAX_VERSION: i64 = u32::MAX as i64;
/// The largest sequence number of a feed JavaScript may pass: the largest safe integer.
const MAX_SEQ: i64 = (1 << 53) - 1;

#[wasm_bindgen]
impl Office {
    // ------------------------------------------------------------------------------------------
    // Workflow: business types and their feed

    /// Declares business type `prefix` (业务类型): instances may then carry business keys
    /// `prefix:…`, and each one that ends appends an event to the type's feed
    /// (`businessEvents`). Declaring it again changes its description. Needs
    /// `workflow.process.publish`.
    #[wasm_bindgen(js_name = declareBusinessType)]
    pub fn declare_business_type(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] prefix: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] description: JsValue,
    ) -> Result<Ts<BusinessType>, JsValue> {
        let s = session(&session_token)?;
        let prefix = text(&prefix, "prefix")?;
        let description = text(&description, "description")?;
        output_wf(self.oa.declare_business_type(&s, &prefix, &description).map(BusinessType::from))
    }

    /// The business types of this office, by prefix, with the prefixes whose feed a module of
    /// the core started. Needs `workflow.instance.read`.
    #[wasm_bindgen(js_name = businessTypes, unchecked_return_type = "BusinessType[]")]
    pub fn business_types(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let list = done_wf(self.oa.business_types(&s))?;
        convert::to_value(&list.into_iter().map(BusinessType::from).collect::<Vec<_>>())
    }

    /// The endings of instances with business keys of type `prefix` after sequence number
    /// `afterSeq` (left out: 0, from the first), oldest first, at most `limit` (left out or 0:
    /// 100; at most 1000). Remember the `seq` of the last event handled and ask again from
    /// there: asking again from the same number gives the same events. Events of instances
    /// outside the caller's data scope are left out. Needs `workflow.instance.read`.
    #[wasm_bindgen(js_name = businessEvents, unchecked_return_type = "BusinessEvent[]")]
    pub fn business_events(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] prefix: JsValue,
        #[wasm_bindgen(js_name = afterSeq, unchecked_optional_param_type = "number | null")] after_seq: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number | null")] limit: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let prefix = text(&prefix, "prefix")?;
        let after_seq = opt_int(&after_seq, "afterSeq", 0, MAX_SEQ)?.unwrap_or(0) as u64;
        let limit = opt_int(&limit, "limit", 0, i64::from(u32::MAX))?.unwrap_or(0) as u32;
        let list = done_wf(self.oa.business_events(&s, &prefix, after_seq, limit))?;
        convert::to_value(&list.into_iter().map(BusinessEvent::from).collect::<Vec<_>>())
    }

    // ------------------------------------------------------------------------------------------
    // Workflow: monitoring (过程监控), reassignment and migration

    /// The nodes of process `process` where running instances wait, by node id, with how many
    /// wait at each and when the one waiting longest arrived. Needs `workflow.instance.admin`
    /// over the whole organisation.
    #[wasm_bindgen(js_name = nodeCounts, unchecked_return_type = "NodeCount[]")]
    pub fn node_counts(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] process: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let process = text(&process, "process")?;
        let list = done_wf(self.oa.node_counts(&s, &process))?;
        convert::to_value(&list.into_iter().map(NodeCount::from).collect::<Vec<_>>())
    }

    /// The running instances of process `process` waiting at node `node`, longest waiting
    /// first, each with how long it has waited (elapsed, and working time by the office's
    /// calendar) and whose task it waits for. Needs `workflow.instance.admin`; lists the
    /// instances whose initiator lies in its scope.
    #[wasm_bindgen(js_name = waitingAtNode)]
    pub fn waiting_at_node(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] process: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] node: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<NodeWaitPage>, JsValue> {
        let s = session(&session_token)?;
        let process = text(&process, "process")?;
        let node = text(&node, "node")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output_wf(self.oa.waiting_at_node(&s, &process, &node, page.into()).map(NodeWaitPage::from))
    }

    /// The pending approval tasks whose deadline has passed at `at` (left out: now; a task due
    /// exactly at `at` counts), of process `process` or (left out) of every process, most
    /// overdue first (超时待办). The deadline is the one the node set (`deadlineAt`), which
    /// reminders do not move. Needs `workflow.instance.admin`; lists the tasks of instances
    /// whose initiator lies in its scope.
    #[wasm_bindgen(js_name = overdueTasks)]
    pub fn overdue_tasks(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] process: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "InstantInput | null")] at: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<OverdueTaskPage>, JsValue> {
        let s = session(&session_token)?;
        let process = opt_text(&process, "process")?;
        let at = if at.is_undefined() || at.is_null() { None } else { Some(instant(&at, "at")?) };
        let page: PageRequest = input_or_default(&page, "page")?;
        output_wf(self.oa.overdue_tasks(&s, process.as_deref(), at, page.into()).map(OverdueTaskPage::from))
    }

    /// The running instances of process `process` (left out: of every process) waiting at a
    /// node where no active person can act: their approvers were disabled or left, or the node
    /// has no pending task; also those returned to an initiator who is no longer active. Each
    /// call examines a bounded number of waiting instances, so a page may come back short
    /// (even empty) with a `nextCursor` to go on from. Needs `workflow.instance.admin`; lists
    /// the instances whose initiator lies in its scope.
    #[wasm_bindgen(js_name = stuckInstances)]
    pub fn stuck_instances(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "string | null")] process: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<StuckInstancePage>, JsValue> {
        let s = session(&session_token)?;
        let process = opt_text(&process, "process")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output_wf(self.oa.stuck_instances(&s, process.as_deref(), page.into()).map(StuckInstancePage::from))
    }

    /// How long the approval tasks of process `process` acted on from `from` up to `to` (not
    /// included) took, per node, slowest first by 90th percentile: how many, the mean and the
    /// 90th percentile from creation to action, elapsed and in working time. Needs
    /// `workflow.instance.admin` over the whole organisation.
    #[wasm_bindgen(js_name = nodeTimes, unchecked_return_type = "NodeTime[]")]
    pub fn node_times(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] process: JsValue,
        #[wasm_bindgen(unchecked_param_type = "InstantInput")] from: JsValue,
        #[wasm_bindgen(unchecked_param_type = "InstantInput")] to: JsValue,
    ) -> Result<JsValue, JsValue> {
        let s = session(&session_token)?;
        let process = text(&process, "process")?;
        let (from, to) = (instant(&from, "from")?, instant(&to, "to")?);
        let list = done_wf(self.oa.node_times(&s, &process, from, to))?;
        convert::to_value(&list.into_iter().map(NodeTime::from).collect::<Vec<_>>())
    }

    /// Moves approval task `task`, pending or waiting behind a signer (前加签), to person `to`
    /// (改派) for `reason` (1 to 2000 characters), when its assignee cannot act: the task closes
    /// as transferred (not as its assignee's action) and `to` gets a task in the same seat, in
    /// the same state, with the same deadline. Needs
    /// `workflow.instance.admin` over the instance's initiator. Returns the new task.
    #[wasm_bindgen(js_name = reassignTask)]
    pub fn reassign_task(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] to: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] reason: JsValue,
    ) -> Result<Ts<Task>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        let to = PersonId(convert::id(&to, "to")?);
        let reason = text(&reason, "reason")?;
        output_wf(self.oa.reassign_task(&s, task, to, &reason).map(Task::from))
    }

    /// Puts person `to` in the place of `from`, who waits for their turn at an in-turn node
    /// (依次) of running instance `instance`, for `reason` (1 to 2000 characters): such an
    /// approver holds no task for `reassignTask` to move. `to`, an active person not already
    /// approving at that node, gets the task when the turn comes. `from` not waiting in any
    /// queue of the instance is a validation error on `from`; an ended instance is
    /// `invalid_state`. Needs `workflow.instance.admin` over the instance's initiator. Returns
    /// the instance.
    #[wasm_bindgen(js_name = reassignTurn)]
    pub fn reassign_turn(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] instance: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] from: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] to: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] reason: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let instance = InstanceId(convert::id(&instance, "instance")?);
        let from = PersonId(convert::id(&from, "from")?);
        let to = PersonId(convert::id(&to, "to")?);
        let reason = text(&reason, "reason")?;
        output_wf(self.oa.reassign_turn(&s, instance, from, to, &reason).map(Instance::from))
    }

    /// Moves running instance `instance` to version `toVersion` of its process (版本迁移).
    /// Refused with a validation error naming each node it waits at that the target lacks or
    /// changed (`nodes[<node>]`) and each field its data fails in the target's form
    /// (`data.<field>`). Its open tasks keep their assignees and deadlines; from its next step
    /// it follows the target version. Needs `workflow.instance.admin` over its initiator.
    #[wasm_bindgen(js_name = migrateInstance)]
    pub fn migrate_instance(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] instance: JsValue,
        #[wasm_bindgen(js_name = toVersion, unchecked_param_type = "number")] to_version: JsValue,
    ) -> Result<Ts<Instance>, JsValue> {
        let s = session(&session_token)?;
        let instance = InstanceId(convert::id(&instance, "instance")?);
        let to_version = int(&to_version, "toVersion", 0, MAX_VERSION)? as u32;
        output_wf(self.oa.migrate_instance(&s, instance, to_version).map(Instance::from))
    }

    /// Moves every running instance of version `fromVersion` of process `process` to
    /// `toVersion`, each as `migrateInstance` moves one and in a transaction of its own, so a
    /// refusal leaves the others moved. Returns which moved and which were refused, with why.
    /// Needs `workflow.instance.admin`.
    #[wasm_bindgen(js_name = migrateInstances)]
    pub fn migrate_instances(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] process: JsValue,
        #[wasm_bindgen(js_name = fromVersion, unchecked_param_type = "number")] from_version: JsValue,
        #[wasm_bindgen(js_name = toVersion, unchecked_param_type = "number")] to_version: JsValue,
    ) -> Result<Ts<MigrationReport>, JsValue> {
        let s = session(&session_token)?;
        let process = text(&process, "process")?;
        let from_version = int(&from_version, "fromVersion", 0, MAX_VERSION)? as u32;
        let to_version = int(&to_version, "toVersion", 0, MAX_VERSION)? as u32;
        output_wf(self.oa.migrate_instances(&s, &process, from_version, to_version).map(MigrationReport::from))
    }

    // ------------------------------------------------------------------------------------------
    // Workflow: standing delegation (委托) and delegating a task (委派)

    /// Sets a standing delegation (委托): from `firstDay` to `lastDay` (both included, in the
    /// office's time zone) the new approval tasks of the owner, of one process or of all, go
    /// to the delegate, who acts on the owner's behalf. The owner is the caller, or someone
    /// else for a holder of `workflow.instance.admin` over them. Refused, naming the field,
    /// when the delegate is not an active person other than the owner, the days are reversed
    /// or past, the process does not exist, or another delegation of the owner covers the same
    /// processes on one of those days.
    #[wasm_bindgen(js_name = createDelegation)]
    pub fn create_delegation(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        input: Ts<NewDelegation>,
    ) -> Result<Ts<Delegation>, JsValue> {
        let s = session(&session_token)?;
        let input: NewDelegation = ts_input(&input, "input")?;
        output_wf(self.oa.create_delegation(&s, input.into()).map(Delegation::from))
    }

    /// Cancels standing delegation `id`, which has not ended: tasks it already sent stay with
    /// the delegate; new ones go to the owner again. Its owner, or a holder of
    /// `workflow.instance.admin` over them.
    #[wasm_bindgen(js_name = cancelDelegation)]
    pub fn cancel_delegation(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] id: JsValue,
    ) -> Result<Ts<Delegation>, JsValue> {
        let s = session(&session_token)?;
        let id = DelegationId(convert::id(&id, "id")?);
        output_wf(self.oa.cancel_delegation(&s, id).map(Delegation::from))
    }

    /// The caller's standing delegations (我的委托), newest first, cancelled and past ones
    /// included.
    #[wasm_bindgen(js_name = myDelegations)]
    pub fn my_delegations(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<DelegationPage>, JsValue> {
        let s = session(&session_token)?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.my_delegations(&s, page.into()).map(DelegationPage::from))
    }

    /// The standing delegations that make the caller someone's delegate (委托给我的), newest
    /// first.
    #[wasm_bindgen(js_name = delegationsToMe)]
    pub fn delegations_to_me(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<DelegationPage>, JsValue> {
        let s = session(&session_token)?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.delegations_to_me(&s, page.into()).map(DelegationPage::from))
    }

    /// Every standing delegation whose owner lies in the caller's reach of
    /// `workflow.instance.admin`, newest first.
    #[wasm_bindgen(js_name = allDelegations)]
    pub fn all_delegations(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<DelegationPage>, JsValue> {
        let s = session(&session_token)?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.all_delegations(&s, page.into()).map(DelegationPage::from))
    }

    /// The approval tasks the caller's standing delegations sent to their delegates (代办记录),
    /// newest first, whatever became of them. The query's `from` and `to` bound when the tasks
    /// were created.
    #[wasm_bindgen(js_name = tasksOnMyBehalf)]
    pub fn tasks_on_my_behalf(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "TaskQuery | null")] query: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "PageRequest | null")] page: JsValue,
    ) -> Result<Ts<TaskPage>, JsValue> {
        let s = session(&session_token)?;
        let query: TaskQuery = input_or_default(&query, "query")?;
        let page: PageRequest = input_or_default(&page, "page")?;
        output(self.oa.tasks_on_my_behalf(&s, query.into(), page.into()).map(TaskPage::from))
    }

    /// Delegates pending approval task `task` (委派) to person `to` to deal with and give
    /// back: the task waits as `delegated` and its node does not complete meanwhile; `to` gets
    /// a task which their `approve` resolves, giving the task back pending. The delegate
    /// cannot reject, return, transfer, delegate or add signers to it. Only the task's
    /// assignee. Returns the delegate's task.
    #[wasm_bindgen(js_name = delegateTask)]
    pub fn delegate_task(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] to: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] comment: JsValue,
    ) -> Result<Ts<Task>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        let to = PersonId(convert::id(&to, "to")?);
        let comment = text(&comment, "comment")?;
        output_wf(self.oa.delegate_task(&s, task, to, &comment).map(Task::from))
    }

    /// Takes back task `task` (收回), which the caller delegated and its delegate has not
    /// resolved yet: the delegate's task closes and `task` is pending again. Returns it.
    #[wasm_bindgen(js_name = takeBackTask)]
    pub fn take_back_task(
        &self,
        #[wasm_bindgen(js_name = session, unchecked_param_type = "SessionToken")] session_token: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Id")] task: JsValue,
    ) -> Result<Ts<Task>, JsValue> {
        let s = session(&session_token)?;
        let task = TaskId(convert::id(&task, "task")?);
        output_wf(self.oa.take_back_task(&s, task).map(Task::from))
    }
}
