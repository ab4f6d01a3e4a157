//! The inputs and outputs of the office as JavaScript sees them: the core's types with camelCase
//! field names, each with its TypeScript declaration.
//!
//! Each type mirrors one of the core and converts with an exhaustive struct pattern or literal,
//! so a field added to the core fails this crate's build until it is mirrored here. Ids are
//! strings (`Id`), instants are ISO 8601 strings in UTC (`Instant`), absent values are `null` in
//! outputs and may be left out (or `null`) in inputs. Enum words (`active`, `own_dept`,
//! `success`) are the core's own, the same in every frontend.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use tsify::Tsify;
use wasm_bindgen::prelude::wasm_bindgen;

use oa::admin::params as core_params;
use oa::org::{DeptId, PersonId};
use oa::perm::GrantId;
use oa::workflow::definition as core_def;
use oa::workflow::runtime as core_rt;
use oa::workflow::runtime::{InstanceId, TaskId};
use oa::Id;

#[wasm_bindgen(typescript_custom_section)]
const TS_ALIASES: &'static str = r#"
/** An opaque id: 26 characters of Crockford base32, ordered by creation. */
export type Id = string;
/** An instant in UTC as an ISO 8601 string, e.g. `2026-11-28T09:30:00Z`. */
export type Instant = string;
/** An instant given to an operation: a `Date`, or an ISO 8601 string with a zone. */
export type InstantInput = Instant | Date;
/** The bearer token of a signed-in session, as `Office.signIn` returns it. */
export type SessionToken = string;
/** The bytes of a CSV file, or its text. */
export type CsvInput = string | Uint8Array;
/** A calendar date as an ISO 8601 string, e.g. `2026-10-01`. */
export type IsoDate = string;
/** A time of day, `HH:MM` (outputs write `HH:MM:SS`), e.g. `09:00`; `00:00` as an end is midnight. */
export type TimeOfDay = string;
/** A decimal number as a string (`"123.45"`): money and bounds are never floats. */
export type DecimalString = string;
/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** The data submitted on a form, by field key (see `FieldDef`). */
export type FormData = { [key: string]: JsonValue };
/** An attachment's description and its bytes (`getAttachment`). */
export interface Attachment {
    /** What the file is. */
    info: AttachmentInfo;
    /** Its content. */
    bytes: Uint8Array;
}
/** What every field of a form has, beside its kind (`FieldKind`). */
export interface FieldBase {
    /** The field's key in submitted data, `[a-zA-Z][a-zA-Z0-9_]{0,63}`. */
    key: string;
    /** The label people see. */
    label: string;
    /** Whether a value must be given (always present in outputs). */
    required?: boolean;
    /** A hint shown beside the field (always present in outputs). */
    help?: string;
}
/**
 * A process graph in the core's own JSON, the same in every frontend: its nodes, each with
 * `id`, `name`, `type` (`start`, `approval`, `cc`, `exclusive`, `parallel`, `join`, `end`) and
 * the kind's settings beside them, spelt as the core spells them (`next`, `approvers`,
 * `when_empty`, `branches`).
 */
export interface ProcessGraph {
    nodes: ProcessNode[];
}
/** A node of a `ProcessGraph`. */
export interface ProcessNode {
    id: string;
    name?: string;
    type: "start" | "approval" | "cc" | "exclusive" | "parallel" | "join" | "end";
    [setting: string]: JsonValue | undefined;
}
/** A day of the week. */
export type Weekday = "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun";
"#;

/// Reads an optional instant from an ISO 8601 string, with a message that says so. A `Date` given
/// there arrives as its ISO string (see [`crate::convert::dates_as_text`]).
fn opt_instant<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else { return Ok(None) };
    DateTime::parse_from_rfc3339(text.trim()).map(|t| Some(t.with_timezone(&Utc))).map_err(|_| {
        serde::de::Error::custom(format!("`{text}` is not an ISO 8601 instant such as `2026-11-28T09:30:00Z`"))
    })
}

/// Reads a time of day written `HH:MM` or `HH:MM:SS`.
fn time_of_day<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
    let text = String::deserialize(d)?;
    let t = text.trim();
    NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M:%S"))
        .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a time of day such as `09:00`")))
}

/// A weekday, written `Mon` (and read from `Mon`, `monday`…).
#[derive(Clone, Copy)]
pub struct WeekdayName(pub Weekday);

impl Serialize for WeekdayName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for WeekdayName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.trim().parse::<Weekday>().map(WeekdayName).map_err(|_| {
            serde::de::Error::custom(format!(
                "`{text}` is not a weekday: one of `Mon`, `Tue`, `Wed`, `Thu`, `Fri`, `Sat`, `Sun`"
            ))
        })
    }
}

/// Reads an optional decimal, given as a string.
fn opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else { return Ok(None) };
    text.trim()
        .parse::<Decimal>()
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a decimal number such as `123.45`")))
}

/// Reads an optional calendar date written `YYYY-MM-DD`.
fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else { return Ok(None) };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map(Some)
        .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a date such as `2026-10-01`")))
}

/// Reads an optional whole number of at most 255.
fn opt_small<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
    Option::<u64>::deserialize(d)?
        .map(|n| u8::try_from(n).map_err(|_| serde::de::Error::custom(format!("must be at most 255, got `{n}`"))))
        .transpose()
}

/// Reads a whole number of at most 255.
fn small<'de, D: Deserializer<'de>>(d: D) -> Result<u8, D::Error> {
    let n = u64::deserialize(d)?;
    u8::try_from(n).map_err(|_| serde::de::Error::custom(format!("must be at most 255, got `{n}`")))
}

// ----------------------------------------------------------------------------------------------
// Office and sign-in

/// What a new office starts with (`Office.init`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct InitOffice {
    /// The office's name, also the name of its root department.
    pub office_name: String,
    /// The first administrator's login.
    pub admin_login: String,
    /// The first administrator's name.
    pub admin_name: String,
    /// The first administrator's password (checked against the password policy).
    pub admin_password: String,
    /// Separation of duties (三员分立): then `securityAdmin` and `auditor` are required.
    #[serde(default)]
    pub separation_of_duties: bool,
    /// The security administrator (安全管理员), with separation of duties only.
    #[serde(default)]
    pub security_admin: Option<InitAccount>,
    /// The security auditor (安全审计员), with separation of duties only.
    #[serde(default)]
    pub auditor: Option<InitAccount>,
}

impl From<InitOffice> for oa::InitOffice {
    fn from(i: InitOffice) -> Self {
        oa::InitOffice {
            office_name: i.office_name,
            admin_login: i.admin_login,
            admin_name: i.admin_name,
            admin_password: i.admin_password,
            separation_of_duties: i.separation_of_duties,
            security_admin: i.security_admin.map(Into::into),
            auditor: i.auditor.map(Into::into),
        }
    }
}

/// One of the first accounts of a new office.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct InitAccount {
    /// The login.
    pub login: String,
    /// The person's name.
    pub name: String,
    /// The first password.
    pub password: String,
}

impl From<InitAccount> for oa::InitAccount {
    fn from(a: InitAccount) -> Self {
        oa::InitAccount { login: a.login, name: a.name, password: a.password }
    }
}

/// Who the caller is (`whoami`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Me {
    /// The person's id.
    #[tsify(type = "Id")]
    pub person: PersonId,
    /// The login.
    pub login: String,
    /// The name.
    pub name: String,
    /// The main department.
    #[tsify(type = "Id")]
    pub dept: DeptId,
    /// Whether the password must be changed before anything else.
    pub must_change_password: bool,
    /// Every permission the person holds (in some scope), sorted.
    pub permissions: Vec<String>,
    /// The id of the session asked with.
    #[tsify(type = "Id")]
    pub session_id: Id,
    /// When this session expires whatever its use.
    #[tsify(type = "Instant")]
    pub session_expires_at: DateTime<Utc>,
    /// When the password was last set, if one was.
    #[tsify(type = "Instant | null")]
    pub password_changed_at: Option<DateTime<Utc>>,
    /// When the password must be changed by, under a policy with forced expiry.
    #[tsify(type = "Instant | null")]
    pub password_expires_at: Option<DateTime<Utc>>,
}

impl From<oa::Me> for Me {
    fn from(m: oa::Me) -> Self {
        let oa::Me {
            person,
            login,
            name,
            dept,
            must_change_password,
            permissions,
            session_id,
            session_expires_at,
            password_changed_at,
            password_expires_at,
        } = m;
        Me {
            person,
            login,
            name,
            dept,
            must_change_password,
            permissions,
            session_id,
            session_expires_at,
            password_changed_at,
            password_expires_at,
        }
    }
}

/// A session as a person or an administrator sees it (never its token).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct SessionInfo {
    /// The session's id.
    #[tsify(type = "Id")]
    pub id: Id,
    /// Whose session it is.
    #[tsify(type = "Id")]
    pub person: PersonId,
    /// When it was signed in.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// When it was last used.
    #[tsify(type = "Instant")]
    pub last_seen: DateTime<Utc>,
    /// When it expires if unused.
    #[tsify(type = "Instant")]
    pub idle_expires_at: DateTime<Utc>,
    /// When it expires whatever its use.
    #[tsify(type = "Instant")]
    pub expires_at: DateTime<Utc>,
    /// Whether it is the session the list was asked with.
    pub current: bool,
    /// Whether it is waiting for a password change.
    pub must_change_password: bool,
}

impl From<oa::SessionInfo> for SessionInfo {
    fn from(s: oa::SessionInfo) -> Self {
        let oa::SessionInfo {
            id,
            person,
            created_at,
            last_seen,
            idle_expires_at,
            expires_at,
            current,
            must_change_password,
        } = s;
        SessionInfo { id, person, created_at, last_seen, idle_expires_at, expires_at, current, must_change_password }
    }
}

// ----------------------------------------------------------------------------------------------
// Organisation

/// Whether a department is in use.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum DeptStatus {
    /// In use.
    Active,
    /// Kept for history; no new members.
    Disabled,
}

impl From<oa::org::DeptStatus> for DeptStatus {
    fn from(s: oa::org::DeptStatus) -> Self {
        match s {
            oa::org::DeptStatus::Active => DeptStatus::Active,
            oa::org::DeptStatus::Disabled => DeptStatus::Disabled,
        }
    }
}

/// A department (部门).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Department {
    /// The department's id.
    #[tsify(type = "Id")]
    pub id: DeptId,
    /// Its name, unique among its siblings.
    pub name: String,
    /// An optional external code, unique in the office.
    pub code: Option<String>,
    /// The parent department; `null` for a root.
    #[tsify(type = "Id | null")]
    pub parent: Option<DeptId>,
    /// The position among its siblings (ascending).
    pub sort_order: i64,
    /// The head of the department (负责人).
    #[tsify(type = "Id | null")]
    pub head: Option<PersonId>,
    /// Whether it is in use.
    pub status: DeptStatus,
    /// When it was created.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[tsify(type = "Instant")]
    pub updated_at: DateTime<Utc>,
}

impl From<oa::org::Department> for Department {
    fn from(d: oa::org::Department) -> Self {
        let oa::org::Department { id, name, code, parent, sort_order, head, status, created_at, updated_at } = d;
        Department { id, name, code, parent, sort_order, head, status: status.into(), created_at, updated_at }
    }
}

/// A new department (`createDepartment`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NewDepartment {
    /// The name, unique among its siblings.
    pub name: String,
    /// An optional code from `A-Z a-z 0-9 _ -`, unique in the office.
    #[serde(default)]
    pub code: Option<String>,
    /// The parent; `null` makes a new root.
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub parent: Option<DeptId>,
    /// The position among its siblings; `null` places it after the last sibling.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// The head (负责人), an active person.
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub head: Option<PersonId>,
}

impl From<NewDepartment> for oa::org::NewDepartment {
    fn from(n: NewDepartment) -> Self {
        oa::org::NewDepartment { name: n.name, code: n.code, parent: n.parent, sort_order: n.sort_order, head: n.head }
    }
}

/// Whether a person works here.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum PersonStatus {
    /// Works here and may sign in.
    Active,
    /// May not sign in (suspended).
    Disabled,
    /// Has left the organisation (离职).
    Left,
}

impl From<oa::org::PersonStatus> for PersonStatus {
    fn from(s: oa::org::PersonStatus) -> Self {
        match s {
            oa::org::PersonStatus::Active => PersonStatus::Active,
            oa::org::PersonStatus::Disabled => PersonStatus::Disabled,
            oa::org::PersonStatus::Left => PersonStatus::Left,
        }
    }
}

impl From<PersonStatus> for oa::org::PersonStatus {
    fn from(s: PersonStatus) -> Self {
        match s {
            PersonStatus::Active => oa::org::PersonStatus::Active,
            PersonStatus::Disabled => oa::org::PersonStatus::Disabled,
            PersonStatus::Left => oa::org::PersonStatus::Left,
        }
    }
}

/// A part-time post (兼职) in another department.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Post {
    /// The department of the post.
    #[tsify(type = "Id")]
    pub dept: DeptId,
    /// The position held there.
    #[serde(default)]
    pub position: Option<String>,
}

impl From<oa::org::Post> for Post {
    fn from(p: oa::org::Post) -> Self {
        let oa::org::Post { dept, position } = p;
        Post { dept, position }
    }
}

impl From<Post> for oa::org::Post {
    fn from(p: Post) -> Self {
        oa::org::Post { dept: p.dept, position: p.position }
    }
}

/// A person (人员).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Person {
    /// The person's id.
    #[tsify(type = "Id")]
    pub id: PersonId,
    /// The sign-in name, unique in the office.
    pub login: String,
    /// The name, in any script.
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// The main department.
    #[tsify(type = "Id")]
    pub dept: DeptId,
    /// The position (职务) in the main department.
    pub position: Option<String>,
    /// The direct superior (直属上级).
    #[tsify(type = "Id | null")]
    pub superior: Option<PersonId>,
    /// Part-time posts in other departments.
    pub posts: Vec<Post>,
    /// Whether the person works here.
    pub status: PersonStatus,
    /// When the person was created.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// When the person last changed.
    #[tsify(type = "Instant")]
    pub updated_at: DateTime<Utc>,
}

impl From<oa::org::Person> for Person {
    fn from(p: oa::org::Person) -> Self {
        let oa::org::Person {
            id,
            login,
            name,
            email,
            phone,
            dept,
            position,
            superior,
            posts,
            status,
            created_at,
            updated_at,
        } = p;
        Person {
            id,
            login,
            name,
            email,
            phone,
            dept,
            position,
            superior,
            posts: posts.into_iter().map(Post::from).collect(),
            status: status.into(),
            created_at,
            updated_at,
        }
    }
}

/// A new person (`createPerson`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NewPerson {
    /// The sign-in name: 2 to 64 characters from `A-Z a-z 0-9 . _ @ -`.
    pub login: String,
    /// The name, in any script.
    pub name: String,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// The main department.
    #[tsify(type = "Id")]
    pub dept: DeptId,
    /// The position (职务).
    #[serde(default)]
    pub position: Option<String>,
    /// The direct superior.
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub superior: Option<PersonId>,
    /// An initial password, to be changed at the first sign-in; without one the person cannot
    /// sign in until an administrator sets a password.
    #[serde(default)]
    pub initial_password: Option<String>,
}

impl From<NewPerson> for oa::org::NewPerson {
    fn from(n: NewPerson) -> Self {
        oa::org::NewPerson {
            login: n.login,
            name: n.name,
            email: n.email,
            phone: n.phone,
            dept: n.dept,
            position: n.position,
            superior: n.superior,
            initial_password: n.initial_password,
        }
    }
}

/// Changes to a person's details (`updatePerson`): a field left out is kept; `""` clears
/// `email`, `phone` and `position`; `clearSuperior` removes the superior.
#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct PersonPatch {
    /// A new login.
    #[serde(default)]
    pub login: Option<String>,
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new e-mail address; `""` clears it.
    #[serde(default)]
    pub email: Option<String>,
    /// A new phone number; `""` clears it.
    #[serde(default)]
    pub phone: Option<String>,
    /// A new position; `""` clears it.
    #[serde(default)]
    pub position: Option<String>,
    /// A new direct superior.
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub superior: Option<PersonId>,
    /// Removes the direct superior.
    #[serde(default)]
    pub clear_superior: bool,
}

impl From<PersonPatch> for oa::org::PersonPatch {
    fn from(p: PersonPatch) -> Self {
        oa::org::PersonPatch {
            login: p.login,
            name: p.name,
            email: p.email,
            phone: p.phone,
            position: p.position,
            superior: p.superior,
            clear_superior: p.clear_superior,
        }
    }
}

/// Which people `listPeople` lists; every filter may be left out.
#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct PeopleQuery {
    /// Only the people of this department; left out, everyone (by creation).
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub dept: Option<DeptId>,
    /// With `dept`: also the people of every department below it.
    #[serde(default)]
    pub include_subtree: bool,
    /// With `dept`: leave out people who hold only a part-time post there.
    #[serde(default)]
    pub main_post_only: bool,
    /// Only people in this status.
    #[serde(default)]
    pub status: Option<PersonStatus>,
    /// Only people whose name or login contains this text (case-insensitive).
    #[serde(default)]
    pub text: Option<String>,
}

impl From<PeopleQuery> for oa::org::PeopleQuery {
    fn from(q: PeopleQuery) -> Self {
        oa::org::PeopleQuery {
            dept: q.dept,
            include_subtree: q.include_subtree,
            main_post_only: q.main_post_only,
            status: q.status.map(Into::into),
            text: q.text,
        }
    }
}

/// What `importOrgCsv` created.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ImportReport {
    /// How many departments were created.
    pub departments_created: u32,
    /// How many people were created.
    pub people_created: u32,
    /// How many of them got an initial password.
    pub passwords_set: u32,
    /// How many of them have no credential yet.
    pub without_password: u32,
}

impl From<oa::org::ImportReport> for ImportReport {
    fn from(r: oa::org::ImportReport) -> Self {
        let oa::org::ImportReport { departments_created, people_created, passwords_set, without_password } = r;
        ImportReport { departments_created, people_created, passwords_set, without_password }
    }
}

// ----------------------------------------------------------------------------------------------
// Pages

/// Which page of a list to read.
#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct PageRequest {
    /// The `nextCursor` of the previous page; left out for the first page.
    #[serde(default)]
    pub cursor: Option<String>,
    /// How many items at most (up to 1000); left out or 0 for the default (50).
    #[serde(default)]
    pub limit: u32,
}

impl From<PageRequest> for oa::PageRequest {
    fn from(p: PageRequest) -> Self {
        oa::PageRequest { cursor: p.cursor, limit: p.limit }
    }
}

/// One page of people.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct PersonPage {
    /// The people of this page.
    pub items: Vec<Person>,
    /// Where the next page starts; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<oa::org::Person>> for PersonPage {
    fn from(p: oa::Page<oa::org::Person>) -> Self {
        let oa::Page { items, next_cursor } = p;
        PersonPage { items: items.into_iter().map(Person::from).collect(), next_cursor }
    }
}

/// One page of audit records.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct AuditPage {
    /// The records of this page, newest first.
    pub items: Vec<AuditRecord>,
    /// Where the next page starts; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<oa::AuditRecord>> for AuditPage {
    fn from(p: oa::Page<oa::AuditRecord>) -> Self {
        let oa::Page { items, next_cursor } = p;
        AuditPage { items: items.into_iter().map(AuditRecord::from).collect(), next_cursor }
    }
}

// ----------------------------------------------------------------------------------------------
// Permissions

/// Which family a permission belongs to, for separation of duties.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum PermCategory {
    /// Running the system (系统管理员).
    System,
    /// Security (安全管理员).
    Security,
    /// Reading and verifying the audit log (安全审计员).
    Audit,
    /// Business data.
    Business,
}

impl From<oa::perm::catalogue::PermCategory> for PermCategory {
    fn from(c: oa::perm::catalogue::PermCategory) -> Self {
        use oa::perm::catalogue::PermCategory as C;
        match c {
            C::System => PermCategory::System,
            C::Security => PermCategory::Security,
            C::Audit => PermCategory::Audit,
            C::Business => PermCategory::Business,
        }
    }
}

/// A permission of the catalogue.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct PermissionInfo {
    /// `module.resource.action`.
    pub name: String,
    /// What it allows.
    pub description: String,
    /// Its family.
    pub category: PermCategory,
}

impl From<oa::perm::PermissionInfo> for PermissionInfo {
    fn from(p: oa::perm::PermissionInfo) -> Self {
        let oa::perm::PermissionInfo { name, description, category } = p;
        PermissionInfo { name, description, category: category.into() }
    }
}

/// Which records a role's permissions reach (数据权限), told by `kind`.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[tsify(missing_as_null)]
pub enum DataScope {
    /// Every record (全部数据).
    All,
    /// Records of the chosen departments only (自定义).
    Depts {
        /// The chosen departments.
        #[tsify(type = "Id[]")]
        depts: Vec<DeptId>,
    },
    /// Records of the holder's own departments (本部门).
    OwnDept,
    /// Records of the holder's own departments and those below them (本部门及以下).
    OwnDeptAndBelow,
    /// Only records the holder owns (仅本人).
    SelfOnly,
}

impl From<oa::perm::DataScope> for DataScope {
    fn from(s: oa::perm::DataScope) -> Self {
        use oa::perm::DataScope as S;
        match s {
            S::All => DataScope::All,
            S::Depts { depts } => DataScope::Depts { depts },
            S::OwnDept => DataScope::OwnDept,
            S::OwnDeptAndBelow => DataScope::OwnDeptAndBelow,
            S::SelfOnly => DataScope::SelfOnly,
        }
    }
}

impl From<DataScope> for oa::perm::DataScope {
    fn from(s: DataScope) -> Self {
        use oa::perm::DataScope as S;
        match s {
            DataScope::All => S::All,
            DataScope::Depts { depts } => S::Depts { depts },
            DataScope::OwnDept => S::OwnDept,
            DataScope::OwnDeptAndBelow => S::OwnDeptAndBelow,
            DataScope::SelfOnly => S::SelfOnly,
        }
    }
}

/// A role (角色).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Role {
    /// The role's code: unique, `[a-z0-9_]`.
    pub code: String,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// The permissions it holds itself.
    pub permissions: Vec<String>,
    /// The codes of the roles whose permissions it inherits.
    pub inherits: Vec<String>,
    /// Which records its permissions reach.
    pub data_scope: DataScope,
    /// Whether it is built in.
    pub builtin: bool,
    /// When it was created.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[tsify(type = "Instant")]
    pub updated_at: DateTime<Utc>,
}

impl From<oa::perm::Role> for Role {
    fn from(r: oa::perm::Role) -> Self {
        let oa::perm::Role {
            code,
            name,
            description,
            permissions,
            inherits,
            data_scope,
            builtin,
            created_at,
            updated_at,
        } = r;
        Role {
            code,
            name,
            description,
            permissions,
            inherits,
            data_scope: data_scope.into(),
            builtin,
            created_at,
            updated_at,
        }
    }
}

/// A new role (`createRole`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NewRole {
    /// The code: unique, `[a-z0-9_]`, 1 to 64 characters.
    pub code: String,
    /// The name.
    pub name: String,
    /// What it is for.
    #[serde(default)]
    pub description: String,
    /// The permissions it holds (catalogue names).
    #[serde(default)]
    pub permissions: Vec<String>,
    /// The codes of the roles it inherits.
    #[serde(default)]
    pub inherits: Vec<String>,
    /// Which records its permissions reach.
    pub data_scope: DataScope,
}

impl From<NewRole> for oa::perm::NewRole {
    fn from(n: NewRole) -> Self {
        oa::perm::NewRole {
            code: n.code,
            name: n.name,
            description: n.description,
            permissions: n.permissions,
            inherits: n.inherits,
            data_scope: n.data_scope.into(),
        }
    }
}

/// A change to a role (`updateRole`); a field left out is kept.
#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct RolePatch {
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new description.
    #[serde(default)]
    pub description: Option<String>,
    /// A new set of permissions (not for a built-in role).
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
    /// A new set of inherited roles (not for a built-in role).
    #[serde(default)]
    pub inherits: Option<Vec<String>>,
    /// A new data scope.
    #[serde(default)]
    pub data_scope: Option<DataScope>,
}

impl From<RolePatch> for oa::perm::RolePatch {
    fn from(p: RolePatch) -> Self {
        oa::perm::RolePatch {
            name: p.name,
            description: p.description,
            permissions: p.permissions,
            inherits: p.inherits,
            data_scope: p.data_scope.map(Into::into),
        }
    }
}

/// A grant (授权): a role given to a person, optionally only inside a department subtree.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Grant {
    /// The grant's id.
    #[tsify(type = "Id")]
    pub id: GrantId,
    /// Who holds the role.
    #[tsify(type = "Id")]
    pub person: PersonId,
    /// The role's code.
    pub role: String,
    /// When set, the role reaches only this department and those below it.
    #[tsify(type = "Id | null")]
    pub limit_to_dept: Option<DeptId>,
    /// When it was granted.
    #[tsify(type = "Instant")]
    pub granted_at: DateTime<Utc>,
    /// Who granted it (`null` while initialising the office).
    #[tsify(type = "Id | null")]
    pub granted_by: Option<PersonId>,
}

impl From<oa::perm::Grant> for Grant {
    fn from(g: oa::perm::Grant) -> Self {
        let oa::perm::Grant { id, person, role, limit_to_dept, granted_at, granted_by } = g;
        Grant { id, person, role, limit_to_dept, granted_at, granted_by }
    }
}

/// A new grant (`grantRole`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NewGrant {
    /// Who gets the role.
    #[tsify(type = "Id")]
    pub person: PersonId,
    /// The role's code.
    pub role: String,
    /// When set, the role reaches only this department and those below it.
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub limit_to_dept: Option<DeptId>,
}

impl From<NewGrant> for oa::perm::NewGrant {
    fn from(n: NewGrant) -> Self {
        oa::perm::NewGrant { person: n.person, role: n.role, limit_to_dept: n.limit_to_dept }
    }
}

/// Records of one person inside one department subtree.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct OwnerWithin {
    /// The owner of the records.
    #[tsify(type = "Id")]
    pub person: PersonId,
    /// The root of the department subtree the records must lie in.
    #[tsify(type = "Id")]
    pub subtree: DeptId,
}

/// The reach of one permission, as a filter for list queries (`permissionScope`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ScopeFilter {
    /// Every record is covered.
    pub all: bool,
    /// Records of these departments and of every department below them.
    #[tsify(type = "Id[]")]
    pub subtrees: Vec<DeptId>,
    /// Records of exactly these departments.
    #[tsify(type = "Id[]")]
    pub depts: Vec<DeptId>,
    /// Records owned by these people, whatever their department.
    #[tsify(type = "Id[]")]
    pub persons: Vec<PersonId>,
    /// Records owned by a person inside a department subtree.
    pub persons_within: Vec<OwnerWithin>,
}

impl From<oa::perm::ScopeFilter> for ScopeFilter {
    fn from(f: oa::perm::ScopeFilter) -> Self {
        let oa::perm::ScopeFilter { all, subtrees, depts, persons, persons_within } = f;
        ScopeFilter {
            all,
            subtrees,
            depts,
            persons,
            persons_within: persons_within
                .into_iter()
                .map(|w| {
                    let oa::perm::OwnerWithin { person, subtree } = w;
                    OwnerWithin { person, subtree }
                })
                .collect(),
        }
    }
}

// ----------------------------------------------------------------------------------------------
// Parameters

/// A parameter's value: a boolean, a whole number, or text (a choice, a currency code).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A yes/no value.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Text, a choice or a currency code.
    Text(String),
}

impl From<core_params::ParamValue> for ParamValue {
    fn from(v: core_params::ParamValue) -> Self {
        match v {
            core_params::ParamValue::Bool(b) => ParamValue::Bool(b),
            core_params::ParamValue::Int(n) => ParamValue::Int(n),
            core_params::ParamValue::Text(t) => ParamValue::Text(t),
        }
    }
}

impl From<ParamValue> for core_params::ParamValue {
    fn from(v: ParamValue) -> Self {
        match v {
            ParamValue::Bool(b) => core_params::ParamValue::Bool(b),
            ParamValue::Int(n) => core_params::ParamValue::Int(n),
            ParamValue::Text(t) => core_params::ParamValue::Text(t),
        }
    }
}

/// The kind of value a parameter takes, told by `type`, with its constraints.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[tsify(missing_as_null)]
pub enum ParamKind {
    /// A whole number in `[min, max]`.
    Int {
        /// The smallest value allowed.
        min: i64,
        /// The largest value allowed.
        max: i64,
    },
    /// Yes or no.
    Bool,
    /// Text of at most `maxLen` characters, not empty.
    #[serde(rename_all = "camelCase")]
    Text {
        /// The longest text allowed, in characters.
        max_len: u32,
    },
    /// One of a fixed list of words.
    Choice {
        /// The words allowed.
        options: Vec<String>,
    },
    /// An ISO 4217 currency code.
    Currency,
}

impl From<core_params::ParamKind> for ParamKind {
    fn from(k: core_params::ParamKind) -> Self {
        use core_params::ParamKind as K;
        match k {
            K::Int { min, max } => ParamKind::Int { min, max },
            K::Bool => ParamKind::Bool,
            K::Text { max_len } => ParamKind::Text { max_len },
            K::Choice { options } => ParamKind::Choice { options },
            K::Currency => ParamKind::Currency,
        }
    }
}

/// The declaration of a parameter.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ParamDef {
    /// The parameter's key (`auth.lockout.threshold`).
    pub key: String,
    /// What it controls.
    pub description: String,
    /// The kind of value and its constraints.
    pub kind: ParamKind,
    /// The value when none was set.
    pub default: ParamValue,
}

impl From<core_params::ParamDef> for ParamDef {
    fn from(d: core_params::ParamDef) -> Self {
        let core_params::ParamDef { key, description, kind, default } = d;
        ParamDef { key, description, kind: kind.into(), default: default.into() }
    }
}

/// A parameter with its current value.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ParamSetting {
    /// The parameter's declaration.
    pub def: ParamDef,
    /// Its current value (the default when none was set).
    pub value: ParamValue,
    /// Whether no value was set, so the default applies.
    pub is_default: bool,
}

impl From<core_params::ParamSetting> for ParamSetting {
    fn from(s: core_params::ParamSetting) -> Self {
        let core_params::ParamSetting { def, value, is_default } = s;
        ParamSetting { def: def.into(), value: value.into(), is_default }
    }
}

// ----------------------------------------------------------------------------------------------
// Audit

/// How an audited attempt ended.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    /// The operation took effect.
    Success,
    /// The actor lacked the permission or the scope.
    Denied,
    /// The attempt failed (a wrong password, a locked account).
    Failed,
}

impl From<oa::AuditOutcome> for AuditOutcome {
    fn from(o: oa::AuditOutcome) -> Self {
        match o {
            oa::AuditOutcome::Success => AuditOutcome::Success,
            oa::AuditOutcome::Denied => AuditOutcome::Denied,
            oa::AuditOutcome::Failed => AuditOutcome::Failed,
        }
    }
}

/// One record of the audit log.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct AuditRecord {
    /// The record's place in the chain, from 1.
    pub seq: u64,
    /// When it happened.
    #[tsify(type = "Instant")]
    pub at: DateTime<Utc>,
    /// Who acted, if known.
    #[tsify(type = "Id | null")]
    pub actor: Option<PersonId>,
    /// The login the actor used.
    pub actor_login: Option<String>,
    /// The session the actor acted in.
    #[tsify(type = "Id | null")]
    pub session: Option<Id>,
    /// The operation (`org.person.create`, `auth.sign_in`).
    pub operation: String,
    /// What it acted on (`person:01J…`).
    pub target: Option<String>,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// A short account of what changed.
    pub summary: String,
    /// The hash of the previous record (hex), all zeros for the first.
    pub prev_hash: String,
    /// SHA-256 over the previous hash and this record (hex).
    pub hash: String,
}

impl From<oa::AuditRecord> for AuditRecord {
    fn from(r: oa::AuditRecord) -> Self {
        let oa::AuditRecord {
            seq,
            at,
            actor,
            actor_login,
            session,
            operation,
            target,
            outcome,
            summary,
            prev_hash,
            hash,
        } = r;
        AuditRecord {
            seq,
            at,
            actor,
            actor_login,
            session,
            operation,
            target,
            outcome: outcome.into(),
            summary,
            prev_hash,
            hash,
        }
    }
}

/// Which audit records `listAudit` lists; every filter may be left out.
#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct AuditQuery {
    /// From this instant (included).
    #[serde(default, deserialize_with = "opt_instant")]
    #[tsify(type = "InstantInput | null")]
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (excluded).
    #[serde(default, deserialize_with = "opt_instant")]
    #[tsify(type = "InstantInput | null")]
    pub to: Option<DateTime<Utc>>,
    /// Only records of this actor.
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub actor: Option<PersonId>,
    /// Only records of this operation.
    #[serde(default)]
    pub operation: Option<String>,
    /// Only records about this target.
    #[serde(default)]
    pub target: Option<String>,
}

impl From<AuditQuery> for oa::AuditQuery {
    fn from(q: AuditQuery) -> Self {
        oa::AuditQuery { from: q.from, to: q.to, actor: q.actor, operation: q.operation, target: q.target }
    }
}

/// The result of walking the audit hash chain.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ChainReport {
    /// Whether the whole chain matched.
    pub intact: bool,
    /// How many records were checked and matched, from record 1 on.
    pub checked: u64,
    /// The first record that does not match, if any.
    pub first_mismatch: Option<u64>,
    /// What is wrong with the first mismatching record; `null` when intact.
    pub problem: Option<String>,
    /// The hash of the last matching record (hex), to keep outside the store as an anchor.
    pub head_hash: String,
}

impl From<oa::ChainReport> for ChainReport {
    fn from(r: oa::ChainReport) -> Self {
        let intact = r.is_intact();
        let oa::ChainReport { checked, first_mismatch, problem, head_hash } = r;
        ChainReport { intact, checked, first_mismatch, problem, head_hash }
    }
}

// ----------------------------------------------------------------------------------------------
// Working calendar

/// One interval of working hours within a day, such as 09:00–12:00.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct WorkHours {
    /// When work starts.
    #[serde(deserialize_with = "time_of_day")]
    #[tsify(type = "TimeOfDay")]
    pub start: NaiveTime,
    /// When work stops (`00:00` for midnight at the end of the day).
    #[serde(deserialize_with = "time_of_day")]
    #[tsify(type = "TimeOfDay")]
    pub end: NaiveTime,
}

/// The settings of the office's working calendar (工作日历): weekly pattern, hours and zone.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct WorkCalendarSettings {
    /// The weekdays that are working days unless a holiday says otherwise.
    #[tsify(type = "Weekday[]")]
    pub working_weekdays: Vec<WeekdayName>,
    /// The working hours of every working day, in order and not overlapping.
    pub hours: Vec<WorkHours>,
    /// The office's time zone as a fixed UTC offset such as `+08:00`.
    pub utc_offset: String,
}

impl From<oa::admin::calendar::WorkCalendarSettings> for WorkCalendarSettings {
    fn from(s: oa::admin::calendar::WorkCalendarSettings) -> Self {
        let oa::admin::calendar::WorkCalendarSettings { working_weekdays, hours, utc_offset } = s;
        WorkCalendarSettings {
            working_weekdays: working_weekdays.into_iter().map(WeekdayName).collect(),
            hours: hours
                .into_iter()
                .map(|h| {
                    let oa::admin::calendar::WorkHours { start, end } = h;
                    WorkHours { start, end }
                })
                .collect(),
            utc_offset,
        }
    }
}

impl From<WorkCalendarSettings> for oa::admin::calendar::WorkCalendarSettings {
    fn from(s: WorkCalendarSettings) -> Self {
        oa::admin::calendar::WorkCalendarSettings {
            working_weekdays: s.working_weekdays.into_iter().map(|w| w.0).collect(),
            hours: s.hours.into_iter().map(|h| oa::admin::calendar::WorkHours { start: h.start, end: h.end }).collect(),
            utc_offset: s.utc_offset,
        }
    }
}

/// One year's public holidays (法定节假日) and make-up working days (调休).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct HolidayYear {
    /// The year.
    pub year: i32,
    /// Days off although the weekly pattern says work, in date order.
    #[tsify(type = "IsoDate[]")]
    pub holidays: Vec<NaiveDate>,
    /// Days of work although the weekly pattern says rest, in date order.
    #[tsify(type = "IsoDate[]")]
    pub makeup_days: Vec<NaiveDate>,
}

impl From<oa::admin::calendar::HolidayYear> for HolidayYear {
    fn from(h: oa::admin::calendar::HolidayYear) -> Self {
        let oa::admin::calendar::HolidayYear { year, holidays, makeup_days } = h;
        HolidayYear { year, holidays, makeup_days }
    }
}

/// The unit of a working-time duration.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum WorkUnit {
    /// Working minutes.
    Minutes,
    /// Working hours.
    Hours,
    /// Working days: the same clock time that many working days later.
    Days,
}

/// An amount of working time: "4 working hours", "2 working days".
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct WorkDuration {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: WorkUnit,
}

impl From<WorkDuration> for oa::admin::calendar::WorkDuration {
    fn from(d: WorkDuration) -> Self {
        use oa::admin::calendar::WorkUnit as U;
        let unit = match d.unit {
            WorkUnit::Minutes => U::Minutes,
            WorkUnit::Hours => U::Hours,
            WorkUnit::Days => U::Days,
        };
        oa::admin::calendar::WorkDuration { amount: d.amount, unit }
    }
}

// ----------------------------------------------------------------------------------------------
// Numbering

/// When a numbering rule's sequence starts again.
#[derive(Tsify, Serialize, Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum SeqReset {
    /// Every 1 January (the pattern must hold `{year}`).
    Yearly,
    /// Every first of the month (the pattern must hold `{year}` and `{month}`).
    Monthly,
    /// Never.
    Never,
}

impl From<oa::admin::numbering::SeqReset> for SeqReset {
    fn from(r: oa::admin::numbering::SeqReset) -> Self {
        use oa::admin::numbering::SeqReset as R;
        match r {
            R::Yearly => SeqReset::Yearly,
            R::Monthly => SeqReset::Monthly,
            R::Never => SeqReset::Never,
        }
    }
}

impl From<SeqReset> for oa::admin::numbering::SeqReset {
    fn from(r: SeqReset) -> Self {
        use oa::admin::numbering::SeqReset as R;
        match r {
            SeqReset::Yearly => R::Yearly,
            SeqReset::Monthly => R::Monthly,
            SeqReset::Never => R::Never,
        }
    }
}

/// A numbering rule (编号规则) for document numbers (文号) such as `办〔2026〕15号`.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NumberingRule {
    /// The rule's key: unique, `[a-z0-9_]`.
    pub key: String,
    /// Its name, as people know it.
    pub name: String,
    /// The pattern numbers are written with (`办〔{year}〕{seq}号`).
    pub pattern: String,
    /// The width `{seq}` is zero-padded to; 0 for no padding.
    pub seq_width: u8,
    /// When the sequence starts again.
    pub reset: SeqReset,
    /// When it was created.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[tsify(type = "Instant")]
    pub updated_at: DateTime<Utc>,
}

impl From<oa::admin::numbering::NumberingRule> for NumberingRule {
    fn from(r: oa::admin::numbering::NumberingRule) -> Self {
        let oa::admin::numbering::NumberingRule { key, name, pattern, seq_width, reset, created_at, updated_at } = r;
        NumberingRule { key, name, pattern, seq_width, reset: reset.into(), created_at, updated_at }
    }
}

/// A new numbering rule (`createNumberingRule`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NewNumberingRule {
    /// The rule's key: unique, `[a-z0-9_]`, 1 to 64 characters.
    pub key: String,
    /// Its name.
    pub name: String,
    /// The pattern: `{year}`, `{month}`, `{seq}` (exactly once), `{seq:N}`, `{{`, `}}`.
    pub pattern: String,
    /// The width `{seq}` is zero-padded to; left out or 0 for no padding.
    #[serde(default, deserialize_with = "small")]
    pub seq_width: u8,
    /// When the sequence starts again.
    pub reset: SeqReset,
}

impl From<NewNumberingRule> for oa::admin::numbering::NewNumberingRule {
    fn from(n: NewNumberingRule) -> Self {
        oa::admin::numbering::NewNumberingRule {
            key: n.key,
            name: n.name,
            pattern: n.pattern,
            seq_width: n.seq_width,
            reset: n.reset.into(),
        }
    }
}

/// A change to a numbering rule (`updateNumberingRule`); a field left out is kept.
#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NumberingRulePatch {
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new pattern.
    #[serde(default)]
    pub pattern: Option<String>,
    /// A new padding width for `{seq}`.
    #[serde(default, deserialize_with = "opt_small")]
    pub seq_width: Option<u8>,
    /// A new reset period.
    #[serde(default)]
    pub reset: Option<SeqReset>,
}

impl From<NumberingRulePatch> for oa::admin::numbering::NumberingRulePatch {
    fn from(p: NumberingRulePatch) -> Self {
        oa::admin::numbering::NumberingRulePatch {
            name: p.name,
            pattern: p.pattern,
            seq_width: p.seq_width,
            reset: p.reset.map(Into::into),
        }
    }
}

/// A number that was issued, and to what.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct IssuedNumber {
    /// The rule's key.
    pub rule: String,
    /// The number as written (`办〔2026〕15号`).
    pub number: String,
    /// Its place in the sequence of its period.
    pub seq: u64,
    /// The period it was counted in: `2026`, `2026-03`, or `all`.
    pub period: String,
    /// What it was issued to (a business key or a free text).
    pub owner: String,
    /// When it was issued.
    #[tsify(type = "Instant")]
    pub issued_at: DateTime<Utc>,
    /// Who issued it by hand; `null` when a workflow assigned it.
    #[tsify(type = "Id | null")]
    pub issued_by: Option<PersonId>,
}

impl From<oa::admin::numbering::IssuedNumber> for IssuedNumber {
    fn from(n: oa::admin::numbering::IssuedNumber) -> Self {
        let oa::admin::numbering::IssuedNumber { rule, number, seq, period, owner, issued_at, issued_by } = n;
        IssuedNumber { rule, number, seq, period, owner, issued_at, issued_by }
    }
}

// ----------------------------------------------------------------------------------------------
// Forms

/// A choice of a single- or multiple-choice field.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ChoiceOption {
    /// The value stored in data, unique within the field.
    pub value: String,
    /// The label people see.
    pub label: String,
}

impl From<oa::form::ChoiceOption> for ChoiceOption {
    fn from(o: oa::form::ChoiceOption) -> Self {
        let oa::form::ChoiceOption { value, label } = o;
        ChoiceOption { value, label }
    }
}

impl From<ChoiceOption> for oa::form::ChoiceOption {
    fn from(o: ChoiceOption) -> Self {
        oa::form::ChoiceOption { value: o.value, label: o.label }
    }
}

fn options_out(options: Vec<oa::form::ChoiceOption>) -> Vec<ChoiceOption> {
    options.into_iter().map(ChoiceOption::from).collect()
}

fn options_in(options: Vec<ChoiceOption>) -> Vec<oa::form::ChoiceOption> {
    options.into_iter().map(Into::into).collect()
}

/// The kind of a field, told by `type`, with its constraints; every bound may be left out.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[tsify(missing_as_null)]
pub enum FieldKind {
    /// One line of text; `pattern` is a regular expression the whole text must match.
    #[serde(rename_all = "camelCase")]
    Text {
        /// The fewest characters.
        #[serde(default)]
        min_length: Option<u32>,
        /// The most characters.
        #[serde(default)]
        max_length: Option<u32>,
        /// A regular expression the whole value must match.
        #[serde(default)]
        pattern: Option<String>,
    },
    /// Text of several lines.
    #[serde(rename_all = "camelCase")]
    LongText {
        /// The fewest characters.
        #[serde(default)]
        min_length: Option<u32>,
        /// The most characters.
        #[serde(default)]
        max_length: Option<u32>,
        /// A regular expression the whole value must match.
        #[serde(default)]
        pattern: Option<String>,
    },
    /// A number of at most 15 significant digits.
    #[serde(rename_all = "camelCase")]
    Number {
        /// The smallest value allowed.
        #[serde(default, deserialize_with = "opt_decimal")]
        #[tsify(type = "DecimalString | null")]
        min: Option<Decimal>,
        /// The largest value allowed.
        #[serde(default, deserialize_with = "opt_decimal")]
        #[tsify(type = "DecimalString | null")]
        max: Option<Decimal>,
        /// The decimal places kept (0 for whole numbers).
        #[serde(default)]
        decimals: Option<u32>,
    },
    /// An amount of money in one currency, given in data as a decimal string.
    #[serde(rename_all = "camelCase")]
    Money {
        /// The ISO 4217 currency code; left out, the office's base currency.
        #[serde(default)]
        currency: Option<String>,
        /// The smallest amount allowed.
        #[serde(default, deserialize_with = "opt_decimal")]
        #[tsify(type = "DecimalString | null")]
        min: Option<Decimal>,
        /// The largest amount allowed.
        #[serde(default, deserialize_with = "opt_decimal")]
        #[tsify(type = "DecimalString | null")]
        max: Option<Decimal>,
    },
    /// A calendar date.
    #[serde(rename_all = "camelCase")]
    Date {
        /// The earliest date allowed.
        #[serde(default, deserialize_with = "opt_date")]
        #[tsify(type = "IsoDate | null")]
        min: Option<NaiveDate>,
        /// The latest date allowed.
        #[serde(default, deserialize_with = "opt_date")]
        #[tsify(type = "IsoDate | null")]
        max: Option<NaiveDate>,
    },
    /// An instant, stored in UTC.
    #[serde(rename_all = "camelCase")]
    DateTime {
        /// The earliest instant allowed.
        #[serde(default, deserialize_with = "opt_instant")]
        #[tsify(type = "Instant | null")]
        min: Option<DateTime<Utc>>,
        /// The latest instant allowed.
        #[serde(default, deserialize_with = "opt_instant")]
        #[tsify(type = "Instant | null")]
        max: Option<DateTime<Utc>>,
    },
    /// Yes or no.
    YesNo,
    /// One of the options, by value.
    #[serde(rename_all = "camelCase")]
    Choice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
    },
    /// Several of the options, by value.
    #[serde(rename_all = "camelCase")]
    MultiChoice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
        /// The fewest options to choose when any is chosen.
        #[serde(default)]
        min_selected: Option<u32>,
        /// The most options to choose.
        #[serde(default)]
        max_selected: Option<u32>,
    },
    /// A person of the office, by id.
    Person,
    /// A department of the office, by id.
    Department,
    /// Uploaded files, by content hash.
    #[serde(rename_all = "camelCase")]
    Attachment {
        /// The most files.
        #[serde(default)]
        max_files: Option<u32>,
    },
    /// A table of rows (明细) whose columns are fields of their own.
    #[serde(rename_all = "camelCase")]
    Table {
        /// The columns.
        fields: Vec<FieldDef>,
        /// The fewest rows when any is given.
        #[serde(default)]
        min_rows: Option<u32>,
        /// The most rows.
        #[serde(default)]
        max_rows: Option<u32>,
    },
    /// The sum of a number or money column of a table, `table.column`.
    #[serde(rename_all = "camelCase")]
    Total {
        /// The column to add up, `table.column`.
        of: String,
    },
}

impl From<oa::form::FieldKind> for FieldKind {
    fn from(k: oa::form::FieldKind) -> Self {
        use oa::form::FieldKind as K;
        match k {
            K::Text { min_length, max_length, pattern } => FieldKind::Text { min_length, max_length, pattern },
            K::LongText { min_length, max_length, pattern } => FieldKind::LongText { min_length, max_length, pattern },
            K::Number { min, max, decimals } => FieldKind::Number { min, max, decimals },
            K::Money { currency, min, max } => FieldKind::Money { currency, min, max },
            K::Date { min, max } => FieldKind::Date { min, max },
            K::DateTime { min, max } => FieldKind::DateTime { min, max },
            K::YesNo => FieldKind::YesNo,
            K::Choice { options } => FieldKind::Choice { options: options_out(options) },
            K::MultiChoice { options, min_selected, max_selected } => {
                FieldKind::MultiChoice { options: options_out(options), min_selected, max_selected }
            }
            K::Person => FieldKind::Person,
            K::Department => FieldKind::Department,
            K::Attachment { max_files } => FieldKind::Attachment { max_files },
            K::Table { fields, min_rows, max_rows } => {
                FieldKind::Table { fields: fields.into_iter().map(FieldDef::from).collect(), min_rows, max_rows }
            }
            K::Total { of } => FieldKind::Total { of },
        }
    }
}

impl From<FieldKind> for oa::form::FieldKind {
    fn from(k: FieldKind) -> Self {
        use oa::form::FieldKind as K;
        match k {
            FieldKind::Text { min_length, max_length, pattern } => K::Text { min_length, max_length, pattern },
            FieldKind::LongText { min_length, max_length, pattern } => K::LongText { min_length, max_length, pattern },
            FieldKind::Number { min, max, decimals } => K::Number { min, max, decimals },
            FieldKind::Money { currency, min, max } => K::Money { currency, min, max },
            FieldKind::Date { min, max } => K::Date { min, max },
            FieldKind::DateTime { min, max } => K::DateTime { min, max },
            FieldKind::YesNo => K::YesNo,
            FieldKind::Choice { options } => K::Choice { options: options_in(options) },
            FieldKind::MultiChoice { options, min_selected, max_selected } => {
                K::MultiChoice { options: options_in(options), min_selected, max_selected }
            }
            FieldKind::Person => K::Person,
            FieldKind::Department => K::Department,
            FieldKind::Attachment { max_files } => K::Attachment { max_files },
            FieldKind::Table { fields, min_rows, max_rows } => {
                K::Table { fields: fields.into_iter().map(Into::into).collect(), min_rows, max_rows }
            }
            FieldKind::Total { of } => K::Total { of },
        }
    }
}

/// A field of a form, or a column of a table field: `key`, `label`, `required`, `help`, and
/// beside them the kind's `type` and settings (`{ key: "amount", label: "金额", type: "money" }`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
// An interface cannot extend the union of kinds; the declaration is an intersection instead.
#[tsify(missing_as_null, type = "FieldBase & FieldKind")]
pub struct FieldDef {
    /// The field's key in submitted data, `[a-zA-Z][a-zA-Z0-9_]{0,63}`.
    pub key: String,
    /// The label people see.
    pub label: String,
    /// Whether a value must be given.
    #[serde(default)]
    pub required: bool,
    /// A hint shown beside the field.
    #[serde(default)]
    pub help: String,
    /// What kind of value the field takes, with its constraints.
    #[serde(flatten)]
    pub kind: FieldKind,
}

impl From<oa::form::FieldDef> for FieldDef {
    fn from(f: oa::form::FieldDef) -> Self {
        let oa::form::FieldDef { key, label, required, help, kind } = f;
        FieldDef { key, label, required, help, kind: kind.into() }
    }
}

impl From<FieldDef> for oa::form::FieldDef {
    fn from(f: FieldDef) -> Self {
        oa::form::FieldDef { key: f.key, label: f.label, required: f.required, help: f.help, kind: f.kind.into() }
    }
}

/// A form as an administrator defines it (`defineForm`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NewForm {
    /// The form's key, `[a-z0-9_]{1,64}`, stable across versions.
    pub key: String,
    /// The form's name as people see it (请假单).
    pub name: String,
    /// What the form is for.
    #[serde(default)]
    pub description: String,
    /// The fields, in display order.
    pub fields: Vec<FieldDef>,
}

impl From<NewForm> for oa::form::NewForm {
    fn from(n: NewForm) -> Self {
        oa::form::NewForm {
            key: n.key,
            name: n.name,
            description: n.description,
            fields: n.fields.into_iter().map(Into::into).collect(),
        }
    }
}

/// One version of a form (表单).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Form {
    /// The form's key.
    pub key: String,
    /// The version, from 1.
    pub version: u32,
    /// The form's name.
    pub name: String,
    /// What the form is for.
    pub description: String,
    /// The fields, in display order (a money field always names its currency).
    pub fields: Vec<FieldDef>,
    /// When this version was defined.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// Who defined this version.
    #[tsify(type = "Id")]
    pub created_by: PersonId,
}

impl From<oa::form::Form> for Form {
    fn from(f: oa::form::Form) -> Self {
        let oa::form::Form { key, version, name, description, fields, created_at, created_by } = f;
        Form {
            key,
            version,
            name,
            description,
            fields: fields.into_iter().map(FieldDef::from).collect(),
            created_at,
            created_by,
        }
    }
}

/// One version of a form, in its history.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct FormVersion {
    /// The version number.
    pub version: u32,
    /// The form's name in that version.
    pub name: String,
    /// When the version was defined.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// Who defined it.
    #[tsify(type = "Id")]
    pub created_by: PersonId,
}

impl From<oa::form::FormVersion> for FormVersion {
    fn from(v: oa::form::FormVersion) -> Self {
        let oa::form::FormVersion { version, name, created_at, created_by } = v;
        FormVersion { version, name, created_at, created_by }
    }
}

/// One page of forms, each at its latest version.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct FormPage {
    /// The forms of this page, by key.
    pub items: Vec<Form>,
    /// Where the next page starts; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<oa::form::Form>> for FormPage {
    fn from(p: oa::Page<oa::form::Form>) -> Self {
        let oa::Page { items, next_cursor } = p;
        FormPage { items: items.into_iter().map(Form::from).collect(), next_cursor }
    }
}

/// An uploaded file (附件), addressed by the SHA-256 of its content.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct AttachmentInfo {
    /// The attachment's id: the SHA-256 of its bytes, 64 lowercase hexadecimal digits.
    pub hash: String,
    /// The file's name at its first upload.
    pub file_name: String,
    /// The file's MIME type.
    pub content_type: String,
    /// The size in bytes.
    pub size: u64,
    /// When it was first uploaded.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// Who first uploaded it.
    #[tsify(type = "Id")]
    pub created_by: PersonId,
}

impl From<oa::form::AttachmentInfo> for AttachmentInfo {
    fn from(a: oa::form::AttachmentInfo) -> Self {
        let oa::form::AttachmentInfo { hash, file_name, content_type, size, created_at, created_by } = a;
        AttachmentInfo { hash, file_name, content_type, size, created_at, created_by }
    }
}

// ----------------------------------------------------------------------------------------------
// Workflow: process definitions

/// A process graph as JSON, into the core's graph; errors name the field under `arg`
/// (`definition.nodes[2].approvers`).
fn graph_in(value: serde_json::Value, arg: &str) -> Result<core_def::ProcessGraph, wasm_bindgen::JsValue> {
    crate::convert::from_json(value, arg)
}

/// The core's graph as JSON, in the core's own spelling.
fn graph_out(graph: &core_def::ProcessGraph) -> serde_json::Value {
    serde_json::to_value(graph).unwrap_or(serde_json::Value::Null)
}

/// A process as an administrator publishes it (`publishProcess`, `validateProcess`).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct NewProcess {
    /// The process's key, stable across versions (`leave`).
    pub key: String,
    /// The name people see (请假审批).
    pub name: String,
    /// The category it is listed under (人事); may be empty.
    #[serde(default)]
    pub category: String,
    /// The key of the form an instance fills in.
    pub form_key: String,
    /// The form version to pin; left out, the form's latest.
    #[serde(default)]
    pub form_version: Option<u32>,
    /// The graph of nodes, in the core's JSON (node settings keep their snake_case names).
    #[tsify(type = "ProcessGraph")]
    pub definition: serde_json::Value,
}

impl NewProcess {
    /// The core's input; a graph that does not parse is a validation error under `definition`.
    pub(crate) fn into_core(self) -> Result<core_def::NewProcess, wasm_bindgen::JsValue> {
        let NewProcess { key, name, category, form_key, form_version, definition } = self;
        let definition = graph_in(definition, "definition")?;
        Ok(core_def::NewProcess { key, name, category, form_key, form_version, definition })
    }
}

/// One version of a process definition (流程定义).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ProcessDefinition {
    /// The process's key.
    pub key: String,
    /// The version, from 1.
    pub version: u32,
    /// The name people see.
    pub name: String,
    /// The category it is listed under.
    pub category: String,
    /// The key of the form an instance fills in.
    pub form_key: String,
    /// The form version pinned when the process was published.
    pub form_version: u32,
    /// The graph, normalised (named people are stored by id), in the core's JSON.
    #[tsify(type = "ProcessGraph")]
    pub graph: serde_json::Value,
    /// When this version was published.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// Who published it.
    #[tsify(type = "Id")]
    pub created_by: PersonId,
}

impl From<core_def::ProcessDefinition> for ProcessDefinition {
    fn from(d: core_def::ProcessDefinition) -> Self {
        let core_def::ProcessDefinition {
            key,
            version,
            name,
            category,
            form_key,
            form_version,
            graph,
            created_at,
            created_by,
        } = d;
        ProcessDefinition {
            key,
            version,
            name,
            category,
            form_key,
            form_version,
            graph: graph_out(&graph),
            created_at,
            created_by,
        }
    }
}

/// One version of a process, in its history.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ProcessVersion {
    /// The version number.
    pub version: u32,
    /// The process's name in that version.
    pub name: String,
    /// The form version it pins.
    pub form_version: u32,
    /// How many nodes its graph has.
    pub nodes: u32,
    /// When it was published.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// Who published it.
    #[tsify(type = "Id")]
    pub created_by: PersonId,
}

impl From<core_def::ProcessVersion> for ProcessVersion {
    fn from(v: core_def::ProcessVersion) -> Self {
        let core_def::ProcessVersion { version, name, form_version, nodes, created_at, created_by } = v;
        ProcessVersion { version, name, form_version, nodes, created_at, created_by }
    }
}

/// A problem found in a process by `validateProcess`: where, and why.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct FieldProblem {
    /// Where (`definition.nodes[head].approvers`); node ids and settings as the graph writes them.
    pub path: String,
    /// Why, in words a person reads.
    pub reason: String,
}

impl From<oa::FieldError> for FieldProblem {
    fn from(f: oa::FieldError) -> Self {
        FieldProblem { path: crate::error::workflow_path(&f.path), reason: f.reason }
    }
}

// ----------------------------------------------------------------------------------------------
// Workflow: instances and tasks

/// Where an instance stands.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InstanceStatus {
    /// Saved, not submitted yet (草稿).
    Draft,
    /// Submitted and moving through its nodes (审批中).
    Running,
    /// Reached an end node (已通过).
    Approved,
    /// Rejected at a node (已驳回).
    Rejected,
    /// Withdrawn by its initiator (已撤回).
    Withdrawn,
    /// Stopped by an administrator (已终止).
    Terminated,
}

impl From<core_rt::InstanceStatus> for InstanceStatus {
    fn from(s: core_rt::InstanceStatus) -> Self {
        use core_rt::InstanceStatus as S;
        match s {
            S::Draft => InstanceStatus::Draft,
            S::Running => InstanceStatus::Running,
            S::Approved => InstanceStatus::Approved,
            S::Rejected => InstanceStatus::Rejected,
            S::Withdrawn => InstanceStatus::Withdrawn,
            S::Terminated => InstanceStatus::Terminated,
        }
    }
}

/// A place an instance waits at (a node with open tasks, a join, the start while returned).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Token {
    /// The node.
    pub node: String,
    /// The activation of the node its tasks carry.
    pub activation: u32,
    /// For a join: how many branches have arrived.
    pub arrived: u32,
    /// For an approval in turn (依次): the people still to approve, in order.
    #[tsify(type = "Id[]")]
    pub in_turn: Vec<PersonId>,
    /// Where the instance goes once this node passes, instead of the node's `next`.
    pub resume_at: Option<String>,
    /// When the instance reached the node.
    #[tsify(type = "Instant | null")]
    pub entered_at: Option<DateTime<Utc>>,
}

impl From<core_rt::Token> for Token {
    fn from(t: core_rt::Token) -> Self {
        let core_rt::Token { node, activation, arrived, in_turn, resume_at, entered_at } = t;
        Token { node, activation, arrived, in_turn, resume_at, entered_at }
    }
}

/// Where an instance returned to its initiator came from.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct ReturnMark {
    /// The node that returned it.
    pub from: String,
    /// Where a resubmission goes: the returning node, or `null` for the node after the start.
    pub resume_at: Option<String>,
}

/// The last action, while its actor may still take it back (撤回).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Undo {
    /// Who acted.
    #[tsify(type = "Id")]
    pub actor: PersonId,
    /// The task they acted on.
    #[tsify(type = "Id")]
    pub task: TaskId,
    /// The tokens before the action.
    pub tokens: Vec<Token>,
    /// The data before the action.
    #[tsify(type = "FormData")]
    pub data: serde_json::Value,
    /// The tasks the action created.
    #[tsify(type = "Id[]")]
    pub created: Vec<TaskId>,
}

/// A process instance (流程实例): one run of a process version over one filling of its form.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Instance {
    /// The instance's id.
    #[tsify(type = "Id")]
    pub id: InstanceId,
    /// The process's key.
    pub process_key: String,
    /// The process version it runs (pinned when it started).
    pub process_version: u32,
    /// The process's name.
    pub process_name: String,
    /// The form's key.
    pub form_key: String,
    /// The form version.
    pub form_version: u32,
    /// The object of another module it approves (`contract:01J…`), if any.
    pub business_key: Option<String>,
    /// The title people see in lists.
    pub title: String,
    /// Who started it (发起人).
    #[tsify(type = "Id")]
    pub initiator: PersonId,
    /// The initiator's main department when it was created.
    #[tsify(type = "Id")]
    pub initiator_dept: DeptId,
    /// The form data, normalised (as the viewer may see it).
    #[tsify(type = "FormData")]
    pub data: serde_json::Value,
    /// Where it stands.
    pub status: InstanceStatus,
    /// Where it waits.
    pub tokens: Vec<Token>,
    /// When it was created.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// When it was submitted.
    #[tsify(type = "Instant | null")]
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    #[tsify(type = "Instant | null")]
    pub ended_at: Option<DateTime<Utc>>,
    /// The document number (文号) assigned, if any.
    pub number: Option<String>,
    /// Set while it is returned to its initiator (退回发起人).
    pub returned: Option<ReturnMark>,
    /// The last action, while its actor may still take it back.
    pub undo: Option<Undo>,
    /// How many history entries it has.
    pub history_len: u32,
    /// How many node activations it has had.
    pub activations: u32,
}

impl From<core_rt::Instance> for Instance {
    fn from(i: core_rt::Instance) -> Self {
        let core_rt::Instance {
            id,
            process_key,
            process_version,
            process_name,
            form_key,
            form_version,
            business_key,
            title,
            initiator,
            initiator_dept,
            data,
            status,
            tokens,
            created_at,
            started_at,
            ended_at,
            number,
            returned,
            undo,
            history_len,
            activations,
        } = i;
        let tokens_out = |t: Vec<core_rt::Token>| t.into_iter().map(Token::from).collect::<Vec<_>>();
        Instance {
            id,
            process_key,
            process_version,
            process_name,
            form_key,
            form_version,
            business_key,
            title,
            initiator,
            initiator_dept,
            data,
            status: status.into(),
            tokens: tokens_out(tokens),
            created_at,
            started_at,
            ended_at,
            number,
            returned: returned.map(|r| {
                let core_rt::ReturnMark { from, resume_at } = r;
                ReturnMark { from, resume_at }
            }),
            undo: undo.map(|u| {
                let core_rt::Undo { actor, task, tokens, data, created } = u;
                Undo { actor, task, tokens: tokens_out(tokens), data, created }
            }),
            history_len,
            activations,
        }
    }
}

/// What a task asks of its assignee.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Approve or reject (审批).
    Approve,
    /// Read a copy (抄送).
    Cc,
    /// Change and resubmit an instance returned to its initiator (重新提交).
    Resubmit,
}

impl From<core_rt::TaskKind> for TaskKind {
    fn from(k: core_rt::TaskKind) -> Self {
        use core_rt::TaskKind as K;
        match k {
            K::Approve => TaskKind::Approve,
            K::Cc => TaskKind::Cc,
            K::Resubmit => TaskKind::Resubmit,
        }
    }
}

/// Where a task stands.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// Waiting for its assignee (an unread copy, for a copy).
    Pending,
    /// Set aside until a signer added before its assignee (前加签) approves.
    Waiting,
    /// Handed by its assignee to someone to deal with (委派) and waiting for it to come back:
    /// still open, so its node waits, and its assignee may take it back.
    Delegated,
    /// Approved (同意); for a resubmit task, resubmitted.
    Approved,
    /// Rejected (驳回).
    Rejected,
    /// Returned (退回).
    Returned,
    /// Handed to someone else (转交).
    Transferred,
    /// Taken back by the actor before it (撤回).
    Withdrawn,
    /// No longer needed.
    Cancelled,
    /// A copy its recipient read (已阅).
    Read,
    /// A task delegated to its assignee (委派), dealt with and given back to its owner (办理).
    Resolved,
}

impl From<core_rt::TaskStatus> for TaskStatus {
    fn from(s: core_rt::TaskStatus) -> Self {
        use core_rt::TaskStatus as S;
        match s {
            S::Pending => TaskStatus::Pending,
            S::Waiting => TaskStatus::Waiting,
            S::Delegated => TaskStatus::Delegated,
            S::Approved => TaskStatus::Approved,
            S::Rejected => TaskStatus::Rejected,
            S::Returned => TaskStatus::Returned,
            S::Transferred => TaskStatus::Transferred,
            S::Withdrawn => TaskStatus::Withdrawn,
            S::Cancelled => TaskStatus::Cancelled,
            S::Read => TaskStatus::Read,
            S::Resolved => TaskStatus::Resolved,
        }
    }
}

/// Where a signer is added (加签).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignerPosition {
    /// Before the current approver (前加签).
    Before,
    /// After the current approver (后加签).
    After,
    /// Beside the current approver (并加签).
    Alongside,
}

impl From<SignerPosition> for core_rt::SignerPosition {
    fn from(p: SignerPosition) -> Self {
        use core_rt::SignerPosition as P;
        match p {
            SignerPosition::Before => P::Before,
            SignerPosition::After => P::After,
            SignerPosition::Alongside => P::Alongside,
        }
    }
}

/// A task (待办, 抄送): one person's part at one activation of one node.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct Task {
    /// The task's id.
    #[tsify(type = "Id")]
    pub id: TaskId,
    /// The instance.
    #[tsify(type = "Id")]
    pub instance: InstanceId,
    /// The node.
    pub node: String,
    /// The node's name.
    pub node_name: String,
    /// Who is asked.
    #[tsify(type = "Id")]
    pub assignee: PersonId,
    /// What is asked.
    pub kind: TaskKind,
    /// Where it stands.
    pub status: TaskStatus,
    /// When it was created.
    #[tsify(type = "Instant")]
    pub created_at: DateTime<Utc>,
    /// When its deadline passes, while it is pending.
    #[tsify(type = "Instant | null")]
    pub due_at: Option<DateTime<Utc>>,
    /// The deadline its node set, which reminders do not move (超时).
    #[tsify(type = "Instant | null")]
    pub deadline_at: Option<DateTime<Utc>>,
    /// When its assignee (or the system) acted.
    #[tsify(type = "Instant | null")]
    pub acted_at: Option<DateTime<Utc>>,
    /// The comment given with the action.
    pub comment: String,
    /// Its place among the tasks of its node (依次 order), from 0.
    pub order: u32,
    /// The node activation it belongs to.
    pub activation: u32,
    /// The seat it fills: the task it continues, or itself.
    #[tsify(type = "Id")]
    pub seat: TaskId,
    /// Signers to ask after this task's assignee approves (后加签), in order.
    #[tsify(type = "Id[]")]
    pub after: Vec<PersonId>,
    /// Who added this task's assignee as a signer, if someone did.
    #[tsify(type = "Id | null")]
    pub added_by: Option<PersonId>,
    /// Whether the system acted (an automatic approval, a timeout).
    pub auto: bool,
    /// How many reminders were sent for it.
    pub reminders: u32,
    /// How many times the initiator urged it (催办).
    pub urged: u32,
    /// The instance's process key.
    pub process_key: String,
    /// The instance's process name.
    pub process_name: String,
    /// The instance's title.
    pub title: String,
    /// The instance's initiator.
    #[tsify(type = "Id")]
    pub initiator: PersonId,
    /// The person the task was meant for, when their standing delegation (委托) sent it to its
    /// assignee instead; they find it in `tasksOnMyBehalf`.
    #[tsify(type = "Id | null")]
    pub on_behalf_of: Option<PersonId>,
    /// For a task delegated to its assignee to deal with (委派): the owner's task, which waits
    /// as `delegated` until this one is resolved or taken back.
    #[tsify(type = "Id | null")]
    pub delegated_from: Option<TaskId>,
}

impl From<core_rt::Task> for Task {
    fn from(t: core_rt::Task) -> Self {
        let core_rt::Task {
            id,
            instance,
            node,
            node_name,
            assignee,
            kind,
            status,
            created_at,
            due_at,
            deadline_at,
            acted_at,
            comment,
            order,
            activation,
            seat,
            after,
            added_by,
            auto,
            reminders,
            urged,
            process_key,
            process_name,
            title,
            initiator,
            on_behalf_of,
            delegated_from,
        } = t;
        Task {
            id,
            instance,
            node,
            node_name,
            assignee,
            kind: kind.into(),
            status: status.into(),
            created_at,
            due_at,
            deadline_at,
            acted_at,
            comment,
            order,
            activation,
            seat,
            after,
            added_by,
            auto,
            reminders,
            urged,
            process_key,
            process_name,
            title,
            initiator,
            on_behalf_of,
            delegated_from,
        }
    }
}

/// What a history entry records.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HistoryAction {
    /// Submitted by its initiator (提交).
    Submitted,
    /// Approved (同意).
    Approved,
    /// Approved automatically (自动通过).
    AutoApproved,
    /// Rejected (驳回).
    Rejected,
    /// Returned (退回).
    Returned,
    /// Resubmitted by its initiator.
    Resubmitted,
    /// Withdrawn (撤回).
    Withdrawn,
    /// A task handed to someone else (转交).
    Transferred,
    /// A signer added (加签).
    SignerAdded,
    /// A signer removed (减签).
    SignerRemoved,
    /// A comment (评论).
    Commented,
    /// Urged by the initiator (催办).
    Urged,
    /// Copies sent (抄送).
    CcSent,
    /// A copy read (已阅).
    CcRead,
    /// Stopped by an administrator (终止).
    Terminated,
    /// Moved to a node by an administrator (跳转).
    Jumped,
    /// A reminder after a deadline (超时提醒).
    Reminded,
    /// A task escalated after a deadline (超时上报).
    Escalated,
    /// A node passed without approvers (审批人为空，自动通过).
    Skipped,
    /// No approver found; the node's fallback named who approves (审批人为空，转交).
    FallbackAssigned,
    /// A task sent to the delegate of the person it was meant for, by their standing
    /// delegation (委托).
    Redirected,
    /// A task handed by its assignee to someone to deal with (委派).
    Delegated,
    /// A delegated task dealt with and given back to its owner (办理).
    Resolved,
    /// A delegated task taken back by its owner before it was dealt with (收回).
    TakenBack,
    /// A branch condition failed to evaluate and counted as not holding.
    ConditionError,
    /// A branch taken at an exclusive gateway.
    BranchTaken,
    /// A document number assigned (文号).
    NumberAssigned,
    /// The instance ended.
    Ended,
    /// A task moved to another person by an administrator (改派).
    Reassigned,
    /// The instance moved to another version of its process by an administrator (版本迁移).
    Migrated,
}

impl From<core_rt::HistoryAction> for HistoryAction {
    fn from(a: core_rt::HistoryAction) -> Self {
        use core_rt::HistoryAction as A;
        match a {
            A::Submitted => HistoryAction::Submitted,
            A::Approved => HistoryAction::Approved,
            A::AutoApproved => HistoryAction::AutoApproved,
            A::Rejected => HistoryAction::Rejected,
            A::Returned => HistoryAction::Returned,
            A::Resubmitted => HistoryAction::Resubmitted,
            A::Withdrawn => HistoryAction::Withdrawn,
            A::Transferred => HistoryAction::Transferred,
            A::SignerAdded => HistoryAction::SignerAdded,
            A::SignerRemoved => HistoryAction::SignerRemoved,
            A::Commented => HistoryAction::Commented,
            A::Urged => HistoryAction::Urged,
            A::CcSent => HistoryAction::CcSent,
            A::CcRead => HistoryAction::CcRead,
            A::Terminated => HistoryAction::Terminated,
            A::Jumped => HistoryAction::Jumped,
            A::Reminded => HistoryAction::Reminded,
            A::Escalated => HistoryAction::Escalated,
            A::Skipped => HistoryAction::Skipped,
            A::FallbackAssigned => HistoryAction::FallbackAssigned,
            A::Redirected => HistoryAction::Redirected,
            A::Delegated => HistoryAction::Delegated,
            A::Resolved => HistoryAction::Resolved,
            A::TakenBack => HistoryAction::TakenBack,
            A::ConditionError => HistoryAction::ConditionError,
            A::BranchTaken => HistoryAction::BranchTaken,
            A::NumberAssigned => HistoryAction::NumberAssigned,
            A::Ended => HistoryAction::Ended,
            A::Reassigned => HistoryAction::Reassigned,
            A::Migrated => HistoryAction::Migrated,
        }
    }
}

/// One entry of an instance's history (流转记录).
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct HistoryEntry {
    /// Its place in the history, from 0.
    pub seq: u32,
    /// When.
    #[tsify(type = "Instant")]
    pub at: DateTime<Utc>,
    /// Who; `null` for the system.
    #[tsify(type = "Id | null")]
    pub actor: Option<PersonId>,
    /// What happened.
    pub action: HistoryAction,
    /// At which node.
    pub node: Option<String>,
    /// On which task.
    #[tsify(type = "Id | null")]
    pub task: Option<TaskId>,
    /// The actor's comment.
    pub comment: String,
    /// A short account of what happened, in words.
    pub detail: String,
    /// Form fields changed: `{ field: { from, to } }`.
    #[tsify(type = "{ [field: string]: { from: JsonValue; to: JsonValue } } | null")]
    pub changes: Option<serde_json::Value>,
}

impl From<core_rt::HistoryEntry> for HistoryEntry {
    fn from(h: core_rt::HistoryEntry) -> Self {
        let core_rt::HistoryEntry { seq, at, actor, action, node, task, comment, detail, changes } = h;
        HistoryEntry { seq, at, actor, action: action.into(), node, task, comment, detail, changes }
    }
}

/// An instance with its tasks and history (时间线), as the viewer may see it.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct InstanceDetail {
    /// The instance.
    pub instance: Instance,
    /// Every task, oldest first.
    pub tasks: Vec<Task>,
    /// The history, oldest first.
    pub history: Vec<HistoryEntry>,
}

impl From<core_rt::InstanceDetail> for InstanceDetail {
    fn from(d: core_rt::InstanceDetail) -> Self {
        let core_rt::InstanceDetail { instance, tasks, history } = d;
        InstanceDetail {
            instance: instance.into(),
            tasks: tasks.into_iter().map(Task::from).collect(),
            history: history.into_iter().map(HistoryEntry::from).collect(),
        }
    }
}

/// The counts a person's badges show.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct BadgeCounts {
    /// Pending tasks (待办).
    pub todo: u64,
    /// Unread copies (未读抄送).
    pub cc_unread: u64,
}

impl From<core_rt::BadgeCounts> for BadgeCounts {
    fn from(b: core_rt::BadgeCounts) -> Self {
        let core_rt::BadgeCounts { todo, cc_unread } = b;
        BadgeCounts { todo, cc_unread }
    }
}

/// What `processDue` did.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct DueReport {
    /// Tasks whose assignees were reminded.
    #[tsify(type = "Id[]")]
    pub reminded: Vec<TaskId>,
    /// Tasks handed to their assignee's superior.
    #[tsify(type = "Id[]")]
    pub escalated: Vec<TaskId>,
    /// Tasks approved automatically.
    #[tsify(type = "Id[]")]
    pub auto_approved: Vec<TaskId>,
    /// Tasks rejected automatically.
    #[tsify(type = "Id[]")]
    pub auto_rejected: Vec<TaskId>,
    /// Due entries found already handled.
    pub skipped: u32,
}

impl From<core_rt::DueReport> for DueReport {
    fn from(r: core_rt::DueReport) -> Self {
        let core_rt::DueReport { reminded, escalated, auto_approved, auto_rejected, skipped } = r;
        DueReport { reminded, escalated, auto_approved, auto_rejected, skipped }
    }
}

/// A process to start (发起), or a draft to save.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct StartProcess {
    /// The process's key.
    pub process_key: String,
    /// The version to run; left out, the latest.
    #[serde(default)]
    pub version: Option<u32>,
    /// The title people see in lists, 1 to 200 characters.
    pub title: String,
    /// The form data, by the form's own field keys.
    #[tsify(type = "FormData")]
    pub data: serde_json::Value,
    /// The object of another module the instance approves (`contract:01J…`).
    #[serde(default)]
    pub business_key: Option<String>,
}

impl From<StartProcess> for core_rt::StartProcess {
    fn from(s: StartProcess) -> Self {
        let StartProcess { process_key, version, title, data, business_key } = s;
        core_rt::StartProcess { process_key, version, title, data, business_key }
    }
}

/// Where a task returns an instance to (退回), told by `kind`.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[tsify(missing_as_null)]
pub enum ReturnTarget {
    /// The last node before this one the instance passed, among those allowed.
    Previous,
    /// A node, by id.
    Node {
        /// The node's id.
        node: String,
    },
    /// The initiator, who changes and resubmits.
    Initiator,
}

impl From<ReturnTarget> for core_rt::ReturnTarget {
    fn from(t: ReturnTarget) -> Self {
        match t {
            ReturnTarget::Previous => core_rt::ReturnTarget::Previous,
            ReturnTarget::Node { node } => core_rt::ReturnTarget::Node(node),
            ReturnTarget::Initiator => core_rt::ReturnTarget::Initiator,
        }
    }
}

/// What a list of tasks or instances is narrowed to; every filter may be left out.
#[derive(Tsify, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct TaskQuery {
    /// Only this process, by key.
    #[serde(default)]
    pub process: Option<String>,
    /// Only from this instant (created, or acted for the done list).
    #[serde(default, deserialize_with = "opt_instant")]
    #[tsify(type = "InstantInput | null")]
    pub from: Option<DateTime<Utc>>,
    /// Only up to this instant, included.
    #[serde(default, deserialize_with = "opt_instant")]
    #[tsify(type = "InstantInput | null")]
    pub to: Option<DateTime<Utc>>,
    /// Only instances this person started.
    #[serde(default)]
    #[tsify(type = "Id | null")]
    pub initiator: Option<PersonId>,
    /// Only titles containing this text, ignoring case.
    #[serde(default)]
    pub text: Option<String>,
}

impl From<TaskQuery> for core_rt::TaskQuery {
    fn from(q: TaskQuery) -> Self {
        let TaskQuery { process, from, to, initiator, text } = q;
        core_rt::TaskQuery { process, from, to, initiator, text }
    }
}

/// One page of tasks.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct TaskPage {
    /// The tasks of this page.
    pub items: Vec<Task>,
    /// Where the next page starts; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_rt::Task>> for TaskPage {
    fn from(p: oa::Page<core_rt::Task>) -> Self {
        let oa::Page { items, next_cursor } = p;
        TaskPage { items: items.into_iter().map(Task::from).collect(), next_cursor }
    }
}

/// One page of instances.
#[derive(Tsify, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[tsify(missing_as_null)]
pub struct InstancePage {
    /// The instances of this page.
    pub items: Vec<Instance>,
    /// Where the next page starts; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_rt::Instance>> for InstancePage {
    fn from(p: oa::Page<core_rt::Instance>) -> Self {
        let oa::Page { items, next_cursor } = p;
        InstancePage { items: items.into_iter().map(Instance::from).collect(), next_cursor }
    }
}
