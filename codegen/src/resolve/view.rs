//! A schema read once: its keywords typed, each error reported once. Fields, array items, map
//! values, parameters, request and response bodies and named types are all converted from this
//! one reading (`Resolver::type_of`), so a parameter's schema follows the rules of a field's.

use super::*;

/// The keywords of one schema that decide its Rust type.
pub(super) struct SchemaView<'v> {
    /// The schema as a mapping.
    pub map: &'v Map<String, Value>,
    /// Its JSON pointer.
    pub ptr: String,
    /// The non-null `type` (`None`: absent, or unreadable and reported).
    pub ty: Option<String>,
    /// `null` is allowed: by `type`, or by a null part of `oneOf`/`anyOf`.
    pub nullable: bool,
    /// `oneOf` or `anyOf`, with its parts.
    pub union: Option<(&'static str, &'v Vec<Value>)>,
    /// `allOf` is present.
    pub all_of: bool,
    /// `$ref`, when present.
    pub reference: Option<&'v Value>,
    /// No keyword this generator does not handle (those are reported).
    pub supported: bool,
    /// `x-boolean-string: true`.
    pub boolean_string: bool,
    /// `contentMediaType` is JSON (`application/json` or `+json`): JSON inside a string.
    pub json_string: bool,
    /// `format`.
    pub format: Option<&'v str>,
    /// `enum` is present.
    pub has_enum: bool,
}

impl Resolver<'_> {
    /// Reads a schema once; `None` (reported) when it is not a mapping.
    pub(super) fn view<'v>(&mut self, schema: &'v Value, ptr: &str) -> Option<SchemaView<'v>> {
        let Some(map) = obj(schema) else {
            self.err(ptr, "a schema must be a mapping");
            return None;
        };
        let supported = self.check_supported(map, ptr);
        let (ty, type_null) = self.schema_type(map, ptr);
        let union = union_parts(map);
        let nullable =
            type_null || union.is_some_and(|(_, parts)| parts.iter().any(is_null_schema));
        if map.contains_key("x-boolean-string")
            && !matches!(map.get("x-boolean-string"), Some(Value::Bool(_)))
        {
            self.err(
                &format!("{ptr}/x-boolean-string"),
                "`x-boolean-string` must be true or false",
            );
        }
        let json_string = map
            .get("contentMediaType")
            .and_then(Value::as_str)
            .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
        Some(SchemaView {
            map,
            ptr: ptr.to_owned(),
            ty,
            nullable,
            union,
            all_of: map.contains_key("allOf"),
            reference: map.get("$ref"),
            supported,
            boolean_string: is_true(map.get("x-boolean-string")),
            json_string,
            format: map.get("format").and_then(Value::as_str),
            has_enum: map.contains_key("enum"),
        })
    }

    /// The `type` keyword: the non-null type and whether `null` is allowed.
    fn schema_type(&mut self, schema: &Map<String, Value>, ptr: &str) -> (Option<String>, bool) {
        match schema.get("type") {
            None => (None, false),
            Some(Value::String(t)) => (Some(t.clone()), t == "null"),
            Some(Value::Array(ts)) => {
                let mut nullable = false;
                let mut others = Vec::new();
                for t in ts {
                    match t.as_str() {
                        Some("null") => nullable = true,
                        Some(t) => others.push(t.to_owned()),
                        None => {}
                    }
                }
                if others.len() > 1 {
                    self.err(
                        &format!("{ptr}/type"),
                        format!(
                            "unsupported construct: a value of several types ({})",
                            others.join(", ")
                        ),
                    );
                }
                (others.into_iter().next(), nullable)
            }
            Some(_) => {
                self.err(
                    &format!("{ptr}/type"),
                    "`type` must be a string or an array of strings",
                );
                (None, false)
            }
        }
    }

    fn check_supported(&mut self, schema: &Map<String, Value>, ptr: &str) -> bool {
        for kw in UNSUPPORTED_SCHEMA_KEYWORDS {
            if schema.contains_key(*kw) {
                self.err(
                    &push_pointer(ptr, kw),
                    format!("unsupported construct `{kw}`: this generator does not handle it yet"),
                );
                return false;
            }
        }
        true
    }
}
