//! The change report: what a new version of the document changes for callers
//! of the generated crate.
//!
//! Two surfaces are compared, never the documents, because identity is
//! the Rust API: an operation is its method (`client.users().get_user()`),
//! a type its name in `types`. A change in the document that maps to the same
//! Rust name (re-cased `operationId`s or schema names) is no change. When the
//! Rust name changes but the operation keeps its method and path, or the
//! schema its place in the document, the change is a rename rather than a
//! removal and an addition. Each change is judged by [`compat`]; [`report`]
//! renders the result.

pub mod change;
pub mod compat;
mod operations;
pub mod report;
pub mod rust;
mod schemas;
mod servers;
mod walk;

use std::collections::BTreeMap;

use crate::surface::{Policy, Surface};
pub use change::{Change, ChangeKind, Item, Severity, Verdict};
pub use report::{Report, Side};
use rust::Spelling;
use walk::{TypePairs, Walk};

/// Compares two surfaces as the generated crate exposes them.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    diff_with(old, new, new.policy())
}

/// Compares two surfaces, judging changes against `policy`.
pub fn diff_with(old_surface: &Surface, new_surface: &Surface, policy: Policy) -> Report {
    let (old, new) = (old_surface.api(), new_surface.api());
    let types = TypePairs::of(old, new);
    let no_renames = BTreeMap::new();
    let mut walk = Walk {
        old: Spelling {
            surface: old_surface,
            api: old,
            renames: &types.renames,
        },
        new: Spelling {
            surface: new_surface,
            api: new,
            renames: &no_renames,
        },
        policy,
        changes: Vec::new(),
    };
    operations::compare(&mut walk);
    schemas::compare(&mut walk, &types);
    schemas::compare_webhooks(&mut walk);
    servers::compare(&mut walk);
    let mut changes = walk.changes;
    // Stable: within one item, changes stay in the order they were found.
    changes.sort_by(|a, b| a.item.cmp(&b.item));
    Report {
        old: Side::of(old),
        new: Side::of(new),
        changes,
    }
}
