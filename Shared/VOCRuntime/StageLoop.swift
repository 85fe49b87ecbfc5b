import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VOCKafka
import VOCSchema
import VOCStore

/// What a stage does with one record: the events to publish because of it.
///
/// Throw ``ValidationError`` (or ``StageError/invalid(_:)``) for a record that can never
/// be processed: it goes to the dead-letter topic at once. Any other error is retried
/// with backoff, then dead-lettered.
///
/// A handler whose records share a cost (one database transaction for a whole poll
/// instead of one per record) gathers in ``handle(_:)`` and writes in
/// ``finishBatch()``; the loop publishes and commits the batch only after that returns.
public protocol StageHandler: Sendable {
    /// Called once for every polled batch, before any of its records is handled.
    func prepareBatch(_ records: [ConsumerRecord]) async throws
    func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent]
    /// Called once for every polled batch, after its records are handled and before
    /// their outputs are published. Failures are retried; the records stay uncommitted.
    func finishBatch() async throws
}

extension StageHandler {
    public func prepareBatch(_ records: [ConsumerRecord]) async throws {}
    public func finishBatch() async throws {}
}

public enum StageError: Error, Sendable, CustomStringConvertible {
    /// The record breaks the contract; retrying cannot help.
    case invalid(String)
    /// Something the stage needs (the speech engine, a receiver) is away; the record is
    /// not to blame. Retried without counting as an attempt, for up to
    /// ``StageTuning/outageLimit``.
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalid(let reason), .unavailable(let reason): return reason
        }
    }
}

/// What a stage loop consumes and how hard it tries.
public struct StageSettings: Sendable {
    public var name: String
    public var topics: [String]
    public var group: String
    public var tuning: StageTuning

    public init(name: String, topics: [String], group: String, tuning: StageTuning = StageTuning()) {
        self.name = name
        self.topics = topics
        self.group = group
        self.tuning = tuning
    }
}

/// consume → handle → produce → commit.
///
/// Offsets are committed only after every output of the records before them was
/// acknowledged (at-least-once); handlers are idempotent, so a redelivery changes
/// nothing. A record that keeps failing goes to `voc.deadletter.v1` with its original
/// bytes, headers, position, the error and the attempts, and the stage goes on.
public final class StageLoop: Service, Sendable {
    private let settings: StageSettings
    private let consumer: KafkaConsumer
    private let publisher: EventPublisher
    private let handler: any StageHandler
    private let logger: Logger
    private let processed: Counter
    private let deadLettered: Counter
    private let retried: Counter

    public init(settings: StageSettings, consumer: KafkaConsumer, publisher: EventPublisher,
                handler: any StageHandler, logger: Logger) {
        self.settings = settings
        self.consumer = consumer
        self.publisher = publisher
        self.handler = handler
        var logger = logger
        logger[metadataKey: LogKey.stage] = "\(settings.name)"
        self.logger = logger
        let dimensions = [("stage", settings.name)]
        processed = Counter(label: "voc_stage_records_processed_total", dimensions: dimensions)
        deadLettered = Counter(label: "voc_stage_records_deadlettered_total", dimensions: dimensions)
        retried = Counter(label: "voc_stage_handler_retries_total", dimensions: dimensions)
    }

    /// Creates the consumer for `settings` and the loop around it.
    public convenience init(settings: StageSettings, common: CommonSettings, publisher: EventPublisher,
                            handler: any StageHandler, logger: Logger) throws {
        let consumer = try KafkaConsumer(configuration: common.consumerConfiguration(group: settings.group, clientID: settings.name),
                                         topics: settings.topics, logger: logger)
        self.init(settings: settings, consumer: consumer, publisher: publisher, handler: handler, logger: logger)
    }

    public func run() async throws {
        logger.info("stage started", metadata: ["topics": "\(settings.topics.joined(separator: ","))", "group": "\(settings.group)"])
        // Positions committed without waiting since the group last confirmed a commit.
        var unconfirmed: [PartitionKey: Int64] = [:]
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let records = try await consumer.poll(maxRecords: settings.tuning.batchSize, timeout: .milliseconds(200))
            if records.isEmpty {
                if !unconfirmed.isEmpty, try await confirm(unconfirmed) { unconfirmed = [:] }
                continue
            }
            guard await untilDone("prepare batch", { try await self.handler.prepareBatch(records) }) else { break }
            var outputs: [EncodedEvent] = []
            var positions: [PartitionKey: Int64] = [:]
            var interrupted = false
            var finished = 0
            for record in records {
                // Shutdown in the middle of retries: leave the rest uncommitted, so the
                // group's next member gets them again instead of a dead letter.
                guard let produced = await process(record) else {
                    interrupted = true
                    break
                }
                outputs += produced
                finished += 1
                positions[PartitionKey(topic: record.topic, partition: record.partition)] = record.offset + 1
            }
            guard await untilDone("finish batch", { try await self.handler.finishBatch() }),
                  await publishAll(outputs) else { break }
            do {
                // Sent after every output is acknowledged, but not waited for: the
                // coordinator's answer would hold the next poll (against the embedded
                // broker, behind a fetch it holds for fetch.wait.max.ms). Closing the
                // consumer waits for commits in flight; a lost one means a redelivery.
                try await consumer.commit(positions.map {
                    TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value)
                }, waitForCoordinator: false)
                unconfirmed.merge(positions) { $1 }
            } catch {
                if error.isFatal { throw error }
                // Commits are cumulative: the next one covers these records, and a crash
                // before it only means they are redelivered to idempotent handlers.
                logger.warning("commit failed", metadata: [LogKey.error: "\(error)"])
            }
            processed.increment(by: finished)
            if interrupted { break }
        }
        await consumer.close()
        logger.info("stage stopped")
    }

    /// Commits the last batches' positions again, waiting for the coordinator, once the
    /// stage is idle. A commit sent without waiting can fail unseen (the coordinator moving,
    /// a refused request); the next batch's commit would cover it, but on a quiet topic no
    /// next batch comes, and the group would show lag and redeliver after a restart.
    /// Only partitions still assigned here are committed, so a new owner's position is
    /// never moved back.
    /// - Returns: whether the group confirmed the commit (or nothing was left to commit).
    private func confirm(_ positions: [PartitionKey: Int64]) async throws -> Bool {
        let assigned = Set(await consumer.assignment().map { PartitionKey(topic: $0.topic, partition: $0.partition) })
        let owned = positions.filter { assigned.contains($0.key) }
        do {
            try await consumer.commit(owned.map {
                TopicPartitionOffset(topic: $0.key.topic, partition: $0.key.partition, offset: $0.value)
            }, waitForCoordinator: true)
            return true
        } catch {
            if error.isFatal { throw error }
            logger.warning("commit failed, retrying while idle", metadata: [LogKey.error: "\(error)"])
            return false
        }
    }

    /// Runs the handler with retries; returns its outputs or the dead letter, or nil
    /// when shutdown came before the record was done.
    ///
    /// A failure that blames the record's processing counts toward
    /// ``StageTuning/maxAttempts``. An outage of what the stage depends on (PostgreSQL
    /// unreachable or restarting, ``StageError/unavailable(_:)``) does not: the record
    /// waits for it, up to ``StageTuning/outageLimit``, so a database restart or an engine
    /// crash does not turn good records into dead letters.
    func process(_ record: ConsumerRecord) async -> [EncodedEvent]? {
        var backoff = settings.tuning.initialBackoff
        var attempt = 1
        var outageSince: ContinuousClock.Instant?
        while true {
            do {
                return try await handler.handle(record)
            } catch let error as ValidationError {
                return deadLetter(record, error: error.description, reason: .invalid, attempts: attempt)
            } catch StageError.invalid(let reason) {
                return deadLetter(record, error: reason, reason: .invalid, attempts: attempt)
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return nil }
                let outage = Self.isOutage(error)
                if outage {
                    let since = outageSince ?? .now
                    outageSince = since
                    if ContinuousClock.now - since > settings.tuning.outageLimit {
                        return deadLetter(record, error: "\(error) (unavailable for longer than \(settings.tuning.outageLimit))",
                                          reason: .failed, attempts: attempt)
                    }
                } else {
                    outageSince = nil
                    if attempt >= settings.tuning.maxAttempts {
                        return deadLetter(record, error: String(describing: error), reason: .failed, attempts: attempt)
                    }
                    attempt += 1
                }
                logger.warning(outage ? "dependency unavailable, waiting" : "handler failed, retrying", metadata: [
                    LogKey.topic: "\(record.topic)", LogKey.offset: "\(record.offset)",
                    LogKey.attempt: "\(attempt)", LogKey.error: "\(error)",
                ])
                retried.increment()
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, settings.tuning.maxBackoff)
            }
        }
    }

    /// Whether an error says a dependency is away rather than that this record failed.
    static func isOutage(_ error: any Error) -> Bool {
        if case StageError.unavailable = error { return true }
        return !(error is CancellationError) && StoreError.isTransient(error)
    }

    /// Runs a batch step until it succeeds (the database may be away for a while); no
    /// record is to blame, so nothing is dead-lettered.
    /// - Returns: `false` if shutdown came first.
    private func untilDone(_ step: String, _ body: () async throws -> Void) async -> Bool {
        var backoff = settings.tuning.initialBackoff
        while true {
            do {
                try await body()
                return true
            } catch {
                if Task.isShuttingDownGracefully || Task.isCancelled { return false }
                logger.warning("\(step) failed, retrying", metadata: [LogKey.error: "\(error)"])
                retried.increment()
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, settings.tuning.maxBackoff)
            }
        }
    }

    private func deadLetter(_ record: ConsumerRecord, error: String, reason: DeadLetter.Reason, attempts: Int) -> [EncodedEvent] {
        logger.error("record dead-lettered", metadata: [
            LogKey.topic: "\(record.topic)", LogKey.partition: "\(record.partition)", LogKey.offset: "\(record.offset)",
            LogKey.error: "\(error)",
        ])
        deadLettered.increment()
        let letter = DeadLetter(
            stage: settings.name, originalTopic: record.topic, partition: record.partition, offset: record.offset,
            key: record.key, headers: record.headerPairs, value: record.value, error: error, reason: reason,
            attempts: attempts, failedAt: Date())
        let traceparent = TraceContext.child(of: record.header("traceparent"))
        // Encoding a DeadLetter cannot fail: every field is a string or a number.
        return [try! publisher.encode(letter, traceparent: traceparent, key: record.key)]
    }

    /// Publishes the outputs of a batch and waits for every acknowledgement, sending
    /// again whatever failed (the broker may be down) until it is acknowledged.
    /// - Returns: `false` if shutdown came first, so nothing is committed.
    private func publishAll(_ outputs: [EncodedEvent]) async -> Bool {
        var pending = outputs
        var backoff = settings.tuning.initialBackoff
        while !pending.isEmpty {
            var failed: [EncodedEvent] = []
            var receipts: [(EncodedEvent, DeliveryReceipt)] = []
            for output in pending {
                do {
                    receipts.append((output, try publisher.enqueue(output)))
                } catch {
                    failed.append(output)
                }
            }
            for (output, receipt) in receipts {
                do {
                    _ = try await receipt.delivered()
                } catch {
                    logger.warning("publish failed, will resend", metadata: [LogKey.topic: "\(output.topic.rawValue)", LogKey.error: "\(error)"])
                    failed.append(output)
                }
            }
            pending = failed
            if pending.isEmpty { return true }
            if Task.isShuttingDownGracefully || Task.isCancelled { return false }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, settings.tuning.maxBackoff)
        }
        return true
    }

    private struct PartitionKey: Hashable {
        var topic: String
        var partition: Int32
    }
}
