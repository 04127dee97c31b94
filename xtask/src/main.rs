//! Project automation. `cargo xtask --help` lists the commands.
//!
//! `generate`, `diff-spec` and `update-spec` are the generator's own command
//! line (`codegen::cli`, installed as `sunshine-codegen`), with this
//! checkout's `spec/`, `generated/` and `runtime/` as defaults; `bench` is
//! the xtask's own.

mod allocator;
mod bench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::cli::Defaults;

/// The workspace root, so default paths work from any directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

const BENCH_HELP: &str = "\
cargo xtask bench [--runs N] [--build [--features LIST]]

bench measures generation time (median of N runs, default 10) and output size
for spec/, the published specs in ../shared and synthetic multiples of 17.12.1,
and the whole generate process's time and peak memory; with --build, also how
long the generated crates take to compile alone (clean and after a touch): the
spec/ crate, the full 17.12.1 crate (also with its test kit, --features mock),
and that crate with only the features in LIST (default
switchboard-actions,tracing; n/a when the crate lacks one).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let defaults = Defaults::checkout(&workspace_root());
    match args.first().map(String::as_str) {
        Some("bench") => bench::run(&args[1..], &workspace_root()),
        Some("-h" | "--help") | None => {
            println!("{}\n\n{BENCH_HELP}", codegen::cli::help(&defaults));
            ExitCode::SUCCESS
        }
        _ => ExitCode::from(codegen::cli::run(&args, &defaults)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codegen::{CrateConfig, Selection};

    /// `generated/` must be what the generator makes of `spec/`; this is what
    /// makes a plain `cargo test` catch a forgotten regeneration.
    #[test]
    fn generated_crate_is_up_to_date() {
        let root = workspace_root();
        let defaults = Defaults::checkout(&root);
        let spec = std::fs::read(root.join("spec/sunshine-conversations.yaml"))
            .expect("spec/ is readable");
        let config = CrateConfig {
            runtime: codegen::cli::runtime_path::for_output(
                &root.join("generated"),
                None,
                defaults.runtime.as_deref(),
            ),
            repository: defaults.repository.clone(),
            ..CrateConfig::default()
        };
        let generated = codegen::generate(&spec, &Selection::default(), &config)
            .unwrap_or_else(|diagnostics| panic!("spec/ does not generate:\n{diagnostics}"));
        let outcome = codegen::write::check(&root.join("generated"), &generated.files)
            .expect("generated/ is readable");
        assert!(
            outcome.is_fresh(),
            "generated/ is out of date (changed: {:?}, not generated any more: {:?}); run `cargo xtask generate`",
            outcome.changed,
            outcome.stray
        );
    }
}
