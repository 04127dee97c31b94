//! The surface seen as text: how types are spelled, which traits a type
//! derives, and which types callers build. Construction and derives are read
//! from the [`Surface`] the emitters print, so the report sees what the crate
//! contains.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, Field, Presence, TypeId, TypeKind, TypeRef};
use crate::surface::{Construction, Surface};

/// Spells types of one API version, with type names mapped through renames
/// (old name → new name) so that a renamed type compares equal to itself.
pub struct Spelling<'a> {
    /// The surface whose items are spelled.
    pub surface: &'a Surface,
    /// Its model.
    pub api: &'a Api,
    /// Old name → new name of renamed types (empty for the new side).
    pub renames: &'a BTreeMap<String, String>,
}

impl Spelling<'_> {
    /// The Rust name of a named type, after renames.
    pub fn name(&self, id: &str) -> String {
        let name = self
            .api
            .type_def(id)
            .map_or("serde_json::Value", |def| def.name.as_str());
        self.renames
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }

    /// A type as the generated crate writes it (without `types::`).
    pub fn ty(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::String => "String".to_owned(),
            TypeRef::Bool => "bool".to_owned(),
            TypeRef::I32 => "i32".to_owned(),
            TypeRef::I64 => "i64".to_owned(),
            TypeRef::F32 => "f32".to_owned(),
            TypeRef::F64 => "f64".to_owned(),
            TypeRef::Binary => "Upload".to_owned(),
            TypeRef::Json => "serde_json::Value".to_owned(),
            TypeRef::Object => "serde_json::Map<String, serde_json::Value>".to_owned(),
            TypeRef::Array(item) => format!("Vec<{}>", self.ty(item)),
            TypeRef::Map(value) => format!("BTreeMap<String, {}>", self.ty(value)),
            TypeRef::Named(id) => self.name(id),
        }
    }

    /// A struct field's full type: boxing and the `Option` layers of its presence.
    pub fn field(&self, field: &Field) -> String {
        let mut ty = self.ty(&field.ty);
        if field.boxed {
            ty = format!("Box<{ty}>");
        }
        match field.presence {
            Presence::Required => ty,
            Presence::RequiredNullable | Presence::Optional => format!("Option<{ty}>"),
            Presence::OptionalNullable => format!("Nullable<{ty}>"),
        }
    }
}

/// The arguments of the struct's `new(..)` (name and Rust type, in order, as
/// `spelling` writes types), when it is built that way rather than with `Default`.
pub fn new_arguments(spelling: &Spelling<'_>, id: &TypeId) -> Option<Vec<(String, String)>> {
    let surface = spelling.surface;
    if surface.construction(id) != Construction::New {
        return None;
    }
    let TypeKind::Struct(s) = &surface.api().type_def(id)?.kind else {
        return None;
    };
    let fills = &surface.type_surface(id)?.fills;
    Some(
        s.fields
            .iter()
            .zip(fills)
            .filter(|(_, fill)| fill.is_none())
            .map(|(f, _)| (f.name.clone(), spelling.ty(&f.ty)))
            .collect(),
    )
}

/// The traits a named type has beyond `Debug`, `Clone` and `PartialEq`: a
/// struct's as the surface decided them, an enum's or union's as the
/// runtime's macros write them.
pub fn derived_traits(surface: &Surface, id: &TypeId) -> BTreeSet<&'static str> {
    use sunshine_facts::{OPEN_ENUM_TRAITS, UNION_TRAITS};
    let mut traits = BTreeSet::new();
    match surface.api().type_def(id).map(|def| &def.kind) {
        Some(TypeKind::Struct(_)) => {
            let Some(decided) = surface.type_surface(id) else {
                return traits;
            };
            // Derived or written out: either way the type has `Default`.
            if matches!(decided.construction, Construction::Default { .. }) {
                traits.insert("Default");
            }
            if decided.serde {
                traits.insert("Serialize");
                traits.insert("Deserialize");
            }
        }
        Some(TypeKind::StringEnum(_)) => traits.extend(OPEN_ENUM_TRAITS.iter().copied()),
        Some(TypeKind::Union(_)) => traits.extend(UNION_TRAITS.iter().copied()),
        None => {}
    }
    traits
}

/// The types callers build: everything reachable from parameters and
/// request bodies.
pub fn built_by_callers(api: &Api) -> BTreeSet<TypeId> {
    let mut roots = Vec::new();
    for op in api.operations() {
        roots.extend(op.path_params.iter().chain(&op.other_params).map(|p| &p.ty));
        if let Some(body) = &op.body {
            roots.push(match &body.kind {
                crate::model::BodyKind::Json(ty) | crate::model::BodyKind::Multipart(ty) => ty,
            });
        }
    }
    let mut reached = BTreeSet::new();
    for root in roots {
        reach(api, root, &mut reached);
    }
    reached
}

fn reach(api: &Api, ty: &TypeRef, reached: &mut BTreeSet<TypeId>) {
    match ty {
        TypeRef::Array(inner) | TypeRef::Map(inner) => reach(api, inner, reached),
        TypeRef::Named(id) if reached.insert(id.clone()) => {
            match api.type_def(id).map(|def| &def.kind) {
                Some(TypeKind::Struct(s)) => {
                    for field in &s.fields {
                        reach(api, &field.ty, reached);
                    }
                    if let Some(additional) = &s.additional {
                        reach(api, additional, reached);
                    }
                }
                Some(TypeKind::Union(u)) => {
                    for variant in &u.variants {
                        reach(api, &variant.ty, reached);
                    }
                }
                Some(TypeKind::StringEnum(_)) | None => {}
            }
        }
        _ => {}
    }
}

/// The unions that list webhook events: the item type of an `events` array
/// in a webhook payload.
pub fn event_unions(api: &Api) -> BTreeSet<TypeId> {
    let mut unions = BTreeSet::new();
    for webhook in &api.webhooks {
        let TypeRef::Named(payload) = &webhook.payload else {
            continue;
        };
        let Some(TypeKind::Struct(s)) = api.type_def(payload).map(|def| &def.kind) else {
            continue;
        };
        for field in s.fields.iter().filter(|f| f.json_name == "events") {
            if let TypeRef::Array(item) = &field.ty {
                if let TypeRef::Named(id) = item.as_ref() {
                    if matches!(
                        api.type_def(id).map(|def| &def.kind),
                        Some(TypeKind::Union(_))
                    ) {
                        unions.insert(id.clone());
                    }
                }
            }
        }
    }
    unions
}
