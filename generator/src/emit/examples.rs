//! `tests/examples.rs`: every example of the document that belongs to a
//! generated type decodes into it and encodes back to the JSON the generator
//! worked out (the example, less the differences it documented with a
//! warning); an example that contradicts its schema must be rejected.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, raw_string, rust_type, Context};
use super::config::CrateConfig;
use crate::model::TypeRef;
use crate::surface::Surface;

pub fn emit(surface: &Surface, config: &CrateConfig) -> TokenStream {
    let api = surface.api();
    let krate = ident(&config.library());
    let cases = api.examples.iter().map(|example| {
        let ty = rust_type(api, &example.ty, Context::Outside);
        let pointer = &example.pointer;
        let json = raw_string(&example.value.to_string());
        // An example of a type behind a feature is checked when it is on.
        let mut ty_ref = &example.ty;
        while let TypeRef::Array(inner) | TypeRef::Map(inner) = ty_ref {
            ty_ref = inner;
        }
        let cfg = match ty_ref {
            TypeRef::Named(id) => super::features::for_type(surface, id),
            _ => None,
        };
        match &example.expected {
            Some(expected) => {
                let expected = raw_string(&expected.to_string());
                quote!(#cfg round_trip::<#ty>(&mut report, #pointer, #json, #expected);)
            }
            None => quote!(#cfg rejected::<#ty>(&mut report, #pointer, #json);),
        }
    });
    let valid = api.examples.iter().filter(|e| e.expected.is_some()).count();
    let invalid = api.examples.len() - valid;
    let uses_types = api.examples.iter().any(|e| e.ty.references_named());
    let types_import = uses_types.then(|| quote!(use #krate::types;));
    // Only the helpers this document's examples need, so none is dead code.
    let round_trip_fn = (valid > 0).then(|| quote! {
        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(report: &mut Report, pointer: &str, example: &str, expected: &str) {
            let (Ok(example), Ok(expected)) = (serde_json::from_str::<serde_json::Value>(example), serde_json::from_str::<serde_json::Value>(expected)) else {
                return report.failures.push(format!("{pointer}: the test data is not JSON"));
            };
            let decoded: T = match serde_json::from_value(example) {
                Ok(decoded) => decoded,
                Err(err) => return report.failures.push(format!("{pointer}: does not decode: {err}")),
            };
            match serde_json::to_value(&decoded) {
                Ok(encoded) if encoded == expected => report.round_trips += 1,
                Ok(encoded) => report.failures.push(format!("{pointer}: round trip differs\n  expected: {expected}\n  encoded:  {encoded}")),
                Err(err) => report.failures.push(format!("{pointer}: does not encode: {err}")),
            }
        }
    });
    let rejected_fn = (invalid > 0).then(|| quote! {
        fn rejected<T: serde::de::DeserializeOwned>(report: &mut Report, pointer: &str, example: &str) {
            match serde_json::from_str::<T>(example) {
                Ok(_) => report.failures.push(format!("{pointer}: contradicts its schema but was accepted")),
                Err(_) => report.rejected += 1,
            }
        }
    });
    // With some features off, the cases of their types are left out, and a
    // helper or the `types` import may go unused.
    let gated = surface
        .features()
        .is_some()
        .then(|| quote!(#![allow(dead_code, unused_imports, unused_mut)]));
    quote! {
        #![cfg_attr(rustfmt, rustfmt_skip)]
        #gated
        //! Every example in the OpenAPI document decodes into its generated type and
        //! encodes back to the expected JSON: the example itself, except where the
        //! generator warned of a documented difference (an optional property sent as
        //! `null` is left out, a property the schema does not declare is dropped, a
        //! floating-point number is written as a float). Examples that contradict
        //! their schema must be rejected.

        #types_import

        #[derive(Default)]
        struct Report {
            round_trips: usize,
            rejected: usize,
            failures: Vec<String>,
        }

        #round_trip_fn

        #rejected_fn

        #[test]
        fn every_example_round_trips() {
            let mut report = Report::default();
            #(#cases)*
            println!(
                "{}: {}/{} examples round-trip; {}/{} examples that contradict their schema are rejected",
                env!("CARGO_PKG_NAME"),
                report.round_trips, #valid, report.rejected, #invalid
            );
            assert!(report.failures.is_empty(), "{} examples fail:\n{}", report.failures.len(), report.failures.join("\n"));
        }
    }
}
