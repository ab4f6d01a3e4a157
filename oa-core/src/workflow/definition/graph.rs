//! The structure of a process graph: ids, flows, the start and the ends, loops, reachability,
//! and the nesting of parallel splits and joins. Everything here reads only the graph; the
//! settings of each node are checked in `check.rs`.
//!
//! The result, [`Structure`], is what a runtime walks: nodes by index, outgoing and incoming
//! flows per node, a topological order, and each parallel split paired with its join.

use std::collections::HashMap;

use super::model::{NodeKind, ProcessGraph};
use crate::error::Problems;

/// The most nodes a graph may have.
pub const MAX_NODES: usize = 500;
/// The most branches one gateway may have.
pub const MAX_BRANCHES: usize = 50;
/// The longest node id, in characters.
pub const MAX_NODE_ID_LEN: usize = 64;
/// The longest node or branch name, in characters.
pub const MAX_NODE_NAME_LEN: usize = 100;

/// Whether `id` is a well-formed node id: 1 to 64 ASCII letters, digits, `_`, `-` and `.`.
pub fn is_node_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_NODE_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// The structure of a graph that passed every structural check.
#[derive(Debug, Clone)]
pub(crate) struct Structure {
    /// Node index by id.
    pub(crate) index: HashMap<String, usize>,
    /// The start node.
    pub(crate) start: usize,
    /// The nodes each node leads to, in the order of its flows (a gateway's branches).
    pub(crate) succ: Vec<Vec<usize>>,
    /// The nodes leading to each node.
    pub(crate) pred: Vec<Vec<usize>>,
    /// Every node, each after every node that leads to it.
    pub(crate) order: Vec<usize>,
    /// The parallel branches each node lies in, outermost first: (split, branch number).
    pub(crate) scope: Vec<Vec<(usize, usize)>>,
    /// The join of each parallel split.
    pub(crate) join_of: Vec<Option<usize>>,
    /// The split of each join.
    pub(crate) split_of: Vec<Option<usize>>,
}

impl Structure {
    /// Whether there is a path from `from` to `to` (a node does not precede itself).
    pub(crate) fn precedes(&self, from: usize, to: usize) -> bool {
        if from == to {
            return false;
        }
        let mut seen = vec![false; self.succ.len()];
        let mut stack = vec![from];
        while let Some(n) = stack.pop() {
            for &m in &self.succ[n] {
                if m == to {
                    return true;
                }
                if !seen[m] {
                    seen[m] = true;
                    stack.push(m);
                }
            }
        }
        false
    }

    /// The splits enclosing node `n`, outermost first.
    pub(crate) fn splits_around(&self, n: usize) -> Vec<usize> {
        self.scope[n].iter().map(|(s, _)| *s).collect()
    }
}

/// The path of node `id` in validation errors.
pub(crate) fn at(id: &str) -> String {
    format!("nodes[{id}]")
}

/// The path of a field of node `id`.
pub(crate) fn at_field(id: &str, field: &str) -> String {
    format!("nodes[{id}].{field}")
}

/// Checks the structure of `graph`, reporting every problem into `problems` with the path of
/// the node (and field) at fault. Returns the structure when nothing structural is wrong.
///
/// The checks run in three rounds, each only when the one before found nothing, so a mistake
/// is reported once rather than echoed by the rounds after it: (1) ids, names, flows to
/// unknown nodes, the start and the ends, the branches of gateways; (2) loops and
/// reachability; (3) the nesting of parallel splits and joins.
pub(crate) fn analyse(graph: &ProcessGraph, problems: &mut Problems) -> Option<Structure> {
    let before = problems.len();
    let nodes = &graph.nodes;
    if nodes.is_empty() {
        problems.add("nodes", "a process needs a start node, the nodes between and an end node");
        return None;
    }
    if nodes.len() > MAX_NODES {
        problems.add("nodes", format!("a process has at most {MAX_NODES} nodes, found {}", nodes.len()));
        return None;
    }

    // Round 1: ids, names, flows, start and ends, gateways.
    let mut index: HashMap<String, usize> = HashMap::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        if !is_node_id(&node.id) {
            problems.add(
                format!("nodes[{i}].id"),
                format!("`{}` is not a node id: use 1 to {MAX_NODE_ID_LEN} letters, digits, `_`, `-` or `.`", node.id),
            );
            continue;
        }
        if let Some(&j) = index.get(&node.id) {
            problems.add(format!("nodes[{i}].id"), format!("`{}` is already the id of nodes[{j}]", node.id));
            continue;
        }
        index.insert(node.id.clone(), i);
    }
    for node in nodes {
        let len = node.name.chars().count();
        if len > MAX_NODE_NAME_LEN {
            problems
                .add(at_field(&node.id, "name"), format!("must be at most {MAX_NODE_NAME_LEN} characters, got {len}"));
        }
    }
    let starts: Vec<usize> =
        nodes.iter().enumerate().filter(|(_, n)| matches!(n.kind, NodeKind::Start { .. })).map(|(i, _)| i).collect();
    match starts.as_slice() {
        [] => problems.add("nodes", "a process needs a start node"),
        [_] => {}
        [first, rest @ ..] => {
            for &s in rest {
                problems
                    .add(at(&nodes[s].id), format!("a process has one start node, and `{}` is it", nodes[*first].id));
            }
        }
    }
    if !nodes.iter().any(|n| matches!(n.kind, NodeKind::End)) {
        problems.add("nodes", "a process needs an end node");
    }
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, node) in nodes.iter().enumerate() {
        check_gateway(node.id.as_str(), &node.kind, problems);
        for (field, target) in node.kind.outgoing() {
            match index.get(target) {
                None if target.is_empty() => problems.add(at_field(&node.id, &field), "names no node"),
                None => problems.add(
                    at_field(&node.id, &field),
                    format!("leads to `{target}`, which is not a node of the process"),
                ),
                Some(&t) if matches!(nodes[t].kind, NodeKind::Start { .. }) => {
                    problems.add(at_field(&node.id, &field), format!("leads back to the start node `{target}`"))
                }
                Some(&t) => succ[i].push(t),
            }
        }
    }
    if problems.len() > before {
        return None;
    }
    let start = starts.first().copied()?;
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, out) in succ.iter().enumerate() {
        for &t in out {
            if !pred[t].contains(&i) {
                pred[t].push(i);
            }
        }
    }

    // Round 2: loops and reachability.
    find_loops(graph, &succ, problems);
    let reached = reach(start, &succ);
    for (i, node) in nodes.iter().enumerate() {
        if !reached[i] {
            problems.add(at(&node.id), "cannot be reached from the start node");
        }
    }
    let ends: Vec<usize> =
        nodes.iter().enumerate().filter(|(_, n)| matches!(n.kind, NodeKind::End)).map(|(i, _)| i).collect();
    let mut to_end = vec![false; nodes.len()];
    let mut stack = ends;
    for &e in &stack {
        to_end[e] = true;
    }
    while let Some(n) = stack.pop() {
        for &p in &pred[n] {
            if !to_end[p] {
                to_end[p] = true;
                stack.push(p);
            }
        }
    }
    for (i, node) in nodes.iter().enumerate() {
        if reached[i] && !to_end[i] {
            problems.add(at(&node.id), "never reaches an end node");
        }
    }
    if problems.len() > before {
        return None;
    }
    let order = topological(&succ, &pred)?;

    // Round 3: parallel splits and their joins.
    let (scope, join_of, split_of) = nest(graph, &succ, &pred, &order, problems);
    if problems.len() > before {
        return None;
    }
    Some(Structure { index, start, succ, pred, order, scope, join_of, split_of })
}

/// The rules of a gateway's branches that need no other node.
fn check_gateway(id: &str, kind: &NodeKind, problems: &mut Problems) {
    match kind {
        NodeKind::Exclusive { branches } => {
            if branches.len() < 2 {
                problems.add(
                    at_field(id, "branches"),
                    format!("an exclusive gateway needs at least 2 branches, found {}", branches.len()),
                );
            }
            if branches.len() > MAX_BRANCHES {
                problems.add(at_field(id, "branches"), format!("a gateway has at most {MAX_BRANCHES} branches"));
            }
            let mut default: Option<usize> = None;
            for (i, b) in branches.iter().enumerate() {
                let condition = b.condition.as_deref().map(str::trim).filter(|c| !c.is_empty());
                if b.default {
                    if let Some(first) = default {
                        problems.add(
                            at_field(id, &format!("branches[{i}].default")),
                            format!("only one branch is the default, and branches[{first}] is it"),
                        );
                    } else {
                        default = Some(i);
                    }
                    if condition.is_some() {
                        problems.add(
                            at_field(id, &format!("branches[{i}].condition")),
                            "the default branch takes no condition",
                        );
                    }
                } else if condition.is_none() {
                    problems.add(
                        at_field(id, &format!("branches[{i}].condition")),
                        "needs a condition: only the default branch has none",
                    );
                }
                let len = b.name.chars().count();
                if len > MAX_NODE_NAME_LEN {
                    problems.add(
                        at_field(id, &format!("branches[{i}].name")),
                        format!("must be at most {MAX_NODE_NAME_LEN} characters, got {len}"),
                    );
                }
            }
            if default.is_none() && !branches.is_empty() {
                problems
                    .add(at_field(id, "branches"), "needs a default branch (默认分支), taken when no condition holds");
            }
        }
        NodeKind::Parallel { branches } => {
            if branches.len() < 2 {
                problems.add(
                    at_field(id, "branches"),
                    format!("a parallel split needs at least 2 branches, found {}", branches.len()),
                );
            }
            if branches.len() > MAX_BRANCHES {
                problems.add(at_field(id, "branches"), format!("a gateway has at most {MAX_BRANCHES} branches"));
            }
            for (i, b) in branches.iter().enumerate() {
                if let Some(j) = branches[..i].iter().position(|o| o == b) {
                    problems.add(at_field(id, &format!("branches[{i}]")), format!("`{b}` is already branches[{j}]"));
                }
            }
        }
        _ => {}
    }
}

/// Reports every flow that closes a loop. Iterative depth-first search: white, grey (on the
/// current path), black.
fn find_loops(graph: &ProcessGraph, succ: &[Vec<usize>], problems: &mut Problems) {
    const WHITE: u8 = 0;
    const GREY: u8 = 1;
    const BLACK: u8 = 2;
    let mut colour = vec![WHITE; succ.len()];
    for root in 0..succ.len() {
        if colour[root] != WHITE {
            continue;
        }
        colour[root] = GREY;
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(top) = stack.last_mut() {
            let (n, next) = *top;
            if let Some(&m) = succ[n].get(next) {
                top.1 += 1;
                match colour[m] {
                    WHITE => {
                        colour[m] = GREY;
                        stack.push((m, 0));
                    }
                    GREY => {
                        let node = &graph.nodes[n];
                        let field = node
                            .kind
                            .outgoing()
                            .into_iter()
                            .find(|(_, t)| *t == graph.nodes[m].id)
                            .map(|(f, _)| f)
                            .unwrap_or_else(|| "next".into());
                        problems.add(
                            at_field(&node.id, &field),
                            format!(
                                "leads back to `{}`, which makes a loop: loops are not allowed in approval processes; use a return (退回) instead",
                                graph.nodes[m].id
                            ),
                        );
                    }
                    _ => {}
                }
            } else {
                colour[n] = BLACK;
                stack.pop();
            }
        }
    }
}

/// The nodes reachable from `start`.
fn reach(start: usize, succ: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; succ.len()];
    seen[start] = true;
    let mut stack = vec![start];
    while let Some(n) = stack.pop() {
        for &m in &succ[n] {
            if !seen[m] {
                seen[m] = true;
                stack.push(m);
            }
        }
    }
    seen
}

/// Every node after those leading to it (Kahn); `None` when there is a loop.
fn topological(succ: &[Vec<usize>], pred: &[Vec<usize>]) -> Option<Vec<usize>> {
    let mut waiting: Vec<usize> = pred.iter().map(Vec::len).collect();
    let mut ready: Vec<usize> = (0..succ.len()).filter(|&n| waiting[n] == 0).rev().collect();
    let mut order = Vec::with_capacity(succ.len());
    while let Some(n) = ready.pop() {
        order.push(n);
        for (i, &m) in succ[n].iter().enumerate().rev() {
            // A node named by two branches of one gateway counts that gateway once.
            if succ[n][..i].contains(&m) {
                continue;
            }
            waiting[m] = waiting[m].saturating_sub(1);
            if waiting[m] == 0 {
                ready.push(m);
            }
        }
    }
    (order.len() == succ.len()).then_some(order)
}

type Scopes = (Vec<Vec<(usize, usize)>>, Vec<Option<usize>>, Vec<Option<usize>>);

/// Works out the parallel branches each node lies in and pairs each split with its join.
///
/// In topological order, a node's scope is the stack of (split, branch) it lies in: a split
/// pushes its branch number onto the scope of each of its branches, a join pops it. A join must
/// receive the same split on top of every incoming scope, over the same outer scope, and every
/// branch of that split; any other node must receive one and the same scope from every flow
/// into it (so two parallel branches never meet except at their join); an end node must be
/// outside every parallel branch. A node with a problem taints the nodes after it, whose
/// problems would only echo it, so each mistake is reported once, where it is.
fn nest(
    graph: &ProcessGraph,
    succ: &[Vec<usize>],
    pred: &[Vec<usize>],
    order: &[usize],
    problems: &mut Problems,
) -> Scopes {
    let before = problems.len();
    let nodes = &graph.nodes;
    let n = nodes.len();
    let mut scope: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut tainted = vec![false; n];
    let mut join_of: Vec<Option<usize>> = vec![None; n];
    let mut split_of: Vec<Option<usize>> = vec![None; n];
    for &node in order {
        // The scope each flow into the node carries: its source's, plus the branch for a split.
        let mut incoming: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
        for &p in &pred[node] {
            for (branch, _) in succ[p].iter().enumerate().filter(|(_, &t)| t == node) {
                let mut s = scope[p].clone();
                if matches!(nodes[p].kind, NodeKind::Parallel { .. }) {
                    s.push((p, branch));
                }
                incoming.push((p, s));
            }
        }
        let Some((first_from, first)) = incoming.first().cloned() else { continue };
        if pred[node].iter().any(|&p| tainted[p]) {
            tainted[node] = true;
            scope[node] = match nodes[node].kind {
                NodeKind::Join { .. } => first.split_last().map(|(_, outer)| outer.to_vec()).unwrap_or_default(),
                _ => first,
            };
            continue;
        }
        let id = &nodes[node].id;
        let problem: Option<String> = match &nodes[node].kind {
            NodeKind::Join { .. } => match first.split_last() {
                None => Some(format!(
                    "a join must be reached from the branches of a parallel split, but `{}` is outside every parallel branch",
                    nodes[first_from].id
                )),
                Some((&(split, _), outer)) => {
                    scope[node] = outer.to_vec();
                    let stray = incoming.iter().find_map(|(from, s)| match s.split_last() {
                        Some((&(other, _), o)) if other == split && o == outer => None,
                        Some((&(other, _), _)) if other != split => Some(format!(
                            "joins branches of `{}` and of `{}`: each parallel split needs its own join, the inner one first",
                            nodes[split].id, nodes[other].id
                        )),
                        _ => Some(format!(
                            "`{}` reaches this join from outside the branches of `{}`",
                            nodes[*from].id, nodes[split].id
                        )),
                    });
                    let missing = (0..succ[split].len())
                        .find(|&b| !incoming.iter().any(|(_, s)| s.last() == Some(&(split, b))))
                        .map(|b| {
                            format!(
                                "branch {b} of `{}` (to `{}`) does not reach this join",
                                nodes[split].id, nodes[succ[split][b]].id
                            )
                        });
                    let twice = join_of[split]
                        .map(|j| format!("`{}` is already joined at `{}`", nodes[split].id, nodes[j].id));
                    let problem = stray.or(missing).or(twice);
                    if problem.is_none() {
                        join_of[split] = Some(node);
                        split_of[node] = Some(split);
                    }
                    problem
                }
            },
            _ => {
                scope[node] = first.clone();
                let mismatch = incoming.iter().find(|(_, s)| *s != first).map(|(from, other)| {
                    meeting(nodes, (first_from, &first), (*from, other))
                });
                let inside_at_end = match (&nodes[node].kind, first.last()) {
                    (NodeKind::End, Some(&(split, b))) => Some(format!(
                        "is reached inside branch {b} of the parallel split `{}`: its branches must meet at a join first",
                        nodes[split].id
                    )),
                    _ => None,
                };
                mismatch.or(inside_at_end)
            }
        };
        if let Some(problem) = problem {
            problems.add(at(id), problem);
            tainted[node] = true;
        }
    }
    if problems.len() == before {
        for (s, node) in nodes.iter().enumerate() {
            if matches!(node.kind, NodeKind::Parallel { .. }) && join_of[s].is_none() {
                problems.add(at(&node.id), "has no join: its branches must meet at one join node");
            }
        }
    }
    (scope, join_of, split_of)
}

/// Says why a node other than a join cannot be reached with scope `a` (from one node) and
/// scope `b` (from another).
fn meeting(nodes: &[super::model::Node], a: (usize, &[(usize, usize)]), b: (usize, &[(usize, usize)])) -> String {
    let ((from_a, a), (from_b, b)) = (a, b);
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let tail = "parallel branches meet only at their join";
    match (a.get(common), b.get(common)) {
        (Some(&(sa, ba)), Some(&(sb, bb))) if sa == sb => format!(
            "is reached from branches {ba} and {bb} of the parallel split `{}` (from `{}` and `{}`): {tail}",
            nodes[sa].id, nodes[from_a].id, nodes[from_b].id
        ),
        (Some(&(sa, _)), Some(&(sb, _))) => format!(
            "is reached from inside the parallel split `{}` (from `{}`) and from inside `{}` (from `{}`): {tail}",
            nodes[sa].id, nodes[from_a].id, nodes[sb].id, nodes[from_b].id
        ),
        (Some(&(s, branch)), None) | (None, Some(&(s, branch))) => {
            let (inside, outside) = if a.len() > b.len() { (from_a, from_b) } else { (from_b, from_a) };
            format!(
                "is reached from inside branch {branch} of the parallel split `{}` (from `{}`) and from outside it (from `{}`): {tail}",
                nodes[s].id, nodes[inside].id, nodes[outside].id
            )
        }
        (None, None) => format!("is reached along different parallel branches: {tail}"),
    }
}
