import Metrics
import Synchronization

/// The swift-metrics gauges a client's statistics feed, so `/metrics` shows when a
/// stage falls behind (lag) or a producer cannot keep up (queue depth).
///
/// - `voc_kafka_producer_queue_messages{client}`: records queued or in flight.
/// - `voc_kafka_producer_transmitted_messages{client}`: records sent since start.
/// - `voc_kafka_consumer_lag{group,topic,partition}`: records behind the partition's end.
/// - `voc_kafka_consumer_topic_lag{group,topic}`: the same, summed over the topic.
final class KafkaClientMetrics: Sendable {
    private enum Role {
        case producer(client: String)
        case consumer(group: String)
    }

    private let role: Role
    private let factory: any MetricsFactory
    private let gauges = Mutex<[String: Gauge]>([:])

    private init(role: Role, factory: any MetricsFactory) {
        self.role = role
        self.factory = factory
    }

    static func producer(client: String, factory: any MetricsFactory = MetricsSystem.factory) -> KafkaClientMetrics {
        KafkaClientMetrics(role: .producer(client: client), factory: factory)
    }

    static func consumer(group: String, factory: any MetricsFactory = MetricsSystem.factory) -> KafkaClientMetrics {
        KafkaClientMetrics(role: .consumer(group: group), factory: factory)
    }

    /// Sets the gauges from one statistics report.
    func record(_ statistics: KafkaStatistics) {
        switch role {
        case .producer(let client):
            gauge("voc_kafka_producer_queue_messages", [("client", client)]).record(statistics.queuedMessages)
            gauge("voc_kafka_producer_transmitted_messages", [("client", client)]).record(statistics.transmittedMessages)
        case .consumer(let group):
            for lag in statistics.partitionLags {
                gauge("voc_kafka_consumer_lag", [("group", group), ("topic", lag.topic), ("partition", "\(lag.partition)")]).record(lag.lag)
            }
            for (topic, lag) in statistics.topicLags {
                gauge("voc_kafka_consumer_topic_lag", [("group", group), ("topic", topic)]).record(lag)
            }
        }
    }

    /// The gauge of `label` and `dimensions`, created once.
    private func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        let key = label + dimensions.map { "|\($0.0)=\($0.1)" }.joined()
        return gauges.withLock { gauges in
            if let known = gauges[key] { return known }
            let created = Gauge(label: label, dimensions: dimensions, factory: factory)
            gauges[key] = created
            return created
        }
    }
}
