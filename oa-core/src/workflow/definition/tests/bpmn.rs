//! BPMN import: what is read, what is refused, and broken references, each named.

use super::dingtalk::bpmn;
use super::*;
use crate::workflow::definition::{parse_bpmn, ApproveMethod, Approvers, NodeKind};

/// The problems of importing `body` as a process.
fn refused(body: &str) -> Vec<(String, String)> {
    fields(parse_bpmn(&bpmn("p", body)).unwrap_err())
}

/// The approval settings of node `id` after importing `body`.
fn task(body: &str, id: &str) -> Read {
    let g = parse_bpmn(&bpmn("p", body)).unwrap().graph;
    let NodeKind::Approval(a) = &g.node(id).unwrap().kind else { panic!("`{id}` is not an approval") };
    (a.settings.approvers.clone(), a.settings.method, a.settings.pass_percent)
}

/// A start → `inner` → end process, `inner` being one user task `t`.
fn around(t: &str) -> String {
    format!(
        r#"<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/>{t}
           <sequenceFlow id="f2" sourceRef="t" targetRef="e"/><endEvent id="e"/>"#
    )
}

/// What a task becomes: its approvers, method and share.
type Read = (Approvers, ApproveMethod, Option<u8>);

#[test]
fn user_task_approvers_and_methods() {
    let people = |p: &[&str]| Approvers::People { people: p.iter().map(|s| s.to_string()).collect() };
    let cases: Vec<(&str, Read)> = vec![
        (r#"<userTask id="t" flowable:assignee="alice"/>"#, (people(&["alice"]), ApproveMethod::Single, None)),
        (r#"<userTask id="t" flowable:assignee="${initiator}"/>"#, (Approvers::Initiator, ApproveMethod::Single, None)),
        (
            r#"<userTask id="t" flowable:assignee="${manager}"/>"#,
            (Approvers::FormField { field: "manager".into() }, ApproveMethod::Single, None),
        ),
        (
            r#"<userTask id="t" flowable:candidateUsers="alice, carol"/>"#,
            (people(&["alice", "carol"]), ApproveMethod::Any, None),
        ),
        (
            r#"<userTask id="t" flowable:candidateGroups="finance"/>"#,
            (Approvers::Role { role: "finance".into(), within_initiator_dept: false }, ApproveMethod::Any, None),
        ),
        (
            r#"<userTask id="t" flowable:candidateUsers="alice,carol"><multiInstanceLoopCharacteristics isSequential="false"/></userTask>"#,
            (people(&["alice", "carol"]), ApproveMethod::All, None),
        ),
        (
            r#"<userTask id="t" flowable:candidateUsers="alice,carol"><multiInstanceLoopCharacteristics isSequential="true"/></userTask>"#,
            (people(&["alice", "carol"]), ApproveMethod::InTurn, None),
        ),
        (
            r#"<userTask id="t" flowable:candidateGroups="finance"><multiInstanceLoopCharacteristics>
                 <completionCondition>${nrOfCompletedInstances >= 1}</completionCondition>
               </multiInstanceLoopCharacteristics></userTask>"#,
            (Approvers::Role { role: "finance".into(), within_initiator_dept: false }, ApproveMethod::Any, None),
        ),
        (
            r#"<userTask id="t" flowable:candidateGroups="finance"><multiInstanceLoopCharacteristics>
                 <completionCondition>${nrOfCompletedInstances/nrOfInstances &gt;= 0.5}</completionCondition>
               </multiInstanceLoopCharacteristics></userTask>"#,
            (Approvers::Role { role: "finance".into(), within_initiator_dept: false }, ApproveMethod::Ratio, Some(50)),
        ),
    ];
    for (t, expected) in cases {
        assert_eq!(task(&around(t), "t"), expected, "{t}");
    }
    // The Camunda and Activiti namespaces read the same.
    let camunda = format!(
        r#"<?xml version="1.0"?><definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn"><process id="c">{}</process></definitions>"#,
        around(r#"<userTask id="t" camunda:candidateGroups="finance"/>"#)
    );
    let g = parse_bpmn(&camunda).unwrap().graph;
    assert!(matches!(&g.node("t").unwrap().kind, NodeKind::Approval(a) if a.settings.approvers.name() == "role"));
}

#[test]
fn unsupported_elements_are_named() {
    assert_eq!(
        refused(
            r#"<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="notify"/>
               <serviceTask id="notify" flowable:class="com.acme.Notify"/>
               <sequenceFlow id="f2" sourceRef="notify" targetRef="e"/><endEvent id="e"/>
               <inclusiveGateway id="ig"/><subProcess id="sub"/><boundaryEvent id="b" attachedToRef="notify"/>"#
        ),
        vec![
            (
                "elements[notify]".to_string(),
                "serviceTask `notify` is not supported: oa imports start and end events, user tasks, exclusive and parallel gateways and sequence flows".to_string()
            ),
            ("elements[ig]".to_string(), "inclusiveGateway `ig` is not supported: oa imports start and end events, user tasks, exclusive and parallel gateways and sequence flows".to_string()),
            ("elements[sub]".to_string(), "subProcess `sub` is not supported: oa imports start and end events, user tasks, exclusive and parallel gateways and sequence flows".to_string()),
            ("elements[b]".to_string(), "boundaryEvent `b` is not supported: oa imports start and end events, user tasks, exclusive and parallel gateways and sequence flows".to_string()),
        ]
    );
    let timer = refused(
        r#"<startEvent id="s"><timerEventDefinition/></startEvent><endEvent id="e"><terminateEventDefinition/></endEvent>"#,
    );
    assert_eq!(
        timer,
        vec![("elements[s]".to_string(), "startEvent `s` with a timerEventDefinition is not supported".to_string())]
    );
    let listener = refused(&around(
        r#"<userTask id="t" flowable:assignee="alice"><extensionElements><flowable:taskListener event="create" class="X"/></extensionElements></userTask>"#,
    ));
    assert_eq!(
        listener,
        vec![("elements[t]".to_string(), "the taskListener of userTask `t` is not supported".to_string())]
    );
}

#[test]
fn broken_references_and_odd_shapes_are_named() {
    assert_eq!(
        refused(
            r#"<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="ghost"/>
               <sequenceFlow id="f2" sourceRef="nowhere" targetRef="e"/><sequenceFlow id="f3" sourceRef="s"/>
               <endEvent id="e"/>"#
        ),
        vec![
            ("flows[f3].targetRef".to_string(), "sequenceFlow `f3` has no targetRef".to_string()),
            (
                "flows[f1].targetRef".to_string(),
                "sequenceFlow `f1` goes to `ghost`, which is not an element of the process".to_string()
            ),
            (
                "flows[f2].sourceRef".to_string(),
                "sequenceFlow `f2` comes from `nowhere`, which is not an element of the process".to_string()
            ),
            ("elements[s]".to_string(), "startEvent `s` has no outgoing flow".to_string()),
        ]
    );
    assert_eq!(
        refused(
            r#"<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="t"/><sequenceFlow id="f0" sourceRef="s" targetRef="e"/>
               <userTask id="t" flowable:assignee="alice"/><sequenceFlow id="f2" sourceRef="t" targetRef="e">
               <conditionExpression>${urgent}</conditionExpression></sequenceFlow><endEvent id="e"/><endEvent id="t"/>
               <userTask name="nameless"/>"#
        ),
        vec![
            ("elements[t]".to_string(), "the id `t` is used twice".to_string()),
            ("elements".to_string(), "a `userTask` has no id".to_string()),
            (
                "elements[s]".to_string(),
                "startEvent `s` has 2 outgoing flows: branch with an exclusive or a parallel gateway".to_string()
            ),
            (
                "flows[f2].conditionExpression".to_string(),
                "sequenceFlow `f2` has a condition but does not leave an exclusive gateway that branches".to_string()
            ),
        ]
    );
    assert_eq!(
        refused(
            r#"<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="gw"/>
               <exclusiveGateway id="gw" default="nope"/>
               <sequenceFlow id="f2" sourceRef="gw" targetRef="e"><conditionExpression>${amount > 10000 and urgent}</conditionExpression></sequenceFlow>
               <sequenceFlow id="f3" sourceRef="gw" targetRef="e"/>
               <parallelGateway id="both"/><sequenceFlow id="f4" sourceRef="s" targetRef="both"/>
               <endEvent id="e"/>"#
        )
        .into_iter()
        .map(|(p, r)| (p, r.split(':').next().unwrap_or("").to_string()))
        .collect::<Vec<_>>(),
        vec![
            ("flows[f2].conditionExpression".to_string(), "cannot read the condition `${amount > 10000 and urgent}` of sequenceFlow `f2`".to_string()),
            ("elements[s]".to_string(), "startEvent `s` has 2 outgoing flows".to_string()),
            ("elements[gw]".to_string(), "the default flow `nope` of exclusiveGateway `gw` is not one of its outgoing flows".to_string()),
            ("elements[both]".to_string(), "parallelGateway `both` has no outgoing flow".to_string()),
        ]
    );
    let mixed = refused(
        r#"<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="fork"/><parallelGateway id="fork"/>
           <sequenceFlow id="f2" sourceRef="fork" targetRef="a"/><sequenceFlow id="f3" sourceRef="fork" targetRef="b"/>
           <userTask id="a" flowable:assignee="alice"/><userTask id="b" flowable:assignee="alice"/>
           <sequenceFlow id="f4" sourceRef="a" targetRef="x"/><sequenceFlow id="f5" sourceRef="b" targetRef="x"/>
           <parallelGateway id="x"/><sequenceFlow id="f6" sourceRef="x" targetRef="e"/><sequenceFlow id="f7" sourceRef="x" targetRef="e"/>
           <endEvent id="e"/>"#,
    );
    assert_eq!(
        mixed,
        vec![(
            "elements[x]".to_string(),
            "parallelGateway `x` both joins and splits: use one gateway to join and another to split".to_string()
        )]
    );
}

#[test]
fn assignments_that_cannot_be_read_are_named() {
    let cases = [
        (r#"<userTask id="t"/>"#, "userTask `t` names no assignee, candidateUsers or candidateGroups"),
        (
            r#"<userTask id="t" flowable:assignee="alice" flowable:candidateGroups="finance"/>"#,
            "userTask `t` gives assignee and candidateGroups: give exactly one of assignee, candidateUsers or candidateGroups",
        ),
        (
            r#"<userTask id="t" flowable:assignee="${users.get(0)}"/>"#,
            "the assignee `${users.get(0)}` of userTask `t` is not supported: give a person, `${initiator}` or `${field}`",
        ),
        (r#"<userTask id="t" flowable:candidateUsers="alice,${boss}"/>"#, "the candidateUsers `alice,${boss}` of userTask `t` hold an expression: name the people"),
        (r#"<userTask id="t" flowable:candidateGroups="a,b"/>"#, "userTask `t` names 2 candidate groups: one role per task is supported"),
        (
            r#"<userTask id="t" flowable:assignee="${assignee}"><multiInstanceLoopCharacteristics flowable:collection="${approvers}" flowable:elementVariable="assignee"/></userTask>"#,
            "the collection or loop cardinality of userTask `t` is not supported: name its approvers with candidateUsers or candidateGroups",
        ),
        (
            r#"<userTask id="t" flowable:candidateGroups="finance"><multiInstanceLoopCharacteristics><completionCondition>${approved}</completionCondition></multiInstanceLoopCharacteristics></userTask>"#,
            "the completionCondition `${approved}` of userTask `t` is not recognised",
        ),
        (
            r#"<userTask id="t" flowable:candidateGroups="finance"><multiInstanceLoopCharacteristics isSequential="true"><completionCondition>${nrOfCompletedInstances >= 1}</completionCondition></multiInstanceLoopCharacteristics></userTask>"#,
            "the completionCondition `${nrOfCompletedInstances >= 1}` of userTask `t` ends a sequential approval early, which is not supported",
        ),
    ];
    for (t, reason) in cases {
        let got = refused(&around(t));
        assert_eq!(got.len(), 1, "{t}: {got:?}");
        assert_eq!(got[0].0, "elements[t]", "{t}");
        assert!(got[0].1.starts_with(reason), "{t}: {}", got[0].1);
    }
}

#[test]
fn documents_that_are_not_one_bpmn_process() {
    let one = |xml: &str| fields(parse_bpmn(xml).unwrap_err()).remove(0);
    assert_eq!(
        one("<definitions"),
        ("xml".to_string(), "not well-formed XML: the document does not have a root node".to_string())
    );
    assert_eq!(one("<html/>"), ("xml".to_string(), "not a BPMN 2.0 document: the root element is `html`".to_string()));
    assert_eq!(
        one(r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>"#),
        ("process".to_string(), "the document holds no process".to_string())
    );
    assert_eq!(
        one(
            r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="a"/><process id="b"/></definitions>"#
        ),
        ("process".to_string(), "the document holds 2 processes (`a`, `b`): import one at a time".to_string())
    );
    assert_eq!(
        one(r#"<!DOCTYPE x [<!ENTITY a "b">]><definitions/>"#).0,
        "xml",
        "a document type declaration is refused"
    );
    let big = format!("<definitions>{}</definitions>", " ".repeat(super::super::MAX_BPMN_BYTES));
    assert_eq!(one(&big), ("xml".to_string(), "the document is larger than 4 MiB".to_string()));
    // Documentation, lanes and the diagram are skipped; a process without a name takes its id.
    let g = parse_bpmn(&bpmn(
        "p",
        &around(r#"<documentation>x</documentation><laneSet id="l"/><userTask id="t" flowable:assignee="alice"/>"#),
    ))
    .unwrap();
    assert_eq!(g.graph.nodes.len(), 3);
    let unnamed = parse_bpmn(
        r#"<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="leave"><startEvent id="s"/><sequenceFlow id="f" sourceRef="s" targetRef="e"/><endEvent id="e"/></process></definitions>"#,
    )
    .unwrap();
    assert_eq!((unnamed.key.as_str(), unnamed.name.as_str()), ("leave", "leave"));
}
