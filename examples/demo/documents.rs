//! The demo's official documents (公文发文): an outgoing notice drafted in R&D goes through
//! its department head (核稿), a countersign of HR and Legal (会签), the sign-off of the head
//! of the General Office who gives it its number (签发, 文号), and copies to the sales heads
//! (分发). The records office, an application outside this process, follows the approvals
//! through the feed of the `doc` business type.

use oa::workflow::runtime::{StartProcess, TaskKind, TaskQuery, TaskStatus};
use oa::{DataScope, NewGrant, NewNumberingRule, NewRole, Oa, OaError, PageRequest, Person, SeqReset, Session};

/// Who takes part, signed in.
pub struct Cast<'a> {
    pub drafter: &'a (Person, Session),
    pub reviewer: (Person, Session),
    pub countersigners: Vec<(Person, Session)>,
    pub signer: (Person, Session),
    pub recipients: Vec<&'a (Person, Session)>,
}

/// Publishes the form, the numbering rule and the process of outgoing documents.
pub fn publish(office: &Oa, admin: &Session, cast: &Cast<'_>) -> Result<(), OaError> {
    let bad_json = |e: serde_json::Error| OaError::Internal(e.to_string());
    office.create_numbering_rule(
        admin,
        NewNumberingRule {
            key: "fawen".into(),
            name: "发文字号 Outgoing number".into(),
            pattern: "艾克米发〔{year}〕{seq}号".into(),
            seq_width: 0,
            reset: SeqReset::Yearly,
        },
    )?;
    let form: oa::NewForm = serde_json::from_value(serde_json::json!({
        "key": "outgoing_doc", "name": "发文 Outgoing document",
        "fields": [
            {"key": "subject", "label": "标题 Subject", "type": "text", "required": true, "max_length": 120},
            {"key": "urgency", "label": "缓急 Urgency", "type": "choice", "required": true, "options": [
                {"value": "normal", "label": "平件"}, {"value": "urgent", "label": "急件"},
                {"value": "very_urgent", "label": "特急"}]},
            {"key": "body", "label": "正文 Body", "type": "long_text", "required": true},
            {"key": "doc_no", "label": "文号 Number", "type": "text"}
        ]
    }))
    .map_err(bad_json)?;
    office.define_form(admin, form)?;
    let logins = |people: &[&Person]| people.iter().map(|p| p.login.clone()).collect::<Vec<_>>();
    let countersigners: Vec<&Person> = cast.countersigners.iter().map(|(p, _)| p).collect();
    let recipients: Vec<&Person> = cast.recipients.iter().map(|(p, _)| p).collect();
    let process = serde_json::json!({
        "key": "outgoing_doc", "name": "发文审批 Outgoing document", "formKey": "outgoing_doc",
        "process": {"nodeId": "start", "type": "start", "childNode": {
            "nodeId": "review", "type": "approval", "name": "核稿 Review",
            "props": {"approvers": {"strategy": "dept_head"},
                      "fields": {"default": "read_only", "fields": {"body": "editable"}}},
            "childNode": {
                "nodeId": "countersign", "type": "approval", "name": "会签 Countersign",
                "props": {"approvers": {"strategy": "people", "people": logins(&countersigners)}, "method": "all"},
                "childNode": {
                    "nodeId": "sign_off", "type": "approval", "name": "签发 Sign-off",
                    "props": {"approvers": {"strategy": "people", "people": [cast.signer.0.login]},
                              "numbering": {"rule": "fawen", "field": "doc_no"}},
                    "childNode": {
                        "nodeId": "distribute", "type": "cc", "name": "分发 Distribution",
                        "props": {"recipients": {"strategy": "people", "people": logins(&recipients)}}
                    }
                }
            }
        }}
    });
    let published = office.publish_process_json(admin, &process.to_string())?;
    println!(
        "  published `{}` version {} and the numbering rule 艾克米发〔year〕N号",
        published.name, published.version
    );
    office.create_role(
        admin,
        NewRole {
            code: "doc_drafter".into(),
            name: "拟稿人 Document drafter".into(),
            description: String::new(),
            permissions: vec!["workflow.instance.start".into()],
            inherits: vec![],
            data_scope: DataScope::SelfOnly,
        },
    )?;
    let drafter = &cast.drafter.0;
    office.grant_role(admin, NewGrant { person: drafter.id, role: "doc_drafter".into(), limit_to_dept: None })?;
    let feed = office.declare_business_type(admin, "doc", "公文 Official documents, followed by the records office")?;
    println!("  declared the business type `{}`: the records office follows its feed", feed.prefix);
    Ok(())
}

/// Drafts two notices and walks them through, printing todo lists along the way.
pub fn run(office: &Oa, admin: &Session, cast: &Cast<'_>) -> Result<(), OaError> {
    let (drafter, drafter_session) = cast.drafter;
    let notices = [
        ("关于2027年研发规划的通知 Notice on the 2027 R&D plan", "urgent", "FW-2027-RD-01"),
        ("关于启用新版报销系统的通知 Notice on the new expense system", "normal", "FW-2027-RD-02"),
    ];
    for (subject, urgency, key) in notices {
        let start = StartProcess {
            process_key: "outgoing_doc".into(),
            version: None,
            title: subject.into(),
            data: serde_json::json!({"subject": subject, "urgency": urgency, "body": "各部门：……特此通知。"}),
            business_key: Some(format!("doc:{key}")),
        };
        office.start_process(drafter_session, start)?;
    }
    println!("  {} drafted {} notices", drafter.login, notices.len());

    let show_todo = |who: &(Person, Session)| -> Result<usize, OaError> {
        let todo = office.todo(&who.1, TaskQuery::default(), PageRequest::first(10))?;
        let badge = office.badge_counts(&who.1)?;
        let items: Vec<String> = todo.items.iter().map(|t| format!("[{}] {}", t.node_name, t.title)).collect();
        println!("  {:<6} {} todo, {} unread copies: {}", who.0.login, badge.todo, badge.cc_unread, items.join(" | "));
        Ok(todo.items.len())
    };
    let approve_all = |who: &(Person, Session), comment: &str| -> Result<(), OaError> {
        for t in office.todo(&who.1, TaskQuery::default(), PageRequest::first(10))?.items {
            office.approve(&who.1, t.id, comment, None)?;
        }
        Ok(())
    };

    show_todo(&cast.reviewer)?;
    // The reviewer corrects the body of the first notice (the only field the node may edit).
    let first = office.todo(&cast.reviewer.1, TaskQuery::default(), PageRequest::first(10))?;
    for t in first.items {
        let edits = serde_json::json!({"body": "各部门：现将2027年研发规划印发给你们，请认真贯彻执行。特此通知。"});
        office.approve(&cast.reviewer.1, t.id, "核稿无误 Reviewed", Some(edits))?;
    }
    for c in &cast.countersigners {
        show_todo(c)?;
    }
    // The first countersigner agrees; the node waits for every one of them (会签).
    approve_all(&cast.countersigners[0], "会签同意 Agreed")?;
    show_todo(&cast.signer)?;
    println!("  (the sign-off waits: {} has not countersigned yet)", cast.countersigners[1].0.login);
    for c in &cast.countersigners[1..] {
        approve_all(c, "会签同意 Agreed")?;
    }
    show_todo(&cast.signer)?;
    approve_all(&cast.signer, "签发 Issued")?;
    for r in &cast.recipients {
        show_todo(r)?;
    }
    // The first recipient reads the copies (待阅 → 已阅): the drafter sees the read receipts.
    let reader = &cast.recipients[0];
    for copy in office.cc_to_me(&reader.1, TaskQuery::default(), true, PageRequest::first(10))?.items {
        office.mark_cc_read(&reader.1, copy.id)?;
    }
    show_todo(reader)?;

    for inst in office.started_by_me(drafter_session, TaskQuery::default(), PageRequest::first(5))?.items {
        let detail = office.instance(drafter_session, inst.id)?;
        println!(
            "  `{}`: {:?}, number {}, {} history entries",
            inst.title,
            inst.status,
            inst.number.as_deref().unwrap_or("-"),
            detail.history.len()
        );
        let copies: Vec<_> = detail.tasks.iter().filter(|t| t.kind == TaskKind::Cc).collect();
        let read = copies.iter().filter(|t| t.status == TaskStatus::Read).count();
        println!("     {} copies sent, {} read", copies.len(), read);
    }
    // The records office reads the feed from the last number it handled (here: from the start).
    for e in office.business_events(admin, "doc", 0, 0)? {
        println!(
            "  records office: #{} {} {:?} as {}",
            e.seq,
            e.business_key,
            e.outcome,
            e.number.as_deref().unwrap_or("-")
        );
    }
    Ok(())
}
