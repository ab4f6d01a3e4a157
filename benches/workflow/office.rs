//! The offices the workflow benchmarks run in, built through the public API only: the expense
//! form and process every benchmark runs, teams of people who start and approve it, and the
//! large office whose todo lists hold a million instances.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use oa::org::PeopleQuery;
use oa::perm::{DataScope, NewGrant, NewRole};
use oa::workflow::runtime::{Instance, InstanceStatus, StartProcess, TaskQuery};
use oa::{InitOffice, NewForm, Oa, PageRequest, PersonId, Session, Store, SystemClock};
use serde_json::json;

/// The administrator's password.
const ADMIN_PASSWORD: &str = "correct horse battery";
/// The password the administrator gives people (to change at the first sign-in).
const RESET_PASSWORD: &str = "bench-reset-0001";
/// The password people choose.
const CHOSEN_PASSWORD: &str = "bench-chosen-0002";

/// The key of the form and of the process.
pub const PROCESS: &str = "expense";

/// A SplitMix64 generator, so that every run builds the same office.
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
}

pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    eprintln!("  {what}: {:.1} s", start.elapsed().as_secs_f64());
    out
}

/// A new office on `store` with its administrator signed in.
fn init(store: impl Store) -> (Oa, Session) {
    let oa = Oa::init(store, SystemClock, InitOffice::new("Bench Office", "admin", "Administrator", ADMIN_PASSWORD))
        .expect("init the office");
    let admin = oa.sign_in("admin", ADMIN_PASSWORD).expect("the administrator signs in");
    (oa, admin)
}

/// The expense form, the roles the process needs, and the process:
/// start → the manager named in the form (single) → the director named in the form (single) →
/// the three reviewers of the initiator's department countersign (会签, all) → end.
fn publish_process(oa: &Oa, admin: &Session) {
    let form: NewForm = serde_json::from_value(json!({
        "key": PROCESS, "name": "报销 Expense",
        "fields": [
            {"key": "amount", "label": "金额", "type": "number", "required": true, "min": "0"},
            {"key": "reason", "label": "事由", "type": "text", "required": true},
            {"key": "manager", "label": "经理", "type": "person", "required": true},
            {"key": "director", "label": "总监", "type": "person", "required": true}
        ]
    }))
    .expect("the form parses");
    oa.define_form(admin, form).expect("define the form");
    for (code, permissions) in [("staff", vec!["workflow.instance.start".to_string()]), ("reviewer", vec![])] {
        oa.create_role(
            admin,
            NewRole {
                code: code.into(),
                name: code.into(),
                description: String::new(),
                permissions,
                inherits: vec![],
                data_scope: DataScope::All,
            },
        )
        .expect("create a role");
    }
    let process = json!({
        "key": PROCESS, "name": "报销审批", "formKey": PROCESS,
        "process": {
            "nodeId": "start", "type": "start",
            "childNode": {
                "nodeId": "manager", "type": "approval", "name": "经理",
                "props": {"approvers": {"strategy": "form_field", "field": "manager"}, "method": "single"},
                "childNode": {
                    "nodeId": "director", "type": "approval", "name": "总监",
                    "props": {"approvers": {"strategy": "form_field", "field": "director"}, "method": "single"},
                    "childNode": {
                        "nodeId": "review", "type": "approval", "name": "会签",
                        "props": {
                            "approvers": {"strategy": "role", "role": "reviewer", "within_initiator_dept": true},
                            "method": "all"
                        }
                    }
                }
            }
        }
    });
    oa.publish_process_json(admin, &process.to_string()).expect("publish the process");
}

/// Gives `person` a password and a session of their own (three argon2id hashes and two
/// verifications: tens of milliseconds each).
fn session_of(oa: &Oa, admin: &Session, person: PersonId, login: &str) -> Session {
    oa.reset_password(admin, person, RESET_PASSWORD).expect("reset a password");
    let first = oa.sign_in(login, RESET_PASSWORD).expect("sign in");
    oa.change_password(&first, RESET_PASSWORD, CHOSEN_PASSWORD).expect("choose a password");
    first
}

/// Every person of the office by login.
fn people_by_login(oa: &Oa, admin: &Session) -> std::collections::HashMap<String, PersonId> {
    let mut out = std::collections::HashMap::new();
    let mut page = PageRequest::first(1000);
    loop {
        let got = oa.list_people(admin, PeopleQuery::default(), page.clone()).expect("list people");
        for p in got.items {
            out.insert(p.login, p.id);
        }
        match got.next_cursor {
            Some(c) => page = PageRequest::after(c, 1000),
            None => return out,
        }
    }
}

fn grant(oa: &Oa, admin: &Session, person: PersonId, role: &str) {
    oa.grant_role(admin, NewGrant { person, role: role.into(), limit_to_dept: None }).expect("grant a role");
}

/// The data of an expense claim approved by `manager` and `director`.
pub fn claim(n: usize, manager: PersonId, director: PersonId) -> StartProcess {
    StartProcess {
        process_key: PROCESS.into(),
        version: None,
        title: format!("Expense claim {n}"),
        data: json!({
            "amount": format!("{}.50", 100 + n % 5000),
            "reason": "client visit",
            "manager": manager.to_string(),
            "director": director.to_string(),
        }),
        business_key: None,
    }
}

/// One client's people: who starts claims, and the five approvers in process order (manager,
/// director, three reviewers), all of one department of their own.
pub struct Team {
    pub initiator: Session,
    pub manager: PersonId,
    pub director: PersonId,
    pub approvers: Vec<Session>,
}

impl Team {
    /// Runs one claim from start to end, as the people would: the initiator starts it, and each
    /// approver in turn opens their todo list (first page of 20), finds the claim's task there
    /// and approves it. Six writes and five reads.
    pub fn run_claim(&self, oa: &Oa, n: usize) {
        oa.start_process(&self.initiator, claim(n, self.manager, self.director)).expect("start a claim");
        let mut last: Option<Instance> = None;
        for s in &self.approvers {
            let page = oa.todo(s, TaskQuery::default(), PageRequest::first(20)).expect("todo");
            assert_eq!(page.items.len(), 1, "each approver of a team has one task pending at a time");
            last = Some(oa.approve(s, page.items[0].id, "同意", None).expect("approve"));
        }
        let last = last.expect("the process has approvers");
        assert_eq!(last.status, InstanceStatus::Approved, "the claim ends approved after its five approvals");
    }
}

/// What one claim's calls cost, summed over the claims of [`Team::timed_claim`].
#[derive(Default)]
pub struct Breakdown {
    pub claims: u32,
    /// `start_process`.
    pub start: Duration,
    /// The five `todo` calls.
    pub todo: Duration,
    /// The manager's and the director's approvals (each opens the next node).
    pub single: Duration,
    /// The first two reviewers' approvals (the node waits for the third).
    pub countersign: Duration,
    /// The last reviewer's approval (the node passes and the claim ends).
    pub last: Duration,
}

impl Breakdown {
    pub fn report(&self) {
        let us = |d: Duration, calls: u32| d.as_secs_f64() * 1e6 / f64::from(self.claims * calls);
        eprintln!(
            "  one client alone, mean per call over {} claims: start_process {:.1} µs, todo {:.1} µs, approve (opens the next node) {:.1} µs, approve (the countersign waits) {:.1} µs, approve (the claim ends) {:.1} µs; {:.1} µs per claim",
            self.claims,
            us(self.start, 1),
            us(self.todo, 5),
            us(self.single, 2),
            us(self.countersign, 2),
            us(self.last, 1),
            us(self.start + self.todo + self.single + self.countersign + self.last, 1),
        );
    }
}

impl Team {
    /// [`Team::run_claim`], timing each kind of call.
    pub fn timed_claim(&self, oa: &Oa, n: usize, b: &mut Breakdown) {
        let t = Instant::now();
        oa.start_process(&self.initiator, claim(n, self.manager, self.director)).expect("start a claim");
        b.start += t.elapsed();
        for (i, s) in self.approvers.iter().enumerate() {
            let t = Instant::now();
            let page = oa.todo(s, TaskQuery::default(), PageRequest::first(20)).expect("todo");
            b.todo += t.elapsed();
            let t = Instant::now();
            oa.approve(s, page.items[0].id, "同意", None).expect("approve");
            let took = t.elapsed();
            match i {
                0 | 1 => b.single += took,
                2 | 3 => b.countersign += took,
                _ => b.last += took,
            }
        }
        b.claims += 1;
    }
}

/// An office on `store` with `teams` teams, each in a department of its own.
pub fn teams_office(store: impl Store, teams: usize) -> (Oa, Vec<Team>) {
    let (oa, admin) = init(store);
    publish_process(&oa, &admin);
    let mut depts = String::from("code,name,parent_code\n");
    let mut people = String::from("login,name,dept_code\n");
    let roles = ["i", "m", "d", "ra", "rb", "rc"];
    for t in 0..teams {
        depts.push_str(&format!("T{t:02},Team {t},\n"));
        for r in roles {
            people.push_str(&format!("{r}{t:02},Person {r}{t:02},T{t:02}\n"));
        }
    }
    oa.import_org_csv(&admin, depts.as_bytes(), people.as_bytes()).expect("import the teams");
    let ids = people_by_login(&oa, &admin);
    let id = |login: &str| ids[login];
    let teams = timed(&format!("sign in {} people", teams * roles.len()), || {
        (0..teams)
            .map(|t| {
                let login = |r: &str| format!("{r}{t:02}");
                grant(&oa, &admin, id(&login("i")), "staff");
                for r in ["ra", "rb", "rc"] {
                    grant(&oa, &admin, id(&login(r)), "reviewer");
                }
                let s = |r: &str| session_of(&oa, &admin, id(&login(r)), &login(r));
                Team {
                    initiator: s("i"),
                    manager: id(&login("m")),
                    director: id(&login("d")),
                    approvers: ["m", "d", "ra", "rb", "rc"].into_iter().map(s).collect(),
                }
            })
            .collect()
    });
    (oa, teams)
}

/// The large office: `people` people in departments of 100, `instances` running claims started
/// by a few initiators, each waiting for the manager the claim names: one claim in a hundred
/// names one busy manager, the others a manager drawn at random from everybody.
pub struct TodoOffice {
    pub oa: Oa,
    /// A person with a typical todo list, their session and how many tasks it holds.
    pub typical: (Session, usize),
    /// The busy manager, their session and how many tasks their list holds.
    pub busy: (Session, usize),
}

/// How many people start the claims of the large office.
const INITIATORS: usize = 16;

pub fn todo_office(store: impl Store, people: usize, instances: usize) -> TodoOffice {
    let (oa, admin) = init(store);
    publish_process(&oa, &admin);
    let depts_n = people.div_ceil(100);
    let mut depts = String::from("code,name,parent_code\n");
    for d in 0..depts_n {
        depts.push_str(&format!("D{d:03},Department {d},\n"));
    }
    let mut csv = String::from("login,name,dept_code\n");
    for k in 0..people {
        csv.push_str(&format!("p{k:05},Person {k},D{:03}\n", k / 100));
    }
    timed(&format!("import {depts_n} departments and {people} people"), || {
        oa.import_org_csv(&admin, depts.as_bytes(), csv.as_bytes()).expect("import the office")
    });
    let ids = people_by_login(&oa, &admin);
    let person: Vec<PersonId> = (0..people).map(|k| ids[&format!("p{k:05}")]).collect();

    // The plan: who each claim names as its manager (and so whose todo list it lands in).
    let busy = 0usize;
    let mut rng = Rng::new(0x0a0a_2026);
    let plan: Vec<(usize, usize)> = (0..instances)
        .map(|n| {
            let manager = if n % 100 == 0 { busy } else { 1 + rng.below(people - 1) };
            (manager, rng.below(people))
        })
        .collect();
    let mut count = vec![0usize; people];
    for (m, _) in &plan {
        count[*m] += 1;
    }
    // Initiators are spread over the office (they are managers of claims too), apart from the
    // people whose lists are measured, whose sessions signing in again would replace.
    let initiator_k: Vec<usize> =
        (0..INITIATORS).map(|i| i * (people / INITIATORS) + people / INITIATORS / 2).collect();
    let mut by_count: Vec<usize> = (1..people).filter(|k| !initiator_k.contains(k)).collect();
    by_count.sort_by_key(|&k| (count[k], k));
    let typical = by_count[by_count.len() / 2];

    let initiators: Vec<Session> = timed(&format!("sign in {INITIATORS} initiators"), || {
        initiator_k
            .iter()
            .map(|&k| {
                grant(&oa, &admin, person[k], "staff");
                session_of(&oa, &admin, person[k], &format!("p{k:05}"))
            })
            .collect()
    });
    // Two clients, one per core, each starting every second claim of the plan with its own
    // initiators; the writes themselves are serialised by the store.
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    timed(&format!("start {instances} claims"), || {
        std::thread::scope(|s| {
            for c in 0..2 {
                let (oa, plan, person, initiators, next) = (&oa, &plan, &person, &initiators, &next);
                s.spawn(move || {
                    let mut n = c;
                    while n < plan.len() {
                        let (m, d) = plan[n];
                        let who = &initiators[(n / 2) % (INITIATORS / 2) * 2 + c];
                        oa.start_process(who, claim(n, person[m], person[d])).expect("start a claim");
                        let done = next.fetch_add(1, Ordering::Relaxed) + 1;
                        if done % 100_000 == 0 {
                            eprintln!(
                                "    {done} claims started ({:.0} per second)",
                                done as f64 / started.elapsed().as_secs_f64()
                            );
                        }
                        n += 2;
                    }
                });
            }
        })
    });
    let sign_in = |k: usize| session_of(&oa, &admin, person[k], &format!("p{k:05}"));
    let typical = (sign_in(typical), count[typical]);
    let busy = (sign_in(busy), count[busy]);
    TodoOffice { oa, typical, busy }
}
