//! Forms (表单) that administrators define, validation of the data people submit on them, and
//! the attachments (附件) that data refers to.
//!
//! A form is a list of typed fields: text, long text, number, money, date, date-time, yes/no,
//! single and multiple choice, person, department, attachment, a table of rows (明细) whose
//! columns are fields of their own, and totals of a table column that the form computes.
//! Submitted data is JSON; [`crate::Oa::validate_form_data`] checks it against a form, reports every
//! failing field with its path (`items[2].amount`) and returns it normalised for storage.
//!
//! # Keys
//!
//! | key | value |
//! | --- | --- |
//! | `form.def/<key>/<version u32>` | the [`Form`] at that version |
//! | `form.latest/<key>` | the latest version number |
//! | `form.blobm/<hash>` | the [`AttachmentInfo`] of a stored content |
//! | `form.blob/<hash>/<n u32>` | the n-th chunk (256 KiB) of the content |
//! | `form.blobu/<hash>/<person>` | empty: who uploaded the content |
//! | `form.blobl/<hash>/<owner>` | empty: what the content is linked to |
//! | `form.owned/<owner>/<hash>` | empty: the same link, by owner |
//!
//! # Decisions
//!
//! - **Versions.** Defining a form whose key exists writes the next version only when the
//!   definition differs from the latest; the same definition again changes nothing. Versions
//!   are never changed or deleted, so an instance keeps the version it started with.
//! - **Reading forms** needs no permission beyond being signed in: everyone fills forms in.
//!   Defining them needs `form.def.manage`.
//! - **Money** is given as a decimal string in the field's currency (`"123.45"`) or as an object
//!   `{"amount": "123.45", "currency": "CNY"}` whose currency must be the field's; a JSON number
//!   is refused ("money must be given as a decimal string, not a float"). It is stored as the
//!   object, rounded half-up to the currency's minor unit ([`round_money`], the one rounding
//!   rule). A money field has one currency, the office's base currency unless the definition
//!   names another; a form needing two currencies has two fields.
//! - **Numbers** have at most 15 significant digits, so that the JSON number stored is exact;
//!   more precision is money's business.
//! - **Patterns** must match the whole text (they are anchored), and are compiled when the form
//!   is defined: an invalid one is refused with its field's path.
//! - **Empty values** (null, an empty text, list or table) are no value: `required` refuses
//!   them, and normalised data leaves them out.
//! - **Totals** are computed from the normalised rows; a value given for one is replaced.
//! - **Field permissions** are per top-level field. Fields a step does not name are read-only.
//!   An edit names the fields it changes (PATCH: a field left out keeps its value, `null`
//!   clears it).
//! - **Attachments** are addressed by the SHA-256 of their content: the id is the hash.
//!   Form data holds a list of hashes. Data may reference only attachments its submitter may
//!   read (their own uploads, or any with `form.attachment.read`); references already in the
//!   stored data stay valid. The size limit is [`MAX_ATTACHMENT_BYTES`] (20 MiB), a constant
//!   that the internal upload function takes as an argument so that a parameter can set it.

mod access;
mod attachment;
mod define;
mod model;
mod ops;
mod store;
mod validate;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

pub use crate::money::{minor_unit, round_money, MAX_MONEY};
pub use access::{check_field_permissions, filter_for_display};
pub use attachment::{sha256_hex, CHUNK_BYTES, MAX_ATTACHMENT_BYTES, MAX_FILE_NAME_LEN, MAX_OWNER_LEN};
pub use define::{
    is_field_key, is_form_key, DEFAULT_MAX_FILES, LONG_TEXT_DEFAULT_MAX, LONG_TEXT_LIMIT, MAX_COLUMNS, MAX_DECIMALS,
    MAX_FIELDS, MAX_FILES, MAX_FORM_KEY_LEN, MAX_LABEL_LEN, MAX_OPTIONS, MAX_ROWS, NUMBER_DIGITS, TEXT_DEFAULT_MAX,
    TEXT_LIMIT,
};
pub use model::{
    AttachmentInfo, ChoiceOption, FieldAccess, FieldDef, FieldKind, FieldPermissions, Form, FormVersion, NewForm,
};

// What the workflow engine calls from inside its own transactions.
#[allow(unused_imports)]
pub(crate) use access::validate_edit;
#[allow(unused_imports)]
pub(crate) use attachment::{
    attachments_of, is_uploader, link_attachment, load_info as load_attachment_info, owners_of as attachment_owners,
    read_bytes as read_attachment_bytes, unlink_attachment,
};
#[allow(unused_imports)]
pub(crate) use store::{form_versions, latest_version, load_form, require_form};
#[allow(unused_imports)]
pub(crate) use validate::{attachment_refs, validate_data, Submitter};

use crate::perm::catalogue::{PermCategory, PermissionDef};

/// The permission to define forms.
pub(crate) const FORM_MANAGE: &str = "form.def.manage";
/// The permission to upload attachments.
pub(crate) const ATTACHMENT_UPLOAD: &str = "form.attachment.upload";
/// The permission to read every attachment.
pub(crate) const ATTACHMENT_READ: &str = "form.attachment.read";

/// The permissions this module checks, for the catalogue.
pub const PERMISSIONS: &[PermissionDef] = &[
    PermissionDef {
        name: FORM_MANAGE,
        description: "define forms and their new versions",
        category: PermCategory::System,
    },
    PermissionDef { name: ATTACHMENT_UPLOAD, description: "upload attachments", category: PermCategory::Business },
    PermissionDef {
        name: ATTACHMENT_READ,
        description: "read every attachment, not only one's own uploads",
        category: PermCategory::Business,
    },
];

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] = &[
    "define_form",
    "get_form",
    "list_forms",
    "form_versions",
    "validate_form_data",
    "upload_attachment",
    "get_attachment",
    "attachment_info",
];
