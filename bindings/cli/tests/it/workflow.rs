//! Approval workflows (审批流程): a leave form and its process published from files, people
//! starting requests and acting on their tasks, and the administrator's timeline, monitoring,
//! deadlines, terminating and moving instances.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::support::{fails, id, json, text, Office};

pub(crate) const PASSWORD: &str = "a long passphrase 1";

/// Writes `value` as the JSON file `name` beside the office.
pub(crate) fn file(office: &Office, name: &str, value: &Value) -> PathBuf {
    office.file(name, serde_json::to_vec_pretty(value).expect("JSON"))
}

/// The leave process as a DingTalk-style node tree: the head of the initiator's department,
/// then HR for more than three days.
fn leave_process() -> Value {
    json!({
        "key": "leave", "name": "请假审批", "formKey": "leave",
        "process": {
            "nodeId": "start", "type": "start",
            "childNode": {
                "nodeId": "head", "type": "approval", "name": "部门负责人",
                "props": {"approvers": {"strategy": "dept_head"}, "method": "single"},
                "childNode": {
                    "nodeId": "length", "type": "route",
                    "conditionNodes": [
                        {"nodeId": "long", "condition": "days > 3",
                         "childNode": {"nodeId": "hr", "type": "approval", "name": "人事",
                                       "props": {"approvers": {"strategy": "role", "role": "hr"}, "method": "any"}}},
                        {"nodeId": "short", "default": true}
                    ]
                }
            }
        }
    })
}

/// An office with Sales (head zhang, li reporting to him) and HR (wang, holding the role
/// `hr`); li may start processes; the leave form and process are published.
pub(crate) fn leave_office() -> Office {
    let office = Office::init();
    let ok = |args: &[&str]| {
        office.admin().args(args).assert().success();
    };
    ok(&["dept", "add", "Sales", "--code", "SALES"]);
    ok(&["dept", "add", "HR", "--code", "HR"]);
    ok(&["people", "add", "zhang", "Zhang", "--dept", "SALES"]);
    ok(&["people", "add", "li", "Li", "--dept", "SALES", "--superior", "zhang"]);
    ok(&["people", "add", "wang", "Wang", "--dept", "HR"]);
    ok(&["dept", "head", "SALES", "zhang"]);
    ok(&[
        "roles",
        "create",
        "staff",
        "--name",
        "Staff",
        "--permission",
        "workflow.instance.start",
        "--scope",
        "self_only",
    ]);
    ok(&["roles", "create", "hr", "--name", "HR", "--scope", "all"]);
    ok(&["grants", "add", "li", "staff"]);
    ok(&["grants", "add", "wang", "hr"]);
    for login in ["zhang", "li", "wang"] {
        office.give_password(login, PASSWORD);
    }
    let form = json!({
        "key": "leave", "name": "请假 Leave",
        "fields": [
            {"key": "days", "label": "天数", "type": "number", "required": true, "min": "0.5", "max": "30"},
            {"key": "reason", "label": "事由", "type": "long_text", "required": true}
        ]
    });
    let form = file(&office, "leave-form.json", &form);
    office.admin().args(["forms", "define"]).arg(form).assert().success();
    let process = file(&office, "leave-process.json", &leave_process());
    office.admin().args(["processes", "publish"]).arg(process).assert().success();
    office
}

pub(crate) fn as_(office: &Office, login: &str) -> assert_cmd::Command {
    office.signed(login, PASSWORD)
}

/// `login` starts a leave request of `days` days and gets the instance.
pub(crate) fn start(office: &Office, login: &str, title: &str, days: &str) -> Value {
    let data = file(office, &format!("{title}.json"), &json!({"days": days, "reason": "family"}));
    json(as_(office, login).args(["tasks", "start", "leave"]).arg(data).args(["--title", title]))
}

/// The items of a page `login` lists with `args`.
pub(crate) fn items(office: &Office, login: &str, args: &[&str]) -> Vec<Value> {
    json(as_(office, login).args(args))["items"].as_array().expect("a page").clone()
}

pub(crate) fn titles(list: &[Value]) -> Vec<&str> {
    list.iter().filter_map(|t| t["title"].as_str()).collect()
}

pub(crate) fn status(detail: &Value) -> &str {
    detail["instance"]["status"].as_str().expect("a status")
}

#[test]
fn leave_requests_walk_the_path_their_data_chooses() {
    let office = leave_office();
    // The process as published: one version, shown with its nodes; publishing again changes
    // nothing.
    let process = office.path("leave-process.json");
    let again = json(office.admin().args(["processes", "publish"]).arg(&process));
    assert_eq!((again["key"].as_str(), again["version"].as_u64()), (Some("leave"), Some(1)));
    let listed = json(office.admin().args(["processes", "list"]));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let shown = text(office.admin().args(["processes", "show", "leave"]));
    for part in ["请假审批", "leave v1", "部门负责人", "dept_head; single", "role hr; any", "hr if days > 3"] {
        assert!(shown.contains(part), "{part}: {shown}");
    }
    assert_eq!(json(office.admin().args(["processes", "show", "leave", "--version", "1"])), again);
    let versions = json(office.admin().args(["processes", "versions", "leave"]));
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions.as_array().map(Vec::len), Some(1));

    // Two requests; the head's todo list shows both.
    let short = start(&office, "li", "li: 2 days", "2");
    let long = start(&office, "li", "li: 5 days", "5");
    assert_eq!(short["status"], "running");
    let todo = items(&office, "zhang", &["tasks", "todo"]);
    assert_eq!(titles(&todo), ["li: 5 days", "li: 2 days"]);
    assert_eq!(json(as_(&office, "zhang").args(["tasks", "badges"]))["todo"], 2);
    let listed = text(as_(&office, "zhang").args(["tasks", "todo"]));
    assert!(listed.contains("部门负责人 (head)") && listed.contains("li: 5 days"), "{listed}");
    assert_eq!(titles(&items(&office, "zhang", &["tasks", "todo", "--search", "5 DAYS"])), ["li: 5 days"]);
    for task in &todo {
        let after = json(as_(&office, "zhang").args(["tasks", "approve", &id(task), "--comment", "ok"]));
        assert_eq!(after["id"], task["instance"]);
    }

    // The short one is done; the long one went to HR.
    let detail = |who: &str, inst: &Value| json(as_(&office, who).args(["instances", "show", &id(inst)]));
    assert_eq!(status(&detail("li", &short)), "approved");
    assert_eq!(status(&detail("li", &long)), "running");
    let hr = items(&office, "wang", &["tasks", "todo"]);
    assert_eq!(titles(&hr), ["li: 5 days"]);
    let hr_task = id(&hr[0]);
    // Someone who is not the assignee may not act; the assignee may, once.
    let denied = fails(as_(&office, "zhang").args(["tasks", "approve", &hr_task]), 4);
    assert!(denied.contains("error[permission_denied]"), "{denied}");
    as_(&office, "wang").args(["tasks", "approve", &hr_task, "--comment", "approved"]).assert().success();
    let twice = fails(as_(&office, "wang").args(["tasks", "approve", &hr_task]), 3);
    assert!(twice.contains("error[invalid_state]"), "{twice}");
    assert_eq!(status(&detail("li", &long)), "approved");
    assert!(items(&office, "wang", &["tasks", "todo"]).is_empty());
    assert_eq!(items(&office, "zhang", &["tasks", "done"]).len(), 2);
    assert_eq!(items(&office, "li", &["tasks", "started"]).len(), 2);
    assert_eq!(json(as_(&office, "zhang").args(["tasks", "badges"]))["todo"], 0);
    assert!(items(&office, "li", &["tasks", "cc", "--unread"]).is_empty());

    // The timeline: every task and every step, readable or as the core's record.
    let timeline = detail("li", &long);
    assert_eq!(timeline["tasks"].as_array().map(Vec::len), Some(2));
    let actions: Vec<&str> =
        timeline["history"].as_array().expect("a history").iter().filter_map(|h| h["action"].as_str()).collect();
    assert!(
        actions.contains(&"submitted") && actions.contains(&"approved") && actions.contains(&"ended"),
        "{actions:?}"
    );
    let shown = text(office.admin().args(["instances", "show", &id(&long)]));
    for part in ["li: 5 days", "approved", "history", "submitted", "wang", "人事 (hr)"] {
        assert!(shown.contains(part), "{part}: {shown}");
    }

    // Bad data is refused whole, naming the field; someone without the right cannot start.
    let bad = file(&office, "bad.json", &json!({"days": "45", "reason": "too long"}));
    let refused = fails(as_(&office, "li").args(["tasks", "start", "leave"]).arg(&bad).args(["--title", "bad"]), 3);
    assert!(refused.contains("error[validation]") && refused.contains("data.days"), "{refused}");
    let denied = fails(as_(&office, "wang").args(["tasks", "start", "leave"]).arg(&bad).args(["--title", "w"]), 4);
    assert!(denied.contains("error[permission_denied]"), "{denied}");
    office.admin().args(["audit", "verify"]).assert().success();
}

#[test]
fn an_administrator_rejects_hands_on_monitors_moves_and_terminates() {
    let office = leave_office();
    // A rejection ends the request.
    let a = start(&office, "li", "li: 1 day", "1");
    let task = id(&items(&office, "zhang", &["tasks", "todo"])[0]);
    let rejected = json(as_(&office, "zhang").args(["tasks", "reject", &task, "--comment", "busy week"]));
    assert_eq!((rejected["id"].clone(), rejected["status"].as_str()), (a["id"].clone(), Some("rejected")));

    // A handed-on task: the new task is wang's. zhang may not read people, so he names wang by
    // id.
    let b = start(&office, "li", "li: 4 days", "4");
    let task = id(&items(&office, "zhang", &["tasks", "todo"])[0]);
    let wang = id(&json(office.admin().args(["people", "show", "wang"])));
    let handed = json(as_(&office, "zhang").args(["tasks", "transfer", &task, &wang, "--comment", "on leave myself"]));
    assert_eq!(handed["assignee"].as_str(), Some(wang.as_str()));
    assert_eq!(handed["instance"], b["id"]);
    assert_eq!(handed["status"], "pending");
    assert_eq!(titles(&items(&office, "wang", &["tasks", "todo"])), ["li: 4 days"]);
    assert!(items(&office, "zhang", &["tasks", "todo"]).is_empty());

    // Monitoring: b waits at `head`; nothing is linked to a business key.
    let waiting = json(office.admin().args(["instances", "at", "leave", "head"]));
    assert_eq!(waiting["items"].as_array().map(|l| l.iter().map(id).collect::<Vec<_>>()), Some(vec![id(&b)]));
    assert!(text(office.admin().args(["instances", "at", "leave", "head"])).contains("li: 4 days"));
    assert_eq!(json(office.admin().args(["instances", "of", "contract:01J0000000000000000000000"])), json!([]));

    // The administrator comments, moves it to HR, then stops it.
    office.admin().args(["instances", "comment", &id(&b), "checked with HR"]).assert().success();
    let moved = json(office.admin().args(["instances", "jump", &id(&b), "hr"]));
    assert_eq!(moved["tokens"][0]["node"], "hr");
    let stopped = json(office.admin().args(["instances", "terminate", &id(&b), "--reason", "entered twice"]));
    assert_eq!(stopped["status"], "terminated");
    let actions: Vec<String> = json(office.admin().args(["instances", "show", &id(&b)]))["history"]
        .as_array()
        .expect("a history")
        .iter()
        .filter_map(|h| h["action"].as_str().map(String::from))
        .collect();
    for action in ["transferred", "commented", "jumped", "terminated"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
    let again = fails(office.admin().args(["instances", "terminate", &id(&b), "--reason", "again"]), 3);
    assert!(again.contains("error[invalid_state]"), "{again}");
    // Only an administrator of instances terminates.
    let denied = fails(as_(&office, "li").args(["instances", "terminate", &id(&a), "--reason", "x"]), 4);
    assert!(denied.contains("error[permission_denied]"), "{denied}");
    let bad_id = fails(office.admin().args(["instances", "show", "nope"]), 2);
    assert!(bad_id.contains("nope"), "{bad_id}");
}

#[test]
fn deadlines_run_from_the_command_line() {
    let office = leave_office();
    // A process in the core's graph: the head approves, or the system after two working hours.
    let graph = json!({
        "key": "leave_quick", "name": "快速请假", "form_key": "leave",
        "definition": {"nodes": [
            {"id": "start", "type": "start", "next": "head"},
            {"id": "head", "type": "approval", "name": "部门负责人", "next": "end",
             "approvers": {"strategy": "dept_head"}, "method": "single",
             "deadline": {"after": {"amount": 2, "unit": "hours"}, "action": "auto_approve"}},
            {"id": "end", "type": "end"}
        ]}
    });
    let path = file(&office, "quick.json", &graph);
    let checked = text(office.admin().args(["processes", "validate", "--graph"]).arg(&path));
    assert!(checked.contains("would publish"), "{checked}");
    let published = json(office.admin().args(["processes", "publish", "--graph"]).arg(&path));
    assert_eq!(published["key"], "leave_quick");
    let data = file(&office, "quick-data.json", &json!({"days": "1", "reason": "dentist"}));
    let started = json(as_(&office, "li").args(["tasks", "start", "leave_quick"]).arg(&data).args(["--title", "q"]));

    // Nothing is due now; long after, the task is approved for its assignee, once.
    let now = json(office.admin().args(["tasks", "due"]));
    assert_eq!(now["auto_approved"], json!([]));
    let later = json(office.admin().args(["tasks", "due", "--until", "2100-01-01T00:00:00Z"]));
    assert_eq!(later["auto_approved"].as_array().map(Vec::len), Some(1), "{later}");
    let detail = json(as_(&office, "li").args(["instances", "show", &id(&started)]));
    assert_eq!(status(&detail), "approved");
    let report = text(office.admin().args(["tasks", "due", "--until", "2100-01-01"]));
    assert!(report.contains("approved automatically") && report.contains("already handled"), "{report}");
    fails(as_(&office, "li").args(["tasks", "due"]), 4);
}

#[test]
fn processes_are_checked_and_imported_from_bpmn() {
    let office = leave_office();
    // A check names every problem by its path, and publishes nothing.
    let mut broken = leave_process();
    broken["key"] = json!("leave_broken");
    broken["process"]["childNode"]["childNode"]["conditionNodes"][0]["childNode"]["props"]["approvers"]["role"] =
        json!("ghost");
    let path = file(&office, "broken.json", &broken);
    let refused = fails(office.admin().args(["processes", "validate"]).arg(&path), 3);
    assert!(refused.contains("error[validation]") && refused.contains("ghost"), "{refused}");
    assert_eq!(json(office.admin().args(["processes", "validate"]).arg(office.path("leave-process.json"))), json!([]));
    fails(office.admin().args(["processes", "publish"]).arg(&path), 3);
    let not_json = office.file("not.json", "{\"key\": ");
    let refused = fails(office.admin().args(["processes", "publish"]).arg(&not_json), 3);
    assert!(refused.contains("not.json:1:"), "{refused}");
    fails(office.admin().args(["processes", "show", "leave_broken"]), 4);

    // start → one user task for zhang → end.
    let bpmn = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:flowable="http://flowable.org/bpmn"
             targetNamespace="http://www.flowable.org/processdef">
  <process id="tiny" name="Tiny leave">
    <startEvent id="s"/>
    <sequenceFlow id="f1" sourceRef="s" targetRef="ok"/>
    <userTask id="ok" name="Zhang says yes" flowable:assignee="zhang"/>
    <sequenceFlow id="f2" sourceRef="ok" targetRef="e"/>
    <endEvent id="e"/>
  </process>
</definitions>"#;
    let path = office.file("tiny.bpmn", bpmn);
    let imported = json(office.admin().args(["processes", "import-bpmn"]).arg(&path).args([
        "--form",
        "leave",
        "--form-version",
        "1",
    ]));
    assert_eq!(
        (imported["key"].as_str(), imported["name"].as_str(), imported["form_version"].as_u64()),
        (Some("tiny"), Some("Tiny leave"), Some(1))
    );
    let shown = text(office.admin().args(["processes", "show", "tiny"]));
    assert!(shown.contains("people zhang") && shown.contains("Zhang says yes"), "{shown}");
    let data = file(&office, "tiny-data.json", &json!({"days": "1", "reason": "x"}));
    as_(&office, "li").args(["tasks", "start", "tiny"]).arg(&data).args(["--title", "tiny one"]).assert().success();
    assert_eq!(titles(&items(&office, "zhang", &["tasks", "todo", "--process", "tiny"])), ["tiny one"]);
    let missing_form = fails(office.admin().args(["processes", "import-bpmn"]).arg(&path).args(["--form", "nope"]), 3);
    assert!(missing_form.contains("nope"), "{missing_form}");
}
