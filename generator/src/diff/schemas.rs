//! Named types and webhooks across versions.

use super::compat::Facts;
use std::collections::BTreeSet;

use super::change::{ChangeKind, Item};
use super::rust::Spelling;
use super::walk::{TypePairs, Walk};
use crate::model::{
    EnumDef, Field, Presence, StructDef, Tagging, TypeDef, TypeKind, UnionDef, UnionVariant,
};

fn kind(def: &TypeDef) -> &'static str {
    match def.kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::StringEnum(_) => "enum of strings",
        TypeKind::Union(_) => "enum",
    }
}

pub(super) fn compare(walk: &mut Walk<'_>, types: &TypePairs) {
    let (old_api, new_api) = (walk.old.api, walk.new.api);
    for id in &types.removed {
        if let Some(def) = old_api.type_def(id) {
            walk.push(
                &Item::Type(def.name.clone()),
                ChangeKind::TypeRemoved,
                Facts::default(),
            );
        }
    }
    for id in &types.added {
        if let Some(def) = new_api.type_def(id) {
            let what = ChangeKind::TypeAdded { kind: kind(def) };
            walk.push(&Item::Type(def.name.clone()), what, Facts::default());
        }
    }
    // The unions of the events a webhook delivery lists.
    let events: BTreeSet<&str> = new_api
        .webhooks
        .iter()
        .filter_map(|webhook| match &webhook.events.as_ref()?.event {
            crate::model::TypeRef::Named(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    for (old_id, new_id) in &types.pairs {
        let (Some(before), Some(after)) = (old_api.type_def(old_id), new_api.type_def(new_id))
        else {
            continue;
        };
        let item = Item::Type(after.name.clone());
        if before.name != after.name {
            let from = before.name.clone();
            walk.push(&item, ChangeKind::TypeRenamed { from }, Facts::default());
        }
        let traits = |spelling: &Spelling<'_>, id: &str| {
            spelling
                .surface
                .type_surface(id)
                .map(|decided| decided.traits.clone())
                .unwrap_or_default()
        };
        let (old_traits, new_traits) = (traits(&walk.old, old_id), traits(&walk.new, new_id));
        match (&before.kind, &after.kind) {
            (TypeKind::Struct(old), TypeKind::Struct(new)) => {
                let facts = Facts {
                    default_before: old_traits.contains("Default"),
                    default_after: new_traits.contains("Default"),
                    built_by_callers: before.usage.sent || after.usage.sent,
                    same_new: walk.old.new_arguments(old_id).is_some_and(|before| {
                        walk.new
                            .new_arguments(new_id)
                            .is_some_and(|after| before == after)
                    }),
                    ..Facts::default()
                };
                compare_struct(walk, &item, old, new, facts);
            }
            (TypeKind::StringEnum(old), TypeKind::StringEnum(new)) => {
                compare_enum(walk, &item, old, new);
            }
            (TypeKind::Union(old), TypeKind::Union(new)) => {
                compare_union(walk, &item, old, new, events.contains(new_id.as_str()));
            }
            _ => {
                let what = ChangeKind::TypeKindChanged {
                    from: kind(before),
                    to: kind(after),
                };
                walk.push(&item, what, Facts::default());
                continue;
            }
        }
        let (old_new, new_new) = (
            walk.old.new_arguments(old_id).map(|args| signature(&args)),
            walk.new.new_arguments(new_id).map(|args| signature(&args)),
        );
        if old_new != new_new {
            let what = ChangeKind::ConstructorChanged {
                from: old_new,
                to: new_new,
            };
            walk.push(&item, what, Facts::default());
        }
        for lost in old_traits.difference(&new_traits) {
            walk.push(&item, ChangeKind::TraitLost(lost), Facts::default());
        }
        for gained in new_traits.difference(&old_traits) {
            walk.push(&item, ChangeKind::TraitGained(gained), Facts::default());
        }
    }
}

/// `new(..)`'s arguments as written: `name: Type, ...`, types after renames.
fn signature(args: &[(String, String)]) -> String {
    args.iter()
        .map(|(name, ty)| format!("{}: {ty}", name.trim_start_matches("r#")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What changed in the document behind a field whose Rust type changed.
fn because(old: &Field, new: &Field, old_ty: &str, new_ty: &str) -> String {
    let mut reasons = Vec::new();
    if old_ty != new_ty {
        reasons.push("type");
    }
    match (old.required, new.required) {
        (false, true) => reasons.push("now required"),
        (true, false) => reasons.push("now optional"),
        _ => {}
    }
    match (old.nullable, new.nullable) {
        (false, true) => reasons.push("now nullable"),
        (true, false) => reasons.push("no longer nullable"),
        _ => {}
    }
    if old.boxed != new.boxed {
        reasons.push(if new.boxed {
            "now boxed"
        } else {
            "no longer boxed"
        });
    }
    reasons.join(", ")
}

/// A difference on the wire that leaves the field's Rust type as it was.
fn wire_change(old: &Field, new: &Field) -> Option<String> {
    if old.json_name != new.json_name {
        return Some(format!(
            "sent as `{}` instead of `{}`",
            new.json_name, old.json_name
        ));
    }
    match (old.presence, new.presence) {
        (Presence::RequiredNullable, Presence::Optional) => {
            Some("now optional: `None` leaves it out instead of sending `null`".to_owned())
        }
        (Presence::Optional, Presence::RequiredNullable) => Some(
            "now required and nullable: `None` sends `null` instead of leaving it out".to_owned(),
        ),
        _ => None,
    }
}

const ADDITIONAL: &str = "additional_properties";

fn additional(spelling: &Spelling<'_>, s: &StructDef) -> Option<String> {
    s.additional
        .as_ref()
        .map(|ty| format!("BTreeMap<String, {}>", spelling.ty(ty)))
}

fn compare_struct(
    walk: &mut Walk<'_>,
    item: &Item,
    old: &StructDef,
    new: &StructDef,
    facts: Facts,
) {
    for before in &old.fields {
        let Some(after) = new.fields.iter().find(|f| f.name == before.name) else {
            let name = before.name.clone();
            walk.push(item, ChangeKind::FieldRemoved { name }, facts);
            continue;
        };
        let (from, to) = (walk.old.field(before), walk.new.field(after));
        if from != to {
            let because = because(
                before,
                after,
                &walk.old.ty(&before.ty),
                &walk.new.ty(&after.ty),
            );
            let name = after.name.clone();
            walk.push(
                item,
                ChangeKind::FieldTypeChanged {
                    name,
                    from,
                    to,
                    because,
                },
                facts,
            );
        } else if let Some(detail) = wire_change(before, after) {
            let name = after.name.clone();
            walk.push(item, ChangeKind::FieldWireChanged { name, detail }, facts);
        }
    }
    for after in &new.fields {
        if !old.fields.iter().any(|f| f.name == after.name) {
            let what = ChangeKind::FieldAdded {
                name: after.name.clone(),
                ty: walk.new.field(after),
                required: after.required,
            };
            walk.push(item, what, facts);
        }
    }
    let name = ADDITIONAL.to_owned();
    match (additional(&walk.old, old), additional(&walk.new, new)) {
        (Some(_), None) => walk.push(item, ChangeKind::FieldRemoved { name }, facts),
        (None, Some(ty)) => {
            let what = ChangeKind::FieldAdded {
                name,
                ty,
                required: false,
            };
            walk.push(item, what, facts);
        }
        (Some(from), Some(to)) if from != to => {
            let because = "type".to_owned();
            walk.push(
                item,
                ChangeKind::FieldTypeChanged {
                    name,
                    from,
                    to,
                    because,
                },
                facts,
            );
        }
        _ => {}
    }
}

fn compare_enum(walk: &mut Walk<'_>, item: &Item, old: &EnumDef, new: &EnumDef) {
    for before in &old.variants {
        match new.variants.iter().find(|v| v.value == before.value) {
            None => {
                let value = before.value.clone();
                walk.push(item, ChangeKind::ValueRemoved { value }, Facts::default());
            }
            // The same value under another variant name: code naming the old variant breaks.
            Some(after) if after.name != before.name => {
                let name = before.name.clone();
                walk.push(item, ChangeKind::VariantRemoved { name }, Facts::default());
                let name = after.name.clone();
                walk.push(item, ChangeKind::VariantAdded { name }, Facts::default());
            }
            Some(_) => {}
        }
    }
    for after in &new.variants {
        if !old.variants.iter().any(|v| v.value == after.value) {
            let value = after.value.clone();
            walk.push(item, ChangeKind::ValueAdded { value }, Facts::default());
        }
    }
}

fn compare_union(walk: &mut Walk<'_>, item: &Item, old: &UnionDef, new: &UnionDef, events: bool) {
    let spell = |spelling: &Spelling<'_>, v: &UnionVariant| {
        let ty = spelling.ty(&v.ty);
        if v.boxed {
            format!("Box<{ty}>")
        } else {
            ty
        }
    };
    // Untagged decoding matches on properties: one entry for the variants it
    // now recognises differently.
    let mut reshaped = Vec::new();
    for before in &old.variants {
        match new.variants.iter().find(|v| v.name == before.name) {
            None if events => {
                let event = before.tags.join(", ");
                walk.push(item, ChangeKind::EventRemoved { event }, Facts::default());
            }
            None => {
                let name = before.name.clone();
                walk.push(item, ChangeKind::VariantRemoved { name }, Facts::default());
            }
            Some(after) => {
                let (from, to) = (spell(&walk.old, before), spell(&walk.new, after));
                let name = after.name.clone();
                if from != to {
                    let what = ChangeKind::VariantTypeChanged { name, from, to };
                    walk.push(item, what, Facts::default());
                } else if before.tags != after.tags {
                    let (from, to) = (before.tags.join(", "), after.tags.join(", "));
                    let what = ChangeKind::VariantTagsChanged { name, from, to };
                    walk.push(item, what, Facts::default());
                } else if new.tagging == Tagging::Untagged && before.shape != after.shape {
                    reshaped.push(format!("`{name}`"));
                }
            }
        }
    }
    if !reshaped.is_empty() {
        let variants = reshaped.join(", ");
        walk.push(
            item,
            ChangeKind::ShapesChanged { variants },
            Facts::default(),
        );
    }
    for after in &new.variants {
        if !old.variants.iter().any(|v| v.name == after.name) {
            let what = if events {
                ChangeKind::EventAdded {
                    event: after.tags.join(", "),
                }
            } else {
                ChangeKind::VariantAdded {
                    name: after.name.clone(),
                }
            };
            walk.push(item, what, Facts::default());
        }
    }
}

/// Webhooks by name: their parse functions and payload types.
pub(super) fn compare_webhooks(walk: &mut Walk<'_>) {
    let (old_api, new_api) = (walk.old.api, walk.new.api);
    let (old_surface, new_surface) = (walk.old.surface, walk.new.surface);
    let parse_fn =
        |surface: &'_ crate::surface::Surface, webhook| surface.webhook(webhook).parse_fn.clone();
    for before in &old_api.webhooks {
        let function = parse_fn(old_surface, before);
        let item = Item::Webhook(function.clone());
        match new_api
            .webhooks
            .iter()
            .find(|w| w.name == before.name && parse_fn(new_surface, w) == function)
        {
            None => walk.push(&item, ChangeKind::WebhookRemoved, Facts::default()),
            Some(after) => {
                let (from, to) = (walk.old.ty(&before.payload), walk.new.ty(&after.payload));
                if from != to {
                    walk.push(
                        &item,
                        ChangeKind::ReturnTypeChanged { from, to },
                        Facts::default(),
                    );
                }
            }
        }
    }
    for after in &new_api.webhooks {
        let function = parse_fn(new_surface, after);
        if !old_api
            .webhooks
            .iter()
            .any(|w| w.name == after.name && parse_fn(old_surface, w) == function)
        {
            walk.push(
                &Item::Webhook(function),
                ChangeKind::WebhookAdded,
                Facts::default(),
            );
        }
    }
}
