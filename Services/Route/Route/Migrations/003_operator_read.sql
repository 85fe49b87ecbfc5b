-- `voc verify` counts the insights route has applied, connected as the operator role
-- (voc_ops, docs/operations.md#database-roles): it may read route's ledger of applied
-- event ids and nothing else of route's. The role is created before any service starts.
GRANT SELECT ON applied_events TO voc_ops;
