//! The replay server speaks HTTP over real sockets: methods, targets, malformed requests, and
//! its bounds (sizes, timeouts, connection limit).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const JOB: &str = "/v3/0a1b2c3d4e5f/cas/jobs/JOB17cb1778-07b1-4c8f-a183-c86cffbe8f9e";

struct Server {
    child: Child,
    host: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(dir: &str, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["serve", dir, "--port", "0"])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let host = line
        .split_whitespace()
        .nth(2)
        .expect("listening on ADDR")
        .trim_start_matches("http://")
        .to_owned();
    Server { child, host }
}

/// A folder with the ServiceStage doc example only.
fn example_dir() -> String {
    let dir = std::env::temp_dir().join(format!("conformance-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/recordings/servicestage_doc_example.har"
        ),
        dir.join("doc.har"),
    )
    .unwrap();
    dir.to_str().unwrap().to_owned()
}

/// Sends raw bytes, returns (status, head, body).
fn raw(host: &str, request: &[u8]) -> (u16, String, Vec<u8>) {
    let mut s = TcpStream::connect(host).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(request).unwrap();
    read_answer(&mut s)
}

fn read_answer(s: &mut TcpStream) -> (u16, String, Vec<u8>) {
    let mut all = Vec::new();
    let _ = s.read_to_end(&mut all);
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(&all)));
    let head = String::from_utf8_lossy(&all[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, all[split + 4..].to_vec())
}

fn get(host: &str, method: &str, target: &str) -> (u16, String, Vec<u8>) {
    raw(
        host,
        format!("{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn methods_targets_and_paths() {
    let s = serve(&example_dir(), &[]);
    let (status, head, body) = get(&s.host, "GET", JOB);
    assert_eq!(status, 200, "{head}");
    assert!(!body.is_empty());
    let length = header(&head, "content-length").unwrap().to_owned();

    // HEAD: the GET answer's head, no body.
    let (status, head, nobody) = get(&s.host, "HEAD", JOB);
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "content-length"), Some(length.as_str()));
    assert!(nobody.is_empty(), "{nobody:?}");

    // A recorded path, an unrecorded method: 405 with Allow; OPTIONS lists the same.
    let (status, head, body) = get(&s.host, "DELETE", JOB);
    assert_eq!(status, 405, "{head}");
    assert_eq!(header(&head, "allow"), Some("GET, HEAD, OPTIONS"));
    assert!(String::from_utf8_lossy(&body).contains("REPLAY.405"));
    let (status, head, _) = get(&s.host, "OPTIONS", JOB);
    assert_eq!(status, 204, "{head}");
    assert_eq!(header(&head, "allow"), Some("GET, HEAD, OPTIONS"));
    // An unknown path: Huawei-style 404.
    assert_eq!(get(&s.host, "GET", "/v3/nope").0, 404);

    // Absolute-form, as sent to a proxy; query ignored.
    let absolute = format!("http://servicestage.cn-north-4.myhuaweicloud.com{JOB}?limit=5");
    assert_eq!(get(&s.host, "GET", &absolute).0, 200);
    // Percent-encoded unreserved characters are the characters (`%2D` = `-`, `%4A` = `J`).
    let encoded = JOB.replace('-', "%2D").replacen("JOB", "%4AOB", 1);
    assert_eq!(get(&s.host, "GET", &encoded).0, 200, "{encoded}");
    // A reserved character stays encoded: `%2F` is not `/`.
    assert_eq!(
        get(&s.host, "GET", &JOB.replacen("/cas/", "%2Fcas/", 1)).0,
        404
    );

    // A body is read and discarded (Content-Length and chunked).
    let with_body = format!("GET {JOB} HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello");
    assert_eq!(raw(&s.host, with_body.as_bytes()).0, 200);
    let chunked = format!(
        "GET {JOB} HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
    );
    assert_eq!(raw(&s.host, chunked.as_bytes()).0, 200);
}

#[test]
fn malformed_requests_get_an_answer() {
    let s = serve(&example_dir(), &[]);
    for (request, want) in [
        (b"GARBAGE\r\n\r\n".to_vec(), 400),
        (b"GET /\xff\xfe HTTP/1.1\r\n\r\n".to_vec(), 400),
        (b"GET  / HTTP/1.1\r\n\r\n".to_vec(), 400),
        (b"G(T / HTTP/1.1\r\n\r\n".to_vec(), 400),
        (b"GET * HTTP/1.1\r\n\r\n".to_vec(), 400),
        (b"GET / HTTP/2.0\r\n\r\n".to_vec(), 505),
        (b"GET / FTP\r\n\r\n".to_vec(), 400),
        (
            format!("GET {JOB} HTTP/1.1\r\nno colon here\r\n\r\n").into_bytes(),
            400,
        ),
        (
            format!("GET {JOB} HTTP/1.1\r\nContent-Length: x\r\n\r\n").into_bytes(),
            400,
        ),
        (
            format!("GET {JOB} HTTP/1.1\r\nContent-Length: 999999999\r\n\r\n").into_bytes(),
            413,
        ),
        (
            format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000)).into_bytes(),
            414,
        ),
        (
            format!(
                "GET {JOB} HTTP/1.1\r\nX-Big: {}\r\n\r\n",
                "b".repeat(70_000)
            )
            .into_bytes(),
            431,
        ),
        (
            format!("GET {JOB} HTTP/1.1\r\n{}\r\n", "X-A: 1\r\n".repeat(150)).into_bytes(),
            431,
        ),
    ] {
        let (status, head, body) = raw(&s.host, &request);
        assert_eq!(
            status,
            want,
            "{:?} → {head}",
            String::from_utf8_lossy(&request[..request.len().min(60)])
        );
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["error_code"], format!("REPLAY.{want}"));
    }
    // Still answering.
    assert_eq!(get(&s.host, "GET", JOB).0, 200);
}

#[test]
fn idle_and_slow_clients_time_out() {
    let s = serve(&example_dir(), &["--timeout-secs", "1"]);
    let t = Instant::now();
    let mut idle = TcpStream::connect(&s.host).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let (status, _, _) = read_answer(&mut idle);
    assert_eq!(status, 408);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());

    // A byte every 300 ms: the whole head must arrive within the timeout.
    let mut slow = TcpStream::connect(&s.host).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let t = Instant::now();
    for b in format!("GET {JOB} HTTP/1.1\r\n").bytes() {
        if slow.write_all(&[b]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(300));
        if t.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    let (status, _, _) = read_answer(&mut slow);
    assert_eq!(status, 408);
    assert_eq!(get(&s.host, "GET", JOB).0, 200);
}

#[test]
fn more_clients_than_the_limit_and_the_server_keeps_answering() {
    let s = serve(
        &example_dir(),
        &["--max-connections", "4", "--timeout-secs", "3"],
    );
    // Ten clients connect and say nothing: four hold the slots, the rest are turned away at
    // once with 503 instead of waiting.
    let mut idle: Vec<TcpStream> = (0..10)
        .map(|_| {
            let c = TcpStream::connect(&s.host).unwrap();
            c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            c
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    let (status, head, _) = get(&s.host, "GET", JOB);
    assert_eq!(status, 503, "{head}");
    assert_eq!(header(&head, "retry-after"), Some("1"));
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    let statuses: Vec<u16> = idle.iter_mut().map(|c| read_answer(c).0).collect();
    assert_eq!(
        statuses.iter().filter(|&&s| s == 503).count(),
        6,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|&&s| s == 408).count(),
        4,
        "{statuses:?}"
    );
    // The idle ones timed out and, once they close, free their slots: normal service again.
    drop(idle);
    std::thread::sleep(Duration::from_millis(300));
    let answers: Vec<u16> = (0..4)
        .map(|_| {
            let host = s.host.clone();
            std::thread::spawn(move || get(&host, "GET", JOB).0)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_eq!(answers, [200; 4]);
}

#[test]
fn head_does_not_move_a_script_on() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/examples/replay");
    let s = serve(dir, &[]);
    let path = "/v3/0a1b2c3d4e5f/cas/jobs/JOB-demo";
    let status_of = |body: &[u8]| {
        let v: serde_json::Value = serde_json::from_slice(body).unwrap();
        v["job"]["execution_status"].as_str().unwrap().to_owned()
    };
    for _ in 0..5 {
        let (status, _, body) = get(&s.host, "HEAD", path);
        assert_eq!((status, body.len()), (200, 0));
    }
    let seen: Vec<String> = (0..4)
        .map(|_| status_of(&get(&s.host, "GET", path).2))
        .collect();
    assert_eq!(seen, ["RUNNING", "RUNNING", "SUCCEEDED", "SUCCEEDED"]);
}

/// A folder with one recording whose answer is `body`, with `headers`.
fn dir_with(name: &str, body: &str, headers: &[(&str, &str)]) -> String {
    let dir = std::env::temp_dir().join(format!("conformance-serve-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let har = serde_json::json!({"log": {"entries": [{
        "request": {"method": "GET", "url": format!("http://h{JOB}"), "headers": []},
        "response": {"status": 200,
            "headers": headers.iter().map(|(n, v)| serde_json::json!({"name": n, "value": v})).collect::<Vec<_>>(),
            "content": {"mimeType": "application/json", "text": body}}
    }]}});
    std::fs::write(dir.join("r.har"), har.to_string()).unwrap();
    dir.to_str().unwrap().to_owned()
}

#[test]
fn a_slow_reader_cannot_hold_a_connection() {
    let big = format!("{{\"pad\": \"{}\"}}", "x".repeat(3 * 1024 * 1024));
    let s = serve(
        &dir_with("big", &big, &[]),
        &["--max-connections", "1", "--timeout-secs", "1"],
    );
    let host = s.host.clone();
    let slow = std::thread::spawn(move || {
        let mut c = TcpStream::connect(&host).unwrap();
        c.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(c, "GET {JOB} HTTP/1.1\r\nHost: h\r\n\r\n").unwrap();
        let mut got = 0usize;
        let mut buf = [0u8; 1024];
        let t = Instant::now();
        while t.elapsed() < Duration::from_secs(8) {
            match c.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        got
    });
    // The answer must be taken within 1 s + 3 s (a second per MiB): then the slot is free.
    std::thread::sleep(Duration::from_millis(5500));
    let (status, _, _) = get(&s.host, "GET", JOB);
    assert_eq!(status, 200);
    let got = slow.join().unwrap();
    assert!(
        got < 3 * 1024 * 1024,
        "the slow reader was cut off ({got} bytes)"
    );
}

#[test]
fn http_details() {
    let s = serve(
        &dir_with(
            "headers",
            "{}",
            &[
                ("X-Evil", "a\u{0}b"),
                ("X-Esc", "\u{1b}[2J"),
                ("X-Fine", "ok\tok"),
            ],
        ),
        &[],
    );
    let (status, head, _) = get(&s.host, "GET", JOB);
    assert_eq!(status, 200);
    assert!(
        !head.contains("X-Evil") && !head.contains("X-Esc"),
        "{head}"
    );
    assert!(head.contains("X-Fine: ok\tok"), "{head}");
    let (status, head, _) = get(&s.host, "OPTIONS", "*");
    assert_eq!(
        (status, header(&head, "allow")),
        (204, Some("GET, HEAD, OPTIONS"))
    );
    for cl in [
        "Content-Length: 3\r\nContent-Length: 4",
        "Content-Length: +3",
        "Content-Length: 3, 4",
    ] {
        let req = format!("GET {JOB} HTTP/1.1\r\n{cl}\r\n\r\nabcd");
        assert_eq!(raw(&s.host, req.as_bytes()).0, 400, "{cl}");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["serve", ".", "--timeout-secs", "18446744073709551615"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
