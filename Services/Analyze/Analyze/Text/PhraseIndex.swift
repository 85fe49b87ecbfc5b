/// Finds every phrase of a rule pack in a text in one pass: phrases are bucketed by
/// their first two characters, so each position of the text looks at a handful of
/// candidates instead of every phrase.
public struct PhraseIndex: Sendable {
    private var phrases: [[Unicode.Scalar]] = []
    private var ids: [[Unicode.Scalar]: Int] = [:]
    private var buckets: [UInt64: [Int]] = [:]

    public init() {}

    /// The id of `phrase` (already in match form), adding it when new.
    public mutating func add(_ phrase: [Unicode.Scalar]) -> Int? {
        guard !phrase.isEmpty, !(phrase.count == 1 && phrase[0] == " ") else { return nil }
        if let id = ids[phrase] { return id }
        let id = phrases.count
        phrases.append(phrase)
        ids[phrase] = id
        buckets[Self.key(phrase[0], phrase.count > 1 ? phrase[1] : nil), default: []].append(id)
        return id
    }

    public func phrase(_ id: Int) -> [Unicode.Scalar] { phrases[id] }

    /// Start offsets of each phrase found in `text`, by phrase id.
    public func search(_ text: [Unicode.Scalar]) -> [Int: [Int]] {
        var hits: [Int: [Int]] = [:]
        guard !text.isEmpty else { return hits }
        for position in text.indices {
            let first = text[position]
            if position + 1 < text.count, let candidates = buckets[Self.key(first, text[position + 1])] {
                for id in candidates where Self.matches(phrases[id], text, at: position) {
                    hits[id, default: []].append(position)
                }
            }
            if let singles = buckets[Self.key(first, nil)] {
                for id in singles { hits[id, default: []].append(position) }
            }
        }
        return hits
    }

    @inline(__always)
    private static func matches(_ phrase: [Unicode.Scalar], _ text: [Unicode.Scalar], at position: Int) -> Bool {
        guard position + phrase.count <= text.count else { return false }
        var index = 2
        while index < phrase.count {
            if phrase[index] != text[position + index] { return false }
            index += 1
        }
        return true
    }

    private static func key(_ a: Unicode.Scalar, _ b: Unicode.Scalar?) -> UInt64 {
        UInt64(a.value) << 32 | UInt64(b?.value ?? 0xFFFF_FFFF)
    }
}
