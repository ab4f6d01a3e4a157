//! Every kind of field: what it takes, how it is normalised and each reason it refuses a value.

use serde_json::json;

use super::*;

#[test]
fn text() {
    let w = World::new();
    let t = |v| w.one(json!({"type": "text", "min_length": 2, "max_length": 5}), v);
    assert_eq!(t(json!("  hi ")), Ok(json!("hi")));
    assert_eq!(t(json!("张伟")), Ok(json!("张伟")), "lengths count characters, not bytes");
    assert_eq!(t(json!("   ")), Ok(Value::Null), "blank is no value");
    assert_eq!(t(json!(5)), err("f", "expected text, got a number"));
    assert_eq!(t(json!("a")), err("f", "must be at least 2 characters, got 1"));
    assert_eq!(t(json!("abcdef")), err("f", "must be at most 5 characters, got 6"));
    assert_eq!(t(json!("a\nb")), err("f", "must be one line, without control characters"));
    let required = |v| w.one(json!({"type": "text", "required": true}), v);
    assert_eq!(required(json!("")), err("f", "required"));
    assert_eq!(required(Value::Null), err("f", "required"));
    assert_eq!(
        w.one(json!({"type": "text"}), json!("x".repeat(201))),
        err("f", "must be at most 200 characters, got 201")
    );
}

#[test]
fn pattern_must_match_the_whole_text() {
    let w = World::new();
    let t = |v| w.one(json!({"type": "text", "pattern": "\\d{6}"}), v);
    assert_eq!(t(json!(" 100000 ")), Ok(json!("100000")));
    assert_eq!(t(json!("1000000")), err("f", "`1000000` does not match the pattern `\\d{6}`"));
    assert_eq!(t(json!("a100000")), err("f", "`a100000` does not match the pattern `\\d{6}`"));
    let phone = |v| w.one(json!({"type": "text", "pattern": "1[3-9]\\d{9}|0\\d{2,3}-\\d{7,8}"}), v);
    assert_eq!(phone(json!("13800138000")), Ok(json!("13800138000")));
    assert_eq!(phone(json!("010-12345678")), Ok(json!("010-12345678")));
    assert!(phone(json!("12345")).is_err());
}

#[test]
fn long_text() {
    let w = World::new();
    let t = |v| w.one(json!({"type": "long_text", "max_length": 20}), v);
    assert_eq!(t(json!("line 1\nline 2\t")), Ok(json!("line 1\nline 2")));
    assert_eq!(t(json!("a\u{0007}b")), err("f", "must not contain control characters"));
    assert_eq!(t(json!("x".repeat(21))), err("f", "must be at most 20 characters, got 21"));
    assert_eq!(t(json!(["x"])), err("f", "expected text, got a list"));
}

#[test]
fn number() {
    let w = World::new();
    let n = |v| w.one(json!({"type": "number", "min": 0, "max": "100"}), v);
    assert_eq!(n(json!(42)), Ok(json!(42)));
    assert_eq!(n(json!(2.5)), Ok(json!(2.5)));
    assert_eq!(n(json!("12.50")), Ok(json!(12.5)), "a decimal string is taken and stored as a number");
    assert_eq!(n(json!(0.1)), Ok(json!(0.1)));
    assert_eq!(n(json!("")), Ok(Value::Null));
    assert_eq!(n(json!(150)), err("f", "`150` is out of range: must be between 0 and 100"));
    assert_eq!(n(json!(-0.5)), err("f", "`-0.5` is out of range: must be between 0 and 100"));
    assert_eq!(n(json!("abc")), err("f", "`abc` is not a number"));
    assert_eq!(n(json!("1e3")), err("f", "`1e3` is not a number"));
    assert_eq!(n(json!(true)), err("f", "expected a number, got yes or no"));
    assert_eq!(n(json!({"amount": "1"})), err("f", "expected a number, got an object"));
    let any = |v| w.one(json!({"type": "number"}), v);
    assert_eq!(any(json!("1234567890.12345")), Ok(json!(1234567890.12345)));
    assert_eq!(any(json!("1234567890.123456")), err("f", "`1234567890.123456` has more than 15 significant digits"));
    assert_eq!(any(json!(0.30000000000000004)), err("f", "`0.30000000000000004` has more than 15 significant digits"));
    assert_eq!(any(json!(1e300)), err("f", "`1e+300` is out of the range of numbers"));
    assert_eq!(any(json!(-7)), Ok(json!(-7)));
    let min_only = |v| w.one(json!({"type": "number", "min": 1}), v);
    assert_eq!(min_only(json!(0)), err("f", "`0` is out of range: must be at least 1"));
    let max_only = |v| w.one(json!({"type": "number", "max": 1}), v);
    assert_eq!(max_only(json!(2)), err("f", "`2` is out of range: must be at most 1"));
}

#[test]
fn number_decimals_round_half_up() {
    let w = World::new();
    let n = |v| w.one(json!({"type": "number", "decimals": 1}), v);
    assert_eq!(n(json!(2.25)), Ok(json!(2.3)));
    assert_eq!(n(json!("2.35")), Ok(json!(2.4)));
    assert_eq!(n(json!("-2.25")), Ok(json!(-2.3)));
    assert_eq!(n(json!(2.24)), Ok(json!(2.2)));
    assert_eq!(n(json!("3.0")), Ok(json!(3)));
    let whole = |v| w.one(json!({"type": "number", "decimals": 0}), v);
    assert_eq!(whole(json!(2.5)), Ok(json!(3)));
}

#[test]
fn money_is_a_decimal_string_or_an_object_never_a_float() {
    let w = World::new();
    let m = |v| w.one(json!({"type": "money", "min": "0", "max": "10000"}), v);
    let cny = |a: &str| Ok(json!({"amount": a, "currency": "CNY"}));
    assert_eq!(m(json!("123.45")), cny("123.45"));
    assert_eq!(m(json!("100")), cny("100.00"));
    assert_eq!(m(json!({"amount": "7.5", "currency": "cny"})), cny("7.50"));
    assert_eq!(m(json!({"amount": "7.5"})), cny("7.50"), "the currency may be left out");
    assert_eq!(m(json!(123.45)), err("f", "money must be given as a decimal string, not a float"));
    assert_eq!(m(json!(100)), err("f", "money must be given as a decimal string, not a float"));
    assert_eq!(
        m(json!({"amount": 1.5, "currency": "CNY"})),
        err("f.amount", "money must be given as a decimal string, not a float")
    );
    assert_eq!(
        m(json!({"amount": "1", "currency": "USD"})),
        err("f.currency", "`USD` is not this field's currency; expected `CNY`")
    );
    assert_eq!(m(json!({"amount": "1", "rate": "7.1"})), err("f.rate", "unknown field"));
    assert_eq!(m(json!({"currency": "CNY"})), err("f.amount", "required"));
    assert_eq!(m(json!("12,000.00")), err("f", "`12,000.00` is not a decimal amount"));
    assert_eq!(m(json!("1e3")), err("f", "`1e3` is not a decimal amount"));
    assert_eq!(
        m(json!(true)),
        err(
            "f",
            "expected an amount of money (a decimal string or an object with `amount` and `currency`), got yes or no"
        )
    );
    assert_eq!(m(json!("10000.01")), err("f", "`10000.01` is out of range: must be between 0 and 10000"));
    assert_eq!(m(json!("-1")), err("f", "`-1.00` is out of range: must be between 0 and 10000"));
    assert_eq!(m(json!({"amount": "-1"})), err("f.amount", "`-1.00` is out of range: must be between 0 and 10000"));
    assert_eq!(m(json!("")), Ok(Value::Null));
    let any = |v| w.one(json!({"type": "money"}), v);
    assert_eq!(
        any(json!("1000000000000000")),
        err("f", "`1000000000000000.00` is beyond the largest amount, 999999999999999")
    );
    assert_eq!(any(json!("-999999999999999")), cny("-999999999999999.00"));
}

#[test]
fn money_is_rounded_half_up_to_the_currencys_minor_unit() {
    let w = World::new();
    let cny = |v| w.one(json!({"type": "money"}), v);
    assert_eq!(cny(json!("1.005")), Ok(json!({"amount": "1.01", "currency": "CNY"})));
    assert_eq!(cny(json!("1.004")), Ok(json!({"amount": "1.00", "currency": "CNY"})));
    assert_eq!(cny(json!("-1.005")), Ok(json!({"amount": "-1.01", "currency": "CNY"})));
    assert_eq!(cny(json!("-0.001")), Ok(json!({"amount": "0.00", "currency": "CNY"})), "no negative zero");
    let jpy = |v| w.one(json!({"type": "money", "currency": "JPY"}), v);
    assert_eq!(jpy(json!("2.5")), Ok(json!({"amount": "3", "currency": "JPY"})));
    let kwd = |v| w.one(json!({"type": "money", "currency": "KWD"}), v);
    assert_eq!(kwd(json!("1.0005")), Ok(json!({"amount": "1.001", "currency": "KWD"})));
    // The range applies to the rounded amount.
    let capped = |v| w.one(json!({"type": "money", "max": "1.00"}), v);
    assert_eq!(capped(json!("1.004")), Ok(json!({"amount": "1.00", "currency": "CNY"})));
    assert_eq!(capped(json!("1.005")), err("f", "`1.01` is out of range: must be at most 1.00"));
}

#[test]
fn date() {
    let w = World::new();
    let d = |v| w.one(json!({"type": "date", "min": "2026-01-01", "max": "2026-12-31"}), v);
    assert_eq!(d(json!("2026-03-08")), Ok(json!("2026-03-08")));
    assert_eq!(d(json!("2026-3-8")), Ok(json!("2026-03-08")));
    assert_eq!(d(json!("2026-02-30")), err("f", "`2026-02-30` is not a date (YYYY-MM-DD)"));
    assert_eq!(d(json!("08/03/2026")), err("f", "`08/03/2026` is not a date (YYYY-MM-DD)"));
    assert_eq!(
        d(json!("2025-12-31")),
        err("f", "`2025-12-31` is out of range: must be between 2026-01-01 and 2026-12-31")
    );
    assert_eq!(d(json!(20260308)), err("f", "expected a date (YYYY-MM-DD), got a number"));
}

#[test]
fn date_time() {
    let w = World::new();
    let d = |v| w.one(json!({"type": "date_time", "min": "2026-01-01T00:00:00Z"}), v);
    assert_eq!(d(json!("2026-01-05T09:00:00+08:00")), Ok(json!("2026-01-05T01:00:00Z")));
    assert_eq!(d(json!("2026-01-05T01:00:00.250Z")), Ok(json!("2026-01-05T01:00:00.250Z")));
    assert_eq!(
        d(json!("2026-01-05 09:00")),
        err(
            "f",
            "`2026-01-05 09:00` is not a date and time with an offset (RFC 3339, such as 2026-01-05T09:00:00+08:00)"
        )
    );
    assert_eq!(
        d(json!("2026-01-01T07:59:59+08:00")),
        err("f", "`2025-12-31T23:59:59Z` is out of range: must be at least 2026-01-01T00:00:00Z")
    );
}

#[test]
fn yes_no() {
    let w = World::new();
    let y = |v| w.one(json!({"type": "yes_no", "required": true}), v);
    assert_eq!(y(json!(true)), Ok(json!(true)));
    assert_eq!(y(json!(false)), Ok(json!(false)), "no is an answer");
    assert_eq!(y(json!("yes")), err("f", "expected yes or no (true or false), got text"));
    assert_eq!(y(Value::Null), err("f", "required"));
}

#[test]
fn choice() {
    let w = World::new();
    let def = json!({"type": "choice", "options": [{"value": "annual", "label": "年假"}, {"value": "sick", "label": "病假"}]});
    let c = |v| w.one(def.clone(), v);
    assert_eq!(c(json!("sick")), Ok(json!("sick")));
    assert_eq!(c(json!("holiday")), err("f", "`holiday` is not one of the options: `annual`, `sick`"));
    assert_eq!(c(json!(["sick"])), err("f", "expected one of the options, got a list"));
}

#[test]
fn multi_choice() {
    let w = World::new();
    let def = json!({"type": "multi_choice", "min_selected": 2, "max_selected": 3, "options": [
        {"value": "a", "label": "A"}, {"value": "b", "label": "B"}, {"value": "c", "label": "C"}, {"value": "d", "label": "D"}]});
    let m = |v| w.one(def.clone(), v);
    assert_eq!(m(json!(["c", "a"])), Ok(json!(["a", "c"])), "stored in the options' order");
    assert_eq!(m(json!([])), Ok(Value::Null));
    assert_eq!(m(json!(["a"])), err("f", "choose at least 2, got 1"));
    assert_eq!(m(json!(["a", "b", "c", "d"])), err("f", "choose at most 3, got 4"));
    assert_eq!(m(json!(["a", "a"])), err("f[1]", "`a` is chosen twice"));
    assert_eq!(
        m(json!(["a", "x", 3])),
        Err(vec![
            ("f[1]".to_string(), "`x` is not one of the options: `a`, `b`, `c`, `d`".to_string()),
            ("f[2]".to_string(), "expected an option, got a number".to_string()),
        ])
    );
    assert_eq!(m(json!("a")), err("f", "expected a list of options, got text"));
    assert_eq!(m(json!(["a", "b", "c", "d", "a"])), err("f", "at most 4 options can be chosen, got 5"));
}

#[test]
fn person_must_exist_and_be_active() {
    let w = World::new();
    let p = |v| w.one(json!({"type": "person"}), v);
    let alice = w.alice.to_string();
    assert_eq!(p(json!(alice)), Ok(json!(alice)));
    assert_eq!(p(json!(alice.to_lowercase())), Ok(json!(alice)), "ids are stored in their canonical spelling");
    assert_eq!(p(json!(w.bob.to_string())), err("f", "`bob` is not an active person"));
    assert_eq!(p(json!(w.root.to_string())), err("f", &format!("no person has id `{}`", w.root)));
    assert_eq!(p(json!("alice")), err("f", "`alice` is not a person id"));
    assert_eq!(p(json!(1)), err("f", "expected a person id, got a number"));
}

#[test]
fn department_must_exist_and_be_active() {
    let w = World::new();
    let d = |v| w.one(json!({"type": "department"}), v);
    assert_eq!(d(json!(w.root.to_string())), Ok(json!(w.root.to_string())));
    assert_eq!(d(json!(w.closed.to_string())), err("f", "department `撤销处` is disabled"));
    assert_eq!(d(json!(w.alice.to_string())), err("f", &format!("no department has id `{}`", w.alice)));
    assert_eq!(d(json!("x")), err("f", "`x` is not a department id"));
}

#[test]
fn attachment_refers_to_an_uploaded_file() {
    let w = World::new();
    let a = |v| w.one(json!({"type": "attachment", "max_files": 2}), v);
    let pdf = w.pdf.clone();
    assert_eq!(a(json!([pdf])), Ok(json!([pdf])));
    assert_eq!(a(json!(pdf.to_uppercase())), Ok(json!([pdf])), "one id on its own is stored as a list");
    assert_eq!(a(json!([])), Ok(Value::Null));
    let unknown = "0".repeat(64);
    assert_eq!(a(json!([unknown])), err("f[0]", &format!("no attachment `{unknown}`")));
    assert_eq!(a(json!(["abc"])), err("f[0]", "`abc` is not an attachment id"));
    assert_eq!(a(json!("abc")), err("f", "`abc` is not an attachment id"));
    assert_eq!(a(json!([pdf, pdf])), err("f[1]", &format!("attachment `{pdf}` is listed twice")));
    assert_eq!(a(json!([pdf, pdf, pdf])), err("f", "at most 2 files, got 3"));
    assert_eq!(a(json!({"hash": pdf})), err("f", "expected a list of attachment ids, got an object"));
}

#[test]
fn a_submitter_refers_only_to_attachments_they_may_read() {
    let w = World::new();
    let form = form_of(json!([{"key": "files", "label": "Files", "type": "attachment"}]));
    let data = json!({"files": [w.pdf]});
    // The administrator uploaded it; Alice did not and holds no right to read every file.
    assert!(w.validate_as(&form, &data, submitter(w.admin_id)).is_ok());
    assert_eq!(
        plain(w.validate_as(&form, &data, submitter(w.alice))),
        err("files[0]", &format!("attachment `{}` was not uploaded by you", w.pdf))
    );
    let reader = Some(Submitter { person: w.alice, reads_every_attachment: true });
    assert!(w.validate_as(&form, &data, reader).is_ok());
    // Uploading the same content makes Alice one of its uploaders.
    w.upload_as(w.alice, "copy.pdf", "application/pdf", PDF).unwrap();
    assert!(w.validate_as(&form, &data, submitter(w.alice)).is_ok());
}

#[test]
fn table_rows_are_checked_with_their_paths() {
    let w = World::new();
    let form = form_of(every_kind());
    let data = json!({
        "title": "差旅",
        "items": [
            {"name": "机票", "amount": "1200"},
            {"name": "酒店", "amount": "300.5", "qty": 2},
            {"name": "", "amount": 88.8, "colour": "red"},
            "not a row"
        ]
    });
    assert_eq!(
        w.check(&form, data),
        Err(vec![
            ("items[2].name".to_string(), "required".to_string()),
            ("items[2].amount".to_string(), "money must be given as a decimal string, not a float".to_string()),
            ("items[2].colour".to_string(), "unknown field".to_string()),
            ("items[3]".to_string(), "expected an object of fields, got text".to_string()),
        ])
    );
    let too_many = json!({"title": "t", "items": vec![json!({"name": "x", "amount": "1"}); 6]});
    assert_eq!(w.check(&form, too_many), err("items", "at most 5 rows, got 6"));
    assert_eq!(
        w.check(&form, json!({"title": "t", "items": {"name": "x"}})),
        err("items", "expected a list of rows, got an object")
    );
    let rows = form_of(json!([{"key": "items", "label": "Items", "type": "table", "required": true, "min_rows": 2,
        "fields": [{"key": "x", "label": "X", "type": "number"}]}]));
    assert_eq!(w.check(&rows, json!({"items": []})), err("items", "required"));
    assert_eq!(w.check(&rows, json!({"items": [{"x": 1}]})), err("items", "at least 2 rows, got 1"));
    assert_eq!(w.check(&rows, json!({"items": [{"x": 1}, {}]})), Ok(json!({"items": [{"x": 1}, {}]})));
}

#[test]
fn totals_are_computed_from_their_column() {
    let w = World::new();
    let form = form_of(every_kind());
    let out = w
        .check(
            &form,
            json!({
                "title": "差旅",
                "total": "999999",
                "items": [
                    {"name": "机票", "amount": "1200", "qty": 1},
                    {"name": "酒店", "amount": {"amount": "300.555", "currency": "CNY"}, "qty": 2.5},
                    {"name": "餐补", "amount": "0.1"}
                ]
            }),
        )
        .unwrap();
    assert_eq!(out["total"], json!({"amount": "1500.66", "currency": "CNY"}), "a total given is replaced");
    assert_eq!(out["qtyTotal"], json!(3.5));
    let empty = w.check(&form, json!({"title": "空"})).unwrap();
    assert_eq!(empty, json!({"title": "空", "total": {"amount": "0.00", "currency": "CNY"}, "qtyTotal": 0}));
}

#[test]
fn a_whole_form_reports_every_failing_field() {
    let w = World::new();
    let form = form_of(every_kind());
    let data = json!({
        "postcode": "12345",
        "days": 31,
        "price": 9.99,
        "start": "2027-01-01",
        "urgent": "no",
        "kind": "other",
        "tags": ["a", "b", "c"],
        "deputy": w.bob.to_string(),
        "dept": w.closed.to_string(),
        "files": ["f".repeat(64)],
        "nickname": "x"
    });
    let errors = plain(w.validate_as(&form, &data, None)).unwrap_err();
    let paths: Vec<&str> = errors.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "title", "postcode", "days", "price", "start", "urgent", "kind", "tags", "deputy", "dept", "files[0]",
            "nickname"
        ]
    );
    assert_eq!(errors[0].1, "required");
    assert_eq!(errors[2].1, "`31` is out of range: must be between 0.5 and 30");
    assert_eq!(errors[11].1, "unknown field");
    let message = OaError::Validation(errors.iter().map(|(p, r)| crate::FieldError::new(p, r)).collect()).to_string();
    assert!(message.starts_with("invalid input: title: required; postcode: `12345` does not match"), "{message}");
}

#[test]
fn data_must_be_an_object() {
    let w = World::new();
    let form = form_of(every_kind());
    assert_eq!(w.check(&form, json!([1, 2])), err("data", "expected an object of fields, got a list"));
    assert_eq!(w.check(&form, Value::Null), err("data", "expected an object of fields, got nothing"));
}

#[test]
fn a_valid_form_normalises_every_kind() {
    let w = World::new();
    let form = form_of(every_kind());
    let data = json!({
        "title": " 年假申请 ",
        "postcode": "100000",
        "body": "  回家探亲\n  ",
        "days": "2.55",
        "price": "99.999",
        "yen": {"amount": "1500.4", "currency": "JPY"},
        "start": "2026-2-1",
        "at": "2026-02-01T08:30:00+08:00",
        "urgent": false,
        "kind": "annual",
        "tags": ["b", "a"],
        "deputy": w.alice.to_string().to_lowercase(),
        "dept": w.root.to_string(),
        "files": w.pdf,
        "items": null,
        "total": null
    });
    let out = w.check(&form, data).unwrap();
    assert_eq!(
        out,
        json!({
            "title": "年假申请",
            "postcode": "100000",
            "body": "回家探亲",
            "days": 2.6,
            "price": {"amount": "100.00", "currency": "CNY"},
            "yen": {"amount": "1500", "currency": "JPY"},
            "start": "2026-02-01",
            "at": "2026-02-01T00:30:00Z",
            "urgent": false,
            "kind": "annual",
            "tags": ["a", "b"],
            "deputy": w.alice.to_string(),
            "dept": w.root.to_string(),
            "files": [w.pdf],
            "total": {"amount": "0.00", "currency": "CNY"},
            "qtyTotal": 0
        })
    );
    assert_eq!(w.check(&form, out.clone()), Ok(out), "normalised data validates unchanged");
}
