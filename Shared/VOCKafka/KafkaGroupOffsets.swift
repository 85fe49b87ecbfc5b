import CRdKafka
import Foundation
import Logging
import VOCProcess

/// How far a consumer group is behind on one partition.
public struct PartitionLag: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    /// The group's committed position; nil when it has committed nothing there.
    public var committed: Int64?
    /// The partition's first and next offsets (low and high watermarks).
    public var start: Int64
    public var end: Int64

    /// Records between the group's position and the end. With nothing committed the
    /// group starts at the earliest record, so everything still kept counts.
    public var lag: Int64 { max(0, end - (committed ?? start)) }
}

extension KafkaAdmin {
    /// The committed positions of `group` on every partition of `topics`, against each
    /// partition's watermarks. Reads offsets only: the group is not joined, so running
    /// members are not rebalanced.
    public static func lag(group: String, topics: [TopicInfo], bootstrap: String, security: KafkaSecurity = .plaintext,
                           properties: [String: String] = [:], timeout: Duration = .seconds(10),
                           logger: Logger) async throws(KafkaError) -> [PartitionLag] {
        let all = security.properties.merging(properties) { _, new in new }.merging([
            "bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": "false",
        ]) { _, new in new }
        try KafkaProperties.validate(all)
        let client = try RDKafkaClient(kind: .consumer, properties: all, logger: logger)
        let waitMs = timeout.milliseconds
        let result: Result<[PartitionLag], KafkaError> = await offPool(on: .global()) {
            let capacity = Int32(max(1, topics.reduce(0) { $0 + $1.partitions }))
            let list = rd_kafka_topic_partition_list_new(capacity)!
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for topic in topics {
                for partition in 0..<Int32(topic.partitions) { rd_kafka_topic_partition_list_add(list, topic.name, partition) }
            }
            let err = rd_kafka_committed(client.handle, list, waitMs)
            guard err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                return .failure(KafkaError.from(err, context: "reading the committed offsets of group \(group)"))
            }
            var lags: [PartitionLag] = []
            for index in 0..<Int(list.pointee.cnt) {
                let element = list.pointee.elems[index]
                let topic = String(cString: element.topic)
                var low: Int64 = 0
                var high: Int64 = 0
                let watermarks = rd_kafka_query_watermark_offsets(client.handle, topic, element.partition, &low, &high, waitMs)
                guard watermarks == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    return .failure(KafkaError.from(watermarks, context: "reading the end of \(topic)/\(element.partition)"))
                }
                lags.append(PartitionLag(topic: topic, partition: element.partition,
                                         committed: element.offset >= 0 ? element.offset : nil, start: low, end: high))
            }
            return .success(lags)
        }
        return try result.get()
    }
}
