import Foundation
import Logging
import Metrics
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// Applies insights and customer updates, each once. Nothing is returned to the stage
/// loop to publish: every event route emits goes through the outbox, written in the
/// same transaction as the state it reports.
public struct RouteHandler: StageHandler {
    static let insightConsumer = "route.insights"
    static let customerConsumer = "route.customers"

    let store: Store
    let books: RoutingBookStore
    let logger: Logger
    private let routed = Counter(label: "voc_route_tickets_total", dimensions: [("outcome", "opened")])
    private let attached = Counter(label: "voc_route_tickets_total", dimensions: [("outcome", "attached")])
    private let provisional = Counter(label: "voc_route_sla_provisional_total")

    public init(store: Store, books: RoutingBookStore, logger: Logger) {
        self.store = store
        self.books = books
        self.logger = logger
    }

    public func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        switch record.topic {
        case Topic.insightProduced.rawValue:
            let (insight, attributes) = try record.decode(InsightProduced.self)
            try await apply(insight, traceparent: TraceContext.child(of: attributes.traceparent))
        case Topic.customerUpdated.rawValue:
            let (update, attributes) = try record.decode(CustomerUpdated.self)
            try await apply(update, eventId: attributes.id)
        default:
            throw StageError.invalid("route does not read \(record.topic)")
        }
        return []
    }

    /// Records a customer's owners and consents.
    public func apply(_ update: CustomerUpdated, eventId: String) async throws {
        try await store.applyOnce(consumer: Self.customerConsumer, eventId: eventId) { transaction in
            try await CustomerOwners.apply(update, in: transaction)
        }
    }

    /// Routes one insight: a ticket opened or attached (or none), and the owners told.
    /// - Returns: the ticket the insight opened or joined, if any.
    @discardableResult
    public func apply(_ insight: InsightProduced, traceparent: String? = nil, at now: Date = Date()) async throws -> Ticket? {
        let book = books.current()
        var result: Ticket?
        try await store.applyOnce(consumer: Self.insightConsumer, eventId: insight.insightId) { transaction in
            // A contact that answers a resolved ticket confirms or reopens it instead of opening another.
            var ticket = try await ClosedLoop.answer(insight, book: book, in: transaction)
            if ticket == nil, let decision = book.rules.decide(insight) {
                switch try await TicketOpening(book: book).apply(insight, decision: decision, in: transaction) {
                case .opened(let opened):
                    routed.increment()
                    if opened.slaProvisional { provisional.increment() }
                    ticket = opened
                case .attached(let joined):
                    attached.increment()
                    ticket = joined
                }
            }
            if let owners = try await CustomerOwners.load(insight.customerId, in: transaction) {
                for notification in OwnerSync.notifications(for: insight, owners: owners, ticketId: ticket?.ticketId, at: now) {
                    try await Outbox.append(notification, ticketId: nil, traceparent: traceparent, in: transaction)
                }
            }
            result = ticket
        }
        return result
    }
}
