//! serde helpers for the spec's extensions, used by generated `#[serde(with = ...)]` attributes.

/// `x-boolean-string`: a `bool` carried as the string `"true"` or `"false"`.
/// On input a JSON boolean is accepted too; output is always the string.
pub mod string_bool {
    use serde::{de, Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Wire {
        Bool(bool),
        Text(String),
    }

    fn from_wire<E: de::Error>(w: Wire) -> Result<bool, E> {
        match w {
            Wire::Bool(b) => Ok(b),
            Wire::Text(s) => match s.as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                other => Err(E::invalid_value(
                    de::Unexpected::Str(other),
                    &"\"true\" or \"false\"",
                )),
            },
        }
    }

    /// Writes `"true"` or `"false"`.
    pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if *value { "true" } else { "false" })
    }

    /// Reads `"true"`, `"false"`, `true` or `false`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        from_wire(Wire::deserialize(deserializer)?)
    }

    /// The same for optional fields (`null` reads as `None`).
    pub mod option {
        use super::*;

        /// Writes `"true"`, `"false"` or null.
        pub fn serialize<S: Serializer>(
            value: &Option<bool>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(b) => super::serialize(b, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `"true"`, `"false"`, a boolean or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<bool>, D::Error> {
            match Option::<Wire>::deserialize(deserializer)? {
                Some(w) => from_wire(w).map(Some),
                None => Ok(None),
            }
        }
    }
}

/// Optional and nullable fields: `None` when absent, `Some(None)` when `null`.
pub mod nullable {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the inner value or `null` (an absent field is skipped by the struct).
    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Called only when the field is present: `null` gives `Some(None)`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// Required and nullable fields: the field must be present; `null` reads as `None`.
pub mod required_nullable {
    use serde::{Deserialize, Deserializer};

    /// Reads the value or `null`; with `deserialize_with`, a missing field is an error.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<T>, D::Error> {
        Option::<T>::deserialize(deserializer)
    }
}
