import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// The transactional outbox: events are written in the transaction that changes the
/// state they report, so state and event never disagree, and a relay publishes them.
enum Outbox {
    /// One encoded event waiting in the outbox.
    struct Row: Sendable {
        var eventId: String
        var topic: String
        var key: String
        var value: Data
        var headerNames: [String]
        var headerValues: [String]
        var ticketId: String?
    }

    /// Validates and encodes `event` as an outbox row.
    static func row<E: VOCEvent>(_ event: E, ticketId: String? = nil, traceparent: String? = nil) throws -> Row {
        try event.validate()
        let encoded = try EventCodec.encode(event, source: RouteApp.source, traceparent: traceparent)
        let headers = encoded.headers
        return Row(eventId: event.eventId, topic: E.topic.rawValue, key: String(decoding: encoded.key, as: UTF8.self),
                   value: Data(encoded.value), headerNames: headers.map(\.name), headerValues: headers.map(\.value),
                   ticketId: ticketId)
    }

    /// Encodes `event` and queues it in `transaction`.
    static func append<E: VOCEvent>(_ event: E, ticketId: String? = nil, traceparent: String? = nil,
                                    in transaction: StoreTransaction) async throws {
        try await insert([row(event, ticketId: ticketId, traceparent: traceparent)], in: transaction)
    }

    /// Queues `rows` in one statement, in order; an event id already queued is left as it
    /// is (a replayed input produces the same ids).
    ///
    /// Each row's headers are a slice of two flat arrays (`lo`…`hi`, 1-based): a row's
    /// header count varies, and PostgreSQL arrays of arrays must be rectangular.
    static func insert(_ rows: [Row], in transaction: StoreTransaction) async throws {
        guard !rows.isEmpty else { return }
        var low: [Int] = [], high: [Int] = []
        var names: [String] = [], values: [String] = []
        for row in rows {
            low.append(names.count + 1)
            names.append(contentsOf: row.headerNames)
            values.append(contentsOf: row.headerValues)
            high.append(names.count)
        }
        try await transaction.execute(
            """
            INSERT INTO route_outbox (event_id, topic, record_key, value, header_names, header_values, ticket_id)
            SELECT r.event_id, r.topic, r.record_key, r.value, (\(names)::text[])[r.lo:r.hi], (\(values)::text[])[r.lo:r.hi],
                   r.ticket_id
            FROM unnest(\(rows.map(\.eventId))::text[], \(rows.map(\.topic))::text[], \(rows.map(\.key))::text[],
                        \(rows.map(\.value))::bytea[], \(low)::int[], \(high)::int[], \(SQLArray(rows.map(\.ticketId)))::text[])
                 WITH ORDINALITY AS r(event_id, topic, record_key, value, lo, hi, ticket_id, ord)
            ORDER BY r.ord
            ON CONFLICT (event_id) DO NOTHING
            """)
    }
}

/// Publishes what the outbox holds, in order, and marks each row sent once the broker
/// acknowledged it.
///
/// Rows are claimed with `FOR UPDATE SKIP LOCKED` inside the transaction that marks them,
/// so two replicas never publish the same row. The producer is idempotent, so its own
/// retries do not duplicate. A crash after the acknowledgement and before the commit
/// leaves the row unsent: it is published again with the same `ce_id`, which every
/// consumer of the pipeline applies once.
public final class OutboxRelay: Service, Sendable {
    private let store: Store
    private let producer: KafkaProducer
    private let interval: Duration
    private let batchSize: Int
    private let logger: Logger
    private let published = Counter(label: "voc_route_outbox_published_total")
    private let failures = Counter(label: "voc_route_outbox_publish_failures_total")
    /// Rounds asked for: by ``wake()`` and by a ticker every `interval`; holding at most
    /// one, so wakes that come while a round runs make one more round, not many.
    private let rounds: AsyncStream<Void>
    private let asked: AsyncStream<Void>.Continuation

    public init(store: Store, producer: KafkaProducer, interval: Duration = .milliseconds(50), batchSize: Int = 200,
                logger: Logger) {
        self.store = store
        self.producer = producer
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
        (rounds, asked) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a round now instead of at the next tick: called after a transaction that
    /// queued events commits, so they go out without waiting for the poll interval.
    public func wake() {
        asked.yield()
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { tasks in
            // Rows committed by another replica, or left by a crash, are found on the tick.
            tasks.addTask { [interval, asked] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    asked.yield()
                }
            }
            await withGracefulShutdownHandler {
                await relayRounds()
            } onGracefulShutdown: { [asked] in
                asked.finish()
            }
            tasks.cancelAll()
        }
    }

    private func relayRounds() async {
        for await _ in rounds {
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            var backoff = interval
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    // A full batch means more may be waiting.
                    if try await relayOnce() < batchSize { break }
                } catch {
                    failures.increment()
                    logger.warning("outbox relay failed, will retry", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(5))
                }
            }
        }
    }

    /// Publishes one batch of unsent rows and marks them sent.
    /// - Returns: how many rows were published.
    @discardableResult
    public func relayOnce() async throws -> Int {
        try await store.transaction { transaction in
            let rows = try await transaction.rows(
                """
                SELECT seq, topic, record_key, value, header_names, header_values FROM route_outbox
                WHERE sent_at IS NULL ORDER BY seq LIMIT \(batchSize) FOR UPDATE SKIP LOCKED
                """, as: Int.self, String.self, String.self, Data.self, [String].self, [String].self)
            guard !rows.isEmpty else { return 0 }
            var receipts: [DeliveryReceipt] = []
            for (_, topic, key, value, names, values) in rows {
                let headers = zip(names, values).map { KafkaHeader(name: $0, string: $1) }
                receipts.append(try producer.enqueue(ProducerRecord(topic: topic, key: Array(key.utf8), value: Array(value),
                                                                    headers: headers)))
            }
            // Every receipt is awaited before any row is marked: a failure rolls the batch
            // back and the next round sends it again.
            for receipt in receipts { _ = try await receipt.delivered() }
            let sequences = rows.map(\.0)
            try await transaction.execute("UPDATE route_outbox SET sent_at = now() WHERE seq = ANY(\(sequences))")
            published.increment(by: rows.count)
            return rows.count
        }
    }
}
