//! Signing in, passwords and sessions.

use predicates::prelude::*;

use crate::support::{fails, json, text, Office, ADMIN_PASSWORD};

#[test]
fn whoami_shows_the_person_and_their_permissions() {
    let office = Office::init();
    let me = json(office.admin().arg("whoami"));
    assert_eq!(me["login"], "admin");
    assert_eq!(me["name"], "Ada Admin");
    assert_eq!(me["must_change_password"], false);
    let perms: Vec<&str> = me["permissions"].as_array().expect("a list").iter().filter_map(|p| p.as_str()).collect();
    assert!(perms.contains(&"org.person.read"), "{perms:?}");
    office.admin().arg("whoami").assert().success().stdout(predicate::str::contains("Ada Admin"));
}

#[test]
fn a_reset_password_must_be_changed_before_anything_else() {
    let office = Office::imported();
    office
        .admin()
        .args(["people", "reset-password", "u0002"])
        .env("OA_NEW_PASSWORD", "given by the admin 1")
        .assert()
        .success()
        .stdout(predicate::str::contains("reset"));

    // Signed in with the reset password: only whoami and passwd work.
    let me = json(office.signed("u0002", "given by the admin 1").arg("whoami"));
    assert_eq!(me["must_change_password"], true);
    let err = fails(office.signed("u0002", "given by the admin 1").args(["sessions", "list"]), 4);
    assert!(err.starts_with("error[password_change_required]: "), "{err}");
    assert!(err.contains("oa passwd"), "{err}");

    // A new password that breaks the policy is refused, naming the field.
    let err = fails(office.signed("u0002", "given by the admin 1").arg("passwd").env("OA_NEW_PASSWORD", "short"), 3);
    assert!(err.contains("  new_password: "), "{err}");

    office
        .signed("u0002", "given by the admin 1")
        .arg("passwd")
        .env("OA_NEW_PASSWORD", "chosen by u0002 now")
        .assert()
        .success();
    let me = json(office.signed("u0002", "chosen by u0002 now").arg("whoami"));
    assert_eq!(me["must_change_password"], false);
    fails(office.signed("u0002", "given by the admin 1").arg("whoami"), 4);
}

#[test]
fn passwd_reads_old_and_new_passwords_from_standard_input() {
    let office = Office::init();
    office
        .bare()
        .args(["--login", "admin", "--password-stdin", "passwd"])
        .write_stdin(format!("{ADMIN_PASSWORD}\na brand new passphrase\n"))
        .assert()
        .success();
    office.signed("admin", "a brand new passphrase").arg("whoami").assert().success();
}

#[test]
fn sessions_are_listed_and_revoked() {
    let office = Office::imported();
    office.give_password("u0003", "u0003 password 1");
    // A session left open by another client of the office (each command signs out when done).
    let leave_open = |login: &str, password: &str| {
        let oa = oa::open_folder(&office.data).expect("the office opens");
        oa.sign_in(login, password).expect("signed in");
    };
    leave_open("admin", ADMIN_PASSWORD);
    let mine = json(office.admin().args(["sessions", "list"]));
    let mine = mine.as_array().expect("a list");
    assert_eq!(mine.len(), 2, "{mine:?}");
    let other = mine.iter().find(|s| s["current"] == false).expect("the other session");
    let other_id = other["id"].as_str().expect("an id").to_string();
    office.admin().args(["sessions", "revoke", &other_id]).assert().success();
    let after = json(office.admin().args(["sessions", "list"]));
    assert_eq!(after.as_array().map(Vec::len), Some(1));

    leave_open("u0003", "u0003 password 1");
    leave_open("u0003", "u0003 password 1");
    let theirs = json(office.admin().args(["sessions", "list", "u0003"]));
    assert_eq!(theirs.as_array().map(Vec::len), Some(2));
    let revoked = json(office.admin().args(["sessions", "revoke-all", "u0003"]));
    assert_eq!(revoked, 2);
    let table = text(office.admin().args(["sessions", "list", "u0003"]));
    assert_eq!(table.lines().filter(|l| l.contains("┆")).count(), 1, "only the header: {table}");
    fails(office.admin().args(["sessions", "revoke", &other_id]), 4);
}
