//! The working calendar (工作日历): settings, holidays and deadlines across them.

use predicates::prelude::*;
use serde_json::{json, Value};

use crate::support::{fails, json, text, Office};

/// The 2026 Spring Festival: nine days off, worked back on two Saturdays.
const SPRING_FESTIVAL: &str =
    "2026-02-15,2026-02-16,2026-02-17,2026-02-18,2026-02-19,2026-02-20,2026-02-21,2026-02-22,2026-02-23";
const MAKEUP_DAYS: &str = "2026-02-14,2026-02-28";

/// The deadline `oa calendar add START DURATION --json` prints, as RFC 3339 in UTC.
fn deadline(office: &Office, start: &str, duration: &str) -> String {
    let answer = json(office.admin().args(["calendar", "add", start, duration]));
    answer["deadline"].as_str().expect("a deadline").to_string()
}

#[test]
fn the_calendar_is_set_and_deadlines_skip_holidays_but_not_makeup_days() {
    let office = Office::init();
    let shown = json(office.admin().args(["calendar", "show"]));
    assert_eq!(shown["working_weekdays"], json!(["Mon", "Tue", "Wed", "Thu", "Fri"]));
    assert_eq!(shown["utc_offset"], "+08:00");

    let set = json(office.admin().args([
        "calendar",
        "set",
        "--weekdays",
        "mon,tue,wed,thu,fri",
        "--hours",
        "09:00-12:00,13:00-17:00",
        "--utc-offset",
        "+08:00",
    ]));
    assert_eq!(
        set["hours"],
        json!([{ "start": "09:00:00", "end": "12:00:00" }, { "start": "13:00:00", "end": "17:00:00" }])
    );
    // Only what is given changes.
    let zone = json(office.admin().args(["calendar", "set", "--utc-offset=-05:00"]));
    assert_eq!(zone["utc_offset"], "-05:00");
    assert_eq!(zone["hours"], set["hours"]);
    json(office.admin().args(["calendar", "set", "--utc-offset", "+08:00"]));
    office
        .admin()
        .args(["calendar", "show"])
        .assert()
        .success()
        .stdout(predicate::str::contains("09:00–12:00, 13:00–17:00").and(predicate::str::contains("mon, tue")));

    // Two working days from Friday 13 February: before the holidays, Tuesday 17th.
    assert_eq!(deadline(&office, "2026-02-13T10:00:00+08:00", "2d"), "2026-02-17T02:00:00Z");

    let year = json(office.admin().args([
        "calendar",
        "set-holidays",
        "2026",
        "--holidays",
        SPRING_FESTIVAL,
        "--makeup",
        MAKEUP_DAYS,
    ]));
    assert_eq!(year["holidays"].as_array().map(Vec::len), Some(9));
    assert_eq!(year["makeup_days"], json!(["2026-02-14", "2026-02-28"]));
    assert_eq!(json(office.admin().args(["calendar", "holidays", "2026"])), year);
    let never = json(office.admin().args(["calendar", "holidays", "2027"]));
    assert_eq!((never["holidays"].clone(), never["makeup_days"].clone()), (json!([]), json!([])));

    // Now the Saturday make-up day counts and the festival does not: Tuesday 24th.
    assert_eq!(deadline(&office, "2026-02-13T10:00:00+08:00", "2d"), "2026-02-24T02:00:00Z");
    // Working hours: one on Friday afternoon, three on the make-up Saturday morning.
    assert_eq!(deadline(&office, "2026-02-13T16:00:00+08:00", "4h"), "2026-02-14T04:00:00Z");
    // Minutes go over lunch.
    assert_eq!(deadline(&office, "2026-02-24T11:00:00+08:00", "90m"), "2026-02-24T05:30:00Z");
    // A start inside the festival rolls forward to the first working morning after it.
    assert_eq!(deadline(&office, "2026-02-18T10:00:00+08:00", "1h"), "2026-02-24T02:00:00Z");
    let table = text(office.admin().args(["calendar", "add", "2026-02-13T10:00:00+08:00", "2d"]));
    assert!(table.contains("2026-02-24T10:00:00+08:00") && table.contains("2 working days"), "{table}");

    // A list not given is kept; one given without dates is emptied; --clear empties both.
    let kept = json(office.admin().args(["calendar", "set-holidays", "2026", "--makeup"]));
    assert_eq!(kept["holidays"], year["holidays"]);
    assert_eq!(kept["makeup_days"], json!([]));
    assert_eq!(deadline(&office, "2026-02-13T10:00:00+08:00", "2d"), "2026-02-25T02:00:00Z");
    let cleared = json(office.admin().args(["calendar", "set-holidays", "2026", "--clear"]));
    assert_eq!(cleared["holidays"], json!([]));
    assert_eq!(deadline(&office, "2026-02-13T10:00:00+08:00", "2d"), "2026-02-17T02:00:00Z");

    let audited = json(office.admin().args(["audit", "list", "--operation", "admin.calendar.holidays.set"]));
    assert_eq!(audited["items"].as_array().map(Vec::len), Some(3));
}

#[test]
fn bad_calendar_input_names_the_field_and_changes_nothing() {
    let office = Office::init();
    let before = json(office.admin().args(["calendar", "show"]));

    let err = fails(office.admin().args(["calendar", "set", "--hours", "09:00-12:00,11:00-14:00"]), 3);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines[0], "error[validation]: invalid input (1 field)", "{err}");
    assert!(lines[1].starts_with("  hours[1].start: ") && lines[1].contains("overlaps"), "{err}");
    let err = fails(office.admin().args(["calendar", "set", "--hours", "12:00-09:00", "--utc-offset", "+15:00"]), 3);
    assert!(err.contains("  hours[0].end: ") && err.contains("  utc_offset: "), "{err}");
    let err = fails(office.admin().args(["calendar", "set", "--weekdays", "mon,mon"]), 3);
    assert!(err.contains("  working_weekdays[1]: "), "{err}");
    assert_eq!(json(office.admin().args(["calendar", "show"])), before);

    let err = fails(
        office.admin().args(["calendar", "set-holidays", "2026", "--holidays", "2025-10-01", "--makeup", "2025-10-01"]),
        3,
    );
    assert!(err.contains("  holidays[0]: ") && err.contains("  makeup_days[0]: "), "{err}");
    let err = fails(
        office.admin().args(["calendar", "set-holidays", "2026", "--holidays", "2026-10-01", "--makeup", "2026-10-01"]),
        3,
    );
    assert!(err.contains("  makeup_days[0]: ") && err.contains("also listed as a holiday"), "{err}");
    let err = fails(office.admin().args(["calendar", "holidays", "1066"]), 3);
    assert!(err.contains("  year: "), "{err}");
    let empty: Value = json(office.admin().args(["calendar", "holidays", "2026"]));
    assert_eq!(empty["holidays"], json!([]));

    // What the command line cannot read is a usage error, before the office is touched.
    for args in [
        &["calendar", "set", "--weekdays", "mon,funday"][..],
        &["calendar", "set", "--hours", "9 to 5"],
        &["calendar", "set"],
        &["calendar", "set-holidays", "2026"],
        &["calendar", "set-holidays", "2026", "--holidays", "1 October"],
        &["calendar", "add", "2026-02-13T10:00:00+08:00", "2w"],
        &["calendar", "add", "2026-02-13", "2d"],
    ] {
        let err = fails(office.admin().args(args), 2);
        assert!(err.contains("error"), "{args:?}: {err}");
    }
}

#[test]
fn anyone_signed_in_prints_todays_date_in_the_offices_zone() {
    let office = Office::init();
    office.admin().args(["people", "add", "clerk", "Clerk", "--dept", "Acme Ltd"]).assert().success();
    office.give_password("clerk", "a long passphrase 1");
    // The date at a fixed offset from UTC, read before and after asking (a midnight may pass).
    let date_at = |hours: i64| (chrono::Utc::now() + chrono::Duration::hours(hours)).date_naive().to_string();
    let before = date_at(8);
    let today = json(office.signed("clerk", "a long passphrase 1").args(["calendar", "today"]));
    assert!(today == json!(before) || today == json!(date_at(8)), "{today}");
    fails(office.signed("clerk", "a long passphrase 1").args(["calendar", "show"]), 4);

    office.admin().args(["calendar", "set", "--utc-offset", "-12:00"]).assert().success();
    let before = date_at(-12);
    let shown = text(office.signed("clerk", "a long passphrase 1").args(["calendar", "today"]));
    assert!(shown.trim() == before || shown.trim() == date_at(-12), "{shown}");
}
