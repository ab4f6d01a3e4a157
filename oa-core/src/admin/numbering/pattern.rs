//! Numbering patterns: parsing and rendering `办〔{year}〕{seq}号`.

/// The widest zero-padding a sequence may have.
pub const MAX_SEQ_WIDTH: u8 = 12;
/// The longest pattern, in characters.
const MAX_PATTERN_LEN: usize = 100;

/// One piece of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Written as it is.
    Text(String),
    /// `{year}`.
    Year,
    /// `{month}`.
    Month,
    /// `{seq}` (`None`: the rule's width) or `{seq:N}`.
    Seq(Option<u8>),
}

/// A parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern {
    parts: Vec<Part>,
}

const PLACEHOLDERS: &str = "use {year}, {month}, {seq} or {seq:N}";

impl Pattern {
    /// Parses `text`, or says why it is refused (a reason for the field `pattern`).
    pub(crate) fn parse(text: &str) -> Result<Pattern, String> {
        let len = text.chars().count();
        if text.trim().is_empty() {
            return Err("must not be empty".into());
        }
        if len > MAX_PATTERN_LEN {
            return Err(format!("must be at most {MAX_PATTERN_LEN} characters, got {len}"));
        }
        if text.chars().any(char::is_control) {
            return Err("must not contain control characters such as line breaks".into());
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        let mut seqs = 0;
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '}' => return Err("has an unmatched `}`; write `}}` for a literal brace".into()),
                '{' => {
                    let mut name = String::new();
                    let mut closed = false;
                    for n in chars.by_ref() {
                        if n == '}' {
                            closed = true;
                            break;
                        }
                        name.push(n);
                    }
                    if !closed {
                        return Err(format!("has an unclosed `{{{name}`; write `{{{{` for a literal brace"));
                    }
                    let part = placeholder(&name)?;
                    if matches!(part, Part::Seq(_)) {
                        seqs += 1;
                    }
                    if !literal.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(part);
                }
                other => literal.push(other),
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Text(literal));
        }
        match seqs {
            0 => Err("must contain {seq}, where the sequence number goes".into()),
            1 => Ok(Pattern { parts }),
            _ => Err("must contain {seq} only once".into()),
        }
    }

    /// Whether the pattern writes the year.
    pub(crate) fn has_year(&self) -> bool {
        self.parts.contains(&Part::Year)
    }

    /// Whether the pattern writes the month.
    pub(crate) fn has_month(&self) -> bool {
        self.parts.contains(&Part::Month)
    }

    /// The number for sequence `seq` in `year` and `month`; `{seq}` is padded to `width`.
    pub(crate) fn render(&self, year: i32, month: u32, seq: u64, width: u8) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Year => out.push_str(&format!("{year:04}")),
                Part::Month => out.push_str(&format!("{month:02}")),
                Part::Seq(w) => {
                    let w = usize::from(w.unwrap_or(width));
                    out.push_str(&format!("{seq:0w$}"));
                }
            }
        }
        out
    }
}

/// The placeholder named `name` (what stands between the braces).
fn placeholder(name: &str) -> Result<Part, String> {
    match name {
        "year" => Ok(Part::Year),
        "month" => Ok(Part::Month),
        "seq" => Ok(Part::Seq(None)),
        _ => match name.strip_prefix("seq:") {
            Some(n) => match n.parse::<u8>() {
                Ok(w) if (1..=MAX_SEQ_WIDTH).contains(&w) && n.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(Part::Seq(Some(w)))
                }
                _ => Err(format!("`{{{name}}}` needs a width from 1 to {MAX_SEQ_WIDTH}, such as {{seq:4}}")),
            },
            None => Err(format!("has an unknown placeholder `{{{name}}}`; {PLACEHOLDERS}")),
        },
    }
}
