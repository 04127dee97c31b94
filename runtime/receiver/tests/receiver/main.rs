//! The receiver's fast tests, one binary: in one process with the in-memory
//! store and queue (`route`), claims against the test kit's fake API on
//! paused time (`lease`), the counts a recorder reads (`counts`) and the
//! spans of its logs (`spans`). The tests on a real `redis-server` are the
//! `redis` binary.

#[path = "../support/mod.rs"]
mod support;

mod counts;
mod lease;
mod route;
mod spans;
