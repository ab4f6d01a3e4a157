//! The one error type of the core, with a stable machine-readable code per variant.
//!
//! Messages are lowercase, without a trailing period, quote user input in backticks and never
//! name Rust types: the people reading them may never see Rust.

use serde::{Deserialize, Serialize};

use oa_storage::StoreError;

/// One failing field of a validation error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Where the field is: `login`, `rows[3].email`, `items[2].amount`.
    pub path: String,
    /// Why it was refused, in words a person reads.
    pub reason: String,
}

impl FieldError {
    /// A field error at `path` for `reason`.
    pub fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        FieldError { path: path.into(), reason: reason.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.reason)
    }
}

/// Everything an operation of oa can fail with.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum OaError {
    /// The input was refused; every failing field is listed.
    #[error("invalid input: {}", join(.0))]
    Validation(Vec<FieldError>),
    /// No such record.
    #[error("{kind} `{id}` not found")]
    NotFound {
        /// What was looked for (`person`, `department`, `role`).
        kind: &'static str,
        /// The id or name that was looked for.
        id: String,
    },
    /// The actor lacks the permission, or the target lies outside the actor's data scope.
    #[error("permission denied: `{permission}`{}", scope_note(.reason))]
    PermissionDenied {
        /// The permission that was needed.
        permission: String,
        /// Why it was refused, when more than "not granted".
        reason: Option<String>,
    },
    /// The record is not in a state that allows the operation.
    #[error("invalid state: {0}")]
    InvalidState(String),
    /// The session is missing, expired, revoked or forged, or the credentials are wrong.
    #[error("unauthenticated: {0}")]
    Unauthenticated(String),
    /// Too many failed sign-ins; the account is locked until the given instant.
    #[error("account locked until {until}")]
    AccountLocked {
        /// When sign-in will be allowed again (RFC 3339, UTC).
        until: String,
    },
    /// The person must change their password before doing anything else.
    #[error("password change required before any other operation")]
    PasswordChangeRequired,
    /// Concurrent changes kept conflicting; nothing was written and the call may be retried.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The folder or data is not an oa store, or was written by a newer version of oa.
    #[error("incompatible store: {0}")]
    IncompatibleStore(String),
    /// The storage layer failed.
    #[error("storage error: {0}")]
    Storage(String),
    /// The office was closed; no further call is possible on this handle.
    #[error("the office is closed")]
    Closed,
    /// A broken invariant inside oa; a bug to report, never the caller's fault.
    #[error("internal error: {0}")]
    Internal(String),
}

fn join(fields: &[FieldError]) -> String {
    fields.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

fn scope_note(reason: &Option<String>) -> String {
    reason.as_ref().map(|r| format!(" ({r})")).unwrap_or_default()
}

impl OaError {
    /// The stable machine-readable code of this error, the same in every frontend.
    pub fn code(&self) -> &'static str {
        match self {
            OaError::Validation(_) => "validation",
            OaError::NotFound { .. } => "not_found",
            OaError::PermissionDenied { .. } => "permission_denied",
            OaError::InvalidState(_) => "invalid_state",
            OaError::Unauthenticated(_) => "unauthenticated",
            OaError::AccountLocked { .. } => "account_locked",
            OaError::PasswordChangeRequired => "password_change_required",
            OaError::Conflict(_) => "conflict",
            OaError::IncompatibleStore(_) => "incompatible_store",
            OaError::Storage(_) => "storage",
            OaError::Closed => "closed",
            OaError::Internal(_) => "internal",
        }
    }

    /// Every code an error can carry, for frontends that map codes to their own types.
    pub const CODES: &'static [&'static str] = &[
        "validation",
        "not_found",
        "permission_denied",
        "invalid_state",
        "unauthenticated",
        "account_locked",
        "password_change_required",
        "conflict",
        "incompatible_store",
        "storage",
        "closed",
        "internal",
    ];

    /// A validation error for one field.
    pub fn invalid(path: impl Into<String>, reason: impl Into<String>) -> Self {
        OaError::Validation(vec![FieldError::new(path, reason)])
    }

    /// A not-found error.
    pub fn not_found(kind: &'static str, id: impl std::fmt::Display) -> Self {
        OaError::NotFound { kind, id: id.to_string() }
    }

    /// The failing fields of a validation error, empty for any other error.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            OaError::Validation(f) => f,
            _ => &[],
        }
    }
}

impl From<StoreError> for OaError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { .. } => OaError::Conflict(e.to_string()),
            StoreError::NotAStore { .. } | StoreError::Locked { .. } => OaError::IncompatibleStore(e.to_string()),
            other => OaError::Storage(other.to_string()),
        }
    }
}

/// The result of an operation of oa.
pub type OaResult<T> = Result<T, OaError>;

/// Collects field errors so that validation reports every failing field, not just the first.
#[derive(Debug, Default)]
pub struct Problems {
    fields: Vec<FieldError>,
}

impl Problems {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `path` failed for `reason`.
    pub fn add(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.fields.push(FieldError::new(path, reason));
    }

    /// Records every field error of `err` when it is a validation error, prefixing paths with
    /// `prefix`; any other error is returned so the caller can stop.
    pub fn absorb(&mut self, prefix: &str, err: OaError) -> OaResult<()> {
        match err {
            OaError::Validation(fields) => {
                for f in fields {
                    let path = if prefix.is_empty() { f.path } else { format!("{prefix}.{}", f.path) };
                    self.fields.push(FieldError::new(path, f.reason));
                }
                Ok(())
            }
            other => Err(other),
        }
    }

    /// Whether nothing failed.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// How many field errors were recorded.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// The field errors recorded, for a caller that reports them without failing (a dry run).
    pub fn into_fields(self) -> Vec<FieldError> {
        self.fields
    }

    /// `Ok(())` when nothing failed, otherwise the validation error with every field.
    pub fn finish(self) -> OaResult<()> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(OaError::Validation(self.fields))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variant_has_a_listed_code() {
        let samples = [
            OaError::invalid("a", "b"),
            OaError::not_found("person", "x"),
            OaError::PermissionDenied { permission: "p".into(), reason: None },
            OaError::InvalidState("s".into()),
            OaError::Unauthenticated("u".into()),
            OaError::AccountLocked { until: "t".into() },
            OaError::PasswordChangeRequired,
            OaError::Conflict("c".into()),
            OaError::IncompatibleStore("i".into()),
            OaError::Storage("s".into()),
            OaError::Closed,
            OaError::Internal("i".into()),
        ];
        for e in &samples {
            assert!(OaError::CODES.contains(&e.code()), "{} is listed", e.code());
        }
        assert_eq!(samples.len(), OaError::CODES.len());
    }

    #[test]
    fn validation_message_names_every_field() {
        let mut p = Problems::new();
        p.add("login", "must not be empty");
        p.add("email", "`x` is not an email address");
        let msg = p.finish().unwrap_err().to_string();
        assert_eq!(msg, "invalid input: login: must not be empty; email: `x` is not an email address");
    }
}
