//! Tests of the organisation: the rules and queries over memory-store transactions directly,
//! then whole scenarios through [`Oa`].

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, TimeZone, Utc};
use oa_storage::{MemoryStore, ReadTxn, StoreExt, WriteTxn};

use super::dept::*;
use super::import::import_tx;
use super::model::*;
use super::person::*;
use super::query;
use super::store;
use crate::id::{Id, IdGen};
use crate::page::{Page, PageRequest};
use crate::{OaError, OaResult};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().unwrap_or_default()
}

/// A bare store with organisation records only.
struct Fx {
    store: MemoryStore,
    ids: IdGen,
}

impl Fx {
    fn new() -> Self {
        Fx { store: MemoryStore::new(), ids: IdGen::default() }
    }

    fn w<T>(&self, f: impl FnMut(&mut dyn WriteTxn) -> OaResult<T>) -> OaResult<T> {
        self.store.write(f)
    }

    fn r<T>(&self, f: impl FnMut(&mut dyn ReadTxn) -> OaResult<T>) -> OaResult<T> {
        self.store.read(f)
    }

    fn id(&self) -> Id {
        self.ids.next(now())
    }

    fn try_dept(&self, name: &str, parent: Option<DeptId>) -> OaResult<Department> {
        let id = DeptId(self.id());
        let input = NewDepartment { name: name.into(), parent, ..Default::default() };
        self.w(|tx| create_department_tx(tx, id, now(), &input))
    }

    fn dept(&self, name: &str, parent: Option<DeptId>) -> DeptId {
        self.try_dept(name, parent).unwrap().id
    }

    fn try_person(&self, input: NewPerson) -> OaResult<Person> {
        let id = PersonId(self.id());
        self.w(|tx| create_person_tx(tx, id, now(), &input))
    }

    fn person(&self, login: &str, dept: DeptId) -> PersonId {
        self.try_person(NewPerson::new(login, login, dept)).unwrap().id
    }

    fn get_person(&self, id: PersonId) -> Person {
        self.r(|tx| store::person(tx, id)).unwrap()
    }

    fn get_dept(&self, id: DeptId) -> Department {
        self.r(|tx| store::department(tx, id)).unwrap()
    }

    fn set_superior(&self, id: PersonId, sup: PersonId) -> OaResult<Person> {
        let patch = PersonPatch { superior: Some(sup), ..Default::default() };
        self.w(|tx| update_person_tx(tx, now(), id, &patch))
    }

    fn page(&self, q: &PeopleQuery, req: &PageRequest) -> Page<Person> {
        self.r(|tx| query::people_page(tx, q, req, &mut |_| true)).unwrap()
    }

    /// Every id of a listing, paged by `limit`.
    fn all_pages(&self, q: &PeopleQuery, limit: u32) -> Vec<PersonId> {
        let mut out = Vec::new();
        let mut req = PageRequest::first(limit);
        loop {
            let page = self.page(q, &req);
            assert!(page.items.len() <= limit as usize);
            out.extend(page.items.iter().map(|p| p.id));
            match page.next_cursor {
                Some(c) => req = PageRequest::after(c, limit),
                None => return out,
            }
        }
    }
}

fn fields(err: &OaError) -> Vec<String> {
    err.field_errors().iter().map(|f| f.path.clone()).collect()
}

fn has_field(r: OaResult<impl std::fmt::Debug>, path: &str) -> String {
    let err = r.unwrap_err();
    let hit = err.field_errors().iter().find(|f| f.path == path);
    assert!(hit.is_some(), "expected a problem at `{path}`, got {err}");
    hit.map(|f| f.reason.clone()).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The tree

#[test]
fn a_department_cannot_move_under_itself_or_its_descendants() {
    let fx = Fx::new();
    let root = fx.dept("宏远科技", None);
    let a = fx.dept("研发中心", Some(root));
    let b = fx.dept("平台部", Some(a));
    let c = fx.dept("存储组", Some(b));

    let under_itself = fx.w(|tx| move_department_tx(tx, now(), a, Some(a), None));
    assert!(has_field(under_itself, "parent").contains("itself"));
    let under_grandchild = fx.w(|tx| move_department_tx(tx, now(), a, Some(c), None));
    assert!(has_field(under_grandchild, "parent").contains("inside"));
    assert_eq!(fx.get_dept(a).parent, Some(root), "nothing moved");

    // Moving a leaf up is fine, and the path index follows.
    let moved = fx.w(|tx| move_department_tx(tx, now(), c, Some(root), None)).unwrap();
    assert_eq!(moved.parent, Some(root));
    assert!(fx.r(|tx| query::is_within(tx, c, root)).unwrap());
    assert!(!fx.r(|tx| query::is_within(tx, c, a)).unwrap());
    // Now `a` may go under `c`, which is no longer its descendant.
    fx.w(|tx| move_department_tx(tx, now(), a, Some(c), None)).unwrap();
    assert!(fx.r(|tx| query::is_within(tx, b, c)).unwrap());
    let subtree: Vec<String> = fx.r(|tx| query::subtree(tx, c)).unwrap().into_iter().map(|d| d.name).collect();
    assert_eq!(subtree, ["存储组", "研发中心", "平台部"]);
}

#[test]
fn sibling_names_are_unique_case_insensitively() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let sales = fx.dept("Sales", Some(root));
    let ops = fx.dept("Operations", Some(root));
    assert!(has_field(fx.try_dept("  sales ", Some(root)), "name").contains("`sales`"));
    // The same name under another parent is fine.
    fx.dept("Sales", Some(ops));
    // Renaming onto a sibling is refused; a change of case of one's own name is not.
    assert!(fx.w(|tx| rename_department_tx(tx, now(), ops, "SALES")).is_err());
    assert_eq!(fx.w(|tx| rename_department_tx(tx, now(), sales, "SALES")).unwrap().name, "SALES");
    // Moving into a parent that already has the name is refused.
    let inner_sales = fx.dept("Inner", Some(ops));
    fx.w(|tx| rename_department_tx(tx, now(), inner_sales, "Operations")).unwrap();
    let clash = fx.w(|tx| move_department_tx(tx, now(), inner_sales, Some(root), None));
    assert!(has_field(clash, "name").contains("already exists"));
    // Empty and over-long names.
    assert!(has_field(fx.try_dept("   ", Some(root)), "name").contains("empty"));
    assert!(has_field(fx.try_dept(&"部".repeat(101), Some(root)), "name").contains("100"));
}

#[test]
fn codes_are_checked_and_unique_in_the_office() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let input =
        NewDepartment { name: "Finance".into(), code: Some("FIN".into()), parent: Some(root), ..Default::default() };
    let fin = fx.w(|tx| create_department_tx(tx, DeptId(fx.id()), now(), &input)).unwrap();
    assert_eq!(fin.code.as_deref(), Some("FIN"));
    let again =
        NewDepartment { name: "Finance 2".into(), code: Some("fin".into()), parent: Some(root), ..Default::default() };
    assert!(
        has_field(fx.w(|tx| create_department_tx(tx, DeptId(fx.id()), now(), &again)), "code").contains("already used")
    );
    let bad = NewDepartment {
        name: "X".into(),
        code: Some("F N".into()),
        parent: None,
        head: Some(PersonId(Id::default())),
        ..Default::default()
    };
    let err = fx.w(|tx| create_department_tx(tx, DeptId(fx.id()), now(), &bad)).unwrap_err();
    assert_eq!(fields(&err), ["code", "head"], "every failing field is reported");
    assert_eq!(fx.r(|tx| store::find_dept_id_by_code(tx, "Fin")).unwrap(), Some(fin.id));
}

#[test]
fn sort_order_places_new_departments_last_and_orders_siblings() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let a = fx.dept("A", Some(root));
    let b = fx.dept("B", Some(root));
    let c = fx.dept("C", Some(root));
    assert_eq!([a, b, c].map(|d| fx.get_dept(d).sort_order), [0, 1, 2]);
    fx.w(|tx| reorder_department_tx(tx, now(), c, -1)).unwrap();
    let order: Vec<DeptId> = fx.r(|tx| query::children(tx, root)).unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(order, [c, a, b]);
    let all: Vec<DeptId> = fx.r(query::departments_in_tree_order).unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(all, [root, c, a, b]);
}

#[test]
fn a_department_with_active_people_or_children_cannot_be_disabled() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let sales = fx.dept("Sales", Some(root));
    let east = fx.dept("East", Some(sales));
    let p1 = fx.person("p1", sales);
    let p2 = fx.person("p2", sales);
    let p3 = fx.person("p3", sales);
    // A part-time post does not hold a department open.
    let guest = fx.person("guest", root);
    fx.w(|tx| add_post_tx(tx, now(), guest, &Post { dept: east, position: None })).unwrap();

    let err = fx.w(|tx| disable_department_tx(tx, now(), sales)).unwrap_err();
    assert_eq!(err.code(), "invalid_state");
    let msg = err.to_string();
    assert!(msg.contains("3 active people") && msg.contains("1 active child department"), "{msg}");

    fx.w(|tx| disable_person_tx(tx, now(), p1)).unwrap();
    fx.w(|tx| mark_person_left_tx(tx, now(), p2)).unwrap();
    let msg = fx.w(|tx| disable_department_tx(tx, now(), sales)).unwrap_err().to_string();
    assert!(msg.contains("1 active person and 1 active child department"), "{msg}");

    fx.w(|tx| transfer_person_tx(tx, now(), p3, root, None)).unwrap();
    fx.w(|tx| disable_department_tx(tx, now(), east)).unwrap();
    let disabled = fx.w(|tx| disable_department_tx(tx, now(), sales)).unwrap();
    assert_eq!(disabled.status, DeptStatus::Disabled);

    // A disabled department takes no new people, no new children, no transfers.
    assert!(has_field(fx.try_person(NewPerson::new("p4", "p4", sales)), "dept").contains("disabled"));
    assert!(has_field(fx.try_dept("West", Some(sales)), "parent").contains("disabled"));
    // Its child cannot be enabled before it.
    assert_eq!(fx.w(|tx| enable_department_tx(tx, now(), east)).unwrap_err().code(), "invalid_state");
    // Nor can the disabled person come back while their department is disabled.
    assert_eq!(fx.w(|tx| enable_person_tx(tx, now(), p1)).unwrap_err().code(), "invalid_state");
    fx.w(|tx| enable_department_tx(tx, now(), sales)).unwrap();
    assert_eq!(fx.w(|tx| enable_department_tx(tx, now(), east)).unwrap().status, DeptStatus::Active);
    assert_eq!(fx.w(|tx| enable_person_tx(tx, now(), p1)).unwrap().status, PersonStatus::Active);
}

#[test]
fn heads_must_be_active_and_leaving_clears_them() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let sales = fx.dept("Sales", Some(root));
    let boss = fx.person("boss", root);
    let idle = fx.person("idle", root);
    fx.w(|tx| disable_person_tx(tx, now(), idle)).unwrap();
    assert!(has_field(fx.w(|tx| set_department_head_tx(tx, now(), sales, Some(idle))), "head").contains("not active"));
    fx.w(|tx| set_department_head_tx(tx, now(), sales, Some(boss))).unwrap();
    fx.w(|tx| set_department_head_tx(tx, now(), root, Some(boss))).unwrap();
    fx.w(|tx| add_post_tx(tx, now(), boss, &Post { dept: sales, position: Some("顾问".into()) })).unwrap();

    let (left, cleared) = fx.w(|tx| mark_person_left_tx(tx, now(), boss)).unwrap();
    assert_eq!(left.status, PersonStatus::Left);
    assert!(left.posts.is_empty(), "a person who left holds no part-time post");
    assert_eq!(cleared.into_iter().collect::<BTreeSet<_>>(), BTreeSet::from([root, sales]));
    assert_eq!(fx.get_dept(sales).head, None);
    assert_eq!(fx.get_dept(root).head, None);
    assert!(fx.r(|tx| store::headed_by(tx, boss)).unwrap().is_empty());
    // A person who left cannot be disabled, take a post or be transferred; they can be rehired.
    assert_eq!(fx.w(|tx| disable_person_tx(tx, now(), boss)).unwrap_err().code(), "invalid_state");
    assert_eq!(fx.w(|tx| transfer_person_tx(tx, now(), boss, sales, None)).unwrap_err().code(), "invalid_state");
    assert_eq!(fx.w(|tx| enable_person_tx(tx, now(), boss)).unwrap().status, PersonStatus::Active);
}

// ---------------------------------------------------------------------------------------------
// People

#[test]
fn people_fields_are_validated_together() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    fx.person("Zhang.Wei", root);
    let input = NewPerson {
        login: "ZHANG.wei".into(),
        name: "\u{1}".into(),
        email: Some("zhang@wei".into()),
        phone: Some("call me".into()),
        dept: DeptId(Id::default()),
        position: Some("x".repeat(101)),
        superior: Some(PersonId(Id::default())),
        initial_password: None,
    };
    let err = fx.try_person(input).unwrap_err();
    assert_eq!(fields(&err), ["login", "name", "email", "phone", "position", "dept", "superior"]);
    assert!(err.to_string().contains("`ZHANG.wei` is already taken"), "{err}");
}

#[test]
fn names_in_chinese_and_with_diacritics() {
    let fx = Fx::new();
    let root = fx.dept("宏远科技", None);
    let rd = fx.dept("研发部", Some(root));
    let zhang = fx
        .try_person(NewPerson {
            email: Some("zhang.wei@hongyuan.cn".into()),
            phone: Some("+86 (10) 8888-0000".into()),
            position: Some("工程师".into()),
            ..NewPerson::new("zhangwei", "  张伟  ", rd)
        })
        .unwrap();
    assert_eq!(zhang.name, "张伟");
    let zoe = fx.try_person(NewPerson::new("zoe", "Zoë Ångström", rd)).unwrap();
    assert_eq!(fx.r(|tx| store::find_person_id_by_login(tx, " ZhangWei ")).unwrap(), Some(zhang.id));
    let q = |text: &str| PeopleQuery { dept: Some(rd), text: Some(text.into()), ..Default::default() };
    assert_eq!(fx.all_pages(&q("张"), 10), [zhang.id]);
    assert_eq!(fx.all_pages(&q("ZOË"), 10), [zoe.id]);
    assert_eq!(fx.all_pages(&q("ångström"), 10), [zoe.id]);
    assert_eq!(fx.get_dept(rd).name, "研发部");
}

#[test]
fn update_clears_optional_fields_with_empty_text_and_logins_move() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let p = fx
        .try_person(NewPerson {
            email: Some("a@b.cn".into()),
            position: Some("Clerk".into()),
            ..NewPerson::new("amy", "Amy", root)
        })
        .unwrap();
    let patch = PersonPatch {
        login: Some("Amy.L".into()),
        email: Some("".into()),
        phone: Some("010-1234".into()),
        ..Default::default()
    };
    let after = fx.w(|tx| update_person_tx(tx, now(), p.id, &patch)).unwrap();
    assert_eq!(
        (after.login.as_str(), after.email.as_deref(), after.phone.as_deref()),
        ("Amy.L", None, Some("010-1234"))
    );
    assert_eq!(after.position.as_deref(), Some("Clerk"), "a field left out is kept");
    assert_eq!(fx.r(|tx| store::find_person_id_by_login(tx, "amy")).unwrap(), None);
    assert_eq!(fx.r(|tx| store::find_person_id_by_login(tx, "amy.l")).unwrap(), Some(p.id));
    // The old login is free again.
    fx.person("amy", root);
}

#[test]
fn superiors_form_no_cycle_and_the_chain_is_nearest_first() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let [a, b, c, d] = ["aa", "bb", "cc", "dd"].map(|l| fx.person(l, root));
    fx.set_superior(a, b).unwrap();
    fx.set_superior(b, c).unwrap();
    fx.set_superior(c, d).unwrap();
    assert!(has_field(fx.set_superior(d, a), "superior").contains("cycle"));
    assert!(has_field(fx.set_superior(d, d), "superior").contains("own superior"));
    let chain: Vec<PersonId> = fx.r(|tx| query::superiors(tx, a)).unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(chain, [b, c, d]);
    assert!(fx.r(|tx| query::superiors(tx, d)).unwrap().is_empty());

    // A cycle written around the checks (an old import, a bug) ends the chain instead of
    // looping; a missing superior ends it too.
    fx.w(|tx| {
        let old = store::person(tx.as_read(), d)?;
        store::update_person(tx, &old, &Person { superior: Some(a), ..old.clone() })
    })
    .unwrap();
    let chain: Vec<PersonId> = fx.r(|tx| query::superiors(tx, a)).unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(chain, [b, c, d]);
    fx.w(|tx| {
        let old = store::person(tx.as_read(), c)?;
        store::update_person(tx, &old, &Person { superior: Some(PersonId(Id::default())), ..old.clone() })
    })
    .unwrap();
    let chain: Vec<PersonId> = fx.r(|tx| query::superiors(tx, a)).unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(chain, [b, c]);
    // Clearing a superior.
    let cleared =
        fx.w(|tx| update_person_tx(tx, now(), a, &PersonPatch { clear_superior: true, ..Default::default() })).unwrap();
    assert_eq!(cleared.superior, None);
}

#[test]
fn head_above_walks_up_departments_without_skipping() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let div = fx.dept("Division", Some(root));
    let team = fx.dept("Team", Some(div));
    let ceo = fx.person("ceo", root);
    let lead = fx.person("lead", team);
    let worker = fx.person("worker", team);
    fx.w(|tx| set_department_head_tx(tx, now(), root, Some(ceo))).unwrap();
    fx.w(|tx| set_department_head_tx(tx, now(), team, Some(lead))).unwrap();
    let head = |levels| fx.r(|tx| query::head_above(tx, worker, levels)).unwrap().map(|p| p.id);
    assert_eq!(head(0), Some(lead));
    assert_eq!(head(1), None, "the division has no head and is not skipped");
    assert_eq!(head(2), Some(ceo));
    assert_eq!(head(3), None, "above the root");
    assert_eq!(head(u32::MAX), None);
    assert_eq!(fx.r(|tx| query::dept_above(tx, worker, 1)).unwrap().map(|d| d.id), Some(div));
}

#[test]
fn posts_are_added_and_removed() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let sales = fx.dept("Sales", Some(root));
    let p = fx.person("pp", root);
    let post = Post { dept: sales, position: Some("  销售顾问 ".into()) };
    let with = fx.w(|tx| add_post_tx(tx, now(), p, &post)).unwrap();
    assert_eq!(with.posts, [Post { dept: sales, position: Some("销售顾问".into()) }]);
    assert!(has_field(fx.w(|tx| add_post_tx(tx, now(), p, &post)), "dept").contains("already"));
    assert!(
        has_field(fx.w(|tx| add_post_tx(tx, now(), p, &Post { dept: root, position: None })), "dept").contains("main")
    );
    let listed = |dept| fx.all_pages(&PeopleQuery { dept: Some(dept), ..Default::default() }, 10);
    assert_eq!(listed(sales), [p]);
    let main_only = PeopleQuery { dept: Some(sales), main_post_only: true, ..Default::default() };
    assert!(fx.all_pages(&main_only, 10).is_empty());
    // A transfer into the post's department makes it the main post.
    let moved = fx.w(|tx| transfer_person_tx(tx, now(), p, sales, Some("经理"))).unwrap();
    assert!(moved.posts.is_empty());
    assert_eq!(moved.position.as_deref(), Some("经理"));
    assert_eq!(listed(sales), [p]);
    assert!(listed(root).is_empty());
    fx.w(|tx| add_post_tx(tx, now(), p, &Post { dept: root, position: None })).unwrap();
    assert_eq!(listed(root), [p]);
    fx.w(|tx| remove_post_tx(tx, now(), p, root)).unwrap();
    assert!(listed(root).is_empty());
    assert!(has_field(fx.w(|tx| remove_post_tx(tx, now(), p, root)), "dept").contains("no part-time post"));
}

// ---------------------------------------------------------------------------------------------
// Paging a subtree

#[test]
fn a_subtree_of_200_people_pages_by_7_without_duplicates_or_omissions_after_a_move() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let rd = fx.dept("R&D", Some(root));
    let platform = fx.dept("Platform", Some(rd));
    let storage = fx.dept("Storage", Some(platform));
    let apps = fx.dept("Apps", Some(rd));
    let sales = fx.dept("Sales", Some(root));
    let east = fx.dept("East", Some(sales));
    let depts = [rd, platform, storage, apps, sales, east];
    let mut people = Vec::new();
    for i in 0..230 {
        people.push((fx.person(&format!("user{i:03}"), depts[i % depts.len()]), depts[i % depts.len()]));
    }
    // Part-time posts: someone outside with two posts inside (listed once), someone inside with
    // a post inside (listed once), someone inside with a post outside.
    let outsider = fx.person("outsider", root);
    for d in [storage, apps] {
        fx.w(|tx| add_post_tx(tx, now(), outsider, &Post { dept: d, position: None })).unwrap();
    }
    let insider = people[1].0; // in `platform`
    fx.w(|tx| add_post_tx(tx, now(), insider, &Post { dept: apps, position: None })).unwrap();
    fx.w(|tx| add_post_tx(tx, now(), people[0].0, &Post { dept: east, position: None })).unwrap();
    // A person who left stays listed (status filter none) but not in the active filter.
    let gone = people[3].0;
    fx.w(|tx| mark_person_left_tx(tx, now(), gone)).unwrap();

    // Move `sales` (with `east`) under `rd`: the subtree of `rd` now holds every department
    // but the root.
    fx.w(|tx| move_department_tx(tx, now(), sales, Some(rd), None)).unwrap();
    let in_rd: HashSet<DeptId> = depts.into_iter().collect();

    let q = PeopleQuery { dept: Some(rd), include_subtree: true, ..Default::default() };
    let listed = fx.all_pages(&q, 7);
    let unique: HashSet<PersonId> = listed.iter().copied().collect();
    assert_eq!(unique.len(), listed.len(), "no duplicates");
    let mut expected: HashSet<PersonId> = people.iter().filter(|(_, d)| in_rd.contains(d)).map(|(p, _)| *p).collect();
    expected.insert(outsider);
    assert!(expected.len() >= 200);
    let missing: Vec<_> = expected.difference(&unique).collect();
    let extra: Vec<_> = unique.difference(&expected).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:?}, extra {extra:?}, outsider {outsider:?}");

    let active = PeopleQuery { status: Some(PersonStatus::Active), ..q.clone() };
    let active_listed: HashSet<PersonId> = fx.all_pages(&active, 7).into_iter().collect();
    assert_eq!(active_listed.len(), expected.len() - 1);
    assert!(!active_listed.contains(&gone));
    let ids: HashSet<PersonId> = fx.r(|tx| query::active_member_ids(tx, rd, true)).unwrap().into_iter().collect();
    assert_eq!(ids, active_listed);

    // The subtree of `sales` after the move: its own people and east's, and nobody else.
    let q = PeopleQuery { dept: Some(sales), include_subtree: true, ..Default::default() };
    let in_sales: HashSet<PersonId> = fx.all_pages(&q, 7).into_iter().collect();
    let mut expected: HashSet<PersonId> =
        people.iter().filter(|(_, d)| *d == sales || *d == east).map(|(p, _)| *p).collect();
    expected.insert(people[0].0); // through the part-time post in `east`
    assert_eq!(in_sales, expected);

    // A department alone lists its main people first, then its part-time holders.
    let q = PeopleQuery { dept: Some(apps), ..Default::default() };
    let in_apps = fx.all_pages(&q, 7);
    let tail: Vec<PersonId> = in_apps[in_apps.len() - 2..].to_vec();
    assert_eq!(tail.into_iter().collect::<HashSet<_>>(), HashSet::from([outsider, insider]));

    // Every index still matches the records after the move, the posts and the departure.
    assert!(fx.r(super::integrity::check_indexes).unwrap().is_clean());

    // A cursor of another list is refused.
    let first =
        fx.page(&PeopleQuery { dept: Some(rd), include_subtree: true, ..Default::default() }, &PageRequest::first(7));
    let foreign = PageRequest::after(first.next_cursor.unwrap_or_default(), 7);
    let err = fx.r(|tx| {
        query::people_page(tx, &PeopleQuery { dept: Some(root), ..Default::default() }, &foreign, &mut |_| true)
    });
    assert!(has_field(err, "cursor").contains("not a cursor"));
}

#[test]
fn everyone_is_listed_by_creation_without_a_department() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let ids: Vec<PersonId> = (0..20).map(|i| fx.person(&format!("p{i:02}"), root)).collect();
    assert_eq!(fx.all_pages(&PeopleQuery::default(), 3), ids);
}

#[test]
fn broken_indexes_are_found_and_rebuilt() {
    let fx = Fx::new();
    let root = fx.dept("HQ", None);
    let sales = fx.dept("Sales", Some(root));
    let p = fx.person("pp", sales);
    fx.w(|tx| add_post_tx(tx, now(), p, &Post { dept: root, position: None })).unwrap();
    fx.w(|tx| set_department_head_tx(tx, now(), sales, Some(p))).unwrap();
    assert!(fx.r(super::integrity::check_indexes).unwrap().is_clean());

    let path = fx.r(|tx| store::dept_path(tx, sales)).unwrap();
    fx.w(|tx| {
        tx.delete(keys::person_in_dept(&path, keys::MAIN, p).as_bytes())?;
        tx.put(keys::login("ghost").as_bytes(), &[1; 16])?;
        Ok(())
    })
    .unwrap();
    let report = fx.r(super::integrity::check_indexes).unwrap();
    assert_eq!((report.missing, report.stale), (1, 1));
    assert!(fx.all_pages(&PeopleQuery { dept: Some(sales), ..Default::default() }, 5).is_empty());
    fx.w(super::integrity::rebuild_indexes).unwrap();
    assert!(fx.r(super::integrity::check_indexes).unwrap().is_clean());
    assert_eq!(fx.all_pages(&PeopleQuery { dept: Some(sales), ..Default::default() }, 5), [p]);
}

// ---------------------------------------------------------------------------------------------
// CSV import

fn import(fx: &Fx, depts: &[u8], people: &[u8]) -> OaResult<ImportReport> {
    fx.w(|tx| {
        import_tx(
            tx,
            now(),
            &mut || fx.ids.next(now()),
            &mut |_| Ok(()),
            &mut |line, _| Ok(format!("hash-of-line-{line}")),
            depts,
            people,
        )
    })
}

const DEPTS_CSV: &str = "\u{feff}code,name,parent_code,sort_order
RD-PLAT,平台部,RD,2
RD,研发中心,,1
SALES,Ventes & Marketing,,
SALES-E,Est,SALES,
";

const PEOPLE_CSV: &str = "login,name,email,phone,dept_code,position,superior_login,password
zhangwei,张伟,zhang.wei@hongyuan.cn,+86 10 8888 0000,RD-PLAT,工程师,lina,
lina,李娜,,,RD,总监,,Initial-Passw0rd
zoe,Zoë Ångström,zoe@example.fr,,sales-e,,,
";

#[test]
fn an_import_creates_the_tree_and_the_people() {
    let fx = Fx::new();
    let root = fx.dept("宏远科技", None);
    let report = import(&fx, DEPTS_CSV.as_bytes(), PEOPLE_CSV.as_bytes()).unwrap();
    assert_eq!(
        report,
        ImportReport { departments_created: 4, people_created: 3, passwords_set: 1, without_password: 2 }
    );

    let tree: Vec<(String, Option<String>)> =
        fx.r(query::departments_in_tree_order).unwrap().into_iter().map(|d| (d.name.clone(), d.code.clone())).collect();
    let names: Vec<&str> = tree.iter().map(|(n, _)| n.as_str()).collect();
    // Empty parent codes go under the one root; `SALES` has no sort order, so it comes after
    // the existing children in file order.
    assert_eq!(names, ["宏远科技", "研发中心", "平台部", "Ventes & Marketing", "Est"]);

    let rd = fx.r(|tx| store::find_dept_id_by_code(tx, "rd")).unwrap().unwrap();
    assert_eq!(fx.get_dept(rd).parent, Some(root));
    let zhang = fx.get_person(fx.r(|tx| store::find_person_id_by_login(tx, "zhangwei")).unwrap().unwrap());
    let lina = fx.r(|tx| store::find_person_id_by_login(tx, "LiNa")).unwrap().unwrap();
    assert_eq!(zhang.superior, Some(lina), "a superior later in the file");
    assert_eq!(zhang.position.as_deref(), Some("工程师"));
    assert_eq!(fx.get_person(lina).name, "李娜");
    let in_rd = fx.all_pages(&PeopleQuery { dept: Some(rd), include_subtree: true, ..Default::default() }, 10);
    assert_eq!(in_rd.into_iter().collect::<HashSet<_>>(), HashSet::from([zhang.id, lina]));
    let cred = fx.r(|tx| crate::auth::store::load_credential(tx, lina)).unwrap();
    assert!(cred.is_some(), "a password in the file becomes a credential");
    assert!(fx.r(|tx| crate::auth::store::load_credential(tx, zhang.id)).unwrap().is_none());

    // The same files again: every code and login is now taken, and nothing is written.
    let err = import(&fx, DEPTS_CSV.as_bytes(), PEOPLE_CSV.as_bytes()).unwrap_err();
    let paths = fields(&err);
    assert!(paths.contains(&"departments.csv:2.code".to_string()), "{paths:?}");
    assert!(paths.contains(&"people.csv:4.login".to_string()), "{paths:?}");
    assert_eq!(fx.r(query::departments_in_tree_order).unwrap().len(), 5);
}

#[test]
fn a_bad_import_reports_every_row_and_writes_nothing() {
    let fx = Fx::new();
    fx.dept("HQ", None);
    let depts = "code,name,parent_code
A,Alpha,
B,Beta,NOPE
A,Again,
C,,A
D1,Loop one,D2
D2,Loop two,D1
E,Alpha,
";
    let people = "login,name,email,dept_code,superior_login
ok,Okay,ok@example.com,A,
x,Bad mail,not-an-email,A,
y,Unknown dept,,ZZZ,
z,Unknown boss,,A,nobody
ok,Dup,,A,
s,Self,,A,s
";
    let err = import(&fx, depts.as_bytes(), people.as_bytes()).unwrap_err();
    assert_eq!(err.code(), "validation");
    let paths = fields(&err);
    for expected in [
        "departments.csv:3.parent_code",
        "departments.csv:4.code",
        "departments.csv:5.name",
        "departments.csv:6.parent_code",
        "departments.csv:7.parent_code",
        "departments.csv:8.name",
        "people.csv:3.email",
        "people.csv:4.dept_code",
        "people.csv:5.superior_login",
        "people.csv:6.login",
        "people.csv:7.superior_login",
    ] {
        assert!(paths.contains(&expected.to_string()), "missing {expected} in {paths:?}");
    }
    let msg = err.to_string();
    assert!(msg.contains("unknown department code `NOPE`"), "{msg}");
    assert!(msg.contains("`not-an-email` is not an e-mail address"), "{msg}");
    assert!(msg.contains("already used on line 2"), "{msg}");
    assert_eq!(fx.r(query::departments_in_tree_order).unwrap().len(), 1, "nothing written");
    assert_eq!(fx.all_pages(&PeopleQuery::default(), 10).len(), 0);
}

#[test]
fn an_import_reports_missing_columns_and_invalid_utf8() {
    let fx = Fx::new();
    fx.dept("HQ", None);
    let err = import(&fx, b"code,name\nA,Alpha\n", b"login,name,email\nx,X,x@y.cn\n").unwrap_err();
    let paths = fields(&err);
    assert_eq!(paths, ["departments.csv:1.parent_code", "people.csv:1.dept_code"]);
    assert!(err.to_string().contains("the header has no `parent_code` column"));

    let mut people = b"login,name,dept_code\nok,Okay,A\nbad,".to_vec();
    people.extend_from_slice(b"Jos\xe9,A\n");
    let err = import(&fx, b"code,name,parent_code\nA,Alpha,\n", &people).unwrap_err();
    assert_eq!(fields(&err), ["people.csv:3.name"]);
    assert!(err.to_string().contains("not valid UTF-8"));

    let err = import(&fx, b"code,name,parent_code\nA,Alpha,,extra\n", b"").unwrap_err();
    assert_eq!(fields(&err), ["departments.csv:2"]);
    // Empty files import nothing and succeed.
    assert_eq!(import(&fx, b"", b"").unwrap(), ImportReport::default());
}

#[test]
fn an_import_with_several_roots_needs_parent_codes() {
    let fx = Fx::new();
    fx.dept("One", None);
    fx.dept("Two", None);
    let err = import(&fx, b"code,name,parent_code\nA,Alpha,\n", b"").unwrap_err();
    assert!(err.to_string().contains("the office has 2 root departments"), "{err}");
}

#[test]
fn a_big_import_is_one_transaction() {
    let fx = Fx::new();
    fx.dept("HQ", None);
    let mut depts = String::from("code,name,parent_code\n");
    for d in 0..50 {
        let parent = if d == 0 { String::new() } else { format!("D{}", (d - 1) / 5) };
        depts.push_str(&format!("D{d},Department {d},{parent}\n"));
    }
    let mut people = String::from("login,name,dept_code,superior_login\n");
    for p in 0..2000 {
        let sup = if p == 0 { String::new() } else { format!("u{}", p / 10) };
        people.push_str(&format!("u{p},Person {p},D{},{sup}\n", p % 50));
    }
    let report = import(&fx, depts.as_bytes(), people.as_bytes()).unwrap();
    assert_eq!((report.departments_created, report.people_created), (50, 2000));
    assert!(fx.r(super::integrity::check_indexes).unwrap().is_clean());
    let d0 = fx.r(|tx| store::find_dept_id_by_code(tx, "D0")).unwrap().unwrap();
    let q = PeopleQuery { dept: Some(d0), include_subtree: true, ..Default::default() };
    assert_eq!(fx.all_pages(&q, 500).len(), 2000);
}

// ---------------------------------------------------------------------------------------------
// Through `Oa`

use crate::testing::office;

#[test]
fn an_administrator_runs_the_organisation_through_oa() {
    let (oa, admin) = office();
    let roots = oa.list_departments(&admin).unwrap();
    assert_eq!(roots.len(), 1);
    let root = roots[0].id;
    let rd = oa
        .create_department(
            &admin,
            NewDepartment {
                name: "研发部".into(), code: Some("RD".into()), parent: Some(root), ..Default::default()
            },
        )
        .unwrap();
    let team = oa
        .create_department(&admin, NewDepartment { name: "平台组".into(), parent: Some(rd.id), ..Default::default() })
        .unwrap();
    let lead = oa
        .create_person(
            &admin,
            NewPerson { initial_password: Some("first Passw0rd!".into()), ..NewPerson::new("lead", "王磊", rd.id) },
        )
        .unwrap();
    let dev = oa
        .create_person(&admin, NewPerson { superior: Some(lead.id), ..NewPerson::new("dev", "Zoë", team.id) })
        .unwrap();
    oa.set_department_head(&admin, rd.id, Some(lead.id)).unwrap();

    assert_eq!(oa.get_person(&admin, dev.id).unwrap(), dev);
    assert_eq!(oa.find_person_by_login(&admin, "DEV").unwrap().id, dev.id);
    assert_eq!(oa.find_person_by_login(&admin, "nobody").unwrap_err().code(), "not_found");
    assert_eq!(oa.superiors_of(&admin, dev.id).unwrap().into_iter().map(|p| p.id).collect::<Vec<_>>(), [lead.id]);
    assert_eq!(oa.head_above(&admin, dev.id, 1).unwrap().map(|p| p.id), Some(lead.id));
    assert_eq!(oa.head_above(&admin, dev.id, 0).unwrap(), None);
    let subtree: Vec<DeptId> = oa.department_subtree(&admin, rd.id).unwrap().into_iter().map(|d| d.id).collect();
    assert_eq!(subtree, [rd.id, team.id]);
    assert_eq!(oa.department_children(&admin, root).unwrap().into_iter().map(|d| d.id).collect::<Vec<_>>(), [rd.id]);
    let page = oa
        .list_people(
            &admin,
            PeopleQuery { dept: Some(rd.id), include_subtree: true, ..Default::default() },
            PageRequest::first(10),
        )
        .unwrap();
    assert_eq!(page.items.iter().map(|p| p.id).collect::<HashSet<_>>(), HashSet::from([lead.id, dev.id]));

    // The new person signs in with the initial password and must change it first.
    let s = oa.sign_in("lead", "first Passw0rd!").unwrap();
    assert_eq!(oa.get_person(&s, lead.id).unwrap_err().code(), "password_change_required");

    let renamed = oa.rename_department(&admin, team.id, "基础平台组").unwrap();
    assert_eq!(renamed.name, "基础平台组");
    let moved = oa.move_department(&admin, team.id, Some(root), None).unwrap();
    assert_eq!(moved.parent, Some(root));
    assert_eq!(oa.move_department(&admin, rd.id, Some(rd.id), None).unwrap_err().field_errors()[0].path, "parent");
    let err = oa.disable_department(&admin, team.id).unwrap_err();
    assert!(err.to_string().contains("1 active person"), "{err}");
    oa.transfer_person(&admin, dev.id, rd.id, Some("工程师".into())).unwrap();
    assert_eq!(oa.disable_department(&admin, team.id).unwrap().status, DeptStatus::Disabled);
    assert_eq!(oa.enable_department(&admin, team.id).unwrap().status, DeptStatus::Active);
    oa.add_post(&admin, dev.id, Post { dept: team.id, position: None }).unwrap();
    oa.remove_post(&admin, dev.id, team.id).unwrap();
    oa.update_person(&admin, dev.id, PersonPatch { email: Some("zoe@example.fr".into()), ..Default::default() })
        .unwrap();
    oa.disable_person(&admin, dev.id).unwrap();
    oa.enable_person(&admin, dev.id).unwrap();
    let left = oa.mark_person_left(&admin, lead.id).unwrap();
    assert_eq!(left.status, PersonStatus::Left);
    assert_eq!(oa.get_department(&admin, rd.id).unwrap().head, None);
    assert_eq!(oa.reorder_department(&admin, team.id, -5).unwrap().sort_order, -5);
    assert_eq!(oa.list_departments(&admin).unwrap()[1].id, team.id);
    // A person who left cannot sign in.
    assert!(oa.sign_in("lead", "first Passw0rd!").is_err());

    // Every change was audited.
    let audited = oa
        .list_audit(
            &admin,
            crate::AuditQuery { operation: Some("org.dept.create".into()), ..Default::default() },
            PageRequest::first(10),
        )
        .unwrap();
    assert_eq!(audited.items.len(), 2);
}

#[test]
fn an_import_through_oa_sets_passwords_and_is_audited() {
    let (oa, admin) = office();
    let report = oa.import_org_csv(&admin, DEPTS_CSV.as_bytes(), PEOPLE_CSV.as_bytes()).unwrap();
    assert_eq!((report.departments_created, report.people_created, report.passwords_set), (4, 3, 1));
    let lina = oa.sign_in("lina", "Initial-Passw0rd").unwrap();
    assert!(oa.whoami(&lina).unwrap().must_change_password);
    assert!(oa.sign_in("zoe", "").is_err(), "no credential without a password");

    // A weak password is reported with its line, with the other problems.
    let people = "login,name,dept_code,password\nweak,Weak,RD,abc\nnew,New,NOPE,\n";
    let err = oa.import_org_csv(&admin, b"", people.as_bytes()).unwrap_err();
    assert_eq!(fields(&err), ["people.csv:2.password", "people.csv:3.dept_code"]);
}

#[test]
fn a_person_without_permissions_is_refused_and_scopes_filter_lists() {
    let (oa, admin) = office();
    let root = oa.list_departments(&admin).unwrap()[0].id;
    let a = oa
        .create_department(&admin, NewDepartment { name: "A".into(), parent: Some(root), ..Default::default() })
        .unwrap();
    let b = oa
        .create_department(&admin, NewDepartment { name: "B".into(), parent: Some(root), ..Default::default() })
        .unwrap();
    let pw = "manager Passw0rd!";
    let manager = oa
        .create_person(
            &admin,
            NewPerson { initial_password: Some(pw.into()), ..NewPerson::new("manager", "Manager", a.id) },
        )
        .unwrap();
    let in_a = oa.create_person(&admin, NewPerson::new("in_a", "In A", a.id)).unwrap();
    let in_b = oa.create_person(&admin, NewPerson::new("in_b", "In B", b.id)).unwrap();
    let s = oa.sign_in("manager", pw).unwrap();
    oa.change_password(&s, pw, "a new Passw0rd!!").unwrap();
    let s = oa.sign_in("manager", "a new Passw0rd!!").unwrap();
    assert_eq!(
        oa.create_department(&s, NewDepartment { name: "C".into(), parent: Some(root), ..Default::default() })
            .unwrap_err()
            .code(),
        "permission_denied"
    );

    oa.create_role(
        &admin,
        crate::perm::NewRole {
            code: "dept_reader".into(),
            name: "Department reader".into(),
            description: String::new(),
            permissions: vec!["org.person.read".into(), "org.dept.read".into()],
            inherits: vec![],
            data_scope: crate::perm::DataScope::OwnDeptAndBelow,
        },
    )
    .unwrap();
    oa.grant_role(
        &admin,
        crate::perm::NewGrant { person: manager.id, role: "dept_reader".into(), limit_to_dept: None },
    )
    .unwrap();
    let everyone = oa.list_people(&s, PeopleQuery::default(), PageRequest::first(50)).unwrap();
    let seen: HashSet<PersonId> = everyone.items.iter().map(|p| p.id).collect();
    assert_eq!(seen, HashSet::from([manager.id, in_a.id]));
    assert_eq!(oa.get_person(&s, in_b.id).unwrap_err().code(), "permission_denied");
    assert_eq!(oa.list_departments(&s).unwrap().into_iter().map(|d| d.id).collect::<Vec<_>>(), [a.id]);
}

#[test]
fn the_operations_are_listed() {
    for op in super::OPERATIONS {
        assert!(crate::operations::all().contains(op), "{op}");
    }
    assert_eq!(super::OPERATIONS.iter().collect::<HashSet<_>>().len(), super::OPERATIONS.len());
}
