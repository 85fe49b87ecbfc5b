import Foundation
import Hummingbird
import VOCRuntime
import VOCSchema

/// Reads path and query parameters of a read request, collecting every problem so one
/// `422` names them all.
struct QueryReader {
    let request: Request
    private(set) var check = FieldChecker()

    init(_ request: Request) {
        self.request = request
    }

    /// A path parameter, percent-decoded: the router hands it over as sent, so
    /// `%E5%AE%A2%E6%88%B7%20A%2F1` must become `客户 A/1` here.
    mutating func pathIdentifier<Context: RequestContext>(_ name: String, _ context: Context) -> String {
        let raw = context.parameters.get(name) ?? ""
        guard let decoded = raw.removingPercentEncoding else {
            check.fail(name, "is not valid percent-encoding")
            return raw
        }
        check.identifier(decoded, name)
        return decoded
    }

    func text(_ name: String) -> String? {
        request.uri.queryParameters[name[...]].map(String.init)
    }

    mutating func limit(default value: Int = 50, max: Int = 200) -> Int {
        guard let text = text("limit") else { return value }
        if let number = Int(text), (1...max).contains(number) { return number }
        check.fail("limit", "must be an integer from 1 to \(max) (got \"\(text)\")")
        return value
    }

    mutating func cursor(parts: Int) -> KeysetCursor? {
        guard let text = text("cursor") else { return nil }
        guard let cursor = KeysetCursor(text, count: parts) else {
            check.fail("cursor", "must be a nextCursor value from a previous page")
            return nil
        }
        return cursor
    }

    mutating func identifier(_ name: String, maxLength: Int = 128) -> String? {
        guard let value = text(name) else { return nil }
        check.identifier(value, name, maxLength: maxLength)
        return value
    }

    mutating func boolean(_ name: String) -> Bool? {
        guard let value = text(name) else { return nil }
        switch value {
        case "true": return true
        case "false": return false
        default:
            check.fail(name, "must be true or false (got \"\(value)\")")
            return nil
        }
    }

    mutating func number(_ name: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = text(name) else { return nil }
        guard let number = Double(value), range.contains(number) else {
            check.fail(name, "must be a number from \(range.lowerBound) to \(range.upperBound) (got \"\(value)\")")
            return nil
        }
        return number
    }

    mutating func integer(_ name: String, in range: ClosedRange<Int>, default value: Int) -> Int {
        guard let text = text(name) else { return value }
        if let number = Int(text), range.contains(number) { return number }
        check.fail(name, "must be an integer from \(range.lowerBound) to \(range.upperBound) (got \"\(text)\")")
        return value
    }

    mutating func oneOf<T: RawRepresentable<String>>(_ name: String, _ values: [T]) -> T? {
        guard let text = text(name) else { return nil }
        guard let value = values.first(where: { $0.rawValue == text }) else {
            check.fail(name, "must be one of \(values.map(\.rawValue).joined(separator: ", ")) (got \"\(text)\")")
            return nil
        }
        return value
    }

    mutating func day(_ name: String, _ timeZone: TimeZone) -> String? {
        guard let text = text(name) else { return nil }
        guard Period.midnight(text, timeZone) != nil else {
            check.fail(name, "must be a date YYYY-MM-DD (got \"\(text)\")")
            return nil
        }
        return text
    }

    /// `from` and `to` (defaults: the 30 days up to today), at most 366 days. A bad one is
    /// recorded as a problem and the default period returned in its place.
    mutating func period(_ timeZone: TimeZone, now: Date = Date()) -> Period {
        let today = Period.today(timeZone, now: now)
        let fallback = Period.recent(days: 30, timeZone: timeZone, now: now)
        let to = day("to", timeZone) ?? today
        let from = day("from", timeZone) ?? Period.day(to, minus: 29, timeZone) ?? to
        guard let period = Period(from: from, to: to, timeZone: timeZone) else {
            if check.problems.isEmpty { check.fail("from", "must not be after to") }
            return fallback
        }
        guard period.days <= 366 else {
            check.fail("to", "must be at most 366 days after from")
            return fallback
        }
        return period
    }

    /// The `422` naming every bad parameter, or nil when all are good.
    func problem(_ subject: String) -> Response? {
        guard !check.problems.isEmpty else { return nil }
        return HTTPResponses.problem(Problem(validation: ValidationError(kind: .invalid, problems: check.problems), subject: subject))
    }
}
