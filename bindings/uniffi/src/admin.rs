//! The records of the working calendar (工作日历) and of document numbering (文号).

use std::time::SystemTime;

use chrono::Weekday as ChronoWeekday;
use oa::admin::numbering;

use crate::types::{to_system, LocalDate, LocalTime};

// ---------------------------------------------------------------------------------------------
// Working calendar
// ---------------------------------------------------------------------------------------------

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Weekday {
    /// Monday.
    Monday,
    /// Tuesday.
    Tuesday,
    /// Wednesday.
    Wednesday,
    /// Thursday.
    Thursday,
    /// Friday.
    Friday,
    /// Saturday.
    Saturday,
    /// Sunday.
    Sunday,
}

impl From<ChronoWeekday> for Weekday {
    fn from(d: ChronoWeekday) -> Self {
        match d {
            ChronoWeekday::Mon => Weekday::Monday,
            ChronoWeekday::Tue => Weekday::Tuesday,
            ChronoWeekday::Wed => Weekday::Wednesday,
            ChronoWeekday::Thu => Weekday::Thursday,
            ChronoWeekday::Fri => Weekday::Friday,
            ChronoWeekday::Sat => Weekday::Saturday,
            ChronoWeekday::Sun => Weekday::Sunday,
        }
    }
}

impl From<Weekday> for ChronoWeekday {
    fn from(d: Weekday) -> Self {
        match d {
            Weekday::Monday => ChronoWeekday::Mon,
            Weekday::Tuesday => ChronoWeekday::Tue,
            Weekday::Wednesday => ChronoWeekday::Wed,
            Weekday::Thursday => ChronoWeekday::Thu,
            Weekday::Friday => ChronoWeekday::Fri,
            Weekday::Saturday => ChronoWeekday::Sat,
            Weekday::Sunday => ChronoWeekday::Sun,
        }
    }
}

/// One interval of working hours within a day, such as 09:00–12:00 (whole minutes; an `end`
/// of 00:00 means midnight at the end of the day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct WorkHours {
    /// When work starts.
    pub start: LocalTime,
    /// When work stops.
    pub end: LocalTime,
}

/// The settings of an office's working calendar: weekly pattern, working hours and zone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct WorkCalendarSettings {
    /// The weekdays that are working days unless a holiday says otherwise.
    pub working_weekdays: Vec<Weekday>,
    /// The working hours of every working day, in order and not overlapping.
    pub hours: Vec<WorkHours>,
    /// The office's time zone as a fixed UTC offset (`+08:00`).
    pub utc_offset: String,
}

impl From<oa::WorkCalendarSettings> for WorkCalendarSettings {
    fn from(s: oa::WorkCalendarSettings) -> Self {
        WorkCalendarSettings {
            working_weekdays: s.working_weekdays.into_iter().map(Weekday::from).collect(),
            hours: s.hours.into_iter().map(|h| WorkHours { start: h.start, end: h.end }).collect(),
            utc_offset: s.utc_offset,
        }
    }
}

impl From<WorkCalendarSettings> for oa::WorkCalendarSettings {
    fn from(s: WorkCalendarSettings) -> Self {
        oa::WorkCalendarSettings {
            working_weekdays: s.working_weekdays.into_iter().map(ChronoWeekday::from).collect(),
            hours: s.hours.into_iter().map(|h| oa::WorkHours { start: h.start, end: h.end }).collect(),
            utc_offset: s.utc_offset,
        }
    }
}

/// One year's public holidays (法定节假日) and make-up working days (调休).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HolidayYear {
    /// The year.
    pub year: i32,
    /// Days off although the weekly pattern says work, in date order.
    pub holidays: Vec<LocalDate>,
    /// Days of work although the weekly pattern says rest, in date order.
    pub makeup_days: Vec<LocalDate>,
}

impl From<oa::HolidayYear> for HolidayYear {
    fn from(y: oa::HolidayYear) -> Self {
        HolidayYear { year: y.year, holidays: y.holidays, makeup_days: y.makeup_days }
    }
}

/// The unit of a [`WorkDuration`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum WorkUnit {
    /// Working minutes: counted only inside working hours.
    Minutes,
    /// Working hours: counted only inside working hours.
    Hours,
    /// Working days: the same clock time that many working days later.
    Days,
}

/// An amount of working time: "4 working hours", "2 working days".
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct WorkDuration {
    /// How many units.
    pub amount: u32,
    /// Which unit.
    pub unit: WorkUnit,
}

impl From<WorkDuration> for oa::WorkDuration {
    fn from(d: WorkDuration) -> Self {
        let unit = match d.unit {
            WorkUnit::Minutes => oa::WorkUnit::Minutes,
            WorkUnit::Hours => oa::WorkUnit::Hours,
            WorkUnit::Days => oa::WorkUnit::Days,
        };
        oa::WorkDuration { amount: d.amount, unit }
    }
}

// ---------------------------------------------------------------------------------------------
// Numbering
// ---------------------------------------------------------------------------------------------

/// When a numbering rule's sequence starts again from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SeqReset {
    /// Every 1 January (the pattern must hold `{year}`).
    Yearly,
    /// Every first of the month (the pattern must hold `{year}` and `{month}`).
    Monthly,
    /// Never: one sequence for ever.
    Never,
}

impl From<numbering::SeqReset> for SeqReset {
    fn from(r: numbering::SeqReset) -> Self {
        match r {
            numbering::SeqReset::Yearly => SeqReset::Yearly,
            numbering::SeqReset::Monthly => SeqReset::Monthly,
            numbering::SeqReset::Never => SeqReset::Never,
        }
    }
}

impl From<SeqReset> for numbering::SeqReset {
    fn from(r: SeqReset) -> Self {
        match r {
            SeqReset::Yearly => numbering::SeqReset::Yearly,
            SeqReset::Monthly => numbering::SeqReset::Monthly,
            SeqReset::Never => numbering::SeqReset::Never,
        }
    }
}

/// A numbering rule (编号规则): turns a sequence into the numbers written on documents.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NumberingRule {
    /// The rule's key: unique, `[a-z0-9_]`, 1 to 64 characters (`office_doc`).
    pub key: String,
    /// Its name, as people know it (发文字号).
    pub name: String,
    /// The pattern numbers are written with (`办〔{year}〕{seq}号`).
    pub pattern: String,
    /// The width `{seq}` is zero-padded to; 0 for no padding.
    pub seq_width: u8,
    /// When the sequence starts again.
    pub reset: SeqReset,
    /// When it was created.
    pub created_at: SystemTime,
    /// When it last changed.
    pub updated_at: SystemTime,
}

impl From<oa::NumberingRule> for NumberingRule {
    fn from(r: oa::NumberingRule) -> Self {
        NumberingRule {
            key: r.key,
            name: r.name,
            pattern: r.pattern,
            seq_width: r.seq_width,
            reset: r.reset.into(),
            created_at: to_system(r.created_at),
            updated_at: to_system(r.updated_at),
        }
    }
}

/// A new numbering rule. Placeholders: `{year}`, `{month}`, `{seq}`, `{seq:N}`; `{{` and `}}`
/// for braces.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct NewNumberingRule {
    /// The rule's key: unique, `[a-z0-9_]`, 1 to 64 characters.
    pub key: String,
    /// Its name (1 to 100 characters).
    pub name: String,
    /// The pattern, holding `{seq}` exactly once.
    pub pattern: String,
    /// When the sequence starts again.
    pub reset: SeqReset,
    /// The width `{seq}` is zero-padded to; 0 for no padding.
    #[uniffi(default = 0)]
    pub seq_width: u8,
}

impl From<NewNumberingRule> for oa::NewNumberingRule {
    fn from(r: NewNumberingRule) -> Self {
        oa::NewNumberingRule {
            key: r.key,
            name: r.name,
            pattern: r.pattern,
            seq_width: r.seq_width,
            reset: r.reset.into(),
        }
    }
}

/// A change to a numbering rule; each field given replaces the rule's, and its counters are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct NumberingRulePatch {
    /// A new name.
    #[uniffi(default = None)]
    pub name: Option<String>,
    /// A new pattern.
    #[uniffi(default = None)]
    pub pattern: Option<String>,
    /// A new padding width for `{seq}`.
    #[uniffi(default = None)]
    pub seq_width: Option<u8>,
    /// A new reset period.
    #[uniffi(default = None)]
    pub reset: Option<SeqReset>,
}

impl From<NumberingRulePatch> for oa::NumberingRulePatch {
    fn from(p: NumberingRulePatch) -> Self {
        oa::NumberingRulePatch {
            name: p.name,
            pattern: p.pattern,
            seq_width: p.seq_width,
            reset: p.reset.map(Into::into),
        }
    }
}

/// A number that was issued, and to what.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IssuedNumber {
    /// The rule's key.
    pub rule: String,
    /// The number as written (`办〔2026〕15号`).
    pub number: String,
    /// Its place in the sequence of its period.
    pub seq: u64,
    /// The period it was counted in: `2026`, `2026-03`, or `all`.
    pub period: String,
    /// What it was issued to (`contract:01J…`, or a free text).
    pub owner: String,
    /// When it was issued.
    pub issued_at: SystemTime,
    /// Who issued it by hand (a person's id); `None` when a workflow assigned it.
    pub issued_by: Option<String>,
}

impl From<oa::IssuedNumber> for IssuedNumber {
    fn from(n: oa::IssuedNumber) -> Self {
        IssuedNumber {
            rule: n.rule,
            number: n.number,
            seq: n.seq,
            period: n.period,
            owner: n.owner,
            issued_at: to_system(n.issued_at),
            issued_by: n.issued_by.map(|p| p.to_string()),
        }
    }
}
