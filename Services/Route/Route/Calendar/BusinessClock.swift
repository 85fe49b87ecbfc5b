import Foundation

/// A department's working time: hours of a working day in its time zone, on the
/// holiday calendar.
public struct BusinessClock: Sendable {
    /// A stretch of a working day, in minutes after local midnight.
    public struct Shift: Sendable, Equatable {
        public var start: Int
        public var end: Int

        public init(start: Int, end: Int) {
            self.start = start
            self.end = end
        }

        /// Reads `"09:00-12:00"`.
        public init?(_ text: String) {
            let ends = text.split(separator: "-").map { $0.split(separator: ":").compactMap { Int($0) } }
            guard ends.count == 2, ends.allSatisfy({ $0.count == 2 && (0...24).contains($0[0]) && (0...59).contains($0[1]) }) else {
                return nil
            }
            start = ends[0][0] * 60 + ends[0][1]
            end = ends[1][0] * 60 + ends[1][1]
            guard start < end, end <= 24 * 60 else { return nil }
        }
    }

    /// A point in time and whether it rests on a year the holiday file lacks.
    public struct Due: Sendable, Equatable {
        public var date: Date
        public var provisional: Bool

        public init(date: Date, provisional: Bool) {
            self.date = date
            self.provisional = provisional
        }
    }

    public let holidays: HolidayCalendar
    public let timeZone: TimeZone
    public let shifts: [Shift]
    private let calendar: Calendar

    public init(holidays: HolidayCalendar, timeZone: TimeZone, shifts: [Shift]) {
        self.holidays = holidays
        self.timeZone = timeZone
        self.shifts = shifts.sorted { $0.start < $1.start }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// The moment `seconds` of working time after `start`, not counting `pauses`: a
    /// pause stops the clock and it resumes where it stopped.
    ///
    /// Gives up after ten years of days without working time (a calendar with no shifts).
    public func adding(seconds: TimeInterval, to start: Date, pauses: [DateInterval] = []) -> Due? {
        var remaining = seconds
        var provisional = false
        var dayStart = calendar.startOfDay(for: start)
        for _ in 0..<3_660 {
            let (working, guessed) = isWorkingDay(dayStart)
            if working {
                provisional = provisional || guessed
                for shift in shifts {
                    let shiftStart = max(start, dayStart.addingTimeInterval(TimeInterval(shift.start * 60)))
                    let shiftEnd = dayStart.addingTimeInterval(TimeInterval(shift.end * 60))
                    guard shiftStart < shiftEnd else { continue }
                    for piece in Self.subtract(pauses, from: DateInterval(start: shiftStart, end: shiftEnd)) {
                        if remaining <= piece.duration {
                            return Due(date: piece.start.addingTimeInterval(remaining), provisional: provisional)
                        }
                        remaining -= piece.duration
                    }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: dayStart) else { return nil }
            dayStart = next
        }
        return nil
    }

    /// Working seconds between two moments, not counting `pauses`.
    public func workingSeconds(from start: Date, to end: Date, pauses: [DateInterval] = []) -> TimeInterval {
        guard start < end else { return 0 }
        var total: TimeInterval = 0
        var dayStart = calendar.startOfDay(for: start)
        while dayStart < end {
            if isWorkingDay(dayStart).working {
                for shift in shifts {
                    let from = max(start, dayStart.addingTimeInterval(TimeInterval(shift.start * 60)))
                    let to = min(end, dayStart.addingTimeInterval(TimeInterval(shift.end * 60)))
                    guard from < to else { continue }
                    total += Self.subtract(pauses, from: DateInterval(start: from, end: to)).reduce(0) { $0 + $1.duration }
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: dayStart) else { break }
            dayStart = next
        }
        return total
    }

    /// Whether the local day that starts at `dayStart` is worked.
    public func isWorkingDay(_ dayStart: Date) -> (working: Bool, provisional: Bool) {
        let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: dayStart)
        let day = CivilDay(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0)
        return holidays.isWorkingDay(day, weekday: parts.weekday ?? 1)
    }

    /// The local civil date of a moment.
    public func civilDay(of date: Date) -> CivilDay {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return CivilDay(year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0)
    }

    /// The parts of `interval` no pause covers, in order.
    static func subtract(_ pauses: [DateInterval], from interval: DateInterval) -> [DateInterval] {
        var pieces = [interval]
        for pause in pauses {
            pieces = pieces.flatMap { piece -> [DateInterval] in
                guard pause.start < piece.end, pause.end > piece.start else { return [piece] }
                var left: [DateInterval] = []
                if pause.start > piece.start { left.append(DateInterval(start: piece.start, end: pause.start)) }
                if pause.end < piece.end { left.append(DateInterval(start: pause.end, end: piece.end)) }
                return left
            }
        }
        return pieces
    }
}
