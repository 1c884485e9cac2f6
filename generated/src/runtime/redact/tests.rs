//! Unit tests of the redaction of credentials.

use super::*;

#[test]
fn the_gateway_echo_of_a_canonical_request() {
    let msg = "Verify authroization failed. The canonical request is: GET|/v3/p/cas/jobs/j/||content-type:application/json|host:servicestage.cn-north-4.myhuaweicloud.com|x-sdk-date:20261123T010203Z|X-Security-Token:gQpjbi1ub3J0aC00iSECRET|content-type;host;x-sdk-date;x-security-token|e3b0c442";
    let out = redact_credentials(msg);
    assert!(!out.contains("gQpjbi1ub3J0aC00iSECRET"), "{out}");
    assert!(
        out.contains("X-Security-Token:[REDACTED]|content-type;host"),
        "{out}"
    );
    assert!(
        out.contains("host:servicestage.cn-north-4.myhuaweicloud.com|"),
        "the rest is kept: {out}"
    );
}

#[test]
fn headers_and_parameters_in_any_case() {
    let out = redact_credentials(
        "Authorization: SDK-HMAC-SHA256 Access=AKID123, SignedHeaders=host;x-sdk-date, Signature=abcdef0123; x-auth-token=T0KVALUE&sk=s3cr3t",
    );
    for secret in [
        "AKID123",
        "abcdef0123",
        "T0KVALUE",
        "s3cr3t",
        "SDK-HMAC-SHA256",
    ] {
        assert!(!out.contains(secret), "{secret} in {out}");
    }
    assert!(out.contains("SignedHeaders=host;x-sdk-date"), "{out}");
}

#[test]
fn ordinary_text_is_left_alone() {
    for text in [
        "",
        "The job does not exist.",
        "no access to this resource",
        "risk:low",
        "task:SK-1 failed",
        "the signatures were checked",
        "é漢🙂 access",
    ] {
        assert_eq!(redact_credentials(text), text);
    }
}
#[test]
fn json_keys_that_name_credentials_at_any_depth() {
    let body = br#"{"x-security-token": "S1", "headers": {"X-Auth-Token": "S2", "Accept": "a"}, "list": [{"password": "S3"}], "api_keys": ["S4", "S5"], "token_count": 3, "name": "job"}"#;
    let out = String::from_utf8(redact_body(body).into_owned()).unwrap();
    for secret in ["S1", "S2", "S3", "S4", "S5"] {
        assert!(!out.contains(&format!("\"{secret}\"")), "{secret} in {out}");
    }
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["headers"]["Accept"], "a");
    assert_eq!(v["token_count"], 3, "numbers are not credentials");
    assert_eq!(v["name"], "job");
    assert_eq!(v["api_keys"][1], REDACTED);
}

#[test]
fn echoes_inside_json_strings_in_every_separator_form() {
    for sep in ["|", "\n", "\r\n"] {
        let msg = format!("GET{sep}/v3/p/{sep}host:h{sep}x-security-token:PLANTED{sep}x-sdk-date:20261130T000000Z");
        let body = serde_json::json!({"error_code": "APIGW.0301", "error_msg": msg}).to_string();
        let out = String::from_utf8(redact_body(body.as_bytes()).into_owned()).unwrap();
        assert!(!out.contains("PLANTED"), "{sep:?}: {out}");
        assert!(out.contains("x-sdk-date:20261130T000000Z"), "{out}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error_code"], "APIGW.0301");
    }
}

#[test]
fn escaped_newlines_in_text_that_is_not_json() {
    let text = r"message: GET\n/v3/\nx-security-token:PLANTED\nhost:h";
    let out = redact_credentials(text);
    assert!(!out.contains("PLANTED"), "{out}");
    assert!(out.ends_with(r"\nhost:h"), "{out}");
    // Truncated JSON is not JSON: it is scanned as text.
    let cut = br#"{"msg": "x-auth-token:PLANTED|host:h", "x-auth-token": "#;
    assert!(!String::from_utf8_lossy(&redact_body(cut)).contains("PLANTED"));
}

#[test]
fn clean_bodies_are_not_copied_and_cleaned_ones_stay_json() {
    let body = b"{\n  \"a\" : [1, 2, {\"b\\\"c\": \"d\\\\\"}],\n  \"token\" : \"t\"\n}\n";
    let out = redact_body(body);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"a": [1, 2, {"b\"c": "d\\"}], "token": REDACTED})
    );
    let clean = br#"{"job": {"status": "RUNNING", "url": "https://h/p?limit=1"}}"#;
    assert!(matches!(redact_body(clean), Cow::Borrowed(_)));
    assert!(matches!(redact_body(&[0xff, 0x00]), Cow::Borrowed(_)));
    assert_eq!(
        redact_body(br#"{"token": ""}"#).as_ref(),
        br#"{"token": ""}"#
    );
}

/// Forms an adversarial review planted (issue #10): each must lose `SECRETzz9`.
#[test]
fn forms_found_in_review() {
    let texts = [
        "Authorization: Bearer SECRETzz9",
        "Authorization: Basic SECRETzz9",
        "X-Debug: Authorization: Bearer SECRETzz9",
        "X-Auth-Token: \"SECRETzz9\"",
        "x-auth-token=\"SECRETzz9\"",
        "password = 'SECRETzz9'",
        "X-Security-Token : SECRETzz9",
        "{\"x-auth-token\": \"SECRETzz9\", \"cut",
        "\u{feff}{\"password\":\"SECRETzz9\"}",
        "callback({\"password\":\"SECRETzz9\"})",
        "{\"a\":1}\n{\"token\":\"SECRETzz9\"}\n",
        "token=SECRETzz9",
        "access_token=SECRETzz9&x=1",
        "refresh_token: SECRETzz9",
        "api_key=SECRETzz9",
        "X-Api-Key: SECRETzz9",
        "Cookie: sid=SECRETzz9; lang=en",
        "client_secret=SECRETzz9",
        "Www-Authenticate: Bearer realm=\"x\", token=SECRETzz9",
    ];
    for t in texts {
        let out = redact_body(t.as_bytes());
        assert!(
            !String::from_utf8_lossy(&out).contains("SECRETzz9"),
            "{t:?} → {:?}",
            String::from_utf8_lossy(&out)
        );
    }
    let bodies = [
        r#"{"password": {"value": "SECRETzz9"}}"#,
        r#"{"tokens": [{"id": "SECRETzz9"}]}"#,
        r#"{"headers": [["Authorization", "Bearer SECRETzz9"]]}"#,
        r#"{"password": 987654321}"#,
        r#"{"execution_status": "{\"password\":\"SECRETzz9\"}"}"#,
        r#"{"headers": [{"name": "X-Auth-Token", "value": "SECRETzz9"}]}"#,
        r#"{"headers": [{"value": "SECRETzz9", "name": "x-security-token"}]}"#,
    ];
    for b in bodies {
        let out = String::from_utf8(redact_body(b.as_bytes()).into_owned()).unwrap();
        assert!(
            !out.contains("SECRETzz9") && !out.contains("987654321"),
            "{b} → {out}"
        );
        serde_json::from_str::<serde_json::Value>(&out).unwrap();
    }
    // Counts and times under credential-named keys are not secrets.
    let counted = redact_body(br#"{"token_count": 3, "session_ttl": 60}"#);
    assert!(matches!(counted, Cow::Borrowed(_)));
    // Not UTF-8: Latin-1 and UTF-16 pages.
    let latin1 = b"<html>caf\xe9 X-Auth-Token: SECRETzz9</html>";
    assert!(!String::from_utf8_lossy(&redact_body(latin1)).contains("SECRETzz9"));
    let utf16: Vec<u8> = "{\"password\": \"SECRETzz9\"}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let out = redact_body(&utf16);
    assert!(
        !String::from_utf8_lossy(&out).contains("SECRETzz9"),
        "{out:?}"
    );
    // URL fragments and odd userinfo.
    assert_eq!(
        redact_url("https://h/cb#access_token=SECRETzz9&x=1"),
        "https://h/cb#access_token=[REDACTED]&x=1"
    );
    assert_eq!(
        redact_url("https://u:SEC@RETzz9@h/p"),
        "https://u:[REDACTED]@h/p"
    );
}

#[test]
fn urls_userinfo_and_query() {
    assert_eq!(
        redact_url("https://user:PLANTED@host:8443/p?limit=1&X-Auth-Token=PLANTED2&b=2#f"),
        "https://user:[REDACTED]@host:8443/p?limit=1&X-Auth-Token=[REDACTED]&b=2#f"
    );
    assert_eq!(redact_url("https://host/p"), "https://host/p");
    assert_eq!(redact_url("https://user@host/p"), "https://user@host/p");
    assert_eq!(
        redact_url("see https://a:PLANTED@h/x and http://h2/?sk=PLANTED"),
        "see https://a:[REDACTED]@h/x and http://h2/?sk=[REDACTED]"
    );
    assert_eq!(redact_url("/relative?token=x"), "/relative?token=x");
    assert_eq!(
        redact_url("https://u:a/b+c@h/p"),
        "https://u:[REDACTED]@h/p",
        "an unencoded `/` in a captured password"
    );
    assert_eq!(redact_url("https://h:8443/a@b"), "https://h:[REDACTED]@b");
}

#[test]
fn credential_names() {
    for n in [
        "X-Auth-Token",
        "authorization",
        "Cookie",
        "access_key_id",
        "X-Sdk-Signature",
        "client_secret",
        "apiKey",
    ] {
        assert!(is_credential_name(n), "{n}");
    }
    for n in [
        "X-Environment-ID",
        "Content-Type",
        "X-Request-Id",
        "limit",
        "X-Sdk-Date",
        "task_name",
    ] {
        assert!(!is_credential_name(n), "{n}");
    }
}
