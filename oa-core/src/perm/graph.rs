//! The role graph of one permission version: every role with its inheritance closure compiled
//! to a bit set of catalogue permissions.

use std::collections::{BTreeMap, BTreeSet};

use oa_storage::{Direction, KeyRange, ReadTxn};

use super::catalogue::{self, PermCategory, PermIndex};
use super::model::{keys, Role, ROLE_ADMIN, ROLE_AUDITOR, ROLE_SEC_ADMIN, ROLE_SYS_ADMIN};
use crate::codec;
use crate::OaResult;

/// A set of catalogue permissions, one bit per dense number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bits {
    words: Vec<u64>,
}

impl Bits {
    pub(crate) fn insert(&mut self, i: PermIndex) {
        let w = i / 64;
        if self.words.len() <= w {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << (i % 64);
    }

    pub(crate) fn union_with(&mut self, other: &Bits) {
        if self.words.len() < other.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// The dense numbers in the set, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = PermIndex> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut rest = w;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let bit = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(wi * 64 + bit)
            })
        })
    }

    pub(crate) fn any_in(&self, category: PermCategory) -> bool {
        self.iter().any(|i| catalogue::def(i).is_some_and(|d| d.category == category))
    }
}

/// Which of the privileged built-in roles a closure holds, as bits.
pub(crate) mod held {
    pub(crate) const ADMIN: u8 = 1;
    pub(crate) const SYS_ADMIN: u8 = 2;
    pub(crate) const SEC_ADMIN: u8 = 4;
    pub(crate) const AUDITOR: u8 = 8;
    /// The three roles of separation of duties.
    pub(crate) const SOD: u8 = SYS_ADMIN | SEC_ADMIN | AUDITOR;

    pub(crate) fn of(code: &str) -> u8 {
        match code {
            super::ROLE_ADMIN => ADMIN,
            super::ROLE_SYS_ADMIN => SYS_ADMIN,
            super::ROLE_SEC_ADMIN => SEC_ADMIN,
            super::ROLE_AUDITOR => AUDITOR,
            _ => 0,
        }
    }

    /// The codes of the roles in `bits`, in a fixed order.
    pub(crate) fn codes(bits: u8) -> Vec<&'static str> {
        [
            (ADMIN, super::ROLE_ADMIN),
            (SYS_ADMIN, super::ROLE_SYS_ADMIN),
            (SEC_ADMIN, super::ROLE_SEC_ADMIN),
            (AUDITOR, super::ROLE_AUDITOR),
        ]
        .into_iter()
        .filter(|(b, _)| bits & b != 0)
        .map(|(_, c)| c)
        .collect()
    }
}

/// The permissions of a built-in role, from the catalogue, or `None` for any other code.
pub(crate) fn builtin_permissions(code: &str) -> Option<Vec<&'static str>> {
    let category = match code {
        ROLE_ADMIN => None,
        ROLE_SYS_ADMIN => Some(PermCategory::System),
        ROLE_SEC_ADMIN => Some(PermCategory::Security),
        ROLE_AUDITOR => Some(PermCategory::Audit),
        _ => return None,
    };
    Some(catalogue::all().filter(|d| category.is_none_or(|c| d.category == c)).map(|d| d.name).collect())
}

/// A role's inheritance closure, compiled.
#[derive(Debug, Clone, Default)]
pub(crate) struct Closure {
    /// Every permission the role holds, itself or by inheritance. With separation of duties on,
    /// audit permissions count only when they come from the `auditor` role.
    pub(crate) perms: Bits,
    /// Which privileged built-in roles the closure holds ([`held`]).
    pub(crate) held: u8,
    /// Whether a role of the closure other than `auditor` holds audit permissions itself.
    pub(crate) audit_outside_auditor: bool,
    /// Whether the closure holds business permissions.
    pub(crate) business: bool,
}

/// Every role of the office, with its closure.
#[derive(Debug, Default)]
pub(crate) struct RoleGraph {
    roles: BTreeMap<String, Role>,
    closures: BTreeMap<String, Closure>,
}

impl RoleGraph {
    /// Loads every role; `sod` says whether separation of duties is on.
    pub(crate) fn load(tx: &mut dyn ReadTxn, sod: bool) -> OaResult<RoleGraph> {
        let entries = tx.scan(&KeyRange::prefix(keys::all_roles().as_bytes()), Direction::Forward, usize::MAX)?;
        let mut roles = Vec::with_capacity(entries.len());
        for (_, v) in entries {
            roles.push(normalise(codec::decode::<Role>(&v)?));
        }
        Ok(Self::build(roles, sod))
    }

    /// Builds the graph from roles (built-in roles' permissions already from the catalogue).
    pub(crate) fn build(roles: Vec<Role>, sod: bool) -> RoleGraph {
        let roles: BTreeMap<String, Role> = roles.into_iter().map(|r| (r.code.clone(), r)).collect();
        let direct: BTreeMap<&str, Bits> = roles
            .values()
            .map(|r| {
                let mut b = Bits::default();
                for i in r.permissions.iter().filter_map(|n| catalogue::index(n)) {
                    b.insert(i);
                }
                (r.code.as_str(), b)
            })
            .collect();
        let mut closures = BTreeMap::new();
        for code in roles.keys() {
            let mut c = Closure::default();
            for member in members(&roles, code) {
                c.held |= held::of(member);
                let Some(bits) = direct.get(member) else { continue };
                let is_auditor = member == ROLE_AUDITOR;
                if !is_auditor && bits.any_in(PermCategory::Audit) {
                    c.audit_outside_auditor = true;
                }
                if sod && !is_auditor {
                    for i in bits.iter() {
                        if catalogue::def(i).is_some_and(|d| d.category != PermCategory::Audit) {
                            c.perms.insert(i);
                        }
                    }
                } else {
                    c.perms.union_with(bits);
                }
            }
            c.business = c.perms.any_in(PermCategory::Business);
            closures.insert(code.clone(), c);
        }
        RoleGraph { roles, closures }
    }

    /// The role of `code`.
    pub(crate) fn role(&self, code: &str) -> Option<&Role> {
        self.roles.get(code)
    }

    /// The closure of `code`.
    pub(crate) fn closure(&self, code: &str) -> Option<&Closure> {
        self.closures.get(code)
    }

    /// The codes of the roles whose closure holds `code` (itself included).
    pub(crate) fn roles_including(&self, code: &str) -> BTreeSet<String> {
        self.roles.keys().filter(|r| members(&self.roles, r).contains(code)).cloned().collect()
    }

    /// The codes of the roles of `code`'s closure (itself included) that hold audit
    /// permissions themselves, `auditor` excepted.
    pub(crate) fn audit_holders_in(&self, code: &str) -> Vec<String> {
        members(&self.roles, code)
            .into_iter()
            .filter(|m| *m != ROLE_AUDITOR)
            .filter(|m| {
                self.roles.get(*m).is_some_and(|r| {
                    r.permissions.iter().any(|p| catalogue::find(p).is_some_and(|d| d.category == PermCategory::Audit))
                })
            })
            .map(str::to_string)
            .collect()
    }
}

/// A role as the rest of the module sees it: a built-in role's permissions follow the catalogue.
pub(crate) fn normalise(mut role: Role) -> Role {
    if role.builtin {
        if let Some(perms) = builtin_permissions(&role.code) {
            role.permissions = perms.into_iter().map(str::to_string).collect();
        }
    }
    role
}

/// `code` and every role it inherits, transitively (each once, even if stored data has a cycle).
fn members<'a>(roles: &'a BTreeMap<String, Role>, code: &'a str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![code];
    while let Some(c) = stack.pop() {
        if !seen.insert(c) {
            continue;
        }
        if let Some(r) = roles.get(c) {
            stack.extend(r.inherits.iter().map(String::as_str));
        }
    }
    seen
}

/// The cycle that `start` would close if it inherited `inherits`, given the other roles'
/// inheritance in `edges`: `[start, a, b, start]`.
pub(crate) fn find_cycle(
    edges: &BTreeMap<String, Vec<String>>,
    start: &str,
    inherits: &[String],
) -> Option<Vec<String>> {
    // Iterative depth-first search from each inherited role, looking for `start`; the path on
    // the stack is the cycle when it is found.
    let mut visited: BTreeSet<&str> = BTreeSet::new();
    let empty: Vec<String> = Vec::new();
    for first in inherits {
        if first == start {
            return Some(vec![start.to_string(), start.to_string()]);
        }
        if visited.contains(first.as_str()) {
            continue;
        }
        let mut path: Vec<(&str, usize)> = vec![(first.as_str(), 0)];
        visited.insert(first.as_str());
        while let Some((node, next)) = path.last_mut() {
            let children = edges.get(*node).unwrap_or(&empty);
            if let Some(child) = children.get(*next) {
                *next += 1;
                if child == start {
                    let mut cycle = vec![start.to_string()];
                    cycle.extend(path.iter().map(|(n, _)| n.to_string()));
                    cycle.push(start.to_string());
                    return Some(cycle);
                }
                if visited.insert(child.as_str()) {
                    path.push((child.as_str(), 0));
                }
            } else {
                path.pop();
            }
        }
    }
    None
}
