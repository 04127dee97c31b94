//! The change report (`codegen::diff`): what it finds between the published
//! versions and between the evolution fixtures, and how it judges each change.
//! The facts its rules rest on are the surface's (`codegen::surface::Policy`),
//! which the emitters print.

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use codegen::diff::{ChangeKind, Item, Report, Severity};
use codegen::surface::Surface;
use codegen::Selection;

fn lower(bytes: &[u8], what: &str) -> Surface {
    codegen::decide_document(bytes, &Selection::default())
        .unwrap_or_else(|diagnostics| panic!("{what} does not load:\n{diagnostics}"))
        .surface
}

fn lower_file(path: &Path) -> Surface {
    let bytes = std::fs::read(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    lower(&bytes, &path.display().to_string())
}

fn evolution(version: &str) -> PathBuf {
    common::workspace_root().join(format!("generator/tests/fixtures/evolution/{version}.yaml"))
}

fn diff_files(old: &Path, new: &Path) -> Report {
    codegen::diff::diff(&lower_file(old), &lower_file(new))
}

/// The methods of the operations whose change matches `what`.
fn methods(report: &Report, what: fn(&ChangeKind) -> bool) -> BTreeSet<String> {
    report
        .changes
        .iter()
        .filter(|c| what(&c.kind))
        .filter_map(|c| match &c.item {
            Item::Operation { method, .. } => Some(method.clone()),
            _ => None,
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_published_versions_name_every_operation_that_came_and_went() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    let apis: Vec<Surface> = specs.iter().map(|(_, path)| lower_file(path)).collect();
    let added = |w: &ChangeKind| matches!(w, ChangeKind::OperationAdded);
    let removed = |w: &ChangeKind| matches!(w, ChangeKind::OperationRemoved);

    let first = codegen::diff::diff(&apis[0], &apis[1]);
    assert_eq!(
        methods(&first, added),
        set(&[
            "download_message_ref",
            "get_device",
            "list_devices",
            "release_control",
            "sync_user"
        ]),
        "9.1.0 → 15.4.0"
    );
    assert_eq!(
        methods(&first, removed),
        set(&["generate_media_json_web_token", "set_cookie"])
    );
    assert!(first.is_breaking(), "removing operations breaks callers");

    let second = codegen::diff::diff(&apis[1], &apis[2]);
    assert_eq!(
        methods(&second, added),
        set(&["get_token_info", "list_users", "post_conversion_events"]),
        "15.4.0 → 17.12.1"
    );
    assert_eq!(methods(&second, removed), set(&[]));
    // 15.4.0 re-cased every operationId (`passControl` → `PassControl`):
    // no operation of 9.1.0 shows up as renamed for that.
    assert!(first
        .changes
        .iter()
        .all(|c| !matches!(c.kind, ChangeKind::OperationRenamed { .. })));
}

#[test]
fn release_control_gains_an_optional_body() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    let (old, new) = (lower_file(&specs[1].1), lower_file(&specs[2].1));
    let release_control = Item::Operation {
        accessor: "switchboard_actions".to_owned(),
        method: "release_control".to_owned(),
    };
    let report = codegen::diff::diff(&old, &new);
    let changes: Vec<_> = report
        .changes
        .into_iter()
        .filter(|c| c.item == release_control)
        .collect();
    assert_eq!(changes.len(), 1, "only the body changes: {changes:?}");
    assert_eq!(
        changes[0].kind,
        ChangeKind::BodyAdded {
            required: false,
            ty: "ReleaseControlBody".to_owned()
        }
    );
    // The surface sets the optional body with the call's `.body(..)`:
    // `release_control(app, conv)` still compiles, so the change is compatible.
    let verdict = &changes[0].verdict;
    assert_eq!(verdict.severity, Severity::Compatible, "{}", verdict.why);
    assert!(verdict.why.contains(".body(..)"), "{}", verdict.why);
    assert!(
        new.operation(
            new.api()
                .operations()
                .find(|op| new.operation(op).method == "release_control")
                .expect("releaseControl")
        )
        .body_on_call
    );
}

/// Re-cases the first letter of every `operationId` (`passControl` ↔
/// `PassControl`), and with `schemas` of every component schema name and the
/// references to it; returns the document and how many names changed.
fn recased(document: &[u8], schemas: bool) -> (Vec<u8>, usize) {
    use serde_yaml::Value;
    fn flip(name: &str) -> String {
        let mut chars = name.chars();
        match chars.next() {
            Some(first) if first.is_ascii_lowercase() => {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            }
            Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
            None => String::new(),
        }
    }
    fn walk(value: &mut Value, schemas: bool, flipped: &mut usize) {
        const REF: &str = "#/components/schemas/";
        match value {
            Value::String(text) if schemas && text.starts_with(REF) => {
                *text = format!("{REF}{}", flip(&text[REF.len()..]));
            }
            Value::Mapping(mapping) => {
                if let Some(Value::String(id)) = mapping.get_mut("operationId") {
                    *id = flip(id);
                    *flipped += 1;
                }
                for (_, child) in mapping.iter_mut() {
                    walk(child, schemas, flipped);
                }
            }
            Value::Sequence(items) => items
                .iter_mut()
                .for_each(|item| walk(item, schemas, flipped)),
            _ => {}
        }
    }
    let mut root: Value = serde_yaml::from_slice(document).expect("YAML");
    let mut flipped = 0;
    walk(&mut root, schemas, &mut flipped);
    if !schemas {
        return (
            serde_yaml::to_string(&root).expect("YAML").into_bytes(),
            flipped,
        );
    }
    if let Some(Value::Mapping(schemas)) = root
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    {
        let renamed = std::mem::take(schemas)
            .into_iter()
            .map(|(key, schema)| (Value::from(flip(key.as_str().unwrap_or(""))), schema));
        schemas.extend(renamed);
        flipped += schemas.len();
    }
    (
        serde_yaml::to_string(&root).expect("YAML").into_bytes(),
        flipped,
    )
}

fn recasing_documents() -> Vec<PathBuf> {
    let mut documents = vec![common::workspace_root().join("spec/sunshine-conversations.yaml")];
    documents.extend(
        common::upstream_specs()
            .unwrap_or_default()
            .into_iter()
            .map(|(_, path)| path),
    );
    documents
}

#[test]
fn recasing_every_operation_id_is_no_change() {
    for path in recasing_documents() {
        let original = std::fs::read(&path).expect("readable");
        let (changed, flipped) = recased(&original, false);
        assert!(
            flipped >= 4,
            "{}: the test re-cased the operations",
            path.display()
        );
        let report = codegen::diff::diff(
            &lower(&original, "the original"),
            &lower(&changed, "the re-cased document"),
        );
        assert_eq!(report.changes, [], "{}", path.display());
        assert!(report.to_text().contains("No change to the Rust API."));
    }
}

/// Schema names map to the same Rust names, so no item changes. A
/// discriminator without a `mapping` selects its variants by schema name,
/// though: there, decoding changes, and the report says so.
#[test]
fn recasing_every_schema_name_changes_only_implicit_discriminator_values() {
    for path in recasing_documents() {
        let original = std::fs::read(&path).expect("readable");
        let (changed, flipped) = recased(&original, true);
        assert!(
            flipped > 20,
            "{}: the test re-cased the schemas",
            path.display()
        );
        let report = codegen::diff::diff(
            &lower(&original, "the original"),
            &lower(&changed, "the re-cased document"),
        );
        for change in &report.changes {
            assert!(
                matches!(change.kind, ChangeKind::VariantTagsChanged { .. })
                    && change.verdict.severity == Severity::Compatible,
                "{}: {change:?}",
                path.display()
            );
        }
    }
}

/// Every change of the fixture versions, as `item: what [severity]`.
fn lines(report: &Report) -> Vec<String> {
    report
        .changes
        .iter()
        .map(|c| {
            let severity = match c.verdict.severity {
                Severity::Breaking => "breaking",
                Severity::Compatible => "compatible",
            };
            format!("{}: {} [{severity}]", c.item, c.kind)
        })
        .collect()
}

#[test]
fn each_change_is_judged_on_the_generated_api() {
    let report = diff_files(&evolution("v1"), &evolution("v2"));
    assert_eq!(
        lines(&report),
        [
            "client.messages().get_message_author(): operation added [compatible]",
            // `ListMessagesParams` derives Default.
            "client.messages().list_messages(): optional query parameter `before: Option<String>` added [compatible]",
            // `PostMessageError` is an exhaustive enum.
            "client.messages().post_message(): error status 429 added [compatible]",
            // The new component yields its name to the existing inline type.
            "types::MessageAuthor2: struct added [compatible]",
            // `MessageKind` is `#[non_exhaustive]`.
            "types::MessageKind: value `video` added [compatible]",
            // `#[non_exhaustive]`, built with `new(..)` or `default()` as
            // before; and structs derive no `Eq` for a new float to take away.
            "types::MessagePost: optional field `metadata: Option<serde_json::Map<String, serde_json::Value>>` added [compatible]",
            // Requests need it: `new(..)` must take it.
            "types::UserUpdate: required field `reason: String` added [breaking]",
            "types::UserUpdate: `new(reason: String)` added [compatible]",
            // A required string without a document default cannot default
            // (an empty string would be sent): `UserUpdate::new(reason)` instead.
            "types::UserUpdate: no longer implements `Default` [breaking]",
        ]
    );
    assert!(report.is_breaking());
}

#[test]
fn renames_keep_their_identity() {
    let report = diff_files(&evolution("v2"), &evolution("v3"));
    assert_eq!(
        lines(&report),
        [
            "client.messages().get_messages(): renamed from `client.messages().list_messages()` [breaking]",
            "client.users().update_user(): operation removed [breaking]",
            // The inline response is named after the operation; same place, new name.
            "types::GetMessagesOk: renamed from `ListMessagesOk` [breaking]",
            "types::User: field `role` removed [breaking]",
            "types::UserRole: type removed [breaking]",
            "types::UserUpdate: type removed [breaking]",
        ]
    );
}

#[test]
fn the_report_renders_for_terminals_pull_requests_and_generate() {
    let report = diff_files(&evolution("v1"), &evolution("v2"));
    let summary = "Summary: 2 breaking, 7 compatible (operations: 1 added, 0 removed, 2 changed; types: 1 added, 0 removed, 3 changed; webhook events: 0 added, 0 removed). Suggested release: major (breaking changes; a 0.x crate bumps its minor version).";
    assert_eq!(report.summary_line(), summary);

    let text = report.to_text();
    assert!(
        text.starts_with("Changes for callers of the generated crate: Evolution 1.0.0 → 2.0.0\n")
    );
    assert!(text.contains("\nBreaking (2):\n  types::UserUpdate: required field `reason: String` added\n      the struct has no `Default` any more"), "{text}");
    assert!(
        text.contains(
            "\nCompatible (7):\n  client.messages().get_message_author(): operation added\n"
        ),
        "{text}"
    );
    assert!(text.ends_with(&format!("\n{summary}\n")));

    let markdown = report.to_markdown();
    assert!(markdown.starts_with("## API changes: Evolution 1.0.0 → 2.0.0\n"));
    assert!(markdown.contains("\n### Breaking (2)\n\n| item | change | why |\n|---|---|---|\n| `types::UserUpdate` | required field `reason: String` added |"), "{markdown}");
    assert!(markdown.contains("\n### Compatible (7)\n"), "{markdown}");
    assert!(markdown.ends_with(&format!("\n**{summary}**\n")));

    let short = report.to_short();
    assert_eq!(
        short
            .lines()
            .filter(|l| l.starts_with("  breaking: "))
            .count(),
        2
    );
    assert!(!short.contains("compatible]"));
    assert!(short.ends_with(&format!("{summary}\n")));

    let same = diff_files(&evolution("v1"), &evolution("v1"));
    assert!(same.changes.is_empty());
    assert!(same
        .summary_line()
        .ends_with("Suggested release: patch at most (no change to the Rust API)."));
}
