//! The receiver on a real `redis-server`, one binary, one server at a time
//! (`support::redis_server`): replicas in one process with the store down
//! and back (`faults`), replicas as OS processes killed with SIGKILL
//! (`processes`), and what Redis holds after bad input and of dead letters
//! (`keys_and_dead_letters`). Each test starts its own server on 127.0.0.1
//! and says it skips where `redis-server` is not installed (in CI it fails
//! instead).

#[path = "../support/mod.rs"]
mod support;

mod faults;
mod keys_and_dead_letters;
mod processes;
