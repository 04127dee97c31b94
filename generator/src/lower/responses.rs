//! Request bodies and responses: their media types lowered (JSON, or
//! multipart for uploads), with the examples they carry.

use openapiv3::{MediaType, ReferenceOr, StatusCode};

use super::docs::doc;
use super::lowerer::Lowerer;
use super::view::SchemaRef;
use crate::diagnostics::{child, Diagnostic};
use crate::model::{BodyKind, Example, ExampleAnswer, RequestBody, Response, Status, TypeRef};
use crate::names;

impl<'a> Lowerer<'a> {
    /// `Ok(None)` never happens for a present body; `None` means the operation is skipped.
    pub(super) fn request_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        at: &str,
        type_prefix: &str,
    ) -> Option<Option<RequestBody>> {
        let (body, at) = self
            .resolver
            .request_body(body, at, &mut self.diagnostics)?;
        let content = child(&at, "content");
        let hint = format!("{type_prefix}Body");
        let json = body.content.iter().find(|(media, _)| is_json(media));
        let multipart = body
            .content
            .iter()
            .find(|(media, _)| media.starts_with("multipart/form-data"));
        let chosen = json.or(multipart).map(|(media, _)| media.as_str());
        let dropped: Vec<&str> = body
            .content
            .keys()
            .map(String::as_str)
            .filter(|m| Some(*m) != chosen)
            .collect();
        if chosen.is_some() && !dropped.is_empty() {
            self.diagnostics.push(Diagnostic::warning(
                content.clone(),
                format!("request body media types {dropped:?} are not generated; the operation sends {}", chosen.unwrap_or_default()),
            ));
        }
        let kind = if let Some((media, content_type)) = json {
            let media_pointer = child(&content, media);
            let ty = self.media_type(content_type, &media_pointer, &hint);
            BodyKind::Json(ty)
        } else if let Some((media, content_type)) = multipart {
            let media_pointer = child(&content, media);
            let ty = self.media_type(content_type, &media_pointer, &hint);
            BodyKind::Multipart(ty)
        } else {
            let kinds: Vec<&str> = body.content.keys().map(String::as_str).collect();
            self.diagnostics.push(
                Diagnostic::warning(content, format!("request body media types {kinds:?} are not supported; the operation is left out"))
                    .with_help("supported: application/json (and +json types), multipart/form-data"),
            );
            return None;
        };
        Some(Some(RequestBody {
            required: body.required,
            kind,
            doc: doc(None, body.description.as_deref()),
        }))
    }

    /// Lowers a media type's schema and records its examples.
    pub(super) fn media_type(
        &mut self,
        media: &'a MediaType,
        pointer: &str,
        hint: &str,
    ) -> TypeRef {
        let ty = match &media.schema {
            Some(schema) => {
                self.schemas
                    .lower(SchemaRef::from(schema), &child(pointer, "schema"), hint)
                    .ty
            }
            None => TypeRef::Json,
        };
        if let Some(example) = &media.example {
            self.examples.push(Example {
                pointer: child(pointer, "example"),
                ty: ty.clone(),
                value: example.clone(),
                expected: None,
                answers: None,
            });
        }
        for (name, example) in &media.examples {
            let at = child(&child(pointer, "examples"), name);
            if let Some((value, pointer)) =
                self.resolver.example(example, &at, &mut self.diagnostics)
            {
                self.examples.push(Example {
                    pointer,
                    ty: ty.clone(),
                    value,
                    expected: None,
                    answers: None,
                });
            }
        }
        ty
    }

    pub(super) fn responses(
        &mut self,
        id: &str,
        responses: &'a openapiv3::Responses,
        at: &str,
        type_prefix: &str,
    ) -> (Vec<Response>, Vec<Response>) {
        let mut successes = Vec::new();
        let mut errors = Vec::new();
        let mut entries: Vec<(Status, &'a ReferenceOr<openapiv3::Response>, String)> = responses
            .responses
            .iter()
            .map(|(code, response)| {
                let (status, key) = match code {
                    StatusCode::Code(code) => (Status::Code(*code), code.to_string()),
                    StatusCode::Range(range) => (Status::Range(*range), format!("{range}XX")),
                };
                (status, response, child(at, &key))
            })
            .collect();
        if let Some(default) = &responses.default {
            entries.push((Status::Default, default, child(at, "default")));
        }
        for (status, response, written_at) in entries {
            let Some((response, pointer)) =
                self.resolver
                    .response(response, &written_at, &mut self.diagnostics)
            else {
                continue;
            };
            let first_example = self.examples.len();
            let is_success = match status {
                Status::Code(code) => (200..400).contains(&code),
                Status::Range(class) => class == 2 || class == 3,
                Status::Default => false,
            };
            let hint = format!("{type_prefix}{}", names::status_word(status));
            let content = child(&pointer, "content");
            let body = if response.content.is_empty() {
                None
            } else if let Some((media, media_type)) =
                response.content.iter().find(|(m, _)| is_json(m))
            {
                Some(self.media_type(media_type, &child(&content, media), &hint))
            } else {
                let kinds: Vec<&str> = response.content.keys().map(String::as_str).collect();
                self.diagnostics.push(Diagnostic::warning(
                    content,
                    format!("response media types {kinds:?} are not JSON; the body is returned as raw JSON if it parses"),
                ));
                Some(TypeRef::Json)
            };
            // A success body that declares no properties (`type: object`
            // alone) tells the caller nothing: the operation returns `()`.
            let body = match body {
                Some(TypeRef::Object) if is_success => None,
                other => other,
            };
            // Examples written in the operation's own response (not one it
            // refers to) answer for its status in the test kit.
            if let Status::Code(code) = status {
                let inside = format!("{written_at}/");
                for example in &mut self.examples[first_example..] {
                    if example.pointer.starts_with(&inside) {
                        example.answers = Some(ExampleAnswer {
                            operation: id.to_owned(),
                            status: code,
                        });
                    }
                }
            }
            let entry = Response {
                status,
                body,
                doc: doc(None, Some(&response.description)),
            };
            if is_success {
                successes.push(entry)
            } else {
                errors.push(entry)
            }
        }
        successes.sort_by_key(|r| r.status);
        errors.sort_by_key(|r| r.status);
        (successes, errors)
    }
}

pub(super) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}
