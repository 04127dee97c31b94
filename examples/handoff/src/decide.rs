//! What to do about an event: the service's decisions, without any I/O, so
//! that they can be read and tested on their own.

use serde_json::{Map, Value};
use sunshine_conversations::types::{
    AuthorWebhookType, Content, ConversationMessageEvent, ConversationTruncated,
    SwitchboardPassControlEvent, WebhookEvent,
};

/// The switchboard integration a handoff passes control to: `next` is the
/// one configured after the bot in the switchboard (the agents).
pub const HANDOFF_TARGET: &str = "next";

/// Why the service hands a conversation over, as written in the metadata.
pub const HANDOFF_REASON: &str = "the user asked for a human";

/// Why the service offers control back to the bot, as written in the metadata.
pub const OFFER_REASON: &str = "the bot takes the conversation back when the agents are done";

/// How many characters of the triggering message the handoff metadata
/// carries: the platform refuses metadata over 4KB.
pub const MESSAGE_TEXT_LIMIT: usize = 200;

/// The metadata keys the service writes. The platform echoes a
/// `passControl`'s metadata in the `switchboard:passControl` event, which is
/// how the service recognises its own handoffs.
pub mod metadata {
    /// Why control was passed ([`HANDOFF_REASON`](super::HANDOFF_REASON)).
    pub const HANDOFF_REASON: &str = "handoffReason";
    /// The id of the message that asked for a human.
    pub const MESSAGE_ID: &str = "handoffMessageId";
    /// The start of that message's text.
    pub const MESSAGE_TEXT: &str = "handoffMessageText";
    /// Why control was offered back ([`OFFER_REASON`](super::OFFER_REASON)).
    pub const OFFER_REASON: &str = "offerReason";
}

/// Whether a user's text asks to talk to a person: it has the word `agent`
/// or `human` (or `agents`, `humans`) in it, in any letter case. Whole words
/// only, so that "agenda" or "humanitarian" do not count.
///
/// ```
/// use handoff_example::decide::asks_for_human;
///
/// assert!(asks_for_human("Can I talk to a HUMAN, please?"));
/// assert!(asks_for_human("agent!"));
/// assert!(!asks_for_human("What is on the agenda?"));
/// ```
pub fn asks_for_human(text: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric()).any(|word| {
        matches!(
            word.to_lowercase().as_str(),
            "agent" | "agents" | "human" | "humans"
        )
    })
}

/// A call the service makes to the API.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// `passControl` to [`HANDOFF_TARGET`], with this metadata.
    PassToAgents {
        /// The conversation.
        conversation_id: String,
        /// Why, and which message asked ([`metadata`]).
        metadata: Map<String, Value>,
    },
    /// `offerControl` to the bot's own switchboard integration.
    OfferToBot {
        /// The conversation.
        conversation_id: String,
        /// Why, and which message the handoff came from ([`metadata`]).
        metadata: Map<String, Value>,
    },
}

/// What to do about `event`, for a bot whose switchboard integration is
/// named `bot`; `None` for nothing.
pub fn decide(event: &WebhookEvent, bot: &str) -> Option<Action> {
    match event {
        WebhookEvent::ConversationMessage(event) => on_message(event, bot),
        WebhookEvent::SwitchboardPassControl(event) => on_pass_control(event, bot),
        _ => None,
    }
}

/// A user's text message that asks for a human, while the bot is in
/// control: hand the conversation to the agents.
fn on_message(event: &ConversationMessageEvent, bot: &str) -> Option<Action> {
    let payload = event.payload.as_ref()?;
    let conversation = payload.conversation.as_ref()?;
    if !bot_in_control(conversation, bot) {
        return None;
    }
    let message = payload.message.as_ref()?;
    if message.author.as_ref()?.r#type != AuthorWebhookType::User {
        return None;
    }
    let Some(Content::TextMessage(content)) = &message.content else {
        return None;
    };
    let text = content.text.as_deref()?;
    if !asks_for_human(text) {
        return None;
    }
    let mut metadata = Map::new();
    metadata.insert(metadata::HANDOFF_REASON.to_owned(), HANDOFF_REASON.into());
    if let Some(id) = &message.id {
        metadata.insert(metadata::MESSAGE_ID.to_owned(), id.as_str().into());
    }
    let start: String = text.chars().take(MESSAGE_TEXT_LIMIT).collect();
    metadata.insert(metadata::MESSAGE_TEXT.to_owned(), start.into());
    Some(Action::PassToAgents {
        conversation_id: conversation.id.clone()?,
        metadata,
    })
}

/// The platform confirming one of the service's own handoffs (its metadata
/// echoed) with another integration now in control: offer control back to
/// the bot, which becomes the pending integration.
fn on_pass_control(event: &SwitchboardPassControlEvent, bot: &str) -> Option<Action> {
    let payload = event.payload.as_ref()?;
    let echoed = payload.metadata.as_ref()?;
    if !echoed.contains_key(metadata::HANDOFF_REASON) {
        return None;
    }
    let conversation = payload.conversation.as_ref()?;
    if bot_in_control(conversation, bot) {
        return None;
    }
    let mut metadata = Map::new();
    metadata.insert(metadata::OFFER_REASON.to_owned(), OFFER_REASON.into());
    if let Some(id) = echoed.get(metadata::MESSAGE_ID) {
        metadata.insert(metadata::MESSAGE_ID.to_owned(), id.clone());
    }
    Some(Action::OfferToBot {
        conversation_id: conversation.id.clone()?,
        metadata,
    })
}

/// Whether the bot controls the conversation: it is the active switchboard
/// integration, or no integration is named (the platform delivered the event
/// to the bot, so nobody else has taken over).
pub fn bot_in_control(conversation: &ConversationTruncated, bot: &str) -> bool {
    match conversation.active_switchboard_integration.as_ref() {
        None => true,
        Some(active) => active.name.as_deref() == Some(bot),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn asking_for_a_human_is_a_whole_word_in_any_case() {
        for text in [
            "agent",
            "I want an Agent.",
            "human please",
            "HUMAN!!!",
            "talk to a real human-being",
            "agents?",
            "are there humans here",
            "Agent\nplease",
        ] {
            assert!(asks_for_human(text), "{text:?}");
        }
        for text in [
            "",
            "hello",
            "what is on the agenda",
            "humanitarian aid",
            "reagent",
            "a g e n t",
            "management",
        ] {
            assert!(!asks_for_human(text), "{text:?}");
        }
    }

    fn message_event(text: &str, author: &str, active: Value) -> WebhookEvent {
        serde_json::from_value(json!({
            "id": "evt-1",
            "type": "conversation:message",
            "payload": {
                "conversation": { "id": "conv-1", "type": "personal", "activeSwitchboardIntegration": active },
                "message": {
                    "id": "msg-1",
                    "author": { "type": author },
                    "content": { "type": "text", "text": text }
                }
            }
        }))
        .unwrap()
    }

    fn integration(name: &str) -> Value {
        json!({ "id": format!("{name}-id"), "name": name, "integrationId": "int-1", "integrationType": "custom" })
    }

    #[test]
    fn a_user_asking_for_a_human_while_the_bot_is_in_control_is_handed_over() {
        let event = message_event("I need a human", "user", integration("bot"));

        let action = decide(&event, "bot").unwrap();

        assert_eq!(
            action,
            Action::PassToAgents {
                conversation_id: "conv-1".to_owned(),
                metadata: serde_json::from_value(json!({
                    "handoffReason": "the user asked for a human",
                    "handoffMessageId": "msg-1",
                    "handoffMessageText": "I need a human"
                }))
                .unwrap(),
            }
        );
        // Nobody named in control counts as the bot.
        assert!(decide(&message_event("human", "user", Value::Null), "bot").is_some());
    }

    #[test]
    fn other_messages_call_for_nothing() {
        for (event, why) in [
            (
                message_event("hello", "user", integration("bot")),
                "no request",
            ),
            (
                message_event("human", "business", integration("bot")),
                "not the user",
            ),
            (
                message_event("human", "user", integration("agent-workspace")),
                "agents in control",
            ),
        ] {
            assert_eq!(decide(&event, "bot"), None, "{why}");
        }
        let image: WebhookEvent = serde_json::from_value(json!({
            "type": "conversation:message",
            "payload": {
                "conversation": { "id": "conv-1" },
                "message": { "author": { "type": "user" }, "content": { "type": "image", "text": "human" } }
            }
        }))
        .unwrap();
        assert_eq!(decide(&image, "bot"), None, "not a text message");
    }

    #[test]
    fn the_metadata_carries_only_the_start_of_a_long_message() {
        let text = format!("human {}", "é".repeat(1000));
        let event = message_event(&text, "user", integration("bot"));

        let Some(Action::PassToAgents { metadata, .. }) = decide(&event, "bot") else {
            panic!("no handoff");
        };

        let start = metadata["handoffMessageText"].as_str().unwrap();
        assert_eq!(start.chars().count(), MESSAGE_TEXT_LIMIT);
        assert!(text.starts_with(start));
    }

    fn pass_control_event(metadata: Value, active: Value) -> WebhookEvent {
        serde_json::from_value(json!({
            "id": "evt-2",
            "type": "switchboard:passControl",
            "payload": {
                "conversation": { "id": "conv-1", "type": "personal", "activeSwitchboardIntegration": active },
                "metadata": metadata
            }
        }))
        .unwrap()
    }

    #[test]
    fn the_platform_confirming_our_handoff_offers_control_back_to_the_bot() {
        let echoed = json!({ "handoffReason": "the user asked for a human", "handoffMessageId": "msg-1", "handoffMessageText": "human" });
        let event = pass_control_event(echoed, integration("agent-workspace"));

        let action = decide(&event, "bot").unwrap();

        assert_eq!(
            action,
            Action::OfferToBot {
                conversation_id: "conv-1".to_owned(),
                metadata: serde_json::from_value(json!({
                    "offerReason": "the bot takes the conversation back when the agents are done",
                    "handoffMessageId": "msg-1"
                }))
                .unwrap(),
            }
        );
    }

    #[test]
    fn other_passes_of_control_call_for_nothing() {
        let ours = json!({ "handoffReason": "the user asked for a human" });
        for (event, why) in [
            (
                pass_control_event(
                    json!({ "topic": "billing" }),
                    integration("agent-workspace"),
                ),
                "not our handoff",
            ),
            (
                pass_control_event(Value::Null, integration("agent-workspace")),
                "no metadata",
            ),
            (
                pass_control_event(ours, integration("bot")),
                "control came to the bot",
            ),
        ] {
            assert_eq!(decide(&event, "bot"), None, "{why}");
        }
    }
}
