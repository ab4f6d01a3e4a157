//! Branch conditions (条件) of approval workflows: a small, safe expression language over the
//! form's fields and the initiator's attributes.
//!
//! ```text
//! amount > 10000 && initiator.dept in ["Sales", "R&D"]
//! any(items, category == "IT" && price > 5000) || sum(items.amount) >= 50000
//! leave_type == "annual" && days_between(start, end) > 3
//! ```
//!
//! A condition is [`parse`]d and [`check`]ed (or both at once, [`compile`]) when a process is
//! published, against a [`TypeEnv`] the engine builds from the form's fields; every mistake is
//! reported then, with its line and column, not when an instance reaches the branch. The result,
//! [`Checked`], is a small typed tree with every name resolved; [`Checked::eval`] walks it over
//! the form's data and the initiator's [`InitiatorAttrs`]. Nothing is ever handed to a
//! general-purpose interpreter: there are no loops, no assignments, no user-defined functions,
//! and evaluation never panics.
//!
//! A branch without a condition is the default branch (默认分支), taken when no other holds: that
//! is the engine's, not the language's.
//!
//! # Syntax
//!
//! | form | example |
//! | --- | --- |
//! | number (exact decimal, never a float) | `10000`, `0.5` |
//! | text, in double quotes; escapes `\"` `\\` `\n` `\t` `\r` `\u{4e2d}` | `"R&D"` |
//! | yes/no, nothing | `true`, `false`, `null` |
//! | date, date and time (with its time zone) | `date("2026-01-31")`, `datetime("2026-01-31T09:00:00+08:00")` |
//! | list | `["Sales", "R&D"]` |
//! | form field | `amount`, `form.amount` |
//! | attribute of the initiator | `initiator.dept`, `initiator`, see [`initiator_attributes`] |
//! | column of a table, as a list | `items.amount` |
//! | function call | `len(title)`, see [`FUNCTIONS`] |
//!
//! Names are letters of any script, digits and `_` (`金额` is a name). A bare name is a form
//! field, or inside `any`/`all` a column of the row (the row wins; `form.x` always means the
//! form's field). `initiator` and `form` are not field names; `true`, `false`, `null`, `in` and
//! `not` are reached as `form.in`.
//!
//! Operators, from the loosest to the tightest binding:
//!
//! | precedence | operators | associativity |
//! | --- | --- | --- |
//! | 1 | `\|\|` | left |
//! | 2 | `&&` | left |
//! | 3 | `==` `!=` `<` `<=` `>` `>=` `in` `not in` | none: `a < b < c` is an error |
//! | 4 | `+` `-` | left |
//! | 5 | `*` `/` | left |
//! | 6 | prefix `!` `-` | right |
//!
//! So `a || b && c` is `a || (b && c)`, `!a == b` is `(!a) == b`, and `-2 * 3` is `(-2) * 3`.
//!
//! # Types
//!
//! Every value has an [`ExprType`]. `==` and `!=` compare numbers with numbers or money, text
//! with text or a choice, yes/no with yes/no, dates with dates, instants with instants, a person
//! with a person or a text (its id or sign-in name), a department with a department or a text
//! (its id, code or name: `initiator.dept == "Sales"`; a form field holding only an id matches
//! by id, see [`ExprType::Department`]). Anything compares with `null`. `<`, `<=`,
//! `>`, `>=` order numbers, money, dates and instants only. Text compares exactly; sign-in names,
//! department codes and names case-insensitively. `x in list` holds when `x` equals an element,
//! where the list is a list literal, a multiple choice, `initiator.roles`,
//! `initiator.dept_path` or a table's column. Quoted text compared with a choice field must be
//! one of its options: a typo is refused when publishing.
//!
//! Money: money compares with a plain number (`amount > 10000` compares the amount, whatever the
//! currency), and a plain number beside money is taken in the money's currency (`amount + 100`,
//! `amount * 2`, `amount / 2` are money; money divided by money is a number). Money of two fixed
//! currencies that differ is refused when checking; when a currency is known only from the data,
//! mixing two currencies is a run-time error.
//!
//! # Missing values
//!
//! A field that is absent from the data or `null` is null. Logic is two-valued: a condition is
//! true or false, never unknown.
//! - `x == null` holds exactly when `x` is missing; `==` holds between two nulls and never
//!   between a null and a value; `!=` is always the opposite of `==`.
//! - `<`, `<=`, `>`, `>=` with a null on either side are false (so `!(amount > 100)` holds when
//!   `amount` is missing).
//! - A missing yes/no counts as no: in `&&`, `||`, `!` and as the condition itself.
//! - Arithmetic with a null gives null; `days_between` with a null gives null.
//! - A null is in no list (`not in` holds); a missing list holds nothing.
//! - `contains`, `starts_with` and `ends_with` with a null are false; `len` and `count` of a null
//!   are 0; `sum` skips nulls (0 for none), `min` and `max` skip them (null for none);
//!   `is_empty` holds for null; `any` over a missing table is false and `all` true.
//!
//! # Errors and limits
//!
//! Parse errors stop at the first; type errors are all reported. Both carry a [`Span`], a line
//! and a column, and become validation errors with [`ExprError::to_oa_error`]. At run time,
//! division by zero, a number out of range, money in two currencies or a field holding a value
//! of the wrong shape is an [`ExprError`] from [`Checked::eval`]: the engine takes the branch as
//! not taken and records the error on the instance.
//!
//! A condition is at most [`MAX_SOURCE_BYTES`] long and nests at most [`MAX_DEPTH`] levels
//! (operands, parentheses, arguments); evaluation stops after [`MAX_STEPS`] steps.

mod ast;
mod check;
mod compiled;
mod error;
mod eval;
mod lexer;
mod parser;
mod types;

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;

pub use ast::{BinaryOp, Expr, Node, NodeKind, UnaryOp};
pub use check::{check, Checked};
pub use error::{errors_to_oa_error, ExprError, Span};
pub use parser::parse;
pub use types::{
    initiator_attributes, AttrInfo, DeptAttrs, ExprType, FunctionInfo, InitiatorAttrs, TypeEnv, FUNCTIONS,
};

/// The longest condition, in bytes of UTF-8.
pub const MAX_SOURCE_BYTES: usize = 4096;

/// The deepest nesting of a condition's tree.
pub const MAX_DEPTH: usize = 64;

/// How many steps an evaluation may take: nodes visited, plus table cells read.
pub const MAX_STEPS: u32 = 1_000_000;

/// Parses and type-checks `src` against `env`: [`parse`] then [`check`].
pub fn compile(src: &str, env: &TypeEnv) -> Result<Checked, Vec<ExprError>> {
    let expr = parse(src).map_err(|e| vec![e])?;
    check(&expr, env)
}
