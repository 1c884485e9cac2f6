//! What cells look like: names, flags, types, status codes — used to find where a row ends in
//! the line-per-cell layout, and to read a cell's facts (enums, fixed and default values,
//! bounds) out of its description.

use super::layout::{caption, is_heading, status_line, Line};

/// What a column holds, from its header cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Parameter or field name.
    Name,
    /// Yes / No.
    Mandatory,
    /// The type.
    Type,
    /// A status code.
    Status,
    /// Free text (description, value range, default value…).
    Text,
}

/// The role of a header cell.
pub fn role(header: &str) -> Role {
    let h = header.to_ascii_lowercase();
    match h.as_str() {
        "parameter" | "name" | "field" | "header" => Role::Name,
        "mandatory" | "required" => Role::Mandatory,
        "type" => Role::Type,
        "status code" | "http status code" | "status codes" | "error code" => Role::Status,
        _ => Role::Text,
    }
}

/// A parameter or field name: one token, no final period.
pub fn is_name(t: &str) -> bool {
    // `[items]`: the rows of a body that is an array.
    if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        return inner.is_empty() || is_name(inner);
    }
    let mut chars = t.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    t.len() <= 80
        && (first.is_ascii_alphabetic() || matches!(first, '_' | '$' | '@'))
        && t.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '$' | '@' | '[' | ']')
        })
        && !t.ends_with('.')
        && !is_heading(t)
}

/// `Yes` / `No`.
pub fn is_flag(t: &str) -> bool {
    ["yes", "no", "true", "false"]
        .iter()
        .any(|f| f.eq_ignore_ascii_case(t))
}

const BASE_TYPES: &[&str] = &[
    "string",
    "integer",
    "int",
    "int32",
    "int64",
    "long",
    "number",
    "float",
    "double",
    "boolean",
    "bool",
    "object",
    "array",
    "map",
    "list",
    "date",
    "timestamp",
    "file",
    "byte",
    "uuid",
];

/// A type cell: `String`, `Array<Object>`, `Array of Task objects`, `JobSpec object`, `Map<String,String>`.
pub fn is_type(t: &str) -> bool {
    if t.len() > 80 || t.contains(". ") {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    let head: String = lower
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    BASE_TYPES.contains(&head.as_str())
        || lower.ends_with(" object")
        || lower.ends_with(" objects")
        || lower.starts_with("array of ")
        || lower.starts_with("list of ")
}

/// A status code cell.
pub fn is_status(t: &str) -> bool {
    t.len() == 3
        && t.bytes().all(|b| b.is_ascii_digit())
        && t.starts_with(['1', '2', '3', '4', '5'])
}

fn fits(role: Role, t: &str) -> bool {
    match role {
        Role::Name => is_name(t),
        Role::Mandatory => is_flag(t),
        Role::Type => is_type(t),
        Role::Status => is_status(t),
        Role::Text => true,
    }
}

/// Whether a line ends a line-per-cell table.
fn ends_table(t: &str) -> bool {
    is_heading(t)
        || caption(t).is_some()
        || status_line(t).is_some()
        || t.starts_with('|')
        || t == "{"
        || t == "["
        || t.starts_with("{\"")
}

/// Whether a row starts at `lines[0]`: the first column fits, and so does every column up to
/// the last (free-text columns take one line each).
fn row_starts(roles: &[Role], lines: &[Line]) -> bool {
    let n = roles.len();
    if lines.len() < n || ends_table(&lines[0].text) {
        return false;
    }
    roles[..n - 1]
        .iter()
        .zip(lines)
        .all(|(r, l)| fits(*r, &l.text) && !ends_table(&l.text))
        && roles[0] != Role::Text
}

/// Sub-headings inside a structured description cell (`Definition` … `Constraints` … `Range`
/// … `Default Value`): cell text, not sections.
pub const CELL_HEADINGS: &[&str] = &[
    "Definition",
    "Constraints",
    "Range",
    "Default Value",
    "Value Range",
];

fn cell_heading(t: &str) -> bool {
    CELL_HEADINGS.iter().any(|h| h.eq_ignore_ascii_case(t))
}

/// How many lines the line-per-cell row at `lines[0]` takes (0: no row starts there).
pub fn row_len(header: &[String], lines: &[Line]) -> usize {
    let roles: Vec<Role> = header.iter().map(|h| role(h)).collect();
    let n = roles.len();
    if n < 2 || !row_starts(&roles, lines) {
        return 0;
    }
    // The last column takes lines until the next row or the table's end.
    let mut j = n - 1;
    if j < lines.len() && !ends_table(&lines[j].text) {
        if roles[n - 1] != Role::Text {
            return n;
        }
        // A description that starts with `Definition` is structured: its sub-headings
        // (`Constraints`, `Range`, `Default Value`) are part of it.
        let structured = lines[j].text.eq_ignore_ascii_case("Definition");
        j += 1;
        while j < lines.len()
            && !(ends_table(&lines[j].text) && !(structured && cell_heading(&lines[j].text)))
            && !row_starts(&roles, &lines[j..])
        {
            j += 1;
        }
    }
    j
}

/// A list item: `• A`, `- A`, `* A`, `· A` → `A…`.
pub fn bullet(t: &str) -> Option<&str> {
    for b in ["•", "·", "- ", "* ", "◦"] {
        if let Some(rest) = t.strip_prefix(b) {
            return Some(rest.trim());
        }
    }
    None
}

/// The value a list item or a phrase item names: its first token, without quotes, a final
/// period, or what follows a colon or a parenthesis (`true (descending order)` → `true`).
pub fn item_value(item: &str) -> Option<String> {
    let item = item.trim().trim_start_matches(['`', '"', '\'']);
    let token: String = item
        .chars()
        .take_while(|c| {
            !c.is_whitespace() && !matches!(c, ':' | '(' | ',' | '`' | '"' | '\'' | ';')
        })
        .collect();
    let token = token.trim_end_matches('.').to_owned();
    (!token.is_empty() && token.len() <= 64).then_some(token)
}

/// `7: Manage` → (7, "Manage").
pub fn int_item(t: &str) -> Option<i64> {
    let t = bullet(t).unwrap_or(t);
    let (n, rest) = t.split_once(':')?;
    let n: i64 = n.trim().parse().ok()?;
    (!rest.trim().is_empty()).then_some(n)
}

/// The phrases that introduce a value list.
const ENUM_PHRASES: &[&str] = &[
    "enumerated values:",
    "enumerated value:",
    "enumeration values:",
    "enumeration value:",
    "numerated values:",
    "options:",
    "values:",
    "value:",
    "the value can be",
    "the value is",
];

/// A value and its meaning (`BLINK`, `blinks once a second`).
type Valued = (String, Option<String>);

/// One value of a list item or a phrase, when it is one: a single token once a meaning
/// (`: …`, `(…)`, ` - …`) and quotes are cut off. `Standard storage` is not one.
fn single_value(item: &str) -> Option<Valued> {
    value_of(item).filter(|(v, _)| !v.contains(char::is_whitespace))
}

/// The value a list item names (before its meaning), spaces allowed: after an explicit
/// "Enumeration values:" an item such as `Standard storage` is a value.
fn value_of(item: &str) -> Option<Valued> {
    let item = item.trim().trim_end_matches(['.', '。', ';', '；']).trim();
    let (value, meaning) = match item.find([':', '：', '(', '（']) {
        Some(at) => (
            &item[..at],
            Some(item[at..].trim_start_matches([':', '：']).trim()),
        ),
        None => match item.split_once(" - ").or_else(|| item.split_once(" — ")) {
            Some((v, m)) => (v, Some(m.trim())),
            None => (item, None),
        },
    };
    let value = value.trim().trim_matches(['`', '"', '\'', '“', '”']);
    (!value.is_empty() && value.len() <= 64 && !value.eq_ignore_ascii_case("N/A")).then(|| {
        (
            value.to_owned(),
            meaning.filter(|m| !m.is_empty()).map(str::to_owned),
        )
    })
}

/// What a description says about values, besides its text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// The prose, bullets and recognised phrases removed, one line.
    pub text: String,
    /// Values listed (bullets or a phrase).
    pub values: Vec<String>,
    /// Integer values (`7: Manage`).
    pub int_values: Vec<i64>,
    /// A phrase announced values but none followed (the extraction lost them).
    pub values_lost: bool,
    /// `Fixed value: X`.
    pub fixed: Option<String>,
    /// `Default value: X` (not `N/A`).
    pub default: Option<String>,
    /// `Minimum: N`.
    pub minimum: Option<f64>,
    /// `Maximum: N`.
    pub maximum: Option<f64>,
}

/// The text after `label` (case-insensitive) up to the end of its sentence.
fn after<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find(label)?;
    Some(line[at + label.len()..].trim())
}

/// `X.` → `X` (the period ends the sentence); `application/json;charset=utf8.` → without it.
fn sentence_value(rest: &str) -> Option<String> {
    let v = rest.split(". ").next().unwrap_or(rest).trim();
    let v = v.strip_suffix('.').unwrap_or(v).trim();
    let v = v.trim_matches(['`', '"', '\'']);
    (!v.is_empty() && !v.eq_ignore_ascii_case("N/A") && !v.eq_ignore_ascii_case("none"))
        .then(|| v.to_owned())
}

fn number_after(line: &str, label: &str) -> Option<f64> {
    let rest = after(line, label)?;
    let token: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '.'))
        .collect();
    token.trim_end_matches('.').parse().ok()
}

/// The first value list a line announces with one of [`ENUM_PHRASES`] (`Default value:` and
/// `Fixed value:` are not lists): where the phrase starts, and the values after it — `Some` of
/// single values (empty: announced, the values follow as a list), `None` when prose follows.
fn phrase_values(line: &str, lower: &str) -> Option<(usize, Option<Vec<String>>)> {
    for p in ENUM_PHRASES {
        let Some(at) = lower.find(p) else {
            continue;
        };
        let before = &lower[..at];
        if before.ends_with("default ") || before.ends_with("fixed ") {
            continue;
        }
        let rest = line[at + p.len()..].trim();
        let rest = rest.split(". ").next().unwrap_or(rest);
        let raw: Vec<String> = rest
            .replace(", or ", ", ")
            .replace(" or ", ", ")
            .replace(" and ", ", ")
            .split([',', '|', '/', '、', '，', '；', ';'])
            .map(|i| i.trim().to_owned())
            .filter(|i| !i.is_empty())
            .collect();
        let items = raw
            .iter()
            .map(|i| single_value(i).map(|(v, _)| v))
            .collect();
        return Some((at, items));
    }
    None
}

/// Reads a description cell.
pub fn facts(cell: &str) -> Facts {
    let mut f = Facts::default();
    let mut text: Vec<String> = Vec::new();
    let mut announced = false;
    let mut sub: Option<String> = None;
    let mut in_note = false;
    // The previous line introduced a list that is not a value list ("The value can contain:").
    let mut list_intro = false;
    // List items: values when every one is a single token, else text.
    let mut bullets: Vec<(String, Option<Valued>)> = Vec::new();
    for raw in cell.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        // Structured cells: `Definition` / `Constraints` / `Range` / `Default Value`, each
        // sub-heading followed by its text; `N/A` says nothing.
        if cell_heading(line) {
            sub = (!line.eq_ignore_ascii_case("Definition")).then(|| line.to_owned());
            continue;
        }
        if let Some(h) = sub.take() {
            if line.eq_ignore_ascii_case("N/A") {
                continue;
            }
            if h.eq_ignore_ascii_case("Default Value") {
                f.default = sentence_value(line);
                continue;
            }
            text.push(format!("{h}: {line}"));
            continue;
        }
        if line.to_ascii_lowercase().starts_with("note:") {
            in_note = true;
            text.push(line.to_owned());
            continue;
        }
        if let Some(item) = bullet(line) {
            if in_note || list_intro {
                // A note's items, or a list introduced by other words ("can contain:").
                text.push(item.to_owned());
            } else if announced {
                bullets.push((item.to_owned(), value_of(item)));
            } else {
                bullets.push((item.to_owned(), single_value(item)));
            }
            continue;
        }
        list_intro = false;
        if let Some(n) = int_item(line) {
            f.int_values.push(n);
            text.push(line.to_owned());
            continue;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(rest) = after(line, "fixed value:") {
            f.fixed = sentence_value(rest);
        }
        if let Some(rest) = after(line, "default value:") {
            f.default =
                sentence_value(rest).and_then(|v| v.split_whitespace().next().map(str::to_owned));
        }
        if lower.contains("minimum:") {
            f.minimum = number_after(line, "minimum:");
        }
        if lower.contains("maximum:") {
            f.maximum = number_after(line, "maximum:");
        }
        let mut phrase_found = false;
        if let Some((at, items)) = phrase_values(line, &lower) {
            match items {
                // Only a list of single values is an enum; prose is left as text.
                Some(items) if !items.is_empty() => {
                    phrase_found = true;
                    f.values.extend(items);
                    text.push(line[..at].trim().to_owned());
                }
                Some(_) => {
                    phrase_found = true;
                    announced = true;
                    text.push(line[..at].trim().to_owned());
                }
                None => {}
            }
        }
        if !phrase_found {
            list_intro = line.ends_with(':') || line.ends_with('：');
            text.push(line.to_owned());
        }
    }
    if !bullets.is_empty() && bullets.iter().all(|(_, v)| v.is_some()) {
        for (_, v) in &bullets {
            if let Some((value, meaning)) = v {
                f.values.push(value.clone());
                if let Some(m) = meaning {
                    // The meaning of each value stays in the description.
                    text.push(format!("{value}: {m}."));
                }
            }
        }
    } else {
        text.extend(bullets.into_iter().map(|(item, _)| item));
    }
    let mut seen = std::collections::BTreeSet::new();
    f.values.retain(|v| seen.insert(v.clone()));
    f.values_lost = announced && f.values.is_empty() && f.int_values.is_empty();
    f.text = text
        .iter()
        .filter(|t| !t.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions() {
        let f = facts("Whether query results are displayed in descending order.\nValue: true (descending order) or false (ascending order).");
        assert_eq!(f.values, ["true", "false"]);
        let f = facts("Execution status.\n• SUBMITTED\n• RUNNING");
        assert_eq!(f.values, ["SUBMITTED", "RUNNING"]);
        assert_eq!(f.text, "Execution status.");
        let f = facts("API version. Fixed value: v1.");
        assert_eq!(f.fixed.as_deref(), Some("v1"));
        let f = facts("Message body type (format). Default value: application/json;charset=utf8.");
        assert_eq!(f.default.as_deref(), Some("application/json;charset=utf8"));
        let f = facts("Definition Task status. Range\nDefault Value N/A");
        assert_eq!(
            f,
            Facts {
                text: "Definition Task status. Range Default Value N/A".into(),
                ..Facts::default()
            }
        );
        let f = facts("Number of records. Minimum: 1 Maximum: 500 Default value: 10");
        assert_eq!(
            (f.minimum, f.maximum, f.default.as_deref()),
            (Some(1.0), Some(500.0), Some("10"))
        );
        let f = facts("Operation.\n1: Create\n2: Delete");
        assert_eq!(f.int_values, [1, 2]);
        let f = facts("State.\nEnumerated value:");
        assert!(f.values_lost);
    }

    #[test]
    fn cell_kinds() {
        for t in [
            "String",
            "Integer",
            "Array<Object>",
            "Array of Task objects",
            "JobSpec object",
            "Map<String,String>",
            "Boolean",
        ] {
            assert!(is_type(t), "{t}");
        }
        for t in ["Yes", "Task status.", "SUBMITTED", "Offset."] {
            assert!(!is_type(t), "{t}");
        }
        assert!(is_name("X-Auth-Token") && is_name("task_count") && is_name("metadata.name"));
        assert!(!is_name("Offset.") && !is_name("Job ID.") && !is_name("URI"));
    }
}
