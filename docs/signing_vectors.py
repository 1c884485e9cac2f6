"""Independent computation of the AK/SK signing test vectors in generated/tests/signing.rs.

Written from Huawei's public description of SDK-HMAC-SHA256 with Python's standard library only,
so that the Rust signer is checked against a second implementation. Run: python3 docs/signing_vectors.py
"""
import hashlib, hmac
from urllib.parse import quote, unquote, unquote_plus

AK, SK, DATE = "HPUAEXAMPLEAK12345678", "ExampleSecretKey/With+Chars=", "20261122T101500Z"

def enc(s):
    return quote(s, safe="~")

def canonical_uri(path):
    # Decoded whole, then split: an encoded "/" (%2F) separates parts like a plain one.
    out = "/".join(enc(seg) for seg in unquote(path).split("/"))
    return out if out.endswith("/") else out + "/"

def canonical_query(q):
    pairs = []
    for kv in (q or "").split("&"):
        if not kv:
            continue
        k, _, v = kv.partition("=")
        pairs.append((unquote_plus(k), unquote_plus(v)))
    # Sorted decoded, then encoded (as Huawei's SDKs do).
    return "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(pairs))

def sign(method, path, query, headers, body=b""):
    hs = sorted((n.lower(), v.strip()) for n, v in headers if "_" not in n)
    canonical_headers = "".join(f"{n}:{v}\n" for n, v in hs)
    signed = ";".join(n for n, _ in hs)
    creq = "\n".join([method, canonical_uri(path), canonical_query(query), canonical_headers, signed,
                      hashlib.sha256(body).hexdigest()])
    sts = "\n".join(["SDK-HMAC-SHA256", DATE, hashlib.sha256(creq.encode()).hexdigest()])
    sig = hmac.new(SK.encode(), sts.encode(), hashlib.sha256).hexdigest()
    return f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed}, Signature={sig}"

H = "servicestage.cn-north-4.myhuaweicloud.com"
CT = ("content-type", "application/json;charset=utf8")
VECTORS = [
    ("no query", "GET", "/v3/p1/cas/jobs/JOB1", None, [CT, ("host", H), ("x-sdk-date", DATE)]),
    ("reserved characters in the query", "GET", "/v3/p1/cas/jobs/JOB1", "name=a%20b%2Fc%3D%26&limit=10&desc=true",
     [("host", H), ("x-sdk-date", DATE)]),
    ("repeated query keys", "GET", "/v3/p1/cas/jobs/JOB1", "tag=b&tag=a&x=1", [("host", H), ("x-sdk-date", DATE)]),
    ("empty query", "GET", "/v1/p1/cae/jobs/j", "", [("host", "cae.cn-north-4.myhuaweicloud.com"), ("x-sdk-date", DATE)]),
    ("path that needs percent-encoding", "GET", "/v3/p1/cas/jobs/a%2F..%2Fb%3Fx%3D1", None, [("host", H), ("x-sdk-date", DATE)]),
    ("header canonicalization", "GET", "/v1/p1/cae/jobs/j", None,
     [("host", "127.0.0.1:8443"), ("x-sdk-date", DATE), ("x-environment-id", "  env-1  "), ("x-enterprise-project-id", "0"), ("x_custom", "not signed")]),
    ("temporary credentials", "GET", "/v3/p1/cas/jobs/JOB1", None,
     [("host", H), ("x-sdk-date", DATE), ("x-security-token", "TEMPTOKEN")]),
]

for name, method, path, query, headers in VECTORS:
    print(f"{name}: {sign(method, path, query, headers)}")
