//! The intermediate model: the document in Rust terms. Lowering builds it
//! from OpenAPI, naming what comes from schemas (types, fields, variants,
//! servers) and computing facts (usage, pagination, which webhook lists
//! events); nothing in it is left for a later stage to fill in. The surface
//! stage (`crate::surface::build`) reads it, without changing it, and claims
//! every other name: modules, methods, the items derived from operations,
//! features. Collections are ordered (`Vec` in document order, `BTreeMap` by
//! key) so that output never depends on hash order.

use std::collections::{BTreeMap, BTreeSet};

/// Identifies a named type: the JSON pointer of the schema it came from.
pub type TypeId = String;

/// The highest heading level in [`Api::description`]: `###`, below the
/// level-2 heading the crate page shows it under.
pub const API_DESCRIPTION_TOP_HEADING: usize = 3;

/// The whole API, as the emitters see it.
#[derive(Debug, Clone)]
pub struct Api {
    /// API title from `info.title`.
    pub title: String,
    /// API version from `info.version`.
    pub version: String,
    /// Description from `info.description`, its headings nested below
    /// [`API_DESCRIPTION_TOP_HEADING`] (it is shown under a heading of its own).
    pub description: Option<String>,
    /// Servers, in document order.
    pub servers: Vec<Server>,
    /// Authentication schemes the document declares.
    pub auth: Vec<AuthScheme>,
    /// Operations grouped by tag; groups in document tag order.
    pub groups: Vec<OperationGroup>,
    /// Every named type reachable from the selected operations and webhooks.
    pub types: BTreeMap<TypeId, TypeDef>,
    /// Webhook payload types, keyed by event name.
    pub webhooks: Vec<Webhook>,
    /// Examples from the document that belong to a generated type.
    pub examples: Vec<Example>,
    /// Which document, and which part of it, this API was lowered from.
    pub source: Source,
}

/// The origin of an [`Api`], recorded in the generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Source {
    /// SHA-256 of the document's bytes, lower-case hex.
    pub sha256: String,
    /// The `--tag` selection, sorted and without repeats; empty for every operation.
    pub tags: Vec<String>,
}

impl Api {
    /// Every operation, in group order.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.groups.iter().flat_map(|group| group.operations.iter())
    }

    /// The type a `TypeRef::Named` points at.
    pub fn type_def(&self, id: &str) -> Option<&TypeDef> {
        self.types.get(id)
    }

    /// The first webhook whose payload lists events, with the type of one
    /// event (the crate's event enum): what receivers and test deliveries carry.
    pub fn event_delivery(&self) -> Option<(&Webhook, &TypeRef)> {
        self.webhooks
            .iter()
            .find_map(|webhook| Some((webhook, &webhook.events.as_ref()?.event)))
    }

    /// Every named type reachable from `roots` through fields, extra
    /// properties and variants (the roots included).
    pub fn reachable<'a>(&self, roots: impl IntoIterator<Item = &'a TypeRef>) -> BTreeSet<TypeId> {
        reachable(&self.types, roots)
    }
}

/// Every named type of `types` reachable from `roots` through fields, extra
/// properties and variants (the roots included).
pub fn reachable<'a>(
    types: &BTreeMap<TypeId, TypeDef>,
    roots: impl IntoIterator<Item = &'a TypeRef>,
) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<TypeId> = Vec::new();
    for root in roots {
        root.named_into(&mut stack);
    }
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let mut next = Vec::new();
        match types.get(&id).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => {
                for field in &s.fields {
                    field.ty.named_into(&mut next);
                }
                if let Some(additional) = &s.additional {
                    additional.named_into(&mut next);
                }
            }
            Some(TypeKind::Union(u)) => {
                for variant in &u.variants {
                    variant.ty.named_into(&mut next);
                }
            }
            Some(TypeKind::StringEnum(_)) | None => {}
        }
        stack.extend(next.into_iter().filter(|n| !seen.contains(n)));
    }
    seen
}

impl Operation {
    /// The types of what callers send: path, query and header parameters and
    /// the body.
    pub fn sent_types(&self) -> impl Iterator<Item = &TypeRef> {
        self.path_params
            .iter()
            .chain(&self.query_and_header_params)
            .map(|p| &p.ty)
            .chain(self.body.as_ref().map(|body| body.kind.ty()))
    }

    /// The types of what callers receive: every documented response's body.
    pub fn received_types(&self) -> impl Iterator<Item = &TypeRef> {
        self.successes
            .iter()
            .chain(&self.errors)
            .filter_map(|r| r.body.as_ref())
    }
}

/// A base URL the API is served from.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// Variant name in the generated `Server` enum.
    pub name: String,
    /// URL template, with `{variable}` placeholders.
    pub url: String,
    /// What the server is for.
    pub doc: Option<String>,
    /// Template variables, in order of appearance in the URL.
    pub variables: Vec<ServerVariable>,
    /// Whether this is the default server.
    pub is_default: bool,
}

/// A `{variable}` in a server URL.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerVariable {
    /// Name in the URL template.
    pub name: String,
    /// Rust field name.
    pub field: String,
    /// Documentation.
    pub doc: Option<String>,
    /// Default value from the document.
    pub default: String,
}

/// An authentication scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// HTTP basic (key id and secret).
    Basic,
    /// HTTP bearer token (for this API, a JWT).
    Bearer,
    /// Something else (API key in a header, OAuth2 flows…), by scheme name.
    Other(String),
}

/// The operations of one tag, emitted as one module and one accessor (whose
/// names the surface claims).
#[derive(Debug, Clone)]
pub struct OperationGroup {
    /// Tag name as written in the document (unique among groups).
    pub tag: String,
    /// Tag description.
    pub doc: Option<String>,
    /// Operations by method name.
    pub operations: Vec<Operation>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
    /// OPTIONS
    Options,
    /// TRACE
    Trace,
}

impl Method {
    /// The upper-case method name, as reqwest's constants spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

/// One API call.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` as written (or derived when missing).
    pub id: String,
    /// Prefix of the types named after the operation (`PassControl`): its
    /// inline schemas here, and `{Op}Params`, `{Op}Error` and `{Op}Response`,
    /// which the surface claims.
    pub type_prefix: String,
    /// HTTP method.
    pub method: Method,
    /// Path template as written (`/v2/apps/{appId}/…`).
    pub path: String,
    /// The path template split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// Summary line.
    pub summary: Option<String>,
    /// Longer description.
    pub description: Option<String>,
    /// Whether the operation is marked deprecated.
    pub deprecated: bool,
    /// Path parameters, in template order.
    pub path_params: Vec<Parameter>,
    /// Query and header parameters, gathered in the `{Op}Params` struct.
    pub query_and_header_params: Vec<Parameter>,
    /// Request body, if any.
    pub body: Option<RequestBody>,
    /// Documented success responses (2xx and 3xx), by status.
    pub successes: Vec<Response>,
    /// Documented error responses (4xx, 5xx and `default`), by status.
    pub errors: Vec<Response>,
    /// How the operation pages through a list, when it does.
    pub pagination: Option<Pagination>,
    /// Where it came from.
    pub pointer: String,
}

/// Cursor pagination of a list operation, recognised from the document's
/// structure: a `page` deepObject query parameter with `after` and `before`,
/// and a response with an array of items and a `meta` object holding
/// `hasMore` and the cursors.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Which way the operation documents walking.
    pub direction: PageDirection,
    /// The query parameter that takes the cursor (`page[before]`).
    pub cursor_param: String,
    /// JSON pointer to the items in a page (`/messages`).
    pub items_pointer: String,
    /// JSON pointer to the "more pages" flag (`/meta/hasMore`).
    pub has_more_pointer: String,
    /// JSON pointer to the next cursor (`/meta/beforeCursor`).
    pub cursor_pointer: String,
    /// The type of one item.
    pub item: TypeRef,
}

/// Which way a paginated list is walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageDirection {
    /// From the first page on, with `after` cursors.
    Forward,
    /// From the most recent page back, with `before` cursors.
    Backward,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, emitted as is.
    Literal(String),
    /// A parameter, by index into `Operation::path_params`.
    Param(usize),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
}

/// How a query parameter is serialized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`; arrays repeat the name.
    Form,
    /// `name[field]=value` for each field of an object.
    DeepObject,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Name on the wire.
    pub name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Query serialization style (ignored for other locations).
    pub style: QueryStyle,
    /// Whether it must be given.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// The document's `default`: what the server assumes when it is left out.
    pub default: Option<serde_json::Value>,
    /// Documentation.
    pub doc: Option<String>,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Whether callers must send one.
    pub required: bool,
    /// Encoding and type.
    pub kind: BodyKind,
    /// Documentation.
    pub doc: Option<String>,
}

/// How a request body is encoded.
#[derive(Debug, Clone)]
pub enum BodyKind {
    /// `application/json`.
    Json(TypeRef),
    /// `multipart/form-data`; the type is a struct whose fields are the parts.
    Multipart(TypeRef),
}

impl BodyKind {
    /// The body's type, whatever its encoding.
    pub fn ty(&self) -> &TypeRef {
        match self {
            BodyKind::Json(ty) | BodyKind::Multipart(ty) => ty,
        }
    }
}

/// A documented response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Which statuses it covers.
    pub status: Status,
    /// Body type; `None` when the response has no body.
    pub body: Option<TypeRef>,
    /// Documentation.
    pub doc: Option<String>,
}

/// A response key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// One status code.
    Code(u16),
    /// A class such as `4XX` (the hundreds digit).
    Range(u16),
    /// `default`.
    Default,
}

/// A reference to a type, as fields, parameters and bodies use it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// Raw bytes (a `format: binary` string, used in multipart bodies).
    Binary,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    Object,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// A map from string keys to `T`.
    Map(Box<TypeRef>),
    /// A named type of the model.
    Named(TypeId),
}

impl TypeRef {
    /// Pushes the named types this reference mentions, at any depth of
    /// arrays and maps.
    pub fn named_into(&self, out: &mut Vec<TypeId>) {
        match self {
            TypeRef::Named(id) => out.push(id.clone()),
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.named_into(out),
            _ => {}
        }
    }

    /// Whether the type names a type of the model, directly or inside a
    /// collection (so code spelling it refers to `types`).
    pub fn references_named(&self) -> bool {
        match self {
            TypeRef::Named(_) => true,
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.references_named(),
            _ => false,
        }
    }
}

/// Documentation for an item, from the document's `title`/`description`.
pub type Doc = Option<String>;

/// A named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust name, unique in the crate.
    pub name: String,
    /// Documentation.
    pub doc: Doc,
    /// What it is.
    pub kind: TypeKind,
    /// Which way its values travel.
    pub usage: Usage,
}

/// Which way a type's values travel, worked out from what reaches it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Reachable from a request body or parameter: users build it.
    pub sent: bool,
    /// Reachable from a response or a webhook payload: users read it.
    pub received: bool,
}

/// The shapes a named type can have.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(StructDef),
    /// A string enumeration; open, so unknown values are kept.
    StringEnum(EnumDef),
    /// One of several types.
    Union(UnionDef),
}

/// A string enumeration.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that keeps any other value (`Unknown`).
    pub fallback: String,
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// Fields, in document order.
    pub fields: Vec<Field>,
    /// Type of extra properties, collected into a flattened map, when allowed
    /// by `additionalProperties`.
    pub additional: Option<TypeRef>,
    /// A discriminator property whose value this type fixes: not a field,
    /// written on every serialization and ignored when decoding.
    pub tag: Option<FixedTag>,
}

/// A property with one value for the whole type, such as `"type": "reply"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedTag {
    /// Property name on the wire.
    pub property: String,
    /// Its value.
    pub value: String,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// Property name on the wire.
    pub json_name: String,
    /// Rust field name.
    pub name: String,
    /// Its type, without optionality.
    pub ty: TypeRef,
    /// Whether the property is required.
    pub required: bool,
    /// Whether `null` is a valid value.
    pub nullable: bool,
    /// How the field is represented: decided in lowering from `required`,
    /// `nullable` and whether the struct is sent.
    pub presence: Presence,
    /// The document's `default`: what the server assumes when it is left out.
    pub default: Option<serde_json::Value>,
    /// Whether the type must be boxed to break a cycle.
    pub boxed: bool,
    /// Documentation.
    pub doc: Doc,
}

/// How a field is represented in Rust.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// `T`: always present, never null.
    Required,
    /// `Option<T>`: always present, may be null (`None` is written as `null`).
    RequiredNullable,
    /// `Option<T>`: may be absent (`None` is left out). A nullable property of
    /// a type that is only received reads `null` as `None` too.
    Optional,
    /// `Nullable<T>`: absent, `null` and a value are three different things,
    /// for nullable properties of types that are sent (a `null` clears).
    OptionalNullable,
}

impl Presence {
    /// The representation a property has on its own; [`Presence::OptionalNullable`]
    /// only where `sent` (a reader has no use for telling absent from `null`).
    pub fn of(required: bool, nullable: bool, sent: bool) -> Self {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, true) if sent => Presence::OptionalNullable,
            (false, _) => Presence::Optional,
        }
    }
}

/// A string enumeration value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// Value on the wire.
    pub value: String,
    /// Rust variant name.
    pub name: String,
}

/// A union of types.
#[derive(Debug, Clone)]
pub struct UnionDef {
    /// How the variant is chosen when decoding.
    pub tagging: Tagging,
    /// Variants, in document order.
    pub variants: Vec<UnionVariant>,
    /// For tagged unions: the variant that keeps an unknown tag's raw value.
    pub fallback: Option<String>,
}

/// How a union picks its variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tagging {
    /// A string property names the variant; unknown values are kept raw.
    Tagged {
        /// The property, such as `type`.
        property: String,
    },
    /// By shape: the variant whose known properties best match the input.
    Untagged,
}

/// One variant of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// The variant's type.
    pub ty: TypeRef,
    /// Tag values that select it (tagged unions only).
    pub tags: Vec<String>,
    /// What the variant accepts, for untagged decoding.
    pub shape: Shape,
    /// Whether the value must be boxed to break a cycle.
    pub boxed: bool,
    /// Documentation.
    pub doc: Doc,
}

/// The JSON shape of a variant, used to choose between untagged variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// An object with these known and required properties.
    Object {
        /// Every property the variant knows.
        known: Vec<String>,
        /// Properties that must be present.
        required: Vec<String>,
    },
    /// A string.
    String,
    /// A number.
    Number,
    /// A boolean.
    Bool,
    /// An array.
    Array,
    /// Anything.
    Any,
}

/// A webhook: the payload the API posts to your endpoint.
#[derive(Debug, Clone)]
pub struct Webhook {
    /// Name of the `x-webhooks` entry.
    pub name: String,
    /// Payload type.
    pub payload: TypeRef,
    /// Set when the payload lists events: the delivery is then decoded event
    /// by event, so that one event that does not decode loses no other.
    pub events: Option<EventList>,
    /// Documentation.
    pub doc: Doc,
}

/// The events a webhook payload lists (decided once, in lowering: a payload
/// struct whose `events` property is an array).
#[derive(Debug, Clone, PartialEq)]
pub struct EventList {
    /// Rust name of the payload struct's field that lists the events.
    pub field: String,
    /// The type of one event (the events enum, when the items are a union).
    pub event: TypeRef,
}

/// An example value from the document that should decode into a type.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where the example is.
    pub pointer: String,
    /// The type it should decode into.
    pub ty: TypeRef,
    /// The example value.
    pub value: serde_json::Value,
    /// What the type encodes it back to; `None` when the example contradicts
    /// its schema and the type must reject it.
    pub expected: Option<serde_json::Value>,
    /// The response it answers with, when it is written in an operation's
    /// own response for one status (the test kit's example answers).
    pub answers: Option<ExampleAnswer>,
}

/// The response an [`Example`] is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleAnswer {
    /// The operation's `operationId`.
    pub operation: String,
    /// The response's status.
    pub status: u16,
}
