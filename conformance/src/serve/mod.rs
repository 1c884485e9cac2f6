//! `conformance serve DIR`: replays recordings over real HTTP on 127.0.0.1.
//!
//! Responses are looked up by method and path (the query is ignored; paths compare after
//! percent-encoded unreserved characters are decoded, `%2D` = `-`). When several recordings
//! share a method and path, they are served in order, one per request, and the last one
//! repeats: a folder can script a job that moves from RUNNING to SUCCEEDED.
//!
//! It speaks HTTP/1.1 as a client expects: `HEAD` answers like `GET` without a body (and
//! without moving a script on); a known path with an unrecorded method gets `405` with `Allow`
//! (`OPTIONS` gets `204` with it); an unknown path gets a Huawei-style `404`; origin-form and
//! absolute-form targets (`GET http://host/path`, as sent to a proxy) are accepted; a malformed
//! or non-UTF-8 request gets `400`. It is bounded ([`Limits`]): request line and headers are
//! capped (`414`, `431`), bodies too (`413`), a request must arrive within a timeout (`408`),
//! and connections beyond the limit are answered `503` at once.

mod http;

pub use http::{normalize, request_path, Limits};

use crate::recordings::{self, Exchange, Source};
use http::{Answer, Refusal};
use std::collections::BTreeMap;
use std::io::BufReader;
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Key = (String, String);

/// The recordings, by (method, path).
pub struct Replay {
    routes: Mutex<BTreeMap<Key, (Vec<Exchange>, usize)>>,
}

/// The normalized path of a recorded URL.
fn path_of(url: &str) -> String {
    if url.starts_with('/') || url.contains("://") {
        if let Some(p) = request_path(url) {
            return p;
        }
    }
    "/".to_owned()
}

impl Replay {
    /// Loads every HAR file under `dir`.
    pub fn load(dir: &str) -> Result<Self, String> {
        let mut routes: BTreeMap<Key, (Vec<Exchange>, usize)> = BTreeMap::new();
        for source in recordings::expand(&[dir.to_owned()])? {
            if let Source::File(p) = &source {
                if p.extension().and_then(|e| e.to_str()) != Some("har") {
                    continue;
                }
            }
            let bytes = recordings::read(&source)?;
            let contents = recordings::parse(&source.name(), &bytes, None)?;
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

    /// The next recording of (method, path); `advance: false` peeks (for `HEAD`).
    fn next(&self, method: &str, path: &str, advance: bool) -> Option<Exchange> {
        let mut routes = self.routes.lock().ok()?;
        let (list, at) = routes.get_mut(&(method.to_owned(), path.to_owned()))?;
        let ex = list.get(*at).or_else(|| list.last())?.clone();
        if advance && *at + 1 < list.len() {
            *at += 1;
        }
        Some(ex)
    }

    /// The methods recorded for a path, sorted.
    fn methods(&self, path: &str) -> Vec<String> {
        self.routes
            .lock()
            .map(|r| {
                r.keys()
                    .filter(|(_, p)| p == path)
                    .map(|(m, _)| m.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The answer to `method` on `path` (for `HEAD`, the writer leaves the body out).
    fn answer(&self, method: &str, path: &str) -> Answer {
        if path == "*" {
            // `OPTIONS *`: what the server as a whole allows.
            let mut all: Vec<String> = self
                .routes
                .lock()
                .map(|r| r.keys().map(|(m, _)| m.clone()).collect())
                .unwrap_or_default();
            all.extend(["HEAD".to_owned(), "OPTIONS".to_owned()]);
            all.sort();
            all.dedup();
            return Answer {
                status: 204,
                headers: vec![("Allow".into(), all.join(", "))],
                body: Vec::new(),
            };
        }
        let recorded = |ex: Exchange| {
            if ex.status < 200 {
                return Answer::error(
                    502,
                    &format!(
                        "the recording holds an interim {} answer, not a final one",
                        ex.status
                    ),
                );
            }
            Answer {
                status: ex.status,
                headers: ex.response_headers,
                body: ex.body,
            }
        };
        if let Some(ex) = self.next(method, path, method != "HEAD") {
            return recorded(ex);
        }
        let methods = self.methods(path);
        if method == "HEAD" && methods.iter().any(|m| m == "GET") {
            if let Some(ex) = self.next("GET", path, false) {
                return recorded(ex);
            }
        }
        if methods.is_empty() {
            return Answer::error(404, &format!("no recording for {method} {path}"));
        }
        let mut allow = methods.clone();
        if allow.iter().any(|m| m == "GET") && !allow.iter().any(|m| m == "HEAD") {
            allow.push("HEAD".into());
        }
        if !allow.iter().any(|m| m == "OPTIONS") {
            allow.push("OPTIONS".into());
        }
        let allow = allow.join(", ");
        if method == "OPTIONS" {
            return Answer {
                status: 204,
                headers: vec![("Allow".into(), allow)],
                body: Vec::new(),
            };
        }
        let mut a = Answer::error(
            405,
            &format!("{method} is not recorded for {path}; recorded: {allow}"),
        );
        a.headers.push(("Allow".into(), allow));
        a
    }
}

/// Serves one connection: one request, one answer.
fn handle(stream: TcpStream, replay: &Replay, limits: &Limits) -> std::io::Result<()> {
    let started = Instant::now();
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    let head = http::read_head(&mut reader, limits, started)
        .and_then(|head| http::discard_body(&mut reader, &head, limits, started).map(|()| head));
    match head {
        Ok(head) => {
            let answer = replay.answer(&head.method, &head.path);
            // Time to take the answer: the timeout, plus a second per MiB of body.
            let mib = u32::try_from(answer.body.len() >> 20).unwrap_or(u32::MAX);
            let deadline = Instant::now() + limits.timeout + Duration::from_secs(u64::from(mib));
            http::write(&mut out, &answer, head.method == "HEAD", deadline)
        }
        Err(Refusal::Closed) => Ok(()),
        Err(refusal) => {
            let (status, message) = refusal.answer();
            let deadline = Instant::now() + limits.timeout;
            let written = http::write(&mut out, &Answer::error(status, &message), false, deadline);
            http::linger(&mut out);
            written
        }
    }
}

/// Binds 127.0.0.1:`port` (0: any free port) and returns the listener and its address.
pub fn bind(port: u16) -> std::io::Result<(TcpListener, String)> {
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    let addr = format!("http://{}", listener.local_addr()?);
    Ok((listener, addr))
}

/// Counts a connection while it lives.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves until the process ends: a thread per connection, at most `limits.max_connections`
/// at once; a connection beyond them is answered `503` (with `Retry-After`) and closed.
pub fn serve(listener: TcpListener, replay: Arc<Replay>, limits: Limits) {
    let active = Arc::new(AtomicUsize::new(0));
    for mut stream in listener.incoming().flatten() {
        if active.fetch_add(1, Ordering::SeqCst) >= limits.max_connections {
            active.fetch_sub(1, Ordering::SeqCst);
            let mut busy = Answer::error(503, "too many connections at once; retry shortly");
            busy.headers.push(("Retry-After".into(), "1".into()));
            let deadline = Instant::now() + Duration::from_secs(1);
            let _ = http::write(&mut stream, &busy, false, deadline);
            continue;
        }
        let slot = Slot(Arc::clone(&active));
        let replay = Arc::clone(&replay);
        std::thread::spawn(move || {
            let _slot = slot;
            let _ = handle(stream, &replay, &limits);
        });
    }
}
