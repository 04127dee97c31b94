//! [`Nullable`]: a property of a request that can be left out, cleared with
//! `null`, or set.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A property that a request can leave out, send as `null` (to clear it), or
/// send with a value: the three cases that an `Option` cannot tell apart.
///
/// Fields of this type are left out of the JSON while [`Nullable::Absent`]
/// (the default), so `..Default::default()` changes nothing on the server.
/// A value converts with `.into()`:
///
/// ```
/// # use serde::{Deserialize, Serialize};
/// use sunshine_conversations::Nullable;
/// # #[derive(Serialize, Deserialize, Default)]
/// # struct Patch { #[serde(default, skip_serializing_if = "Nullable::is_absent")] name: Nullable<String> }
/// let keep = Patch::default();
/// let clear = Patch { name: Nullable::Null };
/// let set = Patch { name: "Ada".to_owned().into() };
/// # assert_eq!(serde_json::to_string(&keep).unwrap(), "{}");
/// # assert_eq!(serde_json::to_string(&clear).unwrap(), r#"{"name":null}"#);
/// # assert_eq!(serde_json::to_string(&set).unwrap(), r#"{"name":"Ada"}"#);
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
