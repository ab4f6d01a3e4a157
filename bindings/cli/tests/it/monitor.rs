//! An administrator's day over running processes, from the command line: a business-trip
//! process with a deadline published from a file, requests waiting at their nodes, deadlines
//! passing, an approver disabled and the instance stuck until its task is reassigned, a
//! corrected version 2 taking over the instances under way, a deputy standing in for a head
//! who is away, and a business type whose feed an application reads.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::support::{fails, id, json, text, Office};
use crate::workflow::{as_, file, items, leave_office, start, status, titles, PASSWORD};

/// The business-trip process over the leave form: the head of the initiator's department, who
/// is reminded a working day after the request reaches them, then HR. Version 2 (`corrected`)
/// drops HR and renames the head's node.
fn trip_process(corrected: bool) -> Value {
    let head = |next: Value| {
        let mut node = json!({
            "nodeId": "head", "type": "approval", "name": if corrected { "主管" } else { "部门负责人" },
            "props": {
                "approvers": {"strategy": "dept_head"}, "method": "single",
                "deadline": {"after": {"amount": 1, "unit": "days"}, "action": "remind"}
            }
        });
        if !next.is_null() {
            node["childNode"] = next;
        }
        node
    };
    let hr = json!({"nodeId": "hr", "type": "approval", "name": "人事",
                    "props": {"approvers": {"strategy": "role", "role": "hr"}, "method": "any"}});
    let first = if corrected { head(Value::Null) } else { head(hr) };
    json!({"key": "trip", "name": "出差审批", "formKey": "leave",
           "process": {"nodeId": "start", "type": "start", "childNode": first}})
}

/// The leave office with the trip process published from a file (version 1).
fn trip_office() -> Office {
    let office = leave_office();
    let path = file(&office, "trip.json", &trip_process(false));
    let published = json(office.admin().args(["processes", "publish"]).arg(path));
    assert_eq!((published["key"].as_str(), published["version"].as_u64()), (Some("trip"), Some(1)));
    office
}

/// `login` starts a trip request of `days` days with the extra arguments `more`.
fn trip(office: &Office, login: &str, title: &str, days: &str, more: &[&str]) -> Value {
    let data = file(office, &format!("{title}.json"), &json!({"days": days, "reason": "customer visit"}));
    json(as_(office, login).args(["tasks", "start", "trip"]).arg(data).args(["--title", title]).args(more))
}

/// The items of a page the administrator lists with `args`.
fn admin_items(office: &Office, args: &[&str]) -> Vec<Value> {
    json(office.admin().args(args))["items"].as_array().expect("a page").clone()
}

/// The id of a person, by login.
fn person(office: &Office, login: &str) -> String {
    id(&json(office.admin().args(["people", "show", login])))
}

/// The pending task of instance `instance` at node `node`.
fn pending_task(office: &Office, instance: &Value, node: &str) -> Value {
    let detail = json(office.admin().args(["instances", "show", &id(instance)]));
    detail["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .find(|t| t["node"] == node && t["status"] == "pending")
        .cloned()
        .unwrap_or_else(|| panic!("no pending task at {node}: {detail}"))
}

/// The actions of an instance's history, in order.
fn actions(office: &Office, instance: &Value) -> Vec<String> {
    json(office.admin().args(["instances", "show", &id(instance)]))["history"]
        .as_array()
        .expect("a history")
        .iter()
        .filter_map(|h| h["action"].as_str().map(String::from))
        .collect()
}

#[test]
fn requests_wait_at_their_nodes_pass_their_deadlines_get_stuck_and_are_reassigned() {
    let office = trip_office();
    let (zhang, wang) = (person(&office, "zhang"), person(&office, "wang"));
    let shanghai = trip(&office, "li", "li: Shanghai", "2", &[]);
    let beijing = trip(&office, "li", "li: Beijing", "1", &[]);

    // Morning: both requests wait for zhang at the head's node.
    let counts = json(office.admin().args(["monitor", "nodes", "trip"]));
    assert_eq!(counts.as_array().map(Vec::len), Some(1), "{counts}");
    assert_eq!((counts[0]["node"].as_str(), counts[0]["waiting"].as_u64()), (Some("head"), Some(2)));
    let waiting = json(office.admin().args(["monitor", "waiting", "trip", "head"]));
    let waiting = waiting["items"].as_array().expect("a page").clone();
    assert_eq!(
        waiting.iter().map(|w| w["instance"].clone()).collect::<Vec<_>>(),
        [&shanghai, &beijing].map(|i| i["id"].clone())
    );
    assert!(waiting.iter().all(|w| w["assignees"] == json!([zhang])), "{waiting:?}");
    let shown = text(office.admin().args(["monitor", "waiting", "trip", "head"]));
    for part in ["li: Shanghai", "li: Beijing", "zhang", "v1"] {
        assert!(shown.contains(part), "{part}: {shown}");
    }

    // Nothing is overdue yet; a working day on, both are, measured from their deadline.
    assert!(admin_items(&office, &["monitor", "overdue"]).is_empty());
    let due = admin_items(&office, &["monitor", "overdue", "--process", "trip", "--at", "2100-01-01"]);
    assert_eq!(due.len(), 2, "{due:?}");
    for o in &due {
        assert_eq!(o["task"]["assignee"].as_str(), Some(zhang.as_str()));
        assert!(o["task"]["deadline_at"].is_string(), "{o}");
        assert!(o["overdue_seconds"].as_u64() > Some(0), "{o}");
    }
    assert!(admin_items(&office, &["monitor", "overdue", "--process", "leave", "--at", "2100-01-01"]).is_empty());
    let shown = text(office.admin().args(["monitor", "overdue", "--at", "2100-01-01T00:00:00+08:00"]));
    assert!(shown.contains("部门负责人 (head)") && shown.contains("zhang"), "{shown}");

    // Zhang approves Shanghai: it goes on to HR, and the head's node has a time to measure.
    as_(&office, "zhang")
        .args(["tasks", "approve", &id(&pending_task(&office, &shanghai, "head")), "--comment", "go"])
        .assert()
        .success();
    let counts = json(office.admin().args(["monitor", "nodes", "trip"]));
    let by_node: Vec<(&str, u64)> = counts
        .as_array()
        .expect("counts")
        .iter()
        .map(|c| (c["node"].as_str().unwrap_or(""), c["waiting"].as_u64().unwrap_or(0)))
        .collect();
    assert_eq!(by_node, [("head", 1), ("hr", 1)]);
    let times = json(office.admin().args(["monitor", "times", "trip", "--from", "2000-01-01", "--to", "2100-01-01"]));
    assert_eq!(times.as_array().map(Vec::len), Some(1), "{times}");
    assert_eq!((times[0]["node"].as_str(), times[0]["completed"].as_u64()), (Some("head"), Some(1)));
    assert!(times[0]["p90_seconds"].as_u64() >= times[0]["avg_seconds"].as_u64(), "{times}");
    let shown = text(office.admin().args(["monitor", "times", "trip", "--from", "2000-01-01", "--to", "2100-01-01"]));
    assert!(shown.contains("90th percentile") && shown.contains("部门负责人"), "{shown}");

    // Wang, the only HR approver, is disabled: Shanghai is stuck at HR, waiting for him.
    assert!(admin_items(&office, &["monitor", "stuck"]).is_empty());
    office.admin().args(["people", "disable", "wang"]).assert().success();
    let stuck = admin_items(&office, &["monitor", "stuck", "--process", "trip"]);
    assert_eq!(stuck.len(), 1, "{stuck:?}");
    assert_eq!((&stuck[0]["instance"], stuck[0]["node"].as_str()), (&shanghai["id"], Some("hr")));
    assert_eq!((stuck[0]["reason"].as_str(), &stuck[0]["assignees"]), (Some("no_active_assignee"), &json!([wang])));
    let shown = text(office.admin().args(["monitor", "stuck"]));
    assert!(shown.contains("no_active_assignee") && shown.contains("wang") && shown.contains("trip v1"), "{shown}");

    // The administrator reassigns wang's task to zhang (by login; a person id works too).
    let hr_task = id(&pending_task(&office, &shanghai, "hr"));
    let refused = fails(office.admin().args(["tasks", "reassign", &hr_task, "zhang", "--reason", " "]), 3);
    assert!(refused.contains("error[validation]") && refused.contains("  reason: "), "{refused}");
    let refused = fails(office.admin().args(["tasks", "reassign", &hr_task, &wang, "--reason", "again"]), 3);
    assert!(refused.contains("  to: "), "{refused}");
    let denied = fails(as_(&office, "li").args(["tasks", "reassign", &hr_task, "zhang", "--reason", "mine"]), 4);
    assert!(denied.contains("error[permission_denied]"), "{denied}");
    let missing = fails(office.admin().args(["tasks", "reassign", &hr_task, "zhang"]), 2);
    assert!(missing.contains("--reason"), "{missing}");
    let new = json(office.admin().args(["tasks", "reassign", &hr_task, "zhang", "--reason", "wang is on sick leave"]));
    assert_eq!((new["assignee"].as_str(), new["node"].as_str()), (Some(zhang.as_str()), Some("hr")));
    assert_eq!((&new["instance"], new["status"].as_str()), (&shanghai["id"], Some("pending")));
    assert!(admin_items(&office, &["monitor", "stuck"]).is_empty());
    assert!(actions(&office, &shanghai).contains(&"reassigned".to_string()));
    let twice = fails(office.admin().args(["tasks", "reassign", &hr_task, "admin", "--reason", "again"]), 3);
    assert!(twice.contains("error[invalid_state]"), "{twice}");
    as_(&office, "zhang").args(["tasks", "approve", &id(&new)]).assert().success();
    let detail = json(as_(&office, "li").args(["instances", "show", &id(&shanghai)]));
    assert_eq!(status(&detail), "approved");

    // Bad input names what is wrong, with the exit code of its family.
    let err = fails(office.admin().args(["monitor", "overdue", "--at", "tomorrow"]), 2);
    assert!(err.contains("--at") && err.contains("tomorrow"), "{err}");
    let err = fails(office.admin().args(["monitor", "nodes", "nope"]), 4);
    assert!(err.contains("error[not_found]") && err.contains("nope"), "{err}");
    let err = fails(office.admin().args(["monitor", "times", "trip", "--from", "2100-01-01", "--to", "2000-01-01"]), 3);
    assert!(err.contains("error[validation]") && err.contains("  to: "), "{err}");
    fails(office.admin().args(["monitor", "times", "trip", "--from", "2000-01-01"]), 2);
    let denied = fails(as_(&office, "li").args(["monitor", "nodes", "trip"]), 4);
    assert!(denied.contains("error[permission_denied]"), "{denied}");
    office.admin().args(["audit", "verify"]).assert().success();
}

#[test]
fn a_corrected_version_takes_over_the_requests_that_fit_it() {
    let office = trip_office();
    let early = trip(&office, "li", "li: early", "1", &[]);
    let at_hr = trip(&office, "li", "li: at HR", "2", &[]);
    as_(&office, "zhang").args(["tasks", "approve", &id(&pending_task(&office, &at_hr, "head"))]).assert().success();

    // Version 2 drops HR: what waits at the head's node fits it, what waits at HR does not.
    let path = file(&office, "trip-v2.json", &trip_process(true));
    let v2 = json(office.admin().args(["processes", "publish"]).arg(path));
    assert_eq!(v2["version"], 2);
    let moved = json(office.admin().args(["instances", "migrate", &id(&early), "--to-version", "2"]));
    assert_eq!((moved["process_version"].as_u64(), moved["process_name"].as_str()), (Some(2), Some("出差审批")));
    assert!(actions(&office, &early).contains(&"migrated".to_string()));
    assert_eq!(pending_task(&office, &early, "head")["node_name"], "主管", "the open task follows the new node's name");
    let refused = fails(office.admin().args(["instances", "migrate", &id(&at_hr), "--to-version", "2"]), 3);
    assert!(refused.contains("error[validation]") && refused.contains("nodes[hr]"), "{refused}");

    // One more request started on version 1, then every version-1 request moved at once:
    // the one that fits moves, the one at HR is refused with why.
    let late = trip(&office, "li", "li: late", "1", &["--version", "1"]);
    assert_eq!(late["process_version"], 1);
    let report =
        json(office.admin().args(["instances", "migrate-all", "trip", "--from-version", "1", "--to-version", "2"]));
    assert_eq!(report["migrated"], json!([late["id"]]), "{report}");
    let refusals = report["refused"].as_array().expect("refusals");
    assert_eq!(refusals.len(), 1, "{report}");
    assert_eq!((&refusals[0]["instance"], refusals[0]["code"].as_str()), (&at_hr["id"], Some("validation")));
    assert_eq!(refusals[0]["fields"][0]["path"], "nodes[hr]");
    let again =
        text(office.admin().args(["instances", "migrate-all", "trip", "--from-version", "1", "--to-version", "2"]));
    for part in ["migrated: 0", "refused: 1", &id(&at_hr), "validation", "nodes[hr]"] {
        assert!(again.contains(part), "{part}: {again}");
    }
    let waiting = admin_items(&office, &["monitor", "waiting", "trip", "head"]);
    assert!(waiting.iter().all(|w| w["process_version"] == 2), "{waiting:?}");

    // The moved request finishes on version 2: the head's approval ends it.
    as_(&office, "zhang").args(["tasks", "approve", &id(&pending_task(&office, &early, "head"))]).assert().success();
    assert_eq!(status(&json(as_(&office, "li").args(["instances", "show", &id(&early)]))), "approved");

    // Bad input.
    let err =
        fails(office.admin().args(["instances", "migrate-all", "trip", "--from-version", "2", "--to-version", "2"]), 3);
    assert!(err.contains("  to_version: "), "{err}");
    let err = fails(office.admin().args(["instances", "migrate", &id(&at_hr), "--to-version", "9"]), 3);
    assert!(
        err.contains("error[validation]") && err.contains("  to_version: ") && err.contains("no version 9"),
        "{err}"
    );
    let err = fails(office.admin().args(["instances", "migrate", &id(&early), "--to-version", "1"]), 3);
    assert!(err.contains("error[invalid_state]"), "{err}");
    let err = fails(office.admin().args(["instances", "migrate", &id(&late), "--to-version", "two"]), 2);
    assert!(err.contains("--to-version"), "{err}");
    let denied = fails(as_(&office, "li").args(["instances", "migrate", &id(&at_hr), "--to-version", "1"]), 4);
    assert!(denied.contains("error[permission_denied]"), "{denied}");
}

#[test]
fn a_deputy_approves_while_the_head_is_away() {
    let office = leave_office();
    let (zhang, wang) = (person(&office, "zhang"), person(&office, "wang"));
    // Days in the office's time zone (+08:00 by default): away from yesterday to tomorrow.
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let day = |d: i64| (today + Duration::days(d)).to_string();

    // Bad input first: every failing field is named, nothing is written.
    let add = |args: &[&str]| {
        let mut cmd = office.admin();
        cmd.args(["delegations", "add"]).args(args);
        cmd
    };
    let err = fails(&mut add(&["--owner", "zhang", "--to", "wang", "--from", &day(2), "--until", &day(1)]), 3);
    assert!(err.contains("error[validation]") && err.contains("  last_day: "), "{err}");
    let err = fails(
        &mut add(&["--owner", "zhang", "--to", "zhang", "--from", &day(0), "--until", &day(1), "--process", "nope"]),
        3,
    );
    assert!(err.contains("(2 fields)") && err.contains("  delegate: ") && err.contains("  process_key: "), "{err}");
    let err = fails(&mut add(&["--owner", "zhang", "--to", "wang", "--from", "next week", "--until", &day(1)]), 2);
    assert!(err.contains("--from") && err.contains("next week"), "{err}");
    let err = fails(&mut add(&["--owner", "zhang", "--to", "nobody", "--from", &day(0), "--until", &day(1)]), 4);
    assert!(err.contains("error[not_found]") && err.contains("nobody"), "{err}");
    let denied = fails(
        as_(&office, "li").args([
            "delegations",
            "add",
            "--owner",
            "zhang",
            "--to",
            "li",
            "--from",
            &day(0),
            "--until",
            &day(1),
        ]),
        4,
    );
    assert!(denied.contains("error[permission_denied]"), "{denied}");
    assert!(admin_items(&office, &["delegations", "list"]).is_empty());

    // Zhang is away on a trip: the administrator sends his leave approvals to wang (named by id).
    let d = json(&mut add(&[
        "--owner",
        "zhang",
        "--to",
        &wang,
        "--from",
        &day(-1),
        "--until",
        &day(1),
        "--process",
        "leave",
        "--reason",
        "出差",
    ]));
    assert_eq!((d["owner"].as_str(), d["delegate"].as_str()), (Some(zhang.as_str()), Some(wang.as_str())));
    assert_eq!(
        (d["first_day"].as_str(), d["last_day"].as_str(), d["process_key"].as_str()),
        (Some(day(-1).as_str()), Some(day(1).as_str()), Some("leave"))
    );
    let listed = text(office.admin().args(["delegations", "list"]));
    for part in ["zhang", "wang", "leave", "running", "出差"] {
        assert!(listed.contains(part), "{part}: {listed}");
    }
    let overlap = fails(
        &mut add(&["--owner", "zhang", "--to", "wang", "--from", &day(0), "--until", &day(0), "--process", "leave"]),
        3,
    );
    assert!(overlap.contains("  first_day: "), "{overlap}");

    // Li's request goes to wang, on zhang's behalf; wang approves it.
    let request = start(&office, "li", "li: 1 day", "1");
    assert!(items(&office, "zhang", &["tasks", "todo"]).is_empty());
    let todo = items(&office, "wang", &["tasks", "todo"]);
    assert_eq!(titles(&todo), ["li: 1 day"]);
    assert_eq!(todo[0]["on_behalf_of"].as_str(), Some(zhang.as_str()));
    let shown = text(office.admin().args(["instances", "show", &id(&request)]));
    assert!(shown.contains("on behalf of") && shown.contains("zhang"), "{shown}");
    as_(&office, "wang").args(["tasks", "approve", &id(&todo[0]), "--comment", "for zhang"]).assert().success();
    assert_eq!(status(&json(as_(&office, "li").args(["instances", "show", &id(&request)]))), "approved");

    // Zhang comes back early: cancelled, the next request is his again.
    let cancelled = json(office.admin().args(["delegations", "cancel", &id(&d)]));
    assert!(cancelled["cancelled_at"].is_string(), "{cancelled}");
    assert!(text(office.admin().args(["delegations", "list"])).contains("cancelled"));
    let again = fails(office.admin().args(["delegations", "cancel", &id(&d)]), 3);
    assert!(again.contains("error[invalid_state]"), "{again}");
    fails(office.admin().args(["delegations", "cancel", "not-an-id"]), 2);
    start(&office, "li", "li: 2 days", "2");
    assert_eq!(titles(&items(&office, "zhang", &["tasks", "todo"])), ["li: 2 days"]);
    assert!(items(&office, "wang", &["tasks", "todo"]).is_empty());
}

#[test]
fn a_business_type_feeds_the_endings_of_its_requests() {
    let office = leave_office();
    let err = fails(office.admin().args(["business-types", "declare", "bad prefix!"]), 3);
    assert!(err.contains("error[validation]") && err.contains("  prefix: "), "{err}");
    let denied = fails(as_(&office, "li").args(["business-types", "declare", "purchase"]), 4);
    assert!(denied.contains("error[permission_denied]"), "{denied}");
    let declared = json(office.admin().args(["business-types", "declare", "purchase", "--description", "采购单"]));
    assert_eq!((declared["prefix"].as_str(), declared["last_seq"].as_u64()), (Some("purchase"), Some(0)));

    // Two purchase requests: one approved, one terminated; an unknown type is refused.
    let start_for = |key: &str, title: &str| {
        let data = file(&office, &format!("{title}.json"), &json!({"days": "1", "reason": "purchase"}));
        json(as_(&office, "li").args(["tasks", "start", "leave"]).arg(data).args([
            "--title",
            title,
            "--business-key",
            key,
        ]))
    };
    let first = start_for("purchase:PO-1", "PO-1");
    let task = id(&items(&office, "zhang", &["tasks", "todo"])[0]);
    as_(&office, "zhang").args(["tasks", "approve", &task]).assert().success();
    let second = start_for("purchase:PO-2", "PO-2");
    office.admin().args(["instances", "terminate", &id(&second), "--reason", "ordered elsewhere"]).assert().success();
    let data = file(&office, "x.json", &json!({"days": "1", "reason": "x"}));
    let err = fails(
        as_(&office, "li").args(["tasks", "start", "leave"]).arg(data).args([
            "--title",
            "x",
            "--business-key",
            "invoice:1",
        ]),
        3,
    );
    assert!(err.contains("  business_key: "), "{err}");

    // The application reads the feed from the start, then after the last number it handled.
    let events = json(office.admin().args(["business-types", "events", "purchase"]));
    let seen: Vec<(u64, &str, &str)> = events
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["seq"].as_u64().unwrap_or(0),
                e["business_key"].as_str().unwrap_or(""),
                e["outcome"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(seen, [(1, "purchase:PO-1", "approved"), (2, "purchase:PO-2", "terminated")]);
    assert_eq!((&events[0]["instance"], &events[1]["instance"]), (&first["id"], &second["id"]));
    let after = json(office.admin().args(["business-types", "events", "purchase", "--after", "1"]));
    assert_eq!(after.as_array().map(|l| l.iter().map(|e| e["seq"].clone()).collect::<Vec<_>>()), Some(vec![json!(2)]));
    assert_eq!(json(office.admin().args(["business-types", "events", "purchase", "--after", "2"])), json!([]));
    let out = office.admin().args(["business-types", "events", "purchase"]).output().expect("the binary runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("purchase:PO-1") && stdout.contains("terminated"), "{stdout}");
    assert!(stderr.contains("next: --after 2"), "{stderr}");
    let types = json(office.admin().args(["business-types", "list"]));
    assert_eq!((types[0]["prefix"].as_str(), types[0]["last_seq"].as_u64()), (Some("purchase"), Some(2)), "{types}");
    assert!(text(office.admin().args(["business-types", "list"])).contains("采购单"));

    let err = fails(office.admin().args(["business-types", "events", "purchase", "--limit", "5000"]), 3);
    assert!(err.contains("  limit: "), "{err}");
    let err = fails(office.admin().args(["business-types", "events", "purchase", "--after", "last"]), 2);
    assert!(err.contains("--after") && err.contains("last"), "{err}");
}

#[test]
fn an_approver_who_leaves_before_their_turn_is_replaced_in_the_queue() {
    let office = leave_office();
    office.admin().args(["people", "add", "chen", "Chen", "--dept", "HR"]).assert().success();
    office.give_password("chen", PASSWORD);
    let (zhang, wang, chen) = (person(&office, "zhang"), person(&office, "wang"), person(&office, "chen"));
    // Zhang, then chen, then wang, one after another (依次).
    let review = json!({"key": "review", "name": "三级审核", "formKey": "leave",
        "process": {"nodeId": "start", "type": "start",
            "childNode": {"nodeId": "review", "type": "approval", "name": "审核",
                "props": {"approvers": {"strategy": "people", "people": [zhang, chen, wang]}, "method": "in_turn"}}}});
    office.admin().args(["processes", "publish"]).arg(file(&office, "review.json", &review)).assert().success();
    let data = file(&office, "review-data.json", &json!({"days": "1", "reason": "customer visit"}));
    let request = json(as_(&office, "li").args(["tasks", "start", "review"]).arg(data).args(["--title", "li: review"]));
    assert_eq!(request["tokens"][0]["in_turn"], json!([chen, wang]), "{request}");
    office.admin().args(["people", "disable", "chen"]).assert().success();
    // The monitor lists it: it still moves, but will stop at chen's turn.
    let stuck = admin_items(&office, &["monitor", "stuck", "--process", "review"]);
    assert_eq!(stuck.len(), 1, "{stuck:?}");
    assert_eq!((stuck[0]["reason"].as_str(), &stuck[0]["assignees"]), (Some("inactive_in_queue"), &json!([chen])));

    // Zhang holds a task (tasks reassign moves that); wang waits already; li may not.
    let inst = id(&request);
    let turn = |signed: assert_cmd::Command, args: &[&str]| {
        let mut cmd = signed;
        cmd.args(["instances", "reassign-turn", &inst]).args(args);
        cmd
    };
    let refused = fails(&mut turn(office.admin(), &["zhang", "li", "--reason", "zhang holds a task"]), 3);
    assert!(refused.contains("error[validation]") && refused.contains("  from: "), "{refused}");
    let refused = fails(&mut turn(office.admin(), &["chen", "wang", "--reason", "wang waits already"]), 3);
    assert!(refused.contains("  to: "), "{refused}");
    let denied = fails(&mut turn(as_(&office, "li"), &["chen", "li", "--reason", "mine"]), 4);
    assert!(denied.contains("error[permission_denied]"), "{denied}");

    // Li takes chen's place; the turns go zhang, li, wang.
    let moved = json(&mut turn(office.admin(), &["chen", "li", "--reason", "chen left the company"]));
    assert_eq!(moved["tokens"][0]["in_turn"], json!([person(&office, "li"), wang]), "{moved}");
    assert_eq!(actions(&office, &request).last().map(String::as_str), Some("reassigned"));
    assert!(admin_items(&office, &["monitor", "stuck"]).is_empty());
    for login in ["zhang", "li", "wang"] {
        let task = id(&pending_task(&office, &request, "review"));
        as_(&office, login).args(["tasks", "approve", &task]).assert().success();
    }
    assert_eq!(status(&json(office.admin().args(["instances", "show", &inst]))), "approved");
    let late = fails(&mut turn(office.admin(), &["wang", "li", "--reason", "too late"]), 3);
    assert!(late.contains("error[invalid_state]"), "{late}");
}
