import Foundation
import VOCSchema

/// A work order as route keeps it.
public struct Ticket: Codable, Sendable, Equatable {
    public var ticketId: String
    public var customerId: String
    public var businessLine: String
    public var category: String
    public var department: String
    public var priority: String
    public var status: TicketEvent.Status
    public var assigneeId: String?
    public var ruleId: String
    public var rulesVersion: String
    public var slaPolicy: String
    public var openedAt: Date
    public var firstResponseDueAt: Date?
    public var resolutionDueAt: Date?
    public var regulatoryDueAt: Date?
    public var warnAt: Date?
    public var slaProvisional: Bool
    public var firstRespondedAt: Date?
    /// When it was last resolved; the closed loop waits for the customer from then.
    public var resolvedAt: Date?
    public var repeatCount: Int
    public var escalationLevel: Int
    public var warned: Bool
    public var breached: Bool
    public var resolutionCode: String?
    public var firstInsightId: String
    public var lastInsightId: String
    public var lastInteractionId: String?
    /// Sequence of the ticket's last event; the API's ETag.
    public var version: Int
    /// The handling agent resolved it in the contact, within their authority.
    public var resolvedAtFirstContact: Bool = false
    /// The handling agent resolved it in the contact above their authority: resolving the
    /// ticket is the approval.
    public var approvalRequired: Bool = false
    /// The agent who handled the contact that opened it, when it was resolved there.
    public var handledBy: String?

    /// Whether work on it is over (its SLA clocks no longer run).
    public var isSettled: Bool {
        [.resolved, .confirmed, .closed].contains(status)
    }

    /// The event recording the ticket as it now stands, numbered `version`.
    func event(_ kind: TicketEvent.Kind, at time: Date, note: String? = nil) -> TicketEvent {
        TicketEvent(
            eventId: StableID.make("ticket-event", ticketId, String(version)), ticketId: ticketId, sequence: version,
            kind: kind, status: status, customerId: customerId, businessLine: businessLine, category: category,
            department: department, priority: priority, assigneeId: assigneeId, insightId: lastInsightId,
            interactionId: lastInteractionId, dueAt: resolutionDueAt, note: note, occurredAt: time,
            firstResponseDueAt: firstResponseDueAt, regulatoryDueAt: regulatoryDueAt, slaProvisional: slaProvisional,
            repeatCount: repeatCount, resolutionCode: resolutionCode, resolvedAtFirstContact: resolvedAtFirstContact ? true : nil,
            approvalRequired: approvalRequired ? true : nil)
    }
}

/// What a person (or the closed loop) does to a ticket.
public enum TicketAction: Sendable, Equatable {
    case assign(String)
    case start
    case waitOnCustomer
    case resume
    case resolve(code: String)
    case confirm
    case reopen(reason: String)
    case close
    case escalate(reason: String)
    case comment(String)

    /// The event kind that records it.
    var kind: TicketEvent.Kind {
        switch self {
        case .assign: .assigned
        case .start: .started
        case .waitOnCustomer: .waitingOnCustomer
        case .resume: .resumed
        case .resolve: .resolved
        case .confirm: .customerConfirmed
        case .reopen: .reopened
        case .close: .closed
        case .escalate: .escalated
        case .comment: .commented
        }
    }
}

/// Which actions the life cycle allows from which status:
/// `open → assigned → in_progress → resolved → confirmed → closed`, with
/// `waiting_on_customer` (the SLA clock pauses), `reopened` and `escalated`.
public enum TicketLifecycle {
    /// The status after `action`, or nil when the life cycle does not allow it.
    public static func next(from status: TicketEvent.Status, _ action: TicketAction) -> TicketEvent.Status? {
        let working: [TicketEvent.Status] = [.open, .assigned, .inProgress, .reopened, .escalated]
        switch action {
        case .assign:
            return working.contains(status) ? .assigned : nil
        case .start:
            return [.assigned, .reopened, .escalated].contains(status) ? .inProgress : nil
        case .waitOnCustomer:
            return [.assigned, .inProgress, .escalated, .reopened].contains(status) ? .waitingOnCustomer : nil
        case .resume:
            return status == .waitingOnCustomer ? .inProgress : nil
        case .resolve:
            return (working + [.waitingOnCustomer]).contains(status) ? .resolved : nil
        case .confirm:
            return status == .resolved ? .confirmed : nil
        case .reopen:
            return [.resolved, .confirmed].contains(status) ? .reopened : nil
        case .close:
            return [.resolved, .confirmed].contains(status) ? .closed : nil
        case .escalate:
            return (working + [.waitingOnCustomer]).contains(status) ? .escalated : nil
        case .comment:
            return status == .closed ? nil : status
        }
    }
}
