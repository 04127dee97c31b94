//! Which traits a named type derives beyond `Debug`, `Clone` and
//! `PartialEq`: read by `types.rs`, `webhooks.rs` and the change report.

use crate::model::{Api, TypeKind, TypeRef};

/// Whether values of `ty` can be compared with `Eq` (no floats inside).
pub(super) fn is_eq(api: &Api, ty: &TypeRef, seen: &mut Vec<String>) -> bool {
    match ty {
        TypeRef::F32 | TypeRef::F64 | TypeRef::Json | TypeRef::Object => false,
        TypeRef::Array(inner) | TypeRef::Map(inner) => is_eq(api, inner, seen),
        TypeRef::Named(id) => {
            if seen.contains(id) {
                return true;
            }
            seen.push(id.clone());
            match api.type_def(id).map(|def| &def.kind) {
                Some(TypeKind::StringEnum(_)) => true,
                Some(TypeKind::Struct(s)) => {
                    s.fields.iter().all(|f| is_eq(api, &f.ty, seen))
                        && s.additional.as_ref().is_none_or(|a| is_eq(api, a, seen))
                }
                Some(TypeKind::Union(_)) | None => false,
            }
        }
        _ => true,
    }
}

/// Whether the type holds an upload (a `format: binary` string), which only
/// multipart bodies can carry and serde cannot encode.
pub(super) fn holds_binary(api: &Api, ty: &TypeRef, seen: &mut Vec<String>) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) => holds_binary(api, inner, seen),
        TypeRef::Named(id) => {
            if seen.contains(id) {
                return false;
            }
            seen.push(id.clone());
            match api.type_def(id).map(|def| &def.kind) {
                Some(TypeKind::Struct(s)) => {
                    s.fields.iter().any(|f| holds_binary(api, &f.ty, seen))
                }
                Some(TypeKind::Union(u)) => {
                    u.variants.iter().any(|v| holds_binary(api, &v.ty, seen))
                }
                _ => false,
            }
        }
        _ => false,
    }
}
