//! What the generator says about bad documents, pinned word for word (the way
//! compiler UI tests pin error output), and what it makes of valid but
//! awkward ones.
//!
//! Each bad document is a small fixture in `fixtures/bad/`; the expected text
//! is the rendered report (`Diagnostics`' `Display`: errors first, each with
//! its JSON pointer, position and help).

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use codegen::diagnostics::{Diagnostics, Severity};
use codegen::{generate, CrateConfig, Generated, Selection};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn run(bytes: &[u8]) -> Result<Generated, Diagnostics> {
    generate(bytes, &Selection::default(), &CrateConfig::default())
}

/// Generation must fail, and report exactly `expected`.
#[track_caller]
fn assert_rejected(bytes: &[u8], expected: &str) {
    match run(bytes) {
        Ok(generated) => panic!(
            "expected errors, but generation succeeded with {} files and these diagnostics:\n{}",
            generated.files.len(),
            generated.diagnostics
        ),
        Err(diagnostics) => {
            assert_eq!(
                diagnostics.to_string(),
                expected,
                "\nactual report:\n{diagnostics}"
            );
            assert_well_formed(&diagnostics);
        }
    }
}

#[track_caller]
fn assert_fixture_rejected(name: &str, expected: &str) {
    assert_rejected(&fixture(&format!("bad/{name}")), expected);
}

/// Every diagnostic of a failed run is located and says something; errors come first.
#[track_caller]
fn assert_well_formed(diagnostics: &Diagnostics) {
    assert!(
        diagnostics.has_errors(),
        "a failed run reports at least one error"
    );
    let sorted = diagnostics.sorted();
    for diagnostic in &sorted {
        assert!(
            diagnostic.pointer.starts_with('#'),
            "pointer {:?}",
            diagnostic.pointer
        );
        assert!(
            !diagnostic.message.trim().is_empty(),
            "empty message at {}",
            diagnostic.pointer
        );
    }
    let first_warning = sorted
        .iter()
        .position(|d| d.severity == Severity::Warning)
        .unwrap_or(sorted.len());
    assert!(
        sorted[first_warning..]
            .iter()
            .all(|d| d.severity == Severity::Warning),
        "errors come before warnings"
    );
}

/// Runs `f` and checks it returned within `limit`.
#[track_caller]
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    let elapsed = started.elapsed();
    assert!(
        elapsed < limit,
        "{what} took {elapsed:?}, more than {limit:?}"
    );
    result
}

// ---------------------------------------------------------------------------
// Not an OpenAPI 3.0 document at all.
// ---------------------------------------------------------------------------

#[test]
fn empty_file() {
    let expected = "\
error: the document is empty
  --> #
  help: expected an OpenAPI 3.0 document starting with `openapi: 3.0.x`
";
    assert_fixture_rejected("empty.yaml", expected);
    assert_rejected(b"  \n\n\t\n", expected);
}

#[test]
fn not_yaml() {
    assert_fixture_rejected(
        "not-yaml.yaml",
        "\
error: the document is not valid YAML: did not find expected ',' or ']', while parsing a flow sequence at line 1 column 4
  --> # (line 2, column 1)
",
    );
}

#[test]
fn binary_garbage_that_is_not_utf8() {
    assert_rejected(
        b"\xff\xfe\x00\x80garbage",
        "\
error: the document is not UTF-8 text: byte 0xFF is not valid here
  --> # (line 1, column 1)
  help: OpenAPI documents are YAML or JSON text files in UTF-8
",
    );
    // The position is that of the first bad byte.
    let mut bytes = "openapi: 3.0.3\ninfo: {title: \u{e9}t\u{e9}"
        .as_bytes()
        .to_vec();
    bytes.extend(b"\xC3(\n");
    assert_rejected(
        &bytes,
        "\
error: the document is not UTF-8 text: byte 0xC3 is not valid here
  --> # (line 2, column 18)
  help: OpenAPI documents are YAML or JSON text files in UTF-8
",
    );
}

#[test]
fn text_cut_inside_a_character() {
    // `€` is E2 82 AC; the file ends after two of its three bytes.
    assert_rejected(
        b"openapi: 3.0.3\ninfo: {title: \xE2\x82",
        "\
error: the document is not UTF-8 text: it ends in the middle of a character
  --> # (line 2, column 15)
  help: OpenAPI documents are YAML or JSON text files in UTF-8
",
    );
}

#[test]
fn binary_garbage_with_nul_bytes() {
    assert_rejected(
        b"openapi: 3.0.3\n\x00\x00\x00\x00info: {}\n",
        "\
error: the document contains the control character U+0000
  --> # (line 2, column 1)
  help: YAML text allows tabs and line breaks but no other control characters; is this a binary file?
",
    );
    assert_rejected(
        &[0u8; 64],
        "\
error: the document contains the control character U+0000
  --> # (line 1, column 1)
  help: YAML text allows tabs and line breaks but no other control characters; is this a binary file?
",
    );
}

#[test]
fn swagger_2_document() {
    assert_fixture_rejected(
        "swagger-2.yaml",
        "\
error: Swagger `2.0` documents are not supported; only OpenAPI 3.0.x documents are
  --> #/swagger (line 1, column 1)
  help: convert the document to OpenAPI 3.0 first
",
    );
}

#[test]
fn openapi_3_1_document_names_the_supported_versions() {
    assert_fixture_rejected(
        "openapi-3.1.yaml",
        "\
error: OpenAPI version `3.1.0` is not supported; only OpenAPI 3.0.x documents are
  --> #/openapi (line 1, column 1)
  help: OpenAPI 3.1 changed how schemas are written (JSON Schema 2020-12); convert the document to 3.0
",
    );
}

#[test]
fn openapi_version_written_as_a_number() {
    assert_rejected(
        b"openapi: 3.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
        "\
error: the OpenAPI version must be a string, found the number 3.0
  --> #/openapi (line 1, column 1)
  help: quote it, and give all three parts: `openapi: '3.0.3'`; only OpenAPI 3.0.x is supported
",
    );
}

#[test]
fn document_that_is_not_a_mapping() {
    assert_rejected(
        b"- openapi: 3.0.3\n",
        "\
error: the document must be a mapping, found a sequence
  --> #
  help: expected an OpenAPI 3.0 document starting with `openapi: 3.0.x`
",
    );
}

// ---------------------------------------------------------------------------
// Wrong types at several levels: the pointer names the offending value.
// ---------------------------------------------------------------------------

#[test]
fn paths_is_a_number() {
    assert_fixture_rejected(
        "paths-number.yaml",
        "\
error: `paths` must be a mapping, found a number
  --> #/paths (line 3, column 1)
",
    );
}

#[test]
fn info_is_a_sequence() {
    assert_fixture_rejected(
        "info-sequence.yaml",
        "\
error: `info` must be a mapping, found a sequence
  --> #/info (line 2, column 1)
",
    );
}

#[test]
fn schema_properties_is_a_number() {
    assert_fixture_rejected(
        "properties-number.yaml",
        "\
error: `properties` must be a mapping, found a number
  --> #/components/schemas/User/properties (line 8, column 7)
",
    );
}

#[test]
fn parameter_in_body() {
    assert_fixture_rejected(
        "parameter-in-body.yaml",
        "\
error: `in: body` is Swagger 2.0; OpenAPI 3.0 parameters are `in` `query`, `header`, `path` or `cookie`
  --> #/paths/~1users/post/parameters/0/in (line 9, column 11)
  help: describe the body with the operation's `requestBody` instead
",
    );
}

#[test]
fn structural_problems_are_all_reported_in_one_run() {
    assert_fixture_rejected(
        "structure-problems.yaml",
        "\
error: `version` must be a string, found a number
  --> #/info/version (line 5, column 3)
  help: quote it: `version: '1.0'`
error: `required` must be a boolean, found a string
  --> #/paths/~1users~1{userId}/get/parameters/0/required (line 11, column 9)
error: the parameter has no `name`, which is required
  --> #/paths/~1users~1{userId}/get/parameters/1 (line 12, column 9)
error: the response has no `description`, which is required
  --> #/paths/~1users~1{userId}/get/responses/200 (line 14, column 9)
error: `maxLength` must be a non-negative integer, found a number
  --> #/paths/~1users~1{userId}/get/responses/200/content/application~1json/schema/properties/name/maxLength (line 20, column 19)
error: `items` must be a mapping, found a sequence
  --> #/paths/~1users~1{userId}/get/responses/200/content/application~1json/schema/properties/tags/items (line 21, column 19)
error: `allOf` must be a sequence, found a mapping
  --> #/components/schemas/Broken/allOf (line 27, column 5)
warning: `users` does not start with `/`; it is not a path and is ignored
  --> #/paths/users (line 22, column 3)
  help: paths are relative to the server URL and start with `/`
",
    );
}

#[test]
fn required_true_inside_schemas_generates_with_warnings() {
    let generated = run(b"\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /a:
    get:
      operationId: a
      parameters:
        - {name: q, in: query, schema: {type: string, required: true}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  x: {type: string, required: true}
")
    .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert_eq!(
        generated.diagnostics.to_string(),
        "\
warning: `required: true` inside a schema is not valid JSON Schema; it is ignored
  --> #/paths/~1a/get/parameters/0/schema/required (line 8, column 9)
  help: a parameter's `required` goes beside its `schema`; a property is required when the parent lists it in `required`
warning: `required: true` inside a property schema is not valid JSON Schema
  --> #/paths/~1a/get/responses/200/content/application~1json/schema/properties/x/required (line 17, column 19)
  help: list `x` in the parent schema's `required` array instead; treated that way
"
    );
    // The property is required, the parameter is not.
    let operation = generated
        .surface
        .api()
        .operations()
        .next()
        .expect("one operation");
    assert!(!operation.query_and_header_params[0].required);
    assert!(generated.files["src/types.rs"].contains("pub x: String,"));
}

// ---------------------------------------------------------------------------
// References.
// ---------------------------------------------------------------------------

#[test]
fn dangling_schema_ref() {
    assert_fixture_rejected(
        "dangling-schema-ref.yaml",
        "\
error: `$ref: #/components/schemas/Missing` points at nothing
  --> #/paths/~1users/get/responses/200/content/application~1json/schema/$ref (line 12, column 15)
  help: define `Missing` under `components/schemas`, or fix the reference
",
    );
}

#[test]
fn dangling_parameter_ref() {
    assert_fixture_rejected(
        "dangling-parameter-ref.yaml",
        "\
error: `$ref: #/components/parameters/Missing` points at nothing
  --> #/paths/~1users/get/parameters/0/$ref (line 8, column 11)
  help: define `Missing` under `components/parameters`, or fix the reference
",
    );
}

#[test]
fn dangling_response_ref() {
    assert_fixture_rejected(
        "dangling-response-ref.yaml",
        "\
error: `$ref: #/components/responses/Missing` points at nothing
  --> #/paths/~1users/get/responses/404/$ref (line 9, column 9)
  help: define `Missing` under `components/responses`, or fix the reference
",
    );
}

#[test]
fn ref_into_another_file() {
    assert_fixture_rejected(
        "external-ref.yaml",
        "\
error: `$ref: other.yaml#/components/schemas/X` points into another document
  --> #/paths/~1users/get/responses/200/content/application~1json/schema/$ref (line 12, column 15)
  help: schemas must be referenced as `#/components/schemas/<name>` in this same document
",
    );
}

#[test]
fn ref_cycle_without_a_concrete_type() {
    let expected = "\
error: this schema refers to itself without ever becoming an object, enum or union
  --> #/components/schemas/A (line 15, column 5)
  help: a `$ref` cycle needs a concrete object type somewhere in the loop
";
    // A: {$ref: B}, B: {$ref: A}
    assert_fixture_rejected("ref-cycle.yaml", expected);
    // A: {type: array, items: {$ref: A}}
    assert_fixture_rejected("ref-cycle-array.yaml", expected);
}

// ---------------------------------------------------------------------------
// Operations.
// ---------------------------------------------------------------------------

#[test]
fn duplicate_operation_ids() {
    assert_fixture_rejected(
        "duplicate-operation-id.yaml",
        "\
error: operationId `list` is also used at #/paths/~1users/get
  --> #/paths/~1apps/get/operationId (line 11, column 7)
  help: every operationId must be unique
",
    );
}

#[test]
fn operation_without_operation_id_gets_a_stable_derived_name() {
    let spec = b"\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /v2/apps/{appId}/users:
    parameters:
      - {name: appId, in: path, required: true, schema: {type: string}}
    get:
      responses:
        '200': {description: ok}
    post:
      responses:
        '201': {description: created}
";
    let names = |generated: &Generated| -> Vec<(String, String)> {
        generated
            .surface
            .api()
            .operations()
            .map(|op| {
                (
                    op.id.clone(),
                    generated.surface.operation(op).method.clone(),
                )
            })
            .collect()
    };
    let generated = run(spec).unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert!(
        generated.diagnostics.is_empty(),
        "{}",
        generated.diagnostics
    );
    assert_eq!(
        names(&generated),
        [
            (
                "get_v2_apps_appId_users".to_owned(),
                "get_v2_apps_app_id_users".to_owned()
            ),
            (
                "post_v2_apps_appId_users".to_owned(),
                "post_v2_apps_app_id_users".to_owned()
            ),
        ]
    );
    let code: String = generated.files.values().cloned().collect();
    assert!(
        code.contains("pub fn get_v2_apps_app_id_users("),
        "the method is generated"
    );
    // Stable: the same document gives the same names, every time.
    assert_eq!(names(&run(spec).expect("generates")), names(&generated));
}

#[test]
fn path_template_parameter_not_declared_becomes_a_str_argument() {
    let generated = run(&fixture("undeclared-path-parameter.yaml"))
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert_eq!(
        generated.diagnostics.to_string(),
        "\
warning: the path `/apps/{appId}/users/{userId}` uses `{userId}`, which is not declared as a path parameter; it becomes a `&str` argument
  --> #/paths/~1apps~1{appId}~1users~1{userId}/get (line 5, column 5)
  help: add a parameter with `name: userId` and `in: path` to the operation or its path item
"
    );
    let code = &generated.files["src/apis/default.rs"];
    assert!(
        code.contains("pub fn get_user(&self, app_id: &str, user_id: &str)"),
        "{code}"
    );
    assert!(code.contains(".path_params(&[app_id, user_id])"), "{code}");
}

#[test]
fn several_problems_are_all_reported_errors_first() {
    assert_fixture_rejected(
        "many-problems.yaml",
        "\
error: operationId `getUser` is also used at #/paths/~1users~1{userId}/get
  --> #/paths/~1users/get/operationId (line 13, column 7)
  help: every operationId must be unique
error: `$ref: #/components/schemas/App` points at nothing
  --> #/paths/~1apps/post/requestBody/content/application~1json/schema/$ref (line 24, column 13)
  help: define `App` under `components/schemas`, or fix the reference
error: `$ref: #/components/schemas/Missing` points at nothing
  --> #/components/schemas/User/properties/app/$ref (line 37, column 9)
  help: define `Missing` under `components/schemas`, or fix the reference
warning: `required: true` inside a property schema is not valid JSON Schema
  --> #/components/schemas/User/properties/id/required (line 36, column 9)
  help: list `id` in the parent schema's `required` array instead; treated that way
warning: the path `/users/{userId}` uses `{userId}`, which is not declared as a path parameter; it becomes a `&str` argument
  --> #/paths/~1users~1{userId}/get (line 7, column 5)
  help: add a parameter with `name: userId` and `in: path` to the operation or its path item
warning: cookie parameter `session` is not supported; the operation is generated without it
  --> #/paths/~1apps/post/parameters/0 (line 20, column 9)
",
    );
}

// ---------------------------------------------------------------------------
// Hostile input: bounded time and memory, no stack overflow.
// ---------------------------------------------------------------------------

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

#[test]
fn alias_bomb() {
    let bytes = fixture("bad/alias-bomb.yaml");
    within(Duration::from_secs(20), "the billion laughs", || {
        assert_rejected(
            &bytes,
            "\
error: the document is not valid YAML: its aliases (`*name`) expand to too many values
  --> #
  help: this looks like a \"billion laughs\" document; write the values out or use `$ref`
",
        )
    });
}

#[test]
fn deeply_nested_flow_sequences() {
    let n = 100_000;
    let spec = format!("{HEAD}x-deep: {}{}\n", "[".repeat(n), "]".repeat(n));
    within(Duration::from_secs(10), "100 000 nested `[`", || {
        assert_rejected(
            spec.as_bytes(),
            "\
error: the document nests `[` and `{` more than 256 levels deep
  --> # (line 4, column 265)
  help: OpenAPI documents need only a few levels; this looks like a damaged or hostile file
",
        )
    });
}

#[test]
fn deeply_nested_flow_mappings() {
    let n = 100_000;
    let yaml = format!("{HEAD}x-deep: {}1{}\n", "{a: ".repeat(n), "}".repeat(n));
    let json = format!(
        "{{\"openapi\": \"3.0.3\", \"x\": {}1{}}}",
        "{\"a\": ".repeat(n),
        "}".repeat(n)
    );
    for (what, spec, column) in [("YAML", yaml, 1033), ("JSON", json, 1557)] {
        within(
            Duration::from_secs(10),
            &format!("100 000 nested {what} mappings"),
            || {
                assert_rejected(
                    spec.as_bytes(),
                    &format!(
                        "\
error: the document nests `[` and `{{` more than 256 levels deep
  --> # (line {}, column {column})
  help: OpenAPI documents need only a few levels; this looks like a damaged or hostile file
",
                        if what == "YAML" { 4 } else { 1 }
                    ),
                )
            },
        );
    }
}

#[test]
fn deeply_nested_block_collections() {
    let expected = "error: the document is not valid YAML: it is nested more than 128 levels deep";
    // Block sequences nest without indentation: `- - - - ...` on one line.
    let sequences = format!("{HEAD}x-deep: \n{}x\n", "- ".repeat(100_000));
    // Block mappings need one more indentation step per level.
    let mut mappings = format!("{HEAD}x-deep:\n");
    for level in 1..=1_000 {
        mappings.push_str(&" ".repeat(level));
        mappings.push_str("a:\n");
    }
    for (what, spec) in [("block sequences", sequences), ("block mappings", mappings)] {
        let diagnostics = within(Duration::from_secs(20), what, || {
            run(spec.as_bytes()).expect_err(what)
        });
        assert_well_formed(&diagnostics);
        let report = diagnostics.to_string();
        assert!(report.starts_with(expected), "{what}:\n{report}");
    }
}

/// A document whose schema `Deep` nests `levels` times through `step`, a
/// one-line YAML fragment ending in the key that holds the next level.
fn nested_schema(step: &str, levels: usize) -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /deep:\n    get:\n      \
         operationId: deep\n      responses:\n        '200':\n          description: ok\n          \
         content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Deep'}\n\
         components:\n  schemas:\n    Deep:\n",
    );
    let mut indent = 6;
    for _ in 0..levels {
        for line in step.lines() {
            spec.push_str(&format!("{:indent$}{line}\n", ""));
        }
        indent += 2 * step.lines().count().max(1);
    }
    spec.push_str(&format!("{:indent$}type: string\n", ""));
    spec
}

#[test]
fn deeply_nested_schemas_within_the_yaml_limit() {
    // Within the YAML nesting limit, deep schemas make deeply nested Rust
    // types (`Vec<Vec<...>>`); formatting them must not overflow the stack,
    // even when the caller runs on a small one.
    let cases = [
        ("arrays", "type: array\nitems:", 63, true),
        ("maps", "type: object\nadditionalProperties:", 63, true),
        ("objects", "type: object\nproperties:\n  next:", 40, true),
        ("allOf", "allOf:\n  -", 60, true),
        (
            "arrays beyond the schema limit",
            "type: array\nitems:",
            100,
            false,
        ),
    ];
    for (what, step, levels, generates) in cases {
        let spec = nested_schema(step, levels);
        let outcome = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(move || run(spec.as_bytes()).map(|g| g.files.len()))
            .expect("thread")
            .join()
            .unwrap_or_else(|_| panic!("{what}: panicked"));
        match outcome {
            Ok(files) => {
                assert!(generates, "{what}: generated, but an error was expected");
                assert!(files > 0);
            }
            Err(diagnostics) => {
                assert_well_formed(&diagnostics);
                assert!(
                    !generates,
                    "{what} ({levels} levels) does not generate:\n{diagnostics}"
                );
                let report = diagnostics.to_string();
                assert!(
                    report.contains("schemas are nested more than 64 levels deep here"),
                    "{what}:\n{report}"
                );
            }
        }
    }
}

#[test]
fn truncated_copies_of_the_published_spec() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    let (_, path) = specs
        .iter()
        .find(|(version, _)| *version == "17.12.1")
        .expect("17.12.1 is listed");
    let spec = std::fs::read(path).expect("spec readable");
    let len = spec.len();
    let mut cuts: Vec<(String, usize)> = [1, 10, 25, 50, 75, 90, 99]
        .iter()
        .map(|percent| (format!("{percent}%"), len * percent / 100))
        .collect();
    // In the middle of a line, and right after a line break.
    let half = len / 2;
    let line_start = half
        - spec[..half]
            .iter()
            .rev()
            .position(|&b| b == b'\n')
            .unwrap_or(0);
    let line_end = half + spec[half..].iter().position(|&b| b == b'\n').unwrap_or(0);
    cuts.push(("mid-line".to_owned(), (line_start + line_end) / 2));
    cuts.push(("line start".to_owned(), line_start));
    // Inside a `$ref` string, and inside a multi-byte character.
    let reference = find(&spec, b"$ref: '#/components/schemas/").expect("the spec has references");
    cuts.push(("inside a $ref".to_owned(), reference + 20));
    if let Some(multibyte) = spec.iter().position(|&b| b >= 0xC0) {
        cuts.push(("inside a character".to_owned(), multibyte + 1));
    }
    for (what, cut) in cuts {
        let result = within(Duration::from_secs(30), &format!("cut at {what}"), || {
            run(&spec[..cut])
        });
        match result {
            Ok(generated) => println!(
                "cut at {what} (byte {cut}): generated {} files",
                generated.files.len()
            ),
            Err(diagnostics) => {
                assert_well_formed(&diagnostics);
                let first = diagnostics.sorted().remove(0);
                println!(
                    "cut at {what} (byte {cut}): {} errors, first: {first}",
                    diagnostics.len()
                );
            }
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

// ---------------------------------------------------------------------------
// Valid but awkward: the generated crate must compile.
// ---------------------------------------------------------------------------

#[test]
fn awkward_names_stay_distinct_and_odd_enum_values_survive() {
    let generated = run(&fixture("awkward.yaml"))
        .unwrap_or_else(|diagnostics| panic!("awkward.yaml:\n{diagnostics}"));
    assert!(
        generated.diagnostics.is_empty(),
        "no warnings expected:\n{}",
        generated.diagnostics
    );

    // Names that collide after case conversion stay distinct.
    let type_names: Vec<&str> = generated
        .surface
        .api()
        .types
        .values()
        .map(|t| t.name.as_str())
        .collect();
    let mut unique = type_names.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        type_names.len(),
        "type names are unique: {type_names:?}"
    );
    let modules: Vec<&str> = generated
        .surface
        .api()
        .groups
        .iter()
        .map(|g| generated.surface.group(g).module.as_str())
        .collect();
    assert_eq!(
        modules.len(),
        3,
        "tags `self`, `Type` and `type` each get a module: {modules:?}"
    );
    // Every odd enum value survives on the wire.
    let types = &generated.files["src/types.rs"];
    for value in [
        "\"\"",
        "\"1st\"",
        "\"in-active\"",
        "\"in_active\"",
        "\"Unknown\"",
        "\"unknown\"",
    ] {
        assert!(
            types.contains(&format!(" = {value},")),
            "the enum value {value} is written as is"
        );
    }

    // That the crate compiles (clippy-clean, documented, tested) is checked
    // with the other generated crates in `generated_crates.rs`.
}
