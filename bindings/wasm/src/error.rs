//! Errors as JavaScript sees them: an `Error` whose `name` is `OaError`, with the stable `code`
//! of the core (`validation`, `not_found`…) and, for validation, every failing field.
//!
//! Field paths are spelled the way JavaScript spells the fields (`adminPassword`,
//! `securityAdmin.login`, `rows[3].email`); paths into an imported CSV file
//! (`people.csv:12.initial_password`) keep the file's own column names, and paths into form data
//! (`items[2].unit_price`) keep the keys the form's author chose.

use js_sys::{Array, Object, Reflect};
use oa::OaError;
use wasm_bindgen::JsValue;

/// How the paths of a validation error are spelled for JavaScript.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paths {
    /// Paths name the fields of an input: camelCase, as JavaScript spells them.
    Fields,
    /// Paths name keys chosen by people (the fields of a form's data): kept as they are.
    DataKeys,
    /// Paths of workflow operations: the first segment names a field of the input (camelCase),
    /// the rest names form data or a process graph, kept as written (`data.needed_by`,
    /// `definition.nodes[approve_mgr].when_empty`).
    Workflow,
}

/// The error thrown for `err`.
pub(crate) fn to_js(err: &OaError) -> JsValue {
    to_js_with(err, Paths::Fields)
}

/// The error thrown for `err`, its paths spelled as `paths` says.
pub(crate) fn to_js_with(err: &OaError, paths: Paths) -> JsValue {
    let spell = |path: &str| match paths {
        Paths::Fields => js_path(path),
        Paths::DataKeys => path.to_string(),
        Paths::Workflow => workflow_path(path),
    };
    let message = match err {
        OaError::Validation(fields) => {
            let parts: Vec<String> = fields.iter().map(|f| format!("{}: {}", spell(&f.path), f.reason)).collect();
            format!("invalid input: {}", parts.join("; "))
        }
        other => other.to_string(),
    };
    let error = js_sys::Error::new(&message);
    error.set_name("OaError");
    let target: &JsValue = error.as_ref();
    set(target, "code", &JsValue::from_str(err.code()));
    match err {
        OaError::Validation(fields) => {
            let list: Array = fields.iter().map(|f| field_to_js(&spell(&f.path), &f.reason)).collect();
            set(target, "fields", &list);
        }
        OaError::NotFound { kind, id } => {
            set(target, "kind", &JsValue::from_str(kind));
            set(target, "id", &JsValue::from_str(id));
        }
        OaError::PermissionDenied { permission, .. } => {
            set(target, "permission", &JsValue::from_str(permission));
        }
        OaError::AccountLocked { until } => {
            set(target, "until", &JsValue::from_str(until));
        }
        _ => {}
    }
    error.into()
}

/// A validation error for one field, thrown as [`to_js`] throws it.
pub(crate) fn invalid(path: impl Into<String>, reason: impl Into<String>) -> JsValue {
    to_js(&OaError::invalid(path, reason))
}

/// An internal error (a broken invariant of this binding, never the caller's fault).
pub(crate) fn internal(what: impl std::fmt::Display) -> JsValue {
    to_js(&OaError::Internal(what.to_string()))
}

fn field_to_js(path: &str, reason: &str) -> JsValue {
    let object = Object::new();
    set(&object, "path", &JsValue::from_str(path));
    set(&object, "reason", &JsValue::from_str(reason));
    object.into()
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    // Setting a property on a fresh object or error cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// A path of a workflow operation: its first segment camelCase (`process_key` → `processKey`),
/// the rest as written (`data.needed_by`, `nodes[approve_mgr].approvers`).
pub(crate) fn workflow_path(path: &str) -> String {
    let cut = path.find(['.', '[']).unwrap_or(path.len());
    format!("{}{}", js_path(&path[..cut]), &path[cut..])
}

/// A path of the core (`security_admin.login`) as JavaScript names it (`securityAdmin.login`).
pub(crate) fn js_path(path: &str) -> String {
    if path.contains(".csv:") {
        return path.to_string();
    }
    let mut out = String::with_capacity(path.len());
    let mut upper = false;
    for c in path.chars() {
        if c == '_' && !out.is_empty() && !out.ends_with(['.', '[']) {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    if upper {
        out.push('_');
    }
    out
}
