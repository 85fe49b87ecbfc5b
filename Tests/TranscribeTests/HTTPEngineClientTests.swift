import Foundation
import Logging
import Testing
import VOCSchema
@testable import Transcribe

/// The OpenAI-compatible client against real sockets: a port that refuses, a server that
/// stalls, servers that fail or refuse the audio.
@Suite("OpenAI-compatible engine client")
struct HTTPEngineClientTests {
    let request = EngineRequest(wav: PCMAudio.wav([Float](repeating: 0.1, count: 1_600)), language: "en", prompt: "Terms: principal.")

    func engine(_ url: String, timeout: Duration = .seconds(5), retries: Int = 0, circuitFailures: Int = 5) throws -> OpenAICompatibleEngine {
        try OpenAICompatibleEngine(
            settings: HTTPEngineSettings(name: "test", baseURL: url, timeout: timeout, retries: retries, retryBackoff: .milliseconds(10),
                                         circuitFailureThreshold: circuitFailures, circuitOpenDuration: .seconds(60)),
            logger: Logger(label: "test"))
    }

    func failure(_ engine: OpenAICompatibleEngine) async -> TranscribeError? {
        do {
            _ = try await engine.transcribe(request)
            return nil
        } catch {
            return error
        }
    }

    @Test("engine down: unavailable and retriable; after the threshold the circuit opens and no call is made")
    func engineDown() async throws {
        let client = try engine("http://127.0.0.1:\(try refusedPort())", retries: 1, circuitFailures: 3)
        let first = await failure(client)
        #expect(first?.code == .engineUnavailable)
        #expect(first?.isRetriable == true)
        // Two attempts (one retry) count two failures; the next failure opens the circuit.
        #expect(client.circuit.snapshot.phase == .closed(consecutiveFailures: 2))
        let second = await failure(client)
        #expect(second?.code == .engineUnavailable)
        #expect(client.circuit.snapshot.isOpen)
        let started = ContinuousClock.now
        let third = await failure(client)
        #expect(third?.code == .circuitOpen)
        #expect(ContinuousClock.now - started < .milliseconds(100))
    }

    @Test("an engine that accepts and never answers times out after the configured time")
    func stalls() async throws {
        let server = try SocketServer(.stall)
        defer { server.close() }
        let client = try engine(server.baseURL, timeout: .seconds(1))
        let started = ContinuousClock.now
        let error = await failure(client)
        let elapsed = ContinuousClock.now - started
        #expect(error?.code == .engineTimeout)
        #expect(error?.isRetriable == true)
        #expect(elapsed >= .milliseconds(900))
        // Far below the 120 s default, so the configured second is what ended the call; the
        // margin is for the whole suite running at once on two cores, where the waiting
        // task may resume many seconds after its deadline fired.
        #expect(elapsed < .seconds(60))
        #expect(server.connections == 1)
    }

    @Test("a server error is retried with backoff; a refusal of the audio is not, and leaves the circuit closed")
    func statuses() async throws {
        let failing = try SocketServer(.respond(status: 503, body: #"{"error":{"message":"overloaded"}}"#))
        defer { failing.close() }
        let error = await failure(try engine(failing.baseURL, retries: 2))
        #expect(error?.code == .engineFailed)
        #expect(error?.message.contains("overloaded") == true)
        #expect(failing.connections == 3)

        let refusing = try SocketServer(.respond(status: 400, body: #"{"error":{"message":"cannot decode audio"}}"#))
        defer { refusing.close() }
        let client = try engine(refusing.baseURL, retries: 2, circuitFailures: 1)
        let refused = await failure(client)
        #expect(refused?.code == .engineRejected)
        #expect(refused?.isRetriable == false)
        #expect(refusing.connections == 1)
        #expect(!client.circuit.snapshot.isOpen)
    }

    @Test("the request is the protocol's multipart form; the answer is parsed")
    func protocolRoundTrip() async throws {
        let answer = #"{"language":"en","duration":0.1,"text":"Hi.","segments":[{"start":0,"end":0.1,"text":" Hi.","words":[{"word":" Hi.","start":0,"end":0.1,"probability":0.9}]}]}"#
        let server = try SocketServer(.respond(status: 200, body: answer))
        defer { server.close() }
        let result = try await engine(server.baseURL).transcribe(request)
        #expect(result.segments.first?.words.first?.text == " Hi.")
        let sent = try #require(server.requests.first)
        #expect(sent.hasPrefix("POST /v1/audio/transcriptions HTTP/1.1"))
        for field in ["name=\"file\"; filename=\"audio.wav\"", "name=\"response_format\"\r\n\r\nverbose_json",
                      "name=\"timestamp_granularities[]\"\r\n\r\nword", "name=\"timestamp_granularities[]\"\r\n\r\nsegment",
                      "name=\"language\"\r\n\r\nen", "name=\"prompt\"\r\n\r\nTerms: principal.", "RIFF"] {
            #expect(sent.contains(field), "request lacks \(field)")
        }
    }
}
