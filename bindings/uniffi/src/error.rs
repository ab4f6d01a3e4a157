//! The error every method throws: one variant per stable code of the core, so that Kotlin gets a
//! sealed exception class (`OaException.Validation`, `OaException.NotFound`...) and Swift an enum
//! conforming to `Error` (`OaError.Validation(detail:fields:)`...).
//!
//! Every variant carries `detail`, the core's message. (A field named `message` would clash with
//! `Throwable.message` in the generated Kotlin.)

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::types::FieldError;

/// Everything an operation of oa can fail with; `code()` is the stable machine-readable code,
/// the same in every frontend.
#[derive(Debug, Clone, PartialEq, thiserror::Error, uniffi::Error)]
#[uniffi::export(Display)]
pub enum OaError {
    /// The input was refused; `fields` lists every failing field with its path and reason.
    #[error("{detail}")]
    Validation {
        /// The message, naming every failing field.
        detail: String,
        /// Every failing field.
        fields: Vec<FieldError>,
    },
    /// No such record.
    #[error("{detail}")]
    NotFound {
        /// The message.
        detail: String,
        /// What was looked for (`person`, `department`, `role`).
        kind: String,
        /// The id or name that was looked for.
        id: String,
    },
    /// The actor lacks the permission, or the target lies outside the actor's data scope.
    #[error("{detail}")]
    PermissionDenied {
        /// The message.
        detail: String,
        /// The permission that was needed.
        permission: String,
        /// Why it was refused, when more than "not granted".
        reason: Option<String>,
    },
    /// The record is not in a state that allows the operation.
    #[error("{detail}")]
    InvalidState {
        /// The message.
        detail: String,
    },
    /// The session is missing, expired, revoked or forged, or the credentials are wrong.
    #[error("{detail}")]
    Unauthenticated {
        /// The message.
        detail: String,
    },
    /// Too many failed sign-ins; the account is locked until `until`.
    #[error("{detail}")]
    AccountLocked {
        /// The message.
        detail: String,
        /// When sign-in will be allowed again (RFC 3339, UTC, as `Instant.parse` reads it).
        until: String,
    },
    /// The person must change their password before doing anything else.
    #[error("{detail}")]
    PasswordChangeRequired {
        /// The message.
        detail: String,
    },
    /// Concurrent changes kept conflicting; nothing was written and the call may be retried.
    #[error("{detail}")]
    Conflict {
        /// The message.
        detail: String,
    },
    /// The folder or data is not an oa store, is in use, or was written by a newer version.
    #[error("{detail}")]
    IncompatibleStore {
        /// The message.
        detail: String,
    },
    /// The storage layer failed.
    #[error("{detail}")]
    Storage {
        /// The message.
        detail: String,
    },
    /// The office was closed; no further call is possible on this handle.
    #[error("{detail}")]
    Closed {
        /// The message.
        detail: String,
    },
    /// A broken invariant inside oa; a bug to report, never the caller's fault.
    #[error("{detail}")]
    Internal {
        /// The message.
        detail: String,
    },
}

#[uniffi::export]
impl OaError {
    /// The stable machine-readable code (`validation`, `not_found`...), one of `error_codes()`.
    pub fn code(&self) -> String {
        match self {
            OaError::Validation { .. } => "validation",
            OaError::NotFound { .. } => "not_found",
            OaError::PermissionDenied { .. } => "permission_denied",
            OaError::InvalidState { .. } => "invalid_state",
            OaError::Unauthenticated { .. } => "unauthenticated",
            OaError::AccountLocked { .. } => "account_locked",
            OaError::PasswordChangeRequired { .. } => "password_change_required",
            OaError::Conflict { .. } => "conflict",
            OaError::IncompatibleStore { .. } => "incompatible_store",
            OaError::Storage { .. } => "storage",
            OaError::Closed { .. } => "closed",
            OaError::Internal { .. } => "internal",
        }
        .to_string()
    }
}

impl From<oa::OaError> for OaError {
    fn from(e: oa::OaError) -> Self {
        let detail = e.to_string();
        match e {
            oa::OaError::Validation(fields) => {
                OaError::Validation { detail, fields: fields.into_iter().map(FieldError::from).collect() }
            }
            oa::OaError::NotFound { kind, id } => OaError::NotFound { detail, kind: kind.to_string(), id },
            oa::OaError::PermissionDenied { permission, reason } => {
                OaError::PermissionDenied { detail, permission, reason }
            }
            oa::OaError::InvalidState(_) => OaError::InvalidState { detail },
            oa::OaError::Unauthenticated(_) => OaError::Unauthenticated { detail },
            oa::OaError::AccountLocked { until } => OaError::AccountLocked { detail, until },
            oa::OaError::PasswordChangeRequired => OaError::PasswordChangeRequired { detail },
            oa::OaError::Conflict(_) => OaError::Conflict { detail },
            oa::OaError::IncompatibleStore(_) => OaError::IncompatibleStore { detail },
            oa::OaError::Storage(_) => OaError::Storage { detail },
            oa::OaError::Closed => OaError::Closed { detail },
            oa::OaError::Internal(_) => OaError::Internal { detail },
        }
    }
}

impl From<oa::StoreError> for OaError {
    fn from(e: oa::StoreError) -> Self {
        oa::OaError::from(e).into()
    }
}

/// The result of every exported call.
pub type OaResult<T> = Result<T, OaError>;

/// Runs `f`, turning a panic into an `internal` error so that none crosses into the host
/// language (the generated code would otherwise raise a generic, untyped exception).
pub(crate) fn guard<T>(f: impl FnOnce() -> OaResult<T>) -> OaResult<T> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string());
        Err(oa::OaError::Internal(what).into())
    })
}

/// An example error of each code, with sample fields: lets an application (and this binding's
/// own tests) exercise its handling of codes that are hard to provoke, such as `conflict` and
/// `internal`. An unknown code is a `validation` error naming `code`.
#[uniffi::export]
pub fn sample_error(code: String) -> OaResult<()> {
    let e = match code.as_str() {
        "validation" => oa::OaError::Validation(vec![
            oa::FieldError::new("login", "must not be empty"),
            oa::FieldError::new("rows[3].email", "`x` is not an email address"),
        ]),
        "not_found" => oa::OaError::not_found("person", "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        "permission_denied" => oa::OaError::PermissionDenied {
            permission: "org.person.read".into(),
            reason: Some("outside your data scope".into()),
        },
        "invalid_state" => oa::OaError::InvalidState("sample".into()),
        "unauthenticated" => oa::OaError::Unauthenticated("sample".into()),
        "account_locked" => oa::OaError::AccountLocked { until: "2030-01-01T00:00:00Z".into() },
        "password_change_required" => oa::OaError::PasswordChangeRequired,
        "conflict" => oa::OaError::Conflict("sample".into()),
        "incompatible_store" => oa::OaError::IncompatibleStore("sample".into()),
        "storage" => oa::OaError::Storage("sample".into()),
        "closed" => oa::OaError::Closed,
        "internal" => oa::OaError::Internal("sample".into()),
        other => oa::OaError::invalid("code", format!("`{other}` is not an error code")),
    };
    Err(e.into())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_a_sample_with_the_same_code() {
        for code in oa::OaError::CODES {
            let e = sample_error(code.to_string()).unwrap_err();
            assert_eq!(e.code(), *code);
        }
        assert_eq!(sample_error("nope".into()).unwrap_err().code(), "validation");
    }

    #[test]
    fn a_panic_becomes_an_internal_error() {
        let e = guard::<()>(|| panic!("boom")).unwrap_err();
        assert_eq!(e.code(), "internal");
        assert!(e.to_string().contains("boom"));
    }
}
