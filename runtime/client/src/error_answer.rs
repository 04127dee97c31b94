//! What an operation's error is as an answer: its status and JSON body.
//! `operation_error!` implements [`ErrorAnswer`] for each operation's error
//! enum when the generated crate's `mock` feature is on, and the test kit
//! (`sunshine-kit`) answers with it; the trait lives here so that the client
//! core does not depend on the kit.

use serde_json::Value;

/// A documented error of an operation, as the fake answers it: implemented
/// for every operation's error enum by
/// [`operation_error!`](crate::operation_error) when the generated crate's
/// `mock` feature is on.
pub trait ErrorAnswer {
    /// The status the error comes with (the documented one, or the one the
    /// variant carries for a range or `default`), and its body as JSON
    /// (`None` for a status documented without a body).
    fn answer(&self) -> (u16, Option<Value>);
}

/// The status at the start of an error variant's text (`"404 Not found"`),
/// for variants of one documented status.
#[doc(hidden)]
pub fn status_of_label(label: &str) -> u16 {
    label
        .split(' ')
        .next()
        .and_then(|code| code.parse().ok())
        .unwrap_or(500)
}

/// The body of an error variant, as JSON.
#[doc(hidden)]
pub fn error_body<T: serde::Serialize>(body: &T) -> Option<Value> {
    serde_json::to_value(body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_status_is_read_from_the_start_of_the_label() {
        assert_eq!(status_of_label("404 The app does not exist."), 404);
        assert_eq!(status_of_label("not a status"), 500);
        assert_eq!(error_body(&"gone"), Some(Value::from("gone")));
    }
}
