//! Python values to the core's input types. A value of the wrong Python type is a `TypeError`
//! naming the argument (as pyo3 raises for the arguments it converts itself); a value of the
//! right type that cannot be what the field needs is an `oa.ValidationError` naming the field.

use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, NaiveDate, Utc, Weekday};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyBytes, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyTzInfoAccess,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

use oa::admin::params::ParamValue;
use oa::{DeptId, Id, OaResult, PersonId};

use crate::errors;

/// Runs `f` (a call into the core) without holding the interpreter, so other Python threads run
/// meanwhile; maps its error to the Python exception, and a panic to `oa.InternalError`.
pub(crate) fn call<T: Send>(py: Python<'_>, f: impl FnOnce() -> OaResult<T> + Send) -> PyResult<T> {
    match py.detach(move || catch_unwind(AssertUnwindSafe(f))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(errors::to_py(py, e)),
        Err(panic) => Err(errors::from_panic(py, panic)),
    }
}

pub(crate) fn person_id(py: Python<'_>, field: &str, text: &str) -> PyResult<PersonId> {
    PersonId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

pub(crate) fn dept_id(py: Python<'_>, field: &str, text: &str) -> PyResult<DeptId> {
    DeptId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

pub(crate) fn opt_person_id(py: Python<'_>, field: &str, text: Option<&str>) -> PyResult<Option<PersonId>> {
    text.map(|t| person_id(py, field, t)).transpose()
}

pub(crate) fn opt_dept_id(py: Python<'_>, field: &str, text: Option<&str>) -> PyResult<Option<DeptId>> {
    text.map(|t| dept_id(py, field, t)).transpose()
}

pub(crate) fn grant_id(py: Python<'_>, field: &str, text: &str) -> PyResult<oa::perm::GrantId> {
    oa::perm::GrantId::parse(field, text).map_err(|e| errors::to_py(py, e))
}

/// An untyped id (a session's).
pub(crate) fn id(py: Python<'_>, field: &str, what: &str, text: &str) -> PyResult<Id> {
    text.trim().parse::<Id>().map_err(|_| errors::invalid(py, field, format!("`{text}` is not a {what} id")))
}

/// A whole number that must fit the core's unsigned type (a page limit, a level, a sequence
/// number); a negative or oversized one is a validation error naming `field`.
pub(crate) fn unsigned<T: TryFrom<i64>>(py: Python<'_>, field: &str, n: i64) -> PyResult<T> {
    T::try_from(n).map_err(|_| {
        if n < 0 {
            errors::invalid(py, field, format!("must not be negative, got {n}"))
        } else {
            errors::invalid(py, field, format!("is too large, got {n}"))
        }
    })
}

/// An instant: an aware `datetime` (any offset; converted to UTC). A naive one is refused
/// because it does not say which instant it means.
pub(crate) fn instant(py: Python<'_>, field: &str, value: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let dt = value.cast::<PyDateTime>().map_err(|_| {
        PyTypeError::new_err(format!("argument `{field}` must be an aware datetime, got `{}`", type_name(value)))
    })?;
    if dt.get_tzinfo().is_none() || dt.call_method0("utcoffset")?.is_none() {
        return Err(errors::invalid(
            py,
            field,
            "must be an aware datetime (with a tzinfo, e.g. `datetime.timezone.utc`), got a naive one",
        ));
    }
    let utc = py.import("datetime")?.getattr("timezone")?.getattr("utc")?;
    dt.call_method1("astimezone", (utc,))?.extract::<DateTime<Utc>>()
}

pub(crate) fn opt_instant(
    py: Python<'_>,
    field: &str,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<DateTime<Utc>>> {
    match value {
        Some(v) if !v.is_none() => instant(py, field, v).map(Some),
        _ => Ok(None),
    }
}

/// A business date: a `datetime.date` (a `datetime`, which is also a `date` in Python, is refused:
/// its time of day would be dropped silently).
pub(crate) fn date(field: &str, value: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
    if value.cast::<PyDateTime>().is_ok() || value.cast::<PyDate>().is_err() {
        return Err(PyTypeError::new_err(format!("argument `{field}` must be a date, got `{}`", type_name(value))));
    }
    value.extract::<NaiveDate>()
}

/// A list of dates; an item of the wrong type is named by its index.
pub(crate) fn dates(field: &str, values: Vec<Bound<'_, PyAny>>) -> PyResult<Vec<NaiveDate>> {
    values.iter().enumerate().map(|(i, v)| date(&format!("{field}[{i}]"), v)).collect()
}

/// A weekday numbered as `date.weekday()` numbers it: 0 for Monday to 6 for Sunday.
pub(crate) fn weekday(py: Python<'_>, field: &str, n: i64) -> PyResult<Weekday> {
    u8::try_from(n)
        .ok()
        .and_then(|n| Weekday::try_from(n).ok())
        .ok_or_else(|| errors::invalid(py, field, format!("must be a weekday from 0 (Monday) to 6 (Sunday), got {n}")))
}

/// A whole number that must fit the core's type (a year); one that cannot is a validation
/// error naming `field`.
pub(crate) fn fit<T: TryFrom<i64>>(py: Python<'_>, field: &str, n: i64) -> PyResult<T> {
    T::try_from(n).map_err(|_| errors::invalid(py, field, format!("is out of range, got {n}")))
}

/// The contents of a file given as `bytes` (or `bytearray`) or `str` (written as UTF-8).
pub(crate) fn file_bytes(field: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<pyo3::types::PyByteArray>() {
        return Ok(b.to_vec());
    }
    Err(PyTypeError::new_err(format!("argument `{field}` must be bytes or str, got `{}`", type_name(value))))
}

/// A parameter's value: `bool`, `int` or `str` (which one a parameter takes is the core's rule).
pub(crate) fn param_value(value: &Bound<'_, PyAny>) -> PyResult<ParamValue> {
    // `bool` first: in Python it is also an `int`.
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(ParamValue::Bool(b.is_true()));
    }
    if value.cast::<PyInt>().is_ok() {
        return Ok(ParamValue::Int(value.extract::<i64>()?));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(ParamValue::Text(s.to_cow()?.into_owned()));
    }
    Err(PyTypeError::new_err(format!("argument `value` must be bool, int or str, got `{}`", type_name(value))))
}

/// A word of one of the core's enums (`active`, `own_dept`...), read the way the core's serde
/// names it, so the words are the same in every frontend.
pub(crate) fn word<T: DeserializeOwned>(py: Python<'_>, field: &str, text: &str) -> PyResult<T> {
    serde_json::from_value(serde_json::Value::String(text.to_string()))
        .map_err(|e| errors::invalid(py, field, e.to_string()))
}

/// The word of one of the core's enums, as its serde names it.
pub(crate) fn word_of<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub(crate) fn type_name(value: &Bound<'_, PyAny>) -> String {
    value.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".into())
}

/// How deep a JSON-shaped value may nest: far more than a form needs, and few enough that a
/// list that contains itself is refused instead of recursing for ever.
const MAX_JSON_DEPTH: usize = 64;

/// Where a value sits inside an argument, shown as the core shows paths (`fields[2].options`,
/// `items[1].amount`); built only when an error needs it.
#[derive(Clone, Copy)]
pub(crate) enum JsonPath<'a> {
    /// The argument itself; its name is the start of the path (`fields`), or nothing (`""`)
    /// when paths are relative to it, as the core's paths in form data are.
    Root(&'a str),
    /// The item at an index of a list.
    Index(&'a JsonPath<'a>, usize),
    /// The value of a key of a dict.
    Key(&'a JsonPath<'a>, &'a str),
}

impl std::fmt::Display for JsonPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonPath::Root(name) => f.write_str(name),
            JsonPath::Index(parent, i) => write!(f, "{parent}[{i}]"),
            JsonPath::Key(parent, key) => {
                let parent = parent.to_string();
                if parent.is_empty() {
                    f.write_str(key)
                } else {
                    write!(f, "{parent}.{key}")
                }
            }
        }
    }
}

/// A JSON-shaped Python value (a form's fields, the data submitted on a form) as the core's
/// JSON, converted item by item: `dict` (with `str` keys) → object, `list`/`tuple` → array,
/// `str`, `int`, `float`, `bool`, `None` as themselves, `decimal.Decimal` → its plain decimal
/// text (`"1234.50"`, the form money takes), `date` → `"YYYY-MM-DD"` and an aware `datetime`
/// → RFC 3339 in UTC. Any other type is a `TypeError` naming the argument and the path; a
/// value JSON cannot hold (a float that is not finite, an `int` beyond 64 bits, a naive
/// `datetime`, nesting deeper than 64 levels) is an `oa.ValidationError` at its path.
pub(crate) fn json(
    py: Python<'_>,
    arg: &str,
    path: JsonPath<'_>,
    value: &Bound<'_, PyAny>,
) -> PyResult<serde_json::Value> {
    json_at(py, arg, path, value, 0)
}

fn json_at(
    py: Python<'_>,
    arg: &str,
    path: JsonPath<'_>,
    value: &Bound<'_, PyAny>,
    depth: usize,
) -> PyResult<serde_json::Value> {
    use serde_json::Value;
    if depth > MAX_JSON_DEPTH {
        return Err(errors::invalid(
            py,
            &path.to_string(),
            format!("is nested more than {MAX_JSON_DEPTH} levels deep"),
        ));
    }
    if value.is_none() {
        return Ok(Value::Null);
    }
    // `bool` first: in Python it is also an `int`.
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if value.cast::<PyInt>().is_ok() {
        if let Ok(n) = value.extract::<i64>() {
            return Ok(Value::from(n));
        }
        if let Ok(n) = value.extract::<u64>() {
            return Ok(Value::from(n));
        }
        return Err(errors::invalid(py, &path.to_string(), format!("{value} is beyond the range of numbers")));
    }
    if let Ok(f) = value.cast::<PyFloat>() {
        let x = f.value();
        return serde_json::Number::from_f64(x)
            .map(Value::Number)
            .ok_or_else(|| errors::invalid(py, &path.to_string(), format!("must be a finite number, got {x}")));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if let Ok(d) = value.cast::<PyDict>() {
        let mut map = serde_json::Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k.cast::<PyString>().map_err(|_| {
                let of = if path.to_string().is_empty() { String::new() } else { format!("`{path}` in ") };
                PyTypeError::new_err(format!("the keys of {of}argument `{arg}` must be str, got `{}`", type_name(&k)))
            })?;
            let key = key.to_cow()?;
            let item = json_at(py, arg, JsonPath::Key(&path, &key), &v, depth + 1)?;
            map.insert(key.into_owned(), item);
        }
        return Ok(Value::Object(map));
    }
    if value.cast::<PyList>().is_ok() || value.cast::<PyTuple>().is_ok() {
        let mut out = Vec::with_capacity(value.len()?);
        for (i, item) in value.try_iter()?.enumerate() {
            out.push(json_at(py, arg, JsonPath::Index(&path, i), &item?, depth + 1)?);
        }
        return Ok(Value::Array(out));
    }
    // `datetime` before `date`: in Python a `datetime` is also a `date`.
    if value.cast::<PyDateTime>().is_ok() {
        let at = instant(py, &path.to_string(), value)?;
        return Ok(Value::String(at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)));
    }
    if value.cast::<PyDate>().is_ok() {
        return Ok(Value::String(value.extract::<NaiveDate>()?.format("%Y-%m-%d").to_string()));
    }
    let decimal = py.import("decimal")?.getattr("Decimal")?;
    if value.is_instance(&decimal)? {
        // Python's own fixed-point text: no exponent (`1E+3` is `1000`), every digit kept.
        let text = py.import("builtins")?.getattr("format")?.call1((value, "f"))?;
        return Ok(Value::String(text.extract()?));
    }
    let at = if path.to_string().is_empty() { String::new() } else { format!("`{path}` in ") };
    Err(PyTypeError::new_err(format!(
        "{at}argument `{arg}` must be JSON-shaped (dict, list, str, int, float, bool, None, Decimal, date or datetime), got `{}`",
        type_name(value)
    )))
}

/// The core's JSON as Python values: object → `dict`, array → `list`, a whole number → `int`,
/// another number → `float`, and text, booleans and null as `str`, `bool` and `None`.
pub(crate) fn py_json<'py>(py: Python<'py>, value: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value;
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(py_json(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, py_json(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// The contents of an uploaded file: `bytes` or `bytearray` (a `str` is refused: a file's
/// encoding is the caller's to choose).
pub(crate) fn binary(field: &str, value: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = value.cast::<pyo3::types::PyByteArray>() {
        return Ok(b.to_vec());
    }
    Err(PyTypeError::new_err(format!("argument `{field}` must be bytes or bytearray, got `{}`", type_name(value))))
}
