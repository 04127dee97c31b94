//! Resolution of `$ref`s to `components` entries other than schemas
//! (parameters, request bodies, responses, examples). Schema references are
//! resolved lazily by the schema lowerer.

use indexmap::IndexMap;
use openapiv3::{Components, Example, Parameter, ReferenceOr, RequestBody, Response};
use serde_json::Value;

use crate::diagnostics::{child, pointer_token, Diagnostic, Diagnostics};

/// How many references may be chained before we call it a cycle.
const MAX_CHAIN: usize = 32;

pub struct Resolver<'a> {
    components: Option<&'a Components>,
}

impl<'a> Resolver<'a> {
    pub fn new(components: Option<&'a Components>) -> Self {
        Self { components }
    }

    pub fn parameter(
        &self,
        item: &'a ReferenceOr<Parameter>,
        at: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<(&'a Parameter, String)> {
        resolve(
            item,
            self.components.map(|c| &c.parameters),
            "parameters",
            at,
            diagnostics,
        )
    }

    pub fn request_body(
        &self,
        item: &'a ReferenceOr<RequestBody>,
        at: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<(&'a RequestBody, String)> {
        resolve(
            item,
            self.components.map(|c| &c.request_bodies),
            "requestBodies",
            at,
            diagnostics,
        )
    }

    pub fn response(
        &self,
        item: &'a ReferenceOr<Response>,
        at: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<(&'a Response, String)> {
        resolve(
            item,
            self.components.map(|c| &c.responses),
            "responses",
            at,
            diagnostics,
        )
    }

    /// The value of an example (inline or referenced) and the pointer of that
    /// value; `None` for examples given only by `externalValue`.
    pub fn example(
        &self,
        item: &'a ReferenceOr<Example>,
        at: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<(Value, String)> {
        let (example, pointer) = resolve(
            item,
            self.components.map(|c| &c.examples),
            "examples",
            at,
            diagnostics,
        )?;
        Some((example.value.clone()?, child(&pointer, "value")))
    }
}

/// Follows a chain of references into `components/<section>`.
fn resolve<'a, T>(
    mut item: &'a ReferenceOr<T>,
    section: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    section_name: &str,
    at: &str,
    diagnostics: &mut Diagnostics,
) -> Option<(&'a T, String)> {
    let prefix = format!("#/components/{section_name}/");
    let mut pointer = at.to_owned();
    for _ in 0..MAX_CHAIN {
        match item {
            ReferenceOr::Item(value) => return Some((value, pointer)),
            ReferenceOr::Reference { reference } => {
                let Some(name) = reference.strip_prefix(&prefix) else {
                    diagnostics.push(
                        Diagnostic::error(
                            child(&pointer, "$ref"),
                            format!("`$ref: {reference}` must point into `{prefix}`"),
                        )
                        .with_help(
                            "references to other documents and other sections are not supported",
                        ),
                    );
                    return None;
                };
                let name = name.replace("~1", "/").replace("~0", "~");
                let Some(next) = section.and_then(|s| s.get(&name)) else {
                    diagnostics.push(
                        Diagnostic::error(child(&pointer, "$ref"), format!("`$ref: {reference}` points at nothing"))
                            .with_help(format!("define `{name}` under `components/{section_name}`, or fix the reference")),
                    );
                    return None;
                };
                pointer = format!("{prefix}{}", pointer_token(&name));
                item = next;
            }
        }
    }
    diagnostics.push(Diagnostic::error(
        at,
        format!("the references starting here form a cycle (more than {MAX_CHAIN} links)"),
    ));
    None
}
