//! Stage 3, emit: the model → one token stream (or text) per output file.
//!
//! Each output file has one owner module here. Emitters read the model only.

mod apis;
pub(crate) mod common;
pub(crate) mod construct;
mod examples;
mod features;
mod manifest;
mod pagination;
mod root;
mod runtime;
mod types;
mod usage;
mod webhooks;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;

use crate::model::Api;
use crate::source::Record;

/// Serde helpers the generated types use.
const SUPPORT: &str = include_str!("../../templates/support.rs");
/// Macros writing the impls that open enums and unions share.
const TYPE_MACROS: &str = include_str!("../../templates/type_macros.rs");
/// Macros writing the impls that operations share.
const OPERATION_MACROS: &str = include_str!("../../templates/operation_macros.rs");
/// Untagged-union decoding, shared with the generator's example checks.
const SHAPE: &str = include_str!("../../templates/shape.rs");
/// The tri-state `Nullable<T>` of sent types' optional, nullable properties.
const NULLABLE: &str = include_str!("../../templates/nullable.rs");
/// Receiving webhooks: the `X-API-Key` check, deliveries decoded event by event.
const WEBHOOK: &str = include_str!("../../templates/webhook.rs");

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
}

impl Default for CrateConfig {
    fn default() -> Self {
        Self {
            name: "sunshine-conversations".to_owned(),
            name_from_title: false,
            version: "0.1.0".to_owned(),
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

/// Whether any field is a `Nullable<T>`; only then does the crate carry the type.
pub(crate) fn uses_nullable(api: &Api) -> bool {
    api.types.values().any(|def| match &def.kind {
        crate::model::TypeKind::Struct(s) => s
            .fields
            .iter()
            .any(|f| f.presence == crate::model::Presence::OptionalNullable),
        _ => false,
    })
}

/// Emits every file of the client crate.
pub fn emit(api: &Api, config: &CrateConfig) -> BTreeMap<String, FileContent> {
    // Doc examples name the crate; it is named by the configuration.
    let library = config.name.replace('-', "_");
    let mut files = BTreeMap::new();
    files.insert(
        "Cargo.toml".to_owned(),
        // The source record is its own table after the manifest proper.
        FileContent::Text(manifest::emit(api, config) + &Record::of(api).manifest_section()),
    );
    files.insert(
        "src/lib.rs".to_owned(),
        FileContent::Rust(root::emit_lib(api, config)),
    );
    files.insert(
        "src/servers.rs".to_owned(),
        FileContent::Rust(root::emit_servers(api)),
    );
    for (file, text) in runtime::emit(api, config) {
        files.insert(format!("src/runtime/{file}"), FileContent::Text(text));
    }
    files.insert(
        "src/support.rs".to_owned(),
        FileContent::Text(SUPPORT.to_owned()),
    );
    files.insert(
        "src/type_macros.rs".to_owned(),
        FileContent::Text(TYPE_MACROS.to_owned()),
    );
    files.insert(
        "src/operation_macros.rs".to_owned(),
        FileContent::Text(OPERATION_MACROS.to_owned()),
    );
    files.insert(
        "src/shape.rs".to_owned(),
        FileContent::Text(SHAPE.to_owned()),
    );
    if uses_nullable(api) {
        files.insert(
            "src/nullable.rs".to_owned(),
            FileContent::Text(NULLABLE.replace(
                "use sunshine_conversations::",
                &format!("use {}::", config.name.replace('-', "_")),
            )),
        );
    }
    files.insert(
        "src/types.rs".to_owned(),
        FileContent::Rust(types::emit(api)),
    );
    files.insert(
        "src/apis/mod.rs".to_owned(),
        FileContent::Rust(apis::emit_mod(api)),
    );
    for group in &api.groups {
        files.insert(
            format!("src/apis/{}.rs", group.module),
            FileContent::Rust(apis::emit_group(api, group, &library)),
        );
    }
    files.insert(
        "src/webhooks.rs".to_owned(),
        FileContent::Rust(webhooks::emit(api)),
    );
    let webhook = WEBHOOK.replace("use sunshine_conversations::", &format!("use {library}::"));
    files.insert("src/webhook.rs".to_owned(), FileContent::Text(webhook));
    if !api.examples.is_empty() {
        files.insert(
            "tests/examples.rs".to_owned(),
            FileContent::Rust(examples::emit(api, config)),
        );
    }
    files
}
