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

    /// One group's clusters, with each centroid keyed by bytes (see ``UTF8Key``), its
    /// norm, and per term the clusters holding it with its weight there, so a complaint's
    /// dot products come from its own terms' lists, not from every cluster.
    private struct Group {
        var clusters: [Cluster] = []
        var centroids: [[UTF8Key: Double]] = []
        var norms: [Double] = []
        var postings: [UTF8Key: [(cluster: Int, weight: Double)]] = [:]
    }

    private struct State {
        var groups: [String: Group] = [:]
        /// Cluster id → its position in its group.
        var positions: [String: Int] = [:]

        init(_ snapshot: Snapshot) {
            for (group, clusters) in snapshot.groups {
                for cluster in clusters { put(cluster, keyed: nil, group: group) }
            }
        }

        var snapshot: Snapshot { Snapshot(groups: groups.mapValues(\.clusters)) }

        mutating func put(_ cluster: Cluster, keyed: [UTF8Key: Double]?, group name: String) {
            let centroid = keyed ?? Dictionary(cluster.centroid.map { (UTF8Key($0.key), $0.value) }, uniquingKeysWith: max)
            let norm = ClusterBook.norm(centroid.values)
            // Taken out of the dictionary so it is changed in place, not copied.
            var group = groups.removeValue(forKey: name) ?? Group()
            defer { groups[name] = group }
            let position: Int
            if let existing = positions[cluster.id] {
                position = existing
                for term in group.centroids[existing].keys {
                    group.postings[term]?.removeAll { $0.cluster == existing }
                }
                group.clusters[existing] = cluster
                group.centroids[existing] = centroid
                group.norms[existing] = norm
            } else {
                position = group.clusters.count
                positions[cluster.id] = position
                group.clusters.append(cluster)
                group.centroids.append(centroid)
                group.norms.append(norm)
            }
            for (term, weight) in centroid {
                group.postings[term, default: []].append((position, weight))
            }
        }
    }

    public init(threshold: Double = 0.3, maxTerms: Int = 30, _ snapshot: Snapshot = Snapshot()) {
        self.threshold = threshold
        self.maxTerms = maxTerms
        state = Mutex(State(snapshot))
    }

    public var snapshot: Snapshot { state.withLock { $0.snapshot } }

    /// Replaces every cluster (with what PostgreSQL kept).
    public func restore(_ snapshot: Snapshot) {
        let fresh = State(snapshot)
        state.withLock { $0 = fresh }
    }

    /// Where a complaint goes: the cluster as it is once the complaint joined it.
    public struct Update: Sendable, Equatable {
        public var group: String
        public var cluster: Cluster
        /// The cluster's label (its top three terms).
        public var label: String
        /// The centroid keyed by bytes, so applying the update hashes no string again.
        var keyed: [UTF8Key: Double]
    }

    /// Chooses the cluster of a complaint without changing the book; ``apply(_:)`` records it.
    /// A new cluster's id is `businessLine-month-` and a hash of `seed` (the first
    /// member's id), so replicas and restarts never hand out the same id twice.
    public func propose(businessLine: String, month: String, vector: [String: Double], seed: String) -> Update? {
        propose(businessLine: businessLine, month: month, terms: vector.map { (UTF8Key($0.key), $0.value) }, seed: seed)
    }

    /// The same with the complaint's distinct terms and weights.
    func propose(businessLine: String, month: String, terms vector: [(term: UTF8Key, weight: Double)], seed: String) -> Update? {
        let norm = Self.norm(vector.map(\.weight))
        guard norm > 0 else { return nil }
        let name = "\(businessLine)|\(month)"
        let joined: (cluster: Cluster, centroid: [UTF8Key: Double])? = state.withLock { state in
            guard let group = state.groups[name] else { return nil }
            // Each cluster's dot product sums over the complaint's terms in their order.
            var dots = [Double](repeating: 0, count: group.clusters.count)
            var shares = [Bool](repeating: false, count: group.clusters.count)
            for (term, weight) in vector {
                for posting in group.postings[term] ?? [] {
                    dots[posting.cluster] += weight * posting.weight
                    shares[posting.cluster] = true
                }
            }
            var best: (index: Int, similarity: Double)?
            for index in dots.indices where shares[index] {
                let centroidNorm = group.norms[index]
                guard centroidNorm > 0 else { continue }
                let similarity = dots[index] / (norm * centroidNorm)
                if similarity > (best?.similarity ?? 0) { best = (index, similarity) }
            }
            guard let best, best.similarity >= threshold else { return nil }
            return (group.clusters[best.index], group.centroids[best.index])
        }
        if let (cluster, centroid) = joined {
            let size = Double(cluster.size)
            var merged = centroid.mapValues { $0 * size }
            for (term, weight) in vector { merged[term, default: 0] += weight / norm }
            return update(name, id: cluster.id, size: cluster.size + 1, merged.mapValues { $0 / (size + 1) })
        }
        let suffix = String(StableID.make("cluster", seed).prefix(8))
        return update(name, id: "\(businessLine)-\(month)-\(suffix)", size: 1,
                      Dictionary(vector.map { ($0.term, $0.weight / norm) }, uniquingKeysWith: max))
    }

    private func update(_ group: String, id: String, size: Int, _ centroid: [UTF8Key: Double]) -> Update {
        let ranked = centroid.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let kept = ranked.prefix(maxTerms)
        let keyed = kept.count == centroid.count ? centroid : Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        let cluster = Cluster(id: id, centroid: Dictionary(kept.map { ($0.key.string, $0.value) }, uniquingKeysWith: max), size: size)
        return Update(group: group, cluster: cluster, label: kept.prefix(3).map(\.key.string).joined(separator: " / "), keyed: keyed)
    }

    /// Records a proposed assignment (the cluster replaces the one with its id, or is added).
    public func apply(_ update: Update) {
        state.withLock { $0.put(update.cluster, keyed: update.keyed, group: update.group) }
    }

    static func norm(_ weights: some Sequence<Double>) -> Double {
        weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
