//! A pre-parse scan that refuses hostile nesting before the YAML parser,
//! whose cost grows with the square of the flow-collection depth, sees it.

/// How deeply flow collections (`[...]`, `{...}`) may nest. The YAML parser
/// spends time proportional to the current flow depth on every token, so a
/// document of 100 000 `[`s takes minutes to refuse; the deserializer refuses
/// more than 128 levels of any nesting anyway.
pub(super) const MAX_FLOW_DEPTH: usize = 256;

/// Scans `text` the way a YAML scanner sees flow collections (skipping
/// comments, quoted scalars, block scalars and `[`/`{` inside plain scalars)
/// and returns the 1-based line and column of the first `[` or `{` nested more
/// than `limit` deep. Only the structure needed to find flow indicators is
/// modelled; anything odd is left for the real parser to report.
pub(super) fn flow_nesting_exceeds(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut scan = Scanner::new(text.as_bytes());
    while scan.i < scan.bytes.len() {
        if scan.at_line_start() {
            scan.start_line();
            continue;
        }
        let c = scan.bytes[scan.i];
        if c == b'#' && scan.after_blank() {
            // A comment ends a plain scalar.
            scan.in_plain = false;
            scan.i = scan.line_end(scan.i);
        } else if scan.depth == 0 {
            scan.block_token(c);
        } else if scan.flow_token(c, limit) {
            let i = scan.i;
            let line = text[..i].matches('\n').count() + 1;
            let column = text[text[..i].rfind('\n').map_or(0, |p| p + 1)..i]
                .chars()
                .count()
                + 1;
            return Some((line, column));
        }
    }
    None
}

/// Where the scan is, and what it knows of the structure around it.
struct Scanner<'t> {
    bytes: &'t [u8],
    i: usize,
    /// Flow nesting depth (0: block context).
    depth: usize,
    // Block context: whether a node may start here, and the column that a
    // block scalar's lines must be indented beyond.
    node_start: bool,
    in_plain: bool,
    token_column: usize,
    owner_column: usize,
    line_indent: usize,
    block_scalar: Option<usize>,
    /// Start of the line holding `i`, advanced monotonically so columns cost nothing.
    line_start: usize,
    seen_to: usize,
    line_done: usize,
}

impl<'t> Scanner<'t> {
    fn new(bytes: &'t [u8]) -> Self {
        Self {
            bytes,
            i: 0,
            depth: 0,
            node_start: true,
            in_plain: false,
            token_column: 0,
            owner_column: 0,
            line_indent: 0,
            block_scalar: None,
            line_start: 0,
            seen_to: 0,
            line_done: usize::MAX,
        }
    }

    fn blank_at(&self, i: usize) -> bool {
        i >= self.bytes.len() || matches!(self.bytes[i], b' ' | b'\t' | b'\r' | b'\n')
    }

    fn line_end(&self, i: usize) -> usize {
        self.bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| i + p)
    }

    fn after_blank(&self) -> bool {
        self.i == 0 || matches!(self.bytes[self.i - 1], b' ' | b'\t' | b'\r' | b'\n')
    }

    /// At the start of a line in block context, not yet looked at.
    fn at_line_start(&self) -> bool {
        self.depth == 0
            && (self.i == 0 || self.bytes[self.i - 1] == b'\n')
            && self.line_done != self.i
    }

    /// A line's indentation: it ends a block scalar or a plain scalar, or
    /// continues them.
    fn start_line(&mut self) {
        let i = self.i;
        let indent = self.bytes[i..].iter().take_while(|&&b| b == b' ').count();
        let end = self.line_end(i);
        let blank = self.bytes[i + indent..end]
            .iter()
            .all(|b| b.is_ascii_whitespace());
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                self.i = end + 1;
                return;
            }
            self.block_scalar = None;
        }
        // A plain scalar continues on more deeply indented lines.
        if !(self.in_plain && !blank && indent > self.line_indent) {
            if !blank {
                self.line_indent = indent;
            }
            self.owner_column = indent;
            self.node_start = true;
            self.in_plain = false;
        }
        self.i += indent;
        self.line_done = self.i;
    }

    /// One token in block context.
    fn block_token(&mut self, c: u8) {
        let i = self.i;
        if let Some(p) = self.bytes[self.seen_to..i]
            .iter()
            .rposition(|&b| b == b'\n')
        {
            self.line_start = self.seen_to + p + 1;
        }
        self.seen_to = i;
        let column = i - self.line_start;
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => self.i += 1,
            b':' if self.blank_at(i + 1) => {
                self.owner_column = self.token_column;
                self.node_start = true;
                self.in_plain = false;
                self.i += 1;
            }
            _ if !self.node_start => self.i += 1,
            b'-' | b'?' | b':' if self.blank_at(i + 1) => {
                self.owner_column = column;
                self.i += 1;
            }
            b'&' | b'!' => {
                while self.i < self.bytes.len() && !self.blank_at(self.i) {
                    self.i += 1;
                }
            }
            b'[' | b'{' => {
                self.depth = 1;
                self.in_plain = false;
                self.node_start = false;
                self.i += 1;
            }
            b'|' | b'>' => {
                self.block_scalar = Some(self.owner_column);
                self.node_start = false;
                self.i = self.line_end(i);
            }
            b'"' | b'\'' => {
                self.token_column = column;
                self.node_start = false;
                self.i = skip_quoted(self.bytes, i);
            }
            _ => {
                self.token_column = column;
                self.node_start = false;
                self.in_plain = true;
                self.i += 1;
            }
        }
    }

    /// One token in flow context; `true` when it opens a collection nested
    /// more than `limit` deep (the scan then stays on it).
    fn flow_token(&mut self, c: u8, limit: usize) -> bool {
        let i = self.i;
        if self.in_plain {
            match c {
                b',' | b'[' | b']' | b'{' | b'}' => self.in_plain = false,
                b':' if self.blank_at(i + 1) => {
                    self.in_plain = false;
                    self.i += 1;
                    return false;
                }
                _ => {
                    self.i += 1;
                    return false;
                }
            }
        }
        match c {
            b'[' | b'{' => {
                self.depth += 1;
                if self.depth > limit {
                    return true;
                }
                self.i += 1;
            }
            b']' | b'}' => {
                self.depth -= 1;
                self.i += 1;
            }
            b'"' | b'\'' => self.i = skip_quoted(self.bytes, i),
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' | b'?' => self.i += 1,
            b'&' | b'!' | b'*' => {
                while self.i < self.bytes.len()
                    && !self.blank_at(self.i)
                    && !matches!(self.bytes[self.i], b',' | b'[' | b']' | b'{' | b'}')
                {
                    self.i += 1;
                }
            }
            _ => {
                self.in_plain = true;
                self.i += 1;
            }
        }
        false
    }
}

/// The index just past the quoted scalar starting at `start` (a `'` or `"`).
fn skip_quoted(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_nesting_is_measured_like_yaml() {
        assert_eq!(flow_nesting_exceeds("a: [[[1]]]\n", 3), None);
        assert_eq!(flow_nesting_exceeds("a: [[[[1]]]]\n", 3), Some((1, 7)));
        assert_eq!(flow_nesting_exceeds("a: {b: [{c: 1}]}\n", 3), None);
        assert_eq!(
            flow_nesting_exceeds("a: {b: [{c: [1]}]}\n", 3),
            Some((1, 13))
        );
        // Not flow collections: plain scalars, quoted scalars, comments, block scalars.
        assert_eq!(
            flow_nesting_exceeds("a: x[[[[\nb: '[[[[' # [[[[\n", 3),
            None
        );
        assert_eq!(
            flow_nesting_exceeds("a: \"[[\\\"[[\"\nb: [\"]]]]\", '[[''[[']\n", 3),
            None
        );
        assert_eq!(
            flow_nesting_exceeds("- d: |\n    [[[[\n    {{{{\n  e: [1]\n", 3),
            None
        );
        assert_eq!(flow_nesting_exceeds("a: text\n  [[[[ more text\n", 3), None);
        assert_eq!(
            flow_nesting_exceeds("a: [x[y, 'z[', b #[[[\n  , [[[1]]]]\n", 3),
            Some((2, 6))
        );
        // Quotes inside a flow plain scalar are text.
        assert_eq!(
            flow_nesting_exceeds("a: [don't, [[[1]]]]\n", 3),
            Some((1, 14))
        );
        // After a block scalar ends, flow collections count again.
        assert_eq!(
            flow_nesting_exceeds("a: >\n  [[[[\nb: [[[[1]]]]\n", 3),
            Some((3, 7))
        );
    }

    #[test]
    fn real_documents_nest_shallowly() {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/specs/sunshine-conversations/"
        );
        let project = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/sunshine-conversations.yaml"
        );
        let mut paths = vec![std::path::PathBuf::from(project)];
        for version in ["9.1.0", "15.4.0", "17.12.1"] {
            paths.push(std::path::Path::new(dir).join(format!("openapi-{version}.yaml")));
        }
        for path in paths {
            let Ok(text) = std::fs::read_to_string(&path) else {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "{} is missing",
                    path.display()
                );
                eprintln!("skipping {}: not present", path.display());
                continue;
            };
            assert_eq!(flow_nesting_exceeds(&text, 3), None, "{}", path.display());
        }
    }
}
