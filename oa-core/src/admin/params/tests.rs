use oa_storage::{MemoryStore, StoreExt};
use proptest::prelude::*;

use super::*;

fn set(store: &MemoryStore, key: &str, value: ParamValue) -> OaResult<ParamChange> {
    store.write(|tx| write(tx, key, Some(value.clone())))
}

fn reset(store: &MemoryStore, key: &str) -> OaResult<ParamChange> {
    store.write(|tx| write(tx, key, None))
}

fn loaded(store: &MemoryStore) -> Params {
    store.read(|tx| load(tx)).unwrap()
}

/// The single failing field of a validation error, as `(path, reason)`.
fn field(err: OaError) -> (String, String) {
    match err.field_errors() {
        [f] => (f.path.clone(), f.reason.clone()),
        other => panic!("expected one field error, got {other:?} from {err}"),
    }
}

fn int(n: i64) -> ParamValue {
    ParamValue::Int(n)
}

fn text(s: &str) -> ParamValue {
    ParamValue::Text(s.to_string())
}

#[test]
fn an_empty_office_reads_the_defaults() {
    let store = MemoryStore::new();
    assert_eq!(loaded(&store), Params::default());
}

#[test]
fn catalogue_defaults_are_the_typed_defaults() {
    let mut from_catalogue = Params { office_name: String::new(), ..Params::default() };
    from_catalogue.lockout_threshold = 0;
    for spec in CATALOGUE {
        let v = spec.default_value();
        assert_eq!(spec.check(&v), Ok(v.clone()), "default of {} passes its own check", spec.key);
        apply(&mut from_catalogue, spec.key, &v);
    }
    assert_eq!(from_catalogue, Params::default());
}

#[test]
fn catalogue_keys_are_unique_and_declared() {
    let keys: Vec<&str> = CATALOGUE.iter().map(|s| s.key).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), keys.len());
    assert_eq!(catalogue().len(), keys.len());
    let def = param_def(LOCKOUT_THRESHOLD).unwrap();
    assert_eq!(def.kind, ParamKind::Int { min: 1, max: 100 });
    assert_eq!(def.default, int(5));
    assert_eq!(
        param_def(PASSWORD_POLICY).unwrap().kind,
        ParamKind::Choice { options: vec!["owasp".into(), "dengbao3".into()] }
    );
    assert!(param_def("no.such").is_none());
}

#[test]
fn load_after_set_reads_every_kind() {
    let store = MemoryStore::new();
    set(&store, OFFICE_NAME, text("  市政府办公厅 ")).unwrap();
    set(&store, BASE_CURRENCY, text("EUR")).unwrap();
    set(&store, LOCKOUT_THRESHOLD, int(3)).unwrap();
    set(&store, LOCKOUT_WINDOW_MINUTES, int(1440)).unwrap();
    set(&store, LOCKOUT_DURATION_MINUTES, int(1)).unwrap();
    set(&store, SESSION_IDLE_MINUTES, int(10080)).unwrap();
    set(&store, SESSION_ABSOLUTE_HOURS, int(720)).unwrap();
    set(&store, PASSWORD_POLICY, text("dengbao3")).unwrap();
    set(&store, SEPARATION_OF_DUTIES, ParamValue::Bool(true)).unwrap();
    assert_eq!(
        loaded(&store),
        Params {
            office_name: "市政府办公厅".into(),
            base_currency: "EUR".into(),
            lockout_threshold: 3,
            lockout_window_minutes: 1440,
            lockout_duration_minutes: 1,
            session_idle_minutes: 10080,
            session_absolute_hours: 720,
            password_policy: PasswordPolicyPreset::Dengbao3,
            separation_of_duties: true,
        }
    );
}

#[test]
fn set_raw_stores_and_checks() {
    let store = MemoryStore::new();
    store.write(|tx| set_raw(tx, LOCKOUT_THRESHOLD, int(7))).unwrap();
    assert_eq!(loaded(&store).lockout_threshold, 7);
    let err = store.write(|tx| set_raw(tx, LOCKOUT_THRESHOLD, int(0))).unwrap_err();
    assert_eq!(field(err).0, "value");
    assert_eq!(loaded(&store).lockout_threshold, 7);
}

#[test]
fn a_change_reports_before_and_after() {
    let store = MemoryStore::new();
    let c = set(&store, LOCKOUT_THRESHOLD, int(3)).unwrap();
    assert_eq!(c, ParamChange { key: LOCKOUT_THRESHOLD, before: int(5), after: int(3) });
    assert_eq!(ops_summary(&c, false), "auth.lockout.threshold: 5 → 3");
    let c = reset(&store, LOCKOUT_THRESHOLD).unwrap();
    assert_eq!(c, ParamChange { key: LOCKOUT_THRESHOLD, before: int(3), after: int(5) });
    assert_eq!(ops_summary(&c, true), "auth.lockout.threshold: 3 → 5 (default)");
    assert_eq!(loaded(&store), Params::default());
    assert_eq!(store.read(|tx| current(tx, Spec::find(LOCKOUT_THRESHOLD).unwrap())).unwrap(), (int(5), true));
}

fn ops_summary(c: &ParamChange, reset: bool) -> String {
    c.summary(reset)
}

#[test]
fn an_unknown_key_is_refused_on_key() {
    let store = MemoryStore::new();
    let (path, reason) = field(set(&store, "auth.lockout.treshold", int(3)).unwrap_err());
    assert_eq!(path, "key");
    assert_eq!(reason, "`auth.lockout.treshold` is not a parameter");
    assert_eq!(field(reset(&store, "nope").unwrap_err()).0, "key");
    assert_eq!(field(parse_param_value("nope", "1").unwrap_err()).0, "key");
}

#[test]
fn int_out_of_range_names_the_range() {
    let store = MemoryStore::new();
    for (key, bad) in [
        (LOCKOUT_THRESHOLD, 0),
        (LOCKOUT_THRESHOLD, 101),
        (LOCKOUT_WINDOW_MINUTES, 1441),
        (LOCKOUT_DURATION_MINUTES, 10081),
        (SESSION_IDLE_MINUTES, -1),
        (SESSION_ABSOLUTE_HOURS, 721),
    ] {
        let (path, reason) = field(set(&store, key, int(bad)).unwrap_err());
        assert_eq!(path, "value");
        assert!(reason.starts_with("must be a whole number from 1 to "), "{reason}");
        assert!(reason.ends_with(&format!("got `{bad}`")), "{reason}");
    }
    let (_, reason) = field(set(&store, LOCKOUT_THRESHOLD, int(101)).unwrap_err());
    assert_eq!(reason, "must be a whole number from 1 to 100, got `101`");
    assert_eq!(loaded(&store), Params::default());
}

#[test]
fn a_wrong_type_is_refused_on_value() {
    let store = MemoryStore::new();
    let cases = [
        (LOCKOUT_THRESHOLD, text("5"), "must be a whole number from 1 to 100, got text `5`"),
        (LOCKOUT_THRESHOLD, ParamValue::Bool(true), "must be a whole number from 1 to 100, got yes/no `true`"),
        (SEPARATION_OF_DUTIES, int(1), "must be `true` or `false`, got number `1`"),
        (SEPARATION_OF_DUTIES, text("yes"), "must be `true` or `false`, got text `yes`"),
        (OFFICE_NAME, int(3), "must be text of 1 to 100 characters, got number `3`"),
        (PASSWORD_POLICY, ParamValue::Bool(false), "must be one of `owasp`, `dengbao3`, got yes/no `false`"),
        (
            BASE_CURRENCY,
            int(156),
            "must be an ISO 4217 currency code of three capital letters, such as `CNY`, got number `156`",
        ),
    ];
    for (key, value, want) in cases {
        let (path, reason) = field(set(&store, key, value).unwrap_err());
        assert_eq!((path.as_str(), reason.as_str()), ("value", want));
    }
}

#[test]
fn choices_must_be_an_option() {
    let store = MemoryStore::new();
    let (path, reason) = field(set(&store, PASSWORD_POLICY, text("nist")).unwrap_err());
    assert_eq!(path, "value");
    assert_eq!(reason, "must be one of `owasp`, `dengbao3`, got `nist`");
    assert!(set(&store, PASSWORD_POLICY, text("OWASP")).is_err());
    set(&store, PASSWORD_POLICY, text("dengbao3")).unwrap();
    assert_eq!(loaded(&store).password_policy, PasswordPolicyPreset::Dengbao3);
}

#[test]
fn currencies_must_be_iso_codes() {
    let store = MemoryStore::new();
    for bad in ["cny", "CN", "CNYY", "人民币", ""] {
        let (path, reason) = field(set(&store, BASE_CURRENCY, text(bad)).unwrap_err());
        assert_eq!(path, "value");
        assert!(reason.contains("ISO 4217"), "{reason}");
    }
    let (_, reason) = field(set(&store, BASE_CURRENCY, text("ABC")).unwrap_err());
    assert!(reason.starts_with("`ABC` is not an ISO 4217 currency code"), "{reason}");
    set(&store, BASE_CURRENCY, text("USD")).unwrap();
    assert_eq!(loaded(&store).base_currency, "USD");
}

#[test]
fn text_must_be_short_single_line_and_not_blank() {
    let store = MemoryStore::new();
    assert_eq!(field(set(&store, OFFICE_NAME, text("   ")).unwrap_err()).1, "must not be empty");
    let long = "办".repeat(101);
    assert_eq!(field(set(&store, OFFICE_NAME, text(&long)).unwrap_err()).1, "must be at most 100 characters, got 101");
    assert!(field(set(&store, OFFICE_NAME, text("a\nb")).unwrap_err()).1.contains("control characters"));
    set(&store, OFFICE_NAME, text(&"办".repeat(100))).unwrap();
}

#[test]
fn bool_values_store_both_ways() {
    let store = MemoryStore::new();
    set(&store, SEPARATION_OF_DUTIES, ParamValue::Bool(true)).unwrap();
    assert!(loaded(&store).separation_of_duties);
    set(&store, SEPARATION_OF_DUTIES, ParamValue::Bool(false)).unwrap();
    assert!(!loaded(&store).separation_of_duties);
    // Set explicitly to the default value: still stored, so not "default".
    assert_eq!(
        store.read(|tx| current(tx, Spec::find(SEPARATION_OF_DUTIES).unwrap())).unwrap(),
        (ParamValue::Bool(false), false)
    );
}

#[test]
fn parse_turns_text_into_the_right_type() {
    assert_eq!(parse_param_value(LOCKOUT_THRESHOLD, " 3 ").unwrap(), int(3));
    assert_eq!(parse_param_value(SEPARATION_OF_DUTIES, "on").unwrap(), ParamValue::Bool(true));
    assert_eq!(parse_param_value(SEPARATION_OF_DUTIES, "FALSE").unwrap(), ParamValue::Bool(false));
    assert_eq!(parse_param_value(SEPARATION_OF_DUTIES, "0").unwrap(), ParamValue::Bool(false));
    assert_eq!(parse_param_value(BASE_CURRENCY, "eur").unwrap(), text("EUR"));
    assert_eq!(parse_param_value(PASSWORD_POLICY, "DengBao3").unwrap(), text("dengbao3"));
    assert_eq!(parse_param_value(OFFICE_NAME, " 财务处 ").unwrap(), text("财务处"));
    let (path, reason) = field(parse_param_value(LOCKOUT_THRESHOLD, "three").unwrap_err());
    assert_eq!((path.as_str(), reason.as_str()), ("value", "must be a whole number from 1 to 100, got `three`"));
    assert_eq!(field(parse_param_value(LOCKOUT_THRESHOLD, "1000").unwrap_err()).0, "value");
    assert_eq!(field(parse_param_value(SEPARATION_OF_DUTIES, "maybe").unwrap_err()).0, "value");
    assert_eq!(field(parse_param_value(BASE_CURRENCY, "xyz").unwrap_err()).0, "value");
}

#[test]
fn a_stored_value_that_no_longer_fits_reads_as_the_default() {
    let store = MemoryStore::new();
    store
        .write(|tx| {
            db::put(tx, param_key(LOCKOUT_THRESHOLD).as_bytes(), &StoredParam { value: int(500) })?;
            db::put(tx, param_key("some.future.key").as_bytes(), &StoredParam { value: int(1) })?;
            db::put(tx, param_key(SESSION_IDLE_MINUTES).as_bytes(), &StoredParam { value: int(45) })
        })
        .unwrap();
    let p = loaded(&store);
    assert_eq!(p.lockout_threshold, 5);
    assert_eq!(p.session_idle_minutes, 45);
}

#[test]
fn load_scans_past_many_unknown_keys() {
    let store = MemoryStore::new();
    store
        .write(|tx| {
            for i in 0..100 {
                db::put(tx, param_key(&format!("a.unknown.{i:03}")).as_bytes(), &StoredParam { value: int(i) })?;
            }
            Ok::<_, OaError>(())
        })
        .unwrap();
    set(&store, SESSION_ABSOLUTE_HOURS, int(8)).unwrap();
    assert_eq!(loaded(&store).session_absolute_hours, 8);
}

#[test]
fn operations_are_listed() {
    assert_eq!(OPERATIONS, ["list_params", "get_param", "set_param", "reset_param"]);
}

proptest! {
    /// An int parameter takes exactly the numbers in its range.
    #[test]
    fn int_range_is_exact(n in -20_000i64..20_000, which in 0usize..5) {
        let key = [LOCKOUT_THRESHOLD, LOCKOUT_WINDOW_MINUTES, LOCKOUT_DURATION_MINUTES, SESSION_IDLE_MINUTES, SESSION_ABSOLUTE_HOURS][which];
        let Some(spec) = Spec::find(key) else { return Err(TestCaseError::fail("declared")) };
        let Kind::Int(min, max) = spec.kind else { return Err(TestCaseError::fail("an int")) };
        prop_assert_eq!(spec.check(&int(n)).is_ok(), (min..=max).contains(&n));
        prop_assert_eq!(parse_param_value(key, &n.to_string()).is_ok(), (min..=max).contains(&n));
    }

    /// Parsing any text never panics, and what it accepts passes the parameter's check.
    #[test]
    fn parse_accepts_only_valid_values(s in "\\PC{0,12}", which in 0usize..9) {
        let spec = &CATALOGUE[which];
        if let Ok(v) = parse_param_value(spec.key, &s) {
            prop_assert_eq!(spec.check(&v), Ok(v.clone()));
        }
    }
}

// --- through the office ---------------------------------------------------------------------

mod through_the_office {
    use super::*;
    use crate::audit::AuditQuery;
    use crate::auth::InitAccount;
    use crate::clock::ManualClock;
    use crate::engine::{Oa, Session};
    use crate::init::InitOffice;
    use crate::page::PageRequest;

    const PW: &str = "correct horse battery";

    fn office(sod: bool) -> Oa {
        let mut input = InitOffice::new("市政府办公厅", "admin", "管理员", PW);
        if sod {
            input = input.with_separation_of_duties(
                InitAccount::new("secadmin", "安全管理员", PW),
                InitAccount::new("auditor", "审计员", PW),
            );
        }
        Oa::init(MemoryStore::new(), ManualClock::monday_morning(), input).unwrap()
    }

    fn sign_in(oa: &Oa, login: &str) -> Session {
        oa.sign_in(login, PW).unwrap()
    }

    #[test]
    fn set_get_list_reset_and_audit() {
        let oa = office(false);
        let s = sign_in(&oa, "admin");
        let listed = oa.list_params(&s).unwrap();
        assert_eq!(listed.len(), CATALOGUE.len());
        let name = listed.iter().find(|p| p.def.key == OFFICE_NAME).unwrap();
        assert_eq!((&name.value, name.is_default), (&text("市政府办公厅"), false));
        assert!(listed.iter().filter(|p| p.def.key != OFFICE_NAME).all(|p| p.is_default && p.value == p.def.default));

        let set = oa.set_param(&s, LOCKOUT_THRESHOLD, int(3)).unwrap();
        assert_eq!((set.value.clone(), set.is_default), (int(3), false));
        assert_eq!(oa.get_param(&s, LOCKOUT_THRESHOLD).unwrap(), set);
        let err = oa.set_param(&s, LOCKOUT_THRESHOLD, int(0)).unwrap_err();
        assert_eq!(field(err).0, "value");
        assert_eq!(field(oa.set_param(&s, "nope", int(0)).unwrap_err()).0, "key");
        assert_eq!(oa.get_param(&s, "nope").unwrap_err().code(), "not_found");
        let reset = oa.reset_param(&s, LOCKOUT_THRESHOLD).unwrap();
        assert_eq!((reset.value, reset.is_default), (int(5), true));

        let q = AuditQuery { target: Some(format!("param:{LOCKOUT_THRESHOLD}")), ..Default::default() };
        let page = oa.list_audit(&s, q, PageRequest::first(10)).unwrap();
        let summaries: Vec<&str> = page.items.iter().map(|r| r.summary.as_str()).collect();
        assert_eq!(summaries, ["auth.lockout.threshold: 3 → 5 (default)", "auth.lockout.threshold: 5 → 3"]);
        assert_eq!(page.items[1].operation, "admin.param.set");
        assert_eq!(oa.get_audit_record(&s, page.items[0].seq).unwrap(), page.items[0]);
        assert!(oa.verify_audit_chain(&s).unwrap().is_intact());
    }

    #[test]
    fn separation_of_duties_keeps_the_log_to_the_auditor() {
        let oa = office(true);
        let admin = sign_in(&oa, "admin");
        let auditor = sign_in(&oa, "auditor");
        let err = oa.list_audit(&admin, AuditQuery::default(), PageRequest::default()).unwrap_err();
        assert_eq!(err.code(), "permission_denied");
        let q = AuditQuery { operation: Some("audit.log.list".into()), ..Default::default() };
        let denied = oa.list_audit(&auditor, q, PageRequest::default()).unwrap();
        assert_eq!(denied.items.len(), 1);
        assert_eq!(denied.items[0].outcome, crate::audit::AuditOutcome::Denied);
        assert_eq!(denied.items[0].actor_login.as_deref(), Some("admin"));
        let report = oa.verify_audit_chain(&auditor).unwrap();
        assert!(report.is_intact(), "{report:?}");
        assert_eq!(oa.set_param(&auditor, LOCKOUT_THRESHOLD, int(3)).unwrap_err().code(), "permission_denied");
    }

    #[test]
    fn turning_separation_of_duties_off_and_on() {
        let oa = office(true);
        let admin = sign_in(&oa, "admin");
        oa.set_param(&admin, SEPARATION_OF_DUTIES, ParamValue::Bool(false)).unwrap();
        assert_eq!(oa.get_param(&admin, SEPARATION_OF_DUTIES).unwrap().value, ParamValue::Bool(false));
        oa.set_param(&admin, SEPARATION_OF_DUTIES, ParamValue::Bool(true)).unwrap();
        assert_eq!(oa.get_param(&admin, SEPARATION_OF_DUTIES).unwrap().value, ParamValue::Bool(true));
    }
}

/// A parameter read through the cache is the value the transaction reads: a value set, reset,
/// set in a transaction rolled back, stored out of range, or set in another store sharing the
/// cache is never missed.
#[test]
fn cached_parameters_follow_every_change() {
    let (store, other) = (MemoryStore::new(), MemoryStore::new());
    let cache = ParamsCache::default();
    let idle = |store: &MemoryStore| store.read(|tx| cache.count(tx, SESSION_IDLE_MINUTES)).unwrap();
    for _ in 0..2 {
        assert_eq!(idle(&store), 30);
    }

    set(&store, SESSION_IDLE_MINUTES, int(5)).unwrap();
    for _ in 0..2 {
        assert_eq!(idle(&store), 5);
        assert_eq!(idle(&other), 30, "another store reads its own");
    }
    set(&other, SESSION_IDLE_MINUTES, int(6)).unwrap();
    assert_eq!((idle(&store), idle(&other)), (5, 6));

    let rolled_back: OaResult<()> = store.write(|tx| {
        write(tx, SESSION_IDLE_MINUTES, Some(int(7)))?;
        assert_eq!(cache.count(tx.as_read(), SESSION_IDLE_MINUTES)?, 7, "a transaction sees its own change");
        Err(OaError::Internal("roll back".into()))
    });
    assert!(rolled_back.is_err());
    assert_eq!(idle(&store), 5);

    // A value a later release would refuse reads as the default, as `load` reads it.
    store.write(|tx| db::put(tx, param_key(SESSION_IDLE_MINUTES).as_bytes(), &StoredParam { value: int(0) })).unwrap();
    assert_eq!(idle(&store), 30);
    assert_eq!(loaded(&store).session_idle_minutes, 30);

    reset(&store, SESSION_IDLE_MINUTES).unwrap();
    assert_eq!(idle(&store), 30);
    assert_eq!(
        store.read(|tx| cache.count(tx, SESSION_ABSOLUTE_HOURS)).unwrap(),
        loaded(&store).session_absolute_hours
    );
}
