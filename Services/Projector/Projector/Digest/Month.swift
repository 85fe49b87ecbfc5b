import Foundation

/// A calendar month in the projector's time zone.
public struct Month: Sendable, Equatable {
    /// `YYYY-MM`.
    public var text: String
    /// The first instant of the month and of the next.
    public var start: Date
    public var end: Date

    /// - Returns: nil for anything but `YYYY-MM` with a month from 01 to 12.
    public init?(_ text: String, timeZone: TimeZone) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.utf8.count == 7, parts.count == 2, parts[1].utf8.count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
              (1970...9999).contains(year), (1...12).contains(month),
              let start = Period.midnight(String(format: "%04d-%02d-01", year, month), timeZone) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let end = calendar.date(byAdding: .month, value: 1, to: start) else { return nil }
        self.text = text
        self.start = start
        self.end = end
    }

    /// The month `now` falls in.
    public static func current(_ timeZone: TimeZone, now: Date = Date()) -> Month {
        let today = Period.today(timeZone, now: now)
        return Month(String(today.prefix(7)), timeZone: timeZone)!
    }
}
