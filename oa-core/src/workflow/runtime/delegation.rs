//! Standing delegations (委托): while a person is away, the approval tasks meant for them go to
//! someone else. Making and cancelling them, and finding whom a new task goes to.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use oa_storage::ReadTxn;

use super::flow::Rt;
use super::model::{Delegation, DelegationId, NewDelegation};
use super::resolve::active_person;
use super::store::{live_delegations, load_delegation, save_delegation};
use crate::admin::calendar::office_offset;
use crate::error::Problems;
use crate::org::PersonId;
use crate::{OaError, OaResult};

/// How many delegations a task follows at most (A → B → C …): enough for a deputy who is away
/// too, bounded so that a long chain costs little.
pub const MAX_DELEGATION_HOPS: usize = 5;

/// The longest reason of a delegation, in characters.
pub const MAX_REASON_LEN: usize = 200;

/// The delegate of `owner`'s delegation running at `at` and covering `process_key`, if any. A
/// delegation of that one process wins over one of every process: someone may send their
/// leave requests to one deputy and everything else to another.
fn delegate_of(
    tx: &mut dyn ReadTxn,
    owner: PersonId,
    process_key: &str,
    at: DateTime<Utc>,
) -> OaResult<Option<PersonId>> {
    let running: Vec<Delegation> =
        live_delegations(tx, owner, at)?.into_iter().filter(|d| d.is_active_at(at) && d.covers(process_key)).collect();
    Ok(running.iter().find(|d| d.process_key.is_some()).or(running.first()).map(|d| d.delegate))
}

/// Whom a task of process `process_key` meant for `person` goes to at `at`: the chain from
/// `person` through the delegates of running delegations, `person` alone when nobody stands
/// in for them. The chain stops before an inactive delegate (no delegation, then), before
/// anyone already in it (a cycle A → B → A leaves the task with B), before anyone in `avoid`
/// (the initiator, who must not approve their own request for someone else; the person handing
/// a task on), and after [`MAX_DELEGATION_HOPS`] steps.
pub(crate) fn redirect(
    tx: &mut dyn ReadTxn,
    process_key: &str,
    person: PersonId,
    at: DateTime<Utc>,
    avoid: &[PersonId],
) -> OaResult<Vec<PersonId>> {
    let mut chain = vec![person];
    while chain.len() <= MAX_DELEGATION_HOPS {
        let Some(&at_person) = chain.last() else {
            break;
        };
        let Some(next) = delegate_of(tx, at_person, process_key, at)? else {
            break;
        };
        if chain.contains(&next) || avoid.contains(&next) || active_person(tx, next)?.is_none() {
            break;
        }
        chain.push(next);
    }
    Ok(chain)
}

/// The start of `day` in the office's time zone, or a validation error naming `field`.
fn start_of(
    offset: chrono::FixedOffset,
    day: NaiveDate,
    field: &str,
    problems: &mut Problems,
) -> Option<DateTime<Utc>> {
    let instant = offset.from_local_datetime(&day.and_time(chrono::NaiveTime::MIN)).single();
    if instant.is_none() {
        problems.add(field, format!("`{day}` is out of range"));
    }
    instant.map(|t| t.with_timezone(&Utc))
}

/// Makes a standing delegation for `owner`, by `by` (the owner, or an administrator the
/// operation authorised). Every failing field is reported at once.
pub(crate) fn create(rt: &mut Rt<'_>, by: PersonId, owner: PersonId, input: &NewDelegation) -> OaResult<Delegation> {
    let mut problems = Problems::new();
    if active_person(rt.tx.as_read(), owner)?.is_none() {
        problems.add("owner", format!("`{owner}` is not an active person"));
    }
    if input.delegate == owner {
        problems.add("delegate", "cannot be the owner");
    } else if active_person(rt.tx.as_read(), input.delegate)?.is_none() {
        problems.add("delegate", format!("`{}` is not an active person", input.delegate));
    }
    let process_key = match input.process_key.as_deref().map(str::trim) {
        None => None,
        Some("") => {
            problems.add("process_key", "must name a process; leave it out for every process");
            None
        }
        Some(k) => {
            if crate::workflow::definition::load_process(rt.tx.as_read(), k, None)?.is_none() {
                problems.add("process_key", format!("no process `{k}`"));
            }
            Some(k.to_string())
        }
    };
    let offset = office_offset(rt.tx.as_read())?;
    let today = rt.now.with_timezone(&offset).date_naive();
    if input.last_day < input.first_day {
        problems.add("last_day", format!("`{}` is before the first day `{}`", input.last_day, input.first_day));
    } else if input.last_day < today {
        problems.add("last_day", format!("`{}` is in the past", input.last_day));
    }
    let reason = input.reason.trim().to_string();
    let n = reason.chars().count();
    if n > MAX_REASON_LEN {
        problems.add("reason", format!("must be at most {MAX_REASON_LEN} characters, got {n}"));
    }
    let starts_at = start_of(offset, input.first_day, "first_day", &mut problems);
    let ends_at = match input.last_day.checked_add_days(Days::new(1)) {
        Some(next) => start_of(offset, next, "last_day", &mut problems),
        None => {
            problems.add("last_day", format!("`{}` is out of range", input.last_day));
            None
        }
    };
    if let (Some(s), Some(e), true) = (starts_at, ends_at, problems.is_empty()) {
        let same_scope = live_delegations(rt.tx.as_read(), owner, s)?
            .into_iter()
            .find(|d| d.process_key == process_key && d.starts_at < e);
        if let Some(d) = same_scope {
            problems.add(
                "first_day",
                format!(
                    "overlaps delegation `{}` from `{}` to `{}` of the same {}",
                    d.id,
                    d.first_day,
                    d.last_day,
                    if process_key.is_some() { "process" } else { "processes" }
                ),
            );
        }
    }
    problems.finish()?;
    let (Some(starts_at), Some(ends_at)) = (starts_at, ends_at) else {
        return Err(OaError::Internal("a delegation period passed validation without its instants".into()));
    };
    let d = Delegation {
        id: DelegationId(rt.ids.next(rt.now)),
        owner,
        delegate: input.delegate,
        process_key,
        first_day: input.first_day,
        last_day: input.last_day,
        starts_at,
        ends_at,
        reason,
        created_at: rt.now,
        created_by: by,
        cancelled_at: None,
        cancelled_by: None,
    };
    save_delegation(rt.tx, &d)?;
    Ok(d)
}

/// Delegation `id`, or `not_found`.
pub(crate) fn require(tx: &mut dyn ReadTxn, id: DelegationId) -> OaResult<Delegation> {
    load_delegation(tx, id)?.ok_or_else(|| OaError::not_found("delegation", id))
}

/// Cancels delegation `id`, by `by` (authorised by the operation): no task is sent on by it
/// from now; tasks it already sent stay with the delegate.
pub(crate) fn cancel(rt: &mut Rt<'_>, by: PersonId, id: DelegationId) -> OaResult<Delegation> {
    let mut d = require(rt.tx.as_read(), id)?;
    if d.cancelled_at.is_some() {
        return Err(OaError::InvalidState(format!("delegation `{id}` is already cancelled")));
    }
    if d.ends_at <= rt.now {
        return Err(OaError::InvalidState(format!("delegation `{id}` has already ended")));
    }
    d.cancelled_at = Some(rt.now);
    d.cancelled_by = Some(by);
    save_delegation(rt.tx, &d)?;
    Ok(d)
}
