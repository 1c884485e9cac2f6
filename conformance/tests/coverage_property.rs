//! Coverage counts on random traffic: bodies drawn from the spec's own shapes (fields present,
//! `null` or absent, documented and undocumented enum values, canonical and alternative
//! spellings, arrays of any length), with what was drawn counted here by body pointer, then
//! compared with the report's items. `COVERAGE_SEED` replays a run.

use conformance::coverage::{Coverage, CoverageReport};
use conformance::recordings::Exchange;
use conformance::spec::{escape, Shape, SpecSet};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use test_support::Rng;

/// What was drawn: (kind, pointer, value) → count, kinds as the JSON report names them.
type Expected = BTreeMap<(&'static str, String, String), u64>;

fn bump(e: &mut Expected, kind: &'static str, pointer: &str, value: &str) {
    *e.entry((kind, pointer.to_owned(), value.to_owned()))
        .or_default() += 1;
}

/// A value for `shape` at `pointer`, counting what it shows.
fn draw(
    arena: &[Shape],
    shape: usize,
    pointer: &str,
    rng: &mut Rng,
    e: &mut Expected,
    depth: usize,
) -> Value {
    match &arena[shape] {
        Shape::Array { items } => {
            let n = rng.below(4);
            Value::Array(
                (0..n)
                    .map(|_| draw(arena, *items, &format!("{pointer}/*"), rng, e, depth + 1))
                    .collect(),
            )
        }
        Shape::Map { values } => {
            let n = rng.below(3);
            Value::Object(
                (0..n)
                    .map(|i| {
                        let v = draw(arena, *values, &format!("{pointer}/*"), rng, e, depth + 1);
                        (format!("key{i}"), v)
                    })
                    .collect(),
            )
        }
        Shape::Enum { values, .. } => {
            if rng.chance(15) {
                Value::from("NOT_DOCUMENTED")
            } else {
                Value::from(rng.pick(values).clone())
            }
        }
        Shape::Object { props, .. } if depth < 6 => {
            let mut obj = Map::new();
            for p in props {
                let at = format!("{pointer}/{}", escape(&p.name));
                let roll = rng.below(10);
                if roll < 2 {
                    bump(e, "absent", &at, "");
                    continue;
                }
                let key = if !p.aliases.is_empty() && rng.chance(30) {
                    let alias = rng.pick(&p.aliases).clone();
                    bump(
                        e,
                        "spelling",
                        &format!("{pointer}/{}", escape(&alias)),
                        &alias,
                    );
                    alias
                } else {
                    p.name.clone()
                };
                if roll < 3 {
                    bump(e, "null", &at, "");
                    obj.insert(key, Value::Null);
                    continue;
                }
                let v = draw(arena, p.shape, &at, rng, e, depth + 1);
                bump(e, "field", &at, "");
                if let (Shape::Enum { values, .. }, Some(s)) = (&arena[p.shape], v.as_str()) {
                    if values.iter().any(|d| d == s) {
                        bump(e, "enum-value", &at, s);
                    }
                }
                obj.insert(key, v);
            }
            if rng.chance(20) {
                obj.insert("undocumented_extra".into(), Value::from(1));
            }
            Value::Object(obj)
        }
        _ => Value::from("x"),
    }
}

#[test]
fn counts_match_what_was_drawn() {
    let seed = test_support::seed("COVERAGE_SEED");
    let mut rng = Rng::new(seed);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let specs = SpecSet::load(&root).unwrap();
    let mut coverage = Coverage::new(&specs);
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    for _ in 0..300 {
        let mi = rng.below(specs.modules.len());
        let module = &specs.modules[mi];
        let oi = rng.below(module.api.operations.len());
        let op = module.ir_operation(oi);
        let ri = rng.below(op.responses.len());
        let shape = module.response_shapes[oi][ri];
        let e = expected
            .entry(format!("{}/{}", module.name, op.id))
            .or_default();
        let body = draw(module.shapes.arena(), shape, "", &mut rng, e, 0);
        let status = match op.responses[ri].status {
            codegen::ir::StatusKey::Code(c) => c,
            codegen::ir::StatusKey::Range(d) => d * 100 + 1,
            codegen::ir::StatusKey::Default => 599,
        };
        let ex = Exchange {
            status,
            body: body.to_string().into_bytes(),
            forced_operation: Some((mi, oi)),
            ..Exchange::default()
        };
        coverage.observe(&specs, (mi, oi), &ex, Some(&body));
    }
    let report = CoverageReport::new(&specs, &coverage);
    let mut mismatches = Vec::new();
    for op in &report.operations {
        let name = format!("{}/{}", op.document, op.operation);
        let drawn = expected.get(&name).cloned().unwrap_or_default();
        let get = |kind: &'static str, p: &str, v: &str| {
            drawn
                .get(&(kind, p.to_owned(), v.to_owned()))
                .copied()
                .unwrap_or(0)
        };
        for item in &op.items {
            let p = item.pointer.clone().unwrap_or_default();
            let v = item.value.clone().unwrap_or_default();
            let kind = serde_json::to_value(item.kind).unwrap();
            let want: Vec<(u64, u64)> = match kind.as_str().unwrap() {
                "field" => vec![
                    (item.count, get("field", &p, "")),
                    (item.null.unwrap_or(0), get("null", &p, "")),
                    (item.absent.unwrap_or(0), get("absent", &p, "")),
                ],
                "enum-value" => vec![(item.count, get("enum-value", &p, &v))],
                "spelling" => vec![(item.count, get("spelling", &p, &v))],
                _ => continue,
            };
            for (got, drawn) in want {
                if got != drawn {
                    mismatches.push(format!("{name} {item:?}: counted {got}, drawn {drawn}"));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "COVERAGE_SEED={seed}:\n{}",
        mismatches.join("\n")
    );
}
