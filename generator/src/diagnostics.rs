//! Diagnostics: every problem the generator reports names a place in the
//! document (a JSON pointer, plus a line and column where the YAML layer knows
//! them) and says what is wrong. A run collects them all and reports them
//! together, errors first, the way a compiler does.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Generation cannot produce correct output.
    Error,
    /// Output is produced, but something in the document was odd or not supported.
    Warning,
}

/// One located problem in the input document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// JSON pointer into the document, such as `#/components/schemas/foo`.
    pub pointer: String,
    /// 1-based line and column, when the YAML parser reported them.
    pub position: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
    /// What would fix it, when we can tell.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `pointer`.
    pub fn error(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, pointer, message)
    }

    /// A warning at `pointer`.
    pub fn warning(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, pointer, message)
    }

    fn new(severity: Severity, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity,
            pointer: pointer.into(),
            position: None,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a hint saying how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds the line and column the problem was found at.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.position = Some((line, column));
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{severity}: {}", self.message)?;
        write!(f, "\n  --> {}", self.pointer)?;
        if let Some((line, column)) = self.position {
            write!(f, " (line {line}, column {column})")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// The diagnostics of one run, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records an error.
    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::error(pointer, message));
    }

    /// Records a warning.
    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Diagnostic::warning(pointer, message));
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// All diagnostics, errors first, then warnings, each group in document order
    /// of discovery; exact duplicates are reported once.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut items = self.items.clone();
        items.sort_by_key(|d| d.severity);
        items.dedup();
        items
    }

    /// The warnings alone.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    /// Gives diagnostics without a position the one `find` knows for their pointer.
    pub fn fill_positions(&mut self, find: impl Fn(&str) -> Option<(usize, usize)>) {
        for diagnostic in self.items.iter_mut().filter(|d| d.position.is_none()) {
            diagnostic.position = find(&diagnostic.pointer);
        }
    }

    /// Moves every diagnostic of `other` into `self`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in self.sorted() {
            writeln!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

/// Escapes one JSON-pointer token (RFC 6901: `~` as `~0`, `/` as `~1`).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Joins a pointer and a token. Loading builds one for nearly every node of
/// the document, so this allocates once.
pub fn child(pointer: &str, token: &str) -> String {
    let mut joined = String::with_capacity(pointer.len() + 1 + token.len());
    joined.push_str(pointer);
    joined.push('/');
    for c in token.chars() {
        match c {
            '~' => joined.push_str("~0"),
            '/' => joined.push_str("~1"),
            c => joined.push(c),
        }
    }
    joined
}

#[cfg(test)]
mod tests {
    use super::{child, pointer_token};

    #[test]
    fn child_escapes_tokens_like_rfc_6901() {
        assert_eq!(
            child("#/paths", "/v2/apps/{appId}"),
            "#/paths/~1v2~1apps~1{appId}"
        );
        assert_eq!(child("#", "a~b/c"), "#/a~0b~1c");
        assert_eq!(child("#/x", "é"), "#/x/é");
        assert_eq!(child("#/x", "~1"), format!("#/x/{}", pointer_token("~1")));
    }
}
