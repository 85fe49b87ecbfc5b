import Foundation
import Logging
import Metrics
import Synchronization
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// The projector's stage: every topic of the read models, a polled batch decoded record by
/// record in ``handle(_:)`` (a record that breaks its contract is dead-lettered there by
/// the stage loop) and written in ``finishBatch()``, all of it in one transaction.
///
/// An event the database refuses for a reason retrying cannot fix (a text PostgreSQL
/// cannot store) is left out of the batch and sent to the dead-letter topic, so it
/// cannot hold the stage; its dead letter is acknowledged before the batch is committed.
public final class ProjectionHandler: StageHandler, Sendable {
    public static let stage = "projector-read"

    let writer: ReadModelWriter
    let publisher: EventPublisher
    let logger: Logger
    private let pending = Mutex<[ProjectedEvent]>([])
    private let failed = Counter(label: "voc_projector_events_failed_total")

    public init(writer: ReadModelWriter, publisher: EventPublisher, logger: Logger) {
        self.writer = writer
        self.publisher = publisher
        self.logger = logger
    }

    public func prepareBatch(_ records: [ConsumerRecord]) async throws {
        pending.withLock { $0 = [] }
    }

    public func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
        let event = try ProjectedEvent.decode(record)
        pending.withLock { $0.append(event) }
        return []
    }

    public func finishBatch() async throws {
        let events = pending.withLock { $0 }
        let failures = try await writer.apply(events)
        // Applied and committed; the failures are not, and their dead letters must be
        // acknowledged before the stage loop commits the offsets past them. Should that
        // fail, the retried batch finds the failures fresh again and dead-letters them again.
        for failure in failures {
            guard let record = failure.event.record else { continue }
            failed.increment()
            logger.error("event refused by the read models and dead-lettered", metadata: [
                LogKey.topic: "\(record.topic)", LogKey.partition: "\(record.partition)", LogKey.offset: "\(record.offset)",
                LogKey.error: "\(String(reflecting: failure.error))",
            ])
            let letter = DeadLetter(
                stage: Self.stage, originalTopic: record.topic, partition: record.partition, offset: record.offset, key: record.key,
                headers: record.headerPairs, value: record.value, error: String(describing: failure.error), reason: .failed,
                attempts: 1, failedAt: Date())
            let encoded = try publisher.encode(letter, traceparent: TraceContext.child(of: record.header("traceparent")), key: record.key)
            _ = try await publisher.enqueue(encoded).delivered()
        }
        pending.withLock { $0 = [] }
    }
}
