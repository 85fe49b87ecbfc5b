import Foundation

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
        var hasher = Hasher()
        hasher.add(namespace)
        for part in parts { hasher.add(part) }
        return hasher.id
    }

    /// `make(namespace, part, last)` for a caller that holds `last` as UTF-8 bytes.
    public static func make(_ namespace: String, _ part: String, utf8 last: UnsafeBufferPointer<UInt8>) -> String {
        var hasher = Hasher()
        hasher.add(namespace)
        hasher.add(part)
        hasher.add(UnsafeRawBufferPointer(last))
        return hasher.id
    }

    private struct Hasher {
        var high = FNV64(seed: 0xcbf2_9ce4_8422_2325)
        var low = FNV64(seed: 0x8422_2325_cbf2_9ce4)

        mutating func add(_ piece: String) {
            var piece = piece
            piece.withUTF8 { add(UnsafeRawBufferPointer($0)) }
        }

        mutating func add(_ piece: UnsafeRawBufferPointer) {
            let length = UInt32(piece.count).littleEndian
            withUnsafeBytes(of: length) { high.add($0) }
            high.add(piece)
            low.add(piece)
            withUnsafeBytes(of: length) { low.add($0) }
        }

        // Version nibble 8 (custom, RFC 9562) and the RFC 4122 variant.
        var id: String {
            UUIDText.render(high: (high.value & ~0xf000) | 0x8000, low: (low.value & ~(0xc << 60)) | (0x8 << 60))
        }
    }

    private struct FNV64 {
        var value: UInt64
        init(seed: UInt64) { value = seed }
        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            for byte in bytes {
                value ^= UInt64(byte)
                value &*= 0x0000_0100_0000_01b3
            }
        }
    }
}

/// Lowercase UUID text, written without Foundation's `UUID` and `lowercased()`, which
/// cost a visible share of each ingested interaction.
public enum UUIDText {
    /// A random (version 4) UUID.
    public static func random() -> String {
        let (high, low) = randomWords()
        return render(high: (high & ~0xf000) | 0x4000, low: (low & ~(0xc << 60)) | (0x8 << 60))
    }

    /// 128 random bits. The system generator is a system call per 64 bits (microseconds
    /// each in a virtual machine), so bits are read from the kernel 4 KiB at a time.
    static func randomWords() -> (UInt64, UInt64) {
        pool.next()
    }

    private static let pool = RandomPool()

    private final class RandomPool: @unchecked Sendable {
        // Guards every stored property below.
        private let lock = NSLock()
        private let source = FileHandle(forReadingAtPath: "/dev/urandom")
        private var words = [UInt64](repeating: 0, count: 512)
        private var position = 512

        func next() -> (UInt64, UInt64) {
            lock.lock()
            defer { lock.unlock() }
            if position == words.count { refill() }
            defer { position += 2 }
            return (words[position], words[position + 1])
        }

        private func refill() {
            let bytes = words.count * MemoryLayout<UInt64>.size
            if let data = source?.readData(ofLength: bytes), data.count == bytes {
                words.withUnsafeMutableBytes { _ = data.copyBytes(to: $0) }
            } else {
                var system = SystemRandomNumberGenerator()
                for index in words.indices { words[index] = system.next() }
            }
            position = 0
        }
    }

    /// The 128 bits `high ‖ low` (big-endian) as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, or
    /// as 32 bare hex digits without `dashes`.
    public static func render(high: UInt64, low: UInt64, dashes: Bool = true) -> String {
        String(unsafeUninitializedCapacity: dashes ? 36 : 32) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            for index in 0..<16 {
                if dashes, index == 4 || index == 6 || index == 8 || index == 10 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let byte = Int(truncatingIfNeeded: (index < 8 ? high : low) >> UInt64(56 - 8 * (index % 8))) & 0xff
                buffer[position] = digits.utf8Start[byte >> 4]
                buffer[position + 1] = digits.utf8Start[byte & 0xf]
                position += 2
            }
            return position
        }
    }
}

extension UInt64 {
    fileprivate func rotated(_ count: UInt64) -> UInt64 { (self << count) | (self >> (64 - count)) }
}
