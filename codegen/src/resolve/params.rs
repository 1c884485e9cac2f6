//! Parameters: places, types, defaults and bounds.

use super::*;

/// Where an operation's parameters are listed: the path item's `parameters` and the
/// operation's own, each with the pointer of the object that holds it.
pub(super) struct ParamLists<'a> {
    /// The path item's list and the path item's pointer.
    pub shared: (Option<&'a Value>, &'a str),
    /// The operation's list and the operation's pointer.
    pub own: (Option<&'a Value>, &'a str),
}

/// What a parameter's Rust name must not collide with, and the path it fills.
#[derive(Clone, Copy)]
pub(super) struct ParamNames<'a> {
    /// The path template.
    pub path: &'a str,
    /// The request type's `build_for_<variable>` method, if the document has a server.
    pub server_fn: &'a str,
    /// The operation has a request body (its field is `body`).
    pub has_body: bool,
}

impl Resolver<'_> {
    pub(super) fn deref_param<'v>(
        &mut self,
        root: &'v Map<String, Value>,
        p: &'v Value,
        ptr: &str,
    ) -> Option<&'v Map<String, Value>> {
        let m = obj(p)?;
        if let Some(r) = m.get("$ref").and_then(Value::as_str) {
            let target = r.strip_prefix("#/components/parameters/").and_then(|n| {
                root.get("components")?
                    .get("parameters")?
                    .get(unescape(n).as_str())
            });
            if target.is_none() {
                self.err(
                    &format!("{ptr}/$ref"),
                    format!("unknown `$ref` `{r}`: no such parameter in /components/parameters"),
                );
            }
            return target.and_then(obj);
        }
        Some(m)
    }

    /// An operation's parameters: the path item's and its own (which override them), checked
    /// against the path template, ordered (path in template order, query, header) and named.
    pub(super) fn params(
        &mut self,
        root: &Map<String, Value>,
        lists: &ParamLists<'_>,
        names: &ParamNames<'_>,
    ) -> Vec<Param> {
        let ParamNames {
            path,
            server_fn,
            has_body,
        } = *names;
        let optr = lists.own.1;
        // (location, wire name) → param, operation-level ones overriding path-level ones.
        let mut by_key: Vec<((ParamIn, String), Param, String)> = Vec::new();
        for (list, lptr) in [
            (lists.shared.0, format!("{}/parameters", lists.shared.1)),
            (lists.own.0, format!("{optr}/parameters")),
        ] {
            let Some(list) = list else { continue };
            let Some(list) = list.as_array() else {
                self.err(&lptr, "`parameters` must be a list");
                continue;
            };
            for (i, p) in list.iter().enumerate() {
                let pptr = format!("{lptr}/{i}");
                let Some(pm) = self.deref_param(root, p, &pptr) else {
                    self.err(&pptr, "a parameter must be a mapping");
                    continue;
                };
                if let Some(param) = self.param(pm, &pptr) {
                    let key = (param.location, param.wire_name.to_ascii_lowercase());
                    by_key.retain(|(k, _, _)| *k != key);
                    by_key.push((key, param, pptr));
                }
            }
        }
        // Path template names must match path parameters one to one.
        let template: Vec<String> = PathTemplate::parse(path)
            .params()
            .map(str::to_owned)
            .collect();
        for name in &template {
            if !by_key
                .iter()
                .any(|((l, _), p, _)| *l == ParamIn::Path && &p.wire_name == name)
            {
                self.err(
                    optr,
                    format!("the path has `{{{name}}}` but no path parameter `{name}` is defined"),
                );
            }
        }
        for ((l, _), p, pptr) in &by_key {
            if *l == ParamIn::Path && !template.contains(&p.wire_name) {
                self.err(
                    pptr,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`",
                        p.wire_name
                    ),
                );
            }
        }
        let order = |l: ParamIn| match l {
            ParamIn::Path => 0,
            ParamIn::Query => 1,
            ParamIn::Header => 2,
        };
        let mut params: Vec<Param> = by_key.into_iter().map(|(_, p, _)| p).collect();
        params.sort_by_key(|p| {
            let pos = template.iter().position(|t| *t == p.wire_name).unwrap_or(0);
            (
                order(p.location),
                if p.location == ParamIn::Path { pos } else { 0 },
            )
        });
        // Parameters are fields and setters of the request type: names that differ only in
        // spelling or place (`limit` in the query and `Limit` as a header) get distinct names,
        // and the request type's own methods keep theirs.
        let bases: Vec<String> = params.iter().map(|p| p.rust_name.clone()).collect();
        let mut reserved: Vec<&str> = REQUEST_METHODS.to_vec();
        reserved.push(server_fn);
        // The request body's field (and setter), when the operation has one.
        if has_body {
            reserved.push("body");
        }
        for (p, name) in params.iter_mut().zip(dedupe(&bases, &reserved, "_")) {
            p.rust_name = name;
        }
        params
    }

    pub(super) fn param(&mut self, pm: &Map<String, Value>, pptr: &str) -> Option<Param> {
        let Some(name) = pm.get("name").and_then(Value::as_str) else {
            self.err(pptr, "a parameter needs a `name`");
            return None;
        };
        let location = match pm.get("in").and_then(Value::as_str) {
            Some("path") => ParamIn::Path,
            Some("query") => ParamIn::Query,
            Some("header") => ParamIn::Header,
            Some(other) => {
                self.err(
                    &format!("{pptr}/in"),
                    format!("unsupported construct: parameters `in: {other}`"),
                );
                return None;
            }
            None => {
                self.err(pptr, "a parameter needs `in` (path, query or header)");
                return None;
            }
        };
        let required = matches!(pm.get("required"), Some(Value::Bool(true)));
        if location == ParamIn::Path && !required {
            self.err(
                pptr,
                format!("path parameter `{name}` must have `required: true`"),
            );
        }
        let sptr = format!("{pptr}/schema");
        let Some(schema) = pm.get("schema") else {
            self.err(
                pptr,
                format!("parameter `{name}` needs a `schema` (`content` is not supported)"),
            );
            return None;
        };
        let ty = self.type_ref(schema, &sptr, &pascal(name));
        let scalar = |ty: &TypeRef| {
            matches!(
                ty,
                TypeRef::String
                    | TypeRef::DateTime
                    | TypeRef::JsonString
                    | TypeRef::I32
                    | TypeRef::I64
                    | TypeRef::F64
                    | TypeRef::Bool
                    | TypeRef::BooleanString
                    | TypeRef::Named(_)
            )
        };
        let ty = match ty {
            ref t if scalar(t) => ty,
            // An array in the query: the key repeated, once per item (`style: form`,
            // `explode: true`, OpenAPI's default for query parameters).
            TypeRef::Array(ref item) if location == ParamIn::Query && scalar(item) => {
                if matches!(pm.get("explode"), Some(Value::Bool(false))) {
                    self.err(
                        &format!("{pptr}/explode"),
                        "unsupported construct: `explode: false` (comma-joined arrays); the generator sends one key per item",
                    );
                    return None;
                }
                if schema.get("default").is_some() {
                    self.err(
                        &format!("{sptr}/default"),
                        "unsupported construct: a default on an array parameter",
                    );
                    return None;
                }
                ty
            }
            _ => {
                self.err(&sptr, format!("unsupported construct: parameter `{name}` must be a scalar (string of any format, integer, number, boolean, enum), or in the query an array of scalars"));
                return None;
            }
        };
        let default = match schema.get("default") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                self.err(
                    &format!("{sptr}/default"),
                    "a parameter default must be a scalar",
                );
                None
            }
        };
        if let Some(d) = &default {
            if location == ParamIn::Header && d.contains(['\r', '\n']) {
                self.err(
                    &format!("{sptr}/default"),
                    "a header default must not contain CR or LF",
                );
            }
        }
        let constraints = self.constraints(schema, &ty, &sptr);
        Some(Param {
            wire_name: name.to_owned(),
            rust_name: snake(name),
            location,
            required,
            default,
            ty,
            doc: text(pm.get("description")),
            schema_pointer: sptr,
            constraints,
        })
    }

    /// The bounds a parameter's schema states (for an array, its items'), following one `$ref`.
    /// A `pattern` outside the subset the runtime's matcher reads is refused.
    pub(super) fn constraints(&mut self, schema: &Value, ty: &TypeRef, sptr: &str) -> Constraints {
        let schema = match ty {
            TypeRef::Array(_) => schema.get("items").unwrap_or(&Value::Null),
            _ => schema,
        };
        let schema = match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => r
                .strip_prefix("#/components/schemas/")
                .and_then(|n| self.components.get(&unescape(n)))
                .cloned()
                .unwrap_or(Value::Null),
            None => schema.clone(),
        };
        let number = |k: &str| schema.get(k).and_then(Value::as_f64);
        let count = |k: &str| {
            schema
                .get(k)
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok())
        };
        let mut c = Constraints {
            minimum: number("minimum"),
            maximum: number("maximum"),
            exclusive_minimum: number("exclusiveMinimum"),
            exclusive_maximum: number("exclusiveMaximum"),
            min_length: count("minLength"),
            max_length: count("maxLength"),
            pattern: schema
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        let item = match ty {
            TypeRef::Array(item) => item.as_ref(),
            other => other,
        };
        let item = self.through_aliases(item);
        let numeric = matches!(item, TypeRef::I32 | TypeRef::I64 | TypeRef::F64);
        let text = matches!(item, TypeRef::String);
        // As in JSON Schema, a bound for another type of value does not apply.
        if !numeric {
            c.minimum = None;
            c.maximum = None;
            c.exclusive_minimum = None;
            c.exclusive_maximum = None;
        }
        if !text {
            c.min_length = None;
            c.max_length = None;
            c.pattern = None;
        }
        if let Some(p) = &c.pattern {
            if let Err(e) = crate::pattern::Pattern::new(p) {
                self.err(
                    &format!("{sptr}/pattern"),
                    format!("unsupported construct: the pattern `{p}` cannot be checked by the request builder: {e}"),
                );
            }
        }
        c
    }
}
