-- First-contact resolution: the agent who resolved the matter in the contact, and whether
-- it was within their authority (resolved there) or above it (waits for approval).
ALTER TABLE tickets
    ADD COLUMN resolved_at_first_contact boolean NOT NULL DEFAULT false,
    ADD COLUMN approval_required         boolean NOT NULL DEFAULT false,
    ADD COLUMN handled_by                text;

-- The closed loop looks up a batch's customers' resolved tickets; the index on open
-- tickets leaves resolved ones out.
CREATE INDEX tickets_resolved_by_customer ON tickets (customer_id, resolved_at) WHERE status = 'resolved';
