//! Project automation. `cargo xtask --help` lists the commands.

mod allocator;
mod bench;
mod changes;
mod diff_spec;
mod fetch;
mod runtime_path;
mod update_spec;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::source::Record;
use codegen::surface::Surface;
use codegen::{CrateConfig, Selection};

const HELP: &str = "\
cargo xtask generate [OPTIONS]
cargo xtask diff-spec OLD NEW [--tag NAME]... [--format text|md]
cargo xtask update-spec --from PATH_OR_URL [--spec PATH] [--out DIR] [--crate-name NAME]
cargo xtask bench [--runs N] [--build [--features LIST]]

generate: generates the client crate from an OpenAPI document. When it
replaces a crate generated from another document (or another --tag
selection), it prints what changed for callers.

Options:
  --spec PATH         OpenAPI 3.0 or 3.1 document (default: spec/sunshine-conversations.yaml)
  --out DIR           output directory (default: generated/)
  --tag NAME          only operations with this tag (repeatable; default: all)
  --crate-name NAME   package name of the generated crate (default: sunshine-conversations
                      for spec/, otherwise made from the document's info.title)
  --runtime-path DIR  the sunshine-runtime crate the generated crate depends on
                      (default: the path the crate at --out already names, else
                      this checkout's runtime/; written relative to --out)
  --check             write nothing; fail if the output is not up to date
  --deny-warnings     fail on warnings about the document too
  -h, --help          this text

bench measures generation time (median of N runs, default 10) and output size
for spec/, the published specs in ../shared and synthetic multiples of 17.12.1,
and the whole generate process's time and peak memory; with --build, also how
long the generated crates take to compile alone (clean and after a touch): the
spec/ crate, the full 17.12.1 crate (also with its test kit, --features mock),
and that crate with only the features in LIST (default
switchboard-actions,tracing; n/a when the crate lacks one).

Exit codes: 0 success, 1 errors in the document (or stale output with --check),
2 usage or I/O errors.

diff-spec reports what NEW changes for callers of the crate generated from
OLD (files or http(s) URLs), each change marked breaking or compatible, and
ends with a summary and the release to make. Exit codes: 0 all compatible,
1 something breaks, 2 usage errors or a document that does not load.

update-spec validates the document at --from (a file or an http(s) URL),
prints the change report against --spec, then replaces --spec and regenerates
--out with the --tag selection recorded in --out. Nothing is replaced when the
document does not load or generate. Exit codes as for generate.";

/// Generation (or the check) succeeded.
const SUCCESS: u8 = 0;
/// Errors in the document, or stale output with `--check`.
const SPEC_ERRORS: u8 = 1;
/// Bad arguments, or a file that cannot be read or written.
const USAGE_OR_IO: u8 = 2;

/// The workspace root, so default paths work from any directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

#[derive(Debug)]
struct Options {
    spec: PathBuf,
    out: PathBuf,
    tags: Vec<String>,
    /// `None`: `sunshine-conversations` for `spec/`, else from `info.title`.
    crate_name: Option<String>,
    /// `None`: this checkout's `runtime/`.
    runtime_path: Option<PathBuf>,
    check: bool,
    deny_warnings: bool,
}

fn parse(args: &[String]) -> Result<Option<Options>, String> {
    let root = workspace_root();
    let mut options = Options {
        spec: root.join("spec/sunshine-conversations.yaml"),
        out: root.join("generated"),
        tags: Vec::new(),
        crate_name: None,
        runtime_path: None,
        check: false,
        deny_warnings: false,
    };
    let mut args = args.iter();
    match args.next().map(String::as_str) {
        Some("generate") => {}
        Some("-h" | "--help") | None => return Ok(None),
        Some(other) => return Err(format!("unknown command `{other}`")),
    }
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .cloned()
                .ok_or_else(|| format!("`{name}` needs a value"))
        };
        match arg.as_str() {
            "--spec" => options.spec = PathBuf::from(value("--spec")?),
            "--out" => options.out = PathBuf::from(value("--out")?),
            "--tag" => options.tags.push(value("--tag")?),
            "--crate-name" => {
                let name = value("--crate-name")?;
                if !codegen::names::is_package_name(&name) {
                    return Err(format!(
                        "`{name}` is not a valid crate name: use ASCII letters, digits, `-` and `_`, starting with a letter"
                    ));
                }
                options.crate_name = Some(name);
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
    Ok(Some(options))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("bench") => return bench::run(&args[1..], &workspace_root()),
        Some("diff-spec") => {
            return match diff_spec::parse(&args[1..]) {
                Ok(options) => ExitCode::from(diff_spec::run(&options)),
                Err(message) => {
                    eprintln!("error: {message}\n\n{HELP}");
                    ExitCode::from(diff_spec::ERROR)
                }
            }
        }
        Some("update-spec") => {
            return match update_spec::parse(&args[1..], &workspace_root()) {
                Ok(options) => ExitCode::from(update_spec::run(&options)),
                Err(message) => {
                    eprintln!("error: {message}\n\n{HELP}");
                    ExitCode::from(USAGE_OR_IO)
                }
            }
        }
        _ => {}
    }
    let options = match parse(&args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    ExitCode::from(run(&options))
}

/// Runs `generate`; returns the process exit code.
fn run(options: &Options) -> u8 {
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
    let default_spec = options.spec == workspace_root().join("spec/sunshine-conversations.yaml");
    let config = CrateConfig {
        name: options
            .crate_name
            .clone()
            .unwrap_or_else(|| CrateConfig::default().name),
        name_from_title: options.crate_name.is_none() && !default_spec,
        runtime: runtime_path::for_output(&options.out, options.runtime_path.as_deref()),
        ..CrateConfig::default()
    };
    let generated = match codegen::generate(&spec, &selection, &config) {
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
        codegen::write::check(&options.out, &generated.files)
    } else {
        codegen::write::write(&options.out, &generated.files)
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
            "error: {} is out of date; run `cargo xtask generate` to update it",
            options.out.display()
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
fn replacement_report(
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
    use super::*;

    /// `generated/` must be what the generator makes of `spec/`; this is what
    /// makes a plain `cargo test` catch a forgotten regeneration.
    #[test]
    fn generated_crate_is_up_to_date() {
        let root = workspace_root();
        let spec = std::fs::read(root.join("spec/sunshine-conversations.yaml"))
            .expect("spec/ is readable");
        let config = CrateConfig {
            runtime: runtime_path::for_output(&root.join("generated"), None),
            ..CrateConfig::default()
        };
        let generated = codegen::generate(&spec, &Selection::default(), &config)
            .unwrap_or_else(|diagnostics| panic!("spec/ does not generate:\n{diagnostics}"));
        let outcome = codegen::write::check(&root.join("generated"), &generated.files)
            .expect("generated/ is readable");
        assert!(
            outcome.is_fresh(),
            "generated/ is out of date (changed: {:?}, not generated any more: {:?}); run `cargo xtask generate`",
            outcome.changed,
            outcome.stray
        );
    }

    fn options(spec: &Path, out: &Path) -> Options {
        Options {
            spec: spec.to_owned(),
            out: out.to_owned(),
            tags: Vec::new(),
            crate_name: Some("exit-codes".to_owned()),
            runtime_path: None,
            check: false,
            deny_warnings: false,
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
        let args: Vec<String> = [
            "generate", "--tag", "A", "--tag", "B C", "--check", "--out", "x",
        ]
        .map(String::from)
        .into();
        let options = parse(&args).expect("valid").expect("not help");
        assert_eq!(options.tags, ["A", "B C"]);
        assert!(options.check);
        assert_eq!(options.out, PathBuf::from("x"));
        assert!(parse(&["generate".to_owned(), "--bogus".to_owned()]).is_err());
        assert!(parse(&["generate".to_owned(), "--spec".to_owned()]).is_err());
        let bad_name = ["generate", "--crate-name", "full-17.12.1"].map(String::from);
        assert!(parse(&bad_name).is_err(), "a crate name cargo would refuse");
    }
}

#[cfg(test)]
mod tests_changes;
