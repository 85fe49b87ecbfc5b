import Foundation
import Logging
import Metrics
import Synchronization
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Applies insights and customer updates, each once. Nothing is returned to the stage
/// loop to publish: every event route emits goes through the outbox, written in the
/// same transaction as the state it reports.
///
/// A polled batch is decoded record by record in ``handle(_:)`` (a record that breaks
/// the contract is dead-lettered there) and applied in ``finishBatch()``: all of it in
/// one transaction, in record order, each input with its apply-once row. An input whose
/// application fails for a reason retrying cannot fix is left out of that transaction
/// and sent to the dead-letter topic through the outbox, so it cannot hold the stage.
public final class RouteHandler: StageHandler, Sendable {
    static let stage = "route"
    static let insightConsumer = "route.insights"
    static let customerConsumer = "route.customers"

    let store: Store
    let books: RoutingBookStore
    let logger: Logger
    let committed: @Sendable () -> Void
    private let pending = Mutex<[RouteInput]>([])
    private let routed = Counter(label: "voc_route_tickets_total", dimensions: [("outcome", "opened")])
    private let attached = Counter(label: "voc_route_tickets_total", dimensions: [("outcome", "attached")])
    private let provisional = Counter(label: "voc_route_sla_provisional_total")
    private let failed = Counter(label: "voc_route_inputs_failed_total")

    /// - Parameters:
    ///   - committed: called after each transaction that queued events commits (to wake
    ///     the ``OutboxRelay``).
    public init(store: Store, books: RoutingBookStore, logger: Logger, committed: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.books = books
        self.logger = logger
        self.committed = committed
    }

    public func prepareBatch(_ records: [ConsumerRecord]) async throws {
        pending.withLock { $0 = [] }
    }

    public func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let input: RouteInput
        switch record.topic {
        case Topic.insightProduced.rawValue:
            let (insight, attributes) = try record.decode(InsightProduced.self)
            input = .init(insight, traceparent: TraceContext.child(of: attributes.traceparent), record: record)
        case Topic.customerUpdated.rawValue:
            let (update, attributes) = try record.decode(CustomerUpdated.self)
            input = .init(update, eventId: attributes.id, record: record)
        default:
            throw StageError.invalid("route does not read \(record.topic)")
        }
        pending.withLock { $0.append(input) }
        return []
    }

    public func finishBatch() async throws {
        let inputs = pending.withLock { $0 }
        try await apply(inputs)
        pending.withLock { $0 = [] }
    }

    /// Records a customer's owners and consents.
    public func apply(_ update: CustomerUpdated, eventId: String) async throws {
        try await apply([RouteInput(update, eventId: eventId, record: nil)])
    }

    /// Routes one insight: a ticket opened or attached (or none), and the owners told.
    /// - Returns: the ticket the insight opened or joined, if any.
    @discardableResult
    public func apply(_ insight: InsightProduced, traceparent: String? = nil, at now: Date = Date()) async throws -> Ticket? {
        try await apply([RouteInput(insight, traceparent: traceparent, record: nil)], at: now)[insight.insightId]
    }

    /// Routes insights in one transaction, in order, as if one by one.
    /// - Returns: the ticket each insight opened or joined, by insight id.
    @discardableResult
    public func apply(_ insights: [InsightProduced], at now: Date = Date()) async throws -> [String: Ticket] {
        try await apply(insights.map { RouteInput($0, traceparent: nil, record: nil) }, at: now)
    }

    /// Applies `inputs` in one transaction. When one of them fails for a reason retrying
    /// cannot fix, the transaction is rolled back and run again with each input in a
    /// savepoint, so the failing ones are left out and dead-lettered while the rest apply.
    /// An input that did not come from a record has no dead letter: its failure is thrown.
    @discardableResult
    func apply(_ inputs: [RouteInput], at now: Date = Date()) async throws -> [String: Ticket] {
        guard !inputs.isEmpty else { return [:] }
        let batch = RouteBatch(book: books.current(), now: now)
        let outcome: RouteBatch.Outcome
        do {
            outcome = try await store.transaction { try await batch.apply(inputs, isolating: false, in: $0) }
        } catch where !StoreError.isTransient(error) {
            logger.warning("route batch failed, applying its inputs one savepoint each",
                           metadata: [LogKey.error: "\(String(reflecting: error))"])
            outcome = try await store.transaction { try await batch.apply(inputs, isolating: true, in: $0) }
        }
        routed.increment(by: outcome.opened)
        attached.increment(by: outcome.attached)
        provisional.increment(by: outcome.provisional)
        for failure in outcome.failures {
            failed.increment()
            logger.error("route input failed and was dead-lettered", metadata: [
                LogKey.eventID: "\(failure.input.eventId)", LogKey.topic: "\(failure.record.topic)",
                LogKey.partition: "\(failure.record.partition)", LogKey.offset: "\(failure.record.offset)",
                LogKey.error: "\(String(reflecting: failure.error))",
            ])
        }
        if outcome.queued { committed() }
        return outcome.tickets
    }
}

/// One decoded input of the stage, with the record it came from (for its dead letter).
struct RouteInput: Sendable {
    enum Kind: Sendable {
        case insight(InsightProduced, traceparent: String?)
        case customer(CustomerUpdated)
    }

    var kind: Kind
    /// The id it is applied once under: the insight id, or the update's `ce_id`.
    var eventId: String
    var record: ConsumerRecord?

    init(_ insight: InsightProduced, traceparent: String?, record: ConsumerRecord?) {
        kind = .insight(insight, traceparent: traceparent)
        eventId = insight.insightId
        self.record = record
    }

    init(_ update: CustomerUpdated, eventId: String, record: ConsumerRecord?) {
        kind = .customer(update)
        self.eventId = eventId
        self.record = record
    }

    var consumer: String {
        switch kind {
        case .insight: RouteHandler.insightConsumer
        case .customer: RouteHandler.customerConsumer
        }
    }
}
