//! The public operations of forms and attachments, as methods of [`Oa`].

use serde_json::Value;

use super::attachment::{self, MAX_ATTACHMENT_BYTES};
use super::model::{AttachmentInfo, Form, FormVersion, NewForm};
use super::store;
use super::validate::{validate_data, Submitter};
use super::{ATTACHMENT_READ, ATTACHMENT_UPLOAD, FORM_MANAGE};
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::page::{Page, PageRequest};
use crate::{OaError, OaResult};

fn denied_attachment() -> OaError {
    OaError::PermissionDenied {
        permission: ATTACHMENT_READ.to_string(),
        reason: Some("an attachment is read by those who uploaded it or who hold the permission".into()),
    }
}

impl Oa {
    /// Defines a form: version 1 of a new key, or the next version of an existing one when the
    /// definition differs from its latest version (otherwise the latest version is returned
    /// and nothing is written). Instances started on an earlier version keep it. Needs
    /// `form.def.manage`.
    pub fn define_form(&self, session: &Session, input: NewForm) -> OaResult<Form> {
        self.mutate(session, "form.define", PendingPassword::Refuse, |cx| {
            cx.require(FORM_MANAGE)?;
            let (form, written) = store::define_form(cx.tx, cx.now, cx.actor.person, input.clone())?;
            let summary = if written {
                format!("defined form `{}` version {} with {} fields", form.key, form.version, form.fields.len())
            } else {
                format!("form `{}` unchanged at version {}", form.key, form.version)
            };
            Ok((form.clone(), Change::new(format!("form:{}", form.key), summary)))
        })
    }

    /// Form `key` at `version`, or at its latest version when `version` is `None`. Any
    /// signed-in person may read a form: people fill them in.
    pub fn get_form(&self, session: &Session, key: &str, version: Option<u32>) -> OaResult<Form> {
        self.query(session, "form.get", PendingPassword::Refuse, |qx| {
            store::require_form(qx.tx, key.trim(), version).map(|f| Form::clone(&f))
        })
    }

    /// A page of forms, each at its latest version, by key. Any signed-in person.
    pub fn list_forms(&self, session: &Session, page: PageRequest) -> OaResult<Page<Form>> {
        self.query(session, "form.list", PendingPassword::Refuse, |qx| store::list_forms(qx.tx, &page))
    }

    /// Every version of form `key`, oldest first. Any signed-in person.
    pub fn form_versions(&self, session: &Session, key: &str) -> OaResult<Vec<FormVersion>> {
        self.query(session, "form.versions", PendingPassword::Refuse, |qx| store::form_versions(qx.tx, key.trim()))
    }

    /// Validates `data` against form `key` at `version` (the latest when `None`) and returns it
    /// normalised, as it would be stored; every failing field is reported with its path
    /// (`items[2].amount`). Writes nothing, so a front end can check before submitting. Any
    /// signed-in person; an attachment referenced must be one they may read.
    pub fn validate_form_data(
        &self,
        session: &Session,
        key: &str,
        version: Option<u32>,
        data: Value,
    ) -> OaResult<Value> {
        self.query(session, "form.validate", PendingPassword::Refuse, |qx| {
            let form = store::require_form(qx.tx, key.trim(), version)?;
            let submitter = Submitter {
                person: qx.actor.person,
                reads_every_attachment: qx.actor.principal.allows(ATTACHMENT_READ),
            };
            validate_data(qx.tx, &form, &data, Some(submitter))
        })
    }

    /// Uploads a file to attach to form data. The file is at most 20 MiB
    /// ([`MAX_ATTACHMENT_BYTES`]) and of an allowed type, declared by `content_type` and
    /// matching the extension of `file_name` and the file's first bytes. The same content
    /// uploaded again is stored once and keeps its first name. Needs `form.attachment.upload`.
    pub fn upload_attachment(
        &self,
        session: &Session,
        file_name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> OaResult<AttachmentInfo> {
        // Checked and hashed before the transaction, so that hashing holds no lock; the
        // outcome is reported after authorisation, in the usual order.
        let prepared = attachment::prepare(file_name, content_type, bytes, MAX_ATTACHMENT_BYTES);
        self.mutate(session, "form.attachment.upload", PendingPassword::Refuse, |cx| {
            cx.require(ATTACHMENT_UPLOAD)?;
            let upload = prepared.as_ref().map_err(Clone::clone)?;
            let (info, new) = attachment::store(cx.tx, upload, cx.now, cx.actor.person)?;
            let summary = if new {
                format!("uploaded `{}` ({} bytes)", upload.file_name, info.size)
            } else {
                format!("uploaded `{}` again, stored once as `{}`", upload.file_name, info.file_name)
            };
            Ok((info.clone(), Change::new(format!("attachment:{}", info.hash), summary)))
        })
    }

    /// An attachment's description and bytes, by id (its hash). Those who uploaded it may
    /// read it, and whoever holds `form.attachment.read`.
    pub fn get_attachment(&self, session: &Session, hash: &str) -> OaResult<(AttachmentInfo, Vec<u8>)> {
        self.query(session, "form.attachment.get", PendingPassword::Refuse, |qx| {
            let hash = attachment::require_hash("hash", hash)?;
            let info = readable(qx, &hash)?;
            let bytes = attachment::read_bytes(qx.tx, &info)?;
            Ok((info, bytes))
        })
    }

    /// An attachment's description without its bytes, on the terms of
    /// [`Oa::get_attachment`].
    pub fn attachment_info(&self, session: &Session, hash: &str) -> OaResult<AttachmentInfo> {
        self.query(session, "form.attachment.info", PendingPassword::Refuse, |qx| {
            let hash = attachment::require_hash("hash", hash)?;
            readable(qx, &hash)
        })
    }
}

/// The attachment `hash` when the actor may read it. Someone who may not learns nothing of
/// whether it exists.
fn readable(qx: &mut crate::engine::Qx<'_>, hash: &str) -> OaResult<AttachmentInfo> {
    let may = qx.actor.principal.allows(ATTACHMENT_READ) || attachment::is_uploader(qx.tx, hash, qx.actor.person)?;
    if !may {
        return Err(denied_attachment());
    }
    attachment::load_info(qx.tx, hash)?.ok_or_else(|| OaError::not_found("attachment", hash))
}
