import Crypto
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import Transcribe
import VOCBlob
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport

/// The transcribe-adapter with the real local engine (faster-whisper base, int8) on a
/// synthetic stereo call, and the stage against the embedded broker.
@Suite("Transcribe: real engine and stage", .serialized)
struct TranscribeStageTests {
    /// The synthetic call, made once per process.
    static let call = Mutex<SyntheticCall?>(nil)
    static let folder: String = {
        let folder = NSTemporaryDirectory() + "/voc-test-transcribe-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "/voc-test-transcribe-\(getpid())") }
        return folder
    }()

    static func syntheticCall() throws -> SyntheticCall {
        try call.withLock { call in
            if let call { return call }
            let made = try SyntheticCall.make(in: folder)
            call = made
            return made
        }
    }

    func configuration(engine settings: LocalEngineSettings, brokers: String = "127.0.0.1:1") -> TranscribeConfiguration {
        var configuration = TranscribeConfiguration(
            common: CommonSettings(kafkaBrokers: brokers, stage: StageTuning(maxAttempts: 2, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(50))),
            engine: "local", local: settings)
        configuration.workDirectory = Self.folder
        // The recordings of these tests are in the folder the stage may read.
        configuration.blob = BlobSettings(localDirectory: Self.folder)
        return configuration
    }

    @Test("a stereo call: WER on the known sentences, speaker roles, time order, and no words in the silences",
          .enabled(if: LocalEngineFixture.enabled, LocalEngineFixture.skipNote))
    func stereoCall() async throws {
        let engine = try await LocalEngineFixture.settings()
        let call = try Self.syntheticCall()
        #expect(call.durationMs > 20_000 && call.durationMs < 45_000)
        let transcriber = try EngineCatalog.transcriber(named: "local", configuration: configuration(engine: engine), logger: testLogger)
        let result = try await transcriber.transcribe(path: call.path, layout: .stereo(left: .agent, right: .customer), language: "en",
                                                      businessLine: "wealth")

        let score = WordErrorRate.score(reference: call.referenceText, hypothesis: result.text)
        print("transcribe test: WER \(String(format: "%.3f", score.rate)) (\(score.errors)/\(score.referenceWords)); transcript: \(result.text)")
        #expect(score.rate <= 0.10, "WER \(score.rate): \(result.text)")
        #expect(result.layout == .stereo(left: .agent, right: .customer))
        #expect(result.engine.name == "faster-whisper")
        #expect(result.language == "en")
        #expect(abs(result.audioDurationMs - call.durationMs) < 100)

        // Every utterance lies in a turn of its own speaker.
        for utterance in result.utterances {
            let start = try #require(utterance.startMs), end = try #require(utterance.endMs)
            let turn = call.turns.first { $0.startMs - 400 <= start && end <= $0.endMs + 400 }
            #expect(turn?.speaker == utterance.speaker, "\(utterance.speaker) at \(start)–\(end) ms: \(utterance.text)")
        }
        #expect(result.utterances.filter { $0.speaker == .agent }.count >= 3)
        #expect(result.utterances.filter { $0.speaker == .customer }.count >= 3)
        #expect(result.utterances.first?.speaker == .agent)
        // Time order.
        let starts = result.utterances.compactMap(\.startMs)
        #expect(starts == starts.sorted())
        // Nothing is heard where nobody speaks (a padding's width inside each silence).
        #expect(call.silences.contains { $0.count >= 3_000 })
        for silence in call.silences {
            let inner = (silence.lowerBound + 300)..<(silence.upperBound - 300)
            let heard = result.utterances.filter { ($0.startMs ?? 0) < inner.upperBound && ($0.endMs ?? 0) > inner.lowerBound }
            #expect(heard.isEmpty, "words in the silence \(silence): \(heard.map(\.text))")
        }
        #expect(result.gatedOutMs > 0)
    }

    @Test("a mono recording has one unknown speaker; a recording of noise alone yields no words",
          .enabled(if: LocalEngineFixture.enabled, LocalEngineFixture.skipNote))
    func monoAndNoise() async throws {
        let engine = try await LocalEngineFixture.settings()
        let call = try Self.syntheticCall()
        let transcriber = try EngineCatalog.transcriber(named: "local", configuration: configuration(engine: engine), logger: testLogger)
        let mono = try await transcriber.transcribe(path: try call.mono(in: Self.folder), layout: .stereo(left: .agent, right: .customer),
                                                    language: "en", businessLine: "wealth")
        #expect(mono.layout == .mono)
        #expect(!mono.utterances.isEmpty)
        #expect(mono.utterances.allSatisfy { $0.speaker == .unknown })
        let score = WordErrorRate.score(reference: call.referenceText, hypothesis: mono.text)
        #expect(score.rate <= 0.2, "mono WER \(score.rate): \(mono.text)")

        var generator = SystemRandomNumberGenerator()
        let noise = (0..<(16_000 * 6)).map { _ in Float.random(in: -0.002...0.002, using: &generator) }
        let path = Self.folder + "/noise.wav"
        try PCMAudio.wav(noise).write(to: URL(fileURLWithPath: path))
        let quiet = try await transcriber.transcribe(path: path, layout: .mono, language: nil, businessLine: "wealth")
        #expect(quiet.utterances.isEmpty)
        #expect(quiet.speechMs == 0)
    }

    @Test("the stage: audio by claim-check becomes a transcript, text passes through, bad audio is dead-lettered with the reason",
          .enabled(if: LocalEngineFixture.enabled, LocalEngineFixture.skipNote))
    func stage() async throws {
        let engine = try await LocalEngineFixture.settings()
        let call = try Self.syntheticCall()
        let (broker, input) = try Self.broker()

        let corrupt = Self.folder + "/corrupt.wav"
        try Data((0..<4_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: corrupt))
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        func interaction(_ id: String, audio: AudioReference? = nil, text: String? = nil) -> InteractionReceived {
            InteractionReceived(interactionId: id, customerId: "C-\(id)", channel: audio == nil ? .chat : .advisorCall, businessLine: "wealth",
                                occurredAt: at, receivedAt: at, language: "en", text: text, audio: audio, gatewayId: "advisor-app")
        }
        var wrongDigest = try Self.reference(call.path)
        wrongDigest.sha256 = String(repeating: "ab", count: 32)
        for event in [interaction("audio-1", audio: try Self.reference(call.path)), interaction("text-1", text: "Please stop the redemption."),
                      interaction("tampered-1", audio: wrongDigest), interaction("corrupt-1", audio: try Self.reference(corrupt))] {
            try await input.publish(event)
        }

        let (transcripts, letters) = try await Self.run(configuration(engine: engine, brokers: broker.bootstrap), broker: broker,
                                                        transcripts: (2, 30), letters: (2, 180))
        do {
            #expect(transcripts.count == 2)
            let text = try #require(transcripts.first { $0.interactionId == "text-1" })
            #expect(text.engine.name == "passthrough")
            #expect(text.utterances == [.init(speaker: .customer, text: "Please stop the redemption.", confidence: 1)])

            let audio = try #require(transcripts.first { $0.interactionId == "audio-1" })
            #expect(audio.transcriptId == TranscribeHandler.transcriptID("audio-1", engine: "local"))
            #expect(audio.engine.name == "faster-whisper")
            #expect(audio.language == "en")
            #expect(audio.customerId == "C-audio-1")
            #expect(abs((audio.audioDurationMs ?? 0) - call.durationMs) < 100)
            #expect(Set(audio.utterances.map(\.speaker)) == [.agent, .customer])
            #expect(audio.dropped != nil)
            #expect(WordErrorRate.score(reference: call.referenceText, hypothesis: audio.utterances.map(\.text).joined(separator: " ")).rate <= 0.10)

            #expect(letters.count == 2)
            let tampered = try #require(letters.first { $0.valueText?.contains("tampered-1") == true })
            #expect(tampered.reason == .invalid)
            #expect(tampered.attempts == 1)
            #expect(tampered.error.contains("audio_mismatch"))
            let broken = try #require(letters.first { $0.valueText?.contains("corrupt-1") == true })
            #expect(broken.reason == .invalid)
            #expect(broken.error.contains("audio_corrupt"))
        }
    }

    @Test("engine down: the record waits for it up to the outage limit, without using up attempts, then is dead-lettered with the engine's failure as the reason",
          .enabled(if: LocalEngineFixture.toolsMissing.isEmpty || LocalEngineFixture.required, LocalEngineFixture.skipNote))
    func engineDown() async throws {
        let (broker, input) = try Self.broker()
        // One second of a loud tone: the gate passes it, so the engine is called.
        let tone = (0..<16_000).map { Float(0.3 * sin(2 * Double.pi * 220 * Double($0) / 16_000)) }
        let path = Self.folder + "/tone.wav"
        try FileManager.default.createDirectory(atPath: Self.folder, withIntermediateDirectories: true)
        try PCMAudio.wav(tone).write(to: URL(fileURLWithPath: path))
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        try await input.publish(InteractionReceived(interactionId: "down-1", customerId: "C-down", channel: .hotlineCall, businessLine: "wealth",
                                                    occurredAt: at, receivedAt: at, audio: try Self.reference(path)))

        var configuration = configuration(engine: LocalEngineSettings(port: TestPostgres.freePort()), brokers: broker.bootstrap)
        configuration.client = EngineClientSettings(timeoutMs: 2_000, retries: 1, retryBackoffMs: 10, circuitFailures: 100, circuitOpenMs: 1_000)
        // An engine that is down does not use up attempts: the recording waits for it,
        // here for one second, before it is dead-lettered.
        configuration.common.stage = StageTuning(maxAttempts: 3, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(50),
                                                 outageLimit: .seconds(1))
        let (transcripts, letters) = try await Self.run(configuration, broker: broker, transcripts: (1, 2), letters: (1, 30))
        do {
            let letter = try #require(letters.first)
            #expect(letter.reason == .failed)
            #expect(letter.attempts == 1)
            #expect(letter.error.contains("engine_unavailable"))
            #expect(letter.error.contains("unavailable for longer than"))
            #expect(letter.stage == "transcribe")
            #expect(transcripts.isEmpty)
        }
    }

    @Test("the supervisor restarts the local engine after a crash",
          .enabled(if: LocalEngineFixture.enabled, LocalEngineFixture.skipNote))
    func supervisorRestarts() async throws {
        guard LocalEngineFixture.installed else { throw LocalEngineFixture.FixtureError("local speech engine not installed; run make whisper") }
        var settings = LocalEngineSettings(venv: LocalEngineFixture.venv, port: TestPostgres.freePort(), threads: 1)
        settings.logFile = Self.folder + "/supervised.log"
        let server = LocalWhisperServer(settings: settings, logger: testLogger)
        let group = ServiceGroup(services: [server], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            #expect(await LocalWhisperServer.waitUntilHealthy(baseURL: settings.baseURL, timeout: .seconds(120)))
            // The stage's gate opens once the engine answered.
            #expect(await server.ready.wait())
            let first = try #require(server.pid)
            kill(first, SIGKILL)
            let second = try await eventually(seconds: 60) { server.pid.flatMap { $0 != first ? $0 : nil } }
            #expect(second != nil)
            #expect(await LocalWhisperServer.waitUntilHealthy(baseURL: settings.baseURL, timeout: .seconds(120)))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            // Stopped at shutdown: nothing answers any more.
            #expect(!(await LocalWhisperServer.waitUntilHealthy(baseURL: settings.baseURL, timeout: .zero)))
            if let second { #expect(kill(second, 0) != 0) }
        }
    }

    /// A one-broker cluster with the stage's topics, and a publisher for the input.
    static func broker() throws -> (EmbeddedBroker, EventPublisher) {
        let broker = try EmbeddedBroker(brokers: 1, logger: testLogger)
        for topic in [Topic.interactionReceived, .transcriptReady, .deadLetter] { try broker.createTopic(topic.rawValue, partitions: 1) }
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(bootstrapServers: broker.bootstrap), logger: testLogger)
        return (broker, EventPublisher(producer: producer, source: "/test"))
    }

    /// Runs the transcribe-adapter until the expected transcripts and dead letters arrived
    /// (or their time ran out), then stops it.
    static func run(_ configuration: TranscribeConfiguration, broker: EmbeddedBroker, transcripts: (count: Int, seconds: Double),
                    letters: (count: Int, seconds: Double)) async throws -> ([TranscriptReady], [DeadLetter]) {
        let app = try TranscribeApp.build(configuration: configuration, logger: testLogger)
        let group = ServiceGroup(services: [app], logger: testLogger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let letterRecords = try await readTopic(Topic.deadLetter.rawValue, bootstrap: broker.bootstrap, count: letters.count,
                                                    seconds: letters.seconds)
            let transcriptRecords = try await readTopic(Topic.transcriptReady.rawValue, bootstrap: broker.bootstrap,
                                                        count: transcripts.count, seconds: transcripts.seconds)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return (try transcriptRecords.map { try $0.decode(TranscriptReady.self).0 }, try letterRecords.map { try $0.decode(DeadLetter.self).0 })
        }
    }

    static func reference(_ path: String) throws -> AudioReference {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        return AudioReference(uri: "file://" + path, sizeBytes: Int64(data.count), mediaType: "audio/wav", sha256: digest)
    }
}
