//! `update-spec --from PATH_OR_URL`: take a new upstream document, show
//! what it changes for callers, then replace `--spec` and regenerate `--out`
//! with the `--tag` selection recorded there.
//!
//! Everything that can fail on the new document (loading, lowering,
//! emitting) happens before anything is written, so a bad document leaves
//! both `spec/` and `generated/` as they were.

use std::path::{Path, PathBuf};

use super::{changes, fetch, runtime_path, Defaults, SPEC_ERRORS, SUCCESS, USAGE_OR_IO};
use crate::{CrateConfig, Selection};

/// What `update-spec` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// The new document: a file or an `http(s)://` URL.
    pub from: String,
    /// The document it replaces.
    pub spec: PathBuf,
    /// The crate it regenerates.
    pub out: PathBuf,
    /// `None`: the name of the crate at `out`, else the default.
    pub crate_name: Option<String>,
    /// The runtime a crate that names none depends on, the repository its
    /// manifest names, and how the user runs the command.
    pub defaults: Defaults,
}

/// The options of `update-spec` (the arguments after it).
///
/// # Errors
///
/// A message for an unknown option, a missing value, or a missing
/// `--from`, `--spec` or `--out`.
pub fn parse(args: &[String], defaults: &Defaults) -> Result<Options, String> {
    let mut spec = defaults.spec.clone();
    let mut out = defaults.out.clone();
    let mut options = Options {
        from: String::new(),
        spec: PathBuf::new(),
        out: PathBuf::new(),
        crate_name: None,
        defaults: defaults.clone(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| super::option_value(&mut args, name);
        match arg.as_str() {
            "--from" => options.from = value("--from")?,
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--crate-name" => {
                options.crate_name = Some(super::package_name(value("--crate-name")?)?)
            }
            other => return Err(format!("unknown option `{other}` for update-spec")),
        }
    }
    if options.from.is_empty() {
        return Err("update-spec needs `--from PATH_OR_URL`".to_owned());
    }
    options.spec = spec.ok_or("update-spec needs `--spec PATH`")?;
    options.out = out.ok_or("update-spec needs `--out DIR`")?;
    Ok(options)
}

/// Runs the update; returns the process exit code.
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
    let name = options
        .crate_name
        .clone()
        .or_else(|| changes::recorded_name(&options.out))
        .unwrap_or_else(|| CrateConfig::default().name);
    let config = CrateConfig {
        name,
        runtime: runtime_path::for_output(&options.out, None, options.defaults.runtime.as_deref()),
        repository: options.defaults.repository.clone(),
        ..CrateConfig::default()
    };
    let generated = match crate::generate(&new, &selection, &config) {
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
    let outcome = match crate::write::write(&options.out, &generated.files) {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!(
                "error: {err}; {} is updated, run `{} generate` to finish",
                options.spec.display(),
                options.defaults.program
            );
            return USAGE_OR_IO;
        }
    };
    println!(
        "{} is now {}; {} regenerated ({} files written, {} unchanged, {} removed)",
        options.spec.display(),
        crate::source::Record::of(generated.surface.api()).describe(),
        options.out.display(),
        outcome.changed.len(),
        outcome.unchanged.len(),
        outcome.stray.len()
    );
    SUCCESS
}

/// Prints the full report from the document in `spec/` to the new one.
fn report_against_current(options: &Options, tags: &[String], new: &crate::surface::Surface) {
    let label = options.spec.display().to_string();
    let Ok(current) = std::fs::read(&options.spec) else {
        println!("note: there is no {label} yet; no change report");
        return;
    };
    match changes::lower(&current, &label, tags) {
        Ok(old) => print!("{}", crate::diff::diff(&old, new).to_text()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_name_cargo_would_refuse_is_a_usage_error() {
        let args: Vec<String> = [
            "--from",
            "v2.yaml",
            "--spec",
            "s.yaml",
            "--out",
            "o",
            "--crate-name",
            "9lives",
        ]
        .map(String::from)
        .to_vec();
        let error = parse(&args, &Defaults::installed()).expect_err("refused");
        assert!(
            error.contains("`9lives` is not a valid crate name"),
            "{error}"
        );
    }
}
