//! Stage 1, load: bytes → a checked `openapiv3::OpenAPI` plus the `x-webhooks`
//! section, which openapiv3 keeps as a raw extension.
//!
//! The document is first read as plain YAML so that version mismatches and
//! known defects of the published spec can be reported (or repaired with a
//! warning) before the strict typed parse, whose errors carry a JSON pointer.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem};
use serde_json::Value;

use crate::diagnostics::{child, Diagnostic, Diagnostics};

/// A parsed document, ready for lowering.
#[derive(Debug)]
pub struct Document {
    /// The OpenAPI document proper.
    pub openapi: OpenAPI,
    /// The `x-webhooks` section: event name → path item describing the payload.
    pub webhooks: IndexMap<String, PathItem>,
    /// The raw document, used to resolve `$ref`s to `components/examples` and
    /// other places openapiv3 does not model as references.
    pub raw: Value,
}

/// Loading stopped; the reasons are in the diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failed;

/// Parses `bytes` as an OpenAPI 3.0 YAML (or JSON) document.
///
/// Problems that stop the parse are returned as errors; repaired defects are
/// pushed to `diagnostics` as warnings.
pub fn load(bytes: &[u8], diagnostics: &mut Diagnostics) -> Result<Document, Failed> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            diagnostics.push(
                Diagnostic::error("#", format!("the document is not UTF-8 text ({err})"))
                    .with_help("OpenAPI documents are YAML or JSON text files"),
            );
            return Err(Failed);
        }
    };
    if text.trim().is_empty() {
        diagnostics.push(
            Diagnostic::error("#", "the document is empty")
                .with_help("expected an OpenAPI 3.0 document starting with `openapi: 3.0.x`"),
        );
        return Err(Failed);
    }
    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            let mut diagnostic =
                Diagnostic::error("#", format!("the document is not valid YAML: {err}"));
            if let Some(location) = err.location() {
                diagnostic = diagnostic.at(location.line(), location.column());
            }
            diagnostics.push(diagnostic);
            return Err(Failed);
        }
    };
    let mut raw = to_json(yaml, "#", diagnostics)?;
    check_version(&raw, diagnostics)?;
    repair_misplaced_required(&mut raw, diagnostics);

    let openapi: OpenAPI = typed(&raw, "#", diagnostics)?;
    let webhooks = match openapi.extensions.get("x-webhooks") {
        Some(section) => typed(section, "#/x-webhooks", diagnostics)?,
        None => IndexMap::new(),
    };
    Ok(Document {
        openapi,
        webhooks,
        raw,
    })
}

/// Deserializes `value` into `T`, reporting the failing place as a JSON pointer.
fn typed<T: serde::de::DeserializeOwned>(
    value: &Value,
    base: &str,
    diagnostics: &mut Diagnostics,
) -> Result<T, Failed> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let mut pointer = base.to_owned();
        for segment in err.path().iter() {
            match segment {
                serde_path_to_error::Segment::Seq { index } => {
                    pointer = child(&pointer, &index.to_string())
                }
                serde_path_to_error::Segment::Map { key } => pointer = child(&pointer, key),
                serde_path_to_error::Segment::Enum { variant } => {
                    pointer = child(&pointer, variant)
                }
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        diagnostics.push(Diagnostic::error(
            pointer,
            format!("this is not valid OpenAPI 3.0: {}", err.inner()),
        ));
        Failed
    })
}

/// Converts YAML into JSON, turning scalar mapping keys (such as an unquoted
/// status code `200`) into strings and refusing what JSON cannot express.
fn to_json(
    yaml: serde_yaml::Value,
    pointer: &str,
    diagnostics: &mut Diagnostics,
) -> Result<Value, Failed> {
    Ok(match yaml {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                match n.as_f64().and_then(serde_json::Number::from_f64) {
                    Some(f) => Value::Number(f),
                    None => {
                        diagnostics.error(
                            pointer,
                            format!("the number {n} cannot be represented in JSON"),
                        );
                        return Err(Failed);
                    }
                }
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                out.push(to_json(
                    item,
                    &child(pointer, &index.to_string()),
                    diagnostics,
                )?);
            }
            Value::Array(out)
        }
        serde_yaml::Value::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    serde_yaml::Value::String(s) => s,
                    serde_yaml::Value::Number(n) => n.to_string(),
                    serde_yaml::Value::Bool(b) => b.to_string(),
                    other => {
                        diagnostics.error(
                            pointer,
                            format!(
                                "a mapping key must be a string, found {}",
                                yaml_kind(&other)
                            ),
                        );
                        return Err(Failed);
                    }
                };
                let value = to_json(value, &child(pointer, &key), diagnostics)?;
                out.insert(key, value);
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(tagged) => {
            diagnostics.push(
                Diagnostic::error(
                    pointer,
                    format!("YAML tag `{}` is not supported", tagged.tag),
                )
                .with_help("remove the `!tag`; OpenAPI documents use plain YAML"),
            );
            return Err(Failed);
        }
    })
}

fn yaml_kind(value: &serde_yaml::Value) -> &'static str {
    match value {
        serde_yaml::Value::Null => "null",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a string",
        serde_yaml::Value::Sequence(_) => "a sequence",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

/// Accepts OpenAPI 3.0.x only, and says which version it found otherwise.
fn check_version(raw: &Value, diagnostics: &mut Diagnostics) -> Result<(), Failed> {
    let Some(root) = raw.as_object() else {
        diagnostics.push(
            Diagnostic::error(
                "#",
                format!("the document must be a mapping, found {}", json_kind(raw)),
            )
            .with_help("expected an OpenAPI 3.0 document starting with `openapi: 3.0.x`"),
        );
        return Err(Failed);
    };
    if let Some(swagger) = root.get("swagger") {
        diagnostics.push(
            Diagnostic::error(
                "#/swagger",
                format!("Swagger {} documents are not supported", show(swagger)),
            )
            .with_help(
                "only OpenAPI 3.0.x is supported; convert the document to OpenAPI 3.0 first",
            ),
        );
        return Err(Failed);
    }
    match root.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") || version == "3.0" => Ok(()),
        Some(other) => {
            diagnostics.push(
                Diagnostic::error(
                    "#/openapi",
                    format!("OpenAPI version {} is not supported", show(other)),
                )
                .with_help("only OpenAPI 3.0.x documents are supported"),
            );
            Err(Failed)
        }
        None => {
            diagnostics.push(
                Diagnostic::error("#", "the document has no `openapi` version field")
                    .with_help("add `openapi: 3.0.3` at the top; only OpenAPI 3.0.x is supported"),
            );
            Err(Failed)
        }
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a mapping",
    }
}

/// The published spec writes `required: true` inside a property schema (as if
/// it were a parameter). JSON Schema wants the property's name in the parent's
/// `required` list instead; strict parsers reject the document. We move it
/// there and warn, naming the place.
fn repair_misplaced_required(raw: &mut Value, diagnostics: &mut Diagnostics) {
    let mut places = Vec::new();
    collect_schema_places(raw, "#", &mut places);
    for pointer in places {
        repair_schema(raw, &pointer, diagnostics);
    }
}

/// Pointers of every schema object reachable through the places a schema can
/// stand in an OpenAPI 3.0 document (`schema` keys and `components/schemas`);
/// nested schemas are handled by `repair_schema` itself.
fn collect_schema_places(value: &Value, pointer: &str, out: &mut Vec<String>) {
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
