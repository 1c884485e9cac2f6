//! HAR recordings of wire requests, `conformance check --verify-signatures` on them, and the
//! ways of altering a signed request.

use super::*;

/// The test key pair of the recordings signed by the official SDK. Test values only: they sign
/// nothing but these tests' requests.
pub const TEST_AK: &str = "HWCTESTAK0EXAMPLE000";
pub const TEST_SK: &str = "test-only-sk/NOT+A=SECRET";

/// The reviewed recording of the official SDK's clients, signed with the test keys.
pub const SDK_RECORDING: &str = "recordings/python_sdk_aksk_signed.har";

pub fn recording_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("recordings")
}

/// The first entry's response of a bundled recording (a documented 200 body).
pub fn doc_response(file: &str) -> Value {
    let text = std::fs::read_to_string(recording_dir().join(file)).unwrap();
    let har: Value = serde_json::from_str(&text).unwrap();
    har["log"]["entries"][0]["response"].clone()
}

pub fn rfc3339(sdk_date: &str) -> String {
    signer::parse_sdk_date(sdk_date).unwrap().to_string()
}

pub fn har_entry(origin: &str, wire: &Wire, started: &str, response: &Value) -> Value {
    let headers: Vec<Value> = wire
        .headers
        .iter()
        .map(|(n, v)| json!({"name": n, "value": v}))
        .collect();
    let mut request = json!({
        "method": wire.method,
        "url": format!("{origin}{}", wire.path_and_query),
        "httpVersion": "HTTP/1.1",
        "headers": headers,
        "queryString": [],
        "cookies": [],
        "headersSize": -1,
        "bodySize": wire.body.len(),
    });
    if !wire.body.is_empty() {
        request["postData"] = json!({
            "mimeType": wire.header("content-type"),
            "text": String::from_utf8(wire.body.clone()).expect("a text body"),
        });
    }
    json!({
        "startedDateTime": started,
        "time": 1,
        "request": request,
        "response": response,
        "cache": {},
        "timings": {"send": 0, "wait": 1, "receive": 0},
    })
}

pub fn har(entries: Vec<Value>) -> Value {
    json!({"log": {"version": "1.2", "creator": {"name": "sdk_oracle.rs", "version": "1"}, "entries": entries}})
}

/// `conformance check --verify-signatures --format json FILE` with the test keys.
pub fn check_verifying(file: &Path, keys: Option<(&str, &str)>) -> (i32, Value, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_conformance"));
    cmd.args(["check", "--verify-signatures", "--format", "json"])
        .arg(file)
        .env_remove("HUAWEICLOUD_SDK_AK")
        .env_remove("HUAWEICLOUD_SDK_SK");
    if let Some((ak, sk)) = keys {
        cmd.env("HUAWEICLOUD_SDK_AK", ak)
            .env("HUAWEICLOUD_SDK_SK", sk);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), report, stderr)
}

/// The `request-signature` findings of each checked entry, by entry index.
pub fn signature_findings(report: &Value) -> std::collections::BTreeMap<usize, Vec<Value>> {
    let mut out = std::collections::BTreeMap::new();
    for e in report["exchanges"].as_array().expect("a JSON report") {
        let index: usize = e["source"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let found: Vec<Value> = e["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["check"] == "request-signature")
            .cloned()
            .collect();
        out.insert(index, found);
    }
    out
}

pub fn edit_header(wire: &mut Wire, name: &str, edit: impl Fn(&str) -> String) {
    let slot = wire
        .headers
        .iter_mut()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .expect("the header is there");
    slot.1 = edit(&slot.1);
}

pub fn copy(wire: &Wire) -> Wire {
    Wire {
        method: wire.method.clone(),
        path_and_query: wire.path_and_query.clone(),
        headers: wire.headers.clone(),
        body: wire.body.clone(),
    }
}

/// Each way of altering a signed request after signing.
pub fn alterations(wire: &Wire) -> Vec<(&'static str, Wire)> {
    let mut signature = copy(wire);
    edit_header(&mut signature, "authorization", |v| {
        let last = if v.ends_with('0') { "1" } else { "0" };
        format!("{}{last}", &v[..v.len() - 1])
    });
    let mut header = copy(wire);
    edit_header(&mut header, "host", |v| format!("{v}x"));
    let mut path = copy(wire);
    path.path_and_query = match wire.path_and_query.split_once('?') {
        Some((p, q)) => format!("{p}x?{q}"),
        None => format!("{}x", wire.path_and_query),
    };
    let mut query = copy(wire);
    query.path_and_query = match wire.path_and_query.split_once('?') {
        Some((p, q)) => format!("{p}?{q}x"),
        None => format!("{}?x=1", wire.path_and_query),
    };
    let mut date = copy(wire);
    edit_header(&mut date, "x-sdk-date", |v| {
        let t = signer::parse_sdk_date(v).unwrap();
        signer::sdk_date(Timestamp::new(t.as_second() + 1, 0).unwrap())
    });
    vec![
        ("signature", signature),
        ("signed header", header),
        ("path", path),
        ("query", query),
        ("date", date),
    ]
}
