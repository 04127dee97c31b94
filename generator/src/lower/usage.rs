//! Which way each type travels, decided once for the whole model: types
//! reachable from a request body or parameter are *sent* (users build them),
//! types reachable from a response or webhook are *received* (users read them).
//!
//! The direction decides how an optional, nullable property looks: a sent
//! type tells "leave it out" from "clear it" with `Nullable<T>`; a type that is
//! only received reads both as `None` in a plain `Option<T>`. It also decides
//! how a type is built (see the emitters' construction rules). Types nothing
//! reaches any more (such as the enum of a discriminator moved to a
//! [`FixedTag`](crate::model::FixedTag)) are dropped.

use std::collections::{BTreeMap, BTreeSet};

use super::tags::named_in;
use crate::model::{BodyKind, OperationGroup, Presence, TypeDef, TypeId, TypeKind, Usage, Webhook};

/// Sets every type's [`Usage`] and every field's [`Presence`], and removes
/// the types that no operation or webhook reaches.
pub fn decide(
    types: &mut BTreeMap<TypeId, TypeDef>,
    groups: &[OperationGroup],
    webhooks: &[Webhook],
) {
    let mut sent_roots = BTreeSet::new();
    let mut received_roots = BTreeSet::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        for param in op.path_params.iter().chain(&op.other_params) {
            named_in(&param.ty, &mut sent_roots);
        }
        if let Some(body) = &op.body {
            match &body.kind {
                BodyKind::Json(ty) | BodyKind::Multipart(ty) => named_in(ty, &mut sent_roots),
            }
        }
        for response in op.successes.iter().chain(&op.errors) {
            if let Some(ty) = &response.body {
                named_in(ty, &mut received_roots);
            }
        }
    }
    for webhook in webhooks {
        named_in(&webhook.payload, &mut received_roots);
    }
    let sent = reachable(types, sent_roots);
    let received = reachable(types, received_roots);
    types.retain(|id, _| sent.contains(id) || received.contains(id));
    for (id, def) in types.iter_mut() {
        def.usage = Usage {
            sent: sent.contains(id),
            received: received.contains(id),
        };
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                field.presence = Presence::of(field.required, field.nullable, def.usage.sent);
            }
        }
    }
}

/// Every type the roots lead to through fields, extra properties and variants.
pub(crate) fn reachable(
    types: &BTreeMap<TypeId, TypeDef>,
    roots: BTreeSet<TypeId>,
) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = roots.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let mut next = BTreeSet::new();
        match types.get(&id).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => {
                for field in &s.fields {
                    named_in(&field.ty, &mut next);
                }
                if let Some(additional) = &s.additional {
                    named_in(additional, &mut next);
                }
            }
            Some(TypeKind::Union(u)) => {
                for variant in &u.variants {
                    named_in(&variant.ty, &mut next);
                }
            }
            Some(TypeKind::StringEnum(_)) | None => {}
        }
        stack.extend(next.into_iter().filter(|n| !seen.contains(n)));
    }
    seen
}
