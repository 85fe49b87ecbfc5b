#!/usr/bin/env python3
"""Checks the JSON Schemas in docs/schemas against the golden v1 payloads.

For every topic: the schema is a valid draft 2020-12 schema, and the golden sample in
Tests/VOCSchemaTests/Golden/<topic>.json validates against it. Then a handful of
gateway submissions and events that break the contract must be rejected.

Usage, from the repository root:

    python3 scripts/check-schemas.py

Needs the `jsonschema` package (pip install jsonschema). Prints one line per check and
ends with "N passed, M failed"; exits 1 if any check failed.
"""

import copy
import json
import sys
from pathlib import Path

try:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
except ImportError:
    sys.exit("check-schemas: the jsonschema package is required (pip install jsonschema)")

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "docs" / "schemas"
GOLDEN = ROOT / "Tests" / "VOCSchemaTests" / "Golden"

TOPICS = [
    "voc.gateway.raw.v1",
    "voc.interaction.received.v1",
    "voc.customer.updated.v1",
    "voc.transcript.ready.v1",
    "voc.insight.produced.v1",
    "voc.ticket.event.v1",
    "voc.notification.requested.v1",
    "voc.notification.delivered.v1",
    "voc.deadletter.v1",
]

passed = 0
failed = 0


def report(ok, name, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
    line = f"{'PASS' if ok else 'FAIL'}  {name}"
    if detail:
        line += f" ({detail})"
    print(line)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def first_error(validator, instance):
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    error = errors[0]
    where = "/".join(str(p) for p in error.absolute_path) or "(root)"
    message = error.message
    if error.validator == "oneOf":
        names = [", ".join(branch.get("required", [])) for branch in error.validator_value]
        message = "must have exactly one of: " + " | ".join(names)
    if len(message) > 100:
        message = message[:97] + "..."
    return f"{where}: {message}"


def without(document, field):
    document = copy.deepcopy(document)
    document.pop(field, None)
    return document


def with_fields(document, **fields):
    document = copy.deepcopy(document)
    document.update(fields)
    return document


validators = {}

# Every schema is valid and every golden sample validates against its topic's schema.
for topic in TOPICS:
    schema_path = SCHEMAS / f"{topic}.schema.json"
    golden_path = GOLDEN / f"{topic}.json"
    try:
        schema = load(schema_path)
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError, SchemaError) as error:
        report(False, f"schema {topic}", str(error).splitlines()[0])
        continue
    expected_id = f"https://voc-platform.dev/schemas/{topic}.schema.json"
    if schema.get("$id") != expected_id:
        report(False, f"schema {topic}", f"$id is {schema.get('$id')!r}, expected {expected_id}")
        continue
    report(True, f"schema {topic} is a valid draft 2020-12 schema")
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    validators[topic] = validator
    try:
        sample = load(golden_path)
    except (OSError, ValueError) as error:
        report(False, f"golden {topic}", str(error).splitlines()[0])
        continue
    problem = first_error(validator, sample)
    report(problem is None, f"golden {topic} validates", problem or "")

# No schema without a topic, no golden sample without a schema.
for path in sorted(SCHEMAS.glob("*.schema.json")):
    topic = path.name.removesuffix(".schema.json")
    if topic not in TOPICS:
        report(False, f"schema {path.name}", "no such topic in the check list")
for path in sorted(GOLDEN.glob("*.json")):
    if path.stem not in TOPICS:
        report(False, f"golden {path.name}", "no schema checks it")

# Gateway submissions: what must pass and what must be rejected.
raw = validators.get("voc.gateway.raw.v1")
if raw is not None:
    submission = load(GOLDEN / "voc.gateway.raw.v1.json")
    text_only = with_fields(without(submission, "utterances"), text="提前还款要收违约金吗？")

    accepted = [
        ("text instead of utterances", text_only),
        ("an unknown field (additive evolution)", with_fields(submission, sentimentHint="angry")),
        ("a reply to a ticket, resolved in the contact, an amount and a tier",
         with_fields(submission, replyTo="tk-123", resolvedInContact=True, amount=200.5, customerTier="private")),
        ("only the required fields", {"customerId": "c1", "channel": "email", "businessLine": "wealth",
                                      "occurredAt": "2026-11-24T09:30:00Z", "text": "hi"}),
    ]
    for name, document in accepted:
        problem = first_error(raw, document)
        report(problem is None, f"accept gateway submission with {name}", problem or "")

    def utterance(**fields):
        return with_fields(submission, utterances=[dict({"speaker": "customer", "text": "hi"}, **fields)])

    rejected = [
        ("without customerId", without(submission, "customerId")),
        ("with a blank customerId", with_fields(submission, customerId="   ")),
        ("with an unknown channel", with_fields(submission, channel="fax")),
        ("with both text and utterances", with_fields(submission, text="hi")),
        ("with neither text nor utterances", without(submission, "utterances")),
        ("with an empty utterances list", with_fields(submission, utterances=[])),
        ("with a businessLine that is not a slug", with_fields(submission, businessLine="Credit Card")),
        ("with occurredAt not RFC 3339", with_fields(submission, occurredAt="24/11/2026")),
        ("with a language that is not BCP 47", with_fields(submission, language="chinese")),
        ("with an unknown speaker", utterance(speaker="bot")),
        ("with a blank utterance text", utterance(text="  ")),
        ("with a negative startMs", utterance(startMs=-1)),
        ("with a non-string metadata value", with_fields(submission, metadata={"n": 1})),
        ("with an externalId over 128 characters", with_fields(submission, externalId="x" * 129)),
        ("with a negative amount", with_fields(submission, amount=-1)),
        ("with an amount that is not a number", with_fields(submission, amount="200")),
        ("with resolvedInContact that is not a boolean", with_fields(submission, resolvedInContact="yes")),
        ("with a customerTier that is not a slug", with_fields(submission, customerTier="Private Banking")),
    ]
    for name, document in rejected:
        problem = first_error(raw, document)
        report(problem is not None, f"reject gateway submission {name}", problem or "it validated")

# A few events that break their contract.
event_cases = [
    ("voc.interaction.received.v1", "with both text and utterances", lambda d: with_fields(d, text="hi")),
    ("voc.interaction.received.v1", "with a date that is not a date-time", lambda d: with_fields(d, occurredAt="yesterday")),
    ("voc.transcript.ready.v1", "with a confidence above 1",
     lambda d: with_fields(d, utterances=[dict(d["utterances"][0], confidence=1.5)])),
    ("voc.ticket.event.v1", "with an unknown kind", lambda d: with_fields(d, kind="deleted")),
    ("voc.deadletter.v1", "with an unknown reason", lambda d: with_fields(d, reason="lost")),
    ("voc.deadletter.v1", "with a value that is not base64", lambda d: with_fields(d, value="not base64!")),
]
for topic, name, mutate in event_cases:
    validator = validators.get(topic)
    if validator is None:
        continue
    problem = first_error(validator, mutate(load(GOLDEN / f"{topic}.json")))
    report(problem is not None, f"reject {topic} {name}", problem or "it validated")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
