//! Signing in: lock-out, session expiry, sign-out and revocation, password policies.

use chrono::Duration;
use oa::{NewPerson, OaError, PageRequest, ParamValue, PasswordPolicyPreset, PeopleQuery};

use crate::support::{office, on_every_backend, ADMIN_PASSWORD};

fn lock_out_after_five_failures_for_fifteen_minutes(backend: &str) {
    let o = office(backend);
    let oa = &o.oa;
    for _ in 0..4 {
        assert_eq!(oa.sign_in("admin", "wrong").unwrap_err().code(), "unauthenticated");
    }
    // The fifth failure locks; then even the right password is refused.
    assert_eq!(oa.sign_in("admin", "wrong").unwrap_err().code(), "account_locked");
    assert_eq!(oa.sign_in("admin", ADMIN_PASSWORD).unwrap_err().code(), "account_locked");
    // A login that does not exist behaves exactly the same: nothing tells it apart.
    let unknown: Vec<String> = (0..6).map(|_| oa.sign_in("ghost", "wrong").unwrap_err().code().to_string()).collect();
    assert_eq!(
        unknown,
        [
            "unauthenticated",
            "unauthenticated",
            "unauthenticated",
            "unauthenticated",
            "account_locked",
            "account_locked"
        ]
    );
    assert_eq!(
        oa.sign_in("ghost", "x").unwrap_err().to_string().replace("ghost", ""),
        oa.sign_in("admin", "x").unwrap_err().to_string().replace("admin", ""),
    );
    o.clock.advance(Duration::minutes(15) + Duration::seconds(1));
    oa.sign_in("admin", ADMIN_PASSWORD).expect("unlocked after the lock-out period");
}

fn lock_out_follows_its_parameters(backend: &str) {
    let o = office(backend);
    let oa = &o.oa;
    oa.set_param(&o.admin, "auth.lockout.threshold", ParamValue::Int(2)).unwrap();
    oa.set_param(&o.admin, "auth.lockout.duration_minutes", ParamValue::Int(60)).unwrap();
    assert_eq!(oa.sign_in("admin", "wrong").unwrap_err().code(), "unauthenticated");
    assert_eq!(oa.sign_in("admin", "wrong").unwrap_err().code(), "account_locked");
    o.clock.advance(Duration::minutes(30));
    assert_eq!(oa.sign_in("admin", ADMIN_PASSWORD).unwrap_err().code(), "account_locked");
    o.clock.advance(Duration::minutes(31));
    assert!(oa.sign_in("admin", ADMIN_PASSWORD).is_ok());
}

fn sessions_expire_when_idle_and_absolutely(backend: &str) {
    let o = office(backend);
    let oa = &o.oa;
    // Idle: 30 minutes by default.
    let s = oa.sign_in("admin", ADMIN_PASSWORD).unwrap();
    o.clock.advance(Duration::minutes(29));
    assert!(oa.whoami(&s).is_ok());
    o.clock.advance(Duration::minutes(29));
    assert!(oa.whoami(&s).is_ok(), "use keeps a session alive");
    o.clock.advance(Duration::minutes(31));
    assert_eq!(oa.whoami(&s).unwrap_err(), OaError::Unauthenticated("session expired".into()));
    // Absolute: 12 hours by default, however busy.
    let s = oa.sign_in("admin", ADMIN_PASSWORD).unwrap();
    for _ in 0..25 {
        o.clock.advance(Duration::minutes(29));
        let _ = oa.whoami(&s);
    }
    assert_eq!(oa.whoami(&s).unwrap_err().code(), "unauthenticated");
}

fn sign_out_and_revocation_end_sessions(backend: &str) {
    let o = office(backend);
    let oa = &o.oa;
    let me = oa.whoami(&o.admin).unwrap();
    let second = oa.sign_in("admin", ADMIN_PASSWORD).unwrap();
    let third = oa.sign_in("admin", ADMIN_PASSWORD).unwrap();
    assert_eq!(oa.list_sessions(&o.admin, me.person).unwrap().len(), 3);
    oa.sign_out(&second).unwrap();
    assert_eq!(oa.whoami(&second).unwrap_err().code(), "unauthenticated");
    let third_id = oa.whoami(&third).unwrap().session_id;
    oa.revoke_session(&o.admin, third_id).unwrap();
    assert_eq!(oa.whoami(&third).unwrap_err().code(), "unauthenticated");
    assert_eq!(oa.list_sessions(&o.admin, me.person).unwrap().len(), 1);
    // A forged token is refused the same way, and the token never shows in Debug.
    let forged = oa::Session::from_token("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assert_eq!(oa.whoami(&forged).unwrap_err().code(), "unauthenticated");
    assert!(!format!("{:?}", o.admin).contains(o.admin.token()));
}

fn reset_forces_a_change_and_dengbao_policy_applies(backend: &str) {
    let o = office(backend);
    let oa = &o.oa;
    oa.set_param(&o.admin, "auth.password.policy", ParamValue::Text("dengbao3".into())).unwrap();
    let root = oa.list_departments(&o.admin).unwrap()[0].id;
    let p = oa.create_person(&o.admin, NewPerson::new("chenjing", "陈静", root)).unwrap();
    // A weak password is refused under 等保 level 3: three character classes are needed.
    let weak = oa.reset_password(&o.admin, p.id, "alllowercase").unwrap_err();
    assert_eq!(weak.field_errors()[0].path, "new_password");
    oa.reset_password(&o.admin, p.id, "Reset-2026a").unwrap();
    let s = oa.sign_in("chenjing", "Reset-2026a").unwrap();
    assert!(oa.whoami(&s).unwrap().must_change_password);
    assert_eq!(
        oa.list_people(&s, PeopleQuery::default(), PageRequest::first(1)).unwrap_err(),
        OaError::PasswordChangeRequired
    );
    // The last five passwords may not come back.
    let passwords = ["Spring-2026a", "Summer-2026b", "Autumn-2026c", "Winter-2026d"];
    let mut current = "Reset-2026a".to_string();
    for next in passwords {
        oa.change_password(&s, &current, next).unwrap();
        current = next.to_string();
    }
    let s = oa.sign_in("chenjing", &current).unwrap();
    assert_eq!(oa.change_password(&s, &current, "Reset-2026a").unwrap_err().code(), "validation");
    // After 90 days the password must be changed again.
    o.clock.advance(Duration::days(91));
    let s = oa.sign_in("chenjing", &current).unwrap();
    assert!(oa.whoami(&s).unwrap().must_change_password);
    assert!(oa::check_password_policy(PasswordPolicyPreset::Owasp, "long enough", "password").is_ok());
}

on_every_backend!(
    lock_out_after_five_failures_for_fifteen_minutes,
    lock_out_follows_its_parameters,
    sessions_expire_when_idle_and_absolutely,
    sign_out_and_revocation_end_sessions,
    reset_forces_a_change_and_dengbao_policy_applies,
);
