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

/// The module name of a spec file's stem: `snake_case`, and never a name the generated crate
/// or the code in it needs for something else (`runtime`, `std`, `core`, `alloc`, `serde`,
/// `serde_json`, `http`): those get a trailing `_` (`std.yaml` → `std_`), as keywords do.
pub fn module(stem: &str) -> String {
    let s = snake(stem);
    if matches!(
        s.as_str(),
        "runtime" | "std" | "core" | "alloc" | "serde" | "serde_json" | "http"
    ) {
        format!("{s}_")
    } else {
        s
    }
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

/// Gives every base name a distinct Rust name, deterministically: the first holder of a base
/// name (in the given order) keeps it; each later one gets the base with a number, `{base}{sep}2`,
/// `{base}{sep}3`, … (a trailing `_` that only escaped a keyword is dropped first: `self_` →
/// `self_2`), skipping every name that is already taken or `reserved`. A base that is itself
/// reserved is numbered too. `UNKNOWN`, `Unknown` → `Unknown`, `Unknown2`; `a-b`, `a.b` →
/// `a_b`, `a_b_2`.
pub fn dedupe(bases: &[String], reserved: &[&str], sep: &str) -> Vec<String> {
    use std::collections::BTreeSet;
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    // Every base is someone's first choice: a numbered name never takes it from them.
    let all_bases: BTreeSet<&str> = bases.iter().map(String::as_str).collect();
    let mut out = Vec::with_capacity(bases.len());
    for base in bases {
        if !taken.contains(base) {
            taken.insert(base.clone());
            out.push(base.clone());
            continue;
        }
        let stem = base.trim_end_matches('_');
        let stem = if stem.is_empty() { base.as_str() } else { stem };
        let mut n = 2u32;
        let name = loop {
            let candidate = format!("{stem}{sep}{n}");
            if !taken.contains(&candidate) && !all_bases.contains(candidate.as_str()) {
                break candidate;
            }
            n += 1;
        };
        taken.insert(name.clone());
        out.push(name);
    }
    out
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
    fn distinct_names_for_colliding_spellings() {
        let v = |xs: &[&str]| xs.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let pascal_of = |xs: &[&str]| xs.iter().map(|s| pascal(s)).collect::<Vec<_>>();
        let snake_of = |xs: &[&str]| xs.iter().map(|s| snake(s)).collect::<Vec<_>>();
        assert_eq!(
            dedupe(&pascal_of(&["UNKNOWN", "Unknown", "unknown"]), &[], ""),
            v(&["Unknown", "Unknown2", "Unknown3"])
        );
        assert_eq!(
            dedupe(&pascal_of(&["true", "TRUE", "a", "A"]), &[], ""),
            v(&["True", "True2", "A", "A2"])
        );
        assert_eq!(
            dedupe(&snake_of(&["a-b", "a.b", "Self", "self"]), &[], "_"),
            v(&["a_b", "a_b_2", "self_", "self_2"])
        );
        // Reserved names go to nobody; a numbered name never takes another's own name.
        assert_eq!(
            dedupe(&v(&["Unrecognized", "A", "A", "A2"]), &["Unrecognized"], ""),
            v(&["Unrecognized2", "A", "A3", "A2"])
        );
        assert_eq!(
            dedupe(
                &v(&["additional_properties", "x"]),
                &["additional_properties"],
                "_"
            ),
            v(&["additional_properties_2", "x"])
        );
        // Deterministic: the same input gives the same names.
        let bases = pascal_of(&["a", "A", "a_", "A-"]);
        assert_eq!(dedupe(&bases, &[], ""), dedupe(&bases, &[], ""));
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
