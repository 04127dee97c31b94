//! Stage 1, load: bytes → a checked `openapiv3::OpenAPI` plus the `x-webhooks`
//! section, which openapiv3 keeps as a raw extension.
//!
//! Hostile input is refused before the YAML parser sees it: text that is not
//! UTF-8, control characters, and flow collections nested so deeply that the
//! parser would take minutes (its cost grows with the square of the depth).
//! The YAML parser itself bounds alias expansion ("billion laughs") and
//! nesting (128 levels).
//!
//! The document is then read as plain YAML so that version mismatches and
//! known defects of the published spec can be reported (or repaired with a
//! warning), and its structure is checked with every problem located, before
//! the strict typed parse, whose errors carry a JSON pointer.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem};
use serde_json::Value;

use crate::diagnostics::{child, Diagnostic, Diagnostics};

mod failure;
mod repair;
mod scan;
mod structure;

pub(crate) use failure::json_kind;
pub use failure::Failed;
use repair::repair_misplaced_required;
use scan::{flow_nesting_exceeds, MAX_FLOW_DEPTH};
use structure::check_structure;

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
    /// SHA-256 of the document's bytes, lower-case hex.
    pub sha256: String,
}

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
                    match err.error_len() {
                        Some(_) => format!(
                            "the document is not UTF-8 text: byte 0x{:02X} is not valid here",
                            bytes[err.valid_up_to()]
                        ),
                        None => {
                            "the document is not UTF-8 text: it ends in the middle of a character"
                                .to_owned()
                        }
                    },
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
    if let Some((index, c)) = first_control_character(text) {
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
    let mut raw = to_json(yaml, &Location::Root, diagnostics)?;
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
        sha256: crate::source::sha256_hex(bytes),
    })
}

/// The first control character YAML forbids (all but tab, line breaks and
/// NEL), with its byte index.
fn first_control_character(text: &str) -> Option<(usize, char)> {
    // Control characters are C0 and DEL (single bytes) and C1 (U+0080 to
    // U+009F, two bytes starting 0xC2): a byte scan rules most documents out
    // without decoding a character.
    let suspect =
        |b: &u8| (*b < 0x20 && !matches!(*b, b'\t' | b'\n' | b'\r')) || *b == 0x7F || *b == 0xC2;
    if !text.as_bytes().iter().any(suspect) {
        return None;
    }
    text.char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{85}'))
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
    // Tracking the path costs an allocation per key; only a document that
    // fails is read a second time, to say where.
    if let Ok(typed) = T::deserialize(value) {
        return Ok(typed);
    }
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

/// Where a node of the document sits. Its JSON pointer is only spelled out
/// when something is reported there: most nodes never need it.
enum Location<'a> {
    Root,
    Key(&'a Location<'a>, &'a str),
    Index(&'a Location<'a>, usize),
}

impl Location<'_> {
    fn pointer(&self) -> String {
        match self {
            Location::Root => "#".to_owned(),
            Location::Key(parent, key) => child(&parent.pointer(), key),
            Location::Index(parent, index) => child(&parent.pointer(), &index.to_string()),
        }
    }
}

/// Converts YAML into JSON, turning scalar mapping keys (such as an unquoted
/// status code `200`) into strings and refusing what JSON cannot express.
fn to_json(
    yaml: serde_yaml::Value,
    location: &Location<'_>,
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
                            location.pointer(),
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
                    &Location::Index(location, index),
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
                            location.pointer(),
                            format!(
                                "a mapping key must be a string, found {}",
                                yaml_kind(&other)
                            ),
                        );
                        return Err(Failed);
                    }
                };
                let value = to_json(value, &Location::Key(location, &key), diagnostics)?;
                out.insert(key, value);
            }
            Value::Object(out)
        }
        serde_yaml::Value::Tagged(tagged) => {
            diagnostics.push(
                Diagnostic::error(
                    location.pointer(),
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
    // A Swagger document has `swagger` and no `openapi`.
    if let (Some(swagger), None) = (root.get("swagger"), root.get("openapi")) {
        let version = match swagger {
            Value::String(_) | Value::Number(_) => format!("Swagger {}", show(swagger)),
            _ => "Swagger".to_owned(),
        };
        diagnostics.push(
            Diagnostic::error(
                "#/swagger",
                format!("{version} documents are not supported; only OpenAPI 3.0.x documents are"),
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
