//! Raw HTML in descriptions becomes Markdown.
//!
//! Descriptions written for a web page mix Markdown with HTML: call-outs in
//! `<aside class="notice">`, `<strong>`, `<code>`, `<a href>`, `<br/>`. rustdoc
//! copies raw HTML into the page as is and lints tags it finds unclosed or
//! unknown (`rustdoc::invalid_html_tags`), and Markdown inside an HTML block is
//! not rendered. So every element this module knows becomes its Markdown
//! equivalent (an aside a `> **Note:** …` blockquote, a table a pipe table);
//! any other `<…>` stays text, which the sanitizer then escapes.
//!
//! Code spans and fenced code blocks are left exactly as written.

/// Elements converted to Markdown; any other tag is left as text.
const KNOWN: &[&str] = &[
    "a",
    "aside",
    "b",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
];

/// Elements without content or closing tag.
const VOID: &[&str] = &["br", "hr", "img"];

/// A tag longer than this is taken for text; it bounds the search for a
/// closing quote or `>` so that hostile input cannot make tokenizing quadratic.
const MAX_TAG_LEN: usize = 2048;

/// Tags nested deeper than this are dropped (their text is kept), so that
/// rendering recursion stays bounded whatever the input.
const MAX_NESTING: usize = 32;

/// `text` with its HTML elements turned into Markdown. Text without any
/// known element is returned unchanged.
pub fn to_markdown(text: &str) -> String {
    if !text.contains('<') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for (index, chunk) in split_fences(text).into_iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        match chunk {
            Chunk::Fence(lines) => out.push_str(&lines),
            Chunk::Prose(lines) => {
                let tokens = tokenize(&lines);
                if tokens.iter().all(|t| matches!(t, Token::Text(_))) {
                    out.push_str(&lines);
                } else {
                    changed = true;
                    let nodes = build_tree(tokens);
                    out.push_str(&tidy(&render_nodes(&nodes, false)));
                }
            }
        }
    }
    if changed {
        out.trim().to_owned()
    } else {
        text.to_owned()
    }
}

enum Chunk {
    /// Lines outside code fences, joined by `\n`.
    Prose(String),
    /// A fenced code block, fences included, verbatim.
    Fence(String),
}

/// Splits text into prose and fenced code blocks (the fences as the sanitizer sees them).
fn split_fences(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let is_fence = line.trim_start().starts_with("```");
        if is_fence && !in_fence {
            if !current.is_empty() {
                chunks.push(Chunk::Prose(current.join("\n")));
                current.clear();
            }
            in_fence = true;
            current.push(line);
        } else if is_fence && in_fence {
            current.push(line);
            chunks.push(Chunk::Fence(current.join("\n")));
            current.clear();
            in_fence = false;
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        let joined = current.join("\n");
        chunks.push(if in_fence {
            Chunk::Fence(joined)
        } else {
            Chunk::Prose(joined)
        });
    }
    chunks
}

#[derive(Debug, PartialEq)]
enum Token {
    Text(String),
    Open {
        name: String,
        attrs: Vec<(String, String)>,
        closed: bool,
    },
    Close(String),
    /// An HTML comment, dropped.
    Comment,
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut pending = String::new();
    // Once a comment is left open, no later `<!--` can be closed either.
    let mut comments_close = true;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '`' => {
                // A code span is copied verbatim, as the sanitizer does: within its line.
                let run = chars[i..].iter().take_while(|&&c| c == '`').count();
                let end = code_span_end(&chars, i, run);
                pending.extend(&chars[i..end]);
                i = end;
            }
            '<' => {
                let comment = comments_close.then(|| comment_end(&chars, i)).flatten();
                if comments_close
                    && comment.is_none()
                    && chars[i..].starts_with(&['<', '!', '-', '-'])
                {
                    comments_close = false;
                }
                if let Some(end) = comment {
                    if !pending.is_empty() {
                        tokens.push(Token::Text(std::mem::take(&mut pending)));
                    }
                    tokens.push(Token::Comment);
                    i = end;
                } else if let Some((token, end)) = parse_tag(&chars, i) {
                    if !pending.is_empty() {
                        tokens.push(Token::Text(std::mem::take(&mut pending)));
                    }
                    tokens.push(token);
                    i = end;
                } else {
                    pending.push('<');
                    i += 1;
                }
            }
            c => {
                pending.push(c);
                i += 1;
            }
        }
    }
    if !pending.is_empty() {
        tokens.push(Token::Text(pending));
    }
    tokens
}

/// Where a code span opened by `run` backticks at `start` ends: after its
/// closing run on the same line, or after the opening run when there is none.
fn code_span_end(chars: &[char], start: usize, run: usize) -> usize {
    let mut i = start + run;
    while i < chars.len() && chars[i] != '\n' {
        if chars[i] == '`' {
            let closing = chars[i..].iter().take_while(|&&c| c == '`').count();
            if closing == run {
                return i + run;
            }
            i += closing;
        } else {
            i += 1;
        }
    }
    start + run
}

/// The end of an HTML comment starting at `start`, which is dropped.
fn comment_end(chars: &[char], start: usize) -> Option<usize> {
    let opening = ['<', '!', '-', '-'];
    if !chars[start..].starts_with(&opening) {
        return None;
    }
    (start + 4..chars.len().saturating_sub(2))
        .find(|&i| chars[i..].starts_with(&['-', '-', '>']))
        .map(|i| i + 3)
}

/// A known opening or closing tag at `start`, and where it ends.
fn parse_tag(chars: &[char], start: usize) -> Option<(Token, usize)> {
    let chars = &chars[..chars.len().min(start + MAX_TAG_LEN)];
    let mut i = start + 1;
    let closing = chars.get(i) == Some(&'/');
    if closing {
        i += 1;
    }
    let name_len = chars[i..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    let name: String = chars[i..i + name_len]
        .iter()
        .map(char::to_ascii_lowercase)
        .collect();
    if !KNOWN.contains(&name.as_str()) {
        return None;
    }
    i += name_len;
    let at = |i: usize| chars.get(i).copied();
    if !matches!(at(i), Some(c) if c.is_whitespace() || c == '/' || c == '>') {
        return None;
    }
    let skip_space = |mut i: usize| {
        while at(i).is_some_and(char::is_whitespace) {
            i += 1;
        }
        i
    };
    if closing {
        i = skip_space(i);
        return (at(i) == Some('>')).then(|| (Token::Close(name), i + 1));
    }
    let mut attrs = Vec::new();
    loop {
        i = skip_space(i);
        match at(i)? {
            '>' => {
                return Some((
                    Token::Open {
                        name,
                        attrs,
                        closed: false,
                    },
                    i + 1,
                ))
            }
            '/' if at(i + 1) == Some('>') => {
                return Some((
                    Token::Open {
                        name,
                        attrs,
                        closed: true,
                    },
                    i + 2,
                ))
            }
            _ => {}
        }
        let attr_len = chars[i..]
            .iter()
            .take_while(|&&c| !c.is_whitespace() && !matches!(c, '=' | '>' | '/' | '"' | '\''))
            .count();
        if attr_len == 0 {
            return None;
        }
        let attr: String = chars[i..i + attr_len]
            .iter()
            .map(char::to_ascii_lowercase)
            .collect();
        i = skip_space(i + attr_len);
        let mut value = String::new();
        if at(i) == Some('=') {
            i = skip_space(i + 1);
            match at(i)? {
                quote @ ('"' | '\'') => {
                    let len = chars[i + 1..].iter().position(|&c| c == quote)?;
                    value = chars[i + 1..i + 1 + len].iter().collect();
                    i += len + 2;
                }
                _ => {
                    let len = chars[i..]
                        .iter()
                        .take_while(|&&c| !c.is_whitespace() && c != '>')
                        .count();
                    value = chars[i..i + len].iter().collect();
                    i += len;
                }
            }
        }
        attrs.push((attr, decode_entities(&value)));
    }
}

#[derive(Debug)]
enum Node {
    Text(String),
    Element(Element),
}

#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn heading_level(&self) -> Option<usize> {
        match self.name.as_str() {
            "h1" => Some(1),
            "h2" => Some(2),
            "h3" => Some(3),
            "h4" => Some(4),
            "h5" => Some(5),
            "h6" => Some(6),
            _ => None,
        }
    }
}

/// Nests the tokens as a browser would for well-formed input: stray closing
/// tags are dropped, unclosed elements end where their parent does, and a new
/// `<li>`, `<p>`, `<tr>`, `<td>` or `<th>` closes the previous one.
fn build_tree(tokens: Vec<Token>) -> Vec<Node> {
    let mut stack: Vec<Element> = vec![Element::default()];
    for token in tokens {
        match token {
            Token::Text(text) => push_node(&mut stack, Node::Text(text)),
            Token::Open {
                name,
                attrs,
                closed,
            } => {
                let ends: &[&str] = match name.as_str() {
                    "li" => &["li"],
                    "p" => &["p"],
                    "tr" => &["tr", "td", "th"],
                    "td" | "th" => &["td", "th"],
                    _ => &[],
                };
                while stack.len() > 1
                    && stack
                        .last()
                        .is_some_and(|e| ends.contains(&e.name.as_str()))
                {
                    close_top(&mut stack);
                }
                let element = Element {
                    name,
                    attrs,
                    children: Vec::new(),
                };
                if closed || VOID.contains(&element.name.as_str()) {
                    push_node(&mut stack, Node::Element(element));
                } else if stack.len() > MAX_NESTING {
                    push_node(&mut stack, Node::Text(String::new()));
                } else {
                    stack.push(element);
                }
            }
            Token::Comment => {}
            Token::Close(name) => {
                if let Some(depth) = stack.iter().skip(1).rposition(|e| e.name == name) {
                    while stack.len() > depth + 1 {
                        close_top(&mut stack);
                    }
                }
            }
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn push_node(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

fn close_top(stack: &mut Vec<Element>) {
    if let Some(element) = stack.pop() {
        push_node(stack, Node::Element(element));
    }
}

/// Markdown for a run of nodes; `in_cell` when inside a table cell, where
/// everything must stay on one line.
fn render_nodes(nodes: &[Node], in_cell: bool) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(text) if in_cell => out.push_str(&text.replace('\n', " ")),
            Node::Text(text) => out.push_str(text),
            Node::Element(element) if element.name == "br" => {
                let line = out.rsplit('\n').next().unwrap_or("").trim_start();
                // A pipe table's row must stay on its line; elsewhere a paragraph break.
                if in_cell || line.starts_with('|') {
                    out.push(' ');
                } else if !line.is_empty() {
                    out.push_str("\n\n");
                }
            }
            Node::Element(element) => out.push_str(&render_element(element, in_cell)),
        }
    }
    out
}

fn render_element(element: &Element, in_cell: bool) -> String {
    let children = || render_nodes(&element.children, in_cell);
    let block = |text: String| {
        if in_cell {
            format!(" {} ", text.trim().replace('\n', " "))
        } else {
            format!("\n\n{}\n\n", text.trim())
        }
    };
    if let Some(level) = element.heading_level() {
        let title = one_line(&render_nodes(&element.children, true));
        return block(format!("{} {title}", "#".repeat(level)));
    }
    match element.name.as_str() {
        "strong" | "b" => delimit("**", &children()),
        "em" | "i" => delimit("*", &children()),
        "del" | "s" => delimit("~~", &children()),
        "code" => code_span(&text_content(&element.children)),
        "a" => link(element, &children()),
        "img" => match element.attr("src") {
            Some(src) => format!(
                "![{}]({})",
                element.attr("alt").unwrap_or(""),
                link_destination(src)
            ),
            None => element.attr("alt").unwrap_or("").to_owned(),
        },
        "p" | "div" => block(children()),
        "aside" | "blockquote" => block(quote(&labelled(element, &children()))),
        "hr" => block("***".to_owned()),
        "pre" => {
            let code = text_content(&element.children);
            block(format!("```text\n{}\n```", code.trim_matches('\n')))
        }
        "ul" | "ol" => block(list(element, in_cell)),
        "li" => block(format!("- {}", children().trim())),
        "table" => block(table(element)),
        // Inline wrappers (`span`, `u`, `sup`…) and table parts outside a table keep their content.
        _ => children(),
    }
}

/// `text` between Markdown delimiters, whitespace kept outside them.
fn delimit(marker: &str, text: &str) -> String {
    let core = text.trim();
    if core.is_empty() {
        return text.to_owned();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!("{lead}{marker}{core}{marker}{trail}")
}

/// A Markdown code span holding `code` literally.
fn code_span(code: &str) -> String {
    let code = one_line(code);
    if code.is_empty() {
        return String::new();
    }
    if code.contains('`') {
        format!("`` {code} ``")
    } else {
        format!("`{code}`")
    }
}

fn link(element: &Element, text: &str) -> String {
    let Some(href) = element
        .attr("href")
        .map(str::trim)
        .filter(|h| !h.is_empty())
    else {
        return text.to_owned();
    };
    if !text.trim().is_empty() {
        return format!("[{}]({})", one_line(text), link_destination(href));
    }
    // A link without text (a button drawn by CSS) shows its target.
    if href.starts_with("http://") || href.starts_with("https://") {
        format!("<{}>", link_destination(href))
    } else {
        format!("[{href}]({})", link_destination(href))
    }
}

/// A URL as a Markdown link destination: characters that would end it are escaped.
fn link_destination(url: &str) -> String {
    url.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

/// The call-out's text with its label (`**Note:**`) in front, unless it starts with one.
fn labelled(element: &Element, text: &str) -> String {
    let text = text.trim();
    let class = element.attr("class").unwrap_or("");
    let label = ["notice", "info", "note"]
        .iter()
        .any(|c| class.contains(c))
        .then_some("Note")
        .or_else(|| {
            ["warning", "danger", "error"]
                .iter()
                .any(|c| class.contains(c))
                .then_some("Warning")
        })
        .or_else(|| class.contains("success").then_some("Tip"));
    match label {
        Some(label) if !text.starts_with('*') => format!("**{label}:** {text}"),
        _ => text.to_owned(),
    }
}

/// `text` as a Markdown blockquote.
fn quote(text: &str) -> String {
    tidy(text)
        .lines()
        .map(|line| {
            let line = line.trim_start();
            if line.is_empty() {
                ">".to_owned()
            } else {
                format!("> {line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn list(element: &Element, in_cell: bool) -> String {
    let ordered = element.name == "ol";
    let mut items = Vec::new();
    for child in &element.children {
        let content = match child {
            Node::Element(item) if item.name == "li" => render_nodes(&item.children, in_cell),
            Node::Element(other) => render_element(other, in_cell),
            Node::Text(text) => text.clone(),
        };
        let content = tidy(&content);
        if content.is_empty() {
            continue;
        }
        let marker = if ordered {
            format!("{}. ", items.len() + 1)
        } else {
            "- ".to_owned()
        };
        let indent = " ".repeat(marker.len());
        let mut item = String::new();
        for (index, line) in content.lines().enumerate() {
            if index == 0 {
                item.push_str(&marker);
            } else {
                item.push('\n');
                if !line.is_empty() {
                    item.push_str(&indent);
                }
            }
            item.push_str(line);
        }
        items.push(item);
    }
    items.join("\n")
}

fn table(element: &Element) -> String {
    let mut rows = Vec::new();
    collect_rows(element, &mut rows);
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    if width == 0 {
        return String::new();
    }
    let line = |cells: &[String]| {
        let mut line = String::from("|");
        for column in 0..width {
            line.push(' ');
            line.push_str(cells.get(column).map_or("", String::as_str));
            line.push_str(" |");
        }
        line
    };
    let mut out = vec![line(&rows[0]), line(&vec!["---".to_owned(); width])];
    out.extend(rows[1..].iter().map(|row| line(row)));
    out.join("\n")
}

/// The rows of a table (through `thead`, `tbody`, `tfoot`), each a list of cell texts.
fn collect_rows(element: &Element, rows: &mut Vec<Vec<String>>) {
    for child in &element.children {
        let Node::Element(child) = child else {
            continue;
        };
        match child.name.as_str() {
            "tr" => rows.push(
                child
                    .children
                    .iter()
                    .filter_map(|cell| match cell {
                        Node::Element(cell) if cell.name == "td" || cell.name == "th" => {
                            Some(one_line(&render_nodes(&cell.children, true)).replace('|', "\\|"))
                        }
                        _ => None,
                    })
                    .collect(),
            ),
            "thead" | "tbody" | "tfoot" => collect_rows(child, rows),
            _ => {}
        }
    }
}

/// The text inside nodes, tags dropped and entities decoded (for code).
fn text_content(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(&decode_entities(text)),
            Node::Element(element) if element.name == "br" => out.push('\n'),
            Node::Element(element) => out.push_str(&text_content(&element.children)),
        }
    }
    out
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|n| n.parse().ok()))
                    .and_then(char::from_u32),
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whitespace runs (newlines included) as single spaces, trimmed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Blank lines made empty and never more than one in a row; trimmed.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank = true;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        out.push_str(line.trim_end());
        blank = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_aside_becomes_a_labelled_blockquote() {
        assert_eq!(
            to_markdown("Intro.\n<aside class=\"notice\"><strong>Note:</strong> Use <code>https</code>.</aside>\nAfter."),
            "Intro.\n\n> **Note:** Use `https`.\n\nAfter."
        );
        assert_eq!(
            to_markdown("<aside class=\"warning\">Careful,\nreally.</aside>"),
            "> **Warning:** Careful,\n> really."
        );
    }

    #[test]
    fn inline_tags_become_markdown() {
        assert_eq!(
            to_markdown("see <a href=\"https://x.io/a b\">the <em>guide</em></a>, <b>now</b>"),
            "see [the *guide*](https://x.io/a%20b), **now**"
        );
        assert_eq!(to_markdown("<code>a &lt; b</code>"), "`a < b`");
        assert_eq!(to_markdown("<code>x`y</code>"), "`` x`y ``");
        assert_eq!(
            to_markdown("<a style=\"x\" href=\"https://x.io/c.json\"></a>"),
            "<https://x.io/c.json>"
        );
        assert_eq!(
            to_markdown("see <a href=\"#section/Intro\">here</a>"),
            "see [here](#section/Intro)"
        );
    }

    #[test]
    fn line_breaks_split_paragraphs_but_not_table_rows() {
        assert_eq!(
            to_markdown("| a | one<br/>two |\n| b | c |"),
            "| a | one two |\n| b | c |"
        );
        assert_eq!(to_markdown("</aside> <br/> x<br>y"), "x\n\ny");
    }

    #[test]
    fn lists_tables_headings_and_pre_are_converted() {
        assert_eq!(
            to_markdown("<ol><li>one<li>two</ol><ul><li>a</li></ul>"),
            "1. one\n2. two\n\n- a"
        );
        assert_eq!(
            to_markdown("<table><thead><tr><th>k</th><th>v</th></tr></thead><tr><td>a|b</td><td>1<br>2</td></tr></table>"),
            "| k | v |\n| --- | --- |\n| a\\|b | 1 2 |"
        );
        assert_eq!(
            to_markdown("<h2>Title <i>x</i></h2>text"),
            "## Title *x*\n\ntext"
        );
        assert_eq!(
            to_markdown("<pre>let a = &amp;b;\n</pre>"),
            "```text\nlet a = &b;\n```"
        );
    }

    #[test]
    fn code_unknown_tags_and_plain_text_are_left_alone() {
        let plain = "Vec<String> and `<aside>` and a < b\n\n    indented";
        assert_eq!(to_markdown(plain), plain);
        assert_eq!(
            to_markdown("<project-id> <server-key>"),
            "<project-id> <server-key>"
        );
        assert_eq!(
            to_markdown("```html\n<aside>kept</aside>\n```\n<b>x</b>"),
            "```html\n<aside>kept</aside>\n```\n**x**"
        );
    }

    #[test]
    fn malformed_html_never_panics_and_drops_stray_tags() {
        assert_eq!(to_markdown("a</b>c<b>d"), "ac**d**");
        assert_eq!(to_markdown("<a href=\"unclosed"), "<a href=\"unclosed");
        assert_eq!(to_markdown("<!-- hidden -->shown"), "shown");
        let deep = "<b>".repeat(10_000);
        assert!(to_markdown(&format!("{deep}x")).contains('x'));
        // Unclosed comments and quotes stay text, found in linear time.
        let open = "<!-- <a href=\"x ".repeat(2_000);
        assert_eq!(to_markdown(&open), open);
        for input in [
            "<",
            "<a",
            "<a ",
            "</",
            "</a",
            "<a =x>",
            "<br/",
            "&#xZZ; <i>&#99999999;</i>",
            "é<b>é</b>",
        ] {
            to_markdown(input);
        }
    }
}
