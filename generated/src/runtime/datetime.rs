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
        let instant = match rfc3339(text.as_bytes()) {
            Some(instant) => instant,
            None => text.parse::<jiff::Timestamp>()?,
        };
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

/// The common shape, `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`, read directly (several times
/// faster than jiff's general parser, which matters to the conformance runner). Anything else —
/// other separators, a leap second, an instant out of range, any doubt — is `None`, and jiff
/// decides. The tests compare the two on many generated strings.
fn rfc3339(b: &[u8]) -> Option<jiff::Timestamp> {
    fn digits(b: &[u8]) -> Option<i64> {
        b.iter().try_fold(0i64, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
        })
    }
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let (hour, minute, second) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos = 0i64;
    if let [b'.', frac @ ..] = rest {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        nanos = digits(&frac[..n])? * 10i64.pow(9 - n as u32);
        rest = &frac[n..];
    }
    let offset = match rest {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let s = (h * 60 + m) * 60;
            if *sign == b'-' {
                -s
            } else {
                s
            }
        }
        _ => return None,
    };
    // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset;
    jiff::Timestamp::new(seconds, i32::try_from(nanos).ok()?).ok()
}

/// The Unix epoch, `1970-01-01T00:00:00Z` (as `jiff::Timestamp::default()`), so that a model
/// with a required date-time field can still derive `Default`.
impl Default for DateTime {
    fn default() -> Self {
        DateTime::from(jiff::Timestamp::UNIX_EPOCH)
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

    /// The direct reader agrees with jiff wherever it answers, and answers for the common shape.
    #[test]
    fn direct_reader_agrees_with_jiff() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let mut answered = 0;
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
            let direct = super::rfc3339(text.as_bytes());
            let general = text.parse::<jiff::Timestamp>().ok();
            if let Some(t) = direct {
                answered += 1;
                assert_eq!(Some(t), general, "{text}");
            } else if general.is_some() {
                // Only shapes the direct reader leaves to jiff on purpose.
                let b = text.as_bytes();
                let plain = b[10] == b'T' && text.ends_with('Z') && &b[17..19] != b"60";
                let frac_digits = frac.len().saturating_sub(1);
                assert!(
                    !plain || frac_digits > 9 || year > 9_998,
                    "left to jiff: {text}"
                );
            }
        }
        assert!(
            answered > 50_000,
            "the direct reader answered {answered} times"
        );
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
