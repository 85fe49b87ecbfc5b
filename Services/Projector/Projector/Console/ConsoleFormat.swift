import Foundation

/// How the console writes times, durations and numbers.
struct ConsoleFormat: Sendable {
    let timeZone: TimeZone
    let language: ConsoleLanguage

    func time(_ date: Date?) -> String {
        guard let date else { return "" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// `0.42` as `42%`.
    static func percent(_ value: Double?) -> String {
        value.map { "\(Int(($0 * 100).rounded()))%" } ?? "–"
    }

    static func score(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? "–"
    }

    /// `3h 20m`, `2d 4h` or `5m` (`3小时20分` in Chinese).
    func duration(_ seconds: TimeInterval) -> String {
        let minutes = Int((abs(seconds) / 60).rounded(.down))
        let (days, hours, rest) = (minutes / 1440, minutes % 1440 / 60, minutes % 60)
        let units = language == .zh ? ("天", "小时", "分") : ("d ", "h ", "m")
        if days > 0 { return "\(days)\(units.0)\(hours)\(units.1)".trimmingCharacters(in: .whitespaces) }
        if hours > 0 { return "\(hours)\(units.1)\(rest)\(units.2)" }
        return "\(rest)\(units.2)"
    }

    /// The SLA countdown of a ticket: time left, time overdue, or the state when closed.
    func countdown(_ ticket: QueueTicket, now: Date = Date()) -> String {
        switch ticket.sla {
        case .met: return language.word("met")
        case .none: return language.word("noDue")
        case .breached, .dueSoon, .onTrack:
            guard let due = ticket.dueAt else { return language.word(ticket.sla.rawValue) }
            let left = due.timeIntervalSince(now)
            return left >= 0 ? "\(language.word("dueIn")) \(duration(left))" : "\(language.word("overdue")) \(duration(left))"
        }
    }
}
