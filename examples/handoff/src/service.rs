//! The HTTP side: one route, `POST /webhooks`, that checks and decodes a
//! delivery, and the API calls the decisions ask for.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use sunshine_conversations::types::{
    ConversationTruncated, OfferControlBody, PassControlBody, WebhookEvent,
};
use sunshine_conversations::webhooks::{
    parse_webhook_event, verify_api_key, DeliveredEvent, WebhookSecret, API_KEY_HEADER,
};
use sunshine_conversations::{BuildError, Client};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::decide::{decide, Action, Decision, HANDOFF_TARGET};
use crate::seen::SeenEvents;

/// The path the webhook posts to.
pub const WEBHOOK_PATH: &str = "/webhooks";

/// What the request handler needs; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

struct Shared {
    client: Client,
    app_id: String,
    bot_integration: String,
    webhook_secret: WebhookSecret,
    seen: Mutex<SeenEvents>,
}

impl AppState {
    /// The state for `config`, with an API client authenticated by the
    /// configured API key.
    ///
    /// # Errors
    ///
    /// The client's [`BuildError`], such as for a base URL that is not a URL.
    pub fn new(config: &Config) -> Result<Self, BuildError> {
        let client = Client::builder()
            .base_url(config.base_url.as_str())
            .basic_auth(config.key_id.as_str(), config.key_secret.as_str())
            .build()?;
        Ok(Self {
            shared: Arc::new(Shared {
                client,
                app_id: config.app_id.clone(),
                bot_integration: config.bot_integration.clone(),
                webhook_secret: config.webhook_secret.clone(),
                seen: Mutex::new(SeenEvents::default()),
            }),
        })
    }
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, post(receive))
        .with_state(state)
}

/// Serves the routes on `listener` until `shutdown` completes.
///
/// # Errors
///
/// An I/O error from the listener.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Handles one delivery; see the crate documentation for the answers.
async fn receive(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let shared = &state.shared;
    if let Err(error) = verify_api_key(headers.get(API_KEY_HEADER), &shared.webhook_secret) {
        tracing::warn!(%error, "refused a webhook delivery");
        return StatusCode::UNAUTHORIZED;
    }
    let delivery = match parse_webhook_event(&body) {
        Ok(delivery) => delivery,
        Err(error) => {
            tracing::warn!(%error, "the body is not a webhook delivery");
            return StatusCode::BAD_REQUEST;
        }
    };
    let mut all_done = true;
    for event in &delivery.events {
        match event {
            DeliveredEvent::Decoded(event) => {
                log_switchboard_event(event);
                if let Some(decision) = decide(event, &shared.bot_integration) {
                    all_done &= shared.act(decision).await;
                }
            }
            // A real service would store these (a dead-letter table, a
            // queue): once the delivery is answered, the platform will not
            // send the event again.
            DeliveredEvent::Undecodable(failed) => tracing::error!(
                event_id = ?failed.id(),
                event_type = ?failed.event_type(),
                error = %failed.error,
                raw = %failed.raw,
                "kept an event that does not decode"
            ),
        }
    }
    if all_done {
        StatusCode::OK
    } else {
        // The platform sends the delivery again; what was done is skipped.
        StatusCode::SERVICE_UNAVAILABLE
    }
}

impl Shared {
    /// Makes the API call `decision` asks for, unless its event was acted on
    /// already. Whether the call is done (made now or before).
    async fn act(&self, decision: Decision) -> bool {
        if let Some(id) = &decision.event_id {
            if self.seen().contains(id) {
                tracing::info!(event_id = %id, "skipped an event acted on already");
                return true;
            }
        }
        let actions = self.client.switchboard_actions();
        let (conversation_id, result) = match decision.action {
            Action::PassToAgents {
                conversation_id,
                metadata,
            } => {
                let body = PassControlBody::new(HANDOFF_TARGET).metadata(metadata);
                let result = actions
                    .pass_control(&self.app_id, &conversation_id, &body)
                    .await
                    .map(|_| "passed control to the agents")
                    .map_err(|error| error.to_string());
                (conversation_id, result)
            }
            Action::OfferToBot {
                conversation_id,
                metadata,
            } => {
                let body = OfferControlBody::new(self.bot_integration.clone()).metadata(metadata);
                let result = actions
                    .offer_control(&self.app_id, &conversation_id, &body)
                    .await
                    .map(|_| "offered control back to the bot")
                    .map_err(|error| error.to_string());
                (conversation_id, result)
            }
        };
        match result {
            Ok(done) => {
                tracing::info!(conversation_id, "{done}");
                if let Some(id) = decision.event_id {
                    self.seen().insert(id);
                }
                true
            }
            Err(error) => {
                tracing::error!(conversation_id, %error, "an API call failed");
                false
            }
        }
    }

    fn seen(&self) -> std::sync::MutexGuard<'_, SeenEvents> {
        // The set stays consistent even if a holder panicked.
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Logs the switchboard events that tell where a conversation went.
fn log_switchboard_event(event: &WebhookEvent) {
    match event {
        WebhookEvent::SwitchboardAcceptControl(event) => {
            let conversation = event.payload.as_ref().and_then(|p| p.conversation.as_ref());
            let active = conversation
                .and_then(|c| c.active_switchboard_integration.as_ref())
                .and_then(|integration| integration.name.as_deref());
            tracing::info!(
                conversation_id = ?id_of(conversation),
                active = ?active,
                "control was accepted"
            );
        }
        WebhookEvent::SwitchboardReleaseControl(event) => {
            let payload = event.payload.as_ref();
            tracing::info!(
                conversation_id = ?id_of(payload.and_then(|p| p.conversation.as_ref())),
                reason = ?payload.and_then(|p| p.reason.as_ref()).map(|r| r.as_str()),
                "control was released"
            );
        }
        WebhookEvent::SwitchboardPassControlFailure(event) => {
            let payload = event.payload.as_ref();
            tracing::warn!(
                conversation_id = ?id_of(payload.and_then(|p| p.conversation.as_ref())),
                error = ?payload.and_then(|p| p.error.as_ref()),
                "passing control failed"
            );
        }
        WebhookEvent::SwitchboardOfferControlFailure(event) => {
            let payload = event.payload.as_ref();
            tracing::warn!(
                conversation_id = ?id_of(payload.and_then(|p| p.conversation.as_ref())),
                error = ?payload.and_then(|p| p.error.as_ref()),
                "offering control failed"
            );
        }
        _ => {}
    }
}

fn id_of(conversation: Option<&ConversationTruncated>) -> Option<&str> {
    conversation.and_then(|c| c.id.as_deref())
}
