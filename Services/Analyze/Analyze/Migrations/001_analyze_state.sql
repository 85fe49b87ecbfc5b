-- What analyze learns as data flows, so it survives restarts: the corpus document
-- frequencies behind TF-IDF keywords, and the complaint clusters per business line
-- and month. Each transcript is counted once (applied_events, consumer analyze.learning).
CREATE TABLE analyze_corpus (
    id        smallint PRIMARY KEY CHECK (id = 1),
    documents bigint NOT NULL
);
INSERT INTO analyze_corpus (id, documents) VALUES (1, 0);
CREATE TABLE analyze_terms (
    term      text PRIMARY KEY,
    documents bigint NOT NULL
);
CREATE TABLE analyze_clusters (
    cluster_id text PRIMARY KEY,
    group_key  text NOT NULL,
    label      text NOT NULL,
    size       integer NOT NULL,
    centroid   jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX analyze_clusters_group ON analyze_clusters (group_key, created_at);
