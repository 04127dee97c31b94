//! A fake of the API for tests, typed by the generated crate: the engine
//! every generated crate's `mock` module drives (behind the `mock` feature).
//!
//! The generated crate describes each operation once, as a [`Spec`] (its
//! name, method, path template, required parameters, body and success
//! status), through the [`mock_group!`](crate::mock_group) and
//! [`mock_api!`](crate::mock_api) macros, and names its types (path arity,
//! body, success, error). Everything else is here:
//!
//! - `server`: [`MockServer`], a [wiremock] server on 127.0.0.1 that answers
//!   as the expectations say, records every request, and fails the test on
//!   drop when something went wrong;
//! - `expectation`: [`Expectation`], the typed builder of one operation's
//!   expected request (path parameters, query, headers, body, credentials,
//!   count);
//! - `answer`: what an expectation answers (a success value, a documented
//!   error, the document's example, a raw status with `Retry-After`, a list
//!   split into pages);
//! - `conformance`: the check of every request against the document, as a
//!   local Prism would make it;
//! - `received`: requests read back, typed;
//! - `verify`: counts and the failure report;
//! - `delivery`: webhook deliveries built from typed events;
//! - `events`: short builders of the events a bot meets most, and the
//!   `id` and `createdAt` a delivery fills in.

mod answer;
mod conformance;
mod delivery;
mod events;
mod expectation;
mod macros;
mod received;
mod server;
mod verify;

pub use answer::{error_body, status_of_label, ErrorAnswer};
pub use conformance::Violation;
pub use delivery::Delivery;
pub use events::{SwitchboardChange, UserText};
pub use expectation::{request_of, Arity, EncodeParams, Expectation, Mounted};
pub use received::{ReceivedCall, ReceivedRequest};
pub use server::MockServer;

/// JSON, as error answers carry it.
pub use serde_json::Value as Json;

use crate::PageLayout;

/// One operation as the fake knows it: what a request must look like to
/// conform to the document, and how a success is answered. Generated crates
/// write one per operation with [`Spec::new`] and its setters, all `const`.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The `operationId`, as requests and failure messages name it.
    pub name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template as the document writes it (`/v2/apps/{appId}`).
    pub path: &'static str,
    /// Query parameters the document requires.
    pub required_query: &'static [&'static str],
    /// Header parameters the document requires.
    pub required_headers: &'static [&'static str],
    /// What the request body must be.
    pub body: BodyRule,
    /// The status of a success answer.
    pub success: u16,
    /// How the success lists its items, for operations that page.
    pub pages: Option<&'static PageLayout>,
    /// The document's examples of answers: status and JSON text.
    pub examples: &'static [(u16, &'static str)],
}

/// What the document says of an operation's request body.
#[derive(Debug, Clone, Copy)]
pub enum BodyRule {
    /// The operation takes no body.
    None,
    /// A JSON body that must decode with the function (as the operation's
    /// body type); `required` when the document requires one.
    Json {
        /// Whether a request without a body breaks the document.
        required: bool,
        /// Decodes a body as the operation's body type.
        decodes: fn(&[u8]) -> Result<(), serde_json::Error>,
    },
    /// A `multipart/form-data` body.
    Multipart {
        /// Whether a request without a body breaks the document.
        required: bool,
    },
}

impl Spec {
    /// Operation `name`: `method` on the path `template`, taking no body and
    /// no required parameter, answering success with `200`.
    pub const fn new(name: &'static str, method: &'static str, path: &'static str) -> Self {
        Spec {
            name,
            method,
            path,
            required_query: &[],
            required_headers: &[],
            body: BodyRule::None,
            success: 200,
            pages: None,
            examples: &[],
        }
    }

    /// The query parameters the document requires.
    pub const fn query(mut self, names: &'static [&'static str]) -> Self {
        self.required_query = names;
        self
    }

    /// The header parameters the document requires.
    pub const fn headers(mut self, names: &'static [&'static str]) -> Self {
        self.required_headers = names;
        self
    }

    /// A JSON body, which must decode as `B`.
    pub const fn json<B: serde::de::DeserializeOwned>(mut self, required: bool) -> Self {
        self.body = BodyRule::Json {
            required,
            decodes: decodes::<B>,
        };
        self
    }

    /// A `multipart/form-data` body.
    pub const fn multipart(mut self, required: bool) -> Self {
        self.body = BodyRule::Multipart { required };
        self
    }

    /// The status of a success answer (the first the document lists).
    pub const fn success(mut self, status: u16) -> Self {
        self.success = status;
        self
    }

    /// The operation pages its list as `layout` says.
    pub const fn pages(mut self, layout: &'static PageLayout) -> Self {
        self.pages = Some(layout);
        self
    }

    /// The document's example answers, by status.
    pub const fn examples(mut self, examples: &'static [(u16, &'static str)]) -> Self {
        self.examples = examples;
        self
    }

    /// The names of the path template's parameters, in order.
    pub fn path_param_names(&self) -> Vec<&'static str> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect()
    }
}

/// Whether `body` decodes as `B`, with serde's error when it does not.
fn decodes<B: serde::de::DeserializeOwned>(body: &[u8]) -> Result<(), serde_json::Error> {
    serde_json::from_slice::<B>(body).map(drop)
}
