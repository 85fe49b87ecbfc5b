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
    private let state: Mutex<State>

    /// The clusters, plus per group each centroid's norm and which clusters hold a term,
    /// so a complaint is compared only with the clusters that share a keyword.
    private struct State {
        var book = Snapshot()
        var norms: [String: [Double]] = [:]
        var index: [String: [String: [Int]]] = [:]
        /// Cluster id → its position in its group.
        var positions: [String: Int] = [:]

        init(_ snapshot: Snapshot) {
            for (group, clusters) in snapshot.groups {
                for cluster in clusters { put(cluster, group: group) }
            }
        }

        mutating func put(_ cluster: Cluster, group: String) {
            var clusters = book.groups[group] ?? []
            let position: Int
            if let existing = positions[cluster.id] {
                position = existing
                clusters[existing] = cluster
                norms[group]![existing] = ClusterBook.norm(cluster.centroid)
            } else {
                position = clusters.count
                positions[cluster.id] = position
                clusters.append(cluster)
                norms[group, default: []].append(ClusterBook.norm(cluster.centroid))
            }
            book.groups[group] = clusters
            for term in cluster.centroid.keys where !(index[group]?[term]?.contains(position) ?? false) {
                index[group, default: [:]][term, default: []].append(position)
            }
        }
    }

    public init(threshold: Double = 0.3, maxTerms: Int = 30, _ snapshot: Snapshot = Snapshot()) {
        self.threshold = threshold
        self.maxTerms = maxTerms
        state = Mutex(State(snapshot))
    }

    public var snapshot: Snapshot { state.withLock { $0.book } }

    /// Replaces every cluster (with what PostgreSQL kept).
    public func restore(_ snapshot: Snapshot) {
        state.withLock { $0 = State(snapshot) }
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
        return state.withLock { state in
            let clusters = state.book.groups[group] ?? []
            var candidates = Set<Int>()
            for term in vector.keys { candidates.formUnion(state.index[group]?[term] ?? []) }
            var best: (index: Int, similarity: Double)?
            for index in candidates.sorted() {
                let centroidNorm = state.norms[group]![index]
                guard centroidNorm > 0 else { continue }
                var dot = 0.0
                for (term, weight) in vector { dot += weight * (clusters[index].centroid[term] ?? 0) }
                let similarity = dot / (norm * centroidNorm)
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
        state.withLock { $0.put(update.cluster, group: update.group) }
    }

    private func trim(_ vector: [String: Double]) -> [String: Double] {
        guard vector.count > maxTerms else { return vector }
        let kept = vector.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(maxTerms)
        return Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }

    static func norm(_ vector: [String: Double]) -> Double {
        vector.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
