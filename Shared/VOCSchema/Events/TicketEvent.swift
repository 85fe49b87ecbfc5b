import Foundation

/// A change of a work order's state, owned by route (`voc.ticket.event.v1`, key: ticket id).
public struct TicketEvent: VOCEvent {
    public static let topic = Topic.ticketEvent

    public enum Kind: String, Codable, Sendable, CaseIterable {
        case opened, assigned, escalated, slaBreached = "sla_breached", resolved
        case customerConfirmed = "customer_confirmed", reopened, closed, commented
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case open, inProgress = "in_progress", resolved, closed
    }

    public var eventId: String
    /// Derived from the customer, category and open window: one complaint, one ticket.
    public var ticketId: String
    /// Position in the ticket's history, from 1; consumers ignore older ones.
    public var sequence: Int
    public var kind: Kind
    public var status: Status
    public var customerId: String
    public var businessLine: String
    public var category: String
    public var department: String
    public var priority: String
    public var assigneeId: String?
    public var insightId: String?
    public var interactionId: String?
    public var dueAt: Date?
    public var note: String?
    public var occurredAt: Date

    public var subject: String { ticketId }
    public var eventTime: Date { occurredAt }

    public func validate() throws(ValidationError) {
        var check = FieldChecker()
        check.identifier(eventId, "eventId")
        check.identifier(ticketId, "ticketId")
        check.identifier(customerId, "customerId")
        check.identifier(category, "category")
        check.identifier(department, "department")
        if sequence < 1 { check.fail("sequence", "must be at least 1") }
        try check.throwIfAny()
    }
}
