//! Importing, people and departments.

use std::collections::HashSet;

use predicates::prelude::*;

use crate::support::{demo, fails, id, json, text, Office};

/// The data rows of a demo CSV file (the demo files hold no quoted cells).
fn rows(file: &str) -> Vec<Vec<String>> {
    let all = std::fs::read_to_string(demo(file)).expect("the demo file");
    all.lines().skip(1).filter(|l| !l.is_empty()).map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn the_demo_files_import_and_list_as_json_and_as_a_table() {
    let office = Office::init();
    let report = json(office.admin().arg("import-org").arg(demo("departments.csv")).arg(demo("people.csv")));
    assert_eq!(report["departments_created"], rows("departments.csv").len());
    assert_eq!(report["people_created"], rows("people.csv").len());

    // A page of people as JSON, then every page.
    let page = json(office.admin().args(["people", "list", "--limit", "10"]));
    assert_eq!(page["items"].as_array().map(Vec::len), Some(10));
    assert!(page["next_cursor"].is_string());
    let all = json(office.admin().args(["people", "list", "--all", "--limit", "100"]));
    let logins: HashSet<&str> =
        all["items"].as_array().expect("items").iter().filter_map(|p| p["login"].as_str()).collect();
    assert_eq!(logins.len(), rows("people.csv").len() + 1, "the demo people and the administrator");

    // One department's subtree, by code.
    let fin_codes = ["FIN", "FIN-AP", "FIN-AR"];
    let expected = rows("people.csv").iter().filter(|r| fin_codes.contains(&r[4].as_str())).count();
    let fin = json(office.admin().args(["people", "list", "--dept", "FIN", "--subtree", "--all"]));
    assert_eq!(fin["items"].as_array().map(Vec::len), Some(expected));
    let own = json(office.admin().args(["people", "list", "--dept", "fin", "--all"]));
    assert!(own["items"].as_array().map(Vec::len) < Some(expected));

    // The table: a header and a row per person, with department names.
    let out = text(office.admin().args(["people", "list", "--dept", "FIN-AP", "--limit", "100"]));
    assert!(out.contains("login") && out.contains("department"), "{out}");
    assert!(out.contains("应付组 Payables"), "{out}");
    let filtered = json(office.admin().args(["people", "list", "--search", "u0001", "--status", "active"]));
    assert_eq!(filtered["items"][0]["login"], "u0001");
}

#[test]
fn an_import_with_bad_rows_reports_each_of_them() {
    let office = Office::init();
    let dir = tempfile::tempdir().expect("a directory");
    let depts = dir.path().join("d.csv");
    let people = dir.path().join("p.csv");
    std::fs::write(&depts, "code,name,parent_code\nA,Alpha,\nB,,A\n").expect("written");
    std::fs::write(&people, "login,name,dept_code,email\nx,Xavier,A,not-an-email\nok,Okay,NOPE,\n").expect("written");
    let err = fails(office.admin().arg("import-org").arg(&depts).arg(&people), 3);
    assert!(err.lines().count() >= 4, "{err}");
    assert!(err.lines().skip(1).all(|l| l.starts_with("  ")), "{err}");
    assert!(err.contains("people.csv:2.email"), "{err}");
    let err = fails(office.admin().arg("import-org").arg(dir.path().join("missing.csv")).arg(&people), 1);
    assert!(err.starts_with("error[io]: "), "{err}");
}

#[test]
fn people_are_created_changed_moved_and_retired() {
    let office = Office::imported();
    let zoe = json(
        office
            .admin()
            .args(["people", "add", "zoe", "Zoë Example", "--dept", "HR", "--email", "zoe@acme.example"])
            .args(["--superior", "u0001", "--position", "Clerk", "--set-password"])
            .env("OA_NEW_PASSWORD", "zoe first password"),
    );
    assert_eq!(zoe["login"], "zoe");
    assert_eq!(zoe["status"], "active");
    let zoe_id = id(&zoe);
    let me = json(office.signed("zoe", "zoe first password").arg("whoami"));
    assert_eq!(me["must_change_password"], true);

    let shown = json(office.admin().args(["people", "show", "--id", &zoe_id]));
    assert_eq!(shown["login"], "zoe");
    office.admin().args(["people", "show", "zoe"]).assert().success().stdout(predicate::str::contains("Zoë Example"));

    let err = fails(office.admin().args(["people", "update", "zoe", "--email", "nope", "--phone", "x"]), 3);
    assert!(err.contains("  email: ") && err.contains("  phone: "), "{err}");
    let updated =
        json(office.admin().args(["people", "update", "zoe", "--name", "Zoë E.", "--clear-superior", "--email", ""]));
    assert_eq!(updated["name"], "Zoë E.");
    assert!(updated["superior"].is_null() && updated["email"].is_null());
    let updated = json(office.admin().args(["people", "update", "zoe", "--superior", "u0026"]));
    let superiors = json(office.admin().args(["people", "superiors", "zoe"]));
    assert_eq!(superiors[0]["login"], "u0026");
    assert_eq!(updated["superior"], superiors[0]["id"]);

    let moved = json(office.admin().args(["people", "transfer", "zoe", "LEGAL", "--position", "Paralegal"]));
    assert_eq!(moved["position"], "Paralegal");
    let head = json(office.admin().args(["people", "head-above", "zoe"]));
    assert!(head.is_null(), "LEGAL has no head yet: {head}");
    json(office.admin().args(["dept", "head", "LEGAL", "u0034"]));
    let head = json(office.admin().args(["people", "head-above", "zoe", "--levels", "0"]));
    assert_eq!(head["login"], "u0034");

    let posted = json(office.admin().args(["people", "add-post", "zoe", "HR", "--position", "Advisor"]));
    assert_eq!(posted["posts"].as_array().map(Vec::len), Some(1));
    let unposted = json(office.admin().args(["people", "remove-post", "zoe", "HR"]));
    assert_eq!(unposted["posts"].as_array().map(Vec::len), Some(0));

    assert_eq!(json(office.admin().args(["people", "disable", "zoe"]))["status"], "disabled");
    fails(office.signed("zoe", "zoe first password").arg("whoami"), 4);
    assert_eq!(json(office.admin().args(["people", "enable", "zoe"]))["status"], "active");
    assert_eq!(json(office.admin().args(["people", "left", "zoe"]))["status"], "left");
    let renamed = json(office.admin().args(["people", "update", "zoe", "--new-login", "zoe.e"]));
    assert_eq!(renamed["login"], "zoe.e");
}

#[test]
fn departments_are_drawn_created_and_changed() {
    let office = Office::imported();
    let tree = text(office.admin().args(["dept", "tree"]));
    assert!(tree.starts_with("Acme Ltd"), "{tree}");
    assert!(tree.contains("└── ") && tree.contains("[FIN-AP]"), "{tree}");
    let fin = json(office.admin().args(["dept", "tree", "--root", "FIN"]));
    assert_eq!(fin.as_array().map(Vec::len), Some(3));
    let children = json(office.admin().args(["dept", "children", "FIN"]));
    assert_eq!(children.as_array().map(Vec::len), Some(2));
    office.admin().args(["dept", "list"]).assert().success().stdout(predicate::str::contains("FIN-AR"));

    // The root has no code: it is named by its name.
    let lab =
        json(office.admin().args(["dept", "add", "Lab", "--parent", "Acme Ltd", "--code", "LAB", "--head", "u0189"]));
    assert_eq!(lab["code"], "LAB");
    let sub = json(office.admin().args(["dept", "add", "Bench", "--parent", "LAB", "--sort-order", "-5"]));
    assert_eq!(sub["sort_order"], -5);
    let err = fails(office.admin().args(["dept", "add", "Bench", "--parent", "LAB"]), 3);
    assert!(err.contains("  name: "), "{err}");

    let renamed = json(office.admin().args(["dept", "rename", "LAB", "Laboratory"]));
    assert_eq!(renamed["name"], "Laboratory");
    let moved = json(office.admin().args(["dept", "move", "Bench", "--parent", "RD"]));
    assert_eq!(moved["parent"], json(office.admin().args(["dept", "show", "RD"]))["id"]);
    let err = fails(office.admin().args(["dept", "move", "RD", "--parent", "Bench"]), 3);
    assert!(err.contains("  parent: "), "{err}");
    let reordered = json(office.admin().args(["dept", "reorder", "Bench", "3"]));
    assert_eq!(reordered["sort_order"], 3);
    let rooted = json(office.admin().args(["dept", "move", "Bench", "--root"]));
    assert!(rooted["parent"].is_null());

    let cleared = json(office.admin().args(["dept", "head", "LAB", "--clear"]));
    assert!(cleared["head"].is_null());
    assert_eq!(json(office.admin().args(["dept", "disable", "LAB"]))["status"], "disabled");
    assert_eq!(json(office.admin().args(["dept", "enable", "LAB"]))["status"], "active");
    let err = fails(office.admin().args(["dept", "disable", "FIN"]), 3);
    assert!(err.starts_with("error[invalid_state]: "), "{err}");
}
