import Foundation
import Logging
import MetricsTestKit
import Testing
@testable import VOCKafka

@Suite("Kafka statistics and their gauges", .serialized)
struct KafkaStatisticsTests {
    let logger = Logger(label: "test.kafka")

    /// Trimmed from librdkafka's STATISTICS.md example: a consumer with two partitions of
    /// one topic and the internal unassigned partition.
    static let consumerJSON = #"""
        {"name": "voc-analyze#consumer-2", "client_id": "voc-analyze", "type": "consumer", "ts": 1, "msg_cnt": 0, "txmsgs": 0,
         "brokers": {"localhost:9092/1": {"name": "localhost:9092/1", "outbuf_msg_cnt": 0}},
         "topics": {"voc.transcript.ready.v1": {"topic": "voc.transcript.ready.v1", "partitions": {
            "0": {"partition": 0, "consumer_lag": 7, "hi_offset": 10, "committed_offset": 3},
            "1": {"partition": 1, "consumer_lag": 5},
            "2": {"partition": 2, "consumer_lag": -1},
            "-1": {"partition": -1, "consumer_lag": -1}}}}}
        """#

    @Test("a consumer's report gives the lag per partition and per topic; unknown lags are left out")
    func parsesConsumerLag() throws {
        let statistics = try KafkaStatistics(json: Array(Self.consumerJSON.utf8))
        #expect(statistics.type == "consumer")
        #expect(statistics.partitionLags.map(\.partition) == [0, 1])
        #expect(statistics.lag(topic: "voc.transcript.ready.v1") == 12)
        #expect(statistics.topicLags == ["voc.transcript.ready.v1": 12])
    }

    @Test("a producer's report gives its queue depth and records sent")
    func parsesProducerQueue() throws {
        let json = #"{"name": "voc#producer-1", "type": "producer", "msg_cnt": 42, "txmsgs": 1000, "topics": {}}"#
        let statistics = try KafkaStatistics(json: Array(json.utf8))
        #expect(statistics.queuedMessages == 42 && statistics.transmittedMessages == 1000)
        #expect(statistics.partitionLags.isEmpty)
    }

    @Test("the gauges carry the reported lag and queue depth")
    func gauges() throws {
        let metrics = TestMetrics()
        KafkaClientMetrics.consumer(group: "voc-analyze", factory: metrics).record(try KafkaStatistics(json: Array(Self.consumerJSON.utf8)))
        let partition = try metrics.expectGauge("voc_kafka_consumer_lag",
                                                [("group", "voc-analyze"), ("topic", "voc.transcript.ready.v1"), ("partition", "0")])
        #expect(partition.lastValue == 7)
        let topic = try metrics.expectGauge("voc_kafka_consumer_topic_lag", [("group", "voc-analyze"), ("topic", "voc.transcript.ready.v1")])
        #expect(topic.lastValue == 12)

        let json = #"{"name": "voc#producer-1", "type": "producer", "msg_cnt": 42, "txmsgs": 1000}"#
        KafkaClientMetrics.producer(client: "voc-ingest", factory: metrics).record(try KafkaStatistics(json: Array(json.utf8)))
        #expect(try metrics.expectGauge("voc_kafka_producer_queue_messages", [("client", "voc-ingest")]).lastValue == 42)
    }

    @Test("N records produced and none consumed: the consumer's statistics report a lag of N")
    func lagAgainstBroker() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: logger)
        try broker.createTopic("lagging", partitions: 1)
        var producerConfiguration = KafkaProducerConfiguration(bootstrapServers: broker.bootstrap)
        producerConfiguration.statisticsInterval = .seconds(1)
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        let records = (0..<25).map { ProducerRecord(topic: "lagging", key: nil, value: Array("\($0)".utf8)) }
        let (receipt, refused) = producer.enqueue(records)
        #expect(refused.isEmpty)
        #expect(await receipt.delivered().isEmpty)

        var configuration = KafkaConsumerConfiguration(bootstrapServers: broker.bootstrap, groupID: "g-lagging")
        configuration.statisticsInterval = .seconds(1)
        let consumer = try KafkaConsumer(configuration: configuration, topics: ["lagging"], logger: logger)
        // Joined, but nothing consumed: the group's position is the partition's start.
        let deadline = Date().addingTimeInterval(30)
        while await consumer.assignment().isEmpty, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        try await consumer.commit([TopicPartitionOffset(topic: "lagging", partition: 0, offset: 0)])
        while consumer.statistics?.lag(topic: "lagging") != 25, Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(consumer.statistics?.lag(topic: "lagging") == 25)
        #expect(consumer.statistics?.partitionLags == [KafkaStatistics.PartitionLag(topic: "lagging", partition: 0, lag: 25)])

        // The producer reports its queue as well: empty once everything is acknowledged.
        while producer.statistics == nil, Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(producer.statistics?.queuedMessages == 0)
        #expect((producer.statistics?.transmittedMessages ?? 0) >= 25)
        await consumer.close()
    }
}
