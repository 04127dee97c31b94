//! `tests/examples.rs`: every example of the document that belongs to a
//! generated type must decode into it and encode back to the same JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{ident, rust_type, Context};
use super::CrateConfig;
use crate::model::Api;

pub fn emit(api: &Api, config: &CrateConfig) -> TokenStream {
    let krate = ident(&config.name.replace('-', "_"));
    let cases = api.examples.iter().map(|example| {
        let ty = rust_type(api, &example.ty, Context::Outside);
        let pointer = &example.pointer;
        let json = example.value.to_string();
        quote!(check::<#ty>(&mut report, #pointer, #json);)
    });
    let total = api.examples.len();
    let uses_types = api.examples.iter().any(|e| super::apis::references_named(&e.ty));
    let types_import = uses_types.then(|| quote!(use #krate::types;));
    quote! {
        #![cfg_attr(rustfmt, rustfmt_skip)]
        //! Every example in the OpenAPI document decodes into its generated type and
        //! encodes back to the same JSON. The only difference allowed is a `null`
        //! written for an optional, non-nullable property, which is left out on the way back.

        #types_import

        #[derive(Default)]
        struct Report {
            passed: usize,
            failures: Vec<String>,
        }

        /// Removes `null` members of objects, recursively: the one documented
        /// difference between an example and its round trip.
        fn without_nulls(value: serde_json::Value) -> serde_json::Value {
            match value {
                serde_json::Value::Object(map) => serde_json::Value::Object(
                    map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect(),
                ),
                serde_json::Value::Array(items) => serde_json::Value::Array(items.into_iter().map(without_nulls).collect()),
                other => other,
            }
        }

        fn check<T: serde::de::DeserializeOwned + serde::Serialize>(report: &mut Report, pointer: &str, json: &str) {
            let original: serde_json::Value = match serde_json::from_str(json) {
                Ok(value) => value,
                Err(err) => return report.failures.push(format!("{pointer}: example is not JSON: {err}")),
            };
            let decoded: T = match serde_json::from_value(original.clone()) {
                Ok(decoded) => decoded,
                Err(err) => return report.failures.push(format!("{pointer}: does not decode: {err}")),
            };
            let encoded = match serde_json::to_value(&decoded) {
                Ok(encoded) => encoded,
                Err(err) => return report.failures.push(format!("{pointer}: does not encode: {err}")),
            };
            if encoded == original || without_nulls(encoded.clone()) == without_nulls(original.clone()) {
                report.passed += 1;
            } else {
                report.failures.push(format!("{pointer}: round trip differs\n  example: {original}\n  encoded: {encoded}"));
            }
        }

        #[test]
        fn every_example_round_trips() {
            let mut report = Report::default();
            #(#cases)*
            println!("{}/{} examples round-trip", report.passed, #total);
            assert!(report.failures.is_empty(), "{} of {} examples fail:\n{}", report.failures.len(), #total, report.failures.join("\n"));
        }
    }
}
