//! Finds the line and column of a JSON pointer in a block-style YAML text, so
//! that diagnostics found after parsing (which knows no positions) can still
//! say where to look. Flow-style parts (`{…}`, `[…]`) are not followed: the
//! position of the nearest enclosing entry is given instead.
//!
//! [`Outline`] reads the text once; each lookup then walks down the pointer
//! jumping over whole subtrees, so placing many diagnostics costs one pass
//! over the text plus a little per pointer, not a pass per pointer.

/// 1-based line and column of the entry `pointer` names, or of the deepest
/// enclosing entry that could be found; `None` for the root or when nothing
/// matches. Reads the whole text: to place several pointers, build an
/// [`Outline`] once.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    Outline::new(text).locate(pointer)
}

/// The indentation structure of a YAML text: its content lines (no blanks,
/// comments or document markers), each knowing where its subtree ends.
#[derive(Debug)]
pub struct Outline<'a> {
    lines: Vec<Line<'a>>,
}

#[derive(Debug)]
struct Line<'a> {
    /// 0-based number among all lines of the text.
    number: usize,
    indent: usize,
    text: &'a str,
    /// Index (in `Outline::lines`) of the next line indented as much as this
    /// one or less: every line before it is nested deeper than this one.
    end: usize,
}

/// The content lines (`from..to`, indices into the outline) holding one
/// mapping's or sequence's entries.
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

impl<'a> Outline<'a> {
    /// Reads `text` once.
    pub fn new(text: &'a str) -> Self {
        let mut lines: Vec<Line<'a>> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| is_content(line))
            .map(|(number, text)| Line {
                number,
                indent: indent(text),
                text,
                end: 0,
            })
            .collect();
        // Right to left, a stack of the lines not yet closed: those indented
        // deeper than the current line end their subtree at or before it.
        let mut open: Vec<usize> = Vec::new();
        for index in (0..lines.len()).rev() {
            while open
                .last()
                .is_some_and(|&later| lines[later].indent > lines[index].indent)
            {
                open.pop();
            }
            lines[index].end = open.last().copied().unwrap_or(lines.len());
            open.push(index);
        }
        Self { lines }
    }

    /// 1-based line and column of the entry `pointer` names, or of the deepest
    /// enclosing entry that could be found; `None` for the root or when
    /// nothing matches.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let rest = pointer.strip_prefix('#')?.strip_prefix('/')?;
        let mut container = Container {
            from: 0,
            to: self.lines.len(),
            first: None,
        };
        let mut found = None;
        for token in rest
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
        {
            let Some((index, column, next)) = self.find(&container, &token) else {
                break;
            };
            found = Some((self.lines[index].number + 1, column + 1));
            match next {
                Some(next) => container = next,
                None => break,
            }
        }
        found
    }

    /// The first line from `from` on (before `to`) indented `column` or less.
    fn next_at_most(&self, mut from: usize, column: usize, to: usize) -> Option<usize> {
        while from < to {
            let line = &self.lines[from];
            if line.indent <= column {
                return Some(from);
            }
            from = line.end;
        }
        None
    }

    fn text_at(&self, (index, column): (usize, usize)) -> &'a str {
        self.lines[index].text.get(column..).unwrap_or("")
    }

    /// The entries of `container`: line index and column of each.
    fn entries(&self, container: &Container) -> Vec<(usize, usize)> {
        // Entries sit at the indentation of the first content line.
        let Some(first) = container.first.or_else(|| {
            (container.from < container.to)
                .then(|| (container.from, self.lines[container.from].indent))
        }) else {
            return Vec::new();
        };
        let column = first.1;
        let mut entries = vec![first];
        let mut at = first.0 + 1;
        while let Some(next) = self.next_at_most(at, column, container.to) {
            if self.lines[next].indent != column {
                break;
            }
            entries.push((next, column));
            at = self.lines[next].end;
        }
        entries
    }

    /// The entry of `container` named `token`: its line index, column and,
    /// when its value is a block collection, that collection.
    fn find(
        &self,
        container: &Container,
        token: &str,
    ) -> Option<(usize, usize, Option<Container>)> {
        let entries = self.entries(container);
        let is_sequence = self.text_at(*entries.first()?).starts_with('-');
        let (index, column) = if is_sequence {
            let position: usize = token.parse().ok()?;
            *entries
                .iter()
                .filter(|&&e| self.text_at(e).starts_with('-'))
                .nth(position)?
        } else {
            *entries
                .iter()
                .find(|&&e| key_of(self.text_at(e)).as_deref() == Some(token))?
        };
        // The entry's value runs until the next line at its indentation or less.
        let end = self
            .next_at_most(index + 1, column, container.to)
            .unwrap_or(container.to);
        let entry = self.text_at((index, column));
        let next = if is_sequence {
            let item = entry[1..].trim_start();
            let item_column = column + (entry.len() - item.len());
            Some(if item.is_empty() {
                Container {
                    from: index + 1,
                    to: end,
                    first: None,
                }
            } else {
                Container {
                    from: index,
                    to: end,
                    first: Some((index, item_column)),
                }
            })
        } else {
            let value = entry.split_once(':').map_or("", |(_, v)| v.trim());
            // A block collection follows on the next lines; anything inline
            // (a scalar, a flow collection, a block scalar) has no entries to find.
            (value.is_empty() || value.starts_with('#')).then_some(Container {
                from: index + 1,
                to: end,
                first: None,
            })
        };
        Some((index, column, next))
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
