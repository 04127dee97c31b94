//! Objects: a schema's properties gathered with its `allOf` members', each
//! lowered to a field with its presence, default and docs.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr};
use serde_json::Value;

use super::{
    reference_id, schema_all_of_first, Lowered, SchemaLowerer, COMPONENT_PREFIX, MAX_DEPTH,
};
use crate::diagnostics::{child, pointer_token, Diagnostic};
use crate::lower::docs::doc;
use crate::lower::view::{Primitive, SchemaRef, View};
use crate::model::{Field, Presence, StructDef, TypeDef, TypeKind, TypeRef, Usage};
use crate::names::{self, Scope};

impl<'a> SchemaLowerer<'a> {
    /// Gathers properties from a schema and, recursively, its `allOf` members.
    pub(super) fn collect(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        owner: &str,
        parts: &mut ObjectParts<'a>,
        seen: &mut BTreeSet<String>,
    ) {
        if seen.len() > MAX_DEPTH {
            return;
        }
        if let Some(description) = view.data.description.as_deref() {
            parts.descriptions.push(description);
        }
        for (index, member) in view.all_of.iter().enumerate() {
            let member_pointer = child(&child(pointer, "allOf"), &index.to_string());
            match SchemaRef::from(member) {
                SchemaRef::Ref(reference) => {
                    let Some((name, target)) = self.resolve(reference, &member_pointer) else {
                        continue;
                    };
                    let id = format!("{COMPONENT_PREFIX}{}", pointer_token(name));
                    if !seen.insert(id.clone()) {
                        self.diagnostics.push(Diagnostic::error(
                            child(&member_pointer, "$ref"),
                            format!(
                                "`allOf` includes `{reference}`, which includes this schema again"
                            ),
                        ));
                        continue;
                    }
                    match target {
                        ReferenceOr::Item(schema) => {
                            let target_view = View::new(schema, self.raw_at(&id));
                            self.collect_member(&target_view, &id, &names::type_name(name), &member_pointer, parts, seen);
                        }
                        ReferenceOr::Reference { .. } => self.diagnostics.push(Diagnostic::warning(
                            child(&member_pointer, "$ref"),
                            "an `allOf` member that is only a reference to another reference is not merged",
                        )),
                    }
                    seen.remove(&id);
                }
                SchemaRef::Inline(schema) => {
                    let member_view = View::new(schema, self.raw_at(&member_pointer));
                    self.collect_member(
                        &member_view,
                        &member_pointer,
                        owner,
                        &member_pointer,
                        parts,
                        seen,
                    );
                }
            }
        }
        for (name, schema) in &view.properties {
            let property_pointer = child(&child(pointer, "properties"), name);
            let property = Property {
                json_name: name,
                schema: *schema,
                pointer: property_pointer,
                owner: owner.to_owned(),
            };
            match parts.properties.iter_mut().find(|p| p.json_name == *name) {
                // A later member refines the property; keep its first position.
                Some(existing) => *existing = property,
                None => parts.properties.push(property),
            }
        }
        parts.required.extend(view.required.iter().cloned());
        match view.additional {
            Some(AdditionalProperties::Schema(schema)) => {
                parts.additional = Some((
                    SchemaRef::from(schema.as_ref()),
                    child(pointer, "additionalProperties"),
                ));
            }
            Some(AdditionalProperties::Any(true)) => parts.additional_any = true,
            _ => {}
        }
    }

    pub(super) fn collect_member(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        owner: &str,
        at: &str,
        parts: &mut ObjectParts<'a>,
        seen: &mut BTreeSet<String>,
    ) {
        let (members, keyword) = view.union_members();
        if !members.is_empty() {
            self.diagnostics.push(
                Diagnostic::warning(
                    at,
                    format!("an `allOf` member with `{keyword}` is not supported; only its own properties are merged"),
                )
                .with_help("move the alternatives out of the `allOf`"),
            );
        }
        if view.primitive.is_some_and(|p| p != Primitive::Object) {
            self.diagnostics.push(Diagnostic::warning(
                at,
                "an `allOf` member that is not an object schema contributes nothing to the merged struct",
            ));
        }
        self.collect(view, pointer, owner, parts, seen);
    }

    pub(super) fn structure(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        hint: &str,
        from_component: bool,
    ) -> Lowered {
        let name = hint.to_owned();
        if view.data.discriminator.is_some() {
            self.diagnostics.push(
                Diagnostic::warning(
                    child(pointer, "discriminator"),
                    "a `discriminator` without `oneOf`, `anyOf` or a `mapping` names no variants; the schema is generated as a plain struct",
                )
                .with_help("list the variants in `oneOf` or in `discriminator.mapping`"),
            );
        }
        let mut parts = ObjectParts::default();
        let mut seen = BTreeSet::from([pointer.to_owned()]);
        self.collect(view, pointer, &name, &mut parts, &mut seen);
        // Reserve the id first so that a property referring back to us finds it.
        self.done.insert(
            pointer.to_owned(),
            Lowered::plain(TypeRef::Named(pointer.to_owned())),
        );

        let mut scope = Scope::default();
        let mut fields = Vec::new();
        for property in &parts.properties {
            let field_hint = format!("{}{}", property.owner, names::type_name(property.json_name));
            let lowered = self.lower(property.schema, &property.pointer, &field_hint);
            let facts = self.property_facts(property);
            // A read-only property is absent from requests and a write-only one
            // from responses, so neither can be required in both directions.
            let required = parts.required.contains(property.json_name)
                && !facts.read_only
                && !facts.write_only;
            fields.push(Field {
                json_name: property.json_name.to_owned(),
                name: scope.claim(&names::field_name(property.json_name)),
                ty: lowered.ty,
                required,
                nullable: lowered.nullable,
                // Final once lowering knows which types are sent (see `usage`).
                presence: Presence::of(required, lowered.nullable, false),
                default: facts.default,
                boxed: false,
                doc: facts.doc,
            });
        }
        for required in &parts.required {
            if !parts.properties.iter().any(|p| p.json_name == required)
                && parts.additional.is_none()
                && !parts.additional_any
            {
                self.diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!(
                        "`required` lists `{required}`, which is not a property of this schema"
                    ),
                ));
            }
        }
        let additional = match &parts.additional {
            Some((schema, at)) => Some(self.lower(*schema, at, &format!("{name}Value")).ty),
            None if parts.additional_any => Some(TypeRef::Json),
            None => None,
        };
        let description = view
            .data
            .description
            .as_deref()
            .or_else(|| parts.descriptions.first().copied());
        let def = TypeDef {
            name: String::new(),
            doc: doc(
                view.data.title.as_deref().filter(|_| from_component),
                description,
            ),
            kind: TypeKind::Struct(StructDef {
                fields,
                additional,
                tag: None,
            }),
            usage: Usage::default(),
        };
        self.register(pointer, &name, from_component, def)
    }

    /// What the property's own schema says (or, through a `$ref`, the
    /// referenced one): direction, deprecation and documentation.
    pub(super) fn property_facts(&mut self, property: &Property<'a>) -> PropertyFacts {
        let (data, mut description) = match property.schema {
            SchemaRef::Inline(schema) => {
                let mut description = schema.schema_data.description.clone();
                if description.is_none() {
                    if let Some(ReferenceOr::Reference { reference }) = schema_all_of_first(schema)
                    {
                        description = self.reference_description(reference);
                    }
                }
                (Some(&schema.schema_data), description)
            }
            SchemaRef::Ref(reference) => (
                reference_id(reference)
                    .and_then(|id| self.component_schema(&id))
                    .map(|s| &s.schema_data),
                self.reference_description(reference),
            ),
        };
        let deprecated = data.is_some_and(|d| d.deprecated);
        if deprecated {
            let note = "**Deprecated** by the API.";
            description = Some(match description {
                Some(text) => format!("{}\n\n{note}", text.trim_end()),
                None => note.to_owned(),
            });
        }
        PropertyFacts {
            read_only: data.is_some_and(|d| d.read_only),
            write_only: data.is_some_and(|d| d.write_only),
            default: data.and_then(|d| d.default.clone()),
            doc: doc(None, description.as_deref()),
        }
    }

    /// The properties of a schema and its `allOf` members, gathered only to
    /// look at them: problems are reported where the schema is lowered.
    pub(super) fn peek_properties(&mut self, view: &View<'a>, id: &str) -> ObjectParts<'a> {
        let mut parts = ObjectParts::default();
        let mut seen = BTreeSet::from([id.to_owned()]);
        let reported = std::mem::take(&mut self.diagnostics);
        self.collect(view, id, "", &mut parts, &mut seen);
        self.diagnostics = reported;
        parts
    }
}

/// A property gathered from a schema and its `allOf` members.
pub(super) struct Property<'a> {
    pub(super) json_name: &'a str,
    pub(super) schema: SchemaRef<'a>,
    pub(super) pointer: String,
    /// Name of the schema that declared it, the prefix for inline type names.
    pub(super) owner: String,
}

#[derive(Default)]
pub(super) struct ObjectParts<'a> {
    pub(super) properties: Vec<Property<'a>>,
    pub(super) required: BTreeSet<String>,
    pub(super) additional: Option<(SchemaRef<'a>, String)>,
    pub(super) additional_any: bool,
    pub(super) descriptions: Vec<&'a str>,
}

/// What a property's schema says beyond its type.
pub(super) struct PropertyFacts {
    read_only: bool,
    write_only: bool,
    default: Option<Value>,
    doc: Option<String>,
}
