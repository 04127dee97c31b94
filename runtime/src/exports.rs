//! What a generated crate takes from this crate by name, for the generator
//! that emits it: the generator depends on this crate and reads these lists,
//! so a name added here reaches every crate generated afterwards, and a name
//! the generated code must not reuse is never reused.
//!
//! Each list is written once, by `exports!`, which also imports every name
//! it lists: a name that stops existing is a compile error here, not a
//! generated crate that does not build.

/// The version of this crate, which generated crates depend on.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Whether the enums that [`open_enum!`](crate::open_enum),
/// [`tagged_union!`](crate::tagged_union), [`untagged_union!`](crate::untagged_union)
/// and [`operation_error!`](crate::operation_error) write are
/// `#[non_exhaustive]`, so that a variant added by a new version of a
/// document breaks no caller's `match`. The generator's change report rests
/// its rules on this.
///
/// Each of these matches without a `_` arm fails to compile outside the
/// crate that defines the enum (here, the generated crate):
///
/// ```compile_fail
/// use sunshine_conversations::types::ConversationType;
/// fn name(kind: &ConversationType) -> &str {
///     match kind {
///         ConversationType::Personal | ConversationType::SdkGroup => "known",
///         ConversationType::Unknown(other) => other,
///     }
/// }
/// ```
///
/// ```compile_fail
/// use sunshine_conversations::types::Content;
/// fn is_text(content: &Content) -> bool {
///     match content {
///         Content::TextMessage(_) => true,
///         Content::Unknown(_) => false,
///     }
/// }
/// ```
///
/// ```compile_fail
/// use sunshine_conversations::apis::switchboard_actions::AcceptControlError;
/// fn status(error: &AcceptControlError) -> u16 {
///     match error {
///         AcceptControlError::Forbidden(_) => 403,
///         AcceptControlError::NotFound(_) => 404,
///     }
/// }
/// ```
///
/// and with the `_` arm, they compile:
///
/// ```
/// use sunshine_conversations::apis::switchboard_actions::AcceptControlError;
/// use sunshine_conversations::types::{Content, ConversationType};
/// fn kinds(kind: &ConversationType, content: &Content, error: &AcceptControlError) -> usize {
///     let kind = match kind {
///         ConversationType::Personal => 1,
///         _ => 0,
///     };
///     let content = match content {
///         Content::TextMessage(_) => 1,
///         _ => 0,
///     };
///     let error = match error {
///         AcceptControlError::NotFound(_) => 1,
///         _ => 0,
///     };
///     kind + content + error
/// }
/// ```
pub const MACRO_ENUMS_NON_EXHAUSTIVE: bool = true;

/// Whether the structs [`object!`](crate::object) writes are
/// `#[non_exhaustive]`: built with `new(..)` or `default()` and setters, never
/// with a literal, so that a field added by a new version of a document
/// breaks no caller.
///
/// ```compile_fail
/// use sunshine_conversations::types::PassControlBody;
/// use sunshine_conversations::Nullable;
/// let body = PassControlBody {
///     switchboard_integration: "next".to_owned(),
///     metadata: Nullable::Absent,
/// };
/// ```
///
/// ```
/// use sunshine_conversations::types::PassControlBody;
/// let body = PassControlBody::new("next").metadata(serde_json::Map::new());
/// assert_eq!(body.switchboard_integration, "next");
/// assert!(body.metadata.value().is_some());
/// ```
pub const OBJECT_STRUCTS_NON_EXHAUSTIVE: bool = true;

/// The traits of the enums [`open_enum!`](crate::open_enum) writes, beyond
/// `Debug`, `Clone` and `PartialEq` (checked by this module's tests).
pub const OPEN_ENUM_TRAITS: &[&str] = &[
    "Eq",
    "Hash",
    "PartialOrd",
    "Ord",
    "Serialize",
    "Deserialize",
];

/// The traits of the enums [`tagged_union!`](crate::tagged_union) and
/// [`untagged_union!`](crate::untagged_union) write, beyond `Debug`, `Clone`
/// and `PartialEq` (checked by this module's tests).
pub const UNION_TRAITS: &[&str] = &["Serialize", "Deserialize"];

macro_rules! exports {
    ($(#[$doc:meta])* $list:ident = $module:path => [$($($name:ident),+);+]) => {
        $(#[$doc])*
        pub const $list: &[&[&str]] = &[$(&[$(stringify!($name)),+]),+];

        const _: () = {
            #[allow(unused_imports)] // Imported only to prove that each name exists.
            use $module::{$($($name),+),+};
        };
    };
}

exports! {
    /// The items a generated crate re-exports at its root, one `pub use`
    /// line each (each line in rustfmt's order), so that users write
    /// `my_api::Error`. Besides these, the root holds the crate's own
    /// `Client`, `ClientBuilder`, `Call` and `Server`, and
    /// [`Paginator`](crate::Paginator) where some operation pages.
    CRATE_ROOT = crate => [
        Auth, BuildError, Error, InvalidRequest;
        Jwt, JwtScope, RequestOptions, RetryOutcome, RetryPolicy;
        Nullable, Upload;
        DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT
    ]
}

exports! {
    /// The public items of [`webhook`](crate::webhook), which a generated
    /// crate's `webhooks` module re-exports beside its own delivery types.
    WEBHOOK_MODULE = crate::webhook => [
        API_KEY_HEADER, DeliveredEvent, UndecodableEvent, VerifyError, WebhookSecret, verify_api_key
    ]
}

/// Every name of a list, in order.
pub fn names(list: &'static [&'static [&'static str]]) -> impl Iterator<Item = &'static str> {
    list.iter().flat_map(|line| line.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public items `webhook.rs` defines, read from its own source.
    fn defined_in_webhook_module() -> Vec<&'static str> {
        let mut public: Vec<&str> = include_str!("webhook.rs")
            .lines()
            .filter_map(|line| {
                let rest = line.strip_prefix("pub ")?;
                let rest = ["struct ", "enum ", "fn ", "const "]
                    .iter()
                    .find_map(|keyword| rest.strip_prefix(keyword))?;
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                Some(&rest[..end])
            })
            .collect();
        public.sort_unstable();
        public
    }

    crate::open_enum! {
        /// An open enum, to check what the macro derives.
        pub enum Probe {
            /// `a`
            A = "a",
            Unknown(String),
        }
    }

    fn has_open_enum_traits<
        T: Eq + std::hash::Hash + serde::Serialize + serde::de::DeserializeOwned,
    >() {
    }

    #[test]
    fn open_enums_have_the_listed_traits() {
        has_open_enum_traits::<Probe>();
        assert_eq!(
            OPEN_ENUM_TRAITS,
            [
                "Eq",
                "Hash",
                "PartialOrd",
                "Ord",
                "Serialize",
                "Deserialize"
            ],
            "the bound above lists the same traits"
        );
    }

    /// A new public item of `webhook` is listed, so that the generator
    /// reserves its name in the generated `webhooks` module.
    #[test]
    fn the_webhook_list_is_complete() {
        let mut listed: Vec<&str> = names(WEBHOOK_MODULE).collect();
        listed.sort_unstable();
        assert_eq!(defined_in_webhook_module(), listed);
    }
}
