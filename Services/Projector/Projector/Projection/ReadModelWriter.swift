import Foundation
import Logging
import VOCRuntime
import VOCSchema
import VOCStore

/// Applies events to every read model, each event once, a whole batch in one transaction
/// with one statement per table (not one per event).
///
/// Every write is order-independent — counters add, states keep the newest by the event's
/// own clock or sequence — so the state after a batch does not depend on the order the
/// topics were interleaved in, and `voc rebuild` arrives at the state the live stage built.
public struct ReadModelWriter: Sendable {
    public let store: Store
    /// The zone whose calendar days trends and clusters are counted in.
    public let timeZone: TimeZone
    let logger: Logger

    public init(store: Store, timeZone: TimeZone, logger: Logger) {
        self.store = store
        self.timeZone = timeZone
        self.logger = logger
    }

    /// An event the read models could not take, with the reason.
    public struct Failure: Sendable {
        public var event: ProjectedEvent
        public var error: any Error
    }

    /// Applies `events` in one transaction. When that fails for a reason retrying cannot
    /// fix, the transaction is run again with each event in a savepoint, so the failing
    /// ones are left out (and returned) while the rest apply.
    /// - Returns: the events that failed and were not applied.
    /// - Throws: errors retrying can fix (the database went away); nothing was applied.
    public func apply(_ events: [ProjectedEvent]) async throws -> [Failure] {
        guard !events.isEmpty else { return [] }
        do {
            return try await store.transaction { try await apply(events, isolating: false, in: $0) }
        } catch where !StoreError.isTransient(error) {
            logger.warning("read-model batch failed, applying its events one savepoint each",
                           metadata: [LogKey.error: "\(String(reflecting: error))"])
            return try await store.transaction { try await apply(events, isolating: true, in: $0) }
        }
    }

    func apply(_ events: [ProjectedEvent], isolating: Bool, in transaction: StoreTransaction) async throws -> [Failure] {
        // The apply-once rows of the whole batch in one statement: those it inserts are new.
        let inserted = try await transaction.rows(
            """
            INSERT INTO applied_events (consumer, event_id)
            SELECT * FROM unnest(\(events.map(\.consumer))::text[], \(events.map(\.eventId))::text[])
            ON CONFLICT DO NOTHING RETURNING consumer, event_id
            """, as: String.self, String.self)
        var fresh = Set(inserted.map { $0.0 + "\u{1F}" + $0.1 })
        // A second copy of an event in the same batch is applied once.
        let new = events.filter { fresh.remove($0.consumer + "\u{1F}" + $0.eventId) != nil }
        guard isolating else {
            try await write(new, in: transaction)
            return []
        }
        var failures: [Failure] = []
        for event in new {
            if let error = try await transaction.savepoint("read_event", { try await write([event], in: transaction) }) {
                try await transaction.execute(
                    "DELETE FROM applied_events WHERE consumer = \(event.consumer) AND event_id = \(event.eventId)")
                failures.append(Failure(event: event, error: error))
            }
        }
        return failures
    }

    /// One statement (or a few) per read model for the events of each kind.
    private func write(_ events: [ProjectedEvent], in transaction: StoreTransaction) async throws {
        var customers: [CustomerUpdated] = [], interactions: [InteractionReceived] = [], transcripts: [TranscriptReady] = []
        var insights: [InsightProduced] = [], tickets: [TicketEvent] = [], notifications: [NotificationRequested] = []
        var deliveries: [NotificationDelivered] = []
        for event in events {
            switch event.payload {
            case .customer(let value): customers.append(value)
            case .interaction(let value): interactions.append(value)
            case .transcript(let value): transcripts.append(value)
            case .insight(let value): insights.append(value)
            case .ticket(let value): tickets.append(value)
            case .notification(let value): notifications.append(value)
            case .delivery(let value): deliveries.append(value)
            }
        }
        let days = LocalDays(timeZone: timeZone)
        if !customers.isEmpty { try await CustomerWrites.apply(customers, in: transaction) }
        if !interactions.isEmpty { try await InteractionWrites.apply(interactions, in: transaction) }
        if !interactions.isEmpty { try await RecordingWrites.apply(interactions, in: transaction) }
        if !transcripts.isEmpty { try await InteractionWrites.apply(transcripts, in: transaction) }
        if !insights.isEmpty { try await InsightWrites(days: days).apply(insights, in: transaction) }
        if !tickets.isEmpty { try await TicketWrites.apply(tickets, in: transaction) }
        if !notifications.isEmpty || !deliveries.isEmpty {
            try await NotificationWrites.apply(notifications, deliveries, in: transaction)
        }
    }
}

/// Calendar days in one zone, as `YYYY-MM-DD`.
struct LocalDays: Sendable {
    private let calendar: Calendar

    init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
