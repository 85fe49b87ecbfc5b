/// Finds every phrase of a rule pack in a text in one pass: phrases are bucketed by
/// their first two characters, so each position of the text looks at a handful of
/// candidates instead of every phrase.
public struct PhraseIndex: Sendable {
    /// Every phrase, one after another (see ``Entry``): comparing a candidate reads no
    /// array of its own.
    private var scalars: [Unicode.Scalar] = []
    private var entries: [Entry] = []

    /// Where a phrase is in `scalars`, with its third and fourth characters: the first two
    /// are known when it is a candidate, so a phrase of up to four characters is checked
    /// from this one place in memory.
    private struct Entry {
        var start: Int32
        var length: Int32
        var third: Unicode.Scalar
        var fourth: Unicode.Scalar
    }
    private var ids: [[Unicode.Scalar]: Int] = [:]
    private var buckets = PairTable()
    /// Some phrase is a single character (then every position needs a second lookup).
    private var hasSingles = false
    /// Bits by first character, by first pair and by single-character phrase (code points
    /// folded to 16 bits): most positions of a text start no phrase, and these tell so
    /// without hashing.
    private var firstCharacters = [UInt64](repeating: 0, count: 1024)
    private var firstPairs = [UInt64](repeating: 0, count: 1024)
    private var singleCharacters = [UInt64](repeating: 0, count: 1024)

    public init() {}

    /// The id of `phrase` (already in match form), adding it when new.
    public mutating func add(_ phrase: [Unicode.Scalar]) -> Int? {
        guard !phrase.isEmpty, !(phrase.count == 1 && phrase[0] == " ") else { return nil }
        if let id = ids[phrase] { return id }
        let id = entries.count
        entries.append(Entry(start: Int32(scalars.count), length: Int32(phrase.count),
                             third: phrase.count > 2 ? phrase[2] : " ", fourth: phrase.count > 3 ? phrase[3] : " "))
        scalars += phrase
        ids[phrase] = id
        buckets.append(id, to: Self.key(phrase[0], phrase.count > 1 ? phrase[1] : nil))
        if phrase.count == 1 { hasSingles = true }
        Self.set(&firstCharacters, Self.fold(phrase[0]))
        if phrase.count == 1 {
            Self.set(&singleCharacters, Self.fold(phrase[0]))
        } else {
            Self.set(&firstPairs, Self.fold(phrase[0], phrase[1]))
        }
        return id
    }

    /// The length of phrase `id`, in characters of the match form.
    public func length(_ id: Int) -> Int { Int(entries[id].length) }

    public var count: Int { entries.count }

    /// Where each phrase occurs in one text: one flat list of occurrences, chained per
    /// phrase, so a text with many phrases allocates a few arrays, not one per phrase.
    /// A class of constants, so reading it through its utterance retains one object, not
    /// five arrays, and needs no exclusivity checks.
    public final class Hits: Sendable {
        /// Phrase id → its index in `found`, or -1.
        private let slot: [Int32]
        /// Per phrase found: its first occurrence in `positions`.
        private let first: [Int32]
        /// Occurrences: a start offset and the next occurrence of the same phrase (-1: none).
        private let positions: [Int32]
        private let next: [Int32]
        /// The phrases found, in the order of their first occurrence.
        public let found: [Int]

        fileprivate init(_ list: HitList) {
            slot = list.slot
            first = list.first
            positions = list.positions
            next = list.next
            found = list.found
        }

        /// Start offsets of phrase `id`, in order.
        public subscript(id: Int) -> Positions {
            let index = slot[id]
            return Positions(hits: self, entry: index < 0 ? -1 : first[Int(index)])
        }

        public var isEmpty: Bool { positions.isEmpty }

        /// The start offsets of one phrase, read along its chain.
        public struct Positions: Sequence, IteratorProtocol {
            let hits: Hits
            var entry: Int32

            public mutating func next() -> Int? {
                guard entry >= 0 else { return nil }
                defer { entry = hits.next[Int(entry)] }
                return Int(hits.positions[Int(entry)])
            }
        }
    }

    /// ``Hits`` while ``search(_:)`` fills it.
    fileprivate struct HitList {
        var slot: [Int32]
        var first: [Int32] = []
        var last: [Int32] = []
        var positions: [Int32] = []
        var next: [Int32] = []
        var found: [Int] = []

        init(count: Int) {
            slot = Array(repeating: -1, count: count)
        }

        mutating func add(_ id: Int, _ position: Int) {
            let entry = Int32(positions.count)
            positions.append(Int32(truncatingIfNeeded: position))
            next.append(-1)
            let index = slot[id]
            if index < 0 {
                slot[id] = Int32(found.count)
                found.append(id)
                first.append(entry)
                last.append(entry)
            } else {
                next[Int(last[Int(index)])] = entry
                last[Int(index)] = entry
            }
        }
    }

    /// Start offsets of each phrase found in `text`.
    public func search(_ text: [Unicode.Scalar]) -> Hits {
        var hits = HitList(count: entries.count)
        guard !text.isEmpty else { return Hits(hits) }
        hits.positions.reserveCapacity(text.count / 2)
        hits.next.reserveCapacity(text.count / 2)
        for position in text.indices {
            let first = text[position]
            if !Self.isSet(firstCharacters, Self.fold(first)) { continue }
            if position + 1 < text.count, Self.isSet(firstPairs, Self.fold(first, text[position + 1])) {
                var id = buckets.first(Self.key(first, text[position + 1]))
                while id >= 0 {
                    if matches(Int(id), text, at: position) { hits.add(Int(id), position) }
                    id = buckets.next[Int(id)]
                }
            }
            if hasSingles, Self.isSet(singleCharacters, Self.fold(first)) {
                var id = buckets.first(Self.key(first, nil))
                while id >= 0 {
                    hits.add(Int(id), position)
                    id = buckets.next[Int(id)]
                }
            }
        }
        return Hits(hits)
    }

    /// Phrase `id` at `position`, its first two characters already known to match.
    @inline(__always)
    private func matches(_ id: Int, _ text: [Unicode.Scalar], at position: Int) -> Bool {
        let entry = entries[id]
        let length = Int(entry.length)
        guard position + length <= text.count else { return false }
        if length > 2, text[position + 2] != entry.third { return false }
        if length > 3, text[position + 3] != entry.fourth { return false }
        var index = 4
        while index < length {
            if scalars[Int(entry.start) + index] != text[position + index] { return false }
            index += 1
        }
        return true
    }

    private static func fold(_ a: Unicode.Scalar) -> Int { Int(a.value & 0xFFFF) }
    private static func fold(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Int { Int((a.value &* 31 &+ b.value) & 0xFFFF) }
    private static func set(_ bits: inout [UInt64], _ bit: Int) { bits[bit >> 6] |= 1 << UInt64(bit & 63) }
    @inline(__always)
    private static func isSet(_ bits: [UInt64], _ bit: Int) -> Bool { bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

    private static func key(_ a: Unicode.Scalar, _ b: Unicode.Scalar?) -> UInt64 {
        UInt64(a.value) << 32 | UInt64(b?.value ?? 0xFFFF_FFFF)
    }
}

/// Phrase ids by the key of their first two characters: open addressing with a
/// multiplicative hash, since a text looks up nearly every position. The ids of a key are
/// chained through `next` in the order they were added, so reading them copies no array.
private struct PairTable: Sendable {
    /// `.max` marks a free slot (a real key is below 2^53).
    private var keys = [UInt64](repeating: .max, count: 1024)
    private var heads = [Int32](repeating: -1, count: 1024)
    private var tails = [Int32](repeating: -1, count: 1024)
    /// Phrase id → the next id with the same key, -1 at the end.
    private(set) var next: [Int32] = []
    private var count = 0

    /// The first id with `key`, -1 for none.
    func first(_ key: UInt64) -> Int32 {
        let slot = slot(key)
        return keys[slot] == key ? heads[slot] : -1
    }

    mutating func append(_ id: Int, to key: UInt64) {
        if (count + 1) * 2 > keys.count { grow() }
        while next.count <= id { next.append(-1) }
        let slot = slot(key)
        if keys[slot] != key {
            keys[slot] = key
            heads[slot] = Int32(id)
            count += 1
        } else {
            next[Int(tails[slot])] = Int32(id)
        }
        tails[slot] = Int32(id)
    }

    private func slot(_ key: UInt64) -> Int {
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
        while keys[slot] != .max, keys[slot] != key { slot = (slot + 1) & mask }
        return slot
    }

    private mutating func grow() {
        let old = keys.indices.filter { keys[$0] != .max }.map { (keys[$0], heads[$0], tails[$0]) }
        keys = [UInt64](repeating: .max, count: keys.count * 2)
        heads = [Int32](repeating: -1, count: keys.count)
        tails = [Int32](repeating: -1, count: keys.count)
        for (key, head, tail) in old {
            let slot = slot(key)
            keys[slot] = key
            heads[slot] = head
            tails[slot] = tail
        }
    }
}
