import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import VOCProcess
import VOCRuntime

/// Starts the local faster-whisper server (`whisper_server.py` in the venv of
/// `scripts/setup-whisper.sh`) and keeps it running: a crash is logged and the server is
/// started again with backoff. Stopped with SIGTERM at shutdown; the server also exits
/// by itself when this process is gone.
public final class LocalWhisperServer: Service, Sendable {
    public let settings: LocalEngineSettings
    private let logger: Logger
    private let current = Mutex<SupervisedProcess?>(nil)
    /// Opened once the engine first answers its health check (or is known not to be
    /// installed, or did not come up in ``startupTimeout``): the stage waits on it, so
    /// recordings that arrive while the model loads are not burned through retries.
    public let ready = StartupGate()
    public static let startupTimeout = Duration.seconds(120)

    public init(settings: LocalEngineSettings, logger: Logger) {
        self.settings = settings
        var logger = logger
        logger[metadataKey: "engine"] = "local"
        self.logger = logger
    }

    /// The server script shipped with this module.
    public static var scriptPath: String? {
        Bundle.module.url(forResource: "whisper_server", withExtension: "py")?.path
    }

    /// What an operator runs when the local engine is not installed.
    public static let setupHint = "run `make whisper` (or scripts/setup-whisper.sh) in the repository to install it"

    /// Whether the server can start: the venv, the model and the script are there.
    public var problem: String? {
        if let missing = settings.missingPieces { return "local speech engine not installed: missing \(missing); \(Self.setupHint)" }
        if Self.scriptPath == nil { return "whisper_server.py is missing from the Transcribe bundle" }
        return nil
    }

    public func run() async throws {
        if let problem {
            logger.error("\(problem); recordings will be retried and dead-lettered until it is")
            ready.open()
            try? await gracefulShutdown()
            return
        }
        let began = ContinuousClock.now
        let healthy = Mutex(false)
        let (settings, logger, ready) = (settings, logger, ready)
        let supervisor = SupervisedProcess(
            name: "local speech engine", restartsMetric: "voc_transcribe_local_engine_restarts_total", logger: logger,
            launch: { [self] in start() },
            watch: { _ in
                guard !healthy.withLock({ $0 }) else { return }
                if await Self.waitUntilHealthy(baseURL: settings.baseURL, timeout: .zero) {
                    healthy.withLock { $0 = true }
                    logger.info("local speech engine ready", metadata: ["url": "\(settings.baseURL)", "log": "\(settings.logFile)"])
                    ready.open()
                } else if ContinuousClock.now - began > Self.startupTimeout {
                    logger.error("local speech engine not ready after \(Self.startupTimeout); starting the stage anyway")
                    ready.open()
                }
            })
        current.withLock { $0 = supervisor }
        try await supervisor.run()
    }

    /// The running server's process id, if any.
    public var pid: pid_t? {
        current.withLock { $0?.pid }
    }

    /// Starts the server once, without supervision (used by `voc transcribe` and `voc bench`).
    public func start() -> SpawnedProcess? {
        guard let script = Self.scriptPath else { return nil }
        let logURL = URL(fileURLWithPath: settings.logFile)
        try? FileManager.default.createDirectory(at: logURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["HF_HUB_OFFLINE"] = "1"
        environment["PYTHONUNBUFFERED"] = "1"
        let python = URL(fileURLWithPath: settings.python).standardizedFileURL.path
        var pinning: [String] = []
        if !settings.cpus.isEmpty, let taskset = ChildProcess.resolve("taskset") { pinning = [taskset, "-c", settings.cpus] }
        return SpawnedProcess(pinning + [
            python, script, "--model", URL(fileURLWithPath: settings.modelFolder).standardizedFileURL.path,
            "--host", settings.host, "--port", "\(settings.port)", "--threads", "\(max(1, settings.threads))",
            "--compute-type", settings.computeType, "--beam-size", "\(max(1, settings.beamSize))", "--parent-pid", "\(getpid())",
        ], environment: environment, outputPath: logURL.path)
    }

    /// Starts the server for one command (`voc transcribe`, `voc bench`) unless one
    /// already answers at its address, and waits until it is healthy.
    /// - Returns: the started server, to stop with ``SupervisedProcess/stop(_:)`` afterwards; nil when one was already running.
    /// - Throws: ``TranscribeError/Code/engineUnavailable`` when it is not installed or does not come up.
    public func startIfNeeded(timeout: Duration = .seconds(120)) async throws(TranscribeError) -> SpawnedProcess? {
        if await Self.waitUntilHealthy(baseURL: settings.baseURL, timeout: .zero) { return nil }
        if let problem { throw TranscribeError(.engineUnavailable, problem) }
        guard let child = start() else { throw TranscribeError(.engineUnavailable, "cannot start \(settings.python)") }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await Self.waitUntilHealthy(baseURL: settings.baseURL, timeout: .milliseconds(500)) { return child }
            if let status = child.exitStatus() {
                throw TranscribeError(.engineUnavailable, "the local speech engine exited (status \(status)); see \(settings.logFile)")
            }
        }
        await SupervisedProcess.stop(child)
        throw TranscribeError(.engineUnavailable, "the local speech engine did not come up within \(timeout); see \(settings.logFile)")
    }

    /// Waits until `GET {baseURL}/health` answers 200.
    /// - Returns: false when `timeout` passed first.
    public static func waitUntilHealthy(baseURL: String, timeout: Duration) async -> Bool {
        let url = baseURL + "/health"
        let deadline = ContinuousClock.now + timeout
        // A handful of probes at start-up: the process-wide shared client serves them.
        repeat {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2)) {
                _ = try? await response.body.collect(upTo: 1 << 16)
                if response.status.code == 200 { return true }
            }
            if Task.isCancelled { return false }
            try? await Task.sleep(for: .milliseconds(250))
        } while ContinuousClock.now < deadline
        return false
    }
}
