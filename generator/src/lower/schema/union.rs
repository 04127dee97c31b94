//! Unions (`oneOf`, `anyOf`, a discriminator's mapping) and the events
//! enum of a webhook delivery: each member lowered as a variant by
//! [`SchemaLowerer::variant`], selected by tag or by shape.

use openapiv3::Schema;
use serde_json::Value;

use super::{reference_id, single_ref_wrapper, Lowered, SchemaLowerer};
use crate::diagnostics::{child, Diagnostic};
use crate::lower::docs::doc;
use crate::lower::view::{Primitive, SchemaRef, View};
use crate::model::{
    Doc, Shape, Tagging, TypeDef, TypeKind, TypeRef, UnionDef, UnionVariant, Usage,
};
use crate::names::{self, Scope};

/// A member of a union, about to become its variant.
struct Member<'m, 'a> {
    /// The member's schema.
    schema: SchemaRef<'a>,
    /// Where it is.
    pointer: &'m str,
    /// The variant name it asks for.
    candidate: &'m str,
    /// The variant's documentation.
    doc: Doc,
}

impl<'a> SchemaLowerer<'a> {
    /// Lowers a member of the union `union_name` as its variant, the one way
    /// for unions and event enums alike: the name claimed in `scope`, the
    /// member's type (an inline one named `{union_name}{Variant}`), then the
    /// tags `tags_of` gives and the JSON shape that picks it when untagged.
    /// Also whether the member allows `null`.
    fn variant(
        &mut self,
        scope: &mut Scope,
        member: Member<'_, 'a>,
        union_name: &str,
        tags_of: impl FnOnce(&mut Self, &Member<'_, 'a>) -> Vec<String>,
    ) -> (UnionVariant, bool) {
        let name = scope.claim(member.candidate);
        let lowered = self.lower(
            member.schema,
            member.pointer,
            &format!("{union_name}{name}"),
        );
        let tags = tags_of(self, &member);
        let shape = self.shape(member.schema, member.pointer);
        let variant = UnionVariant {
            name,
            ty: lowered.ty,
            tags,
            shape,
            boxed: false,
            doc: member.doc,
        };
        (variant, lowered.nullable)
    }

    pub(super) fn union(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        hint: &str,
        from_component: bool,
    ) -> Lowered {
        let name = hint.to_owned();
        self.done.insert(
            pointer.to_owned(),
            Lowered::plain(TypeRef::Named(pointer.to_owned())),
        );
        let (members, keyword) = view.union_members();
        let discriminator = view.data.discriminator.as_ref();
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut nullable = false;
        // Polymorphism through a base schema lists its variants only in the mapping.
        let listed: Vec<(String, SchemaRef<'a>)> = if members.is_empty() {
            discriminator
                .map(|d| {
                    d.mapping
                        .iter()
                        .map(|(tag, target)| {
                            (
                                child(&child(&child(pointer, "discriminator"), "mapping"), tag),
                                SchemaRef::Ref(target.as_str()),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        } else {
            members
                .iter()
                .enumerate()
                .map(|(index, member)| {
                    (
                        child(&child(pointer, keyword), &index.to_string()),
                        SchemaRef::from(member),
                    )
                })
                .collect()
        };
        for (index, (member_pointer, member)) in listed.into_iter().enumerate() {
            let (variant_name, member_doc) = match member {
                SchemaRef::Ref(reference) => {
                    let component = reference.rsplit('/').next().unwrap_or(reference);
                    (
                        names::variant_name(component),
                        self.reference_description(reference),
                    )
                }
                SchemaRef::Inline(schema) => (
                    match &schema.schema_data.title {
                        Some(title) => names::variant_name(title),
                        None => inline_variant_name(schema, index),
                    },
                    schema.schema_data.description.clone(),
                ),
            };
            let member = Member {
                schema: member,
                pointer: &member_pointer,
                candidate: &variant_name,
                doc: doc(None, member_doc.as_deref()),
            };
            let (variant, member_nullable) = self.variant(
                &mut scope,
                member,
                &name,
                |lowerer, member| match discriminator {
                    Some(d) => lowerer.tags_for(d, member.schema, member.pointer),
                    None => Vec::new(),
                },
            );
            nullable |= member_nullable;
            variants.push(variant);
        }
        let tagging = match discriminator {
            Some(d) => Tagging::Tagged {
                property: d.property_name.clone(),
            },
            None => Tagging::Untagged,
        };
        let fallback = matches!(tagging, Tagging::Tagged { .. }).then(|| scope.claim("Unknown"));
        let def = TypeDef {
            name: String::new(),
            doc: doc(
                view.data.title.as_deref().filter(|_| from_component),
                view.data.description.as_deref(),
            ),
            kind: TypeKind::Union(UnionDef {
                tagging,
                variants,
                fallback,
            }),
            usage: Usage::default(),
        };
        let mut lowered = self.register(pointer, &name, from_component, def);
        lowered.nullable = nullable;
        lowered
    }

    /// Lowers the item schema of a webhook `events` array: a union without a
    /// discriminator whose members each carry their event type as `title`.
    /// The result is a union tagged by `type`, named `name`.
    pub fn event_union(&mut self, items: &'a Schema, pointer: &str, name: &str) -> Lowered {
        let view = View::new(items, self.raw_at(pointer));
        let (members, keyword) = view.union_members();
        if members.is_empty() || view.data.discriminator.is_some() {
            return self.lower(SchemaRef::Inline(items), pointer, name);
        }
        self.done.insert(
            pointer.to_owned(),
            Lowered::plain(TypeRef::Named(pointer.to_owned())),
        );
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        for (index, member) in members.iter().enumerate() {
            let member_pointer = child(&child(pointer, keyword), &index.to_string());
            let member = SchemaRef::from(member);
            let (variant_name, title, member_doc) = match member {
                SchemaRef::Ref(reference) => {
                    let component = reference.rsplit('/').next().unwrap_or(reference);
                    let schema = reference_id(reference).and_then(|id| self.component_schema(&id));
                    let title = schema.and_then(|s| s.schema_data.title.clone());
                    let description = schema.and_then(|s| s.schema_data.description.clone());
                    (names::variant_name(component), title, description)
                }
                SchemaRef::Inline(schema) => (
                    inline_variant_name(schema, index),
                    schema.schema_data.title.clone(),
                    schema.schema_data.description.clone(),
                ),
            };
            let Some(tag) = title else {
                self.diagnostics.push(
                    Diagnostic::warning(&member_pointer, "webhook event schema without a `title`; its event type is unknown, so it can never be selected")
                        .with_help("give the event schema `title: <event type>`, such as `title: conversation:message`"),
                );
                continue;
            };
            let event_doc = doc(
                None,
                Some(&format!(
                    "`{tag}`: {}",
                    member_doc.as_deref().unwrap_or("event.")
                )),
            );
            let member = Member {
                schema: member,
                pointer: &member_pointer,
                candidate: &variant_name,
                doc: event_doc,
            };
            let (variant, _) = self.variant(&mut scope, member, name, |_, _| vec![tag]);
            variants.push(variant);
        }
        let fallback = Some(scope.claim("Unknown"));
        let def = TypeDef {
            name: String::new(),
            doc: doc(None, Some("One webhook event, selected by its `type`. Event types this crate does not know yet are kept, unparsed, in `Unknown`.")),
            kind: TypeKind::Union(UnionDef { tagging: Tagging::Tagged { property: "type".to_owned() }, variants, fallback }),
            usage: Usage::default(),
        };
        self.register(pointer, name, false, def)
    }

    /// Tag values that select `member`: the discriminator mapping, else a
    /// single-valued `enum` on the property, else the schema's name.
    pub(super) fn tags_for(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        member: SchemaRef<'a>,
        at: &str,
    ) -> Vec<String> {
        let SchemaRef::Ref(reference) = member else {
            self.diagnostics.push(Diagnostic::warning(
                at,
                "an inline member of a union with a `discriminator` cannot be selected by tag; give it a `$ref`",
            ));
            return Vec::new();
        };
        let mapped: Vec<String> = discriminator
            .mapping
            .iter()
            .filter(|(_, target)| {
                target.as_str() == reference
                    || target.as_str() == reference.rsplit('/').next().unwrap_or("")
            })
            .map(|(tag, _)| tag.clone())
            .collect();
        if !mapped.is_empty() {
            return mapped;
        }
        if let Some(value) = self.single_enum_value(reference, &discriminator.property_name) {
            return vec![value];
        }
        vec![reference.rsplit('/').next().unwrap_or(reference).to_owned()]
    }

    pub(super) fn single_enum_value(&mut self, reference: &str, property: &str) -> Option<String> {
        let id = reference_id(reference)?;
        let schema = self.component_schema(&id)?;
        let view = View::new(schema, self.raw_at(&id));
        let parts = self.peek_properties(&view, &id);
        let found = parts.properties.iter().find(|p| p.json_name == property)?;
        let SchemaRef::Inline(schema) = found.schema else {
            return None;
        };
        let view = View::new(schema, self.raw_at(&found.pointer));
        match view.enumeration.as_slice() {
            [Value::String(only)] => Some(only.clone()),
            _ => None,
        }
    }

    /// What JSON a union member accepts, for choosing untagged variants.
    pub(super) fn shape(&mut self, member: SchemaRef<'a>, pointer: &str) -> Shape {
        let (schema, id) = match member {
            SchemaRef::Inline(schema) => (schema, pointer.to_owned()),
            SchemaRef::Ref(reference) => {
                let Some(id) = reference_id(reference) else {
                    return Shape::Any;
                };
                match self.component_schema(&id) {
                    Some(schema) => (schema, id),
                    None => return Shape::Any,
                }
            }
        };
        let view = View::new(schema, self.raw_at(&id));
        if let Some(SchemaRef::Ref(reference)) = single_ref_wrapper(&view) {
            return self.shape(SchemaRef::Ref(reference), pointer);
        }
        match view.primitive {
            Some(Primitive::String) => Shape::String,
            Some(Primitive::Integer | Primitive::Number) => Shape::Number,
            Some(Primitive::Boolean) => Shape::Bool,
            Some(Primitive::Array) => Shape::Array,
            _ if !view.one_of.is_empty() || !view.any_of.is_empty() => Shape::Any,
            Some(Primitive::Object) | None
                if !view.properties.is_empty() || !view.all_of.is_empty() =>
            {
                let parts = self.peek_properties(&view, &id);
                Shape::Object {
                    known: parts
                        .properties
                        .iter()
                        .map(|p| p.json_name.to_owned())
                        .collect(),
                    required: parts.required.into_iter().collect(),
                }
            }
            _ => Shape::Any,
        }
    }
}

pub(super) fn inline_variant_name(schema: &Schema, index: usize) -> String {
    let view = View::new(schema, None);
    match view.primitive {
        Some(Primitive::String) => "String".to_owned(),
        Some(Primitive::Integer) => "Integer".to_owned(),
        Some(Primitive::Number) => "Number".to_owned(),
        Some(Primitive::Boolean) => "Boolean".to_owned(),
        Some(Primitive::Array) => "Array".to_owned(),
        _ => format!("Variant{}", index + 1),
    }
}
