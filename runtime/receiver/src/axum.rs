//! The receiver as an axum route (feature `axum`; `receiver-axum` of a generated crate).

use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::de::DeserializeOwned;

use super::{Answer, Receiver};
use sunshine_runtime::webhook::API_KEY_HEADER;

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            self.body,
        )
            .into_response()
    }
}

impl<E: DeserializeOwned + Send + 'static> Receiver<E> {
    /// A router with one route, `POST path`, that answers deliveries; add it
    /// to a service with `Router::merge`.
    ///
    /// ```no_run
    /// # async fn run(receiver: sunshine_receiver::Receiver<serde_json::Value>) {
    /// let app = axum::Router::new().merge(receiver.axum_router("/webhooks"));
    /// # let _: axum::Router = app;
    /// # }
    /// ```
    pub fn axum_router<S: Clone + Send + Sync + 'static>(&self, path: &str) -> Router<S> {
        let receiver = self.clone();
        Router::new().route(
            path,
            post(move |request: Request| async move { receiver.receive_request(request).await }),
        )
    }

    /// Answers an axum (or hyper 1) request: reads at most
    /// [`max_body_bytes`](Self::max_body_bytes) of its body, then as
    /// [`receive`](Self::receive).
    pub async fn receive_request(&self, request: Request) -> Answer {
        let (parts, body) = request.into_parts();
        let api_key = parts.headers.get(API_KEY_HEADER);
        if let Some(refused) = self.refuse(api_key) {
            return refused;
        }
        match axum::body::to_bytes(body, self.max_body_bytes()).await {
            Ok(body) => self.receive(api_key, &body).await,
            // Over the limit, or the client went away mid-body.
            Err(_) => self.too_large(),
        }
    }
}
