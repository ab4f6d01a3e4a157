//! `oa audit ...`: the core's audit log.

use oa::{AuditQuery, AuditRecord};

use super::pages;
use crate::cli::AuditCmd;
use crate::failure::{CliResult, Failure};
use crate::output::{self, Out};
use crate::session::Signed;

/// Runs `oa audit ...`.
pub(crate) fn run(signed: &Signed, cmd: &AuditCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        AuditCmd::Verify => {
            let report = office.verify_audit_chain(session)?;
            out.emit(&report, || {
                output::record(vec![
                    ("records checked", report.checked.to_string()),
                    ("intact", output::yes_no(report.is_intact())),
                    ("first mismatch", report.first_mismatch.map(|s| s.to_string()).unwrap_or_default()),
                    ("problem", output::opt(&report.problem)),
                    ("head hash", report.head_hash.clone()),
                ])
            })?;
            match report.first_mismatch {
                None => Ok(()),
                Some(seq) => Err(Failure::ChainBroken(format!(
                    "audit record {seq} does not match its chain: {}",
                    report.problem.as_deref().unwrap_or("no reason given")
                ))),
            }
        }
        AuditCmd::List { from, to, actor, operation, target, page } => {
            let query = AuditQuery {
                from: *from,
                to: *to,
                actor: actor.as_deref().map(|a| signed.person_id(a)).transpose()?,
                operation: operation.clone(),
                target: target.clone(),
            };
            let page = pages(page, |request| office.list_audit(session, query.clone(), request))?;
            out.emit(&page, || table(&page.items))?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
        AuditCmd::Show { seq } => {
            let r = office.get_audit_record(session, *seq)?;
            out.emit(&r, || {
                output::record(vec![
                    ("seq", r.seq.to_string()),
                    ("at", output::instant(&r.at)),
                    ("actor", output::opt(&r.actor_login)),
                    ("actor id", r.actor.map(|a| a.to_string()).unwrap_or_default()),
                    ("session", r.session.map(|s| s.to_string()).unwrap_or_default()),
                    ("operation", r.operation.clone()),
                    ("target", output::opt(&r.target)),
                    ("outcome", output::word(&r.outcome)),
                    ("summary", r.summary.clone()),
                    ("previous hash", r.prev_hash.clone()),
                    ("hash", r.hash.clone()),
                ])
            })
        }
    }
}

fn table(records: &[AuditRecord]) -> String {
    let mut t = output::table(&["seq", "at", "actor", "operation", "target", "outcome", "summary"]);
    for r in records {
        t.add_row(vec![
            r.seq.to_string(),
            output::instant(&r.at),
            output::opt(&r.actor_login),
            r.operation.clone(),
            output::opt(&r.target),
            output::word(&r.outcome),
            r.summary.clone(),
        ]);
    }
    t.to_string()
}
