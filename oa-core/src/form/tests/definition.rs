//! Form definitions: their checks, the stored shape, and versions.

use serde_json::json;

use super::*;
use crate::form::{FieldKind, FormVersion};

fn define_errors(defs: Value) -> Vec<(String, String)> {
    let input = NewForm { key: "f".into(), name: "F".into(), description: String::new(), fields: fields_of(defs) };
    fields(define::normalise(input, "CNY").unwrap_err())
}

#[test]
fn a_form_of_every_kind_is_stored_and_read_back() {
    let w = World::new();
    let form = w.define("leave", every_kind()).unwrap();
    assert_eq!(form.version, 1);
    assert_eq!(form.fields.len(), 17);
    let back = w.oa.store().read(|tx| super::super::load_form(tx, "leave", None)).unwrap().unwrap();
    assert_eq!(back, form);
    // A money field names its currency: the office's base currency when none was given.
    assert!(matches!(&form.field("price").unwrap().kind, FieldKind::Money { currency: Some(c), .. } if c == "CNY"));
    assert!(matches!(&form.field("yen").unwrap().kind, FieldKind::Money { currency: Some(c), .. } if c == "JPY"));
    // Defaults are written down, so a later change of a default does not change a version.
    assert!(matches!(&form.field("title").unwrap().kind, FieldKind::Text { max_length: Some(20), .. }));
    assert!(matches!(&form.field("body").unwrap().kind, FieldKind::LongText { max_length: Some(10_000), .. }));
    // The JSON an administrator writes: the kind's settings beside key and label.
    let shown = serde_json::to_value(form.field("price").unwrap()).unwrap();
    assert_eq!(
        shown,
        json!({"key": "price", "label": "Price", "required": false, "help": "", "type": "money",
               "currency": "CNY", "min": "0", "max": null})
    );
}

#[test]
fn every_problem_of_a_definition_is_reported_with_its_path() {
    let errors = define_errors(json!([
        {"key": "1st", "label": "x", "type": "text"},
        {"key": "code", "label": "", "type": "text", "pattern": "(unclosed"},
        {"key": "CODE", "label": "Code again", "type": "yes_no"},
        {"key": "kind", "label": "Kind", "type": "choice", "options": []},
        {"key": "tags", "label": "Tags", "type": "multi_choice", "max_selected": 3, "options": [
            {"value": "a", "label": "A"}, {"value": "a", "label": "A again"}]},
        {"key": "n", "label": "N", "type": "number", "min": "10", "max": "1", "decimals": 11},
        {"key": "m", "label": "M", "type": "money", "currency": "ABC"},
        {"key": "p", "label": "P", "type": "money", "min": "0.001"},
        {"key": "t", "label": "T", "type": "long_text", "max_length": 100001},
        {"key": "items", "label": "Items", "type": "table", "max_rows": 2000, "fields": [
            {"key": "inner", "label": "Inner", "type": "table", "fields": [{"key": "x", "label": "X", "type": "yes_no"}]},
            {"key": "sum", "label": "Sum", "type": "total", "of": "items.x"},
            {"key": "ok", "label": "Ok", "type": "text"},
            {"key": "ok", "label": "Ok again", "type": "text"}]},
        {"key": "empty", "label": "Empty", "type": "table", "fields": []},
        {"key": "total1", "label": "T1", "type": "total", "of": "nothing.amount"},
        {"key": "total2", "label": "T2", "type": "total", "of": "items.ok"},
        {"key": "total3", "label": "T3", "type": "total", "of": "kind.x"},
        {"key": "total4", "label": "T4", "type": "total", "of": "items"},
        {"key": "total5", "label": "T5", "type": "total", "of": "items.none"},
        {"key": "files", "label": "Files", "type": "attachment", "max_files": 0},
        {"key": "d", "label": "D", "type": "date", "min": "2026-02-01", "max": "2026-01-01"}
    ]));
    let expected = [
        ("fields[0].key", "`1st` must start with a letter and have at most 64 letters, digits and `_`"),
        ("fields[1].label", "the label must not be empty"),
        ("fields[1].pattern", "`(unclosed` is not a valid regular expression: unclosed group"),
        ("fields[2].key", "`CODE` is the key of another field at this level"),
        ("fields[3].options", "needs at least one option"),
        ("fields[4].options[1].value", "`a` is the value of another option"),
        ("fields[4].max_selected", "must be 1 to 2, the number of options"),
        ("fields[5].min", "the minimum 10 is above the maximum 1"),
        ("fields[5].decimals", "must be at most 10, got 11"),
        ("fields[6].currency", "`ABC` is not the ISO 4217 code of a circulating currency"),
        ("fields[7].min", "`0.001` has more decimal places than `CNY` has"),
        ("fields[8].max_length", "must be at most 100000, got 100001"),
        ("fields[9].max_rows", "must be 1 to 1000, got 2000"),
        ("fields[9].fields[0].type", "a table cannot be a column of another table"),
        ("fields[9].fields[1].type", "a total cannot be a column of a table"),
        ("fields[9].fields[3].key", "`ok` is the key of another field at this level"),
        ("fields[10].fields", "a table needs at least one column"),
        ("fields[16].max_files", "must be 1 to 50, got 0"),
        ("fields[17].min", "the minimum 2026-02-01 is above the maximum 2026-01-01"),
        ("fields[11].of", "the form has no table `nothing`"),
        ("fields[12].of", "`items.ok` is a text column; a total adds up a number or money column"),
        ("fields[13].of", "`kind` is a choice field, not a table"),
        ("fields[14].of", "`items` must name a table column as `table.column`"),
        ("fields[15].of", "table `items` has no column `none`"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(p, r)| (p.to_string(), r.to_string())).collect();
    assert_eq!(errors, expected);
}

#[test]
fn form_keys_names_and_field_counts_are_checked() {
    let input = NewForm { key: "Leave Form".into(), name: " ".into(), description: "x".repeat(2001), fields: vec![] };
    assert_eq!(
        fields(define::normalise(input, "CNY").unwrap_err()),
        vec![
            (
                "key".to_string(),
                "`Leave Form` must be 1 to 64 characters of lowercase letters, digits and `_`".to_string()
            ),
            ("name".to_string(), "the name must not be empty".to_string()),
            ("description".to_string(), "must be at most 2000 characters, got 2001".to_string()),
            ("fields".to_string(), "a form needs at least one field".to_string()),
        ]
    );
    let long_label = "标".repeat(101);
    let errors = define_errors(json!([{"key": "a", "label": long_label, "type": "yes_no"}]));
    assert_eq!(
        errors,
        vec![("fields[0].label".to_string(), "the label must be at most 100 characters, got 101".to_string())]
    );
}

#[test]
fn an_invalid_pattern_is_refused_at_definition_time() {
    let errors = define_errors(json!([
        {"key": "a", "label": "A", "type": "text", "pattern": "[a-"},
        {"key": "b", "label": "B", "type": "long_text", "pattern": "x{2,1}"}
    ]));
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].0, "fields[0].pattern");
    assert!(errors[0].1.starts_with("`[a-` is not a valid regular expression: "), "{}", errors[0].1);
    assert_eq!(errors[1].0, "fields[1].pattern");
}

#[test]
fn versions_change_only_when_the_definition_does() {
    let w = World::new();
    let v1 = w.define("leave", json!([{"key": "days", "label": "Days", "type": "number"}])).unwrap();
    assert_eq!(v1.version, 1);
    // The same definition again, spelled differently, writes nothing.
    let same = w.define("leave", json!([{"key": " days ", "label": " Days", "type": "number"}])).unwrap();
    assert_eq!(same, v1);
    let v2 = w
        .define(
            "leave",
            json!([{"key": "days", "label": "Days", "type": "number"}, {"key": "why", "label": "Why", "type": "text"}]),
        )
        .unwrap();
    assert_eq!(v2.version, 2);
    let (latest, first, versions) =
        w.oa.store()
            .read(|tx| {
                Ok::<_, OaError>((
                    super::super::require_form(tx, "leave", None)?,
                    super::super::require_form(tx, "leave", Some(1))?,
                    super::super::form_versions(tx, "leave")?,
                ))
            })
            .unwrap();
    assert_eq!(*latest, v2);
    assert_eq!(*first, v1);
    assert_eq!(versions.iter().map(|v: &FormVersion| v.version).collect::<Vec<_>>(), vec![1, 2]);
    // Data valid on version 1 keeps validating against version 1.
    assert!(w.check(&first, json!({"days": 2})).is_ok());
    assert_eq!(w.check(&latest, json!({"days": 2, "extra": 1})), err("extra", "unknown field"));
    let missing = w.oa.store().read(|tx| super::super::require_form(tx, "leave", Some(3))).unwrap_err();
    assert_eq!(missing.to_string(), "form version `leave v3` not found");
    let none = w.oa.store().read(|tx| super::super::form_versions(tx, "nope")).unwrap_err();
    assert_eq!(none.code(), "not_found");
}

/// Form versions decoded once are shared by every office of the process, yet each office reads
/// its own: two offices each define version 1 of `leave` differently, and a version defined
/// through a second handle is the latest at once.
#[test]
fn each_office_reads_its_own_form_versions() {
    let (one, two) = (World::new(), World::new());
    let required = |w: &World, version: Option<u32>| {
        w.oa.store().read(|tx| super::super::require_form(tx, "leave", version)).unwrap()
    };
    let days = one.define("leave", json!([{"key": "days", "label": "Days", "type": "number"}])).unwrap();
    let why = two.define("leave", json!([{"key": "why", "label": "Why", "type": "text"}])).unwrap();
    for _ in 0..2 {
        assert_eq!(*required(&one, Some(1)), days);
        assert_eq!(*required(&two, Some(1)), why);
    }
    let other = Oa::open_shared(one.oa.store(), one.oa.inner.clock.clone()).unwrap();
    let both =
        json!([{"key": "days", "label": "Days", "type": "number"}, {"key": "why", "label": "Why", "type": "text"}]);
    let input =
        NewForm { key: "leave".into(), name: "Leave".into(), description: String::new(), fields: fields_of(both) };
    let v2 = other.define_form(&one.admin, input).unwrap();
    assert_eq!(*required(&one, None), v2);
    assert_eq!(*required(&one, Some(1)), days);
    assert_eq!(*required(&two, None), why);
}
