//! Field permissions of a step: what its actor sees and may change.

use serde_json::json;

use super::*;
use crate::form::{check_field_permissions, filter_for_display, FieldAccess, FieldPermissions};

fn approval_form() -> Form {
    form_of(json!([
        {"key": "title", "label": "Title", "type": "text", "required": true},
        {"key": "amount", "label": "Amount", "type": "money"},
        {"key": "salary", "label": "Salary", "type": "money"},
        {"key": "deputy", "label": "Deputy", "type": "person"},
        {"key": "opinion", "label": "Opinion", "type": "long_text"},
        {"key": "items", "label": "Items", "type": "table", "fields": [
            {"key": "amount", "label": "Amount", "type": "money", "required": true}]},
        {"key": "total", "label": "Total", "type": "total", "of": "items.amount"}
    ]))
}

/// The opinion is editable, the salary hidden, the rest read-only.
fn approver() -> FieldPermissions {
    FieldPermissions::all(FieldAccess::ReadOnly)
        .with("opinion", FieldAccess::Editable)
        .with("salary", FieldAccess::Hidden)
}

fn stored(w: &World, form: &Form) -> Value {
    w.check(
        form,
        json!({"title": "采购电脑", "amount": "100", "salary": "9000", "deputy": w.alice.to_string(),
               "items": [{"amount": "60"}, {"amount": "40"}]}),
    )
    .unwrap()
}

fn edit(
    w: &World,
    form: &Form,
    old: &Value,
    change: Value,
    perms: &FieldPermissions,
) -> Result<Value, Vec<(String, String)>> {
    plain(w.oa.store().read(|tx| super::super::validate_edit(tx, form, old, &change, perms, None)))
}

#[test]
fn hidden_fields_are_removed_for_display() {
    let w = World::new();
    let form = approval_form();
    let data = stored(&w, &form);
    let shown = filter_for_display(&form, &data, &approver());
    assert!(shown.get("salary").is_none());
    assert_eq!(shown["title"], json!("采购电脑"));
    assert_eq!(shown["total"], json!({"amount": "100.00", "currency": "CNY"}));
    let everything = filter_for_display(&form, &data, &FieldPermissions::all(FieldAccess::Editable));
    assert_eq!(everything, data);
    let nothing = filter_for_display(&form, &data, &FieldPermissions::all(FieldAccess::Hidden));
    assert_eq!(nothing, json!({}));
}

#[test]
fn only_editable_fields_change() {
    let w = World::new();
    let form = approval_form();
    let old = stored(&w, &form);
    let out = edit(&w, &form, &old, json!({"opinion": " 同意 "}), &approver()).unwrap();
    assert_eq!(out["opinion"], json!("同意"));
    assert_eq!(out["salary"], old["salary"], "a hidden field keeps its value");
    assert_eq!(out["title"], old["title"]);
    // Changing a read-only field is refused on its path; so is giving a hidden one.
    assert_eq!(
        edit(&w, &form, &old, json!({"opinion": "同意", "title": "采购服务器", "salary": "1"}), &approver()),
        Err(vec![
            ("salary".to_string(), "is hidden at this step and cannot be given".to_string()),
            ("title".to_string(), "is read-only at this step and cannot be changed".to_string()),
        ])
    );
    // A read-only value given unchanged is fine, in any spelling that normalises to it.
    let same = edit(&w, &form, &old, json!({"title": " 采购电脑", "amount": "100.00", "opinion": "ok"}), &approver());
    assert_eq!(same.unwrap()["opinion"], json!("ok"));
    let same_money = edit(&w, &form, &old, json!({"amount": {"amount": "100", "currency": "CNY"}}), &approver());
    assert!(same_money.is_ok());
    // Clearing a read-only field is a change too; clearing an editable one is allowed.
    assert_eq!(
        edit(&w, &form, &old, json!({"amount": null}), &approver()),
        err("amount", "is read-only at this step and cannot be changed")
    );
    let with_opinion = edit(&w, &form, &old, json!({"opinion": "x"}), &approver()).unwrap();
    let cleared = edit(&w, &form, &with_opinion, json!({"opinion": null}), &approver()).unwrap();
    assert!(cleared.get("opinion").is_none());
    // An invalid value for a read-only field is reported as a change, not as its type.
    assert_eq!(
        edit(&w, &form, &old, json!({"amount": 1.5}), &approver()),
        err("amount", "is read-only at this step and cannot be changed")
    );
    // An editable field is validated as usual; an unknown field is unknown.
    assert_eq!(
        edit(&w, &form, &old, json!({"opinion": 5, "mood": "x"}), &approver()),
        Err(vec![
            ("opinion".to_string(), "expected text, got a number".to_string()),
            ("mood".to_string(), "unknown field".to_string()),
        ])
    );
    assert_eq!(edit(&w, &form, &old, json!("x"), &approver()), err("data", "expected an object of fields, got text"));
}

#[test]
fn totals_follow_an_edited_table() {
    let w = World::new();
    let form = approval_form();
    let old = stored(&w, &form);
    let finance = FieldPermissions::all(FieldAccess::ReadOnly).with("items", FieldAccess::Editable);
    let out = edit(&w, &form, &old, json!({"items": [{"amount": "60"}, {"amount": "45.5"}], "total": "1"}), &finance)
        .unwrap();
    assert_eq!(out["total"], json!({"amount": "105.50", "currency": "CNY"}));
    assert_eq!(
        edit(&w, &form, &old, json!({"items": [{"amount": "60"}, {"amount": 45.5}]}), &finance),
        err("items[1].amount", "money must be given as a decimal string, not a float")
    );
}

#[test]
fn references_in_stored_data_stay_valid() {
    let w = World::new();
    let form = approval_form();
    let old = stored(&w, &form);
    // Alice leaves after the form was submitted; editing another field still works.
    w.oa.disable_person(&w.admin, w.alice).unwrap();
    let out = edit(&w, &form, &old, json!({"opinion": "同意"}), &approver()).unwrap();
    assert_eq!(out["deputy"], json!(w.alice.to_string()));
    // Choosing her anew is refused.
    let starter = FieldPermissions::all(FieldAccess::Editable);
    let fresh = w.check(&form, json!({"title": "x", "deputy": w.bob.to_string()}));
    assert_eq!(fresh, err("deputy", "`bob` is not an active person"));
    assert!(edit(&w, &form, &old, json!({"deputy": w.alice.to_string()}), &starter).is_ok());
    assert_eq!(
        edit(&w, &form, &old, json!({"deputy": w.bob.to_string()}), &starter),
        err("deputy", "`bob` is not an active person")
    );
}

#[test]
fn permissions_name_only_fields_of_the_form() {
    let form = approval_form();
    assert!(check_field_permissions(&form, &approver()).is_ok());
    let bad = FieldPermissions::all(FieldAccess::Editable)
        .with("nope", FieldAccess::Hidden)
        .with("total", FieldAccess::Editable);
    assert_eq!(
        fields(check_field_permissions(&form, &bad).unwrap_err()),
        vec![
            ("nope".to_string(), "form `test` has no field `nope`".to_string()),
            ("total".to_string(), "`total` is a total computed by the form and cannot be editable".to_string()),
        ]
    );
    // The default makes every field editable, the total stays computed.
    let w = World::new();
    let old = stored(&w, &form);
    let out = edit(&w, &form, &old, json!({"total": "5"}), &FieldPermissions::all(FieldAccess::Editable)).unwrap();
    assert_eq!(out["total"], old["total"]);
    assert_eq!(FieldPermissions::default().access("anything"), FieldAccess::ReadOnly);
    let json_shape: FieldPermissions = serde_json::from_value(json!({"fields": {"salary": "hidden"}})).unwrap();
    assert_eq!(json_shape, FieldPermissions::default().with("salary", FieldAccess::Hidden));
}
