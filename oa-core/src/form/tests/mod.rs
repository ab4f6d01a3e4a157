//! Tests of forms: definitions, every field kind, tables and totals, field permissions,
//! attachments, versions, the operations, and properties of validation.

mod access;
mod attachments;
mod definition;
mod kinds;
mod ops;
mod props;

use oa_storage::StoreExt;
use serde_json::{json, Value};

use super::attachment;
use super::define;
use super::model::{FieldDef, Form, NewForm};
use super::validate::{validate_data, Submitter};
use crate::org::{DeptId, NewDepartment, NewPerson, PersonId};
use crate::{InitOffice, ManualClock, Oa, OaError, OaResult, Session};

const ADMIN_PW: &str = "correct horse battery";

/// A PDF's smallest plausible content.
pub(super) const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

/// An office with the people, departments and attachment the tests refer to.
pub(super) struct World {
    pub(super) oa: Oa,
    pub(super) admin: Session,
    pub(super) admin_id: PersonId,
    pub(super) root: DeptId,
    /// Active, in the root department.
    pub(super) alice: PersonId,
    /// Disabled.
    pub(super) bob: PersonId,
    /// A disabled department.
    pub(super) closed: DeptId,
    /// A PDF uploaded by the administrator.
    pub(super) pdf: String,
}

impl World {
    pub(super) fn new() -> World {
        let oa = Oa::init(
            oa_storage::MemoryStore::new(),
            ManualClock::monday_morning(),
            InitOffice::new("宏远科技", "admin", "管理员", ADMIN_PW),
        )
        .unwrap();
        let admin = oa.sign_in("admin", ADMIN_PW).unwrap();
        let admin_id = oa.whoami(&admin).unwrap().person;
        let root = oa.list_departments(&admin).unwrap()[0].id;
        let closed = oa
            .create_department(
                &admin,
                NewDepartment { name: "撤销处".into(), parent: Some(root), ..Default::default() },
            )
            .unwrap()
            .id;
        oa.disable_department(&admin, closed).unwrap();
        let alice = oa.create_person(&admin, NewPerson::new("alice", "Alice", root)).unwrap().id;
        let bob = oa.create_person(&admin, NewPerson::new("bob", "Bob", root)).unwrap().id;
        oa.disable_person(&admin, bob).unwrap();
        let mut w = World { oa, admin, admin_id, root, alice, bob, closed, pdf: String::new() };
        w.pdf = w.upload_as(admin_id, "报告.pdf", "application/pdf", PDF).unwrap().hash;
        w
    }

    /// Uploads through the internal functions, with the default limit.
    pub(super) fn upload_as(
        &self,
        who: PersonId,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> OaResult<super::AttachmentInfo> {
        let up = attachment::prepare(name, content_type, bytes, super::MAX_ATTACHMENT_BYTES)?;
        let now = self.oa.now();
        self.oa.store().write(|tx| attachment::store(tx, &up, now, who)).map(|(info, _)| info)
    }

    /// Defines (stores) a form through the internal functions.
    pub(super) fn define(&self, key: &str, fields: Value) -> OaResult<Form> {
        let input =
            NewForm { key: key.into(), name: key.into(), description: String::new(), fields: fields_of(fields) };
        let now = self.oa.now();
        let by = self.admin_id;
        self.oa.store().write(|tx| super::store::define_form(tx, now, by, input.clone())).map(|(f, _)| f)
    }

    /// Validates `data` against `form` as `submitter`.
    pub(super) fn validate_as(&self, form: &Form, data: &Value, submitter: Option<Submitter>) -> OaResult<Value> {
        self.oa.store().read(|tx| validate_data(tx, form, data, submitter))
    }

    /// Validates `data` against `form` without a submitter.
    pub(super) fn check(&self, form: &Form, data: Value) -> Result<Value, Vec<(String, String)>> {
        plain(self.validate_as(form, &data, None))
    }

    /// Validates the value of a form's only field `f`, defined by `def` (its kind and
    /// constraints), and returns the normalised value (`null` when none).
    pub(super) fn one(&self, def: Value, value: Value) -> Result<Value, Vec<(String, String)>> {
        let mut field = json!({"key": "f", "label": "F"});
        if let (Some(m), Some(d)) = (field.as_object_mut(), def.as_object()) {
            m.extend(d.clone());
        }
        let form = form_of(json!([field]));
        self.check(&form, json!({ "f": value })).map(|out| out.get("f").cloned().unwrap_or(Value::Null))
    }
}

/// Field definitions from their JSON, as an administrator writes them.
pub(super) fn fields_of(fields: Value) -> Vec<FieldDef> {
    serde_json::from_value(fields).unwrap()
}

/// A form (not stored) with `fields`, normalised with CNY as the base currency.
pub(super) fn form_of(fields: Value) -> Form {
    let def = define::normalise(
        NewForm { key: "test".into(), name: "Test".into(), description: String::new(), fields: fields_of(fields) },
        "CNY",
    )
    .unwrap();
    Form {
        key: def.key,
        version: 1,
        name: def.name,
        description: def.description,
        fields: def.fields,
        created_at: chrono::DateTime::UNIX_EPOCH,
        created_by: PersonId(crate::id::Id::default()),
    }
}

/// Every field error of a validation error as `(path, reason)`; panics on any other error.
pub(super) fn fields(err: OaError) -> Vec<(String, String)> {
    match err {
        OaError::Validation(f) => f.into_iter().map(|f| (f.path, f.reason)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// A result with its validation error as `(path, reason)` pairs.
pub(super) fn plain(r: OaResult<Value>) -> Result<Value, Vec<(String, String)>> {
    r.map_err(fields)
}

/// The expected refusal of one field.
pub(super) fn err(path: &str, reason: &str) -> Result<Value, Vec<(String, String)>> {
    Err(vec![(path.to_string(), reason.to_string())])
}

/// The leave-and-expenses form used across the tests: every kind of field.
pub(super) fn every_kind() -> Value {
    json!([
        {"key": "title", "label": "标题", "type": "text", "required": true, "max_length": 20},
        {"key": "postcode", "label": "Postcode", "type": "text", "pattern": "\\d{6}"},
        {"key": "body", "label": "Body", "type": "long_text"},
        {"key": "days", "label": "Days", "type": "number", "min": "0.5", "max": "30", "decimals": 1},
        {"key": "price", "label": "Price", "type": "money", "min": "0"},
        {"key": "yen", "label": "Yen", "type": "money", "currency": "jpy"},
        {"key": "start", "label": "Start", "type": "date", "min": "2026-01-01", "max": "2026-12-31"},
        {"key": "at", "label": "At", "type": "date_time"},
        {"key": "urgent", "label": "Urgent", "type": "yes_no"},
        {"key": "kind", "label": "Kind", "type": "choice", "options": [
            {"value": "annual", "label": "年假"}, {"value": "sick", "label": "病假"}]},
        {"key": "tags", "label": "Tags", "type": "multi_choice", "max_selected": 2, "options": [
            {"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}]},
        {"key": "deputy", "label": "Deputy", "type": "person"},
        {"key": "dept", "label": "Dept", "type": "department"},
        {"key": "files", "label": "Files", "type": "attachment", "max_files": 2},
        {"key": "items", "label": "明细", "type": "table", "max_rows": 5, "fields": [
            {"key": "name", "label": "Name", "type": "text", "required": true},
            {"key": "amount", "label": "Amount", "type": "money", "required": true},
            {"key": "qty", "label": "Qty", "type": "number"}]},
        {"key": "total", "label": "Total", "type": "total", "of": "items.amount"},
        {"key": "qtyTotal", "label": "Qty total", "type": "total", "of": "items.qty"}
    ])
}

/// A submitter who reads only their own uploads.
pub(super) fn submitter(person: PersonId) -> Option<Submitter> {
    Some(Submitter { person, reads_every_attachment: false })
}
