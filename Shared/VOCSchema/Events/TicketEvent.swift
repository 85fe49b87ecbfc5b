import Foundation

/// A change of a work order's state, owned by route (`voc.ticket.event.v1`, key: ticket id).
public struct TicketEvent: VOCEvent {
    public static let topic = Topic.ticketEvent

    public enum Kind: OpenEnum {
        case opened, assigned, escalated, slaBreached, resolved
        case customerConfirmed, reopened, closed, commented
        /// A kind added after this build, carried as sent.
        case unknown(String)

        public static let known: [Kind] = [
            .opened, .assigned, .escalated, .slaBreached, .resolved, .customerConfirmed, .reopened, .closed, .commented,
        ]

        public init(rawValue: String) {
            switch rawValue {
            case "opened": self = .opened
            case "assigned": self = .assigned
            case "escalated": self = .escalated
            case "sla_breached": self = .slaBreached
            case "resolved": self = .resolved
            case "customer_confirmed": self = .customerConfirmed
            case "reopened": self = .reopened
            case "closed": self = .closed
            case "commented": self = .commented
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .opened: "opened"
            case .assigned: "assigned"
            case .escalated: "escalated"
            case .slaBreached: "sla_breached"
            case .resolved: "resolved"
            case .customerConfirmed: "customer_confirmed"
            case .reopened: "reopened"
            case .closed: "closed"
            case .commented: "commented"
            case .unknown(let raw): raw
            }
        }
    }

    public enum Status: OpenEnum {
        case open, inProgress, resolved, closed
        /// A status added after this build, carried as sent.
        case unknown(String)

        public static let known: [Status] = [.open, .inProgress, .resolved, .closed]

        public init(rawValue: String) {
            switch rawValue {
            case "open": self = .open
            case "in_progress": self = .inProgress
            case "resolved": self = .resolved
            case "closed": self = .closed
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .open: "open"
            case .inProgress: "in_progress"
            case .resolved: "resolved"
            case .closed: "closed"
            case .unknown(let raw): raw
            }
        }
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
