//! What an operation's responses decode to: the match on the status, the
//! `{Op}Response` enum of several successes and the `{Op}Error` enum.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::emit::common::{doc_attrs, ident, rust_type, Context};
use crate::model::{Api, Operation, Response, Status};
use crate::surface::OperationSurface;

pub(super) fn status_pattern(status: Status) -> TokenStream {
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
pub(super) fn bound_pattern(status: Status) -> TokenStream {
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
pub(super) fn single_status_decoder(op: &Operation) -> Option<TokenStream> {
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

pub(super) fn response_arms(op: &Operation, decided: &OperationSurface) -> Vec<TokenStream> {
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

pub(super) fn emit_response_enum(
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
pub(super) fn variant_tokens(
    api: &Api,
    r: &Response,
    variant: &str,
    single_code_only: bool,
) -> TokenStream {
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
pub(super) fn variant_shape(
    api: &Api,
    r: &Response,
    variant: &str,
    single_code_only: bool,
) -> TokenStream {
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

pub(super) fn emit_error_enum(
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

pub(super) fn status_doc(status: Status) -> String {
    match status {
        Status::Code(code) => format!("`{code}`"),
        Status::Range(class) => format!("`{class}XX`"),
        Status::Default => "any other status".to_owned(),
    }
}
