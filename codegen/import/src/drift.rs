//! What a page states against what a spec document states: operations, parameters (place,
//! required, type, enum, fixed value), status codes, and the fields of success bodies (type,
//! required, enum, fixed value, documented alternative spellings). Both sides are read the
//! same way from an OpenAPI document, so drift runs both ways.
//!
//! Not compared, because a page cannot state them: extensions other than `x-aliases`
//! (`x-terminal`, `x-job`, `x-open-enum`…), descriptions, examples, formats, servers and
//! security. Error bodies: a page names its statuses, the body is Huawei's error body by the
//! project's convention, so only the status is compared. A schema with `x-source` (a fact
//! taken from elsewhere than the page, said where) has its `enum` and `const` left out.

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One subject (an operation, a parameter, a status, a field) and its attributes.
#[derive(Debug, Clone, Default)]
struct Subject {
    /// Where it lives in its document.
    pointer: String,
    attrs: BTreeMap<&'static str, Value>,
}

/// A difference.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Drift {
    /// `added` (the page states it, the spec does not), `removed` (the spec states it, the
    /// page does not) or `changed`.
    pub kind: &'static str,
    /// What: `GET /v3/{project_id}/cas/jobs/{job_id} 200 body /job/execution_status`.
    pub subject: String,
    /// Which attribute changed (`enum`, `type`, `required`…), for `changed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<&'static str>,
    /// The spec's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<Value>,
    /// The page's value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<Value>,
    /// JSON pointer in the spec (of the fact, or of where an added one would go).
    pub spec_pointer: String,
    /// Line of the page, when the page states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page_line: Option<usize>,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<8} {}", self.kind, self.subject)?;
        if let Some(a) = self.attribute {
            let show = |v: &Option<Value>| v.as_ref().map_or("(none)".to_owned(), Value::to_string);
            write!(
                f,
                ": {a}: spec {} → page {}",
                show(&self.spec),
                show(&self.page)
            )?;
        }
        write!(f, " (spec #{}", self.spec_pointer)?;
        if let Some(l) = self.page_line {
            write!(f, ", page line {l}")?;
        }
        f.write_str(")")
    }
}

use codegen::error::escape_token as esc;

struct Reader<'a> {
    doc: &'a Value,
    out: BTreeMap<String, Subject>,
}

impl Reader<'_> {
    /// Follows local `$ref`s; the pointer of the schema reached.
    fn resolve<'b>(&'b self, schema: &'b Value, pointer: &str) -> (&'b Value, String) {
        let mut s = schema;
        let mut p = pointer.to_owned();
        for _ in 0..32 {
            match s.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with("#/") => match self.doc.pointer(&r[1..]) {
                    Some(t) => {
                        p = r[1..].to_owned();
                        s = t;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        (s, p)
    }

    fn ty(schema: &Value) -> Value {
        match schema.get("type") {
            Some(Value::Array(a)) => {
                let t: Vec<&Value> = a.iter().filter(|t| t.as_str() != Some("null")).collect();
                t.first().map_or(Value::Null, |v| (*v).clone())
            }
            Some(t) => t.clone(),
            None if schema.get("properties").is_some() => json!("object"),
            None if schema.get("enum").is_some() => json!("string"),
            None => Value::Null,
        }
    }

    fn values(wrapper: &Value, resolved: &Value, attrs: &mut BTreeMap<&'static str, Value>) {
        let sourced = wrapper.get("x-source").is_some() || resolved.get("x-source").is_some();
        if sourced {
            return;
        }
        let pick = |k: &str| wrapper.get(k).or_else(|| resolved.get(k)).cloned();
        if let Some(Value::Array(mut e)) = pick("enum") {
            e.sort_by_key(Value::to_string);
            attrs.insert("enum", Value::Array(e));
        }
        if let Some(c) = pick("const") {
            attrs.insert("const", c);
        }
    }

    fn body(
        &mut self,
        subject: &str,
        schema: &Value,
        pointer: &str,
        depth: usize,
        seen: &mut BTreeSet<String>,
    ) {
        let (s, p) = self.resolve(schema, pointer);
        if depth > 12 || !seen.insert(p.clone()) {
            return;
        }
        let s = s.clone();
        if let Some(items) = s.get("items") {
            self.body(
                &format!("{subject}/[]"),
                items,
                &format!("{p}/items"),
                depth + 1,
                seen,
            );
        }
        let required: BTreeSet<String> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(props) = s.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                let pp = format!("{p}/properties/{}", esc(name));
                let (resolved, _) = self.resolve(prop, &pp);
                let mut attrs = BTreeMap::new();
                attrs.insert("type", Self::ty(resolved));
                attrs.insert("required", Value::Bool(required.contains(name)));
                Self::values(prop, resolved, &mut attrs);
                let mut aliases: Vec<Value> = prop
                    .get("x-aliases")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                aliases.sort_by_key(Value::to_string);
                if !aliases.is_empty() {
                    attrs.insert("x-aliases", Value::Array(aliases));
                }
                let key = format!("{subject}/{name}");
                self.out.insert(
                    key.clone(),
                    Subject {
                        pointer: pp.clone(),
                        attrs,
                    },
                );
                self.body(&key, prop, &pp, depth + 1, seen);
            }
        }
        seen.remove(&p);
    }

    /// The parameters of an operation, each a subject of its own.
    fn parameters(&mut self, op_name: &str, op_ptr: &str, op: &Value) {
        let params = op
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (i, param) in params.iter().enumerate() {
            let pp = format!("{op_ptr}/parameters/{i}");
            let (param, pp) = self.resolve(param, &pp);
            let (Some(name), Some(place)) = (
                param.get("name").and_then(Value::as_str),
                param.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let name = if place == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_owned()
            };
            let schema = param.get("schema").cloned().unwrap_or(Value::Null);
            let (resolved, _) = self.resolve(&schema, &format!("{pp}/schema"));
            let mut attrs = BTreeMap::new();
            attrs.insert(
                "required",
                Value::Bool(
                    param
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                ),
            );
            attrs.insert("type", Self::ty(resolved));
            Self::values(&schema, resolved, &mut attrs);
            self.out.insert(
                format!("{op_name} {place} parameter {name}"),
                Subject { pointer: pp, attrs },
            );
        }
    }

    fn read(mut self) -> BTreeMap<String, Subject> {
        let doc = self.doc;
        let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
            return self.out;
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            for (method, op) in item {
                if ![
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ]
                .contains(&method.as_str())
                {
                    continue;
                }
                let op_ptr = format!("/paths/{}/{method}", esc(path));
                let op_name = format!("{} {path}", method.to_ascii_uppercase());
                self.out.insert(
                    op_name.clone(),
                    Subject {
                        pointer: op_ptr.clone(),
                        attrs: BTreeMap::new(),
                    },
                );
                self.parameters(&op_name, &op_ptr, op);
                if let Some(body) = op.get("requestBody") {
                    let bp = format!("{op_ptr}/requestBody");
                    let (body, bp) = self.resolve(body, &bp);
                    let body = body.clone();
                    if let Some(schema) = body.pointer("/content/application~1json/schema").cloned()
                    {
                        let required = body
                            .get("required")
                            .and_then(Value::as_bool)
                            .unwrap_or(false);
                        self.out.insert(
                            format!("{op_name} request body"),
                            Subject {
                                pointer: bp.clone(),
                                attrs: BTreeMap::from([("required", Value::Bool(required))]),
                            },
                        );
                        self.body(
                            &format!("{op_name} request body "),
                            &schema,
                            &format!("{bp}/content/application~1json/schema"),
                            0,
                            &mut BTreeSet::new(),
                        );
                    }
                }
                let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                    continue;
                };
                for (code, r) in responses {
                    let rp = format!("{op_ptr}/responses/{}", esc(code));
                    self.out.insert(
                        format!("{op_name} status {code}"),
                        Subject {
                            pointer: rp.clone(),
                            attrs: BTreeMap::new(),
                        },
                    );
                    if !code.starts_with('2') {
                        continue;
                    }
                    let (r, rp) = self.resolve(r, &rp);
                    if let Some(schema) = r.pointer("/content/application~1json/schema").cloned() {
                        // The body itself, so that a field added at its top has a place.
                        let sp = format!("{rp}/content/application~1json/schema");
                        let (_, at) = self.resolve(&schema, &sp);
                        self.out.insert(
                            format!("{op_name} {code} body"),
                            Subject {
                                pointer: at,
                                attrs: BTreeMap::new(),
                            },
                        );
                        self.body(
                            &format!("{op_name} {code} body "),
                            &schema,
                            &format!("{rp}/content/application~1json/schema"),
                            0,
                            &mut BTreeSet::new(),
                        );
                    }
                }
            }
        }
        self.out
    }
}

/// The facts of one document, by subject.
fn subjects(doc: &Value) -> BTreeMap<String, Subject> {
    Reader {
        doc,
        out: BTreeMap::new(),
    }
    .read()
}

/// The page line of a draft pointer: the line of the nearest pointer the draft knows.
fn line_of(lines: &BTreeMap<String, usize>, pointer: &str) -> Option<usize> {
    let mut p = pointer;
    loop {
        if let Some(l) = lines.get(p) {
            return Some(*l);
        }
        p = &p[..p.rfind('/')?];
    }
}

/// Differences between a spec document and a page's draft.
pub fn diff(spec: &Value, page: &super::draft::Draft) -> Vec<Drift> {
    let mut s = subjects(spec);
    let p = subjects(&page.doc);
    // A page states one operation: the spec's other operations are not compared.
    let ops: Vec<String> = p
        .keys()
        .filter(|k| k.split(' ').count() == 2)
        .cloned()
        .collect();
    s.retain(|k, _| {
        ops.iter().any(|op| {
            k == op
                || k.strip_prefix(op.as_str())
                    .is_some_and(|r| r.starts_with(' '))
        })
    });
    let mut out = Vec::new();
    let keys: BTreeSet<&String> = s.keys().chain(p.keys()).collect();
    for k in keys {
        match (s.get(k), p.get(k)) {
            (Some(a), None) => out.push(Drift {
                kind: "removed",
                subject: k.clone(),
                attribute: None,
                spec: None,
                page: None,
                spec_pointer: a.pointer.clone(),
                page_line: None,
            }),
            (None, Some(b)) => {
                // Where it would go in the spec: the nearest ancestor the spec has.
                let mut at = k.as_str();
                let parent = loop {
                    match at.rfind(['/', ' ']) {
                        Some(i) => {
                            at = at[..i].trim_end();
                            if let Some(x) = s.get(at) {
                                break Some(x);
                            }
                        }
                        None => break None,
                    }
                };
                out.push(Drift {
                    kind: "added",
                    subject: k.clone(),
                    attribute: None,
                    spec: None,
                    page: None,
                    spec_pointer: parent.map_or_else(|| "/paths".to_owned(), |x| x.pointer.clone()),
                    page_line: line_of(&page.lines, &b.pointer),
                });
            }
            (Some(a), Some(b)) => {
                let attrs: BTreeSet<&&str> = a.attrs.keys().chain(b.attrs.keys()).collect();
                for attr in attrs {
                    let (x, y) = (a.attrs.get(*attr), b.attrs.get(*attr));
                    if x != y {
                        out.push(Drift {
                            kind: "changed",
                            subject: k.clone(),
                            attribute: Some(attr),
                            spec: x.cloned(),
                            page: y.cloned(),
                            spec_pointer: a.pointer.clone(),
                            page_line: line_of(&page.lines, &b.pointer),
                        });
                    }
                }
            }
            (None, None) => {}
        }
    }
    // A subject missing on one side: its descendants are not listed again.
    let whole: Vec<(String, &'static str)> = out
        .iter()
        .filter(|d| d.attribute.is_none())
        .map(|d| (d.subject.clone(), d.kind))
        .collect();
    out.retain(|d| {
        !whole.iter().any(|(w, kind)| {
            *kind == d.kind
                && d.subject != *w
                && d.subject.starts_with(w.as_str())
                && d.subject[w.len()..].starts_with(['/', ' '])
        })
    });
    out
}
