//! `src/mock.rs` of the generated crate (the `mock` feature): the typed fake
//! of the API for tests. The engine is `sunshine_kit`; this file
//! only describes each operation to it, as one line of a table per
//! operation (`mock_group!`), and wires the tags into one `MockApi`
//! (`mock_api!`).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{doc_attrs, ident, inner_doc_attrs, raw_string, rust_type, Context};
use super::config::CrateConfig;
use crate::model::{Api, AuthScheme, BodyKind, Operation, OperationGroup, Status, TypeRef};
use crate::surface::{Argument, Success, Surface};

// ---------------------------------------------------------------------------
// Names: every name this file writes comes from these lookups.
// ---------------------------------------------------------------------------

/// The accessor of a tag on the client (`switchboard_actions`), which is
/// also its module in `apis`.
fn group_module<'a>(surface: &'a Surface, group: &OperationGroup) -> &'a str {
    &surface.group(group).module
}

/// The accessor of a tag on the fake (`switchboard_actions`).
fn group_accessor<'a>(surface: &'a Surface, group: &OperationGroup) -> &'a str {
    &surface.group(group).kit_accessor
}

/// The struct of a tag's expectations (`SwitchboardActions`).
fn group_struct<'a>(surface: &'a Surface, group: &OperationGroup) -> &'a str {
    &surface.group(group).kit_struct
}

/// The cargo feature that compiles a tag, when the crate has them.
fn group_feature<'a>(surface: &'a Surface, group: &OperationGroup) -> Option<&'a str> {
    surface.group(group).feature.as_deref()
}

/// The cargo feature that compiles the webhook events, when the crate has them.
fn webhooks_feature(surface: &Surface) -> Option<&str> {
    surface.features()?.webhooks.as_deref()
}

/// The operation's method on the client (`pass_control`).
fn op_method<'a>(surface: &'a Surface, op: &Operation) -> &'a str {
    &surface.operation(op).method
}

/// The operation's expectation on the fake (`pass_control`).
fn op_expectation<'a>(surface: &'a Surface, op: &Operation) -> &'a str {
    &surface.operation(op).kit_method
}

/// The name requests of the operation carry (its `operationId`).
fn op_name(op: &Operation) -> &str {
    &op.id
}

/// The operation's error enum, from `apis::{module}`.
fn op_error(surface: &Surface, group: &OperationGroup, op: &Operation) -> TokenStream {
    let module = ident(group_module(surface, group));
    let error = ident(&surface.operation(op).error_type);
    quote!(apis::#module::#error)
}

/// The operation's `{Op}Params`, when its call takes them with `.params(..)`
/// (not when its method takes them as an argument).
fn op_params(surface: &Surface, group: &OperationGroup, op: &Operation) -> Option<TokenStream> {
    let decided = surface.operation(op);
    if !decided.params_on_call {
        return None;
    }
    let module = ident(group_module(surface, group));
    let params = ident(decided.params_type.as_deref()?);
    Some(quote!(apis::#module::#params))
}

/// What a success of the operation decodes to, as the client's method returns it.
fn op_success(surface: &Surface, group: &OperationGroup, op: &Operation) -> TokenStream {
    let decided = surface.operation(op);
    match (&decided.success, &decided.response_type) {
        (Success::Body(ty), _) => rust_type(surface.api(), ty, Context::Outside),
        (Success::Enum, Some(response)) => {
            let module = ident(group_module(surface, group));
            let response = ident(response);
            quote!(apis::#module::#response)
        }
        (Success::Unit | Success::Enum, _) => quote!(()),
    }
}

/// The JSON body type of the operation, when it takes one.
fn op_json_body(api: &Api, op: &Operation) -> Option<TokenStream> {
    match &op.body.as_ref()?.kind {
        BodyKind::Json(ty) => Some(rust_type(api, ty, Context::Outside)),
        BodyKind::Multipart(_) => None,
    }
}

/// The event type of the webhook deliveries that list events, and the
/// function that parses them.
fn webhook_events(surface: &Surface) -> Option<(TokenStream, &str)> {
    let api = surface.api();
    let (webhook, event) = api.event_delivery()?;
    Some((
        rust_type(api, event, Context::Outside),
        surface.webhook(webhook).parse_fn.as_str(),
    ))
}

/// The `Authorization` schemes the document accepts; none when it declares
/// another kind of credentials (the fake then checks none).
fn auth_schemes(api: &Api) -> Vec<&'static str> {
    let mut schemes = Vec::new();
    for scheme in &api.auth {
        match scheme {
            AuthScheme::Basic => schemes.push("Basic"),
            AuthScheme::Bearer => schemes.push("Bearer"),
            AuthScheme::Other(_) => return Vec::new(),
        }
    }
    schemes
}

// ---------------------------------------------------------------------------
// The file
// ---------------------------------------------------------------------------

/// `src/mock.rs`.
pub fn emit(surface: &Surface, config: &CrateConfig) -> TokenStream {
    let api = surface.api();
    let library = config.library();
    let doc = inner_doc_attrs(&module_doc(surface, &library));
    let has_groups = !api.groups.is_empty();
    // With every tag's feature off, lib.rs allows the imports left unused.
    let apis_import = has_groups.then(|| {
        quote!(
            use crate::apis;
        )
    });
    // The body and success types it names, and the event type of deliveries.
    let carries_types = |op: &Operation| {
        let body = op
            .body
            .as_ref()
            .is_some_and(|body| matches!(&body.kind, BodyKind::Json(ty) if ty.references_named()));
        let success =
            matches!(&surface.operation(op).success, Success::Body(ty) if ty.references_named());
        body || success
    };
    let uses_types = api.operations().any(carries_types)
        || api
            .event_delivery()
            .is_some_and(|(_, event)| event.references_named());
    let types_import = uses_types.then(|| {
        quote!(
            use crate::types;
        )
    });
    let accessors = api.groups.iter().map(|group| {
        let accessor = ident(group_accessor(surface, group));
        let name = ident(group_struct(surface, group));
        let doc = doc_attrs(&format!(
            "Expectations of the operations tagged `{}`.",
            group.tag
        ));
        let cfg = group_feature(surface, group).map(|feature| quote!(#[cfg(feature = #feature)]));
        quote!(#doc #cfg #accessor: #name,)
    });
    let groups = api.groups.iter().map(|group| emit_group(surface, group));
    let delivery = webhook_events(surface).map(|(event, parse_fn)| {
        let doc = doc_attrs(&format!(
            "A webhook delivery of [`{event}`](crate::{event})s, as the platform sends it: its bytes decode back with [`{parse_fn}`](crate::webhooks::{parse_fn}).",
            event = event.to_string().replace(' ', ""),
        ));
        let cfg = webhooks_feature(surface).map(|feature| quote!(#[cfg(feature = #feature)]));
        quote! {
            #doc
            #cfg
            pub type Delivery = sunshine_kit::Delivery<#event>;

            /// Short builders of the events a bot meets most, typed as this
            /// crate's events.
            #cfg
            pub use sunshine_kit::{SwitchboardChange, UserText};
        }
    });
    let schemes = auth_schemes(api);
    quote! {
        #doc

        #apis_import
        #types_import
        /// The test kit's types, which the fake's methods take and return:
        /// named from here, a helper of the tests can take or return them.
        pub use sunshine_kit::{
            Arity, EncodeParams, ErrorAnswer, Expectation, MockServer, Mounted, ReceivedCall,
            ReceivedRequest, Spec, Violation,
        };

        sunshine_kit::mock_api! {
            /// A fake of the API on 127.0.0.1, for tests: see the [module](self).
            pub struct MockApi {
                #(#accessors)*
            }
        }

        impl MockApi {
            /// Starts the fake on a port of 127.0.0.1 the system picks. It knows
            /// every operation the crate compiles, and checks each request
            /// against the document before the expectations see it.
            pub async fn start() -> Self {
                Self(sunshine_kit::MockServer::start(Self::operations(), &[#(#schemes),*]).await)
            }

            /// A [`Client`](crate::Client) for this fake: basic credentials, quick
            /// retries without jitter, short timeouts.
            pub fn client(&self) -> crate::Client {
                sunshine_kit::MockServer::client(self)
            }
        }

        #delivery

        #(#groups)*
    }
}

/// One tag's `mock_group!`: a line per operation.
fn emit_group(surface: &Surface, group: &OperationGroup) -> TokenStream {
    let api = surface.api();
    let name = ident(group_struct(surface, group));
    let doc = doc_attrs(&format!(
        "The operations tagged `{}`, from [`MockApi::{}`].",
        group.tag,
        group_accessor(surface, group)
    ));
    let cfg = group_feature(surface, group).map(|feature| quote!(#[cfg(feature = #feature)]));
    let lines = group.operations.iter().map(|op| {
        let method = ident(op_expectation(surface, op));
        let arity = Literal::usize_unsuffixed(op.path_params.len());
        let body = op_json_body(api, op).unwrap_or_else(|| quote!(()));
        let success = op_success(surface, group, op);
        let error = op_error(surface, group, op);
        let spec = spec(api, op);
        let params = op_params(surface, group, op).map(|params| quote!(, #params));
        quote!(#method([(); #arity], #body, #success, #error #params) = #spec,)
    });
    quote! {
        #cfg
        sunshine_kit::mock_group! {
            #doc
            pub enum #name {
                #(#lines)*
            }
        }
    }
}

/// The `Spec` expression of one operation: what the document says a request
/// must be, and how a success is answered.
fn spec(api: &Api, op: &Operation) -> TokenStream {
    let name = op_name(op);
    let method = op.method.as_str();
    let path = &op.path;
    let mut spec = quote!(Spec::new(#name, #method, #path));
    let required = |location| {
        op.query_and_header_params
            .iter()
            .filter(move |param| param.location == location && param.required)
            .map(|param| param.name.as_str())
            .collect::<Vec<_>>()
    };
    let query = required(crate::model::ParamLocation::Query);
    if !query.is_empty() {
        spec.extend(quote!(.query(&[#(#query),*])));
    }
    let headers = required(crate::model::ParamLocation::Header);
    if !headers.is_empty() {
        spec.extend(quote!(.headers(&[#(#headers),*])));
    }
    if let Some(body) = &op.body {
        let required = body.required;
        spec.extend(match op_json_body(api, op) {
            Some(ty) => quote!(.json::<#ty>(#required)),
            None => quote!(.multipart(#required)),
        });
    }
    match op.successes.first().map(|success| success.status) {
        Some(Status::Code(200)) | None => {}
        Some(Status::Code(code)) => {
            let code = Literal::u16_unsuffixed(code);
            spec.extend(quote!(.success(#code)));
        }
        Some(Status::Range(class)) => {
            let code = Literal::u16_unsuffixed(class * 100);
            spec.extend(quote!(.success(#code)));
        }
        Some(Status::Default) => {}
    }
    if let Some(pages) = &op.pagination {
        let cursor_param = &pages.cursor_param;
        let items = &pages.items_pointer;
        let has_more = &pages.has_more_pointer;
        let cursor = &pages.cursor_pointer;
        spec.extend(quote!(.pages(&sunshine_runtime::PageLayout {
            cursor_param: #cursor_param,
            items: #items,
            has_more: #has_more,
            cursor: #cursor,
        })));
    }
    let examples = examples(api, op);
    if !examples.is_empty() {
        let examples = examples.iter().map(|(status, json)| {
            let (status, json) = (Literal::u16_unsuffixed(*status), raw_string(json));
            quote!((#status, #json))
        });
        spec.extend(quote!(.examples(&[#(#examples),*])));
    }
    spec
}

/// The document's example answers of `op` that its types accept: the first
/// one per status, as compact JSON.
fn examples(api: &Api, op: &Operation) -> Vec<(u16, String)> {
    let mut found: Vec<(u16, String)> = Vec::new();
    for example in &api.examples {
        let Some(status) = example
            .answers
            .as_ref()
            .filter(|answer| answer.operation == op.id)
            .map(|answer| answer.status)
        else {
            continue;
        };
        if example.expected.is_none() || found.iter().any(|(known, _)| *known == status) {
            continue;
        }
        found.push((status, example.value.to_string()));
    }
    found.sort_by_key(|(status, _)| *status);
    found
}

/// The module's documentation, with an example on the crate's first tag.
fn module_doc(surface: &Surface, library: &str) -> String {
    let api = surface.api();
    let mut doc = String::from(
        "A fake of the API for tests, typed by this crate (the `mock` feature, off by default: \
         turn it on in `[dev-dependencies]`).\n\n\
         [`MockApi::start`] runs it on 127.0.0.1 and [`MockApi::client`] gives a client for it. \
         Each operation has an expectation, reached as calls are (`mock.{tag}().{op}()`): match the \
         path parameters, query, headers, credentials and the body (as the operation's body type), \
         then answer with a success value, a documented error (its status comes with it), the \
         document's example, a raw status with `Retry-After`, or, for lists, pages. Every request is \
         checked against the document first; the test fails, when the fake is dropped or \
         [`verify`](sunshine_kit::MockServer::verify) is called, if one broke it, if one \
         matched no expectation, or if an expectation matched another number of times than it was told.",
    );
    let first = api
        .groups
        .iter()
        .find_map(|group| example_call(surface, group).map(|call| (group, call)));
    if let Some((group, (op, call))) = first {
        doc = doc
            .replace("{tag}", group_accessor(surface, group))
            .replace("{op}", op_expectation(surface, op));
        doc.push_str(&format!(
            "\n\n# Example\n\n```no_run\n\
             use {library}::mock::MockApi;\n\n\
             # async fn run() -> Result<(), Box<dyn std::error::Error>> {{\n\
             let mock = MockApi::start().await;\n\
             let expected = mock.{tag}().{method}().path([{path}]).times(4).status(503).await;\n\
             let client = mock.client();\n\
             {call}\n\
             assert_eq!(expected.matched(), 4); // the first attempt and three retries\n\
             # Ok(())\n\
             # }}\n```",
            tag = group_accessor(surface, group),
            method = op_expectation(surface, op),
            path = op
                .path_params
                .iter()
                .map(|_| "\"id\"")
                .collect::<Vec<_>>()
                .join(", "),
        ));
    } else {
        doc = doc.replace("{tag}", "tag").replace("{op}", "operation");
    }
    doc
}

/// A call of the first operation of `group` that takes only path
/// parameters, awaited and expected to fail.
fn example_call<'a>(
    surface: &Surface,
    group: &'a OperationGroup,
) -> Option<(&'a Operation, String)> {
    let op = group.operations.iter().find(|op| {
        let arguments = &surface.operation(op).arguments;
        // Path parameters are written as strings.
        op.path_params.iter().all(|p| p.ty == TypeRef::String)
            && !arguments.contains(&Argument::Params)
            && !arguments.contains(&Argument::Body)
    })?;
    let args = op
        .path_params
        .iter()
        .map(|_| "\"id\"")
        .collect::<Vec<_>>()
        .join(", ");
    Some((
        op,
        format!(
            "assert!(client.{}().{}({args}).await.is_err());",
            group_module(surface, group),
            op_method(surface, op)
        ),
    ))
}
