//! How users build structs and parameter sets, decided once for `types.rs`,
//! the `{Op}Params` structs, the doc examples and the change report:
//!
//! - `Default` when every member can default: a member left unset is absent
//!   (`None`, `Nullable::Absent`), takes the document's `default:`, or is an
//!   empty collection or a struct that has `Default` itself;
//! - otherwise `new(..)`, taking exactly the members that cannot default
//!   (each as `impl Into<T>`): also for types only received, which tests build.
//!
//! Every struct is `#[non_exhaustive]` (the runtime's `object!`): callers
//! start from one of these and chain a setter per field, so that a field a
//! new version adds breaks no caller.
//!
//! For a type that is sent, a required string, number, boolean, enum or union
//! without a document default *cannot* default: an empty string or a zero
//! would be sent in its place. A type that is only received keeps the looser
//! rule (every type with a `Default` of its own), which is handy for test data
//! and never reaches the server.

use serde_json::Value;

use super::rust_type::RustType;
use crate::model::{Api, Field, Parameter, Presence, TypeKind, TypeRef};

/// A member a constructor takes: its name and type (as `impl Into<T>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewArgument {
    /// The member's (field's) name.
    pub name: String,
    /// Its type.
    pub ty: RustType,
}

/// What an unset member holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    /// The type's own `Default` (absent, empty, or a nested default).
    TypeDefault,
    /// The document's `default:`, a value of the member's type.
    Document(Value),
}

/// How a struct is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Construction {
    /// Every member can default: `Default` (derived when no document
    /// default is involved).
    Default {
        /// Whether `#[derive(Default)]` does it.
        derive: bool,
    },
    /// `new(..)` with the members that cannot default.
    New,
    /// Neither (a type that holds itself with no way out of the cycle).
    None,
}

/// How the named struct `id` is built.
pub(super) fn construction(api: &Api, id: &str, seen: &mut Vec<String>) -> Construction {
    // A cycle has no finite default.
    if seen.iter().any(|s| s == id) {
        return Construction::None;
    }
    let Some(def) = api.type_def(id) else {
        return Construction::None;
    };
    let TypeKind::Struct(s) = &def.kind else {
        return Construction::None;
    };
    seen.push(id.to_owned());
    let fills: Vec<Option<Fill>> = s
        .fields
        .iter()
        .map(|f| field_fill(api, f, def.usage.sent, seen))
        .collect();
    seen.pop();
    if fills.iter().all(Option::is_some) {
        Construction::Default {
            derive: fills.iter().all(|f| matches!(f, Some(Fill::TypeDefault))),
        }
    } else {
        Construction::New
    }
}

/// What `new(..)` takes: each member (name and type) that has no fill, in
/// order.
pub(super) fn new_arguments<'a>(
    members: impl IntoIterator<Item = (&'a str, RustType)>,
    fills: &[Option<Fill>],
) -> Vec<NewArgument> {
    members
        .into_iter()
        .zip(fills)
        .filter(|(_, fill)| fill.is_none())
        .map(|((name, ty), _)| NewArgument {
            name: name.to_owned(),
            ty,
        })
        .collect()
}

/// What an unset field holds, by the rules for a `sent` or received-only struct.
pub(super) fn field_fill(
    api: &Api,
    field: &Field,
    sent: bool,
    seen: &mut Vec<String>,
) -> Option<Fill> {
    member_fill(
        api,
        &field.ty,
        field.presence,
        field.default.as_ref(),
        sent,
        seen,
    )
}

/// What an unset query or header parameter holds: parameters are always
/// sent, so a required one without a document default must be given.
pub(super) fn param_fill(api: &Api, param: &Parameter) -> Option<Fill> {
    let presence = if param.required {
        Presence::Required
    } else {
        Presence::Optional
    };
    member_fill(
        api,
        &param.ty,
        presence,
        param.default.as_ref(),
        true,
        &mut Vec::new(),
    )
}

/// What an unset member of type `ty` holds; `None` when it must be given.
fn member_fill(
    api: &Api,
    ty: &TypeRef,
    presence: Presence,
    default: Option<&Value>,
    sent: bool,
    seen: &mut Vec<String>,
) -> Option<Fill> {
    if presence != Presence::Required {
        return Some(Fill::TypeDefault);
    }
    if let Some(value) = default.filter(|d| default_fits(api, ty, d)) {
        return Some(Fill::Document(value.clone()));
    }
    let defaults = match ty {
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Object => true,
        TypeRef::Named(id) => matches!(construction(api, id, seen), Construction::Default { .. }),
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::Json => !sent,
        TypeRef::Binary => false,
    };
    defaults.then_some(Fill::TypeDefault)
}

/// Whether the document's `default:` can be written as a Rust value of
/// type `ty`: a string, number, boolean or known enum value of that type.
fn default_fits(api: &Api, ty: &TypeRef, value: &Value) -> bool {
    match (ty, value) {
        (TypeRef::String, Value::String(_)) | (TypeRef::Bool, Value::Bool(_)) => true,
        (TypeRef::I32, Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        (TypeRef::I64, Value::Number(n)) => n.as_i64().is_some(),
        (TypeRef::F32 | TypeRef::F64, Value::Number(n)) => n.as_f64().is_some(),
        (TypeRef::Named(id), Value::String(text)) => matches!(
            api.type_def(id).map(|def| &def.kind),
            Some(TypeKind::StringEnum(e)) if e.variants.iter().any(|v| &v.value == text)
        ),
        _ => false,
    }
}
