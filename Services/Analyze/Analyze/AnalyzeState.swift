import Foundation
import VOCStore

/// Corpus frequencies and clusters in PostgreSQL: loaded at start, and each
/// transcript's contribution recorded once, in the same transaction as the record of
/// having applied it.
struct AnalyzeStateRepository: Sendable {
    static let consumer = "analyze.learning"
    let store: Store

    func load() async throws -> (CorpusFrequencies.Snapshot, ClusterBook.Snapshot) {
        var corpus = CorpusFrequencies.Snapshot()
        for documents in try await store.rows("SELECT documents FROM analyze_corpus WHERE id = 1", as: Int.self) {
            corpus.documents = documents
        }
        for (term, documents) in try await store.rows("SELECT term, documents FROM analyze_terms", as: String.self, Int.self) {
            corpus.frequencies[term] = documents
        }
        var clusters = ClusterBook.Snapshot()
        for (id, group, size, centroid) in try await store.rows(
            "SELECT cluster_id, group_key, size, centroid::text FROM analyze_clusters ORDER BY created_at, cluster_id",
            as: String.self, String.self, Int.self, String.self) {
            let vector = (try? JSONDecoder().decode([String: Double].self, from: Data(centroid.utf8))) ?? [:]
            clusters.groups[group, default: []].append(ClusterBook.Cluster(id: id, centroid: vector, size: size))
        }
        return (corpus, clusters)
    }

    /// The transcripts among `ids` whose contribution is already recorded.
    func recorded(_ ids: [String]) async throws -> Set<String> {
        guard !ids.isEmpty else { return [] }
        return Set(try await store.rows(
            "SELECT event_id FROM applied_events WHERE consumer = \(Self.consumer) AND event_id = ANY(\(ids)::text[])",
            as: String.self))
    }

    /// Records the contributions of a batch of transcripts in one transaction, each
    /// with its apply-once row. A transcript recorded meanwhile by another member of
    /// the group (a rebalance) is skipped.
    func record(_ batch: [(transcriptId: String, learning: Analyzer.Learning)]) async throws {
        guard !batch.isEmpty else { return }
        try await store.transaction { transaction in
            // What analyze learns is statistics, not a record anyone was promised: a server
            // crash may lose the last few contributions (with their apply-once rows, so the
            // two never disagree), and no batch waits for a disk flush.
            try await transaction.execute("SET LOCAL synchronous_commit TO OFF")
            let inserted: [String] = try await transaction.rows(
                """
                INSERT INTO applied_events (consumer, event_id) SELECT \(Self.consumer), unnest(\(batch.map(\.transcriptId))::text[])
                ON CONFLICT DO NOTHING RETURNING event_id
                """, as: String.self)
            let fresh = Set(inserted)
            let learnings = batch.filter { fresh.contains($0.transcriptId) }.map(\.learning)
            guard !learnings.isEmpty else { return }
            try await transaction.execute("UPDATE analyze_corpus SET documents = documents + \(learnings.count) WHERE id = 1")
            var documents: [String: Int] = [:]
            for learning in learnings {
                for term in Set(learning.terms) { documents[term, default: 0] += 1 }
            }
            if !documents.isEmpty {
                let terms = documents.keys.sorted()
                try await transaction.execute(
                    """
                    INSERT INTO analyze_terms (term, documents)
                    SELECT * FROM unnest(\(terms)::text[], \(terms.map { documents[$0]! })::int8[])
                    ON CONFLICT (term) DO UPDATE SET documents = analyze_terms.documents + EXCLUDED.documents
                    """)
            }
            // Each update carries the cluster's whole state, so the last one of a cluster wins.
            var clusters: [String: ClusterBook.Update] = [:]
            for case let update? in learnings.map(\.cluster) { clusters[update.id] = update }
            for update in clusters.values.sorted(by: { $0.id < $1.id }) {
                let centroid = String(decoding: try JSONEncoder().encode(update.cluster.centroid), as: UTF8.self)
                try await transaction.execute(
                    """
                    INSERT INTO analyze_clusters (cluster_id, group_key, label, size, centroid)
                    VALUES (\(update.id), \(update.group), \(update.label), \(update.size), \(centroid)::jsonb)
                    ON CONFLICT (cluster_id) DO UPDATE SET label = EXCLUDED.label, size = EXCLUDED.size,
                        centroid = EXCLUDED.centroid, updated_at = now()
                    """)
            }
        }
    }
}
