import CRdKafka
import Foundation
import Logging
import VOCProcess

/// Topic administration: list what a cluster has, create what the pipeline needs.
public final class KafkaAdmin: Sendable {
    public struct TopicInfo: Sendable, Equatable {
        public var name: String
        public var partitions: Int

        public init(name: String, partitions: Int) {
            self.name = name
            self.partitions = partitions
        }
    }

    public struct TopicSpec: Sendable {
        public var name: String
        public var partitions: Int
        public var replicationFactor: Int
        public var properties: [String: String]

        public init(name: String, partitions: Int, replicationFactor: Int = -1, properties: [String: String] = [:]) {
            self.name = name
            self.partitions = partitions
            self.replicationFactor = replicationFactor
            self.properties = properties
        }
    }

    private let client: RDKafkaClient

    static let createTopicsUnanswered = KafkaError(
        code: .timedOut,
        message: "creating topics: no answer from the cluster (the embedded broker does not implement CreateTopics; `voc up` creates the pipeline's topics itself)",
        isRetriable: true)

    /// - Parameters:
    ///   - security: How to authenticate to the cluster.
    ///   - properties: Other librdkafka properties, checked before the client starts.
    /// - Throws: ``KafkaError`` `.configuration` naming a property librdkafka refuses.
    public init(bootstrap: String, security: KafkaSecurity = .plaintext, properties: [String: String] = [:],
                logger: Logger) throws(KafkaError) {
        let all = security.properties.merging(properties) { _, new in new }.merging(["bootstrap.servers": bootstrap]) { _, new in new }
        try KafkaProperties.validate(all)
        client = try RDKafkaClient(kind: .producer, properties: all, logger: logger)
    }

    /// Lists the cluster's topics with their partition counts, internal topics excluded.
    public func listTopics(timeout: Duration = .seconds(10)) async throws(KafkaError) -> [TopicInfo] {
        let client = self.client
        let waitMs = timeout.milliseconds
        let result: Result<[TopicInfo], KafkaError> = await offPool(on: .global()) {
            var metadata: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(client.handle, 1, nil, &metadata, waitMs)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
                return .failure(KafkaError.from(err, context: "reading cluster metadata"))
            }
            defer { rd_kafka_metadata_destroy(metadata) }
            var topics: [TopicInfo] = []
            for index in 0..<Int(metadata.pointee.topic_cnt) {
                let topic = metadata.pointee.topics[index]
                let name = String(cString: topic.topic)
                if name.hasPrefix("__") { continue }
                topics.append(TopicInfo(name: name, partitions: Int(topic.partition_cnt)))
            }
            return .success(topics.sorted { $0.name < $1.name })
        }
        return try result.get()
    }

    /// Creates topics; ones that exist already are left as they are.
    /// - Returns: The names that were created now.
    /// - Throws: ``KafkaError`` `.timedOut` when the cluster does not answer; librdkafka's
    ///   mock cluster (the embedded broker) does not implement CreateTopics.
    public func createTopics(_ specs: [TopicSpec], timeout: Duration = .seconds(15)) async throws(KafkaError) -> [String] {
        let client = self.client
        let waitMs = timeout.milliseconds
        let result: Result<[String], KafkaError> = await offPool(on: .global()) {
            var errorBuffer = [CChar](repeating: 0, count: 512)
            var newTopics: [OpaquePointer?] = []
            defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
            for spec in specs {
                guard let topic = rd_kafka_NewTopic_new(spec.name, Int32(spec.partitions), Int32(spec.replicationFactor),
                                                        &errorBuffer, errorBuffer.count) else {
                    let detail = text(ofErrorBuffer: errorBuffer)
                    return .failure(KafkaError(code: .configuration, message: "topic \(spec.name): \(detail)"))
                }
                for (key, value) in spec.properties { rd_kafka_NewTopic_set_config(topic, key, value) }
                newTopics.append(topic)
            }
            let queue = rd_kafka_queue_new(client.handle)
            defer { rd_kafka_queue_destroy(queue) }
            let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
            defer { rd_kafka_AdminOptions_destroy(options) }
            rd_kafka_AdminOptions_set_request_timeout(options, waitMs, nil, 0)
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
            guard let event = rd_kafka_queue_poll(queue, waitMs + 1000) else {
                return .failure(KafkaAdmin.createTopicsUnanswered)
            }
            defer { rd_kafka_event_destroy(event) }
            let eventError = rd_kafka_event_error(event)
            if eventError == RD_KAFKA_RESP_ERR__TIMED_OUT {
                return .failure(KafkaAdmin.createTopicsUnanswered)
            }
            if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
                return .failure(KafkaError.from(eventError, context: "creating topics"))
            }
            var count = 0
            guard let results = rd_kafka_event_CreateTopics_result(event),
                  let topics = rd_kafka_CreateTopics_result_topics(results, &count) else { return .success([]) }
            var created: [String] = []
            for index in 0..<count {
                let topicResult = topics[index]
                let name = String(cString: rd_kafka_topic_result_name(topicResult))
                let err = rd_kafka_topic_result_error(topicResult)
                if err == RD_KAFKA_RESP_ERR_NO_ERROR {
                    created.append(name)
                } else if err != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS {
                    return .failure(KafkaError.from(err, context: "creating topic \(name)"))
                }
            }
            return .success(created)
        }
        return try result.get()
    }
}
