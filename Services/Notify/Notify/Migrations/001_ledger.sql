-- The delivery ledger: one row per idempotency key, so a request consumed twice is sent
-- once. `status` is sending → delivered | failed | queued (waiting for a robot digest);
-- `exhausted` (transient failures past the last attempt) may be tried again by a replay.
CREATE TABLE notify_deliveries (
    idempotency_key  text PRIMARY KEY,
    notification_id  text NOT NULL,
    delivery_id      text NOT NULL,
    recipient_id     text NOT NULL,
    medium           text NOT NULL,
    delivered_via    text,
    status           text NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    receiver_status  integer,
    receiver_answer  text,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz
);

-- People and systems that receive notifications, loaded from notify.directoryFile.
CREATE TABLE notify_recipients (
    recipient_id        text PRIMARY KEY,
    name                text,
    language            text NOT NULL DEFAULT 'zh',
    channels            text[] NOT NULL DEFAULT '{}',
    quiet_start_minute  integer,
    quiet_end_minute    integer,
    utc_offset_minutes  integer NOT NULL DEFAULT 480,
    email               text,
    mobile              text,
    wecom_key           text,
    dingtalk_token      text,
    dingtalk_secret     text,
    webhook_url         text,
    webhook_secrets     text[] NOT NULL DEFAULT '{}',
    webhook_disabled_at timestamptz,
    inbox_token_sha256  text UNIQUE
);

-- Robot messages held back by the per-robot rate limit, merged into one digest.
CREATE TABLE notify_robot_queue (
    idempotency_key text PRIMARY KEY REFERENCES notify_deliveries (idempotency_key),
    medium          text NOT NULL,
    robot           text NOT NULL,
    recipient_id    text NOT NULL,
    title           text NOT NULL,
    content         text NOT NULL,
    queued_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notify_robot_queue_by_robot ON notify_robot_queue (robot, queued_at);

-- The in-app inbox of advisors and managers.
CREATE TABLE notify_inbox (
    item_id      text PRIMARY KEY,
    recipient_id text NOT NULL,
    kind         text NOT NULL,
    title        text NOT NULL,
    body         text NOT NULL,
    urgent       boolean NOT NULL DEFAULT false,
    ticket_id    text,
    customer_id  text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    read_at      timestamptz
);
CREATE INDEX notify_inbox_by_recipient ON notify_inbox (recipient_id, created_at DESC, item_id DESC);
