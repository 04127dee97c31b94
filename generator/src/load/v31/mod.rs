//! OpenAPI 3.1 documents, rewritten into the 3.0 shape the rest of the
//! pipeline reads, before `openapiv3` sees them: one model and one path after
//! load, whichever version a document is written in.
//!
//! The rewrite works on the document as a value and changes nodes in place,
//! so a node keeps its JSON pointer and diagnostics still find their line and
//! column in the original text. Where a node has to move (a `$ref` beside
//! other keywords goes into `allOf`, a union's only member other than `null`
//! is merged into the union), a diagnostic inside it is placed at the nearest
//! entry that exists in the text.
//!
//! Document-level differences are here; schema keywords are in [`schema`].

use serde_json::{Map, Value};

use crate::diagnostics::{child, Diagnostic, Diagnostics};

mod schema;

use super::repair::collect_schema_places;
use super::Failed;

/// The dialect OpenAPI 3.1 schemas are written in when a document names none.
const BASE_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Where the webhooks of a 3.1 document are: its own `webhooks` section.
pub(super) const WEBHOOKS: &str = "webhooks";

/// Rewrites the 3.1 document `raw` into 3.0 form, warning about what 3.0
/// cannot say; `Err` when a reference it must follow leads nowhere.
pub(super) fn normalise(raw: &mut Value, diagnostics: &mut Diagnostics) -> Result<(), Failed> {
    let Value::Object(root) = raw else {
        return Ok(());
    };
    dialect(root, diagnostics);
    // 3.1 asks for one of `paths`, `components` or `webhooks`; 3.0 always for `paths`.
    if !root.contains_key("paths") {
        root.insert("paths".to_owned(), Value::Object(Map::new()));
    }
    inline_path_item_refs(root, diagnostics)?;
    let mut places = Vec::new();
    collect_schema_places(raw, "#", &mut places);
    let mut defs = schema::Definitions::of(raw);
    for pointer in places {
        if let Some(node) = raw.pointer_mut(pointer.trim_start_matches('#')) {
            schema::normalise(node, &pointer, &mut defs, diagnostics);
        }
    }
    Ok(())
}

/// `jsonSchemaDialect` is read as the OpenAPI base dialect, the only one
/// whose meaning the generator knows; any other gets a warning.
fn dialect(root: &mut Map<String, Value>, diagnostics: &mut Diagnostics) {
    let Some(dialect) = root.remove("jsonSchemaDialect") else {
        return;
    };
    if dialect.as_str() != Some(BASE_DIALECT) {
        diagnostics.push(
            Diagnostic::warning(
                "#/jsonSchemaDialect",
                format!(
                    "the schema dialect {dialect} is not supported; schemas are read as the OpenAPI 3.1 base dialect"
                ),
            )
            .with_help(format!("write `jsonSchemaDialect: {BASE_DIALECT}`, or leave it out")),
        );
    }
}

/// Path items of `paths` and `webhooks` that are a `$ref` to
/// `components/pathItems` (3.1 only) are replaced by a copy of what they
/// name; 3.0 has no such references.
fn inline_path_item_refs(
    root: &mut Map<String, Value>,
    diagnostics: &mut Diagnostics,
) -> Result<(), Failed> {
    let Some(Value::Object(items)) = root
        .get("components")
        .and_then(|components| components.get("pathItems"))
        .cloned()
    else {
        return Ok(());
    };
    let mut failed = false;
    for section in ["paths", WEBHOOKS] {
        let Some(Value::Object(entries)) = root.get_mut(section) else {
            continue;
        };
        for (name, entry) in entries.iter_mut() {
            let Some(target) = entry.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            let Some(item_name) = target.strip_prefix("#/components/pathItems/") else {
                continue;
            };
            let pointer = child(&child(&format!("#/{section}"), name), "$ref");
            match items.get(&unescape(item_name)) {
                Some(item) if item.get("$ref").is_none() => *entry = item.clone(),
                _ => {
                    failed = true;
                    diagnostics.push(Diagnostic::error(
                        pointer,
                        format!("`{target}` does not name a path item of `components/pathItems`"),
                    ));
                }
            }
        }
    }
    if failed {
        Err(Failed)
    } else {
        Ok(())
    }
}

/// A JSON pointer segment's text (`~1` is `/`, `~0` is `~`).
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}
