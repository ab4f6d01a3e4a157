//! The records the core returns, as frozen Python classes with typed attributes.
//!
//! Ids are `str` (26 characters, sortable by creation); instants are aware `datetime`s in UTC;
//! the words of the core's enums (statuses, data scope kinds, outcomes) are plain `str`, the same
//! words the core serialises (`"active"`, `"own_dept"`), typed as `Literal`s in the stubs.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};
use pyo3::{IntoPyObject, IntoPyObjectExt};

use crate::convert::word_of;

/// Builds a repr in Python's style: `Person(login='zhangwei', name='张伟')`.
pub(crate) struct Repr<'py> {
    py: Python<'py>,
    out: String,
    first: bool,
}

impl<'py> Repr<'py> {
    pub(crate) fn new(py: Python<'py>, name: &str) -> Self {
        Repr { py, out: format!("{name}("), first: true }
    }

    fn key(&mut self, key: &str) {
        if !self.first {
            self.out.push_str(", ");
        }
        self.first = false;
        if !key.is_empty() {
            self.out.push_str(key);
            self.out.push('=');
        }
    }

    /// A value shown as Python's `repr` shows it.
    pub(crate) fn any<T: IntoPyObject<'py>>(mut self, key: &str, value: T) -> Self {
        self.key(key);
        let shown = value
            .into_bound_py_any(self.py)
            .ok()
            .and_then(|v| v.repr().ok())
            .map(|r| r.to_string())
            .unwrap_or_else(|| "?".into());
        self.out.push_str(&shown);
        self
    }

    pub(crate) fn str(self, key: &str, value: &str) -> Self {
        self.any(key, value)
    }

    pub(crate) fn opt(self, key: &str, value: &Option<String>) -> Self {
        self.any(key, value.as_deref())
    }

    pub(crate) fn finish(mut self) -> String {
        self.out.push(')');
        self.out
    }
}

/// A department (部门): a node of the organisation tree.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub code: Option<String>,
    pub parent: Option<String>,
    pub sort_order: i64,
    pub head: Option<String>,
    /// `"active"` or `"disabled"`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<oa::org::Department> for Department {
    fn from(d: oa::org::Department) -> Self {
        Department {
            id: d.id.to_string(),
            name: d.name,
            code: d.code,
            parent: d.parent.map(|p| p.to_string()),
            sort_order: d.sort_order,
            head: d.head.map(|h| h.to_string()),
            status: word_of(&d.status),
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

#[pymethods]
impl Department {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Department")
            .str("id", &self.id)
            .str("name", &self.name)
            .opt("code", &self.code)
            .opt("parent", &self.parent)
            .str("status", &self.status)
            .finish()
    }
}

/// A part-time post (兼职) held in another department.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Post {
    pub dept: String,
    pub position: Option<String>,
}

#[pymethods]
impl Post {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Post").str("dept", &self.dept).opt("position", &self.position).finish()
    }
}

/// A person (人员).
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub login: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub dept: String,
    pub position: Option<String>,
    pub superior: Option<String>,
    pub posts: Vec<Post>,
    /// `"active"`, `"disabled"` or `"left"`.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<oa::org::Person> for Person {
    fn from(p: oa::org::Person) -> Self {
        Person {
            id: p.id.to_string(),
            login: p.login,
            name: p.name,
            email: p.email,
            phone: p.phone,
            dept: p.dept.to_string(),
            position: p.position,
            superior: p.superior.map(|s| s.to_string()),
            posts: p
                .posts
                .into_iter()
                .map(|post| Post { dept: post.dept.to_string(), position: post.position })
                .collect(),
            status: word_of(&p.status),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[pymethods]
impl Person {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Person")
            .str("id", &self.id)
            .str("login", &self.login)
            .str("name", &self.name)
            .str("dept", &self.dept)
            .str("status", &self.status)
            .finish()
    }
}

/// What an import created.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct ImportReport {
    pub departments_created: u32,
    pub people_created: u32,
    pub passwords_set: u32,
    pub without_password: u32,
}

impl From<oa::org::ImportReport> for ImportReport {
    fn from(r: oa::org::ImportReport) -> Self {
        ImportReport {
            departments_created: r.departments_created,
            people_created: r.people_created,
            passwords_set: r.passwords_set,
            without_password: r.without_password,
        }
    }
}

#[pymethods]
impl ImportReport {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "ImportReport")
            .any("departments_created", self.departments_created)
            .any("people_created", self.people_created)
            .any("passwords_set", self.passwords_set)
            .any("without_password", self.without_password)
            .finish()
    }
}

/// Who the caller is.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct Me {
    pub person: String,
    pub login: String,
    pub name: String,
    pub dept: String,
    pub must_change_password: bool,
    pub permissions: Vec<String>,
    pub session_id: String,
    pub session_expires_at: DateTime<Utc>,
    pub password_changed_at: Option<DateTime<Utc>>,
    pub password_expires_at: Option<DateTime<Utc>>,
}

impl From<oa::Me> for Me {
    fn from(m: oa::Me) -> Self {
        Me {
            person: m.person.to_string(),
            login: m.login,
            name: m.name,
            dept: m.dept.to_string(),
            must_change_password: m.must_change_password,
            permissions: m.permissions,
            session_id: m.session_id.to_string(),
            session_expires_at: m.session_expires_at,
            password_changed_at: m.password_changed_at,
            password_expires_at: m.password_expires_at,
        }
    }
}

#[pymethods]
impl Me {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Me")
            .str("person", &self.person)
            .str("login", &self.login)
            .str("name", &self.name)
            .any("must_change_password", self.must_change_password)
            .finish()
    }
}

/// A live session as a person or an administrator sees it (never its token).
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct SessionInfo {
    pub id: String,
    pub person: String,
    pub created_at: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    pub idle_expires_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub current: bool,
    pub must_change_password: bool,
}

impl From<oa::SessionInfo> for SessionInfo {
    fn from(s: oa::SessionInfo) -> Self {
        SessionInfo {
            id: s.id.to_string(),
            person: s.person.to_string(),
            created_at: s.created_at,
            last_seen: s.last_seen,
            idle_expires_at: s.idle_expires_at,
            expires_at: s.expires_at,
            current: s.current,
            must_change_password: s.must_change_password,
        }
    }
}

#[pymethods]
impl SessionInfo {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "SessionInfo")
            .str("id", &self.id)
            .str("person", &self.person)
            .any("current", self.current)
            .finish()
    }
}

/// Which records a role's permissions reach (数据权限): `kind` is `"all"`, `"depts"` (then
/// `depts` lists the departments), `"own_dept"`, `"own_dept_and_below"` or `"self_only"`.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DataScope {
    pub kind: String,
    pub depts: Vec<String>,
}

impl From<oa::perm::DataScope> for DataScope {
    fn from(s: oa::perm::DataScope) -> Self {
        let depts = match &s {
            oa::perm::DataScope::Depts { depts } => depts.iter().map(ToString::to_string).collect(),
            _ => Vec::new(),
        };
        let kind = match serde_json::to_value(&s) {
            Ok(serde_json::Value::Object(map)) => map.get("kind").and_then(|k| k.as_str()).unwrap_or("").to_string(),
            _ => String::new(),
        };
        DataScope { kind, depts }
    }
}

impl DataScope {
    /// A scope of a kind without departments, named by its word.
    pub(crate) fn from_word(kind: String) -> Self {
        DataScope { kind, depts: Vec::new() }
    }

    /// The core's data scope; a kind that is not one, or departments given with a kind other
    /// than `depts`, is a validation error on `field`.
    pub(crate) fn to_core(&self, py: Python<'_>, field: &str) -> PyResult<oa::perm::DataScope> {
        let depts = self
            .depts
            .iter()
            .enumerate()
            .map(|(i, d)| crate::convert::dept_id(py, &format!("{field}.depts[{i}]"), d))
            .collect::<PyResult<Vec<_>>>()?;
        let mut value = serde_json::json!({ "kind": self.kind });
        if self.kind == "depts" {
            value["depts"] = serde_json::json!(depts);
        } else if !depts.is_empty() {
            return Err(crate::errors::invalid(py, &format!("{field}.depts"), "is only given with the kind `depts`"));
        }
        serde_json::from_value(value).map_err(|e| crate::errors::invalid(py, field, e.to_string()))
    }
}

#[pymethods]
impl DataScope {
    #[new]
    #[pyo3(signature = (kind, depts = None))]
    fn new(kind: String, depts: Option<Vec<String>>) -> Self {
        DataScope { kind, depts: depts.unwrap_or_default() }
    }

    /// Every record (全部数据).
    #[staticmethod]
    fn all() -> Self {
        DataScope { kind: "all".into(), depts: Vec::new() }
    }

    /// Records of exactly these departments (自定义).
    #[staticmethod]
    fn of_depts(depts: Vec<String>) -> Self {
        DataScope { kind: "depts".into(), depts }
    }

    /// Records of the holder's own departments (本部门).
    #[staticmethod]
    fn own_dept() -> Self {
        DataScope { kind: "own_dept".into(), depts: Vec::new() }
    }

    /// Records of the holder's own departments and those below (本部门及以下).
    #[staticmethod]
    fn own_dept_and_below() -> Self {
        DataScope { kind: "own_dept_and_below".into(), depts: Vec::new() }
    }

    /// Only records the holder owns (仅本人).
    #[staticmethod]
    fn self_only() -> Self {
        DataScope { kind: "self_only".into(), depts: Vec::new() }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let r = Repr::new(py, "DataScope").str("kind", &self.kind);
        if self.depts.is_empty() { r } else { r.any("depts", self.depts.clone()) }.finish()
    }
}

/// A role (角色).
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct Role {
    pub code: String,
    pub name: String,
    pub description: String,
    pub permissions: Vec<String>,
    pub inherits: Vec<String>,
    pub data_scope: DataScope,
    pub builtin: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<oa::perm::Role> for Role {
    fn from(r: oa::perm::Role) -> Self {
        Role {
            code: r.code,
            name: r.name,
            description: r.description,
            permissions: r.permissions,
            inherits: r.inherits,
            data_scope: r.data_scope.into(),
            builtin: r.builtin,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[pymethods]
impl Role {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Role")
            .str("code", &self.code)
            .str("name", &self.name)
            .any("permissions", self.permissions.len())
            .str("data_scope", &self.data_scope.kind)
            .any("builtin", self.builtin)
            .finish()
    }
}

/// A grant (授权): a role given to a person, optionally only inside a department subtree.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct Grant {
    pub id: String,
    pub person: String,
    pub role: String,
    pub limit_to_dept: Option<String>,
    pub granted_at: DateTime<Utc>,
    pub granted_by: Option<String>,
}

impl From<oa::perm::Grant> for Grant {
    fn from(g: oa::perm::Grant) -> Self {
        Grant {
            id: g.id.to_string(),
            person: g.person.to_string(),
            role: g.role,
            limit_to_dept: g.limit_to_dept.map(|d| d.to_string()),
            granted_at: g.granted_at,
            granted_by: g.granted_by.map(|p| p.to_string()),
        }
    }
}

#[pymethods]
impl Grant {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Grant")
            .str("id", &self.id)
            .str("person", &self.person)
            .str("role", &self.role)
            .opt("limit_to_dept", &self.limit_to_dept)
            .finish()
    }
}

/// A permission of the catalogue. `category` is `"system"`, `"security"`, `"audit"` or
/// `"business"`.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PermissionInfo {
    pub name: String,
    pub description: String,
    pub category: String,
}

impl From<oa::perm::PermissionInfo> for PermissionInfo {
    fn from(p: oa::perm::PermissionInfo) -> Self {
        PermissionInfo { name: p.name, description: p.description, category: word_of(&p.category) }
    }
}

#[pymethods]
impl PermissionInfo {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "PermissionInfo").str("name", &self.name).str("category", &self.category).finish()
    }
}

/// Records of one person inside one department subtree.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct OwnerWithin {
    pub person: String,
    pub subtree: String,
}

#[pymethods]
impl OwnerWithin {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "OwnerWithin").str("person", &self.person).str("subtree", &self.subtree).finish()
    }
}

/// The reach of one permission for one person, as a filter for list queries.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct ScopeFilter {
    pub all: bool,
    pub subtrees: Vec<String>,
    pub depts: Vec<String>,
    pub persons: Vec<String>,
    pub persons_within: Vec<OwnerWithin>,
}

impl From<oa::perm::ScopeFilter> for ScopeFilter {
    fn from(s: oa::perm::ScopeFilter) -> Self {
        let ids = |v: Vec<oa::DeptId>| v.into_iter().map(|d| d.to_string()).collect();
        ScopeFilter {
            all: s.all,
            subtrees: ids(s.subtrees),
            depts: ids(s.depts),
            persons: s.persons.into_iter().map(|p| p.to_string()).collect(),
            persons_within: s
                .persons_within
                .into_iter()
                .map(|w| OwnerWithin { person: w.person.to_string(), subtree: w.subtree.to_string() })
                .collect(),
        }
    }
}

#[pymethods]
impl ScopeFilter {
    /// Whether the filter covers no record at all.
    fn is_empty(&self) -> bool {
        !self.all
            && self.subtrees.is_empty()
            && self.depts.is_empty()
            && self.persons.is_empty()
            && self.persons_within.is_empty()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "ScopeFilter")
            .any("all", self.all)
            .any("subtrees", self.subtrees.clone())
            .any("depts", self.depts.clone())
            .any("persons", self.persons.clone())
            .any("persons_within", self.persons_within.clone())
            .finish()
    }
}

/// A parameter's value: `bool`, `int` or `str`.
#[derive(Clone, PartialEq, IntoPyObject)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Text(String),
}

impl From<oa::ParamValue> for Value {
    fn from(v: oa::ParamValue) -> Self {
        match v {
            oa::ParamValue::Bool(b) => Value::Bool(b),
            oa::ParamValue::Int(n) => Value::Int(n),
            oa::ParamValue::Text(s) => Value::Text(s),
        }
    }
}

/// The kind of value a parameter takes: `type` is `"int"` (with `min` and `max`), `"bool"`,
/// `"text"` (with `max_len`), `"choice"` (with `options`) or `"currency"`.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct ParamKind {
    pub r#type: String,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub max_len: Option<u32>,
    pub options: Option<Vec<String>>,
}

impl From<oa::ParamKind> for ParamKind {
    fn from(k: oa::ParamKind) -> Self {
        let mut out = ParamKind { r#type: String::new(), min: None, max: None, max_len: None, options: None };
        if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(&k) {
            out.r#type = map.get("type").and_then(|t| t.as_str()).unwrap_or("").to_string();
        }
        match k {
            oa::ParamKind::Int { min, max } => {
                out.min = Some(min);
                out.max = Some(max);
            }
            oa::ParamKind::Text { max_len } => out.max_len = Some(max_len),
            oa::ParamKind::Choice { options } => out.options = Some(options),
            oa::ParamKind::Bool | oa::ParamKind::Currency => {}
        }
        out
    }
}

#[pymethods]
impl ParamKind {
    fn __repr__(&self, py: Python<'_>) -> String {
        let mut r = Repr::new(py, "ParamKind").str("type", &self.r#type);
        if let (Some(min), Some(max)) = (self.min, self.max) {
            r = r.any("min", min).any("max", max);
        }
        if let Some(n) = self.max_len {
            r = r.any("max_len", n);
        }
        if let Some(o) = &self.options {
            r = r.any("options", o.clone());
        }
        r.finish()
    }
}

/// The declaration of a parameter.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct ParamDef {
    pub key: String,
    pub description: String,
    pub kind: ParamKind,
    pub default: Value,
}

impl From<oa::ParamDef> for ParamDef {
    fn from(d: oa::ParamDef) -> Self {
        ParamDef { key: d.key, description: d.description, kind: d.kind.into(), default: d.default.into() }
    }
}

#[pymethods]
impl ParamDef {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "ParamDef").str("key", &self.key).any("default", self.default.clone()).finish()
    }
}

/// A parameter with its current value. (`def_`, with a trailing underscore, because `def` is a
/// Python keyword.)
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct ParamSetting {
    pub def_: ParamDef,
    pub value: Value,
    pub is_default: bool,
}

impl From<oa::ParamSetting> for ParamSetting {
    fn from(s: oa::ParamSetting) -> Self {
        ParamSetting { def_: s.def.into(), value: s.value.into(), is_default: s.is_default }
    }
}

#[pymethods]
impl ParamSetting {
    /// The parameter's key (the same as `def_.key`).
    #[getter]
    fn key(&self) -> String {
        self.def_.key.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "ParamSetting")
            .str("key", &self.def_.key)
            .any("value", self.value.clone())
            .any("is_default", self.is_default)
            .finish()
    }
}

/// One record of the audit log. `outcome` is `"success"`, `"denied"` or `"failed"`.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct AuditRecord {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub actor_login: Option<String>,
    pub session: Option<String>,
    pub operation: String,
    pub target: Option<String>,
    pub outcome: String,
    pub summary: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<oa::AuditRecord> for AuditRecord {
    fn from(r: oa::AuditRecord) -> Self {
        AuditRecord {
            seq: r.seq,
            at: r.at,
            actor: r.actor.map(|a| a.to_string()),
            actor_login: r.actor_login,
            session: r.session.map(|s| s.to_string()),
            operation: r.operation,
            target: r.target,
            outcome: word_of(&r.outcome),
            summary: r.summary,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

#[pymethods]
impl AuditRecord {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "AuditRecord")
            .any("seq", self.seq)
            .str("operation", &self.operation)
            .opt("actor_login", &self.actor_login)
            .opt("target", &self.target)
            .str("outcome", &self.outcome)
            .finish()
    }
}

/// The result of walking the audit log's hash chain.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct ChainReport {
    pub checked: u64,
    pub first_mismatch: Option<u64>,
    pub problem: Option<String>,
    pub head_hash: String,
}

impl From<oa::ChainReport> for ChainReport {
    fn from(r: oa::ChainReport) -> Self {
        ChainReport { checked: r.checked, first_mismatch: r.first_mismatch, problem: r.problem, head_hash: r.head_hash }
    }
}

#[pymethods]
impl ChainReport {
    /// Whether the whole chain matched.
    fn is_intact(&self) -> bool {
        self.first_mismatch.is_none()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "ChainReport")
            .any("checked", self.checked)
            .any("first_mismatch", self.first_mismatch)
            .opt("problem", &self.problem)
            .finish()
    }
}

/// One interval of working hours within a day, such as 09:00–12:00 (`end` of `00:00` means
/// midnight at the end of the day).
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct WorkHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl From<oa::WorkHours> for WorkHours {
    fn from(h: oa::WorkHours) -> Self {
        WorkHours { start: h.start, end: h.end }
    }
}

impl From<&WorkHours> for oa::WorkHours {
    fn from(h: &WorkHours) -> Self {
        oa::WorkHours { start: h.start, end: h.end }
    }
}

#[pymethods]
impl WorkHours {
    #[new]
    fn new(start: NaiveTime, end: NaiveTime) -> Self {
        WorkHours { start, end }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "WorkHours").any("start", self.start).any("end", self.end).finish()
    }
}

/// The settings of the working calendar. Weekdays are numbered as `date.weekday()` numbers
/// them: 0 for Monday to 6 for Sunday (`calendar.MONDAY`…).
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct WorkCalendarSettings {
    pub working_weekdays: Vec<u32>,
    pub hours: Vec<WorkHours>,
    pub utc_offset: String,
}

impl From<oa::WorkCalendarSettings> for WorkCalendarSettings {
    fn from(s: oa::WorkCalendarSettings) -> Self {
        WorkCalendarSettings {
            working_weekdays: s.working_weekdays.iter().map(|d| d.num_days_from_monday()).collect(),
            hours: s.hours.into_iter().map(Into::into).collect(),
            utc_offset: s.utc_offset,
        }
    }
}

#[pymethods]
impl WorkCalendarSettings {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "WorkCalendarSettings")
            .any("working_weekdays", self.working_weekdays.clone())
            .any("hours", self.hours.clone())
            .str("utc_offset", &self.utc_offset)
            .finish()
    }
}

/// One year's public holidays and make-up working days (调休).
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct HolidayYear {
    pub year: i32,
    pub holidays: Vec<NaiveDate>,
    pub makeup_days: Vec<NaiveDate>,
}

impl From<oa::HolidayYear> for HolidayYear {
    fn from(h: oa::HolidayYear) -> Self {
        HolidayYear { year: h.year, holidays: h.holidays, makeup_days: h.makeup_days }
    }
}

#[pymethods]
impl HolidayYear {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "HolidayYear")
            .any("year", self.year)
            .any("holidays", self.holidays.clone())
            .any("makeup_days", self.makeup_days.clone())
            .finish()
    }
}

/// An amount of working time: `unit` is `"minutes"`, `"hours"` or `"days"`.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct WorkDuration {
    pub amount: u32,
    pub unit: String,
}

impl WorkDuration {
    pub(crate) fn to_core(&self, py: Python<'_>) -> PyResult<oa::WorkDuration> {
        let unit = crate::convert::word(py, "duration.unit", &self.unit)?;
        Ok(oa::WorkDuration { amount: self.amount, unit })
    }
}

#[pymethods]
impl WorkDuration {
    #[new]
    fn new(py: Python<'_>, amount: i64, unit: String) -> PyResult<Self> {
        Ok(WorkDuration { amount: crate::convert::unsigned(py, "amount", amount)?, unit })
    }

    /// `n` working minutes.
    #[staticmethod]
    fn minutes(py: Python<'_>, n: i64) -> PyResult<Self> {
        Self::new(py, n, "minutes".into())
    }

    /// `n` working hours.
    #[staticmethod]
    fn hours(py: Python<'_>, n: i64) -> PyResult<Self> {
        Self::new(py, n, "hours".into())
    }

    /// `n` working days: the same clock time that many working days later.
    #[staticmethod]
    fn days(py: Python<'_>, n: i64) -> PyResult<Self> {
        Self::new(py, n, "days".into())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "WorkDuration").any("amount", self.amount).str("unit", &self.unit).finish()
    }
}

/// A numbering rule (编号规则). `reset` is `"yearly"`, `"monthly"` or `"never"`.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct NumberingRule {
    pub key: String,
    pub name: String,
    pub pattern: String,
    pub seq_width: u8,
    pub reset: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<oa::NumberingRule> for NumberingRule {
    fn from(r: oa::NumberingRule) -> Self {
        NumberingRule {
            key: r.key,
            name: r.name,
            pattern: r.pattern,
            seq_width: r.seq_width,
            reset: word_of(&r.reset),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[pymethods]
impl NumberingRule {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "NumberingRule")
            .str("key", &self.key)
            .str("name", &self.name)
            .str("pattern", &self.pattern)
            .str("reset", &self.reset)
            .finish()
    }
}

/// A number that was issued, and to what.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct IssuedNumber {
    pub rule: String,
    pub number: String,
    pub seq: u64,
    pub period: String,
    pub owner: String,
    pub issued_at: DateTime<Utc>,
    pub issued_by: Option<String>,
}

impl From<oa::IssuedNumber> for IssuedNumber {
    fn from(n: oa::IssuedNumber) -> Self {
        IssuedNumber {
            rule: n.rule,
            number: n.number,
            seq: n.seq,
            period: n.period,
            owner: n.owner,
            issued_at: n.issued_at,
            issued_by: n.issued_by.map(|p| p.to_string()),
        }
    }
}

#[pymethods]
impl IssuedNumber {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "IssuedNumber")
            .str("rule", &self.rule)
            .str("number", &self.number)
            .str("owner", &self.owner)
            .finish()
    }
}

/// One version of a form (表单). `fields` is the definition as the core's JSON: a list of
/// dicts, each with `key`, `label`, `required`, `help`, `type` and the kind's own settings beside
/// them (unset settings are `None`; decimal bounds are `str`).
#[pyclass(module = "oa", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Form {
    #[pyo3(get)]
    pub key: String,
    #[pyo3(get)]
    pub version: u32,
    #[pyo3(get)]
    pub name: String,
    #[pyo3(get)]
    pub description: String,
    /// Kept as the core's type; the getter converts to dicts afresh, so no caller can change
    /// this record through the list it got.
    pub fields: Vec<oa::FieldDef>,
    #[pyo3(get)]
    pub created_at: DateTime<Utc>,
    #[pyo3(get)]
    pub created_by: String,
}

impl From<oa::Form> for Form {
    fn from(f: oa::Form) -> Self {
        Form {
            key: f.key,
            version: f.version,
            name: f.name,
            description: f.description,
            fields: f.fields,
            created_at: f.created_at,
            created_by: f.created_by.to_string(),
        }
    }
}

#[pymethods]
impl Form {
    /// The fields, in display order, as a new list of dicts.
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let json = serde_json::to_value(&self.fields)
            .map_err(|e| crate::errors::to_py(py, oa::OaError::Internal(format!("a form's fields as JSON: {e}"))))?;
        crate::convert::py_json(py, &json)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let keys: Vec<&str> = self.fields.iter().map(|f| f.key.as_str()).collect();
        Repr::new(py, "Form")
            .str("key", &self.key)
            .any("version", self.version)
            .str("name", &self.name)
            .any("fields", keys)
            .finish()
    }
}

/// One version of a form, in a form's history.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct FormVersion {
    pub version: u32,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl From<oa::FormVersion> for FormVersion {
    fn from(v: oa::FormVersion) -> Self {
        FormVersion { version: v.version, name: v.name, created_at: v.created_at, created_by: v.created_by.to_string() }
    }
}

#[pymethods]
impl FormVersion {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "FormVersion")
            .any("version", self.version)
            .str("name", &self.name)
            .any("created_at", self.created_at)
            .finish()
    }
}

/// An uploaded file (附件), addressed by the SHA-256 of its content: `hash` is its id.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct AttachmentInfo {
    pub hash: String,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl From<oa::AttachmentInfo> for AttachmentInfo {
    fn from(a: oa::AttachmentInfo) -> Self {
        AttachmentInfo {
            hash: a.hash,
            file_name: a.file_name,
            content_type: a.content_type,
            size: a.size,
            created_at: a.created_at,
            created_by: a.created_by.to_string(),
        }
    }
}

#[pymethods]
impl AttachmentInfo {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "AttachmentInfo")
            .str("hash", &self.hash)
            .str("file_name", &self.file_name)
            .str("content_type", &self.content_type)
            .any("size", self.size)
            .finish()
    }
}

/// One page of a list: it behaves like a read-only list of its items, and `next_cursor` names
/// where the next page starts (`None` on the last page).
#[pyclass(module = "oa", frozen, generic, sequence)]
pub struct Page {
    items: Py<PyTuple>,
    #[pyo3(get)]
    next_cursor: Option<String>,
}

impl Page {
    pub(crate) fn new<'py, T: IntoPyObject<'py>>(py: Python<'py>, page: oa::Page<T>) -> PyResult<Page> {
        Ok(Page { items: PyTuple::new(py, page.items)?.unbind(), next_cursor: page.next_cursor })
    }
}

#[pymethods]
impl Page {
    /// The items of this page, as a new list.
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.items.bind(py).iter())
    }

    fn __len__(&self, py: Python<'_>) -> usize {
        self.items.bind(py).len()
    }

    fn __getitem__<'py>(&self, py: Python<'py>, index: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let got = self.items.bind(py).as_any().get_item(index)?;
        // A slice of a page is a list, as a slice of a list is.
        match got.cast::<PyTuple>() {
            Ok(t) if index.is_instance_of::<pyo3::types::PySlice>() => Ok(PyList::new(py, t.iter())?.into_any()),
            _ => Ok(got),
        }
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.items.bind(py).as_any().try_iter()?.into_any())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let items = self.items(py)?;
        Ok(format!("Page({}, next_cursor={})", items.repr()?, self.next_cursor.as_deref().into_pyobject(py)?.repr()?))
    }
}

// ---- workflow (审批流程) ----

/// The core's JSON of a serialisable value, as Python values (`dict`, `list`…), built afresh on
/// each access so no caller can change a record through what it got.
fn json_of<'py, T: serde::Serialize>(py: Python<'py>, what: &str, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| crate::errors::to_py(py, oa::OaError::Internal(format!("{what} as JSON: {e}"))))?;
    crate::convert::py_json(py, &json)
}

/// One version of a process (流程定义). `graph` is the process graph as the core's JSON: a
/// dict with `nodes`, a list of dicts each with `id`, `name`, `type` and the node's settings.
#[pyclass(module = "oa", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct ProcessDefinition {
    #[pyo3(get)]
    pub key: String,
    #[pyo3(get)]
    pub version: u32,
    #[pyo3(get)]
    pub name: String,
    #[pyo3(get)]
    pub category: String,
    #[pyo3(get)]
    pub form_key: String,
    #[pyo3(get)]
    pub form_version: u32,
    /// Kept as the core's type; the getter converts to dicts afresh.
    pub graph: oa::workflow::definition::ProcessGraph,
    #[pyo3(get)]
    pub created_at: DateTime<Utc>,
    #[pyo3(get)]
    pub created_by: String,
}

impl From<oa::workflow::definition::ProcessDefinition> for ProcessDefinition {
    fn from(d: oa::workflow::definition::ProcessDefinition) -> Self {
        ProcessDefinition {
            key: d.key,
            version: d.version,
            name: d.name,
            category: d.category,
            form_key: d.form_key,
            form_version: d.form_version,
            graph: d.graph,
            created_at: d.created_at,
            created_by: d.created_by.to_string(),
        }
    }
}

#[pymethods]
impl ProcessDefinition {
    /// The process graph, as a new dict (`{"nodes": [...]}`).
    #[getter]
    fn graph<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_of(py, "a process graph", &self.graph)
    }

    /// The ids of the nodes, in the graph's order.
    #[getter]
    fn node_ids(&self) -> Vec<String> {
        self.graph.nodes.iter().map(|n| n.id.clone()).collect()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "ProcessDefinition")
            .str("key", &self.key)
            .any("version", self.version)
            .str("name", &self.name)
            .str("form_key", &self.form_key)
            .any("form_version", self.form_version)
            .finish()
    }
}

/// One version of a process, in a process's history.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct ProcessVersion {
    pub version: u32,
    pub name: String,
    pub form_version: u32,
    pub nodes: u32,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

impl From<oa::workflow::definition::ProcessVersion> for ProcessVersion {
    fn from(v: oa::workflow::definition::ProcessVersion) -> Self {
        ProcessVersion {
            version: v.version,
            name: v.name,
            form_version: v.form_version,
            nodes: v.nodes,
            created_at: v.created_at,
            created_by: v.created_by.to_string(),
        }
    }
}

#[pymethods]
impl ProcessVersion {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "ProcessVersion")
            .any("version", self.version)
            .str("name", &self.name)
            .any("form_version", self.form_version)
            .any("nodes", self.nodes)
            .finish()
    }
}

/// A process instance (流程实例). `data` is the form data as normalised by the core (a new
/// dict on each access); `tokens` lists where it waits, as dicts with `node`, `activation`,
/// `arrived`, `in_turn`, `resume_at` and `entered_at`; `returned` is set (a dict with `from` and
/// `resume_at`) while it is returned to its initiator.
#[pyclass(module = "oa", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct Instance {
    #[pyo3(get)]
    pub id: String,
    #[pyo3(get)]
    pub process_key: String,
    #[pyo3(get)]
    pub process_version: u32,
    #[pyo3(get)]
    pub process_name: String,
    #[pyo3(get)]
    pub form_key: String,
    #[pyo3(get)]
    pub form_version: u32,
    #[pyo3(get)]
    pub business_key: Option<String>,
    #[pyo3(get)]
    pub title: String,
    #[pyo3(get)]
    pub initiator: String,
    #[pyo3(get)]
    pub initiator_dept: String,
    pub data: serde_json::Value,
    /// The status's word (`"running"`).
    #[pyo3(get)]
    pub status: String,
    pub tokens: Vec<oa::workflow::runtime::Token>,
    #[pyo3(get)]
    pub created_at: DateTime<Utc>,
    #[pyo3(get)]
    pub started_at: Option<DateTime<Utc>>,
    #[pyo3(get)]
    pub ended_at: Option<DateTime<Utc>>,
    #[pyo3(get)]
    pub number: Option<String>,
    pub returned: Option<oa::workflow::runtime::ReturnMark>,
    #[pyo3(get)]
    pub history_len: u32,
}

impl From<oa::workflow::runtime::Instance> for Instance {
    fn from(i: oa::workflow::runtime::Instance) -> Self {
        Instance {
            id: i.id.to_string(),
            process_key: i.process_key,
            process_version: i.process_version,
            process_name: i.process_name,
            form_key: i.form_key,
            form_version: i.form_version,
            business_key: i.business_key,
            title: i.title,
            initiator: i.initiator.to_string(),
            initiator_dept: i.initiator_dept.to_string(),
            data: i.data,
            status: word_of(&i.status),
            tokens: i.tokens,
            created_at: i.created_at,
            started_at: i.started_at,
            ended_at: i.ended_at,
            number: i.number,
            returned: i.returned,
            history_len: i.history_len,
        }
    }
}

#[pymethods]
impl Instance {
    /// The form data, as a new dict.
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::convert::py_json(py, &self.data)
    }

    /// Where the instance waits, as a new list of dicts; `entered_at` (when the instance
    /// reached the node) is an aware datetime, or `None` on tokens stored before it was kept.
    #[getter]
    fn tokens<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for token in &self.tokens {
            let dict = json_of(py, "an instance's token", token)?;
            dict.set_item("entered_at", token.entered_at)?;
            list.append(dict)?;
        }
        Ok(list)
    }

    /// The nodes the instance waits at.
    #[getter]
    fn waiting_at(&self) -> Vec<String> {
        self.tokens.iter().map(|t| t.node.clone()).collect()
    }

    /// While returned to its initiator: `{"from": node, "resume_at": node or None}`.
    #[getter]
    fn returned<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_of(py, "a return mark", &self.returned)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "Instance")
            .str("id", &self.id)
            .str("process_key", &self.process_key)
            .str("title", &self.title)
            .str("status", &self.status)
            .finish()
    }
}

/// A task (待办 or 抄送): one person's part at one activation of one node.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct Task {
    pub id: String,
    pub instance: String,
    pub node: String,
    pub node_name: String,
    pub assignee: String,
    /// `"approve"`, `"cc"` or `"resubmit"`.
    pub kind: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// When the deadline is next handled: the deadline, then each reminder's instant.
    pub due_at: Option<DateTime<Utc>>,
    /// The deadline the node set, which reminders do not move: what makes a task overdue.
    pub deadline_at: Option<DateTime<Utc>>,
    pub acted_at: Option<DateTime<Utc>>,
    pub comment: String,
    pub order: u32,
    pub activation: u32,
    pub seat: String,
    pub after: Vec<String>,
    pub added_by: Option<String>,
    pub auto: bool,
    pub reminders: u32,
    pub urged: u32,
    pub process_key: String,
    pub process_name: String,
    pub title: String,
    pub initiator: String,
    /// The person the task was meant for, when their standing delegation (委托) sent it here.
    pub on_behalf_of: Option<String>,
    /// For a task delegated to its assignee to deal with (委派): the owner's task.
    pub delegated_from: Option<String>,
}

impl From<oa::workflow::runtime::Task> for Task {
    fn from(t: oa::workflow::runtime::Task) -> Self {
        Task {
            id: t.id.to_string(),
            instance: t.instance.to_string(),
            node: t.node,
            node_name: t.node_name,
            assignee: t.assignee.to_string(),
            kind: word_of(&t.kind),
            status: word_of(&t.status),
            created_at: t.created_at,
            due_at: t.due_at,
            deadline_at: t.deadline_at,
            acted_at: t.acted_at,
            comment: t.comment,
            order: t.order,
            activation: t.activation,
            seat: t.seat.to_string(),
            after: t.after.iter().map(ToString::to_string).collect(),
            added_by: t.added_by.map(|p| p.to_string()),
            auto: t.auto,
            reminders: t.reminders,
            urged: t.urged,
            process_key: t.process_key,
            process_name: t.process_name,
            title: t.title,
            initiator: t.initiator.to_string(),
            on_behalf_of: t.on_behalf_of.map(|p| p.to_string()),
            delegated_from: t.delegated_from.map(|d| d.to_string()),
        }
    }
}

#[pymethods]
impl Task {
    fn __repr__(&self, py: Python<'_>) -> String {
        let mut r = Repr::new(py, "Task")
            .str("id", &self.id)
            .str("node", &self.node)
            .str("assignee", &self.assignee)
            .str("kind", &self.kind)
            .str("status", &self.status)
            .str("title", &self.title);
        // Shown only when set: most tasks are neither sent on nor delegated.
        if self.on_behalf_of.is_some() {
            r = r.opt("on_behalf_of", &self.on_behalf_of);
        }
        if self.delegated_from.is_some() {
            r = r.opt("delegated_from", &self.delegated_from);
        }
        r.finish()
    }
}

/// One entry of an instance's history (流转记录). `changes` is `None`, or the form fields an
/// approver changed as `{"field": {"from": …, "to": …}}`.
#[pyclass(module = "oa", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct HistoryEntry {
    #[pyo3(get)]
    pub seq: u32,
    #[pyo3(get)]
    pub at: DateTime<Utc>,
    #[pyo3(get)]
    pub actor: Option<String>,
    #[pyo3(get)]
    pub action: String,
    #[pyo3(get)]
    pub node: Option<String>,
    #[pyo3(get)]
    pub task: Option<String>,
    #[pyo3(get)]
    pub comment: String,
    #[pyo3(get)]
    pub detail: String,
    pub changes: Option<serde_json::Value>,
}

impl From<oa::workflow::runtime::HistoryEntry> for HistoryEntry {
    fn from(e: oa::workflow::runtime::HistoryEntry) -> Self {
        HistoryEntry {
            seq: e.seq,
            at: e.at,
            actor: e.actor.map(|p| p.to_string()),
            action: word_of(&e.action),
            node: e.node,
            task: e.task.map(|t| t.to_string()),
            comment: e.comment,
            detail: e.detail,
            changes: e.changes,
        }
    }
}

#[pymethods]
impl HistoryEntry {
    /// The fields changed, as a new dict, or `None`.
    #[getter]
    fn changes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json_of(py, "a history entry's changes", &self.changes)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "HistoryEntry")
            .any("seq", self.seq)
            .str("action", &self.action)
            .opt("node", &self.node)
            .opt("actor", &self.actor)
            .finish()
    }
}

/// An instance with its tasks and history (时间线), as the caller may see it.
#[pyclass(module = "oa", frozen, get_all, eq)]
#[derive(Clone, PartialEq)]
pub struct InstanceDetail {
    pub instance: Instance,
    pub tasks: Vec<Task>,
    pub history: Vec<HistoryEntry>,
}

impl From<oa::workflow::runtime::InstanceDetail> for InstanceDetail {
    fn from(d: oa::workflow::runtime::InstanceDetail) -> Self {
        InstanceDetail {
            instance: d.instance.into(),
            tasks: d.tasks.into_iter().map(Into::into).collect(),
            history: d.history.into_iter().map(Into::into).collect(),
        }
    }
}

#[pymethods]
impl InstanceDetail {
    fn __repr__(&self, py: Python<'_>) -> String {
        let inst = self.instance.__repr__(py);
        format!("InstanceDetail({inst}, tasks={}, history={})", self.tasks.len(), self.history.len())
    }
}

/// The counts a person's badges show: pending tasks (待办) and unread copies (未读抄送).
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BadgeCounts {
    pub todo: u64,
    pub cc_unread: u64,
}

impl From<oa::workflow::runtime::BadgeCounts> for BadgeCounts {
    fn from(b: oa::workflow::runtime::BadgeCounts) -> Self {
        BadgeCounts { todo: b.todo, cc_unread: b.cc_unread }
    }
}

#[pymethods]
impl BadgeCounts {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "BadgeCounts").any("todo", self.todo).any("cc_unread", self.cc_unread).finish()
    }
}

/// What `process_due` did: the tasks it handled by outcome, and how many it skipped.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DueReport {
    pub reminded: Vec<String>,
    pub escalated: Vec<String>,
    pub auto_approved: Vec<String>,
    pub auto_rejected: Vec<String>,
    pub skipped: u32,
}

impl From<oa::workflow::runtime::DueReport> for DueReport {
    fn from(r: oa::workflow::runtime::DueReport) -> Self {
        let ids = |v: Vec<oa::workflow::runtime::TaskId>| v.iter().map(ToString::to_string).collect();
        DueReport {
            reminded: ids(r.reminded),
            escalated: ids(r.escalated),
            auto_approved: ids(r.auto_approved),
            auto_rejected: ids(r.auto_rejected),
            skipped: r.skipped,
        }
    }
}

#[pymethods]
impl DueReport {
    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "DueReport")
            .any("reminded", self.reminded.clone())
            .any("escalated", self.escalated.clone())
            .any("auto_approved", self.auto_approved.clone())
            .any("auto_rejected", self.auto_rejected.clone())
            .any("skipped", self.skipped)
            .finish()
    }
}

/// Where a task returns an instance to (退回): `kind` is `"previous"` (the last node before
/// this one, among those allowed), `"initiator"`, or `"node"` with the node's id in `node`.
#[pyclass(module = "oa", frozen, get_all, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ReturnTarget {
    pub kind: String,
    pub node: Option<String>,
}

impl ReturnTarget {
    /// The core's target; a kind that is not one, or a node missing or given with another
    /// kind, is a validation error on `field`.
    pub(crate) fn to_core(&self, py: Python<'_>, field: &str) -> PyResult<oa::workflow::runtime::ReturnTarget> {
        use oa::workflow::runtime::ReturnTarget as T;
        match (self.kind.as_str(), &self.node) {
            ("previous", None) => Ok(T::Previous),
            ("initiator", None) => Ok(T::Initiator),
            ("node", Some(n)) => Ok(T::Node(n.clone())),
            ("node", None) => {
                Err(crate::errors::invalid(py, &format!("{field}.node"), "is needed with the kind `node`"))
            }
            ("previous" | "initiator", Some(_)) => {
                Err(crate::errors::invalid(py, &format!("{field}.node"), "is only given with the kind `node`"))
            }
            (other, _) => Err(crate::errors::invalid(
                py,
                field,
                format!("unknown variant `{other}`, expected one of `previous`, `node`, `initiator`"),
            )),
        }
    }
}

#[pymethods]
impl ReturnTarget {
    #[new]
    #[pyo3(signature = (kind, node = None))]
    fn new(kind: String, node: Option<String>) -> Self {
        ReturnTarget { kind, node }
    }

    /// The last node before this one that the instance passed (上一节点).
    #[staticmethod]
    fn previous() -> Self {
        ReturnTarget { kind: "previous".into(), node: None }
    }

    /// The initiator, who changes and resubmits (退回发起人).
    #[staticmethod]
    fn initiator() -> Self {
        ReturnTarget { kind: "initiator".into(), node: None }
    }

    /// A node, by id.
    #[staticmethod]
    fn to_node(node: String) -> Self {
        ReturnTarget { kind: "node".into(), node: Some(node) }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        Repr::new(py, "ReturnTarget").str("kind", &self.kind).opt("node", &self.node).finish()
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Department>()?;
    m.add_class::<Post>()?;
    m.add_class::<Person>()?;
    m.add_class::<ImportReport>()?;
    m.add_class::<Me>()?;
    m.add_class::<SessionInfo>()?;
    m.add_class::<DataScope>()?;
    m.add_class::<Role>()?;
    m.add_class::<Grant>()?;
    m.add_class::<PermissionInfo>()?;
    m.add_class::<OwnerWithin>()?;
    m.add_class::<ScopeFilter>()?;
    m.add_class::<ParamKind>()?;
    m.add_class::<ParamDef>()?;
    m.add_class::<ParamSetting>()?;
    m.add_class::<AuditRecord>()?;
    m.add_class::<ChainReport>()?;
    m.add_class::<WorkHours>()?;
    m.add_class::<WorkCalendarSettings>()?;
    m.add_class::<HolidayYear>()?;
    m.add_class::<WorkDuration>()?;
    m.add_class::<NumberingRule>()?;
    m.add_class::<IssuedNumber>()?;
    m.add_class::<Form>()?;
    m.add_class::<FormVersion>()?;
    m.add_class::<AttachmentInfo>()?;
    m.add_class::<Page>()?;
    m.add_class::<ProcessDefinition>()?;
    m.add_class::<ProcessVersion>()?;
    m.add_class::<Instance>()?;
    m.add_class::<Task>()?;
    m.add_class::<HistoryEntry>()?;
    m.add_class::<InstanceDetail>()?;
    m.add_class::<BadgeCounts>()?;
    m.add_class::<DueReport>()?;
    m.add_class::<ReturnTarget>()?;
    Ok(())
}
