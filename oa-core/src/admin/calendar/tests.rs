//! The working calendar's arithmetic, validation and storage.
//!
//! The holidays of 2026 below are test data in the shape of China's public holidays (a Spring
//! Festival week with make-up weekend days around it, New Year, National Day); they are not the
//! official dates.

use chrono::{Duration, NaiveDateTime};
use oa_storage::{MemoryStore, StoreExt};
use proptest::prelude::*;

use super::*;

/// Test data: holidays of 2026 in the shape of China's (not the official dates).
const HOLIDAYS_2026: &[&str] = &[
    // New Year: Thursday to Saturday.
    "2026-01-01",
    "2026-01-02",
    "2026-01-03",
    // Spring Festival: Monday 16 to Sunday 22 February.
    "2026-02-16",
    "2026-02-17",
    "2026-02-18",
    "2026-02-19",
    "2026-02-20",
    "2026-02-21",
    "2026-02-22",
    // National Day: Thursday 1 to Thursday 8 October.
    "2026-10-01",
    "2026-10-02",
    "2026-10-03",
    "2026-10-04",
    "2026-10-05",
    "2026-10-06",
    "2026-10-07",
    "2026-10-08",
];

/// Test data: make-up working days (调休) of 2026: Sundays and Saturdays worked.
const MAKEUP_2026: &[&str] = &["2026-01-04", "2026-02-15", "2026-02-28", "2026-09-27", "2026-10-10"];

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn dates(list: &[&str]) -> Vec<NaiveDate> {
    list.iter().map(|s| date(s)).collect()
}

/// The default calendar (Monday to Friday, 09:00–12:00 and 13:30–18:00, +08:00) with the 2026
/// test holidays.
fn china() -> WorkCalendar {
    WorkCalendar::new(&WorkCalendarSettings::default(), dates(HOLIDAYS_2026), dates(MAKEUP_2026)).unwrap()
}

/// An instant from the office's local time `2026-01-05 10:00` (+08:00).
fn at(local: &str) -> DateTime<Utc> {
    local_in(local, 8)
}

fn local_in(local: &str, offset_hours: i32) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S"))
        .unwrap();
    FixedOffset::east_opt(offset_hours * 3600).unwrap().from_local_datetime(&naive).unwrap().with_timezone(&Utc)
}

/// The office's local time of an instant, as `2026-01-05 10:00`.
fn show(cal: &WorkCalendar, t: DateTime<Utc>) -> String {
    cal.local(t).format("%Y-%m-%d %H:%M").to_string()
}

fn m(n: u32) -> WorkDuration {
    WorkDuration::minutes(n)
}
fn h(n: u32) -> WorkDuration {
    WorkDuration::hours(n)
}
fn d(n: u32) -> WorkDuration {
    WorkDuration::days(n)
}

/// Checks `add_working_time` against a table of `(start, duration, expected deadline)`, all in
/// the office's local time.
fn check_deadlines(cal: &WorkCalendar, cases: &[(&str, WorkDuration, &str)]) {
    for (start, duration, expected) in cases {
        let got = cal.add_working_time(at(start), *duration).unwrap();
        assert_eq!(show(cal, got), *expected, "{start} + {duration}");
    }
}

#[test]
fn deadlines_on_ordinary_days() {
    check_deadlines(
        &china(),
        &[
            // Monday 5 January 2026.
            ("2026-01-05 10:00", h(1), "2026-01-05 11:00"),
            ("2026-01-05 10:00", h(4), "2026-01-05 15:30"),
            ("2026-01-05 11:00", h(1), "2026-01-05 12:00"),
            ("2026-01-05 09:00", m(450), "2026-01-05 18:00"),
            ("2026-01-05 09:00", m(451), "2026-01-06 09:01"),
            // Lunch break.
            ("2026-01-05 12:00", m(1), "2026-01-05 13:31"),
            ("2026-01-05 12:30", h(1), "2026-01-05 14:30"),
            ("2026-01-05 11:30", h(1), "2026-01-05 14:00"),
            // Before opening and after closing.
            ("2026-01-05 07:00", m(30), "2026-01-05 09:30"),
            ("2026-01-05 18:00", h(1), "2026-01-06 10:00"),
            ("2026-01-05 23:59", h(1), "2026-01-06 10:00"),
            // Overnight.
            ("2026-01-05 17:00", h(2), "2026-01-06 10:00"),
            ("2026-01-05 17:30", h(8), "2026-01-06 18:00"),
            // Over the weekend.
            ("2026-01-09 17:00", h(2), "2026-01-12 10:00"),
            ("2026-01-10 10:00", h(1), "2026-01-12 10:00"),
            ("2026-01-11 20:00", m(15), "2026-01-12 09:15"),
            // A zero duration is the start itself, even outside working hours.
            ("2026-01-10 10:00", h(0), "2026-01-10 10:00"),
            ("2026-01-05 12:30", d(0), "2026-01-05 12:30"),
        ],
    );
}

#[test]
fn deadlines_in_working_days_keep_the_clock_time() {
    check_deadlines(
        &china(),
        &[
            ("2026-01-05 10:15", d(2), "2026-01-07 10:15"),
            ("2026-01-08 16:00", d(2), "2026-01-12 16:00"),
            ("2026-01-05 09:00", d(5), "2026-01-12 09:00"),
            // Outside working hours the start first rolls to the next working instant.
            ("2026-01-05 12:30", d(1), "2026-01-06 13:30"),
            ("2026-01-05 18:00", d(1), "2026-01-07 09:00"),
            ("2026-01-05 07:00", d(1), "2026-01-06 09:00"),
            ("2026-01-10 10:00", d(1), "2026-01-13 09:00"),
            ("2026-01-10 10:00", d(2), "2026-01-14 09:00"),
        ],
    );
}

#[test]
fn deadlines_around_the_2026_holidays() {
    check_deadlines(
        &china(),
        &[
            // New Year: Wednesday 31 December is a plain working day (2025 has no holidays
            // here); 1–3 January are off; Sunday 4 January is worked.
            ("2025-12-31 17:00", h(2), "2026-01-04 10:00"),
            ("2026-01-02 15:00", d(3), "2026-01-07 09:00"),
            ("2026-01-04 17:00", h(1), "2026-01-04 18:00"),
            ("2026-01-04 17:00", h(2), "2026-01-05 10:00"),
            // Spring Festival: Sunday 15 February is worked, 16–22 are off, Saturday 28 is
            // worked.
            ("2026-02-13 17:00", h(2), "2026-02-15 10:00"),
            ("2026-02-13 10:00", d(1), "2026-02-15 10:00"),
            ("2026-02-13 10:00", d(2), "2026-02-23 10:00"),
            ("2026-02-15 17:00", h(2), "2026-02-23 10:00"),
            ("2026-02-17 10:00", h(1), "2026-02-23 10:00"),
            ("2026-02-17 10:00", d(1), "2026-02-24 09:00"),
            ("2026-02-27 10:00", d(1), "2026-02-28 10:00"),
            ("2026-02-27 17:00", h(8), "2026-02-28 17:30"),
            // National Day: Sunday 27 September worked, 1–8 October off, Saturday 10 worked.
            ("2026-09-25 17:00", h(1), "2026-09-25 18:00"),
            ("2026-09-25 17:00", h(2), "2026-09-27 10:00"),
            ("2026-09-30 10:00", d(3), "2026-10-12 10:00"),
            ("2026-10-03 10:00", m(1), "2026-10-09 09:01"),
        ],
    );
}

#[test]
fn working_time_between_counts_only_working_hours() {
    let cal = china();
    let cases: &[(&str, &str, u64)] = &[
        ("2026-01-05 10:00", "2026-01-05 15:30", 240),
        ("2026-01-05 12:10", "2026-01-05 13:20", 0),
        ("2026-01-05 06:00", "2026-01-05 23:00", 450),
        ("2026-01-09 17:00", "2026-01-12 10:00", 120),
        ("2026-01-10 08:00", "2026-01-11 20:00", 0),
        ("2026-01-05 09:00", "2026-01-12 09:00", 5 * 450),
        // Spring Festival: Friday 13 and Sunday 15 are the only working days.
        ("2026-02-13 09:00", "2026-02-23 09:00", 2 * 450),
        // Backwards or empty.
        ("2026-01-05 15:00", "2026-01-05 10:00", 0),
        ("2026-01-05 10:00", "2026-01-05 10:00", 0),
    ];
    for (a, b, expected) in cases {
        assert_eq!(cal.working_time_between(at(a), at(b)), *expected, "{a} → {b}");
    }
    // Seconds are counted, then rounded down to minutes.
    assert_eq!(cal.working_time_between(at("2026-01-05 10:00:30"), at("2026-01-05 10:02:29")), 1);
}

#[test]
fn working_days_follow_pattern_holidays_and_makeup_days() {
    let cal = china();
    assert!(cal.is_working_day(date("2026-01-05")));
    assert!(!cal.is_working_day(date("2026-01-10")), "a Saturday");
    assert!(!cal.is_working_day(date("2026-01-01")), "a holiday");
    assert!(cal.is_working_day(date("2026-01-04")), "a make-up Sunday");
    assert!(cal.is_working_day(date("2026-02-28")), "a make-up Saturday");
    assert!(!cal.is_working_day(date("2026-02-21")), "a holiday on a Saturday");
    assert!(cal.is_working_time(at("2026-01-05 09:00")));
    assert!(!cal.is_working_time(at("2026-01-05 12:00")), "the end of an interval is outside it");
    assert!(!cal.is_working_time(at("2026-01-01 10:00")));
    assert_eq!(show(&cal, cal.next_working_time(at("2026-02-16 08:00")).unwrap()), "2026-02-23 09:00");
    assert_eq!(show(&cal, cal.next_working_time(at("2026-01-05 10:07")).unwrap()), "2026-01-05 10:07");
    // February 2026: 20 weekdays, 5 of them holidays, 2 make-up weekend days.
    assert_eq!(cal.working_days_in(date("2026-02-01"), date("2026-02-28")), 20 - 5 + 2);
    assert_eq!(cal.working_days_in(date("2026-02-28"), date("2026-02-01")), 0);
}

#[test]
fn other_zones_hours_and_patterns() {
    // A six-day week in UTC−05:00 with one long interval.
    let settings = WorkCalendarSettings {
        working_weekdays: vec![Weekday::Sat, Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
        hours: vec![WorkHours::hm((8, 0), (16, 0)).unwrap()],
        utc_offset: "-05:00".into(),
    };
    let cal = WorkCalendar::new(&settings, [], []).unwrap();
    assert_eq!(cal.settings().working_weekdays[0], Weekday::Mon, "normalised from Monday");
    let start = local_in("2026-01-09 15:00", -5); // a Friday
    let end = cal.add_working_time(start, h(2)).unwrap();
    assert_eq!(end, local_in("2026-01-10 09:00", -5), "Saturday is worked");
    assert_eq!(cal.working_time_between(start, end), 120);

    // Round the clock: 00:00–00:00 is the whole day.
    let settings = WorkCalendarSettings {
        working_weekdays: vec![Weekday::Mon],
        hours: vec![WorkHours::hm((0, 0), (0, 0)).unwrap()],
        utc_offset: "+00:00".into(),
    };
    let cal = WorkCalendar::new(&settings, [], []).unwrap();
    let monday = local_in("2026-01-05 23:00", 0);
    assert_eq!(cal.add_working_time(monday, h(1)).unwrap(), local_in("2026-01-06 00:00", 0));
    assert_eq!(cal.add_working_time(monday, h(2)).unwrap(), local_in("2026-01-12 01:00", 0));
    assert_eq!(cal.working_time_between(monday, local_in("2026-01-13 00:00", 0)), 25 * 60);
}

#[test]
fn long_durations_are_counted_not_walked() {
    let cal = china();
    let start = at("2026-01-05 09:00");
    for n in [10, 1_000, 100_000, 1_000_000] {
        let end = cal.add_working_time(start, d(n)).unwrap();
        assert_eq!(cal.working_time_between(start, end), u64::from(n) * 450, "{n} working days");
        let end = cal.add_working_time(start, m(n)).unwrap();
        assert_eq!(cal.working_time_between(start, end), u64::from(n), "{n} working minutes");
    }
    // About 26 000 years of working minutes still fit in the calendar.
    let end = cal.add_working_time(start, m(u32::MAX)).unwrap();
    assert_eq!(cal.working_time_between(start, end), u64::from(u32::MAX));
    // Beyond the last representable date: an error naming the duration, not a panic.
    for too_long in [d(u32::MAX), h(u32::MAX)] {
        let err = cal.add_working_time(start, too_long).unwrap_err();
        assert_eq!(err.field_errors()[0].path, "duration", "{too_long}");
    }
}

#[test]
fn a_year_of_holidays_is_skipped() {
    // Every day of 2027 a holiday: the next working day after 31 December 2026 is in 2028.
    let mut all_2027 = Vec::new();
    let mut day = date("2027-01-01");
    while day.year() == 2027 {
        all_2027.push(day);
        day = day.succ_opt().unwrap();
    }
    let cal = WorkCalendar::new(&WorkCalendarSettings::default(), all_2027, []).unwrap();
    check_deadlines(
        &cal,
        &[("2026-12-31 17:00", h(2), "2028-01-03 10:00"), ("2026-12-31 10:00", d(1), "2028-01-03 10:00")],
    );
    let start = at("2026-12-31 10:00");
    assert_eq!(cal.add_working_time(start, d(1_000)).unwrap(), naive_add_days(&cal, start, 1_000));
    assert_eq!(cal.working_time_between(at("2026-12-31 18:00"), at("2028-01-03 09:00")), 0);
}

#[test]
fn many_makeup_days_do_not_overshoot() {
    // A pattern of one working weekday with every Saturday of 2026 a make-up day: the week
    // skipping must not jump past the target when make-up days outnumber holidays.
    let settings = WorkCalendarSettings { working_weekdays: vec![Weekday::Wed], ..WorkCalendarSettings::default() };
    let mut saturdays = Vec::new();
    let mut day = date("2026-01-03");
    while day.year() == 2026 {
        saturdays.push(day);
        day += Duration::days(7);
    }
    let cal = WorkCalendar::new(&settings, [], saturdays).unwrap();
    let start = at("2026-01-05 09:00");
    for n in [1, 2, 3, 10, 50, 103, 104, 105, 200] {
        let end = cal.add_working_time(start, d(n)).unwrap();
        assert_eq!(cal.working_time_between(start, end), u64::from(n) * 450, "{n} working days");
        assert_eq!(end, naive_add_days(&cal, start, n), "{n} working days");
    }
}

/// Working days counted one day at a time, for comparison.
fn naive_add_days(cal: &WorkCalendar, start: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    let first = cal.next_working_time(start).unwrap();
    let local = cal.local(first);
    let mut day = local.date();
    let mut left = n;
    while left > 0 {
        day = day.succ_opt().unwrap();
        if cal.is_working_day(day) {
            left -= 1;
        }
    }
    cal.offset().from_local_datetime(&day.and_time(local.time())).unwrap().with_timezone(&Utc)
}

#[test]
fn a_calendar_without_working_time_is_an_error_not_a_loop() {
    // Settings without working days or hours are refused...
    let no_days = WorkCalendarSettings { working_weekdays: vec![], ..WorkCalendarSettings::default() };
    let err = WorkCalendar::new(&no_days, [], []).unwrap_err();
    assert_eq!(err.field_errors()[0].path, "working_weekdays");
    let no_hours = WorkCalendarSettings { hours: vec![], ..WorkCalendarSettings::default() };
    assert_eq!(WorkCalendar::new(&no_hours, [], []).unwrap_err().field_errors()[0].path, "hours");

    // ...and a calendar that has none all the same (an unreadable record, a future rule) fails
    // instead of searching for ever.
    let mut cal = WorkCalendar { weekly: [false; 7], ..WorkCalendar::default() };
    let start = at("2026-01-05 10:00");
    for duration in [m(1), h(1), d(1)] {
        assert_eq!(cal.add_working_time(start, duration).unwrap_err().code(), "invalid_state");
    }
    assert_eq!(cal.working_time_between(start, at("2027-01-05 10:00")), 0);
    // Only make-up days work: they can be used up.
    cal.makeup_days = dates(&["2026-01-10", "2026-01-17"]).into_iter().collect();
    assert_eq!(show(&cal, cal.add_working_time(start, d(1)).unwrap()), "2026-01-17 09:00");
    assert_eq!(cal.add_working_time(start, d(2)).unwrap_err().code(), "invalid_state");
    assert_eq!(show(&cal, cal.add_working_time(start, m(900)).unwrap()), "2026-01-17 18:00");
    assert_eq!(cal.add_working_time(start, m(901)).unwrap_err().code(), "invalid_state");

    let cal = WorkCalendar { intervals: vec![], ..WorkCalendar::default() };
    assert_eq!(cal.add_working_time(start, m(1)).unwrap_err().code(), "invalid_state");
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

fn paths(err: OaError) -> Vec<String> {
    err.field_errors().iter().map(|f| f.path.clone()).collect()
}

fn hm(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(s, "%H:%M")).unwrap()
}

fn hours(list: &[(&str, &str)]) -> Vec<WorkHours> {
    list.iter().map(|(s, e)| WorkHours { start: hm(s), end: hm(e) }).collect()
}

#[test]
fn settings_validation_names_every_field() {
    let bad = WorkCalendarSettings {
        working_weekdays: vec![Weekday::Mon, Weekday::Tue, Weekday::Mon],
        hours: hours(&[("09:00:30", "12:00"), ("14:00", "13:00"), ("10:00", "11:00"), ("18:00", "00:00")]),
        utc_offset: "+8".into(),
    };
    let err = WorkCalendar::new(&bad, [], []).unwrap_err();
    assert_eq!(paths(err.clone()), ["working_weekdays[2]", "hours[0].start", "hours[1].end", "utc_offset"], "{err}");
    assert!(err.to_string().contains("`Mon` is listed twice"), "{err}");
    assert!(err.to_string().contains("`+8`"), "{err}");

    let overlapping = WorkCalendarSettings {
        hours: hours(&[("09:00", "12:00"), ("11:00", "13:00")]),
        ..WorkCalendarSettings::default()
    };
    assert_eq!(paths(WorkCalendar::new(&overlapping, [], []).unwrap_err()), ["hours[1].start"]);
    let too_many = WorkCalendarSettings {
        hours: (0..9).map(|i| WorkHours::hm((i, 0), (i, 30)).unwrap()).collect(),
        ..WorkCalendarSettings::default()
    };
    assert_eq!(paths(WorkCalendar::new(&too_many, [], []).unwrap_err()), ["hours"]);
    let touching = WorkCalendarSettings {
        hours: hours(&[("09:00", "12:00"), ("12:00", "13:00")]),
        utc_offset: "Z".into(),
        ..WorkCalendarSettings::default()
    };
    let cal = WorkCalendar::new(&touching, [], []).unwrap();
    assert_eq!(cal.settings().utc_offset, "+00:00");
}

#[test]
fn offsets_parse_and_print() {
    for (text, seconds) in [("+08:00", 28_800), ("-05:30", -19_800), ("+00:00", 0), ("Z", 0), ("+14:00", 50_400)] {
        assert_eq!(parse_utc_offset(text), Ok(seconds), "{text}");
    }
    for text in ["", "8", "+8:00", "+08", "+0800", "08:00", "+08:60", "+14:01", "-15:00", "＋08:00", "+08:00 "] {
        assert!(parse_utc_offset(text).is_err(), "{text}");
    }
}

#[test]
fn holiday_lists_are_checked() {
    let ok = check_holidays(2026, &dates(&["2026-10-01", "2026-01-01"]), &dates(&["2026-01-04"])).unwrap();
    assert_eq!(ok.holidays, dates(&["2026-01-01", "2026-10-01"]), "sorted");
    let err = check_holidays(
        2026,
        &dates(&["2026-01-01", "2027-01-01", "2026-01-01"]),
        &dates(&["2026-01-04", "2026-01-01", "2025-12-28"]),
    )
    .unwrap_err();
    assert_eq!(paths(err.clone()), ["holidays[1]", "holidays[2]", "makeup_days[2]", "makeup_days[1]"], "{err}");
    let text = err.to_string();
    assert!(text.contains("`2027-01-01` is not in 2026"), "{text}");
    assert!(text.contains("`2026-01-01` is listed twice"), "{text}");
    assert!(text.contains("`2026-01-01` is also listed as a holiday"), "{text}");
    assert_eq!(paths(check_holidays(1800, &[], &[]).unwrap_err()), ["year"]);
    let a_whole_year: Vec<NaiveDate> = (0..367).map(|i| date("2028-01-01") + Duration::days(i)).collect();
    assert!(paths(check_holidays(2028, &a_whole_year, &[]).unwrap_err()).contains(&"holidays".to_string()));
}

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------

#[test]
fn stored_settings_and_years_load_together() {
    let store = MemoryStore::new();
    let now = at("2026-01-05 09:00");
    assert_eq!(store.read(|tx| store::read_settings(tx)).unwrap(), WorkCalendarSettings::default());
    assert_eq!(store.read(|tx| load_calendar(tx, 2026..=2026)).unwrap(), WorkCalendar::default());

    let settings = WorkCalendarSettings {
        working_weekdays: vec![Weekday::Fri, Weekday::Mon],
        hours: hours(&[("08:30", "17:30")]),
        utc_offset: "+08:00".into(),
    };
    let saved = store.write(|tx| store::write_settings(tx, now, &settings)).unwrap();
    assert_eq!(saved.working_weekdays, [Weekday::Mon, Weekday::Fri]);
    for (year, h, m) in [
        (2025, vec!["2025-01-03"], vec![]),
        (2026, HOLIDAYS_2026.to_vec(), MAKEUP_2026.to_vec()),
        (2027, vec!["2027-01-01"], vec!["2027-01-02"]),
    ] {
        store.write(|tx| store::write_year(tx, now, year, &dates(&h), &dates(&m))).unwrap();
    }
    let cal = store.read(|tx| load_calendar(tx, 2026..=2026)).unwrap();
    assert_eq!(cal.settings(), &saved);
    assert!(!cal.is_working_day(date("2026-01-02")));
    assert!(cal.is_working_day(date("2025-01-03")), "2025 was not loaded");
    assert!(cal.is_working_day(date("2027-01-01")), "2027 was not loaded");
    let cal = store.read(|tx| load_calendar_from(tx, at("2026-06-01 00:00"))).unwrap();
    assert!(!cal.is_working_day(date("2025-01-03")) && !cal.is_working_day(date("2027-01-01")));

    // Two empty lists clear the year.
    store.write(|tx| store::write_year(tx, now, 2027, &[], &[])).unwrap();
    assert_eq!(store.read(|tx| store::read_year(tx, 2027)).unwrap().holidays, Vec::<NaiveDate>::new());
    let offset = store.read(|tx| office_offset(tx)).unwrap();
    assert_eq!(offset.local_minus_utc(), 8 * 3600);
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// A random calendar: some working weekdays, one to three intervals, an offset, and holidays and
/// make-up days in 2026–2027.
fn any_calendar() -> impl Strategy<Value = WorkCalendar> {
    let weekly = proptest::array::uniform7(any::<bool>()).prop_filter("a working weekday", |w| w.iter().any(|d| *d));
    let bounds = proptest::collection::btree_set(0u32..=(24 * 4), 2..=6).prop_map(|set| {
        let quarters: Vec<u32> = set.into_iter().collect();
        quarters.chunks_exact(2).map(|c| (c[0], c[1])).collect::<Vec<_>>()
    });
    let days = proptest::collection::btree_set(0i64..730, 0..120);
    (weekly, bounds, -56i32..=56, days, any::<u64>()).prop_map(|(weekly, bounds, quarter_hours, days, split)| {
        let hours = bounds
            .into_iter()
            .map(|(s, e)| {
                let t = |q: u32| NaiveTime::from_hms_opt(q / 4 % 24, q % 4 * 15, 0).unwrap();
                WorkHours { start: t(s), end: t(e) }
            })
            .collect();
        let settings = WorkCalendarSettings {
            working_weekdays: weekdays_of(&weekly),
            hours,
            utc_offset: format_utc_offset(quarter_hours * 15 * 60),
        };
        let base = date("2026-01-01");
        let (mut holidays, mut makeup) = (Vec::new(), Vec::new());
        for (i, day) in days.into_iter().enumerate() {
            let d = base + Duration::days(day);
            if split >> (i % 64) & 1 == 1 {
                holidays.push(d);
            } else {
                makeup.push(d);
            }
        }
        WorkCalendar::new(&settings, holidays, makeup).unwrap()
    })
}

/// An instant between December 2025 and March 2028, with a fraction of a second.
fn any_start() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..(830 * 86_400), 0u32..1_000_000_000)
        .prop_map(|(s, nanos)| at("2025-12-01 00:00") + Duration::seconds(s) + Duration::nanoseconds(i64::from(nanos)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_deadline_is_that_much_working_time_later(cal in any_calendar(), start in any_start(), n in 0u32..200_000) {
        let end = cal.add_working_time(start, m(n)).unwrap();
        prop_assert!(end >= start);
        prop_assert_eq!(cal.working_time_between(start, end), u64::from(n));
        if n > 0 {
            // The earliest such instant: a minute earlier, a minute less has passed.
            prop_assert_eq!(cal.working_time_between(start, end - Duration::minutes(1)), u64::from(n - 1));
        }
    }

    #[test]
    fn deadlines_grow_with_the_duration(cal in any_calendar(), start in any_start(), a in 0u32..100_000, b in 0u32..100_000) {
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(cal.add_working_time(start, m(lo)).unwrap() <= cal.add_working_time(start, m(hi)).unwrap());
        let (lo, hi) = (lo % 3000, hi % 3000);
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        prop_assert!(cal.add_working_time(start, d(lo)).unwrap() <= cal.add_working_time(start, d(hi)).unwrap());
        prop_assert!(cal.add_working_time(start, h(lo)).unwrap() <= cal.add_working_time(start, h(hi)).unwrap());
    }

    #[test]
    fn working_days_match_a_day_by_day_walk(cal in any_calendar(), start in any_start(), n in 0u32..1500) {
        prop_assert_eq!(cal.add_working_time(start, d(n)).unwrap(), if n == 0 { start } else { naive_add_days(&cal, start, n) });
        let from = cal.local_date(start);
        let to = from + Duration::days(i64::from(n));
        let walked = (0..=i64::from(n)).filter(|i| cal.is_working_day(from + Duration::days(*i))).count() as i64;
        prop_assert_eq!(cal.working_days_in(from, to), walked);
    }

    #[test]
    fn a_deadline_in_working_days_is_inside_working_hours(cal in any_calendar(), start in any_start(), n in 1u32..400) {
        let end = cal.add_working_time(start, d(n)).unwrap();
        prop_assert!(cal.is_working_time(end));
    }

    #[test]
    fn offsets_round_trip(minutes in -(14 * 60)..=(14 * 60)) {
        let text = format_utc_offset(minutes * 60);
        prop_assert_eq!(parse_utc_offset(&text), Ok(minutes * 60));
    }

    #[test]
    fn offset_parsing_never_panics(text in "\\PC{0,8}") {
        if let Ok(seconds) = parse_utc_offset(&text) {
            prop_assert!(seconds.abs() <= MAX_OFFSET_MINUTES * 60);
        }
    }

    #[test]
    fn holiday_checks_accept_exactly_clean_lists(days in proptest::collection::vec(0i64..400, 0..20), split in any::<u32>()) {
        let base = date("2026-01-01");
        let (mut holidays, mut makeup) = (Vec::new(), Vec::new());
        for (i, day) in days.iter().enumerate() {
            let d = base + Duration::days(*day);
            if split >> (i % 32) & 1 == 1 { holidays.push(d) } else { makeup.push(d) }
        }
        let all: Vec<NaiveDate> = holidays.iter().chain(&makeup).copied().collect();
        let distinct: BTreeSet<NaiveDate> = all.iter().copied().collect();
        let clean = distinct.len() == all.len() && all.iter().all(|d| d.year() == 2026);
        prop_assert_eq!(check_holidays(2026, &holidays, &makeup).is_ok(), clean);
    }
}

/// A calendar read inside a transaction sees that transaction's own change of holidays, and
/// once the transaction rolls back, the change is gone from later reads.
#[test]
fn a_calendar_read_follows_its_own_transaction_and_forgets_a_rollback() {
    let store = MemoryStore::new();
    let now = chrono::Utc::now();
    let day = NaiveDate::from_ymd_opt(2026, 1, 12).unwrap();
    let works =
        |store: &MemoryStore| store.read(|tx| store::load_calendar(tx, 2025..=2027)).unwrap().is_working_day(day);
    assert!(works(&store));
    let rolled_back: crate::OaResult<()> = store.write(|tx| {
        store::write_year(tx, now, 2026, &[day], &[])?;
        assert!(!store::load_calendar(tx.as_read(), 2025..=2027)?.is_working_day(day));
        Err(crate::OaError::Internal("roll back".into()))
    });
    assert!(rolled_back.is_err());
    assert!(works(&store));
    store.write(|tx| store::write_year(tx, now, 2026, &[day], &[])).unwrap();
    assert!(!works(&store));
}
