-- The read models of docs/read-models.md. Every table is filled from the topics alone,
-- each event once (applied_events), and `voc rebuild` empties and refills them.

-- A timeline row is filled by the interaction, its transcript and its insight in whatever
-- order they arrive, so the columns of each may be empty while the others are there.
ALTER TABLE timeline_entries ALTER COLUMN channel DROP NOT NULL;
ALTER TABLE timeline_entries ALTER COLUMN business_line DROP NOT NULL;
ALTER TABLE timeline_entries ALTER COLUMN occurred_at DROP NOT NULL;
ALTER TABLE timeline_entries ALTER COLUMN received_at DROP NOT NULL;
ALTER TABLE timeline_entries ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE timeline_entries ALTER COLUMN content_chars SET DEFAULT 0;
ALTER TABLE timeline_entries ALTER COLUMN utterance_count SET DEFAULT 0;
ALTER TABLE timeline_entries ALTER COLUMN has_audio SET DEFAULT false;
ALTER TABLE timeline_entries ALTER COLUMN kind SET DEFAULT 'interaction';
-- Rows written before this migration came from interactions.
ALTER TABLE timeline_entries ADD COLUMN interaction_seen boolean NOT NULL DEFAULT true;
ALTER TABLE timeline_entries ALTER COLUMN interaction_seen SET DEFAULT false;
ALTER TABLE timeline_entries ADD COLUMN transcript_id text;
ALTER TABLE timeline_entries ADD COLUMN transcript_engine text;
ALTER TABLE timeline_entries ADD COLUMN audio_duration_ms integer;
ALTER TABLE timeline_entries ADD COLUMN insight_id text;
ALTER TABLE timeline_entries ADD COLUMN insight_produced_at timestamptz;
ALTER TABLE timeline_entries ADD COLUMN sentiment_label text;
ALTER TABLE timeline_entries ADD COLUMN sentiment_score double precision;
ALTER TABLE timeline_entries ADD COLUMN categories text[];
ALTER TABLE timeline_entries ADD COLUMN complaint_risk double precision;
ALTER TABLE timeline_entries ADD COLUMN effort double precision;
ALTER TABLE timeline_entries ADD COLUMN cluster_id text;
ALTER TABLE timeline_entries ADD COLUMN cluster_label text;
ALTER TABLE timeline_entries ADD COLUMN keywords text[];
-- Analyze's redacted utterances and compliance findings, as the insight carries them.
ALTER TABLE timeline_entries ADD COLUMN utterances jsonb;
ALTER TABLE timeline_entries ADD COLUMN compliance jsonb;
-- Where the insight was counted in trend_days, so a newer insight can take it back out.
ALTER TABLE timeline_entries ADD COLUMN trend_day date;
ALTER TABLE timeline_entries ADD COLUMN trend_business_line text;
CREATE INDEX timeline_entries_by_agent ON timeline_entries (agent_id, occurred_at) WHERE agent_id IS NOT NULL;

-- The customer 360: owners and consents from the CRM, counters from the contacts.
CREATE TABLE customer_profiles (
    customer_id                 text PRIMARY KEY,
    advisor_id                  text,
    relationship_manager_id     text,
    business_line               text,
    consent_marketing           boolean,
    consent_recording           boolean,
    consent_sensitive_profile   boolean,
    consent_owner_sync          boolean,
    crm_updated_at              timestamptz,
    -- Breaks ties between two CRM updates of the same time, so any order gives one result.
    crm_update_id               text,
    contact_count               integer NOT NULL DEFAULT 0,
    first_contact_at            timestamptz,
    last_contact_at             timestamptz,
    -- The latest analysed contact (by occurrence, then by when it was analysed).
    last_insight_at             timestamptz,
    last_insight_produced_at    timestamptz,
    last_sentiment_label        text,
    last_sentiment_score        double precision,
    complaint_risk              double precision,
    max_complaint_risk          double precision
);
CREATE INDEX customer_profiles_by_advisor ON customer_profiles (advisor_id, customer_id) WHERE advisor_id IS NOT NULL;
CREATE INDEX customer_profiles_by_manager ON customer_profiles (relationship_manager_id, customer_id)
    WHERE relationship_manager_id IS NOT NULL;

-- One row per customer and fact: the latest evidence of it.
CREATE TABLE customer_facts (
    customer_id      text NOT NULL,
    fact             text NOT NULL,
    evidence         text NOT NULL,
    utterance_index  integer,
    confidence       double precision NOT NULL,
    sensitive        boolean NOT NULL,
    insight_id       text NOT NULL,
    interaction_id   text NOT NULL,
    observed_at      timestamptz NOT NULL,
    PRIMARY KEY (customer_id, fact)
);

-- The ticket queue: the state of the highest sequence seen, counters of every event.
CREATE TABLE ticket_queue (
    ticket_id               text PRIMARY KEY,
    sequence                integer NOT NULL,
    status                  text NOT NULL,
    customer_id             text NOT NULL,
    business_line           text NOT NULL,
    category                text NOT NULL,
    department              text NOT NULL,
    priority                text NOT NULL,
    assignee_id             text,
    insight_id              text,
    interaction_id          text,
    opened_at               timestamptz,
    updated_at              timestamptz NOT NULL,
    due_at                  timestamptz,
    first_response_due_at   timestamptz,
    regulatory_due_at       timestamptz,
    sla_provisional         boolean NOT NULL DEFAULT false,
    breached                boolean NOT NULL DEFAULT false,
    repeat_count            integer NOT NULL DEFAULT 0,
    reopen_count            integer NOT NULL DEFAULT 0,
    resolution_code         text,
    resolved_at             timestamptz,
    closed_at               timestamptz,
    is_open                 boolean GENERATED ALWAYS AS (status NOT IN ('resolved', 'confirmed', 'closed')) STORED,
    -- Queue order: due first; a ticket without a due time last.
    due_key                 timestamptz GENERATED ALWAYS AS (COALESCE(due_at, 'infinity'::timestamptz)) STORED
);
CREATE INDEX ticket_queue_by_department ON ticket_queue (department, due_key, ticket_id);
CREATE INDEX ticket_queue_by_due ON ticket_queue (due_key, ticket_id);
CREATE INDEX ticket_queue_by_customer ON ticket_queue (customer_id, is_open);

-- Which contacts a ticket concerns: the one that opened it, repeat contacts, answers.
CREATE TABLE ticket_contacts (
    interaction_id  text NOT NULL,
    ticket_id       text NOT NULL,
    opened          boolean NOT NULL,
    PRIMARY KEY (interaction_id, ticket_id)
);

-- Notifications about a customer's contacts and tickets, with notify's outcome. The
-- outcome may arrive first: then only notification_id and the outcome are set.
CREATE TABLE customer_notifications (
    notification_id  text PRIMARY KEY,
    customer_id      text,
    interaction_id   text,
    ticket_id        text,
    recipient_role   text,
    recipient_id     text,
    medium           text,
    kind             text,
    title            text,
    body             text,
    requested_at     timestamptz,
    outcome          text,
    delivered_at     timestamptz,
    delivered_via    text
);
CREATE INDEX customer_notifications_by_interaction ON customer_notifications (interaction_id) WHERE interaction_id IS NOT NULL;

-- Trends: the latest insight of every contact, counted per local day, line and category.
CREATE TABLE trend_days (
    day            date NOT NULL,
    business_line  text NOT NULL,
    category       text NOT NULL,
    contacts       integer NOT NULL,
    negative       integer NOT NULL,
    -- Sentiment scores in thousandths: integer sums are the same in any order, float sums are not.
    sentiment_milli_sum  bigint NOT NULL,
    PRIMARY KEY (day, business_line, category)
);

CREATE TABLE clusters (
    cluster_id     text PRIMARY KEY,
    label          text NOT NULL,
    business_line  text NOT NULL,
    size           integer NOT NULL
);

CREATE TABLE cluster_days (
    cluster_id  text NOT NULL,
    day         date NOT NULL,
    members     integer NOT NULL,
    PRIMARY KEY (cluster_id, day)
);
CREATE INDEX cluster_days_by_day ON cluster_days (day);

-- The queue a department works: its open tickets, most urgent first.
CREATE INDEX ticket_queue_open_by_department ON ticket_queue (department, due_key, ticket_id) WHERE is_open;
