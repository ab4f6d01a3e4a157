//! Scenario tests through the public `oa` API, run on memory and on sled.
