//! Unit tests of permissions, over memory-store transactions directly.

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, TimeZone, Utc};
use oa_storage::{MemoryStore, StoreExt, WriteTxn};
use proptest::prelude::*;

use super::model::*;
use super::principal::{bump_version, testing, Principal, PrincipalCache};
use super::scope::ScopeFilter;
use super::store;
use crate::db;
use crate::id::Id;
use crate::org::{keys as org_keys, Department, DeptId, DeptStatus, OrgTree, Person, PersonId, PersonStatus, Post};
use crate::{OaError, OaResult};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap_or_default()
}

fn dept_id(n: u128) -> DeptId {
    DeptId(Id(0x1000 + n))
}

fn person_id(n: u128) -> PersonId {
    PersonId(Id(0x2000 + n))
}

fn put_dept(tx: &mut dyn WriteTxn, id: DeptId, name: &str, parent: Option<DeptId>, order: i64) {
    let d = Department {
        id,
        name: name.into(),
        code: None,
        parent,
        sort_order: order,
        head: None,
        status: DeptStatus::Active,
        created_at: now(),
        updated_at: now(),
    };
    db::put(tx, org_keys::dept(id).as_bytes(), &d).unwrap();
}

fn put_person(tx: &mut dyn WriteTxn, id: PersonId, login: &str, dept: DeptId, posts: &[DeptId], status: PersonStatus) {
    let p = Person {
        id,
        login: login.into(),
        name: login.into(),
        email: None,
        phone: None,
        dept,
        position: None,
        superior: None,
        posts: posts.iter().map(|d| Post { dept: *d, position: None }).collect(),
        status,
        created_at: now(),
        updated_at: now(),
    };
    db::put(tx, org_keys::person(id).as_bytes(), &p).unwrap();
}

/// The office of the tests:
///
/// ```text
/// HQ(0)
/// ├── Sales(1)
/// │   ├── North(2)
/// │   └── South(3)
/// └── Finance(4)
///     └── Treasury(5)
/// ```
/// People: alice in Sales with a post in Treasury, bob in North, carol in Finance, dave in HQ.
struct Office {
    store: MemoryStore,
}

const HQ: u128 = 0;
const SALES: u128 = 1;
const NORTH: u128 = 2;
const SOUTH: u128 = 3;
const FINANCE: u128 = 4;
const TREASURY: u128 = 5;
const ALICE: u128 = 1;
const BOB: u128 = 2;
const CAROL: u128 = 3;
const DAVE: u128 = 4;

impl Office {
    fn new() -> Office {
        let store = MemoryStore::new();
        store
            .write(|tx| {
                put_dept(tx, dept_id(HQ), "HQ", None, 0);
                put_dept(tx, dept_id(SALES), "Sales", Some(dept_id(HQ)), 1);
                put_dept(tx, dept_id(NORTH), "North", Some(dept_id(SALES)), 1);
                put_dept(tx, dept_id(SOUTH), "South", Some(dept_id(SALES)), 2);
                put_dept(tx, dept_id(FINANCE), "Finance", Some(dept_id(HQ)), 2);
                put_dept(tx, dept_id(TREASURY), "Treasury", Some(dept_id(FINANCE)), 1);
                put_person(tx, person_id(ALICE), "alice", dept_id(SALES), &[dept_id(TREASURY)], PersonStatus::Active);
                put_person(tx, person_id(BOB), "bob", dept_id(NORTH), &[], PersonStatus::Active);
                put_person(tx, person_id(CAROL), "carol", dept_id(FINANCE), &[], PersonStatus::Active);
                put_person(tx, person_id(DAVE), "dave", dept_id(HQ), &[], PersonStatus::Active);
                store::install_builtin_roles(tx, now(), false)
            })
            .unwrap();
        Office { store }
    }

    fn write<T>(&self, mut f: impl FnMut(&mut dyn WriteTxn) -> OaResult<T>) -> OaResult<T> {
        self.store.write(|tx| f(tx))
    }

    fn role(&self, code: &str, perms: &[&str], inherits: &[&str], scope: DataScope) -> OaResult<Role> {
        let input = NewRole {
            code: code.into(),
            name: format!("Role {code}"),
            description: String::new(),
            permissions: perms.iter().map(|s| s.to_string()).collect(),
            inherits: inherits.iter().map(|s| s.to_string()).collect(),
            data_scope: scope,
        };
        self.write(|tx| store::create_role(tx, now(), input.clone()))
    }

    fn set_inherits(&self, code: &str, inherits: &[&str]) -> OaResult<Role> {
        let patch =
            RolePatch { inherits: Some(inherits.iter().map(|s| s.to_string()).collect()), ..RolePatch::default() };
        self.write(|tx| store::update_role(tx, now(), code, patch.clone(), false))
    }

    fn grant_sod(&self, person: u128, role: &str, limit: Option<u128>, sod: bool) -> OaResult<Grant> {
        let input = NewGrant { person: person_id(person), role: role.into(), limit_to_dept: limit.map(dept_id) };
        self.write(|tx| {
            let id = GrantId(crate::id::IdGen::default().next(now()));
            store::grant(tx, now(), id, input.clone(), None, sod)
        })
    }

    fn grant(&self, person: u128, role: &str, limit: Option<u128>) -> Grant {
        self.grant_sod(person, role, limit, false).unwrap()
    }

    fn principal_sod(&self, person: u128, sod: bool) -> Principal {
        self.store.read(|tx| testing::compile_fresh(tx, person_id(person), sod)).unwrap()
    }

    fn principal(&self, person: u128) -> Principal {
        self.principal_sod(person, false)
    }

    fn tree(&self) -> OrgTree {
        self.store.read(|tx| OrgTree::load(tx)).unwrap()
    }
}

fn field_paths(e: &OaError) -> Vec<String> {
    e.field_errors().iter().map(|f| f.path.clone()).collect()
}

fn message(e: &OaError) -> String {
    e.to_string()
}

// ---- roles: validation, inheritance, cycles ----------------------------------------------------

#[test]
fn a_role_inheriting_itself_is_a_cycle() {
    let o = Office::new();
    let e = o.role("a", &["org.dept.read"], &["a"], DataScope::All).unwrap_err();
    assert_eq!(field_paths(&e), vec!["inherits"]);
    assert!(message(&e).contains("`a` → `a`"), "{e}");
}

#[test]
fn a_direct_cycle_is_refused_and_named() {
    let o = Office::new();
    o.role("a", &["org.dept.read"], &[], DataScope::All).unwrap();
    o.role("b", &[], &["a"], DataScope::All).unwrap();
    let e = o.set_inherits("a", &["b"]).unwrap_err();
    assert_eq!(e.code(), "validation");
    assert!(message(&e).contains("`a` → `b` → `a`"), "{e}");
    // Nothing was written.
    assert!(o.store.read(|tx| store::require_role(tx, "a")).unwrap().inherits.is_empty());
}

#[test]
fn an_indirect_cycle_is_refused_and_named() {
    let o = Office::new();
    o.role("a", &["org.dept.read"], &[], DataScope::All).unwrap();
    o.role("b", &[], &["a"], DataScope::All).unwrap();
    o.role("c", &[], &["b"], DataScope::All).unwrap();
    o.role("d", &[], &[], DataScope::All).unwrap();
    let e = o.set_inherits("a", &["d", "c"]).unwrap_err();
    assert!(message(&e).contains("`a` → `c` → `b` → `a`"), "{e}");
    // A diamond is not a cycle.
    o.set_inherits("d", &["b", "c"]).unwrap();
}

#[test]
fn inheritance_is_transitive_and_takes_the_granted_role_scope() {
    let o = Office::new();
    o.role("reader", &["org.dept.read"], &[], DataScope::All).unwrap();
    o.role("clerk", &["org.person.read"], &["reader"], DataScope::All).unwrap();
    o.role("lead", &["org.person.update"], &["clerk"], DataScope::OwnDept).unwrap();
    o.grant(BOB, "lead", None);
    let p = o.principal(BOB);
    for perm in ["org.dept.read", "org.person.read", "org.person.update"] {
        assert!(p.allows(perm), "{perm}");
        // Every permission reaches what `lead` reaches: bob's own department only.
        assert!(p.allows_on(perm, Some(dept_id(NORTH)), None), "{perm}");
        assert!(!p.allows_on(perm, Some(dept_id(SALES)), None), "{perm}");
    }
    assert!(!p.allows("org.dept.create"));
    assert_eq!(p.permissions(), vec!["org.dept.read", "org.person.read", "org.person.update"]);
}

#[test]
fn unknown_permissions_roles_and_departments_name_their_fields() {
    let o = Office::new();
    let input = NewRole {
        code: "Bad Code".into(),
        name: " ".into(),
        description: String::new(),
        permissions: vec!["org.dept.read".into(), "org.dept.nuke".into()],
        inherits: vec!["ghost".into()],
        data_scope: DataScope::Depts { depts: vec![dept_id(99)] },
    };
    let e = o.write(|tx| store::create_role(tx, now(), input.clone())).unwrap_err();
    assert_eq!(field_paths(&e), vec!["code", "name", "permissions[1]", "inherits[0]", "data_scope.depts[0]"]);
    assert!(message(&e).contains("unknown permission `org.dept.nuke`"), "{e}");
    assert!(message(&e).contains("unknown role `ghost`"), "{e}");

    let e = o.role("x", &[], &[], DataScope::Depts { depts: vec![] }).unwrap_err();
    assert_eq!(field_paths(&e), vec!["data_scope.depts"]);
    let long = "a".repeat(65);
    assert_eq!(field_paths(&o.role(&long, &[], &[], DataScope::All).unwrap_err()), vec!["code"]);
    o.role("ok_1", &[], &[], DataScope::All).unwrap();
    let e = o.role("ok_1", &[], &[], DataScope::All).unwrap_err();
    assert!(message(&e).contains("already exists"), "{e}");

    // A check of an unknown name is simply not allowed.
    o.grant(ALICE, ROLE_ADMIN, None);
    assert!(!o.principal(ALICE).allows("org.dept.nuke"));
}

#[test]
fn built_in_roles_follow_the_catalogue_and_are_protected() {
    let o = Office::new();
    let admin = o.store.read(|tx| store::require_role(tx, ROLE_ADMIN)).unwrap();
    assert_eq!(admin.permissions.len(), super::catalogue::all().count());
    let auditor = o.store.read(|tx| store::require_role(tx, ROLE_AUDITOR)).unwrap();
    assert_eq!(auditor.permissions, vec!["audit.log.read", "audit.log.verify"]);

    let patch = RolePatch { permissions: Some(vec![]), inherits: Some(vec![]), ..RolePatch::default() };
    let e = o.write(|tx| store::update_role(tx, now(), ROLE_AUDITOR, patch.clone(), false)).unwrap_err();
    assert_eq!(field_paths(&e), vec!["permissions", "inherits"]);
    let renamed = RolePatch { name: Some("审计员".into()), ..RolePatch::default() };
    assert_eq!(
        o.write(|tx| store::update_role(tx, now(), ROLE_AUDITOR, renamed.clone(), false)).unwrap().name,
        "审计员"
    );

    let e = o.write(|tx| store::delete_role(tx, ROLE_SYS_ADMIN)).unwrap_err();
    assert_eq!(e.code(), "invalid_state");
}

#[test]
fn a_role_in_use_cannot_be_deleted_and_the_error_says_by_whom() {
    let o = Office::new();
    o.role("base", &["org.dept.read"], &[], DataScope::All).unwrap();
    o.role("child", &[], &["base"], DataScope::All).unwrap();
    let g = o.grant(BOB, "base", None);
    let e = o.write(|tx| store::delete_role(tx, "base")).unwrap_err();
    assert_eq!(e.code(), "invalid_state");
    assert!(message(&e).contains("granted to `bob`"), "{e}");
    assert!(message(&e).contains("inherited by `child`"), "{e}");

    o.write(|tx| store::revoke(tx, g.id)).unwrap();
    o.write(|tx| store::delete_role(tx, "child")).unwrap();
    o.write(|tx| store::delete_role(tx, "base")).unwrap();
    let e = o.store.read(|tx| store::require_role(tx, "base")).unwrap_err();
    assert_eq!(e.code(), "not_found");
}

// ---- grants -----------------------------------------------------------------------------------

#[test]
fn grants_of_unknown_things_are_typed_errors() {
    let o = Office::new();
    o.role("r", &["org.dept.read"], &[], DataScope::All).unwrap();
    let kind = |e: OaError| match e {
        OaError::NotFound { kind, .. } => kind,
        other => panic!("expected not_found, got {other}"),
    };
    assert_eq!(kind(o.grant_sod(BOB, "ghost", None, false).unwrap_err()), "role");
    assert_eq!(kind(o.grant_sod(77, "r", None, false).unwrap_err()), "person");
    assert_eq!(kind(o.grant_sod(BOB, "r", Some(77), false).unwrap_err()), "department");
    o.grant(BOB, "r", None);
    assert_eq!(o.grant_sod(BOB, "r", None, false).unwrap_err().code(), "invalid_state");
    // The same role limited elsewhere is another grant.
    o.grant(BOB, "r", Some(SALES));
}

#[test]
fn revoking_removes_the_grant_and_its_indexes() {
    let o = Office::new();
    o.role("r", &["org.dept.read"], &[], DataScope::All).unwrap();
    let g = o.grant(BOB, "r", None);
    assert!(o.principal(BOB).allows("org.dept.read"));
    o.write(|tx| store::revoke(tx, g.id)).unwrap();
    assert!(!o.principal(BOB).allows("org.dept.read"));
    assert!(o.store.read(|tx| super::principal::grants_of(tx, person_id(BOB))).unwrap().is_empty());
    assert_eq!(o.write(|tx| store::revoke(tx, g.id)).unwrap_err().code(), "not_found");
    o.write(|tx| store::delete_role(tx, "r")).unwrap();
}

#[test]
fn disabled_and_departed_people_hold_nothing() {
    let o = Office::new();
    o.grant(BOB, ROLE_ADMIN, None);
    assert!(o.principal(BOB).allows("org.dept.read"));
    o.write(|tx| {
        put_person(tx, person_id(BOB), "bob", dept_id(NORTH), &[], PersonStatus::Disabled);
        bump_version(tx)
    })
    .unwrap();
    assert!(!o.principal(BOB).allows("org.dept.read"));
    assert!(o.principal(BOB).permissions().is_empty());
    o.write(|tx| {
        put_person(tx, person_id(BOB), "bob", dept_id(NORTH), &[], PersonStatus::Left);
        Ok(())
    })
    .unwrap();
    assert!(!o.principal(BOB).allows("org.dept.read"));
    assert_eq!(o.grant_sod(BOB, "sys_admin", None, false).unwrap_err().code(), "invalid_state");
    // Nobody at all.
    assert!(!o.principal(99).allows("org.dept.read"));
}

// ---- data scopes ------------------------------------------------------------------------------

const ALL_DEPTS: [u128; 6] = [HQ, SALES, NORTH, SOUTH, FINANCE, TREASURY];

/// The departments `person` reaches for `org.person.read` with one grant of a role of `scope`
/// limited to `limit`, and whether a record they own with no department is reached.
fn reach_of(scope: DataScope, limit: Option<u128>, person: u128) -> (BTreeSet<u128>, bool) {
    let o = Office::new();
    o.role("r", &["org.person.read"], &[], scope).unwrap();
    o.grant(person, "r", limit);
    let p = o.principal(person);
    let depts = ALL_DEPTS.iter().copied().filter(|d| p.allows_on("org.person.read", Some(dept_id(*d)), None)).collect();
    (depts, p.allows_on("org.person.read", None, Some(person_id(person))))
}

fn set(v: &[u128]) -> BTreeSet<u128> {
    v.iter().copied().collect()
}

#[test]
fn scope_all() {
    assert_eq!(reach_of(DataScope::All, None, BOB), (set(&ALL_DEPTS), true));
    assert_eq!(reach_of(DataScope::All, Some(SALES), BOB), (set(&[SALES, NORTH, SOUTH]), false));
    assert_eq!(reach_of(DataScope::All, Some(SOUTH), BOB), (set(&[SOUTH]), false));
}

#[test]
fn scope_chosen_departments() {
    let chosen = || DataScope::Depts { depts: vec![dept_id(SALES), dept_id(TREASURY)] };
    assert_eq!(reach_of(chosen(), None, BOB), (set(&[SALES, TREASURY]), false));
    assert_eq!(reach_of(chosen(), Some(FINANCE), BOB), (set(&[TREASURY]), false));
    assert_eq!(reach_of(chosen(), Some(NORTH), BOB), (set(&[]), false));
    assert_eq!(reach_of(chosen(), Some(HQ), BOB), (set(&[SALES, TREASURY]), false));
}

#[test]
fn scope_own_department_counts_part_time_posts() {
    // alice: Sales, with a post in Treasury.
    assert_eq!(reach_of(DataScope::OwnDept, None, ALICE), (set(&[SALES, TREASURY]), false));
    assert_eq!(reach_of(DataScope::OwnDept, Some(FINANCE), ALICE), (set(&[TREASURY]), false));
    assert_eq!(reach_of(DataScope::OwnDept, Some(NORTH), ALICE), (set(&[]), false));
    assert_eq!(reach_of(DataScope::OwnDept, None, BOB), (set(&[NORTH]), false));
}

#[test]
fn scope_own_department_and_below() {
    assert_eq!(reach_of(DataScope::OwnDeptAndBelow, None, ALICE), (set(&[SALES, NORTH, SOUTH, TREASURY]), false));
    // The limit inside the own subtree narrows it; a limit above it leaves it whole.
    assert_eq!(reach_of(DataScope::OwnDeptAndBelow, Some(SOUTH), ALICE), (set(&[SOUTH]), false));
    assert_eq!(reach_of(DataScope::OwnDeptAndBelow, Some(HQ), ALICE), (set(&[SALES, NORTH, SOUTH, TREASURY]), false));
    assert_eq!(reach_of(DataScope::OwnDeptAndBelow, Some(FINANCE), ALICE), (set(&[TREASURY]), false));
    assert_eq!(reach_of(DataScope::OwnDeptAndBelow, None, DAVE), (set(&ALL_DEPTS), false));
}

#[test]
fn scope_self_only() {
    let o = Office::new();
    o.role("mine", &["org.person.read"], &[], DataScope::SelfOnly).unwrap();
    o.role("mine_limited", &["org.person.update"], &[], DataScope::SelfOnly).unwrap();
    o.grant(BOB, "mine", None);
    o.grant(BOB, "mine_limited", Some(SALES));
    let p = o.principal(BOB);
    let (me, other) = (Some(person_id(BOB)), Some(person_id(CAROL)));
    assert!(p.allows_on("org.person.read", None, me));
    assert!(p.allows_on("org.person.read", Some(dept_id(FINANCE)), me));
    assert!(!p.allows_on("org.person.read", Some(dept_id(NORTH)), other));
    assert!(!p.allows_on("org.person.read", None, None));
    // Limited to Sales: bob's own records inside Sales only.
    assert!(p.allows_on("org.person.update", Some(dept_id(SOUTH)), me));
    assert!(!p.allows_on("org.person.update", Some(dept_id(FINANCE)), me));
    assert!(!p.allows_on("org.person.update", None, me));
    assert!(!p.allows_on("org.person.update", Some(dept_id(SOUTH)), other));
}

#[test]
fn reaches_of_several_grants_add_up() {
    let o = Office::new();
    o.role("approver", &["org.person.update"], &[], DataScope::All).unwrap();
    o.role("own", &["org.person.update", "org.dept.read"], &[], DataScope::OwnDept).unwrap();
    o.grant(BOB, "approver", Some(FINANCE));
    o.grant(BOB, "own", None);
    let p = o.principal(BOB);
    let reached: BTreeSet<u128> =
        ALL_DEPTS.iter().copied().filter(|d| p.allows_on("org.person.update", Some(dept_id(*d)), None)).collect();
    assert_eq!(reached, set(&[NORTH, FINANCE, TREASURY]));
    let reached: BTreeSet<u128> =
        ALL_DEPTS.iter().copied().filter(|d| p.allows_on("org.dept.read", Some(dept_id(*d)), None)).collect();
    assert_eq!(reached, set(&[NORTH]));
}

#[test]
fn require_on_says_why() {
    let o = Office::new();
    o.role("r", &["org.person.read"], &[], DataScope::OwnDept).unwrap();
    o.grant(BOB, "r", None);
    let p = o.principal(BOB);
    assert!(p.require("org.person.read").is_ok());
    assert!(p.require_on("org.person.read", Some(dept_id(NORTH)), None).is_ok());
    match p.require_on("org.person.read", Some(dept_id(SOUTH)), None) {
        Err(OaError::PermissionDenied { permission, reason }) => {
            assert_eq!(permission, "org.person.read");
            assert!(reason.is_some_and(|r| r.contains("outside")));
        }
        other => panic!("expected a denial, got {other:?}"),
    }
    match p.require("org.person.create") {
        Err(OaError::PermissionDenied { permission, reason: None }) => assert_eq!(permission, "org.person.create"),
        other => panic!("expected a denial, got {other:?}"),
    }
}

#[test]
fn scope_filters_agree_with_checks() {
    let o = Office::new();
    o.role("a", &["org.person.read"], &[], DataScope::Depts { depts: vec![dept_id(SALES)] }).unwrap();
    o.role("b", &["org.person.read"], &[], DataScope::OwnDeptAndBelow).unwrap();
    o.role("c", &["org.person.read"], &[], DataScope::SelfOnly).unwrap();
    o.grant(ALICE, "a", None);
    o.grant(ALICE, "b", Some(FINANCE));
    o.grant(ALICE, "c", Some(NORTH));
    let p = o.principal(ALICE);
    let f = p.scope("org.person.read");
    assert_eq!(f.depts, vec![dept_id(SALES)]);
    assert_eq!(f.subtrees, vec![dept_id(TREASURY)]);
    assert_eq!(f.persons_within.len(), 1);
    let tree = o.tree();
    for d in ALL_DEPTS.iter().map(|d| Some(dept_id(*d))).chain([None]) {
        for owner in [Some(person_id(ALICE)), Some(person_id(BOB)), None] {
            assert_eq!(f.covers(&tree, d, owner), p.allows_on("org.person.read", d, owner), "{d:?} {owner:?}");
        }
    }
    assert_eq!(f.departments(&tree), vec![dept_id(SALES), dept_id(TREASURY)]);
    assert!(p.scope("org.dept.create").is_empty());
    o.grant(BOB, ROLE_ADMIN, None);
    let all = o.principal(BOB).scope("org.person.read");
    assert_eq!(all, ScopeFilter::everything());
    assert_eq!(all.departments(&tree).len(), ALL_DEPTS.len());
}

// ---- the cache --------------------------------------------------------------------------------

#[test]
fn the_cache_serves_until_the_version_moves() {
    let o = Office::new();
    let cache = PrincipalCache::default();
    let no_sod = |_: &mut dyn oa_storage::ReadTxn| -> OaResult<bool> { Ok(false) };
    let get = |cache: &PrincipalCache| -> Arc<Principal> {
        o.store.read(|tx| cache.principal_with(tx, person_id(BOB), &no_sod)).unwrap()
    };
    o.role("r", &["org.dept.read"], &[], DataScope::All).unwrap();
    let first = get(&cache);
    assert!(!first.allows("org.dept.read"));
    assert!(Arc::ptr_eq(&first, &get(&cache)), "a second call is served from the cache");

    // A grant written without bumping the version is not seen: the cache trusts the version.
    let id = GrantId(Id(42));
    o.write(|tx| {
        let g = Grant {
            id,
            person: person_id(BOB),
            role: "r".into(),
            limit_to_dept: None,
            granted_at: now(),
            granted_by: None,
        };
        db::put(tx, keys::grant(id).as_bytes(), &g)?;
        tx.put(keys::grant_by_person(g.person, id).as_bytes(), &[])?;
        Ok(())
    })
    .unwrap();
    assert!(!get(&cache).allows("org.dept.read"));
    o.write(|tx| bump_version(tx)).unwrap();
    let after = get(&cache);
    assert!(after.allows("org.dept.read"));
    assert!(!Arc::ptr_eq(&first, &after));

    // A department move (the tree changes) bumps too and moves the reach.
    o.write(|tx| {
        store::update_role(
            tx,
            now(),
            "r",
            RolePatch { data_scope: Some(DataScope::OwnDept), ..RolePatch::default() },
            false,
        )
    })
    .unwrap();
    assert!(get(&cache).allows_on("org.dept.read", Some(dept_id(NORTH)), None));
    o.write(|tx| {
        put_person(tx, person_id(BOB), "bob", dept_id(SOUTH), &[], PersonStatus::Active);
        bump_version(tx)
    })
    .unwrap();
    let moved = get(&cache);
    assert!(!moved.allows_on("org.dept.read", Some(dept_id(NORTH)), None));
    assert!(moved.allows_on("org.dept.read", Some(dept_id(SOUTH)), None));
}

#[test]
fn a_version_seen_in_a_rolled_back_transaction_is_never_reused() {
    let o = Office::new();
    let cache = PrincipalCache::default();
    let no_sod = |_: &mut dyn oa_storage::ReadTxn| -> OaResult<bool> { Ok(false) };
    o.role("r", &["org.dept.read"], &[], DataScope::All).unwrap();
    // Inside a transaction that fails: grant, compile (cached under the new version), abort.
    let r: OaResult<()> = o.write(|tx| {
        let id = GrantId(Id(7));
        store::grant(
            tx,
            now(),
            id,
            NewGrant { person: person_id(BOB), role: "r".into(), limit_to_dept: None },
            None,
            false,
        )?;
        assert!(cache.principal_with(tx.as_read(), person_id(BOB), &no_sod)?.allows("org.dept.read"));
        Err(OaError::InvalidState("roll back".into()))
    });
    assert!(r.is_err());
    // A committed change that reaches the same counter must not be served the rolled-back
    // principal.
    o.role("other", &["org.person.read"], &[], DataScope::All).unwrap();
    let p = o.store.read(|tx| cache.principal_with(tx, person_id(BOB), &no_sod)).unwrap();
    assert!(!p.allows("org.dept.read"));
}

// ---- separation of duties (三员分立) -----------------------------------------------------------

#[test]
fn nobody_holds_two_of_the_three_roles() {
    let o = Office::new();
    o.grant_sod(ALICE, ROLE_SYS_ADMIN, None, true).unwrap();
    let e = o.grant_sod(ALICE, ROLE_AUDITOR, None, true).unwrap_err();
    assert_eq!(field_paths(&e), vec!["role"]);
    assert!(message(&e).contains("`alice` would hold `sys_admin`, `auditor`"), "{e}");
    // Nor through a custom role that inherits one.
    o.role("wrapper", &[], &[ROLE_SEC_ADMIN], DataScope::All).unwrap();
    assert!(o.grant_sod(ALICE, "wrapper", None, true).is_err());
    // The same role again, limited elsewhere, is not a second role.
    o.grant_sod(ALICE, ROLE_SYS_ADMIN, Some(SALES), true).unwrap();
    // Without the option it is allowed.
    o.grant_sod(ALICE, ROLE_AUDITOR, None, false).unwrap();
}

#[test]
fn admin_is_not_granted_under_separation_of_duties() {
    let o = Office::new();
    let e = o.grant_sod(BOB, ROLE_ADMIN, None, true).unwrap_err();
    assert!(message(&e).contains("`admin`"), "{e}");
}

#[test]
fn the_three_roles_do_not_act_on_business_data() {
    let o = Office::new();
    o.role("clerk", &["demo.record.read"], &[], DataScope::All).unwrap();
    o.grant_sod(ALICE, ROLE_SEC_ADMIN, None, true).unwrap();
    let e = o.grant_sod(ALICE, "clerk", None, true).unwrap_err();
    assert!(message(&e).contains("business"), "{e}");
    o.grant_sod(BOB, "clerk", None, true).unwrap();
    let e = o.grant_sod(BOB, ROLE_AUDITOR, None, true).unwrap_err();
    assert!(message(&e).contains("through `clerk`"), "{e}");

    // Granted before the option was on: refused at check time.
    o.grant_sod(CAROL, ROLE_SYS_ADMIN, None, false).unwrap();
    o.grant_sod(CAROL, "clerk", None, false).unwrap();
    assert!(o.principal_sod(CAROL, false).allows("demo.record.read"));
    let p = o.principal_sod(CAROL, true);
    assert!(!p.allows("demo.record.read"));
    assert!(p.allows("org.dept.create"));
}

#[test]
fn audit_permissions_come_only_through_the_auditor() {
    let o = Office::new();
    o.role("peek", &["audit.log.read", "org.dept.read"], &[], DataScope::All).unwrap();
    let e = o.grant_sod(BOB, "peek", None, true).unwrap_err();
    assert!(message(&e).contains("`peek`") && message(&e).contains("`auditor`"), "{e}");
    o.role("peek2", &[], &["peek"], DataScope::All).unwrap();
    assert!(o.grant_sod(BOB, "peek2", None, true).is_err());

    // Granted before the option was on: audit permissions stop counting, the rest stays.
    o.grant_sod(BOB, "peek", None, false).unwrap();
    assert!(o.principal_sod(BOB, false).allows("audit.log.read"));
    let p = o.principal_sod(BOB, true);
    assert!(!p.allows("audit.log.read"));
    assert!(p.allows("org.dept.read"));
    // The auditor still reads the log, and `admin` (if still held) does not.
    o.grant_sod(CAROL, ROLE_AUDITOR, None, true).unwrap();
    assert!(o.principal_sod(CAROL, true).allows("audit.log.read"));
    o.grant(DAVE, ROLE_ADMIN, None);
    assert!(!o.principal_sod(DAVE, true).allows("audit.log.verify"));
    assert!(o.principal_sod(DAVE, false).allows("audit.log.verify"));
}

#[test]
fn turning_separation_of_duties_on_names_who_is_in_the_way() {
    let o = Office::new();
    o.store.read(|tx| store::check_separation_of_duties(tx)).unwrap();
    o.grant(DAVE, ROLE_ADMIN, None);
    o.grant(ALICE, ROLE_SYS_ADMIN, None);
    o.grant(ALICE, ROLE_SEC_ADMIN, None);
    o.grant(BOB, ROLE_AUDITOR, None);
    let e = o.store.read(|tx| store::check_separation_of_duties(tx)).unwrap_err();
    assert_eq!(field_paths(&e), vec!["security.separation_of_duties", "security.separation_of_duties"]);
    let m = message(&e);
    assert!(m.contains("`alice` holds `sys_admin`, `sec_admin`"), "{m}");
    assert!(m.contains("`dave` holds `admin`"), "{m}");
    assert!(!m.contains("`bob`"), "{m}");
}

#[test]
fn a_role_change_cannot_break_separation_of_duties() {
    let o = Office::new();
    o.role("helper", &["org.dept.read"], &[], DataScope::All).unwrap();
    o.role("outer", &[], &["helper"], DataScope::All).unwrap();
    o.grant_sod(ALICE, ROLE_SYS_ADMIN, None, true).unwrap();
    o.grant_sod(ALICE, "outer", None, true).unwrap();
    let change = |patch: RolePatch| o.write(|tx| store::update_role(tx, now(), "helper", patch.clone(), true));
    let e = change(RolePatch { inherits: Some(vec![ROLE_AUDITOR.into()]), ..RolePatch::default() }).unwrap_err();
    assert_eq!(field_paths(&e), vec!["inherits"]);
    assert!(message(&e).contains("`alice` would hold `sys_admin`, `auditor`"), "{e}");
    let e =
        change(RolePatch { permissions: Some(vec!["demo.record.read".into()]), ..RolePatch::default() }).unwrap_err();
    assert!(message(&e).contains("business"), "{e}");
    let e = change(RolePatch { permissions: Some(vec!["audit.log.read".into()]), ..RolePatch::default() }).unwrap_err();
    assert!(message(&e).contains("`helper`"), "{e}");
    let e = change(RolePatch { inherits: Some(vec![ROLE_ADMIN.into()]), ..RolePatch::default() }).unwrap_err();
    assert!(message(&e).contains("`admin`"), "{e}");
    // Nothing was written; a harmless change goes through.
    assert_eq!(o.store.read(|tx| store::require_role(tx, "helper")).unwrap().permissions, vec!["org.dept.read"]);
    change(RolePatch {
        permissions: Some(vec!["org.dept.read".into(), "org.person.read".into()]),
        ..RolePatch::default()
    })
    .unwrap();
}

#[test]
fn grant_builtin_refuses_custom_roles() {
    let o = Office::new();
    o.write(|tx| store::grant_builtin(tx, now(), person_id(DAVE), ROLE_ADMIN)).unwrap();
    assert!(o.principal(DAVE).allows("perm.grant.manage"));
    o.role("custom", &[], &[], DataScope::All).unwrap();
    assert!(o.write(|tx| store::grant_builtin(tx, now(), person_id(DAVE), "custom")).is_err());
}

// ---- compiled checks agree with a naive evaluator ---------------------------------------------

/// The permissions the property test draws from (all categories).
const PERMS: [&str; 6] = [
    "org.dept.read",
    "org.person.update",
    "perm.role.read",
    "audit.log.read",
    "demo.record.read",
    "demo.record.approve",
];

#[derive(Debug, Clone)]
struct RoleSpec {
    perms: Vec<usize>,
    inherits: Vec<usize>,
    scope: ScopeSpec,
}

#[derive(Debug, Clone)]
enum ScopeSpec {
    All,
    Depts(Vec<usize>),
    Own,
    OwnBelow,
    SelfOnly,
}

#[derive(Debug, Clone)]
struct World {
    parents: Vec<Option<usize>>,
    roles: Vec<RoleSpec>,
    /// (role: index into custom roles, or 100+i for built-in i), limit.
    grants: Vec<(usize, Option<usize>)>,
    main: usize,
    posts: Vec<usize>,
    sod: bool,
}

const BUILTINS: [&str; 4] = [ROLE_ADMIN, ROLE_SYS_ADMIN, ROLE_SEC_ADMIN, ROLE_AUDITOR];

fn role_code(i: usize) -> String {
    if i >= 100 {
        BUILTINS[i - 100].to_string()
    } else {
        format!("r{i}")
    }
}

fn world() -> impl Strategy<Value = World> {
    (1usize..12).prop_flat_map(|n| {
        let parents = (0..n)
            .map(|i| if i == 0 { Just(None).boxed() } else { proptest::option::weighted(0.9, 0..i).boxed() })
            .collect::<Vec<_>>();
        let scope = prop_oneof![
            Just(ScopeSpec::All),
            proptest::collection::vec(0..n, 1..3).prop_map(ScopeSpec::Depts),
            Just(ScopeSpec::Own),
            Just(ScopeSpec::OwnBelow),
            Just(ScopeSpec::SelfOnly),
        ];
        let roles = proptest::collection::vec(
            (proptest::collection::vec(0..PERMS.len(), 0..4), proptest::collection::vec(0usize..6, 0..3), scope),
            1..6,
        )
        .prop_map(|rs| {
            // Inherit only earlier roles (no cycles), sometimes a built-in one.
            rs.into_iter()
                .enumerate()
                .map(|(i, (perms, inh, scope))| RoleSpec {
                    perms,
                    inherits: inh
                        .into_iter()
                        .filter_map(|j| {
                            if j < i {
                                Some(j)
                            } else if j == 5 {
                                Some(103)
                            } else {
                                None
                            }
                        })
                        .collect(),
                    scope,
                })
                .collect::<Vec<_>>()
        });
        (
            parents,
            roles,
            proptest::collection::vec((0usize..8, proptest::option::of(0..n)), 0..5),
            0..n,
            proptest::collection::vec(0..n, 0..2),
            any::<bool>(),
        )
            .prop_map(|(parents, roles, grants, main, posts, sod)| {
                let grants =
                    grants.into_iter().map(|(r, l)| (if r < roles.len() { r } else { 100 + (r % 4) }, l)).collect();
                World { parents, roles, grants, main, posts, sod }
            })
    })
}

/// The naive reading of the rules, straight from their statement.
struct Naive<'a> {
    w: &'a World,
    tree: OrgTree,
}

impl Naive<'_> {
    fn members(&self, role: usize, out: &mut BTreeSet<usize>) {
        if out.insert(role) && role < 100 {
            for r in &self.w.roles[role].inherits {
                self.members(*r, out);
            }
        }
    }

    fn direct(&self, role: usize) -> Vec<&'static str> {
        if role >= 100 {
            super::graph::builtin_permissions(BUILTINS[role - 100]).unwrap_or_default()
        } else {
            self.w.roles[role].perms.iter().map(|i| PERMS[*i]).collect()
        }
    }

    fn category(p: &str) -> super::catalogue::PermCategory {
        super::catalogue::find(p).map(|d| d.category).unwrap_or(super::catalogue::PermCategory::Business)
    }

    fn holder(&self) -> bool {
        self.w.grants.iter().any(|(r, _)| {
            let mut m = BTreeSet::new();
            self.members(*r, &mut m);
            m.iter().any(|x| (101..=103).contains(x))
        })
    }

    fn gives(&self, role: usize, perm: &str) -> bool {
        use super::catalogue::PermCategory::*;
        let cat = Self::category(perm);
        if self.w.sod && cat == Business && self.holder() {
            return false;
        }
        let mut m = BTreeSet::new();
        self.members(role, &mut m);
        m.iter().any(|r| {
            let via_auditor = *r == 103;
            self.direct(*r).contains(&perm) && !(self.w.sod && cat == Audit && !via_auditor)
        })
    }

    fn allows(&self, perm: &str, dept: Option<usize>, owner_is_me: Option<bool>) -> bool {
        let d = |i: usize| dept_id(i as u128);
        let within = |x: usize, root: usize| self.tree.is_within(d(x), d(root));
        let own: Vec<usize> = std::iter::once(self.w.main).chain(self.w.posts.iter().copied()).collect();
        self.w.grants.iter().any(|(role, limit)| {
            if !self.gives(*role, perm) {
                return false;
            }
            let in_limit = match (limit, dept) {
                (None, _) => true,
                (Some(l), Some(x)) => within(x, *l),
                (Some(_), None) => false,
            };
            let scope = if *role >= 100 { ScopeSpec::All } else { self.w.roles[*role].scope.clone() };
            in_limit
                && match scope {
                    ScopeSpec::All => true,
                    ScopeSpec::Depts(ds) => dept.is_some_and(|x| ds.contains(&x)),
                    ScopeSpec::Own => dept.is_some_and(|x| own.contains(&x)),
                    ScopeSpec::OwnBelow => dept.is_some_and(|x| own.iter().any(|o| within(x, *o))),
                    ScopeSpec::SelfOnly => owner_is_me == Some(true),
                }
        })
    }
}

fn build(w: &World) -> (MemoryStore, OrgTree) {
    let store = MemoryStore::new();
    store
        .write(|tx| {
            for (i, p) in w.parents.iter().enumerate() {
                put_dept(tx, dept_id(i as u128), &format!("d{i}"), p.map(|p| dept_id(p as u128)), (i % 3) as i64);
            }
            let posts: Vec<DeptId> = w.posts.iter().map(|d| dept_id(*d as u128)).collect();
            put_person(tx, person_id(1), "me", dept_id(w.main as u128), &posts, PersonStatus::Active);
            store::install_builtin_roles(tx, now(), false)?;
            for (i, r) in w.roles.iter().enumerate() {
                let scope = match &r.scope {
                    ScopeSpec::All => DataScope::All,
                    ScopeSpec::Depts(ds) => {
                        DataScope::Depts { depts: ds.iter().map(|d| dept_id(*d as u128)).collect() }
                    }
                    ScopeSpec::Own => DataScope::OwnDept,
                    ScopeSpec::OwnBelow => DataScope::OwnDeptAndBelow,
                    ScopeSpec::SelfOnly => DataScope::SelfOnly,
                };
                let input = NewRole {
                    code: role_code(i),
                    name: format!("r{i}"),
                    description: String::new(),
                    permissions: r.perms.iter().map(|p| PERMS[*p].to_string()).collect(),
                    inherits: r.inherits.iter().map(|j| role_code(*j)).collect(),
                    data_scope: scope,
                };
                store::create_role(tx, now(), input)?;
            }
            for (n, (r, limit)) in w.grants.iter().enumerate() {
                let input = NewGrant {
                    person: person_id(1),
                    role: role_code(*r),
                    limit_to_dept: limit.map(|l| dept_id(l as u128)),
                };
                match store::grant(tx, now(), GrantId(Id(1000 + n as u128)), input, None, false) {
                    // The same grant twice is refused; that is fine here.
                    Ok(_) | Err(OaError::InvalidState(_)) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok::<_, OaError>(())
        })
        .unwrap();
    let tree = store.read(|tx| OrgTree::load(tx)).unwrap();
    (store, tree)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn compiled_checks_agree_with_the_naive_reading(w in world()) {
        let (store, tree) = build(&w);
        let p = store.read(|tx| testing::compile_fresh(tx, person_id(1), w.sod)).unwrap();
        let naive = Naive { w: &w, tree: tree.clone() };
        let depts: Vec<Option<usize>> = (0..w.parents.len()).map(Some).chain([None]).collect();
        for perm in PERMS {
            let filter = p.scope(perm);
            for dept in &depts {
                for owner in [Some(true), Some(false), None] {
                    let owner_id = owner.map(|me| if me { person_id(1) } else { person_id(2) });
                    let dept_id = dept.map(|d| dept_id(d as u128));
                    let want = naive.allows(perm, *dept, owner);
                    prop_assert_eq!(p.allows_on(perm, dept_id, owner_id), want, "{} {:?} {:?}", perm, dept, owner);
                    prop_assert_eq!(filter.covers(&tree, dept_id, owner_id), want, "filter {} {:?} {:?}", perm, dept, owner);
                }
            }
            let any = w.grants.iter().any(|(r, _)| naive.gives(*r, perm));
            prop_assert_eq!(p.allows(perm), any, "allows {}", perm);
        }
    }
}
