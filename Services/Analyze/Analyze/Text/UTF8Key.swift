import Foundation

/// A string hashed and compared by its UTF-8 bytes, for the hot dictionaries of analyze.
///
/// Swift hashes and compares a non-ASCII `String` through its normalised form, which made
/// hashing Chinese words a large share of analyze. Words here come from jieba, the rule
/// file and the lexicons, all NFC in practice, so byte equality is the equality we need.
struct UTF8Key: Hashable, Comparable, Sendable {
    let string: String
    /// FNV-1a of the bytes, worked out once: dictionaries hash it, and unequal keys differ here.
    let bytesHash: UInt64

    init(_ string: String) {
        self.string = string
        var copy = string
        bytesHash = copy.withUTF8(FNV1a.hash)
    }

    static func == (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        guard lhs.bytesHash == rhs.bytesHash else { return false }
        var a = lhs.string, b = rhs.string
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }

    /// Byte order, which for UTF-8 is code point order: what `String`'s `<` gives for NFC text.
    static func < (lhs: UTF8Key, rhs: UTF8Key) -> Bool {
        precedes(lhs.string, rhs.string)
    }

    /// `a` before `b` in byte order, without making keys.
    static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(bytesHash)
    }
}

/// FNV-1a over bytes, for the open-addressing tables of analyze (``TermTable``,
/// ``ClauseCache``): words and clauses are short, and this is cheaper than `Hasher`.
enum FNV1a {
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// The first slot to probe in a table of `mask + 1` slots (a power of two).
    static func slot(_ hash: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
    }
}
