//! How the generated crate depends on each runtime package: from the
//! registry, or from a checkout's directory.

use sunshine_facts::Package;

use super::config::{RuntimeSource, RUNTIME_VERSION};

/// A runtime package's value in `[dependencies]`.
pub(super) fn runtime_dependency(
    source: &RuntimeSource,
    package: Package,
    optional: bool,
) -> String {
    let optional = if optional { ", optional = true" } else { "" };
    match source {
        RuntimeSource::Registry => format!("{{ version = \"{RUNTIME_VERSION}\"{optional} }}"),
        RuntimeSource::Path(root) => {
            let root = root.replace('\\', "/");
            let path =
                format!("{}/{}", root.trim_end_matches('/'), package.dir).replace('"', "\\\"");
            format!("{{ version = \"{RUNTIME_VERSION}\", path = \"{path}\"{optional} }}")
        }
    }
}
