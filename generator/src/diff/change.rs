//! What a change report is made of: the item of the generated crate that
//! changed, what happened to it, and the verdict for callers.

use std::fmt;

/// Whether existing code that uses the generated crate keeps compiling and
/// behaving as documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Existing callers must change their code.
    Breaking,
    /// Existing callers are unaffected.
    Compatible,
}

/// The verdict on one change, with the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Breaking or compatible.
    pub severity: Severity,
    /// Why, in terms of the generated Rust API.
    pub why: String,
}

/// An item of the generated crate, named as callers write it. Reports list
/// operations, then types, webhooks and servers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Item {
    /// An operation: `client.{accessor}().{method}()`.
    Operation {
        /// Accessor (and module) of the operation's tag.
        accessor: String,
        /// Method name.
        method: String,
    },
    /// A type in `types`.
    Type(String),
    /// A webhook, by its parse function in `webhooks`.
    Webhook(String),
    /// A variant of the `Server` enum.
    Server(String),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Operation { accessor, method } => write!(
                f,
                "client.{}().{}()",
                accessor.trim_start_matches("r#"),
                method.trim_start_matches("r#")
            ),
            Item::Type(name) => write!(f, "types::{name}"),
            Item::Webhook(parse_fn) => write!(f, "webhooks::{parse_fn}()"),
            Item::Server(variant) => write!(f, "Server::{variant}"),
        }
    }
}

/// What happened to an item. Rust types are written as the generated crate
/// spells them, with the other version's type names mapped through renames.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// A new operation.
    OperationAdded,
    /// An operation that is gone.
    OperationRemoved,
    /// The same method and path under another accessor or method name.
    OperationRenamed {
        /// How callers wrote it before.
        from: String,
    },
    /// The operation is now marked deprecated.
    Deprecated,
    /// The operation is no longer marked deprecated.
    Undeprecated,
    /// The same operation is sent to another path template.
    PathChanged {
        /// Old template.
        from: String,
        /// New template.
        to: String,
    },
    /// A path parameter, an argument of the method, was added.
    PathParameterAdded {
        /// Name on the wire.
        name: String,
    },
    /// A path parameter was removed.
    PathParameterRemoved {
        /// Name on the wire.
        name: String,
    },
    /// The path parameters are the same but in another order.
    PathParametersReordered,
    /// A path parameter's argument type changed.
    PathParameterChanged {
        /// Name on the wire.
        name: String,
        /// Old argument type.
        from: String,
        /// New argument type.
        to: String,
    },
    /// The method gained a `params` argument: a query or header parameter is now required.
    ParamsArgumentAdded {
        /// The parameters struct.
        params: String,
    },
    /// The method lost its `params` argument: no query or header parameter is required any more.
    ParamsArgumentRemoved {
        /// The parameters struct that is gone.
        params: String,
    },
    /// A query or header parameter was added to the parameters struct.
    ParameterAdded {
        /// Name on the wire.
        name: String,
        /// `query` or `header`.
        location: &'static str,
        /// Whether callers must give it.
        required: bool,
        /// Its field type.
        ty: String,
    },
    /// A query or header parameter was removed.
    ParameterRemoved {
        /// Name on the wire.
        name: String,
        /// `query` or `header`.
        location: &'static str,
    },
    /// A parameter's field type changed (including becoming required or optional).
    ParameterChanged {
        /// Name on the wire.
        name: String,
        /// Old field type.
        from: String,
        /// New field type.
        to: String,
    },
    /// A parameter moved between query and header; its field is unchanged.
    ParameterMoved {
        /// Name on the wire.
        name: String,
        /// Old location.
        from: &'static str,
        /// New location.
        to: &'static str,
    },
    /// The operation now takes a request body.
    BodyAdded {
        /// Whether callers must send one.
        required: bool,
        /// The body type.
        ty: String,
    },
    /// The operation no longer takes a request body.
    BodyRemoved,
    /// The request body became required (or optional).
    BodyRequiredChanged {
        /// Whether it is required now.
        required: bool,
    },
    /// The request body's type changed.
    BodyTypeChanged {
        /// Old type.
        from: String,
        /// New type.
        to: String,
    },
    /// The body is encoded differently (JSON, multipart); its type is unchanged.
    BodyEncodingChanged {
        /// Old encoding.
        from: &'static str,
        /// New encoding.
        to: &'static str,
    },
    /// The method returns another type on success.
    ReturnTypeChanged {
        /// Old success type.
        from: String,
        /// New success type.
        to: String,
    },
    /// A documented success status was added to the `{Op}Response` enum.
    SuccessStatusAdded {
        /// The status (`201`, `2XX`).
        status: String,
    },
    /// A documented success status was removed from the `{Op}Response` enum.
    SuccessStatusRemoved {
        /// The status.
        status: String,
    },
    /// A documented error status was added to the `{Op}Error` enum.
    ErrorStatusAdded {
        /// The status (`404`, `4XX`, `default`).
        status: String,
    },
    /// A documented error status was removed.
    ErrorStatusRemoved {
        /// The status.
        status: String,
    },
    /// The body type of a documented response changed.
    ResponseBodyChanged {
        /// The status.
        status: String,
        /// Old body type (`()` for none).
        from: String,
        /// New body type.
        to: String,
    },
    /// A new type.
    TypeAdded {
        /// `struct` or `enum`.
        kind: &'static str,
    },
    /// A type that is gone.
    TypeRemoved,
    /// The same schema (same place in the document) under another Rust name.
    TypeRenamed {
        /// Old name.
        from: String,
    },
    /// A struct became an enum or the reverse.
    TypeKindChanged {
        /// Old kind.
        from: &'static str,
        /// New kind.
        to: &'static str,
    },
    /// A struct field was added.
    FieldAdded {
        /// Rust field name.
        name: String,
        /// Field type.
        ty: String,
        /// Whether the document requires the property.
        required: bool,
    },
    /// A struct field was removed.
    FieldRemoved {
        /// Rust field name.
        name: String,
    },
    /// A struct field's type changed.
    FieldTypeChanged {
        /// Rust field name.
        name: String,
        /// Old type.
        from: String,
        /// New type.
        to: String,
        /// What changed in the document (`now required`, `now nullable`, `type`).
        because: String,
    },
    /// The field's Rust type is unchanged, but what goes on the wire is not.
    FieldWireChanged {
        /// Rust field name.
        name: String,
        /// What changed.
        detail: String,
    },
    /// The struct's `new(..)` takes other arguments, or appears or goes
    /// (`None`: the struct has no `new`).
    ConstructorChanged {
        /// The arguments before (`external_id: String`), if it had `new`.
        from: Option<String>,
        /// The arguments now, if it has `new`.
        to: Option<String>,
    },
    /// The type now implements a trait.
    TraitGained(&'static str),
    /// The type no longer implements a trait.
    TraitLost(&'static str),
    /// A string enum gained a value.
    ValueAdded {
        /// The value on the wire.
        value: String,
    },
    /// A string enum lost a value.
    ValueRemoved {
        /// The value on the wire.
        value: String,
    },
    /// A union gained a variant.
    VariantAdded {
        /// Variant name.
        name: String,
    },
    /// A union lost a variant.
    VariantRemoved {
        /// Variant name.
        name: String,
    },
    /// A union variant holds another type.
    VariantTypeChanged {
        /// Variant name.
        name: String,
        /// Old type.
        from: String,
        /// New type.
        to: String,
    },
    /// The tag values that select a variant of a tagged union changed.
    VariantTagsChanged {
        /// Variant name.
        name: String,
        /// Old tag values.
        from: String,
        /// New tag values.
        to: String,
    },
    /// The properties an untagged union recognises its variants by changed
    /// (their types gained or lost properties); the Rust type is the same.
    ShapesChanged {
        /// The variants concerned.
        variants: String,
    },
    /// A webhook event type was added to the event enum.
    EventAdded {
        /// The event type (`conversation:message`).
        event: String,
    },
    /// A webhook event type was removed from the event enum.
    EventRemoved {
        /// The event type.
        event: String,
    },
    /// A new webhook and its parse function.
    WebhookAdded,
    /// A webhook that is gone.
    WebhookRemoved,
    /// A new server.
    ServerAdded,
    /// A server that is gone.
    ServerRemoved,
    /// The same URL under another variant name.
    ServerRenamed {
        /// Old variant name.
        from: String,
    },
    /// The server's URL changed; its variables are the same.
    ServerUrlChanged {
        /// Old URL template.
        from: String,
        /// New URL template.
        to: String,
    },
    /// The URL variables, the variant's fields, changed.
    ServerVariablesChanged {
        /// Old fields.
        from: String,
        /// New fields.
        to: String,
    },
    /// `Server::default()` is now this server.
    ServerBecameDefault,
    /// The variant's discriminant (its place in a `Server` of unit variants
    /// only, which `as` casts read) changed.
    ServerDiscriminantChanged {
        /// Old discriminant.
        from: usize,
        /// New discriminant.
        to: usize,
    },
    /// The first variant with fields in a `Server` of unit variants only.
    ServerFieldsAdded,
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChangeKind::OperationAdded => f.write_str("operation added"),
            ChangeKind::OperationRemoved => f.write_str("operation removed"),
            ChangeKind::OperationRenamed { from } => write!(f, "renamed from `{from}`"),
            ChangeKind::Deprecated => f.write_str("now deprecated"),
            ChangeKind::Undeprecated => f.write_str("no longer deprecated"),
            ChangeKind::PathChanged { from, to } => write!(f, "path `{from}` is now `{to}`"),
            ChangeKind::PathParameterAdded { name } => write!(f, "path parameter `{name}` added"),
            ChangeKind::PathParameterRemoved { name } => {
                write!(f, "path parameter `{name}` removed")
            }
            ChangeKind::PathParametersReordered => f.write_str("path parameters reordered"),
            ChangeKind::PathParameterChanged { name, from, to } => {
                write!(f, "path parameter `{name}`: `{from}` → `{to}`")
            }
            ChangeKind::ParamsArgumentAdded { params } => {
                write!(f, "now takes a `params: &{params}` argument")
            }
            ChangeKind::ParamsArgumentRemoved { params } => {
                write!(f, "no longer takes a `params: &{params}` argument")
            }
            ChangeKind::ParameterAdded {
                name,
                location,
                required,
                ty,
            } => write!(
                f,
                "{} {location} parameter `{name}: {ty}` added",
                if *required { "required" } else { "optional" }
            ),
            ChangeKind::ParameterRemoved { name, location } => {
                write!(f, "{location} parameter `{name}` removed")
            }
            ChangeKind::ParameterChanged { name, from, to } => {
                write!(f, "parameter `{name}`: `{from}` → `{to}`")
            }
            ChangeKind::ParameterMoved { name, from, to } => {
                write!(f, "parameter `{name}` moved from the {from} to the {to}")
            }
            ChangeKind::BodyAdded { required, ty } => write!(
                f,
                "{} request body `{ty}` added",
                if *required { "required" } else { "optional" }
            ),
            ChangeKind::BodyRemoved => f.write_str("request body removed"),
            ChangeKind::BodyRequiredChanged { required: true } => {
                f.write_str("request body is now required")
            }
            ChangeKind::BodyRequiredChanged { required: false } => {
                f.write_str("request body is now optional")
            }
            ChangeKind::BodyTypeChanged { from, to } => {
                write!(f, "request body: `{from}` → `{to}`")
            }
            ChangeKind::BodyEncodingChanged { from, to } => {
                write!(f, "request body sent as {to} instead of {from}")
            }
            ChangeKind::ReturnTypeChanged { from, to } => {
                write!(f, "returns `{to}` instead of `{from}`")
            }
            ChangeKind::SuccessStatusAdded { status } => write!(f, "success status {status} added"),
            ChangeKind::SuccessStatusRemoved { status } => {
                write!(f, "success status {status} removed")
            }
            ChangeKind::ErrorStatusAdded { status } => write!(f, "error status {status} added"),
            ChangeKind::ErrorStatusRemoved { status } => write!(f, "error status {status} removed"),
            ChangeKind::ResponseBodyChanged { status, from, to } => {
                write!(f, "{status} response body: `{from}` → `{to}`")
            }
            ChangeKind::TypeAdded { kind } => write!(f, "{kind} added"),
            ChangeKind::TypeRemoved => f.write_str("type removed"),
            ChangeKind::TypeRenamed { from } => write!(f, "renamed from `{from}`"),
            ChangeKind::TypeKindChanged { from, to } => write!(f, "was a {from}, now a {to}"),
            ChangeKind::FieldAdded { name, ty, required } => write!(
                f,
                "{} field `{name}: {ty}` added",
                if *required { "required" } else { "optional" }
            ),
            ChangeKind::FieldRemoved { name } => write!(f, "field `{name}` removed"),
            ChangeKind::FieldTypeChanged {
                name,
                from,
                to,
                because,
            } => write!(f, "field `{name}`: `{from}` → `{to}` ({because})"),
            ChangeKind::FieldWireChanged { name, detail } => write!(f, "field `{name}`: {detail}"),
            ChangeKind::ConstructorChanged { from, to } => match (from, to) {
                (Some(from), Some(to)) => write!(f, "`new({from})` → `new({to})`"),
                (Some(from), None) => write!(f, "`new({from})` removed"),
                (None, Some(to)) => write!(f, "`new({to})` added"),
                (None, None) => write!(f, "`new` unchanged"),
            },
            ChangeKind::TraitGained(name) => write!(f, "now implements `{name}`"),
            ChangeKind::TraitLost(name) => write!(f, "no longer implements `{name}`"),
            ChangeKind::ValueAdded { value } => write!(f, "value `{value}` added"),
            ChangeKind::ValueRemoved { value } => write!(f, "value `{value}` removed"),
            ChangeKind::VariantAdded { name } => write!(f, "variant `{name}` added"),
            ChangeKind::VariantRemoved { name } => write!(f, "variant `{name}` removed"),
            ChangeKind::VariantTypeChanged { name, from, to } => {
                write!(f, "variant `{name}`: `{from}` → `{to}`")
            }
            ChangeKind::VariantTagsChanged { name, from, to } => {
                write!(
                    f,
                    "variant `{name}` is selected by `{to}` instead of `{from}`"
                )
            }
            ChangeKind::ShapesChanged { variants } => {
                write!(f, "decoding recognises {variants} by other properties")
            }
            ChangeKind::EventAdded { event } => write!(f, "webhook event `{event}` added"),
            ChangeKind::EventRemoved { event } => write!(f, "webhook event `{event}` removed"),
            ChangeKind::WebhookAdded => f.write_str("webhook added"),
            ChangeKind::WebhookRemoved => f.write_str("webhook removed"),
            ChangeKind::ServerAdded => f.write_str("server added"),
            ChangeKind::ServerRemoved => f.write_str("server removed"),
            ChangeKind::ServerRenamed { from } => write!(f, "renamed from `Server::{from}`"),
            ChangeKind::ServerUrlChanged { from, to } => write!(f, "URL `{from}` is now `{to}`"),
            ChangeKind::ServerVariablesChanged { from, to } => {
                write!(f, "fields `{{{from}}}` are now `{{{to}}}`")
            }
            ChangeKind::ServerBecameDefault => f.write_str("now the default server"),
            ChangeKind::ServerDiscriminantChanged { from, to } => {
                write!(f, "discriminant {from} is now {to}")
            }
            ChangeKind::ServerFieldsAdded => {
                f.write_str("a variant with fields beside unit variants only")
            }
        }
    }
}

/// One change for callers of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The item that changed.
    pub item: Item,
    /// What happened to it.
    pub kind: ChangeKind,
    /// Breaking or compatible, and why.
    pub verdict: Verdict,
}
