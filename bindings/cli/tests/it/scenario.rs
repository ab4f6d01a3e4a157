//! One office from start to finish with separation of duties (三员分立): the system
//! administrator builds the organisation, the security administrator grants roles and resets
//! passwords, staff sign in, the auditor reads and verifies the log.

use crate::support::{demo, fails, id, json, Office};

const SYS: (&str, &str) = ("sys", "system admin password");
const SEC: (&str, &str) = ("sec", "security admin password");
const AUD: (&str, &str) = ("aud", "auditor password 123");

#[test]
fn an_office_with_separation_of_duties() {
    let office = Office::empty();
    let done = json(
        office
            .bare()
            .args(["init", "Acme Ltd", "--admin", SYS.0, "--admin-name", "Sys Admin", "--separation-of-duties"])
            .args(["--security-admin", SEC.0, "--security-admin-name", "Sec Admin"])
            .args(["--auditor", AUD.0, "--auditor-name", "Audrey Auditor"])
            .env("OA_PASSWORD", SYS.1)
            .env("OA_SECURITY_ADMIN_PASSWORD", SEC.1)
            .env("OA_AUDITOR_PASSWORD", AUD.1),
    );
    assert_eq!(done["separation_of_duties"], true);
    let sys = || office.signed(SYS.0, SYS.1);
    let sec = || office.signed(SEC.0, SEC.1);
    let aud = || office.signed(AUD.0, AUD.1);

    // The system administrator builds the organisation but cannot grant roles.
    sys().arg("import-org").arg(demo("departments.csv")).arg(demo("people.csv")).assert().success();
    let clerk = json(sys().args(["people", "show", "u0010"]));
    let clerk_id = id(&clerk);
    let err = fails(sys().args(["grants", "add", "u0010", "admin"]), 4);
    assert!(err.starts_with("error[permission_denied]: "), "{err}");

    // The security administrator does not read people; they name them by id.
    fails(sec().args(["people", "show", "u0010"]), 4);
    let reader = json(sec().args([
        "roles",
        "create",
        "fin_reader",
        "--name",
        "Finance reader",
        "--permission",
        "org.person.read,org.dept.read",
        "--scope",
        "own_dept_and_below",
    ]));
    assert_eq!(reader["code"], "fin_reader");
    json(sec().args(["grants", "add", &clerk_id, "fin_reader"]));
    sec().args(["people", "reset-password", &clerk_id]).env("OA_NEW_PASSWORD", "clerk first pass").assert().success();

    // The clerk changes the password and reads their own department only.
    office
        .signed("u0010", "clerk first pass")
        .arg("passwd")
        .env("OA_NEW_PASSWORD", "clerk chosen pass")
        .assert()
        .success();
    let clerk_session = || office.signed("u0010", "clerk chosen pass");
    let mine = json(clerk_session().args(["people", "list", "--dept", "FIN-AP", "--all"]));
    assert!(!mine["items"].as_array().expect("items").is_empty());
    let hr = id(&json(sys().args(["dept", "show", "HR"])));
    let outside = json(clerk_session().args(["people", "list", "--dept", &hr]));
    assert!(outside["items"].as_array().expect("items").is_empty(), "{outside}");
    let check = json(clerk_session().args(["perms", "check", "u0010", "org.person.read", "--dept", &hr]));
    assert_eq!(check["allowed"], false);

    // The auditor reads the log, finds the denied attempts and verifies the chain; the others
    // cannot.
    let denied = json(aud().args(["audit", "list", "--all"]));
    let denied: Vec<&serde_json::Value> =
        denied["items"].as_array().expect("items").iter().filter(|r| r["outcome"] == "denied").collect();
    assert!(denied.iter().any(|r| r["actor_login"] == SYS.0 && r["operation"] == "perm.grant.create"), "{denied:?}");
    assert!(denied.iter().any(|r| r["actor_login"] == SEC.0), "{denied:?}");
    let report = json(aud().args(["audit", "verify"]));
    assert!(report["first_mismatch"].is_null());
    fails(sys().args(["audit", "verify"]), 4);
    fails(sec().args(["audit", "list"]), 4);
    let sys_id = id(&json(sys().args(["people", "show", SYS.0])));
    let by_sys = json(aud().args(["audit", "list", "--actor", &sys_id, "--operation", "org.import"]));
    assert_eq!(by_sys["items"].as_array().map(Vec::len), Some(1));
}
