/// Friso's words of recently seen clauses. Bounded: when full it starts over, which keeps
/// the frequent clauses (they come back at once) without the bookkeeping of an LRU.
struct ClauseCache: Sendable {
    let capacity: Int
    private var words: [UTF8Key: [String]] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(clause: UTF8Key) -> [String]? { words[clause] }

    mutating func insert(_ clause: UTF8Key, _ clauseWords: [String]) {
        guard capacity > 0 else { return }
        if words.count >= capacity { words.removeAll(keepingCapacity: true) }
        words[clause] = clauseWords
    }

    mutating func removeAll() {
        words.removeAll()
    }
}
