//! The client core's tests, through a generated crate (`generated/`, package
//! `sunshine-conversations`) as users meet it, against real local HTTP
//! servers on 127.0.0.1: one binary, a module per concern.

mod calls;
mod compose;
mod jwt;
mod request_options;
mod retry;
mod secrets;
