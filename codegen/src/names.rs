//! Turning wire names into valid, idiomatic Rust identifiers.

/// Words of a name: split at non-alphanumerics and at case changes
/// (`EXECUTION_STATUS` → execution, status; `HTTPServer` → http, server).
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut cur = String::new();
        for i in 0..chars.len() {
            let c = chars[i];
            if !cur.is_empty() && c.is_ascii_uppercase() {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
                {
                    out.push(std::mem::take(&mut cur));
                }
            }
            cur.push(c.to_ascii_lowercase());
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out
}

/// `snake_case`; never empty, never a keyword, never starting with a digit.
pub fn snake(name: &str) -> String {
    let s = words(name).join("_");
    fix_ident(s, "field", "n_", "_")
}

/// `PascalCase`; never empty, never a keyword, never starting with a digit.
pub fn pascal(name: &str) -> String {
    let s: String = words(name)
        .iter()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect();
    fix_ident(s, "Value", "V", "_")
}

fn fix_ident(s: String, empty: &str, digit_prefix: &str, keyword_suffix: &str) -> String {
    if s.is_empty() {
        return empty.to_owned();
    }
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{s}")
    } else {
        s
    };
    if is_keyword(&s) {
        format!("{s}{keyword_suffix}")
    } else {
        s
    }
}

/// Rust keywords (strict, reserved and edition 2018+), plus names that
/// cannot be raw identifiers.
pub fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "as" | "break"
            | "const"
            | "continue"
            | "crate"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "fn"
            | "for"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "pub"
            | "ref"
            | "return"
            | "self"
            | "Self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "type"
            | "unsafe"
            | "use"
            | "where"
            | "while"
            | "async"
            | "await"
            | "dyn"
            | "abstract"
            | "become"
            | "box"
            | "do"
            | "final"
            | "macro"
            | "override"
            | "priv"
            | "typeof"
            | "unsized"
            | "virtual"
            | "yield"
            | "try"
            | "gen"
            | "union"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_cases() {
        assert_eq!(snake("EXECUTION_STATUS"), "execution_status");
        assert_eq!(snake("X-Auth-Token"), "x_auth_token");
        assert_eq!(snake("updatedAt"), "updated_at");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(pascal("PARTIALLY_FAILED"), "PartiallyFailed");
        assert_eq!(pascal("running"), "Running");
        assert_eq!(pascal("get_job_details"), "GetJobDetails");
    }

    #[test]
    fn keywords_digits_and_odd_characters() {
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("ref"), "ref_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n_2fa");
        assert_eq!(snake("@@"), "field");
        assert_eq!(pascal("2xx"), "V2xx");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal(""), "Value");
        assert_eq!(snake("a.b c"), "a_b_c");
    }
}
