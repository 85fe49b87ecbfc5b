import Foundation
import VOCSchema

/// Writes JSON bytes directly, for what is written per interaction: ingest's events and
/// batch answers, analyze's insight lines.
///
/// Foundation's encoder walks `Codable` through existentials and dictionaries and cost
/// most of ingest's per-event CPU. The output is the pipeline's dialect: strings escaped
/// exactly as ``JSONCoding``'s encoder does (slashes unescaped), times through
/// ``Timestamp/format(_:)``, and the caller writes keys in sorted order.
public struct JSONWriter {
    public private(set) var bytes: [UInt8]
    private var needsComma = false

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Starts a member; the value written next belongs to it.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Starts a member whose name is data (a metadata key). Disfavoured, so a literal name
    /// takes the `StaticString` form above and is copied without an escape scan.
    @_disfavoredOverload
    public mutating func key(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Starts a member whose name is data, given as valid UTF-8 bytes.
    public mutating func key(utf8 name: UnsafeBufferPointer<UInt8>) {
        string(utf8: name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { string(utf8: $0) }
    }

    /// A string given as valid UTF-8 bytes, escaped as ``string(_:)`` escapes it.
    public mutating func string(utf8: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        Self.escaped(utf8) { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Valid UTF-8 as the inside of a JSON string, escaped as JSONEncoder escapes (quote,
    /// backslash, control characters; nothing else), handed to `write` piece by piece: runs
    /// that need nothing whole, each escape as its own bytes. `true` when nothing needed escaping.
    @inline(__always) @discardableResult
    static func escaped(_ utf8: UnsafeBufferPointer<UInt8>, _ write: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        var verbatim = true
        var runStart = 0
        var index = 0
        while index < utf8.count {
            // Eight bytes at a time while none needs escaping: most of a value is text.
            if index + 8 <= utf8.count,
               !needsEscape(UnsafeRawPointer(utf8.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                write(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                escape(byte, write)
                verbatim = false
                runStart = index + 1
            }
            index += 1
        }
        write(UnsafeBufferPointer(rebasing: utf8[runStart...]))
        return verbatim
    }

    /// A string, or `null` when there is none.
    public mutating func stringOrNull(_ value: String?) {
        if let value { string(value) } else { literal("null") }
    }

    public mutating func bool(_ value: Bool) {
        literal(value ? "true" : "false")
    }

    public mutating func integer(_ value: some BinaryInteger) {
        separate()
        digits(Int(value))
        needsComma = true
    }

    /// As JSONEncoder writes a `Double`: integral values without a fraction, the rest in
    /// Swift's shortest form. Scores rounded to thousandths, the common case, are written
    /// without a `String`.
    public mutating func number(_ value: Double) {
        separate()
        defer { needsComma = true }
        if value == value.rounded(), abs(value) < 1e15 {
            digits(Int(value))
            return
        }
        // When the value is exactly the double nearest k/1000, those digits are also
        // Swift's shortest form.
        let thousandths = (value * 1000).rounded()
        guard abs(value) < 1e12, thousandths / 1000 == value else {
            bytes += String(value).utf8
            return
        }
        let k = Int(thousandths)
        if k < 0 { bytes.append(UInt8(ascii: "-")) }
        digits(Int(k.magnitude / 1000))
        var fraction = Int(k.magnitude % 1000)
        var width = 3
        while fraction != 0, fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        bytes.append(UInt8(ascii: "."))
        for position in stride(from: width - 1, through: 0, by: -1) {
            var digit = fraction
            for _ in 0..<position { digit /= 10 }
            bytes.append(UInt8(48 + digit % 10))
        }
    }

    /// An array of `items`, each written by `each`. Inlinable, so it is specialised where
    /// it is called instead of running generic code per element.
    @inlinable
    public mutating func array<T>(_ items: [T], _ each: (inout JSONWriter, T) -> Void) {
        beginArray()
        for item in items { each(&self, item) }
        endArray()
    }

    public mutating func date(_ value: Date) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        Timestamp.format(value, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Bytes already in JSON form (a value written before and kept), as the next value.
    public mutating func raw(_ json: UnsafeBufferPointer<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// Empties the writer for the next document, keeping its storage.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    /// Optional members are left out when nil, as the synthesized `Codable` does.
    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: (some BinaryInteger)?) {
        guard let value else { return }
        key(name)
        integer(value)
    }

    /// The order of a dictionary's keys under `.sortedKeys`.
    public static func keyOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func literal(_ text: StaticString) {
        separate()
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        needsComma = true
    }

    /// Decimal digits without going through a `String`.
    private mutating func digits(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var reversed: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &reversed) { buffer in
            var count = 0
            repeat {
                buffer[count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            while count > 0 {
                count -= 1
                bytes.append(buffer[count])
            }
        }
    }

    /// Some byte of `word` is below 0x20, a quote or a backslash (the "has a zero byte"
    /// and "has a byte less than" bit tricks).
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ x: UInt64) -> Bool { (x &- ones) & ~x & highs != 0 }
        let below = (word &- ones &* 0x20) & ~word & highs != 0
        return below || hasZero(word ^ (ones &* 0x22)) || hasZero(word ^ (ones &* 0x5C))
    }

    private static func escape(_ byte: UInt8, _ write: (UnsafeBufferPointer<UInt8>) -> Void) {
        let hex: StaticString = "0123456789abcdef"
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): short = byte
        case 0x08: short = UInt8(ascii: "b")
        case 0x0C: short = UInt8(ascii: "f")
        case 0x0A: short = UInt8(ascii: "n")
        case 0x0D: short = UInt8(ascii: "r")
        case 0x09: short = UInt8(ascii: "t")
        default:
            let sequence = [UInt8(ascii: "\\"), UInt8(ascii: "u"), 48, 48, hex.utf8Start[Int(byte >> 4)], hex.utf8Start[Int(byte & 0x0F)]]
            sequence.withUnsafeBufferPointer(write)
            return
        }
        [UInt8(ascii: "\\"), short].withUnsafeBufferPointer(write)
    }
}

/// A value that writes its own JSON, byte for byte what ``JSONCoding``'s encoder would
/// write for it (the tests hold the two to that).
public protocol JSONWritable {
    func write(to writer: inout JSONWriter)
}

extension JSONWritable {
    public var jsonBytes: [UInt8] {
        var writer = JSONWriter()
        write(to: &writer)
        return writer.bytes
    }
}
