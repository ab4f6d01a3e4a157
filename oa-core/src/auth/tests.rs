//! End-to-end tests of initialisation and sign-in over a memory store and a manual clock.

use chrono::Duration;
use oa_storage::MemoryStore;

use super::InitAccount;
use crate::admin::params::{ParamValue, PASSWORD_POLICY, SESSION_IDLE_MINUTES};
use crate::audit::{AuditOutcome, AuditQuery};
use crate::org::{NewPerson, PersonId};
use crate::page::PageRequest;
use crate::{Clock, InitOffice, ManualClock, Oa, OaError, Session};

const ADMIN_PW: &str = "correct horse battery";

struct Office {
    oa: Oa,
    store: MemoryStore,
    clock: ManualClock,
}

fn office() -> Office {
    let store = MemoryStore::new();
    let clock = ManualClock::monday_morning();
    let oa = Oa::init(store.clone(), clock.clone(), InitOffice::new("宏远科技", "admin", "管理员", ADMIN_PW)).unwrap();
    Office { oa, store, clock }
}

impl Office {
    fn admin(&self) -> Session {
        self.oa.sign_in("admin", ADMIN_PW).unwrap()
    }

    /// A person created by the administrator with an initial password (to be changed).
    fn person(&self, admin: &Session, login: &str, password: &str) -> PersonId {
        let root = self.oa.whoami(admin).unwrap().dept;
        let mut input = NewPerson::new(login, login, root);
        input.initial_password = Some(password.into());
        self.oa.create_person(admin, input).unwrap().id
    }

    fn set_param(&self, admin: &Session, key: &str, value: ParamValue) {
        self.oa.set_param(admin, key, value).unwrap();
    }

    fn audit(&self, admin: &Session, operation: &str) -> Vec<crate::AuditRecord> {
        let query = AuditQuery { operation: Some(operation.into()), ..Default::default() };
        self.oa.list_audit(admin, query, PageRequest::first(1000)).unwrap().items
    }

    fn store_holds(&self, needle: &str) -> bool {
        self.store.entries().iter().any(|(k, v)| {
            k.windows(needle.len()).any(|w| w == needle.as_bytes())
                || v.windows(needle.len()).any(|w| w == needle.as_bytes())
        })
    }
}

fn unauthenticated(r: crate::OaResult<impl std::fmt::Debug>) -> String {
    match r {
        Err(OaError::Unauthenticated(m)) => m,
        other => panic!("expected unauthenticated, got {other:?}"),
    }
}

#[test]
fn init_creates_an_office_whose_administrator_signs_in() {
    let o = office();
    let admin = o.admin();
    let me = o.oa.whoami(&admin).unwrap();
    assert_eq!(me.login, "admin");
    assert_eq!(me.name, "管理员");
    assert!(!me.must_change_password);
    assert!(me.permissions.iter().any(|p| p == "auth.password.reset"), "{:?}", me.permissions);
    assert!(me.password_expires_at.is_none(), "no forced expiry under owasp");
    assert_eq!(me.session_expires_at, o.clock.now() + Duration::hours(12));
    assert_eq!(o.oa.get_param(&admin, "office.name").unwrap().value, ParamValue::Text("宏远科技".into()));
    assert_eq!(o.oa.get_department(&admin, me.dept).unwrap().name, "宏远科技");
    // Neither the password nor the token is kept in the clear.
    assert!(!o.store_holds(ADMIN_PW));
    assert!(!o.store_holds(admin.token()));
    assert_eq!(o.audit(&admin, "office.init").len(), 1);
}

#[test]
fn init_refuses_a_store_that_holds_anything() {
    let o = office();
    let before = o.store.entries();
    let err = Oa::init(o.store.clone(), o.clock.clone(), InitOffice::new("B", "boss", "Boss", ADMIN_PW)).unwrap_err();
    assert_eq!(err.code(), "invalid_state");
    assert_eq!(o.store.entries(), before, "nothing written");

    let foreign = MemoryStore::from_entries([(b"x".to_vec(), b"y".to_vec())]);
    let err = Oa::init(foreign.clone(), o.clock.clone(), InitOffice::new("B", "boss", "Boss", ADMIN_PW)).unwrap_err();
    assert_eq!(err.code(), "incompatible_store");
    assert_eq!(foreign.len(), 1);
}

#[test]
fn init_reports_every_bad_field_and_writes_nothing() {
    let store = MemoryStore::new();
    let mut input = InitOffice::new(" ", "a b", "", "short");
    input.auditor = Some(InitAccount::new("aud", "Auditor", "auditor-password"));
    let err = Oa::init(store.clone(), ManualClock::monday_morning(), input).unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["office_name", "admin_login", "admin_name", "admin_password", "auditor"]);
    assert!(!err.to_string().contains("short"), "the password is never quoted");
    assert!(store.is_empty());

    let sod = InitOffice { separation_of_duties: true, ..InitOffice::new("O", "root", "Root", ADMIN_PW) };
    let err = sod.validate().unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["security_admin", "auditor"]);

    let clash = InitOffice::new("O", "root", "Root", ADMIN_PW).with_separation_of_duties(
        InitAccount::new("ROOT", "Sec", "1234567"),
        InitAccount::new("aud", "Aud", ADMIN_PW),
    );
    let err = clash.validate().unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["security_admin.password", "security_admin.login"]);
    let debug = format!("{clash:?}");
    assert!(!debug.contains(ADMIN_PW) && !debug.contains("1234567"), "{debug}");
}

#[test]
fn separation_of_duties_starts_with_three_accounts() {
    let store = MemoryStore::new();
    let input = InitOffice::new("O", "sys", "System", ADMIN_PW).with_separation_of_duties(
        InitAccount::new("sec", "Security", "security password"),
        InitAccount::new("aud", "Auditor", "auditor password"),
    );
    let oa = Oa::init(store, ManualClock::monday_morning(), input).unwrap();
    let sys = oa.whoami(&oa.sign_in("sys", ADMIN_PW).unwrap()).unwrap();
    let sec = oa.whoami(&oa.sign_in("sec", "security password").unwrap()).unwrap();
    let aud = oa.whoami(&oa.sign_in("aud", "auditor password").unwrap()).unwrap();
    let holds = |me: &crate::Me, p: &str| me.permissions.iter().any(|x| x == p);
    assert!(holds(&sys, "org.person.create") && !holds(&sys, "auth.password.reset") && !holds(&sys, "audit.log.read"));
    assert!(holds(&sec, "auth.password.reset") && !holds(&sec, "org.person.create"));
    assert!(holds(&aud, "audit.log.read") && !holds(&aud, "auth.password.reset"));
}

#[test]
fn wrong_passwords_lock_the_login_for_a_while() {
    let o = office();
    for _ in 0..4 {
        assert_eq!(unauthenticated(o.oa.sign_in("admin", "bad-guess-1")), "invalid login or password");
    }
    let err = o.oa.sign_in("ADMIN", "bad-guess-1").unwrap_err();
    assert_eq!(err, OaError::AccountLocked { until: "2026-01-05T09:15:00Z".into() });
    // Locked: the right password is refused too.
    assert_eq!(o.oa.sign_in("admin", ADMIN_PW).unwrap_err().code(), "account_locked");
    o.clock.advance(Duration::minutes(15));
    let admin = o.admin();
    // A success clears the count: four more failures do not lock.
    for _ in 0..4 {
        assert_eq!(o.oa.sign_in("admin", "nope nope").unwrap_err().code(), "unauthenticated");
    }
    o.admin();
    // Every attempt is audited with the login typed, never the password.
    let records = o.audit(&admin, "auth.sign_in");
    let failed = records.iter().filter(|r| r.outcome == AuditOutcome::Failed).count();
    assert_eq!(failed, 4 + 1 + 1 + 4);
    assert!(records.iter().any(|r| r.actor_login.as_deref() == Some("ADMIN")));
    assert!(records.iter().all(|r| !r.summary.contains("bad-guess") && !r.summary.contains(ADMIN_PW)));
    assert!(!o.store_holds("nope nope") && !o.store_holds("bad-guess-1"));
}

#[test]
fn an_unknown_login_is_indistinguishable_from_a_wrong_password() {
    let o = office();
    for _ in 0..4 {
        assert_eq!(unauthenticated(o.oa.sign_in("nobody", "whatever123")), "invalid login or password");
    }
    assert_eq!(o.oa.sign_in("nobody", "whatever123").unwrap_err().code(), "account_locked");
    assert_eq!(o.oa.sign_in("Nobody", "whatever123").unwrap_err().code(), "account_locked");
    assert_eq!(unauthenticated(o.oa.sign_in("", "")), "invalid login or password");
    let admin = o.admin();
    let records = o.audit(&admin, "auth.sign_in");
    assert!(records.iter().any(|r| r.actor_login.as_deref() == Some("nobody") && r.actor.is_none()));
}

#[test]
fn a_disabled_or_departed_person_cannot_sign_in_and_loses_their_sessions() {
    let o = office();
    let admin = o.admin();
    let zhang = o.person(&admin, "zhang", "initial pw 1");
    let s = o.oa.sign_in("zhang", "initial pw 1").unwrap();
    o.oa.disable_person(&admin, zhang).unwrap();
    assert_eq!(unauthenticated(o.oa.whoami(&s)), "account disabled");
    assert_eq!(unauthenticated(o.oa.sign_in("zhang", "initial pw 1")), "invalid login or password");
    o.oa.enable_person(&admin, zhang).unwrap();
    let s = o.oa.sign_in("zhang", "initial pw 1").unwrap();
    o.oa.mark_person_left(&admin, zhang).unwrap();
    assert_eq!(o.oa.whoami(&s).unwrap_err().code(), "unauthenticated");
    assert_eq!(unauthenticated(o.oa.sign_in("zhang", "initial pw 1")), "invalid login or password");
}

#[test]
fn sessions_expire_when_idle_and_after_the_absolute_limit() {
    let o = office();
    let s = o.admin();
    // Used every 20 minutes, the session outlives the 30-minute idle limit...
    for _ in 0..3 {
        o.clock.advance(Duration::minutes(20));
        o.oa.whoami(&s).unwrap();
    }
    // ...but not 30 minutes of silence.
    o.clock.advance(Duration::minutes(30));
    assert_eq!(unauthenticated(o.oa.whoami(&s)), "session expired");
    // The absolute limit (12 hours) ends even a busy session.
    let s = o.admin();
    for _ in 0..35 {
        o.clock.advance(Duration::minutes(20));
        o.oa.whoami(&s).unwrap();
    }
    o.clock.advance(Duration::minutes(20));
    assert_eq!(unauthenticated(o.oa.whoami(&s)), "session expired");
    // Parameters apply at once.
    let s = o.admin();
    o.set_param(&s, SESSION_IDLE_MINUTES, ParamValue::Int(5));
    o.clock.advance(Duration::minutes(5));
    assert_eq!(unauthenticated(o.oa.whoami(&s)), "session expired");
    // An expired session can still sign out (and is gone).
    o.oa.sign_out(&s).unwrap();
    assert_eq!(unauthenticated(o.oa.sign_out(&s)), "invalid session");
}

#[test]
fn forged_and_signed_out_tokens_are_refused() {
    let o = office();
    let s = o.admin();
    assert_eq!(unauthenticated(o.oa.whoami(&Session::from_token("forged"))), "invalid session");
    let almost: String = s.token().chars().rev().collect();
    assert_eq!(unauthenticated(o.oa.whoami(&Session::from_token(almost))), "invalid session");
    o.oa.sign_out(&s).unwrap();
    assert_eq!(unauthenticated(o.oa.whoami(&s)), "invalid session");
    assert_eq!(format!("{s:?}"), "Session(<redacted>)");
}

#[test]
fn a_reset_forces_a_change_at_the_next_sign_in() {
    let o = office();
    let admin = o.admin();
    let li = o.person(&admin, "li", "first password");
    let old = o.oa.sign_in("li", "first password").unwrap();
    // An initial password must be changed first.
    assert!(o.oa.whoami(&old).unwrap().must_change_password);
    assert_eq!(o.oa.list_sessions(&old, li).unwrap_err(), OaError::PasswordChangeRequired);
    o.oa.change_password(&old, "first password", "second password").unwrap();
    assert_eq!(o.oa.list_sessions(&old, li).unwrap().len(), 1);

    // Li cannot reset passwords; the administrator can.
    assert_eq!(o.oa.reset_password(&old, li, "li resets li").unwrap_err().code(), "permission_denied");
    let err = o.oa.reset_password(&admin, li, "short").unwrap_err();
    assert_eq!(err.field_errors()[0].path, "new_password");
    o.oa.reset_password(&admin, li, "temporary password").unwrap();
    assert_eq!(unauthenticated(o.oa.whoami(&old)), "invalid session", "a reset revokes the sessions");
    assert_eq!(o.oa.sign_in("li", "second password").unwrap_err().code(), "unauthenticated");
    let s = o.oa.sign_in("li", "temporary password").unwrap();
    assert!(o.oa.whoami(&s).unwrap().must_change_password);
    assert_eq!(o.oa.revoke_sessions_of(&s, li).unwrap_err(), OaError::PasswordChangeRequired);

    // Every failing field at once; the temporary password cannot be kept.
    let err = o.oa.change_password(&s, "wrong", "x").unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["old_password", "new_password"]);
    let err = o.oa.change_password(&s, "temporary password", "temporary password").unwrap_err();
    assert_eq!(err.field_errors()[0].reason, "must differ from the current password");
    o.oa.change_password(&s, "temporary password", "third password").unwrap();
    assert!(!o.oa.whoami(&s).unwrap().must_change_password);
    o.oa.list_sessions(&s, li).unwrap();
    assert!(o.oa.sign_in("li", "third password").is_ok());
}

#[test]
fn wrong_current_passwords_count_towards_the_lock_out() {
    let o = office();
    let s = o.admin();
    for _ in 0..4 {
        assert_eq!(o.oa.change_password(&s, "not it", "new password 1").unwrap_err().code(), "validation");
    }
    assert_eq!(o.oa.change_password(&s, "not it", "new password 1").unwrap_err().code(), "account_locked");
    assert_eq!(o.oa.change_password(&s, ADMIN_PW, "new password 1").unwrap_err().code(), "account_locked");
    assert_eq!(o.oa.sign_in("admin", ADMIN_PW).unwrap_err().code(), "account_locked");
    o.oa.whoami(&s).unwrap();
}

#[test]
fn dengbao3_wants_mixed_passwords_remembers_five_and_expires_them() {
    let o = office();
    let admin = o.admin();
    o.set_param(&admin, PASSWORD_POLICY, ParamValue::Text("dengbao3".into()));
    let wang = o.person(&admin, "wang", "Initial-1");
    let s = o.oa.sign_in("wang", "Initial-1").unwrap();
    let err = o.oa.change_password(&s, "Initial-1", "alllowercase").unwrap_err();
    assert!(err.field_errors()[0].reason.contains("at least 3 of these kinds"), "{err}");
    let mut current = "Initial-1".to_string();
    for i in 2..=5 {
        let next = format!("Password-{i}");
        o.oa.change_password(&s, &current, &next).unwrap();
        current = next;
    }
    // The last five: Initial-1, Password-2..5.
    for reused in ["Initial-1", "Password-2", "Password-5"] {
        let err = o.oa.change_password(&s, &current, reused).unwrap_err();
        assert_eq!(err.field_errors()[0].reason, "must differ from the last 5 passwords", "{reused}");
    }
    o.oa.change_password(&s, &current, "Password-6").unwrap();
    o.oa.change_password(&s, "Password-6", "Initial-1").unwrap();

    // After 90 days a sign-in succeeds but asks for a change.
    let me = o.oa.whoami(&s).unwrap();
    assert_eq!(me.password_expires_at, Some(o.clock.now() + Duration::days(90)));
    o.clock.advance(Duration::days(90));
    let s = o.oa.sign_in("wang", "Initial-1").unwrap();
    assert!(o.oa.whoami(&s).unwrap().must_change_password);
    assert_eq!(o.oa.list_sessions(&s, wang).unwrap_err(), OaError::PasswordChangeRequired);
    o.oa.change_password(&s, "Initial-1", "Password-7").unwrap();
    assert_eq!(o.oa.list_sessions(&s, wang).unwrap().len(), 1);
}

#[test]
fn sessions_are_listed_and_revoked_by_their_owner_or_with_permission() {
    let o = office();
    let admin = o.admin();
    let zhao = o.person(&admin, "zhao", "zhao password");
    let first = o.oa.sign_in("zhao", "zhao password").unwrap();
    o.oa.change_password(&first, "zhao password", "zhao password 2").unwrap();
    let a = o.oa.sign_in("zhao", "zhao password 2").unwrap();
    let b = o.oa.sign_in("zhao", "zhao password 2").unwrap();
    let mine = o.oa.list_sessions(&a, zhao).unwrap();
    assert_eq!(mine.len(), 3);
    assert_eq!(mine.iter().filter(|s| s.current).count(), 1);
    assert!(mine.windows(2).all(|w| w[0].id < w[1].id));
    let admin_id = o.oa.whoami(&admin).unwrap().person;
    assert_eq!(o.oa.list_sessions(&a, admin_id).unwrap_err().code(), "permission_denied");
    assert_eq!(o.oa.list_sessions(&admin, zhao).unwrap().len(), 3);
    assert_eq!(o.oa.list_sessions(&admin, PersonId(crate::Id::default())).unwrap_err().code(), "not_found");

    // Zhao ends the first session from the second.
    o.oa.revoke_session(&a, mine[0].id).unwrap();
    assert_eq!(unauthenticated(o.oa.whoami(&first)), "invalid session");
    let admin_session = o.oa.list_sessions(&admin, admin_id).unwrap()[0].id;
    assert_eq!(o.oa.revoke_session(&a, admin_session).unwrap_err().code(), "permission_denied");
    assert_eq!(o.oa.revoke_session(&a, mine[0].id).unwrap_err().code(), "not_found");

    // The administrator ends the rest.
    assert_eq!(o.oa.revoke_sessions_of(&admin, zhao).unwrap(), 2);
    assert_eq!(unauthenticated(o.oa.whoami(&a)), "invalid session");
    assert_eq!(unauthenticated(o.oa.whoami(&b)), "invalid session");
    let revokes = o.audit(&admin, "auth.session.revoke_all");
    assert_eq!(revokes.len(), 1);
    let denied = o.audit(&admin, "auth.session.revoke");
    assert!(denied.iter().any(|r| r.outcome == AuditOutcome::Denied));
}

#[test]
fn use_is_written_at_most_about_once_a_minute() {
    let o = office();
    let s = o.admin();
    let entries = || o.store.entries();
    o.clock.advance(Duration::seconds(10));
    let before = entries();
    o.oa.whoami(&s).unwrap();
    assert_eq!(entries(), before, "a read within the minute writes nothing");
    o.clock.advance(Duration::seconds(60));
    o.oa.whoami(&s).unwrap();
    assert_ne!(entries(), before, "a stale last use is written");
    let info = &o.oa.list_sessions(&s, o.oa.whoami(&s).unwrap().person).unwrap()[0];
    assert_eq!(info.last_seen, o.clock.now());
    assert_eq!(info.idle_expires_at, o.clock.now() + Duration::minutes(30));
}

#[test]
fn concurrent_failures_are_all_counted() {
    let o = office();
    let results: Vec<_> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8).map(|_| scope.spawn(|| o.oa.sign_in("admin", "guess guess"))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let locked = results.iter().filter(|r| matches!(r, Err(OaError::AccountLocked { .. }))).count();
    let invalid = results.iter().filter(|r| matches!(r, Err(OaError::Unauthenticated(_)))).count();
    assert_eq!(invalid, 4, "the first four fail, the fifth locks, the rest find it locked");
    assert_eq!(locked, 4);
    assert_eq!(o.oa.sign_in("admin", ADMIN_PW).unwrap_err().code(), "account_locked");
}

/// Every operation checks its session against what its own transaction reads, whatever the
/// handle keeps decoded: a change made through a second handle over the same store (or through
/// this one) is seen by the very next call, by reads and by writes alike.
#[test]
fn a_session_check_sees_every_change_at_once_whichever_handle_made_it() {
    let o = office();
    let other = Oa::open(o.store.clone(), o.clock.clone()).unwrap();
    let admin = o.admin();
    let li = o.person(&admin, "li", "first password");
    let s = o.oa.sign_in("li", "first password").unwrap();
    // Each call twice, so that the second is served from what the first decoded.
    for _ in 0..2 {
        assert!(o.oa.whoami(&s).unwrap().must_change_password);
        assert_eq!(o.oa.list_sessions(&s, li).unwrap_err(), OaError::PasswordChangeRequired);
        assert_eq!(o.oa.revoke_session(&s, crate::id::Id(0)).unwrap_err(), OaError::PasswordChangeRequired);
    }

    // The session record changes (its pending password change is cleared) through the other handle.
    other.change_password(&s, "first password", "second password").unwrap();
    assert!(!o.oa.whoami(&s).unwrap().must_change_password);
    assert_eq!(o.oa.list_sessions(&s, li).unwrap().len(), 1);
    // A write passes its session check too (and finds no such session to revoke).
    assert_eq!(o.oa.revoke_session(&s, crate::id::Id(0)).unwrap_err().code(), "not_found");

    // The person is disabled, then enabled again, through the other handle.
    other.disable_person(&admin, li).unwrap();
    assert_eq!(unauthenticated(o.oa.whoami(&s)), "account disabled");
    assert_eq!(unauthenticated(o.oa.revoke_sessions_of(&s, li)), "account disabled");
    other.enable_person(&admin, li).unwrap();
    let s = o.oa.sign_in("li", "second password").unwrap();
    o.oa.whoami(&s).unwrap();

    // A shorter idle limit set through the other handle applies at once.
    o.clock.advance(Duration::minutes(6));
    o.oa.whoami(&s).unwrap();
    o.oa.whoami(&admin).unwrap();
    other.set_param(&admin, SESSION_IDLE_MINUTES, ParamValue::Int(5)).unwrap();
    o.clock.advance(Duration::minutes(5));
    assert_eq!(unauthenticated(o.oa.whoami(&s)), "session expired");
    let admin = o.admin();
    other.reset_param(&admin, SESSION_IDLE_MINUTES).unwrap();
    o.clock.advance(Duration::minutes(6));
    o.oa.whoami(&admin).unwrap();

    // Signed out through the other handle: refused here, by a read and by a write.
    let s = o.oa.sign_in("li", "second password").unwrap();
    o.oa.whoami(&s).unwrap();
    other.sign_out(&s).unwrap();
    assert_eq!(unauthenticated(o.oa.whoami(&s)), "invalid session");
    assert_eq!(unauthenticated(o.oa.revoke_sessions_of(&s, li)), "invalid session");

    // Revoked through this handle: refused by the other, which had it decoded.
    let s = o.oa.sign_in("li", "second password").unwrap();
    other.whoami(&s).unwrap();
    o.oa.revoke_sessions_of(&admin, li).unwrap();
    assert_eq!(unauthenticated(other.whoami(&s)), "invalid session");
}
