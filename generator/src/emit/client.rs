//! `src/client.rs`: the crate's [`Client`] and `Call`, thin types over the
//! runtime's.
//!
//! They are the crate's own types (not re-exports) because the operations
//! are inherent methods on them (`client.users()`, `.params(..)` on a call),
//! and a crate can only add inherent methods to its own types.

use proc_macro2::TokenStream;
use quote::quote;

use super::config::CrateConfig;
use super::doc_examples;
use crate::surface::Surface;

pub fn emit(surface: &Surface, config: &CrateConfig) -> TokenStream {
    let api = surface.api();
    let crate_name = config.library();
    let example = format!(
        "use {crate_name}::{{Client, Server}};\n\n\
         # fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = Client::builder()\n    .server(Server::default())\n    \
         .basic_auth(\"app_5f2c0a1b\", \"my-api-key-secret\")\n    .build()?;\n{}",
        doc_examples::CLOSING
    );
    let client_doc = super::common::doc_attrs(&format!(
        "Client for the {}.\n\n\
         Create one with [`Client::builder`]. Cloning is cheap (the configuration and the \
         connection pool are shared), so build one client and clone it wherever it is needed.\n\n\
         # Example\n\n```no_run\n{example}```",
        api.title
    ));
    let call = api.operations().next().is_some().then(emit_call);
    quote! {
        //! The client, and the call each operation returns.

        use crate::RequestOptions;

        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client(sunshine_runtime::Client);

        impl Client {
            /// Starts configuring a client. See [`ClientBuilder`] for the defaults.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL requests are sent to, without a trailing `/`.
            pub fn base_url(&self) -> &str {
                self.0.base_url()
            }

            /// A handle to the same client whose requests carry `options` (extra
            /// headers, a timeout, a retry policy), on top of any this handle
            /// already has. Cheap: the connection pool and settings are shared.
            pub fn with_options(&self, options: RequestOptions) -> Client {
                Client(self.0.with_options(options))
            }
        }

        impl From<sunshine_runtime::Client> for Client {
            fn from(client: sunshine_runtime::Client) -> Self {
                Client(client)
            }
        }

        impl sunshine_runtime::Api for Client {
            type Server = crate::Server;
        }

        /// Configures and builds a [`Client`]; created by [`Client::builder`].
        ///
        /// Defaults: the server is [`Server::default()`](crate::Server), no credentials
        /// are sent, each attempt has [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT) and each
        /// connection [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT), failed
        /// requests are retried as [`RetryPolicy::default()`](crate::RetryPolicy) says,
        /// and a new HTTP client with rustls TLS is built.
        pub type ClientBuilder = sunshine_runtime::ClientBuilder<Client>;

        #call
    }
}

/// The crate's `Call`, over the runtime's, for crates with operations.
fn emit_call() -> TokenStream {
    quote! {
        /// A call of one operation, returned by every operation method. Await it to
        /// send the request; `.with_options(..)` first to give this call alone extra
        /// headers, a timeout or a retry policy.
        ///
        /// A call owns its request and a handle to the client (the arguments were
        /// encoded when the operation method returned), so it borrows nothing: it can
        /// be built in a closure, collected with others and joined, or spawned.
        #[must_use = "a call does nothing until it is awaited"]
        pub struct Call<T, E>(pub(crate) sunshine_runtime::Call<T, E>);

        impl<T: Send + 'static, E: Send + 'static> Call<T, E> {
            /// A call sending `request` with `client`, whose response `decode` turns
            /// into the operation's result.
            pub(crate) fn new(
                client: &Client,
                request: sunshine_runtime::Request,
                decode: sunshine_runtime::Decode<T, E>,
            ) -> Self {
                Call(sunshine_runtime::Call::new(&client.0, request, decode))
            }

            /// Gives this call extra headers, a timeout or a retry policy, on top of
            /// the client's options. Options given after the call was first polled
            /// have no effect.
            pub fn with_options(self, options: RequestOptions) -> Self {
                Call(self.0.with_options(options))
            }

            /// The call whose result comes with the status and headers of the
            /// response: `let (value, meta) = call.with_metadata().await?;`, then
            /// `meta.header("x-request-id")`.
            pub fn with_metadata(self) -> crate::WithMetadata<T, E> {
                self.0.with_metadata()
            }

            /// Changes the request before it is sent: `.params(..)` and `.body(..)`.
            // Only operations with optional parts use it, which a crate may lack.
            #[allow(dead_code)]
            pub(crate) fn map_request(
                self,
                change: impl FnOnce(sunshine_runtime::Request) -> sunshine_runtime::Request,
            ) -> Self {
                Call(self.0.map_request(change))
            }
        }

        impl<T: Send + 'static, E: Send + 'static> std::future::Future for Call<T, E> {
            type Output = Result<T, crate::Error<E>>;

            fn poll(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
            ) -> std::task::Poll<Self::Output> {
                std::pin::Pin::new(&mut self.0).poll(cx)
            }
        }

        impl<T, E> std::fmt::Debug for Call<T, E> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    }
}
