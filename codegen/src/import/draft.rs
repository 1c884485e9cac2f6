//! Step 3 of the importer: what the page states → an OpenAPI 3.1 draft in the style of
//! `spec/`, with the page line of each fact (for drift reports) and notes on every quirk.

use super::cells::{self, Facts};
use super::page::{In, ObjTable, Page, Row};
use super::Note;
use crate::names::{pascal, snake};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The draft and where its facts come from.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The OpenAPI document.
    pub doc: Value,
    /// JSON pointer in `doc` → page line.
    pub lines: BTreeMap<String, usize>,
}

use crate::error::escape_token as esc;

/// Verbs of titles, in their `-ing` form, and the verb of the operationId.
const VERBS: &[(&str, &str)] = &[
    ("obtaining", "get"),
    ("querying", "get"),
    ("getting", "get"),
    ("viewing", "get"),
    ("showing", "show"),
    ("listing", "list"),
    ("creating", "create"),
    ("adding", "add"),
    ("deleting", "delete"),
    ("removing", "remove"),
    ("modifying", "update"),
    ("updating", "update"),
    ("changing", "change"),
    ("enabling", "enable"),
    ("disabling", "disable"),
    ("configuring", "configure"),
    ("setting", "set"),
    ("resetting", "reset"),
    ("starting", "start"),
    ("stopping", "stop"),
    ("running", "run"),
    ("executing", "execute"),
    ("binding", "bind"),
    ("unbinding", "unbind"),
    ("attaching", "attach"),
    ("detaching", "detach"),
    ("restoring", "restore"),
    ("resizing", "resize"),
    ("uploading", "upload"),
    ("downloading", "download"),
    ("importing", "import"),
    ("exporting", "export"),
    ("rolling", "roll"),
    ("retrying", "retry"),
    ("cancelling", "cancel"),
    ("canceling", "cancel"),
    ("applying", "apply"),
    ("releasing", "release"),
    ("renaming", "rename"),
    ("scaling", "scale"),
    ("upgrading", "upgrade"),
];

/// A verb's `-ing` form, undone: `deleting` → `delete`, `setting` → `set`, `locking` → `lock`.
fn base_verb(word: &str) -> String {
    if let Some((_, v)) = VERBS.iter().find(|(ing, _)| *ing == word) {
        return (*v).to_owned();
    }
    let Some(stem) = word.strip_suffix("ing").filter(|s| s.len() >= 2) else {
        return word.to_owned();
    };
    let b = stem.as_bytes();
    let last = b[b.len() - 1];
    let vowel = |c: u8| b"aeiou".contains(&c);
    if b.len() >= 2 && b[b.len() - 2] == last && !vowel(last) && !matches!(last, b'l' | b's' | b'z')
    {
        // `stopping` → `stop`
        return stem[..stem.len() - 1].to_owned();
    }
    // `enabl`, `configur`, `creat`, `sav`: the silent e comes back.
    let silent_e = matches!(last, b'v' | b'z' | b'c')
        || (b.len() >= 2 && !vowel(b[b.len() - 2]) && matches!(last, b'l' | b'r'));
    if silent_e {
        format!("{stem}e")
    } else {
        stem.to_owned()
    }
}

/// `Obtaining Job Details` → `get_job_details`; `Batch Deleting Lanterns` →
/// `batch_delete_lanterns`; `Querying Lantern Details - ShowLantern` → `show_lantern` (the
/// SDK's action name, when the title gives one).
pub fn operation_id(title: &str) -> String {
    if let Some((_, action)) = title.rsplit_once(" - ") {
        let action = action.trim();
        if !action.is_empty()
            && !action.contains(' ')
            && action.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return snake(action);
        }
    }
    let words: Vec<String> = title
        .split([' ', '/'])
        .map(|w| {
            w.trim_end_matches("'s")
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut verb_done = false;
    for w in &words {
        if matches!(w.as_str(), "a" | "an" | "the") {
            continue;
        }
        if !verb_done && w != "batch" {
            out.push(base_verb(w));
            verb_done = true;
            continue;
        }
        out.push(w.clone());
    }
    if out.is_empty() {
        return "call".to_owned();
    }
    snake(&out.join("_"))
}

/// What a type cell says.
enum Kind {
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

fn scalar(t: &str) -> Option<Value> {
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

fn kind(ty: &str) -> Kind {
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
fn caption_number(t: &str) -> Option<usize> {
    t.trim().strip_prefix("Table ")?.trim().parse().ok()
}

/// A scalar schema with the facts of its description.
fn decorate(mut schema: Value, f: &Facts, row: &Row, notes: &mut Vec<Note>) -> Value {
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

fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        Value::from(n as i64)
    } else {
        Value::from(n)
    }
}

fn described(mut schema: Value, text: &str) -> Value {
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

/// The tables of one body (a response status or the request), linked into components.
struct Group<'a> {
    tables: &'a [ObjTable],
    claimed: Vec<bool>,
    /// The component each table became (set before its fields are read, so that a table
    /// that refers to itself, or back to an ancestor, becomes a recursive `$ref`).
    built: Vec<Option<String>>,
}

impl<'a> Group<'a> {
    fn new(tables: &'a [ObjTable]) -> Self {
        let mut claimed = vec![false; tables.len()];
        if let Some(first) = claimed.first_mut() {
            *first = true;
        }
        Group {
            tables,
            claimed,
            built: vec![None; tables.len()],
        }
    }
}

impl Group<'_> {
    /// The table for an object field: "See Table N", a caption that names the type or the
    /// field, else the next unclaimed table in page order.
    fn link(&mut self, row: &Row, type_name: Option<&str>) -> Option<usize> {
        if let Some(n) = caption_number(&row.ty) {
            if let Some(i) = self.tables.iter().position(|t| t.number == n) {
                self.claimed[i] = true;
                return Some(i);
            }
        }
        let lower = row.description.to_ascii_lowercase();
        if let Some(at) = lower.find("see table ") {
            let n: String = lower[at + 10..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(n) = n.parse::<usize>() {
                if let Some(i) = self.tables.iter().position(|t| t.number == n) {
                    self.claimed[i] = true;
                    return Some(i);
                }
            }
        }
        let names: Vec<String> = [
            Some(row.name.as_str()),
            type_name,
            row.name.strip_suffix('s'),
        ]
        .into_iter()
        .flatten()
        .map(str::to_ascii_lowercase)
        .collect();
        let by_caption = self.tables.iter().enumerate().position(|(i, t)| {
            !self.claimed[i]
                && t.caption.as_deref().is_some_and(|c| {
                    let c = c.to_ascii_lowercase();
                    names
                        .iter()
                        .any(|n| c == *n || c.starts_with(&format!("{n} ")))
                })
        });
        let i = by_caption.or_else(|| (1..self.tables.len()).find(|&i| !self.claimed[i]))?;
        self.claimed[i] = true;
        Some(i)
    }
}

struct Builder<'a> {
    schemas: Map<String, Value>,
    lines: BTreeMap<String, usize>,
    notes: &'a mut Vec<Note>,
}

impl Builder<'_> {
    fn unique(&self, name: &str) -> String {
        let base = if name.is_empty() {
            "Object".to_owned()
        } else {
            pascal(name)
        };
        let mut n = base.clone();
        let mut k = 2;
        while self.schemas.contains_key(&n) {
            n = format!("{base}{k}");
            k += 1;
        }
        n
    }

    /// A component for table `i` of `group`; returns its name.
    fn component(
        &mut self,
        group: &mut Group<'_>,
        i: usize,
        name: &str,
        description: &str,
    ) -> String {
        if let Some(done) = &group.built[i] {
            return done.clone();
        }
        let name = self.unique(name);
        group.built[i] = Some(name.clone());
        self.schemas.insert(name.clone(), json!({}));
        let table = &group.tables[i];
        let mut props = Map::new();
        let mut required = Vec::new();
        for row in &table.rows {
            let f = cells::facts(&row.description);
            let schema = match kind(&row.ty) {
                Kind::Scalar(s) => decorate(s, &f, row, self.notes),
                Kind::Unknown => {
                    self.notes.push(Note::unplaced(row.line, format!(
                        "`{}`: `{}` is not a type the importer knows (a cell may be missing): read as a string",
                        row.name, row.ty
                    )));
                    decorate(json!({"type": "string"}), &f, row, self.notes)
                }
                Kind::ScalarArray(s) => {
                    json!({"type": "array", "items": decorate(s, &f, row, self.notes)})
                }
                Kind::Map(v) => json!({"type": "object", "additionalProperties": v}),
                Kind::Object(type_name) | Kind::ObjectArray(type_name) => {
                    let array = matches!(kind(&row.ty), Kind::ObjectArray(_));
                    match group.link(row, type_name.as_deref()) {
                        Some(j) => {
                            let caption =
                                group.tables[j].caption.clone().filter(|c| !c.contains(' '));
                            let child_name = type_name
                                .clone()
                                .or(caption)
                                .unwrap_or_else(|| row.name.trim_end_matches('s').to_owned());
                            let child = self.component(group, j, &child_name, &f.text);
                            let r = json!({"$ref": format!("#/components/schemas/{child}")});
                            if array {
                                json!({"type": "array", "items": r})
                            } else {
                                r
                            }
                        }
                        None => {
                            self.notes.push(Note::unplaced(
                                row.line,
                                format!("`{}` is an object, but no table describes it", row.name),
                            ));
                            if array {
                                json!({"type": "array", "items": {"type": "object"}})
                            } else {
                                json!({"type": "object"})
                            }
                        }
                    }
                }
            };
            let schema = described(schema, &f.text);
            if row.mandatory == Some(true) {
                required.push(Value::from(row.name.clone()));
            }
            self.lines.insert(
                format!(
                    "/components/schemas/{}/properties/{}",
                    esc(&name),
                    esc(&row.name)
                ),
                row.line,
            );
            props.insert(row.name.clone(), schema);
        }
        let mut c = json!({"type": "object"});
        if !description.is_empty() {
            c["description"] = Value::from(description);
        }
        if !required.is_empty() {
            c["required"] = Value::Array(required);
        }
        c["properties"] = Value::Object(props);
        self.lines
            .insert(format!("/components/schemas/{}", esc(&name)), table.line);
        self.schemas.insert(name.clone(), c);
        name
    }

    /// The component a `$ref` names.
    fn target(&self, schema: &Value) -> Option<String> {
        let r = schema
            .get("$ref")
            .or_else(|| schema.get("items").and_then(|i| i.get("$ref")))?;
        r.as_str()?
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned)
    }

    /// Lines up the example with the tables: spellings, example-only and table-only fields,
    /// JSON inside strings, timestamps.
    fn reconcile(&mut self, name: &str, example: &Value, line: usize, seen: &mut BTreeSet<String>) {
        let Some(obj) = example.as_object() else {
            return;
        };
        if !seen.insert(name.to_owned()) {
            return;
        }
        let Some(props) = self.schemas[name]["properties"].as_object().cloned() else {
            return;
        };
        let exact = props.keys().filter(|k| obj.contains_key(*k)).count();
        let folded = props
            .keys()
            .filter(|k| !obj.contains_key(*k) && obj.keys().any(|e| e.eq_ignore_ascii_case(k)))
            .count();
        let upper_table = props
            .keys()
            .all(|k| !k.chars().any(|c| c.is_ascii_lowercase()));
        let lowercase_on_wire = exact == 0 && folded > 0 && upper_table;
        let mut out = Map::new();
        for (table_name, mut schema) in props {
            let pointer = format!(
                "/components/schemas/{}/properties/{}",
                esc(name),
                esc(&table_name)
            );
            let row_line = self.lines.get(&pointer).copied().unwrap_or(line);
            let wire = if lowercase_on_wire {
                obj.keys()
                    .find(|e| e.eq_ignore_ascii_case(&table_name))
                    .cloned()
                    .unwrap_or_else(|| table_name.to_ascii_lowercase())
            } else {
                table_name.clone()
            };
            if wire != table_name {
                schema["x-aliases"] = json!([table_name]);
            }
            match obj.get(&wire) {
                None => self.notes.push(Note::quirk(
                    row_line,
                    format!("`{table_name}` is in the table but not in the example response"),
                )),
                Some(v) => {
                    if let Some(s) = v.as_str() {
                        if schema.get("type") == Some(&json!("string"))
                            && schema.get("enum").is_none()
                        {
                            let t = s.trim_start();
                            if (t.starts_with('{') || t.starts_with('['))
                                && serde_json::from_str::<Value>(s).is_ok()
                            {
                                schema["contentMediaType"] = json!("application/json");
                            } else if timestamp(s) {
                                schema["format"] = json!("date-time");
                            }
                        }
                    }
                    if let Some(child) = self.target(&schema) {
                        let inner = if v.is_array() {
                            v.get(0).cloned().unwrap_or(Value::Null)
                        } else {
                            v.clone()
                        };
                        self.reconcile(&child, &inner, line, seen);
                    }
                }
            }
            let new_pointer = format!(
                "/components/schemas/{}/properties/{}",
                esc(name),
                esc(&wire)
            );
            self.lines.insert(new_pointer, row_line);
            out.insert(wire, schema);
        }
        for (key, v) in obj {
            if out.contains_key(key) {
                continue;
            }
            let mut schema = match v {
                Value::Bool(_) => json!({"type": "boolean"}),
                Value::Number(n) if n.is_i64() || n.is_u64() => json!({"type": "integer"}),
                Value::Number(_) => json!({"type": "number"}),
                Value::Array(_) => json!({"type": "array"}),
                Value::Object(_) => json!({"type": "object"}),
                _ => json!({"type": "string"}),
            };
            schema["x-from-example"] = Value::Bool(true);
            self.notes.push(Note::quirk(
                line,
                format!(
                    "`{key}` is in the example response but in no table: added with x-from-example"
                ),
            ));
            out.insert(key.clone(), schema);
        }
        self.schemas[name]["properties"] = Value::Object(out);
    }
}

/// `2024-06-06T15:55:31.115Z`, `2023-02-16T11:24:07.950175Z`, with an offset.
fn timestamp(s: &str) -> bool {
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

fn param_schema(row: &Row, notes: &mut Vec<Note>) -> Value {
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

fn error_body() -> Value {
    json!({
        "type": "object",
        "description": "Huawei Cloud error body.",
        "required": ["error_code", "error_msg"],
        "properties": {
            "error_code": {"type": "string", "description": "Error code."},
            "error_msg": {"type": "string", "description": "Error message."},
            "request_id": {"type": "string", "description": "Request ID, added by the API gateway to its own errors."}
        }
    })
}

fn status_text(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        _ => "Response",
    }
}

/// Builds the draft.
pub fn build(page: &Page, notes: &mut Vec<Note>) -> Draft {
    let (uri_line, method, path) = page.uri.clone().unwrap_or_default();
    let title = page
        .title
        .clone()
        .map(|(_, t)| t)
        .unwrap_or_else(|| "API".to_owned());
    let op_id = operation_id(&title);
    let op_ptr = format!("/paths/{}/{}", esc(&path), method.to_ascii_lowercase());
    let mut b = Builder {
        schemas: Map::new(),
        lines: BTreeMap::new(),
        notes,
    };
    b.lines.insert(op_ptr.clone(), uri_line);

    // Parameters; the token header is the security scheme.
    let mut params = Vec::new();
    let mut token: Option<(String, String)> = None;
    for (loc, row) in &page.params {
        if *loc == In::Header && row.name.eq_ignore_ascii_case("x-auth-token") {
            token = Some((row.name.clone(), cells::facts(&row.description).text));
            continue;
        }
        let required = *loc == In::Path || row.mandatory == Some(true);
        let mut p = json!({
            "name": row.name,
            "in": match loc { In::Path => "path", In::Query => "query", In::Header => "header" },
            "required": required,
        });
        let f = cells::facts(&row.description);
        if !f.text.is_empty() {
            p["description"] = Value::from(f.text.clone());
        }
        p["schema"] = param_schema(row, b.notes);
        b.lines
            .insert(format!("{op_ptr}/parameters/{}", params.len()), row.line);
        params.push(p);
    }

    // The path and its parameters must agree (validators refuse a draft where they do not).
    let placeholders: Vec<String> = path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
        .collect();
    let mut seen_params: Vec<(String, String)> = Vec::new();
    let mut kept = Vec::new();
    for (i, mut p) in params.into_iter().enumerate() {
        let line = b
            .lines
            .remove(&format!("{op_ptr}/parameters/{i}"))
            .unwrap_or(uri_line);
        let name = p["name"].as_str().unwrap_or("").to_owned();
        if p["in"] == "path" && !placeholders.contains(&name) {
            b.notes.push(Note::unplaced(line, format!("path parameter `{name}` is not in the path: the draft makes it a query parameter")));
            p["in"] = json!("query");
            p["required"] = json!(false);
        }
        let place = p["in"].as_str().unwrap_or("").to_owned();
        let key = (
            if place == "header" {
                name.to_ascii_lowercase()
            } else {
                name.clone()
            },
            place,
        );
        if seen_params.contains(&key) {
            b.notes.push(Note::unplaced(
                line,
                format!("parameter `{name}` is listed twice: the draft keeps the first"),
            ));
            continue;
        }
        seen_params.push(key);
        b.lines
            .insert(format!("{op_ptr}/parameters/{}", kept.len()), line);
        kept.push(p);
    }
    for name in &placeholders {
        if !seen_params.iter().any(|(n, p)| n == name && p == "path") {
            b.notes.push(Note::quirk(
                uri_line,
                format!("path parameter `{name}` has no table row: added as a required string"),
            ));
            b.lines
                .insert(format!("{op_ptr}/parameters/{}", kept.len()), uri_line);
            kept.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
    }
    let params = kept;

    // Responses.
    let mut responses = Map::new();
    let mut codes: BTreeSet<u16> = page.statuses.iter().map(|(_, c, _)| *c).collect();
    codes.extend(page.responses.iter().map(|(c, _)| *c));
    if codes.is_empty() {
        codes.insert(200);
    }
    let mut error_used = false;
    let pascal_op = pascal(&op_id);
    for code in &codes {
        let line = page
            .statuses
            .iter()
            .find(|(_, c, _)| c == code)
            .map(|(l, _, _)| *l)
            .unwrap_or(uri_line);
        let description = page
            .statuses
            .iter()
            .find(|(_, c, _)| c == code)
            .map(|(_, _, d)| d.clone())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| status_text(*code).to_owned());
        let mut r = json!({"description": description});
        if let Some((_, tables)) = page.responses.iter().find(|(c, _)| c == code) {
            let mut group = Group::new(tables);
            let base = if *code < 300 {
                format!("{pascal_op}Response")
            } else {
                format!("{pascal_op}Error{code}")
            };
            let name = b.component(&mut group, 0, &base, &format!("Response of {title}."));
            for (i, t) in tables.iter().enumerate() {
                if !group.claimed[i] {
                    b.notes
                        .push(Note::unplaced(t.line, "a table no field refers to"));
                }
            }
            // A body that is an array: one row named `[items]` (or `[…]`) in the top table.
            let top = &tables[0];
            let array_row = (top.rows.len() == 1 && top.rows[0].name.starts_with('['))
                .then(|| top.rows[0].name.clone());
            let schema = match &array_row {
                Some(row) => {
                    let item = b.schemas[&name]["properties"][row].clone();
                    b.schemas.remove(&name);
                    let mut item = item;
                    if let Some(m) = item.as_object_mut() {
                        m.remove("description");
                    }
                    item
                }
                None => json!({"$ref": format!("#/components/schemas/{name}")}),
            };
            let examples: Vec<&(usize, Option<u16>, Value)> = {
                let exact: Vec<_> = page
                    .examples
                    .iter()
                    .filter(|(_, s, _)| *s == Some(*code))
                    .collect();
                if exact.is_empty() && *code < 300 {
                    page.examples
                        .iter()
                        .filter(|(_, s, _)| s.is_none())
                        .collect()
                } else {
                    exact
                }
            };
            let mut media = json!({"schema": schema.clone()});
            let mut listed = Map::new();
            for (k, (l, _, v)) in examples.iter().enumerate() {
                let target = b.target(&schema);
                let inner = if v.is_array() && array_row.is_some() {
                    v.get(0).cloned().unwrap_or(Value::Null)
                } else {
                    v.clone()
                };
                if let Some(t) = target {
                    b.reconcile(&t, &inner, *l, &mut BTreeSet::new());
                }
                let key = if k == 0 {
                    "doc".to_owned()
                } else {
                    format!("doc{}", k + 1)
                };
                listed.insert(
                    key,
                    json!({"summary": "An example response of the doc page.", "value": v}),
                );
            }
            if !listed.is_empty() {
                media["examples"] = Value::Object(listed);
            }
            r["content"] = json!({"application/json": media});
        } else if *code >= 400 {
            error_used = true;
            r["content"] = json!({"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}});
        }
        b.lines.insert(format!("{op_ptr}/responses/{code}"), line);
        responses.insert(code.to_string(), r);
    }
    if page.error_codes.is_some() && !codes.iter().any(|c| *c >= 400) {
        error_used = true;
        responses.insert(
            "default".into(),
            json!({"description": "Error. See Error Codes.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}),
        );
        b.lines.insert(
            format!("{op_ptr}/responses/default"),
            page.error_codes.unwrap_or(0),
        );
    }
    for (l, s, _) in &page.examples {
        if s.is_some_and(|s| !page.responses.iter().any(|(c, _)| *c == s)) {
            b.notes.push(Note::ignored(
                *l,
                "an example for a status without a response table",
            ));
        }
    }

    // Request body.
    let mut request_body = None;
    if !page.request.is_empty() {
        let mut group = Group::new(&page.request);
        let name = b.component(
            &mut group,
            0,
            &format!("{pascal_op}RequestBody"),
            &format!("Request body of {title}."),
        );
        for (i, t) in page.request.iter().enumerate() {
            if !group.claimed[i] {
                b.notes
                    .push(Note::unplaced(t.line, "a request table no field refers to"));
            }
        }
        request_body = Some(
            json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}}),
        );
    }
    if error_used {
        b.schemas.insert("ErrorResponse".into(), error_body());
    }

    let mut op = json!({"operationId": op_id});
    let summary = page
        .function
        .first()
        .cloned()
        .unwrap_or_else(|| title.clone());
    op["summary"] = Value::from(summary);
    let mut description: Vec<String> = page.function.clone();
    description.extend(page.more.iter().cloned());
    if !description.is_empty() {
        op["description"] = Value::from(description.join(" "));
    }
    if !params.is_empty() {
        op["parameters"] = Value::Array(params);
    }
    if let Some(rb) = request_body {
        op["requestBody"] = rb;
    }
    op["responses"] = Value::Object(responses);

    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": title, "version": path.split('/').nth(1).filter(|v| v.starts_with('v')).unwrap_or("1"), "description": format!("Draft imported from the API reference page \"{title}\".")},
    });
    match page.hosts.first() {
        Some((_, host)) => {
            let parts: Vec<&str> = host.split('.').collect();
            if parts.len() >= 4 && host.ends_with(".myhuaweicloud.com") {
                doc["servers"] = json!([{"url": format!("https://{}.{{region}}.{}", parts[0], parts[2..].join(".")), "variables": {"region": {"default": parts[1]}}}]);
            } else {
                doc["servers"] = json!([{"url": format!("https://{host}")}]);
            }
        }
        None => b.notes.push(Note::quirk(
            uri_line,
            "the page names no host (only `{endpoint}`): the draft has no `servers`",
        )),
    }
    let mut security = Vec::new();
    let mut schemes = Map::new();
    if let Some((name, description)) = &token {
        schemes.insert(
            "token".into(),
            json!({"type": "apiKey", "in": "header", "name": name, "description": description}),
        );
        security.push(json!({"token": []}));
    }
    if page.aksk {
        schemes.insert("aksk".into(), json!({
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "AK/SK request signing (SDK-HMAC-SHA256), with the signing time in X-Sdk-Date.",
            "x-signing": {"algorithm": "SDK-HMAC-SHA256", "date-header": "X-Sdk-Date", "security-token-header": "X-Security-Token"}
        }));
        security.push(json!({"aksk": []}));
    }
    if !security.is_empty() {
        doc["security"] = Value::Array(security);
    }
    doc["paths"] = json!({ path.clone(): { method.to_ascii_lowercase(): op } });
    let mut components = Map::new();
    if !schemes.is_empty() {
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    components.insert(
        "schemas".into(),
        Value::Object(std::mem::take(&mut b.schemas)),
    );
    doc["components"] = Value::Object(components);
    Draft {
        doc,
        lines: b.lines,
    }
}

#[cfg(test)]
mod tests {
    use super::operation_id;

    #[test]
    fn operation_ids_from_titles() {
        for (title, id) in [
            ("Obtaining Job Details", "get_job_details"),
            ("Enabling a Lantern", "enable_lantern"),
            (
                "Configuring Lantern Tags/Labels",
                "configure_lantern_tags_labels",
            ),
            (
                "Setting Lantern Quotas Per Region",
                "set_lantern_quotas_per_region",
            ),
            ("Batch Deleting Lanterns", "batch_delete_lanterns"),
            ("Querying Lantern Details - ShowLantern", "show_lantern"),
            (
                "Querying Information about ECSs' NICs",
                "get_information_about_ecss_nics",
            ),
            ("Locking a Gate", "lock_gate"),
            ("Saving Settings", "save_settings"),
            ("Stopping an Instance", "stop_instance"),
        ] {
            assert_eq!(operation_id(title), id, "{title}");
        }
    }
}
