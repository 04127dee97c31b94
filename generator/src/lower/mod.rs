//! Stage 2, lower: OpenAPI document → [`crate::model::Api`].
//!
//! References are resolved here, the names of what comes from schemas are
//! decided here (types, fields, variants, servers), and every construct that
//! cannot be represented is reported here with its location. Every other
//! name is the surface's. Emitters never see the OpenAPI document.

mod auth;
mod direction;
mod discriminators;
mod docs;
mod event_names;
mod examples;
mod lowerer;
mod operations;
mod pagination;
mod parameters;
mod refs;
mod responses;
mod schema;
mod servers;
mod view;
mod webhooks;

use std::collections::BTreeSet;

use openapiv3::ReferenceOr;

use crate::diagnostics::{child, Diagnostic, Diagnostics};
use crate::load::Document;
use crate::model::{self, Api, Example, Source, TypeRef};
use docs::doc;
use lowerer::Lowerer;
pub use lowerer::Selection;
use refs::Resolver;
use schema::SchemaLowerer;

/// Lowers a loaded document into the model.
pub fn lower(document: &Document, selection: &Selection, diagnostics: &mut Diagnostics) -> Api {
    let openapi = &document.openapi;
    let resolver = Resolver::new(openapi.components.as_ref());
    let mut lowerer = Lowerer {
        schemas: SchemaLowerer::new(openapi.components.as_ref(), &document.raw),
        resolver,
        diagnostics: Diagnostics::default(),
        examples: Vec::new(),
    };

    for tag in unknown_tags(openapi, selection) {
        lowerer.diagnostics.push(
            Diagnostic::error("#/paths", format!("no operation has the tag `{tag}`")).with_help(
                format!("tags in this document: {}", tag_names(openapi).join(", ")),
            ),
        );
    }
    let operations = lowerer.operations(openapi, selection);
    let groups = operations::group_operations(openapi, operations);
    let webhooks = lowerer.webhooks(&document.webhooks);
    let servers = servers::lower_servers(&openapi.servers, &mut lowerer.diagnostics);
    let auth = auth::lower_auth(openapi, &mut lowerer.diagnostics);

    let Lowerer {
        schemas,
        diagnostics: mut own_diagnostics,
        mut examples,
        ..
    } = lowerer;
    let (mut types, schema_diagnostics, schema_examples) = schemas.finish();
    discriminators::fix(&mut types, &groups, &webhooks);
    direction::decide(&mut types, &groups, &webhooks);
    let mut groups = groups;
    pagination::detect(&mut groups, &types);
    examples.extend(schema_examples.into_iter().map(|(id, value)| Example {
        pointer: child(&id, "example"),
        ty: TypeRef::Named(id),
        value,
        expected: None,
        answers: None,
    }));
    examples::settle(&mut examples, &types, &mut own_diagnostics);
    let webhooks = webhooks::with_event_lists(webhooks, &types);
    event_names::unify(&webhooks, &mut types);
    diagnostics.extend(own_diagnostics);
    diagnostics.extend(schema_diagnostics);

    Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi
            .info
            .description
            .as_deref()
            .and_then(|d| doc(None, Some(d)))
            .map(|d| docs::nest_headings(&d, model::API_DESCRIPTION_TOP_HEADING)),
        servers,
        auth,
        groups,
        types,
        webhooks,
        examples,
        source: Source {
            sha256: document.sha256.clone(),
            tags: selection
                .tags
                .iter()
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        },
    }
}

/// The tags of the selection that no operation has.
fn unknown_tags<'s>(openapi: &openapiv3::OpenAPI, selection: &'s Selection) -> Vec<&'s String> {
    let known = |tag: &String| {
        openapi.paths.iter().any(|(_, item)| match item {
            ReferenceOr::Item(item) => item.iter().any(|(_, op)| op.tags.contains(tag)),
            ReferenceOr::Reference { .. } => false,
        })
    };
    selection.tags.iter().filter(|tag| !known(tag)).collect()
}

fn tag_names(openapi: &openapiv3::OpenAPI) -> Vec<String> {
    let mut tags: BTreeSet<String> = openapi.tags.iter().map(|t| t.name.clone()).collect();
    for (_, item) in openapi.paths.iter() {
        if let ReferenceOr::Item(item) = item {
            for (_, op) in item.iter() {
                tags.extend(op.tags.iter().cloned());
            }
        }
    }
    tags.into_iter().map(|t| format!("`{t}`")).collect()
}

#[cfg(test)]
mod tests;
