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
use oa::Id;

#[wasm_bindgen(typescript_custom_section)]
const TS_ALIASES: &'static str = r#"
/** An opaque id: 26 characters of Crockford base32, ordered by creation. */
export type Id = string;
/** An instant in UTC as an ISO 8601 string, e.g. `2026-11-28T09:30:00Z`. */
export type Instant = string;
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
/** A day of the week. */
export type Weekday = "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun";
"#;

/// Reads an optional instant from an ISO 8601 string, with a message that says so.
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
    #[tsify(type = "Instant | null")]
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (excluded).
    #[serde(default, deserialize_with = "opt_instant")]
    #[tsify(type = "Instant | null")]
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
