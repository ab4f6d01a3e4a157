//! The demo's process monitoring (过程监控): where instances wait, for how long, and how long
//! each node took today, as an administrator sees it at the end of the morning.

use oa::workflow::runtime::StartProcess;
use oa::{Oa, OaError, PageRequest, Person, Session};

/// Leaves one request waiting, then prints the counts per node, the waiting list and the time
/// per node of both processes.
pub fn report(office: &Oa, admin: &Session, asker: &(Person, Session)) -> Result<(), OaError> {
    let start = StartProcess {
        process_key: "leave".into(),
        version: None,
        title: format!("{} asks for 1 day", asker.0.login),
        data: serde_json::json!({"days": "1", "reason": "看病 a doctor's appointment"}),
        business_key: None,
    };
    office.start_process(&asker.1, start)?;
    for count in office.node_counts(admin, "leave")? {
        println!(
            "  leave: {} waiting at `{}` since {}",
            count.waiting,
            count.node,
            count.oldest_entered_at.format("%H:%M:%S")
        );
        for w in office.waiting_at_node(admin, "leave", &count.node, PageRequest::first(5))?.items {
            println!(
                "    `{}` has waited {} s ({} working minutes)",
                w.title, w.waited_seconds, w.waited_working_minutes
            );
        }
    }
    let (from, to) =
        (chrono::Utc::now() - chrono::Duration::hours(1), chrono::Utc::now() + chrono::Duration::minutes(1));
    for process in ["outgoing_doc", "leave"] {
        for t in office.node_times(admin, process, from, to)? {
            println!(
                "  {process} `{}`: {} tasks done, average {} s, 90th percentile {} s",
                t.node_name, t.completed, t.avg_seconds, t.p90_seconds
            );
        }
    }
    let overdue = office.overdue_tasks(admin, None, None, PageRequest::first(10))?;
    let stuck = office.stuck_instances(admin, None, PageRequest::first(10))?;
    println!("  overdue tasks: {}, stuck instances: {}", overdue.items.len(), stuck.items.len());
    Ok(())
}
