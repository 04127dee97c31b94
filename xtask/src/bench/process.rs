//! The whole `xtask generate` process as a user runs it: wall time from
//! spawn to exit, and peak resident memory.
//!
//! The peak is the child's own `VmHWM` (Linux), read by the child just
//! before it exits: the kernel's `ru_maxrss` of a child would start from the
//! size of this benchmarking process, which spawned it.

use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// The first argument of `xtask bench` that makes it the measured child.
pub const CHILD: &str = "--child";

const PEAK_PREFIX: &str = "bench-peak-kib: ";

/// One run of a child process.
pub struct Run {
    pub wall: Duration,
    /// Peak resident set in KiB; `None` where the platform does not say.
    pub peak_kib: Option<u64>,
}

/// In the child: `xtask generate` with `args`, then its peak memory on stderr.
pub fn child(args: &[String]) -> ExitCode {
    let defaults = codegen::cli::Defaults::checkout(&crate::workspace_root());
    let options = match args.split_first() {
        Some((generate, rest)) if generate == "generate" => {
            match codegen::cli::generate::parse(rest, &defaults) {
                Ok(Some(options)) => options,
                _ => return ExitCode::from(2),
            }
        }
        _ => return ExitCode::from(2),
    };
    let code = codegen::cli::generate::run(&options);
    if let Some(kib) = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
            line.trim_start_matches("VmHWM:")
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<u64>()
                .ok()
        })
    {
        eprintln!("{PEAK_PREFIX}{kib}");
    }
    ExitCode::from(code)
}

/// Runs `xtask generate` (this very executable) on `spec` into `out`.
pub fn generate(spec: &Path, out: &Path) -> Result<Run, String> {
    let exe = std::env::current_exe().map_err(|err| format!("cannot find xtask itself: {err}"))?;
    let mut command = Command::new(exe);
    command
        .args(["bench", CHILD, "generate", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .args(["--crate-name", "bench-generate"]);
    let started = Instant::now();
    let output = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|err| format!("cannot start {command:?}: {err}"))?;
    let wall = started.elapsed();
    if !output.status.success() {
        return Err(format!("{command:?} failed"));
    }
    let peak_kib = String::from_utf8_lossy(&output.stderr)
        .lines()
        .find_map(|line| line.strip_prefix(PEAK_PREFIX)?.parse().ok());
    Ok(Run { wall, peak_kib })
}

/// Runs `command` to completion, timed; fails if it cannot start or fails.
pub fn run(mut command: Command) -> Result<Duration, String> {
    let started = Instant::now();
    let status = command
        .status()
        .map_err(|err| format!("cannot start {command:?}: {err}"))?;
    let wall = started.elapsed();
    if !status.success() {
        return Err(format!("{command:?} failed"));
    }
    Ok(wall)
}
