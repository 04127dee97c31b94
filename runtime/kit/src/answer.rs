//! What an expectation answers, turned into the HTTP response.

use serde_json::Value;
use wiremock::ResponseTemplate;

use sunshine_runtime::PageLayout;

/// An answer, before the request it answers is known.
pub(crate) enum Answer {
    /// A status and a JSON body.
    Json(u16, Value),
    /// A status with no body, and maybe `Retry-After`.
    Raw {
        status: u16,
        retry_after: Option<u64>,
    },
    /// A list split into pages, chosen by the request's cursor.
    Pages {
        status: u16,
        items: Vec<Value>,
        per_page: usize,
        layout: &'static PageLayout,
    },
    /// The test gave a value that does not encode: answered as a `500`
    /// whose body says so.
    Unencodable(String),
}

impl Answer {
    /// The response to `request`.
    pub(crate) fn to_response(&self, request: &wiremock::Request) -> ResponseTemplate {
        match self {
            Answer::Json(status, body) => ResponseTemplate::new(*status).set_body_json(body),
            Answer::Raw {
                status,
                retry_after,
            } => {
                let response = ResponseTemplate::new(*status);
                match retry_after {
                    Some(seconds) => response.insert_header("retry-after", seconds.to_string()),
                    None => response,
                }
            }
            Answer::Pages {
                status,
                items,
                per_page,
                layout,
            } => {
                let cursor = request
                    .url
                    .query_pairs()
                    .find(|(name, _)| name == layout.cursor_param)
                    .map(|(_, value)| value.into_owned());
                ResponseTemplate::new(*status).set_body_json(page(
                    items,
                    *per_page,
                    layout,
                    cursor.as_deref(),
                ))
            }
            Answer::Unencodable(error) => ResponseTemplate::new(500).set_body_string(format!(
                "the test's answer does not encode as JSON: {error}"
            )),
        }
    }
}

/// The cursor of the page at `index`.
fn cursor_of(index: usize) -> String {
    format!("page-{index}")
}

/// The page a request with `cursor` gets: the first without one.
fn page(items: &[Value], per_page: usize, layout: &PageLayout, cursor: Option<&str>) -> Value {
    let index = cursor
        .and_then(|cursor| cursor.strip_prefix("page-"))
        .and_then(|index| index.parse::<usize>().ok())
        .unwrap_or(0);
    let start = (index * per_page).min(items.len());
    let end = (start + per_page).min(items.len());
    let has_more = end < items.len();
    let mut body = Value::Object(Default::default());
    set(
        &mut body,
        layout.items,
        Value::Array(items[start..end].to_vec()),
    );
    set(&mut body, layout.has_more, Value::Bool(has_more));
    if has_more {
        set(
            &mut body,
            layout.cursor,
            Value::String(cursor_of(index + 1)),
        );
    }
    body
}

/// Sets the value at JSON pointer `pointer` (objects only), making the
/// objects on the way.
fn set(target: &mut Value, pointer: &str, value: Value) {
    let mut at = target;
    let mut keys = pointer.trim_start_matches('/').split('/').peekable();
    while let Some(key) = keys.next() {
        let key = key.replace("~1", "/").replace("~0", "~");
        let Value::Object(object) = at else { return };
        if keys.peek().is_none() {
            object.insert(key, value);
            return;
        }
        at = object
            .entry(key)
            .or_insert_with(|| Value::Object(Default::default()));
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    static MESSAGES: PageLayout = PageLayout {
        cursor_param: "page[before]",
        items: "/messages",
        has_more: "/meta/hasMore",
        cursor: "/meta/beforeCursor",
    };

    #[test]
    fn items_are_split_into_pages_with_cursors_where_the_document_puts_them() {
        let items: Vec<Value> = (1..=5).map(|n| json!({ "id": n })).collect();
        assert_eq!(
            page(&items, 2, &MESSAGES, None),
            json!({ "messages": [{ "id": 1 }, { "id": 2 }], "meta": { "hasMore": true, "beforeCursor": "page-1" } })
        );
        assert_eq!(
            page(&items, 2, &MESSAGES, Some("page-2")),
            json!({ "messages": [{ "id": 5 }], "meta": { "hasMore": false } })
        );
    }
}
