//! Short builders of the webhook events a bot meets most (a user's text
//! message in a conversation, a change of switchboard control), and what a
//! delivery fills in that the platform always sends (each event's `id` and
//! `createdAt`).
//!
//! The builders write the event as the platform sends it, then decode it
//! into the crate's own event type, so a test holds the same typed value the
//! bot will parse.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

/// A user's text message in a conversation: a `conversation:message` event.
///
/// ```
/// use sunshine_conversations::mock::{Delivery, UserText};
/// use sunshine_conversations::types::WebhookEvent;
///
/// let asking: WebhookEvent = UserText::new("conversation-1", "Can I talk to a human?")
///     .message_id("msg-1")
///     .active_integration("bot", "custom")
///     .event();
/// let delivery = Delivery::new().event(&asking);
/// # let _ = delivery;
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until its event is taken"]
pub struct UserText {
    conversation_id: String,
    text: String,
    message_id: Option<String>,
    author_type: &'static str,
    external_id: Option<String>,
    active: Option<Integration>,
}

/// A switchboard integration, as events name the one in control.
#[derive(Debug, Clone)]
struct Integration {
    name: String,
    integration_type: String,
}

impl Integration {
    fn new(name: impl Into<String>, integration_type: impl Into<String>) -> Self {
        Integration {
            name: name.into(),
            integration_type: integration_type.into(),
        }
    }

    fn to_json(&self) -> Value {
        json!({ "name": self.name, "integrationType": self.integration_type })
    }
}

impl UserText {
    /// A message from a user, with `text`, in conversation `conversation_id`.
    /// Its message id is unique unless set with [`message_id`](Self::message_id).
    pub fn new(conversation_id: impl Into<String>, text: impl Into<String>) -> Self {
        UserText {
            conversation_id: conversation_id.into(),
            text: text.into(),
            message_id: None,
            author_type: "user",
            external_id: None,
            active: None,
        }
    }

    /// The message's id.
    pub fn message_id(mut self, id: impl Into<String>) -> Self {
        self.message_id = Some(id.into());
        self
    }

    /// The `externalId` of the user who wrote it.
    pub fn external_id(mut self, id: impl Into<String>) -> Self {
        self.external_id = Some(id.into());
        self
    }

    /// Written by the business (an agent or a bot), not by the user.
    pub fn from_business(mut self) -> Self {
        self.author_type = "business";
        self
    }

    /// The switchboard integration in control of the conversation (its
    /// `name` and `integrationType`, such as `"bot"` and `"custom"`).
    pub fn active_integration(
        mut self,
        name: impl Into<String>,
        integration_type: impl Into<String>,
    ) -> Self {
        self.active = Some(Integration::new(name, integration_type));
        self
    }

    /// The event as JSON, as the platform sends it (without `id` and
    /// `createdAt`, which a delivery fills in).
    pub fn to_json(&self) -> Value {
        let mut author = json!({ "type": self.author_type });
        if let Some(external_id) = &self.external_id {
            author["user"] = json!({ "externalId": external_id });
        }
        let message_id = self
            .message_id
            .clone()
            .unwrap_or_else(|| unique_id("mock-message"));
        json!({
            "type": "conversation:message",
            "payload": {
                "conversation": conversation(&self.conversation_id, self.active.as_ref()),
                "message": {
                    "id": message_id,
                    "received": now(),
                    "author": author,
                    "content": { "type": "text", "text": self.text },
                },
            },
        })
    }

    /// The event, as the crate's event type.
    ///
    /// # Panics
    ///
    /// When the crate's event type does not decode a `conversation:message`
    /// (its document has no such event).
    #[track_caller]
    pub fn event<E: DeserializeOwned>(&self) -> E {
        decode(self.to_json(), "conversation:message")
    }
}

/// A change of switchboard control in a conversation: a
/// `switchboard:passControl`, `offerControl`, `acceptControl` or
/// `releaseControl` event.
///
/// ```
/// use sunshine_conversations::mock::SwitchboardChange;
/// use sunshine_conversations::types::WebhookEvent;
///
/// let passed: WebhookEvent = SwitchboardChange::pass_control("conversation-1")
///     .active_integration("agent-workspace", "zd:agentWorkspace")
///     .event();
/// assert!(matches!(passed, WebhookEvent::SwitchboardPassControl(_)));
/// ```
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until its event is taken"]
pub struct SwitchboardChange {
    event_type: &'static str,
    conversation_id: String,
    metadata: Option<Map<String, Value>>,
    active: Option<Integration>,
}

impl SwitchboardChange {
    fn new(event_type: &'static str, conversation_id: impl Into<String>) -> Self {
        SwitchboardChange {
            event_type,
            conversation_id: conversation_id.into(),
            metadata: None,
            active: None,
        }
    }

    /// Control of the conversation was passed (`switchboard:passControl`).
    pub fn pass_control(conversation_id: impl Into<String>) -> Self {
        Self::new("switchboard:passControl", conversation_id)
    }

    /// Control was offered (`switchboard:offerControl`).
    pub fn offer_control(conversation_id: impl Into<String>) -> Self {
        Self::new("switchboard:offerControl", conversation_id)
    }

    /// An offer of control was accepted (`switchboard:acceptControl`).
    pub fn accept_control(conversation_id: impl Into<String>) -> Self {
        Self::new("switchboard:acceptControl", conversation_id)
    }

    /// Control was released (`switchboard:releaseControl`).
    pub fn release_control(conversation_id: impl Into<String>) -> Self {
        Self::new("switchboard:releaseControl", conversation_id)
    }

    /// The metadata the action was taken with, which the platform echoes.
    pub fn metadata(mut self, metadata: Map<String, Value>) -> Self {
        self.metadata = Some(metadata);
        self
    }

    /// The switchboard integration in control after the change.
    pub fn active_integration(
        mut self,
        name: impl Into<String>,
        integration_type: impl Into<String>,
    ) -> Self {
        self.active = Some(Integration::new(name, integration_type));
        self
    }

    /// The event as JSON, as the platform sends it (without `id` and
    /// `createdAt`, which a delivery fills in).
    pub fn to_json(&self) -> Value {
        let mut payload = json!({
            "conversation": conversation(&self.conversation_id, self.active.as_ref()),
        });
        if let Some(metadata) = &self.metadata {
            payload["metadata"] = Value::Object(metadata.clone());
        }
        json!({ "type": self.event_type, "payload": payload })
    }

    /// The event, as the crate's event type.
    ///
    /// # Panics
    ///
    /// When the crate's event type does not decode this event (its document
    /// has no such event).
    #[track_caller]
    pub fn event<E: DeserializeOwned>(&self) -> E {
        decode(self.to_json(), self.event_type)
    }
}

/// A conversation as events carry it.
fn conversation(id: &str, active: Option<&Integration>) -> Value {
    let mut conversation = json!({ "id": id, "type": "personal" });
    if let Some(active) = active {
        conversation["activeSwitchboardIntegration"] = active.to_json();
    }
    conversation
}

#[track_caller]
fn decode<E: DeserializeOwned>(json: Value, event_type: &str) -> E {
    match serde_json::from_value(json) {
        Ok(event) => event,
        Err(error) => {
            panic!("the crate's event type does not decode a {event_type} event: {error}")
        }
    }
}

/// Fills in what the platform always sends and the test left out: the
/// event's `id` (unique in this process) and `createdAt` (now). A `null`
/// the test wrote stays, to test an event that breaks the document.
pub(crate) fn fill_platform_fields(event: &mut Value) {
    let Value::Object(event) = event else { return };
    if !event.contains_key("id") {
        event.insert("id".to_owned(), Value::String(unique_id("mock-event")));
    }
    if !event.contains_key("createdAt") {
        event.insert("createdAt".to_owned(), Value::String(now()));
    }
}

/// An id no other call in this process gives, and unlikely in another one.
fn unique_id(prefix: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    static PROCESS: OnceLock<String> = OnceLock::new();
    let process = PROCESS.get_or_init(|| {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.subsec_nanos());
        format!("{:x}{started:08x}", std::process::id())
    });
    format!(
        "{prefix}-{process}-{}",
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// The current time as RFC 3339 in UTC with milliseconds, as events carry it.
fn now() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    rfc3339(since.as_secs(), since.subsec_millis())
}

/// `seconds` since the Unix epoch as `2024-03-11T09:12:30.402Z`.
fn rfc3339(seconds: u64, millis: u32) -> String {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (the civil-from-days
/// calculation on 400-year eras of 146,097 days).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0, 0), "1970-01-01T00:00:00.000Z");
        // `date -u -d @1710148350`: Mon Mar 11 09:12:30 UTC 2024.
        assert_eq!(rfc3339(1_710_148_350, 402), "2024-03-11T09:12:30.402Z");
        // A leap day, and the last second of a century year.
        assert_eq!(rfc3339(951_782_400, 0), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(4_102_444_799, 999), "2099-12-31T23:59:59.999Z");
    }

    #[test]
    fn only_what_the_test_left_out_is_filled_in() {
        let mut bare = json!({ "type": "conversation:message" });
        fill_platform_fields(&mut bare);
        let mut other = json!({ "type": "conversation:message", "createdAt": null });
        fill_platform_fields(&mut other);
        assert_ne!(bare["id"], other["id"], "ids are unique");
        assert!(bare["createdAt"]
            .as_str()
            .is_some_and(|at| at.ends_with('Z')));
        assert!(other["createdAt"].is_null(), "a null the test wrote stays");

        let mut set = json!({ "id": "evt-1", "createdAt": "2024-03-11T09:12:30.402Z" });
        let before = set.clone();
        fill_platform_fields(&mut set);
        assert_eq!(set, before);
    }
}
