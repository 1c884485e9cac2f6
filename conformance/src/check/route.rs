//! Which operation an exchange is: the document whose server fits the host, the most specific
//! path template; equal candidates in two documents are an error, never settled by file order.

use super::*;

pub(super) fn host_matches_server(host: &str, template: Option<&str>) -> bool {
    let Some(t) = template else { return false };
    let t = t.split_once("://").map(|(_, r)| r).unwrap_or(t);
    let t = t.split('/').next().unwrap_or(t);
    // `{var}` stands for one or more DNS-label characters.
    let parts: Vec<&str> = t.split(['{', '}']).collect();
    let mut rest = host;
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else {
            let next = parts.get(i + 1).copied().unwrap_or("");
            let end = if next.is_empty() {
                rest.len()
            } else {
                rest.find(next).unwrap_or(0)
            };
            if end == 0
                || !rest[..end]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            {
                return false;
            }
            rest = &rest[end..];
        }
    }
    rest.is_empty()
}

/// Where an exchange belongs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// One operation: (module index, operation index).
    Found((usize, usize)),
    /// Several operations fit equally well (the same shape of path template, in different
    /// documents): reported, never resolved by file order.
    Ambiguous(Vec<(usize, usize)>),
    /// No documented operation.
    NotFound,
}

/// One operation as routing sees it.
#[derive(Debug, Clone, Copy)]
pub struct RouteEntry<'a> {
    /// (module index, operation index).
    pub at: (usize, usize),
    /// The document's server URL template, if it has one.
    pub server: Option<&'a str>,
    /// HTTP method.
    pub method: Method,
    /// Path template, compiled.
    pub path: &'a PathMatcher,
}

/// Matches an exchange to an operation of any document (see [`pick`]).
pub fn route(specs: &SpecSet, method: &str, url: &str) -> Route {
    let entries: Vec<RouteEntry<'_>> = specs
        .modules
        .iter()
        .enumerate()
        .flat_map(|(mi, m)| {
            let server = server_template(m);
            (0..m.api.operations.len()).map(move |oi| {
                let op = m.ir_operation(oi);
                RouteEntry {
                    at: (mi, oi),
                    server,
                    method: op.method,
                    path: &m.paths[oi],
                }
            })
        })
        .collect();
    pick(&entries, method, url)
}

/// Matches an exchange by method and path template. Every document whose server template fits
/// the host is considered, and only those; a host that fits no document's server (a proxy, a
/// loopback replay) is matched by path alone against all of them. Of the templates that fit,
/// the most specific wins (literal segments beat parameters, from the left); two equally
/// specific ones are [`Route::Ambiguous`].
pub fn pick(entries: &[RouteEntry<'_>], method: &str, url: &str) -> Route {
    let (host, path, _) = split_url(url);
    let fits_host = |e: &RouteEntry<'_>| host.is_some_and(|h| host_matches_server(h, e.server));
    let any_host = entries.iter().any(fits_host);
    let mut best: Vec<(usize, usize)> = Vec::new();
    let mut best_shape: Vec<u8> = Vec::new();
    for e in entries {
        if any_host && !fits_host(e) {
            continue;
        }
        if !e.method.as_str().eq_ignore_ascii_case(method) || e.path.matches(path).is_none() {
            continue;
        }
        let shape = e.path.specificity();
        match shape.cmp(&best_shape) {
            // Templates that fit one path have as many segments as it; any shape beats the
            // empty one the search starts from.
            std::cmp::Ordering::Greater => {
                best = vec![e.at];
                best_shape = shape;
            }
            std::cmp::Ordering::Equal => best.push(e.at),
            std::cmp::Ordering::Less => {}
        }
    }
    match best.len() {
        0 => Route::NotFound,
        1 => Route::Found(best[0]),
        _ => Route::Ambiguous(best),
    }
}

pub(super) fn server_template(m: &SpecModule) -> Option<&str> {
    m.api.server.as_ref().map(|s| s.url.as_str())
}
