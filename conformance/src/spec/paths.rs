//! Request paths matched against the spec's path templates, for routing an exchange to its
//! operation and reading its path parameters.

use codegen::ir::{Part, PathTemplate};

/// A path template split once into the segments between `/`, each as its pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatcher {
    segments: Vec<Vec<Part>>,
}

impl PathMatcher {
    /// The matcher of a template.
    pub fn new(template: &PathTemplate) -> Self {
        PathMatcher {
            segments: segments(&template.text, &template.parts),
        }
    }

    /// Matches a request path (no query); returns each parameter's raw (still percent-encoded)
    /// text. Parameters match one or more characters within a segment.
    pub fn matches<'p>(&self, path: &'p str) -> Option<Vec<(String, &'p str)>> {
        let segments = &self.segments;
        let path = if path.len() > 1 {
            path.strip_suffix('/').unwrap_or(path)
        } else {
            path
        };
        let got: Vec<&str> = path.split('/').collect();
        if segments.len() != got.len() {
            return None;
        }
        let mut params = Vec::new();
        for (parts, mut seg) in segments.iter().zip(got) {
            if parts.is_empty() && !seg.is_empty() {
                return None;
            }
            for (i, part) in parts.iter().enumerate() {
                match part {
                    Part::Literal(l) => seg = seg.strip_prefix(l.as_str())?,
                    Part::Param(name) => {
                        // Up to the next literal of the segment (its first occurrence), or the end.
                        let end = match parts.get(i + 1) {
                            Some(Part::Literal(next)) => seg.find(next.as_str())?,
                            _ => seg.len(),
                        };
                        if end == 0 {
                            return None;
                        }
                        params.push((name.clone(), &seg[..end]));
                        seg = &seg[end..];
                    }
                }
            }
            if !seg.is_empty() {
                return None;
            }
        }
        Some(params)
    }

    /// How specific the template is, for choosing between templates that match one path: per
    /// segment from the left, 2 for all literal text, 1 for text and a parameter, 0 for a
    /// parameter alone. A larger value wins (`/jobs/search` over `/jobs/{job_id}`).
    pub fn specificity(&self) -> Vec<u8> {
        self.segments
            .iter()
            .map(|parts| {
                let params = parts.iter().filter(|p| matches!(p, Part::Param(_))).count();
                match (params, parts.len()) {
                    (0, _) => 2,
                    (n, len) if n == len => 0,
                    _ => 1,
                }
            })
            .collect()
    }
}

/// The segments of a template between `/`, each as its pieces.
fn segments(text: &str, parts: &[Part]) -> Vec<Vec<Part>> {
    let mut out: Vec<Vec<Part>> = vec![Vec::new()];
    for part in parts {
        match part {
            Part::Param(_) => {
                if let Some(s) = out.last_mut() {
                    s.push(part.clone());
                }
            }
            Part::Literal(text) => {
                for (i, piece) in text.split('/').enumerate() {
                    if i > 0 {
                        out.push(Vec::new());
                    }
                    if !piece.is_empty() {
                        if let Some(s) = out.last_mut() {
                            s.push(Part::Literal(piece.to_owned()));
                        }
                    }
                }
            }
        }
    }
    // A trailing `/` is not a segment of its own (`/` alone is the root).
    if text.len() > 1 && text.ends_with('/') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> PathMatcher {
        PathMatcher::new(&PathTemplate::parse(text))
    }

    #[test]
    fn templates_match_and_rank() {
        let t = m("/v1/{project_id}/cae/jobs/{job_id}");
        assert_eq!(
            t.matches("/v1/p/cae/jobs/j%2F1"),
            Some(vec![("project_id".into(), "p"), ("job_id".into(), "j%2F1")])
        );
        assert_eq!(t.matches("/v1/p/cae/jobs/"), None, "an empty parameter");
        assert_eq!(t.matches("/v1/p/cae/jobs/j/x"), None);
        assert!(t.matches("/v1/p/cae/jobs/j/").is_some(), "a trailing slash");
        let file = m("/files/{name}.json");
        assert_eq!(
            file.matches("/files/a.b.json"),
            Some(vec![("name".into(), "a.b")])
        );
        assert_eq!(
            file.matches("/files/a.json"),
            Some(vec![("name".into(), "a")])
        );
        assert_eq!(file.matches("/files/.json"), None);
        assert!(m("/jobs/search").specificity() > m("/jobs/{id}").specificity());
        assert!(file.specificity() > m("/files/{x}").specificity());
        assert_eq!(m("/").matches("/"), Some(vec![]));
        assert_eq!(m("/").matches("/x"), None);
        assert_eq!(m("/a/{unclosed").matches("/a/{unclosed"), Some(vec![]));
    }
}
