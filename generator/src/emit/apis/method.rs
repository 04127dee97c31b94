//! An operation's method on its tag's struct: its docs, its arguments as
//! the surface decided them, the request it builds, and the methods of its
//! `Call` for what the method does not take (`.params`, `.body`,
//! `.paginate`).

use proc_macro2::TokenStream;
use quote::quote;

use super::request::{attach_body, emit_param, request_expression, single_param_call};
use super::response::{response_arms, single_status_decoder, status_doc};
use crate::emit::common::{doc_attrs, ident, rust_type, success_type, tokens, Context};
use crate::model::{Api, Operation};
use crate::surface::{Argument, OperationSurface};

pub(super) fn emit_operation(api: &Api, op: &Operation, decided: &OperationSurface) -> TokenStream {
    let fn_name = ident(&decided.method);
    let error = ident(&decided.error_type);
    let success = success_type(api, decided);

    let doc = doc_attrs(&operation_doc(op, decided));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let args = operation_args(decided);

    // Required parameters and a required body are part of building the
    // request; optional ones are added by methods of the returned call.
    let params = decided.takes_params().then(|| {
        let params = op
            .query_and_header_params
            .iter()
            .zip(&decided.param_names)
            .map(|(p, field)| emit_param(api, p, field));
        quote!(#(#params)*)
    });
    let mutable = params.is_some().then(|| quote!(mut));
    let mut request = request_expression(op, decided);
    if let Some(body) = op
        .body
        .as_ref()
        .filter(|_| decided.arguments.contains(&Argument::Body))
    {
        let attach = attach_body(api, &body.kind);
        request = quote!(#request #attach);
    }
    // Required parameters with a document default are sent at it until
    // `.params(..)` says otherwise: the server expects them.
    let defaults = decided
        .params_type
        .as_ref()
        .filter(|_| decided.sends_default_params)
        .map(|name| {
            let name = ident(name);
            quote!(.params(&#name::default()))
        });
    let send = match single_status_decoder(op) {
        Some(decoder) => quote!(Call::new(self.client, request, #decoder)#defaults),
        None => {
            let arms = response_arms(op, decided);
            quote! {
                // Bound first, so that the call below fits on one line.
                let decode = |response: Response| match response.status().as_u16() {
                    #(#arms)*
                };
                Call::new(self.client, request, decode)#defaults
            }
        }
    };
    quote! {
        #doc
        #deprecated
        pub fn #fn_name(&self, #(#args),*) -> Call<#success, #error> {
            let #mutable request = #request;
            #params
            #send
        }
    }
}

/// The method's documentation: the document's words, the request line,
/// its errors, and what the returned call still takes.
pub(super) fn operation_doc(op: &Operation, decided: &OperationSurface) -> String {
    let mut doc = String::new();
    if let Some(summary) = &op.summary {
        doc.push_str(summary);
        doc.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        doc.push_str(description);
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}`", op.method.as_str(), op.path));
    if !op.errors.is_empty() {
        doc.push_str("\n\n# Errors\n\n");
        doc.push_str(&format!(
            "[`Error::Api`](crate::Error::Api) with a [`{}`] for a documented error status ({}); the other [`Error`](crate::Error) variants for anything else.",
            decided.error_type,
            op.errors.iter().map(|r| status_doc(r.status)).collect::<Vec<_>>().join(", ")
        ));
    } else {
        doc.push_str("\n\n# Errors\n\nAn [`Error`](crate::Error) when the request fails or the response is not a documented success.");
    }
    let mut optional = Vec::new();
    if let Some(params_type) = decided
        .params_type
        .as_ref()
        .filter(|_| decided.params_on_call)
    {
        optional.push(match decided.sends_default_params {
            true => format!(
                "it sends its query and header parameters at their defaults ({}) unless `.params(&{params_type})` sets them",
                sent_defaults(op)
            ),
            false => format!(
                "its query and header parameters are optional: set them with `.params(&{params_type})`"
            ),
        });
    }
    if decided.body_on_call {
        optional.push("the body is optional: send one with `.body(..)`".to_owned());
    }
    if decided.paginates {
        optional.push("`.paginate()` walks every page".to_owned());
    }
    if !optional.is_empty() {
        doc.push_str(&format!(
            "\n\nOn the returned call, {}.",
            optional.join("; ")
        ));
    }
    doc
}

/// The operation method's parameters after `&self`, as the surface decided
/// them: path parameters, the query/header parameter struct when some
/// parameter must be given, and a required body. Optional parameters and
/// bodies are set on the returned [`Call`] instead (see [`emit_call_methods`]).
pub(super) fn operation_args(decided: &OperationSurface) -> Vec<TokenStream> {
    decided
        .signature
        .iter()
        .map(|(name, ty)| {
            let name = ident(name);
            let ty = tokens(ty, Context::Outside);
            quote!(#name: #ty)
        })
        .collect()
}

/// The parameters an operation sends at their document default, as
/// `name=value` for its docs.
pub(super) fn sent_defaults(op: &Operation) -> String {
    op.query_and_header_params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| {
            let value = match p.default.as_ref()? {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            Some(format!("`{}={}`", p.name, value.replace('`', "'")))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Methods of the operation's [`Call`] type for what the operation method
/// does not take: `.params(..)` when every parameter is optional, `.body(..)`
/// for an optional body, `.paginate()` for a paginated list.
pub(super) fn emit_call_methods(
    api: &Api,
    method: &str,
    op: &Operation,
    decided: &OperationSurface,
) -> Option<TokenStream> {
    let mut methods = Vec::new();
    if let Some(params_type) = decided
        .params_type
        .as_ref()
        .filter(|_| decided.params_on_call)
    {
        let params_type = ident(params_type);
        // Single values chain on the request; others need statements.
        let chain: Option<Vec<TokenStream>> = op
            .query_and_header_params
            .iter()
            .zip(&decided.param_names)
            .map(|(p, field)| single_param_call(p, field))
            .collect();
        // Where the call already carries the defaults, `params` replaces them.
        let clear = decided
            .sends_default_params
            .then(|| quote!(.without_params()));
        let change = match chain {
            Some(calls) => quote!(|request| request #clear #(#calls)*),
            None => {
                let params = op
                    .query_and_header_params
                    .iter()
                    .zip(&decided.param_names)
                    .map(|(p, field)| emit_param(api, p, field));
                let clear = clear.map(|clear| quote!(request = request #clear;));
                quote!(|mut request| {
                    #clear
                    #(#params)*
                    request
                })
            }
        };
        let doc = doc_attrs(&match decided.sends_default_params {
            true => format!(
                "Sends the query and header parameters of [`{method}`] set in `params`, in place of the defaults it sends without this call ({}).",
                sent_defaults(op)
            ),
            false => format!(
                "Sends the query and header parameters of [`{method}`] set in `params` (all optional: without this call, none are sent)."
            ),
        });
        methods.push(quote! {
            #doc
            pub fn params(self, params: &#params_type) -> Self {
                self.map_request(#change)
            }
        });
    }
    if let Some(body) = op.body.as_ref().filter(|_| decided.body_on_call) {
        let ty = rust_type(api, body.kind.ty(), Context::Outside);
        let attach = attach_body(api, &body.kind);
        let doc = doc_attrs(&format!(
            "Sends `body` with [`{method}`] (the body is optional: without this call, none is sent)."
        ));
        methods.push(quote! {
            #doc
            pub fn body(self, body: &#ty) -> Self {
                self.map_request(|request| request #attach)
            }
        });
    }
    if decided.paginates {
        methods.extend(crate::emit::pagination::emit_paginate(
            api, op, decided, method,
        ));
    }
    if methods.is_empty() {
        return None;
    }
    let success = success_type(api, decided);
    let error = ident(&decided.error_type);
    Some(quote! {
        impl Call<#success, #error> {
            #(#methods)*
        }
    })
}
