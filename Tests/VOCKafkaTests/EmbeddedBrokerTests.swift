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
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: logger)
        let report = try await producer.send(ProducerRecord(
            topic: "roundtrip", key: Array("customer-1".utf8), value: Array("{\"a\":1}".utf8),
            headers: [KafkaHeader(name: "ce_id", string: "evt-1"), KafkaHeader(name: "bin", value: [0, 255, 7])]))
        #expect(report.topic == "roundtrip")
        #expect(report.offset >= 0)

        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(bootstrapServers: broker.bootstrap, groupID: "g-roundtrip"),
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
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: logger)
        for index in 0..<5 {
            _ = try await producer.send(ProducerRecord(topic: "commits", key: nil, value: Array("m\(index)".utf8)))
        }
        let configuration = KafkaConsumerConfiguration(bootstrapServers: broker.bootstrap, groupID: "g-commits")
        let first = try KafkaConsumer(configuration: configuration, topics: ["commits"], logger: logger)
        let firstBatch = try await pollUntil(first, count: 5)
        #expect(firstBatch.map { String(decoding: $0.value, as: UTF8.self) } == ["m0", "m1", "m2", "m3", "m4"])
        // Finish only the first three.
        try await first.commit([TopicPartitionOffset(topic: "commits", partition: 0, offset: firstBatch[2].offset + 1)])
        await first.close()

        let second = try KafkaConsumer(configuration: configuration, topics: ["commits"], logger: logger)
        let rest = try await pollUntil(second, count: 2)
        #expect(rest.map { String(decoding: $0.value, as: UTF8.self) } == ["m3", "m4"])
        await second.close()
    }

    @Test("with every broker down a send fails within message.timeout.ms, and succeeds once they are back")
    func brokersDownAndBack() async throws {
        let (broker, producer) = try await outage("outage", brokers: 3)
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
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: logger)
        let records = (0..<500).map { index in
            ProducerRecord(topic: "batch", key: Array("customer-\(index % 7)".utf8), value: Array("\(index)".utf8),
                           headers: [KafkaHeader(name: "ce_id", string: "evt-\(index)")])
        }
        let (receipt, refused) = producer.enqueue(records)
        #expect(refused.isEmpty)
        #expect(await receipt.delivered().isEmpty)

        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(bootstrapServers: broker.bootstrap, groupID: "g-batch"),
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

    @Test("a record batch arrives as the records it lays out: keys, values, shared and own headers, order per key")
    func recordBatch() async throws {
        let broker = try EmbeddedBroker(brokers: 3, logger: logger)
        try broker.createTopic("record-batch", partitions: 4)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: logger)
        var batch = RecordBatch(topic: "record-batch", records: 300)
        let idName = batch.store("ce_id"), typeName = batch.store("ce_type"), typeValue = batch.store("t.v1")
        for index in 0..<300 {
            let value = batch.store(Array("\(index)".utf8))
            let key = index % 10 == 9 ? nil : batch.store("customer-\(index % 7)")
            batch.append(key: key, value: value)
            let id = batch.store("evt-\(index)")
            batch.header(idName, id)
            batch.header(typeName, typeValue)
            if index % 2 == 0 {
                let name = batch.store("bin"), bytes = batch.store([0, 255, UInt8(index % 256)])
                batch.header(name, bytes)
            }
        }
        let (receipt, refused) = producer.enqueue(batch)
        #expect(refused.isEmpty)
        #expect(await receipt.delivered().isEmpty)

        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(bootstrapServers: broker.bootstrap, groupID: "g-record-batch"),
                                         topics: ["record-batch"], logger: logger)
        let consumed = try await pollUntil(consumer, count: 300)
        #expect(consumed.count == 300)
        let expected = batch.records
        for record in consumed {
            let index = try #require(Int(String(decoding: record.value, as: UTF8.self)))
            #expect(record.key == expected[index].key)
            #expect(record.headers == expected[index].headers)
            #expect(record.headers.map(\.name) == (index % 2 == 0 ? ["ce_id", "ce_type", "bin"] : ["ce_id", "ce_type"]))
        }
        for key in 0..<7 {
            let values = consumed.filter { $0.key == Array("customer-\(key)".utf8) }.map { Int(String(decoding: $0.value, as: UTF8.self))! }
            #expect(values == Array(stride(from: key, to: 300, by: 7)).filter { $0 % 10 != 9 })
        }
        await consumer.close()
    }

    @Test("a record batch the broker never acknowledged is reported record by record")
    func recordBatchFailures() async throws {
        let (broker, producer) = try await outage("record-batch-outage")
        var batch = RecordBatch(topic: "record-batch-outage")
        for index in 0..<4 {
            let value = batch.store([UInt8(index)])
            batch.append(key: nil, value: value)
        }
        let (receipt, refused) = producer.enqueue(batch)
        let failures = await receipt.delivered()
        #expect(refused.isEmpty)
        #expect(failures.keys.sorted() == [0, 1, 2, 3])
        broker.setAllBrokers(up: true)
    }

    @Test("a batch receipt names each record the broker never acknowledged, by its index")
    func batchReceiptFailures() async throws {
        let (broker, producer) = try await outage("batch-outage")
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

    @Test("the admin client lists the topics of the embedded broker")
    func listTopics() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: logger)
        try broker.createTopic("listed", partitions: 4)
        let admin = try KafkaAdmin(bootstrap: broker.bootstrap, logger: logger)
        let topics = try await admin.listTopics()
        #expect(topics.contains(KafkaAdmin.TopicInfo(name: "listed", partitions: 4)))
    }

    /// A producer that has delivered one record to `topic` (so it knows the cluster), with
    /// every broker then taken down; sends time out after 1.5 s.
    private func outage(_ topic: String, brokers: Int = 1) async throws -> (EmbeddedBroker, KafkaProducer) {
        let broker = try EmbeddedBroker(brokers: brokers, logger: logger)
        try broker.createTopic(topic, partitions: 1)
        var configuration = KafkaProducerConfiguration(bootstrapServers: broker.bootstrap)
        configuration.messageTimeout = .milliseconds(1500)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        _ = try await producer.send(ProducerRecord(topic: topic, key: nil, value: [0]))
        broker.setAllBrokers(up: false)
        return (broker, producer)
    }

    func pollUntil(_ consumer: KafkaConsumer, count: Int, seconds: Double = 30) async throws -> [ConsumerRecord] {
        var records: [ConsumerRecord] = []
        let deadline = Date().addingTimeInterval(seconds)
        while records.count < count, Date() < deadline {
            records += try await consumer.poll(maxRecords: count - records.count, timeout: .milliseconds(500))
        }
        return records
    }
}
