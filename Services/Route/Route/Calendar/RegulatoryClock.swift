import Foundation

/// The decision deadline for a consumer complaint under 《银行业保险业消费投诉处理管理办法》
/// (CBIRC order 2020 No. 3): 15 days from receipt, 30 for a complex case, a further 30
/// with senior approval and the customer told; days spent on outside appraisal,
/// testing or evaluation are not counted. docs/routing.md cites the articles.
///
/// The order counts days (日), not working days. How days are counted follows the Civil
/// Code: the day of receipt is not counted (民法典 Art. 201), and a period whose last
/// day is a statutory rest day ends on the first day after it (Art. 203), which is
/// where the holiday calendar and 调休 make-up days come in.
public struct RegulatoryClock: Sendable {
    public enum Term: String, Sendable, Codable, CaseIterable {
        /// Facts clear, dispute simple.
        case standard
        /// Complex: extended to 30 days.
        case complex
        /// Especially complex, approved and the customer told: 30 more, 60 in all.
        case extended

        public var days: Int {
            switch self {
            case .standard: 15
            case .complex: 30
            case .extended: 60
            }
        }
    }

    public let holidays: HolidayCalendar
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(holidays: HolidayCalendar, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.holidays = holidays
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The end of the period (midnight after its last day, local time).
    /// - Parameters:
    ///   - received: when the complaint was received.
    ///   - excludedDays: whole days of outside appraisal, testing or evaluation.
    public func due(received: Date, term: Term = .standard, excludedDays: Int = 0) -> BusinessClock.Due {
        let receivedDay = calendar.startOfDay(for: received)
        var lastDay = calendar.date(byAdding: .day, value: term.days + max(0, excludedDays), to: receivedDay)!
        var provisional = false
        // A run of rest days is at most a couple of weeks; the bound only guards a broken file.
        for _ in 0..<60 {
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: lastDay)
            let day = CivilDay(year: parts.year!, month: parts.month!, day: parts.day!)
            let (working, guessed) = holidays.isWorkingDay(day, weekday: parts.weekday!)
            provisional = provisional || guessed
            if working { break }
            lastDay = calendar.date(byAdding: .day, value: 1, to: lastDay)!
        }
        return BusinessClock.Due(date: calendar.date(byAdding: .day, value: 1, to: lastDay)!, provisional: provisional)
    }
}
