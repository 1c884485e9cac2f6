//! JSON Schema findings, and pointers rewritten into the spellings a body used.

use super::*;

pub(super) fn truncate_value(v: &Value) -> Value {
    match v {
        Value::String(s) if s.chars().count() > 200 => {
            Value::String(s.chars().take(200).collect::<String>() + "…")
        }
        Value::Object(_) | Value::Array(_) => {
            let text = v.to_string();
            if text.chars().count() > 200 {
                Value::String(text.chars().take(200).collect::<String>() + "…")
            } else {
                v.clone()
            }
        }
        other => other.clone(),
    }
}

/// Schema errors of `instance`, as findings. Enum errors at `open_enum` pointers are left out
/// (they are reported as warnings by the walk).
pub(super) fn schema_findings(
    module: &SpecModule,
    validator: &jsonschema::Validator,
    instance: &Value,
    open_enum: &[String],
    check: Check,
    pointer_prefix: &str,
) -> Vec<Finding> {
    // The fast path first: most bodies are valid, and `is_valid` builds no error objects.
    if validator.is_valid(instance) {
        return Vec::new();
    }
    let base = format!("urn:hwc-jobs-spec:{}#", module.name);
    let mut out = Vec::new();
    for e in validator.iter_errors(instance) {
        let ip = e.instance_path().as_str().to_owned();
        let sp = e.schema_path().as_str().to_owned();
        let keyword = sp.rsplit('/').next().unwrap_or("").to_owned();
        if keyword == "enum" && open_enum.contains(&ip) {
            continue;
        }
        let spec_pointer = e
            .absolute_keyword_location()
            .map(|u| u.as_str().to_owned())
            .and_then(|u| u.strip_prefix(&base).map(decode_fragment));
        let expected = spec_pointer
            .as_deref()
            .and_then(|p| module.at(p))
            .map(truncate_value);
        let actual = instance.pointer(&ip).map(truncate_value);
        let mut f = Finding::new(check, format!("{pointer_prefix}{ip}"), e.to_string());
        f.message = truncate_message(&f.message);
        f.keyword = Some(keyword);
        f.expected = expected;
        f.actual = actual;
        if let Some(p) = spec_pointer {
            f = f.spec(module, &p);
        }
        out.push(f);
    }
    out
}

/// The first error of `instance` against `validator`, as text; `None` when it is valid.
pub(crate) fn first_schema_error(
    validator: &jsonschema::Validator,
    instance: &Value,
) -> Option<String> {
    if validator.is_valid(instance) {
        return None;
    }
    validator
        .iter_errors(instance)
        .next()
        .map(|e| truncate_message(&e.to_string()))
}

pub(super) fn truncate_message(s: &str) -> String {
    if s.chars().count() > 300 {
        s.chars().take(300).collect::<String>() + "…"
    } else {
        s.to_owned()
    }
}

pub(super) fn decode_fragment(p: &str) -> String {
    // `+` is literal in a fragment; only %XX sequences are decoded.
    percent_decode(&p.replace('+', "%2B"))
}
