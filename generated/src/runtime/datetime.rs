//! [`DateTime`]: the type of `format: date-time` fields. It is the parsed instant plus the text
//! it was read from, so that a model written back reproduces the body it was read from (real
//! responses carry 2, 3 or 6 fraction digits, trailing zeros and `+08:00` offsets, which a
//! re-formatted instant would change), while code that uses it gets a [`jiff::Timestamp`].

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// An RFC 3339 date-time (`format: date-time`): the instant, and the text it was read from.
///
/// - [`DateTime::instant`] is the instant (a [`jiff::Timestamp`]; 0–9 fraction digits and any
///   offset are accepted).
/// - [`DateTime::as_str`] and `Display` give the text as received; serializing writes that text
///   back unchanged. A `DateTime` made from a [`jiff::Timestamp`] has jiff's RFC 3339 text
///   (UTC, `Z`, as few fraction digits as needed).
/// - Equality, ordering and hashing are by instant: `2024-06-06T23:55:31.5+08:00` equals
///   `2024-06-06T15:55:31.500Z`.
#[derive(Clone)]
pub struct DateTime {
    instant: jiff::Timestamp,
    text: Box<str>,
}

impl DateTime {
    /// Parses RFC 3339 text, keeping it.
    pub fn parse(text: &str) -> Result<Self, jiff::Error> {
        let instant = text.parse::<jiff::Timestamp>()?;
        Ok(DateTime {
            instant,
            text: text.into(),
        })
    }

    /// The instant.
    pub fn instant(&self) -> jiff::Timestamp {
        self.instant
    }

    /// The text as received (or as formatted, for a `DateTime` made from an instant).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl From<jiff::Timestamp> for DateTime {
    fn from(instant: jiff::Timestamp) -> Self {
        DateTime {
            instant,
            text: instant.to_string().into(),
        }
    }
}

impl From<DateTime> for jiff::Timestamp {
    fn from(t: DateTime) -> Self {
        t.instant
    }
}

impl FromStr for DateTime {
    type Err = jiff::Error;
    fn from_str(s: &str) -> Result<Self, jiff::Error> {
        DateTime::parse(s)
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.text, f)
    }
}

impl PartialEq for DateTime {
    fn eq(&self, other: &Self) -> bool {
        self.instant == other.instant
    }
}

impl Eq for DateTime {}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.instant.cmp(&other.instant)
    }
}

impl Hash for DateTime {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.instant.hash(state);
    }
}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl serde::de::Visitor<'_> for Visit {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 date-time string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse(v).map_err(|e| E::custom(format!("`{v}`: {e}")))
            }
        }
        deserializer.deserialize_str(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::DateTime;

    #[test]
    fn keeps_the_text_and_compares_by_instant() {
        let a: DateTime = serde_json::from_str(r#""2024-06-06T23:55:31.50+08:00""#).unwrap();
        let b = DateTime::parse("2024-06-06T15:55:31.5Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "2024-06-06T23:55:31.50+08:00");
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#""2024-06-06T23:55:31.50+08:00""#
        );
        assert_eq!(a.instant().to_string(), "2024-06-06T15:55:31.5Z");
        assert!(b < DateTime::parse("2024-06-06T15:55:31.500000001Z").unwrap());
        let from_instant = DateTime::from(b.instant());
        assert_eq!(from_instant.as_str(), "2024-06-06T15:55:31.5Z");
    }

    #[test]
    fn refuses_what_is_not_a_date_time() {
        for bad in [r#""yesterday""#, r#""2024-06-06""#, "1717689331", "null"] {
            let err = serde_json::from_str::<DateTime>(bad)
                .unwrap_err()
                .to_string();
            assert!(!err.is_empty(), "{bad}");
        }
        let err = serde_json::from_str::<DateTime>(r#""yesterday""#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`yesterday`"), "{err}");
    }
}
