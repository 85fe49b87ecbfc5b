import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport

/// The stage loop's delivery rules against the embedded broker: retries, dead letters,
/// commits only after acknowledgement.
@Suite("Stage loop", .serialized)
struct StageLoopTests {
    /// Fails the first `failures` attempts of every record, then forwards it to `out`.
    final class FlakyHandler: StageHandler, Sendable {
        let failures: Int
        let attempts = Mutex<[Int64: Int]>([:])
        let publisher: EventPublisher

        /// Fail as a dependency that is away does, rather than as the record's processing.
        let outage: Bool

        init(failures: Int, outage: Bool = false, publisher: EventPublisher) {
            self.failures = failures
            self.outage = outage
            self.publisher = publisher
        }

        func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
            let attempt = attempts.withLock { $0[record.offset, default: 0] += 1; return $0[record.offset]! }
            if attempt <= failures {
                if outage { throw StageError.unavailable("the engine is restarting") }
                throw CocoaError(.fileReadUnknown)
            }
            let (event, _) = try record.decode(InteractionReceived.self)
            var copy = event
            copy.metadata = ["stage": "seen"]
            return [try publisher.encode(copy)]
        }
    }

    func run(handler: @escaping (EventPublisher) -> any StageHandler, input: [InteractionReceived],
             topicOut: Topic, expect count: Int) async throws -> (records: [ConsumerRecord], broker: EmbeddedBroker) {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createTopic(Topic.interactionReceived.rawValue, partitions: 1)
        try broker.createTopic(Topic.deadLetter.rawValue, partitions: 1)
        if ![.interactionReceived, .deadLetter].contains(topicOut) { try broker.createTopic(topicOut.rawValue, partitions: 1) }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let inputPublisher = EventPublisher(producer: producer, source: "/test")
        for event in input { try await inputPublisher.publish(event) }

        let common = CommonSettings(kafkaBrokers: broker.bootstrap)
        let settings = StageSettings(name: "test-stage", topics: [Topic.interactionReceived.rawValue], group: "g-\(UUID())",
                                     tuning: StageTuning(maxAttempts: 3, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50)))
        let loop = try StageLoop(settings: settings, common: common, publisher: inputPublisher,
                                 handler: handler(inputPublisher), logger: testLogger)
        let group = ServiceGroup(services: [loop], logger: testLogger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let records = try await readTopic(topicOut.rawValue, bootstrap: broker.bootstrap, count: count, seconds: 20)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return (records, broker)
        }
    }

    static func interaction(_ id: String) -> InteractionReceived {
        InteractionReceived(interactionId: id, customerId: "c", channel: .chat, businessLine: "b",
                            occurredAt: Date(timeIntervalSince1970: 1_790_000_000), receivedAt: Date(), text: "t")
    }

    @Test("a handler that fails twice then succeeds is retried; nothing is dead-lettered")
    func retriesThenSucceeds() async throws {
        let (records, broker) = try await run(
            handler: { FlakyHandler(failures: 2, publisher: $0) }, input: [Self.interaction("r-1")],
            topicOut: .interactionReceived, expect: 2)
        // The input and the handler's copy, both on the same topic.
        let decoded = try records.map { try $0.decode(InteractionReceived.self).0 }
        #expect(decoded.contains { $0.metadata?["stage"] == "seen" })
        let letters = try await readTopic(Topic.deadLetter.rawValue, bootstrap: broker.bootstrap, count: 1, seconds: 2)
        #expect(letters.isEmpty)
    }

    @Test("a dependency away for more failures than maxAttempts holds the record, not dead-letters it; it flows once back")
    func outageWaits() async throws {
        let (records, broker) = try await run(
            handler: { FlakyHandler(failures: 6, outage: true, publisher: $0) }, input: [Self.interaction("o-1")],
            topicOut: .interactionReceived, expect: 2)
        let decoded = try records.map { try $0.decode(InteractionReceived.self).0 }
        #expect(decoded.contains { $0.metadata?["stage"] == "seen" })
        let letters = try await readTopic(Topic.deadLetter.rawValue, bootstrap: broker.bootstrap, count: 1, seconds: 2)
        #expect(letters.isEmpty)
    }

    @Test("a handler that keeps failing dead-letters the record after maxAttempts with reason failed, and the next record still flows")
    func exhaustedRetries() async throws {
        let (letters, _) = try await run(
            handler: { FlakyHandler(failures: 3, publisher: $0) }, input: [Self.interaction("x-1"), Self.interaction("x-2")],
            topicOut: .deadLetter, expect: 2)
        let decoded = try letters.map { try $0.decode(DeadLetter.self).0 }
        #expect(decoded.map(\.reason) == [.failed, .failed])
        #expect(decoded.map(\.attempts) == [3, 3])
        #expect(decoded.map(\.offset) == [0, 1])
        let original = try #require(decoded.first?.originalValue)
        #expect(try JSONCoding.decode(InteractionReceived.self, from: original).interactionId == "x-1")
    }

    @Test("after a restart the group resumes after the last committed record: nothing is processed twice")
    func commitsAfterProcessing() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createTopic(Topic.interactionReceived.rawValue, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test")
        let seen = Counted()
        let settings = StageSettings(name: "count-stage", topics: [Topic.interactionReceived.rawValue], group: "g-resume")
        for round in 0..<2 {
            for index in 0..<3 { try await publisher.publish(Self.interaction("c-\(round)-\(index)")) }
            let loop = try StageLoop(settings: settings, common: CommonSettings(kafkaBrokers: broker.bootstrap),
                                     publisher: publisher, handler: seen, logger: testLogger)
            let group = ServiceGroup(services: [loop], logger: testLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                _ = try await eventually(seconds: 20) { seen.ids.withLock { $0.count } == (round + 1) * 3 ? true : nil }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
        let ids = seen.ids.withLock { $0 }
        #expect(ids.count == 6)
        #expect(Set(ids).count == 6, "a record was processed twice: \(ids)")
    }

    @Test("shutdown during retries leaves the record uncommitted, not dead-lettered, and the next run processes it")
    func shutdownDuringRetries() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createTopic(Topic.interactionReceived.rawValue, partitions: 1)
        try broker.createTopic(Topic.deadLetter.rawValue, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test")
        try await publisher.publish(Self.interaction("s-1"))
        let common = CommonSettings(kafkaBrokers: broker.bootstrap)
        let settings = StageSettings(name: "shutdown-stage", topics: [Topic.interactionReceived.rawValue], group: "g-shutdown",
                                     tuning: StageTuning(maxAttempts: 1_000, initialBackoff: .milliseconds(50), maxBackoff: .milliseconds(50)))

        let failing = FlakyHandler(failures: .max, publisher: publisher)
        let first = ServiceGroup(services: [try StageLoop(settings: settings, common: common, publisher: publisher,
                                                          handler: failing, logger: testLogger)], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await first.run() }
            _ = try await eventually(seconds: 20) { failing.attempts.withLock { $0[0] ?? 0 } >= 3 ? true : nil }
            await first.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }

        let counted = Counted()
        let second = ServiceGroup(services: [try StageLoop(settings: settings, common: common, publisher: publisher,
                                                           handler: counted, logger: testLogger)], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await second.run() }
            _ = try await eventually(seconds: 20) { counted.ids.withLock { $0.isEmpty ? nil : true } }
            await second.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(counted.ids.withLock { $0 } == ["s-1"])
        let letters = try await readTopic(Topic.deadLetter.rawValue, bootstrap: broker.bootstrap, count: 1, seconds: 2)
        #expect(letters.isEmpty)
    }

    /// Gathers a batch's outputs and releases them only when its batch is finished,
    /// failing the first `failures` finishes.
    final class Batched: StageHandler, Sendable {
        struct State {
            var batches: [[Int64]] = []
            var finishes = 0
            var finishedRecords: Set<Int64> = []
            var handledBeforeFinish: [Int64] = []
        }
        let failures: Int
        let state = Mutex(State())
        let publisher: EventPublisher

        init(failures: Int, publisher: EventPublisher) {
            self.failures = failures
            self.publisher = publisher
        }

        func prepareBatch(_ records: [ConsumerRecord]) async throws {
            state.withLock { $0.batches.append(records.map(\.offset)) }
        }

        func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
            state.withLock { $0.handledBeforeFinish.append(record.offset) }
            var (event, _) = try record.decode(InteractionReceived.self)
            event.metadata = ["stage": "seen"]
            var output = try publisher.encode(event)
            output.topic = .insightProduced
            return [output]
        }

        func finishBatch() async throws {
            let attempt = state.withLock { $0.finishes += 1; return $0.finishes }
            if attempt <= failures { throw CocoaError(.fileWriteUnknown) }
            state.withLock { $0.finishedRecords.formUnion($0.handledBeforeFinish); $0.handledBeforeFinish = [] }
        }
    }

    @Test("a batch is prepared before its records and finished once they are handled; a failing finish is retried, nothing dead-lettered")
    func batchHooks() async throws {
        let batched = Mutex<Batched?>(nil)
        let (records, broker) = try await run(
            handler: { publisher in
                let handler = Batched(failures: 2, publisher: publisher)
                batched.withLock { $0 = handler }
                return handler
            },
            input: (1...5).map { Self.interaction("b-\($0)") }, topicOut: .insightProduced, expect: 5)
        let handler = try #require(batched.withLock { $0 })
        let state = handler.state.withLock { $0 }
        #expect(records.count == 5)
        #expect(state.batches.flatMap { $0 } == [0, 1, 2, 3, 4])
        #expect(state.finishes >= 3)
        #expect(state.finishedRecords == [0, 1, 2, 3, 4])
        let letters = try await readTopic(Topic.deadLetter.rawValue, bootstrap: broker.bootstrap, count: 1, seconds: 2)
        #expect(letters.isEmpty)
    }

    final class Counted: StageHandler, Sendable {
        let ids = Mutex<[String]>([])
        func handle(_ record: ConsumerRecord) async throws -> [EncodedEvent] {
            let (event, _) = try record.decode(InteractionReceived.self)
            ids.withLock { $0.append(event.interactionId) }
            return []
        }
    }
}
