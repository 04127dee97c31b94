//! How users build structs and parameter sets, in one place for `types.rs`
//! and the `{Op}Params` structs:
//!
//! - `Default` when every member can default: a member left unset is absent
//!   (`None`, `Nullable::Absent`), takes the document's `default:`, or is an
//!   empty collection or a struct that has `Default` itself;
//! - otherwise, for a type that is sent, `new(..)` taking exactly the members
//!   that cannot default (each as `impl Into<T>`).
//!
//! For a type that is sent, a required string, number, boolean, enum or union
//! without a document default *cannot* default: an empty string or a zero
//! would be sent in its place. A type that is only received keeps the looser
//! rule (every type with a `Default` of its own), which is handy for test data
//! and never reaches the server.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};
use serde_json::Value;

use super::common::{ident, rust_type, Context};
use crate::model::{Api, Field, Parameter, Presence, TypeKind, TypeRef};

/// What an unset member holds.
#[derive(Clone)]
pub enum Fill {
    /// The type's own `Default` (absent, empty, or a nested default).
    TypeDefault,
    /// The document's `default:`, as an expression.
    Value(TokenStream),
}

/// How a struct is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construction {
    /// Every member can default: `Default` (derived when no document
    /// default is involved).
    Default {
        /// Whether `#[derive(Default)]` does it.
        derive: bool,
    },
    /// `new(..)` with the members that cannot default.
    New,
    /// Neither (a received type with a member that has no default).
    None,
}

/// One member of a struct being built.
pub struct Member {
    /// Field name.
    pub field: Ident,
    /// The value's type as `new` takes it (without `Box`).
    pub ty: TokenStream,
    /// Whether the field holds it in a `Box`.
    pub boxed: bool,
    /// What it holds when unset; `None` when it must be given.
    pub fill: Option<Fill>,
}

/// How the named struct `id` is built.
pub fn construction(api: &Api, id: &str, seen: &mut Vec<String>) -> Construction {
    // A cycle has no finite default.
    if seen.iter().any(|s| s == id) {
        return Construction::None;
    }
    let Some(def) = api.type_def(id) else {
        return Construction::None;
    };
    let TypeKind::Struct(s) = &def.kind else {
        return Construction::None;
    };
    seen.push(id.to_owned());
    let fills: Vec<Option<Fill>> = s
        .fields
        .iter()
        .map(|f| field_fill(api, f, def.usage.sent, Context::Types, seen))
        .collect();
    seen.pop();
    if fills.iter().all(Option::is_some) {
        Construction::Default {
            derive: fills.iter().all(|f| matches!(f, Some(Fill::TypeDefault))),
        }
    } else if def.usage.sent {
        Construction::New
    } else {
        Construction::None
    }
}

/// Whether `ty` is a struct that has `Default` (derived or not).
pub fn has_default(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => matches!(
            construction(api, id, &mut Vec::new()),
            Construction::Default { .. }
        ),
        _ => false,
    }
}

/// What an unset field holds, by the rules for a `sent` or received-only struct.
pub fn field_fill(
    api: &Api,
    field: &Field,
    sent: bool,
    context: Context,
    seen: &mut Vec<String>,
) -> Option<Fill> {
    member_fill(
        api,
        &field.ty,
        field.presence,
        field.default.as_ref(),
        sent,
        context,
        seen,
    )
}

/// What an unset query or header parameter holds: parameters are always
/// sent, so a required one without a document default must be given.
pub fn param_fill(api: &Api, param: &Parameter) -> Option<Fill> {
    let presence = if param.required {
        Presence::Required
    } else {
        Presence::Optional
    };
    member_fill(
        api,
        &param.ty,
        presence,
        param.default.as_ref(),
        true,
        Context::Outside,
        &mut Vec::new(),
    )
}

/// Whether an `{Op}Params` struct with these parameters has `Default`.
pub fn params_have_default(api: &Api, params: &[Parameter]) -> bool {
    params.iter().all(|p| param_fill(api, p).is_some())
}

/// What an unset member of type `ty` holds; `None` when it must be given.
pub fn member_fill(
    api: &Api,
    ty: &TypeRef,
    presence: Presence,
    default: Option<&Value>,
    sent: bool,
    context: Context,
    seen: &mut Vec<String>,
) -> Option<Fill> {
    if presence != Presence::Required {
        return Some(Fill::TypeDefault);
    }
    if let Some(value) = default.and_then(|d| default_literal(api, ty, d, context)) {
        return Some(Fill::Value(value));
    }
    let defaults = match ty {
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Object => true,
        TypeRef::Named(id) => matches!(construction(api, id, seen), Construction::Default { .. }),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Json => !sent,
        TypeRef::Binary => false,
    };
    defaults.then_some(Fill::TypeDefault)
}

/// The document's `default:` as a Rust expression of type `ty`, when it is a
/// value of that type (a string, number, boolean or known enum value).
pub fn default_literal(
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

/// A sentence for the documentation of a member with a document default.
pub fn default_note(value: &Value) -> Option<String> {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Some(format!(
            "The API's default: `{}`.",
            value.to_string().replace('`', "'")
        )),
        _ => None,
    }
}

/// `Default` (derived: `true` is returned) or the `Default`/`new` impls of a
/// struct `name` with these members. `sent` structs that cannot default get
/// `new`; others get nothing.
pub fn constructors(name: &Ident, members: &[Member], sent: bool) -> (bool, TokenStream) {
    let fill = |member: &Member| match &member.fill {
        Some(Fill::TypeDefault) | None => quote!(Default::default()),
        Some(Fill::Value(value)) if member.boxed => quote!(Box::new(#value)),
        Some(Fill::Value(value)) => value.clone(),
    };
    if members.iter().all(|m| m.fill.is_some()) {
        if members
            .iter()
            .all(|m| matches!(m.fill, Some(Fill::TypeDefault)))
        {
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
    if !sent {
        return (false, TokenStream::new());
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
