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

    /// One group's clusters: id, size, centroid keyed by bytes (see ``UTF8Key``) and its
    /// norm, and per term the clusters holding it with its weight there, so a complaint's
    /// dot products come from its own terms' lists, not from every cluster. ``Cluster``
    /// values (string keys) are made only for a snapshot or an update the stage records.
    private struct Group {
        var ids: [String] = []
        var sizes: [Int] = []
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
                for cluster in clusters {
                    put(id: cluster.id, size: cluster.size,
                        centroid: Dictionary(cluster.centroid.map { (UTF8Key($0.key), $0.value) }, uniquingKeysWith: max), group: group)
                }
            }
        }

        var snapshot: Snapshot {
            Snapshot(groups: groups.mapValues { group in
                group.ids.indices.map { Cluster(id: group.ids[$0], centroid: ClusterBook.strings(group.centroids[$0]), size: group.sizes[$0]) }
            })
        }

        mutating func put(id: String, size: Int, centroid: [UTF8Key: Double], group name: String) {
            let norm = ClusterBook.norm(centroid.values)
            // Taken out of the dictionary so it is changed in place, not copied.
            var group = groups.removeValue(forKey: name) ?? Group()
            defer { groups[name] = group }
            let position: Int
            if let existing = positions[id] {
                position = existing
                // Terms kept change their weight in place; only dropped and new terms touch the lists' shape.
                for term in group.centroids[existing].keys {
                    let weight = centroid[term]
                    group.postings[term]?.updateOrRemove(cluster: existing, weight: weight)
                }
                for (term, weight) in centroid where group.centroids[existing][term] == nil {
                    group.postings[term, default: []].append((position, weight))
                }
                group.sizes[existing] = size
                group.centroids[existing] = centroid
                group.norms[existing] = norm
            } else {
                position = group.ids.count
                positions[id] = position
                group.ids.append(id)
                group.sizes.append(size)
                group.centroids.append(centroid)
                group.norms.append(norm)
                for (term, weight) in centroid {
                    group.postings[term, default: []].append((position, weight))
                }
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
        public var id: String
        public var size: Int
        /// The cluster's label (its top three terms).
        public var label: String
        var keyed: [UTF8Key: Double]

        /// The cluster with its centroid keyed by strings, as the stage records it.
        public var cluster: Cluster { Cluster(id: id, centroid: ClusterBook.strings(keyed), size: size) }
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
        let joined: (id: String, size: Int, centroid: [UTF8Key: Double])? = state.withLock { state in
            guard let group = state.groups[name] else { return nil }
            // Each cluster's dot product sums over the complaint's terms in their order.
            var dots = [Double](repeating: 0, count: group.ids.count)
            var shares = [Bool](repeating: false, count: group.ids.count)
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
            return (group.ids[best.index], group.sizes[best.index], group.centroids[best.index])
        }
        if let (id, size, centroid) = joined {
            let before = Double(size)
            var merged = centroid
            for index in merged.indices { merged.values[index] *= before }
            for (term, weight) in vector { merged[term, default: 0] += weight / norm }
            for index in merged.indices { merged.values[index] /= before + 1 }
            return update(name, id: id, size: size + 1, merged)
        }
        let suffix = String(StableID.make("cluster", seed).prefix(8))
        return update(name, id: "\(businessLine)-\(month)-\(suffix)", size: 1,
                      Dictionary(vector.map { ($0.term, $0.weight / norm) }, uniquingKeysWith: max))
    }

    private func update(_ group: String, id: String, size: Int, _ centroid: [UTF8Key: Double]) -> Update {
        func heavier(_ a: (key: UTF8Key, value: Double), _ b: (key: UTF8Key, value: Double)) -> Bool {
            a.value != b.value ? a.value > b.value : a.key < b.key
        }
        var keyed = centroid
        if keyed.count > maxTerms {
            keyed = Dictionary(uniqueKeysWithValues: keyed.sorted(by: heavier).prefix(maxTerms).map { ($0.key, $0.value) })
        }
        var top: [(key: UTF8Key, value: Double)] = []
        for entry in keyed {
            var position = top.count
            while position > 0, heavier(entry, top[position - 1]) { position -= 1 }
            if position < 3 { top.insert(entry, at: position) }
            if top.count > 3 { top.removeLast() }
        }
        return Update(group: group, id: id, size: size, label: top.map(\.key.string).joined(separator: " / "), keyed: keyed)
    }

    /// Records a proposed assignment (the cluster replaces the one with its id, or is added).
    public func apply(_ update: Update) {
        state.withLock { $0.put(id: update.id, size: update.size, centroid: update.keyed, group: update.group) }
    }

    static func strings(_ centroid: [UTF8Key: Double]) -> [String: Double] {
        Dictionary(centroid.map { ($0.key.string, $0.value) }, uniquingKeysWith: max)
    }

    static func norm(_ weights: some Sequence<Double>) -> Double {
        weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}

extension [(cluster: Int, weight: Double)] {
    /// Sets the weight of `cluster`'s posting, or removes it when the weight is gone.
    mutating func updateOrRemove(cluster: Int, weight: Double?) {
        guard let index = firstIndex(where: { $0.cluster == cluster }) else { return }
        if let weight { self[index].weight = weight } else { remove(at: index) }
    }
}
