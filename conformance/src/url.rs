//! URLs as the runner reads them from recordings: host, path and query apart, query pairs
//! decoded. One place for what reading, checking and recording all need.

/// Splits a URL into host and path; the query is returned apart.
pub fn split_url(url: &str) -> (Option<&str>, &str, Option<&str>) {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let rest = rest.split('#').next().unwrap_or(rest);
    let (authority, path_query) = match rest.find('/') {
        Some(i) if url.contains("://") => (Some(&rest[..i]), &rest[i..]),
        None if url.contains("://") => (Some(rest), "/"),
        _ => (None, rest),
    };
    let host = authority.map(|a| {
        let a = a.rsplit('@').next().unwrap_or(a);
        match a.strip_prefix('[') {
            // `[::1]:8080`
            Some(v6) => v6.split(']').next().unwrap_or(v6),
            None => a.split(':').next().unwrap_or(a),
        }
    });
    match path_query.split_once('?') {
        Some((p, q)) => (host, p, Some(q)),
        None => (host, path_query, None),
    }
}

/// The `k=v` pairs of a query, percent-decoded (`+` is a space); a key without `=` has an
/// empty value.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// Percent-decodes (lossily) a query component.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                // Two hex digits, nothing else (`u8::from_str_radix` would take `+1`).
                let digit = |b: u8| char::from(b).to_digit(16);
                let hex = digit(bytes[i + 1])
                    .zip(digit(bytes[i + 2]))
                    .map(|(h, l)| (h * 16 + l) as u8);
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts() {
        assert_eq!(
            split_url("https://u:p@h.example.com:8443/v1/x?a=1#f"),
            (Some("h.example.com"), "/v1/x", Some("a=1"))
        );
        assert_eq!(split_url("/v1/x"), (None, "/v1/x", None));
        assert_eq!(split_url("http://[::1]:8080/p").0, Some("::1"));
        assert_eq!(
            query_pairs("a=1&b=x%2Fy+z&c&"),
            [
                ("a".into(), "1".into()),
                ("b".into(), "x/y z".into()),
                ("c".into(), String::new())
            ]
        );
    }

    #[test]
    fn an_escape_is_a_percent_and_two_hex_digits() {
        assert_eq!(percent_decode("%41%7a%7A"), "Azz");
        // A sign is no hex digit: the `%` stays, and `+` is a space as everywhere in a query.
        assert_eq!(percent_decode("%+1"), "% 1");
        assert_eq!(percent_decode("%-1%4%zz%"), "%-1%4%zz%");
    }
}
