import Foundation
import VOCSchema
import VOCStore

/// Where a ticket stands against its resolution due time.
public enum SLAState: String, Codable, Sendable, CaseIterable {
    /// A breach was reported, or the due time passed while it is open.
    case breached
    /// Open, due within the due-soon window.
    case dueSoon = "due_soon"
    /// Open, due later.
    case onTrack = "on_track"
    /// Resolved, confirmed or closed without a breach.
    case met
    /// Open without a due time (waiting on the customer, or no SLA).
    case none
}

/// A ticket as the queue shows it.
public struct QueueTicket: Codable, Sendable, Equatable {
    public var ticketId: String
    public var customerId: String
    public var businessLine: String
    public var category: String
    public var department: String
    public var priority: String
    public var status: String
    public var sla: SLAState
    public var assigneeId: String?
    public var openedAt: Date?
    public var updatedAt: Date
    public var dueAt: Date?
    public var firstResponseDueAt: Date?
    public var regulatoryDueAt: Date?
    public var resolvedAt: Date?
    public var closedAt: Date?
    public var slaProvisional: Bool
    public var breached: Bool
    public var repeatCount: Int
    public var reopenCount: Int
    public var resolutionCode: String?
    public var interactionId: String?
}

public struct TicketQueuePage: Codable, Sendable, Equatable {
    public var tickets: [QueueTicket]
    public var nextCursor: String?
}

/// Filters of the queue; nil means any.
public struct TicketQuery: Sendable, Equatable {
    public var department: String?
    public var status: String?
    public var sla: SLAState?
    public var businessLine: String?
    public var open: Bool?
    public var limit: Int
    public var after: KeysetCursor?

    public init(department: String? = nil, status: String? = nil, sla: SLAState? = nil, businessLine: String? = nil,
                open: Bool? = nil, limit: Int = 50, after: KeysetCursor? = nil) {
        self.department = department
        self.status = status
        self.sla = sla
        self.businessLine = businessLine
        self.open = open
        self.limit = limit
        self.after = after
    }
}

/// The ticket queue: by department, status and SLA state, most urgent first.
public struct TicketQueueRepository: Sendable {
    let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// A page of the queue `scope` may see, ordered by resolution due time (none last), then id.
    /// - Parameter dueSoon: how close to its due time an open ticket is `due_soon`.
    public func page(_ query: TicketQuery, scope: TicketScope, now: Date = Date(), dueSoon: TimeInterval) async throws -> TicketQueuePage {
        var department = query.department
        var owner: (advisor: String?, manager: String?) = (nil, nil)
        switch scope {
        case .all: break
        case .department(let own): department = own
        case .customersOf(let customers):
            let binds = customers.binds
            owner = (binds.advisor, binds.manager)
            if let id = binds.department { department = id }
        }
        let afterDue = query.after.flatMap { $0.values[0] == "inf" ? nil : KeysetCursor.date($0.values[0]) }
        let afterID = query.after?.values[1] ?? ""
        let hasCursor = query.after != nil
        let sla = query.sla?.rawValue
        let soon = now.addingTimeInterval(dueSoon)
        // Parameters of an unnamed statement are known when it is planned: the filters not
        // asked for fold away, and the department queue runs on its index in due order.
        let rows = try await store.rows(
            """
            SELECT ticket_id, customer_id, business_line, category, department, priority, status, assignee_id, opened_at, updated_at,
                   due_at, first_response_due_at, regulatory_due_at, resolved_at, closed_at, sla_provisional, breached, repeat_count,
                   reopen_count, resolution_code, interaction_id,
                   CASE WHEN breached OR (is_open AND due_at < \(now)) THEN 'breached'
                        WHEN NOT is_open THEN 'met'
                        WHEN due_at IS NULL THEN 'none'
                        WHEN due_at < \(soon) THEN 'due_soon'
                        ELSE 'on_track' END
            FROM ticket_queue
            WHERE (\(department)::text IS NULL OR department = \(department))
              AND (\(owner.advisor)::text IS NULL
                   OR customer_id IN (SELECT customer_id FROM customer_profiles WHERE advisor_id = \(owner.advisor)))
              AND (\(owner.manager)::text IS NULL
                   OR customer_id IN (SELECT customer_id FROM customer_profiles WHERE relationship_manager_id = \(owner.manager)))
              AND (\(query.status)::text IS NULL OR status = \(query.status))
              AND (\(query.businessLine)::text IS NULL OR business_line = \(query.businessLine))
              AND (\(query.open)::boolean IS NULL OR is_open = \(query.open))
              AND (\(sla)::text IS NULL
                   OR (\(sla) = 'breached' AND (breached OR (is_open AND due_at < \(now))))
                   OR (\(sla) = 'met' AND NOT is_open AND NOT breached)
                   OR (\(sla) = 'none' AND is_open AND NOT breached AND due_at IS NULL)
                   OR (\(sla) = 'due_soon' AND is_open AND NOT breached AND due_at >= \(now) AND due_at < \(soon))
                   OR (\(sla) = 'on_track' AND is_open AND NOT breached AND due_at >= \(soon)))
              AND (NOT \(hasCursor) OR (due_key, ticket_id) > (COALESCE(\(afterDue)::timestamptz, 'infinity'), \(afterID)))
            ORDER BY due_key, ticket_id
            LIMIT \(query.limit + 1)
            """, as: String.self, String.self, String.self, String.self, String.self, String.self, String.self, String?.self, Date?.self,
            Date.self, Date?.self, Date?.self, Date?.self, Date?.self, Date?.self, Bool.self, Bool.self, Int.self, Int.self, String?.self,
            String?.self, String.self)
        var tickets = rows.map(Self.ticket)
        var next: String?
        if tickets.count > query.limit {
            tickets.removeLast()
            next = tickets.last.map { KeysetCursor([$0.dueAt.map(KeysetCursor.micros) ?? "inf", $0.ticketId]).text }
        }
        return TicketQueuePage(tickets: tickets, nextCursor: next)
    }

    /// A customer's tickets, open ones first, newest first.
    public func tickets(ofCustomer customerId: String, limit: Int, now: Date = Date(), dueSoon: TimeInterval) async throws -> [QueueTicket] {
        let soon = now.addingTimeInterval(dueSoon)
        return try await store.rows(
            """
            SELECT ticket_id, customer_id, business_line, category, department, priority, status, assignee_id, opened_at, updated_at,
                   due_at, first_response_due_at, regulatory_due_at, resolved_at, closed_at, sla_provisional, breached, repeat_count,
                   reopen_count, resolution_code, interaction_id,
                   CASE WHEN breached OR (is_open AND due_at < \(now)) THEN 'breached'
                        WHEN NOT is_open THEN 'met'
                        WHEN due_at IS NULL THEN 'none'
                        WHEN due_at < \(soon) THEN 'due_soon'
                        ELSE 'on_track' END
            FROM ticket_queue WHERE customer_id = \(customerId)
            ORDER BY is_open DESC, opened_at DESC NULLS LAST, ticket_id LIMIT \(limit)
            """, as: String.self, String.self, String.self, String.self, String.self, String.self, String.self, String?.self, Date?.self,
            Date.self, Date?.self, Date?.self, Date?.self, Date?.self, Date?.self, Bool.self, Bool.self, Int.self, Int.self, String?.self,
            String?.self, String.self
        ).map(Self.ticket)
    }

    typealias Row = (String, String, String, String, String, String, String, String?, Date?, Date, Date?, Date?, Date?, Date?, Date?,
                     Bool, Bool, Int, Int, String?, String?, String)

    static func ticket(_ r: Row) -> QueueTicket {
        QueueTicket(ticketId: r.0, customerId: r.1, businessLine: r.2, category: r.3, department: r.4, priority: r.5, status: r.6,
                    sla: SLAState(rawValue: r.21) ?? .none, assigneeId: r.7, openedAt: r.8, updatedAt: r.9, dueAt: r.10,
                    firstResponseDueAt: r.11, regulatoryDueAt: r.12, resolvedAt: r.13, closedAt: r.14, slaProvisional: r.15,
                    breached: r.16, repeatCount: r.17, reopenCount: r.18, resolutionCode: r.19, interactionId: r.20)
    }
}
