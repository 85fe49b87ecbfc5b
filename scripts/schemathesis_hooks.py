"""Schemathesis hooks for the ingest API: NDJSON bodies are sent as the text generated."""
import json

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    # Anything else the generator made (a list of objects) becomes one JSON object per line.
    items = value if isinstance(value, list) else [value]
    return "\n".join(json.dumps(item, ensure_ascii=False) for item in items).encode("utf-8")


# A recording part may be any audio/* or video/* type (the document says so); the bytes
# generated for it are sent as they are, whichever of the two the generator picks.
@schemathesis.serializer("audio/*", "video/*")
def recording(ctx, value):
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")
