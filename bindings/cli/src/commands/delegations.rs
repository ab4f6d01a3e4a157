//! `oa delegations ...`: standing delegations (委托) as an administrator keeps them: setting one
//! for someone away (their new approval tasks go to a deputy), cancelling it, and listing every
//! delegation of the people they administer. A person's own view of their delegations, and
//! delegating one task to get it back (委派), are steps of their UI.

use chrono::Utc;
use oa::workflow::runtime::{Delegation, NewDelegation};

use crate::cli::DelegationsCmd;
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

use super::pages;

/// Runs `oa delegations ...`.
pub(crate) fn run(signed: &Signed, cmd: &DelegationsCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        DelegationsCmd::Add { owner, to, from, until, process, reason } => {
            let input = NewDelegation {
                owner: Some(signed.person_id(owner)?),
                delegate: signed.person_id(to)?,
                process_key: process.clone(),
                first_day: *from,
                last_day: *until,
                reason: reason.clone(),
            };
            let d = office.create_delegation(session, input)?;
            out.emit(&d, || record(signed, &d))
        }
        DelegationsCmd::Cancel { id } => {
            let d = office.cancel_delegation(session, *id)?;
            out.emit(&d, || record(signed, &d))
        }
        DelegationsCmd::List { page } => {
            let page = pages(page, |request| office.all_delegations(session, request))?;
            out.emit(&page, || {
                let mut t = output::table(&[
                    "delegation",
                    "owner",
                    "delegate",
                    "process",
                    "first day",
                    "last day",
                    "state",
                    "reason",
                ]);
                for d in &page.items {
                    t.add_row(vec![
                        d.id.to_string(),
                        signed.login_label(d.owner),
                        signed.login_label(d.delegate),
                        process(d),
                        d.first_day.to_string(),
                        d.last_day.to_string(),
                        state(d),
                        d.reason.clone(),
                    ]);
                }
                t.to_string()
            })?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
    }
}

/// The processes a delegation covers.
fn process(d: &Delegation) -> String {
    d.process_key.clone().unwrap_or_else(|| "(every process)".into())
}

/// Where a delegation stands now: cancelled, ended, upcoming or running.
fn state(d: &Delegation) -> String {
    let now = Utc::now();
    let word = if d.cancelled_at.is_some() {
        "cancelled"
    } else if d.ends_at <= now {
        "ended"
    } else if now < d.starts_at {
        "upcoming"
    } else {
        "running"
    };
    word.to_string()
}

/// One delegation, every field.
fn record(signed: &Signed, d: &Delegation) -> String {
    output::record(vec![
        ("delegation", d.id.to_string()),
        ("owner", signed.login_label(d.owner)),
        ("delegate", signed.login_label(d.delegate)),
        ("process", process(d)),
        ("first day", d.first_day.to_string()),
        ("last day", d.last_day.to_string()),
        ("from", output::instant(&d.starts_at)),
        ("until", output::instant(&d.ends_at)),
        ("state", state(d)),
        ("reason", d.reason.clone()),
        ("created", format!("{} by {}", output::instant(&d.created_at), signed.login_label(d.created_by))),
        (
            "cancelled",
            match (d.cancelled_at, d.cancelled_by) {
                (Some(at), Some(by)) => format!("{} by {}", output::instant(&at), signed.login_label(by)),
                (Some(at), None) => output::instant(&at),
                _ => String::new(),
            },
        ),
    ])
}
