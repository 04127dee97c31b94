//! The state of one comparison, and the named types paired across versions.

use std::collections::{BTreeMap, BTreeSet};

use super::change::{Change, ChangeKind, Item};
use super::compat::{self, Facts};
use super::rust::Spelling;
use crate::model::{Api, TypeId};
use crate::surface::Policy;

/// The state of one comparison.
pub(super) struct Walk<'a> {
    pub(super) old: Spelling<'a>,
    pub(super) new: Spelling<'a>,
    pub(super) policy: Policy,
    pub(super) changes: Vec<Change>,
}

impl Walk<'_> {
    pub(super) fn push(&mut self, item: &Item, what: ChangeKind, facts: Facts) {
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
pub(super) struct TypePairs {
    /// (old id, new id) of the types present in both.
    pub(super) pairs: Vec<(TypeId, TypeId)>,
    /// Old ids without a counterpart.
    pub(super) removed: Vec<TypeId>,
    /// New ids without a counterpart.
    pub(super) added: Vec<TypeId>,
    /// Old name → new name of the renamed types.
    pub(super) renames: BTreeMap<String, String>,
}

impl TypePairs {
    pub(super) fn of(old: &Api, new: &Api) -> Self {
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
