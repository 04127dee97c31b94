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

use std::collections::BTreeMap;

use crate::model::{
    reachable, OperationGroup, Presence, TypeDef, TypeId, TypeKind, Usage, Webhook,
};

/// Sets every type's [`Usage`] and every field's [`Presence`], and removes
/// the types that no operation or webhook reaches.
pub(super) fn decide(
    types: &mut BTreeMap<TypeId, TypeDef>,
    groups: &[OperationGroup],
    webhooks: &[Webhook],
) {
    let operations = || groups.iter().flat_map(|g| &g.operations);
    let sent = reachable(types, operations().flat_map(|op| op.sent_types()));
    let received = reachable(
        types,
        operations()
            .flat_map(|op| op.received_types())
            .chain(webhooks.iter().map(|w| &w.payload)),
    );
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
