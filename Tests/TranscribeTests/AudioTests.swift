import Crypto
import Foundation
import Testing
import VOCBlob
import VOCSchema
@testable import Transcribe

@Suite("Claim-check source, PCM and vocabulary")
struct AudioTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "/voc-audio-test-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func reference(_ path: String, bytes: [UInt8], sha: String? = nil, size: Int64? = nil) -> AudioReference {
        let digest = SHA256.hash(data: Data(bytes)).map { String(format: "%02x", $0) }.joined()
        return AudioReference(uri: "file://" + path, sizeBytes: size ?? Int64(bytes.count), mediaType: "audio/wav", sha256: sha ?? digest)
    }

    @Test("a file:// recording is copied when its size and SHA-256 match")
    func fetches() async throws {
        let bytes = (0..<5_000).map { UInt8($0 % 251) }
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let copy = path + ".copy"
        defer { unlink(copy) }
        try await AudioSources([FileAudioSource()]).fetch(reference(path, bytes: bytes), to: copy)
        #expect(FileManager.default.contents(atPath: copy) == Data(bytes))
    }

    @Test("the stage's source reads only inside the blob store: a file elsewhere on the host is refused for good")
    func confinedToTheStore() async throws {
        let root = NSTemporaryDirectory() + "/voc-audio-store-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/audio", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let bytes = (0..<2_000).map { UInt8($0 % 199) }
        let inside = root + "/audio/call.wav"
        try Data(bytes).write(to: URL(fileURLWithPath: inside))
        let outside = try temporaryFile(bytes)
        defer { unlink(outside) }
        let copy = outside + ".copy"
        defer { unlink(copy) }
        let sources = try AudioSources.standard(BlobSettings(localDirectory: root))
        try await sources.fetch(reference(inside, bytes: bytes), to: copy)
        #expect(FileManager.default.contents(atPath: copy) == Data(bytes))
        for uri in [outside, root + "/../escape.wav"] {
            do {
                try await sources.fetch(reference(uri, bytes: bytes), to: copy)
                Issue.record("\(uri) outside the store was read")
            } catch {
                #expect(error.code == .audioMismatch && !error.isRetriable)
            }
        }
    }

    @Test("a different SHA-256 or size is a permanent mismatch; a missing file may still arrive")
    func mismatches() async throws {
        let bytes: [UInt8] = Array("RIFF....WAVE".utf8)
        let path = try temporaryFile(bytes)
        defer { unlink(path) }
        let copy = path + ".copy"
        defer { unlink(copy) }
        let source = FileAudioSource()
        for bad in [reference(path, bytes: bytes, sha: String(repeating: "0", count: 64)), reference(path, bytes: bytes, size: 99)] {
            do {
                try await source.fetch(bad, to: copy)
                Issue.record("a mismatch was accepted")
            } catch {
                #expect(error.code == .audioMismatch)
                #expect(!error.isRetriable)
            }
        }
        do {
            try await source.fetch(reference("/nonexistent/voc/recording.wav", bytes: bytes), to: copy)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.code == .audioUnavailable)
            #expect(error.isRetriable)
        }
        do {
            try await AudioSources([source]).fetch(AudioReference(uri: "ftp://host/x.wav", sizeBytes: 1, mediaType: "audio/wav", sha256: "00"), to: copy)
            Issue.record("an unknown scheme was accepted")
        } catch {
            #expect(error.code == .audioMismatch)
        }
    }

    @Test("interleaved PCM splits into channels; identical channels are recognised; WAV has the right header")
    func pcm() {
        // Frames: (L, R) = (1000, -1000), (2000, 0)
        let bytes: [UInt8] = [0xe8, 0x03, 0x18, 0xfc, 0xd0, 0x07, 0x00, 0x00]
        let audio = PCMAudio(interleavedS16LE: Data(bytes), channelCount: 2)
        #expect(audio.channels[0] == [1000 / 32768, 2000 / 32768])
        #expect(audio.channels[1] == [-1000 / 32768, 0])
        #expect(!audio.channelsAreIdentical)
        #expect(PCMAudio(channels: [[0.1, 0.2], [0.1, 0.2]]).channelsAreIdentical)
        let wav = PCMAudio.wav([0, 0.5, -0.5])
        #expect(wav.count == 44 + 6)
        #expect(String(decoding: wav.prefix(4), as: UTF8.self) == "RIFF")
        #expect(wav[24] == 0x80 && wav[25] == 0x3e)  // 16000 Hz
    }

    @Test("the prompt follows the business line and the language, with the default as fallback")
    func vocabulary() throws {
        let vocabulary = try DomainVocabulary.load(path: "")
        let wealth = try #require(vocabulary.prompt(for: "wealth", language: "en"))
        #expect(wealth.contains("not a deposit"))
        #expect(!wealth.contains("保本"))
        let chinese = try #require(vocabulary.prompt(for: "wealth", language: "zh-CN"))
        #expect(chinese.contains("保本"))
        #expect(vocabulary.prompt(for: "wealth", language: nil) == wealth)
        let other = try #require(vocabulary.prompt(for: "insurance", language: "en"))
        #expect(other.contains("principal"))
        #expect(vocabulary.prompt(for: "wealth", language: "fr") == nil)
        #expect(throws: TranscribeError.self) { try DomainVocabulary.load(path: "/nonexistent/vocabulary.json") }
    }

    @Test("text interactions pass through with confidence 1 and a transcript id fixed by interaction and engine")
    func passthrough() {
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let chat = InteractionReceived(interactionId: "i-1", customerId: "c-1", channel: .chat, businessLine: "wealth", occurredAt: at,
                                       receivedAt: at, utterances: [Utterance(speaker: .customer, text: "赎回到账太慢了"),
                                                                    Utterance(speaker: .agent, text: "我帮您查一下。")])
        let transcript = TranscribeHandler.passthrough(chat, producedAt: at)
        #expect(transcript.utterances.map(\.speaker) == [.customer, .agent])
        #expect(transcript.utterances.allSatisfy { $0.confidence == 1 })
        #expect(transcript.transcriptId == TranscribeHandler.passthrough(chat).transcriptId)
        #expect(transcript.transcriptId != TranscribeHandler.transcriptID("i-2", engine: "passthrough"))
        var email = chat
        email.utterances = nil
        email.text = "Please refund the fee."
        #expect(TranscribeHandler.passthrough(email).utterances == [.init(speaker: .customer, text: "Please refund the fee.", confidence: 1)])
    }

    @Test("layouts: the event's, else the gateway's, else the default")
    func layouts() {
        var configuration = TranscribeConfiguration(common: .init(kafkaBrokers: "x"))
        configuration.gatewayLayouts = TranscribeConfiguration.parseLayouts("gw-a = stereo_agent_right, gw-b=mono, gw-c=nonsense")
        #expect(configuration.gatewayLayouts == ["gw-a": .stereoAgentRight, "gw-b": .mono])
        let at = Date()
        var event = InteractionReceived(interactionId: "i", customerId: "c", channel: .hotlineCall, businessLine: "b", occurredAt: at, receivedAt: at,
                                        audio: AudioReference(uri: "file:///x", sizeBytes: 1, mediaType: "audio/wav", sha256: "0"), gatewayId: "gw-a")
        #expect(configuration.layout(for: event) == .stereoAgentRight)
        event.audio?.layout = .mono
        #expect(configuration.layout(for: event) == .mono)
        event.audio?.layout = nil
        event.gatewayId = "gw-z"
        #expect(configuration.layout(for: event) == .stereoAgentLeft)
        #expect(ChannelLayout(.stereoAgentRight) == .stereo(left: .customer, right: .agent))
        // A layout added after this build is read as mono rather than failing the event.
        #expect(ChannelLayout(.unknown("quad_agent_first")) == .mono)
        event.audio?.layout = .unknown("quad_agent_first")
        #expect(configuration.layout(for: event) == .unknown("quad_agent_first"))
    }
}
