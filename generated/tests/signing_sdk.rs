//! The signer beside Huawei's official Python SDK: requests the SDK signed, signed the same here;
//! and verifying signatures as a server does (`runtime::signer::verify`): what `sign` produced
//! verifies, every alteration is refused with the canonical request computed (redacted for
//! display), and `Authorization` values are read strictly.
#![cfg(feature = "signing")]

mod common;

use common::request;

use hwc_jobs::runtime::signer;
use hwc_jobs::servicestage;

const AK: &str = "HPUAEXAMPLEAK12345678";
const SK: &str = "ExampleSecretKey/With+Chars=";
const DATE: &str = "20261122T101500Z";
const SS: &str = "https://servicestage.cn-north-4.myhuaweicloud.com";

fn expected(signed: &str, sig: &str) -> String {
    format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed}, Signature={sig}")
}

/// The spec's AK/SK scheme.
fn scheme() -> hwc_jobs::runtime::SigningScheme {
    servicestage::AUTH
        .signing
        .expect("spec/servicestage.yaml declares an x-signing scheme")
}

/// Signed by Huawei's official Python SDK (`huaweicloudsdkcore` 3.1.219, `Signer.sign` on an
/// `SdkRequest` with the same inputs and `X-Sdk-Date`): the three ways the signer used to
/// differ from it (decoded query order, `%2F` in a segment, `X-Sdk-Content-Sha256`). The
/// property test `conformance/tests/sdk_oracle.rs` runs the SDK itself on random requests.
#[test]
fn vectors_signed_by_the_official_python_sdk() {
    let sign = |method: &str, url: &str, headers: &[(&str, &str)], body: &[u8]| {
        let mut r = request(url, headers);
        *r.method_mut() = method.parse().unwrap();
        *r.body_mut() = body.to_vec();
        signer::sign(&mut r, &scheme(), AK, SK, None, DATE).unwrap();
        let sent = r.uri().path_and_query().unwrap().to_string();
        let content_sha = r
            .headers()
            .get("x-sdk-content-sha256")
            .map(|v| v.to_str().unwrap().to_owned());
        (
            sent,
            content_sha,
            r.headers()["authorization"].to_str().unwrap().to_owned(),
        )
    };
    // Sorted decoded: `ab` < `a{`, although `a%7B` < `ab` encoded. Sent in that order too.
    let (sent, _, auth) = sign(
        "GET",
        &format!("{SS}/v3/p1/cas/jobs/JOB1?a%7B=2&ab=1"),
        &[],
        b"",
    );
    assert_eq!(sent, "/v3/p1/cas/jobs/JOB1?ab=1&a%7B=2");
    let sig = "2eb87d3994aa9af090f3b9b88b39fc75ab78a195bfc9745b0fe925bdcb5e6c6c";
    assert_eq!(auth, expected("host;x-sdk-date", sig));
    // Repeated keys sorted by decoded value, an empty value, non-ASCII keys and values; a raw
    // `+` is a space.
    let url = format!(
        "{SS}/v3/p1/cas/jobs/JOB1?%D0%BA%D0%BB%D1%8E%D1%87=%D0%B7%D0%BD%D0%B0%D1%87%D0%B5%D0%BD%D0%B8%D0%B5&k=a%60&k=a_&e="
    );
    let (sent, _, auth) = sign("GET", &url, &[], b"");
    assert_eq!(
        sent,
        "/v3/p1/cas/jobs/JOB1?e=&k=a_&k=a%60&%D0%BA%D0%BB%D1%8E%D1%87=%D0%B7%D0%BD%D0%B0%D1%87%D0%B5%D0%BD%D0%B8%D0%B5"
    );
    let sig = "8a7f732d3156ae2433262d7ff2bb00e69783f1d76498c8fb0bbedcaadfec806d";
    assert_eq!(auth, expected("host;x-sdk-date", sig));
    // `%2F` inside a segment is a `/` to the canonical URI; the path is sent as it was.
    let (sent, _, auth) = sign("GET", &format!("{SS}/v3/p1/cas/jobs/a%2Fb"), &[], b"");
    assert_eq!(sent, "/v3/p1/cas/jobs/a%2Fb");
    let sig = "781c9ce5bad81914a73e6eacdc952fd8483da4edb71418b69eb67a8933e54137";
    assert_eq!(auth, expected("host;x-sdk-date", sig));
    // A body that is not JSON: UNSIGNED-PAYLOAD sent, signed, and standing for the hash.
    let url = format!("{SS}/v3/p1/cas/jobs/JOB1");
    let (_, sha, auth) = sign("PUT", &url, &[("Content-Type", "text/plain")], b"hello");
    assert_eq!(sha.as_deref(), Some("UNSIGNED-PAYLOAD"));
    let signed = "content-type;host;x-sdk-content-sha256;x-sdk-date";
    let sig = "72a79677c9f9afa9e412feed7d4e0d762d38fe37dad2a8456ea2564daaeda0b8";
    assert_eq!(auth, expected(signed, sig));
    // Sent without a body too; then the empty string's hash is signed.
    let ct = [("Content-Type", "application/octet-stream")];
    let (_, sha, auth) = sign("DELETE", &url, &ct, b"");
    assert_eq!(sha.as_deref(), Some("UNSIGNED-PAYLOAD"));
    let sig = "3357698f12bb671d0218befd63f1ba9bf156d991bff0a998e8dbbc3928e3a9e4";
    assert_eq!(auth, expected(signed, sig));
    // A JSON body is hashed, and no such header is sent.
    let ct = [("Content-Type", "application/json;charset=UTF-8")];
    let (_, sha, _) = sign("POST", &url, &ct, b"{}");
    assert_eq!(sha, None);
}

/// What a server does: recompute over the headers `SignedHeaders` names, as received.
#[test]
fn verify_accepts_what_sign_produced_and_refuses_every_alteration() {
    let mut r = request(
        &format!("{SS}/v3/p1/cas/jobs/a%2Fb?z=1&a=%E4%B8%80+x"),
        &[("Content-Type", "text/plain"), ("X-Environment-ID", "env")],
    );
    *r.method_mut() = http::Method::POST;
    *r.body_mut() = b"body".to_vec();
    signer::sign(&mut r, &scheme(), AK, SK, Some("TEMPTOKEN"), DATE).unwrap();
    let headers: Vec<(String, String)> = r
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_owned()))
        .collect();
    let received = signer::ReceivedRequest {
        method: "POST",
        path: r.uri().path(),
        query: r.uri().query(),
        headers: &headers,
        body: b"body",
    };
    let ok = signer::verify(&received, &scheme(), SK).unwrap();
    assert_eq!((ok.access.as_str(), ok.sdk_date.as_str()), (AK, DATE));
    // Headers added after signing are ignored; header names in another case are the same.
    let mut more = headers.clone();
    more.push(("Accept-Encoding".into(), "gzip".into()));
    more.iter_mut()
        .for_each(|(n, _)| *n = n.to_ascii_uppercase());
    let received_more = signer::ReceivedRequest {
        headers: &more,
        ..received
    };
    assert!(signer::verify(&received_more, &scheme(), SK).is_ok());
    // Another SK, path, query, method, signed header, date: a mismatch with the canonical
    // request computed; a missing signed header is named.
    let mismatch = |e: signer::VerifyError| {
        let c = e
            .canonical_request()
            .expect("a mismatch carries the canonical request");
        assert!(c.contains("x-security-token:TEMPTOKEN"), "{c}");
        let redacted = signer::redact_canonical_request(c);
        assert!(!redacted.contains("TEMPTOKEN"), "{redacted}");
        assert!(
            redacted.contains("x-security-token:[REDACTED]"),
            "{redacted}"
        );
        assert!(!format!("{e} {e:?}").contains("TEMPTOKEN"));
    };
    mismatch(signer::verify(&received, &scheme(), "other").unwrap_err());
    let path = signer::ReceivedRequest {
        path: "/v3/p1/cas/jobs/a%2Fc",
        ..received
    };
    mismatch(signer::verify(&path, &scheme(), SK).unwrap_err());
    let query = signer::ReceivedRequest {
        query: Some("z=2&a=%E4%B8%80+x"),
        ..received
    };
    mismatch(signer::verify(&query, &scheme(), SK).unwrap_err());
    let method = signer::ReceivedRequest {
        method: "PUT",
        ..received
    };
    mismatch(signer::verify(&method, &scheme(), SK).unwrap_err());
    let edit = |name: &str, value: &str| -> Vec<(String, String)> {
        let mut h = headers.clone();
        h.iter_mut()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .for_each(|(_, v)| *v = value.to_owned());
        h
    };
    for (name, value) in [
        ("x-environment-id", "env2"),
        ("x-sdk-date", "20261122T101501Z"),
    ] {
        let h = edit(name, value);
        let altered = signer::ReceivedRequest {
            headers: &h,
            ..received
        };
        mismatch(signer::verify(&altered, &scheme(), SK).unwrap_err());
    }
    let h = edit(
        "authorization",
        &headers[headers
            .iter()
            .position(|(n, _)| n == "authorization")
            .unwrap()]
        .1
        .replace("Signature=", "Signature=0"),
    );
    let altered = signer::ReceivedRequest {
        headers: &h,
        ..received
    };
    mismatch(signer::verify(&altered, &scheme(), SK).unwrap_err());
    let fewer: Vec<(String, String)> = headers
        .iter()
        .filter(|(n, _)| n != "x-environment-id")
        .cloned()
        .collect();
    let missing = signer::ReceivedRequest {
        headers: &fewer,
        ..received
    };
    assert_eq!(
        signer::verify(&missing, &scheme(), SK).unwrap_err(),
        signer::VerifyError::MissingSignedHeader {
            name: "x-environment-id".into()
        }
    );
    // UNSIGNED-PAYLOAD: the body is not part of the signature (as the SDK signs it).
    let body = signer::ReceivedRequest {
        body: b"other",
        ..received
    };
    assert!(signer::verify(&body, &scheme(), SK).is_ok());
}

#[test]
fn authorization_values_are_read_strictly() {
    use signer::{Authorization, VerifyError};
    let a = Authorization::parse(
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc",
    )
    .unwrap();
    assert_eq!(a.access, "AK");
    assert_eq!(a.signed_headers, ["host", "x-sdk-date"]);
    assert!(!format!("{a:?}").contains("abc"));
    assert_eq!(
        Authorization::parse("Bearer x").unwrap_err(),
        VerifyError::NotSigned
    );
    assert_eq!(
        Authorization::parse("SDK-HMAC-SHA256X Access=a").unwrap_err(),
        VerifyError::NotSigned
    );
    for bad in [
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=",
        "SDK-HMAC-SHA256 Access=AK, Access=AK, SignedHeaders=host, Signature=a",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=a, Other=1",
        "SDK-HMAC-SHA256 Access=AK SignedHeaders=host Signature=a",
        "SDK-HMAC-SHA256 Access=AK, SignedHeaders=Host;x-sdk-date, Signature=a",
    ] {
        assert!(
            matches!(
                Authorization::parse(bad),
                Err(VerifyError::Malformed { .. })
            ),
            "{bad}"
        );
    }
    assert_eq!(
        signer::parse_sdk_date("20261122T101500Z").map(|t| t.to_string()),
        Some("2026-11-22T10:15:00Z".to_owned())
    );
    for bad in [
        "2026-11-22T10:15:00Z",
        "20261122T101500",
        "20261322T101500Z",
        "2026112xT101500Z",
    ] {
        assert!(signer::parse_sdk_date(bad).is_none(), "{bad}");
    }
}
