//! The walk of a body: spellings (documented and tolerated), undocumented fields, values
//! outside enums — what the JSON Schema validator cannot see — with pointers as received.

use super::*;

/// What the walk of a body found: notes, warnings and violations the JSON Schema
/// validator cannot see by itself.
#[derive(Debug, Default)]
pub struct WalkFindings {
    /// (instance pointer, canonical name, spelling seen, schema pointer of the property)
    pub aliases_seen: Vec<(String, String, String, String)>,
    /// The same, for spellings the models tolerate but the docs do not state
    /// (`x-tolerated-aliases`).
    pub tolerated_seen: Vec<(String, String, String, String)>,
    /// (instance pointer of the object, canonical name, spellings) — more than one spelling present.
    pub duplicate_spellings: Vec<(String, String, Vec<String>, String)>,
    /// (instance pointer, schema pointer of the object) — a property the spec does not list.
    pub undocumented: Vec<(String, String)>,
    /// (instance pointer, value, schema pointer of the enum) — an unlisted value of an open enum.
    pub open_enum_values: Vec<(String, Value, String)>,
}

/// Walks `instance` alongside a compiled shape: renames alias spellings to the canonical name
/// in `instance` (so the validator sees canonical names) and records what it saw.
pub fn walk<'v>(
    shapes: &Shapes,
    shape: usize,
    instance: &'v mut Value,
    path: &mut Vec<Seg<'v>>,
    out: &mut WalkFindings,
) {
    if path.len() > 128 {
        return;
    }
    match (&shapes.arena[shape], instance) {
        (
            Shape::Enum {
                pointer,
                values,
                open,
            },
            Value::String(s),
        ) if *open && !values.iter().any(|v| v == s) => {
            out.open_enum_values
                .push((render(path), Value::from(s.clone()), pointer.clone()));
        }
        // An integer enum (its values are kept as decimal text).
        (
            Shape::Enum {
                pointer,
                values,
                open,
            },
            Value::Number(n),
        ) if *open && !values.iter().any(|v| *v == n.to_string()) => {
            out.open_enum_values
                .push((render(path), Value::Number(n.clone()), pointer.clone()));
        }
        (Shape::Array { items }, Value::Array(list)) => {
            for (i, item) in list.iter_mut().enumerate() {
                path.push(Seg::Index(i));
                walk(shapes, *items, item, path, out);
                path.pop();
            }
        }
        (
            Shape::Object {
                pointer,
                props,
                extra_allowed,
                spellings,
            },
            Value::Object(obj),
        ) => {
            // One pass over the keys: which property each spells, and which are unlisted.
            let mut aliased: Vec<(usize, String)> = Vec::new();
            let mut seen_small = [0u8; 32];
            let mut seen_large = Vec::new();
            let seen: &mut [u8] = if props.len() <= seen_small.len() {
                &mut seen_small[..props.len()]
            } else {
                seen_large.resize(props.len(), 0u8);
                &mut seen_large
            };
            // Each key's property, kept for the second loop when the object is small.
            let mut found_small = [None; 32];
            for (n, key) in obj.keys().enumerate() {
                let found = spellings.get(key);
                if let Some(slot) = found_small.get_mut(n) {
                    *slot = found;
                }
                match found {
                    Some((i, canonical)) => {
                        seen[i] = seen[i].saturating_add(1);
                        if !canonical {
                            aliased.push((i, key.clone()));
                        }
                    }
                    None if *extra_allowed => {
                        let at = format!("{}/{}", render(path), escape(key));
                        out.undocumented.push((at, pointer.clone()));
                    }
                    None => {}
                }
            }
            for (i, p) in props.iter().enumerate() {
                if seen[i] > 1 {
                    let mut spellings: Vec<String> = Vec::new();
                    if obj.contains_key(&p.name) {
                        spellings.push(p.name.clone());
                    }
                    spellings.extend(
                        p.aliases
                            .iter()
                            .chain(&p.tolerated)
                            .filter(|a| obj.contains_key(*a))
                            .cloned(),
                    );
                    out.duplicate_spellings.push((
                        render(path),
                        p.name.clone(),
                        spellings,
                        format!("{}/x-aliases", p.pointer),
                    ));
                }
            }
            let renamed = !aliased.is_empty();
            for (i, alias) in aliased {
                let p = &props[i];
                if seen[i] != 1 {
                    continue;
                }
                if let Some(v) = obj.remove(&alias) {
                    obj.insert(p.name.clone(), v);
                }
                let at = format!("{}/{}", render(path), escape(&alias));
                if p.tolerated.contains(&alias) {
                    out.tolerated_seen.push((
                        at,
                        p.name.clone(),
                        alias,
                        format!("{}/x-tolerated-aliases", p.pointer),
                    ));
                } else {
                    out.aliases_seen.push((
                        at,
                        p.name.clone(),
                        alias,
                        format!("{}/x-aliases", p.pointer),
                    ));
                }
            }
            let small = obj.len() <= found_small.len();
            for (n, (key, child)) in obj.iter_mut().enumerate() {
                // After a rename the key order changed: look the key up again.
                let found = if small && !renamed {
                    found_small[n]
                } else {
                    spellings.get(key)
                };
                let shape = found.and_then(|(i, canonical)| canonical.then_some(props[i].shape));
                // Nothing to walk in an `Any` (a plain string, number, …).
                if let Some(shape) = shape.filter(|s| !matches!(shapes.arena[*s], Shape::Any)) {
                    path.push(Seg::Key(key));
                    walk(shapes, shape, child, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}
