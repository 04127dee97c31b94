//! `src/lib.rs` (crate documentation, modules, re-exports) and
//! `src/servers.rs` (the `Server` enum).

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, doc_or, ident, inner_doc_attrs, Context};
use super::construct::{construction, field_fill, Construction};
use super::CrateConfig;
use crate::model::{Api, BodyKind, Operation, TypeKind, TypeRef};

pub fn emit_lib(api: &Api, config: &CrateConfig) -> TokenStream {
    let mut text = format!(
        "# {} client\n\nAn async Rust client for the {} (version {} of its OpenAPI document), generated from that document.",
        api.title, api.title, api.version
    );
    text.push_str(
        "\n\nOperations are grouped by tag: [`Client`] has one accessor per tag (see [`apis`]); ",
    );
    text.push_str("request and response types are in [`types`]; webhook payloads in [`webhooks`].");
    text.push_str("\n\n## Example\n\n```no_run\n");
    text.push_str(&usage_example(api, config));
    text.push_str("```");
    if let Some(description) = &api.description {
        text.push_str("\n\n## About the API\n\n");
        text.push_str(description);
    }
    let doc = inner_doc_attrs(&text);
    let has_groups = !api.groups.is_empty();
    let paginator = api.operations().any(|op| op.pagination.is_some()).then(|| {
        let cfg = super::features::for_pagination(api);
        quote!(
            #cfg pub use runtime::Paginator;
        )
    });
    let webhooks_cfg = super::features::for_webhooks(api);
    let apis = has_groups.then(|| {
        quote! {
            #[rustfmt::skip]
            pub mod apis;
        }
    });
    let nullable = super::uses_nullable(api).then(|| {
        quote! {
            #[rustfmt::skip] mod nullable;
            pub use nullable::Nullable;
        }
    });
    quote! {
        #doc
        #![deny(missing_docs)]

        #apis
        #[rustfmt::skip] mod runtime;
        #[rustfmt::skip] mod servers;
        #[rustfmt::skip] mod shape;
        #[rustfmt::skip] mod support;
        #[rustfmt::skip] pub mod types;
        #webhooks_cfg #[rustfmt::skip] mod webhook;
        #webhooks_cfg #[rustfmt::skip] pub mod webhooks;

        pub use runtime::{Auth, BuildError, Call, Client, ClientBuilder, Error, InvalidRequest};
        pub use runtime::{Jwt, JwtScope, RequestOptions, RetryOutcome, RetryPolicy};
        #paginator
        pub use runtime::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
        /// The HTTP client this crate sends requests with, for
        /// [`ClientBuilder::http_client`].
        pub use reqwest::Client as HttpClient;
        pub use reqwest::{header::HeaderMap, StatusCode};
        /// The HTTP stack, for settings this crate does not wrap (proxies, TLS).
        pub use reqwest;
        pub use servers::Server;
        pub use support::Upload;
        #nullable
    }
}

/// Example code for the crate docs: build a client, call the first operation
/// whose arguments can be written down simply.
fn usage_example(api: &Api, config: &CrateConfig) -> String {
    let crate_name = config.name.replace('-', "_");
    let mut code = format!(
        "use {crate_name}::{{Client, Error}};\n\n# async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = Client::builder()\n    .basic_auth(\"app_key_id\", \"app_key_secret\")\n    .build()?;\n"
    );
    // The simple call that shows the most: a body with required fields
    // before one without; the first such in operation order.
    if let Some((group, op, (setup, args))) = api
        .groups
        .iter()
        .flat_map(|g| g.operations.iter().map(move |op| (g, op)))
        .filter_map(|(g, op)| simple_call(api, op, &crate_name).map(|call| (g, op, call)))
        .min_by_key(|(_, _, (setup, _))| std::cmp::Reverse(setup.lines().count()))
    {
        code.push_str(&setup);
        code.push_str(&format!(
            "match client.{}().{}({}).await {{\n    Ok(response) => println!(\"ok: {{response:?}}\"),\n    Err(Error::Api {{ error, .. }}) => eprintln!(\"the API said no: {{error}}\"),\n    Err(other) => return Err(other.into()),\n}}\n",
            group.module,
            op.fn_name,
            args
        ));
    }
    code.push_str("# Ok(())\n# }\n");
    code
}

/// Setup lines and arguments for calling `op` in an example, when every
/// argument is a string or a body whose required fields are strings.
fn simple_call(api: &Api, op: &Operation, crate_name: &str) -> Option<(String, String)> {
    let mut args: Vec<String> = Vec::new();
    for param in &op.path_params {
        if param.ty != TypeRef::String {
            return None;
        }
        args.push(format!(
            "\"{}\"",
            param.rust_name.trim_start_matches("r#").replace('_', "-")
        ));
    }
    if !op.other_params.is_empty() {
        return None;
    }
    let mut setup = String::new();
    if let Some(body) = &op.body {
        let BodyKind::Json(TypeRef::Named(id)) = &body.kind else {
            return None;
        };
        let def = api.type_def(id)?;
        let TypeKind::Struct(s) = &def.kind else {
            return None;
        };
        setup = match construction(api, id, &mut Vec::new()) {
            Construction::Default { .. } => {
                format!("let body = {crate_name}::types::{}::default();\n", def.name)
            }
            Construction::New => {
                let mut values = Vec::new();
                for field in &s.fields {
                    if field_fill(
                        api,
                        field,
                        def.usage.sent,
                        Context::Outside,
                        &mut Vec::new(),
                    )
                    .is_none()
                    {
                        if field.ty != TypeRef::String {
                            return None;
                        }
                        values.push("\"next\"");
                    }
                }
                format!(
                    "let body = {crate_name}::types::{}::new({});\n",
                    def.name,
                    values.join(", ")
                )
            }
            Construction::None => return None,
        };
        args.push(if body.required {
            "&body".to_owned()
        } else {
            "Some(&body)".to_owned()
        });
    }
    Some((setup, args.join(", ")))
}

pub fn emit_servers(api: &Api) -> TokenStream {
    let variants = api.servers.iter().map(|server| {
        let name = ident(&server.name);
        let doc = doc_or(&server.doc, || format!("`{}`", server.url));
        let url_doc = doc_attrs(&format!("\nURL: `{}`", server.url));
        let default =
            (server.is_default && server.variables.is_empty()).then(|| quote!(#[default]));
        if server.variables.is_empty() {
            quote!(#doc #url_doc #default #name,)
        } else {
            let fields = server.variables.iter().map(|v| {
                let field = ident(&v.field);
                let doc = doc_or(&v.doc, || format!("Value of `{{{}}}` in the URL.", v.name));
                quote!(#doc #field: String,)
            });
            quote!(#doc #url_doc #default #name { #(#fields)* },)
        }
    });
    let arms = api.servers.iter().map(|server| {
        let name = ident(&server.name);
        if server.variables.is_empty() {
            let url = &server.url;
            quote!(Self::#name => #url.to_owned(),)
        } else {
            let fields: Vec<_> = server.variables.iter().map(|v| ident(&v.field)).collect();
            // Values are percent-encoded so that they cannot change the host or path.
            let encoded = server.variables.iter().map(|v| {
                let field = ident(&v.field);
                quote!(let #field = crate::support::url_part(#field);)
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
    });
    // A default server with variables gets a hand-written `Default` using their defaults.
    let default_impl = api
        .servers
        .iter()
        .find(|s| s.is_default && !s.variables.is_empty())
        .map(|server| {
            let name = ident(&server.name);
            let fields = server.variables.iter().map(|v| {
                let field = ident(&v.field);
                let value = &v.default;
                quote!(#field: #value.to_owned())
            });
            quote! {
                impl Default for Server {
                    fn default() -> Self {
                        Self::#name { #(#fields),* }
                    }
                }
            }
        });
    let derive_default = default_impl.is_none().then(|| quote!(Default,));
    if api.servers.is_empty() {
        return quote! {
            //! Where the API is served.

            /// Where the API is served. The document names no server, so give a base URL
            /// with [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
            #[derive(Debug, Clone, PartialEq, Eq, Default)]
            #[non_exhaustive]
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
        };
    }
    quote! {
        //! Where the API is served.

        /// Where the API is served. Pick one with
        /// [`ClientBuilder::server`](crate::ClientBuilder::server), or give any base URL with
        /// [`ClientBuilder::base_url`](crate::ClientBuilder::base_url).
        #[derive(Debug, Clone, PartialEq, Eq, #derive_default)]
        // A new version of the document may add servers.
        #[non_exhaustive]
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
    }
}

/// A `format!` template for a URL or path with `{name}` placeholders: each
/// becomes a captured `{field}` (or `{}` plus a positional argument for a raw
/// identifier, which `format!` cannot capture). Literal braces are escaped.
pub(super) fn url_template<'a>(
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
