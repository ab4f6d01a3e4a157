//! Document numbering (文号): rules, previews that consume nothing, numbers issued in sequence.

use serde_json::Value;

use crate::support::{fails, json, text, Office};

/// Creates the rule `key` with `pattern` and extra arguments, expecting success.
fn create(office: &Office, key: &str, name: &str, pattern: &str, extra: &[&str]) -> Value {
    json(office.admin().args(["numbering", "create", key, "--name", name, "--pattern", pattern]).args(extra))
}

#[test]
fn rules_are_created_listed_and_changed() {
    let office = Office::init();
    let rule = create(&office, "office_doc", "发文字号", "办〔{year}〕{seq}号", &[]);
    assert_eq!(rule["key"], "office_doc");
    assert_eq!(rule["reset"], "yearly");
    assert_eq!(rule["seq_width"], 0);
    create(&office, "contract", "Contracts", "HT-{seq}", &["--width", "4", "--reset", "never"]);

    let all = json(office.admin().args(["numbering", "list"]));
    let keys: Vec<&str> = all.as_array().expect("a list").iter().filter_map(|r| r["key"].as_str()).collect();
    assert_eq!(keys, ["contract", "office_doc"]);
    let table = text(office.admin().args(["numbering", "list"]));
    assert!(table.contains("办〔{year}〕{seq}号") && table.contains("never"), "{table}");
    assert_eq!(json(office.admin().args(["numbering", "show", "office_doc"])), rule);

    let changed = json(office.admin().args([
        "numbering",
        "update",
        "office_doc",
        "--pattern",
        "办发〔{year}〕{seq}号",
        "--width",
        "3",
    ]));
    assert_eq!(changed["pattern"], "办发〔{year}〕{seq}号");
    assert_eq!(changed["seq_width"], 3);
    assert_eq!(changed["name"], "发文字号");
    let preview = text(office.admin().args(["numbering", "preview", "office_doc"]));
    assert!(preview.trim().starts_with("办发〔") && preview.trim().ends_with("〕001号"), "{preview}");

    let err = fails(office.admin().args(["numbering", "show", "nope"]), 4);
    assert!(err.starts_with("error[not_found]: "), "{err}");
    let err = fails(
        office.admin().args([
            "numbering",
            "create",
            "contract",
            "--name",
            "Again",
            "--pattern",
            "X{seq}",
            "--reset",
            "never",
        ]),
        3,
    );
    assert!(err.contains("  key: ") && err.contains("already exists"), "{err}");
}

#[test]
fn a_preview_consumes_nothing_and_issues_follow_the_sequence() {
    let office = Office::init();
    create(&office, "contract", "Contracts", "HT-{seq}", &["--width", "4", "--reset", "never"]);

    let preview = json(office.admin().args(["numbering", "preview", "contract"]));
    assert_eq!(preview["number"], "HT-0001");
    assert_eq!(preview["issued"], false);
    assert_eq!(text(office.admin().args(["numbering", "preview", "contract"])).trim(), "HT-0001");

    let first = json(office.admin().args(["numbering", "issue", "contract", "--owner", "supply contract with Acme"]));
    assert_eq!((first["number"].as_str(), first["issued"].as_bool()), (Some("HT-0001"), Some(true)));
    assert_eq!(first["owner"], "supply contract with Acme");
    // The number alone on standard output, for scripts.
    assert_eq!(text(office.admin().args(["numbering", "issue", "contract", "--owner", "second"])), "HT-0002\n");
    assert_eq!(text(office.admin().args(["numbering", "preview", "contract"])).trim(), "HT-0003");
    assert_eq!(text(office.admin().args(["numbering", "issue", "contract", "--owner", "third"])).trim(), "HT-0003");

    let issued = json(office.admin().args(["numbering", "issued", "contract", "HT-0001"]));
    assert_eq!(issued["owner"], "supply contract with Acme");
    assert_eq!(issued["seq"], 1);
    assert_eq!(issued["period"], "all");
    assert!(issued["issued_by"].is_string(), "{issued}");
    let table = text(office.admin().args(["numbering", "issued", "contract", "HT-0002"]));
    assert!(table.contains("second") && table.contains("admin"), "{table}");
    let err = fails(office.admin().args(["numbering", "issued", "contract", "HT-0004"]), 4);
    assert!(err.starts_with("error[not_found]: "), "{err}");

    // A yearly 文号 writes the year of its period, in the office's zone.
    create(&office, "office_doc", "发文字号", "办〔{year}〕{seq}号", &[]);
    let a = json(office.admin().args(["numbering", "issue", "office_doc", "--owner", "收文 1"]));
    let b = json(office.admin().args(["numbering", "issue", "office_doc", "--owner", "收文 2"]));
    let record =
        json(office.admin().args(["numbering", "issued", "office_doc", a["number"].as_str().expect("a number")]));
    let year = record["period"].as_str().expect("a period").to_string();
    assert_eq!(a["number"], format!("办〔{year}〕1号"));
    assert_eq!(b["number"], format!("办〔{year}〕2号"));

    let audited = json(office.admin().args(["audit", "list", "--operation", "admin.numbering.issue"]));
    assert_eq!(audited["items"].as_array().map(Vec::len), Some(5));

    let err = fails(office.admin().args(["numbering", "issue", "contract", "--owner", " "]), 3);
    assert!(err.contains("  owner: "), "{err}");
    let err = fails(office.admin().args(["numbering", "preview", "nope"]), 4);
    assert!(err.starts_with("error[not_found]: "), "{err}");
}

#[test]
fn an_invalid_pattern_is_refused_on_the_field_pattern() {
    let office = Office::init();
    for pattern in ["HT-{sequence}", "HT-{seq", "no sequence", "{seq}-{seq}"] {
        let err = fails(
            office.admin().args([
                "numbering",
                "create",
                "contract",
                "--name",
                "C",
                "--pattern",
                pattern,
                "--reset",
                "never",
            ]),
            3,
        );
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines[0], "error[validation]: invalid input (1 field)", "{pattern}: {err}");
        assert!(lines[1].starts_with("  pattern: "), "{pattern}: {err}");
    }
    // A yearly sequence must write the year, or numbers would repeat.
    let err =
        fails(office.admin().args(["numbering", "create", "contract", "--name", "C", "--pattern", "HT-{seq}"]), 3);
    assert!(err.contains("  pattern: ") && err.contains("{year}"), "{err}");
    let err = fails(
        office.admin().args(["numbering", "create", "Bad Key", "--name", "", "--pattern", "{seq}", "--width", "13"]),
        3,
    );
    for field in ["key", "name", "seq_width", "pattern"] {
        assert!(err.contains(&format!("  {field}: ")), "{field}: {err}");
    }
    office
        .admin()
        .args(["numbering", "create", "x", "--name", "X", "--pattern", "{seq}", "--reset", "weekly"])
        .assert()
        .code(2);
    assert_eq!(json(office.admin().args(["numbering", "list"])), serde_json::json!([]));

    create(&office, "contract", "Contracts", "HT-{seq}", &["--reset", "never"]);
    let err = fails(office.admin().args(["numbering", "update", "contract", "--pattern", "HT-{seq:99}"]), 3);
    assert!(err.contains("  pattern: "), "{err}");
    let err = fails(office.admin().args(["numbering", "update", "contract", "--reset", "monthly"]), 3);
    assert!(err.contains("  pattern: ") && err.contains("{month}"), "{err}");
    assert_eq!(json(office.admin().args(["numbering", "show", "contract"]))["pattern"], "HT-{seq}");
}
