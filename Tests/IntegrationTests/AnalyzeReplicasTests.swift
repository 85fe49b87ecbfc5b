import Foundation
import Testing
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// Two `voc-analyze` processes in one consumer group on a 3-broker cluster with 6
/// partitions; one is killed with SIGKILL mid-stream. Every transcript still yields its
/// insight, and what analyze learned counts each transcript exactly once.
@Suite("Analyze replicas as processes", .serialized)
struct AnalyzeReplicasTests {
    /// The folder of the built executables: the test bundle sits beside them.
    static var productsFolder: URL {
        Bundle.main.executableURL?.deletingLastPathComponent()
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    @Test("a replica killed with SIGKILL: every transcript gets its insight (redeliveries under the same id), learning counted once, nothing dead-lettered")
    func killOneReplica() async throws {
        let executable = Self.productsFolder.appendingPathComponent("voc-analyze").path
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build every product first: \(executable)")
        let broker = try EmbeddedBroker(brokers: 3, logger: testLogger)
        try broker.createTopic(Topic.transcriptReady.rawValue, partitions: 6)
        try broker.createTopic(Topic.insightProduced.rawValue, partitions: 6)
        try broker.createTopic(Topic.deadLetter.rawValue, partitions: 1)
        let store = try TestPostgres.database("replicas")

        let total = 1_200
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test/transcribe")
        let texts = ["年费扣了两次，我要投诉", "转账又失败了，怎么回事", "理财赎回什么时候到账？", "The app keeps logging me out.", "谢谢你们的耐心解答"]
        var ids: Set<String> = []
        var receipts: [DeliveryReceipt] = []
        for index in 0..<total {
            var transcript = AnalyzeStageTests.transcript(id: "t-replica-\(index)", text: texts[index % texts.count])
            transcript.customerId = "C-\(index % 97)"
            ids.insert(transcript.transcriptId)
            receipts.append(try publisher.enqueue(try publisher.encode(transcript, key: Array(transcript.customerId.utf8))))
        }
        for receipt in receipts { _ = try await receipt.delivered() }

        let group = "analyze-replicas-\(UUID().uuidString.prefix(8))"
        func start(_ name: String) throws -> SpawnedProcess {
            var environment = ProcessInfo.processInfo.environment
            environment["VOC_KAFKA_BROKERS"] = broker.bootstrap
            environment["VOC_POSTGRES_URL"] = store.url
            environment["VOC_ANALYZE_GROUP"] = group
            environment["VOC_HTTP_PORT"] = "\(TestPostgres.freePort())"
            environment["VOC_LOG_LEVEL"] = "warning"
            environment["VOC_STAGE_BATCH_SIZE"] = "50"
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(group)-\(name).log").path
            return try #require(SpawnedProcess([executable], environment: environment, outputPath: log, ownGroup: true))
        }
        let doomed = try start("a")
        let survivor = try start("b")
        defer {
            for process in [doomed, survivor] where process.exitStatus() == nil {
                process.signal(SIGKILL)
                _ = process.waitForExit()
            }
        }

        let reader = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(bootstrapServers: broker.bootstrap, groupID: "reader-\(UUID().uuidString)"),
            topics: [Topic.insightProduced.rawValue], logger: testLogger)
        var seen: [String: Int] = [:]
        var killedAt: Int?
        let deadline = Date().addingTimeInterval(180)
        while seen.count < total, Date() < deadline {
            for record in try await reader.poll(maxRecords: 500, timeout: .milliseconds(300)) {
                let insight = try record.decode(InsightProduced.self).0
                seen[insight.transcriptId, default: 0] += 1
            }
            if killedAt == nil, seen.count >= total / 5 {
                doomed.signal(SIGKILL)
                killedAt = seen.count
                #expect(doomed.waitForExit() == 128 + SIGKILL)
            }
        }
        await reader.close()

        #expect(killedAt != nil && killedAt! < total)
        #expect(Set(seen.keys) == ids, "missing: \(ids.subtracting(seen.keys).count)")
        // A record the killed replica had published but not committed comes again from
        // the survivor, under the same insight id; consumers apply it once.
        let redelivered = seen.values.filter { $0 > 1 }.count
        #expect(redelivered <= total / 2)
        let letters = try await readTopic(Topic.deadLetter.rawValue, bootstrap: broker.bootstrap, count: 1, seconds: 2)
        #expect(letters.isEmpty)

        let documents = try await withThrowingTaskGroup(of: Void.self) { tasks in
            let database = Store(configuration: store, logger: testLogger)
            tasks.addTask { try await database.run() }
            defer { tasks.cancelAll() }
            // The survivor records its last batch just before publishing it: by now it has.
            return try await database.rows("SELECT documents FROM analyze_corpus WHERE id = 1", as: Int.self).first
        }
        #expect(documents == total)
    }
}
