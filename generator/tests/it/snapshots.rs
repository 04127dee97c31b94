//! Snapshots of every file the generator emits, for `spec/` and for the
//! fixture specs, and of the warnings it gives for the published specs.
//! Review changes with `cargo insta review`; never accept them unread.

use crate::common;

use codegen::{CrateConfig, Selection};

fn snapshot_files(name: &str, spec: &std::path::Path, crate_name: &str) {
    let bytes = std::fs::read(spec).unwrap_or_else(|err| panic!("{}: {err}", spec.display()));
    let config = CrateConfig {
        name: crate_name.to_owned(),
        ..CrateConfig::default()
    };
    let generated =
        codegen::generate(&bytes, &Selection::default(), &config).unwrap_or_else(|diagnostics| {
            panic!("{} does not generate:\n{diagnostics}", spec.display())
        });
    insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
        for (path, contents) in &generated.files {
            insta::assert_snapshot!(format!("{name}__{}", path.replace('/', "__")), contents);
        }
        insta::assert_snapshot!(format!("{name}__warnings"), generated.diagnostics.to_string());
    });
}

#[test]
fn spec_output() {
    snapshot_files(
        "spec",
        &common::workspace_root().join("spec/sunshine-conversations.yaml"),
        "sunshine-conversations",
    );
}

#[test]
fn constructs_output() {
    snapshot_files(
        "constructs",
        &common::workspace_root().join("generator/tests/fixtures/constructs.yaml"),
        "constructs",
    );
}

/// The warnings pin what the generator says about real-world defects.
#[test]
fn upstream_warnings() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    for (version, path) in specs {
        let bytes = std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let generated = codegen::generate(&bytes, &Selection::default(), &CrateConfig::default())
            .unwrap_or_else(|diagnostics| panic!("{version} does not generate:\n{diagnostics}"));
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("upstream_{version}__warnings"), generated.diagnostics.to_string());
        });
    }
}
