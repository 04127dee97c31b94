//! A request as generated operation code describes it, before it is sent.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderName, HeaderValue, InvalidHeaderName, InvalidHeaderValue};
use reqwest::Method;

/// Characters left as they are in a path segment or query component: the
/// RFC 3986 "unreserved" set. Everything else is percent-encoded, which keeps
/// `/`, `?`, `#`, `%`, `&`, `=`, `\` and friends from changing the URL's
/// structure.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One API call as described by generated operation code, before it is sent
/// with [`Client::send`](crate::Client::send).
///
/// Building never fails: the first problem (say, a body that does not
/// serialize) is remembered and reported by `send` as
/// [`Error::InvalidRequest`](crate::Error::InvalidRequest), so operations can
/// build requests fluently. A request is kept whole until the last attempt,
/// so each retry is prepared from it again without copying its body.
#[derive(Debug)]
#[must_use = "a request does nothing until it is passed to `Client::send`"]
pub struct Request {
    /// The `operationId`, for tracing.
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// The path as the document writes it (`/v2/apps/{appId}`), for tracing.
    pub(crate) template: &'static str,
    /// Already encoded; starts with `/`.
    pub(crate) path: String,
    /// Encoded `name=value` pairs joined by `&`, without the leading `?`.
    pub(crate) query: String,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Body,
    pub(crate) error: Option<InvalidRequest>,
}

/// What a request sends after its headers.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    Empty,
    /// Serialized JSON; `Bytes` so each attempt shares it instead of copying.
    Json(Bytes),
    Multipart(Multipart),
}

impl Request {
    /// A request for operation `operation`: `method` on the path `template`
    /// as the document writes it (`/v2/apps/{appId}`), relative to the base
    /// URL. A template with `{name}` placeholders gets their values from
    /// [`path_params`](Self::path_params).
    pub fn new(operation: &'static str, method: Method, template: &'static str) -> Self {
        Request {
            operation,
            method,
            template,
            path: rooted(template.to_owned()),
            query: String::new(),
            headers: Vec::new(),
            body: Body::Empty,
            error: None,
        }
    }

    /// A `GET` request: [`new`](Self::new) with the method written shorter.
    pub fn get(operation: &'static str, template: &'static str) -> Self {
        Self::new(operation, Method::GET, template)
    }

    /// A `POST` request.
    pub fn post(operation: &'static str, template: &'static str) -> Self {
        Self::new(operation, Method::POST, template)
    }

    /// A `PUT` request.
    pub fn put(operation: &'static str, template: &'static str) -> Self {
        Self::new(operation, Method::PUT, template)
    }

    /// A `PATCH` request.
    pub fn patch(operation: &'static str, template: &'static str) -> Self {
        Self::new(operation, Method::PATCH, template)
    }

    /// A `DELETE` request.
    pub fn delete(operation: &'static str, template: &'static str) -> Self {
        Self::new(operation, Method::DELETE, template)
    }

    /// Fills the template's `{name}` placeholders, in order, with `values`,
    /// each percent-encoded as one path segment (see
    /// [`encode_path_segment`]), so a value cannot add segments or a query.
    /// A count of values that does not match the placeholders makes
    /// [`Client::send`](crate::Client::send) fail with
    /// [`InvalidRequest::Url`].
    pub fn path_params(mut self, values: &[&str]) -> Self {
        let mut path = String::with_capacity(self.template.len() + 16 * values.len());
        let mut values = values.iter();
        let mut rest = self.template;
        while let Some((before, after)) = rest.split_once('{') {
            let Some((_, after)) = after.split_once('}') else {
                break;
            };
            path.push_str(before);
            match values.next() {
                Some(value) => path.push_str(&encode_path_segment(value)),
                None => return self.path_mismatch("more placeholders than values"),
            }
            rest = after;
        }
        path.push_str(rest);
        if values.next().is_some() {
            return self.path_mismatch("more values than placeholders");
        }
        self.path = rooted(path);
        self
    }

    fn path_mismatch(mut self, reason: &str) -> Self {
        self.error.get_or_insert(InvalidRequest::Url {
            url: self.template.to_owned(),
            reason: format!("the path template has {reason}"),
        });
        self
    }

    /// Drops the query and header parameters set so far: an operation that
    /// sends its parameters' defaults replaces them when the caller sets its
    /// own with `.params(..)`.
    pub fn without_params(mut self) -> Self {
        self.query.clear();
        self.headers.clear();
        self
    }

    /// Appends the query parameter `name=value`, percent-encoding both.
    ///
    /// Call it once per value to send a repeated (exploded) parameter.
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        if !self.query.is_empty() {
            self.query.push('&');
        }
        self.query.extend(utf8_percent_encode(name, COMPONENT));
        self.query.push('=');
        self.query
            .extend(utf8_percent_encode(&value.to_string(), COMPONENT));
        self
    }

    /// Appends the query parameter `name` with `value` written as the API
    /// expects (see [`support::query_value`](crate::support::query_value)):
    /// strings as they are, numbers and booleans in JSON notation.
    pub fn query_param<T: serde::Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.query(name, crate::support::query_value(value))
    }

    /// [`query_param`](Self::query_param) if `value` is set; nothing if not.
    pub fn query_param_opt<T: serde::Serialize>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.query_param(name, value),
            None => self,
        }
    }

    /// Sets the header `name` to `value`, written as
    /// [`query_param`](Self::query_param) writes values.
    pub fn header_param<T: serde::Serialize + ?Sized>(self, name: &str, value: &T) -> Self {
        self.header(name, crate::support::query_value(value))
    }

    /// [`header_param`](Self::header_param) if `value` is set; nothing if not.
    pub fn header_param_opt<T: serde::Serialize>(self, name: &str, value: Option<&T>) -> Self {
        match value {
            Some(value) => self.header_param(name, value),
            None => self,
        }
    }

    /// Sets a header, replacing the client-wide header of the same name if
    /// there is one. An invalid name or value (a line break, say) makes
    /// [`Client::send`](crate::Client::send) fail with
    /// [`Error::InvalidRequest`](crate::Error::InvalidRequest).
    pub fn header(mut self, name: &str, value: impl ToString) -> Self {
        match parse_header(name, &value.to_string()) {
            Ok(header) => self.headers.push(header),
            Err(error) => self.fail(error),
        }
        self
    }

    /// Sends `body` serialized as JSON, with `Content-Type: application/json`.
    ///
    /// The body is serialized now; if that fails, `send` reports it.
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(json) => self.body = Body::Json(Bytes::from(json)),
            Err(error) => self.fail(InvalidRequest::Body(error)),
        }
        self
    }

    /// Sends `form` as a `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.body = Body::Multipart(form);
        self
    }

    /// The same request again (its body shared, not copied), for another
    /// page. Only requests that were sent once, so carry no error, are
    /// duplicated.
    /// The encoded query: `name=value` pairs joined by `&`, without the
    /// leading `?`.
    pub fn encoded_query(&self) -> &str {
        &self.query
    }

    /// The headers this request sets, beside the client's common ones.
    pub fn header_pairs(&self) -> &[(HeaderName, HeaderValue)] {
        &self.headers
    }

    pub(crate) fn duplicate(&self) -> Request {
        Request {
            operation: self.operation,
            method: self.method.clone(),
            template: self.template,
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            error: None,
        }
    }

    /// This request with the query parameter `name` set to `value` alone,
    /// replacing any value it had.
    pub(crate) fn with_query(&self, name: &str, value: &str) -> Request {
        let mut request = self.duplicate();
        let prefix: String = utf8_percent_encode(name, COMPONENT).chain(["="]).collect();
        request.query = self
            .query
            .split('&')
            .filter(|pair| !pair.is_empty() && !pair.starts_with(&prefix))
            .collect::<Vec<_>>()
            .join("&");
        request.query(name, value)
    }

    /// Records why the request cannot be sent; the first reason wins.
    fn fail(&mut self, error: InvalidRequest) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }
}

/// Checks a header name and value given as text.
pub(crate) fn parse_header(
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), InvalidRequest> {
    let header_name =
        HeaderName::from_bytes(name.as_bytes()).map_err(|source| InvalidRequest::HeaderName {
            name: name.to_owned(),
            source,
        })?;
    let header_value =
        HeaderValue::from_str(value).map_err(|source| InvalidRequest::HeaderValue {
            name: name.to_owned(),
            source,
        })?;
    Ok((header_name, header_value))
}

/// A `multipart/form-data` body, kept as shared bytes so that every attempt
/// builds its form from the same buffers: a retry never copies or re-reads an
/// uploaded file.
#[derive(Debug, Default, Clone)]
pub struct Multipart {
    fields: Vec<(&'static str, Field)>,
}

#[derive(Debug, Clone)]
enum Field {
    Text(String),
    File {
        bytes: Bytes,
        file_name: String,
        content_type: Option<String>,
    },
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &'static str, value: String) -> Self {
        self.fields.push((name, Field::Text(value)));
        self
    }

    /// Adds a file field.
    pub fn file(mut self, name: &'static str, upload: &crate::Upload) -> Self {
        self.fields.push((
            name,
            Field::File {
                // Shares the upload's memory: no copy, now or per attempt.
                bytes: upload.bytes().clone(),
                file_name: upload.file_name().to_owned(),
                content_type: upload.content_type().map(str::to_owned),
            },
        ));
        self
    }

    /// The form for one attempt; file parts share this body's buffers.
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, InvalidRequest> {
        let mut form = reqwest::multipart::Form::new();
        for (name, field) in &self.fields {
            form = match field {
                Field::Text(value) => form.text(*name, value.clone()),
                Field::File {
                    bytes,
                    file_name,
                    content_type,
                } => {
                    let length = bytes.len() as u64;
                    let body = reqwest::Body::from(bytes.clone());
                    let mut part = reqwest::multipart::Part::stream_with_length(body, length)
                        .file_name(file_name.clone());
                    if let Some(content_type) = content_type {
                        part = part.mime_str(content_type).map_err(InvalidRequest::Http)?;
                    }
                    form.part(*name, part)
                }
            };
        }
        Ok(form)
    }
}

/// `path` with a leading `/`: joined to a base URL without a trailing one,
/// a path without it would merge into the host or the last base segment.
fn rooted(path: String) -> String {
    match path.starts_with('/') {
        true => path,
        false => format!("/{path}"),
    }
}

/// Percent-encodes `segment` for use as one path segment.
///
/// Everything but ASCII letters, digits, `-`, `.`, `_` and `~` is encoded, so a
/// value containing `/`, `?`, `#` or `%` stays a single segment. A segment
/// that is exactly `.` or `..` is encoded as `%2E` or `%2E%2E`; URL parsing
/// still treats those as dot segments, so `send` refuses such a request rather
/// than let it reach a different resource.
pub fn encode_path_segment(segment: &str) -> Cow<'_, str> {
    match segment {
        "." => Cow::Borrowed("%2E"),
        ".." => Cow::Borrowed("%2E%2E"),
        _ => utf8_percent_encode(segment, COMPONENT).into(),
    }
}

/// Why a request could not be sent. No request reached the network.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// The request body could not be serialized as JSON.
    Body(serde_json::Error),
    /// A header name is not valid in HTTP.
    #[non_exhaustive]
    HeaderName {
        /// The header's name.
        name: String,
        /// Why it is invalid.
        source: InvalidHeaderName,
    },
    /// A header value contains characters not allowed in HTTP, such as a line
    /// break.
    #[non_exhaustive]
    HeaderValue {
        /// The header's name.
        name: String,
        /// Why the value is invalid.
        source: InvalidHeaderValue,
    },
    /// The request URL could not be formed, or URL parsing would have changed
    /// which resource it addresses (a path parameter of `.` or `..`).
    #[non_exhaustive]
    Url {
        /// The URL as formed from the base URL, path and query.
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// The credentials could not be turned into an `Authorization` header
    /// for this request (a JWT could not be signed).
    #[non_exhaustive]
    Credentials {
        /// Why; never includes the credentials themselves.
        reason: &'static str,
    },
    /// The HTTP client rejected the request (for example an upload's media
    /// type that is not a valid MIME type).
    Http(reqwest::Error),
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidRequest::Body(_) => {
                f.write_str("the request body could not be serialized as JSON")
            }
            InvalidRequest::HeaderName { name, .. } => {
                write!(f, "`{name}` is not a valid HTTP header name")
            }
            // The value itself is left out: it may be sensitive.
            InvalidRequest::HeaderValue { name, .. } => {
                write!(
                    f,
                    "the value of the `{name}` header is not a valid HTTP header value"
                )
            }
            InvalidRequest::Url { url, reason } => {
                write!(f, "cannot send a request to `{url}`: {reason}")
            }
            InvalidRequest::Credentials { reason } => write!(f, "invalid credentials: {reason}"),
            InvalidRequest::Http(_) => f.write_str("the HTTP client rejected the request"),
        }
    }
}

impl std::error::Error for InvalidRequest {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InvalidRequest::Body(error) => Some(error),
            InvalidRequest::HeaderName { source, .. } => Some(source),
            InvalidRequest::HeaderValue { source, .. } => Some(source),
            InvalidRequest::Http(error) => Some(error),
            InvalidRequest::Url { .. } | InvalidRequest::Credentials { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params_fill_the_placeholders_in_order_each_as_one_segment() {
        let request = Request::get("GetUser", "/v2/apps/{appId}/users/{userId}")
            .path_params(&["app 1", "a/b?c"]);
        assert_eq!(request.path, "/v2/apps/app%201/users/a%2Fb%3Fc");
        assert_eq!(request.template, "/v2/apps/{appId}/users/{userId}");
        assert!(request.error.is_none());
        let dots = Request::get("GetUser", "/u/{id}").path_params(&[".."]);
        assert_eq!(dots.path, "/u/%2E%2E");
    }

    #[test]
    fn a_template_without_placeholders_is_the_path() {
        let request = Request::post("PostThing", "things").path_params(&[]);
        assert_eq!(request.path, "/things");
        assert!(request.error.is_none());
    }

    #[test]
    fn values_that_do_not_match_the_placeholders_fail_the_request() {
        for values in [&["a"][..], &["a", "b", "c"][..]] {
            let request = Request::get("Op", "/x/{a}/y/{b}").path_params(values);
            match request.error {
                Some(InvalidRequest::Url { url, reason }) => {
                    assert_eq!(url, "/x/{a}/y/{b}");
                    assert!(reason.starts_with("the path template has more"), "{reason}");
                }
                other => panic!("expected a URL error, got {other:?}"),
            }
        }
    }

    #[test]
    fn file_parts_share_the_uploads_memory_on_every_attempt() {
        let upload =
            crate::Upload::new(vec![7u8; 4096], "photo.jpg").with_content_type("image/jpeg");
        let form = Multipart::new()
            .text("caption", "hi".to_owned())
            .file("source", &upload);
        // Each attempt works from a duplicate of the request, body included.
        let attempt = form.clone();
        for form in [&form, &attempt] {
            match &form.fields[1].1 {
                Field::File {
                    bytes,
                    file_name,
                    content_type,
                } => {
                    assert_eq!(
                        bytes.as_ptr(),
                        upload.bytes().as_ptr(),
                        "copied, not shared"
                    );
                    assert_eq!(file_name, "photo.jpg");
                    assert_eq!(content_type.as_deref(), Some("image/jpeg"));
                }
                other => panic!("expected a file part, got {other:?}"),
            }
            assert!(form.to_form().is_ok());
        }
    }

    #[test]
    fn an_invalid_media_type_is_reported_when_the_form_is_built() {
        let upload = crate::Upload::new(&b"x"[..], "x.bin").with_content_type("not a media type");
        let form = Multipart::new().file("source", &upload);
        assert!(matches!(form.to_form(), Err(InvalidRequest::Http(_))));
    }

    #[test]
    fn a_cursor_replaces_the_one_in_the_query() {
        let request = Request::get("ListMessages", "/m")
            .query("page[before]", "a")
            .query("page[size]", 10);
        let next = request.with_query("page[before]", "b");
        assert_eq!(next.query, "page%5Bsize%5D=10&page%5Bbefore%5D=b");
        let first = Request::get("ListMessages", "/m");
        assert_eq!(
            first.with_query("page[after]", "c").query,
            "page%5Bafter%5D=c"
        );
    }
}
