//! An expectation once mounted, and what it is made of: the checks of a
//! request and how many requests it must match. The server matches requests
//! with it and verification reports on it; both read it from here, so
//! neither depends on the other for it, nor on the expectation builder.

use std::sync::atomic::AtomicU64;
use std::sync::Arc;
use std::time::Duration;

use super::received::ReceivedRequest;
use super::Spec;

/// A test of a request, which says what differed when it fails.
type Test = Box<dyn Fn(&ReceivedRequest) -> Result<(), String> + Send + Sync>;

/// One test of a request: a description for failure messages, and the test,
/// which says what differed when it fails.
pub(crate) struct Check {
    pub(crate) describe: String,
    pub(crate) test: Test,
}

/// How many requests an expectation must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Times {
    /// Any number, none included.
    Any,
    /// Exactly this many.
    Exactly(u64),
    /// This many or more.
    AtLeast(u64),
}

impl Times {
    pub(crate) fn allows(self, count: u64) -> bool {
        match self {
            Times::Any => true,
            Times::Exactly(expected) => count == expected,
            Times::AtLeast(least) => count >= least,
        }
    }

    pub(crate) fn describe(self) -> String {
        match self {
            Times::Any => "any number of requests".to_owned(),
            Times::Exactly(1) => "exactly 1 request".to_owned(),
            Times::Exactly(count) => format!("exactly {count} requests"),
            Times::AtLeast(count) => format!("at least {count} requests"),
        }
    }
}

/// An expectation once mounted.
pub(crate) struct Registered {
    pub(crate) spec: &'static Spec,
    pub(crate) checks: Vec<Check>,
    pub(crate) times: Times,
    pub(crate) delay: Option<Duration>,
    pub(crate) matched: Arc<AtomicU64>,
}

impl Registered {
    /// The expectation in a failure message: operation and what it matches.
    pub(crate) fn describe(&self) -> String {
        let parts: Vec<&str> = self
            .checks
            .iter()
            .map(|check| check.describe.as_str())
            .collect();
        match parts.is_empty() {
            true => format!("{} (any request)", self.spec.name),
            false => format!("{} with {}", self.spec.name, parts.join(", ")),
        }
    }

    /// Why `request` does not match, or `None` when it does.
    pub(crate) fn mismatch(&self, request: &ReceivedRequest) -> Option<String> {
        if request.operation != Some(self.spec.name) {
            return Some(format!(
                "it is a request of {}",
                request.operation.unwrap_or("no operation")
            ));
        }
        let differences: Vec<String> = self
            .checks
            .iter()
            .filter_map(|check| (check.test)(request).err())
            .collect();
        match differences.is_empty() {
            true => None,
            false => Some(differences.join("; ")),
        }
    }
}
