//! Choosing the variant of an untagged union by the shape of a JSON value.
//!
//! Generated code decodes with this module, and the generator (which depends
//! on this crate) uses it to predict what that code decodes each example into.

use serde_json::Value;

/// The JSON a variant of an untagged union accepts.
#[derive(Debug, Clone, Copy)]
pub enum Shape<'a> {
    /// An object; `known` are its properties, `required` those it must have.
    Object {
        /// The properties the variant declares.
        known: &'a [&'a str],
        /// The properties it cannot do without.
        required: &'a [&'a str],
    },
    /// A string.
    String,
    /// A number.
    Number,
    /// A boolean.
    Bool,
    /// An array.
    Array,
    /// Any value at all.
    Any,
}

impl<'a> Shape<'a> {
    /// [`Shape::Object`], written shorter in generated unions.
    pub const fn object(known: &'a [&'a str], required: &'a [&'a str]) -> Self {
        Shape::Object { known, required }
    }
}

/// Indices of the variants worth trying for `value`, best fit first: for an
/// object, the variants whose required properties are all present, ordered by
/// how many of the object's properties they know (then by fewest unknown);
/// variants accepting anything come last.
pub fn candidates(value: &Value, shapes: &[Shape<'_>]) -> Vec<usize> {
    let mut scored: Vec<(usize, usize, usize)> = Vec::new();
    let mut fallbacks = Vec::new();
    for (index, shape) in shapes.iter().enumerate() {
        match (shape, value) {
            (Shape::Object { known, required }, Value::Object(map))
                if required.iter().all(|r| map.contains_key(*r)) =>
            {
                let matched = map.keys().filter(|k| known.contains(&k.as_str())).count();
                scored.push((index, matched, map.len() - matched));
            }
            (Shape::String, Value::String(_))
            | (Shape::Number, Value::Number(_))
            | (Shape::Bool, Value::Bool(_))
            | (Shape::Array, Value::Array(_)) => scored.push((index, 1, 0)),
            (Shape::Any, _) => fallbacks.push(index),
            _ => {}
        }
    }
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)).then(a.0.cmp(&b.0)));
    scored
        .into_iter()
        .map(|(index, _, _)| index)
        .chain(fallbacks)
        .collect()
}
