#!/usr/bin/env python3
"""A channel gateway in a few lines: text, a batch, a recording and a CRM update, with retries.

Standard library only. Usage:
    VOC_URL=http://127.0.0.1:8080 VOC_KEY=$(cat .voc/gateway-key) python3 gateway_client.py call.wav
"""
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

URL = os.environ.get("VOC_URL", "http://127.0.0.1:8080")
KEY = os.environ["VOC_KEY"]


def send(method, path, body, content_type, idempotency_key=None, attempts=5):
    """Sends one request; retries 429/503 after Retry-After with the same Idempotency-Key."""
    key = idempotency_key or str(uuid.uuid4())
    for attempt in range(attempts):
        request = urllib.request.Request(URL + path, data=body, method=method, headers={
            "Authorization": f"Bearer {KEY}", "Content-Type": content_type, "Idempotency-Key": key})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            problem = json.load(error)
            if error.code in (429, 503) and attempt + 1 < attempts:
                time.sleep(int(error.headers.get("Retry-After", "1")))
                continue
            # 4xx: fix the request; `errors` names each bad field.
            return error.code, problem
    raise RuntimeError("ingest kept refusing")


def interaction(customer, channel, text, **extra):
    return {"customerId": customer, "channel": channel, "businessLine": "credit_card",
            "occurredAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "text": text, **extra}


def multipart(metadata, audio_path):
    boundary = uuid.uuid4().hex
    with open(audio_path, "rb") as f:
        audio = f.read()
    parts = [
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(metadata).encode(),
        f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"{os.path.basename(audio_path)}\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n".encode(),
        audio,
        f"\r\n--{boundary}--\r\n".encode(),
    ]
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


if __name__ == "__main__":
    print(send("POST", "/v1/interactions", json.dumps(interaction("C0001", "chat", "年费扣了两次")).encode(), "application/json"))
    lines = [json.dumps(interaction(f"C{n:04d}", "email", "赎回什么时候到账？", externalId=f"mail-{n}")) for n in range(3)]
    print(send("POST", "/v1/interactions:batch", "\n".join(lines).encode(), "application/x-ndjson"))
    if len(sys.argv) > 1:
        metadata = {k: v for k, v in interaction("C0001", "advisor_call", "").items() if k != "text"}
        metadata["audio"] = {"layout": "stereo_agent_left"}
        body, content_type = multipart(metadata, sys.argv[1])
        print(send("POST", "/v1/interactions", body, content_type))
    print(send("PUT", "/v1/customers/C0001", json.dumps({"advisorId": "adv-7", "relationshipManagerId": "rm-3"}).encode(),
               "application/json"))
