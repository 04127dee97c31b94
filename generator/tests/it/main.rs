//! The generator's fast tests, one binary (linked once): each module tests
//! one part of it from outside, on documents in memory or in `fixtures/`,
//! with no compiler, server or tool beyond this process.
//!
//! The heavy groups are binaries of their own, named for what they need:
//! `generated_crates` (scratch workspaces compiled, linted and run, with
//! Prism for the full crate), `contract` (Prism checks every request of the
//! generated client) and `semver` (cargo-semver-checks judges fixture and
//! published pairs beside diff-spec).

#[path = "../common/mod.rs"]
mod common;

mod budget;
mod construction;
mod diagnostics;
mod diff;
mod docs;
mod locate;
mod metadata;
mod robustness;
mod snapshots;
mod stable_output;
mod webhooks;
mod write;
