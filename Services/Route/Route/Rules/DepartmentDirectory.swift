import Foundation

/// The departments tickets go to: their members, working calendar and escalation chain.
public struct DepartmentDirectory: Codable, Sendable {
    public var version: String
    /// Named working calendars; a department names one.
    public var calendars: [String: WorkingCalendar]
    public var departments: [Department]

    public struct WorkingCalendar: Codable, Sendable {
        /// IANA name, e.g. `Asia/Shanghai`.
        public var timeZone: String
        /// Working stretches of a working day, `"09:00-12:00"`.
        public var hours: [String]
    }

    public struct Department: Codable, Sendable {
        public var id: String
        public var name: String
        public var calendar: String
        public var members: [Member]
        /// Member ids told in turn as a ticket nears and passes its due time
        /// (team lead → department head).
        public var escalation: [String]
        /// Who gets a new ticket; absent: it stays `open` for the team to pick.
        public var defaultAssignee: String?
    }

    public struct Member: Codable, Sendable {
        public var id: String
        public var name: String?
        /// `agent`, `team_lead`, `head`.
        public var role: String
    }

    public var departmentIDs: Set<String> { Set(departments.map(\.id)) }

    /// What a member does in the department.
    static let roles = ["agent", "team_lead", "head"]

    public func department(_ id: String) -> Department? {
        departments.first { $0.id == id }
    }

    /// - Throws: ``RouteError`` naming the department and field at fault.
    public func validate() throws(RouteError) {
        if version.isEmpty { throw RouteError(.directory, "version: must not be empty") }
        for (name, calendar) in calendars {
            if TimeZone(identifier: calendar.timeZone) == nil {
                throw RouteError(.directory, "calendars.\(name).timeZone: \"\(calendar.timeZone)\" is not an IANA time zone")
            }
            for (index, hours) in calendar.hours.enumerated() where BusinessClock.Shift(hours) == nil {
                throw RouteError(.directory, "calendars.\(name).hours[\(index)]: \"\(hours)\" is not HH:MM-HH:MM")
            }
        }
        var seen = Set<String>()
        for (index, department) in departments.enumerated() {
            let at = "departments[\(index)] (\(department.id))"
            if !seen.insert(department.id).inserted { throw RouteError(.directory, "\(at).id: used twice") }
            if calendars[department.calendar] == nil {
                throw RouteError(.directory, "\(at).calendar: \"\(department.calendar)\" is not defined in calendars")
            }
            if department.id.isEmpty { throw RouteError(.directory, "\(at).id: must not be empty") }
            if department.name.trimmingCharacters(in: .whitespaces).isEmpty { throw RouteError(.directory, "\(at).name: must not be blank") }
            var memberIds = Set<String>()
            for (place, member) in department.members.enumerated() {
                if member.id.isEmpty || !memberIds.insert(member.id).inserted {
                    throw RouteError(.directory, "\(at).members[\(place)].id: must be present and used once")
                }
                if !Self.roles.contains(member.role) {
                    throw RouteError(.directory, "\(at).members[\(place)].role: must be one of \(Self.roles) (got \"\(member.role)\")")
                }
            }
            let members = memberIds
            for id in department.escalation + [department.defaultAssignee].compactMap({ $0 }) where !members.contains(id) {
                throw RouteError(.directory, "\(at): \"\(id)\" is not a member of the department")
            }
        }
    }

    /// The business clock of a department on the holiday calendar.
    public func clock(for departmentID: String, holidays: HolidayCalendar) -> BusinessClock? {
        guard let department = department(departmentID), let calendar = calendars[department.calendar],
              let zone = TimeZone(identifier: calendar.timeZone) else { return nil }
        return BusinessClock(holidays: holidays, timeZone: zone, shifts: calendar.hours.compactMap(BusinessClock.Shift.init))
    }
}
