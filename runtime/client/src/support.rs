//! Helpers the generated types and operations share: serde glue for
//! unions, query-string values, error descriptions and deliveries.

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};

/// Decodes a union variant from the JSON value already read.
pub fn from_value<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Serializes a tagged-union variant with the variant's tag: the variant,
/// not a stray value in its own tag property, decides what is written.
pub fn serialize_tagged<T: Serialize, S: Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        map.insert(
            property.to_owned(),
            serde_json::Value::String(tag.to_owned()),
        );
    }
    json.serialize(serializer)
}

/// The text of a value in a query string or header: strings as they are,
/// numbers and booleans in JSON notation, anything else as compact JSON.
pub fn query_value<T: Serialize + ?Sized>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(text)) => text,
        Ok(other) => other.to_string(),
        // Only maps with non-string keys fail to serialize; none are generated.
        Err(_) => String::new(),
    }
}

/// Percent-encodes a server variable's value for its place in the URL, so
/// that a value such as `evil.example/` can never move the request to another
/// host or path: only `A-Z a-z 0-9 - . _ ~` are kept as they are.
pub fn url_part(value: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(value, KEEP).to_string()
}

/// Writes a documented error status and a short rendering of its body.
pub fn describe_error<T: Serialize>(
    f: &mut std::fmt::Formatter<'_>,
    status: &str,
    body: &T,
) -> std::fmt::Result {
    const LIMIT: usize = 300;
    let text = serde_json::to_string(body).unwrap_or_default();
    if text.len() <= LIMIT {
        write!(f, "{status}: {text}")
    } else {
        let mut end = LIMIT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        write!(f, "{status}: {}…", &text[..end])
    }
}

/// Reads a delivery's list of events; an absent or `null` list is empty.
/// Used by the generated delivery structs.
pub fn events_or_empty<'de, D: serde::Deserializer<'de>, E: DeserializeOwned>(
    deserializer: D,
) -> Result<Vec<crate::webhook::DeliveredEvent<E>>, D::Error> {
    <Option<Vec<crate::webhook::DeliveredEvent<E>>> as serde::Deserialize>::deserialize(
        deserializer,
    )
    .map(Option::unwrap_or_default)
}

/// JSON, as error answers carry it.
pub use serde_json::Value as Json;
