import CRdKafka
import Foundation
import Logging
import VOCProcess

/// A consumer-group member with manual commits: the caller commits a position only
/// after it has finished with every record before it (at-least-once).
///
/// Blocking librdkafka calls (timed poll, commit, close) run on the consumer's own
/// serial Dispatch queue, never on the cooperative pool. A thread of its own serves
/// librdkafka's main queue (statistics, errors, results of commits not waited for), so
/// those are handled even while the caller is busy with a batch.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue: DispatchQueue
    private let poller: DedicatedThread
    private let logger: Logger

    /// Checks `configuration`, joins its group and subscribes to `topics`.
    /// - Throws: ``KafkaError`` `.configuration` naming a property librdkafka refuses
    ///   (before any connection is made), or a refused subscription.
    public init(configuration: KafkaConsumerConfiguration, topics: [String], logger: Logger) throws(KafkaError) {
        try configuration.validate()
        self.client = try RDKafkaClient(kind: .consumer, properties: configuration.librdkafkaProperties, logger: logger,
                                        metrics: .consumer(group: configuration.groupID)) { conf in
            rd_kafka_conf_set_offset_commit_cb(conf, offsetCommitCallback)
        }
        self.queue = DispatchQueue(label: "voc-kafka-consumer")
        self.logger = logger
        let client = self.client
        self.poller = DedicatedThread(name: "voc-kafka-consumer-events") {
            rd_kafka_poll(client.handle, 100)
        }
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics {
            rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA)
        }
        let result = rd_kafka_subscribe(client.handle, list)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            let poller = self.poller
            DispatchQueue.global().async { poller.stop() }
            throw KafkaError.from(result, context: "subscribing to \(topics.joined(separator: ","))")
        }
    }

    deinit {
        // Stopping the event thread waits for its current timed poll and destroying the
        // handle can block: both happen on a Dispatch thread, not the caller's.
        let poller = self.poller
        let client = self.client
        DispatchQueue.global().async {
            poller.stop()
            withExtendedLifetime(client) {}
        }
    }

    /// The last statistics report (every `statistics.interval.ms`), nil before the first.
    public var statistics: KafkaStatistics? {
        client.context.statistics.withLock { $0 }
    }

    /// Waits up to `timeout` for records, then returns what has arrived (at most `maxRecords`).
    /// - Throws: ``KafkaError`` when the consumer hit a fatal error.
    public func poll(maxRecords: Int = 500, timeout: Duration = .milliseconds(200)) async throws(KafkaError) -> [ConsumerRecord] {
        let client = self.client
        let logger = self.logger
        let waitMs = timeout.milliseconds
        let result: Result<[ConsumerRecord], KafkaError> = await offPool(on: queue) {
            var records: [ConsumerRecord] = []
            var wait = waitMs
            while records.count < maxRecords, let message = rd_kafka_consumer_poll(client.handle, wait) {
                defer { rd_kafka_message_destroy(message) }
                wait = 0
                let err = message.pointee.err
                if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    records.append(ConsumerRecord(copying: message))
                } else if err == RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    continue
                } else if err == RD_KAFKA_RESP_ERR__FATAL {
                    return .failure(KafkaError.from(err, context: "consuming"))
                } else {
                    // Errors on the consumer queue are informational (librdkafka retries).
                    logger.warning("consumer error", metadata: ["kafka.error": "\(String(cString: rd_kafka_err2str(err)))"])
                }
            }
            return .success(records)
        }
        return try result.get()
    }

    /// Commits the given next-to-read positions.
    ///
    /// A commit refused after a rebalance is logged, not thrown: the partition's new
    /// owner reprocesses from the last committed position, which idempotent handlers allow.
    /// - Parameter waitForCoordinator: Wait for the group coordinator's answer. Without
    ///   waiting, the commit is sent in order after the earlier ones and its result is
    ///   logged when it comes; closing the consumer still waits for it. Commits are
    ///   cumulative, so a lost one only means a redelivery to idempotent handlers.
    public func commit(_ positions: [TopicPartitionOffset], waitForCoordinator: Bool = true) async throws(KafkaError) {
        guard !positions.isEmpty else { return }
        let client = self.client
        let logger = self.logger
        let result: rd_kafka_resp_err_t = await offPool(on: queue) {
            let list = rd_kafka_topic_partition_list_new(Int32(positions.count))
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for position in positions {
                rd_kafka_topic_partition_list_add(list, position.topic, position.partition)?.pointee.offset = position.offset
            }
            return rd_kafka_commit(client.handle, list, waitForCoordinator ? 0 : 1)
        }
        switch result {
        case RD_KAFKA_RESP_ERR_NO_ERROR, RD_KAFKA_RESP_ERR__NO_OFFSET:
            return
        case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION, RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID,
             RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS, RD_KAFKA_RESP_ERR__STATE:
            logger.info("commit skipped after a rebalance; records will be redelivered",
                        metadata: ["kafka.error": "\(String(cString: rd_kafka_err2name(result)))"])
        default:
            throw KafkaError.from(result, context: "committing offsets")
        }
    }

    /// Partitions currently assigned to this member.
    public func assignment() async -> [TopicPartitionOffset] {
        let client = self.client
        return await offPool(on: queue) {
            var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            guard rd_kafka_assignment(client.handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
            defer { rd_kafka_topic_partition_list_destroy(list) }
            return (0..<Int(list.pointee.cnt)).map { index in
                let element = list.pointee.elems[index]
                return TopicPartitionOffset(topic: String(cString: element.topic), partition: element.partition, offset: element.offset)
            }
        }
    }

    /// Leaves the group cleanly so partitions move to other members at once.
    public func close() async {
        let client = self.client
        let result = await offPool(on: queue) { rd_kafka_consumer_close(client.handle) }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("consumer close", metadata: ["kafka.error": "\(String(cString: rd_kafka_err2str(result)))"])
        }
    }
}

/// The result of a commit not waited for: refused ones are logged (the next commit
/// covers the same records, or they are redelivered).
private let offsetCommitCallback: @convention(c) (OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
                                                  UnsafeMutableRawPointer?) -> Void = { rk, err, _, _ in
    guard err != RD_KAFKA_RESP_ERR_NO_ERROR, err != RD_KAFKA_RESP_ERR__NO_OFFSET, let context = RDKafkaClient.context(of: rk) else { return }
    context.logger.info("commit refused; records after the last committed position will be redelivered",
                        metadata: ["kafka.error": "\(String(cString: rd_kafka_err2name(err)))"])
}

extension ConsumerRecord {
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let m = message.pointee
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        self.init(
            topic: m.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "",
            partition: m.partition, offset: m.offset, key: key, value: value,
            headers: rdKafkaHeaders(of: message),
            timestampMs: timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        )
    }
}
