import Foundation
import Hummingbird
import VOCRuntime
import VOCSchema

extension ReadAPI {
    func queue(_ request: Request, _ caller: ReadToken) async throws -> Response {
        var query = QueryReader(request)
        let department = query.identifier("department")
        let status = query.oneOf("status", TicketEvent.Status.known)
        let sla = query.oneOf("sla", SLAState.allCases)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        let open = query.boolean("open")
        let limit = query.limit()
        let cursor = query.cursor(parts: 2)
        if let problem = query.problem("ticket queue query") { return problem }
        if case .department(let own) = caller.ticketScope, let department, department != own {
            return ReadAuth.forbidden("this token sees the tickets of \(own) only")
        }
        let filters = TicketQuery(department: department, status: status?.rawValue, sla: sla, businessLine: businessLine, open: open,
                                  limit: limit, after: cursor)
        return HTTPResponses.json(try await tickets.page(filters, scope: caller.ticketScope, dueSoon: dueSoon))
    }
}
