//! What a generated crate records about the document it came from: the
//! document's title, version and SHA-256, and the `--tag` selection. The
//! record is a `[package.metadata.sunshine-codegen]` table at the end of the
//! generated `Cargo.toml`, written by [`Record::manifest_section`] and read back by
//! [`Record::from_manifest`], so `generate --check`, the change report and
//! `update-spec` know what the committed crate was made from.

use sha2::{Digest, Sha256};

use crate::model::Api;

/// The metadata table that holds the record.
const TABLE: &str = "[package.metadata.sunshine-codegen]";

/// SHA-256 of a document's bytes in lower-case hex, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The document a crate was generated from, and which of its operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// SHA-256 of the document's bytes, lower-case hex.
    pub sha256: String,
    /// The `--tag` selection, sorted; empty when every operation was generated.
    pub tags: Vec<String>,
}

impl Record {
    /// The record of a lowered API.
    pub fn of(api: &Api) -> Self {
        Self {
            title: api.title.clone(),
            version: api.version.clone(),
            sha256: api.source.sha256.clone(),
            tags: api.source.tags.clone(),
        }
    }

    /// Reads the record from a generated `Cargo.toml`; `None` when the
    /// manifest has none (a crate generated before records were kept, or not
    /// by this generator).
    pub fn from_manifest(manifest: &str) -> Option<Self> {
        let mut lines = manifest.lines().skip_while(|line| line.trim() != TABLE);
        lines.next()?;
        let mut record = Record::default();
        let (mut has_version, mut has_sha256) = (false, false);
        for line in lines.take_while(|line| !line.trim_start().starts_with('[')) {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            // Values are written as JSON strings and arrays, which TOML reads alike.
            let value = value.trim();
            match key.trim() {
                "spec-title" => record.title = serde_json::from_str(value).ok()?,
                "spec-version" => {
                    record.version = serde_json::from_str(value).ok()?;
                    has_version = true;
                }
                "spec-sha256" => {
                    record.sha256 = serde_json::from_str(value).ok()?;
                    has_sha256 = true;
                }
                "tags" => record.tags = serde_json::from_str(value).ok()?,
                _ => {}
            }
        }
        (has_version && has_sha256).then_some(record)
    }

    /// One line for people: `Title 1.2.3 (sha256 0123abcd…, tags: A, B)`.
    pub fn describe(&self) -> String {
        let short: String = self.sha256.chars().take(12).collect();
        let tags = if self.tags.is_empty() {
            "every operation".to_owned()
        } else {
            format!("tags: {}", self.tags.join(", "))
        };
        format!("{} {} (sha256 {short}…, {tags})", self.title, self.version)
    }

    /// The metadata table appended to the generated `Cargo.toml`.
    pub fn manifest_section(&self) -> String {
        let string = |text: &str| serde_json::Value::from(text).to_string();
        format!(
            "\n# The document this crate was generated from, and the `--tag` selection\n\
             # (read by `sunshine-codegen generate` and `update-spec`, or `cargo xtask`).\n\
             {TABLE}\n\
             spec-title = {}\n\
             spec-version = {}\n\
             spec-sha256 = {}\n\
             tags = {}\n",
            string(&self.title),
            string(&self.version),
            string(&self.sha256),
            serde_json::Value::from(self.tags.clone()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_test_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_record_survives_the_manifest_round_trip() {
        let record = Record {
            title: "An \"odd\" title\\".to_owned(),
            version: "1.2.3".to_owned(),
            sha256: sha256_hex(b"document"),
            tags: vec!["B C".to_owned(), "Switchboard Actions".to_owned()],
        };
        let manifest = format!(
            "[package]\nname = \"x\"\n{}\n[features]\nx = []\n",
            record.manifest_section()
        );
        assert_eq!(Record::from_manifest(&manifest), Some(record));
        assert_eq!(Record::from_manifest("[package]\nname = \"x\"\n"), None);
    }
}
