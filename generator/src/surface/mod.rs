//! Stage 3, surface: the Rust API of the generated crate, decided once.
//!
//! Lowering describes the document in Rust terms: types with their fields
//! and variants, operations grouped by tag. This stage decides what the crate
//! exposes around them, in one place:
//!
//! - every name that is not a schema's: each tag's module, accessor and
//!   struct, each operation's method and its own items (`{Op}Params`,
//!   `{Op}Error`, `{Op}Response`), the webhook parse functions and delivery
//!   structs, the cargo features, and the test kit's accessors, structs and
//!   methods; each claimed in the scope it lives in ([`crate::names::Scope`]),
//!   seeded with what the runtime and the crate's fixed items already take;
//! - every signature: what a method takes, what its call sends when nothing
//!   more is set, and what `.params`, `.body` and `.paginate` exist for;
//! - for every named type, how it is built (`Default`, `new(..)`) and which
//!   traits it derives;
//! - the facts the change report's rules rest on ([`Policy`]).
//!
//! Emitters, the doc examples and the change report ([`crate::diff`]) read a
//! [`Surface`]; none of them decides a name, a signature or a construction.
//! The model is read, never changed: the surface keeps a copy of it whose
//! only difference is in its docs, where intra-doc links to the items named
//! here are resolved.

mod construct;
mod derives;
mod doc_links;
mod features;
mod kit;
mod operations;
mod rust_type;
mod setters;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, Operation, OperationGroup, TypeId, TypeKind, TypeRef, Webhook};
pub use construct::{Construction, Fill, NewArgument};
pub use features::Features;
pub use operations::{Argument, GroupSurface, OperationSurface, Success};
pub use rust_type::RustType;
pub use webhooks::WebhookSurface;

/// The Rust surface of a crate: the model it was decided for, and what was
/// decided.
#[derive(Debug, Clone)]
pub struct Surface {
    api: Api,
    groups: BTreeMap<String, GroupSurface>,
    operations: BTreeMap<String, OperationSurface>,
    types: BTreeMap<TypeId, TypeSurface>,
    /// In the order of the model's webhooks.
    webhooks: Vec<WebhookSurface>,
    receiver_alias: Option<String>,
    features: Option<Features>,
    policy: Policy,
}

/// How a named type is built and what it derives.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeSurface {
    /// How users build it (structs; `None` for enums and unions).
    pub construction: Construction,
    /// What each field holds when unset (structs, in field order); `None`
    /// when it must be given.
    pub fills: Vec<Option<Fill>>,
    /// Each field's type (structs, in field order).
    pub field_types: Vec<RustType>,
    /// What `new(..)` takes, in order (structs built with it; empty otherwise).
    pub new_arguments: Vec<NewArgument>,
    /// The traits it has beyond `Debug`, `Clone` and `PartialEq`: a
    /// struct's as decided here, an enum's or union's as the runtime's
    /// macros write them.
    pub traits: BTreeSet<&'static str>,
    /// The name of each field's setter (structs, in field order), then of the
    /// flattened map of undeclared properties, if the struct has one.
    pub setters: Vec<String>,
    /// Whether it has serde impls: everything but the multipart bodies,
    /// which hold uploads.
    pub serde: bool,
}

/// Facts about the generated API as a whole, which the emitters write and
/// the change report's rules ([`crate::diff::compat`]) assume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Enums and unions in `types` are `#[non_exhaustive]`: the runtime's
    /// macros that write them say so.
    pub type_enums_non_exhaustive: bool,
    /// The `{Op}Error` enums are `#[non_exhaustive]` (the runtime's
    /// `operation_error!` writes them).
    pub error_enums_non_exhaustive: bool,
    /// The `{Op}Response` enums are `#[non_exhaustive]` (emit/apis.rs writes
    /// the attribute when this says so).
    pub response_enums_non_exhaustive: bool,
    /// `Server` is `#[non_exhaustive]` (emit/root.rs writes the attribute
    /// when this says so).
    pub server_enum_non_exhaustive: bool,
    /// Every generated struct is `#[non_exhaustive]`, built with `default()`
    /// or `new(..)` and setters (the runtime's `object!` writes them).
    pub structs_non_exhaustive: bool,
}

impl Policy {
    /// The policy of every crate this generator writes.
    pub const GENERATED: Policy = Policy {
        type_enums_non_exhaustive: sunshine_facts::MACRO_ENUMS_NON_EXHAUSTIVE,
        error_enums_non_exhaustive: sunshine_facts::MACRO_ENUMS_NON_EXHAUSTIVE,
        response_enums_non_exhaustive: true,
        server_enum_non_exhaustive: true,
        structs_non_exhaustive: sunshine_facts::OBJECT_STRUCTS_NON_EXHAUSTIVE,
    };
}

/// Decides the surface of `model`: every name lowering does not give, every
/// signature and construction. The model is not changed.
pub fn build(model: &Api) -> Surface {
    let (mut groups, mut operations) = operations::decide(model);
    kit::claim(model, &mut groups, &mut operations);
    let webhooks::WebhooksModule {
        webhooks,
        receiver_alias,
    } = webhooks::decide(model);
    let features = features::decide(model, &groups);
    for group in &model.groups {
        if let Some(group_surface) = groups.get_mut(&group.tag) {
            group_surface.feature = features
                .as_ref()
                .and_then(|f| f.groups.get(&group_surface.module).cloned());
        }
    }
    let types = model
        .types
        .keys()
        .map(|id| (id.clone(), type_surface(model, id)))
        .collect();
    // Links name generated items, so they are resolved once every name is decided.
    let api = doc_links::resolved(model, &groups, &operations);
    Surface {
        api,
        groups,
        operations,
        types,
        webhooks,
        receiver_alias,
        features,
        policy: Policy::GENERATED,
    }
}

fn type_surface(api: &Api, id: &TypeId) -> TypeSurface {
    let ty = TypeRef::Named(id.clone());
    let construction = construct::construction(api, id, &mut Vec::new());
    let serde = !derives::holds_binary(api, &ty, &mut Vec::new());
    let kind = api.type_def(id).map(|def| (&def.kind, def.usage.sent));
    let mut decided = TypeSurface {
        construction,
        fills: Vec::new(),
        field_types: Vec::new(),
        new_arguments: Vec::new(),
        traits: derives::traits(kind.map(|(kind, _)| kind), construction, serde),
        setters: Vec::new(),
        serde,
    };
    if let Some((TypeKind::Struct(s), sent)) = kind {
        decided.fills = s
            .fields
            .iter()
            .map(|f| construct::field_fill(api, f, sent, &mut vec![id.clone()]))
            .collect();
        decided.field_types = s
            .fields
            .iter()
            .map(|f| RustType::of_field(api, f))
            .collect();
        if construction == Construction::New {
            decided.new_arguments = construct::new_arguments(
                s.fields
                    .iter()
                    .map(|f| (f.name.as_str(), RustType::of(api, &f.ty))),
                &decided.fills,
            );
        }
        let names = s.fields.iter().map(|f| f.name.as_str());
        let additional = s.additional.as_ref().map(|_| ADDITIONAL_PROPERTIES);
        decided.setters = setters::names(names.chain(additional));
    }
    decided
}

/// The field of a struct that keeps the properties its schema does not
/// declare (flattened).
pub const ADDITIONAL_PROPERTIES: &str = "additional_properties";

impl Surface {
    /// The model the surface was decided for, with the names claimed here.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// The surface of an operation of [`Surface::api`].
    pub fn operation(&self, op: &Operation) -> &OperationSurface {
        // Every operation of the model was decided in `build`.
        &self.operations[&op.id]
    }

    /// The surface of a group (tag) of [`Surface::api`].
    pub fn group(&self, group: &OperationGroup) -> &GroupSurface {
        // Every group of the model was decided in `build`.
        &self.groups[&group.tag]
    }

    /// The surface of a webhook of [`Surface::api`].
    pub fn webhook(&self, webhook: &Webhook) -> &WebhookSurface {
        // Every webhook of the model was decided in `build`, in order; one
        // `x-webhooks` entry may have several (one per method).
        let index = self
            .api
            .webhooks
            .iter()
            .position(|w| std::ptr::eq(w, webhook))
            .or_else(|| {
                self.api
                    .webhooks
                    .iter()
                    .position(|w| w.name == webhook.name)
            })
            .unwrap_or_default();
        &self.webhooks[index]
    }

    /// The `webhooks` module's alias of the runtime's receiver for the
    /// crate's event type, when a delivery lists events.
    pub fn receiver_alias(&self) -> Option<&str> {
        self.receiver_alias.as_deref()
    }

    /// The crate's cargo features, when it has several tags.
    pub fn features(&self) -> Option<&Features> {
        self.features.as_ref()
    }

    /// The surface of a named type of [`Surface::api`], or `None` for an
    /// id the model does not have.
    pub fn type_surface(&self, id: &str) -> Option<&TypeSurface> {
        self.types.get(id)
    }

    /// How the named type `id` is built (`None` for unknown ids and for
    /// enums and unions).
    pub fn construction(&self, id: &str) -> Construction {
        self.types
            .get(id)
            .map_or(Construction::None, |t| t.construction)
    }

    /// Whether `ty` is a struct that has `Default` (derived or written).
    pub fn has_default(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => matches!(self.construction(id), Construction::Default { .. }),
            _ => false,
        }
    }

    /// The facts the change report's rules rest on.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    /// Whether `Server` has unit variants only (no server has variables):
    /// its values then cast to integers (`server as isize`), so the
    /// variants' order, in [`Api::servers`], is part of the API.
    pub fn server_casts(&self) -> bool {
        !self.api.servers.is_empty() && self.api.servers.iter().all(|s| s.variables.is_empty())
    }
}
