//! Properties of validation: any JSON either validates or yields field errors, never a panic
//! nor another kind of error; normalised data validates unchanged.

use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::{json, Map};

use super::*;
use crate::form::model::FieldKind;
use crate::form::{round_money, FieldAccess, FieldPermissions};

/// One office for every case: creating one hashes passwords, which is slow by design.
fn world() -> &'static (World, Form) {
    static WORLD: OnceLock<(World, Form)> = OnceLock::new();
    WORLD.get_or_init(|| {
        let w = World::new();
        let form = form_of(every_kind());
        (w, form)
    })
}

const KEYS: &[&str] = &[
    "title", "postcode", "body", "days", "price", "yen", "start", "at", "urgent", "kind", "tags", "deputy", "dept",
    "files", "items", "total", "qtyTotal", "name", "amount", "qty", "currency", "x",
];

fn refs() -> Vec<String> {
    let (w, _) = world();
    vec![
        w.alice.to_string(),
        w.bob.to_string(),
        w.root.to_string(),
        w.closed.to_string(),
        w.pdf.clone(),
        "f".repeat(64),
    ]
}

fn texts() -> BoxedStrategy<String> {
    let words = vec![
        "",
        " ",
        "0",
        "-0",
        "1.005",
        "-3",
        "12.345678901234567",
        "1e3",
        "100000",
        "2026-02-30",
        "2026-01-05",
        "2026-13-01",
        "2026-01-05T09:00:00+08:00",
        "a",
        "b",
        "c",
        "sick",
        "annual",
        "CNY",
        "JPY",
        "同意",
    ];
    let mut all: Vec<String> = words.into_iter().map(String::from).collect();
    all.extend(refs());
    prop_oneof![prop::sample::select(all), "\\PC{0,12}", "[0-9]{1,18}(\\.[0-9]{1,6})?"].boxed()
}

fn arb_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f).map(Value::Number)),
        texts().prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(KEYS).prop_map(String::from), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn decimal_text() -> BoxedStrategy<String> {
    "-?[0-9]{1,7}(\\.[0-9]{1,4})?".boxed()
}

fn money() -> BoxedStrategy<Value> {
    prop_oneof![
        decimal_text().prop_map(Value::String),
        decimal_text().prop_map(|a| json!({"amount": a, "currency": "CNY"})),
    ]
    .boxed()
}

/// A value likely (not certain) to suit field `key`, or anything at all.
fn plausible(key: &'static str) -> BoxedStrategy<Value> {
    let ids = refs();
    let specific: BoxedStrategy<Value> = match key {
        "title" => "\\PC{0,24}".prop_map(Value::String).boxed(),
        "postcode" => "[0-9]{5,7}".prop_map(Value::String).boxed(),
        "body" => "[a-z \\n]{0,30}".prop_map(Value::String).boxed(),
        "days" => prop_oneof![(-5.0f64..40.0).prop_map(|f| json!(f)), decimal_text().prop_map(Value::String)].boxed(),
        "price" | "yen" => money(),
        "start" => "202[5-7]-(0[1-9]|1[0-3])-[0-3][0-9]".prop_map(Value::String).boxed(),
        "at" => "2026-01-0[1-9]T[01][0-9]:[0-5][0-9]:[0-5][0-9](Z|\\+08:00|-05:30)".prop_map(Value::String).boxed(),
        "urgent" => any::<bool>().prop_map(Value::Bool).boxed(),
        "kind" => prop::sample::select(vec!["annual", "sick", "other"]).prop_map(|s| json!(s)).boxed(),
        "tags" => {
            prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "d"]), 0..4).prop_map(|v| json!(v)).boxed()
        }
        "deputy" | "dept" => prop::sample::select(ids).prop_map(Value::String).boxed(),
        "files" => prop::collection::vec(prop::sample::select(ids), 0..3).prop_map(|v| json!(v)).boxed(),
        "items" => prop::collection::vec(
            (prop::option::of("\\PC{0,8}"), prop::option::of(money()), prop::option::of(-100i64..100)),
            0..7,
        )
        .prop_map(|rows| {
            let rows: Vec<Value> = rows
                .into_iter()
                .map(|(name, amount, qty)| {
                    let mut m = Map::new();
                    if let Some(n) = name {
                        m.insert("name".into(), json!(n));
                    }
                    if let Some(a) = amount {
                        m.insert("amount".into(), a);
                    }
                    if let Some(q) = qty {
                        m.insert("qty".into(), json!(q));
                    }
                    Value::Object(m)
                })
                .collect();
            Value::Array(rows)
        })
        .boxed(),
        _ => arb_json(),
    };
    prop_oneof![4 => specific, 1 => arb_json()].boxed()
}

/// Data shaped like the form: each field present or not, with a plausible value.
fn shaped() -> BoxedStrategy<Value> {
    let mut parts: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
    for key in [
        "title", "postcode", "body", "days", "price", "yen", "start", "at", "urgent", "kind", "tags", "deputy", "dept",
        "files", "items", "total",
    ] {
        parts.push(
            prop::option::weighted(0.7, plausible(key)).prop_map(move |v| v.map(|v| (key.to_string(), v))).boxed(),
        );
    }
    parts.push(prop::option::weighted(0.05, arb_json()).prop_map(|v| v.map(|v| ("stray".to_string(), v))).boxed());
    parts.prop_map(|kv| Value::Object(kv.into_iter().flatten().collect())).boxed()
}

/// A value of field `key` that is valid but for rare edges, in any of the accepted spellings.
fn fitting(key: &'static str) -> BoxedStrategy<Value> {
    let (w, _) = world();
    let positive = || "[0-9]{1,6}(\\.[0-9]{1,4})?".boxed();
    let money = move |code: &'static str| {
        prop_oneof![
            positive().prop_map(Value::String),
            positive().prop_map(move |a| json!({"amount": a, "currency": code})),
            positive().prop_map(|a| json!({"amount": a})),
        ]
        .boxed()
    };
    match key {
        "title" => "[a-z\u{4e00}-\u{4e20}]{1,20}".prop_map(Value::String).boxed(),
        "postcode" => "[0-9]{6}".prop_map(Value::String).boxed(),
        "body" => "[a-z \n]{0,30}".prop_map(Value::String).boxed(),
        "days" => (5u32..=300)
            .prop_flat_map(|tenths| {
                let f = f64::from(tenths) / 10.0;
                prop_oneof![Just(json!(f)), Just(json!(f.to_string())), Just(json!(format!("{f:.3}")))]
            })
            .boxed(),
        "price" => money("CNY"),
        "yen" => money("JPY"),
        "start" => "2026-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])".prop_map(Value::String).boxed(),
        "at" => "2026-0[1-9]-1[0-9]T[01][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{3})?(Z|\\+08:00|-05:30)"
            .prop_map(Value::String)
            .boxed(),
        "urgent" => any::<bool>().prop_map(Value::Bool).boxed(),
        "kind" => prop::sample::select(vec!["annual", "sick"]).prop_map(|s| json!(s)).boxed(),
        "tags" => prop::sample::subsequence(vec!["c", "a", "b"], 0..=2).prop_map(|v| json!(v)).boxed(),
        "deputy" => Just(json!(w.alice.to_string().to_lowercase())).boxed(),
        "dept" => Just(json!(w.root.to_string())).boxed(),
        "files" => prop_oneof![Just(json!(w.pdf)), Just(json!([w.pdf.to_uppercase()]))].boxed(),
        "items" => prop::collection::vec(
            (
                "[a-z]{1,8}",
                money("CNY"),
                prop::option::of(prop_oneof![
                    (-100i64..100).prop_map(|q| json!(q)),
                    (-100.0f64..100.0).prop_map(|q| json!(((q * 4.0).round() / 4.0)))
                ]),
            ),
            0..6,
        )
        .prop_map(|rows| {
            Value::Array(
                rows.into_iter()
                    .map(|(name, amount, qty)| {
                        let mut m = Map::new();
                        m.insert("name".into(), json!(name));
                        m.insert("amount".into(), amount);
                        if let Some(q) = qty {
                            m.insert("qty".into(), q);
                        }
                        Value::Object(m)
                    })
                    .collect(),
            )
        })
        .boxed(),
        _ => arb_json(),
    }
}

/// Data that fits the form but for rare edges: the title and some other fields.
fn fitting_data() -> BoxedStrategy<Value> {
    let mut parts: Vec<BoxedStrategy<Option<(String, Value)>>> =
        vec![fitting("title").prop_map(|v| Some(("title".to_string(), v))).boxed()];
    for key in [
        "postcode", "body", "days", "price", "yen", "start", "at", "urgent", "kind", "tags", "deputy", "dept", "files",
        "items", "total",
    ] {
        parts.push(prop::option::of(fitting(key)).prop_map(move |v| v.map(|v| (key.to_string(), v))).boxed());
    }
    parts.prop_map(|kv| Value::Object(kv.into_iter().flatten().collect())).boxed()
}

/// Either normalised data, or a validation error whose every field names a path.
fn judged(result: OaResult<Value>) -> Result<Value, TestCaseError> {
    match result {
        Ok(v) => Ok(v),
        Err(OaError::Validation(f)) => {
            prop_assert!(!f.is_empty());
            prop_assert!(f.iter().all(|e| !e.path.is_empty() && !e.reason.is_empty()), "{f:?}");
            Ok(Value::Null)
        }
        Err(other) => Err(TestCaseError::fail(format!("not a validation error: {other:?}"))),
    }
}

fn validate(data: &Value) -> OaResult<Value> {
    let (w, form) = world();
    w.validate_as(form, data, None)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_json_validates_or_yields_field_errors(data in arb_json()) {
        judged(validate(&data))?;
    }

    #[test]
    fn normalisation_is_idempotent(data in prop_oneof![3 => fitting_data(), 1 => shaped()]) {
        let out = judged(validate(&data))?;
        if !out.is_null() {
            prop_assert_eq!(validate(&out).ok(), Some(out.clone()));
            // Stored data given back unchanged passes a step where everything is read-only.
            let (w, form) = world();
            let back = w.oa.store().read(|tx| {
                super::super::validate_edit(tx, form, &out, &out, &FieldPermissions::all(FieldAccess::ReadOnly), None)
            });
            prop_assert_eq!(back.ok(), Some(out));
        }
    }

    #[test]
    fn any_pattern_is_compiled_or_refused_with_its_path(pattern in "\\PC{0,16}", key in "\\PC{0,8}") {
        let fields = json!([{"key": key, "label": "L", "type": "text", "pattern": pattern}]);
        let input = NewForm { key: "k".into(), name: "N".into(), description: String::new(), fields: fields_of(fields) };
        match define::normalise(input, "CNY") {
            Ok(def) => {
                let is_text = matches!(&def.fields[0].kind, FieldKind::Text { .. });
                prop_assert!(is_text);
            }
            Err(OaError::Validation(f)) => prop_assert!(f.iter().all(|e| e.path.starts_with("fields[0].")), "{f:?}"),
            Err(other) => prop_assert!(false, "not a validation error: {other:?}"),
        }
    }

    #[test]
    fn money_rounding_is_idempotent_and_close(text in "-?[0-9]{1,12}(\\.[0-9]{1,8})?", code in prop::sample::select(vec!["CNY", "JPY", "KWD"])) {
        let amount = crate::money::parse_plain_decimal(&text).unwrap();
        let once = round_money(amount, code);
        prop_assert_eq!(round_money(once, code), once);
        let unit = rust_decimal::Decimal::new(1, crate::form::minor_unit(code).unwrap());
        prop_assert!((once - amount).abs() * rust_decimal::Decimal::TWO <= unit);
    }

    #[test]
    fn plain_decimal_parsing_never_panics(text in "\\PC{0,40}") {
        let _ = crate::money::parse_plain_decimal(&text);
    }
}
