import VOCSchema

/// A forward-only reader of well-formed JSON for the few shapes ingest sees per
/// interaction.
///
/// It answers `nil` to anything it is unsure of (bad syntax, invalid UTF-8, a lone
/// surrogate, a number that is not a plain integer). Callers then hand the same bytes
/// to Foundation's decoder, so the fast path never changes what is accepted or how an
/// error is worded; it only skips Foundation's cost for the common case.
struct JSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    /// Consumes `byte` (after whitespace) when it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Consumes a `null` literal when it is next.
    mutating func takeNull() -> Bool {
        skipSpace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    /// A member name without escapes, as raw bytes to compare against known keys.
    mutating func key() -> UnsafeBufferPointer<UInt8>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let end = index
                index += 1
                guard take(UInt8(ascii: ":")) else { return nil }
                return UnsafeBufferPointer(rebasing: bytes[start..<end])
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// A string value, escapes decoded; `nil` for anything not a valid JSON string.
    mutating func string() -> String? {
        guard let raw = rawString() else { return nil }
        let content = UnsafeBufferPointer(rebasing: bytes[raw.content])
        guard raw.escaped else { return String(validating: content, as: UTF8.self) }
        var out: [UInt8] = []
        guard Self.unescape(content, into: &out) else { return nil }
        return String(validating: out, as: UTF8.self)
    }

    /// Where a string value's content lies, between its quotes, and whether it holds
    /// escapes; `nil` when no closing quote follows or a control character comes first.
    /// Neither escapes nor UTF-8 are checked yet: ``unescape(_:into:)`` and
    /// ``UTF8Check`` do that for the caller.
    mutating func rawString() -> (content: Range<Int>, escaped: Bool)? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var escaped = false
        while index < bytes.count {
            // Eight bytes at a time while none is a quote, a backslash or a control.
            if index + 8 <= bytes.count,
               !JSONWriter.needsEscape(UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)) {
                index += 8
                continue
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start..<(index - 1), escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1
            } else if byte < 0x20 {
                return nil
            }
            index += 1
        }
        return nil
    }

    /// Appends the bytes a string's content stands for, escapes decoded; `false` for a bad
    /// escape or a lone surrogate. The result still needs a UTF-8 check.
    static func unescape(_ content: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        var index = 0
        func hex4() -> UInt32? {
            guard index + 4 <= content.count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = content[index]
                let digit: UInt8
                switch byte {
                case 48...57: digit = byte - 48
                case 97...102: digit = byte - 87
                case 65...70: digit = byte - 55
                default: return nil
                }
                value = value << 4 | UInt32(digit)
                index += 1
            }
            return value
        }
        while index < content.count {
            let byte = content[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                continue
            }
            guard index < content.count else { return false }
            let escape = content[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { return false }
                if (0xD800...0xDBFF).contains(scalar) {
                    guard index + 2 <= content.count, content[index] == UInt8(ascii: "\\"),
                          content[index + 1] == UInt8(ascii: "u") else { return false }
                    index += 2
                    guard let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return false }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { return false }
                out.append(contentsOf: UTF8.encode(unicode)!)
            default:
                return false
            }
        }
        return true
    }

    /// A plain integer (`-?(0|[1-9][0-9]*)`, at most 18 digits).
    mutating func integer() -> Int? {
        skipSpace()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] &- 48 < 10, index - start < 18 {
            value = value * 10 + Int(bytes[index] - 48)
            index += 1
        }
        guard index > start, !(bytes[start] == 48 && index - start > 1) else { return nil }
        if index < bytes.count {
            // A fraction, exponent or 19th digit: not an integer this reader vouches for.
            let next = bytes[index]
            guard next &- 48 >= 10, next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E") else { return nil }
        }
        return negative ? -value : value
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }
}

extension UnsafeBufferPointer<UInt8> {
    func equals(_ name: StaticString) -> Bool {
        count == name.utf8CodeUnitCount && elementsEqual(UnsafeBufferPointer(start: name.utf8Start, count: count))
    }
}

/// The members of one submitted utterance, as both readers of submissions know them; the
/// raw value is the member's bit in the set of members already seen.
enum UtteranceMember: UInt8 {
    case speaker = 1, text = 2, startMs = 4, endMs = 8
}

extension JSONScanner {
    /// Walks a submission's `utterances` array: `[{"speaker", "text", "startMs", "endMs"}, …]`,
    /// each member at most once, `null` members skipped. `member` reads the value of a member
    /// (`false`: not readable), `ended` closes an utterance. `false` on anything else, so the
    /// caller leaves the document to Foundation's decoder.
    mutating func utterances(member: (inout JSONScanner, UtteranceMember) -> Bool, ended: () -> Void) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard take(UInt8(ascii: "{")) else { return false }
            if !take(UInt8(ascii: "}")) {
                var seen: UInt8 = 0
                repeat {
                    guard let key = key() else { return false }
                    let which: UtteranceMember
                    if key.equals("speaker") { which = .speaker } else if key.equals("text") { which = .text }
                    else if key.equals("startMs") { which = .startMs } else if key.equals("endMs") { which = .endMs } else { return false }
                    guard seen & which.rawValue == 0 else { return false }
                    seen |= which.rawValue
                    if takeNull() { continue }
                    guard member(&self, which) else { return false }
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "}")) else { return false }
            }
            ended()
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]"))
    }

}
