//! The write stage: output replaced all at once or left exactly as it was,
//! stray files removed, unchanged files untouched, foreign directories refused.

use std::collections::BTreeMap;
use std::path::PathBuf;

use codegen::format::PREAMBLE;
use codegen::write::{check, write};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("write-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.parent().expect("has a parent")).expect("scratch parent");
    dir
}

fn files(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}

fn lib(body: &str) -> String {
    format!("{PREAMBLE}{body}\n")
}

fn read(dir: &std::path::Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|err| panic!("{path}: {err}"))
}

#[test]
fn writes_a_new_crate_and_then_finds_it_fresh() {
    let out = scratch("new");
    let crate_files = files(&[
        ("Cargo.toml", "[package]\n"),
        ("src/lib.rs", &lib("pub fn a() {}")),
    ]);
    let outcome = write(&out, &crate_files).expect("written");
    assert_eq!(outcome.changed, ["Cargo.toml", "src/lib.rs"]);
    assert_eq!(read(&out, "src/lib.rs"), lib("pub fn a() {}"));
    assert!(check(&out, &crate_files).expect("checked").is_fresh());
}

#[test]
fn stray_files_are_removed_and_target_and_lock_file_kept() {
    let out = scratch("stray");
    write(
        &out,
        &files(&[("src/lib.rs", &lib("")), ("src/old.rs", "old")]),
    )
    .expect("first");
    std::fs::create_dir_all(out.join("target/debug")).expect("target");
    std::fs::write(out.join("target/debug/artifact"), "kept").expect("artifact");
    std::fs::write(out.join("Cargo.lock"), "kept").expect("lock");

    let next = files(&[("src/lib.rs", &lib("pub mod new;")), ("src/new.rs", "new")]);
    let before = check(&out, &next).expect("checked");
    assert_eq!(before.stray, ["src/old.rs"]);
    let outcome = write(&out, &next).expect("second");
    assert_eq!(outcome.stray, ["src/old.rs"]);
    assert!(
        !out.join("src/old.rs").exists(),
        "a file no longer generated is removed"
    );
    assert_eq!(read(&out, "src/new.rs"), "new");
    assert_eq!(read(&out, "target/debug/artifact"), "kept");
    assert_eq!(read(&out, "Cargo.lock"), "kept");
    assert!(check(&out, &next).expect("checked").is_fresh());
}

#[test]
fn unchanged_files_keep_their_modification_time() {
    let out = scratch("mtime");
    let first = files(&[("src/lib.rs", &lib("")), ("src/same.rs", "same")]);
    write(&out, &first).expect("first");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(out.join("src/same.rs"))
        .and_then(|f| f.set_modified(old))
        .expect("mtime set");

    let second = files(&[
        ("src/lib.rs", &lib("pub fn changed() {}")),
        ("src/same.rs", "same"),
    ]);
    let outcome = write(&out, &second).expect("second");
    assert_eq!(outcome.changed, ["src/lib.rs"]);
    assert_eq!(outcome.unchanged, ["src/same.rs"]);
    let modified = std::fs::metadata(out.join("src/same.rs"))
        .and_then(|m| m.modified())
        .expect("mtime");
    assert_eq!(modified, old, "an unchanged file is not rewritten");

    // Nothing changed at all: nothing is touched, not even the directory.
    let outcome = write(&out, &second).expect("third");
    assert!(outcome.is_fresh());
}

#[test]
fn a_failure_midway_leaves_the_old_output_exactly_as_it_was() {
    let out = scratch("atomic");
    let good = files(&[("src/lib.rs", &lib("pub fn good() {}")), ("src/a.rs", "a")]);
    write(&out, &good).expect("first");
    // `src/a.rs` as a file and as a directory: staging must fail part-way.
    let impossible = files(&[
        ("src/lib.rs", &lib("pub fn bad() {}")),
        ("src/a.rs", "a"),
        ("src/a.rs/b.rs", "b"),
    ]);
    let error = write(&out, &impossible).expect_err("cannot be written");
    assert!(error.to_string().contains("a.rs"), "{error}");
    assert_eq!(read(&out, "src/lib.rs"), lib("pub fn good() {}"));
    assert_eq!(read(&out, "src/a.rs"), "a");
    assert!(
        check(&out, &good).expect("checked").is_fresh(),
        "the old output is intact"
    );
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().expect("parent"))
        .expect("listing")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".atomic."))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no staging directory is left behind: {leftovers:?}"
    );
}

#[test]
fn a_directory_not_generated_by_us_is_refused() {
    let out = scratch("foreign");
    std::fs::create_dir_all(out.join("src")).expect("dir");
    std::fs::write(out.join("src/lib.rs"), "// my own code\n").expect("file");
    std::fs::write(out.join("notes.txt"), "mine").expect("file");
    let error = write(&out, &files(&[("src/lib.rs", &lib(""))])).expect_err("refused");
    assert!(
        error.to_string().contains("was not generated by this tool"),
        "{error}"
    );
    assert_eq!(read(&out, "src/lib.rs"), "// my own code\n");
    assert_eq!(read(&out, "notes.txt"), "mine");
}

#[test]
fn a_crate_generated_under_the_former_preamble_is_still_ours() {
    let out = scratch("former-preamble");
    std::fs::create_dir_all(out.join("src")).expect("dir");
    let former = format!("{}pub fn old() {{}}\n", codegen::format::FORMER_PREAMBLE);
    std::fs::write(out.join("src/lib.rs"), former).expect("file");

    write(&out, &files(&[("src/lib.rs", &lib("pub fn new() {}"))])).expect("replaced");

    assert_eq!(read(&out, "src/lib.rs"), lib("pub fn new() {}"));
}
