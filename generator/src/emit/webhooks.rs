//! `src/webhooks.rs`: the payloads the API posts to your webhook endpoints.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, ident, rust_type, Context};
use crate::model::{Api, TypeRef};

pub fn emit(api: &Api) -> TokenStream {
    let parsers = api.webhooks.iter().map(|webhook| {
        let ty = rust_type(api, &webhook.payload, Context::Outside);
        let function = ident(&webhook.parse_fn);
        let mut text = format!("Parses the body of a `{}` webhook request.", webhook.name);
        if let Some(doc) = &webhook.doc {
            text.push_str("\n\n");
            text.push_str(doc);
        }
        text.push_str("\n\n# Errors\n\nThe JSON error when the body is not a valid payload.");
        let doc = doc_attrs(&text);
        quote! {
            #doc
            pub fn #function(body: &[u8]) -> Result<#ty, serde_json::Error> {
                serde_json::from_slice(body)
            }
        }
    });
    let exports: Vec<TokenStream> = api
        .webhooks
        .iter()
        .filter_map(|w| match &w.payload {
            TypeRef::Named(id) => api.type_def(id).map(|d| {
                let name = ident(&d.name);
                quote!(pub use crate::types::#name;)
            }),
            _ => None,
        })
        .collect();
    let uses_types = api
        .webhooks
        .iter()
        .any(|w| matches!(w.payload, TypeRef::Named(_) | TypeRef::Array(_)));
    let types_import = uses_types.then(|| {
        quote!(
            use crate::types;
        )
    });
    quote! {
        //! Webhook payloads: what the API posts to your endpoints. Parse a request
        //! body with the function for its webhook; event types this crate does not
        //! know yet decode into the `Unknown` variant instead of failing.

        #types_import

        #(#exports)*

        #(#parsers)*
    }
}
