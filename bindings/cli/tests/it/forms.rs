//! Forms (表单): definitions from JSON files, versions, and data checked against them.

use std::path::PathBuf;

use serde_json::{json, Value};

use crate::support::{fails, json, text, Office};

/// A purchase request (采购申请): a title, line items (明细) with a money amount each, and their
/// total computed by the form.
fn purchase() -> Value {
    json!({
        "key": "purchase",
        "name": "采购申请",
        "description": "office supplies",
        "fields": [
            {"key": "title", "label": "标题", "type": "text", "required": true, "max_length": 50},
            {"key": "items", "label": "明细", "type": "table", "min_rows": 1, "max_rows": 20, "fields": [
                {"key": "name", "label": "物品", "type": "text", "required": true},
                {"key": "qty", "label": "数量", "type": "number", "min": 1, "decimals": 0},
                {"key": "amount", "label": "金额", "type": "money", "required": true, "min": "0"}
            ]},
            {"key": "total", "label": "合计", "type": "total", "of": "items.amount"}
        ]
    })
}

/// The purchase form with one more field: a required reason.
fn purchase_with_reason() -> Value {
    let mut form = purchase();
    if let Some(fields) = form["fields"].as_array_mut() {
        fields.push(json!({"key": "reason", "label": "事由", "type": "long_text", "required": true}));
    }
    form
}

/// Writes `value` as the JSON file `name` beside the office.
fn file(office: &Office, name: &str, value: &Value) -> PathBuf {
    office.file(name, serde_json::to_vec_pretty(value).expect("JSON"))
}

fn versions(office: &Office, key: &str) -> Vec<u64> {
    let all = json(office.admin().args(["forms", "versions", key]));
    all.as_array().expect("a list").iter().filter_map(|v| v["version"].as_u64()).collect()
}

#[test]
fn a_form_is_defined_shown_and_versioned_only_when_it_changes() {
    let office = Office::init();
    let path = file(&office, "purchase.json", &purchase());
    let v1 = json(office.admin().args(["forms", "define"]).arg(&path));
    assert_eq!((v1["key"].as_str(), v1["version"].as_u64()), (Some("purchase"), Some(1)));
    assert_eq!(v1["fields"][1]["fields"][2]["currency"], "CNY", "a money field names the base currency");

    // A readable table of the fields, a table's columns as `table.column`.
    let shown = text(office.admin().args(["forms", "show", "purchase"]));
    for part in [
        "采购申请",
        "constraints",
        "items.amount",
        "CNY; amount at least 0",
        "length at most 50",
        "rows 1 to 20",
        "sum of items.amount",
        "computed",
    ] {
        assert!(shown.contains(part), "{part}: {shown}");
    }
    assert_eq!(json(office.admin().args(["forms", "show", "purchase"])), v1);

    // The same definition again changes nothing.
    let again = json(office.admin().args(["forms", "define"]).arg(&path));
    assert_eq!(again, v1);
    assert_eq!(versions(&office, "purchase"), [1]);

    // A changed one is the next version; the first stays readable.
    let changed = file(&office, "purchase-2.json", &purchase_with_reason());
    let v2 = json(office.admin().args(["forms", "define"]).arg(&changed));
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["fields"].as_array().map(Vec::len), Some(4));
    assert_eq!(versions(&office, "purchase"), [1, 2]);
    assert_eq!(json(office.admin().args(["forms", "show", "purchase", "--version", "1"])), v1);
    assert_eq!(json(office.admin().args(["forms", "show", "purchase"]))["version"], 2);
    let table = text(office.admin().args(["forms", "versions", "purchase"]));
    assert!(table.contains("采购申请") && table.contains("admin"), "{table}");
    let err = fails(office.admin().args(["forms", "show", "purchase", "--version", "3"]), 4);
    assert!(err.starts_with("error[not_found]: "), "{err}");
    fails(office.admin().args(["forms", "versions", "nope"]), 4);

    // Listed at their latest version, a page at a time.
    let leave = json!({"key": "leave", "name": "请假单", "fields": [
        {"key": "days", "label": "天数", "type": "number", "min": "0.5", "required": true}]});
    office.admin().args(["forms", "define"]).arg(file(&office, "leave.json", &leave)).assert().success();
    let all = json(office.admin().args(["forms", "list", "--all"]));
    let listed: Vec<(&str, u64)> = all["items"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|f| Some((f["key"].as_str()?, f["version"].as_u64()?)))
        .collect();
    assert_eq!(listed, [("leave", 1), ("purchase", 2)]);
    let out = office.admin().args(["forms", "list", "--limit", "1"]).output().expect("the binary runs");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("请假单") && !stdout.contains("采购申请"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("more: --cursor "));

    let audited = json(office.admin().args(["audit", "list", "--operation", "form.define"]));
    assert_eq!(audited["items"].as_array().map(Vec::len), Some(4), "the unchanged definition is audited too");
}

#[test]
fn data_is_checked_against_a_form_with_a_path_per_failing_field() {
    let office = Office::init();
    office.admin().args(["forms", "define"]).arg(file(&office, "purchase.json", &purchase())).assert().success();

    let good = file(
        &office,
        "good.json",
        &json!({"title": "纸和笔", "items": [
            {"name": "A4 纸", "qty": "10", "amount": "25.5"},
            {"name": "笔", "amount": {"amount": "3.456", "currency": "CNY"}}
        ], "total": "1"}),
    );
    let normalised = json(office.admin().args(["forms", "validate", "purchase"]).arg(&good));
    assert_eq!(normalised["items"][0]["amount"], json!({"amount": "25.50", "currency": "CNY"}));
    assert_eq!(normalised["items"][0]["qty"], 10);
    assert_eq!(normalised["items"][1]["amount"]["amount"], "3.46", "rounded half-up to the fen");
    assert_eq!(normalised["total"], json!({"amount": "28.96", "currency": "CNY"}), "computed, not taken");
    // Without --json the normalised data is printed too: it is JSON by nature.
    let printed: Value =
        serde_json::from_str(&text(office.admin().args(["forms", "validate", "purchase"]).arg(&good))).expect("JSON");
    assert_eq!(printed, normalised);

    let bad = file(
        &office,
        "bad.json",
        &json!({"items": [{"name": "A4 纸", "amount": "25.5"}, {"name": "笔", "amount": 3.5}]}),
    );
    let err = fails(office.admin().args(["forms", "validate", "purchase"]).arg(&bad), 3);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "error[validation]: invalid input (2 fields)", "{err}");
    assert!(lines.contains(&"  items[1].amount: money must be given as a decimal string, not a float"), "{err}");
    assert!(lines.iter().any(|l| l.starts_with("  title: ")), "{err}");

    // A new version needs a reason; data checked against version 1 does not.
    office
        .admin()
        .args(["forms", "define"])
        .arg(file(&office, "purchase-2.json", &purchase_with_reason()))
        .assert()
        .success();
    let err = fails(office.admin().args(["forms", "validate", "purchase"]).arg(&good), 3);
    assert!(err.contains("  reason: "), "{err}");
    let old = json(office.admin().args(["forms", "validate", "purchase", "--version", "1"]).arg(&good));
    assert_eq!(old, normalised);

    // Not JSON: refused at its line and column. No such form, no such file.
    let broken = office.file("broken.json", "{\"title\": \"x\",\n \"items\": [}");
    let err = fails(office.admin().args(["forms", "validate", "purchase"]).arg(&broken), 3);
    assert!(err.contains(&format!("  {}:2:12: ", broken.display())), "{err}");
    let err = fails(office.admin().args(["forms", "validate", "nope"]).arg(&good), 4);
    assert!(err.starts_with("error[not_found]: "), "{err}");
    let err = fails(office.admin().args(["forms", "validate", "purchase"]).arg(office.path("missing.json")), 1);
    assert!(err.starts_with("error[io]: cannot read "), "{err}");
}

#[test]
fn a_bad_definition_is_refused_with_every_failing_field() {
    let office = Office::init();
    let bad = json!({"key": "Bad Key", "name": "", "fields": [
        {"key": "code", "label": "Code", "type": "text", "pattern": "("},
        {"key": "total", "label": "Total", "type": "total", "of": "items.amount"}]});
    let err = fails(office.admin().args(["forms", "define"]).arg(file(&office, "bad.json", &bad)), 3);
    for field in ["key", "name", "fields[0].pattern", "fields[1]"] {
        assert!(err.lines().any(|l| l.starts_with(&format!("  {field}"))), "{field}: {err}");
    }

    // A setting the core would ignore is refused rather than dropped.
    let typo = json!({"key": "leave", "name": "请假单", "fields": [
        {"key": "days", "label": "天数", "type": "number", "requird": true}]});
    let path = file(&office, "typo.json", &typo);
    let err = fails(office.admin().args(["forms", "define"]).arg(&path), 3);
    assert!(err.contains(&format!("  {}:fields[0].requird: unknown setting", path.display())), "{err}");

    // Not a definition: refused at its line and column.
    let path = office.file("kind.json", "{\"key\": \"leave\", \"name\": \"L\",\n \"fields\": [{\"key\": \"d\", \"label\": \"D\", \"type\": \"nmber\"}]}");
    let err = fails(office.admin().args(["forms", "define"]).arg(&path), 3);
    assert!(err.contains(":2:") && err.contains("unknown variant `nmber`"), "{err}");

    assert_eq!(json(office.admin().args(["forms", "list"]))["items"], json!([]));
}

#[test]
fn anyone_signed_in_reads_forms_and_checks_data_but_only_managers_define() {
    let office = Office::init();
    let path = file(&office, "purchase.json", &purchase());
    office.admin().args(["forms", "define"]).arg(&path).assert().success();
    office.admin().args(["people", "add", "clerk", "Clerk", "--dept", "Acme Ltd"]).assert().success();
    office.give_password("clerk", "clerk password 1");
    let clerk = || office.signed("clerk", "clerk password 1");

    let err = fails(clerk().args(["forms", "define"]).arg(&path), 4);
    assert!(err.starts_with("error[permission_denied]: ") && err.contains("form.def.manage"), "{err}");
    assert_eq!(json(clerk().args(["forms", "show", "purchase"]))["version"], 1);
    let data = file(&office, "data.json", &json!({"title": "纸", "items": [{"name": "纸", "amount": "5"}]}));
    assert_eq!(json(clerk().args(["forms", "validate", "purchase"]).arg(&data))["total"]["amount"], "5.00");
}
