//! The generator as a library for a build script: the crate's modules from
//! a document, written into `OUT_DIR` as one file that the crate includes at
//! its root.
//!
//! ```no_run
//! // The `main` of build.rs, in a crate with `[build-dependencies]
//! // sunshine-codegen` (`default-features = false`: no command line) and, in
//! // `[dependencies]`, `sunshine-runtime`, `serde` (with `derive`) and
//! // `serde_json` (and `sunshine-kit`, `sunshine-receiver` for the
//! // features that name them).
//! if let Err(error) = codegen::build::Generate::new("openapi.yaml").write() {
//!     panic!("{error}");
//! }
//! ```
//!
//! and in that crate's `src/lib.rs`, alone:
//!
//! ```text
//! include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
//! ```
//!
//! The generated code names its own items with `crate::`, so it is the
//! whole crate: put it in a crate of its own, beside the code that uses it.
//! Its features (`mock`, `tracing`, the receiver's, a feature per tag when
//! there are several) and dependencies are the generated manifest's:
//! [`Written::manifest`] holds it, to copy the `[features]` you want.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::{CrateConfig, Files, RuntimeSource, Selection};

/// The file written into `OUT_DIR`, unless [`Generate::file_name`] says otherwise.
pub const DEFAULT_FILE: &str = "codegen.rs";

/// What to generate from which document, and where to write it.
#[derive(Debug, Clone)]
#[must_use = "nothing is generated until `write` is called"]
pub struct Generate {
    spec: PathBuf,
    tags: Vec<String>,
    crate_name: Option<String>,
    out_dir: Option<PathBuf>,
    file_name: String,
    deny_warnings: bool,
}

/// What [`Generate::write`] wrote.
#[derive(Debug)]
pub struct Written {
    /// The file, to `include!` at the crate's root.
    pub file: PathBuf,
    /// The `Cargo.toml` a crate of its own would have: its `[features]`
    /// and `[dependencies]` are what the including crate needs.
    pub manifest: String,
    /// Warnings about the document (also printed as `cargo:warning`).
    pub diagnostics: Diagnostics,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum Error {
    /// The document, or the file, could not be read or written.
    Io(PathBuf, std::io::Error),
    /// `OUT_DIR` is not set: not run from a build script, and no
    /// [`Generate::out_dir`] given.
    NoOutDir,
    /// The document has errors (or warnings, with
    /// [`deny_warnings`](Generate::deny_warnings)), each located.
    Document(PathBuf, Diagnostics),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io(path, error) => write!(f, "{}: {error}", path.display()),
            Error::NoOutDir => f.write_str("OUT_DIR is not set: run from a build script"),
            Error::Document(path, diagnostics) => {
                write!(
                    f,
                    "{} cannot be generated from:\n{diagnostics}",
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for Error {}

impl Generate {
    /// The client for the document at `spec` (a path relative to the
    /// crate's manifest, as a build script runs there).
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Generate {
            spec: spec.into(),
            tags: Vec::new(),
            crate_name: None,
            out_dir: None,
            file_name: DEFAULT_FILE.to_owned(),
            deny_warnings: false,
        }
    }

    /// Only the operations with this tag (repeatable; default: all).
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// The name the code's doc examples use for the crate; default: the
    /// package being built (`CARGO_PKG_NAME`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// The directory to write to; default: `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The file's name in the directory; default: [`DEFAULT_FILE`].
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Fail on warnings about the document too.
    pub fn deny_warnings(mut self) -> Self {
        self.deny_warnings = true;
        self
    }

    /// Generates and writes the file, and tells cargo to run the build
    /// script again when the document changes.
    ///
    /// # Errors
    ///
    /// When the document cannot be read or has errors, or the file cannot
    /// be written; nothing is written then.
    pub fn write(&self) -> Result<Written, Error> {
        println!("cargo:rerun-if-changed={}", self.spec.display());
        let bytes =
            std::fs::read(&self.spec).map_err(|error| Error::Io(self.spec.clone(), error))?;
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(Error::NoOutDir)?,
        };
        let name = self
            .crate_name
            .clone()
            .or_else(|| std::env::var("CARGO_PKG_NAME").ok())
            .unwrap_or_else(|| CrateConfig::default().name);
        let config = CrateConfig {
            name,
            runtime: RuntimeSource::Registry,
            ..CrateConfig::default()
        };
        let selection = Selection {
            tags: self.tags.clone(),
        };
        let generated = crate::generate(&bytes, &selection, &config)
            .map_err(|diagnostics| Error::Document(self.spec.clone(), diagnostics))?;
        if generated.diagnostics.warnings().next().is_some() {
            if self.deny_warnings {
                return Err(Error::Document(self.spec.clone(), generated.diagnostics));
            }
            for line in generated.diagnostics.to_string().lines() {
                println!("cargo:warning={line}");
            }
        }
        let file = out_dir.join(&self.file_name);
        std::fs::write(&file, one_file(&generated.files))
            .map_err(|error| Error::Io(file.clone(), error))?;
        Ok(Written {
            file,
            manifest: generated
                .files
                .get("Cargo.toml")
                .cloned()
                .unwrap_or_default(),
            diagnostics: generated.diagnostics,
        })
    }
}

/// The crate's `src/` as one file to include at a crate's root: each
/// `mod name;` replaced by the module's file inline, and the root's inner
/// attributes and docs left out (an included file cannot have them; the
/// including crate writes its own).
fn one_file(files: &Files) -> String {
    let root = files
        .get("src/lib.rs")
        .map(String::as_str)
        .unwrap_or_default();
    let mut body = String::with_capacity(root.len());
    // Brackets still open in an inner attribute being left out.
    let mut open = 0usize;
    for line in root.lines() {
        let trimmed = line.trim_start();
        if open == 0 && trimmed.starts_with("//!") {
            continue;
        }
        if open > 0 || trimmed.starts_with("#![") {
            let opened = line.matches('[').count() + line.matches('(').count();
            let closed = line.matches(']').count() + line.matches(')').count();
            open = (open + opened).saturating_sub(closed);
            continue;
        }
        body.push_str(line);
        body.push('\n');
    }
    inline_modules(&body, "src", files)
}

/// `text` of a module whose children live in `dir`, with each `mod name;`
/// replaced by `mod name { … }` holding the child's file.
fn inline_modules(text: &str, dir: &str, files: &Files) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let Some((head, name)) = module_declaration(line) else {
            out.push_str(line);
            out.push('\n');
            continue;
        };
        let (path, child_dir) = match files.get(&format!("{dir}/{name}.rs")) {
            Some(_) => (format!("{dir}/{name}.rs"), format!("{dir}/{name}")),
            None => (format!("{dir}/{name}/mod.rs"), format!("{dir}/{name}")),
        };
        match files.get(&path) {
            Some(child) => {
                out.push_str(&format!("{head} {{\n"));
                out.push_str(&inline_modules(child, &child_dir, files));
                out.push_str("}\n");
            }
            // Not generated: left for the compiler to report.
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// `pub mod apis;` → (`pub mod apis`, `apis`).
fn module_declaration(line: &str) -> Option<(&str, &str)> {
    let head = line.trim_end().strip_suffix(';')?;
    let name = head
        .trim_start()
        .strip_prefix("pub mod ")
        .or_else(|| head.trim_start().strip_prefix("mod "))?;
    let is_ident = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    is_ident.then_some((head, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_are_inlined_where_they_are_declared() {
        let files: Files = [
            (
                "src/lib.rs",
                "//! Crate docs.\n#![deny(missing_docs)]\n#![deny(\n    rustdoc::broken_intra_doc_links,\n    rustdoc::invalid_html_tags\n)]\n#[rustfmt::skip]\npub mod apis;\nmod client;\npub use client::Client;\n",
            ),
            ("src/apis/mod.rs", "//! Tags.\n#[cfg(feature = \"a\")]\npub mod a;\n"),
            ("src/apis/a.rs", "//! Tag a.\npub fn f() {}\n"),
            ("src/client.rs", "pub struct Client;\n"),
        ]
        .into_iter()
        .map(|(path, text)| (path.to_owned(), text.to_owned()))
        .collect();

        let text = one_file(&files);

        assert_eq!(
            text,
            "#[rustfmt::skip]\npub mod apis {\n//! Tags.\n#[cfg(feature = \"a\")]\npub mod a {\n//! Tag a.\npub fn f() {}\n}\n}\nmod client {\npub struct Client;\n}\npub use client::Client;\n"
        );
        assert_eq!(
            module_declaration("    pub mod x_1;"),
            Some(("    pub mod x_1", "x_1"))
        );
        assert_eq!(module_declaration("pub use a::mod b;"), None);
    }
}
