//! Starting an instance (发起) and drafts (草稿): saving, submitting and deleting them.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{link_attachments, not_assignee, not_running, Who, MAX_TITLE_LEN};
use crate::error::Problems;
use crate::form;
use crate::org::Person;
use crate::workflow::definition::ProcessDefinition;
use crate::workflow::runtime::business::check_business_key;
use crate::workflow::runtime::flow::{enter, Rt};
use crate::workflow::runtime::model::{HistoryAction, Instance, InstanceId, InstanceStatus, StartProcess};
use crate::workflow::runtime::resolve::active_person;
use crate::{OaError, OaResult};

/// Starts an instance (发起), or submits draft `draft`.
pub(crate) fn start(rt: &mut Rt<'_>, who: Who, input: &StartProcess, draft: Option<Instance>) -> OaResult<Instance> {
    let mut problems = Problems::new();
    let title = input.title.trim();
    let n = title.chars().count();
    if n == 0 || n > MAX_TITLE_LEN {
        problems.add("title", format!("must be 1 to {MAX_TITLE_LEN} characters, got {n}"));
    }
    let business_key = business_key_of(rt, input, &mut problems)?;
    let p = rt.process(input.process_key.trim(), input.version)?;
    let def = p.definition().clone();
    let form = form::require_form(rt.tx.as_read(), &def.form_key, Some(def.form_version))?;
    let data = match form::validate_data(rt.tx.as_read(), &form, &input.data, Some(who.submitter())) {
        Ok(d) => d,
        Err(e) => {
            problems.absorb("data", e)?;
            Value::Null
        }
    };
    problems.finish()?;
    let person = active_person(rt.tx.as_read(), who.person)?
        .ok_or_else(|| OaError::InvalidState("only an active person can start a process".into()))?;
    let made = match &draft {
        Some(d) => (d.id, d.created_at, d.history_len),
        None => (rt.new_instance_id(), rt.now, 0),
    };
    let mut inst = new_instance(&def, &person, title, business_key, data, made);
    inst.status = InstanceStatus::Running;
    inst.started_at = Some(rt.now);
    link_attachments(rt, &form, &inst)?;
    let mut e = rt.entry(Some(who.person), HistoryAction::Submitted);
    e.node = Some(p.start().id.clone());
    rt.log(&mut inst, e)?;
    enter(rt, &p, &mut inst, vec![(p.start().id.clone(), None)])?;
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// Saves a draft (草稿): a new one, or draft `id` again. The data is kept as given (an object)
/// and checked only when the draft is submitted.
pub(crate) fn save_draft(
    rt: &mut Rt<'_>,
    who: Who,
    id: Option<InstanceId>,
    input: &StartProcess,
) -> OaResult<Instance> {
    let mut problems = Problems::new();
    let title = input.title.trim();
    let n = title.chars().count();
    if n > MAX_TITLE_LEN {
        problems.add("title", format!("must be at most {MAX_TITLE_LEN} characters, got {n}"));
    }
    if !input.data.is_object() {
        problems.add("data", "expected an object of fields");
    }
    let business_key = business_key_of(rt, input, &mut problems)?;
    let p = rt.process(input.process_key.trim(), input.version)?;
    problems.finish()?;
    let def = p.definition();
    let person = active_person(rt.tx.as_read(), who.person)?
        .ok_or_else(|| OaError::InvalidState("only an active person can save a draft".into()))?;
    let (id, created_at, history_len) = match id {
        Some(id) => {
            let d = rt.instance(id)?;
            if d.initiator != who.person {
                return Err(not_assignee("draft"));
            }
            if d.status != InstanceStatus::Draft {
                return Err(not_running(&d));
            }
            (d.id, d.created_at, d.history_len)
        }
        None => (rt.new_instance_id(), rt.now, 0),
    };
    let inst = new_instance(def, &person, title, business_key, input.data.clone(), (id, created_at, history_len));
    rt.save_instance(&inst)?;
    Ok(inst)
}

/// The business key of `input`, trimmed, if some module or declared type handles it; the
/// reason it is refused goes to `problems`.
fn business_key_of(rt: &mut Rt<'_>, input: &StartProcess, problems: &mut Problems) -> OaResult<Option<String>> {
    let Some(key) = input.business_key.as_deref().map(str::trim) else {
        return Ok(None);
    };
    if let Err(e) = check_business_key(rt.tx.as_read(), key) {
        problems.absorb("", e)?;
    }
    Ok(Some(key.to_string()))
}

/// A draft of `def` by `person`; `start` makes it running. `(id, created_at, history_len)`
/// are the draft's it replaces, or new.
fn new_instance(
    def: &ProcessDefinition,
    person: &Person,
    title: &str,
    business_key: Option<String>,
    data: Value,
    (id, created_at, history_len): (InstanceId, DateTime<Utc>, u32),
) -> Instance {
    Instance {
        id,
        process_key: def.key.clone(),
        process_version: def.version,
        process_name: def.name.clone(),
        form_key: def.form_key.clone(),
        form_version: def.form_version,
        business_key,
        title: title.to_string(),
        initiator: person.id,
        initiator_dept: person.dept,
        data,
        status: InstanceStatus::Draft,
        tokens: Vec::new(),
        created_at,
        started_at: None,
        ended_at: None,
        number: None,
        returned: None,
        undo: None,
        history_len,
        activations: 0,
    }
}

/// The draft `id` of `who`.
fn own_draft(rt: &mut Rt<'_>, who: Who, id: InstanceId) -> OaResult<Instance> {
    let d = rt.instance(id)?;
    if d.initiator != who.person {
        return Err(not_assignee("draft"));
    }
    if d.status != InstanceStatus::Draft {
        return Err(not_running(&d));
    }
    Ok(d)
}

/// Submits draft `id`: starts it at the process version it was saved with.
pub(crate) fn submit_draft(rt: &mut Rt<'_>, who: Who, id: InstanceId) -> OaResult<Instance> {
    let d = own_draft(rt, who, id)?;
    let input = StartProcess {
        process_key: d.process_key.clone(),
        version: Some(d.process_version),
        title: d.title.clone(),
        data: d.data.clone(),
        business_key: d.business_key.clone(),
    };
    start(rt, who, &input, Some(d))
}

/// Deletes draft `id`.
pub(crate) fn delete_draft(rt: &mut Rt<'_>, who: Who, id: InstanceId) -> OaResult<()> {
    let d = own_draft(rt, who, id)?;
    rt.delete_instance(&d)
}
