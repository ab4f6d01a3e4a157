//! `oa processes ...`: the core's approval processes (流程): definitions published from JSON
//! files (a DingTalk-style node tree, or the core's graph) or imported from BPMN, their
//! versions, and checking a file without publishing it.

use std::path::Path;

use oa::workflow::definition::{parse_process_json, Approvers, NewProcess, NodeKind, ProcessDefinition};
use oa::OaError;
use serde_json::Value;

use crate::cli::ProcessesCmd;
use crate::failure::{CliResult, Failure};
use crate::output::{self, Out};
use crate::session::Signed;

use super::forms::{parse_json, refused};
use super::read_file;

/// Runs `oa processes ...`.
pub(crate) fn run(signed: &Signed, cmd: &ProcessesCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        ProcessesCmd::Publish { file, graph: true } => {
            let input: NewProcess = parse_json(file, &read_file(file)?)?;
            show(signed, &office.publish_process(session, input)?, out)
        }
        ProcessesCmd::Publish { file, graph: false } => {
            let text = json_text(file)?;
            show(signed, &office.publish_process_json(session, &text)?, out)
        }
        ProcessesCmd::ImportBpmn { file, form, form_version } => {
            let xml = utf8(file, read_file(file)?)?;
            show(signed, &office.import_bpmn(session, &xml, form, *form_version)?, out)
        }
        ProcessesCmd::List => {
            let all = office.list_processes(session)?;
            out.emit(&all, || {
                let mut t = output::table(&["key", "version", "name", "category", "form", "nodes", "published", "by"]);
                for p in &all {
                    t.add_row(vec![
                        p.key.clone(),
                        p.version.to_string(),
                        p.name.clone(),
                        p.category.clone(),
                        format!("{} v{}", p.form_key, p.form_version),
                        p.graph.nodes.len().to_string(),
                        output::instant(&p.created_at),
                        signed.login_label(p.created_by),
                    ]);
                }
                t.to_string()
            })
        }
        ProcessesCmd::Show { key, version } => show(signed, &office.get_process(session, key, *version)?, out),
        ProcessesCmd::Versions { key } => {
            let versions = office.process_versions(session, key)?;
            out.emit(&versions, || {
                let mut t = output::table(&["version", "name", "form version", "nodes", "published", "by"]);
                for v in &versions {
                    t.add_row(vec![
                        v.version.to_string(),
                        v.name.clone(),
                        v.form_version.to_string(),
                        v.nodes.to_string(),
                        output::instant(&v.created_at),
                        signed.login_label(v.created_by),
                    ]);
                }
                t.to_string()
            })
        }
        ProcessesCmd::Validate { file, graph } => {
            let input: NewProcess =
                if *graph { parse_json(file, &read_file(file)?)? } else { parse_process_json(&json_text(file)?)? };
            let (key, nodes, form) = (input.key.clone(), input.definition.nodes.len(), input.form_key.clone());
            let problems = office.validate_process(session, input)?;
            if !problems.is_empty() {
                return Err(Failure::Oa(OaError::Validation(problems)));
            }
            out.emit(&problems, || format!("process `{key}` would publish: {nodes} nodes over form `{form}`"))
        }
    }
}

/// The text of the file `path`, refused when it is not UTF-8.
fn utf8(path: &Path, bytes: Vec<u8>) -> CliResult<String> {
    String::from_utf8(bytes).map_err(|_| refused(path, None, "is not UTF-8 text"))
}

/// The text of the JSON file `path`: what is not JSON is refused at its line and column before
/// the core reads the document.
fn json_text(path: &Path) -> CliResult<String> {
    let bytes = read_file(path)?;
    let _: Value = parse_json(path, &bytes)?;
    utf8(path, bytes)
}

/// A process: its description, then a table of its nodes.
fn show(signed: &Signed, p: &ProcessDefinition, out: Out) -> CliResult<()> {
    out.emit(p, || {
        let head = output::record(vec![
            ("key", p.key.clone()),
            ("version", p.version.to_string()),
            ("name", p.name.clone()),
            ("category", p.category.clone()),
            ("form", format!("{} v{}", p.form_key, p.form_version)),
            ("published", output::instant(&p.created_at)),
            ("by", signed.login_label(p.created_by)),
        ]);
        let mut t = output::table(&["node", "name", "type", "who", "then"]);
        for n in &p.graph.nodes {
            t.add_row(vec![
                n.id.clone(),
                n.name.clone(),
                n.kind.name().to_string(),
                who(signed, &n.kind),
                then(&n.kind),
            ]);
        }
        format!("{head}\n{t}")
    })
}

/// Who approves at a node, or who gets a copy (`dept_head, single`).
fn who(signed: &Signed, kind: &NodeKind) -> String {
    match kind {
        NodeKind::Approval(a) => {
            format!("{}; {}", approvers(signed, &a.settings.approvers), output::word(&a.settings.method))
        }
        NodeKind::Cc(c) => approvers(signed, &c.settings.recipients),
        _ => String::new(),
    }
}

/// A strategy of approvers as people read it (`role hr`, `people zhang, li`).
fn approvers(signed: &Signed, a: &Approvers) -> String {
    match a {
        Approvers::People { .. } => {
            let people: Vec<String> = a.person_ids().into_iter().map(|id| signed.login_label(id)).collect();
            format!("people {}", people.join(", "))
        }
        Approvers::Role { role, within_initiator_dept } => {
            format!("role {role}{}", if *within_initiator_dept { " in the initiator's department" } else { "" })
        }
        Approvers::DeptHeadAbove { levels } | Approvers::Superiors { levels } => format!("{} {levels}", a.name()),
        Approvers::FormField { field } => format!("form field {field}"),
        Approvers::DeptHead | Approvers::Initiator => a.name().to_string(),
    }
}

/// Where a node leads (`hr if days > 3; end by default`).
fn then(kind: &NodeKind) -> String {
    match kind {
        NodeKind::Exclusive { branches } => branches
            .iter()
            .map(|b| match (&b.condition, b.default) {
                (Some(c), _) => format!("{} if {c}", b.to),
                (None, true) => format!("{} by default", b.to),
                (None, false) => b.to.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.outgoing().into_iter().map(|(_, to)| to.to_string()).collect::<Vec<_>>().join(", "),
    }
}
