//! What a handler says about an event: done, try again later (a transient
//! failure), or give up (a permanent one), and which of the two an error of
//! the generated client is.

use std::fmt;

/// What a handler says about an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Handled: the event is remembered as done and never handled again.
    Done,
    /// Not handled, for a reason that can pass (a timeout, a `429`, a
    /// `503`): the claim is released so that a later attempt can handle it;
    /// inline the delivery is answered `503`, queued the event is handed
    /// back; after [`max_attempts`](super::ReceiverBuilder::max_attempts)
    /// the event goes to the dead letters.
    Retry(String),
    /// Not handled, and never will be as it is (a `404` for a conversation
    /// that does not exist, a `422`): the event goes to the dead letters at
    /// once with the reason, and the delivery is answered `200` so that the
    /// platform stops sending it.
    GiveUp(String),
}

impl Outcome {
    /// A transient failure for `reason`.
    pub fn retry(reason: impl fmt::Display) -> Self {
        Self::Retry(reason.to_string())
    }

    /// A permanent failure for `reason`.
    pub fn give_up(reason: impl fmt::Display) -> Self {
        Self::GiveUp(reason.to_string())
    }
}

/// Why a handler did not handle an event: the error half of a handler that
/// returns `Result<_, Failure>`, so that `?` works inside it. The generated
/// client's errors convert by what they are (see
/// [`From<Error<E>>`](#impl-From<Error<E>>-for-Failure)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// It may work later: [`Outcome::Retry`].
    Transient(String),
    /// It never will: [`Outcome::GiveUp`].
    Permanent(String),
}

impl Failure {
    /// A transient failure for `reason`.
    pub fn transient(reason: impl fmt::Display) -> Self {
        Self::Transient(reason.to_string())
    }

    /// A permanent failure for `reason`.
    pub fn permanent(reason: impl fmt::Display) -> Self {
        Self::Permanent(reason.to_string())
    }

    /// Whether the failure is permanent.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_))
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Transient(reason) => write!(f, "{reason} (transient)"),
            Self::Permanent(reason) => write!(f, "{reason} (permanent)"),
        }
    }
}

impl std::error::Error for Failure {}

impl From<Failure> for Outcome {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Transient(reason) => Self::Retry(reason),
            Failure::Permanent(reason) => Self::GiveUp(reason),
        }
    }
}

/// `Ok` is [`Outcome::Done`]; an error is what its [`Failure`] says: a
/// handler can end with `client.call(..).await.into()`, or return
/// `Result<(), Failure>` and use `?`.
impl<T, X: Into<Failure>> From<Result<T, X>> for Outcome {
    fn from(result: Result<T, X>) -> Self {
        match result {
            Ok(_) => Self::Done,
            Err(error) => error.into().into(),
        }
    }
}

/// An error of the generated client, by what it is. Transient: whatever
/// the client's retry rules would try again ([`Error::is_retryable`]),
/// any failure to send or receive (a timeout included), `408`, `425`,
/// `429` and every `5xx`. Permanent: every other `4xx` (a `404` for a
/// conversation that does not exist, a `422`, a `401` for a wrong key,
/// which a dead letter keeps for a replay once fixed), a request that could
/// not be built, and a `2xx` answer that did not decode (the call was made:
/// trying again would repeat it).
///
/// [`Error::is_retryable`]: sunshine_runtime::Error::is_retryable
impl<E: fmt::Display> From<sunshine_runtime::Error<E>> for Failure {
    fn from(error: sunshine_runtime::Error<E>) -> Self {
        let transient = error.is_retryable()
            || match &error {
                sunshine_runtime::Error::Transport { .. } => true,
                sunshine_runtime::Error::Api { status, .. }
                | sunshine_runtime::Error::UnexpectedStatus { status, .. }
                | sunshine_runtime::Error::Decode { status, .. } => {
                    status.is_server_error() || matches!(status.as_u16(), 408 | 425 | 429)
                }
                _ => false,
            };
        let reason = describe(&error);
        if transient {
            Self::Transient(reason)
        } else {
            Self::Permanent(reason)
        }
    }
}

/// The error's own text, with its status when it has one.
fn describe<E: fmt::Display>(error: &sunshine_runtime::Error<E>) -> String {
    match error.status() {
        Some(status) => format!("the API answered {}: {error}", status.as_u16()),
        None => error.to_string(),
    }
}
