//! Reads Prism's log: which requests it received, what it answered, and every
//! problem it found with them.
//!
//! Prism writes one line per event, for example
//!
//! ```text
//! [5:51:29 PM] › [HTTP SERVER] post /v2/apps/a/conversations/c/passControl ℹ  info      Request received
//! [5:51:29 PM] ›     [VALIDATOR] ✖  error     Request body must have required property 'switchboardIntegration'
//! ```
//!
//! A line's events belong to the request received last, which holds because
//! the tests send one request at a time. Any warning or error, or a level this
//! parser does not know, counts as a violation: a log the parser misreads must
//! fail the test, not pass it.

/// Prism's log levels that report nothing wrong.
const QUIET_LEVELS: [&str; 9] = [
    "awaiting", "complete", "debug", "info", "note", "pending", "start", "success", "trace",
];

/// Prism's log levels that report a problem.
const PROBLEM_LEVELS: [&str; 4] = ["warn", "warning", "error", "fatal"];

/// What Prism logged, grouped by request.
#[derive(Debug, Default)]
pub struct PrismLog {
    /// One entry per request Prism received, in order.
    pub exchanges: Vec<Exchange>,
    /// Problems logged before any request arrived (reading the document, starting).
    pub startup_problems: Vec<String>,
}

/// One request as Prism saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// Method and path, as Prism logs them (`post /v2/apps/…/passControl`).
    pub request: String,
    /// The status of the mocked response, if Prism produced one from the document.
    pub status: Option<u16>,
    /// Every warning or error Prism logged for this request.
    pub violations: Vec<String>,
    /// Whether Prism finished the request (answered it or ended it with an error).
    pub finished: bool,
}

impl PrismLog {
    /// Parses Prism's standard output, line by line.
    pub fn parse(lines: &[String]) -> PrismLog {
        let mut log = PrismLog::default();
        for line in lines {
            let Some(entry) = Entry::parse(line) else {
                // Continuation of a multi-line message: keep it with its entry.
                if let Some(last) = log.last_problem_mut() {
                    last.push('\n');
                    last.push_str(line.trim_end());
                }
                continue;
            };
            log.apply(entry);
        }
        log
    }

    fn apply(&mut self, entry: Entry) {
        if entry.tag == "HTTP SERVER" && entry.message == "Request received" {
            self.exchanges.push(Exchange {
                request: entry.subject,
                status: None,
                violations: Vec::new(),
                finished: false,
            });
            return;
        }
        let Some(exchange) = self.exchanges.last_mut() else {
            if entry.is_problem() {
                self.startup_problems.push(entry.describe());
            }
            return;
        };
        if entry.is_problem() {
            exchange.violations.push(entry.describe());
        }
        if entry.tag == "HTTP SERVER" && entry.message.starts_with("Request terminated") {
            exchange.finished = true;
        }
        if let Some(status) = entry
            .message
            .strip_prefix("> Responding with \"")
            .and_then(|rest| rest.strip_suffix('"'))
        {
            exchange.status = status.parse().ok();
            exchange.finished = true;
        }
    }

    /// Where a continuation line belongs: the last problem logged, if the log
    /// ended on one.
    fn last_problem_mut(&mut self) -> Option<&mut String> {
        match self.exchanges.last_mut() {
            Some(exchange) => exchange.violations.last_mut(),
            None => self.startup_problems.last_mut(),
        }
    }

    /// How many requests Prism has finished.
    pub fn finished(&self) -> usize {
        self.exchanges.iter().filter(|e| e.finished).count()
    }

    /// The requests Prism found a problem with.
    pub fn violating(&self) -> impl Iterator<Item = &Exchange> {
        self.exchanges.iter().filter(|e| !e.violations.is_empty())
    }
}

/// One parsed log line.
#[derive(Debug)]
struct Entry {
    /// The component in brackets: `HTTP SERVER`, `VALIDATOR`, `NEGOTIATOR`, `CLI`.
    tag: String,
    /// What comes between the tag and the level: method and path for `HTTP SERVER`.
    subject: String,
    level: String,
    message: String,
}

impl Entry {
    /// Parses `[time] › [TAG] subject <icon> level message`; `None` for a line
    /// of another shape.
    fn parse(line: &str) -> Option<Entry> {
        let line = strip_ansi(line);
        let after_time = line.strip_prefix('[')?.split_once(']')?.1;
        let after_arrow = after_time.trim_start().strip_prefix('›')?.trim_start();
        let (tag, rest) = after_arrow.strip_prefix('[')?.split_once(']')?;
        let words: Vec<&str> = rest.split_whitespace().collect();
        let level_at = words
            .iter()
            .position(|word| QUIET_LEVELS.contains(word) || PROBLEM_LEVELS.contains(word));
        let Some(level_at) = level_at else {
            // A shape we do not know: keep all of it as an unknown-level message.
            return Some(Entry {
                tag: tag.to_owned(),
                subject: String::new(),
                level: "unknown".to_owned(),
                message: rest.trim().to_owned(),
            });
        };
        // The word before the level is its icon (ℹ ✔ ⚠ ✖ …).
        let subject_end = level_at.saturating_sub(1);
        Some(Entry {
            tag: tag.to_owned(),
            subject: words[..subject_end].join(" "),
            level: words[level_at].to_owned(),
            message: words[level_at + 1..].join(" "),
        })
    }

    fn is_problem(&self) -> bool {
        !QUIET_LEVELS.contains(&self.level.as_str())
    }

    fn describe(&self) -> String {
        format!("[{}] {}: {}", self.tag, self.level, self.message)
    }
}

/// Removes terminal colour codes (`ESC [ … letter`), in case Prism colours its
/// output despite `FORCE_COLOR=0`.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    /// The shape of Prism 5's output for one valid request, one with a bad
    /// body and one without credentials.
    const SAMPLE: &str = "\
[5:51:24 PM] › [CLI] …  awaiting  Starting Prism…
[5:51:25 PM] › [CLI] ℹ  info      POST       http://127.0.0.1:4123/v2/apps/x/conversations/y/passControl
[5:51:25 PM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:4123
[5:51:28 PM] › [HTTP SERVER] post /v2/apps/a/conversations/c/passControl ℹ  info      Request received
[5:51:29 PM] ›     [NEGOTIATOR] ℹ  info      Request contains an accept header: */*
[5:51:29 PM] ›     [VALIDATOR] ✔  success   The request passed the validation rules. Looking for the best response
[5:51:29 PM] ›     [NEGOTIATOR] ✔  success   Responding with the requested status code 404
[5:51:29 PM] ›     [NEGOTIATOR] ℹ  info      > Responding with \"404\"
[5:51:29 PM] › [HTTP SERVER] post /v2/apps/a/conversations/c/offerControl ℹ  info      Request received
[5:51:29 PM] ›     [VALIDATOR] ⚠  warning   Request did not pass the validation rules
[5:51:29 PM] ›     [VALIDATOR] ✖  error     Request body property switchboardIntegration must be string
[5:51:29 PM] › [HTTP SERVER] post /v2/apps/a/conversations/c/offerControl ✖  error     Request terminated with error: https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request
[5:51:29 PM] › [HTTP SERVER] post /v2/apps/a/conversations/c/acceptControl ℹ  info      Request received
[5:51:29 PM] ›     [VALIDATOR] ✖  error     Invalid security scheme used
";

    #[test]
    fn violations_belong_to_the_request_they_were_logged_for() {
        let log = PrismLog::parse(&lines(SAMPLE));
        assert!(log.startup_problems.is_empty(), "{log:#?}");
        let requests: Vec<_> = log.exchanges.iter().map(|e| e.request.as_str()).collect();
        assert_eq!(
            requests,
            [
                "post /v2/apps/a/conversations/c/passControl",
                "post /v2/apps/a/conversations/c/offerControl",
                "post /v2/apps/a/conversations/c/acceptControl",
            ]
        );

        let [valid, bad_body, no_auth] = &log.exchanges[..] else {
            panic!("three exchanges expected: {log:#?}");
        };
        assert_eq!((valid.status, valid.finished), (Some(404), true));
        assert!(valid.violations.is_empty(), "{valid:#?}");

        assert_eq!((bad_body.status, bad_body.finished), (None, true));
        assert_eq!(bad_body.violations.len(), 3, "{bad_body:#?}");
        assert!(bad_body.violations[1].contains("switchboardIntegration must be string"));

        assert!(!no_auth.finished, "no response was logged for it");
        assert_eq!(
            no_auth.violations,
            ["[VALIDATOR] error: Invalid security scheme used"]
        );
        assert_eq!(log.finished(), 2);
        assert_eq!(log.violating().count(), 2);
    }

    #[test]
    fn unknown_levels_and_startup_errors_count_as_problems() {
        let log = PrismLog::parse(&lines(
            "\
[1:00:00 PM] › [CLI] ✖  fatal     Unable to read the document
  at line 3
[1:00:01 PM] › [HTTP SERVER] post /v2/x ℹ  info      Request received
[1:00:01 PM] ›     [VALIDATOR] ?  mystery   Something new
",
        ));
        assert_eq!(
            log.startup_problems,
            ["[CLI] fatal: Unable to read the document\n  at line 3"]
        );
        assert_eq!(
            log.exchanges[0].violations,
            ["[VALIDATOR] unknown: ?  mystery   Something new"]
        );
    }

    #[test]
    fn colour_codes_do_not_hide_a_violation() {
        let log = PrismLog::parse(&lines(
            "\u{1b}[90m[1:00:01 PM]\u{1b}[39m › [HTTP SERVER] post /v2/x ℹ  \u{1b}[34minfo\u{1b}[39m      Request received\n\
             [1:00:01 PM] ›     [VALIDATOR] ✖  \u{1b}[31merror\u{1b}[39m     Bad body",
        ));
        assert_eq!(log.exchanges.len(), 1);
        assert_eq!(log.exchanges[0].violations, ["[VALIDATOR] error: Bad body"]);
    }
}
