//! HTTP/1.1 on loopback for tests: reading a message's head and body, and a server that
//! answers each request as the test scripts it.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread::JoinHandle;

/// A message as read: its first line, its headers in order, its body (by `Content-Length`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The request or status line, without its line end.
    pub line: String,
    /// Header names and values, in order, values trimmed at the start.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Message {
    /// A header's value by name, in any case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a head: the first line and the headers up to the empty line.
pub fn read_head(reader: &mut impl BufRead) -> std::io::Result<(String, Vec<(String, String)>)> {
    let mut first = String::new();
    reader.read_line(&mut first)?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            break;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((n, v)) = line.split_once(':') {
            headers.push((n.to_owned(), v.trim_start().to_owned()));
        }
    }
    Ok((first.trim_end().to_owned(), headers))
}

/// Reads a whole message: its head, then as many body bytes as `Content-Length` says.
pub fn read_message(reader: &mut impl BufRead) -> std::io::Result<Message> {
    let (line, headers) = read_head(reader)?;
    let length = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(Message {
        line,
        headers,
        body,
    })
}

/// A response's bytes: status line, the headers given, `Content-Length`, `Connection: close`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} X\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    [head.into_bytes(), body.to_vec()].concat()
}

/// A loopback server for `requests` connections, one request each: `answer` turns each request
/// into the bytes sent back. Returns `http://127.0.0.1:PORT` and a handle that yields the
/// requests received. A connection that sends nothing readable is answered with nothing.
pub fn serve(
    requests: usize,
    mut answer: impl FnMut(&Message) -> Vec<u8> + Send + 'static,
) -> std::io::Result<(String, JoinHandle<Vec<Message>>)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = format!("http://{}", listener.local_addr()?);
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(20)));
            let Ok(clone) = stream.try_clone() else {
                continue;
            };
            let Ok(request) = read_message(&mut BufReader::new(clone)) else {
                continue;
            };
            let _ = stream.write_all(&answer(&request));
            seen.push(request);
        }
        seen
    });
    Ok((addr, handle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scripted_answer_over_loopback() {
        let (addr, handle) = serve(1, |req| {
            let body = format!("{} {}", req.line, req.header("x-a").unwrap_or("-"));
            response(201, &[("Content-Type", "text/plain")], body.as_bytes())
        })
        .unwrap();
        let mut s = std::net::TcpStream::connect(addr.trim_start_matches("http://")).unwrap();
        s.write_all(b"POST /p HTTP/1.1\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nhi")
            .unwrap();
        let answer = read_message(&mut BufReader::new(s)).unwrap();
        assert_eq!(answer.line, "HTTP/1.1 201 X");
        assert_eq!(answer.body, b"POST /p HTTP/1.1 1");
        let seen = handle.join().unwrap();
        assert_eq!(seen[0].body, b"hi");
        assert_eq!(seen[0].header("content-length"), Some("2"));
    }
}
