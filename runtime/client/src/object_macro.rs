//! [`object!`](crate::object): a generated struct, `#[non_exhaustive]`, with a
//! chained setter per field.
//!
//! A struct that callers could write as a literal breaks them when a new
//! version of the document adds a field, however optional: so no generated
//! struct can be written as a literal outside its crate. Callers start from
//! `new(..)` (the fields that cannot default) or `default()`, and chain a
//! setter for each field they set:
//!
//! ```text
//! object! {
//!     /// Docs of the struct.
//!     #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
//!     pub struct Profile {
//!         /// The given name.
//!         #[serde(rename = "givenName")]
//!         pub given_name: Option<String>,
//!         /// `Nullable`: `null` clears it.
//!         pub email: crate::Nullable<String>,
//!         #[setter(set_new)] // first, before the docs
//!         /// A setter named otherwise, because `new` is taken.
//!         pub new: bool,
//!     }
//! }
//! ```
//!
//! expands to the struct (without the `#[setter]` markers) and
//! `impl Profile { pub fn given_name(self, value: impl Into<String>) -> Self; ... }`:
//! an `Option<T>` field's setter takes `impl Into<T>` and stores `Some`, a
//! `crate::Nullable<T>` field's takes `impl Into<Nullable<T>>`, a `Box<T>`
//! field's takes `impl Into<T>` and boxes it, any other field's takes
//! `impl Into<FieldType>`. The fields stay public, to be read and matched
//! with `..`.

/// A `#[non_exhaustive]` struct with a chained setter per field; see the
/// module documentation of `object_macro` for the input it takes.
#[macro_export]
macro_rules! object {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($fields:tt)* }
    ) => {
        $crate::__object_fields! {
            @munch [$(#[$meta])*] $vis $name [] [] $($fields)*
        }
    };
}

/// The field-by-field work of [`object!`]: strips the `#[setter]` markers,
/// and writes one setter per field by the shape of its type.
#[doc(hidden)]
#[macro_export]
// `crate::Nullable` is matched, and written back, as the generated crate
// spells its fields' type: the caller's re-export of this crate's `Nullable`.
#[allow(clippy::crate_in_macro_def)]
macro_rules! __object_fields {
    // Every field read: the struct, then its setters.
    (@munch [$($meta:tt)*] $vis:vis $name:ident [$($fields:tt)*] [$($setters:tt)*]) => {
        $($meta)*
        #[non_exhaustive]
        $vis struct $name { $($fields)* }

        impl $name { $($setters)* }
    };
    // A field whose setter is named otherwise.
    (@munch $meta:tt $vis:vis $name:ident $fields:tt $setters:tt
        #[setter($setter:ident)] $(#[$fmeta:meta])* $fvis:vis $field:ident : $($rest:tt)*
    ) => {
        $crate::__object_fields! {
            @typed $meta $vis $name $fields $setters [$(#[$fmeta])*] $fvis $setter $field : $($rest)*
        }
    };
    (@munch $meta:tt $vis:vis $name:ident $fields:tt $setters:tt
        $(#[$fmeta:meta])* $fvis:vis $field:ident : $($rest:tt)*
    ) => {
        $crate::__object_fields! {
            @typed $meta $vis $name $fields $setters [$(#[$fmeta])*] $fvis $field $field : $($rest)*
        }
    };
    (@typed $meta:tt $vis:vis $name:ident [$($fields:tt)*] [$($setters:tt)*]
        [$($fmeta:tt)*] $fvis:vis $setter:ident $field:ident : Option<$ty:ty>, $($rest:tt)*
    ) => {
        $crate::__object_fields! {
            @munch $meta $vis $name
            [$($fields)* $($fmeta)* $fvis $field: ::std::option::Option<$ty>,]
            [$($setters)*
                #[doc = concat!("Sets `", stringify!($field), "` to `value`.")]
                pub fn $setter(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    self.$field = ::std::option::Option::Some(value.into());
                    self
                }
            ]
            $($rest)*
        }
    };
    (@typed $meta:tt $vis:vis $name:ident [$($fields:tt)*] [$($setters:tt)*]
        [$($fmeta:tt)*] $fvis:vis $setter:ident $field:ident : crate::Nullable<$ty:ty>, $($rest:tt)*
    ) => {
        $crate::__object_fields! {
            @munch $meta $vis $name
            [$($fields)* $($fmeta)* $fvis $field: crate::Nullable<$ty>,]
            [$($setters)*
                #[doc = concat!(
                    "Sets `", stringify!($field), "` to `value`: a value, or `Nullable::Null` to send `null`."
                )]
                pub fn $setter(mut self, value: impl ::std::convert::Into<crate::Nullable<$ty>>) -> Self {
                    self.$field = value.into();
                    self
                }
            ]
            $($rest)*
        }
    };
    (@typed $meta:tt $vis:vis $name:ident [$($fields:tt)*] [$($setters:tt)*]
        [$($fmeta:tt)*] $fvis:vis $setter:ident $field:ident : Box<$ty:ty>, $($rest:tt)*
    ) => {
        $crate::__object_fields! {
            @munch $meta $vis $name
            [$($fields)* $($fmeta)* $fvis $field: ::std::boxed::Box<$ty>,]
            [$($setters)*
                #[doc = concat!("Sets `", stringify!($field), "` to `value`.")]
                pub fn $setter(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    self.$field = ::std::boxed::Box::new(value.into());
                    self
                }
            ]
            $($rest)*
        }
    };
    (@typed $meta:tt $vis:vis $name:ident [$($fields:tt)*] [$($setters:tt)*]
        [$($fmeta:tt)*] $fvis:vis $setter:ident $field:ident : $ty:ty, $($rest:tt)*
    ) => {
        $crate::__object_fields! {
            @munch $meta $vis $name
            [$($fields)* $($fmeta)* $fvis $field: $ty,]
            [$($setters)*
                #[doc = concat!("Sets `", stringify!($field), "` to `value`.")]
                pub fn $setter(mut self, value: impl ::std::convert::Into<$ty>) -> Self {
                    self.$field = value.into();
                    self
                }
            ]
            $($rest)*
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::Nullable;

    // The shapes of field the macro tells apart, and a renamed setter.
    crate::object! {
        /// A struct with a field of every shape.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Every {
            /// Plain.
            pub name: String,
            /// Optional.
            pub nickname: Option<String>,
            /// Optional and nested generics.
            pub tags: Option<Vec<String>>,
            /// Three states.
            pub email: crate::Nullable<String>,
            /// Boxed.
            pub next: Box<u32>,
            #[setter(new_)]
            /// Named like a constructor.
            pub new: bool,
        }
    }

    #[test]
    fn each_setter_fits_its_shape() {
        let every = Every::default()
            .name("Ann")
            .nickname("A")
            .tags(vec!["x".to_owned()])
            .email(Nullable::Null)
            .next(7u32)
            .new_(true);
        assert_eq!(every.name, "Ann");
        assert_eq!(every.nickname.as_deref(), Some("A"));
        assert_eq!(every.tags, Some(vec!["x".to_owned()]));
        assert_eq!(every.email, Nullable::Null);
        assert_eq!(*every.next, 7);
        assert!(every.new);
        let every = every.email(Nullable::Value("a@example.com".to_owned()));
        assert_eq!(every.email, Nullable::Value("a@example.com".to_owned()));
    }
}
