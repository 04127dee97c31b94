//! `src/apis/`: one module per tag, holding an accessor struct with one async
//! method per operation, and each operation's parameter, response and error types.

mod method;
mod request;
mod response;

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, doc_or, ident, inner_doc_attrs};
use crate::model::{Operation, OperationGroup, TypeRef};
use crate::surface::Surface;
use method::{emit_call_methods, emit_operation};
use request::emit_params_struct;
use response::{emit_error_enum, emit_response_enum};

pub fn emit_mod(surface: &Surface) -> TokenStream {
    let api = surface.api();
    let modules = api.groups.iter().map(|group| {
        let module = ident(&surface.group(group).module);
        let doc = doc_attrs(&format!("Operations tagged `{}`.", group.tag));
        let cfg = super::features::for_group(surface, group);
        quote!(#doc #cfg #[rustfmt::skip] pub mod #module;)
    });
    let exports = api.groups.iter().map(|group| {
        let names = surface.group(group);
        let module = ident(&names.module);
        let name = ident(&names.struct_name);
        let cfg = super::features::for_group(surface, group);
        quote!(#cfg pub use #module::#name;)
    });
    quote! {
        //! The API's operations, grouped by tag. Reach them from a [`Client`](crate::Client),
        //! for example `client.switchboard_actions()`.

        #(#modules)*

        #(#exports)*
    }
}

pub fn emit_group(surface: &Surface, group: &OperationGroup, crate_name: &str) -> TokenStream {
    let api = surface.api();
    let names = surface.group(group);
    let name = ident(&names.struct_name);
    let accessor = ident(&names.module);
    let tag = &group.tag;
    let doc = doc_or(&group.doc, || format!("Operations tagged `{tag}`."));
    let mut module_doc = group
        .doc
        .clone()
        .unwrap_or_else(|| format!("Operations tagged `{tag}`."));
    if let Some(example) = super::doc_examples::group_example(surface, group, crate_name) {
        module_doc.push_str(&format!("\n\n# Example\n\n```no_run\n{example}```"));
    }
    let module_doc = inner_doc_attrs(&module_doc);
    let methods = group
        .operations
        .iter()
        .map(|op| emit_operation(api, op, surface.operation(op)));
    let pages = group.operations.iter().any(|op| op.pagination.is_some());
    let pagination_import = pages.then(|| {
        quote!(
            use sunshine_runtime::{PageLayout, Paginator};
        )
    });
    let support_types = group
        .operations
        .iter()
        .map(|op| emit_operation_types(surface, group, op));
    let accessor_doc = doc_attrs(&format!("Operations tagged `{tag}`."));
    let uses_types = group.operations.iter().any(operation_uses_types);
    let types_import = uses_types.then(|| {
        quote!(
            use crate::types;
        )
    });
    let runtime_import = quote!(
        use crate::{Call, Client};
        use sunshine_runtime::{Request, Response};
    );
    quote! {
        #module_doc

        #runtime_import
        #pagination_import
        #types_import

        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a Client,
        }

        impl Client {
            #accessor_doc
            pub fn #accessor(&self) -> #name<'_> {
                #name { client: self }
            }
        }

        impl #name<'_> {
            #(#methods)*
        }

        #(#support_types)*
    }
}

fn operation_uses_types(op: &Operation) -> bool {
    op.path_params
        .iter()
        .chain(&op.query_and_header_params)
        .any(|p| p.ty.references_named())
        || op
            .body
            .as_ref()
            .is_some_and(|b| b.kind.ty().references_named())
        || op
            .successes
            .iter()
            .chain(&op.errors)
            .any(|r| r.body.as_ref().is_some_and(TypeRef::references_named))
}

fn emit_operation_types(surface: &Surface, group: &OperationGroup, op: &Operation) -> TokenStream {
    let api = surface.api();
    let decided = surface.operation(op);
    let method = format!(
        "{}::{}",
        surface.group(group).struct_name,
        decided.method.trim_start_matches("r#")
    );
    let params = decided
        .params_type
        .as_deref()
        .map(|name| emit_params_struct(api, op, decided, name, &method));
    let response = decided.response_type.as_deref().map(|name| {
        let non_exhaustive = surface.policy().response_enums_non_exhaustive;
        emit_response_enum(api, op, decided, name, non_exhaustive, &method)
    });
    let error = emit_error_enum(api, op, decided, &method);
    let call_methods = emit_call_methods(api, &method, op, decided);
    quote!(#params #response #error #call_methods)
}
