//! Parameters (参数维护): typed settings with defaults, ranges and validation, read by the rest
//! of the core, changed only with permission, audited.
//!
//! Each parameter is declared once in the catalogue ([`catalogue`]) with its kind, its
//! constraints and its default. A value that was set is kept under `param/<key>`; a parameter
//! never set reads as its default, so a new release can add parameters without a migration.
//! The rest of the core reads every parameter at once, typed, through `load` (one prefix scan).

mod ops;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use serde::{Deserialize, Serialize};

use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};

use crate::codec::{self, Record};
use crate::db::{self, DecodedCache};
use crate::keys::{KeyBuf, KeyReader};
use crate::{OaError, OaResult};

pub use ops::ParamSetting;

/// The password policy presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PasswordPolicyPreset {
    /// OWASP: at least 8 characters, no composition rule, no forced expiry.
    Owasp,
    /// Public agencies in the style of 等保 level 3: at least 8 characters from three character
    /// classes, a change every 90 days, none of the last 5 passwords again.
    Dengbao3,
}

impl PasswordPolicyPreset {
    /// The preset's word, as the parameter `auth.password.policy` stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordPolicyPreset::Owasp => "owasp",
            PasswordPolicyPreset::Dengbao3 => "dengbao3",
        }
    }

    /// The preset named `word`, if any.
    pub fn from_word(word: &str) -> Option<Self> {
        match word {
            "owasp" => Some(PasswordPolicyPreset::Owasp),
            "dengbao3" => Some(PasswordPolicyPreset::Dengbao3),
            _ => None,
        }
    }
}

/// The kind of value a parameter takes, with its constraints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParamKind {
    /// A whole number in `[min, max]`.
    Int {
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
    },
    /// Yes or no.
    Bool,
    /// Text of at most `max_len` characters, not empty.
    Text {
        /// The longest text allowed, in characters.
        max_len: u32,
    },
    /// One of a fixed list of words.
    Choice {
        /// The words allowed.
        options: Vec<String>,
    },
    /// An ISO 4217 currency code (three capital letters).
    Currency,
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A yes/no value.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Text, a choice or a currency code.
    Text(String),
}

impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Bool(b) => write!(f, "{b}"),
            ParamValue::Int(n) => write!(f, "{n}"),
            ParamValue::Text(s) => f.write_str(s),
        }
    }
}

/// The declaration of a parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamDef {
    /// The parameter's key (`auth.lockout.threshold`).
    pub key: String,
    /// What it controls.
    pub description: String,
    /// The kind of value and its constraints.
    pub kind: ParamKind,
    /// The value when none was set.
    pub default: ParamValue,
}

/// Every parameter's current value, typed, as the rest of the core reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    /// `office.name`: the office's name.
    pub office_name: String,
    /// `office.base_currency`: the base currency (ISO 4217).
    pub base_currency: String,
    /// `auth.lockout.threshold`: failed sign-ins within the window that lock an account.
    pub lockout_threshold: u32,
    /// `auth.lockout.window_minutes`: the window in which failures are counted.
    pub lockout_window_minutes: u32,
    /// `auth.lockout.duration_minutes`: how long a locked account stays locked.
    pub lockout_duration_minutes: u32,
    /// `auth.session.idle_minutes`: a session unused this long expires.
    pub session_idle_minutes: u32,
    /// `auth.session.absolute_hours`: a session expires this long after sign-in whatever its use.
    pub session_absolute_hours: u32,
    /// `auth.password.policy`: the password policy preset.
    pub password_policy: PasswordPolicyPreset,
    /// `security.separation_of_duties`: 三员分立.
    pub separation_of_duties: bool,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            office_name: "Office".into(),
            base_currency: "CNY".into(),
            lockout_threshold: 5,
            lockout_window_minutes: 15,
            lockout_duration_minutes: 15,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            password_policy: PasswordPolicyPreset::Owasp,
            separation_of_duties: false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------

/// `office.name`.
pub const OFFICE_NAME: &str = "office.name";
/// `office.base_currency`.
pub const BASE_CURRENCY: &str = "office.base_currency";
/// `auth.lockout.threshold`.
pub const LOCKOUT_THRESHOLD: &str = "auth.lockout.threshold";
/// `auth.lockout.window_minutes`.
pub const LOCKOUT_WINDOW_MINUTES: &str = "auth.lockout.window_minutes";
/// `auth.lockout.duration_minutes`.
pub const LOCKOUT_DURATION_MINUTES: &str = "auth.lockout.duration_minutes";
/// `auth.session.idle_minutes`.
pub const SESSION_IDLE_MINUTES: &str = "auth.session.idle_minutes";
/// `auth.session.absolute_hours`.
pub const SESSION_ABSOLUTE_HOURS: &str = "auth.session.absolute_hours";
/// `auth.password.policy`.
pub const PASSWORD_POLICY: &str = "auth.password.policy";
/// `security.separation_of_duties`.
pub const SEPARATION_OF_DUTIES: &str = "security.separation_of_duties";

/// A kind as the static catalogue declares it.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Int(i64, i64),
    Bool,
    Text(u32),
    Choice(&'static [&'static str]),
    Currency,
}

/// A default as the static catalogue declares it.
#[derive(Debug, Clone, Copy)]
enum Default_ {
    Int(i64),
    Bool(bool),
    Text(&'static str),
}

/// One entry of the static catalogue.
#[derive(Debug)]
struct Spec {
    key: &'static str,
    description: &'static str,
    kind: Kind,
    default: Default_,
}

const PASSWORD_POLICIES: &[&str] = &["owasp", "dengbao3"];

/// Every parameter, in the order they are listed. Defaults agree with `Params::default()`
/// (a test holds them to it).
const CATALOGUE: &[Spec] = &[
    Spec {
        key: OFFICE_NAME,
        description: "the office's name, as shown to its people",
        kind: Kind::Text(100),
        default: Default_::Text("Office"),
    },
    Spec {
        key: BASE_CURRENCY,
        description: "the base currency of amounts (ISO 4217 code)",
        kind: Kind::Currency,
        default: Default_::Text("CNY"),
    },
    Spec {
        key: LOCKOUT_THRESHOLD,
        description: "failed sign-ins within the window that lock an account",
        kind: Kind::Int(1, 100),
        default: Default_::Int(5),
    },
    Spec {
        key: LOCKOUT_WINDOW_MINUTES,
        description: "the window, in minutes, in which failed sign-ins are counted",
        kind: Kind::Int(1, 1440),
        default: Default_::Int(15),
    },
    Spec {
        key: LOCKOUT_DURATION_MINUTES,
        description: "how long, in minutes, a locked account stays locked",
        kind: Kind::Int(1, 10080),
        default: Default_::Int(15),
    },
    Spec {
        key: SESSION_IDLE_MINUTES,
        description: "a session unused this many minutes expires",
        kind: Kind::Int(1, 10080),
        default: Default_::Int(30),
    },
    Spec {
        key: SESSION_ABSOLUTE_HOURS,
        description: "a session expires this many hours after sign-in, however much it is used",
        kind: Kind::Int(1, 720),
        default: Default_::Int(12),
    },
    Spec {
        key: PASSWORD_POLICY,
        description: "the password policy: `owasp` (at least 8 characters) or `dengbao3` (等保 level 3: three character classes, a change every 90 days, no reuse of the last 5)",
        kind: Kind::Choice(PASSWORD_POLICIES),
        default: Default_::Text("owasp"),
    },
    Spec {
        key: SEPARATION_OF_DUTIES,
        description: "separation of duties (三员分立): no one may hold two of the system administrator, security administrator and security auditor roles",
        kind: Kind::Bool,
        default: Default_::Bool(false),
    },
];

impl Spec {
    fn find(key: &str) -> Option<&'static Spec> {
        CATALOGUE.iter().find(|s| s.key == key)
    }

    fn default_value(&self) -> ParamValue {
        match self.default {
            Default_::Int(n) => ParamValue::Int(n),
            Default_::Bool(b) => ParamValue::Bool(b),
            Default_::Text(s) => ParamValue::Text(s.to_string()),
        }
    }

    fn kind(&self) -> ParamKind {
        match self.kind {
            Kind::Int(min, max) => ParamKind::Int { min, max },
            Kind::Bool => ParamKind::Bool,
            Kind::Text(max_len) => ParamKind::Text { max_len },
            Kind::Choice(options) => ParamKind::Choice { options: options.iter().map(|s| s.to_string()).collect() },
            Kind::Currency => ParamKind::Currency,
        }
    }

    fn def(&self) -> ParamDef {
        ParamDef {
            key: self.key.to_string(),
            description: self.description.to_string(),
            kind: self.kind(),
            default: self.default_value(),
        }
    }

    /// What the parameter allows, in words, for error messages.
    fn allowed(&self) -> String {
        match self.kind {
            Kind::Int(min, max) => format!("a whole number from {min} to {max}"),
            Kind::Bool => "`true` or `false`".to_string(),
            Kind::Text(max_len) => format!("text of 1 to {max_len} characters"),
            Kind::Choice(options) => {
                let words: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
                format!("one of {}", words.join(", "))
            }
            Kind::Currency => "an ISO 4217 currency code of three capital letters, such as `CNY`".to_string(),
        }
    }

    /// The value, normalised, or why it is refused (a reason for the field `value`).
    fn check(&self, value: &ParamValue) -> Result<ParamValue, String> {
        let refuse = |got: String| Err(format!("must be {}, got {got}", self.allowed()));
        match (self.kind, value) {
            (Kind::Int(min, max), ParamValue::Int(n)) => {
                if (min..=max).contains(n) {
                    Ok(ParamValue::Int(*n))
                } else {
                    refuse(format!("`{n}`"))
                }
            }
            (Kind::Bool, ParamValue::Bool(b)) => Ok(ParamValue::Bool(*b)),
            (Kind::Text(max_len), ParamValue::Text(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    Err("must not be empty".into())
                } else if t.chars().count() > max_len as usize {
                    Err(format!("must be at most {max_len} characters, got {}", t.chars().count()))
                } else if t.chars().any(char::is_control) {
                    Err("must not contain control characters such as line breaks".into())
                } else {
                    Ok(ParamValue::Text(t.to_string()))
                }
            }
            (Kind::Choice(options), ParamValue::Text(s)) => {
                if options.contains(&s.as_str()) {
                    Ok(ParamValue::Text(s.clone()))
                } else {
                    refuse(format!("`{s}`"))
                }
            }
            (Kind::Currency, ParamValue::Text(s)) => {
                if crate::money::minor_unit(s).is_some() {
                    Ok(ParamValue::Text(s.clone()))
                } else if s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase()) {
                    Err(format!("`{s}` is not an ISO 4217 currency code; must be {}", self.allowed()))
                } else {
                    refuse(format!("`{s}`"))
                }
            }
            (_, other) => refuse(describe(other)),
        }
    }
}

/// A value with its type, for an error that says the type is wrong.
fn describe(v: &ParamValue) -> String {
    match v {
        ParamValue::Bool(b) => format!("yes/no `{b}`"),
        ParamValue::Int(n) => format!("number `{n}`"),
        ParamValue::Text(s) => format!("text `{s}`"),
    }
}

/// Every parameter's declaration, in catalogue order.
pub fn catalogue() -> Vec<ParamDef> {
    CATALOGUE.iter().map(Spec::def).collect()
}

/// The declaration of the parameter `key`, if there is one.
pub fn param_def(key: &str) -> Option<ParamDef> {
    Spec::find(key).map(Spec::def)
}

fn unknown_key(key: &str) -> OaError {
    OaError::invalid("key", format!("`{key}` is not a parameter"))
}

/// Turns text typed by a person (a command-line argument) into the typed value of parameter
/// `key`, and checks it against the parameter's constraints.
///
/// Numbers are decimal; yes/no accepts `true`/`false`, `yes`/`no`, `on`/`off`, `1`/`0`; a
/// currency code is taken in capitals whatever its case; text is trimmed.
pub fn parse_param_value(key: &str, text: &str) -> OaResult<ParamValue> {
    let spec = Spec::find(key).ok_or_else(|| unknown_key(key))?;
    let t = text.trim();
    let value = match spec.kind {
        Kind::Int(..) => match t.parse::<i64>() {
            Ok(n) => ParamValue::Int(n),
            Err(_) => return Err(OaError::invalid("value", format!("must be {}, got `{text}`", spec.allowed()))),
        },
        Kind::Bool => match t.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => ParamValue::Bool(true),
            "false" | "no" | "off" | "0" => ParamValue::Bool(false),
            _ => return Err(OaError::invalid("value", format!("must be {}, got `{text}`", spec.allowed()))),
        },
        Kind::Currency => ParamValue::Text(t.to_ascii_uppercase()),
        Kind::Choice(_) => ParamValue::Text(t.to_ascii_lowercase()),
        Kind::Text(_) => ParamValue::Text(t.to_string()),
    };
    spec.check(&value).map_err(|reason| OaError::invalid("value", reason))
}

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------

/// A parameter's value as stored under `param/<key>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredParam {
    value: ParamValue,
}

impl Record for StoredParam {
    const KIND: &'static str = "parameter";
}

fn space() -> KeyBuf {
    KeyBuf::new("param")
}

fn param_key(key: &str) -> KeyBuf {
    space().str(key)
}

/// The value set for every declared parameter that has one, in catalogue order.
///
/// A stored value that no longer passes its parameter's constraints (a range narrowed by a
/// later release) reads as unset, so the default applies; a key no longer declared is ignored.
fn stored_values(tx: &mut dyn ReadTxn) -> OaResult<Vec<(&'static Spec, ParamValue)>> {
    // A few more entries than declared parameters, so keys of a newer release do not cost a
    // second scan in the common case.
    let chunk = CATALOGUE.len() * 2 + 8;
    let mut range = KeyRange::prefix(space().as_bytes());
    let mut out = Vec::with_capacity(CATALOGUE.len());
    loop {
        let entries = tx.scan(&range, Direction::Forward, chunk)?;
        let exhausted = entries.len() < chunk;
        for (k, v) in entries {
            let key = KeyReader::new(&k).and_then(|mut r| r.str());
            if let Some(spec) = key.as_deref().and_then(Spec::find) {
                let stored: StoredParam = codec::decode(&v)?;
                match spec.check(&stored.value) {
                    Ok(value) => out.push((spec, value)),
                    Err(reason) => {
                        tracing::warn!(key = spec.key, %reason, "stored parameter ignored; its default applies")
                    }
                }
            }
            range.start = std::ops::Bound::Excluded(k);
        }
        if exhausted {
            break;
        }
    }
    Ok(out)
}

fn as_u32(v: &ParamValue) -> Option<u32> {
    match v {
        ParamValue::Int(n) => u32::try_from(*n).ok(),
        _ => None,
    }
}

/// Sets the typed field of `params` that `key` names; `value` has passed its check.
fn apply(params: &mut Params, key: &str, value: &ParamValue) {
    match (key, value) {
        (OFFICE_NAME, ParamValue::Text(s)) => params.office_name = s.clone(),
        (BASE_CURRENCY, ParamValue::Text(s)) => params.base_currency = s.clone(),
        (LOCKOUT_THRESHOLD, v) => params.lockout_threshold = as_u32(v).unwrap_or(params.lockout_threshold),
        (LOCKOUT_WINDOW_MINUTES, v) => {
            params.lockout_window_minutes = as_u32(v).unwrap_or(params.lockout_window_minutes)
        }
        (LOCKOUT_DURATION_MINUTES, v) => {
            params.lockout_duration_minutes = as_u32(v).unwrap_or(params.lockout_duration_minutes)
        }
        (SESSION_IDLE_MINUTES, v) => params.session_idle_minutes = as_u32(v).unwrap_or(params.session_idle_minutes),
        (SESSION_ABSOLUTE_HOURS, v) => {
            params.session_absolute_hours = as_u32(v).unwrap_or(params.session_absolute_hours)
        }
        (PASSWORD_POLICY, ParamValue::Text(s)) => {
            params.password_policy = PasswordPolicyPreset::from_word(s).unwrap_or(params.password_policy)
        }
        (SEPARATION_OF_DUTIES, ParamValue::Bool(b)) => params.separation_of_duties = *b,
        _ => {}
    }
}

/// Reads every parameter (defaults where unset), with one prefix scan.
pub(crate) fn load(tx: &mut dyn ReadTxn) -> OaResult<Params> {
    let mut params = Params::default();
    for (spec, value) in stored_values(tx)? {
        apply(&mut params, spec.key, &value);
    }
    Ok(params)
}

/// The current value of `spec` and whether it is the default (unset).
fn current(tx: &mut dyn ReadTxn, spec: &'static Spec) -> OaResult<(ParamValue, bool)> {
    let stored: Option<StoredParam> = db::get(tx, param_key(spec.key).as_bytes())?;
    Ok(value_or_default(spec, stored.as_ref()))
}

/// The value `stored` gives parameter `spec`, and whether it is the default: a value that no
/// longer passes its parameter's constraints reads as unset, as in [`load`].
fn value_or_default(spec: &'static Spec, stored: Option<&StoredParam>) -> (ParamValue, bool) {
    match stored.and_then(|s| spec.check(&s.value).ok()) {
        Some(v) => (v, false),
        None => (spec.default_value(), true),
    }
}

/// How many stored parameters [`ParamsCache`] keeps decoded: every one there is.
const PARAMS_CACHED: usize = 64;

/// Parameters read one by one on every operation (the session limits), each decoded once.
///
/// A read still reads the parameter's record in the caller's transaction, and serves the
/// decoded value only when the bytes just read equal those it was decoded from (see
/// [`DecodedCache`]): a change through any handle over the store, or in a transaction run again
/// or rolled back, is never missed. Two reads of a key cost less than the prefix scan of
/// [`load`], and a checked value is never decoded twice.
#[derive(Debug)]
pub(crate) struct ParamsCache {
    stored: DecodedCache<StoredParam>,
}

impl Default for ParamsCache {
    fn default() -> Self {
        ParamsCache { stored: DecodedCache::new(PARAMS_CACHED) }
    }
}

impl ParamsCache {
    /// The current value of the whole-number parameter `key`, as [`load`] reads it.
    pub(crate) fn count(&self, tx: &mut dyn ReadTxn, key: &'static str) -> OaResult<u32> {
        let spec = Spec::find(key).ok_or_else(|| OaError::Internal(format!("`{key}` is not a parameter")))?;
        let stored = self.stored.get(tx, param_key(spec.key).as_bytes())?;
        let (value, _) = value_or_default(spec, stored.as_deref());
        as_u32(&value).ok_or_else(|| OaError::Internal(format!("parameter `{key}` is not a whole number")))
    }
}

/// What a change of one parameter did.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParamChange {
    pub(crate) key: &'static str,
    pub(crate) before: ParamValue,
    pub(crate) after: ParamValue,
}

impl ParamChange {
    /// The audit summary: `auth.lockout.threshold: 5 → 3`, marked `(default)` after a reset.
    pub(crate) fn summary(&self, reset: bool) -> String {
        let note = if reset { " (default)" } else { "" };
        format!("{}: {} → {}{note}", self.key, self.before, self.after)
    }
}

/// Checks `value` for `key` and stores it (or, for `None`, removes the stored value so the
/// default applies), returning the value before and after. No permission check, no hook.
pub(crate) fn write(tx: &mut dyn WriteTxn, key: &str, value: Option<ParamValue>) -> OaResult<ParamChange> {
    let spec = Spec::find(key).ok_or_else(|| unknown_key(key))?;
    let after = match &value {
        Some(v) => spec.check(v).map_err(|reason| OaError::invalid("value", reason))?,
        None => spec.default_value(),
    };
    let (before, _) = current(tx.as_read(), spec)?;
    match value {
        Some(_) => db::put(tx, param_key(spec.key).as_bytes(), &StoredParam { value: after.clone() })?,
        None => tx.delete(param_key(spec.key).as_bytes())?,
    }
    Ok(ParamChange { key: spec.key, before, after })
}

/// Sets one parameter without a permission check: used while initialising an office.
///
/// The value is checked like [`Oa::set_param`](crate::Oa::set_param) checks it; no hook runs
/// (turning on separation of duties here is the caller's responsibility).
pub(crate) fn set_raw(tx: &mut dyn WriteTxn, key: &str, value: ParamValue) -> OaResult<()> {
    write(tx, key, Some(value)).map(|_| ())
}

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &["list_params", "get_param", "set_param", "reset_param"];
