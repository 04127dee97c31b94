//! The constructors the surface stage decided ([`Construction`]), written
//! out: a derived or written `Default`, or `new(..)` taking the members that
//! cannot default.
//!
//! [`Construction`]: crate::surface::Construction

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};
use serde_json::Value;

use super::common::{ident, rust_type, Context};
use crate::model::{Api, TypeKind, TypeRef};
use crate::surface::Fill;

/// One member of a struct being built.
pub struct Member {
    /// Field name.
    pub field: Ident,
    /// The value's type as `new` takes it (without `Box`).
    pub ty: TokenStream,
    /// Whether the field holds it in a `Box`.
    pub boxed: bool,
    /// What it holds when unset, as an expression (`None` for the type's own
    /// `Default`); the outer `None` when it must be given.
    pub fill: Option<Option<TokenStream>>,
}

impl Member {
    /// A member of type `ty` that holds `fill` when unset.
    pub fn new(
        api: &Api,
        field: Ident,
        ty: &TypeRef,
        boxed: bool,
        fill: Option<&Fill>,
        context: Context,
    ) -> Self {
        Self {
            field,
            ty: rust_type(api, ty, context),
            boxed,
            fill: fill.map(|fill| match fill {
                Fill::TypeDefault => None,
                Fill::Document(value) => default_literal(api, ty, value, context),
            }),
        }
    }
}

/// The document's `default:` as a Rust expression of type `ty` (the surface
/// stage keeps only defaults that fit their type).
fn default_literal(
    api: &Api,
    ty: &TypeRef,
    value: &Value,
    context: Context,
) -> Option<TokenStream> {
    match (ty, value) {
        (TypeRef::String, Value::String(text)) => Some(quote!(#text.to_owned())),
        (TypeRef::Bool, Value::Bool(flag)) => Some(quote!(#flag)),
        (TypeRef::I32, Value::Number(n)) => {
            let n = i32::try_from(n.as_i64()?).ok()?;
            Some(Literal::i32_unsuffixed(n).into_token_stream())
        }
        (TypeRef::I64, Value::Number(n)) => {
            Some(Literal::i64_unsuffixed(n.as_i64()?).into_token_stream())
        }
        (TypeRef::F32, Value::Number(n)) => {
            Some(Literal::f32_unsuffixed(n.as_f64()? as f32).into_token_stream())
        }
        (TypeRef::F64, Value::Number(n)) => {
            Some(Literal::f64_unsuffixed(n.as_f64()?).into_token_stream())
        }
        (TypeRef::Named(id), Value::String(text)) => {
            let TypeKind::StringEnum(e) = &api.type_def(id)?.kind else {
                return None;
            };
            let variant = ident(&e.variants.iter().find(|v| &v.value == text)?.name);
            let name = rust_type(api, ty, context);
            Some(quote!(#name::#variant))
        }
        _ => None,
    }
}

/// A member's documentation: the document's, or `fallback`, then the
/// document default's note, if it has one.
pub fn member_doc(
    doc: &Option<String>,
    fallback: impl FnOnce() -> String,
    default: Option<&Value>,
) -> String {
    let mut text = doc.clone().unwrap_or_else(fallback);
    if let Some(note) = default.and_then(default_note) {
        text.push_str("\n\n");
        text.push_str(&note);
    }
    text
}

/// A sentence for the documentation of a member with a document default.
fn default_note(value: &Value) -> Option<String> {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Some(format!(
            "The API's default: `{}`.",
            value.to_string().replace('`', "'")
        )),
        _ => None,
    }
}

/// `Default` (derived: `true` is returned) or the `Default`/`new` impls of a
/// struct `name` with these members: structs that cannot default get `new`.
pub fn constructors(name: &Ident, members: &[Member]) -> (bool, TokenStream) {
    let fill = |member: &Member| match &member.fill {
        Some(None) | None => quote!(Default::default()),
        Some(Some(value)) if member.boxed => quote!(Box::new(#value)),
        Some(Some(value)) => value.clone(),
    };
    if members.iter().all(|m| m.fill.is_some()) {
        if members.iter().all(|m| matches!(m.fill, Some(None))) {
            return (true, TokenStream::new());
        }
        let fields = members.iter().map(|m| {
            let field = &m.field;
            let value = fill(m);
            quote!(#field: #value,)
        });
        return (
            false,
            quote! {
                // Unset properties take the document's defaults.
                impl Default for #name {
                    fn default() -> Self {
                        Self { #(#fields)* }
                    }
                }
            },
        );
    }
    let given: Vec<&Member> = members.iter().filter(|m| m.fill.is_none()).collect();
    let args = given.iter().map(|m| {
        let field = &m.field;
        let ty = &m.ty;
        quote!(#field: impl Into<#ty>)
    });
    let fields = members.iter().map(|m| {
        let field = &m.field;
        let value = match (&m.fill, m.boxed) {
            (None, true) => quote!(Box::new(#field.into())),
            (None, false) => quote!(#field.into()),
            _ => fill(m),
        };
        quote!(#field: #value,)
    });
    let listed = given
        .iter()
        .map(|m| format!("`{}`", m.field.to_string().trim_start_matches("r#")))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = super::common::doc_attrs(&format!(
        "Builds [`{name}`] from the properties without a default: {listed}. The other fields start unset, or at the document's default."
    ));
    let allow = (given.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    (
        false,
        quote! {
            impl #name {
                #doc
                #allow
                pub fn new(#(#args),*) -> Self {
                    Self { #(#fields)* }
                }
            }
        },
    )
}
