//! The records of standing delegations (委托) and of business types (业务类型) with their
//! event feed, as frozen Python classes.
//!
//! As in `records.rs`, ids are `str`, instants aware `datetime`s in UTC, business days
//! `datetime.date`, and the words of the core's enums plain `str`.

use chrono::{DateTime, NaiveDate, Utc};
use pyo3::prelude::*;

use oa::workflow::runtime as core;

use crate::convert::{self, word_of};
use crate::records::Repr;

/// A standing delegation (委托): while `owner` is away, from `first_day` to `last_day` (both
/// included, in the office's time zone; `starts_at` to `ends_at` as instants, `ends_at` not
/// included), the approval tasks meant for them, of `process_key` or of every process when it
/// is `None`, go to `delegate`.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Delegation {
    pub id: String,
    pub owner: String,
    pub delegate: String,
    pub process_key: Option<String>,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub cancelled_at: Option<DateTime<Utc>>,
    pub cancelled_by: Option<String>,
}

impl From<core::Delegation> for Delegation {
    fn from(d: core::Delegation) -> Self {
        Delegation {
            id: d.id.to_string(),
            owner: d.owner.to_string(),
            delegate: d.delegate.to_string(),
            process_key: d.process_key,
            first_day: d.first_day,
            last_day: d.last_day,
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            reason: d.reason,
            created_at: d.created_at,
            created_by: d.created_by.to_string(),
            cancelled_at: d.cancelled_at,
            cancelled_by: d.cancelled_by.map(|p| p.to_string()),
        }
    }
}

#[pymethods]
impl Delegation {
    /// Whether it sends tasks on at `at` (an aware datetime): not cancelled, and `at` within
    /// its period. The rule is the core's, asked without a call into the office.
    fn is_active_at(&self, py: Python<'_>, at: &Bound<'_, PyAny>) -> PyResult<bool> {
        let at = convert::instant(py, "at", at)?;
        Ok(self.cancelled_at.is_none() && self.starts_at <= at && at < self.ends_at)
    }

    /// Whether it covers the tasks of process `process_key`.
    fn covers(&self, process_key: &str) -> bool {
        self.process_key.as_deref().is_none_or(|k| k == process_key)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Delegation")
            .str("id", &self.id)
            .str("owner", &self.owner)
            .str("delegate", &self.delegate)
            .opt("process_key", &self.process_key)
            .any("first_day", self.first_day)
            .any("last_day", self.last_day)
            .any("cancelled", self.cancelled_at.is_some())
            .finish()
    }
}

/// A business type (业务类型): instances may carry business keys `prefix:…`, and how each
/// ended is appended to its feed (`business_events`); `last_seq` is the latest event's number.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BusinessType {
    pub prefix: String,
    pub description: String,
    pub declared_by: String,
    pub declared_at: DateTime<Utc>,
    pub last_seq: u64,
}

impl From<core::BusinessType> for BusinessType {
    fn from(t: core::BusinessType) -> Self {
        BusinessType {
            prefix: t.prefix,
            description: t.description,
            declared_by: t.declared_by.to_string(),
            declared_at: t.declared_at,
            last_seq: t.last_seq,
        }
    }
}

#[pymethods]
impl BusinessType {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "BusinessType")
            .str("prefix", &self.prefix)
            .str("description", &self.description)
            .any("last_seq", self.last_seq)
            .finish()
    }
}

/// How one instance with a business key ended, as its type's feed tells it: `seq` numbers the
/// events of a type from 1 without gaps; `outcome` is the instance's final status
/// (`"approved"`, `"rejected"`, `"withdrawn"` or `"terminated"`).
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BusinessEvent {
    pub seq: u64,
    pub business_key: String,
    pub instance: String,
    pub process_key: String,
    pub outcome: String,
    pub number: Option<String>,
    pub initiator: String,
    pub initiator_dept: String,
    pub at: DateTime<Utc>,
}

impl From<core::BusinessEvent> for BusinessEvent {
    fn from(e: core::BusinessEvent) -> Self {
        BusinessEvent {
            seq: e.seq,
            business_key: e.business_key,
            instance: e.instance.to_string(),
            process_key: e.process_key,
            outcome: word_of(&e.outcome),
            number: e.number,
            initiator: e.initiator.to_string(),
            initiator_dept: e.initiator_dept.to_string(),
            at: e.at,
        }
    }
}

#[pymethods]
impl BusinessEvent {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "BusinessEvent")
            .any("seq", self.seq)
            .str("business_key", &self.business_key)
            .str("instance", &self.instance)
            .str("outcome", &self.outcome)
            .finish()
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Delegation>()?;
    m.add_class::<BusinessType>()?;
    m.add_class::<BusinessEvent>()?;
    Ok(())
}
