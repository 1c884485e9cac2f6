//! [`Timestamp`]: an instant, read from and written as RFC 3339 — what the models' date-times,
//! request signing (`X-Sdk-Date`) and waiting need, in a few lines of the crate's own, so that
//! the crate you vendor carries no date-time library (`jiff` and `jiff-core` were a third of
//! its cold build; docs/benchmarks.md). Convert to your date-time library of choice with
//! [`Timestamp::as_second`] and [`Timestamp::subsec_nanosecond`].

use std::fmt;
use std::str::FromStr;

/// An instant: seconds and nanoseconds since 1970-01-01T00:00:00Z, from year 0000 to 9999.
/// Ordered, hashed and compared as instants; written as RFC 3339 in UTC with as few fraction
/// digits as needed (`2024-06-06T15:55:31.5Z`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp {
    seconds: i64,
    nanos: u32,
}

/// Text that is not an RFC 3339 date-time this crate reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError(&'static str);

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not an RFC 3339 date-time: {}", self.0)
    }
}

impl std::error::Error for TimestampError {}

/// Seconds of 0000-01-01T00:00:00Z and of 9999-12-31T23:59:59Z.
const MIN_SECONDS: i64 = -62_167_219_200;
const MAX_SECONDS: i64 = 253_402_300_799;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

impl Timestamp {
    /// 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Timestamp = Timestamp {
        seconds: 0,
        nanos: 0,
    };

    /// The instant `seconds` + `nanos` after the epoch; `None` outside years 0000–9999 or when
    /// `nanos` is not below 10⁹.
    pub fn new(seconds: i64, nanos: u32) -> Option<Self> {
        ((MIN_SECONDS..=MAX_SECONDS).contains(&seconds) && nanos < 1_000_000_000)
            .then_some(Timestamp { seconds, nanos })
    }

    /// Now, from the system clock.
    pub fn now() -> Self {
        let (seconds, nanos) =
            match std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
                Ok(d) => (
                    i64::try_from(d.as_secs()).unwrap_or(MAX_SECONDS),
                    d.subsec_nanos(),
                ),
                Err(e) => {
                    let d = e.duration();
                    let s = -i64::try_from(d.as_secs()).unwrap_or(-MIN_SECONDS);
                    match d.subsec_nanos() {
                        0 => (s, 0),
                        n => (s - 1, 1_000_000_000 - n),
                    }
                }
            };
        Timestamp {
            seconds: seconds.clamp(MIN_SECONDS, MAX_SECONDS),
            nanos,
        }
    }

    /// Whole seconds since the epoch (negative before it).
    pub fn as_second(&self) -> i64 {
        self.seconds
    }

    /// The nanoseconds within the second, 0 to 999,999,999.
    pub fn subsec_nanosecond(&self) -> i32 {
        // Below 10⁹: fits.
        i32::try_from(self.nanos).unwrap_or(i32::MAX)
    }

    /// UTC year, month, day, hour, minute, second.
    pub fn utc_parts(&self) -> (i64, i64, i64, i64, i64, i64) {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (y, m, d, secs / 3_600, secs / 60 % 60, secs % 60)
    }

    /// Reads RFC 3339: `YYYY-MM-DD(T|t| )HH:MM:SS[.f{1,9}](Z|z|±HH:MM)`; 0–9 fraction digits,
    /// any offset (`±HHMM` and `±HH` too). A leap second (`:60`) is refused.
    pub fn parse_rfc3339(text: &str) -> Result<Self, TimestampError> {
        let b = text.as_bytes();
        fn digits(b: &[u8]) -> Option<i64> {
            b.iter().try_fold(0i64, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + i64::from(c - b'0'))
            })
        }
        let bad = TimestampError;
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
            return Err(bad("expected YYYY-MM-DDTHH:MM:SS"));
        }
        if !matches!(b[10], b'T' | b't' | b' ') {
            return Err(bad("expected `T` between the date and the time"));
        }
        let field = |r: std::ops::Range<usize>| digits(&b[r]).ok_or(bad("a field is not digits"));
        let (year, month, day) = (field(0..4)?, field(5..7)?, field(8..10)?);
        let (hour, minute, second) = (field(11..13)?, field(14..16)?, field(17..19)?);
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let month_days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return Err(bad("no such month")),
        };
        if day < 1 || day > month_days {
            return Err(bad("no such day"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(bad("no such time of day (leap seconds are not read)"));
        }
        let mut rest = &b[19..];
        let mut nanos = 0i64;
        if let [b'.', frac @ ..] = rest {
            let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return Err(bad("1 to 9 fraction digits"));
            }
            nanos = digits(&frac[..n]).ok_or(bad("fraction"))? * 10i64.pow(9 - n as u32);
            rest = &frac[n..];
        }
        let offset = match rest {
            [b'Z' | b'z'] => 0,
            // `±HH:MM`; also `±HHMM` and `±HH`, which real servers send and jiff reads.
            [sign @ (b'+' | b'-'), h1, h2, tail @ ..]
                if matches!(tail, [] | [_, _] | [b':', _, _]) =>
            {
                let m = match tail {
                    [] => Some(0),
                    [b':', m1, m2] | [m1, m2] => digits(&[*m1, *m2]),
                    _ => None,
                };
                let (h, m) = (
                    digits(&[*h1, *h2]).ok_or(bad("offset"))?,
                    m.ok_or(bad("offset"))?,
                );
                // Offsets up to ±25:59, as jiff reads them.
                if h > 25 || m > 59 {
                    return Err(bad("no such offset"));
                }
                let s = (h * 60 + m) * 60;
                if *sign == b'-' {
                    -s
                } else {
                    s
                }
            }
            _ => return Err(bad("expected `Z` or an offset `±HH:MM` at the end")),
        };
        let seconds =
            days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second
                - offset;
        Timestamp::new(seconds, u32::try_from(nanos).unwrap_or(0)).ok_or(bad("out of range"))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, mo, d, h, mi, s) = self.utc_parts();
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        if self.nanos > 0 {
            let frac = format!("{:09}", self.nanos);
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, TimestampError> {
        Timestamp::parse_rfc3339(s)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_parts() {
        for (text, shown) in [
            ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"),
            ("2024-06-06T23:55:31.50+08:00", "2024-06-06T15:55:31.5Z"),
            (
                "2024-02-29t00:00:00.000000001z",
                "2024-02-29T00:00:00.000000001Z",
            ),
            ("1969-12-31 23:59:59.9-00:30", "1970-01-01T00:29:59.9Z"),
            ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
            (
                "9999-12-31T23:59:59.999999999Z",
                "9999-12-31T23:59:59.999999999Z",
            ),
        ] {
            let t: Timestamp = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(t.to_string(), shown, "{text}");
            assert_eq!(shown.parse::<Timestamp>().unwrap(), t);
        }
        let t: Timestamp = "2026-11-22T10:15:00.123Z".parse().unwrap();
        assert_eq!(t.utc_parts(), (2026, 11, 22, 10, 15, 0));
        assert_eq!(t.subsec_nanosecond(), 123_000_000);
        for bad in [
            "2024-02-30T00:00:00Z",
            "2024-06-06T15:55:60Z",
            "2024-06-06",
            "2024-06-06T15:55:31",
            "2024-06-06T15:55:31.Z",
            "2024-06-06T15:55:31+08:0",
            "yesterday",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
        assert!(Timestamp::now() > "2026-01-01T00:00:00Z".parse().unwrap());
    }
}
