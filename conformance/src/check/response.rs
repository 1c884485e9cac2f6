//! The response: status, content type, body, schema, model, spellings, enums.

use super::*;

/// The response's checks; returns the body it parsed (a documented JSON body that parsed), for
/// whoever else reads it (coverage), so that no body is parsed twice.
pub(super) fn response_checks(
    module: &SpecModule,
    oi: usize,
    ex: &Exchange,
    out: &mut Vec<Finding>,
) -> Option<Value> {
    let op = module.ir_operation(oi);
    let ri = documented_response(module, op, ex, out)?;
    let resp = &op.responses[ri];
    let (Some(schema_pointer), Some(validator)) = (
        resp.schema_pointer.as_deref(),
        module.response_validators[oi][ri].as_ref(),
    ) else {
        return None;
    };
    content_type(module, schema_pointer, ex, out);
    let instance = parsed_body(module, schema_pointer, ex, out)?;
    // The generated model reads the body as received.
    let model = crate::model::check(&module.name, &op.id, ex.status, &instance);
    // Aliases, undocumented fields and open enums, what the validator cannot see, at the
    // pointers the body used (`/job/EXECUTION_STATUS`).
    let mut w = WalkFindings::default();
    let shape = module.response_shapes[oi][ri];
    walk(&module.shapes, shape, &instance, &mut Vec::new(), &mut w);
    let open_enum = walk_findings(module, &w, out);
    // The validator reads the spec's canonical names: a canonical copy when the body used
    // other spellings, whose findings are pointed back at the spellings received.
    let renames = Renames::of(&w);
    let canonical = renames.canonical_copy(&instance);
    let first_new = out.len();
    let body = Walked {
        instance: canonical.as_ref().unwrap_or(&instance),
        status: ex.status,
        open_enum: &open_enum
            .iter()
            .map(|p| renames.to_canonical(p))
            .collect::<Vec<_>>(),
        conflicts: !w.duplicate_spellings.is_empty(),
    };
    schema_and_model(module, validator, &body, model, out);
    if !renames.is_empty() {
        for f in out[first_new..]
            .iter_mut()
            .filter(|f| f.check == Check::Schema)
        {
            f.pointer = renames.to_received(&f.pointer);
        }
    }
    Some(instance)
}

/// Pass 1: the status is documented; the index of its response.
fn documented_response(
    module: &SpecModule,
    op: &codegen::ir::Operation,
    ex: &Exchange,
    out: &mut Vec<Finding>,
) -> Option<usize> {
    let responses_ptr = format!("{}/responses", op.pointer);
    let Some(ri) = op.response_for(ex.status) else {
        let documented: Vec<Value> = op
            .responses
            .iter()
            .map(|r| match r.status {
                codegen::ir::StatusKey::Code(c) => Value::from(c),
                codegen::ir::StatusKey::Range(d) => Value::from(format!("{d}XX")),
                codegen::ir::StatusKey::Default => Value::from("default"),
            })
            .collect();
        let mut f = Finding::new(
            Check::Status,
            "",
            format!("status {} is not documented for this operation", ex.status),
        )
        .spec(module, &responses_ptr);
        f.expected = Some(Value::Array(documented));
        f.actual = Some(Value::from(ex.status));
        out.push(f);
        return None;
    };
    Some(ri)
}

/// Pass 2: a documented JSON body is labelled JSON.
fn content_type(module: &SpecModule, schema_pointer: &str, ex: &Exchange, out: &mut Vec<Finding>) {
    let json_ok = ex
        .content_type
        .as_deref()
        .is_some_and(codegen::resolve::is_json_media);
    if !json_ok {
        let mut f = Finding::new(
            Check::ContentType,
            "",
            "the spec documents a JSON body, but the response is not labelled JSON",
        )
        .spec(module, schema_pointer.trim_end_matches("/schema"));
        f.expected = Some(Value::from("application/json"));
        f.actual = Some(
            ex.content_type
                .clone()
                .map(Value::from)
                .unwrap_or(Value::Null),
        );
        out.push(f);
    }
}

/// Pass 3: the body is there and parses; `None` (with a finding) when it is not.
fn parsed_body(
    module: &SpecModule,
    schema_pointer: &str,
    ex: &Exchange,
    out: &mut Vec<Finding>,
) -> Option<Value> {
    if let Some(e) = &ex.body_error {
        out.push(Finding::new(Check::Body, "", e.clone()));
        return None;
    }
    if ex.body.iter().all(u8::is_ascii_whitespace) {
        out.push(
            Finding::new(
                Check::Body,
                "",
                "the body is empty; the spec documents a JSON body",
            )
            .spec(module, schema_pointer),
        );
        return None;
    }
    match serde_json::from_slice(&ex.body) {
        Ok(v) => Some(v),
        Err(e) => {
            let what = if std::str::from_utf8(&ex.body).is_err() {
                "the body is not UTF-8 JSON"
            } else {
                "the body is not valid JSON"
            };
            let mut f = Finding::new(Check::Body, "", format!("{what}: {e}"));
            let excerpt: String = String::from_utf8_lossy(&ex.body)
                .chars()
                .take(120)
                .collect();
            f.actual = Some(Value::from(excerpt));
            out.push(f);
            None
        }
    }
}

/// Pass 4: what the walk saw that the validator cannot: spellings, conflicts, undocumented
/// fields, values outside open enums. Returns the pointers of the latter (the schema's
/// findings there are replaced by these).
fn walk_findings(module: &SpecModule, w: &WalkFindings, out: &mut Vec<Finding>) -> Vec<String> {
    // A spelling other than the canonical one: documented (`x-aliases`) or only tolerated.
    let spellings_seen = (w.aliases_seen.iter().map(|s| (Check::Alias, s))).chain(
        w.tolerated_seen
            .iter()
            .map(|s| (Check::ToleratedSpelling, s)),
    );
    for (check, s) in spellings_seen {
        let (seen, canonical) = (&s.seen, &s.canonical);
        let message = if check == Check::Alias {
            format!("documented alternative spelling `{seen}` of `{canonical}`")
        } else {
            format!("`{seen}` is not a spelling the docs state for `{canonical}`; the generated models accept it (x-tolerated-aliases)")
        };
        let mut f = Finding::new(check, s.at.clone(), message).spec(module, &s.spec);
        f.actual = Some(Value::from(seen.clone()));
        f.expected = Some(Value::from(canonical.clone()));
        out.push(f);
    }
    for c in &w.duplicate_spellings {
        let mut f = Finding::new(
            Check::AliasConflict,
            c.at.clone(),
            format!(
                "`{}` is present in more than one spelling: {}",
                c.canonical,
                c.spellings.join(", ")
            ),
        )
        .spec(module, &c.spec);
        f.actual = Some(Value::from(c.spellings.clone()));
        out.push(f);
    }
    for u in &w.undocumented {
        out.push(
            Finding::new(
                Check::UndocumentedField,
                u.at.clone(),
                "a field the spec does not document",
            )
            .spec(module, &format!("{}/properties", u.spec)),
        );
    }
    let open_enum: Vec<String> = w.open_enum_values.iter().map(|v| v.at.clone()).collect();
    for OpenEnumValue {
        at: ip,
        value,
        spec: sp,
    } in &w.open_enum_values
    {
        let mut f =
            Finding::new(Check::OpenEnum,
                ip.clone(),
                format!(
                "`{}` is not a documented value of this enum (the generated models keep it as an unrecognized value, so code built on them still works)",
                value.as_str().map_or_else(|| value.to_string(), str::to_owned)
            ),
            )
            .spec(module, sp);
        f.actual = Some(value.clone());
        f.expected = module.at(sp).cloned();
        out.push(f);
    }
    open_enum
}

/// A body after the walk: what the schema and model pass needs of it.
struct Walked<'a> {
    /// The body in the spec's canonical spellings.
    instance: &'a Value,
    /// The response status.
    status: u16,
    /// Pointers of values outside open enums (reported by the walk, not the schema).
    open_enum: &'a [String],
    /// A field was sent in two spellings.
    conflicts: bool,
}

/// Pass 5: JSON Schema, and the generated model beside it (read from the body as received,
/// written back and validated again for 2xx).
fn schema_and_model(
    module: &SpecModule,
    validator: &jsonschema::Validator,
    body: &Walked<'_>,
    model: Option<Result<Option<Value>, crate::model::ModelError>>,
    out: &mut Vec<Finding>,
) {
    let Walked {
        instance,
        status,
        open_enum,
        conflicts,
    } = *body;
    let mut schema_errors =
        schema_findings(module, validator, instance, open_enum, Check::Schema, "");
    let schema_ok = schema_errors.is_empty() && !conflicts;
    // A `null` where the spec does not allow one, in a field the models read as an `Option`: one
    // fact, one finding (the schema's), which says that the models accept it.
    let null_is_all = !schema_errors.is_empty()
        && !conflicts
        && schema_errors
            .iter()
            .all(|f| f.keyword.as_deref() == Some("type") && f.actual == Some(Value::Null));
    if null_is_all && matches!(model, Some(Ok(_))) {
        for f in &mut schema_errors {
            f.message.push_str(
                " (the generated models accept null here: they read the field as absent)",
            );
        }
    }
    out.extend(schema_errors);
    match model {
        None => {}
        Some(Err(e)) => {
            let (check, msg) = if schema_ok {
                (
                    Check::SpecModelDisagreement,
                    format!(
                        "the body conforms to the schema, but the generated model rejects it: {}",
                        e.error
                    ),
                )
            } else {
                (
                    Check::Model,
                    format!("the generated model rejects the body too: {}", e.error),
                )
            };
            out.push(Finding::new(check, e.pointer.clone(), msg));
        }
        Some(Ok(written)) => {
            // `None`: the model wrote back exactly the body, which the schema already judged.
            if !schema_ok && !null_is_all {
                out.push(Finding::new(
                    Check::SpecModelDisagreement,
                    "",
                    "the generated model accepts a body that the schema rejects",
                ));
            }
            // Written back, the model must still validate; when it equals the (validated)
            // normalized body, it does.
            let written = written.filter(|w| w != instance);
            if let (true, true, Some(written)) = (schema_ok, (200..300).contains(&status), written)
            {
                let again = schema_findings(
                    module,
                    validator,
                    &written,
                    open_enum,
                    Check::ModelOutput,
                    "",
                );
                out.extend(again.into_iter().map(|mut f| {
                    f.message =
                        format!("the model, written back, does not validate: {}", f.message);
                    f
                }));
            }
        }
    }
}
