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
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(with = "crate::codec::instant")]
    pub updated_at: DateTime<Utc>,
}

impl Record for Department {
    const KIND: &'static str = "department";
    const VERSION: u16 = crate::codec::COMPACT;
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
    #[serde(with = "crate::codec::instant")]
    pub created_at: DateTime<Utc>,
    /// When the person last changed.
    #[serde(with = "crate::codec::instant")]
    pub updated_at: DateTime<Utc>,
}

impl Record for Person {
    const KIND: &'static str = "person";
    const VERSION: u16 = crate::codec::COMPACT;
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
    /// `org.dpath/<dept>` → the department's materialised path (see [`path_of`]).
    pub(crate) fn dept_path(id: DeptId) -> KeyBuf {
        KeyBuf::new("org.dpath").id(id.0)
    }
    /// Prefix of every department path.
    pub(crate) fn dept_path_prefix() -> KeyBuf {
        KeyBuf::new("org.dpath")
    }
    /// `org.dcode/<lowercased code>` → department id bytes (unique in the office).
    pub(crate) fn dept_code(code: &str) -> KeyBuf {
        KeyBuf::new("org.dcode").str(&code.to_lowercase())
    }
    /// Prefix of the sibling-name index of the children of `parent` (`None`: the roots).
    pub(crate) fn dept_names_under(parent: Option<DeptId>) -> KeyBuf {
        match parent {
            None => KeyBuf::new("org.dname").u32(0),
            Some(p) => KeyBuf::new("org.dname").u32(1).id(p.0),
        }
    }
    /// `org.dname/<parent or root>/<lowercased name>` → department id bytes (unique among
    /// siblings).
    pub(crate) fn dept_name(parent: Option<DeptId>, name: &str) -> KeyBuf {
        dept_names_under(parent).str(&name.to_lowercase())
    }
    /// `org.head/<person>/<dept>` → empty: the departments a person heads.
    pub(crate) fn head(person: PersonId, dept: DeptId) -> KeyBuf {
        heads_of(person).id(dept.0)
    }
    /// Prefix of the departments `person` heads.
    pub(crate) fn heads_of(person: PersonId) -> KeyBuf {
        KeyBuf::new("org.head").id(person.0)
    }

    /// The marker of a main-post entry in the people-by-path index.
    pub(crate) const MAIN: u8 = 0;
    /// The marker of a part-time post entry in the people-by-path index.
    pub(crate) const PART_TIME: u8 = 1;

    /// The materialised path of a department: for each department from the root down to it,
    /// the byte `0x01` then its 16 id bytes. The path of a descendant starts with the path of
    /// its ancestor, so a subtree is a key prefix.
    pub(crate) fn path_of(ids: &[DeptId]) -> Vec<u8> {
        let mut out = Vec::with_capacity(ids.len() * 17);
        for id in ids {
            out.push(1);
            out.extend_from_slice(&id.0.to_bytes());
        }
        out
    }
    /// The prefix of the people-by-path index.
    pub(crate) fn people_by_path() -> KeyBuf {
        KeyBuf::new("org.pp")
    }
    /// Prefix of every entry of the subtree whose root has path `path`.
    pub(crate) fn people_in_subtree(path: &[u8]) -> KeyBuf {
        people_by_path().raw(path)
    }
    /// Prefix of the entries of exactly the department with path `path` (main and part-time).
    pub(crate) fn people_in_dept(path: &[u8]) -> KeyBuf {
        people_by_path().raw(path).raw(&[0])
    }
    /// Prefix of the main-post entries of exactly the department with path `path`.
    pub(crate) fn main_people_in_dept(path: &[u8]) -> KeyBuf {
        people_by_path().raw(path).raw(&[0, MAIN])
    }
    /// `org.pp/<dept path>/0x00/<kind>/<person>` → one status byte: a person listed in a
    /// department, for their main post ([`MAIN`]) or a part-time post ([`PART_TIME`]).
    pub(crate) fn person_in_dept(path: &[u8], kind: u8, person: PersonId) -> KeyBuf {
        people_by_path().raw(path).raw(&[0, kind]).id(person.0)
    }
}

/// A new department, as [`crate::Oa::create_department`] takes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDepartment {
    /// The name: 1 to 100 characters after trimming, unique among its siblings (case-insensitive).
    pub name: String,
    /// An optional code of 1 to 64 characters from `A-Z a-z 0-9 _ -`, unique in the office
    /// (case-insensitive). `Some("")` is the same as `None`.
    #[serde(default)]
    pub code: Option<String>,
    /// The parent, which must exist and be active; `None` makes a new root.
    #[serde(default)]
    pub parent: Option<DeptId>,
    /// The position among its siblings; `None` places it after the last sibling.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// The head (负责人), who must be an active person.
    #[serde(default)]
    pub head: Option<PersonId>,
}

/// A new person, as [`crate::Oa::create_person`] takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    /// The sign-in name: 2 to 64 characters from `A-Z a-z 0-9 . _ @ -`, unique in the office
    /// (case-insensitive).
    pub login: String,
    /// The name in any script, 1 to 100 characters after trimming, no control characters.
    pub name: String,
    /// E-mail address (optional; `Some("")` is the same as `None`).
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number: digits, spaces, `+`, `-` and parentheses, 3 to 32 characters (optional).
    #[serde(default)]
    pub phone: Option<String>,
    /// The main department, which must exist and be active.
    pub dept: DeptId,
    /// The position (职务), at most 100 characters (optional).
    #[serde(default)]
    pub position: Option<String>,
    /// The direct superior, who must exist.
    #[serde(default)]
    pub superior: Option<PersonId>,
    /// An initial password, checked against the password policy; the person must change it at
    /// the first sign-in. Without one the person has no credential and cannot sign in until an
    /// administrator sets a password.
    #[serde(default)]
    pub initial_password: Option<String>,
}

impl NewPerson {
    /// A person with only the required fields set.
    pub fn new(login: &str, name: &str, dept: DeptId) -> Self {
        NewPerson {
            login: login.into(),
            name: name.into(),
            email: None,
            phone: None,
            dept,
            position: None,
            superior: None,
            initial_password: None,
        }
    }
}

/// Changes to a person's details, as [`crate::Oa::update_person`] takes them.
///
/// A field left `None` is kept. For the optional text fields (`email`, `phone`, `position`),
/// `Some("")` clears the field. The superior is set with `superior` and removed with
/// `clear_superior` (which wins when both are given). The department is changed with
/// [`crate::Oa::transfer_person`], the status with the disable, enable and left operations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonPatch {
    /// A new login.
    #[serde(default)]
    pub login: Option<String>,
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new e-mail address; `Some("")` clears it.
    #[serde(default)]
    pub email: Option<String>,
    /// A new phone number; `Some("")` clears it.
    #[serde(default)]
    pub phone: Option<String>,
    /// A new position; `Some("")` clears it.
    #[serde(default)]
    pub position: Option<String>,
    /// A new direct superior.
    #[serde(default)]
    pub superior: Option<PersonId>,
    /// Removes the direct superior.
    #[serde(default)]
    pub clear_superior: bool,
}

/// Which people [`crate::Oa::list_people`] lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleQuery {
    /// Only the people of this department; `None` lists everyone (by creation).
    #[serde(default)]
    pub dept: Option<DeptId>,
    /// With `dept`: also the people of every department below it.
    #[serde(default)]
    pub include_subtree: bool,
    /// With `dept`: leave out people who hold only a part-time post (兼职) there.
    #[serde(default)]
    pub main_post_only: bool,
    /// Only people in this status; `None` lists every status.
    #[serde(default)]
    pub status: Option<PersonStatus>,
    /// Only people whose name or login contains this text (case-insensitive).
    #[serde(default)]
    pub text: Option<String>,
}

/// What [`crate::Oa::import_org_csv`] created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// How many departments were created.
    pub departments_created: u32,
    /// How many people were created.
    pub people_created: u32,
    /// How many of them got an initial password (to be changed at first sign-in).
    pub passwords_set: u32,
    /// How many of them have no credential yet (no password in the file): they cannot sign in
    /// until an administrator sets one.
    pub without_password: u32,
}
