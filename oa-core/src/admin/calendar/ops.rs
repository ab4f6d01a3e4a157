//! The public operations on the working calendar.

use chrono::{DateTime, NaiveDate, Utc};

use super::store;
use super::{HolidayYear, WorkCalendarSettings, WorkDuration};
use crate::engine::{Change, Oa, PendingPassword, Session};
use crate::OaResult;

/// The permission to see the working calendar and its holidays.
pub(crate) const CALENDAR_READ: &str = "admin.calendar.read";
/// The permission to change the working calendar and its holidays.
pub(crate) const CALENDAR_UPDATE: &str = "admin.calendar.update";

/// A one-line account of settings, for the audit log.
fn describe(settings: &WorkCalendarSettings) -> String {
    let days: Vec<String> = settings.working_weekdays.iter().map(ToString::to_string).collect();
    let hours: Vec<String> = settings.hours.iter().map(ToString::to_string).collect();
    format!("working days {}, hours {}, zone {}", days.join(" "), hours.join(", "), settings.utc_offset)
}

impl Oa {
    /// The office's working calendar settings: weekly pattern, working hours and time zone (the
    /// defaults when never set). Needs `admin.calendar.read`.
    pub fn get_work_calendar(&self, session: &Session) -> OaResult<WorkCalendarSettings> {
        self.query(session, "admin.calendar.get", PendingPassword::Refuse, |qx| {
            qx.require(CALENDAR_READ)?;
            store::read_settings(qx.tx)
        })
    }

    /// Today's date in the office's time zone (the calendar's `utc_offset`, +08:00 unless
    /// set), by the office's clock: the day a delegation's `first_day` and `last_day` are
    /// counted from, which may not be today in UTC or on the caller's device. Any signed-in
    /// person may ask; the calendar's settings themselves need `admin.calendar.read`.
    pub fn today(&self, session: &Session) -> OaResult<NaiveDate> {
        self.query(session, "admin.calendar.today", PendingPassword::Refuse, |qx| {
            Ok(qx.now.with_timezone(&super::office_offset(qx.tx)?).date_naive())
        })
    }

    /// Replaces the office's weekly pattern, working hours and time zone. Needs
    /// `admin.calendar.update`; audited.
    ///
    /// Validation names every failing field: `working_weekdays` (none, or one listed twice),
    /// `hours[i].start` / `hours[i].end` (not on a whole minute, end not after start, out of
    /// order or overlapping), `utc_offset` (not `±HH:MM`, beyond ±14:00). Deadlines already
    /// computed are not moved; new ones follow the new settings.
    pub fn set_work_calendar(
        &self,
        session: &Session,
        settings: WorkCalendarSettings,
    ) -> OaResult<WorkCalendarSettings> {
        self.mutate(session, "admin.calendar.set", PendingPassword::Refuse, |cx| {
            cx.require(CALENDAR_UPDATE)?;
            let before = store::read_settings(cx.read())?;
            let after = store::write_settings(cx.tx, cx.now, &settings)?;
            let summary = format!("{} → {}", describe(&before), describe(&after));
            Ok((after, Change::new("calendar", summary)))
        })
    }

    /// Replaces one year's public holidays and make-up working days (调休). Needs
    /// `admin.calendar.update`; audited.
    ///
    /// Validation names every failing field: `year` (outside 1900–9999), `holidays[i]` and
    /// `makeup_days[i]` (a date outside the year, listed twice, or both a holiday and a make-up
    /// day). The lists come back sorted. Two empty lists clear the year.
    pub fn set_holidays(
        &self,
        session: &Session,
        year: i32,
        holidays: Vec<NaiveDate>,
        makeup_days: Vec<NaiveDate>,
    ) -> OaResult<HolidayYear> {
        self.mutate(session, "admin.calendar.holidays.set", PendingPassword::Refuse, |cx| {
            cx.require(CALENDAR_UPDATE)?;
            let before = store::read_year(cx.read(), year)?;
            let after = store::write_year(cx.tx, cx.now, year, &holidays, &makeup_days)?;
            let summary = format!(
                "{year}: {} holidays, {} make-up days → {} holidays, {} make-up days",
                before.holidays.len(),
                before.makeup_days.len(),
                after.holidays.len(),
                after.makeup_days.len()
            );
            Ok((after, Change::new(format!("calendar:{year}"), summary)))
        })
    }

    /// One year's holidays and make-up days (empty lists when never set). Needs
    /// `admin.calendar.read`.
    pub fn list_holidays(&self, session: &Session, year: i32) -> OaResult<HolidayYear> {
        self.query(session, "admin.calendar.holidays.list", PendingPassword::Refuse, |qx| {
            qx.require(CALENDAR_READ)?;
            super::check_holidays(year, &[], &[])?;
            store::read_year(qx.tx, year)
        })
    }

    /// The deadline `duration` of working time after `start`, by the office's calendar (see
    /// [`WorkCalendar::add_working_time`](super::WorkCalendar::add_working_time)).
    ///
    /// Any signed-in person may ask: user interfaces show deadlines to everyone, and a calendar
    /// of working days is no secret. Holidays of every year from the one before `start` on are
    /// taken into account.
    pub fn add_working_time(
        &self,
        session: &Session,
        start: DateTime<Utc>,
        duration: WorkDuration,
    ) -> OaResult<DateTime<Utc>> {
        self.query(session, "admin.calendar.add_working_time", PendingPassword::Refuse, |qx| {
            let calendar = store::load_calendar_from(qx.tx, start)?;
            calendar.add_working_time(start, duration)
        })
    }
}
