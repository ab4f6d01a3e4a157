//! Spans and the error of the condition language.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, OaError};

/// A range of bytes of a condition's source, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// The first byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        // Sources are at most a few KiB (see `MAX_SOURCE_BYTES`), so offsets fit in u32.
        Span { start: clamp(start), end: clamp(end.max(start)) }
    }

    /// The smallest span covering `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span { start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A parse, type or run-time error of a condition, with where it is in the source.
///
/// Lines and columns count from 1; a column counts characters, not bytes, so a condition over a
/// field named `金额` points where a person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExprError {
    span: Span,
    line: u32,
    column: u32,
    message: String,
}

impl ExprError {
    /// An error about `span` of `source`.
    pub(crate) fn new(source: &str, span: Span, message: impl Into<String>) -> Self {
        let (line, column) = locate(source, span.start as usize);
        ExprError { span, line, column, message: message.into() }
    }

    /// The bytes of the source the error is about.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The line of the error's start, from 1.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// The column of the error's start, in characters, from 1.
    pub fn column(&self) -> u32 {
        self.column
    }

    /// What is wrong, in words a person reads (lowercase, user input in backticks).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// This error as a validation error of the field at `path`, such as
    /// `nodes[approve_mgr].branches[0].condition`.
    pub fn to_oa_error(&self, path: &str) -> OaError {
        OaError::Validation(vec![self.to_field_error(path)])
    }

    /// This error as one failing field at `path`, to collect with others.
    pub fn to_field_error(&self, path: &str) -> FieldError {
        FieldError::new(path, self.to_string())
    }
}

/// Every error of `errors` as one validation error of the field at `path`.
pub fn errors_to_oa_error(errors: &[ExprError], path: &str) -> OaError {
    OaError::Validation(errors.iter().map(|e| e.to_field_error(path)).collect())
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (line {}, column {})", self.message, self.line, self.column)
    }
}

impl std::error::Error for ExprError {}

/// The line and column (characters, from 1) of byte `offset` of `source`.
fn locate(source: &str, offset: usize) -> (u32, u32) {
    let mut line = 1u32;
    let mut column = 1u32;
    for (i, c) in source.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line = line.saturating_add(1);
            column = 1;
        } else {
            column = column.saturating_add(1);
        }
    }
    (line, column)
}
