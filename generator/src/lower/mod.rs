//! Stage 2, lower: OpenAPI document → [`crate::model::Api`].
//!
//! References are resolved here, the names of what comes from schemas are
//! decided here (types, fields, variants, servers), and every construct that
//! cannot be represented is reported here with its location. Every other
//! name is the surface's. Emitters never see the OpenAPI document.

mod direction;
mod discriminators;
mod doc_html;
mod docs;
mod event_names;
mod examples;
mod pagination;
mod refs;
mod schema;
mod view;
mod webhooks;

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    MediaType, Parameter as OaParameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    StatusCode,
};
use serde_json::Value;

use crate::diagnostics::{child, Diagnostic, Diagnostics};
use crate::load::Document;
use crate::model::{
    self, Api, AuthScheme, BodyKind, Example, ExampleAnswer, Method, Operation, OperationGroup,
    ParamLocation, Parameter, PathPart, QueryStyle, RequestBody, Response, Server, ServerVariable,
    Source, Status, TypeRef, Webhook,
};
use crate::names::{self, Scope};
use docs::doc;
use refs::Resolver;
use schema::SchemaLowerer;
use view::SchemaRef;

/// Which operations to generate.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Tags to keep; empty keeps every operation.
    pub tags: Vec<String>,
}

impl Selection {
    fn keeps(&self, operation: &openapiv3::Operation) -> bool {
        self.tags.is_empty() || operation.tags.iter().any(|t| self.tags.contains(t))
    }
}

/// Lowers a loaded document into the model.
pub fn lower(document: &Document, selection: &Selection, diagnostics: &mut Diagnostics) -> Api {
    let openapi = &document.openapi;
    let resolver = Resolver::new(openapi.components.as_ref());
    let mut lowerer = Lowerer {
        schemas: SchemaLowerer::new(openapi.components.as_ref(), &document.raw),
        resolver,
        diagnostics: Diagnostics::default(),
        examples: Vec::new(),
    };

    for tag in &selection.tags {
        let known = openapi.paths.iter().any(|(_, item)| match item {
            ReferenceOr::Item(item) => item.iter().any(|(_, op)| op.tags.contains(tag)),
            ReferenceOr::Reference { .. } => false,
        });
        if !known {
            lowerer.diagnostics.push(
                Diagnostic::error("#/paths", format!("no operation has the tag `{tag}`"))
                    .with_help(format!(
                        "tags in this document: {}",
                        tag_names(openapi).join(", ")
                    )),
            );
        }
    }

    let mut operations = Vec::new();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in openapi.paths.iter() {
        let item_pointer = child("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                lowerer.diagnostics.push(Diagnostic::error(
                    child(&item_pointer, "$ref"),
                    format!("path items given by reference (`{reference}`) are not supported"),
                ));
                continue;
            }
        };
        for (method, operation) in item.iter() {
            if !selection.keeps(operation) {
                continue;
            }
            let pointer = child(&item_pointer, method);
            let id = operation
                .operation_id
                .clone()
                .unwrap_or_else(|| derived_operation_id(method, path));
            if let Some(first) = seen_ids.insert(id.clone(), pointer.clone()) {
                lowerer.diagnostics.push(
                    Diagnostic::error(
                        child(&pointer, "operationId"),
                        format!("operationId `{id}` is also used at {first}"),
                    )
                    .with_help("every operationId must be unique"),
                );
                continue;
            }
            if let Some(op) = lowerer.operation(path, item, method, operation, &id, &pointer) {
                operations.push((operation.tags.first().cloned(), op));
            }
        }
    }

    let groups = group_operations(openapi, operations);
    let webhooks = lowerer.webhooks(&document.webhooks);
    let servers = lower_servers(&openapi.servers, &mut lowerer.diagnostics);
    let auth = lower_auth(openapi, &mut lowerer.diagnostics);

    let Lowerer {
        schemas,
        diagnostics: mut own_diagnostics,
        mut examples,
        ..
    } = lowerer;
    let (mut types, schema_diagnostics, schema_examples) = schemas.finish();
    discriminators::fix(&mut types, &groups, &webhooks);
    direction::decide(&mut types, &groups, &webhooks);
    let mut groups = groups;
    pagination::detect(&mut groups, &types);
    examples.extend(schema_examples.into_iter().map(|(id, value)| Example {
        pointer: child(&id, "example"),
        ty: TypeRef::Named(id),
        value,
        expected: None,
        answers: None,
    }));
    // A shared example is checked once per type it is used with.
    examples.sort_by(|a, b| (&a.pointer, &a.ty).cmp(&(&b.pointer, &b.ty)));
    examples.dedup_by(|a, b| a.pointer == b.pointer && a.ty == b.ty);
    // Examples of types that only a moved discriminator used have no type left.
    examples.retain(|e| mentions_only_known(&e.ty, &types));
    examples::check_examples(&mut examples, &types, &mut own_diagnostics);
    let webhooks = webhooks::with_event_lists(webhooks, &types);
    event_names::unify(&webhooks, &mut types);
    diagnostics.extend(own_diagnostics);
    diagnostics.extend(schema_diagnostics);

    Api {
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi
            .info
            .description
            .as_deref()
            .and_then(|d| doc(None, Some(d)))
            .map(|d| docs::nest_headings(&d, model::API_DESCRIPTION_TOP_HEADING)),
        servers,
        auth,
        groups,
        types,
        webhooks,
        examples,
        source: Source {
            sha256: document.sha256.clone(),
            tags: selection
                .tags
                .iter()
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect(),
        },
    }
}

fn mentions_only_known(ty: &TypeRef, types: &BTreeMap<String, crate::model::TypeDef>) -> bool {
    match ty {
        TypeRef::Named(id) => types.contains_key(id),
        TypeRef::Array(inner) | TypeRef::Map(inner) => mentions_only_known(inner, types),
        _ => true,
    }
}

fn tag_names(openapi: &openapiv3::OpenAPI) -> Vec<String> {
    let mut tags: BTreeSet<String> = openapi.tags.iter().map(|t| t.name.clone()).collect();
    for (_, item) in openapi.paths.iter() {
        if let ReferenceOr::Item(item) = item {
            for (_, op) in item.iter() {
                tags.extend(op.tags.iter().cloned());
            }
        }
    }
    tags.into_iter().map(|t| format!("`{t}`")).collect()
}

/// A stable name for an operation without `operationId`: method and path words.
fn derived_operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{method}_{}", words.join("_"))
}

/// A parameter as declared: its data, location, query style and pointer.
type DeclaredParameter<'a> = (
    &'a openapiv3::ParameterData,
    ParamLocation,
    QueryStyle,
    String,
);

struct Lowerer<'a> {
    schemas: SchemaLowerer<'a>,
    resolver: Resolver<'a>,
    diagnostics: Diagnostics,
    examples: Vec<Example>,
}

impl<'a> Lowerer<'a> {
    fn operation(
        &mut self,
        path: &str,
        item: &'a PathItem,
        method: &str,
        operation: &'a openapiv3::Operation,
        id: &str,
        pointer: &str,
    ) -> Option<Operation> {
        let method = match method {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            _ => Method::Trace,
        };
        let type_prefix = names::type_name(id);

        let params = self.declared_parameters(item, operation, pointer);
        let path_parts = self.path_template(path, &params, pointer)?;
        let (path_params, mut query_and_header_params) =
            self.typed_parameters(&params, &type_prefix);
        let (ordered, parts) = self.template_arguments(path, path_parts, path_params);
        for parameter in &mut query_and_header_params {
            if parameter.style == QueryStyle::DeepObject && !self.deep_object_ok(&parameter.ty) {
                self.diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("`style: deepObject` parameter `{}` is not an object; it is sent in `form` style", parameter.name),
                ));
                parameter.style = QueryStyle::Form;
            }
        }

        let body = match &operation.request_body {
            Some(body) => self.request_body(body, &child(pointer, "requestBody"), &type_prefix)?,
            None => None,
        };
        let (successes, errors) = self.responses(
            id,
            &operation.responses,
            &child(pointer, "responses"),
            &type_prefix,
        );

        Some(Operation {
            id: id.to_owned(),
            type_prefix,
            method,
            path: path.to_owned(),
            path_parts: parts,
            summary: operation
                .summary
                .as_deref()
                .and_then(|s| doc(None, Some(s))),
            description: doc(None, operation.description.as_deref()),
            deprecated: operation.deprecated,
            path_params: ordered,
            query_and_header_params,
            body,
            successes,
            errors,
            pagination: None,
            pointer: pointer.to_owned(),
        })
    }

    /// The operation's parameters with the path item's, an operation's
    /// overriding a path item's of the same name and location; each with its
    /// location, query style and pointer. Cookie parameters are left out, with
    /// a warning.
    fn declared_parameters(
        &mut self,
        item: &'a PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Vec<DeclaredParameter<'a>> {
        let item_pointer = pointer
            .rsplit_once('/')
            .map_or(pointer, |(head, _)| head)
            .to_owned();
        let mut params: Vec<DeclaredParameter<'a>> = Vec::new();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    p,
                    child(&child(&item_pointer, "parameters"), &i.to_string()),
                )
            })
            .chain(
                operation
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p, child(&child(pointer, "parameters"), &i.to_string()))),
            );
        for (parameter, at) in sources {
            let Some((parameter, at)) =
                self.resolver
                    .parameter(parameter, &at, &mut self.diagnostics)
            else {
                continue;
            };
            let (data, location, style) = match parameter {
                OaParameter::Path { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Path, QueryStyle::Form)
                }
                OaParameter::Header { parameter_data, .. } => {
                    (parameter_data, ParamLocation::Header, QueryStyle::Form)
                }
                OaParameter::Query {
                    parameter_data,
                    style,
                    ..
                } => {
                    let style = match style {
                        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                        openapiv3::QueryStyle::Form => QueryStyle::Form,
                        other => {
                            self.diagnostics.push(Diagnostic::warning(
                                child(&at, "style"),
                                format!("query style `{other:?}` is not supported; the parameter is sent in `form` style"),
                            ));
                            QueryStyle::Form
                        }
                    };
                    (parameter_data, ParamLocation::Query, style)
                }
                OaParameter::Cookie { parameter_data, .. } => {
                    self.diagnostics.push(Diagnostic::warning(
                        at,
                        format!("cookie parameter `{}` is not supported; the operation is generated without it", parameter_data.name),
                    ));
                    continue;
                }
            };
            params.retain(|(d, l, _, _)| !(d.name == data.name && *l == location));
            params.push((data, location, style, at));
        }

        params
    }

    /// The declared parameters lowered to the model, path ones (with their
    /// pointers) apart from query and header ones; Rust names come later.
    fn typed_parameters(
        &mut self,
        params: &[DeclaredParameter<'a>],
        type_prefix: &str,
    ) -> (Vec<(Parameter, String)>, Vec<Parameter>) {
        let mut path_params = Vec::new();
        let mut query_and_header_params = Vec::new();
        for (data, location, style, at) in params {
            let data: &'a openapiv3::ParameterData = data;
            let hint = format!("{type_prefix}{}", names::type_name(&data.name));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    self.schemas
                        .lower(SchemaRef::from(schema), &child(at, "schema"), &hint)
                        .ty
                }
                ParameterSchemaOrContent::Content(_) => {
                    self.diagnostics.push(Diagnostic::warning(
                        child(at, "content"),
                        "parameters described by `content` are not supported; the value is sent as a string",
                    ));
                    TypeRef::String
                }
            };
            let default = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                    schema.schema_data.default.clone()
                }
                _ => None,
            };
            let parameter = Parameter {
                name: data.name.clone(),
                location: *location,
                style: style.clone(),
                required: data.required || *location == ParamLocation::Path,
                ty,
                default,
                doc: doc(None, data.description.as_deref()),
            };
            if *location == ParamLocation::Path {
                path_params.push((parameter, String::from(at)));
            } else {
                query_and_header_params.push(parameter);
            }
        }
        (path_params, query_and_header_params)
    }

    /// The path parameters in template order, named as the method's
    /// arguments, and the template with each `{name}` as an index into them.
    /// A name used twice is one argument; one the template lacks is warned
    /// about and dropped; one the template uses undeclared is a string.
    fn template_arguments(
        &mut self,
        path: &str,
        path_parts: Vec<TemplatePart>,
        mut path_params: Vec<(Parameter, String)>,
    ) -> (Vec<Parameter>, Vec<PathPart>) {
        let mut ordered = Vec::new();
        let mut parts = Vec::new();
        for part in path_parts {
            match part {
                TemplatePart::Literal(text) => parts.push(PathPart::Literal(text)),
                TemplatePart::Param(name) => {
                    // A name used twice in the template is one argument.
                    if let Some(index) = ordered.iter().position(|p: &Parameter| p.name == name) {
                        parts.push(PathPart::Param(index));
                        continue;
                    }
                    let parameter = match path_params.iter().position(|(p, _)| p.name == name) {
                        Some(position) => path_params.remove(position).0,
                        // Undeclared (warned about above): a plain string.
                        None => Parameter {
                            doc: Some(format!(
                                "The `{name}` segment of the path (the document does not describe it)."
                            )),
                            name,
                            location: ParamLocation::Path,
                            style: QueryStyle::Form,
                            required: true,
                            ty: TypeRef::String,
                            default: None,
                        },
                    };
                    parts.push(PathPart::Param(ordered.len()));
                    ordered.push(parameter);
                }
            }
        }
        for (parameter, at) in path_params {
            self.diagnostics.push(Diagnostic::warning(
                at,
                format!(
                    "path parameter `{}` does not appear in the path `{path}`; it is ignored",
                    parameter.name
                ),
            ));
        }
        (ordered, parts)
    }

    fn deep_object_ok(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(_) | TypeRef::Object | TypeRef::Map(_))
    }

    /// Splits `path` into literals and `{params}`, checking each is declared.
    fn path_template(
        &mut self,
        path: &str,
        params: &[DeclaredParameter<'_>],
        pointer: &str,
    ) -> Option<Vec<TemplatePart>> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                self.diagnostics.push(Diagnostic::error(
                    pointer,
                    format!("the path `{path}` has an unclosed `{{`"),
                ));
                return None;
            };
            if open > 0 {
                parts.push(TemplatePart::Literal(rest[..open].to_owned()));
            }
            let name = &rest[open + 1..close];
            if !params
                .iter()
                .any(|(d, l, _, _)| d.name == name && *l == ParamLocation::Path)
            {
                self.diagnostics.push(
                    Diagnostic::warning(pointer, format!("the path `{path}` uses `{{{name}}}`, which is not declared as a path parameter; it becomes a `&str` argument"))
                        .with_help(format!("add a parameter with `name: {name}` and `in: path` to the operation or its path item")),
                );
            }
            parts.push(TemplatePart::Param(name.to_owned()));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(TemplatePart::Literal(rest.to_owned()));
        }
        Some(parts)
    }

    /// `Ok(None)` never happens for a present body; `None` means the operation is skipped.
    fn request_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        at: &str,
        type_prefix: &str,
    ) -> Option<Option<RequestBody>> {
        let (body, at) = self
            .resolver
            .request_body(body, at, &mut self.diagnostics)?;
        let content = child(&at, "content");
        let hint = format!("{type_prefix}Body");
        let json = body.content.iter().find(|(media, _)| is_json(media));
        let multipart = body
            .content
            .iter()
            .find(|(media, _)| media.starts_with("multipart/form-data"));
        let chosen = json.or(multipart).map(|(media, _)| media.as_str());
        let dropped: Vec<&str> = body
            .content
            .keys()
            .map(String::as_str)
            .filter(|m| Some(*m) != chosen)
            .collect();
        if chosen.is_some() && !dropped.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                content.clone(),
                format!("request body media types {dropped:?} are not generated; the operation sends {}", chosen.unwrap_or_default()),
            ));
        }
        let kind = if let Some((media, content_type)) = json {
            let media_pointer = child(&content, media);
            let ty = self.media_type(content_type, &media_pointer, &hint);
            BodyKind::Json(ty)
        } else if let Some((media, content_type)) = multipart {
            let media_pointer = child(&content, media);
            let ty = self.media_type(content_type, &media_pointer, &hint);
            BodyKind::Multipart(ty)
        } else {
            let kinds: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.diagnostics.push(
                Diagnostic::warning(content, format!("request body media types {kinds:?} are not supported; the operation is left out"))
                    .with_help("supported: application/json (and +json types), multipart/form-data"),
            );
            return None;
        };
        Some(Some(RequestBody {
            required: body.required,
            kind,
            doc: doc(None, body.description.as_deref()),
        }))
    }

    /// Lowers a media type's schema and records its examples.
    fn media_type(&mut self, media: &'a MediaType, pointer: &str, hint: &str) -> TypeRef {
        let ty = match &media.schema {
            Some(schema) => {
                self.schemas
                    .lower(SchemaRef::from(schema), &child(pointer, "schema"), hint)
                    .ty
            }
            None => TypeRef::Json,
        };
        if let Some(example) = &media.example {
            self.examples.push(Example {
                pointer: child(pointer, "example"),
                ty: ty.clone(),
                value: example.clone(),
                expected: None,
                answers: None,
            });
        }
        for (name, example) in &media.examples {
            let at = child(&child(pointer, "examples"), name);
            if let Some((value, pointer)) =
                self.resolver.example(example, &at, &mut self.diagnostics)
            {
                self.examples.push(Example {
                    pointer,
                    ty: ty.clone(),
                    value,
                    expected: None,
                    answers: None,
                });
            }
        }
        ty
    }

    fn responses(
        &mut self,
        id: &str,
        responses: &'a openapiv3::Responses,
        at: &str,
        type_prefix: &str,
    ) -> (Vec<Response>, Vec<Response>) {
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut entries: Vec<(Status, &'a ReferenceOr<openapiv3::Response>, String)> = responses
            .responses
            .iter()
            .map(|(code, response)| {
                let (status, key) = match code {
                    StatusCode::Code(code) => (Status::Code(*code), code.to_string()),
                    StatusCode::Range(range) => (Status::Range(*range), format!("{range}XX")),
                };
                (status, response, child(at, &key))
            })
            .collect();
        if let Some(default) = &responses.default {
            entries.push((Status::Default, default, child(at, "default")));
        }
        for (status, response, written_at) in entries {
            let Some((response, pointer)) =
                self.resolver
                    .response(response, &written_at, &mut self.diagnostics)
            else {
                continue;
            };
            let first_example = self.examples.len();
            let is_success = match status {
                Status::Code(code) => (200..400).contains(&code),
                Status::Range(class) => class == 2 || class == 3,
                Status::Default => false,
            };
            let hint = format!("{type_prefix}{}", names::status_word(status));
            let content = child(&pointer, "content");
            let body = if response.content.is_empty() {
                None
            } else if let Some((media, media_type)) =
                response.content.iter().find(|(m, _)| is_json(m))
            {
                Some(self.media_type(media_type, &child(&content, media), &hint))
            } else {
                let kinds: Vec<&str> = response.content.keys().map(String::as_str).collect();
                self.diagnostics.push(Diagnostic::warning(
                    content,
                    format!("response media types {kinds:?} are not JSON; the body is returned as raw JSON if it parses"),
                ));
                Some(TypeRef::Json)
            };
            // A success body that declares no properties (`type: object`
            // alone) tells the caller nothing: the operation returns `()`.
            let body = match body {
                Some(TypeRef::Object) if is_success => None,
                other => other,
            };
            // Examples written in the operation's own response (not one it
            // refers to) answer for its status in the test kit.
            if let Status::Code(code) = status {
                let inside = format!("{written_at}/");
                for example in &mut self.examples[first_example..] {
                    if example.pointer.starts_with(&inside) {
                        example.answers = Some(ExampleAnswer {
                            operation: id.to_owned(),
                            status: code,
                        });
                    }
                }
            }
            let entry = Response {
                status,
                body,
                doc: doc(None, Some(&response.description)),
            };
            if is_success {
                successes.push(entry)
            } else {
                errors.push(entry)
            }
        }
        successes.sort_by_key(|r| r.status);
        errors.sort_by_key(|r| r.status);
        (successes, errors)
    }

    fn webhooks(&mut self, webhooks: &'a IndexMap<String, PathItem>) -> Vec<Webhook> {
        let mut out = Vec::new();
        for (name, item) in webhooks {
            let item_pointer = child("#/x-webhooks", name);
            for (method, operation) in item.iter() {
                let pointer = child(&item_pointer, method);
                let Some(body) = &operation.request_body else {
                    self.diagnostics.push(Diagnostic::warning(
                        pointer,
                        "webhook without a request body; there is no payload type to generate",
                    ));
                    continue;
                };
                let Some((body, body_pointer)) = self.resolver.request_body(
                    body,
                    &child(&pointer, "requestBody"),
                    &mut self.diagnostics,
                ) else {
                    continue;
                };
                let Some((media, media_type)) = body.content.iter().find(|(m, _)| is_json(m))
                else {
                    self.diagnostics.push(Diagnostic::warning(
                        child(&body_pointer, "content"),
                        "webhook payload is not JSON; it is left out",
                    ));
                    continue;
                };
                let media_pointer = child(&child(&body_pointer, "content"), media);
                let base = names::type_name(name);
                // The `events` array of a payload is the event enum, named after the webhook.
                if let Some(ReferenceOr::Item(schema)) = &media_type.schema {
                    if let Some((items, items_pointer)) =
                        webhooks::events_items(schema, &child(&media_pointer, "schema"))
                    {
                        self.schemas.event_union(items, &items_pointer, &base);
                    }
                }
                let payload =
                    self.media_type(media_type, &media_pointer, &format!("{base}Payload"));
                out.push(Webhook {
                    name: name.clone(),
                    payload,
                    // Known once every type is lowered (`webhooks::with_event_lists`).
                    events: None,
                    doc: doc(
                        operation.summary.as_deref(),
                        operation.description.as_deref(),
                    ),
                });
            }
        }
        out
    }
}

enum TemplatePart {
    Literal(String),
    Param(String),
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}

fn group_operations(
    openapi: &openapiv3::OpenAPI,
    operations: Vec<(Option<String>, Operation)>,
) -> Vec<OperationGroup> {
    let mut by_tag: IndexMap<String, Vec<Operation>> = IndexMap::new();
    // Declared tags first, in declaration order; then undeclared ones as met.
    for tag in &openapi.tags {
        by_tag.insert(tag.name.clone(), Vec::new());
    }
    for (tag, operation) in operations {
        by_tag
            .entry(tag.unwrap_or_else(|| "Default".to_owned()))
            .or_default()
            .push(operation);
    }
    by_tag
        .into_iter()
        .filter(|(_, ops)| !ops.is_empty())
        .map(|(tag, mut operations)| {
            // By the method name the operation asks for, then document order
            // (the order in which the surface suffixes twins): an upstream
            // document that reorders its paths then moves nothing in the
            // generated code.
            operations.sort_by_key(|op| names::field_name(&op.id));
            OperationGroup {
                doc: doc(
                    None,
                    openapi
                        .tags
                        .iter()
                        .find(|t| t.name == tag)
                        .and_then(|t| t.description.as_deref()),
                ),
                tag,
                operations,
            }
        })
        .collect()
}

fn lower_servers(servers: &[openapiv3::Server], diagnostics: &mut Diagnostics) -> Vec<Server> {
    let mut scope = Scope::default();
    let mut out: Vec<Server> = servers
        .iter()
        .enumerate()
        .map(|(index, server)| {
            let pointer = child("#/servers", &index.to_string());
            let explicit = server.extensions.get("x-rust-name").and_then(Value::as_str).map(names::variant_name);
            let from_description = server.description.as_deref().map(|d| {
                let head = d.split('(').next().unwrap_or(d);
                let name = names::variant_name(head);
                name.strip_suffix("Server").filter(|n| !n.is_empty()).map(str::to_owned).unwrap_or(name)
            });
            // A server with variables is named by its host (`{subdomain}.zendesk.com`
            // is `Zendesk`): its description tends to describe the variable, and
            // the host is what stays put between versions of a document.
            let from_host = (!template_variables(&server.url).is_empty()).then(|| host_name(&server.url)).flatten();
            let name = scope.claim(&explicit.or(from_host).or(from_description).unwrap_or_else(|| format!("Server{}", index + 1)));
            let declared = server.variables.as_ref();
            let mut field_scope = Scope::default();
            let mut variables = Vec::new();
            for name in template_variables(&server.url) {
                let variable = declared.and_then(|v| v.get(&name));
                if variable.is_none() {
                    diagnostics.push(
                        Diagnostic::warning(child(&pointer, "url"), format!("server variable `{name}` is used in the URL but not declared"))
                            .with_help(format!("declare it under `variables: {name}: {{default: ...}}`; callers must supply it")),
                    );
                }
                variables.push(ServerVariable {
                    field: field_scope.claim(&names::field_name(&name)),
                    doc: doc(None, variable.and_then(|v| v.description.as_deref())),
                    default: variable.map(|v| v.default.clone()).unwrap_or_default(),
                    name,
                });
            }
            Server { name, url: server.url.clone(), doc: doc(None, server.description.as_deref()), variables, is_default: false }
        })
        .collect();
    // The default is the first server usable as is, without variables to fill in.
    if let Some(index) = out
        .iter()
        .position(|s| s.variables.is_empty())
        .or((!out.is_empty()).then_some(0))
    {
        out[index].is_default = true;
    }
    // Variants in name order: a document that lists the same servers in
    // another order changes nothing in `Server`, not even a discriminant.
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A variant name from the distinctive label of a URL's host: not a
/// template variable and not a generic label such as `api` or `com`.
fn host_name(url: &str) -> Option<String> {
    const GENERIC: &[&str] = &["api", "www", "com", "io", "net", "org", "co", "app"];
    let host = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = host.split(['/', ':']).next()?;
    host.split('.')
        .find(|label| !label.contains('{') && !label.is_empty() && !GENERIC.contains(label))
        .map(names::variant_name)
}

fn template_variables(url: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        names.push(rest[open + 1..open + close].to_owned());
        rest = &rest[open + close + 1..];
    }
    names
}

fn lower_auth(openapi: &openapiv3::OpenAPI, diagnostics: &mut Diagnostics) -> Vec<AuthScheme> {
    let Some(components) = &openapi.components else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let pointer = child("#/components/securitySchemes", name);
        let scheme = match scheme {
            ReferenceOr::Item(scheme) => scheme,
            ReferenceOr::Reference { reference } => {
                diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("security scheme given by reference (`{reference}`) is not supported"),
                ));
                continue;
            }
        };
        let lowered = match scheme {
            openapiv3::SecurityScheme::HTTP { scheme, .. }
                if scheme.eq_ignore_ascii_case("basic") =>
            {
                AuthScheme::Basic
            }
            openapiv3::SecurityScheme::HTTP { scheme, .. }
                if scheme.eq_ignore_ascii_case("bearer") =>
            {
                AuthScheme::Bearer
            }
            _ => {
                diagnostics.push(Diagnostic::warning(
                    pointer,
                    format!("security scheme `{name}` is not supported by the generated client; only HTTP basic and bearer are"),
                ));
                AuthScheme::Other(name.clone())
            }
        };
        if !out.contains(&lowered) {
            out.push(lowered);
        }
    }
    out
}
