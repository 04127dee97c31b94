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
    let bytes = text.as_bytes();
    let blank_at = |i: usize| i >= bytes.len() || matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n');
    let line_end = |i: usize| {
        bytes[i..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |p| i + p)
    };
    let mut i = 0;
    let mut depth = 0usize;
    // Block context: whether a node may start here, and the column that a
    // block scalar's lines must be indented beyond.
    let mut node_start = true;
    let mut in_plain = false;
    let mut token_column = 0usize;
    let mut owner_column = 0usize;
    let mut line_indent = 0usize;
    let mut block_scalar: Option<usize> = None;
    // Start of the line holding `i`, advanced monotonically so columns cost nothing.
    let mut line_start = 0usize;
    let mut seen_to = 0usize;
    let mut line_done = usize::MAX;
    while i < bytes.len() {
        if depth == 0 && (i == 0 || bytes[i - 1] == b'\n') && line_done != i {
            let indent = bytes[i..].iter().take_while(|&&b| b == b' ').count();
            let end = line_end(i);
            let blank = bytes[i + indent..end]
                .iter()
                .all(|b| b.is_ascii_whitespace());
            if let Some(parent) = block_scalar {
                if blank || indent > parent {
                    i = end + 1;
                    continue;
                }
                block_scalar = None;
            }
            // A plain scalar continues on more deeply indented lines.
            if !(in_plain && !blank && indent > line_indent) {
                if !blank {
                    line_indent = indent;
                }
                owner_column = indent;
                node_start = true;
                in_plain = false;
            }
            i += indent;
            line_done = i;
            continue;
        }
        let c = bytes[i];
        let after_blank = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\r' | b'\n');
        if c == b'#' && after_blank {
            // A comment ends a plain scalar.
            in_plain = false;
            i = line_end(i);
            continue;
        }
        if depth == 0 {
            if let Some(p) = bytes[seen_to..i].iter().rposition(|&b| b == b'\n') {
                line_start = seen_to + p + 1;
            }
            seen_to = i;
            let column = i - line_start;
            match c {
                b' ' | b'\t' | b'\r' | b'\n' => i += 1,
                b':' if blank_at(i + 1) => {
                    owner_column = token_column;
                    node_start = true;
                    in_plain = false;
                    i += 1;
                }
                _ if !node_start => i += 1,
                b'-' | b'?' | b':' if blank_at(i + 1) => {
                    owner_column = column;
                    i += 1;
                }
                b'&' | b'!' => {
                    while i < bytes.len() && !blank_at(i) {
                        i += 1;
                    }
                }
                b'[' | b'{' => {
                    depth = 1;
                    in_plain = false;
                    node_start = false;
                    i += 1;
                }
                b'|' | b'>' => {
                    block_scalar = Some(owner_column);
                    node_start = false;
                    i = line_end(i);
                }
                b'"' | b'\'' => {
                    token_column = column;
                    node_start = false;
                    i = skip_quoted(bytes, i);
                }
                _ => {
                    token_column = column;
                    node_start = false;
                    in_plain = true;
                    i += 1;
                }
            }
            continue;
        }
        // Flow context.
        if in_plain {
            match c {
                b',' | b'[' | b']' | b'{' | b'}' => in_plain = false,
                b':' if blank_at(i + 1) => {
                    in_plain = false;
                    i += 1;
                    continue;
                }
                _ => {
                    i += 1;
                    continue;
                }
            }
        }
        match c {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    let line = text[..i].matches('\n').count() + 1;
                    let column = text[text[..i].rfind('\n').map_or(0, |p| p + 1)..i]
                        .chars()
                        .count()
                        + 1;
                    return Some((line, column));
                }
                i += 1;
            }
            b']' | b'}' => {
                depth -= 1;
                i += 1;
            }
            b'"' | b'\'' => i = skip_quoted(bytes, i),
            b' ' | b'\t' | b'\r' | b'\n' | b',' | b':' | b'?' => i += 1,
            b'&' | b'!' | b'*' => {
                while i < bytes.len()
                    && !blank_at(i)
                    && !matches!(bytes[i], b',' | b'[' | b']' | b'{' | b'}')
                {
                    i += 1;
                }
            }
            _ => {
                in_plain = true;
                i += 1;
            }
        }
    }
    None
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
