//! A JSON value as block-style YAML, deterministically, in the style of `spec/`: keys in
//! document order, plain scalars where YAML reads them back as the same string, double-quoted
//! (JSON-escaped) otherwise.

use serde_json::Value;

/// YAML text of `v` (ends with a newline).
pub fn to_string(v: &Value) -> String {
    let mut out = String::new();
    block(v, 0, &mut out);
    out
}

/// Whether `s` can stand unquoted and read back as this very string.
fn plain(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~",
    ];
    let first = s.chars().next();
    !s.is_empty()
        && s.len() < 200
        && first.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '_')
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '_' | '-' | '.' | '/' | ' ' | '(' | ')' | ',' | '{' | '}' | ';' | '=' | '+'
                )
        })
        && !s.ends_with(' ')
        && !s.contains(" #")
        && !s.starts_with('{')
        && !WORDS.iter().any(|w| w.eq_ignore_ascii_case(s))
        && s.parse::<f64>().is_err()
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) if plain(s) => s.clone(),
        Value::String(s) => Value::String(s.clone()).to_string(),
        Value::Array(a) if a.is_empty() => "[]".to_owned(),
        Value::Object(o) if o.is_empty() => "{}".to_owned(),
        other => other.to_string(),
    }
}

fn key(k: &str) -> String {
    if plain(k) && !k.contains(['{', '}', ' ', ',']) {
        k.to_owned()
    } else {
        Value::String(k.to_owned()).to_string()
    }
}

fn is_block(v: &Value) -> bool {
    matches!(v, Value::Array(a) if !a.is_empty()) || matches!(v, Value::Object(o) if !o.is_empty())
}

fn block(v: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(o) if !o.is_empty() => {
            for (k, val) in o {
                if is_block(val) {
                    out.push_str(&format!("{pad}{}:\n", key(k)));
                    let inner = if val.is_array() { indent } else { indent + 2 };
                    block(val, inner, out);
                } else {
                    out.push_str(&format!("{pad}{}: {}\n", key(k), scalar(val)));
                }
            }
        }
        Value::Array(a) if !a.is_empty() => {
            // Short arrays of scalars inline, like `enum: [a, b]` in spec/.
            if a.iter().all(|x| !is_block(x)) && a.len() <= 12 {
                let items: Vec<String> = a.iter().map(scalar).collect();
                let line = format!("[{}]", items.join(", "));
                if line.len() < 100 {
                    // The caller printed `key:` and a newline: rewrite as `key: [..]`.
                    if out.ends_with(":\n") {
                        out.pop();
                        out.push_str(&format!(" {line}\n"));
                        return;
                    }
                }
            }
            for item in a {
                if is_block(item) {
                    let mut inner = String::new();
                    block(item, indent + 2, &mut inner);
                    let trimmed = inner.trim_start_matches(' ');
                    out.push_str(&format!("{pad}- {trimmed}"));
                } else {
                    out.push_str(&format!("{pad}- {}\n", scalar(item)));
                }
            }
        }
        other => out.push_str(&format!("{pad}{}\n", scalar(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_back_as_the_same_value() {
        let v = json!({
            "openapi": "3.1.0",
            "paths": {"/v1/{project_id}/x": {"get": {"parameters": [{"name": "a", "schema": {"enum": ["true", "false", "1", "yes", "a: b", "#x", ""]}}]}}},
            "empty": {}, "list": [], "n": 1.5, "t": true, "nested": [[1, 2], {"a": [{"b": null}]}],
            "text": "Line one.\nLine \"two\": with colon # and hash",
            "Content-Type": "application/json;charset=utf8"
        });
        let text = to_string(&v);
        let back: Value = serde_saphyr::from_str(&text).unwrap();
        assert_eq!(back, v, "{text}");
    }
}
