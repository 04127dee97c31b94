//! OpenAPI 3.1 documents: each 3.1 construct generates what its 3.0
//! counterpart generates (the two written side by side, the crates compared
//! file by file), what 3.0 cannot say is warned about word for word, and the
//! public 3.1 documents in `../shared` generate.

use crate::common;

use std::path::Path;

use codegen::diagnostics::Diagnostics;
use codegen::{generate, CrateConfig, Files, Generated, Selection};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/v31")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn run(bytes: &[u8]) -> Result<Generated, Diagnostics> {
    generate(bytes, &Selection::default(), &CrateConfig::default())
}

#[track_caller]
fn generated(bytes: &[u8]) -> Generated {
    run(bytes).unwrap_or_else(|diagnostics| panic!("does not generate:\n{diagnostics}"))
}

/// The files with the line that records the document's SHA-256 taken out of
/// `Cargo.toml`: the one place two versions of one document must differ.
fn without_digest(files: &Files) -> Files {
    let mut files = files.clone();
    let manifest = files.get_mut("Cargo.toml").expect("a manifest");
    let before = manifest.lines().count();
    *manifest = manifest
        .lines()
        .filter(|line| !line.starts_with("spec-sha256 = "))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(
        manifest.lines().count(),
        before - 1,
        "the manifest records one SHA-256"
    );
    files
}

/// The two documents generate the same crate, apart from the recorded digest.
#[track_caller]
fn assert_same_crate(v30: &[u8], v31: &[u8]) {
    let old = generated(v30);
    let new = generated(v31);
    let (old_files, new_files) = (without_digest(&old.files), without_digest(&new.files));
    assert_eq!(
        old_files.keys().collect::<Vec<_>>(),
        new_files.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, text) in &old_files {
        assert!(
            new_files[path] == *text,
            "{path} differs:\n--- 3.0\n{text}\n--- 3.1\n{}",
            new_files[path]
        );
    }
    // The same warnings at the same pointers; their lines differ with the text.
    let located = |diagnostics: &Diagnostics| {
        diagnostics
            .sorted()
            .iter()
            .map(|d| (d.pointer.clone(), d.message.clone(), d.help.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        located(&old.diagnostics),
        located(&new.diagnostics),
        "the same warnings"
    );
}

#[test]
fn the_twin_fixture_generates_the_same_crate_from_3_0_and_3_1() {
    let (v30, v31) = (fixture("twin-3.0.yaml"), fixture("twin-3.1.yaml"));
    assert_same_crate(&v30, &v31);
    // And the two differ where they should: the recorded digest.
    let (old, new) = (generated(&v30), generated(&v31));
    assert_ne!(old.files["Cargo.toml"], new.files["Cargo.toml"]);
    assert_eq!(new.diagnostics.len(), 1, "{}", new.diagnostics);
}

#[test]
fn the_change_report_between_the_twins_is_empty() {
    let surface = |bytes: &[u8]| {
        codegen::decide_document(bytes, &Selection::default())
            .unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
            .surface
    };
    let report = codegen::diff::diff(
        &surface(&fixture("twin-3.0.yaml")),
        &surface(&fixture("twin-3.1.yaml")),
    );
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
}

/// A document with one operation answering with the component schema
/// `Thing`, written in `version`, whose properties are `properties` (YAML at
/// the indentation of `properties:`'s entries).
fn thing(version: &str, properties: &str) -> Vec<u8> {
    format!(
        "\
openapi: {version}
info: {{title: T, version: '1'}}
paths:
  /thing:
    get:
      operationId: getThing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
components:
  schemas:
    Other:
      type: object
      properties:
        id: {{type: string}}
    Thing:
      type: object
      properties:
{properties}"
    )
    .into_bytes()
}

/// `properties` in 3.1 generate what `properties_30` generate in 3.0.
#[track_caller]
fn assert_means(properties_31: &str, properties_30: &str) {
    assert_same_crate(
        &thing("3.0.3", properties_30),
        &thing("3.1.0", properties_31),
    );
}

/// The generated `types` text of a 3.1 `Thing` with `properties`.
fn types_of(properties: &str) -> String {
    let generated = generated(&thing("3.1.0", properties));
    generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/types"))
        .map(|(_, text)| text.as_str())
        .collect()
}

#[test]
fn null_in_a_type_list_is_nullable() {
    let properties = "        a: {type: [string, 'null']}\n";
    assert_means(properties, "        a: {type: string, nullable: true}\n");
    let types = types_of(properties);
    assert!(types.contains("pub a: Option<String>"), "{types}");
}

#[test]
fn a_null_member_of_a_union_is_nullable() {
    assert_means(
        "        a:\n          anyOf: [{type: integer}, {type: 'null'}]\n        b:\n          description: The other.\n          oneOf: [{$ref: '#/components/schemas/Other'}, {type: 'null'}]\n",
        "        a: {type: integer, nullable: true}\n        b:\n          description: The other.\n          nullable: true\n          allOf: [{$ref: '#/components/schemas/Other'}]\n",
    );
}

#[test]
fn a_union_keeps_its_members_other_than_null() {
    assert_means(
        "        a:\n          oneOf: [{type: integer}, {type: string}, {type: 'null'}]\n",
        "        a:\n          nullable: true\n          oneOf: [{type: integer}, {type: string}]\n",
    );
}

#[test]
fn const_is_a_single_value_enum() {
    let properties = "        kind: {type: string, const: thing}\n";
    assert_means(properties, "        kind: {type: string, enum: [thing]}\n");
}

#[test]
fn the_first_of_examples_is_the_example() {
    assert_means(
        "        a: {type: integer, examples: [3, 4]}\n",
        "        a: {type: integer, example: 3}\n",
    );
}

#[test]
fn a_ref_keeps_the_docs_beside_it() {
    let properties = "        a:\n          $ref: '#/components/schemas/Other'\n          description: The other thing.\n";
    assert_means(
        properties,
        "        a:\n          description: The other thing.\n          allOf: [{$ref: '#/components/schemas/Other'}]\n",
    );
    assert!(types_of(properties).contains("/// The other thing."));
}

#[test]
fn numeric_exclusive_bounds_are_the_3_0_bounds() {
    assert_means(
        "        a: {type: number, exclusiveMinimum: 0, exclusiveMaximum: 10}\n",
        "        a: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}\n",
    );
}

#[test]
fn encoded_content_is_a_byte_or_binary_format() {
    assert_means(
        "        a: {type: string, contentEncoding: base64}\n        b: {type: string, contentMediaType: image/png}\n        c: {type: string, contentMediaType: text/plain}\n",
        "        a: {type: string, format: byte}\n        b: {type: string, format: binary}\n        c: {type: string}\n",
    );
}

#[test]
fn a_ref_into_defs_is_the_definition() {
    assert_means(
        "        a: {$ref: '#/components/schemas/Thing/$defs/inner'}\n      $defs:\n        inner:\n          type: object\n          properties:\n            x: {type: integer}\n",
        "        a:\n          type: object\n          properties:\n            x: {type: integer}\n",
    );
}

#[test]
fn property_names_and_schema_identifiers_change_nothing() {
    assert_means(
        "        a: {type: object, propertyNames: {maxLength: 3}, $comment: keys, additionalProperties: {type: string}}\n",
        "        a: {type: object, additionalProperties: {type: string}}\n",
    );
}

#[test]
fn webhooks_without_paths_give_the_webhook_events() {
    let v31 = "\
openapi: 3.1.0
info: {title: T, version: '1'}
webhooks:
  Thing Event:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                events:
                  type: array
                  items:
                    oneOf:
                      - {$ref: '#/components/schemas/thingMade'}
      responses:
        '200': {description: Received.}
components:
  schemas:
    thingMade:
      title: 'thing:made'
      type: object
      properties:
        id: {type: string}
";
    // The same webhook in 3.0: `x-webhooks`, and `paths` it must have.
    let v30 = v31
        .replacen("openapi: 3.1.0", "openapi: 3.0.3", 1)
        .replacen("webhooks:", "paths: {}\nx-webhooks:", 1);
    assert_same_crate(v30.as_bytes(), v31.as_bytes());
    let generated = generated(v31.as_bytes());
    let api = generated.surface.api();
    assert_eq!(api.operations().count(), 0);
    assert_eq!(api.webhooks.len(), 1);
    assert_eq!(api.webhooks[0].name, "Thing Event");
    assert!(api.webhooks[0].events.is_some(), "the events are listed");
    let webhooks = &generated.files["src/webhooks.rs"];
    assert!(
        webhooks.contains("Receiver<types::ThingEvent>"),
        "{webhooks}"
    );
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("ThingMade(ThingMadeEvent)"), "{types}");
}

#[test]
fn a_webhook_problem_is_located_in_the_webhooks_section() {
    let generated = generated(
        b"\
openapi: 3.1.0
info: {title: T, version: '1'}
webhooks:
  ping:
    post:
      responses:
        '200': {description: Received.}
",
    );
    assert_eq!(
        generated.diagnostics.to_string(),
        "\
warning: webhook without a request body; there is no payload type to generate
  --> #/webhooks/ping/post (line 5, column 5)
"
    );
}

#[test]
fn a_path_item_ref_that_leads_nowhere_is_an_error() {
    let diagnostics = run(b"\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /a:
    $ref: '#/components/pathItems/missing'
components:
  pathItems: {}
")
    .expect_err("a dangling path item reference");
    assert_eq!(
        diagnostics.to_string(),
        "\
error: `#/components/pathItems/missing` does not name a path item of `components/pathItems`
  --> #/paths/~1a/$ref (line 5, column 5)
"
    );
}

/// What 3.0 cannot say: a located warning each, and the schema read as any
/// JSON value.
#[test]
fn unsupported_keywords_are_warned_about_and_read_as_any_value() {
    let properties = "        a: {$dynamicRef: '#node'}
        b:
          type: object
          if: {properties: {x: {const: 1}}}
          then: {required: [y]}
        c:
          description: Closed.
          type: object
          unevaluatedProperties: false
        d: {type: [string, integer]}
        e: {type: array, prefixItems: [{type: string}, {type: integer}]}
";
    let mut document = String::from_utf8(thing("3.1.0", properties)).expect("UTF-8");
    document = document.replacen(
        "info:",
        "jsonSchemaDialect: https://json-schema.org/draft/2020-12/schema\ninfo:",
        1,
    );
    let generated = generated(document.as_bytes());
    assert_eq!(
        generated.diagnostics.to_string(),
        "\
warning: the schema dialect \"https://json-schema.org/draft/2020-12/schema\" is not supported; schemas are read as the OpenAPI 3.1 base dialect
  --> #/jsonSchemaDialect (line 2, column 1)
  help: write `jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base`, or leave it out
warning: `$dynamicRef` cannot be expressed in Rust types; this schema is read as any JSON value (`serde_json::Value`)
  --> #/components/schemas/Thing/properties/a/$dynamicRef (line 23, column 9)
warning: `if` cannot be expressed in Rust types; this schema is read as any JSON value (`serde_json::Value`)
  --> #/components/schemas/Thing/properties/b/if (line 26, column 11)
warning: `unevaluatedProperties` cannot be expressed in Rust types; this schema is read as any JSON value (`serde_json::Value`)
  --> #/components/schemas/Thing/properties/c/unevaluatedProperties (line 31, column 11)
warning: a value of any of the types `string`, `integer` cannot be one Rust type; this schema is read as any JSON value (`serde_json::Value`)
  --> #/components/schemas/Thing/properties/d/type (line 32, column 9)
warning: `prefixItems` (a tuple) cannot be expressed in Rust types; the array's items are read as any JSON value (`serde_json::Value`)
  --> #/components/schemas/Thing/properties/e/prefixItems (line 33, column 9)
"
    );
    let types: String = generated
        .files
        .iter()
        .filter(|(path, _)| path.starts_with("src/types"))
        .map(|(_, text)| text.as_str())
        .collect();
    for field in ["a", "b", "c", "d"] {
        assert!(
            types.contains(&format!("pub {field}: Option<serde_json::Value>")),
            "{field} is any JSON value:\n{types}"
        );
    }
    assert!(
        types.contains("pub e: Option<Vec<serde_json::Value>>"),
        "{types}"
    );
}

/// Adyen publishes its APIs as OpenAPI 3.1; two of them are in the shared
/// folder (see its SOURCES.md).
#[test]
fn the_public_3_1_documents_generate() {
    let dir = common::workspace_root().join("../shared/specs/public");
    let names = ["BinLookupService-v54.json", "RecurringService-v68.json"];
    if !names.iter().all(|name| dir.join(name).is_file()) {
        common::skip_unless_ci(&format!(
            "the public 3.1 documents are not in {} (the shared folder beside the project checkout)",
            dir.display()
        ));
        return;
    }
    for name in names {
        let bytes = std::fs::read(dir.join(name)).expect("readable");
        let generated = run(&bytes)
            .unwrap_or_else(|diagnostics| panic!("{name} does not generate:\n{diagnostics}"));
        let api = generated.surface.api();
        assert!(api.operations().count() > 0, "{name} has operations");
        assert!(!api.types.is_empty(), "{name} has types");
    }
}
