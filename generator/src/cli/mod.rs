//! The command line: `generate`, `diff-spec` and `update-spec`, for the
//! installed `sunshine-codegen` command and for `cargo xtask`, which differ
//! only in their [`Defaults`] (feature `cli`, on by default).

mod changes;
pub mod diff_spec;
mod fetch;
pub mod generate;
pub mod runtime_path;
pub mod update_spec;

use std::path::{Path, PathBuf};

/// Generation (or the check) succeeded.
pub const SUCCESS: u8 = 0;
/// Errors in the document, or stale output with `--check`.
pub const SPEC_ERRORS: u8 = 1;
/// Bad arguments, or a file that cannot be read or written.
pub const USAGE_OR_IO: u8 = 2;

/// What a command uses where an option is not given, and its own name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Defaults {
    /// How the user runs the command (`sunshine-codegen`, `cargo xtask`),
    /// for help and hints.
    pub program: String,
    /// The document (`--spec`); without one, `--spec` is required.
    pub spec: Option<PathBuf>,
    /// The output directory (`--out`); without one, `--out` is required.
    pub out: Option<PathBuf>,
    /// The runtime a new crate depends on by path, when neither
    /// `--runtime-path` nor the crate already at `--out` names one; without
    /// one, the crate depends on the runtime's registry version.
    pub runtime: Option<PathBuf>,
    /// The repository the generated crate's manifest names, if any.
    pub repository: Option<String>,
}

impl Defaults {
    /// The installed command: every path given on the command line.
    pub fn installed() -> Self {
        Defaults {
            program: "sunshine-codegen".to_owned(),
            spec: None,
            out: None,
            runtime: None,
            repository: None,
        }
    }

    /// `cargo xtask` in the checkout at `root`: its `spec/`, `generated/`
    /// and `runtime/`, and the repository its workspace manifest names.
    pub fn checkout(root: &Path) -> Self {
        let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
        Defaults {
            program: "cargo xtask".to_owned(),
            spec: Some(root.join("spec/sunshine-conversations.yaml")),
            out: Some(root.join("generated")),
            runtime: Some(root.join("runtime")),
            repository: workspace.lines().find_map(|line| {
                let url = line.strip_prefix("repository = \"")?;
                url.strip_suffix('"').map(str::to_owned)
            }),
        }
    }
}

/// Runs the command in `args` (`generate …`, `diff-spec …`, `update-spec …`,
/// `--help`); returns the process exit code. Messages go to stdout and
/// stderr.
pub fn run(args: &[String], defaults: &Defaults) -> u8 {
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("--help", &[][..]),
    };
    let usage = |message: String| {
        eprintln!("error: {message}\n\n{}", help(defaults));
        USAGE_OR_IO
    };
    match command {
        "generate" => match generate::parse(rest, defaults) {
            Ok(Some(options)) => generate::run(&options),
            Ok(None) => {
                println!("{}", help(defaults));
                SUCCESS
            }
            Err(message) => usage(message),
        },
        "diff-spec" => match diff_spec::parse(rest) {
            Ok(options) => diff_spec::run(&options),
            Err(message) => {
                eprintln!("error: {message}\n\n{}", help(defaults));
                diff_spec::ERROR
            }
        },
        "update-spec" => match update_spec::parse(rest, defaults) {
            Ok(options) => update_spec::run(&options),
            Err(message) => usage(message),
        },
        "-h" | "--help" | "help" => {
            println!("{}", help(defaults));
            SUCCESS
        }
        other => usage(format!("unknown command `{other}`")),
    }
}

/// The help text, with the defaults of this program.
/// The value after option `name`, or the error that says it is missing.
fn option_value<'a>(
    args: &mut impl Iterator<Item = &'a String>,
    name: &str,
) -> Result<String, String> {
    args.next()
        .cloned()
        .ok_or_else(|| format!("`{name}` needs a value"))
}

/// `--crate-name`'s value, refused where Cargo would refuse it, for every
/// command that takes one.
fn package_name(name: String) -> Result<String, String> {
    match crate::names::is_package_name(&name) {
        true => Ok(name),
        false => Err(crate::names::package_name_problem(&name)),
    }
}

pub fn help(defaults: &Defaults) -> String {
    let program = &defaults.program;
    let default = |path: &Option<PathBuf>| match path {
        Some(path) => format!("default: {}", path.display()),
        None => "required".to_owned(),
    };
    let runtime = match &defaults.runtime {
        Some(path) => format!("else {}", path.display()),
        None => "else the registry version".to_owned(),
    };
    format!(
        "\
{program} generate [OPTIONS]
{program} diff-spec OLD NEW [--tag NAME]... [--format text|md]
{program} update-spec --from PATH_OR_URL [--spec PATH] [--out DIR] [--crate-name NAME]

generate: generates the client crate from an OpenAPI document. When it
replaces a crate generated from another document (or another --tag
selection), it prints what changed for callers.

Options:
  --spec PATH         OpenAPI 3.0 or 3.1 document ({spec})
  --out DIR           output directory ({out})
  --tag NAME          only operations with this tag (repeatable; default: all)
  --crate-name NAME   package name of the generated crate (default:
                      sunshine-conversations for the default document,
                      otherwise made from the document's info.title)
  --runtime-path DIR  the sunshine-runtime crate the generated crate depends on
                      (default: the path the crate at --out already names,
                      {runtime}; written relative to --out)
  --check             write nothing; fail if the output is not up to date
  --deny-warnings     fail on warnings about the document too
  -h, --help          this text

Exit codes: 0 success, 1 errors in the document (or stale output with --check),
2 usage or I/O errors.

diff-spec reports what NEW changes for callers of the crate generated from
OLD (files or http(s) URLs), each change marked breaking or compatible, and
ends with a summary and the release to make. Exit codes: 0 all compatible,
1 something breaks, 2 usage errors or a document that does not load.

update-spec validates the document at --from (a file or an http(s) URL),
prints the change report against --spec, then replaces --spec and regenerates
--out with the --tag selection and the crate name recorded in --out. Nothing
is replaced when the document does not load or generate. Exit codes as for
generate.",
        spec = default(&defaults.spec),
        out = default(&defaults.out),
    )
}

#[cfg(test)]
mod test_support {
    use std::path::{Path, PathBuf};

    use super::Defaults;

    /// This checkout's root, where the fixtures are and the scratch
    /// directories go (under `target/`).
    pub fn workspace_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }

    /// The defaults of `cargo xtask` in this checkout.
    pub fn checkout() -> Defaults {
        Defaults::checkout(&workspace_root())
    }
}

#[cfg(test)]
mod tests_changes;
