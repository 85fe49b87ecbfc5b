-- Deliveries waiting for their endpoint: the stage stores the rendered message here and
-- commits its offset; the dispatcher sends, one lane per endpoint, so a slow endpoint
-- holds up only its own lane. A lease keeps two replicas from sending the same job.
CREATE TABLE notify_jobs (
    idempotency_key  text PRIMARY KEY REFERENCES notify_deliveries (idempotency_key),
    lane             text NOT NULL,
    medium           text NOT NULL,
    delivered_via    text,
    recipient_id     text NOT NULL,
    request          text NOT NULL,
    title            text NOT NULL,
    body_text        text NOT NULL,
    body_html        text NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    leased_until     timestamptz,
    origin_topic     text NOT NULL,
    origin_partition bigint NOT NULL,
    origin_offset    bigint NOT NULL,
    origin_key       bytea,
    origin_value     bytea NOT NULL,
    origin_headers   text NOT NULL,
    traceparent      text
);
CREATE INDEX notify_jobs_due ON notify_jobs (next_attempt_at);
