//! Path templates, parsed once (the conformance runner matches request paths against them).

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Part {
    /// Text sent as it is (`/v1/`).
    Literal(String),
    /// A path parameter (`{project_id}`), by wire name.
    Param(String),
}

/// A path template, parsed once: its text and its pieces.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PathTemplate {
    /// As written in the document.
    pub text: String,
    /// Literal text and parameters, in order.
    pub parts: Vec<Part>,
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
        PathTemplate {
            text: text.to_owned(),
            parts,
        }
    }

    /// The parameter names, in order.
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Param(n) => Some(n.as_str()),
            Part::Literal(_) => None,
        })
    }
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}
