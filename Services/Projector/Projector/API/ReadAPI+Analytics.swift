import Foundation
import Hummingbird
import VOCRuntime

extension ReadAPI {
    func listScorecards(_ request: Request, _ caller: ReadToken) async throws -> Response {
        var query = QueryReader(request)
        let period = query.period(timeZone)
        let limit = query.limit()
        let cursor = query.cursor(parts: 1)
        if let problem = query.problem("scorecard query") { return problem }
        switch caller.scorecardScope {
        case .none:
            return ReadAuth.forbidden("scorecards are for managers, admins and the agents themselves")
        case .agent(let own):
            // An agent's list holds their own card only.
            let card = try await scorecards.scorecard(agentId: own, period: period)
            return HTTPResponses.json(ScorecardPage(from: period.from, to: period.to, scorecards: [card], nextCursor: nil))
        case .all:
            return HTTPResponses.json(try await scorecards.scorecards(period: period, limit: limit, after: cursor))
        }
    }

    func scorecard(_ request: Request, _ context: Context, _ caller: ReadToken) async throws -> Response {
        var query = QueryReader(request)
        let agent = query.pathIdentifier("agentId", context)
        let period = query.period(timeZone)
        if let problem = query.problem("scorecard query") { return problem }
        switch caller.scorecardScope {
        case .none:
            return ReadAuth.forbidden("scorecards are for managers, admins and the agents themselves")
        case .agent(let own) where own != agent:
            // Another agent's card is answered as if it did not exist.
            return ReadAuth.notFound("scorecard of \(agent)")
        case .agent, .all:
            return HTTPResponses.json(try await scorecards.scorecard(agentId: agent, period: period))
        }
    }

    func trendSeries(_ request: Request, _ caller: ReadToken) async throws -> Response {
        var query = QueryReader(request)
        let period = query.period(timeZone)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        let category = query.identifier("category", maxLength: 64)
        if let problem = query.problem("trend query") { return problem }
        return HTTPResponses.json(try await trends.trends(period: period, businessLine: businessLine, category: category))
    }

    func clusterList(_ request: Request, _ caller: ReadToken) async throws -> Response {
        var query = QueryReader(request)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        let days = query.integer("days", in: 1...90, default: 7)
        let to = query.day("to", timeZone) ?? Period.today(timeZone)
        let limit = query.limit(default: 20)
        if let problem = query.problem("cluster query") { return problem }
        return HTTPResponses.json(try await trends.fastestGrowing(to: to, days: days, businessLine: businessLine, limit: limit))
    }
}
