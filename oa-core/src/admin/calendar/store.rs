//! Where the working calendar is kept: the settings under `admin.calendar`, each year's lists
//! under `admin.cal/<year>`.

use std::ops::{Bound, RangeInclusive};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use oa_storage::{Direction, KeyRange, ReadTxn, WriteTxn};

use super::{check_holidays, parse_settings, HolidayYear, WorkCalendar, WorkCalendarSettings, MAX_YEAR};
use crate::codec::{self, Record};
use crate::db;
use crate::keys::KeyBuf;
use crate::OaResult;

/// The stored settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredCalendar {
    settings: WorkCalendarSettings,
    updated_at: DateTime<Utc>,
}

impl Record for StoredCalendar {
    const KIND: &'static str = "working calendar";
}

/// One stored year of holidays and make-up days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredYear {
    year: i32,
    holidays: Vec<NaiveDate>,
    makeup_days: Vec<NaiveDate>,
    updated_at: DateTime<Utc>,
}

impl Record for StoredYear {
    const KIND: &'static str = "holiday list";
}

fn settings_key() -> KeyBuf {
    KeyBuf::new("admin.calendar")
}

fn year_key(year: i32) -> KeyBuf {
    KeyBuf::new("admin.cal").i64(i64::from(year))
}

/// The office's settings; the defaults when none were set.
///
/// A stored value that no longer passes validation (a rule tightened by a later release) reads
/// as unset, so the defaults apply, like a parameter's.
pub(crate) fn read_settings(tx: &mut dyn ReadTxn) -> OaResult<WorkCalendarSettings> {
    let stored: Option<StoredCalendar> = db::get(tx, settings_key().as_bytes())?;
    Ok(match stored {
        Some(s) if parse_settings(&s.settings).is_ok() => s.settings,
        Some(_) => {
            tracing::warn!("stored working calendar ignored; the default calendar applies");
            WorkCalendarSettings::default()
        }
        None => WorkCalendarSettings::default(),
    })
}

/// Validates and stores the settings, returning them normalised.
pub(crate) fn write_settings(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    settings: &WorkCalendarSettings,
) -> OaResult<WorkCalendarSettings> {
    let parsed = parse_settings(settings)?;
    let settings = super::normalised(settings, &parsed);
    db::put(tx, settings_key().as_bytes(), &StoredCalendar { settings: settings.clone(), updated_at: now })?;
    Ok(settings)
}

/// One year's lists (empty when never set).
pub(crate) fn read_year(tx: &mut dyn ReadTxn, year: i32) -> OaResult<HolidayYear> {
    let stored: Option<StoredYear> = db::get(tx, year_key(year).as_bytes())?;
    Ok(match stored {
        Some(s) => HolidayYear { year, holidays: s.holidays, makeup_days: s.makeup_days },
        None => HolidayYear { year, holidays: Vec::new(), makeup_days: Vec::new() },
    })
}

/// Validates and replaces one year's lists; two empty lists remove the year's record.
pub(crate) fn write_year(
    tx: &mut dyn WriteTxn,
    now: DateTime<Utc>,
    year: i32,
    holidays: &[NaiveDate],
    makeup_days: &[NaiveDate],
) -> OaResult<HolidayYear> {
    let checked = check_holidays(year, holidays, makeup_days)?;
    let key = year_key(year);
    if checked.holidays.is_empty() && checked.makeup_days.is_empty() {
        tx.delete(key.as_bytes())?;
    } else {
        let stored = StoredYear {
            year,
            holidays: checked.holidays.clone(),
            makeup_days: checked.makeup_days.clone(),
            updated_at: now,
        };
        db::put(tx, key.as_bytes(), &stored)?;
    }
    Ok(checked)
}

/// The office's working calendar with the holidays and make-up days of the years `years`.
///
/// This is how the workflow engine counts deadlines inside its own transactions. Years outside
/// `years` follow the weekly pattern alone, so pass every year a computation may reach: a
/// deadline of a few working days needs the start's year and the next; a computation whose end
/// is unknown (a long duration) should load every later year too, as [`load_calendar_from`]
/// does. One range scan; a stored year costs one record.
pub(crate) fn load_calendar(tx: &mut dyn ReadTxn, years: RangeInclusive<i32>) -> OaResult<WorkCalendar> {
    let settings = read_settings(tx)?;
    let mut calendar = WorkCalendar::new(&settings, [], [])?;
    let range = KeyRange {
        start: Bound::Included(year_key(*years.start()).into_bytes()),
        end: Bound::Included(year_key(*years.end()).into_bytes()),
    };
    // A year is one record; read them in chunks so that no scan is unbounded.
    const CHUNK: usize = 64;
    let mut window = range;
    loop {
        let entries = tx.scan(&window, Direction::Forward, CHUNK)?;
        let exhausted = entries.len() < CHUNK;
        for (k, v) in entries {
            let stored: StoredYear = codec::decode(&v)?;
            calendar.add_year(&HolidayYear {
                year: stored.year,
                holidays: stored.holidays,
                makeup_days: stored.makeup_days,
            });
            window.start = Bound::Excluded(k);
        }
        if exhausted {
            return Ok(calendar);
        }
    }
}

/// The calendar for computations that start at `start` and may run any length: the years from
/// the one before `start` (its local year may differ from its UTC year) to the last year that
/// can hold holidays.
pub(crate) fn load_calendar_from(tx: &mut dyn ReadTxn, start: DateTime<Utc>) -> OaResult<WorkCalendar> {
    load_calendar(tx, start.year().saturating_sub(1)..=MAX_YEAR)
}
