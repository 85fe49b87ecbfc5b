import CRdKafka
import Foundation
import Logging

/// A consumer-group member with manual commits: the caller commits a position only
/// after it has finished with every record before it (at-least-once).
///
/// Blocking librdkafka calls (timed poll, commit, close) run on the consumer's own
/// serial Dispatch queue, never on the cooperative pool.
public final class KafkaConsumer: Sendable {
    private let client: RDKafkaClient
    private let queue: DispatchQueue
    private let logger: Logger

    /// Joins the group of `config` (`group.id` is required) and subscribes to `topics`.
    /// - Throws: ``KafkaError`` for a bad property or a refused subscription.
    public init(config: KafkaConfig, topics: [String], logger: Logger) throws(KafkaError) {
        guard config["group.id"] != nil else {
            throw KafkaError(code: .configuration, message: "consumer needs group.id")
        }
        self.client = try RDKafkaClient(kind: .consumer, config: config, logger: logger)
        self.queue = DispatchQueue(label: "voc-kafka-consumer")
        self.logger = logger
        rd_kafka_poll_set_consumer(client.handle)
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics {
            rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA)
        }
        let result = rd_kafka_subscribe(client.handle, list)
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.from(result, context: "subscribing to \(topics.joined(separator: ","))")
        }
    }

    /// Waits up to `timeout` for records, then returns what has arrived (at most `maxRecords`).
    /// - Throws: ``KafkaError`` when the consumer hit a fatal error.
    public func poll(maxRecords: Int = 500, timeout: Duration = .milliseconds(200)) async throws(KafkaError) -> [ConsumerRecord] {
        let client = self.client
        let logger = self.logger
        let waitMs = timeout.milliseconds
        let result: Result<[ConsumerRecord], KafkaError> = await offloaded(on: queue) {
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

    /// Commits the given next-to-read positions and waits for the coordinator.
    ///
    /// A commit refused after a rebalance is logged, not thrown: the partition's new
    /// owner reprocesses from the last committed position, which idempotent handlers allow.
    public func commit(_ positions: [TopicPartitionOffset]) async throws(KafkaError) {
        guard !positions.isEmpty else { return }
        let client = self.client
        let logger = self.logger
        let result: rd_kafka_resp_err_t = await offloaded(on: queue) {
            let list = rd_kafka_topic_partition_list_new(Int32(positions.count))
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for position in positions {
                rd_kafka_topic_partition_list_add(list, position.topic, position.partition)?.pointee.offset = position.offset
            }
            return rd_kafka_commit(client.handle, list, 0)
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
        return await offloaded(on: queue) {
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
        let result = await offloaded(on: queue) { rd_kafka_consumer_close(client.handle) }
        if result != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning("consumer close", metadata: ["kafka.error": "\(String(cString: rd_kafka_err2str(result)))"])
        }
    }
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
