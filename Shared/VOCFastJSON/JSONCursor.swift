import Foundation
import VOCSchema

/// Storage written through a pointer; it only grows, to the most a line has needed.
final class JSONOutput {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    init() {
        capacity = 4096
        base = .allocate(capacity: capacity)
    }

    /// Room for `count` bytes at the start; what was there is not kept.
    func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            base.deallocate()
            capacity = max(count, 2 * capacity)
            base = .allocate(capacity: capacity)
        }
        return base
    }

    deinit { base.deallocate() }
}

/// Writes JSON through a pointer into storage known to be large enough: the
/// single pass's output, byte for byte what ``JSONWriter`` writes for the same values.
struct JSONCursor {
    private let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(_ base: UnsafeMutablePointer<UInt8>) {
        self.base = base
    }

    @inline(__always)
    mutating func byte(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func literal(_ text: StaticString) {
        (base + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        count += text.utf8CodeUnitCount
    }

    /// A string of valid UTF-8, escaped as ``JSONWriter/string(utf8:)`` escapes it;
    /// `true` when nothing needed escaping.
    @discardableResult
    mutating func string(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        byte(UInt8(ascii: "\""))
        let verbatim = JSONWriter.escaped(utf8) { bytes($0) }
        byte(UInt8(ascii: "\""))
        return verbatim
    }

    mutating func integer(_ value: Int) {
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var scale: UInt = 1
        while magnitude / scale >= 10 {
            scale *= 10
            digits += 1
        }
        for _ in 0..<digits {
            byte(UInt8(48 + magnitude / scale))
            magnitude %= scale
            scale /= 10
        }
    }

    /// A time as ``Timestamp/format(_:)`` prints it, without the quotes; `false` (and
    /// nothing written) for a year that form cannot hold.
    mutating func date(_ date: Date) -> Bool {
        let out = base + count
        guard Timestamp.writeCommonForm(date, { out[$0] = $1 }) else { return false }
        count += 24
        return true
    }
}
