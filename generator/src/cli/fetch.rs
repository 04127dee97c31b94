//! Reads a document from a file or an `http://` / `https://` URL.

use std::path::Path;
use std::time::Duration;

/// Documents larger than this are refused (the published spec is ~300 KB).
const MAX_BYTES: u64 = 32 << 20;

/// Whether `source` names a URL rather than a file.
pub fn is_url(source: &str) -> bool {
    source.starts_with("https://") || source.starts_with("http://")
}

/// The bytes of the document at `source`, or a message saying why not.
pub fn read(source: &str) -> Result<Vec<u8>, String> {
    if is_url(source) {
        download(source)
    } else {
        std::fs::read(Path::new(source)).map_err(|err| format!("cannot read {source}: {err}"))
    }
}

fn download(url: &str) -> Result<Vec<u8>, String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .call()
        .map_err(|err| format!("cannot download {url}: {err}"))?;
    response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_vec()
        .map_err(|err| format!("cannot download {url}: {err}"))
}
