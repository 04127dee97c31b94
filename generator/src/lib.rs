//! Generates a Rust client crate for the Sunshine Conversations API from its
//! OpenAPI document.
//!
//! The pipeline has one model in the middle:
//!
//! 1. [`load`]: YAML → a checked `openapiv3` document plus its webhooks (an
//!    OpenAPI 3.1 document is rewritten into 3.0 form first);
//! 2. [`lower`]: resolve references and lower to [`model::Api`], the
//!    document in Rust terms (types, fields and variants named);
//! 3. [`surface`]: the crate's Rust API decided once: every other name, every
//!    signature, construction and derives;
//! 4. [`emit`]: one token stream per output file, read from the surface only;
//! 5. [`format`](mod@format): prettyplease, plus the generated-file preamble;
//! 6. [`write`](mod@write): replace the output directory atomically, or check it.
//!
//! Beside the pipeline, [`diff`] compares two surfaces: what a new version of
//! the document changes for users of the generated crate. Around it,
//! [`cli`] is the command line (`sunshine-codegen`, and `cargo xtask` in
//! this repository) and [`build`] the entry point for a build script.
//! `ARCHITECTURE.md` at the repository's root has the map and the invariants.

pub mod build;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub mod format;
pub mod load;
pub mod locate;
pub mod lower;
pub mod model;
pub mod names;
pub mod rustdoc;
pub mod source;
pub mod surface;
pub mod write;

use diagnostics::Diagnostics;
pub use emit::{CrateConfig, RuntimeSource, RUNTIME_VERSION};
pub use lower::Selection;

// The README's examples use the whole API (paging, users, uploads), which
// `generated/` leaves out: `tests/generated_crates.rs` compiles them against
// the crate of the full 17.12.1 document (its `checks` crate).

/// The generated crate: relative path → file contents.
pub type Files = std::collections::BTreeMap<String, String>;

/// What a successful generation produced.
#[derive(Debug)]
pub struct Generated {
    /// The files of the crate.
    pub files: Files,
    /// The surface they were emitted from.
    pub surface: surface::Surface,
    /// Warnings found on the way (no errors).
    pub diagnostics: Diagnostics,
}

/// Stack for the pipeline. The limits on nesting (128 YAML levels, 64 schema
/// levels) keep recursion bounded, but types nested that deep make `syn` and
/// `prettyplease` recurse further than a 2 MiB test thread allows in debug
/// builds (about 40 KiB a level); 64 MiB leaves a wide margin.
const PIPELINE_STACK: usize = 64 << 20;

/// Runs load → lower → emit → format on a document's bytes. Nothing is written.
pub fn generate(
    spec: &[u8],
    selection: &Selection,
    config: &CrateConfig,
) -> Result<Generated, Diagnostics> {
    on_pipeline_stack(|| run_pipeline(spec, selection, config))
        .map(|mut generated| {
            with_positions(&mut generated.diagnostics, spec);
            generated
        })
        .map_err(|mut diagnostics| {
            with_positions(&mut diagnostics, spec);
            diagnostics
        })
}

/// What deciding a document's surface produced, without emitting code: what
/// the change report ([`diff`]) compares.
#[derive(Debug)]
pub struct Decided {
    /// The surface.
    pub surface: surface::Surface,
    /// Warnings found on the way (no errors).
    pub diagnostics: Diagnostics,
}

/// Runs load → lower → surface on a document's bytes: the same checks and
/// located diagnostics as [`generate`], without emitting code.
pub fn decide_document(spec: &[u8], selection: &Selection) -> Result<Decided, Diagnostics> {
    on_pipeline_stack(|| {
        let mut diagnostics = Diagnostics::default();
        let Ok(document) = load::load(spec, &mut diagnostics) else {
            return Err(diagnostics);
        };
        let api = lower::lower(&document, selection, &mut diagnostics);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok(Decided {
            surface: surface::build(&api),
            diagnostics,
        })
    })
    .map(|mut decided| {
        with_positions(&mut decided.diagnostics, spec);
        decided
    })
    .map_err(|mut diagnostics| {
        with_positions(&mut diagnostics, spec);
        diagnostics
    })
}

/// Runs `work` on a thread with [`PIPELINE_STACK`] bytes of stack, or on the
/// caller's when no thread can be had.
fn on_pipeline_stack<T: Send>(work: impl Fn() -> T + Sync) -> T {
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("codegen".to_owned())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, &work)
        {
            Ok(pipeline) => pipeline
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: run here, on the caller's stack.
            Err(_) => work(),
        }
    })
}

/// Lowering knows pointers only; the line and column come from the text.
fn with_positions(diagnostics: &mut Diagnostics, spec: &[u8]) {
    if diagnostics.is_empty() {
        return;
    }
    if let Ok(text) = std::str::from_utf8(spec) {
        let outline = locate::Outline::new(text);
        diagnostics.fill_positions(|pointer| outline.locate(pointer));
    }
}

fn run_pipeline(
    spec: &[u8],
    selection: &Selection,
    config: &CrateConfig,
) -> Result<Generated, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let Ok(document) = load::load(spec, &mut diagnostics) else {
        return Err(diagnostics);
    };
    let api = lower::lower(&document, selection, &mut diagnostics);
    // The model holds all that emit needs; freed now, the document's memory
    // serves the token streams and syntax trees that formatting builds.
    drop(document);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let surface = surface::build(&api);
    let config = config.for_api(surface.api());
    if !names::is_package_name(&config.name) {
        diagnostics.error("#", names::package_name_problem(&config.name));
        return Err(diagnostics);
    }
    match format::format_files(emit::emit(&surface, &config)) {
        Ok(files) => Ok(Generated {
            files,
            surface,
            diagnostics,
        }),
        Err(err) => {
            diagnostics.error("#", format!("internal error while emitting code: {err}"));
            Err(diagnostics)
        }
    }
}
