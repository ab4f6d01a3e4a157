//! The types of the condition language, the environment a condition is checked against, and
//! the initiator's attributes it is evaluated with.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::org::{DeptId, PersonId};

/// The type of a value a condition can read: of a form field, of a table's column, of an
/// attribute of the initiator.
///
/// The workflow engine maps each field of a form definition to one of these; a field whose kind
/// has no sensible type here (a rich-text body, say) is left out of the [`TypeEnv`], and a
/// condition naming it is refused as naming an unknown field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ExprType {
    /// A number (integer or decimal), read exactly as a decimal, never as a float.
    Number,
    /// An amount of money. `currency` is the field's fixed currency (`CNY`); `None` when each
    /// value carries its own (`{"amount": "12.50", "currency": "USD"}`) or none is known.
    Money {
        /// The fixed currency code, if any.
        #[serde(default)]
        currency: Option<String>,
    },
    /// Text.
    Text,
    /// Yes or no.
    Bool,
    /// A calendar date.
    Date,
    /// An instant (date and time, UTC).
    DateTime,
    /// One option out of `options` (单选). Compared with text; a quoted option that is not in
    /// `options` is refused when checking. Empty `options` means any text.
    Choice {
        /// The allowed values.
        #[serde(default)]
        options: Vec<String>,
    },
    /// Any number of options out of `options` (多选): a list of texts, used with `in`.
    MultiChoice {
        /// The allowed values.
        #[serde(default)]
        options: Vec<String>,
    },
    /// A person: equal to another person with the same id, and to a text that is the person's
    /// id or sign-in name. In the data, a person is an id (`"01J…"`), which matches texts by id
    /// only, or an object `{"id": …, "login": …}`, which matches by sign-in name too.
    Person,
    /// A department: equal to another with the same id, and to a text that is its id, its code
    /// or its name (names are unique only among siblings: codes are the precise choice). In the
    /// data, a department is an id, which matches texts by id only, or an object
    /// `{"id": …, "name": …, "code": …}`, which matches by name and code too.
    Department,
    /// A table (明细表) whose rows have the given columns: `count(items)`,
    /// `any(items, amount > 100)`, `sum(items.amount)`.
    Table {
        /// The columns of each row, by name.
        columns: BTreeMap<String, ExprType>,
    },
    /// A list of values of one type.
    List {
        /// The type of each element.
        of: Box<ExprType>,
    },
}

impl ExprType {
    /// Money in `currency`, or in no fixed currency.
    pub fn money(currency: Option<&str>) -> Self {
        ExprType::Money { currency: currency.map(str::to_string) }
    }

    /// A single choice among `options`.
    pub fn choice<S: Into<String>>(options: impl IntoIterator<Item = S>) -> Self {
        ExprType::Choice { options: options.into_iter().map(Into::into).collect() }
    }

    /// A multiple choice among `options`.
    pub fn multi_choice<S: Into<String>>(options: impl IntoIterator<Item = S>) -> Self {
        ExprType::MultiChoice { options: options.into_iter().map(Into::into).collect() }
    }

    /// A table with `columns`.
    pub fn table<S: Into<String>>(columns: impl IntoIterator<Item = (S, ExprType)>) -> Self {
        ExprType::Table { columns: columns.into_iter().map(|(n, t)| (n.into(), t)).collect() }
    }

    /// A list of `of`.
    pub fn list(of: ExprType) -> Self {
        ExprType::List { of: Box::new(of) }
    }
}

/// The names of types as error messages say them.
impl fmt::Display for ExprType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExprType::Number => f.write_str("number"),
            ExprType::Money { .. } => f.write_str("money"),
            ExprType::Text => f.write_str("text"),
            ExprType::Bool => f.write_str("yes/no"),
            ExprType::Date => f.write_str("date"),
            ExprType::DateTime => f.write_str("date and time"),
            ExprType::Choice { .. } => f.write_str("choice"),
            ExprType::MultiChoice { .. } => f.write_str("multiple choice"),
            ExprType::Person => f.write_str("person"),
            ExprType::Department => f.write_str("department"),
            ExprType::Table { .. } => f.write_str("table"),
            ExprType::List { of } => write!(f, "list of {of}"),
        }
    }
}

/// What a condition may read: the form's fields by name, with their types. The initiator's
/// attributes are always there (see [`initiator_attributes`]).
///
/// A field whose name is not a plain name (letters of any script, digits and `_`, not starting
/// with a digit) or is one of the words `true`, `false`, `null`, `in`, `not`, `form`,
/// `initiator` can only be reached as `form.<name>`, or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeEnv {
    fields: BTreeMap<String, ExprType>,
}

impl TypeEnv {
    /// An environment with no form fields.
    pub fn new() -> Self {
        Self::default()
    }

    /// This environment with the field `name` of type `ty` (replacing any of that name).
    pub fn with(mut self, name: impl Into<String>, ty: ExprType) -> Self {
        self.insert(name, ty);
        self
    }

    /// Adds the field `name` of type `ty`, returning the type it replaces.
    pub fn insert(&mut self, name: impl Into<String>, ty: ExprType) -> Option<ExprType> {
        self.fields.insert(name.into(), ty)
    }

    /// The type of the field `name`.
    pub fn get(&self, name: &str) -> Option<&ExprType> {
        self.fields.get(name)
    }

    /// Every field and its type, by name.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &ExprType)> {
        self.fields.iter().map(|(n, t)| (n.as_str(), t))
    }
}

/// A department as the initiator's attributes carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeptAttrs {
    /// Its id.
    pub id: DeptId,
    /// Its name.
    pub name: String,
    /// Its code, if it has one.
    #[serde(default)]
    pub code: Option<String>,
}

/// The attributes of the person who started the instance (发起人), as a condition reads them
/// under `initiator.`. The workflow engine fills them from the organisation when it evaluates a
/// condition; they are fixed, whatever the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InitiatorAttrs {
    /// The person's id (`initiator.id`, and `initiator` alone).
    pub id: PersonId,
    /// The sign-in name (`initiator.login`).
    pub login: String,
    /// The name (`initiator.name`).
    pub name: String,
    /// The main department (`initiator.dept`).
    pub dept: DeptAttrs,
    /// The departments from the root of the tree down to and including the main department
    /// (`initiator.dept_path`), so `"Sales" in initiator.dept_path` holds for everyone under Sales.
    pub dept_path: Vec<DeptAttrs>,
    /// The position (职务) in the main department (`initiator.position`).
    #[serde(default)]
    pub position: Option<String>,
    /// The codes of the roles the person holds (`initiator.roles`).
    #[serde(default)]
    pub roles: Vec<String>,
    /// Whether the person heads their main department (`initiator.is_dept_head`).
    #[serde(default)]
    pub is_dept_head: bool,
}

/// One attribute of the initiator, for a designer's help and completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttrInfo {
    /// Its name after `initiator.`.
    pub name: String,
    /// Its type.
    pub ty: ExprType,
    /// What it is.
    pub description: String,
}

/// An attribute of the initiator, as the checker resolves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Attr {
    Id,
    Login,
    Name,
    Dept,
    DeptPath,
    Position,
    Roles,
    IsDeptHead,
}

/// Every attribute: name, what it resolves to, its type, its description.
pub(super) fn attrs() -> [(&'static str, Attr, ExprType, &'static str); 8] {
    [
        ("id", Attr::Id, ExprType::Person, "the initiator as a person; `initiator` alone means the same"),
        ("login", Attr::Login, ExprType::Text, "the sign-in name"),
        ("name", Attr::Name, ExprType::Text, "the name"),
        ("dept", Attr::Dept, ExprType::Department, "the main department"),
        (
            "dept_path",
            Attr::DeptPath,
            ExprType::list(ExprType::Department),
            "the departments from the root down to the main department",
        ),
        ("position", Attr::Position, ExprType::Text, "the position in the main department, or null"),
        ("roles", Attr::Roles, ExprType::list(ExprType::Text), "the codes of the roles held"),
        ("is_dept_head", Attr::IsDeptHead, ExprType::Bool, "whether the initiator heads the main department"),
    ]
}

/// The attributes of the initiator a condition can read, for a designer's help and completion.
pub fn initiator_attributes() -> Vec<AttrInfo> {
    attrs()
        .into_iter()
        .map(|(name, _, ty, description)| AttrInfo { name: name.into(), ty, description: description.into() })
        .collect()
}

/// One function of the condition language, for a designer's help and completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FunctionInfo {
    /// Its name.
    pub name: &'static str,
    /// How it is called.
    pub signature: &'static str,
    /// What it gives.
    pub description: &'static str,
}

/// Every function of the condition language.
pub const FUNCTIONS: &[FunctionInfo] = &[
    FunctionInfo {
        name: "contains",
        signature: "contains(text, part) / contains(list, value)",
        description: "whether the text contains the part, or the list (or multiple choice) contains the value",
    },
    FunctionInfo {
        name: "starts_with",
        signature: "starts_with(text, prefix)",
        description: "whether the text starts with the prefix",
    },
    FunctionInfo {
        name: "ends_with",
        signature: "ends_with(text, suffix)",
        description: "whether the text ends with the suffix",
    },
    FunctionInfo {
        name: "len",
        signature: "len(text | list | table)",
        description: "the number of characters of a text, of values of a list, of rows of a table; 0 when empty",
    },
    FunctionInfo {
        name: "is_empty",
        signature: "is_empty(value)",
        description: "whether the value is missing, blank text, or an empty list or table",
    },
    FunctionInfo {
        name: "count",
        signature: "count(table | list)",
        description: "the number of rows of a table or values of a list; 0 when missing",
    },
    FunctionInfo {
        name: "sum",
        signature: "sum(items.amount)",
        description: "the sum of a list of numbers or money, skipping missing values; 0 when empty",
    },
    FunctionInfo {
        name: "min",
        signature: "min(items.amount)",
        description: "the smallest of a list of numbers, money or dates; null when empty",
    },
    FunctionInfo {
        name: "max",
        signature: "max(items.amount)",
        description: "the largest of a list of numbers, money or dates; null when empty",
    },
    FunctionInfo {
        name: "any",
        signature: "any(table, condition)",
        description: "whether the condition holds for at least one row; columns are named directly inside",
    },
    FunctionInfo {
        name: "all",
        signature: "all(table, condition)",
        description: "whether the condition holds for every row (true for no rows)",
    },
    FunctionInfo {
        name: "days_between",
        signature: "days_between(from, to)",
        description: "the number of days from the first date to the second (negative when before)",
    },
    FunctionInfo { name: "date", signature: "date(\"2026-01-31\")", description: "a date" },
    FunctionInfo {
        name: "datetime",
        signature: "datetime(\"2026-01-31T09:00:00+08:00\")",
        description: "an instant, with its time zone",
    },
];
