//! Tests of process definitions: graph validation, the DingTalk tree and BPMN conversions,
//! versions and the operations, the compiled process, and properties of the parsers.

mod bpmn;
mod compiled;
mod dingtalk;
mod ops;
mod props;
mod validation;

use oa_storage::StoreExt;
use serde_json::{json, Value};

use super::check::check_settings;
use super::graph::analyse;
use super::model::{NewProcess, ProcessGraph};
use crate::admin::numbering::{NewNumberingRule, SeqReset};
use crate::error::Problems;
use crate::form::{FieldDef, Form, NewForm};
use crate::org::{NewPerson, PersonId};
use crate::perm::{DataScope, NewRole};
use crate::{InitOffice, ManualClock, Oa, OaError, Session};

const ADMIN_PW: &str = "correct horse battery";

/// The fields of the purchase form most tests run against.
pub(super) fn purchase_fields() -> Value {
    json!([
        {"key": "title", "label": "标题", "type": "text", "required": true},
        {"key": "amount", "label": "金额", "type": "money", "currency": "CNY"},
        {"key": "days", "label": "天数", "type": "number"},
        {"key": "urgent", "label": "加急", "type": "yes_no"},
        {"key": "kind", "label": "类别", "type": "choice", "options": [
            {"value": "it", "label": "IT"}, {"value": "office", "label": "办公"}]},
        {"key": "manager", "label": "主管", "type": "person"},
        {"key": "doc_no", "label": "文号", "type": "text"},
        {"key": "files", "label": "附件", "type": "attachment"},
        {"key": "items", "label": "明细", "type": "table", "fields": [
            {"key": "name", "label": "名称", "type": "text"},
            {"key": "price", "label": "单价", "type": "money", "currency": "CNY"}]},
        {"key": "total", "label": "合计", "type": "total", "of": "items.price"}
    ])
}

/// The purchase form as a value (not stored).
pub(super) fn purchase_form() -> Form {
    let fields: Vec<FieldDef> = serde_json::from_value(purchase_fields()).unwrap();
    Form {
        key: "purchase".into(),
        version: 1,
        name: "采购申请".into(),
        description: String::new(),
        fields,
        created_at: chrono::DateTime::UNIX_EPOCH,
        created_by: PersonId(crate::id::Id::default()),
    }
}

/// A graph from its JSON.
pub(super) fn graph(nodes: Value) -> ProcessGraph {
    serde_json::from_value(json!({ "nodes": nodes })).unwrap()
}

/// Every problem the pure checks (structure, then settings against `form`) find in `graph`, as
/// `(path, reason)`.
pub(super) fn problems_with(graph: &ProcessGraph, form: &Form) -> Vec<(String, String)> {
    let mut issues = Problems::new();
    let structure = analyse(graph, &mut issues);
    check_settings(graph, structure.as_ref(), form, &mut issues);
    issues.into_fields().into_iter().map(|f| (f.path, f.reason)).collect()
}

/// Every problem of `graph` against the purchase form.
pub(super) fn problems(graph: &ProcessGraph) -> Vec<(String, String)> {
    problems_with(graph, &purchase_form())
}

/// Every field error of a validation error as `(path, reason)`; panics on any other error.
pub(super) fn fields(err: OaError) -> Vec<(String, String)> {
    match err {
        OaError::Validation(f) => f.into_iter().map(|f| (f.path, f.reason)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// A graph with its nodes sorted by id, to compare graphs built in different orders.
pub(super) fn sorted(mut g: ProcessGraph) -> ProcessGraph {
    g.nodes.sort_by(|a, b| a.id.cmp(&b.id));
    g
}

/// The simplest valid graph: start → one approval → end.
pub(super) fn simple() -> Value {
    json!([
        {"id": "start", "type": "start", "next": "approve"},
        {"id": "approve", "type": "approval", "next": "end", "approvers": {"strategy": "dept_head"}},
        {"id": "end", "type": "end"}
    ])
}

/// An office with a purchase form, people, a role and a numbering rule.
pub(super) struct World {
    pub(super) oa: Oa,
    pub(super) admin: Session,
    pub(super) admin_id: PersonId,
    /// Active.
    pub(super) alice: PersonId,
    /// Disabled.
    pub(super) bob: PersonId,
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
        let alice = oa.create_person(&admin, NewPerson::new("alice", "Alice", root)).unwrap().id;
        let bob = oa.create_person(&admin, NewPerson::new("bob", "Bob", root)).unwrap().id;
        oa.disable_person(&admin, bob).unwrap();
        oa.create_role(
            &admin,
            NewRole {
                code: "finance".into(),
                name: "财务".into(),
                description: String::new(),
                permissions: Vec::new(),
                inherits: Vec::new(),
                data_scope: DataScope::All,
            },
        )
        .unwrap();
        oa.create_numbering_rule(
            &admin,
            NewNumberingRule {
                key: "purchase_no".into(),
                name: "采购单号".into(),
                pattern: "CG-{year}-{seq}".into(),
                seq_width: 4,
                reset: SeqReset::Yearly,
            },
        )
        .unwrap();
        let w = World { oa, admin, admin_id, alice, bob };
        w.define_form("purchase", purchase_fields());
        w
    }

    /// Defines (or redefines) a form.
    pub(super) fn define_form(&self, key: &str, fields: Value) -> Form {
        let input = NewForm {
            key: key.into(),
            name: key.into(),
            description: String::new(),
            fields: serde_json::from_value(fields).unwrap(),
        };
        self.oa.define_form(&self.admin, input).unwrap()
    }

    /// Publishes through the internal functions, as the administrator.
    pub(super) fn publish(&self, input: &NewProcess) -> crate::OaResult<super::ProcessDefinition> {
        let now = self.oa.now();
        let by = self.admin_id;
        self.oa.store().write(|tx| super::store::publish(tx, now, by, input)).map(|(d, _)| d)
    }
}

/// A new process over the purchase form with `nodes`.
pub(super) fn new_process(key: &str, nodes: Value) -> NewProcess {
    NewProcess {
        key: key.into(),
        name: "采购审批".into(),
        category: "财务".into(),
        form_key: "purchase".into(),
        form_version: None,
        definition: graph(nodes),
    }
}
