//! The DingTalk-style tree, and small Flowable-style processes (the shapes of Flowable's
//! ExclusiveGatewayTest and ParallelGatewayTest) written as a tree and as BPMN, which must
//! convert to the same graph.

use serde_json::json;

use super::*;
use crate::workflow::definition::{parse_bpmn, parse_process_json, to_graph, DingTalkNode, NodeKind};

fn tree(value: Value) -> DingTalkNode {
    serde_json::from_value(value).unwrap()
}

/// Converts a tree, or panics with its problems.
fn convert(value: Value) -> ProcessGraph {
    to_graph(&tree(value)).unwrap()
}

fn convert_err(value: Value) -> Vec<(String, String)> {
    fields(to_graph(&tree(value)).unwrap_err())
}

const BPMN_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
             xmlns:flowable="http://flowable.org/bpmn"
             targetNamespace="http://www.flowable.org/processdef">"#;

/// A BPMN document around `body`, the inside of a process `id`.
pub(super) fn bpmn(id: &str, body: &str) -> String {
    format!(r#"{BPMN_HEAD}<process id="{id}" name="Test">{body}</process></definitions>"#)
}

fn alice(name: &str) -> Value {
    json!({"approvers": {"strategy": "people", "people": [name]}, "method": "single"})
}

#[test]
fn exclusive_gateway_as_a_tree_and_as_bpmn() {
    let task = |id: &str, name: &str| json!({"nodeId": id, "type": "approval", "name": name, "props": alice("alice")});
    let from_tree = convert(json!({
        "nodeId": "theStart", "type": "start",
        "childNode": {
            "nodeId": "exclusiveGw", "type": "route", "name": "Exclusive Gateway",
            "conditionNodes": [
                {"nodeId": "flow2", "condition": "days == 1", "childNode": task("theTask1", "Task 1")},
                {"nodeId": "flow3", "condition": "days == 2", "childNode": task("theTask2", "Task 2")},
                {"nodeId": "flow4", "condition": "days == 3", "childNode": task("theTask3", "Task 3")},
                {"nodeId": "flow5", "default": true, "childNode": task("theTask4", "Task 4")}
            ],
            "childNode": {"nodeId": "theEnd", "type": "end"}
        }
    }));
    let xml = bpmn(
        "exclusiveGwDiverging",
        r#"
        <startEvent id="theStart" />
        <sequenceFlow id="flow1" sourceRef="theStart" targetRef="exclusiveGw" />
        <exclusiveGateway id="exclusiveGw" name="Exclusive Gateway" default="flow5" />
        <sequenceFlow id="flow2" sourceRef="exclusiveGw" targetRef="theTask1">
          <conditionExpression xsi:type="tFormalExpression">${days == 1}</conditionExpression>
        </sequenceFlow>
        <sequenceFlow id="flow3" sourceRef="exclusiveGw" targetRef="theTask2">
          <conditionExpression xsi:type="tFormalExpression"><![CDATA[${days == 2}]]></conditionExpression>
        </sequenceFlow>
        <sequenceFlow id="flow4" sourceRef="exclusiveGw" targetRef="theTask3">
          <conditionExpression xsi:type="tFormalExpression">#{days == 3}</conditionExpression>
        </sequenceFlow>
        <sequenceFlow id="flow5" sourceRef="exclusiveGw" targetRef="theTask4" />
        <userTask id="theTask1" name="Task 1" flowable:assignee="alice" />
        <userTask id="theTask2" name="Task 2" flowable:assignee="alice" />
        <userTask id="theTask3" name="Task 3" flowable:assignee="alice" />
        <userTask id="theTask4" name="Task 4" flowable:assignee="alice" />
        <sequenceFlow sourceRef="theTask1" targetRef="theEnd" id="e1" />
        <sequenceFlow sourceRef="theTask2" targetRef="theEnd" id="e2" />
        <sequenceFlow sourceRef="theTask3" targetRef="theEnd" id="e3" />
        <sequenceFlow sourceRef="theTask4" targetRef="theEnd" id="e4" />
        <endEvent id="theEnd" />
        <bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="d" />
        "#,
    );
    let from_bpmn = parse_bpmn(&xml).unwrap();
    assert_eq!((from_bpmn.key.as_str(), from_bpmn.name.as_str()), ("exclusiveGwDiverging", "Test"));
    assert_eq!(sorted(from_tree.clone()), sorted(from_bpmn.graph));
    assert_eq!(problems(&from_tree), vec![]);
    let gw = from_tree.node("exclusiveGw").unwrap();
    let NodeKind::Exclusive { branches } = &gw.kind else { panic!("not a gateway: {gw:?}") };
    let summary: Vec<(&str, Option<&str>, bool)> =
        branches.iter().map(|b| (b.to.as_str(), b.condition.as_deref(), b.default)).collect();
    assert_eq!(
        summary,
        vec![
            ("theTask1", Some("days == 1"), false),
            ("theTask2", Some("days == 2"), false),
            ("theTask3", Some("days == 3"), false),
            ("theTask4", None, true)
        ]
    );
}

#[test]
fn parallel_gateway_as_a_tree_and_as_bpmn() {
    let from_tree = convert(json!({
        "nodeId": "theStart", "type": "START",
        "childNode": {
            "nodeId": "fork", "type": "PARALLEL", "joinId": "join",
            "parallelNodes": [
                {"childNode": {"nodeId": "receivePayment", "type": "APPROVER", "name": "Receive Payment",
                               "props": {"approvers": {"strategy": "role", "role": "finance"}}}},
                {"childNode": {"nodeId": "shipOrder", "type": "APPROVER", "name": "Ship Order",
                               "props": {"approvers": {"strategy": "people", "people": ["alice", "carol"]}, "method": "all"}}}
            ],
            "childNode": {
                "nodeId": "archiveOrder", "type": "APPROVER", "name": "Archive Order",
                "props": {"approvers": {"strategy": "people", "people": ["alice", "carol"]},
                          "method": "ratio", "pass_percent": 60},
                "childNode": {"nodeId": "theEnd", "type": "END"}
            }
        }
    }));
    let xml = bpmn(
        "forkJoin",
        r#"
        <startEvent id="theStart" />
        <sequenceFlow id="flow1" sourceRef="theStart" targetRef="fork" />
        <parallelGateway id="fork" />
        <sequenceFlow id="flow2" sourceRef="fork" targetRef="receivePayment" />
        <sequenceFlow id="flow3" sourceRef="fork" targetRef="shipOrder" />
        <userTask id="receivePayment" name="Receive Payment" flowable:candidateGroups="finance" />
        <sequenceFlow id="flow4" sourceRef="receivePayment" targetRef="join" />
        <userTask id="shipOrder" name="Ship Order" flowable:candidateUsers="alice, carol">
          <multiInstanceLoopCharacteristics isSequential="false" />
        </userTask>
        <sequenceFlow id="flow5" sourceRef="shipOrder" targetRef="join" />
        <parallelGateway id="join" />
        <sequenceFlow id="flow6" sourceRef="join" targetRef="archiveOrder" />
        <userTask id="archiveOrder" name="Archive Order" flowable:candidateUsers="alice,carol">
          <multiInstanceLoopCharacteristics>
            <completionCondition>${nrOfCompletedInstances / nrOfInstances >= 0.6}</completionCondition>
          </multiInstanceLoopCharacteristics>
        </userTask>
        <sequenceFlow id="flow7" sourceRef="archiveOrder" targetRef="theEnd" />
        <endEvent id="theEnd" />
        "#,
    );
    let from_bpmn = parse_bpmn(&xml).unwrap();
    assert_eq!(sorted(from_tree.clone()), sorted(from_bpmn.graph));
    assert_eq!(problems(&from_tree), vec![]);
    assert!(matches!(from_tree.node("join").unwrap().kind, NodeKind::Join { ref next } if next == "archiveOrder"));
}

#[test]
fn a_merging_gateway_in_bpmn_is_the_route_closing_in_the_tree() {
    let from_tree = convert(json!({
        "nodeId": "start", "type": "start",
        "childNode": {
            "nodeId": "split", "type": "route",
            "conditionNodes": [
                {"nodeId": "big", "name": "大额", "condition": "amount > 10000",
                 "childNode": {"nodeId": "gm", "type": "approval", "props": {"approvers": {"strategy": "initiator"}, "method": "single"}}},
                {"nodeId": "small", "default": true}
            ],
            "childNode": {"nodeId": "cashier", "type": "approval",
                          "props": {"approvers": {"strategy": "form_field", "field": "manager"}, "method": "single"}}
        }
    }));
    let xml = bpmn(
        "merge",
        r#"
        <startEvent id="start" flowable:initiator="applicant" />
        <sequenceFlow id="s1" sourceRef="start" targetRef="split" />
        <exclusiveGateway id="split" default="small" />
        <sequenceFlow id="big" name="大额" sourceRef="split" targetRef="gm">
          <conditionExpression>${amount > 10000}</conditionExpression>
        </sequenceFlow>
        <sequenceFlow id="small" sourceRef="split" targetRef="merge" />
        <userTask id="gm" flowable:assignee="${applicant}" />
        <sequenceFlow id="s2" sourceRef="gm" targetRef="merge" />
        <exclusiveGateway id="merge" />
        <sequenceFlow id="s3" sourceRef="merge" targetRef="cashier" />
        <userTask id="cashier" flowable:assignee="${form.manager}" />
        <sequenceFlow id="s4" sourceRef="cashier" targetRef="end" />
        <endEvent id="end" />
        "#,
    );
    let from_bpmn = parse_bpmn(&xml).unwrap();
    assert_eq!(sorted(from_tree.clone()), sorted(from_bpmn.graph));
    assert_eq!(problems(&from_tree), vec![]);
}

#[test]
fn the_documented_example_reads_and_validates() {
    let doc = json!({
        "key": "purchase", "name": "采购申请", "category": "财务", "formKey": "purchase", "formVersion": 2,
        "process": {
            "nodeId": "start", "type": "start", "name": "发起人",
            "childNode": {
                "nodeId": "approve_mgr", "type": "approval", "name": "部门负责人",
                "props": {"approvers": {"strategy": "dept_head"}, "method": "single"},
                "childNode": {
                    "nodeId": "amount", "type": "route", "name": "金额",
                    "conditionNodes": [
                        {"nodeId": "big", "name": "大额", "condition": "amount > 10000",
                         "childNode": {"nodeId": "approve_gm", "type": "approval",
                                       "props": {"approvers": {"strategy": "role", "role": "gm"}}}},
                        {"nodeId": "other", "name": "其他", "default": true}
                    ],
                    "childNode": {
                        "nodeId": "review", "type": "parallel",
                        "parallelNodes": [
                            {"childNode": {"nodeId": "finance", "type": "approval",
                                           "props": {"approvers": {"strategy": "role", "role": "finance"}}}},
                            {"childNode": {"nodeId": "legal", "type": "approval",
                                           "props": {"approvers": {"strategy": "role", "role": "legal"}}}}
                        ],
                        "childNode": {"nodeId": "cc_admin", "type": "cc",
                                      "props": {"recipients": {"strategy": "people", "people": ["zhao"]}}}
                    }
                }
            }
        }
    });
    let input = parse_process_json(&doc.to_string()).unwrap();
    assert_eq!((input.key.as_str(), input.form_key.as_str(), input.form_version), ("purchase", "purchase", Some(2)));
    let ids: Vec<&str> = input.definition.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "start",
            "approve_mgr",
            "amount",
            "approve_gm",
            "review",
            "finance",
            "legal",
            "review_join",
            "cc_admin",
            "end"
        ]
    );
    assert_eq!(problems(&input.definition), vec![]);
    let NodeKind::Exclusive { branches } = &input.definition.node("amount").unwrap().kind else { panic!() };
    assert_eq!((branches[0].id.as_deref(), branches[0].name.as_str()), (Some("big"), "大额"));
    assert_eq!(branches[1].to, "review", "an empty branch goes straight on after the route");
}

#[test]
fn tree_problems_name_where_they_are() {
    assert_eq!(
        convert_err(json!({"nodeId": "", "type": "start", "childNode": {"nodeId": "s2", "type": "start"}})),
        vec![
            ("process.nodeId".to_string(), "names no node id".to_string()),
            ("process.childNode.type".to_string(), "only the root of the tree is a `start` node".to_string()),
        ]
    );
    assert_eq!(
        convert_err(json!({"nodeId": "a", "type": "approval"})),
        vec![
            ("process.type".to_string(), "the root of the tree must be the `start` node".to_string()),
            ("process.props".to_string(), "a node of type `approval` needs its settings in `props`".to_string()),
        ]
    );
    let bad_props = convert_err(json!({"nodeId": "s", "type": "start", "childNode":
        {"nodeId": "a", "type": "approval", "props": {"approvers": {"strategy": "nobody"}}}}));
    assert_eq!(bad_props.len(), 1);
    assert_eq!(bad_props[0].0, "process.childNode.props");
    assert!(
        bad_props[0].1.starts_with("not the settings of an approval node: unknown variant `nobody`"),
        "{}",
        bad_props[0].1
    );
    assert_eq!(
        convert_err(json!({"nodeId": "s", "type": "start", "props": {"x": 1}, "childNode":
            {"nodeId": "e", "type": "end", "childNode": {"nodeId": "a", "type": "cc", "props": {"recipients": {"strategy": "initiator"}}}}})),
        vec![
            ("process.props".to_string(), "only approval and copy nodes take props".to_string()),
            ("process.childNode.childNode".to_string(), "an end node has no node after it".to_string()),
        ]
    );
    assert_eq!(
        convert_err(json!({"nodeId": "s", "type": "start", "childNode": {"nodeId": "r", "type": "route",
            "parallelNodes": [{"nodeId": "x"}]}})),
        vec![(
            "process.childNode".to_string(),
            "only a `route` has `conditionNodes`, and only a `parallel` route `parallelNodes`".to_string()
        )]
    );
    assert_eq!(
        convert_err(json!({"nodeId": "s", "type": "start", "childNode": {"nodeId": "p", "type": "parallel",
            "conditionNodes": [{"condition": "urgent"}, {}]}})),
        vec![(
            "process.childNode.conditionNodes[0]".to_string(),
            "a parallel branch has no condition: every branch runs".to_string()
        )]
    );
    let not_json = parse_process_json("{\"key\": ").unwrap_err();
    assert_eq!(fields(not_json)[0].0, "json");
    let missing = fields(parse_process_json(r#"{"key": "k", "name": "n", "formKey": "f"}"#).unwrap_err());
    assert_eq!(
        missing,
        vec![("json".to_string(), "not a process document: missing field `process` at line 1 column 41".to_string())]
    );
}

#[test]
fn the_added_end_avoids_ids_in_use() {
    let g = convert(json!({"nodeId": "s", "type": "start", "childNode":
        {"nodeId": "end", "type": "approval", "props": {"approvers": {"strategy": "initiator"}}}}));
    let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["s", "end", "end_2"]);
    // A tree that ends explicitly everywhere gets no added end.
    let g = convert(json!({"nodeId": "s", "type": "start", "childNode": {"nodeId": "fin", "type": "end"}}));
    assert_eq!(g.nodes.len(), 2);
    // Upper-case DingTalk names and aliases read too.
    let g = convert(json!({"id": "s", "type": "ROOT", "childNode": {"id": "n", "nodeName": "抄送", "type": "NOTIFIER",
        "props": {"recipients": {"strategy": "dept_head"}}}}));
    assert_eq!(g.node("n").unwrap().name, "抄送");
    assert_eq!(problems(&g), vec![]);
}

#[test]
fn empty_parallel_branches_count_as_one() {
    let g = convert(json!({"nodeId": "s", "type": "start", "childNode": {"nodeId": "p", "type": "parallel",
        "parallelNodes": [{}, {}, {"childNode": {"nodeId": "a", "type": "cc", "props": {"recipients": {"strategy": "initiator"}}}}]}}));
    assert!(matches!(&g.node("p").unwrap().kind, NodeKind::Parallel { branches } if branches == &["p_join", "a"]));
    assert_eq!(problems(&g), vec![]);
    let g = convert(json!({"nodeId": "s", "type": "start", "childNode": {"nodeId": "p", "type": "parallel",
        "parallelNodes": [{}, {}]}}));
    assert_eq!(
        problems(&g),
        vec![("nodes[p].branches".to_string(), "a parallel split needs at least 2 branches, found 1".to_string())]
    );
}

#[test]
fn conditions_in_nested_routes_reach_the_graph_checks() {
    let g = convert(json!({"nodeId": "s", "type": "start", "childNode": {
        "nodeId": "outer", "type": "route", "conditionNodes": [
            {"condition": "urgent", "childNode": {"nodeId": "inner", "type": "route", "conditionNodes": [
                {"condition": "amonut > 1"}, {"default": true}]}},
            {"default": true}]}}));
    assert_eq!(
        problems(&g).into_iter().map(|(p, _)| p).collect::<Vec<_>>(),
        vec!["nodes[inner].branches[0].condition".to_string()]
    );
}
