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
    /// `[object shape][property]` → counts (grown as shapes are met; dense, as the walk of
    /// every body adds to them).
    pub fields: Vec<Vec<FieldCount>>,
    /// `[object shape][property][index of the documented value]` → count, for enum-valued
    /// properties.
    pub enum_values: Vec<Vec<Vec<u64>>>,
    /// (object shape, property, index in its `x-aliases`) → count.
    pub spellings: BTreeMap<(usize, usize, usize), u64>,
}

impl OpCount {
    /// The counts of a field.
    pub fn field(&self, shape: usize, prop: usize) -> FieldCount {
        self.fields
            .get(shape)
            .and_then(|p| p.get(prop))
            .copied()
            .unwrap_or_default()
    }

    /// How often documented value `value` (its index) of an enum-valued field was seen.
    pub fn enum_value(&self, shape: usize, prop: usize, value: usize) -> u64 {
        self.enum_values
            .get(shape)
            .and_then(|p| p.get(prop))
            .and_then(|v| v.get(value))
            .copied()
            .unwrap_or(0)
    }
}

/// `v[i]`, grown with defaults to hold it.
fn slot<T: Default>(v: &mut Vec<T>, i: usize) -> &mut T {
    if v.len() <= i {
        v.resize_with(i + 1, T::default);
    }
    &mut v[i]
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
        for (shape, props) in other.fields.iter().enumerate() {
            for (prop, v) in props.iter().enumerate() {
                let f = slot(slot(&mut self.fields, shape), prop);
                f.value += v.value;
                f.null += v.null;
                f.absent += v.absent;
            }
        }
        for (shape, props) in other.enum_values.iter().enumerate() {
            for (prop, values) in props.iter().enumerate() {
                for (i, n) in values.iter().enumerate() {
                    *slot(slot(slot(&mut self.enum_values, shape), prop), i) += n;
                }
            }
        }
        for (k, v) in &other.spellings {
            *self.spellings.entry(*k).or_default() += v;
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

    /// Counts one exchange routed to operation `at`, whose response body was parsed (by the
    /// checks) into `body` when the spec documents a JSON body for its status.
    pub fn observe(
        &mut self,
        specs: &SpecSet,
        at: (usize, usize),
        ex: &Exchange,
        body: Option<&Value>,
    ) {
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
                if let Some(body) = body.filter(|_| shape != 0) {
                    walk(module.shapes.arena(), shape, body, count, 0);
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
        (Shape::Map { values }, Value::Object(map)) => {
            for v in map.values() {
                walk(arena, *values, v, count, depth + 1);
            }
        }
        (Shape::Array { items }, Value::Array(list)) => {
            for item in list {
                walk(arena, *items, item, count, depth + 1);
            }
        }
        (Shape::Object { props, .. }, Value::Object(obj)) => {
            // Sized once per shape, then indexed directly.
            let fields = slot(&mut count.fields, shape);
            if fields.len() < props.len() {
                fields.resize(props.len(), FieldCount::default());
            }
            for (pi, p) in props.iter().enumerate() {
                let (alias, v) = find(p, obj);
                let f = &mut count.fields[shape][pi];
                match v {
                    None => f.absent += 1,
                    Some(Value::Null) => f.null += 1,
                    Some(v) => {
                        f.value += 1;
                        if let Shape::Enum { values, .. } = &arena[p.shape] {
                            if let Some(i) = enum_index(values, v) {
                                let seen = slot(slot(&mut count.enum_values, shape), pi);
                                *slot(seen, i) += 1;
                            }
                        }
                        walk(arena, p.shape, v, count, depth + 1);
                    }
                }
                if let Some(a) = alias {
                    *count.spellings.entry((shape, pi, a)).or_default() += 1;
                }
            }
        }
        _ => {}
    }
}

/// A property's value in an object, by its canonical name, a documented alternative spelling
/// (returned when that is the one used) or a tolerated one.
fn find<'v>(
    p: &PropShape,
    obj: &'v serde_json::Map<String, Value>,
) -> (Option<usize>, Option<&'v Value>) {
    if let Some(v) = obj.get(&p.name) {
        return (None, Some(v));
    }
    for (i, a) in p.aliases.iter().enumerate() {
        if let Some(v) = obj.get(a) {
            return (Some(i), Some(v));
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

/// The index of a documented enum value (a string, or an integer kept as its decimal text).
fn enum_index(values: &[String], v: &Value) -> Option<usize> {
    match v {
        Value::String(s) => values.iter().position(|d| d == s),
        Value::Number(n) => {
            let text = n.to_string();
            values.iter().position(|d| *d == text)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Shapes;

    #[test]
    fn map_values_are_counted_under_one_pointer() {
        let yaml = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Body:\n      type: object\n      properties:\n        labels:\n          type: object\n          additionalProperties: {$ref: '#/components/schemas/Label'}\n    Label:\n      type: object\n      properties:\n        name: {type: string}\n";
        let api = codegen::api_from_bytes(yaml.as_bytes(), "t.yaml", "t").unwrap();
        let mut shapes = Shapes::default();
        let root = shapes.of(&api, &TypeRef::Named("Body".into()));
        let body =
            serde_json::json!({"labels": {"a": {"name": "x"}, "b": {}, "c": {"name": null}}});
        let mut count = OpCount::default();
        walk(shapes.arena(), root, &body, &mut count, 0);
        let Shape::Object { props, .. } = &shapes.arena()[root] else {
            panic!("an object")
        };
        let Shape::Map { values } = shapes.arena()[props[0].shape] else {
            panic!("a map: {:?}", shapes.arena()[props[0].shape])
        };
        // `name` of the three values: one value, one absent, one null.
        let name = count.field(values, 0);
        assert_eq!((name.value, name.absent, name.null), (1, 1, 1));
        assert_eq!(count.field(root, 0).value, 1, "the map itself");
    }
}
