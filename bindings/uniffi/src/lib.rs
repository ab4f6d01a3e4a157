//! Kotlin and Swift bindings of oa, generated with uniffi.
//!
//! Thin by design: type mapping only, every rule stays in the core. `Office` carries every
//! operation of the core as a method; records and enums mirror the core's types with ids as
//! strings, instants as `SystemTime` (Kotlin `java.time.Instant`, Swift `Date`) and money as
//! `Money` (Kotlin `java.math.BigDecimal`, Swift `Decimal`); every failure is an `OaError`
//! (Kotlin: the sealed class `OaException`), and no panic crosses the boundary. See README.md
//! beside this crate for building and using the bindings.

mod error;
mod office;
mod types;

pub use error::{sample_error, OaError, OaResult};
pub use office::{Office, Session};
pub use types::*;

uniffi::setup_scaffolding!("oa");

/// The name of every public operation of the core, as `Office` exposes them (snake_case here;
/// camelCase in Kotlin and Swift, with `init`, `open` and `close` mapped as `Office` says).
#[uniffi::export]
pub fn operations() -> Vec<String> {
    oa::operations::all().into_iter().map(str::to_string).collect()
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

/// Returns `value` unchanged, through the same conversion every amount of money takes: lets an
/// application check its `BigDecimal`/`Decimal` mapping (scale and sign are kept exactly). An
/// amount of more than 28 significant digits is a `validation` error on `amount`.
#[uniffi::export]
pub fn decimal_round_trip(value: Money) -> OaResult<Money> {
    Ok(value)
}
