//! The records of the organisation and where they are kept.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::codec::Record;
use crate::id::typed_id;
use crate::keys::KeyBuf;

typed_id!(
    /// The id of a department.
    DeptId,
    "department"
);
typed_id!(
    /// The id of a person.
    PersonId,
    "person"
);

/// Whether a department is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeptStatus {
    /// In use.
    Active,
    /// Kept for history; no new members, hidden from pickers.
    Disabled,
}

/// A department (部门): a node of the organisation tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    /// The department's id.
    pub id: DeptId,
    /// Its name, unique among its siblings.
    pub name: String,
    /// An optional external code, unique in the office (used by imports to name parents).
    #[serde(default)]
    pub code: Option<String>,
    /// The parent department; `None` for a root.
    pub parent: Option<DeptId>,
    /// The position among its siblings (ascending).
    pub sort_order: i64,
    /// The head of the department (负责人).
    #[serde(default)]
    pub head: Option<PersonId>,
    /// Whether it is in use.
    pub status: DeptStatus,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Record for Department {
    const KIND: &'static str = "department";
}

/// Whether a person works here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonStatus {
    /// Works here and may sign in.
    Active,
    /// May not sign in (suspended); keeps posts and history.
    Disabled,
    /// Has left the organisation (离职); kept for history.
    Left,
}

/// A part-time post (兼职) held in another department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// The department of the post.
    pub dept: DeptId,
    /// The position held there.
    #[serde(default)]
    pub position: Option<String>,
}

/// A person (人员).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// The person's id.
    pub id: PersonId,
    /// The sign-in name, unique in the office (compared case-insensitively).
    pub login: String,
    /// The name, in any script (张伟, Zoë).
    pub name: String,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// The main department.
    pub dept: DeptId,
    /// The position (职务) in the main department.
    #[serde(default)]
    pub position: Option<String>,
    /// The direct superior (直属上级).
    #[serde(default)]
    pub superior: Option<PersonId>,
    /// Part-time posts in other departments.
    #[serde(default)]
    pub posts: Vec<Post>,
    /// Whether the person works here.
    pub status: PersonStatus,
    /// When the person was created.
    pub created_at: DateTime<Utc>,
    /// When the person last changed.
    pub updated_at: DateTime<Utc>,
}

impl Record for Person {
    const KIND: &'static str = "person";
}

/// Key spaces of the organisation. Every index is written in the transaction of its record.
pub(crate) mod keys {
    use super::*;

    /// `org.d/<dept>` → [`Department`].
    pub(crate) fn dept(id: DeptId) -> KeyBuf {
        KeyBuf::new("org.d").id(id.0)
    }
    /// Prefix of every department record.
    pub(crate) fn all_depts() -> KeyBuf {
        KeyBuf::new("org.d")
    }
    /// `org.p/<person>` → [`Person`].
    pub(crate) fn person(id: PersonId) -> KeyBuf {
        KeyBuf::new("org.p").id(id.0)
    }
    /// Prefix of every person record.
    pub(crate) fn all_people() -> KeyBuf {
        KeyBuf::new("org.p")
    }
    /// `org.login/<lowercased login>` → person id bytes (unique).
    pub(crate) fn login(login: &str) -> KeyBuf {
        KeyBuf::new("org.login").str(&login.to_lowercase())
    }
}
