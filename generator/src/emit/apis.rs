//! `src/apis/`: one module per tag, holding an accessor struct with one async
//! method per operation, and each operation's parameter, response and error types.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::common::{
    doc_attrs, doc_or, ident, inner_doc_attrs, present_value, rust_type, success_type, tokens,
    Context,
};
use super::construct::{constructors, member_doc, Member};
use super::fields::setter_marker;
use crate::model::{
    Api, BodyKind, Operation, OperationGroup, ParamLocation, Parameter, PathPart, QueryStyle,
    Response, Status, TypeKind, TypeRef,
};
use crate::surface::{Argument, OperationSurface, Surface};

pub fn emit_mod(surface: &Surface) -> TokenStream {
    let api = surface.api();
    let modules = api.groups.iter().map(|group| {
        let module = ident(&surface.group(group).module);
        let doc = doc_attrs(&format!("Operations tagged `{}`.", group.tag));
        let cfg = super::features::for_group(surface, group);
        quote!(#doc #cfg #[rustfmt::skip] pub mod #module;)
    });
    let exports = api.groups.iter().map(|group| {
        let names = surface.group(group);
        let module = ident(&names.module);
        let name = ident(&names.struct_name);
        let cfg = super::features::for_group(surface, group);
        quote!(#cfg pub use #module::#name;)
    });
    quote! {
        //! The API's operations, grouped by tag. Reach them from a [`Client`](crate::Client),
        //! for example `client.switchboard_actions()`.

        #(#modules)*

        #(#exports)*
    }
}

pub fn emit_group(surface: &Surface, group: &OperationGroup, crate_name: &str) -> TokenStream {
    let api = surface.api();
    let names = surface.group(group);
    let name = ident(&names.struct_name);
    let accessor = ident(&names.module);
    let tag = &group.tag;
    let doc = doc_or(&group.doc, || format!("Operations tagged `{tag}`."));
    let mut module_doc = group
        .doc
        .clone()
        .unwrap_or_else(|| format!("Operations tagged `{tag}`."));
    if let Some(example) = super::usage::group_example(surface, group, crate_name) {
        module_doc.push_str(&format!("\n\n# Example\n\n```no_run\n{example}```"));
    }
    let module_doc = inner_doc_attrs(&module_doc);
    let methods = group
        .operations
        .iter()
        .map(|op| emit_operation(api, op, surface.operation(op)));
    let pages = group.operations.iter().any(|op| op.pagination.is_some());
    let pagination_import = pages.then(|| {
        quote!(
            use sunshine_runtime::{PageLayout, Paginator};
        )
    });
    let support_types = group
        .operations
        .iter()
        .map(|op| emit_operation_types(surface, group, op));
    let accessor_doc = doc_attrs(&format!("Operations tagged `{tag}`."));
    let uses_types = group.operations.iter().any(operation_uses_types);
    let types_import = uses_types.then(|| {
        quote!(
            use crate::types;
        )
    });
    let runtime_import = quote!(
        use crate::{Call, Client};
        use sunshine_runtime::{Request, Response};
    );
    quote! {
        #module_doc

        #runtime_import
        #pagination_import
        #types_import

        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: &'a Client,
        }

        impl Client {
            #accessor_doc
            pub fn #accessor(&self) -> #name<'_> {
                #name { client: self }
            }
        }

        impl #name<'_> {
            #(#methods)*
        }

        #(#support_types)*
    }
}

fn operation_uses_types(op: &Operation) -> bool {
    op.path_params
        .iter()
        .chain(&op.query_and_header_params)
        .any(|p| p.ty.references_named())
        || op
            .body
            .as_ref()
            .is_some_and(|b| b.kind.ty().references_named())
        || op
            .successes
            .iter()
            .chain(&op.errors)
            .any(|r| r.body.as_ref().is_some_and(TypeRef::references_named))
}

fn status_doc(status: Status) -> String {
    match status {
        Status::Code(code) => format!("`{code}`"),
        Status::Range(class) => format!("`{class}XX`"),
        Status::Default => "any other status".to_owned(),
    }
}

fn emit_operation(api: &Api, op: &Operation, decided: &OperationSurface) -> TokenStream {
    let fn_name = ident(&decided.method);
    let error = ident(&decided.error_type);
    let success = success_type(api, decided);

    let doc = doc_attrs(&operation_doc(op, decided));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));

    let args = operation_args(decided);

    // Required parameters and a required body are part of building the
    // request; optional ones are added by methods of the returned call.
    let params = decided.takes_params().then(|| {
        let params = op
            .query_and_header_params
            .iter()
            .zip(&decided.param_names)
            .map(|(p, field)| emit_param(api, p, field));
        quote!(#(#params)*)
    });
    let mutable = params.is_some().then(|| quote!(mut));
    let mut request = request_expression(op, decided);
    if let Some(body) = op
        .body
        .as_ref()
        .filter(|_| decided.arguments.contains(&Argument::Body))
    {
        let attach = attach_body(api, &body.kind);
        request = quote!(#request #attach);
    }
    // Required parameters with a document default are sent at it until
    // `.params(..)` says otherwise: the server expects them.
    let defaults = decided
        .params_type
        .as_ref()
        .filter(|_| decided.sends_default_params)
        .map(|name| {
            let name = ident(name);
            quote!(.params(&#name::default()))
        });
    let send = match single_status_decoder(op) {
        Some(decoder) => quote!(Call::new(self.client, request, #decoder)#defaults),
        None => {
            let arms = response_arms(op, decided);
            quote! {
                // Bound first, so that the call below fits on one line.
                let decode = |response: Response| match response.status().as_u16() {
                    #(#arms)*
                };
                Call::new(self.client, request, decode)#defaults
            }
        }
    };
    quote! {
        #doc
        #deprecated
        pub fn #fn_name(&self, #(#args),*) -> Call<#success, #error> {
            let #mutable request = #request;
            #params
            #send
        }
    }
}

/// The method's documentation: the document's words, the request line,
/// its errors, and what the returned call still takes.
fn operation_doc(op: &Operation, decided: &OperationSurface) -> String {
    let mut doc = String::new();
    if let Some(summary) = &op.summary {
        doc.push_str(summary);
        doc.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        doc.push_str(description);
        doc.push_str("\n\n");
    }
    doc.push_str(&format!("`{} {}`", op.method.as_str(), op.path));
    if !op.errors.is_empty() {
        doc.push_str("\n\n# Errors\n\n");
        doc.push_str(&format!(
            "[`Error::Api`](crate::Error::Api) with a [`{}`] for a documented error status ({}); the other [`Error`](crate::Error) variants for anything else.",
            decided.error_type,
            op.errors.iter().map(|r| status_doc(r.status)).collect::<Vec<_>>().join(", ")
        ));
    } else {
        doc.push_str("\n\n# Errors\n\nAn [`Error`](crate::Error) when the request fails or the response is not a documented success.");
    }
    let mut optional = Vec::new();
    if let Some(params_type) = decided
        .params_type
        .as_ref()
        .filter(|_| decided.params_on_call)
    {
        optional.push(match decided.sends_default_params {
            true => format!(
                "it sends its query and header parameters at their defaults ({}) unless `.params(&{params_type})` sets them",
                sent_defaults(op)
            ),
            false => format!(
                "its query and header parameters are optional: set them with `.params(&{params_type})`"
            ),
        });
    }
    if decided.body_on_call {
        optional.push("the body is optional: send one with `.body(..)`".to_owned());
    }
    if decided.paginates {
        optional.push("`.paginate()` walks every page".to_owned());
    }
    if !optional.is_empty() {
        doc.push_str(&format!(
            "\n\nOn the returned call, {}.",
            optional.join("; ")
        ));
    }
    doc
}

/// `.json(body)` or `.multipart(form)`, for a request being built.
fn attach_body(api: &Api, kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(_) => quote!(.json(body)),
        BodyKind::Multipart(ty) => {
            let form = multipart_form(api, ty);
            quote!(.multipart(#form))
        }
    }
}

/// The operation method's parameters after `&self`, as the surface decided
/// them: path parameters, the query/header parameter struct when some
/// parameter must be given, and a required body. Optional parameters and
/// bodies are set on the returned [`Call`] instead (see [`emit_call_methods`]).
fn operation_args(decided: &OperationSurface) -> Vec<TokenStream> {
    decided
        .signature
        .iter()
        .map(|(name, ty)| {
            let name = ident(name);
            let ty = tokens(ty, Context::Outside);
            quote!(#name: #ty)
        })
        .collect()
}

/// The parameters an operation sends at their document default, as
/// `name=value` for its docs.
fn sent_defaults(op: &Operation) -> String {
    op.query_and_header_params
        .iter()
        .filter(|p| p.required)
        .filter_map(|p| {
            let value = match p.default.as_ref()? {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            Some(format!("`{}={}`", p.name, value.replace('`', "'")))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Methods of the operation's [`Call`] type for what the operation method
/// does not take: `.params(..)` when every parameter is optional, `.body(..)`
/// for an optional body, `.paginate()` for a paginated list.
fn emit_call_methods(
    api: &Api,
    method: &str,
    op: &Operation,
    decided: &OperationSurface,
) -> Option<TokenStream> {
    let mut methods = Vec::new();
    if let Some(params_type) = decided
        .params_type
        .as_ref()
        .filter(|_| decided.params_on_call)
    {
        let params_type = ident(params_type);
        // Single values chain on the request; others need statements.
        let chain: Option<Vec<TokenStream>> = op
            .query_and_header_params
            .iter()
            .zip(&decided.param_names)
            .map(|(p, field)| single_param_call(p, field))
            .collect();
        // Where the call already carries the defaults, `params` replaces them.
        let clear = decided
            .sends_default_params
            .then(|| quote!(.without_params()));
        let change = match chain {
            Some(calls) => quote!(|request| request #clear #(#calls)*),
            None => {
                let params = op
                    .query_and_header_params
                    .iter()
                    .zip(&decided.param_names)
                    .map(|(p, field)| emit_param(api, p, field));
                let clear = clear.map(|clear| quote!(request = request #clear;));
                quote!(|mut request| {
                    #clear
                    #(#params)*
                    request
                })
            }
        };
        let doc = doc_attrs(&match decided.sends_default_params {
            true => format!(
                "Sends the query and header parameters of [`{method}`] set in `params`, in place of the defaults it sends without this call ({}).",
                sent_defaults(op)
            ),
            false => format!(
                "Sends the query and header parameters of [`{method}`] set in `params` (all optional: without this call, none are sent)."
            ),
        });
        methods.push(quote! {
            #doc
            pub fn params(self, params: &#params_type) -> Self {
                self.map_request(#change)
            }
        });
    }
    if let Some(body) = op.body.as_ref().filter(|_| decided.body_on_call) {
        let ty = rust_type(api, body.kind.ty(), Context::Outside);
        let attach = attach_body(api, &body.kind);
        let doc = doc_attrs(&format!(
            "Sends `body` with [`{method}`] (the body is optional: without this call, none is sent)."
        ));
        methods.push(quote! {
            #doc
            pub fn body(self, body: &#ty) -> Self {
                self.map_request(|request| request #attach)
            }
        });
    }
    if decided.paginates {
        methods.extend(super::pagination::emit_paginate(api, op, decided, &method));
    }
    if methods.is_empty() {
        return None;
    }
    let success = success_type(api, decided);
    let error = ident(&decided.error_type);
    Some(quote! {
        impl Call<#success, #error> {
            #(#methods)*
        }
    })
}

/// The request of `op` before its parameters and body: its method, its
/// path template, and the path parameters that fill it, in order (the
/// runtime encodes each as one segment).
fn request_expression(op: &Operation, decided: &OperationSurface) -> TokenStream {
    let operation_id = &op.id;
    let mut template = String::new();
    let mut values = Vec::new();
    for part in &op.path_parts {
        match part {
            PathPart::Literal(text) => template.push_str(text),
            PathPart::Param(index) => {
                let param = &op.path_params[*index];
                template.push_str(&format!("{{{}}}", param.name));
                let name = ident(&decided.path_names[*index]);
                values.push(match &param.ty {
                    TypeRef::String => quote!(#name),
                    _ => quote!(&sunshine_runtime::support::query_value(#name)),
                });
            }
        }
    }
    let method = op.method.as_str();
    let request = match method {
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" => {
            let constructor = ident(&method.to_ascii_lowercase());
            quote!(Request::#constructor(#operation_id, #template))
        }
        _ => {
            let method = ident(method);
            quote!(Request::new(#operation_id, crate::reqwest::Method::#method, #template))
        }
    };
    match values.is_empty() {
        true => request,
        false => quote!(#request.path_params(&[#(#values),*])),
    }
}

/// Statements adding one query or header parameter to `request`.
/// The request method that adds `param` when it is a single value (neither a
/// deep object nor an array), such as `.query_param_opt("brandId", ..)`.
fn single_param_call(param: &Parameter, field: &str) -> Option<TokenStream> {
    if matches!(param.style, QueryStyle::DeepObject) || matches!(param.ty, TypeRef::Array(_)) {
        return None;
    }
    let field = ident(field);
    let access = quote!(params.#field);
    let name = &param.name;
    Some(match (param.required, &param.location) {
        (true, ParamLocation::Header) => quote!(.header_param(#name, &#access)),
        (true, _) => quote!(.query_param(#name, &#access)),
        (false, ParamLocation::Header) => quote!(.header_param_opt(#name, #access.as_ref())),
        (false, _) => quote!(.query_param_opt(#name, #access.as_ref())),
    })
}

fn emit_param(api: &Api, param: &Parameter, field_name: &str) -> TokenStream {
    let field = ident(field_name);
    let access = quote!(params.#field);
    let name = &param.name;
    let add = |key: TokenStream, value: TokenStream| match param.location {
        ParamLocation::Header => quote!(request = request.header_param(#key, #value);),
        _ => quote!(request = request.query_param(#key, #value);),
    };
    if let Some(call) = single_param_call(param, field_name) {
        return quote!(request = request #call;);
    }
    let body = match (&param.style, &param.ty) {
        (QueryStyle::DeepObject, TypeRef::Named(id)) => {
            let fields: Vec<TokenStream> = match api.type_def(id).map(|d| &d.kind) {
                Some(TypeKind::Struct(s)) => s
                    .fields
                    .iter()
                    .map(|f| {
                        let key = format!("{name}[{}]", f.json_name);
                        let member = ident(&f.name);
                        let value = quote!(value.#member);
                        let add_one = add(quote!(#key), quote!(item));
                        let set = match &f.ty {
                            TypeRef::Array(_) => quote!(for item in &item { #add_one }),
                            _ => add_one,
                        };
                        match present_value(f.presence, &value) {
                            None => quote! { let item = &#value; #set },
                            Some(present) => quote! { if let Some(item) = #present { #set } },
                        }
                    })
                    .collect(),
                _ => Vec::new(),
            };
            quote!(#(#fields)*)
        }
        (QueryStyle::DeepObject, _) => {
            let add_one = add(quote!(&key), quote!(item));
            quote! {
                for (key, item) in value {
                    let key = format!("{}[{}]", #name, key);
                    #add_one
                }
            }
        }
        (_, TypeRef::Array(_)) => {
            let add_one = add(quote!(#name), quote!(item));
            quote!(for item in value { #add_one })
        }
        _ => add(quote!(#name), quote!(value)),
    };
    if param.required {
        quote! {
            let value = &#access;
            #body
        }
    } else {
        quote! {
            if let Some(value) = &#access {
                #body
            }
        }
    }
}

/// An expression building the multipart form from `body`.
fn multipart_form(api: &Api, ty: &TypeRef) -> TokenStream {
    let TypeRef::Named(id) = ty else {
        return quote!(sunshine_runtime::Multipart::new()
            .text("body", sunshine_runtime::support::query_value(body)));
    };
    let Some(TypeKind::Struct(s)) = api.type_def(id).map(|d| &d.kind) else {
        return quote!(sunshine_runtime::Multipart::new());
    };
    let parts = s.fields.iter().map(|f| {
        let member = ident(&f.name);
        let name = &f.json_name;
        let add = match &f.ty {
            TypeRef::Binary => quote!(form = form.file(#name, value);),
            _ => quote!(form = form.text(#name, sunshine_runtime::support::query_value(value));),
        };
        let value = quote!(body.#member);
        match present_value(f.presence, &value) {
            None => quote! { let value = &#value; #add },
            Some(present) => quote! { if let Some(value) = #present { #add } },
        }
    });
    quote! {{
        let mut form = sunshine_runtime::Multipart::new();
        #(#parts)*
        form
    }}
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        Status::Range(class) => {
            let low = Literal::u16_unsuffixed(class * 100);
            let high = Literal::u16_unsuffixed(class * 100 + 99);
            quote!(#low..=#high)
        }
        Status::Default => quote!(_),
    }
}

/// A pattern binding the matched status to `status`.
fn bound_pattern(status: Status) -> TokenStream {
    match status {
        Status::Default => quote!(status),
        other => {
            let pattern = status_pattern(other);
            quote!(status @ #pattern)
        }
    }
}

/// The runtime's decoder for an operation that documents one status and no
/// errors, such as `Response::json_if::<200, _, _>`; `None` for the others,
/// which decode with [`response_arms`].
fn single_status_decoder(op: &Operation) -> Option<TokenStream> {
    let ([only], []) = (op.successes.as_slice(), op.errors.as_slice()) else {
        return None;
    };
    let Status::Code(code) = only.status else {
        return None;
    };
    let code = Literal::u16_unsuffixed(code);
    Some(match &only.body {
        Some(_) => quote!(Response::json_if::<#code, _, _>),
        None => quote!(Response::empty_if::<#code, _>),
    })
}

fn response_arms(op: &Operation, decided: &OperationSurface) -> Vec<TokenStream> {
    let error = ident(&decided.error_type);
    let mut arms = Vec::new();
    let decode = |r: &Response| match &r.body {
        Some(_) => quote!(response.json()),
        None => quote!(response.empty()),
    };
    match op.successes.as_slice() {
        [] => arms.push(quote!(200..=299 => response.empty(),)),
        [only] => {
            let pattern = status_pattern(only.status);
            let decode = decode(only);
            arms.push(quote!(#pattern => #decode,));
        }
        many => {
            let enum_name = ident(decided.response_type.as_deref().unwrap_or("Response"));
            for (r, variant) in many.iter().zip(&decided.success_variants) {
                let pattern = status_pattern(r.status);
                let variant = ident(variant);
                arms.push(match &r.body {
                    Some(_) => quote!(#pattern => response.json().map(#enum_name::#variant),),
                    None => quote!(#pattern => response.empty().map(|()| #enum_name::#variant),),
                });
            }
        }
    }
    let mut has_default = false;
    for (r, variant) in op.errors.iter().zip(&decided.error_variants) {
        let variant = ident(variant);
        let pattern = status_pattern(r.status);
        let arm = match (r.status, &r.body) {
            (Status::Code(_), Some(_)) => {
                quote!(#pattern => Err(response.error_from_body(#error::#variant)),)
            }
            (Status::Code(_), None) => quote!(#pattern => Err(response.error(#error::#variant)),),
            (_, Some(_)) => {
                let binding = bound_pattern(r.status);
                quote!(#binding => Err(response.error_from_body(|body| #error::#variant { status, body })),)
            }
            (_, None) => {
                let binding = bound_pattern(r.status);
                quote!(#binding => Err(response.error(#error::#variant { status })),)
            }
        };
        has_default |= r.status == Status::Default;
        arms.push(arm);
    }
    // Errors are sorted codes, ranges, `default`; so `default` is the last arm when present.
    if !has_default {
        arms.push(quote!(_ => Err(response.unexpected()),));
    }
    arms
}

fn emit_operation_types(surface: &Surface, group: &OperationGroup, op: &Operation) -> TokenStream {
    let api = surface.api();
    let decided = surface.operation(op);
    let method = format!(
        "{}::{}",
        surface.group(group).struct_name,
        decided.method.trim_start_matches("r#")
    );
    let params = decided
        .params_type
        .as_deref()
        .map(|name| emit_params_struct(api, op, decided, name, &method));
    let response = decided.response_type.as_deref().map(|name| {
        let non_exhaustive = surface.policy().response_enums_non_exhaustive;
        emit_response_enum(api, op, decided, name, non_exhaustive, &method)
    });
    let error = emit_error_enum(api, op, decided, &method);
    let call_methods = emit_call_methods(api, &method, op, decided);
    quote!(#params #response #error #call_methods)
}

fn emit_params_struct(
    api: &Api,
    op: &Operation,
    decided: &OperationSurface,
    name: &str,
    method: &str,
) -> TokenStream {
    let name = ident(name);
    let doc = doc_attrs(&format!("Query and header parameters of [`{method}`]."));
    let members: Vec<Member> = op
        .query_and_header_params
        .iter()
        .zip(&decided.param_names)
        .zip(&decided.param_fills)
        .map(|((p, field), fill)| {
            Member::new(
                api,
                ident(field),
                &p.ty,
                false,
                fill.as_ref(),
                Context::Outside,
            )
        })
        .collect();
    // Parameters are always sent: no empty string stands in for a value.
    let (derive_default, constructors) = constructors(&name, &members);
    let derive_default = derive_default.then(|| quote!(Default,));
    let fields = op
        .query_and_header_params
        .iter()
        .zip(&decided.param_names)
        .zip(&decided.param_setters)
        .zip(&decided.param_types)
        .map(|(((p, field_name), setter), ty)| {
            let field = ident(field_name);
            let ty = tokens(ty, Context::Outside);
            let fallback = || format!("The `{}` parameter.", p.name);
            let doc = doc_attrs(&member_doc(&p.doc, fallback, p.default.as_ref()));
            let setter = setter_marker(field_name, setter);
            quote!(#setter #doc pub #field: #ty,)
        });
    // `object!` makes it `#[non_exhaustive]` and writes a setter per parameter.
    quote! {
        sunshine_runtime::object! {
            #doc
            #[derive(Debug, Clone, PartialEq, #derive_default)]
            pub struct #name {
                #(#fields)*
            }
        }

        #constructors
    }
}

fn emit_response_enum(
    api: &Api,
    op: &Operation,
    decided: &OperationSurface,
    name: &str,
    non_exhaustive: bool,
    method: &str,
) -> TokenStream {
    let name = ident(name);
    let non_exhaustive = non_exhaustive.then(|| quote!(#[non_exhaustive]));
    let doc = doc_attrs(&format!(
        "The documented successful responses of [`{method}`]."
    ));
    let variants = op
        .successes
        .iter()
        .zip(&decided.success_variants)
        .map(|(r, variant)| variant_tokens(api, r, variant, true));
    let variants = quote!(#(#variants),*);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        // Each status holds its documented body unboxed (boxing by size would
        // change a variant's type whenever a new version grows the body).
        #[allow(clippy::large_enum_variant)]
        #non_exhaustive
        pub enum #name {
            #variants
        }
    }
}

/// A response's variant, without the trailing comma.
fn variant_tokens(api: &Api, r: &Response, variant: &str, single_code_only: bool) -> TokenStream {
    let doc = doc_attrs(&format!(
        "{} {}",
        status_doc(r.status),
        r.doc
            .as_deref()
            .unwrap_or("response")
            .lines()
            .next()
            .unwrap_or("")
    ));
    let shape = variant_shape(api, r, variant, single_code_only);
    quote!(#doc #shape)
}

/// A variant for response `r`, without its doc: its name and what it holds.
fn variant_shape(api: &Api, r: &Response, variant: &str, single_code_only: bool) -> TokenStream {
    let variant = ident(variant);
    let body = r
        .body
        .as_ref()
        .map(|ty| rust_type(api, ty, Context::Outside));
    match (r.status, body) {
        (Status::Code(_), Some(body)) => quote!(#variant(#body)),
        (Status::Code(_), None) => quote!(#variant),
        _ if single_code_only => quote!(#variant),
        (_, Some(body)) => {
            quote!(#variant { #[doc = " The status code."] status: u16, #[doc = " The decoded body."] body: #body })
        }
        (_, None) => quote!(#variant { #[doc = " The status code."] status: u16 }),
    }
}

fn emit_error_enum(
    api: &Api,
    op: &Operation,
    decided: &OperationSurface,
    method: &str,
) -> TokenStream {
    let name = ident(&decided.error_type);
    let doc = doc_attrs(&format!(
        "The documented error responses of [`{method}`], carried by [`Error::Api`](crate::Error::Api)."
    ));
    let variants = op
        .errors
        .iter()
        .zip(&decided.error_variants)
        .map(|(r, variant)| {
            // The macro documents the variant with its label.
            let variant = variant_shape(api, r, variant, false);
            // What `Display` writes for the variant (after it, the status of a
            // range or `default`, and the body).
            let label = format!(
                "{} {}",
                match r.status {
                    Status::Code(code) => code.to_string(),
                    Status::Range(class) => format!("{class}XX"),
                    Status::Default => "unexpected status".to_owned(),
                },
                r.doc
                    .as_deref()
                    .unwrap_or("error")
                    .lines()
                    .next()
                    .unwrap_or("error")
            );
            quote!(#variant = #label,)
        });
    // The `Display` and `Error` impls are written by the crate's `operation_error!`.
    quote! {
        sunshine_runtime::operation_error! {
            #doc
            pub enum #name {
                #(#variants)*
            }
        }
    }
}
