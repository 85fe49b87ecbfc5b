import Foundation

/// A civil date, free of any time zone: the key of the holiday file.
public struct CivilDay: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]) else { return nil }
        self.init(year: parts[0], month: parts[1], day: parts[2])
    }

    public static func < (lhs: CivilDay, rhs: CivilDay) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// China's public holidays and 调休 make-up working days for the years a data file covers.
///
/// The file lists weekday holidays and weekend working days; every other date follows
/// its weekday. For a year the file does not list, dates follow their weekday too and
/// the answer says it is provisional, so a due time is never silently computed 24×7
/// nor refused.
public struct HolidayCalendar: Sendable {
    public struct File: Codable, Sendable {
        public struct Entry: Codable, Sendable {
            public var date: String
            public var name: String?

            public init(date: String, name: String?) {
                self.date = date
                self.name = name
            }
        }

        public var source: String
        public var years: [Int]
        public var holidays: [Entry]
        public var workdays: [Entry]

        public init(source: String, years: [Int], holidays: [Entry], workdays: [Entry]) {
            self.source = source
            self.years = years
            self.holidays = holidays
            self.workdays = workdays
        }
    }

    public let source: String
    public let years: Set<Int>
    let holidays: Set<CivilDay>
    let workdays: Set<CivilDay>

    /// - Throws: ``RouteError`` naming the entry that is not a date or lies outside `years`.
    public init(file: File) throws(RouteError) {
        var holidays = Set<CivilDay>()
        var workdays = Set<CivilDay>()
        for (list, field) in [(file.holidays, "holidays"), (file.workdays, "workdays")] {
            for (index, entry) in list.enumerated() {
                guard let day = CivilDay(entry.date) else {
                    throw RouteError(.calendar, "\(field)[\(index)].date: \"\(entry.date)\" is not a YYYY-MM-DD date")
                }
                guard file.years.contains(day.year) else {
                    throw RouteError(.calendar, "\(field)[\(index)].date: \(entry.date) lies outside the years the file covers (\(file.years))")
                }
                if field == "holidays" { holidays.insert(day) } else { workdays.insert(day) }
            }
        }
        if let both = holidays.intersection(workdays).sorted().first {
            throw RouteError(.calendar, "\(both) is listed both as a holiday and as a working day")
        }
        self.source = file.source
        self.years = Set(file.years)
        self.holidays = holidays
        self.workdays = workdays
    }

    /// Plain weekdays only: every year is provisional.
    public static let weekdaysOnly = try! HolidayCalendar(file: File(source: "none", years: [], holidays: [], workdays: []))

    /// - Throws: ``RouteError`` when the file cannot be read or decoded.
    public static func load(_ url: URL) throws(RouteError) -> HolidayCalendar {
        do {
            let data = try Data(contentsOf: url)
            return try HolidayCalendar(file: JSONDecoder().decode(File.self, from: data))
        } catch let error as RouteError {
            throw error
        } catch {
            throw RouteError(.calendar, "holiday file \(url.path) does not load: \(error)")
        }
    }

    /// The holiday file shipped with route (2024–2026, from chinesecalendar 1.11.0).
    public static func bundled() throws(RouteError) -> HolidayCalendar {
        guard let url = Bundle.module.url(forResource: "cn-holidays", withExtension: "json") else {
            throw RouteError(.calendar, "the bundled holiday file is missing; set route.holidaysPath")
        }
        return try load(url)
    }

    /// Whether `day` is worked, given its weekday (1 = Sunday … 7 = Saturday, as
    /// Foundation counts), and whether the answer rests on a year the file lacks.
    public func isWorkingDay(_ day: CivilDay, weekday: Int) -> (working: Bool, provisional: Bool) {
        let weekend = weekday == 1 || weekday == 7
        guard years.contains(day.year) else { return (!weekend, true) }
        if holidays.contains(day) { return (false, false) }
        if workdays.contains(day) { return (true, false) }
        return (!weekend, false)
    }
}
