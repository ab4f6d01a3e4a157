//! The type checker: resolves every name against a [`TypeEnv`], checks every operator and
//! function, and compiles the tree the evaluator walks.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::ast::{BinaryOp, Expr, Node, NodeKind, UnaryOp};
use super::compiled::{ArithOp, CmpOp, Code, CodeKind, Const, Func, Quantifier, Scope};
use super::error::{ExprError, Span};
use super::types::{attrs, Attr, ExprType, TypeEnv};

/// A condition that parsed and type-checked: ready to evaluate, any number of times, from any
/// thread.
///
/// It is not stored: keep the source (in the process definition) and compile it again against
/// the form's fields when the definition is loaded; checking is cheap.
#[derive(Debug, Clone)]
pub struct Checked {
    pub(super) source: String,
    pub(super) code: Code,
    pub(super) fields: Vec<String>,
    pub(super) initiator: Vec<String>,
}

impl Checked {
    /// The source the condition was compiled from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The form fields the condition reads (top-level names, sorted, each once; a table's
    /// columns count as the table), for publish-time validation.
    pub fn referenced_fields(&self) -> Vec<String> {
        self.fields.clone()
    }

    /// The attributes of the initiator the condition reads (`dept`, `roles`…), sorted, each
    /// once, so the engine loads only what is needed.
    pub fn referenced_initiator_attributes(&self) -> Vec<String> {
        self.initiator.clone()
    }
}

/// Type-checks a parsed condition against the form fields of `env` and compiles it. Reports
/// every error found, not just the first.
pub fn check(expr: &Expr, env: &TypeEnv) -> Result<Checked, Vec<ExprError>> {
    let mut c = Checker {
        src: expr.source(),
        env,
        rows: Vec::new(),
        errors: Vec::new(),
        fields: BTreeSet::new(),
        initiator: BTreeSet::new(),
    };
    let root = expr.root();
    let (code, t) = c.expr(root);
    c.require_bool(&t, root.span, |found| format!("condition must be yes/no, found {found}"));
    if c.errors.is_empty() {
        Ok(Checked {
            source: expr.source().to_string(),
            code,
            fields: c.fields.into_iter().collect(),
            initiator: c.initiator.into_iter().collect(),
        })
    } else {
        Err(c.errors)
    }
}

/// A type as the checker sees it: a value's type, or one of the types only literals have.
#[derive(Debug, Clone, PartialEq)]
enum T {
    Of(ExprType),
    /// `null`.
    Null,
    /// `[]`, or a list of nothing but `null`.
    EmptyList,
    /// Already reported: stays quiet so one mistake gives one error.
    Poison,
}

impl fmt::Display for T {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            T::Of(t) => t.fmt(f),
            T::Null => f.write_str("null"),
            T::EmptyList => f.write_str("an empty list"),
            T::Poison => f.write_str("an unknown type"),
        }
    }
}

/// The comparison families: two values compare with `==` when their families match (or one
/// is text and the other a person or a department).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Numeric,
    Textual,
    Bool,
    Date,
    DateTime,
    Person,
    Dept,
    Other,
}

fn family(t: &ExprType) -> Family {
    match t {
        ExprType::Number | ExprType::Money { .. } => Family::Numeric,
        ExprType::Text | ExprType::Choice { .. } => Family::Textual,
        ExprType::Bool => Family::Bool,
        ExprType::Date => Family::Date,
        ExprType::DateTime => Family::DateTime,
        ExprType::Person => Family::Person,
        ExprType::Department => Family::Dept,
        ExprType::MultiChoice { .. } | ExprType::Table { .. } | ExprType::List { .. } => Family::Other,
    }
}

fn equatable(a: &ExprType, b: &ExprType) -> bool {
    use Family::*;
    matches!(
        (family(a), family(b)),
        (Numeric, Numeric)
            | (Textual, Textual)
            | (Bool, Bool)
            | (Date, Date)
            | (DateTime, DateTime)
            | (Person, Person)
            | (Person, Textual)
            | (Textual, Person)
            | (Dept, Dept)
            | (Dept, Textual)
            | (Textual, Dept)
    )
}

fn orderable(t: &ExprType) -> bool {
    matches!(family(t), Family::Numeric | Family::Date | Family::DateTime)
}

/// The element type of a list-like type, if it is one. `Ok(None)` for the empty list.
fn element(t: &T) -> Option<Option<ExprType>> {
    match t {
        T::Of(ExprType::List { of }) => Some(Some((**of).clone())),
        T::Of(ExprType::MultiChoice { options }) => Some(Some(ExprType::Choice { options: options.clone() })),
        T::EmptyList => Some(None),
        _ => None,
    }
}

/// Two fixed currencies that differ.
fn currency_clash<'t>(a: &'t ExprType, b: &'t ExprType) -> Option<(&'t str, &'t str)> {
    match (a, b) {
        (ExprType::Money { currency: Some(x) }, ExprType::Money { currency: Some(y) }) if x != y => Some((x, y)),
        _ => None,
    }
}

fn is_textual(t: &T) -> bool {
    matches!(t, T::Of(x) if family(x) == Family::Textual)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "argument"
    } else {
        "arguments"
    }
}

/// The closest of `candidates` to `name`, if close enough to be a likely typo: a few edits
/// away, or a name of three characters or more that `name` starts with (`length` → `len`).
pub(super) fn suggest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_lowercase();
    let name_len = name.chars().count();
    let limit = (name_len / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .filter_map(|c| {
            let c_lower = c.to_lowercase();
            let d = distance(&lower, &c_lower);
            if d <= limit && d < name_len {
                Some((d, c))
            } else if c.chars().count() >= 3 && lower.starts_with(&c_lower) {
                Some((limit + 1, c))
            } else {
                None
            }
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The edit distance between `a` and `b`, in characters, counting a swap of two neighbours as
/// one edit (`titel` is one edit from `title`).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // d[i][j]: the distance between the first i characters of a and the first j of b.
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

fn with_suggestion(message: String, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("{message} (did you mean `{s}`?)"),
        None => message,
    }
}

/// A null code, for the places an error was reported.
fn nothing(span: Span) -> Code {
    Code::new(CodeKind::Const(Const::Null), span)
}

struct Checker<'e> {
    src: &'e str,
    env: &'e TypeEnv,
    /// The columns of the rows of enclosing `any`/`all`, innermost last.
    rows: Vec<BTreeMap<String, ExprType>>,
    errors: Vec<ExprError>,
    fields: BTreeSet<String>,
    initiator: BTreeSet<String>,
}

impl Checker<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.errors.push(ExprError::new(self.src, span, message));
    }

    /// Reports an error and gives the poisoned result.
    fn fail(&mut self, span: Span, message: impl Into<String>) -> (Code, T) {
        self.error(span, message);
        (nothing(span), T::Poison)
    }

    fn require_bool(&mut self, t: &T, span: Span, message: impl FnOnce(&T) -> String) {
        match t {
            T::Of(ExprType::Bool) | T::Poison => {}
            other => {
                let m = message(other);
                self.error(span, m);
            }
        }
    }

    fn expr(&mut self, n: &Node) -> (Code, T) {
        let span = n.span;
        let constant = |c: Const, t: ExprType| (Code::new(CodeKind::Const(c), span), T::Of(t));
        match &n.kind {
            NodeKind::Number(d) => constant(Const::Number(*d), ExprType::Number),
            NodeKind::Text(s) => constant(Const::Text(s.clone()), ExprType::Text),
            NodeKind::Bool(b) => constant(Const::Bool(*b), ExprType::Bool),
            NodeKind::Date(d) => constant(Const::Date(*d), ExprType::Date),
            NodeKind::DateTime(t) => constant(Const::DateTime(*t), ExprType::DateTime),
            NodeKind::Null => (nothing(span), T::Null),
            NodeKind::Path(parts) => self.path(parts, span),
            NodeKind::List(items) => self.list(items, span),
            NodeKind::Call { name, args } => self.call(name, args, span),
            NodeKind::Unary { op, operand } => self.unary(*op, operand, span),
            NodeKind::Binary { op, left, right } => self.binary(*op, left, right, span),
        }
    }

    fn path(&mut self, parts: &[String], span: Span) -> (Code, T) {
        let Some(first) = parts.first() else {
            return self.fail(span, "expected a name");
        };
        match first.as_str() {
            "initiator" => self.initiator(parts, span),
            "form" => {
                let Some(name) = parts.get(1) else {
                    return self.fail(span, "`form` must be followed by a field name, like `form.amount`");
                };
                match self.env.get(name) {
                    Some(ty) => {
                        let ty = ty.clone();
                        self.fields.insert(name.clone());
                        let code = CodeKind::Field { scope: Scope::Form, name: name.clone(), ty: ty.clone() };
                        self.members(Code::new(code, span), ty, &parts[..2], &parts[2..], span)
                    }
                    None => {
                        let s = suggest(name, self.env.fields().map(|(n, _)| n));
                        self.fail(span, with_suggestion(format!("unknown field `{name}`"), s))
                    }
                }
            }
            name => {
                // The innermost row's columns first, then enclosing rows, then the form.
                let found =
                    self.rows.iter().rev().enumerate().find_map(|(k, cols)| cols.get(name).map(|t| (k, t.clone())));
                let (scope, ty) = match found {
                    Some((k, ty)) => (Scope::Row(k), ty),
                    None => match self.env.get(name) {
                        Some(ty) => {
                            self.fields.insert(name.to_string());
                            (Scope::Form, ty.clone())
                        }
                        None => {
                            let row_names = self.rows.iter().flat_map(|cols| cols.keys().map(String::as_str));
                            let s = suggest(name, row_names.chain(self.env.fields().map(|(n, _)| n)));
                            let message = with_suggestion(format!("unknown field `{name}`"), s);
                            return self.fail(span, message);
                        }
                    },
                };
                let code = CodeKind::Field { scope, name: name.to_string(), ty: ty.clone() };
                self.members(Code::new(code, span), ty, &parts[..1], &parts[1..], span)
            }
        }
    }

    fn initiator(&mut self, parts: &[String], span: Span) -> (Code, T) {
        let Some(name) = parts.get(1) else {
            self.initiator.insert("id".into());
            return (Code::new(CodeKind::Initiator(Attr::Id), span), T::Of(ExprType::Person));
        };
        let all = attrs();
        let Some((_, attr, ty, _)) = all.iter().find(|(n, ..)| n == name) else {
            let s = suggest(name, all.iter().map(|(n, ..)| *n));
            return self.fail(span, with_suggestion(format!("unknown attribute `{name}` of `initiator`"), s));
        };
        if let Some(member) = parts.get(2) {
            return self.fail(span, format!("`initiator.{name}` has no member `{member}`"));
        }
        self.initiator.insert(name.clone());
        (Code::new(CodeKind::Initiator(*attr), span), T::Of(ty.clone()))
    }

    /// Resolves `rest` as members of `base` (named `done`): only a table has members, its
    /// columns.
    fn members(&mut self, base: Code, ty: ExprType, done: &[String], rest: &[String], span: Span) -> (Code, T) {
        let Some(member) = rest.first() else {
            return (base, T::Of(ty));
        };
        let label = done.join(".");
        let ExprType::Table { columns } = &ty else {
            return self.fail(span, format!("`{label}` has no member `{member}`: only a table has columns"));
        };
        let Some(col_ty) = columns.get(member) else {
            let s = suggest(member, columns.keys().map(String::as_str));
            return self.fail(span, with_suggestion(format!("unknown column `{member}` of table `{label}`"), s));
        };
        if let Some(next) = rest.get(1) {
            return self.fail(span, format!("`{label}.{member}` has no member `{next}`"));
        }
        let code = CodeKind::Column {
            table: Box::new(base),
            column: member.clone(),
            label: format!("{label}.{member}"),
            ty: col_ty.clone(),
        };
        (Code::new(code, span), T::Of(ExprType::list(col_ty.clone())))
    }

    fn list(&mut self, items: &[Node], span: Span) -> (Code, T) {
        let mut codes = Vec::with_capacity(items.len());
        let mut elem: Option<ExprType> = None;
        let mut poisoned = false;
        for item in items {
            let (code, t) = self.expr(item);
            codes.push(code);
            match t {
                T::Poison => poisoned = true,
                T::Null => {}
                T::EmptyList => {
                    self.error(item.span, "a list cannot hold lists");
                    poisoned = true;
                }
                T::Of(ty) => match &elem {
                    None => elem = Some(ty),
                    Some(first) if equatable(first, &ty) => {
                        // Money among numbers makes a list of money.
                        if matches!(ty, ExprType::Money { .. }) && !matches!(first, ExprType::Money { .. }) {
                            elem = Some(ty);
                        }
                    }
                    Some(first) => {
                        let message = format!("a list cannot mix {first} and {ty}");
                        self.error(item.span, message);
                        poisoned = true;
                    }
                },
            }
        }
        let t = match (poisoned, elem) {
            (true, _) => T::Poison,
            (false, None) => T::EmptyList,
            (false, Some(ExprType::List { .. } | ExprType::MultiChoice { .. } | ExprType::Table { .. })) => {
                return self.fail(span, "a list cannot hold lists or tables");
            }
            (false, Some(ty)) => T::Of(ExprType::list(ty)),
        };
        (Code::new(CodeKind::List(codes), span), t)
    }

    fn unary(&mut self, op: UnaryOp, operand: &Node, span: Span) -> (Code, T) {
        let (code, t) = self.expr(operand);
        match op {
            UnaryOp::Not => {
                self.require_bool(&t, operand.span, |found| format!("`!` needs yes/no, found {found}"));
                (Code::new(CodeKind::Not(Box::new(code)), span), T::Of(ExprType::Bool))
            }
            UnaryOp::Neg => match t {
                T::Of(ty @ (ExprType::Number | ExprType::Money { .. })) => {
                    (Code::new(CodeKind::Neg(Box::new(code)), span), T::Of(ty))
                }
                T::Poison => (nothing(span), T::Poison),
                other => self.fail(operand.span, format!("`-` needs a number or money, found {other}")),
            },
        }
    }

    fn binary(&mut self, op: BinaryOp, left: &Node, right: &Node, span: Span) -> (Code, T) {
        let (lc, lt) = self.expr(left);
        let (rc, rt) = self.expr(right);
        let (l, r) = (Box::new(lc), Box::new(rc));
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let sym = op.symbol();
                self.require_bool(&lt, left.span, |f| format!("`{sym}` needs yes/no on both sides, found {f}"));
                self.require_bool(&rt, right.span, |f| format!("`{sym}` needs yes/no on both sides, found {f}"));
                let kind = if op == BinaryOp::And { CodeKind::And(l, r) } else { CodeKind::Or(l, r) };
                (Code::new(kind, span), T::Of(ExprType::Bool))
            }
            BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let cmp = match op {
                    BinaryOp::Eq => CmpOp::Eq,
                    BinaryOp::Ne => CmpOp::Ne,
                    BinaryOp::Lt => CmpOp::Lt,
                    BinaryOp::Le => CmpOp::Le,
                    BinaryOp::Gt => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                let ordering = !matches!(cmp, CmpOp::Eq | CmpOp::Ne);
                if let Err(message) = compare_types(op, ordering, &lt, &rt) {
                    return self.fail(span, message);
                }
                if !ordering {
                    self.check_option(left, &lt, right);
                    self.check_option(right, &rt, left);
                }
                (Code::new(CodeKind::Compare(cmp, l, r), span), T::Of(ExprType::Bool))
            }
            BinaryOp::In | BinaryOp::NotIn => {
                let sym = op.symbol();
                let Some(of) = element(&rt) else {
                    if rt == T::Poison {
                        return (nothing(span), T::Poison);
                    }
                    return self.fail(right.span, format!("`{sym}` needs a list on its right, found {rt}"));
                };
                if let Some(of) = &of {
                    if let Err(message) = compare_types(BinaryOp::Eq, false, &lt, &T::Of(of.clone())) {
                        return self.fail(span, message);
                    }
                    // `"Urgent" in tags`: the text must be an option of the multiple choice.
                    if let (ExprType::Choice { options }, NodeKind::Text(_)) = (of, &left.kind) {
                        self.check_literal_option(options, left, right);
                    }
                }
                if lt == T::Null {
                    return self.fail(left.span, format!("`null` is never `{sym}` a list; compare with `== null`"));
                }
                // `category in ["Sales", "R&D"]`: each quoted text must be an option.
                if let (T::Of(ExprType::Choice { options }), NodeKind::List(items)) = (&lt, &right.kind) {
                    for item in items {
                        if matches!(item.kind, NodeKind::Text(_)) {
                            self.check_literal_option(options, item, left);
                        }
                    }
                }
                let kind = CodeKind::In { negated: op == BinaryOp::NotIn, elem: l, list: r };
                (Code::new(kind, span), T::Of(ExprType::Bool))
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                let arith = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Sub => ArithOp::Sub,
                    BinaryOp::Mul => ArithOp::Mul,
                    _ => ArithOp::Div,
                };
                match arith_type(op, arith, &lt, &rt) {
                    Ok(t) => (Code::new(CodeKind::Arith(arith, l, r), span), t),
                    Err(message) => self.fail(span, message),
                }
            }
        }
    }

    /// When `node` (of type `t`) is a choice field and `other` is quoted text, the text must be
    /// one of its options.
    fn check_option(&mut self, node: &Node, t: &T, other: &Node) {
        if let (T::Of(ExprType::Choice { options }), NodeKind::Text(_)) = (t, &other.kind) {
            self.check_literal_option(options, other, node);
        }
    }

    /// `literal` (quoted text) must be one of `options` of the field `field`; no options means
    /// any text.
    fn check_literal_option(&mut self, options: &[String], literal: &Node, field: &Node) {
        let NodeKind::Text(text) = &literal.kind else { return };
        if options.is_empty() || options.iter().any(|o| o == text) {
            return;
        }
        let name = match &field.kind {
            NodeKind::Path(parts) => format!("`{}`", parts.join(".")),
            _ => "the field".to_string(),
        };
        let s = suggest(text, options.iter().map(String::as_str));
        let message = with_suggestion(format!("`{text}` is not an option of {name}"), s);
        self.error(literal.span, message);
    }

    fn call(&mut self, name: &str, args: &[Node], span: Span) -> (Code, T) {
        const ARITY: &[(&str, usize)] = &[
            ("contains", 2),
            ("starts_with", 2),
            ("ends_with", 2),
            ("len", 1),
            ("is_empty", 1),
            ("count", 1),
            ("sum", 1),
            ("min", 1),
            ("max", 1),
            ("any", 2),
            ("all", 2),
            ("days_between", 2),
        ];
        let Some(&(_, arity)) = ARITY.iter().find(|(n, _)| *n == name) else {
            let s = suggest(name, ARITY.iter().map(|(n, _)| *n).chain(["date", "datetime"]));
            return self.fail(span, with_suggestion(format!("unknown function `{name}`"), s));
        };
        if args.len() != arity {
            return self.fail(span, format!("`{name}` takes {arity} {}, found {}", plural(arity), args.len()));
        }
        if name == "any" || name == "all" {
            return self.quantifier(name, &args[0], &args[1], span);
        }
        let mut codes = Vec::with_capacity(args.len());
        let mut types = Vec::with_capacity(args.len());
        for a in args {
            let (c, t) = self.expr(a);
            codes.push(c);
            types.push(t);
        }
        if types.contains(&T::Poison) {
            return (nothing(span), T::Poison);
        }
        let (first, first_span) = (&types[0], args[0].span);
        let result = match name {
            "contains" => {
                if is_textual(first) {
                    if is_textual(&types[1]) {
                        Ok((Func::Contains, ExprType::Bool))
                    } else {
                        Err((args[1].span, format!("`contains` needs text to look for in text, found {}", types[1])))
                    }
                } else if let Some(of) = element(first) {
                    match of.map(|of| compare_types(BinaryOp::Eq, false, &types[1], &T::Of(of))) {
                        Some(Err(message)) => Err((span, message)),
                        _ => {
                            if let (T::Of(ExprType::MultiChoice { options }), NodeKind::Text(_)) =
                                (first, &args[1].kind)
                            {
                                self.check_literal_option(options, &args[1], &args[0]);
                            }
                            Ok((Func::Has, ExprType::Bool))
                        }
                    }
                } else {
                    Err((first_span, format!("`contains` needs text or a list first, found {first}")))
                }
            }
            "starts_with" | "ends_with" => match types.iter().zip(args).find(|(t, _)| !is_textual(t)) {
                Some((t, a)) => Err((a.span, format!("`{name}` needs text, found {t}"))),
                None => {
                    let f = if name == "starts_with" { Func::StartsWith } else { Func::EndsWith };
                    Ok((f, ExprType::Bool))
                }
            },
            "len" => {
                if is_textual(first) || element(first).is_some() || matches!(first, T::Of(ExprType::Table { .. })) {
                    Ok((Func::Len, ExprType::Number))
                } else {
                    Err((first_span, format!("`len` needs text, a list or a table, found {first}")))
                }
            }
            "is_empty" => Ok((Func::IsEmpty, ExprType::Bool)),
            "count" => {
                if element(first).is_some() || matches!(first, T::Of(ExprType::Table { .. })) {
                    Ok((Func::Count, ExprType::Number))
                } else {
                    Err((first_span, format!("`count` needs a table or a list, found {first}")))
                }
            }
            "sum" => match element(first).flatten() {
                Some(ExprType::Number) => Ok((Func::Sum { money: None }, ExprType::Number)),
                Some(ExprType::Money { currency }) => {
                    Ok((Func::Sum { money: Some(currency.clone()) }, ExprType::Money { currency }))
                }
                _ => Err((
                    first_span,
                    format!("`sum` needs a list of numbers or money, like `sum(items.amount)`, found {first}"),
                )),
            },
            "min" | "max" => match element(first).flatten() {
                Some(ty) if orderable(&ty) => Ok((if name == "min" { Func::Min } else { Func::Max }, ty)),
                _ => Err((
                    first_span,
                    format!(
                        "`{name}` needs a list of numbers, money or dates, like `{name}(items.amount)`, found {first}"
                    ),
                )),
            },
            "days_between" => match types.iter().zip(args).find(|(t, _)| **t != T::Of(ExprType::Date)) {
                Some((t, a)) => Err((a.span, format!("`days_between` needs two dates, found {t}"))),
                None => Ok((Func::DaysBetween, ExprType::Number)),
            },
            _ => Err((span, format!("unknown function `{name}`"))),
        };
        match result {
            Ok((func, ty)) => (Code::new(CodeKind::Call(func, codes), span), T::Of(ty)),
            Err((at, message)) => self.fail(at, message),
        }
    }

    /// `any(table, condition)` and `all(table, condition)`: the condition sees the row's
    /// columns by name.
    fn quantifier(&mut self, name: &str, table: &Node, pred: &Node, span: Span) -> (Code, T) {
        let (tc, tt) = self.expr(table);
        let columns = match tt {
            T::Of(ExprType::Table { columns }) => columns,
            T::Poison => return (nothing(span), T::Poison),
            other => {
                return self.fail(
                    table.span,
                    format!("`{name}` needs a table first, like `{name}(items, amount > 100)`, found {other}"),
                );
            }
        };
        self.rows.push(columns);
        let (pc, pt) = self.expr(pred);
        self.rows.pop();
        self.require_bool(&pt, pred.span, |f| format!("`{name}` needs a yes/no condition second, found {f}"));
        let quantifier = if name == "any" { Quantifier::Any } else { Quantifier::All };
        let kind = CodeKind::Rows { quantifier, table: Box::new(tc), pred: Box::new(pc) };
        (Code::new(kind, span), T::Of(ExprType::Bool))
    }
}

/// Whether values of types `a` and `b` can be compared with `op`.
fn compare_types(op: BinaryOp, ordering: bool, a: &T, b: &T) -> Result<(), String> {
    let sym = op.symbol();
    match (a, b) {
        (T::Poison, _) | (_, T::Poison) => Ok(()),
        (T::Null, _) | (_, T::Null) if ordering => {
            Err(format!("`null` can only be compared with `==` or `!=`, not `{sym}`"))
        }
        (T::Null, _) | (_, T::Null) => Ok(()),
        (T::EmptyList, _) | (_, T::EmptyList) => Err(format!("cannot compare {a} with {b}")),
        (T::Of(x), T::Of(y)) => {
            if !equatable(x, y) {
                return Err(format!("cannot compare {x} with {y}"));
            }
            if let Some((c1, c2)) = currency_clash(x, y) {
                return Err(format!("cannot compare money in `{c1}` with money in `{c2}`"));
            }
            if ordering && !orderable(x) {
                return Err(format!(
                    "cannot order {x} with `{sym}`: only numbers, money, dates and times have an order"
                ));
            }
            Ok(())
        }
    }
}

/// The type of `a op b` for an arithmetic operator.
fn arith_type(op: BinaryOp, arith: ArithOp, a: &T, b: &T) -> Result<T, String> {
    use ExprType::{Money, Number};
    let sym = op.symbol();
    let (x, y) = match (a, b) {
        (T::Poison, _) | (_, T::Poison) => return Ok(T::Poison),
        (T::Of(x @ (Number | Money { .. })), T::Of(y @ (Number | Money { .. }))) => (x, y),
        (T::Of(Number | Money { .. }), other) | (other, _) => {
            return Err(format!("`{sym}` needs numbers or money, found {other}"));
        }
    };
    let ty = match (x, y, arith) {
        (Number, Number, _) => Number,
        (Money { currency: c1 }, Money { currency: c2 }, ArithOp::Add | ArithOp::Sub) => {
            if let Some((c1, c2)) = currency_clash(x, y) {
                let verb = if arith == ArithOp::Add { "add" } else { "subtract" };
                return Err(format!("cannot {verb} money in `{c1}` and money in `{c2}`"));
            }
            Money { currency: c1.clone().or_else(|| c2.clone()) }
        }
        (Money { .. }, Money { .. }, ArithOp::Mul) => return Err("cannot multiply money by money".into()),
        (Money { .. }, Money { .. }, ArithOp::Div) => {
            if let Some((c1, c2)) = currency_clash(x, y) {
                return Err(format!("cannot divide money in `{c1}` by money in `{c2}`"));
            }
            Number
        }
        (Money { currency }, Number, _) => Money { currency: currency.clone() },
        (Number, Money { .. }, ArithOp::Div) => return Err("cannot divide a number by money".into()),
        (Number, Money { currency }, _) => Money { currency: currency.clone() },
        _ => return Err(format!("`{sym}` needs numbers or money")),
    };
    Ok(T::Of(ty))
}
