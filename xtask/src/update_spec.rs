//! `cargo xtask update-spec --from PATH_OR_URL`: take a new upstream
//! document, show what it changes for callers, then replace `spec/` and
//! regenerate `generated/` with the `--tag` selection recorded there.
//!
//! Everything that can fail on the new document (loading, lowering,
//! emitting) happens before anything is written, so a bad document leaves
//! both `spec/` and `generated/` as they were.

use std::path::{Path, PathBuf};

use codegen::{CrateConfig, Selection};

use crate::{changes, fetch, SPEC_ERRORS, SUCCESS, USAGE_OR_IO};

#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    pub from: String,
    pub spec: PathBuf,
    pub out: PathBuf,
    pub crate_name: String,
}

pub fn parse(args: &[String], root: &Path) -> Result<Options, String> {
    let mut options = Options {
        from: String::new(),
        spec: root.join("spec/sunshine-conversations.yaml"),
        out: root.join("generated"),
        crate_name: CrateConfig::default().name,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match arg.as_str() {
            "--from" => options.from = value("--from")?,
            "--spec" => options.spec = PathBuf::from(value("--spec")?),
            "--out" => options.out = PathBuf::from(value("--out")?),
            "--crate-name" => options.crate_name = value("--crate-name")?,
            other => return Err(format!("unknown option `{other}` for update-spec")),
        }
    }
    if options.from.is_empty() {
        return Err("update-spec needs `--from PATH_OR_URL`".to_owned());
    }
    Ok(options)
}

/// Runs the update; returns the exit code.
pub fn run(options: &Options) -> u8 {
    let tags = match changes::recorded(&options.out) {
        Some(record) => record.tags,
        None => {
            println!(
                "note: {} records no --tag selection; generating every operation",
                options.out.display()
            );
            Vec::new()
        }
    };
    let new = match fetch::read(&options.from) {
        Ok(bytes) => bytes,
        Err(message) => {
            eprintln!("error: {message}");
            return USAGE_OR_IO;
        }
    };
    let selection = Selection { tags };
    let config = CrateConfig {
        name: options.crate_name.clone(),
        runtime: crate::runtime_path::for_output(&options.out, None),
        ..CrateConfig::default()
    };
    let generated = match codegen::generate(&new, &selection, &config) {
        Ok(generated) => generated,
        Err(diagnostics) => {
            eprint!(
                "{}",
                changes::with_file(&diagnostics.to_string(), &options.from)
            );
            eprintln!(
                "error: {} cannot be generated from; {} is left as it was",
                options.from,
                options.spec.display()
            );
            return SPEC_ERRORS;
        }
    };
    report_against_current(options, &selection.tags, &generated.surface);
    if let Err(err) = replace_file(&options.spec, &new) {
        eprintln!("error: cannot write {}: {err}", options.spec.display());
        return USAGE_OR_IO;
    }
    let outcome = match codegen::write::write(&options.out, &generated.files) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!(
                "error: {err}; {} is updated, run `cargo xtask generate` to finish",
                options.spec.display()
            );
            return USAGE_OR_IO;
        }
    };
    println!(
        "{} is now {}; {} regenerated ({} files written, {} unchanged, {} removed)",
        options.spec.display(),
        codegen::source::Record::of(generated.surface.api()).describe(),
        options.out.display(),
        outcome.changed.len(),
        outcome.unchanged.len(),
        outcome.stray.len()
    );
    SUCCESS
}

/// Prints the full report from the document in `spec/` to the new one.
fn report_against_current(options: &Options, tags: &[String], new: &codegen::surface::Surface) {
    let label = options.spec.display().to_string();
    let Ok(current) = std::fs::read(&options.spec) else {
        println!("note: there is no {label} yet; no change report");
        return;
    };
    match changes::lower(&current, &label, tags) {
        Ok(old) => print!("{}", codegen::diff::diff(&old, new).to_text()),
        Err(()) => println!("note: the current {label} does not load; no change report"),
    }
}

/// Replaces `path` with `bytes` all at once: a temporary file beside it,
/// then a rename.
fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut staging = path.as_os_str().to_owned();
    staging.push(".update-spec");
    let staging = PathBuf::from(staging);
    std::fs::write(&staging, bytes)?;
    std::fs::rename(&staging, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&staging);
    })
}
