//! Operations of the office itself: parameters (参数维护) now; numbering, backup and restore,
//! integrity checks and migrations as they land.

pub mod calendar;
pub mod numbering;
pub mod params;
