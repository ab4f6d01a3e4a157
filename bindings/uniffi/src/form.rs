//! The records of forms (表单) and attachments (附件). Form data itself is JSON text, as the
//! core takes it: an application reads and writes it with its own JSON library.

use std::time::SystemTime;

use oa::form as core_form;

use crate::types::{to_system, Decimal, Fields, LocalDate};

/// One option of a choice field.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChoiceOption {
    /// The value stored in data, unique within the field.
    pub value: String,
    /// The label people see.
    pub label: String,
}

impl From<core_form::ChoiceOption> for ChoiceOption {
    fn from(o: core_form::ChoiceOption) -> Self {
        ChoiceOption { value: o.value, label: o.label }
    }
}

impl From<ChoiceOption> for core_form::ChoiceOption {
    fn from(o: ChoiceOption) -> Self {
        core_form::ChoiceOption { value: o.value, label: o.label }
    }
}

/// What kind of value a field takes, with its constraints.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum FieldKind {
    /// One line of text; `pattern` is a regular expression the whole text must match.
    Text {
        /// The fewest characters.
        min_length: Option<u32>,
        /// The most characters (200 when not given, at most 1000).
        max_length: Option<u32>,
        /// A regular expression the whole value must match.
        pattern: Option<String>,
    },
    /// Text of several lines.
    LongText {
        /// The fewest characters.
        min_length: Option<u32>,
        /// The most characters (10 000 when not given, at most 100 000).
        max_length: Option<u32>,
        /// A regular expression the whole value must match.
        pattern: Option<String>,
    },
    /// A number of at most 15 significant digits.
    Number {
        /// The smallest value allowed.
        min: Option<Decimal>,
        /// The largest value allowed.
        max: Option<Decimal>,
        /// The decimal places kept (0 for whole numbers), at most 10.
        decimals: Option<u32>,
    },
    /// An amount of money in one currency, rounded half-up to its minor unit.
    Money {
        /// The ISO 4217 currency code; the office's base currency when not given.
        currency: Option<String>,
        /// The smallest amount allowed.
        min: Option<Decimal>,
        /// The largest amount allowed.
        max: Option<Decimal>,
    },
    /// A calendar date.
    Date {
        /// The earliest date allowed.
        min: Option<LocalDate>,
        /// The latest date allowed.
        max: Option<LocalDate>,
    },
    /// An instant.
    DateTime {
        /// The earliest instant allowed.
        min: Option<SystemTime>,
        /// The latest instant allowed.
        max: Option<SystemTime>,
    },
    /// Yes or no.
    YesNo,
    /// One of the options, by value.
    Choice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
    },
    /// Several of the options, by value.
    MultiChoice {
        /// The options, in display order.
        options: Vec<ChoiceOption>,
        /// The fewest options to choose when any is chosen.
        min_selected: Option<u32>,
        /// The most options to choose.
        max_selected: Option<u32>,
    },
    /// A person of the office, by id.
    Person,
    /// A department of the office, by id.
    Department,
    /// Uploaded files, by content hash.
    Attachment {
        /// The most files (10 when not given, at most 50).
        max_files: Option<u32>,
    },
    /// A table of rows (明细) whose columns are fields of their own.
    Table {
        /// The columns (neither tables nor totals).
        fields: Vec<FieldDef>,
        /// The fewest rows when any is given.
        min_rows: Option<u32>,
        /// The most rows (1000 when not given).
        max_rows: Option<u32>,
    },
    /// The sum of a number or money column of a table, `table.column`, computed by the form.
    Total {
        /// The column to add up (`items.amount`).
        of: String,
    },
}

/// A field of a form.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FieldDef {
    /// The field's key in submitted data, `[a-zA-Z][a-zA-Z0-9_]{0,63}`.
    pub key: String,
    /// The label people see.
    pub label: String,
    /// What kind of value the field takes.
    pub kind: FieldKind,
    /// Whether a value must be given.
    #[uniffi(default = false)]
    pub required: bool,
    /// A hint shown beside the field.
    #[uniffi(default = "")]
    pub help: String,
}

impl From<core_form::FieldDef> for FieldDef {
    fn from(f: core_form::FieldDef) -> Self {
        use core_form::FieldKind as K;
        let kind = match f.kind {
            K::Text { min_length, max_length, pattern } => FieldKind::Text { min_length, max_length, pattern },
            K::LongText { min_length, max_length, pattern } => FieldKind::LongText { min_length, max_length, pattern },
            K::Number { min, max, decimals } => FieldKind::Number { min, max, decimals },
            K::Money { currency, min, max } => FieldKind::Money { currency, min, max },
            K::Date { min, max } => FieldKind::Date { min, max },
            K::DateTime { min, max } => FieldKind::DateTime { min: min.map(to_system), max: max.map(to_system) },
            K::YesNo => FieldKind::YesNo,
            K::Choice { options } => FieldKind::Choice { options: options.into_iter().map(Into::into).collect() },
            K::MultiChoice { options, min_selected, max_selected } => FieldKind::MultiChoice {
                options: options.into_iter().map(Into::into).collect(),
                min_selected,
                max_selected,
            },
            K::Person => FieldKind::Person,
            K::Department => FieldKind::Department,
            K::Attachment { max_files } => FieldKind::Attachment { max_files },
            K::Table { fields, min_rows, max_rows } => {
                FieldKind::Table { fields: fields.into_iter().map(FieldDef::from).collect(), min_rows, max_rows }
            }
            K::Total { of } => FieldKind::Total { of },
        };
        FieldDef { key: f.key, label: f.label, kind, required: f.required, help: f.help }
    }
}

impl FieldDef {
    /// The core's field; instants out of range are recorded in `f` under `path` (`fields[2]`).
    pub(crate) fn into_core(self, f: &mut Fields, path: &str) -> core_form::FieldDef {
        use core_form::FieldKind as K;
        let kind = match self.kind {
            FieldKind::Text { min_length, max_length, pattern } => K::Text { min_length, max_length, pattern },
            FieldKind::LongText { min_length, max_length, pattern } => K::LongText { min_length, max_length, pattern },
            FieldKind::Number { min, max, decimals } => K::Number { min, max, decimals },
            FieldKind::Money { currency, min, max } => K::Money { currency, min, max },
            FieldKind::Date { min, max } => K::Date { min, max },
            FieldKind::DateTime { min, max } => K::DateTime {
                min: min.map(|t| f.instant(&format!("{path}.min"), t)),
                max: max.map(|t| f.instant(&format!("{path}.max"), t)),
            },
            FieldKind::YesNo => K::YesNo,
            FieldKind::Choice { options } => K::Choice { options: options.into_iter().map(Into::into).collect() },
            FieldKind::MultiChoice { options, min_selected, max_selected } => {
                K::MultiChoice { options: options.into_iter().map(Into::into).collect(), min_selected, max_selected }
            }
            FieldKind::Person => K::Person,
            FieldKind::Department => K::Department,
            FieldKind::Attachment { max_files } => K::Attachment { max_files },
            FieldKind::Table { fields, min_rows, max_rows } => K::Table {
                fields: fields
                    .into_iter()
                    .enumerate()
                    .map(|(i, c)| c.into_core(f, &format!("{path}.fields[{i}]")))
                    .collect(),
                min_rows,
                max_rows,
            },
            FieldKind::Total { of } => K::Total { of },
        };
        core_form::FieldDef { key: self.key, label: self.label, required: self.required, help: self.help, kind }
    }
}

/// A new form, or the next version of an existing one.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewForm {
    /// The form's key, `[a-z0-9_]{1,64}`, stable across versions (`leave`, `purchase`).
    pub key: String,
    /// The form's name as people see it (请假单).
    pub name: String,
    /// The fields, in display order.
    pub fields: Vec<FieldDef>,
    /// What the form is for.
    #[uniffi(default = "")]
    pub description: String,
}

impl NewForm {
    pub(crate) fn into_core(self) -> oa::OaResult<core_form::NewForm> {
        let mut f = Fields::new();
        let fields =
            self.fields.into_iter().enumerate().map(|(i, d)| d.into_core(&mut f, &format!("fields[{i}]"))).collect();
        f.finish()?;
        Ok(core_form::NewForm { key: self.key, name: self.name, description: self.description, fields })
    }
}

/// A form at one version.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    pub created_at: SystemTime,
    /// Who defined this version (a person's id).
    pub created_by: String,
}

impl From<core_form::Form> for Form {
    fn from(f: core_form::Form) -> Self {
        Form {
            key: f.key,
            version: f.version,
            name: f.name,
            description: f.description,
            fields: f.fields.into_iter().map(FieldDef::from).collect(),
            created_at: to_system(f.created_at),
            created_by: f.created_by.to_string(),
        }
    }
}

/// One page of forms.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FormPage {
    /// The forms of this page, each at its latest version.
    pub items: Vec<Form>,
    /// Where the next page starts; `None` on the last page.
    pub next_cursor: Option<String>,
}

impl From<oa::Page<core_form::Form>> for FormPage {
    fn from(p: oa::Page<core_form::Form>) -> Self {
        FormPage { items: p.items.into_iter().map(Form::from).collect(), next_cursor: p.next_cursor }
    }
}

/// One version of a form, as its history lists it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FormVersion {
    /// The version number.
    pub version: u32,
    /// The form's name in that version.
    pub name: String,
    /// When the version was defined.
    pub created_at: SystemTime,
    /// Who defined it (a person's id).
    pub created_by: String,
}

impl From<core_form::FormVersion> for FormVersion {
    fn from(v: core_form::FormVersion) -> Self {
        FormVersion {
            version: v.version,
            name: v.name,
            created_at: to_system(v.created_at),
            created_by: v.created_by.to_string(),
        }
    }
}

/// An uploaded file's description; its id is the SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttachmentInfo {
    /// The SHA-256 of the bytes, 64 lowercase hexadecimal digits.
    pub hash: String,
    /// The file's name at its first upload.
    pub file_name: String,
    /// The file's MIME type.
    pub content_type: String,
    /// The size in bytes.
    pub size: u64,
    /// When it was first uploaded.
    pub created_at: SystemTime,
    /// Who first uploaded it (a person's id).
    pub created_by: String,
}

impl From<core_form::AttachmentInfo> for AttachmentInfo {
    fn from(a: core_form::AttachmentInfo) -> Self {
        AttachmentInfo {
            hash: a.hash,
            file_name: a.file_name,
            content_type: a.content_type,
            size: a.size,
            created_at: to_system(a.created_at),
            created_by: a.created_by.to_string(),
        }
    }
}

/// An attachment with its bytes.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Attachment {
    /// Its description.
    pub info: AttachmentInfo,
    /// Its content.
    pub bytes: Vec<u8>,
}

/// Parses form data given as JSON text; text that is not JSON is a validation error on `data`.
pub(crate) fn parse_data(text: &str) -> oa::OaResult<serde_json::Value> {
    serde_json::from_str(text).map_err(|e| oa::OaError::invalid("data", format!("is not JSON: {e}")))
}
