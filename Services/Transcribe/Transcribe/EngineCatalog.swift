import Foundation
import Logging
import VOCSchema

/// The engines an operator can name (`transcribe.engine`, `voc transcribe --engine`).
public enum EngineCatalog {
    /// `local`: the faster-whisper server of the embedded default; `http`: any
    /// OpenAI-compatible server at `transcribe.http.url`.
    public static let names = ["local", "http"]

    /// How to reach the named engine.
    /// - Throws: ``TranscribeError`` for an unknown name.
    public static func settings(named name: String, configuration: TranscribeConfiguration) throws(TranscribeError) -> HTTPEngineSettings {
        let client = configuration.client
        switch name {
        case "local":
            let local = configuration.local
            let model = URL(fileURLWithPath: local.modelFolder).lastPathComponent
            return HTTPEngineSettings(
                name: "local", baseURL: local.baseURL, model: model, timeout: .milliseconds(client.timeoutMs), retries: client.retries,
                retryBackoff: .milliseconds(client.retryBackoffMs), circuitFailureThreshold: client.circuitFailures,
                circuitOpenDuration: .milliseconds(client.circuitOpenMs),
                reportedEngine: TranscriptReady.Engine(name: "faster-whisper", version: "\(model)/\(local.computeType)"))
        case "http":
            let remote = configuration.remote
            return HTTPEngineSettings(
                name: remote.name, baseURL: remote.url, model: remote.model, apiKey: remote.apiKey,
                timeout: .milliseconds(client.timeoutMs), retries: client.retries, retryBackoff: .milliseconds(client.retryBackoffMs),
                circuitFailureThreshold: client.circuitFailures, circuitOpenDuration: .milliseconds(client.circuitOpenMs),
                reportedEngine: TranscriptReady.Engine(name: remote.name, version: remote.model))
        default:
            throw TranscribeError(.configuration, "unknown engine \(name); known: \(names.joined(separator: ", "))")
        }
    }

    /// The whole transcription path with the named engine.
    /// - Throws: ``TranscribeError`` for an unknown engine, a bad URL or an unreadable vocabulary file.
    public static func transcriber(named name: String, configuration: TranscribeConfiguration, logger: Logger) throws(TranscribeError) -> Transcriber {
        let settings = try settings(named: name, configuration: configuration)
        let engine = try OpenAICompatibleEngine(settings: settings, logger: logger)
        return Transcriber(
            engine: engine, engineIdentity: settings.reportedEngine,
            normalizer: AudioNormalizer(ffmpeg: configuration.ffmpeg, ffprobe: configuration.ffprobe),
            gate: SpeechGate(settings: configuration.gate), policy: configuration.policy,
            vocabulary: try DomainVocabulary.load(path: configuration.vocabularyFile), workFolder: configuration.workDirectory)
    }
}
