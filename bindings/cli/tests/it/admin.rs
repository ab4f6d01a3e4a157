//! Parameters, the audit log and the parity table.

use predicates::prelude::*;

use crate::support::{fails, json, text, Office};

#[test]
fn parameters_are_listed_set_checked_and_reset() {
    let office = Office::init();
    let all = json(office.admin().args(["params", "list"]));
    assert!(all.as_array().expect("a list").iter().any(|p| p["def"]["key"] == "auth.lockout.threshold"));

    let err = fails(office.admin().args(["params", "set", "auth.lockout.threshold", "1000"]), 3);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "error[validation]: invalid input (1 field)");
    assert!(lines[1].starts_with("  value: ") && lines[1].contains("1 to 100"), "{err}");
    let err = fails(office.admin().args(["params", "set", "no.such.key", "1"]), 3);
    assert!(err.contains("  key: "), "{err}");

    let set = json(office.admin().args(["params", "set", "auth.lockout.threshold", "7"]));
    assert_eq!(set["value"], 7);
    assert_eq!(set["is_default"], false);
    let yes = json(office.admin().args(["params", "set", "auth.session.idle_minutes", "45"]));
    assert_eq!(yes["value"], 45);
    let got = json(office.admin().args(["params", "get", "auth.lockout.threshold"]));
    assert_eq!(got["value"], 7);
    let reset = json(office.admin().args(["params", "reset", "auth.lockout.threshold"]));
    assert_eq!(reset["is_default"], true);
    office.admin().args(["params", "list"]).assert().success().stdout(predicate::str::contains("office.name"));
}

#[test]
fn the_audit_log_lists_pages_and_verifies() {
    let office = Office::imported();
    let imports = json(office.admin().args(["audit", "list", "--operation", "org.import"]));
    let items = imports["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["actor_login"], "admin");
    let seq = items[0]["seq"].as_u64().expect("a number");

    let one = json(office.admin().args(["audit", "show", &seq.to_string()]));
    assert_eq!(one["operation"], "org.import");
    let target = one["target"].as_str().expect("a target").to_string();
    let by_target = json(office.admin().args(["audit", "list", "--target", &target]));
    assert!(!by_target["items"].as_array().expect("items").is_empty());

    // Paging by cursor: two pages of two, newest first, without overlap.
    let first = json(office.admin().args(["audit", "list", "--limit", "2", "--actor", "admin"]));
    let cursor = first["next_cursor"].as_str().expect("a next page").to_string();
    let second = json(office.admin().args(["audit", "list", "--limit", "2", "--actor", "admin", "--cursor", &cursor]));
    let seqs = |v: &serde_json::Value| -> Vec<u64> {
        v["items"].as_array().expect("items").iter().filter_map(|r| r["seq"].as_u64()).collect()
    };
    let (a, b) = (seqs(&first), seqs(&second));
    assert_eq!((a.len(), b.len()), (2, 2));
    assert!(a[1] > b[0], "{a:?} then {b:?}");

    let future = json(office.admin().args(["audit", "list", "--from", "2999-01-01"]));
    assert!(future["items"].as_array().expect("items").is_empty());
    let until = json(office.admin().args(["audit", "list", "--to", "2000-01-01T00:00:00Z"]));
    assert!(until["items"].as_array().expect("items").is_empty());
    let every = json(office.admin().args(["audit", "list", "--all", "--limit", "3"]));
    assert!(every["next_cursor"].is_null());
    assert!(every["items"].as_array().expect("items").len() > 6);

    let table = text(office.admin().args(["audit", "list", "--limit", "5"]));
    assert!(table.contains("auth.sign_in"), "{table}");

    let report = json(office.admin().args(["audit", "verify"]));
    assert!(report["first_mismatch"].is_null());
    assert!(report["checked"].as_u64().expect("a number") > 5);
    office.admin().args(["audit", "verify"]).assert().success().stdout(predicate::str::contains("head hash"));
}

#[test]
fn every_core_operation_is_exposed_or_explained() {
    let office = Office::empty();
    let rows = json(office.bare().arg("operations"));
    let rows = rows.as_array().expect("a list");
    let names: Vec<&str> = rows.iter().filter_map(|r| r["operation"].as_str()).collect();
    let core: Vec<&str> = oa::operations::all().into_iter().chain(oa::operations::pending()).collect();
    assert_eq!(names, core, "all() then pending(), in the core's order");
    for row in rows {
        let detail = row["exposure"]["detail"].as_str().unwrap_or_default();
        assert!(!detail.contains("not decided"), "{row}");
        // The rows of all() keep their fields; the pending ones say so.
        let pending = oa::operations::pending().contains(&row["operation"].as_str().unwrap_or_default());
        assert_eq!(row.get("pending").and_then(|p| p.as_bool()), pending.then_some(true), "{row}");
    }
    office.bare().arg("operations").assert().success().stdout(predicate::str::contains("oa people list"));
}
