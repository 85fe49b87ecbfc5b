import Foundation
import VOCSchema
import VOCStore

/// Tickets in PostgreSQL. Every change goes through a transaction that also queues the
/// event recording it (``Outbox``).
enum TicketRepository {
    private static let columns = """
        ticket_id, customer_id, business_line, category, department, priority, status, assignee_id, rule_id,
        rules_version, sla_policy, opened_at, first_response_due_at, resolution_due_at, regulatory_due_at, warn_at,
        sla_provisional, first_responded_at, resolved_at, repeat_count, escalation_level, warned, breached, resolution_code,
        first_insight_id, last_insight_id, last_interaction_id, version
        """

    static func load(_ ticketId: String, in session: some SQLSession, lock: Bool = false) async throws -> Ticket? {
        try await select(lock
            ? "SELECT \(unsafe: columns) FROM tickets WHERE ticket_id = \(ticketId) FOR UPDATE"
            : "SELECT \(unsafe: columns) FROM tickets WHERE ticket_id = \(ticketId)", in: session).first
    }

    /// The open ticket of a customer about a category opened at or after `since`.
    static func openTicket(customerId: String, category: String, since: Date,
                           in session: some SQLSession) async throws -> Ticket? {
        try await select(
            """
            SELECT \(unsafe: columns) FROM tickets
            WHERE customer_id = \(customerId) AND category = \(category) AND opened_at >= \(since)
              AND status NOT IN ('resolved', 'confirmed', 'closed') ORDER BY opened_at DESC LIMIT 1 FOR UPDATE
            """, in: session).first
    }

    /// Unsettled tickets whose warning or due time has passed and was not yet acted on.
    static func due(at now: Date, in session: some SQLSession) async throws -> [Ticket] {
        try await select(
            """
            SELECT \(unsafe: columns) FROM tickets
            WHERE status NOT IN ('resolved', 'confirmed', 'closed', 'waiting_on_customer')
              AND ((NOT warned AND warn_at <= \(now)) OR (NOT breached AND resolution_due_at <= \(now))
                   OR (escalation_level < 2 AND regulatory_due_at <= \(now)))
            ORDER BY resolution_due_at LIMIT 500 FOR UPDATE SKIP LOCKED
            """, in: session)
    }

    /// The customer's most recently resolved ticket, resolved at or after `since`.
    static func resolvedTicket(customerId: String, since: Date, in session: some SQLSession) async throws -> Ticket? {
        try await select(
            """
            SELECT \(unsafe: columns) FROM tickets
            WHERE customer_id = \(customerId) AND status = 'resolved' AND resolved_at >= \(since)
            ORDER BY resolved_at DESC LIMIT 1 FOR UPDATE
            """, in: session).first
    }

    /// Resolved tickets the customer has not answered since `before`.
    static func unanswered(before: Date, in session: some SQLSession) async throws -> [Ticket] {
        try await select(
            """
            SELECT \(unsafe: columns) FROM tickets WHERE status = 'resolved' AND resolved_at <= \(before)
            ORDER BY resolved_at LIMIT 500 FOR UPDATE SKIP LOCKED
            """, in: session)
    }

    /// Working tickets whose due times rest on a year the holiday file did not cover.
    static func provisional(in session: some SQLSession) async throws -> [Ticket] {
        try await select(
            """
            SELECT \(unsafe: columns) FROM tickets
            WHERE sla_provisional AND status NOT IN ('resolved', 'confirmed', 'closed', 'waiting_on_customer')
            ORDER BY opened_at LIMIT 500 FOR UPDATE SKIP LOCKED
            """, in: session)
    }

    /// A page of tickets, newest first, optionally of one department and status.
    static func list(department: String?, status: String?, limit: Int, in session: some SQLSession) async throws -> [Ticket] {
        let department = department ?? ""
        let status = status ?? ""
        return try await select(
            """
            SELECT \(unsafe: columns) FROM tickets
            WHERE (\(department) = '' OR department = \(department)) AND (\(status) = '' OR status = \(status))
            ORDER BY opened_at DESC, ticket_id LIMIT \(limit)
            """, in: session)
    }

    private static func select(_ sql: SQL, in session: some SQLSession) async throws -> [Ticket] {
        let rows = try await session.rows(
            sql,
            as: String.self, String.self, String.self, String.self, String.self, String.self, String.self, String?.self,
            String.self, String.self, String.self, Date.self, Date?.self, Date?.self, Date?.self, Date?.self, Bool.self,
            Date?.self, Date?.self, Int.self, Int.self, Bool.self, Bool.self, String?.self, String.self, String.self, String?.self,
            Int.self)
        return rows.map { row in
            let (id, customer, line, category, department, priority, status, assignee, rule, rulesVersion, policy,
                 opened, firstDue, resolutionDue, regulatoryDue, warnAt, provisional, responded, resolved, repeats, level, warned,
                 breached, code, firstInsight, lastInsight, lastInteraction, version) = row
            return Ticket(
                ticketId: id, customerId: customer, businessLine: line, category: category, department: department,
                priority: priority, status: TicketEvent.Status(rawValue: status), assigneeId: assignee, ruleId: rule,
                rulesVersion: rulesVersion, slaPolicy: policy, openedAt: opened, firstResponseDueAt: firstDue,
                resolutionDueAt: resolutionDue, regulatoryDueAt: regulatoryDue, warnAt: warnAt, slaProvisional: provisional,
                firstRespondedAt: responded, resolvedAt: resolved, repeatCount: repeats, escalationLevel: level, warned: warned,
                breached: breached, resolutionCode: code, firstInsightId: firstInsight, lastInsightId: lastInsight,
                lastInteractionId: lastInteraction, version: version)
        }
    }

    static func insert(_ ticket: Ticket, in transaction: StoreTransaction) async throws {
        let t = ticket
        try await transaction.execute(
            """
            INSERT INTO tickets (\(unsafe: columns)) VALUES (
                \(t.ticketId), \(t.customerId), \(t.businessLine), \(t.category), \(t.department), \(t.priority),
                \(t.status.rawValue), \(t.assigneeId), \(t.ruleId), \(t.rulesVersion), \(t.slaPolicy), \(t.openedAt),
                \(t.firstResponseDueAt), \(t.resolutionDueAt), \(t.regulatoryDueAt), \(t.warnAt), \(t.slaProvisional),
                \(t.firstRespondedAt), \(t.resolvedAt), \(t.repeatCount), \(t.escalationLevel), \(t.warned), \(t.breached),
                \(t.resolutionCode), \(t.firstInsightId), \(t.lastInsightId), \(t.lastInteractionId), \(t.version))
            """)
    }

    static func update(_ ticket: Ticket, in transaction: StoreTransaction) async throws {
        let t = ticket
        try await transaction.execute(
            """
            UPDATE tickets SET priority = \(t.priority), status = \(t.status.rawValue), assignee_id = \(t.assigneeId),
                first_response_due_at = \(t.firstResponseDueAt), resolution_due_at = \(t.resolutionDueAt),
                regulatory_due_at = \(t.regulatoryDueAt), warn_at = \(t.warnAt), sla_provisional = \(t.slaProvisional),
                first_responded_at = \(t.firstRespondedAt), resolved_at = \(t.resolvedAt), repeat_count = \(t.repeatCount),
                escalation_level = \(t.escalationLevel), warned = \(t.warned), breached = \(t.breached),
                resolution_code = \(t.resolutionCode), last_insight_id = \(t.lastInsightId),
                last_interaction_id = \(t.lastInteractionId), version = \(t.version), updated_at = now()
            WHERE ticket_id = \(t.ticketId)
            """)
    }

    /// The ticket's pauses; an open one ends at `openEnd`.
    static func pauses(_ ticketId: String, openEnd: Date, in session: some SQLSession) async throws -> [DateInterval] {
        let rows = try await session.rows(
            "SELECT started_at, ended_at FROM ticket_pauses WHERE ticket_id = \(ticketId) ORDER BY started_at",
            as: Date.self, Date?.self)
        return rows.map { DateInterval(start: $0.0, end: max($0.0, $0.1 ?? openEnd)) }
    }

    /// The ticket's events as queued in the outbox, oldest first.
    static func history(_ ticketId: String, in session: some SQLSession) async throws -> [TicketEvent] {
        let rows = try await session.rows(
            "SELECT value FROM route_outbox WHERE ticket_id = \(ticketId) AND topic = \(Topic.ticketEvent.rawValue) ORDER BY seq",
            as: Data.self)
        return try rows.map { try JSONCoding.decode(TicketEvent.self, from: $0) }
    }
}
