//! `oa instances ...` and `oa tasks ...`: the core's workflow runtime (流程运行) as an
//! administrator uses it: an instance's timeline, monitoring, terminating, moving and migrating
//! instances, running deadlines, reassigning tasks; and, as the signed-in person, starting
//! instances, their lists (待办, 已办, 我发起的, 抄送) and their decisions on their own tasks.

use chrono::Utc;
use oa::workflow::runtime::{Instance, InstanceDetail, MigrationReport, StartProcess, Task, TaskQuery};
use oa::PersonId;
use serde_json::Value;

use crate::cli::{InstancesCmd, QueryArgs, TasksCmd};
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

use super::forms::parse_json;
use super::{pages, read_file};

/// Runs `oa instances ...`.
pub(crate) fn instances(signed: &Signed, cmd: &InstancesCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        InstancesCmd::Show { id } => show_detail(signed, &office.instance(session, *id)?, out),
        InstancesCmd::Of { business_key } => {
            let list = office.instances_of(session, business_key)?;
            out.emit(&list, || instance_table(signed, &list))
        }
        InstancesCmd::At { process, node, page } => {
            let page = pages(page, |request| office.instances_at_node(session, process, node, request))?;
            out.emit(&page, || instance_table(signed, &page.items))?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
        InstancesCmd::Comment { id, text } => {
            office.comment(session, *id, text)?;
            out.emit(&(), || format!("commented on instance {id}"))
        }
        InstancesCmd::Terminate { id, reason } => show_instance(signed, &office.terminate(session, *id, reason)?, out),
        InstancesCmd::Jump { id, node } => show_instance(signed, &office.jump(session, *id, node)?, out),
        InstancesCmd::ReassignTurn { id, from, to, reason } => {
            let (from, to) = (signed.person_id(from)?, signed.person_id(to)?);
            show_instance(signed, &office.reassign_turn(session, *id, from, to, reason)?, out)
        }
        InstancesCmd::Migrate { id, to_version } => {
            show_instance(signed, &office.migrate_instance(session, *id, *to_version)?, out)
        }
        InstancesCmd::MigrateAll { process, from_version, to_version } => {
            let report = office.migrate_instances(session, process, *from_version, *to_version)?;
            out.emit(&report, || migration_report(&report))
        }
    }
}

/// Runs `oa tasks ...`.
pub(crate) fn tasks(signed: &Signed, cmd: &TasksCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        TasksCmd::Start { process, values, title, version, business_key } => {
            let data: Value = parse_json(values, &read_file(values)?)?;
            let input = StartProcess {
                process_key: process.clone(),
                version: *version,
                title: title.clone(),
                data,
                business_key: business_key.clone(),
            };
            show_instance(signed, &office.start_process(session, input)?, out)
        }
        TasksCmd::Todo { query, initiator, page } => {
            let q = task_query(signed, query, initiator.as_deref())?;
            task_list(signed, pages(page, |request| office.todo(session, q.clone(), request))?, out)
        }
        TasksCmd::Done { query, initiator, page } => {
            let q = task_query(signed, query, initiator.as_deref())?;
            task_list(signed, pages(page, |request| office.done(session, q.clone(), request))?, out)
        }
        TasksCmd::Cc { query, initiator, unread, page } => {
            let q = task_query(signed, query, initiator.as_deref())?;
            task_list(signed, pages(page, |request| office.cc_to_me(session, q.clone(), *unread, request))?, out)
        }
        TasksCmd::Started { query, page } => {
            let q = task_query(signed, query, None)?;
            let page = pages(page, |request| office.started_by_me(session, q.clone(), request))?;
            out.emit(&page, || instance_table(signed, &page.items))?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
        TasksCmd::Badges => {
            let counts = office.badge_counts(session)?;
            out.emit(&counts, || {
                output::record(vec![("todo", counts.todo.to_string()), ("unread copies", counts.cc_unread.to_string())])
            })
        }
        TasksCmd::Approve { task, comment, edits } => {
            let edits: Option<Value> = match edits {
                Some(path) => Some(parse_json(path, &read_file(path)?)?),
                None => None,
            };
            show_instance(signed, &office.approve(session, *task, comment, edits)?, out)
        }
        TasksCmd::Reject { task, comment } => show_instance(signed, &office.reject(session, *task, comment)?, out),
        TasksCmd::Transfer { task, to, comment } => {
            let to = signed.person_id(to)?;
            let new = office.transfer(session, *task, to, comment)?;
            out.emit(&new, || task_record(signed, &new))
        }
        TasksCmd::Due { until } => {
            let up_to = until.unwrap_or_else(Utc::now);
            let report = office.process_due(session, up_to)?;
            out.emit(&report, || {
                let ids = |list: &[oa::workflow::runtime::TaskId]| {
                    let each: Vec<String> = list.iter().map(ToString::to_string).collect();
                    format!("{}{}{}", list.len(), if list.is_empty() { "" } else { ": " }, each.join(", "))
                };
                output::record(vec![
                    ("up to", output::instant(&up_to)),
                    ("reminded", ids(&report.reminded)),
                    ("escalated", ids(&report.escalated)),
                    ("approved automatically", ids(&report.auto_approved)),
                    ("rejected automatically", ids(&report.auto_rejected)),
                    ("already handled", report.skipped.to_string()),
                ])
            })
        }
        TasksCmd::Reassign { task, to, reason } => {
            let to = signed.person_id(to)?;
            let new = office.reassign_task(session, *task, to, reason)?;
            out.emit(&new, || task_record(signed, &new))
        }
    }
}

/// What a migration of many instances did: those moved, then those refused with why (each
/// failing node or field on its own line).
fn migration_report(report: &MigrationReport) -> String {
    let moved: Vec<String> = report.migrated.iter().map(ToString::to_string).collect();
    let mut text = format!("migrated: {}\n", report.migrated.len());
    for id in &moved {
        text.push_str(&format!("  {id}\n"));
    }
    text.push_str(&format!("refused: {}\n", report.refused.len()));
    if !report.refused.is_empty() {
        let mut t = output::table(&["instance", "code", "reason"]);
        for r in &report.refused {
            // A validation refusal's message repeats its fields; each field alone reads better.
            let why = if r.fields.is_empty() {
                r.reason.clone()
            } else {
                r.fields.iter().map(|f| format!("{}: {}", f.path, f.reason)).collect::<Vec<_>>().join("\n")
            };
            t.add_row(vec![r.instance.to_string(), r.code.clone(), why]);
        }
        text.push_str(&t.to_string());
    }
    text
}

/// The core's query from the command's filters.
fn task_query(signed: &Signed, q: &QueryArgs, initiator: Option<&str>) -> CliResult<TaskQuery> {
    let initiator: Option<PersonId> = initiator.map(|login| signed.person_id(login)).transpose()?;
    Ok(TaskQuery { process: q.process.clone(), from: q.from, to: q.to, initiator, text: q.search.clone() })
}

/// A page of tasks as a table, then where the next page starts.
fn task_list(signed: &Signed, page: oa::Page<Task>, out: Out) -> CliResult<()> {
    out.emit(&page, || {
        let mut t =
            output::table(&["task", "title", "process", "node", "kind", "status", "initiator", "created", "due"]);
        for task in &page.items {
            t.add_row(vec![
                task.id.to_string(),
                task.title.clone(),
                task.process_key.clone(),
                node_label(task),
                output::word(&task.kind),
                output::word(&task.status),
                signed.login_label(task.initiator),
                output::instant(&task.created_at),
                task.due_at.as_ref().map(output::instant).unwrap_or_default(),
            ]);
        }
        t.to_string()
    })?;
    out.more(page.next_cursor.as_deref());
    Ok(())
}

/// A task's node: its name with its id, or its id when it has no name.
pub(super) fn node_label(t: &Task) -> String {
    if t.node_name.is_empty() {
        t.node.clone()
    } else {
        format!("{} ({})", t.node_name, t.node)
    }
}

/// One task, as a record.
pub(super) fn task_record(signed: &Signed, t: &Task) -> String {
    output::record(vec![
        ("task", t.id.to_string()),
        ("instance", t.instance.to_string()),
        ("title", t.title.clone()),
        ("node", node_label(t)),
        ("assignee", signed.login_label(t.assignee)),
        ("kind", output::word(&t.kind)),
        ("status", output::word(&t.status)),
        ("created", output::instant(&t.created_at)),
        ("due", t.due_at.as_ref().map(output::instant).unwrap_or_default()),
        ("deadline", t.deadline_at.as_ref().map(output::instant).unwrap_or_default()),
        ("on behalf of", t.on_behalf_of.map(|p| signed.login_label(p)).unwrap_or_default()),
        ("delegated from", t.delegated_from.map(|id| id.to_string()).unwrap_or_default()),
    ])
}

/// Where an instance waits: its tokens' nodes.
fn waiting_at(i: &Instance) -> String {
    i.tokens.iter().map(|t| t.node.clone()).collect::<Vec<_>>().join(", ")
}

/// Instances as a table.
fn instance_table(signed: &Signed, list: &[Instance]) -> String {
    let mut t = output::table(&["instance", "title", "process", "initiator", "status", "waiting at", "started"]);
    for i in list {
        t.add_row(vec![
            i.id.to_string(),
            i.title.clone(),
            format!("{} v{}", i.process_key, i.process_version),
            signed.login_label(i.initiator),
            i.status.name().to_string(),
            waiting_at(i),
            i.started_at.as_ref().map(output::instant).unwrap_or_default(),
        ]);
    }
    t.to_string()
}

/// The rows describing an instance.
fn instance_rows(signed: &Signed, i: &Instance) -> Vec<(&'static str, String)> {
    vec![
        ("instance", i.id.to_string()),
        ("title", i.title.clone()),
        ("process", format!("{} v{} ({})", i.process_key, i.process_version, i.process_name)),
        ("form", format!("{} v{}", i.form_key, i.form_version)),
        ("status", i.status.name().to_string()),
        ("waiting at", waiting_at(i)),
        ("initiator", signed.login_label(i.initiator)),
        ("department", signed.dept_label(i.initiator_dept)),
        ("business key", output::opt(&i.business_key)),
        ("number", output::opt(&i.number)),
        ("created", output::instant(&i.created_at)),
        ("started", i.started_at.as_ref().map(output::instant).unwrap_or_default()),
        ("ended", i.ended_at.as_ref().map(output::instant).unwrap_or_default()),
        ("data", serde_json::to_string_pretty(&i.data).unwrap_or_default()),
    ]
}

/// One instance, as a record.
fn show_instance(signed: &Signed, i: &Instance, out: Out) -> CliResult<()> {
    out.emit(i, || output::record(instance_rows(signed, i)))
}

/// An instance with its tasks and its history (时间线).
fn show_detail(signed: &Signed, d: &InstanceDetail, out: Out) -> CliResult<()> {
    out.emit(d, || {
        let head = output::record(instance_rows(signed, &d.instance));
        let mut tasks =
            output::table(&["task", "node", "assignee", "on behalf of", "kind", "status", "acted", "comment"]);
        for t in &d.tasks {
            tasks.add_row(vec![
                t.id.to_string(),
                node_label(t),
                signed.login_label(t.assignee),
                t.on_behalf_of.map(|p| signed.login_label(p)).unwrap_or_default(),
                output::word(&t.kind),
                output::word(&t.status),
                t.acted_at.as_ref().map(output::instant).unwrap_or_default(),
                t.comment.clone(),
            ]);
        }
        let mut history = output::table(&["#", "at", "who", "action", "node", "comment", "detail"]);
        for h in &d.history {
            history.add_row(vec![
                h.seq.to_string(),
                output::instant(&h.at),
                h.actor.map(|p| signed.login_label(p)).unwrap_or_else(|| "(system)".into()),
                output::word(&h.action),
                h.node.clone().unwrap_or_default(),
                h.comment.clone(),
                h.detail.clone(),
            ]);
        }
        format!("{head}\ntasks\n{tasks}\nhistory\n{history}")
    })
}
