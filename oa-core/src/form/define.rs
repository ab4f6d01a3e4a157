//! Checking and normalising a form definition before it is stored.
//!
//! Every problem is reported with its path in the input (`fields[3].options`,
//! `fields[2].fields[0].key`), all at once.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;
use regex::Regex;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;

use super::model::{ChoiceOption, FieldDef, FieldKind, NewForm};
use super::validate::significant_digits;
use crate::error::Problems;
use crate::money::{minor_unit, round_money, MAX_MONEY};
use crate::OaResult;

/// The longest form key.
pub const MAX_FORM_KEY_LEN: usize = 64;
/// The longest field key.
pub const MAX_FIELD_KEY_LEN: usize = 64;
/// The longest form name or field label, in characters.
pub const MAX_LABEL_LEN: usize = 100;
/// The longest form description, in characters.
pub const MAX_DESCRIPTION_LEN: usize = 2000;
/// The longest help text of a field, in characters.
pub const MAX_HELP_LEN: usize = 500;
/// The most top-level fields of a form.
pub const MAX_FIELDS: usize = 200;
/// The most columns of a table.
pub const MAX_COLUMNS: usize = 50;
/// The most options of a choice field.
pub const MAX_OPTIONS: usize = 200;
/// The longest option value, in characters.
pub const MAX_OPTION_VALUE_LEN: usize = 64;
/// The longest pattern, in characters.
pub const MAX_PATTERN_LEN: usize = 500;
/// The most characters of a text field, and its maximum when none is given.
pub const TEXT_LIMIT: u32 = 1000;
/// The maximum length of a text field when none is given.
pub const TEXT_DEFAULT_MAX: u32 = 200;
/// The most characters of a long-text field.
pub const LONG_TEXT_LIMIT: u32 = 100_000;
/// The maximum length of a long-text field when none is given.
pub const LONG_TEXT_DEFAULT_MAX: u32 = 10_000;
/// The most rows of a table, and its maximum when none is given.
pub const MAX_ROWS: u32 = 1000;
/// The most files of an attachment field.
pub const MAX_FILES: u32 = 50;
/// The maximum files of an attachment field when none is given.
pub const DEFAULT_MAX_FILES: u32 = 10;
/// The most significant digits of a number.
pub const NUMBER_DIGITS: u32 = 15;
/// The most decimal places a number field may keep.
pub const MAX_DECIMALS: u32 = 10;

/// The compiled size a pattern may take, so that a definition cannot make validation slow.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// Whether `key` is a form key, `[a-z0-9_]{1,64}`.
pub fn is_form_key(key: &str) -> bool {
    (1..=MAX_FORM_KEY_LEN).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `key` is a field key, `[a-zA-Z][a-zA-Z0-9_]{0,63}`.
pub fn is_field_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    key.len() <= MAX_FIELD_KEY_LEN
        && bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Compiles `pattern` so that it must match a whole value, or says why it cannot be.
pub(crate) fn compile_pattern(pattern: &str) -> Result<Regex, String> {
    /// Compiled patterns by their text, with the reason of those that do not compile.
    type Cache = Mutex<FxHashMap<String, Arc<Result<Regex, String>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().get(pattern) {
        return hit.as_ref().clone();
    }
    let compiled =
        regex::RegexBuilder::new(&format!("^(?:{pattern})$")).size_limit(PATTERN_SIZE_LIMIT).build().map_err(|e| {
            // The syntax error's last line says what is wrong; the lines above draw a caret.
            let text = e.to_string();
            let why =
                text.lines().rev().find_map(|l| l.trim().strip_prefix("error: ")).unwrap_or("too large or malformed");
            format!("`{pattern}` is not a valid regular expression: {why}")
        });
    let mut map = cache.lock();
    // Patterns come from definitions, a few hundred at most; the bound only guards memory.
    if map.len() >= 1024 {
        map.clear();
    }
    map.insert(pattern.to_string(), Arc::new(compiled.clone()));
    compiled
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn check_label(problems: &mut Problems, path: &str, what: &str, value: &mut String, max: usize) {
    *value = value.trim().to_string();
    let n = chars(value);
    if n == 0 {
        problems.add(path, format!("{what} must not be empty"));
    } else if n > max {
        problems.add(path, format!("{what} must be at most {max} characters, got {n}"));
    } else if value.chars().any(char::is_control) {
        problems.add(path, format!("{what} must not contain control characters"));
    }
}

fn check_free_text(problems: &mut Problems, path: &str, value: &mut String, max: usize) {
    *value = value.trim().to_string();
    let n = chars(value);
    if n > max {
        problems.add(path, format!("must be at most {max} characters, got {n}"));
    }
}

/// Checks and normalises a form definition: trims texts, fills a money field's currency with
/// `base_currency`, upper-cases currency codes, compiles patterns. Returns the definition as
/// it will be stored, or every problem with its path.
pub(crate) fn normalise(mut input: NewForm, base_currency: &str) -> OaResult<NewForm> {
    let mut problems = Problems::new();
    input.key = input.key.trim().to_string();
    if !is_form_key(&input.key) {
        problems.add(
            "key",
            format!("`{}` must be 1 to {MAX_FORM_KEY_LEN} characters of lowercase letters, digits and `_`", input.key),
        );
    }
    check_label(&mut problems, "name", "the name", &mut input.name, MAX_LABEL_LEN);
    check_free_text(&mut problems, "description", &mut input.description, MAX_DESCRIPTION_LEN);
    if input.fields.is_empty() {
        problems.add("fields", "a form needs at least one field");
    } else if input.fields.len() > MAX_FIELDS {
        problems.add("fields", format!("a form has at most {MAX_FIELDS} fields, got {}", input.fields.len()));
    } else {
        check_level(&mut problems, "fields", &mut input.fields, base_currency, true);
        check_totals(&mut problems, &input.fields);
    }
    problems.finish()?;
    Ok(input)
}

/// Checks the fields of one level: the form's own (`top`) or a table's columns.
fn check_level(problems: &mut Problems, prefix: &str, fields: &mut [FieldDef], base_currency: &str, top: bool) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for (i, f) in fields.iter_mut().enumerate() {
        let path = format!("{prefix}[{i}]");
        f.key = f.key.trim().to_string();
        if !is_field_key(&f.key) {
            problems.add(
                format!("{path}.key"),
                format!(
                    "`{}` must start with a letter and have at most {MAX_FIELD_KEY_LEN} letters, digits and `_`",
                    f.key
                ),
            );
        } else if !seen.insert(f.key.to_ascii_lowercase()) {
            problems.add(format!("{path}.key"), format!("`{}` is the key of another field at this level", f.key));
        }
        check_label(problems, &format!("{path}.label"), "the label", &mut f.label, MAX_LABEL_LEN);
        check_free_text(problems, &format!("{path}.help"), &mut f.help, MAX_HELP_LEN);
        check_kind(problems, &path, &mut f.kind, base_currency, top);
    }
}

fn check_min_max<T: PartialOrd + std::fmt::Display>(
    problems: &mut Problems,
    path: &str,
    min: &Option<T>,
    max: &Option<T>,
) {
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            problems.add(format!("{path}.min"), format!("the minimum {a} is above the maximum {b}"));
        }
    }
}

fn check_length(
    problems: &mut Problems,
    path: &str,
    min: &Option<u32>,
    max: &mut Option<u32>,
    limit: u32,
    default_max: u32,
) {
    let effective_max = max.unwrap_or(default_max);
    if effective_max > limit {
        problems.add(format!("{path}.max_length"), format!("must be at most {limit}, got {effective_max}"));
    } else if max.is_some_and(|m| m == 0) {
        problems.add(format!("{path}.max_length"), "must be at least 1");
    }
    if let Some(m) = min {
        if *m > effective_max {
            problems.add(format!("{path}.min_length"), format!("the minimum {m} is above the maximum {effective_max}"));
        }
    }
    *max = Some(effective_max);
}

fn check_pattern(problems: &mut Problems, path: &str, pattern: &mut Option<String>) {
    if let Some(p) = pattern.as_deref() {
        if p.is_empty() {
            *pattern = None;
        } else if chars(p) > MAX_PATTERN_LEN {
            problems.add(format!("{path}.pattern"), format!("must be at most {MAX_PATTERN_LEN} characters"));
        } else if let Err(why) = compile_pattern(p) {
            problems.add(format!("{path}.pattern"), why);
        }
    }
}

fn check_number_bound(problems: &mut Problems, path: &str, bound: &Option<Decimal>) {
    if let Some(b) = bound {
        if significant_digits(*b) > NUMBER_DIGITS {
            problems.add(path, format!("`{b}` has more than {NUMBER_DIGITS} significant digits"));
        }
    }
}

fn check_money_bound(problems: &mut Problems, path: &str, bound: &Option<Decimal>, currency: &str) {
    if let Some(b) = bound {
        if b.abs() > MAX_MONEY {
            problems.add(path, format!("`{b}` is beyond the largest amount, {MAX_MONEY}"));
        } else if round_money(*b, currency) != *b {
            problems.add(path, format!("`{b}` has more decimal places than `{currency}` has"));
        }
    }
}

fn check_options(problems: &mut Problems, path: &str, options: &mut [ChoiceOption]) {
    if options.is_empty() {
        problems.add(format!("{path}.options"), "needs at least one option");
        return;
    }
    if options.len() > MAX_OPTIONS {
        problems.add(format!("{path}.options"), format!("at most {MAX_OPTIONS} options, got {}", options.len()));
        return;
    }
    let mut seen = BTreeSet::new();
    for (j, o) in options.iter_mut().enumerate() {
        let op = format!("{path}.options[{j}]");
        o.value = o.value.trim().to_string();
        let n = chars(&o.value);
        if n == 0 || n > MAX_OPTION_VALUE_LEN {
            problems.add(format!("{op}.value"), format!("must be 1 to {MAX_OPTION_VALUE_LEN} characters"));
        } else if o.value.chars().any(char::is_control) {
            problems.add(format!("{op}.value"), "must not contain control characters");
        } else if !seen.insert(o.value.clone()) {
            problems.add(format!("{op}.value"), format!("`{}` is the value of another option", o.value));
        }
        check_label(problems, &format!("{op}.label"), "the label", &mut o.label, MAX_LABEL_LEN);
    }
}

fn check_kind(problems: &mut Problems, path: &str, kind: &mut FieldKind, base_currency: &str, top: bool) {
    match kind {
        FieldKind::Text { min_length, max_length, pattern } => {
            check_length(problems, path, min_length, max_length, TEXT_LIMIT, TEXT_DEFAULT_MAX);
            check_pattern(problems, path, pattern);
        }
        FieldKind::LongText { min_length, max_length, pattern } => {
            check_length(problems, path, min_length, max_length, LONG_TEXT_LIMIT, LONG_TEXT_DEFAULT_MAX);
            check_pattern(problems, path, pattern);
        }
        FieldKind::Number { min, max, decimals } => {
            check_number_bound(problems, &format!("{path}.min"), min);
            check_number_bound(problems, &format!("{path}.max"), max);
            check_min_max(problems, path, min, max);
            if let Some(d) = decimals {
                if *d > MAX_DECIMALS {
                    problems.add(format!("{path}.decimals"), format!("must be at most {MAX_DECIMALS}, got {d}"));
                }
            }
        }
        FieldKind::Money { currency, min, max } => {
            let code = currency.as_deref().unwrap_or(base_currency).trim().to_ascii_uppercase();
            if minor_unit(&code).is_none() {
                problems.add(
                    format!("{path}.currency"),
                    format!("`{code}` is not the ISO 4217 code of a circulating currency"),
                );
            } else {
                check_money_bound(problems, &format!("{path}.min"), min, &code);
                check_money_bound(problems, &format!("{path}.max"), max, &code);
            }
            check_min_max(problems, path, min, max);
            *currency = Some(code);
        }
        FieldKind::Date { min, max } => check_min_max(problems, path, min, max),
        FieldKind::DateTime { min, max } => check_min_max(problems, path, min, max),
        FieldKind::YesNo | FieldKind::Person | FieldKind::Department => {}
        FieldKind::Choice { options } => check_options(problems, path, options),
        FieldKind::MultiChoice { options, min_selected, max_selected } => {
            check_options(problems, path, options);
            let n = options.len() as u32;
            if let Some(m) = max_selected {
                if *m == 0 || *m > n {
                    problems.add(format!("{path}.max_selected"), format!("must be 1 to {n}, the number of options"));
                }
            }
            if let Some(m) = min_selected {
                let top = max_selected.unwrap_or(n).min(n);
                if *m > top {
                    problems.add(format!("{path}.min_selected"), format!("must be at most {top}"));
                }
            }
        }
        FieldKind::Attachment { max_files } => {
            let m = max_files.unwrap_or(DEFAULT_MAX_FILES);
            if m == 0 || m > MAX_FILES {
                problems.add(format!("{path}.max_files"), format!("must be 1 to {MAX_FILES}, got {m}"));
            }
            *max_files = Some(m);
        }
        FieldKind::Table { fields, min_rows, max_rows } => {
            if !top {
                problems.add(format!("{path}.type"), "a table cannot be a column of another table");
                return;
            }
            let most = max_rows.unwrap_or(MAX_ROWS);
            if most == 0 || most > MAX_ROWS {
                problems.add(format!("{path}.max_rows"), format!("must be 1 to {MAX_ROWS}, got {most}"));
            }
            if let Some(m) = min_rows {
                if *m > most {
                    problems.add(format!("{path}.min_rows"), format!("the minimum {m} is above the maximum {most}"));
                }
            }
            *max_rows = Some(most);
            let columns = format!("{path}.fields");
            if fields.is_empty() {
                problems.add(columns, "a table needs at least one column");
            } else if fields.len() > MAX_COLUMNS {
                problems.add(columns, format!("a table has at most {MAX_COLUMNS} columns, got {}", fields.len()));
            } else {
                check_level(problems, &columns, fields, base_currency, false);
            }
        }
        FieldKind::Total { of } => {
            *of = of.trim().to_string();
            if !top {
                problems.add(format!("{path}.type"), "a total cannot be a column of a table");
            }
        }
    }
}

/// Checks that every total adds up a number or money column of a table of the form.
fn check_totals(problems: &mut Problems, fields: &[FieldDef]) {
    for (i, f) in fields.iter().enumerate() {
        let FieldKind::Total { of } = &f.kind else { continue };
        let path = format!("fields[{i}].of");
        let Some((table, column)) = of.split_once('.') else {
            problems.add(path, format!("`{of}` must name a table column as `table.column`"));
            continue;
        };
        match fields.iter().find(|t| t.key == table).map(|t| &t.kind) {
            Some(FieldKind::Table { fields: columns, .. }) => match columns.iter().find(|c| c.key == column) {
                Some(c) if matches!(c.kind, FieldKind::Number { .. } | FieldKind::Money { .. }) => {}
                Some(c) => problems.add(
                    path,
                    format!("`{of}` is a {} column; a total adds up a number or money column", c.kind.name()),
                ),
                None => problems.add(path, format!("table `{table}` has no column `{column}`")),
            },
            Some(other) => problems.add(path, format!("`{table}` is a {} field, not a table", other.name())),
            None => problems.add(path, format!("the form has no table `{table}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        for good in ["leave", "a", "purchase_2026", &"x".repeat(64)] {
            assert!(is_form_key(good), "{good}");
        }
        for bad in ["", "Leave", "a-b", "a b", &"x".repeat(65), "请假"] {
            assert!(!is_form_key(bad), "{bad}");
        }
        for good in ["title", "A", "startDate", "item_2", &format!("a{}", "x".repeat(63))] {
            assert!(is_field_key(good), "{good}");
        }
        for bad in ["", "1a", "_a", "a-b", "a.b", &format!("a{}", "x".repeat(64)), "金额"] {
            assert!(!is_field_key(bad), "{bad}");
        }
    }

    #[test]
    fn patterns_match_whole_values_and_bad_ones_say_why() {
        let r = compile_pattern(r"\d{6}").unwrap();
        assert!(r.is_match("100000"));
        assert!(!r.is_match("x100000"));
        assert!(!r.is_match("1000000"));
        let alternatives = compile_pattern("a|b").unwrap();
        assert!(alternatives.is_match("a") && !alternatives.is_match("ab"));
        let err = compile_pattern("(").unwrap_err();
        assert_eq!(err, "`(` is not a valid regular expression: unclosed group");
        assert!(compile_pattern(r"\w{1000}{1000}").is_err());
    }
}
