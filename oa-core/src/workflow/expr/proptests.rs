//! Property tests: the parser never panics, printing then parsing gives the same tree, and
//! evaluation never panics, whatever the input and the data.

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;
use serde_json::Value;

use super::tests::{alice, env, sexp};
use super::*;

const KEYWORDS: &[&str] = &["true", "false", "null", "in", "not"];

/// The tree with every span cleared, to compare trees built by hand with parsed ones.
fn strip(n: &Node) -> Node {
    let kind = match &n.kind {
        NodeKind::List(items) => NodeKind::List(items.iter().map(strip).collect()),
        NodeKind::Call { name, args } => NodeKind::Call { name: name.clone(), args: args.iter().map(strip).collect() },
        NodeKind::Unary { op, operand } => NodeKind::Unary { op: *op, operand: Box::new(strip(operand)) },
        NodeKind::Binary { op, left, right } => {
            NodeKind::Binary { op: *op, left: Box::new(strip(left)), right: Box::new(strip(right)) }
        }
        other => other.clone(),
    };
    Node { kind, span: Span::default() }
}

fn node(kind: NodeKind) -> Node {
    Node { kind, span: Span::default() }
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z_][a-z0-9_]{0,6}".prop_filter("not a keyword", |s| !KEYWORDS.contains(&s.as_str())),
        select(vec!["金额", "部门", "Größe"]).prop_map(str::to_string),
    ]
}

fn member() -> impl Strategy<Value = String> {
    prop_oneof![name(), select(KEYWORDS.to_vec()).prop_map(str::to_string)]
}

fn leaf() -> impl Strategy<Value = Node> {
    prop_oneof![
        (0i64..10_000_000, 0u32..6).prop_map(|(m, scale)| node(NodeKind::Number(Decimal::new(m, scale)))),
        prop_oneof!["\\PC{0,8}", "[\"\\\\\n\t\r\u{1}\u{7f}a ]{0,5}"].prop_map(|s| node(NodeKind::Text(s))),
        any::<bool>().prop_map(|b| node(NodeKind::Bool(b))),
        Just(node(NodeKind::Null)),
        (1900i32..2100, 1u32..=12, 1u32..=28).prop_filter_map("a date", |(y, m, d)| {
            NaiveDate::from_ymd_opt(y, m, d).map(|d| node(NodeKind::Date(d)))
        }),
        (0i64..4_000_000_000, 0u32..1000).prop_filter_map("an instant", |(s, ms)| {
            Utc.timestamp_opt(s, ms * 1_000_000).single().map(|t| node(NodeKind::DateTime(t)))
        }),
        (name(), prop::collection::vec(member(), 0..3)).prop_map(|(first, rest)| {
            let mut parts = vec![first];
            parts.extend(rest);
            node(NodeKind::Path(parts))
        }),
    ]
}

fn binary_op() -> impl Strategy<Value = BinaryOp> {
    select(vec![
        BinaryOp::Or,
        BinaryOp::And,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::In,
        BinaryOp::NotIn,
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
    ])
}

fn tree() -> impl Strategy<Value = Node> {
    leaf().prop_recursive(5, 64, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|items| node(NodeKind::List(items))),
            (
                name().prop_filter("not a literal", |n| n != "date" && n != "datetime"),
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(name, args)| node(NodeKind::Call { name, args })),
            (select(vec![UnaryOp::Not, UnaryOp::Neg]), inner.clone())
                .prop_map(|(op, x)| node(NodeKind::Unary { op, operand: Box::new(x) })),
            (binary_op(), inner.clone(), inner).prop_map(|(op, l, r)| node(NodeKind::Binary {
                op,
                left: Box::new(l),
                right: Box::new(r)
            })),
        ]
    })
}

/// Pieces of conditions, right and wrong, to glue into token soups.
const PIECES: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "&&",
    "||",
    "!",
    "+",
    "-",
    "*",
    "/",
    "in",
    "not",
    "true",
    "false",
    "null",
    "amount",
    "fee",
    "price",
    "days",
    "title",
    "urgent",
    "start",
    "end",
    "category",
    "tags",
    "applicant",
    "dept",
    "codes",
    "items",
    "qty",
    "name",
    "initiator",
    "form",
    "initiator.dept",
    "initiator.roles",
    "initiator.dept_path",
    "items.amount",
    "金额",
    "1",
    "0",
    "2.5",
    "79228162514264337593543950335",
    "\"IT\"",
    "\"urgent\"",
    "\"\"",
    "date",
    "datetime",
    "(\"2026-01-01\")",
    "any",
    "all",
    "sum",
    "len",
    "count",
    "min",
    "max",
    "contains",
    "starts_with",
    "is_empty",
    "days_between",
    "=",
    "&",
    "|",
    "\"",
    "\\",
    "“",
    "（",
    "\n",
    "1.",
    "#",
];

fn soup() -> impl Strategy<Value = String> {
    (prop::collection::vec(select(PIECES.to_vec()), 0..40), any::<bool>())
        .prop_map(|(parts, spaced)| parts.join(if spaced { " " } else { "" }))
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e30f64..1e30).prop_map(Value::from),
        select(vec![
            "0",
            "1",
            "-2.5",
            "1e3",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
            "abc",
            "",
            "2026-03-01",
            "2026-03-01T09:00:00+08:00",
            "IT",
            "urgent",
            "bob",
            "Sales",
            "true",
        ])
        .prop_map(Value::from),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                select(vec!["amount", "currency", "id", "login", "name", "code", "qty", "category"]),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

const FIELDS: &[&str] = &[
    "amount",
    "fee",
    "price",
    "days",
    "title",
    "urgent",
    "start",
    "end",
    "submitted_at",
    "category",
    "tags",
    "applicant",
    "dept",
    "codes",
    "items",
    "金额",
    "in",
];

fn data() -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::collection::btree_map(select(FIELDS.to_vec()), value(), 0..14)
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        1 => value(),
    ]
}

// Well-typed conditions over the test environment, built type by type.

fn number_expr() -> BoxedStrategy<String> {
    let leaf = select(vec![
        "days",
        "金额",
        "form.in",
        "0",
        "3",
        "1.5",
        "79228162514264337593543950335",
        "len(title)",
        "len(codes)",
        "count(items)",
        "sum(items.qty)",
        "min(items.qty)",
        "days_between(start, end)",
        "(amount / price)",
    ])
    .prop_map(str::to_string);
    leaf.prop_recursive(3, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), select(vec!["+", "-", "*", "/"]), inner.clone())
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.prop_map(|a| format!("-{a}")),
        ]
    })
    .boxed()
}

fn money_expr() -> BoxedStrategy<String> {
    let leaf = select(vec!["amount", "price", "sum(items.amount)", "max(items.amount)"]).prop_map(str::to_string);
    leaf.prop_recursive(3, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), select(vec!["+", "-"]), inner.clone()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (inner.clone(), select(vec!["+", "-", "*", "/"]), number_expr())
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (number_expr(), select(vec!["+", "-", "*"]), inner.clone())
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.prop_map(|a| format!("-{a}")),
        ]
    })
    .boxed()
}

fn text_expr() -> BoxedStrategy<String> {
    select(vec!["title", "\"IT\"", "\"Sales\"", "category", "initiator.login", "initiator.position", "initiator.name"])
        .prop_map(str::to_string)
        .boxed()
}

fn cmp() -> impl Strategy<Value = &'static str> {
    select(vec!["==", "!=", "<", "<=", ">", ">="])
}

fn bool_expr() -> BoxedStrategy<String> {
    let leaf = prop_oneof![
        select(vec![
            "urgent",
            "true",
            "false",
            "initiator.is_dept_head",
            "is_empty(title)",
            "is_empty(items)",
            "is_empty(tags)",
            "\"urgent\" in tags",
            "category in [\"IT\", \"Sales\"]",
            "category not in tags",
            "dept in initiator.dept_path",
            "\"Sales\" in initiator.dept_path",
            "applicant == initiator",
            "applicant == \"bob\"",
            "dept == \"Sales\"",
            "start < end",
            "submitted_at >= datetime(\"2026-01-01T00:00:00Z\")",
            "end == null",
            "\"laptop\" in items.name",
            "any(items, amount > 100 && category == \"IT\")",
            "all(items, qty * 2 >= amount)",
            "any(items, amount > form.amount)",
            "contains(initiator.roles, \"admin\")",
            "\"A1\" in codes",
        ])
        .prop_map(str::to_string),
        (number_expr(), cmp(), number_expr()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (money_expr(), cmp(), number_expr()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (money_expr(), cmp(), money_expr()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (text_expr(), select(vec!["==", "!="]), text_expr()).prop_map(|(a, op, b)| format!("{a} {op} {b}")),
        (select(vec!["contains", "starts_with", "ends_with"]), text_expr(), text_expr())
            .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
        (number_expr(), number_expr()).prop_map(|(a, b)| format!("{a} in [{b}, 1, null]")),
    ];
    leaf.prop_recursive(3, 24, 2, |inner| {
        prop_oneof![
            (inner.clone(), select(vec!["&&", "||"]), inner.clone()).prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            inner.clone().prop_map(|a| format!("!({a})")),
            (inner.clone(), select(vec!["==", "!="]), inner).prop_map(|(a, op, b)| format!("({a}) {op} ({b})")),
        ]
    })
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsing_arbitrary_text_never_panics(src in prop_oneof![any::<String>(), "\\PC{0,200}", "[a-z0-9 ()\\[\\]\",.!=<>&|+*/-]{0,120}"]) {
        if let Ok(expr) = parse(&src) {
            // Whatever parses prints to something that parses to the same tree.
            let printed = expr.to_string();
            let again = parse(&printed);
            prop_assert!(again.is_ok(), "{printed:?} does not parse: {again:?}");
            if let Ok(again) = again {
                prop_assert_eq!(strip(again.root()), strip(expr.root()));
            }
            let _ = check(&expr, &env());
        }
    }

    #[test]
    fn token_soups_never_panic_anywhere(src in soup(), data in data()) {
        if let Ok(expr) = parse(&src) {
            let printed = expr.to_string();
            let again = parse(&printed).map(|e| sexp(e.root()));
            prop_assert_eq!(again, Ok(sexp(expr.root())), "{:?} printed as {:?}", src, printed);
            if let Ok(checked) = check(&expr, &env()) {
                let _ = checked.eval(&data, &alice());
            }
        }
    }

    #[test]
    fn printed_trees_parse_back_to_themselves(tree in tree()) {
        let printed = tree.to_string();
        prop_assume!(printed.len() <= MAX_SOURCE_BYTES);
        let parsed = parse(&printed);
        prop_assert!(parsed.is_ok(), "{printed:?} does not parse: {parsed:?}");
        if let Ok(parsed) = parsed {
            prop_assert_eq!(strip(parsed.root()), tree, "{}", printed);
        }
    }

    #[test]
    fn well_typed_conditions_evaluate_without_panicking(src in bool_expr(), data in data()) {
        let checked = compile(&src, &env());
        prop_assert!(checked.is_ok(), "{src:?} does not check: {checked:?}");
        if let Ok(checked) = checked {
            let _ = checked.eval(&data, &alice());
        }
    }

    #[test]
    fn positions_of_errors_lie_inside_the_source(src in soup()) {
        let errors = match compile(&src, &env()) {
            Ok(_) => vec![],
            Err(e) => e,
        };
        for e in errors {
            prop_assert!(e.span().start as usize <= src.len() && e.span().end as usize <= src.len());
            prop_assert!(e.line() >= 1 && e.column() >= 1);
            prop_assert!(!e.message().is_empty());
        }
    }
}
