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

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, TypeId};
use crate::surface::{Policy, Surface};
pub use change::{Change, ChangeKind, Item, Severity, Verdict};
use compat::Facts;
use rust::Spelling;

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// SHA-256 of the document, lower-case hex.
    pub sha256: String,
}

impl Side {
    fn of(api: &Api) -> Self {
        Self {
            title: api.title.clone(),
            version: api.version.clone(),
            sha256: api.source.sha256.clone(),
        }
    }
}

/// What changed between two versions, for callers of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The version compared from.
    pub old: Side,
    /// The version compared to.
    pub new: Side,
    /// Every change, ordered by item (operations, types, webhooks, servers).
    pub changes: Vec<Change>,
}

impl Report {
    /// The changes that break callers.
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.verdict.severity == Severity::Breaking)
    }

    /// Whether any change breaks callers.
    pub fn is_breaking(&self) -> bool {
        self.breaking().next().is_some()
    }
}

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

/// The state of one comparison.
struct Walk<'a> {
    old: Spelling<'a>,
    new: Spelling<'a>,
    policy: Policy,
    changes: Vec<Change>,
}

impl Walk<'_> {
    fn push(&mut self, item: &Item, what: ChangeKind, facts: Facts) {
        let verdict = compat::judge(&what, facts, self.policy);
        self.changes.push(Change {
            item: item.clone(),
            kind: what,
            verdict,
        });
    }
}

/// Named types matched across versions: by Rust name first (that is what
/// callers see), then by place in the document (a rename).
struct TypePairs {
    /// (old id, new id) of the types present in both.
    pairs: Vec<(TypeId, TypeId)>,
    /// Old ids without a counterpart.
    removed: Vec<TypeId>,
    /// New ids without a counterpart.
    added: Vec<TypeId>,
    /// Old name → new name of the renamed types.
    renames: BTreeMap<String, String>,
}

impl TypePairs {
    fn of(old: &Api, new: &Api) -> Self {
        let new_by_name: BTreeMap<&str, &TypeId> = new
            .types
            .iter()
            .map(|(id, def)| (def.name.as_str(), id))
            .collect();
        let mut pairs = Vec::new();
        let mut unpaired_old = Vec::new();
        let mut paired_new = BTreeSet::new();
        for (id, def) in &old.types {
            match new_by_name.get(def.name.as_str()) {
                Some(&new_id) => {
                    pairs.push((id.clone(), new_id.clone()));
                    paired_new.insert(new_id.clone());
                }
                None => unpaired_old.push(id.clone()),
            }
        }
        let mut renames = BTreeMap::new();
        let mut removed = Vec::new();
        for id in unpaired_old {
            match new.type_def(&id) {
                Some(new_def) if !paired_new.contains(&id) => {
                    if let Some(old_def) = old.type_def(&id) {
                        renames.insert(old_def.name.clone(), new_def.name.clone());
                    }
                    paired_new.insert(id.clone());
                    pairs.push((id.clone(), id));
                }
                _ => removed.push(id),
            }
        }
        let added = new
            .types
            .keys()
            .filter(|id| !paired_new.contains(*id))
            .cloned()
            .collect();
        Self {
            pairs,
            removed,
            added,
            renames,
        }
    }
}
