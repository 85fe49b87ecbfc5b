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

    /// - Returns: `false` when this insight was recorded before (a redelivery).
    func record(_ learning: Analyzer.Learning, insightId: String) async throws -> Bool {
        let terms = Array(learning.terms).sorted()
        return try await store.applyOnce(consumer: Self.consumer, eventId: insightId) { transaction in
            // What analyze learns is statistics, not a record anyone was promised: a server
            // crash may lose the last few contributions (with their apply-once rows, so the
            // two never disagree), and no record waits for a disk flush per transcript.
            try await transaction.execute("SET LOCAL synchronous_commit TO OFF")
            try await transaction.execute("UPDATE analyze_corpus SET documents = documents + 1 WHERE id = 1")
            if !terms.isEmpty {
                try await transaction.execute(
                    """
                    INSERT INTO analyze_terms (term, documents) SELECT unnest(\(terms)::text[]), 1
                    ON CONFLICT (term) DO UPDATE SET documents = analyze_terms.documents + 1
                    """)
            }
            if let update = learning.cluster {
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
