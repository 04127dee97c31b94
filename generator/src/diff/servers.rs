//! The `Server` enum across versions: variants, URLs and the default.

use super::change::{ChangeKind, Item};
use super::compat::Facts;
use super::walk::Walk;
use crate::model::Server;

/// The variant's fields: the URL variables, in order.
fn fields(server: &Server) -> String {
    server
        .variables
        .iter()
        .map(|v| v.field.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Pairs servers by variant name, then by URL (a rename).
pub(super) fn compare(walk: &mut Walk<'_>) {
    let (old, new) = (&walk.old.api.servers, &walk.new.api.servers);
    let mut paired = vec![false; new.len()];
    let mut pairs = Vec::new();
    let mut unpaired_old = Vec::new();
    for before in old {
        match new.iter().position(|s| s.name == before.name) {
            Some(index) => {
                paired[index] = true;
                pairs.push((before, &new[index]));
            }
            None => unpaired_old.push(before),
        }
    }
    for before in unpaired_old {
        match new
            .iter()
            .position(|s| s.url == before.url)
            .filter(|index| !paired[*index])
        {
            Some(index) => {
                paired[index] = true;
                let from = before.name.clone();
                let item = Item::Server(new[index].name.clone());
                walk.push(&item, ChangeKind::ServerRenamed { from }, Facts::default());
                pairs.push((before, &new[index]));
            }
            None => {
                let item = Item::Server(before.name.clone());
                walk.push(&item, ChangeKind::ServerRemoved, Facts::default());
            }
        }
    }
    let casts = (
        walk.old.surface.server_casts(),
        walk.new.surface.server_casts(),
    );
    for &(before, after) in &pairs {
        if casts != (true, true) {
            break;
        }
        let index = |servers: &[Server], server: &Server| {
            servers.iter().position(|s| std::ptr::eq(s, server))
        };
        if let (Some(from), Some(to)) = (index(old, before), index(new, after)) {
            if from != to {
                let item = Item::Server(after.name.clone());
                let what = ChangeKind::ServerDiscriminantChanged { from, to };
                walk.push(&item, what, Facts::default());
            }
        }
    }
    for (before, after) in pairs {
        let item = Item::Server(after.name.clone());
        let (from, to) = (fields(before), fields(after));
        if from != to {
            walk.push(
                &item,
                ChangeKind::ServerVariablesChanged { from, to },
                Facts::default(),
            );
        } else if before.url != after.url {
            let (from, to) = (before.url.clone(), after.url.clone());
            walk.push(
                &item,
                ChangeKind::ServerUrlChanged { from, to },
                Facts::default(),
            );
        }
        if after.is_default && !before.is_default {
            walk.push(&item, ChangeKind::ServerBecameDefault, Facts::default());
        }
    }
    for (index, after) in new.iter().enumerate() {
        if !paired[index] {
            let item = Item::Server(after.name.clone());
            walk.push(&item, ChangeKind::ServerAdded, Facts::default());
            if casts == (true, false) && !after.variables.is_empty() {
                walk.push(&item, ChangeKind::ServerFieldsAdded, Facts::default());
            }
            if after.is_default {
                walk.push(&item, ChangeKind::ServerBecameDefault, Facts::default());
            }
        }
    }
}
