//! A uniform view of an OpenAPI schema.
//!
//! openapiv3 splits schemas into typed kinds and a catch-all `AnySchema` (for
//! mixtures such as `type: object` with `allOf`). Lowering reads both through
//! this one view so that no construct is handled in one form and missed in
//! the other.

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// A schema or a reference to one, whatever openapiv3 boxed it in.
#[derive(Clone, Copy)]
pub enum SchemaRef<'a> {
    /// `$ref: '#/components/schemas/name'`.
    Ref(&'a str),
    /// An inline schema.
    Inline(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for SchemaRef<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(schema) => SchemaRef::Inline(schema),
        }
    }
}

/// The primitive `type` of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    String,
    Integer,
    Number,
    Boolean,
    Object,
    Array,
}

/// Everything lowering needs from one schema, in one shape.
pub struct View<'a> {
    pub data: &'a SchemaData,
    pub primitive: Option<Primitive>,
    /// `format`, as written.
    pub format: Option<String>,
    /// `enum` values (strings, numbers… as JSON).
    pub enumeration: Vec<Value>,
    pub properties: Vec<(&'a str, SchemaRef<'a>)>,
    pub required: &'a [String],
    pub additional: Option<&'a AdditionalProperties>,
    pub items: Option<SchemaRef<'a>>,
    pub all_of: &'a [ReferenceOr<Schema>],
    pub one_of: &'a [ReferenceOr<Schema>],
    pub any_of: &'a [ReferenceOr<Schema>],
    pub has_not: bool,
    /// `typ` of an `AnySchema` that is not one of the six known types.
    pub unknown_type: Option<&'a str>,
}

const NO_SCHEMAS: &[ReferenceOr<Schema>] = &[];
const NO_NAMES: &[String] = &[];

impl<'a> View<'a> {
    /// Reads `schema`; `raw` is the same schema as JSON (openapiv3 drops `enum`
    /// from `AnySchema`, so it is read from there).
    pub fn new(schema: &'a Schema, raw: Option<&Value>) -> Self {
        let mut view = View {
            data: &schema.schema_data,
            primitive: None,
            format: None,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: NO_NAMES,
            additional: None,
            items: None,
            all_of: NO_SCHEMAS,
            one_of: NO_SCHEMAS,
            any_of: NO_SCHEMAS,
            has_not: false,
            unknown_type: None,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                view.primitive = Some(Primitive::String);
                view.format = format_name(&t.format, |f| match f {
                    StringFormat::Date => "date",
                    StringFormat::DateTime => "date-time",
                    StringFormat::Password => "password",
                    StringFormat::Byte => "byte",
                    StringFormat::Binary => "binary",
                });
                view.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                view.primitive = Some(Primitive::Integer);
                view.format = format_name(&t.format, |f| match f {
                    IntegerFormat::Int32 => "int32",
                    IntegerFormat::Int64 => "int64",
                });
                view.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Number(t)) => {
                view.primitive = Some(Primitive::Number);
                view.format = format_name(&t.format, |f| match f {
                    NumberFormat::Float => "float",
                    NumberFormat::Double => "double",
                });
                view.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                view.primitive = Some(Primitive::Boolean);
                view.enumeration = t
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(t)) => {
                view.primitive = Some(Primitive::Object);
                view.properties = t
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.into()))
                    .collect();
                view.required = &t.required;
                view.additional = t.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(t)) => {
                view.primitive = Some(Primitive::Array);
                view.items = t.items.as_ref().map(Into::into);
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of,
            SchemaKind::AllOf { all_of } => view.all_of = all_of,
            SchemaKind::AnyOf { any_of } => view.any_of = any_of,
            SchemaKind::Not { .. } => view.has_not = true,
            SchemaKind::Any(any) => {
                view.primitive = match any.typ.as_deref() {
                    Some("string") => Some(Primitive::String),
                    Some("integer") => Some(Primitive::Integer),
                    Some("number") => Some(Primitive::Number),
                    Some("boolean") => Some(Primitive::Boolean),
                    Some("object") => Some(Primitive::Object),
                    Some("array") => Some(Primitive::Array),
                    Some(other) => {
                        view.unknown_type = Some(other);
                        None
                    }
                    None if !any.properties.is_empty() || any.additional_properties.is_some() => {
                        Some(Primitive::Object)
                    }
                    None if any.items.is_some() => Some(Primitive::Array),
                    None => None,
                };
                view.format = any.format.clone();
                view.properties = any
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.into()))
                    .collect();
                view.required = &any.required;
                view.additional = any.additional_properties.as_ref();
                view.items = any.items.as_ref().map(Into::into);
                view.all_of = &any.all_of;
                view.one_of = &any.one_of;
                view.any_of = &any.any_of;
                view.has_not = any.not.is_some();
                if let Some(Value::Array(values)) = raw.and_then(|r| r.get("enum")) {
                    view.enumeration = values.clone();
                }
            }
        }
        view
    }

    /// The `oneOf` or `anyOf` members, whichever is present (oneOf first).
    pub fn union_members(&self) -> (&'a [ReferenceOr<Schema>], &'static str) {
        if !self.one_of.is_empty() {
            (self.one_of, "oneOf")
        } else {
            (self.any_of, "anyOf")
        }
    }
}

fn format_name<T>(
    format: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}
