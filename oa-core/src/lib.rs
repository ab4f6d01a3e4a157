//! The domain core of oa, an office-automation engine (办公自动化).
//!
//! Everything goes through an [`Oa`] handle opened over any [`oa_storage::Store`]. Every
//! operation takes a [`Session`] from [`Oa::sign_in`], checks the actor's permission and data
//! scope, validates its input, and commits its change together with its index entries and its
//! audit record in one transaction. See ARCHITECTURE.md at the root of the repository.
//!
//! Architecture invariant: this crate does no I/O of its own and names no backend or frontend:
//! no sled, no PostgreSQL, no pyo3, no wasm-bindgen, no uniffi.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod codec;
mod db;
mod engine;
pub mod error;
pub mod form;
pub mod id;
mod init;
mod versioned;

pub mod keys;
pub mod money;
pub mod operations;
pub mod org;
pub mod page;
pub mod perm;
#[cfg(test)]
mod testing;
pub mod workflow;

pub use admin::calendar::{HolidayYear, WorkCalendar, WorkCalendarSettings, WorkDuration, WorkHours, WorkUnit};
pub use admin::numbering::{IssuedNumber, NewNumberingRule, NumberingRule, NumberingRulePatch, SeqReset};
pub use admin::params::{
    parse_param_value, ParamDef, ParamKind, ParamSetting, ParamValue, Params, PasswordPolicyPreset,
};
pub use audit::{AuditOutcome, AuditQuery, AuditRecord, ChainReport};
pub use auth::{check_password_policy, password_rules, InitAccount, Me, PasswordRules, SessionInfo};
pub use clock::{Clock, ManualClock, SystemClock};
pub use engine::{Oa, Session, StoreMeta, STORE_FORMAT};
pub use error::{FieldError, OaError, OaResult};
pub use form::{
    check_field_permissions, filter_for_display, round_money, AttachmentInfo, ChoiceOption, FieldAccess, FieldDef,
    FieldKind, FieldPermissions, Form, FormVersion, NewForm, MAX_ATTACHMENT_BYTES,
};
pub use id::Id;
pub use init::InitOffice;
pub use org::{
    Department, DeptId, DeptStatus, ImportReport, NewDepartment, NewPerson, PeopleQuery, Person, PersonId, PersonPatch,
    PersonStatus, Post,
};
pub use page::{Page, PageRequest};
pub use perm::{DataScope, Grant, GrantId, NewGrant, NewRole, PermissionInfo, Principal, Role, RolePatch, ScopeFilter};
