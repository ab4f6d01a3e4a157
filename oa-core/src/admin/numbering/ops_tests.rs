//! Numbering operations through the public `Oa` API.

use super::ops::NUMBERING_ISSUE;
use super::{NewNumberingRule, NumberingRulePatch, SeqReset};
use crate::audit::AuditQuery;
use crate::perm::catalogue::{self, PermCategory};
use crate::PageRequest;

use crate::testing::{clerk, office};

fn office_doc() -> NewNumberingRule {
    NewNumberingRule {
        key: "office_doc".into(),
        name: "发文字号".into(),
        pattern: "办〔{year}〕{seq}号".into(),
        seq_width: 0,
        reset: SeqReset::Yearly,
    }
}

#[test]
fn administrators_define_rules_and_clerks_issue_numbers() {
    let (oa, admin) = office();
    assert_eq!(catalogue::find(NUMBERING_ISSUE).map(|d| d.category), Some(PermCategory::Business));

    let rule = oa.create_numbering_rule(&admin, office_doc()).unwrap();
    assert_eq!(oa.get_numbering_rule(&admin, "office_doc").unwrap(), rule);
    assert_eq!(oa.list_numbering_rules(&admin).unwrap(), std::slice::from_ref(&rule));
    let err = oa
        .create_numbering_rule(&admin, NewNumberingRule { pattern: "办〔{year}〕号".into(), ..office_doc() })
        .unwrap_err();
    assert_eq!(err.field_errors()[0].path, "pattern");

    // The office's clock shows Monday 5 January 2026.
    assert_eq!(oa.preview_next_number(&admin, "office_doc").unwrap(), "办〔2026〕1号");
    assert_eq!(oa.issue_number(&admin, "office_doc", "收文 2026-001".into()).unwrap(), "办〔2026〕1号");
    assert_eq!(oa.preview_next_number(&admin, "office_doc").unwrap(), "办〔2026〕2号");
    let issued = oa.get_issued_number(&admin, "office_doc", "办〔2026〕1号").unwrap();
    assert_eq!(issued.owner, "收文 2026-001");
    assert!(issued.issued_by.is_some());

    let changed = oa
        .update_numbering_rule(
            &admin,
            "office_doc",
            NumberingRulePatch { pattern: Some("办发〔{year}〕{seq:3}号".into()), ..Default::default() },
        )
        .unwrap();
    assert_eq!(changed.pattern, "办发〔{year}〕{seq:3}号");
    assert_eq!(oa.issue_number(&admin, "office_doc", "收文 2026-002".into()).unwrap(), "办发〔2026〕002号");

    let audited = oa
        .list_audit(
            &admin,
            AuditQuery { operation: Some("admin.numbering.issue".into()), ..AuditQuery::default() },
            PageRequest::first(10),
        )
        .unwrap();
    assert_eq!(audited.items.len(), 2);
    assert!(audited.items.iter().any(|r| r.summary == "issued `办〔2026〕1号` to `收文 2026-001`"));

    let clerk = clerk(&oa, &admin);
    assert_eq!(oa.issue_number(&clerk, "office_doc", "x".into()).unwrap_err().code(), "permission_denied");
    assert_eq!(oa.list_numbering_rules(&clerk).unwrap_err().code(), "permission_denied");
    assert_eq!(oa.issue_number(&admin, "nope", "x".into()).unwrap_err().code(), "not_found");
}
