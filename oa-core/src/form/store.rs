//! Reading and writing form definitions, without permission checks: the operations in
//! `ops.rs` check first, and the workflow engine calls these from its own transactions.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Utc};
use oa_storage::{ReadTxn, WriteTxn};

use super::define;
use super::model::{Form, FormVersion, NewForm};
use crate::db::DecodedCache;
use crate::org::PersonId;
use crate::page::{Page, PageRequest};
use crate::versioned::Versioned;
use crate::OaResult;

/// Where forms are kept: `form.def/<key>/<version>` and `form.latest/<key>`.
const FORMS: Versioned =
    Versioned { definitions: "form.def", latest: "form.latest", kind: "form", version_kind: "form version" };

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
    let version = FORMS.next_version(&def.key, latest.as_ref().map(|l| l.version))?;
    let form = Form {
        key: def.key,
        version,
        name: def.name,
        description: def.description,
        fields: def.fields,
        created_at: now,
        created_by: by,
    };
    FORMS.put(tx, &form.key.clone(), version, &form)?;
    Ok((form, true))
}

/// The latest version number of form `key`, if the form exists.
pub(crate) fn latest_version(tx: &mut dyn ReadTxn, key: &str) -> OaResult<Option<u32>> {
    FORMS.latest_version(tx, key)
}

/// Version `version` of form `key`, or its latest version when `version` is `None`.
pub(crate) fn load_form(tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<Option<Form>> {
    FORMS.load(tx, key, version)
}

/// How many form versions [`require_form`] keeps decoded.
const FORMS_CACHED: usize = 1024;

/// Form versions decoded once, for every office of the process: starting or moving an instance
/// reads its form version each time. Each is served only when the record's bytes just read
/// equal those it was decoded from (see [`DecodedCache`]), so offices never see each other's
/// forms. Process-wide because the workflow engine reads forms with a transaction alone.
static DECODED: LazyLock<DecodedCache<Form>> = LazyLock::new(|| DecodedCache::new(FORMS_CACHED));

/// Like [`load_form`], or `not_found` naming the form (and the version asked for).
pub(crate) fn require_form(tx: &mut dyn ReadTxn, key: &str, version: Option<u32>) -> OaResult<Arc<Form>> {
    FORMS.require_cached(&DECODED, tx, key, version)
}

/// Every version of form `key`, oldest first; `not_found` when there is none.
pub(crate) fn form_versions(tx: &mut dyn ReadTxn, key: &str) -> OaResult<Vec<FormVersion>> {
    Ok(FORMS
        .versions::<Form>(tx, key)?
        .into_iter()
        .map(|f| FormVersion { version: f.version, name: f.name, created_at: f.created_at, created_by: f.created_by })
        .collect())
}

/// A page of forms, each at its latest version, by key.
pub(crate) fn list_forms(tx: &mut dyn ReadTxn, request: &PageRequest) -> OaResult<Page<Form>> {
    FORMS.page_of_latest(tx, request)
}
