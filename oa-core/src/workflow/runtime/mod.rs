//! The workflow runtime (流程运行): instances of published processes moving through their
//! nodes, the tasks of the people who act on them, and every approval operation.
//!
//! An instance runs one process version over the form version that version pins. Starting it
//! checks its data against the form and walks the graph from the start node: approval nodes
//! get tasks for the approvers their candidate strategy finds, copy nodes send copies and
//! move on, exclusive gateways take the first branch whose condition holds (the default
//! otherwise; a condition that fails to evaluate counts as not holding and is recorded), a
//! parallel split sends a token down every branch and its join waits for all of them, and an
//! end node ends the instance approved.
//!
//! # Records and keys
//!
//! | key | value |
//! | --- | --- |
//! | `wf.i/<instance>` | the [`Instance`], with its tokens (where it waits) |
//! | `wf.t/<task>` | the [`Task`] |
//! | `wf.h/<instance>/<seq u32>` | the [`HistoryEntry`] entries of an instance, in order |
//! | `wf.it/<instance>/<task>` | the tasks of an instance |
//! | `wf.todo/<person>/<created>/<task>` | pending approval and resubmit tasks (待办), and tasks their assignee delegated (委派) |
//! | `wf.done/<person>/<acted>/<task>` | tasks a person acted on (已办) |
//! | `wf.mine/<person>/<created>/<instance>` | instances a person started, drafts included |
//! | `wf.cc/<person>/<created>/<task>`, `wf.ccu/…` | copies to a person; the unread ones |
//! | `wf.due/<instant>/<task>` | when the deadlines (and then reminders) of pending and delegated (委派) tasks are next handled |
//! | `wf.dl/<deadline>/<task>`, `wf.dlp/<process>/<deadline>/<task>` | pending and delegated (委派) approval tasks by the deadline their node set (超时), of every process and by process; the overdue list shows a delegated one through its delegate's task |
//! | `wf.node/<process>/<node>/<entered>/<instance>` | running instances waiting at a node, longest waiting first (过程监控) |
//! | `wf.ver/<process>/<version u32>/<instance>` | running instances by the process version they run (版本迁移) |
//! | `wf.stat/<process>/<acted>/<task>` | the time an approval task took from creation to action, elapsed and working, with its node: statistics per node over a period |
//! | `wf.biz/<business key>/<instance>` | instances by business key |
//! | `wf.badge/<person>` | [`BadgeCounts`]: pending tasks and unread copies |
//! | `wf.btype/<prefix>` | a declared [`BusinessType`] |
//! | `wf.bseq/<prefix>` | the last sequence number of a business key prefix's feed |
//! | `wf.bev/<prefix>/<seq u64>` | the [`BusinessEvent`] feed: endings of instances with business keys |
//! | `wf.obh/<owner>/<created>/<task>` | approval tasks a standing delegation sent from `owner` to their delegate (代办记录) |
//! | `wf.dg/<delegation>` | the [`Delegation`] (委托) |
//! | `wf.dgo/<owner>/<delegation>`, `wf.dgd/<delegate>/<delegation>` | delegations by owner and by delegate |
//! | `wf.dga/<owner>/<ends>/<delegation>` | an owner's delegations not cancelled, by end: those running or to come are one scan from now |
//!
//! Every index and count is derived from the record it indexes and rewritten by the same
//! function in the same transaction (`store::Memo::save_task`, `store::Memo::save_instance`,
//! `store::save_delegation` compute the index keys of the old and the new record and apply the
//! difference), so they cannot drift. Tasks and instances are read and written through the
//! transaction's `store::Memo`, held by `flow::Rt`: it keeps each record as the transaction
//! stored it, so an operation decodes an instance's tasks once however often it looks at them,
//! and a write finds the record it replaces without reading it again. Its methods are the only
//! way to write either, so it cannot fall out of step with the store.
//!
//! # Decisions
//!
//! - **Seats and votes.** Each approver found when a node is reached holds a *seat*; a
//!   transfer (转交) or a signer before or after (前/后加签) continues the seat, a signer
//!   alongside (并加签) adds one. A seat's vote is rejected when any of its live tasks
//!   rejected, open while one is pending, approved otherwise. The node's method decides on the
//!   votes: single and any-of (或签) on the first vote, all (会签) and in turn (依次) on every
//!   seat approving (one rejection rejects), ratio (票签) once `pass_percent` of the seats
//!   approve, rejected once that can no longer happen. A rejection at a ratio node is one
//!   vote; anywhere else it ends the instance rejected.
//! - **Activations.** Each time an instance reaches a node is a new activation; a node's
//!   tasks and its token carry it, so a node reached again after a return starts afresh.
//! - **Returns (退回)** go where the node's policy and the definition allow. To the initiator:
//!   every open task closes and the initiator gets a resubmit task; resubmitting walks again
//!   from the start or jumps back to the returning node. To an earlier node inside the same
//!   parallel branch: only that branch moves back. To any other node: every open task closes.
//!   Going straight back is never done into a parallel branch from outside it (its join would
//!   wait for the other branches in vain): the instance walks again instead.
//! - **Withdrawal (撤回).** The initiator withdraws the instance while no person has acted on
//!   it (automatic approvals do not count) or while it is returned to them. The last person
//!   to approve takes their approval back while nobody has acted after them: the instance
//!   keeps a snapshot of its tokens and data from before that approval and the tasks it
//!   created, cleared by any later action. An approval that ended the instance, assigned a
//!   document number or gave a waiting approver their task back cannot be taken back.
//! - **Deadlines** are computed in working time at task creation and indexed by instant.
//!   [`crate::Oa::process_due`] handles each due task in its own transaction, which removes
//!   or moves the entry, so it is idempotent and safe to run from several processes at once.
//!   Reminders are counted per seat: a transfer, a signer after and a reassignment carry the
//!   count on with the deadline, so the node's limit on repeated reminders holds.
//! - **Business keys.** A Rust module registers a [`BusinessHandler`] for its prefix
//!   ([`register_business_handler`]); the runtime calls it in the transaction that ends the
//!   instance. An application on a frontend declares a [`BusinessType`] and reads its feed of
//!   [`BusinessEvent`]s, appended in the same ending transaction (an outbox, numbered without
//!   gaps in commit order). A business key neither covers is refused at start.
//! - **Visibility.** An instance is seen by its initiator, by the assignees of its tasks and
//!   the people its tasks were meant for when a standing delegation sent them on (without the
//!   fields their node hides), and by holders of `workflow.instance.read` over its initiator;
//!   administrators (`workflow.instance.admin`) terminate, jump and run deadlines. Acting on a
//!   task needs no catalogue permission: being its assignee is the permission.
//! - **Standing delegation (委托).** A person away sets, for a range of days in the office's
//!   time zone (both included, as people say "away from the 3rd to the 7th"; the instants are
//!   fixed when it is made), a delegate for the approval tasks of one process or of all;
//!   anybody may set their own, a holder of `workflow.instance.admin` over them may set or
//!   cancel one for them. Two delegations of one owner for the same processes may not share a
//!   day; one for a single process wins over one for all. It acts when an approval task is
//!   created (node approvers, approvals in turn, signers, transfers, escalations): a task for
//!   someone with a delegation running then goes to the delegate, records `on_behalf_of`, and
//!   the history says so (`redirected`). Chains are followed (A → B → C, at most
//!   [`MAX_DELEGATION_HOPS`] steps) and stop before an inactive delegate, before someone
//!   already in the chain (a cycle), and before the initiator, who must not approve their own
//!   request for someone else. The rules on the initiator and on earlier approvers look at the
//!   person the node found, and an approval on someone's behalf counts as theirs. Copies and
//!   resubmit tasks are never sent on. Tasks already sent stay with the delegate when the
//!   delegation ends or is cancelled. The owner sees them in [`crate::Oa::tasks_on_my_behalf`]
//!   (`wf.obh`), pending or acted on, and the instance as a participant; their done list holds
//!   only what they did themselves. The seat stays the owner's when the delegate transfers it
//!   (转办) or an administrator reassigns it (改派): the new task keeps `on_behalf_of`, so the
//!   owner sees both the task handed on and where it went, and an approval there counts as
//!   theirs. It is dropped when the task goes to the owner themselves, and replaced when the new
//!   person's own standing delegation sends it on (the task is then on that person's behalf).
//!   An escalation does not keep it: the superior decides in their own right.
//! - **Delegating a task to get it back (委派).** The assignee of a pending approval task hands
//!   it to someone to deal with: the task becomes `delegated` (open, so the node waits; in the
//!   owner's todo list, marked, but not in their badge count) and the delegate gets a task of
//!   the same seat with `delegated_from`, which is no vote. The delegate's `approve` resolves it
//!   (their comment, and edits of the fields the node lets approvers change) and the owner's
//!   task is pending again; the delegate may not reject, return, transfer, delegate again or
//!   add signers (`invalid_state`: those decide the seat, which stays the owner's). The owner
//!   takes it back while the delegate has not resolved it; whichever commits first wins, the
//!   other gets `invalid_state`. The owner's deadline keeps running: a reminder goes to the
//!   delegate, any other deadline action takes the task back first. The delegate's task
//!   carries the owner's `deadline_at` (its handling stays with the owner's task), so the
//!   overdue list shows the seat through the delegate's task while it is out, and through the
//!   owner's once it is back. An approval taken back
//!   (撤回) that had closed a delegated seat reopens it as it was: the owner's task delegated,
//!   the delegate's pending.
//! - **Escalation** (超时上报) goes to the first active superior up the chain of the person the
//!   task is meant for (on whose behalf, for a task a standing delegation sent on) who holds
//!   no open task at that node activation, with a fresh deadline counted from the
//!   escalation; with nobody left it reminds instead and the history says why. A node whose
//!   approvers come from its fallback (role or person) says so in the history
//!   (`fallback_assigned`).
//! - **Monitoring (过程监控)** reads indexes only. A token records when the instance reached
//!   its node, and the node index is ordered by that instant, so the instances waiting
//!   longest come first and the count per node reads keys alone. Counts are not kept in a
//!   counter record: one counter per node would make every approval of a process conflict with
//!   every other. Waiting times are given elapsed and in working time by the office calendar.
//!   Counts and time statistics cover every department and need `workflow.instance.admin`
//!   without a scope limit; lists of instances and tasks show those whose initiator lies in
//!   the administrator's scope.
//! - **Overdue (超时)** is measured against `Task::deadline_at`, the deadline the node set,
//!   because `due_at` moves with each reminder. A transfer, a signer after and a reassignment
//!   keep it (the seat's deadline); an escalation starts a fresh one with the escalated
//!   task's new deadline. A signer before or beside (前/并加签) gets the node's deadline
//!   counted from when they were added: the approver before them waits meanwhile, out of the
//!   deadline lists, and the seat shows as overdue through the signer's task. A task due
//!   exactly at the instant asked counts as overdue, as for `process_due`.
//! - **Stuck instances** are found by walking the node index (of one process, or of all) and
//!   reading each waiting instance's tasks: an instance is stuck at an approval node, or at
//!   the start while returned, when no pending task there belongs to an active person. Tasks
//!   waiting behind a signer (前加签) do not count as someone able to act. No index can hold
//!   this, since people are disabled outside the runtime; instead each call examines at most
//!   [`STUCK_SCAN_LIMIT`] waiting instances and returns a cursor, so its cost stays bounded.
//! - **Time per node.** When an approval task is acted on, `save_task` writes its time
//!   (elapsed, and working time by the calendar at that moment) under the instant of the
//!   action, so a period's statistics scan that period only. Tasks count when their assignee
//!   acted, when a deadline acted for them (a timeout is a bottleneck too) and when an
//!   administrator reassigned them; automatic approvals at creation took nobody any time and
//!   do not. The 90th percentile is exact, by nearest rank over every time in the period: the
//!   smallest time at least 90% of the tasks did not exceed, always a time some task took.
//! - **Reassignment (改派)** closes the task as transferred, marked `auto` so it is not its
//!   assignee's action (已办), and gives the seat to the new person with the same deadline,
//!   reminders sent and signers after. A pending approval task of a running instance, or one
//!   waiting behind a signer added before it (前加签): the replacement waits in its place and
//!   gets the seat when the signer approves. Approvers of an in-turn node (依次) whose turn has
//!   not come hold no task yet: `reassign_turn` puts someone else in their place in the queue,
//!   and the replacement gets the task when the turn comes (an instance whose queue still
//!   names someone who left stalls at their turn, and their task is reassigned then). A task
//!   its assignee delegated (委派) is reassigned once it is back; the delegate's own task can
//!   be, and its replacement is a delegate's task too, whose approval gives the owner's back.
//! - **Migration (版本迁移)** moves a running instance to another published version of its
//!   process, newer or older, when every node it waits at is one the definitions'
//!   `compatible_nodes` finds in both and its data passes the target's form version; each
//!   refusal names the node (`nodes[<node>]`) or field (`data.<field>`), and a version the
//!   process does not have is bad input on `to_version` (or `from_version`). Tasks, seats,
//!   assignees, deadlines and history stay; the target's graph and node settings apply from
//!   the next step. Migrating a whole version moves each instance in a transaction of its
//!   own, with its own history entry and audit record: a refusal or a conflict on one instance
//!   leaves the others moved, no transaction grows with the number of instances, and a
//!   concurrent approval conflicts with one instance's move only.

mod act;
mod business;
mod delegation;
mod flow;
mod handler;
mod migrate;
mod model;
mod monitor;
mod monitor_ops;
mod ops;
mod resolve;
mod store;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use act::{MAX_COMMENT_LEN, MAX_TITLE_LEN};
pub use business::{BusinessEvent, BusinessType, MAX_BUSINESS_EVENTS, MAX_BUSINESS_TYPE_DESCRIPTION_LEN};
pub use delegation::{MAX_DELEGATION_HOPS, MAX_REASON_LEN};
pub use handler::{register_business_handler, BusinessHandler, InstanceEnd, MAX_BUSINESS_KEY_LEN};
pub use migrate::{MigrationRefusal, MigrationReport};
pub use model::{
    BadgeCounts, Delegation, DelegationId, DueReport, HistoryAction, HistoryEntry, Instance, InstanceDetail,
    InstanceId, InstanceStatus, NewDelegation, ReturnMark, ReturnTarget, SignerPosition, StartProcess, Task, TaskId,
    TaskKind, TaskQuery, TaskStatus, Token, Undo,
};
pub use monitor::{NodeCount, NodeTime, NodeWait, OverdueTask, StuckInstance, StuckReason, STUCK_SCAN_LIMIT};

use crate::perm::catalogue::{PermCategory, PermissionDef};
use crate::workflow::definition::PROCESS_PUBLISH;

/// The permission to start instances (发起流程).
pub(crate) const INSTANCE_START: &str = "workflow.instance.start";
/// The permission to see instances one does not take part in.
pub(crate) const INSTANCE_READ: &str = "workflow.instance.read";
/// The permission to terminate instances, move them, and run deadlines.
pub(crate) const INSTANCE_ADMIN: &str = "workflow.instance.admin";

/// The permissions this module checks, for the catalogue.
pub const PERMISSIONS: &[PermissionDef] = &[
    PermissionDef { name: INSTANCE_START, description: "start process instances", category: PermCategory::Business },
    PermissionDef {
        name: INSTANCE_READ,
        description: "see process instances one does not take part in",
        category: PermCategory::Business,
    },
    PermissionDef {
        name: INSTANCE_ADMIN,
        description: "terminate, move, migrate and reassign process instances, run deadlines, monitor processes",
        category: PermCategory::Business,
    },
];

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[
    "start_process",
    "save_draft",
    "submit_draft",
    "delete_draft",
    "approve",
    "reject",
    "return_task",
    "resubmit",
    "withdraw",
    "transfer",
    "add_signer",
    "remove_signer",
    "comment",
    "urge",
    "mark_cc_read",
    "terminate",
    "jump",
    "process_due",
    "todo",
    "done",
    "cc_to_me",
    "started_by_me",
    "badge_counts",
    "instance",
    "instances_of",
    "instances_at_node",
    "declare_business_type",
    "business_types",
    "business_events",
    "node_counts",
    "waiting_at_node",
    "overdue_tasks",
    "stuck_instances",
    "node_times",
    "reassign_task",
    "reassign_turn",
    "migrate_instance",
    "migrate_instances",
    "create_delegation",
    "cancel_delegation",
    "my_delegations",
    "delegations_to_me",
    "all_delegations",
    "tasks_on_my_behalf",
    "delegate_task",
    "take_back_task",
];
