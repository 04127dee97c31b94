//! No input makes the generator panic, and its output does not depend on the
//! process it runs in.
//!
//! - `fuzz_regressions`: small inputs kept from fuzzing (`fuzz/`, see its
//!   README) in `fixtures/fuzz/`, each of which once found a weak spot or
//!   reaches an unusual path;
//! - `mutated_published_spec`: random deletions and type changes anywhere in
//!   the published 17.12.1 document;
//! - `generation_is_deterministic_across_processes`: two processes, one
//!   document, byte-identical crates.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use codegen::diagnostics::Diagnostics;
use codegen::{generate, CrateConfig, Generated, Selection};
use proptest::prelude::*;
use serde_json::Value;

fn run(bytes: &[u8]) -> Result<Generated, Diagnostics> {
    generate(bytes, &Selection::default(), &CrateConfig::default())
}

/// A clean outcome: files on success; located, non-empty errors on failure.
fn check_outcome(what: &str, outcome: &Result<Generated, Diagnostics>) -> Result<(), String> {
    match outcome {
        Ok(generated) if generated.files.is_empty() => {
            Err(format!("{what}: success without files"))
        }
        Ok(_) => Ok(()),
        Err(diagnostics) if !diagnostics.has_errors() => {
            Err(format!("{what}: failure without an error:\n{diagnostics}"))
        }
        Err(diagnostics) => {
            for diagnostic in diagnostics.sorted() {
                if !diagnostic.pointer.starts_with('#') || diagnostic.message.trim().is_empty() {
                    return Err(format!("{what}: malformed diagnostic {diagnostic:?}"));
                }
            }
            Ok(())
        }
    }
}

#[test]
fn fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixtures/fuzz exists")
        .map(|entry| entry.expect("readable directory").path())
        .filter(|path| path.file_name().is_some_and(|name| name != "README.md"))
        .collect();
    inputs.sort();
    assert!(
        inputs.len() >= 5,
        "the fuzz regression inputs are in {}",
        dir.display()
    );
    for path in inputs {
        let bytes = std::fs::read(&path).expect("readable input");
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let started = Instant::now();
        let outcome = run(&bytes);
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(10), "{name} took {elapsed:?}");
        check_outcome(&name, &outcome).unwrap_or_else(|problem| panic!("{problem}"));
        // Each input documents what it is expected to give in its first line.
        let text = String::from_utf8_lossy(&bytes);
        if let Some(expected) = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("# expect: "))
        {
            let actual = match &outcome {
                Ok(_) => "ok".to_owned(),
                Err(diagnostics) => diagnostics.sorted()[0].message.clone(),
            };
            assert!(
                actual.starts_with(expected.trim()),
                "{name}: expected `{expected}`, got `{actual}`"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Random mutations of the published spec.
// ---------------------------------------------------------------------------

/// The published 17.12.1 spec as JSON, and the pointer of every node in it.
fn published() -> Option<&'static (Value, Vec<String>)> {
    static DOCUMENT: OnceLock<Option<(Value, Vec<String>)>> = OnceLock::new();
    DOCUMENT
        .get_or_init(|| {
            let specs = common::upstream_specs()?;
            let (_, path) = specs.iter().find(|(version, _)| *version == "17.12.1")?;
            let text = std::fs::read_to_string(path).expect("spec readable");
            let value: Value = serde_yaml::from_str(&text).expect("the published spec is YAML");
            let mut pointers = Vec::new();
            collect_pointers(&value, String::new(), &mut pointers);
            Some((value, pointers))
        })
        .as_ref()
}

fn collect_pointers(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                collect_pointers(
                    item,
                    format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                collect_pointers(item, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(pointer);
}

#[derive(Debug, Clone, Copy)]
enum Mutation {
    Delete,
    Number,
    String,
    Array,
    Null,
    Mapping,
    Bool,
}

/// Applies `mutation` at the node `pointer` (the root is replaced, never deleted).
fn mutate(document: &mut Value, pointer: &str, mutation: Mutation) {
    let replacement = match mutation {
        Mutation::Delete => {
            if let Some((parent, last)) = pointer.rsplit_once('/') {
                let key = last.replace("~1", "/").replace("~0", "~");
                match document.pointer_mut(parent) {
                    Some(Value::Object(map)) => {
                        map.shift_remove(&key);
                    }
                    Some(Value::Array(items)) => {
                        if let Ok(index) = key.parse::<usize>() {
                            if index < items.len() {
                                items.remove(index);
                            }
                        }
                    }
                    _ => {}
                }
            }
            return;
        }
        Mutation::Number => Value::from(42),
        Mutation::String => Value::from("#/components/schemas/nothing"),
        Mutation::Array => serde_json::json!([1, "two", null]),
        Mutation::Null => Value::Null,
        Mutation::Mapping => serde_json::json!({"type": "object", "$ref": 7}),
        Mutation::Bool => Value::Bool(true),
    };
    if let Some(node) = document.pointer_mut(pointer) {
        // A value of another type than the one there.
        let same_type = std::mem::discriminant(node) == std::mem::discriminant(&replacement);
        *node = if same_type {
            serde_json::json!({"unexpected": [null]})
        } else {
            replacement
        };
    }
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Delete),
        Just(Mutation::Number),
        Just(Mutation::String),
        Just(Mutation::Array),
        Just(Mutation::Null),
        Just(Mutation::Mapping),
        Just(Mutation::Bool),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 48,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// One to three random mutations of the published spec: the generator
    /// returns a clean `Result`, and every error is located and says something.
    #[test]
    fn mutated_published_spec(mutations in prop::collection::vec((any::<prop::sample::Index>(), mutation()), 1..=3)) {
        let Some((document, pointers)) = published() else { return Ok(()) };
        let mut document = document.clone();
        let mut applied = Vec::new();
        for (index, mutation) in mutations {
            let pointer = index.get(pointers);
            mutate(&mut document, pointer, mutation);
            applied.push(format!("{mutation:?} at #{pointer}"));
        }
        let yaml = serde_yaml::to_string(&document).expect("serializable");
        let outcome = run(yaml.as_bytes());
        check_outcome(&applied.join(", "), &outcome).map_err(TestCaseError::fail)?;
    }
}

// ---------------------------------------------------------------------------
// Determinism.
// ---------------------------------------------------------------------------

const OUT_VAR: &str = "CODEGEN_DETERMINISM_OUT";

/// The child half of `generation_is_deterministic_across_processes`: generates
/// the published spec into the directory named by `CODEGEN_DETERMINISM_OUT`.
#[test]
#[ignore = "run in child processes by generation_is_deterministic_across_processes"]
fn determinism_child() {
    let Some(out) = std::env::var_os(OUT_VAR) else {
        eprintln!("{OUT_VAR} is not set; this test only runs as a child of another");
        return;
    };
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    let (_, path) = specs
        .iter()
        .find(|(version, _)| *version == "17.12.1")
        .expect("listed");
    let generated = run(&std::fs::read(path).expect("readable")).unwrap_or_else(|d| panic!("{d}"));
    codegen::write::write(Path::new(&out), &generated.files).expect("written");
}

fn read_tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_owned()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable directory") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(root).expect("inside root").to_owned();
                files.insert(relative, std::fs::read(&path).expect("readable file"));
            }
        }
    }
    files
}

#[test]
fn generation_is_deterministic_across_processes() {
    if common::upstream_specs().is_none() {
        return;
    }
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("determinism");
    let runs: Vec<PathBuf> = (1..=2).map(|n| scratch.join(format!("run{n}"))).collect();
    // The child test's name as libtest knows it: its module path, less the crate.
    let child = match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::determinism_child"),
        None => "determinism_child".to_owned(),
    };
    for out in &runs {
        let _ = std::fs::remove_dir_all(out);
        let output = Command::new(std::env::current_exe().expect("test binary"))
            .args([child.as_str(), "--exact", "--ignored", "--nocapture"])
            .env(OUT_VAR, out)
            .output()
            .expect("the test binary runs");
        assert!(
            output.status.success(),
            "child process failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let first = read_tree(&runs[0]);
    let second = read_tree(&runs[1]);
    assert!(
        first.len() > 10,
        "the child generated the crate into {}",
        runs[0].display()
    );
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>(),
        "both runs write the same files"
    );
    for (path, bytes) in &first {
        assert!(
            bytes == &second[path],
            "{} differs between two runs",
            path.display()
        );
    }
}
