//! Properties: well-formed DingTalk trees always give valid graphs; the parsers and the graph
//! checks never panic, whatever they are given.

use proptest::collection::vec;
use proptest::prelude::*;
use serde_json::json;

use super::dingtalk::bpmn;
use super::*;
use crate::workflow::definition::{
    compatible_nodes, parse_bpmn, parse_process_json, to_graph, CompiledProcess, DingTalkBranch, DingTalkNode,
    DingTalkProcess, DingTalkType, Node, NodeKind, ProcessDefinition,
};

/// The shape of a node of a tree.
#[derive(Debug, Clone)]
enum Shape {
    Approval(u8),
    Cc,
    Route { branches: Vec<Vec<Shape>>, default: prop::sample::Index, conditions: Vec<u8> },
    Parallel(Vec<Vec<Shape>>),
}

fn shape() -> impl Strategy<Value = Shape> {
    let leaf = prop_oneof![any::<u8>().prop_map(Shape::Approval), Just(Shape::Cc)];
    leaf.prop_recursive(4, 48, 4, |inner| {
        let chain = vec(inner.clone(), 0..3);
        prop_oneof![
            2 => inner.clone(),
            1 => (vec(chain.clone(), 2..4), any::<prop::sample::Index>(), vec(any::<u8>(), 4))
                .prop_map(|(branches, default, conditions)| Shape::Route { branches, default, conditions }),
            // At most one empty branch: several would count as one (see `to_graph`).
            1 => (vec(inner.clone(), 0..3), vec(vec(inner, 1..3), 1..3)).prop_map(|(first, rest)| {
                Shape::Parallel(std::iter::once(first).chain(rest).collect())
            }),
        ]
    })
}

const CONDITIONS: &[&str] = &["amount > 10000", "urgent", "kind == \"it\"", "days >= 2 && !urgent", "total > 5000"];

/// Approval settings that are coherent with the purchase form, whatever `n`.
fn settings(n: u8) -> Value {
    match n % 6 {
        0 => json!({"approvers": {"strategy": "dept_head"}, "method": "single"}),
        1 => {
            json!({"approvers": {"strategy": "role", "role": "finance"}, "method": "ratio", "pass_percent": 1 + n % 100})
        }
        2 => json!({"approvers": {"strategy": "superiors", "levels": 1 + u32::from(n % 20)}, "method": "in_turn",
                    "returns": {"to": "any_earlier", "resubmit": "back_to_returner"}}),
        3 => json!({"approvers": {"strategy": "form_field", "field": "manager"}, "when_empty": {"action": "skip"},
                    "fields": {"fields": {"amount": "editable", "files": "hidden"}}}),
        4 => json!({"approvers": {"strategy": "people", "people": ["alice", "carol"]}, "method": "all",
                    "deadline": {"after": {"amount": 1 + u32::from(n), "unit": "hours"}, "action": "remind",
                                 "repeat": {"every": {"amount": 2, "unit": "hours"}, "times": 3}}}),
        _ => json!({"approvers": {"strategy": "initiator"}, "initiator_is_approver": "auto_approve",
                    "numbering": {"rule": "purchase_no", "field": "doc_no"}}),
    }
}

struct Ids(usize);

impl Ids {
    fn next(&mut self, prefix: &str) -> String {
        self.0 += 1;
        format!("{prefix}_{}", self.0)
    }
}

/// The tree of a chain of shapes: its first node, the rest nested as `childNode`s.
fn build(chain: &[Shape], ids: &mut Ids) -> Option<Box<DingTalkNode>> {
    let (first, rest) = chain.split_first()?;
    let node = |kind, id: String| DingTalkNode {
        node_id: id,
        kind,
        name: String::new(),
        props: None,
        child_node: None,
        condition_nodes: Vec::new(),
        parallel_nodes: Vec::new(),
        join_id: None,
    };
    let mut n = match first {
        Shape::Approval(s) => DingTalkNode { props: Some(settings(*s)), ..node(DingTalkType::Approval, ids.next("a")) },
        Shape::Cc => DingTalkNode {
            props: Some(json!({"recipients": {"strategy": "role", "role": "finance"}})),
            ..node(DingTalkType::Cc, ids.next("cc"))
        },
        Shape::Route { branches, default, conditions } => {
            let d = default.index(branches.len());
            let id = ids.next("route");
            let condition_nodes = branches
                .iter()
                .enumerate()
                .map(|(i, b)| DingTalkBranch {
                    node_id: ids.next("b"),
                    name: String::new(),
                    condition: (i != d)
                        .then(|| CONDITIONS[usize::from(conditions[i % 4]) % CONDITIONS.len()].to_string()),
                    default: i == d,
                    child_node: build(b, ids),
                })
                .collect();
            DingTalkNode { condition_nodes, ..node(DingTalkType::Route, id) }
        }
        Shape::Parallel(branches) => {
            let id = ids.next("p");
            let parallel_nodes = branches
                .iter()
                .map(|b| DingTalkBranch {
                    node_id: String::new(),
                    name: String::new(),
                    condition: None,
                    default: false,
                    child_node: build(b, ids),
                })
                .collect();
            DingTalkNode { parallel_nodes, ..node(DingTalkType::Parallel, id) }
        }
    };
    n.child_node = build(rest, ids);
    Some(Box::new(n))
}

/// Adds `end` after the last node of the chain starting at `node`.
fn append_end(node: &mut DingTalkNode, end: DingTalkNode) {
    match node.child_node.as_mut() {
        Some(next) => append_end(next, end),
        None => node.child_node = Some(Box::new(end)),
    }
}

/// How many nodes of the graph a chain gives (a parallel route gives its join too).
fn count(chain: &[Shape]) -> usize {
    chain
        .iter()
        .map(|s| match s {
            Shape::Approval(_) | Shape::Cc => 1,
            Shape::Route { branches, .. } => 1 + branches.iter().map(|b| count(b)).sum::<usize>(),
            Shape::Parallel(branches) => 2 + branches.iter().map(|b| count(b)).sum::<usize>(),
        })
        .sum()
}

fn process(graph: ProcessGraph) -> ProcessDefinition {
    ProcessDefinition {
        key: "k".into(),
        version: 1,
        name: "n".into(),
        category: String::new(),
        form_key: "purchase".into(),
        form_version: 1,
        graph,
        created_at: chrono::DateTime::UNIX_EPOCH,
        created_by: PersonId(crate::id::Id::default()),
    }
}

/// A small pool of ids, so random flows often hit nodes and sometimes miss.
const POOL: &[&str] = &["s", "a", "b", "c", "g", "p", "j", "e", "x"];

fn random_node() -> impl Strategy<Value = Node> {
    let id = prop::sample::select(POOL);
    let target = || prop::sample::select(POOL).prop_map(str::to_string);
    let kind = prop_oneof![
        target().prop_map(|next| NodeKind::Start { next }),
        target().prop_map(|next| {
            serde_json::from_value::<NodeKind>(
                json!({"type": "approval", "next": next, "approvers": {"strategy": "dept_head"}}),
            )
            .unwrap()
        }),
        vec((target(), any::<bool>()), 0..4).prop_map(|bs| NodeKind::Exclusive {
            branches: bs
                .into_iter()
                .map(|(to, default)| crate::workflow::definition::Branch {
                    id: None,
                    name: String::new(),
                    to,
                    condition: (!default).then(|| "urgent".to_string()),
                    default,
                })
                .collect()
        }),
        vec(target(), 0..4).prop_map(|branches| NodeKind::Parallel { branches }),
        target().prop_map(|next| NodeKind::Join { next }),
        Just(NodeKind::End),
    ];
    (id, kind).prop_map(|(id, kind)| Node { id: id.to_string(), name: String::new(), kind })
}

/// A valid BPMN document, for mutation.
fn sample_bpmn() -> String {
    bpmn(
        "p",
        r#"<startEvent id="s"/><sequenceFlow id="f1" sourceRef="s" targetRef="gw"/>
           <exclusiveGateway id="gw" default="f3"/>
           <sequenceFlow id="f2" sourceRef="gw" targetRef="fork"><conditionExpression>${amount &gt; 10000}</conditionExpression></sequenceFlow>
           <sequenceFlow id="f3" sourceRef="gw" targetRef="e"/>
           <parallelGateway id="fork"/><sequenceFlow id="f4" sourceRef="fork" targetRef="t1"/><sequenceFlow id="f5" sourceRef="fork" targetRef="t2"/>
           <userTask id="t1" flowable:candidateGroups="finance"><multiInstanceLoopCharacteristics isSequential="true"/></userTask>
           <userTask id="t2" flowable:assignee="${initiator}"/>
           <sequenceFlow id="f6" sourceRef="t1" targetRef="join"/><sequenceFlow id="f7" sourceRef="t2" targetRef="join"/>
           <parallelGateway id="join"/><sequenceFlow id="f8" sourceRef="join" targetRef="e"/><endEvent id="e"/>"#,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn well_formed_trees_give_valid_graphs(chain in vec(shape(), 0..5), explicit_end in any::<bool>()) {
        let mut ids = Ids(0);
        let mut root = DingTalkNode {
            node_id: "start".into(),
            kind: DingTalkType::Start,
            name: "发起人".into(),
            props: None,
            child_node: build(&chain, &mut ids),
            condition_nodes: Vec::new(),
            parallel_nodes: Vec::new(),
            join_id: None,
        };
        if explicit_end {
            append_end(&mut root, DingTalkNode {
                node_id: "fin".into(), kind: DingTalkType::End, name: String::new(), props: None, child_node: None,
                condition_nodes: Vec::new(), parallel_nodes: Vec::new(), join_id: None,
            });
        }
        let graph = to_graph(&root).unwrap();
        prop_assert_eq!(problems(&graph), Vec::<(String, String)>::new());
        // The start, every node of the chain (joins included) and one end.
        prop_assert_eq!(graph.nodes.len(), 1 + count(&chain) + 1);
        let compiled = CompiledProcess::compile(process(graph.clone()), &purchase_form()).unwrap();
        prop_assert_eq!(compiled.in_order().len(), graph.nodes.len());
        prop_assert_eq!(compatible_nodes(&graph, &graph).len(), graph.nodes.len());
        // The same tree as a JSON document reads to the same graph.
        let doc = DingTalkProcess {
            key: "k".into(), name: "n".into(), category: String::new(), form_key: "purchase".into(),
            form_version: None, process: root,
        };
        let input = parse_process_json(&serde_json::to_string(&doc).unwrap()).unwrap();
        prop_assert_eq!(input.definition, graph);
    }

    #[test]
    fn graph_checks_never_panic(nodes in vec(random_node(), 0..10)) {
        let g = ProcessGraph { nodes };
        let found = problems(&g);
        if found.is_empty() {
            // A graph that passes compiles, and every node is on the way from the start to an end.
            let p = CompiledProcess::compile(process(g.clone()), &purchase_form()).unwrap();
            prop_assert_eq!(p.in_order().first().map(|n| n.id.as_str()), Some(p.start().id.as_str()));
        } else {
            prop_assert!(found.iter().all(|(path, _)| path.starts_with("nodes")));
        }
        let _ = compatible_nodes(&g, &g);
    }

    #[test]
    fn the_bpmn_parser_never_panics_on_arbitrary_text(text in ".{0,400}") {
        let _ = parse_bpmn(&text);
    }

    #[test]
    fn the_bpmn_parser_never_panics_on_damaged_documents(
        cuts in vec((any::<prop::sample::Index>(), 0usize..8, "[<>/=\"a-z${} ]{0,3}"), 1..4)
    ) {
        let mut doc = sample_bpmn();
        for (at, len, insert) in cuts {
            let mut start = at.index(doc.len().max(1));
            while start > 0 && !doc.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + len).min(doc.len());
            while end < doc.len() && !doc.is_char_boundary(end) {
                end += 1;
            }
            doc.replace_range(start..end, &insert);
        }
        if let Ok(p) = parse_bpmn(&doc) {
            let _ = problems(&p.graph);
        }
    }

    #[test]
    fn the_tree_parser_never_panics(text in ".{0,200}", nested in 0usize..300) {
        let _ = parse_process_json(&text);
        let deep = format!(
            r#"{{"key":"k","name":"n","formKey":"f","process":{}{}"#,
            r#"{"nodeId":"x","type":"route","conditionNodes":[{"childNode":"#.repeat(nested),
            "}]}".repeat(nested)
        );
        let _ = parse_process_json(&deep);
    }
}

#[test]
fn the_sample_bpmn_document_is_valid() {
    let p = parse_bpmn(&sample_bpmn()).unwrap();
    assert_eq!(problems(&p.graph), vec![]);
}
