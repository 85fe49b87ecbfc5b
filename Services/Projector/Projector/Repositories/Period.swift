import Foundation

/// Calendar days `from` through `to` (inclusive) in the projector's time zone.
public struct Period: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public var from: String
    public var to: String
    /// The first instant of `from` and of the day after `to`.
    public var start: Date
    public var end: Date

    /// - Returns: nil for a day that is not `YYYY-MM-DD`, or `to` before `from`.
    public init?(from: String, to: String, timeZone: TimeZone) {
        guard let start = Self.midnight(from, timeZone), let last = Self.midnight(to, timeZone), last >= start else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let end = calendar.date(byAdding: .day, value: 1, to: last) else { return nil }
        self.from = from
        self.to = to
        self.start = start
        self.end = end
    }

    /// The `days` days up to and including today.
    public static func recent(days: Int, timeZone: TimeZone, now: Date = Date()) -> Period {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        let start = calendar.date(byAdding: .day, value: -(days - 1), to: today) ?? today.addingTimeInterval(-Double(days - 1) * 86_400)
        let end = calendar.date(byAdding: .day, value: 1, to: today) ?? today.addingTimeInterval(86_400)
        let local = LocalDays(timeZone: timeZone)
        return Period(from: local.day(start), to: local.day(today), start: start, end: end)
    }

    init(from: String, to: String, start: Date, end: Date) {
        self.from = from
        self.to = to
        self.start = start
        self.end = end
    }

    /// Days in the period.
    public var days: Int { Int(((end.timeIntervalSince(start)) / 86_400).rounded()) }

    /// The first instant of a `YYYY-MM-DD` day in `timeZone`; nil for anything else.
    public static func midnight(_ day: String, _ timeZone: TimeZone) -> Date? {
        let parts = day.split(separator: "-")
        guard day.utf8.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let date = Int(parts[2]),
              (1...12).contains(month), (1...31).contains(date), (1970...9999).contains(year) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: date)
        guard let midnight = calendar.date(from: components),
              calendar.dateComponents([.year, .month, .day], from: midnight) == components else { return nil }
        return midnight
    }

    /// Today in `timeZone`, as `YYYY-MM-DD`.
    public static func today(_ timeZone: TimeZone, now: Date = Date()) -> String {
        LocalDays(timeZone: timeZone).day(now)
    }

    /// `days` days before `day`.
    public static func day(_ day: String, minus days: Int, _ timeZone: TimeZone) -> String? {
        guard let midnight = midnight(day, timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(byAdding: .day, value: -days, to: midnight).map { LocalDays(timeZone: timeZone).day($0) }
    }
}
