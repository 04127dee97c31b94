//! Generated crates must build clippy-clean, document without warnings and
//! pass their own tests (the example round trips and doc examples): for the
//! fixture specs, and for every published upstream version, both whole and
//! with `--tag "Switchboard Actions"`.
//!
//! The crates go into one workspace under cargo's test scratch directory with
//! its own target directory, so dependencies are built once for all of them.
//!
//! The crate of the full 17.12.1 document also gets a test of our own
//! (`crate_tests/upstream_deliveries.rs`): the document's example webhook
//! deliveries decoded event by event, none lost.

mod common;
// Prism mocks the published document for `checks/full.rs`.
#[cfg(unix)]
#[path = "contract/prism.rs"]
mod prism;
#[cfg(unix)]
#[path = "contract/prism_log.rs"]
mod prism_log;

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{CrateConfig, RuntimeSource, Selection};

struct Case {
    crate_name: String,
    spec: PathBuf,
    tags: Vec<String>,
}

fn cases() -> Vec<Case> {
    let fixtures = common::workspace_root().join("generator/tests/fixtures");
    let mut cases: Vec<Case> = [
        "constructs",
        "awkward",
        "undeclared-path-parameter",
        "surface-names",
        "kit-names",
        "lint-shapes",
    ]
    .into_iter()
    .map(|name| Case {
        crate_name: name.to_owned(),
        spec: fixtures.join(format!("{name}.yaml")),
        tags: Vec::new(),
    })
    .collect();
    // The 3.1 twin of `v31/twin-3.0.yaml` (the fast tests show both give one crate).
    cases.push(Case {
        crate_name: "twin-3-1".to_owned(),
        spec: fixtures.join("v31/twin-3.1.yaml"),
        tags: Vec::new(),
    });
    cases.extend(public_documents());
    for (version, spec) in common::upstream_specs().unwrap_or_default() {
        let suffix = version.replace('.', "-");
        cases.push(Case {
            crate_name: format!("full-{suffix}"),
            spec: spec.clone(),
            tags: Vec::new(),
        });
        cases.push(Case {
            crate_name: format!("switchboard-{suffix}"),
            spec,
            tags: vec!["Switchboard Actions".to_owned()],
        });
    }
    cases
}

/// Public OpenAPI 3.0 and 3.1 documents, by file name in `../shared/specs/public/`,
/// with where each comes from. Developers may not commit other projects'
/// files, so they are read from the shared folder when it holds them (the
/// test says so when it does not); `cargo xtask` generated and linted each
/// of these from its source, at this commit, clean.
const PUBLIC_DOCUMENTS: &[(&str, &str)] = &[
    ("petstore.yaml", "OAI/OpenAPI-Specification@46c1076ba6f9a7a09ecaa6b740ab603cf6cc9886:_archive_/schemas/v3.0/pass/petstore.yaml"),
    ("petstore-expanded.yaml", "OAI/OpenAPI-Specification@46c1076ba6f9a7a09ecaa6b740ab603cf6cc9886:_archive_/schemas/v3.0/pass/petstore-expanded.yaml"),
    ("uspto.yaml", "OAI/OpenAPI-Specification@46c1076ba6f9a7a09ecaa6b740ab603cf6cc9886:_archive_/schemas/v3.0/pass/uspto.yaml"),
    ("link-example.yaml", "OAI/OpenAPI-Specification@46c1076ba6f9a7a09ecaa6b740ab603cf6cc9886:_archive_/schemas/v3.0/pass/link-example.yaml"),
    ("api-with-examples.yaml", "OAI/OpenAPI-Specification@46c1076ba6f9a7a09ecaa6b740ab603cf6cc9886:_archive_/schemas/v3.0/pass/api-with-examples.yaml"),
    ("callback-example.yaml", "OAI/OpenAPI-Specification@46c1076ba6f9a7a09ecaa6b740ab603cf6cc9886:_archive_/schemas/v3.0/pass/callback-example.yaml"),
    ("BinLookupService-v54.json", "Adyen/adyen-openapi@aa014f0cbdb58ff5c44a2ff9d5fe734642210aff:json/BinLookupService-v54.json"),
    ("RecurringService-v68.json", "Adyen/adyen-openapi@aa014f0cbdb58ff5c44a2ff9d5fe734642210aff:json/RecurringService-v68.json"),
];

/// The public documents the shared folder holds, as cases.
fn public_documents() -> Vec<Case> {
    let dir = common::workspace_root().join("../shared/specs/public");
    let present: Vec<Case> = PUBLIC_DOCUMENTS
        .iter()
        .map(|(file, _source)| dir.join(file))
        .filter(|path| path.is_file())
        .map(|spec| Case {
            crate_name: format!(
                "public-{}",
                spec.file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("document")
                    .to_lowercase()
            ),
            spec,
            tags: Vec::new(),
        })
        .collect();
    if present.len() < PUBLIC_DOCUMENTS.len() {
        eprintln!(
            "SKIPPED: {} of {} public documents are not in {} (see PUBLIC_DOCUMENTS for their sources)",
            PUBLIC_DOCUMENTS.len() - present.len(),
            PUBLIC_DOCUMENTS.len(),
            dir.display()
        );
    }
    present
}

fn cargo(dir: &Path, args: &[&str]) -> String {
    cargo_with(dir, args, &[])
}

fn cargo_with(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> String {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`cargo {}` failed in {}:\n{stdout}\n{stderr}",
        args.join(" "),
        dir.display()
    );
    stdout
}

/// The crate of the full published document that `checks/full.rs` uses.
const FULL_CRATE: &str = "full-17-12-1";
/// The scratch crate holding `tests/checks/`: code written as a user would,
/// against the constructs fixture's crate and, when present, the full one.
const CHECKS_CRATE: &str = "checks";

fn write_checks_crate(dir: &Path, has_full: bool) {
    let root = common::workspace_root();
    let sources = root.join("generator/tests/checks");
    let mut dependencies = String::from(
        "constructs = { path = \"../constructs\" }\nsurface-names = { path = \"../surface-names\" }\nlint-shapes = { path = \"../lint-shapes\" }\n",
    );
    let mut tests = vec!["constructs.rs", "surface_names.rs", "lint_shapes.rs"];
    // Linted with `-D warnings`: clippy's `result_large_err` fires on a
    // public function returning an `Err` of 128 bytes or more.
    let mut library = String::from(
        "//! Black-box checks of generated crates; see its `tests/`.\n\n\
         /// A user's function passing on the crate's error with a large documented\n\
         /// error: `Error<E>` stays small whatever `E`.\n\
         pub fn pass_on(\n    result: Result<(), constructs::Error<[u8; 1024]>>,\n\
         ) -> Result<(), constructs::Error<[u8; 1024]>> {\n    result\n}\n",
    );
    if has_full {
        // Under the name users give it, so the README's examples compile too.
        dependencies.push_str(&format!(
            "sunshine-conversations = {{ package = \"{FULL_CRATE}\", path = \"../{FULL_CRATE}\", features = [\"mock\", \"receiver-redis\", \"receiver-axum\"] }}\n"
        ));
        tests.extend(["full.rs", "flows.rs", "first_steps.rs", "full_mock.rs"]);
        library.push_str(
            "\n// The README's examples compile against the full crate as well.\n#[cfg(doctest)]\n#[doc = include_str!(\"../README.md\")]\nstruct ReadmeExamples;\n",
        );
    }
    let manifest = format!(
        "[package]\nname = \"{CHECKS_CRATE}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dependencies}serde_json = \"1\"\n\n[dev-dependencies]\n# The README's receiver example serves its route with axum and stops on Ctrl-C.\naxum = {{ version = \"0.8\", default-features = false, features = [\"http1\", \"tokio\"] }}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"signal\"] }}\nwiremock = \"0.6\"\n# The README's build-script example calls the generator as a library.\nsunshine-codegen = {{ path = \"{generator}\", default-features = false }}\n",
        generator = root.join("generator").display().to_string().replace('\\', "/"),
    );
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("src")).expect("checks crate directory");
    std::fs::create_dir_all(dir.join("tests")).expect("checks tests directory");
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("checks manifest");
    std::fs::write(dir.join("src/lib.rs"), library).expect("checks library");
    std::fs::copy(root.join("README.md"), dir.join("README.md")).expect("README");
    for test in tests {
        std::fs::copy(sources.join(test), dir.join("tests").join(test))
            .unwrap_or_else(|err| panic!("{test}: {err}"));
    }
}

#[test]
fn generated_crates_build_lint_document_and_pass_their_tests() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("generated-crates");
    std::fs::create_dir_all(&dir).expect("scratch directory");
    let cases = cases();
    // This checkout's runtime, the one these crates are generated for.
    let runtime = common::workspace_root()
        .join("runtime")
        .display()
        .to_string();
    let mut with_examples = 0;
    for case in &cases {
        let bytes = std::fs::read(&case.spec).expect("spec readable");
        let selection = Selection {
            tags: case.tags.clone(),
        };
        let config = CrateConfig {
            name: case.crate_name.clone(),
            runtime: RuntimeSource::Path(runtime.clone()),
            ..CrateConfig::default()
        };
        let generated =
            codegen::generate(&bytes, &selection, &config).unwrap_or_else(|diagnostics| {
                panic!("{} does not generate:\n{diagnostics}", case.crate_name)
            });
        if !case.tags.is_empty() {
            let groups: Vec<&str> = generated
                .surface
                .api()
                .groups
                .iter()
                .map(|g| g.tag.as_str())
                .collect();
            assert_eq!(
                groups, case.tags,
                "{}: --tag keeps only the selected operations",
                case.crate_name
            );
        }
        with_examples += usize::from(!generated.surface.api().examples.is_empty());
        codegen::write::write(&dir.join(&case.crate_name), &generated.files)
            .expect("crate written");
        if case.crate_name == UPSTREAM_DELIVERIES_CRATE {
            add_upstream_deliveries_test(&dir.join(&case.crate_name), &case.spec);
        }
    }
    let mut members: Vec<String> = cases
        .iter()
        .map(|c| format!("{:?}", c.crate_name))
        .collect();
    let has_full = cases.iter().any(|c| c.crate_name == FULL_CRATE);
    write_checks_crate(&dir.join(CHECKS_CRATE), has_full);
    members.push(format!("{CHECKS_CRATE:?}"));
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("workspace manifest");
    // The project's lock file pins the same dependency versions as `generated/`.
    std::fs::copy(
        common::workspace_root().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .expect("lock file");

    cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    // The test kit (`mock`, off by default) with every feature on.
    cargo(
        &dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(
        &dir,
        &[
            "doc",
            "--workspace",
            "--no-deps",
            "--all-features",
            "--quiet",
        ],
    );
    // A crate with several tags compiles one tag alone, clippy-clean too;
    // and the newest one with the webhook events alone, no operation at all.
    let mut reduced: Vec<(&str, &str)> = cases
        .iter()
        .filter(|c| c.crate_name.starts_with("full-"))
        .flat_map(|c| {
            let name = c.crate_name.as_str();
            [
                (name, "switchboard-actions"),
                (name, "switchboard-actions,mock"),
            ]
        })
        .collect();
    if cases.iter().any(|c| c.crate_name == FULL_CRATE) {
        reduced.push((FULL_CRATE, "webhook-events"));
        reduced.push((FULL_CRATE, "webhook-events,mock"));
    }
    // Features of tags named like Cargo's and the runtime's own.
    reduced.push(("surface-names", "default-operations"));
    reduced.push(("surface-names", "tracing-operations"));
    for (crate_name, features) in reduced {
        cargo(
            &dir,
            &[
                "clippy",
                "--package",
                crate_name,
                "--all-targets",
                "--no-default-features",
                "--features",
                features,
                "--quiet",
                "--",
                "-D",
                "warnings",
            ],
        );
    }
    cargo(&dir, &["doc", "--workspace", "--no-deps", "--quiet"]);
    let full_spec = cases
        .iter()
        .find(|c| c.crate_name == FULL_CRATE)
        .map(|c| c.spec.clone());
    let upstream_prism = full_spec.as_deref().and_then(UpstreamPrism::start);
    let envs: Vec<(&str, &str)> = upstream_prism
        .iter()
        .map(|prism| ("UPSTREAM_PRISM_URL", prism.base_url()))
        .collect();
    let output = cargo_with(
        &dir,
        &["test", "--workspace", "--quiet", "--", "--nocapture"],
        &envs,
    );
    if let Some(prism) = upstream_prism {
        prism.assert_no_violation();
    }
    let reports: Vec<&str> = output
        .lines()
        .filter(|line| line.contains("examples round-trip"))
        .collect();
    for line in &reports {
        println!("{line}");
    }
    assert_eq!(
        reports.len(),
        with_examples,
        "every crate with examples reports their round trips:\n{output}"
    );
    // `cases` holds the crate exactly when the upstream specs are present;
    // without them `common::upstream_specs` said why (and fails in CI).
    if cases
        .iter()
        .any(|case| case.crate_name == UPSTREAM_DELIVERIES_CRATE)
    {
        let report = output
            .lines()
            .find(|line| line.contains("upstream deliveries:"))
            .unwrap_or_else(|| panic!("the upstream deliveries test did not run:\n{output}"));
        println!("{report}");
    }
}

/// Prism mocking the published 17.12.1 document, for the request
/// `checks/full.rs` sends without `.params(..)` (`uploadAttachment`).
struct UpstreamPrism {
    #[cfg(unix)]
    prism: prism::Prism,
}

impl UpstreamPrism {
    /// Prism on `spec`, or `None` (said why) without Node.js outside CI.
    #[cfg(unix)]
    fn start(spec: &Path) -> Option<Self> {
        let executable = prism::installed()?;
        Some(Self {
            prism: prism::Prism::start(&executable, spec),
        })
    }

    #[cfg(not(unix))]
    fn start(_spec: &Path) -> Option<Self> {
        println!("skipped: Prism is stopped with kill(2), which this platform lacks");
        None
    }

    fn base_url(&self) -> &str {
        #[cfg(unix)]
        return self.prism.base_url();
        #[cfg(not(unix))]
        unreachable!("never started")
    }

    /// Stops Prism and checks that it saw the upload and found nothing wrong.
    fn assert_no_violation(self) {
        #[cfg(unix)]
        {
            let stopped = self.prism.stop(1);
            let uploads = stopped
                .log
                .exchanges
                .iter()
                .filter(|exchange| exchange.request.contains("/attachments"))
                .count();
            assert_eq!(uploads, 1, "Prism saw the upload\n{}", stopped.transcript());
            let violations: Vec<_> = stopped.log.violating().collect();
            assert!(
                violations.is_empty(),
                "Prism found violations: {violations:#?}\n{}",
                stopped.transcript()
            );
        }
    }
}

/// The crate that gets `crate_tests/upstream_deliveries.rs`.
const UPSTREAM_DELIVERIES_CRATE: &str = "full-17-12-1";

/// Adds the upstream-deliveries test to the crate in `crate_dir`, with the
/// example deliveries (those with `events`) of the document at `spec` as JSON.
fn add_upstream_deliveries_test(crate_dir: &Path, spec: &Path) {
    let text = std::fs::read_to_string(spec).expect("spec readable");
    let document: serde_json::Value = serde_yaml::from_str(&text).expect("spec is YAML");
    let deliveries: serde_json::Map<String, serde_json::Value> = document["components"]["examples"]
        .as_object()
        .expect("the document has examples")
        .iter()
        .filter(|(_, example)| example["value"]["events"].is_array())
        .map(|(name, example)| (name.clone(), example["value"].clone()))
        .collect();
    assert!(
        deliveries.contains_key("conversationReferralEvent"),
        "the referral example is among the deliveries"
    );
    let tests = crate_dir.join("tests");
    std::fs::create_dir_all(&tests).expect("tests directory");
    std::fs::write(
        tests.join("upstream_deliveries.json"),
        serde_json::to_string_pretty(&deliveries).expect("JSON"),
    )
    .expect("deliveries written");
    std::fs::copy(
        common::workspace_root().join("generator/tests/crate_tests/upstream_deliveries.rs"),
        tests.join("upstream_deliveries.rs"),
    )
    .expect("test copied");
}

/// The checks are written as users would write them, and show what users no
/// longer have to write: no double options, no discriminators, no flattening
/// of fields, no defaulted parameter structs passed as arguments.
#[test]
fn user_code_reads_as_users_write_it() {
    let sources = common::workspace_root().join("generator/tests/checks");
    for name in [
        "constructs.rs",
        "surface_names.rs",
        "lint_shapes.rs",
        "full.rs",
        "flows.rs",
        "first_steps.rs",
    ] {
        let code = std::fs::read_to_string(sources.join(name)).expect("a checks source");
        for banned in [
            "Option<Option",
            "r#type",
            ".flatten()",
            "Params::default())",
            "&Default::default()",
        ] {
            assert!(!code.contains(banned), "{name} contains `{banned}`");
        }
    }
}

/// The first bot of `checks/first_steps.rs` needs nothing but the crate: its
/// code names no other crate, no status type and no pinning.
#[test]
fn a_first_bot_names_no_crate_but_the_generated_one() {
    let code = std::fs::read_to_string(
        common::workspace_root().join("generator/tests/checks/first_steps.rs"),
    )
    .expect("the first steps");
    let start = code.find("mod bot {").expect("a `mod bot`");
    let end = start + code[start..].find("\n}\n").expect("the end of `mod bot`");
    let bot = &code[start..end];
    for line in bot.lines().map(str::trim).filter(|l| l.starts_with("use ")) {
        assert!(
            line.starts_with("use std::") || line.starts_with("use sunshine_conversations::"),
            "the bot imports `{line}`"
        );
    }
    for name in [
        "futures",
        "StatusCode",
        "pin",
        "Pin",
        ".value()",
        "to_owned().into()",
        "with_content_type",
    ] {
        assert!(!bot.contains(name), "the bot needs `{name}`");
    }
}
