//! The working calendar's operations through the public `Oa` API.

use chrono::{DateTime, NaiveDate, Utc, Weekday};

use super::{WorkCalendarSettings, WorkDuration, WorkHours};
use crate::audit::{AuditOutcome, AuditQuery};
use crate::{PageRequest, Session};

use crate::testing::{clerk, office};

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn any_signed_in_person_may_compute_a_deadline() {
    let (oa, admin) = office();
    let clerk = clerk(&oa, &admin);
    // Friday 17:00 in Beijing + 2 working hours: Monday 10:00.
    let end = oa.add_working_time(&clerk, utc("2026-01-09T09:00:00Z"), WorkDuration::hours(2)).unwrap();
    assert_eq!(end, utc("2026-01-12T02:00:00Z"));
    let err = oa.add_working_time(&Session::from_token("forged"), utc("2026-01-09T09:00:00Z"), WorkDuration::hours(2));
    assert_eq!(err.unwrap_err().code(), "unauthenticated");
}

#[test]
fn administrators_keep_the_calendar() {
    let (oa, admin) = office();
    assert_eq!(oa.get_work_calendar(&admin).unwrap(), WorkCalendarSettings::default());

    let bad = WorkCalendarSettings { working_weekdays: vec![], utc_offset: "UTC+8".into(), ..Default::default() };
    let err = oa.set_work_calendar(&admin, bad).unwrap_err();
    let paths: Vec<&str> = err.field_errors().iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["working_weekdays", "utc_offset"]);

    let six_days = WorkCalendarSettings {
        working_weekdays: vec![Weekday::Sat, Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
        hours: vec![WorkHours::hm((8, 30), (12, 0)).unwrap(), WorkHours::hm((13, 0), (17, 30)).unwrap()],
        utc_offset: "+08:00".into(),
    };
    let saved = oa.set_work_calendar(&admin, six_days).unwrap();
    assert_eq!(saved.working_weekdays.first(), Some(&Weekday::Mon));
    assert_eq!(oa.get_work_calendar(&admin).unwrap(), saved);

    // Test data: a Spring Festival week and a make-up Sunday (not the official dates).
    let holidays = vec![date("2026-02-18"), date("2026-02-16"), date("2026-02-17")];
    let year = oa.set_holidays(&admin, 2026, holidays, vec![date("2026-02-15")]).unwrap();
    assert_eq!(year.holidays, [date("2026-02-16"), date("2026-02-17"), date("2026-02-18")]);
    assert_eq!(oa.list_holidays(&admin, 2026).unwrap(), year);
    assert!(oa.list_holidays(&admin, 2025).unwrap().holidays.is_empty());
    let err = oa.set_holidays(&admin, 2026, vec![date("2026-02-15")], vec![date("2026-02-15")]).unwrap_err();
    assert_eq!(err.field_errors()[0].path, "makeup_days[0]");

    // Saturday 14 February is worked (six-day week); Sunday 15 too (make-up); 16–18 are off.
    // Saturday 17:00 + 1 working hour: Sunday 09:00.
    let end = oa.add_working_time(&admin, utc("2026-02-14T09:00:00Z"), WorkDuration::hours(1)).unwrap();
    assert_eq!(end, utc("2026-02-15T01:00:00Z"));
    let end = oa.add_working_time(&admin, utc("2026-02-15T02:00:00Z"), WorkDuration::days(1)).unwrap();
    assert_eq!(end, utc("2026-02-19T02:00:00Z"));

    let audited = oa
        .list_audit(
            &admin,
            AuditQuery { operation: Some("admin.calendar.holidays.set".into()), ..AuditQuery::default() },
            PageRequest::first(10),
        )
        .unwrap();
    assert_eq!(audited.items.len(), 1, "the refused change left no record");
    assert_eq!(audited.items[0].summary, "2026: 0 holidays, 0 make-up days → 3 holidays, 1 make-up days");

    // A person without the permissions is refused, and the refusal is audited.
    let clerk = clerk(&oa, &admin);
    assert_eq!(oa.get_work_calendar(&clerk).unwrap_err().code(), "permission_denied");
    assert_eq!(oa.set_holidays(&clerk, 2026, vec![], vec![]).unwrap_err().code(), "permission_denied");
    let denied = oa
        .list_audit(
            &admin,
            AuditQuery { operation: Some("admin.calendar.holidays.set".into()), ..AuditQuery::default() },
            PageRequest::first(10),
        )
        .unwrap();
    assert!(denied.items.iter().any(|r| r.outcome == AuditOutcome::Denied));
}

/// Deadlines follow every change of the calendar at once, whichever handle over the store made
/// it, although the calendar built from unchanged records is reused; and offices of one process
/// each count with their own calendar.
#[test]
fn deadlines_follow_calendar_changes_made_through_any_handle() {
    let (oa, admin) = office();
    let other = crate::Oa::open_shared(oa.store(), oa.inner.clock.clone()).unwrap();
    let friday_five_pm = utc("2026-01-09T09:00:00Z");
    let deadline = |oa: &crate::Oa, admin: &Session| oa.add_working_time(admin, friday_five_pm, WorkDuration::hours(2));
    for _ in 0..2 {
        assert_eq!(deadline(&oa, &admin).unwrap(), utc("2026-01-12T02:00:00Z"), "Monday 10:00");
    }

    other.set_holidays(&admin, 2026, vec![date("2026-01-12")], vec![]).unwrap();
    assert_eq!(deadline(&oa, &admin).unwrap(), utc("2026-01-13T02:00:00Z"), "Tuesday 10:00");

    let mut six_days = WorkCalendarSettings::default();
    six_days.working_weekdays.push(Weekday::Sat);
    other.set_work_calendar(&admin, six_days).unwrap();
    assert_eq!(deadline(&oa, &admin).unwrap(), utc("2026-01-10T02:00:00Z"), "Saturday 10:00");

    // Another office of the process keeps the default calendar.
    let (elsewhere, elsewhere_admin) = office();
    assert_eq!(deadline(&elsewhere, &elsewhere_admin).unwrap(), utc("2026-01-12T02:00:00Z"));
    assert_eq!(deadline(&oa, &admin).unwrap(), utc("2026-01-10T02:00:00Z"));

    oa.set_work_calendar(&admin, WorkCalendarSettings::default()).unwrap();
    oa.set_holidays(&admin, 2026, vec![], vec![]).unwrap();
    assert_eq!(deadline(&other, &admin).unwrap(), utc("2026-01-12T02:00:00Z"), "Monday 10:00 again");
}

#[test]
fn anyone_signed_in_learns_todays_date_in_the_offices_zone() {
    use crate::{InitOffice, ManualClock, Oa};
    // A second before midnight in Beijing (the default zone, +08:00) on Monday 5 January.
    let clock = ManualClock::new(utc("2026-01-05T15:59:59Z"));
    let oa = Oa::init(
        oa_storage::MemoryStore::new(),
        clock.clone(),
        InitOffice::new("宏远科技", "admin", "管理员", crate::testing::ADMIN_PW),
    )
    .unwrap();
    let admin = oa.sign_in("admin", crate::testing::ADMIN_PW).unwrap();
    let clerk = clerk(&oa, &admin);
    assert_eq!(oa.today(&clerk).unwrap(), date("2026-01-05"));
    assert_eq!(oa.get_work_calendar(&clerk).unwrap_err().code(), "permission_denied", "the settings stay closed");
    // Beijing's midnight turns the date, hours before UTC's.
    clock.set(utc("2026-01-05T16:00:00Z"));
    assert_eq!(oa.today(&clerk).unwrap(), date("2026-01-06"));

    // The office moves to New York's zone: there it is still Monday morning.
    let settings = WorkCalendarSettings { utc_offset: "-05:00".into(), ..oa.get_work_calendar(&admin).unwrap() };
    oa.set_work_calendar(&admin, settings).unwrap();
    assert_eq!(oa.today(&clerk).unwrap(), date("2026-01-05"));

    assert_eq!(oa.today(&Session::from_token(String::from("nope"))).unwrap_err().code(), "unauthenticated");
}
