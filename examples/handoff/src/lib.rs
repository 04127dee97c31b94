//! # Handoff: a bot that hands a conversation to a human agent
//!
//! A small web service that receives Sunshine Conversations webhook
//! deliveries for a bot's switchboard integration and moves the conversation
//! between the bot and the agents, with the generated `sunshine-conversations`
//! client. Copy it and replace the bot's own answers with yours.
//!
//! ## The flow
//!
//! The app's switchboard has the bot (this service's switchboard integration,
//! named by `HANDOFF_BOT_INTEGRATION`) and, as the next one, the agents (for
//! example Zendesk's agent workspace).
//!
//! 1. **The user asks for a human.** A `conversation:message` event arrives
//!    whose author is the user, whose content is text that
//!    [`asks_for_human`](decide::asks_for_human), and whose conversation has
//!    the bot in control. The service calls `passControl` with
//!    `switchboardIntegration: next` and metadata saying why and which message
//!    triggered it ([`metadata`](decide::metadata)), which travels with the
//!    handoff: the platform echoes it in the `switchboard:passControl` event.
//! 2. **The platform confirms.** It sends `switchboard:passControl`, echoing
//!    the metadata, with the agents now in control. Recognising its own
//!    handoff by the metadata, the service calls `offerControl` for the bot
//!    itself. The agents stay in control; the bot becomes the *pending*
//!    integration. That is what botpress's Zendesk HITL integration does
//!    after its own handoff, and for the same reasons: a pending integration
//!    keeps receiving the conversation's events while the agent works, and
//!    the pending offer is the way back: accepting it (`acceptControl`, by
//!    whoever ends the agents' part) makes the bot active again.
//! 3. **Back with the bot.** The platform says so with
//!    `switchboard:acceptControl`; that event, `switchboard:releaseControl`
//!    and the `*:failure` events are logged. Messages are acted on again once
//!    the bot is the active integration.
//!
//! Messages that arrive while the agents are in control are never handoff
//! requests: the service acts on a message only when the bot is the
//! conversation's active integration.
//!
//! ## What a delivery gets back
//!
//! The crate's webhook receiver answers (`webhooks::Receiver`): `401` for a
//! missing or wrong `X-API-Key` (checked in constant time), `400` for a body
//! that is not a delivery, `413` for one over 1 MiB, `503` when an API call
//! failed for a reason that can pass (a `429`, a `5xx`, a timeout) or the
//! store cannot be reached, so that the platform sends the delivery again
//! (events already acted on are skipped by id, in memory or, with
//! `REDIS_URL`, in Redis, shared by every instance), and `200` otherwise. A
//! call that can never work (a `404` for a conversation that does not
//! exist) is made once: its event goes to the dead letters with the reason,
//! and so does an event that does not decode, which never costs the other
//! events of its delivery.

pub mod config;
pub mod decide;
pub mod service;

pub use config::{Config, ConfigError};
pub use service::{router, serve, AppState};
