//! The working calendar (工作日历): which days an office works, its working hours and its time
//! zone, so that deadlines are counted in working time.
//!
//! An office has one calendar: a weekly pattern of working weekdays (Monday to Friday by
//! default), the working hours of a working day (one or more intervals, by default 09:00–12:00
//! and 13:30–18:00, the same on every working day), and a fixed UTC offset (`+08:00` by
//! default; a fixed offset is enough for offices in China, which keeps no summer time). On top
//! of the weekly pattern, each year has its public holidays (法定节假日), days off although the
//! pattern says work, and its make-up working days (调休), days of work although the pattern
//! says rest (a Saturday or Sunday that is worked in exchange for a longer holiday).
//!
//! [`WorkCalendar`] is a plain value with pure functions over it: [`WorkCalendar::is_working_day`],
//! [`WorkCalendar::add_working_time`] and [`WorkCalendar::working_time_between`]. They never loop
//! without bound: whole weeks are skipped by counting, holidays are looked up in ordered sets,
//! and a calendar without working time is an error rather than an endless search.
//!
//! Storage: the weekly pattern, hours and zone under `admin.calendar`, each year's holiday and
//! make-up lists under `admin.cal/<year>`. A year whose lists were never set follows the weekly
//! pattern alone.

mod ops;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod ops_tests;
pub(crate) mod store;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use std::collections::BTreeSet;

use chrono::{
    DateTime, Datelike, Days, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Timelike,
    Utc, Weekday,
};
use serde::{Deserialize, Serialize};

use crate::error::Problems;
use crate::{OaError, OaResult};

// The entry points of the workflow engine's deadlines, inside its own transactions; unused
// until it lands.
#[allow(unused_imports)]
pub(crate) use store::{load_calendar, load_calendar_from};

/// The public operations of this module (see `crate::operations`).
pub const OPERATIONS: &[&str] =
    &["get_work_calendar", "set_work_calendar", "set_holidays", "list_holidays", "add_working_time", "today"];

/// The earliest year whose holidays can be set.
pub const MIN_YEAR: i32 = 1900;
/// The latest year whose holidays can be set.
pub const MAX_YEAR: i32 = 9999;
/// The most working-hour intervals a working day may have.
pub const MAX_INTERVALS: usize = 8;
/// The most holidays, or make-up days, one year may list.
pub const MAX_DAYS_PER_YEAR: usize = 366;
/// The largest UTC offset accepted, in minutes (±14:00, the widest offset in use).
const MAX_OFFSET_MINUTES: i32 = 14 * 60;

const SECONDS_PER_DAY: i64 = 86_400;

/// One interval of working hours within a day, such as 09:00–12:00.
///
/// Both ends are on whole minutes. The interval holds its start and not its end, so work due at
/// the end of the morning is due at 12:00 itself. An `end` of `00:00` means midnight at the end
/// of the day, so `00:00`–`00:00` is a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkHours {
    /// When work starts.
    pub start: NaiveTime,
    /// When work stops (`00:00` for midnight at the end of the day).
    pub end: NaiveTime,
}

impl WorkHours {
    /// The interval from `start` to `end`, given as hours and minutes (`(9, 0)`, `(12, 0)`);
    /// `None` for an impossible time.
    pub fn hm(start: (u32, u32), end: (u32, u32)) -> Option<Self> {
        Some(WorkHours {
            start: NaiveTime::from_hms_opt(start.0, start.1, 0)?,
            end: NaiveTime::from_hms_opt(end.0, end.1, 0)?,
        })
    }
}

impl std::fmt::Display for WorkHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}–{}", self.start.format("%H:%M"), self.end.format("%H:%M"))
    }
}

/// The settings of an office's working calendar: its weekly pattern, working hours and zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkCalendarSettings {
    /// The weekdays that are working days unless a holiday says otherwise (Monday to Friday by
    /// default). At least one; each at most once.
    pub working_weekdays: Vec<Weekday>,
    /// The working hours of every working day, in order and not overlapping (09:00–12:00 and
    /// 13:30–18:00 by default). One to [`MAX_INTERVALS`] intervals.
    pub hours: Vec<WorkHours>,
    /// The office's time zone as a fixed UTC offset, `+08:00` by default. Working hours, dates
    /// and the years of document numbers are read in this zone.
    pub utc_offset: String,
}

impl Default for WorkCalendarSettings {
    fn default() -> Self {
        WorkCalendarSettings {
            working_weekdays: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
            hours: default_hours(),
            utc_offset: "+08:00".into(),
        }
    }
}

fn default_hours() -> Vec<WorkHours> {
    [((9, 0), (12, 0)), ((13, 30), (18, 0))].into_iter().filter_map(|(s, e)| WorkHours::hm(s, e)).collect()
}

/// One year's public holidays and make-up working days (调休).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayYear {
    /// The year.
    pub year: i32,
    /// Days off although the weekly pattern says work (and days off that fall on a weekend,
    /// which change nothing but may be listed), in date order.
    pub holidays: Vec<NaiveDate>,
    /// Days of work although the weekly pattern says rest, in date order.
    pub makeup_days: Vec<NaiveDate>,
}

/// The unit of a [`WorkDuration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkUnit {
    /// Working minutes: counted only inside working hours.
    Minutes,
    /// Working hours: counted only inside working hours.
    Hours,
    /// Working days: the same clock time that many working days later.
    Days,
}

/// An amount of working time: "4 working hours", "2 working days".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct WorkDuration {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: WorkUnit,
}

impl WorkDuration {
    /// `n` working minutes.
    pub fn minutes(n: u32) -> Self {
        WorkDuration { amount: n, unit: WorkUnit::Minutes }
    }

    /// `n` working hours.
    pub fn hours(n: u32) -> Self {
        WorkDuration { amount: n, unit: WorkUnit::Hours }
    }

    /// `n` working days.
    pub fn days(n: u32) -> Self {
        WorkDuration { amount: n, unit: WorkUnit::Days }
    }
}

impl std::fmt::Display for WorkDuration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            WorkUnit::Minutes => "working minutes",
            WorkUnit::Hours => "working hours",
            WorkUnit::Days => "working days",
        };
        write!(f, "{} {unit}", self.amount)
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing and validation
// ---------------------------------------------------------------------------------------------

/// Parses a UTC offset written `+HH:MM` or `-HH:MM` (or `Z` for `+00:00`) into seconds east of
/// UTC; at most ±14:00.
fn parse_utc_offset(text: &str) -> Result<i32, String> {
    let refuse = || format!("must be a UTC offset such as `+08:00`, got `{text}`");
    if text == "Z" {
        return Ok(0);
    }
    let bytes = text.as_bytes();
    let [sign, h1, h2, b':', m1, m2] = bytes else { return Err(refuse()) };
    let sign = match sign {
        b'+' => 1,
        b'-' => -1,
        _ => return Err(refuse()),
    };
    let digit = |b: &u8| if b.is_ascii_digit() { Some(i32::from(b - b'0')) } else { None };
    let (Some(h1), Some(h2), Some(m1), Some(m2)) = (digit(h1), digit(h2), digit(m1), digit(m2)) else {
        return Err(refuse());
    };
    let (hours, minutes) = (h1 * 10 + h2, m1 * 10 + m2);
    if minutes >= 60 {
        return Err(refuse());
    }
    let total = hours * 60 + minutes;
    if total > MAX_OFFSET_MINUTES {
        return Err(format!("must be at most 14 hours from UTC, got `{text}`"));
    }
    Ok(sign * total * 60)
}

/// Writes an offset in seconds as `+HH:MM`.
fn format_utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Seconds since midnight of a time of day.
fn seconds_of(t: NaiveTime) -> i64 {
    i64::from(t.num_seconds_from_midnight())
}

/// The settings checked and taken apart: weekly pattern, intervals in seconds of the day, offset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parsed {
    weekly: [bool; 7],
    intervals: Vec<(i64, i64)>,
    offset_seconds: i32,
}

/// Checks settings, reporting every failing field (`working_weekdays[2]`, `hours[1].end`,
/// `utc_offset`).
fn parse_settings(settings: &WorkCalendarSettings) -> OaResult<Parsed> {
    let mut problems = Problems::new();
    let mut weekly = [false; 7];
    if settings.working_weekdays.is_empty() {
        problems.add("working_weekdays", "must list at least one working weekday");
    }
    for (i, day) in settings.working_weekdays.iter().enumerate() {
        let slot = &mut weekly[day.num_days_from_monday() as usize];
        if *slot {
            problems.add(format!("working_weekdays[{i}]"), format!("`{day}` is listed twice"));
        }
        *slot = true;
    }
    let mut intervals = Vec::with_capacity(settings.hours.len());
    if settings.hours.is_empty() {
        problems.add("hours", "must list at least one interval of working hours");
    } else if settings.hours.len() > MAX_INTERVALS {
        problems.add("hours", format!("must list at most {MAX_INTERVALS} intervals, got {}", settings.hours.len()));
    }
    let mut previous_end: Option<i64> = None;
    for (i, h) in settings.hours.iter().enumerate() {
        let mut ok = true;
        for (field, t) in [("start", h.start), ("end", h.end)] {
            if t.second() != 0 || t.nanosecond() != 0 {
                problems.add(format!("hours[{i}].{field}"), format!("must be on a whole minute, got `{t}`"));
                ok = false;
            }
        }
        let start = seconds_of(h.start);
        let end = if h.end == NaiveTime::MIN { SECONDS_PER_DAY } else { seconds_of(h.end) };
        if ok && end <= start {
            problems.add(format!("hours[{i}].end"), format!("must be after the start, got `{h}`"));
            ok = false;
        }
        if let Some(prev) = previous_end {
            if ok && start < prev {
                problems.add(
                    format!("hours[{i}].start"),
                    format!("`{h}` overlaps or comes before the interval listed before it"),
                );
                ok = false;
            }
        }
        if ok {
            previous_end = Some(end);
            intervals.push((start, end));
        }
    }
    let offset_seconds = match parse_utc_offset(settings.utc_offset.trim()) {
        Ok(s) => s,
        Err(reason) => {
            problems.add("utc_offset", reason);
            0
        }
    };
    problems.finish()?;
    Ok(Parsed { weekly, intervals, offset_seconds })
}

/// The settings normalised: weekdays in order from Monday, the offset as `+HH:MM`.
fn normalised(settings: &WorkCalendarSettings, parsed: &Parsed) -> WorkCalendarSettings {
    WorkCalendarSettings {
        working_weekdays: weekdays_of(&parsed.weekly),
        hours: settings.hours.clone(),
        utc_offset: format_utc_offset(parsed.offset_seconds),
    }
}

fn weekdays_of(weekly: &[bool; 7]) -> Vec<Weekday> {
    let mut day = Weekday::Mon;
    let mut out = Vec::new();
    for &on in weekly {
        if on {
            out.push(day);
        }
        day = day.succ();
    }
    out
}

/// Checks one year's lists and returns them sorted: every date lies in `year`, none is listed
/// twice, none is both a holiday and a make-up day. Paths: `year`, `holidays[i]`,
/// `makeup_days[i]`.
pub(crate) fn check_holidays(year: i32, holidays: &[NaiveDate], makeup_days: &[NaiveDate]) -> OaResult<HolidayYear> {
    let mut problems = Problems::new();
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        problems.add("year", format!("must be from {MIN_YEAR} to {MAX_YEAR}, got `{year}`"));
    }
    let mut seen_holidays = BTreeSet::new();
    let mut seen_makeup = BTreeSet::new();
    for (field, list, seen) in
        [("holidays", holidays, &mut seen_holidays), ("makeup_days", makeup_days, &mut seen_makeup)]
    {
        if list.len() > MAX_DAYS_PER_YEAR {
            problems.add(field, format!("must list at most {MAX_DAYS_PER_YEAR} dates, got {}", list.len()));
        }
        for (i, d) in list.iter().enumerate() {
            if d.year() != year {
                problems.add(format!("{field}[{i}]"), format!("`{d}` is not in {year}"));
            } else if !seen.insert(*d) {
                problems.add(format!("{field}[{i}]"), format!("`{d}` is listed twice"));
            }
        }
    }
    for (i, d) in makeup_days.iter().enumerate() {
        if seen_holidays.contains(d) {
            problems.add(format!("makeup_days[{i}]"), format!("`{d}` is also listed as a holiday"));
        }
    }
    problems.finish()?;
    Ok(HolidayYear {
        year,
        holidays: seen_holidays.into_iter().collect(),
        makeup_days: seen_makeup.into_iter().collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// The calendar
// ---------------------------------------------------------------------------------------------

/// An office's working calendar with the holidays of some years, ready for deadline arithmetic.
///
/// Holidays and make-up days are known only for the years loaded into it; any other year follows
/// the weekly pattern alone. A date listed both as a holiday and a make-up day (which
/// [`Oa::set_holidays`](crate::Oa::set_holidays) refuses) counts as a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    /// Working weekdays, indexed from Monday.
    weekly: [bool; 7],
    /// Working intervals in seconds of the day, in order, not overlapping, each `start < end`.
    intervals: Vec<(i64, i64)>,
    /// Seconds east of UTC.
    offset_seconds: i32,
    holidays: BTreeSet<NaiveDate>,
    makeup_days: BTreeSet<NaiveDate>,
    /// The settings as given (normalised), to hand back.
    settings: WorkCalendarSettings,
}

impl Default for WorkCalendar {
    /// The default calendar: Monday to Friday, 09:00–12:00 and 13:30–18:00, `+08:00`, no holidays.
    fn default() -> Self {
        let settings = WorkCalendarSettings::default();
        WorkCalendar {
            weekly: [true, true, true, true, true, false, false],
            intervals: vec![(9 * 3600, 12 * 3600), (13 * 3600 + 1800, 18 * 3600)],
            offset_seconds: 8 * 3600,
            holidays: BTreeSet::new(),
            makeup_days: BTreeSet::new(),
            settings,
        }
    }
}

/// Why a calendar cannot place a deadline.
fn no_working_time() -> OaError {
    OaError::InvalidState("the working calendar has no working days or no working hours".into())
}

/// A duration that reaches past the last date that can be represented.
fn too_far() -> OaError {
    OaError::invalid("duration", "reaches past the last date that can be counted")
}

impl WorkCalendar {
    /// A calendar with `settings` and the given holidays and make-up days (of any years).
    ///
    /// Fails with a validation error naming every bad field of the settings.
    pub fn new(
        settings: &WorkCalendarSettings,
        holidays: impl IntoIterator<Item = NaiveDate>,
        makeup_days: impl IntoIterator<Item = NaiveDate>,
    ) -> OaResult<Self> {
        let parsed = parse_settings(settings)?;
        Ok(WorkCalendar {
            settings: normalised(settings, &parsed),
            weekly: parsed.weekly,
            intervals: parsed.intervals,
            offset_seconds: parsed.offset_seconds,
            holidays: holidays.into_iter().collect(),
            makeup_days: makeup_days.into_iter().collect(),
        })
    }

    /// Adds one year's lists (replacing nothing: dates accumulate).
    pub fn add_year(&mut self, year: &HolidayYear) {
        self.holidays.extend(year.holidays.iter().copied());
        self.makeup_days.extend(year.makeup_days.iter().copied());
    }

    /// The settings this calendar was built from (normalised).
    pub fn settings(&self) -> &WorkCalendarSettings {
        &self.settings
    }

    /// The office's time zone.
    pub fn offset(&self) -> FixedOffset {
        // Checked when parsed (at most ±14:00), so the fallback is never taken.
        FixedOffset::east_opt(self.offset_seconds).unwrap_or_else(|| Utc.fix())
    }

    /// The office's local date and time at instant `at`.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.offset()).naive_local()
    }

    /// The office's local date at instant `at`.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        self.local(at).date()
    }

    fn weekly_works(&self, date: NaiveDate) -> bool {
        self.weekly[date.weekday().num_days_from_monday() as usize]
    }

    /// Whether `date` is a working day: a make-up day, or a weekday of the weekly pattern that is
    /// not a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.makeup_days.contains(&date) || (self.weekly_works(date) && !self.holidays.contains(&date))
    }

    /// Whether instant `at` falls inside working hours on a working day.
    pub fn is_working_time(&self, at: DateTime<Utc>) -> bool {
        let local = self.local(at);
        let t = since_midnight(local);
        self.is_working_day(local.date())
            && self.intervals.iter().any(|&(s, e)| t >= TimeDelta::seconds(s) && t < TimeDelta::seconds(e))
    }

    /// The working seconds of one working day.
    fn day_seconds(&self) -> i64 {
        self.intervals.iter().map(|(s, e)| e - s).sum()
    }

    /// How many working weekdays the weekly pattern has.
    fn per_week(&self) -> i64 {
        self.weekly.iter().filter(|w| **w).count() as i64
    }

    /// The number of working days from `from` to `to`, both included (0 when `to < from`).
    ///
    /// Counts whole weeks by the weekly pattern, then corrects by the holidays and make-up days
    /// inside the range: its cost grows with the listed dates in range, not with its length.
    pub fn working_days_in(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to < from {
            return 0;
        }
        let days = (to - from).num_days() + 1;
        let mut count = days / 7 * self.per_week();
        let mut wd = from.weekday();
        for _ in 0..days % 7 {
            if self.weekly[wd.num_days_from_monday() as usize] {
                count += 1;
            }
            wd = wd.succ();
        }
        count -=
            self.holidays.range(from..=to).filter(|h| self.weekly_works(**h) && !self.makeup_days.contains(h)).count()
                as i64;
        count += self.makeup_days.range(from..=to).filter(|m| !self.weekly_works(**m)).count() as i64;
        count
    }

    /// The `n`-th working day after `date` (`n >= 1`; `date` itself does not count).
    fn nth_working_day_after(&self, date: NaiveDate, n: u64) -> OaResult<NaiveDate> {
        if n == 0 {
            return Ok(date);
        }
        let per_week = self.per_week() as u64;
        if per_week == 0 {
            // Only make-up days work; there are finitely many of them.
            let index = usize::try_from(n - 1).map_err(|_| no_working_time())?;
            return date
                .succ_opt()
                .and_then(|next| self.makeup_days.range(next..).nth(index).copied())
                .ok_or_else(no_working_time);
        }
        let mut cur = date;
        let mut remaining = n;
        // Skip whole weeks by counting while more than two weeks' worth remain; each skip stops
        // short of the target, so the walk below only covers the last stretch.
        'jump: while remaining > 2 * per_week {
            let mut weeks = remaining / per_week - 1;
            while weeks > 0 {
                let to = weeks.checked_mul(7).and_then(|d| cur.checked_add_days(Days::new(d))).ok_or_else(too_far)?;
                let from = cur.succ_opt().ok_or_else(too_far)?;
                let count = self.working_days_in(from, to).max(0) as u64;
                if count < remaining {
                    cur = to;
                    remaining -= count;
                    continue 'jump;
                }
                // Many make-up days in the span; try a shorter one.
                weeks /= 2;
            }
            break;
        }
        // Fewer than about two weeks of working days remain, plus whatever holidays lie between:
        // a walk bounded by the listed holidays.
        loop {
            cur = cur.succ_opt().ok_or_else(too_far)?;
            if self.is_working_day(cur) {
                remaining -= 1;
                if remaining == 0 {
                    return Ok(cur);
                }
            }
        }
    }

    /// The first working instant at or after `local`: `local` itself inside working hours,
    /// otherwise the start of the next working interval. As a date and a time since its midnight.
    fn normalise(&self, local: NaiveDateTime) -> OaResult<(NaiveDate, TimeDelta)> {
        let first = self.intervals.first().ok_or_else(no_working_time)?;
        let date = local.date();
        let t = since_midnight(local);
        if self.is_working_day(date) {
            for &(s, e) in &self.intervals {
                if t < TimeDelta::seconds(e) {
                    return Ok((date, t.max(TimeDelta::seconds(s))));
                }
            }
        }
        Ok((self.nth_working_day_after(date, 1)?, TimeDelta::seconds(first.0)))
    }

    /// Spends `need` of working time in one working day from `t`: `Ok(position)` where it is
    /// spent, or `Err(left)` with what the rest of the day could not hold.
    fn spend(&self, t: TimeDelta, mut need: TimeDelta) -> Result<TimeDelta, TimeDelta> {
        for &(s, e) in &self.intervals {
            let (s, e) = (TimeDelta::seconds(s), TimeDelta::seconds(e));
            if t >= e {
                continue;
            }
            let from = t.max(s);
            let available = e - from;
            if need <= available {
                return Ok(from + need);
            }
            need -= available;
        }
        Err(need)
    }

    /// The working time on `date` between times `from` and `to` of that day.
    fn worked(&self, date: NaiveDate, from: TimeDelta, to: TimeDelta) -> TimeDelta {
        if !self.is_working_day(date) {
            return TimeDelta::zero();
        }
        self.intervals
            .iter()
            .map(|&(s, e)| {
                let lo = from.max(TimeDelta::seconds(s));
                let hi = to.min(TimeDelta::seconds(e));
                if hi > lo {
                    hi - lo
                } else {
                    TimeDelta::zero()
                }
            })
            .sum()
    }

    /// The instant at time `t` (since midnight) of local date `date`.
    fn instant(&self, date: NaiveDate, t: TimeDelta) -> OaResult<DateTime<Utc>> {
        let local = date.and_time(NaiveTime::MIN).checked_add_signed(t).ok_or_else(too_far)?;
        self.offset().from_local_datetime(&local).single().map(|d| d.with_timezone(&Utc)).ok_or_else(too_far)
    }

    /// The first working instant at or after `at`: `at` itself when inside working hours on a
    /// working day, otherwise the start of the next working interval.
    pub fn next_working_time(&self, at: DateTime<Utc>) -> OaResult<DateTime<Utc>> {
        let (date, t) = self.normalise(self.local(at))?;
        self.instant(date, t)
    }

    /// When `duration` of working time after `start` has passed: the deadline.
    ///
    /// - Working minutes and hours are counted only inside working hours on working days: 4
    ///   working hours from Friday 16:00 end on Monday at 11:00. The result is the earliest
    ///   instant at which the time has passed, so it may be the end of an interval (12:00).
    /// - Working days keep the clock time: 2 working days from Tuesday 10:15 end on Thursday at
    ///   10:15. A start outside working hours first rolls forward to the next working instant, so
    ///   2 working days from Saturday 10:00 end on Wednesday at 09:00.
    /// - A zero duration returns `start` unchanged.
    ///
    /// Fails with `invalid_state` when the calendar has no working time at all, and with a
    /// validation error on `duration` when the deadline would fall past the last representable
    /// date. The cost does not grow with the duration: whole weeks are skipped by counting.
    pub fn add_working_time(&self, start: DateTime<Utc>, duration: WorkDuration) -> OaResult<DateTime<Utc>> {
        if duration.amount == 0 {
            return Ok(start);
        }
        let (date, t) = self.normalise(self.local(start))?;
        let seconds = match duration.unit {
            WorkUnit::Days => {
                let day = self.nth_working_day_after(date, u64::from(duration.amount))?;
                return self.instant(day, t);
            }
            WorkUnit::Hours => i64::from(duration.amount) * 3600,
            WorkUnit::Minutes => i64::from(duration.amount) * 60,
        };
        let rest = match self.spend(t, TimeDelta::seconds(seconds)) {
            Ok(position) => return self.instant(date, position),
            Err(rest) => rest,
        };
        // `rest` is more than zero: spend whole working days, then part of one more.
        let day_seconds = self.day_seconds();
        if day_seconds <= 0 {
            return Err(no_working_time());
        }
        let whole = rest.num_seconds() + i64::from(rest.subsec_nanos() > 0);
        let full_days = (whole - 1) / day_seconds;
        let last = rest - TimeDelta::seconds(full_days * day_seconds);
        let day = self.nth_working_day_after(date, full_days as u64 + 1)?;
        let start_of_day = TimeDelta::seconds(self.intervals.first().map_or(0, |i| i.0));
        match self.spend(start_of_day, last) {
            Ok(position) => self.instant(day, position),
            // A whole day holds at least `last`; this would be a bug.
            Err(_) => Err(OaError::Internal("working time did not fit in a working day".into())),
        }
    }

    /// The working time from `from` to `to`, in whole minutes (rounded down); 0 when `to` is not
    /// after `from`. For monitoring: how long a task waited, in working time.
    ///
    /// For a start inside working hours and any `d`,
    /// `working_time_between(s, add_working_time(s, d minutes)) == d`.
    pub fn working_time_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
        if to <= from {
            return 0;
        }
        let (a, b) = (self.local(from), self.local(to));
        let (da, db) = (a.date(), b.date());
        let total = if da == db {
            self.worked(da, since_midnight(a), since_midnight(b))
        } else {
            let head = self.worked(da, since_midnight(a), TimeDelta::seconds(SECONDS_PER_DAY));
            let tail = self.worked(db, TimeDelta::zero(), since_midnight(b));
            let middle = match (da.succ_opt(), db.pred_opt()) {
                (Some(f), Some(t)) => self.working_days_in(f, t),
                _ => 0,
            };
            // At most about 10^8 days of 86 400 seconds: far inside an i64.
            head + tail + TimeDelta::seconds(middle * self.day_seconds())
        };
        u64::try_from(total.num_minutes()).unwrap_or(0)
    }
}

/// The office's time zone, as its working calendar sets it (`+08:00` when never set).
pub(crate) fn office_offset(tx: &mut dyn oa_storage::ReadTxn) -> OaResult<FixedOffset> {
    let settings = store::read_settings(tx)?;
    let seconds = parse_utc_offset(settings.utc_offset.trim()).unwrap_or(8 * 3600);
    Ok(FixedOffset::east_opt(seconds).unwrap_or_else(|| Utc.fix()))
}

/// The time since midnight of a local date-time, with its fraction of a second.
fn since_midnight(local: NaiveDateTime) -> TimeDelta {
    local.time().signed_duration_since(NaiveTime::MIN)
}
