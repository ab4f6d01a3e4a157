//! A working day with approvals: a leave form and its process are published, people start
//! requests, and each request walks the path its data chooses through the todo lists.

use oa::workflow::runtime::{InstanceStatus, StartProcess, TaskQuery};
use oa::{DataScope, NewDepartment, NewGrant, NewPerson, NewRole, Oa, PageRequest, Person, Session};
use serde_json::json;

use crate::support::{office, on_every_backend};

fn person(oa: &Oa, admin: &Session, login: &str, dept: oa::DeptId, superior: Option<&Person>) -> (Person, Session) {
    let mut input = NewPerson::new(login, login, dept);
    input.superior = superior.map(|p| p.id);
    let p = oa.create_person(admin, input).unwrap();
    oa.reset_password(admin, p.id, "first-pass-123").unwrap();
    let s = oa.sign_in(login, "first-pass-123").unwrap();
    oa.change_password(&s, "first-pass-123", &format!("{login} own passphrase")).unwrap();
    (p.clone(), oa.sign_in(login, &format!("{login} own passphrase")).unwrap())
}

fn todo_titles(oa: &Oa, s: &Session) -> Vec<String> {
    let page = oa.todo(s, TaskQuery::default(), PageRequest::first(50)).unwrap();
    page.items.into_iter().map(|t| t.title).collect()
}

fn leave_requests_walk_the_path_their_data_chooses(backend: &str) {
    let o = office(backend);
    let (oa, admin) = (&o.oa, &o.admin);
    let root = oa.list_departments(admin).unwrap()[0].id;
    let sales = oa
        .create_department(admin, NewDepartment { name: "Sales".into(), parent: Some(root), ..Default::default() })
        .unwrap();
    let hr_dept = oa
        .create_department(admin, NewDepartment { name: "HR".into(), parent: Some(root), ..Default::default() })
        .unwrap();
    let (zhang, zhang_s) = person(oa, admin, "zhang", sales.id, None);
    let (li, li_s) = person(oa, admin, "li", sales.id, Some(&zhang));
    let (_wang, wang_s) = person(oa, admin, "wang", hr_dept.id, None);
    oa.set_department_head(admin, sales.id, Some(zhang.id)).unwrap();

    oa.create_role(
        admin,
        NewRole {
            code: "staff".into(),
            name: "Staff".into(),
            description: String::new(),
            permissions: vec!["workflow.instance.start".into()],
            inherits: vec![],
            data_scope: DataScope::SelfOnly,
        },
    )
    .unwrap();
    oa.create_role(
        admin,
        NewRole {
            code: "hr".into(),
            name: "HR".into(),
            description: String::new(),
            permissions: vec![],
            inherits: vec![],
            data_scope: DataScope::All,
        },
    )
    .unwrap();
    oa.grant_role(admin, NewGrant { person: li.id, role: "staff".into(), limit_to_dept: None }).unwrap();
    let wang_id = oa.whoami(&wang_s).unwrap().person;
    oa.grant_role(admin, NewGrant { person: wang_id, role: "hr".into(), limit_to_dept: None }).unwrap();

    let form: oa::NewForm = serde_json::from_value(json!({
        "key": "leave", "name": "请假 Leave",
        "fields": [
            {"key": "days", "label": "天数", "type": "number", "required": true, "min": "0.5", "max": "30"},
            {"key": "reason", "label": "事由", "type": "long_text", "required": true}
        ]
    }))
    .unwrap();
    oa.define_form(admin, form).unwrap();
    let process = json!({
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
    });
    let published = oa.publish_process_json(admin, &process.to_string()).unwrap();
    assert_eq!(published.version, 1);

    // A short leave: the head approves and the request is done.
    let start = |title: &str, days: &str| StartProcess {
        process_key: "leave".into(),
        version: None,
        title: title.into(),
        data: json!({"days": days, "reason": "family"}),
        business_key: None,
    };
    let short = oa.start_process(&li_s, start("li: 2 days", "2")).unwrap();
    // A long leave also goes to HR.
    let long = oa.start_process(&li_s, start("li: 5 days", "5")).unwrap();
    assert_eq!(todo_titles(oa, &zhang_s).len(), 2);
    assert_eq!(oa.badge_counts(&zhang_s).unwrap().todo, 2);
    for task in oa.todo(&zhang_s, TaskQuery::default(), PageRequest::first(10)).unwrap().items {
        oa.approve(&zhang_s, task.id, "ok", None).unwrap();
    }
    assert_eq!(oa.instance(&li_s, short.id).unwrap().instance.status, InstanceStatus::Approved);
    assert_eq!(oa.instance(&li_s, long.id).unwrap().instance.status, InstanceStatus::Running);
    assert_eq!(todo_titles(oa, &wang_s), ["li: 5 days"]);
    // Someone who is not the assignee may not act; the assignee may, once.
    let hr_task = oa.todo(&wang_s, TaskQuery::default(), PageRequest::first(10)).unwrap().items.remove(0);
    assert_eq!(oa.approve(&zhang_s, hr_task.id, "me too", None).unwrap_err().code(), "permission_denied");
    oa.approve(&wang_s, hr_task.id, "approved", None).unwrap();
    assert_eq!(oa.approve(&wang_s, hr_task.id, "again", None).unwrap_err().code(), "invalid_state");
    assert_eq!(oa.instance(&li_s, long.id).unwrap().instance.status, InstanceStatus::Approved);
    assert!(todo_titles(oa, &wang_s).is_empty());
    assert_eq!(oa.done(&zhang_s, TaskQuery::default(), PageRequest::first(10)).unwrap().items.len(), 2);
    assert_eq!(oa.started_by_me(&li_s, TaskQuery::default(), PageRequest::first(10)).unwrap().items.len(), 2);

    // Bad data is refused whole, naming the field; someone without the right cannot start.
    let e = oa.start_process(&li_s, start("bad", "45")).unwrap_err();
    assert_eq!(e.field_errors()[0].path, "data.days", "{e}");
    assert_eq!(oa.start_process(&wang_s, start("wang", "1")).unwrap_err().code(), "permission_denied");
    assert_eq!(oa.started_by_me(&li_s, TaskQuery::default(), PageRequest::first(10)).unwrap().items.len(), 2);
    assert!(oa.verify_audit_chain(admin).unwrap().is_intact());
}

on_every_backend!(leave_requests_walk_the_path_their_data_chooses);
