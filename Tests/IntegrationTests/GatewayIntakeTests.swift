import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Transcribe
import VOCBlob
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore
import VOCTestSupport
@testable import Ingest

/// Ingest as real gateways use it: keys, recordings, batches, idempotency, the CRM.
@Suite("Gateway intake", .serialized)
struct GatewayIntakeTests {
    struct Harness {
        let broker: EmbeddedBroker
        let common: CommonSettings
        let store: StoreConfiguration
        let blobFolder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-blobs-\(UUID().uuidString)").path
        let keysFile = FileManager.default.temporaryDirectory.appendingPathComponent("voc-keys-\(UUID().uuidString).json").path
        let hotlineKey: String
        let crmKey: String
        let slowKey: String

        init(name: String) throws {
            broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
            for topic in Topic.allCases { try broker.createTopic(topic.rawValue, partitions: 2) }
            common = CommonSettings(kafkaBrokers: broker.bootstrap)
            store = try TestPostgres.database(name)
            hotlineKey = try GatewayKeyFile.addGateway("hotline", channels: ["hotline_call", "advisor_call"], customers: false,
                                                       ratePerSecond: 10_000, to: keysFile)
            crmKey = try GatewayKeyFile.addGateway("crm", channels: [], customers: true, ratePerSecond: nil, to: keysFile)
            slowKey = try GatewayKeyFile.addGateway("slow", channels: ["chat"], customers: false, ratePerSecond: 0.2, to: keysFile)
        }

        func configuration(_ adjust: (inout IngestConfiguration) -> Void = { _ in }) -> IngestConfiguration {
            var configuration = IngestConfiguration(common: common, store: store, blob: BlobSettings(localDirectory: blobFolder),
                                                    keysFile: keysFile)
            configuration.consumeRawTopic = false
            adjust(&configuration)
            return configuration
        }

        func ingest(_ adjust: (inout IngestConfiguration) -> Void = { _ in }) throws -> some ApplicationProtocol {
            try IngestApp.build(configuration: configuration(adjust), logger: testLogger)
        }

        /// Reads up to `count` events; to show that no more than N arrived, ask for N + 1 and
        /// let the whole window (which covers the consumer group's join) pass.
        func events<E: VOCEvent>(_ type: E.Type, count: Int, seconds: Double = 15) async throws -> [E] {
            try await readTopic(E.topic.rawValue, bootstrap: broker.bootstrap, count: count, seconds: seconds).map { try $0.decode(E.self).0 }
        }

        /// Files under the blob folder that are recordings (not spool leftovers).
        var storedBlobs: [String] {
            let enumerator = FileManager.default.enumerator(atPath: blobFolder)
            return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasPrefix("audio/") && $0.contains(".") && !$0.hasSuffix("/") }
                .filter { !$0.split(separator: "/").last!.allSatisfy(\.isNumber) }
        }

        var spoolFiles: [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: blobFolder + "/.spool")) ?? []
        }
    }

    static let metadata = #"{"customerId":"cust-rec","channel":"advisor_call","businessLine":"wealth","occurredAt":"2026-11-20T10:15:00+08:00","agentId":"adv-7"}"#

    static func multipart(metadata: String? = Self.metadata, audio: [UInt8]?, boundary: String = "b0undary") -> ByteBuffer {
        var body = ""
        var bytes: [UInt8] = []
        if let metadata {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n\(metadata)\r\n"
        }
        bytes += Array(body.utf8)
        if let audio {
            bytes += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"call.wav\"\r\nContent-Type: audio/wav\r\n\r\n".utf8)
            bytes += audio + Array("\r\n".utf8)
        }
        bytes += Array("--\(boundary)--\r\n".utf8)
        return ByteBuffer(bytes: bytes)
    }

    static func headers(_ key: String, _ extra: HTTPFields = [:]) -> HTTPFields {
        var fields: HTTPFields = [.authorization: "Bearer \(key)"]
        fields.append(contentsOf: extra)
        return fields
    }

    static let multipartType: HTTPFields = [.contentType: "multipart/form-data; boundary=b0undary"]

    static func problem(_ response: TestResponse) throws -> Problem {
        try JSONCoding.decoder().decode(Problem.self, from: Data(buffer: response.body))
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] ?? [:]
    }

    @Test("a multipart recording lands in the blob store and the event's SHA-256, size, layout and duration match the bytes")
    func multipartUpload() async throws {
        let harness = try Harness(name: "multipart")
        let wav = TestAudio.wav(channels: 2, milliseconds: 1_200)
        try await harness.ingest().test(.live) { api in
            let response = try await api.execute(uri: "/v1/interactions", method: .post,
                                                 headers: Self.headers(harness.hotlineKey, Self.multipartType),
                                                 body: Self.multipart(audio: wav))
            #expect(response.status == .accepted)
            #expect(try Self.json(response)["status"] as? String == "accepted")
            let event = try #require(try await harness.events(InteractionReceived.self, count: 1).first)
            let audio = try #require(event.audio)
            #expect(audio.sha256 == Array(SHA256.hash(data: Data(wav))).hexString)
            #expect(audio.sizeBytes == Int64(wav.count) && audio.mediaType == "audio/wav")
            #expect(audio.layout == .stereoAgentLeft && audio.durationMs == 1_200)
            #expect(event.gatewayId == "hotline" && event.agentId == "adv-7" && event.text == nil)
            let path = try #require(URL(string: audio.uri)).path
            #expect(FileManager.default.contents(atPath: path).map(Array.init) == wav)
            #expect(harness.spoolFiles.isEmpty)
        }
    }

    @Test("compressed audio and video get channels and duration from ffprobe; a silent video or bytes that only look like MP3 are 422 naming audio")
    func probedRecordings() async throws {
        let harness = try Harness(name: "probed")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-probe-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let ffmpeg = try #require(ChildProcess.resolve("ffmpeg"), "ffmpeg is installed by make test")
        func make(_ name: String, _ arguments: [String]) throws -> [UInt8] {
            let path = folder + "/" + name
            let result = ChildProcess.run([ffmpeg, "-nostdin", "-loglevel", "error", "-y"] + arguments + [path])
            #expect(result?.status == 0, "\(result?.output ?? "ffmpeg did not start")")
            return try #require(FileManager.default.contents(atPath: path)).map { $0 }
        }
        let mp3 = try make("call.mp3", ["-f", "lavfi", "-i", "sine=frequency=440:duration=2.5", "-ac", "2", "-c:a", "libmp3lame"])
        let silentVideo = try make("silent.mp4", ["-f", "lavfi", "-i", "color=c=black:s=64x64:d=1", "-c:v", "mpeg4"])
        let fakeMP3 = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0x5A, count: 4_000)
        try await harness.ingest().test(.live) { api in
            let accepted = try await api.execute(uri: "/v1/interactions", method: .post,
                                                 headers: Self.headers(harness.hotlineKey, Self.multipartType), body: Self.multipart(audio: mp3))
            #expect(accepted.status == .accepted)
            let event = try #require(try await harness.events(InteractionReceived.self, count: 1).first)
            let audio = try #require(event.audio)
            #expect(audio.mediaType == "audio/mpeg" && audio.layout == .stereoAgentLeft)
            #expect(abs((audio.durationMs ?? 0) - 2_500) < 150, "\(String(describing: audio.durationMs))")

            for (name, bytes) in [("silent video", silentVideo), ("fake MP3", fakeMP3)] {
                let refused = try await api.execute(uri: "/v1/interactions", method: .post,
                                                    headers: Self.headers(harness.hotlineKey, Self.multipartType), body: Self.multipart(audio: bytes))
                #expect(refused.status == .unprocessableContent, "\(name)")
                #expect(try Self.problem(refused).errors?.first?.field == "audio", "\(name)")
            }
            #expect(harness.storedBlobs.count == 1)
            #expect(harness.spoolFiles.isEmpty)
        }
    }

    @Test("two-step upload: announce with JSON, PUT the bytes once; a second PUT is 409, an unknown id 404")
    func twoStepUpload() async throws {
        let harness = try Harness(name: "twostep")
        let wav = TestAudio.wav(channels: 1, milliseconds: 400)
        try await harness.ingest().test(.live) { api in
            let announce = try await api.execute(
                uri: "/v1/interactions", method: .post, headers: Self.headers(harness.hotlineKey, [.contentType: "application/json"]),
                body: ByteBuffer(string: #"{"customerId":"cust-2","channel":"hotline_call","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00Z","audio":{"layout":"mono"}}"#))
            #expect(announce.status == .created)
            let body = try Self.json(announce)
            let uploadUrl = try #require(body["uploadUrl"] as? String)
            #expect(body["status"] as? String == "awaiting_audio" && announce.headers[.location] == uploadUrl)

            let wrongType = try await api.execute(uri: uploadUrl, method: .put,
                                                  headers: Self.headers(harness.hotlineKey, [.contentType: "text/plain"]), body: ByteBuffer(bytes: wav))
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(try Self.problem(wrongType).errors?.first?.field == "Content-Type")

            let put = try await api.execute(uri: uploadUrl, method: .put,
                                            headers: Self.headers(harness.hotlineKey, [.contentType: "audio/wav"]), body: ByteBuffer(bytes: wav))
            #expect(put.status == .accepted)
            // One event, published only once the bytes were there.
            let events = try await harness.events(InteractionReceived.self, count: 2, seconds: 10)
            #expect(events.count == 1)
            let event = try #require(events.first)
            #expect(event.interactionId == body["interactionId"] as? String)
            #expect(event.audio?.sha256 == Array(SHA256.hash(data: Data(wav))).hexString && event.audio?.layout == .mono)

            let again = try await api.execute(uri: uploadUrl, method: .put,
                                              headers: Self.headers(harness.hotlineKey, [.contentType: "audio/wav"]), body: ByteBuffer(bytes: wav))
            #expect(again.status == .conflict)
            let unknown = try await api.execute(uri: "/v1/interactions/nope/audio", method: .put,
                                                headers: Self.headers(harness.hotlineKey, [.contentType: "audio/wav"]), body: ByteBuffer(bytes: wav))
            #expect(unknown.status == .notFound)
            #expect(try Self.problem(unknown).errors?.first?.field == "interactionId")
        }
    }

    @Test("unknown media is 415, oversize is 413, a stereo claim on mono audio is 422; none leaves a blob or a spool file")
    func rejectedRecordings() async throws {
        let harness = try Harness(name: "rejected")
        try await harness.ingest { $0.maxAudioBytes = 50_000 }.test(.live) { api in
            let text = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.hotlineKey, Self.multipartType),
                                             body: Self.multipart(audio: Array("just some text, not a recording".utf8)))
            #expect(text.status == .unsupportedMediaType)
            #expect(try Self.problem(text).errors?.first?.field == "audio")

            let big = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.hotlineKey, Self.multipartType),
                                            body: Self.multipart(audio: TestAudio.wav(channels: 2, milliseconds: 5_000)))
            #expect(big.status == .contentTooLarge)
            #expect(try Self.problem(big).errors?.first?.field == "audio")

            let stereoClaim = #"{"customerId":"c","channel":"advisor_call","businessLine":"wealth","occurredAt":"2026-11-20T10:15:00Z","audio":{"layout":"stereo_agent_left"}}"#
            let mono = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.hotlineKey, Self.multipartType),
                                             body: Self.multipart(metadata: stereoClaim, audio: TestAudio.wav(channels: 1, milliseconds: 300)))
            #expect(mono.status == .unprocessableContent)
            #expect(try Self.problem(mono).errors?.first?.field == "audio.layout")

            let noAudio = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.hotlineKey, Self.multipartType),
                                                body: Self.multipart(audio: nil))
            #expect(noAudio.status == .unprocessableContent)
            #expect(try Self.problem(noAudio).errors?.first?.field == "audio")

            let noMetadata = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.hotlineKey, Self.multipartType),
                                                   body: Self.multipart(metadata: nil, audio: TestAudio.wav(channels: 1, milliseconds: 300)))
            #expect(noMetadata.status == .unprocessableContent)
            #expect(try Self.problem(noMetadata).errors?.first?.field == "metadata")

            let withText = #"{"customerId":"c","channel":"advisor_call","businessLine":"wealth","occurredAt":"2026-11-20T10:15:00Z","text":"hi"}"#
            let both = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.hotlineKey, Self.multipartType),
                                             body: Self.multipart(metadata: withText, audio: TestAudio.wav(channels: 1, milliseconds: 300)))
            #expect(both.status == .unprocessableContent)
            #expect(try Self.problem(both).errors?.first?.field == "text")

            var cut = Array(Self.multipart(audio: TestAudio.wav(channels: 1, milliseconds: 300)).readableBytesView)
            cut.removeLast(40)
            let truncated = try await api.execute(uri: "/v1/interactions", method: .post,
                                                  headers: Self.headers(harness.hotlineKey, Self.multipartType), body: ByteBuffer(bytes: cut))
            #expect(truncated.status == .badRequest)
            #expect(try Self.problem(truncated).errors?.first?.field == "body")

            #expect(harness.storedBlobs.isEmpty)
            #expect(harness.spoolFiles.isEmpty)
            #expect(try await harness.events(InteractionReceived.self, count: 1, seconds: 10).isEmpty)
        }
    }

    @Test("a retried request with the same Idempotency-Key gets the first answer and yields one event")
    func idempotency() async throws {
        let harness = try Harness(name: "idem")
        let body = #"{"customerId":"cust-i","channel":"hotline_call","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00Z","text":"年费扣了两次"}"#
        let wav = TestAudio.wav(channels: 2, milliseconds: 300)
        try await harness.ingest().test(.live) { api in
            let headers = Self.headers(harness.hotlineKey, [.contentType: "application/json", .idempotencyKey: "retry-1"])
            let first = try await api.execute(uri: "/v1/interactions", method: .post, headers: headers, body: ByteBuffer(string: body))
            let second = try await api.execute(uri: "/v1/interactions", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(first.status == .accepted && second.status == .accepted)
            #expect(Data(buffer: first.body) == Data(buffer: second.body))
            #expect(second.headers[.idempotentReplayed] == "true" && first.headers[.idempotentReplayed] == nil)

            let other = try await api.execute(uri: "/v1/interactions", method: .post, headers: headers,
                                              body: ByteBuffer(string: body.replacingOccurrences(of: "两次", with: "三次")))
            #expect(other.status == .unprocessableContent)
            #expect(try Self.problem(other).errors?.first?.field == "Idempotency-Key")

            let uploadHeaders = Self.headers(harness.hotlineKey, [.contentType: "multipart/form-data; boundary=b0undary", .idempotencyKey: "upload-1"])
            let upload1 = try await api.execute(uri: "/v1/interactions", method: .post, headers: uploadHeaders, body: Self.multipart(audio: wav))
            let upload2 = try await api.execute(uri: "/v1/interactions", method: .post, headers: uploadHeaders, body: Self.multipart(audio: wav))
            #expect(upload1.status == .accepted && upload2.status == .accepted)
            #expect(upload2.headers[.idempotentReplayed] == "true")

            let bad = try await api.execute(uri: "/v1/interactions", method: .post,
                                            headers: Self.headers(harness.hotlineKey, [.contentType: "application/json", .idempotencyKey: "bad key"]),
                                            body: ByteBuffer(string: body))
            #expect(bad.status == .badRequest)
            #expect(try Self.problem(bad).errors?.first?.field == "Idempotency-Key")

            // Exactly two events: one text, one recording; give a duplicate time to show up.
            let events = try await harness.events(InteractionReceived.self, count: 3, seconds: 10)
            #expect(events.count == 2)
            #expect(Set(events.map(\.interactionId)).count == 2)
            #expect(harness.storedBlobs.count == 1)
        }
    }

    @Test("401 without or with a wrong key, 403 outside the key's channels or customers, 429 over the rate")
    func authentication() async throws {
        let harness = try Harness(name: "auth")
        let chat = #"{"customerId":"c","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00Z","text":"hi"}"#
        try await harness.ingest().test(.live) { api in
            let none = try await api.execute(uri: "/v1/interactions", method: .post, body: ByteBuffer(string: chat))
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try Self.problem(none).errors?.first?.field == "Authorization")
            let wrong = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers("voc_nope"),
                                              body: ByteBuffer(string: chat))
            #expect(wrong.status == .unauthorized)

            let otherChannel = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.hotlineKey),
                                                     body: ByteBuffer(string: chat))
            #expect(otherChannel.status == .forbidden)
            #expect(try Self.problem(otherChannel).errors?.first?.field == "channel")
            let crmPosting = try await api.execute(uri: "/v1/interactions", method: .post, headers: [.apiKey: harness.crmKey],
                                                   body: ByteBuffer(string: chat))
            #expect(crmPosting.status == .forbidden)
            let hotlineCRM = try await api.execute(uri: "/v1/customers/c-1", method: .put, headers: Self.headers(harness.hotlineKey),
                                                   body: ByteBuffer(string: #"{"advisorId":"a-1"}"#))
            #expect(hotlineCRM.status == .forbidden)

            let first = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.slowKey),
                                              body: ByteBuffer(string: chat))
            #expect(first.status == .accepted)
            let limited = try await api.execute(uri: "/v1/interactions", method: .post, headers: Self.headers(harness.slowKey),
                                                body: ByteBuffer(string: chat))
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(limited.headers[.contentType] == "application/problem+json")

            // Operational endpoints and the spec need no key.
            #expect(try await api.execute(uri: "/healthz", method: .get).status == .ok)
            let spec = try await api.execute(uri: "/openapi.yaml", method: .get)
            #expect(spec.status == .ok && String(buffer: spec.body).hasPrefix("openapi: 3.1"))
        }
    }

    @Test("a batch answers per line; only valid, permitted lines become events")
    func batch() async throws {
        let harness = try Harness(name: "batch")
        let good = #"{"customerId":"c-b1","channel":"hotline_call","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00Z","text":"one"}"#
        let good2 = #"{"customerId":"c-b2","channel":"advisor_call","businessLine":"wealth","occurredAt":"2026-11-20T10:15:00Z","utterances":[{"speaker":"agent","text":"您好"}]}"#
        let invalid = #"{"customerId":"c-b3","channel":"fax","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00Z","text":"x"}"#
        let forbidden = #"{"customerId":"c-b4","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00Z","text":"x"}"#
        let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]
        try await harness.ingest { $0.batchMaxLines = 5 }.test(.live) { api in
            let response = try await api.execute(uri: "/v1/interactions:batch", method: .post, headers: Self.headers(harness.hotlineKey, ndjson),
                                                 body: ByteBuffer(string: [good, "{broken", invalid, "", forbidden, good2].joined(separator: "\n")))
            #expect(response.status == .ok)
            let result = try JSONCoding.decoder().decode(InteractionController.BatchResult.self, from: Data(buffer: response.body))
            #expect(result.accepted == 2 && result.rejected == 3)
            #expect(result.results.map(\.line) == [1, 2, 3, 5, 6])
            #expect(result.results.map(\.status) == [202, 400, 422, 403, 202])
            #expect(result.results[2].errors?.map(\.field) == ["channel"])
            #expect(result.results[3].errors?.map(\.field) == ["channel"])
            let events = try await harness.events(InteractionReceived.self, count: 3, seconds: 10)
            #expect(Set(events.map(\.interactionId)) == Set(result.results.compactMap(\.interactionId)))
            #expect(events.count == 2)

            let tooMany = try await api.execute(uri: "/v1/interactions:batch", method: .post, headers: Self.headers(harness.hotlineKey, ndjson),
                                                body: ByteBuffer(string: Array(repeating: good, count: 6).joined(separator: "\n")))
            #expect(tooMany.status == .contentTooLarge)
            #expect(try Self.problem(tooMany).errors?.first?.field == "body")
            let json = try await api.execute(uri: "/v1/interactions:batch", method: .post,
                                             headers: Self.headers(harness.hotlineKey, [.contentType: "application/json"]), body: ByteBuffer(string: good))
            #expect(json.status == .unsupportedMediaType)
            #expect(try Self.problem(json).errors?.first?.field == "Content-Type")
            let empty = try await api.execute(uri: "/v1/interactions:batch", method: .post, headers: Self.headers(harness.hotlineKey, ndjson),
                                              body: ByteBuffer(string: "\n\n"))
            #expect(empty.status == .unprocessableContent)
        }
    }

    @Test("the CRM sets a customer's owners and consents → voc.customer.updated.v1; bad fields are named")
    func customerUpdate() async throws {
        let harness = try Harness(name: "crm")
        try await harness.ingest().test(.live) { api in
            let response = try await api.execute(
                uri: "/v1/customers/cust-9", method: .put, headers: Self.headers(harness.crmKey, [.contentType: "application/json"]),
                body: ByteBuffer(string: #"{"advisorId":"adv-1","relationshipManagerId":"rm-2","businessLine":"wealth","consents":{"marketing":false,"sensitiveProfile":true}}"#))
            #expect(response.status == .accepted)
            let event = try #require(try await harness.events(CustomerUpdated.self, count: 1).first)
            #expect(event.customerId == "cust-9" && event.advisorId == "adv-1" && event.relationshipManagerId == "rm-2")
            #expect(event.consents == CustomerUpdated.Consents(marketing: false, sensitiveProfile: true))
            #expect(event.updateId == (try Self.json(response))["updateId"] as? String)

            let wrongType = try await api.execute(uri: "/v1/customers/cust-9", method: .put, headers: Self.headers(harness.crmKey),
                                                  body: ByteBuffer(string: #"{"advisorId":42}"#))
            #expect(wrongType.status == .unprocessableContent)
            #expect(try Self.problem(wrongType).errors?.map(\.field) == ["advisorId"])
            let empty = try await api.execute(uri: "/v1/customers/cust-9", method: .put, headers: Self.headers(harness.crmKey),
                                              body: ByteBuffer(string: "{}"))
            #expect(empty.status == .unprocessableContent)
            #expect(try Self.problem(empty).errors?.map(\.field) == ["body"])
            let null = try await api.execute(uri: "/v1/customers/cust-9", method: .put, headers: Self.headers(harness.crmKey),
                                             body: ByteBuffer(string: #"{"advisorId":null,"consents":{"recording":null}}"#))
            #expect(null.status == .unprocessableContent)
            #expect(try Self.problem(null).errors?.map(\.field) == ["advisorId", "consents.recording"])
            let slug = try await api.execute(uri: "/v1/customers/cust-9", method: .put, headers: Self.headers(harness.crmKey),
                                             body: ByteBuffer(string: #"{"businessLine":"Wealth Mgmt"}"#))
            #expect(try Self.problem(slug).errors?.map(\.field) == ["businessLine"])
        }
    }

    @Test("after a crash between blob write and produce the sweeper publishes stored recordings and deletes half-written ones")
    func sweeperFinishesCrashedUploads() async throws {
        let harness = try Harness(name: "sweep")
        let configuration = harness.configuration { $0.sweepGraceSeconds = 0 }
        let store = Store(configuration: harness.store, logger: testLogger)
        let blobs = try LocalBlobStore(root: harness.blobFolder)
        let publisher = EventPublisher(producer: try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: harness.broker.bootstrap), logger: testLogger),
                                       source: IngestApp.source)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            try await store.migrate(component: IngestApp.component, try IngestApp.migrations())
            let ledger = RecordingLedger(store: store)
            func recording(_ id: String) async throws -> (InteractionReceived, String) {
                let spool = try SpoolFile(directory: blobs.spoolDirectory, limit: 1 << 20)
                let wav = TestAudio.wav(channels: 1, milliseconds: 200)
                try wav.withUnsafeBytes { try spool.write($0) }
                let finished = try spool.finish()
                let key = "audio/crash/\(id).wav"
                var event = InteractionReceived(interactionId: id, customerId: "c-crash", channel: .hotlineCall, businessLine: "credit_card",
                                                occurredAt: Date(), receivedAt: Date(), gatewayId: "hotline")
                #expect(try await ledger.reserve(event, blobURI: blobs.uri(forKey: key), ttlSeconds: 60))
                let uri = try await blobs.put(finished, key: key, mediaType: "audio/wav")
                event.audio = AudioReference(uri: uri, sizeBytes: finished.size, mediaType: "audio/wav", sha256: finished.sha256)
                return (event, uri)
            }
            // Crashed after writing the blob, before recording it as stored: nothing was published.
            let (_, halfURI) = try await recording("crash-storing")
            // Crashed after recording it as stored, before (or while) publishing.
            let (stored, storedURI) = try await recording("crash-stored")
            try await ledger.markStored(stored)
            try await store.execute("UPDATE ingest_recordings SET updated_at = now() - interval '1 hour'")

            let sweeper = RecordingSweeper(ledger: ledger, idempotency: IdempotencyStore(store: store, ttlSeconds: 60), blobs: blobs,
                                           publisher: publisher, configuration: configuration, logger: testLogger)
            let report = try await sweeper.sweep()
            #expect(report.orphansDeleted == 1 && report.republished == 1)
            #expect(try await !blobs.exists(halfURI))
            #expect(try await blobs.exists(storedURI))
            let events = try await harness.events(InteractionReceived.self, count: 2, seconds: 10)
            #expect(events.map(\.interactionId) == ["crash-stored"])
            #expect(events.first?.audio == stored.audio)
            // A second round finds nothing left to do.
            #expect(try await sweeper.sweep() == RecordingSweeper.Report())
            group.cancelAll()
        }
    }
}

/// A real S3-compatible server (moto) on a free port, for the S3 blob store.
final class MotoServer {
    let endpoint: String
    private let port: Int
    private let process: SpawnedProcess

    init() throws {
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let binary = ProcessInfo.processInfo.environment["VOC_TEST_MOTO_SERVER"]
            ?? packageRoot.appendingPathComponent(".venv/bin/moto_server").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw BlobError(code: .configuration, message: "moto_server not found at \(binary): run `make test` (it installs moto[server] into .venv)")
        }
        let port = TestPostgres.freePort()
        guard let process = SpawnedProcess([binary, "-H", "127.0.0.1", "-p", "\(port)"], outputPath: nil) else {
            throw BlobError(code: .unavailable, message: "moto_server at \(binary) could not be started")
        }
        self.process = process
        self.port = port
        endpoint = "http://127.0.0.1:\(port)"
    }

    /// Waits until the server accepts connections (it serves as soon as it listens).
    func waitUntilReady() async throws {
        if await waitUntilListening(port: port, attempts: 300) { return }
        throw BlobError(code: .unavailable, message: "moto_server did not start at \(endpoint)")
    }

    deinit {
        process.signal(SIGKILL)
        _ = process.waitForExit()
    }
}

extension GatewayIntakeTests {
    @Test("with blob.store=s3 a recording lands in a real S3-compatible server and downloads with a matching SHA-256")
    func s3Upload() async throws {
        let moto = try MotoServer()
        try await moto.waitUntilReady()
        let harness = try Harness(name: "s3")
        let s3 = BlobSettings.S3(endpoint: moto.endpoint, bucket: "voc-recordings", accessKeyId: "test", secretAccessKey: "test")
        let store = try S3BlobStore(settings: s3, spoolDirectory: harness.blobFolder + "/spool")
        try await store.createBucketIfMissing()
        try await store.createBucketIfMissing()  // twice is fine
        let wav = TestAudio.wav(channels: 2, milliseconds: 700)
        try await harness.ingest { $0.blob = BlobSettings(kind: .s3, spoolDirectory: harness.blobFolder + "/spool", s3: s3) }.test(.live) { api in
            let response = try await api.execute(uri: "/v1/interactions", method: .post,
                                                 headers: Self.headers(harness.hotlineKey, Self.multipartType), body: Self.multipart(audio: wav))
            #expect(response.status == .accepted)
            let event = try #require(try await harness.events(InteractionReceived.self, count: 1).first)
            let audio = try #require(event.audio)
            #expect(audio.uri.hasPrefix("s3://voc-recordings/audio/") && audio.uri.hasSuffix(".wav"))
            let copy = harness.blobFolder + "/downloaded.wav"
            try await store.download(audio.uri, to: copy, expectedSize: Int64(wav.count), expectedSHA256: audio.sha256)
            #expect(FileManager.default.contents(atPath: copy).map(Array.init) == wav)
            #expect(audio.sha256 == Array(SHA256.hash(data: Data(wav))).hexString)
            // Nothing is left in the spool folder once the store has the object.
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: harness.blobFolder + "/spool")) ?? []).isEmpty)
            // The transcribe-adapter reads the same object through the same store, checked.
            let fetched = harness.blobFolder + "/fetched.wav"
            try await AudioSources.standard(BlobSettings(kind: .s3, spoolDirectory: harness.blobFolder + "/spool", s3: s3))
                .fetch(audio, to: fetched)
            #expect(FileManager.default.contents(atPath: fetched).map(Array.init) == wav)
            var tampered = audio
            tampered.sha256 = String(repeating: "0", count: 64)
            await #expect(throws: TranscribeError.self) { try await BlobAudioSource(store: store).fetch(tampered, to: fetched) }
            try await store.delete(audio.uri)
            #expect(try await !store.exists(audio.uri))
            await #expect(throws: BlobError.self) { try await store.download(audio.uri, to: copy) }
        }
    }
}
