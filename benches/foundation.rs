//! Benchmarks of the foundation: permission checks in an office of 10 000 people, side by side
//! with casbin-rs on the same questions; a sign-in; a page of the people of a department
//! subtree. See BENCHMARKS.md for the figures and how to read them.
//!
//! `cargo bench --bench foundation` builds the office once through the public API (about two
//! minutes on 2 cores), checks that oa, casbin and a reference model give the same answers (a
//! mismatch panics), then measures. Run without `--bench` (`cargo test --benches`) or with
//! `--test`, it builds a small office and runs each benchmark once.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode};
use oa::org::PeopleQuery;
use oa::PageRequest;

#[path = "foundation/office.rs"]
mod office;
#[path = "foundation/peer_casbin.rs"]
mod peer_casbin;

use office::{Office, Plan, Question, Rng, Size, ROOT};

struct Fixture {
    plan: Plan,
    office: Office,
    questions: Vec<Question>,
}

fn build(size: Size) -> Fixture {
    eprintln!("building the office: {size:?}");
    let mut rng = Rng::new(0x0a0a_2026);
    let plan = Plan::generate(size, &mut rng);
    eprintln!(
        "  {} permissions in the catalogue; the casbin policy will have {} p lines",
        plan.perms.len(),
        peer_casbin::Policy::of(&plan).p.len()
    );
    let office = Office::build(&plan, size);
    let questions = office::questions(&plan, &office, size.questions, &mut rng);
    let allowed = questions.iter().filter(|q| q.expected).count();
    eprintln!(
        "  {} departments, {} people, {} roles, {} grants ({} limited to a subtree), {} questions ({allowed} allowed)",
        plan.parent.len(),
        plan.login.len() + 1,
        plan.role_perms.len(),
        plan.grant_count(),
        plan.grants.iter().flatten().filter(|g| g.limit.is_some()).count(),
        questions.len(),
    );
    // A list of only "yes" or only "no" would measure one path of each contender.
    assert!(
        allowed * 4 >= questions.len() && allowed * 4 <= questions.len() * 3,
        "the questions should mix allowed and denied: {allowed} of {} allowed",
        questions.len()
    );
    Fixture { plan, office, questions }
}

/// Panics unless oa answers every question as the reference model does.
fn verify_oa(fx: &Fixture) {
    for (i, q) in fx.questions.iter().enumerate() {
        let got = fx
            .office
            .oa
            .check_permission(
                &fx.office.askers[q.asker].session,
                fx.plan.perms[q.perm],
                Some(fx.office.dept_id[q.dept]),
                Some(fx.office.person_id[q.owner]),
            )
            .expect("check_permission");
        assert_eq!(got, q.expected, "oa and the reference model disagree on question {i}: {q:?}");
    }
}

/// Panics unless casbin answers the first `count` questions as the reference model (and so oa)
/// does.
fn verify_casbin(
    name: &str,
    e: &casbin::Enforcer,
    requests: &[peer_casbin::Request],
    questions: &[Question],
    count: usize,
) {
    let start = Instant::now();
    for (i, (r, q)) in requests.iter().zip(questions).take(count).enumerate() {
        let got = peer_casbin::enforce(e, r);
        assert_eq!(
            got, q.expected,
            "casbin ({name}) and oa disagree on question {i}: ({}, {}, {}, {}), oa says {}",
            r.sub, r.dom, r.obj, r.act, q.expected
        );
    }
    let n = count.min(questions.len());
    let took = start.elapsed().as_secs_f64();
    eprintln!(
        "  casbin ({name}) agrees with oa on {n} of {} questions ({took:.1} s, {:.0} µs each)",
        questions.len(),
        took * 1e6 / n as f64
    );
}

fn bench_permission_checks(c: &mut Criterion, fx: &Fixture) {
    let plan = &fx.plan;
    let office = &fx.office;
    let qs = &fx.questions;

    let start = Instant::now();
    peer_casbin::check_matchers_agree(plan);
    eprintln!(
        "  key_match2 and the prefix test agree on every pair of paths and patterns ({:.1} s)",
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let policy = peer_casbin::Policy::of(plan);
    let casbin = peer_casbin::enforcer(&policy);
    eprintln!(
        "  casbin policy: {} p lines, {} g lines ({} with a subtree pattern); expanded to one g line per department reached it would be {} g lines; loaded in {:.1} s",
        policy.p.len(),
        policy.g.len(),
        policy.g.iter().filter(|g| g[2] != "/*").count(),
        peer_casbin::Policy::expanded_g_lines(plan),
        start.elapsed().as_secs_f64(),
    );
    let requests = peer_casbin::requests(plan, qs);

    verify_oa(fx);
    eprintln!("  oa agrees with the reference model on all {} questions", qs.len());
    verify_casbin("prefix match", &casbin, &requests, qs, qs.len());
    // With key_match2 only the role manager's domain test differs, and it gives the same answer
    // as the prefix test on every pair (check_matchers_agree); a few questions confirm it end to
    // end (each costs milliseconds of regular-expression compilation).
    peer_casbin::set_matcher(&casbin, peer_casbin::key_match2);
    verify_casbin("key_match2", &casbin, &requests, qs, 16);
    peer_casbin::set_matcher(&casbin, peer_casbin::subtree_match);

    // The compiled snapshot a UI holds: one per asker, asked the same questions.
    let principals: Vec<_> =
        office.askers.iter().map(|a| office.oa.principal(&a.session).expect("principal")).collect();
    for (i, q) in qs.iter().enumerate() {
        let got = principals[q.asker].allows_on(
            plan.perms[q.perm],
            Some(office.dept_id[q.dept]),
            Some(office.person_id[q.owner]),
        );
        assert_eq!(got, q.expected, "the compiled principal and the reference model disagree on question {i}: {q:?}");
    }

    let mut group = c.benchmark_group("permission_check");
    group.bench_function("oa/principal_allows_on", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = &qs[i];
            i = (i + 1) % qs.len();
            black_box(principals[q.asker].allows_on(
                plan.perms[q.perm],
                Some(office.dept_id[q.dept]),
                Some(office.person_id[q.owner]),
            ))
        })
    });
    group.bench_function("oa/check_permission", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = &qs[i];
            i = (i + 1) % qs.len();
            black_box(
                office
                    .oa
                    .check_permission(
                        &office.askers[q.asker].session,
                        plan.perms[q.perm],
                        Some(office.dept_id[q.dept]),
                        Some(office.person_id[q.owner]),
                    )
                    .expect("check_permission"),
            )
        })
    });
    group.bench_function("casbin/enforce_prefix_match", |b| {
        let mut i = 0;
        b.iter(|| {
            let r = &requests[i];
            i = (i + 1) % requests.len();
            black_box(peer_casbin::enforce(&casbin, r))
        })
    });
    group.finish();

    peer_casbin::set_matcher(&casbin, peer_casbin::key_match2);
    // key_match2 compiles a regular expression for every domain it tests: slow enough that it
    // gets fewer samples.
    let mut group = c.benchmark_group("permission_check_slow");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("casbin/enforce_key_match2", |b| {
        let mut i = 0;
        b.iter(|| {
            let r = &requests[i];
            i = (i + 1) % requests.len();
            black_box(peer_casbin::enforce(&casbin, r))
        })
    });
    group.finish();
}

fn bench_sign_in(c: &mut Criterion, fx: &Fixture) {
    let login = &fx.plan.login[fx.office.askers[0].person];
    let mut group = c.benchmark_group("auth");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.bench_function("sign_in", |b| {
        b.iter(|| black_box(fx.office.oa.sign_in(login, office::ASKER_PASSWORD).expect("sign in")))
    });
    group.finish();
}

fn bench_people_page(c: &mut Criterion, fx: &Fixture) {
    let plan = &fx.plan;
    let office = &fx.office;
    // The division with the most people (and its whole subtree).
    let division = plan.children[ROOT]
        .iter()
        .copied()
        .max_by_key(|&d| plan.person_dept.iter().filter(|&&pd| plan.within(pd, d)).count())
        .expect("the office has divisions");
    let pages = office.people_pages(division, 50);
    let people: usize = pages.iter().map(|(_, items)| items.len()).sum();
    let middle = pages[pages.len() / 2].0.clone();
    eprintln!(
        "  people pages: division {} holds {people} people in {} departments, {} pages of 50; the middle page is page {}",
        plan.dept_code[division],
        plan.subtree_size(division),
        pages.len(),
        pages.len() / 2 + 1
    );
    let query = PeopleQuery { dept: Some(office.dept_id[division]), include_subtree: true, ..PeopleQuery::default() };

    let mut group = c.benchmark_group("list_people_subtree");
    for (name, page) in [("first_page_of_50", PageRequest::first(50)), ("middle_page_of_50", middle)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let got = office.oa.list_people(&office.admin, query.clone(), page.clone()).expect("list people");
                assert_eq!(got.items.len(), 50);
                black_box(got)
            })
        });
    }
    group.finish();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let full = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let fx = build(if full { Size::FULL } else { Size::QUICK });
    bench_permission_checks(&mut c, &fx);
    bench_sign_in(&mut c, &fx);
    bench_people_page(&mut c, &fx);
    c.final_summary();
}
