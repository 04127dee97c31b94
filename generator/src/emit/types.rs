//! `src/types.rs`: every named type, in name order.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{
    camel_case, doc_attrs, doc_or, holds_binary, ident, is_eq, rust_type, Context,
};
use super::construct::{constructors, default_note, field_fill, Fill, Member};
use crate::model::{
    Api, EnumDef, Field, Presence, Shape, StructDef, Tagging, TypeDef, TypeKind, TypeRef, UnionDef,
    UnionVariant,
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
    let camel = serde && uses_camel_case(&s.fields);
    let fields = s.fields.iter().map(|f| emit_field(api, f, serde, camel));
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
    let rename_all = camel.then(|| quote!(rename_all = "camelCase"));
    let container = match s.tag.as_ref().filter(|_| serde) {
        Some(tag) => {
            let property = &tag.property;
            let value = &tag.value;
            let rename_all = rename_all.map(|r| quote!(, #r));
            quote!(#[serde(tag = #property, rename = #value #rename_all)])
        }
        None => rename_all.map(|r| quote!(#[serde(#r)])).unwrap_or_default(),
    };
    quote! {
        #doc
        #derive
        #container
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

fn emit_field(api: &Api, field: &Field, serde: bool, camel: bool) -> TokenStream {
    emit_field_as(
        field,
        rust_type(api, &field.ty, Context::Types),
        serde,
        camel,
    )
}

/// Whether a struct with these fields gets `#[serde(rename_all = "camelCase")]`:
/// when that spares at least one field its own `rename`.
pub(super) fn uses_camel_case(fields: &[Field]) -> bool {
    fields.iter().any(|f| {
        let name = f.name.trim_start_matches("r#");
        name != f.json_name && camel_case(name).as_deref() == Some(f.json_name.as_str())
    })
}

/// A struct field whose type, before `Box` and `Option` are applied, is `ty`;
/// `camel` when the struct has `rename_all = "camelCase"`.
pub(super) fn emit_field_as(
    field: &Field,
    mut ty: TokenStream,
    serde: bool,
    camel: bool,
) -> TokenStream {
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
    let doc = doc_attrs(&doc_text);
    let rust_name = field.name.trim_start_matches("r#");
    let serde_name = match camel {
        true => camel_case(rust_name),
        false => Some(rust_name.to_owned()),
    };
    let rename =
        (serde_name.as_deref() != Some(json_name.as_str())).then(|| quote!(rename = #json_name,));
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
        let value = &v.value;
        quote!(#doc #variant = #value,)
    });
    // The impls every open enum has are written by the crate's `open_enum!`.
    quote! {
        sunshine_runtime::open_enum! {
            #doc
            pub enum #name {
                #(#variants)*
                #fallback(String),
            }
        }
    }
}

fn emit_union(api: &Api, def: &TypeDef, u: &UnionDef) -> TokenStream {
    let name = ident(&def.name);
    let doc = doc_or(&def.doc, || {
        format!("One of several shapes of `{}`.", def.name)
    });
    // A variant's type gets `From` when no other variant shares it, so that
    // a value goes where a union is wanted with `.into()`.
    let converts = |v: &UnionVariant| {
        v.ty != TypeRef::Json && u.variants.iter().filter(|other| other.ty == v.ty).count() == 1
    };
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let unboxed = rust_type(api, &v.ty, Context::Types);
        let ty = if v.boxed {
            quote!(Box<#unboxed>)
        } else {
            unboxed.clone()
        };
        let fallback_doc = || match v.tags.as_slice() {
            [] => format!("The `{}` shape.", v.name),
            tags => format!(
                "Selected by {}.",
                tags.iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        // The macros need at least one doc line to tell a variant from the fallback.
        let doc = match &v.doc {
            Some(text) if !text.trim().is_empty() => doc_attrs(text),
            _ => doc_attrs(&fallback_doc()),
        };
        // `From` of the variant's type is the rule; the macros take the exceptions.
        let from = match (converts(v), v.boxed) {
            (false, _) => quote!(#[from = false]),
            (true, false) => quote!(),
            (true, true) => quote!(#[from_boxed(#unboxed)]),
        };
        let selector = match &u.tagging {
            Tagging::Tagged { .. } => {
                let tags = v.tags.iter().map(|t| Literal::string(t));
                match v.tags.first() {
                    None => quote!(),
                    // Written back with its tag, even if the variant's type lacks the property.
                    Some(_) if !writes_own_tag(api, &v.ty) => quote!(= write_tag(#(#tags)|*)),
                    Some(_) => quote!(= #(#tags)|*),
                }
            }
            Tagging::Untagged => {
                let shape = shape_tokens(&v.shape);
                quote!(= #shape)
            }
        };
        quote!(#doc #from #variant(#ty) #selector,)
    });
    let variants: Vec<TokenStream> = variants.collect();
    // The serde impls and conversions are written by the crate's union macros.
    match &u.tagging {
        Tagging::Tagged { property } => {
            let fallback = u.fallback.as_deref().map(|f| {
                let f = ident(f);
                quote!(#f(serde_json::Value),)
            });
            quote! {
                sunshine_runtime::tagged_union! {
                    #doc
                    #[tag = #property]
                    pub enum #name {
                        #(#variants)*
                        #fallback
                    }
                }
            }
        }
        Tagging::Untagged => quote! {
            sunshine_runtime::untagged_union! {
                #doc
                pub enum #name {
                    #(#variants)*
                }
            }
        },
    }
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

fn shape_tokens(shape: &Shape) -> TokenStream {
    match shape {
        Shape::Object { known, required } => {
            quote!(Shape::object(&[#(#known),*], &[#(#required),*]))
        }
        Shape::String => quote!(Shape::String),
        Shape::Number => quote!(Shape::Number),
        Shape::Bool => quote!(Shape::Bool),
        Shape::Array => quote!(Shape::Array),
        Shape::Any => quote!(Shape::Any),
    }
}
