import Foundation
import VOCSchema
import VOCStore

/// Opens a ticket for an insight the rules route, or attaches the insight to the
/// customer's open ticket about the same category: one complaint, one ticket.
struct TicketOpening {
    let book: RoutingBook

    enum Outcome: Equatable {
        case opened(Ticket)
        case attached(Ticket)
    }

    func apply(_ insight: InsightProduced, decision: RoutingRules.Decision, in transaction: StoreTransaction) async throws -> Outcome {
        let window = book.rules.openWindow
        if var ticket = try await TicketRepository.openTicket(
            customerId: insight.customerId, category: decision.category,
            since: insight.occurredAt.addingTimeInterval(-window), in: transaction) {
            // A repeat contact: the customer had to come back, so the ticket climbs a step
            // (and at least to what this contact alone would get).
            ticket.priority = book.rules.raised(book.rules.higher(ticket.priority, decision.priority))
            ticket.repeatCount += 1
            ticket.lastInsightId = insight.insightId
            ticket.lastInteractionId = insight.interactionId
            ticket.version += 1
            let pauses = try await TicketRepository.pauses(ticket.ticketId, openEnd: insight.occurredAt, in: transaction)
            SLAPlanner(book: book).plan(&ticket, pauses: pauses, regulatory: ticket.regulatoryDueAt != nil || decision.regulatoryClock)
            try await TicketRepository.update(ticket, in: transaction)
            try await Outbox.append(
                ticket.event(.repeatContact, at: insight.occurredAt, note: "repeat contact \(ticket.repeatCount) via \(insight.channel.rawValue)"),
                ticketId: ticket.ticketId, in: transaction)
            return .attached(ticket)
        }

        var ticket = Ticket(
            ticketId: StableID.make("ticket", insight.customerId, decision.category, insight.insightId),
            customerId: insight.customerId, businessLine: insight.businessLine, category: decision.category,
            department: decision.department, priority: decision.priority, status: .open, assigneeId: nil,
            ruleId: decision.ruleId, rulesVersion: book.rules.version, slaPolicy: decision.slaPolicy,
            openedAt: insight.occurredAt, firstResponseDueAt: nil, resolutionDueAt: nil, regulatoryDueAt: nil, warnAt: nil,
            slaProvisional: false, firstRespondedAt: nil, resolvedAt: nil, repeatCount: 0, escalationLevel: 0, warned: false, breached: false,
            resolutionCode: nil, firstInsightId: insight.insightId, lastInsightId: insight.insightId,
            lastInteractionId: insight.interactionId, version: 1)
        SLAPlanner(book: book).plan(&ticket, pauses: [], regulatory: decision.regulatoryClock)
        try await TicketRepository.insert(ticket, in: transaction)
        try await Outbox.append(ticket.event(.opened, at: insight.occurredAt, note: "rule \(decision.ruleId)"),
                                ticketId: ticket.ticketId, in: transaction)
        if let assignee = book.directory.department(decision.department)?.defaultAssignee {
            ticket.assigneeId = assignee
            ticket.status = .assigned
            ticket.version += 1
            try await TicketRepository.update(ticket, in: transaction)
            try await Outbox.append(ticket.event(.assigned, at: insight.occurredAt), ticketId: ticket.ticketId, in: transaction)
        }
        return .opened(ticket)
    }
}

/// Due times of a ticket on its department's calendar.
struct SLAPlanner {
    let book: RoutingBook

    /// Sets first-response, warning and resolution due times from the opening time,
    /// skipping `pauses`, and the regulatory deadline from receipt when `regulatory`.
    func plan(_ ticket: inout Ticket, pauses: [DateInterval], regulatory: Bool) {
        var regulatoryProvisional = false
        if regulatory {
            let due = RegulatoryClock(holidays: book.holidays).due(received: ticket.openedAt)
            ticket.regulatoryDueAt = due.date
            regulatoryProvisional = due.provisional
        }
        guard let policy = book.rules.slaPolicies[ticket.slaPolicy],
              let clock = book.directory.clock(for: ticket.department, holidays: book.holidays) else {
            ticket.slaProvisional = regulatoryProvisional
            return
        }
        var provisional = false
        let openedAt = ticket.openedAt
        func due(_ minutes: Int?) -> Date? {
            guard let minutes, let due = clock.adding(seconds: TimeInterval(minutes * 60), to: openedAt, pauses: pauses)
            else { return nil }
            provisional = provisional || due.provisional
            return due.date
        }
        let resolution = policy.resolutionMinutes[ticket.priority]
        if ticket.firstRespondedAt == nil { ticket.firstResponseDueAt = due(policy.firstResponseMinutes[ticket.priority]) }
        ticket.resolutionDueAt = due(resolution)
        ticket.warnAt = due(resolution.map { Int(Double($0) * (policy.warnAt ?? 0.8)) })
        ticket.slaProvisional = provisional || regulatoryProvisional
    }
}
