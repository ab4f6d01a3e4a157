//! The operations of permissions through the public `Oa` API.

use std::collections::HashSet;

use super::*;
use crate::audit::{AuditOutcome, AuditQuery};
use crate::org::{DeptId, NewDepartment, NewPerson, PersonId};
use crate::testing::office;
use crate::{Oa, OaError, PageRequest, ParamValue, Session};

fn dept(oa: &Oa, admin: &Session, name: &str, parent: DeptId) -> DeptId {
    oa.create_department(admin, NewDepartment { name: name.into(), parent: Some(parent), ..Default::default() })
        .unwrap()
        .id
}

/// A person who can sign in, with their session.
fn member(oa: &Oa, admin: &Session, login: &str, dept: DeptId) -> (PersonId, Session) {
    let first = format!("{login} first Passw0rd!");
    let pw = format!("{login} second Passw0rd!");
    let p = oa
        .create_person(admin, NewPerson { initial_password: Some(first.clone()), ..NewPerson::new(login, login, dept) })
        .unwrap();
    let s = oa.sign_in(login, &first).unwrap();
    oa.change_password(&s, &first, &pw).unwrap();
    (p.id, oa.sign_in(login, &pw).unwrap())
}

fn new_role(code: &str, perms: &[&str], scope: DataScope) -> NewRole {
    NewRole {
        code: code.into(),
        name: code.into(),
        description: String::new(),
        permissions: perms.iter().map(|s| s.to_string()).collect(),
        inherits: vec![],
        data_scope: scope,
    }
}

#[test]
fn roles_and_grants_through_the_engine() {
    let (oa, admin) = office();
    let root = oa.list_departments(&admin).unwrap()[0].id;
    let sales = dept(&oa, &admin, "Sales", root);
    let north = dept(&oa, &admin, "North", sales);
    let finance = dept(&oa, &admin, "Finance", root);
    let (bob, bob_s) = member(&oa, &admin, "bob", north);

    let catalogue = oa.list_permissions(&admin).unwrap();
    assert!(catalogue.iter().any(|p| p.name == "perm.grant.manage"));
    let codes: HashSet<String> = oa.list_roles(&admin).unwrap().into_iter().map(|r| r.code).collect();
    assert!(["admin", "sys_admin", "sec_admin", "auditor"].iter().all(|c| codes.contains(*c)));

    // Bob may do nothing yet; his attempt is refused and audited.
    let e = oa.create_role(&bob_s, new_role("x", &[], DataScope::All)).unwrap_err();
    assert_eq!(e.code(), "permission_denied");
    let denied = oa
        .list_audit(
            &admin,
            AuditQuery { operation: Some("perm.role.create".into()), ..AuditQuery::default() },
            PageRequest::first(10),
        )
        .unwrap();
    assert!(denied.items.iter().any(|r| r.outcome == AuditOutcome::Denied && r.actor == Some(bob)));

    let role = oa
        .create_role(&admin, new_role("reader", &["org.person.read", "org.dept.read"], DataScope::OwnDeptAndBelow))
        .unwrap();
    assert_eq!(oa.get_role(&admin, "reader").unwrap(), role);
    let e = oa.create_role(&admin, new_role("bad", &["org.person.fly"], DataScope::All)).unwrap_err();
    assert_eq!(e.field_errors()[0].path, "permissions[0]");

    let grant = oa.grant_role(&admin, NewGrant { person: bob, role: "reader".into(), limit_to_dept: None }).unwrap();
    assert!(oa.check_permission(&bob_s, "org.person.read", None, None).unwrap());
    assert!(oa.check_permission(&bob_s, "org.person.read", Some(north), None).unwrap());
    assert!(!oa.check_permission(&bob_s, "org.person.read", Some(finance), None).unwrap());
    assert_eq!(
        oa.check_permission(&bob_s, "org.person.fly", None, None).unwrap_err().field_errors()[0].path,
        "permission"
    );
    assert_eq!(oa.permission_scope(&bob_s, "org.person.read").unwrap().subtrees, vec![north]);
    assert_eq!(oa.effective_permissions(&bob_s, bob).unwrap(), vec!["org.dept.read", "org.person.read"]);
    assert_eq!(
        oa.effective_permissions(&bob_s, oa.whoami(&admin).unwrap().person).unwrap_err().code(),
        "permission_denied"
    );

    // Changing the role's scope takes effect at once (the version moved).
    oa.update_role(&admin, "reader", RolePatch { data_scope: Some(DataScope::All), ..RolePatch::default() }).unwrap();
    assert!(oa.check_permission(&bob_s, "org.person.read", Some(finance), None).unwrap());

    assert_eq!(oa.list_grants(&admin, Some(bob)).unwrap(), vec![grant.clone()]);
    assert!(oa.list_grants(&admin, None).unwrap().contains(&grant));
    let e = oa.delete_role(&admin, "reader").unwrap_err();
    assert!(e.to_string().contains("`bob`"), "{e}");
    oa.revoke_grant(&admin, grant.id).unwrap();
    assert!(!oa.check_permission(&bob_s, "org.person.read", None, None).unwrap());
    oa.delete_role(&admin, "reader").unwrap();
    assert_eq!(oa.get_role(&admin, "reader").unwrap_err().code(), "not_found");
    assert_eq!(oa.delete_role(&admin, "admin").unwrap_err().code(), "invalid_state");

    // Every write was audited.
    for op in ["perm.role.create", "perm.role.update", "perm.grant.create", "perm.grant.revoke", "perm.role.delete"] {
        let page = oa
            .list_audit(
                &admin,
                AuditQuery { operation: Some(op.into()), ..AuditQuery::default() },
                PageRequest::first(10),
            )
            .unwrap();
        assert!(page.items.iter().any(|r| r.outcome == AuditOutcome::Success), "{op}");
    }
}

#[test]
fn a_limited_security_administrator_grants_only_inside_their_subtree() {
    let (oa, admin) = office();
    let root = oa.list_departments(&admin).unwrap()[0].id;
    let sales = dept(&oa, &admin, "Sales", root);
    let finance = dept(&oa, &admin, "Finance", root);
    let (sam, sam_s) = member(&oa, &admin, "sam", sales);
    let (sue, _) = member(&oa, &admin, "sue", sales);
    let (fay, _) = member(&oa, &admin, "fay", finance);
    oa.create_role(&admin, new_role("granter", &["perm.grant.manage", "perm.role.read"], DataScope::All)).unwrap();
    oa.create_role(&admin, new_role("reader", &["org.dept.read"], DataScope::All)).unwrap();
    oa.grant_role(&admin, NewGrant { person: sam, role: "granter".into(), limit_to_dept: Some(sales) }).unwrap();

    oa.grant_role(&sam_s, NewGrant { person: sue, role: "reader".into(), limit_to_dept: None }).unwrap();
    match oa.grant_role(&sam_s, NewGrant { person: fay, role: "reader".into(), limit_to_dept: None }) {
        Err(OaError::PermissionDenied { permission, reason: Some(_) }) => assert_eq!(permission, "perm.grant.manage"),
        other => panic!("expected a scoped denial, got {other:?}"),
    }
    let seen: HashSet<PersonId> = oa.list_grants(&sam_s, None).unwrap().into_iter().map(|g| g.person).collect();
    assert!(seen.contains(&sue) && seen.contains(&sam) && !seen.contains(&fay));
}

#[test]
fn separation_of_duties_through_the_parameter() {
    let (oa, admin) = office();
    let root = oa.list_departments(&admin).unwrap()[0].id;
    let (sys, sys_s) = member(&oa, &admin, "sys", root);
    let (sec, _) = member(&oa, &admin, "sec", root);
    oa.grant_role(&admin, NewGrant { person: sys, role: ROLE_SYS_ADMIN.into(), limit_to_dept: None }).unwrap();
    oa.grant_role(&admin, NewGrant { person: sys, role: ROLE_SEC_ADMIN.into(), limit_to_dept: None }).unwrap();

    // The administrator holds `admin` and `sys` holds two roles: both are named.
    let e = oa.set_param(&admin, "security.separation_of_duties", ParamValue::Bool(true)).unwrap_err();
    let m = e.to_string();
    assert!(m.contains("`admin` holds `admin`") && m.contains("`sys` holds `sys_admin`, `sec_admin`"), "{m}");

    // Clear the way: `sys` keeps one role, `sec` takes security; the admin gives up `admin`.
    let sys_grants = oa.list_grants(&admin, Some(sys)).unwrap();
    let g = sys_grants.iter().find(|g| g.role == ROLE_SEC_ADMIN).unwrap();
    oa.revoke_grant(&admin, g.id).unwrap();
    oa.grant_role(&admin, NewGrant { person: sec, role: ROLE_SEC_ADMIN.into(), limit_to_dept: None }).unwrap();
    let sec_s = {
        let me = oa.whoami(&admin).unwrap().person;
        let a = oa.list_grants(&admin, Some(me)).unwrap();
        let admin_grant = a.iter().find(|g| g.role == ROLE_ADMIN).unwrap().id;
        // `sys` (system administrator) turns the option on once `admin` is gone.
        let sec_session = oa.sign_in("sec", "sec second Passw0rd!").unwrap();
        oa.revoke_grant(&sec_session, admin_grant).unwrap();
        sec_session
    };
    oa.set_param(&sys_s, "security.separation_of_duties", ParamValue::Bool(true)).unwrap();

    // Now a second role is refused, and so is `admin`.
    let e =
        oa.grant_role(&sec_s, NewGrant { person: sys, role: ROLE_AUDITOR.into(), limit_to_dept: None }).unwrap_err();
    assert_eq!(e.field_errors()[0].path, "role");
    let e = oa.grant_role(&sec_s, NewGrant { person: sec, role: ROLE_ADMIN.into(), limit_to_dept: None }).unwrap_err();
    assert_eq!(e.code(), "validation");
    // The security administrator does not read the audit log.
    assert!(!oa.check_permission(&sec_s, "audit.log.read", None, None).unwrap());
}

#[test]
fn the_operations_are_listed() {
    for op in OPERATIONS {
        assert!(crate::operations::all().contains(op), "{op}");
    }
    assert_eq!(OPERATIONS.iter().collect::<HashSet<_>>().len(), OPERATIONS.len());
}
