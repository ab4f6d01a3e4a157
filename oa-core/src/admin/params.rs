//! Parameters (参数维护): typed settings with defaults, ranges and validation, read by the rest
//! of the core, changed only with permission, audited.

use serde::{Deserialize, Serialize};

use oa_storage::{ReadTxn, WriteTxn};

use crate::OaResult;

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

/// Reads every parameter (defaults where unset).
pub(crate) fn load(tx: &mut dyn ReadTxn) -> OaResult<Params> {
    let _ = tx;
    todo!("params::load")
}

/// Sets one parameter without a permission check: used while initialising an office.
pub(crate) fn set_raw(tx: &mut dyn WriteTxn, key: &str, value: ParamValue) -> OaResult<()> {
    let _ = (tx, key, value);
    todo!("params::set_raw")
}

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[];
