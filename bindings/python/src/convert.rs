//! Python values to the core's input types. A value of the wrong Python type is a `TypeError`
//! naming the argument (as pyo3 raises for the arguments it converts itself); a value of the
//! right type that cannot be what the field needs is an `oa.ValidationError` naming the field.

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDate, PyDateTime, PyInt, PyString, PyTzInfoAccess};
use serde::de::DeserializeOwned;
use serde::Serialize;

use oa::admin::params::ParamValue;
use oa::{DeptId, Id, OaResult, PersonId};

use crate::errors;

/// Runs `f` (a call into the core) without holding the interpreter, so other Python threads run
/// meanwhile; maps its error to the Python exception, and a panic to `oa.InternalError`.
pub(crate) fn call<T: Send>(py: Python<'_>, f: impl FnOnce() -> OaResult<T> + Send) -> PyResult<T> {
    match py.detach(move || catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(errors::to_py(py, e)),
        Err(panic) => Err(errors::from_panic(py, panic)),
    }
}

pub(crate) fn person_id(py: Python<'_>, field: &str, text: &str) -> PyResult<PersonId> {
    PersonId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

pub(crate) fn dept_id(py: Python<'_>, field: &str, text: &str) -> PyResult<DeptId> {
    DeptId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

pub(crate) fn opt_person_id(py: Python<'_>, field: &str, text: Option<&str>) -> PyResult<Option<PersonId>> {
    text.map(|t| person_id(py, field, t)).transpose()
}

pub(crate) fn opt_dept_id(py: Python<'_>, field: &str, text: Option<&str>) -> PyResult<Option<DeptId>> {
    text.map(|t| dept_id(py, field, t)).transpose()
}

pub(crate) fn grant_id(py: Python<'_>, field: &str, text: &str) -> PyResult<oa::perm::GrantId> {
    oa::perm::GrantId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

/// An untyped id (a session's).
pub(crate) fn id(py: Python<'_>, field: &str, what: &str, text: &str) -> PyResult<Id> {
    text.trim().parse::<Id>().map_err(|_| errors::invalid(py, field, format!("`{text}` is not a {what} id")))
}

/// A whole number that must fit the core's unsigned type (a page limit, a level, a sequence
/// number); a negative or oversized one is a validation error naming `field`.
pub(crate) fn unsigned<T: TryFrom<i64>>(py: Python<'_>, field: &str, n: i64) -> PyResult<T> {
    T::try_from(n).map_err(|_| {
        if n < 0 {
            errors::invalid(py, field, format!("must not be negative, got {n}"))
        } else {
            errors::invalid(py, field, format!("is too large, got {n}"))
        }
    })
}

/// An instant: an aware `datetime` (any offset; converted to UTC). A naive one is refused
/// because it does not say which instant it means.
pub(crate) fn instant(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let dt = value.cast::<PyDateTime>().map_err(|_| {
        PyTypeError::new_err(format!(
            "argument `{field}` must be an aware datetime, got `{}`",
            type_name(value)
        ))
    })?;
    if dt.get_tzinfo().is_none() || dt.call_method0("utcoffset")?.is_none() {
        return Err(errors::invalid(
            py,
            field,
            "must be an aware datetime (with a tzinfo, e.g. `datetime.timezone.utc`), got a naive one",
        ));
    }
    let utc = py.import("datetime")?.getattr("timezone")?.getattr("utc")?;
    dt.call_method1("astimezone", (utc,))?.extract::<DateTime<Utc>>()
}

pub(crate) fn opt_instant(py: Python<'_>, field: &str, value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DateTime<Utc>>> {
    match value {
        Some(v) if !v.is_none() => instant(py, field, v).map(Some),
        _ => Ok(None),
    }
}

/// A business date: a `datetime.date` (a `datetime`, which is also a `date` in Python, is refused:
/// its time of day would be dropped silently).
pub(crate) fn date(field: &str, value: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
    if value.cast::<PyDateTime>().is_ok() || value.cast::<PyDate>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "argument `{field}` must be a date, got `{}`",
            type_name(value)
        )));
    }
    value.extract::<NaiveDate>()
}

/// A list of dates; an item of the wrong type is named by its index.
pub(crate) fn dates(field: &str, values: Vec<Bound<'_, PyAny>>) -> PyResult<Vec<NaiveDate>> {
    values.iter().enumerate().map(|(i, v)| date(&format!("{field}[{i}]"), v)).collect()
}

/// A weekday numbered as `date.weekday()` numbers it: 0 for Monday to 6 for Sunday.
pub(crate) fn weekday(py: Python<'_>, field: &str, n: i64) -> PyResult<Weekday> {
    u8::try_from(n)
        .ok()
        .and_then(|n| Weekday::try_from(n).ok())
        .ok_or_else(|| errors::invalid(py, field, format!("must be a weekday from 0 (Monday) to 6 (Sunday), got {n}")))
}

/// A whole number that must fit the core's type (a year); one that cannot is a validation
/// error naming `field`.
pub(crate) fn fit<T: TryFrom<i64>>(py: Python<'_>, field: &str, n: i64) -> PyResult<T> {
    T::try_from(n).map_err(|_| errors::invalid(py, field, format!("is out of range, got {n}")))
}

/// The contents of a file given as `bytes` (or `bytearray`) or `str` (written as UTF-8).
pub(crate) fn file_bytes(field: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<pyo3::types::PyByteArray>() {
        return Ok(b.to_vec());
    }
    Err(PyTypeError::new_err(format!("argument `{field}` must be bytes or str, got `{}`", type_name(value))))
}

/// A parameter's value: `bool`, `int` or `str` (which one a parameter takes is the core's rule).
pub(crate) fn param_value(value: &Bound<'_, PyAny>) -> PyResult<ParamValue> {
    // `bool` first: in Python it is also an `int`.
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(ParamValue::Bool(b.is_true()));
    }
    if value.cast::<PyInt>().is_ok() {
        return Ok(ParamValue::Int(value.extract::<i64>()?));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(ParamValue::Text(s.to_cow()?.into_owned()));
    }
    Err(PyTypeError::new_err(format!("argument `value` must be bool, int or str, got `{}`", type_name(value))))
}

/// A word of one of the core's enums (`active`, `own_dept`...), read the way the core's serde
/// names it, so the words are the same in every frontend.
pub(crate) fn word<T: DeserializeOwned>(py: Python<'_>, field: &str, text: &str) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|e| errors::invalid(py, field, e.to_string()))
}

/// The word of one of the core's enums, as its serde names it.
pub(crate) fn word_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub(crate) fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}
