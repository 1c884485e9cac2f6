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

/// Walks `instance` alongside a compiled shape and records what it saw, every pointer in the
/// spellings the body used. The body is not changed: [`Renames`] makes the canonical copy the
/// JSON Schema validator reads, and maps the validator's pointers back.
pub fn walk<'v>(
    shapes: &Shapes,
    shape: usize,
    instance: &'v Value,
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
            for (i, item) in list.iter().enumerate() {
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
/// undocumented keys), conflicts, spellings other than the canonical one, then the walk of
/// each value.
fn walk_object<'v>(
    shapes: &Shapes,
    shape: usize,
    obj: &'v serde_json::Map<String, Value>,
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
    for (i, alias) in aliased {
        let p = &props[i];
        if seen[i] != 1 {
            continue;
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
    for (n, (key, child)) in obj.iter().enumerate() {
        let found = if small {
            found_small[n]
        } else {
            spellings.get(key)
        };
        // A value is walked under its property's shape whatever the spelling, unless the
        // object spells the property more than once (a conflict, reported above).
        let shape =
            found.and_then(|(i, canonical)| (canonical || seen[i] == 1).then_some(props[i].shape));
        // Nothing to walk in an `Any` (a plain string, number, …).
        if let Some(shape) = shape.filter(|s| !matches!(shapes.arena[*s], Shape::Any)) {
            path.push(Seg::Key(key));
            walk(shapes, shape, child, path, out);
            path.pop();
        }
    }
}

/// The spellings a body used where the spec has a canonical name, from a walk: the canonical
/// copy of the body the JSON Schema validator reads (the body itself is never changed), and the
/// map from a pointer in canonical names back to the pointer as received.
#[derive(Debug, Default)]
pub struct Renames {
    /// (received pointer of the object, spelling received, canonical name), shallowest first.
    keys: Vec<(String, String, String)>,
    /// (canonical pointer, received pointer) of each renamed field, deepest first.
    pointers: Vec<(String, String)>,
}

impl Renames {
    /// The renames a walk found (documented and tolerated spellings, conflicts left alone).
    pub fn of(w: &WalkFindings) -> Self {
        let mut keys: Vec<(String, String, String)> = w
            .aliases_seen
            .iter()
            .chain(&w.tolerated_seen)
            .map(|s| {
                let parent = s.at.rsplit_once('/').map_or("", |(p, _)| p);
                (parent.to_owned(), s.seen.clone(), s.canonical.clone())
            })
            .collect();
        keys.sort_by_key(|(parent, ..)| parent.matches('/').count());
        let mut renames = Renames {
            keys: Vec::new(),
            pointers: Vec::new(),
        };
        for (parent, seen, canonical) in keys {
            // Shallower renames are known: the parent's canonical pointer.
            let canonical_parent = renames.to_canonical(&parent);
            renames.pointers.push((
                format!("{canonical_parent}/{}", escape(&canonical)),
                format!("{parent}/{}", escape(&seen)),
            ));
            renames.keys.push((parent, seen, canonical));
        }
        renames
            .pointers
            .sort_by_key(|(c, _)| std::cmp::Reverse(c.matches('/').count()));
        renames
    }

    /// Whether the body used only canonical names.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The body with every renamed field under its canonical name (deepest first, so each
    /// object is found by its received pointer); `None` when nothing is renamed.
    pub fn canonical_copy(&self, body: &Value) -> Option<Value> {
        if self.is_empty() {
            return None;
        }
        let mut copy = body.clone();
        for (parent, seen, canonical) in self.keys.iter().rev() {
            if let Some(Value::Object(obj)) = copy.pointer_mut(parent) {
                if let Some(v) = obj.remove(seen) {
                    obj.insert(canonical.clone(), v);
                }
            }
        }
        Some(copy)
    }

    /// A pointer in canonical names as received: its longest renamed prefix replaced.
    pub fn to_received(&self, pointer: &str) -> String {
        swap_prefix(pointer, self.pointers.iter().map(|(c, r)| (c, r)))
    }

    /// A pointer as received in the spec's canonical names.
    pub fn to_canonical(&self, pointer: &str) -> String {
        let mut by_depth: Vec<(&String, &String)> =
            self.pointers.iter().map(|(c, r)| (r, c)).collect();
        by_depth.sort_by_key(|(r, _)| std::cmp::Reverse(r.matches('/').count()));
        swap_prefix(pointer, by_depth.into_iter())
    }
}

/// `pointer` with the first of `pairs` (deepest first) that is a whole-segment prefix of it
/// replaced by its other side.
fn swap_prefix<'a>(pointer: &str, pairs: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    for (from, to) in pairs {
        if pointer == from {
            return to.clone();
        }
        if let Some(rest) = pointer.strip_prefix(from.as_str()) {
            if rest.starts_with('/') {
                return format!("{to}{rest}");
            }
        }
    }
    pointer.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spelling(at: &str, canonical: &str) -> Spelling {
        Spelling {
            at: at.to_owned(),
            canonical: canonical.to_owned(),
            seen: at.rsplit('/').next().unwrap().to_owned(),
            spec: String::new(),
        }
    }

    #[test]
    fn renames_nested_spellings_both_ways() {
        // `JOB` is `job`, and inside it `EXECUTION_STATUS` is `execution_status`; a tolerated
        // `Tasks` beside them, with an aliased field in an item.
        let w = WalkFindings {
            aliases_seen: vec![
                spelling("/JOB/EXECUTION_STATUS", "execution_status"),
                spelling("/JOB", "job"),
            ],
            tolerated_seen: vec![
                spelling("/Tasks", "tasks"),
                spelling("/Tasks/0/TASK_NAME", "task_name"),
            ],
            ..WalkFindings::default()
        };
        let body = json!({
            "JOB": {"EXECUTION_STATUS": 7, "id": "j"},
            "Tasks": [{"TASK_NAME": "t"}],
        });
        let r = Renames::of(&w);
        let copy = r.canonical_copy(&body).unwrap();
        assert_eq!(
            copy,
            json!({"job": {"execution_status": 7, "id": "j"}, "tasks": [{"task_name": "t"}]})
        );
        assert_eq!(
            r.to_received("/job/execution_status"),
            "/JOB/EXECUTION_STATUS"
        );
        assert_eq!(r.to_received("/job/id"), "/JOB/id");
        assert_eq!(r.to_received("/jobs"), "/jobs", "whole segments only");
        assert_eq!(r.to_received("/tasks/0/task_name"), "/Tasks/0/TASK_NAME");
        assert_eq!(
            r.to_canonical("/JOB/EXECUTION_STATUS"),
            "/job/execution_status"
        );
        assert!(Renames::of(&WalkFindings::default())
            .canonical_copy(&body)
            .is_none());
    }
}
