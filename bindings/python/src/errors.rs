//! The exceptions: one base class, `oa.OaError`, and a subclass per stable error code of the
//! core. Every raised exception carries `.code` and `.message`; some carry more (the failing
//! fields of a validation error, the permission that was missing, the instant a lock ends).

use std::any::Any;

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

use oa::OaError as CoreError;

create_exception!(
    oa,
    OaError,
    PyException,
    "The base of every error of oa; `.code` is the stable machine-readable code."
);
create_exception!(oa, ValidationError, OaError, "The input was refused; `.fields` lists every failing field.");
create_exception!(oa, NotFoundError, OaError, "No such record; `.kind` says what was looked for, `.id` which.");
create_exception!(
    oa,
    PermissionDeniedError,
    OaError,
    "The actor lacks `.permission`, or the target lies outside their data scope (`.reason`)."
);
create_exception!(oa, InvalidStateError, OaError, "The record is not in a state that allows the operation.");
create_exception!(
    oa,
    UnauthenticatedError,
    OaError,
    "The session is missing, expired or revoked, or the credentials are wrong."
);
create_exception!(oa, AccountLockedError, OaError, "Too many failed sign-ins; `.until` says when the lock ends.");
create_exception!(
    oa,
    PasswordChangeRequiredError,
    OaError,
    "The person must change their password before doing anything else."
);
create_exception!(oa, ConflictError, OaError, "Concurrent changes kept conflicting; nothing was written.");
create_exception!(
    oa,
    IncompatibleStoreError,
    OaError,
    "The folder is not an oa office, is in use by another process, or was written by a newer oa."
);
create_exception!(oa, StorageError, OaError, "The storage layer failed.");
create_exception!(oa, ClosedError, OaError, "The office was closed.");
create_exception!(oa, InternalError, OaError, "A broken invariant inside oa: a bug to report.");

/// One failing field of a validation error.
#[pyclass(module = "oa", frozen, get_all, eq, hash, str)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct FieldError {
    /// Where the field is: `login`, `rows[3].email`, `people.csv:12.email`.
    pub path: String,
    /// Why it was refused.
    pub reason: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

#[pymethods]
impl FieldError {
    fn __repr__(&self, py: Python<'_>) -> String {
        crate::records::Repr::new(py, "FieldError").str("path", &self.path).str("reason", &self.reason).finish()
    }
}

/// Gives the type object of one exception class.
type ClassOf = fn(Python<'_>) -> Bound<'_, pyo3::types::PyType>;

/// Pairs every exception class with the code it stands for.
const CLASSES: &[(&str, ClassOf)] = &[
    ("validation", |py| py.get_type::<ValidationError>()),
    ("not_found", |py| py.get_type::<NotFoundError>()),
    ("permission_denied", |py| py.get_type::<PermissionDeniedError>()),
    ("invalid_state", |py| py.get_type::<InvalidStateError>()),
    ("unauthenticated", |py| py.get_type::<UnauthenticatedError>()),
    ("account_locked", |py| py.get_type::<AccountLockedError>()),
    ("password_change_required", |py| py.get_type::<PasswordChangeRequiredError>()),
    ("conflict", |py| py.get_type::<ConflictError>()),
    ("incompatible_store", |py| py.get_type::<IncompatibleStoreError>()),
    ("storage", |py| py.get_type::<StorageError>()),
    ("closed", |py| py.get_type::<ClosedError>()),
    ("internal", |py| py.get_type::<InternalError>()),
];

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<FieldError>()?;
    m.add("OaError", py.get_type::<OaError>())?;
    for (code, class) in CLASSES {
        let class = class(py);
        // The code is also a class attribute, so `except` clauses and tests can read it.
        class.setattr("code", *code)?;
        m.add(class.name()?, class)?;
    }
    Ok(())
}

/// The Python exception for an error of the core, with its attributes set.
pub(crate) fn to_py(py: Python<'_>, e: CoreError) -> PyErr {
    let message = e.to_string();
    let err = match &e {
        CoreError::Validation(_) => ValidationError::new_err(message.clone()),
        CoreError::NotFound { .. } => NotFoundError::new_err(message.clone()),
        CoreError::PermissionDenied { .. } => PermissionDeniedError::new_err(message.clone()),
        CoreError::InvalidState(_) => InvalidStateError::new_err(message.clone()),
        CoreError::Unauthenticated(_) => UnauthenticatedError::new_err(message.clone()),
        CoreError::AccountLocked { .. } => AccountLockedError::new_err(message.clone()),
        CoreError::PasswordChangeRequired => PasswordChangeRequiredError::new_err(message.clone()),
        CoreError::Conflict(_) => ConflictError::new_err(message.clone()),
        CoreError::IncompatibleStore(_) => IncompatibleStoreError::new_err(message.clone()),
        CoreError::Storage(_) => StorageError::new_err(message.clone()),
        CoreError::Closed => ClosedError::new_err(message.clone()),
        CoreError::Internal(_) => InternalError::new_err(message.clone()),
    };
    if let Err(failed) = decorate(py, &err, e, message) {
        return failed;
    }
    err
}

fn decorate(py: Python<'_>, err: &PyErr, e: CoreError, message: String) -> PyResult<()> {
    let value = err.value(py);
    value.setattr("code", e.code())?;
    value.setattr("message", message)?;
    match e {
        CoreError::Validation(fields) => {
            let fields: Vec<FieldError> =
                fields.into_iter().map(|f| FieldError { path: f.path, reason: f.reason }).collect();
            value.setattr("fields", fields)?;
        }
        CoreError::NotFound { kind, id } => {
            value.setattr("kind", kind)?;
            value.setattr("id", id)?;
        }
        CoreError::PermissionDenied { permission, reason } => {
            value.setattr("permission", permission)?;
            value.setattr("reason", reason)?;
        }
        CoreError::AccountLocked { until } => {
            // The core gives the instant as RFC 3339 text; Python gets an aware datetime.
            let until = chrono::DateTime::parse_from_rfc3339(&until).ok().map(|t| t.with_timezone(&chrono::Utc));
            value.setattr("until", until)?;
        }
        _ => {}
    }
    Ok(())
}

/// A validation error for one field, raised by the binding itself when a value has the right
/// Python type but cannot be what the field needs (an id that is not an id, a naive datetime).
pub(crate) fn invalid(py: Python<'_>, path: &str, reason: impl Into<String>) -> PyErr {
    to_py(py, CoreError::invalid(path, reason))
}

/// The error raised when the core panicked: a bug, reported as `oa.InternalError` so that no
/// panic crosses into Python as anything `except Exception` cannot catch.
pub(crate) fn from_panic(py: Python<'_>, payload: Box<dyn Any + Send>) -> PyErr {
    let what = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    };
    to_py(py, CoreError::Internal(format!("oa panicked: {what}")))
}
