//! Step 3 of the importer: what the page states → an OpenAPI 3.1 draft in the style of
//! `spec/`, with the page line of each fact (for drift reports) and notes on every quirk.

use super::cells::{self, Facts};
use super::page::{In, ObjTable, Page, Row};
use super::Note;
use codegen::names::{pascal, snake};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

mod components;
mod names;
mod schema;

use components::{Builder, Group};
pub use names::operation_id;
use schema::{caption_number, decorate, described, kind, param_schema, timestamp, Kind};

/// The draft and where its facts come from.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The OpenAPI document.
    pub doc: Value,
    /// JSON pointer in `doc` → page line.
    pub lines: BTreeMap<String, usize>,
}

use codegen::error::escape_token as esc;

fn error_body() -> Value {
    json!({
        "type": "object",
        "description": "Huawei Cloud error body.",
        "required": ["error_code", "error_msg"],
        "properties": {
            "error_code": {"type": "string", "description": "Error code."},
            "error_msg": {"type": "string", "description": "Error message."},
            "request_id": {"type": "string", "description": "Request ID, added by the API gateway to its own errors."}
        }
    })
}

fn status_text(code: u16) -> &'static str {
    match code {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        500 => "Internal Server Error",
        _ => "Response",
    }
}

/// The page's parameters, each with its line, and the token header (the security scheme, not
/// a parameter): its name and description.
fn parameters(
    b: &mut Builder<'_>,
    page: &Page,
    op_ptr: &str,
) -> (Vec<Value>, Option<(String, String)>) {
    let mut params = Vec::new();
    let mut token: Option<(String, String)> = None;
    for (loc, row) in &page.params {
        if *loc == In::Header && row.name.eq_ignore_ascii_case("x-auth-token") {
            token = Some((row.name.clone(), cells::facts(&row.description).text));
            continue;
        }
        let required = *loc == In::Path || row.mandatory == Some(true);
        let mut p = json!({
            "name": row.name,
            "in": match loc { In::Path => "path", In::Query => "query", In::Header => "header" },
            "required": required,
        });
        let f = cells::facts(&row.description);
        if !f.text.is_empty() {
            p["description"] = Value::from(f.text.clone());
        }
        p["schema"] = param_schema(row, b.notes);
        b.lines
            .insert(format!("{op_ptr}/parameters/{}", params.len()), row.line);
        params.push(p);
    }
    (params, token)
}

/// The parameters made to agree with the path: a path parameter not in it becomes a query
/// parameter, one listed twice is dropped, a placeholder without a row is added — each said.
fn agree_with_path(
    b: &mut Builder<'_>,
    params: Vec<Value>,
    path: &str,
    op_ptr: &str,
    uri_line: usize,
) -> Vec<Value> {
    let placeholders: Vec<String> = path
        .split('{')
        .skip(1)
        .filter_map(|p| p.split_once('}').map(|(n, _)| n.to_owned()))
        .collect();
    let mut seen_params: Vec<(String, String)> = Vec::new();
    let mut kept = Vec::new();
    for (i, mut p) in params.into_iter().enumerate() {
        let line = b
            .lines
            .remove(&format!("{op_ptr}/parameters/{i}"))
            .unwrap_or(uri_line);
        let name = p["name"].as_str().unwrap_or("").to_owned();
        if p["in"] == "path" && !placeholders.contains(&name) {
            b.notes.push(Note::unplaced(line, format!("path parameter `{name}` is not in the path: the draft makes it a query parameter")));
            p["in"] = json!("query");
            p["required"] = json!(false);
        }
        let place = p["in"].as_str().unwrap_or("").to_owned();
        let key = (
            if place == "header" {
                name.to_ascii_lowercase()
            } else {
                name.clone()
            },
            place,
        );
        if seen_params.contains(&key) {
            b.notes.push(Note::unplaced(
                line,
                format!("parameter `{name}` is listed twice: the draft keeps the first"),
            ));
            continue;
        }
        seen_params.push(key);
        b.lines
            .insert(format!("{op_ptr}/parameters/{}", kept.len()), line);
        kept.push(p);
    }
    for name in &placeholders {
        if !seen_params.iter().any(|(n, p)| n == name && p == "path") {
            b.notes.push(Note::quirk(
                uri_line,
                format!("path parameter `{name}` has no table row: added as a required string"),
            ));
            b.lines
                .insert(format!("{op_ptr}/parameters/{}", kept.len()), uri_line);
            kept.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
    }
    kept
}

/// The request body: a component of the request tables, when the page has any.
fn request_body(b: &mut Builder<'_>, page: &Page, pascal_op: &str, title: &str) -> Option<Value> {
    let mut request_body = None;
    if !page.request.is_empty() {
        let mut group = Group::new(&page.request);
        let name = b.component(
            &mut group,
            0,
            &format!("{pascal_op}RequestBody"),
            &format!("Request body of {title}."),
        );
        for (i, t) in page.request.iter().enumerate() {
            if !group.claimed[i] {
                b.notes
                    .push(Note::unplaced(t.line, "a request table no field refers to"));
            }
        }
        request_body = Some(
            json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}}}),
        );
    }
    request_body
}

/// The responses: every status listed or with a table, each with its body component and the
/// page's examples for it; errors without a table get the error body; `default` when the page
/// only says "see Error Codes". Also whether the error body is used.
fn responses(
    b: &mut Builder<'_>,
    page: &Page,
    op_ptr: &str,
    pascal_op: &str,
    title: &str,
    uri_line: usize,
) -> (Map<String, Value>, bool) {
    let mut responses = Map::new();
    let mut codes: BTreeSet<u16> = page.statuses.iter().map(|(_, c, _)| *c).collect();
    codes.extend(page.responses.iter().map(|(c, _)| *c));
    if codes.is_empty() {
        codes.insert(200);
    }
    let mut error_used = false;
    for code in &codes {
        let line = page
            .statuses
            .iter()
            .find(|(_, c, _)| c == code)
            .map(|(l, _, _)| *l)
            .unwrap_or(uri_line);
        let description = page
            .statuses
            .iter()
            .find(|(_, c, _)| c == code)
            .map(|(_, _, d)| d.clone())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| status_text(*code).to_owned());
        let mut r = json!({"description": description});
        if let Some((_, tables)) = page.responses.iter().find(|(c, _)| c == code) {
            let mut group = Group::new(tables);
            let base = if *code < 300 {
                format!("{pascal_op}Response")
            } else {
                format!("{pascal_op}Error{code}")
            };
            let name = b.component(&mut group, 0, &base, &format!("Response of {title}."));
            for (i, t) in tables.iter().enumerate() {
                if !group.claimed[i] {
                    b.notes
                        .push(Note::unplaced(t.line, "a table no field refers to"));
                }
            }
            // A body that is an array: one row named `[items]` (or `[…]`) in the top table.
            let top = &tables[0];
            let array_row = (top.rows.len() == 1 && top.rows[0].name.starts_with('['))
                .then(|| top.rows[0].name.clone());
            let schema = match &array_row {
                Some(row) => {
                    let item = b.schemas[&name]["properties"][row].clone();
                    b.schemas.remove(&name);
                    let mut item = item;
                    if let Some(m) = item.as_object_mut() {
                        m.remove("description");
                    }
                    item
                }
                None => json!({"$ref": format!("#/components/schemas/{name}")}),
            };
            let examples: Vec<&(usize, Option<u16>, Value)> = {
                let exact: Vec<_> = page
                    .examples
                    .iter()
                    .filter(|(_, s, _)| *s == Some(*code))
                    .collect();
                if exact.is_empty() && *code < 300 {
                    page.examples
                        .iter()
                        .filter(|(_, s, _)| s.is_none())
                        .collect()
                } else {
                    exact
                }
            };
            let mut media = json!({"schema": schema.clone()});
            let mut listed = Map::new();
            for (k, (l, _, v)) in examples.iter().enumerate() {
                let target = b.target(&schema);
                let inner = if v.is_array() && array_row.is_some() {
                    v.get(0).cloned().unwrap_or(Value::Null)
                } else {
                    v.clone()
                };
                if let Some(t) = target {
                    b.reconcile(&t, &inner, *l, &mut BTreeSet::new());
                }
                let key = if k == 0 {
                    "doc".to_owned()
                } else {
                    format!("doc{}", k + 1)
                };
                listed.insert(
                    key,
                    json!({"summary": "An example response of the doc page.", "value": v}),
                );
            }
            if !listed.is_empty() {
                media["examples"] = Value::Object(listed);
            }
            r["content"] = json!({"application/json": media});
        } else if *code >= 400 {
            error_used = true;
            r["content"] = json!({"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}});
        }
        b.lines.insert(format!("{op_ptr}/responses/{code}"), line);
        responses.insert(code.to_string(), r);
    }
    if page.error_codes.is_some() && !codes.iter().any(|c| *c >= 400) {
        error_used = true;
        responses.insert(
            "default".into(),
            json!({"description": "Error. See Error Codes.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}),
        );
        b.lines.insert(
            format!("{op_ptr}/responses/default"),
            page.error_codes.unwrap_or(0),
        );
    }
    for (l, s, _) in &page.examples {
        if s.is_some_and(|s| !page.responses.iter().any(|(c, _)| *c == s)) {
            b.notes.push(Note::ignored(
                *l,
                "an example for a status without a response table",
            ));
        }
    }
    (responses, error_used)
}

/// Builds the draft.
pub fn build(page: &Page, notes: &mut Vec<Note>) -> Draft {
    let (uri_line, method, path) = page.uri.clone().unwrap_or_default();
    let title = page
        .title
        .clone()
        .map(|(_, t)| t)
        .unwrap_or_else(|| "API".to_owned());
    let op_id = operation_id(&title);
    let op_ptr = format!("/paths/{}/{}", esc(&path), method.to_ascii_lowercase());
    let mut b = Builder {
        schemas: Map::new(),
        lines: BTreeMap::new(),
        notes,
    };
    b.lines.insert(op_ptr.clone(), uri_line);

    // Parameters; the token header is the security scheme.
    let (params, token) = parameters(&mut b, page, &op_ptr);

    // The path and its parameters must agree (validators refuse a draft where they do not).
    let params = agree_with_path(&mut b, params, &path, &op_ptr, uri_line);

    // Responses.
    let pascal_op = pascal(&op_id);
    let (responses, error_used) = responses(&mut b, page, &op_ptr, &pascal_op, &title, uri_line);

    // Request body.
    let request_body = request_body(&mut b, page, &pascal_op, &title);
    if error_used {
        b.schemas.insert("ErrorResponse".into(), error_body());
    }

    let mut op = json!({"operationId": op_id});
    let summary = page
        .function
        .first()
        .cloned()
        .unwrap_or_else(|| title.clone());
    op["summary"] = Value::from(summary);
    let mut description: Vec<String> = page.function.clone();
    description.extend(page.more.iter().cloned());
    if !description.is_empty() {
        op["description"] = Value::from(description.join(" "));
    }
    if !params.is_empty() {
        op["parameters"] = Value::Array(params);
    }
    if let Some(rb) = request_body {
        op["requestBody"] = rb;
    }
    op["responses"] = Value::Object(responses);

    let mut doc = json!({
        "openapi": "3.1.0",
        "info": {"title": title, "version": path.split('/').nth(1).filter(|v| v.starts_with('v')).unwrap_or("1"), "description": format!("Draft imported from the API reference page \"{title}\".")},
    });
    match page.hosts.first() {
        Some((_, host)) => {
            let parts: Vec<&str> = host.split('.').collect();
            if parts.len() >= 4 && host.ends_with(".myhuaweicloud.com") {
                doc["servers"] = json!([{"url": format!("https://{}.{{region}}.{}", parts[0], parts[2..].join(".")), "variables": {"region": {"default": parts[1]}}}]);
            } else {
                doc["servers"] = json!([{"url": format!("https://{host}")}]);
            }
        }
        None => b.notes.push(Note::quirk(
            uri_line,
            "the page names no host (only `{endpoint}`): the draft has no `servers`",
        )),
    }
    let mut security = Vec::new();
    let mut schemes = Map::new();
    if let Some((name, description)) = &token {
        schemes.insert(
            "token".into(),
            json!({"type": "apiKey", "in": "header", "name": name, "description": description}),
        );
        security.push(json!({"token": []}));
    }
    if page.aksk {
        schemes.insert("aksk".into(), json!({
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "AK/SK request signing (SDK-HMAC-SHA256), with the signing time in X-Sdk-Date.",
            "x-signing": {"algorithm": "SDK-HMAC-SHA256", "date-header": "X-Sdk-Date", "security-token-header": "X-Security-Token"}
        }));
        security.push(json!({"aksk": []}));
    }
    if !security.is_empty() {
        doc["security"] = Value::Array(security);
    }
    doc["paths"] = json!({ path.clone(): { method.to_ascii_lowercase(): op } });
    let mut components = Map::new();
    if !schemes.is_empty() {
        components.insert("securitySchemes".into(), Value::Object(schemes));
    }
    components.insert(
        "schemas".into(),
        Value::Object(std::mem::take(&mut b.schemas)),
    );
    doc["components"] = Value::Object(components);
    Draft {
        doc,
        lines: b.lines,
    }
}

#[cfg(test)]
mod tests {
    use super::operation_id;

    #[test]
    fn operation_ids_from_titles() {
        for (title, id) in [
            ("Obtaining Job Details", "get_job_details"),
            ("Enabling a Lantern", "enable_lantern"),
            (
                "Configuring Lantern Tags/Labels",
                "configure_lantern_tags_labels",
            ),
            (
                "Setting Lantern Quotas Per Region",
                "set_lantern_quotas_per_region",
            ),
            ("Batch Deleting Lanterns", "batch_delete_lanterns"),
            ("Querying Lantern Details - ShowLantern", "show_lantern"),
            (
                "Querying Information about ECSs' NICs",
                "get_information_about_ecss_nics",
            ),
            ("Locking a Gate", "lock_gate"),
            ("Saving Settings", "save_settings"),
            ("Stopping an Instance", "stop_instance"),
        ] {
            assert_eq!(operation_id(title), id, "{title}");
        }
    }
}
