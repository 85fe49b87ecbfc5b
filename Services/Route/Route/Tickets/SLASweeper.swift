import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VOCSchema
import VOCStore

/// Watches due times: a warning to the assignee (or the first of the escalation chain)
/// before the resolution target, and on a breach the ticket is escalated and the chain
/// told step by step — the team lead when the resolution target passes, the department
/// head when the regulatory deadline does. Resolved tickets left unanswered past the
/// confirmation window are closed, and provisional due times are recomputed once the
/// holiday file covers their year.
public final class SLASweeper: Service, Sendable {
    private let store: Store
    private let books: RoutingBookStore
    private let interval: Duration
    private let logger: Logger
    private let breaches = Counter(label: "voc_route_sla_breaches_total")

    public init(store: Store, books: RoutingBookStore, interval: Duration = .seconds(30), logger: Logger) {
        self.store = store
        self.books = books
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await sweep(at: Date())
            } catch {
                logger.warning("SLA sweep failed, will retry", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Acts on every ticket whose warning, resolution, regulatory or confirmation time has passed at `now`.
    /// - Returns: how many tickets were acted on.
    @discardableResult
    public func sweep(at now: Date) async throws -> Int {
        let book = books.current()
        return try await store.transaction { transaction in
            let tickets = try await TicketRepository.due(at: now, in: transaction)
            for var ticket in tickets {
                let chain = book.directory.department(ticket.department)?.escalation ?? []
                if !ticket.warned, let warnAt = ticket.warnAt, warnAt <= now {
                    ticket.warned = true
                    if let recipient = ticket.assigneeId ?? chain.first {
                        try await Outbox.append(
                            Self.notice(ticket, to: recipient, role: ticket.assigneeId == nil ? "manager" : "assignee", step: "warning",
                                        title: "工单 \(ticket.ticketId) 即将超时", at: now),
                            in: transaction)
                    }
                }
                var steps: [(String, String)] = []
                if !ticket.breached, let due = ticket.resolutionDueAt, due <= now {
                    ticket.breached = true
                    steps.append(("breach", "resolution target passed at \(Timestamp.format(due))"))
                }
                if ticket.escalationLevel < 2, let due = ticket.regulatoryDueAt, due <= now {
                    steps.append(("regulatory", "regulatory decision deadline passed at \(Timestamp.format(due))"))
                }
                for (step, reason) in steps {
                    breaches.increment()
                    ticket.escalationLevel = step == "regulatory" ? 2 : max(ticket.escalationLevel, 1)
                    if let status = TicketLifecycle.next(from: ticket.status, .escalate(reason: reason)) { ticket.status = status }
                    ticket.version += 1
                    try await Outbox.append(ticket.event(.slaBreached, at: now, note: reason), ticketId: ticket.ticketId,
                                            in: transaction)
                    let index = min(ticket.escalationLevel - 1, chain.count - 1)
                    if index >= 0 {
                        try await Outbox.append(
                            Self.notice(ticket, to: chain[index], role: "manager", step: step,
                                        title: "工单 \(ticket.ticketId) 已超时升级：\(reason)", at: now),
                            in: transaction)
                    }
                }
                try await TicketRepository.update(ticket, in: transaction)
            }
            let closed = try await ClosedLoop.closeUnanswered(at: now, book: book, in: transaction)
            let recomputed = try await Self.recomputeProvisional(book: book, at: now, in: transaction)
            return tickets.count + closed + recomputed
        }
    }

    /// Plans provisional due times again; those the holiday file now covers are stored
    /// and announced (`commented`), the rest wait for the file to gain their year.
    static func recomputeProvisional(book: RoutingBook, at now: Date, in transaction: StoreTransaction) async throws -> Int {
        var changed = 0
        for var ticket in try await TicketRepository.provisional(in: transaction) {
            let pauses = try await TicketRepository.pauses(ticket.ticketId, openEnd: now, in: transaction)
            SLAPlanner(book: book).plan(&ticket, pauses: pauses, regulatory: ticket.regulatoryDueAt != nil)
            guard !ticket.slaProvisional else { continue }
            ticket.version += 1
            try await TicketRepository.update(ticket, in: transaction)
            try await Outbox.append(
                ticket.event(.commented, at: now, note: "due times recomputed: the holiday file now covers their year"),
                ticketId: ticket.ticketId, in: transaction)
            changed += 1
        }
        return changed
    }

    static func notice(_ ticket: Ticket, to recipient: String, role: String, step: String, title: String,
                       at now: Date) -> NotificationRequested {
        let key = "sla:\(ticket.ticketId):\(step):\(recipient)"
        return NotificationRequested(
            notificationId: StableID.make("sla-notice", key), idempotencyKey: key,
            recipient: .init(role: role, id: recipient), medium: .inbox, title: title,
            body: "department: \(ticket.department)\npriority: \(ticket.priority)\nstatus: \(ticket.status.rawValue)"
                + "\ndue: \(ticket.resolutionDueAt.map(Timestamp.format) ?? "paused")",
            ticketId: ticket.ticketId, customerId: ticket.customerId, requestedAt: now,
            kind: step == "warning" ? "sla_warning" : "escalation", urgent: step != "warning")
    }
}
