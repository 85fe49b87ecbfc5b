import Foundation
import VOCSchema
import VOCStore

/// Changes tickets on behalf of people and the closed loop: each change checks the life
/// cycle and the caller's version, updates the row and queues its event in one
/// transaction.
public struct TicketService: Sendable {
    let store: Store
    let books: RoutingBookStore

    public init(store: Store, books: RoutingBookStore) {
        self.store = store
        self.books = books
    }

    public func ticket(_ ticketId: String) async throws -> Ticket? {
        try await TicketRepository.load(ticketId, in: store)
    }

    public func history(_ ticketId: String) async throws -> [TicketEvent] {
        try await TicketRepository.history(ticketId, in: store)
    }

    public func list(department: String?, status: String?, limit: Int) async throws -> [Ticket] {
        try await TicketRepository.list(department: department, status: status, limit: limit, in: store)
    }

    /// Applies `action` to the ticket.
    /// - Parameter expectedVersion: the version the caller read (`If-Match`); nil skips the check.
    /// - Throws: ``RouteError`` `.notFound`, `.conflict` when the ticket moved on since
    ///   `expectedVersion`, `.transition` when the life cycle does not allow the action.
    @discardableResult
    public func apply(_ action: TicketAction, to ticketId: String, expectedVersion: Int? = nil,
                      at now: Date = Date()) async throws -> Ticket {
        let book = books.current()
        // The client wraps what a transaction body throws; a refusal is carried out of it
        // as a value, so callers see the RouteError itself.
        let outcome: Result<Ticket, RouteError> = try await store.transaction { transaction in
            guard var ticket = try await TicketRepository.load(ticketId, in: transaction, lock: true) else {
                return .failure(RouteError(.notFound, "ticket \(ticketId) does not exist"))
            }
            if let expectedVersion, expectedVersion != ticket.version {
                return .failure(RouteError(.conflict, "ticket \(ticketId) is at version \(ticket.version), not \(expectedVersion)"))
            }
            guard let status = TicketLifecycle.next(from: ticket.status, action) else {
                return .failure(RouteError(.transition, "a ticket that is \(ticket.status.rawValue) cannot take \(action.kind.rawValue)"))
            }
            try await Self.perform(action, on: &ticket, to: status, book: book, at: now, in: transaction)
            return .success(ticket)
        }
        return try outcome.get()
    }

    /// Makes an allowed move on a locked ticket inside `transaction`: the row and the
    /// event recording the move change together.
    static func perform(_ action: TicketAction, on ticket: inout Ticket, to status: TicketEvent.Status, book: RoutingBook,
                        at now: Date, in transaction: StoreTransaction) async throws {
        var pauses: [DateInterval] = []
        switch action {
        case .waitOnCustomer:
            try await transaction.execute(
                "INSERT INTO ticket_pauses (ticket_id, started_at) VALUES (\(ticket.ticketId), \(now)) ON CONFLICT DO NOTHING")
        case .resume:
            try await Self.endPause(ticket.ticketId, at: now, in: transaction)
            pauses = try await TicketRepository.pauses(ticket.ticketId, openEnd: now, in: transaction)
        case .resolve:
            try await Self.endPause(ticket.ticketId, at: now, in: transaction)
        default:
            break
        }
        let rows = try change(action, on: &ticket, to: status, book: book, at: now, pauses: pauses)
        try await TicketRepository.update(ticket, in: transaction)
        try await Outbox.insert(rows, in: transaction)
    }

    /// The move itself, on the ticket in memory: its fields, and the outbox rows that
    /// record it (resolving also asks the customer to confirm: the closed loop). What the
    /// move does to `ticket_pauses` is the caller's; `pauses` are the ticket's pauses
    /// after it, which resuming plans the due times around.
    static func change(_ action: TicketAction, on ticket: inout Ticket, to status: TicketEvent.Status, book: RoutingBook,
                       at now: Date, pauses: [DateInterval] = [], note extra: String? = nil) throws -> [Outbox.Row] {
        var note: String?
        switch action {
        case .assign(let assignee):
            ticket.assigneeId = assignee
        case .start:
            if ticket.firstRespondedAt == nil { ticket.firstRespondedAt = now }
        case .waitOnCustomer:
            // The clock stands still: no due time until the customer answers.
            ticket.resolutionDueAt = nil
            ticket.warnAt = nil
        case .resume:
            ticket.status = status
            SLAPlanner(book: book).plan(&ticket, pauses: pauses, regulatory: ticket.regulatoryDueAt != nil)
        case .resolve(let code):
            ticket.resolutionCode = code
            ticket.resolvedAt = now
            if ticket.firstRespondedAt == nil { ticket.firstRespondedAt = now }
        case .reopen(let reason), .escalate(let reason), .comment(let reason):
            note = reason
            if case .escalate = action { ticket.escalationLevel += 1 }
        case .confirm, .close:
            break
        }
        ticket.status = status
        ticket.version += 1
        var rows = [try Outbox.row(ticket.event(action.kind, at: now, note: extra ?? note), ticketId: ticket.ticketId)]
        if case .resolve = action {
            rows.append(try Outbox.row(ClosedLoop.confirmationRequest(ticket, book: book)))
        }
        return rows
    }

    static func endPause(_ ticketId: String, at now: Date, in transaction: StoreTransaction) async throws {
        try await transaction.execute(
            "UPDATE ticket_pauses SET ended_at = \(now) WHERE ticket_id = \(ticketId) AND ended_at IS NULL")
    }
}
