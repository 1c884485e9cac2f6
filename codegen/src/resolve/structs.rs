//! Objects: properties, their Rust names, spellings (`x-aliases`, `x-tolerated-aliases`) and presence.

use super::*;

impl Resolver<'_> {
    pub(super) fn structure(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        type_name: &str,
    ) -> Struct {
        self.structure_at(map, ptr, type_name, &BTreeMap::new())
    }

    /// An object's struct; `pointers` gives the place of properties that are not at
    /// `{ptr}/properties/{name}` (merged from `allOf` parts).
    pub(super) fn structure_at(
        &mut self,
        map: &Map<String, Value>,
        ptr: &str,
        type_name: &str,
        pointers: &BTreeMap<String, String>,
    ) -> Struct {
        let required: BTreeSet<String> = self
            .string_list(
                map.get("required"),
                &format!("{ptr}/required"),
                "`required` must be a list of property names",
            )
            .into_iter()
            .collect();
        let keep_additional = !matches!(map.get("additionalProperties"), Some(Value::Bool(false)));
        let empty = Map::new();
        let props = match map.get("properties") {
            None => &empty,
            Some(Value::Object(p)) => p,
            Some(_) => {
                self.err(
                    &format!("{ptr}/properties"),
                    "`properties` must be a mapping",
                );
                &empty
            }
        };
        for r in &required {
            if !props.contains_key(r) {
                self.err(
                    &format!("{ptr}/required"),
                    format!("`{r}` is required but is not one of the properties"),
                );
            }
        }
        let mut fields = Vec::new();
        // Wire spelling (name or alias) → property.
        let mut spellings: BTreeMap<String, String> = BTreeMap::new();
        for (name, schema) in props {
            let pptr = pointers
                .get(name)
                .cloned()
                .unwrap_or_else(|| push_pointer(&format!("{ptr}/properties"), name));
            let Some(pmap) = obj(schema) else {
                self.err(&pptr, "a property schema must be a mapping");
                continue;
            };
            let Some(view) = self.view(schema, &pptr) else {
                continue;
            };
            // Made distinct below, once every property is known.
            let rust_name = snake(name);
            let aliases = self.aliases(pmap, &pptr);
            let tolerated = self.string_list(
                pmap.get("x-tolerated-aliases"),
                &format!("{pptr}/x-tolerated-aliases"),
                "`x-tolerated-aliases` must be a list of strings",
            );
            for spelling in std::iter::once(name)
                .chain(aliases.iter())
                .chain(tolerated.iter())
            {
                if let Some(other) = spellings.get(spelling) {
                    self.err(
                        &pptr,
                        format!(
                            "the spelling `{spelling}` is claimed by both `{other}` and `{name}`"
                        ),
                    );
                }
                spellings.insert(spelling.clone(), name.clone());
            }
            let hint = join_type_name(type_name, &pascal(name));
            let nullable = view.nullable;
            let ty = self.type_of(&view, &hint);
            if ty == TypeRef::BooleanString && nullable {
                self.err(
                    &pptr,
                    "unsupported construct: a nullable `x-boolean-string`",
                );
            }
            let const_value = match pmap.get("const") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => {
                    self.err(
                        &format!("{pptr}/const"),
                        "unsupported construct: only string `const` values are supported",
                    );
                    None
                }
            };
            let doc = text(pmap.get("description")).or_else(|| self.ref_description(pmap));
            fields.push(Field {
                wire_name: name.clone(),
                rust_name,
                aliases,
                tolerated,
                doc,
                ty,
                presence: Presence::new(required.contains(name), nullable),
                const_value,
                boxed: false,
                pointer: pptr,
            });
        }
        // Properties that differ only in spelling (`a-b`, `a.b`; `Self`, `self`) get distinct
        // field names; the catch-all `additional_properties` is the generator's.
        let bases: Vec<String> = fields.iter().map(|f: &Field| f.rust_name.clone()).collect();
        let reserved: &[&str] = if keep_additional {
            &["additional_properties"]
        } else {
            &[]
        };
        for (f, name) in fields.iter_mut().zip(dedupe(&bases, reserved, "_")) {
            f.rust_name = name;
        }
        Struct {
            fields,
            keep_additional,
            // Decided once every type is known (`mark_eq`).
            eq: true,
        }
    }

    pub(super) fn ref_description(&self, pmap: &Map<String, Value>) -> Option<String> {
        let name = pmap
            .get("$ref")?
            .as_str()?
            .strip_prefix("#/components/schemas/")?;
        self.schema_docs.get(&unescape(name))?.clone()
    }

    pub(super) fn aliases(&mut self, pmap: &Map<String, Value>, pptr: &str) -> Vec<String> {
        self.string_list(
            pmap.get("x-aliases"),
            &format!("{pptr}/x-aliases"),
            "`x-aliases` must be a list of strings",
        )
    }

    /// A keyword that must be a list of strings (absent: empty); anything else is an error.
    pub(super) fn string_list(
        &mut self,
        value: Option<&Value>,
        ptr: &str,
        message: &str,
    ) -> Vec<String> {
        match value {
            None => Vec::new(),
            Some(Value::Array(a)) if a.iter().all(Value::is_string) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(_) => {
                self.err(ptr, message);
                Vec::new()
            }
        }
    }
}
