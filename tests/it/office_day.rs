//! A day in an office: the administrator builds the organisation, grants roles, people sign in
//! and each sees and may do exactly what their roles and data scopes allow.

use oa::{
    AuditOutcome, AuditQuery, DataScope, NewDepartment, NewGrant, NewPerson, NewRole, Oa, OaError, PageRequest,
    PeopleQuery, Person, Session,
};

use crate::support::{office, on_every_backend};

fn dept(oa: &Oa, s: &Session, name: &str, parent: Option<oa::DeptId>) -> oa::Department {
    oa.create_department(s, NewDepartment { name: name.into(), parent, ..NewDepartment::default() })
        .expect("department")
}

fn person(oa: &Oa, s: &Session, login: &str, name: &str, dept: oa::DeptId, superior: Option<&Person>) -> Person {
    let mut input = NewPerson::new(login, name, dept);
    input.superior = superior.map(|p| p.id);
    input.initial_password = Some(format!("{login}-first-pass"));
    oa.create_person(s, input).expect("person")
}

/// Signs `login` in for the first time: the initial password must be changed first.
fn first_sign_in(oa: &Oa, login: &str) -> Session {
    let s = oa.sign_in(login, &format!("{login}-first-pass")).expect("sign in");
    assert_eq!(oa.list_departments(&s).unwrap_err(), OaError::PasswordChangeRequired);
    oa.change_password(&s, &format!("{login}-first-pass"), &format!("{login} own passphrase")).expect("change");
    oa.sign_in(login, &format!("{login} own passphrase")).expect("sign in again")
}

fn visible_logins(oa: &Oa, s: &Session) -> Vec<String> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let p = oa.list_people(s, PeopleQuery::default(), page).expect("list");
        out.extend(p.items.into_iter().map(|p| p.login));
        match p.next_cursor {
            Some(c) => page = PageRequest::after(c, 3),
            None => break,
        }
    }
    out.sort();
    out
}

fn a_day_in_the_office(backend: &str) {
    let o = office(backend);
    let (oa, admin) = (&o.oa, &o.admin);
    let root = oa.list_departments(admin).unwrap()[0].id;
    let sales = dept(oa, admin, "销售部 Sales", Some(root));
    let east = dept(oa, admin, "华东区 East", Some(sales.id));
    let rd = dept(oa, admin, "研发中心 R&D", Some(root));

    let zhang = person(oa, admin, "zhangwei", "张伟", sales.id, None);
    let zoe = person(oa, admin, "zoe", "Zoë Müller", east.id, Some(&zhang));
    let li = person(oa, admin, "lina", "李娜", east.id, Some(&zoe));
    let wang = person(oa, admin, "wangfang", "王芳", rd.id, None);
    oa.set_department_head(admin, sales.id, Some(zhang.id)).unwrap();
    oa.set_department_head(admin, east.id, Some(zoe.id)).unwrap();

    // The reporting line and heads the approval engine will ask for.
    let chain: Vec<String> = oa.superiors_of(admin, li.id).unwrap().into_iter().map(|p| p.login).collect();
    assert_eq!(chain, ["zoe", "zhangwei"]);
    assert_eq!(oa.head_above(admin, li.id, 0).unwrap().map(|p| p.login), Some("zoe".into()));
    assert_eq!(oa.head_above(admin, li.id, 1).unwrap().map(|p| p.login), Some("zhangwei".into()));

    let role = |code: &str, perms: &[&str], scope: DataScope| NewRole {
        code: code.into(),
        name: code.into(),
        description: String::new(),
        permissions: perms.iter().map(|p| p.to_string()).collect(),
        inherits: vec![],
        data_scope: scope,
    };
    oa.create_role(admin, role("staff", &["org.person.read"], DataScope::SelfOnly)).unwrap();
    oa.create_role(
        admin,
        NewRole {
            inherits: vec!["staff".into()],
            ..role("manager", &["org.person.update"], DataScope::OwnDeptAndBelow)
        },
    )
    .unwrap();
    for p in [&zhang, &zoe, &li, &wang] {
        oa.grant_role(admin, NewGrant { person: p.id, role: "staff".into(), limit_to_dept: None }).unwrap();
    }
    oa.grant_role(admin, NewGrant { person: zhang.id, role: "manager".into(), limit_to_dept: None }).unwrap();
    oa.grant_role(admin, NewGrant { person: zoe.id, role: "manager".into(), limit_to_dept: None }).unwrap();

    let zhang_s = first_sign_in(oa, "zhangwei");
    let zoe_s = first_sign_in(oa, "zoe");
    let li_s = first_sign_in(oa, "lina");

    // Data scopes: the manager of Sales sees Sales and below, the head of East sees East, a
    // member of staff sees only herself.
    assert_eq!(visible_logins(oa, &zhang_s), ["lina", "zhangwei", "zoe"]);
    assert_eq!(visible_logins(oa, &zoe_s), ["lina", "zoe"]);
    assert_eq!(visible_logins(oa, &li_s), ["lina"]);
    assert!(oa.check_permission(&zoe_s, "org.person.update", Some(li.dept), Some(li.id)).unwrap());
    assert!(!oa.check_permission(&zoe_s, "org.person.update", Some(wang.dept), Some(wang.id)).unwrap());
    let scope = oa.permission_scope(&zoe_s, "org.person.update").unwrap();
    assert!(!scope.all);
    // A UI asks many questions at once through the compiled snapshot: the same answers.
    let zoe_may = oa.principal(&zoe_s).unwrap();
    assert!(zoe_may.allows_on("org.person.update", Some(li.dept), Some(li.id)));
    assert!(!zoe_may.allows_on("org.person.update", Some(wang.dept), Some(wang.id)));
    assert!(zoe_may.allows("org.person.read") && !zoe_may.allows("org.person.create"));
    // The administrator asks the same questions about Zoë; Zoë may not ask about others.
    assert!(oa.check_permission_of(admin, zoe.id, "org.person.update", Some(li.dept), Some(li.id)).unwrap());
    assert!(!oa.check_permission_of(admin, zoe.id, "org.person.update", Some(wang.dept), Some(wang.id)).unwrap());
    assert_eq!(
        oa.check_permission_of(&zoe_s, zhang.id, "org.person.read", None, None).unwrap_err().code(),
        "permission_denied"
    );

    // Zoë updates her report; she may not touch R&D, and the attempt is audited.
    let patch = oa::PersonPatch { phone: Some("+86 21 5555 0101".into()), ..Default::default() };
    assert_eq!(oa.update_person(&zoe_s, li.id, patch.clone()).unwrap().phone.as_deref(), Some("+86 21 5555 0101"));
    let denied = oa.update_person(&zoe_s, wang.id, patch.clone()).unwrap_err();
    assert_eq!(denied.code(), "permission_denied");

    // Lina moves to R&D: Zoë's scope no longer reaches her, at once.
    oa.transfer_person(admin, li.id, rd.id, None).unwrap();
    assert_eq!(visible_logins(oa, &zoe_s), ["zoe"]);
    assert!(!oa.check_permission(&zoe_s, "org.person.update", Some(rd.id), Some(li.id)).unwrap());

    // Zoë leaves: her session stops working and she can no longer sign in.
    oa.mark_person_left(admin, zoe.id).unwrap();
    assert_eq!(
        oa.list_people(&zoe_s, PeopleQuery::default(), PageRequest::first(5)).unwrap_err().code(),
        "unauthenticated"
    );
    assert_eq!(oa.sign_in("zoe", "zoe own passphrase").unwrap_err().code(), "unauthenticated");
    assert_eq!(oa.get_department(admin, east.id).unwrap().head, None, "a person who left heads nothing");

    // The audit log tells the day: who changed what, and the denied attempt.
    let zoe_records = oa
        .list_audit(admin, AuditQuery { actor: Some(zoe.id), ..AuditQuery::default() }, PageRequest::first(50))
        .unwrap();
    assert!(zoe_records
        .items
        .iter()
        .any(|r| r.outcome == AuditOutcome::Denied && r.operation.starts_with("org.person")));
    assert!(zoe_records
        .items
        .iter()
        .any(|r| r.outcome == AuditOutcome::Success && r.target.as_deref() == Some(&format!("person:{}", li.id))));
    let report = oa.verify_audit_chain(admin).unwrap();
    assert!(report.is_intact(), "{report:?}");
    assert!(report.checked > 20);
}

fn the_demo_organisation_imports_and_pages(backend: &str) {
    let o = office(backend);
    let (oa, admin) = (&o.oa, &o.admin);
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    let depts = std::fs::read(data.join("departments.csv")).unwrap();
    let people = std::fs::read(data.join("people.csv")).unwrap();
    let report = oa.import_org_csv(admin, &depts, &people).unwrap();
    assert_eq!(report.departments_created, 24);
    assert_eq!(report.people_created, 315);

    // Sales and its regions, paged by 40 through one subtree: every person once.
    let sales = oa.find_department_by_code(admin, "sales").unwrap();
    assert_eq!(sales.code.as_deref(), Some("SALES"));
    assert_eq!(oa.find_department_by_code(admin, "NOPE").unwrap_err().code(), "not_found");
    let mut seen = std::collections::BTreeSet::new();
    let mut page = PageRequest::first(40);
    loop {
        let q = PeopleQuery { dept: Some(sales.id), include_subtree: true, ..PeopleQuery::default() };
        let p = oa.list_people(admin, q, page).unwrap();
        for person in p.items {
            assert!(seen.insert(person.login), "a person appears on two pages");
        }
        match p.next_cursor {
            Some(c) => page = PageRequest::after(c, 40),
            None => break,
        }
    }
    let expected = std::str::from_utf8(&people).unwrap().lines().filter(|l| l.contains(",SALES")).count();
    assert_eq!(seen.len(), expected);
    // Nothing of a bad import is written: importing the same files again is refused whole.
    let again = oa.import_org_csv(admin, &depts, &people).unwrap_err();
    assert_eq!(again.code(), "validation");
    assert_eq!(oa.list_departments(admin).unwrap().len(), 25);
}

on_every_backend!(a_day_in_the_office, the_demo_organisation_imports_and_pages);
