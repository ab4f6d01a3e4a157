//! Scenario tests through the public `oa` API. Every scenario runs on the memory store and on
//! sled (see `support::on_every_backend!`). One binary, so the library links once.

// A test that meets an unexpected error should stop right there, loudly.
#![allow(clippy::unwrap_used)]

mod support;

mod bad_input;
mod office_day;
mod separation_of_duties;
mod sign_in;
mod storage;
mod workflow_day;
mod workflow_delegation;
