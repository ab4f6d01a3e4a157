//! `oa forms ...`: the core's forms (表单): definitions read from JSON files, their versions, and
//! data checked against them.

use std::path::Path;

use oa::form::{DEFAULT_MAX_FILES, LONG_TEXT_DEFAULT_MAX, MAX_ROWS, TEXT_DEFAULT_MAX};
use oa::{ChoiceOption, FieldDef, FieldError, FieldKind, Form, NewForm, OaError};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::cli::FormsCmd;
use crate::failure::{CliResult, Failure};
use crate::output::{self, Out};
use crate::session::Signed;

use super::{pages, read_file};

/// Runs `oa forms ...`.
pub(crate) fn run(signed: &Signed, cmd: &FormsCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        FormsCmd::Define { file } => {
            let bytes = read_file(file)?;
            let input: NewForm = parse_json(file, &bytes)?;
            check_settings(file, &parse_json(file, &bytes)?, &input)?;
            show(signed, &office.define_form(session, input)?, out)
        }
        FormsCmd::List { page } => {
            let page = pages(page, |request| office.list_forms(session, request))?;
            out.emit(&page, || {
                let mut t = output::table(&["key", "version", "name", "fields", "defined", "by"]);
                for f in &page.items {
                    t.add_row(vec![
                        f.key.clone(),
                        f.version.to_string(),
                        f.name.clone(),
                        f.fields.len().to_string(),
                        output::instant(&f.created_at),
                        signed.login_label(f.created_by),
                    ]);
                }
                t.to_string()
            })?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
        FormsCmd::Show { key, version } => show(signed, &office.get_form(session, key, *version)?, out),
        FormsCmd::Versions { key } => {
            let versions = office.form_versions(session, key)?;
            out.emit(&versions, || {
                let mut t = output::table(&["version", "name", "defined", "by"]);
                for v in &versions {
                    t.add_row(vec![
                        v.version.to_string(),
                        v.name.clone(),
                        output::instant(&v.created_at),
                        signed.login_label(v.created_by),
                    ]);
                }
                t.to_string()
            })
        }
        FormsCmd::Validate { key, values, version } => {
            let data: Value = parse_json(values, &read_file(values)?)?;
            let normalised = office.validate_form_data(session, key, *version, data)?;
            // The normalised data is JSON either way: it is what would be stored.
            out.emit(&normalised, || serde_json::to_string_pretty(&normalised).unwrap_or_default())
        }
    }
}

/// A refusal of the file `path` as a whole, or at `place` in it.
pub(super) fn refused(path: &Path, place: Option<String>, reason: impl Into<String>) -> Failure {
    let at = match place {
        Some(place) => format!("{}:{place}", path.display()),
        None => path.display().to_string(),
    };
    Failure::Oa(OaError::Validation(vec![FieldError::new(at, reason)]))
}

/// The content `bytes` of the file `path` read as a `T`. What is not such JSON is refused input
/// (exit 3) at its line and column: `form.json:4:17: missing field `label``.
pub(super) fn parse_json<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> CliResult<T> {
    serde_json::from_slice(bytes).map_err(|e| {
        let text = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        let reason = text.strip_suffix(&suffix).unwrap_or(&text).to_string();
        if e.line() == 0 {
            refused(path, None, reason)
        } else {
            refused(path, Some(format!("{}:{}", e.line(), e.column())), reason)
        }
    })
}

/// Refuses the settings of a definition file that the core would silently ignore (a
/// misspelt `"requird": true` would leave the field optional), each with its path.
fn check_settings(path: &Path, given: &Value, input: &NewForm) -> CliResult<()> {
    let known = serde_json::to_value(input)
        .map_err(|e| Failure::Oa(OaError::Internal(format!("cannot write a form as JSON: {e}"))))?;
    let mut unknown = Vec::new();
    unknown_keys(given, &known, "", &mut unknown);
    if unknown.is_empty() {
        return Ok(());
    }
    Err(Failure::Oa(OaError::Validation(
        unknown
            .into_iter()
            .map(|(at, takes)| {
                FieldError::new(format!("{}:{at}", path.display()), format!("unknown setting (known here: {takes})"))
            })
            .collect(),
    )))
}

/// Collects the object keys of `given` that `known` (the same JSON read and written back) does
/// not have, with the keys it has.
fn unknown_keys(given: &Value, known: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match (given, known) {
        (Value::Object(g), Value::Object(k)) => {
            for (key, value) in g {
                let path = if at.is_empty() { key.clone() } else { format!("{at}.{key}") };
                match k.get(key) {
                    Some(inner) => unknown_keys(value, inner, &path, out),
                    None => out.push((path, k.keys().cloned().collect::<Vec<_>>().join(", "))),
                }
            }
        }
        (Value::Array(g), Value::Array(k)) => {
            for (i, (value, inner)) in g.iter().zip(k).enumerate() {
                unknown_keys(value, inner, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// A form: its description, then a table of its fields (a table's columns as `table.column`).
fn show(signed: &Signed, form: &Form, out: Out) -> CliResult<()> {
    out.emit(form, || {
        let head = output::record(vec![
            ("key", form.key.clone()),
            ("version", form.version.to_string()),
            ("name", form.name.clone()),
            ("description", form.description.clone()),
            ("defined", output::instant(&form.created_at)),
            ("by", signed.login_label(form.created_by)),
        ]);
        let mut t = output::table(&["key", "label", "kind", "required", "constraints"]);
        for f in &form.fields {
            t.add_row(field_row(f, &f.key));
            if let FieldKind::Table { fields: columns, .. } = &f.kind {
                for c in columns {
                    t.add_row(field_row(c, &format!("{}.{}", f.key, c.key)));
                }
            }
        }
        format!("{head}\n{t}")
    })
}

/// One row of the fields table.
fn field_row(f: &FieldDef, key: &str) -> Vec<String> {
    let required = match f.kind {
        FieldKind::Total { .. } => "computed".to_string(),
        _ => output::yes_no(f.required),
    };
    vec![key.to_string(), f.label.clone(), f.kind.name().to_string(), required, constraints(&f.kind)]
}

/// `what 1 to 20`, `what at least 1`, `what at most 20`, or nothing.
fn range(what: &str, min: Option<String>, max: Option<String>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{what} {min} to {max}")),
        (Some(min), None) => Some(format!("{what} at least {min}")),
        (None, Some(max)) => Some(format!("{what} at most {max}")),
        (None, None) => None,
    }
}

/// The options of a choice, `value (label)` each.
fn options(list: &[ChoiceOption]) -> String {
    let each: Vec<String> = list.iter().map(|o| format!("{} ({})", o.value, o.label)).collect();
    format!("options {}", each.join(", "))
}

fn text<T: ToString>(value: &Option<T>) -> Option<String> {
    value.as_ref().map(ToString::to_string)
}

/// A field kind's settings as people read them (`CNY; amount at least 0`), with the maximum
/// that applies when the definition gives none.
fn constraints(kind: &FieldKind) -> String {
    let parts: Vec<Option<String>> = match kind {
        FieldKind::Text { min_length, max_length, pattern } => vec![
            range("length", text(min_length), Some(max_length.unwrap_or(TEXT_DEFAULT_MAX).to_string())),
            pattern.as_ref().map(|p| format!("matches `{p}`")),
        ],
        FieldKind::LongText { min_length, max_length, pattern } => vec![
            range("length", text(min_length), Some(max_length.unwrap_or(LONG_TEXT_DEFAULT_MAX).to_string())),
            pattern.as_ref().map(|p| format!("matches `{p}`")),
        ],
        FieldKind::Number { min, max, decimals } => {
            vec![
                range("value", text(min), text(max)),
                decimals.map(|d| format!("{d} decimal place{}", if d == 1 { "" } else { "s" })),
            ]
        }
        FieldKind::Money { currency, min, max } => vec![currency.clone(), range("amount", text(min), text(max))],
        FieldKind::Date { min, max } => vec![range("date", text(min), text(max))],
        FieldKind::DateTime { min, max } => {
            vec![range("instant", min.as_ref().map(output::instant), max.as_ref().map(output::instant))]
        }
        FieldKind::YesNo | FieldKind::Person | FieldKind::Department => vec![],
        FieldKind::Choice { options: list } => vec![Some(options(list))],
        FieldKind::MultiChoice { options: list, min_selected, max_selected } => {
            vec![Some(options(list)), range("chosen", text(min_selected), text(max_selected))]
        }
        FieldKind::Attachment { max_files } => {
            vec![range("files", None, Some(max_files.unwrap_or(DEFAULT_MAX_FILES).to_string()))]
        }
        FieldKind::Table { fields, min_rows, max_rows } => vec![
            Some(format!("{} columns", fields.len())),
            range("rows", text(min_rows), Some(max_rows.unwrap_or(MAX_ROWS).to_string())),
        ],
        FieldKind::Total { of } => vec![Some(format!("sum of {of}"))],
    };
    parts.into_iter().flatten().collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn unknown(given: Value) -> Vec<(String, String)> {
        let input: NewForm = serde_json::from_value(given.clone()).expect("a definition");
        let known = serde_json::to_value(&input).expect("JSON");
        let mut out = Vec::new();
        unknown_keys(&given, &known, "", &mut out);
        out
    }

    #[test]
    fn settings_the_core_would_ignore_are_found_with_their_path() {
        let good = json!({"key": "purchase", "name": "采购", "fields": [
            {"key": "title", "label": "T", "type": "text", "required": true, "max_length": 20},
            {"key": "kind", "label": "K", "type": "choice", "options": [{"value": "a", "label": "A"}]},
            {"key": "items", "label": "I", "type": "table", "fields": [
                {"key": "amount", "label": "A", "type": "money", "currency": "CNY", "min": "0"}]},
            {"key": "ok", "label": "OK", "type": "yes_no", "help": "tick"},
            {"key": "total", "label": "Total", "type": "total", "of": "items.amount"}]});
        assert_eq!(unknown(good), vec![]);
        let bad = json!({"key": "purchase", "name": "采购", "title": "x", "fields": [
            {"key": "title", "label": "T", "type": "text", "requird": true},
            {"key": "items", "label": "I", "type": "table", "fields": [
                {"key": "amount", "label": "A", "type": "money", "maximum": "10"}]}]});
        let paths: Vec<String> = unknown(bad).into_iter().map(|(path, _)| path).collect();
        assert_eq!(paths, ["fields[0].requird", "fields[1].fields[0].maximum", "title"]);
    }

    #[test]
    fn constraints_read_as_words() {
        let fields: Vec<FieldDef> = serde_json::from_value(json!([
            {"key": "t", "label": "T", "type": "text", "pattern": "\\d{6}"},
            {"key": "n", "label": "N", "type": "number", "min": "0.5", "max": "30", "decimals": 1},
            {"key": "m", "label": "M", "type": "money", "currency": "CNY", "min": "0"},
            {"key": "c", "label": "C", "type": "multi_choice", "max_selected": 2,
             "options": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}]},
            {"key": "s", "label": "S", "type": "total", "of": "items.amount"},
            {"key": "y", "label": "Y", "type": "yes_no"}
        ]))
        .expect("fields");
        let words: Vec<String> = fields.iter().map(|f| constraints(&f.kind)).collect();
        assert_eq!(
            words,
            [
                "length at most 200; matches `\\d{6}`",
                "value 0.5 to 30; 1 decimal place",
                "CNY; amount at least 0",
                "options a (甲), b (乙); chosen at most 2",
                "sum of items.amount",
                "",
            ]
        );
    }
}
