//! The records of forms and attachments, and where they are kept.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::codec::Record;
use crate::org::PersonId;

/// A form as an administrator submits it to [`crate::Oa::define_form`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewForm {
    /// The form's key, `[a-z0-9_]{1,64}`, stable across versions (`leave`, `purchase`).
    pub key: String,
    /// The form's name as people see it (请假单), 1 to 100 characters.
    pub name: String,
    /// What the form is for; up to 2000 characters.
    #[serde(default)]
    pub description: String,
    /// The fields, in display order.
    pub fields: Vec<FieldDef>,
}

/// One version of a form (表单), as stored and as returned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Form {
    /// The form's key.
    pub key: String,
    /// The version, from 1; an instance keeps the version it started with.
    pub version: u32,
    /// The form's name.
    pub name: String,
    /// What the form is for.
    #[serde(default)]
    pub description: String,
    /// The fields, in display order, normalised (a money field always names its currency).
    pub fields: Vec<FieldDef>,
    /// When this version was defined.
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// Who defined this version.
    pub created_by: PersonId,
}

impl Record for Form {
    const KIND: &'static str = "form";
    const VERSION: u16 = crate::codec::COMPACT;
}

impl Form {
    /// The top-level field `key`, if the form has one.
    pub fn field(&self, key: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.key == key)
    }
}

/// One version of a form, in a form's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormVersion {
    /// The version number.
    pub version: u32,
    /// The form's name in that version.
    pub name: String,
    /// When the version was defined.
    pub created_at: DateTime<Utc>,
    /// Who defined it.
    pub created_by: PersonId,
}

/// A field of a form, or a column of a table field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldDef {
    /// The field's key in submitted data, `[a-zA-Z][a-zA-Z0-9_]{0,63}`, unique (ignoring case)
    /// among the fields of its level.
    pub key: String,
    /// The label people see, 1 to 100 characters.
    pub label: String,
    /// Whether a value must be given (an empty text, list or table counts as none). Ignored
    /// for a total, which the form computes.
    #[serde(default)]
    pub required: bool,
    /// A hint shown beside the field; up to 500 characters.
    #[serde(default)]
    pub help: String,
    /// What kind of value the field takes, with its constraints: `type` and the kind's own
    /// settings sit beside `key` and `label` (`{"key": "amount", "label": "金额", "type":
    /// "money", "currency": "CNY"}`).
    #[serde(flatten)]
    pub kind: FieldKind,
}

/// A choice of a single- or multiple-choice field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceOption {
    /// The value stored in data, 1 to 64 characters, unique within the field.
    pub value: String,
    /// The label people see, 1 to 100 characters.
    pub label: String,
}

/// The kind of a field, with its constraints. Every bound is optional; lengths count
/// characters, not bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text (at most 1000 characters; 200 when no maximum is given). `pattern` is a
    /// regular expression the whole text must match.
    Text {
        /// The fewest characters.
        #[serde(default)]
        min_length: Option<u32>,
        /// The most characters.
        #[serde(default)]
        max_length: Option<u32>,
        /// A regular expression the whole value must match (`\d{6}` for a postcode).
        #[serde(default)]
        pattern: Option<String>,
    },
    /// Text of several lines (at most 100 000 characters; 10 000 when no maximum is given).
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
    /// A number of at most 15 significant digits, given as a JSON number or a decimal string
    /// and stored as a JSON number. With `decimals`, rounded half-up to that many places.
    Number {
        /// The smallest value allowed.
        #[serde(default)]
        min: Option<Decimal>,
        /// The largest value allowed.
        #[serde(default)]
        max: Option<Decimal>,
        /// The decimal places kept (0 for whole numbers), at most 10.
        #[serde(default)]
        decimals: Option<u32>,
    },
    /// An amount of money in one currency (see [`crate::form::round_money`]).
    Money {
        /// The ISO 4217 currency code; when not given, the office's base currency at the time
        /// the form is defined.
        #[serde(default)]
        currency: Option<String>,
        /// The smallest amount allowed.
        #[serde(default)]
        min: Option<Decimal>,
        /// The largest amount allowed.
        #[serde(default)]
        max: Option<Decimal>,
    },
    /// A calendar date, `YYYY-MM-DD`.
    Date {
        /// The earliest date allowed.
        #[serde(default)]
        min: Option<NaiveDate>,
        /// The latest date allowed.
        #[serde(default)]
        max: Option<NaiveDate>,
    },
    /// An instant, given in RFC 3339 with an offset and stored in UTC.
    DateTime {
        /// The earliest instant allowed.
        #[serde(default)]
        min: Option<DateTime<Utc>>,
        /// The latest instant allowed.
        #[serde(default)]
        max: Option<DateTime<Utc>>,
    },
    /// Yes or no: a JSON boolean.
    YesNo,
    /// One of the options, by value.
    Choice {
        /// The options, in display order (1 to 200).
        options: Vec<ChoiceOption>,
    },
    /// Several of the options, by value, stored in the options' order.
    MultiChoice {
        /// The options, in display order (1 to 200).
        options: Vec<ChoiceOption>,
        /// The fewest options to choose when any is chosen.
        #[serde(default)]
        min_selected: Option<u32>,
        /// The most options to choose.
        #[serde(default)]
        max_selected: Option<u32>,
    },
    /// A person of the office, by id; they must exist and be active.
    Person,
    /// A department of the office, by id; it must exist and be active.
    Department,
    /// Uploaded files, by content hash (see [`crate::Oa::upload_attachment`]); a list, or one
    /// hash on its own, stored as a list.
    Attachment {
        /// The most files (1 to 50; 10 when not given).
        #[serde(default)]
        max_files: Option<u32>,
    },
    /// A table of rows (明细): line items whose columns are fields of their own. Columns are
    /// neither tables nor totals.
    Table {
        /// The columns.
        fields: Vec<FieldDef>,
        /// The fewest rows when any is given.
        #[serde(default)]
        min_rows: Option<u32>,
        /// The most rows (at most 1000; 1000 when not given).
        #[serde(default)]
        max_rows: Option<u32>,
    },
    /// The sum of a number or money column of a table, `table.column` (`items.amount`),
    /// computed by the form: a value given for it is replaced.
    Total {
        /// The column to add up, `table.column`.
        of: String,
    },
}

impl FieldKind {
    /// The kind's name, as definitions write it (`money`, `multi_choice`).
    pub fn name(&self) -> &'static str {
        match self {
            FieldKind::Text { .. } => "text",
            FieldKind::LongText { .. } => "long_text",
            FieldKind::Number { .. } => "number",
            FieldKind::Money { .. } => "money",
            FieldKind::Date { .. } => "date",
            FieldKind::DateTime { .. } => "date_time",
            FieldKind::YesNo => "yes_no",
            FieldKind::Choice { .. } => "choice",
            FieldKind::MultiChoice { .. } => "multi_choice",
            FieldKind::Person => "person",
            FieldKind::Department => "department",
            FieldKind::Attachment { .. } => "attachment",
            FieldKind::Table { .. } => "table",
            FieldKind::Total { .. } => "total",
        }
    }
}

/// What a step of a workflow lets its actor do with a field (yudao's 字段权限: 隐藏, 只读, 可编辑).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldAccess {
    /// Not shown, and cannot be given.
    Hidden,
    /// Shown; a value given must equal the stored one.
    #[default]
    ReadOnly,
    /// Shown and may be changed.
    Editable,
}

/// The access a step gives to each top-level field of a form. A table's access applies to its
/// rows and columns as a whole; a total is never editable, whatever it is given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldPermissions {
    /// The access of every field not listed in `fields` (read-only unless set).
    #[serde(default)]
    pub default: FieldAccess,
    /// The access of named fields, by key.
    #[serde(default)]
    pub fields: BTreeMap<String, FieldAccess>,
}

impl FieldPermissions {
    /// Every field with the same access.
    pub fn all(access: FieldAccess) -> Self {
        FieldPermissions { default: access, fields: BTreeMap::new() }
    }

    /// These permissions with field `key` set to `access`.
    pub fn with(mut self, key: impl Into<String>, access: FieldAccess) -> Self {
        self.fields.insert(key.into(), access);
        self
    }

    /// The access to field `key`.
    pub fn access(&self, key: &str) -> FieldAccess {
        self.fields.get(key).copied().unwrap_or(self.default)
    }
}

/// An uploaded file (附件), addressed by the SHA-256 hash of its content: the same content
/// uploaded twice is stored once, under the name and type of its first upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    /// The attachment's id: the SHA-256 of its bytes, 64 lowercase hexadecimal digits.
    pub hash: String,
    /// The file's name at its first upload (`报告.pdf`).
    pub file_name: String,
    /// The file's type, a MIME type of the allow-list (`application/pdf`).
    pub content_type: String,
    /// The size in bytes.
    pub size: u64,
    /// When it was first uploaded.
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// Who first uploaded it.
    pub created_by: PersonId,
}

impl Record for AttachmentInfo {
    const KIND: &'static str = "attachment";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// Key spaces of forms and attachments.
pub(crate) mod keys {
    use crate::keys::KeyBuf;
    use crate::org::PersonId;

    // Form versions live under `form.def/<key>/<version>` and `form.latest/<key>`, kept by
    // `crate::versioned` (see `FORMS` in store.rs).
    /// `form.blob/<hash>/<n>` → the n-th chunk of an attachment's bytes.
    pub(crate) fn chunk(hash: &str, n: u32) -> KeyBuf {
        KeyBuf::new("form.blob").str(hash).u32(n)
    }
    /// Prefix of every chunk of `hash`, in order.
    pub(crate) fn chunks(hash: &str) -> KeyBuf {
        KeyBuf::new("form.blob").str(hash)
    }
    /// `form.blobm/<hash>` → [`super::AttachmentInfo`].
    pub(crate) fn meta(hash: &str) -> KeyBuf {
        KeyBuf::new("form.blobm").str(hash)
    }
    /// `form.blobu/<hash>/<person>` → empty: who uploaded the content.
    pub(crate) fn uploader(hash: &str, person: PersonId) -> KeyBuf {
        KeyBuf::new("form.blobu").str(hash).id(person.0)
    }
    /// `form.blobl/<hash>/<owner>` → empty: what the content is linked to (its references).
    pub(crate) fn link(hash: &str, owner: &str) -> KeyBuf {
        KeyBuf::new("form.blobl").str(hash).str(owner)
    }
    /// Prefix of every link of `hash`.
    #[allow(dead_code, reason = "tested; for views of an attachment's references, not called yet")]
    pub(crate) fn links(hash: &str) -> KeyBuf {
        KeyBuf::new("form.blobl").str(hash)
    }
    /// `form.owned/<owner>/<hash>` → empty: the attachments linked to an owner.
    pub(crate) fn owned(owner: &str, hash: &str) -> KeyBuf {
        KeyBuf::new("form.owned").str(owner).str(hash)
    }
    /// Prefix of every attachment linked to `owner`.
    #[allow(dead_code, reason = "tested; for views of an attachment's references, not called yet")]
    pub(crate) fn owned_by(owner: &str) -> KeyBuf {
        KeyBuf::new("form.owned").str(owner)
    }
}
