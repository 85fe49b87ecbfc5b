import Foundation

/// The one JSON dialect of the pipeline: ISO-8601 UTC times with milliseconds on the
/// way out, with or without fractional seconds and with any offset on the way in.
public enum JSONCoding {
    // Configured once and only read afterwards, which JSONEncoder and JSONDecoder allow
    // from any thread; building them per call was a measurable share of ingest's cost.
    private static let sharedEncoder = makeEncoder()
    private static let sharedDecoder = makeDecoder()

    public static func encoder() -> JSONEncoder { sharedEncoder }
    public static func decoder() -> JSONDecoder { sharedDecoder }

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "must be an RFC 3339 date-time such as 2026-11-24T09:30:00Z")
            }
            return date
        }
        return decoder
    }

    /// Decodes a payload, turning Foundation's decoding errors into a problem that names
    /// the field by its JSON path.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>) throws(ValidationError) -> T {
        let data = Data(bytes)
        do {
            return try decoder().decode(T.self, from: data)
        } catch let error as ValidationError {
            throw error
        } catch let error as DecodingError {
            throw ValidationError(decodingError: error)
        } catch {
            throw ValidationError(kind: .malformed, problems: [FieldProblem(field: "", problem: "body is not valid JSON")])
        }
    }
}

/// RFC 3339 timestamps, parsed leniently and printed one way.
public enum Timestamp {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, whole milliseconds rounded (formatting a binary
    /// fraction directly truncates, so .412 would print as .411 and a round trip would
    /// change the value). Written by hand: it runs several times per event.
    public static func format(_ date: Date) -> String {
        var common = true
        let text = String(unsafeUninitializedCapacity: 24) { out in
            common = writeCommonForm(date) { out[$0] = $1 }
            return common ? 24 : 0
        }
        return common ? text : date.ISO8601Format(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    /// Appends what ``format(_:)`` returns, as UTF-8, without making a `String`.
    public static func format(_ date: Date, into bytes: inout [UInt8]) {
        let written = writeCommonForm(date) { _, byte in bytes.append(byte) }
        if !written {
            bytes += date.ISO8601Format(.iso8601.year().month().day().time(includingFractionalSeconds: true)).utf8
        }
    }

    /// Hands the 24 bytes of the common form to `put` with their positions, in order;
    /// `false` (nothing handed) for a year outside 0–9999, which comes from a bug
    /// upstream and is printed by Foundation.
    @inlinable
    public static func writeCommonForm(_ date: Date, _ put: (Int, UInt8) -> Void) -> Bool {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, dayMilliseconds) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let secondsOfDay = dayMilliseconds / 1000
        guard (0...9999).contains(year) else { return false }
        func digits(_ value: Int64, at position: Int, width: Int) {
            var scale: Int64 = 1
            for _ in 1..<width { scale *= 10 }
            for index in position..<(position + width) {
                put(index, UInt8(48 + value / scale % 10))
                scale /= 10
            }
        }
        digits(year, at: 0, width: 4); put(4, 45); digits(month, at: 5, width: 2); put(7, 45); digits(day, at: 8, width: 2)
        put(10, 84)
        digits(secondsOfDay / 3600, at: 11, width: 2); put(13, 58); digits(secondsOfDay / 60 % 60, at: 14, width: 2)
        put(16, 58); digits(secondsOfDay % 60, at: 17, width: 2)
        put(19, 46); digits(dayMilliseconds % 1000, at: 20, width: 3); put(23, 90)
        return true
    }

    @usableFromInline
    static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    @usableFromInline
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Reads an RFC 3339 date-time. Only what ``format(_:)`` writes back in its common
    /// form is accepted: Foundation's parser also reads years of five digits
    /// (`20216-1-20T…`), which no consumer could read again once a stage republished them.
    public static func parse(_ text: String) -> Date? {
        if let date = parseCommonForm(text) { return date }
        guard let date = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
                ?? (try? Date.ISO8601FormatStyle().parse(text)) else { return nil }
        return date >= earliest && writeCommonForm(date, { _, _ in }) ? date : nil
    }

    /// 0001-01-01T00:00:00Z, the first moment of a four-digit year.
    static let earliest = Date(timeIntervalSince1970: -62_135_596_800)

    /// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, what gateways send, read without
    /// Foundation's general parser (a few microseconds per call on the ingest path).
    /// Anything else, or any out-of-range field, is left to Foundation, so this accepts
    /// nothing the general parser would refuse.
    static func parseCommonForm(_ text: String) -> Date? {
        text.utf8.withContiguousStorageIfAvailable { parseCommonForm($0) } ?? parseCommonForm(Array(text.utf8))
    }

    /// ``parseCommonForm(_:)`` of UTF-8 bytes.
    @inlinable
    public static func parseCommonForm<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes) -> Date? where Bytes.Index == Int {
        let count = bytes.count
        guard count >= 20, count <= 35 else { return nil }
        let base = bytes.startIndex
        func at(_ offset: Int) -> UInt8 { bytes[base + offset] }
        func number(_ start: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for offset in start..<(start + length) {
                let digit = at(offset) &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard at(4) == 45, at(7) == 45, at(10) == 84, at(13) == 58, at(16) == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1970...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        var index = 19
        var fraction = 0.0
        if at(index) == 46 {
            index += 1
            let start = index
            var digits: Int64 = 0
            var scale = 1.0
            // Milliseconds at most: finer fractions round differently from Foundation at
            // half a millisecond, so they take its path.
            while index < count, at(index) &- 48 < 10, index - start < 3 {
                digits = digits * 10 + Int64(at(index) - 48)
                scale *= 10
                index += 1
            }
            guard index > start, index < count, at(index) &- 48 >= 10 else { return nil }
            fraction = Double(digits) / scale
        }
        var offset: Int64 = 0
        switch at(index) {
        case 90:
            guard index + 1 == count else { return nil }
        case 43, 45:
            guard index + 6 == count, at(index + 3) == 58,
                  let hours = number(index + 1, 2), let minutes = number(index + 4, 2), hours <= 23, minutes <= 59 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (at(index) == 43 ? 1 : -1)
        default:
            return nil
        }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    @usableFromInline
    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The inverse of ``civilDate(daysSinceEpoch:)``.
    @usableFromInline
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension ValidationError {
    init(decodingError: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue {
                    out += "[\(index)]"
                } else {
                    out += out.isEmpty ? key.stringValue : "." + key.stringValue
                }
            }
            return out
        }
        switch decodingError {
        case .keyNotFound(let key, let context):
            self.init(kind: .invalid, problems: [FieldProblem(field: path(context.codingPath + [key]), problem: "is required")])
        case .valueNotFound(_, let context) where context.codingPath.isEmpty:
            self.init(kind: .malformed, problems: [FieldProblem(field: "", problem: "body must be a JSON object")])
        case .valueNotFound(_, let context):
            self.init(kind: .invalid, problems: [FieldProblem(field: path(context.codingPath), problem: "is required (got null)")])
        case .typeMismatch(let type, let context):
            if context.codingPath.isEmpty {
                self.init(kind: .malformed, problems: [FieldProblem(field: "", problem: "body must be a JSON object")])
            } else {
                self.init(kind: .invalid, problems: [FieldProblem(field: path(context.codingPath), problem: "must be \(JSONTypeName.of(type))")])
            }
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                self.init(kind: .malformed, problems: [FieldProblem(field: "", problem: "body is not valid JSON")])
            } else {
                self.init(kind: .invalid, problems: [FieldProblem(field: path(context.codingPath), problem: context.debugDescription)])
            }
        @unknown default:
            self.init(kind: .malformed, problems: [FieldProblem(field: "", problem: "body could not be decoded")])
        }
    }
}

enum JSONTypeName {
    static func of(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: return "an integer"
        case is Double.Type, is Float.Type: return "a number"
        case is Bool.Type: return "a boolean"
        case is Date.Type: return "an RFC 3339 date-time string"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "a JSON object" }
            return "a JSON object"
        }
    }
}
