//! The settings of each node, checked against the form the process fills in: approvers,
//! approve methods, returns, field permissions, deadlines, numbering, and the conditions of
//! exclusive gateways, compiled with the workflow's expression language.

use std::collections::BTreeSet;

use super::graph::{at_field, Structure};
use super::model::{
    ApprovalSettings, ApproveMethod, Approvers, CcSettings, Deadline, NodeKind, ProcessGraph, ReturnTo, TimeoutAction,
    WhenEmpty,
};
use crate::error::Problems;
use crate::form::{check_field_permissions, FieldAccess, FieldDef, FieldKind, Form};
use crate::workflow::expr::{self, ExprType, TypeEnv};

/// The most people one node may name.
pub const MAX_PEOPLE: usize = 100;
/// The most levels up a strategy may reach (heads above, superiors).
pub const MAX_LEVELS: u32 = 20;
/// The most repeated reminders after a deadline.
pub const MAX_REMINDERS: u32 = 50;
/// The largest amount of a working-time duration (a deadline, a reminder interval).
pub const MAX_DURATION_AMOUNT: u32 = 100_000;

/// The type environment conditions are checked against: the form's top-level fields with the
/// types the expression language gives them.
///
/// Text and long text are text; a number is a number; money is money in the field's currency;
/// dates, instants, yes/no, single and multiple choices (by their option values), people and
/// departments map one to one; a table is a table of its columns; a total has the type of the
/// column it adds up. Attachments have no type a condition could use and are left out, so a
/// condition naming one is refused as naming an unknown field.
pub fn type_env(form: &Form) -> TypeEnv {
    let mut env = TypeEnv::new();
    for field in &form.fields {
        if let Some(t) = field_type(form, field) {
            env.insert(field.key.clone(), t);
        }
    }
    env
}

fn field_type(form: &Form, field: &FieldDef) -> Option<ExprType> {
    Some(match &field.kind {
        FieldKind::Text { .. } | FieldKind::LongText { .. } => ExprType::Text,
        FieldKind::Number { .. } => ExprType::Number,
        FieldKind::Money { currency, .. } => ExprType::money(currency.as_deref()),
        FieldKind::Date { .. } => ExprType::Date,
        FieldKind::DateTime { .. } => ExprType::DateTime,
        FieldKind::YesNo => ExprType::Bool,
        FieldKind::Choice { options } => ExprType::choice(options.iter().map(|o| o.value.clone())),
        FieldKind::MultiChoice { options, .. } => ExprType::multi_choice(options.iter().map(|o| o.value.clone())),
        FieldKind::Person => ExprType::Person,
        FieldKind::Department => ExprType::Department,
        FieldKind::Attachment { .. } => return None,
        FieldKind::Table { fields, .. } => {
            ExprType::table(fields.iter().filter_map(|c| field_type(form, c).map(|t| (c.key.clone(), t))))
        }
        FieldKind::Total { of } => {
            let (table, column) = of.split_once('.')?;
            let FieldKind::Table { fields, .. } = &form.field(table)?.kind else { return None };
            let column = fields.iter().find(|c| c.key == column)?;
            field_type(form, column)?
        }
    })
}

/// What checking the settings compiles: the conditions of each node's branches and the nodes
/// each approval node may return to.
#[derive(Debug, Clone, Default)]
pub(crate) struct Compiled {
    /// Per node, per branch: the compiled condition (none for the default branch and for
    /// nodes that are not exclusive gateways).
    pub(crate) conditions: Vec<Vec<Option<expr::Checked>>>,
    /// Per node: the nodes it may return an instance to.
    pub(crate) returns: Vec<Vec<usize>>,
}

/// Checks the settings of every node of `graph` against `form`, reporting every problem into
/// `issues`. The nodes an approval node may return to are checked only when the graph's
/// `structure` is known (it passed the structural checks); everything else is checked anyway,
/// so a designer sees every problem at once.
pub(crate) fn check_settings(
    graph: &ProcessGraph,
    structure: Option<&Structure>,
    form: &Form,
    issues: &mut Problems,
) -> Compiled {
    let env = type_env(form);
    let n = graph.nodes.len();
    let mut out = Compiled { conditions: vec![Vec::new(); n], returns: vec![Vec::new(); n] };
    for (i, node) in graph.nodes.iter().enumerate() {
        let id = node.id.as_str();
        match &node.kind {
            NodeKind::Approval(a) => {
                check_approval(id, &a.settings, form, issues);
                if let Some(structure) = structure {
                    out.returns[i] = return_targets(graph, structure, i, &a.settings.returns.to, issues);
                }
            }
            NodeKind::Cc(c) => check_cc(id, &c.settings, form, issues),
            NodeKind::Exclusive { branches } => {
                out.conditions[i] = branches
                    .iter()
                    .enumerate()
                    .map(|(b, branch)| {
                        let src = branch.condition.as_deref().map(str::trim).filter(|c| !c.is_empty())?;
                        if branch.default {
                            return None;
                        }
                        match expr::compile(src, &env) {
                            Ok(checked) => Some(checked),
                            Err(errors) => {
                                let path = at_field(id, &format!("branches[{b}].condition"));
                                for e in errors {
                                    issues.add(path.clone(), e.to_string());
                                }
                                None
                            }
                        }
                    })
                    .collect();
            }
            NodeKind::Start { .. } | NodeKind::Parallel { .. } | NodeKind::Join { .. } | NodeKind::End => {}
        }
    }
    out
}

/// Checks a candidate strategy; `path` is the field holding it (`nodes[a].approvers`).
fn check_approvers(path: &str, approvers: &Approvers, form: &Form, issues: &mut Problems) {
    match approvers {
        Approvers::People { people } => {
            if people.is_empty() {
                issues.add(format!("{path}.people"), "name at least one person");
            }
            if people.len() > MAX_PEOPLE {
                issues.add(format!("{path}.people"), format!("name at most {MAX_PEOPLE} people, got {}", people.len()));
            }
            let mut seen = BTreeSet::new();
            for (i, p) in people.iter().enumerate() {
                let p = p.trim();
                if p.is_empty() {
                    issues.add(format!("{path}.people[{i}]"), "names no person");
                } else if !seen.insert(p.to_lowercase()) {
                    issues.add(format!("{path}.people[{i}]"), format!("`{p}` is named twice"));
                }
            }
        }
        Approvers::Role { role, .. } => {
            if role.trim().is_empty() {
                issues.add(format!("{path}.role"), "names no role");
            }
        }
        Approvers::DeptHeadAbove { levels } | Approvers::Superiors { levels } => {
            if !(1..=MAX_LEVELS).contains(levels) {
                issues.add(format!("{path}.levels"), format!("must be 1 to {MAX_LEVELS}, got {levels}"));
            }
        }
        Approvers::FormField { field } => match form.field(field) {
            None => issues.add(format!("{path}.field"), format!("form `{}` has no field `{field}`", form.key)),
            Some(f) if !matches!(f.kind, FieldKind::Person) => issues.add(
                format!("{path}.field"),
                format!("`{field}` is a {} field, not a person field", f.kind.name().replace('_', " ")),
            ),
            Some(_) => {}
        },
        Approvers::DeptHead | Approvers::Initiator => {}
    }
}

fn check_approval(id: &str, s: &ApprovalSettings, form: &Form, issues: &mut Problems) {
    check_approvers(&at_field(id, "approvers"), &s.approvers, form, issues);
    match (s.method, s.pass_percent) {
        (ApproveMethod::Ratio, None) => issues.add(
            at_field(id, "pass_percent"),
            "a `ratio` approval (票签) needs the share that passes, 1 to 100 percent",
        ),
        (ApproveMethod::Ratio, Some(p)) if !(1..=100).contains(&p) => {
            issues.add(at_field(id, "pass_percent"), format!("must be 1 to 100 percent, got {p}"))
        }
        (ApproveMethod::Ratio, Some(_)) => {}
        (other, Some(_)) => issues.add(
            at_field(id, "pass_percent"),
            format!("only a `ratio` approval takes a share, and this one is `{}`", other.name()),
        ),
        (_, None) => {}
    }
    if s.method == ApproveMethod::Single && !s.approvers.is_single() {
        issues.add(
            at_field(id, "method"),
            format!(
                "`single` needs approvers who are one person, and `{}` may find several: use `any` (或签), `all` (会签), `ratio` (票签) or `in_turn` (依次)",
                s.approvers.name()
            ),
        );
    }
    match &s.when_empty {
        WhenEmpty::AssignPerson { person } if person.trim().is_empty() => {
            issues.add(at_field(id, "when_empty.person"), "names no person")
        }
        WhenEmpty::AssignRole { role } if role.trim().is_empty() => {
            issues.add(at_field(id, "when_empty.role"), "names no role")
        }
        _ => {}
    }
    if let Err(e) = check_field_permissions(form, &s.fields) {
        absorb(issues, &at_field(id, "fields.fields"), e);
    }
    if let Some(d) = &s.deadline {
        check_deadline(&at_field(id, "deadline"), d, issues);
    }
    if let Some(n) = &s.numbering {
        if n.rule.trim().is_empty() {
            issues.add(at_field(id, "numbering.rule"), "names no numbering rule");
        }
        if let Some(field) = &n.field {
            match form.field(field) {
                None => {
                    issues.add(at_field(id, "numbering.field"), format!("form `{}` has no field `{field}`", form.key))
                }
                Some(f) if !matches!(f.kind, FieldKind::Text { .. }) => issues.add(
                    at_field(id, "numbering.field"),
                    format!(
                        "`{field}` is a {} field; a number is written into a text field",
                        f.kind.name().replace('_', " ")
                    ),
                ),
                Some(_) => {}
            }
        }
    }
}

fn check_cc(id: &str, s: &CcSettings, form: &Form, issues: &mut Problems) {
    check_approvers(&at_field(id, "recipients"), &s.recipients, form, issues);
    if s.fields.default == FieldAccess::Editable {
        issues.add(at_field(id, "fields.default"), "a copy (抄送) is read, never edited: use `read_only` or `hidden`");
    }
    for (key, access) in &s.fields.fields {
        if *access == FieldAccess::Editable {
            issues.add(
                at_field(id, &format!("fields.fields.{key}")),
                "a copy (抄送) is read, never edited: use `read_only` or `hidden`",
            );
        }
    }
    if let Err(e) = check_field_permissions(form, &s.fields) {
        absorb(issues, &at_field(id, "fields.fields"), e);
    }
}

fn check_deadline(path: &str, d: &Deadline, issues: &mut Problems) {
    if !(1..=MAX_DURATION_AMOUNT).contains(&d.after.amount) {
        issues
            .add(format!("{path}.after.amount"), format!("must be 1 to {MAX_DURATION_AMOUNT}, got {}", d.after.amount));
    }
    if let Some(r) = &d.repeat {
        if d.action != TimeoutAction::Remind {
            issues.add(format!("{path}.repeat"), "only a `remind` deadline repeats");
        }
        if !(1..=MAX_DURATION_AMOUNT).contains(&r.every.amount) {
            issues.add(
                format!("{path}.repeat.every.amount"),
                format!("must be 1 to {MAX_DURATION_AMOUNT}, got {}", r.every.amount),
            );
        }
        if !(1..=MAX_REMINDERS).contains(&r.times) {
            issues.add(format!("{path}.repeat.times"), format!("must be 1 to {MAX_REMINDERS}, got {}", r.times));
        }
    }
}

/// The nodes approval node `node` may return to, reporting listed nodes that are not allowed.
///
/// A node may return to the start node or to an approval node before it (on some path from the
/// start to it) that does not lie inside a parallel branch the node is not itself inside: a
/// node after a join cannot reopen one branch of it.
fn return_targets(
    graph: &ProcessGraph,
    s: &Structure,
    node: usize,
    to: &ReturnTo,
    issues: &mut Problems,
) -> Vec<usize> {
    let allowed = |t: usize| -> bool {
        let kind_ok = matches!(graph.nodes[t].kind, NodeKind::Start { .. } | NodeKind::Approval(_));
        kind_ok && (t == s.start || s.precedes(t, node)) && t != node && s.scope[node].starts_with(&s.scope[t])
    };
    match to {
        ReturnTo::None => Vec::new(),
        ReturnTo::Initiator => vec![s.start],
        ReturnTo::AnyEarlier => s.order.iter().copied().filter(|&t| allowed(t)).collect(),
        ReturnTo::Nodes(ids) => {
            let id = &graph.nodes[node].id;
            if ids.is_empty() {
                issues.add(at_field(id, "returns.to.nodes"), "name at least one node, or use `none`");
            }
            let mut out = Vec::new();
            for (i, target) in ids.iter().enumerate() {
                let path = at_field(id, &format!("returns.to.nodes[{i}]"));
                match s.index.get(target.as_str()) {
                    None => issues.add(path, format!("`{target}` is not a node of the process")),
                    Some(&t) if t == node => issues.add(path, "a node cannot return to itself"),
                    Some(&t) if !matches!(graph.nodes[t].kind, NodeKind::Start { .. } | NodeKind::Approval(_)) => {
                        issues.add(
                            path,
                            format!(
                                "`{target}` is a {} node: return to the start or to an approval node",
                                graph.nodes[t].kind.name()
                            ),
                        )
                    }
                    Some(&t) if !allowed(t) => issues
                        .add(path, format!("`{target}` does not come before this node on a path it can return along")),
                    Some(&t) if out.contains(&t) => issues.add(path, format!("`{target}` is named twice")),
                    Some(&t) => out.push(t),
                }
            }
            out
        }
    }
}

fn absorb(issues: &mut Problems, prefix: &str, err: crate::OaError) {
    if let Err(other) = issues.absorb(prefix, err) {
        issues.add(prefix, other.to_string());
    }
}
