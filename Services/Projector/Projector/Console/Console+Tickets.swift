import Foundation
import Hummingbird
import VOCSchema

extension Console {
    /// The queue, most urgent first, with a countdown to each open ticket's due time.
    func ticketQueue(_ request: Request, _ visit: Visit) async throws -> Response {
        var query = QueryReader(request)
        let department = query.identifier("department")
        let sla = query.oneOf("sla", SLAState.allCases)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        // The queue shows open tickets unless asked otherwise.
        let open = query.boolean("open") ?? true
        let cursor = query.cursor(parts: 2)
        if let bad = badQuery(visit, query) { return bad }
        if case .department(let own) = visit.caller.ticketScope, let department, department != own {
            return errorPage(visit, .forbidden, title: visit.language.word("forbidden"), detail: "department: this token sees the tickets of \(own) only")
        }
        let page = try await tickets.page(TicketQuery(department: department, sla: sla, businessLine: businessLine, open: open ? true : nil,
                                                      limit: 50, after: cursor),
                                          scope: visit.caller.ticketScope, dueSoon: dueSoon)
        let rows = page.tickets.map { ticketRow($0, visit) }
        var context: [String: Any] = [
            "tickets": rows, "empty": rows.isEmpty, "department": department ?? "", "businessLine": businessLine ?? "", "open": open,
            "slaOptions": SLAState.allCases.map { state -> [String: Any] in
                ["value": state.rawValue, "label": visit.language.word(state.rawValue), "selected": state == sla]
            },
            "ownDepartment": { if case .department(let own) = visit.caller.ticketScope { return own } else { return "" } }(),
        ]
        if let next = page.nextCursor { context["nextHref"] = ConsoleRenderer.link(visit.path, setting: "cursor", to: next) }
        return render(visit, "tickets", context, title: visit.language.word("tickets"))
    }
}
