import Foundation
import VOCSchema

/// Opens a ticket for an insight the rules route, or attaches the insight to the
/// customer's open ticket about the same category: one complaint, one ticket. Works on
/// tickets in memory; the batch writes them.
struct TicketOpening {
    let book: RoutingBook

    /// Joins `insight` to the customer's open `ticket` about the same category: the
    /// customer had to come back, so the ticket climbs a step (and at least to what this
    /// contact alone would get) and its due times are planned again for that priority.
    /// - Parameter pauses: the ticket's pauses, an open one ending at the contact.
    func attach(_ insight: InsightProduced, decision: RoutingRules.Decision, to ticket: inout Ticket,
                pauses: [DateInterval]) throws -> [Outbox.Row] {
        ticket.priority = book.rules.raised(book.rules.higher(ticket.priority, decision.priority))
        ticket.repeatCount += 1
        ticket.lastInsightId = insight.insightId
        ticket.lastInteractionId = insight.interactionId
        ticket.version += 1
        SLAPlanner(book: book).plan(&ticket, pauses: pauses, regulatory: ticket.regulatoryDueAt != nil || decision.regulatoryClock)
        return [try Outbox.row(
            ticket.event(.repeatContact, at: insight.occurredAt, note: "repeat contact \(ticket.repeatCount) via \(insight.channel.rawValue)"),
            ticketId: ticket.ticketId)]
    }

    /// A new ticket for `insight`, assigned at once when the department has a default
    /// assignee, with the events recording it.
    ///
    /// When the handling agent says they resolved it in the contact, their authority
    /// decides: within it the ticket is resolved at once (`resolvedAtFirstContact`) and
    /// the customer asked to confirm, like any resolution; above it the ticket waits for
    /// approval (`approvalRequired`), assigned to the first of the department's
    /// escalation chain, and resolving it is the approval.
    func open(_ insight: InsightProduced, decision: RoutingRules.Decision) throws -> (Ticket, [Outbox.Row]) {
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
        var note = "rule \(decision.ruleId)"
        var grant: RoutingRules.Authority?
        let department = book.directory.department(decision.department)
        var assignee = department?.defaultAssignee
        if insight.resolvedInContact == true, let agent = insight.agentId {
            ticket.handledBy = agent
            grant = book.rules.authority(agent: agent, category: decision.category, amount: insight.amount)
            if grant == nil {
                ticket.approvalRequired = true
                assignee = department?.escalation.first ?? assignee
                note += "; \(agent) resolved it in the contact above their authority"
                    + (insight.amount.map { " (amount \($0))" } ?? "") + ": approval required"
            }
        }
        var rows = [try Outbox.row(ticket.event(.opened, at: insight.occurredAt, note: note), ticketId: ticket.ticketId)]
        if let assignee {
            ticket.assigneeId = assignee
            ticket.status = .assigned
            ticket.version += 1
            rows.append(try Outbox.row(ticket.event(.assigned, at: insight.occurredAt), ticketId: ticket.ticketId))
        }
        if let grant, let agent = ticket.handledBy {
            ticket.resolvedAtFirstContact = true
            rows += try TicketService.change(.resolve(code: "resolved_at_first_contact"), on: &ticket, to: .resolved, book: book,
                                             at: insight.occurredAt, note: "resolved at first contact by \(agent) under \(grant.id)")
        }
        return (ticket, rows)
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
