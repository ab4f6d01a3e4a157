//! Finding people: the approvers of a node by its candidate strategy, the holders of a role,
//! and the initiator's attributes for branch conditions.

use std::sync::Arc;

use oa_storage::ReadTxn;

use super::model::Instance;
use crate::org::{self, DeptId, Person, PersonHead, PersonId, PersonStatus};
use crate::perm;
use crate::workflow::definition::Approvers;
use crate::workflow::expr::{DeptAttrs, InitiatorAttrs};
use crate::OaResult;

/// The active person `id`, if there is one.
pub(crate) fn active_person(tx: &mut dyn ReadTxn, id: PersonId) -> OaResult<Option<Person>> {
    Ok(org::load_person(tx, id)?.filter(|p| p.status == PersonStatus::Active))
}

/// The id and main department of person `id`, if they are active. Finding the holders of a
/// role reads the record of every holder in the office to keep a few: the head alone, decoded
/// once per record, spares the rest.
fn active_head(tx: &mut dyn ReadTxn, id: PersonId) -> OaResult<Option<Arc<PersonHead>>> {
    Ok(org::load_person_head(tx, id)?.filter(|p| p.status == PersonStatus::Active))
}

/// Whether `id` is an active person.
pub(crate) fn is_active(tx: &mut dyn ReadTxn, id: PersonId) -> OaResult<bool> {
    Ok(active_head(tx, id)?.is_some())
}

/// The active holders of role `code`, each once, in the order of their grants; only those
/// whose main department lies within `within` (that department or below) when given.
pub(crate) fn role_holders(tx: &mut dyn ReadTxn, code: &str, within: Option<DeptId>) -> OaResult<Vec<PersonId>> {
    let mut out: Vec<PersonId> = Vec::new();
    // Holders share departments: each department is placed against `within` once.
    let mut placed: Vec<(DeptId, bool)> = Vec::new();
    for grant in perm::grants_of_role(tx, code.trim())? {
        if out.contains(&grant.person) {
            continue;
        }
        let Some(p) = active_head(tx, grant.person)? else {
            continue;
        };
        if let Some(root) = within {
            let inside = match placed.iter().find(|(d, _)| *d == p.dept) {
                Some((_, inside)) => *inside,
                None => {
                    let inside = org::is_within(tx, p.dept, root)?;
                    placed.push((p.dept, inside));
                    inside
                }
            };
            if !inside {
                continue;
            }
        }
        out.push(p.id);
    }
    Ok(out)
}

/// The active people `approvers` names for instance `inst`, each once, in the strategy's order.
pub(crate) fn resolve(tx: &mut dyn ReadTxn, inst: &Instance, approvers: &Approvers) -> OaResult<Vec<PersonId>> {
    let candidates: Vec<PersonId> = match approvers {
        Approvers::People { .. } => approvers.person_ids(),
        Approvers::Role { role, within_initiator_dept } => {
            return role_holders(tx, role, within_initiator_dept.then_some(inst.initiator_dept))
        }
        Approvers::DeptHead => org::head_above(tx, inst.initiator, 0)?.map(|p| p.id).into_iter().collect(),
        Approvers::DeptHeadAbove { levels } => {
            org::head_above(tx, inst.initiator, *levels)?.map(|p| p.id).into_iter().collect()
        }
        Approvers::Superiors { levels } => {
            org::superiors(tx, inst.initiator)?.into_iter().take(*levels as usize).map(|p| p.id).collect()
        }
        Approvers::FormField { field } => inst
            .data
            .get(field)
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<crate::id::Id>().ok())
            .map(PersonId)
            .into_iter()
            .collect(),
        Approvers::Initiator => vec![inst.initiator],
    };
    let mut out = Vec::with_capacity(candidates.len());
    for id in candidates {
        if !out.contains(&id) && is_active(tx, id)? {
            out.push(id);
        }
    }
    Ok(out)
}

/// The attributes of `person` a branch condition reads under `initiator.`.
pub(crate) fn initiator_attrs(tx: &mut dyn ReadTxn, person: PersonId) -> OaResult<InitiatorAttrs> {
    let p = org::load_person(tx, person)?.ok_or_else(|| crate::OaError::not_found("person", person))?;
    let mut path = Vec::new();
    let mut at = Some(p.dept);
    let mut is_dept_head = false;
    while let Some(id) = at {
        let Some(d) = org::load_department(tx, id)? else {
            break;
        };
        if d.id == p.dept {
            is_dept_head = d.head == Some(p.id);
        }
        at = d.parent;
        path.push(DeptAttrs { id: d.id, name: d.name, code: d.code });
        if path.len() > 1000 {
            break;
        }
    }
    path.reverse();
    let dept = path.last().cloned().unwrap_or(DeptAttrs { id: p.dept, name: String::new(), code: None });
    let mut roles = Vec::new();
    for g in perm::grants_of(tx, person)? {
        if !roles.contains(&g.role) {
            roles.push(g.role);
        }
    }
    Ok(InitiatorAttrs {
        id: p.id,
        login: p.login,
        name: p.name,
        dept,
        dept_path: path,
        position: p.position,
        roles,
        is_dept_head,
    })
}
