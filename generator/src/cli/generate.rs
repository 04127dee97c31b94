//! `generate`: the crate from an OpenAPI document, written to `--out` (or,
//! with `--check`, compared with what is there). When it replaces a crate
//! generated from another document or selection, it prints what changed.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{changes, runtime_path, Defaults, SPEC_ERRORS, SUCCESS, USAGE_OR_IO};
use crate::source::Record;
use crate::surface::Surface;
use crate::{CrateConfig, Selection};

/// What `generate` was asked to do.
#[derive(Debug)]
pub struct Options {
    /// The document.
    pub spec: PathBuf,
    /// The crate's directory.
    pub out: PathBuf,
    /// Only the operations with these tags (all when empty).
    pub tags: Vec<String>,
    /// `None`: `sunshine-conversations` for the default document, else
    /// from `info.title`.
    pub crate_name: Option<String>,
    /// `None`: the path the crate at `out` names, else the default runtime.
    pub runtime_path: Option<PathBuf>,
    /// Compare, write nothing.
    pub check: bool,
    /// Warnings about the document fail the command too.
    pub deny_warnings: bool,
    /// Where the document and the runtime are when not given.
    pub defaults: Defaults,
}

/// The options of `generate` (the arguments after it); `None` for `--help`.
///
/// # Errors
///
/// A message for an unknown option, a missing value, or a missing
/// `--spec` or `--out` where there is no default.
pub fn parse(args: &[String], defaults: &Defaults) -> Result<Option<Options>, String> {
    let mut spec = defaults.spec.clone();
    let mut out = defaults.out.clone();
    let mut options = Options {
        spec: PathBuf::new(),
        out: PathBuf::new(),
        tags: Vec::new(),
        crate_name: None,
        runtime_path: None,
        check: false,
        deny_warnings: false,
        defaults: defaults.clone(),
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| super::option_value(&mut args, name);
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(value("--spec")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--tag" => options.tags.push(value("--tag")?),
            "--crate-name" => {
                options.crate_name = Some(super::package_name(value("--crate-name")?)?)
            }
            "--runtime-path" => {
                options.runtime_path = Some(PathBuf::from(value("--runtime-path")?))
            }
            "--check" => options.check = true,
            "--deny-warnings" => options.deny_warnings = true,
            "-h" | "--help" => return Ok(None),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    options.spec = spec.ok_or("generate needs `--spec PATH`")?;
    options.out = out.ok_or("generate needs `--out DIR`")?;
    Ok(Some(options))
}

/// Runs `generate`; returns the process exit code.
pub fn run(options: &Options) -> u8 {
    let started = Instant::now();
    let spec = match std::fs::read(&options.spec) {
        Ok(bytes) => bytes,
        Err(err) => {
            eprintln!("error: cannot read {}: {err}", options.spec.display());
            return USAGE_OR_IO;
        }
    };
    let selection = Selection {
        tags: options.tags.clone(),
    };
    // Unnamed, a crate from another document is named after its title.
    let default_spec = options.defaults.spec.as_ref() == Some(&options.spec);
    let config = CrateConfig {
        name: options
            .crate_name
            .clone()
            .unwrap_or_else(|| CrateConfig::default().name),
        name_from_title: options.crate_name.is_none() && !default_spec,
        runtime: runtime_path::for_output(
            &options.out,
            options.runtime_path.as_deref(),
            options.defaults.runtime.as_deref(),
        ),
        repository: options.defaults.repository.clone(),
        ..CrateConfig::default()
    };
    let generated = match crate::generate(&spec, &selection, &config) {
        Ok(generated) => generated,
        Err(diagnostics) => {
            eprint!("{}", with_file(&diagnostics.to_string(), &options.spec));
            eprintln!("error: {} cannot be generated from", options.spec.display());
            return SPEC_ERRORS;
        }
    };
    let warnings = generated.diagnostics.warnings().count();
    if warnings > 0 {
        eprint!(
            "{}",
            with_file(&generated.diagnostics.to_string(), &options.spec)
        );
        if options.deny_warnings {
            eprintln!("error: {warnings} warning(s) and --deny-warnings given; nothing written");
            return SPEC_ERRORS;
        }
    }
    // What the crate being checked or replaced says it came from.
    let record = changes::recorded(&options.out);
    if options.check {
        match &record {
            Some(record) => println!(
                "{} was generated from {}",
                options.out.display(),
                record.describe()
            ),
            None => println!("{} records no source document", options.out.display()),
        }
    }
    let outcome = if options.check {
        crate::write::check(&options.out, &generated.files)
    } else {
        crate::write::write(&options.out, &generated.files)
    };
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(err) => {
            eprintln!("error: {err}");
            return USAGE_OR_IO;
        }
    };
    let operations = generated.surface.api().operations().count();
    let types = generated.surface.api().types.len();
    if options.check && !outcome.is_fresh() {
        for path in &outcome.changed {
            eprintln!("stale: {}", options.out.join(path).display());
        }
        for path in &outcome.stray {
            eprintln!(
                "not generated any more: {}",
                options.out.join(path).display()
            );
        }
        if let Some(record) = record.filter(|r| r.sha256 != generated.surface.api().source.sha256) {
            eprintln!(
                "the document changed since: {} has sha256 {}, not {}",
                options.spec.display(),
                generated.surface.api().source.sha256,
                record.sha256
            );
        }
        eprintln!(
            "error: {} is out of date; run `{} generate` to update it",
            options.out.display(),
            options.defaults.program
        );
        return SPEC_ERRORS;
    }
    let verb = if options.check {
        "checked"
    } else {
        "generated"
    };
    println!(
        "{verb} {operations} operations, {types} types, {} files ({} written, {} unchanged, {} removed), {warnings} warnings, in {} ms",
        generated.files.len(),
        if options.check { 0 } else { outcome.changed.len() },
        outcome.unchanged.len(),
        if options.check { 0 } else { outcome.stray.len() },
        started.elapsed().as_millis()
    );
    if !options.check {
        if let Some(text) = replacement_report(&options.spec, &spec, record, &generated.surface) {
            print!("{text}");
        }
    }
    SUCCESS
}

/// After replacing a crate made from another document or selection: what
/// changed for callers, in short, or a note saying why that is unknown.
pub(super) fn replacement_report(
    spec: &Path,
    bytes: &[u8],
    record: Option<Record>,
    surface: &Surface,
) -> Option<String> {
    let record = record?;
    let source = &surface.api().source;
    if record.sha256 == source.sha256 && record.tags == source.tags {
        return None;
    }
    Some(match changes::since_record(spec, bytes, &record, surface) {
        Ok(report) => report.to_short(),
        Err(note) => format!("note: {note}\n"),
    })
}

/// Prefixes each `-->` location with the document's file name.
fn with_file(report: &str, spec: &Path) -> String {
    changes::with_file(report, &spec.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{checkout, workspace_root};
    use super::*;

    fn options(spec: &Path, out: &Path) -> Options {
        Options {
            spec: spec.to_owned(),
            out: out.to_owned(),
            tags: Vec::new(),
            crate_name: Some("exit-codes".to_owned()),
            runtime_path: None,
            check: false,
            deny_warnings: false,
            defaults: checkout(),
        }
    }

    #[test]
    fn exit_codes_say_what_went_wrong_and_bad_specs_write_nothing() {
        let dir = workspace_root().join("target/xtask-tests/exit-codes");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        let out = dir.join("out");
        let good = workspace_root().join("spec/sunshine-conversations.yaml");
        assert_eq!(run(&options(&good, &out)), SUCCESS);
        let lib = std::fs::read_to_string(out.join("src/lib.rs")).expect("written");

        let check = Options {
            check: true,
            ..options(&good, &out)
        };
        assert_eq!(run(&check), SUCCESS, "fresh output passes --check");
        std::fs::write(out.join("src/lib.rs"), "// edited\n").expect("edit");
        assert_eq!(run(&check), SPEC_ERRORS, "stale output fails --check");
        std::fs::write(out.join("src/lib.rs"), &lib).expect("restore");

        let bad = dir.join("bad.yaml");
        std::fs::write(
            &bad,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 42\n",
        )
        .expect("bad spec");
        assert_eq!(run(&options(&bad, &out)), SPEC_ERRORS);
        assert_eq!(
            std::fs::read_to_string(out.join("src/lib.rs")).expect("kept"),
            lib,
            "nothing written"
        );

        assert_eq!(run(&options(&dir.join("missing.yaml"), &out)), USAGE_OR_IO);

        // A warning (the undeclared server variable) fails only with --deny-warnings.
        let warns = dir.join("warns.yaml");
        std::fs::write(
            &warns,
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://{x}.test'}]\npaths: {}\n",
        )
        .expect("spec with a warning");
        let warns_out = dir.join("warns-out");
        assert_eq!(run(&options(&warns, &warns_out)), SUCCESS);
        let deny = Options {
            deny_warnings: true,
            ..options(&warns, &dir.join("denied-out"))
        };
        assert_eq!(run(&deny), SPEC_ERRORS);
        assert!(
            !dir.join("denied-out").exists(),
            "nothing written when warnings are denied"
        );
    }

    #[test]
    fn an_unnamed_crate_from_another_document_is_named_after_its_title() {
        let dir = workspace_root().join("target/xtask-tests/crate-name");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch");
        let spec = dir.join("petstore.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.0.3\ninfo: {title: Swagger Petstore, version: '1'}\npaths: {}\n",
        )
        .expect("spec");
        let unnamed = Options {
            crate_name: None,
            ..options(&spec, &dir.join("out"))
        };
        assert_eq!(run(&unnamed), SUCCESS);
        let manifest = std::fs::read_to_string(dir.join("out/Cargo.toml")).expect("written");
        assert!(
            manifest.contains("name = \"swagger-petstore\""),
            "{manifest}"
        );
        assert!(
            manifest.contains("name = \"swagger_petstore\""),
            "{manifest}"
        );

        let named = options(&spec, &dir.join("named"));
        assert_eq!(run(&named), SUCCESS);
        let manifest = std::fs::read_to_string(dir.join("named/Cargo.toml")).expect("written");
        assert!(manifest.contains("name = \"exit-codes\""), "{manifest}");
    }

    #[test]
    fn options_parse() {
        let args: Vec<String> = ["--tag", "A", "--tag", "B C", "--check", "--out", "x"]
            .map(String::from)
            .into();
        let options = parse(&args, &checkout()).expect("valid").expect("not help");
        assert_eq!(options.tags, ["A", "B C"]);
        assert!(options.check);
        assert_eq!(options.out, PathBuf::from("x"));
        assert!(parse(&["--bogus".to_owned()], &checkout()).is_err());
        assert!(parse(&["--spec".to_owned()], &checkout()).is_err());
        let bad_name = ["--crate-name", "full-17.12.1"].map(String::from);
        assert!(
            parse(&bad_name, &checkout()).is_err(),
            "a crate name cargo would refuse"
        );
        // Installed, there is no default document or output directory.
        let installed = Defaults::installed();
        assert!(parse(&["--out".to_owned(), "x".to_owned()], &installed).is_err());
        let both = ["--spec", "a.yaml", "--out", "x"].map(String::from);
        assert!(parse(&both, &installed).is_ok_and(|options| options.is_some()));
    }
}
