/// The checks ingest makes on a submission's text, answered on its UTF-8 bytes so the
/// single-pass path needs no `String`. Each agrees with the `String` check it stands
/// for (the tests compare them). Analyze's segmenter reads tokens with ``decode(_:at:)``.
public enum UTF8Text {
    /// What `String(validating:as: UTF8.self)` accepts: well-formed UTF-8 (no overlong
    /// forms, no surrogates, nothing past U+10FFFF).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            // Eight ASCII bytes at a time: identifiers, keys and much text are ASCII.
            if index + 8 <= count,
               UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                index + offset < count && range.contains(bytes[index + offset])
            }
            switch lead {
            case 0xC2...0xDF:
                guard continuation(1) else { return false }
                index += 2
            case 0xE0...0xEF:
                let second: ClosedRange<UInt8> = lead == 0xE0 ? 0xA0...0xBF : lead == 0xED ? 0x80...0x9F : 0x80...0xBF
                guard continuation(1, second), continuation(2) else { return false }
                index += 3
            case 0xF0...0xF4:
                let second: ClosedRange<UInt8> = lead == 0xF0 ? 0x90...0xBF : lead == 0xF4 ? 0x80...0x8F : 0x80...0xBF
                guard continuation(1, second), continuation(2), continuation(3) else { return false }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    /// Some scalar is not white space (`FieldChecker`'s "not blank"). Valid UTF-8 only.
    static func hasNonWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                // The ASCII scalars with the White_Space property.
                if lead != 0x20 && !(0x09...0x0D).contains(lead) { return true }
                index += 1
                continue
            }
            let (scalar, length) = decode(bytes, at: index)
            // No scalar past U+3000 is white space (the tests check every one), so most
            // text (CJK, emoji) needs no property lookup.
            if scalar.value > 0x3000 || !scalar.properties.isWhitespace { return true }
            index += length
        }
        return false
    }

    /// Some scalar is in Unicode's Cc category (U+0000–U+001F, U+007F–U+009F), which an
    /// identifier must not hold. Valid UTF-8 only: U+0080–U+009F are C2 80–C2 9F.
    static func hasControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for index in bytes.indices {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F { return true }
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] <= 0x9F { return true }
        }
        return false
    }

    /// Only ASCII: then canonical equivalence, which `String` equality follows, is byte
    /// equality.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// `xx` or `xxx` in ASCII letters, then `-` subtags of 1–8 ASCII letters or digits.
    static func isLanguageTag(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
        var partStart = 0
        var first = true
        for index in 0...bytes.count {
            guard index == bytes.count || bytes[index] == UInt8(ascii: "-") else { continue }
            let part = UnsafeBufferPointer(rebasing: bytes[partStart..<index])
            if first {
                guard (2...3).contains(part.count), part.allSatisfy(isLetter) else { return false }
                first = false
            } else {
                guard (1...8).contains(part.count), part.allSatisfy({ isLetter($0) || ($0 >= 48 && $0 <= 57) }) else { return false }
            }
            partStart = index + 1
        }
        return true
    }

    /// The scalar starting at `index` of valid UTF-8 (not ASCII), and its length in bytes.
    public static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[index])
        func next(_ offset: Int) -> UInt32 { UInt32(bytes[index + offset] & 0x3F) }
        let value: UInt32, length: Int
        switch lead {
        case ..<0xE0: (value, length) = ((lead & 0x1F) << 6 | next(1), 2)
        case ..<0xF0: (value, length) = ((lead & 0x0F) << 12 | next(1) << 6 | next(2), 3)
        default: (value, length) = ((lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
        }
        return (Unicode.Scalar(value)!, length)
    }
}
