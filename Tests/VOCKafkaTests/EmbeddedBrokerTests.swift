import Foundation
import Logging
import Testing
@testable import VOCKafka

@Suite("Embedded broker and clients", .serialized)
struct EmbeddedBrokerTests {
    let logger = Logger(label: "test.kafka")

    @Test("a record produced with headers is consumed by a group member with the same bytes")
    func roundTrip() async throws {
        let broker = try EmbeddedBroker(brokers: 3, logger: logger)
        try broker.createTopic("roundtrip", partitions: 3)
        let producer = try KafkaProducer(config: .producer(bootstrap: broker.bootstrap), logger: logger)
        let report = try await producer.send(ProducerRecord(
            topic: "roundtrip", key: Array("customer-1".utf8), value: Array("{\"a\":1}".utf8),
            headers: [KafkaHeader(name: "ce_id", string: "evt-1"), KafkaHeader(name: "bin", value: [0, 255, 7])]))
        #expect(report.topic == "roundtrip")
        #expect(report.offset >= 0)

        let consumer = try KafkaConsumer(config: .consumer(bootstrap: broker.bootstrap, group: "g-roundtrip"),
                                         topics: ["roundtrip"], logger: logger)
        let records = try await pollUntil(consumer, count: 1)
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.key == Array("customer-1".utf8))
        #expect(record.value == Array("{\"a\":1}".utf8))
        #expect(record.header("ce_id") == "evt-1")
        #expect(record.headers.first(where: { $0.name == "bin" })?.value == [0, 255, 7])
        #expect(record.partition == report.partition && record.offset == report.offset)
        await consumer.close()
    }

    @Test("committed positions survive a restart of the consumer group member")
    func commitResumes() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: logger)
        try broker.createTopic("commits", partitions: 1)
        let producer = try KafkaProducer(config: .producer(bootstrap: broker.bootstrap), logger: logger)
        for index in 0..<5 {
            _ = try await producer.send(ProducerRecord(topic: "commits", key: nil, value: Array("m\(index)".utf8)))
        }
        let config = KafkaConfig.consumer(bootstrap: broker.bootstrap, group: "g-commits")
        let first = try KafkaConsumer(config: config, topics: ["commits"], logger: logger)
        let firstBatch = try await pollUntil(first, count: 5)
        #expect(firstBatch.map { String(decoding: $0.value, as: UTF8.self) } == ["m0", "m1", "m2", "m3", "m4"])
        // Finish only the first three.
        try await first.commit([TopicPartitionOffset(topic: "commits", partition: 0, offset: firstBatch[2].offset + 1)])
        await first.close()

        let second = try KafkaConsumer(config: config, topics: ["commits"], logger: logger)
        let rest = try await pollUntil(second, count: 2)
        #expect(rest.map { String(decoding: $0.value, as: UTF8.self) } == ["m3", "m4"])
        await second.close()
    }

    @Test("with every broker down a send fails within message.timeout.ms, and succeeds once they are back")
    func brokersDownAndBack() async throws {
        let broker = try EmbeddedBroker(brokers: 3, logger: logger)
        try broker.createTopic("outage", partitions: 1)
        let config = KafkaConfig.producer(bootstrap: broker.bootstrap).merging(["message.timeout.ms": "1500"])
        let producer = try KafkaProducer(config: config, logger: logger)
        _ = try await producer.send(ProducerRecord(topic: "outage", key: nil, value: [1]))

        broker.setAllBrokers(up: false)
        await #expect(throws: KafkaError.self) {
            _ = try await producer.send(ProducerRecord(topic: "outage", key: nil, value: [2]))
        }

        broker.setAllBrokers(up: true)
        var delivered = false
        for _ in 0..<20 where !delivered {
            delivered = (try? await producer.send(ProducerRecord(topic: "outage", key: nil, value: [3]))) != nil
        }
        #expect(delivered)
    }

    @Test("a batch receipt completes once every record is acknowledged, and the records arrive in order per key")
    func batchReceipt() async throws {
        let broker = try EmbeddedBroker(brokers: 3, logger: logger)
        try broker.createTopic("batch", partitions: 4)
        let producer = try KafkaProducer(config: .producer(bootstrap: broker.bootstrap), logger: logger)
        let records = (0..<500).map { index in
            ProducerRecord(topic: "batch", key: Array("customer-\(index % 7)".utf8), value: Array("\(index)".utf8),
                           headers: [KafkaHeader(name: "ce_id", string: "evt-\(index)")])
        }
        let (receipt, refused) = producer.enqueue(records)
        #expect(refused.isEmpty)
        #expect(await receipt.delivered().isEmpty)

        let consumer = try KafkaConsumer(config: .consumer(bootstrap: broker.bootstrap, group: "g-batch"),
                                         topics: ["batch"], logger: logger)
        let consumed = try await pollUntil(consumer, count: 500)
        #expect(consumed.count == 500)
        for key in 0..<7 {
            let values = consumed.filter { $0.key == Array("customer-\(key)".utf8) }.map { Int(String(decoding: $0.value, as: UTF8.self))! }
            #expect(values == Array(stride(from: key, to: 500, by: 7)))
        }
        #expect(consumed.allSatisfy { $0.header("ce_id") == "evt-\(String(decoding: $0.value, as: UTF8.self))" })
        await consumer.close()
    }

    @Test("a batch receipt names each record the broker never acknowledged, by its index")
    func batchReceiptFailures() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: logger)
        try broker.createTopic("batch-outage", partitions: 1)
        let config = KafkaConfig.producer(bootstrap: broker.bootstrap).merging(["message.timeout.ms": "1500"])
        let producer = try KafkaProducer(config: config, logger: logger)
        _ = try await producer.send(ProducerRecord(topic: "batch-outage", key: nil, value: [0]))
        broker.setAllBrokers(up: false)
        let (receipt, refused) = producer.enqueue((0..<5).map { ProducerRecord(topic: "batch-outage", key: nil, value: [UInt8($0)]) })
        let failures = await receipt.delivered()
        #expect(refused.isEmpty)
        #expect(failures.keys.sorted() == [0, 1, 2, 3, 4])
        #expect(failures.values.allSatisfy { $0.isRetriable })
        broker.setAllBrokers(up: true)
    }

    @Test("the brokers' listening sockets have Nagle's algorithm off, so idle connections answer at once")
    func listenersWithoutNagle() throws {
        let broker = try EmbeddedBroker(brokers: 2, logger: logger)
        let listeners = broker.listeningSockets()
        #expect(listeners.count == 2)
        for descriptor in listeners {
            var noDelay: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            #expect(getsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, &size) == 0)
            #expect(noDelay == 1)
        }
    }

    @Test("a bad librdkafka property is reported by name")
    func badProperty() {
        #expect {
            _ = try KafkaProducer(config: KafkaConfig(["no.such.property": "1"]), logger: logger)
        } throws: { error in
            (error as? KafkaError)?.message.contains("no.such.property") == true
        }
    }

    @Test("the admin client lists the topics of the embedded broker")
    func listTopics() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: logger)
        try broker.createTopic("listed", partitions: 4)
        let admin = try KafkaAdmin(bootstrap: broker.bootstrap, logger: logger)
        let topics = try await admin.listTopics()
        #expect(topics.contains(KafkaAdmin.TopicInfo(name: "listed", partitions: 4)))
    }

    private func pollUntil(_ consumer: KafkaConsumer, count: Int, seconds: Double = 30) async throws -> [ConsumerRecord] {
        var records: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(seconds)
        while records.count < count, Date() < deadline {
            records += try await consumer.poll(maxRecords: count - records.count, timeout: .milliseconds(500))
        }
        return records
    }
}
