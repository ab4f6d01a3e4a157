//! Printing results: the core's own types as JSON with `--json`, readable tables otherwise.

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;

use crate::failure::{CliResult, Failure};

/// Where a command prints its result.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Out {
    /// Print JSON instead of text.
    pub(crate) json: bool,
}

impl Out {
    /// Prints `value` as JSON with `--json`, else the text `text` makes.
    pub(crate) fn emit<T: Serialize + ?Sized>(&self, value: &T, text: impl FnOnce() -> String) -> CliResult<()> {
        if self.json {
            let json = serde_json::to_string_pretty(value)
                .map_err(|e| Failure::Oa(oa::OaError::Internal(format!("cannot write JSON: {e}"))))?;
            print_line(&json)
        } else {
            let text = text();
            if text.is_empty() {
                Ok(())
            } else {
                print_line(text.trim_end_matches('\n'))
            }
        }
    }

    /// Says on standard error where the next page starts, for text output.
    pub(crate) fn more(&self, next_cursor: Option<&str>) {
        if let (false, Some(cursor)) = (self.json, next_cursor) {
            eprintln!("more: --cursor {cursor}");
        }
    }
}

/// Prints a line on standard output. A reader that went away (`oa ... | head`) ends the output
/// quietly, as for any other command-line tool.
fn print_line(text: &str) -> CliResult<()> {
    let mut stdout = std::io::stdout().lock();
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Io(format!("cannot write the result: {e}"))),
    }
}

/// A table with `header`, drawn to fit the terminal when there is one.
pub(crate) fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic).set_header(header.to_vec());
    t
}

/// A two-column table of names and values, for one record.
pub(crate) fn record(rows: Vec<(&str, String)>) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    for (name, value) in rows {
        t.add_row(vec![name.to_string(), value]);
    }
    t.to_string()
}

/// An optional text, empty when absent.
pub(crate) fn opt(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// An instant to the second, in UTC.
pub(crate) fn instant(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// A length of time given in whole seconds, as people read it: `2d 3h`, `5h 30m`, `45m`, `20s`.
pub(crate) fn span(seconds: u64) -> String {
    let (d, h, m, s) = (seconds / 86_400, seconds % 86_400 / 3600, seconds % 3600 / 60, seconds % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, _) => format!("{m}m"),
        (0, _, _) => format!("{h}h {m}m"),
        _ => format!("{d}d {h}h"),
    }
}

/// A length of working time given in whole minutes (`3h 30m` of working time).
pub(crate) fn working(minutes: u64) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    if h == 0 {
        format!("{m}m")
    } else {
        format!("{h}h {m}m")
    }
}

/// `yes` or `no`.
pub(crate) fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// A serde enum as its JSON word (`active`, `own_dept`).
pub(crate) fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_as_people_say_them() {
        assert_eq!(span(20), "20s");
        assert_eq!(span(45 * 60 + 10), "45m");
        assert_eq!(span(5 * 3600 + 30 * 60), "5h 30m");
        assert_eq!(span(2 * 86_400 + 3 * 3600 + 59), "2d 3h");
        assert_eq!(working(0), "0m");
        assert_eq!(working(210), "3h 30m");
    }
}
