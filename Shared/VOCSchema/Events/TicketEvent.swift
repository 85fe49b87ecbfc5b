import Foundation

/// A change of a work order's state, owned by route (`voc.ticket.event.v1`, key: ticket id).
public struct TicketEvent: VOCEvent {
    public static let topic = Topic.ticketEvent

    public enum Kind: OpenEnum {
        case opened, assigned, escalated, slaBreached, resolved
        case customerConfirmed, reopened, closed, commented
        /// Work started (`in_progress`).
        case started
        /// A repeat contact about the same issue attached to the open ticket.
        case repeatContact
        /// The SLA clock paused while the customer is asked for something, and resumed.
        case waitingOnCustomer, resumed
        /// A kind added after this build, carried as sent.
        case unknown(String)

        public static let known: [Kind] = [
            .opened, .assigned, .escalated, .slaBreached, .resolved, .customerConfirmed, .reopened, .closed, .commented,
            .started, .repeatContact, .waitingOnCustomer, .resumed,
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
            case "started": self = .started
            case "repeat_contact": self = .repeatContact
            case "waiting_on_customer": self = .waitingOnCustomer
            case "resumed": self = .resumed
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
            case .started: "started"
            case .repeatContact: "repeat_contact"
            case .waitingOnCustomer: "waiting_on_customer"
            case .resumed: "resumed"
            case .unknown(let raw): raw
            }
        }
    }

    public enum Status: OpenEnum {
        case open, inProgress, resolved, closed
        case assigned, waitingOnCustomer, confirmed, reopened, escalated
        /// A status added after this build, carried as sent.
        case unknown(String)

        public static let known: [Status] = [
            .open, .assigned, .inProgress, .waitingOnCustomer, .resolved, .confirmed, .closed, .reopened, .escalated,
        ]

        public init(rawValue: String) {
            switch rawValue {
            case "open": self = .open
            case "in_progress": self = .inProgress
            case "resolved": self = .resolved
            case "closed": self = .closed
            case "assigned": self = .assigned
            case "waiting_on_customer": self = .waitingOnCustomer
            case "confirmed": self = .confirmed
            case "reopened": self = .reopened
            case "escalated": self = .escalated
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .open: "open"
            case .inProgress: "in_progress"
            case .resolved: "resolved"
            case .closed: "closed"
            case .assigned: "assigned"
            case .waitingOnCustomer: "waiting_on_customer"
            case .confirmed: "confirmed"
            case .reopened: "reopened"
            case .escalated: "escalated"
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
    /// First-response target in business time. Added in v1, optional.
    public var firstResponseDueAt: Date?
    /// The regulatory decision deadline for a consumer complaint. Added in v1, optional.
    public var regulatoryDueAt: Date?
    /// Due times computed for a year the holiday file does not cover yet. Added in v1, optional.
    public var slaProvisional: Bool?
    /// Contacts about this issue after the first. Added in v1, optional.
    public var repeatCount: Int?
    /// Set on `resolved`. Added in v1, optional.
    public var resolutionCode: String?
    /// The handling agent resolved it in the contact, within their authority. Added in v1, optional.
    public var resolvedAtFirstContact: Bool?
    /// The agent resolved it in the contact above their authority: it waits for approval
    /// (resolving it approves). Added in v1, optional.
    public var approvalRequired: Bool?

    public init(eventId: String, ticketId: String, sequence: Int, kind: Kind, status: Status, customerId: String,
                businessLine: String, category: String, department: String, priority: String, assigneeId: String? = nil,
                insightId: String? = nil, interactionId: String? = nil, dueAt: Date? = nil, note: String? = nil,
                occurredAt: Date, firstResponseDueAt: Date? = nil, regulatoryDueAt: Date? = nil, slaProvisional: Bool? = nil,
                repeatCount: Int? = nil, resolutionCode: String? = nil, resolvedAtFirstContact: Bool? = nil,
                approvalRequired: Bool? = nil) {
        self.eventId = eventId
        self.ticketId = ticketId
        self.sequence = sequence
        self.kind = kind
        self.status = status
        self.customerId = customerId
        self.businessLine = businessLine
        self.category = category
        self.department = department
        self.priority = priority
        self.assigneeId = assigneeId
        self.insightId = insightId
        self.interactionId = interactionId
        self.dueAt = dueAt
        self.note = note
        self.occurredAt = occurredAt
        self.firstResponseDueAt = firstResponseDueAt
        self.regulatoryDueAt = regulatoryDueAt
        self.slaProvisional = slaProvisional
        self.repeatCount = repeatCount
        self.resolutionCode = resolutionCode
        self.resolvedAtFirstContact = resolvedAtFirstContact
        self.approvalRequired = approvalRequired
    }

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
