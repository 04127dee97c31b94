//! Stage 4, emit: the surface → one token stream (or text) per output file.
//!
//! Each output file has one owner module here (`apis`, `client`, `examples`,
//! `manifest`, `mock`, `root`, `types`, `webhooks`), which reads the
//! [`Surface`] and the helpers below, and never another owner: `common`
//! (identifiers, docs, type paths), `construct` (constructors), `features`
//! (cfg gates), `fields` (struct fields), `pagination` (`.paginate()`),
//! `receiver` (the receiver's features and re-exports), `usage` (doc
//! examples). No module here decides a name or a signature.

mod apis;
mod client;
mod common;
mod construct;
mod examples;
mod features;
mod fields;
mod manifest;
mod mock;
mod pagination;
mod readme;
mod receiver;
mod root;
mod types;
mod usage;
mod webhooks;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::model::Api;
use crate::source::Record;
use crate::surface::Surface;

/// Settings of the generated crate that do not come from the document.
#[derive(Debug, Clone)]
pub struct CrateConfig {
    /// Package name, such as `sunshine-conversations`.
    pub name: String,
    /// Whether to name the package after the document's `info.title`
    /// instead (falling back to `name` when the title makes no name).
    pub name_from_title: bool,
    /// Package version.
    pub version: String,
    /// Where the crate finds the runtime's packages (`sunshine-runtime`,
    /// and behind features `sunshine-kit` and `sunshine-receiver`), the
    /// hand-written code every generated crate shares.
    pub runtime: RuntimeSource,
    /// The repository the crate is published from, for its manifest.
    pub repository: Option<String>,
}

/// How a generated crate depends on the runtime's packages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeSource {
    /// From the registry, at [`RUNTIME_VERSION`].
    Registry,
    /// From a directory (relative to the generated crate, or absolute), at
    /// [`RUNTIME_VERSION`]: a checkout of this project's `runtime/`, which
    /// holds each package in a directory of its own (`client/`, `kit/`,
    /// `receiver/`).
    Path(String),
}

/// The version of the runtime's packages that this generator's output is
/// written against: the version of the facts crate the generator is built
/// with, which the runtime's packages share.
pub const RUNTIME_VERSION: &str = sunshine_facts::VERSION;

impl Default for CrateConfig {
    fn default() -> Self {
        Self {
            name: "sunshine-conversations".to_owned(),
            name_from_title: false,
            version: "0.1.0".to_owned(),
            runtime: RuntimeSource::Registry,
            repository: None,
        }
    }
}

impl CrateConfig {
    /// The settings with the package name decided for `api`.
    pub fn for_api(&self, api: &Api) -> CrateConfig {
        let name = match self.name_from_title {
            true => crate::names::crate_name(&api.title).unwrap_or_else(|| self.name.clone()),
            false => self.name.clone(),
        };
        CrateConfig {
            name,
            name_from_title: false,
            ..self.clone()
        }
    }
}

/// What one output file holds before formatting.
pub enum FileContent {
    /// Rust code, to be formatted by prettyplease.
    Rust(TokenStream),
    /// Text written as is (manifests, hand-written modules).
    Text(String),
}

/// Emits every file of the client crate.
pub fn emit(surface: &Surface, config: &CrateConfig) -> BTreeMap<String, FileContent> {
    let api = surface.api();
    // Doc examples name the crate; it is named by the configuration.
    let library = config.name.replace('-', "_");
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        // The source record is its own table after the manifest proper.
        FileContent::Text(manifest::emit(api, config) + &Record::of(api).manifest_section()),
    );
    files.insert(
        "README.md".to_owned(),
        FileContent::Text(readme::emit(api, config)),
    );
    files.insert(
        "src/lib.rs".to_owned(),
        FileContent::Rust(root::emit_lib(surface, config)),
    );
    files.insert(
        "src/servers.rs".to_owned(),
        FileContent::Rust(root::emit_servers(surface)),
    );
    files.insert(
        "src/client.rs".to_owned(),
        FileContent::Rust(client::emit(surface, config)),
    );
    files.insert(
        "src/types.rs".to_owned(),
        FileContent::Rust(types::emit(surface)),
    );
    files.insert(
        "src/apis/mod.rs".to_owned(),
        FileContent::Rust(apis::emit_mod(api)),
    );
    for group in &api.groups {
        files.insert(
            format!("src/apis/{}.rs", group.module),
            FileContent::Rust(apis::emit_group(surface, group, &library)),
        );
    }
    files.insert(
        "src/webhooks.rs".to_owned(),
        FileContent::Rust(webhooks::emit(surface)),
    );
    files.insert(
        "src/mock.rs".to_owned(),
        FileContent::Rust(mock::emit(surface, config)),
    );
    if !api.examples.is_empty() {
        files.insert(
            "tests/examples.rs".to_owned(),
            FileContent::Rust(examples::emit(api, config)),
        );
    }
    files
}
