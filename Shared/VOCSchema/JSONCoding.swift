import Foundation

/// The one JSON dialect of the pipeline: ISO-8601 UTC times with milliseconds on the
/// way out, with or without fractional seconds and with any offset on the way in.
public enum JSONCoding {
    // Configured once and only read afterwards, which JSONEncoder and JSONDecoder allow
    // from any thread; building them per call was a measurable share of ingest's cost.
    private nonisolated(unsafe) static let sharedEncoder = makeEncoder()
    private nonisolated(unsafe) static let sharedDecoder = makeDecoder()

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
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, dayMilliseconds) = floorDivision(milliseconds, 86_400_000)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let secondsOfDay = dayMilliseconds / 1000
        var out = [UInt8]()
        out.reserveCapacity(24)
        func put(_ value: Int64, _ width: Int) {
            var digits = [UInt8](repeating: 48, count: width)
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] = UInt8(48 + rest % 10)
                rest /= 10
            }
            out += digits
        }
        put(year, 4); out.append(45); put(month, 2); out.append(45); put(day, 2); out.append(84)
        put(secondsOfDay / 3600, 2); out.append(58); put(secondsOfDay / 60 % 60, 2); out.append(58); put(secondsOfDay % 60, 2)
        out.append(46); put(dayMilliseconds % 1000, 3); out.append(90)
        return String(decoding: out, as: UTF8.self)
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
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
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
