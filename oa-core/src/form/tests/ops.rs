//! The operations through the public `Oa` API.

use serde_json::json;

use super::*;
use crate::audit::AuditQuery;
use crate::form::MAX_ATTACHMENT_BYTES;
use crate::perm::{DataScope, NewGrant, NewRole};
use crate::PageRequest;

/// A person who can sign in, with their session, holding no role.
fn member(w: &World, login: &str) -> (PersonId, Session) {
    let first = format!("{login} first Passw0rd!");
    let pw = format!("{login} second Passw0rd!");
    let p =
        w.oa.create_person(
            &w.admin,
            NewPerson { initial_password: Some(first.clone()), ..NewPerson::new(login, login, w.root) },
        )
        .unwrap();
    let s = w.oa.sign_in(login, &first).unwrap();
    w.oa.change_password(&s, &first, &pw).unwrap();
    (p.id, w.oa.sign_in(login, &pw).unwrap())
}

fn new_form(fields: Value) -> NewForm {
    NewForm {
        key: "purchase".into(),
        name: "采购申请".into(),
        description: "办公用品".into(),
        fields: fields_of(fields),
    }
}

#[test]
fn anyone_signed_in_reads_and_checks_forms() {
    let w = World::new();
    let (_, clerk) = member(&w, "clerk");
    w.define("leave", json!([{"key": "days", "label": "Days", "type": "number", "min": 1}])).unwrap();
    w.define("leave", json!([{"key": "days", "label": "Days", "type": "number", "min": 0.5}])).unwrap();
    w.define("purchase", every_kind()).unwrap();
    assert_eq!(w.oa.get_form(&clerk, "leave", None).unwrap().version, 2);
    assert_eq!(w.oa.get_form(&clerk, " leave ", Some(1)).unwrap().version, 1);
    assert_eq!(w.oa.get_form(&clerk, "nope", None).unwrap_err().code(), "not_found");
    let versions = w.oa.form_versions(&clerk, "leave").unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(versions[0].created_by, w.admin_id);
    let first = w.oa.list_forms(&clerk, PageRequest::first(1)).unwrap();
    assert_eq!(first.items.iter().map(|f| (f.key.as_str(), f.version)).collect::<Vec<_>>(), vec![("leave", 2)]);
    let rest = w.oa.list_forms(&clerk, PageRequest::after(first.next_cursor.unwrap(), 10)).unwrap();
    assert_eq!(rest.items.iter().map(|f| f.key.as_str()).collect::<Vec<_>>(), vec!["purchase"]);
    assert!(rest.next_cursor.is_none());
    // Pre-validation: on the latest version, or on the one an instance started with.
    assert_eq!(w.oa.validate_form_data(&clerk, "leave", None, json!({"days": "0.5"})).unwrap(), json!({"days": 0.5}));
    let old = w.oa.validate_form_data(&clerk, "leave", Some(1), json!({"days": "0.5"})).unwrap_err();
    assert_eq!(fields(old), vec![("days".to_string(), "`0.5` is out of range: must be at least 1".to_string())]);
    // A clerk may not attach what someone else uploaded.
    let taken = w.oa.validate_form_data(&clerk, "purchase", None, json!({"title": "x", "files": [w.pdf]})).unwrap_err();
    assert_eq!(
        fields(taken),
        vec![("files[0]".to_string(), format!("attachment `{}` was not uploaded by you", w.pdf))]
    );
    let signed_out = Session::from_token("nonsense");
    assert_eq!(w.oa.get_form(&signed_out, "leave", None).unwrap_err().code(), "unauthenticated");
}

#[test]
fn defining_forms_needs_the_permission() {
    let w = World::new();
    let (_, clerk) = member(&w, "clerk");
    let input = new_form(json!([{"key": "item", "label": "物品", "type": "text", "required": true}]));
    assert_eq!(w.oa.define_form(&clerk, input.clone()).unwrap_err().code(), "permission_denied");
    let by_admin = w.oa.define_form(&w.admin, input.clone());
    let v1 = by_admin.unwrap();
    assert_eq!((v1.key.as_str(), v1.version, v1.created_by), ("purchase", 1, w.admin_id));
    assert_eq!(w.oa.define_form(&w.admin, input.clone()).unwrap(), v1, "the same definition writes nothing");
    let bad = w.oa.define_form(&w.admin, new_form(json!([{"key": "x", "label": "X", "type": "text", "pattern": "("}])));
    assert_eq!(fields(bad.unwrap_err())[0].0, "fields[0].pattern");
    let audit = w.oa.list_audit(&w.admin, AuditQuery::default(), PageRequest::first(100)).unwrap();
    let defined: Vec<&str> =
        audit.items.iter().filter(|r| r.operation == "form.define").map(|r| r.summary.as_str()).collect();
    assert!(defined.contains(&"defined form `purchase` version 1 with 1 fields"), "{defined:?}");
    assert!(defined.contains(&"form `purchase` unchanged at version 1"), "{defined:?}");
}

#[test]
fn attachments_through_the_operations() {
    let w = World::new();
    let (clerk_id, clerk) = member(&w, "clerk");
    let refused = w.oa.upload_attachment(&clerk, "a.txt", "text/plain", b"hello");
    assert_eq!(refused.unwrap_err().code(), "permission_denied");
    assert_eq!(w.oa.get_attachment(&clerk, &w.pdf).unwrap_err().code(), "permission_denied");
    assert_eq!(w.oa.get_attachment(&clerk, "0000").unwrap_err().code(), "validation");
    w.oa.create_role(
        &w.admin,
        NewRole {
            code: "clerk".into(),
            name: "Clerk".into(),
            description: String::new(),
            permissions: vec!["form.attachment.upload".into()],
            inherits: vec![],
            data_scope: DataScope::All,
        },
    )
    .unwrap();
    w.oa.grant_role(&w.admin, NewGrant { person: clerk_id, role: "clerk".into(), limit_to_dept: None }).unwrap();
    let mine = w.oa.upload_attachment(&clerk, "纪要.txt", "text/plain", "会议纪要".as_bytes()).unwrap();
    assert_eq!(mine.created_by, clerk_id);
    let (info, bytes) = w.oa.get_attachment(&clerk, &mine.hash.to_uppercase()).unwrap();
    assert_eq!((info, bytes), (mine.clone(), "会议纪要".as_bytes().to_vec()));
    // Not the administrator's file; the administrator holds `form.attachment.read`.
    assert_eq!(w.oa.get_attachment(&clerk, &w.pdf).unwrap_err().code(), "permission_denied");
    assert_eq!(w.oa.attachment_info(&w.admin, &mine.hash).unwrap(), mine);
    assert_eq!(w.oa.get_attachment(&w.admin, &"b".repeat(64)).unwrap_err().code(), "not_found");
    // Uploading the same content again makes the clerk one of its readers.
    let again = w.oa.upload_attachment(&clerk, "copy.pdf", "application/pdf", PDF).unwrap();
    assert_eq!(again.hash, w.pdf);
    assert_eq!(w.oa.get_attachment(&clerk, &w.pdf).unwrap().1, PDF.to_vec());
    let big = vec![b'x'; MAX_ATTACHMENT_BYTES + 1];
    let over = w.oa.upload_attachment(&clerk, "big.txt", "text/plain", &big).unwrap_err();
    assert_eq!(
        fields(over),
        vec![(
            "bytes".to_string(),
            "the file is 20 MiB (20971521 bytes); the limit is 20 MiB (20971520 bytes)".to_string()
        )]
    );
}
