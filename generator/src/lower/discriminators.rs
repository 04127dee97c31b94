//! Discriminator values written once: a struct that a tagged union selects by one
//! fixed tag loses its tag property, so that users never write
//! `r#type: "reply".into()` beside `Action::Reply(..)`.
//!
//! - Without extra properties, the struct carries the tag as a [`FixedTag`]:
//!   serialization writes it (inside a union and standalone alike) and decoding
//!   ignores it, so a missing or different tag is never an error.
//! - With extra properties (a flattened map), a decoded tag would land in the
//!   map and be written twice; such a struct drops the property only when it is
//!   never used outside tagged unions, whose serialization writes the tag.
//!
//! A struct selected by several tags, by different properties or different
//! tags in different unions keeps the property: its value carries information.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    FixedTag, OperationGroup, Tagging, TypeDef, TypeId, TypeKind, TypeRef, Webhook,
};

/// Where a struct is met as the variant of a tagged union.
#[derive(Default)]
struct Memberships {
    /// `(property, tags)` for each tagged union listing the struct as a variant.
    selections: Vec<(String, Vec<String>)>,
    /// Whether anything else refers to the struct (a field, an operation, an
    /// untagged union, a webhook...).
    standalone: bool,
}

/// Moves fixed discriminator values from struct fields to [`FixedTag`]s.
pub(super) fn fix(
    types: &mut BTreeMap<TypeId, TypeDef>,
    groups: &[OperationGroup],
    webhooks: &[Webhook],
) {
    let mut members: BTreeMap<TypeId, Memberships> = BTreeMap::new();
    let mut standalone = Vec::new();
    for op in groups.iter().flat_map(|g| &g.operations) {
        for ty in op.sent_types().chain(op.received_types()) {
            ty.named_into(&mut standalone);
        }
    }
    for webhook in webhooks {
        webhook.payload.named_into(&mut standalone);
    }
    for def in types.values() {
        match &def.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    field.ty.named_into(&mut standalone);
                }
                if let Some(additional) = &s.additional {
                    additional.named_into(&mut standalone);
                }
            }
            TypeKind::Union(u) => {
                for variant in &u.variants {
                    match (&u.tagging, &variant.ty) {
                        (Tagging::Tagged { property }, TypeRef::Named(id)) => members
                            .entry(id.clone())
                            .or_default()
                            .selections
                            .push((property.clone(), variant.tags.clone())),
                        _ => variant.ty.named_into(&mut standalone),
                    }
                }
            }
            TypeKind::StringEnum(_) => {}
        }
    }
    for id in standalone.into_iter().collect::<BTreeSet<_>>() {
        members.entry(id).or_default().standalone = true;
    }
    for (id, membership) in members {
        let Some(TypeKind::Struct(s)) = types.get_mut(&id).map(|def| &mut def.kind) else {
            continue;
        };
        let Some(tag) = fixed_tag(&membership.selections) else {
            continue;
        };
        let Some(position) = s.fields.iter().position(|f| f.json_name == tag.property) else {
            continue;
        };
        if s.additional.is_none() {
            s.fields.remove(position);
            s.tag = Some(tag);
        } else if !membership.standalone {
            s.fields.remove(position);
        }
    }
}

/// The one `(property, tag)` every selection agrees on, if there is one.
fn fixed_tag(selections: &[(String, Vec<String>)]) -> Option<FixedTag> {
    let (property, tags) = selections.first()?;
    let [tag] = tags.as_slice() else {
        return None;
    };
    selections
        .iter()
        .all(|(p, t)| p == property && t.as_slice() == [tag.clone()])
        .then(|| FixedTag {
            property: property.clone(),
            value: tag.clone(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selection(property: &str, tags: &[&str]) -> (String, Vec<String>) {
        (
            property.to_owned(),
            tags.iter().map(|t| (*t).to_owned()).collect(),
        )
    }

    #[test]
    fn one_tag_agreed_on_by_every_union_is_fixed() {
        let tag = fixed_tag(&[selection("type", &["reply"]), selection("type", &["reply"])]);
        assert_eq!(
            tag,
            Some(FixedTag {
                property: "type".to_owned(),
                value: "reply".to_owned()
            })
        );
    }

    #[test]
    fn several_tags_or_disagreeing_unions_fix_nothing() {
        assert_eq!(fixed_tag(&[selection("type", &["a", "b"])]), None);
        assert_eq!(
            fixed_tag(&[selection("type", &["a"]), selection("type", &["b"])]),
            None
        );
        assert_eq!(
            fixed_tag(&[selection("type", &["a"]), selection("kind", &["a"])]),
            None
        );
        assert_eq!(fixed_tag(&[selection("type", &[])]), None);
        assert_eq!(fixed_tag(&[]), None);
    }
}
