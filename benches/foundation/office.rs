//! The benchmark office: a generated plan (department tree, people, roles, grants), the office
//! built from it through the public API, a reference model of who may do what, and the list of
//! permission questions every contender answers.

use std::time::Instant;

use oa::org::{PeopleQuery, Person};
use oa::perm::{DataScope, NewGrant, NewRole};
use oa::{DeptId, InitOffice, ManualClock, MemoryStore, Oa, PageRequest, PersonId, Session};

/// The password of the office's administrator.
pub const ADMIN_PASSWORD: &str = "correct horse battery";
/// The password the askers are given by the administrator (to change at first sign-in).
const RESET_PASSWORD: &str = "bench-reset-0001";
/// The password the askers choose; the sign-in benchmark uses it.
pub const ASKER_PASSWORD: &str = "bench-chosen-0002";

/// How big an office to build.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// People, besides the administrator.
    pub people: usize,
    /// Departments, besides the office's root department.
    pub depts: usize,
    /// Divisions: the departments right under the root.
    pub divisions: usize,
    /// Roles, besides the built-in ones.
    pub roles: usize,
    /// People who sign in and ask the questions through the API.
    pub askers: usize,
    /// Questions in the list every contender answers.
    pub questions: usize,
}

impl Size {
    /// The office of the issue: 10 000 people, 500 departments, 200 roles.
    pub const FULL: Size = Size { people: 10_000, depts: 500, divisions: 8, roles: 200, askers: 32, questions: 1024 };
    /// A small office for `cargo bench -- --test` (each benchmark runs once).
    pub const QUICK: Size = Size { people: 400, depts: 40, divisions: 4, roles: 20, askers: 4, questions: 128 };
}

/// SplitMix64: a small deterministic generator, so every run builds the same office.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A set of catalogue permissions by number.
#[derive(Debug, Clone, Default)]
pub struct Bits(Vec<u64>);

impl Bits {
    fn insert(&mut self, i: usize) {
        if self.0.len() <= i / 64 {
            self.0.resize(i / 64 + 1, 0);
        }
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn union_with(&mut self, other: &Bits) {
        if self.0.len() < other.0.len() {
            self.0.resize(other.0.len(), 0);
        }
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

/// Department 0 is the office's root (created by `Oa::init`); 1..=n are imported.
pub const ROOT: usize = 0;

/// One grant of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedGrant {
    pub role: usize,
    /// The department whose subtree the grant is limited to.
    pub limit: Option<usize>,
}

/// What the office holds, generated before anything is built.
pub struct Plan {
    /// The catalogue's permission names, in catalogue order.
    pub perms: Vec<&'static str>,
    /// Parent of each department (`None` for the root).
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
    /// Codes of the departments (`root` for the root, which has none in the office).
    pub dept_code: Vec<String>,
    /// Each department's path for casbin: the codes from the root down, `/root/D001/D017/`.
    pub dept_path: Vec<String>,
    /// Main department of each person.
    pub person_dept: Vec<usize>,
    pub login: Vec<String>,
    /// Per role: its own permissions (catalogue numbers) and the roles it inherits.
    pub role_perms: Vec<Vec<usize>>,
    pub role_inherits: Vec<Vec<usize>>,
    /// Per role: every permission it holds with inheritance.
    pub role_closure: Vec<Bits>,
    pub grants: Vec<Vec<PlannedGrant>>,
}

pub fn role_code(r: usize) -> String {
    format!("r{r:03}")
}

impl Plan {
    pub fn generate(size: Size, rng: &mut Rng) -> Plan {
        let perms: Vec<&'static str> = oa::perm::catalogue::all().map(|d| d.name).collect();

        // The tree: the root, `divisions` under it, then each department under a random earlier
        // one at most three levels down (so the tree is four levels below the root at most).
        let n = size.depts + 1;
        let mut parent = vec![None; n];
        let mut depth = vec![0usize; n];
        for d in 1..n {
            let p = if d <= size.divisions {
                ROOT
            } else {
                loop {
                    let c = 1 + rng.below(d - 1);
                    if depth[c] <= 3 {
                        break c;
                    }
                }
            };
            parent[d] = Some(p);
            depth[d] = depth[p] + 1;
        }
        let mut children = vec![Vec::new(); n];
        for (d, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(d);
            }
        }
        let dept_code: Vec<String> =
            (0..n).map(|d| if d == ROOT { "root".to_string() } else { format!("D{d:03}") }).collect();
        let mut dept_path = vec![String::new(); n];
        for d in 0..n {
            dept_path[d] = match parent[d] {
                None => format!("/{}/", dept_code[d]),
                Some(p) => format!("{}{}/", dept_path[p], dept_code[d]),
            };
        }

        let person_dept: Vec<usize> = (0..size.people).map(|_| 1 + rng.below(size.depts)).collect();
        let login: Vec<String> = (0..size.people).map(|k| format!("p{k:05}")).collect();

        // Roles: one to three permissions each; 40 % inherit one earlier role and 15 % two, never
        // more than three levels deep (casbin's role manager stops at ten).
        let mut role_perms = Vec::with_capacity(size.roles);
        let mut role_inherits: Vec<Vec<usize>> = Vec::with_capacity(size.roles);
        let mut role_depth = Vec::with_capacity(size.roles);
        for r in 0..size.roles {
            let mut own: Vec<usize> = Vec::new();
            let k = 1 + rng.below(3);
            while own.len() < k {
                let p = rng.below(perms.len());
                if !own.contains(&p) {
                    own.push(p);
                }
            }
            let shallow: Vec<usize> = (0..r).filter(|&j| role_depth[j] < 3).collect();
            let want = match rng.below(100) {
                0..=39 => 1,
                40..=54 => 2,
                _ => 0,
            };
            let mut inherits: Vec<usize> = Vec::new();
            while inherits.len() < want.min(shallow.len()) {
                let j = *rng.pick(&shallow);
                if !inherits.contains(&j) {
                    inherits.push(j);
                }
            }
            role_depth.push(inherits.iter().map(|&j| role_depth[j] + 1).max().unwrap_or(0));
            role_perms.push(own);
            role_inherits.push(inherits);
        }
        let mut role_closure: Vec<Bits> = Vec::with_capacity(size.roles);
        for r in 0..size.roles {
            // Roles inherit only earlier roles, whose closures are done.
            let mut bits = Bits::default();
            for &p in &role_perms[r] {
                bits.insert(p);
            }
            for &j in &role_inherits[r] {
                bits.union_with(&role_closure[j]);
            }
            role_closure.push(bits);
        }

        // Grants: one to three per person; 30 % over the whole office, 50 % limited to the
        // subtree of one of the person's own department's ancestors (or that department), 20 %
        // limited to a random department.
        let mut grants = Vec::with_capacity(size.people);
        for &own in &person_dept {
            let count = 1 + rng.below(3);
            let mut mine: Vec<PlannedGrant> = Vec::with_capacity(count);
            while mine.len() < count {
                let role = rng.below(size.roles);
                let limit = match rng.below(100) {
                    0..=29 => None,
                    30..=79 => {
                        let mut chain = vec![own];
                        while let Some(p) = parent[*chain.last().expect("a chain is never empty")] {
                            if p != ROOT {
                                chain.push(p);
                            } else {
                                break;
                            }
                        }
                        Some(*rng.pick(&chain))
                    }
                    _ => Some(1 + rng.below(size.depts)),
                };
                let g = PlannedGrant { role, limit };
                if !mine.contains(&g) {
                    mine.push(g);
                }
            }
            grants.push(mine);
        }

        Plan {
            perms,
            parent,
            children,
            dept_code,
            dept_path,
            person_dept,
            login,
            role_perms,
            role_inherits,
            role_closure,
            grants,
        }
    }

    /// Whether department `d` lies in the subtree of `root` (itself included).
    pub fn within(&self, mut d: usize, root: usize) -> bool {
        loop {
            if d == root {
                return true;
            }
            match self.parent[d] {
                Some(p) => d = p,
                None => return false,
            }
        }
    }

    /// The reference answer: does person `k` hold permission `perm` on a record of `dept`? Every
    /// role has data scope "all", so a grant reaches its subtree limit or, unlimited, everything.
    pub fn allows(&self, k: usize, perm: usize, dept: usize) -> bool {
        self.grants[k]
            .iter()
            .any(|g| self.role_closure[g.role].contains(perm) && g.limit.is_none_or(|l| self.within(dept, l)))
    }

    /// The number of departments in the subtree of `d`.
    pub fn subtree_size(&self, d: usize) -> usize {
        1 + self.children[d].iter().map(|&c| self.subtree_size(c)).sum::<usize>()
    }

    pub fn grant_count(&self) -> usize {
        self.grants.iter().map(Vec::len).sum()
    }

    fn departments_csv(&self) -> String {
        let mut out = String::from("code,name,parent_code\n");
        for d in 1..self.parent.len() {
            let parent = match self.parent[d] {
                Some(ROOT) | None => String::new(),
                Some(p) => self.dept_code[p].clone(),
            };
            out.push_str(&format!("{},Department {d},{parent}\n", self.dept_code[d]));
        }
        out
    }

    fn people_csv(&self) -> String {
        let mut out = String::from("login,name,dept_code\n");
        for (k, login) in self.login.iter().enumerate() {
            out.push_str(&format!("{login},Person {k},{}\n", self.dept_code[self.person_dept[k]]));
        }
        out
    }
}

/// A person who signed in to ask questions through the API.
pub struct Asker {
    /// Index into the plan's people.
    pub person: usize,
    pub session: Session,
}

/// The built office.
pub struct Office {
    pub oa: Oa,
    pub admin: Session,
    pub dept_id: Vec<DeptId>,
    pub person_id: Vec<PersonId>,
    pub askers: Vec<Asker>,
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    eprintln!("  {what}: {:.1} s", start.elapsed().as_secs_f64());
    out
}

impl Office {
    /// Builds the office of `plan` through the public API, on the memory store.
    pub fn build(plan: &Plan, size: Size) -> Office {
        let oa = Oa::init(
            MemoryStore::new(),
            ManualClock::monday_morning(),
            InitOffice::new("Bench Office", "admin", "Administrator", ADMIN_PASSWORD),
        )
        .expect("init the office");
        let admin = oa.sign_in("admin", ADMIN_PASSWORD).expect("the administrator signs in");

        let report = timed("import departments and people from CSV", || {
            oa.import_org_csv(&admin, plan.departments_csv().as_bytes(), plan.people_csv().as_bytes())
                .expect("import the generated CSV")
        });
        assert_eq!(report.departments_created as usize, size.depts);
        assert_eq!(report.people_created as usize, size.people);

        // Ids by code and by login.
        let depts = oa.list_departments(&admin).expect("list departments");
        let mut dept_id = vec![None; plan.parent.len()];
        for d in &depts {
            match (&d.code, d.parent) {
                (None, None) => dept_id[ROOT] = Some(d.id),
                (Some(code), _) => {
                    let i: usize = code[1..].parse().expect("a generated code");
                    dept_id[i] = Some(d.id);
                }
                (None, Some(_)) => panic!("an unexpected department without a code"),
            }
        }
        let dept_id: Vec<DeptId> = dept_id.into_iter().map(|d| d.expect("every planned department exists")).collect();
        let mut person_id = vec![None; size.people];
        let mut page = PageRequest::first(1000);
        loop {
            let got = oa.list_people(&admin, PeopleQuery::default(), page.clone()).expect("list people");
            for p in &got.items {
                if let Some(k) = p.login.strip_prefix('p').and_then(|n| n.parse::<usize>().ok()) {
                    person_id[k] = Some(p.id);
                }
            }
            match got.next_cursor {
                Some(c) => page = PageRequest::after(c, 1000),
                None => break,
            }
        }
        let person_id: Vec<PersonId> = person_id.into_iter().map(|p| p.expect("every planned person exists")).collect();

        timed(&format!("create {} roles", size.roles), || {
            for r in 0..plan.role_perms.len() {
                oa.create_role(
                    &admin,
                    NewRole {
                        code: role_code(r),
                        name: format!("Role {r}"),
                        description: String::new(),
                        permissions: plan.role_perms[r].iter().map(|&p| plan.perms[p].to_string()).collect(),
                        inherits: plan.role_inherits[r].iter().map(|&j| role_code(j)).collect(),
                        data_scope: DataScope::All,
                    },
                )
                .expect("create a role");
            }
        });

        timed(&format!("grant {} roles", plan.grant_count()), || {
            for (k, mine) in plan.grants.iter().enumerate() {
                for g in mine {
                    oa.grant_role(
                        &admin,
                        NewGrant {
                            person: person_id[k],
                            role: role_code(g.role),
                            limit_to_dept: g.limit.map(|d| dept_id[d]),
                        },
                    )
                    .expect("grant a role");
                }
            }
        });

        // The askers: spread over the people; the administrator sets a password, each signs in
        // and chooses their own (three argon2id hashes and two verifications each).
        let askers = timed(&format!("sign in {} askers", size.askers), || {
            (0..size.askers)
                .map(|i| {
                    let k = i * (size.people / size.askers);
                    oa.reset_password(&admin, person_id[k], RESET_PASSWORD).expect("reset a password");
                    let session = oa.sign_in(&plan.login[k], RESET_PASSWORD).expect("an asker signs in");
                    oa.change_password(&session, RESET_PASSWORD, ASKER_PASSWORD).expect("an asker sets a password");
                    Asker { person: k, session }
                })
                .collect()
        });
        Office { oa, admin, dept_id, person_id, askers }
    }

    /// The people of a department subtree, page after page, as the administrator sees them.
    pub fn people_pages(&self, dept: usize, limit: u32) -> Vec<(PageRequest, Vec<Person>)> {
        let query = PeopleQuery { dept: Some(self.dept_id[dept]), include_subtree: true, ..PeopleQuery::default() };
        let mut out = Vec::new();
        let mut page = PageRequest::first(limit);
        loop {
            let got = self.oa.list_people(&self.admin, query.clone(), page.clone()).expect("list people");
            let next = got.next_cursor.clone();
            out.push((page, got.items));
            match next {
                Some(c) => page = PageRequest::after(c, limit),
                None => return out,
            }
        }
    }
}

/// One permission question: may the asker act with `perm` on a record of `dept` owned by `owner`?
#[derive(Debug, Clone, Copy)]
pub struct Question {
    /// Index into the office's askers.
    pub asker: usize,
    /// Index into the plan's people (the asker's person).
    pub person: usize,
    pub perm: usize,
    pub dept: usize,
    pub owner: usize,
    /// The reference model's answer.
    pub expected: bool,
}

/// Mixed questions: about 60 % about a permission the asker holds, half of the departments
/// inside one of the asker's limited grants; the rest at random.
pub fn questions(plan: &Plan, office: &Office, count: usize, rng: &mut Rng) -> Vec<Question> {
    let n_depts = plan.parent.len();
    (0..count)
        .map(|_| {
            let asker = rng.below(office.askers.len());
            let person = office.askers[asker].person;
            let held: Vec<usize> = (0..plan.perms.len())
                .filter(|&p| plan.grants[person].iter().any(|g| plan.role_closure[g.role].contains(p)))
                .collect();
            let perm = if !held.is_empty() && rng.chance(60) { *rng.pick(&held) } else { rng.below(plan.perms.len()) };
            let limits: Vec<usize> = plan.grants[person].iter().filter_map(|g| g.limit).collect();
            let dept = if !limits.is_empty() && rng.chance(50) {
                // A random walk down from one of the limits.
                let mut d = *rng.pick(&limits);
                while !plan.children[d].is_empty() && rng.chance(60) {
                    d = *rng.pick(&plan.children[d]);
                }
                d
            } else {
                rng.below(n_depts)
            };
            let owner = rng.below(plan.login.len());
            Question { asker, person, perm, dept, owner, expected: plan.allows(person, perm, dept) }
        })
        .collect()
}
