//! The checked, compiled form of a condition: a small typed tree with every name resolved,
//! which the evaluator walks.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::error::Span;
use super::types::{Attr, ExprType};

/// A node of the compiled tree and the bytes of the source it came from (for run-time errors).
#[derive(Debug, Clone)]
pub(super) struct Code {
    pub(super) kind: CodeKind,
    pub(super) span: Span,
}

/// A constant.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Const {
    Null,
    Bool(bool),
    Number(Decimal),
    Text(String),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
}

/// Where a field is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// The form's data.
    Form,
    /// The row of an enclosing `any`/`all`: 0 is the innermost.
    Row(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Quantifier {
    Any,
    All,
}

/// A function, resolved.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Func {
    /// `contains(text, part)`.
    Contains,
    /// `contains(list, value)`.
    Has,
    StartsWith,
    EndsWith,
    Len,
    IsEmpty,
    Count,
    /// `sum(list)`; `money` is `Some(currency)` when the sum is money.
    Sum {
        money: Option<Option<String>>,
    },
    Min,
    Max,
    DaysBetween,
}

#[derive(Debug, Clone)]
pub(super) enum CodeKind {
    Const(Const),
    /// A field of the form or of an enclosing row; `ty` says how to read its JSON.
    Field {
        scope: Scope,
        name: String,
        ty: ExprType,
    },
    /// One column of every row of a table, as a list; `label` names it in errors.
    Column {
        table: Box<Code>,
        column: String,
        label: String,
        ty: ExprType,
    },
    Initiator(Attr),
    List(Vec<Code>),
    Not(Box<Code>),
    Neg(Box<Code>),
    And(Box<Code>, Box<Code>),
    Or(Box<Code>, Box<Code>),
    Arith(ArithOp, Box<Code>, Box<Code>),
    Compare(CmpOp, Box<Code>, Box<Code>),
    In {
        negated: bool,
        elem: Box<Code>,
        list: Box<Code>,
    },
    Call(Func, Vec<Code>),
    /// `any(table, condition)` / `all(table, condition)`: `pred` is evaluated with each row as
    /// the innermost scope.
    Rows {
        quantifier: Quantifier,
        table: Box<Code>,
        pred: Box<Code>,
    },
}

impl Code {
    pub(super) fn new(kind: CodeKind, span: Span) -> Self {
        Code { kind, span }
    }
}
