//! Shared by the integration tests: where things are, and the published
//! specs in `../shared`, which CI must have.

#![allow(dead_code)] // Each test crate uses a different part of this module.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("generator/ is inside the workspace")
        .to_owned()
}

/// The three published versions of the upstream spec.
pub const UPSTREAM_VERSIONS: [&str; 3] = ["9.1.0", "15.4.0", "17.12.1"];

/// Paths of the published upstream specs, or `None` (with the reason printed)
/// when `../shared` is absent. In CI (`CI` set) their absence is a failure:
/// these tests must run there.
pub fn upstream_specs() -> Option<Vec<(&'static str, PathBuf)>> {
    let dir = workspace_root().join("../shared/specs/sunshine-conversations");
    let specs: Vec<_> = UPSTREAM_VERSIONS
        .iter()
        .map(|v| (*v, dir.join(format!("openapi-{v}.yaml"))))
        .collect();
    if specs.iter().all(|(_, path)| path.is_file()) {
        return Some(specs);
    }
    let reason = format!(
        "the published specs are not at {} (they live in the shared folder beside the project checkout)",
        dir.display()
    );
    skip_unless_ci(&reason);
    None
}

/// Says why a test skips; in CI (`CI` set) fails instead, because every test
/// must run there.
pub fn skip_unless_ci(reason: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{reason}; CI must run this test");
    }
    eprintln!("SKIPPED: {reason}");
}
