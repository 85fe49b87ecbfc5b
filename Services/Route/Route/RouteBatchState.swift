import Foundation
import VOCSchema
import VOCStore

/// What a batch works on, in memory: the tickets of its customers it may touch, their
/// owners, and the changes it has made and not yet written.
///
/// The batch reads what it needs in a few queries at the start and writes tickets and
/// outbox rows in one statement each at the end, so an insight costs no round trip of
/// its own. An insight sees the changes of the inputs before it: the state is the same
/// as that of applying them one by one.
struct RouteBatchState {
    /// Owners by customer; an entry set to nil is read again when needed (an update in
    /// the batch changed it).
    var owners: [String: CustomerOwners?] = [:]
    var tickets: [String: Ticket] = [:]
    var ticketsByCustomer: [String: [String]] = [:]
    /// Pauses of the loaded tickets; an open one has no end.
    var pauses: [String: [(Date, Date?)]] = [:]
    /// Tickets whose row exists: a change updates them, the others are inserted.
    var stored: Set<String> = []
    /// Tickets changed since the last write, in the order of their first change.
    var changed: [String] = []
    var changedSet: Set<String> = []
    var rows: [Outbox.Row] = []

    /// Reads what the insights of a batch may touch: the owners of their customers, and
    /// their unsettled tickets inside the open window and resolved tickets inside the
    /// confirmation window of the earliest insight, and the tickets they answer by
    /// `replyTo`, locked.
    static func load(_ insights: [InsightProduced], book: RoutingBook, in transaction: StoreTransaction) async throws -> RouteBatchState {
        var state = RouteBatchState()
        let customers = Set(insights.map(\.customerId)).sorted()
        guard let earliest = insights.map(\.occurredAt).min() else { return state }
        state.owners = try await CustomerOwners.load(customers, in: transaction).mapValues { $0 }
        for id in customers where state.owners[id] == nil { state.owners[id] = .some(nil) }
        let window = book.rules.openWindow
        let open = try await TicketRepository.open(customerIds: customers, since: earliest.addingTimeInterval(-window), in: transaction)
        let resolved = try await TicketRepository.resolved(
            customerIds: customers, since: earliest.addingTimeInterval(-book.rules.confirmationWindow), in: transaction)
        let answered = try await TicketRepository.load(Set(insights.compactMap(\.replyTo)).sorted(), in: transaction)
        for ticket in open + resolved + answered { state.remember(ticket) }
        state.pauses = try await TicketRepository.pauses(Array(state.stored), in: transaction)
        return state
    }

    /// Adds a ticket read from the database.
    mutating func remember(_ ticket: Ticket) {
        guard tickets[ticket.ticketId] == nil else { return }
        tickets[ticket.ticketId] = ticket
        ticketsByCustomer[ticket.customerId, default: []].append(ticket.ticketId)
        stored.insert(ticket.ticketId)
    }

    /// Records a new or changed ticket and the rows that report the change.
    mutating func put(_ ticket: Ticket, rows: [Outbox.Row]) {
        if tickets.updateValue(ticket, forKey: ticket.ticketId) == nil {
            ticketsByCustomer[ticket.customerId, default: []].append(ticket.ticketId)
        }
        if changedSet.insert(ticket.ticketId).inserted { changed.append(ticket.ticketId) }
        self.rows.append(contentsOf: rows)
    }

    /// The customer's latest unsettled ticket about `category` opened at or after `since`.
    func openTicket(customerId: String, category: String, since: Date) -> Ticket? {
        (ticketsByCustomer[customerId] ?? []).compactMap { tickets[$0] }
            .filter { $0.category == category && $0.openedAt >= since && !$0.isSettled }
            .max { ($0.openedAt, $0.ticketId) < ($1.openedAt, $1.ticketId) }
    }

    /// The customer's most recently resolved ticket, resolved at or after `since`.
    func resolvedTicket(customerId: String, since: Date) -> Ticket? {
        (ticketsByCustomer[customerId] ?? []).compactMap { tickets[$0] }
            .filter { $0.status == .resolved && ($0.resolvedAt ?? .distantPast) >= since }
            .max { ($0.resolvedAt ?? .distantPast, $0.ticketId) < ($1.resolvedAt ?? .distantPast, $1.ticketId) }
    }

    /// The ticket's pauses, an open one ending at `openEnd`.
    func pauses(of ticketId: String, openEnd: Date) -> [DateInterval] {
        (pauses[ticketId] ?? []).map { DateInterval(start: $0.0, end: max($0.0, $0.1 ?? openEnd)) }
    }

    /// Writes the changed tickets (one insert, one update) and the queued rows (one
    /// insert), in that order.
    mutating func write(in transaction: StoreTransaction) async throws {
        let changedTickets = changed.compactMap { tickets[$0] }
        try await TicketRepository.insert(changedTickets.filter { !stored.contains($0.ticketId) }, in: transaction)
        try await TicketRepository.update(changedTickets.filter { stored.contains($0.ticketId) }, in: transaction)
        try await Outbox.insert(rows, in: transaction)
        stored.formUnion(changed)
        changed = []
        changedSet = []
        rows = []
    }
}
