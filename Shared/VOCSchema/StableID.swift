/// Deterministic identifiers for events that derive from other events, so reprocessing
/// the same input yields the same id and idempotent consumers change nothing.
///
/// The id is a UUID-shaped rendering of a 128-bit FNV-1a hash over a namespace and the
/// parts (length-prefixed, so `("ab","c")` and `("a","bc")` differ). It is not a
/// security token; it only has to be stable and collision-free in practice.
public enum StableID {
    public static func make(_ namespace: String, _ parts: String...) -> String {
        make(namespace, parts: parts)
    }

    public static func make(_ namespace: String, parts: [String]) -> String {
        var high = FNV64(seed: 0xcbf2_9ce4_8422_2325)
        var low = FNV64(seed: 0x8422_2325_cbf2_9ce4)
        for piece in [namespace] + parts {
            let bytes = Array(piece.utf8)
            let length = withUnsafeBytes(of: UInt32(bytes.count).littleEndian, Array.init)
            high.add(length); high.add(bytes)
            low.add(bytes); low.add(length)
        }
        var raw = withUnsafeBytes(of: high.value.bigEndian, Array.init) + withUnsafeBytes(of: low.value.bigEndian, Array.init)
        raw[6] = (raw[6] & 0x0f) | 0x80  // version nibble 8: custom, per RFC 9562
        raw[8] = (raw[8] & 0x3f) | 0x80  // RFC 4122 variant
        let hex = raw.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
        }.joined()
        let characters = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
    }

    private struct FNV64 {
        var value: UInt64
        init(seed: UInt64) { value = seed }
        mutating func add(_ bytes: [UInt8]) {
            for byte in bytes {
                value ^= UInt64(byte)
                value &*= 0x0000_0100_0000_01b3
            }
        }
    }
}
