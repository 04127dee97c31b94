//! `diff-spec OLD NEW`: what a new version of the document changes for
//! callers of the generated crate.

use super::{changes, fetch};

/// Everything compatible (or nothing changed).
pub const COMPATIBLE: u8 = 0;
/// At least one breaking change.
pub const BREAKING: u8 = 1;
/// Bad arguments, or a document that cannot be read or does not load.
pub const ERROR: u8 = 2;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal.
    Text,
    /// Markdown, for a pull-request description.
    Markdown,
}

/// What `diff-spec` was asked to compare.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// The old document: a file or an `http(s)://` URL.
    pub old: String,
    /// The new one.
    pub new: String,
    /// Only the operations with these tags (all when empty).
    pub tags: Vec<String>,
    /// How the report is printed.
    pub format: Format,
}

/// The options of `diff-spec` (the arguments after it).
///
/// # Errors
///
/// A message for an unknown option or format, or other than two documents.
pub fn parse(args: &[String]) -> Result<Options, String> {
    let mut documents = Vec::new();
    let mut tags = Vec::new();
    let mut format = Format::Text;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--tag" => tags.push(args.next().cloned().ok_or("`--tag` needs a value")?),
            "--format" => {
                format = match args.next().map(String::as_str) {
                    Some("md" | "markdown") => Format::Markdown,
                    Some("text") => Format::Text,
                    _ => return Err("`--format` takes `text` or `md`".to_owned()),
                }
            }
            option if option.starts_with("--") => {
                return Err(format!("unknown option `{option}` for diff-spec"))
            }
            document => documents.push(document.to_owned()),
        }
    }
    let [old, new]: [String; 2] = documents
        .try_into()
        .map_err(|_| "diff-spec takes two documents: OLD NEW".to_owned())?;
    Ok(Options {
        old,
        new,
        tags,
        format,
    })
}

/// Prints the report; returns the process exit code.
pub fn run(options: &Options) -> u8 {
    let mut apis = Vec::new();
    for source in [&options.old, &options.new] {
        let bytes = match fetch::read(source) {
            Ok(bytes) => bytes,
            Err(message) => {
                eprintln!("error: {message}");
                return ERROR;
            }
        };
        match changes::lower(&bytes, source, &options.tags) {
            Ok(api) => apis.push(api),
            Err(()) => return ERROR,
        }
    }
    let report = crate::diff::diff(&apis[0], &apis[1]);
    print!(
        "{}",
        match options.format {
            Format::Text => report.to_text(),
            Format::Markdown => report.to_markdown(),
        }
    );
    if report.is_breaking() {
        BREAKING
    } else {
        COMPATIBLE
    }
}
