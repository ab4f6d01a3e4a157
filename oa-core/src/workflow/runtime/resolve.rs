//! Finding people: the approvers of a node by its candidate strategy, the holders of a role,
//! and the initiator's attributes for branch conditions.

use std::sync::{Arc, LazyLock};

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

/// The holders of roles by role and department, at the permission version they were found at.
/// Finding them reads every grant of the role and every holder's record, all of which the
/// version covers; an office's few roles and departments keep the cache small.
static HOLDERS: LazyLock<perm::VersionCache<HoldersOf, Arc<[PersonId]>>> =
    LazyLock::new(|| perm::VersionCache::new(4096));

/// A role's code and the department its holders must lie within, if any.
type HoldersOf = (String, Option<DeptId>);

/// The active holders of role `code`, each once, in the order of their grants; only those
/// whose main department lies within `within` (that department or below) when given.
pub(crate) fn role_holders(tx: &mut dyn ReadTxn, code: &str, within: Option<DeptId>) -> OaResult<Vec<PersonId>> {
    let code = code.trim();
    let found = HOLDERS.get_or_compute(tx, (code.to_string(), within), |tx| find_role_holders(tx, code, within))?;
    Ok(found.to_vec())
}

fn find_role_holders(tx: &mut dyn ReadTxn, code: &str, within: Option<DeptId>) -> OaResult<Arc<[PersonId]>> {
    let mut out: Vec<PersonId> = Vec::new();
    // Holders share departments: each department is placed against `within` once.
    let mut placed: Vec<(DeptId, bool)> = Vec::new();
    for grant in perm::grants_of_role(tx, code)? {
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
    Ok(out.into())
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::org::{NewDepartment, NewPerson};
    use crate::perm::{DataScope, NewGrant, NewRole};
    use crate::testing::office;
    use crate::Oa;
    use oa_storage::StoreExt;

    /// The holders, sorted: grants made through two handles at one instant have ids in no
    /// particular order.
    fn holders(oa: &Oa, within: Option<DeptId>) -> Vec<PersonId> {
        let mut found = oa.store().read(|tx| role_holders(tx, " reviewer ", within)).unwrap();
        found.sort();
        found
    }

    /// The holders of a role, kept by permission version, follow every grant, revocation,
    /// transfer, disabling and move of a department at once, whichever handle over the store
    /// made it.
    #[test]
    fn role_holders_follow_every_change_whichever_handle_made_it() {
        let (oa, admin) = office();
        let other = Oa::open_shared(oa.store(), oa.inner.clock.clone()).unwrap();
        let root = oa.list_departments(&admin).unwrap()[0].id;
        let dept = |name: &str| {
            let input =
                NewDepartment { name: name.into(), code: None, parent: Some(root), sort_order: None, head: None };
            oa.create_department(&admin, input).unwrap().id
        };
        let (audit, legal) = (dept("审计部"), dept("法务部"));
        let person =
            |login: &str, dept: DeptId| oa.create_person(&admin, NewPerson::new(login, login, dept)).unwrap().id;
        let (wang, li) = (person("wang", audit), person("li", legal));
        let both = {
            let mut v = vec![wang, li];
            v.sort();
            v
        };
        let role = NewRole {
            code: "reviewer".into(),
            name: "审核人".into(),
            description: String::new(),
            permissions: vec![],
            inherits: vec![],
            data_scope: DataScope::SelfOnly,
        };
        oa.create_role(&admin, role).unwrap();
        let grant = |by: &Oa, person: PersonId| {
            by.grant_role(&admin, NewGrant { person, role: "reviewer".into(), limit_to_dept: None }).unwrap().id
        };
        let wang_grant = grant(&oa, wang);
        for _ in 0..2 {
            assert_eq!(holders(&oa, None), [wang]);
            assert_eq!(holders(&oa, Some(legal)), []);
        }

        grant(&other, li);
        assert_eq!(holders(&oa, None), both);
        assert_eq!(holders(&oa, Some(legal)), [li]);

        other.transfer_person(&admin, wang, legal, None).unwrap();
        assert_eq!(holders(&oa, Some(legal)), both);
        assert_eq!(holders(&oa, Some(audit)), []);

        other.move_department(&admin, audit, Some(legal), None).unwrap();
        other.transfer_person(&admin, li, audit, None).unwrap();
        assert_eq!(holders(&oa, Some(legal)), both, "the audit department now lies within legal");
        assert_eq!(holders(&oa, Some(audit)), [li]);

        other.disable_person(&admin, li).unwrap();
        assert_eq!(holders(&oa, Some(legal)), [wang]);
        other.revoke_grant(&admin, wang_grant).unwrap();
        assert_eq!(holders(&oa, None), []);
        other.enable_person(&admin, li).unwrap();
        assert_eq!(holders(&oa, None), [li]);
        assert_eq!(holders(&other, None), [li]);
    }
}
