//! `oa numbering ...`: the core's document numbering (文号): rules, previews and numbers issued
//! by hand.

use oa::{NewNumberingRule, NumberingRule, NumberingRulePatch, SeqReset};
use serde::Serialize;

use crate::cli::{NumberingCmd, ResetArg};
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

/// The answer of `oa numbering preview` and `oa numbering issue`.
#[derive(Debug, Serialize)]
struct Number<'a> {
    rule: &'a str,
    number: String,
    /// Whether the number was issued (`false`: a preview, which another issue may take first).
    issued: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a str>,
}

fn reset(arg: ResetArg) -> SeqReset {
    match arg {
        ResetArg::Yearly => SeqReset::Yearly,
        ResetArg::Monthly => SeqReset::Monthly,
        ResetArg::Never => SeqReset::Never,
    }
}

/// Runs `oa numbering ...`.
pub(crate) fn run(signed: &Signed, cmd: &NumberingCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        NumberingCmd::List => {
            let rules = office.list_numbering_rules(session)?;
            out.emit(&rules, || {
                let mut t = output::table(&["key", "name", "pattern", "width", "reset", "updated"]);
                for r in &rules {
                    t.add_row(vec![
                        r.key.clone(),
                        r.name.clone(),
                        r.pattern.clone(),
                        r.seq_width.to_string(),
                        output::word(&r.reset),
                        output::instant(&r.updated_at),
                    ]);
                }
                t.to_string()
            })
        }
        NumberingCmd::Show { key } => show(&office.get_numbering_rule(session, key)?, out),
        NumberingCmd::Create { key, name, pattern, width, reset: every } => {
            let input = NewNumberingRule {
                key: key.clone(),
                name: name.clone(),
                pattern: pattern.clone(),
                seq_width: *width,
                reset: reset(*every),
            };
            show(&office.create_numbering_rule(session, input)?, out)
        }
        NumberingCmd::Update { key, name, pattern, width, reset: every } => {
            let patch = NumberingRulePatch {
                name: name.clone(),
                pattern: pattern.clone(),
                seq_width: *width,
                reset: every.map(reset),
            };
            show(&office.update_numbering_rule(session, key, patch)?, out)
        }
        NumberingCmd::Preview { key } => {
            let number = office.preview_next_number(session, key)?;
            let answer = Number { rule: key, number, issued: false, owner: None };
            out.emit(&answer, || answer.number.clone())
        }
        NumberingCmd::Issue { key, owner } => {
            let number = office.issue_number(session, key, owner.clone())?;
            let answer = Number { rule: key, number, issued: true, owner: Some(owner) };
            // The number alone, so that a script can take it: `N=$(oa numbering issue ...)`.
            out.emit(&answer, || answer.number.clone())
        }
        NumberingCmd::Issued { key, number } => {
            let n = office.get_issued_number(session, key, number)?;
            out.emit(&n, || {
                output::record(vec![
                    ("rule", n.rule.clone()),
                    ("number", n.number.clone()),
                    ("sequence", n.seq.to_string()),
                    ("period", n.period.clone()),
                    ("owner", n.owner.clone()),
                    ("issued", output::instant(&n.issued_at)),
                    ("by", n.issued_by.map(|p| signed.login_label(p)).unwrap_or_else(|| "a workflow".into())),
                ])
            })
        }
    }
}

/// One rule, every field.
fn show(r: &NumberingRule, out: Out) -> CliResult<()> {
    out.emit(r, || {
        output::record(vec![
            ("key", r.key.clone()),
            ("name", r.name.clone()),
            ("pattern", r.pattern.clone()),
            ("width", r.seq_width.to_string()),
            ("reset", output::word(&r.reset)),
            ("created", output::instant(&r.created_at)),
            ("updated", output::instant(&r.updated_at)),
        ])
    })
}
