//! Repairs of known defects of the published spec, each with a warning.

use serde_json::Value;

use crate::diagnostics::{child, Diagnostic, Diagnostics};

/// The published spec writes `required: true` inside a property schema (as if
/// it were a parameter). JSON Schema wants the property's name in the parent's
/// `required` list instead; strict parsers reject the document. We move it
/// there and warn, naming the place.
pub(super) fn repair_misplaced_required(raw: &mut Value, diagnostics: &mut Diagnostics) {
    let mut places = Vec::new();
    collect_schema_places(raw, "#", &mut places);
    for pointer in places {
        repair_schema(raw, &pointer, diagnostics);
    }
}

/// Pointers of every schema object reachable through the places a schema can
/// stand in an OpenAPI 3.0 document (`schema` keys and `components/schemas`);
/// nested schemas are handled by `repair_schema` itself.
pub(super) fn collect_schema_places(value: &Value, pointer: &str, out: &mut Vec<String>) {
    let Value::Object(map) = value else {
        if let Value::Array(items) = value {
            for (index, item) in items.iter().enumerate() {
                collect_schema_places(item, &child(pointer, &index.to_string()), out);
            }
        }
        return;
    };
    for (key, item) in map {
        let here = child(pointer, key);
        let is_schema_slot = key == "schema" || (pointer == "#/components" && key == "schemas");
        if key == "schema" && item.is_object() {
            out.push(here.clone());
            continue;
        }
        if is_schema_slot {
            if let Value::Object(schemas) = item {
                for name in schemas.keys() {
                    out.push(child(&here, name));
                }
            }
            continue;
        }
        // Examples are data, not schemas.
        if key == "example" || key == "examples" {
            continue;
        }
        collect_schema_places(item, &here, out);
    }
}

fn repair_schema(raw: &mut Value, pointer: &str, diagnostics: &mut Diagnostics) {
    let Some(schema) = raw.pointer_mut(pointer.trim_start_matches('#')) else {
        return;
    };
    repair_schema_value(schema, pointer, diagnostics, 0);
}

fn repair_schema_value(
    schema: &mut Value,
    pointer: &str,
    diagnostics: &mut Diagnostics,
    depth: usize,
) {
    // Deeper nesting than this is refused later with a clear error; here we just stop.
    if depth > 64 {
        return;
    }
    let Value::Object(map) = schema else { return };
    // Properties are handled by their parent (below); this is a schema of its
    // own, such as a parameter's, where `required: true` has no meaning.
    if let Some(Value::Bool(flag)) = map.get("required").cloned() {
        map.remove("required");
        diagnostics.push(
            Diagnostic::warning(
                child(pointer, "required"),
                format!("`required: {flag}` inside a schema is not valid JSON Schema; it is ignored"),
            )
            .with_help(
                "a parameter's `required` goes beside its `schema`; a property is required when the parent lists it in `required`",
            ),
        );
    }
    let mut lifted = Vec::new();
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            let property_pointer = child(&child(pointer, "properties"), name);
            if let Value::Object(property_map) = property {
                if let Some(Value::Bool(required)) = property_map.get("required").cloned() {
                    property_map.remove("required");
                    diagnostics.push(
                        Diagnostic::warning(
                            child(&property_pointer, "required"),
                            format!("`required: {required}` inside a property schema is not valid JSON Schema"),
                        )
                        .with_help(if required {
                            format!("list `{name}` in the parent schema's `required` array instead; treated that way")
                        } else {
                            "remove it; properties are optional unless the parent lists them in `required`".to_owned()
                        }),
                    );
                    if required {
                        lifted.push(name.clone());
                    }
                }
            }
            repair_schema_value(property, &property_pointer, diagnostics, depth + 1);
        }
    }
    if !lifted.is_empty() {
        let required = map
            .entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = required {
            for name in lifted {
                if !list.iter().any(|v| v.as_str() == Some(&name)) {
                    list.push(Value::String(name));
                }
            }
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(nested) = map.get_mut(key) {
            repair_schema_value(nested, &child(pointer, key), diagnostics, depth + 1);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = map.get_mut(key) {
            for (index, part) in parts.iter_mut().enumerate() {
                let here = child(&child(pointer, key), &index.to_string());
                repair_schema_value(part, &here, diagnostics, depth + 1);
            }
        }
    }
}
