//! The walk of a body: spellings (documented and tolerated), undocumented fields, values
//! outside enums — what the JSON Schema validator cannot see — with pointers as received.

use super::*;

/// What the walk of a body found: notes, warnings and violations the JSON Schema
/// validator cannot see by itself.
#[derive(Debug, Default)]
pub struct WalkFindings {
    /// Documented alternative spellings used (`x-aliases`).
    pub aliases_seen: Vec<Spelling>,
    /// Spellings the models tolerate but the docs do not state (`x-tolerated-aliases`).
    pub tolerated_seen: Vec<Spelling>,
    /// Fields present in more than one spelling in one object.
    pub duplicate_spellings: Vec<Conflict>,
    /// Properties the spec does not list.
    pub undocumented: Vec<Undocumented>,
    /// Values outside an open enum.
    pub open_enum_values: Vec<OpenEnumValue>,
}

/// A field sent in a spelling other than its canonical name.
#[derive(Debug, Clone, PartialEq)]
pub struct Spelling {
    /// Instance pointer, in the spelling the body used.
    pub at: String,
    /// The canonical name.
    pub canonical: String,
    /// The spelling seen.
    pub seen: String,
    /// Schema pointer of the keyword that lists the spelling.
    pub spec: String,
}

/// A field present in more than one spelling in one object.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    /// Instance pointer of the object.
    pub at: String,
    /// The canonical name.
    pub canonical: String,
    /// The spellings present.
    pub spellings: Vec<String>,
    /// Schema pointer of the property's `x-aliases`.
    pub spec: String,
}

/// A property the spec does not list.
#[derive(Debug, Clone, PartialEq)]
pub struct Undocumented {
    /// Instance pointer.
    pub at: String,
    /// Schema pointer of the object.
    pub spec: String,
}

/// An unlisted value of an open enum.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenEnumValue {
    /// Instance pointer.
    pub at: String,
    /// The value.
    pub value: Value,
    /// Schema pointer of the enum.
    pub spec: String,
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
            out.open_enum_values.push(OpenEnumValue {
                at: render(path),
                value: Value::from(s.clone()),
                spec: pointer.clone(),
            });
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
            out.open_enum_values.push(OpenEnumValue {
                at: render(path),
                value: Value::Number(n.clone()),
                spec: pointer.clone(),
            });
        }
        (Shape::Array { items }, Value::Array(list)) => {
            for (i, item) in list.iter_mut().enumerate() {
                path.push(Seg::Index(i));
                walk(shapes, *items, item, path, out);
                path.pop();
            }
        }
        (Shape::Object { .. }, Value::Object(obj)) => walk_object(shapes, shape, obj, path, out),
        _ => {}
    }
}

/// The object arm of [`walk`]: which property each key spells (counting spellings, noting
/// undocumented keys), conflicts, renames to canonical names, then the walk of each value.
fn walk_object<'v>(
    shapes: &Shapes,
    shape: usize,
    obj: &'v mut serde_json::Map<String, Value>,
    path: &mut Vec<Seg<'v>>,
    out: &mut WalkFindings,
) {
    let Shape::Object {
        pointer,
        props,
        extra_allowed,
        spellings,
    } = &shapes.arena[shape]
    else {
        return;
    };
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
                out.undocumented.push(Undocumented {
                    at,
                    spec: pointer.clone(),
                });
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
            out.duplicate_spellings.push(Conflict {
                at: render(path),
                canonical: p.name.clone(),
                spellings,
                spec: format!("{}/x-aliases", p.pointer),
            });
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
        let tolerated = p.tolerated.contains(&alias);
        let keyword = if tolerated {
            "x-tolerated-aliases"
        } else {
            "x-aliases"
        };
        let spelling = Spelling {
            at: format!("{}/{}", render(path), escape(&alias)),
            canonical: p.name.clone(),
            seen: alias,
            spec: format!("{}/{keyword}", p.pointer),
        };
        if tolerated {
            out.tolerated_seen.push(spelling);
        } else {
            out.aliases_seen.push(spelling);
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
