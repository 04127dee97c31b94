//! Macros that write the repetitive impls of a generated crate's types: each
//! generated type lists what is particular to it (docs, variants, wire
//! values) and the macro writes the same items every such type has. The
//! generated crate is smaller to review and to compile than with every impl
//! spelled out.
//!
//! Each macro's body uses fully qualified paths and reaches the crate's
//! helpers through `$crate`, so that they work from any crate and module.

/// An open string enumeration: a `#[non_exhaustive]` enum of the known
/// values plus a fallback variant keeping any other value as sent.
///
/// ```text
/// open_enum! {
///     /// Docs of the enum.
///     pub enum Tier {
///         /// `enterprise`
///         Enterprise = "enterprise",
///         Unknown(String),
///     }
/// }
/// ```
///
/// expands to the enum (each known variant with its docs, the fallback last
/// and documented here) deriving `Debug, Clone, PartialEq, Eq, Hash` and
/// serde through `String` (no `PartialOrd`: a value added by a new version
/// of the document would reorder `Unknown` against the others); `as_str`; `From<String>`,
/// `From<&str>`; `From<Tier> for String`; and `Display` (the wire value).
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])+ $variant:ident = $value:literal, )*
            $fallback:ident(String) $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        #[serde(from = "String", into = "String")]
        // A new version of the document may add values: matches need a `_` arm.
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[$vmeta])+ $variant, )*
            /// A value this version of the crate does not know, kept as sent.
            $fallback(::std::string::String),
        }

        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::$fallback(value) => value,
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $( $value => Self::$variant, )*
                    _ => Self::$fallback(value),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from(::std::borrow::ToOwned::to_owned(value))
            }
        }

        impl ::std::convert::From<$name> for ::std::string::String {
            fn from(value: $name) -> Self {
                match value {
                    $name::$fallback(value) => value,
                    known => ::std::borrow::ToOwned::to_owned(known.as_str()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A union whose variant a string property (the tag) names.
///
/// ```text
/// tagged_union! {
///     /// Docs of the union.
///     #[tag = "type"]
///     pub enum Action {
///         /// Selected by `buy`.
///         Buy(Buy) = "buy",
///         /// Selected by `reply` or `quickReply`; its type lacks the tag.
///         Reply(Reply) = write_tag("reply" | "quickReply"),
///         /// Never decoded by tag, and built without `From`.
///         #[from = false]
///         Other(Other),
///         Unknown(serde_json::Value),
///     }
/// }
/// ```
///
/// expands to the `#[non_exhaustive]` enum (the fallback, if listed, last
/// and documented here) deriving `Debug, Clone, PartialEq`; `Serialize`
/// (each variant as its value; a `write_tag` variant with its first tag
/// written into the object); `Deserialize` (by the tag's value; an unknown
/// or missing tag gives the fallback, or an error without one); and
/// `From` of each variant's type, except for variants marked `#[from = false]`
/// (`#[from_boxed(T)]`: `From<T>` for a variant holding a `Box<T>`).
#[macro_export]
macro_rules! tagged_union {
    (@serialize $value:ident, $serializer:ident, $property:literal) => {
        ::serde::Serialize::serialize($value, $serializer)
    };
    (@serialize $value:ident, $serializer:ident, $property:literal, $tag:literal) => {
        $crate::support::serialize_tagged($value, $property, $tag, $serializer)
    };
    (@unknown $name:ident, $property:literal, $value:ident) => {
        ::std::result::Result::Err(::serde::de::Error::custom(::std::concat!(
            "unknown `", $property, "` for ", ::std::stringify!($name)
        )))
    };
    (@unknown $name:ident, $property:literal, $value:ident, $fallback:ident) => {
        ::std::result::Result::Ok(Self::$fallback($value))
    };
    (
        $(#[doc = $doc:literal])*
        #[tag = $property:literal]
        $vis:vis enum $name:ident {
            $(
                $(#[doc = $vdoc:literal])+
                $(#[from = $from:tt])?
                $(#[from_boxed($boxed_from:ty)])?
                $variant:ident($ty:ty $(,)?)
                $(= $($tag:literal)|+)?
                $(= write_tag($first:literal $(| $more:literal)*))?,
            )*
            $($fallback:ident(serde_json::Value) $(,)?)?
        }
    ) => {
        $(#[doc = $doc])*
        // Variants hold whole objects of different sizes; boxing them all would
        // cost every user an allocation and a clumsier API, and boxing by size
        // would change a variant's type whenever a new version grows it.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        // A new version of the document may add variants: matches need a `_` arm.
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[doc = $vdoc])+ $variant($ty), )*
            $(
                /// A variant this version of the crate does not know, kept as sent.
                $fallback(::serde_json::Value),
            )?
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $(
                        Self::$variant(value) => $crate::tagged_union!(
                            @serialize value, serializer, $property $(, $first)?
                        ),
                    )*
                    $( Self::$fallback(value) => ::serde::Serialize::serialize(value, serializer), )?
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get($property).and_then(::serde_json::Value::as_str) {
                    $(
                        $( ::std::option::Option::Some($($tag)|+) => {
                            $crate::support::from_value(value).map(Self::$variant)
                        } )?
                        $( ::std::option::Option::Some($first $(| $more)*) => {
                            $crate::support::from_value(value).map(Self::$variant)
                        } )?
                    )*
                    _ => $crate::tagged_union!(
                        @unknown $name, $property, value $(, $fallback)?
                    ),
                }
            }
        }

        $( $crate::union_from!($name, $variant, $ty $(, from = $from)? $(, boxed $boxed_from)?); )*
    };
}

/// A union without a tag: the variant is chosen by the shape of the JSON.
///
/// ```text
/// untagged_union! {
///     /// Docs of the union.
///     pub enum Destination {
///         /// The `Email` shape.
///         Email(Email) = Shape::object(&["address"], &["address"]),
///         /// The `String` shape.
///         Text(String) = Shape::String,
///     }
/// }
/// ```
///
/// expands to the `#[non_exhaustive]` enum deriving `Debug, Clone,
/// PartialEq`; `Serialize` (each variant as its value); `Deserialize`, which
/// tries the variants whose shapes fit the value best first, so that their
/// order in the document cannot mis-parse; and `From<T>` for each variant
/// of each variant's type, except for variants marked `#[from = false]`
/// (`#[from_boxed(T)]`: `From<T>` for a variant holding a `Box<T>`).
#[macro_export]
macro_rules! untagged_union {
    (
        $(#[doc = $doc:literal])*
        $vis:vis enum $name:ident {
            $(
                $(#[doc = $vdoc:literal])+
                $(#[from = $from:tt])?
                $(#[from_boxed($boxed_from:ty)])?
                $variant:ident($ty:ty $(,)?) = $shape:expr,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        // Variants hold whole objects of different sizes; boxing them all would
        // cost every user an allocation and a clumsier API, and boxing by size
        // would change a variant's type whenever a new version grows it.
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        // A new version of the document may add variants: matches need a `_` arm.
        #[non_exhaustive]
        $vis enum $name {
            $( $(#[doc = $vdoc])+ $variant($ty), )*
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(value) => ::serde::Serialize::serialize(value, serializer), )*
                }
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                use $crate::shape::Shape;
                const SHAPES: &[Shape] = &[$($shape),*];
                // The variants in order, each decoding a copy of the value.
                let decoders: &[fn(&::serde_json::Value) -> ::std::option::Option<$name>] = &[$(
                    |value| ::serde_json::from_value(value.clone()).map($name::$variant).ok()
                ),*];
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                for index in $crate::shape::candidates(&value, SHAPES) {
                    if let ::std::option::Option::Some(decoded) =
                        decoders.get(index).and_then(|decode| decode(&value))
                    {
                        return ::std::result::Result::Ok(decoded);
                    }
                }
                ::std::result::Result::Err(::serde::de::Error::custom(::std::concat!(
                    "the value matches no shape of `", ::std::stringify!($name), "`"
                )))
            }
        }

        $( $crate::union_from!($name, $variant, $ty $(, from = $from)? $(, boxed $boxed_from)?); )*
    };
}

/// The `From` impl of one union variant, as [`tagged_union!`] and
/// [`untagged_union!`] write it: of the variant's type, of what its box holds
/// (`boxed T`), or none (`from = false`).
#[doc(hidden)]
#[macro_export]
macro_rules! union_from {
    ($name:ident, $variant:ident, $ty:ty) => {
        impl ::std::convert::From<$ty> for $name {
            fn from(value: $ty) -> Self {
                Self::$variant(value)
            }
        }
    };
    ($name:ident, $variant:ident, $ty:ty, from = false) => {};
    ($name:ident, $variant:ident, $ty:ty, from = false, boxed $inner:ty) => {
        $crate::union_from!($name, $variant, $ty, boxed $inner);
    };
    ($name:ident, $variant:ident, $ty:ty, boxed $inner:ty) => {
        impl ::std::convert::From<$inner> for $name {
            fn from(value: $inner) -> Self {
                Self::$variant(::std::boxed::Box::new(value))
            }
        }
    };
}
