//! `cargo xtask bench`: how long generation takes and how big its output is,
//! and optionally how long the generated full-API crate takes to compile.
//! Figures for issue notes come from here, never from pass/fail tests.

use std::path::Path;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use codegen::{CrateConfig, Selection};

pub fn run(args: &[String], root: &Path) -> ExitCode {
    let mut runs = 10usize;
    let mut build = false;
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
            other => {
                eprintln!("error: unknown option `{other}` for bench");
                return ExitCode::from(2);
            }
        }
    }
    let mut specs = vec![(
        "spec/".to_owned(),
        root.join("spec/sunshine-conversations.yaml"),
    )];
    let shared = root.join("../shared/specs/sunshine-conversations");
    for version in ["9.1.0", "15.4.0", "17.12.1"] {
        let path = shared.join(format!("openapi-{version}.yaml"));
        if path.is_file() {
            specs.push((format!("upstream {version}"), path));
        } else {
            eprintln!(
                "note: {} is absent; upstream {version} is not measured",
                path.display()
            );
        }
    }
    println!(
        "{:<18} {:>10} {:>10} {:>6} {:>6} {:>9} {:>9}",
        "spec", "median ms", "min ms", "ops", "types", "examples", "rs lines"
    );
    for (name, path) in &specs {
        let Ok(bytes) = std::fs::read(path) else {
            eprintln!("error: cannot read {}", path.display());
            return ExitCode::from(2);
        };
        let mut times = Vec::with_capacity(runs);
        let mut last = None;
        for _ in 0..runs {
            let started = Instant::now();
            let generated =
                codegen::generate(&bytes, &Selection::default(), &CrateConfig::default());
            times.push(started.elapsed());
            last = Some(generated);
        }
        let Some(Ok(generated)) = last else {
            eprintln!("error: {name} does not generate");
            return ExitCode::from(1);
        };
        times.sort();
        let lines: usize = generated
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".rs"))
            .map(|(_, text)| text.lines().count())
            .sum();
        println!(
            "{:<18} {:>10.1} {:>10.1} {:>6} {:>6} {:>9} {:>9}",
            name,
            ms(times[times.len() / 2]),
            ms(times[0]),
            generated.api.operations().count(),
            generated.api.types.len(),
            generated.api.examples.len(),
            lines
        );
    }
    if build {
        let Some((_, path)) = specs.iter().find(|(name, _)| name == "upstream 17.12.1") else {
            eprintln!("error: --build needs the 17.12.1 spec in ../shared");
            return ExitCode::from(2);
        };
        return build_time(path, root);
    }
    ExitCode::SUCCESS
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Generates the full 17.12.1 crate, builds it once to warm the dependencies,
/// then times a rebuild of the crate alone (debug build and `cargo check`).
fn build_time(spec: &Path, root: &Path) -> ExitCode {
    let dir = root.join("target/bench-build");
    let crate_dir = dir.join("sunshine-full");
    let Ok(bytes) = std::fs::read(spec) else {
        return ExitCode::from(2);
    };
    let config = CrateConfig {
        name: "sunshine-full".to_owned(),
        ..CrateConfig::default()
    };
    let Ok(generated) = codegen::generate(&bytes, &Selection::default(), &config) else {
        return ExitCode::from(1);
    };
    if let Err(err) = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::write(
            dir.join("Cargo.toml"),
            "[workspace]\nresolver = \"2\"\nmembers = [\"sunshine-full\"]\n",
        )?;
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map(|_| ())
    }) {
        eprintln!("error: {}: {err}", dir.display());
        return ExitCode::from(2);
    }
    if let Err(err) = codegen::write::write(&crate_dir, &generated.files) {
        eprintln!("error: {err}");
        return ExitCode::from(2);
    }
    let cargo = |args: &[&str]| -> Option<Duration> {
        let started = Instant::now();
        let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(args)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .status()
            .ok()?;
        status.success().then(|| started.elapsed())
    };
    let touch =
        || std::fs::write(crate_dir.join("src/lib.rs"), &generated.files["src/lib.rs"]).is_ok();
    let steps: [(&str, &[&str]); 2] = [
        ("debug build", &["build", "--quiet"]),
        ("check", &["check", "--quiet"]),
    ];
    for (name, args) in steps {
        // The first run builds the dependencies for this profile; it is not timed.
        if cargo(args).is_none() {
            eprintln!("error: the generated crate fails `cargo {name}`");
            return ExitCode::from(1);
        }
        let mut times = Vec::new();
        for _ in 0..3 {
            if !touch() {
                return ExitCode::from(2);
            }
            match cargo(args) {
                Some(time) => times.push(time),
                None => return ExitCode::from(1),
            }
        }
        times.sort();
        println!(
            "full 17.12.1 crate, {name} of the crate alone: median {:.1} s",
            times[1].as_secs_f64()
        );
    }
    ExitCode::SUCCESS
}
