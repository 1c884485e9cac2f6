//! Enums (string and integer, open and closed), `oneOf`/`anyOf` unions and `allOf` merges.

use super::*;

impl Resolver<'_> {
    pub(super) fn enumeration(&mut self, map: &Map<String, Value>, ptr: &str) -> Option<Enum> {
        let eptr = format!("{ptr}/enum");
        let Some(values) = map.get("enum").and_then(Value::as_array) else {
            self.err(&eptr, "`enum` must be a list");
            return None;
        };
        let open = match map.get("x-open-enum") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.err(
                    &format!("{ptr}/x-open-enum"),
                    "`x-open-enum` must be true or false",
                );
                true
            }
        };
        let integer = match map.get("type") {
            Some(Value::String(t)) => t == "integer",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
            _ => false,
        };
        // Names for the values (`x-enum-varnames`, as other generators read it), else from the
        // values themselves (`7` → `V7`).
        let names = self.string_list(
            map.get("x-enum-varnames"),
            &format!("{ptr}/x-enum-varnames"),
            "`x-enum-varnames` must be a list of strings",
        );
        if !names.is_empty() && names.len() != values.len() {
            self.err(
                &format!("{ptr}/x-enum-varnames"),
                format!(
                    "`x-enum-varnames` has {} names for {} values",
                    names.len(),
                    values.len()
                ),
            );
        }
        let mut variants: Vec<Variant> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let vptr = format!("{eptr}/{i}");
            if integer {
                let Some(n) = v.as_i64() else {
                    if !v.is_null() {
                        self.err(&vptr, format!("enum value `{v}` is not an integer"));
                    }
                    continue;
                };
                let wire = n.to_string();
                if variants.iter().any(|v| v.wire == wire) {
                    continue;
                }
                // `-1` → `Minus1` (not `V1`, which `1` has).
                let own = if n < 0 {
                    format!("Minus{}", n.unsigned_abs())
                } else {
                    wire.clone()
                };
                let name = names.get(i).map_or_else(|| pascal(&own), |n| pascal(n));
                variants.push(Variant {
                    wire,
                    rust_name: name,
                });
                continue;
            }
            let Some(wire) = v.as_str() else {
                match v {
                    Value::Null => {}
                    Value::Bool(b) => self.err(
                        &vptr,
                        format!("enum value `{b}` is a boolean, not a string: quote it (YAML reads unquoted on/off/yes/no/true/false as booleans)"),
                    ),
                    _ => self.err(&vptr, format!("enum value `{v}` is not a string: quote it")),
                }
                continue;
            };
            // A value listed twice is the same value: it is kept once.
            if variants.iter().any(|v| v.wire == wire) {
                continue;
            }
            variants.push(Variant {
                wire: wire.to_owned(),
                rust_name: names.get(i).map_or_else(|| pascal(wire), |n| pascal(n)),
            });
        }
        // Values that differ only in spelling (`UNKNOWN`, `Unknown`) get distinct names; the
        // catch-all of open enums keeps `Unrecognized`.
        let bases: Vec<String> = variants.iter().map(|v| v.rust_name.clone()).collect();
        let reserved: &[&str] = if open { &["Unrecognized"] } else { &[] };
        for (v, name) in variants.iter_mut().zip(dedupe(&bases, reserved, "")) {
            v.rust_name = name;
        }
        // An integer enum lists its terminal values as numbers.
        let terminal_numbers: Option<Value> = map.get("x-terminal").map(|t| match t {
            Value::Array(list) if integer => Value::Array(
                list.iter()
                    .map(|v| match v {
                        Value::Number(n) => Value::from(n.to_string()),
                        other => other.clone(),
                    })
                    .collect(),
            ),
            other => other.clone(),
        });
        let terminal = self.string_list(
            terminal_numbers.as_ref(),
            &format!("{ptr}/x-terminal"),
            "`x-terminal` must be a list of enum values",
        );
        for t in &terminal {
            if !variants.iter().any(|v| &v.wire == t) {
                self.err(
                    &format!("{ptr}/x-terminal"),
                    format!("`{t}` is not one of the enum's values"),
                );
            }
        }
        Some(Enum {
            variants,
            open,
            terminal,
            integer,
        })
    }

    /// `oneOf` / `anyOf`: `None` when the schema has neither. The common open-enum spelling
    /// `anyOf: [{enum: [...]}, {type: string}]` is an open enum; `null` alternatives are left out
    /// (they make the property nullable); otherwise a union of the alternatives, in order, each
    /// named after its type (`Job`, `String`, `Integer`, …; numbered when two share a name), with
    /// `Other` for a value none of them reads. `Some(None)` when an error was reported.
    pub(super) fn union(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        rust: &str,
    ) -> Option<Option<TypeKind>> {
        let (key, parts) = union_parts(map)?;
        let parts: Vec<(usize, Value)> = parts
            .iter()
            .cloned()
            .enumerate()
            .filter(|(_, p)| !is_null_schema(p))
            .collect();
        // The open-enum idiom.
        let enum_part = parts.iter().find(|(_, p)| {
            p.get("enum")
                .and_then(Value::as_array)
                .is_some_and(|v| v.iter().all(Value::is_string))
                && p.get("type").is_none_or(|t| t == "string")
        });
        let string_part = parts.iter().find(|(_, p)| {
            p.get("type").and_then(Value::as_str) == Some("string")
                && p.get("enum").is_none()
                && p.get("format").is_none()
                && p.get("x-boolean-string").is_none()
                && p.get("contentMediaType").is_none()
        });
        if let (2, Some((ei, e)), Some(_)) = (parts.len(), enum_part, string_part) {
            let mut m = e.as_object().cloned().unwrap_or_default();
            m.insert("type".into(), Value::from("string"));
            m.insert("x-open-enum".into(), Value::Bool(true));
            let eptr = format!("{ptr}/{key}/{ei}");
            return Some(self.enumeration(&m, &eptr).map(TypeKind::Enum));
        }
        let mut alts = Vec::new();
        for (i, part) in &parts {
            let aptr = format!("{ptr}/{key}/{i}");
            let ty = self.type_ref(
                part,
                &aptr,
                &join_type_name(rust, &format!("Variant{}", i + 1)),
            );
            if ty == TypeRef::BooleanString {
                self.err(&aptr, "unsupported construct: `x-boolean-string` as an alternative of `oneOf`/`anyOf`");
                return Some(None);
            }
            let name = match &ty {
                TypeRef::Named(n) => n.clone(),
                TypeRef::String | TypeRef::JsonString => "String".into(),
                TypeRef::DateTime => "DateTime".into(),
                TypeRef::I32 | TypeRef::I64 => "Integer".into(),
                TypeRef::F64 => "Number".into(),
                TypeRef::Bool | TypeRef::BooleanString => "Boolean".into(),
                TypeRef::Array(_) => "Array".into(),
                TypeRef::Map(_) => "Map".into(),
                TypeRef::Any => "Value".into(),
            };
            alts.push(Alternative {
                rust_name: name,
                ty,
                boxed: false,
            });
        }
        if alts.is_empty() {
            return Some(Some(TypeKind::Alias(TypeRef::Any)));
        }
        let bases: Vec<String> = alts.iter().map(|a| a.rust_name.clone()).collect();
        for (a, n) in alts.iter_mut().zip(dedupe(&bases, &["Other"], "")) {
            a.rust_name = n;
        }
        Some(Some(TypeKind::Union(alts)))
    }

    /// One part of an `allOf`, as a mapping with the pointer where it is written: a `$ref` to a
    /// component is followed (once; nested `allOf`s are merged by the caller).
    fn all_of_part(
        &mut self,
        part: &Value,
        part_ptr: String,
    ) -> Option<(Map<String, Value>, String)> {
        match part.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let Some(name) = r.strip_prefix("#/components/schemas/") else {
                    self.err(&format!("{part_ptr}/$ref"), format!("unsupported `$ref` `{r}`: only local references to #/components/schemas/... are supported"));
                    return None;
                };
                let name = unescape(name);
                let Some(target) = self
                    .components
                    .get(&name)
                    .and_then(Value::as_object)
                    .cloned()
                else {
                    self.err(
                        &format!("{part_ptr}/$ref"),
                        format!("unknown `$ref` `{r}`: no such schema in /components/schemas"),
                    );
                    return None;
                };
                Some((target, push_pointer("/components/schemas", &name)))
            }
            None => match part.as_object() {
                Some(m) => Some((m.clone(), part_ptr)),
                None => {
                    self.err(&part_ptr, "a schema must be a mapping");
                    None
                }
            },
        }
    }

    /// `allOf` of objects, merged into one object schema: the properties of every part (a part
    /// may be a `$ref` to a component, itself an `allOf`) and of the schema itself, `required`
    /// united, `additionalProperties` from the schema itself. Returns the merged schema and each
    /// property's pointer in the document. A part that is not an object, or one property defined
    /// differently by two parts, is refused.
    pub(super) fn merge_all_of(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        depth: usize,
    ) -> Option<(Map<String, Value>, BTreeMap<String, String>)> {
        if depth > 16 {
            self.err(
                ptr,
                "unsupported construct: `allOf` nested more than 16 deep (a cycle?)",
            );
            return None;
        }
        let mut props: Map<String, Value> = Map::new();
        let mut pointers: BTreeMap<String, String> = BTreeMap::new();
        let mut required: Vec<Value> = Vec::new();
        let mut description: Option<Value> = None;
        let mut add = |r: &mut Self,
                       part: &Map<String, Value>,
                       part_ptr: &str,
                       props: &mut Map<String, Value>,
                       pointers: &mut BTreeMap<String, String>|
         -> bool {
            if let Some(p) = part.get("properties").and_then(Value::as_object) {
                for (k, v) in p {
                    let pp = push_pointer(&format!("{part_ptr}/properties"), k);
                    match props.get(k) {
                        Some(old) if old != v => {
                            r.err(
                                &pp,
                                format!("unsupported construct: property `{k}` is defined differently by two parts of `allOf` (first at {})", pointers[k]),
                            );
                            return false;
                        }
                        Some(_) => {}
                        None => {
                            props.insert(k.clone(), v.clone());
                            pointers.insert(k.clone(), pp);
                        }
                    }
                }
            }
            if let Some(req) = part.get("required").and_then(Value::as_array) {
                for x in req {
                    if !required.contains(x) {
                        required.push(x.clone());
                    }
                }
            }
            if description.is_none() {
                description = part.get("description").cloned();
            }
            true
        };
        let parts = match map.get("allOf") {
            Some(Value::Array(parts)) => parts.clone(),
            _ => {
                self.err(&format!("{ptr}/allOf"), "`allOf` must be a list of schemas");
                return None;
            }
        };
        for (i, part) in parts.iter().enumerate() {
            let part_ptr = format!("{ptr}/allOf/{i}");
            let (part_map, part_ptr) = self.all_of_part(part, part_ptr)?;
            let part_map = if part_map.contains_key("allOf") {
                let (merged, inner_ptrs) = self.merge_all_of(&part_map, &part_ptr, depth + 1)?;
                // Nested parts keep their own pointers.
                for (k, v) in inner_ptrs {
                    pointers.entry(k).or_insert(v);
                }
                merged
            } else {
                part_map
            };
            let is_object = part_map.contains_key("properties")
                || part_map.get("type").and_then(Value::as_str) == Some("object");
            if !is_object {
                self.err(&part_ptr, "unsupported construct: an `allOf` part that is not an object (only objects are merged)");
                return None;
            }
            if !add(self, &part_map, &part_ptr, &mut props, &mut pointers) {
                return None;
            }
        }
        if !add(self, map, ptr, &mut props, &mut pointers) {
            return None;
        }
        let mut merged = Map::new();
        merged.insert("type".into(), Value::from("object"));
        merged.insert("properties".into(), Value::Object(props));
        if !required.is_empty() {
            merged.insert("required".into(), Value::Array(required));
        }
        if let Some(ap) = map.get("additionalProperties") {
            merged.insert("additionalProperties".into(), ap.clone());
        }
        if let Some(d) = description {
            merged.insert("description".into(), d);
        }
        Some((merged, pointers))
    }
}
