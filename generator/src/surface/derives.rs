//! Which traits a named struct derives beyond `Debug`, `Clone` and
//! `PartialEq`: read by `types.rs`, `webhooks.rs` and the change report.
//!
//! Only what its use needs and a new version cannot take away: `Default`
//! where it can be built that way, serde unless it carries uploads. Never
//! `Eq`: a field a new version adds may hold a float, and losing `Eq` would
//! break callers.

use std::collections::BTreeSet;

use super::construct::Construction;
use crate::model::{Api, TypeKind, TypeRef};

/// The traits a named type has beyond `Debug`, `Clone` and `PartialEq`: a
/// struct's `Default` (derived or written) where it is built that way and
/// serde unless it holds uploads; an enum's or union's as the runtime's
/// macros write them.
pub(super) fn traits(
    kind: Option<&TypeKind>,
    construction: Construction,
    serde: bool,
) -> BTreeSet<&'static str> {
    use sunshine_facts::{OPEN_ENUM_TRAITS, UNION_TRAITS};
    let mut traits = BTreeSet::new();
    match kind {
        Some(TypeKind::Struct(_)) => {
            if matches!(construction, Construction::Default { .. }) {
                traits.insert("Default");
            }
            if serde {
                traits.extend(["Serialize", "Deserialize"]);
            }
        }
        Some(TypeKind::StringEnum(_)) => traits.extend(OPEN_ENUM_TRAITS.iter().copied()),
        Some(TypeKind::Union(_)) => traits.extend(UNION_TRAITS.iter().copied()),
        None => {}
    }
    traits
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
