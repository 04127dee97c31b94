//! JSON Schema 2020-12 keywords, as OpenAPI 3.1 schemas write them, in the
//! OpenAPI 3.0 form that means the same:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]`, `{type: "null"}` in `anyOf`/`oneOf` | `type: T`, `nullable: true` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, …]` | `example: a` |
//! | `$ref` beside other keywords | `allOf: [{$ref}]` beside them |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` |
//! | `contentEncoding: base64` / `contentMediaType` on a string | `format: byte` / `format: binary` |
//! | `$ref` into `$defs` | a copy of the definition |
//!
//! A definition that refers to itself is copied once; the reference back is
//! read as any JSON value, with a warning (3.0 has no `$defs` to refer to).
//!
//! What 3.0 cannot say (`$dynamicRef`, `if`/`then`/`else`,
//! `unevaluatedProperties`…) makes the schema an empty one, read as any JSON
//! value, with a warning; nothing is left out silently.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostics::{child, Diagnostic, Diagnostics};

/// Keywords whose meaning no Rust type expresses; the schema that has one is
/// read as any JSON value.
const UNSUPPORTED: [&str; 8] = [
    "$dynamicRef",
    "$recursiveRef",
    "if",
    "then",
    "else",
    "unevaluatedProperties",
    "unevaluatedItems",
    "dependentSchemas",
];

/// Keywords kept when a schema is reduced to an empty one: its documentation.
const DOC_KEYWORDS: [&str; 6] = [
    "title",
    "description",
    "example",
    "examples",
    "deprecated",
    "nullable",
];

/// Keywords without a 3.0 meaning that change no Rust type: dropped quietly.
const IGNORED: [&str; 6] = [
    "$schema",
    "$id",
    "$anchor",
    "$comment",
    "$dynamicAnchor",
    "propertyNames",
];

/// How many `$defs` definitions one document may have copied in: each copy
/// may hold references to others, so a hostile document could otherwise ask
/// for exponentially many.
const MAX_DEFS_COPIES: usize = 10_000;

/// Deeper schemas are refused later with a clear error; here we just stop.
const MAX_DEPTH: usize = 64;

/// Every `$defs` entry of the document, by the `$ref` that names it, and how
/// many more copies of them the document may take.
pub(super) struct Definitions {
    by_ref: BTreeMap<String, Value>,
    copies_left: usize,
}

impl Definitions {
    /// The `$defs` entries anywhere in `raw`.
    pub(super) fn of(raw: &Value) -> Self {
        let mut by_ref = BTreeMap::new();
        collect_defs(raw, "#", &mut by_ref, 0);
        Self {
            by_ref,
            copies_left: MAX_DEFS_COPIES,
        }
    }
}

fn collect_defs(value: &Value, pointer: &str, found: &mut BTreeMap<String, Value>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let here = child(pointer, key);
                if key == "$defs" {
                    if let Value::Object(defs) = item {
                        for (name, def) in defs {
                            found.insert(child(&here, name), def.clone());
                        }
                    }
                }
                collect_defs(item, &here, found, depth + 1);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_defs(item, &child(pointer, &index.to_string()), found, depth + 1);
            }
        }
        _ => {}
    }
}

/// Rewrites the schema at `pointer` (and the schemas inside it) into 3.0 form.
pub(super) fn normalise(
    schema: &mut Value,
    pointer: &str,
    defs: &mut Definitions,
    diagnostics: &mut Diagnostics,
) {
    Rewrite {
        defs,
        diagnostics,
        copying: Vec::new(),
    }
    .schema(schema, pointer, 0);
}

struct Rewrite<'d> {
    defs: &'d mut Definitions,
    diagnostics: &'d mut Diagnostics,
    /// The `$defs` references whose copies are being rewritten, outermost first.
    copying: Vec<String>,
}

impl Rewrite<'_> {
    fn schema(&mut self, schema: &mut Value, pointer: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let Value::Object(map) = schema else { return };
        if let Some(keyword) = UNSUPPORTED.iter().find(|k| map.contains_key(**k)) {
            self.any_value(
                map,
                &child(pointer, keyword),
                format!("`{keyword}` cannot be expressed in Rust types"),
            );
            return;
        }
        let copied = self.definition(map);
        if let Some((target, definition)) = &copied {
            if self.copying.contains(target) {
                self.any_value(
                    map,
                    &child(pointer, "$ref"),
                    "this `$defs` definition refers to itself".to_owned(),
                );
                return;
            }
            if self.defs.copies_left == 0 {
                self.any_value(
                    map,
                    &child(pointer, "$ref"),
                    format!("the document asks for more than {MAX_DEFS_COPIES} copies of `$defs` definitions"),
                );
                return;
            }
            self.defs.copies_left -= 1;
            self.copying.push(target.clone());
            map.remove("$ref");
            for (key, value) in definition {
                map.entry(key.clone()).or_insert_with(|| value.clone());
            }
        }
        map.remove("$defs");
        for keyword in IGNORED {
            map.remove(keyword);
        }
        // First: the member a union keeps may bring any keyword below.
        null_in_unions(map);
        ref_beside_keywords(map);
        self.null_in_type(map, pointer);
        const_as_enum(map);
        first_example(map);
        exclusive_bounds(map);
        binary_content(map);
        self.prefix_items(map, pointer);
        for (key, value) in map.iter_mut() {
            let here = child(pointer, key);
            match key.as_str() {
                "properties" | "patternProperties" => {
                    if let Value::Object(properties) = value {
                        for (name, property) in properties.iter_mut() {
                            let at = child(&here, name);
                            self.schema(property, &at, depth + 1);
                        }
                    }
                }
                "allOf" | "anyOf" | "oneOf" => {
                    if let Value::Array(members) = value {
                        for (index, member) in members.iter_mut().enumerate() {
                            let at = child(&here, &index.to_string());
                            self.schema(member, &at, depth + 1);
                        }
                    }
                }
                "items" | "additionalProperties" | "not" => self.schema(value, &here, depth + 1),
                _ => {}
            }
        }
        if copied.is_some() {
            self.copying.pop();
        }
    }

    /// The reference into `$defs` this schema is, with the definition it names.
    fn definition(&self, map: &Map<String, Value>) -> Option<(String, Map<String, Value>)> {
        let target = map.get("$ref")?.as_str()?;
        if !target.contains("/$defs/") {
            return None;
        }
        match self.defs.by_ref.get(target)? {
            Value::Object(definition) => Some((target.to_owned(), definition.clone())),
            _ => None,
        }
    }

    /// Reduces the schema to its documentation (an empty schema: any JSON
    /// value) and says why, at `pointer`.
    fn any_value(&mut self, map: &mut Map<String, Value>, pointer: &str, why: String) {
        map.retain(|key, _| DOC_KEYWORDS.contains(&key.as_str()));
        first_example(map);
        self.diagnostics.push(Diagnostic::warning(
            pointer,
            format!("{why}; this schema is read as any JSON value (`serde_json::Value`)"),
        ));
    }

    /// `type: [T, "null"]` → `type: T, nullable: true`.
    fn null_in_type(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        let types: Vec<String> = match map.get("type") {
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            Some(Value::String(single)) if single == "null" => vec![single.clone()],
            _ => return,
        };
        let (nulls, others): (Vec<_>, Vec<_>) = types.into_iter().partition(|t| t == "null");
        if !nulls.is_empty() {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
        match others.as_slice() {
            [] => {
                map.remove("type");
            }
            [only] => {
                map.insert("type".to_owned(), Value::String(only.clone()));
            }
            several => {
                let list = several
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.any_value(
                    map,
                    &child(pointer, "type"),
                    format!("a value of any of the types {list} cannot be one Rust type"),
                );
            }
        }
    }

    /// `prefixItems` (a tuple): the array's items become any JSON value.
    fn prefix_items(&mut self, map: &mut Map<String, Value>, pointer: &str) {
        if map.remove("prefixItems").is_none() {
            return;
        }
        if !matches!(map.get("items"), Some(Value::Object(_))) {
            map.insert("items".to_owned(), Value::Object(Map::new()));
        }
        self.diagnostics.push(Diagnostic::warning(
            child(pointer, "prefixItems"),
            "`prefixItems` (a tuple) cannot be expressed in Rust types; the array's items are read as any JSON value (`serde_json::Value`)",
        ));
    }
}

/// `$ref` beside other keywords (which 3.0 ignores) becomes `allOf: [{$ref}]`
/// beside them, which the generator reads as that type with these docs.
fn ref_beside_keywords(map: &mut Map<String, Value>) {
    if map.len() < 2 {
        return;
    }
    let Some(target) = map.remove("$ref") else {
        return;
    };
    let reference = Value::Object(Map::from_iter([("$ref".to_owned(), target)]));
    match map.get_mut("allOf") {
        Some(Value::Array(members)) => members.insert(0, reference),
        _ => {
            map.insert("allOf".to_owned(), Value::Array(vec![reference]));
        }
    }
}

/// Whether `member` of a union only admits `null`.
fn is_null(member: &Value) -> bool {
    match member.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null") && !types.is_empty(),
        _ => false,
    }
}

/// `anyOf`/`oneOf` with a `{type: "null"}` member: the member is dropped
/// and the schema is `nullable`; a union left with one member is that member.
fn null_in_unions(map: &mut Map<String, Value>) {
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = map.get_mut(keyword) else {
            continue;
        };
        let before = members.len();
        members.retain(|member| !is_null(member));
        if members.len() == before {
            continue;
        }
        map.insert("nullable".to_owned(), Value::Bool(true));
        let Some(Value::Array(members)) = map.get(keyword) else {
            continue;
        };
        if members.len() != 1 {
            continue;
        }
        let Some(Value::Array(mut members)) = map.remove(keyword) else {
            continue;
        };
        match members.pop() {
            // A reference keeps its own name: `allOf: [{$ref}]`, `nullable`.
            Some(member) if member.get("$ref").is_some() && !map.contains_key("allOf") => {
                map.insert("allOf".to_owned(), Value::Array(vec![member]));
            }
            Some(Value::Object(member)) => {
                for (key, value) in member {
                    map.entry(key).or_insert(value);
                }
            }
            Some(other) => {
                map.insert(keyword.to_owned(), Value::Array(vec![other]));
            }
            None => {}
        }
    }
}

/// `const: v` → `enum: [v]`.
fn const_as_enum(map: &mut Map<String, Value>) {
    if let Some(value) = map.remove("const") {
        map.entry("enum")
            .or_insert_with(|| Value::Array(vec![value]));
    }
}

/// A schema's `examples` list → its first entry as `example`.
fn first_example(map: &mut Map<String, Value>) {
    if let Some(Value::Array(mut examples)) = map.remove("examples") {
        if !examples.is_empty() && !map.contains_key("example") {
            map.insert("example".to_owned(), examples.swap_remove(0));
        }
    }
}

/// Numeric `exclusiveMinimum`/`exclusiveMaximum` → the bound plus the 3.0 flag.
fn exclusive_bounds(map: &mut Map<String, Value>) {
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(limit)) = map.get(exclusive).cloned() {
            map.insert(bound.to_owned(), Value::Number(limit));
            map.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
}

/// A string whose content is encoded (`contentEncoding: base64`) is
/// `format: byte`; one of a non-text media type is `format: binary`.
fn binary_content(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media_type = map.remove("contentMediaType");
    if map.get("type").and_then(Value::as_str) != Some("string") || map.contains_key("format") {
        return;
    }
    let format = match (encoding.as_ref().and_then(Value::as_str), media_type) {
        (Some("base64" | "base64url"), _) => "byte",
        (_, Some(Value::String(media_type)))
            if !media_type.starts_with("text/") && !media_type.contains("json") =>
        {
            "binary"
        }
        _ => return,
    };
    map.insert("format".to_owned(), Value::String(format.to_owned()));
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::{normalise, Definitions};
    use crate::diagnostics::Diagnostics;

    /// `schema` rewritten, at `#/s`, with `$defs` from `root`; and the warnings.
    fn rewritten_in(root: &Value, schema: Value) -> (Value, String) {
        let mut schema = schema;
        let mut diagnostics = Diagnostics::default();
        normalise(
            &mut schema,
            "#/s",
            &mut Definitions::of(root),
            &mut diagnostics,
        );
        (schema, diagnostics.to_string())
    }

    fn rewritten(schema: Value) -> Value {
        let (schema, warnings) = rewritten_in(&json!({}), schema);
        assert_eq!(warnings, "");
        schema
    }

    #[test]
    fn a_union_of_one_inline_member_and_null_is_that_member_nullable() {
        assert_eq!(
            rewritten(
                json!({"description": "D", "anyOf": [{"type": "integer", "description": "I"}, {"type": "null"}]})
            ),
            json!({"description": "D", "nullable": true, "type": "integer"})
        );
    }

    #[test]
    fn a_union_of_a_reference_and_null_keeps_the_reference() {
        assert_eq!(
            rewritten(json!({"oneOf": [{"type": ["null"]}, {"$ref": "#/components/schemas/A"}]})),
            json!({"nullable": true, "allOf": [{"$ref": "#/components/schemas/A"}]})
        );
    }

    #[test]
    fn null_alone_is_nullable_and_nothing_else() {
        assert_eq!(
            rewritten(json!({"type": "null"})),
            json!({"nullable": true})
        );
    }

    #[test]
    fn a_reference_alone_stays_a_reference() {
        let reference = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(rewritten(reference.clone()), reference);
    }

    #[test]
    fn a_reference_beside_keywords_moves_into_all_of_first() {
        assert_eq!(
            rewritten(json!({"$ref": "#/A", "description": "D", "allOf": [{"$ref": "#/B"}]})),
            json!({"description": "D", "allOf": [{"$ref": "#/A"}, {"$ref": "#/B"}]})
        );
    }

    #[test]
    fn an_enum_beside_const_wins() {
        assert_eq!(
            rewritten(json!({"const": "a", "enum": ["b"]})),
            json!({"enum": ["b"]})
        );
    }

    #[test]
    fn boolean_exclusive_bounds_are_left_as_they_are() {
        let bounds = json!({"minimum": 1, "exclusiveMinimum": true});
        assert_eq!(rewritten(bounds.clone()), bounds);
        assert_eq!(
            rewritten(json!({"minimum": 1, "exclusiveMinimum": 2})),
            json!({"minimum": 2, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn a_format_already_given_is_kept() {
        assert_eq!(
            rewritten(json!({"type": "string", "format": "uri", "contentMediaType": "image/png"})),
            json!({"type": "string", "format": "uri"})
        );
    }

    #[test]
    fn nested_schemas_are_rewritten_too() {
        assert_eq!(
            rewritten(json!({
                "type": "object",
                "properties": {"a": {"type": "array", "items": {"const": 1}}},
                "additionalProperties": {"type": ["integer", "null"]}
            })),
            json!({
                "type": "object",
                "properties": {"a": {"type": "array", "items": {"enum": [1]}}},
                "additionalProperties": {"type": "integer", "nullable": true}
            })
        );
    }

    #[test]
    fn a_definition_that_refers_to_itself_stops_with_a_warning() {
        let root = json!({"components": {"schemas": {"A": {"$defs": {
            "node": {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/A/$defs/node"}}}
        }}}}});
        let (schema, warnings) =
            rewritten_in(&root, json!({"$ref": "#/components/schemas/A/$defs/node"}));
        let mut depth = 0;
        let mut node = &schema;
        while let Some(next) = node.pointer("/properties/next") {
            node = next;
            depth += 1;
        }
        assert_eq!(depth, 1, "one copy, then the reference back is any value");
        assert_eq!(node, &json!({}));
        assert_eq!(
            warnings,
            format!(
                "warning: this `$defs` definition refers to itself; this schema is read as any JSON value (`serde_json::Value`)\n  --> #/s{}/$ref\n",
                "/properties/next"
            )
        );
    }

    #[test]
    fn copies_of_definitions_are_bounded() {
        // Each definition refers to the next twice: 2^8 copies for one use.
        let mut defs = serde_json::Map::new();
        for level in 0..8 {
            let next = json!({"$ref": format!("#/$defs/d{}", level + 1)});
            defs.insert(
                format!("d{level}"),
                json!({"type": "object", "properties": {"a": next, "b": next}}),
            );
        }
        defs.insert("d8".to_owned(), json!({"type": "string"}));
        let root = json!({"$defs": defs});
        let mut definitions = Definitions::of(&root);
        // Enough for a chain of nine definitions, not for all 2^9 - 1 copies.
        definitions.copies_left = 100;
        let mut diagnostics = Diagnostics::default();
        let mut schema = json!({"$ref": "#/$defs/d0"});
        normalise(&mut schema, "#/s", &mut definitions, &mut diagnostics);
        assert_eq!(definitions.copies_left, 0);
        assert!(diagnostics.to_string().starts_with(
            "warning: the document asks for more than 10000 copies of `$defs` definitions; this schema is read as any JSON value (`serde_json::Value`)"
        ), "{diagnostics}");
    }

    #[test]
    fn an_unsupported_keyword_keeps_only_the_docs() {
        let (schema, warnings) = rewritten_in(
            &json!({}),
            json!({"description": "D", "examples": [1], "type": "object", "if": {}, "then": {}}),
        );
        assert_eq!(schema, json!({"description": "D", "example": 1}));
        assert_eq!(
            warnings,
            "warning: `if` cannot be expressed in Rust types; this schema is read as any JSON value (`serde_json::Value`)\n  --> #/s/if\n"
        );
    }
}
