-- Answers to requests that carried an Idempotency-Key, kept until they expire.
CREATE TABLE ingest_idempotency (
    gateway_id      text        NOT NULL,
    idempotency_key text        NOT NULL,
    -- What the first request was (method, path, body hash): a different request with
    -- the same key is refused rather than answered with the wrong response.
    fingerprint     text        NOT NULL,
    -- 'pending' while the first request runs, 'done' once its answer is stored.
    state           text        NOT NULL,
    status          integer,
    content_type    text,
    -- Response headers worth replaying (Location, Retry-After), as a JSON object.
    headers         jsonb,
    body            bytea,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (gateway_id, idempotency_key)
);
CREATE INDEX ingest_idempotency_expires ON ingest_idempotency (expires_at);

-- The claim-check ledger: every recording's way from request to event.
--   awaiting_audio  created by POST, bytes to come by PUT (expires)
--   storing         bytes being written to the blob store
--   stored          blob complete; the event may or may not have reached the broker
--   published       the broker acknowledged the event
-- The sweeper deletes the blobs of 'storing' rows that outlived any request, and
-- publishes (again, with the same event id) the events of old 'stored' rows, so there is
-- neither an orphan blob nor an event without its blob.
CREATE TABLE ingest_recordings (
    interaction_id text        PRIMARY KEY,
    gateway_id     text,
    state          text        NOT NULL,
    event          jsonb       NOT NULL,
    blob_uri       text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL
);
CREATE INDEX ingest_recordings_state ON ingest_recordings (state, updated_at);
