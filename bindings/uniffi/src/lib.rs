//! Kotlin and Swift bindings of oa, generated with uniffi.
//!
//! Thin by design: type mapping only, every rule stays in the core. `Office` carries every
//! operation of the core as a method; records and enums mirror the core's types (see `types`);
//! every failure is an `OaError` (Kotlin: the sealed class `OaException`), and no panic crosses
//! the boundary. See README.md beside this crate for building and using the bindings.

mod admin;
mod error;
mod form;
mod office;
mod office_workflow_admin;
mod types;
mod workflow;
mod workflow_admin;

pub use admin::*;
pub use error::{sample_error, OaError, OaResult};
pub use form::*;
pub use office::{Office, Principal, Session};
pub use types::*;
pub use workflow::*;
pub use workflow_admin::*;

uniffi::setup_scaffolding!("oa");

/// The name of every public operation of the core, as `Office` exposes them (snake_case here;
/// camelCase in Kotlin and Swift, with `init`, `open` and `close` mapped as `Office` says).
#[uniffi::export]
pub fn operations() -> Vec<String> {
    oa::operations::all().into_iter().map(str::to_string).collect()
}

/// The operations the core has and `operations()` does not list yet (the workflow engine's).
/// `Office` already has every one of them; they move into `operations()` when every frontend
/// of oa exposes them.
#[uniffi::export]
pub fn pending_operations() -> Vec<String> {
    oa::operations::pending().into_iter().map(str::to_string).collect()
}

/// Every error code, as `OaError.code()` returns them.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    oa::OaError::CODES.iter().map(|c| c.to_string()).collect()
}

/// The rules of a password policy preset, to show beside a password field.
#[uniffi::export]
pub fn password_rules(preset: PasswordPolicyPreset) -> PasswordRules {
    oa::password_rules(preset.into()).into()
}

/// Checks `password` against a policy preset without a store; a `validation` error names
/// `field` with every rule it breaks.
#[uniffi::export]
pub fn check_password_policy(preset: PasswordPolicyPreset, password: String, field: String) -> OaResult<()> {
    error::guard(|| Ok(oa::check_password_policy(preset.into(), &password, &field)?))
}

/// Turns text typed by a person into the typed value of parameter `key`, checked against its
/// constraints (for a settings screen with a text field).
#[uniffi::export]
pub fn parse_param_value(key: String, text: String) -> OaResult<ParamValue> {
    error::guard(|| Ok(oa::parse_param_value(&key, &text)?.into()))
}

/// Returns `value` unchanged, through the same conversion every decimal takes: lets an
/// application check its `BigDecimal`/`Decimal` mapping (scale and sign are kept exactly). A
/// number of more than 28 significant digits is a `validation` error on `decimal`.
#[uniffi::export]
pub fn decimal_round_trip(value: Decimal) -> OaResult<Decimal> {
    Ok(value)
}

/// `amount` rounded half-up (away from zero at a half) to `currency`'s minor unit, with exactly
/// that many decimal places (`100` CNY → `100.00`, JPY → no places; two for an unknown code):
/// the one rounding rule of money in oa.
#[uniffi::export]
pub fn round_money(amount: Decimal, currency: String) -> OaResult<Decimal> {
    error::guard(|| Ok(oa::round_money(amount, &currency)))
}
