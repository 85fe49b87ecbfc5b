import Foundation
import Route
import Testing

/// Business-time arithmetic on the bundled holiday file (2024–2026) and an office day of
/// 09:00–12:00 and 13:00–18:00 in Shanghai.
@Suite("Business clock")
struct BusinessClockTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let holidays = try! HolidayCalendar.bundled()
    static let office = BusinessClock(holidays: holidays, timeZone: shanghai,
                                      shifts: [BusinessClock.Shift("09:00-12:00")!, BusinessClock.Shift("13:00-18:00")!])

    /// A wall-clock time in Shanghai.
    static func at(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = shanghai
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    func due(_ start: String, hours: Double, pauses: [DateInterval] = []) -> BusinessClock.Due? {
        Self.office.adding(seconds: hours * 3600, to: Self.at(start), pauses: pauses)
    }

    @Test("within a day the lunch break does not count")
    func lunch() {
        #expect(due("2025-11-17 09:00", hours: 4) == .init(date: Self.at("2025-11-17 14:00"), provisional: false))
    }

    @Test("Friday evening plus two hours is Monday morning")
    func weekend() {
        #expect(due("2025-11-14 17:00", hours: 2) == .init(date: Self.at("2025-11-17 10:00"), provisional: false))
    }

    @Test("the National Day week is skipped: 30 September plus two hours is 9 October")
    func publicHoliday() {
        #expect(due("2025-09-30 17:00", hours: 2) == .init(date: Self.at("2025-10-09 10:00"), provisional: false))
    }

    @Test("Saturday 11 October 2025 is a 调休 make-up working day")
    func makeUpWorkingDay() {
        #expect(due("2025-10-10 17:00", hours: 2) == .init(date: Self.at("2025-10-11 10:00"), provisional: false))
        // The Saturday before it is an ordinary weekend day.
        #expect(due("2025-10-03 17:00", hours: 1)?.date == Self.at("2025-10-09 10:00"))
    }

    @Test("a pause stops the clock and it resumes where it stopped, also across a night")
    func pause() {
        let morning = DateInterval(start: Self.at("2025-11-17 10:00"), end: Self.at("2025-11-17 11:30"))
        #expect(due("2025-11-17 09:00", hours: 4, pauses: [morning])?.date == Self.at("2025-11-17 15:30"))
        let overnight = DateInterval(start: Self.at("2025-11-17 17:00"), end: Self.at("2025-11-18 10:00"))
        #expect(due("2025-11-17 16:00", hours: 4, pauses: [overnight])?.date == Self.at("2025-11-18 14:00"))
        #expect(Self.office.workingSeconds(from: Self.at("2025-11-17 16:00"), to: Self.at("2025-11-18 14:00"),
                                           pauses: [overnight]) == 4 * 3600)
    }

    @Test("a year the file lacks falls back to weekdays and says it is provisional")
    func uncoveredYear() {
        #expect(due("2027-01-08 17:00", hours: 2) == .init(date: Self.at("2027-01-11 10:00"), provisional: true))
        #expect(due("2026-12-31 17:00", hours: 2)?.provisional == true)
        #expect(due("2026-12-30 09:00", hours: 2)?.provisional == false)
    }

    @Test("regulatory clock: 15 days from the day after receipt, a last day on a rest day moves to the next working day")
    func regulatoryClock() {
        let clock = RegulatoryClock(holidays: Self.holidays)
        // Monday 3 Nov 2025 + 15 days = Tuesday 18 Nov, a working day: due at the end of it.
        #expect(clock.due(received: Self.at("2025-11-03 15:20")) == .init(date: Self.at("2025-11-19 00:00"), provisional: false))
        // Received Saturday 20 Sep: day 15 is Sunday 5 Oct, inside the National Day holiday
        // (1–8 Oct), so the period ends on Thursday 9 Oct.
        #expect(clock.due(received: Self.at("2025-09-20 10:00")).date == Self.at("2025-10-10 00:00"))
        // Day 15 is Saturday 11 Oct, a 调休 working day: it stands.
        #expect(clock.due(received: Self.at("2025-09-26 10:00")).date == Self.at("2025-10-12 00:00"))
        // Complex case: 30 days; five days of outside appraisal are not counted.
        #expect(clock.due(received: Self.at("2025-11-03 15:20"), term: .complex).date == Self.at("2025-12-04 00:00"))
        #expect(clock.due(received: Self.at("2025-11-03 15:20"), excludedDays: 5).date == Self.at("2025-11-25 00:00"))
        #expect(clock.due(received: Self.at("2026-12-20 10:00")).provisional == true)
    }

    @Test("the holiday file refuses a date outside its years and a date listed twice")
    func badHolidayFile() {
        #expect(throws: RouteError.self) {
            try HolidayCalendar(file: .init(source: "t", years: [2025], holidays: [.init(date: "2026-01-01", name: nil)], workdays: []))
        }
        #expect(throws: RouteError.self) {
            try HolidayCalendar(file: .init(source: "t", years: [2025], holidays: [.init(date: "2025-10-01", name: nil)],
                                            workdays: [.init(date: "2025-10-01", name: nil)]))
        }
    }
}
