//! Table-driven validation of graphs: each case is a graph and the problems it must report, each
//! naming its node.

use serde_json::{json, Value};

use super::*;

/// A case: its name, the graph's nodes, and the expected problems as (path, part of the reason).
type Case = (&'static str, Value, Vec<(&'static str, &'static str)>);

fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for (name, nodes, expected) in cases {
        let got = problems(&graph(nodes));
        let matches = got.len() == expected.len()
            && got.iter().zip(&expected).all(|((p, r), (ep, er))| p == ep && r.contains(er));
        if !matches {
            failures.push(format!("{name}:\n  expected {expected:?}\n  got      {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn approval(id: &str, next: &str) -> Value {
    json!({"id": id, "type": "approval", "next": next, "approvers": {"strategy": "dept_head"}})
}

fn start(next: &str) -> Value {
    json!({"id": "start", "type": "start", "next": next})
}

fn end() -> Value {
    json!({"id": "end", "type": "end"})
}

fn exclusive(id: &str, branches: Value) -> Value {
    json!({"id": id, "type": "exclusive", "branches": branches})
}

fn parallel(id: &str, branches: &[&str]) -> Value {
    json!({"id": id, "type": "parallel", "branches": branches})
}

fn join(id: &str, next: &str) -> Value {
    json!({"id": id, "type": "join", "next": next})
}

/// An approval node with `settings` over the defaults.
fn approval_with(id: &str, settings: Value) -> Value {
    let mut node = approval(id, "end");
    if let (Some(n), Some(s)) = (node.as_object_mut(), settings.as_object()) {
        n.extend(s.clone());
    }
    node
}

#[test]
fn structure() {
    run(vec![
        ("the simplest process", simple(), vec![]),
        ("no nodes", json!([]), vec![("nodes", "a process needs a start node")]),
        ("no start", json!([approval("a", "end"), end()]), vec![("nodes", "a process needs a start node")]),
        (
            "two starts",
            json!([start("a"), {"id": "start2", "type": "start", "next": "a"}, approval("a", "end"), end()]),
            vec![("nodes[start2]", "a process has one start node, and `start` is it")],
        ),
        (
            "no end",
            json!([start("a"), approval("a", "start")]),
            vec![("nodes", "a process needs an end node"), ("nodes[a].next", "leads back to the start node `start`")],
        ),
        (
            "a flow to an unknown node",
            json!([start("a"), approval("a", "ghost"), end()]),
            vec![("nodes[a].next", "leads to `ghost`, which is not a node of the process")],
        ),
        ("a flow to no node", json!([start(""), end()]), vec![("nodes[start].next", "names no node")]),
        (
            "a malformed id",
            json!([start("a b"), approval("a b", "end"), end()]),
            vec![
                ("nodes[1].id", "`a b` is not a node id"),
                ("nodes[start].next", "leads to `a b`, which is not a node of the process"),
            ],
        ),
        (
            "a duplicate id",
            json!([start("a"), approval("a", "end"), approval("a", "end"), end()]),
            vec![("nodes[2].id", "`a` is already the id of nodes[1]")],
        ),
        (
            "an unreachable node",
            json!([start("a"), approval("a", "end"), approval("orphan", "end"), end()]),
            vec![("nodes[orphan]", "cannot be reached from the start node")],
        ),
        (
            "a loop back through a gateway",
            json!([
                start("a"),
                approval("a", "gw"),
                exclusive("gw", json!([{"to": "a", "condition": "amount > 100"}, {"to": "end", "default": true}])),
                end()
            ]),
            vec![("nodes[gw].branches[0].to", "leads back to `a`, which makes a loop: loops are not allowed")],
        ),
        (
            "a loop that never ends",
            json!([start("a"), approval("a", "b"), approval("b", "a"), end()]),
            vec![
                ("nodes[b].next", "leads back to `a`, which makes a loop"),
                ("nodes[end]", "cannot be reached from the start node"),
                ("nodes[start]", "never reaches an end node"),
                ("nodes[a]", "never reaches an end node"),
                ("nodes[b]", "never reaches an end node"),
            ],
        ),
        (
            "a flow back to the start",
            json!([start("a"), approval("a", "start"), end()]),
            vec![("nodes[a].next", "leads back to the start node `start`")],
        ),
        (
            "a long name",
            json!([start("end"), {"id": "end", "type": "end", "name": "长".repeat(101)}]),
            vec![("nodes[end].name", "must be at most 100 characters, got 101")],
        ),
    ]);
}

#[test]
fn exclusive_gateways() {
    let gw = |branches: Value| json!([start("gw"), exclusive("gw", branches), approval("a", "end"), end()]);
    run(vec![
        (
            "a condition and a default",
            gw(json!([{"to": "a", "condition": "amount > 10000"}, {"to": "end", "default": true}])),
            vec![],
        ),
        (
            "one branch",
            json!([start("gw"), exclusive("gw", json!([{"to": "end", "default": true}])), end()]),
            vec![("nodes[gw].branches", "an exclusive gateway needs at least 2 branches, found 1")],
        ),
        (
            "no default",
            gw(json!([{"to": "a", "condition": "amount > 10000"}, {"to": "end", "condition": "amount <= 10000"}])),
            vec![("nodes[gw].branches", "needs a default branch (默认分支), taken when no condition holds")],
        ),
        (
            "two defaults",
            gw(json!([{"to": "a", "default": true}, {"to": "end", "default": true}])),
            vec![("nodes[gw].branches[1].default", "only one branch is the default, and branches[0] is it")],
        ),
        (
            "a branch without a condition",
            gw(json!([{"to": "a"}, {"to": "end", "default": true}])),
            vec![("nodes[gw].branches[0].condition", "needs a condition: only the default branch has none")],
        ),
        (
            "a blank condition",
            gw(json!([{"to": "a", "condition": "  "}, {"to": "end", "default": true}])),
            vec![("nodes[gw].branches[0].condition", "needs a condition")],
        ),
        (
            "a default with a condition",
            gw(json!([{"to": "a", "condition": "urgent"}, {"to": "end", "default": true, "condition": "true"}])),
            vec![("nodes[gw].branches[1].condition", "the default branch takes no condition")],
        ),
        (
            "a condition that does not parse",
            gw(json!([{"to": "a", "condition": "amount >"}, {"to": "end", "default": true}])),
            vec![("nodes[gw].branches[0].condition", "(line 1, column")],
        ),
        (
            "a condition naming no field of the form",
            gw(json!([{"to": "a", "condition": "amonut > 100"}, {"to": "end", "default": true}])),
            vec![("nodes[gw].branches[0].condition", "`amonut`")],
        ),
        (
            "a condition over an attachment, which conditions cannot read",
            gw(json!([{"to": "a", "condition": "files == null"}, {"to": "end", "default": true}])),
            vec![("nodes[gw].branches[0].condition", "`files`")],
        ),
        (
            "a condition of the wrong type",
            gw(json!([{"to": "a", "condition": "amount + 1"}, {"to": "end", "default": true}])),
            vec![("nodes[gw].branches[0].condition", "yes/no")],
        ),
        (
            "conditions over the initiator, a choice, a total and a table",
            gw(json!([
                {"to": "a", "condition": "initiator.dept == \"Sales\" && kind == \"it\""},
                {"to": "a", "condition": "total > 5000 || any(items, price > 1000)"},
                {"to": "end", "default": true}
            ])),
            vec![],
        ),
        (
            "exclusive branches merging at an approval",
            json!([
                start("gw"),
                exclusive("gw", json!([{"to": "a", "condition": "urgent"}, {"to": "b", "default": true}])),
                approval("a", "c"),
                approval("b", "c"),
                approval("c", "end"),
                end()
            ]),
            vec![],
        ),
    ]);
}

#[test]
fn parallel_splits_and_joins() {
    run(vec![
        (
            "a split and its join",
            json!([start("fork"), parallel("fork", &["a", "b"]), approval("a", "join"), approval("b", "join"), join("join", "end"), end()]),
            vec![],
        ),
        (
            "an empty branch straight to the join",
            json!([start("fork"), parallel("fork", &["a", "join"]), approval("a", "join"), join("join", "end"), end()]),
            vec![],
        ),
        (
            "nested splits, the inner joined first",
            json!([
                start("outer"),
                parallel("outer", &["inner", "c"]),
                parallel("inner", &["a", "b"]),
                approval("a", "inner_join"),
                approval("b", "inner_join"),
                join("inner_join", "outer_join"),
                approval("c", "outer_join"),
                join("outer_join", "end"),
                end()
            ]),
            vec![],
        ),
        (
            "an exclusive gateway inside a branch, both ways to the join",
            json!([
                start("fork"),
                parallel("fork", &["gw", "b"]),
                exclusive("gw", json!([{"to": "a", "condition": "urgent"}, {"to": "join", "default": true}])),
                approval("a", "join"),
                approval("b", "join"),
                join("join", "end"),
                end()
            ]),
            vec![],
        ),
        (
            "one branch",
            json!([start("fork"), parallel("fork", &["a"]), approval("a", "join"), join("join", "end"), end()]),
            vec![("nodes[fork].branches", "a parallel split needs at least 2 branches, found 1")],
        ),
        (
            "the same branch twice",
            json!([start("fork"), parallel("fork", &["a", "a"]), approval("a", "join"), join("join", "end"), end()]),
            vec![("nodes[fork].branches[1]", "`a` is already branches[0]")],
        ),
        (
            "branches that never join",
            json!([start("fork"), parallel("fork", &["a", "b"]), approval("a", "end"), approval("b", "end"), end()]),
            vec![
                (
                    "nodes[end]",
                    "is reached from branches 0 and 1 of the parallel split `fork` (from `a` and `b`): parallel branches meet only at their join",
                ),
            ],
        ),
        (
            "two branches meeting at an approval",
            json!([
                start("fork"),
                parallel("fork", &["a", "b"]),
                approval("a", "c"),
                approval("b", "c"),
                approval("c", "join"),
                join("join", "end"),
                end()
            ]),
            vec![("nodes[c]", "is reached from branches 0 and 1 of the parallel split `fork` (from `a` and `b`)")],
        ),
        (
            "a branch leaving for the end while the other joins",
            json!([
                start("fork"),
                parallel("fork", &["a", "b"]),
                approval("a", "join"),
                approval("b", "end"),
                join("join", "end"),
                end()
            ]),
            vec![
                ("nodes[join]", "branch 1 of `fork` (to `b`) does not reach this join"),
            ],
        ),
        (
            "one branch ending inside the split",
            json!([
                start("gw"),
                exclusive("gw", json!([{"to": "fork", "condition": "urgent"}, {"to": "end", "default": true}])),
                parallel("fork", &["a", "b"]),
                approval("a", "join"),
                approval("b", "end"),
                join("join", "end"),
                end()
            ]),
            vec![("nodes[join]", "branch 1 of `fork` (to `b`) does not reach this join")],
        ),
        (
            "a branch reaching the end while the process also ends outside",
            json!([
                start("gw"),
                exclusive("gw", json!([{"to": "fork", "condition": "urgent"}, {"to": "end", "default": true}])),
                parallel("fork", &["a", "b"]),
                approval("a", "join"),
                approval("b", "join"),
                join("join", "c"),
                exclusive("c", json!([{"to": "end", "condition": "urgent"}, {"to": "d", "default": true}])),
                approval("d", "end"),
                end()
            ]),
            vec![],
        ),
        (
            "a split inside one branch meeting the other branch",
            json!([
                start("fork"),
                parallel("fork", &["inner", "c"]),
                parallel("inner", &["a", "b"]),
                approval("a", "c"),
                approval("b", "inner_join"),
                approval("c", "inner_join"),
                join("inner_join", "end"),
                end()
            ]),
            vec![("nodes[c]", "is reached from branches 1 and 0 of the parallel split `fork` (from `fork` and `a`)")],
        ),
        (
            "the end inside a branch",
            json!([
                start("fork"),
                parallel("fork", &["a", "join"]),
                exclusive("a", json!([{"to": "end", "condition": "urgent"}, {"to": "join", "default": true}])),
                join("join", "x"),
                approval("x", "end2"),
                {"id": "end2", "type": "end"},
                end()
            ]),
            vec![("nodes[end]", "is reached inside branch 0 of the parallel split `fork`: its branches must meet at a join first")],
        ),
        (
            "a join outside any split",
            json!([start("join"), join("join", "end"), end()]),
            vec![("nodes[join]", "a join must be reached from the branches of a parallel split, but `start` is outside")],
        ),
        (
            "crossed splits: the outer joined before the inner",
            json!([
                start("outer"),
                parallel("outer", &["inner", "c"]),
                parallel("inner", &["a", "b"]),
                approval("a", "j1"),
                approval("c", "j1"),
                approval("b", "j2"),
                join("j1", "j2"),
                join("j2", "end"),
                end()
            ]),
            vec![("nodes[j1]", "joins branches of `inner` and of `outer`: each parallel split needs its own join, the inner one first")],
        ),
        (
            "a split joined twice",
            json!([
                start("fork"),
                parallel("fork", &["gw", "b"]),
                exclusive("gw", json!([{"to": "j1", "condition": "urgent"}, {"to": "j2", "default": true}])),
                approval("b", "j1"),
                join("j1", "end"),
                join("j2", "end"),
                end()
            ]),
            vec![
                ("nodes[j2]", "branch 1 of `fork` (to `b`) does not reach this join"),
            ],
        ),
    ]);
}

#[test]
fn approval_settings() {
    let node = |settings: Value| json!([start("a"), approval_with("a", settings), end()]);
    run(vec![
        (
            "every setting given, coherently",
            node(json!({
                "approvers": {"strategy": "role", "role": "finance", "within_initiator_dept": true},
                "method": "ratio", "pass_percent": 60,
                "when_empty": {"action": "assign_role", "role": "admin"},
                "initiator_is_approver": "auto_approve",
                "approved_before": "auto_approve",
                "returns": {"to": "any_earlier", "resubmit": "back_to_returner"},
                "fields": {"default": "hidden", "fields": {"amount": "editable", "title": "read_only"}},
                "deadline": {"after": {"amount": 2, "unit": "days"}, "action": "remind",
                             "repeat": {"every": {"amount": 4, "unit": "hours"}, "times": 3}},
                "numbering": {"rule": "purchase_no", "field": "doc_no"}
            })),
            vec![],
        ),
        (
            "settings reported with the structure's problems",
            json!([
                start("a"),
                approval_with(
                    "a",
                    json!({"next": "ghost", "approvers": {"strategy": "role", "role": "finance"}, "method": "ratio"})
                )
            ]),
            vec![
                ("nodes", "a process needs an end node"),
                ("nodes[a].next", "leads to `ghost`, which is not a node of the process"),
                ("nodes[a].pass_percent", "a `ratio` approval (票签) needs the share that passes"),
            ],
        ),
        (
            "a ratio without its share",
            node(json!({"approvers": {"strategy": "role", "role": "finance"}, "method": "ratio"})),
            vec![("nodes[a].pass_percent", "a `ratio` approval (票签) needs the share that passes, 1 to 100 percent")],
        ),
        (
            "a share out of range",
            node(json!({"approvers": {"strategy": "role", "role": "finance"}, "method": "ratio", "pass_percent": 0})),
            vec![("nodes[a].pass_percent", "must be 1 to 100 percent, got 0")],
        ),
        (
            "a share without ratio",
            node(json!({"approvers": {"strategy": "role", "role": "finance"}, "method": "all", "pass_percent": 50})),
            vec![("nodes[a].pass_percent", "only a `ratio` approval takes a share, and this one is `all`")],
        ),
        (
            "a single approver from a role",
            node(json!({"approvers": {"strategy": "role", "role": "finance"}, "method": "single"})),
            vec![("nodes[a].method", "`single` needs approvers who are one person, and `role` may find several")],
        ),
        (
            "a single approver among named people",
            node(json!({"approvers": {"strategy": "people", "people": ["alice", "carol"]}, "method": "single"})),
            vec![("nodes[a].method", "`people` may find several")],
        ),
        (
            "a single approver: one person, the head, a field, the initiator, one superior",
            json!([
                start("p"),
                approval_with(
                    "p",
                    json!({"next": "h", "approvers": {"strategy": "people", "people": ["alice"]}, "method": "single"})
                ),
                approval_with(
                    "h",
                    json!({"next": "f", "approvers": {"strategy": "dept_head_above", "levels": 2}, "method": "single"})
                ),
                approval_with(
                    "f",
                    json!({"next": "i", "approvers": {"strategy": "form_field", "field": "manager"}, "method": "single"})
                ),
                approval_with("i", json!({"next": "s", "approvers": {"strategy": "initiator"}, "method": "single"})),
                approval_with("s", json!({"approvers": {"strategy": "superiors", "levels": 1}, "method": "single"})),
                end()
            ]),
            vec![],
        ),
        (
            "superiors in turn",
            node(json!({"approvers": {"strategy": "superiors", "levels": 3}, "method": "in_turn"})),
            vec![],
        ),
        (
            "levels out of range",
            node(json!({"approvers": {"strategy": "superiors", "levels": 0}})),
            vec![("nodes[a].approvers.levels", "must be 1 to 20, got 0")],
        ),
        (
            "no people",
            node(json!({"approvers": {"strategy": "people", "people": []}})),
            vec![("nodes[a].approvers.people", "name at least one person")],
        ),
        (
            "a person named twice",
            node(json!({"approvers": {"strategy": "people", "people": ["alice", "Alice", " "]}})),
            vec![
                ("nodes[a].approvers.people[1]", "`Alice` is named twice"),
                ("nodes[a].approvers.people[2]", "names no person"),
            ],
        ),
        (
            "no role",
            node(json!({"approvers": {"strategy": "role", "role": ""}})),
            vec![("nodes[a].approvers.role", "names no role")],
        ),
        (
            "a form field the form does not have",
            node(json!({"approvers": {"strategy": "form_field", "field": "boss"}})),
            vec![("nodes[a].approvers.field", "form `purchase` has no field `boss`")],
        ),
        (
            "a form field that holds no person",
            node(json!({"approvers": {"strategy": "form_field", "field": "title"}})),
            vec![("nodes[a].approvers.field", "`title` is a text field, not a person field")],
        ),
        (
            "an administrator who is nobody",
            node(
                json!({"approvers": {"strategy": "dept_head"}, "when_empty": {"action": "assign_person", "person": " "}}),
            ),
            vec![("nodes[a].when_empty.person", "names no person")],
        ),
        (
            "field permissions over unknown and computed fields",
            node(
                json!({"approvers": {"strategy": "dept_head"}, "fields": {"fields": {"ghost": "editable", "total": "editable"}}}),
            ),
            vec![
                ("nodes[a].fields.fields.ghost", "form `purchase` has no field `ghost`"),
                ("nodes[a].fields.fields.total", "`total` is a total computed by the form and cannot be editable"),
            ],
        ),
        (
            "a deadline of nothing, repeating an automatic approval",
            node(json!({"approvers": {"strategy": "dept_head"},
                        "deadline": {"after": {"amount": 0, "unit": "hours"}, "action": "auto_approve",
                                     "repeat": {"every": {"amount": 0, "unit": "hours"}, "times": 0}}})),
            vec![
                ("nodes[a].deadline.after.amount", "must be 1 to 100000, got 0"),
                ("nodes[a].deadline.repeat", "only a `remind` deadline repeats"),
                ("nodes[a].deadline.repeat.every.amount", "must be 1 to 100000, got 0"),
                ("nodes[a].deadline.repeat.times", "must be 1 to 50, got 0"),
            ],
        ),
        (
            "a number written into a money field",
            node(json!({"approvers": {"strategy": "dept_head"}, "numbering": {"rule": " ", "field": "amount"}})),
            vec![
                ("nodes[a].numbering.rule", "names no numbering rule"),
                ("nodes[a].numbering.field", "`amount` is a money field; a number is written into a text field"),
            ],
        ),
    ]);
}

#[test]
fn returns_and_copies() {
    run(vec![
        (
            "returns to earlier nodes",
            json!([
                start("a"),
                approval("a", "b"),
                approval_with("b", json!({"next": "c", "returns": {"to": {"nodes": ["start", "a"]}}})),
                approval_with("c", json!({"returns": {"to": "none"}})),
                end()
            ]),
            vec![],
        ),
        (
            "returns to later, unknown, non-approval nodes and itself",
            json!([
                start("a"),
                approval_with(
                    "a",
                    json!({"next": "gw", "returns": {"to": {"nodes": ["b", "ghost", "gw", "a", "start", "start"]}}})
                ),
                exclusive("gw", json!([{"to": "b", "condition": "urgent"}, {"to": "end", "default": true}])),
                approval("b", "end"),
                end()
            ]),
            vec![
                ("nodes[a].returns.to.nodes[0]", "`b` does not come before this node"),
                ("nodes[a].returns.to.nodes[1]", "`ghost` is not a node of the process"),
                ("nodes[a].returns.to.nodes[2]", "`gw` is a exclusive node"),
                ("nodes[a].returns.to.nodes[3]", "a node cannot return to itself"),
                ("nodes[a].returns.to.nodes[5]", "`start` is named twice"),
            ],
        ),
        (
            "returns into a parallel branch from after the join",
            json!([
                start("fork"),
                parallel("fork", &["a", "b"]),
                approval("a", "join"),
                approval("b", "join"),
                join("join", "c"),
                approval_with("c", json!({"returns": {"to": {"nodes": ["a"]}}})),
                end()
            ]),
            vec![("nodes[c].returns.to.nodes[0]", "`a` does not come before this node on a path it can return along")],
        ),
        (
            "no nodes to return to",
            json!([start("a"), approval_with("a", json!({"returns": {"to": {"nodes": []}}})), end()]),
            vec![("nodes[a].returns.to.nodes", "name at least one node, or use `none`")],
        ),
        (
            "a copy that would edit",
            json!([
                start("cc"),
                {"id": "cc", "type": "cc", "next": "end", "recipients": {"strategy": "initiator"},
                 "fields": {"default": "editable", "fields": {"title": "editable", "ghost": "hidden"}}},
                end()
            ]),
            vec![
                ("nodes[cc].fields.default", "a copy (抄送) is read, never edited"),
                ("nodes[cc].fields.fields.title", "a copy (抄送) is read, never edited"),
                ("nodes[cc].fields.fields.ghost", "form `purchase` has no field `ghost`"),
            ],
        ),
        (
            "a copy to a role",
            json!([start("cc"), {"id": "cc", "type": "cc", "next": "end", "recipients": {"strategy": "role", "role": "finance"}}, end()]),
            vec![],
        ),
    ]);
}

#[test]
fn the_graph_reads_and_writes_as_json_and_as_a_record() {
    let g = graph(json!([
        start("gw"),
        exclusive("gw", json!([{"to": "fork", "condition": "amount > 1", "name": "大额", "id": "f1"}, {"to": "end", "default": true}])),
        parallel("fork", &["a", "cc"]),
        approval_with("a", json!({"next": "join", "approvers": {"strategy": "people", "people": ["alice"]}, "method": "single",
                                  "returns": {"to": {"nodes": ["start"]}},
                                  "deadline": {"after": {"amount": 1, "unit": "days"}, "action": "escalate"}})),
        {"id": "cc", "type": "cc", "next": "join", "recipients": {"strategy": "dept_head"}},
        join("join", "end"),
        end()
    ]));
    let text = serde_json::to_value(&g).unwrap();
    assert_eq!(serde_json::from_value::<ProcessGraph>(text.clone()).unwrap(), g);
    assert_eq!(text["nodes"][3]["approvers"], json!({"strategy": "people", "people": ["alice"]}));
    assert_eq!(text["nodes"][3]["returns"], json!({"to": {"nodes": ["start"]}, "resubmit": "walk_again"}));
    assert_eq!(text["nodes"][1]["branches"][1], json!({"to": "end", "default": true}));
    let def = crate::workflow::definition::ProcessDefinition {
        key: "k".into(),
        version: 1,
        name: "n".into(),
        category: String::new(),
        form_key: "purchase".into(),
        form_version: 1,
        graph: g,
        created_at: chrono::DateTime::UNIX_EPOCH,
        created_by: PersonId(crate::id::Id::default()),
    };
    let bytes = crate::codec::encode(&def).unwrap();
    assert_eq!(crate::codec::decode::<crate::workflow::definition::ProcessDefinition>(&bytes).unwrap(), def);
}
