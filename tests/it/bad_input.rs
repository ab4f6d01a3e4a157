//! Bad input gets a typed error that names what is wrong, and nothing is written.

use oa::{
    AuditQuery, DataScope, NewDepartment, NewGrant, NewPerson, NewRole, Oa, OaError, PageRequest, ParamValue,
    RolePatch, Session,
};

use crate::support::{office, on_every_backend};

/// How many audit records exist: every successful change writes one, so an unchanged count
/// after a refused call means nothing was written.
fn changes(oa: &Oa, admin: &Session) -> u64 {
    oa.verify_audit_chain(admin).unwrap().checked
}

fn paths(e: &OaError) -> Vec<String> {
    e.field_errors().iter().map(|f| f.path.clone()).collect()
}

fn refused_whole(backend: &str) {
    let o = office(backend);
    let (oa, admin) = (&o.oa, &o.admin);
    let root = oa.list_departments(admin).unwrap()[0].id;
    let a = oa
        .create_department(admin, NewDepartment { name: "A".into(), parent: Some(root), ..Default::default() })
        .unwrap();
    let b = oa
        .create_department(admin, NewDepartment { name: "B".into(), parent: Some(a.id), ..Default::default() })
        .unwrap();
    oa.create_person(admin, NewPerson::new("taken", "Taken", a.id)).unwrap();
    let before = changes(oa, admin);
    let denied_before =
        |oa: &Oa| oa.list_audit(admin, AuditQuery::default(), PageRequest::first(1000)).unwrap().items.len();
    let records_before = denied_before(oa);

    // Empty and overlong names, every failing field at once.
    let e = oa
        .create_person(
            admin,
            NewPerson { email: Some("not-an-email".into()), ..NewPerson::new("", &"名".repeat(101), a.id) },
        )
        .unwrap_err();
    assert_eq!(e.code(), "validation");
    let p = paths(&e);
    assert!(p.contains(&"login".into()) && p.contains(&"name".into()) && p.contains(&"email".into()), "{p:?}");
    assert_eq!(
        oa.create_department(admin, NewDepartment { name: "  ".into(), parent: Some(root), ..Default::default() })
            .unwrap_err()
            .field_errors()[0]
            .path,
        "name"
    );

    // A duplicate login, whatever its case.
    let e = oa.create_person(admin, NewPerson::new("TAKEN", "Other", a.id)).unwrap_err();
    assert_eq!(paths(&e), ["login"]);

    // A department moved under its own child.
    let e = oa.move_department(admin, a.id, Some(b.id), None).unwrap_err();
    assert_eq!(paths(&e), ["parent"]);

    // A role that inherits itself, directly or through another.
    let role = |code: &str, inherits: &[&str]| NewRole {
        code: code.into(),
        name: code.into(),
        description: String::new(),
        permissions: vec!["org.person.read".into()],
        inherits: inherits.iter().map(|s| s.to_string()).collect(),
        data_scope: DataScope::All,
    };
    assert_eq!(oa.create_role(admin, role("selfish", &["selfish"])).unwrap_err().code(), "validation");
    oa.create_role(admin, role("r1", &[])).unwrap();
    oa.create_role(admin, role("r2", &["r1"])).unwrap();
    let e =
        oa.update_role(admin, "r1", RolePatch { inherits: Some(vec!["r2".into()]), ..Default::default() }).unwrap_err();
    assert_eq!(e.code(), "validation");
    // An unknown permission is named.
    let e =
        oa.create_role(admin, NewRole { permissions: vec!["org.person.fly".into()], ..role("r3", &[]) }).unwrap_err();
    assert!(e.to_string().contains("org.person.fly"), "{e}");
    let after_roles = changes(oa, admin);

    // A grant of an unknown role.
    let me = oa.whoami(admin).unwrap().person;
    let e =
        oa.grant_role(admin, NewGrant { person: me, role: "no_such_role".into(), limit_to_dept: None }).unwrap_err();
    assert!(matches!(e.code(), "validation" | "not_found"), "{e}");

    // CSV with a missing column, and CSV that is not UTF-8.
    let e = oa.import_org_csv(admin, b"code,name\nX,Y\n", b"login,name,dept_code\n").unwrap_err();
    assert!(e.to_string().contains("parent_code"), "{e}");
    let e = oa.import_org_csv(admin, b"code,name,parent_code\nX,\xff\xfe,\n", b"login,name,dept_code\n").unwrap_err();
    assert_eq!(e.code(), "validation");
    assert!(e.field_errors()[0].path.contains(":2"), "the line is named: {e}");

    // A parameter out of range or of the wrong type, and an unknown one.
    let e = oa.set_param(admin, "auth.lockout.threshold", ParamValue::Int(0)).unwrap_err();
    assert_eq!(paths(&e), ["value"]);
    let e = oa.set_param(admin, "auth.lockout.threshold", ParamValue::Text("five".into())).unwrap_err();
    assert_eq!(paths(&e), ["value"]);
    assert_eq!(paths(&oa.set_param(admin, "no.such.param", ParamValue::Int(1)).unwrap_err()), ["key"]);

    // A wrong password and a forged session token.
    assert_eq!(oa.sign_in("admin", "not the password").unwrap_err().code(), "unauthenticated");
    assert_eq!(oa.whoami(&Session::from_token("forged")).unwrap_err().code(), "unauthenticated");

    // Nothing of any of it was written: the only records added are the refusals of sign-in.
    assert_eq!(after_roles, before + 2, "only r1 and r2 were created");
    assert_eq!(changes(oa, admin), after_roles + 1, "only the failed sign-in is recorded");
    assert_eq!(denied_before(oa), records_before + 3);
}

fn a_closed_office_refuses_every_call(backend: &str) {
    let o = office(backend);
    let copy = o.oa.clone();
    o.oa.close();
    assert_eq!(copy.whoami(&o.admin).unwrap_err(), OaError::Closed);
    assert_eq!(copy.sign_in("admin", "x").unwrap_err(), OaError::Closed);
}

on_every_backend!(refused_whole, a_closed_office_refuses_every_call);
