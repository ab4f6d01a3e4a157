//! A process definition compiled for walking: what the runtime holds while it moves instances.

use serde_json::Value;

use super::check::{check_settings, Compiled};
use super::graph::{analyse, Structure};
use super::model::{Node, NodeKind, ProcessDefinition, ProcessGraph};
use crate::error::Problems;
use crate::form::Form;
use crate::workflow::expr::{self, ExprError, InitiatorAttrs};
use crate::OaResult;

/// A process definition checked and compiled against its form: nodes by id, outgoing and
/// incoming flows per node, each parallel split paired with its join, the branch conditions
/// compiled, and the nodes each approval node may return to.
///
/// Compiling is cheap (no storage access); a runtime may keep compiled versions in a cache
/// keyed by process key and version, since versions never change.
#[derive(Debug, Clone)]
pub struct CompiledProcess {
    definition: ProcessDefinition,
    structure: Structure,
    compiled: Compiled,
}

/// The branch an exclusive gateway takes.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchChoice {
    /// The number of the branch taken, from 0.
    pub branch: usize,
    /// The node the branch leads to.
    pub to: String,
    /// The conditions that failed to evaluate (their branch taken as not holding), by branch
    /// number, for the runtime to record on the instance.
    pub errors: Vec<(usize, ExprError)>,
}

impl CompiledProcess {
    /// Checks `definition` against `form` (the form version it pins) and compiles it. Fails with
    /// a validation error listing every problem, as publishing would.
    pub fn compile(definition: ProcessDefinition, form: &Form) -> OaResult<CompiledProcess> {
        let mut issues = Problems::new();
        let structure = analyse(&definition.graph, &mut issues);
        let Some(structure) = structure else {
            issues.finish()?;
            return Err(crate::OaError::Internal("a graph without structure reported no problem".into()));
        };
        let compiled = check_settings(&definition.graph, Some(&structure), form, &mut issues);
        issues.finish()?;
        Ok(CompiledProcess { definition, structure, compiled })
    }

    /// The definition compiled.
    pub fn definition(&self) -> &ProcessDefinition {
        &self.definition
    }

    fn nodes(&self) -> &[Node] {
        &self.definition.graph.nodes
    }

    fn ix(&self, id: &str) -> Option<usize> {
        self.structure.index.get(id).copied()
    }

    /// The node `id`.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.ix(id).map(|i| &self.nodes()[i])
    }

    /// The start node.
    pub fn start(&self) -> &Node {
        &self.nodes()[self.structure.start]
    }

    /// The nodes `id` leads to, in the order of its flows (a gateway's branches); empty for an
    /// end node or an unknown id.
    pub fn successors(&self, id: &str) -> Vec<&Node> {
        self.ix(id).map(|i| self.structure.succ[i].iter().map(|&j| &self.nodes()[j]).collect()).unwrap_or_default()
    }

    /// The nodes leading to `id`.
    pub fn predecessors(&self, id: &str) -> Vec<&Node> {
        self.ix(id).map(|i| self.structure.pred[i].iter().map(|&j| &self.nodes()[j]).collect()).unwrap_or_default()
    }

    /// Every node, each after every node leading to it.
    pub fn in_order(&self) -> Vec<&Node> {
        self.structure.order.iter().map(|&i| &self.nodes()[i]).collect()
    }

    /// The join where the branches of parallel split `split` meet.
    pub fn join_of(&self, split: &str) -> Option<&Node> {
        self.ix(split).and_then(|i| self.structure.join_of[i]).map(|j| &self.nodes()[j])
    }

    /// The parallel split whose branches join `join` waits for.
    pub fn split_of(&self, join: &str) -> Option<&Node> {
        self.ix(join).and_then(|i| self.structure.split_of[i]).map(|s| &self.nodes()[s])
    }

    /// The parallel branches node `id` lies in, outermost first: the split's id and the branch
    /// number.
    pub fn parallel_scope(&self, id: &str) -> Vec<(&str, usize)> {
        self.ix(id)
            .map(|i| self.structure.scope[i].iter().map(|&(s, b)| (self.nodes()[s].id.as_str(), b)).collect())
            .unwrap_or_default()
    }

    /// The compiled condition of branch `branch` of exclusive gateway `id` (none for the
    /// default branch).
    pub fn condition(&self, id: &str, branch: usize) -> Option<&expr::Checked> {
        self.ix(id).and_then(|i| self.compiled.conditions[i].get(branch)).and_then(Option::as_ref)
    }

    /// The nodes approval node `id` may return an instance to (退回), in process order.
    pub fn return_targets(&self, id: &str) -> Vec<&Node> {
        self.ix(id).map(|i| self.compiled.returns[i].iter().map(|&j| &self.nodes()[j]).collect()).unwrap_or_default()
    }

    /// The branch exclusive gateway `id` takes for the form's `data` and the initiator: the
    /// first whose condition holds, in order, or the default branch. A condition that fails to
    /// evaluate counts as not holding and is reported in [`BranchChoice::errors`]. `None` when
    /// `id` is not an exclusive gateway.
    pub fn choose_branch(&self, id: &str, data: &Value, initiator: &InitiatorAttrs) -> Option<BranchChoice> {
        let i = self.ix(id)?;
        let NodeKind::Exclusive { branches } = &self.nodes()[i].kind else { return None };
        let mut errors = Vec::new();
        let mut default = None;
        for (b, branch) in branches.iter().enumerate() {
            if branch.default {
                default = Some(b);
                continue;
            }
            let Some(cond) = self.compiled.conditions[i].get(b).and_then(Option::as_ref) else { continue };
            match cond.eval(data, initiator) {
                Ok(true) => return Some(BranchChoice { branch: b, to: branch.to.clone(), errors }),
                Ok(false) => {}
                Err(e) => errors.push((b, e)),
            }
        }
        let b = default?;
        Some(BranchChoice { branch: b, to: branches[b].to.clone(), errors })
    }
}

/// The nodes of `old` that a running instance waiting there can keep waiting at in `new`: by
/// id, the nodes both graphs have with the same kind and inside the same parallel splits (by
/// id). The runtime moves an instance to a new version only when every node it waits at is
/// among them. Graphs that do not pass the structural checks share no node. In `old`'s order.
pub fn compatible_nodes(old: &ProcessGraph, new: &ProcessGraph) -> Vec<String> {
    let mut ignored = Problems::new();
    let (Some(a), Some(b)) = (analyse(old, &mut ignored), analyse(new, &mut ignored)) else { return Vec::new() };
    let splits = |g: &ProcessGraph, s: &Structure, i: usize| -> Vec<String> {
        s.splits_around(i).into_iter().map(|x| g.nodes[x].id.clone()).collect()
    };
    old.nodes
        .iter()
        .enumerate()
        .filter_map(|(i, node)| {
            let j = *b.index.get(&node.id)?;
            let same_kind = new.nodes[j].kind.name() == node.kind.name();
            (same_kind && splits(old, &a, i) == splits(new, &b, j)).then(|| node.id.clone())
        })
        .collect()
}
