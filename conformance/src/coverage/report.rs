//! The coverage report: every countable item of the spec with how often the traffic showed it,
//! per operation, as text or JSON.

use super::{param_values, Coverage, OpCount};
use crate::spec::{escape, Shape, SpecModule, SpecSet};
use codegen::ir::StatusKey;
use serde::Serialize;

/// The version of the JSON coverage report.
pub const FORMAT_VERSION: u32 = 1;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    /// The operation was called.
    Operation,
    /// A documented status was answered.
    Status,
    /// A status the spec does not document (listed, not counted in the percentage).
    UndocumentedStatus,
    /// A parameter was sent.
    Parameter,
    /// A value of an enum or boolean parameter was sent.
    ParameterValue,
    /// A response field was seen with a value.
    Field,
    /// A documented value of a response field's enum was seen.
    EnumValue,
    /// A documented alternative spelling of a response field was seen.
    Spelling,
}

/// One counted item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// What it is.
    pub kind: ItemKind,
    /// The module (`servicestage`).
    pub document: String,
    /// The `operationId`.
    pub operation: String,
    /// A body pointer (`/tasks/*/task_status`), or `request:query/limit` for a parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// An enum value, a status, a parameter value, a spelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// How many times it was seen (for a field: with a value); 0 for never.
    pub count: u64,
    /// For a field: how many times it was `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub null: Option<u64>,
    /// For a field: how many times it was absent from an object that was there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub absent: Option<u64>,
}

impl Item {
    /// Whether it counts in the percentage.
    pub fn counted(&self) -> bool {
        self.kind != ItemKind::UndocumentedStatus
    }
}

/// One operation's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationCoverage {
    /// The module.
    pub document: String,
    /// The `operationId`.
    pub operation: String,
    /// Items seen at least once.
    pub covered: usize,
    /// Items counted.
    pub total: usize,
    /// `covered / total`, in percent.
    pub percent: f64,
    /// Every item.
    pub items: Vec<Item>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// Exchanges counted.
    pub exchanges: u64,
    /// Items seen at least once, over every operation.
    pub covered: usize,
    /// Items counted, over every operation.
    pub total: usize,
    /// `covered / total`, in percent.
    pub percent: f64,
    /// Per operation, in the spec's order.
    pub operations: Vec<OperationCoverage>,
}

fn percent(covered: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        (covered as f64 * 1000.0 / total as f64).round() / 10.0
    }
}

impl CoverageReport {
    /// The report of `coverage` over `specs`.
    pub fn new(specs: &SpecSet, coverage: &Coverage) -> Self {
        let mut operations = Vec::new();
        for (mi, m) in specs.modules.iter().enumerate() {
            for (oi, _) in m.api.operations.iter().enumerate() {
                let empty = OpCount::default();
                let count = coverage
                    .ops
                    .get(mi)
                    .and_then(|o| o.get(oi))
                    .unwrap_or(&empty);
                let items = items(m, oi, count);
                let counted = items.iter().filter(|i| i.counted());
                let total = counted.clone().count();
                let covered = counted.filter(|i| i.count > 0).count();
                operations.push(OperationCoverage {
                    document: m.name.clone(),
                    operation: m.ir_operation(oi).id.clone(),
                    covered,
                    total,
                    percent: percent(covered, total),
                    items,
                });
            }
        }
        let covered = operations.iter().map(|o| o.covered).sum();
        let total = operations.iter().map(|o| o.total).sum();
        CoverageReport {
            format_version: FORMAT_VERSION,
            exchanges: coverage.exchanges,
            covered,
            total,
            percent: percent(covered, total),
            operations,
        }
    }

    /// The JSON report.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The text report: per operation its percentage, then what was never seen, then counts.
    pub fn to_human(&self) -> String {
        let mut out = format!(
            "coverage: {:.1}% ({} of {} items) over {} exchange{}\n",
            self.percent,
            self.covered,
            self.total,
            self.exchanges,
            if self.exchanges == 1 { "" } else { "s" }
        );
        for op in &self.operations {
            out.push_str(&format!(
                "\n{}/{}: {:.1}% ({} of {})\n",
                op.document, op.operation, op.percent, op.covered, op.total
            ));
            let never: Vec<&Item> = op
                .items
                .iter()
                .filter(|i| i.counted() && i.count == 0)
                .collect();
            if !never.is_empty() {
                out.push_str("  never seen:\n");
                for i in never {
                    out.push_str(&format!("    {}{}\n", describe(i), extra(i)));
                }
            }
            let seen: Vec<&Item> = op.items.iter().filter(|i| i.count > 0).collect();
            if !seen.is_empty() {
                out.push_str("  seen:\n");
            }
            for i in seen {
                out.push_str(&format!("    {} ×{}{}\n", describe(i), i.count, extra(i)));
            }
        }
        out
    }

    /// The items under the threshold's reading: every counted item never seen.
    pub fn missing(&self) -> Vec<String> {
        self.operations
            .iter()
            .flat_map(|op| {
                op.items
                    .iter()
                    .filter(|i| i.counted() && i.count == 0)
                    .map(move |i| format!("{}/{}: {}", op.document, op.operation, describe(i)))
            })
            .collect()
    }
}

fn describe(i: &Item) -> String {
    let p = i.pointer.as_deref().unwrap_or("");
    let v = i.value.as_deref().unwrap_or("");
    match i.kind {
        ItemKind::Operation => "the operation".to_owned(),
        ItemKind::Status => format!("status {v}"),
        ItemKind::UndocumentedStatus => format!("undocumented status {v}"),
        ItemKind::Parameter => format!("parameter {p}"),
        ItemKind::ParameterValue => format!("parameter {p} = {v}"),
        ItemKind::Field => format!("field {p}"),
        ItemKind::EnumValue => format!("value {v} of {p}"),
        ItemKind::Spelling => format!("spelling {p}"),
    }
}

fn extra(i: &Item) -> String {
    match (i.null, i.absent) {
        (Some(n), Some(a)) if n > 0 || a > 0 => format!(" (null ×{n}, absent ×{a})"),
        _ => String::new(),
    }
}

fn item(m: &SpecModule, oi: usize, kind: ItemKind, count: u64) -> Item {
    Item {
        kind,
        document: m.name.clone(),
        operation: m.ir_operation(oi).id.clone(),
        pointer: None,
        value: None,
        count,
        null: None,
        absent: None,
    }
}

/// Every item of one operation with its count.
fn items(m: &SpecModule, oi: usize, count: &OpCount) -> Vec<Item> {
    let op = m.ir_operation(oi);
    let mut out = vec![item(m, oi, ItemKind::Operation, count.calls)];
    for (ri, r) in op.responses.iter().enumerate() {
        let mut i = item(
            m,
            oi,
            ItemKind::Status,
            count.statuses.get(ri).copied().unwrap_or(0),
        );
        i.value = Some(match r.status {
            StatusKey::Code(c) => c.to_string(),
            StatusKey::Range(d) => format!("{d}XX"),
            StatusKey::Default => "default".into(),
        });
        out.push(i);
    }
    for (status, n) in &count.undocumented {
        let mut i = item(m, oi, ItemKind::UndocumentedStatus, *n);
        i.value = Some(status.to_string());
        out.push(i);
    }
    for (pi, p) in op.params.iter().enumerate() {
        let place = match p.location {
            codegen::ir::ParamIn::Path => "path",
            codegen::ir::ParamIn::Query => "query",
            codegen::ir::ParamIn::Header => "header",
        };
        let pointer = format!("request:{place}/{}", p.wire_name);
        let mut i = item(
            m,
            oi,
            ItemKind::Parameter,
            count.params.get(pi).copied().unwrap_or(0),
        );
        i.pointer = Some(pointer.clone());
        out.push(i);
        for v in param_values(&m.api, &p.ty) {
            let seen = count
                .param_values
                .get(pi)
                .and_then(|vals| vals.get(&v))
                .copied()
                .unwrap_or(0);
            let mut i = item(m, oi, ItemKind::ParameterValue, seen);
            i.pointer = Some(pointer.clone());
            i.value = Some(v);
            out.push(i);
        }
    }
    let mut visited = Vec::new();
    for ri in 0..op.responses.len() {
        let shape = m.response_shapes[oi][ri];
        body_items(m, oi, count, shape, String::new(), &mut visited, &mut out);
    }
    out
}

/// The items of a body's shape, each object shape once (a recursive schema's fields are
/// counted once, at the first pointer they are reached by).
fn body_items(
    m: &SpecModule,
    oi: usize,
    count: &OpCount,
    shape: usize,
    at: String,
    visited: &mut Vec<usize>,
    out: &mut Vec<Item>,
) {
    let arena = m.shapes.arena();
    match &arena[shape] {
        Shape::Array { items } => body_items(m, oi, count, *items, format!("{at}/*"), visited, out),
        Shape::Map { values } => body_items(m, oi, count, *values, format!("{at}/*"), visited, out),
        Shape::Object { props, .. } => {
            if visited.contains(&shape) {
                return;
            }
            visited.push(shape);
            for (pi, p) in props.iter().enumerate() {
                let pointer = format!("{at}/{}", escape(&p.name));
                let f = count.field(shape, pi);
                let mut i = item(m, oi, ItemKind::Field, f.value);
                i.pointer = Some(pointer.clone());
                i.null = Some(f.null);
                i.absent = Some(f.absent);
                out.push(i);
                if let Shape::Enum { values, .. } = &arena[p.shape] {
                    for (vi, v) in values.iter().enumerate() {
                        let seen = count.enum_value(shape, pi, vi);
                        let mut i = item(m, oi, ItemKind::EnumValue, seen);
                        i.pointer = Some(pointer.clone());
                        i.value = Some(v.clone());
                        out.push(i);
                    }
                }
                for (ai, a) in p.aliases.iter().enumerate() {
                    let key = (shape, pi, ai);
                    let mut i = item(
                        m,
                        oi,
                        ItemKind::Spelling,
                        count.spellings.get(&key).copied().unwrap_or(0),
                    );
                    i.pointer = Some(format!("{at}/{}", escape(a)));
                    i.value = Some(a.clone());
                    out.push(i);
                }
                body_items(m, oi, count, p.shape, pointer, visited, out);
            }
        }
        _ => {}
    }
}
