//! Schemas from cells: the type cell, then the facts of the description (enums, fixed and
//! default values, bounds), and what example values say (timestamps).

use super::*;

/// What a type cell says.
pub(super) enum Kind {
    Scalar(Value),
    /// A type this importer does not know (a cell may be missing): read as a string.
    Unknown,
    /// An object: its type name, if the cell gives one.
    Object(Option<String>),
    /// An array of objects: its item type name, if given.
    ObjectArray(Option<String>),
    /// An array of scalars.
    ScalarArray(Value),
    /// A map of string to scalars.
    Map(Value),
}

pub(super) fn scalar(t: &str) -> Option<Value> {
    Some(match t.to_ascii_lowercase().trim() {
        "string" | "date" | "timestamp" | "uuid" | "file" | "byte" | "strings" => {
            json!({"type": "string"})
        }
        "integer" | "int" | "int32" | "integers" => json!({"type": "integer"}),
        "long" | "int64" => json!({"type": "integer", "format": "int64"}),
        "number" | "float" | "double" | "numbers" => json!({"type": "number"}),
        "boolean" | "bool" | "booleans" => json!({"type": "boolean"}),
        _ => return None,
    })
}

pub(super) fn kind(ty: &str) -> Kind {
    let t = ty.trim();
    let lower = t.to_ascii_lowercase();
    if let Some(s) = scalar(t) {
        return Kind::Scalar(s);
    }
    if lower == "object" {
        return Kind::Object(None);
    }
    let inner: Option<&str> =
        if (lower.starts_with("array<") || lower.starts_with("list<")) && t.ends_with('>') {
            t.find('<').map(|i| &t[i + 1..t.len() - 1])
        } else if lower.starts_with("array of ") {
            Some(&t[9..])
        } else if lower.starts_with("list of ") {
            Some(&t[8..])
        } else {
            None
        };
    if let Some(inner) = inner {
        let inner = inner.trim();
        if let Some(s) = scalar(inner) {
            return Kind::ScalarArray(s);
        }
        if inner.eq_ignore_ascii_case("object") || inner.eq_ignore_ascii_case("objects") {
            return Kind::ObjectArray(None);
        }
        let name = inner
            .trim_end_matches(" objects")
            .trim_end_matches(" object")
            .trim();
        return Kind::ObjectArray(Some(name.to_owned()).filter(|n| !n.is_empty()));
    }
    if lower.starts_with("map<") {
        let value = lower
            .trim_end_matches('>')
            .split(',')
            .nth(1)
            .and_then(|v| scalar(v.trim()))
            .unwrap_or_else(|| json!({}));
        return Kind::Map(value);
    }
    if lower.ends_with(" object") || lower.ends_with(" objects") {
        let name = t.rsplit_once(' ').map_or(t, |(n, _)| n).trim();
        return Kind::Object(Some(name.to_owned()));
    }
    if lower == "array" || lower == "list" {
        return Kind::ScalarArray(json!({"type": "string"}));
    }
    // `Table 3` in the Type column: an object described by that table.
    if caption_number(t).is_some() {
        return Kind::Object(None);
    }
    Kind::Unknown
}

/// `Table 3` → 3.
pub(super) fn caption_number(t: &str) -> Option<usize> {
    t.trim().strip_prefix("Table ")?.trim().parse().ok()
}

/// A scalar schema with the facts of its description.
pub(super) fn decorate(mut schema: Value, f: &Facts, row: &Row, notes: &mut Vec<Note>) -> Value {
    let ty = schema["type"].as_str().unwrap_or("string").to_owned();
    let typed = |v: &str| -> Value {
        match ty.as_str() {
            "integer" => v
                .parse::<i64>()
                .map_or_else(|_| Value::from(v), Value::from),
            "number" => v
                .parse::<f64>()
                .map_or_else(|_| Value::from(v), Value::from),
            "boolean" => v
                .parse::<bool>()
                .map_or_else(|_| Value::from(v), Value::from),
            _ => Value::from(v),
        }
    };
    if let Some(c) = &f.fixed {
        schema["const"] = typed(c);
    }
    if !f.int_values.is_empty() && matches!(ty.as_str(), "integer" | "number") {
        schema["enum"] = Value::from(f.int_values.clone());
    } else if !f.values.is_empty() {
        let lower: BTreeSet<String> = f.values.iter().map(|v| v.to_ascii_lowercase()).collect();
        if ty == "string" && lower == BTreeSet::from(["true".to_owned(), "false".to_owned()]) {
            schema["enum"] = json!(["true", "false"]);
            schema["x-boolean-string"] = Value::Bool(true);
        } else {
            schema["enum"] = Value::Array(f.values.iter().map(|v| typed(v)).collect());
        }
    } else if f.values_lost {
        notes.push(Note::unplaced(
            row.line,
            format!("`{}`: the description announces values, but the page lists none (lost in extraction?)", row.name),
        ));
    }
    if let Some(d) = &f.default {
        schema["default"] = typed(d);
    }
    if let (Some(d), Some(Value::Array(values))) = (schema.get("default"), schema.get("enum")) {
        if !values.contains(d) {
            notes.push(Note::unplaced(row.line, format!(
                "`{}`: the default value {d} is not one of the listed values: the draft leaves the default out",
                row.name
            )));
            if let Some(m) = schema.as_object_mut() {
                m.remove("default");
            }
        }
    }
    if let Some(m) = f.minimum {
        schema["minimum"] = number(m);
    }
    if let Some(m) = f.maximum {
        schema["maximum"] = number(m);
    }
    schema
}

pub(super) fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

pub(super) fn described(mut schema: Value, text: &str) -> Value {
    if !text.is_empty() {
        if let Some(m) = schema.as_object_mut() {
            let mut out = Map::new();
            if let Some(r) = m.remove("$ref") {
                out.insert("$ref".into(), r);
            }
            if let Some(t) = m.remove("type") {
                out.insert("type".into(), t);
            }
            out.insert("description".into(), Value::from(text));
            out.extend(std::mem::take(m));
            return Value::Object(out);
        }
    }
    schema
}

/// `2024-06-06T15:55:31.115Z`, `2023-02-16T11:24:07.950175Z`, with an offset.
pub(super) fn timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't')
        && b[13] == b':'
        && b[16] == b':'
        && (s.ends_with('Z') || s.ends_with('z') || s[19..].contains(['+', '-']))
        && s[..4].bytes().all(|c| c.is_ascii_digit())
}

pub(super) fn param_schema(row: &Row, notes: &mut Vec<Note>) -> Value {
    let f = cells::facts(&row.description);
    match kind(&row.ty) {
        Kind::Scalar(s) => decorate(s, &f, row, notes),
        Kind::Unknown => {
            notes.push(Note::unplaced(row.line, format!(
                "`{}`: `{}` is not a type the importer knows (a cell may be missing): read as a string",
                row.name, row.ty
            )));
            decorate(json!({"type": "string"}), &f, row, notes)
        }
        Kind::ScalarArray(s) => json!({"type": "array", "items": decorate(s, &f, row, notes)}),
        _ => json!({"type": "string"}),
    }
}
