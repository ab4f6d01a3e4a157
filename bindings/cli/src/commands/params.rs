//! `oa params ...`: the core's parameters.

use oa::{parse_param_value, ParamKind, ParamSetting};

use crate::cli::ParamsCmd;
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

/// Runs `oa params ...`.
pub(crate) fn run(signed: &Signed, cmd: &ParamsCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        ParamsCmd::List => {
            let all = office.list_params(session)?;
            out.emit(&all, || table(&all))
        }
        ParamsCmd::Get { key } => {
            let one = office.get_param(session, key)?;
            out.emit(&one, || table(std::slice::from_ref(&one)))
        }
        ParamsCmd::Set { key, value } => {
            // The core reads the typed text and checks it against the parameter's constraints.
            let value = parse_param_value(key, value)?;
            let one = office.set_param(session, key, value)?;
            out.emit(&one, || table(std::slice::from_ref(&one)))
        }
        ParamsCmd::Reset { key } => {
            let one = office.reset_param(session, key)?;
            out.emit(&one, || table(std::slice::from_ref(&one)))
        }
    }
}

fn allowed(kind: &ParamKind) -> String {
    match kind {
        ParamKind::Int { min, max } => format!("{min} to {max}"),
        ParamKind::Bool => "true or false".into(),
        ParamKind::Text { max_len } => format!("text, at most {max_len} characters"),
        ParamKind::Choice { options } => options.join(", "),
        ParamKind::Currency => "ISO 4217 currency code".into(),
    }
}

fn table(settings: &[ParamSetting]) -> String {
    let mut t = output::table(&["key", "value", "default", "allowed", "description"]);
    for s in settings {
        let value = if s.is_default { format!("{} (default)", s.value) } else { s.value.to_string() };
        t.add_row(vec![
            s.def.key.clone(),
            value,
            s.def.default.to_string(),
            allowed(&s.def.kind),
            s.def.description.clone(),
        ]);
    }
    t.to_string()
}
