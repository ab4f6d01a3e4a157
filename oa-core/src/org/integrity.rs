//! The integrity of the organisation's indexes: every index entry can be derived from the
//! department and person records, so a check compares what is stored with what should be, and
//! a rebuild rewrites the difference.

use std::collections::{BTreeMap, HashMap};

use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};
use serde::{Deserialize, Serialize};

use super::model::{keys, Department, DeptId, Person};
use super::store::status_byte;
use crate::codec;
use crate::keys::KeyBuf;
use crate::OaResult;

/// The key spaces of the organisation's indexes (the records themselves are not indexes).
const INDEX_SPACES: &[&str] = &["org.dpath", "org.dname", "org.dcode", "org.login", "org.head", "org.pp"];

/// What a check of the organisation's indexes found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgIndexReport {
    /// How many index entries the records call for.
    pub expected: u64,
    /// Entries that are missing or hold a wrong value.
    pub missing: u64,
    /// Entries that no record calls for.
    pub stale: u64,
}

impl OrgIndexReport {
    /// Whether the indexes match the records.
    pub fn is_clean(&self) -> bool {
        self.missing == 0 && self.stale == 0
    }
}

fn scan_all(tx: &mut dyn ReadTxn, prefix: &KeyBuf) -> OaResult<Vec<(Vec<u8>, Vec<u8>)>> {
    Ok(tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)?)
}

/// Every index entry the records call for.
fn expected(tx: &mut dyn ReadTxn) -> OaResult<BTreeMap<Vec<u8>, Vec<u8>>> {
    let mut depts: HashMap<DeptId, Department> = HashMap::new();
    for (_, v) in scan_all(tx, &keys::all_depts())? {
        let d: Department = codec::decode(&v)?;
        depts.insert(d.id, d);
    }
    // Paths from the parent chains; a missing parent or a cycle makes a department a root.
    let mut paths: HashMap<DeptId, Vec<u8>> = HashMap::new();
    for id in depts.keys() {
        let mut chain = vec![*id];
        let mut at = depts.get(id).and_then(|d| d.parent);
        while let Some(p) = at {
            if chain.contains(&p) || !depts.contains_key(&p) {
                break;
            }
            chain.push(p);
            at = depts.get(&p).and_then(|d| d.parent);
        }
        chain.reverse();
        paths.insert(*id, keys::path_of(&chain));
    }
    let mut out = BTreeMap::new();
    for d in depts.values() {
        let id = d.id.0.to_bytes().to_vec();
        if let Some(path) = paths.get(&d.id) {
            out.insert(keys::dept_path(d.id).into_bytes(), path.clone());
        }
        out.insert(keys::dept_name(d.parent, &d.name).into_bytes(), id.clone());
        if let Some(code) = &d.code {
            out.insert(keys::dept_code(code).into_bytes(), id.clone());
        }
        if let Some(head) = d.head {
            out.insert(keys::head(head, d.id).into_bytes(), Vec::new());
        }
    }
    for (_, v) in scan_all(tx, &keys::all_people())? {
        let p: Person = codec::decode(&v)?;
        out.insert(keys::login(&p.login).into_bytes(), p.id.0.to_bytes().to_vec());
        let status = vec![status_byte(p.status)];
        if let Some(path) = paths.get(&p.dept) {
            out.insert(keys::person_in_dept(path, keys::MAIN, p.id).into_bytes(), status.clone());
        }
        for post in &p.posts {
            if let Some(path) = paths.get(&post.dept) {
                out.insert(keys::person_in_dept(path, keys::PART_TIME, p.id).into_bytes(), status.clone());
            }
        }
    }
    Ok(out)
}

/// The stored index entries.
fn actual(tx: &mut dyn ReadTxn) -> OaResult<BTreeMap<Vec<u8>, Vec<u8>>> {
    let mut out = BTreeMap::new();
    for space in INDEX_SPACES {
        out.extend(scan_all(tx, &KeyBuf::new(space))?);
    }
    Ok(out)
}

fn compare(
    expected: &BTreeMap<Vec<u8>, Vec<u8>>,
    actual: &BTreeMap<Vec<u8>, Vec<u8>>,
) -> (OrgIndexReport, Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let missing: Vec<Vec<u8>> =
        expected.iter().filter(|(k, v)| actual.get(*k) != Some(*v)).map(|(k, _)| k.clone()).collect();
    let stale: Vec<Vec<u8>> = actual.keys().filter(|k| !expected.contains_key(*k)).cloned().collect();
    let report =
        OrgIndexReport { expected: expected.len() as u64, missing: missing.len() as u64, stale: stale.len() as u64 };
    (report, missing, stale)
}

/// Compares the organisation's indexes with its records.
#[allow(dead_code)] // for the integrity check of the admin module
pub(crate) fn check_indexes(tx: &mut dyn ReadTxn) -> OaResult<OrgIndexReport> {
    let (expected, actual) = (expected(tx)?, actual(tx)?);
    Ok(compare(&expected, &actual).0)
}

/// Rewrites the organisation's indexes from its records; returns what was wrong before.
#[allow(dead_code)] // for the integrity check of the admin module
pub(crate) fn rebuild_indexes(tx: &mut dyn WriteTxn) -> OaResult<OrgIndexReport> {
    let expected = expected(tx.as_read())?;
    let actual = actual(tx.as_read())?;
    let (report, missing, stale) = compare(&expected, &actual);
    for k in stale {
        tx.delete(&k)?;
    }
    for k in missing {
        if let Some(v) = expected.get(&k) {
            tx.put(&k, v)?;
        }
    }
    Ok(report)
}
