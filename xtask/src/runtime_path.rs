//! Where a generated crate finds `sunshine-runtime`: this checkout's
//! `runtime/`, written relative to the crate so that the path survives moving
//! the whole checkout (and `generated/` gets the plain `../runtime`).

use std::path::{Component, Path, PathBuf};

use codegen::RuntimeSource;

/// The runtime dependency of a crate written to `out`: `runtime` if given,
/// else this workspace's `runtime/`; relative to `out` when both can be
/// placed on one file system root.
pub fn for_output(out: &Path, runtime: Option<&Path>) -> RuntimeSource {
    let runtime = match runtime {
        Some(path) => absolute(path),
        None => super::workspace_root().join("runtime"),
    };
    let path = relative(&absolute(out), &runtime).unwrap_or(runtime);
    RuntimeSource::Path(path.to_string_lossy().replace('\\', "/"))
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
        let root = Path::new("/work/repo");
        assert_eq!(
            relative(&root.join("generated"), &root.join("runtime")),
            Some(PathBuf::from("../runtime"))
        );
    }

    #[test]
    fn a_crate_elsewhere_climbs_to_the_common_ancestor() {
        assert_eq!(
            relative(Path::new("/tmp/out/full"), Path::new("/work/repo/runtime")),
            Some(PathBuf::from("../../../work/repo/runtime"))
        );
    }

    #[test]
    fn dots_in_the_output_path_are_resolved_first() {
        let out = absolute(Path::new("/work/repo/xtask/../generated/./"));
        assert_eq!(out, PathBuf::from("/work/repo/generated"));
    }
}
