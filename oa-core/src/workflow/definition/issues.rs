//! The list of problems a definition has, each with the path of the node and field at fault.

use crate::error::FieldError;
use crate::{OaError, OaResult};

/// Collects every problem of a definition, so that publishing reports them all at once.
#[derive(Debug, Default)]
pub(crate) struct Issues {
    list: Vec<FieldError>,
}

impl Issues {
    /// An empty list.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Records that `path` failed for `reason`.
    pub(crate) fn add(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.list.push(FieldError::new(path, reason));
    }

    /// How many problems were recorded.
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether nothing failed.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Records every field error of `err` when it is a validation error, prefixing paths with
    /// `prefix`; any other error is returned so the caller can stop.
    pub(crate) fn absorb(&mut self, prefix: &str, err: OaError) -> OaResult<()> {
        match err {
            OaError::Validation(fields) => {
                for f in fields {
                    let path = if prefix.is_empty() { f.path } else { format!("{prefix}.{}", f.path) };
                    self.list.push(FieldError::new(path, f.reason));
                }
                Ok(())
            }
            other => Err(other),
        }
    }

    /// `Ok(())` when nothing failed, otherwise the validation error with every problem.
    pub(crate) fn finish(self) -> OaResult<()> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(OaError::Validation(self.list))
        }
    }

    /// The problems recorded.
    pub(crate) fn into_vec(self) -> Vec<FieldError> {
        self.list
    }
}
