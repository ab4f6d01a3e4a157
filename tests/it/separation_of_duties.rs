//! Separation of duties (三员分立): a system administrator, a security administrator and a
//! security auditor, none holding two of the roles, and only the auditor reading the audit log.

use oa::{AuditQuery, InitAccount, InitOffice, NewGrant, NewPerson, PageRequest};

use crate::support::{office_with, on_every_backend};

fn three_officers_each_do_only_their_part(backend: &str) {
    let init = InitOffice::new("Bureau", "sysadmin", "系统管理员", "sys-passphrase-1").with_separation_of_duties(
        InitAccount::new("secadmin", "安全管理员", "sec-passphrase-1"),
        InitAccount::new("auditor", "安全审计员", "aud-passphrase-1"),
    );
    let o = office_with(backend, init);
    let oa = &o.oa;
    let sys = &o.admin;
    let sec = oa.sign_in("secadmin", "sec-passphrase-1").unwrap();
    let aud = oa.sign_in("auditor", "aud-passphrase-1").unwrap();

    // The system administrator runs the organisation but neither grants roles nor reads the log.
    let root = oa.list_departments(sys).unwrap()[0].id;
    let clerk = oa.create_person(sys, NewPerson::new("clerk", "Clerk", root)).unwrap();
    assert_eq!(
        oa.list_audit(sys, AuditQuery::default(), PageRequest::first(5)).unwrap_err().code(),
        "permission_denied"
    );
    assert_eq!(
        oa.grant_role(sys, NewGrant { person: clerk.id, role: "auditor".into(), limit_to_dept: None })
            .unwrap_err()
            .code(),
        "permission_denied"
    );
    // The security administrator grants, but cannot create people or read the log.
    assert_eq!(oa.create_person(&sec, NewPerson::new("x1", "X", root)).unwrap_err().code(), "permission_denied");
    assert_eq!(
        oa.list_audit(&sec, AuditQuery::default(), PageRequest::first(5)).unwrap_err().code(),
        "permission_denied"
    );
    // Nobody holds two of the three roles.
    let sys_id = oa.whoami(sys).unwrap().person;
    let second =
        oa.grant_role(&sec, NewGrant { person: sys_id, role: "auditor".into(), limit_to_dept: None }).unwrap_err();
    assert_eq!(second.code(), "validation", "{second}");
    // Turning separation of duties off is a security decision, and turning it on again checks
    // that nobody holds two roles.
    // The auditor reads the log, including the denied attempts above, and verifies the chain.
    let denied = oa
        .list_audit(&aud, AuditQuery { actor: Some(sys_id), ..AuditQuery::default() }, PageRequest::first(50))
        .unwrap()
        .items
        .into_iter()
        .filter(|r| r.outcome == oa::AuditOutcome::Denied)
        .count();
    assert_eq!(denied, 2);
    assert!(oa.verify_audit_chain(&aud).unwrap().is_intact());
    assert_eq!(oa.create_person(&aud, NewPerson::new("x2", "X", root)).unwrap_err().code(), "permission_denied");
}

on_every_backend!(three_officers_each_do_only_their_part);
