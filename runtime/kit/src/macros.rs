//! The macros a generated crate's `mock` module is written with: each tag's
//! operations as a table of [`Spec`](crate::Spec)s and their types, and
//! the fake of the whole API with an accessor per tag.

/// The expectations of one tag's operations: one line per operation, its
/// path [`Arity`](crate::Arity), body, success and error types (and
/// its `{Op}Params` when its call takes `.params(..)`), then its
/// [`Spec`](crate::Spec).
///
/// ```text
/// mock_group! {
///     /// Docs of the group.
///     pub enum SwitchboardActions {
///         pass_control([(); 2], types::PassControlBody, (), PassControlError)
///             = Spec::new("PassControl", "POST", "/v2/…/passControl").json::<types::PassControlBody>(true),
///     }
/// }
/// ```
///
/// expands to a struct borrowing the fake, with `OPERATIONS` (every spec)
/// and a method per operation returning its [`Expectation`](crate::Expectation).
// `crate` in the expansion is meant: the generated crate's `Client` and `Call`.
#[allow(clippy::crate_in_macro_def)]
#[macro_export]
macro_rules! mock_group {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $op:ident($path:ty, $body:ty, $success:ty, $error:ty $(, $params:ty)? $(,)?) = $spec:expr, )*
        }
    ) => {
        $($(
            impl $crate::EncodeParams<$error> for $params {
                fn encode(&self, server: &$crate::MockServer) -> ::std::option::Option<$crate::__runtime::Request> {
                    let client: crate::Client = server.client();
                    let request = $crate::__runtime::Request::get("", "");
                    let call = crate::Call::<$success, $error>::new(&client, request, |response| {
                        ::std::result::Result::Err(response.unexpected())
                    });
                    $crate::request_of(call.params(self).0)
                }
            }
        )?)*

        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        $vis struct $name<'a>(&'a $crate::MockServer);

        impl<'a> $name<'a> {
            /// Every operation of the tag, as the fake checks requests against it.
            pub const OPERATIONS: &'static [$crate::Spec] = &[$($spec),*];

            /// The expectations of this tag's operations on `server`.
            pub fn new(server: &'a $crate::MockServer) -> Self {
                Self(server)
            }

            $(
                #[doc = ::std::concat!(
                    "An expectation of `", ::std::stringify!($op),
                    "`: match parts of the request, then give the answer."
                )]
                pub fn $op(&self) -> $crate::Expectation<'a, $path, $body, $success, $error> {
                    static SPEC: $crate::Spec = $spec;
                    $crate::Expectation::new(self.0, &SPEC)
                }
            )*
        }
    };
}

/// The fake of a whole API: a struct wrapping a
/// [`MockServer`](crate::MockServer) (reached through `Deref`), with an
/// accessor per tag, each as [`mock_group!`](crate::mock_group) made it, and
/// `operations()`, the specs of every tag compiled, for starting it.
///
/// ```text
/// mock_api! {
///     /// Docs of the fake.
///     pub struct MockApi {
///         /// Docs of the accessor.
///         #[cfg(feature = "switchboard-actions")]
///         switchboard_actions: SwitchboardActions,
///     }
/// }
/// ```
#[macro_export]
macro_rules! mock_api {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[cfg($cfg:meta)])*
                $accessor:ident: $group:ident,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        $vis struct $name($crate::MockServer);

        impl $name {
            /// Every operation the crate compiles, as the fake checks requests
            /// against them.
            pub fn operations() -> ::std::vec::Vec<&'static $crate::Spec> {
                #[allow(unused_mut)] // no operation compiles with every tag feature off
                let mut operations: ::std::vec::Vec<&'static [$crate::Spec]> = ::std::vec::Vec::new();
                $( $(#[cfg($cfg)])* operations.push($group::OPERATIONS); )*
                operations.into_iter().flatten().collect()
            }

            $(
                $(#[doc = $doc])*
                $(#[cfg($cfg)])*
                pub fn $accessor(&self) -> $group<'_> {
                    $group::new(&self.0)
                }
            )*
        }

        impl ::std::ops::Deref for $name {
            type Target = $crate::MockServer;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    };
}
