//! Integration tests of the `oa` binary: each test runs the built command line over an office in
//! a temporary folder, as an administrator's script would.

mod support;

mod admin;
mod attachments;
mod auth;
mod calendar;
mod errors;
mod forms;
mod monitor;
mod numbering;
mod org;
mod perm;
mod scenario;
mod workflow;
