//! `src/lib.rs` (crate documentation, modules, re-exports) and
//! `src/servers.rs` (the `Server` enum).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, doc_or, ident, inner_doc_attrs};
use super::config::CrateConfig;
use super::doc_examples;
use crate::model::{Server, API_DESCRIPTION_TOP_HEADING};
use crate::surface::Surface;

pub fn emit_lib(surface: &Surface, config: &CrateConfig) -> TokenStream {
    let api = surface.api();
    let mut text = format!(
        "# {} client\n\nAn async Rust client for the {} (version {} of its OpenAPI document), generated from that document.",
        api.title, api.title, api.version
    );
    text.push_str(
        "\n\nOperations are grouped by tag: [`Client`] has one accessor per tag (see [`apis`]); ",
    );
    text.push_str("request and response types are in [`types`]; webhook payloads in [`webhooks`].");
    text.push_str("\n\n## Example\n\n```no_run\n");
    text.push_str(&usage_example(surface, config));
    text.push_str("```");
    if let Some(description) = &api.description {
        // The description's own headings are nested below this one in lowering.
        let level = "#".repeat(API_DESCRIPTION_TOP_HEADING - 1);
        text.push_str(&format!("\n\n{level} About the API\n\n"));
        text.push_str(description);
    }
    let doc = inner_doc_attrs(&text);
    // Links in descriptions name their targets by absolute path (`crate::types::User`),
    // so that one description links right wherever it is shown; where the label is
    // also in scope, rustdoc calls the target redundant, which is harmless.
    // With every tag's feature off (webhook events alone, say), no operation
    // sends a request: the runtime is unused by design, not dead.
    let no_operations = surface.features().map(|features| {
        let tags = features.groups.values();
        quote!(#![cfg_attr(not(any(#(feature = #tags),*)), allow(dead_code, unused_imports))])
    });
    let lints = quote! {
        // docs.rs (`--cfg docsrs`, on nightly) marks each gated item with its feature.
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![deny(missing_docs)]
        #![deny(rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![allow(rustdoc::redundant_explicit_links)]
        #no_operations
    };
    let has_groups = !api.groups.is_empty();
    let paginator = api.operations().any(|op| op.pagination.is_some()).then(|| {
        quote!(
            pub use sunshine_runtime::PaginationStream;
            pub use sunshine_runtime::Paginator;
        )
    });
    let call = api.operations().next().is_some().then(|| {
        quote!(
            pub use client::Call;
        )
    });
    let runtime_exports = sunshine_facts::CRATE_ROOT.iter().map(|line| {
        let names = line.iter().map(|name| ident(name));
        quote!(pub use sunshine_runtime::{#(#names),*};)
    });
    let metadata = api.operations().next().is_some().then(|| {
        quote!(
            pub use sunshine_runtime::ResponseMeta;
            pub use sunshine_runtime::WithMetadata;
        )
    });
    let webhooks_cfg = super::features::for_webhooks(surface);
    let apis = has_groups.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod apis;
        }
    });
    quote! {
        #doc
        #lints

        #apis
        #[rustfmt::skip] mod client;
        #[cfg(feature = "mock")] #[cfg_attr(docsrs, doc(cfg(feature = "mock")))] #[rustfmt::skip] pub mod mock;
        #[rustfmt::skip] mod servers;
        #[rustfmt::skip] pub mod types;
        #webhooks_cfg #[rustfmt::skip] pub mod webhooks;

        // In rustfmt's order, so that `cargo fmt` leaves the file as it is.
        #call
        pub use client::{Client, ClientBuilder};
        pub use servers::Server;
        #paginator
        #metadata
        #(#runtime_exports)*
        /// The HTTP client this crate sends requests with, for
        /// [`ClientBuilder::http_client`].
        pub use sunshine_runtime::reqwest::Client as HttpClient;
        pub use sunshine_runtime::reqwest::{header::HeaderMap, StatusCode};
        /// The HTTP stack, for settings this crate does not wrap (proxies, TLS).
        pub use sunshine_runtime::reqwest;
    }
}

/// Example code for the crate docs: build a client, call the operation
/// [`doc_examples::richest`] picks from the whole API.
fn usage_example(surface: &Surface, config: &CrateConfig) -> String {
    let api = surface.api();
    let crate_name = config.library();
    let mut code = doc_examples::opening(&crate_name, "{Client, Error}");
    let operations = api
        .groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |op| (g, op)));
    if let Some(call) = doc_examples::richest(surface, operations, &crate_name) {
        code.push_str(&call.setup);
        code.push_str(&format!(
            "match {}.await {{\n    Ok(response) => println!(\"ok: {{response:?}}\"),\n    Err(Error::Api {{ error, .. }}) => eprintln!(\"the API said no: {{error}}\"),\n    Err(other) => return Err(other.into()),\n}}\n",
            call.expression
        ));
    }
    code.push_str(doc_examples::CLOSING);
    code
}

pub fn emit_servers(surface: &Surface) -> TokenStream {
    let api = surface.api();
    let non_exhaustive = surface
        .policy()
        .server_enum_non_exhaustive
        .then(|| quote!(#[non_exhaustive]));
    let variants = api.servers.iter().map(server_variant);
    let arms = api.servers.iter().map(url_arm);
    let default_impl = default_impl(&api.servers);
    let derive_default = default_impl.is_none().then(|| quote!(Default,));
    let server_trait = quote! {
        impl sunshine_runtime::Server for Server {
            fn url(&self) -> String {
                Server::url(self)
            }
        }
    };
    if api.servers.is_empty() {
        return unspecified_server(non_exhaustive, server_trait);
    }
    quote! {
        //! Where the API is served.

        /// Where the API is served. Pick one with
        /// [`ClientBuilder::server`](crate::ClientBuilder::server), or give any base URL with
        /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
        #[derive(Debug, Clone, PartialEq, Eq, #derive_default)]
        // A new version of the document may add servers.
        #non_exhaustive
        pub enum Server {
            #(#variants)*
        }

        impl Server {
            /// The base URL of this server.
            pub fn url(&self) -> String {
                match self {
                    #(#arms)*
                }
            }
        }

        #default_impl

        #server_trait
    }
}

/// One variant of `Server`: a unit, or the URL's variables as fields.
fn server_variant(server: &Server) -> TokenStream {
    let name = ident(&server.name);
    let doc = doc_or(&server.doc, || format!("`{}`", server.url));
    let url_doc = doc_attrs(&format!("\nURL: `{}`", server.url));
    let default = (server.is_default && server.variables.is_empty()).then(|| quote!(#[default]));
    if server.variables.is_empty() {
        return quote!(#doc #url_doc #default #name,);
    }
    let fields = server.variables.iter().map(|v| {
        let field = ident(&v.field);
        let doc = doc_or(&v.doc, || format!("Value of `{{{}}}` in the URL.", v.name));
        quote!(#doc #field: String,)
    });
    quote!(#doc #url_doc #default #name { #(#fields)* },)
}

/// A default server with variables gets a hand-written `Default` using their defaults.
fn default_impl(servers: &[Server]) -> Option<TokenStream> {
    let server = servers
        .iter()
        .find(|s| s.is_default && !s.variables.is_empty())?;
    let name = ident(&server.name);
    let fields = server.variables.iter().map(|v| {
        let field = ident(&v.field);
        let value = &v.default;
        quote!(#field: #value.to_owned())
    });
    Some(quote! {
        impl Default for Server {
            fn default() -> Self {
                Self::#name { #(#fields),* }
            }
        }
    })
}

/// `Server` of a document that names none: a base URL must be given.
fn unspecified_server(
    non_exhaustive: Option<TokenStream>,
    server_trait: TokenStream,
) -> TokenStream {
    quote! {
        //! Where the API is served.

        /// Where the API is served. The document names no server, so give a base URL
        /// with [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #non_exhaustive
        pub enum Server {
            /// No server known; a base URL must be set on the builder.
            #[default]
            Unspecified,
        }

        impl Server {
            /// The base URL (empty: set one on the builder).
            pub fn url(&self) -> String {
                String::new()
            }
        }

        #server_trait
    }
}

/// The arm of `Server::url` for `server`: its URL, with its variables'
/// values in their places.
fn url_arm(server: &crate::model::Server) -> TokenStream {
    let name = ident(&server.name);
    if server.variables.is_empty() {
        let url = &server.url;
        quote!(Self::#name => #url.to_owned(),)
    } else if let Some(whole) = whole_url_variable(server) {
        // The variable is the whole base URL (`{site_url}`): used as given.
        let field = ident(&whole.field);
        quote!(Self::#name { #field } => #field.clone(),)
    } else {
        let fields: Vec<_> = server.variables.iter().map(|v| ident(&v.field)).collect();
        // Values are percent-encoded so that they cannot change the host or path.
        let encoded = server.variables.iter().map(|v| {
            let field = ident(&v.field);
            quote!(let #field = sunshine_runtime::support::url_part(#field);)
        });
        let (template, positional) = url_template(
            &server.url,
            server.variables.iter().map(|v| (&v.name, &v.field)),
        );
        quote! {
            Self::#name { #(#fields),* } => {
                #(#encoded)*
                format!(#template #(, #positional)*)
            }
        }
    }
}

/// The server's one variable, when it is the whole URL (`{site_url}`).
fn whole_url_variable(server: &crate::model::Server) -> Option<&crate::model::ServerVariable> {
    match server.variables.as_slice() {
        [only] if server.url == format!("{{{}}}", only.name) => Some(only),
        _ => None,
    }
}

/// A `format!` template for a URL with `{name}` placeholders: each
/// becomes a captured `{field}` (or `{}` plus a positional argument for a raw
/// identifier, which `format!` cannot capture). Literal braces are escaped.
fn url_template<'a>(
    url: &str,
    variables: impl Iterator<Item = (&'a String, &'a String)>,
) -> (String, Vec<proc_macro2::Ident>) {
    let mut template = url.replace('{', "{{").replace('}', "}}");
    let mut positional = Vec::new();
    for (name, field) in variables {
        let placeholder = format!("{{{{{name}}}}}");
        if field.starts_with("r#") {
            template = template.replacen(&placeholder, "{}", 1);
            positional.push(ident(field));
        } else {
            template = template.replace(&placeholder, &format!("{{{field}}}"));
        }
    }
    (template, positional)
}
