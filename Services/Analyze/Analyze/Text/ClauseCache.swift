/// jieba's words of recently seen clauses (as offsets within the clause), found by the clause's UTF-8 bytes (no string
/// is made for a clause seen before). Bounded: when full it starts over, which keeps the
/// frequent clauses (they come back at once) without the bookkeeping of an LRU.
struct ClauseCache: Sendable {
    let capacity: Int
    /// Open addressing over FNV-1a of the bytes; -1 is a free slot.
    private var slots: [Int32]
    private var hashes: [UInt64] = []
    private var clauses: [[UInt8]] = []
    private var words: [[ChineseSegmenter.WordRange]] = []

    init(capacity: Int) {
        self.capacity = capacity
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = [Int32](repeating: -1, count: size)
    }

    func words(of clause: UnsafeBufferPointer<UInt8>) -> [ChineseSegmenter.WordRange]? {
        lookup(clause).found.map { words[$0] }
    }

    mutating func insert(_ clause: UnsafeBufferPointer<UInt8>, _ clauseWords: [ChineseSegmenter.WordRange]) {
        guard capacity > 0 else { return }
        if clauses.count >= capacity { removeAll() }
        let (hash, slot, found) = lookup(clause)
        if let found {
            words[found] = clauseWords
            return
        }
        slots[slot] = Int32(clauses.count)
        hashes.append(hash)
        clauses.append(Array(clause))
        words.append(clauseWords)
    }

    mutating func removeAll() {
        for index in slots.indices { slots[index] = -1 }
        hashes.removeAll(keepingCapacity: true)
        clauses.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
    }

    private func lookup(_ clause: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, slot: Int, found: Int?) {
        let hash = FNV1a.hash(clause)
        let mask = slots.count - 1
        var slot = FNV1a.slot(hash, mask: mask)
        while slots[slot] >= 0 {
            let index = Int(slots[slot])
            if hashes[index] == hash, clauses[index].elementsEqual(clause) { return (hash, slot, index) }
            slot = (slot + 1) & mask
        }
        return (hash, slot, nil)
    }
}
