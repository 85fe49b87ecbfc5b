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
        first_insight_id, last_insight_id, last_interaction_id, version, resolved_at_first_contact, approval_required, handled_by
        """

    static func load(_ ticketId: String, in session: some SQLSession, lock: Bool = false) async throws -> Ticket? {
        try await select(lock
            ? "SELECT \(unsafe: columns) FROM tickets WHERE ticket_id = \(ticketId) FOR UPDATE"
            : "SELECT \(unsafe: columns) FROM tickets WHERE ticket_id = \(ticketId)", in: session).first
    }

    /// The unsettled tickets of `customerIds` opened at or after `since`, locked.
    static func open(customerIds: [String], since: Date, in session: some SQLSession) async throws -> [Ticket] {
        guard !customerIds.isEmpty else { return [] }
        return try await select(
            """
            SELECT \(unsafe: columns) FROM tickets
            WHERE customer_id = ANY(\(customerIds)::text[]) AND opened_at >= \(since)
              AND status NOT IN ('resolved', 'confirmed', 'closed') ORDER BY ticket_id FOR UPDATE
            """, in: session)
    }

    /// The resolved tickets of `customerIds` resolved at or after `since`, locked.
    static func resolved(customerIds: [String], since: Date, in session: some SQLSession) async throws -> [Ticket] {
        guard !customerIds.isEmpty else { return [] }
        return try await select(
            """
            SELECT \(unsafe: columns) FROM tickets
            WHERE customer_id = ANY(\(customerIds)::text[]) AND status = 'resolved' AND resolved_at >= \(since)
            ORDER BY ticket_id FOR UPDATE
            """, in: session)
    }

    /// The tickets of `ticketIds` that exist, locked.
    static func load(_ ticketIds: [String], in session: some SQLSession) async throws -> [Ticket] {
        guard !ticketIds.isEmpty else { return [] }
        return try await select(
            "SELECT \(unsafe: columns) FROM tickets WHERE ticket_id = ANY(\(ticketIds)::text[]) ORDER BY ticket_id FOR UPDATE",
            in: session)
    }

    /// The pauses of `ticketIds`, by ticket, oldest first; an open pause has no end.
    static func pauses(_ ticketIds: [String], in session: some SQLSession) async throws -> [String: [(Date, Date?)]] {
        guard !ticketIds.isEmpty else { return [:] }
        var pauses: [String: [(Date, Date?)]] = [:]
        for (id, start, end) in try await session.rows(
            "SELECT ticket_id, started_at, ended_at FROM ticket_pauses WHERE ticket_id = ANY(\(ticketIds)::text[]) ORDER BY started_at",
            as: String.self, Date.self, Date?.self) {
            pauses[id, default: []].append((start, end))
        }
        return pauses
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
            Int.self, Bool.self, Bool.self, String?.self)
        return rows.map { row in
            let (id, customer, line, category, department, priority, status, assignee, rule, rulesVersion, policy,
                 opened, firstDue, resolutionDue, regulatoryDue, warnAt, provisional, responded, resolved, repeats, level, warned,
                 breached, code, firstInsight, lastInsight, lastInteraction, version, firstContact, approval, handledBy) = row
            return Ticket(
                ticketId: id, customerId: customer, businessLine: line, category: category, department: department,
                priority: priority, status: TicketEvent.Status(rawValue: status), assigneeId: assignee, ruleId: rule,
                rulesVersion: rulesVersion, slaPolicy: policy, openedAt: opened, firstResponseDueAt: firstDue,
                resolutionDueAt: resolutionDue, regulatoryDueAt: regulatoryDue, warnAt: warnAt, slaProvisional: provisional,
                firstRespondedAt: responded, resolvedAt: resolved, repeatCount: repeats, escalationLevel: level, warned: warned,
                breached: breached, resolutionCode: code, firstInsightId: firstInsight, lastInsightId: lastInsight,
                lastInteractionId: lastInteraction, version: version, resolvedAtFirstContact: firstContact,
                approvalRequired: approval, handledBy: handledBy)
        }
    }

    static func insert(_ ticket: Ticket, in transaction: StoreTransaction) async throws {
        try await insert([ticket], in: transaction)
    }

    static func update(_ ticket: Ticket, in transaction: StoreTransaction) async throws {
        try await update([ticket], in: transaction)
    }

    /// Inserts `tickets` in one statement.
    static func insert(_ tickets: [Ticket], in transaction: StoreTransaction) async throws {
        guard !tickets.isEmpty else { return }
        let c = Columns(tickets)
        try await transaction.execute(
            """
            INSERT INTO tickets (\(unsafe: columns))
            SELECT * FROM unnest(
                \(c.ids)::text[], \(c.customers)::text[], \(c.lines)::text[], \(c.categories)::text[], \(c.departments)::text[],
                \(c.priorities)::text[], \(c.statuses)::text[], \(c.assignees)::text[], \(c.rules)::text[], \(c.rulesVersions)::text[],
                \(c.policies)::text[], \(c.opened)::timestamptz[], \(c.firstDue)::timestamptz[], \(c.resolutionDue)::timestamptz[],
                \(c.regulatoryDue)::timestamptz[], \(c.warnAt)::timestamptz[], \(c.provisional)::boolean[],
                \(c.responded)::timestamptz[], \(c.resolved)::timestamptz[], \(c.repeats)::int[], \(c.levels)::int[],
                \(c.warned)::boolean[], \(c.breached)::boolean[], \(c.codes)::text[], \(c.firstInsights)::text[],
                \(c.lastInsights)::text[], \(c.lastInteractions)::text[], \(c.versions)::int[], \(c.firstContact)::boolean[],
                \(c.approval)::boolean[], \(c.handledBy)::text[])
            """)
    }

    /// Writes the changeable fields of `tickets` in one statement.
    static func update(_ tickets: [Ticket], in transaction: StoreTransaction) async throws {
        guard !tickets.isEmpty else { return }
        let c = Columns(tickets)
        try await transaction.execute(
            """
            UPDATE tickets t SET priority = u.priority, status = u.status, assignee_id = u.assignee_id,
                first_response_due_at = u.first_due, resolution_due_at = u.resolution_due, regulatory_due_at = u.regulatory_due,
                warn_at = u.warn_at, sla_provisional = u.provisional, first_responded_at = u.responded, resolved_at = u.resolved,
                repeat_count = u.repeats, escalation_level = u.level, warned = u.warned, breached = u.breached,
                resolution_code = u.code, last_insight_id = u.last_insight, last_interaction_id = u.last_interaction,
                version = u.version, resolved_at_first_contact = u.first_contact, approval_required = u.approval,
                handled_by = u.handled_by, updated_at = now()
            FROM unnest(
                \(c.ids)::text[], \(c.priorities)::text[], \(c.statuses)::text[], \(c.assignees)::text[],
                \(c.firstDue)::timestamptz[], \(c.resolutionDue)::timestamptz[], \(c.regulatoryDue)::timestamptz[],
                \(c.warnAt)::timestamptz[], \(c.provisional)::boolean[], \(c.responded)::timestamptz[], \(c.resolved)::timestamptz[],
                \(c.repeats)::int[], \(c.levels)::int[], \(c.warned)::boolean[], \(c.breached)::boolean[], \(c.codes)::text[],
                \(c.lastInsights)::text[], \(c.lastInteractions)::text[], \(c.versions)::int[], \(c.firstContact)::boolean[],
                \(c.approval)::boolean[], \(c.handledBy)::text[])
                AS u(ticket_id, priority, status, assignee_id, first_due, resolution_due, regulatory_due, warn_at, provisional,
                     responded, resolved, repeats, level, warned, breached, code, last_insight, last_interaction, version,
                     first_contact, approval, handled_by)
            WHERE t.ticket_id = u.ticket_id
            """)
    }

    /// The tickets as one array per column, for `unnest`.
    private struct Columns {
        var ids: [String] = [], customers: [String] = [], lines: [String] = [], categories: [String] = []
        var departments: [String] = [], priorities: [String] = [], statuses: [String] = [], assignees = SQLArray<String>([])
        var rules: [String] = [], rulesVersions: [String] = [], policies: [String] = [], opened: [Date] = []
        var firstDue = SQLArray<Date>([]), resolutionDue = SQLArray<Date>([]), regulatoryDue = SQLArray<Date>([])
        var warnAt = SQLArray<Date>([]), provisional: [Bool] = [], responded = SQLArray<Date>([]), resolved = SQLArray<Date>([])
        var repeats: [Int] = [], levels: [Int] = [], warned: [Bool] = [], breached: [Bool] = [], codes = SQLArray<String>([])
        var firstInsights: [String] = [], lastInsights: [String] = [], lastInteractions = SQLArray<String>([]), versions: [Int] = []
        var firstContact: [Bool] = [], approval: [Bool] = [], handledBy = SQLArray<String>([])

        init(_ tickets: [Ticket]) {
            for t in tickets {
                ids.append(t.ticketId); customers.append(t.customerId); lines.append(t.businessLine)
                categories.append(t.category); departments.append(t.department); priorities.append(t.priority)
                statuses.append(t.status.rawValue); assignees.elements.append(t.assigneeId); rules.append(t.ruleId)
                rulesVersions.append(t.rulesVersion); policies.append(t.slaPolicy); opened.append(t.openedAt)
                firstDue.elements.append(t.firstResponseDueAt); resolutionDue.elements.append(t.resolutionDueAt)
                regulatoryDue.elements.append(t.regulatoryDueAt); warnAt.elements.append(t.warnAt)
                provisional.append(t.slaProvisional); responded.elements.append(t.firstRespondedAt)
                resolved.elements.append(t.resolvedAt); repeats.append(t.repeatCount); levels.append(t.escalationLevel)
                warned.append(t.warned); breached.append(t.breached); codes.elements.append(t.resolutionCode)
                firstInsights.append(t.firstInsightId); lastInsights.append(t.lastInsightId)
                lastInteractions.elements.append(t.lastInteractionId); versions.append(t.version)
                firstContact.append(t.resolvedAtFirstContact); approval.append(t.approvalRequired)
                handledBy.elements.append(t.handledBy)
            }
        }
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
