//! Reading and writing instances, tasks and standing delegations with their indexes and badge
//! counts, always together in the caller's transaction.
//!
//! Tasks and instances are written only through a [`Memo`], the record of what one
//! transaction has read and written of them, which [`super::flow::Rt`] holds: an approval
//! looks at its instance's tasks three or four times (the seat, the node it closes, the node it
//! opens, the end) and writes a dozen records, and each write needs the record it replaces to
//! bring the indexes in line. The memo reads each record once per transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Utc};
use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};

use super::model::{
    keys, BadgeCounts, Delegation, DelegationId, HistoryEntry, Instance, InstanceId, InstanceStatus, Task, TaskId,
    TaskKind, TaskStatus, Token,
};
use super::monitor::TaskTime;
use crate::codec;
use crate::db::{self, DecodedCache};
use crate::keys::{trailing_id, KeyBuf};
use crate::org::PersonId;
use crate::{OaError, OaResult};

/// How many decoded tasks the process keeps: those of the instances people are acting on now.
const TASKS_CACHED: usize = 16_384;
/// How many decoded instances the process keeps.
const INSTANCES_CACHED: usize = 4_096;

/// Tasks as last written or read by any transaction of the process, each served only to a
/// transaction that reads the very bytes it was encoded to (see [`DecodedCache`]). An operation
/// on an instance reads the tasks and the instance that the operation before it wrote: a write
/// remembers what it encoded, so the next operation compares bytes instead of decoding them.
static TASKS: LazyLock<DecodedCache<Task>> = LazyLock::new(|| DecodedCache::new(TASKS_CACHED));
/// Instances, kept as [`TASKS`] are.
static INSTANCES: LazyLock<DecodedCache<Instance>> = LazyLock::new(|| DecodedCache::new(INSTANCES_CACHED));

/// Instance `id`, if it exists.
pub(crate) fn load_instance(tx: &mut dyn ReadTxn, id: InstanceId) -> OaResult<Option<Instance>> {
    Ok(cached_instance(tx, id)?.map(Arc::unwrap_or_clone))
}

/// Instance `id` as decoded and kept for the process, if it exists.
fn cached_instance(tx: &mut dyn ReadTxn, id: InstanceId) -> OaResult<Option<Arc<Instance>>> {
    INSTANCES.get(tx, keys::instance(id).as_bytes())
}

/// Instance `id`, or `not_found`.
pub(crate) fn require_instance(tx: &mut dyn ReadTxn, id: InstanceId) -> OaResult<Instance> {
    load_instance(tx, id)?.ok_or_else(|| OaError::not_found("instance", id))
}

/// Task `id`, if it exists.
pub(crate) fn load_task(tx: &mut dyn ReadTxn, id: TaskId) -> OaResult<Option<Task>> {
    Ok(cached_task(tx, id)?.map(Arc::unwrap_or_clone))
}

/// Task `id` as decoded and kept for the process, if it exists.
fn cached_task(tx: &mut dyn ReadTxn, id: TaskId) -> OaResult<Option<Arc<Task>>> {
    TASKS.get(tx, keys::task(id).as_bytes())
}

/// Task `id`, or `not_found`.
pub(crate) fn require_task(tx: &mut dyn ReadTxn, id: TaskId) -> OaResult<Task> {
    load_task(tx, id)?.ok_or_else(|| OaError::not_found("task", id))
}

/// Every task of instance `id`, oldest first.
pub(crate) fn instance_tasks(tx: &mut dyn ReadTxn, id: InstanceId) -> OaResult<Vec<Task>> {
    let entries = tx.scan(&KeyRange::prefix(keys::instance_tasks(id).as_bytes()), Direction::Forward, usize::MAX)?;
    let mut out = Vec::with_capacity(entries.len());
    for (k, _) in entries {
        let tid =
            trailing_id(&k).map(TaskId).ok_or_else(|| OaError::Internal("malformed instance-task entry".into()))?;
        out.push(require_task(tx, tid)?);
    }
    Ok(out)
}

/// The history of instance `id`, oldest first.
pub(crate) fn history(tx: &mut dyn ReadTxn, id: InstanceId) -> OaResult<Vec<HistoryEntry>> {
    let entries = tx.scan(&KeyRange::prefix(keys::histories(id).as_bytes()), Direction::Forward, usize::MAX)?;
    entries.into_iter().map(|(_, v)| crate::codec::decode(&v)).collect()
}

/// Appends `entry` to the history of `inst`, numbering it.
pub(crate) fn append_history(tx: &mut dyn WriteTxn, inst: &mut Instance, mut entry: HistoryEntry) -> OaResult<()> {
    entry.seq = inst.history_len;
    inst.history_len += 1;
    db::put(tx, keys::history(inst.id, entry.seq).as_bytes(), &entry)
}

/// The index keys of an instance.
fn instance_index(inst: &Instance) -> BTreeSet<Vec<u8>> {
    let mut out = BTreeSet::new();
    out.insert(keys::mine(inst.initiator).time(inst.created_at).id(inst.id.0).into_bytes());
    if let Some(b) = &inst.business_key {
        out.insert(keys::business(b, inst.id).into_bytes());
    }
    if inst.status == InstanceStatus::Running {
        out.insert(keys::running(&inst.process_key, inst.process_version, inst.id).into_bytes());
        for t in &inst.tokens {
            out.insert(keys::at_node(&inst.process_key, &t.node, entered_at(inst, t), inst.id).into_bytes());
        }
    }
    out
}

/// When `inst` reached the node of token `t`: as recorded, or for a token stored before that
/// was recorded, when the instance was submitted.
pub(crate) fn entered_at(inst: &Instance, t: &Token) -> DateTime<Utc> {
    t.entered_at.or(inst.started_at).unwrap_or(inst.created_at)
}

/// Writes `inst` over `old` (the record stored now, `None` when there is none) and brings its
/// indexes in line with it.
fn write_instance(tx: &mut dyn WriteTxn, old: Option<&Instance>, inst: &Arc<Instance>) -> OaResult<()> {
    let before = old.map(instance_index).unwrap_or_default();
    let after = instance_index(inst);
    for k in before.difference(&after) {
        tx.delete(k)?;
    }
    for k in after.difference(&before) {
        tx.put(k, &[])?;
    }
    let key = keys::instance(inst.id);
    let raw = codec::encode(&**inst)?;
    tx.put(key.as_bytes(), &raw)?;
    INSTANCES.remember(key.as_bytes(), &raw, Arc::clone(inst))
}

/// Removes a draft and its indexes.
fn remove_instance(tx: &mut dyn WriteTxn, inst: &Instance) -> OaResult<()> {
    for k in instance_index(inst) {
        tx.delete(&k)?;
    }
    tx.delete(keys::instance(inst.id).as_bytes())?;
    Ok(())
}

/// Which badge a task counts in. A task its assignee delegated (委派) waits for someone else
/// and counts for nobody; the delegate's task counts for the delegate.
fn badge_of(t: &Task) -> (u64, u64) {
    match (t.kind, t.status) {
        (TaskKind::Approve | TaskKind::Resubmit, TaskStatus::Pending) => (1, 0),
        (TaskKind::Cc, TaskStatus::Pending) => (0, 1),
        _ => (0, 0),
    }
}

/// Whether a task counts as done by its assignee (已办).
fn is_done(t: &Task) -> bool {
    !t.auto
        && t.kind != TaskKind::Cc
        && matches!(
            t.status,
            TaskStatus::Approved
                | TaskStatus::Rejected
                | TaskStatus::Returned
                | TaskStatus::Transferred
                | TaskStatus::Resolved
        )
}

/// The index keys of a task.
fn task_index(t: &Task) -> BTreeSet<Vec<u8>> {
    let mut out = BTreeSet::new();
    out.insert(keys::instance_task(t.instance, t.id).into_bytes());
    match t.kind {
        TaskKind::Cc => {
            out.insert(keys::cc(t.assignee).time(t.created_at).id(t.id.0).into_bytes());
            if t.status == TaskStatus::Pending {
                out.insert(keys::cc_unread(t.assignee).time(t.created_at).id(t.id.0).into_bytes());
            }
        }
        TaskKind::Approve | TaskKind::Resubmit => {
            // A task its assignee delegated (委派) stays in their todo list, marked delegated,
            // so that they find it to take it back; its deadline keeps running.
            if matches!(t.status, TaskStatus::Pending | TaskStatus::Delegated) {
                out.insert(keys::todo(t.assignee).time(t.created_at).id(t.id.0).into_bytes());
                if let Some(due) = t.due_at {
                    out.insert(keys::due(due, t.id).into_bytes());
                }
                if let (TaskKind::Approve, Some(deadline)) = (t.kind, t.deadline_at) {
                    out.insert(keys::deadline(deadline, t.id).into_bytes());
                    out.insert(keys::process_deadline(&t.process_key, deadline, t.id).into_bytes());
                }
            }
        }
    }
    if let (true, Some(at)) = (is_done(t), t.acted_at) {
        out.insert(keys::done(t.assignee).time(at).id(t.id.0).into_bytes());
    }
    if let Some(owner) = t.on_behalf_of {
        out.insert(keys::on_behalf(owner).time(t.created_at).id(t.id.0).into_bytes());
    }
    out
}

/// The key of `t` in the time-per-node index: an approval task someone acted on (its
/// assignee, its deadline or an administrator), but not one approved automatically when it was
/// created, which took no one any time.
fn task_time_key(t: &Task) -> Option<Vec<u8>> {
    let acted = t.acted_at?;
    let closed = matches!(
        t.status,
        TaskStatus::Approved | TaskStatus::Rejected | TaskStatus::Returned | TaskStatus::Transferred
    );
    let at_creation = t.auto && t.status == TaskStatus::Approved && acted == t.created_at;
    (t.kind == TaskKind::Approve && closed && !at_creation)
        .then(|| keys::task_time(&t.process_key, acted, t.id).into_bytes())
}

/// Writes `task` over `old` (the record stored now, `None` when there is none), brings its
/// indexes in line with it and keeps its assignee's badges right.
fn write_task(tx: &mut dyn WriteTxn, old: Option<&Task>, task: &Arc<Task>) -> OaResult<()> {
    let before = old.map(task_index).unwrap_or_default();
    let after = task_index(task);
    for k in before.difference(&after) {
        tx.delete(k)?;
    }
    for k in after.difference(&before) {
        tx.put(k, &[])?;
    }
    let (was_timed, is_timed) = (old.and_then(task_time_key), task_time_key(task));
    if was_timed != is_timed {
        if let Some(k) = was_timed {
            tx.delete(&k)?;
        }
        if let Some(k) = is_timed {
            let time = TaskTime::of(tx.as_read(), task)?;
            db::put(tx, &k, &time)?;
        }
    }
    if let Some(o) = old {
        if o.assignee != task.assignee {
            return Err(OaError::Internal("a task's assignee never changes; a transfer makes a new task".into()));
        }
    }
    let (was_todo, was_cc) = old.map(badge_of).unwrap_or((0, 0));
    let (is_todo, is_cc) = badge_of(task);
    if (was_todo, was_cc) != (is_todo, is_cc) {
        let key = keys::badge(task.assignee);
        let mut b: BadgeCounts = db::get(tx.as_read(), key.as_bytes())?.unwrap_or_default();
        b.todo = (b.todo + is_todo).saturating_sub(was_todo);
        b.cc_unread = (b.cc_unread + is_cc).saturating_sub(was_cc);
        db::put(tx, key.as_bytes(), &b)?;
    }
    let key = keys::task(task.id);
    let raw = codec::encode(&**task)?;
    tx.put(key.as_bytes(), &raw)?;
    TASKS.remember(key.as_bytes(), &raw, Arc::clone(task))
}

/// Writes `task` outside any [`Memo`], for tests that set up a state no operation makes.
#[cfg(test)]
pub(crate) fn save_task(tx: &mut dyn WriteTxn, task: &Task) -> OaResult<()> {
    let old = load_task(tx.as_read(), task.id)?;
    write_task(tx, old.as_ref(), &Arc::new(task.clone()))
}

/// The tasks and instances one transaction has read and written, each exactly as stored in
/// that transaction now, so that it reads each record once: the tasks of an instance are
/// scanned and decoded on the first look and kept, and a write finds the record it replaces
/// (to diff the index keys) here instead of reading it again.
///
/// It stays exact because its methods are the only way to write a task or an instance: the
/// writing functions of this module are private to it. A transaction has one memo, held by
/// [`super::flow::Rt`]; a second one over the same transaction would miss the first one's
/// writes.
#[derive(Debug)]
pub(crate) struct Memo {
    /// Every task read or written, as stored now.
    tasks: BTreeMap<TaskId, Arc<Task>>,
    /// The instances every one of whose tasks is in `tasks`.
    complete: Vec<InstanceId>,
    /// Every instance read or written, as stored now (`None`: known not to be stored).
    instances: Vec<(InstanceId, Option<Arc<Instance>>)>,
}

impl Memo {
    /// An empty memo, for a new transaction.
    pub(super) fn new() -> Memo {
        Memo { tasks: BTreeMap::new(), complete: Vec::new(), instances: Vec::new() }
    }

    /// Task `id`, if it exists.
    pub(crate) fn load_task(&mut self, tx: &mut dyn ReadTxn, id: TaskId) -> OaResult<Option<Task>> {
        if let Some(t) = self.tasks.get(&id) {
            return Ok(Some(Task::clone(t)));
        }
        let t = cached_task(tx, id)?;
        if let Some(t) = &t {
            self.tasks.insert(id, Arc::clone(t));
        }
        Ok(t.map(Arc::unwrap_or_clone))
    }

    /// Every task of instance `id`, oldest first (in the order of their ids, as their index
    /// lists them).
    pub(crate) fn instance_tasks(
        &mut self,
        tx: &mut dyn ReadTxn,
        id: InstanceId,
    ) -> OaResult<impl Iterator<Item = &Task> + '_> {
        self.read_instance_tasks(tx, id)?;
        Ok(self.tasks.values().map(|t| &**t).filter(move |t| t.instance == id))
    }

    /// Reads every task of instance `id` into the memo, unless it holds them already.
    fn read_instance_tasks(&mut self, tx: &mut dyn ReadTxn, id: InstanceId) -> OaResult<()> {
        if !self.complete.contains(&id) {
            let prefix = keys::instance_tasks(id);
            for (k, _) in tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)? {
                let tid = trailing_id(&k)
                    .map(TaskId)
                    .ok_or_else(|| OaError::Internal("malformed instance-task entry".into()))?;
                if let std::collections::btree_map::Entry::Vacant(v) = self.tasks.entry(tid) {
                    v.insert(cached_task(tx, tid)?.ok_or_else(|| OaError::not_found("task", tid))?);
                }
            }
            self.complete.push(id);
        }
        #[cfg(debug_assertions)]
        {
            let stored = instance_tasks(tx, id)?;
            if !stored.iter().eq(self.tasks.values().map(|t| &**t).filter(|t| t.instance == id)) {
                return Err(OaError::Internal(format!("the memo of the tasks of `{id}` differs from the store")));
            }
        }
        Ok(())
    }

    /// The tasks of instance `id` for which `keep` holds, oldest first, as the memo holds them.
    pub(crate) fn instance_tasks_where(
        &mut self,
        tx: &mut dyn ReadTxn,
        id: InstanceId,
        keep: impl Fn(&Task) -> bool,
    ) -> OaResult<Vec<Arc<Task>>> {
        self.read_instance_tasks(tx, id)?;
        Ok(self.tasks.values().filter(|t| t.instance == id && keep(t)).cloned().collect())
    }

    /// Writes `task` with its indexes and badge counts.
    pub(crate) fn save_task(&mut self, tx: &mut dyn WriteTxn, task: &Task) -> OaResult<()> {
        let read;
        let old = match self.tasks.get(&task.id) {
            Some(t) => Some(&**t),
            // Every task of the instance is here: this one is new.
            None if self.complete.contains(&task.instance) => None,
            None => {
                read = cached_task(tx.as_read(), task.id)?;
                read.as_deref()
            }
        };
        #[cfg(debug_assertions)]
        if old != load_task(tx.as_read(), task.id)?.as_ref() {
            return Err(OaError::Internal(format!("the memo of task `{}` differs from the store", task.id)));
        }
        let task = Arc::new(task.clone());
        write_task(tx, old, &task)?;
        self.tasks.insert(task.id, task);
        Ok(())
    }

    /// Instance `id`, or `not_found`.
    pub(crate) fn require_instance(&mut self, tx: &mut dyn ReadTxn, id: InstanceId) -> OaResult<Instance> {
        if let Some((_, known)) = self.instances.iter().find(|(i, _)| *i == id) {
            return known.as_deref().cloned().ok_or_else(|| OaError::not_found("instance", id));
        }
        let inst = cached_instance(tx, id)?;
        self.instances.push((id, inst.clone()));
        inst.map(Arc::unwrap_or_clone).ok_or_else(|| OaError::not_found("instance", id))
    }

    /// Records that instance `id`, whose id was just made, is not stored and has no tasks.
    pub(crate) fn fresh_instance(&mut self, id: InstanceId) {
        self.instances.retain(|(i, _)| *i != id);
        self.instances.push((id, None));
        if !self.complete.contains(&id) {
            self.complete.push(id);
        }
    }

    /// Writes `inst` and brings its indexes in line with it.
    pub(crate) fn save_instance(&mut self, tx: &mut dyn WriteTxn, inst: &Instance) -> OaResult<()> {
        let at = match self.instances.iter().position(|(i, _)| *i == inst.id) {
            Some(at) => at,
            None => {
                self.instances.push((inst.id, cached_instance(tx.as_read(), inst.id)?));
                self.instances.len() - 1
            }
        };
        #[cfg(debug_assertions)]
        if self.instances[at].1.as_deref() != load_instance(tx.as_read(), inst.id)?.as_ref() {
            return Err(OaError::Internal(format!("the memo of instance `{}` differs from the store", inst.id)));
        }
        let inst = Arc::new(inst.clone());
        write_instance(tx, self.instances[at].1.as_deref(), &inst)?;
        self.instances[at].1 = Some(inst);
        Ok(())
    }

    /// Removes draft `inst` (as stored) and its indexes.
    pub(crate) fn delete_instance(&mut self, tx: &mut dyn WriteTxn, inst: &Instance) -> OaResult<()> {
        remove_instance(tx, inst)?;
        self.instances.retain(|(i, _)| *i != inst.id);
        self.instances.push((inst.id, None));
        Ok(())
    }
}

/// The badge counts of `person`.
pub(crate) fn badge_counts(tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<BadgeCounts> {
    Ok(db::get(tx, keys::badge(person).as_bytes())?.unwrap_or_default())
}

/// The range of an index `prefix/<instant>/<id>` between `from` and `to` (both included).
pub(crate) fn time_range(prefix: KeyBuf, from: Option<DateTime<Utc>>, to: Option<DateTime<Utc>>) -> KeyRange {
    let mut range = KeyRange::prefix(prefix.as_bytes());
    if let Some(f) = from {
        range.start = std::ops::Bound::Included(prefix.clone().time(f).into_bytes());
    }
    if let Some(t) = to {
        range.end = std::ops::Bound::Excluded(prefix.i64(t.timestamp_micros().saturating_add(1)).into_bytes());
    }
    range
}

/// The instances linked to business key `key`, oldest first.
pub(crate) fn instances_of_business(tx: &mut dyn ReadTxn, key: &str) -> OaResult<Vec<InstanceId>> {
    let entries = tx.scan(&KeyRange::prefix(keys::businesses(key).as_bytes()), Direction::Forward, usize::MAX)?;
    Ok(entries.iter().filter_map(|(k, _)| trailing_id(k).map(InstanceId)).collect())
}

/// Delegation `id`, if it exists.
pub(crate) fn load_delegation(tx: &mut dyn ReadTxn, id: DelegationId) -> OaResult<Option<Delegation>> {
    db::get(tx, keys::delegation(id).as_bytes())
}

/// The index keys of a delegation.
fn delegation_index(d: &Delegation) -> BTreeSet<Vec<u8>> {
    let mut out = BTreeSet::new();
    out.insert(keys::delegations_of(d.owner).id(d.id.0).into_bytes());
    out.insert(keys::delegations_to(d.delegate).id(d.id.0).into_bytes());
    if d.cancelled_at.is_none() {
        out.insert(keys::live_delegations(d.owner).time(d.ends_at).id(d.id.0).into_bytes());
    }
    out
}

/// Writes `d` and brings its indexes in line with it.
pub(crate) fn save_delegation(tx: &mut dyn WriteTxn, d: &Delegation) -> OaResult<()> {
    let old = load_delegation(tx.as_read(), d.id)?;
    let before = old.as_ref().map(delegation_index).unwrap_or_default();
    let after = delegation_index(d);
    for k in before.difference(&after) {
        tx.delete(k)?;
    }
    for k in after.difference(&before) {
        tx.put(k, &[])?;
    }
    db::put(tx, keys::delegation(d.id).as_bytes(), d)
}

/// The delegations of `owner` not cancelled that end after `after`, soonest end first: those
/// running at `after` and those to come. The index is ordered by end, so past ones are not read.
pub(crate) fn live_delegations(
    tx: &mut dyn ReadTxn,
    owner: PersonId,
    after: DateTime<Utc>,
) -> OaResult<Vec<Delegation>> {
    let prefix = keys::live_delegations(owner);
    let mut range = KeyRange::prefix(prefix.as_bytes());
    range.start = std::ops::Bound::Included(prefix.i64(after.timestamp_micros().saturating_add(1)).into_bytes());
    let entries = tx.scan(&range, Direction::Forward, usize::MAX)?;
    let mut out = Vec::with_capacity(entries.len());
    for (k, _) in entries {
        let id =
            trailing_id(&k).map(DelegationId).ok_or_else(|| OaError::Internal("malformed delegation entry".into()))?;
        if let Some(d) = load_delegation(tx, id)? {
            out.push(d);
        }
    }
    Ok(out)
}
