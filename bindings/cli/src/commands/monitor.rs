//! `oa monitor ...`: process monitoring (流程监控) as an administrator reads it: how many
//! running instances wait at each node of a process and for how long, which tasks are past
//! their deadline (超时), which instances nobody can move on (卡住), and how long each node
//! takes. Every list reads the core's monitoring indexes; nothing here changes the office.

use oa::workflow::runtime::{NodeCount, NodeTime, NodeWait, OverdueTask, StuckInstance};
use oa::PersonId;

use crate::cli::MonitorCmd;
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

use super::pages;
use super::tasks::node_label;

/// Runs `oa monitor ...`.
pub(crate) fn run(signed: &Signed, cmd: &MonitorCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        MonitorCmd::Nodes { process } => {
            let counts = office.node_counts(session, process)?;
            out.emit(&counts, || node_counts(&counts))
        }
        MonitorCmd::Waiting { process, node, page } => {
            let page = pages(page, |request| office.waiting_at_node(session, process, node, request))?;
            out.emit(&page, || waiting(signed, &page.items))?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
        MonitorCmd::Overdue { process, at, page } => {
            let page = pages(page, |request| office.overdue_tasks(session, process.as_deref(), *at, request))?;
            out.emit(&page, || overdue(signed, &page.items))?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
        MonitorCmd::Stuck { process, page } => {
            let page = pages(page, |request| office.stuck_instances(session, process.as_deref(), request))?;
            out.emit(&page, || stuck(signed, &page.items))?;
            out.more(page.next_cursor.as_deref());
            Ok(())
        }
        MonitorCmd::Times { process, from, to } => {
            let times = office.node_times(session, process, *from, *to)?;
            out.emit(&times, || node_times(&times))
        }
    }
}

/// People as their logins, comma-separated.
fn people(signed: &Signed, ids: &[PersonId]) -> String {
    ids.iter().map(|id| signed.login_label(*id)).collect::<Vec<_>>().join(", ")
}

fn node_counts(counts: &[NodeCount]) -> String {
    let mut t = output::table(&["node", "waiting", "oldest arrived"]);
    for c in counts {
        t.add_row(vec![c.node.clone(), c.waiting.to_string(), output::instant(&c.oldest_entered_at)]);
    }
    t.to_string()
}

fn waiting(signed: &Signed, list: &[NodeWait]) -> String {
    let mut t = output::table(&[
        "instance",
        "title",
        "version",
        "initiator",
        "arrived",
        "waited",
        "working time",
        "waiting for",
    ]);
    for w in list {
        t.add_row(vec![
            w.instance.to_string(),
            w.title.clone(),
            format!("v{}", w.process_version),
            signed.login_label(w.initiator),
            output::instant(&w.entered_at),
            output::span(w.waited_seconds),
            output::working(w.waited_working_minutes),
            people(signed, &w.assignees),
        ]);
    }
    t.to_string()
}

fn overdue(signed: &Signed, list: &[OverdueTask]) -> String {
    let mut t = output::table(&["task", "title", "process", "node", "assignee", "deadline", "overdue", "working time"]);
    for o in list {
        let task = &o.task;
        t.add_row(vec![
            task.id.to_string(),
            task.title.clone(),
            task.process_key.clone(),
            node_label(task),
            signed.login_label(task.assignee),
            task.deadline_at.as_ref().map(output::instant).unwrap_or_default(),
            output::span(o.overdue_seconds),
            output::working(o.overdue_working_minutes),
        ]);
    }
    t.to_string()
}

/// The stuck instances as a table. The last column lists the inactive people: those holding
/// the node's tasks, or for `inactive_in_queue` those waiting for their turn.
fn stuck(signed: &Signed, list: &[StuckInstance]) -> String {
    let mut t =
        output::table(&["instance", "title", "process", "initiator", "node", "arrived", "reason", "inactive people"]);
    for s in list {
        t.add_row(vec![
            s.instance.to_string(),
            s.title.clone(),
            format!("{} v{}", s.process_key, s.process_version),
            signed.login_label(s.initiator),
            s.node.clone(),
            output::instant(&s.entered_at),
            output::word(&s.reason),
            people(signed, &s.assignees),
        ]);
    }
    t.to_string()
}

fn node_times(times: &[NodeTime]) -> String {
    let mut t =
        output::table(&["node", "name", "completed", "average", "90th percentile", "average working", "90th working"]);
    for n in times {
        t.add_row(vec![
            n.node.clone(),
            n.node_name.clone(),
            n.completed.to_string(),
            output::span(n.avg_seconds),
            output::span(n.p90_seconds),
            output::working(n.avg_working_minutes),
            output::working(n.p90_working_minutes),
        ]);
    }
    t.to_string()
}
