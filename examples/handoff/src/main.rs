//! `handoff`: runs the service with the settings from the environment (see
//! the crate documentation and README), until Ctrl-C.

use std::process::ExitCode;

use handoff_example::service::WEBHOOK_PATH;
use handoff_example::{serve, AppState, Config};
use sunshine_conversations::webhooks::receiver::{RedisDeadLetters, RedisStore};

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt().init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            tracing::error!(%error, "the configuration is incomplete");
            return ExitCode::FAILURE;
        }
    };
    let state = match &config.redis_url {
        None => AppState::new(&config),
        Some(url) => {
            match tokio::try_join!(RedisStore::connect(url), RedisDeadLetters::connect(url)) {
                Ok((store, dead_letters)) => AppState::with_parts(&config, store, dead_letters),
                Err(error) => {
                    tracing::error!(%error, "cannot reach REDIS_URL");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let state = match state {
        Ok(state) => state,
        Err(error) => {
            tracing::error!(%error, "the API client cannot be built");
            return ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, address = %config.listen, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(address = %config.listen, path = WEBHOOK_PATH, "receiving webhook deliveries");
    let shutdown = async {
        // Without a Ctrl-C handler the service runs until it is killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    match serve(listener, state, shutdown).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "the server stopped");
            ExitCode::FAILURE
        }
    }
}
