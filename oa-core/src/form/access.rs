//! Field permissions of a workflow step (字段权限): which fields its actor sees and may change.
//!
//! The workflow engine gives each step a [`FieldPermissions`]; this module applies it to a
//! form's data. Permissions are per top-level field: a table's access covers its rows and
//! columns. A total is never editable; it is computed again from its column after every edit.

use oa_storage::ReadTxn;
use serde_json::{Map, Value};

use super::model::{FieldAccess, FieldKind, FieldPermissions, Form};
use super::validate::{type_name, Checker, Known, Out, Submitter};
use crate::error::Problems;
use crate::{OaError, OaResult};

/// Checks that `permissions` names only top-level fields of `form` and makes no total
/// editable. Paths are the field keys, for the caller to prefix.
pub fn check_field_permissions(form: &Form, permissions: &FieldPermissions) -> OaResult<()> {
    let mut problems = Problems::new();
    for (key, access) in &permissions.fields {
        match form.field(key) {
            None => problems.add(key.as_str(), format!("form `{}` has no field `{key}`", form.key)),
            Some(f) if matches!(f.kind, FieldKind::Total { .. }) && *access == FieldAccess::Editable => {
                problems.add(key.as_str(), format!("`{key}` is a total computed by the form and cannot be editable"))
            }
            Some(_) => {}
        }
    }
    problems.finish()
}

/// The data of `form` as a step with `permissions` shows it: hidden fields removed.
pub fn filter_for_display(form: &Form, data: &Value, permissions: &FieldPermissions) -> Value {
    let Some(map) = data.as_object() else { return Value::Object(Map::new()) };
    let shown = map
        .iter()
        .filter(|(k, _)| form.field(k).is_some() && permissions.access(k) != FieldAccess::Hidden)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(shown)
}

/// Applies an edit by a step to the stored, normalised `old` data of `form` and returns the
/// new data, normalised. The edit names the fields it changes: a field left out keeps its
/// value, `null` clears it. Only editable fields may change: a hidden field given, or a
/// read-only field given with another value than the stored one, is a validation error on its
/// path. People, departments and attachments already in `old` are accepted as they are (a
/// person who has left since does not block the edit); a new attachment must be readable by
/// the `submitter`.
pub(crate) fn validate_edit(
    tx: &mut dyn ReadTxn,
    form: &Form,
    old: &Value,
    edit: &Value,
    permissions: &FieldPermissions,
    submitter: Option<Submitter>,
) -> OaResult<Value> {
    let Some(edits) = edit.as_object() else {
        return Err(OaError::invalid("data", format!("expected an object of fields, got {}", type_name(edit))));
    };
    let old_map = old.as_object().cloned().unwrap_or_default();
    let known = Known::of(form, old);
    let mut candidate = old_map.clone();
    let mut refused: Vec<(String, &'static str)> = Vec::new();
    let mut read_only = Vec::new();
    for (key, value) in edits {
        let Some(f) = form.field(key) else {
            // Left in the candidate, so that validation reports it as unknown.
            candidate.insert(key.clone(), value.clone());
            continue;
        };
        if matches!(f.kind, FieldKind::Total { .. }) {
            continue;
        }
        match permissions.access(key) {
            FieldAccess::Hidden => refused.push((key.clone(), "is hidden at this step and cannot be given")),
            FieldAccess::ReadOnly => read_only.push((f, value)),
            FieldAccess::Editable if value.is_null() => {
                candidate.remove(key);
            }
            FieldAccess::Editable => {
                candidate.insert(key.clone(), value.clone());
            }
        }
    }
    {
        // A read-only value is compared once normalised, so `"100"` equals the stored
        // `{"amount": "100.00", "currency": "CNY"}`; its own problems do not count.
        let mut scratch = Checker::new(tx, None, &known);
        for (f, value) in read_only {
            let same = match scratch.field(f, value, &f.key)? {
                Out::Value(v) => old_map.get(&f.key) == Some(&v),
                Out::Empty => !old_map.contains_key(&f.key),
                Out::Invalid => false,
            };
            if !same {
                refused.push((f.key.clone(), "is read-only at this step and cannot be changed"));
            }
        }
    }
    let mut checker = Checker::new(tx, submitter, &known);
    for (path, reason) in refused {
        checker.add(path, reason);
    }
    let out = checker.form(form, &Value::Object(candidate))?;
    checker.finish()?;
    Ok(out)
}
