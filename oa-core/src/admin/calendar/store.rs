//! Where the working calendar is kept: the settings under `admin.calendar`, each year's lists
//! under `admin.cal/<year>`.

use std::ops::{Bound, RangeInclusive};
use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use parking_lot::RwLock;
use serde::{Deserialize, Serialize};

use oa_storage::{Direction, Key, KeyRange, ReadTxn, Value, WriteTxn};

use super::{check_holidays, parse_settings, HolidayYear, WorkCalendar, WorkCalendarSettings, MAX_YEAR};
use crate::codec::{self, Record};
use crate::db;
use crate::keys::KeyBuf;
use crate::OaResult;

/// The stored settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredCalendar {
    settings: WorkCalendarSettings,
    #[serde(with = "crate::codec::instant")]
    updated_at: DateTime<Utc>,
}

impl Record for StoredCalendar {
    const KIND: &'static str = "working calendar";
    const VERSION: u16 = crate::codec::COMPACT;
}

/// One stored year of holidays and make-up days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct StoredYear {
    year: i32,
    holidays: Vec<NaiveDate>,
    makeup_days: Vec<NaiveDate>,
    #[serde(with = "crate::codec::instant")]
    updated_at: DateTime<Utc>,
}

impl Record for StoredYear {
    const KIND: &'static str = "holiday list";
    const VERSION: u16 = crate::codec::COMPACT;
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
    Ok(stored.map_or_else(WorkCalendarSettings::default, settings_from))
}

/// The settings a stored record gives: the defaults when they no longer pass validation.
fn settings_from(stored: StoredCalendar) -> WorkCalendarSettings {
    if parse_settings(&stored.settings).is_ok() {
        stored.settings
    } else {
        tracing::warn!("stored working calendar ignored; the default calendar applies");
        WorkCalendarSettings::default()
    }
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
/// does. One read of the settings and one range scan; a stored year costs one record. The
/// calendar built from what they read is kept (see [`CalendarCache`]), so reading the same
/// records again costs no decoding.
pub(crate) fn load_calendar(tx: &mut dyn ReadTxn, years: RangeInclusive<i32>) -> OaResult<WorkCalendar> {
    let settings = tx.get(settings_key().as_bytes())?;
    let range = KeyRange {
        start: Bound::Included(year_key(*years.start()).into_bytes()),
        end: Bound::Included(year_key(*years.end()).into_bytes()),
    };
    // A year is one record; read them in chunks so that no scan is unbounded.
    const CHUNK: usize = 64;
    let mut window = range;
    let mut stored_years = Vec::new();
    loop {
        let entries = tx.scan(&window, Direction::Forward, CHUNK)?;
        let exhausted = entries.len() < CHUNK;
        if let Some((last, _)) = entries.last() {
            window.start = Bound::Excluded(last.clone());
        }
        stored_years.extend(entries);
        if exhausted {
            break;
        }
    }
    let read = Read { settings, years: stored_years };
    if let Some(calendar) = CALENDARS.find(&read) {
        return Ok(WorkCalendar::clone(&calendar));
    }
    let calendar = Arc::new(build(&read)?);
    CALENDARS.keep(read, calendar.clone());
    Ok(WorkCalendar::clone(&calendar))
}

/// What a calendar is built from: the stored settings and years, as read.
#[derive(Debug, PartialEq, Eq)]
struct Read {
    settings: Option<Value>,
    years: Vec<(Key, Value)>,
}

/// The calendar that stored records give.
fn build(read: &Read) -> OaResult<WorkCalendar> {
    let settings = match &read.settings {
        Some(raw) => settings_from(codec::decode(raw)?),
        None => WorkCalendarSettings::default(),
    };
    let mut calendar = WorkCalendar::new(&settings, [], [])?;
    for (_, v) in &read.years {
        let stored: StoredYear = codec::decode(v)?;
        calendar.add_year(&HolidayYear {
            year: stored.year,
            holidays: stored.holidays,
            makeup_days: stored.makeup_days,
        });
    }
    Ok(calendar)
}

/// How many calendars [`CalendarCache`] keeps: an office asks for a few ranges of years.
const CALENDARS_KEPT: usize = 4;

/// Calendars built from the records they were read from, for every office of the process.
///
/// The workflow engine reads the calendar in most actions (deadlines, time spent per node), and
/// building it parses the settings and gathers the holidays of every year read. A calendar is
/// served only when the records the caller's transaction just read are equal, byte for byte, to
/// those it was built from, so a change of settings or holidays made through any handle, in a
/// transaction run again or rolled back, is never missed, and offices sharing the cache never
/// see each other's calendars. Process-wide because the engine reads the calendar with a
/// transaction alone.
#[derive(Debug, Default)]
struct CalendarCache {
    kept: RwLock<Vec<(Read, Arc<WorkCalendar>)>>,
}

static CALENDARS: LazyLock<CalendarCache> = LazyLock::new(CalendarCache::default);

impl CalendarCache {
    /// The calendar built from exactly `read`, if kept.
    fn find(&self, read: &Read) -> Option<Arc<WorkCalendar>> {
        self.kept.read().iter().find(|(r, _)| r == read).map(|(_, c)| c.clone())
    }

    /// Keeps `calendar`, built from `read`, in place of the oldest when full.
    fn keep(&self, read: Read, calendar: Arc<WorkCalendar>) {
        let mut kept = self.kept.write();
        if kept.len() >= CALENDARS_KEPT {
            kept.remove(0);
        }
        kept.push((read, calendar));
    }
}

/// The calendar for computations that start at `start` and may run any length: the years from
/// the one before `start` (its local year may differ from its UTC year) to the last year that
/// can hold holidays.
pub(crate) fn load_calendar_from(tx: &mut dyn ReadTxn, start: DateTime<Utc>) -> OaResult<WorkCalendar> {
    load_calendar(tx, start.year().saturating_sub(1)..=MAX_YEAR)
}
