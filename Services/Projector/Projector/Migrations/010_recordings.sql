-- The claim-check of every recorded contact, so the read API can serve the recording
-- (the digest's audio players) from the blob store without the event at hand.
-- Numbered apart from the read models' own migrations; versions are applied by set, not by order.
CREATE TABLE recordings (
    interaction_id  text PRIMARY KEY,
    customer_id     text NOT NULL,
    uri             text NOT NULL,
    media_type      text NOT NULL,
    size_bytes      bigint NOT NULL,
    sha256          text NOT NULL,
    duration_ms     integer
);

-- The digest reads a business line's analysed contacts of one month.
CREATE INDEX timeline_entries_by_line_month ON timeline_entries (business_line, occurred_at) WHERE insight_id IS NOT NULL;
