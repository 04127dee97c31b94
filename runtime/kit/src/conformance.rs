//! Every request the fake receives is first checked against the document,
//! as a local Prism would check it: a request that breaks the document is
//! answered as Prism answers it (`400`, `401`, `404`, `405`, `415` or `422`, with what is
//! wrong and where) and fails the test.

use std::fmt;

use percent_encoding::percent_decode_str;
use serde_json::error::Category;

use super::{BodyRule, Spec};

/// What is wrong with a request, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The operation the request was meant for, when its method and path
    /// name one.
    pub operation: Option<&'static str>,
    /// The request line, such as `POST /v2/apps/a/conversations/c/passControl`.
    pub request: String,
    /// Where the problem is: `path`, `method`, `query.page[size]`,
    /// `header.x-request-id`, `body`, `header.content-type`.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// The status Prism answers such a request with.
    pub status: u16,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(operation) = self.operation {
            write!(f, "{operation}: ")?;
        }
        write!(
            f,
            "{} breaks the document at {}: {}",
            self.request, self.location, self.message
        )
    }
}

impl Violation {
    /// The answer Prism gives such a request: a problem document.
    pub(crate) fn problem(&self) -> serde_json::Value {
        serde_json::json!({
            "title": "The request breaks the API document",
            "status": self.status,
            "detail": self.to_string(),
            "validation": [{ "location": self.location.split('.').collect::<Vec<_>>(), "message": self.message }],
        })
    }
}

/// The values of a path's parameters, by name, in template order.
pub(crate) type PathParams = Vec<(&'static str, String)>;

/// The operation among `specs` that `method` and `path` name, with the
/// values of its path parameters; or why none does.
pub(crate) fn route(
    specs: &[&'static Spec],
    method: &str,
    path: &str,
) -> Result<(&'static Spec, PathParams), Violation> {
    let request = format!("{method} {path}");
    // The template with the most literal segments wins, as in Prism:
    // `/users/me` before `/users/{userId}`.
    let mut by_path: Vec<(&'static Spec, PathParams, usize)> = specs
        .iter()
        .filter_map(|spec| {
            match_template(spec.path, path).map(|(params, literals)| (*spec, params, literals))
        })
        .collect();
    by_path.sort_by_key(|(.., literals)| std::cmp::Reverse(*literals));
    if by_path.is_empty() {
        return Err(Violation {
            operation: None,
            request,
            location: "path".to_owned(),
            message: format!("no operation of the document has the path {path}"),
            status: 404,
        });
    }
    let allowed: Vec<&str> = by_path.iter().map(|(spec, ..)| spec.method).collect();
    match by_path
        .into_iter()
        .find(|(spec, ..)| spec.method.eq_ignore_ascii_case(method))
    {
        Some((spec, params, _)) => Ok((spec, params)),
        None => Err(Violation {
            operation: None,
            request,
            location: "method".to_owned(),
            message: format!(
                "the document has no {method} on this path (only {})",
                allowed.join(", ")
            ),
            status: 405,
        }),
    }
}

/// The path parameters of `path` under `template`, and how many literal
/// segments matched; `None` when the path has another shape.
fn match_template(
    template: &'static str,
    path: &str,
) -> Option<(Vec<(&'static str, String)>, usize)> {
    let templates: Vec<&'static str> = template.trim_matches('/').split('/').collect();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    if templates.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    let mut literals = 0;
    for (pattern, segment) in templates.into_iter().zip(segments) {
        match pattern.split_once('{') {
            None => {
                if pattern != segment {
                    return None;
                }
                literals += 1;
            }
            Some((prefix, rest)) => {
                let (name, suffix) = rest.split_once('}')?;
                let value = segment.strip_prefix(prefix)?.strip_suffix(suffix)?;
                if value.is_empty() {
                    return None;
                }
                let value = percent_decode_str(value).decode_utf8_lossy().into_owned();
                params.push((name, value));
            }
        }
    }
    Some((params, literals))
}

/// What is wrong with a request for `spec`, if anything: credentials of
/// one of `schemes`, required query and header parameters, then the body.
pub(crate) fn check(
    spec: &'static Spec,
    schemes: &[&str],
    request: &wiremock::Request,
) -> Result<(), Violation> {
    let violation = |location: String, message: String, status: u16| Violation {
        operation: Some(spec.name),
        request: format!("{} {}", request.method, request.url.path()),
        location,
        message,
        status,
    };
    let authorization = request
        .headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let credentials = |scheme: &&str| {
        authorization
            .get(..scheme.len() + 1)
            .is_some_and(|start| start.eq_ignore_ascii_case(&format!("{scheme} ")))
    };
    if !schemes.is_empty() && !schemes.iter().any(credentials) {
        return Err(violation(
            "header.authorization".to_owned(),
            format!(
                "no credentials of a scheme the document accepts ({})",
                schemes.join(", ")
            ),
            401,
        ));
    }
    for name in spec.required_query {
        if !request.url.query_pairs().any(|(key, _)| key == *name) {
            return Err(violation(
                format!("query.{name}"),
                format!("the required query parameter `{name}` is missing"),
                422,
            ));
        }
    }
    for name in spec.required_headers {
        if !request.headers.contains_key(*name) {
            return Err(violation(
                format!("header.{name}"),
                format!("the required header `{name}` is missing"),
                422,
            ));
        }
    }
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    match spec.body {
        BodyRule::None => Ok(()),
        BodyRule::Json { required, .. } | BodyRule::Multipart { required }
            if request.body.is_empty() =>
        {
            match required {
                true => Err(violation(
                    "body".to_owned(),
                    "the request body is required".to_owned(),
                    422,
                )),
                false => Ok(()),
            }
        }
        BodyRule::Json { decodes, .. } => {
            if !media_type.eq_ignore_ascii_case("application/json") {
                return Err(violation(
                    "header.content-type".to_owned(),
                    format!(
                        "the body is sent as `{content_type}`, the document takes application/json"
                    ),
                    415,
                ));
            }
            decodes(&request.body).map_err(|error| match error.classify() {
                // Prism's parser turns away what is not JSON before validating.
                Category::Syntax | Category::Eof => violation(
                    "body".to_owned(),
                    format!("the body is not JSON: {error}"),
                    400,
                ),
                Category::Data | Category::Io => violation(
                    "body".to_owned(),
                    format!("the body does not decode as the operation's body type: {error}"),
                    422,
                ),
            })
        }
        BodyRule::Multipart { .. } => {
            if media_type.eq_ignore_ascii_case("multipart/form-data") {
                Ok(())
            } else {
                Err(violation(
                    "header.content-type".to_owned(),
                    format!("the body is sent as `{content_type}`, the document takes multipart/form-data"),
                    415,
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static PASS: Spec = Spec::new(
        "PassControl",
        "POST",
        "/v2/apps/{appId}/conversations/{conversationId}/passControl",
    );
    static USER: Spec = Spec::new("GetUser", "GET", "/v2/apps/{appId}/users/{userId}");
    static ME: Spec = Spec::new("GetMe", "GET", "/v2/apps/{appId}/users/me");

    #[test]
    fn routes_by_path_then_method_and_decodes_path_parameters() {
        let specs = [&PASS, &USER, &ME];
        let (spec, params) =
            route(&specs, "POST", "/v2/apps/a%20b/conversations/c/passControl").unwrap();
        assert_eq!(spec.name, "PassControl");
        assert_eq!(
            params,
            [
                ("appId", "a b".to_owned()),
                ("conversationId", "c".to_owned())
            ]
        );
        assert_eq!(
            route(&specs, "GET", "/v2/apps/a/users/me").unwrap().0.name,
            "GetMe"
        );
        assert_eq!(
            route(&specs, "GET", "/v2/apps/a/users/u1").unwrap().0.name,
            "GetUser"
        );

        let unknown = route(&specs, "POST", "/v2/apps/a/conversations/c/passcontrol").unwrap_err();
        assert_eq!((unknown.status, unknown.location.as_str()), (404, "path"));
        let wrong_method =
            route(&specs, "GET", "/v2/apps/a/conversations/c/passControl").unwrap_err();
        assert_eq!(wrong_method.status, 405);
        assert!(wrong_method.message.contains("only POST"), "{wrong_method}");
    }
}
