import Foundation
import VOCSchema
import VOCStore

/// The ticket queue from `voc.ticket.event.v1`. A ticket's state is that of the event with
/// the highest sequence seen (route numbers them), so a late or repeated event never
/// moves it back; counters (reopens) count every event once, and facts that hold once
/// true (a breach, the first resolution) are kept however the events arrive.
enum TicketWrites {
    struct Row: Encodable {
        var ticketId: String
        var sequence: Int
        var status: String
        var customerId: String
        var businessLine: String
        var category: String
        var department: String
        var priority: String
        var assigneeId: String?
        var insightId: String?
        var interactionId: String?
        var openedAt: Date?
        var updatedAt: Date
        var dueAt: Date?
        var firstResponseDueAt: Date?
        var regulatoryDueAt: Date?
        var slaProvisional: Bool
        var breached: Bool
        var repeatCount: Int
        var reopenCount: Int
        var resolutionCode: String?
        var resolvedAt: Date?
        var closedAt: Date?
    }

    struct ContactRow: Encodable, Hashable {
        var interactionId: String
        var ticketId: String
        var opened: Bool
    }

    /// The events of one ticket in a batch folded into one row.
    static func fold(_ events: [TicketEvent]) -> Row? {
        guard let top = events.max(by: { ($0.sequence, $0.eventId) < ($1.sequence, $1.eventId) }) else { return nil }
        let opening = events.first { $0.kind == .opened }
        func earliest(_ kind: TicketEvent.Kind) -> Date? { events.filter { $0.kind == kind }.map(\.occurredAt).min() }
        return Row(
            ticketId: top.ticketId, sequence: top.sequence, status: top.status.rawValue, customerId: top.customerId,
            businessLine: top.businessLine, category: top.category, department: top.department, priority: top.priority,
            assigneeId: top.assigneeId, insightId: opening?.insightId, interactionId: opening?.interactionId,
            openedAt: opening?.occurredAt, updatedAt: top.occurredAt, dueAt: top.dueAt, firstResponseDueAt: top.firstResponseDueAt,
            regulatoryDueAt: top.regulatoryDueAt, slaProvisional: top.slaProvisional ?? false,
            breached: events.contains { $0.kind == .slaBreached }, repeatCount: events.compactMap(\.repeatCount).max() ?? 0,
            reopenCount: events.filter { $0.kind == .reopened }.count,
            resolutionCode: events.filter { $0.resolutionCode != nil }.max { $0.sequence < $1.sequence }?.resolutionCode,
            resolvedAt: earliest(.resolved), closedAt: earliest(.closed))
    }

    static func apply(_ events: [TicketEvent], in transaction: StoreTransaction) async throws {
        let rows = Dictionary(grouping: events, by: \.ticketId).values.compactMap(fold)
        // Only the newer event's state replaces the row's; the rest merges either way.
        let newer = "t.sequence < EXCLUDED.sequence"
        try await transaction.execute(
            """
            INSERT INTO ticket_queue AS t (ticket_id, sequence, status, customer_id, business_line, category, department, priority,
                assignee_id, insight_id, interaction_id, opened_at, updated_at, due_at, first_response_due_at, regulatory_due_at,
                sla_provisional, breached, repeat_count, reopen_count, resolution_code, resolved_at, closed_at)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(rows))::jsonb) AS r(ticket_id text, sequence integer, status text,
                customer_id text, business_line text, category text, department text, priority text, assignee_id text,
                insight_id text, interaction_id text, opened_at timestamptz, updated_at timestamptz, due_at timestamptz,
                first_response_due_at timestamptz, regulatory_due_at timestamptz, sla_provisional boolean, breached boolean,
                repeat_count integer, reopen_count integer, resolution_code text, resolved_at timestamptz, closed_at timestamptz)
            ON CONFLICT (ticket_id) DO UPDATE SET
                sequence = GREATEST(t.sequence, EXCLUDED.sequence),
                status = CASE WHEN \(unsafe: newer) THEN EXCLUDED.status ELSE t.status END,
                customer_id = CASE WHEN \(unsafe: newer) THEN EXCLUDED.customer_id ELSE t.customer_id END,
                business_line = CASE WHEN \(unsafe: newer) THEN EXCLUDED.business_line ELSE t.business_line END,
                category = CASE WHEN \(unsafe: newer) THEN EXCLUDED.category ELSE t.category END,
                department = CASE WHEN \(unsafe: newer) THEN EXCLUDED.department ELSE t.department END,
                priority = CASE WHEN \(unsafe: newer) THEN EXCLUDED.priority ELSE t.priority END,
                assignee_id = CASE WHEN \(unsafe: newer) THEN EXCLUDED.assignee_id ELSE t.assignee_id END,
                updated_at = CASE WHEN \(unsafe: newer) THEN EXCLUDED.updated_at ELSE t.updated_at END,
                due_at = CASE WHEN \(unsafe: newer) THEN EXCLUDED.due_at ELSE t.due_at END,
                first_response_due_at = CASE WHEN \(unsafe: newer) THEN EXCLUDED.first_response_due_at ELSE t.first_response_due_at END,
                regulatory_due_at = CASE WHEN \(unsafe: newer) THEN EXCLUDED.regulatory_due_at ELSE t.regulatory_due_at END,
                sla_provisional = CASE WHEN \(unsafe: newer) THEN EXCLUDED.sla_provisional ELSE t.sla_provisional END,
                resolution_code = CASE WHEN \(unsafe: newer) THEN COALESCE(EXCLUDED.resolution_code, t.resolution_code)
                    ELSE COALESCE(t.resolution_code, EXCLUDED.resolution_code) END,
                insight_id = COALESCE(t.insight_id, EXCLUDED.insight_id),
                interaction_id = COALESCE(t.interaction_id, EXCLUDED.interaction_id),
                opened_at = LEAST(t.opened_at, EXCLUDED.opened_at),
                breached = t.breached OR EXCLUDED.breached,
                repeat_count = GREATEST(t.repeat_count, EXCLUDED.repeat_count),
                reopen_count = t.reopen_count + EXCLUDED.reopen_count,
                resolved_at = LEAST(t.resolved_at, EXCLUDED.resolved_at),
                closed_at = LEAST(t.closed_at, EXCLUDED.closed_at)
            """)
        let contacts = Set(events.compactMap { event in
            event.interactionId.map { ContactRow(interactionId: $0, ticketId: event.ticketId, opened: event.kind == .opened) }
        })
        // One row per contact and ticket; the opening one wins over a later mention.
        let merged = Dictionary(contacts.map { ($0.interactionId + "\u{1F}" + $0.ticketId, $0) }) { $0.opened ? $0 : $1 }
        guard !merged.isEmpty else { return }
        try await transaction.execute(
            """
            INSERT INTO ticket_contacts AS c (interaction_id, ticket_id, opened)
            SELECT * FROM jsonb_to_recordset(\(try RowSet.json(Array(merged.values)))::jsonb)
                AS r(interaction_id text, ticket_id text, opened boolean)
            ON CONFLICT (interaction_id, ticket_id) DO UPDATE SET opened = c.opened OR EXCLUDED.opened
            """)
    }
}
