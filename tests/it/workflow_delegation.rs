//! A week with the sales head away: his standing delegation (委托) sends his approvals to his
//! deputy on the days he is out and no others, the deputy hands one on to a colleague and it
//! stays the head's, he reads what was done for him, and back at his desk he hands a request to
//! a colleague to check (委派) and takes it back, while the colleague resolves it at the same
//! moment: one of them wins, the request is never lost or doubled.

use chrono::{DateTime, NaiveDate, Utc};
use oa::workflow::runtime::{HistoryAction, InstanceStatus, NewDelegation, StartProcess, TaskQuery, TaskStatus};
use oa::{DataScope, NewDepartment, NewGrant, NewPerson, NewRole, Oa, PageRequest, Person, Session};
use serde_json::json;

use crate::support::{office, on_every_backend, ADMIN_PASSWORD};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn person(oa: &Oa, admin: &Session, login: &str, dept: oa::DeptId) -> Person {
    let p = oa.create_person(admin, NewPerson::new(login, login, dept)).unwrap();
    oa.reset_password(admin, p.id, "first-pass-123").unwrap();
    let s = oa.sign_in(login, "first-pass-123").unwrap();
    oa.change_password(&s, "first-pass-123", &format!("{login} own passphrase")).unwrap();
    p
}

/// Signs `login` in; sessions lapse when the clock moves a day, so each part of the week
/// signs in afresh.
fn sign_in(oa: &Oa, login: &str) -> Session {
    oa.sign_in(login, &format!("{login} own passphrase")).unwrap()
}

fn leave(title: &str) -> StartProcess {
    StartProcess {
        process_key: "leave".into(),
        version: None,
        title: title.into(),
        data: json!({"days": "1", "reason": "family"}),
        business_key: None,
    }
}

fn a_week_with_the_head_away(backend: &str) {
    let o = office(backend);
    let (oa, admin) = (&o.oa, &o.admin);
    let root = oa.list_departments(admin).unwrap()[0].id;
    let sales = oa
        .create_department(admin, NewDepartment { name: "Sales".into(), parent: Some(root), ..Default::default() })
        .unwrap();
    let zhang = person(oa, admin, "zhang", sales.id);
    let li = person(oa, admin, "li", sales.id);
    let wang = person(oa, admin, "wang", sales.id);
    let chen = person(oa, admin, "chen", sales.id);
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
    oa.grant_role(admin, NewGrant { person: li.id, role: "staff".into(), limit_to_dept: None }).unwrap();
    let form: oa::NewForm = serde_json::from_value(json!({
        "key": "leave", "name": "请假 Leave",
        "fields": [
            {"key": "days", "label": "天数", "type": "number", "required": true},
            {"key": "reason", "label": "事由", "type": "long_text", "required": true}
        ]
    }))
    .unwrap();
    oa.define_form(admin, form).unwrap();
    let process = json!({
        "key": "leave", "name": "请假审批", "formKey": "leave",
        "process": {
            "nodeId": "start", "type": "start",
            "childNode": {"nodeId": "head", "type": "approval", "name": "部门负责人",
                          "props": {"approvers": {"strategy": "dept_head"}, "method": "single"}}
        }
    });
    oa.publish_process_json(admin, &process.to_string()).unwrap();

    // Monday, 17:00 in the office: zhang will be away on Tuesday and Wednesday; wang stands in.
    let z = sign_in(oa, "zhang");
    let day = |s: &str| s.parse::<NaiveDate>().unwrap();
    let away = NewDelegation {
        owner: None,
        delegate: wang.id,
        process_key: Some("leave".into()),
        first_day: day("2026-01-06"),
        last_day: day("2026-01-07"),
        reason: "出差 business trip".into(),
    };
    let d = oa.create_delegation(&z, away).unwrap();
    assert_eq!(oa.delegations_to_me(&sign_in(oa, "wang"), PageRequest::first(10)).unwrap().items, vec![d.clone()]);
    let monday = oa.start_process(&sign_in(oa, "li"), leave("li: Monday")).unwrap();

    // Tuesday morning: li's request goes to wang for zhang.
    o.clock.set(at("2026-01-06T01:00:00Z"));
    let tuesday = oa.start_process(&sign_in(oa, "li"), leave("li: Tuesday")).unwrap();
    let w = sign_in(oa, "wang");
    let todo = oa.todo(&w, TaskQuery::default(), PageRequest::first(10)).unwrap().items;
    assert_eq!(
        todo.iter().map(|t| (t.instance, t.on_behalf_of)).collect::<Vec<_>>(),
        vec![(tuesday.id, Some(zhang.id))]
    );
    oa.approve(&w, todo[0].id, "代 zhang 同意", None).unwrap();
    assert_eq!(oa.instance(&w, tuesday.id).unwrap().instance.status, InstanceStatus::Approved);

    // Wednesday: wang hands the day's request on to chen, who knows the case (转办); it is
    // still zhang's, and chen approves it for him.
    o.clock.set(at("2026-01-07T01:00:00Z"));
    let wednesday = oa.start_process(&sign_in(oa, "li"), leave("li: Wednesday")).unwrap();
    let w = sign_in(oa, "wang");
    let todo = oa.todo(&w, TaskQuery::default(), PageRequest::first(10)).unwrap().items;
    let handed = oa.transfer(&w, todo[0].id, chen.id, "陈 knows this case").unwrap();
    assert_eq!((handed.assignee, handed.on_behalf_of), (chen.id, Some(zhang.id)));
    oa.approve(&sign_in(oa, "chen"), handed.id, "代 zhang 同意", None).unwrap();

    // Thursday: zhang is back. He sees what wang did for him, and Monday's request is his.
    o.clock.set(at("2026-01-08T01:00:00Z"));
    let z = sign_in(oa, "zhang");
    let for_me = oa.tasks_on_my_behalf(&z, TaskQuery::default(), PageRequest::first(10)).unwrap().items;
    assert_eq!(
        for_me.iter().map(|t| (t.instance, t.assignee, t.status)).collect::<Vec<_>>(),
        vec![
            (wednesday.id, chen.id, TaskStatus::Approved),
            (wednesday.id, wang.id, TaskStatus::Transferred),
            (tuesday.id, wang.id, TaskStatus::Approved)
        ]
    );
    let detail = oa.instance(&z, tuesday.id).unwrap();
    assert!(detail.history.iter().any(|e| e.action == HistoryAction::Redirected));
    let thursday = oa.start_process(&sign_in(oa, "li"), leave("li: Thursday")).unwrap();
    let mine = oa.todo(&z, TaskQuery::default(), PageRequest::first(10)).unwrap().items;
    let mut instances: Vec<_> = mine.iter().map(|t| t.instance).collect();
    instances.sort();
    assert_eq!(instances, vec![monday.id, thursday.id]);
    assert_eq!(oa.badge_counts(&z).unwrap().todo, 2);

    // zhang asks chen to check Thursday's request, then wants it back just as chen resolves it.
    for round in 0..3 {
        let z = sign_in(oa, "zhang");
        let c = sign_in(oa, "chen");
        let task = oa
            .todo(&z, TaskQuery { text: Some("Thursday".into()), ..Default::default() }, PageRequest::first(1))
            .unwrap()
            .items
            .remove(0);
        let given = oa.delegate_task(&z, task.id, chen.id, "请核实").unwrap();
        assert_eq!(oa.badge_counts(&z).unwrap().todo, 1, "round {round}: Monday's only");
        assert_eq!(oa.badge_counts(&c).unwrap().todo, 1);
        let (back, resolved) = std::thread::scope(|s| {
            let a = s.spawn(|| oa.take_back_task(&z, task.id));
            let b = s.spawn(|| oa.approve(&c, given.id, "核实无误", None));
            (a.join().unwrap(), b.join().unwrap())
        });
        assert!(back.is_ok() != resolved.is_ok(), "round {round}: exactly one wins: {back:?} {resolved:?}");
        assert_eq!(back.err().or(resolved.err()).unwrap().code(), "invalid_state");
        let todo = oa.todo(&z, TaskQuery::default(), PageRequest::first(10)).unwrap().items;
        assert!(todo.iter().all(|t| t.status == TaskStatus::Pending), "round {round}");
        assert_eq!(todo.iter().filter(|t| t.id == task.id).count(), 1, "round {round}: his task, once");
        assert_eq!(oa.badge_counts(&z).unwrap().todo, 2);
        assert_eq!(oa.badge_counts(&c).unwrap().todo, 0);
        assert!(oa.todo(&c, TaskQuery::default(), PageRequest::first(10)).unwrap().items.is_empty());
    }
    let z = sign_in(oa, "zhang");
    for t in oa.todo(&z, TaskQuery::default(), PageRequest::first(10)).unwrap().items {
        oa.approve(&z, t.id, "同意", None).unwrap();
    }
    let li_s = sign_in(oa, "li");
    for id in [monday.id, tuesday.id, wednesday.id, thursday.id] {
        assert_eq!(oa.instance(&li_s, id).unwrap().instance.status, InstanceStatus::Approved);
    }
    assert_eq!(oa.badge_counts(&z).unwrap().todo, 0);
    let admin = oa.sign_in("admin", ADMIN_PASSWORD).unwrap();
    assert!(oa.verify_audit_chain(&admin).unwrap().is_intact());
}

on_every_backend!(a_week_with_the_head_away);
