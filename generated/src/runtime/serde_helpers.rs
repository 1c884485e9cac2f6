//! serde support used by the generated `Serialize`/`Deserialize` impls.

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// An object key, borrowed from the input when it can be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key<'de>(pub Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// `x-boolean-string`: a `bool` carried as the string `"true"` or `"false"`.
/// On input a JSON boolean is accepted too; output is always the string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StringBool(pub bool);

impl Serialize for StringBool {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if self.0 { "true" } else { "false" })
    }
}

impl<'de> Deserialize<'de> for StringBool {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = StringBool;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"true\" or \"false\"")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<StringBool, E> {
                Ok(StringBool(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StringBool, E> {
                match v {
                    "true" => Ok(StringBool(true)),
                    "false" => Ok(StringBool(false)),
                    other => Err(E::invalid_value(de::Unexpected::Str(other), &self)),
                }
            }
        }
        deserializer.deserialize_any(V)
    }
}

/// Reads the value of a struct field into its slot, refusing a second spelling of the same
/// field (`EXECUTION_STATUS` after `execution_status`).
pub fn fill<'de, T: Deserialize<'de>, A: de::MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
    field: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(field));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A required field's value, or the "missing field" error.
pub fn required<T, E: de::Error>(slot: Option<T>, field: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(field))
}

/// A struct read from a JSON object key by key (implemented by generated models).
pub trait FromMap: Sized {
    /// What `expecting` says: "a JSON object (Name)".
    const EXPECTING: &'static str;
    /// Reads the fields from the map.
    fn from_map<'de, A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize` for a [`FromMap`] type.
pub fn deserialize_struct<'de, T: FromMap, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: FromMap> de::Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(T::EXPECTING)
        }
        fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::from_map(map)
        }
    }
    deserializer.deserialize_map(V(std::marker::PhantomData))
}

/// Reads a string into an open enum through `From<&str>` (borrowed input: nothing is allocated
/// for a listed value) or `From<String>` (owned input: an unlisted value keeps the string).
pub fn open_enum<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str> + From<String>,
    D: Deserializer<'de>,
{
    struct Visit<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str> + From<String>> de::Visitor<'_> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            Ok(T::from(v))
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<T, E> {
            Ok(T::from(v))
        }
    }
    deserializer.deserialize_str(Visit(std::marker::PhantomData))
}

/// Reads a string into a closed enum through `FromStr`; anything else is an error that names
/// the value and what was `expected`.
pub fn closed_enum<'de, T, D>(deserializer: D, expected: &'static str) -> Result<T, D::Error>
where
    T: std::str::FromStr,
    D: Deserializer<'de>,
{
    struct Visit<T>(&'static str, std::marker::PhantomData<T>);
    impl<T: std::str::FromStr> de::Visitor<'_> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.0)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            v.parse()
                .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self.0))
        }
    }
    deserializer.deserialize_str(Visit(expected, std::marker::PhantomData))
}
