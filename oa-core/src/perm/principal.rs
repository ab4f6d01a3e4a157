//! Compiled permissions: a person's grants become a [`Principal`] whose checks are one hash of
//! the permission name, an array index and (for a scoped reach) one hash of the department id and
//! a binary search over pre-order intervals. No allocation on the check path.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};
use parking_lot::RwLock;

use super::catalogue::{self, PermCategory};
use super::graph::{held, RoleGraph};
use super::model::{keys, DataScope, Grant, GrantId, Version};
use super::scope::{OwnerWithin, ScopeFilter};
use crate::db;
use crate::keys::trailing_id;
use crate::org::{keys as org_keys, DeptId, OrgTree, Person, PersonId, PersonStatus};
use crate::{OaError, OaResult};
use rustc_hash::FxHashMap;

/// A pre-order interval `[enter, exit]` of the department tree.
type Interval = (u32, u32);

/// The department tree of one version, indexed for checks.
#[derive(Debug, Default)]
pub(crate) struct TreeIndex {
    pub(crate) tree: OrgTree,
    pos: FxHashMap<DeptId, u32>,
    by_pos: Vec<DeptId>,
}

impl TreeIndex {
    pub(crate) fn new(tree: OrgTree) -> TreeIndex {
        let by_pos: Vec<DeptId> = tree.roots().iter().flat_map(|r| tree.subtree(*r)).collect();
        let mut pos = FxHashMap::with_capacity_and_hasher(by_pos.len(), Default::default());
        for d in &by_pos {
            if let Some(p) = tree.position(*d) {
                pos.insert(*d, p);
            }
        }
        TreeIndex { tree, pos, by_pos }
    }

    #[inline]
    fn pos(&self, dept: DeptId) -> Option<u32> {
        self.pos.get(&dept).copied()
    }

    fn interval(&self, dept: DeptId) -> Option<Interval> {
        self.tree.interval(dept)
    }

    fn dept_at(&self, pos: u32) -> Option<DeptId> {
        self.by_pos.get(pos as usize).copied()
    }
}

/// What a principal is compiled from, shared by every principal of one permission version.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub(crate) version: Version,
    pub(crate) sod: bool,
    pub(crate) tree: TreeIndex,
    pub(crate) roles: RoleGraph,
}

impl Shared {
    pub(crate) fn load(tx: &mut dyn ReadTxn, version: Version, sod: bool) -> OaResult<Shared> {
        let tree = TreeIndex::new(OrgTree::load(tx)?);
        let roles = RoleGraph::load(tx, sod)?;
        Ok(Shared { version, sod, tree, roles })
    }
}

/// The compiled reach of one permission: which records it may act on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct Reach {
    /// Every record.
    all: bool,
    /// Records of departments inside these intervals (sorted, disjoint).
    within: Box<[Interval]>,
    /// Records the person owns, anywhere.
    own_any: bool,
    /// Records the person owns inside these intervals (sorted, disjoint).
    own_within: Box<[Interval]>,
}

#[inline]
fn in_intervals(intervals: &[Interval], p: u32) -> bool {
    // Intervals are sorted and disjoint: the only candidate is the last one starting at or
    // before `p`.
    let i = intervals.partition_point(|(a, _)| *a <= p);
    i > 0 && p <= intervals[i - 1].1
}

/// Whether one of `intervals` (sorted, disjoint) holds the whole of `iv`.
fn contains_interval(intervals: &[Interval], iv: Interval) -> bool {
    let i = intervals.partition_point(|(a, _)| *a <= iv.0);
    i > 0 && iv.1 <= intervals[i - 1].1
}

/// Sorts a family of pre-order intervals and drops those inside another. Subtree intervals are
/// nested or disjoint, so what is left is disjoint.
fn normalise(mut v: Vec<Interval>) -> Vec<Interval> {
    v.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for iv in v {
        match out.last() {
            Some(last) if iv.0 <= last.1 => {}
            _ => out.push(iv),
        }
    }
    out
}

#[derive(Debug, Clone, Default)]
struct ReachBuilder {
    all: bool,
    within: Vec<Interval>,
    own_any: bool,
    own_within: Vec<Interval>,
}

impl ReachBuilder {
    fn merge(&mut self, other: &ReachBuilder) {
        self.all |= other.all;
        self.own_any |= other.own_any;
        self.within.extend_from_slice(&other.within);
        self.own_within.extend_from_slice(&other.own_within);
    }

    fn finish(self) -> Reach {
        if self.all {
            return Reach { all: true, ..Reach::default() };
        }
        let within = normalise(self.within);
        let own_within = if self.own_any {
            Vec::new()
        } else {
            normalise(self.own_within).into_iter().filter(|iv| !contains_interval(&within, *iv)).collect()
        };
        Reach { all: false, within: within.into(), own_any: self.own_any, own_within: own_within.into() }
    }
}

/// The reach one grant gives: its role's data scope inside the grant's subtree limit.
fn grant_reach(tree: &TreeIndex, scope: &DataScope, limit: Option<DeptId>, own: &[DeptId]) -> ReachBuilder {
    let limit: Option<Option<Interval>> = limit.map(|d| tree.interval(d));
    // A limit to a department that no longer exists reaches nothing.
    let clip = |iv: Interval| -> Option<Interval> {
        match limit {
            None => Some(iv),
            Some(None) => None,
            Some(Some((a, b))) => {
                let (s, e) = (iv.0.max(a), iv.1.min(b));
                (s <= e).then_some((s, e))
            }
        }
    };
    let mut r = ReachBuilder::default();
    match scope {
        DataScope::All => match limit {
            None => r.all = true,
            Some(iv) => r.within.extend(iv),
        },
        DataScope::Depts { depts } => {
            r.within.extend(depts.iter().filter_map(|d| tree.pos(*d)).filter_map(|p| clip((p, p))));
        }
        DataScope::OwnDept => {
            r.within.extend(own.iter().filter_map(|d| tree.pos(*d)).filter_map(|p| clip((p, p))));
        }
        DataScope::OwnDeptAndBelow => {
            r.within.extend(own.iter().filter_map(|d| tree.interval(*d)).filter_map(clip));
        }
        DataScope::SelfOnly => match limit {
            None => r.own_any = true,
            Some(iv) => r.own_within.extend(iv),
        },
    }
    r
}

/// The slot of a permission that the person does not hold.
const NONE: u16 = u16::MAX;

/// A person's compiled permissions.
pub struct Principal {
    /// Whose permissions these are.
    pub person: PersonId,
    shared: Arc<Shared>,
    /// By catalogue number: the index of the permission's reach in `reaches`, or [`NONE`].
    slots: Box<[u16]>,
    /// The distinct reaches (many permissions share one).
    reaches: Box<[Reach]>,
}

impl std::fmt::Debug for Principal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Principal")
            .field("person", &self.person)
            .field("permissions", &self.permissions())
            .finish_non_exhaustive()
    }
}

impl Principal {
    /// A principal that holds nothing (a disabled, departed or unknown person).
    pub(crate) fn empty(person: PersonId, shared: Arc<Shared>) -> Principal {
        Principal { person, shared, slots: Box::new([]), reaches: Box::new([]) }
    }

    #[inline]
    fn reach(&self, permission: &str) -> Option<&Reach> {
        let i = catalogue::index(permission)?;
        let slot = *self.slots.get(i)?;
        self.reaches.get(usize::from(slot))
    }

    /// Whether the person holds `permission` in any scope.
    #[inline]
    pub fn allows(&self, permission: &str) -> bool {
        self.reach(permission).is_some()
    }

    /// Whether the person holds `permission` on a record owned by `dept` and `owner`.
    ///
    /// A record with neither department nor owner is reached only by an unrestricted scope.
    #[inline]
    pub fn allows_on(&self, permission: &str, dept: Option<DeptId>, owner: Option<PersonId>) -> bool {
        let Some(r) = self.reach(permission) else { return false };
        if r.all {
            return true;
        }
        let mine = owner == Some(self.person);
        if mine && r.own_any {
            return true;
        }
        let Some(p) = dept.and_then(|d| self.shared.tree.pos(d)) else { return false };
        in_intervals(&r.within, p) || (mine && in_intervals(&r.own_within, p))
    }

    /// `Ok` when [`Principal::allows`], otherwise `permission_denied`.
    pub fn require(&self, permission: &'static str) -> OaResult<()> {
        if self.allows(permission) {
            Ok(())
        } else {
            Err(OaError::PermissionDenied { permission: permission.to_string(), reason: None })
        }
    }

    /// `Ok` when [`Principal::allows_on`], otherwise `permission_denied` saying the target is
    /// outside the scope.
    pub fn require_on(&self, permission: &'static str, dept: Option<DeptId>, owner: Option<PersonId>) -> OaResult<()> {
        if self.allows_on(permission, dept, owner) {
            Ok(())
        } else if self.allows(permission) {
            Err(OaError::PermissionDenied {
                permission: permission.to_string(),
                reason: Some("the record lies outside your data scope".into()),
            })
        } else {
            Err(OaError::PermissionDenied { permission: permission.to_string(), reason: None })
        }
    }

    /// Every permission the person holds, in catalogue order.
    pub fn permissions(&self) -> Vec<String> {
        self.held().map(|d| d.name.to_string()).collect()
    }

    fn held(&self) -> impl Iterator<Item = &'static catalogue::PermissionDef> + '_ {
        self.slots.iter().enumerate().filter(|(_, s)| **s != NONE).filter_map(|(i, _)| catalogue::def(i))
    }

    /// The reach of `permission` as a filter for list queries (empty when not held).
    pub fn scope(&self, permission: &str) -> ScopeFilter {
        let Some(r) = self.reach(permission) else { return ScopeFilter::default() };
        if r.all {
            return ScopeFilter::everything();
        }
        let tree = &self.shared.tree;
        let mut f = ScopeFilter::default();
        for &(a, b) in r.within.iter() {
            let Some(d) = tree.dept_at(a) else { continue };
            // Every interval is a whole subtree or a single department.
            if tree.interval(d) == Some((a, b)) {
                f.subtrees.push(d);
            } else {
                f.depts.push(d);
            }
        }
        if r.own_any {
            f.persons.push(self.person);
        }
        for &(a, _) in r.own_within.iter() {
            if let Some(d) = tree.dept_at(a) {
                f.persons_within.push(OwnerWithin { person: self.person, subtree: d });
            }
        }
        f
    }

    /// The department tree this principal was compiled against, for list queries that test a
    /// [`ScopeFilter`].
    pub fn org_tree(&self) -> &OrgTree {
        &self.shared.tree.tree
    }
}

/// Compiles the principal of `person` against `shared`, reading the person and their grants.
pub(crate) fn compile(shared: &Arc<Shared>, tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<Principal> {
    let record: Option<Person> = db::get(tx, org_keys::person(person).as_bytes())?;
    let Some(record) = record.filter(|p| p.status == PersonStatus::Active) else {
        return Ok(Principal::empty(person, shared.clone()));
    };
    let mut own: Vec<DeptId> = Vec::with_capacity(1 + record.posts.len());
    own.push(record.dept);
    own.extend(record.posts.iter().map(|p| p.dept));
    own.sort();
    own.dedup();

    let grants = grants_of(tx, person)?;
    let closures: Vec<_> =
        grants.iter().filter_map(|g| Some((g, shared.roles.closure(&g.role)?, shared.roles.role(&g.role)?))).collect();
    let holder = shared.sod && closures.iter().any(|(_, c, _)| c.held & held::SOD != 0);

    let mut builders: Vec<Option<ReachBuilder>> = vec![None; catalogue::len()];
    for (grant, closure, role) in &closures {
        let reach = grant_reach(&shared.tree, &role.data_scope, grant.limit_to_dept, &own);
        for i in closure.perms.iter() {
            // 三员分立: the holders of the three roles never act on business data.
            if holder && catalogue::def(i).is_some_and(|d| d.category == PermCategory::Business) {
                continue;
            }
            if let Some(slot) = builders.get_mut(i) {
                slot.get_or_insert_with(ReachBuilder::default).merge(&reach);
            }
        }
    }
    Ok(assemble(person, shared.clone(), builders))
}

fn assemble(person: PersonId, shared: Arc<Shared>, builders: Vec<Option<ReachBuilder>>) -> Principal {
    let mut reaches: Vec<Reach> = Vec::new();
    let mut seen: FxHashMap<Reach, u16> = FxHashMap::default();
    let mut slots = vec![NONE; builders.len()];
    for (i, b) in builders.into_iter().enumerate() {
        let Some(b) = b else { continue };
        let reach = b.finish();
        let slot = match seen.get(&reach) {
            Some(s) => *s,
            None => {
                // Distinct reaches are bounded by the catalogue's size, far below `NONE`.
                let s = u16::try_from(reaches.len()).unwrap_or(NONE - 1).min(NONE - 1);
                seen.insert(reach.clone(), s);
                reaches.push(reach);
                s
            }
        };
        slots[i] = slot;
    }
    // Trailing permissions not held need no slot.
    while slots.last() == Some(&NONE) {
        slots.pop();
    }
    Principal { person, shared, slots: slots.into(), reaches: reaches.into() }
}

/// The grants of `person`, through the person index.
pub(crate) fn grants_of(tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<Vec<Grant>> {
    let prefix = keys::grants_of_person(person);
    let entries = tx.scan(&KeyRange::prefix(prefix.as_bytes()), Direction::Forward, usize::MAX)?;
    let mut out = Vec::with_capacity(entries.len());
    for (k, _) in entries {
        let Some(id) = trailing_id(&k) else { continue };
        if let Some(g) = db::get::<Grant>(tx, keys::grant(GrantId(id)).as_bytes())? {
            out.push(g);
        }
    }
    Ok(out)
}

/// The permission version stored in the office.
pub(crate) fn read_version(tx: &mut dyn ReadTxn) -> OaResult<Version> {
    match tx.get(keys::version().as_bytes())? {
        None => Ok(Version::default()),
        Some(raw) => Version::from_bytes(&raw)
            .ok_or_else(|| OaError::IncompatibleStore("unreadable permission version record".into())),
    }
}

/// Marks every compiled principal stale; called in the transaction of any change to roles,
/// grants, people's departments, status or posts, the department tree, or separation of duties,
/// after the change (see [`VersionCache`]).
pub(crate) fn bump_version(tx: &mut dyn WriteTxn) -> OaResult<()> {
    static MIX: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
    let current = read_version(tx.as_read())?;
    let mut random = [0u8; 8];
    // Without entropy the process-wide counter still keeps stamps apart within this process.
    let _ = getrandom::fill(&mut random);
    let stamp = u64::from_le_bytes(random) ^ MIX.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
    let next = Version { counter: current.counter.wrapping_add(1), stamp };
    tx.put(keys::version().as_bytes(), &next.to_bytes())?;
    Ok(())
}

/// Values computed from records that the permission version covers (roles, grants, people's
/// departments, status and posts, the department tree), kept by the version they were
/// computed at.
///
/// A lookup reads the version in the caller's transaction and serves only a value computed at
/// that same version: every change to what the value was computed from bumps the version in its
/// own transaction, so a value kept for the version just read is what computing it again would
/// give. A version carries a random stamp, so versions of different offices never meet and one
/// cache serves every office of the process; a store that has no version yet (never
/// initialised) is computed afresh every time. A transaction that changes what the version
/// covers bumps it after its changes (as every change does), so a value it computes afterwards,
/// kept under its new version, is what that version holds if it commits; if it rolls back, no
/// one reads that version. Bounded by count: when full, the cache empties.
pub(crate) struct VersionCache<K, V> {
    limit: usize,
    entries: RwLock<FxHashMap<(Version, K), V>>,
}

impl<K: Eq + std::hash::Hash, V: Clone> VersionCache<K, V> {
    /// A cache of at most `limit` values.
    pub(crate) fn new(limit: usize) -> Self {
        VersionCache { limit, entries: RwLock::new(FxHashMap::default()) }
    }

    /// The value for `key` at the version `tx` reads, computed by `compute` over `tx` unless
    /// kept.
    pub(crate) fn get_or_compute(
        &self,
        tx: &mut dyn ReadTxn,
        key: K,
        compute: impl FnOnce(&mut dyn ReadTxn) -> OaResult<V>,
    ) -> OaResult<V> {
        let version = read_version(tx)?;
        if version == Version::default() {
            return compute(tx);
        }
        let key = (version, key);
        if let Some(v) = self.entries.read().get(&key) {
            return Ok(v.clone());
        }
        let value = compute(tx)?;
        let mut entries = self.entries.write();
        if entries.len() >= self.limit {
            entries.clear();
        }
        entries.insert(key, value.clone());
        Ok(value)
    }
}

/// How many principals the cache keeps before it starts over (a bound on memory in very large
/// offices; a miss costs one compilation).
const CACHE_LIMIT: usize = 200_000;

#[derive(Debug, Default)]
struct CacheState {
    shared: Option<Arc<Shared>>,
    principals: FxHashMap<PersonId, Arc<Principal>>,
}

/// Compiled principals by person, valid while the permission version is unchanged.
#[derive(Debug, Default)]
pub(crate) struct PrincipalCache {
    state: RwLock<CacheState>,
}

impl PrincipalCache {
    /// The compiled principal of `person`, from the cache when still current.
    pub(crate) fn principal(&self, tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<Arc<Principal>> {
        self.principal_with(tx, person, &|tx| Ok(crate::admin::params::load(tx)?.separation_of_duties))
    }

    /// [`PrincipalCache::principal`] with separation of duties read by `sod` (tests give it
    /// directly).
    pub(crate) fn principal_with(
        &self,
        tx: &mut dyn ReadTxn,
        person: PersonId,
        sod: &dyn Fn(&mut dyn ReadTxn) -> OaResult<bool>,
    ) -> OaResult<Arc<Principal>> {
        let version = read_version(tx)?;
        let shared = {
            let state = self.state.read();
            match &state.shared {
                Some(s) if s.version == version => {
                    if let Some(p) = state.principals.get(&person) {
                        return Ok(p.clone());
                    }
                    Some(s.clone())
                }
                _ => None,
            }
        };
        let shared = match shared {
            Some(s) => s,
            None => {
                let sod = sod(tx)?;
                Arc::new(Shared::load(tx, version, sod)?)
            }
        };
        let principal = Arc::new(compile(&shared, tx, person)?);
        let mut state = self.state.write();
        match &state.shared {
            Some(s) if s.version == version => {}
            // A reader on an older snapshot must not push the cache back.
            Some(s) if s.version.counter > version.counter => return Ok(principal),
            _ => {
                state.shared = Some(shared);
                state.principals.clear();
            }
        }
        if state.principals.len() >= CACHE_LIMIT {
            state.principals.clear();
        }
        state.principals.insert(person, principal.clone());
        Ok(principal)
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Hooks for the module's tests.
    use super::*;

    /// Compiles `person` afresh (no cache), with separation of duties given.
    pub(crate) fn compile_fresh(tx: &mut dyn ReadTxn, person: PersonId, sod: bool) -> OaResult<Principal> {
        let version = read_version(tx)?;
        let shared = Arc::new(Shared::load(tx, version, sod)?);
        compile(&shared, tx, person)
    }
}
