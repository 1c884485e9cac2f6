//! Schemas: supported keywords, types, named types and types used in place.

use super::*;

impl Resolver<'_> {
    pub(super) fn check_supported(&mut self, schema: &Map<String, Value>, ptr: &str) -> bool {
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

    /// The `type` keyword: the non-null type and whether `null` is allowed.
    pub(super) fn schema_type(
        &mut self,
        schema: &Map<String, Value>,
        ptr: &str,
    ) -> (Option<String>, bool) {
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

    pub(super) fn named_type(&mut self, rust: &str, schema_name: &str, schema: &Value, ptr: &str) {
        let Some(map) = obj(schema) else {
            self.err(ptr, "a schema must be a mapping");
            return;
        };
        if !self.check_supported(map, ptr) {
            return;
        }
        let doc = text(map.get("description")).or_else(|| text(map.get("title")));
        let (ty, _) = self.schema_type(map, ptr);
        let kind = if let Some(kind) = self.union(map, ptr, rust) {
            match kind {
                Some(kind) => kind,
                None => return,
            }
        } else if map.contains_key("allOf") {
            let Some((merged, pointers)) = self.merge_all_of(map, ptr, 0) else {
                return;
            };
            let doc = doc.clone().or_else(|| text(merged.get("description")));
            let st = self.structure_at(&merged, ptr, rust, &pointers);
            self.types.push(TypeDef {
                name: rust.to_owned(),
                schema_name: schema_name.to_owned(),
                doc,
                pointer: ptr.to_owned(),
                kind: TypeKind::Struct(st),
            });
            return;
        } else if map.contains_key("$ref") {
            TypeKind::Alias(self.type_ref(schema, ptr, rust))
        } else if map.contains_key("properties")
            || (ty.as_deref() == Some("object") && !map.contains_key("additionalProperties"))
        {
            TypeKind::Struct(self.structure(map, ptr, rust))
        } else if matches!(ty.as_deref(), Some("string") | Some("integer"))
            && map.contains_key("enum")
            && !is_true(map.get("x-boolean-string"))
        {
            match self.enumeration(map, ptr) {
                Some(e) => TypeKind::Enum(e),
                None => return,
            }
        } else {
            TypeKind::Alias(self.type_ref(schema, ptr, rust))
        };
        self.types.push(TypeDef {
            name: rust.to_owned(),
            schema_name: schema_name.to_owned(),
            doc,
            pointer: ptr.to_owned(),
            kind,
        });
    }

    /// The type a `$ref` names: a component's Rust type (an error for any other reference).
    fn named_ref(&mut self, r: &Value, ptr: &str) -> TypeRef {
        let rptr = format!("{ptr}/$ref");
        let Some(r) = r.as_str() else {
            self.err(&rptr, "`$ref` must be a string");
            return TypeRef::Any;
        };
        let Some(name) = r.strip_prefix("#/components/schemas/") else {
            self.err(
                &rptr,
                format!("unsupported `$ref` `{r}`: only local references to #/components/schemas/... are supported"),
            );
            return TypeRef::Any;
        };
        match self.schema_names.get(&unescape(name)) {
            Some(rust) => TypeRef::Named(rust.clone()),
            None => {
                self.err(
                    &rptr,
                    format!("unknown `$ref` `{r}`: no such schema in /components/schemas"),
                );
                TypeRef::Any
            }
        }
    }

    /// The type of a schema used in place (a property, an item, a parameter or a body).
    /// Inline objects and enums become named types called `hint`.
    pub(super) fn type_ref(&mut self, schema: &Value, ptr: &str, hint: &str) -> TypeRef {
        let Some(map) = obj(schema) else {
            if schema == &Value::Bool(true) {
                return TypeRef::Any;
            }
            self.err(ptr, "a schema must be a mapping");
            return TypeRef::Any;
        };
        if map.contains_key("allOf") {
            return self.inline_named(schema, ptr, hint);
        }
        if let Some((key, parts)) = union_parts(map) {
            // `oneOf: [{$ref: X}, {type: 'null'}]`: X, nullable (the caller reads the null).
            let non_null: Vec<(usize, &Value)> = parts
                .iter()
                .enumerate()
                .filter(|(_, p)| !is_null_schema(p))
                .collect();
            if let [(i, only)] = non_null.as_slice() {
                return self.type_ref(only, &format!("{ptr}/{key}/{i}"), hint);
            }
            return self.inline_named(schema, ptr, hint);
        }
        if !self.check_supported(map, ptr) {
            return TypeRef::Any;
        }
        if let Some(r) = map.get("$ref") {
            return self.named_ref(r, ptr);
        }
        let (ty, _) = self.schema_type(map, ptr);
        let boolean_string = is_true(map.get("x-boolean-string"));
        if map.contains_key("x-boolean-string")
            && !matches!(map.get("x-boolean-string"), Some(Value::Bool(_)))
        {
            self.err(
                &format!("{ptr}/x-boolean-string"),
                "`x-boolean-string` must be true or false",
            );
        }
        match ty.as_deref() {
            Some("string") => {
                if boolean_string {
                    return TypeRef::BooleanString;
                }
                if map.contains_key("enum") {
                    return self.inline_named(schema, ptr, hint);
                }
                if let Some(media) = map.get("contentMediaType").and_then(Value::as_str) {
                    if media == "application/json" || media.ends_with("+json") {
                        return TypeRef::JsonString;
                    }
                }
                match map.get("format").and_then(Value::as_str) {
                    Some("date-time") => TypeRef::DateTime,
                    _ => TypeRef::String,
                }
            }
            Some("integer") if map.contains_key("enum") => self.inline_named(schema, ptr, hint),
            Some("integer") => match map.get("format").and_then(Value::as_str) {
                Some("int32") => TypeRef::I32,
                _ => TypeRef::I64,
            },
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("null") => TypeRef::Any,
            Some("array") => match map.get("items") {
                Some(items) => {
                    let item_hint = join_type_name(hint, "Item");
                    let iptr = format!("{ptr}/items");
                    let inner = self.type_ref(items, &iptr, &item_hint);
                    if inner == TypeRef::BooleanString {
                        self.err(
                            &iptr,
                            "unsupported construct: `x-boolean-string` inside an array",
                        );
                    }
                    TypeRef::Array(Box::new(inner))
                }
                None => TypeRef::Array(Box::new(TypeRef::Any)),
            },
            Some("object") | None => {
                if map.contains_key("properties") {
                    return self.inline_named(schema, ptr, hint);
                }
                match map.get("additionalProperties") {
                    Some(Value::Object(_)) => {
                        let ap = &map["additionalProperties"];
                        let inner = self.type_ref(
                            ap,
                            &format!("{ptr}/additionalProperties"),
                            &join_type_name(hint, "Value"),
                        );
                        TypeRef::Map(Box::new(inner))
                    }
                    _ if ty.is_some() => TypeRef::Map(Box::new(TypeRef::Any)),
                    _ => TypeRef::Any,
                }
            }
            Some(other) => {
                self.err(&format!("{ptr}/type"), format!("unknown type `{other}`"));
                TypeRef::Any
            }
        }
    }

    pub(super) fn inline_named(&mut self, schema: &Value, ptr: &str, hint: &str) -> TypeRef {
        let name = self.unique_type_name(hint, ptr);
        self.named_type(&name, &name, schema, ptr);
        TypeRef::Named(name)
    }

    /// The type a named alias stands for (through chains of aliases); other types as they are.
    pub(super) fn through_aliases(&self, ty: &TypeRef) -> TypeRef {
        let mut ty = ty.clone();
        for _ in 0..32 {
            let TypeRef::Named(n) = &ty else { break };
            match self.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                _ => break,
            }
        }
        ty
    }

    /// Whether a value of this type can be shown as text (it is a scalar or an enum).
    pub(super) fn is_text_like(&self, ty: &TypeRef) -> bool {
        let mut ty = ty.clone();
        // Through aliases (bounded: alias cycles are reported elsewhere).
        for _ in 0..32 {
            match &ty {
                TypeRef::Named(n) => {
                    match self.types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                        Some(TypeKind::Enum(_)) => return true,
                        Some(TypeKind::Alias(inner)) => ty = inner.clone(),
                        _ => return false,
                    }
                }
                TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Any => return false,
                _ => return true,
            }
        }
        false
    }
}
