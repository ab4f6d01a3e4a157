//! Validating submitted data (JSON) against a form and normalising it for storage.
//!
//! Every failing field is reported with its path (`title`, `items[2].amount`, `tags[1]`).
//! The normalised data holds only the form's fields, with no empty values: texts trimmed,
//! numbers as JSON numbers, money as `{"amount": "123.45", "currency": "CNY"}` rounded to the
//! currency's minor unit, dates as `YYYY-MM-DD`, instants in UTC, ids in their canonical
//! spelling, multiple choices in the options' order, attachments as a list of hashes, totals
//! computed. Validating normalised data returns it unchanged.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use oa_storage::ReadTxn;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Map, Value};

use super::attachment;
use super::define::{compile_pattern, NUMBER_DIGITS};
use super::model::{ChoiceOption, FieldDef, FieldKind, Form};
use crate::error::Problems;
use crate::id::Id;
use crate::money::{parse_plain_decimal, round_money, MAX_MONEY};
use crate::org::{self, DeptId, DeptStatus, PersonId, PersonStatus};
use crate::{OaError, OaResult};

/// How many names an error message lists before saying "and N more".
const LIST_IN_MESSAGE: usize = 10;
/// The longest unknown key an error path repeats, in characters.
const KEY_IN_PATH: usize = 64;

/// What a money field takes, for the message refusing anything else.
const MONEY_SHAPES: &str = "a decimal string or an object with `amount` and `currency`";

/// The message for money given as a JSON number.
pub(crate) const MONEY_NOT_FLOAT: &str = "money must be given as a decimal string, not a float";

/// Who submits data. An attachment newly referenced must be one they may read: one they
/// uploaded, or any when they hold `form.attachment.read`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Submitter {
    /// The person submitting.
    pub(crate) person: PersonId,
    /// Whether they may read every attachment.
    pub(crate) reads_every_attachment: bool,
}

/// References (people, departments, attachments) taken as they are because the stored data
/// already holds them: a person who has left since does not block an edit of another field.
#[derive(Debug, Default, Clone)]
pub(crate) struct Known {
    people: BTreeSet<String>,
    depts: BTreeSet<String>,
    attachments: BTreeSet<String>,
}

impl Known {
    /// The references held by `data`, normalised data of `form`.
    pub(crate) fn of(form: &Form, data: &Value) -> Known {
        let mut known = Known::default();
        if let Some(map) = data.as_object() {
            known.collect(&form.fields, map);
        }
        known
    }

    fn collect(&mut self, fields: &[FieldDef], map: &Map<String, Value>) {
        for f in fields {
            let Some(v) = map.get(&f.key) else { continue };
            match &f.kind {
                FieldKind::Person => self.people.extend(v.as_str().map(str::to_string)),
                FieldKind::Department => self.depts.extend(v.as_str().map(str::to_string)),
                FieldKind::Attachment { .. } => {
                    let list = v.as_array().into_iter().flatten().filter_map(Value::as_str);
                    self.attachments.extend(list.map(str::to_string));
                }
                FieldKind::Table { fields: columns, .. } => {
                    for row in v.as_array().into_iter().flatten().filter_map(Value::as_object) {
                        self.collect(columns, row);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Every attachment that `data`, normalised data of `form`, refers to, in hash order: what the
/// workflow engine links to an instance when the data is stored.
pub(crate) fn attachment_refs(form: &Form, data: &Value) -> Vec<String> {
    Known::of(form, data).attachments.into_iter().collect()
}

/// What checking one value gave.
pub(crate) enum Out {
    /// A valid value, normalised.
    Value(Value),
    /// No value (absent, null, an empty text or list).
    Empty,
    /// Refused; the reason was recorded.
    Invalid,
}

/// Validates `data` against `form` and returns it normalised for storage, or every failing
/// field. With a `submitter`, each attachment referenced must be one they may read.
pub(crate) fn validate_data(
    tx: &mut dyn ReadTxn,
    form: &Form,
    data: &Value,
    submitter: Option<Submitter>,
) -> OaResult<Value> {
    let known = Known::default();
    let mut checker = Checker::new(tx, submitter, &known);
    let out = checker.form(form, data)?;
    checker.finish()?;
    Ok(out)
}

/// Checks values against field definitions, collecting every problem.
pub(crate) struct Checker<'a> {
    tx: &'a mut dyn ReadTxn,
    submitter: Option<Submitter>,
    known: &'a Known,
    problems: Problems,
    count: usize,
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn shown_key(key: &str) -> String {
    if key.chars().count() > KEY_IN_PATH {
        format!("{}…", key.chars().take(KEY_IN_PATH).collect::<String>())
    } else {
        key.to_string()
    }
}

fn quote_list<S: AsRef<str>>(names: &[S]) -> String {
    let shown: Vec<String> = names.iter().take(LIST_IN_MESSAGE).map(|n| format!("`{}`", n.as_ref())).collect();
    let more = names.len().saturating_sub(LIST_IN_MESSAGE);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// A value shown in a message: long input is cut.
fn shown(text: &str) -> String {
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text.to_string()
    }
}

/// The JSON number of `d`: an integer when whole and within 64 bits, otherwise the nearest
/// double, which is exact for up to 15 significant digits.
pub(crate) fn number_json(d: Decimal) -> Value {
    let n = d.normalize();
    if n.scale() == 0 {
        if let Ok(i) = i64::try_from(n.mantissa()) {
            return Value::from(i);
        }
    }
    n.to_string().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null)
}

/// The significant digits of `d` (at least 1).
pub(crate) fn significant_digits(d: Decimal) -> u32 {
    let n = d.normalize();
    if n.is_zero() {
        1
    } else {
        n.mantissa().unsigned_abs().to_string().len() as u32
    }
}

fn range_reason<T: PartialOrd + std::fmt::Display>(value: &T, min: Option<&T>, max: Option<&T>) -> Option<String> {
    range_reason_shown(value, min, max, T::to_string)
}

/// Why `value` is outside `[min, max]`, naming the range, or `None` when it is inside.
fn range_reason_shown<T: PartialOrd>(
    value: &T,
    min: Option<&T>,
    max: Option<&T>,
    show: impl Fn(&T) -> String,
) -> Option<String> {
    let below = min.is_some_and(|m| value < m);
    let above = max.is_some_and(|m| value > m);
    if !below && !above {
        return None;
    }
    let v = show(value);
    Some(match (min, max) {
        (Some(a), Some(b)) => format!("`{v}` is out of range: must be between {} and {}", show(a), show(b)),
        (Some(a), None) => format!("`{v}` is out of range: must be at least {}", show(a)),
        (None, Some(b)) => format!("`{v}` is out of range: must be at most {}", show(b)),
        (None, None) => return None,
    })
}

fn rfc3339(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

impl<'a> Checker<'a> {
    /// A checker reading references through `tx`.
    pub(crate) fn new(tx: &'a mut dyn ReadTxn, submitter: Option<Submitter>, known: &'a Known) -> Self {
        Checker { tx, submitter, known, problems: Problems::new(), count: 0 }
    }

    /// Checks the whole data of `form`; the result is meaningful only when no problem was
    /// recorded.
    pub(crate) fn form(&mut self, form: &Form, data: &Value) -> OaResult<Value> {
        if !data.is_object() {
            self.add("data", format!("expected an object of fields, got {}", type_name(data)));
            return Ok(Value::Object(Map::new()));
        }
        let mut out = self.object(&form.fields, data, "")?.unwrap_or_default();
        compute_totals(&form.fields, &mut out);
        Ok(Value::Object(out))
    }

    /// Checks an object of `fields` at `prefix` (`""` for the form, `items[2]` for a row).
    fn object(&mut self, fields: &[FieldDef], data: &Value, prefix: &str) -> OaResult<Option<Map<String, Value>>> {
        let Some(map) = data.as_object() else {
            self.add(prefix, format!("expected an object of fields, got {}", type_name(data)));
            return Ok(None);
        };
        let mut out = Map::new();
        for f in fields {
            if matches!(f.kind, FieldKind::Total { .. }) {
                continue;
            }
            let path = join(prefix, &f.key);
            let given = map.get(&f.key).unwrap_or(&Value::Null);
            match self.field(f, given, &path)? {
                Out::Value(v) => {
                    out.insert(f.key.clone(), v);
                }
                Out::Empty if f.required => self.add(path, "required"),
                Out::Empty | Out::Invalid => {}
            }
        }
        for key in map.keys() {
            if !fields.iter().any(|f| &f.key == key) {
                self.add(join(prefix, &shown_key(key)), "unknown field");
            }
        }
        Ok(Some(out))
    }

    /// Checks one value of field `f` at `path`.
    pub(crate) fn field(&mut self, f: &FieldDef, v: &Value, path: &str) -> OaResult<Out> {
        if v.is_null() {
            return Ok(Out::Empty);
        }
        Ok(match &f.kind {
            FieldKind::Text { min_length, max_length, pattern } => {
                self.text(v, path, *min_length, *max_length, pattern.as_deref(), false)?
            }
            FieldKind::LongText { min_length, max_length, pattern } => {
                self.text(v, path, *min_length, *max_length, pattern.as_deref(), true)?
            }
            FieldKind::Number { min, max, decimals } => self.number(v, path, min.as_ref(), max.as_ref(), *decimals),
            FieldKind::Money { currency, min, max } => {
                let code = currency.as_deref().ok_or_else(|| {
                    OaError::Internal(format!("the money field at `{path}` has no currency in its definition"))
                })?;
                self.money(v, path, code, min.as_ref(), max.as_ref())
            }
            FieldKind::Date { min, max } => self.date(v, path, min.as_ref(), max.as_ref()),
            FieldKind::DateTime { min, max } => self.date_time(v, path, min.as_ref(), max.as_ref()),
            FieldKind::YesNo => match v {
                Value::Bool(b) => Out::Value(Value::Bool(*b)),
                other => self.refuse(path, format!("expected yes or no (true or false), got {}", type_name(other))),
            },
            FieldKind::Choice { options } => self.choice(v, path, options),
            FieldKind::MultiChoice { options, min_selected, max_selected } => {
                self.multi_choice(v, path, options, *min_selected, *max_selected)
            }
            FieldKind::Person => self.person(v, path)?,
            FieldKind::Department => self.department(v, path)?,
            FieldKind::Attachment { max_files } => self.attachments(v, path, *max_files)?,
            FieldKind::Table { fields, min_rows, max_rows } => self.table(v, path, fields, *min_rows, *max_rows)?,
            // A total is computed from its column; whatever is given is replaced.
            FieldKind::Total { .. } => Out::Empty,
        })
    }

    /// Records that `path` failed for `reason`.
    pub(crate) fn add(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.count += 1;
        self.problems.add(path, reason);
    }

    /// `Ok(())` when nothing failed, otherwise every failing field.
    pub(crate) fn finish(self) -> OaResult<()> {
        self.problems.finish()
    }

    fn refuse(&mut self, path: &str, reason: impl Into<String>) -> Out {
        self.add(path, reason);
        Out::Invalid
    }

    fn text(
        &mut self,
        v: &Value,
        path: &str,
        min: Option<u32>,
        max: Option<u32>,
        pattern: Option<&str>,
        multiline: bool,
    ) -> OaResult<Out> {
        let Some(s) = v.as_str() else {
            return Ok(self.refuse(path, format!("expected text, got {}", type_name(v))));
        };
        let t = s.trim();
        if t.is_empty() {
            return Ok(Out::Empty);
        }
        if multiline {
            if t.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
                return Ok(self.refuse(path, "must not contain control characters"));
            }
        } else if t.chars().any(char::is_control) {
            return Ok(self.refuse(path, "must be one line, without control characters"));
        }
        let n = t.chars().count();
        if let Some(m) = min.filter(|m| n < *m as usize) {
            return Ok(self.refuse(path, format!("must be at least {m} characters, got {n}")));
        }
        if let Some(m) = max.filter(|m| n > *m as usize) {
            return Ok(self.refuse(path, format!("must be at most {m} characters, got {n}")));
        }
        if let Some(p) = pattern {
            let re = compile_pattern(p).map_err(|why| OaError::Internal(format!("the pattern at `{path}`: {why}")))?;
            if !re.is_match(t) {
                return Ok(self.refuse(path, format!("`{}` does not match the pattern `{p}`", shown(t))));
            }
        }
        Ok(Out::Value(Value::String(t.to_string())))
    }

    fn number(
        &mut self,
        v: &Value,
        path: &str,
        min: Option<&Decimal>,
        max: Option<&Decimal>,
        decimals: Option<u32>,
    ) -> Out {
        let parsed = match v {
            Value::Number(n) => decimal_of_number(n),
            Value::String(s) if s.trim().is_empty() => return Out::Empty,
            Value::String(s) => parse_plain_decimal(s).ok_or_else(|| format!("`{}` is not a number", shown(s))),
            other => Err(format!("expected a number, got {}", type_name(other))),
        };
        let mut d = match parsed {
            Ok(d) => d,
            Err(why) => return self.refuse(path, why),
        };
        if let Some(places) = decimals {
            d = d.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        }
        let d = d.normalize();
        if significant_digits(d) > NUMBER_DIGITS {
            return self.refuse(path, format!("`{d}` has more than {NUMBER_DIGITS} significant digits"));
        }
        if let Some(why) = range_reason(&d, min, max) {
            return self.refuse(path, why);
        }
        Out::Value(number_json(d))
    }

    fn money(&mut self, v: &Value, path: &str, code: &str, min: Option<&Decimal>, max: Option<&Decimal>) -> Out {
        let (text, amount_path) = match v {
            Value::String(s) => (s.as_str(), path.to_string()),
            Value::Number(_) => return self.refuse(path, MONEY_NOT_FLOAT),
            Value::Object(m) => {
                let mut bad = false;
                for key in m.keys().filter(|k| *k != "amount" && *k != "currency") {
                    self.add(join(path, &shown_key(key)), "unknown field");
                    bad = true;
                }
                match m.get("currency") {
                    None | Some(Value::Null) => {}
                    Some(Value::String(c)) if c.trim().eq_ignore_ascii_case(code) => {}
                    Some(Value::String(c)) => {
                        self.add(
                            join(path, "currency"),
                            format!("`{}` is not this field's currency; expected `{code}`", shown(c)),
                        );
                        bad = true;
                    }
                    Some(other) => {
                        self.add(join(path, "currency"), format!("expected a currency code, got {}", type_name(other)));
                        bad = true;
                    }
                }
                let amount_path = join(path, "amount");
                let text = match m.get("amount") {
                    Some(Value::String(s)) => s.as_str(),
                    None | Some(Value::Null) => {
                        self.add(amount_path, "required");
                        return Out::Invalid;
                    }
                    Some(Value::Number(_)) => return self.refuse(&amount_path, MONEY_NOT_FLOAT),
                    Some(other) => {
                        return self
                            .refuse(&amount_path, format!("expected a decimal string, got {}", type_name(other)))
                    }
                };
                if bad {
                    return Out::Invalid;
                }
                (text, amount_path)
            }
            other => {
                let got = type_name(other);
                return self.refuse(path, format!("expected an amount of money ({MONEY_SHAPES}), got {got}"));
            }
        };
        if text.trim().is_empty() {
            return Out::Empty;
        }
        let Some(amount) = parse_plain_decimal(text) else {
            return self.refuse(&amount_path, format!("`{}` is not a decimal amount", shown(text)));
        };
        let amount = round_money(amount, code);
        if amount.abs() > MAX_MONEY {
            return self.refuse(&amount_path, format!("`{amount}` is beyond the largest amount, {MAX_MONEY}"));
        }
        if let Some(why) = range_reason(&amount, min, max) {
            return self.refuse(&amount_path, why);
        }
        Out::Value(money_json(amount, code))
    }

    fn date(&mut self, v: &Value, path: &str, min: Option<&NaiveDate>, max: Option<&NaiveDate>) -> Out {
        let Some(s) = v.as_str() else {
            return self.refuse(path, format!("expected a date (YYYY-MM-DD), got {}", type_name(v)));
        };
        let t = s.trim();
        if t.is_empty() {
            return Out::Empty;
        }
        let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") else {
            return self.refuse(path, format!("`{}` is not a date (YYYY-MM-DD)", shown(t)));
        };
        if let Some(why) = range_reason(&d, min, max) {
            return self.refuse(path, why);
        }
        Out::Value(Value::String(d.format("%Y-%m-%d").to_string()))
    }

    fn date_time(&mut self, v: &Value, path: &str, min: Option<&DateTime<Utc>>, max: Option<&DateTime<Utc>>) -> Out {
        let Some(s) = v.as_str() else {
            return self.refuse(path, format!("expected a date and time (RFC 3339), got {}", type_name(v)));
        };
        let t = s.trim();
        if t.is_empty() {
            return Out::Empty;
        }
        let Ok(d) = DateTime::parse_from_rfc3339(t).map(|d| d.with_timezone(&Utc)) else {
            return self.refuse(
                path,
                format!(
                    "`{}` is not a date and time with an offset (RFC 3339, such as 2026-01-05T09:00:00+08:00)",
                    shown(t)
                ),
            );
        };
        if let Some(why) = range_reason_shown(&d, min, max, rfc3339) {
            return self.refuse(path, why);
        }
        Out::Value(Value::String(rfc3339(&d)))
    }

    fn choice(&mut self, v: &Value, path: &str, options: &[ChoiceOption]) -> Out {
        let Some(s) = v.as_str() else {
            return self.refuse(path, format!("expected one of the options, got {}", type_name(v)));
        };
        let t = s.trim();
        if t.is_empty() {
            return Out::Empty;
        }
        match options.iter().find(|o| o.value == t) {
            Some(o) => Out::Value(Value::String(o.value.clone())),
            None => self.refuse(path, not_an_option(t, options)),
        }
    }

    fn multi_choice(
        &mut self,
        v: &Value,
        path: &str,
        options: &[ChoiceOption],
        min: Option<u32>,
        max: Option<u32>,
    ) -> Out {
        let Some(items) = v.as_array() else {
            return self.refuse(path, format!("expected a list of options, got {}", type_name(v)));
        };
        if items.len() > options.len() {
            return self.refuse(path, format!("at most {} options can be chosen, got {}", options.len(), items.len()));
        }
        let mut chosen = BTreeSet::new();
        let mut bad = false;
        for (i, item) in items.iter().enumerate() {
            let at = format!("{path}[{i}]");
            let Some(s) = item.as_str() else {
                self.add(at, format!("expected an option, got {}", type_name(item)));
                bad = true;
                continue;
            };
            match options.iter().position(|o| o.value == s.trim()) {
                Some(p) if !chosen.insert(p) => {
                    self.add(at, format!("`{}` is chosen twice", shown(s)));
                    bad = true;
                }
                Some(_) => {}
                None => {
                    self.add(at, not_an_option(s, options));
                    bad = true;
                }
            }
        }
        if bad {
            return Out::Invalid;
        }
        let n = chosen.len() as u32;
        if n == 0 {
            return Out::Empty;
        }
        if let Some(m) = min.filter(|m| n < *m) {
            return self.refuse(path, format!("choose at least {m}, got {n}"));
        }
        if let Some(m) = max.filter(|m| n > *m) {
            return self.refuse(path, format!("choose at most {m}, got {n}"));
        }
        Out::Value(Value::Array(
            chosen.into_iter().filter_map(|p| options.get(p)).map(|o| Value::String(o.value.clone())).collect(),
        ))
    }

    fn id(&mut self, v: &Value, path: &str, kind: &str) -> Option<Option<Id>> {
        let Some(s) = v.as_str() else {
            self.add(path, format!("expected a {kind} id, got {}", type_name(v)));
            return None;
        };
        let t = s.trim();
        if t.is_empty() {
            return Some(None);
        }
        match t.parse::<Id>() {
            Ok(id) => Some(Some(id)),
            Err(_) => {
                self.add(path, format!("`{}` is not a {kind} id", shown(t)));
                None
            }
        }
    }

    fn person(&mut self, v: &Value, path: &str) -> OaResult<Out> {
        let id = match self.id(v, path, "person") {
            None => return Ok(Out::Invalid),
            Some(None) => return Ok(Out::Empty),
            Some(Some(id)) => PersonId(id),
        };
        let text = id.to_string();
        if !self.known.people.contains(&text) {
            // The head answers the common case; the whole record only names a refused person.
            match org::load_person_head(self.tx, id)?.map(|h| h.status) {
                None => return Ok(self.refuse(path, format!("no person has id `{text}`"))),
                Some(PersonStatus::Active) => {}
                Some(_) => {
                    let login = org::load_person(self.tx, id)?.map_or(text.clone(), |p| p.login);
                    return Ok(self.refuse(path, format!("`{login}` is not an active person")));
                }
            }
        }
        Ok(Out::Value(Value::String(text)))
    }

    fn department(&mut self, v: &Value, path: &str) -> OaResult<Out> {
        let id = match self.id(v, path, "department") {
            None => return Ok(Out::Invalid),
            Some(None) => return Ok(Out::Empty),
            Some(Some(id)) => DeptId(id),
        };
        let text = id.to_string();
        if !self.known.depts.contains(&text) {
            match org::load_department(self.tx, id)? {
                None => return Ok(self.refuse(path, format!("no department has id `{text}`"))),
                Some(d) if d.status != DeptStatus::Active => {
                    return Ok(self.refuse(path, format!("department `{}` is disabled", d.name)))
                }
                Some(_) => {}
            }
        }
        Ok(Out::Value(Value::String(text)))
    }

    fn attachments(&mut self, v: &Value, path: &str, max_files: Option<u32>) -> OaResult<Out> {
        let single;
        let items: &[Value] = match v {
            Value::Array(items) => items,
            Value::String(s) if s.trim().is_empty() => return Ok(Out::Empty),
            Value::String(_) => {
                single = [v.clone()];
                &single
            }
            other => {
                return Ok(self.refuse(path, format!("expected a list of attachment ids, got {}", type_name(other))))
            }
        };
        let most = max_files.unwrap_or(super::define::DEFAULT_MAX_FILES) as usize;
        if items.len() > most {
            return Ok(self.refuse(path, format!("at most {most} files, got {}", items.len())));
        }
        let mut out: Vec<String> = Vec::with_capacity(items.len());
        let mut bad = false;
        for (i, item) in items.iter().enumerate() {
            let at = if matches!(v, Value::Array(_)) { format!("{path}[{i}]") } else { path.to_string() };
            let Some(s) = item.as_str() else {
                self.add(at, format!("expected an attachment id, got {}", type_name(item)));
                bad = true;
                continue;
            };
            let Some(hash) = attachment::parse_hash(s) else {
                self.add(at, format!("`{}` is not an attachment id", shown(s)));
                bad = true;
                continue;
            };
            if out.contains(&hash) {
                self.add(at, format!("attachment `{hash}` is listed twice"));
                bad = true;
                continue;
            }
            if !self.known.attachments.contains(&hash) {
                if !attachment::exists(self.tx, &hash)? {
                    self.add(at, format!("no attachment `{hash}`"));
                    bad = true;
                    continue;
                }
                if let Some(s) = self.submitter {
                    if !s.reads_every_attachment && !attachment::is_uploader(self.tx, &hash, s.person)? {
                        self.add(at, format!("attachment `{hash}` was not uploaded by you"));
                        bad = true;
                        continue;
                    }
                }
            }
            out.push(hash);
        }
        if bad {
            return Ok(Out::Invalid);
        }
        if out.is_empty() {
            return Ok(Out::Empty);
        }
        Ok(Out::Value(Value::Array(out.into_iter().map(Value::String).collect())))
    }

    fn table(
        &mut self,
        v: &Value,
        path: &str,
        columns: &[FieldDef],
        min_rows: Option<u32>,
        max_rows: Option<u32>,
    ) -> OaResult<Out> {
        let Some(rows) = v.as_array() else {
            return Ok(self.refuse(path, format!("expected a list of rows, got {}", type_name(v))));
        };
        let most = max_rows.unwrap_or(super::define::MAX_ROWS) as usize;
        if rows.len() > most {
            return Ok(self.refuse(path, format!("at most {most} rows, got {}", rows.len())));
        }
        if rows.is_empty() {
            return Ok(Out::Empty);
        }
        let before = self.problems_len();
        let mut out = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            if let Some(r) = self.object(columns, row, &format!("{path}[{i}]"))? {
                out.push(Value::Object(r));
            }
        }
        if let Some(m) = min_rows.filter(|m| rows.len() < *m as usize) {
            return Ok(self.refuse(path, format!("at least {m} rows, got {}", rows.len())));
        }
        if self.problems_len() > before {
            return Ok(Out::Invalid);
        }
        Ok(Out::Value(Value::Array(out)))
    }

    fn problems_len(&self) -> usize {
        self.count
    }
}

fn not_an_option(value: &str, options: &[ChoiceOption]) -> String {
    let values: Vec<&str> = options.iter().map(|o| o.value.as_str()).collect();
    format!("`{}` is not one of the options: {}", shown(value), quote_list(&values))
}

/// The decimal of a JSON number: exact for integers, the shortest decimal that reads back as
/// the same double otherwise.
fn decimal_of_number(n: &serde_json::Number) -> Result<Decimal, String> {
    if let Some(i) = n.as_i64() {
        return Ok(Decimal::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Ok(Decimal::from(u));
    }
    let text = n.as_f64().map(|f| f.to_string()).unwrap_or_else(|| n.to_string());
    Decimal::from_str_exact(&text).map_err(|_| format!("`{}` is out of the range of numbers", shown(&n.to_string())))
}

/// Money as stored: `{"amount": "123.45", "currency": "CNY"}`.
pub(crate) fn money_json(amount: Decimal, currency: &str) -> Value {
    let mut m = Map::new();
    m.insert("amount".into(), Value::String(amount.to_string()));
    m.insert("currency".into(), Value::String(currency.to_string()));
    Value::Object(m)
}

/// A JSON value's type, in words.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "yes or no",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Fills every total of `fields` from the normalised rows in `out`.
pub(crate) fn compute_totals(fields: &[FieldDef], out: &mut Map<String, Value>) {
    for f in fields {
        let FieldKind::Total { of } = &f.kind else { continue };
        let Some((table, column)) = of.split_once('.') else { continue };
        let currency = fields.iter().find(|t| t.key == table).and_then(|t| match &t.kind {
            FieldKind::Table { fields: columns, .. } => {
                columns.iter().find(|c| c.key == column).map(|c| match &c.kind {
                    FieldKind::Money { currency, .. } => currency.clone(),
                    _ => None,
                })
            }
            _ => None,
        });
        let Some(currency) = currency else { continue };
        let mut sum = Decimal::ZERO;
        for row in out.get(table).and_then(Value::as_array).into_iter().flatten() {
            let cell = row.get(column);
            let value = match &currency {
                Some(_) => cell.and_then(|c| c.get("amount")).and_then(Value::as_str).and_then(parse_plain_decimal),
                None => cell.and_then(|c| c.as_number()).and_then(|n| decimal_of_number(n).ok()),
            };
            if let Some(v) = value {
                sum = sum.checked_add(v).unwrap_or(sum);
            }
        }
        let total = match &currency {
            Some(code) => money_json(round_money(sum, code), code),
            None => number_json(sum),
        };
        out.insert(f.key.clone(), total);
    }
}
