//! The structure check: every shape the typed parse relies on, located.
//!
//! `openapiv3` parses schemas, parameters and references through untagged,
//! internally tagged and flattened enums, whose errors lose the place inside
//! them (a wrong `properties` is reported at the schema, a wrong parameter at
//! `#/paths`) and stop at the first problem. This walk checks the shapes the
//! typed parse relies on, reports every problem with its exact place, and warns
//! about entries the typed parse would silently drop. The typed parse stays the
//! final word for anything not covered here.

use serde_json::Value;

use super::failure::{json_kind, Failed};
use crate::diagnostics::{child, Diagnostic, Diagnostics};

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
        let info = self.required(root, "#", "info", Kind::Mapping, "the document");
        if let Some(info) = info.and_then(Value::as_object) {
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
pub(super) fn check_structure(raw: &Value, diagnostics: &mut Diagnostics) -> Result<(), Failed> {
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
