import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOHTTP1
import VOCSchema

/// How to reach an OpenAI-compatible transcription server, and how hard to try.
public struct HTTPEngineSettings: Sendable {
    /// The operator's name for the engine (`local`, `http`).
    public var name: String
    /// Base URL; the client posts to `{baseURL}/v1/audio/transcriptions`.
    public var baseURL: String
    /// The `model` form field (`whisper-1` for OpenAI; servers with one model ignore it).
    public var model: String
    /// Sent as `Authorization: Bearer …` when not empty.
    public var apiKey: String
    /// Longest wait for one answer: connecting, sending the audio and the engine's work,
    /// until the answer starts; the answer's body must then keep arriving without a pause
    /// this long.
    public var timeout: Duration
    /// Extra attempts after a failure that may pass (refused, timeout, 5xx, 429).
    public var retries: Int
    /// Pause before the first retry; doubled for each further one.
    public var retryBackoff: Duration
    /// Consecutive failed calls that open the circuit.
    public var circuitFailureThreshold: Int
    /// How long an open circuit refuses calls before one trial.
    public var circuitOpenDuration: Duration
    /// The engine name and version to record when the server does not say.
    public var reportedEngine: TranscriptReady.Engine

    public init(name: String, baseURL: String, model: String = "whisper-1", apiKey: String = "",
                timeout: Duration = .seconds(120), retries: Int = 2, retryBackoff: Duration = .milliseconds(500),
                circuitFailureThreshold: Int = 5, circuitOpenDuration: Duration = .seconds(30),
                reportedEngine: TranscriptReady.Engine? = nil) {
        self.name = name
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.retries = max(0, retries)
        self.retryBackoff = retryBackoff
        self.circuitFailureThreshold = circuitFailureThreshold
        self.circuitOpenDuration = circuitOpenDuration
        self.reportedEngine = reportedEngine ?? TranscriptReady.Engine(name: name, version: model)
    }
}

/// A client of `POST /v1/audio/transcriptions` (multipart, `verbose_json`, segment and
/// word timestamps, `prompt`, `language`): OpenAI, whisper.cpp server, faster-whisper
/// servers, vLLM and our local engine all speak it.
///
/// Each call has a timeout; failures that may pass are retried with backoff; after
/// repeated failures a circuit breaker refuses calls for a while so a dead engine is not
/// hammered, and the stage's own retries and dead letters take over.
///
/// Built on AsyncHTTPClient (SwiftNIO): the calls wait on the event loop without a thread
/// or a poll of their own. Each engine owns one `HTTPClient` on NIO's shared event-loop
/// group, so its connections are pooled (at most four per host) and kept alive between
/// calls; ``shutdown()`` closes them, and releasing the engine does the same.
public final class OpenAICompatibleEngine: TranscriptionEngine {
    public let settings: HTTPEngineSettings
    public let circuit: CircuitBreaker
    private let client: HTTPClient
    private let endpoint: String
    private let logger: Logger
    private let calls: Counter
    private let failures: Counter
    private let rejected: Counter
    private let latency: Timer

    /// Largest answer accepted (a verbose_json body with word timestamps of a long call is
    /// a few megabytes).
    static let maximumAnswerBytes = 64 << 20

    public var name: String { settings.name }

    /// - Throws: ``TranscribeError/Code/engineRejected`` when the base URL is not an http(s) URL.
    public init(settings: HTTPEngineSettings, logger: Logger) throws(TranscribeError) {
        let base = settings.baseURL.hasSuffix("/") ? String(settings.baseURL.dropLast()) : settings.baseURL
        guard let url = URL(string: base + "/v1/audio/transcriptions"), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            throw TranscribeError(.configuration, "engine \(settings.name): base URL \(settings.baseURL) is not an http(s) URL")
        }
        self.settings = settings
        self.endpoint = url.absoluteString
        self.circuit = CircuitBreaker(failureThreshold: settings.circuitFailureThreshold, openDuration: settings.circuitOpenDuration)
        let timeout = TimeAmount(settings.timeout)
        var configuration = HTTPClient.Configuration(
            timeout: HTTPClient.Configuration.Timeout(connect: timeout, read: timeout),
            connectionPool: HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 4))
        // A refused connection fails the call at once; the retries and the circuit breaker
        // below decide what happens next.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var logger = logger
        logger[metadataKey: "engine"] = "\(settings.name)"
        self.logger = logger
        let dimensions = [("engine", settings.name)]
        calls = Counter(label: "voc_transcribe_engine_calls_total", dimensions: dimensions)
        failures = Counter(label: "voc_transcribe_engine_failures_total", dimensions: dimensions)
        rejected = Counter(label: "voc_transcribe_engine_circuit_rejections_total", dimensions: dimensions)
        latency = Timer(label: "voc_transcribe_engine_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
    }

    /// Closes the pooled connections; calls after this fail as unavailable.
    public func shutdown() async {
        try? await client.shutdown()
    }

    deinit {
        // An engine dropped without ``shutdown()`` still closes its connections (the
        // client keeps itself alive until it has).
        client.shutdown { _ in }
    }

    public func transcribe(_ request: EngineRequest) async throws(TranscribeError) -> EngineResult {
        var attempt = 0
        var backoff = settings.retryBackoff
        var cause: TranscribeError?
        while true {
            do {
                return try await callOnce(request)
            } catch {
                // A retry that finds the circuit just opened reports what opened it.
                if error.code == .circuitOpen, let cause { throw cause }
                guard error.isRetriable, error.code != .circuitOpen, attempt < settings.retries, !Task.isCancelled else { throw error }
                cause = error
                attempt += 1
                logger.warning("engine call failed, retrying", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: backoff)
                backoff = backoff * 2
            }
        }
    }

    /// One call through the circuit breaker.
    func callOnce(_ request: EngineRequest) async throws(TranscribeError) -> EngineResult {
        if case .reject(let retryAfter) = circuit.decide() {
            rejected.increment()
            throw TranscribeError(.circuitOpen, "engine \(settings.name) failed repeatedly; not called for another \(retryAfter)")
        }
        calls.increment()
        let started = ContinuousClock.now
        do {
            let result = try await post(request)
            circuit.recordSuccess()
            latency.recordInterval(since: started)
            return result
        } catch {
            if error.isEngineFailure && !Task.isCancelled {
                failures.increment()
                circuit.recordFailure()
            } else {
                circuit.recordNeutral()
            }
            throw error
        }
    }

    private func post(_ request: EngineRequest) async throws(TranscribeError) -> EngineResult {
        var form = MultipartForm()
        form.addFile(name: "file", filename: "audio.wav", contentType: "audio/wav", data: request.wav)
        form.add(name: "model", value: settings.model)
        form.add(name: "response_format", value: "verbose_json")
        form.add(name: "timestamp_granularities[]", value: "word")
        form.add(name: "timestamp_granularities[]", value: "segment")
        form.add(name: "temperature", value: "0")
        if let language = request.language, !language.isEmpty { form.add(name: "language", value: language) }
        if let prompt = request.prompt, !prompt.isEmpty { form.add(name: "prompt", value: prompt) }

        var http = HTTPClientRequest(url: endpoint)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: form.contentType)
        http.headers.add(name: "Accept", value: "application/json")
        if !settings.apiKey.isEmpty { http.headers.add(name: "Authorization", value: "Bearer \(settings.apiKey)") }
        http.body = .bytes(form.finished())

        let status: HTTPResponseStatus
        let data: Data
        do {
            let response = try await client.execute(http, timeout: TimeAmount(settings.timeout), logger: logger)
            status = response.status
            let body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
            data = Data(body.readableBytesView)
        } catch {
            throw Self.classify(error, engine: settings.name, url: endpoint)
        }
        switch status.code {
        case 200..<300:
            return try VerboseTranscription.parse(data, fallback: settings.reportedEngine)
        case 408, 429, 500...:
            throw TranscribeError(.engineFailed, "engine \(settings.name) answered \(status.code): \(Self.errorMessage(data))")
        default:
            throw TranscribeError(.engineRejected, "engine \(settings.name) refused the audio (\(status.code)): \(Self.errorMessage(data))")
        }
    }

    static func classify(_ error: any Error, engine: String, url: String) -> TranscribeError {
        if error is CancellationError || (error as? HTTPClientError) == .cancelled {
            return TranscribeError(.engineUnavailable, "call to engine \(engine) was cancelled")
        }
        if let error = error as? HTTPClientError,
           [.deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout].contains(error) {
            return TranscribeError(.engineTimeout, "engine \(engine) at \(url) did not answer in time")
        }
        if error is NIOTooManyBytesError {
            return TranscribeError(.badResponse, "engine \(engine) answered with more than \(maximumAnswerBytes >> 20) MiB")
        }
        return TranscribeError(.engineUnavailable, "engine \(engine) at \(url) is unreachable: \(error)")
    }

    /// The `error.message` of an OpenAI-style error body, else the start of the body.
    static func errorMessage(_ data: Data) -> String {
        struct Body: Decodable {
            struct Inner: Decodable { var message: String? }
            var error: Inner?
        }
        if let message = (try? JSONDecoder().decode(Body.self, from: data))?.error?.message { return message }
        return String(decoding: data.prefix(300), as: UTF8.self)
    }
}
