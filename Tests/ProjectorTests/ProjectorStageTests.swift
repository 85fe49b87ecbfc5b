import Foundation
import Hummingbird
import HummingbirdTesting
import Projector
import Testing
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// The projector on the embedded broker: every topic into the read models, bad records
/// dead-lettered with their reason, ids that need percent-encoding read back over HTTP,
/// and a rebuild from the topics arriving at the state the live stage built.
@Suite("Projector stage on the embedded broker", .serialized)
struct ProjectorStageTests {
    static let secret = "stage-test-secret-of-thirty-two-bytes"

    @Test("topics → read models; dead letters name the reason; 客户 A/1 reads back; rebuild gives the same state")
    func liveAndRebuilt() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        try broker.createPipelineTopics()
        let configuration = ProjectorConfiguration(
            common: CommonSettings(kafkaBrokers: broker.bootstrap), store: try TestPostgres.database("projstage"),
            group: "projector-\(UUID().uuidString)", tokenSecret: Self.secret, timeZone: ProjectionTests.zone)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test")
        for event in ReadFixture.customers { _ = try await publisher.publish(event) }
        for event in ReadFixture.interactions { _ = try await publisher.publish(event) }
        for event in ReadFixture.transcripts { _ = try await publisher.publish(event) }
        for event in ReadFixture.insights { _ = try await publisher.publish(event) }
        for event in ReadFixture.tickets { _ = try await publisher.publish(event) }
        for event in ReadFixture.notifications { _ = try await publisher.publish(event) }
        for event in ReadFixture.deliveries { _ = try await publisher.publish(event) }
        // A record that is not JSON, and an insight PostgreSQL cannot store (a NUL in its text).
        _ = try await producer.enqueue(ProducerRecord(topic: Topic.interactionReceived.rawValue, key: Array("C-A".utf8),
                                                      value: Array("not json".utf8),
                                                      headers: [KafkaHeader(name: "ce_type", string: InteractionReceived.eventType)]))
            .delivered()
        var bad = ReadFixture.insights[3]
        bad.insightId = "ins-nul"
        bad.interactionId = "i-nul"
        bad.utterances[1].text = "bad \u{0000} text"
        _ = try await publisher.publish(bad)
        let expected = ReadFixture.events.count

        let store = Store(configuration: configuration.store, logger: testLogger)
        let key = try configuration.tokenKey()
        let manager: HTTPFields = [.authorization: "Bearer \(try key.sign(ReadToken(subject: "boss", role: .manager, sensitive: true, expiresAt: Date().addingTimeInterval(600))))"]
        try await ProjectorApp.build(configuration: configuration, logger: testLogger).test(.live) { client in
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await store.run() }
                defer { tasks.cancelAll() }
                let applied = try await eventually(seconds: 60) {
                    let count = try? await store.rows(
                        "SELECT count(*)::int8 FROM applied_events WHERE consumer LIKE 'projector.%'", as: Int.self).first
                    return count == expected ? count : nil
                }
                #expect(applied == expected)
                let letters = try await readTopic(.deadLetter, bootstrap: broker.bootstrap, count: 2)
                let reasons = try letters.map { try $0.decode(DeadLetter.self).0 }.map { "\($0.originalTopic) \($0.reason.rawValue)" }.sorted()
                #expect(reasons == ["voc.insight.produced.v1 failed", "voc.interaction.received.v1 invalid"])

                // The id with Chinese characters, a space and a slash, percent-encoded in the path.
                let encoded = "%E5%AE%A2%E6%88%B7%20A%2F1"
                let timeline = try await client.execute(uri: "/v1/customers/\(encoded)/timeline", method: .get, headers: manager)
                #expect(timeline.status == .ok)
                let page = try JSONCoding.decode(TimelinePage.self, from: Data(buffer: timeline.body))
                #expect(page.customerId == ReadFixture.odd && page.entries.map(\.entryId) == ["i-3"])
                #expect(page.entries.first?.insight?.utterances.last?.text.contains("[mobile]") == true)
                #expect(page.entries.first?.tickets.map(\.ticketId) == ["tk-2"])
                let customer = try await client.execute(uri: "/v1/customers/\(encoded)", method: .get, headers: manager)
                #expect(customer.status == .ok && String(buffer: customer.body).contains("\"customerId\":\"客户 A/1\""))
                let full = try JSONCoding.decode(TimelinePage.self, from: Data(buffer: try await client.execute(
                    uri: "/v1/customers/C-A/timeline", method: .get, headers: manager).body))
                #expect(full.entries.map(\.entryId) == ["i-2", "i-1"])
                let call = try #require(full.entries.last)
                #expect(call.audioDurationMs == 61_000 && call.transcriptEngine == "faster-whisper" && call.insight?.insightId == "ins-1b")
                #expect(call.notifications.map { "\($0.notificationId) \($0.outcome ?? "-")" } == ["n-1 delivered"])

                let live = try await ReadFixture.snapshot(store)
                let rebuild = ReadModelRebuild(writer: ReadModelWriter(store: store, timeZone: ProjectionTests.zone, logger: testLogger),
                                               logger: testLogger)
                let outcome = try await rebuild.run(bootstrap: broker.bootstrap)
                #expect(outcome.read == outcome.total && outcome.read == expected + 2)
                #expect(outcome.invalid == 1 && outcome.failed == 1)
                #expect(try await ReadFixture.snapshot(store) == live)
            }
        }
    }
}
