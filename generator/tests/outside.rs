//! The generator where users work, outside this repository: the
//! `sunshine-codegen` command (the binary `cargo install --path generator`
//! installs) run in a temporary directory on documents of its own, and a
//! scratch crate whose `build.rs` generates its client with
//! `codegen::build` and compiles.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh directory under the system's temporary directory, outside the
/// workspace; removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("sunshine-codegen-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        assert!(
            !dir.starts_with(common::workspace_root()),
            "{} is outside the workspace",
            dir.display()
        );
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn fixture(version: &str) -> PathBuf {
    common::workspace_root().join(format!("generator/tests/fixtures/evolution/{version}.yaml"))
}

/// Runs the installed command in `dir`.
fn command(dir: &Path, args: &[&str]) -> (i32, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_sunshine-codegen"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("sunshine-codegen runs");
    let text = String::from_utf8_lossy(&stdout) + String::from_utf8_lossy(&stderr);
    (status.code().unwrap_or(-1), text.into_owned())
}

#[test]
fn the_command_generates_checks_diffs_and_updates_a_document_of_its_own() {
    let scratch = Scratch::new("command");
    let dir = &scratch.0;
    std::fs::copy(fixture("v1"), dir.join("v1.yaml")).expect("copy");
    std::fs::copy(fixture("v2"), dir.join("v2.yaml")).expect("copy");
    std::fs::copy(fixture("v1"), dir.join("openapi.yaml")).expect("copy");

    let (code, text) = command(
        dir,
        &["generate", "--spec", "openapi.yaml", "--out", "client"],
    );
    assert_eq!(code, 0, "{text}");
    let manifest = std::fs::read_to_string(dir.join("client/Cargo.toml")).expect("a crate");
    assert!(
        manifest.contains("name = \"evolution\""),
        "named after the title: {manifest}"
    );
    let runtime = manifest
        .lines()
        .find(|line| line.starts_with("sunshine-runtime = "))
        .expect("the runtime dependency");
    assert_eq!(
        runtime,
        format!("sunshine-runtime = \"{}\"", codegen::RUNTIME_VERSION),
        "outside a checkout, the runtime comes from the registry"
    );

    let check = [
        "generate",
        "--spec",
        "openapi.yaml",
        "--out",
        "client",
        "--check",
    ];
    let (code, text) = command(dir, &check);
    assert_eq!(code, 0, "fresh: {text}");
    let lib = std::fs::read(dir.join("client/src/lib.rs")).expect("generated");
    std::fs::write(dir.join("client/src/lib.rs"), "// edited\n").expect("edit");
    let (code, text) = command(dir, &check);
    assert_eq!(code, 1, "stale: {text}");
    assert!(text.contains("run `sunshine-codegen generate`"), "{text}");
    std::fs::write(dir.join("client/src/lib.rs"), lib).expect("restore");

    let (code, text) = command(dir, &["diff-spec", "v1.yaml", "v2.yaml", "--format", "md"]);
    assert_eq!(code, 1, "v2 breaks callers: {text}");
    assert!(text.contains("breaking"), "{text}");
    let (code, text) = command(dir, &["diff-spec", "v1.yaml", "v1.yaml"]);
    assert_eq!(code, 0, "{text}");

    let update = [
        "update-spec",
        "--from",
        "v2.yaml",
        "--spec",
        "openapi.yaml",
        "--out",
        "client",
    ];
    let (code, text) = command(dir, &update);
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        std::fs::read(dir.join("openapi.yaml")).expect("spec"),
        std::fs::read(fixture("v2")).expect("fixture")
    );
    let (code, text) = command(dir, &check);
    assert_eq!(code, 0, "regenerated from v2, under its name: {text}");

    // Usage errors and bad documents, as `cargo xtask` reports them.
    let (code, text) = command(dir, &["generate", "--out", "client"]);
    assert_eq!(code, 2, "no default document when installed: {text}");
    std::fs::write(
        dir.join("bad.yaml"),
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 42\n",
    )
    .expect("bad document");
    let (code, text) = command(dir, &["generate", "--spec", "bad.yaml", "--out", "bad"]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("bad.yaml#/paths"), "located: {text}");
    assert!(!dir.join("bad").exists(), "nothing written");
    let (code, text) = command(dir, &["--help"]);
    assert_eq!(code, 0);
    assert!(
        text.contains("sunshine-codegen diff-spec OLD NEW"),
        "{text}"
    );
}

#[test]
fn a_build_script_generates_the_client_and_the_crate_compiles() {
    let scratch = Scratch::new("build-script");
    let dir = &scratch.0;
    let root = common::workspace_root();
    std::fs::copy(fixture("v2"), dir.join("openapi.yaml")).expect("copy");
    // The features and dependencies of the manifest a crate of its own
    // would have, with this checkout's runtime.
    let runtime = root
        .join("runtime")
        .display()
        .to_string()
        .replace('\\', "/");
    let config = codegen::CrateConfig {
        runtime: codegen::RuntimeSource::Path(runtime),
        ..codegen::CrateConfig::default()
    };
    let generated = codegen::generate(
        &std::fs::read(fixture("v2")).expect("fixture"),
        &codegen::Selection::default(),
        &config,
    )
    .expect("generates");
    let manifest = &generated.files["Cargo.toml"];
    let start = manifest.find("[features]").expect("features");
    let end = manifest
        .find("\n[package.metadata")
        .unwrap_or(manifest.len());
    let features_and_dependencies = &manifest[start..end];
    let generator = root
        .join("generator")
        .display()
        .to_string()
        .replace('\\', "/");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"evolution-client\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n{features_and_dependencies}\n\
             [build-dependencies]\nsunshine-codegen = {{ path = \"{generator}\", default-features = false }}\n",
        ),
    )
    .expect("manifest");
    std::fs::write(
        dir.join("build.rs"),
        "fn main() {\n    if let Err(error) = codegen::build::Generate::new(\"openapi.yaml\").write() {\n        panic!(\"{error}\");\n    }\n}\n",
    )
    .expect("build script");
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(
        dir.join("src/lib.rs"),
        "//! The Evolution API's client, generated by the build script.\n\ninclude!(concat!(env!(\"OUT_DIR\"), \"/codegen.rs\"));\n\n\
         /// The users' operations are there.\npub fn users(client: &Client) -> apis::users::Users<'_> {\n    client.users()\n}\n",
    )
    .expect("lib");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("lock file");

    let output = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet"])
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("outside-build"),
        )
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the scratch crate does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
