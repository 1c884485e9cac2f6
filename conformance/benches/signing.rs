//! `cargo bench -p conformance --bench signing`: AK/SK signing against the signer as it was
//! before it followed the official SDK (issue #17), measured in the same run.
//!
//! The baseline, `before`, is the canonicalization and `sign` of `generated/src/runtime/signer.rs`
//! at commit 4565cb9, frozen here (only the parts `sign` uses; header setting through `http`'s own
//! API). Both sign the same 2,000 requests (the two operations with their query parameters, some
//! with extra query keys, reserved and non-ASCII characters, extra headers); rounds alternate
//! between them, and the median round of each is compared. Output: one line per signer and
//! `ratio now/before N.NNx`.

use hwc_jobs::runtime::{signer, SigningScheme};
use hwc_jobs::{cae, servicestage};
use std::time::Instant;

const REQUESTS: usize = 2_000;
const ROUNDS: usize = 15;
const AK: &str = "HPUAEXAMPLEAK12345678";
const SK: &str = "ExampleSecretKey/With+Chars=";
const DATE: &str = "20261122T101500Z";

/// The signer at commit 4565cb9 (before issue #17), frozen as the baseline.
mod before {
    use hwc_jobs::runtime::signer::{hmac_sha256, host_of, sha256_hex, ALGORITHM};
    use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

    const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    fn encode(s: &str) -> String {
        utf8_percent_encode(s, UNRESERVED).to_string()
    }
    fn decode(s: &str) -> String {
        percent_decode_str(s).decode_utf8_lossy().into_owned()
    }
    fn canonical_uri(path: &str) -> String {
        let mut out: String = path
            .split('/')
            .map(|seg| encode(&decode(seg)))
            .collect::<Vec<_>>()
            .join("/");
        if !out.starts_with('/') {
            out.insert(0, '/');
        }
        if !out.ends_with('/') {
            out.push('/');
        }
        out
    }
    fn canonical_query(query: Option<&str>) -> String {
        let mut pairs: Vec<(String, String)> = query
            .unwrap_or("")
            .split('&')
            .filter(|kv| !kv.is_empty())
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (encode(&decode(k)), encode(&decode(v)))
            })
            .collect();
        pairs.sort();
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }
    fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
        let mut list: Vec<(String, String)> = headers
            .iter()
            .filter(|(n, _)| !n.contains('_'))
            .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        list.sort();
        let canonical: String = list.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
        let signed = list
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(";");
        (canonical, signed)
    }
    /// `sign` as it was: Host and date set, every header but the signature's signed.
    pub fn sign(
        request: &mut http::Request<Vec<u8>>,
        header: &str,
        date_header: &str,
        ak: &str,
        sk: &str,
        date: &str,
    ) {
        let host = host_of(request.uri()).unwrap();
        let h = request.headers_mut();
        h.insert(http::header::HOST, host.parse().unwrap());
        h.insert(
            http::HeaderName::from_bytes(date_header.as_bytes()).unwrap(),
            date.parse().unwrap(),
        );
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .filter(|(n, _)| !n.as_str().eq_ignore_ascii_case(header))
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let (canonical_headers, signed) = canonical_headers(&headers);
        let canonical_request = format!(
            "{}\n{}\n{}\n{}\n{}\n{}",
            request.method().as_str().to_ascii_uppercase(),
            canonical_uri(request.uri().path()),
            canonical_query(request.uri().query()),
            canonical_headers,
            signed,
            sha256_hex(request.body())
        );
        let string_to_sign = format!(
            "{ALGORITHM}\n{date}\n{}",
            sha256_hex(canonical_request.as_bytes())
        );
        let sig = hex(&hmac_sha256(sk.as_bytes(), string_to_sign.as_bytes()));
        let value = format!("{ALGORITHM} Access={ak}, SignedHeaders={signed}, Signature={sig}");
        let mut value = http::HeaderValue::from_str(&value).unwrap();
        value.set_sensitive(true);
        request.headers_mut().insert(
            http::HeaderName::from_bytes(header.as_bytes()).unwrap(),
            value,
        );
    }
}

fn requests() -> Vec<http::Request<Vec<u8>>> {
    let ids = [
        "JOB17cb1778-07b1-4c8f-a183-c86cffbe8f9e",
        "a/b c",
        "一二三",
        "job-42",
    ];
    (0..REQUESTS)
        .map(|i| {
            let id = ids[i % ids.len()];
            let mut r = if i % 2 == 0 {
                servicestage::GetJobDetailsRequest::new("0a1b2c3d4e5f", id)
                    .limit(10)
                    .offset(i as i64)
                    .desc(i % 3 == 0)
                    .build("https://servicestage.cn-north-4.myhuaweicloud.com")
                    .unwrap()
            } else {
                cae::GetJobDetailsRequest::new("0a1b2c3d4e5f", id, "env-7d3f")
                    .build("https://cae.cn-north-4.myhuaweicloud.com")
                    .unwrap()
            };
            if i % 4 == 1 {
                let uri = format!(
                    "{}{}tag=b&tag=a&name=%E4%B8%80%20x&z=",
                    r.uri(),
                    if r.uri().query().is_some() { "&" } else { "?" }
                );
                *r.uri_mut() = uri.parse().unwrap();
                r.headers_mut()
                    .insert("x-trace-id", "  abc-123  ".parse().unwrap());
            }
            r
        })
        .collect()
}

fn scheme() -> SigningScheme {
    servicestage::AUTH.signing.unwrap()
}

/// One round: clone and sign every request; seconds.
fn round(all: &[http::Request<Vec<u8>>], now: bool) -> f64 {
    let s = scheme();
    let start = Instant::now();
    for r in all {
        let mut r = r.clone();
        if now {
            signer::sign(&mut r, &s, AK, SK, None, DATE).unwrap();
        } else {
            before::sign(&mut r, s.header, s.date_header, AK, SK, DATE);
        }
        std::hint::black_box(&r);
    }
    start.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let all = requests();
    // Warm-up, and a check that both sign what the request builders produce the same way
    // where the canonicalizations agree (ASCII ids without `/`, no extra query).
    let mut a = all[0].clone();
    let mut b = all[0].clone();
    signer::sign(&mut a, &scheme(), AK, SK, None, DATE).unwrap();
    before::sign(&mut b, scheme().header, scheme().date_header, AK, SK, DATE);
    assert_eq!(a.headers()["authorization"], b.headers()["authorization"]);
    round(&all, true);
    round(&all, false);
    let (mut before_t, mut now_t) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        before_t.push(round(&all, false));
        now_t.push(round(&all, true));
    }
    let (b, n) = (median(before_t), median(now_t));
    let per = |t: f64| t / REQUESTS as f64 * 1e6;
    println!("signing {REQUESTS} requests, median of {ROUNDS} interleaved rounds");
    println!("before (4565cb9) {:>8.2} µs/request", per(b));
    println!("now              {:>8.2} µs/request", per(n));
    println!("ratio now/before {:.2}x", n / b);
}
