//! After resolving: which structs compare totally (`Eq`), and which fields must be boxed to break
//! recursion.

use super::*;

/// Which structs can derive `Eq`: none with an `f64` inside, directly or through named types
/// (cycles included: a struct is `Eq` until something in it is shown not to be).
pub(super) fn mark_eq(mut types: Vec<TypeDef>) -> Vec<TypeDef> {
    fn total(ty: &TypeRef, eq: &HashMap<String, bool>) -> bool {
        match ty {
            TypeRef::F64 => false,
            TypeRef::Array(inner) | TypeRef::Map(inner) => total(inner, eq),
            TypeRef::Named(name) => eq.get(name).copied().unwrap_or(false),
            _ => true,
        }
    }
    let mut eq: HashMap<String, bool> = types.iter().map(|t| (t.name.clone(), true)).collect();
    loop {
        let mut changed = false;
        for t in &types {
            let now = match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().all(|f| total(&f.ty, &eq)),
                TypeKind::Enum(_) => true,
                TypeKind::Alias(ty) => total(ty, &eq),
                // The catch-all holds a `serde_json::Value`, which has numbers.
                TypeKind::Union(_) => false,
            };
            if !now && eq.insert(t.name.clone(), false) == Some(true) {
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for t in &mut types {
        if let TypeKind::Struct(s) = &mut t.kind {
            s.eq = eq.get(&t.name).copied().unwrap_or(false);
        }
    }
    types
}

/// Recursive types. A struct field whose named type leads back, by value (through other
/// structs' fields and type aliases, not through a `Vec` or a map, which are on the heap), to
/// the struct it is in would make the struct infinitely large: such fields are boxed. A type
/// alias that refers back to itself (`Tree: {type: array, items: {$ref: Tree}}`) cannot be a
/// Rust `type` at all: returned as (pointer, message) errors.
pub(super) fn break_cycles(types: &mut [TypeDef]) -> Vec<(String, String)> {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    // Named types a type holds by value.
    fn by_value(ty: &TypeRef, out: &mut Vec<String>) {
        if let TypeRef::Named(n) = ty {
            out.push(n.clone());
        }
    }
    // Named types an alias mentions anywhere (a Rust `type` may not mention itself at all).
    fn mentioned(ty: &TypeRef, out: &mut Vec<String>) {
        match ty {
            TypeRef::Named(n) => out.push(n.clone()),
            TypeRef::Array(inner) | TypeRef::Map(inner) => mentioned(inner, out),
            _ => {}
        }
    }
    let edges = |t: &TypeDef, alias_deep: bool| -> Vec<String> {
        let mut out = Vec::new();
        match &t.kind {
            TypeKind::Struct(s) if !alias_deep => {
                for f in &s.fields {
                    by_value(&f.ty, &mut out);
                }
            }
            TypeKind::Alias(ty) if alias_deep => mentioned(ty, &mut out),
            TypeKind::Alias(ty) => by_value(ty, &mut out),
            TypeKind::Union(alts) if !alias_deep => {
                for a in alts {
                    by_value(&a.ty, &mut out);
                }
            }
            _ => {}
        }
        out
    };
    // Whether `target` is reachable from `start` over the edges.
    let reaches = |start: &str, target: &str, alias_deep: bool| -> bool {
        let mut seen = vec![false; types.len()];
        let mut stack = vec![start.to_owned()];
        while let Some(n) = stack.pop() {
            if n == target {
                return true;
            }
            let Some(&i) = index.get(&n) else { continue };
            if std::mem::replace(&mut seen[i], true) {
                continue;
            }
            let t = &types[i];
            if alias_deep && !matches!(t.kind, TypeKind::Alias(_)) {
                continue;
            }
            stack.extend(edges(t, alias_deep));
        }
        false
    };
    let mut errors = Vec::new();
    let mut boxes: Vec<(usize, usize)> = Vec::new();
    for (ti, t) in types.iter().enumerate() {
        match &t.kind {
            TypeKind::Struct(s) => {
                for (fi, f) in s.fields.iter().enumerate() {
                    if let TypeRef::Named(n) = &f.ty {
                        if reaches(n, &t.name, false) {
                            boxes.push((ti, fi));
                        }
                    }
                }
            }
            TypeKind::Alias(ty) => {
                let mut first = Vec::new();
                mentioned(ty, &mut first);
                if first.iter().any(|n| reaches(n, &t.name, true)) {
                    errors.push((
                        t.pointer.clone(),
                        format!("unsupported construct: `{}` is only an array, map or reference of itself, which no Rust type alias can be; make it an object with a property that holds the list", t.schema_name),
                    ));
                }
            }
            TypeKind::Union(alts) => {
                for (ai, a) in alts.iter().enumerate() {
                    if let TypeRef::Named(n) = &a.ty {
                        if reaches(n, &t.name, false) {
                            boxes.push((ti, ai));
                        }
                    }
                }
            }
            TypeKind::Enum(_) => {}
        }
    }
    // Objects in a union are boxed too, so that one large alternative does not make every
    // value of the union large (clippy's `large_enum_variant`).
    for (ti, t) in types.iter().enumerate() {
        if let TypeKind::Union(alts) = &t.kind {
            for (ai, a) in alts.iter().enumerate() {
                if let TypeRef::Named(n) = &a.ty {
                    let is_struct = index
                        .get(n)
                        .is_some_and(|&i| matches!(types[i].kind, TypeKind::Struct(_)));
                    if is_struct && !boxes.contains(&(ti, ai)) {
                        boxes.push((ti, ai));
                    }
                }
            }
        }
    }
    for (ti, fi) in boxes {
        match &mut types[ti].kind {
            TypeKind::Struct(s) => s.fields[fi].boxed = true,
            TypeKind::Union(alts) => alts[fi].boxed = true,
            _ => {}
        }
    }
    errors
}
