//! Splits a condition's source into tokens.

use std::fmt;

use rust_decimal::Decimal;

use super::error::{ExprError, Span};

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Number(Decimal),
    Text(String),
    Ident(String),
    True,
    False,
    Null,
    In,
    Not,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
    AndAnd,
    OrOr,
    Bang,
    Plus,
    Minus,
    Star,
    Slash,
    Eof,
}

impl fmt::Display for Tok {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Tok::Number(n) => return write!(f, "`{n}`"),
            Tok::Text(_) => "quoted text",
            Tok::Ident(name) => return write!(f, "`{name}`"),
            Tok::True => "`true`",
            Tok::False => "`false`",
            Tok::Null => "`null`",
            Tok::In => "`in`",
            Tok::Not => "`not`",
            Tok::LParen => "`(`",
            Tok::RParen => "`)`",
            Tok::LBracket => "`[`",
            Tok::RBracket => "`]`",
            Tok::Comma => "`,`",
            Tok::Dot => "`.`",
            Tok::EqEq => "`==`",
            Tok::NotEq => "`!=`",
            Tok::Lt => "`<`",
            Tok::Le => "`<=`",
            Tok::Gt => "`>`",
            Tok::Ge => "`>=`",
            Tok::AndAnd => "`&&`",
            Tok::OrOr => "`||`",
            Tok::Bang => "`!`",
            Tok::Plus => "`+`",
            Tok::Minus => "`-`",
            Tok::Star => "`*`",
            Tok::Slash => "`/`",
            Tok::Eof => "the end of the condition",
        };
        f.write_str(s)
    }
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) span: Span,
}

/// Whether `c` may start a name: a letter of any script (`金额`) or `_`.
pub(super) fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

/// Whether `c` may continue a name.
pub(super) fn is_name_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The tokens of `src`, ending with [`Tok::Eof`], or the first lexical error.
pub(super) fn tokenize(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if is_name_start(c) {
            let mut end = start;
            while let Some(&(i, c)) = chars.peek() {
                if !is_name_continue(c) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            let word = &src[start..end];
            let tok = match word {
                "true" => Tok::True,
                "false" => Tok::False,
                "null" => Tok::Null,
                "in" => Tok::In,
                "not" => Tok::Not,
                _ => Tok::Ident(word.to_string()),
            };
            out.push(Token { tok, span: Span::new(start, end) });
            continue;
        }
        if c.is_ascii_digit() {
            out.push(number(src, &mut chars, start)?);
            continue;
        }
        if c == '"' {
            out.push(text(src, &mut chars, start)?);
            continue;
        }
        chars.next();
        let next = chars.peek().map(|&(_, c)| c);
        let one = |tok| (tok, 1);
        let (tok, len) = match (c, next) {
            ('(', _) => one(Tok::LParen),
            (')', _) => one(Tok::RParen),
            ('[', _) => one(Tok::LBracket),
            (']', _) => one(Tok::RBracket),
            (',', _) => one(Tok::Comma),
            ('.', _) => one(Tok::Dot),
            ('+', _) => one(Tok::Plus),
            ('-', _) => one(Tok::Minus),
            ('*', _) => one(Tok::Star),
            ('/', _) => one(Tok::Slash),
            ('=', Some('=')) => (Tok::EqEq, 2),
            ('!', Some('=')) => (Tok::NotEq, 2),
            ('<', Some('=')) => (Tok::Le, 2),
            ('>', Some('=')) => (Tok::Ge, 2),
            ('&', Some('&')) => (Tok::AndAnd, 2),
            ('|', Some('|')) => (Tok::OrOr, 2),
            ('!', _) => one(Tok::Bang),
            ('<', _) => one(Tok::Lt),
            ('>', _) => one(Tok::Gt),
            ('=', _) => return Err(err(src, start, 1, "unexpected `=`: compare with `==`")),
            ('&', _) => return Err(err(src, start, 1, "unexpected `&`: write `&&` for and")),
            ('|', _) => return Err(err(src, start, 1, "unexpected `|`: write `||` for or")),
            ('\'', _) => {
                return Err(err(src, start, 1, "unexpected `'`: quote text with double quotes, like `\"Sales\"`"))
            }
            _ => return Err(unexpected(src, start, c)),
        };
        if len == 2 {
            chars.next();
        }
        out.push(Token { tok, span: Span::new(start, start + len) });
    }
    out.push(Token { tok: Tok::Eof, span: Span::new(src.len(), src.len()) });
    Ok(out)
}

fn err(src: &str, start: usize, len: usize, message: &str) -> ExprError {
    ExprError::new(src, Span::new(start, start + len), message)
}

/// The error for a character that starts no token, with a hint for the full-width punctuation
/// a Chinese input method types.
fn unexpected(src: &str, start: usize, c: char) -> ExprError {
    let hint = match c {
        '“' | '”' | '＂' | '‘' | '’' => Some("quote text with straight double quotes `\"`"),
        '（' => Some("use `(`"),
        '）' => Some("use `)`"),
        '【' | '［' => Some("use `[`"),
        '】' | '］' => Some("use `]`"),
        '，' | '、' => Some("use `,`"),
        '＝' => Some("compare with `==`"),
        '！' => Some("use `!`"),
        '＜' => Some("use `<`"),
        '＞' => Some("use `>`"),
        '＆' => Some("write `&&` for and"),
        '｜' => Some("write `||` for or"),
        '。' | '．' => Some("use `.`"),
        _ => None,
    };
    let shown = if c.is_control() { c.escape_default().to_string() } else { c.to_string() };
    let message = match hint {
        Some(h) => format!("unexpected `{shown}`: {h}"),
        None => format!("unexpected `{shown}`"),
    };
    ExprError::new(src, Span::new(start, start + c.len_utf8()), message)
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// A number: digits, optionally a `.` and more digits. No sign (a leading `-` is an operator)
/// and no exponent.
fn number(src: &str, chars: &mut Chars<'_>, start: usize) -> Result<Token, ExprError> {
    let mut end = start;
    let mut seen_dot = false;
    while let Some(&(i, c)) = chars.peek() {
        if c.is_ascii_digit() {
            end = i + 1;
            chars.next();
        } else if c == '.' && !seen_dot {
            // Look past the dot: `1.5` is a number, `1.x` is not.
            let mut ahead = chars.clone();
            ahead.next();
            match ahead.peek() {
                Some(&(_, d)) if d.is_ascii_digit() => {
                    seen_dot = true;
                    end = i + 1;
                    chars.next();
                }
                _ => {
                    let text = &src[start..i + 1];
                    return Err(err(
                        src,
                        start,
                        i + 1 - start,
                        &format!("`{text}` needs digits after the decimal point"),
                    ));
                }
            }
        } else {
            break;
        }
    }
    let text = &src[start..end];
    let n = Decimal::from_str_exact(text)
        .map_err(|_| err(src, start, end - start, &format!("number `{text}` is too large or too precise")))?;
    Ok(Token { tok: Tok::Number(n), span: Span::new(start, end) })
}

/// Text in double quotes, with the escapes `\"`, `\\`, `\n`, `\t`, `\r` and `\u{…}`.
fn text(src: &str, chars: &mut Chars<'_>, start: usize) -> Result<Token, ExprError> {
    chars.next(); // the opening quote
    let mut out = String::new();
    loop {
        let Some((i, c)) = chars.next() else {
            return Err(err(src, start, src.len() - start, "unterminated text: the closing `\"` is missing"));
        };
        match c {
            '"' => return Ok(Token { tok: Tok::Text(out), span: Span::new(start, i + 1) }),
            '\\' => {
                let Some((j, e)) = chars.next() else {
                    return Err(err(src, start, src.len() - start, "unterminated text: the closing `\"` is missing"));
                };
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    'u' => out.push(unicode_escape(src, chars, i)?),
                    other => {
                        let shown = other.escape_default().to_string();
                        return Err(err(
                            src,
                            i,
                            j + other.len_utf8() - i,
                            &format!("unknown escape `\\{shown}` in text"),
                        ));
                    }
                }
            }
            c => out.push(c),
        }
    }
}

/// The character of `\u{XXXX}`, the backslash being at `at`.
fn unicode_escape(src: &str, chars: &mut Chars<'_>, at: usize) -> Result<char, ExprError> {
    let bad = |end: usize| err(src, at, end.saturating_sub(at).max(2), "a unicode escape is written `\\u{4e2d}`");
    match chars.next() {
        Some((_, '{')) => {}
        Some((j, _)) => return Err(bad(j + 1)),
        None => return Err(bad(src.len())),
    }
    let mut hex = String::new();
    loop {
        match chars.next() {
            Some((j, '}')) => {
                if hex.is_empty() {
                    return Err(bad(j + 1));
                }
                let code = u32::from_str_radix(&hex, 16).map_err(|_| bad(j + 1))?;
                return char::from_u32(code)
                    .ok_or_else(|| err(src, at, j + 1 - at, &format!("`\\u{{{hex}}}` is not a unicode character")));
            }
            Some((_, c)) if c.is_ascii_hexdigit() && hex.len() < 6 => hex.push(c),
            Some((j, c)) => return Err(bad(j + c.len_utf8())),
            None => return Err(bad(src.len())),
        }
    }
}
