import Foundation
import VOCKafka
import VOCSchema
import VOCStore

/// The work of one transaction of the route stage: a batch of inputs applied in order,
/// each once, with the tickets and outbox rows they cause.
struct RouteBatch: Sendable {
    let book: RoutingBook
    let now: Date

    struct Failure: Sendable {
        var input: RouteInput
        var record: ConsumerRecord
        var error: any Error
    }

    /// What a committed batch did.
    struct Outcome: Sendable {
        var tickets: [String: Ticket] = [:]
        var opened = 0
        var attached = 0
        var provisional = 0
        var failures: [Failure] = []
        /// Whether any row went into the outbox.
        var queued = false

        mutating func merge(_ other: Outcome) {
            tickets.merge(other.tickets) { $1 }
            opened += other.opened
            attached += other.attached
            provisional += other.provisional
            failures += other.failures
            queued = queued || other.queued
        }
    }

    /// Applies `inputs` in `transaction`, in order.
    /// - Parameter isolating: run each input in a savepoint, writing what it changed
    ///   before the savepoint is released; one that fails with an error retrying cannot
    ///   fix is undone, loses its apply-once row, and is dead-lettered through the outbox
    ///   (or, with no record to dead-letter, its error is thrown). Without it the whole
    ///   batch is written at the end.
    func apply(_ inputs: [RouteInput], isolating: Bool, in transaction: StoreTransaction) async throws -> Outcome {
        var outcome = Outcome()
        // The apply-once rows of the whole batch in one statement: those it inserts are new.
        var fresh = Set(try await transaction.rows(
            """
            INSERT INTO applied_events (consumer, event_id)
            SELECT * FROM unnest(\(inputs.map(\.consumer))::text[], \(inputs.map(\.eventId))::text[])
            ON CONFLICT DO NOTHING RETURNING consumer, event_id
            """, as: String.self, String.self).map { Self.key($0.0, $0.1) })
        let insights = inputs.compactMap { input -> InsightProduced? in
            if case .insight(let insight, _) = input.kind, fresh.contains(Self.key(input.consumer, input.eventId)) { insight } else { nil }
        }
        var state = try await RouteBatchState.load(insights, book: book, in: transaction)

        for input in inputs {
            // A second copy of an input in the same batch is applied once.
            guard fresh.remove(Self.key(input.consumer, input.eventId)) != nil else { continue }
            guard isolating else {
                try await apply(input, state: &state, outcome: &outcome, in: transaction)
                continue
            }
            let before = state
            var step = Outcome()
            let error = try await transaction.savepoint("route_input") {
                try await apply(input, state: &state, outcome: &step, in: transaction)
                try await state.write(in: transaction)
            }
            guard let error else {
                outcome.merge(step)
                continue
            }
            guard let record = input.record else { throw error }
            state = before
            try await transaction.execute(
                "DELETE FROM applied_events WHERE consumer = \(input.consumer) AND event_id = \(input.eventId)")
            let letter = DeadLetter(
                stage: RouteHandler.stage, originalTopic: record.topic, partition: record.partition, offset: record.offset,
                key: record.key, headers: record.headerPairs, value: record.value, error: String(describing: error),
                reason: .failed, attempts: 1, failedAt: now)
            try await Outbox.append(letter, traceparent: TraceContext.child(of: record.header("traceparent")), in: transaction)
            outcome.failures.append(Failure(input: input, record: record, error: error))
            outcome.queued = true
        }
        if !isolating { try await state.write(in: transaction) }
        return outcome
    }

    private func apply(_ input: RouteInput, state: inout RouteBatchState, outcome: inout Outcome,
                       in transaction: StoreTransaction) async throws {
        switch input.kind {
        case .customer(let update):
            state.owners[update.customerId] = nil
            try await CustomerOwners.apply(update, in: transaction)
        case .insight(let insight, let traceparent):
            try await route(insight, traceparent: traceparent, state: &state, outcome: &outcome, in: transaction)
        }
    }

    /// Routes one insight: a ticket opened or attached (or none), and the owners told.
    private func route(_ insight: InsightProduced, traceparent: String?, state: inout RouteBatchState,
                       outcome: inout Outcome, in transaction: StoreTransaction) async throws {
        // A contact that answers a resolved ticket confirms or reopens it instead of opening
        // another: the ticket it names, or else the customer's latest resolved one.
        var ticket: Ticket?
        let answered: Ticket?
        if let replyTo = insight.replyTo {
            answered = state.tickets[replyTo].flatMap { $0.customerId == insight.customerId ? $0 : nil }
        } else {
            answered = state.resolvedTicket(customerId: insight.customerId,
                                            since: insight.occurredAt.addingTimeInterval(-book.rules.confirmationWindow))
                .flatMap { ($0.resolvedAt ?? .distantFuture) <= insight.occurredAt ? $0 : nil }
        }
        if var answered, let (action, status) = ClosedLoop.answer(insight, to: answered, explicit: insight.replyTo != nil) {
            answered.lastInsightId = insight.insightId
            answered.lastInteractionId = insight.interactionId
            let rows = try TicketService.change(action, on: &answered, to: status, book: book, at: insight.occurredAt)
            state.put(answered, rows: rows)
            ticket = answered
            outcome.queued = true
        }
        if ticket == nil, let decision = book.rules.decide(insight) {
            let opening = TicketOpening(book: book)
            let window = book.rules.openWindow
            if var open = state.openTicket(customerId: insight.customerId, category: decision.category,
                                           since: insight.occurredAt.addingTimeInterval(-window)) {
                let rows = try opening.attach(insight, decision: decision, to: &open,
                                              pauses: state.pauses(of: open.ticketId, openEnd: insight.occurredAt))
                state.put(open, rows: rows)
                outcome.attached += 1
                ticket = open
            } else {
                let (opened, rows) = try opening.open(insight, decision: decision)
                state.put(opened, rows: rows)
                outcome.opened += 1
                if opened.slaProvisional { outcome.provisional += 1 }
                ticket = opened
            }
            outcome.queued = true
        }
        let known: CustomerOwners?
        if let cached = state.owners[insight.customerId] {
            known = cached
        } else {
            known = try await CustomerOwners.load(insight.customerId, in: transaction)
            state.owners[insight.customerId] = .some(known)
        }
        if let known {
            let notifications = OwnerSync.notifications(for: insight, owners: known, ticketId: ticket?.ticketId, at: now)
            state.rows.append(contentsOf: try notifications.map { try Outbox.row($0, traceparent: traceparent) })
            if !notifications.isEmpty { outcome.queued = true }
        }
        if let ticket { outcome.tickets[insight.insightId] = ticket }
    }

    private static func key(_ consumer: String, _ eventId: String) -> String { consumer + "\u{1F}" + eventId }
}
