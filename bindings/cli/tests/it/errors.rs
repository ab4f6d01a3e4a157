//! Errors: `error[code]: message` on standard error, one line per failing field, and the exit
//! code of the error's family.

use predicates::prelude::*;

use crate::support::{fails, Office, ADMIN_PASSWORD};

#[test]
fn a_missing_data_folder_is_named_and_not_created() {
    let office = Office::empty();
    let err = fails(office.admin().arg("whoami"), 5);
    assert!(err.starts_with("error[incompatible_store]: "), "{err}");
    assert!(err.contains("does not exist"), "{err}");
    assert!(!office.data.exists(), "the folder was created");
}

#[test]
fn a_folder_that_is_not_an_office_is_refused() {
    let office = Office::empty();
    std::fs::create_dir_all(&office.data).expect("a folder");
    std::fs::write(office.data.join("notes.txt"), "not an office").expect("a file");
    let err = fails(office.admin().arg("whoami"), 5);
    assert!(err.starts_with("error[incompatible_store]: "), "{err}");
}

#[test]
fn an_empty_folder_says_to_initialise_first() {
    let office = Office::empty();
    std::fs::create_dir_all(&office.data).expect("a folder");
    let err = fails(office.admin().arg("whoami"), 5);
    assert!(err.contains("no office yet"), "{err}");
    assert!(err.contains("oa init"), "{err}");
}

#[test]
fn a_wrong_password_is_unauthenticated() {
    let office = Office::init();
    let err = fails(office.signed("admin", "not the password").arg("whoami"), 4);
    assert!(err.starts_with("error[unauthenticated]: "), "{err}");
    let err = fails(office.signed("nobody", ADMIN_PASSWORD).arg("whoami"), 4);
    assert!(err.starts_with("error[unauthenticated]: "), "{err}");
}

#[test]
fn without_a_terminal_a_missing_password_fails_at_once() {
    let office = Office::init();
    let err = fails(office.bare().args(["--login", "admin", "whoami"]), 2);
    assert!(err.starts_with("error[usage]: "), "{err}");
    assert!(err.contains("OA_PASSWORD"), "{err}");
    let err = fails(office.bare().arg("whoami"), 2);
    assert!(err.contains("OA_LOGIN"), "{err}");
}

#[test]
fn passwords_can_come_from_standard_input() {
    let office = Office::init();
    office
        .bare()
        .args(["--login", "admin", "--password-stdin", "whoami"])
        .write_stdin(format!("{ADMIN_PASSWORD}\n"))
        .assert()
        .success()
        .stdout(predicate::str::contains("Ada Admin"));
    let err = fails(office.bare().args(["--login", "admin", "--password-stdin", "whoami"]).write_stdin(""), 2);
    assert!(err.contains("standard input"), "{err}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let office = Office::init();
    office.admin().args(["people", "frobnicate"]).assert().code(2);
    office.admin().args(["grants", "revoke", "not-an-id"]).assert().code(2);
    office.admin().args(["audit", "list", "--from", "yesterday"]).assert().code(2);
    let err = fails(office.admin().args(["roles", "create", "r1", "--name", "R", "--scope", "everything"]), 2);
    assert!(err.contains("not a data scope"), "{err}");
    office.bare().arg("--help").assert().success().stdout(predicate::str::contains("import-org"));
}

#[test]
fn a_folder_held_by_another_process_gets_the_lock_error() {
    let office = Office::init();
    // This test process holds the folder the way a running server would.
    let held = oa::open_folder(&office.data).expect("the office opens");
    let err = fails(office.admin().arg("whoami"), 5);
    assert!(err.starts_with("error[incompatible_store]: "), "{err}");
    assert!(err.contains("in use by another process"), "{err}");
    drop(held);
    office.admin().arg("whoami").assert().success();
}

#[test]
fn init_reports_every_bad_field_and_leaves_no_folder() {
    let office = Office::empty();
    let err =
        fails(office.bare().args(["init", " ", "--admin", "x", "--admin-name", "Ada"]).env("OA_PASSWORD", "short"), 3);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "error[validation]: invalid input (3 fields)", "{err}");
    assert!(lines.iter().any(|l| l.starts_with("  office_name: ")), "{err}");
    assert!(lines.iter().any(|l| l.starts_with("  admin_login: ")), "{err}");
    assert!(lines.iter().any(|l| l.starts_with("  admin_password: ")), "{err}");
    assert!(!office.data.exists());
}

#[test]
fn init_twice_is_refused() {
    let office = Office::init();
    let err = fails(
        office
            .bare()
            .args(["init", "Again", "--admin", "admin", "--admin-name", "Ada"])
            .env("OA_PASSWORD", ADMIN_PASSWORD),
        3,
    );
    assert!(err.starts_with("error[invalid_state]: "), "{err}");
}

#[test]
fn not_found_and_permission_denied_share_an_exit_code() {
    let office = Office::imported();
    let err = fails(office.admin().args(["people", "show", "nobody"]), 4);
    assert!(err.starts_with("error[not_found]: "), "{err}");
    let err = fails(office.admin().args(["dept", "show", "NO-SUCH-DEPT"]), 4);
    assert!(err.starts_with("error[not_found]: "), "{err}");
    office.give_password("u0005", "u0005 password 1");
    let err = fails(office.signed("u0005", "u0005 password 1").args(["people", "list"]), 4);
    assert!(err.starts_with("error[permission_denied]: "), "{err}");
}
