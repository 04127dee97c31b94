//! The HTTP side: the receiver on `POST /webhooks`, and the API calls the
//! decisions ask for.

use std::future::Future;
use std::sync::Arc;

use axum::Router;
use sunshine_conversations::types::{
    ConversationTruncated, OfferControlBody, PassControlBody, WebhookEvent,
};
use sunshine_conversations::webhooks::receiver::{
    DeadLetter, DeadLetterSink, DedupStore, Failure, LogDeadLetters, MemoryStore, Outcome,
};
use sunshine_conversations::webhooks::Receiver;
use sunshine_conversations::{BuildError, Client};
use tokio::net::TcpListener;

use crate::config::Config;
use crate::decide::{decide, Action, HANDOFF_TARGET};

/// The path the webhook posts to.
pub const WEBHOOK_PATH: &str = "/webhooks";

/// The receiver, with the handoff as its handler; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    receiver: Receiver,
    /// The dead letters, when they are kept in memory.
    kept: Option<Arc<LogDeadLetters>>,
}

/// What the handler needs.
struct Handoff {
    client: Client,
    app_id: String,
    bot_integration: String,
}

impl AppState {
    /// The state for `config`, remembering event ids in memory.
    ///
    /// # Errors
    ///
    /// The client's [`BuildError`], such as for a base URL that is not a URL.
    pub fn new(config: &Config) -> Result<Self, BuildError> {
        Self::with_store(config, MemoryStore::default())
    }

    /// The state for `config`, remembering event ids in `store` (a
    /// `RedisStore` for several instances), and dead letters in memory.
    ///
    /// # Errors
    ///
    /// As [`AppState::new`].
    pub fn with_store(config: &Config, store: impl DedupStore) -> Result<Self, BuildError> {
        let kept = Arc::new(LogDeadLetters::default());
        let mut state = Self::with_parts(config, store, Arc::clone(&kept))?;
        state.kept = Some(kept);
        Ok(state)
    }

    /// The state for `config`, remembering event ids in `store` and dead
    /// letters in `dead_letters` (`RedisStore` and `RedisDeadLetters` for
    /// several instances).
    ///
    /// # Errors
    ///
    /// As [`AppState::new`].
    pub fn with_parts(
        config: &Config,
        store: impl DedupStore,
        dead_letters: impl DeadLetterSink,
    ) -> Result<Self, BuildError> {
        let client = Client::builder()
            .base_url(config.base_url.as_str())
            .basic_auth(config.key_id.as_str(), config.key_secret.as_str())
            .build()?;
        let handoff = Arc::new(Handoff {
            client,
            app_id: config.app_id.clone(),
            bot_integration: config.bot_integration.clone(),
        });
        let receiver = Receiver::builder(config.webhook_secret.clone())
            .store(store)
            .dead_letters(dead_letters)
            .on_any(move |event: WebhookEvent, _context| {
                let handoff = Arc::clone(&handoff);
                async move { handoff.handle(event).await }
            })
            .build();
        Ok(Self {
            receiver,
            kept: None,
        })
    }

    /// The dead letters kept in memory (none with [`with_parts`](Self::with_parts)).
    pub fn dead_letters(&self) -> Vec<DeadLetter> {
        self.kept
            .as_ref()
            .map(|kept| kept.letters())
            .unwrap_or_default()
    }
}

/// The service's routes.
pub fn router(state: AppState) -> Router {
    state.receiver.axum_router(WEBHOOK_PATH)
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

impl Handoff {
    /// Makes the API call the event asks for, if any.
    async fn handle(&self, event: WebhookEvent) -> Outcome {
        log_switchboard_event(&event);
        let Some(action) = decide(&event, &self.bot_integration) else {
            return Outcome::Done;
        };
        let actions = self.client.switchboard_actions();
        let (conversation_id, result) = match action {
            Action::PassToAgents {
                conversation_id,
                metadata,
            } => {
                let body = PassControlBody::new(HANDOFF_TARGET).metadata(metadata);
                let result = actions
                    .pass_control(&self.app_id, &conversation_id, &body)
                    .await
                    .map(|_| "passed control to the agents")
                    .map_err(Failure::from);
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
                    .map_err(Failure::from);
                (conversation_id, result)
            }
        };
        match &result {
            Ok(done) => tracing::info!(conversation_id, "{done}"),
            Err(error) => tracing::error!(conversation_id, %error, "an API call failed"),
        }
        // A transient failure answers 503, and the platform sends the
        // delivery again; a permanent one (a 404 for a conversation that no
        // longer exists) goes to the dead letters, answered 200.
        result.into()
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
