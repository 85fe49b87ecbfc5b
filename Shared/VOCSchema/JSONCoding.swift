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
            guard let count = write(date, to: out.baseAddress!) else {
                common = false
                return 0
            }
            return count
        }
        return common ? text : date.ISO8601Format(.iso8601.year().month().day().time(includingFractionalSeconds: true))
    }

    /// Appends what ``format(_:)`` returns, as UTF-8, without making a `String`.
    public static func format(_ date: Date, into bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 24))
        let written = bytes.withUnsafeMutableBufferPointer { write(date, to: $0.baseAddress! + start) }
        if written == nil {
            bytes.removeLast(24)
            bytes += format(date).utf8
        }
    }

    /// The 24 bytes of the common form at `out`; `nil` (nothing written) for a year
    /// outside 0–9999, which comes from a bug upstream and is printed by Foundation.
    static func write(_ date: Date, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, dayMilliseconds) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let secondsOfDay = dayMilliseconds / 1000
        guard (0...9999).contains(year) else { return nil }
        func put(_ value: Int64, at position: Int, width: Int) {
            var rest = value
            for index in stride(from: position + width - 1, through: position, by: -1) {
                out[index] = UInt8(48 + rest % 10)
                rest /= 10
            }
        }
        put(year, at: 0, width: 4); out[4] = 45; put(month, at: 5, width: 2); out[7] = 45; put(day, at: 8, width: 2)
        out[10] = 84
        put(secondsOfDay / 3600, at: 11, width: 2); out[13] = 58; put(secondsOfDay / 60 % 60, at: 14, width: 2)
        out[16] = 58; put(secondsOfDay % 60, at: 17, width: 2)
        out[19] = 46; put(dayMilliseconds % 1000, at: 20, width: 3); out[23] = 90
        return 24
    }

    private static func floorDivision(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
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

    public static func parse(_ text: String) -> Date? {
        if let date = parseCommonForm(text) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, what gateways send, read without
    /// Foundation's general parser (a few microseconds per call on the ingest path).
    /// Anything else, or any out-of-range field, is left to Foundation, so this accepts
    /// nothing the general parser would refuse.
    static func parseCommonForm(_ text: String) -> Date? {
        var text = text
        return text.withUTF8(parseCommonForm)
    }

    /// ``parseCommonForm(_:)`` of UTF-8 bytes.
    static func parseCommonForm(_ bytes: UnsafeBufferPointer<UInt8>) -> Date? {
        let count = bytes.count
        guard count >= 20, count <= 35 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for index in start..<(start + length) {
                let digit = bytes[index] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        guard bytes[4] == 45, bytes[7] == 45, bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1970...9999).contains(year), (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour <= 23, minute <= 59, second <= 59 else { return nil }
        var index = 19
        var fraction = 0.0
        if bytes[index] == 46 {
            index += 1
            let start = index
            var digits: Int64 = 0
            var scale = 1.0
            // Milliseconds at most: finer fractions round differently from Foundation at
            // half a millisecond, so they take its path.
            while index < count, bytes[index] &- 48 < 10, index - start < 3 {
                digits = digits * 10 + Int64(bytes[index] - 48)
                scale *= 10
                index += 1
            }
            guard index > start, index < count, bytes[index] &- 48 >= 10 else { return nil }
            fraction = Double(digits) / scale
        }
        var offset: Int64 = 0
        switch bytes[index] {
        case 90:
            guard index + 1 == count else { return nil }
        case 43, 45:
            guard index + 6 == count, bytes[index + 3] == 58,
                  let hours = number(index + 1, 2), let minutes = number(index + 4, 2), hours <= 23, minutes <= 59 else { return nil }
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == 43 ? 1 : -1)
        default:
            return nil
        }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The inverse of ``civilDate(daysSinceEpoch:)``.
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
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
