//! Roles, grants and permission checks.

use predicates::prelude::*;

use crate::support::{fails, id, json, text, Office};

#[test]
fn roles_are_created_changed_and_deleted() {
    let office = Office::init();
    let roles = json(office.admin().args(["roles", "list"]));
    assert!(roles.as_array().expect("a list").iter().any(|r| r["code"] == "admin" && r["builtin"] == true));
    office.admin().args(["roles", "list"]).assert().success().stdout(predicate::str::contains("auditor"));

    let clerk = json(office.admin().args([
        "roles",
        "create",
        "clerk",
        "--name",
        "Clerk",
        "--permission",
        "org.person.read,org.dept.read",
        "--scope",
        "own_dept_and_below",
    ]));
    assert_eq!(clerk["data_scope"]["kind"], "own_dept_and_below");
    assert_eq!(clerk["permissions"].as_array().map(Vec::len), Some(2));
    let err = fails(
        office.admin().args(["roles", "create", "Bad Code", "--name", "", "--permission", "no.such", "--scope", "all"]),
        3,
    );
    assert!(err.contains("  code: ") && err.contains("  name: "), "{err}");

    let changed =
        json(office.admin().args(["roles", "update", "clerk", "--description", "front desk", "--permissions"]));
    assert_eq!(changed["description"], "front desk");
    assert_eq!(changed["permissions"].as_array().map(Vec::len), Some(0));
    let scoped = json(office.admin().args(["roles", "update", "clerk", "--scope", "depts:Acme Ltd"]));
    assert_eq!(scoped["data_scope"]["kind"], "depts");
    let shown = json(office.admin().args(["roles", "show", "clerk"]));
    assert_eq!(shown["name"], "Clerk");
    let err = fails(office.admin().args(["roles", "delete", "admin"]), 3);
    assert!(err.starts_with("error["), "{err}");
    office.admin().args(["roles", "delete", "clerk"]).assert().success();
    fails(office.admin().args(["roles", "show", "clerk"]), 4);
}

#[test]
fn grants_give_scoped_permissions_that_checks_report() {
    let office = Office::imported();
    office.give_password("u0007", "u0007 password 1");
    let u0007 = |args: &[&str]| {
        let mut cmd = office.signed("u0007", "u0007 password 1");
        cmd.args(args);
        cmd
    };
    // Without a grant, u0007 sees nothing.
    fails(&mut u0007(&["people", "list"]), 4);
    let check = json(office.admin().args(["perms", "check", "u0007", "org.person.read"]));
    assert_eq!(check["allowed"], false);

    let grant = json(office.admin().args(["grants", "add", "u0007", "admin", "--limit-to", "FIN"]));
    assert_eq!(grant["role"], "admin");
    let grant_id = id(&grant);
    let listed = json(office.admin().args(["grants", "list", "u0007"]));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    let everyone = json(office.admin().args(["grants", "list"]));
    assert_eq!(everyone.as_array().map(Vec::len), Some(2));
    let table = text(office.admin().args(["grants", "list"]));
    assert!(table.contains("u0007") && table.contains("财务部 Finance"), "{table}");

    // Inside Finance u0007 now reads people; outside it they do not.
    let fin = json(&mut u0007(&["people", "list", "--dept", "FIN", "--subtree", "--all"]));
    assert!(!fin["items"].as_array().expect("items").is_empty());
    let yes = json(&mut u0007(&["perms", "check", "u0007", "org.person.read", "--dept", "FIN-AP"]));
    assert_eq!(yes["allowed"], true);
    // HR lies outside what u0007 sees: its code is refused, its id still answers the question.
    let hr = id(&json(office.admin().args(["dept", "show", "HR"])));
    let err = fails(&mut u0007(&["perms", "check", "u0007", "org.person.read", "--dept", "HR"]), 4);
    assert!(err.starts_with("error[permission_denied]: "), "{err}");
    let no = json(&mut u0007(&["perms", "check", "u0007", "org.person.read", "--dept", &hr]));
    assert_eq!(no["allowed"], false);
    let owner =
        json(&mut u0007(&["perms", "check", "u0007", "org.person.update", "--dept", "FIN", "--owner", "u0008"]));
    assert_eq!(owner["allowed"], true);
    let err = fails(&mut u0007(&["perms", "check", "u0007", "no.such.permission"]), 3);
    assert!(err.contains("  permission: "), "{err}");
    let scope = json(&mut u0007(&["perms", "scope", "org.person.read"]));
    assert_eq!(scope["all"], false);
    assert_eq!(scope["subtrees"].as_array().map(Vec::len), Some(1));
    u0007(&["perms", "scope", "org.person.read"]).assert().success().stdout(predicate::str::contains("财务部 Finance"));

    // The administrator sees the same through the catalogue and another person's permissions.
    let check = json(office.admin().args(["perms", "check", "u0007", "org.person.read"]));
    assert_eq!(check["allowed"], true);
    let outside = json(office.admin().args(["perms", "check", "u0007", "org.person.read", "--dept", "HR"]));
    assert_eq!(outside["allowed"], false);
    let inside = json(office.admin().args(["perms", "check", "u0007", "org.person.read", "--dept", "FIN-AP"]));
    assert_eq!(inside["allowed"], true);
    let err = fails(office.admin().args(["perms", "check", "u0007", "no.such.permission"]), 3);
    assert!(err.contains("  permission: "), "{err}");
    let held = json(office.admin().args(["perms", "of", "u0007"]));
    assert!(held.as_array().expect("a list").iter().any(|p| p == "org.person.read"));
    let catalogue = json(office.admin().args(["perms", "list"]));
    assert!(catalogue.as_array().expect("a list").iter().any(|p| p["name"] == "audit.log.verify"));

    office.admin().args(["grants", "revoke", &grant_id]).assert().success();
    assert_eq!(json(office.admin().args(["grants", "list", "u0007"])).as_array().map(Vec::len), Some(0));
    fails(&mut u0007(&["people", "list"]), 4);
    fails(office.admin().args(["grants", "revoke", &grant_id]), 4);
}
