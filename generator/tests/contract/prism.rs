//! The Stoplight Prism mock server as a child process: installed from
//! `contract/` with `npm ci`, started on a free port of 127.0.0.1, and
//! stopped, with its whole process group, on every exit path.

use std::io::{BufRead, BufReader, Read};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::common;
use crate::prism_log::PrismLog;

/// How long Prism may take to read the document and listen. It takes about
/// two seconds; the bound only keeps a broken start from hanging the test.
const READY_WITHIN: Duration = Duration::from_secs(90);

/// How long to wait for Prism to log the requests it has already answered
/// (its log can trail the responses a little).
const SETTLE_WITHIN: Duration = Duration::from_secs(20);

/// How long Prism gets to exit after `SIGTERM` before it is killed.
const EXIT_WITHIN: Duration = Duration::from_secs(5);

/// How many free ports to try, in case another process takes the one picked
/// between choosing it and Prism binding it.
const START_ATTEMPTS: usize = 3;

/// The npm package and the folder whose `package.json` and
/// `package-lock.json` pin it.
const PACKAGE: &str = "@stoplight/prism-cli";

fn contract_dir() -> PathBuf {
    common::workspace_root().join("contract")
}

/// The Prism version `contract/package.json` pins.
pub fn pinned_version() -> String {
    let manifest = contract_dir().join("package.json");
    let text = std::fs::read_to_string(&manifest)
        .unwrap_or_else(|error| panic!("reading {}: {error}", manifest.display()));
    let json: serde_json::Value = serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("parsing {}: {error}", manifest.display()));
    json["devDependencies"][PACKAGE]
        .as_str()
        .unwrap_or_else(|| panic!("{} does not pin {PACKAGE}", manifest.display()))
        .to_owned()
}

/// The `prism` executable, installed by `npm ci` first when `node_modules`
/// does not hold the pinned version. `None` when Node.js is not installed
/// (the reason is printed; in CI that is a failure instead).
pub fn installed() -> Option<PathBuf> {
    // One install per test binary, however many tests ask at once.
    static INSTALL: OnceLock<Install> = OnceLock::new();
    match INSTALL.get_or_init(install) {
        Install::Ready(prism) => Some(prism.clone()),
        Install::NoNode(reason) => {
            common::skip_unless_ci(reason);
            None
        }
    }
}

enum Install {
    Ready(PathBuf),
    NoNode(String),
}

fn install() -> Install {
    for tool in ["node", "npm"] {
        if let Err(error) = Command::new(tool).arg("--version").output() {
            return Install::NoNode(format!(
                "the contract tests need Node.js 18.20+ and npm to run the Prism mock server, \
                 and `{tool} --version` failed: {error}"
            ));
        }
    }
    let dir = contract_dir();
    let prism = dir.join("node_modules/.bin/prism");
    let pinned = pinned_version();
    if prism.is_file() && installed_version(&dir).as_deref() == Some(pinned.as_str()) {
        return Install::Ready(prism);
    }

    eprintln!("installing {PACKAGE} {pinned} with `npm ci` in contract/");
    let started = Instant::now();
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|error| panic!("running npm ci: {error}"));
    assert!(
        output.status.success(),
        "`npm ci` in {} failed ({}):\n{}\n{}",
        dir.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("npm ci took {:.1?}", started.elapsed());
    assert_eq!(
        installed_version(&dir).as_deref(),
        Some(pinned.as_str()),
        "npm ci did not install the pinned {PACKAGE}"
    );
    Install::Ready(prism)
}

/// The version of Prism in `node_modules`, if any.
fn installed_version(contract: &Path) -> Option<String> {
    let manifest = contract
        .join("node_modules")
        .join(PACKAGE)
        .join("package.json");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).ok()?).ok()?;
    json["version"].as_str().map(str::to_owned)
}

/// A running `prism mock`, killed (with its process group) when dropped.
pub struct Prism {
    child: Child,
    base_url: String,
    output: Arc<Output>,
    readers: Vec<JoinHandle<()>>,
    stopped: bool,
}

impl Prism {
    /// Starts `prism mock --errors` on `spec` and waits until it listens.
    ///
    /// `--errors` makes Prism answer a request that breaks the document with
    /// an error (422, 401…) instead of a mocked success, so the client sees
    /// it too; the log is the other half of the check (see [`Prism::stop`]).
    pub fn start(prism: &Path, spec: &Path) -> Prism {
        let mut failures = Vec::new();
        for _ in 0..START_ATTEMPTS {
            let port = free_port();
            let mut server = Prism::spawn(prism, spec, port);
            let ready = server.output.wait_until(READY_WITHIN, |lines| {
                lines
                    .iter()
                    .any(|line| line.contains("Prism is listening on"))
            });
            if ready {
                return server;
            }
            server.shutdown();
            let log = server.output.lines().join("\n");
            let stderr = server.output.stderr().join("\n");
            let lost_the_port = stderr.contains("EADDRINUSE") || log.contains("EADDRINUSE");
            failures.push(format!(
                "port {port}: not listening within {READY_WITHIN:?}\n--- stdout\n{log}\n--- stderr\n{stderr}"
            ));
            if !lost_the_port {
                break;
            }
        }
        panic!("Prism did not start:\n{}", failures.join("\n\n"));
    }

    fn spawn(prism: &Path, spec: &Path, port: u16) -> Prism {
        let mut child = Command::new(prism)
            .arg("mock")
            .arg(spec)
            .args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--errors",
            ])
            .current_dir(contract_dir())
            // Plain text for the log parser.
            .env("FORCE_COLOR", "0")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            // Its own process group, so that stopping it reaches anything it forks.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|error| panic!("starting {}: {error}", prism.display()));
        let output = Arc::new(Output::default());
        let mut readers = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            readers.push(Output::collect(&output, stdout, Stream::Stdout));
        }
        if let Some(stderr) = child.stderr.take() {
            readers.push(Output::collect(&output, stderr, Stream::Stderr));
        }
        Prism {
            child,
            base_url: format!("http://127.0.0.1:{port}"),
            output,
            readers,
            stopped: false,
        }
    }

    /// Where Prism listens, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Waits until Prism has logged `requests_sent` finished requests (or the
    /// bound passes), stops it and returns what it logged.
    pub fn stop(mut self, requests_sent: usize) -> Stopped {
        self.output.wait_until(SETTLE_WITHIN, |lines| {
            PrismLog::parse(lines).finished() >= requests_sent
        });
        self.shutdown();
        let lines = self.output.lines();
        Stopped {
            log: PrismLog::parse(&lines),
            stdout: lines,
            stderr: self.output.stderr(),
        }
    }

    /// `SIGTERM` to the process group, then `SIGKILL` if it is still there.
    fn shutdown(&mut self) {
        if self.stopped {
            return;
        }
        self.stopped = true;
        let group = self.child.id() as libc::pid_t;
        signal_group(group, libc::SIGTERM);
        let deadline = Instant::now() + EXIT_WITHIN;
        while Instant::now() < deadline {
            match self.child.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        // Whatever is left of the group, the leader included.
        signal_group(group, libc::SIGKILL);
        let _ = self.child.wait();
        // The pipes are closed now; the readers have the last lines.
        for reader in std::mem::take(&mut self.readers) {
            let _ = reader.join();
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn signal_group(group: libc::pid_t, signal: libc::c_int) {
    // SAFETY: kill(2) takes plain integers; a negative pid addresses the
    // process group the child leads (`process_group(0)` above). A group that
    // is already gone gives ESRCH, which is fine.
    unsafe {
        libc::kill(-group, signal);
    }
}

/// What a stopped Prism logged.
pub struct Stopped {
    pub log: PrismLog,
    pub stdout: Vec<String>,
    pub stderr: Vec<String>,
}

impl Stopped {
    /// The whole output, for failure messages.
    pub fn transcript(&self) -> String {
        format!(
            "--- Prism stdout\n{}\n--- Prism stderr\n{}",
            self.stdout.join("\n"),
            self.stderr.join("\n")
        )
    }
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|error| panic!("finding a free port: {error}"))
}

#[derive(Clone, Copy)]
enum Stream {
    Stdout,
    Stderr,
}

/// Prism's output, collected line by line by reader threads.
#[derive(Default)]
struct Output {
    state: Mutex<OutputState>,
    changed: Condvar,
}

#[derive(Default)]
struct OutputState {
    stdout: Vec<String>,
    stderr: Vec<String>,
    /// Streams that reached end of file: at 2 the process is gone.
    closed: usize,
}

impl Output {
    fn collect(
        output: &Arc<Output>,
        stream: impl Read + Send + 'static,
        which: Stream,
    ) -> JoinHandle<()> {
        let output = Arc::clone(output);
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut line = Vec::new();
            loop {
                line.clear();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&line).trim_end().to_owned();
                        let mut state = output.lock();
                        match which {
                            Stream::Stdout => state.stdout.push(text),
                            Stream::Stderr => state.stderr.push(text),
                        }
                        output.changed.notify_all();
                    }
                }
            }
            output.lock().closed += 1;
            output.changed.notify_all();
        })
    }

    fn lock(&self) -> MutexGuard<'_, OutputState> {
        // A reader thread cannot panic while holding the lock, but a poisoned
        // lock still holds usable lines.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until `done` holds for the stdout lines, the process closes its
    /// output, or `within` passes. Returns whether `done` held.
    fn wait_until(&self, within: Duration, done: impl Fn(&[String]) -> bool) -> bool {
        let deadline = Instant::now() + within;
        let mut state = self.lock();
        loop {
            if done(&state.stdout) {
                return true;
            }
            let now = Instant::now();
            if state.closed == 2 || now >= deadline {
                return false;
            }
            state = self
                .changed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    fn lines(&self) -> Vec<String> {
        self.lock().stdout.clone()
    }

    fn stderr(&self) -> Vec<String> {
        self.lock().stderr.clone()
    }
}
