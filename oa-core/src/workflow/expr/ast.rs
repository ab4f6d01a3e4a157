//! The syntax tree of a condition, as written, and its printer.

use std::fmt;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rust_decimal::Decimal;

use super::error::Span;

/// A parsed condition: its source and its syntax tree. Not yet type-checked; see
/// [`check`](super::check).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    source: String,
    root: Node,
}

impl Expr {
    pub(super) fn new(source: String, root: Node) -> Self {
        Expr { source, root }
    }

    /// The source the condition was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The root of its syntax tree.
    pub fn root(&self) -> &Node {
        &self.root
    }
}

/// A node of the syntax tree and the bytes of the source it was parsed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// Where it is in the source (parentheses around it are not part of it).
    pub span: Span,
}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    /// A number: `10000`, `0.5`. Never negative: `-5` is [`UnaryOp::Neg`] applied to `5`.
    Number(Decimal),
    /// Quoted text: `"Sales"`.
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// `null`: no value.
    Null,
    /// A date: `date("2026-01-31")`.
    Date(NaiveDate),
    /// An instant: `datetime("2026-01-31T09:00:00Z")`.
    DateTime(DateTime<Utc>),
    /// A name and its members: `amount`, `form.amount`, `initiator.dept`, `items.amount`.
    Path(Vec<String>),
    /// A list: `["Sales", "R&D"]`.
    List(Vec<Node>),
    /// A function call: `len(title)`, `any(items, amount > 100)`.
    Call {
        /// The function's name.
        name: String,
        /// Its arguments.
        args: Vec<Node>,
    },
    /// A prefix operator.
    Unary {
        /// Which.
        op: UnaryOp,
        /// What it applies to.
        operand: Box<Node>,
    },
    /// An infix operator.
    Binary {
        /// Which.
        op: BinaryOp,
        /// The left operand.
        left: Box<Node>,
        /// The right operand.
        right: Box<Node>,
    },
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`: not.
    Not,
    /// `-`: minus.
    Neg,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    /// `||`
    Or,
    /// `&&`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// Binding strength of `||`.
pub(super) const PREC_OR: u8 = 1;
/// Binding strength of `&&`.
pub(super) const PREC_AND: u8 = 2;
/// Binding strength of comparisons and `in`.
pub(super) const PREC_CMP: u8 = 3;
/// Binding strength of `+` and `-`.
pub(super) const PREC_ADD: u8 = 4;
/// Binding strength of `*` and `/`.
pub(super) const PREC_MUL: u8 = 5;
/// Binding strength of prefix `!` and `-`.
pub(super) const PREC_UNARY: u8 = 6;
/// Binding strength of everything that needs no parentheses.
const PREC_ATOM: u8 = 7;

impl BinaryOp {
    /// How it is written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    /// How tightly it binds: a higher number binds tighter.
    pub(super) fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => PREC_OR,
            BinaryOp::And => PREC_AND,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::In
            | BinaryOp::NotIn => PREC_CMP,
            BinaryOp::Add | BinaryOp::Sub => PREC_ADD,
            BinaryOp::Mul | BinaryOp::Div => PREC_MUL,
        }
    }
}

impl UnaryOp {
    /// How it is written.
    pub fn symbol(self) -> &'static str {
        match self {
            UnaryOp::Not => "!",
            UnaryOp::Neg => "-",
        }
    }
}

impl Node {
    fn precedence(&self) -> u8 {
        match &self.kind {
            NodeKind::Binary { op, .. } => op.precedence(),
            NodeKind::Unary { .. } => PREC_UNARY,
            _ => PREC_ATOM,
        }
    }
}

/// Prints a condition in the syntax it is parsed from, with only the parentheses it needs, so
/// that printing then parsing gives the same tree.
impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            NodeKind::Number(n) => write!(f, "{n}"),
            NodeKind::Text(s) => write_text(f, s),
            NodeKind::Bool(b) => write!(f, "{b}"),
            NodeKind::Null => f.write_str("null"),
            NodeKind::Date(d) => write!(f, "date(\"{}\")", d.format("%Y-%m-%d")),
            NodeKind::DateTime(t) => write!(f, "datetime(\"{}\")", t.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
            NodeKind::Path(parts) => f.write_str(&parts.join(".")),
            NodeKind::List(items) => {
                f.write_str("[")?;
                write_list(f, items)?;
                f.write_str("]")
            }
            NodeKind::Call { name, args } => {
                write!(f, "{name}(")?;
                write_list(f, args)?;
                f.write_str(")")
            }
            NodeKind::Unary { op, operand } => {
                f.write_str(op.symbol())?;
                write_operand(f, operand, operand.precedence() < PREC_UNARY)
            }
            NodeKind::Binary { op, left, right } => {
                let p = op.precedence();
                // Comparisons do not chain, so a comparison inside another needs parentheses on
                // either side; the other operators associate to the left.
                let left_parens = left.precedence() < p || (p == PREC_CMP && left.precedence() == p);
                write_operand(f, left, left_parens)?;
                write!(f, " {} ", op.symbol())?;
                write_operand(f, right, right.precedence() <= p)
            }
        }
    }
}

fn write_operand(f: &mut fmt::Formatter<'_>, node: &Node, parens: bool) -> fmt::Result {
    if parens {
        write!(f, "({node})")
    } else {
        write!(f, "{node}")
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[Node]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

/// Writes `s` quoted, escaping what the lexer reads back.
pub(super) fn write_text(f: &mut impl fmt::Write, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            c if c.is_control() => write!(f, "\\u{{{:x}}}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.root.fmt(f)
    }
}
