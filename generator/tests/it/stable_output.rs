//! Regenerating from the next version of a document changes only what the
//! change report names: every other item of the generated code keeps its
//! text and its place, and no existing type is renamed.
//!
//! The generated Rust files are cut into blocks at the blank lines
//! prettyplease puts between items (top-level items, and the methods of an
//! `impl`); each block is keyed by the item it declares. A block whose text
//! changed, appeared or vanished must belong to an item in the report.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use codegen::diff::{ChangeKind, Item};
use codegen::model::Api;
use codegen::surface::Surface;
use codegen::{CrateConfig, Generated, Selection};

fn generate(path: &std::path::Path) -> Generated {
    let bytes = std::fs::read(path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    codegen::generate(&bytes, &Selection::default(), &CrateConfig::default()).unwrap_or_else(
        |diagnostics| panic!("{} does not generate:\n{diagnostics}", path.display()),
    )
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// A block of a formatted file: one item, or one method of an `impl`.
struct Block {
    /// Unique in the file: the block's first code line, prefixed inside an
    /// `impl` by the `impl` line.
    key: String,
    /// The generated items it belongs to (the method, and the `impl`'s type).
    items: Vec<String>,
    text: String,
}

/// The blocks of a formatted file, in order.
fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut starts = vec![0];
    for (index, line) in lines.iter().enumerate().skip(1) {
        let previous = lines[index - 1];
        let after_blank = previous.trim().is_empty()
            && !line.trim().is_empty()
            && indent(line) <= 4
            && !line.trim_start().starts_with('}');
        // A one-line item (`pub enum E {}`) is not followed by a blank line.
        let after_item = indent(previous) == 0
            && (previous.ends_with('}') || previous.ends_with(';'))
            && !line.trim().is_empty()
            && indent(line) == 0;
        // The first method of an `impl` follows its header without a blank line.
        let after_impl_header = previous.starts_with("impl") && previous.ends_with('{');
        if after_blank || after_item || after_impl_header {
            starts.push(index);
        }
    }
    starts.push(lines.len());
    // The `impl` line and type of the block being walked, if any.
    let mut owner: Option<(String, String)> = None;
    starts
        .windows(2)
        .map(|range| {
            let mut block = &lines[range[0]..range[1]];
            // Blank lines separate blocks, and the `}` closing an `impl` belongs to no method.
            while let Some((last, rest)) = block.split_last() {
                let closes_impl = *last == "}" && block[0].starts_with(' ');
                if !(last.trim().is_empty() || closes_impl) || rest.is_empty() {
                    break;
                }
                block = rest;
            }
            // The first line of code: not a comment, nor an attribute (which
            // may span lines: `#[cfg(\n    any(..)\n)]`).
            let mut in_attribute = false;
            let first = block
                .iter()
                .copied()
                .find(|line| {
                    let line = line.trim();
                    if in_attribute {
                        in_attribute = !line.ends_with(']');
                        return false;
                    }
                    if line.starts_with("#[") || line.starts_with("#!") {
                        in_attribute = !line.ends_with(']');
                        return false;
                    }
                    !line.is_empty() && !line.starts_with("//")
                })
                .unwrap_or("");
            // A macro invocation (`crate::type_macros::open_enum! {`) is keyed
            // by the item it declares.
            let first = match first.ends_with("! {") {
                true => block
                    .iter()
                    .copied()
                    .find(|line| {
                        let line = line.trim_start();
                        line.starts_with("pub enum ") || line.starts_with("pub struct ")
                    })
                    .map_or(first, str::trim_start),
                false => first,
            };
            let item = declared(first.trim());
            let kit = ["mock_group! {", "mock_api! {"];
            let (key, items) = if block
                .iter()
                .any(|line| kit.iter().any(|m| line.contains(m)))
            {
                // The kit's tables (`src/mock.rs`): a tag's, a line per
                // operation opening with its method name (`pass_control(`);
                // the API's, a line per tag's accessor (`messages: Messages,`).
                let methods = block.iter().filter_map(|line| {
                    let line = line.strip_prefix("        ")?;
                    let name = line
                        .strip_suffix('(')
                        .or_else(|| line.split_once(": ").map(|(name, _)| name))?;
                    name.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                        .then(|| name.to_owned())
                });
                (
                    first.trim().to_owned(),
                    std::iter::once(item).chain(methods).collect(),
                )
            } else if indent(first) == 0 {
                owner = (first.starts_with("impl") && first.ends_with('{'))
                    .then(|| (first.to_owned(), item.clone()));
                (first.to_owned(), vec![item])
            } else {
                let (line, ty) = owner.clone().unwrap_or_default();
                (format!("{line} :: {}", first.trim()), vec![ty, item])
            };
            // Documentation is not part of the API the report compares.
            let code: Vec<&str> = block
                .iter()
                .copied()
                .filter(|line| !line.trim_start().starts_with("//"))
                .collect();
            Block {
                key,
                items,
                text: code.join("\n"),
            }
        })
        .collect()
}

/// The item a block declares: a type's or function's name, or the whole
/// line for anything else (imports, `impl` headers).
fn declared(key: &str) -> String {
    let words: Vec<&str> = key
        .split(|c: char| c.is_whitespace() || "(<{;:".contains(c))
        .filter(|w| !w.is_empty())
        .collect();
    let after = |word: &str| {
        words
            .iter()
            .position(|w| *w == word)
            .and_then(|i| words.get(i + 1))
            .map(|w| w.to_string())
    };
    if key.starts_with("impl") {
        // `impl Call<Success, OpError>`: the optional parts of one
        // operation's call belong to that operation (its error type).
        if let Some(args) = key.strip_prefix("impl Call<") {
            let error = args.rsplit(',').next().unwrap_or(args);
            return error.trim().trim_end_matches(['{', ' ', '>']).to_owned();
        }
        // `impl Trait for Name`, `impl From<Name> for String`, `impl Name`.
        return match after("for") {
            Some(target) if target != "String" => target,
            Some(_) => key.split(['<', '>']).nth(1).unwrap_or(key).to_owned(),
            None => after("impl").unwrap_or_else(|| key.to_owned()),
        };
    }
    after("struct")
        .or_else(|| after("enum"))
        .or_else(|| after("mod"))
        .or_else(|| after("fn"))
        .unwrap_or_else(|| key.to_owned())
}

/// `text` without `#[cfg(…feature…)]` attributes, one line or several.
fn without_cfg_gates(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut in_gate = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if in_gate {
            in_gate = !trimmed.ends_with(")]");
            continue;
        }
        // Also the crate's `#![cfg_attr(not(any(feature …)), …)]`, which lists
        // every tag's feature.
        let gate = trimmed.starts_with("#[cfg(") && trimmed.contains("feature")
            || trimmed == "#[cfg("
            || trimmed.starts_with("#![cfg_attr(")
                && (trimmed.contains("feature") || trimmed == "#![cfg_attr(");
        if gate {
            in_gate = !trimmed.ends_with(")]");
            continue;
        }
        kept.push_str(line);
        kept.push('\n');
    }
    kept
}

/// The names of the generated items each change in the report concerns.
fn named_in_report(
    old_surface: &Surface,
    new_surface: &Surface,
    changes: &[codegen::diff::Change],
) -> BTreeSet<String> {
    let old = old_surface.api();
    // The items an operation brings: its parameters, error and response types.
    let own_types = |surface: &Surface, op: &codegen::model::Operation| {
        let decided = surface.operation(op);
        [
            decided.params_type.clone(),
            Some(decided.error_type.clone()),
            decided.response_type.clone(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
    };
    let mut names = BTreeSet::new();
    for change in changes {
        match &change.item {
            Item::Type(name) => {
                names.insert(name.clone());
            }
            Item::Operation { accessor, method } => {
                names.insert(method.clone());
                let has_group = |surface: &Surface| {
                    surface
                        .api()
                        .groups
                        .iter()
                        .any(|g| &surface.group(g).module == accessor)
                };
                // A tag's first or last operation adds or removes its module.
                let group_came_or_went = !has_group(old_surface) || !has_group(new_surface);
                for surface in [old_surface, new_surface] {
                    for group in surface
                        .api()
                        .groups
                        .iter()
                        .filter(|g| &surface.group(g).module == accessor)
                    {
                        let decided = surface.group(group);
                        if group_came_or_went {
                            names.extend([decided.module.clone(), decided.struct_name.clone()]);
                        }
                        for op in group
                            .operations
                            .iter()
                            .filter(|op| &surface.operation(op).method == method)
                        {
                            names.extend(own_types(surface, op));
                        }
                    }
                }
            }
            Item::Webhook(parse_fn) => {
                names.insert(parse_fn.clone());
            }
            // A server changes the `Server` enum and its `url` method.
            Item::Server(_) => {
                names.insert("Server".to_owned());
            }
        }
        match &change.kind {
            ChangeKind::TypeRenamed { from } => {
                names.insert(from.clone());
            }
            ChangeKind::OperationRenamed { from } => {
                // `client.accessor().method()`: the old method and its types.
                let method = from.rsplit('.').next().unwrap_or("").trim_end_matches("()");
                names.insert(method.to_owned());
                for group in &old.groups {
                    for op in group
                        .operations
                        .iter()
                        .filter(|op| old_surface.operation(op).method == method)
                    {
                        names.extend(own_types(old_surface, op));
                    }
                }
            }
            _ => {}
        }
    }
    names
}

/// Regenerates `old` → `new` and checks that the textual changes stay within
/// the items the report names, and that nothing else moves.
fn assert_changes_stay_within_reported_items(
    old_path: &std::path::Path,
    new_path: &std::path::Path,
) {
    let (old, new) = (generate(old_path), generate(new_path));
    let report = codegen::diff::diff(&old.surface, &new.surface);
    let expected = named_in_report(&old.surface, &new.surface, &report.changes);
    // An operation's `operationId` is written as is for tracing; a change of
    // its casing alone is no change to the Rust API, so the report leaves it
    // out. Compare the old text as if it had the new ids.
    let renamed_ids: Vec<(String, String)> = old
        .surface
        .api()
        .operations()
        .filter_map(|before| {
            let after = new.surface.api().operations().find(|op| {
                new.surface.operation(op).method == old.surface.operation(before).method
                    && op.path == before.path
            })?;
            (after.id != before.id)
                .then(|| (format!("\"{}\",", before.id), format!("\"{}\",", after.id)))
        })
        .collect();
    for (path, new_text) in &new.files {
        // The crate's code: the manifest records the document's version and
        // hash, and `tests/examples.rs` checks the document's examples.
        let is_code = path.starts_with("src/") && path.ends_with(".rs");
        let Some(old_text) = old.files.get(path).filter(|_| is_code) else {
            continue;
        };
        let mut old_text = old_text.clone();
        for (before, after) in &renamed_ids {
            old_text = old_text.replace(before, after);
        }
        let old_text = &old_text;
        // A type's `#[cfg(feature …)]` gate lists the tags whose operations
        // use it: it follows from operation changes the report names (a new
        // operation in another tag), not from a change to the type.
        let (old_text, new_text) = (without_cfg_gates(old_text), without_cfg_gates(new_text));
        let (before, after) = (blocks(&old_text), blocks(&new_text));
        let index = |blocks: &[Block]| -> BTreeMap<String, (String, Vec<String>)> {
            blocks
                .iter()
                .map(|b| (b.key.clone(), (b.text.clone(), b.items.clone())))
                .collect()
        };
        let (old_blocks, new_blocks) = (index(&before), index(&after));
        let keys: BTreeSet<&String> = old_blocks.keys().chain(new_blocks.keys()).collect();
        for key in keys {
            let (old_block, new_block) = (old_blocks.get(key), new_blocks.get(key));
            // Imports follow from the items (a first path parameter needs its encoder).
            // Blocks of comments alone are documentation.
            if key.is_empty() || key.starts_with("use ") || key.starts_with("pub use ") {
                continue;
            }
            if old_block.map(|b| &b.0) != new_block.map(|b| &b.0) {
                // What either version of the block declares (a table gains
                // the line of a new operation or tag).
                let items: &Vec<String> = &old_block
                    .into_iter()
                    .chain(new_block)
                    .flat_map(|b| b.1.iter().cloned())
                    .collect();
                assert!(
                    items.iter().any(|item| expected.contains(item)),
                    "{path}: `{key}` changed, but the report names no change to {items:?} (it names {expected:?})\n--- before\n{}\n--- after\n{}",
                    old_block.map_or("", |b| b.0.as_str()),
                    new_block.map_or("", |b| b.0.as_str()),
                );
            }
        }
        // Nothing moves: the blocks present in both keep their order.
        let common =
            |blocks: &[Block], other: &BTreeMap<String, (String, Vec<String>)>| -> Vec<String> {
                // Blocks of comments alone (no key) are documentation, such as a
                // tag module's example, which follows the operations.
                blocks
                    .iter()
                    .filter(|b| !b.key.is_empty() && other.contains_key(&b.key))
                    .map(|b| b.key.clone())
                    .collect()
            };
        assert_eq!(
            common(&before, &new_blocks),
            common(&after, &old_blocks),
            "{path}: blocks moved"
        );
    }
}

fn evolution(version: &str) -> std::path::PathBuf {
    common::workspace_root().join(format!("generator/tests/fixtures/evolution/{version}.yaml"))
}

#[test]
fn an_added_component_named_like_an_inline_type_renames_nothing() {
    let (old, new) = (generate(&evolution("v1")), generate(&evolution("v2")));
    let name_of = |api: &Api, id: &str| api.types.get(id).map(|def| def.name.clone());
    let inline = "#/components/schemas/message/properties/author";
    assert_eq!(
        name_of(old.surface.api(), inline).as_deref(),
        Some("MessageAuthor")
    );
    assert_eq!(
        name_of(new.surface.api(), inline).as_deref(),
        Some("MessageAuthor"),
        "the existing inline type keeps its name"
    );
    assert_eq!(
        name_of(new.surface.api(), "#/components/schemas/messageAuthor").as_deref(),
        Some("MessageAuthor2"),
        "the newcomer yields"
    );
    // Every type of v1 keeps its name in v2.
    for (id, def) in &old.surface.api().types {
        assert_eq!(
            name_of(new.surface.api(), id).as_ref(),
            Some(&def.name),
            "{id}"
        );
    }
}

#[test]
fn consecutive_fixture_versions_change_only_the_reported_items() {
    assert_changes_stay_within_reported_items(&evolution("v1"), &evolution("v2"));
    assert_changes_stay_within_reported_items(&evolution("v2"), &evolution("v3"));
}

/// The blocks and the items they belong to.
#[test]
fn blocks_are_keyed_by_the_items_they_declare() {
    let text = "/// A.\npub struct A {\n    pub x: i32,\n}\n\n/// B.\npub struct B {}\n\nimpl B {\n    /// New.\n    pub fn new() -> Self {\n        Self {}\n    }\n\n    /// Other.\n    pub fn other(&self) {}\n}\n";
    let blocks = blocks(text);
    let items: Vec<&[String]> = blocks.iter().map(|b| b.items.as_slice()).collect();
    assert_eq!(
        items,
        [&["A"][..], &["B"], &["B"], &["B", "new"], &["B", "other"]]
            .map(|s| s.iter().map(|x| x.to_string()).collect::<Vec<_>>())
    );
    assert_eq!(blocks[3].key, "impl B { :: pub fn new() -> Self {");
    assert_eq!(declared("impl From<Kind> for String {"), "Kind");
    assert_eq!(declared("impl<'de> Deserialize<'de> for Kind {"), "Kind");
    assert_eq!(
        declared("impl Call<types::Page, ListPagesError> {"),
        "ListPagesError"
    );
}

/// The published versions in turn, documentation aside (the report is about
/// code; upstream rewrites descriptions in every release).
#[test]
fn consecutive_upstream_versions_change_only_the_reported_items() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    for pair in specs.windows(2) {
        assert_changes_stay_within_reported_items(&pair[0].1, &pair[1].1);
    }
}
