//! Table-driven tests of the condition language: each case is an input and the exact expected
//! output, checked through one helper per stage.

use serde_json::{json, Value};

use super::*;
use crate::id::Id;
use crate::org::{DeptId, PersonId};

/// The tree as an S-expression, with every operator's operands explicit.
pub(super) fn sexp(n: &Node) -> String {
    match &n.kind {
        NodeKind::Path(parts) => parts.join("."),
        NodeKind::List(items) => format!("[{}]", items.iter().map(sexp).collect::<Vec<_>>().join(" ")),
        NodeKind::Call { name, args } => {
            let mut s = format!("({name}");
            for a in args {
                s.push(' ');
                s.push_str(&sexp(a));
            }
            s.push(')');
            s
        }
        NodeKind::Unary { op, operand } => format!("({} {})", op.symbol(), sexp(operand)),
        NodeKind::Binary { op, left, right } => format!("({} {} {})", op.symbol(), sexp(left), sexp(right)),
        _ => n.to_string(),
    }
}

fn show_error(e: &ExprError) -> String {
    format!("{}:{}: {}", e.line(), e.column(), e.message())
}

fn show_errors(errors: &[ExprError]) -> String {
    errors.iter().map(show_error).collect::<Vec<_>>().join("\n")
}

/// The S-expression of `src`, or its parse error as `line:column: message`.
fn check_parse(src: &str, expect: &str) {
    let got = match parse(src) {
        Ok(e) => sexp(e.root()),
        Err(e) => show_error(&e),
    };
    assert_eq!(got, expect, "parsing {src:?}");
}

pub(super) fn env() -> TypeEnv {
    TypeEnv::new()
        .with("amount", ExprType::money(Some("CNY")))
        .with("fee", ExprType::money(Some("USD")))
        .with("price", ExprType::money(None))
        .with("days", ExprType::Number)
        .with("title", ExprType::Text)
        .with("urgent", ExprType::Bool)
        .with("start", ExprType::Date)
        .with("end", ExprType::Date)
        .with("submitted_at", ExprType::DateTime)
        .with("category", ExprType::choice(["Sales", "R&D", "IT"]))
        .with("tags", ExprType::multi_choice(["urgent", "confidential"]))
        .with("applicant", ExprType::Person)
        .with("dept", ExprType::Department)
        .with("codes", ExprType::list(ExprType::Text))
        .with(
            "items",
            ExprType::table([
                ("name", ExprType::Text),
                ("amount", ExprType::money(Some("CNY"))),
                ("qty", ExprType::Number),
                ("category", ExprType::choice(["Sales", "R&D", "IT"])),
            ]),
        )
        .with("金额", ExprType::Number)
        .with("in", ExprType::Number)
}

/// `ok`, or every type error as `line:column: message`, one a line.
fn check_types(src: &str, expect: &str) {
    let got = match compile(src, &env()) {
        Ok(_) => "ok".to_string(),
        Err(errors) => show_errors(&errors),
    };
    assert_eq!(got, expect, "checking {src:?}");
}

fn dept(n: u128, name: &str, code: Option<&str>) -> DeptAttrs {
    DeptAttrs { id: DeptId(Id(0x1000 + n)), name: name.into(), code: code.map(Into::into) }
}

pub(super) fn alice() -> InitiatorAttrs {
    InitiatorAttrs {
        id: PersonId(Id(0x2001)),
        login: "alice".into(),
        name: "Alice".into(),
        dept: dept(1, "Sales", Some("S01")),
        dept_path: vec![dept(0, "HQ", None), dept(1, "Sales", Some("S01"))],
        position: Some("Manager".into()),
        roles: vec!["employee".into(), "sales_manager".into()],
        is_dept_head: true,
    }
}

fn data() -> Value {
    json!({
        "amount": "12000.50",
        "fee": 30,
        "price": {"amount": "9.99", "currency": "EUR"},
        "days": 3,
        "title": "Re: purchase of laptops",
        "urgent": true,
        "start": "2026-03-01",
        "end": "2026-03-05",
        "submitted_at": "2026-03-01T09:00:00+08:00",
        "category": "IT",
        "tags": ["urgent"],
        "applicant": {"id": "01JBOB0000000000000000000B", "login": "bob"},
        "dept": {"id": "01JSALES000000000000000000", "name": "Sales", "code": "S01"},
        "codes": ["A1", "B2"],
        "items": [
            {"name": "laptop", "amount": "8000", "qty": 1, "category": "IT"},
            {"name": "mouse", "amount": 50.5, "qty": 2, "category": "IT"},
            {"name": "desk", "amount": null, "qty": 0, "category": "Sales"}
        ],
        "金额": 5,
        "in": 7
    })
}

/// `true`, `false`, or `error line:column: message`.
fn check_eval_on(data: &Value, src: &str, expect: &str) {
    let checked = match compile(src, &env()) {
        Ok(c) => c,
        Err(errors) => panic!("{src:?} does not compile: {}", show_errors(&errors)),
    };
    let got = match checked.eval(data, &alice()) {
        Ok(b) => b.to_string(),
        Err(e) => format!("error {}", show_error(&e)),
    };
    assert_eq!(got, expect, "evaluating {src:?} over {data}");
}

fn check_eval(src: &str, expect: &str) {
    check_eval_on(&data(), src, expect)
}

#[test]
fn parses_literals_and_names() {
    let cases = [
        ("1", "1"),
        ("10000", "10000"),
        ("0.50", "0.50"),
        ("007", "7"),
        (r#""R&D""#, r#""R&D""#),
        (r#""say \"hi\"\n""#, r#""say \"hi\"\n""#),
        (r#""\u{4e2d}文""#, r#""中文""#),
        ("true", "true"),
        ("false", "false"),
        ("null", "null"),
        (r#"date("2026-01-31")"#, r#"date("2026-01-31")"#),
        (r#"datetime("2026-01-31T09:00:00+08:00")"#, r#"datetime("2026-01-31T01:00:00Z")"#),
        (r#"datetime("2026-01-31T09:00:00.250Z")"#, r#"datetime("2026-01-31T09:00:00.250Z")"#),
        ("amount", "amount"),
        ("form.amount", "form.amount"),
        ("initiator.dept_path", "initiator.dept_path"),
        ("items.amount", "items.amount"),
        ("form.in", "form.in"),
        ("form.not", "form.not"),
        ("金额", "金额"),
        ("_x1", "_x1"),
        ("[]", "[]"),
        ("[1, 2,]", "[1 2]"),
        ("[[1], []]", "[[1] []]"),
        ("f()", "(f)"),
        ("len(title)", "(len title)"),
        ("any(items, amount > 100)", "(any items (> amount 100))"),
        ("  a\n&&\tb ", "(&& a b)"),
        ("(((a)))", "a"),
    ];
    for (src, expect) in cases {
        check_parse(src, expect);
    }
}

#[test]
fn operators_bind_by_precedence() {
    let cases = [
        ("a || b && c", "(|| a (&& b c))"),
        ("a && b || c", "(|| (&& a b) c)"),
        ("a || b || c", "(|| (|| a b) c)"),
        ("a && b && c", "(&& (&& a b) c)"),
        ("(a || b) && c", "(&& (|| a b) c)"),
        ("!a && b", "(&& (! a) b)"),
        ("!a == b", "(== (! a) b)"),
        ("!(a == b)", "(! (== a b))"),
        ("!!a", "(! (! a))"),
        ("-2 * 3", "(* (- 2) 3)"),
        ("--1", "(- (- 1))"),
        ("- -1", "(- (- 1))"),
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("1 - (2 - 3)", "(- 1 (- 2 3))"),
        ("8 / 4 / 2", "(/ (/ 8 4) 2)"),
        ("8 / 4 * 2", "(* (/ 8 4) 2)"),
        ("a + 1 > b * 2", "(> (+ a 1) (* b 2))"),
        ("a == b && c != d", "(&& (== a b) (!= c d))"),
        ("a <= b || c >= d", "(|| (<= a b) (>= c d))"),
        ("x in [1, 2] && y not in [3]", "(&& (in x [1 2]) (not in y [3]))"),
        ("x + 1 in [2]", "(in (+ x 1) [2])"),
        ("(a == b) == c", "(== (== a b) c)"),
        ("a == (b == c)", "(== a (== b c))"),
        ("amount > 10000 && initiator.dept in [\"Sales\"]", "(&& (> amount 10000) (in initiator.dept [\"Sales\"]))"),
    ];
    for (src, expect) in cases {
        check_parse(src, expect);
    }
}

#[test]
fn syntax_errors_say_where_and_what() {
    let cases = [
        ("", "1:1: condition is empty"),
        ("   ", "1:4: condition is empty"),
        ("a ==", "1:5: expected a value, found the end of the condition"),
        ("a == )", "1:6: expected a value, found `)`"),
        ("a = 1", "1:3: unexpected `=`: compare with `==`"),
        ("a & b", "1:3: unexpected `&`: write `&&` for and"),
        ("a | b", "1:3: unexpected `|`: write `||` for or"),
        ("a # b", "1:3: unexpected `#`"),
        ("'x'", "1:1: unexpected `'`: quote text with double quotes, like `\"Sales\"`"),
        ("dept == “Sales”", "1:9: unexpected `“`: quote text with straight double quotes `\"`"),
        ("len（title）", "1:4: unexpected `（`: use `(`"),
        ("a，b", "1:2: unexpected `，`: use `,`"),
        ("\"abc", "1:1: unterminated text: the closing `\"` is missing"),
        ("\"abc\\", "1:1: unterminated text: the closing `\"` is missing"),
        ("\"a\\qb\"", "1:3: unknown escape `\\q` in text"),
        ("\"\\u{110000}\"", "1:2: `\\u{110000}` is not a unicode character"),
        ("\"\\u{}\"", "1:2: a unicode escape is written `\\u{4e2d}`"),
        ("\"\\u41\"", "1:2: a unicode escape is written `\\u{4e2d}`"),
        ("1.", "1:1: `1.` needs digits after the decimal point"),
        ("1.x", "1:1: `1.` needs digits after the decimal point"),
        (
            "123456789012345678901234567890",
            "1:1: number `123456789012345678901234567890` is too large or too precise",
        ),
        ("a < b < c", "1:7: comparisons do not chain: join them with `&&`, like `a < b && b < c`"),
        ("a == b != c", "1:8: comparisons do not chain: join them with `&&`, like `a == b && b != c`"),
        ("a and b", "1:3: expected an operator or the end of the condition, found `and` (write `&&` for and)"),
        ("a or b", "1:3: expected an operator or the end of the condition, found `or` (write `||` for or)"),
        ("not a", "1:1: `not` is only used in `not in`; negate with `!`"),
        ("a not b", "1:3: `not` is only used in `not in`; negate with `!`"),
        ("a b", "1:3: expected an operator or the end of the condition, found `b`"),
        ("(a", "1:3: expected `)`, found the end of the condition"),
        ("a)", "1:2: expected an operator or the end of the condition, found `)`"),
        ("[1, 2", "1:6: expected `,` or `]`, found the end of the condition"),
        ("f(1 2)", "1:5: expected `,` or `)`, found `2`"),
        ("f(,)", "1:3: expected a value, found `,`"),
        ("form.", "1:6: expected a name after `.`, found the end of the condition"),
        ("form.1", "1:6: expected a name after `.`, found `1`"),
        ("date(2026)", "1:6: `date` takes one quoted value, like `date(\"2026-01-31\")`"),
        ("date(\"2026-02-30\")", "1:6: `2026-02-30` is not a date: write it like `date(\"2026-01-31\")`"),
        ("date(\"2026-01-31\", 1)", "1:18: expected `)`, found `,`"),
        (
            "datetime(\"2026-01-31 09:00\")",
            "1:10: `2026-01-31 09:00` is not a date and time with a time zone: write it like `datetime(\"2026-01-31T09:00:00+08:00\")`",
        ),
        ("a &&\n  b ==", "2:7: expected a value, found the end of the condition"),
        ("金额 = 1", "1:4: unexpected `=`: compare with `==`"),
    ];
    for (src, expect) in cases {
        check_parse(src, expect);
    }
}

#[test]
fn size_and_depth_are_limited() {
    let parens = |n: usize| format!("{}1{}", "(".repeat(n), ")".repeat(n));
    let too_deep = "condition is nested too deeply: at most 64 levels";
    assert!(parse(&parens(50)).is_ok());
    assert_eq!(parse(&parens(100)).map(|_| ()).map_err(|e| e.message().to_string()), Err(too_deep.to_string()));
    let nots = format!("{}a", "!".repeat(100));
    assert_eq!(parse(&nots).map(|_| ()).map_err(|e| e.message().to_string()), Err(too_deep.to_string()));
    // A long left-leaning chain is as deep as it is long.
    let chain = format!("1{}", " + 1".repeat(100));
    assert_eq!(parse(&chain).map(|_| ()).map_err(|e| e.message().to_string()), Err(too_deep.to_string()));
    let chain = format!("1{}", " + 1".repeat(60));
    assert!(parse(&chain).is_ok());
    let lists = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    assert_eq!(parse(&lists).map(|_| ()).map_err(|e| e.message().to_string()), Err(too_deep.to_string()));
    let calls = format!("{}1{}", "f(".repeat(100), ")".repeat(100));
    assert_eq!(parse(&calls).map(|_| ()).map_err(|e| e.message().to_string()), Err(too_deep.to_string()));

    let long = "a".repeat(MAX_SOURCE_BYTES + 1);
    check_parse(&long, "1:4097: condition is too long: 4097 bytes, at most 4096");
    let just = format!("{} == 1", "a".repeat(MAX_SOURCE_BYTES - 5));
    assert!(parse(&just).is_ok());
}

#[test]
fn printing_adds_only_the_parentheses_needed() {
    let cases = [
        ("a || b && c", "a || b && c"),
        ("(a || b) && c", "(a || b) && c"),
        ("1 - (2 - 3)", "1 - (2 - 3)"),
        ("(1 - 2) - 3", "1 - 2 - 3"),
        ("-(1 + 2)", "-(1 + 2)"),
        ("- -1", "--1"),
        ("!(a && b)", "!(a && b)"),
        ("(a == b) == c", "(a == b) == c"),
        ("x not in [1, 2]", "x not in [1, 2]"),
        ("any(items,amount>1)", "any(items, amount > 1)"),
        ("title == \"a\\\"b\\\\c\\td\"", "title == \"a\\\"b\\\\c\\td\""),
        ("date(\"2026-1-5\") < d", "date(\"2026-01-05\") < d"),
    ];
    for (src, expect) in cases {
        let printed = parse(src).map(|e| e.to_string()).unwrap_or_else(|e| show_error(&e));
        assert_eq!(printed, expect, "printing {src:?}");
        let again = parse(&printed).map(|e| sexp(e.root())).unwrap_or_else(|e| show_error(&e));
        let first = parse(src).map(|e| sexp(e.root())).unwrap_or_else(|e| show_error(&e));
        assert_eq!(again, first, "reparsing {printed:?}");
    }
}

#[test]
fn well_typed_conditions_check() {
    let cases = [
        "amount > 10000",
        "amount > 10000 && initiator.dept in [\"Sales\"]",
        "price > 5",
        "amount + 100 > 200",
        "-amount < 0",
        "amount / amount > 1",
        "amount / 2 > days",
        "amount == null",
        "null == amount",
        "category == \"Sales\"",
        "category in [\"Sales\", \"R&D\"]",
        "category not in [\"IT\"]",
        "\"urgent\" in tags",
        "contains(tags, \"urgent\")",
        "category in tags",
        "applicant == initiator",
        "applicant == \"alice\"",
        "initiator == \"alice\"",
        "dept == \"Sales\"",
        "dept == initiator.dept",
        "\"Sales\" in initiator.dept_path",
        "dept in initiator.dept_path",
        "\"sales_manager\" in initiator.roles",
        "initiator.position == null",
        "initiator.is_dept_head",
        "urgent",
        "!urgent",
        "urgent == true",
        "start < end",
        "start >= date(\"2026-01-01\")",
        "days_between(start, end) > 3",
        "submitted_at >= datetime(\"2026-01-01T00:00:00Z\")",
        "count(items) > 3",
        "len(items) > 3",
        "sum(items.amount) > 50000",
        "sum(items.qty) > 5",
        "max(items.amount) > 5000",
        "min(items.qty) == 0",
        "\"laptop\" in items.name",
        "any(items, amount > 100 && category == \"IT\")",
        "all(items, qty > 0)",
        "any(items, amount > form.amount)",
        "any(items, qty > days)",
        "is_empty(title)",
        "is_empty(items)",
        "is_empty(null)",
        "len(title) > 10",
        "starts_with(title, \"Re:\") || ends_with(title, \"!\")",
        "contains(title, \"laptop\")",
        "contains(category, \"S\")",
        "\"A1\" in codes",
        "amount in [1, 2.5]",
        "form.in > 1",
        "金额 >= 1",
        "amount in [] || true",
    ];
    for src in cases {
        check_types(src, "ok");
    }
}

#[test]
fn type_errors_name_the_place_and_the_expectation() {
    let cases = [
        ("amout > 1", "1:1: unknown field `amout` (did you mean `amount`?)"),
        ("zzz > 1", "1:1: unknown field `zzz`"),
        ("Amount > 1", "1:1: unknown field `Amount` (did you mean `amount`?)"),
        ("form.amout > 1", "1:1: unknown field `amout` (did you mean `amount`?)"),
        ("title == 1", "1:1: cannot compare text with number"),
        ("title > 1", "1:1: cannot compare text with number"),
        ("1 == title", "1:1: cannot compare number with text"),
        ("amount", "1:1: condition must be yes/no, found money"),
        ("1 + 2", "1:1: condition must be yes/no, found number"),
        ("null", "1:1: condition must be yes/no, found null"),
        ("tags", "1:1: condition must be yes/no, found multiple choice"),
        ("initiator.roles", "1:1: condition must be yes/no, found list of text"),
        ("title < \"b\"", "1:1: cannot order text with `<`: only numbers, money, dates and times have an order"),
        ("urgent >= false", "1:1: cannot order yes/no with `>=`: only numbers, money, dates and times have an order"),
        ("amount > fee", "1:1: cannot compare money in `CNY` with money in `USD`"),
        ("amount + fee > 0", "1:1: cannot add money in `CNY` and money in `USD`"),
        ("amount - fee > 0", "1:1: cannot subtract money in `CNY` and money in `USD`"),
        ("amount / fee > 0", "1:1: cannot divide money in `CNY` by money in `USD`"),
        ("amount * amount > 0", "1:1: cannot multiply money by money"),
        ("1 / amount > 0", "1:1: cannot divide a number by money"),
        ("title + 1 > 0", "1:1: `+` needs numbers or money, found text"),
        ("1 * urgent > 0", "1:1: `*` needs numbers or money, found yes/no"),
        ("amount + null > 0", "1:1: `+` needs numbers or money, found null"),
        ("-title", "1:2: `-` needs a number or money, found text"),
        ("!amount", "1:2: `!` needs yes/no, found money"),
        ("amount && urgent", "1:1: `&&` needs yes/no on both sides, found money"),
        ("urgent || title", "1:11: `||` needs yes/no on both sides, found text"),
        ("amount > null", "1:1: `null` can only be compared with `==` or `!=`, not `>`"),
        ("category == \"Salse\"", "1:13: `Salse` is not an option of `category` (did you mean `Sales`?)"),
        ("\"HR\" != category", "1:1: `HR` is not an option of `category`"),
        ("category in [\"Sales\", \"HR\"]", "1:23: `HR` is not an option of `category`"),
        ("\"urgnt\" in tags", "1:1: `urgnt` is not an option of `tags` (did you mean `urgent`?)"),
        ("contains(tags, \"secret\")", "1:16: `secret` is not an option of `tags`"),
        ("any(items, category == \"it\")", "1:24: `it` is not an option of `category` (did you mean `IT`?)"),
        ("amount in 5", "1:11: `in` needs a list on its right, found number"),
        ("amount not in title", "1:15: `not in` needs a list on its right, found text"),
        ("amount in [\"a\"]", "1:1: cannot compare money with text"),
        ("null in [1]", "1:1: `null` is never `in` a list; compare with `== null`"),
        ("[1, \"a\"] == null", "1:5: a list cannot mix number and text"),
        ("[[1]] == null", "1:1: a list cannot hold lists or tables"),
        ("[1] == [1]", "1:1: cannot compare list of number with list of number"),
        ("items == 1", "1:1: cannot compare table with number"),
        ("tags == \"urgent\"", "1:1: cannot compare multiple choice with text"),
        ("applicant == dept", "1:1: cannot compare person with department"),
        ("urgent == 1", "1:1: cannot compare yes/no with number"),
        ("start < submitted_at", "1:1: cannot compare date with date and time"),
        ("start == \"2026-01-01\"", "1:1: cannot compare date with text"),
        ("initiator.deptt == \"x\"", "1:1: unknown attribute `deptt` of `initiator` (did you mean `dept`?)"),
        ("initiator.dept.name == \"x\"", "1:1: `initiator.dept` has no member `name`"),
        ("form == 1", "1:1: `form` must be followed by a field name, like `form.amount`"),
        ("amount.x > 1", "1:1: `amount` has no member `x`: only a table has columns"),
        ("form.amount.x > 1", "1:1: `form.amount` has no member `x`: only a table has columns"),
        ("sum(items.amout) > 1", "1:5: unknown column `amout` of table `items` (did you mean `amount`?)"),
        ("sum(items.amount.x) > 1", "1:5: `items.amount` has no member `x`"),
        ("lenght(title) > 1", "1:1: unknown function `lenght` (did you mean `len`?)"),
        ("len(title, 1) > 1", "1:1: `len` takes 1 argument, found 2"),
        ("contains(title)", "1:1: `contains` takes 2 arguments, found 1"),
        ("sum(title) > 1", "1:5: `sum` needs a list of numbers or money, like `sum(items.amount)`, found text"),
        ("sum(items) > 1", "1:5: `sum` needs a list of numbers or money, like `sum(items.amount)`, found table"),
        (
            "sum(items.name) > 1",
            "1:5: `sum` needs a list of numbers or money, like `sum(items.amount)`, found list of text",
        ),
        (
            "max(tags) > 1",
            "1:5: `max` needs a list of numbers, money or dates, like `max(items.amount)`, found multiple choice",
        ),
        ("count(title) > 1", "1:7: `count` needs a table or a list, found text"),
        ("len(amount) > 1", "1:5: `len` needs text, a list or a table, found money"),
        ("contains(amount, \"1\")", "1:10: `contains` needs text or a list first, found money"),
        ("contains(title, 1)", "1:17: `contains` needs text to look for in text, found number"),
        ("contains(codes, 1)", "1:1: cannot compare number with text"),
        ("starts_with(title, days)", "1:20: `starts_with` needs text, found number"),
        ("any(title, true)", "1:5: `any` needs a table first, like `any(items, amount > 100)`, found text"),
        ("all(items, qty)", "1:12: `all` needs a yes/no condition second, found number"),
        ("any(items, amout > 1)", "1:12: unknown field `amout` (did you mean `amount`?)"),
        ("days_between(start, 3) > 1", "1:21: `days_between` needs two dates, found number"),
        ("date(\"2026-01-01\")", "1:1: condition must be yes/no, found date"),
        (
            "amout > 1 && titel == 2",
            "1:1: unknown field `amout` (did you mean `amount`?)\n1:14: unknown field `titel` (did you mean `title`?)",
        ),
        ("urgent &&\n  金额 == \"x\"", "2:3: cannot compare number with text"),
    ];
    for (src, expect) in cases {
        check_types(src, expect);
    }
}

#[test]
fn conditions_evaluate_over_form_data() {
    let cases = [
        ("amount > 10000 && initiator.dept in [\"Sales\"]", "true"),
        ("amount > 10000", "true"),
        ("amount > 12000.5", "false"),
        ("amount == 12000.5", "true"),
        ("amount >= 12000.50", "true"),
        ("amount + 100 > 12100", "true"),
        ("amount * 2 == 24001", "true"),
        ("amount / 2 == 6000.25", "true"),
        ("amount / amount == 1", "true"),
        ("-amount < 0", "true"),
        ("fee > 29.99", "true"),
        ("price > 9 && price < 10", "true"),
        ("price + price == 19.98", "true"),
        ("days - 1 == 2", "true"),
        ("-days == 0 - 3", "true"),
        ("1 / 3 * 3 < 1.0000001", "true"),
        ("title == \"Re: purchase of laptops\"", "true"),
        ("title != \"re: purchase of laptops\"", "true"),
        ("starts_with(title, \"Re:\")", "true"),
        ("contains(title, \"laptop\")", "true"),
        ("ends_with(title, \"x\")", "false"),
        ("len(title) == 23", "true"),
        ("is_empty(title)", "false"),
        ("urgent", "true"),
        ("!urgent", "false"),
        ("urgent && amount > 1 || false", "true"),
        ("false || !urgent", "false"),
        ("days_between(start, end) == 4", "true"),
        ("days_between(end, start) == -4", "true"),
        ("start < end", "true"),
        ("start == date(\"2026-03-01\")", "true"),
        ("submitted_at == datetime(\"2026-03-01T01:00:00Z\")", "true"),
        ("submitted_at < datetime(\"2026-03-01T09:00:00+07:00\")", "true"),
        ("category == \"IT\"", "true"),
        ("category in [\"Sales\", \"R&D\"]", "false"),
        ("category not in [\"Sales\", \"R&D\"]", "true"),
        ("\"urgent\" in tags", "true"),
        ("contains(tags, \"confidential\")", "false"),
        ("\"B2\" in codes", "true"),
        ("applicant == \"bob\"", "true"),
        ("applicant == \"BOB\"", "true"),
        ("applicant == \"01jbob0000000000000000000b\"", "true"),
        ("applicant == initiator", "false"),
        ("applicant != initiator", "true"),
        ("dept == \"Sales\"", "true"),
        ("dept == \"s01\"", "true"),
        ("dept == \"R&D\"", "false"),
        ("dept == initiator.dept", "false"),
        ("initiator.dept == \"Sales\"", "true"),
        ("initiator.dept in [\"Finance\", \"Sales\"]", "true"),
        ("\"HQ\" in initiator.dept_path", "true"),
        ("\"Finance\" in initiator.dept_path", "false"),
        ("\"sales_manager\" in initiator.roles", "true"),
        ("contains(initiator.roles, \"admin\")", "false"),
        ("initiator.position == \"Manager\"", "true"),
        ("initiator.login == \"alice\"", "true"),
        ("initiator.name == \"Alice\"", "true"),
        ("initiator.is_dept_head", "true"),
        ("initiator == \"ALICE\"", "true"),
        ("initiator.id == \"00000000000000000000000801\"", "true"),
        ("count(items) == 3", "true"),
        ("len(items) == 3", "true"),
        ("sum(items.amount) == 8050.5", "true"),
        ("sum(items.qty) == 3", "true"),
        ("max(items.amount) == 8000", "true"),
        ("min(items.amount) == 50.5", "true"),
        ("min(items.qty) == 0", "true"),
        ("any(items, amount > 5000)", "true"),
        ("any(items, amount > 9000)", "false"),
        ("all(items, qty > 0)", "false"),
        ("all(items, category in [\"IT\", \"Sales\"])", "true"),
        ("any(items, amount > form.amount)", "false"),
        ("any(items, qty * 1000 > days)", "true"),
        ("\"desk\" in items.name", "true"),
        ("\"chair\" in items.name", "false"),
        ("is_empty(items)", "false"),
        ("金额 == 5", "true"),
        ("form.in == 7", "true"),
    ];
    for (src, expect) in cases {
        check_eval(src, expect);
    }
}

#[test]
fn missing_values_follow_the_documented_rules() {
    let empty = json!({});
    let nulls = json!({"amount": null, "title": null, "items": null, "tags": null, "urgent": null});
    let cases = [
        ("amount > 1", "false"),
        ("amount < 1", "false"),
        ("amount <= 1", "false"),
        ("!(amount > 1)", "true"),
        ("amount == null", "true"),
        ("null == amount", "true"),
        ("amount != null", "false"),
        ("amount == 1", "false"),
        ("amount != 1", "true"),
        ("amount == price", "true"),
        ("amount + 1 == null", "true"),
        ("-amount == null", "true"),
        ("urgent", "false"),
        ("!urgent", "true"),
        ("urgent == false", "false"),
        ("urgent == null", "true"),
        ("title == null", "true"),
        ("contains(title, \"a\")", "false"),
        ("starts_with(title, \"\")", "false"),
        ("len(title) == 0", "true"),
        ("is_empty(title)", "true"),
        ("category in [\"IT\"]", "false"),
        ("category not in [\"IT\"]", "true"),
        ("\"urgent\" in tags", "false"),
        ("\"urgent\" not in tags", "true"),
        ("count(items) == 0", "true"),
        ("is_empty(items)", "true"),
        ("sum(items.amount) == 0", "true"),
        ("max(items.amount) == null", "true"),
        ("any(items, qty > 0)", "false"),
        ("all(items, qty > 0)", "true"),
        ("days_between(start, end) == null", "true"),
        ("days_between(start, end) > -1", "false"),
        ("applicant == null", "true"),
        ("applicant == initiator", "false"),
        ("dept in initiator.dept_path", "false"),
    ];
    for data in [&empty, &nulls] {
        for (src, expect) in cases {
            check_eval_on(data, src, expect);
        }
    }
    let mut bob = alice();
    bob.position = None;
    let c = compile("initiator.position == null", &env()).unwrap();
    assert_eq!(c.eval(&empty, &bob), Ok(true));
    // A text that is only blank counts as empty; so does an empty list.
    check_eval_on(&json!({"title": "  ", "tags": []}), "is_empty(title) && is_empty(tags)", "true");
    // Data that is not an object has no fields.
    check_eval_on(&json!([1, 2]), "amount == null", "true");
}

#[test]
fn form_data_is_read_tolerantly() {
    let cases = [
        (json!({"amount": 12000}), "amount == 12000", "true"),
        (json!({"amount": 0.1}), "amount == 0.1", "true"),
        (json!({"amount": " 12.30 "}), "amount == 12.3", "true"),
        (json!({"amount": {"amount": "5", "currency": "CNY"}}), "amount == 5", "true"),
        (
            json!({"amount": 1e30}),
            "amount > 1",
            "error 1:1: field `amount` holds `1e+30`, which is not an amount of money",
        ),
        (json!({"days": "1e3"}), "days == 1000", "true"),
        (json!({"days": 1e300}), "days > 1", "error 1:1: field `days` holds `1e+300`, which is not a number"),
        (json!({"days": 1e-300}), "days > 0", "error 1:1: field `days` holds `1e-300`, which is not a number"),
        (
            json!({"days": "1e4294967295"}),
            "days > 1",
            "error 1:1: field `days` holds `\"1e4294967295\"`, which is not a number",
        ),
        (
            json!({"days": "1e-4294967295"}),
            "days > 1",
            "error 1:1: field `days` holds `\"1e-4294967295\"`, which is not a number",
        ),
        (json!({"urgent": "true"}), "urgent", "true"),
        (json!({"title": 42}), "title == \"42\"", "true"),
        (json!({"tags": "urgent"}), "\"urgent\" in tags", "true"),
        (json!({"codes": "A1"}), "\"A1\" in codes", "true"),
        (json!({"start": "2026-03-01T23:30:00+08:00"}), "start == date(\"2026-03-01\")", "true"),
        (json!({"submitted_at": "2026-03-01 09:00:00"}), "submitted_at == datetime(\"2026-03-01T09:00:00Z\")", "true"),
        (json!({"submitted_at": "2026-03-01"}), "submitted_at == datetime(\"2026-03-01T00:00:00Z\")", "true"),
        (json!({"applicant": "01JBOB0000000000000000000B"}), "applicant == \"01jbob0000000000000000000b\"", "true"),
        (json!({"applicant": "01JBOB0000000000000000000B"}), "applicant == \"bob\"", "false"),
        (json!({"dept": "01JSALES000000000000000000"}), "dept == \"Sales\"", "false"),
        (json!({"items": [{"qty": 1}, "not a row", {"qty": 2}]}), "sum(items.qty) == 3", "true"),
        (
            json!({"amount": "abc"}),
            "amount > 1",
            "error 1:1: field `amount` holds `\"abc\"`, which is not an amount of money",
        ),
        (json!({"days": true}), "days > 1", "error 1:1: field `days` holds `true`, which is not a number"),
        (json!({"urgent": "yes"}), "urgent", "error 1:1: field `urgent` holds `\"yes\"`, which is not yes or no"),
        (
            json!({"start": "31/01/2026"}),
            "start < end",
            "error 1:1: field `start` holds `\"31/01/2026\"`, which is not a date",
        ),
        (json!({"items": 5}), "count(items) > 1", "error 1:7: field `items` holds `5`, which is not a table"),
        (
            json!({"title": {"a": 1}}),
            "is_empty(title)",
            "error 1:10: field `title` holds `{\"a\":1}`, which is not text",
        ),
        (
            json!({"items": [{"amount": "x"}]}),
            "sum(items.amount) > 1",
            "error 1:5: field `items.amount` holds `\"x\"`, which is not an amount of money",
        ),
        (
            json!({"applicant": {"login": "bob"}}),
            "applicant == \"bob\"",
            "error 1:1: field `applicant` holds `{\"login\":\"bob\"}`, which is not a person",
        ),
    ];
    for (data, src, expect) in cases {
        check_eval_on(&data, src, expect);
    }
    let long = json!({"days": "y".repeat(100)});
    check_eval_on(
        &long,
        "days > 1",
        &format!("error 1:1: field `days` holds `\"{}…`, which is not a number", "y".repeat(39)),
    );
}

#[test]
fn run_time_errors_name_the_failing_part() {
    let cases = [
        (json!({"days": 1}), "urgent || days / 0 > 1", "error 1:11: division by zero"),
        (json!({"amount": 5, "days": 2}), "amount / (days - days) > 1", "error 1:1: division by zero"),
        (json!({"days": 0, "amount": 1}), "amount / days > 1", "error 1:1: division by zero"),
        (json!({"days": "79228162514264337593543950335"}), "days * 2 > 1", "error 1:1: number out of range"),
        (json!({"days": "79228162514264337593543950335"}), "days + 1 > 1", "error 1:1: number out of range"),
        (
            json!({"price": {"amount": 1, "currency": "EUR"}, "amount": 1}),
            "price > amount",
            "error 1:1: money in `EUR` and money in `CNY` cannot be mixed",
        ),
        (
            json!({"price": {"amount": 1, "currency": "EUR"}, "amount": 1}),
            "price + amount > 1",
            "error 1:1: money in `EUR` and money in `CNY` cannot be mixed",
        ),
        (
            json!({"price": {"amount": 1, "currency": "EUR"}, "fee": 1}),
            "price in [fee]",
            "error 1:1: money in `EUR` and money in `USD` cannot be mixed",
        ),
        // Short-circuiting: the right side is not evaluated when the left decides.
        (json!({"days": 1}), "true || days / 0 > 1", "true"),
        (json!({"days": 1}), "false && days / 0 > 1", "false"),
        // A missing operand makes the division null, not an error.
        (json!({}), "days / 0 > 1", "false"),
    ];
    for (data, src, expect) in cases {
        check_eval_on(&data, src, expect);
    }
}

#[test]
fn sums_of_money_keep_their_currency() {
    let env = TypeEnv::new().with("lines", ExprType::table([("cost", ExprType::money(None))]));
    let c = compile("sum(lines.cost) > 10", &env).unwrap();
    let who = alice();
    let same =
        json!({"lines": [{"cost": {"amount": 6, "currency": "EUR"}}, {"cost": {"amount": 6, "currency": "EUR"}}]});
    assert_eq!(c.eval(&same, &who), Ok(true));
    let mixed =
        json!({"lines": [{"cost": {"amount": 6, "currency": "EUR"}}, {"cost": {"amount": 6, "currency": "USD"}}]});
    assert_eq!(
        c.eval(&mixed, &who).map_err(|e| e.message().to_string()),
        Err("money in `EUR` and money in `USD` cannot be mixed".to_string())
    );
    let c = compile("max(lines.cost) > 5", &env).unwrap();
    assert_eq!(
        c.eval(&mixed, &who).map_err(|e| e.message().to_string()),
        Err("money in `USD` and money in `EUR` cannot be mixed".to_string())
    );
}

#[test]
fn nested_tables_see_every_enclosing_row() {
    let env = TypeEnv::new().with("limit", ExprType::Number).with(
        "orders",
        ExprType::table([("limit", ExprType::Number), ("lines", ExprType::table([("qty", ExprType::Number)]))]),
    );
    let data = json!({"limit": 100, "orders": [
        {"limit": 5, "lines": [{"qty": 1}, {"qty": 2}]},
        {"limit": 1, "lines": [{"qty": 3}]}
    ]});
    let cases = [
        ("any(orders, any(lines, qty > limit))", true),
        ("all(orders, all(lines, qty > limit))", false),
        ("any(orders, any(lines, qty > form.limit))", false),
        ("all(orders, count(lines) >= 1)", true),
    ];
    for (src, expect) in cases {
        let c = compile(src, &env).unwrap_or_else(|e| panic!("{src}: {}", show_errors(&e)));
        assert_eq!(c.eval(&data, &alice()), Ok(expect), "{src}");
    }
    check_types_in(&env, "any(lines, qty > 1)", "1:5: unknown field `lines`");
}

fn check_types_in(env: &TypeEnv, src: &str, expect: &str) {
    let got = match compile(src, env) {
        Ok(_) => "ok".to_string(),
        Err(errors) => show_errors(&errors),
    };
    assert_eq!(got, expect, "checking {src:?}");
}

#[test]
fn evaluation_stops_after_its_step_budget() {
    let data = json!({"items": rows_of(1200)});
    let c = compile("any(items, any(items, qty > 100000))", &env()).unwrap();
    let err = c.eval(&data, &alice()).unwrap_err();
    assert_eq!(err.message(), "condition stopped after 1000000 steps: the form's tables are too large for it");
    // One pass over the same table is well inside the budget.
    let c = compile("sum(items.qty) > 1 && any(items, qty > 1000)", &env()).unwrap();
    assert_eq!(c.eval(&data, &alice()), Ok(true));
    // Reading a long list once per row counts every value read.
    let codes: Vec<Value> = (0..1200).map(|i| json!(format!("c{i}"))).collect();
    let data = json!({"items": rows_of(1200), "codes": codes});
    let c = compile("any(items, \"none\" in form.codes)", &env()).unwrap();
    let err = c.eval(&data, &alice()).unwrap_err();
    assert_eq!(err.message(), "condition stopped after 1000000 steps: the form's tables are too large for it");
}

fn rows_of(n: usize) -> Vec<Value> {
    (0..n).map(|i| json!({"qty": i})).collect()
}

#[test]
fn referenced_fields_list_what_the_condition_reads() {
    let c = compile(
        "amount > 1 && any(items, qty > 0 && amount > form.price) && form.title == \"x\" && initiator.dept == \"S\" && initiator == \"a\"",
        &env(),
    )
    .unwrap();
    assert_eq!(c.referenced_fields(), vec!["amount", "items", "price", "title"]);
    assert_eq!(c.referenced_initiator_attributes(), vec!["dept", "id"]);
    assert_eq!(c.source(), "amount > 1 && any(items, qty > 0 && amount > form.price) && form.title == \"x\" && initiator.dept == \"S\" && initiator == \"a\""
    );
}

#[test]
fn errors_become_validation_errors_at_a_path() {
    let errors = compile("amout > 1 &&\n  titel == \"x\"", &env()).unwrap_err();
    let path = "nodes[approve_mgr].branches[0].condition";
    let one = errors[0].to_oa_error(path);
    assert_eq!(one.code(), "validation");
    assert_eq!(
        one.to_string(),
        "invalid input: nodes[approve_mgr].branches[0].condition: unknown field `amout` (did you mean `amount`?) (line 1, column 1)"
    );
    let all = errors_to_oa_error(&errors, path);
    let reasons: Vec<_> = all.field_errors().iter().map(|f| f.reason.as_str()).collect();
    assert_eq!(
        reasons,
        vec![
            "unknown field `amout` (did you mean `amount`?) (line 1, column 1)",
            "unknown field `titel` (did you mean `title`?) (line 2, column 3)"
        ]
    );
    assert_eq!(errors[1].span(), Span { start: 15, end: 20 });
}

#[test]
fn the_catalogues_describe_the_language() {
    let attrs = initiator_attributes();
    let names: Vec<_> = attrs.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, vec!["id", "login", "name", "dept", "dept_path", "position", "roles", "is_dept_head"]);
    // Every function the checker knows is listed, and every listed function is known.
    for f in FUNCTIONS {
        let probe = format!("{}()", f.name);
        let msg = compile(&probe, &env()).err().map(|e| show_errors(&e)).unwrap_or_default();
        assert!(!msg.contains("unknown function"), "{}: {msg}", f.name);
    }
    let json = serde_json::to_value(ExprType::money(Some("CNY"))).unwrap();
    assert_eq!(json, json!({"type": "money", "currency": "CNY"}));
    let back: ExprType =
        serde_json::from_value(json!({"type": "table", "columns": {"qty": {"type": "number"}}})).unwrap();
    assert_eq!(back, ExprType::table([("qty", ExprType::Number)]));
}

#[test]
fn checked_conditions_are_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Checked>();
    assert_send_sync::<ExprError>();
}
