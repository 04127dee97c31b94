//! Links into a document's web page (`[label](#anchor)`) in Markdown,
//! rewritten to rustdoc intra-doc links: the text work, which knows nothing
//! of the items linked to (the surface resolves anchors to paths).

/// `text` with each `[label](#anchor)` outside code replaced by
/// `[label](path)` when `path_of` knows the anchor, by `label` otherwise.
pub fn rewrite<'t>(text: &str, path_of: &dyn Fn(&str) -> Option<&'t str>) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence || !line.contains("](#") {
            out.push(line.to_owned());
        } else {
            out.push(rewrite_line(line, path_of));
        }
    }
    out.join("\n")
}

fn rewrite_line<'t>(line: &str, path_of: &dyn Fn(&str) -> Option<&'t str>) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    // Start (in `chars`) of the text not yet copied, and of each open `[`.
    let mut copied = 0;
    let mut opens: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '`' => {
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                i = (i + run..chars.len())
                    .find(|&j| {
                        chars[j..].iter().take_while(|&&c| c == '`').count() == run
                            && chars.get(j.wrapping_sub(1)) != Some(&'`')
                    })
                    .map_or(i + run, |j| j + run);
            }
            '[' => {
                opens.push(i);
                i += 1;
            }
            ']' => {
                let open = opens.pop();
                let anchor_end = chars[i + 1..]
                    .starts_with(&['(', '#'])
                    .then(|| {
                        chars[i + 3..]
                            .iter()
                            .position(|&c| c == ')' || c.is_whitespace())
                    })
                    .flatten()
                    .map(|p| i + 3 + p)
                    .filter(|&end| chars[end] == ')');
                match (open, anchor_end) {
                    (Some(open), Some(end)) => {
                        let label: String = chars[open + 1..i].iter().collect();
                        let anchor: String = chars[i + 3..end].iter().collect();
                        out.extend(&chars[copied..open]);
                        match path_of(&anchor) {
                            Some(path) => out.push_str(&format!("[{label}]({path})")),
                            None => out.push_str(&label),
                        }
                        copied = end + 1;
                        opens.clear();
                        i = end + 1;
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out.extend(&chars[copied.min(chars.len())..]);
    out
}

/// `%XX` escapes decoded; anything else (or a malformed escape) kept as is.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(anchor: &str) -> Option<&'static str> {
        match anchor {
            "operation/DeleteUser" => Some("crate::apis::users::Users::delete_user"),
            "tag/Users" => Some("crate::apis::users"),
            _ => None,
        }
    }

    #[test]
    fn known_anchors_become_intra_doc_links_and_others_plain_text() {
        assert_eq!(
            rewrite(
                "See [Delete User](#operation/DeleteUser) and [/v2/users/\\*](#tag/Users).",
                &path
            ),
            "See [Delete User](crate::apis::users::Users::delete_user) and [/v2/users/\\*](crate::apis::users)."
        );
        assert_eq!(
            rewrite(
                "[cursor pagination](#section/Introduction/Pagination), [x](#heading)",
                &path
            ),
            "cursor pagination, x"
        );
    }

    #[test]
    fn other_links_code_and_escapes_are_left_alone() {
        let kept = "[a](https://x.io/#tag/Users) `[b](#tag/Users)` \\[c\\](#tag/Users)\n```md\n[d](#tag/Users)\n```";
        assert_eq!(rewrite(kept, &path), kept);
        assert_eq!(
            rewrite("[`code` [in] label](#tag/Users) (#tag/Users)", &path),
            "[`code` [in] label](crate::apis::users) (#tag/Users)"
        );
        for odd in [
            "](#",
            "[](#)",
            "[a](#b",
            "a](#b)",
            "[a](#b c)",
            "[é](#é)",
            "\\",
        ] {
            rewrite(odd, &path);
        }
    }
}
