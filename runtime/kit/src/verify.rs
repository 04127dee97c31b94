//! Counting and verifying: what each expectation was told to match, and the
//! report of everything that went wrong, naming the operation and what
//! differed.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::conformance::Violation;
use super::received::ReceivedRequest;
use super::registered::Registered;

/// How the fake answered a request.
#[derive(Debug, Clone)]
pub(crate) enum Outcome {
    /// An expectation answered it.
    Answered,
    /// It breaks the document.
    Broke(Violation),
    /// It conforms, but no expectation matched it.
    Unexpected,
}

/// A request and how it was answered.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) request: ReceivedRequest,
    pub(crate) outcome: Outcome,
}

/// The report of `failures`, as the test prints it.
pub(crate) fn report(failures: &[String]) -> String {
    format!(
        "the fake API found {} problem(s):\n{}",
        failures.len(),
        failures.join("\n")
    )
}

/// Why a request that broke nothing matched no expectation: its operation,
/// and what differed from each expectation of that operation.
pub(crate) fn unexpected(request: &ReceivedRequest, expectations: &[Arc<Registered>]) -> String {
    let operation = request.operation.unwrap_or("(no operation)");
    let line = format!("{} {}", request.method, request.path);
    let near: Vec<String> = expectations
        .iter()
        .filter(|expectation| request.operation == Some(expectation.spec.name))
        .filter_map(|expectation| {
            let why = expectation.mismatch(request)?;
            Some(format!("\n  - {}: got {why}", expectation.describe()))
        })
        .collect();
    match near.is_empty() {
        true => {
            format!("{operation}: {line} was received, and no expectation was set for {operation}")
        }
        false => format!(
            "{operation}: {line} matched no expectation:{}",
            near.concat()
        ),
    }
}

/// Every failure of a test's use of the fake, one message each.
pub(crate) fn failures(records: &[Record], expectations: &[Arc<Registered>]) -> Vec<String> {
    let mut failures = Vec::new();
    for record in records {
        let request = &record.request;
        match &record.outcome {
            Outcome::Answered => {}
            Outcome::Broke(violation) => failures.push(violation.to_string()),
            Outcome::Unexpected => failures.push(unexpected(request, expectations)),
        }
    }
    for expectation in expectations {
        let count = expectation.matched.load(Ordering::SeqCst);
        if expectation.times.allows(count) {
            continue;
        }
        let others: Vec<String> = records
            .iter()
            .filter(|record| record.request.operation == Some(expectation.spec.name))
            .filter_map(|record| expectation.mismatch(&record.request))
            .map(|why| format!("\n  - a request of {} with {why}", expectation.spec.name))
            .collect();
        failures.push(format!(
            "{}: expected {}, matched {count}{}",
            expectation.describe(),
            expectation.times.describe(),
            others.concat()
        ));
    }
    failures
}
