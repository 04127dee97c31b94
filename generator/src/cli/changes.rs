//! Change reports around `generate` and `update-spec`: what the output
//! directory records, where the recorded document can be found again, and
//! lowering a document with its diagnostics printed.

use std::path::Path;
use std::process::Command;

use crate::diff::Report;
use crate::source::{sha256_hex, Record};
use crate::surface::Surface;
use crate::Selection;

/// The record in `out/Cargo.toml`, if the crate there has one.
pub fn recorded(out: &Path) -> Option<Record> {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).ok()?;
    Record::from_manifest(&manifest)
}

/// The package name of the crate at `out`, if there is one.
pub fn recorded_name(out: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).ok()?;
    let package = manifest
        .lines()
        .skip_while(|line| line.trim() != "[package]")
        .skip(1)
        .take_while(|line| !line.starts_with('['));
    package
        .filter_map(|line| line.strip_prefix("name = \""))
        .find_map(|value| value.strip_suffix('"'))
        .map(str::to_owned)
}

/// Prefixes each `-->` location with the document's name.
pub fn with_file(report: &str, label: &str) -> String {
    report.replace("  --> #", &format!("  --> {label}#"))
}

/// Lowers a document, printing its errors (located, labelled with `label`).
pub fn lower(bytes: &[u8], label: &str, tags: &[String]) -> Result<Surface, ()> {
    let selection = Selection {
        tags: tags.to_vec(),
    };
    match crate::decide_document(bytes, &selection) {
        Ok(decided) => Ok(decided.surface),
        Err(diagnostics) => {
            eprint!("{}", with_file(&diagnostics.to_string(), label));
            eprintln!("error: {label} does not load");
            Err(())
        }
    }
}

/// The document `record` names: the current one when it has the recorded
/// hash, else the last committed version of that file in git. `None` when
/// neither is it (for example, the crate came from another file).
pub fn recorded_document(spec: &Path, current: &[u8], record: &Record) -> Option<Vec<u8>> {
    if sha256_hex(current) == record.sha256 {
        return Some(current.to_vec());
    }
    let dir = spec
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = spec.file_name()?.to_str()?;
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .arg("show")
        .arg(format!("HEAD:./{name}"))
        .output()
        .ok()?;
    (output.status.success() && sha256_hex(&output.stdout) == record.sha256)
        .then_some(output.stdout)
}

/// The report from the recorded document to `new`, or a note saying why
/// there is none.
pub fn since_record(
    spec: &Path,
    current: &[u8],
    record: &Record,
    new: &Surface,
) -> Result<Report, String> {
    let Some(old) = recorded_document(spec, current, record) else {
        return Err(format!(
            "the crate was generated from {}, which is neither {} nor its last committed version; no change report",
            record.describe(),
            spec.display()
        ));
    };
    let selection = Selection {
        tags: record.tags.clone(),
    };
    match crate::decide_document(&old, &selection) {
        Ok(decided) => Ok(crate::diff::diff(&decided.surface, new)),
        Err(_) => Err(format!(
            "the recorded document ({}) no longer loads with this generator; no change report",
            record.describe()
        )),
    }
}
