//! What a receiver runs for each event: handlers, what they are told, and
//! what they answer.

use std::future::Future;

use super::outcome::Outcome;
use super::BoxFuture;

/// What a handler knows about the event besides the event itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeliveryContext {
    /// The id of the app the delivery came for (its `app.id`), so that one
    /// receiver can serve several apps; `None` when the delivery had none.
    pub app_id: Option<String>,
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

/// Handles events of type `E`: any `Fn(E, DeliveryContext) -> impl Future`
/// whose output is an [`Outcome`] (or a `Result<_, Failure>`, so that `?`
/// works on the generated client's errors) and that can be shared between
/// tasks, such as an `async` closure.
pub trait Handler<E>: Send + Sync + 'static {
    /// Handles `event`.
    fn handle(&self, event: E, context: DeliveryContext) -> BoxFuture<'static, Outcome>;
}

impl<E, F, Fut, O> Handler<E> for F
where
    F: Fn(E, DeliveryContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = O> + Send + 'static,
    O: Into<Outcome>,
{
    fn handle(&self, event: E, context: DeliveryContext) -> BoxFuture<'static, Outcome> {
        let running = self(event, context);
        Box::pin(async move { running.await.into() })
    }
}
