//! Reading the organisation: departments in tree order, subtrees, people of a department (with
//! its subtree) in cursor pages, chains of superiors and heads N levels up. The `pub(crate)`
//! functions serve the approval engine without a session; the operations on [`Oa`] add the
//! permission and data-scope checks.

use std::collections::{HashMap, HashSet};

use oa_storage::{Direction, KeyRange, ReadTxn};

use super::model::{keys, Department, DeptId, PeopleQuery, Person, PersonId, PersonStatus};
use super::store;
use super::tree::OrgTree;
use crate::codec;
use crate::engine::{Oa, PendingPassword, Session};
use crate::keys::trailing_id;
use crate::page::{self, Page, PageRequest};
use crate::{OaError, OaResult};

/// Every department, in tree order: each root then its subtree, siblings by sort order then
/// name.
pub(crate) fn departments_in_tree_order(tx: &mut dyn ReadTxn) -> OaResult<Vec<Department>> {
    let (tree, mut by_id) = load_tree(tx)?;
    let mut out = Vec::with_capacity(by_id.len());
    for root in tree.roots() {
        for id in tree.subtree(*root) {
            if let Some(d) = by_id.remove(&id) {
                out.push(d);
            }
        }
    }
    Ok(out)
}

fn load_tree(tx: &mut dyn ReadTxn) -> OaResult<(OrgTree, HashMap<DeptId, Department>)> {
    let entries = tx.scan(&KeyRange::prefix(keys::all_depts().as_bytes()), Direction::Forward, usize::MAX)?;
    let mut depts = Vec::with_capacity(entries.len());
    for (_, v) in entries {
        depts.push(codec::decode::<Department>(&v)?);
    }
    let tree = OrgTree::build(&depts);
    Ok((tree, depts.into_iter().map(|d| (d.id, d)).collect()))
}

/// Department `root` and every department below it, in tree order; `not_found` when `root`
/// does not exist.
pub(crate) fn subtree(tx: &mut dyn ReadTxn, root: DeptId) -> OaResult<Vec<Department>> {
    let (tree, mut by_id) = load_tree(tx)?;
    if !tree.contains(root) {
        return Err(OaError::not_found(DeptId::KIND, root));
    }
    Ok(tree.subtree(root).into_iter().filter_map(|id| by_id.remove(&id)).collect())
}

/// The direct children of `parent`, in order; `not_found` when `parent` does not exist.
pub(crate) fn children(tx: &mut dyn ReadTxn, parent: DeptId) -> OaResult<Vec<Department>> {
    let (tree, mut by_id) = load_tree(tx)?;
    if !tree.contains(parent) {
        return Err(OaError::not_found(DeptId::KIND, parent));
    }
    Ok(tree.children(parent).iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Whether department `dept` is `root` or lies below it (two path reads).
pub(crate) fn is_within(tx: &mut dyn ReadTxn, dept: DeptId, root: DeptId) -> OaResult<bool> {
    let d = tx.get(keys::dept_path(dept).as_bytes())?;
    let r = tx.get(keys::dept_path(root).as_bytes())?;
    Ok(matches!((d, r), (Some(d), Some(r)) if d.starts_with(&r)))
}

/// One entry of the people-by-path index, taken apart.
struct Entry<'a> {
    /// The path of the entry's department.
    path: &'a [u8],
    /// [`keys::MAIN`] or [`keys::PART_TIME`].
    kind: u8,
    person: PersonId,
}

fn parse_entry<'a>(key: &'a [u8], header: usize) -> OaResult<Entry<'a>> {
    let bad = || OaError::Internal("a malformed people-by-department index entry".into());
    let n = key.len();
    if n < header + 18 || key[n - 18] != 0 {
        return Err(bad());
    }
    let person = trailing_id(key).map(PersonId).ok_or_else(bad)?;
    Ok(Entry { path: &key[header..n - 18], kind: key[n - 17], person })
}

/// Whether a part-time entry of `person` at `entry_path` is the one entry that lists them in a
/// subtree whose root has path `root`: not when their main department lies in the subtree
/// (the main entry lists them), otherwise only for the first of their posts inside it in key
/// order. This keeps every person exactly once per subtree listing, across pages.
fn first_in_subtree(tx: &mut dyn ReadTxn, person: &Person, entry_path: &[u8], root: &[u8]) -> OaResult<bool> {
    let main = store::dept_path(tx, person.dept)?;
    if main.starts_with(root) {
        return Ok(false);
    }
    for post in &person.posts {
        let path = store::dept_path(tx, post.dept)?;
        if path.starts_with(root) && path.as_slice() < entry_path {
            return Ok(false);
        }
    }
    Ok(true)
}

fn matches_text(person: &Person, needle: &Option<String>) -> bool {
    match needle.as_deref().map(str::trim) {
        None | Some("") => true,
        Some(t) => {
            let t = t.to_lowercase();
            person.name.to_lowercase().contains(&t) || person.login.to_lowercase().contains(&t)
        }
    }
}

/// One page of the people `query` asks for. `visible` is the data-scope filter; it must not
/// depend on which entry lists the person, or a person could be left out of a subtree.
///
/// With a department the list follows the people-by-path index: its own people first (main
/// posts, then part-time posts), then each child department's subtree in turn (children in
/// creation order), each person at most once. Without one it lists everyone by creation.
pub(crate) fn people_page(
    tx: &mut dyn ReadTxn,
    query: &PeopleQuery,
    request: &PageRequest,
    visible: &mut dyn FnMut(&Person) -> bool,
) -> OaResult<Page<Person>> {
    let status = query.status.map(store::status_byte);
    let Some(dept) = query.dept else {
        let range = KeyRange::prefix(keys::all_people().as_bytes());
        return page::scan_page(tx, &range, Direction::Forward, request, |_, _, v| {
            let p: Person = codec::decode(v)?;
            let keep = query.status.is_none_or(|s| s == p.status) && matches_text(&p, &query.text) && visible(&p);
            Ok(keep.then_some(p))
        });
    };
    let root = store::dept_path(tx, dept)?;
    let prefix = if query.include_subtree { keys::people_in_subtree(&root) } else { keys::people_in_dept(&root) };
    let header = keys::people_by_path().as_bytes().len();
    let range = KeyRange::prefix(prefix.as_bytes());
    page::scan_page(tx, &range, Direction::Forward, request, |tx, k, v| {
        if status.is_some_and(|s| v.first() != Some(&s)) {
            return Ok(None);
        }
        let entry = parse_entry(k, header)?;
        if entry.kind != keys::MAIN && query.main_post_only {
            return Ok(None);
        }
        let Some(person) = store::load_person(tx, entry.person)? else {
            return Ok(None);
        };
        if entry.kind != keys::MAIN && query.include_subtree && !first_in_subtree(tx, &person, entry.path, &root)? {
            return Ok(None);
        }
        if !matches_text(&person, &query.text) || !visible(&person) {
            return Ok(None);
        }
        Ok(Some(person))
    })
}

/// The ids of the active people of `dept` (main and part-time posts), with its subtree when
/// `include_subtree`, each once, read from the index alone.
#[allow(dead_code)] // for the approval engine (countersign by every member of a department)
pub(crate) fn active_member_ids(tx: &mut dyn ReadTxn, dept: DeptId, include_subtree: bool) -> OaResult<Vec<PersonId>> {
    let root = store::dept_path(tx, dept)?;
    let prefix = if include_subtree { keys::people_in_subtree(&root) } else { keys::people_in_dept(&root) };
    let header = keys::people_by_path().as_bytes().len();
    let entries = tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)?;
    let active = store::status_byte(PersonStatus::Active);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (k, v) in entries {
        if v.first() != Some(&active) {
            continue;
        }
        let entry = parse_entry(&k, header)?;
        if seen.insert(entry.person) {
            out.push(entry.person);
        }
    }
    Ok(out)
}

/// The chain of superiors of `person`, nearest first, stopping at a missing person or where
/// the chain would loop. People of every status are included: the caller decides what a
/// disabled or departed superior means.
pub(crate) fn superiors(tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<Vec<Person>> {
    let start = store::person(tx, person)?;
    let mut seen = HashSet::from([person]);
    let mut out = Vec::new();
    let mut at = start.superior;
    while let Some(id) = at {
        if !seen.insert(id) {
            break;
        }
        let Some(p) = store::load_person(tx, id)? else { break };
        at = p.superior;
        out.push(p);
    }
    Ok(out)
}

/// The department `levels` above `person`'s main department (0: that department, 1: its
/// parent...), or `None` when the tree is not that deep.
pub(crate) fn dept_above(tx: &mut dyn ReadTxn, person: PersonId, levels: u32) -> OaResult<Option<Department>> {
    let p = store::person(tx, person)?;
    let path = store::path_ids(&store::dept_path(tx, p.dept)?);
    let levels = levels as usize;
    if levels >= path.len() {
        return Ok(None);
    }
    store::load_department(tx, path[path.len() - 1 - levels])
}

/// The head of the department `levels` above `person`'s main department (0: head of their own
/// department, 1: head of its parent...). `None` when the tree is not that deep or that
/// department has no head: departments without a head are not skipped, so the workflow
/// decides what to do. The head is returned whatever their status.
pub(crate) fn head_above(tx: &mut dyn ReadTxn, person: PersonId, levels: u32) -> OaResult<Option<Person>> {
    match dept_above(tx, person, levels)?.and_then(|d| d.head) {
        Some(head) => store::load_person(tx, head),
        None => Ok(None),
    }
}

impl Oa {
    /// One department. Needs `org.dept.read` on it.
    pub fn get_department(&self, session: &Session, id: DeptId) -> OaResult<Department> {
        self.query(session, "org.dept.get", PendingPassword::Refuse, |qx| {
            qx.require_on("org.dept.read", Some(id), None)?;
            store::department(qx.tx, id)
        })
    }

    /// Every department the actor may see, in tree order (each root, then its subtree;
    /// siblings by sort order, then name). Needs `org.dept.read`.
    pub fn list_departments(&self, session: &Session) -> OaResult<Vec<Department>> {
        self.query(session, "org.dept.list", PendingPassword::Refuse, |qx| {
            qx.require("org.dept.read")?;
            let all = departments_in_tree_order(qx.tx)?;
            let principal = &qx.actor.principal;
            Ok(all.into_iter().filter(|d| principal.allows_on("org.dept.read", Some(d.id), None)).collect())
        })
    }

    /// The department whose code is `code` (case-insensitive); `not_found` when none. Needs
    /// `org.dept.read` on it.
    pub fn find_department_by_code(&self, session: &Session, code: &str) -> OaResult<Department> {
        self.query(session, "org.dept.find_by_code", PendingPassword::Refuse, |qx| {
            let id = store::find_dept_id_by_code(qx.tx, code)?
                .ok_or_else(|| OaError::not_found(DeptId::KIND, code.trim()))?;
            qx.require_on("org.dept.read", Some(id), None)?;
            store::department(qx.tx, id)
        })
    }

    /// The direct children of a department that the actor may see, in order. Needs
    /// `org.dept.read`.
    pub fn department_children(&self, session: &Session, id: DeptId) -> OaResult<Vec<Department>> {
        self.query(session, "org.dept.children", PendingPassword::Refuse, |qx| {
            qx.require("org.dept.read")?;
            let all = children(qx.tx, id)?;
            let principal = &qx.actor.principal;
            Ok(all.into_iter().filter(|d| principal.allows_on("org.dept.read", Some(d.id), None)).collect())
        })
    }

    /// A department and every department below it that the actor may see, in tree order.
    /// Needs `org.dept.read`.
    pub fn department_subtree(&self, session: &Session, id: DeptId) -> OaResult<Vec<Department>> {
        self.query(session, "org.dept.subtree", PendingPassword::Refuse, |qx| {
            qx.require("org.dept.read")?;
            let all = subtree(qx.tx, id)?;
            let principal = &qx.actor.principal;
            Ok(all.into_iter().filter(|d| principal.allows_on("org.dept.read", Some(d.id), None)).collect())
        })
    }

    /// One person. Needs `org.person.read` on them.
    pub fn get_person(&self, session: &Session, id: PersonId) -> OaResult<Person> {
        self.query(session, "org.person.get", PendingPassword::Refuse, |qx| {
            let p = store::person(qx.tx, id)?;
            qx.require_on("org.person.read", Some(p.dept), Some(p.id))?;
            Ok(p)
        })
    }

    /// The person whose login is `login` (case-insensitive); `not_found` when none. Needs
    /// `org.person.read` on them.
    pub fn find_person_by_login(&self, session: &Session, login: &str) -> OaResult<Person> {
        self.query(session, "org.person.find_by_login", PendingPassword::Refuse, |qx| {
            let id = store::find_person_id_by_login(qx.tx, login)?
                .ok_or_else(|| OaError::not_found(PersonId::KIND, login.trim()))?;
            let p = store::person(qx.tx, id)?;
            qx.require_on("org.person.read", Some(p.dept), Some(p.id))?;
            Ok(p)
        })
    }

    /// One page of people (see [`PeopleQuery`]), filtered to the actor's data scope. With a
    /// department, its people come first (main posts, then part-time posts), then those of
    /// each department below it when `include_subtree`, each person once. Needs
    /// `org.person.read`.
    pub fn list_people(&self, session: &Session, query: PeopleQuery, page: PageRequest) -> OaResult<Page<Person>> {
        self.query(session, "org.person.list", PendingPassword::Refuse, |qx| {
            qx.require("org.person.read")?;
            let principal = qx.actor.principal.clone();
            // A person is visible through their main department or any part-time post.
            let mut visible = |p: &Person| {
                principal.allows_on("org.person.read", Some(p.dept), Some(p.id))
                    || p.posts.iter().any(|post| principal.allows_on("org.person.read", Some(post.dept), Some(p.id)))
            };
            people_page(qx.tx, &query, &page, &mut visible)
        })
    }

    /// A person's chain of superiors (直属上级 and up), nearest first, stopping at a missing
    /// person or a loop. Superiors outside the actor's data scope are left out. Needs
    /// `org.person.read` on the person.
    pub fn superiors_of(&self, session: &Session, person: PersonId) -> OaResult<Vec<Person>> {
        self.query(session, "org.person.superiors", PendingPassword::Refuse, |qx| {
            let p = store::person(qx.tx, person)?;
            qx.require_on("org.person.read", Some(p.dept), Some(p.id))?;
            let chain = superiors(qx.tx, person)?;
            let principal = &qx.actor.principal;
            Ok(chain.into_iter().filter(|s| principal.allows_on("org.person.read", Some(s.dept), Some(s.id))).collect())
        })
    }

    /// The head of the department `levels` above the person's main department (0: their own
    /// department's head, 1: the parent department's head...). `None` when the tree is not that
    /// deep or that department has no head; departments without a head are not skipped. Needs
    /// `org.person.read` on the person and on the head.
    pub fn head_above(&self, session: &Session, person: PersonId, levels: u32) -> OaResult<Option<Person>> {
        self.query(session, "org.person.head_above", PendingPassword::Refuse, |qx| {
            let p = store::person(qx.tx, person)?;
            qx.require_on("org.person.read", Some(p.dept), Some(p.id))?;
            let head = head_above(qx.tx, person, levels)?;
            if let Some(h) = &head {
                qx.require_on("org.person.read", Some(h.dept), Some(h.id))?;
            }
            Ok(head)
        })
    }
}
