import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import Logging
import Projector
import Testing
import VOCBlob
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore

/// The spine end to end on real components: HTTP → embedded Kafka broker → projector →
/// PostgreSQL → read API.
@Suite("Pipeline end to end", .serialized)
struct PipelineTests {
    struct Harness {
        let broker: EmbeddedBroker
        let common: CommonSettings
        let store: StoreConfiguration
        let blobFolder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-blobs-\(UUID().uuidString)").path

        init(name: String) throws {
            broker = try EmbeddedBroker(brokers: 3, logger: testLogger)
            for topic in Topic.allCases {
                try broker.createTopic(topic.rawValue, partitions: topic == .deadLetter ? 1 : 3)
            }
            common = CommonSettings(kafkaBrokers: broker.bootstrap)
            store = try TestPostgres.database(name)
        }

        func ingest(deliveryTimeoutMs: Int = 5_000) throws -> some ApplicationProtocol {
            var configuration = IngestConfiguration(common: common, store: store, blob: BlobSettings(localDirectory: blobFolder))
            configuration.deliveryTimeoutMs = deliveryTimeoutMs
            configuration.retryAfterSeconds = 3
            configuration.group = "ingest-\(UUID().uuidString)"
            return try IngestApp.build(configuration: configuration, logger: testLogger)
        }

        func projector() throws -> some ApplicationProtocol {
            try ProjectorApp.build(configuration: ProjectorConfiguration(common: common, store: store, tokenSecret: PipelineTests.readSecret),
                                   logger: testLogger)
        }
    }

    static func submission(customer: String, text: String, externalId: String? = nil) -> ByteBuffer {
        var body: [String: Any] = [
            "customerId": customer, "channel": "hotline_call", "businessLine": "credit_card",
            "occurredAt": "2026-11-20T10:15:00+08:00", "language": "zh",
            "utterances": [["speaker": "customer", "text": text], ["speaker": "agent", "text": "您好，我来帮您查一下。"]],
        ]
        if let externalId { body["externalId"] = externalId }
        return ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: body))
    }

    static let readSecret = "pipeline-test-read-secret-32-bytes!"

    /// A manager's read token: the read API answers nothing without one.
    static var reader: HTTPFields {
        let key = try! ReadTokenKey(secret: readSecret)
        return [.authorization: "Bearer " + (try! key.sign(ReadToken(subject: "test", role: .manager, expiresAt: Date().addingTimeInterval(600))))]
    }

    static func timeline(_ client: some TestClientProtocol, _ customer: String, query: String = "") async throws -> TimelinePage? {
        try await client.execute(uri: "/v1/customers/\(customer)/timeline\(query)", method: .get, headers: reader) { response in
            response.status == .ok ? try JSONCoding.decoder().decode(TimelinePage.self, from: Data(buffer: response.body)) : nil
        }
    }

    @Test("POST /v1/interactions reaches the timeline in PostgreSQL and the GET returns it")
    func postToTimeline() async throws {
        let harness = try Harness(name: "post")
        try await harness.projector().test(.live) { reader in
            try await harness.ingest().test(.live) { api in
                let accepted = try await api.execute(uri: "/v1/interactions", method: .post,
                                                     headers: [.contentType: "application/json"],
                                                     body: Self.submission(customer: "cust-42", text: "年费扣了两次")) { response in
                    #expect(response.status == .accepted)
                    return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
                }
                let id = try #require(accepted?["interactionId"])
                let page = try await eventually { try await Self.timeline(reader, "cust-42").flatMap { $0.entries.isEmpty ? nil : $0 } }
                let entry = try #require(page?.entries.first)
                #expect(entry.entryId == id)
                #expect(entry.channel == "hotline_call")
                #expect(entry.businessLine == "credit_card")
                #expect(entry.utteranceCount == 2)
                #expect(entry.occurredAt == Timestamp.parse("2026-11-20T02:15:00Z"))
                // The event on the topic carries the CloudEvents attributes in headers.
                let records = try await readTopic(Topic.interactionReceived.rawValue, bootstrap: harness.broker.bootstrap, count: 1)
                let (event, attributes) = try #require(records.first).decode(InteractionReceived.self)
                #expect(attributes.id == id && attributes.type == "voc.interaction.received.v1" && attributes.source == "/voc/ingest")
                #expect(attributes.subject == "cust-42" && records.first?.key == Array("cust-42".utf8))
                #expect(event.utterances?.first?.text == "年费扣了两次")
            }
        }
    }

    @Test("the same event delivered twice leaves one row")
    func duplicateDelivery() async throws {
        let harness = try Harness(name: "dup")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: harness.broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test")
        let event = InteractionReceived(
            interactionId: "dup-1", customerId: "cust-dup", channel: .email, businessLine: "wealth",
            occurredAt: Date(timeIntervalSince1970: 1_790_000_000), receivedAt: Date(), text: "赎回到账了吗")
        try await publisher.publish(event)
        try await publisher.publish(event)
        let later = InteractionReceived(
            interactionId: "dup-2", customerId: "cust-dup", channel: .email, businessLine: "wealth",
            occurredAt: Date(timeIntervalSince1970: 1_790_000_100), receivedAt: Date(), text: "still waiting")
        try await publisher.publish(later)

        try await harness.projector().test(.live) { reader in
            // The later event is behind both copies in its partition (same key), so once it
            // is visible both copies of the first have been applied.
            let page = try await eventually {
                try await Self.timeline(reader, "cust-dup").flatMap { page in page.entries.contains { $0.entryId == "dup-2" } ? page : nil }
            }
            #expect(page?.entries.map(\.entryId) == ["dup-2", "dup-1"])
        }
        let store = Store(configuration: harness.store, logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            let counts = try await store.rows("SELECT count(*)::int8 FROM timeline_entries WHERE entry_id = 'dup-1'", as: Int.self)
            #expect(counts == [1])
            group.cancelAll()
        }
    }

    @Test("a malformed raw gateway record is dead-lettered with its reason and the stage keeps consuming")
    func rawGatewayDeadLetter() async throws {
        let harness = try Harness(name: "raw")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: harness.broker.bootstrap), logger: testLogger)
        let raw = Topic.gatewayRaw.rawValue
        _ = try await producer.send(ProducerRecord(topic: raw, key: Array("k1".utf8), value: Array("{not json".utf8),
                                                   headers: [KafkaHeader(name: "gateway_id", string: "chat-gw")]))
        _ = try await producer.send(ProducerRecord(topic: raw, key: Array("k1".utf8),
                                                   value: Array(#"{"customerId":"c-raw","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-01T00:00:00Z"}"#.utf8)))
        _ = try await producer.send(ProducerRecord(topic: raw, key: Array("k1".utf8),
                                                   value: Array(#"{"customerId":"c-raw","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-01T00:00:00Z","text":"hello","externalId":"chat-9"}"#.utf8),
                                                   headers: [KafkaHeader(name: "gateway_id", string: "chat-gw")]))

        try await harness.projector().test(.live) { reader in
            try await harness.ingest().test(.live) { _ in
                let letters = try await readTopic(Topic.deadLetter.rawValue, bootstrap: harness.broker.bootstrap, count: 2)
                #expect(letters.count == 2)
                let decoded = try letters.map { try $0.decode(DeadLetter.self).0 }.sorted { $0.offset < $1.offset }
                #expect(decoded.map(\.reason) == [.invalid, .invalid])
                #expect(decoded[0].error.contains("not valid JSON"))
                #expect(decoded[0].originalValue == Array("{not json".utf8))
                #expect(decoded[0].originalTopic == raw && decoded[0].stage == "ingest-gateway-raw")
                #expect(decoded[0].headers.contains { $0.name == "gateway_id" })
                #expect(letters.first?.key == Array("k1".utf8))
                #expect(decoded[1].error.contains("text: one of text, utterances or audio is required"))

                // The valid record after them went through.
                let page = try await eventually { try await Self.timeline(reader, "c-raw").flatMap { $0.entries.isEmpty ? nil : $0 } }
                let entry = try #require(page?.entries.first)
                #expect(entry.gatewayId == "chat-gw")
                #expect(entry.entryId == StableID.make("interaction", "chat-gw", "chat-9"))
            }
        }
    }

    @Test("ingest answers 503 with Retry-After while every broker is down, and 202 again once they are back")
    func backPressureWhenBrokersDown() async throws {
        let harness = try Harness(name: "down")
        try await harness.ingest(deliveryTimeoutMs: 1_500).test(.live) { api in
            let ok = try await api.execute(uri: "/v1/interactions", method: .post, body: Self.submission(customer: "c-a", text: "one"))
            #expect(ok.status == .accepted)

            harness.broker.setAllBrokers(up: false)
            let refused = try await api.execute(uri: "/v1/interactions", method: .post, body: Self.submission(customer: "c-a", text: "two"))
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.headers[.retryAfter] == "3")
            #expect(refused.headers[.contentType] == "application/problem+json")

            harness.broker.setAllBrokers(up: true)
            let recovered = try await eventually(seconds: 30) { () -> Bool? in
                let response = try await api.execute(uri: "/v1/interactions", method: .post, body: Self.submission(customer: "c-a", text: "three"))
                return response.status == .accepted ? true : nil
            }
            #expect(recovered == true)
        }
    }

    @Test("bad requests name the field: 400 for broken JSON, 422 for bad fields, 413 for oversize")
    func badRequests() async throws {
        let harness = try Harness(name: "bad")
        try await harness.ingest().test(.live) { api in
            let broken = try await api.execute(uri: "/v1/interactions", method: .post, body: ByteBuffer(string: "{\"customerId\":"))
            #expect(broken.status == .badRequest)
            let invalid = try await api.execute(
                uri: "/v1/interactions", method: .post,
                body: ByteBuffer(string: #"{"customerId":"c","channel":"fax","businessLine":"Credit Card","occurredAt":"2030-01-01T00:00:00Z","text":"x"}"#))
            #expect(invalid.status == .unprocessableContent)
            let problem = try JSONCoding.decoder().decode(Problem.self, from: Data(buffer: invalid.body))
            #expect(Set(problem.errors?.map(\.field) ?? []) == ["channel", "businessLine", "occurredAt"])
            let huge = try await api.execute(uri: "/v1/interactions", method: .post,
                                             body: ByteBuffer(string: String(repeating: "a", count: 2_000_000)))
            #expect(huge.status == .contentTooLarge)
        }
        try await harness.projector().test(.live) { reader in
            let response = try await reader.execute(uri: "/v1/customers/c/timeline?limit=0&cursor=%%%", method: .get, headers: Self.reader)
            #expect(response.status == .unprocessableContent)
            let problem = try JSONCoding.decoder().decode(Problem.self, from: Data(buffer: response.body))
            #expect(problem.errors?.map(\.field) == ["limit", "cursor"])
        }
    }

    @Test("a record the broker refuses for good is a 500 naming the reason, not a 503 to retry")
    func refusedForGood() async throws {
        let harness = try Harness(name: "refused")
        var common = harness.common
        common.kafkaProperties = ["message.max.bytes": "2000"]
        let app = try IngestApp.build(configuration: IngestConfiguration(common: common, store: harness.store,
                                                                         blob: BlobSettings(localDirectory: harness.blobFolder)),
                                      logger: testLogger)
        try await app.test(.live) { api in
            let response = try await api.execute(uri: "/v1/interactions", method: .post,
                                                 body: Self.submission(customer: "c-big", text: String(repeating: "长", count: 3000)))
            #expect(response.status == .internalServerError)
            #expect(response.headers[.retryAfter] == nil)
            let problem = try JSONCoding.decoder().decode(Problem.self, from: Data(buffer: response.body))
            #expect(problem.detail.contains("MSG_SIZE_TOO_LARGE"))
        }
    }

    @Test("timeline pages newest first and the cursor continues where the page ended")
    func timelinePaging() async throws {
        let harness = try Harness(name: "paging")
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: harness.broker.bootstrap), logger: testLogger)
        let publisher = EventPublisher(producer: producer, source: "/test")
        for index in 0..<5 {
            try await publisher.publish(InteractionReceived(
                interactionId: "p-\(index)", customerId: "cust-page", channel: .chat, businessLine: "loans",
                occurredAt: Date(timeIntervalSince1970: 1_790_000_000 + Double(index) * 60), receivedAt: Date(), text: "m\(index)"))
        }
        try await harness.projector().test(.live) { reader in
            _ = try await eventually { try await Self.timeline(reader, "cust-page").flatMap { $0.entries.count == 5 ? $0 : nil } }
            let first = try #require(try await Self.timeline(reader, "cust-page", query: "?limit=2"))
            #expect(first.entries.map(\.entryId) == ["p-4", "p-3"])
            let cursor = try #require(first.nextCursor)
            let second = try #require(try await Self.timeline(reader, "cust-page", query: "?limit=2&cursor=\(cursor)"))
            #expect(second.entries.map(\.entryId) == ["p-2", "p-1"])
        }
    }

    @Test("every service answers /healthz, /readyz and /metrics; the ingest counters move")
    func operationalEndpoints() async throws {
        let harness = try Harness(name: "ops")
        try await harness.ingest().test(.live) { api in
            #expect(try await api.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await api.execute(uri: "/readyz", method: .get).status == .ok)
            _ = try await api.execute(uri: "/v1/interactions", method: .post, body: Self.submission(customer: "c-ops", text: "hi"))
            _ = try await api.execute(uri: "/v1/interactions", method: .post, body: ByteBuffer(string: "{}"))
            let metrics = try await api.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"voc_ingest_interactions_total{outcome="accepted"}"#))
            #expect(metrics.contains(#"voc_ingest_interactions_total{outcome="rejected"}"#))
        }
        try await harness.projector().test(.live) { reader in
            let ready = try await eventually { try await reader.execute(uri: "/readyz", method: .get).status == .ok ? true : nil }
            #expect(ready == true)
            let metrics = try await reader.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains("voc_stage_records_processed_total"))
        }
    }

    @Test("kcat, a client we did not write, reads the interaction topic and shows the ce_ headers")
    func kcatReadsTopic() async throws {
        let kcat = "/usr/bin/kcat"
        try #require(FileManager.default.isExecutableFile(atPath: kcat), "kcat is installed by make test")
        let harness = try Harness(name: "kcat")
        try await harness.ingest().test(.live) { api in
            let response = try await api.execute(uri: "/v1/interactions", method: .post, body: Self.submission(customer: "c-kcat", text: "hi"))
            #expect(response.status == .accepted)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: kcat)
        process.arguments = ["-C", "-b", harness.broker.bootstrap, "-t", Topic.interactionReceived.rawValue,
                             "-o", "beginning", "-c", "1", "-e", "-q", "-f", "%k|%h|%s\n"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix("c-kcat|"))
        for header in ["ce_specversion=1.0", "ce_type=voc.interaction.received.v1", "ce_source=/voc/ingest", "ce_id=", "ce_time=", "ce_subject=c-kcat", "content-type=application/json", "traceparent=00-"] {
            #expect(text.contains(header), "kcat output lacks \(header): \(text)")
        }
    }
}
