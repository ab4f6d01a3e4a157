//! The public operations of process definitions, as methods of [`Oa`].

use super::bpmn::parse_bpmn;
use super::dingtalk::parse_process_json;
use super::model::{NewProcess, ProcessDefinition, ProcessVersion};
use super::store;
use super::{PROCESS_PUBLISH, PROCESS_READ};
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::error::FieldError;
use crate::OaResult;

impl Oa {
    /// Publishes a process: version 1 of a new key, or the next version of an existing one when
    /// the definition differs from its latest version (otherwise the latest version is returned
    /// and nothing is written). The form is pinned at `form_version`, or at its latest version.
    /// The whole graph is checked first and every problem is reported with the path of its node
    /// (`nodes[approve_mgr].approvers.role`). Running instances keep the version they started
    /// with. Needs `workflow.process.publish`.
    pub fn publish_process(&self, session: &Session, input: NewProcess) -> OaResult<ProcessDefinition> {
        self.publish_definition(session, "workflow.process.publish", Ok(input))
    }

    /// Publishes a process written as a DingTalk-style nested node tree (see
    /// [`crate::workflow::definition::dingtalk`] for the document), as
    /// [`Oa::publish_process`] does. Needs `workflow.process.publish`.
    pub fn publish_process_json(&self, session: &Session, json: &str) -> OaResult<ProcessDefinition> {
        self.publish_definition(session, "workflow.process.publish_json", parse_process_json(json))
    }

    /// Imports a process from BPMN 2.0 XML (see [`crate::workflow::definition::bpmn`] for what
    /// is read) and publishes it over the form `form_key` at `form_version` (its latest version
    /// when `None`), as [`Oa::publish_process`] does. The process's key and name are the BPMN
    /// process's `id` and `name`; its category is empty. Needs `workflow.process.publish`.
    pub fn import_bpmn(
        &self,
        session: &Session,
        xml: &str,
        form_key: &str,
        form_version: Option<u32>,
    ) -> OaResult<ProcessDefinition> {
        let input = parse_bpmn(xml).map(|p| NewProcess {
            key: p.key,
            name: p.name,
            category: String::new(),
            form_key: form_key.to_string(),
            form_version,
            definition: p.graph,
        });
        self.publish_definition(session, "workflow.process.import_bpmn", input)
    }

    /// Process `key` at `version`, or at its latest version when `version` is `None`. Needs
    /// `workflow.process.read`.
    pub fn get_process(&self, session: &Session, key: &str, version: Option<u32>) -> OaResult<ProcessDefinition> {
        self.query(session, "workflow.process.get", PendingPassword::Refuse, |qx| {
            qx.require(PROCESS_READ)?;
            store::require_process(qx.tx, key.trim(), version)
        })
    }

    /// Every process at its latest version, by key. Needs `workflow.process.read`.
    pub fn list_processes(&self, session: &Session) -> OaResult<Vec<ProcessDefinition>> {
        self.query(session, "workflow.process.list", PendingPassword::Refuse, |qx| {
            qx.require(PROCESS_READ)?;
            store::list_processes(qx.tx)
        })
    }

    /// Every version of process `key`, oldest first. Needs `workflow.process.read`.
    pub fn process_versions(&self, session: &Session, key: &str) -> OaResult<Vec<ProcessVersion>> {
        self.query(session, "workflow.process.versions", PendingPassword::Refuse, |qx| {
            qx.require(PROCESS_READ)?;
            store::process_versions(qx.tx, key.trim())
        })
    }

    /// Checks a process as [`Oa::publish_process`] would, without publishing it, for a
    /// designer: every problem found, each with its path; empty when the process would
    /// publish. Needs `workflow.process.publish`.
    pub fn validate_process(&self, session: &Session, input: NewProcess) -> OaResult<Vec<FieldError>> {
        self.query(session, "workflow.process.validate", PendingPassword::Refuse, |qx| {
            qx.require(PROCESS_PUBLISH)?;
            Ok(match store::check_process(qx.tx, &input)? {
                Ok(_) => Vec::new(),
                Err(problems) => problems,
            })
        })
    }

    /// Publishes `input` once the actor is known to hold the permission: a problem reading the
    /// input is reported after authorisation, in the usual order.
    fn publish_definition(
        &self,
        session: &Session,
        operation: &'static str,
        input: OaResult<NewProcess>,
    ) -> OaResult<ProcessDefinition> {
        self.mutate(session, operation, PendingPassword::Refuse, |cx| {
            cx.require(PROCESS_PUBLISH)?;
            let input = input.as_ref().map_err(Clone::clone)?;
            let (def, written) = store::publish(cx.tx, cx.now, cx.actor.person, input)?;
            let summary = if written {
                format!(
                    "published process `{}` version {} with {} nodes over form `{}` version {}",
                    def.key,
                    def.version,
                    def.graph.nodes.len(),
                    def.form_key,
                    def.form_version
                )
            } else {
                format!("process `{}` unchanged at version {}", def.key, def.version)
            };
            Ok((def.clone(), Change::new(format!("process:{}", def.key), summary)))
        })
    }
}
