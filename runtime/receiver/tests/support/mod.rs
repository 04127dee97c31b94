//! What the receiver's tests share: deliveries shaped as the platform sends
//! them, a log of the actions handlers took, and a collecting dead-letter
//! sink.

#![allow(dead_code)] // Each test file uses its own part of the kit.

pub mod redis_server;

use std::sync::{Arc, Mutex};

use futures_core::future::BoxFuture;
use serde_json::{json, Value};
use sunshine_conversations::webhooks::receiver::{DeadLetter, DeadLetterSink};

pub const SECRET: &str = "whsec-0b7e4d90012ab34";

/// A delivery carrying `events`.
pub fn delivery(events: &[Value]) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "app": { "id": "64a1f0c2b7e4d90012ab3401" },
        "webhook": { "id": "64a1f0c2b7e4d90012ab3402", "version": "v2" },
        "events": events,
    }))
    .expect("JSON")
}

/// A `conversation:message` event `id` in `conversation`, from the user.
pub fn message(id: &str, conversation: &str, text: &str) -> Value {
    json!({
        "id": id,
        "type": "conversation:message",
        "createdAt": "2024-03-11T09:12:30.402Z",
        "payload": {
            "conversation": { "id": conversation, "type": "personal" },
            "message": {
                "id": format!("msg-{id}"),
                "received": "2024-03-11T09:12:30.377Z",
                "author": { "type": "user", "userId": "64a1f0c2b7e4d90012ab3450" },
                "content": { "type": "text", "text": text },
            }
        }
    })
}

/// A `conversation:message` event that breaks the document: its message
/// is a number.
pub fn undecodable(id: &str, conversation: &str) -> Value {
    json!({
        "id": id,
        "type": "conversation:message",
        "payload": { "conversation": { "id": conversation }, "message": 42 }
    })
}

/// The actions handlers took, in the order they finished.
#[derive(Clone, Default)]
pub struct ActionLog(Arc<Mutex<Vec<String>>>);

impl ActionLog {
    pub fn record(&self, action: impl Into<String>) {
        self.0.lock().expect("log").push(action.into());
    }

    pub fn actions(&self) -> Vec<String> {
        self.0.lock().expect("log").clone()
    }

    /// How many times each action was taken, for those taken other than
    /// exactly once; and the `expected` ones never taken.
    pub fn not_exactly_once(&self, expected: &[String]) -> Vec<(String, usize)> {
        let actions = self.actions();
        let mut wrong: Vec<(String, usize)> = expected
            .iter()
            .map(|id| (id.clone(), actions.iter().filter(|a| *a == id).count()))
            .filter(|(_, count)| *count != 1)
            .collect();
        for action in &actions {
            if !expected.contains(action) && !wrong.iter().any(|(a, _)| a == action) {
                wrong.push((
                    action.clone(),
                    actions.iter().filter(|a| *a == action).count(),
                ));
            }
        }
        wrong
    }
}

/// A dead-letter sink that keeps what it gets.
#[derive(Clone, Default)]
pub struct CollectedLetters(Arc<Mutex<Vec<DeadLetter>>>);

impl CollectedLetters {
    pub fn letters(&self) -> Vec<DeadLetter> {
        self.0.lock().expect("letters").clone()
    }

    pub fn ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .letters()
            .iter()
            .filter_map(|letter| letter.event_id().map(str::to_owned))
            .collect();
        ids.sort();
        ids
    }
}

impl DeadLetterSink for CollectedLetters {
    fn send<'a>(&'a self, letter: &'a DeadLetter) -> BoxFuture<'a, Result<(), String>> {
        self.0.lock().expect("letters").push(letter.clone());
        Box::pin(std::future::ready(Ok(())))
    }
}
