//! Importing a process from BPMN 2.0 XML (as Flowable, Camunda and Activiti modellers write it)
//! into a [`ProcessGraph`].
//!
//! # What is read
//!
//! | BPMN | becomes |
//! | --- | --- |
//! | `process` (exactly one) | `id` → the process key, `name` → its name |
//! | `startEvent` (plain) | the start node |
//! | `endEvent` (plain, or with a `terminateEventDefinition`) | an end node |
//! | `userTask` | an approval node; see below for its approvers and method |
//! | `exclusiveGateway` with two or more outgoing flows | an exclusive gateway; its `default` attribute names the default flow |
//! | `exclusiveGateway` with one outgoing flow (a merge) | nothing: flows into it go where it leads |
//! | `parallelGateway` with two or more outgoing flows | a parallel split |
//! | `parallelGateway` with two or more incoming flows and one outgoing | a join |
//! | `sequenceFlow` | a flow; a `conditionExpression` on a flow leaving an exclusive gateway is its branch's condition |
//!
//! Approvers of a `userTask`, from the `assignee`, `candidateUsers` and `candidateGroups`
//! attributes in the Flowable, Camunda or Activiti namespace (one of the three):
//!
//! - `assignee="${initiator}"` (or `${startUserId}`, or the variable the start event names in
//!   its `initiator` attribute): the initiator;
//! - `assignee="${manager}"` or `${form.manager}`: the person in the form's field `manager`;
//! - `assignee="zhang"`: that person (a sign-in name or a person id);
//! - `candidateUsers="zhang, li"`: those people;
//! - `candidateGroups="finance"`: the holders of the role `finance` (one role).
//!
//! The method: one named person approves alone (`single`); several candidates or a role,
//! any one of them (`any`, 或签, as candidates claim a task in Flowable). A
//! `multiInstanceLoopCharacteristics` makes it `all` (会签) when `isSequential` is false or
//! absent and `in_turn` (依次) when it is true; its `completionCondition` is read when it is
//! `nrOfCompletedInstances >= 1` (any), `nrOfCompletedInstances == nrOfInstances` (all) or
//! `nrOfCompletedInstances / nrOfInstances >= 0.6` (`ratio` with 60 percent; 票签). oa counts
//! approvals where Flowable counts completed instances. Every other setting takes its default
//! and can be changed by publishing the graph again.
//!
//! Conditions are written `${amount > 10000}` (or `#{…}`, or bare): the `${` `}` are taken off
//! and the rest is read with the workflow's expression language, so JUEL's `and`, `or`, `eq`
//! and single quotes are refused, naming the flow. A condition on a default flow is ignored, as
//! Flowable does.
//!
//! Anything else in the process (service, script, send and receive tasks, sub-processes, call
//! activities, inclusive and event-based gateways, intermediate and boundary events, task and
//! execution listeners) is refused with an error naming the element (`serviceTask `notify` is
//! not supported`); documentation, lanes, text annotations, data objects and the diagram are
//! ignored. Every problem found is reported, each with a path naming the element
//! (`elements[notify]`) or the flow (`flows[f3].targetRef`).

use std::collections::HashMap;

use roxmltree::{Document, Node as XmlNode, ParsingOptions};

use super::model::{ApprovalNode, ApprovalSettings, ApproveMethod, Approvers, Branch, Node, NodeKind, ProcessGraph};
use crate::error::Problems;
use crate::workflow::expr;
use crate::{OaError, OaResult};

/// The largest document read, in bytes.
pub const MAX_BPMN_BYTES: usize = 4 * 1024 * 1024;

/// The most XML nodes (elements, attributes' text, comments) a document may have.
const MAX_XML_NODES: u32 = 200_000;

const BPMN_MODEL: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";
const VENDOR_NAMESPACES: &[&str] =
    &["http://flowable.org/bpmn", "http://camunda.org/schema/1.0/bpmn", "http://activiti.org/bpmn"];

/// Elements of a process that carry no behaviour and are skipped.
const IGNORED: &[&str] = &[
    "documentation",
    "extensionElements",
    "laneSet",
    "textAnnotation",
    "association",
    "dataObject",
    "dataObjectReference",
    "dataStoreReference",
    "property",
    "ioSpecification",
    "group",
    "category",
];

/// A process read from BPMN: its key and name (from the `process` element) and its graph.
#[derive(Debug, Clone, PartialEq)]
pub struct BpmnProcess {
    /// The `id` of the `process` element.
    pub key: String,
    /// The `name` of the `process` element, or its id.
    pub name: String,
    /// The graph.
    pub graph: ProcessGraph,
}

/// Reads a BPMN 2.0 document holding one process (see the module's documentation). Problems
/// are a validation error listing every one; the graph itself is checked when it is published.
/// Never panics, whatever the input.
pub fn parse_bpmn(xml: &str) -> OaResult<BpmnProcess> {
    if xml.len() > MAX_BPMN_BYTES {
        return Err(OaError::invalid(
            "xml",
            format!("the document is larger than {} MiB", MAX_BPMN_BYTES / (1024 * 1024)),
        ));
    }
    let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_XML_NODES, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(xml, options)
        .map_err(|e| OaError::invalid("xml", format!("not well-formed XML: {e}")))?;
    let root = doc.root_element();
    if !is_bpmn(&root) || root.tag_name().name() != "definitions" {
        return Err(OaError::invalid(
            "xml",
            format!("not a BPMN 2.0 document: the root element is `{}`", root.tag_name().name()),
        ));
    }
    let processes: Vec<XmlNode<'_, '_>> =
        root.children().filter(|c| c.is_element() && is_bpmn(c) && c.tag_name().name() == "process").collect();
    let process = match processes.as_slice() {
        [one] => *one,
        [] => return Err(OaError::invalid("process", "the document holds no process")),
        many => {
            let ids: Vec<String> = many.iter().map(|p| format!("`{}`", p.attribute("id").unwrap_or(""))).collect();
            return Err(OaError::invalid(
                "process",
                format!("the document holds {} processes ({}): import one at a time", many.len(), ids.join(", ")),
            ));
        }
    };
    let mut issues = Problems::new();
    let key = process.attribute("id").unwrap_or("").trim().to_string();
    if key.is_empty() {
        issues.add("process.id", "the process has no id");
    }
    let name = process.attribute("name").map(str::trim).filter(|n| !n.is_empty()).unwrap_or(&key).to_string();
    let graph = Reader::new(&mut issues).read(process);
    issues.finish()?;
    Ok(BpmnProcess { key, name, graph })
}

/// Whether `node` is in the BPMN model namespace (or in none, as some tools write it).
fn is_bpmn(node: &XmlNode<'_, '_>) -> bool {
    matches!(node.tag_name().namespace(), None | Some(BPMN_MODEL))
}

/// An attribute in one of the vendors' namespaces.
fn vendor_attr<'a>(node: &XmlNode<'a, '_>, name: &str) -> Option<&'a str> {
    VENDOR_NAMESPACES.iter().find_map(|ns| node.attribute((*ns, name)))
}

/// The text of `node` and its descendants, trimmed.
fn text_of(node: &XmlNode<'_, '_>) -> String {
    node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect::<String>().trim().to_string()
}

/// An element of the process, as far as the graph cares.
#[derive(Debug, Clone)]
enum Elem {
    Start,
    End,
    Task(ApprovalSettings),
    Exclusive {
        default: Option<String>,
    },
    Parallel,
    /// An element already refused: kept so that flows to and from it are not reported again.
    Refused,
}

#[derive(Debug, Clone)]
struct Element {
    id: String,
    name: String,
    elem: Elem,
    /// The BPMN tag, in messages.
    tag: &'static str,
}

#[derive(Debug, Clone)]
struct Flow {
    id: String,
    name: String,
    source: String,
    target: String,
    condition: Option<String>,
}

struct Reader<'i> {
    issues: &'i mut Problems,
    /// The variable the start event names as the initiator (`flowable:initiator`).
    initiator_var: Option<String>,
}

/// What an element with its flows turns into.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// A node of the graph.
    Node,
    /// A gateway that only passes flows on: removed.
    PassThrough,
}

impl<'i> Reader<'i> {
    fn new(issues: &'i mut Problems) -> Self {
        Reader { issues, initiator_var: None }
    }

    fn read(mut self, process: XmlNode<'_, '_>) -> ProcessGraph {
        let mut elements: Vec<Element> = Vec::new();
        let mut flows: Vec<Flow> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut flow_ids: HashMap<String, usize> = HashMap::new();
        // The start event's initiator variable is needed by every task, wherever it is.
        for child in process.children().filter(|c| c.is_element() && is_bpmn(c)) {
            if child.tag_name().name() == "startEvent" {
                if let Some(v) = vendor_attr(&child, "initiator") {
                    self.initiator_var = Some(v.trim().to_string());
                }
            }
        }
        for child in process.children().filter(XmlNode::is_element) {
            if !is_bpmn(&child) {
                continue;
            }
            let tag = child.tag_name().name();
            let id = child.attribute("id").unwrap_or("").trim().to_string();
            let name = child.attribute("name").unwrap_or("").trim().to_string();
            if IGNORED.contains(&tag) {
                continue;
            }
            if id.is_empty() {
                self.issues.add("elements", format!("a `{tag}` has no id"));
                continue;
            }
            if tag == "sequenceFlow" {
                if let Some(flow) = self.flow(&child, id.clone(), name) {
                    if flow_ids.insert(id.clone(), flows.len()).is_some() || index.contains_key(&id) {
                        self.issues.add(format!("flows[{id}]"), format!("the id `{id}` is used twice"));
                        continue;
                    }
                    flows.push(flow);
                }
                continue;
            }
            let read = match tag {
                "startEvent" => self.event(&child, &id, "startEvent", Elem::Start, &[]),
                "endEvent" => self.event(&child, &id, "endEvent", Elem::End, &["terminateEventDefinition"]),
                "userTask" => self.user_task(&child, &id).map(|s| (Elem::Task(s), "userTask")),
                "exclusiveGateway" => Some((
                    Elem::Exclusive { default: child.attribute("default").map(|d| d.trim().to_string()) },
                    "exclusiveGateway",
                )),
                "parallelGateway" => Some((Elem::Parallel, "parallelGateway")),
                other => {
                    self.issues.add(
                        format!("elements[{id}]"),
                        format!(
                            "{other} `{id}` is not supported: oa imports start and end events, user tasks, exclusive and parallel gateways and sequence flows"
                        ),
                    );
                    None
                }
            };
            let (elem, tag) = read.unwrap_or((Elem::Refused, "element"));
            if index.contains_key(&id) || flow_ids.contains_key(&id) {
                self.issues.add(format!("elements[{id}]"), format!("the id `{id}` is used twice"));
                continue;
            }
            index.insert(id.clone(), elements.len());
            elements.push(Element { id, name, elem, tag });
        }

        // Flows: both ends must be elements of the process.
        let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); elements.len()];
        let mut incoming: Vec<usize> = vec![0; elements.len()];
        for (f, flow) in flows.iter().enumerate() {
            let source = index.get(&flow.source).copied();
            let target = index.get(&flow.target).copied();
            if source.is_none() {
                self.issues.add(
                    format!("flows[{}].sourceRef", flow.id),
                    format!(
                        "sequenceFlow `{}` comes from `{}`, which is not an element of the process",
                        flow.id, flow.source
                    ),
                );
            }
            if target.is_none() {
                self.issues.add(
                    format!("flows[{}].targetRef", flow.id),
                    format!(
                        "sequenceFlow `{}` goes to `{}`, which is not an element of the process",
                        flow.id, flow.target
                    ),
                );
            }
            if let (Some(s), Some(t)) = (source, target) {
                outgoing[s].push(f);
                incoming[t] += 1;
            }
        }

        // What each element becomes, given its flows.
        let mut roles = vec![Role::Node; elements.len()];
        for (e, el) in elements.iter().enumerate() {
            let outs = outgoing[e].len();
            let ins = incoming[e];
            let at = format!("elements[{}]", el.id);
            match &el.elem {
                Elem::Refused => {}
                Elem::End => {
                    if outs > 0 {
                        self.issues.add(at, format!("endEvent `{}` has outgoing flows", el.id));
                    }
                }
                Elem::Start | Elem::Task(_) => match outs {
                    0 => self.issues.add(at, format!("{} `{}` has no outgoing flow", el.tag, el.id)),
                    1 => {}
                    n => self.issues.add(
                        at,
                        format!(
                            "{} `{}` has {n} outgoing flows: branch with an exclusive or a parallel gateway",
                            el.tag, el.id
                        ),
                    ),
                },
                Elem::Exclusive { default } => {
                    if outs == 0 {
                        self.issues.add(at.clone(), format!("exclusiveGateway `{}` has no outgoing flow", el.id));
                    } else if outs == 1 {
                        roles[e] = Role::PassThrough;
                    }
                    if let Some(d) = default {
                        if !outgoing[e].iter().any(|&f| flows[f].id == *d) {
                            self.issues.add(
                                at,
                                format!(
                                    "the default flow `{d}` of exclusiveGateway `{}` is not one of its outgoing flows",
                                    el.id
                                ),
                            );
                        }
                    }
                }
                Elem::Parallel => match (ins, outs) {
                    (_, 0) => self.issues.add(at, format!("parallelGateway `{}` has no outgoing flow", el.id)),
                    (0 | 1, 1) => roles[e] = Role::PassThrough,
                    (0 | 1, _) | (_, 1) => {}
                    _ => self.issues.add(
                        at,
                        format!(
                            "parallelGateway `{}` both joins and splits: use one gateway to join and another to split",
                            el.id
                        ),
                    ),
                },
            }
        }
        // Conditions only on the flows of exclusive gateways that branch.
        for (e, el) in elements.iter().enumerate() {
            let branching = matches!(el.elem, Elem::Exclusive { .. }) && roles[e] == Role::Node;
            for &f in &outgoing[e] {
                if flows[f].condition.is_some() && !branching {
                    let flow = &flows[f];
                    self.issues.add(
                        format!("flows[{}].conditionExpression", flow.id),
                        format!(
                            "sequenceFlow `{}` has a condition but does not leave an exclusive gateway that branches",
                            flow.id
                        ),
                    );
                }
            }
        }

        // Where a flow finally leads, past gateways that only pass flows on.
        let resolve = |mut target: usize| -> Option<usize> {
            for _ in 0..=elements.len() {
                if roles[target] == Role::Node {
                    return Some(target);
                }
                let &f = outgoing[target].first()?;
                target = *index.get(&flows[f].target)?;
            }
            None
        };
        let mut nodes = Vec::with_capacity(elements.len());
        for (e, el) in elements.iter().enumerate() {
            if roles[e] == Role::PassThrough {
                continue;
            }
            let mut targets = Vec::new();
            for &f in &outgoing[e] {
                let flow = &flows[f];
                let to = index.get(&flow.target).and_then(|&t| resolve(t)).map(|t| elements[t].id.clone());
                match to {
                    Some(to) => targets.push((f, to)),
                    None => self.issues.add(
                        format!("flows[{}].targetRef", flow.id),
                        format!("sequenceFlow `{}` leads into a loop of gateways", flow.id),
                    ),
                }
            }
            let first = || targets.first().map(|(_, t)| t.clone()).unwrap_or_default();
            let kind = match &el.elem {
                Elem::Start => NodeKind::Start { next: first() },
                Elem::End | Elem::Refused => NodeKind::End,
                Elem::Task(settings) => {
                    NodeKind::Approval(Box::new(ApprovalNode { next: first(), settings: settings.clone() }))
                }
                Elem::Parallel if outgoing[e].len() == 1 => NodeKind::Join { next: first() },
                Elem::Parallel => NodeKind::Parallel { branches: targets.iter().map(|(_, t)| t.clone()).collect() },
                Elem::Exclusive { default } => NodeKind::Exclusive {
                    branches: targets
                        .iter()
                        .map(|(f, to)| {
                            let flow = &flows[*f];
                            let is_default = default.as_deref() == Some(flow.id.as_str());
                            Branch {
                                id: Some(flow.id.clone()),
                                name: flow.name.clone(),
                                to: to.clone(),
                                condition: if is_default { None } else { flow.condition.clone() },
                                default: is_default,
                            }
                        })
                        .collect(),
                },
            };
            nodes.push(Node { id: el.id.clone(), name: el.name.clone(), kind });
        }
        ProcessGraph { nodes }
    }

    /// A sequence flow, its condition read with the expression language.
    fn flow(&mut self, node: &XmlNode<'_, '_>, id: String, name: String) -> Option<Flow> {
        let source = node.attribute("sourceRef").unwrap_or("").trim().to_string();
        let target = node.attribute("targetRef").unwrap_or("").trim().to_string();
        if source.is_empty() {
            self.issues.add(format!("flows[{id}].sourceRef"), format!("sequenceFlow `{id}` has no sourceRef"));
        }
        if target.is_empty() {
            self.issues.add(format!("flows[{id}].targetRef"), format!("sequenceFlow `{id}` has no targetRef"));
        }
        let mut condition = None;
        for c in node.children().filter(|c| c.is_element() && is_bpmn(c)) {
            match c.tag_name().name() {
                "conditionExpression" => {
                    let raw = text_of(&c);
                    let src = strip_braces(&raw);
                    if src.is_empty() {
                        continue;
                    }
                    match expr::parse(src) {
                        Ok(_) => condition = Some(src.to_string()),
                        Err(e) => {
                            self.issues.add(
                                format!("flows[{id}].conditionExpression"),
                                format!("cannot read the condition `{raw}` of sequenceFlow `{id}`: {e}"),
                            );
                        }
                    }
                }
                "documentation" | "extensionElements" => {}
                other => {
                    self.issues.add(format!("flows[{id}]"), format!("{other} in sequenceFlow `{id}` is not supported"))
                }
            }
        }
        if source.is_empty() || target.is_empty() {
            return None;
        }
        Some(Flow { id, name, source, target, condition })
    }

    /// A start or end event, refusing event definitions other than `allowed`.
    fn event(
        &mut self,
        node: &XmlNode<'_, '_>,
        id: &str,
        tag: &'static str,
        elem: Elem,
        allowed: &[&str],
    ) -> Option<(Elem, &'static str)> {
        let mut ok = true;
        for c in node.children().filter(|c| c.is_element() && is_bpmn(c)) {
            let name = c.tag_name().name();
            if name.ends_with("EventDefinition") && !allowed.contains(&name) {
                self.issues.add(format!("elements[{id}]"), format!("{tag} `{id}` with a {name} is not supported"));
                ok = false;
            }
        }
        ok.then_some((elem, tag))
    }

    /// The approval settings of a user task.
    fn user_task(&mut self, node: &XmlNode<'_, '_>, id: &str) -> Option<ApprovalSettings> {
        let at = format!("elements[{id}]");
        let before = self.issues.len();
        for c in node.children().filter(XmlNode::is_element) {
            if c.tag_name().name() == "extensionElements" {
                for l in c.children().filter(XmlNode::is_element) {
                    let lname = l.tag_name().name();
                    if lname == "taskListener" || lname == "executionListener" {
                        self.issues.add(at.clone(), format!("the {lname} of userTask `{id}` is not supported"));
                    }
                }
            }
        }
        let approvers = self.approvers(node, id)?;
        let mut settings = ApprovalSettings::new(approvers);
        settings.method = if settings.approvers.is_single() && !matches!(settings.approvers, Approvers::Role { .. }) {
            ApproveMethod::Single
        } else {
            ApproveMethod::Any
        };
        let mi = node
            .children()
            .find(|c| c.is_element() && is_bpmn(c) && c.tag_name().name() == "multiInstanceLoopCharacteristics");
        if let Some(mi) = mi {
            let sequential = mi.attribute("isSequential").map(str::trim) == Some("true");
            if vendor_attr(&mi, "collection").is_some()
                || mi.children().any(|c| c.is_element() && c.tag_name().name() == "loopCardinality")
            {
                self.issues.add(
                    at.clone(),
                    format!(
                        "the collection or loop cardinality of userTask `{id}` is not supported: name its approvers with candidateUsers or candidateGroups"
                    ),
                );
            }
            let completion = mi
                .children()
                .find(|c| c.is_element() && c.tag_name().name() == "completionCondition")
                .map(|c| text_of(&c))
                .filter(|c| !c.is_empty());
            settings.method = if sequential { ApproveMethod::InTurn } else { ApproveMethod::All };
            if let Some(cond) = completion {
                match (recognise_completion(&cond), sequential) {
                    (Some(Completion::All), _) => {}
                    (Some(Completion::Any), false) => settings.method = ApproveMethod::Any,
                    (Some(Completion::Ratio(p)), false) => {
                        settings.method = ApproveMethod::Ratio;
                        settings.pass_percent = Some(p);
                    }
                    (Some(_), true) => self.issues.add(
                        at.clone(),
                        format!("the completionCondition `{cond}` of userTask `{id}` ends a sequential approval early, which is not supported"),
                    ),
                    (None, _) => self.issues.add(
                        at.clone(),
                        format!(
                            "the completionCondition `{cond}` of userTask `{id}` is not recognised: oa reads `nrOfCompletedInstances >= 1` (any), `nrOfCompletedInstances == nrOfInstances` (all) and `nrOfCompletedInstances / nrOfInstances >= 0.6` (a share)"
                        ),
                    ),
                }
            }
        }
        (self.issues.len() == before).then_some(settings)
    }

    /// The approvers of a user task, from its assignment attributes.
    fn approvers(&mut self, node: &XmlNode<'_, '_>, id: &str) -> Option<Approvers> {
        let at = format!("elements[{id}]");
        let get = |name: &str| vendor_attr(node, name).map(str::trim).filter(|v| !v.is_empty());
        let given: Vec<(&str, &str)> = ["assignee", "candidateUsers", "candidateGroups"]
            .into_iter()
            .filter_map(|a| get(a).map(|v| (a, v)))
            .collect();
        let (attr, value) = match given.as_slice() {
            [] => {
                self.issues.add(at, format!("userTask `{id}` names no assignee, candidateUsers or candidateGroups"));
                return None;
            }
            [one] => *one,
            _ => {
                let names: Vec<&str> = given.iter().map(|(a, _)| *a).collect();
                self.issues.add(
                    at,
                    format!(
                        "userTask `{id}` gives {}: give exactly one of assignee, candidateUsers or candidateGroups",
                        names.join(" and ")
                    ),
                );
                return None;
            }
        };
        match attr {
            "assignee" => match variable(value) {
                Some(Ok(var)) if self.is_initiator(var) => Some(Approvers::Initiator),
                Some(Ok(var)) => {
                    Some(Approvers::FormField { field: var.strip_prefix("form.").unwrap_or(var).to_string() })
                }
                Some(Err(())) => {
                    self.issues.add(
                        at,
                        format!("the assignee `{value}` of userTask `{id}` is not supported: give a person, `${{initiator}}` or `${{field}}`"),
                    );
                    None
                }
                None => Some(Approvers::People { people: vec![value.to_string()] }),
            },
            "candidateUsers" => {
                let people: Vec<String> =
                    value.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect();
                if people.iter().any(|p| p.contains("${") || p.contains("#{")) {
                    self.issues.add(
                        at,
                        format!("the candidateUsers `{value}` of userTask `{id}` hold an expression: name the people"),
                    );
                    return None;
                }
                Some(Approvers::People { people })
            }
            _ => {
                let groups: Vec<&str> = value.split(',').map(str::trim).filter(|g| !g.is_empty()).collect();
                match groups.as_slice() {
                    [role] if !role.contains("${") && !role.contains("#{") => {
                        Some(Approvers::Role { role: role.to_string(), within_initiator_dept: false })
                    }
                    [_] => {
                        self.issues.add(
                            at,
                            format!(
                                "the candidateGroups `{value}` of userTask `{id}` hold an expression: name the role"
                            ),
                        );
                        None
                    }
                    _ => {
                        self.issues.add(
                            at,
                            format!(
                                "userTask `{id}` names {} candidate groups: one role per task is supported",
                                groups.len()
                            ),
                        );
                        None
                    }
                }
            }
        }
    }

    fn is_initiator(&self, var: &str) -> bool {
        matches!(var, "initiator" | "INITIATOR" | "startUserId" | "initiatorId")
            || self.initiator_var.as_deref() == Some(var)
    }
}

/// `${x}` or `#{x}` → `x` (trimmed); anything else unchanged (trimmed).
fn strip_braces(raw: &str) -> &str {
    let t = raw.trim();
    for open in ["${", "#{"] {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix('}')) {
            return inner.trim();
        }
    }
    t
}

/// The variable an assignment expression names: `None` for a plain value, `Some(Ok(name))`
/// for `${name}` or `${form.name}`, `Some(Err(()))` for any other expression.
fn variable(value: &str) -> Option<Result<&str, ()>> {
    let t = value.trim();
    if !(t.starts_with("${") || t.starts_with("#{")) {
        return None;
    }
    let inner = strip_braces(t);
    let plain = |s: &str| {
        let mut chars = s.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
    };
    let ok = match inner.strip_prefix("form.") {
        Some(field) => plain(field),
        None => plain(inner),
    };
    Some(if ok && t.ends_with('}') { Ok(inner) } else { Err(()) })
}

/// A recognised completion condition of a multi-instance task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Completion {
    Any,
    All,
    Ratio(u8),
}

/// Reads the completion conditions oa understands.
fn recognise_completion(raw: &str) -> Option<Completion> {
    let s: String = strip_braces(raw).chars().filter(|c| !c.is_whitespace()).collect();
    const DONE: &str = "nrOfCompletedInstances";
    const ALL: &str = "nrOfInstances";
    let rest = s.strip_prefix(DONE)?;
    if let Some(ratio) = rest.strip_prefix('/') {
        let r = ratio.strip_prefix(ALL)?;
        let number = r.strip_prefix(">=").or_else(|| r.strip_prefix('>'))?;
        let share: rust_decimal::Decimal = number.parse().ok()?;
        let percent = (share * rust_decimal::Decimal::ONE_HUNDRED).ceil();
        let p: u8 = percent.to_string().parse().ok()?;
        return match p {
            100 => Some(Completion::All),
            1..=99 => Some(Completion::Ratio(p)),
            _ => None,
        };
    }
    match rest {
        ">=1" | ">0" | "==1" => Some(Completion::Any),
        "==nrOfInstances" | ">=nrOfInstances" => Some(Completion::All),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_conditions() {
        assert_eq!(recognise_completion("${nrOfCompletedInstances >= 1}"), Some(Completion::Any));
        assert_eq!(recognise_completion("${nrOfCompletedInstances == nrOfInstances}"), Some(Completion::All));
        assert_eq!(recognise_completion("${nrOfCompletedInstances/nrOfInstances >= 0.6}"), Some(Completion::Ratio(60)));
        assert_eq!(
            recognise_completion("${nrOfCompletedInstances/nrOfInstances > 0.665}"),
            Some(Completion::Ratio(67))
        );
        assert_eq!(recognise_completion("${nrOfCompletedInstances/nrOfInstances >= 1}"), Some(Completion::All));
        assert_eq!(recognise_completion("${nrOfCompletedInstances/nrOfInstances >= 0}"), None);
        assert_eq!(recognise_completion("${nrOfCompletedInstances/nrOfInstances >= 2}"), None);
        assert_eq!(recognise_completion("${approved == true}"), None);
    }

    #[test]
    fn assignment_variables() {
        assert_eq!(variable("zhang"), None);
        assert_eq!(variable("${manager}"), Some(Ok("manager")));
        assert_eq!(variable("${form.manager}"), Some(Ok("form.manager")));
        assert_eq!(variable("${users.get(0)}"), Some(Err(())));
        assert_eq!(strip_braces("  ${ amount > 1 } "), "amount > 1");
        assert_eq!(strip_braces("amount > 1"), "amount > 1");
    }
}
