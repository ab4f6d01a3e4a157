//! A recursive-descent parser from tokens to the syntax tree.
//!
//! ```text
//! condition := or
//! or        := and ( "||" and )*
//! and       := cmp ( "&&" cmp )*
//! cmp       := add ( cmp_op add )?          cmp_op: == != < <= > >= in "not in"
//! add       := mul ( ("+" | "-") mul )*
//! mul       := unary ( ("*" | "/") unary )*
//! unary     := ("!" | "-") unary | primary
//! primary   := number | text | "true" | "false" | "null"
//!            | "date" "(" text ")" | "datetime" "(" text ")"
//!            | name "(" ( condition ( "," condition )* ","? )? ")"
//!            | name ( "." member )*
//!            | "(" condition ")"
//!            | "[" ( condition ( "," condition )* ","? )? "]"
//! ```

use chrono::{DateTime, NaiveDate, Utc};

use super::ast::{BinaryOp, Expr, Node, NodeKind, UnaryOp};
use super::error::{ExprError, Span};
use super::lexer::{tokenize, Tok, Token};
use super::{MAX_DEPTH, MAX_SOURCE_BYTES};

/// Parses a condition. Fails with the first syntax error, or when the source is longer than
/// [`MAX_SOURCE_BYTES`] or nests deeper than [`MAX_DEPTH`].
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.len() > MAX_SOURCE_BYTES {
        return Err(ExprError::new(
            src,
            Span::new(MAX_SOURCE_BYTES, src.len()),
            format!("condition is too long: {} bytes, at most {MAX_SOURCE_BYTES}", src.len()),
        ));
    }
    let tokens = tokenize(src)?;
    let mut p = Parser { src, tokens, pos: 0, depth: 0 };
    if p.peek() == &Tok::Eof {
        return Err(p.error(p.span(), "condition is empty"));
    }
    let root = p.expr()?;
    match p.peek() {
        Tok::Eof => Ok(Expr::new(src.to_string(), root.node)),
        tok => {
            let hint = match tok {
                Tok::Ident(w) if w == "and" || w == "AND" => " (write `&&` for and)",
                Tok::Ident(w) if w == "or" || w == "OR" => " (write `||` for or)",
                Tok::Not => " (`not` is only used in `not in`; negate with `!`)",
                _ => "",
            };
            Err(p.error(p.span(), format!("expected an operator or the end of the condition, found {tok}{hint}")))
        }
    }
}

/// A parsed node and the height of its tree, kept so deep trees are refused while parsing.
struct Parsed {
    node: Node,
    height: usize,
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    /// How many nested rules are open, to refuse deep nesting before the stack grows.
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        self.tokens.get(self.pos).map(|t| &t.tok).unwrap_or(&Tok::Eof)
    }

    fn peek_at(&self, ahead: usize) -> &Tok {
        self.tokens.get(self.pos + ahead).map(|t| &t.tok).unwrap_or(&Tok::Eof)
    }

    fn span(&self) -> Span {
        self.tokens
            .get(self.pos)
            .or_else(|| self.tokens.last())
            .map(|t| t.span)
            .unwrap_or_else(|| Span::new(self.src.len(), self.src.len()))
    }

    fn bump(&mut self) -> Token {
        let t = self.tokens.get(self.pos).cloned().unwrap_or(Token { tok: Tok::Eof, span: self.span() });
        if self.pos < self.tokens.len() {
            self.pos += 1;
        }
        t
    }

    fn error(&self, span: Span, message: impl Into<String>) -> ExprError {
        ExprError::new(self.src, span, message)
    }

    fn too_deep(&self, span: Span) -> ExprError {
        self.error(span, format!("condition is nested too deeply: at most {MAX_DEPTH} levels"))
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<Span, ExprError> {
        if self.peek() == &tok {
            Ok(self.bump().span)
        } else {
            Err(self.error(self.span(), format!("expected {what}, found {}", self.peek())))
        }
    }

    /// Opens a nested rule.
    fn enter(&mut self) -> Result<(), ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.too_deep(self.span()));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn node(&self, kind: NodeKind, span: Span, height: usize) -> Result<Parsed, ExprError> {
        if height > MAX_DEPTH {
            return Err(self.too_deep(span));
        }
        Ok(Parsed { node: Node { kind, span }, height })
    }

    fn binary(&self, op: BinaryOp, left: Parsed, right: Parsed) -> Result<Parsed, ExprError> {
        let span = left.node.span.to(right.node.span);
        let height = left.height.max(right.height) + 1;
        let kind = NodeKind::Binary { op, left: Box::new(left.node), right: Box::new(right.node) };
        self.node(kind, span, height)
    }

    fn expr(&mut self) -> Result<Parsed, ExprError> {
        self.enter()?;
        let r = self.or();
        self.leave();
        r
    }

    fn or(&mut self) -> Result<Parsed, ExprError> {
        let mut left = self.and()?;
        while self.peek() == &Tok::OrOr {
            self.bump();
            let right = self.and()?;
            left = self.binary(BinaryOp::Or, left, right)?;
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Parsed, ExprError> {
        let mut left = self.cmp()?;
        while self.peek() == &Tok::AndAnd {
            self.bump();
            let right = self.cmp()?;
            left = self.binary(BinaryOp::And, left, right)?;
        }
        Ok(left)
    }

    fn cmp_op(&self) -> Result<Option<(BinaryOp, usize)>, ExprError> {
        Ok(Some(match self.peek() {
            Tok::EqEq => (BinaryOp::Eq, 1),
            Tok::NotEq => (BinaryOp::Ne, 1),
            Tok::Lt => (BinaryOp::Lt, 1),
            Tok::Le => (BinaryOp::Le, 1),
            Tok::Gt => (BinaryOp::Gt, 1),
            Tok::Ge => (BinaryOp::Ge, 1),
            Tok::In => (BinaryOp::In, 1),
            Tok::Not if self.peek_at(1) == &Tok::In => (BinaryOp::NotIn, 2),
            Tok::Not => {
                return Err(self.error(self.span(), "`not` is only used in `not in`; negate with `!`"));
            }
            _ => return Ok(None),
        }))
    }

    fn cmp(&mut self) -> Result<Parsed, ExprError> {
        let left = self.add()?;
        let Some((op, len)) = self.cmp_op()? else {
            return Ok(left);
        };
        for _ in 0..len {
            self.bump();
        }
        let right = self.add()?;
        if let Some((next, _)) = self.cmp_op()? {
            return Err(self.error(
                self.span(),
                format!(
                    "comparisons do not chain: join them with `&&`, like `a {} b && b {} c`",
                    op.symbol(),
                    next.symbol()
                ),
            ));
        }
        self.binary(op, left, right)
    }

    fn add(&mut self) -> Result<Parsed, ExprError> {
        let mut left = self.mul()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => BinaryOp::Add,
                Tok::Minus => BinaryOp::Sub,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.mul()?;
            left = self.binary(op, left, right)?;
        }
    }

    fn mul(&mut self) -> Result<Parsed, ExprError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Star => BinaryOp::Mul,
                Tok::Slash => BinaryOp::Div,
                _ => return Ok(left),
            };
            self.bump();
            let right = self.unary()?;
            left = self.binary(op, left, right)?;
        }
    }

    fn unary(&mut self) -> Result<Parsed, ExprError> {
        let op = match self.peek() {
            Tok::Bang => UnaryOp::Not,
            Tok::Minus => UnaryOp::Neg,
            _ => return self.primary(),
        };
        let start = self.bump().span;
        self.enter()?;
        let operand = self.unary();
        self.leave();
        let operand = operand?;
        let span = start.to(operand.node.span);
        let height = operand.height + 1;
        self.node(NodeKind::Unary { op, operand: Box::new(operand.node) }, span, height)
    }

    fn primary(&mut self) -> Result<Parsed, ExprError> {
        let token = self.bump();
        let span = token.span;
        let leaf = |kind| self.node(kind, span, 1);
        match token.tok {
            Tok::Number(n) => leaf(NodeKind::Number(n)),
            Tok::Text(s) => leaf(NodeKind::Text(s)),
            Tok::True => leaf(NodeKind::Bool(true)),
            Tok::False => leaf(NodeKind::Bool(false)),
            Tok::Null => leaf(NodeKind::Null),
            Tok::LParen => {
                let inner = self.expr()?;
                self.expect(Tok::RParen, "`)`")?;
                Ok(inner)
            }
            Tok::LBracket => {
                let (items, end) = self.sequence(Tok::RBracket, "`,` or `]`")?;
                let height = items.iter().map(|p| p.height).max().unwrap_or(0) + 1;
                let items = items.into_iter().map(|p| p.node).collect();
                self.node(NodeKind::List(items), span.to(end), height)
            }
            Tok::Ident(name) if self.peek() == &Tok::LParen => {
                self.bump();
                if name == "date" || name == "datetime" {
                    return self.moment(&name, span);
                }
                let (args, end) = self.sequence(Tok::RParen, "`,` or `)`")?;
                let height = args.iter().map(|p| p.height).max().unwrap_or(0) + 1;
                let args = args.into_iter().map(|p| p.node).collect();
                self.node(NodeKind::Call { name, args }, span.to(end), height)
            }
            Tok::Ident(name) => {
                let mut parts = vec![name];
                let mut end = span;
                while self.peek() == &Tok::Dot {
                    self.bump();
                    let member = self.bump();
                    let name = match member.tok {
                        Tok::Ident(name) => name,
                        // After a dot a keyword is a plain name: `form.in`.
                        Tok::True => "true".into(),
                        Tok::False => "false".into(),
                        Tok::Null => "null".into(),
                        Tok::In => "in".into(),
                        Tok::Not => "not".into(),
                        other => {
                            return Err(self.error(member.span, format!("expected a name after `.`, found {other}")));
                        }
                    };
                    parts.push(name);
                    end = member.span;
                }
                self.node(NodeKind::Path(parts), span.to(end), 1)
            }
            Tok::Not => Err(self.error(span, "`not` is only used in `not in`; negate with `!`")),
            Tok::Eof => Err(self.error(span, "expected a value, found the end of the condition")),
            other => Err(self.error(span, format!("expected a value, found {other}"))),
        }
    }

    /// The comma-separated conditions up to `close`, which is consumed; returns them and the
    /// span of `close`.
    fn sequence(&mut self, close: Tok, what: &str) -> Result<(Vec<Parsed>, Span), ExprError> {
        let mut items = Vec::new();
        loop {
            if self.peek() == &close {
                return Ok((items, self.bump().span));
            }
            items.push(self.expr()?);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                t if t == &close => {}
                _ => return Err(self.error(self.span(), format!("expected {what}, found {}", self.peek()))),
            }
        }
    }

    /// The rest of a `date("…")` or `datetime("…")` literal, after its `(`.
    fn moment(&mut self, name: &str, start: Span) -> Result<Parsed, ExprError> {
        let example = if name == "date" { "date(\"2026-01-31\")" } else { "datetime(\"2026-01-31T09:00:00+08:00\")" };
        let token = self.bump();
        let Tok::Text(text) = token.tok else {
            return Err(self.error(token.span, format!("`{name}` takes one quoted value, like `{example}`")));
        };
        let end = self.expect(Tok::RParen, "`)`")?;
        let kind = if name == "date" {
            match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                Ok(d) => NodeKind::Date(d),
                Err(_) => {
                    return Err(self.error(token.span, format!("`{text}` is not a date: write it like `{example}`")));
                }
            }
        } else {
            match DateTime::parse_from_rfc3339(&text) {
                Ok(t) => NodeKind::DateTime(t.with_timezone(&Utc)),
                Err(_) => {
                    return Err(self.error(
                        token.span,
                        format!("`{text}` is not a date and time with a time zone: write it like `{example}`"),
                    ));
                }
            }
        };
        self.node(kind, start.to(end), 1)
    }
}
