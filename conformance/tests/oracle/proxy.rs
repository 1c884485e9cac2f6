//! A recording proxy on loopback, and the HAR of what it saw.

use super::har::{har, har_entry};
use super::*;

/// One request/response pair as the recording proxy saw it.
pub struct Captured {
    pub request: Wire,
    pub status: u16,
    pub response_headers: Vec<(String, String)>,
    pub response_body: Vec<u8>,
}

/// A recording proxy on loopback: each connection's one request is captured as received,
/// forwarded to `upstream` and answered with what came back.
pub fn recording_proxy(
    upstream: String,
    requests: usize,
) -> (u16, std::thread::JoinHandle<Vec<Captured>>) {
    use std::io::BufReader;
    use test_support::http::read_message;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut captured = Vec::new();
        for stream in listener.incoming().take(requests) {
            let mut client = stream.unwrap();
            client
                .set_read_timeout(Some(std::time::Duration::from_secs(20)))
                .unwrap();
            let mut reader = BufReader::new(client.try_clone().unwrap());
            let test_support::http::Message {
                line,
                headers,
                body,
            } = read_message(&mut reader).unwrap();
            let mut parts = line.split(' ');
            let (method, target) = (parts.next().unwrap(), parts.next().unwrap());
            let mut up = std::net::TcpStream::connect(&upstream).unwrap();
            let mut head = format!("{method} {target} HTTP/1.1\r\n");
            for (n, v) in headers
                .iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("connection"))
            {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            head.push_str("Connection: close\r\n\r\n");
            up.write_all(head.as_bytes()).unwrap();
            up.write_all(&body).unwrap();
            let mut up_reader = BufReader::new(up);
            let test_support::http::Message {
                line: status_line,
                headers: response_headers,
                body: response_body,
            } = read_message(&mut up_reader).unwrap();
            let mut answer = format!("{status_line}\r\n");
            for (n, v) in response_headers
                .iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("connection"))
            {
                answer.push_str(&format!("{n}: {v}\r\n"));
            }
            answer.push_str("Connection: close\r\n\r\n");
            client.write_all(answer.as_bytes()).unwrap();
            client.write_all(&response_body).unwrap();
            captured.push(Captured {
                request: Wire {
                    method: method.to_owned(),
                    path_and_query: target.to_owned(),
                    headers,
                    body,
                },
                status: status_line.split(' ').nth(1).unwrap().parse().unwrap(),
                response_headers,
                response_body,
            });
        }
        captured
    });
    (port, handle)
}

pub fn har_of(captured: &[Captured], origin: &str, started: &str) -> Value {
    let entries = captured
        .iter()
        .map(|c| {
            let text = String::from_utf8(c.response_body.clone()).unwrap();
            let response = json!({
                "status": c.status,
                "statusText": "",
                "httpVersion": "HTTP/1.1",
                "headers": c.response_headers.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>(),
                "cookies": [],
                "content": {"size": text.len(), "mimeType": "application/json", "text": text},
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": c.response_body.len(),
            });
            har_entry(origin, &c.request, started, &response)
        })
        .collect();
    har(entries)
}
