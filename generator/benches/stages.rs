//! Time of each pipeline stage (`cargo bench -p sunshine-codegen --bench stages`),
//! on `spec/` and on the full published 17.12.1 document, beside the bare YAML
//! parse that every other stage is compared with.
//!
//! Each stage runs on the output of the one before, prepared outside the
//! timed part. `locate` places the run's warnings (or, for a document without
//! any, a pointer to each component schema) after reading the text once, as
//! the pipeline does.

use std::path::{Path, PathBuf};

use codegen::diagnostics::Diagnostics;
use codegen::{emit, format, load, locate, lower, surface, CrateConfig, Selection};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// `spec/`, and 17.12.1 when `../shared` has it.
fn documents() -> Vec<(&'static str, String)> {
    let root = workspace_root();
    let mut documents = Vec::new();
    match std::fs::read_to_string(root.join("spec/sunshine-conversations.yaml")) {
        Ok(text) => documents.push(("spec", text)),
        Err(err) => eprintln!("skipping spec/: cannot read it: {err}"),
    }
    let upstream = root.join("../shared/specs/sunshine-conversations/openapi-17.12.1.yaml");
    match std::fs::read_to_string(&upstream) {
        Ok(text) => documents.push(("17.12.1", text)),
        Err(err) => eprintln!(
            "skipping 17.12.1: {} cannot be read ({err}); it lives in the shared folder beside the checkout",
            upstream.display()
        ),
    }
    documents
}

fn stages(c: &mut Criterion) {
    for (name, text) in documents() {
        let bytes = text.as_bytes();
        let selection = Selection::default();
        let mut diagnostics = Diagnostics::default();
        let Ok(document) = load::load(bytes, &mut diagnostics) else {
            eprintln!("skipping {name}: it does not load:\n{diagnostics}");
            continue;
        };
        let api = lower::lower(&document, &selection, &mut diagnostics);
        let config = CrateConfig::default().for_api(&api);
        let mut pointers: Vec<String> = diagnostics
            .sorted()
            .into_iter()
            .map(|diagnostic| diagnostic.pointer)
            .collect();
        let what_is_located = if pointers.is_empty() {
            pointers = document
                .raw
                .pointer("/components/schemas")
                .and_then(|schemas| schemas.as_object())
                .into_iter()
                .flat_map(|schemas| schemas.keys())
                .map(|key| format!("#/components/schemas/{key}"))
                .collect();
            "schemas"
        } else {
            "warnings"
        };

        let mut group = c.benchmark_group(name);
        group.bench_function("yaml parse", |b| {
            b.iter(|| serde_yaml::from_str::<serde_yaml::Value>(&text).map(|_| ()))
        });
        group.bench_function("load", |b| {
            b.iter(|| load::load(bytes, &mut Diagnostics::default()).is_ok())
        });
        group.bench_function("lower", |b| {
            b.iter(|| lower::lower(&document, &selection, &mut Diagnostics::default()))
        });
        group.bench_function("surface", |b| b.iter(|| surface::build(&api)));
        let decided = surface::build(&api);
        group.bench_function("emit", |b| b.iter(|| emit::emit(&decided, &config)));
        group.bench_function("format", |b| {
            b.iter_batched(
                || emit::emit(&decided, &config),
                format::format_files,
                BatchSize::LargeInput,
            )
        });
        group.bench_function(
            format!("locate ({} {what_is_located})", pointers.len()),
            |b| {
                b.iter(|| {
                    let outline = locate::Outline::new(&text);
                    pointers
                        .iter()
                        .filter_map(|pointer| outline.locate(pointer))
                        .count()
                })
            },
        );
        group.bench_function("whole pipeline", |b| {
            b.iter(|| codegen::generate(bytes, &selection, &CrateConfig::default()).is_ok())
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    // Short runs: these guide work on the generator, they are not a gate.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(3));
    targets = stages
}
criterion_main!(benches);
