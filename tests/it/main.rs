//! Scenario tests through the public `oa` API. Every scenario runs on the memory store and on
//! sled (see `support::on_every_backend!`). One binary, so the library links once.

mod support;

mod bad_input;
mod office_day;
mod separation_of_duties;
mod sign_in;
mod storage;
