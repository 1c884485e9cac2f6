//! What the oracle tests share: Huawei's official Python SDK driven through `sdk_oracle.py`,
//! random requests, wire requests, HAR recordings of them and a recording proxy.
#![allow(dead_code)]

pub mod har;
pub mod proxy;

use hwc_jobs::runtime::signer::{self, Authorization, ReceivedRequest};
use hwc_jobs::runtime::{SigningScheme, Timestamp};
use hwc_jobs::{cae, servicestage};
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The interpreter with the official SDK, or `None` (skipped, said why) outside CI.
pub fn oracle() -> Option<PathBuf> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    let Some(python) = std::env::var_os("HWC_SDK_ORACLE_PYTHON") else {
        assert!(
            !ci,
            "CI=true but HWC_SDK_ORACLE_PYTHON is not set: .ci/run installs Huawei's SDK as the signing oracle"
        );
        eprintln!(
            "skipped: HWC_SDK_ORACLE_PYTHON is not set (an interpreter with huaweicloudsdkcore, \
             huaweicloudsdkservicestage and huaweicloudsdkcae 3.1.219; .ci/run sets it up)"
        );
        return None;
    };
    let found = Command::new(&python)
        .args([
            "-c",
            "import huaweicloudsdkcore, huaweicloudsdkservicestage, huaweicloudsdkcae",
        ])
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(!ci, "CI=true but {python:?} cannot import Huawei's SDK");
        eprintln!("skipped: {python:?} cannot import Huawei's SDK");
        return None;
    }
    Some(python.into())
}

/// Runs the oracle script on one job (JSON in, JSON out).
pub fn ask(python: &Path, job: &Value) -> Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracle/sdk_oracle.py");
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the oracle starts");
    let input = serde_json::to_vec(job).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "the oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the oracle answers JSON")
}

pub use test_support::Rng;

/// `SDK_ORACLE_SEED`, or one from the clock (printed either way).
pub fn seed() -> u64 {
    test_support::seed("SDK_ORACLE_SEED")
}

pub const SAFE: &[&str] = &["a", "Z", "0", "9", "-", ".", "_", "~"];
pub const RESERVED: &[&str] = &[
    "/", "?", "#", "[", "]", "@", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", "%", " ",
    ":", "\"", "<", ">", "`", "{", "}", "|", "^", "\\",
];
pub const NON_ASCII: &[&str] = &["é", "一", "ключ", "😀", "\u{a0}", "ß"];

pub fn any_char(rng: &mut Rng) -> &'static str {
    let list = match rng.below(10) {
        0..=4 => SAFE,
        5..=7 => RESERVED,
        _ => NON_ASCII,
    };
    list[rng.below(list.len())]
}

pub fn any_text(rng: &mut Rng, max: usize) -> String {
    let n = 1 + rng.below(max);
    (0..n).map(|_| any_char(rng)).collect()
}

/// A query component as a client may send it: unreserved characters literal or escaped, hex in
/// either case, a space as `+` or `%20`.
pub fn encode_loosely(rng: &mut Rng, text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let unreserved = c.is_ascii_alphanumeric() || "-._~".contains(c);
        if unreserved && !rng.chance(10) {
            out.push(c);
        } else if c == ' ' && rng.chance(50) {
            out.push('+');
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                if rng.chance(50) {
                    out.push_str(&format!("%{b:02X}"));
                } else {
                    out.push_str(&format!("%{b:02x}"));
                }
            }
        }
    }
    out
}

pub const CONTENT_TYPES: &[&str] = &[
    "application/json",
    "application/json;charset=UTF-8",
    "application/bson",
    "text/plain",
    "application/octet-stream",
    "Application/JSON",
    "multipart/form-data; boundary=x",
];

/// One random request: the same inputs, for both signers.
pub struct Case {
    /// Built by the generated crate, then given a method, query, headers and body.
    pub request: http::Request<Vec<u8>>,
    /// The query pairs sent, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers before signing, with the names as the caller wrote them.
    pub headers: Vec<(String, String)>,
    pub date: String,
    pub ak: String,
    pub sk: String,
    pub token: Option<String>,
}

pub fn random_case(rng: &mut Rng, method_choice: &[&str]) -> Case {
    let project = rng.text(&["a", "b", "0", "7", "f"], 32);
    let id = any_text(rng, 12);
    let mut request = if rng.chance(50) {
        let base = *rng.pick(&[
            "https://servicestage.cn-north-4.myhuaweicloud.com",
            "http://127.0.0.1:8080",
        ]);
        servicestage::GetJobDetailsRequest::new(project, id)
            .build(base)
            .unwrap()
    } else {
        let base = *rng.pick(&[
            "https://cae.ap-southeast-1.myhuaweicloud.com:8443",
            "http://127.0.0.1:8080",
        ]);
        cae::GetJobDetailsRequest::new(project, id, rng.text(SAFE, 10))
            .build(base)
            .unwrap()
    };
    assert!(request.uri().query().is_none());
    *request.method_mut() = rng.pick(method_choice).parse().unwrap();
    // The query: reserved, non-ASCII, repeated keys, empty values, loose encodings.
    let mut query = Vec::new();
    let mut raw = Vec::new();
    for _ in 0..rng.below(6) {
        let key = if !query.is_empty() && rng.chance(25) {
            let (k, _): &(String, String) = rng.pick(&query);
            k.clone()
        } else {
            any_text(rng, 6)
        };
        let value = if rng.chance(15) {
            String::new()
        } else {
            any_text(rng, 8)
        };
        raw.push(format!(
            "{}={}",
            encode_loosely(rng, &key),
            encode_loosely(rng, &value)
        ));
        query.push((key, value));
    }
    if !raw.is_empty() {
        let uri = format!("{}?{}", request.uri(), raw.join("&"));
        *request.uri_mut() = uri.parse().unwrap();
    }
    // Headers: odd case, padding, underscores (never signed), non-ASCII values.
    let mut names: Vec<(String, String)> = Vec::new();
    for _ in 0..rng.below(4) {
        let mut name = String::from("X-Test-");
        for _ in 0..1 + rng.below(6) {
            let c = *rng.pick(&["a", "B", "c", "D", "1", "-", "_"]);
            name.push_str(c);
        }
        if names.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            continue; // two names differing only in case: see docs/signing.md
        }
        let pad = |rng: &mut Rng| *rng.pick(&["", " ", "  ", "\t", "\u{a0}", " \t"]);
        let inner: String = (0..rng.below(8))
            .map(|_| *rng.pick(&["v", "1", " ", "é", "一", "=", ";", "\"", "/"]))
            .collect();
        let value = format!("{}{inner}{}", pad(rng), pad(rng));
        names.push((name, value));
    }
    for (name, value) in &names {
        request.headers_mut().insert(
            http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            http::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
        );
    }
    // Content type and body.
    request.headers_mut().remove(http::header::CONTENT_TYPE);
    let content_type = rng.chance(70).then(|| *rng.pick(CONTENT_TYPES));
    if let Some(ct) = content_type {
        request
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, ct.parse().unwrap());
    }
    *request.body_mut() = match rng.below(4) {
        0 => Vec::new(),
        1 => format!("{{\"name\":{:?}}}", any_text(rng, 10)).into_bytes(),
        2 => any_text(rng, 20).into_bytes(),
        _ => (0..1 + rng.below(40))
            .map(|_| rng.next_u64() as u8)
            .collect(),
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for (n, v) in request.headers() {
        let name = match names
            .iter()
            .find(|(o, _)| o.eq_ignore_ascii_case(n.as_str()))
        {
            Some((original, _)) => original.clone(),
            // The SDK looks for `Content-Type` spelled so (docs/signing.md).
            None if n == http::header::CONTENT_TYPE => "Content-Type".to_owned(),
            None => n.as_str().to_owned(),
        };
        headers.push((name, String::from_utf8(v.as_bytes().to_vec()).unwrap()));
    }
    let seconds = 946_684_800 + (rng.next_u64() % 1_100_000_000) as i64;
    Case {
        request,
        query,
        headers,
        date: signer::sdk_date(Timestamp::new(seconds, 0).unwrap()),
        ak: rng.text(&["A", "K", "Q", "7", "2"], 20),
        sk: any_text(rng, 40),
        token: rng.chance(20).then(|| rng.text(SAFE, 30)),
    }
}

/// The spec's AK/SK scheme.
pub fn scheme() -> SigningScheme {
    servicestage::AUTH.signing.unwrap()
}

/// What the oracle's `sign` mode takes for a case.
pub fn sign_job(case: &Case) -> Value {
    let mut headers = case.headers.clone();
    headers.push(("X-Sdk-Date".into(), case.date.clone()));
    if let Some(t) = &case.token {
        headers.push(("X-Security-Token".into(), t.clone()));
    }
    json!({
        "method": case.request.method().as_str(),
        "host": signer::host_of(case.request.uri()).unwrap(),
        "path": case.request.uri().path(),
        "query": case.query,
        "headers": headers,
        "body_b64": b64(case.request.body()),
        "ak": case.ak,
        "sk": case.sk,
    })
}

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// A request as a server receives it.
pub struct Wire {
    pub method: String,
    pub path_and_query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Wire {
    pub fn of(request: &http::Request<Vec<u8>>) -> Wire {
        Wire {
            method: request.method().to_string(),
            path_and_query: request.uri().path_and_query().unwrap().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: request.body().clone(),
        }
    }
    pub fn received(&self) -> ReceivedRequest<'_> {
        let (path, query) = match self.path_and_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (self.path_and_query.as_str(), None),
        };
        ReceivedRequest {
            method: &self.method,
            path,
            query,
            headers: &self.headers,
            body: &self.body,
        }
    }
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }
    pub fn canonical(&self) -> String {
        let auth = Authorization::parse(self.header("authorization")).unwrap();
        signer::canonical_request_of(&self.received(), &auth.signed_headers).unwrap()
    }
    pub fn canonical_job(&self, sk: &str) -> Value {
        let r = self.received();
        json!({
            "method": self.method,
            "path": r.path,
            "query": r.query,
            "headers": self.headers,
            "body_b64": b64(&self.body),
            "sk": sk,
        })
    }
}

/// Python's wire request from the oracle's answer: its URI and headers, plus what `requests`
/// adds after signing.
pub fn python_wire(method: &str, answer: &Value, body: &[u8]) -> Wire {
    let mut headers: Vec<(String, String)> = answer["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h[0].as_str().unwrap().into(), h[1].as_str().unwrap().into()))
        .collect();
    headers.push(("Accept-Encoding".into(), "gzip, deflate".into()));
    headers.push(("Connection".into(), "keep-alive".into()));
    headers.push(("Content-Length".into(), body.len().to_string()));
    Wire {
        method: method.to_owned(),
        path_and_query: answer["uri"].as_str().unwrap().to_owned(),
        headers,
        body: body.to_vec(),
    }
}
