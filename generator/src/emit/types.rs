//! `src/types.rs`: every named type, in name order.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};

use super::common::{doc_attrs, doc_or, ident, rust_type, Context};
use super::construct::{constructors, Member};
use super::fields::{additional_field, emit_field_as, uses_camel_case};
use crate::model::{
    Api, EnumDef, Shape, StructDef, Tagging, TypeDef, TypeKind, TypeRef, UnionDef, UnionVariant,
};
use crate::surface::{Surface, TypeSurface, ADDITIONAL_PROPERTIES};

pub fn emit(surface: &Surface) -> TokenStream {
    let api = surface.api();
    let mut defs: Vec<(&String, &TypeDef)> = api.types.iter().collect();
    defs.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let items = defs.into_iter().map(|(id, def)| {
        let items = match (&def.kind, surface.type_surface(id)) {
            (TypeKind::Struct(s), Some(decided)) => emit_struct(api, def, s, decided),
            (TypeKind::Struct(_), None) => TokenStream::new(),
            (TypeKind::StringEnum(e), _) => emit_enum(def, e),
            (TypeKind::Union(u), _) => emit_union(api, def, u),
        };
        super::features::gate(items, super::features::for_type(surface, id))
    });
    let serde_import = (!api.types.is_empty()).then(|| {
        // With every type behind a feature, so is the import.
        let cfg = super::features::for_any_type(surface);
        quote!(
            #cfg
            use serde::{Deserialize, Serialize};
        )
    });
    quote! {
        //! Request, response and event types of the API.

        #serde_import

        #(#items)*
    }
}

/// The derives of a struct: the surface's traits, less a `Default` that
/// is written out (`default` is whether it is derived).
fn derives(decided: &TypeSurface, default: bool) -> TokenStream {
    let mut list = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    if default {
        list.push(quote!(Default));
    }
    for serde in ["Serialize", "Deserialize"] {
        if decided.traits.contains(serde) {
            list.push(ident(serde).into_token_stream());
        }
    }
    quote!(#[derive(#(#list),*)])
}

fn emit_struct(api: &Api, def: &TypeDef, s: &StructDef, decided: &TypeSurface) -> TokenStream {
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
    let serde = decided.serde;
    let mut members: Vec<Member> = s
        .fields
        .iter()
        .zip(&decided.fills)
        .map(|(f, fill)| {
            Member::new(
                api,
                ident(&f.name),
                &f.ty,
                f.boxed,
                fill.as_ref(),
                Context::Types,
            )
        })
        .collect();
    let camel = serde && uses_camel_case(&s.fields);
    let fields = s
        .fields
        .iter()
        .zip(&decided.field_types)
        .zip(&decided.setters)
        .map(|((f, ty), setter)| emit_field_as(f, ty, Context::Types, setter, serde, camel));
    let additional = s.additional.as_ref().map(|ty| {
        let value = rust_type(api, ty, Context::Types);
        members.push(Member {
            field: ident(ADDITIONAL_PROPERTIES),
            ty: quote!(std::collections::BTreeMap<String, #value>),
            boxed: false,
            fill: Some(None),
        });
        let setter = decided
            .setters
            .last()
            .map_or(ADDITIONAL_PROPERTIES, String::as_str);
        additional_field(api, ty, setter, serde, Context::Types)
    });
    let (derive_default, constructors) = constructors(&name, &members);
    let derive = derives(decided, derive_default);
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
    // `object!` makes it `#[non_exhaustive]` and writes a setter per field.
    quote! {
        sunshine_runtime::object! {
            #doc
            #derive
            #container
            pub struct #name {
                #(#fields)*
                #additional
            }
        }

        #constructors
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
