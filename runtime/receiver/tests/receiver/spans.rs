//! What the receiver logs through `tracing` carries the event it is about:
//! a dead letter logged while its event is processed is inside a
//! `webhook_event` span with the event's id, type and app id.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::support::{delivery, message, SECRET};
use sunshine_conversations::types::WebhookEvent;
use sunshine_conversations::webhooks::receiver::{DeliveryContext, Outcome};
use sunshine_conversations::webhooks::Receiver;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// The fields of a span or an event, as text.
#[derive(Default)]
struct Fields(HashMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

/// An event's message, with the fields of the spans around it.
type KeptEvent = (String, HashMap<String, String>);

/// A subscriber that keeps each event's message with the fields of the
/// spans it happened in (one thread: the spans entered form one stack).
#[derive(Clone, Default)]
struct Kept {
    next: Arc<AtomicU64>,
    spans: Arc<Mutex<HashMap<u64, HashMap<String, String>>>>,
    entered: Arc<Mutex<Vec<u64>>>,
    events: Arc<Mutex<Vec<KeptEvent>>>,
}

impl Subscriber for Kept {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields::default();
        span.record(&mut fields);
        fields
            .0
            .insert("span".to_owned(), span.metadata().name().to_owned());
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        self.spans.lock().unwrap().insert(id, fields.0);
        Id::from_u64(id)
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let message = fields.0.remove("message").unwrap_or_default();
        let mut context = HashMap::new();
        let spans = self.spans.lock().unwrap();
        for id in self.entered.lock().unwrap().iter() {
            context.extend(spans[id].clone());
        }
        self.events.lock().unwrap().push((message, context));
    }

    fn enter(&self, span: &Id) {
        self.entered.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, _: &Id) {
        self.entered.lock().unwrap().pop();
    }
}

#[test]
fn a_dead_letter_is_logged_inside_its_events_span() {
    let kept = Kept::default();
    let receiver: Receiver = Receiver::builder(SECRET)
        .on_any(|_event: WebhookEvent, _context: DeliveryContext| async {
            Outcome::give_up("no such conversation")
        })
        .build();
    let body = delivery(&[message("evt-gone", "conv-1", "hello")]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");

    let answer = tracing::subscriber::with_default(kept.clone(), || {
        runtime.block_on(receiver.receive(Some(SECRET), &body))
    });

    assert_eq!(answer.status, 200);
    let events = kept.events.lock().unwrap();
    let (message, context) = events
        .iter()
        .find(|(message, _)| message.contains("was given up on"))
        .unwrap_or_else(|| panic!("no dead letter logged: {:?}", events.len()));
    assert!(message.contains("webhook event evt-gone"), "{message}");
    assert_eq!(
        context.get("span").map(String::as_str),
        Some("webhook_event")
    );
    assert_eq!(
        context.get("event_id").map(String::as_str),
        Some("evt-gone")
    );
    assert_eq!(
        context.get("event_type").map(String::as_str),
        Some("conversation:message")
    );
    assert_eq!(
        context.get("app_id").map(String::as_str),
        Some("64a1f0c2b7e4d90012ab3401")
    );
}
