//! Parameters: the operation's and its path item's, merged, each lowered
//! to its type, location and query style.

use openapiv3::{Parameter as OaParameter, ParameterSchemaOrContent, PathItem, ReferenceOr};

use super::docs::doc;
use super::lowerer::Lowerer;
use super::view::SchemaRef;
use crate::diagnostics::{child, Diagnostic};
use crate::model::{ParamLocation, Parameter, QueryStyle, TypeRef};
use crate::names;

impl<'a> Lowerer<'a> {
    /// The operation's parameters with the path item's, an operation's
    /// overriding a path item's of the same name and location; each with its
    /// location, query style and pointer. Cookie parameters are left out, with
    /// a warning.
    pub(super) fn declared_parameters(
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
    pub(super) fn typed_parameters(
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

    pub(super) fn deep_object_ok(&self, ty: &TypeRef) -> bool {
        matches!(ty, TypeRef::Named(_) | TypeRef::Object | TypeRef::Map(_))
    }
}

/// A parameter as declared: its data, location, query style and pointer.
pub(super) type DeclaredParameter<'a> = (
    &'a openapiv3::ParameterData,
    ParamLocation,
    QueryStyle,
    String,
);
