//! `#[cfg(feature = …)]` gates and the `[features]` table, for crates whose
//! model has [`Features`](crate::model::Features).

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

/// `#[cfg(any(feature = "a", …))]` for a set of features, or nothing for
/// none (no gate).
fn cfg_any<'a>(features: impl IntoIterator<Item = &'a String>) -> Option<TokenStream> {
    let features: Vec<&String> = features.into_iter().collect();
    match features.as_slice() {
        [] => None,
        [one] => Some(quote!(#[cfg(feature = #one)])),
        many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
    }
}

/// The gate of a named type.
pub(super) fn for_type(api: &Api, id: &str) -> Option<TokenStream> {
    cfg_any(api.features.as_ref()?.types.get(id)?)
}

/// The gate of a tag's module.
pub(super) fn for_group(api: &Api, module: &str) -> Option<TokenStream> {
    cfg_any(api.features.as_ref()?.groups.get(module))
}

/// The gate of the webhook events.
pub(super) fn for_webhooks(api: &Api) -> Option<TokenStream> {
    cfg_any(api.features.as_ref()?.webhooks.as_ref())
}

/// The gate of the runtime's pagination.
pub(super) fn for_pagination(api: &Api) -> Option<TokenStream> {
    cfg_any(&api.features.as_ref()?.pagination)
}

/// [`for_pagination`] as text, for the runtime templates' lines.
pub(super) fn for_pagination_text(api: &Api) -> Option<String> {
    let features = &api.features.as_ref()?.pagination;
    let list: Vec<String> = features
        .iter()
        .map(|f| format!("feature = \"{f}\""))
        .collect();
    match list.as_slice() {
        [] => None,
        [one] => Some(format!("#[cfg({one})]")),
        many => Some(format!("#[cfg(any({}))]", many.join(", "))),
    }
}

/// `items` with `cfg` on each item. Items are parsed to be found; if they do
/// not parse (they always should), they are returned ungated: a gate only
/// saves compile time.
pub(super) fn gate(items: TokenStream, cfg: Option<TokenStream>) -> TokenStream {
    let Some(cfg) = cfg else {
        return items;
    };
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items.into_iter().map(|item| quote!(#cfg #item));
            quote!(#(#items)*)
        }
        Err(_) => items,
    }
}

/// The `[features]` entries for the tags and webhook events: each on by
/// default, beside `tracing`.
pub(super) fn manifest_table(api: &Api) -> String {
    let Some(features) = &api.features else {
        return "[features]\ndefault = [\"tracing\"]\n".to_owned();
    };
    let own: BTreeSet<&String> = features
        .groups
        .values()
        .chain(features.webhooks.iter())
        .collect();
    let mut table = String::from("[features]\n# Every tag's operations and the webhook events; turn off what you do not use.\ndefault = [\"tracing\"");
    for feature in &own {
        table.push_str(&format!(", \"{feature}\""));
    }
    table.push_str("]\n");
    for feature in &own {
        table.push_str(&format!("{feature} = []\n"));
    }
    table
}
