//! Operations: each lowered with its path template, parameters, body and
//! responses, then grouped by tag.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{PathItem, ReferenceOr};

use super::docs::doc;
use super::lowerer::{Lowerer, Selection};
use super::parameters::DeclaredParameter;
use crate::diagnostics::{child, Diagnostic};
use crate::model::{
    Method, Operation, OperationGroup, ParamLocation, Parameter, PathPart, QueryStyle, TypeRef,
};
use crate::names;

impl<'a> Lowerer<'a> {
    /// Every selected operation of the document's paths, with its first tag,
    /// in document order; an `operationId` used twice is an error.
    pub(super) fn operations(
        &mut self,
        openapi: &'a openapiv3::OpenAPI,
        selection: &Selection,
    ) -> Vec<(Option<String>, Operation)> {
        let mut operations = Vec::new();
        let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in openapi.paths.iter() {
            let item_pointer = child("#/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    self.diagnostics.push(Diagnostic::error(
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
                    self.diagnostics.push(
                        Diagnostic::error(
                            child(&pointer, "operationId"),
                            format!("operationId `{id}` is also used at {first}"),
                        )
                        .with_help("every operationId must be unique"),
                    );
                    continue;
                }
                if let Some(op) = self.operation(path, item, method, operation, &id, &pointer) {
                    operations.push((operation.tags.first().cloned(), op));
                }
            }
        }
        operations
    }

    pub(super) fn operation(
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

    /// The path parameters in template order, named as the method's
    /// arguments, and the template with each `{name}` as an index into them.
    /// A name used twice is one argument; one the template lacks is warned
    /// about and dropped; one the template uses undeclared is a string.
    pub(super) fn template_arguments(
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

    /// Splits `path` into literals and `{params}`, checking each is declared.
    pub(super) fn path_template(
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
}

/// A stable name for an operation without `operationId`: method and path words.
pub(super) fn derived_operation_id(method: &str, path: &str) -> String {
    let words: Vec<&str> = path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{method}_{}", words.join("_"))
}

pub(super) enum TemplatePart {
    Literal(String),
    Param(String),
}

pub(super) fn group_operations(
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
