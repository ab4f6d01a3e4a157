//! The public operations on numbering rules and numbers.

use super::{
    create_rule, describe_change, describe_rule, get_issued, get_rule, issue, list_rules, preview, update_rule,
    IssuedNumber, NewNumberingRule, NumberingRule, NumberingRulePatch,
};
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::OaResult;

/// The permission to see numbering rules and issued numbers.
pub(crate) const NUMBERING_READ: &str = "admin.numbering.read";
/// The permission to create and change numbering rules.
pub(crate) const NUMBERING_MANAGE: &str = "admin.numbering.manage";
/// The permission to issue a number by hand.
///
/// A business permission, not a system one: issuing a document number is the work of a
/// document clerk (文书, 机要), not of the system administrator, and under separation of duties
/// (三员分立) the administrator must not be able to mint numbers for documents.
pub(crate) const NUMBERING_ISSUE: &str = "admin.numbering.issue";

impl Oa {
    /// Creates a numbering rule. Needs `admin.numbering.manage`; audited.
    ///
    /// Validation names every failing field: `key` (malformed or taken), `name`, `pattern` (no
    /// `{seq}`, an unknown placeholder, an unclosed brace, or no `{year}`/`{month}` for a
    /// sequence that restarts every year/month) and `seq_width` (above 12).
    pub fn create_numbering_rule(&self, session: &Session, input: NewNumberingRule) -> OaResult<NumberingRule> {
        self.mutate(session, "admin.numbering.rule.create", PendingPassword::Refuse, |cx| {
            cx.require(NUMBERING_MANAGE)?;
            let rule = create_rule(cx.tx, cx.now, &input)?;
            let summary = format!("created numbering rule {}", describe_rule(&rule));
            Ok((rule.clone(), Change::new(format!("numbering:{}", rule.key), summary)))
        })
    }

    /// Changes a numbering rule, keeping its counters: a new pattern goes on from the number the
    /// old one reached. Needs `admin.numbering.manage`; audited. Validation as for
    /// [`Oa::create_numbering_rule`], applied to the rule as changed.
    pub fn update_numbering_rule(
        &self,
        session: &Session,
        key: &str,
        patch: NumberingRulePatch,
    ) -> OaResult<NumberingRule> {
        self.mutate(session, "admin.numbering.rule.update", PendingPassword::Refuse, |cx| {
            cx.require(NUMBERING_MANAGE)?;
            let (before, after) = update_rule(cx.tx, cx.now, key, &patch)?;
            let summary = describe_change(&before, &after);
            Ok((after.clone(), Change::new(format!("numbering:{}", after.key), summary)))
        })
    }

    /// Every numbering rule, in key order. Needs `admin.numbering.read`.
    pub fn list_numbering_rules(&self, session: &Session) -> OaResult<Vec<NumberingRule>> {
        self.query(session, "admin.numbering.rule.list", PendingPassword::Refuse, |qx| {
            qx.require(NUMBERING_READ)?;
            list_rules(qx.tx)
        })
    }

    /// One numbering rule. Needs `admin.numbering.read`.
    pub fn get_numbering_rule(&self, session: &Session, key: &str) -> OaResult<NumberingRule> {
        self.query(session, "admin.numbering.rule.get", PendingPassword::Refuse, |qx| {
            qx.require(NUMBERING_READ)?;
            get_rule(qx.tx, key)
        })
    }

    /// The number rule `rule_key` would issue now, without consuming it: another issue may take
    /// it first. Needs `admin.numbering.read`.
    pub fn preview_next_number(&self, session: &Session, rule_key: &str) -> OaResult<String> {
        self.query(session, "admin.numbering.preview", PendingPassword::Refuse, |qx| {
            qx.require(NUMBERING_READ)?;
            preview(qx.tx, rule_key, qx.now)
        })
    }

    /// Issues the next number of rule `rule_key` by hand to `owner` (what it numbers, 1 to 200
    /// characters), for documents numbered outside a workflow. Needs `admin.numbering.issue`;
    /// audited with the number and its owner.
    pub fn issue_number(&self, session: &Session, rule_key: &str, owner: String) -> OaResult<String> {
        self.mutate(session, "admin.numbering.issue", PendingPassword::Refuse, |cx| {
            cx.require(NUMBERING_ISSUE)?;
            let issued = issue(cx.tx, rule_key, cx.now, &owner, Some(cx.actor.person))?;
            let summary = format!("issued `{}` to `{}`", issued.number, issued.owner);
            Ok((issued.number.clone(), Change::new(format!("numbering:{}", issued.rule), summary)))
        })
    }

    /// Who a number was issued to, when and by whom. Needs `admin.numbering.read`.
    pub fn get_issued_number(&self, session: &Session, rule_key: &str, number: &str) -> OaResult<IssuedNumber> {
        self.query(session, "admin.numbering.issued.get", PendingPassword::Refuse, |qx| {
            qx.require(NUMBERING_READ)?;
            get_issued(qx.tx, rule_key, number)
        })
    }
}
