//! What `sunshine-facts` says of this crate, checked here at compile time:
//! the names generated crates re-export exist, and the type macros' enums
//! implement exactly the traits listed (no more, among the derivable ones and
//! serde's), so a list cannot drift from the macros it describes.
//!
//! The enums the type macros write are `#[non_exhaustive]`
//! ([`MACRO_ENUMS_NON_EXHAUSTIVE`](sunshine_facts::MACRO_ENUMS_NON_EXHAUSTIVE)).
//! Each of these matches without a `_` arm fails to compile outside the
//! crate that defines the enum (here, the generated crate):
//!
//! ```compile_fail
//! use sunshine_conversations::types::ConversationType;
//! fn name(kind: &ConversationType) -> &str {
//!     match kind {
//!         ConversationType::Personal | ConversationType::SdkGroup => "known",
//!         ConversationType::Unknown(other) => other,
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! use sunshine_conversations::types::Content;
//! fn is_text(content: &Content) -> bool {
//!     match content {
//!         Content::TextMessage(_) => true,
//!         Content::Unknown(_) => false,
//!     }
//! }
//! ```
//!
//! ```compile_fail
//! use sunshine_conversations::apis::switchboard_actions::AcceptControlError;
//! fn status(error: &AcceptControlError) -> u16 {
//!     match error {
//!         AcceptControlError::Forbidden(_) => 403,
//!         AcceptControlError::NotFound(_) => 404,
//!     }
//! }
//! ```
//!
//! and with the `_` arm, they compile:
//!
//! ```
//! use sunshine_conversations::apis::switchboard_actions::AcceptControlError;
//! use sunshine_conversations::types::{Content, ConversationType};
//! fn kinds(kind: &ConversationType, content: &Content, error: &AcceptControlError) -> usize {
//!     let kind = match kind {
//!         ConversationType::Personal => 1,
//!         _ => 0,
//!     };
//!     let content = match content {
//!         Content::TextMessage(_) => 1,
//!         _ => 0,
//!     };
//!     let error = match error {
//!         AcceptControlError::NotFound(_) => 1,
//!         _ => 0,
//!     };
//!     kind + content + error
//! }
//! ```
//!
//! The structs `object!` writes are `#[non_exhaustive]` too
//! ([`OBJECT_STRUCTS_NON_EXHAUSTIVE`](sunshine_facts::OBJECT_STRUCTS_NON_EXHAUSTIVE)):
//!
//! ```compile_fail
//! use sunshine_conversations::types::PassControlBody;
//! use sunshine_conversations::Nullable;
//! let body = PassControlBody {
//!     switchboard_integration: "next".to_owned(),
//!     metadata: Nullable::Absent,
//! };
//! ```
//!
//! ```
//! use sunshine_conversations::types::PassControlBody;
//! let body = PassControlBody::new("next").metadata(serde_json::Map::new());
//! assert_eq!(body.switchboard_integration, "next");
//! assert!(body.metadata.value().is_some());
//! ```

use sunshine_facts::{lists, OPEN_ENUM_TRAITS, UNION_TRAITS};

macro_rules! exist_in {
    ($module:path; $([$($name:ident),+])+) => {
        const _: () = {
            #[allow(unused_imports)] // Imported only to prove that each name exists.
            use $module::{$($($name),+),+};
        };
    };
}

macro_rules! exist_at_root {
    ($($line:tt)+) => { exist_in!(crate; $($line)+); };
}

macro_rules! exist_in_webhook {
    ($($line:tt)+) => { exist_in!(crate::webhook; $($line)+); };
}

sunshine_facts::crate_root!(exist_at_root);
sunshine_facts::webhook_module!(exist_in_webhook);

/// Whether `$ty` implements `$bound`, as a constant: an inherent constant
/// that exists only under the bound wins over the trait's default.
macro_rules! implements {
    ($ty:ty: $($bound:tt)+) => {{
        struct Probe<T: ?Sized>(::core::marker::PhantomData<T>);
        #[allow(dead_code)] // Used only where the bound does not hold.
        trait Otherwise {
            const YES: bool = false;
        }
        impl<T: ?Sized> Otherwise for Probe<T> {}
        #[allow(dead_code)]
        impl<T: ?Sized + $($bound)+> Probe<T> {
            const YES: bool = true;
        }
        Probe::<$ty>::YES
    }};
}

/// Every trait the macros could derive or write out, and whether `$ty`
/// implements it exactly when `$list` names it.
macro_rules! implements_exactly {
    ($ty:ty, $list:expr) => {
        const _: () = {
            let candidates: [(&str, bool); 11] = [
        ("Debug", implements!($ty: ::core::fmt::Debug)),
        ("Clone", implements!($ty: ::core::clone::Clone)),
        ("Copy", implements!($ty: ::core::marker::Copy)),
        ("PartialEq", implements!($ty: ::core::cmp::PartialEq)),
        ("Eq", implements!($ty: ::core::cmp::Eq)),
        ("PartialOrd", implements!($ty: ::core::cmp::PartialOrd)),
        ("Ord", implements!($ty: ::core::cmp::Ord)),
        ("Hash", implements!($ty: ::core::hash::Hash)),
        ("Default", implements!($ty: ::core::default::Default)),
        ("Serialize", implements!($ty: ::serde::Serialize)),
                (
                    "Deserialize",
            implements!($ty: ::serde::de::DeserializeOwned),
                ),
            ];
            let mut index = 0;
            while index < candidates.len() {
                let (name, implemented) = candidates[index];
                assert!(
                    implemented == lists($list, name),
                    "a listed trait is missing, or an implemented one unlisted"
                );
                index += 1;
            }
            // And nothing is listed that is not a candidate.
            let mut index = 0;
            while index < $list.len() {
                let mut known = false;
                let mut candidate = 0;
                while candidate < candidates.len() {
                    known |= lists(&[candidates[candidate].0], $list[index]);
                    candidate += 1;
                }
                assert!(known, "a listed trait is not checked here");
                index += 1;
            }
        };
    };
}

/// Each listed trait, asserted as a bound on `$ty`.
macro_rules! bound_by_each {
    (($ty:ty) $($name:ident: $bound:path),+) => {
        const _: () = {
            fn bound<T: $($bound +)+ Sized>() {}
            let _ = bound::<$ty>;
        };
    };
}

// Only their traits are looked at: nothing builds or reads them.
#[allow(dead_code)]
mod probes {
    crate::open_enum! {
        /// An open enum, to check what the macro implements.
        pub(super) enum OpenProbe {
            /// `a`
            A = "a",
            Unknown(String),
        }
    }

    crate::tagged_union! {
        /// A tagged union, to check what the macro implements.
        #[tag = "type"]
        pub(super) enum TaggedProbe {
            /// `a`
            A(String) = "a",
            Unknown(serde_json::Value),
        }
    }

    crate::untagged_union! {
        /// An untagged union, to check what the macro implements.
        pub(super) enum UntaggedProbe {
            /// A string.
            Text(String) = crate::shape::Shape::String,
        }
    }
}

use probes::{OpenProbe, TaggedProbe, UntaggedProbe};

sunshine_facts::open_enum_traits!(bound_by_each, OpenProbe);
sunshine_facts::union_traits!(bound_by_each, TaggedProbe);
sunshine_facts::union_traits!(bound_by_each, UntaggedProbe);
implements_exactly!(OpenProbe, OPEN_ENUM_TRAITS);
implements_exactly!(TaggedProbe, UNION_TRAITS);
implements_exactly!(UntaggedProbe, UNION_TRAITS);

#[cfg(test)]
mod tests {
    use sunshine_facts::{names, WEBHOOK_MODULE};

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

    /// A new public item of `webhook` is listed, so that the generator
    /// reserves its name in the generated `webhooks` module.
    #[test]
    fn the_webhook_list_is_complete() {
        let mut listed: Vec<&str> = names(WEBHOOK_MODULE).collect();
        listed.sort_unstable();
        assert_eq!(defined_in_webhook_module(), listed);
    }
}
