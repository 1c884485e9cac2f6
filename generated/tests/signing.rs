//! AK/SK signing: Huawei's official vectors (signing guide, SDK tests), fixed vectors computed by
//! an independent implementation (docs/signing_vectors.py), a loopback server that recomputes signatures from what it
//! received, and secrets kept out of Debug output and errors.
#![cfg(feature = "signing")]

mod common;

use common::request;

use hwc_jobs::runtime::{signer, Credentials};
use hwc_jobs::{cae, servicestage};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

const AK: &str = "HPUAEXAMPLEAK12345678";
const SK: &str = "ExampleSecretKey/With+Chars=";
const DATE: &str = "20261122T101500Z";

/// The spec's AK/SK scheme (both documents declare the same one).
fn scheme() -> hwc_jobs::runtime::SigningScheme {
    servicestage::AUTH
        .signing
        .expect("spec/servicestage.yaml declares an x-signing scheme")
}

fn authorization(mut r: http::Request<Vec<u8>>, security_token: Option<&str>) -> String {
    signer::sign(&mut r, &scheme(), AK, SK, security_token, DATE).unwrap();
    r.headers()["authorization"].to_str().unwrap().to_owned()
}

fn expected(signed: &str, sig: &str) -> String {
    format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed}, Signature={sig}")
}

const SS: &str = "https://servicestage.cn-north-4.myhuaweicloud.com";

#[test]
fn vector_no_query() {
    let r = servicestage::GetJobDetailsRequest::new("p1", "JOB1")
        .build(SS)
        .unwrap();
    assert_eq!(
        authorization(r, None),
        expected(
            "content-type;host;x-sdk-date",
            "0a2e1187ac38088e9adee542c9623c4eeec0ec36a01a2d667522a02afbe1ed16"
        )
    );
}

#[test]
fn vector_reserved_characters_in_the_query() {
    let r = request(
        &format!("{SS}/v3/p1/cas/jobs/JOB1?name=a%20b%2Fc%3D%26&limit=10&desc=true"),
        &[],
    );
    assert_eq!(
        authorization(r, None),
        expected(
            "host;x-sdk-date",
            "225d057c87338db4c65b76f8fd2ffd4d8786e36c1779a034a427daba366a6478"
        )
    );
}

#[test]
fn vector_repeated_query_keys() {
    let r = request(&format!("{SS}/v3/p1/cas/jobs/JOB1?tag=b&tag=a&x=1"), &[]);
    assert_eq!(
        authorization(r, None),
        expected(
            "host;x-sdk-date",
            "2693bf9b81c5808138e0bd75d2677a680415bf2c4c795a922cfbb092c7ab461e"
        )
    );
}

#[test]
fn vector_empty_query() {
    let r = request(
        "https://cae.cn-north-4.myhuaweicloud.com/v1/p1/cae/jobs/j?",
        &[],
    );
    assert_eq!(
        authorization(r, None),
        expected(
            "host;x-sdk-date",
            "7eb860af57467c9fdf8587841c807540902a5485370069c9075e01a3893cffe9"
        )
    );
}

#[test]
fn vector_path_that_needs_percent_encoding() {
    let mut r = servicestage::GetJobDetailsRequest::new("p1", "a/../b?x=1")
        .build(SS)
        .unwrap();
    r.headers_mut().remove("content-type");
    assert_eq!(r.uri().path(), "/v3/p1/cas/jobs/a%2F..%2Fb%3Fx%3D1");
    assert_eq!(
        authorization(r, None),
        expected(
            "host;x-sdk-date",
            "097d40390e31aa0c25e3955238f6258fa98bcadbd714b2931fdc32038ebfdea0"
        )
    );
}

#[test]
fn vector_header_canonicalization() {
    let r = request(
        "https://127.0.0.1:8443/v1/p1/cae/jobs/j",
        &[
            ("X-Environment-ID", "  env-1  "),
            ("X-Enterprise-Project-ID", "0"),
            ("X_Custom", "not signed"),
        ],
    );
    assert_eq!(
        authorization(r, None),
        expected(
            "host;x-enterprise-project-id;x-environment-id;x-sdk-date",
            "a0e1a0d675131bc67fa1a0fe3728db1fb5b6e13b02e343b748f1721154ae3147"
        )
    );
}

#[test]
fn vector_temporary_credentials() {
    let r = request(&format!("{SS}/v3/p1/cas/jobs/JOB1"), &[]);
    assert_eq!(
        authorization(r, Some("TEMPTOKEN")),
        expected(
            "host;x-sdk-date;x-security-token",
            "819c65a531b31f6a6e7952a05844a8d3c0bc2fa4ad5c0f35baf3dcd91650acba"
        )
    );
}

#[test]
fn primitives() {
    // RFC 4231 test case 2.
    let mac = signer::hmac_sha256(b"Jefe", b"what do ya want for nothing?");
    let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
    assert_eq!(
        signer::sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let t: hwc_jobs::runtime::Timestamp = "2026-11-22T10:15:00.123Z".parse().unwrap();
    assert_eq!(signer::sdk_date(t), DATE);
    assert_eq!(signer::canonical_uri("/v1/a b"), "/v1/a%20b/");
}

/// A server that recomputes the signature of each request from what it received and answers
/// 200 when it matches, 401 (`APIGW.0301`) when it does not.
fn verifying_server(requests: usize) -> (String, std::thread::JoinHandle<Vec<u16>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut statuses = Vec::new();
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let mut parts = line.split_whitespace();
            let method = parts.next().unwrap().to_owned();
            let target = parts.next().unwrap().to_owned();
            let mut headers = Vec::new();
            let mut length = 0usize;
            loop {
                let mut h = String::new();
                reader.read_line(&mut h).unwrap();
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                let (n, v) = h.split_once(':').unwrap();
                if n.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap();
                }
                headers.push((n.to_owned(), v.trim().to_owned()));
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            let get = |name: &str| {
                headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.clone())
            };
            let auth = get("authorization").unwrap_or_default();
            let signed_list = auth
                .split("SignedHeaders=")
                .nth(1)
                .and_then(|s| s.split(',').next())
                .unwrap_or("");
            let signed: Vec<(String, String)> = signed_list
                .split(';')
                .filter_map(|n| get(n).map(|v| (n.to_owned(), v)))
                .collect();
            let (path, query) = match target.split_once('?') {
                Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
                None => (target.clone(), None),
            };
            let date = get("x-sdk-date").unwrap_or_default();
            let (sig, signed_again) =
                signer::signature(&method, &path, query.as_deref(), &signed, &body, &date, SK);
            let ok =
                auth == format!(
                    "SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed_again}, Signature={sig}"
                ) && signed_again == signed_list;
            let (status, body) = if ok {
                (
                    200,
                    r#"{"job":{"execution_status":"SUCCEEDED"},"tasks":[],"task_count":0}"#
                        .to_owned(),
                )
            } else {
                (401, r#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}"#.to_owned())
            };
            statuses.push(status);
            write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nX-Request-Id: r-{status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
        }
        statuses
    });
    (addr, handle)
}

fn send(request: http::Request<Vec<u8>>) -> (u16, http::HeaderMap, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let (parts, _) = request.into_parts();
    let response = agent.run(http::Request::from_parts(parts, ())).unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().read_to_vec().unwrap();
    (status, headers, body)
}

#[test]
fn a_loopback_server_accepts_real_signatures_and_rejects_tampering() {
    let (addr, server) = verifying_server(3);
    let now = hwc_jobs::runtime::Timestamp::now();
    let creds = Credentials::ak_sk(AK, SK);

    let mut ok = servicestage::GetJobDetailsRequest::new("p 1", "a/../b")
        .limit(5)
        .desc(true)
        .build(&addr)
        .unwrap();
    creds.apply(&mut ok, now, &servicestage::AUTH).unwrap();
    let (status, headers, body) = send(ok);
    assert_eq!(status, 200);
    let details =
        servicestage::GetJobDetailsRequest::parse_response(status, &headers, &body).unwrap();
    assert_eq!(details.task_count, Some(0));

    let mut cae_req = cae::GetJobDetailsRequest::new("p", "j", "env-1")
        .x_enterprise_project_id("0")
        .build(&addr)
        .unwrap();
    creds.apply(&mut cae_req, now, &cae::AUTH).unwrap();
    assert_eq!(send(cae_req).0, 200);

    // The same request with a header changed after signing is refused.
    let mut tampered = cae::GetJobDetailsRequest::new("p", "j", "env-1")
        .build(&addr)
        .unwrap();
    creds.apply(&mut tampered, now, &cae::AUTH).unwrap();
    tampered
        .headers_mut()
        .insert("x-environment-id", "env-2".parse().unwrap());
    let (status, headers, body) = send(tampered);
    assert_eq!(status, 401);
    let err = cae::GetJobDetailsRequest::parse_response(status, &headers, &body).unwrap_err();
    assert_eq!(err.request_id(), Some("r-401"));
    assert_eq!(server.join().unwrap(), [200, 200, 401]);
}

#[test]
fn secrets_stay_out_of_debug_output_and_errors() {
    let creds = Credentials::ak_sk("AK-VISIBLE", "SK-PLANTED-SECRET")
        .with_security_token("ST-PLANTED-SECRET");
    let shown = format!("{creds:?}");
    assert!(shown.contains("AK-VISIBLE"));
    assert!(!shown.contains("PLANTED"), "{shown}");
    let token = Credentials::token("TOKEN-PLANTED-SECRET");
    assert!(!format!("{token:?}").contains("PLANTED"));

    let mut r = servicestage::GetJobDetailsRequest::new("p", "j")
        .build(SS)
        .unwrap();
    creds
        .apply(
            &mut r,
            hwc_jobs::runtime::Timestamp::now(),
            &servicestage::AUTH,
        )
        .unwrap();
    let dbg = format!("{r:?}");
    assert!(!dbg.contains("PLANTED"), "{dbg}");
    assert!(
        !dbg.contains("Signature="),
        "the Authorization header is marked sensitive: {dbg}"
    );

    let bad = Credentials::token("tok\r\nX-Evil: PLANTED");
    let err = bad
        .apply(
            &mut r,
            hwc_jobs::runtime::Timestamp::now(),
            &servicestage::AUTH,
        )
        .unwrap_err();
    assert!(!err.to_string().contains("PLANTED"));
}

#[test]
fn credentials_from_the_environment() {
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let c = Credentials::from_lookup(env(&[
        ("HUAWEICLOUD_SDK_AK", "a"),
        ("HUAWEICLOUD_SDK_SK", "s"),
    ]))
    .unwrap();
    assert_eq!(c, Credentials::ak_sk("a", "s"));
    let t = Credentials::from_lookup(env(&[("HWC_AUTH_TOKEN", "t")])).unwrap();
    assert_eq!(t, Credentials::token("t"));
    let st = Credentials::from_lookup(env(&[
        ("HUAWEICLOUD_SDK_AK", "a"),
        ("HUAWEICLOUD_SDK_SK", "s"),
        ("HUAWEICLOUD_SDK_SECURITY_TOKEN", "x"),
    ]))
    .unwrap();
    assert_eq!(st, Credentials::ak_sk("a", "s").with_security_token("x"));
    assert!(Credentials::from_lookup(env(&[("HUAWEICLOUD_SDK_AK", "a")])).is_err());
    assert!(Credentials::from_lookup(env(&[])).is_err());
}

/// Huawei's own vectors (the public signing guide and the official SDKs' signer tests, listed in
/// `shared/notes/signing-vectors.md`): fixed inputs and the signatures Huawei states for them.
mod official_vectors {
    use super::*;

    const GUIDE_AK: &str = "QTWAOYTTINDUT2QVKYUC";
    const GUIDE_SK: &str = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";
    const GUIDE_DATE: &str = "20191115T033655Z";

    /// Signs through the client path (`signer::sign`: Host and X-Sdk-Date added, every header
    /// signed) and returns the `Authorization` value.
    fn sign_guide(url: &str) -> String {
        let mut r = request(url, &[("Content-Type", "application/json")]);
        signer::sign(&mut r, &scheme(), GUIDE_AK, GUIDE_SK, None, GUIDE_DATE).unwrap();
        r.headers()["authorization"].to_str().unwrap().to_owned()
    }

    /// Signs wire data as a server recomputes it: exactly the given headers.
    fn wire(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
        date: &str,
    ) -> (String, String) {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect();
        signer::signature(method, path, query, &headers, body, date, "SecretKey")
    }

    #[test]
    fn v1_signing_guide_example() {
        assert_eq!(
            sign_guide("https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"),
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
        );
        // The canonical request it states, hashed.
        let canonical = "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            signer::sha256_hex(canonical.as_bytes()),
            "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"
        );
    }

    #[test]
    fn v1b_no_query_gives_an_empty_canonical_query_line() {
        assert_eq!(
            sign_guide("https://service.test-region-1.myhuaweicloud.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"),
            "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=4a30e690c3032a1975323588d79e858f188834f91df411a47ada7def6ad8081f"
        );
    }

    #[test]
    fn v2_v3_go_sdk() {
        let date = "20060102T150405Z";
        // A header name with `_` is never signed; the Go SDK signs neither host nor content-type.
        let headers = [("X-Sdk-Date", date), ("TEST_UNDERSCORE", "TEST_VALUE")];
        assert_eq!(
            wire("GET", "/path", Some("limit=1"), &headers, b"", date),
            (
                "5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624".to_owned(),
                "x-sdk-date".to_owned()
            )
        );
        assert_eq!(
            wire(
                "POST",
                "/path",
                Some("key=value"),
                &headers,
                b"{\"Name\":\"test\",\"Id\":1}\n",
                date
            ),
            (
                "cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59".to_owned(),
                "x-sdk-date".to_owned()
            )
        );
    }

    #[test]
    fn v4_v5_python_sdk() {
        let date = "20200608T023900Z";
        let headers = [
            ("Host", "service.endpoint.myhuaweicloud.com"),
            ("X-Sdk-Date", date),
            ("TEST_UNDERSCORE", "TEST_VALUE"),
        ];
        assert_eq!(
            wire("GET", "/resources", Some("size=1"), &headers, b"", date),
            (
                "cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842".to_owned(),
                "host;x-sdk-date".to_owned()
            )
        );
        assert_eq!(
            wire(
                "POST",
                "/resources",
                Some("size=1"),
                &headers,
                b"{\"name\":\"test\",\"id\":1}",
                date
            ),
            (
                "436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f".to_owned(),
                "host;x-sdk-date".to_owned()
            )
        );
    }

    #[test]
    fn canonical_query_of_the_sdk_tests() {
        let raw = "limit=1&enable=true&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29&path=%2Ftmp%2F123&multi=1&multi=2&multi=3";
        assert_eq!(
            signer::canonical_query(Some(raw)),
            "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
        );
    }
}

/// The header names come from the spec's security schemes (`AUTH`), not from the runtime:
/// other names are honoured, and credentials of a kind the spec does not declare are refused.
#[test]
fn credentials_go_where_the_spec_schemes_say() {
    use hwc_jobs::runtime::{AuthSchemes, RequestError, SigningScheme};
    assert_eq!(servicestage::AUTH.token_header, Some("X-Auth-Token"));
    assert_eq!(cae::AUTH, servicestage::AUTH);
    assert_eq!(
        servicestage::AUTH.headers().collect::<Vec<_>>(),
        ["X-Auth-Token", "Authorization", "X-Security-Token"]
    );
    let now = hwc_jobs::runtime::Timestamp::now();
    let build = || {
        servicestage::GetJobDetailsRequest::new("p", "j")
            .build(SS)
            .unwrap()
    };
    let other = AuthSchemes {
        token_header: Some("X-Other-Token"),
        signing: Some(SigningScheme {
            header: "X-Signature",
            date_header: "X-Other-Date",
            security_token_header: "X-Other-Security",
        }),
    };
    let mut r = build();
    Credentials::token("tok")
        .apply(&mut r, now, &other)
        .unwrap();
    assert_eq!(r.headers()["x-other-token"], "tok");
    assert!(r.headers().get("x-auth-token").is_none());

    let mut r = build();
    Credentials::ak_sk(AK, SK)
        .with_security_token("st")
        .apply(&mut r, now, &other)
        .unwrap();
    let sig = r.headers()["x-signature"].to_str().unwrap();
    assert!(sig.starts_with("SDK-HMAC-SHA256 Access="), "{sig}");
    assert!(
        sig.contains("x-other-date") && sig.contains("x-other-security"),
        "{sig}"
    );
    assert!(r.headers().get("authorization").is_none());
    assert!(r.headers().get("x-sdk-date").is_none());
    assert!(r.headers().contains_key("x-other-date"));

    let token_only = AuthSchemes {
        token_header: Some("X-Auth-Token"),
        signing: None,
    };
    let err = Credentials::ak_sk(AK, SK)
        .apply(&mut build(), now, &token_only)
        .unwrap_err();
    assert!(matches!(
        err,
        RequestError::SchemeNotDeclared {
            kind: "AK/SK signing"
        }
    ));
    let signing_only = AuthSchemes {
        token_header: None,
        signing: other.signing,
    };
    let err = Credentials::token("tok")
        .apply(&mut build(), now, &signing_only)
        .unwrap_err();
    assert!(
        err.to_string().contains("no token security scheme"),
        "{err}"
    );
}
