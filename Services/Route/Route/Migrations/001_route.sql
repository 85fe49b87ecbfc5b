-- The customer's owners and consents, from voc.customer.updated.v1 (latest update wins).
CREATE TABLE route_customers (
    customer_id             text PRIMARY KEY,
    advisor_id              text,
    relationship_manager_id text,
    business_line           text,
    owner_sync              boolean NOT NULL DEFAULT true,
    sensitive_profile       boolean NOT NULL DEFAULT false,
    updated_at              timestamptz NOT NULL
);

-- One row per work order; route is its only writer. `version` is the sequence of the
-- ticket's last event, so a stale If-Match and an out-of-order consumer both see it.
CREATE TABLE tickets (
    ticket_id              text PRIMARY KEY,
    customer_id            text NOT NULL,
    business_line          text NOT NULL,
    category               text NOT NULL,
    department             text NOT NULL,
    priority               text NOT NULL,
    status                 text NOT NULL,
    assignee_id            text,
    rule_id                text NOT NULL,
    rules_version          text NOT NULL,
    sla_policy             text NOT NULL,
    opened_at              timestamptz NOT NULL,
    first_response_due_at  timestamptz,
    resolution_due_at      timestamptz,
    regulatory_due_at      timestamptz,
    warn_at                timestamptz,
    sla_provisional        boolean NOT NULL DEFAULT false,
    first_responded_at     timestamptz,
    resolved_at            timestamptz,
    repeat_count           integer NOT NULL DEFAULT 0,
    escalation_level       integer NOT NULL DEFAULT 0,
    warned                 boolean NOT NULL DEFAULT false,
    breached               boolean NOT NULL DEFAULT false,
    resolution_code        text,
    first_insight_id       text NOT NULL,
    last_insight_id        text NOT NULL,
    last_interaction_id    text,
    version                integer NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_open_by_customer ON tickets (customer_id, category, opened_at DESC)
    WHERE status NOT IN ('resolved', 'confirmed', 'closed');
CREATE INDEX tickets_by_department ON tickets (department, status);
CREATE INDEX tickets_due ON tickets (resolution_due_at) WHERE status NOT IN ('resolved', 'confirmed', 'closed');

-- Time the SLA clock stood still while waiting on the customer; an open pause has no end.
CREATE TABLE ticket_pauses (
    ticket_id  text NOT NULL REFERENCES tickets (ticket_id),
    started_at timestamptz NOT NULL,
    ended_at   timestamptz,
    PRIMARY KEY (ticket_id, started_at)
);

-- Transactional outbox: every event route publishes is written here in the transaction
-- that changes the state it reports, and relayed to Kafka afterwards. Rows stay as the
-- ticket's history; `sent_at` marks what the broker acknowledged.
CREATE TABLE route_outbox (
    seq           bigserial PRIMARY KEY,
    event_id      text NOT NULL UNIQUE,
    topic         text NOT NULL,
    record_key    text NOT NULL,
    value         bytea NOT NULL,
    header_names  text[] NOT NULL,
    header_values text[] NOT NULL,
    ticket_id     text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    sent_at       timestamptz
);
CREATE INDEX route_outbox_unsent ON route_outbox (seq) WHERE sent_at IS NULL;
CREATE INDEX route_outbox_by_ticket ON route_outbox (ticket_id, seq) WHERE ticket_id IS NOT NULL;
