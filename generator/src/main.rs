//! `sunshine-codegen`: the generator as a command, for a document of your
//! own. `sunshine-codegen --help` lists the commands and their options.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    ExitCode::from(codegen::cli::run(
        &args,
        &codegen::cli::Defaults::installed(),
    ))
}
