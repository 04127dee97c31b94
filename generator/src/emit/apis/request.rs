//! The request an operation sends: its path, its query and header
//! parameters (and the `{Op}Params` struct that holds them), its body.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::common::{doc_attrs, ident, present_value, tokens, Context};
use crate::emit::construct::{constructors, member_doc, Member};
use crate::emit::fields::setter_marker;
use crate::model::{
    Api, BodyKind, Operation, ParamLocation, Parameter, PathPart, QueryStyle, TypeKind, TypeRef,
};
use crate::surface::OperationSurface;

/// `.json(body)` or `.multipart(form)`, for a request being built.
pub(super) fn attach_body(api: &Api, kind: &BodyKind) -> TokenStream {
    match kind {
        BodyKind::Json(_) => quote!(.json(body)),
        BodyKind::Multipart(ty) => {
            let form = multipart_form(api, ty);
            quote!(.multipart(#form))
        }
    }
}

/// The request of `op` before its parameters and body: its method, its
/// path template, and the path parameters that fill it, in order (the
/// runtime encodes each as one segment).
pub(super) fn request_expression(op: &Operation, decided: &OperationSurface) -> TokenStream {
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
pub(super) fn single_param_call(param: &Parameter, field: &str) -> Option<TokenStream> {
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

pub(super) fn emit_param(api: &Api, param: &Parameter, field_name: &str) -> TokenStream {
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
pub(super) fn multipart_form(api: &Api, ty: &TypeRef) -> TokenStream {
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

pub(super) fn emit_params_struct(
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
