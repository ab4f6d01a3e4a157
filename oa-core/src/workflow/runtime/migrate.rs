//! Moving running instances to another published version of their process (版本迁移), by an
//! administrator: when a process is corrected, the instances already under way can follow the
//! new version instead of finishing on the old one.
//!
//! An instance moves only where nothing it stands on changes meaning: every node it waits at
//! must be one [`compatible_nodes`] finds in both versions (same id, same kind, inside the same
//! parallel splits), and its data must pass the form version the target pins. Its tokens,
//! open tasks (with their assignees, seats and deadlines), history and document number stay;
//! what happens next follows the target version, including the settings of the node it waits
//! at, which apply from its next decision.

use serde::{Deserialize, Serialize};

use super::flow::{changes, Rt};
use super::model::{HistoryAction, Instance, InstanceId, InstanceStatus};
use crate::error::{FieldError, Problems};
use crate::form;
use crate::org::PersonId;
use crate::workflow::definition::{compatible_nodes, load_process, require_process};
use crate::{OaError, OaResult};

/// What [`crate::Oa::migrate_instances`] did, instance by instance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationReport {
    /// The instances moved to the target version.
    pub migrated: Vec<InstanceId>,
    /// The instances left where they were, each with why.
    pub refused: Vec<MigrationRefusal>,
}

/// An instance a migration left on its version, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MigrationRefusal {
    /// The instance.
    pub instance: InstanceId,
    /// The code of the error that refused it (`validation`, `invalid_state`,
    /// `permission_denied`, …), as [`OaError::code`] gives it.
    pub code: String,
    /// The reason, in words.
    pub reason: String,
    /// For a `validation` refusal, each problem with its path: `nodes[<node>]` for a node the
    /// instance waits at that the target lacks or changed, `data.<field>` for a field its data
    /// fails in the target's form.
    #[serde(default)]
    pub fields: Vec<FieldError>,
}

impl MigrationRefusal {
    /// The refusal of `instance` by `error`.
    pub(crate) fn new(instance: InstanceId, error: &OaError) -> MigrationRefusal {
        MigrationRefusal {
            instance,
            code: error.code().to_string(),
            reason: error.to_string(),
            fields: error.field_errors().to_vec(),
        }
    }
}

/// Why a version asked for is refused when process `key` has none by that number: the caller
/// asked for something that cannot be, which is bad input (`validation`), not a record gone
/// missing.
pub(crate) fn missing_version(key: &str, version: u32) -> String {
    format!("process `{key}` has no version {version}")
}

/// Moves running instance `id` to version `to_version` of its process, by administrator `by`.
/// With `from_version`, only while it still runs that version (a batch listed it so). A target
/// version the process does not have is refused on `to_version`.
pub(crate) fn migrate(
    rt: &mut Rt<'_>,
    by: PersonId,
    id: InstanceId,
    from_version: Option<u32>,
    to_version: u32,
) -> OaResult<Instance> {
    let mut inst = rt.instance(id)?;
    if inst.status != InstanceStatus::Running {
        return Err(OaError::InvalidState(format!("instance `{id}` is {}", inst.status.name())));
    }
    let from = inst.process_version;
    if from_version.is_some_and(|v| v != from) {
        return Err(OaError::InvalidState(format!("instance `{id}` runs version {from} now")));
    }
    if from == to_version {
        return Err(OaError::invalid("to_version", format!("instance `{id}` already runs version {to_version}")));
    }
    let old = require_process(rt.tx.as_read(), &inst.process_key, Some(from))?;
    let Some(new) = load_process(rt.tx.as_read(), &inst.process_key, Some(to_version))? else {
        return Err(OaError::invalid("to_version", missing_version(&inst.process_key, to_version)));
    };
    let mut problems = Problems::new();
    let same = compatible_nodes(&old.graph, &new.graph);
    for t in &inst.tokens {
        if same.contains(&t.node) {
            continue;
        }
        let reason = match new.graph.node(&t.node) {
            None => format!("the instance waits at `{}`, which version {to_version} does not have", t.node),
            Some(n) => format!(
                "the instance waits at `{}`, which version {to_version} changes (now a {} node, or in other parallel branches)",
                t.node,
                n.kind.name()
            ),
        };
        problems.add(format!("nodes[{}]", t.node), reason);
    }
    let data = if (new.form_key.as_str(), new.form_version) == (inst.form_key.as_str(), inst.form_version) {
        inst.data.clone()
    } else {
        let form = form::require_form(rt.tx.as_read(), &new.form_key, Some(new.form_version))?;
        // The data was checked with its attachments when it was submitted; only its shape is
        // checked against the target's form.
        match form::validate_data(rt.tx.as_read(), &form, &inst.data, None) {
            Ok(d) => d,
            Err(e) => {
                problems.absorb("data", e)?;
                inst.data.clone()
            }
        }
    };
    problems.finish()?;
    let changed = changes(&inst.data, &data);
    inst.process_version = new.version;
    inst.process_name = new.name.clone();
    inst.form_key = new.form_key.clone();
    inst.form_version = new.form_version;
    inst.data = data;
    // A snapshot taken on the old version cannot be restored on the new one.
    inst.undo = None;
    for t in rt.tasks_where(id, |t| t.status.is_open())? {
        let mut t = (*t).clone();
        let name = new.graph.node(&t.node).map(|n| n.name.clone()).unwrap_or_else(|| t.node_name.clone());
        if t.node_name != name || t.process_name != new.name {
            t.node_name = name;
            t.process_name = new.name.clone();
            rt.save_task(&t)?;
        }
    }
    let mut e = rt.entry(Some(by), HistoryAction::Migrated);
    e.detail = format!("moved from version {from} to version {to_version}");
    e.changes = changed;
    rt.log(&mut inst, e)?;
    rt.save_instance(&inst)?;
    Ok(inst)
}
