//! `src/runtime/`: the hand-written runtime (`templates/runtime/`), less the
//! parts this API does not use, so that no crate carries dead code.
//!
//! A module an API may not need is listed with its [`Part`]; a template line
//! that only such a part uses ends with a `// needs: <part>` marker, and is
//! kept (marker removed) only when the part is.

use super::CrateConfig;
use crate::model::Api;

/// A piece of the runtime that only some APIs use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Every crate needs it.
    Core,
    /// Paginated list operations.
    Pagination,
}

impl Part {
    fn from_marker(name: &str) -> Option<Part> {
        match name {
            "pagination" => Some(Part::Pagination),
            _ => None,
        }
    }

    /// The `#[cfg(..)]` attribute, as text, of a part only some features use.
    fn gate(self, api: &Api) -> Option<String> {
        match self {
            Part::Core => None,
            Part::Pagination => super::features::for_pagination_text(api),
        }
    }

    fn needed_by(self, api: &Api) -> bool {
        match self {
            Part::Core => true,
            Part::Pagination => api.operations().any(|op| op.pagination.is_some()),
        }
    }
}

/// `(file name, part, contents)` of templates under `templates/runtime/`.
macro_rules! runtime_modules {
    ($(($file:literal, $part:expr)),* $(,)?) => {
        &[$(($file, $part, include_str!(concat!("../../templates/runtime/", $file)))),*]
    };
}

const MODULES: &[(&str, Part, &str)] = runtime_modules![
    ("mod.rs", Part::Core),
    ("auth.rs", Part::Core),
    ("builder.rs", Part::Core),
    ("call.rs", Part::Core),
    ("options.rs", Part::Core),
    ("pagination.rs", Part::Pagination),
    ("request.rs", Part::Core),
    ("response.rs", Part::Core),
    ("retry.rs", Part::Core),
    ("trace.rs", Part::Core),
];

/// The runtime's files for `api`: file name under `src/runtime/`, contents.
pub(super) fn emit(api: &Api, config: &CrateConfig) -> Vec<(&'static str, String)> {
    // The runtime's doc examples name the crate; it is named by the configuration.
    let library = config.name.replace('-', "_");
    MODULES
        .iter()
        .filter(|(_, part, _)| part.needed_by(api))
        .map(|(file, _, text)| {
            let text = keep_needed_lines(text, api)
                .replace("use sunshine_conversations::", &format!("use {library}::"));
            (*file, text)
        })
        .collect()
}

/// `text` without the lines marked for parts `api` does not need.
fn keep_needed_lines(text: &str, api: &Api) -> String {
    let mut kept = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match line.split_once("// needs: ") {
            Some((code, marker)) => {
                let part = Part::from_marker(marker.trim());
                if part.is_some_and(|part| part.needed_by(api)) {
                    // Behind the features of the operations that need it.
                    if let Some(cfg) = part.and_then(|part| part.gate(api)) {
                        let indent = &code[..code.len() - code.trim_start().len()];
                        kept.push_str(&format!("{indent}{cfg}\n"));
                    }
                    kept.push_str(code.trim_end());
                    kept.push('\n');
                }
            }
            None => kept.push_str(line),
        }
    }
    kept
}
