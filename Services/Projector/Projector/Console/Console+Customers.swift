import Foundation
import Hummingbird
import VOCSchema

extension Console {
    func customerList(_ request: Request, _ visit: Visit) async throws -> Response {
        var query = QueryReader(request)
        let businessLine = query.identifier("businessLine", maxLength: 64)
        let cursor = query.cursor(parts: 1)
        if let bad = badQuery(visit, query) { return bad }
        let page = try await customers.list(scope: visit.caller.customerScope, businessLine: businessLine, limit: 50, after: cursor)
        let rows = page.customers.map { customer -> [String: Any] in
            ["id": customer.customerId, "href": "/console/customers/" + PathSegment.encode(customer.customerId),
             "businessLine": customer.businessLine ?? "", "advisor": customer.advisorId ?? "", "manager": customer.relationshipManagerId ?? "",
             "contacts": customer.contactCount, "lastContact": visit.format.time(customer.lastContactAt),
             "sentiment": customer.lastSentiment?.label ?? "", "risk": ConsoleFormat.percent(customer.complaintRisk),
             "high": (customer.complaintRisk ?? 0) >= 0.5, "openTickets": customer.openTickets]
        }
        var context: [String: Any] = ["customers": rows, "empty": rows.isEmpty, "businessLine": businessLine ?? ""]
        if let next = page.nextCursor { context["nextHref"] = ConsoleRenderer.link(visit.path, setting: "cursor", to: next) }
        return render(visit, "customers", context, title: visit.language.word("customers"))
    }

    func customerPage(_ request: Request, _ context: Context, _ visit: Visit) async throws -> Response {
        var query = QueryReader(request)
        let id = query.pathIdentifier("customerId", context)
        let cursor = query.cursor(parts: 2)
        if let bad = badQuery(visit, query) { return bad }
        // The same repository calls, with the same scope and sensitive right, as the read API's.
        guard let customer = try await customers.customer(id, scope: visit.caller.customerScope, sensitive: visit.caller.sensitive,
                                                          dueSoon: dueSoon),
              let page = try await timeline.page(customerId: id, scope: visit.caller.customerScope, limit: 20, after: cursor) else {
            return notFound(visit)
        }
        var consents: [[String: String]] = []
        if let c = customer.consents {
            let given: [(String, Bool?)] = [("marketing", c.marketing), ("recording", c.recording), ("sensitiveProfile", c.sensitiveProfile),
                                            ("ownerSync", c.ownerSync)]
            for (name, value) in given { if let value { consents.append(["name": name, "value": value ? "✓" : "✗"]) } }
        }
        var values: [String: Any] = [
            "id": customer.customerId, "businessLine": customer.businessLine ?? "", "advisor": customer.advisorId ?? "",
            "manager": customer.relationshipManagerId ?? "", "contacts": customer.contactCount,
            "firstContact": visit.format.time(customer.firstContactAt), "lastContact": visit.format.time(customer.lastContactAt),
            "sentiment": customer.lastSentiment.map { "\($0.label) (\(ConsoleFormat.score($0.score)))" } ?? "–",
            "risk": ConsoleFormat.percent(customer.complaintRisk), "maxRisk": ConsoleFormat.percent(customer.maxComplaintRisk),
            "openTickets": customer.openTickets, "consents": consents,
            "facts": customer.profileFacts.map { fact -> [String: Any] in
                ["fact": fact.fact, "evidence": fact.evidence, "sensitive": fact.sensitive, "confidence": ConsoleFormat.percent(fact.confidence)]
            },
            "hints": customer.suitability.map { hint -> [String: Any] in
                var row: [String: Any] = ["hint": hint.hint, "kind": visit.language.word(hint.kind.rawValue), "avoid": hint.kind == .avoid]
                if let basis = hint.basis { row["basis"] = basis }
                return row
            },
            "tickets": customer.tickets.map { ticketRow($0, visit) },
            "entries": page.entries.map { entryRow($0, visit) },
        ]
        if customer.hiddenSensitiveFacts > 0 { values["hiddenFacts"] = customer.hiddenSensitiveFacts }
        if let next = page.nextCursor { values["olderHref"] = ConsoleRenderer.link(visit.path, setting: "cursor", to: next) }
        return render(visit, "customer", values, title: "\(visit.language.word("customer")) \(customer.customerId)")
    }

    func entryRow(_ entry: TimelineEntry, _ visit: Visit) -> [String: Any] {
        // Absent keys, not empty strings: an empty string still opens a mustache section.
        var row: [String: Any] = [
            "time": visit.format.time(entry.occurredAt), "channel": entry.channel,
            "tickets": entry.tickets.map { ["id": $0.ticketId, "status": $0.status, "department": $0.department,
                                            "how": visit.language.word($0.opened ? "opened" : "repeat")] },
            "notifications": entry.notifications.map { notification -> [String: Any] in
                var row: [String: Any] = ["title": notification.title, "medium": notification.medium, "recipient": notification.recipientRole]
                if let outcome = notification.outcome { row["outcome"] = outcome }
                return row
            },
        ]
        if let agent = entry.agentId { row["agent"] = agent }
        if let summary = entry.summary { row["summary"] = summary }
        if let insight = entry.insight {
            var view: [String: Any] = [
                "sentiment": insight.sentiment.label, "score": ConsoleFormat.score(insight.sentiment.score),
                "risk": ConsoleFormat.percent(insight.complaintRisk), "categories": insight.categories,
                "utterances": insight.utterances.map { ["speaker": $0.speaker.rawValue, "text": $0.text] },
                "compliance": insight.compliance.map { ["rule": $0.rule, "evidence": $0.evidence] },
            ]
            if let cluster = insight.cluster { view["cluster"] = cluster.label }
            row["insight"] = view
        }
        if entry.hasAudio { row["audio"] = "/console/recordings/" + PathSegment.encode(entry.entryId) }
        return row
    }

    func ticketRow(_ ticket: QueueTicket, _ visit: Visit) -> [String: Any] {
        var row: [String: Any] = [
            "id": ticket.ticketId, "customer": ticket.customerId, "customerHref": "/console/customers/" + PathSegment.encode(ticket.customerId),
            "category": ticket.category, "department": ticket.department, "priority": ticket.priority, "status": ticket.status,
            "sla": ticket.sla.rawValue, "slaText": visit.language.word(ticket.sla.rawValue), "countdown": visit.format.countdown(ticket),
            "due": visit.format.time(ticket.dueAt), "provisional": ticket.slaProvisional,
        ]
        if let resolution = ticket.resolutionCode { row["resolution"] = resolution }
        if let due = ticket.dueAt, ticket.sla != .met { row["dueEpoch"] = Int(due.timeIntervalSince1970) }
        return row
    }
}
