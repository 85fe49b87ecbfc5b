-- One row per customer contact, newest first per customer. Text is not kept here:
-- the redacted summary arrives with the insight (analyze owns PII redaction).
CREATE TABLE timeline_entries (
    entry_id        text PRIMARY KEY,
    customer_id     text NOT NULL,
    kind            text NOT NULL,
    channel         text NOT NULL,
    business_line   text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    language        text,
    agent_id        text,
    gateway_id      text,
    content_chars   integer NOT NULL,
    utterance_count integer NOT NULL,
    has_audio       boolean NOT NULL,
    summary         text,
    event_id        text NOT NULL,
    projected_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX timeline_entries_by_customer ON timeline_entries (customer_id, occurred_at DESC, entry_id DESC);
