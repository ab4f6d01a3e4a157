//! The public operations on parameters.

use serde::{Deserialize, Serialize};

use crate::admin::params::{self, ParamDef, ParamValue, Spec, CATALOGUE, SEPARATION_OF_DUTIES};
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::{OaError, OaResult};

/// A parameter with its current value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamSetting {
    /// The parameter's declaration.
    pub def: ParamDef,
    /// Its current value (the default when none was set).
    pub value: ParamValue,
    /// Whether no value was set, so the default applies.
    pub is_default: bool,
}

fn setting(spec: &'static Spec, value: ParamValue, is_default: bool) -> ParamSetting {
    ParamSetting { def: spec.def(), value, is_default }
}

impl Oa {
    /// Every parameter with its current value, in catalogue order. Needs `admin.param.read`.
    pub fn list_params(&self, session: &Session) -> OaResult<Vec<ParamSetting>> {
        self.query(session, "admin.param.list", PendingPassword::Refuse, |qx| {
            qx.require("admin.param.read")?;
            let stored = params::stored_values(qx.tx)?;
            Ok(CATALOGUE
                .iter()
                .map(|spec| match stored.iter().find(|(s, _)| s.key == spec.key) {
                    Some((_, v)) => setting(spec, v.clone(), false),
                    None => setting(spec, spec.default_value(), true),
                })
                .collect())
        })
    }

    /// One parameter with its current value. Needs `admin.param.read`.
    pub fn get_param(&self, session: &Session, key: &str) -> OaResult<ParamSetting> {
        self.query(session, "admin.param.get", PendingPassword::Refuse, |qx| {
            qx.require("admin.param.read")?;
            let spec = Spec::find(key).ok_or_else(|| OaError::not_found("parameter", key))?;
            let (value, is_default) = params::current(qx.tx, spec)?;
            Ok(setting(spec, value, is_default))
        })
    }

    /// Sets a parameter. Needs `admin.param.update`; audited as `key: before → after`.
    ///
    /// An unknown key is a validation error on `key`; a value of the wrong type, out of range,
    /// not among the options or not a currency code is a validation error on `value` that names
    /// what is allowed. Turning on separation of duties is refused while someone holds two of
    /// the three roles it separates.
    pub fn set_param(&self, session: &Session, key: &str, value: ParamValue) -> OaResult<ParamSetting> {
        self.change_param(session, "admin.param.set", key, Some(value))
    }

    /// Puts a parameter back to its default. Needs `admin.param.update`; audited.
    pub fn reset_param(&self, session: &Session, key: &str) -> OaResult<ParamSetting> {
        self.change_param(session, "admin.param.reset", key, None)
    }

    fn change_param(
        &self,
        session: &Session,
        operation: &'static str,
        key: &str,
        value: Option<ParamValue>,
    ) -> OaResult<ParamSetting> {
        self.mutate(session, operation, PendingPassword::Refuse, |cx| {
            cx.require("admin.param.update")?;
            let spec = Spec::find(key).ok_or_else(|| params::unknown_key(key))?;
            if spec.key == SEPARATION_OF_DUTIES && value == Some(ParamValue::Bool(true)) {
                let (before, _) = params::current(cx.read(), spec)?;
                if before != ParamValue::Bool(true) {
                    crate::perm::check_separation_of_duties(cx.read())?;
                }
            }
            let reset = value.is_none();
            let change = params::write(cx.tx, spec.key, value.clone())?;
            if spec.key == SEPARATION_OF_DUTIES && change.before != change.after {
                crate::perm::bump_version(cx.tx)?;
            }
            let out = setting(spec, change.after.clone(), reset);
            Ok((out, Change::new(format!("param:{}", spec.key), change.summary(reset))))
        })
    }
}
