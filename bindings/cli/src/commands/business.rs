//! `oa business-types ...`: business types (业务类型) for applications outside the Rust process:
//! declaring one lets instances carry business keys of its prefix, and each such instance that
//! ends appends an event to the type's feed, which a consumer reads after the last sequence
//! number it handled.

use oa::workflow::runtime::BusinessType;

use crate::cli::BusinessTypesCmd;
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

/// Runs `oa business-types ...`.
pub(crate) fn run(signed: &Signed, cmd: &BusinessTypesCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        BusinessTypesCmd::Declare { prefix, description } => {
            let ty = office.declare_business_type(session, prefix, description)?;
            out.emit(&ty, || types(signed, std::slice::from_ref(&ty)))
        }
        BusinessTypesCmd::List => {
            let all = office.business_types(session)?;
            out.emit(&all, || types(signed, &all))
        }
        BusinessTypesCmd::Events { prefix, after, limit } => {
            let events = office.business_events(session, prefix, *after, *limit)?;
            out.emit(&events, || {
                let mut t = output::table(&[
                    "seq",
                    "business key",
                    "instance",
                    "process",
                    "outcome",
                    "number",
                    "initiator",
                    "at",
                ]);
                for e in &events {
                    t.add_row(vec![
                        e.seq.to_string(),
                        e.business_key.clone(),
                        e.instance.to_string(),
                        e.process_key.clone(),
                        output::word(&e.outcome),
                        output::opt(&e.number),
                        signed.login_label(e.initiator),
                        output::instant(&e.at),
                    ]);
                }
                t.to_string()
            })?;
            // Where the next read starts, as `more` says for pages.
            if let (false, Some(last)) = (out.json, events.last()) {
                eprintln!("next: --after {}", last.seq);
            }
            Ok(())
        }
    }
}

/// Business types as a table.
fn types(signed: &Signed, list: &[BusinessType]) -> String {
    let mut t = output::table(&["prefix", "description", "events", "declared", "by"]);
    for ty in list {
        t.add_row(vec![
            ty.prefix.clone(),
            ty.description.clone(),
            ty.last_seq.to_string(),
            output::instant(&ty.declared_at),
            signed.login_label(ty.declared_by),
        ]);
    }
    t.to_string()
}
