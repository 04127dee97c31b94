//! `cargo xtask bench --build`: how long the generated crates take to
//! compile on their own (debug profile, dependencies already built), from
//! clean and after touching `src/lib.rs`: the `spec/` crate, the crate of the
//! full 17.12.1 document, that crate with its test kit (`mock`) on top of
//! the default features, and with only some cargo features; and,
//! from clean, the `sunshine-runtime` crate they all depend on, which a user
//! builds once per dependency set.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use codegen::{CrateConfig, Selection};

use super::process;

/// Builds timed per measurement; the median is reported.
const RUNS: usize = 3;

struct Crate {
    label: String,
    package: &'static str,
    /// `Some`: built with `--no-default-features --features` these.
    features: Option<Vec<String>>,
    /// Built with `--features mock` on top of the default features: what a
    /// user's `cargo test` compiles with the kit in `[dev-dependencies]`.
    mock: bool,
    /// Its `src/`; `lib.rs` there is touched for the rebuild, unless the
    /// crate is the shared runtime, which users do not edit.
    src: PathBuf,
    touched: bool,
}

/// `full` is the 17.12.1 document; `features` the features of the reduced build.
pub fn run(root: &Path, spec: &Path, full: &Path, features: &[String]) -> ExitCode {
    let dir = root.join("target/bench-build");
    let mut crates = Vec::new();
    for (package, path) in [("bench-spec", spec), ("bench-full", full)] {
        if let Err(message) = generate(path, &dir.join(package), package) {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
    }
    if let Err(err) = workspace(root, &dir) {
        eprintln!("error: {}: {err}", dir.display());
        return ExitCode::from(2);
    }
    crates.push(Crate {
        label: "spec/".to_owned(),
        package: "bench-spec",
        features: None,
        mock: false,
        src: dir.join("bench-spec/src"),
        touched: true,
    });
    crates.push(Crate {
        label: "full 17.12.1".to_owned(),
        package: "bench-full",
        features: None,
        mock: false,
        src: dir.join("bench-full/src"),
        touched: true,
    });
    crates.push(Crate {
        label: "full 17.12.1, default features + mock".to_owned(),
        package: "bench-full",
        features: None,
        mock: true,
        src: dir.join("bench-full/src"),
        touched: true,
    });
    let reduced_label = format!("full 17.12.1, features {}", features.join(","));
    let missing = missing_features(&dir.join("bench-full/Cargo.toml"), features);
    if missing.is_empty() {
        crates.push(Crate {
            label: reduced_label.clone(),
            package: "bench-full",
            features: Some(features.to_vec()),
            mock: false,
            src: dir.join("bench-full/src"),
            touched: true,
        });
    }
    crates.push(Crate {
        label: "sunshine-runtime (shared, built once)".to_owned(),
        package: "sunshine-runtime",
        features: None,
        mock: false,
        src: root.join("runtime/client/src"),
        touched: false,
    });
    let cargo = |args: &[&str], krate: &Crate| -> Result<Duration, String> {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .args(args)
            .args(["-p", krate.package, "--quiet"])
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", dir.join("target"))
            .stdout(Stdio::null());
        // `cargo clean` takes no feature flags: it removes every build of the package.
        if let (Some(features), false) = (&krate.features, args == ["clean"]) {
            command.args(["--no-default-features", "--features", &features.join(",")]);
        }
        if krate.mock && args != ["clean"] {
            command.args(["--features", "mock"]);
        }
        process::run(command)
    };
    println!(
        "\n{:<50} {:>9} {:>12} {:>12}",
        "crate alone (debug)", "rs lines", "clean s", "touch s"
    );
    for krate in &crates {
        // The first build compiles the dependencies for this feature set; it is not timed.
        if let Err(message) = cargo(&["build"], krate) {
            eprintln!("error: {message}");
            return ExitCode::from(1);
        }
        let mut clean = Vec::new();
        let mut touch = Vec::new();
        for _ in 0..RUNS {
            let mut timed = cargo(&["clean"], krate)
                .and_then(|_| cargo(&["build"], krate))
                .map(|time| clean.push(time));
            if krate.touched {
                timed = timed
                    .and_then(|()| touch_lib(&krate.src))
                    .and_then(|()| cargo(&["build"], krate))
                    .map(|time| touch.push(time));
            }
            if let Err(message) = timed {
                eprintln!("error: {message}");
                return ExitCode::from(1);
            }
        }
        let touch = match touch.is_empty() {
            true => "n/a".to_owned(),
            false => format!("{:.1}", median(&mut touch).as_secs_f64()),
        };
        println!(
            "{:<50} {:>9} {:>12.1} {:>12}",
            krate.label,
            rust_lines(&krate.src),
            median(&mut clean).as_secs_f64(),
            touch
        );
    }
    if !missing.is_empty() {
        println!(
            "{reduced_label:<50} {:>9} {:>12} {:>12}   (the generated crate has no feature {})",
            "n/a",
            "n/a",
            "n/a",
            missing.join(", ")
        );
    }
    ExitCode::SUCCESS
}

fn generate(spec: &Path, out: &Path, name: &str) -> Result<(), String> {
    let bytes = std::fs::read(spec).map_err(|err| format!("{}: {err}", spec.display()))?;
    let config = CrateConfig {
        name: name.to_owned(),
        runtime: codegen::cli::runtime_path::for_output(
            out,
            None,
            Some(&crate::workspace_root().join("runtime")),
        ),
        ..CrateConfig::default()
    };
    let generated = codegen::generate(&bytes, &Selection::default(), &config)
        .map_err(|diagnostics| format!("{} does not generate:\n{diagnostics}", spec.display()))?;
    codegen::write::write(out, &generated.files)
        .map(|_| ())
        .map_err(|err| err.to_string())
}

/// A workspace of the two crates, pinned to the project's lock file.
fn workspace(root: &Path, dir: &Path) -> std::io::Result<()> {
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"bench-spec\", \"bench-full\"]\n",
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).map(|_| ())
}

/// The features of `wanted` that the manifest's `[features]` table lacks.
fn missing_features(manifest: &Path, wanted: &[String]) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap_or_default();
    let declared: Vec<&str> = text
        .lines()
        .skip_while(|line| line.trim() != "[features]")
        .skip(1)
        .take_while(|line| !line.trim_start().starts_with('['))
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.trim()))
        .collect();
    wanted
        .iter()
        .filter(|feature| !declared.contains(&feature.as_str()))
        .cloned()
        .collect()
}

/// Rewrites `lib.rs` in `src` with its own contents: a new modification time.
fn touch_lib(src: &Path) -> Result<(), String> {
    let lib = src.join("lib.rs");
    std::fs::read(&lib)
        .and_then(|bytes| std::fs::write(&lib, bytes))
        .map_err(|err| format!("{}: {err}", lib.display()))
}

fn rust_lines(dir: &Path) -> usize {
    let mut lines = 0;
    let mut stack: Vec<PathBuf> = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                lines += std::fs::read_to_string(&path).map_or(0, |t| t.lines().count());
            }
        }
    }
    lines
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[cfg(test)]
mod tests {
    use super::missing_features;

    #[test]
    fn features_missing_from_the_manifest_are_named() {
        let dir = std::env::temp_dir().join(format!("xtask-features-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch");
        let manifest = dir.join("Cargo.toml");
        std::fs::write(
            &manifest,
            "[package]\nname = \"x\"\n\n[features]\ndefault = [\"tracing\"]\n# Spans.\ntracing = [\"dep:tracing\"]\n\n[dependencies]\nserde = \"1\"\n",
        )
        .expect("manifest");
        let wanted = [
            "switchboard-actions".to_owned(),
            "tracing".to_owned(),
            "serde".to_owned(),
        ];
        assert_eq!(
            missing_features(&manifest, &wanted),
            ["switchboard-actions", "serde"]
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
