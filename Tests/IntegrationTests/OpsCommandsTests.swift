import Foundation
import Projector
import Route
import Testing
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// `voc replay` and `voc lag` as an operator runs them: the built `voc` against the
/// embedded broker and a real PostgreSQL.
@Suite("Ops commands", .serialized)
struct OpsCommandsTests {
    static func voc(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let executable = AnalyzeReplicasTests.productsFolder.appendingPathComponent("voc").path
        try #require(FileManager.default.isExecutableFile(atPath: executable), "build every product first: \(executable)")
        var environment = ProcessInfo.processInfo.environment
        environment["VOC_LOG_LEVEL"] = "error"
        // A command that waits for a record that never comes must fail the test, not hang the suite.
        let timeout = try #require(ChildProcess.resolve("timeout"))
        return try #require(await ChildProcess.runInBackground([timeout, "60", executable] + arguments, environment: environment))
    }

    static func letter(stage: String, offset: Int64, key: String, value: String) -> DeadLetter {
        DeadLetter(stage: stage, originalTopic: Topic.interactionReceived.rawValue, partition: 0, offset: offset,
                   key: Array(key.utf8), headers: [(name: "ce_id", value: Array("orig-\(offset)".utf8))], value: Array(value.utf8),
                   error: "PostgreSQL unreachable", reason: .failed, attempts: 5, failedAt: Date())
    }

    @Test("replay: dry run sends nothing; a run sends the matching letter with its key, headers and bytes; a second run skips it")
    func replayOnce() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createPipelineTopics()
        let store = try TestPostgres.database("replay")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test")
        try await publisher.publish(Self.letter(stage: "projector", offset: 7, key: "C-9", value: #"{"original":true}"#))
        try await publisher.publish(Self.letter(stage: "transcribe", offset: 8, key: "C-10", value: "other"))
        let common = ["--brokers", broker.bootstrap, "--postgres-url", store.url, "--stage", "projector"]

        let dry = try await Self.voc(["replay", "--dry-run"] + common)
        #expect(dry.status == 0, "\(dry.output)")
        #expect(dry.output.contains("read 2, matching 1, replayed before 0, would replay 1"), "\(dry.output)")
        #expect(try await readTopic(Topic.interactionReceived.rawValue, bootstrap: broker.bootstrap, count: 1, seconds: 2).isEmpty)

        let run = try await Self.voc(["replay"] + common)
        #expect(run.output.contains("matching 1, replayed before 0, replayed 1"), "\(run.output)")
        let replayed = try await readTopic(Topic.interactionReceived.rawValue, bootstrap: broker.bootstrap, count: 1, seconds: 20)
        #expect(replayed.count == 1)
        #expect(replayed.first?.value == Array(#"{"original":true}"#.utf8))
        #expect(replayed.first?.key == Array("C-9".utf8))
        #expect(replayed.first?.header("ce_id") == "orig-7")
        #expect(replayed.first?.header(DeadLetter.replayedFromHeader) != nil)

        let again = try await Self.voc(["replay"] + common)
        #expect(again.output.contains("matching 1, replayed before 1, replayed 0"), "\(again.output)")
        let all = try await readTopic(Topic.interactionReceived.rawValue, bootstrap: broker.bootstrap, count: 2, seconds: 8)
        #expect(all.count == 1)

        let bad = try await Self.voc(["replay", "--reason", "maybe"] + common)
        #expect(bad.status != 0 && bad.output.contains("--reason maybe"), "\(bad.output)")
    }

    @Test("lag: a group that committed 1 of 3 records lags by 2 on that partition")
    func lag() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createTopic(Topic.interactionReceived.rawValue, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test")
        for id in ["l-1", "l-2", "l-3"] { try await publisher.publish(StageLoopTests.interaction(id)) }
        let group = "lag-\(UUID().uuidString.prefix(8))"
        let consumer = try KafkaConsumer(configuration: KafkaConsumerConfiguration(bootstrapServers: broker.bootstrap, groupID: group),
                                         topics: [Topic.interactionReceived.rawValue], logger: testLogger)
        let first = try #require(try await eventually(seconds: 20) { try await consumer.poll(maxRecords: 1).first })
        try await consumer.commit([TopicPartitionOffset(topic: first.topic, partition: first.partition, offset: first.offset + 1)])
        await consumer.close()

        let result = try await Self.voc(["lag", "--brokers", broker.bootstrap, "--group", group, "--json"])
        #expect(result.status == 0, "\(result.output)")
        let rows = result.output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(rows.count == 1)
        #expect(rows.first?["lag"] as? Int == 2 && rows.first?["committed"] as? Int == 1 && rows.first?["end"] as? Int == 3, "\(result.output)")
    }

    @Test("tail: --customer keeps only that customer's events; --pretty prints a header line and the payload")
    func tailFilters() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createTopic(Topic.interactionReceived.rawValue, partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test")
        for (id, customer) in [("t-1", "C-1"), ("t-2", "C-2"), ("t-3", "C-1"), ("t-4", "C-2")] {
            var event = StageLoopTests.interaction(id)
            event.customerId = customer
            try await publisher.publish(event)
        }
        let lines = try await Self.voc(["tail", "interaction", "--brokers", broker.bootstrap, "--from-beginning", "--customer", "C-2", "--count", "2"])
        let ids = lines.output.split(separator: "\n").compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["event"] as? [String: Any]
        }.compactMap { $0["interactionId"] as? String }
        #expect(ids == ["t-2", "t-4"], "\(lines.output)")

        let pretty = try await Self.voc(["tail", "interaction", "--brokers", broker.bootstrap, "--since", "1h", "--key", "C-1", "--count", "1", "--pretty"])
        #expect(pretty.output.hasPrefix("voc.interaction.received.v1/0@0  key=C-1  type="), "\(pretty.output)")
        #expect(pretty.output.contains("\"interactionId\" : \"t-1\""), "\(pretty.output)")
    }

    @Test("verify: per stage in, out, dead-lettered, lost and doubled, with the ids; a redelivery is not doubled")
    func verify() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createPipelineTopics()
        let storeConfiguration = try TestPostgres.provisionedDatabase("verify")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        func put(_ topic: Topic, _ json: String) async throws {
            _ = try await producer.enqueue(ProducerRecord(topic: topic.rawValue, key: Array("C".utf8), value: Array(json.utf8))).delivered()
        }
        for id in ["i-1", "i-2", "i-3"] { try await put(.interactionReceived, #"{"interactionId":"\#(id)"}"#) }
        try await put(.transcriptReady, #"{"transcriptId":"t-1","interactionId":"i-1"}"#)
        try await put(.transcriptReady, #"{"transcriptId":"t-2","interactionId":"i-2"}"#)
        try await put(.transcriptReady, #"{"transcriptId":"t-2b","interactionId":"i-2"}"#)
        try await put(.insightProduced, #"{"insightId":"n-1","transcriptId":"t-1"}"#)
        try await put(.insightProduced, #"{"insightId":"n-1","transcriptId":"t-1"}"#)
        let publisher = EventPublisher(producer: producer, source: "/test")
        try await publisher.publish(DeadLetter(
            stage: "transcribe", originalTopic: Topic.interactionReceived.rawValue, partition: 0, offset: 2, key: nil, headers: [],
            value: Array(#"{"interactionId":"i-3"}"#.utf8), error: "engine down", reason: .failed, attempts: 5, failedAt: Date()))

        // Each table written by the role of the service that owns it; verify connects as
        // the operator role (a URL without a user), which may read only these two.
        try await withRunningStore(storeConfiguration.serving(.projector)) { store in
            try await store.migrate(component: ProjectorApp.component, ProjectorApp.migrations())
            try await store.execute("INSERT INTO timeline_entries (entry_id, customer_id, interaction_seen) VALUES ('i-1', 'C', true), ('i-2', 'C', true), ('i-3', 'C', true)")
        }
        try await withRunningStore(storeConfiguration.serving(.route)) { store in
            try await store.migrate(component: RouteApp.component, RouteApp.migrations())
            try await store.execute("INSERT INTO applied_events (consumer, event_id) VALUES ('route.insights', 'n-1')")
        }

        let result = try await Self.voc(["verify", "--brokers", broker.bootstrap, "--postgres-url", storeConfiguration.serverURL])
        #expect(result.status == 1, "\(result.output)")
        let rows = Dictionary(uniqueKeysWithValues: result.output.split(separator: "\n").compactMap { line -> (String, [String])? in
            let columns = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            return columns.count == 6 && Int(columns[1]) != nil ? (columns[0], Array(columns.dropFirst())) : nil
        })
        #expect(rows["transcribe"] == ["3", "2", "1", "0", "1"], "\(result.output)")
        #expect(rows["analyze"] == ["3", "1", "0", "2", "0"], "\(result.output)")
        #expect(rows["projector"] == ["3", "3", "0", "0", "0"], "\(result.output)")
        #expect(rows["route"] == ["1", "1", "0", "0", "0"], "\(result.output)")
        #expect(result.output.contains("transcribe doubled: i-2"), "\(result.output)")
        #expect(result.output.contains("analyze lost: t-2 t-2b"), "\(result.output)")
        #expect(!result.output.contains("incomplete"), "\(result.output)")

        // Past a few megabytes the embedded broker deletes a partition's oldest records, as
        // retention does on a real cluster: what is gone cannot be reconciled, and verify
        // says so instead of reporting on what is left.
        let filler = #"{"note":""# + String(repeating: "x", count: 500_000) + #""}"#
        for _ in 0..<14 { try await put(.transcriptReady, filler) }
        let truncated = try await Self.voc(["verify", "--brokers", broker.bootstrap, "--postgres-url", storeConfiguration.serverURL])
        #expect(truncated.status == 1, "\(truncated.output)")
        let gap = truncated.output.split(separator: "\n").first { $0.hasPrefix("incomplete: \(Topic.transcriptReady.rawValue) partition ") }
        #expect(gap?.contains("older records are gone") == true, "\(truncated.output)")
    }
}
