//! Turns descriptions from the document into rustdoc that renders well and
//! passes `cargo doc` without warnings.
//!
//! Descriptions are CommonMark written for a web page. rustdoc reads a few
//! things differently: an untagged code fence or an indented block is a Rust
//! doctest, `[text]` is an intra-doc link, a bare URL is linted and `<word>` is
//! taken for an HTML tag. HTML the document means as such is turned into
//! Markdown first ([`crate::rustdoc::html`]); any `<` left over is escaped.

/// Rustdoc text for a title and a description, either of which may be absent.
pub fn doc(title: Option<&str>, description: Option<&str>) -> Option<String> {
    let title = title.map(str::trim).filter(|t| !t.is_empty());
    let description = description.map(str::trim).filter(|d| !d.is_empty());
    let text = match (title, description) {
        (Some(title), Some(description)) if !description.starts_with(title) => {
            format!("{title}\n\n{description}")
        }
        (_, Some(description)) => description.to_owned(),
        (Some(title), None) => title.to_owned(),
        (None, None) => return None,
    };
    Some(sanitize(&crate::rustdoc::html::to_markdown(&text)))
}

/// Makes markdown safe for rustdoc (see the module docs).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    // Width of the marker of the list item the previous line belongs to.
    let mut list_indent: Option<usize> = None;
    for line in text.lines() {
        let line = line.replace('\t', "    ");
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_fence {
                out.push_str("```");
            } else if info.trim().is_empty() {
                // An untagged fence would be compiled as a Rust doctest.
                out.push_str("```text");
            } else {
                out.push_str("```");
                out.push_str(info.trim());
            }
            in_fence = !in_fence;
            list_indent = None;
        } else if in_fence {
            out.push_str(&line);
        } else if trimmed.is_empty() {
            list_indent = None;
        } else {
            let indent = line.len() - trimmed.len();
            if let Some(marker) = list_marker(trimmed) {
                // Nested lists keep small indents; four spaces would make a code block.
                out.push_str(&" ".repeat(indent.min(3)));
                list_indent = Some(indent.min(3) + marker);
            } else if let Some(width) = list_indent {
                // A continuation line belongs to the list item above it.
                out.push_str(&" ".repeat(width));
            }
            // Deeper indentation would turn the line into an (untagged) code block.
            out.push_str(&escape_inline(trimmed));
        }
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out.trim_end().to_owned()
}

/// The width of a list marker (`- `, `* `, `+ `, `1. `) starting `line`.
fn list_marker(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then_some(digits + 2)
}

/// Escapes what rustdoc would misread in running text, leaving inline code
/// spans and markdown links alone.
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy a code span verbatim.
                let end = chars[i + 1..]
                    .iter()
                    .position(|&d| d == '`')
                    .map(|p| i + 1 + p);
                match end {
                    Some(end) => {
                        out.extend(&chars[i..=end]);
                        i = end + 1;
                        continue;
                    }
                    None => out.push_str("\\`"),
                }
            }
            '[' => {
                // Keep `[text](url)`; escape any other bracket pair.
                let close = matching_bracket(&chars, i);
                match close {
                    Some(close) if chars.get(close + 1) == Some(&'(') => out.push('['),
                    _ => out.push_str("\\["),
                }
            }
            ']' => {
                let is_link_end = chars.get(i + 1) == Some(&'(') && opened_link(&chars, i);
                out.push_str(if is_link_end { "]" } else { "\\]" });
            }
            '<' => {
                if starts_url(&chars[i + 1..]) {
                    out.push('<');
                } else {
                    out.push_str("&lt;");
                }
            }
            'h' if starts_url(&chars[i..]) && !in_link_target(&out) => {
                // A bare URL: wrap it so rustdoc renders a link instead of warning.
                let end = chars[i..]
                    .iter()
                    .position(|c| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`'))
                    .map_or(chars.len(), |p| i + p);
                let mut url: String = chars[i..end].iter().collect();
                let mut trailing = String::new();
                while url.ends_with(['.', ',', ';', ':']) {
                    trailing.insert(0, url.pop().unwrap_or_default());
                }
                out.push('<');
                out.push_str(&url);
                out.push('>');
                out.push_str(&trailing);
                i = end;
                continue;
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn matching_bracket(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (offset, &c) in chars[open..].iter().enumerate() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + offset);
                }
            }
            _ => {}
        }
    }
    None
}

fn opened_link(chars: &[char], close: usize) -> bool {
    (0..close)
        .rev()
        .any(|start| chars[start] == '[' && matching_bracket(chars, start) == Some(close))
}

fn starts_url(chars: &[char]) -> bool {
    let text: String = chars.iter().take(8).collect();
    text.starts_with("http://") || text.starts_with("https://")
}

/// Whether the text so far ends inside `](` or `<`, i.e. the URL is already a link target.
fn in_link_target(out: &str) -> bool {
    out.ends_with("](") || out.ends_with('<') || out.ends_with('"')
}

/// `text` with its ATX and setext headings moved down so that the highest is
/// at `top` (`3` for `###`), to nest under a heading of the page around it.
/// Levels stop at 6, the deepest Markdown has. Code fences are left alone.
pub fn nest_headings(text: &str, top: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let headings = headings(&lines);
    let Some(highest) = headings.iter().map(|&(_, level, _)| level).min() else {
        return text.to_owned();
    };
    let shift = top.saturating_sub(highest);
    if shift == 0 {
        return text.to_owned();
    }
    let mut out = Vec::with_capacity(lines.len());
    let mut index = 0;
    while index < lines.len() {
        match headings.iter().find(|&&(line, _, _)| line == index) {
            Some(&(_, level, setext)) => {
                let title = if setext {
                    lines[index].trim()
                } else {
                    lines[index].trim_start().trim_start_matches('#').trim()
                };
                out.push(format!("{} {title}", "#".repeat((level + shift).min(6))));
                // A setext heading's underline is dropped: the heading is now ATX.
                index += if setext { 2 } else { 1 };
            }
            None => {
                out.push(lines[index].to_owned());
                index += 1;
            }
        }
    }
    out.join("\n")
}

/// The headings among `lines`: line index, level, and whether it is setext
/// (text underlined by `===` or `---` on the next line).
fn headings(lines: &[&str]) -> Vec<(usize, usize, bool)> {
    let mut found = Vec::new();
    let mut in_fence = false;
    for (index, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence || line.len() - trimmed.len() > 3 {
            continue;
        }
        let hashes = trimmed.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes)
            && trimmed[hashes..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace)
        {
            found.push((index, hashes, false));
            continue;
        }
        let Some(next) = lines.get(index + 1).map(|l| l.trim()) else {
            continue;
        };
        let underline = |c: char| !next.is_empty() && next.chars().all(|d| d == c);
        let level = if underline('=') {
            1
        } else if underline('-') && next.len() >= 2 {
            2
        } else {
            continue;
        };
        if !trimmed.is_empty() && list_marker(trimmed).is_none() && !trimmed.starts_with('>') {
            found.push((index, level, true));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_fences_become_text() {
        assert_eq!(sanitize("a\n```\nx y\n```"), "a\n```text\nx y\n```");
        assert_eq!(sanitize("```javascript\n{}\n```"), "```javascript\n{}\n```");
    }

    #[test]
    fn brackets_urls_and_angles_are_escaped() {
        assert_eq!(sanitize("use page[after] here"), "use page\\[after\\] here");
        assert_eq!(
            sanitize("see [docs](https://x.io/a)."),
            "see [docs](https://x.io/a)."
        );
        assert_eq!(sanitize("go to https://x.io/a."), "go to <https://x.io/a>.");
        assert_eq!(sanitize("a Vec<String> b"), "a Vec&lt;String> b");
        assert_eq!(sanitize("<aside>x</aside>"), "&lt;aside>x&lt;/aside>");
        assert_eq!(sanitize("`page[size]` and `<x>`"), "`page[size]` and `<x>`");
    }

    #[test]
    fn indentation_outside_fences_is_dropped() {
        assert_eq!(sanitize("a\n\n    code\n"), "a\n\ncode");
        assert_eq!(sanitize("```\n\tx\n```"), "```text\n    x\n```");
    }

    #[test]
    fn list_continuations_are_indented() {
        assert_eq!(sanitize("- one\nmore\n\nafter"), "- one\n  more\n\nafter");
        assert_eq!(sanitize("1. one\n  - sub\n"), "1. one\n  - sub");
    }

    #[test]
    fn html_becomes_markdown_before_sanitizing() {
        assert_eq!(
            doc(
                None,
                Some("A [b] c.\n<aside class=\"notice\">Use <code>x[0]</code>.</aside>")
            )
            .as_deref(),
            Some("A \\[b\\] c.\n\n> **Note:** Use `x[0]`.")
        );
    }

    #[test]
    fn headings_nest_below_the_given_level() {
        assert_eq!(
            nest_headings(
                "# Intro\ntext\n## Part\n#### Deep\n```sh\n# comment\n```",
                3
            ),
            "### Intro\ntext\n#### Part\n###### Deep\n```sh\n# comment\n```"
        );
        assert_eq!(
            nest_headings("Title\n=====\nSub\n---\n\n---", 3),
            "### Title\n#### Sub\n\n---"
        );
        assert_eq!(
            nest_headings("#hashtag\n    # code", 3),
            "#hashtag\n    # code"
        );
        assert_eq!(
            nest_headings("### Already\n## Higher", 2),
            "### Already\n## Higher"
        );
        assert_eq!(nest_headings("- item\n---", 3), "- item\n---");
    }

    #[test]
    fn title_and_description_combine() {
        assert_eq!(doc(Some("T"), Some("D")).as_deref(), Some("T\n\nD"));
        assert_eq!(doc(None, Some(" ")), None);
    }
}
