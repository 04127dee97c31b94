//! Lowering of schemas into named types and type references.
//!
//! Named types come into being on first use, so only what the selected
//! operations reach is generated. A type is identified by the JSON pointer of
//! its schema; its Rust name is chosen at the end (see [`SchemaLowerer::finish`])
//! so that names do not depend on the order in which types were reached.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, Components, ReferenceOr, Schema};
use serde_json::Value;

use super::docs::doc;
use super::view::{Primitive, SchemaRef, View};
use crate::diagnostics::{child, pointer_token, Diagnostic, Diagnostics};
use crate::model::{
    EnumDef, EnumVariant, Field, Presence, Shape, StructDef, Tagging, TypeDef, TypeId, TypeKind,
    TypeRef, UnionDef, UnionVariant, Usage,
};
use crate::names::{self, Scope};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Deeper nesting than this is refused instead of risking the stack.
const MAX_DEPTH: usize = 64;

/// A lowered schema as a user sees it: a type and whether `null` is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Lowered {
    fn plain(ty: TypeRef) -> Self {
        Self {
            ty,
            nullable: false,
        }
    }
}

/// A property gathered from a schema and its `allOf` members.
struct Property<'a> {
    json_name: &'a str,
    schema: SchemaRef<'a>,
    pointer: String,
    /// Name of the schema that declared it, the prefix for inline type names.
    owner: String,
}

#[derive(Default)]
struct ObjectParts<'a> {
    properties: Vec<Property<'a>>,
    required: BTreeSet<String>,
    additional: Option<(SchemaRef<'a>, String)>,
    additional_any: bool,
    descriptions: Vec<&'a str>,
}

/// What a property's schema says beyond its type.
struct PropertyFacts {
    read_only: bool,
    write_only: bool,
    default: Option<Value>,
    doc: Option<String>,
}

/// A type waiting for its final name.
struct Pending {
    candidate: String,
    from_component: bool,
    def: TypeDef,
}

/// Lowers schemas on demand and owns the types made so far.
pub struct SchemaLowerer<'a> {
    components: Option<&'a Components>,
    raw: &'a Value,
    pub diagnostics: Diagnostics,
    types: BTreeMap<TypeId, Pending>,
    done: BTreeMap<TypeId, Lowered>,
    in_progress: BTreeSet<TypeId>,
    depth: usize,
    /// Component schemas with an `example`, for the example round-trip tests.
    pub schema_examples: Vec<(TypeId, Value)>,
}

impl<'a> SchemaLowerer<'a> {
    pub fn new(components: Option<&'a Components>, raw: &'a Value) -> Self {
        Self {
            components,
            raw,
            diagnostics: Diagnostics::default(),
            types: BTreeMap::new(),
            done: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            depth: 0,
            schema_examples: Vec::new(),
        }
    }

    /// Lowers a schema or reference found at `pointer`; inline named types are
    /// called `hint`.
    pub fn lower(&mut self, schema: SchemaRef<'a>, pointer: &str, hint: &str) -> Lowered {
        match schema {
            SchemaRef::Ref(reference) => self.component(reference, pointer),
            SchemaRef::Inline(schema) => self.inline(schema, pointer, hint),
        }
    }

    /// Resolves `#/components/schemas/name`, reporting other forms at `at`.
    fn resolve(&mut self, reference: &str, at: &str) -> Option<(&'a str, &'a ReferenceOr<Schema>)> {
        let Some(name) = reference.strip_prefix(COMPONENT_PREFIX) else {
            let message = if reference.starts_with('#') {
                format!("`$ref: {reference}` does not point into `#/components/schemas`")
            } else {
                format!("`$ref: {reference}` points into another document")
            };
            self.diagnostics
                .push(Diagnostic::error(child(at, "$ref"), message).with_help(
                "schemas must be referenced as `#/components/schemas/<name>` in this same document",
            ));
            return None;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        let found = self
            .components
            .and_then(|c| c.schemas.get_key_value(name.as_str()))
            .map(|(key, value)| (key.as_str(), value));
        if found.is_none() {
            self.diagnostics.push(
                Diagnostic::error(
                    child(at, "$ref"),
                    format!("`$ref: {reference}` points at nothing"),
                )
                .with_help(format!(
                    "define `{name}` under `components/schemas`, or fix the reference"
                )),
            );
        }
        found
    }

    fn component(&mut self, reference: &str, at: &str) -> Lowered {
        let Some((name, schema)) = self.resolve(reference, at) else {
            return Lowered::plain(TypeRef::Json);
        };
        let id = format!("{COMPONENT_PREFIX}{}", pointer_token(name));
        if let Some(lowered) = self.done.get(&id) {
            return lowered.clone();
        }
        if self.in_progress.contains(&id) {
            // A cycle: fine through a named type, which the cycle will refer to.
            let mut seen = BTreeSet::new();
            return match self.named_target(&id, &mut seen) {
                Some(target) => Lowered {
                    ty: TypeRef::Named(target),
                    nullable: self
                        .component_schema(&id)
                        .is_some_and(|s| s.schema_data.nullable),
                },
                None => {
                    self.diagnostics.push(
                        Diagnostic::error(&id, "this schema refers to itself without ever becoming an object, enum or union")
                            .with_help("a `$ref` cycle needs a concrete object type somewhere in the loop"),
                    );
                    Lowered::plain(TypeRef::Json)
                }
            };
        }
        self.in_progress.insert(id.clone());
        let lowered = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.component(reference, &id);
                Lowered {
                    ty: target.ty,
                    nullable: target.nullable,
                }
            }
            ReferenceOr::Item(schema) => {
                let hint = names::type_name(name);
                self.schema(schema, &id, &hint, true)
            }
        };
        self.in_progress.remove(&id);
        self.done.insert(id, lowered.clone());
        lowered
    }

    fn component_schema(&self, id: &str) -> Option<&'a Schema> {
        let name = id
            .strip_prefix(COMPONENT_PREFIX)?
            .replace("~1", "/")
            .replace("~0", "~");
        match self.components?.schemas.get(&name)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The id of the named type a component becomes, if it becomes one
    /// (following `allOf: [$ref]` wrappers and plain aliases).
    fn named_target(&self, id: &str, seen: &mut BTreeSet<String>) -> Option<TypeId> {
        if !seen.insert(id.to_owned()) {
            return None;
        }
        let name = id
            .strip_prefix(COMPONENT_PREFIX)?
            .replace("~1", "/")
            .replace("~0", "~");
        let schema = match self.components?.schemas.get(&name)? {
            ReferenceOr::Reference { reference } => {
                return self.named_target(&reference_id(reference)?, seen);
            }
            ReferenceOr::Item(schema) => schema,
        };
        let view = View::new(schema, self.raw_at(id));
        if let Some(SchemaRef::Ref(reference)) = single_ref_wrapper(&view) {
            return self.named_target(&reference_id(reference)?, seen);
        }
        let (members, _) = view.union_members();
        if members.len() == 1 && !is_discriminated(&view) {
            return match SchemaRef::from(&members[0]) {
                SchemaRef::Ref(reference) => self.named_target(&reference_id(reference)?, seen),
                SchemaRef::Inline(_) => Some(id.to_owned()),
            };
        }
        let named = !view.all_of.is_empty()
            || members.len() > 1
            || (members.len() == 1 && is_discriminated(&view))
            || is_polymorphic_base(&view)
            || (view.primitive == Some(Primitive::String) && has_string_values(&view))
            || (view.primitive == Some(Primitive::Object) && !view.properties.is_empty());
        named.then(|| id.to_owned())
    }

    fn raw_at(&self, pointer: &str) -> Option<&'a Value> {
        self.raw.pointer(pointer.strip_prefix('#')?)
    }

    fn inline(&mut self, schema: &'a Schema, pointer: &str, hint: &str) -> Lowered {
        if let Some(lowered) = self.done.get(pointer) {
            return lowered.clone();
        }
        let lowered = self.schema(schema, pointer, hint, false);
        if matches!(lowered.ty, TypeRef::Named(ref id) if id == pointer) {
            self.done.insert(pointer.to_owned(), lowered.clone());
        }
        lowered
    }

    fn schema(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        hint: &str,
        from_component: bool,
    ) -> Lowered {
        if self.depth >= MAX_DEPTH {
            self.diagnostics.push(Diagnostic::error(
                pointer,
                format!("schemas are nested more than {MAX_DEPTH} levels deep here"),
            ));
            return Lowered::plain(TypeRef::Json);
        }
        self.depth += 1;
        let view = View::new(schema, self.raw_at(pointer));
        let mut lowered = self.schema_view(&view, pointer, hint, from_component);
        lowered.nullable |= view.data.nullable;
        // A whole-object `example` on a schema that became a named type is
        // checked like any other example.
        if let (TypeRef::Named(id), Some(example @ Value::Object(_))) =
            (&lowered.ty, &view.data.example)
        {
            if id == pointer {
                self.schema_examples.push((id.clone(), example.clone()));
            }
        }
        self.depth -= 1;
        lowered
    }

    fn schema_view(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        hint: &str,
        from_component: bool,
    ) -> Lowered {
        if let Some(target) = single_ref_wrapper(view) {
            return self.lower(target, &child(&child(pointer, "allOf"), "0"), hint);
        }
        if view.has_not {
            self.diagnostics.push(
                Diagnostic::warning(
                    pointer,
                    "`not` is not supported; any JSON value is accepted here",
                )
                .with_help("describe the allowed values positively (type, enum, oneOf)"),
            );
            return Lowered::plain(TypeRef::Json);
        }
        if let Some(other) = view.unknown_type {
            self.diagnostics.push(
                Diagnostic::error(
                    child(pointer, "type"),
                    format!("`type: {other}` is not an OpenAPI 3.0 type"),
                )
                .with_help("use one of string, integer, number, boolean, object, array"),
            );
            return Lowered::plain(TypeRef::Json);
        }
        if !view.all_of.is_empty() {
            return self.structure(view, pointer, hint, from_component);
        }
        let (members, keyword) = view.union_members();
        if members.len() == 1 && !is_discriminated(view) {
            let member_pointer = child(&child(pointer, keyword), "0");
            return self.lower(SchemaRef::from(&members[0]), &member_pointer, hint);
        }
        if !members.is_empty() || is_polymorphic_base(view) {
            return self.union(view, pointer, hint, from_component);
        }
        let ty = match view.primitive {
            Some(Primitive::String) if has_string_values(view) => {
                return self.string_enum(view, pointer, hint, from_component)
            }
            Some(Primitive::String) => match view.format.as_deref() {
                Some("binary") => TypeRef::Binary,
                _ => TypeRef::String,
            },
            Some(Primitive::Integer) => {
                self.warn_unenforced_enum(view, pointer);
                match view.format.as_deref() {
                    Some("int32") => TypeRef::I32,
                    _ => TypeRef::I64,
                }
            }
            Some(Primitive::Number) => {
                self.warn_unenforced_enum(view, pointer);
                match view.format.as_deref() {
                    Some("float") => TypeRef::F32,
                    _ => TypeRef::F64,
                }
            }
            Some(Primitive::Boolean) => {
                self.warn_unenforced_enum(view, pointer);
                TypeRef::Bool
            }
            Some(Primitive::Array) => {
                let items = match view.items {
                    Some(items) => {
                        self.lower(items, &child(pointer, "items"), &format!("{hint}Item"))
                            .ty
                    }
                    None => {
                        self.diagnostics.push(Diagnostic::warning(
                            pointer,
                            "array schema without `items`; its elements are any JSON value",
                        ));
                        TypeRef::Json
                    }
                };
                TypeRef::Array(Box::new(items))
            }
            Some(Primitive::Object) if !view.properties.is_empty() => {
                return self.structure(view, pointer, hint, from_component);
            }
            Some(Primitive::Object) => match view.additional {
                Some(AdditionalProperties::Schema(values)) => {
                    let values = self.lower(
                        SchemaRef::from(values.as_ref()),
                        &child(pointer, "additionalProperties"),
                        &format!("{hint}Value"),
                    );
                    TypeRef::Map(Box::new(values.ty))
                }
                _ => TypeRef::Object,
            },
            None => TypeRef::Json,
        };
        Lowered::plain(ty)
    }

    fn warn_unenforced_enum(&mut self, view: &View<'a>, pointer: &str) {
        if !view.enumeration.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                child(pointer, "enum"),
                "`enum` is only supported on strings; the plain type is used and the values are not checked",
            ));
        }
    }

    fn register(
        &mut self,
        id: &str,
        candidate: &str,
        from_component: bool,
        def: TypeDef,
    ) -> Lowered {
        self.types.insert(
            id.to_owned(),
            Pending {
                candidate: candidate.to_owned(),
                from_component,
                def,
            },
        );
        Lowered::plain(TypeRef::Named(id.to_owned()))
    }

    fn string_enum(
        &mut self,
        view: &View<'a>,
        pointer: &str,
        hint: &str,
        from_component: bool,
    ) -> Lowered {
        let mut scope = Scope::default();
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for (index, value) in view.enumeration.iter().enumerate() {
            match value {
                Value::String(text) => {
                    if seen.insert(text.clone()) {
                        variants.push(EnumVariant {
                            value: text.clone(),
                            name: scope.claim(&names::variant_name(text)),
                        });
                    }
                }
                // `null` among the values just repeats `nullable: true`.
                Value::Null => {}
                other => self.diagnostics.push(Diagnostic::warning(
                    child(&child(pointer, "enum"), &index.to_string()),
                    format!("`{other}` is not a string; the value is left out of the enumeration"),
                )),
            }
        }
        let fallback = scope.claim("Unknown");
        let def = TypeDef {
            name: String::new(),
            doc: doc(view.data.title.as_deref(), view.data.description.as_deref()),
            kind: TypeKind::StringEnum(EnumDef { variants, fallback }),
            usage: Usage::default(),
        };
        self.register(pointer, hint, from_component, def)
    }

    /// Gathers properties from a schema and, recursively, its `allOf` members.
    fn collect(
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

    fn collect_member(
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

    fn structure(
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
    fn property_facts(&mut self, property: &Property<'a>) -> PropertyFacts {
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

    fn reference_description(&self, reference: &str) -> Option<String> {
        let id = reference_id(reference)?;
        let schema = self.component_schema(&id)?;
        schema
            .schema_data
            .description
            .clone()
            .or_else(|| schema.schema_data.title.clone())
    }

    fn union(
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
            let variant_name = scope.claim(&variant_name);
            let lowered = self.lower(member, &member_pointer, &format!("{name}{variant_name}"));
            nullable |= lowered.nullable;
            let tags = match discriminator {
                Some(d) => self.tags_for(d, member, &member_pointer),
                None => Vec::new(),
            };
            let shape = self.shape(member, &member_pointer);
            variants.push(UnionVariant {
                name: variant_name,
                ty: lowered.ty,
                tags,
                shape,
                boxed: false,
                doc: doc(None, member_doc.as_deref()),
            });
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
            let variant_name = scope.claim(&variant_name);
            let lowered = self.lower(member, &member_pointer, &format!("{name}{variant_name}"));
            let shape = self.shape(member, &member_pointer);
            let event_doc = doc(
                None,
                Some(&format!(
                    "`{tag}`: {}",
                    member_doc.as_deref().unwrap_or("event.")
                )),
            );
            variants.push(UnionVariant {
                name: variant_name,
                ty: lowered.ty,
                tags: vec![tag],
                shape,
                boxed: false,
                doc: event_doc,
            });
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
    fn tags_for(
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

    /// The properties of a schema and its `allOf` members, gathered only to
    /// look at them: problems are reported where the schema is lowered.
    fn peek_properties(&mut self, view: &View<'a>, id: &str) -> ObjectParts<'a> {
        let mut parts = ObjectParts::default();
        let mut seen = BTreeSet::from([id.to_owned()]);
        let reported = std::mem::take(&mut self.diagnostics);
        self.collect(view, id, "", &mut parts, &mut seen);
        self.diagnostics = reported;
        parts
    }

    fn single_enum_value(&mut self, reference: &str, property: &str) -> Option<String> {
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
    fn shape(&mut self, member: SchemaRef<'a>, pointer: &str) -> Shape {
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

    /// Decides the final names, marks the fields that must be boxed to break
    /// cycles, and hands over the finished types.
    pub fn finish(self) -> (BTreeMap<TypeId, TypeDef>, Diagnostics, Vec<(TypeId, Value)>) {
        let mut order: Vec<(&TypeId, &Pending)> = self.types.iter().collect();
        // Inline types claim their names first, then component schemas; each
        // group alphabetically, so a name never depends on traversal order.
        // An inline type's name comes from its owner's path (`MessageAuthor`
        // for `message.author`), so a component schema added later under the
        // same name takes the suffix and the existing type keeps its name.
        order.sort_by(|a, b| {
            (a.1.from_component, &a.1.candidate, a.0).cmp(&(
                b.1.from_component,
                &b.1.candidate,
                b.0,
            ))
        });
        let mut scope = Scope::default();
        let names: BTreeMap<TypeId, String> = order
            .into_iter()
            .map(|(id, pending)| (id.clone(), scope.claim(&pending.candidate)))
            .collect();
        let mut types: BTreeMap<TypeId, TypeDef> = self
            .types
            .into_iter()
            .map(|(id, pending)| {
                let mut def = pending.def;
                def.name = names.get(&id).cloned().unwrap_or_default();
                (id, def)
            })
            .collect();
        break_cycles(&mut types);
        (types, self.diagnostics, self.schema_examples)
    }
}

/// Boxes every by-value reference that lies on a cycle, so each type has a finite size.
fn break_cycles(types: &mut BTreeMap<TypeId, TypeDef>) {
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

/// `allOf: [$ref]` with nothing of its own but annotations is just that reference.
fn single_ref_wrapper<'a>(view: &View<'a>) -> Option<SchemaRef<'a>> {
    match view.all_of {
        [only]
            if view.properties.is_empty()
                && view.one_of.is_empty()
                && view.any_of.is_empty()
                && view.additional.is_none() =>
        {
            Some(SchemaRef::from(only))
        }
        _ => None,
    }
}

fn schema_all_of_first(schema: &Schema) -> Option<&ReferenceOr<Schema>> {
    match &schema.schema_kind {
        openapiv3::SchemaKind::AllOf { all_of } => all_of.first(),
        openapiv3::SchemaKind::Any(any) => any.all_of.first(),
        _ => None,
    }
}

/// A union with a discriminator stays a union even with a single member: the
/// tag still selects it, and other tag values (kinds the document does not
/// list yet) must land in `Unknown` rather than decode as that member.
fn is_discriminated(view: &View<'_>) -> bool {
    view.data.discriminator.is_some()
}

/// A base schema whose discriminator mapping lists its variants (no `oneOf`).
fn is_polymorphic_base(view: &View<'_>) -> bool {
    view.one_of.is_empty()
        && view.any_of.is_empty()
        && view
            .data
            .discriminator
            .as_ref()
            .is_some_and(|d| !d.mapping.is_empty())
}

fn has_string_values(view: &View<'_>) -> bool {
    view.enumeration.iter().any(Value::is_string)
}

fn reference_id(reference: &str) -> Option<TypeId> {
    reference
        .starts_with(COMPONENT_PREFIX)
        .then(|| reference.to_owned())
}

fn inline_variant_name(schema: &Schema, index: usize) -> String {
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
