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
            let valid = &bytes[..err.valid_up_to()];
            let (line, column) =
                position_at(std::str::from_utf8(valid).unwrap_or_default(), valid.len());
            diagnostics.push(
                Diagnostic::error(
                    "#",
                    format!(
                        "the document is not UTF-8 text: byte 0x{:02X} cannot start a character",
                        bytes[err.valid_up_to()]
                    ),
                )
                .at(line, column)
                .with_help("OpenAPI documents are YAML or JSON text files in UTF-8"),
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
    // YAML forbids control characters; say which and where (the YAML
    // parser's own message has no useful position).
    if let Some((index, c)) = text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))
    {
        let (line, column) = position_at(text, index);
        diagnostics.push(
            Diagnostic::error("#", format!("the document contains the control character U+{:04X}", u32::from(c)))
                .at(line, column)
                .with_help("YAML text allows tabs and line breaks but no other control characters; is this a binary file?"),
        );
        return Err(Failed);
    }
    if let Some((line, column)) = flow_nesting_exceeds(text, MAX_FLOW_DEPTH) {
        diagnostics.push(
            Diagnostic::error("#", format!("the document nests `[` and `{{` more than {MAX_FLOW_DEPTH} levels deep"))
                .at(line, column)
                .with_help("OpenAPI documents need only a few levels; this looks like a damaged or hostile file"),
        );
        return Err(Failed);
    }
    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
        Err(err) => {
            diagnostics.push(yaml_error(&err));
            return Err(Failed);
        }
    };
    let mut raw = to_json(yaml, "#", diagnostics)?;
    check_version(&raw, diagnostics)?;
    repair_misplaced_required(&mut raw, diagnostics);
    check_structure(&raw, diagnostics)?;

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

/// 1-based line and column (in characters) of byte `index` of `text`.
fn position_at(text: &str, index: usize) -> (usize, usize) {
    let before = &text[..index];
    let line_start = before.rfind('\n').map_or(0, |p| p + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// A YAML syntax error, located, with the position taken out of the message.
fn yaml_error(err: &serde_yaml::Error) -> Diagnostic {
    let mut message = err.to_string();
    let location = err.location();
    if let Some(location) = &location {
        message = message.replacen(
            &format!(" at line {} column {}", location.line(), location.column()),
            "",
            1,
        );
    }
    let help = if message.starts_with("repetition limit exceeded") {
        message = "its aliases (`*name`) expand to too many values".to_owned();
        Some("this looks like a \"billion laughs\" document; write the values out or use `$ref`")
    } else if message.starts_with("recursion limit exceeded") {
        message = "it is nested more than 128 levels deep".to_owned();
        Some("OpenAPI documents need only a few levels; this looks like a damaged or hostile file")
    } else {
        None
    };
    let mut diagnostic =
        Diagnostic::error("#", format!("the document is not valid YAML: {message}"));
    if let Some(location) = location {
        diagnostic = diagnostic.at(location.line(), location.column());
    }
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
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
                format!(
                    "Swagger {} documents are not supported; only OpenAPI 3.0.x documents are",
                    show(swagger)
                ),
            )
            .with_help("convert the document to OpenAPI 3.0 first"),
        );
        return Err(Failed);
    }
    match root.get("openapi") {
        Some(Value::String(version)) if is_openapi_30(version) => Ok(()),
        Some(Value::Number(number)) => {
            diagnostics.push(
                Diagnostic::error("#/openapi", format!("the OpenAPI version must be a string, found the number {number}"))
                    .with_help("quote it, and give all three parts: `openapi: '3.0.3'`; only OpenAPI 3.0.x is supported"),
            );
            Err(Failed)
        }
        Some(other) => {
            diagnostics.push(
                Diagnostic::error(
                    "#/openapi",
                    format!("OpenAPI version {} is not supported; only OpenAPI 3.0.x documents are", show(other)),
                )
                .with_help(if matches!(other, Value::String(v) if v.starts_with("3.1")) {
                    "OpenAPI 3.1 changed how schemas are written (JSON Schema 2020-12); convert the document to 3.0"
                } else {
                    "write `openapi: 3.0.3` for an OpenAPI 3.0 document"
                }),
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

/// `3.0.0` through `3.0.x` (and a bare `3.0`): the versions this generator reads.
fn is_openapi_30(version: &str) -> bool {
    version == "3.0"
        || version
            .strip_prefix("3.0.")
            .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
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

// ---------------------------------------------------------------------------
// Structure check.
//
// `openapiv3` parses schemas, parameters and references through untagged,
// internally tagged and flattened enums, whose errors lose the place inside
// them (a wrong `properties` is reported at the schema, a wrong parameter at
// `#/paths`) and stop at the first problem. This walk checks the shapes the
// typed parse relies on, reports every problem with its exact place, and warns
// about entries the typed parse would silently drop. The typed parse stays the
// final word for anything not covered here.
// ---------------------------------------------------------------------------

/// What a field's value must be.
#[derive(Clone, Copy)]
enum Kind {
    String,
    Bool,
    Number,
    /// A non-negative integer.
    Count,
    Mapping,
    List,
    StringList,
}

impl Kind {
    fn accepts(self, value: &Value) -> bool {
        match self {
            Kind::String => value.is_string(),
            Kind::Bool => value.is_boolean(),
            Kind::Number => value.is_number(),
            Kind::Count => value.is_u64(),
            Kind::Mapping => value.is_object(),
            Kind::List => value.is_array(),
            Kind::StringList => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::String => "a string",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::Count => "a non-negative integer",
            Kind::Mapping => "a mapping",
            Kind::List => "a sequence",
            Kind::StringList => "a sequence of strings",
        }
    }
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

struct Shape<'d> {
    diagnostics: &'d mut Diagnostics,
    failed: bool,
}

impl Shape<'_> {
    fn error(&mut self, diagnostic: Diagnostic) {
        self.failed = true;
        self.diagnostics.push(diagnostic);
    }

    /// `value` (at `pointer`, called `what`) as a mapping, or an error.
    fn mapping<'v>(
        &mut self,
        value: &'v Value,
        pointer: &str,
        what: &str,
    ) -> Option<&'v serde_json::Map<String, Value>> {
        if let Value::Object(map) = value {
            return Some(map);
        }
        self.error(Diagnostic::error(
            pointer,
            format!("{what} must be a mapping, found {}", json_kind(value)),
        ));
        None
    }

    /// The field `key` of `map` if present, checked to be of `kind`.
    fn field<'v>(
        &mut self,
        map: &'v serde_json::Map<String, Value>,
        pointer: &str,
        key: &str,
        kind: Kind,
    ) -> Option<&'v Value> {
        let value = map.get(key)?;
        if kind.accepts(value) {
            return Some(value);
        }
        let mut diagnostic = Diagnostic::error(
            child(pointer, key),
            format!(
                "`{key}` must be {}, found {}",
                kind.describe(),
                json_kind(value)
            ),
        );
        let names = [
            "version",
            "title",
            "name",
            "operationId",
            "default",
            "description",
            "summary",
        ];
        if matches!(kind, Kind::String)
            && (value.is_number() || value.is_boolean())
            && names.contains(&key)
        {
            diagnostic = diagnostic.with_help(format!("quote it: `{key}: '{value}'`"));
        }
        self.error(diagnostic);
        None
    }

    /// Like [`Shape::field`], and an error when the field is absent.
    fn required<'v>(
        &mut self,
        map: &'v serde_json::Map<String, Value>,
        pointer: &str,
        key: &str,
        kind: Kind,
        what: &str,
    ) -> Option<&'v Value> {
        if !map.contains_key(key) {
            self.error(Diagnostic::error(
                pointer,
                format!("{what} has no `{key}`, which is required"),
            ));
            return None;
        }
        self.field(map, pointer, key, kind)
    }

    /// Checks each field named in `keys` to be of `kind`.
    fn fields(
        &mut self,
        map: &serde_json::Map<String, Value>,
        pointer: &str,
        keys: &[&str],
        kind: Kind,
    ) {
        for key in keys {
            self.field(map, pointer, key, kind);
        }
    }

    /// A mapping field whose entries are all checked by `check`.
    fn entries<'v>(
        &mut self,
        map: &'v serde_json::Map<String, Value>,
        pointer: &str,
        key: &str,
        mut check: impl FnMut(&mut Self, &'v Value, &str, &str),
    ) {
        let Some(Value::Object(entries)) = self.field(map, pointer, key, Kind::Mapping) else {
            return;
        };
        let here = child(pointer, key);
        for (name, value) in entries {
            check(self, value, &child(&here, name), name);
        }
    }

    /// A sequence field whose items are all checked by `check`.
    fn items<'v>(
        &mut self,
        map: &'v serde_json::Map<String, Value>,
        pointer: &str,
        key: &str,
        mut check: impl FnMut(&mut Self, &'v Value, &str),
    ) {
        let Some(Value::Array(items)) = self.field(map, pointer, key, Kind::List) else {
            return;
        };
        let here = child(pointer, key);
        for (index, value) in items.iter().enumerate() {
            check(self, value, &child(&here, &index.to_string()));
        }
    }

    /// A mapping that may be a `$ref`: `Some(map)` when it is not a reference.
    fn item_or_ref<'v>(
        &mut self,
        value: &'v Value,
        pointer: &str,
        what: &str,
    ) -> Option<&'v serde_json::Map<String, Value>> {
        let map = self.mapping(value, pointer, what)?;
        if map.contains_key("$ref") {
            self.field(map, pointer, "$ref", Kind::String);
            return None;
        }
        Some(map)
    }

    fn document(&mut self, root: &serde_json::Map<String, Value>) {
        if let Some(info) = self.required(root, "#", "info", Kind::Mapping, "the document") {
            let info = info.as_object().expect("checked");
            self.required(info, "#/info", "title", Kind::String, "`info`");
            self.required(info, "#/info", "version", Kind::String, "`info`");
            self.fields(
                info,
                "#/info",
                &["description", "termsOfService"],
                Kind::String,
            );
            self.fields(info, "#/info", &["contact", "license"], Kind::Mapping);
        }
        if let Some(Value::Object(paths)) =
            self.required(root, "#", "paths", Kind::Mapping, "the document")
        {
            for (path, item) in paths {
                let pointer = child("#/paths", path);
                if path.starts_with('/') {
                    self.path_item(item, &pointer, &format!("path `{path}`"));
                } else if !path.starts_with("x-") {
                    self.diagnostics.push(
                        Diagnostic::warning(
                            &pointer,
                            format!(
                                "`{path}` does not start with `/`; it is not a path and is ignored"
                            ),
                        )
                        .with_help("paths are relative to the server URL and start with `/`"),
                    );
                }
            }
        }
        self.items(root, "#", "servers", |shape, value, pointer| {
            shape.server(value, pointer)
        });
        self.items(root, "#", "tags", |shape, value, pointer| {
            if let Some(tag) = shape.mapping(value, pointer, "a tag") {
                shape.required(tag, pointer, "name", Kind::String, "the tag");
                shape.field(tag, pointer, "description", Kind::String);
            }
        });
        self.items(root, "#", "security", |shape, value, pointer| {
            shape.mapping(value, pointer, "a security requirement");
        });
        if let Some(Value::Object(components)) = self.field(root, "#", "components", Kind::Mapping)
        {
            self.components(components);
        }
        if let Some(Value::Object(hooks)) = root.get("x-webhooks") {
            for (name, item) in hooks {
                self.path_item(
                    item,
                    &child("#/x-webhooks", name),
                    &format!("webhook `{name}`"),
                );
            }
        } else if let Some(other) = root.get("x-webhooks") {
            self.error(Diagnostic::error(
                "#/x-webhooks",
                format!("`x-webhooks` must be a mapping, found {}", json_kind(other)),
            ));
        }
    }

    fn components(&mut self, components: &serde_json::Map<String, Value>) {
        let at = "#/components";
        self.entries(components, at, "schemas", |shape, value, pointer, name| {
            shape.schema(value, pointer, &format!("schema `{name}`"));
        });
        self.entries(
            components,
            at,
            "responses",
            |shape, value, pointer, name| {
                shape.response(value, pointer, &format!("response `{name}`"));
            },
        );
        self.entries(
            components,
            at,
            "parameters",
            |shape, value, pointer, name| {
                shape.parameter(value, pointer, &format!("parameter `{name}`"));
            },
        );
        self.entries(components, at, "examples", |shape, value, pointer, name| {
            shape.example(value, pointer, &format!("example `{name}`"));
        });
        self.entries(
            components,
            at,
            "requestBodies",
            |shape, value, pointer, name| {
                shape.request_body(value, pointer, &format!("request body `{name}`"));
            },
        );
        self.entries(components, at, "headers", |shape, value, pointer, name| {
            shape.header(value, pointer, &format!("header `{name}`"));
        });
        self.entries(
            components,
            at,
            "securitySchemes",
            |shape, value, pointer, name| {
                shape.security_scheme(value, pointer, &format!("security scheme `{name}`"));
            },
        );
        for key in ["links", "callbacks"] {
            self.entries(components, at, key, |shape, value, pointer, name| {
                shape.mapping(value, pointer, &format!("`{name}`"));
            });
        }
    }

    fn server(&mut self, value: &Value, pointer: &str) {
        let Some(server) = self.mapping(value, pointer, "a server") else {
            return;
        };
        self.required(server, pointer, "url", Kind::String, "the server");
        self.field(server, pointer, "description", Kind::String);
        self.entries(
            server,
            pointer,
            "variables",
            |shape, value, pointer, name| {
                let Some(variable) =
                    shape.mapping(value, pointer, &format!("server variable `{name}`"))
                else {
                    return;
                };
                shape.required(
                    variable,
                    pointer,
                    "default",
                    Kind::String,
                    &format!("server variable `{name}`"),
                );
                shape.field(variable, pointer, "enum", Kind::StringList);
                shape.field(variable, pointer, "description", Kind::String);
            },
        );
    }

    fn path_item(&mut self, value: &Value, pointer: &str, what: &str) {
        let Some(item) = self.item_or_ref(value, pointer, what) else {
            return;
        };
        self.fields(item, pointer, &["summary", "description"], Kind::String);
        self.items(item, pointer, "parameters", |shape, value, pointer| {
            shape.parameter(value, pointer, "a parameter")
        });
        self.items(item, pointer, "servers", |shape, value, pointer| {
            shape.server(value, pointer)
        });
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                let at = child(pointer, method);
                let Some(operation) = self.mapping(operation, &at, &format!("`{method}`")) else {
                    continue;
                };
                self.operation(operation, &at);
            }
        }
    }

    fn operation(&mut self, operation: &serde_json::Map<String, Value>, pointer: &str) {
        self.fields(
            operation,
            pointer,
            &["summary", "description", "operationId"],
            Kind::String,
        );
        self.field(operation, pointer, "tags", Kind::StringList);
        self.field(operation, pointer, "deprecated", Kind::Bool);
        self.fields(
            operation,
            pointer,
            &["externalDocs", "callbacks"],
            Kind::Mapping,
        );
        self.field(operation, pointer, "security", Kind::List);
        self.items(operation, pointer, "parameters", |shape, value, pointer| {
            shape.parameter(value, pointer, "a parameter")
        });
        self.items(operation, pointer, "servers", |shape, value, pointer| {
            shape.server(value, pointer)
        });
        if let Some(body) = operation.get("requestBody") {
            self.request_body(body, &child(pointer, "requestBody"), "`requestBody`");
        }
        let Some(Value::Object(responses)) = self.required(
            operation,
            pointer,
            "responses",
            Kind::Mapping,
            "the operation",
        ) else {
            return;
        };
        let at = child(pointer, "responses");
        for (code, response) in responses {
            let here = child(&at, code);
            if code == "default" || is_status_code(code) {
                self.response(response, &here, &format!("response `{code}`"));
            } else if !code.starts_with("x-") {
                self.diagnostics.push(
                    Diagnostic::warning(
                        here,
                        format!("`{code}` is not a status code; the response is ignored"),
                    )
                    .with_help("use a code such as `'200'`, a range such as `'4XX'`, or `default`"),
                );
            }
        }
    }

    fn parameter(&mut self, value: &Value, pointer: &str, what: &str) {
        let Some(parameter) = self.item_or_ref(value, pointer, what) else {
            return;
        };
        self.required(parameter, pointer, "name", Kind::String, "the parameter");
        let styles: &[&str] = match self.required(
            parameter,
            pointer,
            "in",
            Kind::String,
            "the parameter",
        ) {
            Some(Value::String(location)) => match location.as_str() {
                "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                "header" => &["simple"],
                "path" => &["matrix", "label", "simple"],
                "cookie" => &["form"],
                "body" | "formData" => {
                    self.error(
                        Diagnostic::error(
                            child(pointer, "in"),
                            format!("`in: {location}` is Swagger 2.0; OpenAPI 3.0 parameters are `in` `query`, `header`, `path` or `cookie`"),
                        )
                        .with_help("describe the body with the operation's `requestBody` instead"),
                    );
                    &[]
                }
                other => {
                    self.error(Diagnostic::error(
                        child(pointer, "in"),
                        format!("`in: {other}` is not a parameter location; expected `query`, `header`, `path` or `cookie`"),
                    ));
                    &[]
                }
            },
            _ => &[],
        };
        if let Some(Value::String(style)) = self.field(parameter, pointer, "style", Kind::String) {
            if !styles.is_empty() && !styles.contains(&style.as_str()) {
                self.error(Diagnostic::error(
                    child(pointer, "style"),
                    format!(
                        "`style: {style}` is not allowed here; expected one of: {}",
                        styles.join(", ")
                    ),
                ));
            }
        }
        self.fields(
            parameter,
            pointer,
            &["required", "allowReserved"],
            Kind::Bool,
        );
        self.fields(
            parameter,
            pointer,
            &["deprecated", "explode", "allowEmptyValue"],
            Kind::Bool,
        );
        self.schema_or_content(parameter, pointer, "the parameter");
    }

    fn header(&mut self, value: &Value, pointer: &str, what: &str) {
        let Some(header) = self.item_or_ref(value, pointer, what) else {
            return;
        };
        if let Some(Value::String(style)) = self.field(header, pointer, "style", Kind::String) {
            if style != "simple" {
                self.error(Diagnostic::error(
                    child(pointer, "style"),
                    format!("`style: {style}` is not allowed for a header; expected `simple`"),
                ));
            }
        }
        self.fields(
            header,
            pointer,
            &["required", "deprecated", "explode"],
            Kind::Bool,
        );
        self.schema_or_content(header, pointer, "the header");
    }

    /// Parameters and headers are described by exactly one of `schema` and `content`.
    fn schema_or_content(
        &mut self,
        map: &serde_json::Map<String, Value>,
        pointer: &str,
        what: &str,
    ) {
        self.field(map, pointer, "description", Kind::String);
        self.entries(map, pointer, "examples", |shape, value, pointer, name| {
            shape.example(value, pointer, &format!("example `{name}`"));
        });
        match (map.get("schema"), map.get("content")) {
            (Some(schema), None) => self.schema(schema, &child(pointer, "schema"), "`schema`"),
            (None, Some(_)) => self.content(map, pointer),
            (Some(_), Some(_)) => self.error(Diagnostic::error(
                pointer,
                format!("{what} has both `schema` and `content`; it must have exactly one of them"),
            )),
            (None, None) => self.error(Diagnostic::error(
                pointer,
                format!("{what} has neither `schema` nor `content`; it must have one of them"),
            )),
        }
    }

    fn request_body(&mut self, value: &Value, pointer: &str, what: &str) {
        let Some(body) = self.item_or_ref(value, pointer, what) else {
            return;
        };
        self.field(body, pointer, "description", Kind::String);
        self.field(body, pointer, "required", Kind::Bool);
        if !body.contains_key("content") {
            self.error(Diagnostic::error(
                pointer,
                "the request body has no `content`, which is required",
            ));
        }
        self.content(body, pointer);
    }

    fn response(&mut self, value: &Value, pointer: &str, what: &str) {
        let Some(response) = self.item_or_ref(value, pointer, what) else {
            return;
        };
        self.required(
            response,
            pointer,
            "description",
            Kind::String,
            "the response",
        );
        self.entries(
            response,
            pointer,
            "headers",
            |shape, value, pointer, name| {
                shape.header(value, pointer, &format!("header `{name}`"));
            },
        );
        self.field(response, pointer, "links", Kind::Mapping);
        self.content(response, pointer);
    }

    /// The `content` field of `map`: media types.
    fn content(&mut self, map: &serde_json::Map<String, Value>, pointer: &str) {
        self.entries(map, pointer, "content", |shape, value, pointer, name| {
            let Some(media) = shape.mapping(value, pointer, &format!("media type `{name}`")) else {
                return;
            };
            if let Some(schema) = media.get("schema") {
                shape.schema(schema, &child(pointer, "schema"), "`schema`");
            }
            shape.entries(media, pointer, "examples", |shape, value, pointer, name| {
                shape.example(value, pointer, &format!("example `{name}`"));
            });
            shape.entries(media, pointer, "encoding", |shape, value, pointer, name| {
                shape.mapping(value, pointer, &format!("encoding `{name}`"));
            });
        });
    }

    fn example(&mut self, value: &Value, pointer: &str, what: &str) {
        let Some(example) = self.item_or_ref(value, pointer, what) else {
            return;
        };
        self.fields(
            example,
            pointer,
            &["summary", "description", "externalValue"],
            Kind::String,
        );
    }

    fn security_scheme(&mut self, value: &Value, pointer: &str, what: &str) {
        let Some(scheme) = self.item_or_ref(value, pointer, what) else {
            return;
        };
        let Some(Value::String(kind)) =
            self.required(scheme, pointer, "type", Kind::String, "the security scheme")
        else {
            return;
        };
        let what = format!("a security scheme of `type: {kind}`");
        match kind.as_str() {
            "apiKey" => {
                self.required(scheme, pointer, "name", Kind::String, &what);
                if let Some(Value::String(location)) = self.required(scheme, pointer, "in", Kind::String, &what) {
                    if !["query", "header", "cookie"].contains(&location.as_str()) {
                        self.error(Diagnostic::error(
                            child(pointer, "in"),
                            format!("`in: {location}` is not an API key location; expected `query`, `header` or `cookie`"),
                        ));
                    }
                }
            }
            "http" => {
                self.required(scheme, pointer, "scheme", Kind::String, &what);
                self.field(scheme, pointer, "bearerFormat", Kind::String);
            }
            "oauth2" => {
                self.required(scheme, pointer, "flows", Kind::Mapping, &what);
            }
            "openIdConnect" => {
                self.required(scheme, pointer, "openIdConnectUrl", Kind::String, &what);
            }
            other => self.error(Diagnostic::error(
                child(pointer, "type"),
                format!("`type: {other}` is not a security scheme type; expected `apiKey`, `http`, `oauth2` or `openIdConnect`"),
            )),
        }
        self.field(scheme, pointer, "description", Kind::String);
    }

    /// A schema or a reference to one.
    fn schema(&mut self, value: &Value, pointer: &str, what: &str) {
        let Some(schema) = self.item_or_ref(value, pointer, what) else {
            return;
        };
        self.fields(
            schema,
            pointer,
            &["type", "format", "pattern", "title", "description"],
            Kind::String,
        );
        self.fields(
            schema,
            pointer,
            &["multipleOf", "minimum", "maximum"],
            Kind::Number,
        );
        let flags = [
            "exclusiveMinimum",
            "exclusiveMaximum",
            "uniqueItems",
            "nullable",
            "readOnly",
            "writeOnly",
            "deprecated",
        ];
        self.fields(schema, pointer, &flags, Kind::Bool);
        let counts = [
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
        ];
        self.fields(schema, pointer, &counts, Kind::Count);
        self.field(schema, pointer, "required", Kind::StringList);
        self.field(schema, pointer, "enum", Kind::List);
        self.entries(
            schema,
            pointer,
            "properties",
            |shape, value, pointer, name| {
                shape.schema(value, pointer, &format!("property `{name}`"));
            },
        );
        if let Some(items) = schema.get("items") {
            self.schema(items, &child(pointer, "items"), "`items`");
        }
        if let Some(not) = schema.get("not") {
            self.schema(not, &child(pointer, "not"), "`not`");
        }
        match schema.get("additionalProperties") {
            None | Some(Value::Bool(_)) => {}
            Some(other) => self.schema(
                other,
                &child(pointer, "additionalProperties"),
                "`additionalProperties`",
            ),
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            self.items(schema, pointer, key, |shape, value, pointer| {
                shape.schema(value, pointer, "a member schema")
            });
        }
        if let Some(Value::Object(discriminator)) =
            self.field(schema, pointer, "discriminator", Kind::Mapping)
        {
            let at = child(pointer, "discriminator");
            self.required(
                discriminator,
                &at,
                "propertyName",
                Kind::String,
                "the discriminator",
            );
            self.entries(discriminator, &at, "mapping", |shape, value, pointer, name| {
                if !value.is_string() {
                    shape.error(Diagnostic::error(
                        pointer,
                        format!("the mapping of `{name}` must be a string (a schema name or `$ref`), found {}", json_kind(value)),
                    ));
                }
            });
        }
        if let Some(Value::Object(docs)) =
            self.field(schema, pointer, "externalDocs", Kind::Mapping)
        {
            self.required(
                docs,
                &child(pointer, "externalDocs"),
                "url",
                Kind::String,
                "`externalDocs`",
            );
        }
    }
}

/// `200`, `404`, `2XX`: what openapiv3 accepts as a response key.
fn is_status_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    match bytes {
        [first, rest @ ..] if bytes.len() == 3 && first.is_ascii_digit() => {
            (rest.iter().all(u8::is_ascii_digit) && *first != b'0')
                || rest.iter().all(|b| b.eq_ignore_ascii_case(&b'x'))
        }
        _ => false,
    }
}

/// Checks the document's structure; `Err` when something is wrong (all of it reported).
fn check_structure(raw: &Value, diagnostics: &mut Diagnostics) -> Result<(), Failed> {
    let Some(root) = raw.as_object() else {
        return Err(Failed);
    };
    let mut shape = Shape {
        diagnostics,
        failed: false,
    };
    shape.document(root);
    if shape.failed {
        Err(Failed)
    } else {
        Ok(())
    }
}

/// How deeply flow collections (`[...]`, `{...}`) may nest. The YAML parser
/// spends time proportional to the current flow depth on every token, so a
/// document of 100 000 `[`s takes minutes to refuse; the deserializer refuses
/// more than 128 levels of any nesting anyway.
const MAX_FLOW_DEPTH: usize = 256;

/// Scans `text` the way a YAML scanner sees flow collections (skipping
/// comments, quoted scalars, block scalars and `[`/`{` inside plain scalars)
/// and returns the 1-based line and column of the first `[` or `{` nested more
/// than `limit` deep. Only the structure needed to find flow indicators is
/// modelled; anything odd is left for the real parser to report.
fn flow_nesting_exceeds(text: &str, limit: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let blank_at = |i: usize| i >= bytes.len() || matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n');
    let line_end = |i: usize| {
        bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| i + p)
    };
    let mut i = 0;
    let mut depth = 0usize;
    // Block context: whether a node may start here, and the column that a
    // block scalar's lines must be indented beyond.
    let mut node_start = true;
    let mut in_plain = false;
    let mut token_column = 0usize;
    let mut owner_column = 0usize;
    let mut line_indent = 0usize;
    let mut block_scalar: Option<usize> = None;
    // Start of the line holding `i`, advanced monotonically so columns cost nothing.
    let mut line_start = 0usize;
    let mut seen_to = 0usize;
    let mut line_done = usize::MAX;
    while i < bytes.len() {
        if depth == 0 && (i == 0 || bytes[i - 1] == b'\n') && line_done != i {
            let indent = bytes[i..].iter().take_while(|&&b| b == b' ').count();
            let end = line_end(i);
            let blank = bytes[i + indent..end]
                .iter()
                .all(|b| b.is_ascii_whitespace());
            if let Some(parent) = block_scalar {
                if blank || indent > parent {
                    i = end + 1;
                    continue;
                }
                block_scalar = None;
            }
            // A plain scalar continues on more deeply indented lines.
            if !(in_plain && !blank && indent > line_indent) {
                if !blank {
                    line_indent = indent;
                }
                owner_column = indent;
                node_start = true;
                in_plain = false;
            }
            i += indent;
            line_done = i;
            continue;
        }
        let c = bytes[i];
        let after_blank = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\r' | b'\n');
        if c == b'#' && after_blank {
            // A comment ends a plain scalar.
            in_plain = false;
            i = line_end(i);
            continue;
        }
        if depth == 0 {
            if let Some(p) = bytes[seen_to..i].iter().rposition(|&b| b == b'\n') {
                line_start = seen_to + p + 1;
            }
            seen_to = i;
            let column = i - line_start;
            match c {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b':' if blank_at(i + 1) => {
                    owner_column = token_column;
                    node_start = true;
                    in_plain = false;
                    i += 1;
                }
                _ if !node_start => i += 1,
                b'-' | b'?' | b':' if blank_at(i + 1) => {
                    owner_column = column;
                    i += 1;
                }
                b'&' | b'!' => {
                    while i < bytes.len() && !blank_at(i) {
                        i += 1;
                    }
                }
                b'[' | b'{' => {
                    depth = 1;
                    in_plain = false;
                    node_start = false;
                    i += 1;
                }
                b'|' | b'>' => {
                    block_scalar = Some(owner_column);
                    node_start = false;
                    i = line_end(i);
                }
                b'"' | b'\'' => {
                    token_column = column;
                    node_start = false;
                    i = skip_quoted(bytes, i);
                }
                _ => {
                    token_column = column;
                    node_start = false;
                    in_plain = true;
                    i += 1;
                }
            }
            continue;
        }
        // Flow context.
        if in_plain {
            match c {
                b',' | b'[' | b']' | b'{' | b'}' => in_plain = false,
                b':' if blank_at(i + 1) => {
                    in_plain = false;
                    i += 1;
                    continue;
                }
                _ => {
                    i += 1;
                    continue;
                }
            }
        }
        match c {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    let line = text[..i].matches('\n').count() + 1;
                    let column = text[text[..i].rfind('\n').map_or(0, |p| p + 1)..i]
                        .chars()
                        .count()
                        + 1;
                    return Some((line, column));
                }
                i += 1;
            }
            b']' | b'}' => {
                depth -= 1;
                i += 1;
            }
            b'"' | b'\'' => i = skip_quoted(bytes, i),
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' | b'?' => i += 1,
            b'&' | b'!' | b'*' => {
                while i < bytes.len()
                    && !blank_at(i)
                    && !matches!(bytes[i], b',' | b'[' | b']' | b'{' | b'}')
                {
                    i += 1;
                }
            }
            _ => {
                in_plain = true;
                i += 1;
            }
        }
    }
    None
}

/// The index just past the quoted scalar starting at `start` (a `'` or `"`).
fn skip_quoted(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_nesting_is_measured_like_yaml() {
        assert_eq!(flow_nesting_exceeds("a: [[[1]]]\n", 3), None);
        assert_eq!(flow_nesting_exceeds("a: [[[[1]]]]\n", 3), Some((1, 7)));
        assert_eq!(flow_nesting_exceeds("a: {b: [{c: 1}]}\n", 3), None);
        assert_eq!(
            flow_nesting_exceeds("a: {b: [{c: [1]}]}\n", 3),
            Some((1, 13))
        );
        // Not flow collections: plain scalars, quoted scalars, comments, block scalars.
        assert_eq!(
            flow_nesting_exceeds("a: x[[[[\nb: '[[[[' # [[[[\n", 3),
            None
        );
        assert_eq!(
            flow_nesting_exceeds("a: \"[[\\\"[[\"\nb: [\"]]]]\", '[[''[[']\n", 3),
            None
        );
        assert_eq!(
            flow_nesting_exceeds("- d: |\n    [[[[\n    {{{{\n  e: [1]\n", 3),
            None
        );
        assert_eq!(flow_nesting_exceeds("a: text\n  [[[[ more text\n", 3), None);
        assert_eq!(
            flow_nesting_exceeds("a: [x[y, 'z[', b #[[[\n  , [[[1]]]]\n", 3),
            Some((2, 6))
        );
        // Quotes inside a flow plain scalar are text.
        assert_eq!(
            flow_nesting_exceeds("a: [don't, [[[1]]]]\n", 3),
            Some((1, 14))
        );
        // After a block scalar ends, flow collections count again.
        assert_eq!(
            flow_nesting_exceeds("a: >\n  [[[[\nb: [[[[1]]]]\n", 3),
            Some((3, 7))
        );
    }

    #[test]
    fn real_documents_nest_shallowly() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/specs/sunshine-conversations/"
        );
        let project = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/sunshine-conversations.yaml"
        );
        let mut paths = vec![std::path::PathBuf::from(project)];
        for version in ["9.1.0", "15.4.0", "17.12.1"] {
            paths.push(std::path::Path::new(dir).join(format!("openapi-{version}.yaml")));
        }
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "{} is missing",
                    path.display()
                );
                eprintln!("skipping {}: not present", path.display());
                continue;
            };
            assert_eq!(flow_nesting_exceeds(&text, 3), None, "{}", path.display());
        }
    }
}
