#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into Fuzz/Corpus/<target>/ from the golden
events, the bundled rule files and the examples of the tests. Run from the repository
root; the fuzzer's own finds are kept next to these (see docs/operations.md)."""
import json, os, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "Fuzz" / "Corpus"
golden = root / "Tests" / "VOCSchemaTests" / "Golden"

def write(target, name, data):
    folder = corpus / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())

def compact(path):
    return json.dumps(json.loads(path.read_text()), ensure_ascii=False, separators=(",", ":"))

# event-decode: selector byte (the type's place in Topic.allCases without the raw topic),
# CloudEvents headers, an empty line, the payload.
types = ["voc.interaction.received.v1", "voc.customer.updated.v1", "voc.transcript.ready.v1",
         "voc.insight.produced.v1", "voc.ticket.event.v1", "voc.notification.requested.v1",
         "voc.notification.delivered.v1", "voc.deadletter.v1"]
for folder, prefix in [(golden, "golden"), (golden / "future", "future")]:
    for index, topic in enumerate(types):
        path = folder / f"{topic}.json"
        if not path.exists():
            continue
        headers = (f"ce_specversion: 1.0\nce_id: 0b8f7c52-4a0e-4d7e-9d3c-2f1d8b6a9e10\nce_type: {topic}\n"
                   "ce_source: /voc/ingest\nce_time: 2026-11-20T02:15:00.000Z\nce_subject: C100023\n"
                   "content-type: application/json\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n\n")
        write("event-decode", f"{prefix}-{topic}", bytes([index]) + (headers + compact(path)).encode())

submissions = [
    compact(golden / "voc.gateway.raw.v1.json"),
    '{"customerId":"C0000001","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？"}',
    r'{"customerId":"客户-\"7\"","channel":"advisor_call","businessLine":"wealth","occurredAt":"2026-11-20T10:15:00.25Z","utterances":[{"speaker":"agent","text":"您好","startMs":0,"endMs":900}],"externalId":"E-1","metadata":{"queue":"vip"}}',
    r'{"customerId":"c-\u00e9","channel":"email","businessLine":"b","occurredAt":"2026-11-20T10:15:00-05:00","text":"line\nbreak \ud83d\ude00","agentId":"a/1"}',
    '{"customerId":"c","channel":"hotline_call","businessLine":"b","occurredAt":"2026-01-01T00:00:00Z","audio":{"mediaType":"audio/wav","layout":"stereo_agent_left","durationMs":5000}}',
    '{"customerId":"c","channel":"chat","businessLine":"b","occurredAt":"2026-01-01T00:00:00.123456Z","text":"x","metadata":{"k":"v","k":"w"},"extra":1}',
    '{"customerId":7,"channel":"fax","businessLine":"Credit Card","occurredAt":"yesterday","text":" "}',
]
for index, submission in enumerate(submissions):
    write("transcoder", f"submission-{index}", submission)
    write("gateway-raw", f"record-{index}",
          "gateway_id: gw-hotline\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\n\n" + submission)
write("ndjson-batch", "three-lines", "\n".join(submissions[1:4]) + "\n")
write("ndjson-batch", "blank-and-crlf", "\r\n" + submissions[1] + " \t\r\n\n" + submissions[5] + "\r\n" + submissions[6])
write("ndjson-batch", "one-line", submissions[0])

# multipart: chunk-size byte, the Content-Type, a newline, the body.
def multipart(boundary, metadata, audio, closing=True):
    body = f"--{boundary}\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{metadata}\r\n".encode()
    if audio is not None:
        body += f"--{boundary}\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"call.wav\"\r\nContent-Type: audio/wav\r\n\r\n".encode() + audio + b"\r\n"
    if closing:
        body += f"--{boundary}--\r\n".encode()
    return body
wav = b"RIFF$\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
metadata = submissions[4]
write("multipart", "upload", bytes([0]) + b"multipart/form-data; boundary=b0undary\n" + multipart("b0undary", metadata, wav))
write("multipart", "chunked-quoted", bytes([7]) + b'multipart/form-data; charset=utf-8; boundary="q b"\n' + multipart("q b", metadata, wav))
write("multipart", "cut-short", bytes([13]) + b"multipart/form-data; boundary=xyz\n" + multipart("xyz", metadata, wav, closing=False))
write("multipart", "metadata-only", bytes([1]) + b"multipart/form-data; boundary=----abc123\n" + multipart("----abc123", metadata, None))

# pii: texts of the PII tests (check digits computed here as the detector checks them).
def id_card(body):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
def luhn(body):
    total = 0
    for index, digit in enumerate(reversed(body)):
        value = int(digit) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return body + str((10 - total % 10) % 10)
pii = [
    f"我的身份证号是{id_card('11010119850312123')}，请核实",
    f"卡号{luhn('622202123456789012')}的年费，card {luhn('436742123456789')[:4]}-{luhn('436742123456789')[4:8]}-{luhn('436742123456789')[8:12]}-{luhn('436742123456789')[12:]} please",
    "手机 138 1234 5678，或者 +86-139-1234-5678，座机(010)62345678，0755-12345678",
    "邮箱 zhang.san+vip@example.com.cn，全角１３８１２３４５６７８，＠",
    "ticket 1234 5678 9012 3456 is not a card; order 20261120123456",
]
for index, text in enumerate(pii):
    write("pii", f"text-{index}", text)

# rule-pack: the bundled pack and a small one.
write("rule-pack", "finance", (root / "Services/Analyze/Analyze/Resources/rules/finance.json").read_bytes())
small = {
    "version": "small-1", "lexicon": ["保本"], "negations": ["不", "not"],
    "redaction": {"mobile": "[手机]"},
    "categories": [{"id": "fees_interest", "threshold": 1, "rules": [
        {"keywords": ["年费", "annual fee"], "weight": 1},
        {"regex": "扣了?(两|2)次", "speaker": "customer", "negated": "skip"},
        {"near": {"a": ["年费"], "b": ["扣"], "within": 4}, "unless": ["不是"]}]}],
    "compliance": {"channels": ["advisor_call"], "identityWithinAgentTurns": 2,
                   "identity": [{"phrases": ["我是"], "speaker": "agent"}],
                   "riskDisclosure": [{"phrases": ["风险", "risk"], "speaker": "agent"}],
                   "guaranteedReturn": [{"phrases": ["保本"], "speaker": "agent", "negated": "skip"}],
                   "customerConfirmation": [{"phrases": ["确认"], "speaker": "customer"}]},
    "profileFacts": [{"fact": "health.hypertension", "rules": [{"keywords": ["高血压"], "unless": ["妈妈"]}]}],
    "suitability": {"health.hypertension": ["no_wine"]},
    "complaintRisk": [{"signal": "regulator_threat", "rules": [{"keywords": ["监管", "投诉"], "weight": 0.6}]}],
    "effort": [{"signal": "repeat_contact", "rules": [{"regex": "第[二三四]次|third time", "weight": 0.5}]}],
}
write("rule-pack", "small", json.dumps(small, ensure_ascii=False, indent=1))

# routing-book: selector byte (0 rules, 1 directory, 2 holidays), then the file.
route = root / "Services/Route/Route/Resources"
for selector, name in enumerate(["routing-rules", "directory", "cn-holidays"]):
    write("routing-book", name, bytes([selector]) + (route / f"{name}.json").read_bytes())
