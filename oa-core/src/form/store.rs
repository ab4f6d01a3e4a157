//! Reading and writing form definitions, without permission checks: the operations in
//! `ops.rs` check first, and the workflow engine calls these from its own transactions.

use chrono::{DateTime, Utc};
use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};

use super::define;
use super::model::{keys, Form, FormVersion, Latest, NewForm};
use crate::db;
use crate::org::PersonId;
use crate::page::{scan_page, Page, PageRequest};
use crate::{OaError, OaResult};

/// Stores `input` as version 1 of a new form, or as the next version of an existing one when
/// it differs from the latest. Returns the form and whether a version was written.
pub(crate) fn define_form(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    by: PersonId,
    input: NewForm,
) -> OaResult<(Form, bool)> {
    let base_currency = crate::admin::params::load(tx.as_read())?.base_currency;
    let def = define::normalise(input, &base_currency)?;
    let latest = load_form(tx.as_read(), &def.key, None)?;
    if let Some(l) = &latest {
        if l.name == def.name && l.description == def.description && l.fields == def.fields {
            return Ok((l.clone(), false));
        }
    }
    let version = match &latest {
        Some(l) => l
            .version
            .checked_add(1)
            .ok_or_else(|| OaError::InvalidState(format!("form `{}` has reached the last version number", def.key)))?,
        None => 1,
    };
    let form = Form {
        key: def.key,
        version,
        name: def.name,
        description: def.description,
        fields: def.fields,
        created_at: now,
        created_by: by,
    };
    db::put(tx, keys::def(&form.key, version).as_bytes(), &form)?;
    db::put(tx, keys::latest(&form.key).as_bytes(), &Latest { version })?;
    Ok((form, true))
}

/// The latest version number of form `key`, if the form exists.
pub(crate) fn latest_version(tx: &mut dyn ReadTxn, key: &str) -> OaResult<Option<u32>> {
    Ok(db::get::<Latest>(tx, keys::latest(key).as_bytes())?.map(|l| l.version))
}

/// Version `version` of form `key`, or its latest version when `version` is `None`.
pub(crate) fn load_form(tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<Option<Form>> {
    let version = match version {
        Some(v) => v,
        None => match latest_version(tx, key)? {
            Some(v) => v,
            None => return Ok(None),
        },
    };
    db::get(tx, keys::def(key, version).as_bytes())
}

/// Like [`load_form`], or `not_found` naming the form (and the version asked for).
pub(crate) fn require_form(tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<Form> {
    load_form(tx, key, version)?.ok_or_else(|| match version {
        Some(v) => OaError::not_found("form version", format!("{key} v{v}")),
        None => OaError::not_found("form", key),
    })
}

/// Every version of form `key`, oldest first; `not_found` when there is none.
pub(crate) fn form_versions(tx: &mut dyn ReadTxn, key: &str) -> OaResult<Vec<FormVersion>> {
    let entries = tx.scan(&KeyRange::prefix(keys::versions(key).as_bytes()), Direction::Forward, usize::MAX)?;
    if entries.is_empty() {
        return Err(OaError::not_found("form", key));
    }
    entries
        .into_iter()
        .map(|(_, v)| {
            let f: Form = crate::codec::decode(&v)?;
            Ok(FormVersion { version: f.version, name: f.name, created_at: f.created_at, created_by: f.created_by })
        })
        .collect()
}

/// A page of forms, each at its latest version, by key.
pub(crate) fn list_forms(tx: &mut dyn ReadTxn, request: &PageRequest) -> OaResult<Page<Form>> {
    let range = KeyRange::prefix(keys::all_latest().as_bytes());
    scan_page(tx, &range, Direction::Forward, request, |tx, k, v| {
        let latest: Latest = crate::codec::decode(v)?;
        let key = crate::keys::KeyReader::new(k)
            .and_then(|mut r| r.str())
            .ok_or_else(|| OaError::Internal("a latest-form entry has a malformed key".into()))?;
        db::get::<Form>(tx, keys::def(&key, latest.version).as_bytes())
    })
}
