//! What the generated crate is called and where it finds the runtime:
//! settings that do not come from the document.

use crate::model::Api;

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
    /// The crate's library name, as code writes it (`sunshine_conversations`).
    pub fn library(&self) -> String {
        crate::names::library_name(&self.name)
    }

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
