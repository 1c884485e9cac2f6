//! Schemas: named types and types used in place, converted from one reading ([`SchemaView`]).

use super::*;

impl Resolver<'_> {
    /// A named type from a schema of `components/schemas` (or an inline one given a name).
    pub(super) fn named_type(&mut self, rust: &str, schema_name: &str, schema: &Value, ptr: &str) {
        if let Some(v) = self.view(schema, ptr) {
            self.named_type_of(rust, schema_name, &v);
        }
    }

    /// [`Self::named_type`] from a schema already read.
    fn named_type_of(&mut self, rust: &str, schema_name: &str, v: &SchemaView<'_>) {
        if !v.supported {
            return;
        }
        let (map, ptr) = (v.map, v.ptr.as_str());
        let doc = text(map.get("description")).or_else(|| text(map.get("title")));
        let ty = v.ty.as_deref();
        let kind = if let Some(kind) = self.union(map, ptr, rust) {
            match kind {
                Some(kind) => kind,
                None => return,
            }
        } else if v.all_of {
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
        } else if v.reference.is_some() {
            TypeKind::Alias(self.type_of(v, rust))
        } else if map.contains_key("properties")
            || (ty == Some("object") && !map.contains_key("additionalProperties"))
        {
            TypeKind::Struct(self.structure(map, ptr, rust))
        } else if matches!(ty, Some("string") | Some("integer")) && v.has_enum && !v.boolean_string
        {
            match self.enumeration(map, ptr) {
                Some(e) => TypeKind::Enum(e),
                None => return,
            }
        } else {
            TypeKind::Alias(self.type_of(v, rust))
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
        if schema == &Value::Bool(true) {
            return TypeRef::Any;
        }
        match self.view(schema, ptr) {
            Some(v) => self.type_of(&v, hint),
            None => TypeRef::Any,
        }
    }

    /// [`Self::type_ref`] from a schema already read.
    pub(super) fn type_of(&mut self, v: &SchemaView<'_>, hint: &str) -> TypeRef {
        let (map, ptr) = (v.map, v.ptr.as_str());
        if v.all_of {
            return self.inline_named_of(v, hint);
        }
        if let Some((key, parts)) = v.union {
            // `oneOf: [{$ref: X}, {type: 'null'}]`: X, nullable (the caller reads the null).
            let non_null: Vec<(usize, &Value)> = parts
                .iter()
                .enumerate()
                .filter(|(_, p)| !is_null_schema(p))
                .collect();
            if let [(i, only)] = non_null.as_slice() {
                return self.type_ref(only, &format!("{ptr}/{key}/{i}"), hint);
            }
            return self.inline_named_of(v, hint);
        }
        if !v.supported {
            return TypeRef::Any;
        }
        if let Some(r) = v.reference {
            return self.named_ref(r, ptr);
        }
        match v.ty.as_deref() {
            Some("string") if v.boolean_string => TypeRef::BooleanString,
            Some("string") if v.has_enum => self.inline_named_of(v, hint),
            Some("string") if v.json_string => TypeRef::JsonString,
            Some("string") if v.format == Some("date-time") => TypeRef::DateTime,
            Some("string") => TypeRef::String,
            Some("integer") if v.has_enum => self.inline_named_of(v, hint),
            Some("integer") if v.format == Some("int32") => TypeRef::I32,
            Some("integer") => TypeRef::I64,
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
                    return self.inline_named_of(v, hint);
                }
                match map.get("additionalProperties") {
                    Some(ap @ Value::Object(_)) => {
                        let inner = self.type_ref(
                            ap,
                            &format!("{ptr}/additionalProperties"),
                            &join_type_name(hint, "Value"),
                        );
                        TypeRef::Map(Box::new(inner))
                    }
                    _ if v.ty.is_some() => TypeRef::Map(Box::new(TypeRef::Any)),
                    _ => TypeRef::Any,
                }
            }
            Some(other) => {
                self.err(&format!("{ptr}/type"), format!("unknown type `{other}`"));
                TypeRef::Any
            }
        }
    }

    /// An inline object, enum or union made a named type called `hint` (made unique).
    fn inline_named_of(&mut self, v: &SchemaView<'_>, hint: &str) -> TypeRef {
        let name = self.unique_type_name(hint, &v.ptr);
        self.named_type_of(&name, &name, v);
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
