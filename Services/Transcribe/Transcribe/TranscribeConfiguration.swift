import Configuration
import Foundation
import VOCBlob
import VOCRuntime
import VOCSchema

/// Every setting of the transcribe-adapter (documented in docs/configuration.md).
public struct TranscribeConfiguration: Sendable {
    public var common: CommonSettings
    public var http: HTTPSettings
    public var group: String
    /// `local` (the faster-whisper server of the embedded default) or `http` (any
    /// OpenAI-compatible server at `transcribe.http.url`).
    public var engine: String
    public var local: LocalEngineSettings
    public var remote: RemoteEngineSettings
    public var client: EngineClientSettings
    /// BCP 47 language sent to the engine when the event has none; empty: detect.
    public var language: String
    /// Domain vocabulary file (JSON); empty: the built-in one.
    public var vocabularyFile: String
    /// Layout of a recording whose event and gateway say nothing.
    public var defaultLayout: AudioReference.Layout
    /// Layout per gateway id (`transcribe.gatewayLayouts` as `gw=stereo_agent_right,gw2=mono`).
    public var gatewayLayouts: [String: AudioReference.Layout]
    public var policy: UtterancePolicy
    public var gate: SpeechGateSettings
    public var ffmpeg: String
    public var ffprobe: String
    /// Where recordings are copied and decoded while they are transcribed.
    public var workDirectory: String
    /// The claim-check store ingest writes (`blob.*`, the same keys as ingest's).
    public var blob: BlobSettings

    /// - Throws: ``BlobError`` for unusable `blob.*` settings.
    public init(config: ConfigReader) throws {
        blob = try BlobSettings(config: config)
        common = CommonSettings(config: config)
        http = HTTPSettings(config: config, defaultPort: 8083)
        group = config.string(forKey: "transcribe.group", default: "voc-transcribe")
        engine = config.string(forKey: "transcribe.engine", default: "local")
        local = LocalEngineSettings(
            venv: config.string(forKey: "transcribe.local.venv", default: LocalEngineSettings.defaultVenv),
            model: config.string(forKey: "transcribe.local.model", default: ""),
            host: config.string(forKey: "transcribe.local.host", default: "127.0.0.1"),
            port: config.int(forKey: "transcribe.local.port", default: 9300),
            threads: config.int(forKey: "transcribe.local.threads", default: 2),
            computeType: config.string(forKey: "transcribe.local.computeType", default: "int8"),
            beamSize: config.int(forKey: "transcribe.local.beamSize", default: 5),
            supervise: config.bool(forKey: "transcribe.local.supervise", default: false),
            logFile: config.string(forKey: "transcribe.local.logFile", default: ".voc/whisper-server.log"),
            cpus: config.string(forKey: "transcribe.local.cpus", default: ""))
        remote = RemoteEngineSettings(
            name: config.string(forKey: "transcribe.http.name", default: "openai-compatible"),
            url: config.string(forKey: "transcribe.http.url", default: "http://127.0.0.1:8000"),
            model: config.string(forKey: "transcribe.http.model", default: "whisper-1"),
            apiKey: config.string(forKey: "transcribe.http.apiKey", isSecret: true, default: ""))
        client = EngineClientSettings(
            timeoutMs: config.int(forKey: "transcribe.client.timeoutMs", default: 120_000),
            retries: config.int(forKey: "transcribe.client.retries", default: 2),
            retryBackoffMs: config.int(forKey: "transcribe.client.retryBackoffMs", default: 500),
            circuitFailures: config.int(forKey: "transcribe.client.circuitFailures", default: 5),
            circuitOpenMs: config.int(forKey: "transcribe.client.circuitOpenMs", default: 30_000))
        language = config.string(forKey: "transcribe.language", default: "")
        vocabularyFile = config.string(forKey: "transcribe.vocabularyFile", default: "")
        let configuredLayout = AudioReference.Layout(rawValue: config.string(forKey: "transcribe.defaultLayout", default: "stereo_agent_left"))
        defaultLayout = configuredLayout.isKnown ? configuredLayout : .stereoAgentLeft
        gatewayLayouts = Self.parseLayouts(config.string(forKey: "transcribe.gatewayLayouts", default: ""))
        policy = UtterancePolicy()
        policy.confidenceFloor = config.double(forKey: "transcribe.confidenceFloor", default: policy.confidenceFloor)
        policy.maxPauseMs = config.int(forKey: "transcribe.maxPauseMs", default: policy.maxPauseMs)
        gate = SpeechGateSettings()
        gate.floorDb = config.double(forKey: "transcribe.vad.floorDb", default: gate.floorDb)
        gate.marginDb = config.double(forKey: "transcribe.vad.marginDb", default: gate.marginDb)
        gate.ceilingDb = config.double(forKey: "transcribe.vad.ceilingDb", default: gate.ceilingDb)
        gate.minSpeechMs = config.int(forKey: "transcribe.vad.minSpeechMs", default: gate.minSpeechMs)
        gate.mergeGapMs = config.int(forKey: "transcribe.vad.mergeGapMs", default: gate.mergeGapMs)
        gate.paddingMs = config.int(forKey: "transcribe.vad.paddingMs", default: gate.paddingMs)
        ffmpeg = config.string(forKey: "transcribe.ffmpeg", default: "ffmpeg")
        ffprobe = config.string(forKey: "transcribe.ffprobe", default: "ffprobe")
        workDirectory = config.string(forKey: "transcribe.workDirectory", default: NSTemporaryDirectory())
    }

    /// Defaults, for tests and the all-in-one runner.
    public init(common: CommonSettings, http: HTTPSettings = HTTPSettings(port: 0), group: String = "voc-transcribe",
                engine: String = "local", local: LocalEngineSettings = LocalEngineSettings(),
                remote: RemoteEngineSettings = RemoteEngineSettings(), client: EngineClientSettings = EngineClientSettings()) {
        self.common = common
        self.http = http
        self.group = group
        self.engine = engine
        self.local = local
        self.remote = remote
        self.client = client
        language = ""
        vocabularyFile = ""
        defaultLayout = .stereoAgentLeft
        gatewayLayouts = [:]
        policy = UtterancePolicy()
        gate = SpeechGateSettings()
        ffmpeg = "ffmpeg"
        ffprobe = "ffprobe"
        workDirectory = NSTemporaryDirectory()
        blob = BlobSettings()
    }

    static func parseLayouts(_ text: String) -> [String: AudioReference.Layout] {
        var layouts: [String: AudioReference.Layout] = [:]
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            let layout = AudioReference.Layout(rawValue: parts[1])
            if layout.isKnown { layouts[parts[0]] = layout }
        }
        return layouts
    }

    /// The layout of a recording: the event's, else its gateway's, else the default.
    public func layout(for event: InteractionReceived) -> AudioReference.Layout {
        if let layout = event.audio?.layout { return layout }
        if let gateway = event.gatewayId, let layout = gatewayLayouts[gateway] { return layout }
        return defaultLayout
    }
}

/// The local faster-whisper server (`voc up` starts and supervises it).
public struct LocalEngineSettings: Sendable, Equatable {
    /// The venv `make up` / `make test` create (`scripts/setup-whisper.sh`).
    public static let defaultVenv = ".venv-whisper"

    public var venv: String
    /// The model folder; empty: `{venv}/models/whisper-base`.
    public var model: String
    public var host: String
    public var port: Int
    /// CPU threads of the model.
    public var threads: Int
    public var computeType: String
    public var beamSize: Int
    /// Start and supervise the server in this process (`voc up` does).
    public var supervise: Bool
    /// The server's output.
    public var logFile: String
    /// CPUs the server may run on (`taskset -c` list such as `0` or `0-1`); empty: any.
    public var cpus: String

    public init(venv: String = defaultVenv, model: String = "", host: String = "127.0.0.1", port: Int = 9300, threads: Int = 2,
                computeType: String = "int8", beamSize: Int = 5, supervise: Bool = false, logFile: String = ".voc/whisper-server.log",
                cpus: String = "") {
        self.venv = venv
        self.model = model
        self.host = host
        self.port = port
        self.threads = threads
        self.computeType = computeType
        self.beamSize = beamSize
        self.supervise = supervise
        self.logFile = logFile
        self.cpus = cpus
    }

    public var python: String { venv + "/bin/python" }
    public var modelFolder: String { model.isEmpty ? venv + "/models/whisper-base" : model }
    public var baseURL: String { "http://\(host):\(port)" }

    /// What is missing for the local engine to start, or nil when it can.
    public var missingPieces: String? {
        var missing: [String] = []
        if !FileManager.default.isExecutableFile(atPath: python) { missing.append("\(python) (the venv)") }
        if !FileManager.default.fileExists(atPath: modelFolder + "/model.bin") { missing.append("\(modelFolder)/model.bin (the model)") }
        return missing.isEmpty ? nil : missing.joined(separator: " and ")
    }
}

/// Any OpenAI-compatible server (`transcribe.engine=http`).
public struct RemoteEngineSettings: Sendable, Equatable {
    public var name: String
    public var url: String
    public var model: String
    public var apiKey: String

    public init(name: String = "openai-compatible", url: String = "http://127.0.0.1:8000", model: String = "whisper-1", apiKey: String = "") {
        self.name = name
        self.url = url
        self.model = model
        self.apiKey = apiKey
    }
}

/// Timeouts, retries and the circuit breaker of the engine client.
public struct EngineClientSettings: Sendable, Equatable {
    public var timeoutMs: Int
    public var retries: Int
    public var retryBackoffMs: Int
    public var circuitFailures: Int
    public var circuitOpenMs: Int

    public init(timeoutMs: Int = 120_000, retries: Int = 2, retryBackoffMs: Int = 500, circuitFailures: Int = 5, circuitOpenMs: Int = 30_000) {
        self.timeoutMs = timeoutMs
        self.retries = retries
        self.retryBackoffMs = retryBackoffMs
        self.circuitFailures = circuitFailures
        self.circuitOpenMs = circuitOpenMs
    }
}

extension TranscribeConfiguration: ServiceConfiguration {}
