import Foundation
import Synchronization
import VOCSchema

/// Complaint clusters, built incrementally per business line and month: a complaint
/// joins the most similar cluster (cosine over keyword vectors) when the similarity
/// reaches `threshold`, otherwise it starts a new one. A cluster's centroid is the
/// running mean of its members' vectors (its `maxTerms` heaviest terms); its label is
/// its top three terms.
public final class ClusterBook: Sendable {
    public struct Cluster: Codable, Sendable, Equatable {
        public var id: String
        public var centroid: [String: Double]
        public var size: Int

        public var label: String {
            centroid.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(3).map(\.key).joined(separator: " / ")
        }
    }

    public struct Snapshot: Codable, Sendable, Equatable {
        /// `businessLine|yyyy-MM` → clusters in creation order.
        public var groups: [String: [Cluster]]
        public init(groups: [String: [Cluster]] = [:]) { self.groups = groups }
    }

    public let threshold: Double
    public let maxTerms: Int
    private let state: Mutex<Snapshot>

    public init(threshold: Double = 0.3, maxTerms: Int = 30, _ snapshot: Snapshot = Snapshot()) {
        self.threshold = threshold
        self.maxTerms = maxTerms
        state = Mutex(snapshot)
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Replaces every cluster (with what PostgreSQL kept).
    public func restore(_ snapshot: Snapshot) {
        state.withLock { $0 = snapshot }
    }

    /// Where a complaint goes: the cluster as it is once the complaint joined it.
    public struct Update: Sendable, Equatable {
        public var group: String
        public var cluster: Cluster
    }

    /// Chooses the cluster of a complaint without changing the book; ``apply(_:)`` records it.
    /// A new cluster's id is `businessLine-month-` and a hash of `seed` (the first
    /// member's id), so replicas and restarts never hand out the same id twice.
    public func propose(businessLine: String, month: String, vector: [String: Double], seed: String) -> Update? {
        let norm = Self.norm(vector)
        guard norm > 0 else { return nil }
        let group = "\(businessLine)|\(month)"
        return state.withLock { book in
            let clusters = book.groups[group] ?? []
            var best: (index: Int, similarity: Double)?
            for (index, cluster) in clusters.enumerated() {
                let similarity = Self.cosine(vector, norm, cluster.centroid)
                if similarity > (best?.similarity ?? 0) { best = (index, similarity) }
            }
            if let best, best.similarity >= threshold {
                var cluster = clusters[best.index]
                var merged = cluster.centroid.mapValues { $0 * Double(cluster.size) }
                for (term, weight) in vector { merged[term, default: 0] += weight / norm }
                cluster.size += 1
                cluster.centroid = trim(merged.mapValues { $0 / Double(cluster.size) })
                return Update(group: group, cluster: cluster)
            }
            let suffix = String(StableID.make("cluster", seed).prefix(8))
            return Update(group: group, cluster: Cluster(id: "\(businessLine)-\(month)-\(suffix)",
                                                         centroid: trim(vector.mapValues { $0 / norm }), size: 1))
        }
    }

    /// Records a proposed assignment (the cluster replaces the one with its id, or is added).
    public func apply(_ update: Update) {
        state.withLock { book in
            var clusters = book.groups[update.group] ?? []
            if let index = clusters.firstIndex(where: { $0.id == update.cluster.id }) {
                clusters[index] = update.cluster
            } else {
                clusters.append(update.cluster)
            }
            book.groups[update.group] = clusters
        }
    }

    private func trim(_ vector: [String: Double]) -> [String: Double] {
        guard vector.count > maxTerms else { return vector }
        let kept = vector.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(maxTerms)
        return Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }

    static func norm(_ vector: [String: Double]) -> Double {
        vector.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    static func cosine(_ vector: [String: Double], _ norm: Double, _ centroid: [String: Double]) -> Double {
        let centroidNorm = Self.norm(centroid)
        guard centroidNorm > 0 else { return 0 }
        var dot = 0.0
        for (term, weight) in vector { dot += weight * (centroid[term] ?? 0) }
        return dot / (norm * centroidNorm)
    }
}
