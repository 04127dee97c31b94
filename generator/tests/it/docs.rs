//! The documentation of the crates generated from the published specs reads
//! well in rustdoc: no Redoc anchors (`#operation/…`, `#tag/…`, `#section/…`)
//! and no raw HTML left in doc comments, links into the crate that name real
//! items, the document's own headings nested under the crate page's "About the
//! API", and an example in every tag module that can have one.
//!
//! That the links resolve and the HTML is gone in rustdoc's eyes too is proven
//! by `generated_crates`, which documents these crates with
//! `rustdoc::broken_intra_doc_links` and `rustdoc::invalid_html_tags` denied.

use crate::common;

use std::collections::BTreeSet;

use codegen::{CrateConfig, Generated, Selection};

fn generate(spec: &std::path::Path, tags: &[&str]) -> Generated {
    let bytes = std::fs::read(spec).unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
    let selection = Selection {
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    };
    codegen::generate(&bytes, &selection, &CrateConfig::default()).unwrap_or_else(|diagnostics| {
        panic!("{} does not generate:\n{diagnostics}", spec.display())
    })
}

/// The text of every doc comment (`///`, `//!`) in the crate's Rust files,
/// with the file it is in, fenced code blocks left out.
fn doc_text(generated: &Generated) -> Vec<(String, String)> {
    let mut lines = Vec::new();
    for (path, contents) in &generated.files {
        if !path.ends_with(".rs") {
            continue;
        }
        let mut in_fence = false;
        for line in contents.lines() {
            let trimmed = line.trim_start();
            let Some(text) = trimmed
                .strip_prefix("//!")
                .or_else(|| trimmed.strip_prefix("///"))
            else {
                continue;
            };
            if text.trim_start().starts_with("```") {
                in_fence = !in_fence;
            } else if !in_fence {
                lines.push((path.clone(), text.to_owned()));
            }
        }
    }
    lines
}

/// `text` without its code spans.
fn outside_code(text: &str) -> String {
    text.split('`').step_by(2).collect::<Vec<_>>().join(" ")
}

/// Links to an anchor of the document's web page: `](#…)`.
fn redoc_links(text: &str) -> usize {
    outside_code(text).matches("](#").count()
}

/// Raw HTML tags: a `<` that starts a tag name or a closing tag, not an autolink.
fn html_tags(text: &str) -> Vec<String> {
    let text = outside_code(text);
    text.match_indices('<')
        .map(|(at, _)| &text[at + 1..])
        .filter(|rest| {
            rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
                && !rest.starts_with("http://")
                && !rest.starts_with("https://")
        })
        .map(|rest| rest.chars().take(12).collect())
        .collect()
}

/// The targets of intra-doc links into the crate: `](crate::…)`.
fn crate_links(text: &str) -> Vec<String> {
    outside_code(text)
        .split("](crate::")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|path| format!("crate::{path}"))
        .collect()
}

/// Every item a link may name: operation methods, tag modules, types.
fn items(generated: &Generated) -> BTreeSet<String> {
    let surface = &generated.surface;
    let api = surface.api();
    let mut items = BTreeSet::new();
    for group in &api.groups {
        let names = surface.group(group);
        items.insert(format!("crate::apis::{}", names.module));
        for op in &group.operations {
            items.insert(format!(
                "crate::apis::{}::{}::{}",
                names.module,
                names.struct_name,
                surface.operation(op).method.trim_start_matches("r#")
            ));
        }
    }
    for def in api.types.values() {
        items.insert(format!("crate::types::{}", def.name));
    }
    items
}

#[test]
fn upstream_docs_have_no_redoc_anchors_nor_raw_html() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    for (version, spec) in specs {
        for tags in [&[][..], &["Switchboard Actions"][..]] {
            let generated = generate(&spec, tags);
            let label = format!("{version} {tags:?}");
            let docs = doc_text(&generated);
            let anchors: usize = docs.iter().map(|(_, text)| redoc_links(text)).sum();
            let html: Vec<(String, String)> = docs
                .iter()
                .flat_map(|(path, text)| {
                    html_tags(text).into_iter().map(move |t| (path.clone(), t))
                })
                .collect();
            let links: Vec<String> = docs
                .iter()
                .flat_map(|(_, text)| crate_links(text))
                .collect();
            println!(
                "{label}: {anchors} Redoc links, {} raw HTML tags, {} intra-doc links from descriptions",
                html.len(),
                links.iter().filter(|l| l.starts_with("crate::apis::") || l.starts_with("crate::types::")).count()
            );
            assert_eq!(anchors, 0, "{label}: Redoc anchors are left");
            assert!(html.is_empty(), "{label}: raw HTML is left: {html:?}");
            let items = items(&generated);
            for link in links.iter().filter(|l| l.starts_with("crate::apis::")) {
                assert!(
                    items.contains(link),
                    "{label}: `{link}` names no generated item"
                );
            }
        }
    }
}

/// 17.12.1's descriptions link to four operations and five tags; with all
/// operations generated, each link leads to its item.
#[test]
fn upstream_operation_and_tag_links_lead_to_their_items() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    let (_, spec) = specs
        .iter()
        .find(|(version, _)| *version == "17.12.1")
        .expect("17.12.1 is one of the published specs");
    let generated = generate(spec, &[]);
    let surface = &generated.surface;
    let api = surface.api();
    let method = |id: &str| {
        api.groups
            .iter()
            .find_map(|g| {
                g.operations.iter().find(|op| op.id == id).map(|op| {
                    let names = surface.group(g);
                    format!(
                        "crate::apis::{}::{}::{}",
                        names.module,
                        names.struct_name,
                        surface.operation(op).method
                    )
                })
            })
            .unwrap_or_else(|| panic!("operation {id} is generated"))
    };
    let module = |tag: &str| {
        api.groups
            .iter()
            .find(|g| g.tag == tag)
            .map(|g| format!("crate::apis::{}", surface.group(g).module))
            .unwrap_or_else(|| panic!("tag {tag} is generated"))
    };
    let linked: BTreeSet<String> = doc_text(&generated)
        .iter()
        .flat_map(|(_, text)| crate_links(text))
        .filter(|l| l.starts_with("crate::apis::"))
        .collect();
    // (The events' `type` fields, whose descriptions linked to `CreateWebhook`,
    // are written by the event structs themselves now, so they carry no doc.)
    let expected: BTreeSet<String> = [
        "DeleteAllMessages",
        "DeleteUser",
        "DeleteUserPersonalInformation",
    ]
    .into_iter()
    .map(method)
    .chain(
        ["Apps", "Conversations", "Switchboards", "Users", "Webhooks"]
            .into_iter()
            .map(module),
    )
    .collect();
    assert_eq!(linked, expected);
    // A section of the introduction has no item: its link becomes plain text.
    let all: String = generated.files.values().map(String::as_str).collect();
    assert!(all.contains("cursor pagination"));
    assert!(!all.contains("[cursor pagination]"));
}

#[test]
fn upstream_headings_nest_under_about_the_api() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    for (version, spec) in specs {
        let generated = generate(&spec, &[]);
        let lib = &generated.files["src/lib.rs"];
        let mut in_fence = false;
        let headings: Vec<usize> = lib
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .map(str::trim_start)
            .skip_while(|l| *l != "## About the API")
            .skip(1)
            .filter(|l| {
                in_fence ^= l.starts_with("```");
                !in_fence && l.starts_with('#')
            })
            .map(|l| l.chars().take_while(|&c| c == '#').count())
            .collect();
        assert!(
            lib.contains("//! ## About the API"),
            "{version}: the crate page has its About the API heading"
        );
        assert!(
            !headings.is_empty(),
            "{version}: the description has headings"
        );
        assert!(
            headings.iter().all(|&level| level >= 3),
            "{version}: a heading of the description stands beside or above About the API: {headings:?}"
        );
    }
}

/// Tag modules show a call of their most common operation; a module has none
/// only when every operation needs arguments that cannot be written simply.
#[test]
fn upstream_tag_modules_have_examples() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    let (_, spec) = specs
        .iter()
        .find(|(version, _)| *version == "17.12.1")
        .expect("17.12.1 is one of the published specs");
    let generated = generate(spec, &[]);
    let mut without = Vec::new();
    for group in &generated.surface.api().groups {
        let accessor = &generated.surface.group(group).module;
        let module = &generated.files[&format!("src/apis/{accessor}.rs")];
        let Some(example) = module.split("//! ```no_run\n").nth(1) else {
            without.push(accessor.clone());
            continue;
        };
        let call = format!("client.{accessor}().");
        assert!(
            example.contains(&call) && example.contains(".await?"),
            "{accessor}: the example calls the tag's accessor:\n{example}",
        );
    }
    // Activities too: its one operation's body is built with `new(..)` from
    // a string enum and a struct of its own.
    assert_eq!(without, Vec::<String>::new());
    let users = &generated.files["src/apis/users.rs"];
    assert!(
        users.contains("client.users().get_user("),
        "a read is preferred over creating or deleting"
    );
}
