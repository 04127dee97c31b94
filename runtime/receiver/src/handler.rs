//! What a receiver runs for each event: handlers, what they are told, and
//! what they answer.

use std::fmt;
use std::future::Future;

use futures_core::future::BoxFuture;

/// What a handler knows about the event besides the event itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeliveryContext {
    /// The event's `id`, which deduplication goes by.
    pub event_id: String,
    /// The event's `type`, such as `conversation:message`.
    pub event_type: String,
    /// The id of the conversation the event is about (its
    /// `payload.conversation.id`), which orders the events: those of one
    /// conversation run one after the other.
    pub conversation_id: Option<String>,
    /// Which attempt at this event this is, from 1.
    pub attempt: u32,
}

/// What a handler says about an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Handled: the event is remembered as done and never handled again.
    Done,
    /// Not handled, for the reason given: the claim is released so that a
    /// later attempt can handle it, until the receiver's attempts run out
    /// and the event goes to the dead-letter sink.
    Failed(String),
}

impl Outcome {
    /// A failure for `reason`.
    pub fn failed(reason: impl fmt::Display) -> Self {
        Self::Failed(reason.to_string())
    }
}

/// `Ok` is [`Outcome::Done`], an error is [`Outcome::Failed`] with its text.
impl<T, E: fmt::Display> From<Result<T, E>> for Outcome {
    fn from(result: Result<T, E>) -> Self {
        match result {
            Ok(_) => Self::Done,
            Err(error) => Self::failed(error),
        }
    }
}

/// Handles events of type `E`: any `Fn(E, DeliveryContext) -> impl Future<Output = Outcome>`
/// that can be shared between tasks, such as an `async` closure.
pub trait Handler<E>: Send + Sync + 'static {
    /// Handles `event`.
    fn handle(&self, event: E, context: DeliveryContext) -> BoxFuture<'static, Outcome>;
}

impl<E, F, Fut> Handler<E> for F
where
    F: Fn(E, DeliveryContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Outcome> + Send + 'static,
{
    fn handle(&self, event: E, context: DeliveryContext) -> BoxFuture<'static, Outcome> {
        Box::pin(self(event, context))
    }
}
