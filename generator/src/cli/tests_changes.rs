//! Tests of the change-report commands: `diff-spec`'s exit codes and
//! formats, what `generate` says when it replaces a crate, and `update-spec`
//! from a file and from a URL served on 127.0.0.1.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::generate::{replacement_report, run, Options};
use super::test_support::{checkout, workspace_root};
use super::*;
use crate::source::{sha256_hex, Record};

fn fixture(version: &str) -> PathBuf {
    workspace_root().join(format!("generator/tests/fixtures/evolution/{version}.yaml"))
}

/// A fresh scratch directory under `target/`.
fn scratch(name: &str) -> PathBuf {
    let dir = workspace_root().join("target/xtask-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn generate_options(spec: &Path, out: &Path, tags: &[&str]) -> Options {
    Options {
        spec: spec.to_owned(),
        out: out.to_owned(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        crate_name: Some("evolution".to_owned()),
        runtime_path: None,
        check: false,
        deny_warnings: false,
        defaults: checkout(),
    }
}

fn diff_options(old: &Path, new: &Path) -> diff_spec::Options {
    diff_spec::Options {
        old: old.display().to_string(),
        new: new.display().to_string(),
        tags: Vec::new(),
        format: diff_spec::Format::Text,
    }
}

#[test]
fn diff_spec_exit_codes_gate_on_breaking_changes() {
    let (v1, v2) = (fixture("v1"), fixture("v2"));
    assert_eq!(diff_spec::run(&diff_options(&v1, &v2)), diff_spec::BREAKING);
    assert_eq!(
        diff_spec::run(&diff_options(&v1, &v1)),
        diff_spec::COMPATIBLE
    );
    // Only the `Messages` operations: every change of theirs is an addition
    // (a parameter, an error status, a field of a non-exhaustive struct).
    let messages_only = diff_spec::Options {
        tags: vec!["Messages".to_owned()],
        ..diff_options(&v1, &v2)
    };
    assert_eq!(diff_spec::run(&messages_only), diff_spec::COMPATIBLE);

    let dir = scratch("diff-spec");
    let compatible = dir.join("compatible.yaml");
    let text = std::fs::read_to_string(&v1).expect("fixture");
    std::fs::write(
        &compatible,
        text.replace("enum: [text, image]", "enum: [text, image, video]"),
    )
    .expect("write");
    assert_eq!(
        diff_spec::run(&diff_options(&v1, &compatible)),
        diff_spec::COMPATIBLE,
        "a new value of a #[non_exhaustive] enum breaks nothing"
    );

    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 42\n",
    )
    .expect("write");
    assert_eq!(diff_spec::run(&diff_options(&v1, &bad)), diff_spec::ERROR);
    assert_eq!(
        diff_spec::run(&diff_options(&dir.join("missing.yaml"), &v1)),
        diff_spec::ERROR
    );
}

#[test]
fn diff_spec_arguments_parse() {
    let args: Vec<String> = ["a.yaml", "--format", "md", "b.yaml", "--tag", "Users"]
        .map(String::from)
        .into();
    assert_eq!(
        diff_spec::parse(&args),
        Ok(diff_spec::Options {
            old: "a.yaml".to_owned(),
            new: "b.yaml".to_owned(),
            tags: vec!["Users".to_owned()],
            format: diff_spec::Format::Markdown,
        })
    );
    assert!(diff_spec::parse(&["a.yaml".to_owned()]).is_err());
    assert!(diff_spec::parse(&[
        "a".to_owned(),
        "b".to_owned(),
        "--format".to_owned(),
        "html".to_owned()
    ])
    .is_err());
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=test",
            "-c",
            "user.email=test@example.invalid",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

#[test]
fn generate_reports_what_replacing_a_crate_changes() {
    let dir = scratch("replace");
    let (spec, out) = (dir.join("spec.yaml"), dir.join("out"));
    let v1 = std::fs::read(fixture("v1")).expect("fixture");
    let v2 = std::fs::read(fixture("v2")).expect("fixture");
    std::fs::write(&spec, &v1).expect("write");
    assert_eq!(run(&generate_options(&spec, &out, &[])), SUCCESS);
    let record = changes::recorded(&out).expect("the crate records its source");
    assert_eq!(record.sha256, sha256_hex(&v1));
    assert_eq!(record.version, "1.0.0");

    // The same document and selection again: nothing to report.
    let api = |bytes: &[u8], tags: &[&str]| {
        let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
        changes::lower(bytes, "spec.yaml", &tags).expect("loads")
    };
    assert_eq!(
        replacement_report(&spec, &v1, Some(record.clone()), &api(&v1, &[])),
        None
    );
    // Another selection of the same document: compared without git.
    let narrower = replacement_report(&spec, &v1, Some(record.clone()), &api(&v1, &["Messages"]))
        .expect("a report");
    assert!(
        narrower.contains("breaking: client.users().get_user(): operation removed"),
        "{narrower}"
    );

    // A new document, the recorded one committed: found in git.
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "spec.yaml"]);
    git(&dir, &["commit", "-q", "-m", "v1"]);
    std::fs::write(&spec, &v2).expect("write");
    let short =
        replacement_report(&spec, &v2, Some(record.clone()), &api(&v2, &[])).expect("a report");
    assert!(
        short.starts_with("API changes: Evolution 1.0.0 → 2.0.0\n"),
        "{short}"
    );
    assert!(
        short.contains("  breaking: types::UserUpdate: required field `reason: String` added\n")
    );
    assert!(
        short.contains("Summary: 2 breaking, 7 compatible"),
        "{short}"
    );

    // A recorded document that cannot be found says so.
    let other = Record {
        sha256: sha256_hex(b"another document"),
        ..record
    };
    let note = replacement_report(&spec, &v2, Some(other), &api(&v2, &[])).expect("a note");
    assert!(
        note.starts_with("note: ") && note.contains("no change report"),
        "{note}"
    );

    assert_eq!(run(&generate_options(&spec, &out, &[])), SUCCESS);
    assert_eq!(
        changes::recorded(&out).map(|r| r.sha256),
        Some(sha256_hex(&v2))
    );
}

/// Serves `routes` (path → body; anything else is a 404) on 127.0.0.1 for
/// `requests` requests, then stops.
fn serve(
    routes: Vec<(&'static str, Vec<u8>)>,
    requests: usize,
) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let server = std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let head = String::from_utf8_lossy(&request);
            let path = head.split_whitespace().nth(1).unwrap_or("");
            let (status, body) = match routes.iter().find(|(route, _)| *route == path) {
                Some((_, body)) => ("200 OK", body.clone()),
                None => ("404 Not Found", b"not here".to_vec()),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (base, server)
}

fn update_options(from: String, spec: &Path, out: &Path) -> update_spec::Options {
    update_spec::Options {
        from,
        spec: spec.to_owned(),
        out: out.to_owned(),
        crate_name: None,
        defaults: Defaults {
            repository: None,
            ..checkout()
        },
    }
}

#[test]
fn update_spec_takes_a_document_from_a_url_and_keeps_the_recorded_selection() {
    let dir = scratch("update-spec");
    let (spec, out) = (dir.join("spec.yaml"), dir.join("out"));
    let v1 = std::fs::read(fixture("v1")).expect("fixture");
    let v2 = std::fs::read(fixture("v2")).expect("fixture");
    std::fs::write(&spec, &v1).expect("write");
    // A runtime of the user's choosing, named once.
    let first = Options {
        runtime_path: Some(dir.join("vendor/runtime")),
        ..generate_options(&spec, &out, &["Messages"])
    };
    assert_eq!(run(&first), SUCCESS);
    let before = std::fs::read(out.join("src/apis/messages.rs")).expect("generated");

    let bad = b"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: 42\n".to_vec();
    let (base, server) = serve(vec![("/v2.yaml", v2.clone()), ("/bad.yaml", bad)], 3);

    // A document that does not load, and one that is not there: nothing changes.
    let failed = update_spec::run(&update_options(format!("{base}/bad.yaml"), &spec, &out));
    assert_eq!(failed, SPEC_ERRORS);
    let missing = update_spec::run(&update_options(format!("{base}/gone.yaml"), &spec, &out));
    assert_eq!(missing, USAGE_OR_IO);
    assert_eq!(
        std::fs::read(&spec).expect("spec"),
        v1,
        "spec left untouched"
    );
    assert_eq!(
        std::fs::read(out.join("src/apis/messages.rs")).expect("generated"),
        before,
        "output left untouched"
    );

    let updated = update_spec::run(&update_options(format!("{base}/v2.yaml"), &spec, &out));
    assert_eq!(updated, SUCCESS);
    server.join().expect("server stops");
    assert_eq!(std::fs::read(&spec).expect("spec"), v2, "spec replaced");
    let record = changes::recorded(&out).expect("record");
    assert_eq!(record.sha256, sha256_hex(&v2));
    assert_eq!(record.tags, ["Messages"], "the recorded selection is kept");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains(r#"path = "../vendor/runtime/client""#),
        "the runtime path is kept: {manifest}"
    );
    assert!(
        !out.join("src/apis/users.rs").exists(),
        "only the selected tag is generated"
    );
    let messages = std::fs::read_to_string(out.join("src/apis/messages.rs")).expect("generated");
    assert!(
        messages.contains("pub fn get_message_author("),
        "{messages}"
    );
    assert!(
        !dir.join("spec.yaml.update-spec").exists(),
        "no staging file left"
    );

    // From a file, too; back to v1.
    let back = update_spec::run(&update_options(
        fixture("v1").display().to_string(),
        &spec,
        &out,
    ));
    assert_eq!(back, SUCCESS);
    assert_eq!(std::fs::read(&spec).expect("spec"), v1);
}

#[test]
fn update_spec_arguments_parse() {
    let root = Path::new("/r");
    let defaults = Defaults::checkout(root);
    let args: Vec<String> = [
        "--from",
        "https://example.invalid/openapi.yaml",
        "--out",
        "o",
    ]
    .map(String::from)
    .into();
    let options = update_spec::parse(&args, &defaults).expect("valid");
    assert_eq!(options.from, "https://example.invalid/openapi.yaml");
    assert_eq!(options.out, PathBuf::from("o"));
    assert_eq!(options.spec, root.join("spec/sunshine-conversations.yaml"));
    assert!(
        update_spec::parse(&[], &defaults).is_err(),
        "--from is required"
    );
    let installed = ["--from", "new.yaml", "--out", "o"].map(String::from);
    assert!(
        update_spec::parse(&installed, &Defaults::installed()).is_err(),
        "installed, --spec is required"
    );
    assert!(fetch::is_url("http://127.0.0.1:1/x") && !fetch::is_url("spec/x.yaml"));
}
