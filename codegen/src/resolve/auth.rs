//! Security schemes: `apiKey` header tokens and AK/SK signing (`x-signing`).

use super::*;

impl Resolver<'_> {
    /// The `apiKey` header schemes of `security` (in order): plain ones carry a token; one
    /// with `x-signing` is AK/SK signing. Other scheme types are not read (documented).
    pub(super) fn auth(&mut self, root: &Map<String, Value>) -> Auth {
        let schemes = root
            .get("components")
            .and_then(|c| c.get("securitySchemes"))
            .and_then(obj);
        let mut out = Auth::default();
        let Some(reqs) = root.get("security").and_then(Value::as_array) else {
            return out;
        };
        for (i, req) in reqs.iter().enumerate() {
            let Some(req) = obj(req) else { continue };
            for name in req.keys() {
                let Some(s) = schemes.and_then(|s| s.get(name)).and_then(obj) else {
                    self.err(
                        &format!("/security/{i}"),
                        format!("security scheme `{name}` is not defined in /components/securitySchemes"),
                    );
                    continue;
                };
                let ptr = push_pointer("/components/securitySchemes", name);
                let header = match (
                    s.get("type").and_then(Value::as_str),
                    s.get("in").and_then(Value::as_str),
                    s.get("name").and_then(Value::as_str),
                ) {
                    (Some("apiKey"), Some("header"), Some(h)) => h.to_owned(),
                    _ => continue,
                };
                match s.get("x-signing") {
                    None => {
                        if !out.token_headers.contains(&header) {
                            out.token_header.get_or_insert_with(|| header.clone());
                            out.token_headers.push(header);
                        }
                    }
                    Some(sig) => {
                        if let Some(signing) = self.signing(sig, name, header, &ptr) {
                            out.signing.get_or_insert(signing);
                        }
                    }
                }
            }
        }
        out
    }

    /// `x-signing: {algorithm: SDK-HMAC-SHA256, date-header, security-token-header}`.
    pub(super) fn signing(
        &mut self,
        v: &Value,
        scheme: &str,
        header: String,
        ptr: &str,
    ) -> Option<Signing> {
        let ptr = push_pointer(ptr, "x-signing");
        let Some(m) = obj(v) else {
            self.err(
                &ptr,
                "`x-signing` must be an object: {algorithm, date-header, security-token-header}",
            );
            return None;
        };
        let mut text = |key: &str| match m.get(key).and_then(Value::as_str) {
            Some(t) if !t.is_empty() => Some(t.to_owned()),
            _ => {
                self.err(
                    &push_pointer(&ptr, key),
                    format!("`x-signing.{key}` must be a non-empty string"),
                );
                None
            }
        };
        let algorithm = text("algorithm");
        let date_header = text("date-header");
        let security_token_header = text("security-token-header");
        if let Some(a) = &algorithm {
            if a != SIGNING_ALGORITHM {
                self.err(
                    &push_pointer(&ptr, "algorithm"),
                    format!("unsupported signing algorithm `{a}`: the runtime signs with `{SIGNING_ALGORITHM}` only"),
                );
                return None;
            }
        }
        for key in m.keys() {
            if !["algorithm", "date-header", "security-token-header"].contains(&key.as_str()) {
                self.err(&push_pointer(&ptr, key), format!("unknown `x-signing` key `{key}` (known: algorithm, date-header, security-token-header)"));
            }
        }
        Some(Signing {
            scheme: scheme.to_owned(),
            header,
            algorithm: algorithm?,
            date_header: date_header?,
            security_token_header: security_token_header?,
        })
    }
}
