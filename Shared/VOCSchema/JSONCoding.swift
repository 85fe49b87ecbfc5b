import Foundation

/// The one JSON dialect of the pipeline: ISO-8601 UTC times with milliseconds on the
/// way out, with or without fractional seconds and with any offset on the way in.
public enum JSONCoding {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
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
    public static func format(_ date: Date) -> String {
        // Whole milliseconds, rounded: formatting a binary fraction directly truncates
        // (.412 would print as .411) and a round trip would change the value.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let (whole, fraction) = seconds.remainder < 0 ? (seconds.quotient - 1, seconds.remainder + 1000) : seconds
        let base = Date(timeIntervalSince1970: Double(whole)).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        let digits = String(fraction)
        return base.dropLast() + "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
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
