//! Moving values across the boundary: every argument from JavaScript is checked here and a wrong
//! type becomes a `validation` error naming the argument or field, never a panic.

use chrono::{DateTime, NaiveDate, Utc};
use js_sys::{Array, ArrayBuffer, Date, Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_path_to_error::Segment;
use tsify::{Ts, Tsify};
use wasm_bindgen::{JsCast, JsValue};

use oa::{Id, OaResult, Session};

use crate::error::{internal, invalid, to_js};

/// The serializer of every output: absent values are `null` (so every field of an output is
/// always present) and maps are plain objects.
fn serializer() -> serde_wasm_bindgen::Serializer {
    serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true).serialize_maps_as_objects(true)
}

/// `value` as a JavaScript value.
pub(crate) fn to_value<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serializer()).map_err(|e| internal(format!("an output could not be converted: {}", js_message(e))))
}

/// The result of an operation as JavaScript sees it: the value, or the error to throw.
pub(crate) fn output<T: Serialize + Tsify>(result: OaResult<T>) -> Result<Ts<T>, JsValue> {
    let value = result.map_err(|e| to_js(&e))?;
    Ok(Ts::new_unchecked(to_value(&value)?))
}

/// A list result as JavaScript sees it: an array.
pub(crate) fn output_list<T: Serialize>(result: OaResult<Vec<T>>) -> Result<JsValue, JsValue> {
    let value = result.map_err(|e| to_js(&e))?;
    to_value(&value)
}

/// Like [`done`], for operations on form data: the paths of a validation error are the data's
/// own keys, kept as the form's author wrote them.
pub(crate) fn done_data<T>(result: OaResult<T>) -> Result<T, JsValue> {
    result.map_err(|e| crate::error::to_js_with(&e, crate::error::Paths::DataKeys))
}

/// The error of `result`, thrown; its value otherwise.
pub(crate) fn done<T>(result: OaResult<T>) -> Result<T, JsValue> {
    result.map_err(|e| to_js(&e))
}

/// Reads the structured argument `value`; errors name its fields relative to it, or `arg` when
/// the argument as a whole is wrong. A field the input type does not have is refused, so that a
/// misspelt optional field is not silently ignored.
pub(crate) fn input<T: DeserializeOwned + Serialize>(value: &JsValue, arg: &str) -> Result<T, JsValue> {
    let value = &dates_as_text(value, arg)?;
    let de = serde_wasm_bindgen::Deserializer::from(value.clone());
    let parsed: T = serde_path_to_error::deserialize(de).map_err(|e| {
        let path: Vec<Segment> = e.path().iter().cloned().collect();
        let message = js_message(e.into_inner());
        let actual = walk(value, &path);
        let (path, reason) = explain(&path, &message, actual.as_ref());
        // Paths name fields relative to a structured argument, as the core does; an element of
        // a list argument is named after the argument (`holidays[2]`).
        let path = if path.is_empty() || path.starts_with('[') { format!("{arg}{path}") } else { path };
        invalid(path, reason)
    })?;
    // What the input type kept of the argument, to find the fields it did not know.
    let echo = to_value(&parsed)?;
    if let Some(path) = first_unknown(value, &echo, "") {
        return Err(invalid(path, "is not a field of this input"));
    }
    Ok(parsed)
}

/// Reads an optional structured argument: `undefined` and `null` give the default.
pub(crate) fn input_or_default<T: DeserializeOwned + Serialize + Default>(
    value: &JsValue,
    arg: &str,
) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        input(value, arg)
    }
}

/// Reads a structured argument passed as a [`Ts`].
pub(crate) fn ts_input<T: Tsify + DeserializeOwned + Serialize>(value: &Ts<T>, arg: &str) -> Result<T, JsValue> {
    input(&value.js_value(), arg)
}

/// The session of a session token.
pub(crate) fn session(value: &JsValue) -> Result<Session, JsValue> {
    match value.as_string() {
        Some(token) => Ok(Session::from_token(token)),
        None => Err(invalid(
            "session",
            format!("must be a session token (a string from `signIn`), got {}", describe(value)),
        )),
    }
}

/// A text argument.
pub(crate) fn text(value: &JsValue, arg: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| invalid(arg, format!("must be a string, got {}", describe(value))))
}

/// An optional text argument: `undefined` and `null` are `None`.
pub(crate) fn opt_text(value: &JsValue, arg: &str) -> Result<Option<String>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        text(value, arg).map(Some)
    }
}

/// An id argument (wrap it in its typed id: `PersonId(id(…)?)`).
pub(crate) fn id(value: &JsValue, arg: &str) -> Result<Id, JsValue> {
    let text =
        value.as_string().ok_or_else(|| invalid(arg, format!("must be an id (a string), got {}", describe(value))))?;
    text.trim()
        .parse::<Id>()
        .map_err(|_| invalid(arg, format!("`{text}` is not an id (26 characters of Crockford base32)")))
}

/// An optional id argument: `undefined` and `null` are `None`.
pub(crate) fn opt_id(value: &JsValue, arg: &str) -> Result<Option<Id>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        id(value, arg).map(Some)
    }
}

/// A whole-number argument in `[min, max]`.
pub(crate) fn int(value: &JsValue, arg: &str, min: i64, max: i64) -> Result<i64, JsValue> {
    let n = match value.as_f64() {
        Some(n) if js_sys::Number::is_safe_integer(value) => n as i64,
        _ => return Err(invalid(arg, format!("must be a whole number, got {}", describe(value)))),
    };
    if n < min || n > max {
        return Err(invalid(arg, format!("must be between {min} and {max}, got `{n}`")));
    }
    Ok(n)
}

/// An instant argument: a JavaScript `Date`, or an ISO 8601 string with a zone
/// (`2026-11-28T09:30:00Z`).
pub(crate) fn instant(value: &JsValue, arg: &str) -> Result<DateTime<Utc>, JsValue> {
    if let Some(date) = value.dyn_ref::<Date>() {
        let millis = date.get_time();
        // An invalid `Date` holds NaN; a valid one is within ±8.64e15 ms, which chrono holds.
        return (millis.is_finite())
            .then(|| DateTime::from_timestamp_millis(millis as i64))
            .flatten()
            .ok_or_else(|| invalid(arg, "is an invalid Date"));
    }
    let text = value
        .as_string()
        .ok_or_else(|| invalid(arg, format!("must be an ISO 8601 instant (a string), got {}", describe(value))))?;
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| invalid(arg, format!("`{text}` is not an ISO 8601 instant such as `2026-11-28T09:30:00Z`")))
}

/// `value` with every `Date` in it (itself, or inside plain objects and arrays) written as its
/// ISO 8601 instant, as `JSON.stringify` writes them, so that a structured argument takes a
/// `Date` wherever it takes an instant. The caller's objects are left as they were: what holds
/// a `Date` is copied. An invalid `Date` is refused, named as the argument readers name fields
/// (`from` inside a query, `arg` or `arg[2]` for the argument itself or its elements).
pub(crate) fn dates_as_text(value: &JsValue, arg: &str) -> Result<JsValue, JsValue> {
    dates_under(value, "", arg)
}

fn dates_under(value: &JsValue, path: &str, arg: &str) -> Result<JsValue, JsValue> {
    if let Some(date) = value.dyn_ref::<Date>() {
        if !date.get_time().is_finite() {
            let named = if path.is_empty() || path.starts_with('[') { format!("{arg}{path}") } else { path.into() };
            return Err(invalid(named, "is an invalid Date"));
        }
        return Ok(date.to_iso_string().into());
    }
    if Array::is_array(value) {
        let array: &Array = value.unchecked_ref();
        let mut copy: Option<Array> = None;
        for (i, item) in array.iter().enumerate() {
            let converted = dates_under(&item, &format!("{path}[{i}]"), arg)?;
            if copy.is_none() && converted != item {
                copy = Some(array.slice(0, i as u32));
            }
            if let Some(copy) = &copy {
                copy.push(&converted);
            }
        }
        return Ok(copy.map_or_else(|| value.clone(), JsValue::from));
    }
    if !is_plain_object(value) {
        return Ok(value.clone());
    }
    let object: &Object = value.unchecked_ref();
    let mut copy: Option<Object> = None;
    for entry in Object::entries(object).iter() {
        let entry: Array = entry.unchecked_into();
        let (key, item) = (entry.get(0), entry.get(1));
        let name = key.as_string().unwrap_or_default();
        let converted = dates_under(&item, &if path.is_empty() { name } else { format!("{path}.{name}") }, arg)?;
        if converted != item {
            let copy = copy.get_or_insert_with(|| Object::assign(&Object::new(), object));
            Reflect::set(copy, &key, &converted)?;
        }
    }
    Ok(copy.map_or_else(|| value.clone(), JsValue::from))
}

/// Whether `value` is an object made by `{…}` (or `Object.create(null)`), whose own fields are
/// its content; a `Date`, `Map` or typed array is not.
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() || value.is_function() {
        return false;
    }
    let proto = Object::get_prototype_of(value);
    proto.is_null() || proto == Object::get_prototype_of(&Object::new())
}

/// A list of dates argument: ISO 8601 date strings (`2026-10-01`).
pub(crate) fn dates(value: &JsValue, arg: &str) -> Result<Vec<NaiveDate>, JsValue> {
    if !Array::is_array(value) {
        return Err(invalid(arg, format!("must be an array of dates, got {}", describe(value))));
    }
    let array: &Array = value.unchecked_ref();
    let mut out = Vec::with_capacity(array.length() as usize);
    for (i, item) in array.iter().enumerate() {
        let path = format!("{arg}[{i}]");
        let text = item
            .as_string()
            .ok_or_else(|| invalid(&path, format!("must be a date (a string), got {}", describe(&item))))?;
        let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| invalid(&path, format!("`{text}` is not a date such as `2026-10-01`")))?;
        out.push(date);
    }
    Ok(out)
}

/// A JSON argument (form data): any JSON-like value. `undefined` inside it is `null`; a
/// number that is not finite is `null`.
pub(crate) fn json(value: &JsValue, arg: &str) -> Result<serde_json::Value, JsValue> {
    let value = dates_as_text(value, arg)?;
    let de = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize::<_, serde_json::Value>(de).map_err(|e| {
        let path: Vec<Segment> = e.path().iter().cloned().collect();
        let message = js_message(e.into_inner());
        let (path, reason) = explain(&path, &message, None);
        invalid(if path.is_empty() || path.starts_with('[') { format!("{arg}{path}") } else { path }, reason)
    })
}

/// A JSON value read as a core type (a process graph); errors name the failing field under
/// `arg` (`definition.nodes[1]`), in the core's own spelling.
pub(crate) fn from_json<T: DeserializeOwned>(value: serde_json::Value, arg: &str) -> Result<T, JsValue> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path: Vec<Segment> = e.path().iter().cloned().collect();
        let message = e.into_inner().to_string();
        let (path, reason) = explain(&path, &message, None);
        let path =
            if path.is_empty() || path.starts_with('[') { format!("{arg}{path}") } else { format!("{arg}.{path}") };
        crate::error::to_js_with(&oa::OaError::invalid(path, reason), crate::error::Paths::Workflow)
    })
}

/// A JSON document argument: a string as it is, any other JSON-like value written out.
pub(crate) fn json_text(value: &JsValue, arg: &str) -> Result<String, JsValue> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if !value.is_object() {
        return Err(invalid(arg, format!("must be a JSON string or an object, got {}", describe(value))));
    }
    Ok(json(value, arg)?.to_string())
}

/// An optional yes-or-no argument: `undefined` and `null` are `false`.
pub(crate) fn opt_bool(value: &JsValue, arg: &str) -> Result<bool, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(false);
    }
    value.as_bool().ok_or_else(|| invalid(arg, format!("must be a boolean, got {}", describe(value))))
}

/// Like [`done`], for workflow operations: the first segment of a path names a field of the
/// input (camelCase); what follows names form data or a process graph, kept as written.
pub(crate) fn done_wf<T>(result: OaResult<T>) -> Result<T, JsValue> {
    result.map_err(|e| crate::error::to_js_with(&e, crate::error::Paths::Workflow))
}

/// The result of a workflow operation as JavaScript sees it (paths as [`done_wf`] spells them).
pub(crate) fn output_wf<T: Serialize + Tsify>(result: OaResult<T>) -> Result<Ts<T>, JsValue> {
    Ok(Ts::new_unchecked(to_value(&done_wf(result)?)?))
}

/// An optional whole-number argument: `undefined` and `null` are `None`.
pub(crate) fn opt_int(value: &JsValue, arg: &str, min: i64, max: i64) -> Result<Option<i64>, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        int(value, arg, min, max).map(Some)
    }
}

/// A bytes argument: a `Uint8Array` (a Node `Buffer` is one) or an `ArrayBuffer`; with
/// `allow_text`, also a string, taken as its UTF-8 bytes.
pub(crate) fn bytes(value: &JsValue, arg: &str, allow_text: bool) -> Result<Vec<u8>, JsValue> {
    if let Some(array) = value.dyn_ref::<Uint8Array>() {
        return Ok(array.to_vec());
    }
    if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        return Ok(Uint8Array::new(buffer).to_vec());
    }
    if allow_text {
        if let Some(text) = value.as_string() {
            return Ok(text.into_bytes());
        }
        return Err(invalid(arg, format!("must be a string or a Uint8Array, got {}", describe(value))));
    }
    Err(invalid(arg, format!("must be a Uint8Array, got {}", describe(value))))
}

/// A JavaScript value, described for an error message.
pub(crate) fn describe(value: &JsValue) -> String {
    if value.is_undefined() {
        "`undefined`".into()
    } else if value.is_null() {
        "`null`".into()
    } else if let Some(b) = value.as_bool() {
        format!("`{b}`")
    } else if let Some(n) = value.as_f64() {
        format!("the number `{n}`")
    } else if value.is_string() {
        "a string".into()
    } else if value.is_bigint() {
        "a bigint".into()
    } else if Array::is_array(value) {
        "an array".into()
    } else if value.is_function() {
        "a function".into()
    } else if value.is_symbol() {
        "a symbol".into()
    } else {
        "an object".into()
    }
}

/// The message of a serde-wasm-bindgen error, without the `Error: ` that JavaScript puts first.
fn js_message(e: serde_wasm_bindgen::Error) -> String {
    let text = e.to_string();
    text.strip_prefix("Error: ").unwrap_or(&text).to_string()
}

/// The value at `path` inside `root`, when it can be reached.
fn walk(root: &JsValue, path: &[Segment]) -> Option<JsValue> {
    let mut at = root.clone();
    for segment in path {
        let key = match segment {
            Segment::Map { key } => JsValue::from_str(key),
            Segment::Seq { index } => JsValue::from_f64(*index as f64),
            Segment::Enum { .. } | Segment::Unknown => return None,
        };
        if !at.is_object() {
            return None;
        }
        at = Reflect::get(&at, &key).ok()?;
    }
    Some(at)
}

/// Where a deserialization error is and why, in the words the core uses.
fn explain(path: &[Segment], message: &str, actual: Option<&JsValue>) -> (String, String) {
    let mut at = String::new();
    for segment in path {
        match segment {
            Segment::Map { key } => {
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(key);
            }
            Segment::Seq { index } => at.push_str(&format!("[{index}]")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    if let Some(field) = message.strip_prefix("missing field `").and_then(|m| m.strip_suffix('`')) {
        let path = if at.is_empty() { field.to_string() } else { format!("{at}.{field}") };
        return (path, "is required".into());
    }
    if let Some(rest) = message.strip_prefix("invalid type: ").or_else(|| message.strip_prefix("invalid value: ")) {
        let (unexpected, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
        // Inside a buffered value (a tagged or flattened object) the path stops at the enclosing
        // object, so the value found there is not the one refused: trust serde's account of it.
        let got = match (unexpected_in_words(unexpected), actual) {
            (_, Some(v)) if v.is_undefined() || v.is_null() || !v.is_object() => describe(v),
            (Some(words), _) => words,
            (None, Some(v)) => describe(v),
            (None, None) => "something else".into(),
        };
        return (at, format!("must be {}, got {got}", expected_in_words(expected)));
    }
    if message.starts_with("data did not match any variant of untagged enum") {
        let got = actual.map(describe).unwrap_or_else(|| "something else".into());
        return (at, format!("must be a boolean, a whole number or a string, got {got}"));
    }
    (at, message.to_string())
}

/// What serde says it found, in the words of JavaScript; `None` when it says nothing useful.
fn unexpected_in_words(unexpected: &str) -> Option<String> {
    let quoted = |prefix: &str| unexpected.strip_prefix(prefix).map(str::to_string);
    if let Some(n) = quoted("floating point ").or_else(|| quoted("integer ")) {
        Some(format!("the number {n}"))
    } else if unexpected.starts_with("string ") {
        Some("a string".into())
    } else if let Some(b) = quoted("boolean ") {
        Some(b)
    } else if unexpected == "unit value" {
        Some("`null` or `undefined`".into())
    } else if unexpected == "sequence" {
        Some("an array".into())
    } else if unexpected == "map" {
        Some("an object".into())
    } else {
        None
    }
}

/// What serde says it expected, without Rust type names.
fn expected_in_words(expected: &str) -> String {
    let unsigned = ["u8", "u16", "u32", "u64", "u128", "usize"];
    let signed = ["i8", "i16", "i32", "i64", "i128", "isize"];
    if unsigned.contains(&expected) {
        "a whole number, 0 or more".into()
    } else if signed.contains(&expected) {
        "a whole number".into()
    } else if expected == "f32" || expected == "f64" {
        "a number".into()
    } else if expected.starts_with("struct ") || expected.contains("map") || expected.contains("tagged enum") {
        "an object".into()
    } else if expected == "a sequence" {
        "an array".into()
    } else if expected.starts_with("a ") || expected.starts_with("an ") {
        expected.to_string()
    } else {
        format!("`{expected}`")
    }
}

/// The path of the first field of `input` that the parsed input (`echo`) does not have.
fn first_unknown(input: &JsValue, echo: &JsValue, path: &str) -> Option<String> {
    if Array::is_array(input) && Array::is_array(echo) {
        let (input, echo): (&Array, &Array) = (input.unchecked_ref(), echo.unchecked_ref());
        for i in 0..input.length().min(echo.length()) {
            if let Some(p) = first_unknown(&input.get(i), &echo.get(i), &format!("{path}[{i}]")) {
                return Some(p);
            }
        }
        return None;
    }
    let plain = |v: &JsValue| v.is_object() && !Array::is_array(v) && !v.is_function();
    if !plain(input) || !plain(echo) {
        return None;
    }
    let keys = Object::keys(input.unchecked_ref::<Object>());
    for key in keys.iter() {
        let name = key.as_string().unwrap_or_default();
        let field = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
        if !Reflect::has(echo, &key).unwrap_or(false) {
            return Some(field);
        }
        let (Ok(inner), Ok(inner_echo)) = (Reflect::get(input, &key), Reflect::get(echo, &key)) else { continue };
        if let Some(p) = first_unknown(&inner, &inner_echo, &field) {
            return Some(p);
        }
    }
    None
}
