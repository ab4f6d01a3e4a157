//! Tests of the runtime: small processes with exact expected paths (after Flowable's gateway
//! tests), every approval operation, deadlines, business keys, lists and concurrency.

mod acting;
mod business;
mod concurrency;
mod deadlines;
mod delegation;
mod monitor;
mod paths;
mod settings;
mod stored_form;
mod versions;

use std::sync::Arc;

use oa_storage::{Store, StoreExt};
use serde_json::{json, Value};

use super::act::Who;
use super::flow::Rt;
use super::model::{Instance, InstanceId, StartProcess, Task, TaskId, TaskKind, TaskStatus};
use super::store;
use crate::form::NewForm;
use crate::org::{DeptId, NewDepartment, NewPerson, PersonId};
use crate::workflow::definition::{NewProcess, ProcessDefinition, ProcessGraph};
use crate::{InitOffice, ManualClock, Oa, OaError, OaResult, Session};

const ADMIN_PW: &str = "correct horse battery";

/// An office with a form and a few people: `alice` starts instances; her superior is `mgr`,
/// who heads the sales department; `bob`, `carol`, `dave` and `erin` approve.
pub(super) struct W {
    pub(super) oa: Oa,
    pub(super) clock: ManualClock,
    pub(super) admin: Session,
    pub(super) admin_id: PersonId,
    pub(super) alice: PersonId,
    pub(super) mgr: PersonId,
    pub(super) boss: PersonId,
    pub(super) bob: PersonId,
    pub(super) carol: PersonId,
    pub(super) dave: PersonId,
    pub(super) erin: PersonId,
}

impl W {
    pub(super) fn new() -> W {
        Self::on(Arc::new(oa_storage::MemoryStore::new()))
    }

    pub(super) fn on(store: Arc<dyn Store>) -> W {
        let clock = ManualClock::monday_morning();
        let oa =
            Oa::init_shared(store, Arc::new(clock.clone()), InitOffice::new("宏远科技", "admin", "管理员", ADMIN_PW))
                .unwrap();
        let admin = oa.sign_in("admin", ADMIN_PW).unwrap();
        let admin_id = oa.whoami(&admin).unwrap().person;
        let root = oa.list_departments(&admin).unwrap()[0].id;
        let sales = oa
            .create_department(&admin, NewDepartment { name: "Sales".into(), parent: Some(root), ..Default::default() })
            .unwrap()
            .id;
        let mk = |login: &str, dept: DeptId, superior: Option<PersonId>| {
            oa.create_person(&admin, NewPerson { superior, ..NewPerson::new(login, login, dept) }).unwrap().id
        };
        let boss = mk("boss", root, None);
        let mgr = mk("mgr", sales, Some(boss));
        let alice = mk("alice", sales, Some(mgr));
        let bob = mk("bob", sales, None);
        let carol = mk("carol", sales, None);
        let dave = mk("dave", root, None);
        let erin = mk("erin", root, None);
        oa.set_department_head(&admin, sales, Some(mgr)).unwrap();
        oa.set_department_head(&admin, root, Some(boss)).unwrap();
        let fields = json!([
            {"key": "amount", "label": "Amount", "type": "number"},
            {"key": "note", "label": "Note", "type": "text"},
            {"key": "secret", "label": "Secret", "type": "text"},
            {"key": "doc_no", "label": "No", "type": "text"},
            {"key": "checker", "label": "Checker", "type": "person"}
        ]);
        oa.define_form(
            &admin,
            NewForm {
                key: "expense".into(),
                name: "报销".into(),
                description: String::new(),
                fields: serde_json::from_value(fields).unwrap(),
            },
        )
        .unwrap();
        W { oa, clock, admin, admin_id, alice, mgr, boss, bob, carol, dave, erin }
    }

    /// Publishes process `key` over the expense form with `nodes`.
    pub(super) fn publish(&self, key: &str, nodes: Value) -> ProcessDefinition {
        let graph: ProcessGraph = serde_json::from_value(json!({ "nodes": nodes })).unwrap();
        let input = NewProcess {
            key: key.into(),
            name: key.into(),
            category: String::new(),
            form_key: "expense".into(),
            form_version: None,
            definition: graph,
        };
        let (now, by) = (self.oa.now(), self.admin_id);
        self.oa
            .store()
            .write(|tx| crate::workflow::definition::publish(tx, now, by, &input))
            .map(|(d, _)| d)
            .unwrap_or_else(|e| panic!("publishing `{key}`: {e}"))
    }

    /// Runs `f` as `who` in one transaction, as the operations do.
    pub(super) fn act<T>(&self, who: PersonId, mut f: impl FnMut(&mut Rt<'_>, Who) -> OaResult<T>) -> OaResult<T> {
        let now = self.oa.now();
        let oa = &*self.oa.inner;
        self.oa.store().write(|tx| {
            let mut rt = Rt::new(tx, now, oa);
            f(&mut rt, Who::person(who))
        })
    }

    /// Gives `who`, signing in as `login`, a password of their own and signs them in.
    pub(super) fn session(&self, login: &str, who: PersonId) -> Session {
        let first = format!("{login} first Passw0rd!");
        self.oa.reset_password(&self.admin_again(), who, &first).unwrap();
        let s = self.oa.sign_in(login, &first).unwrap();
        self.oa.change_password(&s, &first, &format!("{login} second Passw0rd!")).unwrap();
        self.sign_in_again(login)
    }

    /// Signs `login` in again with the password [`W::session`] gave them, for when the clock
    /// moved past their last session's expiry.
    pub(super) fn sign_in_again(&self, login: &str) -> Session {
        self.oa.sign_in(login, &format!("{login} second Passw0rd!")).unwrap()
    }

    /// The administrator, signed in now (the first session expires when the clock moves).
    pub(super) fn admin_again(&self) -> Session {
        self.oa.sign_in("admin", ADMIN_PW).unwrap()
    }

    pub(super) fn start(&self, who: PersonId, key: &str, data: Value) -> OaResult<Instance> {
        let input = StartProcess {
            process_key: key.into(),
            version: None,
            title: format!("{key} request"),
            data,
            business_key: None,
        };
        self.act(who, |rt, w| super::act::start(rt, w, &input, None))
    }

    pub(super) fn inst(&self, id: InstanceId) -> Instance {
        self.oa.store().read(|tx| store::require_instance(tx, id)).unwrap()
    }

    pub(super) fn tasks(&self, id: InstanceId) -> Vec<Task> {
        self.oa.store().read(|tx| store::instance_tasks(tx, id)).unwrap()
    }

    /// The pending approval tasks of an instance, as `(node, assignee)`.
    pub(super) fn pending(&self, id: InstanceId) -> Vec<(String, PersonId)> {
        self.tasks(id)
            .into_iter()
            .filter(|t| t.kind == TaskKind::Approve && t.status == TaskStatus::Pending)
            .map(|t| (t.node, t.assignee))
            .collect()
    }

    /// The pending task of `who` in instance `id`.
    pub(super) fn task_of(&self, id: InstanceId, who: PersonId) -> TaskId {
        self.tasks(id)
            .into_iter()
            .find(|t| t.assignee == who && t.status == TaskStatus::Pending && t.kind != TaskKind::Cc)
            .unwrap_or_else(|| panic!("no pending task of {who} in {id}"))
            .id
    }

    pub(super) fn approve(&self, id: InstanceId, who: PersonId) -> OaResult<Instance> {
        let t = self.task_of(id, who);
        self.act(who, |rt, w| super::act::approve(rt, w, t, "ok", None))
    }

    pub(super) fn reject(&self, id: InstanceId, who: PersonId) -> OaResult<Instance> {
        let t = self.task_of(id, who);
        self.act(who, |rt, w| super::act::reject(rt, w, t, "no"))
    }

    /// The nodes whose tasks were approved, in order, with a branch taken as `>node`.
    pub(super) fn trail(&self, id: InstanceId) -> Vec<String> {
        let h = self.oa.store().read(|tx| store::history(tx, id)).unwrap();
        h.into_iter()
            .filter_map(|e| {
                use super::model::HistoryAction as A;
                match e.action {
                    A::Approved | A::AutoApproved => e.node,
                    A::BranchTaken => Some(format!(">{}", e.detail.rsplit('`').nth(1).unwrap_or(""))),
                    A::Rejected => e.node.map(|n| format!("x{n}")),
                    A::Returned => e.node.map(|n| format!("<{n}")),
                    _ => None,
                }
            })
            .collect()
    }

    /// Every key and value of the store, to prove that nothing was written.
    pub(super) fn snapshot(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.oa.store().scan(&oa_storage::KeyRange::all(), oa_storage::Direction::Forward, usize::MAX).unwrap()
    }
}

/// An approval node `id` → `next` with `approvers` and extra settings.
pub(super) fn approval(id: &str, next: &str, approvers: Value, extra: Value) -> Value {
    let mut n = json!({"id": id, "name": id, "type": "approval", "next": next, "approvers": approvers});
    if let (Some(m), Some(e)) = (n.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    n
}

/// Named people as approvers.
pub(super) fn people(ids: &[PersonId]) -> Value {
    json!({"strategy": "people", "people": ids.iter().map(|p| p.to_string()).collect::<Vec<_>>()})
}

pub(super) fn code(e: OaError) -> &'static str {
    e.code()
}
