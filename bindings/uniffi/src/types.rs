//! The records and enums of the binding: the core's types mirrored one to one, with ids as
//! strings, instants as `SystemTime` (Kotlin `java.time.Instant`, Swift `Date`), decimals as
//! `Decimal` (Kotlin `java.math.BigDecimal`, Swift `Foundation.Decimal`), dates and times of day
//! as `LocalDate` and `LocalTime` (Kotlin `java.time`, Swift ISO 8601 text).
//!
//! Conversions only map types. A text that is not an id, or an instant outside the range the
//! core keeps, is a `validation` error naming the field; every bad field of one input is
//! reported at once.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Utc};
use oa::admin::params;
use oa::error::Problems;
use oa::perm::GrantId;
use oa::{audit, auth, org, perm, DeptId, Id, PersonId};

// ---------------------------------------------------------------------------------------------
// Mapping helpers
// ---------------------------------------------------------------------------------------------

/// An id type that can be parsed from the text a caller gives, naming the field when it fails.
pub(crate) trait ParseId: Sized {
    fn parse_id(field: &str, text: &str) -> oa::OaResult<Self>;
    /// A value that stands in for an id that failed to parse, never used once a check failed.
    fn placeholder() -> Self;
}

macro_rules! typed_ids {
    ($($t:ty),*) => {$(
        impl ParseId for $t {
            fn parse_id(field: &str, text: &str) -> oa::OaResult<Self> {
                <$t>::parse(field, text)
            }
            fn placeholder() -> Self {
                Self(Id::default())
            }
        }
    )*};
}
typed_ids!(DeptId, PersonId, GrantId);

/// A session id (sessions have no typed id in the core).
impl ParseId for Id {
    fn parse_id(field: &str, text: &str) -> oa::OaResult<Self> {
        text.trim().parse().map_err(|_| oa::OaError::invalid(field, format!("`{text}` is not a session id")))
    }
    fn placeholder() -> Self {
        Id::default()
    }
}

/// Collects every bad field of one input, so that a validation error names them all.
#[derive(Default)]
pub(crate) struct Fields {
    problems: Problems,
}

impl Fields {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The id in `text`, or a placeholder after recording the problem under `path`.
    pub(crate) fn id<T: ParseId>(&mut self, path: &str, text: &str) -> T {
        match T::parse_id(path, text) {
            Ok(id) => id,
            Err(e) => {
                self.record(e);
                T::placeholder()
            }
        }
    }

    /// The optional id in `text`.
    pub(crate) fn opt_id<T: ParseId>(&mut self, path: &str, text: Option<&str>) -> Option<T> {
        text.map(|t| self.id(path, t))
    }

    /// Every id of `texts`, with paths `path[i]`.
    pub(crate) fn ids<T: ParseId>(&mut self, path: &str, texts: &[String]) -> Vec<T> {
        texts.iter().enumerate().map(|(i, t)| self.id(&format!("{path}[{i}]"), t)).collect()
    }

    /// The instant `t`, or a placeholder after recording that it is out of range.
    pub(crate) fn instant(&mut self, path: &str, t: SystemTime) -> DateTime<Utc> {
        match to_chrono(t) {
            Some(at) => at,
            None => {
                self.problems.add(path, "is outside the range of instants oa keeps (years -262143 to 262142)");
                DateTime::<Utc>::UNIX_EPOCH
            }
        }
    }

    fn record(&mut self, e: oa::OaError) {
        if let Err(other) = self.problems.absorb("", e) {
            // Only validation errors come from parsing; keep anything else as a field problem too.
            self.problems.add("", other.to_string());
        }
    }

    /// `Ok(())` when every field was good, otherwise the validation error naming each bad one.
    pub(crate) fn finish(self) -> oa::OaResult<()> {
        self.problems.finish()
    }
}

/// Parses one id argument.
pub(crate) fn parse_id<T: ParseId>(field: &str, text: &str) -> oa::OaResult<T> {
    T::parse_id(field, text)
}

/// An instant as the binding hands it out.
pub(crate) fn to_system(t: DateTime<Utc>) -> SystemTime {
    let secs = t.timestamp();
    let nanos = t.timestamp_subsec_nanos();
    if secs >= 0 {
        UNIX_EPOCH + Duration::new(secs.unsigned_abs(), nanos)
    } else {
        UNIX_EPOCH - Duration::from_secs(secs.unsigned_abs()) + Duration::from_nanos(u64::from(nanos))
    }
}

/// An instant as the core keeps it, `None` when out of chrono's range.
pub(crate) fn to_chrono(t: SystemTime) -> Option<DateTime<Utc>> {
    let (secs, nanos) = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => (i64::try_from(d.as_secs()).ok()?, d.subsec_nanos()),
        Err(e) => {
            let d = e.duration();
            let secs = i64::try_from(d.as_secs()).ok()?;
            if d.subsec_nanos() == 0 {
                (-secs, 0)
            } else {
                (-secs - 1, 1_000_000_000 - d.subsec_nanos())
            }
        }
    };
    DateTime::from_timestamp(secs, nanos)
}

fn ids_to_strings<T: ToString>(ids: &[T]) -> Vec<String> {
    ids.iter().map(ToString::to_string).collect()
}

// ---------------------------------------------------------------------------------------------
// Custom types: decimals, dates, times of day
// ---------------------------------------------------------------------------------------------

/// A decimal number, never a float: amounts of money and the bounds of number fields. Crosses
/// the boundary as its text (`"1234.50"`); Kotlin sees `java.math.BigDecimal` and Swift
/// `Foundation.Decimal` (see `uniffi.toml`).
pub type Decimal = rust_decimal::Decimal;

uniffi::custom_type!(Decimal, String, {
    remote,
    lower: |m| m.to_string(),
    try_lift: |s| parse_decimal(&s).map_err(uniffi::deps::anyhow::Error::new),
});

/// The decimal written in `text`. A number the core cannot hold (more than 28 significant
/// digits) is a `validation` error on `decimal`; given to a method that returns a `Result`, it
/// reaches the caller as `OaException.Validation`.
fn parse_decimal(text: &str) -> Result<Decimal, crate::OaError> {
    text.trim().parse::<Decimal>().or_else(|_| Decimal::from_scientific(text.trim())).map_err(|e| {
        oa::OaError::invalid("decimal", format!("`{text}` is not a decimal number oa can hold ({e})")).into()
    })
}

/// A calendar date without a time zone. Crosses as ISO 8601 text (`2026-10-01`); Kotlin sees
/// `java.time.LocalDate`, Swift the text.
pub type LocalDate = chrono::NaiveDate;

uniffi::custom_type!(LocalDate, String, {
    remote,
    lower: |d| d.format("%Y-%m-%d").to_string(),
    try_lift: |s| parse_date(&s).map_err(uniffi::deps::anyhow::Error::new),
});

fn parse_date(text: &str) -> Result<LocalDate, crate::OaError> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| oa::OaError::invalid("date", format!("`{text}` is not a date written `YYYY-MM-DD`")).into())
}

/// A time of day. Crosses as ISO 8601 text (`09:00:00`, or `09:00`); Kotlin sees
/// `java.time.LocalTime`, Swift the text.
pub type LocalTime = chrono::NaiveTime;

uniffi::custom_type!(LocalTime, String, {
    remote,
    lower: |t| t.format("%H:%M:%S%.f").to_string(),
    try_lift: |s| parse_time(&s).map_err(uniffi::deps::anyhow::Error::new),
});

fn parse_time(text: &str) -> Result<LocalTime, crate::OaError> {
    let t = text.trim();
    chrono::NaiveTime::parse_from_str(t, "%H:%M:%S%.f")
        .or_else(|_| chrono::NaiveTime::parse_from_str(t, "%H:%M"))
        .map_err(|_| oa::OaError::invalid("time", format!("`{text}` is not a time of day written `HH:MM[:SS]`")).into())
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// One failing field of a validation error.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldError {
    /// Where the field is: `login`, `rows[3].email`, `people.csv:12.email`.
    pub path: String,
    /// Why it was refused, in words a person reads.
    pub reason: String,
}

impl From<oa::FieldError> for FieldError {
    fn from(f: oa::FieldError) -> Self {
        FieldError { path: f.path, reason: f.reason }
    }
}

// ---------------------------------------------------------------------------------------------
// Initialising an office, signing in
// ---------------------------------------------------------------------------------------------

/// One of the first accounts of a new office. Its `toString()` shows the password: keep it out
/// of logs.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct InitAccount {
    /// The login.
    pub login: String,
    /// The person's name.
    pub name: String,
    /// The first password (checked against the password policy).
    pub password: String,
}

impl From<InitAccount> for auth::InitAccount {
    fn from(a: InitAccount) -> Self {
        auth::InitAccount { login: a.login, name: a.name, password: a.password }
    }
}

/// What a new office starts with.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct InitOffice {
    /// The office's name, also the name of its root department.
    pub office_name: String,
    /// The first administrator's login.
    pub admin_login: String,
    /// The first administrator's name.
    pub admin_name: String,
    /// The first administrator's password (checked against the password policy).
    pub admin_password: String,
    /// Whether the office separates duties (三员分立): then the first administrator is the
    /// system administrator, and `security_admin` and `auditor` are required.
    #[uniffi(default = false)]
    pub separation_of_duties: bool,
    /// The security administrator (安全管理员), with separation of duties only.
    #[uniffi(default = None)]
    pub security_admin: Option<InitAccount>,
    /// The security auditor (安全审计员), with separation of duties only.
    #[uniffi(default = None)]
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

/// Who the caller is.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Me {
    /// The person's id.
    pub person: String,
    /// The login.
    pub login: String,
    /// The name.
    pub name: String,
    /// The main department's id.
    pub dept: String,
    /// Whether the password must be changed before anything else.
    pub must_change_password: bool,
    /// Every permission the person holds (in some scope), sorted.
    pub permissions: Vec<String>,
    /// The id of the session asked with.
    pub session_id: String,
    /// When this session expires whatever its use.
    pub session_expires_at: SystemTime,
    /// When the password was last set, if one was.
    pub password_changed_at: Option<SystemTime>,
    /// When the password must be changed by, under a policy with forced expiry.
    pub password_expires_at: Option<SystemTime>,
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
            session_expires_at: to_system(m.session_expires_at),
            password_changed_at: m.password_changed_at.map(to_system),
            password_expires_at: m.password_expires_at.map(to_system),
        }
    }
}

/// A session as a person or an administrator sees it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SessionInfo {
    /// The session's id.
    pub id: String,
    /// Whose session it is.
    pub person: String,
    /// When it was signed in.
    pub created_at: SystemTime,
    /// When it was last used (written at most about once a minute).
    pub last_seen: SystemTime,
    /// When it expires if unused.
    pub idle_expires_at: SystemTime,
    /// When it expires whatever its use.
    pub expires_at: SystemTime,
    /// Whether it is the session asked with.
    pub current: bool,
    /// Whether its person must change their password first.
    pub must_change_password: bool,
}

impl From<oa::SessionInfo> for SessionInfo {
    fn from(s: oa::SessionInfo) -> Self {
        SessionInfo {
            id: s.id.to_string(),
            person: s.person.to_string(),
            created_at: to_system(s.created_at),
            last_seen: to_system(s.last_seen),
            idle_expires_at: to_system(s.idle_expires_at),
            expires_at: to_system(s.expires_at),
            current: s.current,
            must_change_password: s.must_change_password,
        }
    }
}

/// The password policy presets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PasswordPolicyPreset {
    /// OWASP: at least 8 characters, no composition rule, no forced expiry.
    Owasp,
    /// Public agencies in the style of 等保 level 3: three character classes, a change every 90
    /// days, none of the last 5 passwords again.
    Dengbao3,
}

impl From<PasswordPolicyPreset> for params::PasswordPolicyPreset {
    fn from(p: PasswordPolicyPreset) -> Self {
        match p {
            PasswordPolicyPreset::Owasp => params::PasswordPolicyPreset::Owasp,
            PasswordPolicyPreset::Dengbao3 => params::PasswordPolicyPreset::Dengbao3,
        }
    }
}

impl From<params::PasswordPolicyPreset> for PasswordPolicyPreset {
    fn from(p: params::PasswordPolicyPreset) -> Self {
        match p {
            params::PasswordPolicyPreset::Owasp => PasswordPolicyPreset::Owasp,
            params::PasswordPolicyPreset::Dengbao3 => PasswordPolicyPreset::Dengbao3,
        }
    }
}

/// The rules of a password policy preset, to show beside a password field.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PasswordRules {
    /// The preset.
    pub preset: PasswordPolicyPreset,
    /// The fewest characters.
    pub min_chars: u32,
    /// The most characters.
    pub max_chars: u32,
    /// The fewest character classes (lower case, upper case, digits, others).
    pub min_kinds: u32,
    /// After how many days a password must be changed, if ever.
    pub max_age_days: Option<u32>,
    /// How many earlier passwords may not be used again.
    pub history: u32,
}

impl From<oa::PasswordRules> for PasswordRules {
    fn from(r: oa::PasswordRules) -> Self {
        PasswordRules {
            preset: r.preset.into(),
            min_chars: r.min_chars,
            max_chars: r.max_chars,
            min_kinds: r.min_kinds,
            max_age_days: r.max_age_days,
            history: r.history,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/// Which page of a list to read.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct PageRequest {
    /// The `next_cursor` of the previous page; `None` for the first page.
    #[uniffi(default = None)]
    pub cursor: Option<String>,
    /// How many items at most (up to 1000); 0 means 50.
    #[uniffi(default = 0)]
    pub limit: u32,
}

impl From<PageRequest> for oa::PageRequest {
    fn from(p: PageRequest) -> Self {
        oa::PageRequest { cursor: p.cursor, limit: p.limit }
    }
}

// ---------------------------------------------------------------------------------------------
// Organisation
// ---------------------------------------------------------------------------------------------

/// Whether a department is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DeptStatus {
    /// In use.
    Active,
    /// Kept for history; no new members, hidden from pickers.
    Disabled,
}

impl From<org::DeptStatus> for DeptStatus {
    fn from(s: org::DeptStatus) -> Self {
        match s {
            org::DeptStatus::Active => DeptStatus::Active,
            org::DeptStatus::Disabled => DeptStatus::Disabled,
        }
    }
}

/// A department (部门): a node of the organisation tree.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Department {
    /// The department's id.
    pub id: String,
    /// Its name, unique among its siblings.
    pub name: String,
    /// An optional external code, unique in the office.
    pub code: Option<String>,
    /// The parent department's id; `None` for a root.
    pub parent: Option<String>,
    /// The position among its siblings (ascending).
    pub sort_order: i64,
    /// The head of the department (负责人).
    pub head: Option<String>,
    /// Whether it is in use.
    pub status: DeptStatus,
    /// When it was created.
    pub created_at: SystemTime,
    /// When it last changed.
    pub updated_at: SystemTime,
}

impl From<org::Department> for Department {
    fn from(d: org::Department) -> Self {
        Department {
            id: d.id.to_string(),
            name: d.name,
            code: d.code,
            parent: d.parent.map(|p| p.to_string()),
            sort_order: d.sort_order,
            head: d.head.map(|p| p.to_string()),
            status: d.status.into(),
            created_at: to_system(d.created_at),
            updated_at: to_system(d.updated_at),
        }
    }
}

/// Whether a person works here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PersonStatus {
    /// Works here and may sign in.
    Active,
    /// May not sign in (suspended); keeps posts and history.
    Disabled,
    /// Has left the organisation (离职); kept for history.
    Left,
}

impl From<org::PersonStatus> for PersonStatus {
    fn from(s: org::PersonStatus) -> Self {
        match s {
            org::PersonStatus::Active => PersonStatus::Active,
            org::PersonStatus::Disabled => PersonStatus::Disabled,
            org::PersonStatus::Left => PersonStatus::Left,
        }
    }
}

impl From<PersonStatus> for org::PersonStatus {
    fn from(s: PersonStatus) -> Self {
        match s {
            PersonStatus::Active => org::PersonStatus::Active,
            PersonStatus::Disabled => org::PersonStatus::Disabled,
            PersonStatus::Left => org::PersonStatus::Left,
        }
    }
}

/// A part-time post (兼职) held in another department.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Post {
    /// The department of the post.
    pub dept: String,
    /// The position held there.
    #[uniffi(default = None)]
    pub position: Option<String>,
}

impl From<org::Post> for Post {
    fn from(p: org::Post) -> Self {
        Post { dept: p.dept.to_string(), position: p.position }
    }
}

impl Post {
    pub(crate) fn into_core(self, f: &mut Fields, path: &str) -> org::Post {
        org::Post { dept: f.id(&format!("{path}dept"), &self.dept), position: self.position }
    }
}

/// A person (人员).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Person {
    /// The person's id.
    pub id: String,
    /// The sign-in name, unique in the office (compared case-insensitively).
    pub login: String,
    /// The name, in any script (张伟, Zoë).
    pub name: String,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// The main department's id.
    pub dept: String,
    /// The position (职务) in the main department.
    pub position: Option<String>,
    /// The direct superior's id (直属上级).
    pub superior: Option<String>,
    /// Part-time posts in other departments.
    pub posts: Vec<Post>,
    /// Whether the person works here.
    pub status: PersonStatus,
    /// When the person was created.
    pub created_at: SystemTime,
    /// When the person last changed.
    pub updated_at: SystemTime,
}

impl From<org::Person> for Person {
    fn from(p: org::Person) -> Self {
        Person {
            id: p.id.to_string(),
            login: p.login,
            name: p.name,
            email: p.email,
            phone: p.phone,
            dept: p.dept.to_string(),
            position: p.position,
            superior: p.superior.map(|s| s.to_string()),
            posts: p.posts.into_iter().map(Post::from).collect(),
            status: p.status.into(),
            created_at: to_system(p.created_at),
            updated_at: to_system(p.updated_at),
        }
    }
}

/// A new department.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewDepartment {
    /// The name: 1 to 100 characters, unique among its siblings (case-insensitive).
    pub name: String,
    /// An optional code from `A-Z a-z 0-9 _ -`, unique in the office.
    #[uniffi(default = None)]
    pub code: Option<String>,
    /// The parent's id, which must exist and be active; `None` makes a new root.
    #[uniffi(default = None)]
    pub parent: Option<String>,
    /// The position among its siblings; `None` places it after the last sibling.
    #[uniffi(default = None)]
    pub sort_order: Option<i64>,
    /// The head's id (负责人), who must be an active person.
    #[uniffi(default = None)]
    pub head: Option<String>,
}

impl NewDepartment {
    pub(crate) fn into_core(self) -> oa::OaResult<org::NewDepartment> {
        let mut f = Fields::new();
        let parent = f.opt_id("parent", self.parent.as_deref());
        let head = f.opt_id("head", self.head.as_deref());
        f.finish()?;
        Ok(org::NewDepartment { name: self.name, code: self.code, parent, sort_order: self.sort_order, head })
    }
}

/// A new person.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewPerson {
    /// The sign-in name: 2 to 64 characters from `A-Z a-z 0-9 . _ @ -`, unique in the office.
    pub login: String,
    /// The name in any script, 1 to 100 characters.
    pub name: String,
    /// The main department's id, which must exist and be active.
    pub dept: String,
    /// E-mail address.
    #[uniffi(default = None)]
    pub email: Option<String>,
    /// Phone number: digits, spaces, `+`, `-` and parentheses, 3 to 32 characters.
    #[uniffi(default = None)]
    pub phone: Option<String>,
    /// The position (职务), at most 100 characters.
    #[uniffi(default = None)]
    pub position: Option<String>,
    /// The direct superior's id, who must exist.
    #[uniffi(default = None)]
    pub superior: Option<String>,
    /// An initial password, to be changed at the first sign-in. Without one the person cannot
    /// sign in until an administrator sets a password.
    #[uniffi(default = None)]
    pub initial_password: Option<String>,
}

impl NewPerson {
    pub(crate) fn into_core(self) -> oa::OaResult<org::NewPerson> {
        let mut f = Fields::new();
        let dept = f.id("dept", &self.dept);
        let superior = f.opt_id("superior", self.superior.as_deref());
        f.finish()?;
        Ok(org::NewPerson {
            login: self.login,
            name: self.name,
            email: self.email,
            phone: self.phone,
            dept,
            position: self.position,
            superior,
            initial_password: self.initial_password,
        })
    }
}

/// Changes to a person's details; a field left `None` is kept. For `email`, `phone` and
/// `position`, `""` clears the field. `clear_superior` removes the superior (and wins over
/// `superior`).
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct PersonPatch {
    /// A new login.
    #[uniffi(default = None)]
    pub login: Option<String>,
    /// A new name.
    #[uniffi(default = None)]
    pub name: Option<String>,
    /// A new e-mail address; `""` clears it.
    #[uniffi(default = None)]
    pub email: Option<String>,
    /// A new phone number; `""` clears it.
    #[uniffi(default = None)]
    pub phone: Option<String>,
    /// A new position; `""` clears it.
    #[uniffi(default = None)]
    pub position: Option<String>,
    /// A new direct superior's id.
    #[uniffi(default = None)]
    pub superior: Option<String>,
    /// Removes the direct superior.
    #[uniffi(default = false)]
    pub clear_superior: bool,
}

impl PersonPatch {
    pub(crate) fn into_core(self) -> oa::OaResult<org::PersonPatch> {
        let mut f = Fields::new();
        let superior = f.opt_id("superior", self.superior.as_deref());
        f.finish()?;
        Ok(org::PersonPatch {
            login: self.login,
            name: self.name,
            email: self.email,
            phone: self.phone,
            position: self.position,
            superior,
            clear_superior: self.clear_superior,
        })
    }
}

/// Which people to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct PeopleQuery {
    /// Only the people of this department; `None` lists everyone (by creation).
    #[uniffi(default = None)]
    pub dept: Option<String>,
    /// With `dept`: also the people of every department below it.
    #[uniffi(default = false)]
    pub include_subtree: bool,
    /// With `dept`: leave out people who hold only a part-time post (兼职) there.
    #[uniffi(default = false)]
    pub main_post_only: bool,
    /// Only people in this status; `None` lists every status.
    #[uniffi(default = None)]
    pub status: Option<PersonStatus>,
    /// Only people whose name or login contains this text (case-insensitive).
    #[uniffi(default = None)]
    pub text: Option<String>,
}

impl PeopleQuery {
    pub(crate) fn into_core(self) -> oa::OaResult<org::PeopleQuery> {
        let mut f = Fields::new();
        let dept = f.opt_id("dept", self.dept.as_deref());
        f.finish()?;
        Ok(org::PeopleQuery {
            dept,
            include_subtree: self.include_subtree,
            main_post_only: self.main_post_only,
            status: self.status.map(Into::into),
            text: self.text,
        })
    }
}

/// One page of people.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PersonPage {
    /// The people of this page.
    pub items: Vec<Person>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<org::Person>> for PersonPage {
    fn from(p: oa::Page<org::Person>) -> Self {
        PersonPage { items: p.items.into_iter().map(Person::from).collect(), next_cursor: p.next_cursor }
    }
}

/// What an import of departments and people created.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ImportReport {
    /// How many departments were created.
    pub departments_created: u32,
    /// How many people were created.
    pub people_created: u32,
    /// How many of them got an initial password (to be changed at first sign-in).
    pub passwords_set: u32,
    /// How many of them have no credential yet.
    pub without_password: u32,
}

impl From<org::ImportReport> for ImportReport {
    fn from(r: org::ImportReport) -> Self {
        ImportReport {
            departments_created: r.departments_created,
            people_created: r.people_created,
            passwords_set: r.passwords_set,
            without_password: r.without_password,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Permissions
// ---------------------------------------------------------------------------------------------

/// Which records a role's permissions reach (数据权限).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum DataScope {
    /// Every record (全部数据).
    All,
    /// Records of the chosen departments only, not of those below them (自定义).
    Depts {
        /// The chosen departments' ids.
        depts: Vec<String>,
    },
    /// Records of the holder's own departments: the main one and those of part-time posts (本部门).
    OwnDept,
    /// Records of the holder's own departments and every department below them (本部门及以下).
    OwnDeptAndBelow,
    /// Only records the holder owns (仅本人).
    SelfOnly,
}

impl From<perm::DataScope> for DataScope {
    fn from(s: perm::DataScope) -> Self {
        match s {
            perm::DataScope::All => DataScope::All,
            perm::DataScope::Depts { depts } => DataScope::Depts { depts: ids_to_strings(&depts) },
            perm::DataScope::OwnDept => DataScope::OwnDept,
            perm::DataScope::OwnDeptAndBelow => DataScope::OwnDeptAndBelow,
            perm::DataScope::SelfOnly => DataScope::SelfOnly,
        }
    }
}

impl DataScope {
    pub(crate) fn into_core(self, f: &mut Fields, path: &str) -> perm::DataScope {
        match self {
            DataScope::All => perm::DataScope::All,
            DataScope::Depts { depts } => perm::DataScope::Depts { depts: f.ids(&format!("{path}.depts"), &depts) },
            DataScope::OwnDept => perm::DataScope::OwnDept,
            DataScope::OwnDeptAndBelow => perm::DataScope::OwnDeptAndBelow,
            DataScope::SelfOnly => perm::DataScope::SelfOnly,
        }
    }
}

/// A role (角色): a set of permissions, possibly inheriting other roles' permissions.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Role {
    /// The role's code: unique, `[a-z0-9_]`, 1 to 64 characters.
    pub code: String,
    /// Its name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// The permissions it holds itself (catalogue names).
    pub permissions: Vec<String>,
    /// The codes of the roles whose permissions it inherits.
    pub inherits: Vec<String>,
    /// Which records its permissions reach.
    pub data_scope: DataScope,
    /// Whether it is built in (cannot be deleted; its permissions cannot be edited).
    pub builtin: bool,
    /// When it was created.
    pub created_at: SystemTime,
    /// When it last changed.
    pub updated_at: SystemTime,
}

impl From<perm::Role> for Role {
    fn from(r: perm::Role) -> Self {
        Role {
            code: r.code,
            name: r.name,
            description: r.description,
            permissions: r.permissions,
            inherits: r.inherits,
            data_scope: r.data_scope.into(),
            builtin: r.builtin,
            created_at: to_system(r.created_at),
            updated_at: to_system(r.updated_at),
        }
    }
}

/// A new role.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewRole {
    /// The code: unique, `[a-z0-9_]`, 1 to 64 characters.
    pub code: String,
    /// The name (1 to 100 characters).
    pub name: String,
    /// Which records its permissions reach.
    pub data_scope: DataScope,
    /// What it is for.
    #[uniffi(default = "")]
    pub description: String,
    /// The permissions it holds (catalogue names).
    #[uniffi(default)]
    pub permissions: Vec<String>,
    /// The codes of the roles it inherits.
    #[uniffi(default)]
    pub inherits: Vec<String>,
}

impl NewRole {
    pub(crate) fn into_core(self) -> oa::OaResult<perm::NewRole> {
        let mut f = Fields::new();
        let data_scope = self.data_scope.into_core(&mut f, "data_scope");
        f.finish()?;
        Ok(perm::NewRole {
            code: self.code,
            name: self.name,
            description: self.description,
            permissions: self.permissions,
            inherits: self.inherits,
            data_scope,
        })
    }
}

/// A change to a role; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct RolePatch {
    /// A new name.
    #[uniffi(default = None)]
    pub name: Option<String>,
    /// A new description.
    #[uniffi(default = None)]
    pub description: Option<String>,
    /// A new set of permissions (not for a built-in role).
    #[uniffi(default = None)]
    pub permissions: Option<Vec<String>>,
    /// A new set of inherited roles (not for a built-in role).
    #[uniffi(default = None)]
    pub inherits: Option<Vec<String>>,
    /// A new data scope.
    #[uniffi(default = None)]
    pub data_scope: Option<DataScope>,
}

impl RolePatch {
    pub(crate) fn into_core(self) -> oa::OaResult<perm::RolePatch> {
        let mut f = Fields::new();
        let data_scope = self.data_scope.map(|s| s.into_core(&mut f, "data_scope"));
        f.finish()?;
        Ok(perm::RolePatch {
            name: self.name,
            description: self.description,
            permissions: self.permissions,
            inherits: self.inherits,
            data_scope,
        })
    }
}

/// A grant (授权): a role given to a person, optionally only inside a department subtree.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Grant {
    /// The grant's id.
    pub id: String,
    /// Who holds the role.
    pub person: String,
    /// The role's code.
    pub role: String,
    /// When set, the role reaches only records of this department and those below it.
    pub limit_to_dept: Option<String>,
    /// When it was granted.
    pub granted_at: SystemTime,
    /// Who granted it (`None` while initialising the office).
    pub granted_by: Option<String>,
}

impl From<perm::Grant> for Grant {
    fn from(g: perm::Grant) -> Self {
        Grant {
            id: g.id.to_string(),
            person: g.person.to_string(),
            role: g.role,
            limit_to_dept: g.limit_to_dept.map(|d| d.to_string()),
            granted_at: to_system(g.granted_at),
            granted_by: g.granted_by.map(|p| p.to_string()),
        }
    }
}

/// A new grant.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewGrant {
    /// Who gets the role (a person's id).
    pub person: String,
    /// The role's code.
    pub role: String,
    /// When set, the role reaches only records of this department and those below it.
    #[uniffi(default = None)]
    pub limit_to_dept: Option<String>,
}

impl NewGrant {
    pub(crate) fn into_core(self) -> oa::OaResult<perm::NewGrant> {
        let mut f = Fields::new();
        let person = f.id("person", &self.person);
        let limit_to_dept = f.opt_id("limit_to_dept", self.limit_to_dept.as_deref());
        f.finish()?;
        Ok(perm::NewGrant { person, role: self.role, limit_to_dept })
    }
}

/// Which family a permission belongs to, for separation of duties (三员分立).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PermCategory {
    /// Running the system: organisation, parameters (系统管理员).
    System,
    /// Security: roles, grants, passwords, sessions (安全管理员).
    Security,
    /// Reading and verifying the audit log (安全审计员).
    Audit,
    /// Business data: workflow, contracts, projects.
    Business,
}

impl From<perm::catalogue::PermCategory> for PermCategory {
    fn from(c: perm::catalogue::PermCategory) -> Self {
        use perm::catalogue::PermCategory as C;
        match c {
            C::System => PermCategory::System,
            C::Security => PermCategory::Security,
            C::Audit => PermCategory::Audit,
            C::Business => PermCategory::Business,
        }
    }
}

/// A permission of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct PermissionInfo {
    /// `module.resource.action`.
    pub name: String,
    /// What it allows.
    pub description: String,
    /// Its family, for separation of duties.
    pub category: PermCategory,
}

impl From<perm::PermissionInfo> for PermissionInfo {
    fn from(p: perm::PermissionInfo) -> Self {
        PermissionInfo { name: p.name, description: p.description, category: p.category.into() }
    }
}

/// Records of one person inside one department subtree.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OwnerWithin {
    /// The owner of the records.
    pub person: String,
    /// The root of the department subtree the records must lie in.
    pub subtree: String,
}

/// The reach of one permission for one person, as a filter for list queries: a record of
/// department D owned by P is covered when `all`, D lies in one of `subtrees`, D is one of
/// `depts`, P is one of `persons`, or P and a subtree holding D are one of `persons_within`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ScopeFilter {
    /// Every record is covered.
    pub all: bool,
    /// Records of these departments and of every department below them.
    pub subtrees: Vec<String>,
    /// Records of exactly these departments.
    pub depts: Vec<String>,
    /// Records owned by these people, whatever their department.
    pub persons: Vec<String>,
    /// Records owned by a person inside a department subtree.
    pub persons_within: Vec<OwnerWithin>,
}

impl From<perm::ScopeFilter> for ScopeFilter {
    fn from(s: perm::ScopeFilter) -> Self {
        ScopeFilter {
            all: s.all,
            subtrees: ids_to_strings(&s.subtrees),
            depts: ids_to_strings(&s.depts),
            persons: ids_to_strings(&s.persons),
            persons_within: s
                .persons_within
                .into_iter()
                .map(|w| OwnerWithin { person: w.person.to_string(), subtree: w.subtree.to_string() })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/// The kind of value a parameter takes, with its constraints.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
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
    /// Text of at most `max_len` characters, not empty.
    Text {
        /// The longest text allowed, in characters.
        max_len: u32,
    },
    /// One of a fixed list of words.
    Choice {
        /// The words allowed.
        options: Vec<String>,
    },
    /// An ISO 4217 currency code (three capital letters).
    Currency,
}

impl From<params::ParamKind> for ParamKind {
    fn from(k: params::ParamKind) -> Self {
        match k {
            params::ParamKind::Int { min, max } => ParamKind::Int { min, max },
            params::ParamKind::Bool => ParamKind::Bool,
            params::ParamKind::Text { max_len } => ParamKind::Text { max_len },
            params::ParamKind::Choice { options } => ParamKind::Choice { options },
            params::ParamKind::Currency => ParamKind::Currency,
        }
    }
}

/// A parameter's value.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ParamValue {
    /// A yes/no value.
    Bool {
        /// The value.
        value: bool,
    },
    /// A whole number.
    Int {
        /// The value.
        value: i64,
    },
    /// Text, a choice or a currency code.
    Text {
        /// The value.
        value: String,
    },
}

impl From<params::ParamValue> for ParamValue {
    fn from(v: params::ParamValue) -> Self {
        match v {
            params::ParamValue::Bool(value) => ParamValue::Bool { value },
            params::ParamValue::Int(value) => ParamValue::Int { value },
            params::ParamValue::Text(value) => ParamValue::Text { value },
        }
    }
}

impl From<ParamValue> for params::ParamValue {
    fn from(v: ParamValue) -> Self {
        match v {
            ParamValue::Bool { value } => params::ParamValue::Bool(value),
            ParamValue::Int { value } => params::ParamValue::Int(value),
            ParamValue::Text { value } => params::ParamValue::Text(value),
        }
    }
}

/// The declaration of a parameter.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ParamDef {
    /// The parameter's key (`auth.lockout.threshold`).
    pub key: String,
    /// What it controls.
    pub description: String,
    /// The kind of value and its constraints.
    pub kind: ParamKind,
    /// The value when none was set.
    pub default_value: ParamValue,
}

impl From<params::ParamDef> for ParamDef {
    fn from(d: params::ParamDef) -> Self {
        ParamDef { key: d.key, description: d.description, kind: d.kind.into(), default_value: d.default.into() }
    }
}

/// A parameter with its current value.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ParamSetting {
    /// The parameter's declaration.
    pub def: ParamDef,
    /// Its current value (the default when none was set).
    pub value: ParamValue,
    /// Whether no value was set, so the default applies.
    pub is_default: bool,
}

impl From<params::ParamSetting> for ParamSetting {
    fn from(s: params::ParamSetting) -> Self {
        ParamSetting { def: s.def.into(), value: s.value.into(), is_default: s.is_default }
    }
}

// ---------------------------------------------------------------------------------------------
// Audit
// ---------------------------------------------------------------------------------------------

/// How an audited attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AuditOutcome {
    /// The operation took effect.
    Success,
    /// The actor lacked the permission or the scope.
    Denied,
    /// The attempt failed (a wrong password, a locked account).
    Failed,
}

impl From<audit::AuditOutcome> for AuditOutcome {
    fn from(o: audit::AuditOutcome) -> Self {
        match o {
            audit::AuditOutcome::Success => AuditOutcome::Success,
            audit::AuditOutcome::Denied => AuditOutcome::Denied,
            audit::AuditOutcome::Failed => AuditOutcome::Failed,
        }
    }
}

/// One record of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditRecord {
    /// The record's place in the chain, from 1.
    pub seq: u64,
    /// When it happened.
    pub at: SystemTime,
    /// Who acted, if known (a person's id).
    pub actor: Option<String>,
    /// The login the actor used (also for failed sign-ins of unknown logins).
    pub actor_login: Option<String>,
    /// The session the actor acted in.
    pub session: Option<String>,
    /// The operation (`org.person.create`, `auth.sign_in`).
    pub operation: String,
    /// What it acted on (`person:01J…`).
    pub target: Option<String>,
    /// How it ended.
    pub outcome: AuditOutcome,
    /// A short account of what changed, never a secret.
    pub summary: String,
    /// The hash of the previous record (hex), all zeros for the first.
    pub prev_hash: String,
    /// SHA-256 over the previous hash and this record (hex).
    pub hash: String,
}

impl From<audit::AuditRecord> for AuditRecord {
    fn from(r: audit::AuditRecord) -> Self {
        AuditRecord {
            seq: r.seq,
            at: to_system(r.at),
            actor: r.actor.map(|a| a.to_string()),
            actor_login: r.actor_login,
            session: r.session.map(|s| s.to_string()),
            operation: r.operation,
            target: r.target,
            outcome: r.outcome.into(),
            summary: r.summary,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

/// Which audit records to list; every filter is optional and they combine with "and".
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct AuditQuery {
    /// From this instant (included).
    #[uniffi(default = None)]
    pub from: Option<SystemTime>,
    /// Until this instant (excluded).
    #[uniffi(default = None)]
    pub to: Option<SystemTime>,
    /// Only records of this actor (a person's id).
    #[uniffi(default = None)]
    pub actor: Option<String>,
    /// Only records of this operation.
    #[uniffi(default = None)]
    pub operation: Option<String>,
    /// Only records about this target.
    #[uniffi(default = None)]
    pub target: Option<String>,
}

impl AuditQuery {
    pub(crate) fn into_core(self) -> oa::OaResult<audit::AuditQuery> {
        let mut f = Fields::new();
        let from = self.from.map(|t| f.instant("from", t));
        let to = self.to.map(|t| f.instant("to", t));
        let actor = f.opt_id("actor", self.actor.as_deref());
        f.finish()?;
        Ok(audit::AuditQuery { from, to, actor, operation: self.operation, target: self.target })
    }
}

/// One page of audit records, newest first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AuditPage {
    /// The records of this page.
    pub items: Vec<AuditRecord>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<audit::AuditRecord>> for AuditPage {
    fn from(p: oa::Page<audit::AuditRecord>) -> Self {
        AuditPage { items: p.items.into_iter().map(AuditRecord::from).collect(), next_cursor: p.next_cursor }
    }
}

/// The result of walking the audit log's hash chain.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChainReport {
    /// How many records were checked and matched, from record 1 on.
    pub checked: u64,
    /// The first record that does not match, if any.
    pub first_mismatch: Option<u64>,
    /// What is wrong with the first mismatching record; `None` when intact.
    pub problem: Option<String>,
    /// The hash of the last matching record (hex), to keep outside the store as an anchor.
    pub head_hash: String,
    /// Whether the whole chain matched.
    pub intact: bool,
}

impl From<audit::ChainReport> for ChainReport {
    fn from(r: audit::ChainReport) -> Self {
        let intact = r.is_intact();
        ChainReport {
            checked: r.checked,
            first_mismatch: r.first_mismatch,
            problem: r.problem,
            head_hash: r.head_hash,
            intact,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_scale_and_refuse_what_does_not_fit() {
        assert_eq!(parse_decimal("1234.50").unwrap().to_string(), "1234.50");
        assert_eq!(parse_decimal("-0.001").unwrap().to_string(), "-0.001");
        let e = parse_decimal("123456789012345678901234567890").unwrap_err();
        assert_eq!(e.code(), "validation");
    }

    #[test]
    fn dates_and_times_parse_as_kotlin_and_swift_write_them() {
        assert_eq!(parse_date("2026-10-01").unwrap().to_string(), "2026-10-01");
        assert_eq!(parse_date("10/01/2026").unwrap_err().code(), "validation");
        assert_eq!(parse_time("09:00").unwrap(), parse_time("09:00:00").unwrap());
        assert_eq!(parse_time("13:30:00.5").unwrap().format("%H:%M:%S%.f").to_string(), "13:30:00.500");
        assert_eq!(parse_time("25:00").unwrap_err().code(), "validation");
    }

    #[test]
    fn instants_round_trip_on_both_sides_of_the_epoch() {
        for text in ["2026-03-02T08:30:00.123456789Z", "1969-12-31T23:59:59.5Z", "1900-01-01T00:00:00Z"] {
            let t: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(to_chrono(to_system(t)), Some(t), "{text}");
        }
    }

    #[test]
    fn an_instant_out_of_range_is_a_field_error() {
        let far = UNIX_EPOCH + Duration::from_secs(400_000 * 366 * 86_400);
        let mut f = Fields::new();
        f.instant("from", far);
        let e = f.finish().unwrap_err();
        assert_eq!(e.field_errors()[0].path, "from");
    }

    #[test]
    fn every_bad_id_is_reported_at_once() {
        let q = NewPerson {
            login: "zhang".into(),
            name: "张伟".into(),
            dept: "nope".into(),
            email: None,
            phone: None,
            position: None,
            superior: Some("also nope".into()),
            initial_password: None,
        };
        let e = q.into_core().unwrap_err();
        let paths: Vec<_> = e.field_errors().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["dept", "superior"]);
    }
}
