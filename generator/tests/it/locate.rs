//! `locate::Outline` (one pass over the text, then a walk per pointer) gives
//! exactly the positions of the plain algorithm it replaced, which rescanned
//! the text for each pointer: samples of `spec/` and of every published
//! upstream version, each node with a missing child. The plain scan is slow
//! in a debug build, so the samples are spread with prime steps.

use crate::common;

use codegen::locate::Outline;

/// Every JSON pointer of `value`, each followed by one to a child that does not exist.
fn pointers(value: &serde_yaml::Value, pointer: &str, out: &mut Vec<String>) {
    out.push(pointer.to_owned());
    out.push(format!("{pointer}/no~1such~0entry"));
    match value {
        serde_yaml::Value::Mapping(map) => {
            for (key, child) in map {
                let key = match key {
                    serde_yaml::Value::String(s) => s.clone(),
                    other => serde_yaml::to_string(other)
                        .unwrap_or_default()
                        .trim()
                        .to_owned(),
                };
                let token = key.replace('~', "~0").replace('/', "~1");
                pointers(child, &format!("{pointer}/{token}"), out);
            }
        }
        serde_yaml::Value::Sequence(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, &format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn assert_same_positions(name: &str, text: &str, every: usize) {
    let document: serde_yaml::Value = serde_yaml::from_str(text).expect("valid YAML");
    let mut all = Vec::new();
    pointers(&document, "#", &mut all);
    let outline = Outline::new(text);
    let mut placed = 0;
    for pointer in all.iter().step_by(every) {
        let expected = reference::locate(text, pointer);
        assert_eq!(outline.locate(pointer), expected, "{name}: {pointer}");
        placed += usize::from(expected.is_some());
    }
    // The comparison is worth something only if most pointers were placed.
    assert!(
        placed * 2 > all.len() / every,
        "{name}: only {placed} placed"
    );
}

#[test]
fn the_outline_places_every_pointer_of_spec_like_the_plain_scan() {
    let text =
        std::fs::read_to_string(common::workspace_root().join("spec/sunshine-conversations.yaml"))
            .expect("spec/ is readable");
    assert_same_positions("spec/", &text, 7);
}

#[test]
fn the_outline_places_pointers_of_the_published_specs_like_the_plain_scan() {
    let Some(specs) = common::upstream_specs() else {
        return;
    };
    for (version, path) in specs {
        let text = std::fs::read_to_string(&path).expect("readable");
        assert_same_positions(version, &text, 1009);
    }
}

/// The algorithm `locate` used before it had an outline, kept as the oracle.
mod reference {
    pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
        let rest = pointer.strip_prefix('#')?.strip_prefix('/')?;
        let lines: Vec<&str> = text.lines().collect();
        let mut container = Container {
            from: 0,
            to: lines.len(),
            first: None,
        };
        let mut found = None;
        for token in rest
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
        {
            let Some((line, column, next)) = container.find(&lines, &token) else {
                break;
            };
            found = Some((line + 1, column + 1));
            match next {
                Some(next) => container = next,
                None => break,
            }
        }
        found
    }

    /// The lines holding one mapping's or sequence's entries.
    struct Container {
        from: usize,
        to: usize,
        /// An entry that starts on a sequence item's line (`- key: value`), at this column.
        first: Option<(usize, usize)>,
    }

    fn indent(line: &str) -> usize {
        line.len() - line.trim_start_matches(' ').len()
    }

    fn is_content(line: &str) -> bool {
        let trimmed = line.trim();
        !trimmed.is_empty() && !trimmed.starts_with('#') && trimmed != "---"
    }

    /// The key an entry line starts with, if it is a `key:` entry.
    fn key_of(entry: &str) -> Option<String> {
        let (key, rest) = if let Some(quoted) = entry.strip_prefix('\'') {
            let end = quoted.find("':")?;
            (quoted[..end].replace("''", "'"), &quoted[end + 1..])
        } else if let Some(quoted) = entry.strip_prefix('"') {
            let end = quoted.find("\":")?;
            (quoted[..end].to_owned(), &quoted[end + 1..])
        } else {
            let end = entry.find(':')?;
            (entry[..end].trim_end().to_owned(), &entry[end..])
        };
        let after = rest.strip_prefix(':')?;
        (after.is_empty() || after.starts_with(' ')).then_some(key)
    }

    impl Container {
        /// The entry named `token`: its line, column and, when its value is a
        /// block collection, that collection.
        fn find(&self, lines: &[&str], token: &str) -> Option<(usize, usize, Option<Container>)> {
            // Entries sit at the indentation of the first content line.
            let (first_line, column) = match self.first {
                Some(first) => first,
                None => {
                    let line = (self.from..self.to).find(|&i| is_content(lines[i]))?;
                    (line, indent(lines[line]))
                }
            };
            let entries: Vec<(usize, usize)> = std::iter::once((first_line, column))
                .chain(
                    (first_line + 1..self.to)
                        .filter(|&i| is_content(lines[i]) && indent(lines[i]) == column)
                        .map(|i| (i, column)),
                )
                .collect();
            let text_at = |(line, col): (usize, usize)| lines[line].get(col..).unwrap_or("");
            let is_sequence = text_at(entries[0]).starts_with('-');
            let (line, col) = if is_sequence {
                let index: usize = token.parse().ok()?;
                *entries
                    .iter()
                    .filter(|&&e| text_at(e).starts_with('-'))
                    .nth(index)?
            } else {
                *entries
                    .iter()
                    .find(|&&e| key_of(text_at(e)).as_deref() == Some(token))?
            };
            // The entry's value runs until the next line at its indentation or less.
            let end = (line + 1..self.to)
                .find(|&i| is_content(lines[i]) && indent(lines[i]) <= col)
                .unwrap_or(self.to);
            let entry = text_at((line, col));
            let next = if is_sequence {
                let item = entry[1..].trim_start();
                let item_column = col + (entry.len() - item.len());
                Some(if item.is_empty() {
                    Container {
                        from: line + 1,
                        to: end,
                        first: None,
                    }
                } else {
                    Container {
                        from: line,
                        to: end,
                        first: Some((line, item_column)),
                    }
                })
            } else {
                let value = entry.split_once(':').map_or("", |(_, v)| v.trim());
                // A block collection follows on the next lines; anything inline
                // (a scalar, a flow collection, a block scalar) has no entries to find.
                (value.is_empty() || value.starts_with('#')).then_some(Container {
                    from: line + 1,
                    to: end,
                    first: None,
                })
            };
            Some((line, col, next))
        }
    }
}
