//! `conformance serve DIR`: replays recordings over real HTTP on 127.0.0.1.
//!
//! Responses are looked up by method and path (the query is ignored). When several
//! recordings share a method and path, they are served in order, one per request, and the
//! last one repeats: a folder can script a job that moves from RUNNING to SUCCEEDED.

use crate::input::{self, Exchange, Source};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

type Key = (String, String);

/// The recordings, by (method, path).
pub struct Replay {
    routes: Mutex<BTreeMap<Key, (Vec<Exchange>, usize)>>,
}

fn path_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    path.split(['?', '#']).next().unwrap_or("/").to_owned()
}

impl Replay {
    /// Loads every HAR file under `dir`.
    pub fn load(dir: &str) -> Result<Self, String> {
        let mut routes: BTreeMap<Key, (Vec<Exchange>, usize)> = BTreeMap::new();
        for source in input::expand(&[dir.to_owned()])? {
            if let Source::File(p) = &source {
                if p.extension().and_then(|e| e.to_str()) != Some("har") {
                    continue;
                }
            }
            let bytes = input::read(&source)?;
            let contents = input::parse(&source.name(), &bytes, None)?;
            for ex in contents.exchanges {
                let key = (ex.method.clone(), path_of(ex.url.as_deref().unwrap_or("/")));
                routes.entry(key).or_default().0.push(ex);
            }
        }
        Ok(Replay {
            routes: Mutex::new(routes),
        })
    }

    /// How many routes there are.
    pub fn len(&self) -> usize {
        self.routes.lock().map(|r| r.len()).unwrap_or(0)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn next(&self, method: &str, path: &str) -> Option<Exchange> {
        let mut routes = self.routes.lock().ok()?;
        let (list, at) = routes.get_mut(&(method.to_owned(), path.to_owned()))?;
        let ex = list.get(*at).or_else(|| list.last())?.clone();
        if *at + 1 < list.len() {
            *at += 1;
        }
        Some(ex)
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn handle(stream: TcpStream, replay: &Replay) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut total = request_line.len();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        total += n;
        if n == 0 || line == "\r\n" || line == "\n" || total > 64 * 1024 {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("").to_ascii_uppercase();
    let target = parts.next().unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut out = stream;
    let (status, headers, body) = match replay.next(&method, path) {
        Some(ex) => {
            let headers: Vec<(String, String)> = ex
                .response_headers
                .into_iter()
                .filter(|(n, _)| {
                    ![
                        "content-length",
                        "transfer-encoding",
                        "connection",
                        "content-encoding",
                    ]
                    .iter()
                    .any(|h| n.eq_ignore_ascii_case(h))
                })
                .collect();
            (ex.status, headers, ex.body)
        }
        None => (
            404,
            vec![("Content-Type".to_owned(), "application/json".to_owned())],
            serde_json::json!({
                "error_code": "REPLAY.404",
                "error_msg": format!("no recording for {method} {path}")
            })
            .to_string()
            .into_bytes(),
        ),
    };
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (n, v) in &headers {
        if !n.contains(['\r', '\n']) && !v.contains(['\r', '\n']) {
            head.push_str(&format!("{n}: {v}\r\n"));
        }
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    out.write_all(head.as_bytes())?;
    out.write_all(&body)?;
    out.flush()
}

/// Binds 127.0.0.1:`port` (0: any free port) and returns the listener and its address.
pub fn bind(port: u16) -> std::io::Result<(TcpListener, String)> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let addr = format!("http://{}", listener.local_addr()?);
    Ok((listener, addr))
}

/// Serves until the process ends, one thread per connection.
pub fn serve(listener: TcpListener, replay: Arc<Replay>) {
    for stream in listener.incoming().flatten() {
        let replay = Arc::clone(&replay);
        std::thread::spawn(move || {
            let _ = handle(stream, &replay);
        });
    }
}
