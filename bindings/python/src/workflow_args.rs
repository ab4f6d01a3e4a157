//! Python arguments to the core's inputs for the workflow's monitoring, migration, delegation
//! and business-type operations (the methods themselves are in `office.rs`, since pyo3 allows
//! one `#[pymethods]` block per class). Each failure names the argument as the caller wrote it.

use pyo3::prelude::*;

use oa::workflow::runtime::{DelegationId, NewDelegation};
use oa::PageRequest;

use crate::convert;
use crate::errors;

/// A page request from the keyword arguments `cursor` and `limit` (0 for the core's default).
pub(crate) fn page(py: Python<'_>, cursor: Option<String>, limit: i64) -> PyResult<PageRequest> {
    Ok(PageRequest { cursor, limit: convert::unsigned(py, "limit", limit)? })
}

pub(crate) fn delegation_id(py: Python<'_>, field: &str, text: &str) -> PyResult<DelegationId> {
    DelegationId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

/// The input of `create_delegation`: ids checked here, business days as `datetime.date`
/// (a `datetime` is refused: its time of day would be dropped); the rest is the core's to judge.
pub(crate) fn new_delegation(
    py: Python<'_>,
    delegate: &str,
    first_day: &Bound<'_, PyAny>,
    last_day: &Bound<'_, PyAny>,
    process_key: Option<String>,
    reason: String,
    owner: Option<&str>,
) -> PyResult<NewDelegation> {
    Ok(NewDelegation {
        owner: convert::opt_person_id(py, "owner", owner)?,
        delegate: convert::person_id(py, "delegate", delegate)?,
        process_key,
        first_day: convert::date("first_day", first_day)?,
        last_day: convert::date("last_day", last_day)?,
        reason,
    })
}
