//! The same office as a casbin-rs policy (RBAC with domains), for the side-by-side comparison.
//!
//! - request `(sub, dom, obj, act)`: the person's login, the department's path
//!   (`/root/D001/D017/`), and the permission `module.resource.action` split at its last dot
//!   into `obj` (`module.resource`) and `act` (`action`);
//! - `p, role, obj, act`: a role's own permissions;
//! - `g, role, inherited_role, /*`: role inheritance, in every department;
//! - `g, person, role, /*` for a grant over the whole office, `g, person, role, <path>*` for a
//!   grant limited to the subtree of the department at `<path>`.
//!
//! A domain matching function makes `<path>*` match the department at `<path>` and every
//! department below it. Paths end in `/` and their segments are unique codes without `:`, `*`
//! or regex metacharacters, so `key_match2` (casbin's built-in: `/*` becomes `/.*`) and a plain
//! prefix test give the same answer; [`check_matchers_agree`] checks it on every pair before
//! anything is measured.
//!
//! The matcher tests `obj` and `act` before calling `g`, so that casbin calls its role manager
//! only for the policy lines of the permission asked about (casbin's examples put `g` first,
//! which calls it for every line): the comparison is with casbin at its best.

use casbin::prelude::*;

use super::office::{role_code, Plan, Question};

const MODEL: &str = r#"
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.obj == p.obj && r.act == p.act && g(r.sub, p.sub, r.dom)
"#;

/// The domain every department matches: grants over the whole office and role inheritance.
const EVERYWHERE: &str = "/*";

/// Casbin's own matcher for paths: `/*` matches anything below, by regular expression
/// (compiled at each call).
pub fn key_match2(request: &str, pattern: &str) -> bool {
    casbin::function_map::key_match2(request, pattern)
}

/// The same test as [`key_match2`] on these paths, without a regular expression: a pattern
/// ending in `*` matches what starts with the rest of it.
pub fn subtree_match(request: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => request.starts_with(prefix),
        None => request == pattern,
    }
}

/// `module.resource.action` as casbin's `(obj, act)`.
pub fn obj_act(permission: &str) -> (&str, &str) {
    permission.rsplit_once('.').expect("permission names have a dot")
}

/// The policy: `p` lines and `g` lines.
pub struct Policy {
    pub p: Vec<Vec<String>>,
    pub g: Vec<Vec<String>>,
}

impl Policy {
    pub fn of(plan: &Plan) -> Policy {
        let mut p = Vec::new();
        let mut g = Vec::new();
        for (r, perms) in plan.role_perms.iter().enumerate() {
            for &perm in perms {
                let (obj, act) = obj_act(plan.perms[perm]);
                p.push(vec![role_code(r), obj.to_string(), act.to_string()]);
            }
            for &j in &plan.role_inherits[r] {
                g.push(vec![role_code(r), role_code(j), EVERYWHERE.to_string()]);
            }
        }
        for (k, grants) in plan.grants.iter().enumerate() {
            for grant in grants {
                let dom = match grant.limit {
                    None => EVERYWHERE.to_string(),
                    Some(d) => format!("{}*", plan.dept_path[d]),
                };
                g.push(vec![plan.login[k].clone(), role_code(grant.role), dom]);
            }
        }
        Policy { p, g }
    }

    /// How many `g` lines the policy would need without a domain matching function, with one
    /// line per department a grant or an inheritance reaches (exact, but large).
    pub fn expanded_g_lines(plan: &Plan) -> usize {
        let all = plan.parent.len();
        let inherit: usize = plan.role_inherits.iter().map(Vec::len).sum::<usize>() * all;
        let grants: usize = plan
            .grants
            .iter()
            .flatten()
            .map(|g| match g.limit {
                None => all,
                Some(d) => plan.subtree_size(d),
            })
            .sum();
        inherit + grants
    }
}

/// A casbin enforcer loaded with `policy`, its role manager matching domains with
/// [`subtree_match`] (switch with [`set_matcher`]).
///
/// The lines are added broadest domain first (`/*`, then patterns by depth), so that a new
/// domain copies the links of the broader ones when casbin creates it; in the other order
/// casbin propagates each broad link into every narrower domain graph with a linear search per
/// node, and loading takes minutes instead of seconds. The order changes no answer.
pub fn enforcer(policy: &Policy) -> Enforcer {
    let mut g = policy.g.clone();
    g.sort_by_key(|line| if line[2] == EVERYWHERE { 0 } else { line[2].matches('/').count() });
    let runtime = tokio::runtime::Builder::new_current_thread().build().expect("a tokio runtime");
    runtime.block_on(async {
        let model = DefaultModel::from_str(MODEL).await.expect("the casbin model parses");
        let mut e = Enforcer::new(model, MemoryAdapter::default()).await.expect("a casbin enforcer");
        // Before the policy is added, so that links are propagated across matching domains.
        set_matcher(&e, subtree_match);
        e.add_policies(policy.p.clone()).await.expect("add p lines");
        e.add_grouping_policies(g).await.expect("add g lines");
        e
    })
}

/// Makes the role manager of `e` match domains with `matcher` from now on.
///
/// Loading with [`key_match2`] gives the same role graphs as with [`subtree_match`] (they agree
/// on every pair of paths and patterns, [`check_matchers_agree`]), but compiles a regular
/// expression per pair of domains per line, which takes minutes at this size: the policy is
/// loaded once with [`subtree_match`] and the matcher switched for the `key_match2` figures.
pub fn set_matcher(e: &Enforcer, matcher: fn(&str, &str) -> bool) {
    e.get_role_manager().write().matching_fn(None, Some(matcher));
}

/// The request of a question, as casbin takes it.
pub struct Request {
    pub sub: String,
    pub dom: String,
    pub obj: String,
    pub act: String,
}

pub fn requests(plan: &Plan, questions: &[Question]) -> Vec<Request> {
    questions
        .iter()
        .map(|q| {
            let (obj, act) = obj_act(plan.perms[q.perm]);
            Request {
                sub: plan.login[q.person].clone(),
                dom: plan.dept_path[q.dept].clone(),
                obj: obj.to_string(),
                act: act.to_string(),
            }
        })
        .collect()
}

pub fn enforce(e: &Enforcer, r: &Request) -> bool {
    e.enforce((r.sub.as_str(), r.dom.as_str(), r.obj.as_str(), r.act.as_str())).expect("casbin enforces")
}

/// Panics unless `key_match2` and `subtree_match` agree on every department path and every
/// domain pattern of the policy against every domain pattern (casbin matches patterns against
/// patterns while it loads), and unless both mean "inside the subtree".
pub fn check_matchers_agree(plan: &Plan) {
    let mut patterns: Vec<String> = plan.dept_path.iter().map(|p| format!("{p}*")).collect();
    patterns.push(EVERYWHERE.to_string());
    for key in plan.dept_path.iter().chain(&patterns) {
        for pattern in &patterns {
            let (a, b) = (key_match2(key, pattern), subtree_match(key, pattern));
            assert_eq!(a, b, "key_match2 and the prefix test disagree on `{key}` against `{pattern}`");
        }
    }
    for (d, path) in plan.dept_path.iter().enumerate() {
        for (root, root_path) in plan.dept_path.iter().enumerate() {
            assert_eq!(subtree_match(path, &format!("{root_path}*")), plan.within(d, root));
        }
        assert!(subtree_match(path, EVERYWHERE));
    }
}
