//! Renders a [`Report`]: for a terminal, as Markdown for a pull request, and
//! in the short form `generate` prints. Every form ends with the summary line.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::change::{Change, ChangeKind, Item, Severity};
use crate::model::Api;

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
    pub(super) fn of(api: &Api) -> Self {
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

/// The release a change set calls for, in semantic-versioning terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Release {
    /// Something breaks callers.
    Major,
    /// Only compatible changes.
    Minor,
    /// No change to the Rust API.
    Patch,
}

impl Release {
    fn advice(self) -> &'static str {
        match self {
            Release::Major => "major (breaking changes; a 0.x crate bumps its minor version)",
            Release::Minor => {
                "minor (compatible changes only; a 0.x crate bumps its patch version)"
            }
            Release::Patch => "patch at most (no change to the Rust API)",
        }
    }
}

/// How many items of each kind were added, removed or otherwise changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Added.
    pub added: usize,
    /// Removed.
    pub removed: usize,
    /// Present in both and changed (renames included).
    pub changed: usize,
}

impl Tally {
    fn of(
        changes: &[Change],
        kind: fn(&Item) -> bool,
        added: &ChangeKind,
        removed: &ChangeKind,
    ) -> Self {
        let same =
            |a: &ChangeKind, b: &ChangeKind| std::mem::discriminant(a) == std::mem::discriminant(b);
        let mut tally = Tally::default();
        let mut changed = BTreeSet::new();
        for change in changes.iter().filter(|c| kind(&c.item)) {
            if same(&change.kind, added) {
                tally.added += 1;
            } else if same(&change.kind, removed) {
                tally.removed += 1;
            } else {
                changed.insert(&change.item);
            }
        }
        tally.changed = changed.len();
        tally
    }
}

impl Report {
    /// The release the changes call for.
    pub fn release(&self) -> Release {
        if self.is_breaking() {
            Release::Major
        } else if self.changes.is_empty() {
            Release::Patch
        } else {
            Release::Minor
        }
    }

    /// Operations added, removed and changed.
    pub fn operations(&self) -> Tally {
        Tally::of(
            &self.changes,
            |item| matches!(item, Item::Operation { .. }),
            &ChangeKind::OperationAdded,
            &ChangeKind::OperationRemoved,
        )
    }

    /// Types added, removed and changed.
    pub fn types(&self) -> Tally {
        Tally::of(
            &self.changes,
            |item| matches!(item, Item::Type(_)),
            &ChangeKind::TypeAdded { kind: "" },
            &ChangeKind::TypeRemoved,
        )
    }

    /// Webhook event types added and removed.
    pub fn events(&self) -> Tally {
        let count = |f: fn(&ChangeKind) -> bool| self.changes.iter().filter(|c| f(&c.kind)).count();
        Tally {
            added: count(|w| matches!(w, ChangeKind::EventAdded { .. })),
            removed: count(|w| matches!(w, ChangeKind::EventRemoved { .. })),
            changed: 0,
        }
    }

    /// `Title 1.0 → 2.0`; with short hashes when the versions are the same.
    pub fn title(&self) -> String {
        let (old, new) = (&self.old, &self.new);
        let title = if old.title == new.title {
            new.title.clone()
        } else {
            format!("{} → {}", old.title, new.title)
        };
        if old.version == new.version {
            let short = |hash: &str| hash.chars().take(12).collect::<String>();
            format!(
                "{title} {} (sha256 {} → {})",
                new.version,
                short(&old.sha256),
                short(&new.sha256)
            )
        } else {
            format!("{title} {} → {}", old.version, new.version)
        }
    }

    /// One line: counts by severity and by kind, and the release to make.
    pub fn summary_line(&self) -> String {
        let breaking = self.breaking().count();
        let compatible = self.changes.len() - breaking;
        let (ops, types, events) = (self.operations(), self.types(), self.events());
        format!(
            "Summary: {breaking} breaking, {compatible} compatible (operations: {} added, {} removed, {} changed; types: {} added, {} removed, {} changed; webhook events: {} added, {} removed). Suggested release: {}.",
            ops.added,
            ops.removed,
            ops.changed,
            types.added,
            types.removed,
            types.changed,
            events.added,
            events.removed,
            self.release().advice()
        )
    }

    fn with(&self, severity: Severity) -> Vec<&Change> {
        self.changes
            .iter()
            .filter(|c| c.verdict.severity == severity)
            .collect()
    }

    /// For a terminal: breaking changes with the reason, then compatible ones.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Changes for callers of the generated crate: {}\n",
            self.title()
        );
        if self.changes.is_empty() {
            out.push_str("\nNo change to the Rust API.\n");
        }
        for (severity, label) in [
            (Severity::Breaking, "Breaking"),
            (Severity::Compatible, "Compatible"),
        ] {
            let changes = self.with(severity);
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{label} ({}):", changes.len());
            for change in changes {
                let _ = writeln!(out, "  {}: {}", change.item, change.kind);
                if severity == Severity::Breaking {
                    let _ = writeln!(out, "      {}", change.verdict.why);
                }
            }
        }
        let _ = writeln!(out, "\n{}", self.summary_line());
        out
    }

    /// Markdown for a pull-request description: one table per severity.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("## API changes: {}\n", escape(&self.title()));
        if self.changes.is_empty() {
            out.push_str("\nNo change to the Rust API.\n");
        }
        for (severity, label) in [
            (Severity::Breaking, "Breaking"),
            (Severity::Compatible, "Compatible"),
        ] {
            let changes = self.with(severity);
            if changes.is_empty() {
                continue;
            }
            let _ = write!(
                out,
                "\n### {label} ({})\n\n| item | change | why |\n|---|---|---|\n",
                changes.len()
            );
            for change in changes {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} |",
                    change.item,
                    escape(&change.kind.to_string()),
                    escape(&change.verdict.why)
                );
            }
        }
        let _ = writeln!(out, "\n**{}**", self.summary_line());
        out
    }

    /// What `generate` prints on replacing a crate: the summary line and the
    /// breaking changes.
    pub fn to_short(&self) -> String {
        let mut out = format!("API changes: {}\n", self.title());
        for change in self.breaking() {
            let _ = writeln!(out, "  breaking: {}: {}", change.item, change.kind);
        }
        let _ = writeln!(out, "{}", self.summary_line());
        out
    }
}

/// Keeps table cells in one piece.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
