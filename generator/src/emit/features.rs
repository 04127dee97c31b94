//! `#[cfg(feature = …)]` gates and the `[features]` table, for crates whose
//! surface has [`Features`](crate::surface::Features).

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::model::OperationGroup;
use crate::surface::Surface;

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
pub(super) fn for_type(surface: &Surface, id: &str) -> Option<TokenStream> {
    cfg_any(surface.features()?.types.get(id)?)
}

/// The gate of what every named type needs (the serde import): none when
/// some type always compiles, else any feature some type needs.
pub(super) fn for_any_type(surface: &Surface) -> Option<TokenStream> {
    let gated = &surface.features()?.types;
    if surface.api().types.keys().any(|id| !gated.contains_key(id)) {
        return None;
    }
    let features: BTreeSet<&String> = gated.values().flatten().collect();
    cfg_any(features)
}

/// The gate of a tag's module.
pub(super) fn for_group(surface: &Surface, group: &OperationGroup) -> Option<TokenStream> {
    cfg_any(surface.group(group).feature.as_ref())
}

/// The gate of the webhook events.
pub(super) fn for_webhooks(surface: &Surface) -> Option<TokenStream> {
    cfg_any(surface.features()?.webhooks.as_ref())
}

/// `items` with `cfg` on each item.
///
/// Items are found in the tokens themselves, not by parsing them with syn
/// and printing them back (which cost a seventh of generating the full
/// 17.12.1 document): a top-level item ends at a `;`, or at a `{…}` that no
/// `;` follows (a struct, enum, impl, function or module); attributes stay
/// with the item they precede.
pub(super) fn gate(items: TokenStream, cfg: Option<TokenStream>) -> TokenStream {
    let Some(cfg) = cfg else {
        return items;
    };
    let mut gated = TokenStream::new();
    let mut at_item_start = true;
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        if at_item_start {
            gated.extend(cfg.clone());
        }
        at_item_start = match &token {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(next)) if next.as_char() == ';')
            }
            _ => false,
        };
        gated.extend(std::iter::once(token));
    }
    gated
}

/// The `[features]` entries for the tags and webhook events: each on by
/// default, beside `tracing`.
pub(super) fn manifest_table(surface: &Surface) -> String {
    let Some(features) = surface.features() else {
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
