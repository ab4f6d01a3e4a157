//! `oa calendar ...`: the core's working calendar (工作日历) and deadlines in working time.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc, Weekday};
use oa::{HolidayYear, WorkCalendarSettings, WorkDuration};
use serde::Serialize;

use crate::cli::CalendarCmd;
use crate::failure::CliResult;
use crate::output::{self, Out};
use crate::session::Signed;

/// The answer of `oa calendar add`.
#[derive(Debug, Serialize)]
struct Deadline {
    start: DateTime<Utc>,
    duration: WorkDuration,
    deadline: DateTime<Utc>,
}

/// Runs `oa calendar ...`.
pub(crate) fn run(signed: &Signed, cmd: &CalendarCmd, out: Out) -> CliResult<()> {
    let office = &signed.office;
    let session = &signed.session;
    match cmd {
        CalendarCmd::Show => show(&office.get_work_calendar(session)?, out),
        CalendarCmd::Set { weekdays, hours, utc_offset } => {
            // Only what is given changes: the rest is read back first (the core replaces all).
            let mut settings = if weekdays.is_some() && hours.is_some() && utc_offset.is_some() {
                WorkCalendarSettings::default()
            } else {
                office.get_work_calendar(session)?
            };
            if let Some(days) = weekdays {
                settings.working_weekdays = days.clone();
            }
            if let Some(hours) = hours {
                settings.hours = hours.clone();
            }
            if let Some(offset) = utc_offset {
                settings.utc_offset = offset.clone();
            }
            show(&office.set_work_calendar(session, settings)?, out)
        }
        CalendarCmd::Today => {
            let today = office.today(session)?;
            out.emit(&today, || today.to_string())
        }
        CalendarCmd::Holidays { year } => show_year(&office.list_holidays(session, *year)?, out),
        CalendarCmd::SetHolidays { year, holidays, makeup, clear } => {
            let (holidays, makeup) = if *clear {
                (Vec::new(), Vec::new())
            } else {
                // A list not given is kept as it is.
                let current = match (holidays, makeup) {
                    (Some(_), Some(_)) => None,
                    _ => Some(office.list_holidays(session, *year)?),
                };
                (
                    holidays.clone().or_else(|| current.as_ref().map(|c| c.holidays.clone())).unwrap_or_default(),
                    makeup.clone().or_else(|| current.as_ref().map(|c| c.makeup_days.clone())).unwrap_or_default(),
                )
            };
            show_year(&office.set_holidays(session, *year, holidays, makeup)?, out)
        }
        CalendarCmd::Add { start, duration } => {
            let from = start.with_timezone(&Utc);
            let deadline = office.add_working_time(session, from, *duration)?;
            let answer = Deadline { start: from, duration: *duration, deadline };
            out.emit(&answer, || {
                // Read in the offset the start was given in, which is how the caller thinks.
                let local =
                    |at: &DateTime<Utc>| at.with_timezone(&start.timezone()).to_rfc3339_opts(SecondsFormat::Secs, true);
                output::record(vec![
                    ("start", local(&from)),
                    ("working time", duration.to_string()),
                    ("deadline", local(&deadline)),
                ])
            })
        }
    }
}

/// A weekday as people type it (`mon`).
fn day_word(day: Weekday) -> String {
    day.to_string().to_lowercase()
}

/// The calendar settings, every field.
fn show(s: &WorkCalendarSettings, out: Out) -> CliResult<()> {
    out.emit(s, || {
        output::record(vec![
            ("working days", s.working_weekdays.iter().map(|d| day_word(*d)).collect::<Vec<_>>().join(", ")),
            ("working hours", s.hours.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")),
            ("utc offset", s.utc_offset.clone()),
        ])
    })
}

/// Dates one a line, each with its weekday.
fn dates(list: &[NaiveDate]) -> String {
    list.iter().map(|d| format!("{d} {}", day_word(d.weekday()))).collect::<Vec<_>>().join("\n")
}

/// One year's holidays and make-up days.
fn show_year(y: &HolidayYear, out: Out) -> CliResult<()> {
    out.emit(y, || {
        output::record(vec![
            ("year", y.year.to_string()),
            ("holidays", dates(&y.holidays)),
            ("make-up working days", dates(&y.makeup_days)),
        ])
    })
}
