//! Step 1 of the pipeline: read a YAML (or JSON) file into a JSON value.

use crate::error::{Error, Location};

/// Parses YAML text into a JSON value; a syntax error names line and column.
pub fn parse_str(text: &str, display_name: &str) -> Result<serde_json::Value, Error> {
    match serde_saphyr::from_str::<serde_json::Value>(text) {
        Ok(v) => Ok(v),
        Err(e) => {
            let location = match e.location() {
                Some(loc) if loc.line() > 0 => Location::LineColumn {
                    line: loc.line(),
                    column: loc.column(),
                },
                _ => Location::File,
            };
            Err(Error {
                file: display_name.to_owned(),
                location,
                message: format!("YAML syntax error: {}", first_line(&e.to_string())),
            })
        }
    }
}

/// The first line of the parser's message, without its own `error: line L column C:` prefix
/// (the location is reported separately).
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    let line = line
        .strip_prefix("error:")
        .map(str::trim_start)
        .unwrap_or(line);
    if let Some(rest) = line.strip_prefix("line ") {
        if let Some((_, msg)) = rest.split_once(": ") {
            return msg.trim().to_owned();
        }
    }
    line.to_owned()
}
