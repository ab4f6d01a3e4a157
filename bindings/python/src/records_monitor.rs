//! The records of process monitoring (过程监控) and version migration (版本迁移), as frozen
//! Python classes: where running instances wait and for how long, overdue tasks, stuck
//! instances, time per node, and what a migration of a whole version did.
//!
//! As in `records.rs`, ids are `str`, instants aware `datetime`s in UTC, and the words of the
//! core's enums (`StuckReason`, error codes) plain `str`. Durations stay the whole seconds and
//! working minutes the core counts, so no rounding happens on the way.

use chrono::{DateTime, Utc};
use pyo3::prelude::*;

use oa::workflow::runtime as core;

use crate::convert::word_of;
use crate::errors::FieldError;
use crate::records::{Repr, Task};

fn ids<T: ToString>(v: &[T]) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

/// How many running instances wait at one node of a process (流程监控).
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NodeCount {
    pub node: String,
    pub waiting: u64,
    pub oldest_entered_at: DateTime<Utc>,
}

impl From<core::NodeCount> for NodeCount {
    fn from(c: core::NodeCount) -> Self {
        NodeCount { node: c.node, waiting: c.waiting, oldest_entered_at: c.oldest_entered_at }
    }
}

#[pymethods]
impl NodeCount {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "NodeCount")
            .str("node", &self.node)
            .any("waiting", self.waiting)
            .any("oldest_entered_at", self.oldest_entered_at)
            .finish()
    }
}

/// A running instance waiting at a node, with how long it has waited: elapsed seconds and
/// working minutes by the office's calendar.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NodeWait {
    pub instance: String,
    pub title: String,
    pub process_version: u32,
    pub initiator: String,
    pub node: String,
    pub entered_at: DateTime<Utc>,
    pub waited_seconds: u64,
    pub waited_working_minutes: u64,
    pub assignees: Vec<String>,
}

impl From<core::NodeWait> for NodeWait {
    fn from(w: core::NodeWait) -> Self {
        NodeWait {
            instance: w.instance.to_string(),
            title: w.title,
            process_version: w.process_version,
            initiator: w.initiator.to_string(),
            node: w.node,
            entered_at: w.entered_at,
            waited_seconds: w.waited_seconds,
            waited_working_minutes: w.waited_working_minutes,
            assignees: ids(&w.assignees),
        }
    }
}

#[pymethods]
impl NodeWait {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "NodeWait")
            .str("instance", &self.instance)
            .str("node", &self.node)
            .str("title", &self.title)
            .any("waited_seconds", self.waited_seconds)
            .any("assignees", self.assignees.clone())
            .finish()
    }
}

/// A pending approval task past its deadline (超时); `task.deadline_at` is the deadline that
/// passed.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct OverdueTask {
    pub task: Task,
    pub overdue_seconds: u64,
    pub overdue_working_minutes: u64,
}

impl From<core::OverdueTask> for OverdueTask {
    fn from(o: core::OverdueTask) -> Self {
        OverdueTask {
            task: o.task.into(),
            overdue_seconds: o.overdue_seconds,
            overdue_working_minutes: o.overdue_working_minutes,
        }
    }
}

#[pymethods]
impl OverdueTask {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "OverdueTask")
            .str("task", &self.task.id)
            .str("node", &self.task.node)
            .str("assignee", &self.task.assignee)
            .any("overdue_seconds", self.overdue_seconds)
            .finish()
    }
}

/// A running instance waiting where nobody can act (卡住的流程), or that will stop when the turn
/// of someone who left comes. `reason` is `"no_pending_task"`, `"no_active_assignee"` (then
/// `assignees` lists the inactive people holding its tasks) or `"inactive_in_queue"` (then
/// `assignees` lists the inactive people waiting for their turn: `reassign_turn` replaces them).
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct StuckInstance {
    pub instance: String,
    pub title: String,
    pub process_key: String,
    pub process_version: u32,
    pub initiator: String,
    pub node: String,
    pub entered_at: DateTime<Utc>,
    pub reason: String,
    pub assignees: Vec<String>,
}

impl From<core::StuckInstance> for StuckInstance {
    fn from(s: core::StuckInstance) -> Self {
        StuckInstance {
            instance: s.instance.to_string(),
            title: s.title,
            process_key: s.process_key,
            process_version: s.process_version,
            initiator: s.initiator.to_string(),
            node: s.node,
            entered_at: s.entered_at,
            reason: word_of(&s.reason),
            assignees: ids(&s.assignees),
        }
    }
}

#[pymethods]
impl StuckInstance {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "StuckInstance")
            .str("instance", &self.instance)
            .str("node", &self.node)
            .str("reason", &self.reason)
            .any("assignees", self.assignees.clone())
            .finish()
    }
}

/// How long the approval tasks of one node took over a period: how many, and the mean and
/// 90th percentile (nearest rank) from creation to action, in seconds and in working minutes.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct NodeTime {
    pub node: String,
    pub node_name: String,
    pub completed: u64,
    pub avg_seconds: u64,
    pub p90_seconds: u64,
    pub avg_working_minutes: u64,
    pub p90_working_minutes: u64,
}

impl From<core::NodeTime> for NodeTime {
    fn from(t: core::NodeTime) -> Self {
        NodeTime {
            node: t.node,
            node_name: t.node_name,
            completed: t.completed,
            avg_seconds: t.avg_seconds,
            p90_seconds: t.p90_seconds,
            avg_working_minutes: t.avg_working_minutes,
            p90_working_minutes: t.p90_working_minutes,
        }
    }
}

#[pymethods]
impl NodeTime {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "NodeTime")
            .str("node", &self.node)
            .any("completed", self.completed)
            .any("avg_seconds", self.avg_seconds)
            .any("p90_seconds", self.p90_seconds)
            .finish()
    }
}

/// An instance a migration left on its version: `code` is the error code that refused it
/// (`"validation"`, `"invalid_state"`, `"permission_denied"`…), `reason` the message, and
/// `fields` the failing paths of a validation refusal (`nodes[<node>]`, `data.<field>`).
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct MigrationRefusal {
    pub instance: String,
    pub code: String,
    pub reason: String,
    pub fields: Vec<FieldError>,
}

impl From<core::MigrationRefusal> for MigrationRefusal {
    fn from(r: core::MigrationRefusal) -> Self {
        MigrationRefusal {
            instance: r.instance.to_string(),
            code: r.code,
            reason: r.reason,
            fields: r.fields.into_iter().map(|f| FieldError { path: f.path, reason: f.reason }).collect(),
        }
    }
}

#[pymethods]
impl MigrationRefusal {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "MigrationRefusal")
            .str("instance", &self.instance)
            .str("code", &self.code)
            .any("fields", self.fields.iter().map(|f| f.to_string()).collect::<Vec<_>>())
            .finish()
    }
}

/// What `migrate_instances` did: the instances it moved, and those it refused with why.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct MigrationReport {
    pub migrated: Vec<String>,
    pub refused: Vec<MigrationRefusal>,
}

impl From<core::MigrationReport> for MigrationReport {
    fn from(r: core::MigrationReport) -> Self {
        MigrationReport { migrated: ids(&r.migrated), refused: r.refused.into_iter().map(Into::into).collect() }
    }
}

#[pymethods]
impl MigrationReport {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "MigrationReport")
            .any("migrated", self.migrated.clone())
            .any("refused", self.refused.iter().map(|r| r.instance.clone()).collect::<Vec<_>>())
            .finish()
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NodeCount>()?;
    m.add_class::<NodeWait>()?;
    m.add_class::<OverdueTask>()?;
    m.add_class::<StuckInstance>()?;
    m.add_class::<NodeTime>()?;
    m.add_class::<MigrationRefusal>()?;
    m.add_class::<MigrationReport>()?;
    Ok(())
}
