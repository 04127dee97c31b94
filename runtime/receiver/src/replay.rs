//! Replaying a dead letter once its cause is fixed: the event is forgotten
//! as done, then put back in the queue, or handled again inline.

use serde::de::DeserializeOwned;

use super::{Answer, DeadLetter, EventMeta, Receiver, Source};

impl<E: DeserializeOwned + Send + 'static> Receiver<E> {
    /// Gives `letter`'s event to this receiver again, as a new delivery
    /// would be, but past its deduplication: the store forgets the event as
    /// done first. Queued, it goes back into the queue (`200 "queued"`);
    /// inline, it is handled now, with the answer a delivery would get: a
    /// success when it was handled, or went to the dead letters again (as a
    /// new letter). Its attempts count from 1 again.
    pub async fn replay(&self, letter: &DeadLetter) -> Answer {
        let Some(meta) = EventMeta::of(&letter.raw) else {
            return Answer::new(400, "the letter's event has no id");
        };
        if let Err(error) = self.inner.store.forget(&meta.id).await {
            return Answer::new(503, error.to_string());
        }
        let app_id = letter.app_id.as_deref();
        if let Some(queue) = &self.inner.queue {
            return match queue
                .enqueue(app_id, std::slice::from_ref(&letter.raw))
                .await
            {
                Ok(()) => Answer::new(200, "queued"),
                Err(error) => Answer::new(503, error.to_string()),
            };
        }
        let source = Source {
            app_id,
            entry: None,
        };
        match self.process(&letter.raw, &meta, source).await {
            super::Processed::Handled | super::Processed::Skipped => Answer::new(200, "handled"),
            super::Processed::Busy => Answer::new(503, "the event is being handled elsewhere"),
            super::Processed::Failed(error) => {
                Answer::new(503, format!("a handler failed: {error}"))
            }
            super::Processed::StoreDown(error) => Answer::new(503, error),
        }
    }
}
