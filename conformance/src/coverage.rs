//! `conformance coverage`: what the checked traffic exercised of the spec — operations,
//! documented statuses, parameters and the values of enum and boolean ones, response fields (seen
//! with a value, seen `null`, absent), enum values of response fields, documented alternative
//! spellings — counted per operation from the same exchanges `check` reads.
//!
//! Counting is keyed by the compiled walk shapes, not by instance pointers, so a recursive
//! schema's fields are counted once per schema whatever the depth.

use crate::recordings::{header, Exchange};
use crate::spec::{PropShape, Shape, SpecSet};
use crate::url::{percent_decode, query_pairs, split_url};
use codegen::ir::{ParamIn, TypeKind, TypeRef};
use serde_json::Value;
use std::collections::BTreeMap;

mod report;

pub use report::{CoverageReport, Item, ItemKind, OperationCoverage, FORMAT_VERSION};

/// How often a response field was seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldCount {
    /// With a value (not `null`).
    pub value: u64,
    /// As `null`.
    pub null: u64,
    /// Absent from an object that was there.
    pub absent: u64,
}

/// What the traffic showed of one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpCount {
    /// Exchanges routed to it.
    pub calls: u64,
    /// Per documented response (the IR's order).
    pub statuses: Vec<u64>,
    /// Statuses the spec does not document.
    pub undocumented: BTreeMap<u16, u64>,
    /// Per parameter (the IR's order): requests that sent it.
    pub params: Vec<u64>,
    /// Per parameter: how often each value was sent (enum and boolean parameters only).
    pub param_values: Vec<BTreeMap<String, u64>>,
    /// (object shape, property) → counts.
    pub fields: BTreeMap<(usize, usize), FieldCount>,
    /// (object shape, property, value) → count, for enum-valued properties.
    pub enum_values: BTreeMap<(usize, usize, String), u64>,
    /// (object shape, property, spelling) → count, for documented alternative spellings.
    pub spellings: BTreeMap<(usize, usize, String), u64>,
}

impl OpCount {
    fn add(&mut self, other: &OpCount) {
        self.calls += other.calls;
        add_vec(&mut self.statuses, &other.statuses);
        add_vec(&mut self.params, &other.params);
        for (k, v) in &other.undocumented {
            *self.undocumented.entry(*k).or_default() += v;
        }
        if self.param_values.len() < other.param_values.len() {
            self.param_values
                .resize_with(other.param_values.len(), BTreeMap::new);
        }
        for (mine, theirs) in self.param_values.iter_mut().zip(&other.param_values) {
            for (k, v) in theirs {
                *mine.entry(k.clone()).or_default() += v;
            }
        }
        for (k, v) in &other.fields {
            let f = self.fields.entry(*k).or_default();
            f.value += v.value;
            f.null += v.null;
            f.absent += v.absent;
        }
        for (k, v) in &other.enum_values {
            *self.enum_values.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.spellings {
            *self.spellings.entry(k.clone()).or_default() += v;
        }
    }
}

fn add_vec(a: &mut Vec<u64>, b: &[u64]) {
    if a.len() < b.len() {
        a.resize(b.len(), 0);
    }
    for (x, y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

/// Counts for every operation of every document, `[module][operation]`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Per module, per operation.
    pub ops: Vec<Vec<OpCount>>,
    /// Exchanges counted.
    pub exchanges: u64,
}

impl Coverage {
    /// Empty counts shaped like the spec set.
    pub fn new(specs: &SpecSet) -> Self {
        Coverage {
            ops: specs
                .modules
                .iter()
                .map(|m| {
                    m.api
                        .operations
                        .iter()
                        .map(|op| OpCount {
                            statuses: vec![0; op.responses.len()],
                            params: vec![0; op.params.len()],
                            param_values: vec![BTreeMap::new(); op.params.len()],
                            ..OpCount::default()
                        })
                        .collect()
                })
                .collect(),
            exchanges: 0,
        }
    }

    /// Adds another run's counts (a worker's).
    pub fn add(&mut self, other: &Coverage) {
        self.exchanges += other.exchanges;
        for (mine, theirs) in self.ops.iter_mut().zip(&other.ops) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                a.add(b);
            }
        }
    }

    /// Counts one exchange routed to operation `at`.
    pub fn observe(&mut self, specs: &SpecSet, at: (usize, usize), ex: &Exchange) {
        let module = &specs.modules[at.0];
        let op = module.ir_operation(at.1);
        let Some(count) = self.ops.get_mut(at.0).and_then(|m| m.get_mut(at.1)) else {
            return;
        };
        self.exchanges += 1;
        count.calls += 1;
        match op.response_for(ex.status) {
            Some(ri) => {
                count.statuses[ri] += 1;
                let shape = module.response_shapes[at.1][ri];
                if op.responses[ri].schema_pointer.is_some() && shape != 0 {
                    if let Ok(body) = serde_json::from_slice::<Value>(&ex.body) {
                        walk(module.shapes.arena(), shape, &body, count, 0);
                    }
                }
            }
            None => *count.undocumented.entry(ex.status).or_default() += 1,
        }
        if let (Some(headers), Some(url)) = (&ex.request_headers, &ex.url) {
            params(specs, at, headers, url, count);
        }
    }
}

/// Which parameters a request sent, and the values of enum and boolean ones.
fn params(
    specs: &SpecSet,
    at: (usize, usize),
    headers: &[(String, String)],
    url: &str,
    count: &mut OpCount,
) {
    let module = &specs.modules[at.0];
    let op = module.ir_operation(at.1);
    let (_, path, query) = split_url(url);
    let path_params = module.paths[at.1].matches(path).unwrap_or_default();
    let query = query_pairs(query.unwrap_or(""));
    for (pi, p) in op.params.iter().enumerate() {
        let name = p.wire_name.as_str();
        let value = match p.location {
            ParamIn::Header => header(headers, name).map(str::to_owned),
            ParamIn::Path => path_params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| percent_decode(v)),
            ParamIn::Query => query
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone()),
        };
        let Some(value) = value else { continue };
        count.params[pi] += 1;
        if !param_values(&module.api, &p.ty).is_empty() {
            *count.param_values[pi].entry(value).or_default() += 1;
        }
    }
}

/// The documented values of an enum or boolean parameter (empty for any other).
pub fn param_values(api: &codegen::ir::Api, ty: &TypeRef) -> Vec<String> {
    match ty {
        TypeRef::Bool | TypeRef::BooleanString => vec!["true".into(), "false".into()],
        TypeRef::Named(n) => match api.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
            Some(TypeKind::Enum(e)) => e.variants.iter().map(|v| v.wire.clone()).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Counts what a body shows of its shape.
fn walk(arena: &[Shape], shape: usize, value: &Value, count: &mut OpCount, depth: usize) {
    if depth > 128 {
        return;
    }
    match (&arena[shape], value) {
        (Shape::Array { items }, Value::Array(list)) => {
            for item in list {
                walk(arena, *items, item, count, depth + 1);
            }
        }
        (Shape::Object { props, .. }, Value::Object(obj)) => {
            for (pi, p) in props.iter().enumerate() {
                let (spelling, v) = find(p, obj);
                let f = count.fields.entry((shape, pi)).or_default();
                match v {
                    None => f.absent += 1,
                    Some(Value::Null) => f.null += 1,
                    Some(v) => {
                        f.value += 1;
                        if let (Shape::Enum { .. }, Some(text)) = (&arena[p.shape], enum_text(v)) {
                            *count.enum_values.entry((shape, pi, text)).or_default() += 1;
                        }
                        walk(arena, p.shape, v, count, depth + 1);
                    }
                }
                if let Some(s) = spelling {
                    *count
                        .spellings
                        .entry((shape, pi, s.to_owned()))
                        .or_default() += 1;
                }
            }
        }
        _ => {}
    }
}

/// A property's value in an object, by its canonical name, a documented alternative spelling
/// (returned when that is the one used) or a tolerated one.
fn find<'v>(
    p: &'v PropShape,
    obj: &'v serde_json::Map<String, Value>,
) -> (Option<&'v str>, Option<&'v Value>) {
    if let Some(v) = obj.get(&p.name) {
        return (None, Some(v));
    }
    for a in &p.aliases {
        if let Some(v) = obj.get(a) {
            return (Some(a.as_str()), Some(v));
        }
    }
    // A tolerated spelling (`x-tolerated-aliases`) is followed, as the models read it, but it is
    // not a documented spelling to count.
    for t in &p.tolerated {
        if let Some(v) = obj.get(t) {
            return (None, Some(v));
        }
    }
    (None, None)
}

fn enum_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
