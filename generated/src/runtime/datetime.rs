//! [`DateTime`]: the type of `format: date-time` fields. It is the parsed instant plus the text
//! it was read from, so that a model written back reproduces the body it was read from (real
//! responses carry 2, 3 or 6 fraction digits, trailing zeros and `+08:00` offsets, which a
//! re-formatted instant would change), while code that uses it gets a [`Timestamp`].

use super::timestamp::{Timestamp, TimestampError};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// An RFC 3339 date-time (`format: date-time`): the instant, and the text it was read from.
///
/// - [`DateTime::instant`] is the instant (a [`Timestamp`]; 0–9 fraction digits and any
///   offset are accepted).
/// - [`DateTime::as_str`] and `Display` give the text as received; serializing writes that text
///   back unchanged. A `DateTime` made from a [`Timestamp`] has its RFC 3339 text
///   (UTC, `Z`, as few fraction digits as needed).
/// - Equality, ordering and hashing are by instant: `2024-06-06T23:55:31.5+08:00` equals
///   `2024-06-06T15:55:31.500Z`.
#[derive(Clone)]
pub struct DateTime {
    instant: Timestamp,
    text: Box<str>,
}

impl DateTime {
    /// Parses RFC 3339 text, keeping it.
    pub fn parse(text: &str) -> Result<Self, TimestampError> {
        Ok(DateTime {
            instant: Timestamp::parse_rfc3339(text)?,
            text: text.into(),
        })
    }

    /// The instant.
    pub fn instant(&self) -> Timestamp {
        self.instant
    }

    /// The text as received (or as formatted, for a `DateTime` made from an instant).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// The Unix epoch, `1970-01-01T00:00:00Z`, so that a model
/// with a required date-time field can still derive `Default`.
impl Default for DateTime {
    fn default() -> Self {
        DateTime::from(Timestamp::UNIX_EPOCH)
    }
}

impl From<Timestamp> for DateTime {
    fn from(instant: Timestamp) -> Self {
        DateTime {
            instant,
            text: instant.to_string().into(),
        }
    }
}

impl From<DateTime> for Timestamp {
    fn from(t: DateTime) -> Self {
        t.instant
    }
}

impl FromStr for DateTime {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, TimestampError> {
        DateTime::parse(s)
    }
}

/// A date-time parameter is sent as its text (as received, or RFC 3339 for an instant).
impl super::ParamValue for DateTime {
    fn to_param(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self.as_str())
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

    /// The crate's own RFC 3339 reader agrees with jiff (a dev-dependency only) on 200,000
    /// generated strings: the same instant wherever both read one, and what only jiff reads is
    /// what the reader refuses on purpose (more than 9 fraction digits, a leap second).
    #[test]
    fn the_reader_agrees_with_jiff() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut both = 0;
        for i in 0..200_000 {
            let frac = match next(4) {
                0 => String::new(),
                _ => format!(".{}", "123456789012"[..1 + next(11) as usize].to_owned()),
            };
            let offset = match next(4) {
                0 => "Z".to_owned(),
                1 => format!("+{:02}:{:02}", next(26), next(61)),
                2 => format!("-{:02}:{:02}", next(26), next(61)),
                _ => ["z", "+0800", "+08", "", " ", "Zx"][next(6) as usize].to_owned(),
            };
            let year = match next(8) {
                0 => next(10_000),
                1 => 9_999,
                2 => [1900, 2000, 2100, 2024, 1970, 1969][next(6) as usize],
                _ => 1_990 + next(50),
            };
            let sep = if i % 50 == 0 { "t" } else { "T" };
            let text = format!(
                "{year:04}-{:02}-{:02}{sep}{:02}:{:02}:{:02}{frac}{offset}",
                next(14),
                next(33),
                next(26),
                next(61),
                next(62)
            );
            let ours = super::Timestamp::parse_rfc3339(&text).ok();
            let theirs = text.parse::<jiff::Timestamp>().ok();
            match (ours, theirs) {
                (Some(a), Some(b)) => {
                    both += 1;
                    let nanos = |s: i64, n: i32| i128::from(s) * 1_000_000_000 + i128::from(n);
                    assert_eq!(
                        nanos(a.as_second(), a.subsec_nanosecond()),
                        nanos(b.as_second(), b.subsec_nanosecond()),
                        "{text}"
                    );
                    assert_eq!(a.to_string(), b.to_string(), "{text}");
                }
                // jiff's range ends at 9999-12-30T22:00:00.999999999Z (room for offsets).
                (Some(a), None) => assert!(
                    a.as_second() > 253_402_207_200,
                    "read what jiff refuses: {text}"
                ),
                (None, Some(_)) => {
                    let frac_digits = frac.len().saturating_sub(1);
                    assert!(
                        frac_digits > 9 || &text.as_bytes()[17..19] == b"60",
                        "refused: {text}"
                    );
                }
                (None, None) => {}
            }
        }
        assert!(both > 50_000, "both read {both}");
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
