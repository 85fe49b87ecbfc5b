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

    /// A centroid: weights by term number, sorted by number.
    typealias Centroid = [(term: Int32, weight: Double)]

    /// Every term the book has seen, numbered, so centroids and posting lists are arrays.
    private struct Terms {
        private var numbers: [UTF8Key: Int32] = [:]
        private(set) var strings: [String] = []
        private(set) var keys: [UTF8Key] = []

        mutating func number(_ key: UTF8Key) -> Int32 {
            if let number = numbers[key] { return number }
            let number = Int32(strings.count)
            numbers[key] = number
            strings.append(key.string)
            keys.append(key)
            return number
        }
    }

    /// One group's clusters: id, size, centroid and its norm, and per term number the
    /// clusters holding it with its weight there, so a complaint's dot products come from
    /// its own terms' lists, not from every cluster. ``Cluster`` values (string keys) are
    /// made only for a snapshot or an update the stage records.
    private struct Group {
        var ids: [String] = []
        var sizes: [Int] = []
        var centroids: [Centroid] = []
        var norms: [Double] = []
        var postings: [[(cluster: Int, weight: Double)]] = []
    }

    private struct State {
        var terms = Terms()
        var groups: [String: Group] = [:]
        /// Cluster id → its position in its group.
        var positions: [String: Int] = [:]

        /// Keeps `terms`, so numbers in an update proposed before a restore still hold.
        init(_ snapshot: Snapshot, terms: Terms = Terms()) {
            self.terms = terms
            for (group, clusters) in snapshot.groups {
                for cluster in clusters {
                    var centroid: [Int32: Double] = [:]
                    for (term, weight) in cluster.centroid { centroid[self.terms.number(UTF8Key(term))] = weight }
                    put(id: cluster.id, size: cluster.size, centroid: centroid.map { ($0.key, $0.value) }.sorted { $0.term < $1.term },
                        group: group)
                }
            }
        }

        var snapshot: Snapshot {
            Snapshot(groups: groups.mapValues { group in
                group.ids.indices.map { Cluster(id: group.ids[$0], centroid: strings(group.centroids[$0]), size: group.sizes[$0]) }
            })
        }

        func strings(_ centroid: Centroid) -> [String: Double] {
            Dictionary(centroid.map { (terms.strings[Int($0.term)], $0.weight) }, uniquingKeysWith: max)
        }

        mutating func put(id: String, size: Int, centroid: Centroid, group name: String) {
            let norm = ClusterBook.norm(centroid.map(\.weight))
            // Taken out of the dictionary so it is changed in place, not copied.
            var group = groups.removeValue(forKey: name) ?? Group()
            defer { groups[name] = group }
            while group.postings.count < terms.strings.count { group.postings.append([]) }
            if let existing = positions[id] {
                // Both centroids are sorted by term: walk them together; kept terms change weight in place.
                let old = group.centroids[existing]
                var i = 0, j = 0
                while i < old.count || j < centroid.count {
                    if j == centroid.count || (i < old.count && old[i].term < centroid[j].term) {
                        group.postings[Int(old[i].term)].removeAll { $0.cluster == existing }
                        i += 1
                    } else if i == old.count || centroid[j].term < old[i].term {
                        group.postings[Int(centroid[j].term)].append((existing, centroid[j].weight))
                        j += 1
                    } else {
                        let term = Int(old[i].term)
                        if let index = group.postings[term].firstIndex(where: { $0.cluster == existing }) {
                            group.postings[term][index].weight = centroid[j].weight
                        }
                        i += 1
                        j += 1
                    }
                }
                group.sizes[existing] = size
                group.centroids[existing] = centroid
                group.norms[existing] = norm
            } else {
                let position = group.ids.count
                positions[id] = position
                group.ids.append(id)
                group.sizes.append(size)
                group.centroids.append(centroid)
                group.norms.append(norm)
                for (term, weight) in centroid { group.postings[Int(term)].append((position, weight)) }
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
        state.withLock { $0 = State(snapshot, terms: $0.terms) }
    }

    /// Where a complaint goes: the cluster as it is once the complaint joined it.
    public struct Update: Sendable, Equatable {
        public var group: String
        public var id: String
        public var size: Int
        /// The cluster's label (its top three terms).
        public var label: String
        var terms: [String]
        var centroid: [Double]
        var numbers: [Int32]

        /// The cluster with its centroid keyed by strings, as the stage records it.
        public var cluster: Cluster {
            Cluster(id: id, centroid: Dictionary(zip(terms, centroid).map { ($0, $1) }, uniquingKeysWith: max), size: size)
        }

        public static func == (lhs: Update, rhs: Update) -> Bool {
            lhs.group == rhs.group && lhs.id == rhs.id && lhs.size == rhs.size && lhs.label == rhs.label
                && lhs.terms == rhs.terms && lhs.centroid == rhs.centroid
        }
    }

    /// Chooses the cluster of a complaint without changing the book; ``apply(_:)`` records it.
    /// A new cluster's id is `businessLine-month-` and a hash of `seed` (the first
    /// member's id), so replicas and restarts never hand out the same id twice.
    public func propose(businessLine: String, month: String, vector: [String: Double], seed: String) -> Update? {
        propose(businessLine: businessLine, month: month, terms: vector.map { (UTF8Key($0.key), $0.value) }, seed: seed)
    }

    /// The same with the complaint's distinct terms and weights. Numbers new terms (that
    /// changes no cluster).
    func propose(businessLine: String, month: String, terms vector: [(term: UTF8Key, weight: Double)], seed: String) -> Update? {
        let norm = Self.norm(vector.map(\.weight))
        guard norm > 0 else { return nil }
        let name = "\(businessLine)|\(month)"
        return state.withLock { state in
            let numbers = vector.map { state.terms.number($0.term) }
            var joined: (id: String, size: Int, centroid: Centroid)?
            if let group = state.groups[name] {
                // Each cluster's dot product sums over the complaint's terms in their order.
                var dots = [Double](repeating: 0, count: group.ids.count)
                var shares = [Bool](repeating: false, count: group.ids.count)
                for (index, number) in numbers.enumerated() where Int(number) < group.postings.count {
                    let weight = vector[index].weight
                    for posting in group.postings[Int(number)] {
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
                if let best, best.similarity >= threshold {
                    joined = (group.ids[best.index], group.sizes[best.index], group.centroids[best.index])
                }
            }
            let added = zip(numbers, vector).map { (term: $0, weight: $1.weight / norm) }.sorted { $0.term < $1.term }
            if let (id, size, centroid) = joined {
                let before = Double(size)
                // Both sorted by term: the running mean in one walk.
                var merged: Centroid = []
                merged.reserveCapacity(centroid.count + added.count)
                var i = 0, j = 0
                while i < centroid.count || j < added.count {
                    if j == added.count || (i < centroid.count && centroid[i].term < added[j].term) {
                        merged.append((centroid[i].term, centroid[i].weight * before / (before + 1)))
                        i += 1
                    } else if i == centroid.count || added[j].term < centroid[i].term {
                        merged.append((added[j].term, (0 + added[j].weight) / (before + 1)))
                        j += 1
                    } else {
                        merged.append((added[j].term, (centroid[i].weight * before + added[j].weight) / (before + 1)))
                        i += 1
                        j += 1
                    }
                }
                return update(name, id: id, size: size + 1, merged, terms: state.terms)
            }
            let suffix = String(StableID.make("cluster", seed).prefix(8))
            return update(name, id: "\(businessLine)-\(month)-\(suffix)", size: 1, added, terms: state.terms)
        }
    }

    private func update(_ group: String, id: String, size: Int, _ centroid: Centroid, terms: Terms) -> Update {
        func heavier(_ a: (term: Int32, weight: Double), _ b: (term: Int32, weight: Double)) -> Bool {
            a.weight != b.weight ? a.weight > b.weight : terms.keys[Int(a.term)] < terms.keys[Int(b.term)]
        }
        var kept = centroid
        if kept.count > maxTerms {
            // Drops the lightest few, which keeps the rest in term order without sorting it.
            var lightest: [Int] = []
            for index in kept.indices {
                var position = lightest.count
                while position > 0, heavier(kept[lightest[position - 1]], kept[index]) { position -= 1 }
                if position < kept.count - maxTerms { lightest.insert(index, at: position) }
                if lightest.count > kept.count - maxTerms { lightest.removeLast() }
            }
            kept = kept.indices.filter { !lightest.contains($0) }.map { kept[$0] }
        }
        var top: Centroid = []
        for entry in kept {
            var position = top.count
            while position > 0, heavier(entry, top[position - 1]) { position -= 1 }
            if position < 3 { top.insert(entry, at: position) }
            if top.count > 3 { top.removeLast() }
        }
        return Update(group: group, id: id, size: size, label: top.map { terms.strings[Int($0.term)] }.joined(separator: " / "),
                      terms: kept.map { terms.strings[Int($0.term)] }, centroid: kept.map(\.weight), numbers: kept.map(\.term))
    }

    /// Records a proposed assignment (the cluster replaces the one with its id, or is added).
    public func apply(_ update: Update) {
        state.withLock { state in
            state.put(id: update.id, size: update.size, centroid: zip(update.numbers, update.centroid).map { ($0, $1) }, group: update.group)
        }
    }

    static func norm(_ weights: some Sequence<Double>) -> Double {
        weights.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
