//! How the crate spells a type: one value, printed as tokens by the
//! emitters (`emit::common::tokens`) and as text by the change report
//! ([`std::fmt::Display`]), so both see the same type.

use std::fmt;

use crate::model::{Api, Field, Parameter, Presence, TypeRef};

/// A Rust type of the generated crate's public API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RustType {
    /// `String`.
    String,
    /// `str`, behind a reference (`&str` arguments).
    Str,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// The runtime's `Upload`, re-exported at the crate's root.
    Upload,
    /// `serde_json::Value`.
    Json,
    /// `serde_json::Map<String, serde_json::Value>`.
    Object,
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustType>),
    /// A type of the crate's `types` module, by name.
    Named(String),
    /// An item of the module the type is written in (an operation's
    /// `{Op}Params` in its tag's module), by name.
    Item(String),
    /// `Box<T>`.
    Boxed(Box<RustType>),
    /// `Option<T>`.
    Option(Box<RustType>),
    /// The runtime's `Nullable<T>`, re-exported at the crate's root.
    Nullable(Box<RustType>),
    /// `&T`.
    Ref(Box<RustType>),
}

impl RustType {
    /// The type of a reference to the model's types.
    pub fn of(api: &Api, ty: &TypeRef) -> Self {
        match ty {
            TypeRef::String => RustType::String,
            TypeRef::Bool => RustType::Bool,
            TypeRef::I32 => RustType::I32,
            TypeRef::I64 => RustType::I64,
            TypeRef::F32 => RustType::F32,
            TypeRef::F64 => RustType::F64,
            TypeRef::Binary => RustType::Upload,
            TypeRef::Json => RustType::Json,
            TypeRef::Object => RustType::Object,
            TypeRef::Array(item) => RustType::Vec(Box::new(Self::of(api, item))),
            TypeRef::Map(value) => RustType::Map(Box::new(Self::of(api, value))),
            TypeRef::Named(id) => RustType::Named(
                api.type_def(id)
                    .map_or_else(|| "UnknownType".to_owned(), |def| def.name.clone()),
            ),
        }
    }

    /// A struct field's full type: boxing, then the `Option` or `Nullable`
    /// of its presence.
    pub fn of_field(api: &Api, field: &Field) -> Self {
        let mut ty = Self::of(api, &field.ty);
        if field.boxed {
            ty = RustType::Boxed(Box::new(ty));
        }
        match field.presence {
            Presence::Required => ty,
            Presence::RequiredNullable | Presence::Optional => RustType::Option(Box::new(ty)),
            Presence::OptionalNullable => RustType::Nullable(Box::new(ty)),
        }
    }

    /// The type of a query or header parameter's field in `{Op}Params`.
    pub fn of_param_field(api: &Api, param: &Parameter) -> Self {
        let ty = Self::of(api, &param.ty);
        match param.required {
            true => ty,
            false => RustType::Option(Box::new(ty)),
        }
    }

    /// The type of a path parameter's argument: `&str` for a string, else
    /// a reference to its type.
    pub fn of_path_argument(api: &Api, param: &Parameter) -> Self {
        match &param.ty {
            TypeRef::String => RustType::Ref(Box::new(RustType::Str)),
            other => RustType::Ref(Box::new(Self::of(api, other))),
        }
    }

    /// The same type with every named type passed through `rename`.
    pub fn renamed(&self, rename: &dyn Fn(&str) -> Option<String>) -> Self {
        let inner = |ty: &RustType| Box::new(ty.renamed(rename));
        match self {
            RustType::Named(name) => RustType::Named(rename(name).unwrap_or_else(|| name.clone())),
            RustType::Vec(ty) => RustType::Vec(inner(ty)),
            RustType::Map(ty) => RustType::Map(inner(ty)),
            RustType::Boxed(ty) => RustType::Boxed(inner(ty)),
            RustType::Option(ty) => RustType::Option(inner(ty)),
            RustType::Nullable(ty) => RustType::Nullable(inner(ty)),
            RustType::Ref(ty) => RustType::Ref(inner(ty)),
            other => other.clone(),
        }
    }
}

/// The type as a reader of the crate writes it, without module paths
/// (`BTreeMap<String, User>`, `Option<Nullable<String>>`).
impl fmt::Display for RustType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RustType::String => f.write_str("String"),
            RustType::Str => f.write_str("str"),
            RustType::Bool => f.write_str("bool"),
            RustType::I32 => f.write_str("i32"),
            RustType::I64 => f.write_str("i64"),
            RustType::F32 => f.write_str("f32"),
            RustType::F64 => f.write_str("f64"),
            RustType::Upload => f.write_str("Upload"),
            RustType::Json => f.write_str("serde_json::Value"),
            RustType::Object => f.write_str("serde_json::Map<String, serde_json::Value>"),
            RustType::Vec(item) => write!(f, "Vec<{item}>"),
            RustType::Map(value) => write!(f, "BTreeMap<String, {value}>"),
            RustType::Named(name) | RustType::Item(name) => f.write_str(name),
            RustType::Boxed(inner) => write!(f, "Box<{inner}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Nullable(inner) => write!(f, "Nullable<{inner}>"),
            RustType::Ref(inner) => write!(f, "&{inner}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RustType;

    #[test]
    fn text_spells_types_as_readers_write_them() {
        let map = RustType::Map(Box::new(RustType::Vec(Box::new(RustType::Named(
            "User".to_owned(),
        )))));
        assert_eq!(map.to_string(), "BTreeMap<String, Vec<User>>");
        let field = RustType::Nullable(Box::new(RustType::Boxed(Box::new(RustType::Upload))));
        assert_eq!(field.to_string(), "Nullable<Box<Upload>>");
        assert_eq!(RustType::Ref(Box::new(RustType::Str)).to_string(), "&str");
        let renamed = map.renamed(&|name| (name == "User").then(|| "Person".to_owned()));
        assert_eq!(renamed.to_string(), "BTreeMap<String, Vec<Person>>");
    }
}
