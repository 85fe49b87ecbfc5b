import Analyze
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// The analyze stage on real components: a transcript on the embedded broker becomes an
/// insight on its topic, redacted, with a deterministic id; its learning is kept in a
/// throwaway PostgreSQL once, and survives a restart.
@Suite("Analyze stage", .serialized)
struct AnalyzeStageTests {
    static func transcript(id: String, text: String) -> TranscriptReady {
        TranscriptReady(
            transcriptId: id, interactionId: "i-\(id)", customerId: "C-analyze", channel: .hotlineCall, businessLine: "credit_card",
            occurredAt: Date(timeIntervalSince1970: 1_795_000_000), language: nil,
            utterances: [.init(speaker: .customer, text: text, confidence: 0.9), .init(speaker: .agent, text: "非常抱歉，我马上处理。", confidence: 0.9)],
            engine: .init(name: "passthrough", version: "1"), producedAt: Date())
    }

    @Test("transcript → insight: redacted text only, deterministic id, learning recorded once and restored after a restart")
    func transcriptToInsight() async throws {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        for topic in [Topic.transcriptReady, .insightProduced, .deadLetter] { try broker.createTopic(topic.rawValue, partitions: 1) }
        let common = CommonSettings(kafkaBrokers: broker.bootstrap)
        let storeConfiguration = try TestPostgres.database("analyze")
        let configuration = AnalyzeConfiguration(common: common, store: storeConfiguration, group: "analyze-\(UUID().uuidString)")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test/transcribe")

        let mobile = "138 1234 5678"
        let transcript = Self.transcript(id: "t-analyze-1", text: "年费扣了两次，第三次打电话了，再不处理我就向监管投诉！手机\(mobile)")
        try await publisher.publish(transcript)
        // The same transcript again (a redelivery upstream): same insight id, counted once.
        try await publisher.publish(transcript)

        try await AnalyzeApp.build(configuration: configuration, logger: testLogger).test(.live) { client in
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            let records = try await readTopic(Topic.insightProduced.rawValue, bootstrap: broker.bootstrap, count: 2)
            #expect(records.count == 2)
            let decoded = try records.map { try $0.decode(InsightProduced.self) }
            let insight = try #require(decoded.first?.0)
            #expect(decoded.map(\.0.insightId) == [insight.insightId, insight.insightId])
            #expect(decoded.first?.1.id == insight.insightId)
            // The model in force is part of the id: its version follows the analysers' after a `+`.
            let modelVersion = (insight.analyzerVersion ?? "").split(separator: "+", maxSplits: 1).dropFirst().first.map(String.init)
            #expect(modelVersion != nil)
            #expect(insight.insightId == Analyzer.insightId(sourceId: "t-analyze-1", rulePackVersion: insight.rulePackVersion,
                                                            modelVersion: modelVersion))
            #expect(records.first?.key == Array("C-analyze".utf8))
            #expect(insight.transcriptId == "t-analyze-1" && insight.interactionId == "i-t-analyze-1")
            #expect(insight.language == "zh")
            #expect(insight.utterances[0].text.hasSuffix("手机[mobile]"))
            #expect(!String(decoding: records[0].value, as: UTF8.self).contains(mobile))
            #expect(insight.pii.map(\.type) == ["mobile"])
            #expect(insight.categories.map(\.id).contains("fees_interest"))
            #expect(insight.complaintRisk > 0.5)
            #expect(insight.cluster != nil)
        }

        /// The documents counted and the cluster sizes recorded in PostgreSQL.
        func learned() async throws -> (documents: [Int], sizes: [Int]) {
            let store = Store(configuration: storeConfiguration, logger: testLogger)
            return try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await store.run() }
                defer { tasks.cancelAll() }
                return (try await store.rows("SELECT documents FROM analyze_corpus WHERE id = 1", as: Int.self),
                        try await store.rows("SELECT size FROM analyze_clusters", as: Int.self))
            }
        }
        var recorded = try await learned()
        #expect(recorded.documents == [1])
        #expect(recorded.sizes == [1])

        // A restart loads the corpus and the clusters: a similar complaint joins the same
        // cluster, and the first transcript delivered once more is not learned again.
        let second = Self.transcript(id: "t-analyze-2", text: "年费又扣了两次，太离谱了，我要向监管投诉！")
        try await publisher.publish(second)
        try await publisher.publish(transcript)
        try await AnalyzeApp.build(configuration: configuration, logger: testLogger).test(.live) { _ in
            let records = try await readTopic(Topic.insightProduced.rawValue, bootstrap: broker.bootstrap, count: 4)
            let insights = try records.map { try $0.decode(InsightProduced.self).0 }
            let latest = try #require(insights.first { $0.transcriptId == "t-analyze-2" })
            #expect(latest.cluster?.id == insights[0].cluster?.id)
            #expect(latest.cluster?.size == 2)
            #expect(insights.last?.insightId == insights[0].insightId)
        }
        recorded = try await learned()
        #expect(recorded.documents == [2])
        #expect(recorded.sizes == [2])
    }
}
