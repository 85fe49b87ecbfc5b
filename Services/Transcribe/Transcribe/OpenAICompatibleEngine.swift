import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Metrics
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
    /// Longest wait for one answer (whole seconds, at least one).
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
/// Built on URLSession (FoundationNetworking, libcurl underneath): no extra package to
/// build, and one request at a time per channel needs no connection pool tuning.
public final class OpenAICompatibleEngine: TranscriptionEngine {
    public let settings: HTTPEngineSettings
    public let circuit: CircuitBreaker
    private let session: URLSession
    private let endpoint: URL
    private let logger: Logger
    private let calls: Counter
    private let failures: Counter
    private let rejected: Counter
    private let latency: Timer

    public var name: String { settings.name }

    /// - Throws: ``TranscribeError/Code/engineRejected`` when the base URL is not an http(s) URL.
    public init(settings: HTTPEngineSettings, logger: Logger) throws(TranscribeError) {
        let base = settings.baseURL.hasSuffix("/") ? String(settings.baseURL.dropLast()) : settings.baseURL
        guard let url = URL(string: base + "/v1/audio/transcriptions"), ["http", "https"].contains(url.scheme ?? "") else {
            throw TranscribeError(.configuration, "engine \(settings.name): base URL \(settings.baseURL) is not an http(s) URL")
        }
        self.settings = settings
        self.endpoint = url
        self.circuit = CircuitBreaker(failureThreshold: settings.circuitFailureThreshold, openDuration: settings.circuitOpenDuration)
        let configuration = URLSessionConfiguration.ephemeral
        // FoundationNetworking hands libcurl whole seconds (a fraction becomes 0, an
        // immediate timeout), so the timeout is rounded up to at least a second.
        let seconds = max(1, (Double(settings.timeout.components.seconds) + Double(settings.timeout.components.attoseconds) / 1e18).rounded(.up))
        configuration.timeoutIntervalForRequest = seconds
        configuration.timeoutIntervalForResource = seconds
        configuration.httpMaximumConnectionsPerHost = 4
        self.session = URLSession(configuration: configuration)
        var logger = logger
        logger[metadataKey: "engine"] = "\(settings.name)"
        self.logger = logger
        let dimensions = [("engine", settings.name)]
        calls = Counter(label: "voc_transcribe_engine_calls_total", dimensions: dimensions)
        failures = Counter(label: "voc_transcribe_engine_failures_total", dimensions: dimensions)
        rejected = Counter(label: "voc_transcribe_engine_circuit_rejections_total", dimensions: dimensions)
        latency = Timer(label: "voc_transcribe_engine_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
    }

    deinit {
        session.invalidateAndCancel()
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

        var http = URLRequest(url: endpoint)
        http.httpMethod = "POST"
        http.setValue(form.contentType, forHTTPHeaderField: "Content-Type")
        http.setValue("application/json", forHTTPHeaderField: "Accept")
        if !settings.apiKey.isEmpty { http.setValue("Bearer \(settings.apiKey)", forHTTPHeaderField: "Authorization") }
        let body = form.finished()

        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.upload(for: http, from: body)
        } catch {
            throw Self.classify(error, engine: settings.name, url: endpoint)
        }
        guard let status = (response as? HTTPURLResponse)?.statusCode else {
            throw TranscribeError(.badResponse, "engine \(settings.name) answered without an HTTP status")
        }
        switch status {
        case 200..<300:
            return try VerboseTranscription.parse(data, fallback: settings.reportedEngine)
        case 408, 429, 500...:
            throw TranscribeError(.engineFailed, "engine \(settings.name) answered \(status): \(Self.errorMessage(data))")
        default:
            throw TranscribeError(.engineRejected, "engine \(settings.name) refused the audio (\(status)): \(Self.errorMessage(data))")
        }
    }

    static func classify(_ error: any Error, engine: String, url: URL) -> TranscribeError {
        let urlError = error as? URLError
        switch urlError?.code {
        case .timedOut?:
            return TranscribeError(.engineTimeout, "engine \(engine) at \(url.absoluteString) did not answer in time")
        case .cancelled?:
            return TranscribeError(.engineUnavailable, "call to engine \(engine) was cancelled")
        default:
            return TranscribeError(.engineUnavailable, "engine \(engine) at \(url.absoluteString) is unreachable: \(error.localizedDescription)")
        }
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
