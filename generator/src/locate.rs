//! Finds the line and column of a JSON pointer in a block-style YAML text, so
//! that diagnostics found after parsing (which knows no positions) can still
//! say where to look. Flow-style parts (`{…}`, `[…]`) are not followed: the
//! position of the nearest enclosing entry is given instead.

/// 1-based line and column of the entry `pointer` names, or of the deepest
/// enclosing entry that could be found; `None` for the root or when nothing
/// matches.
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

#[cfg(test)]
mod tests {
    use super::locate;

    const DOC: &str = "\
openapi: 3.0.3
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/x'
      responses:
        '200':
          description: |
            text: not a key
components:
  schemas:
    Pet:
      properties:
        identities.email: {type: string}
";

    #[test]
    fn finds_keys_indices_and_quoted_keys() {
        assert_eq!(locate(DOC, "#/paths/~1pets~1{id}/get"), Some((4, 5)));
        assert_eq!(
            locate(DOC, "#/paths/~1pets~1{id}/get/parameters/0/in"),
            Some((7, 11))
        );
        assert_eq!(
            locate(DOC, "#/paths/~1pets~1{id}/get/parameters/1/$ref"),
            Some((8, 11))
        );
        assert_eq!(
            locate(DOC, "#/paths/~1pets~1{id}/get/responses/200/description"),
            Some((11, 11))
        );
        assert_eq!(
            locate(DOC, "#/components/schemas/Pet/properties/identities.email"),
            Some((17, 9))
        );
    }

    #[test]
    fn stops_at_the_deepest_entry_it_can_see() {
        // Inside a flow mapping: the entry holding it.
        assert_eq!(
            locate(
                DOC,
                "#/components/schemas/Pet/properties/identities.email/type"
            ),
            Some((17, 9))
        );
        // A key that does not exist: its parent.
        assert_eq!(locate(DOC, "#/components/schemas/Dog"), Some((14, 3)));
        assert_eq!(locate(DOC, "#"), None);
        assert_eq!(locate(DOC, "#/nothing"), None);
    }
}
