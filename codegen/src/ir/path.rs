//! Path templates: parsed once, matched against request paths.

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text sent as it is (`/v1/`).
    Literal(String),
    /// A path parameter (`{project_id}`), by wire name.
    Param(String),
}

/// A path template, parsed once: its text and its pieces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// As written in the document.
    pub text: String,
    /// Literal text and parameters, in order.
    pub parts: Vec<Part>,
    /// The same pieces split into the segments between `/`, for matching request paths (split
    /// here once, not for every path matched).
    segments: Vec<Vec<Part>>,
}

impl PathTemplate {
    /// Parses `/a/{b}/c{d}.json`; an unclosed `{` is literal text.
    pub fn parse(text: &str) -> Self {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start + 1..].find('}') else {
                break;
            };
            if start > 0 {
                parts.push(Part::Literal(rest[..start].to_owned()));
            }
            parts.push(Part::Param(rest[start + 1..start + 1 + len].to_owned()));
            rest = &rest[start + 2 + len..];
        }
        if !rest.is_empty() {
            parts.push(Part::Literal(rest.to_owned()));
        }
        let segments = segments(text, &parts);
        PathTemplate {
            text: text.to_owned(),
            parts,
            segments,
        }
    }

    /// The parameter names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Param(n) => Some(n.as_str()),
            Part::Literal(_) => None,
        })
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

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}
