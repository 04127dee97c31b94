//! Helpers shared by the emitters: identifiers, doc attributes and type paths.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::{Api, Presence, TypeKind, TypeRef};

/// An identifier from a name decided in lowering (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = "..."]` lines for `text`, each line its own attribute so that
/// prettyplease prints them as `///` comments.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#[doc = #lines])*)
}

/// `#![doc = "..."]` lines: documentation of the enclosing module.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote!(#(#![doc = #lines])*)
}

/// The lines of a doc comment, each after the space that follows `///`.
fn doc_lines(text: &str) -> Vec<Literal> {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                doc_literal("")
            } else {
                doc_literal(&format!(" {line}"))
            }
        })
        .collect()
}

/// A doc line as a raw string literal (`r"…"`): nothing to escape here and
/// nothing for syn and prettyplease to unescape, which, char by char, cost a
/// tenth of generating a large document. prettyplease prints either form as
/// the same `///` line. A line a raw literal cannot hold (a carriage return),
/// or that prettyplease would print as an attribute (one starting with `/`
/// or `*`), keeps the escaped form.
fn doc_literal(line: &str) -> Literal {
    match line.starts_with(['/', '*']) {
        true => Literal::string(line),
        false => raw_string(line),
    }
}

/// `text` as a raw string literal (`r#"…"#`, with as many `#` as it needs):
/// cheaper to emit, parse and print than an escaped one, and easier to read
/// in the output when the text has quotes (JSON). Text a raw literal cannot
/// hold (a carriage return) keeps the escaped form.
pub(super) fn raw_string(text: &str) -> Literal {
    if !text.contains('\r') {
        let mut hashes = String::new();
        while text.contains(&format!("\"{hashes}")) {
            hashes.push('#');
        }
        if let Ok(literal) = format!("r{hashes}\"{text}\"{hashes}").parse::<Literal>() {
            return literal;
        }
    }
    Literal::string(text)
}

/// The JSON name serde's `rename_all = "camelCase"` gives the field `name`
/// (without `r#`): each `_` dropped and the character after it upper-cased,
/// the first character lower-cased. `None` where serde's rule would not
/// apply cleanly (an empty or non-ASCII name): such fields keep their own
/// `rename`.
pub fn camel_case(name: &str) -> Option<String> {
    if name.is_empty() || !name.is_ascii() {
        return None;
    }
    let mut pascal = String::with_capacity(name.len());
    let mut capitalize = true;
    for ch in name.chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(ch);
        }
    }
    let mut chars = pascal.chars();
    let first = chars.next()?;
    Some(first.to_ascii_lowercase().to_string() + chars.as_str())
}

/// Documentation, or a generated sentence when the document has none
/// (every public item of the generated crate is documented).
pub fn doc_or(doc: &Option<String>, fallback: impl FnOnce() -> String) -> TokenStream {
    match doc {
        Some(text) => doc_attrs(text),
        None => doc_attrs(&fallback()),
    }
}

/// Where generated code refers to named types from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Inside `types.rs`: bare names.
    Types,
    /// Elsewhere: `types::Name` (each such module imports `crate::types`).
    Outside,
}

/// The Rust type for a reference.
pub fn rust_type(api: &Api, ty: &TypeRef, context: Context) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Binary => quote!(crate::Upload),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Object => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Array(item) => {
            let item = rust_type(api, item, context);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = rust_type(api, value, context);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Named(id) => {
            let name = ident(
                api.type_def(id)
                    .map_or("UnknownType", |def| def.name.as_str()),
            );
            match context {
                Context::Types => quote!(#name),
                Context::Outside => quote!(types::#name),
            }
        }
    }
}

/// Whether values of `ty` can be compared with `Eq` (no floats inside).
pub fn is_eq(api: &Api, ty: &TypeRef, seen: &mut Vec<String>) -> bool {
    match ty {
        TypeRef::F32 | TypeRef::F64 | TypeRef::Json | TypeRef::Object => false,
        TypeRef::Array(inner) | TypeRef::Map(inner) => is_eq(api, inner, seen),
        TypeRef::Named(id) => {
            if seen.contains(id) {
                return true;
            }
            seen.push(id.clone());
            match api.type_def(id).map(|def| &def.kind) {
                Some(TypeKind::StringEnum(_)) => true,
                Some(TypeKind::Struct(s)) => {
                    s.fields.iter().all(|f| is_eq(api, &f.ty, seen))
                        && s.additional.as_ref().is_none_or(|a| is_eq(api, a, seen))
                }
                Some(TypeKind::Union(_)) | None => false,
            }
        }
        _ => true,
    }
}

/// For a field that may hold no value, an expression of type `Option<&T>`
/// giving its value (`None` for absent or `null`); `None` for a required field.
pub fn present_value(presence: Presence, field: &TokenStream) -> Option<TokenStream> {
    match presence {
        Presence::Required => None,
        Presence::RequiredNullable | Presence::Optional => Some(quote!(#field.as_ref())),
        Presence::OptionalNullable => Some(quote!(#field.value())),
    }
}

/// Whether the type holds an upload (a `format: binary` string), which only
/// multipart bodies can carry and serde cannot encode.
pub fn holds_binary(api: &Api, ty: &TypeRef, seen: &mut Vec<String>) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) => holds_binary(api, inner, seen),
        TypeRef::Named(id) => {
            if seen.contains(id) {
                return false;
            }
            seen.push(id.clone());
            match api.type_def(id).map(|def| &def.kind) {
                Some(TypeKind::Struct(s)) => {
                    s.fields.iter().any(|f| holds_binary(api, &f.ty, seen))
                }
                Some(TypeKind::Union(u)) => {
                    u.variants.iter().any(|v| holds_binary(api, &v.ty, seen))
                }
                _ => false,
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod doc_literal_tests {
    use super::{doc_attrs, doc_literal};
    use proc_macro2::Literal;

    /// How prettyplease prints a documented item whose doc is `literal`.
    fn printed(literal: Literal) -> String {
        prettyplease::unparse(&syn::parse_quote!(#[doc = #literal] struct S;))
    }

    #[test]
    fn raw_doc_lines_print_like_escaped_ones() {
        for line in [
            " plain",
            " with \"quotes\" and \"# and \"## in it",
            r" a \backslash, a tab	and ünïcode",
            "",
            "/leading slash",
            " carriage\rreturn",
        ] {
            assert_eq!(
                printed(doc_literal(line)),
                printed(Literal::string(line)),
                "{line:?}"
            );
        }
        // The escaped form is kept where a raw one would print differently.
        assert_eq!(doc_literal("/x").to_string(), "\"/x\"");
        assert!(doc_attrs("a \"b\"#").to_string().contains("r##\""));
    }
}

#[cfg(test)]
mod camel_case_tests {
    use super::camel_case;

    /// Field names of every kind the generator makes, renamed by serde
    /// itself: `camel_case` must agree with it, or a field would be sent
    /// under another name.
    #[allow(non_snake_case, dead_code)]
    #[derive(Default, serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Fields {
        display_name: u8,
        r#type: u8,
        id: u8,
        a_b_c: u8,
        url_2: u8,
        v2_api_key: u8,
        a__b: u8,
        _leading: u8,
        trailing_: u8,
        already_camelCase: u8,
        X_upper: u8,
        abc1_x: u8,
    }

    #[test]
    fn agrees_with_serde() {
        let names = [
            "display_name",
            "type",
            "id",
            "a_b_c",
            "url_2",
            "v2_api_key",
            "a__b",
            "_leading",
            "trailing_",
            "already_camelCase",
            "X_upper",
            "abc1_x",
        ];
        let serde_json::Value::Object(renamed) =
            serde_json::to_value(Fields::default()).expect("serializes")
        else {
            panic!("a struct serializes to an object");
        };
        let renamed: Vec<&String> = renamed.keys().collect();
        let ours: Vec<String> = names
            .iter()
            .map(|name| camel_case(name).expect("ASCII"))
            .collect();
        assert_eq!(renamed, ours.iter().collect::<Vec<_>>());
        assert_eq!(camel_case(""), None);
        assert_eq!(camel_case("ünï"), None);
    }
}
