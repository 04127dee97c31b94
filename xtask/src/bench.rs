//! `cargo xtask bench`: how long generation takes, how it grows with the size
//! of the document, what the whole `xtask generate` process costs in time and
//! memory, and (`--build`) how long the generated crates take to compile.
//! Figures for BENCHMARKS.md come from here and from the criterion benches,
//! never from pass/fail tests.

mod build;
mod process;
mod synthetic;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use codegen::{CrateConfig, Selection};

/// The features of the reduced build of the full crate, unless `--features` says.
const DEFAULT_FEATURES: &str = "switchboard-actions,tracing";

/// Copies of 17.12.1 in the synthetic documents that show how time grows.
const MULTIPLES: [usize; 3] = [1, 2, 4];

pub fn run(args: &[String], root: &Path) -> ExitCode {
    if args.first().map(String::as_str) == Some(process::CHILD) {
        return process::child(&args[1..]);
    }
    let mut runs = 10usize;
    let mut build = false;
    let mut features: Vec<String> = DEFAULT_FEATURES.split(',').map(str::to_owned).collect();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => match args.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0) {
                Some(n) => runs = n,
                None => {
                    eprintln!("error: `--runs` needs a positive number");
                    return ExitCode::from(2);
                }
            },
            "--build" => build = true,
            "--features" => match args.next().filter(|list| !list.trim().is_empty()) {
                Some(list) => features = list.split(',').map(|f| f.trim().to_owned()).collect(),
                None => {
                    eprintln!("error: `--features` needs a comma-separated list");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("error: unknown option `{other}` for bench");
                return ExitCode::from(2);
            }
        }
    }
    let mut documents: Vec<(String, Vec<u8>)> = Vec::new();
    let spec = root.join("spec/sunshine-conversations.yaml");
    match std::fs::read(&spec) {
        Ok(bytes) => documents.push(("spec/".to_owned(), bytes)),
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", spec.display());
            return ExitCode::from(2);
        }
    }
    let shared = root.join("../shared/specs/sunshine-conversations");
    let full = shared.join("openapi-17.12.1.yaml");
    for version in ["9.1.0", "15.4.0", "17.12.1"] {
        let path = shared.join(format!("openapi-{version}.yaml"));
        match std::fs::read(&path) {
            Ok(bytes) => documents.push((format!("upstream {version}"), bytes)),
            Err(_) => eprintln!(
                "note: {} is absent; upstream {version} is not measured",
                path.display()
            ),
        }
    }
    if let Some((_, bytes)) = documents
        .iter()
        .find(|(name, _)| name == "upstream 17.12.1")
    {
        let text = String::from_utf8_lossy(bytes).into_owned();
        for copies in MULTIPLES {
            match synthetic::multiply(&text, copies) {
                Some(multiplied) => documents.push((
                    format!("17.12.1 x{copies} (synth.)"),
                    multiplied.into_bytes(),
                )),
                None => eprintln!("note: 17.12.1 could not be multiplied"),
            }
        }
    }

    if let Err(code) = in_process(&documents, runs) {
        return code;
    }
    if let Err(code) = whole_process(root, &documents, runs) {
        return code;
    }
    if build {
        if !full.is_file() {
            eprintln!("error: --build needs the 17.12.1 spec in ../shared");
            return ExitCode::from(2);
        }
        return build::run(root, &spec, &full, &features);
    }
    ExitCode::SUCCESS
}

/// `codegen::generate` in this process, `runs` times per document.
fn in_process(documents: &[(String, Vec<u8>)], runs: usize) -> Result<(), ExitCode> {
    println!("codegen::generate in this process, {runs} runs each");
    println!(
        "{:<24} {:>7} {:>10} {:>8} {:>8} {:>5} {:>6} {:>8} {:>8}",
        "document", "KiB", "median ms", "min ms", "us/KiB", "ops", "types", "warnings", "rs lines"
    );
    for (name, bytes) in documents {
        let mut times = Vec::with_capacity(runs);
        let mut last = None;
        for _ in 0..runs {
            let started = Instant::now();
            let generated =
                codegen::generate(bytes, &Selection::default(), &CrateConfig::default());
            times.push(started.elapsed());
            last = Some(generated);
        }
        let Some(Ok(generated)) = last else {
            eprintln!("error: {name} does not generate");
            return Err(ExitCode::from(1));
        };
        times.sort();
        let kib = bytes.len() as f64 / 1024.0;
        let median = times[times.len() / 2];
        let lines: usize = generated
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".rs"))
            .map(|(_, text)| text.lines().count())
            .sum();
        println!(
            "{:<24} {:>7.0} {:>10.1} {:>8.1} {:>8.1} {:>5} {:>6} {:>8} {:>8}",
            name,
            kib,
            ms(median),
            ms(times[0]),
            median.as_secs_f64() * 1e6 / kib,
            generated.surface.api().operations().count(),
            generated.surface.api().types.len(),
            generated.diagnostics.warnings().count(),
            lines
        );
    }
    Ok(())
}

/// `xtask generate` as a child process: wall time and peak memory.
fn whole_process(
    root: &Path,
    documents: &[(String, Vec<u8>)],
    runs: usize,
) -> Result<(), ExitCode> {
    let dir = root.join("target/bench-process");
    if let Err(err) = std::fs::create_dir_all(&dir) {
        eprintln!("error: {}: {err}", dir.display());
        return Err(ExitCode::from(2));
    }
    println!("\nthe whole `xtask generate` process (this executable), {runs} runs each");
    println!(
        "{:<24} {:>10} {:>8} {:>10}",
        "document", "median ms", "min ms", "peak MiB"
    );
    let wanted = ["spec/", "upstream 17.12.1", "17.12.1 x4 (synth.)"];
    for (name, bytes) in documents
        .iter()
        .filter(|(name, _)| wanted.contains(&name.as_str()))
    {
        let spec: PathBuf = dir.join("document.yaml");
        let out = dir.join("out");
        if let Err(err) = std::fs::write(&spec, bytes) {
            eprintln!("error: {}: {err}", spec.display());
            return Err(ExitCode::from(2));
        }
        // The first run writes the output; the timed ones find it up to date, as reruns do.
        let mut times = Vec::with_capacity(runs);
        let mut peak: Option<u64> = None;
        for run in 0..=runs {
            match process::generate(&spec, &out) {
                Ok(measured) if run > 0 => {
                    times.push(measured.wall);
                    peak = peak.max(measured.peak_kib);
                }
                Ok(_) => {}
                Err(message) => {
                    eprintln!("error: {message}");
                    return Err(ExitCode::from(1));
                }
            }
        }
        times.sort();
        println!(
            "{:<24} {:>10.1} {:>8.1} {:>10}",
            name,
            ms(times[times.len() / 2]),
            ms(times[0]),
            peak.map_or("n/a".to_owned(), |kib| format!(
                "{:.1}",
                kib as f64 / 1024.0
            ))
        );
    }
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
