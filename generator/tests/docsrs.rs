//! rustdoc as docs.rs runs it (every feature on, `--cfg docsrs`, a nightly
//! rustdoc: here the installed one, with `RUSTC_BOOTSTRAP=1`) marks each
//! feature-gated item of `generated/` and of the runtime's receiver (the
//! runtime package with features of its own) with the feature it needs.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the feature badge of `feature` appears on a rustdoc page.
fn badge(feature: &str) -> String {
    format!("crate feature <code>{feature}</code>")
}

#[test]
fn every_gated_item_says_which_feature_it_needs() {
    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("docsrs");
    let output = Command::new(env!("CARGO"))
        .args([
            "doc",
            "--offline",
            "--locked",
            "--no-deps",
            "--all-features",
            "--quiet",
            "-p",
            "sunshine-conversations",
            "-p",
            "sunshine-receiver",
        ])
        .current_dir(common::workspace_root())
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTDOCFLAGS", "--cfg docsrs -D warnings")
        .env("RUSTC_BOOTSTRAP", "1")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "rustdoc as docs.rs runs it fails:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = |path: &str| -> String {
        let file = Path::new(&target).join("doc").join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|err| panic!("{}: {err}", file.display()))
    };
    for (path, feature) in [
        ("sunshine_conversations/mock/index.html", "mock"),
        ("sunshine_conversations/mock/type.Delivery.html", "mock"),
        (
            "sunshine_conversations/webhooks/type.Receiver.html",
            "receiver",
        ),
        ("sunshine_receiver/struct.RedisStore.html", "redis"),
        ("sunshine_receiver/struct.RedisQueue.html", "redis"),
    ] {
        assert!(
            page(path).contains(&badge(feature)),
            "{path} does not say it needs feature `{feature}`"
        );
    }
    // The crate page lists the gated module with its feature, and an item
    // that is always there without one.
    let index = page("sunshine_conversations/index.html");
    assert!(
        index.contains("Available on crate feature `mock` only"),
        "the crate page marks `mock`"
    );
    assert!(
        !page("sunshine_conversations/struct.Client.html").contains("Available on"),
        "Client needs no feature"
    );
}
