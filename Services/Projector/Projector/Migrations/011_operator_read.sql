-- `voc verify` counts the interactions the timeline holds, connected as the operator
-- role (voc_ops, docs/operations.md#database-roles): the entry ids and whether the
-- interaction itself was seen, never the customer's words or profile.
GRANT SELECT (entry_id, interaction_seen) ON timeline_entries TO voc_ops;
