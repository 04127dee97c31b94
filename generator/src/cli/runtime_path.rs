//! Where a generated crate finds `sunshine-runtime`: the directory given
//! with `--runtime-path`; else the one the crate being replaced already names,
//! so that a path chosen once survives regeneration and `update-spec`; else
//! the default (for `cargo xtask`, the checkout's `runtime/`; installed,
//! none: the registry version). A directory is written relative to the crate
//! so that the path survives moving the whole checkout (and `generated/`
//! gets `../runtime`).

use std::path::{Component, Path, PathBuf};

use crate::RuntimeSource;

/// The runtime dependency of a crate written to `out`: `runtime` if given,
/// else the path in the manifest already at `out`, else `default`, else
/// the registry version; a directory is written relative to `out` when both
/// can be placed on one file system root.
pub fn for_output(out: &Path, runtime: Option<&Path>, default: Option<&Path>) -> RuntimeSource {
    if runtime.is_none() {
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap_or_default();
        if let Some(path) = recorded_path(&manifest) {
            return RuntimeSource::Path(path.to_owned());
        }
    }
    let Some(runtime) = runtime.or(default).map(absolute) else {
        return RuntimeSource::Registry;
    };
    let path = relative(&absolute(out), &runtime).unwrap_or(runtime);
    RuntimeSource::Path(path.to_string_lossy().replace('\\', "/"))
}

/// The runtime's root directory as a generated manifest names it: the
/// `path` of its `sunshine-runtime` dependency without the package's own
/// directory (`../runtime/client` gives `../runtime`; a manifest written
/// before the runtime was split names the root itself).
fn recorded_path(manifest: &str) -> Option<&str> {
    let client = sunshine_facts::CLIENT;
    let line = manifest.lines().find(|line| {
        line.trim_start()
            .starts_with(&format!("{} = {{", client.name))
    })?;
    let (_, rest) = line.split_once("path = \"")?;
    let (path, _) = rest.split_once('"')?;
    Some(
        path.strip_suffix(client.dir)
            .map_or(path, |root| root.trim_end_matches('/')),
    )
}

/// `path` made absolute from the current directory, with `.` and `..`
/// resolved in the text (the output directory may not exist yet).
fn absolute(path: &Path) -> PathBuf {
    let joined = match path.is_absolute() {
        true => path.to_path_buf(),
        false => std::env::current_dir().unwrap_or_default().join(path),
    };
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// `to` as seen from the directory `from`, both absolute and normalized;
/// `None` when they share no root (other drives on Windows).
fn relative(from: &Path, to: &Path) -> Option<PathBuf> {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for component in &to[common..] {
        path.push(component);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_beside_the_runtime_names_it_as_a_sibling() {
        let root = Path::new("/srv/checkout");
        assert_eq!(
            relative(&root.join("generated"), &root.join("runtime")),
            Some(PathBuf::from("../runtime"))
        );
    }

    #[test]
    fn a_crate_elsewhere_climbs_to_the_common_ancestor() {
        assert_eq!(
            relative(
                Path::new("/tmp/out/full"),
                Path::new("/srv/checkout/runtime")
            ),
            Some(PathBuf::from("../../../srv/checkout/runtime"))
        );
    }

    #[test]
    fn the_path_a_generated_manifest_names_is_read_back() {
        let manifest = "[dependencies]\n# Client, retries...\nsunshine-runtime = { version = \"0.1.0\", path = \"../../vendor/runtime/client\" }\nserde = \"1\"\n";
        assert_eq!(recorded_path(manifest), Some("../../vendor/runtime"));
        let before_the_split =
            "sunshine-runtime = { version = \"0.1.0\", path = \"../runtime\" }\n";
        assert_eq!(recorded_path(before_the_split), Some("../runtime"));
        assert_eq!(
            recorded_path("[dependencies]\nsunshine-runtime = \"0.1.0\"\n"),
            None
        );
        assert_eq!(recorded_path(""), None);
    }

    #[test]
    fn dots_in_the_output_path_are_resolved_first() {
        let out = absolute(Path::new("/srv/checkout/xtask/../generated/./"));
        assert_eq!(out, PathBuf::from("/srv/checkout/generated"));
    }
}
