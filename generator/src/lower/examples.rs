//! Checks each example of the document against the type it belongs to, and
//! works out the JSON the generated type must give back after a round trip.
//!
//! The round trip may differ from the example only in documented ways:
//! `null` for an optional property read as `Option` is left out; a fixed
//! discriminator is written with its one value; a number of a
//! floating-point property is written as a float; a property the schema does
//! not declare is dropped (a defect of the document, reported as a warning).
//! An example that contradicts its schema (wrong type, missing required
//! property) must be rejected by the generated type instead.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

// The generated crate's own variant picker, so the prediction cannot drift from it.
use sunshine_facts::shape;

use crate::diagnostics::{child, Diagnostic, Diagnostics};
use crate::model::{
    Example, Presence, Shape, StructDef, Tagging, TypeDef, TypeId, TypeKind, TypeRef, UnionDef,
};

/// Fills in `expected` for every example, warning about the document's defects.
pub(super) fn check_examples(
    examples: &mut [Example],
    types: &BTreeMap<TypeId, TypeDef>,
    diagnostics: &mut Diagnostics,
) {
    for example in examples {
        let mut checker = Checker {
            types,
            notes: Vec::new(),
            depth: 0,
        };
        match checker.expected(&example.ty, &example.value, &example.pointer) {
            Ok(expected) => example.expected = Some(expected),
            Err(Problem { pointer, message }) => {
                diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("this example contradicts its schema: {message}; the generated type rejects the example"),
                ));
                example.expected = None;
            }
        }
        for Problem { pointer, message } in checker.notes {
            diagnostics.push(Diagnostic::warning(pointer, message));
        }
    }
}

/// Something about an example, and where exactly.
struct Problem {
    pointer: String,
    message: String,
}

impl Problem {
    fn at(pointer: &str, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.to_owned(),
            message: message.into(),
        }
    }
}

struct Checker<'a> {
    types: &'a BTreeMap<TypeId, TypeDef>,
    notes: Vec<Problem>,
    depth: usize,
}

impl Checker<'_> {
    fn expected(&mut self, ty: &TypeRef, value: &Value, at: &str) -> Result<Value, Problem> {
        if self.depth > 128 {
            return Err(Problem::at(at, "nested too deeply"));
        }
        self.depth += 1;
        let result = self.expected_inner(ty, value, at);
        self.depth -= 1;
        result
    }

    fn expected_inner(&mut self, ty: &TypeRef, value: &Value, at: &str) -> Result<Value, Problem> {
        let mismatch = |expected: &str| {
            Err(Problem::at(
                at,
                format!(
                    "expected {expected}, found {}",
                    crate::load::json_kind(value)
                ),
            ))
        };
        match (ty, value) {
            (TypeRef::String, Value::String(_)) | (TypeRef::Bool, Value::Bool(_)) => {
                Ok(value.clone())
            }
            (TypeRef::String, _) => mismatch("a string"),
            (TypeRef::Bool, _) => mismatch("a boolean"),
            (TypeRef::I32, Value::Number(n))
                if n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()) =>
            {
                Ok(value.clone())
            }
            (TypeRef::I64, Value::Number(n)) if n.is_i64() => Ok(value.clone()),
            (TypeRef::I32 | TypeRef::I64, _) => mismatch("an integer in range"),
            (TypeRef::F32, Value::Number(n)) => Ok(n
                .as_f64()
                .map(|f| f as f32 as f64)
                .map_or(Value::Null, Value::from)),
            (TypeRef::F64, Value::Number(n)) => Ok(n.as_f64().map_or(Value::Null, Value::from)),
            (TypeRef::F32 | TypeRef::F64, _) => mismatch("a number"),
            (TypeRef::Binary, _) => Err(Problem::at(at, "a file upload has no JSON form")),
            (TypeRef::Json, _) => Ok(value.clone()),
            (TypeRef::Object, Value::Object(_)) => Ok(value.clone()),
            (TypeRef::Object, _) => mismatch("an object"),
            (TypeRef::Array(item), Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| self.expected(item, v, &child(at, &i.to_string())))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            (TypeRef::Array(_), _) => mismatch("an array"),
            (TypeRef::Map(values), Value::Object(map)) => {
                let mut out = Map::new();
                for (key, v) in map {
                    out.insert(key.clone(), self.expected(values, v, &child(at, key))?);
                }
                Ok(Value::Object(out))
            }
            (TypeRef::Map(_), _) => mismatch("an object"),
            (TypeRef::Named(id), _) => {
                let Some(def) = self.types.get(id) else {
                    return Ok(value.clone());
                };
                match &def.kind {
                    TypeKind::StringEnum(_) if value.is_string() => Ok(value.clone()),
                    TypeKind::StringEnum(_) => mismatch("a string"),
                    TypeKind::Struct(s) => self.structure(def, s, value, at),
                    TypeKind::Union(u) => self.union(def, u, value, at),
                }
            }
        }
    }

    fn structure(
        &mut self,
        def: &TypeDef,
        s: &StructDef,
        value: &Value,
        at: &str,
    ) -> Result<Value, Problem> {
        let Value::Object(map) = value else {
            return Err(Problem::at(
                at,
                format!(
                    "expected an object, found {}",
                    crate::load::json_kind(value)
                ),
            ));
        };
        let mut out = Map::new();
        for field in &s.fields {
            match (map.get(&field.json_name), field.presence) {
                (None, Presence::Required | Presence::RequiredNullable) => {
                    return Err(Problem::at(
                        at,
                        format!("the required property `{}` is missing", field.json_name),
                    ));
                }
                (None, _) => {}
                (Some(Value::Null), Presence::Required) => {
                    return Err(Problem::at(
                        &child(at, &field.json_name),
                        "`null`, but the property is not nullable",
                    ));
                }
                // Documented difference: an optional property read as `null`
                // is `None`, which is left out.
                (Some(Value::Null), Presence::Optional) => {}
                (Some(Value::Null), _) => {
                    out.insert(field.json_name.clone(), Value::Null);
                }
                (Some(v), _) => {
                    let expected = self.expected(&field.ty, v, &child(at, &field.json_name))?;
                    out.insert(field.json_name.clone(), expected);
                }
            }
        }
        // A fixed discriminator is ignored when decoding and always written.
        if let Some(tag) = &s.tag {
            out.insert(tag.property.clone(), Value::String(tag.value.clone()));
        }
        for (key, v) in map {
            if s.fields.iter().any(|f| &f.json_name == key)
                || s.tag.as_ref().is_some_and(|t| &t.property == key)
            {
                continue;
            }
            match &s.additional {
                Some(ty) => {
                    let expected = self.expected(ty, v, &child(at, key))?;
                    out.insert(key.clone(), expected);
                }
                None => self.notes.push(Problem::at(
                    &child(at, key),
                    format!("this example has a property `{key}` that `{}` does not declare; the generated type drops it", def.name),
                )),
            }
        }
        Ok(Value::Object(out))
    }

    fn union(
        &mut self,
        def: &TypeDef,
        u: &UnionDef,
        value: &Value,
        at: &str,
    ) -> Result<Value, Problem> {
        match &u.tagging {
            Tagging::Tagged { property } => {
                let tag = value.get(property).and_then(Value::as_str);
                match u
                    .variants
                    .iter()
                    .find(|v| tag.is_some_and(|t| v.tags.iter().any(|x| x == t)))
                {
                    Some(variant) => {
                        let mut expected = self.expected(&variant.ty, value, at)?;
                        // The tag is written back even when the variant type lacks the property.
                        if let (Value::Object(map), Some(tag)) = (&mut expected, tag) {
                            map.entry(property.clone())
                                .or_insert_with(|| Value::String(tag.to_owned()));
                        }
                        Ok(expected)
                    }
                    None if u.fallback.is_some() => Ok(value.clone()),
                    None => Err(Problem::at(
                        at,
                        format!("`{property}` selects no variant of `{}`", def.name),
                    )),
                }
            }
            Tagging::Untagged => {
                // The same order the generated code tries the variants in.
                let lists: Vec<(Vec<&str>, Vec<&str>)> = u
                    .variants
                    .iter()
                    .map(|v| match &v.shape {
                        Shape::Object { known, required } => (
                            known.iter().map(String::as_str).collect(),
                            required.iter().map(String::as_str).collect(),
                        ),
                        _ => (Vec::new(), Vec::new()),
                    })
                    .collect();
                let shapes: Vec<shape::Shape<'_>> = u
                    .variants
                    .iter()
                    .zip(&lists)
                    .map(|(v, (known, required))| match &v.shape {
                        Shape::Object { .. } => shape::Shape::Object { known, required },
                        Shape::String => shape::Shape::String,
                        Shape::Number => shape::Shape::Number,
                        Shape::Bool => shape::Shape::Bool,
                        Shape::Array => shape::Shape::Array,
                        Shape::Any => shape::Shape::Any,
                    })
                    .collect();
                let mut last =
                    Problem::at(at, format!("the value matches no shape of `{}`", def.name));
                for index in shape::candidates(value, &shapes) {
                    let saved = self.notes.len();
                    match self.expected(&u.variants[index].ty, value, at) {
                        Ok(expected) => return Ok(expected),
                        Err(problem) => {
                            self.notes.truncate(saved);
                            last = problem;
                        }
                    }
                }
                Err(last)
            }
        }
    }
}

/// The examples of the document as they are checked: a shared example once
/// per type it is used with, and none of a type that no longer exists (one
/// only a moved discriminator used); then each checked against its type.
pub(super) fn settle(
    examples: &mut Vec<Example>,
    types: &BTreeMap<TypeId, TypeDef>,
    diagnostics: &mut Diagnostics,
) {
    examples.sort_by(|a, b| (&a.pointer, &a.ty).cmp(&(&b.pointer, &b.ty)));
    examples.dedup_by(|a, b| a.pointer == b.pointer && a.ty == b.ty);
    examples.retain(|e| mentions_only_known(&e.ty, types));
    check_examples(examples, types, diagnostics);
}

fn mentions_only_known(ty: &TypeRef, types: &BTreeMap<TypeId, TypeDef>) -> bool {
    match ty {
        TypeRef::Named(id) => types.contains_key(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => mentions_only_known(inner, types),
        _ => true,
    }
}
