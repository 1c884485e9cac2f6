//! Object tables into components: each object field finds its table, each table becomes a
//! component; the example response is lined up with the tables.

use super::*;

/// The tables of one body (a response status or the request), linked into components.
pub(super) struct Group<'a> {
    pub(super) tables: &'a [ObjTable],
    pub(super) claimed: Vec<bool>,
    /// The component each table became (set before its fields are read, so that a table
    /// that refers to itself, or back to an ancestor, becomes a recursive `$ref`).
    pub(super) built: Vec<Option<String>>,
}

impl<'a> Group<'a> {
    pub(super) fn new(tables: &'a [ObjTable]) -> Self {
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
    pub(super) fn link(&mut self, row: &Row, type_name: Option<&str>) -> Option<usize> {
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

pub(super) struct Builder<'a> {
    pub(super) schemas: Map<String, Value>,
    pub(super) lines: BTreeMap<String, usize>,
    pub(super) notes: &'a mut Vec<Note>,
}

impl Builder<'_> {
    pub(super) fn unique(&self, name: &str) -> String {
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
    pub(super) fn component(
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
    pub(super) fn target(&self, schema: &Value) -> Option<String> {
        let r = schema
            .get("$ref")
            .or_else(|| schema.get("items").and_then(|i| i.get("$ref")))?;
        r.as_str()?
            .strip_prefix("#/components/schemas/")
            .map(str::to_owned)
    }

    /// Lines up the example with the tables: spellings, example-only and table-only fields,
    /// JSON inside strings, timestamps.
    pub(super) fn reconcile(
        &mut self,
        name: &str,
        example: &Value,
        line: usize,
        seen: &mut BTreeSet<String>,
    ) {
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
