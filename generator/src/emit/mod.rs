//! Stage 4, emit: the surface → one token stream (or text) per output file.
//!
//! Each output file has one owner module here (`apis`, `client`, `examples`,
//! `manifest`, `mock`, `root`, `types`, `webhooks`), which reads the
//! [`Surface`] and the helpers below, and never another owner: `common`
//! (identifiers, docs, type paths), `construct` (constructors), `features`
//! (cfg gates), `fields` (struct fields), `pagination` (`.paginate()`),
//! `receiver` (the receiver's features and re-exports), `doc_examples` (the
//! calls shown in docs). No module here decides a name or a signature.

mod apis;
mod client;
mod common;
mod config;
mod construct;
mod doc_examples;
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
mod webhooks;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::source::Record;
use crate::surface::Surface;
pub use config::{CrateConfig, RuntimeSource, RUNTIME_VERSION};

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
    let library = config.library();
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        // The source record is its own table after the manifest proper.
        FileContent::Text(manifest::emit(surface, config) + &Record::of(api).manifest_section()),
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
        FileContent::Rust(apis::emit_mod(surface)),
    );
    for group in &api.groups {
        files.insert(
            format!("src/apis/{}.rs", surface.group(group).module),
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
            FileContent::Rust(examples::emit(surface, config)),
        );
    }
    files
}
