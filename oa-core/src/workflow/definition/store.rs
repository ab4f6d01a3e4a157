//! Reading, validating and writing process definitions, without permission checks: the
//! operations in `ops.rs` check first, and the workflow runtime calls these from its own
//! transactions.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use oa_storage::{ReadTxn, WriteTxn};
use parking_lot::RwLock;

use super::check::check_settings;
use super::compiled::CompiledProcess;
use super::graph::{analyse, at_field};
use super::model::{Approvers, NewProcess, NodeKind, ProcessDefinition, ProcessGraph, ProcessVersion, WhenEmpty};
use crate::error::FieldError;
use crate::error::Problems;
use crate::form::{self, Form};
use crate::org::{self, PersonId, PersonStatus};
use crate::versioned::Versioned;
use crate::{OaError, OaResult};

/// The longest process key, in characters.
pub const MAX_PROCESS_KEY_LEN: usize = 64;
/// The longest process name, in characters.
pub const MAX_PROCESS_NAME_LEN: usize = 100;
/// The longest category, in characters.
pub const MAX_CATEGORY_LEN: usize = 50;

/// Whether `key` is a well-formed process key: 1 to 64 ASCII letters, digits, `_` and `-`.
pub fn is_process_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_PROCESS_KEY_LEN
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
}

/// Where process definitions are kept: `wf.def/<key>/<version>` and `wf.deflatest/<key>`.
const PROCESSES: Versioned =
    Versioned { definitions: "wf.def", latest: "wf.deflatest", kind: "process", version_kind: "process version" };

/// Version `version` of process `key`, or its latest version when `version` is `None`.
pub(crate) fn load_process(
    tx: &mut dyn ReadTxn,
    key: &str,
    version: Option<u32>,
) -> OaResult<Option<ProcessDefinition>> {
    PROCESSES.load(tx, key, version)
}

/// Like [`load_process`], or `not_found` naming the process (and the version asked for).
pub(crate) fn require_process(tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<ProcessDefinition> {
    PROCESSES.require(tx, key, version)
}

/// Version `version` of process `key` (the latest when `None`), compiled for walking with the
/// form version it pins: what the runtime loads when it starts or moves an instance.
pub(crate) fn load_compiled(tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<CompiledProcess> {
    let def = require_process(tx, key, version)?;
    let form = form::require_form(tx, &def.form_key, Some(def.form_version))?;
    CompiledProcess::compile(def, &form)
}

/// How many compiled process versions an office keeps in memory. An office runs a few dozen
/// processes with a few versions each; the bound only keeps an office that publishes thousands
/// of versions from holding every one of them.
const COMPILED_CAPACITY: usize = 512;

/// Compiled process versions by key and version, shared by every operation of an office, so
/// that moving an instance does not decode and compile its process again on every action.
///
/// No entry is ever invalidated: a published version (and the form version it pins) never
/// changes, and an entry is made only from a version read in a transaction, which sees
/// committed versions and its own writes; no transaction compiles a version it published
/// itself. When the cache is full it is emptied and fills again from the store.
#[derive(Default)]
pub(crate) struct CompiledCache {
    entries: RwLock<HashMap<String, Versions>>,
}

/// The compiled versions of one process in the cache, by version number.
type Versions = Vec<(u32, Arc<CompiledProcess>)>;

impl CompiledCache {
    /// Version `version` of process `key` (the latest when `None`), compiled, as
    /// [`load_compiled`] gives it.
    pub(crate) fn get(&self, tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<Arc<CompiledProcess>> {
        let version = match version {
            Some(v) => v,
            None => match PROCESSES.latest_version(tx, key)? {
                Some(v) => v,
                // No such process: the error load_compiled gives.
                None => return load_compiled(tx, key, None).map(Arc::new),
            },
        };
        let cached = self
            .entries
            .read()
            .get(key)
            .and_then(|versions| versions.iter().find(|(v, _)| *v == version).map(|(_, p)| p.clone()));
        if let Some(p) = cached {
            return Ok(p);
        }
        let p = Arc::new(load_compiled(tx, key, Some(version))?);
        let mut entries = self.entries.write();
        if entries.values().map(Vec::len).sum::<usize>() >= COMPILED_CAPACITY {
            entries.clear();
        }
        let versions = entries.entry(key.to_string()).or_default();
        if !versions.iter().any(|(v, _)| *v == version) {
            versions.push((version, p.clone()));
        }
        Ok(p)
    }

    /// How many compiled versions the cache holds.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.read().values().map(Vec::len).sum()
    }
}

/// Every version of process `key`, oldest first; `not_found` when there is none.
pub(crate) fn process_versions(tx: &mut dyn ReadTxn, key: &str) -> OaResult<Vec<ProcessVersion>> {
    Ok(PROCESSES
        .versions::<ProcessDefinition>(tx, key)?
        .into_iter()
        .map(|d| ProcessVersion {
            version: d.version,
            name: d.name,
            form_version: d.form_version,
            nodes: u32::try_from(d.graph.nodes.len()).unwrap_or(u32::MAX),
            created_at: d.created_at,
            created_by: d.created_by,
        })
        .collect())
}

/// Every process at its latest version, by key.
pub(crate) fn list_processes(tx: &mut dyn ReadTxn) -> OaResult<Vec<ProcessDefinition>> {
    PROCESSES.all_latest(tx)
}

/// A definition that passed every check, ready to store.
#[derive(Debug)]
pub(crate) struct Checked {
    pub(crate) key: String,
    pub(crate) name: String,
    pub(crate) category: String,
    pub(crate) form: Form,
    pub(crate) graph: ProcessGraph,
}

/// Checks `input` completely: its key, name and category, its form, the structure of its
/// graph, the settings of every node against the form, and the people, roles and numbering
/// rules it names. Returns the definition normalised (people by id) or every problem.
pub(crate) fn check_process(tx: &mut dyn ReadTxn, input: &NewProcess) -> OaResult<Result<Checked, Vec<FieldError>>> {
    let mut issues = Problems::new();
    let key = input.key.trim();
    if !is_process_key(key) {
        issues.add(
            "key",
            format!("`{key}` is not a process key: use 1 to {MAX_PROCESS_KEY_LEN} letters, digits, `_` or `-`"),
        );
    }
    let name = input.name.trim();
    let len = name.chars().count();
    if len == 0 || len > MAX_PROCESS_NAME_LEN {
        issues.add("name", format!("must be 1 to {MAX_PROCESS_NAME_LEN} characters, got {len}"));
    }
    let category = input.category.trim();
    let len = category.chars().count();
    if len > MAX_CATEGORY_LEN {
        issues.add("category", format!("must be at most {MAX_CATEGORY_LEN} characters, got {len}"));
    }
    let form_key = input.form_key.trim();
    let form = if form_key.is_empty() {
        issues.add("form_key", "names no form");
        None
    } else {
        match (form::load_form(tx, form_key, input.form_version)?, input.form_version) {
            (Some(f), _) => Some(f),
            (None, Some(v)) if form::latest_version(tx, form_key)?.is_some() => {
                issues.add("form_version", format!("form `{form_key}` has no version {v}"));
                None
            }
            (None, _) => {
                issues.add("form_key", format!("no form `{form_key}`"));
                None
            }
        }
    };
    let mut graph = input.definition.clone();
    let structure = analyse(&graph, &mut issues);
    if let Some(form) = &form {
        check_settings(&graph, structure.as_ref(), form, &mut issues);
    }
    resolve_names(tx, &mut graph, &mut issues)?;
    match form {
        Some(form) if issues.is_empty() => Ok(Ok(Checked {
            key: key.to_string(),
            name: name.to_string(),
            category: category.to_string(),
            form,
            graph,
        })),
        _ => Ok(Err(issues.into_fields())),
    }
}

/// Stores a checked definition as version 1 of a new process, or as the next version of an
/// existing one when it differs from the latest (the same definition again writes nothing).
/// Returns the definition and whether a version was written.
pub(crate) fn store_process(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    by: PersonId,
    checked: Checked,
) -> OaResult<(ProcessDefinition, bool)> {
    let latest = load_process(tx.as_read(), &checked.key, None)?;
    if let Some(l) = &latest {
        if l.name == checked.name
            && l.category == checked.category
            && l.form_key == checked.form.key
            && l.form_version == checked.form.version
            && l.graph == checked.graph
        {
            return Ok((l.clone(), false));
        }
    }
    let version = PROCESSES.next_version(&checked.key, latest.as_ref().map(|l| l.version))?;
    let def = ProcessDefinition {
        key: checked.key,
        version,
        name: checked.name,
        category: checked.category,
        form_key: checked.form.key,
        form_version: checked.form.version,
        graph: checked.graph,
        created_at: now,
        created_by: by,
    };
    PROCESSES.put(tx, &def.key.clone(), version, &def)?;
    Ok((def, true))
}

/// Checks and stores `input`: a validation error with every problem, or the stored version.
pub(crate) fn publish(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    by: PersonId,
    input: &NewProcess,
) -> OaResult<(ProcessDefinition, bool)> {
    match check_process(tx.as_read(), input)? {
        Ok(checked) => store_process(tx, now, by, checked),
        Err(problems) => Err(OaError::Validation(problems)),
    }
}

/// Resolves the people a graph names (by id or sign-in name) to their ids, and checks that the
/// roles and numbering rules it names exist.
fn resolve_names(tx: &mut dyn ReadTxn, graph: &mut ProcessGraph, issues: &mut Problems) -> OaResult<()> {
    for node in &mut graph.nodes {
        let id = node.id.clone();
        let (approvers, path, when_empty, numbering) = match &mut node.kind {
            NodeKind::Approval(a) => {
                let s = &mut a.settings;
                (&mut s.approvers, "approvers", Some(&mut s.when_empty), s.numbering.as_ref().map(|n| n.rule.clone()))
            }
            NodeKind::Cc(c) => (&mut c.settings.recipients, "recipients", None, None),
            _ => continue,
        };
        match approvers {
            Approvers::People { people } => {
                let mut seen: Vec<(PersonId, usize)> = Vec::new();
                for (i, p) in people.iter_mut().enumerate() {
                    let at = at_field(&id, &format!("{path}.people[{i}]"));
                    if let Some(resolved) = resolve_person(tx, p, &at, issues)? {
                        match seen.iter().find(|(s, _)| *s == resolved) {
                            Some((_, j)) => {
                                issues.add(at, format!("`{}` is the person of people[{j}] again", p.trim()))
                            }
                            None => seen.push((resolved, i)),
                        }
                        *p = resolved.to_string();
                    }
                }
            }
            Approvers::Role { role, .. } => check_role(tx, role, &at_field(&id, &format!("{path}.role")), issues)?,
            _ => {}
        }
        match when_empty {
            Some(WhenEmpty::AssignPerson { person }) => {
                if let Some(resolved) = resolve_person(tx, person, &at_field(&id, "when_empty.person"), issues)? {
                    *person = resolved.to_string();
                }
            }
            Some(WhenEmpty::AssignRole { role }) => check_role(tx, role, &at_field(&id, "when_empty.role"), issues)?,
            _ => {}
        }
        if let Some(rule) = numbering {
            let rule = rule.trim();
            if !rule.is_empty() {
                match crate::admin::numbering::get_rule(tx, rule) {
                    Ok(_) => {}
                    Err(OaError::NotFound { .. }) => {
                        issues.add(at_field(&id, "numbering.rule"), format!("no numbering rule `{rule}`"))
                    }
                    Err(other) => return Err(other),
                }
            }
        }
    }
    Ok(())
}

/// The id of the active person `text` names (an id or a sign-in name), or `None` with the
/// problem recorded at `path`.
fn resolve_person(tx: &mut dyn ReadTxn, text: &str, path: &str, issues: &mut Problems) -> OaResult<Option<PersonId>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let by_id = match text.parse::<crate::id::Id>() {
        Ok(id) => org::load_person(tx, PersonId(id))?,
        Err(_) => None,
    };
    let person = match by_id {
        Some(p) => Some(p),
        None => match org::find_person_id_by_login(tx, text)? {
            Some(id) => org::load_person(tx, id)?,
            None => None,
        },
    };
    match person {
        None => {
            issues.add(path, format!("no person `{text}`"));
            Ok(None)
        }
        Some(p) if p.status != PersonStatus::Active => {
            issues.add(path, format!("`{text}` is not an active person"));
            Ok(None)
        }
        Some(p) => Ok(Some(p.id)),
    }
}

/// Records a problem at `path` when no role has code `code`.
fn check_role(tx: &mut dyn ReadTxn, code: &str, path: &str, issues: &mut Problems) -> OaResult<()> {
    let code = code.trim();
    if !code.is_empty() && crate::perm::load_role(tx, code)?.is_none() {
        issues.add(path, format!("no role `{code}`"));
    }
    Ok(())
}
