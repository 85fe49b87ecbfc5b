import Logging
import Testing
@testable import VOCKafka

@Suite("Delivery receipts")
struct DeliveryReceiptTests {
    @Test("every task awaiting a receipt is resumed with the same report, and a later await gets it at once")
    func everyWaiterResumes() async throws {
        let receipt = DeliveryReceipt()
        let report = DeliveryReport(topic: "t", partition: 2, offset: 41)
        async let first = receipt.delivered()
        async let second = receipt.delivered()
        while receipt.waiterCount < 2 {
            await Task.yield()
        }
        receipt.complete(.success(report))
        #expect(try await first == report)
        #expect(try await second == report)
        #expect(try await receipt.delivered() == report)
        #expect(receipt.waiterCount == 0)
    }

    @Test("a failure reaches every waiter and a second report changes nothing")
    func failureReachesAll() async {
        let receipt = DeliveryReceipt()
        async let first = outcome(receipt)
        async let second = outcome(receipt)
        while receipt.waiterCount < 2 {
            await Task.yield()
        }
        receipt.complete(.failure(KafkaError(code: .timedOut, message: "gone", isRetriable: true)))
        receipt.complete(.success(DeliveryReport(topic: "t", partition: 0, offset: 0)))
        for result in await [first, second] {
            guard case .failure(let error) = result else {
                Issue.record("expected a failure")
                continue
            }
            #expect(error.code == .timedOut)
        }
        await #expect(throws: KafkaError.self) { try await receipt.delivered() }
    }

    private func outcome(_ receipt: DeliveryReceipt) async -> Result<DeliveryReport, KafkaError> {
        do {
            return .success(try await receipt.delivered())
        } catch {
            return .failure(error)
        }
    }

    @Test("a record's receipt awaited twice against the broker: both get the acknowledgement")
    func awaitedTwiceAgainstBroker() async throws {
        let logger = Logger(label: "test.kafka")
        let broker = try EmbeddedBroker(brokers: 1, logger: logger)
        try broker.createTopic("twice", partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: logger)
        let receipt = try producer.enqueue(ProducerRecord(topic: "twice", key: nil, value: [1]))
        async let first = receipt.delivered()
        async let second = receipt.delivered()
        let (a, b) = try await (first, second)
        #expect(a == b && a.topic == "twice" && a.offset >= 0)
    }
}
