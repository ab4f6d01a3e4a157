//! Records of the organisation and their indexes, over a transaction, without permission checks
//! or validation: the operations in this module's siblings (and initialisation) check first and
//! write through these functions, so a record and its index entries never drift apart.
//!
//! Index layout (see [`super::model::keys`]):
//!
//! - `org.d/<dept>` → department, `org.p/<person>` → person;
//! - `org.dpath/<dept>` → the department's materialised path (root first);
//! - `org.dname/<parent>/<lowercased name>` and `org.dcode/<lowercased code>` → department id;
//! - `org.login/<lowercased login>` → person id;
//! - `org.head/<person>/<dept>`: the departments a person heads;
//! - `org.pp/<dept path>/0/<main|part-time>/<person>` → status byte: people by department,
//!   so that one prefix scan pages through a whole subtree.

use std::sync::{Arc, LazyLock};

use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};
use serde::{Deserialize, Serialize};

use super::model::{keys, Department, DeptId, Person, PersonId, PersonStatus};
use crate::codec::Record;
use crate::db::{self, DecodedCache};
use crate::id::Id;
use crate::{OaError, OaResult};

/// The department `id`, if it exists.
pub(crate) fn load_department(tx: &mut dyn ReadTxn, id: DeptId) -> OaResult<Option<Department>> {
    db::get(tx, keys::dept(id).as_bytes())
}

/// The person `id`, if they exist.
pub(crate) fn load_person(tx: &mut dyn ReadTxn, id: PersonId) -> OaResult<Option<Person>> {
    db::get(tx, keys::person(id).as_bytes())
}

/// The fields of a [`Person`] record that the checks made on every operation need: whether a
/// session's person may still act, who holds a role and where. Decoding these alone skips the
/// texts, posts and instants of the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PersonHead {
    pub(crate) id: PersonId,
    pub(crate) dept: DeptId,
    pub(crate) status: PersonStatus,
}

impl Record for PersonHead {
    const KIND: &'static str = <Person as Record>::KIND;
    const VERSION: u16 = <Person as Record>::VERSION;
}

/// How many person heads [`load_person_head`] keeps decoded (their records' bytes beside them:
/// a few megabytes at most).
const HEADS_LIMIT: usize = 20_000;

/// Person heads decoded once, for every office of the process: each is served only when the
/// record's bytes just read equal those it was decoded from (see [`DecodedCache`]), so offices
/// and handles sharing it cannot see each other's people. Process-wide rather than per office
/// because the approval engine finds approvers with a transaction alone.
static HEADS: LazyLock<DecodedCache<PersonHead>> = LazyLock::new(|| DecodedCache::new(HEADS_LIMIT));

/// The id, main department and status of person `id`, if they exist.
pub(crate) fn load_person_head(tx: &mut dyn ReadTxn, id: PersonId) -> OaResult<Option<Arc<PersonHead>>> {
    HEADS.get(tx, keys::person(id).as_bytes())
}

/// The department `id`, or `not_found`.
pub(crate) fn department(tx: &mut dyn ReadTxn, id: DeptId) -> OaResult<Department> {
    load_department(tx, id)?.ok_or_else(|| OaError::not_found(DeptId::KIND, id))
}

/// The person `id`, or `not_found`.
pub(crate) fn person(tx: &mut dyn ReadTxn, id: PersonId) -> OaResult<Person> {
    load_person(tx, id)?.ok_or_else(|| OaError::not_found(PersonId::KIND, id))
}

fn id_value(raw: &[u8]) -> OaResult<Id> {
    Id::from_slice(raw).ok_or_else(|| OaError::Internal("an organisation index entry does not hold an id".into()))
}

/// The id of the person whose login is `login` (compared case-insensitively).
pub(crate) fn find_person_id_by_login(tx: &mut dyn ReadTxn, login: &str) -> OaResult<Option<PersonId>> {
    match tx.get(keys::login(login.trim()).as_bytes())? {
        Some(raw) => Ok(Some(PersonId(id_value(&raw)?))),
        None => Ok(None),
    }
}

/// The id of the department whose code is `code` (compared case-insensitively).
pub(crate) fn find_dept_id_by_code(tx: &mut dyn ReadTxn, code: &str) -> OaResult<Option<DeptId>> {
    match tx.get(keys::dept_code(code.trim()).as_bytes())? {
        Some(raw) => Ok(Some(DeptId(id_value(&raw)?))),
        None => Ok(None),
    }
}

/// The id of the child of `parent` (a root when `None`) named `name` (case-insensitively).
pub(crate) fn find_sibling_by_name(
    tx: &mut dyn ReadTxn,
    parent: Option<DeptId>,
    name: &str,
) -> OaResult<Option<DeptId>> {
    match tx.get(keys::dept_name(parent, name).as_bytes())? {
        Some(raw) => Ok(Some(DeptId(id_value(&raw)?))),
        None => Ok(None),
    }
}

/// The ids of the direct children of `parent` (the roots when `None`), in no useful order.
pub(crate) fn child_ids(tx: &mut dyn ReadTxn, parent: Option<DeptId>) -> OaResult<Vec<DeptId>> {
    let prefix = keys::dept_names_under(parent);
    let entries = tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)?;
    entries.iter().map(|(_, v)| id_value(v).map(DeptId)).collect()
}

/// The materialised path of department `id` (see [`keys::path_of`]), or `not_found`.
pub(crate) fn dept_path(tx: &mut dyn ReadTxn, id: DeptId) -> OaResult<Vec<u8>> {
    tx.get(keys::dept_path(id).as_bytes())?.ok_or_else(|| OaError::not_found(DeptId::KIND, id))
}

/// The ids of a materialised path, root first.
pub(crate) fn path_ids(path: &[u8]) -> Vec<DeptId> {
    path.chunks_exact(17).filter_map(|c| Id::from_slice(&c[1..]).map(DeptId)).collect()
}

/// The path a department with this parent gets.
fn path_under(tx: &mut dyn ReadTxn, parent: Option<DeptId>, id: DeptId) -> OaResult<Vec<u8>> {
    let mut path = match parent {
        Some(p) => dept_path(tx, p)?,
        None => Vec::new(),
    };
    path.extend_from_slice(&keys::path_of(&[id]));
    Ok(path)
}

pub(crate) fn status_byte(status: PersonStatus) -> u8 {
    match status {
        PersonStatus::Active => 0,
        PersonStatus::Disabled => 1,
        PersonStatus::Left => 2,
    }
}

/// Writes a new department: its record and every index entry. No checks: the parent must
/// exist (its path is read), the name and code must be free.
pub(crate) fn insert_department(tx: &mut dyn WriteTxn, dept: &Department) -> OaResult<()> {
    let path = path_under(tx.as_read(), dept.parent, dept.id)?;
    tx.put(keys::dept_path(dept.id).as_bytes(), &path)?;
    write_department_indexes(tx, dept)?;
    db::put(tx, keys::dept(dept.id).as_bytes(), dept)
}

fn write_department_indexes(tx: &mut dyn WriteTxn, dept: &Department) -> OaResult<()> {
    let id = dept.id.0.to_bytes();
    tx.put(keys::dept_name(dept.parent, &dept.name).as_bytes(), &id)?;
    if let Some(code) = &dept.code {
        tx.put(keys::dept_code(code).as_bytes(), &id)?;
    }
    if let Some(head) = dept.head {
        tx.put(keys::head(head, dept.id).as_bytes(), &[])?;
    }
    Ok(())
}

fn delete_department_indexes(tx: &mut dyn WriteTxn, dept: &Department) -> OaResult<()> {
    tx.delete(keys::dept_name(dept.parent, &dept.name).as_bytes())?;
    if let Some(code) = &dept.code {
        tx.delete(keys::dept_code(code).as_bytes())?;
    }
    if let Some(head) = dept.head {
        tx.delete(keys::head(head, dept.id).as_bytes())?;
    }
    Ok(())
}

/// Rewrites a department changed from `old` to `new` with its name, code and head indexes.
/// A change of parent also rewrites the materialised paths of the whole subtree and the
/// people-by-path entries under it.
pub(crate) fn update_department(tx: &mut dyn WriteTxn, old: &Department, new: &Department) -> OaResult<()> {
    delete_department_indexes(tx, old)?;
    write_department_indexes(tx, new)?;
    if old.parent != new.parent {
        let old_path = dept_path(tx.as_read(), old.id)?;
        let new_path = path_under(tx.as_read(), new.parent, new.id)?;
        repath_subtree(tx, &old_path, &new_path)?;
    }
    db::put(tx, keys::dept(new.id).as_bytes(), new)
}

/// Replaces the path prefix `old` by `new` in every department path of the subtree and in every
/// people-by-path entry under it. Moving a department is rare; this costs one scan of the
/// subtree's people and one of the department paths.
fn repath_subtree(tx: &mut dyn WriteTxn, old: &[u8], new: &[u8]) -> OaResult<()> {
    // Department paths: the subtree's departments are those whose path starts with `old`.
    let all_paths = KeyRange::prefix(super::model::keys::dept_path_prefix().as_bytes());
    let entries = tx.scan(&all_paths, Direction::Forward, usize::MAX)?;
    for (k, v) in entries {
        if let Some(rest) = v.strip_prefix(old) {
            let mut moved = new.to_vec();
            moved.extend_from_slice(rest);
            tx.put(&k, &moved)?;
        }
    }
    let old_prefix = keys::people_in_subtree(old);
    let entries = tx.scan(&KeyRange::prefix(old_prefix.as_bytes()), Direction::Forward, usize::MAX)?;
    let new_prefix = keys::people_in_subtree(new);
    for (k, v) in entries {
        let rest = &k[old_prefix.as_bytes().len()..];
        let mut moved = new_prefix.as_bytes().to_vec();
        moved.extend_from_slice(rest);
        tx.delete(&k)?;
        tx.put(&moved, &v)?;
    }
    Ok(())
}

/// Writes a new person: the record, the login index and the people-by-path entries of the main
/// department and of every part-time post. No checks: the login must be free and every
/// department must exist.
pub(crate) fn insert_person(tx: &mut dyn WriteTxn, person: &Person) -> OaResult<()> {
    tx.put(keys::login(&person.login).as_bytes(), &person.id.0.to_bytes())?;
    write_person_paths(tx, person)?;
    db::put(tx, keys::person(person.id).as_bytes(), person)
}

fn write_person_paths(tx: &mut dyn WriteTxn, person: &Person) -> OaResult<()> {
    let status = [status_byte(person.status)];
    let path = dept_path(tx.as_read(), person.dept)?;
    tx.put(keys::person_in_dept(&path, keys::MAIN, person.id).as_bytes(), &status)?;
    for post in &person.posts {
        let path = dept_path(tx.as_read(), post.dept)?;
        tx.put(keys::person_in_dept(&path, keys::PART_TIME, person.id).as_bytes(), &status)?;
    }
    Ok(())
}

fn delete_person_paths(tx: &mut dyn WriteTxn, person: &Person) -> OaResult<()> {
    let path = dept_path(tx.as_read(), person.dept)?;
    tx.delete(keys::person_in_dept(&path, keys::MAIN, person.id).as_bytes())?;
    for post in &person.posts {
        let path = dept_path(tx.as_read(), post.dept)?;
        tx.delete(keys::person_in_dept(&path, keys::PART_TIME, person.id).as_bytes())?;
    }
    Ok(())
}

/// Rewrites a person changed from `old` to `new` with every index entry that changed.
pub(crate) fn update_person(tx: &mut dyn WriteTxn, old: &Person, new: &Person) -> OaResult<()> {
    if old.login.to_lowercase() != new.login.to_lowercase() {
        tx.delete(keys::login(&old.login).as_bytes())?;
    }
    tx.put(keys::login(&new.login).as_bytes(), &new.id.0.to_bytes())?;
    if old.dept != new.dept || old.posts != new.posts || old.status != new.status {
        delete_person_paths(tx, old)?;
        write_person_paths(tx, new)?;
    }
    db::put(tx, keys::person(new.id).as_bytes(), new)
}

/// The departments `person` heads.
pub(crate) fn headed_by(tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<Vec<DeptId>> {
    let prefix = keys::heads_of(person);
    let entries = tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)?;
    Ok(entries.iter().filter_map(|(k, _)| crate::keys::trailing_id(k).map(DeptId)).collect())
}

/// How many people hold their main post in exactly the department with path `path` and are
/// active.
pub(crate) fn count_active_main_people(tx: &mut dyn ReadTxn, path: &[u8]) -> OaResult<usize> {
    let prefix = keys::main_people_in_dept(path);
    let active = [status_byte(PersonStatus::Active)];
    let mut range = KeyRange::prefix(prefix.as_bytes());
    let mut count = 0;
    loop {
        let entries = tx.scan(&range, Direction::Forward, 512)?;
        let done = entries.len() < 512;
        for (k, v) in &entries {
            if v.as_slice() == active {
                count += 1;
            }
            range.start = std::ops::Bound::Excluded(k.clone());
        }
        if done {
            return Ok(count);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use oa_storage::{MemoryStore, StoreExt};

    fn person(status: PersonStatus, dept: DeptId) -> Person {
        let now = chrono::Utc::now();
        Person {
            id: PersonId(Id(7)),
            login: "zhang.wei".into(),
            name: "张伟".into(),
            email: Some("zhang.wei@example.com".into()),
            phone: None,
            dept,
            position: Some("会计".into()),
            superior: Some(PersonId(Id(2))),
            posts: Vec::new(),
            status,
            created_at: now,
            updated_at: now,
        }
    }

    /// A person record read as its head gives the person's own id, department and status: the
    /// head follows the record's field names and schema version.
    #[test]
    fn a_person_read_as_its_head_keeps_id_department_and_status() {
        let p = person(PersonStatus::Disabled, DeptId(Id(3)));
        let head: PersonHead = crate::codec::decode(&crate::codec::encode(&p).unwrap()).unwrap();
        assert_eq!(head, PersonHead { id: p.id, dept: p.dept, status: p.status });
    }

    /// Heads are shared by every office of the process, yet each store's transaction sees its
    /// own person as it stands now.
    #[test]
    fn a_head_follows_its_record_in_each_store() {
        let (one, two) = (MemoryStore::new(), MemoryStore::new());
        let put = |store: &MemoryStore, p: &Person| store.write(|tx| db::put(tx, keys::person(p.id).as_bytes(), p));
        let head = |store: &MemoryStore| store.read(|tx| load_person_head(tx, PersonId(Id(7)))).unwrap();
        put(&one, &person(PersonStatus::Active, DeptId(Id(3)))).unwrap();
        put(&two, &person(PersonStatus::Left, DeptId(Id(4)))).unwrap();
        for _ in 0..2 {
            assert_eq!(head(&one).unwrap().status, PersonStatus::Active);
            assert_eq!(head(&two).unwrap().status, PersonStatus::Left);
        }
        put(&one, &person(PersonStatus::Disabled, DeptId(Id(5)))).unwrap();
        let now = head(&one).unwrap();
        assert_eq!((now.status, now.dept), (PersonStatus::Disabled, DeptId(Id(5))));
        one.write(|tx| tx.delete(keys::person(PersonId(Id(7))).as_bytes())).unwrap();
        assert_eq!(head(&one), None);
    }
}
