//! Macros that write the repetitive items of a generated crate's operations: each
//! operation lists what is particular to it and the macro writes the same
//! items every operation has. The crate is smaller to review and to compile
//! than with every impl spelled out.
//!
//! Each macro's body uses fully qualified paths and reaches the crate's
//! helpers through `$crate`, so that they work from any crate and module.

/// The error enum of an operation: one variant per documented error status,
/// each with the text its `Display` writes.
///
/// ```text
/// operation_error! {
///     /// Docs of the enum.
///     pub enum GetUserError {
///         NotFound(types::ErrorResponse) = "404 Not found",
///         Gone = "410 Gone",
///         ServerError {
///             /// The status code.
///             status: u16,
///             /// The decoded body.
///             body: types::ErrorResponse,
///         } = "5XX Server error",
///     }
/// }
/// ```
///
/// expands to the `#[non_exhaustive]` enum deriving `Debug, Clone,
/// PartialEq`, each variant documented with its text; `Display`, which writes the text (with the status, for a
/// range or `default`) and a short rendering of the body; and
/// `std::error::Error`. An operation without documented errors gets an
/// empty enum, which no value has.
#[macro_export]
macro_rules! operation_error {
    // The `Display` match, built one variant at a time.
    (@display $self:tt $f:ident [$($arms:tt)*]) => {
        match $self {
            $($arms)*
        }
    };
    (@display $self:tt $f:ident [$($arms:tt)*]
        $variant:ident($body:ty $(,)?) = $label:literal, $($rest:tt)*
    ) => {
        $crate::operation_error!(@display $self $f [$($arms)*
            Self::$variant(body) => $crate::support::describe_error($f, $label, body),
        ] $($rest)*)
    };
    (@display $self:tt $f:ident [$($arms:tt)*]
        $variant:ident = $label:literal, $($rest:tt)*
    ) => {
        $crate::operation_error!(@display $self $f [$($arms)*
            Self::$variant => $f.write_str($label),
        ] $($rest)*)
    };
    (@display $self:tt $f:ident [$($arms:tt)*]
        $variant:ident { $(#[$status_meta:meta])* status: u16, $(#[$body_meta:meta])* body: $body:ty $(,)? }
        = $label:literal, $($rest:tt)*
    ) => {
        $crate::operation_error!(@display $self $f [$($arms)*
            Self::$variant { status, body } => $crate::support::describe_error(
                $f,
                &::std::format!("{} ({})", $label, status),
                body,
            ),
        ] $($rest)*)
    };
    (@display $self:tt $f:ident [$($arms:tt)*]
        $variant:ident { $(#[$status_meta:meta])* status: u16 $(,)? } = $label:literal, $($rest:tt)*
    ) => {
        $crate::operation_error!(@display $self $f [$($arms)*
            Self::$variant { status } => ::std::write!($f, "{} ({})", $label, status),
        ] $($rest)*)
    };
    // The mock answer match (status and body), built one variant at a time.
    (@answer $self:tt [$($arms:tt)*]) => {
        match $self {
            $($arms)*
        }
    };
    (@answer $self:tt [$($arms:tt)*]
        $variant:ident($body:ty $(,)?) = $label:literal, $($rest:tt)*
    ) => {
        $crate::operation_error!(@answer $self [$($arms)*
            Self::$variant(body) => ($crate::error_answer::status_of_label($label), $crate::error_answer::error_body(body)),
        ] $($rest)*)
    };
    (@answer $self:tt [$($arms:tt)*]
        $variant:ident = $label:literal, $($rest:tt)*
    ) => {
        $crate::operation_error!(@answer $self [$($arms)*
            Self::$variant => ($crate::error_answer::status_of_label($label), ::std::option::Option::None),
        ] $($rest)*)
    };
    (@answer $self:tt [$($arms:tt)*]
        $variant:ident { $(#[$status_meta:meta])* status: u16, $(#[$body_meta:meta])* body: $body:ty $(,)? }
        = $label:literal, $($rest:tt)*
    ) => {
        $crate::operation_error!(@answer $self [$($arms)*
            Self::$variant { status, body } => (*status, $crate::error_answer::error_body(body)),
        ] $($rest)*)
    };
    (@answer $self:tt [$($arms:tt)*]
        $variant:ident { $(#[$status_meta:meta])* status: u16 $(,)? } = $label:literal, $($rest:tt)*
    ) => {
        $crate::operation_error!(@answer $self [$($arms)*
            Self::$variant { status } => (*status, ::std::option::Option::None),
        ] $($rest)*)
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {}
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        $vis enum $name {}

        impl ::std::fmt::Display for $name {
            fn fmt(&self, _: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match *self {}
            }
        }

        impl ::std::error::Error for $name {}

        // The fake of the `mock` feature answers with these errors.
        #[cfg(feature = "mock")]
        impl $crate::error_answer::ErrorAnswer for $name {
            fn answer(&self) -> (u16, ::std::option::Option<$crate::support::Json>) {
                match *self {}
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $(($($tuple:tt)*))? $({ $($fields:tt)* })? = $label:literal,
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        // Each status holds its documented body unboxed: boxing by size would
        // change a variant's type whenever a new version grows the body.
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        $vis enum $name {
            $( #[doc = $label] $(#[$vmeta])* $variant $(($($tuple)*))? $({ $($fields)* })?, )+
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::operation_error!(@display self f []
                    $( $variant $(($($tuple)*))? $({ $($fields)* })? = $label, )+
                )
            }
        }

        impl ::std::error::Error for $name {}

        // The fake of the `mock` feature answers with these errors.
        #[cfg(feature = "mock")]
        impl $crate::error_answer::ErrorAnswer for $name {
            fn answer(&self) -> (u16, ::std::option::Option<$crate::support::Json>) {
                $crate::operation_error!(@answer self []
                    $( $variant $(($($tuple)*))? $({ $($fields)* })? = $label, )+
                )
            }
        }
    };
}
