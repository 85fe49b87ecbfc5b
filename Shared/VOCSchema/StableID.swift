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
        // Written byte by byte: this runs once per event, and Character arrays cost more than the hash.
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in raw.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
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
