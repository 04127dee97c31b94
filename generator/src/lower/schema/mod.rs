//! Lowering of schemas into named types and type references.
//!
//! Named types come into being on first use, so only what the selected
//! operations reach is generated. A type is identified by the JSON pointer of
//! its schema; its Rust name is chosen at the end (see [`SchemaLowerer::finish`])
//! so that names do not depend on the order in which types were reached.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, Components, ReferenceOr, Schema};
use serde_json::Value;

mod cycles;
mod object;
mod union;

use super::docs::doc;
use super::view::{Primitive, SchemaRef, View};
use crate::diagnostics::{child, pointer_token, Diagnostic, Diagnostics};
use crate::model::{EnumDef, EnumVariant, TypeDef, TypeId, TypeKind, TypeRef, Usage};
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

    fn reference_description(&self, reference: &str) -> Option<String> {
        let id = reference_id(reference)?;
        let schema = self.component_schema(&id)?;
        schema
            .schema_data
            .description
            .clone()
            .or_else(|| schema.schema_data.title.clone())
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
        cycles::break_cycles(&mut types);
        (types, self.diagnostics, self.schema_examples)
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

fn has_string_values(view: &View<'_>) -> bool {
    view.enumeration.iter().any(Value::is_string)
}

fn reference_id(reference: &str) -> Option<TypeId> {
    reference
        .starts_with(COMPONENT_PREFIX)
        .then(|| reference.to_owned())
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
