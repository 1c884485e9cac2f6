//! Just enough HTTP/1.1 for a replay server, bounded: reading a request head (request line
//! and header sizes capped, a deadline for the whole head so that idle and slow clients time
//! out), discarding a request body, and writing an answer.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Bounds of one connection.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once; more are answered `503` at once and closed.
    pub max_connections: usize,
    /// Time for a request head (and body) to arrive, from the connection's start; also the
    /// write timeout. Idle and slow clients get `408` after it.
    pub timeout: Duration,
    /// Longest request line (`414` beyond).
    pub max_request_line: usize,
    /// Most bytes of header lines, and most header lines (`431` beyond).
    pub max_header_bytes: usize,
    /// Most header lines.
    pub max_headers: usize,
    /// Largest request body (`413` beyond); it is read and discarded.
    pub max_body: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 64,
            timeout: Duration::from_secs(10),
            max_request_line: 8 * 1024,
            max_header_bytes: 64 * 1024,
            max_headers: 100,
            max_body: 8 * 1024 * 1024,
        }
    }
}

/// A request head that was read and understood.
#[derive(Debug)]
pub struct Head {
    /// Method, as sent (methods are case-sensitive).
    pub method: String,
    /// The path: origin-form as sent, absolute-form reduced to its path; no query or fragment.
    pub path: String,
    /// Header lines.
    pub headers: Vec<(String, String)>,
}

/// Why no request could be read: each but `Closed` is answered with its status.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// The client closed the connection before sending a request (nothing to answer).
    Closed,
    /// `400`: malformed or not UTF-8.
    Bad(String),
    /// `408`: the head or body did not arrive in time.
    Timeout,
    /// `413`: the body is larger than the limit.
    TooLarge,
    /// `414`: the request line is longer than the limit.
    UriTooLong,
    /// `431`: the header lines are larger or more than the limit.
    HeadersTooLarge,
    /// `505`: not HTTP/1.x.
    Version(String),
}

impl Refusal {
    /// Status, reason phrase and message of the answer.
    pub fn answer(&self) -> (u16, String) {
        match self {
            Refusal::Closed => (400, "the connection was closed".into()),
            Refusal::Bad(m) => (400, m.clone()),
            Refusal::Timeout => (408, "the request did not arrive in time".into()),
            Refusal::TooLarge => (
                413,
                "the request body is larger than the replay server takes".into(),
            ),
            Refusal::UriTooLong => (
                414,
                "the request line is longer than the replay server takes".into(),
            ),
            Refusal::HeadersTooLarge => (
                431,
                "the request headers are larger than the replay server takes".into(),
            ),
            Refusal::Version(v) => (
                505,
                format!("HTTP version {v:?} is not supported: HTTP/1.0 and HTTP/1.1 are"),
            ),
        }
    }
}

/// Reads one line (up to and including `\n`) of at most `cap` bytes before `deadline`.
/// `Ok(None)`: the connection ended before any byte.
fn read_line(
    reader: &mut BufReader<TcpStream>,
    cap: usize,
    deadline: Instant,
    too_long: Refusal,
) -> Result<Option<Vec<u8>>, Refusal> {
    let mut line = Vec::new();
    loop {
        until(reader, deadline)?;
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::Interrupted) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(Refusal::Timeout)
            }
            Err(_) => return Err(Refusal::Closed),
        };
        if buf.is_empty() {
            return if line.is_empty() {
                Ok(None)
            } else {
                Err(Refusal::Bad("the connection ended inside a line".into()))
            };
        }
        let (take, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if line.len() + take > cap {
            return Err(too_long);
        }
        line.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if done {
            while matches!(line.last(), Some(b'\n' | b'\r')) {
                line.pop();
            }
            return Ok(Some(line));
        }
    }
}

fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Reads a request head; `limits` bound it.
pub fn read_head(
    reader: &mut BufReader<TcpStream>,
    limits: &Limits,
    started: Instant,
) -> Result<Head, Refusal> {
    let deadline = started + limits.timeout;
    // A server ignores empty lines before the request line (RFC 9112 §2.2).
    let mut line;
    let mut blank = 0;
    loop {
        line = match read_line(
            reader,
            limits.max_request_line,
            deadline,
            Refusal::UriTooLong,
        )? {
            Some(l) => l,
            None => return Err(Refusal::Closed),
        };
        if !line.is_empty() {
            break;
        }
        blank += 1;
        if blank > 4 {
            return Err(Refusal::Bad("empty lines instead of a request line".into()));
        }
    }
    let line = String::from_utf8(line)
        .map_err(|_| Refusal::Bad("the request line is not UTF-8".into()))?;
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(Refusal::Bad(
            "the request line is not `METHOD TARGET HTTP/1.1`".into(),
        ));
    };
    if !is_token(method) {
        return Err(Refusal::Bad(format!("{method:?} is not a method")));
    }
    match version {
        "HTTP/1.1" | "HTTP/1.0" => {}
        v if v.starts_with("HTTP/") => return Err(Refusal::Version(v.to_owned())),
        _ => {
            return Err(Refusal::Bad(
                "the request line does not end with an HTTP version".into(),
            ))
        }
    }
    let path = if target == "*" && method == "OPTIONS" {
        "*".to_owned()
    } else {
        request_path(target).ok_or_else(|| {
            Refusal::Bad(format!(
                "{target:?} is not an origin-form or absolute-form target"
            ))
        })?
    };
    let mut headers = Vec::new();
    let mut header_bytes = 0;
    loop {
        let line = read_line(
            reader,
            limits.max_header_bytes,
            deadline,
            Refusal::HeadersTooLarge,
        )?
        .ok_or_else(|| Refusal::Bad("the connection ended inside the headers".into()))?;
        if line.is_empty() {
            break;
        }
        header_bytes += line.len();
        if header_bytes > limits.max_header_bytes || headers.len() >= limits.max_headers {
            return Err(Refusal::HeadersTooLarge);
        }
        let line = String::from_utf8_lossy(&line).into_owned();
        let Some((name, value)) = line.split_once(':').filter(|(n, _)| is_token(n)) else {
            return Err(Refusal::Bad("a header line is not `name: value`".into()));
        };
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    Ok(Head {
        method: method.to_owned(),
        path,
        headers,
    })
}

/// The path of a request target: origin-form (`/p?q`) as is, absolute-form
/// (`http://host/p?q`, what clients send to a proxy) reduced to its path; query and fragment
/// dropped. `None` for anything else (authority-form, asterisk-form, garbage).
pub fn request_path(target: &str) -> Option<String> {
    let path = if target.starts_with('/') {
        target
    } else {
        let (scheme, rest) = target.split_once("://")?;
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return None;
        }
        match rest.find(['/', '?', '#']) {
            Some(i) if rest.as_bytes()[i] == b'/' => &rest[i..],
            _ => "/",
        }
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    Some(if path.is_empty() {
        "/".to_owned()
    } else {
        normalize(path)
    })
}

/// Percent-encoded unreserved characters decoded (`%2D` = `-`), other escapes upper-cased
/// (`%2f` = `%2F`), so that equal paths compare equal (RFC 3986 §6.2.2).
pub fn normalize(path: &str) -> String {
    let b = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                if v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~') {
                    out.push(char::from(v));
                } else {
                    out.push('%');
                    out.push_str(&hex.unwrap_or_default().to_ascii_uppercase());
                }
                i += 3;
                continue;
            }
        }
        // A character a client would send percent-encoded (non-ASCII, space, quotes…) is
        // compared in that form, so that a recording of `/é` answers `/%C3%A9`.
        let b_i = b[i];
        if b_i >= 0x80
            || b_i <= b' '
            || matches!(
                b_i,
                b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
            )
        {
            out.push_str(&format!("%{b_i:02X}"));
        } else {
            out.push(char::from(b_i));
        }
        i += 1;
    }
    out
}

/// Reads and discards a request body (`Content-Length` or chunked), within the limits.
pub fn discard_body(
    reader: &mut BufReader<TcpStream>,
    head: &Head,
    limits: &Limits,
    started: Instant,
) -> Result<(), Refusal> {
    let deadline = started + limits.timeout;
    let header = |name: &str| {
        head.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    if let Some(te) = header("transfer-encoding") {
        if !te.eq_ignore_ascii_case("chunked") {
            return Err(Refusal::Bad(format!(
                "transfer coding {te:?} is not supported"
            )));
        }
        let mut total = 0usize;
        loop {
            let line = read_line(
                reader,
                1024,
                deadline,
                Refusal::Bad("a chunk size line is too long".into()),
            )?
            .ok_or(Refusal::Bad("the connection ended inside the body".into()))?;
            let size = std::str::from_utf8(&line)
                .ok()
                .map(|l| l.split(';').next().unwrap_or("").trim())
                .and_then(|h| usize::from_str_radix(h, 16).ok())
                .ok_or(Refusal::Bad("a chunk size is not hexadecimal".into()))?;
            if size == 0 {
                // Trailer lines, up to the empty one.
                while read_line(
                    reader,
                    limits.max_header_bytes,
                    deadline,
                    Refusal::HeadersTooLarge,
                )?
                .is_some_and(|l| !l.is_empty())
                {}
                return Ok(());
            }
            total = total.saturating_add(size);
            if total > limits.max_body {
                return Err(Refusal::TooLarge);
            }
            skip(reader, size + 2, deadline)?;
        }
    }
    let lengths: Vec<&str> = head
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .collect();
    let Some(len) = lengths.first() else {
        return Ok(());
    };
    if lengths.iter().any(|l| l != len) {
        return Err(Refusal::Bad(
            "Content-Length is given more than once, with different values".into(),
        ));
    }
    if len.is_empty() || !len.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Refusal::Bad(format!(
            "Content-Length {len:?} is not a number"
        )));
    }
    let len: usize = len.parse().map_err(|_| Refusal::TooLarge)?;
    if len > limits.max_body {
        return Err(Refusal::TooLarge);
    }
    skip(reader, len, deadline)
}

/// The next read may wait only until `deadline`; past it, the request is late.
fn until(reader: &mut BufReader<TcpStream>, deadline: Instant) -> Result<(), Refusal> {
    let left = deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or(Refusal::Timeout)?;
    reader
        .get_ref()
        .set_read_timeout(Some(left))
        .map_err(|_| Refusal::Timeout)
}

fn skip(reader: &mut BufReader<TcpStream>, mut n: usize, deadline: Instant) -> Result<(), Refusal> {
    let mut buf = [0u8; 8192];
    while n > 0 {
        until(reader, deadline)?;
        let want = n.min(buf.len());
        match reader.read(&mut buf[..want]) {
            Ok(0) => return Err(Refusal::Bad("the connection ended inside the body".into())),
            Ok(k) => n -= k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(Refusal::Timeout),
        }
    }
    Ok(())
}

/// An answer to write.
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// Header lines (framing headers are the writer's).
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Answer {
    /// A Huawei-style JSON error answer (`error_code` `REPLAY.<status>`).
    pub fn error(status: u16, message: &str) -> Self {
        Answer {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: serde_json::json!({
                "error_code": format!("REPLAY.{status}"),
                "error_msg": message
            })
            .to_string()
            .into_bytes(),
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// Writes an answer and closes the exchange (`Connection: close`); for `HEAD`, the head only,
/// with the `Content-Length` the body would have. The whole answer must be taken by
/// `deadline` (a slow reader cannot hold a connection), written in pieces with the time left.
pub fn write(
    out: &mut TcpStream,
    answer: &Answer,
    head_only: bool,
    deadline: Instant,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", answer.status, reason(answer.status));
    for (n, v) in &answer.headers {
        let framing = [
            "content-length",
            "transfer-encoding",
            "connection",
            "content-encoding",
        ]
        .iter()
        .any(|h| n.eq_ignore_ascii_case(h));
        if !framing && is_token(n) && !v.chars().any(|c| c.is_control() && c != '\t') {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
    }
    let no_body = answer.status == 204 || answer.status == 304;
    if !no_body {
        head.push_str(&format!("Content-Length: {}\r\n", answer.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut bytes = head.into_bytes();
    if !head_only && !no_body {
        bytes.extend_from_slice(&answer.body);
    }
    for piece in bytes.chunks(64 * 1024) {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::TimedOut, "the client reads too slowly")
            })?;
        out.set_write_timeout(Some(left))?;
        out.write_all(piece)?;
    }
    out.flush()
}

/// After an early answer (the request was not read to its end): stop writing, and read what
/// the client still sends for a moment, so that closing does not reset the connection before
/// it has read the answer.
pub fn linger(out: &mut TcpStream) {
    let _ = out.shutdown(std::net::Shutdown::Write);
    let _ = out.set_read_timeout(Some(Duration::from_millis(500)));
    let mut buf = [0u8; 16 * 1024];
    let until = Instant::now() + Duration::from_secs(2);
    while Instant::now() < until {
        match out.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(request_path("/a/b?x=1#f").as_deref(), Some("/a/b"));
        assert_eq!(request_path("http://h:1/a%2Db").as_deref(), Some("/a-b"));
        assert_eq!(request_path("HTTPS://h").as_deref(), Some("/"));
        assert_eq!(request_path("*"), None);
        assert_eq!(request_path("h:443"), None);
        assert_eq!(request_path("ftp://h/x"), None);
    }

    #[test]
    fn normalization() {
        assert_eq!(normalize("/v3/%70/jobs/JOB%2d1%7E"), "/v3/p/jobs/JOB-1~");
        assert_eq!(normalize("/a%2fb%2Fc"), "/a%2Fb%2Fc");
        assert_eq!(normalize("/%zz/%4"), "/%zz/%4");
        assert_eq!(normalize("/é%41"), "/%C3%A9A");
        assert_eq!(normalize("/a b"), normalize("/a%20b"));
        assert_eq!(request_path("http://h?x=/v3").as_deref(), Some("/"));
    }
}
