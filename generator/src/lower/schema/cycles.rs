//! Cycles: a type that holds itself by value, directly or through others,
//! gets a `Box` where the cycle closes, so every type has a finite size.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{TypeDef, TypeId, TypeKind, TypeRef};

/// Boxes every by-value reference that lies on a cycle, so each type has a finite size.
pub(super) fn break_cycles(types: &mut BTreeMap<TypeId, TypeDef>) {
    let edges: BTreeMap<TypeId, BTreeSet<TypeId>> = types
        .iter()
        .map(|(id, def)| {
            let targets = match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().filter_map(|f| by_value(&f.ty)).collect(),
                TypeKind::Union(u) => u.variants.iter().filter_map(|v| by_value(&v.ty)).collect(),
                TypeKind::StringEnum(_) => BTreeSet::new(),
            };
            (id.clone(), targets)
        })
        .collect();
    let reaches = |from: &TypeId, to: &TypeId| -> bool {
        let mut stack = vec![from.clone()];
        let mut seen = BTreeSet::new();
        while let Some(next) = stack.pop() {
            if &next == to {
                return true;
            }
            if seen.insert(next.clone()) {
                stack.extend(edges.get(&next).into_iter().flatten().cloned());
            }
        }
        false
    };
    for (id, def) in types.iter_mut() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = by_value(&field.ty).is_some_and(|target| reaches(&target, id));
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    variant.boxed =
                        by_value(&variant.ty).is_some_and(|target| reaches(&target, id));
                }
            }
            TypeKind::StringEnum(_) => {}
        }
    }
}

/// The named type held directly (not behind a `Vec` or map), if any.
fn by_value(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(id.clone()),
        _ => None,
    }
}
