//! `src/types.rs`: every named type, in name order.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{doc_attrs, doc_or, holds_binary, ident, is_eq, rust_type, Context};
use super::construct::{constructors, default_note, field_fill, Fill, Member};
use crate::model::{
    Api, EnumDef, Field, Presence, Shape, StructDef, Tagging, TypeDef, TypeKind, TypeRef, UnionDef,
};

pub fn emit(api: &Api) -> TokenStream {
    let mut defs: Vec<(&String, &TypeDef)> = api.types.iter().collect();
    defs.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let items = defs.into_iter().map(|(id, def)| {
        let items = match &def.kind {
            TypeKind::Struct(s) => emit_struct(api, id, def, s),
            TypeKind::StringEnum(e) => emit_enum(def, e),
            TypeKind::Union(u) => emit_union(api, def, u),
        };
        super::features::gate(items, super::features::for_type(api, id))
    });
    let serde_import = (!api.types.is_empty()).then(|| {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    });
    quote! {
        //! Request, response and event types of the API.

        #serde_import

        #(#items)*
    }
}

fn derives(api: &Api, id: &str, serde: bool, default: bool) -> TokenStream {
    let ty = TypeRef::Named(id.to_owned());
    let mut list = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if is_eq(api, &ty, &mut Vec::new()) {
        list.push(quote!(Eq));
    }
    if default {
        list.push(quote!(Default));
    }
    if serde {
        list.push(quote!(Serialize));
        list.push(quote!(Deserialize));
    }
    quote!(#[derive(#(#list),*)])
}

fn emit_struct(api: &Api, id: &str, def: &TypeDef, s: &StructDef) -> TokenStream {
    let name = ident(&def.name);
    let mut doc_text = def
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` object.", def.name));
    if let Some(tag) = &s.tag {
        doc_text.push_str(&format!(
            "\n\nAlways sent with `\"{}\": \"{}\"` (the variant's tag, written for you).",
            tag.property, tag.value
        ));
    }
    let doc = doc_attrs(&doc_text);
    // Multipart bodies carry uploads, which are not JSON: no serde for them.
    let serde = !holds_binary(api, &TypeRef::Named(id.to_owned()), &mut Vec::new());
    let mut members: Vec<Member> = s
        .fields
        .iter()
        .map(|f| Member {
            field: ident(&f.name),
            ty: rust_type(api, &f.ty, Context::Types),
            boxed: f.boxed,
            fill: field_fill(
                api,
                f,
                def.usage.sent,
                Context::Types,
                &mut vec![id.to_owned()],
            ),
        })
        .collect();
    let fields = s.fields.iter().map(|f| emit_field(api, f, serde));
    let additional = s.additional.as_ref().map(|ty| {
        let value = rust_type(api, ty, Context::Types);
        members.push(Member {
            field: ident("additional_properties"),
            ty: quote!(std::collections::BTreeMap<String, #value>),
            boxed: false,
            fill: Some(Fill::TypeDefault),
        });
        additional_field(api, ty, serde, Context::Types)
    });
    let (derive_default, constructors) = constructors(&name, &members, def.usage.sent);
    let derive = derives(api, id, serde, derive_default);
    let tag = s.tag.as_ref().filter(|_| serde).map(|tag| {
        let property = &tag.property;
        let value = &tag.value;
        quote!(#[serde(tag = #property, rename = #value)])
    });
    quote! {
        #doc
        #derive
        #tag
        pub struct #name {
            #(#fields)*
            #additional
        }

        #constructors
    }
}

/// The flattened map of a struct's undeclared properties, of type `ty`.
pub(super) fn additional_field(
    api: &Api,
    ty: &TypeRef,
    serde: bool,
    context: Context,
) -> TokenStream {
    let value = rust_type(api, ty, context);
    let flatten = serde.then(|| quote!(#[serde(flatten)]));
    quote! {
        /// Properties not listed above, kept as sent.
        #flatten
        pub additional_properties: std::collections::BTreeMap<String, #value>,
    }
}

fn emit_field(api: &Api, field: &Field, serde: bool) -> TokenStream {
    emit_field_as(field, rust_type(api, &field.ty, Context::Types), serde)
}

/// A struct field whose type, before `Box` and `Option` are applied, is `ty`.
pub(super) fn emit_field_as(field: &Field, mut ty: TokenStream, serde: bool) -> TokenStream {
    let name = ident(&field.name);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    let json_name = &field.json_name;
    let mut doc_text = field
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{json_name}` property."));
    if let Some(note) = field.default.as_ref().and_then(default_note) {
        doc_text.push_str("\n\n");
        doc_text.push_str(&note);
    }
    if field.presence == Presence::OptionalNullable {
        doc_text.push_str(
            "\n\n`Nullable::Absent` leaves the property out; `Nullable::Null` sends `null` (clearing it).",
        );
    }
    let doc = doc_attrs(&doc_text);
    let rename =
        (field.name.trim_start_matches("r#") != json_name).then(|| quote!(rename = #json_name,));
    let (ty, attrs) = match field.presence {
        Presence::Required => (ty, quote!()),
        Presence::RequiredNullable => (quote!(Option<#ty>), quote!()),
        // A received `null` reads as `None` too: serde's `Option` takes both.
        Presence::Optional => (
            quote!(Option<#ty>),
            quote!(default, skip_serializing_if = "Option::is_none",),
        ),
        Presence::OptionalNullable => (
            quote!(crate::Nullable<#ty>),
            quote!(default, skip_serializing_if = "crate::Nullable::is_absent",),
        ),
    };
    let serde_attr = if serde && !(rename.is_none() && attrs.is_empty()) {
        quote!(#[serde(#rename #attrs)])
    } else {
        quote!()
    };
    quote! {
        #doc
        #serde_attr
        pub #name: #ty,
    }
}

fn emit_enum(def: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_or(&def.doc, || format!("The `{}` enumeration.", def.name));
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = doc_attrs(&format!("`{}`", v.value.replace('`', "'")));
        quote!(#doc #variant,)
    });
    let as_str = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(Self::#variant => #value,)
    });
    let from = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#value => Self::#variant,)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        // A new version of the document may add values: matches need a `_` arm.
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as sent.
            #fallback(String),
        }

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#as_str)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#from)*
                    _ => Self::#fallback(value),
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::from(value.to_owned())
            }
        }

        impl From<#name> for String {
            fn from(value: #name) -> Self {
                match value {
                    #name::#fallback(value) => value,
                    known => known.as_str().to_owned(),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

fn emit_union(api: &Api, def: &TypeDef, u: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_or(&def.doc, || {
        format!("One of several shapes of `{}`.", def.name)
    });
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut ty = rust_type(api, &v.ty, Context::Types);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        let doc = doc_or(&v.doc, || match v.tags.as_slice() {
            [] => format!("The `{}` shape.", v.name),
            tags => format!(
                "Selected by {}.",
                tags.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        quote!(#doc #variant(#ty),)
    });
    let fallback = u.fallback.as_ref().map(|f| {
        let f = ident(f);
        quote! {
            /// A variant this version of the crate does not know, kept as sent.
            #f(serde_json::Value),
        }
    });
    let (serialize, deserialize) = match &u.tagging {
        Tagging::Tagged { property } => tagged_impls(api, def, u, property),
        Tagging::Untagged => untagged_impls(def, u),
    };
    let conversions = variant_conversions(api, def, u);
    quote! {
        #doc
        // Variants hold whole objects of different sizes; boxing them all would
        // cost every user an allocation and a clumsier API.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        // A new version of the document may add variants: matches need a `_` arm.
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #fallback
        }

        #serialize
        #deserialize
        #conversions
    }
}

/// `From<Variant> for Union` for each variant whose type no other variant
/// shares, so a value goes where a union is wanted with `.into()`.
fn variant_conversions(api: &Api, def: &TypeDef, u: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let impls = u.variants.iter().filter(|v| {
        v.ty != TypeRef::Json && u.variants.iter().filter(|other| other.ty == v.ty).count() == 1
    });
    let impls = impls.map(|v| {
        let variant = ident(&v.name);
        let ty = rust_type(api, &v.ty, Context::Types);
        let value = if v.boxed {
            quote!(Box::new(value))
        } else {
            quote!(value)
        };
        quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#variant(#value)
                }
            }
        }
    });
    quote!(#(#impls)*)
}

/// Whether the variant's type writes the union's tag itself (a [`FixedTag`]).
fn writes_own_tag(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => matches!(
            api.type_def(id).map(|d| &d.kind),
            Some(TypeKind::Struct(StructDef { tag: Some(_), .. }))
        ),
        _ => false,
    }
}

fn wrap(variant: &proc_macro2::Ident, boxed: bool) -> TokenStream {
    if boxed {
        quote!(|value| Self::#variant(Box::new(value)))
    } else {
        quote!(Self::#variant)
    }
}

fn tagged_impls(
    api: &Api,
    def: &TypeDef,
    u: &UnionDef,
    property: &str,
) -> (TokenStream, TokenStream) {
    let name = ident(&def.name);
    let fallback = u.fallback.as_deref().map(ident);
    let serialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        // Written back with its tag, even if the variant's type lacks the property.
        match v.tags.first() {
            Some(_) if writes_own_tag(api, &v.ty) => {
                quote!(Self::#variant(value) => value.serialize(serializer),)
            }
            Some(tag) => quote!(Self::#variant(value) => crate::support::serialize_tagged(value, #property, #tag, serializer),),
            None => quote!(Self::#variant(value) => value.serialize(serializer),),
        }
    });
    let deserialize_arms = u.variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
        let tags = v.tags.iter().map(|t| Literal::string(t));
        let wrap = wrap(&ident(&v.name), v.boxed);
        quote!(Some(#(#tags)|*) => crate::support::from_value(value).map(#wrap),)
    });
    let fallback_serialize = fallback
        .as_ref()
        .map(|f| quote!(Self::#f(value) => value.serialize(serializer),));
    let fallback_deserialize = match &fallback {
        Some(f) => quote!(_ => Ok(Self::#f(value)),),
        None => {
            quote!(_ => Err(serde::de::Error::custom(concat!("unknown `", #property, "` for ", stringify!(#name)))),)
        }
    };
    let serialize = quote! {
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                    #fallback_serialize
                }
            }
        }
    };
    let deserialize = quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(#deserialize_arms)*
                    #fallback_deserialize
                }
            }
        }
    };
    (serialize, deserialize)
}

fn untagged_impls(def: &TypeDef, u: &UnionDef) -> (TokenStream, TokenStream) {
    let name = ident(&def.name);
    let serialize_arms = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        quote!(Self::#variant(value) => value.serialize(serializer),)
    });
    let shapes = u.variants.iter().map(|v| shape_tokens(&v.shape));
    let decode_arms = u.variants.iter().enumerate().map(|(index, v)| {
        let wrap = wrap(&ident(&v.name), v.boxed);
        let index = Literal::usize_unsuffixed(index);
        quote!(#index => serde_json::from_value(value.clone()).map(#wrap).ok(),)
    });
    let message = format!("the value matches no shape of `{}`", def.name);
    let serialize = quote! {
        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#serialize_arms)*
                }
            }
        }
    };
    let deserialize = quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use crate::shape::Shape;
                const SHAPES: &[Shape] = &[#(#shapes),*];
                let value = serde_json::Value::deserialize(deserializer)?;
                // Try the variants that fit best first, so order in the document cannot mis-parse.
                for index in crate::shape::candidates(&value, SHAPES) {
                    let decoded = match index {
                        #(#decode_arms)*
                        _ => None,
                    };
                    if let Some(decoded) = decoded {
                        return Ok(decoded);
                    }
                }
                Err(serde::de::Error::custom(#message))
            }
        }
    };
    (serialize, deserialize)
}

fn shape_tokens(shape: &Shape) -> TokenStream {
    match shape {
        Shape::Object { known, required } => {
            quote!(Shape::Object { known: &[#(#known),*], required: &[#(#required),*] })
        }
        Shape::String => quote!(Shape::String),
        Shape::Number => quote!(Shape::Number),
        Shape::Bool => quote!(Shape::Bool),
        Shape::Array => quote!(Shape::Array),
        Shape::Any => quote!(Shape::Any),
    }
}
