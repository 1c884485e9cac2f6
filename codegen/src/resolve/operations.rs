//! Operations: their requests, bodies and responses.

use super::*;

impl Resolver<'_> {
    pub(super) fn operations(
        &mut self,
        root: &Map<String, Value>,
        server_fn: &str,
    ) -> Vec<Operation> {
        let mut out = Vec::new();
        let Some(paths) = root.get("paths") else {
            return out;
        };
        let Some(paths) = obj(paths) else {
            self.err("/paths", "`paths` must be a mapping");
            return out;
        };
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (path, item) in paths {
            let iptr = push_pointer("/paths", path);
            if !path.starts_with('/') {
                self.err(&iptr, "a path must start with `/`");
                continue;
            }
            let Some(item) = obj(item) else {
                self.err(&iptr, "a path item must be a mapping");
                continue;
            };
            if item.contains_key("$ref") {
                self.err(
                    &format!("{iptr}/$ref"),
                    "unsupported construct: `$ref` on a path item",
                );
                continue;
            }
            let shared = item.get("parameters");
            for (method, op) in item {
                if !METHODS.contains(&method.as_str()) {
                    continue;
                }
                let optr = push_pointer(&iptr, method);
                let Some(op) = obj(op) else {
                    self.err(&optr, "an operation must be a mapping");
                    continue;
                };
                let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                    self.err(
                        &optr,
                        "missing `operationId`: every operation needs one to name its Rust items",
                    );
                    continue;
                };
                if let Some(first) = ids.get(id) {
                    self.err(
                        &format!("{optr}/operationId"),
                        format!("duplicate operationId `{id}`: also used at {first}"),
                    );
                    continue;
                }
                ids.insert(id.to_owned(), optr.clone());
                let Some((rust_name, type_name, request_type)) = self.op_names.get(&optr).cloned()
                else {
                    continue;
                };
                let body = op
                    .get("requestBody")
                    .and_then(|b| self.request_body(root, b, &optr, &type_name));
                let lists = ParamLists {
                    shared: (shared, &iptr),
                    own: (op.get("parameters"), &optr),
                };
                let names = ParamNames {
                    path,
                    server_fn,
                    has_body: body.is_some(),
                };
                let params = self.params(root, &lists, &names);
                let responses = self.responses(op.get("responses"), &optr, &type_name);
                let job = op
                    .get("x-job")
                    .and_then(|j| self.job_access(j, &format!("{optr}/x-job"), &responses));
                let Some(method) = Method::parse(method) else {
                    continue;
                };
                out.push(Operation {
                    id: id.to_owned(),
                    rust_name,
                    type_name,
                    request_type,
                    method,
                    path: PathTemplate::parse(path),
                    summary: text(op.get("summary")),
                    description: text(op.get("description")),
                    pointer: optr,
                    params,
                    body,
                    responses,
                    job,
                });
            }
        }
        out
    }

    /// A JSON request body: its type (inline objects named `<Operation>Body`), whether it is
    /// required, and its schema's pointer. A body of another media type only is refused.
    pub(super) fn request_body(
        &mut self,
        root: &Map<String, Value>,
        body: &Value,
        optr: &str,
        type_name: &str,
    ) -> Option<RequestBody> {
        let mut bptr = format!("{optr}/requestBody");
        let mut body = body;
        if let Some(r) = body.get("$ref").and_then(Value::as_str) {
            let target = r.strip_prefix("#/components/requestBodies/").and_then(|n| {
                root.get("components")?
                    .get("requestBodies")?
                    .get(unescape(n).as_str())
            });
            match target {
                Some(t) => {
                    bptr = r.trim_start_matches('#').to_owned();
                    body = t;
                }
                None => {
                    self.err(
                        &format!("{bptr}/$ref"),
                        format!("unknown `$ref` `{r}`: no such request body in /components/requestBodies"),
                    );
                    return None;
                }
            }
        }
        let Some(content) = body.get("content").and_then(obj) else {
            self.err(&bptr, "a request body needs `content`");
            return None;
        };
        let Some((media, mt)) = content.iter().find(|(m, _)| is_json_media(m)) else {
            let list: Vec<&str> = content.keys().map(String::as_str).collect();
            self.err(
                &format!("{bptr}/content"),
                format!(
                    "unsupported construct: a request body that is not JSON ({})",
                    list.join(", ")
                ),
            );
            return None;
        };
        let mptr = push_pointer(&format!("{bptr}/content"), media);
        let Some(schema) = mt.get("schema") else {
            self.err(&mptr, "a JSON request body needs a `schema`");
            return None;
        };
        let sptr = format!("{mptr}/schema");
        let ty = self.type_ref(schema, &sptr, &join_type_name(type_name, "Body"));
        if ty == TypeRef::BooleanString {
            self.err(
                &sptr,
                "unsupported construct: `x-boolean-string` as a whole request body",
            );
            return None;
        }
        Some(RequestBody {
            ty,
            required: is_true(body.get("required")),
            media: media.clone(),
            schema_pointer: sptr,
        })
    }

    pub(super) fn responses(
        &mut self,
        responses: Option<&Value>,
        optr: &str,
        type_name: &str,
    ) -> Vec<Response> {
        let rptr = format!("{optr}/responses");
        let Some(responses) = responses.and_then(obj) else {
            self.err(optr, "an operation needs `responses`");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, resp) in responses {
            let kptr = push_pointer(&rptr, key);
            let status = match parse_status(key) {
                Some(s) => s,
                None => {
                    self.err(
                        &kptr,
                        format!("`{key}` is not a status code, a range like `4XX`, or `default`"),
                    );
                    continue;
                }
            };
            let Some(resp) = obj(resp) else {
                self.err(&kptr, "a response must be a mapping");
                continue;
            };
            if resp.contains_key("$ref") {
                self.err(
                    &format!("{kptr}/$ref"),
                    "unsupported construct: `$ref` on a response",
                );
                continue;
            }
            let description = text(resp.get("description")).unwrap_or_default();
            let mut body = None;
            let mut schema_pointer = None;
            if let Some(content) = resp.get("content").and_then(obj) {
                let json = content.iter().find(|(media, _)| is_json_media(media));
                if let Some((media, mt)) = json {
                    let mptr = push_pointer(&format!("{kptr}/content"), media);
                    if let Some(schema) = mt.get("schema") {
                        let sptr = format!("{mptr}/schema");
                        let hint = join_type_name(
                            type_name,
                            &pascal(&format!("Response{}", key.to_ascii_uppercase())),
                        );
                        body = Some(self.type_ref(schema, &sptr, &hint));
                        schema_pointer = Some(sptr);
                    }
                }
            }
            out.push(Response {
                status,
                description,
                body,
                schema_pointer,
                success: matches!(status, StatusKey::Code(200..=299) | StatusKey::Range(2)),
            });
        }
        if !out.iter().any(|r| r.success) {
            self.err(&rptr, "an operation needs a documented 2xx response");
        }
        out
    }
}
