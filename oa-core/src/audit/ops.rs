//! The public operations on the audit log.

use crate::audit::{self, AuditQuery, AuditRecord, ChainReport};
use crate::engine::{Oa, PendingPassword, Session};
use crate::page::{Page, PageRequest};
use crate::OaResult;

impl Oa {
    /// Lists audit records matching `query`, newest first, one page at a time.
    ///
    /// Needs `audit.log.read`. Filters combine with "and"; see [`AuditQuery`].
    pub fn list_audit(&self, session: &Session, query: AuditQuery, page: PageRequest) -> OaResult<Page<AuditRecord>> {
        self.query(session, "audit.log.list", PendingPassword::Refuse, |qx| {
            qx.require("audit.log.read")?;
            audit::list(qx.tx, &query, &page)
        })
    }

    /// The audit record numbered `seq`. Needs `audit.log.read`.
    pub fn get_audit_record(&self, session: &Session, seq: u64) -> OaResult<AuditRecord> {
        self.query(session, "audit.log.get", PendingPassword::Refuse, |qx| {
            qx.require("audit.log.read")?;
            audit::get(qx.tx, seq)
        })
    }

    /// Walks the whole hash chain and names the first record that does not match (edited,
    /// deleted or moved), or a chain head that disagrees with the last record.
    ///
    /// Needs `audit.log.verify`. Reads every record: an operation for an auditor, not a page.
    pub fn verify_audit_chain(&self, session: &Session) -> OaResult<ChainReport> {
        self.query(session, "audit.log.verify", PendingPassword::Refuse, |qx| {
            qx.require("audit.log.verify")?;
            audit::verify(qx.tx)
        })
    }
}
