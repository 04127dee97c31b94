//! Struct fields as `types.rs` and the webhook delivery structs write them:
//! serde attributes, `Option`/`Nullable` by presence, docs with defaults.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, ident, rust_type, tokens, Context};
use super::construct::member_doc;
use crate::model::{Api, Field, Presence, TypeRef};
use crate::names::camel_case;
use crate::surface::{RustType, ADDITIONAL_PROPERTIES};

/// The flattened map of a struct's undeclared properties, of type `ty`.
pub fn additional_field(
    api: &Api,
    ty: &TypeRef,
    setter: &str,
    serde: bool,
    context: Context,
) -> TokenStream {
    let value = rust_type(api, ty, context);
    let flatten = serde.then(|| quote!(#[serde(flatten)]));
    let field = ident(ADDITIONAL_PROPERTIES);
    let setter = setter_marker(ADDITIONAL_PROPERTIES, setter);
    quote! {
        #setter
        /// Properties not listed above, kept as sent.
        #flatten
        pub #field: std::collections::BTreeMap<String, #value>,
    }
}

/// Whether a struct with these fields gets `#[serde(rename_all = "camelCase")]`:
/// when that spares at least one field its own `rename`.
pub fn uses_camel_case(fields: &[Field]) -> bool {
    fields.iter().any(|f| {
        let name = f.name.trim_start_matches("r#");
        name != f.json_name && camel_case(name).as_deref() == Some(f.json_name.as_str())
    })
}

/// A struct field of type `ty` (the surface's, with its `Box` and
/// `Option`), written in `context`; `camel` when the struct has
/// `rename_all = "camelCase"`.
pub fn emit_field_as(
    field: &Field,
    ty: &RustType,
    context: Context,
    setter: &str,
    serde: bool,
    camel: bool,
) -> TokenStream {
    let name = ident(&field.name);
    let setter = setter_marker(&field.name, setter);
    let ty = tokens(ty, context);
    let json_name = &field.json_name;
    let fallback = || format!("The `{json_name}` property.");
    let doc = doc_attrs(&member_doc(&field.doc, fallback, field.default.as_ref()));
    let rust_name = field.name.trim_start_matches("r#");
    let serde_name = match camel {
        true => camel_case(rust_name),
        false => Some(rust_name.to_owned()),
    };
    let rename =
        (serde_name.as_deref() != Some(json_name.as_str())).then(|| quote!(rename = #json_name,));
    let attrs = match field.presence {
        Presence::Required | Presence::RequiredNullable => quote!(),
        // A received `null` reads as `None` too: serde's `Option` takes both.
        Presence::Optional => quote!(default, skip_serializing_if = "Option::is_none",),
        Presence::OptionalNullable => {
            quote!(default, skip_serializing_if = "crate::Nullable::is_absent",)
        }
    };
    let serde_attr = if serde && !(rename.is_none() && attrs.is_empty()) {
        quote!(#[serde(#rename #attrs)])
    } else {
        quote!()
    };
    quote! {
        #setter
        #doc
        #serde_attr
        pub #name: #ty,
    }
}

/// `#[setter(name)]`, which `object!` reads, where the field's setter is
/// not named like the field.
pub fn setter_marker(field: &str, setter: &str) -> Option<TokenStream> {
    (field != setter).then(|| {
        let setter = ident(setter);
        quote!(#[setter(#setter)])
    })
}
