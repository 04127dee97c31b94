//! [`Nullable`]: a property of a request that can be left out, cleared with
//! `null`, or set.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that a request can leave out, send as `null` (to clear it), or
/// send with a value: the three cases that an `Option` cannot tell apart.
///
/// Fields of this type are left out of the JSON while [`Nullable::Absent`]
/// (the default), so `..Default::default()` changes nothing on the server.
/// A value converts with `.into()`, a `&str` too:
///
/// ```
/// # use serde::{Deserialize, Serialize};
/// use sunshine_conversations::Nullable;
/// # #[derive(Serialize, Deserialize, Default)]
/// # struct Profile {
/// #     #[serde(default, skip_serializing_if = "Nullable::is_absent")] given_name: Nullable<String>,
/// #     #[serde(default, skip_serializing_if = "Nullable::is_absent")] surname: Nullable<String>,
/// # }
/// let keep = Profile::default();
/// let set = Profile { given_name: "Ada".into(), surname: Nullable::Null };
/// # assert_eq!(serde_json::to_string(&keep).unwrap(), "{}");
/// # assert_eq!(serde_json::to_string(&set).unwrap(), r#"{"given_name":"Ada","surname":null}"#);
/// ```
///
/// Reading one is as short as reading an `Option`: [`as_deref`](Self::as_deref)
/// and [`as_ref`](Self::as_ref) give an `Option` of a reference (`None` for
/// both `Absent` and `Null`), and `Option::from` an owned one.
///
/// ```
/// # use sunshine_conversations::Nullable;
/// # struct Profile { given_name: Nullable<String>, surname: Nullable<String> }
/// # let profile = Profile { given_name: "Ada".into(), surname: Nullable::Null };
/// assert_eq!(profile.given_name.as_deref(), Some("Ada"));
/// assert_eq!(profile.surname.as_deref(), None);
/// let name: Option<String> = profile.given_name.into();
/// # assert_eq!(name.as_deref(), Some("Ada"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// Left out of the request: the server keeps its value (or its default).
    #[default]
    Absent,
    /// Sent as `null`: the server clears the value.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is left out.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the property is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one (neither absent nor `null`), as
    /// `Option::as_ref` gives it.
    pub fn as_ref(&self) -> Option<&T> {
        self.value()
    }

    /// The value dereferenced (`Option<&str>` for a `Nullable<String>`), if
    /// there is one, as `Option::as_deref` gives it.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.value().map(|value| &**value)
    }

    /// The value, if there is one (neither absent nor `null`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one (neither absent nor `null`).
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// `Some(value)` becomes a value and `None` becomes `null`: for a
    /// property that is always sent.
    pub fn from_option(value: Option<T>) -> Self {
        match value {
            Some(value) => Self::Value(value),
            None => Self::Null,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

// A blanket `From<U> where U: Into<T>` would overlap with core's
// `From<T> for T` (for `U = Nullable<T>`), so the string case is spelled out.
impl From<&str> for Nullable<String> {
    fn from(value: &str) -> Self {
        Self::Value(value.to_owned())
    }
}

impl<T> From<Nullable<T>> for Option<T> {
    fn from(value: Nullable<T>) -> Self {
        value.into_value()
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            // `Absent` is skipped by the field's `skip_serializing_if`; should
            // it be serialized anyway, `null` is the nearest meaning.
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Reached only when the property is present; absence is `default`.
        Option::<T>::deserialize(deserializer).map(Self::from_option)
    }
}
