"""Huawei's official Python SDK as a test oracle (huaweicloudsdkcore 3.1.219).

Driven by conformance/tests/sdk_oracle.rs and sdk_traffic.rs (through tests/oracle/mod.rs); reads one JSON object on standard input and writes one
JSON object on standard output. Nothing here reimplements signing: every signature and canonical
request comes from the SDK's own `Signer` (its private steps are called only to read the canonical
request it hashes, and to canonicalize a request it did not sign, as a server would).

Modes:
- "sign": sign each request with `Signer.sign` on an `SdkRequest`, as the SDK's clients do.
- "canonical": for each request as received on the wire, the SDK's canonical request and signature
  over the headers its Authorization value lists (`SignedHeaders`).
- "clients": call the ServiceStage v3 and CAE v1 clients against an endpoint; print what they parsed.
"""
import base64
import json
import sys
from datetime import datetime
from urllib.parse import parse_qsl

from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

DATE_FORMAT = "%Y%m%dT%H%M%SZ"


class Keys:
    def __init__(self, ak, sk):
        self.ak = ak
        self.sk = sk


class CapturingSigner(Signer):
    """The SDK's signer, keeping the canonical request it hashed."""

    canonical = None

    def _process_string_to_sign(self, canonical_request, time):
        self.canonical = canonical_request
        return super()._process_string_to_sign(canonical_request, time)


def from_latin1(value):
    # The SDK re-decodes header values as ISO-8859-1 so that `requests` sends their UTF-8 bytes.
    try:
        return value.encode("iso-8859-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def sign(case):
    request = SdkRequest(
        method=case["method"],
        schema="https",
        host=case["host"],
        resource_path=case["path"],
        query_params=[(k, v) for k, v in case["query"]],
        header_params={k: v for k, v in case["headers"]},
        body=base64.b64decode(case["body_b64"]),
    )
    signer = CapturingSigner(Keys(case["ak"], case["sk"]))
    signer.sign(request)
    return {
        "uri": request.uri,
        "headers": [[k, from_latin1(str(v))] for k, v in request.header_params.items()],
        "canonical": signer.canonical,
        "authorization": request.header_params["Authorization"],
    }


def canonical(case):
    headers = {k: v for k, v in case["headers"]}
    authorization = next(v for k, v in headers.items() if k.lower() == "authorization")
    parts = dict(
        p.strip().split("=", 1) for p in authorization.split(" ", 1)[1].split(",")
    )
    signed = parts["SignedHeaders"].split(";")
    date = next(v for k, v in headers.items() if k.lower() == "x-sdk-date")
    request = SdkRequest(
        method=case["method"],
        resource_path=case["path"],
        query_params=parse_qsl(case["query"] or "", keep_blank_values=True),
        header_params=headers,
        body=base64.b64decode(case["body_b64"]),
    )
    signer = Signer(Keys(parts["Access"], case["sk"]))
    canonical_request = signer._process_canonical_request(request, signed)
    string_to_sign = signer._process_string_to_sign(
        canonical_request, datetime.strptime(date, DATE_FORMAT)
    )
    signature = signer._sign_string_to_sign(string_to_sign, case["sk"])
    return {
        "canonical": canonical_request,
        "matches": signature == parts["Signature"],
    }


def clients(job):
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcae.v1 import CaeClient, ShowJobRequest
    from huaweicloudsdkservicestage.v3 import ServiceStageClient, ShowJobInfoRequest

    credentials = BasicCredentials(job["ak"], job["sk"], job["project_id"])
    out = {}
    ss = (
        ServiceStageClient.new_builder()
        .with_credentials(credentials)
        .with_endpoints([job["endpoint"]])
        .build()
    )
    response = ss.show_job_info(ShowJobInfoRequest(job_id=job["servicestage_job_id"]))
    out["servicestage"] = {
        "execution_status": response.job.execution_status,
        "task_count": response.task_count,
        "task_names": [t.task_name for t in response.tasks or []],
    }
    cae_credentials = BasicCredentials(job["ak"], job["sk"], job["cae_project_id"])
    cae = (
        CaeClient.new_builder()
        .with_credentials(cae_credentials)
        .with_endpoints([job["endpoint"]])
        .build()
    )
    response = cae.show_job(
        ShowJobRequest(job_id=job["cae_job_id"], x_environment_id=job["environment_id"])
    )
    out["cae"] = {
        "status": response.spec.status,
        "task_count": len(response.spec.tasks or []),
    }
    return out


def main():
    job = json.load(sys.stdin)
    mode = job["mode"]
    if mode == "sign":
        result = [sign(c) for c in job["cases"]]
    elif mode == "canonical":
        result = [canonical(c) for c in job["cases"]]
    elif mode == "clients":
        result = clients(job)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
