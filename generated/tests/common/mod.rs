//! A scripted loopback HTTP server for the client tests.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::Duration;

pub const OK: &str = r#"{"job":{"execution_status":"SUCCEEDED"},"tasks":[],"task_count":0}"#;
pub const NOT_FOUND: &str = r#"{"error_code":"SVCSTG.00100429","error_msg":"job not found"}"#;
pub const NOW: Duration = Duration::ZERO;

/// (status, body, delay before answering)
pub type Scripted = (u16, &'static str, Duration);

/// Serves the scripted answers in order, one per connection; returns the address and a handle
/// giving the request heads it received.
pub fn server(script: Vec<Scripted>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for (status, body, delay) in script {
            let (mut stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            seen.push(head);
            std::thread::sleep(delay);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: req-{status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
        seen
    });
    (addr, handle)
}

/// A request for `url` with these headers and no body.
pub fn request(url: &str, headers: &[(&str, &str)]) -> http::Request<Vec<u8>> {
    let mut r = http::Request::new(Vec::new());
    *r.uri_mut() = url.parse().unwrap();
    for (n, v) in headers {
        r.headers_mut().insert(
            http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    r
}
