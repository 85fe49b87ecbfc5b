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
    }

    /// Applies `inputs` in `transaction`, in order.
    /// - Parameter isolating: run each input in a savepoint; one that fails with an error
    ///   retrying cannot fix is undone, loses its apply-once row, and is dead-lettered
    ///   through the outbox (or, with no record to dead-letter, its error is thrown).
    func apply(_ inputs: [RouteInput], isolating: Bool, in transaction: StoreTransaction) async throws -> Outcome {
        var outcome = Outcome()
        // The apply-once rows of the whole batch in one statement: those it inserts are new.
        var fresh = Set(try await transaction.rows(
            """
            INSERT INTO applied_events (consumer, event_id)
            SELECT * FROM unnest(\(inputs.map(\.consumer))::text[], \(inputs.map(\.eventId))::text[])
            ON CONFLICT DO NOTHING RETURNING consumer, event_id
            """, as: String.self, String.self).map { Self.key($0.0, $0.1) })
        // Owners of every customer an insight names, in one query; an update in the batch
        // drops its customer's entry, so insights after it read the new owners.
        let customers = Set(inputs.compactMap { input -> String? in
            if case .insight(let insight, _) = input.kind { insight.customerId } else { nil }
        })
        var owners: [String: CustomerOwners?] = try await CustomerOwners.load(customers.sorted(), in: transaction).mapValues { $0 }
        for id in customers where owners[id] == nil { owners[id] = .some(nil) }

        for input in inputs {
            // A second copy of an input in the same batch is applied once.
            guard fresh.remove(Self.key(input.consumer, input.eventId)) != nil else { continue }
            var step = Outcome()
            let error: (any Error)?
            if isolating {
                error = try await transaction.savepoint("route_input") {
                    try await apply(input, owners: &owners, outcome: &step, in: transaction)
                }
            } else {
                try await apply(input, owners: &owners, outcome: &step, in: transaction)
                error = nil
            }
            if let error {
                guard let record = input.record else { throw error }
                if case .customer(let update) = input.kind { owners[update.customerId] = nil }
                try await transaction.execute(
                    "DELETE FROM applied_events WHERE consumer = \(input.consumer) AND event_id = \(input.eventId)")
                let letter = DeadLetter(
                    stage: RouteHandler.stage, originalTopic: record.topic, partition: record.partition, offset: record.offset,
                    key: record.key, headers: record.headerPairs, value: record.value, error: String(describing: error),
                    reason: .failed, attempts: 1, failedAt: now)
                try await Outbox.append(letter, traceparent: TraceContext.child(of: record.header("traceparent")), in: transaction)
                outcome.failures.append(Failure(input: input, record: record, error: error))
                outcome.queued = true
                continue
            }
            outcome.tickets.merge(step.tickets) { $1 }
            outcome.opened += step.opened
            outcome.attached += step.attached
            outcome.provisional += step.provisional
            outcome.queued = outcome.queued || step.queued
        }
        return outcome
    }

    private func apply(_ input: RouteInput, owners: inout [String: CustomerOwners?], outcome: inout Outcome,
                       in transaction: StoreTransaction) async throws {
        switch input.kind {
        case .customer(let update):
            owners[update.customerId] = nil
            try await CustomerOwners.apply(update, in: transaction)
        case .insight(let insight, let traceparent):
            try await route(insight, traceparent: traceparent, owners: &owners, outcome: &outcome, in: transaction)
        }
    }

    /// Routes one insight: a ticket opened or attached (or none), and the owners told.
    private func route(_ insight: InsightProduced, traceparent: String?, owners: inout [String: CustomerOwners?],
                       outcome: inout Outcome, in transaction: StoreTransaction) async throws {
        // A contact that answers a resolved ticket confirms or reopens it instead of opening another.
        var ticket = try await ClosedLoop.answer(insight, book: book, in: transaction)
        if ticket != nil { outcome.queued = true }
        if ticket == nil, let decision = book.rules.decide(insight) {
            switch try await TicketOpening(book: book).apply(insight, decision: decision, in: transaction) {
            case .opened(let opened):
                outcome.opened += 1
                if opened.slaProvisional { outcome.provisional += 1 }
                ticket = opened
            case .attached(let joined):
                outcome.attached += 1
                ticket = joined
            }
            outcome.queued = true
        }
        let known: CustomerOwners?
        if let cached = owners[insight.customerId] {
            known = cached
        } else {
            known = try await CustomerOwners.load(insight.customerId, in: transaction)
            owners[insight.customerId] = .some(known)
        }
        if let known {
            for notification in OwnerSync.notifications(for: insight, owners: known, ticketId: ticket?.ticketId, at: now) {
                try await Outbox.append(notification, ticketId: nil, traceparent: traceparent, in: transaction)
                outcome.queued = true
            }
        }
        if let ticket { outcome.tickets[insight.insightId] = ticket }
    }

    private static func key(_ consumer: String, _ eventId: String) -> String { consumer + "\u{1F}" + eventId }
}
