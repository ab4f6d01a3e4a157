//! The evaluator: walks a compiled condition over a form's data and the initiator's attributes.

use std::cmp::Ordering;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value;

use super::check::Checked;
use super::compiled::{ArithOp, CmpOp, Code, CodeKind, Const, Func, Quantifier, Scope};
use super::error::{ExprError, Span};
use super::types::{Attr, DeptAttrs, ExprType, InitiatorAttrs};
use super::MAX_STEPS;

impl Checked {
    /// Evaluates the condition over a form's `data` (a JSON object of field values) and the
    /// initiator's attributes.
    ///
    /// An error (division by zero, money in two currencies, a field holding a value of the
    /// wrong shape, too many steps) names the part of the condition that failed; the workflow
    /// engine treats it as "branch not taken" and records it.
    pub fn eval(&self, data: &Value, initiator: &InitiatorAttrs) -> Result<bool, ExprError> {
        let mut ev = Eval { data, who: initiator, rows: Vec::new(), steps: 0 };
        ev.truth(&self.code).map_err(|(span, message)| ExprError::new(&self.source, span, message))
    }
}

/// A run-time failure: where, and why.
type Fail = (Span, String);

/// A value at run time.
#[derive(Debug, Clone, PartialEq)]
enum Val<'a> {
    Null,
    Bool(bool),
    Num(Decimal),
    Money(Decimal, Option<String>),
    Text(String),
    Date(NaiveDate),
    DateTime(DateTime<Utc>),
    Person { id: String, login: Option<String> },
    Dept { id: String, name: Option<String>, code: Option<String> },
    List(Vec<Val<'a>>),
    Rows(&'a [Value]),
}

impl Val<'_> {
    fn describe(&self) -> &'static str {
        match self {
            Val::Null => "null",
            Val::Bool(_) => "yes/no",
            Val::Num(_) => "number",
            Val::Money(..) => "money",
            Val::Text(_) => "text",
            Val::Date(_) => "date",
            Val::DateTime(_) => "date and time",
            Val::Person { .. } => "person",
            Val::Dept { .. } => "department",
            Val::List(_) => "list",
            Val::Rows(_) => "table",
        }
    }
}

fn dept_val<'a>(d: &DeptAttrs) -> Val<'a> {
    Val::Dept { id: d.id.to_string(), name: Some(d.name.clone()), code: d.code.clone() }
}

struct Eval<'a> {
    data: &'a Value,
    who: &'a InitiatorAttrs,
    /// The rows of enclosing `any`/`all`, innermost last.
    rows: Vec<&'a Value>,
    steps: u32,
}

impl<'a> Eval<'a> {
    fn truth(&mut self, c: &Code) -> Result<bool, Fail> {
        match self.eval(c)? {
            Val::Bool(b) => Ok(b),
            // A missing yes/no counts as no.
            Val::Null => Ok(false),
            other => Err((c.span, format!("expected yes/no, found {}", other.describe()))),
        }
    }

    fn eval(&mut self, c: &Code) -> Result<Val<'a>, Fail> {
        let span = c.span;
        self.charge(1, span)?;
        Ok(match &c.kind {
            CodeKind::Const(k) => match k {
                Const::Null => Val::Null,
                Const::Bool(b) => Val::Bool(*b),
                Const::Number(n) => Val::Num(*n),
                Const::Text(s) => Val::Text(s.clone()),
                Const::Date(d) => Val::Date(*d),
                Const::DateTime(t) => Val::DateTime(*t),
            },
            CodeKind::Field { scope, name, ty } => {
                let holder = match scope {
                    Scope::Form => self.data,
                    Scope::Row(k) => {
                        let at = self.rows.len().checked_sub(k + 1);
                        match at.and_then(|i| self.rows.get(i)) {
                            Some(row) => *row,
                            None => return Err((span, format!("`{name}` is read outside of its table"))),
                        }
                    }
                };
                let v = from_json(holder.get(name), ty, name).map_err(|m| (span, m))?;
                // Reading a list costs a step per value, so a condition over a long list read
                // once per row stays within the budget.
                if let Val::List(items) = &v {
                    self.charge(items.len(), span)?;
                }
                v
            }
            CodeKind::Column { table, column, label, ty } => match self.eval(table)? {
                Val::Rows(rows) => {
                    let mut out = Vec::with_capacity(rows.len());
                    self.charge(rows.len(), span)?;
                    for row in rows {
                        out.push(from_json(row.get(column), ty, label).map_err(|m| (span, m))?);
                    }
                    Val::List(out)
                }
                _ => Val::Null,
            },
            CodeKind::Initiator(attr) => self.attr(*attr),
            CodeKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(item)?);
                }
                Val::List(out)
            }
            CodeKind::Not(x) => Val::Bool(!self.truth(x)?),
            CodeKind::And(l, r) => Val::Bool(self.truth(l)? && self.truth(r)?),
            CodeKind::Or(l, r) => Val::Bool(self.truth(l)? || self.truth(r)?),
            CodeKind::Neg(x) => match self.eval(x)? {
                Val::Num(n) => Val::Num(-n),
                Val::Money(n, c) => Val::Money(-n, c),
                Val::Null => Val::Null,
                other => return Err((span, format!("`-` needs a number or money, found {}", other.describe()))),
            },
            CodeKind::Arith(op, l, r) => {
                let (a, b) = (self.eval(l)?, self.eval(r)?);
                arith(*op, a, b).map_err(|m| (span, m))?
            }
            CodeKind::Compare(op, l, r) => {
                let (a, b) = (self.eval(l)?, self.eval(r)?);
                Val::Bool(compare(*op, &a, &b).map_err(|m| (span, m))?)
            }
            CodeKind::In { negated, elem, list } => {
                let (x, list) = (self.eval(elem)?, self.eval(list)?);
                Val::Bool(member(&x, &list).map_err(|m| (span, m))? != *negated)
            }
            CodeKind::Call(func, args) => {
                let mut vals = Vec::with_capacity(args.len());
                for a in args {
                    vals.push(self.eval(a)?);
                }
                call(func, vals).map_err(|m| (span, m))?
            }
            CodeKind::Rows { quantifier, table, pred } => {
                let rows = match self.eval(table)? {
                    Val::Rows(rows) => rows,
                    Val::Null => &[],
                    other => return Err((span, format!("expected a table, found {}", other.describe()))),
                };
                let want = *quantifier == Quantifier::Any;
                let mut result = !want;
                for row in rows {
                    self.rows.push(row);
                    let holds = self.truth(pred);
                    self.rows.pop();
                    if holds? == want {
                        result = want;
                        break;
                    }
                }
                Val::Bool(result)
            }
        })
    }

    /// Counts `n` steps.
    fn charge(&mut self, n: usize, span: Span) -> Result<(), Fail> {
        self.steps = self.steps.saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
        if self.steps > MAX_STEPS {
            return Err((
                span,
                format!("condition stopped after {MAX_STEPS} steps: the form's tables are too large for it"),
            ));
        }
        Ok(())
    }

    fn attr(&self, attr: Attr) -> Val<'a> {
        let who = self.who;
        match attr {
            Attr::Id => Val::Person { id: who.id.to_string(), login: Some(who.login.clone()) },
            Attr::Login => Val::Text(who.login.clone()),
            Attr::Name => Val::Text(who.name.clone()),
            Attr::Dept => dept_val(&who.dept),
            Attr::DeptPath => Val::List(who.dept_path.iter().map(dept_val).collect()),
            Attr::Position => who.position.clone().map(Val::Text).unwrap_or(Val::Null),
            Attr::Roles => Val::List(who.roles.iter().cloned().map(Val::Text).collect()),
            Attr::IsDeptHead => Val::Bool(who.is_dept_head),
        }
    }
}

const OUT_OF_RANGE: &str = "number out of range";

fn checked(op: ArithOp, a: Decimal, b: Decimal) -> Result<Decimal, String> {
    match op {
        ArithOp::Add => a.checked_add(b),
        ArithOp::Sub => a.checked_sub(b),
        ArithOp::Mul => a.checked_mul(b),
        ArithOp::Div if b.is_zero() => return Err("division by zero".into()),
        ArithOp::Div => a.checked_div(b),
    }
    .ok_or_else(|| OUT_OF_RANGE.to_string())
}

/// The one currency of two amounts, or an error when they differ. An amount without a
/// currency takes the other's.
fn same_currency(a: Option<String>, b: Option<String>) -> Result<Option<String>, String> {
    match (a, b) {
        (Some(x), Some(y)) if x != y => Err(format!("money in `{x}` and money in `{y}` cannot be mixed")),
        (a, b) => Ok(a.or(b)),
    }
}

fn arith<'a>(op: ArithOp, a: Val<'a>, b: Val<'a>) -> Result<Val<'a>, String> {
    Ok(match (a, b) {
        (Val::Null, _) | (_, Val::Null) => Val::Null,
        (Val::Num(x), Val::Num(y)) => Val::Num(checked(op, x, y)?),
        (Val::Money(x, cx), Val::Money(y, cy)) => {
            let c = same_currency(cx, cy)?;
            match op {
                ArithOp::Div => Val::Num(checked(op, x, y)?),
                ArithOp::Mul => return Err("cannot multiply money by money".into()),
                _ => Val::Money(checked(op, x, y)?, c),
            }
        }
        (Val::Money(x, c), Val::Num(y)) => Val::Money(checked(op, x, y)?, c),
        (Val::Num(x), Val::Money(y, c)) if op != ArithOp::Div => Val::Money(checked(op, x, y)?, c),
        (a, b) => return Err(format!("cannot calculate with {} and {}", a.describe(), b.describe())),
    })
}

fn compare(op: CmpOp, a: &Val<'_>, b: &Val<'_>) -> Result<bool, String> {
    match op {
        CmpOp::Eq => equal(a, b),
        CmpOp::Ne => equal(a, b).map(|e| !e),
        _ => {
            // Nothing is larger or smaller than a missing value.
            if matches!(a, Val::Null) || matches!(b, Val::Null) {
                return Ok(false);
            }
            let ord = order(a, b)?;
            Ok(match op {
                CmpOp::Lt => ord == Ordering::Less,
                CmpOp::Le => ord != Ordering::Greater,
                CmpOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            })
        }
    }
}

fn same_ci(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

fn equal(a: &Val<'_>, b: &Val<'_>) -> Result<bool, String> {
    Ok(match (a, b) {
        (Val::Null, Val::Null) => true,
        (Val::Null, _) | (_, Val::Null) => false,
        (Val::Num(x), Val::Num(y)) => x == y,
        (Val::Num(x), Val::Money(y, _)) | (Val::Money(x, _), Val::Num(y)) => x == y,
        (Val::Money(x, cx), Val::Money(y, cy)) => {
            same_currency(cx.clone(), cy.clone())?;
            x == y
        }
        (Val::Text(x), Val::Text(y)) => x == y,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Date(x), Val::Date(y)) => x == y,
        (Val::DateTime(x), Val::DateTime(y)) => x == y,
        (Val::Person { id: x, .. }, Val::Person { id: y, .. }) => x.eq_ignore_ascii_case(y),
        (Val::Person { id, login }, Val::Text(t)) | (Val::Text(t), Val::Person { id, login }) => {
            id.eq_ignore_ascii_case(t) || login.as_deref().is_some_and(|l| same_ci(l, t))
        }
        (Val::Dept { id: x, .. }, Val::Dept { id: y, .. }) => x.eq_ignore_ascii_case(y),
        (Val::Dept { id, name, code }, Val::Text(t)) | (Val::Text(t), Val::Dept { id, name, code }) => {
            id.eq_ignore_ascii_case(t)
                || code.as_deref().is_some_and(|c| same_ci(c, t))
                || name.as_deref().is_some_and(|n| same_ci(n, t))
        }
        (a, b) => return Err(format!("cannot compare {} with {}", a.describe(), b.describe())),
    })
}

fn order(a: &Val<'_>, b: &Val<'_>) -> Result<Ordering, String> {
    Ok(match (a, b) {
        (Val::Num(x), Val::Num(y)) => x.cmp(y),
        // Either way round, `x` is the left amount and `y` the right one.
        (Val::Num(x), Val::Money(y, _)) | (Val::Money(x, _), Val::Num(y)) => x.cmp(y),
        (Val::Money(x, cx), Val::Money(y, cy)) => {
            same_currency(cx.clone(), cy.clone())?;
            x.cmp(y)
        }
        (Val::Date(x), Val::Date(y)) => x.cmp(y),
        (Val::DateTime(x), Val::DateTime(y)) => x.cmp(y),
        (a, b) => return Err(format!("cannot order {} and {}", a.describe(), b.describe())),
    })
}

/// Whether `x` is in `list`. A missing value is in no list; a missing list holds nothing.
fn member(x: &Val<'_>, list: &Val<'_>) -> Result<bool, String> {
    if matches!(x, Val::Null) {
        return Ok(false);
    }
    match list {
        Val::Null => Ok(false),
        Val::List(items) => {
            for item in items {
                if equal(x, item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        other => Err(format!("expected a list, found {}", other.describe())),
    }
}

fn call<'a>(func: &Func, args: Vec<Val<'a>>) -> Result<Val<'a>, String> {
    let mut args = args.into_iter();
    let a = args.next().unwrap_or(Val::Null);
    let b = args.next().unwrap_or(Val::Null);
    Ok(match func {
        Func::Contains | Func::StartsWith | Func::EndsWith => match (&a, &b) {
            (Val::Text(s), Val::Text(p)) => Val::Bool(match func {
                Func::Contains => s.contains(p.as_str()),
                Func::StartsWith => s.starts_with(p.as_str()),
                _ => s.ends_with(p.as_str()),
            }),
            _ => Val::Bool(false),
        },
        Func::Has => Val::Bool(member(&b, &a)?),
        Func::Len | Func::Count => Val::Num(Decimal::from(match &a {
            Val::Null => 0,
            Val::Text(s) => s.chars().count(),
            Val::List(items) => items.len(),
            Val::Rows(rows) => rows.len(),
            other => return Err(format!("cannot count {}", other.describe())),
        })),
        Func::IsEmpty => Val::Bool(match &a {
            Val::Null => true,
            Val::Text(s) => s.trim().is_empty(),
            Val::List(items) => items.is_empty(),
            Val::Rows(rows) => rows.is_empty(),
            _ => false,
        }),
        Func::Sum { money } => {
            let mut total = Decimal::ZERO;
            let mut currency = money.clone().flatten();
            if let Val::List(items) = a {
                for item in items {
                    match item {
                        Val::Null => {}
                        Val::Num(n) => total = checked(ArithOp::Add, total, n)?,
                        Val::Money(n, c) => {
                            currency = same_currency(currency, c)?;
                            total = checked(ArithOp::Add, total, n)?;
                        }
                        other => return Err(format!("cannot add up {}", other.describe())),
                    }
                }
            }
            match money {
                Some(_) => Val::Money(total, currency),
                None => Val::Num(total),
            }
        }
        Func::Min | Func::Max => {
            let want = if *func == Func::Min { Ordering::Less } else { Ordering::Greater };
            let mut best = Val::Null;
            if let Val::List(items) = a {
                for item in items {
                    if matches!(item, Val::Null) {
                        continue;
                    }
                    if matches!(best, Val::Null) || order(&item, &best)? == want {
                        best = item;
                    }
                }
            }
            best
        }
        Func::DaysBetween => match (a, b) {
            (Val::Date(from), Val::Date(to)) => Val::Num(Decimal::from((to - from).num_days())),
            _ => Val::Null,
        },
    })
}

/// `raw` shown in an error: its JSON, cut short.
fn shown(raw: &Value) -> String {
    let s = raw.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

fn decimal(raw: &Value) -> Option<Decimal> {
    match raw {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(Decimal::from(i))
            } else if let Some(u) = n.as_u64() {
                Some(Decimal::from(u))
            } else {
                let s = n.to_string();
                Decimal::from_str(&s).ok().or_else(|| Decimal::from_scientific(&s).ok())
            }
        }
        Value::String(s) => {
            let s = s.trim();
            Decimal::from_str_exact(s).or_else(|_| Decimal::from_str(s)).ok()
        }
        _ => None,
    }
}

fn text(raw: &Value) -> Option<String> {
    match raw {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn str_field(raw: &Value, key: &str) -> Option<String> {
    raw.get(key).and_then(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|t| t.date_naive()))
}

fn datetime(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
        .map(|t| t.and_utc())
}

/// Reads the JSON of field `name` as a value of type `ty`. A missing field or JSON `null` is
/// null. Reading is tolerant of the ways normalised form data may write a value (a decimal as a
/// string or a number, money as an amount or an object with its currency, a person or a
/// department as an id or an object); any other shape is an error naming the field.
fn from_json<'a>(raw: Option<&'a Value>, ty: &ExprType, name: &str) -> Result<Val<'a>, String> {
    let Some(raw) = raw else { return Ok(Val::Null) };
    if raw.is_null() {
        return Ok(Val::Null);
    }
    let bad = |what: &str| format!("field `{name}` holds `{}`, which is not {what}", shown(raw));
    Ok(match ty {
        ExprType::Number => Val::Num(decimal(raw).ok_or_else(|| bad("a number"))?),
        ExprType::Money { currency } => match raw {
            Value::Object(_) => {
                let amount = raw.get("amount").and_then(decimal).ok_or_else(|| bad("an amount of money"))?;
                Val::Money(amount, str_field(raw, "currency").or_else(|| currency.clone()))
            }
            _ => Val::Money(decimal(raw).ok_or_else(|| bad("an amount of money"))?, currency.clone()),
        },
        ExprType::Text | ExprType::Choice { .. } => Val::Text(text(raw).ok_or_else(|| bad("text"))?),
        ExprType::Bool => match raw {
            Value::Bool(b) => Val::Bool(*b),
            Value::String(s) if s == "true" => Val::Bool(true),
            Value::String(s) if s == "false" => Val::Bool(false),
            _ => return Err(bad("yes or no")),
        },
        ExprType::Date => Val::Date(raw.as_str().and_then(date).ok_or_else(|| bad("a date"))?),
        ExprType::DateTime => Val::DateTime(raw.as_str().and_then(datetime).ok_or_else(|| bad("a date and time"))?),
        ExprType::Person => match raw {
            Value::String(s) => Val::Person { id: s.clone(), login: None },
            Value::Object(_) => {
                Val::Person { id: str_field(raw, "id").ok_or_else(|| bad("a person"))?, login: str_field(raw, "login") }
            }
            _ => return Err(bad("a person")),
        },
        ExprType::Department => match raw {
            Value::String(s) => Val::Dept { id: s.clone(), name: None, code: None },
            Value::Object(_) => Val::Dept {
                id: str_field(raw, "id").ok_or_else(|| bad("a department"))?,
                name: str_field(raw, "name"),
                code: str_field(raw, "code"),
            },
            _ => return Err(bad("a department")),
        },
        ExprType::MultiChoice { .. } => match raw {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(if item.is_null() {
                        Val::Null
                    } else {
                        Val::Text(text(item).ok_or_else(|| bad("a list of options"))?)
                    });
                }
                Val::List(out)
            }
            other => Val::List(vec![Val::Text(text(other).ok_or_else(|| bad("a list of options"))?)]),
        },
        ExprType::List { of } => match raw {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(from_json(Some(item), of, name)?);
                }
                Val::List(out)
            }
            other => Val::List(vec![from_json(Some(other), of, name)?]),
        },
        ExprType::Table { .. } => match raw {
            Value::Array(rows) => Val::Rows(rows),
            _ => return Err(bad("a table")),
        },
    })
}
