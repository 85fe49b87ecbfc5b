import Foundation

/// What librdkafka's statistics (`statistics.interval.ms`) say about one client: the
/// producer's queue depth and the consumer's lag per partition.
public struct KafkaStatistics: Sendable, Equatable {
    /// A consumer's distance from the end of one partition.
    public struct PartitionLag: Sendable, Equatable {
        public var topic: String
        public var partition: Int32
        /// Records between the committed position and the partition's end.
        public var lag: Int64
    }

    /// The client's instance name (`client.id` and a number).
    public var name: String
    /// `producer` or `consumer`.
    public var type: String
    /// Records in the producer's queues, waiting or in flight (`msg_cnt`).
    public var queuedMessages: Int64
    /// Records sent to brokers since the client started (`txmsgs`).
    public var transmittedMessages: Int64
    /// Lag of every partition the consumer knows a committed position and an end of;
    /// empty for a producer.
    public var partitionLags: [PartitionLag]

    /// The summed lag of `topic`'s partitions.
    public func lag(topic: String) -> Int64 {
        partitionLags.filter { $0.topic == topic }.reduce(0) { $0 + $1.lag }
    }

    /// Lag summed per topic.
    public var topicLags: [String: Int64] {
        partitionLags.reduce(into: [:]) { $0[$1.topic, default: 0] += $1.lag }
    }

    /// Reads librdkafka's statistics JSON (its STATISTICS.md).
    /// - Throws: `DecodingError` when the JSON is not librdkafka's.
    public init(json: some Collection<UInt8>) throws {
        let raw = try JSONDecoder().decode(Raw.self, from: Data(json))
        name = raw.name
        type = raw.type
        queuedMessages = raw.msg_cnt ?? 0
        transmittedMessages = raw.txmsgs ?? 0
        partitionLags = []
        guard raw.type == "consumer" else { return }
        for (topic, entry) in raw.topics ?? [:] {
            for partition in entry.partitions.values where partition.partition >= 0 {
                // -1: no committed position or no known end yet.
                guard let lag = partition.consumer_lag, lag >= 0 else { continue }
                partitionLags.append(PartitionLag(topic: topic, partition: partition.partition, lag: lag))
            }
        }
        partitionLags.sort { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }

    // librdkafka's names; every other field of the JSON is ignored.
    private struct Raw: Decodable {
        var name: String
        var type: String
        var msg_cnt: Int64?
        var txmsgs: Int64?
        var topics: [String: Topic]?

        struct Topic: Decodable {
            var partitions: [String: Partition]
        }

        struct Partition: Decodable {
            var partition: Int32
            var consumer_lag: Int64?
        }
    }
}
