//! Property test: a random secret, planted in random places of random recordings and of random
//! server answers, reaches no output — no report format (stdout or stderr), no answer of the
//! replay server, no recording that `live --record` writes, no error of the generated runtime.
//!
//! Places: credential headers (request and response, any case), cookies, `Set-Cookie`,
//! `X-Subject-Token`, URL userinfo, credential query parameters, JSON keys that name a
//! credential at any depth (objects and arrays), canonical-request echoes inside JSON strings
//! and inside text bodies with every separator (`|`, newline, CRLF, an escaped `\n`), and JSON
//! request bodies. `SECRETS_SEED` / `SECRETS_COUNT` replay or widen a run.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use test_support::{http as loopback, Rng};

/// What this test draws besides the shared generator's basics.
trait Planting {
    fn cased(&mut self, name: &str) -> String;
    fn pick_cased(&mut self, list: &[&str]) -> String;
    fn secret(&mut self) -> String;
}

impl Planting for Rng {
    /// A name in a random mix of cases.
    fn cased(&mut self, name: &str) -> String {
        name.chars()
            .map(|c| {
                if self.chance(50) {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    }
    fn pick_cased(&mut self, list: &[&str]) -> String {
        let name = *self.pick(list);
        self.cased(name)
    }
    fn secret(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789+/";
        let len = 16 + self.below(24);
        let body: String = (0..len)
            .map(|_| char::from(ALPHABET[self.below(ALPHABET.len())]))
            .collect();
        format!("Qx{body}")
    }
}

const HOST: &str = "https://servicestage.cn-north-4.myhuaweicloud.com";
const REQUEST_HEADERS: &[&str] = &[
    "X-Auth-Token",
    "Authorization",
    "X-Security-Token",
    "Cookie",
    "Proxy-Authorization",
];
const RESPONSE_HEADERS: &[&str] = &["Set-Cookie", "X-Subject-Token", "X-Auth-Token"];
const KEYS: &[&str] = &[
    "x-security-token",
    "X-Auth-Token",
    "password",
    "client_secret",
    "access_key",
    "accessKey",
    "secret_access_key",
    "Authorization",
    "api_key",
    "id_token",
    "signature",
];
const ECHO_NAMES: &[&str] = &["x-security-token", "X-Auth-Token", "authorization"];
const QUERY_KEYS: &[&str] = &[
    "token",
    "X-Auth-Token",
    "access_key",
    "Signature",
    "password",
];

/// The canonical request the gateway quotes back, joined by `sep`, with the secret in it.
fn echo(rng: &mut Rng, secret: &str, sep: &str) -> String {
    let name = rng.pick_cased(ECHO_NAMES);
    format!(
        "Verify authroization failed. The canonical request is: GET{sep}/v3/p/cas/jobs/j/{sep}{sep}host:h{sep}x-sdk-date:20261130T010203Z{sep}{name}:{secret}{sep}host;x-sdk-date{sep}e3b0c442"
    )
}

/// A JSON value holding the secret under a credential key, at a random depth.
fn nested_secret(rng: &mut Rng, secret: &str) -> Value {
    let mut v = json!({ *rng.pick(KEYS): secret });
    if rng.chance(30) {
        v = json!({ *rng.pick(KEYS): [secret, "second"] });
    }
    for _ in 0..rng.below(4) {
        v = match rng.below(3) {
            0 => json!({ *rng.pick(&["headers", "meta", "detail", "request"]): v }),
            1 => json!([v]),
            _ => json!({"items": [{"n": 1}, v]}),
        };
    }
    v
}

/// A response body with the secret somewhere, and its content type.
fn body(rng: &mut Rng, secret: &str, status: u16) -> (String, &'static str) {
    let base = if status == 200 {
        json!({"job": {"execution_status": "RUNNING", "job_id": "j", "job_type": "PROVISION"},
               "task_count": 1, "tasks": []})
    } else {
        json!({"error_code": "SVCSTG.00100400", "error_msg": "bad request"})
    };
    match rng.below(9) {
        5 => {
            // Credentials in structures: objects under credential keys, name/value pairs,
            // header pairs, JSON inside a string.
            let mut b = base;
            let form = match rng.below(4) {
                0 => json!({ *rng.pick(KEYS): {"value": secret, "n": [secret]} }),
                1 => json!([{"name": rng.pick_cased(REQUEST_HEADERS), "value": secret}]),
                2 => json!([[rng.pick_cased(REQUEST_HEADERS), format!("Bearer {secret}")]]),
                _ => Value::String(json!({ *rng.pick(KEYS): secret }).to_string()),
            };
            b[rng.pick(&["extra", "headers", "detail"])] = form;
            (b.to_string(), "application/json")
        }
        6 => {
            // Text forms: quoted values, spaces before the colon, auth schemes.
            let name = rng.pick_cased(&[
                "X-Auth-Token",
                "password",
                "client_secret",
                "api_key",
                "refresh_token",
            ]);
            let form = match rng.below(4) {
                0 => format!("{name}: \"{secret}\""),
                1 => format!("{name} = '{secret}'"),
                2 => format!("{name} : {secret}"),
                _ => format!(
                    "Authorization: {} {secret}",
                    rng.pick(&["Bearer", "Basic", "Digest"])
                ),
            };
            (
                format!("<html><body>error: {form}</body></html>"),
                "text/html",
            )
        }
        7 => {
            // A URL with the secret in its fragment or userinfo, inside JSON.
            let url = if rng.chance(50) {
                format!("https://h/cb#access_token={secret}&x=1")
            } else {
                format!("https://u:{secret}@h/p")
            };
            let mut b = base;
            b["next"] = Value::String(url);
            (b.to_string(), "application/json")
        }
        8 => {
            // JSON with a byte-order mark, or JSON lines.
            let one = json!({ *rng.pick(KEYS): secret }).to_string();
            if rng.chance(50) {
                (format!("\u{feff}{one}"), "application/json")
            } else {
                (format!("{{\"a\":1}}\n{one}\n"), "application/x-ndjson")
            }
        }
        0 | 1 => {
            let mut b = base;
            let key = rng.pick(&["extra", "meta", "x-security-token", "headers"]);
            b[key] = nested_secret(rng, secret);
            if rng.chance(30) {
                b = json!([b]);
            }
            let text = if rng.chance(50) {
                serde_json::to_string_pretty(&b).unwrap()
            } else {
                b.to_string()
            };
            (text, "application/json")
        }
        2 => {
            let sep = rng.pick(&["|", "\n", "\r\n"]);
            let mut b = base;
            let key = rng.pick(&["error_msg", "message", "detail"]);
            b[key] = Value::String(echo(rng, secret, sep));
            (b.to_string(), "application/json")
        }
        3 => {
            let sep = rng.pick(&["|", "\n", "\r\n", "\\n"]);
            (echo(rng, secret, sep), "text/plain")
        }
        _ => {
            // A body cut short: not JSON any more, still cleaned as text.
            let sep = rng.pick(&["|", "\\n"]);
            let whole = json!({"error_msg": echo(rng, secret, sep), "tail": "x".repeat(40)});
            let text = whole.to_string();
            let keep = text.find(secret).unwrap() + secret.len() + 3;
            (text[..keep.min(text.len())].to_owned(), "application/json")
        }
    }
}

/// One random exchange: (the HAR entry, the raw response parts an echo server answers with).
struct Planted {
    entry: Value,
    /// The echo server answers with the request's own headers instead.
    echo: bool,
    status: u16,
    response_headers: Vec<(String, String)>,
    body: String,
}

fn exchange(rng: &mut Rng, secret: &str, job: &str) -> Planted {
    let mut url = format!("{HOST}/v3/p/cas/jobs/{job}");
    if rng.chance(30) {
        url = url.replacen("https://", &format!("https://user:{secret}@"), 1);
    }
    if rng.chance(40) {
        let key = rng.pick_cased(QUERY_KEYS);
        url.push_str(&format!("?limit=1&{key}={secret}"));
    }
    let mut request_headers = vec![json!({"name": "Content-Type", "value": "application/json"})];
    for _ in 0..rng.below(3) {
        let name = rng.pick_cased(REQUEST_HEADERS);
        let value = match name.to_ascii_lowercase().as_str() {
            "authorization" if rng.chance(50) => format!("Bearer {secret}"),
            "authorization" => format!(
                "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature={secret}"
            ),
            "cookie" => format!("sid={secret}; lang=en"),
            _ => secret.to_owned(),
        };
        request_headers.push(json!({"name": name, "value": value}));
    }
    let status = *[200u16, 400, 404, 500].get(rng.below(4)).unwrap();
    let (text, mime) = body(rng, secret, status);
    let mut response_headers = vec![("Content-Type".to_owned(), mime.to_owned())];
    for _ in 0..rng.below(3) {
        let name = rng.pick_cased(RESPONSE_HEADERS);
        let value = if name.eq_ignore_ascii_case("set-cookie") {
            format!("session={secret}; Path=/; HttpOnly")
        } else {
            secret.to_owned()
        };
        response_headers.push((name, value));
    }
    if rng.chance(20) {
        response_headers.push((
            "Location".into(),
            format!("https://user:{secret}@h/next?token={secret}"),
        ));
    }
    let mut request = json!({"method": "GET", "url": url, "headers": request_headers});
    if rng.chance(20) {
        request["postData"] = json!({"mimeType": "application/json",
            "text": json!({"auth": {"password": secret, "user": "u"}}).to_string()});
    }
    let entry = json!({
        "request": request,
        "response": {
            "status": status,
            "headers": response_headers.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
            "content": {"mimeType": mime, "text": text}
        }
    });
    Planted {
        echo: rng.chance(25),
        entry,
        status,
        response_headers,
        body: text,
    }
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_conformance"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn dir(case: usize) -> PathBuf {
    let d = std::env::temp_dir().join(format!("conformance-secrets-{}/{case}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn assert_clean(what: &str, bytes: &[u8], secret: &str, seed: u64) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.contains(secret),
        "seed {seed}: the secret {secret:?} reached {what}:\n{text}"
    );
}

/// Sends one GET to the replay server and returns the whole answer, head and body.
fn fetch(addr: &str, path: &str) -> Vec<u8> {
    let host = addr.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

/// A server that answers one request with `planted`, secrets and all (as a real one would).
fn echo_server(planted: &Planted) -> (String, std::thread::JoinHandle<Vec<loopback::Message>>) {
    let headers: Vec<(String, String)> = planted.response_headers.clone();
    let (status, echo, body) = (planted.status, planted.echo, planted.body.clone());
    loopback::serve(1, move |request| {
        if echo {
            // The request's own headers, as pairs and as text: `live` sent the token.
            let pairs: Vec<Value> = request
                .headers
                .iter()
                .map(|(n, v)| json!({"name": n, "value": v, "raw": format!("{n}={v}")}))
                .collect();
            let lines: Vec<String> = std::iter::once(request.line.clone())
                .chain(request.headers.iter().map(|(n, v)| format!("{n}: {v}")))
                .collect();
            let body = json!({"seen": pairs, "text": lines.join("|")}).to_string();
            return loopback::response(
                status,
                &[("Content-Type", "application/json")],
                body.as_bytes(),
            );
        }
        let pairs: Vec<(&str, &str)> = headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        loopback::response(status, &pairs, body.as_bytes())
    })
    .unwrap()
}

#[test]
fn a_planted_secret_reaches_no_output_no_answer_and_no_recording() {
    let seed: u64 = std::env::var("SECRETS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x005e_c2e7_2026);
    let count: usize = std::env::var("SECRETS_COUNT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24);
    let mut rng = Rng::new(seed | 1);
    for case in 0..count {
        let secret = rng.secret();
        let d = dir(case);
        let entries: Vec<Planted> = (0..1 + rng.below(3))
            .map(|i| exchange(&mut rng, &secret, &format!("job{i}")))
            .collect();
        let har = json!({"log": {"version": "1.2", "entries":
            entries.iter().map(|p| p.entry.clone()).collect::<Vec<_>>()}});
        let file = d.join("planted.har");
        std::fs::write(&file, har.to_string()).unwrap();

        // Every report format, stdout and stderr.
        for format in ["human", "json", "junit"] {
            let out = bin()
                .args(["check", "--format", format, file.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 1 | 3)),
                "seed {seed} case {case}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert_clean(
                &format!("check --format {format}"),
                &[out.stdout, out.stderr].concat(),
                &secret,
                seed,
            );
        }

        // Replayed answers, head and body.
        let mut server = bin()
            .args(["serve", d.to_str().unwrap(), "--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(server.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line.split_whitespace().nth(2).unwrap().to_owned();
        for (i, p) in entries.iter().enumerate() {
            if p.entry["request"]["method"] != "GET" {
                continue;
            }
            let answer = fetch(&addr, &format!("/v3/p/cas/jobs/job{i}"));
            assert!(answer.starts_with(b"HTTP/1.1 "), "{answer:?}");
            assert_clean("a replayed answer", &answer, &secret, seed);
        }
        server.kill().unwrap();
        let _ = server.wait();

        // A live call to a server that sends the secrets back, recorded.
        let planted = &entries[0];
        let (addr, handle) = echo_server(planted);
        let record = d.join("recorded.har");
        let out = bin()
            .args([
                "live",
                "--operation",
                "servicestage/get_job_details",
                "--project-id",
                "p",
                "--job-id",
                "job0",
                "--endpoint",
                &addr,
                "--record",
                record.to_str().unwrap(),
            ])
            .env("HWC_AUTH_TOKEN", &secret)
            .output()
            .unwrap();
        handle.join().unwrap();
        let recorded = std::fs::read(&record).unwrap_or_default();
        assert!(
            !recorded.is_empty(),
            "seed {seed} case {case}: nothing recorded: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean("a recording", &recorded, &secret, seed);
        assert_clean(
            "live's output",
            &[out.stdout, out.stderr].concat(),
            &secret,
            seed,
        );

        // The generated runtime's errors.
        let mut headers = http::HeaderMap::new();
        for (n, v) in &planted.response_headers {
            if let (Ok(n), Ok(v)) = (
                http::HeaderName::from_bytes(n.as_bytes()),
                http::HeaderValue::from_str(v),
            ) {
                headers.append(n, v);
            }
        }
        for status in [planted.status, 200, 400] {
            let parsed = hwc_jobs::servicestage::GetJobDetailsRequest::parse_response(
                status,
                &headers,
                planted.body.as_bytes(),
            );
            if let Err(e) = parsed {
                assert_clean(
                    "a runtime error",
                    format!("{e} {e:?}").as_bytes(),
                    &secret,
                    seed,
                );
            }
        }
    }
}
