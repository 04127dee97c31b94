//! diff-spec and cargo-semver-checks, the ecosystem's judge, give the same
//! verdict (breaking or not) on the same pair of documents: the published
//! versions, and fixture pairs that each make one change to
//! `fixtures/semver/base.yaml`.
//!
//! Both crates of a pair are generated under one name at version 1.0.0, and
//! `cargo semver-checks check-release --release-type minor` says whether the
//! second is a minor release of the first. The test runs where
//! `cargo semver-checks` is installed (`cargo install cargo-semver-checks`)
//! and says it skips where it is not.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{CrateConfig, RuntimeSource, Selection};
use serde_yaml::{Mapping, Value};

/// A pair of documents and what the test expects both judges to say.
struct Pair {
    name: String,
    old: Vec<u8>,
    new: Vec<u8>,
    /// For fixture pairs: whether the change breaks callers. Published
    /// pairs have only the judges' agreement to go by.
    breaking: Option<bool>,
}

fn semver_checks_version() -> Option<String> {
    let output = Command::new(env!("CARGO"))
        .args(["semver-checks", "--version"])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

fn base() -> Value {
    let path = common::workspace_root().join("generator/tests/fixtures/semver/base.yaml");
    let text = std::fs::read_to_string(&path).expect("the semver fixture");
    serde_yaml::from_str(&text).expect("YAML")
}

fn yaml(value: &Value) -> Vec<u8> {
    serde_yaml::to_string(value).expect("YAML").into_bytes()
}

fn schema<'a>(document: &'a mut Value, name: &str) -> &'a mut Mapping {
    document["components"]["schemas"][name]
        .as_mapping_mut()
        .expect("a schema")
}

fn add_property(document: &mut Value, schema_name: &str, property: &str) {
    let properties = schema(document, schema_name)
        .get_mut("properties")
        .and_then(Value::as_mapping_mut)
        .expect("properties");
    let mut string = Mapping::new();
    string.insert("type".into(), "string".into());
    properties.insert(property.into(), Value::Mapping(string));
}

fn yaml_value(text: &str) -> Value {
    serde_yaml::from_str(text).expect("YAML")
}

fn servers(document: &mut Value) -> &mut Vec<Value> {
    document["servers"].as_sequence_mut().expect("servers")
}

/// The fixture pairs: one change each.
fn fixture_pairs() -> Vec<Pair> {
    let old = base();
    let changed = |name: &str, breaking: bool, change: &dyn Fn(&mut Value)| {
        let mut new = old.clone();
        change(&mut new);
        Pair {
            name: name.to_owned(),
            old: yaml(&old),
            new: yaml(&new),
            breaking: Some(breaking),
        }
    };
    vec![
        changed("optional field added to a request type", false, &|doc| {
            add_property(doc, "ThingUpdate", "color")
        }),
        changed("optional field added to a response type", false, &|doc| {
            add_property(doc, "Thing", "createdAt")
        }),
        changed("enum value added", false, &|doc| {
            let values = schema(doc, "Kind")
                .get_mut("enum")
                .and_then(Value::as_sequence_mut)
                .expect("enum values");
            values.push("medium".into());
        }),
        changed("operation added", false, &|doc| {
            let item = doc["paths"]["/things/{thingId}"]
                .as_mapping_mut()
                .expect("a path item");
            let delete: Value = serde_yaml::from_str(
                "{operationId: deleteThing, responses: {'204': {description: Gone.}}}",
            )
            .expect("YAML");
            item.insert("delete".into(), delete);
        }),
        changed("required field made optional", true, &|doc| {
            schema(doc, "ThingUpdate").insert("required".into(), Value::Sequence(Vec::new()));
        }),
        // `ListThingsParams::new(filter)` is unchanged (upstream 17.12.0's `brandId`).
        changed(
            "optional query parameter added beside a required one",
            false,
            &|doc| {
                let parameters = doc["paths"]["/things"]["get"]["parameters"]
                    .as_sequence_mut()
                    .expect("parameters");
                parameters.push(yaml_value(
                    "{name: brandId, in: query, schema: {type: string}}",
                ));
            },
        ),
        // Variants are in name order: the same servers in another order are
        // the same `Server` (upstream 17.0.1).
        changed("servers reordered", false, &|doc| {
            servers(doc).swap(1, 2);
        }),
        // `server as isize` compiles while every variant is a unit (upstream 16.0.1).
        changed(
            "server with variables added beside plain ones",
            true,
            &|doc| {
                servers(doc).push(yaml_value(
                "{url: 'https://{tenant}.example.com', description: Tenant, variables: {tenant: {default: acme}}}",
            ));
            },
        ),
        // `Server::Africa` sorts first: every other variant's discriminant moves.
        changed("plain server added before the others", true, &|doc| {
            servers(doc).push(yaml_value(
                "{url: 'https://api.af.example.com', description: Africa}",
            ));
        }),
    ]
}

/// The published versions, in order, as consecutive pairs.
fn published_pairs() -> Vec<Pair> {
    let specs = common::upstream_specs().unwrap_or_default();
    specs
        .windows(2)
        .map(|pair| Pair {
            name: format!("{} → {}", pair[0].0, pair[1].0),
            old: std::fs::read(&pair[0].1).expect("spec"),
            new: std::fs::read(&pair[1].1).expect("spec"),
            breaking: None,
        })
        .collect()
}

/// Generates `spec` as crate `semver-probe` 1.0.0 into `dir`, its own workspace.
fn write_crate(spec: &[u8], dir: &Path) -> codegen::surface::Surface {
    let runtime = common::workspace_root().join("runtime");
    let config = CrateConfig {
        name: "semver-probe".to_owned(),
        version: "1.0.0".to_owned(),
        runtime: RuntimeSource::Path(runtime.display().to_string()),
        ..CrateConfig::default()
    };
    let mut generated =
        codegen::generate(spec, &Selection::default(), &config).unwrap_or_else(|diagnostics| {
            panic!("{} does not generate:\n{diagnostics}", dir.display())
        });
    // Each crate is a workspace of its own: the two of a pair share a name.
    if let Some(manifest) = generated.files.get_mut("Cargo.toml") {
        manifest.push_str("\n[workspace]\n");
    }
    codegen::write::write(dir, &generated.files).expect("crate written");
    std::fs::copy(
        common::workspace_root().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .expect("lock file");
    generated.surface
}

/// cargo-semver-checks' verdict: `true` when the new crate is not a minor
/// release of the old one; with what it printed.
fn semver_checks_breaking(old: &Path, new: &Path, target: &Path) -> (bool, String) {
    let output = Command::new(env!("CARGO"))
        .args(["semver-checks", "check-release", "--release-type", "minor"])
        .arg("--manifest-path")
        .arg(new.join("Cargo.toml"))
        .arg("--baseline-root")
        .arg(old)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo semver-checks runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        (false, text)
    } else if text.contains("semver requires new major version") {
        (true, text)
    } else {
        panic!(
            "cargo semver-checks did not judge ({}):\n{text}",
            output.status
        )
    }
}

/// diff-spec's verdict on each fixture pair is the one the pair expects
/// (cargo-semver-checks agrees with it in the test below, where it is
/// installed); a reorder of the servers is no change at all.
#[test]
fn diff_spec_judges_each_fixture_pair_as_expected() {
    let decide = |bytes: &[u8]| {
        codegen::decide_document(bytes, &Selection::default())
            .unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
            .surface
    };
    for pair in fixture_pairs() {
        let report = codegen::diff::diff(&decide(&pair.old), &decide(&pair.new));
        assert_eq!(
            Some(report.is_breaking()),
            pair.breaking,
            "{}:\n{}",
            pair.name,
            report.to_text()
        );
        if pair.name == "servers reordered" {
            assert!(report.changes.is_empty(), "{}", report.to_text());
        }
    }
}

#[test]
fn diff_spec_and_cargo_semver_checks_agree() {
    let Some(version) = semver_checks_version() else {
        common::skip_unless_ci(
            "`cargo semver-checks` is not installed (`cargo install cargo-semver-checks --locked`; `.ci/run` installs it), so there is no second judge to agree with",
        );
        return;
    };
    let mut pairs = fixture_pairs();
    pairs.extend(published_pairs());
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("semver");
    let target = dir.join("target");
    let mut table = vec![
        format!("{version}"),
        "| pair | diff-spec | cargo-semver-checks |".to_owned(),
    ];
    let mut disagreements = Vec::new();
    for (index, pair) in pairs.iter().enumerate() {
        let (old_dir, new_dir) = (
            dir.join(format!("{index}/old")),
            dir.join(format!("{index}/new")),
        );
        let old = write_crate(&pair.old, &old_dir);
        let new = write_crate(&pair.new, &new_dir);
        let report = codegen::diff::diff(&old, &new);
        let diff_spec = report.is_breaking();
        let (judge, output) = semver_checks_breaking(&old_dir, &new_dir, &target);
        let word = |breaking: bool| if breaking { "breaking" } else { "compatible" };
        table.push(format!(
            "| {} | {} | {} |",
            pair.name,
            word(diff_spec),
            word(judge)
        ));
        // cargo-semver-checks has no lint for a method's return type; diff-spec
        // is stricter there on purpose (see the README).
        let stricter_on_results = diff_spec
            && !judge
            && report.breaking().all(|change| {
                matches!(
                    change.kind,
                    codegen::diff::ChangeKind::ReturnTypeChanged { .. }
                )
            });
        if stricter_on_results {
            table.push(format!(
                "|   ({}: only return types change, which cargo-semver-checks does not check) | | |",
                pair.name
            ));
        } else if diff_spec != judge {
            disagreements.push(format!(
                "{}: diff-spec says {}, cargo-semver-checks {}\n--- diff-spec\n{}\n--- cargo-semver-checks\n{output}",
                pair.name,
                word(diff_spec),
                word(judge),
                report.to_text()
            ));
        }
    }
    println!("{}", table.join("\n"));
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n\n"));
}
