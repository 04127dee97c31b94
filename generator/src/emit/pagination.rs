//! `.paginate()` on the call of each list operation that pages with cursors.

use proc_macro2::TokenStream;
use quote::quote;

use super::common::{doc_attrs, ident, rust_type, success_type, Context};
use crate::model::{Api, Operation, PageDirection};
use crate::surface::OperationSurface;

/// `.paginate()` on the call of `op` (documented as a method of `method`),
/// or nothing when it does not page.
pub(super) fn emit_paginate(
    api: &Api,
    op: &Operation,
    decided: &OperationSurface,
    method: &str,
) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let order = match pagination.direction {
        PageDirection::Forward => "oldest first, following `after` cursors",
        PageDirection::Backward => {
            "newest page first, following `before` cursors back in time, as the API documents for this list"
        }
    };
    let doc = doc_attrs(&format!(
        "Every page of [`{method}`], {order}: `.items()` streams the items one by one, `.pages()` the whole pages.\n\n\
         The stream ends after the page whose `hasMore` is false, or with an error: the operation's own, or [`Error::RepeatedCursor`](crate::Error::RepeatedCursor) if the API hands out a cursor twice."
    ));
    let page = success_type(api, decided);
    let item = rust_type(api, &pagination.item, Context::Outside);
    let error = ident(&decided.error_type);
    let cursor_param = &pagination.cursor_param;
    let items = &pagination.items_pointer;
    let has_more = &pagination.has_more_pointer;
    let cursor = &pagination.cursor_pointer;
    Some(quote! {
        #doc
        pub fn paginate(self) -> Paginator<#page, #item, #error> {
            Paginator::new(
                self.0,
                &PageLayout {
                    cursor_param: #cursor_param,
                    items: #items,
                    has_more: #has_more,
                    cursor: #cursor,
                },
            )
        }
    })
}
