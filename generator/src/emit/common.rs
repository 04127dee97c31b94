//! Helpers shared by the emitters: identifiers, doc attributes and type paths.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use crate::model::{Api, Presence, TypeRef};
use crate::surface::{OperationSurface, RustType, Success};

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
    tokens(&RustType::of(api, ty), context)
}

/// A type of the surface, as code in `context` writes it.
pub fn tokens(ty: &RustType, context: Context) -> TokenStream {
    let inner = |ty: &RustType| tokens(ty, context);
    match ty {
        RustType::String => quote!(String),
        RustType::Str => quote!(str),
        RustType::Bool => quote!(bool),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::F32 => quote!(f32),
        RustType::F64 => quote!(f64),
        RustType::Upload => quote!(crate::Upload),
        RustType::Json => quote!(serde_json::Value),
        RustType::Object => quote!(serde_json::Map<String, serde_json::Value>),
        RustType::Vec(item) => {
            let item = inner(item);
            quote!(Vec<#item>)
        }
        RustType::Map(value) => {
            let value = inner(value);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        RustType::Named(name) => {
            let name = ident(name);
            match context {
                Context::Types => quote!(#name),
                Context::Outside => quote!(types::#name),
            }
        }
        RustType::Item(name) => {
            let name = ident(name);
            quote!(#name)
        }
        RustType::Boxed(value) => {
            let value = inner(value);
            quote!(Box<#value>)
        }
        RustType::Option(value) => {
            let value = inner(value);
            quote!(Option<#value>)
        }
        RustType::Nullable(value) => {
            let value = inner(value);
            quote!(crate::Nullable<#value>)
        }
        RustType::Ref(value) => {
            let value = inner(value);
            quote!(&#value)
        }
    }
}

/// What a successful call of an operation returns: `()`, the one documented
/// body, or its `{Op}Response` enum.
pub fn success_type(api: &Api, decided: &OperationSurface) -> TokenStream {
    match (&decided.success, &decided.response_type) {
        (Success::Body(ty), _) => rust_type(api, ty, Context::Outside),
        (Success::Enum, Some(name)) => {
            let name = ident(name);
            quote!(#name)
        }
        (Success::Unit | Success::Enum, _) => quote!(()),
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
