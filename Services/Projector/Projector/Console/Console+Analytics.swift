import Foundation
import Hummingbird
import VOCSchema

extension Console {
    func scorecardPage(_ request: Request, _ visit: Visit) async throws -> Response {
        var query = QueryReader(request)
        let period = query.period(timeZone)
        let cursor = query.cursor(parts: 1)
        if let bad = badQuery(visit, query) { return bad }
        let cards: [Scorecard]
        var next: String?
        switch visit.caller.scorecardScope {
        case .none:
            return errorPage(visit, .forbidden, title: visit.language.word("forbidden"),
                             detail: "scorecards are for managers, admins and the agents themselves")
        case .agent(let own):
            cards = [try await scorecards.scorecard(agentId: own, period: period)]
        case .all:
            let page = try await scorecards.scorecards(period: period, limit: 50, after: cursor)
            cards = page.scorecards
            next = page.nextCursor
        }
        let rows = cards.map { card -> [String: Any] in
            ["agent": card.agentId, "contacts": card.contacts, "analysed": card.analysedContacts,
             "findings": card.complianceFindings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
             "withFindings": card.contactsWithFindings, "sentiment": ConsoleFormat.score(card.averageSentiment),
             "ticketsOpened": card.ticketsOpened, "fcr": ConsoleFormat.percent(card.firstContactResolution),
             "reopen": ConsoleFormat.percent(card.reopenRate), "after": ConsoleFormat.score(card.sentimentAfterContact)]
        }
        var context: [String: Any] = ["scorecards": rows, "empty": rows.isEmpty, "from": period.from, "to": period.to]
        if let next { context["nextHref"] = ConsoleRenderer.link(visit.path, setting: "cursor", to: next) }
        return render(visit, "scorecards", context, title: visit.language.word("scorecards"))
    }

    /// Contacts per day and per category over a period as server-drawn SVG, and the
    /// clusters growing fastest.
    func trendPage(_ request: Request, _ visit: Visit) async throws -> Response {
        var query = QueryReader(request)
        let period = query.period(timeZone)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        if let bad = badQuery(visit, query) { return bad }
        let series = try await trends.trends(period: period, businessLine: businessLine)
        let growing = try await trends.fastestGrowing(to: period.to, days: 7, businessLine: businessLine, limit: 10)
        var days: [String] = []
        var day = period.from
        while day <= period.to, days.count <= 366 {
            days.append(day)
            guard let following = Period.day(day, minus: -1, timeZone) else { break }
            day = following
        }
        var contacts: [String: Double] = [:], negative: [String: Double] = [:]
        var categories: [String: (total: Double, negative: Double)] = [:]
        for point in series.points {
            contacts[point.day, default: 0] += Double(point.contacts)
            negative[point.day, default: 0] += Double(point.negative)
            categories[point.category, default: (0, 0)].total += Double(point.contacts)
            categories[point.category, default: (0, 0)].negative += Double(point.negative)
        }
        let lines = SVGChart.lines(days: days, series: [
            (visit.language.word("contacts"), "contacts", days.map { contacts[$0] ?? 0 }),
            (visit.language.word("negative"), "negative", days.map { negative[$0] ?? 0 }),
        ])
        let bars = SVGChart.bars(categories.sorted { $0.value.total > $1.value.total }.map { ($0.key, $0.value.total, $0.value.negative) })
        let context: [String: Any] = [
            "from": period.from, "to": period.to, "businessLine": businessLine ?? "", "lines": lines, "bars": bars,
            "hasPoints": !series.points.isEmpty,
            "clusters": growing.clusters.map { cluster -> [String: Any] in
                ["label": cluster.label, "businessLine": cluster.businessLine, "size": cluster.size, "recent": cluster.recent,
                 "previous": cluster.previous, "growth": cluster.growth]
            },
        ]
        return render(visit, "trends", context, title: visit.language.word("trends"))
    }
}
