//! How much code users compile: the lines of Rust in a generated crate's
//! `src/`. Build time follows them, so they have a budget that a change to the
//! emitters cannot quietly exceed. The shared runtime (`runtime/`) is a crate
//! of its own, compiled once and cached, and is not counted here.

mod common;

use codegen::{CrateConfig, Selection};

/// The crate generated from `spec/` (`generated/`).
const SPEC_BUDGET: usize = 2_000;

/// The crate of the whole published 17.12.1 document, every tag. It was
/// 11,000 until every struct became `#[non_exhaustive]` with setters (so
/// that a field a new version adds breaks no caller): the `object!` wrapper
/// that writes them costs two lines a struct (260 structs, 520 lines); the
/// setters written out would cost about four a field (3,700 lines).
const FULL_BUDGET: usize = 11_600;

fn src_lines(spec: &std::path::Path) -> usize {
    let bytes = std::fs::read(spec).unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
    let generated = codegen::generate(&bytes, &Selection::default(), &CrateConfig::default())
        .unwrap_or_else(|diagnostics| {
            panic!("{} does not generate:\n{diagnostics}", spec.display())
        });
    generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/") && path.ends_with(".rs"))
        .map(|(_, contents)| contents.lines().count())
        .sum()
}

#[test]
fn the_spec_crate_stays_within_its_line_budget() {
    let spec = common::workspace_root().join("spec/sunshine-conversations.yaml");
    let lines = src_lines(&spec);
    assert!(
        lines <= SPEC_BUDGET,
        "generated/src has {lines} lines of Rust, over its budget of {SPEC_BUDGET}: \
         share the new code through sunshine-runtime or a support macro instead of emitting it per item"
    );
}

#[test]
fn the_full_upstream_crate_stays_within_its_line_budget() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    let (_, newest) = specs.last().expect("three published versions");
    let lines = src_lines(newest);
    assert!(
        lines <= FULL_BUDGET,
        "the crate of the published 17.12.1 document has {lines} lines of Rust in src/, \
         over its budget of {FULL_BUDGET}"
    );
}
